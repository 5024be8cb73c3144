"""The run folder: one directory per run, never left half-written.

Layout::

    config.toml        the RunConfig that describes the run
    events.jsonl       every event, one JSON object per line (append-only; a resume appends)
    train.log          the human-readable log (warnings, tracebacks)
    data_report.json   what happened to the rows
    status.json        schema, status as written, pid and its start time, parent run, times
    stop.request       present while someone asks the run to stop and save (any process)
    .summary.json      the library's cached summary of this folder (rebuilt when stale)
    checkpoints/       Trainer checkpoints (resumable), the best one kept
    model/             the trained model (full weights, or the LoRA adapter) and its tokenizer
    metrics.json       final evaluation, Trainer's names (eval_loss, eval_accuracy, ...)

The folder is created in one step (built aside, then renamed into place) and every later file
is written to a temporary name and renamed, so a crash leaves either the old or the new file.

This class is the one reader of a run folder: the app, the command line, the library and the
model card go through it. Folders written before schema 2 ("finished", "killed") still open.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from pft_desktop.core.config import RunConfig
from pft_desktop.core.errors import UserError

RUN_INFO = "pft_run.json"  # beside a saved model: task, labels, base model (export, predict)
SCHEMA = 2
CHECKPOINT_COMPLETE = ".pft-complete"  # written into a checkpoint once it is whole
STALL_FACTOR, STALL_MINIMUM_S = 10, 120  # "no progress": 10x the usual step, and 2 minutes
# What a run is, for the person: "running" only while its recorded process is alive.
STATUSES = ("running", "finished", "stopped", "interrupted", "failed", "diverged")
_LEGACY = {"completed": "finished", "killed": "interrupted"}  # schema 1 words


def process_started(pid: int) -> float | None:
    """When a process started (its identity together with the pid: a pid is reused, a pid with
    its start time is not). None when there is no such process."""
    try:
        import psutil

        return psutil.Process(pid).create_time()
    except Exception:  # noqa: BLE001 - gone, no access, or psutil missing
        return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def ordinary_permissions(path: Path) -> None:
    """Give a folder built in a private staging place the permissions the user's umask gives
    any new file: mkdtemp/mkstemp make them owner-only (0700/0600), so an export handed to a
    colleague or copied to a server could not be read."""
    mask = _umask()
    for item in [path, *path.rglob("*")]:
        if not item.is_symlink():
            item.chmod((0o777 if item.is_dir() else 0o666) & ~mask)


STAGING_MARGIN = 16  # a folder is built as ".NAME.xxxxxxxx" beside its final place


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name longer than the file system allows cannot exist
        return False


def check_new_folder(path: str | Path, what: str = "run folder") -> Path:
    """Check, before any work starts, that a folder can be made here: its name fits the file
    system (with room for the staging name it is built under), the whole path too, and its
    parent can be written. Spaces and non-Latin letters are fine."""
    path = Path(path).expanduser().absolute()
    existing = next((p for p in [path, *path.parents] if _exists(p)), Path(path.anchor))
    try:
        name_max = os.pathconf(existing, "PC_NAME_MAX")
        path_max = os.pathconf(existing, "PC_PATH_MAX")
    except (AttributeError, OSError, ValueError):  # Windows has no pathconf
        name_max, path_max = 255, 260 if os.name == "nt" else 4096
    for part in path.relative_to(existing).parts if path != existing else ():
        size = len(os.fsencode(part))
        if size + STAGING_MARGIN > name_max:
            raise UserError("path_too_long", f"The {what} name '{part[:40]}…' is {size} bytes "
                            f"long; this file system allows {name_max - STAGING_MARGIN} here.",
                            "Choose a shorter name.")
    if len(os.fsencode(str(path))) + STAGING_MARGIN > path_max:
        raise UserError("path_too_long", f"The {what} path is longer than this file system "
                        f"allows ({path_max} bytes).", "Choose a folder closer to the top of "
                        "the drive, or a shorter name.")
    if existing.is_dir() and not os.access(existing, os.W_OK):
        raise UserError("not_writable", f"The {what} cannot be created: {existing} is not "
                        "writable.", "Choose a folder you can write to.")
    if existing == path and not path.is_dir():
        raise UserError("not_a_folder", f"{path} exists and is a file, not a folder.",
                        f"Choose another name for the {what}.")
    return path


def stalled_seconds(step_times: list[float], now: float) -> float:
    """The stall rule on its own (``RunFolder.stalled_for`` and the window's follower share
    it): seconds since the last step when that is far longer than the recent steps took (the
    median gap of the last 20), else 0. No steps yet: 0, loading may take minutes."""
    times = list(step_times)[-21:]
    if not times:
        return 0.0
    gaps = sorted(b - a for a, b in zip(times, times[1:]))
    typical = gaps[len(gaps) // 2] if gaps else 0.0
    quiet = now - times[-1]
    return quiet if quiet > max(STALL_FACTOR * typical, STALL_MINIMUM_S) else 0.0


def measured_figures(timeline: list[dict]) -> dict:
    """What a run measured of itself, for later estimates with the same settings: the median
    seconds per optimizer step after warm-up (the first steps load and compile), the peak
    memory its steps recorded (device memory, or the process's on a CPU), and real (unpadded)
    tokens per step. Empty when it made too few steps to say."""
    steps = [e for e in timeline if e.get("type") == "step" and e.get("step")]
    warm_up = steps[0]["step"] + min(5, max(len(steps) // 4, 1)) if steps else 0
    seconds, tokens = [], []
    for before, after in zip(steps, steps[1:]):
        apart = after["step"] - before["step"]
        if apart <= 0 or before["step"] < warm_up or before.get("elapsed_s") is None \
                or after.get("elapsed_s") is None:
            continue
        seconds.append((after["elapsed_s"] - before["elapsed_s"]) / apart)
        if after.get("tokens_seen") and before.get("tokens_seen") is not None:
            tokens.append((after["tokens_seen"] - before["tokens_seen"]) / apart)
    memory = [e["memory_bytes"] for e in steps if isinstance(e.get("memory_bytes"), int)]
    if len(seconds) < 2:
        return {}
    middle = len(seconds) // 2
    figures = {"seconds_per_step": sorted(seconds)[middle], "steps_measured": len(seconds),
               "peak_memory_bytes": max(memory, default=0),
               "tokens_per_step": sorted(tokens)[len(tokens) // 2] if tokens else None}
    started = [e for e in timeline if e.get("type") == "started"]
    shape = (started[-1].get("step_shape") if started else None) or {}
    if shape.get("device") == "cpu" and figures["tokens_per_step"] and shape.get("rows"):
        from pft_desktop.core.estimate import shape_seconds_per_step

        rule = shape_seconds_per_step(shape, figures["tokens_per_step"] / shape["rows"])
        figures["pace"] = figures["seconds_per_step"] / rule  # measured / the rule's estimate
    return figures


def write_atomic(path: Path, text: str, durable: bool = True) -> None:
    """Write aside, then rename into place: a crash leaves the old file or the new one.
    ``durable`` also waits for the disk (skip it for caches: about 10 ms a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600, as an ordinary new file would be
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data, durable: bool = True) -> None:
    write_atomic(path, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", durable)


class RunFolder:
    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser().resolve()

    config_file = property(lambda self: self.path / "config.toml")
    events_file = property(lambda self: self.path / "events.jsonl")
    log_file = property(lambda self: self.path / "train.log")
    status_file = property(lambda self: self.path / "status.json")
    metrics_file = property(lambda self: self.path / "metrics.json")
    report_file = property(lambda self: self.path / "data_report.json")
    checkpoints = property(lambda self: self.path / "checkpoints")
    model_dir = property(lambda self: self.path / "model")
    stop_file = property(lambda self: self.path / "stop.request")
    summary_file = property(lambda self: self.path / ".summary.json")
    provenance_file = property(lambda self: self.path / "provenance.json")

    @property
    def name(self) -> str:
        return self.path.name

    @classmethod
    def create(cls, path: str | Path, config: RunConfig) -> "RunFolder":
        """Make the folder with its config and a pending status in one rename."""
        check_new_folder(path)
        folder = cls(path)
        if folder.path.exists() and any(folder.path.iterdir()):
            raise UserError("run_exists", f"The run folder {folder.path} already exists and is "
                            "not empty.", "Choose a new output folder, or resume that run with "
                            "`pft-desktop train --resume FOLDER`.")
        folder.path.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.path.parent, prefix=f".{folder.path.name}."))
        try:
            config.save(staging / "config.toml")
            write_json(staging / "status.json", {"status": "pending", "created": time.time(),
                                                 "schema": SCHEMA})
            ordinary_permissions(staging)
            if folder.path.exists():
                folder.path.rmdir()
            staging.rename(folder.path)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return folder

    def exists(self) -> bool:
        try:
            return self.config_file.is_file()
        except OSError:  # e.g. a name too long for the file system: no run can be there
            return False

    def load_config(self) -> RunConfig:
        if not self.exists():
            raise UserError("not_a_run", f"{self.path} is not a pft-desktop run folder (it has "
                            "no config.toml).", "Choose the folder a run was written to.")
        return RunConfig.load(self.config_file)

    def status(self) -> dict:
        try:
            return json.loads(self.status_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"status": "unknown"}

    def set_status(self, status: str, **extra) -> None:
        current = self.status()
        current.update(status=status, updated=time.time(), **extra)
        write_json(self.status_file, current)

    def mark_running(self, **extra) -> None:
        """Called by the process that trains: records who it is, so that any other process
        can tell a live run from one whose process died (or whose pid was reused)."""
        pid = os.getpid()
        self.set_status("running", pid=pid, pid_started=process_started(pid), schema=SCHEMA,
                        started=self.status().get("started") or time.time(), **extra)

    def is_live(self) -> bool:
        """Whether the process training this run is still alive, judged by the pid it recorded
        and, where recorded, that process's start time (so a reused pid does not count)."""
        status = self.status()
        pid = status.get("pid")
        if status.get("status") not in ("running", "pending") or not pid:
            return False
        try:
            os.kill(int(pid), 0)
        except (OSError, ValueError):
            return False
        recorded = status.get("pid_started")
        if recorded is not None:
            actual = process_started(int(pid))
            return actual is not None and abs(actual - float(recorded)) < 1.0
        return True

    def state(self) -> str:
        """The run's status as the person should read it, one of STATUSES: a run whose process
        is gone without a final word is "interrupted", whatever its file last said."""
        written = self.status().get("status", "unknown")
        written = _LEGACY.get(written, written)
        if written in ("running", "pending"):
            return "running" if self.is_live() else "interrupted"
        return written if written in STATUSES else "interrupted"

    # -- asking a run to stop, from any process --------------------------------------------
    def request_stop(self) -> None:
        """Ask the run to stop after its current step and save. The runner watches for this
        file, so it works from another window, the command line, and on every OS."""
        write_atomic(self.stop_file, f"{time.time()}\n")

    def stop_requested(self) -> bool:
        return self.stop_file.exists()

    def clear_stop_request(self) -> None:
        self.stop_file.unlink(missing_ok=True)

    # -- what happened ----------------------------------------------------------------------
    def timeline(self) -> list[dict]:
        """The run's events as one continuous run: after a resume from checkpoint N, the
        steps, evaluations and checkpoints past N that the interrupted process had written
        are dropped (they were redone), so charts neither repeat nor miss a step."""
        from pft_desktop.core import events

        if not self.events_file.is_file():
            return []
        kept: list[dict] = []
        for event in events.read_events(self.events_file):
            resumed = event.get("resumed_from_step") if event.get("type") == events.STARTED \
                else None
            if resumed is not None:
                kept = [e for e in kept if e.get("type") not in events.PER_STEP
                        or (e.get("step") or 0) <= resumed]
            kept.append(event)
        return kept

    def provenance(self) -> dict:
        """The data fingerprints and environment recorded when the run started (and at each
        resume, under "resumes")."""
        try:
            return json.loads(self.provenance_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def changes_since_start(self) -> list[str]:
        """What differs now from when the run started: its data files, the libraries (what a
        person reopening or resuming a run should know). Reads no model, imports no torch."""
        from pft_desktop.core import provenance

        before = self.provenance()
        if not before:
            return []
        now = {"data": {role: provenance.fingerprint_now(old)
                        for role, old in (before.get("data") or {}).items()
                        if Path(old.get("path", "")).exists()},
               "environment": provenance.environment()}
        return provenance.differences(before, now)

    def stalled_for(self, now: float | None = None) -> float:
        """Seconds a running run has gone without a step for much longer than its recent
        steps took (a hung data loader, a deadlocked device); 0 while it makes progress.
        Judged after its first step: before that, loading can legitimately take minutes."""
        if not self.is_live():
            return 0.0
        from pft_desktop.core import events

        # Only the steps of the process training now: a resumed run loading its checkpoint
        # has made none yet, however long ago the earlier process's last step was.
        since = self.status().get("pid_started") or 0.0
        times = [e["time"] for e in self.timeline()
                 if e.get("type") == events.STEP and (e.get("time") or 0) >= since]
        return stalled_seconds(times, now or time.time())

    def log_tail(self, lines: int = 12) -> list[str]:
        """The last non-empty lines of the run's log (what a person looks at when a run seems
        stuck); reads at most its last 64 KB."""
        try:
            with open(self.log_file, "rb") as handle:
                handle.seek(max(handle.seek(0, os.SEEK_END) - (64 << 10), 0))
                text = handle.read().decode("utf-8", "replace").replace("\r", "\n")
        except OSError:
            return []
        return [line for line in text.splitlines() if line.strip()][-lines:]

    def parent(self) -> str:
        """The run whose weights this one started from ("Train more"), or ""."""
        return self.status().get("parent", "")

    def data_report(self) -> dict:
        try:
            return json.loads(self.report_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def metrics(self) -> dict:
        try:
            return json.loads(self.metrics_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def latest_checkpoint(self) -> Path | None:
        """The newest checkpoint that was written completely. A process killed while writing
        one leaves it without its completion mark, so it is never resumed from. (Folders from
        before the mark existed have no marks at all: their checkpoints with a trainer state
        count.)"""
        if not self.checkpoints.is_dir():
            return None
        found = [p for p in self.checkpoints.glob("checkpoint-*")
                 if p.name.split("-")[-1].isdigit() and (p / "trainer_state.json").is_file()]
        marked = [p for p in found if (p / CHECKPOINT_COMPLETE).is_file()]
        if marked or any((p / CHECKPOINT_COMPLETE).exists()
                         for p in self.checkpoints.glob("checkpoint-*")):
            found = marked
        return max(found, key=lambda p: int(p.name.split("-")[-1]), default=None)

    def replace_dir(self, source: Path, target: Path) -> None:
        """Move a finished folder into place; the old one goes only after the new one is in."""
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
        source.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
