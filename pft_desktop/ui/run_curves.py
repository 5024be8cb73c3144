"""What the compare view plots, without Qt: one curve per run from its timeline (train loss,
eval loss, or the task's main metric) against step, epoch or training time."""

from __future__ import annotations

import json

from pft_desktop.core import events as ev

X_AXES = (("step", "Step"), ("epoch", "Epoch"), ("time", "Training time"))
X_LABELS = {"step": "step", "epoch": "epoch", "time": "training time (s)"}
# Distinct at a glance, none of them the error red first.
RUN_COLOURS = ("#2563eb", "#d97706", "#059669", "#7c3aed", "#db2777", "#0f766e", "#52606d",
               "#dc2626")
HIDDEN_METRICS = ("runtime", "per_second", "confusion_matrix", "per_class", "label_names")


def metric_label(name: str) -> str:
    """eval_f1 -> "F1 (eval)", eval_loss -> "Eval loss", loss -> "Train loss"."""
    if name == "loss":
        return "Train loss"
    if name == "eval_loss":
        return "Eval loss"
    short = name.removeprefix("eval_").replace("_", " ")
    return f"{short[:1].upper()}{short[1:]} (eval)" if short.islower() and len(short) > 2 \
        else f"{short.upper()} (eval)"


def curve_choices(runs: list[dict]) -> list[tuple[str, str]]:
    """(key, label) of what can be plotted: train and eval loss, and each run's main metric."""
    keys = ["loss", "eval_loss"]
    for run in runs:
        metric = run.get("best_metric") or ""
        if metric.startswith("eval_") and metric not in keys:
            keys.append(metric)
    return [(key, metric_label(key)) for key in keys]


def curve(timeline: list[dict], y: str, x: str = "step") -> tuple[list[float], list[float]]:
    """The points of one run: ``y`` is "loss" (every training step) or an eval metric (each
    evaluation during training; the final one is in the metrics table); ``x`` is "step",
    "epoch" or "time" (training seconds, which go on across a resume)."""
    xs: list[float] = []
    ys: list[float] = []
    elapsed = 0.0
    for event in timeline:
        kind = event.get("type")
        if kind == ev.STEP:
            elapsed = float(event.get("elapsed_s") or elapsed)
        if y == "loss" and kind != ev.STEP or y != "loss" and (kind != ev.EVAL
                                                                or event.get("final")):
            continue
        value = event.get(y)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        where = elapsed if x == "time" else event.get(x)
        if not isinstance(where, (int, float)):
            continue
        xs.append(float(where))
        ys.append(float(value))
    return xs, ys


def metric_rows(metrics: dict[str, dict[str, float | None]]) -> list[str]:
    """The final metrics worth a row: numbers a person compares (no runtimes or matrices)."""
    return [name for name in sorted(metrics) if not any(h in name for h in HIDDEN_METRICS)]


def best_run(values: dict[str, float | None], metric: str) -> str | None:
    """The run with the best value of a quality metric (lowest for losses and perplexity);
    None for counts such as epochs or tokens seen, where more is not better."""
    if not (metric.startswith("eval_") or metric.endswith("loss")):
        return None
    numbers = {run: value for run, value in values.items() if isinstance(value, (int, float))}
    if len(numbers) < 2 or len(set(numbers.values())) < 2:
        return None
    lower = metric.endswith(("loss", "perplexity")) or "runtime" in metric
    return (min if lower else max)(numbers, key=numbers.get)


def distinct_names(names: list[str]) -> list[str]:
    """Run names without the ending they all share (runs of one model differ in their date
    and time: "20261123-174616-all-MiniLM" and "20261123-175232-all-MiniLM" -> the times)."""
    if len(names) < 2:
        return list(names)
    shared = 0
    while shared < min(map(len, names)) and len({name[-shared - 1] for name in names}) == 1:
        shared += 1
    ending = names[0][len(names[0]) - shared:] if shared else ""
    cut = ending.find("-")  # cut at a dash, so a shared part of a word stays
    if cut < 0:
        return list(names)
    trimmed = [name[:len(name) - len(ending) + cut] for name in names]
    return trimmed if all(trimmed) and len(set(trimmed)) == len(names) else list(names)


def setting_text(name: str, value) -> str:
    """A config value as the forms say it: a zero or empty value that means something reads
    as what it means ("from epochs", "off"), a list or number as written."""
    import dataclasses

    from pft_desktop.core.config import RunConfig

    section, _, field_name = name.partition(".")
    unset = ""
    settings = getattr(RunConfig(), section, None)
    if dataclasses.is_dataclass(settings):
        for spec in dataclasses.fields(settings):
            if spec.name == field_name:
                unset = spec.metadata.get("unset", "")
    if unset and value in (0, "", None, [], 0.0) and not isinstance(value, bool):
        return unset
    if value is None:
        return "–"
    return value if isinstance(value, str) else json.dumps(value)
