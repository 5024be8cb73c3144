"""One training example as the model reads it, with the tokens the loss is on highlighted: the
quickest way to see that a chat template, the assistant-only mask and the end-of-turn token are
what they should be."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from pft_desktop.ui.theme import readable

LEARNED_STYLE = "background-color:#d1fae5;color:#065f46;"


def example_html(pieces: list) -> str:
    """``pieces`` is [[text, learned], ...] (the data report's ``example``) as HTML: learned
    text on green, the rest grey; special tokens and line breaks stay visible."""
    parts = []
    for text, learned in pieces:
        escaped = html.escape(text).replace("\n", "↵<br>")
        style = LEARNED_STYLE if learned else f"color:{readable('#52606d')};"
        parts.append(f'<span style="{style}">{escaped}</span>')
    return ('<div style="font-family:monospace;white-space:pre-wrap;">'
            + "".join(parts) + "</div>")


class LearnedExample(QWidget):
    """A caption and the rendered example; hidden when the task has none to show."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self.tr("One training example as the model reads it. <span "
                                      "style='background-color:#d1fae5'>Highlighted</span> tokens "
                                      "are learned (the loss is on them); grey ones are context."))
        self.caption.setObjectName("hint")
        self.caption.setWordWrap(True)
        self.text = QTextBrowser()
        self.text.setMaximumHeight(140)
        self.text.setOpenLinks(False)
        layout.addWidget(self.caption)
        layout.addWidget(self.text)
        self.hide()

    def show_example(self, pieces: list) -> None:
        if not pieces:
            self.text.clear()
            self.hide()
            return
        self.text.setHtml(example_html(pieces))
        self.show()
