"""The try box of a chat model: a multi-turn chat with the tuned model, its replies streamed
as they are generated, the generation settings in one row, and the base model's replies to the
same messages beside them on request.

The box speaks `pft-desktop serve`'s chat protocol (core.serve) through a ``write`` function
the page gives it; the page hands every line the server sends back to ``served``. Each model
keeps its own conversation: the base model sees its own earlier replies, not the tuned one's.
"""

from __future__ import annotations

import itertools
import json
from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QDoubleSpinBox, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from pft_desktop.ui.widgets.chat_transcript import ChatTranscript, reply_note

COLUMNS = ("tuned", "base")


def parse_stop_strings(text: str) -> list[str]:
    """Comma-separated stop strings; \\n and \\t stand for a new line and a tab."""
    found = []
    for part in text.split(","):
        part = part.strip().replace("\\n", "\n").replace("\\t", "\t")
        if part and part not in found:
            found.append(part)
    return found


def _column(title: QLabel, transcript: ChatTranscript) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(title)
    layout.addWidget(transcript, 1)
    return box


class ChatBox(QGroupBox):
    replied = Signal()  # every reply asked for has ended (with a result or an error)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Chat with the model"))
        self.write: Callable[[str], None] | None = None
        self.system_prompt = ""
        self.conversations: dict[str, list[dict]] = {name: [] for name in COLUMNS}
        self.pending: dict[int, tuple[str, int]] = {}  # request id -> (column, bubble)
        self.streamed: dict[int, int] = {}              # request id -> pieces received
        self.ids = itertools.count(1)
        layout = QVBoxLayout(self)
        layout.addLayout(self._settings_row())
        columns = QHBoxLayout()
        self.titles = {name: QLabel() for name in COLUMNS}
        self.transcripts = {"tuned": ChatTranscript("#eef2f7"),
                            "base": ChatTranscript("#fef3c7")}
        self.columns = {name: _column(self.titles[name], self.transcripts[name])
                        for name in COLUMNS}
        for name in COLUMNS:
            columns.addWidget(self.columns[name], 1)
        self.columns["base"].setVisible(False)
        self.set_names(self.tr("the tuned model"), "")
        self.transcripts["tuned"].set_empty_text(self.tr("Say something to the model."))
        layout.addLayout(columns, 1)
        layout.addLayout(self._input_row())
        self.status = QLabel(self.tr("The model loads in the background when this page opens."))
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self._update_buttons()

    def _settings_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setSpecialValueText(self.tr("0 (greedy)"))
        self.temperature.setToolTip(self.tr("0 takes the likeliest token every time (the same "
                                            "reply each time); higher values give more varied "
                                            "replies."))
        self.temperature.valueChanged.connect(
            lambda value: self.top_p.setEnabled(value > 0))
        self.top_p = QDoubleSpinBox()
        self.top_p.setRange(0.05, 1.0)
        self.top_p.setSingleStep(0.05)
        self.top_p.setValue(1.0)
        self.top_p.setEnabled(False)
        self.top_p.setToolTip(self.tr("Sample only from the likeliest tokens that together hold "
                                      "this share of the probability (with a temperature above "
                                      "0)."))
        self.max_new_tokens = QSpinBox()
        self.max_new_tokens.setRange(1, 4096)
        self.max_new_tokens.setValue(128)
        self.max_new_tokens.setToolTip(self.tr("The longest reply, in tokens."))
        self.stop_strings = QLineEdit()
        self.stop_strings.setPlaceholderText(self.tr("none"))
        self.stop_strings.setToolTip(self.tr("The reply ends before any of these texts; separate "
                                             "them with commas, \\n stands for a new line. It also "
                                             "ends at the chat template's end of turn."))
        self.compare = QCheckBox(self.tr("Compare with base model"))
        self.compare.setToolTip(self.tr("The base model answers the same messages beside the "
                                        "tuned one (loaded when first asked, unless the run is a "
                                        "LoRA adapter: then it is the same model with the adapter "
                                        "off)."))
        self.compare.toggled.connect(self.set_compare)
        for label, editor in ((self.tr("Temperature"), self.temperature),
                              (self.tr("Top-p"), self.top_p),
                              (self.tr("Max new tokens"), self.max_new_tokens),
                              (self.tr("Stop at"), self.stop_strings)):
            caption = QLabel(label)
            caption.setBuddy(editor)
            editor.setAccessibleName(label)
            row.addWidget(caption)
            row.addWidget(editor, 1 if editor is self.stop_strings else 0)
        row.addSpacing(8)
        row.addWidget(self.compare)
        return row

    def _input_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.message = QLineEdit()
        self.message.setPlaceholderText(self.tr("Write a message and press Enter"))
        self.message.setAccessibleName(self.tr("Message"))
        self.message.returnPressed.connect(self.send)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("primary")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop)
        self.new_button = QPushButton(self.tr("New chat"))
        self.new_button.clicked.connect(self.new_chat)
        row.addWidget(self.message, 1)
        for button in (self.send_button, self.stop_button, self.new_button):
            row.addWidget(button)
        return row

    # -- set up by the page ------------------------------------------------------------------
    def set_writer(self, write: Callable[[str], None] | None) -> None:
        """Where requests go (the server's stdin), or None while there is no server: replies
        still pending then end with a note."""
        self.write = write
        if write is None:
            for rid in list(self.pending):
                self._failed(rid, self.tr("The model stopped before replying."))
        self._update_buttons()

    def set_names(self, tuned: str, base: str) -> None:
        self.titles["tuned"].setText(self.tr("<b>Tuned:</b> {model}").format(model=tuned))
        self.titles["base"].setText(self.tr("<b>Base model:</b> {model}").format(
            model=base or self.tr("the model it started from")))

    def set_system_prompt(self, text: str) -> None:
        """Sent first with every message, as the run was trained with it."""
        self.system_prompt = text.strip()
        for transcript in self.transcripts.values():
            transcript.set_header(self.tr("System prompt: {prompt}").format(
                prompt=self.system_prompt) if self.system_prompt else "")

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    # -- the conversation --------------------------------------------------------------------
    def settings(self) -> dict:
        return {"temperature": round(self.temperature.value(), 3),
                "top_p": round(self.top_p.value(), 3),
                "max_new_tokens": self.max_new_tokens.value(),
                "stop": parse_stop_strings(self.stop_strings.text())}

    def active_columns(self) -> list[str]:
        return ["tuned", "base"] if self.compare.isChecked() else ["tuned"]

    def send(self) -> None:
        """The message to every model shown, each with its own conversation so far."""
        text = self.message.text().strip()
        if not text or self.pending or self.write is None:
            return
        self.message.clear()
        settings = self.settings()
        system = [{"role": "system", "content": self.system_prompt}] if self.system_prompt \
            else []
        for column in self.active_columns():
            conversation = self.conversations[column]
            conversation.append({"role": "user", "content": text})
            transcript = self.transcripts[column]
            transcript.add("user", text)
            rid = next(self.ids)
            self.pending[rid] = (column, transcript.add("assistant", streaming=True))
            self.streamed[rid] = 0
            self.write(json.dumps({"id": rid, "model": column, "settings": settings,
                                   "messages": system + conversation}))
        self._update_buttons()

    def stop(self) -> None:
        if self.write is not None:
            for rid in self.pending:
                self.write(json.dumps({"stop": rid}))

    def new_chat(self) -> None:
        self.stop()
        self.pending.clear()
        for column in COLUMNS:
            self.conversations[column] = []
            self.transcripts[column].clear_bubbles()
        self._update_buttons()

    def set_compare(self, on: bool) -> None:
        """The base model joins with the conversation so far (the tuned model's replies in
        it), or leaves."""
        self.columns["base"].setVisible(on)
        base = self.transcripts["base"]
        leaving = [rid for rid, (column, _) in self.pending.items() if column == "base"]
        for rid in leaving:
            if self.write is not None:
                self.write(json.dumps({"stop": rid}))
            del self.pending[rid]
        earlier = [dict(turn) for turn in self.conversations["tuned"]] if on else []
        if earlier and earlier[-1]["role"] == "user":  # its reply is still coming
            earlier.pop()
        self.conversations["base"] = earlier
        base.clear_bubbles()
        if on and self.conversations["base"]:
            base.add("note", self.tr("Earlier replies in this chat are the tuned model's."))
            for turn in self.conversations["base"]:
                base.add(turn["role"], turn["content"])
        base.set_empty_text(self.tr("The base model answers your next message here."))
        self._update_buttons()
        if leaving and not self.pending:
            self.replied.emit()

    # -- what the server sends back ----------------------------------------------------------
    def served(self, message: dict) -> bool:
        """Show one line of the server's reply; False when it is not about this chat."""
        rid = message.get("id")
        if not isinstance(rid, int) or rid not in self.pending:
            return "id" in message  # an answer to a chat that was cleared: dropped
        column, index = self.pending[rid]
        transcript = self.transcripts[column]
        bubble = transcript.bubbles[index]
        kind = message.get("type")
        if kind == "token":
            bubble.text += str(message.get("token", ""))
            self.streamed[rid] += 1
            transcript.render()
        elif kind == "result":
            result = message.get("result") or {}
            bubble.text, bubble.streaming = str(result.get("text", "")), False
            bubble.note = reply_note(result)
            self.conversations[column].append({"role": "assistant", "content": bubble.text})
            transcript.render()
            self._done(rid)
        elif kind == "error":
            from pft_desktop.ui.i18n import core_error

            self._failed(rid, core_error(message))
        return True

    def _failed(self, rid: int, text: str) -> None:
        column, index = self.pending[rid]
        transcript = self.transcripts[column]
        bubble = transcript.bubbles[index]
        bubble.streaming, bubble.error = False, text
        conversation = self.conversations[column]
        if conversation and conversation[-1]["role"] == "user":
            conversation.pop()  # unanswered: the next message must not follow it
        transcript.render()
        self._done(rid)

    def _done(self, rid: int) -> None:
        del self.pending[rid]
        self._update_buttons()
        if not self.pending:
            self.replied.emit()

    def _update_buttons(self) -> None:
        busy = bool(self.pending)
        self.send_button.setEnabled(self.write is not None and not busy)
        self.stop_button.setEnabled(busy)
        self.new_button.setEnabled(any(t.bubbles for t in self.transcripts.values()))

    def reply_texts(self) -> dict[str, str]:
        """The latest reply of each model shown."""
        return {column: self.transcripts[column].reply_text() for column in
                self.active_columns()}
