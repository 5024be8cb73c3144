"""The background trainer: a QThread that launches ``pft_desktop.runner`` as a child process
and relays its JSON events, and a GUI-thread QObject that turns them into typed Qt signals.

The worker thread only reads the child's stdout; everything the GUI listens to is re-emitted by
``TrainingSession``, which lives in the GUI thread (signals of a worker thread connected to
plain functions would run them in the worker thread).
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from pft_desktop.core import events as ev

STOP_GRACE_SECONDS = 30
POLLABLE = sys.platform != "win32"  # select() works on pipes everywhere but Windows


class TrainerThread(QThread):
    """Starts the runner and reads its stdout line by line until it exits."""

    event_received = Signal(dict)
    exited = Signal(int)

    def __init__(self, run_dir: Path, resume: bool = False, parent=None):
        super().__init__(parent)
        self.run_dir = Path(run_dir)
        self.resume = resume
        self.process: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._detached = False

    def run(self) -> None:
        command = [sys.executable, "-m", "pft_desktop.runner", str(self.run_dir)]
        if self.resume:
            command.append("--resume")
        console = open(self.run_dir / "console.log", "a", encoding="utf-8")
        try:
            with self._lock:
                # A session of its own: closing the window or a terminal's Ctrl+C does not
                # kill the run; it only stops when asked (or killed) by the app.
                self.process = subprocess.Popen(
                    command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=console,
                    start_new_session=True)
            self._read_events(self.process.stdout.fileno())
            code = self.process.wait() if not self._detached else 0
        except OSError as exc:
            self.event_received.emit(ev.make_event(
                ev.ERROR, kind="runner_failed", message=f"The training process could not start "
                f"({exc}).", fix="Check that pft-desktop is installed in this Python."))
            code = -1
        finally:
            console.close()
        self.exited.emit(code)

    def _read_events(self, fd: int) -> None:
        """Read JSON lines until the child closes stdout, or until detached. On POSIX the read
        waits at most 0.2 s at a time so that detaching never hangs on a quiet child."""
        pending = b""
        while not self._detached:
            if POLLABLE:
                ready, _, _ = select.select([fd], [], [], 0.2)
                if not ready:
                    continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                event = ev.parse_line(line.decode("utf-8", "replace"))
                if event is not None:
                    self.event_received.emit(event)

    def detach(self) -> None:
        """Stop listening and let the run go on alone: it keeps writing events.jsonl, and our
        end of its stdout is closed so its writes there fail fast instead of filling a pipe."""
        self._detached = True
        self.wait(3000)
        with self._lock:
            if self.process and self.process.stdout:
                self.process.stdout.close()

    def send_stop(self) -> None:
        with self._lock:
            if self.process and self.process.poll() is None and self.process.stdin:
                try:
                    self.process.stdin.write(b"stop\n")
                    self.process.stdin.flush()
                except (BrokenPipeError, OSError):
                    pass

    def kill(self) -> None:
        with self._lock:
            if self.process and self.process.poll() is None:
                self.process.kill()


class TrainingSession(QObject):
    """Owns one run's TrainerThread in the GUI thread and re-emits its events as typed
    signals. ``finished`` carries a ProcessOutcome-like summary: status, metrics, error."""

    started = Signal(dict)
    status_changed = Signal(str)
    data_report = Signal(dict)
    step = Signal(dict)
    evaluated = Signal(dict)
    checkpoint_saved = Signal(dict)
    failed = Signal(dict)
    stop_overdue = Signal()
    finished = Signal(dict)   # {"status", "metrics", "error", "exit_code"}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.thread: TrainerThread | None = None
        self.run_dir: Path | None = None
        self._running = False
        self._final: dict = {}
        self._error: dict = {}
        self._stop_timer = QTimer(self)
        self._stop_timer.setSingleShot(True)
        self._stop_timer.timeout.connect(self._stop_overdue)

    def is_running(self) -> bool:
        # Not QThread.isRunning(): the thread emits `exited` just before run() returns, so
        # for a moment after the run has ended the thread still counts as running.
        return self._running

    def start(self, run_dir: Path, resume: bool = False) -> None:
        if self.is_running():
            raise RuntimeError("a run is already in progress")
        if self.thread is not None:
            self.thread.wait(5000)  # the previous run's thread is returning from run()
        self.run_dir, self._final, self._error = Path(run_dir), {}, {}
        self._running = True
        self.thread = TrainerThread(self.run_dir, resume, parent=self)
        self.thread.event_received.connect(self._on_event)
        self.thread.exited.connect(self._on_exit)
        self.thread.start()

    def stop(self) -> None:
        """Ask the runner to finish its step and save; offer Kill if it takes too long."""
        if self.is_running():
            self.thread.send_stop()
            self._stop_timer.start(STOP_GRACE_SECONDS * 1000)

    def kill(self) -> None:
        if self.thread is not None:
            self.thread.kill()

    def detach(self) -> None:
        """Leave the run training in the background (the window is closing)."""
        if self.thread is not None and self._running:
            self.thread.exited.disconnect(self._on_exit)
            self.thread.detach()
            self._running = False

    def wait(self, ms: int = 10000) -> bool:
        return self.thread.wait(ms) if self.thread is not None else True

    @Slot(dict)
    def _on_event(self, event: dict) -> None:
        kind = event.get("type")
        if kind == ev.STARTED:
            self.started.emit(event)
        elif kind == ev.STATUS:
            self.status_changed.emit(event.get("text", ""))
        elif kind == ev.DATA_REPORT:
            self.data_report.emit(event)
        elif kind == ev.STEP:
            self.step.emit(event)
        elif kind == ev.EVAL:
            self.evaluated.emit(event)
        elif kind == ev.CHECKPOINT:
            self.checkpoint_saved.emit(event)
        elif kind == ev.ERROR:
            self._error = event
            self.failed.emit(event)
        elif kind == ev.FINISHED:
            self._final = event

    @Slot(int)
    def _on_exit(self, code: int) -> None:
        self._running = False
        self._stop_timer.stop()
        status = self._final.get("status") or ("killed" if code < 0 else "failed")
        error = self._error
        if not self._final and not error:
            error = {"kind": "runner_crashed", "message": "The training process ended "
                     f"unexpectedly ({'killed' if code < 0 else f'exit code {code}'}).",
                     "fix": "See the full log for details; the last checkpoint can be resumed."}
            if status == "killed":
                error = {"kind": "killed", "message": "The run was killed before it could save.",
                         "fix": "Resume it from its last checkpoint, if one was saved."}
        self.finished.emit({"status": status, "metrics": self._final.get("metrics", {}),
                            "error": error, "exit_code": code})

    def _stop_overdue(self) -> None:
        if self.is_running():
            self.stop_overdue.emit()
