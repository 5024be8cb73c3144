"""The run folder: one directory per run, never left half-written.

Layout::

    config.toml        the RunConfig that describes the run
    events.jsonl       every event, one JSON object per line
    train.log          the human-readable log (warnings, tracebacks)
    data_report.json   what happened to the rows
    status.json        pending | running | completed | stopped | failed, with times
    checkpoints/       Trainer checkpoints (resumable), the best one kept
    model/             the trained model (full weights, or the LoRA adapter) and its tokenizer
    metrics.json       final evaluation, Trainer's names (eval_loss, eval_accuracy, ...)

The folder is created in one step (built aside, then renamed into place) and every later file
is written to a temporary name and renamed, so a crash leaves either the old or the new file.
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


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600, as an ordinary new file would be
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data) -> None:
    write_atomic(path, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


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

    @classmethod
    def create(cls, path: str | Path, config: RunConfig) -> "RunFolder":
        """Make the folder with its config and a pending status in one rename."""
        folder = cls(path)
        if folder.path.exists() and any(folder.path.iterdir()):
            raise UserError("run_exists", f"The run folder {folder.path} already exists and is "
                            "not empty.", "Choose a new output folder, or resume that run with "
                            "`pft-desktop train --resume FOLDER`.")
        folder.path.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.path.parent, prefix=f".{folder.path.name}."))
        try:
            config.save(staging / "config.toml")
            write_json(staging / "status.json", {"status": "pending", "created": time.time()})
            ordinary_permissions(staging)
            if folder.path.exists():
                folder.path.rmdir()
            staging.rename(folder.path)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return folder

    def exists(self) -> bool:
        return self.config_file.is_file()

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

    def is_live(self) -> bool:
        """Whether the process training this run is still alive (a run left training in the
        background when the app closed), judged by the PID it recorded."""
        status = self.status()
        pid = status.get("pid")
        if status.get("status") != "running" or not pid:
            return False
        try:
            os.kill(int(pid), 0)
        except (OSError, ValueError):
            return False
        return True

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
        if not self.checkpoints.is_dir():
            return None
        found = [p for p in self.checkpoints.glob("checkpoint-*")
                 if p.name.split("-")[-1].isdigit() and (p / "trainer_state.json").is_file()]
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
