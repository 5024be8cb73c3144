"""Starting values of a task, where they differ from the config dataclasses' defaults.

The dataclasses hold the fine-tuning defaults; a task declares its few changes
(``Task.defaults``: pretraining trains fully, for one epoch, at a higher learning rate), so
that ``pft-desktop pretrain``, ``train --task pretrain`` and the app agree.
"""

from __future__ import annotations

from pft_desktop.core.config import RunConfig
from pft_desktop.core.tasks import get_task


def pretraining_defaults(config: RunConfig | None = None, from_scratch: str = "") -> RunConfig:
    """``config`` (or a fresh RunConfig) set up for pretraining a new model (``from_scratch``
    'encoder' or 'decoder') or continuing one (see PretrainTask.defaults)."""
    config = config if config is not None else RunConfig()
    config.task.kind = "pretrain"
    config.pretrain.from_scratch = from_scratch
    return _apply_defaults(config, task_defaults("pretrain", from_scratch))


def task_defaults(kind: str, from_scratch: str = "") -> dict:
    """A task's starting values; a new model's (``from_scratch``) may differ from continuing
    a pretrained one's (pretraining: a far higher learning rate)."""
    task = get_task(kind)
    extra = getattr(task, "scratch_defaults", {}) if from_scratch else {}
    return {**task.defaults, **extra}


def _apply_defaults(config: RunConfig, defaults: dict) -> RunConfig:
    """The method and run length and step size a task starts from: the dataclasses' values,
    with the task's own changes ("method.kind" or a training field: value)."""
    fresh = RunConfig()
    config.method.kind = defaults.get("method.kind", fresh.method.kind)
    for name in ("epochs", "batch_size", "learning_rate"):
        setattr(config.training, name, defaults.get(f"training.{name}",
                                                    getattr(fresh.training, name)))
    return config


def set_task(config: RunConfig, kind: str, from_scratch: str = "") -> RunConfig:
    """Choose the task. Moving between tasks whose starting values differ (into or out of
    pretraining, or between a new model and a pretrained one) also moves those values to the
    new task's; otherwise they are kept."""
    before = task_defaults(config.task.kind, config.pretrain.from_scratch)
    config.task.kind = kind
    config.pretrain.from_scratch = from_scratch if "pretrain" in get_task(kind).sections else ""
    after = task_defaults(kind, config.pretrain.from_scratch)
    if before != after:
        _apply_defaults(config, after)
    return config
