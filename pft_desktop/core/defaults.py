"""Starting values for pretraining, where they differ from the config dataclasses' defaults.

The dataclasses hold the fine-tuning defaults. Pretraining starts from these few changes, in one
place so that ``pft-desktop pretrain``, ``train --task pretrain`` and the app agree.
"""

from __future__ import annotations

from pft_desktop.core.config import RunConfig


def pretraining_defaults(config: RunConfig | None = None) -> RunConfig:
    """``config`` (or a fresh RunConfig) set up for pretraining.

    Full training, since a model built from scratch has no pretrained weights for LoRA to keep;
    one epoch, batch 32 and lr 5e-4 are the values the ``pretrain`` command has used since the
    first release (not re-measured). Everything else keeps the dataclass default."""
    config = config if config is not None else RunConfig()
    config.task.kind = "pretrain"
    config.method.kind = "full"
    training = config.training
    training.epochs, training.batch_size, training.learning_rate = 1.0, 32, 5e-4
    return config


def fine_tuning_defaults(config: RunConfig) -> RunConfig:
    """Undo ``pretraining_defaults``: the dataclasses' method and run length and step size."""
    fresh = RunConfig()
    config.method.kind = fresh.method.kind
    training, default = config.training, fresh.training
    training.epochs, training.batch_size, training.learning_rate = \
        default.epochs, default.batch_size, default.learning_rate
    return config


def set_task(config: RunConfig, kind: str, from_scratch: str = "") -> RunConfig:
    """Choose the task. Moving into or out of pretraining also moves the values that differ
    between the two to that side's defaults; switching among fine-tuning tasks keeps them."""
    was_pretraining = config.task.kind == "pretrain"
    config.task.kind = kind
    config.pretrain.from_scratch = from_scratch if kind == "pretrain" else ""
    if (kind == "pretrain") != was_pretraining:
        (pretraining_defaults if kind == "pretrain" else fine_tuning_defaults)(config)
    return config
