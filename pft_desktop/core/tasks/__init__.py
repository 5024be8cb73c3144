"""Tasks: what the model learns. Each task module turns mapped columns into tokenized examples,
names its model class, collator and metrics. Add a task by adding a module and registering it."""

from __future__ import annotations

from pft_desktop.core.errors import UserError
from pft_desktop.core.tasks.base import PreparedData, Task


def get_task(kind: str) -> Task:
    from pft_desktop.core.tasks.causal_lm import CausalLMTask
    from pft_desktop.core.tasks.classification import ClassificationTask
    from pft_desktop.core.tasks.pretrain import PretrainTask

    registry = {"classification": ClassificationTask, "causal-lm": CausalLMTask,
                "pretrain": PretrainTask}
    if kind not in registry:
        raise UserError("invalid_config", f"Unknown task '{kind}'.",
                        f"Choose one of: {', '.join(registry)}.")
    return registry[kind]()


__all__ = ["PreparedData", "Task", "get_task"]
