"""A wizard page: a title, a one-line explanation, its content, and its own validation."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from pft_desktop.ui.state import AppState


class Pending(str):
    """A reason Next is not available yet that is not a fault (a check under way, a choice
    still to make, training running): shown in the muted colour, never in the error colour."""


class WizardPage(QWidget):
    """Pages say what is missing through ``problems()``; Next is enabled only when it is empty,
    and the first problem is shown beside it (a ``Pending`` one muted, anything else as an
    error). ``completeChanged`` asks the window to re-check."""

    completeChanged = Signal()
    title = ""  # English, marked with QT_TRANSLATE_NOOP under the page's class name
    subtitle = ""

    def __init__(self, state: AppState, parent=None):
        super().__init__(parent)
        self.state = state
        self.setObjectName("page")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 8)
        heading = QLabel(self.display_title())
        heading.setObjectName("pageTitle")
        sub = QLabel(QCoreApplication.translate(type(self).__name__, self.subtitle))
        sub.setObjectName("pageSubtitle")
        sub.setWordWrap(True)
        outer.addWidget(heading)
        outer.addWidget(sub)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body = QWidget()
        self.body.setObjectName("page")
        self.content = QVBoxLayout(self.body)
        self.content.setContentsMargins(0, 10, 4, 4)
        scroll.setWidget(self.body)
        outer.addWidget(scroll, 1)

    def display_title(self) -> str:
        """The title in the interface language."""
        return QCoreApplication.translate(type(self).__name__, self.title)

    def problems(self) -> list[str]:
        return []

    def enter(self) -> None:
        """Called each time the page is shown: refresh editors from the config."""

    def leave(self) -> None:
        """Called when moving on: write editors back into the config."""
