"""Base against tuned: type a text once and see the base model's and each run's answer side by
side. Each model is served by its own ``pft-desktop serve`` child, loaded in the background on
the first question."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout)

from pft_desktop.core.config import RunConfig
from pft_desktop.core.errors import UserError
from pft_desktop.core.models import display_name
from pft_desktop.core.rundir import RUN_INFO, RunFolder
from pft_desktop.ui.child import ChildProcess
from pft_desktop.ui.widgets.prediction import ERROR_COLOUR, prediction_html

translate = QCoreApplication.translate  # the name pyside6-lupdate reads



@dataclass
class ModelColumn:
    """One answer column: a model to serve, or a note saying why there is none."""

    title: str
    model_dir: str = ""
    note: str = ""
    colour: str = "#1f2933"


def base_model_column(config: RunConfig) -> ModelColumn:
    """The run's base model, where it can answer for the run's task itself (its config.json
    names the task's head: a classifier with its own labels, a causal language model). A bare
    encoder has no classification head yet, so it cannot classify before fine-tuning: the
    column says so instead of guessing."""
    from pft_desktop.ui.i18n import core_text

    source = config.model.name_or_path
    title = translate("BaseVsTuned", "Base: {model}").format(model=display_name(source)) \
        if source else translate("BaseVsTuned", "Base model")
    if not source:
        return ModelColumn(title, note=translate("BaseVsTuned", "Built from scratch: there is "
                                                 "no base model."))
    folder = _local_model(source)
    if folder is None:
        return ModelColumn(title, note=translate("BaseVsTuned", "{model} is not on this computer "
                                                 "(nor in the Hugging Face cache).").format(
            model=source))
    from pft_desktop.core.tasks import get_task

    task = get_task(config.task.kind)
    try:
        model_config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        model_config = {}
    if not isinstance(model_config, dict) or not task.claims(model_config):
        return ModelColumn(title, note=translate("BaseVsTuned", "The base model has no {task} "
                                                 "head yet: before fine-tuning it cannot answer "
                                                 "for this task.").format(
            task=core_text(task.title).lower()))
    return ModelColumn(title, model_dir=str(folder))


def _local_model(source: str) -> Path | None:
    path = Path(source).expanduser()
    if path.is_dir():
        return path
    from pft_desktop.core.models import cached_hub_models

    for model in cached_hub_models():
        if model.get("id") == source:
            return Path(model["path"])
    return None


def run_column(folder: RunFolder, colour: str) -> ModelColumn:
    if folder.is_live():
        return ModelColumn(folder.name, note=translate(
            "BaseVsTuned", "Still training: ask again when it has ended."), colour=colour)
    if not (folder.model_dir / RUN_INFO).is_file():
        return ModelColumn(folder.name, note=translate("BaseVsTuned", "This run saved no model."),
                           colour=colour)
    return ModelColumn(folder.name, model_dir=str(folder.path), colour=colour)


def columns_for(folders: list[RunFolder], colours: list[str]) -> list[ModelColumn]:
    """The base models of these runs (each once) and then the runs themselves."""
    columns, bases = [], set()
    for folder in folders:
        try:
            config = folder.load_config()
        except (UserError, OSError):  # an unreadable config: no base column for it
            continue
        if config.model.name_or_path not in bases:
            bases.add(config.model.name_or_path)
            columns.append(base_model_column(config))
    return columns + [run_column(f, c) for f, c in zip(folders, colours)]


class BaseVsTuned(QGroupBox):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Base against tuned: the same text, every model's answer"))
        layout = QVBoxLayout(self)
        line = QHBoxLayout()
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Type a text once and press Enter; each model answers "
                                             "(they load in the background the first time)"))
        self.text.returnPressed.connect(self.predict)
        self.button = QPushButton(self.tr("Predict"))
        self.button.clicked.connect(self.predict)
        line.addWidget(self.text, 1)
        line.addWidget(self.button)
        layout.addLayout(line)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        layout.addLayout(self.grid)
        self.columns: list[ModelColumn] = []
        self.answers: list[QLabel] = []
        self.servers: list[ChildProcess | None] = []
        self.ready: list[bool] = []
        self.asked = ""

    def set_columns(self, columns: list[ModelColumn]) -> None:
        self.shutdown()
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.columns, self.answers, self.servers, self.ready = columns, [], [], []
        self.asked = ""
        for number, column in enumerate(columns):
            card = QFrame()
            card.setObjectName("card")
            inner = QVBoxLayout(card)
            title = QLabel(f"<span style='color:{column.colour}'>●</span> <b>{column.title}</b>")
            title.setToolTip(column.model_dir or column.note)
            answer = QLabel(column.note or self.tr("Waiting for a text."))
            answer.setObjectName("hint")
            answer.setWordWrap(True)
            answer.setAlignment(Qt.AlignmentFlag.AlignTop)
            answer.setMinimumHeight(60)
            answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            inner.addWidget(title)
            inner.addWidget(answer, 1)
            self.grid.addWidget(card, number // 4, number % 4)
            self.answers.append(answer)
            self.servers.append(None)
            self.ready.append(False)

    def predict(self) -> None:
        text = self.text.text().strip()
        if not text:
            return
        self.asked = text
        for number, column in enumerate(self.columns):
            if not column.model_dir:
                continue
            server = self.servers[number]
            if server is None:
                server = self._serve(number, column.model_dir)
            if self.ready[number]:
                self.answers[number].setText(self.tr("Thinking…"))
                server.write_line(json.dumps({"text": text}))
            else:
                self.answers[number].setText(self.tr("Loading the model; the answer follows…"))

    def _serve(self, number: int, model_dir: str) -> ChildProcess:
        server = ChildProcess(self)
        server.message.connect(lambda message, n=number: self._answered(n, message))
        server.done.connect(lambda outcome, n=number: self._server_ended(n, outcome))
        self.servers[number] = server
        server.start("serve", model_dir)
        return server

    def _answered(self, number: int, message: dict) -> None:
        if message.get("type") == "ready":
            self.ready[number] = True
            if self.asked:
                self.servers[number].write_line(json.dumps({"text": self.asked}))
        elif message.get("type") == "result" and message.get("input") != self.asked:
            return  # the answer to an earlier text
        elif message.get("type") in ("result", "error"):
            self.answers[number].setText(prediction_html(message, bar_width=16))

    def _server_ended(self, number: int, outcome) -> None:
        self.ready[number], self.servers[number] = False, None
        if not outcome.was_successful():
            self.answers[number].setText(f"<span style='color:{ERROR_COLOUR}'>" + self.tr(
                "The model could not be loaded: {reason}").format(reason=outcome) + "</span>")

    def answer_texts(self) -> list[str]:
        return [label.text() for label in self.answers]

    def shutdown(self) -> None:
        for server in self.servers:
            if server is not None:
                server.cancel()
