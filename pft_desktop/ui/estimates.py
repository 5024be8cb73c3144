"""Text for the memory and time estimates the Model and Hyperparameters pages show."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from pft_desktop.core.estimate import (TOKEN_HEADS, batch_plan, estimate_memory,
                                       estimate_seconds_per_step, first_token_only,
                                       planned_steps)
from pft_desktop.core.launch import trains_on_cpu
from pft_desktop.core.models import human_bytes
from pft_desktop.core.tasks import get_task
from pft_desktop.ui.i18n import core_text

translate = QCoreApplication.translate  # the name pyside6-lupdate reads


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
    resources = config.resources
    return estimate_memory(
        info["parameters"], info.get("hidden_size", 0), info.get("num_layers", 0), heads,
        method=config.method.kind, batch_size=config.training.batch_size,
        seq_len=config.task.max_length, lora_r=config.method.lora_r,
        top_layers=config.method.trainable_top_layers,
        gradient_checkpointing=config.method.gradient_checkpointing,
        processes=resources.processes, strategy=resources.strategy,
        zero_stage=resources.zero_stage, on_cpu=trains_on_cpu(resources.devices))


def current_batch_plan(config):
    t, resources = config.training, config.resources
    return batch_plan(t.batch_size, t.gradient_accumulation, resources.processes,
                      resources.keep_global_batch)


def memory_text(state) -> str:
    estimate = current_estimate(state)
    if estimate is None:
        return ""
    config = state.config
    processes = config.resources.processes
    where = translate("Estimates", "training memory") if processes == 1 else \
        translate("Estimates", "memory per device ({processes} processes, {strategy})").format(
            processes=processes, strategy=config.resources.strategy)
    text = translate("Estimates", "Estimated {where} with {method}, batch {batch} and up to "
                     "{tokens} tokens: about {total} (weights {weights}, optimizer and "
                     "gradients {optimizer}, activations {activations}).").format(
        where=where, method=config.method.kind, batch=config.training.batch_size,
        tokens=config.task.max_length, total=human_bytes(estimate.total),
        weights=human_bytes(estimate.weights),
        optimizer=human_bytes(estimate.optimizer + estimate.gradients),
        activations=human_bytes(estimate.activations))
    if estimate.process:
        text += translate("Estimates", " That includes about {memory} for the training process "
                          "itself (PyTorch and its libraries) when it runs on this CPU.").format(
            memory=human_bytes(estimate.process))
    text += past_memory_text(state)
    total = available_memory()
    on_cpu = trains_on_cpu(config.resources.devices)
    needed = estimate.total * (processes if on_cpu else 1)  # CPU processes share it
    if total and needed > 0.8 * total:
        text += translate("Estimates", " ⚠ That is close to or above this computer's {memory} "
                          "of memory: lower the batch size or max length, or use "
                          "LoRA/QLoRA.").format(
            memory=human_bytes(total))
    return text


def batch_text(config) -> str:
    """The global batch: rows per optimizer step over every process, and how it is made."""
    plan = current_batch_plan(config)
    if plan.processes == 1:
        return ""
    text = translate("Estimates", "Global batch {rows} rows per step: batch {batch} × gradient "
                     "accumulation {accumulation} × {processes} processes.").format(
        rows=plan.global_batch, batch=plan.batch_size, accumulation=plan.accumulation,
        processes=plan.processes)
    return f"{text} {plan.note()}" if plan.note() else text


def time_text(state, rows: int, tokens_per_row: float) -> str:
    estimate = current_estimate(state)
    if estimate is None or not rows:
        return ""
    config = state.config.training
    plan = current_batch_plan(state.config)
    # The time to compute a whole optimizer step's rows on this computer (CPU processes share
    # it; accumulation computes several batches a step).
    info = state.model_info
    head = get_task(state.config.task.kind).auto_class_for({})
    on_cpu = trains_on_cpu(state.config.resources.devices)
    seconds = estimate_seconds_per_step(
        info["parameters"], estimate.trainable_parameters, plan.global_batch, tokens_per_row,
        layers=info.get("num_layers", 0), hidden=info.get("hidden_size", 0),
        first_token=first_token_only(info.get("model_type", ""), head, on_cpu,
                                     state.config.method.cpu_speedups),
        token_head=head in TOKEN_HEADS)
    steps = planned_steps(rows, config.batch_size, plan.accumulation, config.epochs,
                          config.max_steps, plan.processes)
    total = seconds * steps
    past = past_runs_for(state)
    if past is not None:  # finished runs with these settings measured their steps
        tokens = tokens_per_row * plan.global_batch
        each = past.seconds_for(tokens)
        total = each * steps
        return translate("Estimates", "About {steps} steps; roughly {time} at {each:.2f} s a step, "
                         "measured {where}. The Train page shows the real ETA.").format(
            steps=steps, time=duration_text(total), each=each, where=core_text(past.note()))
    pace = machine_pace_for(state)
    if pace is not None:  # the rule, at the pace this computer's latest runs measured
        each = seconds * pace.factor
        return translate("Estimates", "About {steps} steps; roughly {time} at {each:.2f} s a "
                         "step, {where}. The Train page shows the real ETA.").format(
            steps=steps, time=duration_text(each * steps), each=each,
            where=core_text(pace.note()))
    return translate("Estimates", "About {steps} steps; roughly {time} on a CPU like this one (a "
                     "GPU is usually 10–100× faster). The Train page shows the real "
                     "ETA.").format(steps=steps, time=duration_text(total))


def duration_text(total: float) -> str:
    return translate("Estimates", "{minutes:.0f} min").format(minutes=total / 60) \
        if total >= 90 else translate("Estimates", "{seconds:.0f} s").format(seconds=total)


def machine_pace_for(state):
    """How fast this computer ran its latest runs against the rule (core.estimate_history),
    or None."""
    from pft_desktop.core.estimate_history import machine_pace

    try:
        return machine_pace(state.config)
    except (OSError, ValueError):
        return None


def past_runs_for(state):
    """What finished runs with these settings measured (core.estimate_history), or None."""
    if not state.model_info:
        return None
    from pft_desktop.core.estimate_history import past_runs

    try:
        return past_runs(state.config)
    except (OSError, ValueError):
        return None  # an unreadable runs folder: the rule of thumb stands


def past_memory_text(state) -> str:
    past = past_runs_for(state)
    if past is None or not past.peak_memory_bytes:
        return ""
    return translate("Estimates", " Measured peak {memory}, {where}.").format(
        memory=human_bytes(past.peak_memory_bytes), where=core_text(past.note()))
