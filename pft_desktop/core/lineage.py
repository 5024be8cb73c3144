"""Pretrain, then fine-tune: a fine-tuning run whose base model a pretraining run of the app
made. The link is the base model's path in the run's config (a pretraining run's model/
folder, whose pft_run.json says "pretrain"), so it needs no extra record and survives in
exported configs; the pretraining run's own folder gives its data, steps, loss and time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pft_desktop.core.errors import UserError
from pft_desktop.core.rundir import RunFolder


def pretraining_run_of(model_path: str | Path) -> RunFolder | None:
    """The pretraining run whose saved model ``model_path`` is, or None (a hub model, a
    folder of one's own, a fine-tuned run's model, or a run folder that is gone)."""
    if not model_path:
        return None
    path = Path(model_path).expanduser()
    try:
        info = json.loads((path / "pft_run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = RunFolder(path.parent)
    if info.get("task") != "pretrain" or folder.model_dir != path or not folder.exists():
        return None
    return folder


def resolve_base_model(ref: str, store=None) -> str:
    """``--model`` as given, or, when it names a pretraining run (its folder or its name in
    the run store), that run's saved model: how the command line chains the two steps."""
    if not ref:
        return ref
    from pft_desktop.core.runstore import RunStore

    path = Path(ref).expanduser()
    if (path / "config.json").is_file():
        return ref  # a model folder
    if path.exists() and not RunFolder(path).exists():
        return ref  # some other folder: the model check says what is wrong with it
    try:
        folder = (store or RunStore()).find(ref)
    except UserError:
        if path.exists():
            raise
        return ref  # a hub id, most likely
    if pretraining_run_of(folder.model_dir) is None:
        raise UserError("not_a_pretraining_run", f"The run {folder.name} is not a finished "
                        "pretraining run with a saved model, so it cannot be the base model.",
                        "Give a pretraining run, a model folder or a hub id as --model; to "
                        f"train a fine-tuned run further, use --more {folder.name}.")
    return str(folder.model_dir)


@dataclass
class PretrainingStep:
    """What the Results page shows of the pretraining step before a fine-tuning run."""

    name: str
    path: str
    start: str          # "a new encoder (small)" or the continued model's name
    data: str
    steps: int
    train_loss: float | None
    eval_loss: float | None
    eval_perplexity: float | None
    seconds: float

    def text(self) -> str:
        losses = []
        if self.train_loss is not None:
            losses.append(f"last training loss {self.train_loss:.2f}")
        if self.eval_loss is not None:
            held = f"held-out loss {self.eval_loss:.2f}"
            if self.eval_perplexity is not None:
                held += f" (perplexity {self.eval_perplexity:,.0f})"
            losses.append(held)
        minutes = f"{self.seconds / 60:.1f} min" if self.seconds >= 60 else \
            f"{self.seconds:.0f} s"
        return (f"Pretraining run {self.name}: {self.start} on {self.data}, {self.steps:,} "
                f"steps in {minutes}" + (f", {', '.join(losses)}" if losses else "") + ".")


def pretraining_step(config) -> PretrainingStep | None:
    """The pretraining step behind a run's base model, or None when the base did not come
    from a pretraining run of the app."""
    from pft_desktop.core import events
    from pft_desktop.core.models import display_name
    from pft_desktop.core.runstore import summarize

    found = _pretraining_of(config)
    if found is None:
        return None
    parent, pretrain_config = found
    summary = summarize(parent)
    losses = [e["loss"] for e in parent.timeline()
              if e.get("type") == events.STEP and isinstance(e.get("loss"), (int, float))]
    scratch = pretrain_config.pretrain.from_scratch
    start = f"a new {scratch} ({pretrain_config.pretrain.size})" if scratch else \
        f"{display_name(pretrain_config.model.name_or_path)} continued"
    return PretrainingStep(
        name=parent.name, path=str(parent.path), start=start,
        data=Path(pretrain_config.data.train_file).name, steps=summary.step,
        train_loss=losses[-1] if losses else None,
        eval_loss=summary.final_metrics.get("eval_loss"),
        eval_perplexity=summary.final_metrics.get("eval_perplexity"),
        seconds=summary.duration_s)


def plain_base(config) -> str | None:
    """The model a fine-tuning run's pretraining step continued from: what to fine-tune the
    same way to see what the pretraining gained. None when the base was not an app-made
    continued pretraining (one from scratch started from random weights, not a model)."""
    found = _pretraining_of(config)
    if found is None or found[1].pretrain.from_scratch:
        return None
    return found[1].model.name_or_path or None


def _pretraining_of(config):
    """(the pretraining run behind a run's base model, its config), or None."""
    parent = pretraining_run_of(config.model.name_or_path)
    if parent is None:
        return None
    try:
        return parent, parent.load_config()
    except UserError:
        return None


# Settings a like-for-like comparison shares; the base model is what differs on purpose.
RECIPE_KEYS = ("task.", "method.", "training.")
NOT_RECIPE = ("training.seed", "training.output_dir", "model.name_or_path")


@dataclass
class BaseComparison:
    """This run against a fine-tuning of the plain base on the same data: the gain the
    pretraining step brought, as the benchmark measures it."""

    name: str           # the plain base's run
    base: str
    metric: str         # e.g. eval_accuracy
    ours: float
    theirs: float
    differences: list   # recipe settings that differ, e.g. ["training.learning_rate"]

    def text(self) -> str:
        from pft_desktop.core.models import display_name

        label = self.metric.removeprefix("eval_")
        text = (f"Against the plain base: run {self.name} fine-tuned {display_name(self.base)} "
                f"on the same data to {label} {self.theirs:.3f}; this run reached "
                f"{self.ours:.3f} ({self.ours - self.theirs:+.3f}).")
        if self.differences:
            shown = ", ".join(self.differences[:4])
            more = len(self.differences) - 4
            text += f" Its settings differ in {shown}" + (f" and {more} more" if more > 0
                                                          else "") + "."
        return text


def base_comparison(folder: RunFolder, store=None) -> BaseComparison | None:
    """The newest finished run that fine-tuned this run's plain base on the same training
    file for the same task, with the metric this run is judged by; None when there is none
    (or this run's base was not a continued pretraining of the app)."""
    from pft_desktop.core.runstore import RunStore, flatten, summarize

    try:
        config = folder.load_config()
    except UserError:
        return None
    base = plain_base(config)
    if base is None:
        return None
    ours = summarize(folder)
    metric = ours.best_metric
    if not isinstance(ours.final_metrics.get(metric), (int, float)):
        return None
    stores = [store or RunStore(), RunStore(folder.path.parent)]
    seen, candidates = {folder.path}, []
    for other in (f for s in stores for f in s.folders()):
        if other.path in seen:
            continue
        seen.add(other.path)
        try:
            other_config = other.load_config()
        except UserError:
            continue
        if other_config.model.name_or_path != base or \
                other_config.task.kind != config.task.kind or \
                not _same_file(other_config.data.train_file, config.data.train_file):
            continue
        summary = summarize(other)
        value = summary.final_metrics.get(metric)
        if summary.status == "finished" and isinstance(value, (int, float)):
            candidates.append((summary.started, other, other_config, value))
    if not candidates:
        return None
    _, other, other_config, value = max(candidates, key=lambda c: c[0])
    mine, theirs = flatten(config.to_dict()), flatten(other_config.to_dict())
    differences = sorted(k for k in set(mine) | set(theirs)
                         if k.startswith(RECIPE_KEYS) and k not in NOT_RECIPE
                         and mine.get(k) != theirs.get(k))
    return BaseComparison(name=other.name, base=base, metric=metric,
                          ours=float(ours.final_metrics[metric]), theirs=float(value),
                          differences=differences)


def _same_file(a: str, b: str) -> bool:
    if not a or not b:
        return False
    try:
        return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()
    except OSError:
        return a == b
