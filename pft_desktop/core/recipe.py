"""The training recipe: prepare (check everything, touch nothing), then train, evaluate, save.

One function per phase, no class tree. ``prepare`` validates the config, finds and inspects the
model, loads and checks the data and tokenizes it, so that bad input fails before a run folder
exists. ``run_training`` is what the runner process and the command line both call.
"""

from __future__ import annotations

import logging
import math
import shutil
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from pft_desktop.core import events, ranks, strategies
from pft_desktop.core.config import RunConfig
from pft_desktop.core.cpu_matmul import matmul_precision_restored
from pft_desktop.core.errors import UserError, explain_exception
from pft_desktop.core.library_noise import new_layers_message, quiet_libraries
from pft_desktop.core.models import ModelInfo, inspect_model, resolve_model
from pft_desktop.core.rundir import (RUN_INFO, RunFolder, check_new_folder, ordinary_permissions,
                                     write_json)
from pft_desktop.core.tasks import PreparedData, Task, get_task
from pft_desktop.core.tasks.base import load_tokenizer  # noqa: F401  (used by callers)

log = logging.getLogger("pft_desktop")


@dataclass
class Prepared:
    config: RunConfig
    task: Task
    model: ModelInfo
    tokenizer: object
    data: PreparedData


@dataclass
class RunOutcome:
    status: str                      # finished | stopped | failed
    metrics: dict = field(default_factory=dict)
    error: UserError | None = None
    run_dir: Path | None = None

    def was_successful(self) -> bool:
        return self.status in ("finished", "stopped")

    def __str__(self) -> str:
        if self.error is not None:
            return f"Run failed: {self.error}"
        shown = ", ".join(f"{k} {v:.4g}" for k, v in self.metrics.items()
                          if isinstance(v, float))
        return f"Run {self.status}" + (f": {shown}" if shown else ".")


def prepare(config: RunConfig, sink=lambda event: None) -> Prepared:
    """Check and load everything a run needs, raising UserError before anything is written."""
    config.validate()
    task = get_task(config.task.kind)
    parent = None
    if config.from_scratch:
        info = task.new_model_info(config)
    else:
        sink(events.make_event(events.STATUS, text="Checking the model"))
        path = resolve_model(config.model.name_or_path, config.model.revision, progress=sink)
        parent = parent_weights(config)
        if parent is not None and not parent.get("is_adapter"):
            path = parent["model_dir"]  # full weights: they are the starting model
        info = inspect_model(path, source=config.model.name_or_path,
                             trust_remote_code=config.model.trust_remote_code)
        if info.is_adapter:
            raise UserError("adapter_as_base", f"{path} holds a LoRA adapter, not a full model.",
                            "Export the run as a merged model first, and fine-tune that.")
        task.check_model(info)
    sink(events.make_event(events.STATUS, text="Reading the data"))
    from pft_desktop.core.check_cache import reuse_for_run

    reuse_for_run(task, config, info, sink)  # token lengths a check of these inputs found
    data, tokenizer = task.read_data(config, info, sink)
    if parent is not None:
        _check_parent_labels(parent, data.label_names)
    sink(events.make_event(events.DATA_REPORT, **data.report.to_dict()))
    return Prepared(config, task, info, tokenizer, data)


def parent_weights(config: RunConfig) -> dict | None:
    """For "Train more": the finished run whose weights this run starts from, as its saved
    model's run info plus ``model_dir``; None for a run that starts from the pretrained model."""
    if not config.model.start_from:
        return None
    parent = RunFolder(config.model.start_from)
    info_file = parent.model_dir / RUN_INFO
    if not parent.exists() or not info_file.is_file():
        raise UserError("no_parent_model", f"{parent.path} has no trained model to start from.",
                        "Choose a run that finished or was stopped (it saves its model), or "
                        "clear 'Start from run'.")
    import json

    info = json.loads(info_file.read_text(encoding="utf-8"))
    if info.get("is_adapter") and not config.method.kind.startswith(("lora", "qlora")):
        raise UserError("parent_is_adapter", f"The run {parent.name} trained a LoRA adapter; "
                        f"'{config.method.kind}' cannot continue it.", "Keep the method LoRA "
                        "(or QLoRA), or export the run as a merged model and fine-tune that.")
    return {**info, "model_dir": str(parent.model_dir), "run": str(parent.path)}


def _check_parent_labels(parent: dict, label_names: list) -> None:
    wanted = parent.get("label_names") or []
    if wanted and list(label_names) != list(wanted):
        raise UserError("labels_differ", "Training more needs the same labels as the run it "
                        f"continues ({', '.join(map(str, wanted))}); this data has "
                        f"{', '.join(map(str, label_names))}.", "Use data with the same "
                        "classes, or start a new run from the pretrained model.")


def training_arguments(config: RunConfig, task: Task, folder: RunFolder, has_validation: bool,
                       precision: str, device):
    """The trainer's arguments: the settings every task shares, in the class its trainer
    reads (``Task.trainer_arguments``). With several processes, gradient accumulation is the
    batch plan's (divided among them with ``resources.keep_global_batch``)."""
    t = config.training
    steps_based = bool(t.eval_steps or t.save_steps)
    eval_every = t.eval_steps or t.save_steps
    save_every = t.save_steps or eval_every
    if has_validation and steps_based:
        save_every = math.ceil(save_every / eval_every) * eval_every  # best-model bookkeeping
    metric = t.metric_for_best or task.default_best_metric
    return task.trainer_arguments(
        config,
        output_dir=str(folder.checkpoints),
        num_train_epochs=t.epochs, max_steps=t.max_steps or -1,
        per_device_train_batch_size=t.batch_size, per_device_eval_batch_size=t.batch_size,
        gradient_accumulation_steps=run_batch_plan(config).accumulation,
        learning_rate=t.learning_rate, weight_decay=t.weight_decay,
        warmup_steps=t.warmup_ratio, lr_scheduler_type=t.scheduler,
        max_grad_norm=t.max_grad_norm or 0.0,
        eval_strategy=("steps" if steps_based else "epoch") if has_validation else "no",
        eval_steps=eval_every or None,
        save_strategy="steps" if steps_based else "epoch", save_steps=save_every or None,
        save_total_limit=t.save_total_limit,
        load_best_model_at_end=has_validation, metric_for_best_model=metric if has_validation
        else None, greater_is_better=not metric.endswith("loss") if has_validation else None,
        logging_strategy="steps", logging_steps=t.logging_steps,
        seed=t.seed, data_seed=t.seed,
        bf16=precision == "bf16", fp16=precision == "fp16",
        use_cpu=device.kind == "cpu", dataloader_pin_memory=device.kind == "cuda",
        train_sampling_strategy="group_by_length", length_column_name="length",
        remove_unused_columns=False, include_num_input_tokens_seen="non_padding",
        report_to="none", disable_tqdm=True, save_only_model=False,
        neftune_noise_alpha=t.neftune_noise_alpha or None,
    )


def run_batch_plan(config: RunConfig):
    """The batch plan of this process's run: as many processes as the launcher started."""
    from pft_desktop.core.estimate import batch_plan

    t = config.training
    return batch_plan(t.batch_size, t.gradient_accumulation, ranks.world_size(),
                      config.resources.keep_global_batch)


def evaluation_sample(validation, training):
    """The rows evaluated during training: all of them, or a fixed random sample of a large
    validation set (measured: 244 s to evaluate 100,000 rows on 2 cores). The final evaluation
    always uses every row."""
    limit = training.eval_max_rows
    if validation is None or not limit or len(validation) <= limit:
        return validation
    import random

    rows = sorted(random.Random(training.seed).sample(range(len(validation)), limit))
    return validation.select(rows)


def _lengths(dataset) -> list[int]:
    """The ``length`` column as a Python list, read from Arrow in one call. A dataset made by
    ``select()`` still sits on the whole table, so its rows are taken through its indices."""
    column = dataset.data.column("length")
    if getattr(dataset, "_indices", None) is not None:
        column = column.take(dataset._indices.column(0))
    return column.to_pylist()


def make_trainer(base):
    """The Trainer with length-grouped samplers fed a plain list of lengths.

    transformers reads ``dataset["length"]`` and indexes it element by element; on a datasets
    lazy Column that costs about 80 us a row (1.6 s for 20,000 rows before the first step,
    measured by benchmarks/bench_overhead.py). A list makes it free.
    """
    from transformers.trainer_pt_utils import LengthGroupedSampler

    class LengthGroupedTrainer(base):
        def _get_train_sampler(self, train_dataset=None):
            # Grouped by the global batch: accelerate deals consecutive batches of this order
            # out to the processes, so each optimizer step sees the rows one process with the
            # same global batch would (tests/core/test_multi_process.py compares the weights).
            dataset = train_dataset if train_dataset is not None else self.train_dataset
            return LengthGroupedSampler(
                self.args.train_batch_size * self.args.gradient_accumulation_steps
                * self.args.world_size, lengths=_lengths(dataset))

        def _get_eval_sampler(self, eval_dataset):
            # Evaluation order does not change metrics (labels travel with predictions), and
            # shortest-first wastes the least padding.
            lengths = _lengths(eval_dataset)
            return sorted(range(len(lengths)), key=lengths.__getitem__)

        def _save(self, output_dir=None, state_dict=None):
            # transformers 5 writes checkpoints under the hub's weight names but loads them
            # back (resume, best model) without renaming, so a model whose names differ (ViT,
            # Swin) silently kept its current weights (huggingface/transformers#48805).
            # Checkpoints keep the model's own names; the saved model keeps the hub's.
            from functools import partial

            from transformers import PreTrainedModel

            model = self.model
            if not isinstance(model, PreTrainedModel):  # a PeftModel saves its adapter
                return super()._save(output_dir, state_dict)
            model.save_pretrained = partial(type(model).save_pretrained, model,
                                            save_original_format=False)
            try:
                return super()._save(output_dir, state_dict)
            finally:
                del model.save_pretrained

    return LengthGroupedTrainer


def load_model(prepared: Prepared, device, precision: str, say=lambda text: None):
    """Load the base model for the method (quantized for QLoRA) and wrap it for training.
    ``say`` tells the person, once and in plain words, which new layers are trained."""
    import torch
    from transformers import set_seed

    from pft_desktop.core.methods import apply_method, head_names, quantization_config

    config = prepared.config
    set_seed(config.training.seed)  # the new head's initial weights depend on it
    kwargs = {"trust_remote_code": config.model.trust_remote_code, "dtype": torch.float32}
    if config.method.kind.startswith("qlora"):
        quant = quantization_config(config.method.kind, device)
        # Each process's own GPU (the launcher numbers the visible ones from 0).
        kwargs.update(quantization_config=quant,
                      device_map={"": ranks.local_rank() if device.kind == "cuda" else "cpu"})
        if precision == "bf16":
            kwargs["dtype"] = torch.bfloat16
    model, loading = prepared.task.load_model(prepared.model.path, prepared.data,
                                              tokenizer=prepared.tokenizer,
                                              output_loading_info=True, **kwargs)
    new_modules = newly_initialized_modules(loading.get("missing_keys", ()))
    parent = parent_weights(config)
    if parent is not None:
        say(f"Starting from the weights of the run {Path(parent['run']).name} (train more).")
    if new_modules and not (parent and parent.get("is_adapter")):  # else the adapter has them
        log.info(new_layers_message(new_modules))
        say(new_layers_message(new_modules))
    if getattr(model.config, "pad_token_id", None) is None and \
            getattr(prepared.tokenizer, "pad_token_id", None) is not None:  # not images
        model.config.pad_token_id = prepared.tokenizer.pad_token_id
    if parent is not None and parent.get("is_adapter"):
        model = continue_adapter(model, parent["model_dir"], config.method, device)
    else:
        model = apply_method(model, config.method, prepared.task, prepared.model.model_type,
                             device, new_modules)
    heads = head_names(getattr(model, "base_model", model))
    if heads:
        log.info("Heads kept trainable: %s", ", ".join(heads))
    return model


def continue_adapter(model, adapter_dir: str, settings, device):
    """Load a finished run's adapter (with its trained head) onto the base model, trainable, so
    "Train more" goes on from where that run ended instead of from a new adapter."""
    from peft import PeftModel, prepare_model_for_kbit_training

    from pft_desktop.core.methods import disable_cpu_4bit_repacking

    if settings.kind.startswith("qlora"):
        if device.kind == "cpu":
            disable_cpu_4bit_repacking(model)
        model = prepare_model_for_kbit_training(
            model, use_gradient_checkpointing=settings.gradient_checkpointing)
    return PeftModel.from_pretrained(model, adapter_dir, is_trainable=True)


def newly_initialized_modules(missing_keys) -> list[str]:
    """Module paths whose weights the checkpoint lacked. They start random, so they must train
    and be saved with an adapter, or every later load would draw different weights."""
    return sorted({key.rsplit(".", 1)[0] for key in missing_keys if "." in key})


def _attach_log(folder: RunFolder) -> logging.Handler:
    handler = logging.FileHandler(folder.log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("pft_desktop", "transformers", "peft", "datasets", "py.warnings"):
        logging.getLogger(name).addHandler(handler)
    logging.getLogger("pft_desktop").setLevel(logging.INFO)
    logging.captureWarnings(True)
    return handler


def _detach_log(handler: logging.Handler) -> None:
    for name in ("pft_desktop", "transformers", "peft", "datasets", "py.warnings"):
        logging.getLogger(name).removeHandler(handler)
    handler.close()


def run_training(config: RunConfig | None, run_dir: str | Path, sink=lambda e: None,
                 stop: threading.Event | None = None, resume: bool = False) -> RunOutcome:
    """Train one run into ``run_dir``. Never raises for a user-facing problem: the outcome and
    the events say what happened. With ``resume``, the folder's own config and latest
    checkpoint are used."""
    stop = stop or threading.Event()
    quiet_libraries()
    folder = RunFolder(run_dir)
    main = ranks.is_main()  # with several processes, only rank 0 writes the run folder
    buffered = events.BufferedSink(sink) if main else events.BufferedSink()
    if not main:
        buffered.attach(lambda event: None)
    writer = handler = None
    outcome = RunOutcome("failed", run_dir=folder.path)
    try:
        new_here = config is not None and not resume  # the command line: no folder yet
        if new_here:
            config = with_absolute_paths(config)
        else:  # the runner (the app made the folder) or a resume
            config = folder.load_config()
        if new_here and check_new_folder(folder.path).is_dir() and any(folder.path.iterdir()):
            raise UserError("run_exists", f"The run folder {folder.path} already exists and is "
                            "not empty.", "Choose a new output folder, or resume that run with "
                            "`pft-desktop train --resume FOLDER`.")
        if resume and folder.state() == "finished":
            raise UserError("already_finished", f"The run {folder.name} already finished; "
                            "resuming it would only retrain its last steps.",
                            "To train it further, start a new run from its weights: 'Train "
                            f"more' in the app, or `pft-desktop train --more {folder.path}`.")
        if resume and main and folder.is_live():  # (rank 0 of this run may be live already)
            raise UserError("still_running", f"The run {folder.name} is still training (process "
                            f"{folder.status().get('pid')}).", "Follow it in the app, or stop it "
                            f"first with `pft-desktop stop {folder.path}`.")
        checkpoint = folder.latest_checkpoint() if resume else None
        if resume and checkpoint is None:
            raise UserError("no_checkpoint", f"{folder.path} has no checkpoint to resume from.",
                            "Start a new run; checkpoints are saved every epoch or every N "
                            "steps, and when a run is stopped.")
        if folder.exists() and main:  # made by the app (or resumed): record it all
            if resume:  # a request from before must not stop the resumed run at once
                folder.clear_stop_request()
            # Running from now on (a stop asked while the data is read is kept for step 1).
            folder.mark_running(parent=config.model.start_from)
            writer = events.JsonlWriter(folder.events_file)
            buffered.attach(writer)
            handler = _attach_log(folder)
        prepared = prepare(config, buffered)
        if writer is None and main:  # the command line: the folder appears once inputs check
            RunFolder.create(folder.path, config)
            folder.mark_running(parent=config.model.start_from)
            writer = events.JsonlWriter(folder.events_file)
            buffered.attach(writer)
            handler = _attach_log(folder)
        if main:
            write_json(folder.report_file, prepared.data.report.to_dict())
        with matmul_precision_restored():  # in-process callers (tests) get theirs back
            outcome = _train(prepared, folder, buffered, stop, checkpoint)
    except BaseException as exc:  # noqa: BLE001 - every failure becomes an event
        failed_at = time.time()
        if isinstance(exc, KeyboardInterrupt):
            exc = UserError("interrupted", "The run was interrupted.", "")
        error = with_run_context(explain_exception(exc), folder, config)
        details = "".join(traceback.format_exception(exc))
        if ranks.world_size() > 1:
            error = ranks.report_failure(folder.path, error, details, failed_at, log)
        if handler is not None:
            log.error("%s\n%s", error, details)
        buffered(events.make_event(events.ERROR, **error.to_dict()))
        outcome = RunOutcome("failed", error=error, run_dir=folder.path)
    finally:
        buffered(events.make_event(events.FINISHED, status=outcome.status,
                                   metrics=outcome.metrics))
        if folder.exists() and writer is not None:
            folder.set_status(outcome.status, error=outcome.error.to_dict()
                              if outcome.error else None)
            folder.clear_stop_request()
        if writer is not None:
            writer.close()
        if handler is not None:
            _detach_log(handler)
    return outcome


def cpu_speedups(model, device, config: RunConfig) -> list[str]:
    """What this run does on a CPU to reach the same accuracy sooner, by name: numpy-drawn
    dropout masks, BERT-family layers that leave out padding and, in the last layer, every
    token but the first (where the head reads nothing else), bf16 matrix products (where the
    CPU has bf16 instructions). The numbers differ from a plain run's (other masks, rounded
    products); benchmarks/bench_time_to_accuracy.py measures time and accuracy."""
    from pft_desktop.core.cpu_matmul import use_bf16_matmul
    from pft_desktop.core.needed_tokens import use_needed_tokens
    from pft_desktop.core.quick_dropout import use_quick_dropout

    used = []
    if not config.method.cpu_speedups:
        return used
    bf16 = use_bf16_matmul(device.kind, config.method.precision)
    if use_quick_dropout(model, device.kind):
        used.append("quick_dropout")
    # Packed rows change a product's shape every batch: with oneDNN's bf16 products that
    # measured slower than keeping the padding (0.91x a LoRA step; see core.needed_tokens).
    if device.kind == "cpu" and use_needed_tokens(model, leave_out_padding=not bf16):
        used.append("needed_tokens")
    if bf16:
        used.append("bf16_matmul")
    if used:
        log.info("CPU speed-ups: %s", ", ".join(used))
    return used


def _train(prepared: Prepared, folder: RunFolder, sink, stop, checkpoint) -> RunOutcome:
    from transformers import EarlyStoppingCallback, PrinterCallback

    from pft_desktop.core.callbacks import EventCallback
    from pft_desktop.core.estimate import planned_steps
    from pft_desktop.core.methods import count_parameters, detect_device, resolve_precision

    config, task, data = prepared.config, prepared.task, prepared.data
    device = detect_device(config.resources.devices)
    precision = resolve_precision(config.method.precision, device)
    processes, main = ranks.world_size(), ranks.is_main()
    strategies.check_strategy(config, device, processes)
    plan = run_batch_plan(config)
    if plan.note():
        log.warning(plan.note())
        sink(events.make_event(events.WARNING, text=plan.note()))
    if main:
        _record_provenance(config, folder, device, sink, resumed=checkpoint is not None)
    space = free_space_warning(folder.path, prepared.model.size_bytes, config)
    if space:
        log.warning(space)
        sink(events.make_event(events.WARNING, text=space))
    sink(events.make_event(events.STATUS, text="Loading the model"))
    model = load_model(prepared, device, precision,
                       say=lambda text: sink(events.make_event(events.STATUS, text=text)))
    trainable, total = count_parameters(model)
    speedups = cpu_speedups(model, device, config)
    if processes > 1 and config.resources.strategy == "fsdp":
        strategies.choose_fsdp_layers(model, config, sink)
    has_validation = data.validation is not None
    args = training_arguments(config, task, folder, has_validation, precision, device)
    callback = EventCallback(sink, stop, perplexity=task.perplexity,
                             elapsed_before=_elapsed_at(folder, checkpoint),
                             stop_file=folder.stop_file)
    callbacks = [callback]
    if config.training.early_stopping_patience and has_validation:
        callbacks.append(EarlyStoppingCallback(config.training.early_stopping_patience))
    trainer = task.build_trainer(
        make_trainer, model=model, args=args, train_dataset=data.train,
        eval_dataset=evaluation_sample(data.validation, config.training),
        processing_class=prepared.tokenizer, data_collator=task.collator(prepared.tokenizer),
        compute_metrics=task.compute_metrics(), callbacks=callbacks)
    trainer.remove_callback(PrinterCallback)  # stdout carries JSON events only
    t = config.training
    total_steps = planned_steps(len(data.train), t.batch_size, plan.accumulation, t.epochs,
                                t.max_steps, processes)
    sink(events.make_event(
        events.STARTED, total_steps=total_steps, epochs=config.training.epochs,
        device=device.to_dict(), precision=precision, method=config.method.kind,
        task=task.name, trainable_parameters=trainable, total_parameters=total,
        train_rows=len(data.train), validation_rows=len(data.validation or []),
        resumed_from=str(checkpoint) if checkpoint else None,
        resumed_from_step=_step_of(checkpoint), processes=processes,
        global_batch=plan.global_batch, cpu_speedups=speedups,
        step_shape=step_shape(device, total, trainable, plan.global_batch, prepared, speedups)))
    log.info("Training %s on %s (%s), %d of %d parameters trainable", prepared.model.source,
             device.name, precision, trainable, total)
    result = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    if callback.watch.diverged:
        return _diverged(callback, config, folder, sink, has_validation)
    status = "stopped" if callback.stopped_early else "finished"
    metrics = {key: value for key, value in result.metrics.items()
               if key in ("train_loss", "train_runtime", "train_samples_per_second",
                          "train_steps_per_second")}
    if checkpoint is not None:  # the Trainer averages only this process's part of the run
        losses = [e["loss"] for e in folder.timeline()
                  if e.get("type") == events.STEP and e.get("loss") is not None]
        if losses:
            metrics["train_loss"] = sum(losses) / len(losses)
    if has_validation and status == "finished":
        sink(events.make_event(events.STATUS, text="Evaluating"))
        callback.final = True
        metrics.update(trainer.evaluate(eval_dataset=data.validation))  # every row, at the end
        metrics = task.final_metrics(trainer, data, metrics)
        for text in task.final_warnings(metrics):
            sink(events.make_event(events.WARNING, text=text))
    elif has_validation:
        metrics.update(_last_eval(folder))
    sink(events.make_event(events.STATUS, text="Saving the model"))
    state_dict = strategies.gathered_state_dict(trainer)  # every process takes part
    if main:
        save_model(task.trained_model(trainer), prepared, folder, state_dict)
        write_json(folder.metrics_file, metrics)
    return RunOutcome(status, metrics=metrics, run_dir=folder.path)


def step_shape(device, parameters: int, trainable: int, rows: int, prepared: Prepared,
               speedups: list[str]) -> dict:
    """What the time estimate of a step depends on, recorded in the started event: the run's
    measured step is later compared with the rule for this shape, which tells how fast this
    computer is running today (core.estimate_history.machine_pace)."""
    from pft_desktop.core.estimate import TOKEN_HEADS

    model, head = prepared.model, prepared.task.auto_class_for({})
    return {"device": device.kind, "parameters": parameters, "trainable": trainable,
            "rows": rows, "layers": model.num_layers, "hidden": model.hidden_size,
            "first_token": "needed_tokens" in speedups, "token_head": head in TOKEN_HEADS}


def with_absolute_paths(config: RunConfig) -> RunConfig:
    """A run records where its model and data are as absolute paths, so that resuming,
    predicting or exporting from another working folder finds them (a relative --model was
    looked up on the hub instead)."""
    config = RunConfig.from_dict(config.to_dict())
    for settings, name in ((config.model, "name_or_path"), (config.model, "start_from"),
                           (config.data, "train_file"), (config.data, "validation_file")):
        value = getattr(settings, name)
        if value and Path(value).expanduser().exists():
            setattr(settings, name, str(Path(value).expanduser().resolve()))
    return config


def with_run_context(error: UserError, folder: RunFolder, config: RunConfig | None) -> UserError:
    """Make advice true for this run: name the step and the memory for an out-of-memory,
    offer resuming only when a checkpoint exists."""
    checkpoint = folder.latest_checkpoint() if folder.exists() else None
    resume = f"`pft-desktop train --resume {folder.path}`"
    if error.kind == "out_of_memory" and config is not None:
        from pft_desktop.core.callbacks import memory_in_use

        steps = [e["step"] for e in folder.timeline() if e.get("type") == events.STEP]
        where = f"at step {steps[-1] + 1}" if steps else "before the first step"
        t = config.training
        smaller = smaller_batch(t.batch_size)
        fixes = [f"retry from the last checkpoint with batch {smaller} and gradient "
                 f"accumulation {t.gradient_accumulation * t.batch_size // smaller} (the same "
                 f"effective batch): {resume} --smaller-batch" if checkpoint and smaller
                 else f"lower the batch size (now {t.batch_size})",
                 f"lower the maximum length (now {config.task.max_length})"]
        if not config.method.gradient_checkpointing:
            fixes.append("turn on gradient checkpointing")
        if not config.method.kind.startswith("qlora"):
            fixes.append("use QLoRA 4-bit")
        return UserError("out_of_memory", f"Training ran out of memory {where} "
                         f"({memory_in_use() / 2**30:.1f} GB in use).",
                         "To fit: " + "; ".join(fixes) + ".")
    if error.kind in ("interrupted", "no_disk_space"):
        then = f"Resume it with {resume}." if checkpoint else \
            "Nothing was saved yet (no checkpoint): start it again."
        first = "Free some disk space or choose a folder on another drive. " \
            if error.kind == "no_disk_space" else ""
        return UserError(error.kind, error.message, first + then)
    return error


def smaller_batch(batch_size: int) -> int:
    """The largest batch below this one that divides it, so gradient accumulation can keep
    the effective batch exactly (16 -> 8, 15 -> 5); 0 when it is already 1."""
    return max((d for d in range(1, batch_size) if batch_size % d == 0), default=0)


def free_space_warning(where: Path, model_bytes: int, config: RunConfig) -> str:
    """Warn before training when the checkpoints kept (weights plus optimizer state, about 3x
    the model for full training, the adapter's share for LoRA) and one export may not fit."""
    full = config.method.kind in ("full", "freeze")
    per_checkpoint = model_bytes * 3 if full else model_bytes // 20
    needed = per_checkpoint * (config.training.save_total_limit + 1) + model_bytes
    free = shutil.disk_usage(where).free
    if free >= needed:
        return ""
    from pft_desktop.core.models import human_bytes

    return (f"Only {human_bytes(free)} is free where the run is written; its checkpoints and an "
            f"export may need about {human_bytes(needed)}. Free some space, keep fewer "
            "checkpoints (training.save_total_limit), or use LoRA, whose checkpoints are small.")


def _record_provenance(config, folder: RunFolder, device, sink, resumed: bool) -> None:
    """Record the data's fingerprints and the environment; on a resume, say what changed."""
    from pft_desktop.core import provenance

    now = provenance.record(config, device.to_dict())
    before = folder.provenance()
    if resumed and before:
        for text in provenance.differences(before, now):
            log.warning(text)
            sink(events.make_event(events.WARNING, text=text))
        now = {**before, "resumes": before.get("resumes", []) + [now]}
    write_json(folder.provenance_file, now)


def _last_eval(folder: RunFolder) -> dict:
    last = events.last_of(folder.timeline(), events.EVAL) or {}
    return {k: v for k, v in last.items() if k.startswith("eval_")}


def _diverged(callback, config: RunConfig, folder: RunFolder, sink, has_validation: bool):
    """A run whose loss went to NaN or ran away: no model is saved (its weights are broken),
    the last checkpoint from before stays, and the person is told what to change."""
    t = config.training
    error = UserError("diverged", f"{callback.watch.diverged} Training was stopped as diverged; "
                      "the model was not saved.", callback.watch.advice(t.learning_rate,
                                                                         t.max_grad_norm))
    sink(events.make_event(events.ERROR, **error.to_dict()))
    metrics = _last_eval(folder) if has_validation else {}
    if ranks.is_main():
        write_json(folder.metrics_file, metrics)
    return RunOutcome("diverged", metrics=metrics, error=error, run_dir=folder.path)


def _step_of(checkpoint: Path | None) -> int | None:
    return int(checkpoint.name.rsplit("-", 1)[-1]) if checkpoint is not None else None


def _elapsed_at(folder: RunFolder, checkpoint: Path | None) -> float:
    """Training time already spent up to a checkpoint (0 for a fresh run), so a resumed run's
    elapsed time and charts by time go on from there instead of restarting at zero."""
    if checkpoint is None or not folder.events_file.is_file():
        return 0.0
    step = _step_of(checkpoint)
    elapsed = 0.0
    for event in events.read_events(folder.events_file):
        if event.get("type") == events.STEP and event.get("step", 0) <= step:
            elapsed = float(event.get("elapsed_s") or elapsed)
    return elapsed


def save_model(model, prepared: Prepared, folder: RunFolder, state_dict=None) -> Path:
    """Save the trained weights (or adapter) and tokenizer aside, then move them into place.
    ``state_dict``: the weights gathered from every process when they were sharded."""
    staging = Path(tempfile.mkdtemp(dir=folder.path, prefix=".model."))
    if prepared.task.saves_merged and hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    try:
        if state_dict is not None:
            model.save_pretrained(staging, state_dict=state_dict)
        else:
            model.save_pretrained(staging)
        prepared.tokenizer.save_pretrained(staging)
        config = prepared.config
        write_json(staging / RUN_INFO, {
            "base_model": prepared.model.path, "base_model_source": prepared.model.source,
            "task": config.task.kind, "method": config.method.kind,
            "label_names": prepared.data.label_names, "max_length": config.task.max_length,
            "is_adapter": hasattr(model, "peft_config"),
            **prepared.task.run_info(), **prepared.data.extra,
            "from_scratch": config.from_scratch, "parent_run": config.model.start_from,
            "data_report": prepared.data.report.to_dict(), "config": config.to_dict()})
        ordinary_permissions(staging)
        folder.replace_dir(staging, folder.model_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder.model_dir
