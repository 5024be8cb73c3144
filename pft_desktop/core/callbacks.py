"""A TrainerCallback that turns training into events and honours a stop request."""

from __future__ import annotations

import math
import os
import threading
import time

from transformers import TrainerCallback

from pathlib import Path

from pft_desktop.core import events, ranks
from pft_desktop.core.divergence import DivergenceWatch
from pft_desktop.core.rundir import CHECKPOINT_COMPLETE, write_atomic


def memory_in_use() -> int:
    """Peak device memory (CUDA) or the process's resident memory (CPU), in bytes."""
    import torch

    if torch.cuda.is_available():
        return int(torch.cuda.max_memory_allocated())
    try:
        import psutil

        return int(psutil.Process().memory_info().rss)
    except ImportError:
        return 0


FAULT_VARIABLE = "PFT_FAULT_FOR_TESTS"  # e.g. "oom@3", "raise@2:rank1" (see injected_fault)


def injected_fault(step: int) -> bool:
    """A test-only way to make a real run fail at a chosen step: ``oom@3`` raises MemoryError
    (a device out of memory), ``raise@3`` a RuntimeError, ``stop@3`` asks to stop (returns
    True); ``:rankN`` limits it to one process of a multi-process run. Unset, it costs one
    dictionary lookup."""
    fault = os.environ.get(FAULT_VARIABLE)
    if not fault:
        return False
    what, _, where = fault.partition(":")
    if where and where != f"rank{os.environ.get('RANK', '0')}":
        return False
    if what == f"oom@{step}":
        raise MemoryError(f"injected by {FAULT_VARIABLE} at step {step}")
    if what == f"raise@{step}":
        raise RuntimeError(f"injected by {FAULT_VARIABLE} at step {step}")
    return what == f"stop@{step}"


class EventCallback(TrainerCallback):
    """Emits ``step``, ``eval`` and ``checkpoint`` events; stops cleanly when asked.

    Stopping sets ``should_training_stop`` and ``should_save`` at the end of the current step,
    so the Trainer writes a resumable checkpoint before it returns. With several processes
    each runs this callback; they agree on stopping at every step end, so all stop at the same
    step whichever one saw the request, and only the sink of rank 0 writes anything.
    """

    def __init__(self, sink, stop: threading.Event, perplexity: bool = False,
                 elapsed_before: float = 0.0, stop_file=None):
        self.sink = sink
        self.stop_file = stop_file  # a stop request from any process: one stat() a step
        self.watch = DivergenceWatch()
        self.elapsed_before = elapsed_before  # a resumed run's clock goes on from there
        self.stop = stop
        self.perplexity = perplexity
        self.stopped_early = False
        self.stopping = False  # agreed by every process at a step end
        self.final = False  # set before the closing evaluation so its event says so
        self._start = 0.0
        self._last_time = 0.0
        self._last_tokens = 0
        self._first_step = 0

    def on_train_begin(self, args, state, control, **kwargs):
        self._start = self._last_time = time.monotonic()
        self._first_step = state.global_step
        self._last_tokens = state.num_input_tokens_seen or 0

    def on_step_end(self, args, state, control, **kwargs):
        asked = injected_fault(state.global_step) or self.stop.is_set() or (
            self.stop_file is not None and self.stop_file.exists())
        if ranks.any_rank(asked) and not self.stopping:
            self.stop.set()
            self.stopping = True
        if self.stopping:
            self.stopped_early = True
            control.should_training_stop = True
            control.should_save = True
            # Stop means stop: no evaluation first (measured: 244 s over 100,000 rows).
            control.should_evaluate = False
        self._skip_redundant_final_save(args, state, control)
        return control

    def on_epoch_end(self, args, state, control, **kwargs):
        # Several processes decide from the agreed flag only: one rank skipping the epoch's
        # evaluation while another runs it would leave the other waiting for ever.
        asked = self.stopping or (ranks.world_size() == 1 and self.stop.is_set())
        if asked or self.watch.diverged:
            control.should_evaluate = False  # the epoch-end evaluation of a run told to stop
        self._skip_redundant_final_save(args, state, control)
        return control

    def _skip_redundant_final_save(self, args, state, control) -> None:
        """A run that completes writes its model to ``model/`` anyway; a last checkpoint would
        only duplicate it with the optimizer state (about 0.5 s and 270 MB for MiniLM, 3% of a
        100-step run in benchmarks/bench_overhead.py). Stops and best-model tracking still
        save."""
        if state.global_step >= state.max_steps and not self.stopping \
                and not args.load_best_model_at_end:
            control.should_save = False

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = events.plain_metric_names(dict(logs or {}))
        now = time.monotonic()
        elapsed = now - self._start
        common = {"step": state.global_step, "max_steps": state.max_steps,
                  "epoch": round(state.epoch or 0.0, 4),
                  "elapsed_s": round(self.elapsed_before + elapsed, 3)}
        if any(key.startswith("eval_") for key in logs):
            metrics = {k: v for k, v in logs.items() if k.startswith("eval_")}
            if self.perplexity and "eval_loss" in metrics:
                metrics["eval_perplexity"] = math.exp(min(metrics["eval_loss"], 50.0))
            self.sink(events.make_event(events.EVAL, **common, **metrics, final=self.final))
            return
        if "loss" not in logs:
            return  # the end-of-training summary; the recipe reports final metrics itself
        notes = len(self.watch.notes)
        if self.watch.feed(state.global_step, logs.get("loss"), logs.get("grad_norm")):
            # Keep the last good checkpoint: no save, no evaluation of the broken weights.
            control.should_training_stop = True
            control.should_save = control.should_evaluate = False
        for note in self.watch.notes[notes:]:
            self.sink(events.make_event(events.WARNING, step=state.global_step, text=note))
        tokens = state.num_input_tokens_seen or 0
        interval = max(now - self._last_time, 1e-9)
        done = state.global_step - self._first_step
        remaining = max(state.max_steps - state.global_step, 0)
        # Only runs that have them carry reward fields, so the app shows their charts only then.
        rewards = {key: logs[key] for key in events.REWARD_FIELDS if key in logs}
        self.sink(events.make_event(
            events.STEP, **common, loss=logs.get("loss"),
            learning_rate=logs.get("learning_rate"), grad_norm=logs.get("grad_norm"),
            tokens_per_second=round((tokens - self._last_tokens) / interval, 1),
            tokens_seen=tokens, memory_bytes=memory_in_use(),
            eta_s=round(elapsed / done * remaining, 1) if done else None, **rewards))
        self._last_time, self._last_tokens = now, tokens

    def on_save(self, args, state, control, **kwargs):
        path = Path(args.output_dir) / f"checkpoint-{state.global_step}"
        ranks.barrier()  # every process has written its part (its random state, its shard)
        if not ranks.is_main():
            return
        if path.is_dir():  # the Trainer has finished writing it: only now may it be resumed
            write_atomic(path / CHECKPOINT_COMPLETE, f"{state.global_step}\n")
        self.sink(events.make_event(events.CHECKPOINT, step=state.global_step, path=str(path)))
