"""One model's side of a chat as bubbles: the person's messages on the right, the model's
replies on the left with how each ended beneath it."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QTextBrowser

translate = QCoreApplication.translate  # the name pyside6-lupdate reads

ERROR_COLOUR = "#b91c1c"
STOP_REASONS = {"end_of_turn": QT_TRANSLATE_NOOP("ChatTranscript", "end of turn"),
                "length": QT_TRANSLATE_NOOP("ChatTranscript", "token limit reached"),
                "stop_string": QT_TRANSLATE_NOOP("ChatTranscript", "stop string"),
                "cancelled": QT_TRANSLATE_NOOP("ChatTranscript", "stopped")}


@dataclass
class Bubble:
    role: str            # "user", "assistant" or "note"
    text: str = ""
    note: str = ""       # under a reply: tokens, time, why it ended
    error: str = ""
    streaming: bool = False


def reply_note(result: dict) -> str:
    """"12 tokens · 0.41 s · end of turn" for a result of `serve`."""
    tokens, seconds = result.get("tokens", 0), result.get("seconds") or 0.0
    stopped = result.get("stopped", "")
    reason = translate("ChatTranscript", STOP_REASONS[stopped]) if stopped in STOP_REASONS \
        else stopped
    count = translate("ChatTranscript", "1 token") if tokens == 1 else \
        translate("ChatTranscript", "{count} tokens").format(count=tokens)
    return f"{count} · {seconds:.2f} s · {reason}"


def _text_html(text: str) -> str:
    return escape(text).replace("\n", "<br>")


class ChatTranscript(QTextBrowser):
    """Bubbles re-rendered as rich text whenever one changes (a streamed reply grows a few
    times a second; a chat is short enough to redraw whole)."""

    def __init__(self, colour: str = "#eef2f7", parent=None):
        super().__init__(parent)
        self.colour = colour
        self.bubbles: list[Bubble] = []
        self.empty_text = ""
        self.header = ""  # the system prompt, above the conversation
        self.setOpenLinks(False)
        self.setMinimumHeight(220)
        self.render()

    def add(self, role: str, text: str = "", streaming: bool = False) -> int:
        self.bubbles.append(Bubble(role, text, streaming=streaming))
        self.render()
        return len(self.bubbles) - 1

    def clear_bubbles(self) -> None:
        self.bubbles = []
        self.render()

    def set_empty_text(self, text: str) -> None:
        self.empty_text = text
        self.render()

    def set_header(self, text: str) -> None:
        self.header = text
        self.render()

    def reply_text(self, index: int = -1) -> str:
        replies = [b for b in self.bubbles if b.role == "assistant"]
        return replies[index].text if replies else ""

    def render(self) -> None:
        header = f"<p style='color:#7b8794; font-size:8pt'>{escape(self.header)}</p>" \
            if self.header else ""
        if not self.bubbles:
            self.setHtml(f"{header}<p style='color:#7b8794'>{escape(self.empty_text)}</p>")
            return
        self.setHtml(header + "".join(self._bubble_html(b) for b in self.bubbles))
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _bubble_html(self, bubble: Bubble) -> str:
        if bubble.role == "note":
            return f"<p align='center' style='color:#7b8794'><i>{escape(bubble.text)}</i></p>"
        mine = bubble.role == "user"
        body = _text_html(bubble.text) + ("<span style='color:#2563eb'>▍</span>"
                                          if bubble.streaming else "")
        if bubble.error:
            body += ("<br>" if bubble.text else "") + \
                f"<span style='color:{ERROR_COLOUR}'>{escape(bubble.error)}</span>"
        if not body:  # the model ended its turn at once
            empty = translate("ChatTranscript", "(an empty reply)")
            body = f"<i style='color:#7b8794'>{empty}</i>"
        note = f"<p align='left' style='color:#7b8794; font-size:8pt; margin:0 0 6px 6px'>" \
            f"{escape(bubble.note)}</p>" if bubble.note else ""
        return (f"<table width='100%' cellspacing='0' cellpadding='0' style='margin-top:6px'>"
                f"<tr><td align='{'right' if mine else 'left'}'>"
                f"<table cellspacing='0' cellpadding='8' bgcolor="
                f"'{'#dbeafe' if mine else self.colour}'><tr><td style='color:#1f2933'>{body}"
                f"</td></tr></table>"
                f"</td></tr></table>{note}")
