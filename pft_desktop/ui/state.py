"""What the wizard knows about the run being set up; every page reads and writes it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from pft_desktop.core.config import RunConfig


class AppState(QObject):
    """The RunConfig (the single source of truth) plus what was learned about its inputs.

    ``changed`` names what changed: "model", "data", "task", "report", "run".
    """

    changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.config = RunConfig()
        self.model_info: dict | None = None     # ModelInfo.to_dict() from `inspect`
        self.report: dict | None = None         # `check` output: report, label_names
        self.run_dir: Path | None = None
        self.outcome: dict | None = None        # TrainingSession.finished payload

    def notify(self, what: str) -> None:
        self.changed.emit(what)
