"""What a training process does for the strategy of a multi-process run (ddp, fsdp, deepspeed).

The launcher side (``core.launch``) refuses what it can tell without torch; this side checks
what only the training process knows (the device it got), names the layers FSDP wraps, and
gathers sharded weights so rank 0 can save the whole model.
"""

from __future__ import annotations

import os

from pft_desktop.core import events
from pft_desktop.core.errors import UserError


def check_strategy(config, device, processes: int) -> None:
    """Refuse before loading the model: the [resources] refusals of the launcher (a run may
    be started by other means, a cluster job), and FSDP or DeepSpeed on a process that got
    no GPU (automatic devices on a machine without one)."""
    from pft_desktop.core.launch import cpu_sharding_error, resource_errors

    if processes <= 1:
        return
    found = resource_errors(config)
    if found:
        raise found[0]
    if config.resources.strategy in ("fsdp", "deepspeed") and device.kind != "cuda":
        raise cpu_sharding_error(config.resources.strategy)


def choose_fsdp_layers(model, config, sink) -> list[str]:
    """FSDP wraps each transformer layer on its own: ``resources.fsdp_layer`` (checked against
    the model) or the model's ``_no_split_modules``. accelerate reads the choice from the
    environment when the Trainer creates its plugin, which comes after this."""
    from pft_desktop.core.launch import guess_fsdp_layers

    classes = {type(module).__name__ for module in model.modules()}
    given = config.resources.fsdp_layer.strip()
    chosen = [given] if given else [name for name in guess_fsdp_layers(model) if name in classes]
    missing = [name for name in chosen if name not in classes]
    if missing or not chosen:
        raise UserError("bad_fsdp_layer", f"The model has no layer class {missing[0]}." if
                        missing else "The model does not name its transformer layers "
                        "(_no_split_modules), so FSDP cannot tell what to wrap.",
                        "Set resources.fsdp_layer to the class of one transformer block "
                        "(for example BertLayer or LlamaDecoderLayer), or leave it empty.")
    os.environ["FSDP_TRANSFORMER_CLS_TO_WRAP"] = ",".join(chosen)
    sink(events.make_event(events.STATUS, text=f"FSDP shards each {', '.join(chosen)}"))
    return chosen


def gathered_state_dict(trainer):
    """The whole model's weights when they are sharded (FSDP, DeepSpeed): every process must
    take part in gathering them, and rank 0 gets them. None otherwise (save as usual)."""
    accelerator = getattr(trainer, "accelerator", None)
    if accelerator is None or not (getattr(trainer, "is_fsdp_enabled", False)
                                   or getattr(trainer, "is_deepspeed_enabled", False)):
        return None
    return accelerator.get_state_dict(trainer.model_wrapped)
