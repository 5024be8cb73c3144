"""The run library: every run folder under the runs root (plus folders opened from elsewhere),
summarised for listing, sorting and comparing, and found by name or path.

A summary is folded from a folder's events through ``RunFolder.timeline()`` and cached in the
folder (``.summary.json``) under the sizes and times of the files it was built from, so a
library of hundreds of runs opens without re-reading their events. Liveness is never cached:
"running" is decided afresh from the recorded process each time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pft_desktop.core.errors import UserError
from pft_desktop.core.rundir import RunFolder, write_json

SUMMARY_VERSION = 4  # 2: measured figures and their settings; 3: the machine's pace;
# 4: the pace against the step rule that knows the first-token last layer
EXTERNAL = ".library.json"  # run folders outside the root that were opened and joined


def runs_root() -> Path:
    """Where runs live: $PFT_RUNS_ROOT, else the app's setting, else the user's data folder.
    ($PFT_DESKTOP_RUNS_DIR, the older name, still works.)"""
    for variable in ("PFT_RUNS_ROOT", "PFT_DESKTOP_RUNS_DIR"):
        if os.environ.get(variable):
            return Path(os.environ[variable]).expanduser()
    from pft_desktop.core.settings import load_settings

    chosen = load_settings().get("runs_root")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("pft-desktop", appauthor=False)) / "runs"


@dataclass
class RunSummary:
    """One line of the library: what the person sorts, filters and compares by."""

    name: str
    path: str
    status: str = "interrupted"
    started: float = 0.0            # epoch seconds
    model: str = ""
    task: str = ""
    method: str = ""
    step: int = 0
    total_steps: int = 0
    best_metric: str = ""           # e.g. eval_f1
    best_value: float | None = None
    final_metrics: dict = field(default_factory=dict)
    duration_s: float = 0.0         # training time (elapsed of the last step)
    size_bytes: int = 0
    parent: str = ""
    error: str = ""
    measured: dict = field(default_factory=dict)  # rundir.measured_figures, for estimates
    settings_key: str = ""          # estimate_history.settings_key: what they depend on

    def to_dict(self) -> dict:
        return asdict(self)


def _stamp(folder: RunFolder) -> list:
    """What a cached summary was built from: if any of these changed, it is stale."""
    stamp = [SUMMARY_VERSION]
    for path in (folder.events_file, folder.status_file, folder.metrics_file,
                 folder.config_file, folder.checkpoints, folder.model_dir):
        try:
            info = path.stat()
            stamp += [info.st_size if path.is_file() else 0, info.st_mtime_ns]
        except OSError:
            stamp += [None, None]
    return stamp


def _folder_size(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _fold(folder: RunFolder) -> RunSummary:
    """Build a summary from the folder's files (the slow path; cached by ``summarize``)."""
    from pft_desktop.core import events
    from pft_desktop.core.models import display_name

    summary = RunSummary(name=folder.name, path=str(folder.path))
    status = folder.status()
    summary.started = float(status.get("started") or status.get("created") or 0.0)
    summary.parent = status.get("parent", "")
    try:
        config = folder.load_config()
    except UserError:
        config = None
    metric, higher = "eval_loss", False
    if config is not None:
        summary.model = display_name(config.model.name_or_path) if config.model.name_or_path \
            else f"new {config.pretrain.from_scratch}"
        summary.task, summary.method = config.task.kind, config.method.kind
        metric = config.training.metric_for_best or _default_metric(config.task.kind)
        higher = not metric.endswith("loss")
    summary.best_metric = metric
    timeline = folder.timeline()
    if config is not None:
        from pft_desktop.core.estimate_history import settings_key
        from pft_desktop.core.rundir import measured_figures

        summary.measured, summary.settings_key = measured_figures(timeline), \
            settings_key(config)
    for event in timeline:
        kind = event.get("type")
        if kind == events.STARTED:
            summary.total_steps = event.get("total_steps") or summary.total_steps
            summary.started = summary.started or float(event.get("time") or 0.0)
        elif kind == events.STEP:
            summary.step = event.get("step") or summary.step
            summary.total_steps = event.get("max_steps") or summary.total_steps
            summary.duration_s = float(event.get("elapsed_s") or summary.duration_s)
        elif kind == events.EVAL and isinstance(event.get(metric), (int, float)):
            value = float(event[metric])
            if summary.best_value is None or (value > summary.best_value if higher
                                              else value < summary.best_value):
                summary.best_value = value
        elif kind == events.ERROR:
            summary.error = event.get("message", "")
    summary.final_metrics = {k: v for k, v in folder.metrics().items()
                             if isinstance(v, (int, float)) and not isinstance(v, bool)}
    summary.size_bytes = _folder_size(folder.path)
    return summary


def _default_metric(task_kind: str) -> str:
    from pft_desktop.core.tasks import get_task

    try:
        return get_task(task_kind).default_best_metric
    except UserError:
        return "eval_loss"


def summarize(folder: RunFolder) -> RunSummary:
    """The folder's summary, from its cache when nothing it was built from has changed."""
    stamp = _stamp(folder)
    summary = None
    try:
        cached = json.loads(folder.summary_file.read_text(encoding="utf-8"))
        if cached.get("stamp") == stamp:
            summary = RunSummary(**cached["summary"])
    except (OSError, ValueError, TypeError, KeyError):
        pass
    if summary is None:
        summary = _fold(folder)
        try:
            write_json(folder.summary_file, {"stamp": stamp, "summary": summary.to_dict()},
                       durable=False)  # a cache: a torn one is rebuilt
        except OSError:
            pass  # a read-only folder still lists; it is only slower
    summary.name, summary.path = folder.name, str(folder.path)
    summary.status = folder.state()  # never cached: a live process can die at any moment
    return summary


class RunStore:
    """The runs under one root, and run folders from elsewhere that joined the library."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root).expanduser() if root else runs_root()

    # -- finding ----------------------------------------------------------------------------
    def folders(self) -> list[RunFolder]:
        found = []
        if self.root.is_dir():
            with os.scandir(self.root) as entries:
                for entry in entries:
                    if entry.is_dir() and not entry.name.startswith(".") and \
                            os.path.isfile(os.path.join(entry.path, "config.toml")):
                        found.append(RunFolder(entry.path))
        known = {folder.path for folder in found}
        for path in self._external():
            folder = RunFolder(path)
            if folder.path not in known and folder.exists():
                found.append(folder)
        return found

    def summaries(self) -> list[RunSummary]:
        """Every run, newest first."""
        return sorted((summarize(folder) for folder in self.folders()),
                      key=lambda summary: summary.started, reverse=True)

    def find(self, ref: str | Path) -> RunFolder:
        """A run by its folder path, or by its name in the library (a unique prefix will do)."""
        path = Path(ref).expanduser()
        if path.is_dir():
            folder = RunFolder(path)
            if folder.exists():
                return folder
            raise UserError("not_a_run", f"{path} is not a pft-desktop run folder (it has no "
                            "config.toml).", "Give the folder a run was written to, or a run "
                            "name from `pft-desktop runs`.")
        folders = self.folders()
        exact = [folder for folder in folders if folder.name == str(ref)]
        matches = exact or [folder for folder in folders if folder.name.startswith(str(ref))]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UserError("unknown_run", f"No run named '{ref}' in {self.root}.",
                            "List the runs with `pft-desktop runs`, or give the run folder's "
                            "path.")
        names = ", ".join(sorted(folder.name for folder in matches)[:5])
        raise UserError("ambiguous_run", f"'{ref}' matches {len(matches)} runs: {names}.",
                        "Give more of the name, or the run folder's path.")

    def live_runs(self, exclude: str | Path | None = None) -> list[RunFolder]:
        """Runs whose training process is alive (this machine's cores are busy)."""
        skip = RunFolder(exclude).path if exclude else None
        return [folder for folder in self.folders()
                if folder.path != skip and folder.status_file.is_file() and folder.is_live()]

    # -- changing ---------------------------------------------------------------------------
    def new_run_dir(self, label: str) -> Path:
        """A fresh, unique folder name under the root: date, time and a readable label."""
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", label)[:40].strip("-.") or "run"
        base = self.root / f"{time.strftime('%Y%m%d-%H%M%S')}-{name}"
        path, number = base, 1
        while path.exists():  # two runs started within the same second
            number += 1
            path = base.with_name(f"{base.name}-{number}")
        return path

    def add(self, path: str | Path) -> RunFolder:
        """Let a run folder from elsewhere join the library (it stays where it is)."""
        folder = RunFolder(path)
        if not folder.exists():
            raise UserError("not_a_run", f"{folder.path} is not a pft-desktop run folder.",
                            "Choose the folder a run was written to (it holds config.toml).")
        if folder.path.parent != self.root.resolve():
            external = self._external()
            if str(folder.path) not in external:
                self._write_external(external + [str(folder.path)])
        return folder

    def rename(self, folder: RunFolder, new_name: str) -> RunFolder:
        new_name = new_name.strip()
        if not new_name or new_name != Path(new_name).name or new_name.startswith("."):
            raise UserError("invalid_name", f"'{new_name}' cannot be a run name.",
                            "Use letters, digits, dashes and dots, without slashes.")
        if folder.is_live():
            raise UserError("still_running", f"The run {folder.name} is training; it cannot be "
                            "renamed now.", "Rename it when it has stopped or finished.")
        target = folder.path.with_name(new_name)
        if target.exists():
            raise UserError("run_exists", f"A run named '{new_name}' already exists.",
                            "Choose another name.")
        folder.path.rename(target)
        external = self._external()
        if str(folder.path) in external:
            self._write_external([str(target) if p == str(folder.path) else p
                                  for p in external])
        return RunFolder(target)

    def forget(self, folder: RunFolder) -> None:
        """Drop an external folder from the library (its files stay where they are)."""
        self._write_external([p for p in self._external() if p != str(folder.path)])

    def delete(self, folder: RunFolder) -> None:
        """Delete a run folder for good (the app moves it to the trash instead)."""
        if folder.is_live():
            raise UserError("still_running", f"The run {folder.name} is training.",
                            "Stop it first.")
        shutil.rmtree(folder.path)
        self.forget(folder)

    def _external(self) -> list[str]:
        try:
            data = json.loads((self.root / EXTERNAL).read_text(encoding="utf-8"))
            return [str(p) for p in data.get("runs", [])]
        except (OSError, ValueError, AttributeError):
            return []

    def _write_external(self, paths: list[str]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        write_json(self.root / EXTERNAL, {"version": 1, "runs": paths})


def train_more_config(folder: RunFolder):
    """The config of a new run that starts from this finished (or stopped) run's weights, with
    the run's own settings; the parent is recorded when the new run starts."""
    from pft_desktop.core.rundir import RUN_INFO

    state = folder.state()
    if state == "running":
        raise UserError("cannot_train_more", f"The run {folder.name} is still training.",
                        "Train more once it has finished (or stop it first).")
    if state not in ("finished", "stopped") or not (folder.model_dir / RUN_INFO).is_file():
        raise UserError("cannot_train_more", f"The run {folder.name} is {state} and has no "
                        "saved model to start from.", "Train more from a run that finished or "
                        "was stopped; resume an interrupted one instead.")
    config = folder.load_config()
    config.model.start_from = str(folder.path)
    return config


def use_smaller_batch(folder: RunFolder):
    """After an out-of-memory: halve the run's batch (or the nearest divisor) and multiply
    gradient accumulation to keep the effective batch, so resuming from the last checkpoint
    goes on with the same optimisation. Returns the new config, already saved in the run."""
    from pft_desktop.core.recipe import smaller_batch

    if folder.is_live():
        raise UserError("still_running", f"The run {folder.name} is training.", "Stop it first.")
    if folder.latest_checkpoint() is None:
        raise UserError("no_checkpoint", f"{folder.name} has no checkpoint to retry from.",
                        "Start it again with a smaller batch size.")
    config = folder.load_config()
    t = config.training
    smaller = smaller_batch(t.batch_size)
    if not smaller:
        raise UserError("batch_is_one", "The batch size is already 1.", "Lower the maximum "
                        "length, turn on gradient checkpointing, or use QLoRA 4-bit.")
    t.gradient_accumulation, t.batch_size = t.gradient_accumulation * t.batch_size // smaller, \
        smaller
    config.save(folder.config_file)
    changes = folder.status().get("batch_changes", [])
    folder.set_status(folder.status().get("status", "failed"), batch_changes=changes + [
        {"batch_size": t.batch_size, "gradient_accumulation": t.gradient_accumulation}])
    return config


def flatten(config: dict, prefix: str = "") -> dict:
    """{"training": {"seed": 1}} -> {"training.seed": 1}"""
    flat = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def compare(folders: list[RunFolder]) -> dict:
    """Side by side: each run's summary and final metrics, and only the config fields whose
    values differ between the runs."""
    if len(folders) < 2:
        raise UserError("compare_needs_two", "Comparing needs at least two runs.",
                        "Choose two or more runs.")
    configs = {}
    for folder in folders:
        try:
            configs[folder.name] = flatten(folder.load_config().to_dict())
        except UserError:
            configs[folder.name] = {}
    keys = sorted(set().union(*configs.values()))
    differ = {key: {name: config.get(key) for name, config in configs.items()}
              for key in keys
              if len({json.dumps(config.get(key), sort_keys=True)
                      for config in configs.values()}) > 1}
    summaries = [summarize(folder) for folder in folders]
    metric_names = sorted(set().union(*(s.final_metrics for s in summaries)))
    return {"runs": [s.to_dict() for s in summaries],
            "metrics": {name: {s.name: s.final_metrics.get(name) for s in summaries}
                        for name in metric_names},
            "config_diff": differ}
