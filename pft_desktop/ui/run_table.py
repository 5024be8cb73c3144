"""The library's table: one row per run summary, sortable by the real values (dates, sizes,
durations, metrics), filtered by status, model and task, searched by name."""

from __future__ import annotations

import time

from PySide6.QtCore import (QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication,
                            QModelIndex, QSortFilterProxyModel, Qt)
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QStyledItemDelegate

from pft_desktop.core.models import human_bytes
from pft_desktop.core.runstore import RunSummary
from pft_desktop.ui.theme import readable

COLUMNS = (("name", QT_TRANSLATE_NOOP("RunTable", "Name")),
           ("started", QT_TRANSLATE_NOOP("RunTable", "Started")),
           ("model", QT_TRANSLATE_NOOP("RunTable", "Model")),
           ("task", QT_TRANSLATE_NOOP("RunTable", "Task")),
           ("method", QT_TRANSLATE_NOOP("RunTable", "Method")),
           ("status", QT_TRANSLATE_NOOP("RunTable", "Status")),
           ("best", QT_TRANSLATE_NOOP("RunTable", "Best metric")),
           ("duration", QT_TRANSLATE_NOOP("RunTable", "Duration")),
           ("size", QT_TRANSLATE_NOOP("RunTable", "Size")))
COLUMN = {key: number for number, (key, _) in enumerate(COLUMNS)}
SORT_ROLE = Qt.ItemDataRole.UserRole
# Status in words, coloured by what it asks of the person: nothing (green, blue, grey), a look
# (amber), or a fix (the error colour, only for runs that went wrong).
STATUS_LOOK = {"running": (QT_TRANSLATE_NOOP("RunTable", "Running"), "#1d4ed8"),
               "finished": (QT_TRANSLATE_NOOP("RunTable", "Finished"), "#15803d"),
               "stopped": (QT_TRANSLATE_NOOP("RunTable", "Stopped"), "#52606d"),
               "interrupted": (QT_TRANSLATE_NOOP("RunTable", "Interrupted"), "#b45309"),
               "failed": (QT_TRANSLATE_NOOP("RunTable", "Failed"), "#b91c1c"),
               "diverged": (QT_TRANSLATE_NOOP("RunTable", "Diverged"), "#b91c1c")}
NUMERIC = {"started", "best", "duration", "size"}


def duration_text(seconds: float) -> str:
    if not seconds:
        return "–"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return QCoreApplication.translate("RunTable", "{hours} h {minutes:02d} min").format(
            hours=hours, minutes=minutes)
    if minutes:
        return QCoreApplication.translate("RunTable", "{minutes} min {seconds:02d} s").format(
            minutes=minutes, seconds=seconds)
    return QCoreApplication.translate("RunTable", "{seconds} s").format(seconds=seconds)


def best_text(run: RunSummary) -> str:
    if run.best_value is None:
        return "–"
    name = run.best_metric.removeprefix("eval_").replace("_", " ")
    return f"{name} {run.best_value:.4f}"


def status_word(status: str) -> str:
    """A run status in words, in the interface language."""
    if status not in STATUS_LOOK:
        return status.capitalize()
    return QCoreApplication.translate("RunTable", STATUS_LOOK[status][0])


def status_text(run: RunSummary) -> str:
    word = status_word(run.status)
    if run.status == "running" and run.total_steps:
        return QCoreApplication.translate("RunTable", "{status} · step {step:,} of {total:,}") \
            .format(status=word, step=run.step, total=run.total_steps)
    return word


class RunTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.runs: list[RunSummary] = []
        self._texts: list[tuple[str, ...]] = []  # worked out once per refresh, not per paint

    def set_runs(self, runs: list[RunSummary]) -> bool:
        """Show these runs; True when the set of runs changed (rows were rebuilt), False when
        only their values did (selection and scroll position stay as they are)."""
        texts = [tuple(self._text(run, key) for key, _ in COLUMNS) for run in runs]
        if [run.path for run in runs] == [run.path for run in self.runs]:
            changed = [row for row, (old, new) in enumerate(zip(self._texts, texts))
                       if old != new]
            self.runs, self._texts = runs, texts
            if changed:
                self.dataChanged.emit(self.index(min(changed), 0),
                                      self.index(max(changed), len(COLUMNS) - 1))
            return False
        self.beginResetModel()
        self.runs, self._texts = runs, texts
        self.endResetModel()
        return True

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.runs)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("RunTable", COLUMNS[section][1])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        run, key = self.runs[index.row()], COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == SORT_ROLE:
            return self._sort_key(run, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            return QColor(readable(STATUS_LOOK.get(run.status, ("", "#52606d"))[1]))
        if role == Qt.ItemDataRole.FontRole and key == "status" and run.status == "running":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "status" and run.error:
                return run.error
            if key == "name":
                more = QCoreApplication.translate("RunTable", "Trained more from {run}")
                return run.path + ("\n" + more.format(run=run.parent) if run.parent else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and key in NUMERIC - {"started"}:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(run: RunSummary, key: str) -> str:
        if key == "started":
            return time.strftime("%Y-%m-%d %H:%M", time.localtime(run.started)) \
                if run.started else "–"
        if key == "status":
            return status_text(run)
        if key == "best":
            return best_text(run)
        if key == "duration":
            return duration_text(run.duration_s)
        if key == "size":
            return human_bytes(run.size_bytes)
        return str(getattr(run, key) or "–")

    @staticmethod
    def _sort_key(run: RunSummary, key: str):
        return {"started": run.started, "duration": run.duration_s, "size": run.size_bytes,
                "best": run.best_value if run.best_value is not None else float("-inf"),
                "status": list(STATUS_LOOK).index(run.status)
                if run.status in STATUS_LOOK else 99}.get(key, str(getattr(run, key)).lower())


class RunFilter(QSortFilterProxyModel):
    """Rows that match the chosen status, model and task and whose name contains the search
    text (any case); an empty choice matches everything."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.status = self.model = self.task = self.text = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_filter(self, status: str = "", model: str = "", task: str = "",
                   text: str = "") -> None:
        self.beginFilterChange()  # Qt 6.9+: the row filter is about to change
        self.status, self.model, self.task, self.text = status, model, task, text.strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:
        run = self.sourceModel().runs[row]
        return ((not self.status or run.status == self.status)
                and (not self.model or run.model == self.model)
                and (not self.task or run.task == self.task)
                and (not self.text or self.text.lower() in run.name.lower()))

    def run_at(self, proxy_row: int) -> RunSummary:
        return self.sourceModel().runs[self.mapToSource(self.index(proxy_row, 0)).row()]


class StatusDelegate(QStyledItemDelegate):
    """Keeps a status's colour on a selected row too (selected text otherwise takes the
    selection's text colour, and every status would read alike)."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        colour = index.data(Qt.ItemDataRole.ForegroundRole)
        if colour is not None:
            option.palette.setColor(QPalette.ColorRole.HighlightedText, colour)
