"""Step 2: what to learn (the task, from the registry) and how much of the model to train
(the method). The task comes before the data: it decides which columns the Data page asks
for."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (QButtonGroup, QGridLayout, QGroupBox, QLabel, QRadioButton,
                               QVBoxLayout)

from pft_desktop.core.defaults import set_task
from pft_desktop.core.methods import bitsandbytes_status
from pft_desktop.ui.i18n import core_text
from pft_desktop.ui.pages.base import WizardPage



def task_options() -> list[tuple[str, str, str]]:
    """(key, title, description) of every task in the registry, then the from-scratch
    variants a task offers (key "pretrain-encoder": task "pretrain", from scratch "encoder")."""
    from pft_desktop.core.tasks import all_tasks

    options = []
    for task in all_tasks():
        options.append((task.name, core_text(task.title), core_text(task.description)))
        options += [(f"{task.name}-{key}", core_text(title), core_text(text))
                    for key, title, text in getattr(task, "scratch_choices", ())]
    return options


def split_key(key: str) -> tuple[str, str]:
    """A Task page key as (task id, from-scratch kind)."""
    from pft_desktop.core.tasks import TASK_IDS

    if key in TASK_IDS:
        return key, ""
    task, _, scratch = key.rpartition("-")
    return task, scratch


METHODS = [("lora", "LoRA", QT_TRANSLATE_NOOP(
               "TaskPage", "Trains small adapter matrices (under 1% of the weights). The best "
               "default: fast, light on memory, and the export is a few MB.")),
           ("full", QT_TRANSLATE_NOOP("TaskPage", "Full fine-tuning"), QT_TRANSLATE_NOOP(
               "TaskPage", "Updates every weight. Choose it for small models or when LoRA is "
               "not accurate enough and memory allows.")),
           ("freeze", QT_TRANSLATE_NOOP("TaskPage", "Frozen backbone"), QT_TRANSLATE_NOOP(
               "TaskPage", "Trains only the new head (and optionally the top layers). The "
               "quickest option when the pretrained features already fit the task.")),
           ("qlora-4bit", "QLoRA 4-bit", QT_TRANSLATE_NOOP(
               "TaskPage", "LoRA on a model stored in 4 bits: about a quarter of the memory, "
               "for models that do not fit otherwise. Slightly slower per step.")),
           ("qlora-8bit", "QLoRA 8-bit", QT_TRANSLATE_NOOP(
               "TaskPage", "LoRA on an 8-bit model: half the memory, closer to full precision "
               "than 4-bit."))]


class TaskPage(WizardPage):
    title = QT_TRANSLATE_NOOP("TaskPage", "Task and method")
    subtitle = QT_TRANSLATE_NOOP("TaskPage", "Choose what the model should learn and how much "
                                 "of it to train.")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.task_group, self.method_group = QButtonGroup(self), QButtonGroup(self)
        self.task_buttons: dict[str, QRadioButton] = {}
        self.method_buttons: dict[str, QRadioButton] = {}
        self.content.addWidget(self._group(self.tr("Task"), task_options(), self.task_group,
                                           self.task_buttons, columns=2))
        self.content.addWidget(self._group(self.tr("Method"), [(key, self.tr(name), self.tr(text))
                                                           for key, name, text in METHODS],
                                           self.method_group,
                                           self.method_buttons, columns=2))
        self.content.addStretch(1)
        self.task_group.buttonToggled.connect(self._changed)
        self.method_group.buttonToggled.connect(self._changed)
        self._disable_qlora_if_unavailable()

    def _group(self, title, options, group, buttons, columns: int = 1) -> QGroupBox:
        """Radio buttons with a note under each, filled column by column."""
        box = QGroupBox(title)
        grid = QGridLayout(box)
        per_column = -(-len(options) // columns)
        for index, (key, name, description) in enumerate(options):
            cell = QVBoxLayout()
            grid.addLayout(cell, index % per_column, index // per_column,
                           Qt.AlignmentFlag.AlignTop)
            button = QRadioButton(name)
            button.setObjectName(f"option_{key}")
            note = QLabel(description)
            note.setObjectName("hint")
            note.setWordWrap(True)
            note.setContentsMargins(24, 0, 0, 6)
            group.addButton(button)
            buttons[key] = button
            cell.addWidget(button)
            cell.addWidget(note)
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        return box

    def _disable_qlora_if_unavailable(self) -> None:
        available, reason = bitsandbytes_status()
        for key in ("qlora-4bit", "qlora-8bit"):
            self.method_buttons[key].setEnabled(available)
            if not available:
                self.method_buttons[key].setText(self.tr("{method} (unavailable: {reason})")
                                                 .format(method=self.method_buttons[key].text(),
                                                         reason=core_text(reason)))

    def available_tasks(self) -> set[str]:
        """The chosen model's tasks, and the from-scratch variants (they need no model)."""
        tasks = set((self.state.model_info or {}).get("tasks") or [])
        if self.state.config.from_scratch:
            tasks = set()
        return tasks | {key for key in self.task_buttons if split_key(key)[1]}

    def task_key(self) -> str:
        config = self.state.config
        return f"{config.task.kind}-{config.pretrain.from_scratch}" if config.from_scratch \
            else config.task.kind

    def enter(self) -> None:
        config = self.state.config
        from pft_desktop.core.tasks import get_task

        available = self.available_tasks()
        for key, button in self.task_buttons.items():
            button.setEnabled(key in available)
            # Why not, and which models can: the task's own hint ("seq2seq needs an
            # encoder-decoder model such as T5 or BART").
            button.setToolTip("" if key in available else self.tr(
                "The chosen model cannot do this task.") + " " +
                core_text(get_task(split_key(key)[0]).model_hint))
        self._enable_methods()
        for group, buttons, value in ((self.task_group, self.task_buttons, self.task_key()),
                                      (self.method_group, self.method_buttons,
                                       config.method.kind)):
            group.blockSignals(True)
            if value in buttons:
                buttons[value].setChecked(True)
            group.blockSignals(False)

    def _enable_methods(self) -> None:
        from pft_desktop.core.tasks import get_task

        config = self.state.config
        allowed = {"full"} if config.from_scratch else set(get_task(config.task.kind).methods)
        available, _ = bitsandbytes_status()
        for key, button in self.method_buttons.items():
            button.setEnabled(key in allowed and (available or not key.startswith("qlora")))
        if config.method.kind not in allowed:
            config.method.kind = "full"
            self.method_buttons["full"].setChecked(True)

    def _changed(self, *_) -> None:
        config = self.state.config
        for key, button in self.task_buttons.items():
            if button.isChecked() and self.task_key() != key:
                set_task(config, *split_key(key))
                self.state.report = None  # the mapping must be checked for the new task
                self.state.notify("task")
                self._enable_methods()
        for key, button in self.method_buttons.items():
            if button.isChecked():
                config.method.kind = key
        self.state.notify("method")
        self.completeChanged.emit()

    def problems(self) -> list[str]:
        if self.task_key() not in self.available_tasks():
            return [self.tr("The model cannot do {task}; pick another task.").format(
                task=self.state.config.task.kind)]
        return []
