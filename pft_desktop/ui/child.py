"""A short-lived ``pft-desktop`` child process whose stdout carries JSON lines.

Used for everything that needs torch or transformers (inspecting a model, checking data with the
tokenizer, downloading, exporting, predicting), so the GUI process never imports them.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal


@dataclass
class ProcessOutcome:
    """How a child process ended, with the last error event it printed (if any)."""

    exit_code: int
    crashed: bool = False
    error: dict = field(default_factory=dict)
    stderr_tail: str = ""

    def was_successful(self) -> bool:
        return not self.crashed and self.exit_code == 0

    def __str__(self) -> str:
        from PySide6.QtCore import QCoreApplication

        from pft_desktop.ui.i18n import core_error

        translate = QCoreApplication.translate
        if self.was_successful():
            return translate("ProcessOutcome", "finished")
        if self.error:
            return core_error(self.error)
        last = self.stderr_tail.strip().splitlines()[-1:] or [
            translate("ProcessOutcome", "no output")]
        if self.crashed:
            return translate("ProcessOutcome", "The helper process crashed: {output}").format(
                output=last[0])
        return translate("ProcessOutcome", "The helper process exited with code {code}: "
                         "{output}").format(code=self.exit_code, output=last[0])


def pft_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pft_desktop", *args]


def process_environment() -> QProcessEnvironment:
    """This process's environment with the hub settings on top (offline mode, cache folder),
    read when each child starts, so a changed setting reaches the next child."""
    from pft_desktop.core.hub_env import child_environment

    env = QProcessEnvironment()
    for name, value in child_environment().items():
        env.insert(name, value)
    return env


class ChildProcess(QObject):
    """Runs ``python -m pft_desktop ARGS`` and emits each JSON line of its stdout."""

    message = Signal(dict)
    text = Signal(str)         # stderr lines (progress notes such as "· Merging ...")
    done = Signal(object)      # ProcessOutcome

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.process = QProcess(self)
        self.process.readyReadStandardOutput.connect(self._read_stdout)
        self.process.readyReadStandardError.connect(self._read_stderr)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._error)
        self._stdout = b""
        self._stderr = ""
        self._error_event: dict = {}
        self._reported = False

    def start(self, *args: str) -> None:
        self._stdout, self._stderr, self._error_event, self._reported = b"", "", {}, False
        command = pft_command(*args)
        self.process.setProcessEnvironment(process_environment())
        self.process.start(command[0], command[1:])

    def is_running(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    def write_line(self, text: str) -> None:
        self.process.write((text + "\n").encode("utf-8"))

    def cancel(self) -> None:
        """Kill a running process and wait for it, so that its end is not mistaken for the
        end of a process started right after."""
        if self.is_running():
            self._reported = True  # a cancelled process reports nothing
            self.process.kill()
            self.process.waitForFinished(5000)

    def _read_stdout(self) -> None:
        if self._reported:  # output of a cancelled process
            self.process.readAllStandardOutput()
            return
        self._stdout += bytes(self.process.readAllStandardOutput())
        *lines, self._stdout = self._stdout.split(b"\n")
        for raw in lines:
            try:
                event = json.loads(raw)
            except ValueError:
                continue
            if isinstance(event, dict):
                if event.get("type") == "error":
                    self._error_event = event
                self.message.emit(event)

    def _read_stderr(self) -> None:
        chunk = bytes(self.process.readAllStandardError()).decode("utf-8", "replace")
        self._stderr = (self._stderr + chunk)[-20000:]
        for line in chunk.splitlines():
            if line.startswith("·"):
                self.text.emit(line.lstrip("· ").strip())

    def _finished(self, code: int, status) -> None:
        self._read_stdout()
        self._report(ProcessOutcome(code, status == QProcess.ExitStatus.CrashExit,
                                    self._error_event, self._stderr[-4000:]))

    def _error(self, error) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._report(ProcessOutcome(-1, True, {
                "message": self.tr("The helper process could not start."),
                "fix": self.tr("Reinstall pft-desktop.")}))

    def _report(self, outcome: ProcessOutcome) -> None:
        if not self._reported:
            self._reported = True
            self.done.emit(outcome)
