"""The Data page's checks, answered by one long-lived ``pft-desktop check --serve`` child
(core.check_service) instead of a fresh process per change of mapping."""

from __future__ import annotations

import json

from PySide6.QtCore import QObject, Signal

from pft_desktop.ui.child import ChildProcess


class DataChecker(QObject):
    """Sends the config to check and re-emits the answer to the newest request only: a report
    (token lengths from a sample first, then again when every row was counted) or an error."""

    answered = Signal(dict)  # the check's JSON: id, report, model, label_names, exact
    refined = Signal(dict)   # the same again, with token lengths counted over every row
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.child = ChildProcess(self)
        self.child.message.connect(self._message)
        self.child.done.connect(self._ended)
        self.asked = 0         # the newest request's id
        self.pending = None    # the id waiting for its first answer, if any

    def warm_up(self) -> None:
        """Start the child now (its imports take seconds), before the first check needs it."""
        if not self.child.is_running():
            self.child.start("check", "--serve")

    def check(self, config: dict) -> None:
        self.warm_up()
        self.asked += 1
        self.pending = self.asked
        self.child.write_line(json.dumps({"id": self.asked, "config": config}))

    def forget(self) -> None:
        """Ignore every answer to the requests so far (the mapping changed since)."""
        self.asked += 1
        self.pending = None

    def is_running(self) -> bool:
        """Whether a check is under way (the child itself stays up between checks)."""
        return self.pending is not None

    def stop(self) -> None:
        self.pending = None
        self.child.cancel()

    def _message(self, message: dict) -> None:
        if message.get("id") != self.asked:
            return  # an answer to an older request
        first, self.pending = self.pending is not None, None
        if message.get("type") == "error":
            from pft_desktop.ui.i18n import core_error

            self.failed.emit(core_error(message))
        elif "report" in message:
            (self.answered if first else self.refined).emit(message)

    def _ended(self, outcome) -> None:
        """The child ended: a check it was answering fails with its reason; the next check
        starts a new child."""
        if self.pending is not None:
            self.pending = None
            self.failed.emit(str(outcome))
