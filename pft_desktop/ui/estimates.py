"""Text for the memory and time estimates the Model and Hyperparameters pages show."""

from __future__ import annotations

from pft_desktop.core.estimate import (estimate_memory, estimate_seconds_per_step,
                                       planned_steps)
from pft_desktop.core.models import human_bytes


def available_memory() -> int:
    try:
        import psutil

        return int(psutil.virtual_memory().total)
    except ImportError:
        return 0


def current_estimate(state):
    info, config = state.model_info, state.config
    if not info:
        return None
    heads = max(1, info.get("hidden_size", 64) // 64)
    return estimate_memory(
        info["parameters"], info.get("hidden_size", 0), info.get("num_layers", 0), heads,
        method=config.method.kind, batch_size=config.training.batch_size,
        seq_len=config.task.max_length, lora_r=config.method.lora_r,
        top_layers=config.method.trainable_top_layers,
        gradient_checkpointing=config.method.gradient_checkpointing)


def memory_text(state) -> str:
    estimate = current_estimate(state)
    if estimate is None:
        return ""
    config = state.config
    text = (f"Estimated training memory with {config.method.kind}, batch "
            f"{config.training.batch_size} and up to {config.task.max_length} tokens: about "
            f"{human_bytes(estimate.total)} (weights {human_bytes(estimate.weights)}, optimizer "
            f"and gradients {human_bytes(estimate.optimizer + estimate.gradients)}, activations "
            f"{human_bytes(estimate.activations)}).")
    total = available_memory()
    if total and estimate.total > 0.8 * total:
        text += (f" ⚠ That is close to or above this computer's {human_bytes(total)} of memory: "
                 "lower the batch size or max length, or use LoRA/QLoRA.")
    return text


def time_text(state, rows: int, tokens_per_row: float) -> str:
    estimate = current_estimate(state)
    if estimate is None or not rows:
        return ""
    config = state.config.training
    seconds = estimate_seconds_per_step(state.model_info["parameters"],
                                        estimate.trainable_parameters, config.batch_size,
                                        tokens_per_row)
    steps = planned_steps(rows, config.batch_size, config.gradient_accumulation, config.epochs,
                          config.max_steps)
    total = seconds * steps
    shown = f"{total / 60:.0f} min" if total >= 90 else f"{total:.0f} s"
    return (f"About {steps} steps; roughly {shown} on a CPU like this one (a GPU is usually "
            "10–100× faster). The Train page shows the real ETA.")
