"""The task registry: every task the app, the command line, the model card, predict and export
know of. Each task is one module that declares everything about itself (see ``base.Task``);
adding a task means adding its module and one line here.

Modules are imported when first asked for, so reading the list stays cheap.
"""

from __future__ import annotations

import importlib

from pft_desktop.core.errors import UserError
from pft_desktop.core.tasks.base import PreparedData, Role, Task, TryField

# id -> module:class, in the order the Task page lists them.
REGISTRY = {
    "classification": "classification:ClassificationTask",
    "pair-classification": "pairs:PairClassificationTask",
    "multi-label": "multi_label:MultiLabelTask",
    "regression": "regression:RegressionTask",
    "token-classification": "token_classification:TokenClassificationTask",
    "question-answering": "question_answering:QuestionAnsweringTask",
    "seq2seq": "seq2seq:Seq2SeqTask",
    "image-classification": "image_classification:ImageClassificationTask",
    "causal-lm": "causal_lm:CausalLMTask",
    "preference": "preference:PreferenceTask",
    "pretrain": "pretrain:PretrainTask",
}


def _available() -> dict[str, str]:
    """Registered tasks whose module exists in this installation."""
    from importlib.util import find_spec

    return {name: target for name, target in REGISTRY.items()
            if find_spec(f"{__name__}.{target.split(':')[0]}") is not None}


TASK_IDS = tuple(_available())


def get_task(kind: str) -> Task:
    if kind not in TASK_IDS:
        raise UserError("invalid_config", f"Unknown task '{kind}'.",
                        f"Choose one of: {', '.join(TASK_IDS)}.")
    module, cls = REGISTRY[kind].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)()


def all_tasks() -> list[Task]:
    return [get_task(kind) for kind in TASK_IDS]


def tasks_for(heads: list[str]) -> list[str]:
    """The ids of the tasks a model with these transformers heads can be trained for."""
    return [task.name for task in all_tasks() if task.fits(heads)]


def task_of_folder(model_config: dict) -> str:
    """The task a model folder without pft-desktop's run info was trained for, from its
    config.json; "" when none claims it (a bare pretrained backbone)."""
    for task in all_tasks():
        if task.claims(model_config):
            return task.name
    return ""


__all__ = ["PreparedData", "Role", "Task", "TryField", "TASK_IDS", "all_tasks", "get_task",
           "task_of_folder", "tasks_for"]
