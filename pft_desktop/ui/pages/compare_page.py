"""Compare two or more runs: their curves overlaid (train loss, eval loss or the task's main
metric, against step, epoch or training time), final metrics side by side, only the config
fields that differ, and the same text answered by the base model and by each run."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from pft_desktop.core.errors import UserError
from pft_desktop.core.rundir import RunFolder
from pft_desktop.core.runstore import compare
from pft_desktop.ui.i18n import core_parts
from pft_desktop.ui.pages.base import WizardPage
from pft_desktop.ui.run_curves import (RUN_COLOURS, X_AXES, X_LABELS, best_run, curve,
                                       curve_choices, distinct_names, metric_rows,
                                       setting_text)
from pft_desktop.ui.widgets.base_vs_tuned import BaseVsTuned, columns_for
from pft_desktop.ui.widgets.charts import ThemedPlot, elide, legend_title


# run_curves stays Qt-free: its axis and curve names are marked for translation here.
AXIS_NAMES = (QT_TRANSLATE_NOOP("ComparePage", "Step"), QT_TRANSLATE_NOOP("ComparePage", "Epoch"),
              QT_TRANSLATE_NOOP("ComparePage", "Training time"),
              QT_TRANSLATE_NOOP("ComparePage", "step"), QT_TRANSLATE_NOOP("ComparePage", "epoch"),
              QT_TRANSLATE_NOOP("ComparePage", "training time (s)"),
              QT_TRANSLATE_NOOP("ComparePage", "Train loss"),
              QT_TRANSLATE_NOOP("ComparePage", "Eval loss"))


class ComparePage(WizardPage):
    title = QT_TRANSLATE_NOOP("ComparePage", "Compare runs")
    subtitle = QT_TRANSLATE_NOOP("ComparePage", "The selected runs side by side: curves, final "
                                 "metrics, and what was different.")
    back_requested = Signal()

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.folders: list[RunFolder] = []
        self.runs: list[dict] = []
        self.colours: dict[str, str] = {}
        self.timelines: dict[str, list[dict]] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._build()

    def _build(self) -> None:
        top = QHBoxLayout()
        back = QPushButton(self.tr("← All runs"))
        back.clicked.connect(self.back_requested)
        self.key = QLabel()
        self.key.setWordWrap(True)
        self.y_choice = QComboBox()
        self.y_choice.currentIndexChanged.connect(self.redraw)
        self.x_choice = QComboBox()
        for key, label in X_AXES:
            self.x_choice.addItem(self.tr(label), key)
        self.x_choice.currentIndexChanged.connect(self.redraw)
        top.addWidget(back)
        top.addWidget(self.key, 1)
        for text, combo in ((self.tr("Show"), self.y_choice), (self.tr("against"),
                                                               self.x_choice)):
            label = QLabel(text)
            label.setBuddy(combo)
            top.addWidget(label)
            top.addWidget(combo)
        self.content.addLayout(top)
        self.plot = ThemedPlot()  # follows the light or dark palette
        self.plot.getAxis("left").enableAutoSIPrefix(False)
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.plot.setMinimumHeight(220)
        self.plot.setMaximumHeight(260)
        self.content.addWidget(self.plot)

        tables = QHBoxLayout()
        self.metrics = self._table()
        self.config_diff = self._table()
        for title, table in ((self.tr("Final metrics"), self.metrics),
                             (self.tr("Settings that differ"), self.config_diff)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            tables.addWidget(box, 1)
        self.content.addLayout(tables)
        self.predictions = BaseVsTuned()
        self.content.addWidget(self.predictions)
        self.content.addStretch(1)

    @staticmethod
    def _table() -> QTableWidget:
        table = QTableWidget(0, 0)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setMinimumHeight(120)
        table.setMaximumHeight(170)
        table.setWordWrap(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    # -- what is shown ------------------------------------------------------------------------
    def show_runs(self, paths: list[str]) -> str:
        """Compare these runs; returns a problem to show instead ("" when shown)."""
        folders = [RunFolder(path) for path in dict.fromkeys(paths)]
        try:
            result = compare(folders)
        except UserError as error:
            return "{} {}".format(*core_parts(error.to_dict()))
        self.folders = folders
        self.runs = result["runs"]
        self.colours = {run["name"]: RUN_COLOURS[i % len(RUN_COLOURS)]
                        for i, run in enumerate(self.runs)}
        self.timelines = {folder.name: folder.timeline() for folder in folders}
        self.key.setText(legend_title("", [("●", self.colours[run["name"]], run["name"])
                                           for run in self.runs]))
        chosen = self.y_choice.currentData()
        self.y_choice.blockSignals(True)
        self.y_choice.clear()
        for key, label in curve_choices(self.runs):
            self.y_choice.addItem(self.curve_name(label), key)
        self.y_choice.setCurrentIndex(max(self.y_choice.findData(chosen), 0))
        self.y_choice.blockSignals(False)
        self.redraw()
        self._fill_metrics(result["metrics"])
        self._fill_config_diff(result["config_diff"])
        self.predictions.set_columns(columns_for(folders, [self.colours[f.name]
                                                           for f in folders]))
        return ""

    def redraw(self) -> None:
        y, x = self.y_choice.currentData() or "loss", self.x_choice.currentData() or "step"
        self.plot.clear()
        self.curves = {}
        points = y != "loss"  # evaluations are few: mark each one
        for name, timeline in self.timelines.items():
            xs, ys = curve(timeline, y, x)
            colour = self.colours[name]
            self.curves[name] = self.plot.plot(
                xs, ys, pen=pg.mkPen(colour, width=1.8), symbol="o" if points else None,
                symbolSize=6, symbolBrush=colour, symbolPen=None)
        self.plot.setLabel("bottom", self.tr(X_LABELS[x]))
        self.plot.setLabel("left", self.y_choice.currentText() or "loss")
        empty = [name for name in self.curves if not self.curve_points(name)]
        self.plot.setTitle(self.tr("No {curve} recorded for: {runs}").format(
            curve=self.y_choice.currentText().lower(), runs=", ".join(empty)) if empty else None,
            color="#52606d", size="9pt")

    def curve_name(self, label: str) -> str:
        """A curve's name from run_curves.metric_label, in the interface language."""
        if label.endswith(" (eval)"):
            return self.tr("{metric} (eval)").format(metric=label.removesuffix(" (eval)"))
        return self.tr(label)

    def curve_points(self, run_name: str) -> int:
        item = self.curves.get(run_name)
        return 0 if item is None or item.xData is None else len(item.xData)

    def _headers(self, table: QTableWidget, first: str) -> None:
        table.setColumnCount(len(self.runs) + 1)
        short = distinct_names([run["name"] for run in self.runs])
        table.setHorizontalHeaderLabels([first] + [elide(name, 24) for name in short])
        for column, run in enumerate(self.runs, 1):
            table.horizontalHeaderItem(column).setToolTip(run["path"])
            table.horizontalHeaderItem(column).setForeground(pg.mkColor(
                self.colours[run["name"]]))
        table.verticalHeader().setVisible(False)

    def _fill_metrics(self, metrics: dict) -> None:
        table, names = self.metrics, metric_rows(metrics)
        self._headers(table, self.tr("Metric"))
        table.setRowCount(len(names))
        bold = QFont()
        bold.setBold(True)
        for row, name in enumerate(names):
            table.setItem(row, 0, QTableWidgetItem(name))
            winner = best_run(metrics[name], name)
            for column, run in enumerate(self.runs, 1):
                value = metrics[name].get(run["name"])
                item = QTableWidgetItem("–" if value is None else f"{value:.4f}"
                                        if isinstance(value, float) else str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if run["name"] == winner:
                    item.setFont(bold)
                table.setItem(row, column, item)
        if not names:
            table.setRowCount(1)
            table.setItem(0, 0, QTableWidgetItem(self.tr("No run has final metrics yet.")))

    def _fill_config_diff(self, differ: dict) -> None:
        table = self.config_diff
        self._headers(table, self.tr("Setting"))
        table.setRowCount(len(differ))
        for row, (field, values) in enumerate(sorted(differ.items())):
            table.setItem(row, 0, QTableWidgetItem(field))
            for column, run in enumerate(self.runs, 1):
                text = setting_text(field, values.get(run["name"]))
                item = QTableWidgetItem(elide(text, 40) if text else "–")
                item.setToolTip(text)
                table.setItem(row, column, item)
        if not differ:
            table.setRowCount(1)
            table.setItem(0, 0, QTableWidgetItem(self.tr("The runs have the same settings.")))

    def config_fields(self) -> list[str]:
        """The settings listed as differing (for tests and the screenshots)."""
        return [self.config_diff.item(row, 0).text()
                for row in range(self.config_diff.rowCount())
                if self.config_diff.columnCount() > 1 and "." in self.config_diff.item(
                    row, 0).text()]

    def enter(self) -> None:
        if self.folders:  # a run may have gone on since: read the curves again
            self.timelines = {folder.name: folder.timeline() for folder in self.folders
                              if folder.exists()}
            self.redraw()

    def shutdown(self) -> None:
        self.predictions.shutdown()
