"""Estimates that learn from past runs: a finished run with the same model and the same
settings that decide speed and memory measured both (``rundir.measured_figures``, kept in the
library's cached summary), so a new run's estimate uses those figures instead of the rule of
thumb, scaled by tokens per step where the data's lengths differ. New settings get the rule
of thumb scaled by this computer's pace: how its latest CPU runs compared with the rule (the
same cores ran the same script 2.4x slower one evening than that afternoon).

Reading the library goes through ``RunStore.summaries()`` (cached summaries, no event files
re-read) and is kept for a few seconds, so the Hyperparameters page can ask on every change.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

# What a step's time and memory depend on, as config fields. The data's lengths are not here:
# they are scaled for (tokens per step).
SETTINGS = ("model.name_or_path", "task.kind", "method.kind", "method.precision",
            "method.gradient_checkpointing", "method.lora_r", "training.batch_size",
            "training.gradient_accumulation", "task.max_length", "resources.devices",
            "resources.processes", "resources.strategy")
CACHE_SECONDS = 10.0
PACE_RUNS = 5  # the latest runs that say how fast this computer is running now
_cache: dict[str, tuple[float, list]] = {}


def settings_key(config) -> str:
    """A stable text of the settings that matter (the same settings give the same key)."""
    values = {}
    for name in SETTINGS:
        section, field = name.split(".")
        value = getattr(getattr(config, section), field)
        if name == "model.name_or_path" and value and Path(value).expanduser().exists():
            value = str(Path(value).expanduser().resolve())
        values[name] = value
    return json.dumps(values, sort_keys=True)


@dataclass
class PastRuns:
    """The measured figures of past runs with the same settings (medians over the runs)."""

    runs: int
    seconds_per_step: float
    peak_memory_bytes: int
    tokens_per_step: float | None

    def seconds_for(self, tokens_per_step: float | None) -> float:
        """Seconds per step for a run of ``tokens_per_step`` real tokens a step: the time
        scales with the tokens computed."""
        if tokens_per_step and self.tokens_per_step:
            return self.seconds_per_step * tokens_per_step / self.tokens_per_step
        return self.seconds_per_step

    def memory_for(self, tokens_per_step: float | None, activations_per_token: float) -> int:
        """Peak memory for a run of ``tokens_per_step``: the measured peak, with the
        activations of the tokens that differ added or taken away."""
        if tokens_per_step and self.tokens_per_step:
            extra = (tokens_per_step - self.tokens_per_step) * activations_per_token
            return max(int(self.peak_memory_bytes + extra), 0)
        return self.peak_memory_bytes

    def note(self) -> str:
        from pft_desktop.core.messages import message

        return message("history.run" if self.runs == 1 else "history.runs", runs=self.runs)


def _finished_runs(root: Path | None) -> list:
    """(settings key, measured figures, start time) of every finished run, newest first, kept
    for CACHE_SECONDS."""
    from pft_desktop.core.runstore import RunStore

    store = RunStore(root)
    where = str(store.root)
    now = time.monotonic()
    cached = _cache.get(where)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    try:
        summaries = store.summaries()
    except OSError:
        summaries = []
    found = sorted(((s.settings_key, s.measured, s.started) for s in summaries
                    if s.status == "finished" and s.settings_key and s.measured),
                   key=lambda run: -(run[2] or 0))
    _cache[where] = (now, found)
    return found


def forget_cache() -> None:
    """Read the library afresh next time (after a run ends here, say)."""
    _cache.clear()


def _median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else None


@dataclass
class MachinePace:
    """How this computer's latest CPU runs compared with the rule of thumb (measured seconds
    per step over the rule's, median of up to PACE_RUNS runs: of the same model when it has
    run, else of any)."""

    runs: int
    factor: float

    def note(self) -> str:
        from pft_desktop.core.messages import message

        return message("history.pace.run" if self.runs == 1 else "history.pace.runs",
                       runs=self.runs)


def machine_pace(config=None, root: Path | None = None) -> MachinePace | None:
    """This computer's pace from its latest finished CPU runs, or None before it has any.
    Runs of ``config``'s model come first: the rule misses by model size more than by the
    other settings (benchmarks/bench_estimates.py --demo: 29 of 35 within 20%)."""
    runs = [(json.loads(key).get("model.name_or_path"), m["pace"])
            for key, m, _ in _finished_runs(root)
            if isinstance(m.get("pace"), (int, float)) and m["pace"] > 0]
    model = json.loads(settings_key(config))["model.name_or_path"] if config else None
    paces = [pace for name, pace in runs if name == model][:PACE_RUNS] \
        or [pace for _, pace in runs][:PACE_RUNS]
    return MachinePace(len(paces), _median(paces)) if paces else None


def past_runs(config, root: Path | None = None) -> PastRuns | None:
    """What finished runs with the same model and settings measured, or None."""
    key = settings_key(config)
    figures = [m for k, m, _ in _finished_runs(root) if k == key
               and isinstance(m.get("seconds_per_step"), (int, float))
               and m["seconds_per_step"] > 0]
    if not figures:
        return None
    return PastRuns(len(figures), _median(m["seconds_per_step"] for m in figures),
                    int(_median(m.get("peak_memory_bytes") or 0 for m in figures)),
                    _median(m["tokens_per_step"] for m in figures if m.get("tokens_per_step")))
