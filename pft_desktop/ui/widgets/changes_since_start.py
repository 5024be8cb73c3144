"""What differs now from when a run started (its data files, the libraries it ran with), shown
where a run is opened or followed: the person reading or resuming it should know."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from pft_desktop.core.rundir import RunFolder


class ChangesSinceStart(QFrame):
    """A warning panel listing ``RunFolder.changes_since_start()``; hidden when nothing
    changed (or the run recorded nothing to compare with)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("warningPanel")
        self.text = QLabel()
        self.text.setObjectName("warning")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self).addWidget(self.text)
        self.changes: list[str] = []
        self.setVisible(False)

    def show_for(self, run_dir: str | Path | None) -> list[str]:
        """Compare the run's recorded start with now and show what differs."""
        try:
            self.changes = RunFolder(run_dir).changes_since_start() if run_dir else []
        except (OSError, ValueError):  # a data file that cannot be read is not a reason to fail
            self.changes = []
        self.text.setText("<b>" + self.tr("Changed since this run started:") +
                          "</b><ul style='margin: 0'>"
                          + "".join(f"<li>{escape(change)}</li>" for change in self.changes)
                          + "</ul>")
        self.setVisible(bool(self.changes))
        return self.changes
