"""Follow a run through its folder: the same code shows a run this window launched and a run it
found training in the background (another window, the command line, an earlier session).

A GUI-thread timer reads only what was appended to ``events.jsonl`` and ``train.log`` since the
last tick (by file offset; a torn last line waits for the next tick) and re-emits each event as
a typed signal. The run has ended when its ``finished`` event arrives, or when its process is
gone without one (killed, crashed, the computer restarted): then it is "interrupted".
"""

from __future__ import annotations

import subprocess
import time
from collections import deque

from PySide6.QtCore import QT_TRANSLATE_NOOP, QMetaMethod, QObject, QTimer, Signal

from pft_desktop.core import events as ev
from pft_desktop.core.rundir import RunFolder, process_started, stalled_seconds

POLL_MS = 200          # events reach the charts within a fifth of a second
ALIVE_EVERY = 5        # ticks between checks that the process is still there (once a second)
LOG_EVERY = 3          # ticks between reads of the log
FINAL_WAIT_TICKS = 50  # after the final event, wait at most 10 s for our child to exit
READ_LIMIT = 64 << 10  # bytes read per tick once following (the first read takes it all):
#                       about 250 step events, a few milliseconds of work; when more is
#                       waiting, the next read follows CATCH_UP_MS later instead of a tick
CATCH_UP_MS = 20
LOG_NOISE = ("it/s]", "s/it]")  # tqdm progress bars: the charts say it better
STALL_CHECK_MS = 5000  # how often a live run is checked for a stall (RunFolder's rule)


def fold(events: list[dict]) -> list[dict]:
    """Events as one continuous run (the rule of ``RunFolder.timeline()``): after a resume from
    step N the steps past N that the earlier process wrote are dropped, and errors or endings
    of an earlier process (before the last ``started``) are not this run's."""
    kept: list[dict] = []
    for event in events:
        if event.get("type") == ev.STARTED:
            resumed = event.get("resumed_from_step")
            kept = [e for e in kept if e.get("type") not in (ev.ERROR, ev.FINISHED)
                    and (resumed is None or e.get("type") not in ev.PER_STEP
                         or (e.get("step") or 0) <= resumed)]
        kept.append(event)
    return kept


class RunFollower(QObject):
    """Tails one run folder and says what happens in it. ``ended`` carries the outcome:
    ``{"status", "metrics", "error", "exit_code"}`` with a status from ``rundir.STATUSES``."""

    started = Signal(dict)
    status_changed = Signal(str)
    data_report = Signal(dict)
    step = Signal(dict)
    # The step events of one read, in order: one signal per read, not per step, and a
    # Python list (a list or dict signal is converted to Qt's types and back, every event):
    # at 2,000 steps/s a signal each held the GUI thread 40 ms a read (bench_gui_latency.py).
    steps = Signal(object)
    evaluated = Signal(dict)
    checkpoint_saved = Signal(dict)
    failed = Signal(dict)
    rewound = Signal()        # a resume redid steps: clear the charts, the events come again
    log_text = Signal(str)
    stalled = Signal(float)   # seconds without a step, far beyond the usual; 0: steps again
    ended = Signal(dict)

    def __init__(self, parent=None, interval_ms: int = POLL_MS):
        super().__init__(parent)
        self.folder: RunFolder | None = None
        self.process: subprocess.Popen | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        self._stall_timer = QTimer(self)
        self._stall_timer.setInterval(STALL_CHECK_MS)
        self._stall_timer.timeout.connect(self.check_stall)
        self._step_batch: list[dict] = []
        self._step_signal = QMetaMethod.fromSignal(self.step)
        self._reset_reading()

    def _reset_reading(self) -> None:
        self._offset = 0
        self._log_offset = 0
        self._history_end = 0     # bytes written by an earlier process of this run
        self._ticks = 0
        self._final: dict | None = None
        self._final_ticks = 0
        self._error: dict = {}
        self._step_times: deque = deque(maxlen=21)  # when the last steps were written
        self._stalled = 0.0

    # -- what the window calls --------------------------------------------------------------
    def follow(self, run_dir, process: subprocess.Popen | None = None) -> None:
        """Show the run from its first event and keep following it until it ends. With
        ``process`` (a child this window launched) its exit decides the end; otherwise the pid
        the run recorded does. Events already in the file before a launch are history: shown,
        but an ending among them is not this process's."""
        self.stop()
        self.folder, self.process = RunFolder(run_dir), process
        self._reset_reading()
        if process is not None and self.folder.events_file.is_file():
            self._history_end = self.folder.events_file.stat().st_size
        self._timer.start()
        self._stall_timer.start()
        self.poll()

    def replay(self, run_dir) -> None:
        """Show a run that is over: every event and the log, once, without following."""
        self.stop()
        self.folder, self.process = RunFolder(run_dir), None
        self._reset_reading()
        self._read_events(first=True)
        self._read_log()
        self.folder = None

    def stop(self) -> None:
        """Stop following (the run itself goes on)."""
        self._timer.stop()
        self._stall_timer.stop()

    def is_following(self) -> bool:
        return self._timer.isActive()

    # -- each tick --------------------------------------------------------------------------
    def poll(self) -> None:
        if self.folder is None:
            return
        first = self._ticks == 0
        self._ticks += 1
        if self._read_events(first=first):
            QTimer.singleShot(CATCH_UP_MS, self._catch_up)
        if self._ticks % LOG_EVERY == 1:
            self._read_log()
        if self._final is not None:
            # The runner writes its status file and exits just after its final event: end when
            # it has, so that whoever hears "ended" reads the folder's final state.
            # (A found run whose process lives on after a final event is being resumed: that
            # ending was the earlier process's, and the new one's "started" follows.)
            self._final_ticks += 1
            if not self._alive() or self.process is not None and \
                    self._final_ticks > FINAL_WAIT_TICKS:
                self._end(self._final.get("status") or "finished")
        elif first or self._ticks % ALIVE_EVERY == 0:
            if not self._alive():
                # Its last lines may have landed between the read and the check: read again.
                while self._read_events(first=False):
                    pass  # more than READ_LIMIT was waiting
                self._read_log()
                self._end(self._final.get("status") if self._final else None)

    def _catch_up(self) -> None:
        """Read on while more than READ_LIMIT is waiting, a bounded read at a time."""
        if self.folder is not None and self.is_following() and self._final is None \
                and self._read_events(first=False):
            QTimer.singleShot(CATCH_UP_MS, self._catch_up)

    def _alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return self.folder.is_live()

    def _read_events(self, first: bool) -> bool:
        """Emit the complete lines appended since the last read; True if the read was cut at
        READ_LIMIT (more is waiting). The first read takes the whole file, so that a resume
        anywhere in it is folded."""
        path = self.folder.events_file
        try:
            with open(path, "rb") as handle:
                handle.seek(self._offset)
                chunk = handle.read(-1 if first else READ_LIMIT)
        except OSError:
            return False
        end = chunk.rfind(b"\n")
        if end < 0:
            return False
        start = self._offset
        self._offset += end + 1
        parsed = [(e, start + pos < self._history_end) for pos, e in _lines(chunk[:end + 1])]
        batch = [event for event, _ in parsed]
        if not first and any(e.get("type") == ev.STARTED and e.get("resumed_from_step")
                             is not None for e in batch):
            # A resume redid steps already shown: draw the run again as one continuous run.
            kept = self._history_end, self._log_offset
            self._reset_reading()
            (self._history_end, self._log_offset), self._ticks = kept, 1
            self.rewound.emit()
            self._read_events(first=True)
            return False
        history = {id(event) for event, old in parsed if old}
        if first:
            batch = fold(batch)
        for event in batch:
            self._dispatch(event, event_is_history=id(event) in history)
        self._emit_steps()
        return not first and len(chunk) == READ_LIMIT

    def _emit_steps(self) -> None:
        """Say the step events gathered so far, as one ``steps`` (and, for whoever listens
        to single steps, each as ``step``)."""
        if not self._step_batch:
            return
        batch, self._step_batch = self._step_batch, []
        self.steps.emit(batch)
        if self.isSignalConnected(self._step_signal):
            for event in batch:
                self.step.emit(event)

    def _dispatch(self, event: dict, event_is_history: bool) -> None:
        kind = event.get("type")
        if kind == ev.STEP:
            if event.get("time"):
                self._step_times.append(event["time"])
            self._step_batch.append(event)
            return
        self._emit_steps()  # the steps before this event are said before it
        if kind == ev.STARTED:
            self._final, self._final_ticks, self._error = None, 0, {}
            self.started.emit(event)
        elif kind == ev.STATUS:
            self.status_changed.emit(event.get("text", ""))
        elif kind == ev.DATA_REPORT:
            self.data_report.emit(event)
        elif kind == ev.EVAL:
            self.evaluated.emit(event)
        elif kind == ev.CHECKPOINT:
            self.checkpoint_saved.emit(event)
        elif event_is_history:
            return  # an earlier process's error or ending
        elif kind == ev.ERROR:
            self._error = event
            self.failed.emit(event)
        elif kind == ev.FINISHED:
            self._final = event

    def _read_log(self) -> None:
        path = self.folder.log_file if self.folder is not None else None
        try:
            with open(path, "rb") as handle:
                handle.seek(self._log_offset)
                chunk = handle.read(READ_LIMIT)
        except (OSError, TypeError):
            return
        end = chunk.rfind(b"\n")
        if end < 0:
            return
        self._log_offset += end + 1
        text = chunk[:end].decode("utf-8", "replace").replace("\r", "\n")
        lines = [line for line in text.splitlines()
                 if line.strip() and not any(noise in line for noise in LOG_NOISE)]
        if lines:
            self.log_text.emit("\n".join(lines))

    def check_stall(self, now: float | None = None) -> float:
        """Whether the live run has gone without a step for far longer than its recent steps
        took (``rundir.stalled_seconds``, judged on the steps this window has read, so no
        re-reading of the whole run); says so through ``stalled``, and once more with 0 when
        steps come again."""
        seconds = 0.0
        if self.folder is not None and self._final is None and self._alive():
            since = self._process_started()
            seconds = stalled_seconds([t for t in self._step_times if t >= since],
                                      now or time.time())
        if seconds or self._stalled:
            self.stalled.emit(seconds)
        self._stalled = seconds
        return seconds

    def _process_started(self) -> float:
        """When the process training now began: only its steps count (a resumed run that is
        still loading has made none, however long ago the earlier process stepped)."""
        if self.process is not None:
            started = process_started(self.process.pid)
        else:
            started = self.folder.status().get("pid_started")
        return float(started or 0.0)

    def _end(self, status: str | None) -> None:
        self._timer.stop()
        self._stall_timer.stop()
        if self._stalled:
            self._stalled = 0.0
            self.stalled.emit(0.0)
        code = self.process.returncode if self.process is not None else None
        error = self._error
        if status is None:  # the process went without a final event
            written = self.folder.state()
            status = written if written not in ("running",) else "interrupted"
            if code is not None and code > 0 and status == "interrupted":
                status = "failed"
            if not error:
                error = ended_without_word(code)
        self.ended.emit({"status": status, "metrics": (self._final or {}).get("metrics", {}),
                         "error": error, "exit_code": code})


def ended_without_word(code: int | None) -> dict:
    """What to tell the person when a run's process is gone without its final event."""
    # Kept in English in the run's folder; the "core" context translates them when shown.
    resume = QT_TRANSLATE_NOOP("core", "Resume it from its last checkpoint, if one was saved.")
    if code is None:
        return {"kind": "interrupted", "message": QT_TRANSLATE_NOOP(
            "core", "The training process ended without finishing the run (it was killed, or "
            "the computer restarted)."), "fix": resume}
    if code < 0:
        return {"kind": "killed", "message": QT_TRANSLATE_NOOP(
            "core", "The run was killed before it could save."), "fix": resume}
    return {"kind": "runner_crashed", "message": "The training process ended unexpectedly "
            f"(exit code {code}).", "fix": QT_TRANSLATE_NOOP(
                "core", "See the full log for details; the last checkpoint can be resumed.")}


def _lines(chunk: bytes):
    """(offset in chunk, event) for each complete line that is an event."""
    position = 0
    for raw in chunk.split(b"\n")[:-1]:
        event = ev.parse_line(raw.decode("utf-8", "replace"))
        if event is not None:
            yield position, event
        position += len(raw) + 1
