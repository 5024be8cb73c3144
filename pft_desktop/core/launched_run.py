"""A run trained by several processes, followed from the command line.

``run_training`` trains in the calling process; a run with ``resources.processes`` above 1 must
be started through accelerate's launcher instead (``core.launch``). ``train_in_processes`` takes
the same arguments and returns the same ``RunOutcome``: it makes the run folder, starts the
launcher, passes each event rank 0 prints to ``sink``, turns ``stop`` into a stop request
the ranks agree on, and says what happened when they end.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from pft_desktop.core import events, launch
from pft_desktop.core.errors import UserError
from pft_desktop.core.recipe import RunOutcome, with_absolute_paths
from pft_desktop.core.rundir import RunFolder

KILL_WAIT_S = 10


def train_in_processes(config, run_dir, sink=lambda event: None,
                       stop: threading.Event | None = None, resume: bool = False) -> RunOutcome:
    """Train ``run_dir`` with one process per device. A new run's folder is made first (the
    ranks read their config from it), so a run whose data turns out bad leaves a failed
    folder, as one started from the app does. ``KeyboardInterrupt`` (a second Ctrl+C) kills
    the processes; the run can be resumed from its last checkpoint."""
    stop = stop or threading.Event()
    folder = RunFolder(run_dir)
    if config is not None and not resume:
        config = with_absolute_paths(config)
        launch.check_resources(config)  # before a folder exists
        RunFolder.create(folder.path, config)
    config = folder.load_config()
    with open(folder.path / launch.CONSOLE_LOG, "a", encoding="utf-8") as console:
        process = launch.start_runner(folder.path, resume, config,
                                      stdout=subprocess.PIPE, stderr=console)
    done = threading.Event()
    threading.Thread(target=_pass_on_stop, args=(stop, done, folder, process),
                     name="stop-forwarder", daemon=True).start()
    error = final = None
    try:
        for raw in process.stdout:
            event = events.parse_line(raw.decode("utf-8", "replace"))
            if event is None:
                continue
            if event["type"] == events.ERROR:
                error = event
            elif event["type"] == events.FINISHED:
                final = event
            sink(event)
        process.wait()
    except KeyboardInterrupt:
        process.kill()  # the ranks follow their launcher within a second
        process.wait(KILL_WAIT_S)
        error = UserError("interrupted", "The run was interrupted.", _resume_advice(folder))
        return RunOutcome("failed", error=error, run_dir=folder.path)
    finally:
        done.set()
    return _outcome(folder, final, error, process.returncode, sink)


def _pass_on_stop(stop: threading.Event, done: threading.Event, folder: RunFolder,
                  process) -> None:
    """Ctrl+C sets ``stop``: ask the ranks through the run folder and their shared stdin."""
    while not done.is_set():
        if stop.wait(0.2):
            try:
                folder.request_stop()
            except OSError:
                pass
            try:
                process.stdin.write(b"stop\n")
                process.stdin.flush()
            except (OSError, ValueError):
                pass
            return


def _outcome(folder: RunFolder, final: dict | None, error: dict | None, code: int,
             sink) -> RunOutcome:
    """What the ranks' events said; when rank 0 ended without its final word, what a rank
    recorded (``launch.settle_failed_launch``), or the exit code and where the output is."""
    if final is None:
        error = launch.settle_failed_launch(folder.path) or error or {
            "kind": "runner_crashed", "message": "The training processes ended without "
            f"finishing the run (exit code {code}).", "fix": "Their output is in "
            f"{folder.path / launch.CONSOLE_LOG}. " + _resume_advice(folder)}
        sink(events.make_event(events.ERROR, **error))
        sink(events.make_event(events.FINISHED, status="failed", metrics={}))
        final = {"status": "failed", "metrics": {}}
    status = final.get("status") or "failed"
    as_error = UserError(error.get("kind", "internal"), error.get("message", ""),
                         error.get("fix", "")) if error else None
    return RunOutcome(status, metrics=final.get("metrics") or {}, error=as_error,
                      run_dir=Path(folder.path))


def _resume_advice(folder: RunFolder) -> str:
    if folder.latest_checkpoint() is not None:
        return f"Resume it with `pft-desktop train --resume {folder.path}`."
    return "Nothing was saved yet (no checkpoint): start it again."
