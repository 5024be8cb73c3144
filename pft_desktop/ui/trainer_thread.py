"""The training session: launches ``python -m pft_desktop.runner RUN_DIR`` as a child process,
or takes up a run found training in the background, and follows either through its folder with
a ``RunFollower``, so a run launched here and a run found later show the same way.

The child runs in a session of its own, so closing the window (or Ctrl+C in the terminal that
started the app) does not end it. Its stdout is not read (the events come from events.jsonl, and
an unread pipe would fill and block it); its stderr goes to console.log in the run folder.
A run with several processes starts the same way through ``core.launch`` (accelerate's
launcher is then the child, and the ranks follow it).

Once ``keep_warm()`` is called (the app does, when its window opens), the session keeps one
warm runner (``launch.WarmRunner``) waiting with the libraries imported, and Start hands it the
run, which saves the 5 to 12 s those imports take; a fresh one is started after each run.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from pft_desktop.core import events as ev
from pft_desktop.core import launch
from pft_desktop.core.errors import UserError
from pft_desktop.core.rundir import RunFolder, process_started
from pft_desktop.ui.run_follower import RunFollower

STOP_GRACE_SECONDS = 30
STOP_REPEAT_MS = 2000  # the runner clears old stop requests while it starts: ask again
WARM_UP_DELAY_MS = 3000   # after the window opens or a run ends: let the page settle first
WARM_RETRY_MS = 30000     # a run trains elsewhere: its cores are busy, look again later
WARM_RUNNER_SWITCH = "PFT_DESKTOP_WARM_RUNNER"  # "0": always start a fresh runner
FORWARDED = ("started", "status_changed", "data_report", "steps", "evaluated",
             "checkpoint_saved", "failed", "rewound", "log_text", "stalled")


def launch_runner(run_dir: Path, resume: bool = False,
                  warm: launch.WarmRunner | None = None) -> subprocess.Popen:
    """Start the run's training through the one launch seam (one runner, or one per device
    through accelerate's launcher; ``warm``'s process when the run fits it), in a session of
    its own: closing the window or a terminal's Ctrl+C does not kill the run; it only stops
    when asked (or killed). Raises UserError for [resources] that cannot run (DeepSpeed not
    installed, say)."""
    with open(Path(run_dir) / launch.CONSOLE_LOG, "a", encoding="utf-8") as console:
        return launch.start_runner(run_dir, resume, stdout=subprocess.DEVNULL, stderr=console,
                                   warm=warm)


_WAITING: set[launch.WarmRunner] = set()  # warm runners not yet handed a run


@atexit.register
def _close_waiting() -> None:
    """No warm runner outlives the app, even one whose window was never closed. (One whose
    app crashed ends by itself: it sees its stdin close.)"""
    for warm in list(_WAITING):
        warm.close()


_WITHOUT_WORD = ("runner_crashed", "killed", "interrupted")  # run_follower.ended_without_word


def _record_refusal(run_dir: Path, error: UserError) -> None:
    """A run refused before it started ends "failed" with the reason, not "interrupted"."""
    folder = RunFolder(run_dir)
    try:
        if folder.exists():
            folder.set_status("failed", error=error.to_dict())
    except OSError:
        pass


def record_launch(folder: RunFolder, pid: int) -> None:
    """The runner records its own pid only once its libraries are loaded and the data checked
    (seconds later); until then any other window would see a run with no process, so
    "interrupted". The launcher records the child meanwhile (the same process: the runner
    overwrites it with the same pid)."""
    if folder.status().get("status") == "pending":
        folder.set_status("pending", pid=pid, pid_started=process_started(pid))


class TrainingSession(QObject):
    """The run the window shows while it trains: launched here, or found in the background.
    Re-emits its follower's typed signals; ``finished`` carries the outcome: status (one of
    ``rundir.STATUSES``), metrics, error, exit code."""

    started = Signal(dict)
    status_changed = Signal(str)
    data_report = Signal(dict)
    steps = Signal(object)    # a list: the step events of one read of the run folder
    evaluated = Signal(dict)
    checkpoint_saved = Signal(dict)
    failed = Signal(dict)
    rewound = Signal()
    log_text = Signal(str)
    stalled = Signal(float)   # seconds without a step beyond the usual (0: steps again)
    stop_overdue = Signal()
    finished = Signal(dict)   # {"status", "metrics", "error", "exit_code"}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.follower = RunFollower(self)
        for name in FORWARDED:
            getattr(self.follower, name).connect(getattr(self, name))
        self.follower.ended.connect(self._ended)
        self.process: subprocess.Popen | None = None
        self.run_dir: Path | None = None
        self._stop_timer = QTimer(self)
        self._stop_timer.setSingleShot(True)
        self._stop_timer.timeout.connect(self._stop_overdue)
        self._stop_repeat = QTimer(self)
        self._stop_repeat.setInterval(STOP_REPEAT_MS)
        self._stop_repeat.timeout.connect(self._ask_again)
        self.warm: launch.WarmRunner | None = None
        self._keep_warm = False
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.timeout.connect(self._warm_up)

    def is_running(self) -> bool:
        """Whether a run is being followed (launched here or found) and has not ended."""
        return self.follower.is_following()

    def launched_here(self) -> bool:
        return self.process is not None

    # -- the warm runner ----------------------------------------------------------------------
    def keep_warm(self, delay_ms: int = WARM_UP_DELAY_MS) -> None:
        """From now on keep a warm runner waiting for the next run: started ``delay_ms`` from
        now and again after each run, never while a run trains (its imports would take the
        run's cores). PFT_DESKTOP_WARM_RUNNER=0 turns this off."""
        if os.environ.get(WARM_RUNNER_SWITCH, "").strip() == "0":
            return
        if not self._keep_warm:
            self._keep_warm = True
            app = QCoreApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(self.shutdown)
        self._warm_timer.start(delay_ms)

    def shutdown(self) -> None:
        """End the waiting warm runner and start no other (the window closes). A run handed
        to one earlier is not touched."""
        self._keep_warm = False
        self._warm_timer.stop()
        warm, self.warm = self.warm, None
        if warm is not None:
            _WAITING.discard(warm)
            warm.close()

    def _warm_up(self) -> None:
        if not self._keep_warm or (self.warm is not None and self.warm.is_alive()):
            return
        if self.warm is not None:  # it died while waiting
            self._take_warm().close()
        from pft_desktop.core.runstore import RunStore

        if self.is_running() or RunStore().live_runs():
            self._warm_timer.start(WARM_RETRY_MS)
            return
        try:
            self.warm = launch.WarmRunner()
        except OSError:
            self.warm = None  # runs start cold, as before
            return
        _WAITING.add(self.warm)

    def _take_warm(self) -> launch.WarmRunner | None:
        """The waiting warm runner, now this run's to use or end."""
        self._warm_timer.stop()
        warm, self.warm = self.warm, None
        if warm is not None:
            _WAITING.discard(warm)
        return warm

    def _warm_again(self) -> None:
        if self._keep_warm:
            self._warm_timer.start(WARM_UP_DELAY_MS)

    # -- the run ------------------------------------------------------------------------------
    def start(self, run_dir: Path, resume: bool = False) -> None:
        if self.is_running():
            raise RuntimeError("a run is already in progress")
        self.run_dir = Path(run_dir)
        warm = self._take_warm()
        try:
            self.process = launch_runner(self.run_dir, resume, warm)
        except (OSError, UserError) as exc:
            self.process = None
            if isinstance(exc, UserError):  # a refusal: the folder says why, for the Runs page
                error = ev.make_event(ev.ERROR, **exc.to_dict())
                _record_refusal(self.run_dir, exc)
            else:
                error = ev.make_event(ev.ERROR, kind="runner_failed", message=self.tr(
                    "The training process could not start ({error}).").format(error=exc),
                    fix=self.tr("Check that pft-desktop is installed in this Python."))
            QTimer.singleShot(0, lambda: self._could_not_start(error))
            return
        finally:
            if warm is not None and not warm.handed_over:
                warm.close()  # it did not fit this run (or died); a fresh one comes after it
        if not resume:
            record_launch(RunFolder(self.run_dir), self.process.pid)
        self.follower.follow(self.run_dir, self.process)

    def attach(self, run_dir: Path) -> None:
        """Follow a run found training in the background: its charts from the first event,
        then live; Stop works on it through its folder."""
        if self.is_running():
            raise RuntimeError("a run is already in progress")
        self.run_dir, self.process = Path(run_dir), None
        self.follower.follow(self.run_dir)

    def replay(self, run_dir: Path) -> None:
        """Show a run that is over, from its events alone."""
        self.follower.replay(run_dir)

    def stop(self) -> None:
        """Ask the run to finish its step and save (a stop request in its folder, which works
        for a run launched anywhere, and a line on the stdin of a child launched here); offer
        Kill if it takes too long."""
        if not self.is_running():
            return
        try:
            RunFolder(self.run_dir).request_stop()
        except OSError:
            pass  # a read-only folder: the stdin line below still reaches our own child
        if self.process is not None and self.process.poll() is None and self.process.stdin:
            try:
                self.process.stdin.write(b"stop\n")
                self.process.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass
        self._stop_timer.start(STOP_GRACE_SECONDS * 1000)
        self._stop_repeat.start()

    def _ask_again(self) -> None:
        folder = RunFolder(self.run_dir)
        if self.is_running() and not folder.stop_requested():
            try:
                folder.request_stop()
            except OSError:
                pass

    def kill(self) -> None:
        """End the child launched here at once (progress since its last checkpoint is lost)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()

    def kill_found(self) -> str:
        """End a found run's process by the pid it recorded, checked against that process's
        start time so that a reused pid is never hit. Returns why it could not, or ""."""
        folder = RunFolder(self.run_dir)
        if not folder.is_live():
            return self.tr("The run is no longer training.")
        try:
            import psutil

            psutil.Process(int(folder.status()["pid"])).kill()
        except Exception as exc:  # noqa: BLE001 - gone meanwhile, or not ours to end
            return self.tr("The training process could not be ended ({error}).").format(
                error=exc)
        return ""

    def detach(self) -> None:
        """Stop following and leave the run training in the background (the window closes,
        or another run is opened): it keeps writing its folder, and any window can follow it
        again."""
        self.follower.stop()
        self._stop_timer.stop()
        self._stop_repeat.stop()
        process, self.process = self.process, None
        if process is not None:
            try:
                process.stdin.close()
            except (OSError, AttributeError):
                pass
            # Reap it when it ends, or it would linger as a zombie that still "runs".
            threading.Thread(target=process.wait, name="reap-runner", daemon=True).start()

    def wait(self, ms: int = 10000) -> bool:
        """Wait for the child launched here to exit; True when it has (or there is none)."""
        if self.process is None:
            return True
        try:
            self.process.wait(ms / 1000)
        except subprocess.TimeoutExpired:
            return False
        return True

    def _ended(self, outcome: dict) -> None:
        self._stop_timer.stop()
        self._stop_repeat.stop()
        if self.process is not None and outcome.get("status") in ("interrupted", "failed") \
                and (outcome.get("error") or {}).get("kind") in _WITHOUT_WORD:
            # Several processes: rank 0 may have been killed before it could say which rank
            # failed; that rank recorded it.
            error = launch.settle_failed_launch(self.run_dir)
            if error:
                outcome = {**outcome, "status": "failed", "error": error}
                self.failed.emit(error)
        self._warm_again()
        self.finished.emit(outcome)

    def _could_not_start(self, error: dict) -> None:
        self.failed.emit(error)
        self._warm_again()
        self.finished.emit({"status": "failed", "metrics": {}, "error": error,
                            "exit_code": -1})

    def _stop_overdue(self) -> None:
        if self.is_running():
            self.stop_overdue.emit()
