"""Training events: plain dicts with a ``type``, streamed as JSON lines.

The runner writes every event to ``events.jsonl`` in the run folder and to its stdout; the GUI's
trainer thread and the command line's progress bar read them back. A finished run's charts are
redrawn from ``events.jsonl`` alone, so every figure a chart shows travels in an event.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Protocol

# The event types, in the order a run usually produces them.
STARTED = "started"            # total_steps, epochs, device, trainable/total parameters,
#                                processes, global_batch, cpu_speedups (names)
STATUS = "status"              # text: what the run is doing now (loading model, tokenizing ...)
DOWNLOAD = "download"          # file, done_bytes, total_bytes
DATA_REPORT = "data_report"    # the data report's dict
STEP = "step"                  # step, epoch, loss, learning_rate, grad_norm, tokens_per_second,
                               # memory_bytes, elapsed_s, eta_s; preference tuning adds
                               # reward_margin and reward_accuracy (REWARD_FIELDS)
EVAL = "eval"                  # step, epoch, and eval_* metrics (preference tuning:
                               # eval_reward_margin, eval_reward_accuracy, ...)
CHECKPOINT = "checkpoint"      # step, path
WARNING = "warning"            # text: something looks wrong but the run goes on
ERROR = "error"                # kind, message, fix
FINISHED = "finished"          # status: finished | stopped | failed | diverged, metrics

FINISHED_STATUSES = ("finished", "stopped", "failed", "diverged")
PER_STEP = (STEP, EVAL, CHECKPOINT)  # events tied to a step, redone after a resume


# Preference tuning: the step event's reward figures. reward_margin is the mean of (reward of
# the chosen answer - reward of the rejected one); reward_accuracy the share of pairs where the
# chosen answer's reward is higher. Their eval_ twins travel in eval events.
REWARD_FIELDS = ("reward_margin", "reward_accuracy")
# TRL logs its preference metrics under slashed names; events and metrics.json use these.
TRL_NAMES = {"rewards/margins": "reward_margin", "rewards/accuracies": "reward_accuracy",
             "rewards/chosen": "reward_chosen", "rewards/rejected": "reward_rejected",
             "logps/chosen": "logp_chosen", "logps/rejected": "logp_rejected",
             "logits/chosen": "logit_chosen", "logits/rejected": "logit_rejected"}


def plain_metric_names(logs: dict) -> dict:
    """``logs`` with TRL's slashed metric names made plain ("eval_rewards/margins" ->
    "eval_reward_margin"), so a metric has one name in events, metrics.json and the app."""
    plain = {}
    for key, value in logs.items():
        prefix = "eval_" if key.startswith("eval_") else ""
        name = TRL_NAMES.get(key[len(prefix):])
        plain[prefix + name if name else key] = value
    return plain


def make_event(event_type: str, /, **fields) -> dict:
    return {"type": event_type, "time": round(time.time(), 3), **fields}


class EventSink(Protocol):
    def __call__(self, event: dict) -> None: ...


def _clean(value):
    """JSON has no NaN or infinity: write them as null so every line stays valid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(item) for item in value]
    return value


def dumps(event: dict) -> str:
    return json.dumps(_clean(event), allow_nan=False, default=str)


class JsonlWriter:
    """Appends events to a file (and optionally another stream), flushed line by line."""

    def __init__(self, path: str | Path, echo: IO[str] | None = None):
        self.path = Path(path)
        self._file = open(self.path, "a", encoding="utf-8")
        self._echo = echo

    def __call__(self, event: dict) -> None:
        line = dumps(event) + "\n"
        self._file.write(line)
        self._file.flush()
        if self._echo is not None:
            self._echo.write(line)
            self._echo.flush()

    def close(self) -> None:
        self._file.close()


class BufferedSink:
    """Holds events until a real sink exists (the run folder is created only once inputs check
    out), then forwards them; also fans out to any listeners."""

    def __init__(self, *listeners: Callable[[dict], None]):
        self.pending: list[dict] = []
        self.target: Callable[[dict], None] | None = None
        self.listeners = list(listeners)

    def attach(self, target: Callable[[dict], None]) -> None:
        for event in self.pending:
            target(event)
        self.pending.clear()
        self.target = target

    def __call__(self, event: dict) -> None:
        if self.target is None:
            self.pending.append(event)
        else:
            self.target(event)
        for listener in self.listeners:
            listener(event)


def parse_line(line: str) -> dict | None:
    """One JSON-lines event, or None for a blank, partial or foreign line."""
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        event = json.loads(line)
    except ValueError:
        return None
    return event if isinstance(event, dict) and "type" in event else None


def read_events(path: str | Path) -> Iterator[dict]:
    """Events of a run folder's ``events.jsonl``, skipping a torn last line."""
    path = Path(path)
    if path.is_dir():
        path = path / "events.jsonl"
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            event = parse_line(line)
            if event is not None:
                yield event


def last_of(events: Iterable[dict], kind: str) -> dict | None:
    found = None
    for event in events:
        if event.get("type") == kind:
            found = event
    return found
