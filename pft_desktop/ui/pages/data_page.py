"""Step 2: open the data, map its columns, and see the data report before training."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QThread, QTimer,
                            Signal, Slot)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from pft_desktop.ui import recent
from pft_desktop.ui.data_checker import DataChecker
from pft_desktop.ui.i18n import core_parts, core_text
from pft_desktop.ui.pages.base import Pending, WizardPage
from pft_desktop.ui.theme import text_colour
from pft_desktop.ui.widgets.charts import bar_chart, draw_bars, draw_histogram
from pft_desktop.ui.widgets.learned_text import LearnedExample
from pft_desktop.ui.widgets.path_edit import PathEdit
from pft_desktop.ui.widgets.preview import DatasetTableModel

DATA_FILTER = QT_TRANSLATE_NOOP(
    "DataPage", "Data files (*.csv *.tsv *.tab *.txt *.jsonl *.json *.parquet *.xlsx *.gz *.conll "
    "*.iob *.iob2 *.bio *.bioes *.ner);;All files (*)")
NONE = QT_TRANSLATE_NOOP("DataPage", "(none)")
# What the person can pick when detection got a file wrong; "" means detect.
DELIMITERS = {"": QT_TRANSLATE_NOOP("DataPage", "detect"),
              ",": QT_TRANSLATE_NOOP("DataPage", "comma"),
              "\t": QT_TRANSLATE_NOOP("DataPage", "tab"),
              ";": QT_TRANSLATE_NOOP("DataPage", "semicolon"),
              "|": QT_TRANSLATE_NOOP("DataPage", "pipe")}
ENCODINGS = {"": QT_TRANSLATE_NOOP("DataPage", "detect"), "utf-8": "UTF-8", "utf-16": "UTF-16",
             "cp1252": "Windows-1252", "latin-1": "Latin-1"}


class TableLoader(QObject):
    """Loads a data file in a worker thread (datasets memory-maps it) and guesses columns."""

    loaded = Signal(object, dict)
    failed = Signal(dict)

    @Slot(str, str, dict)
    def load(self, path: str, task: str, data: dict) -> None:
        """``data``: the DataSettings as a dict (format choices and the mapping so far); the
        task reads the file its way (a folder of texts or images, a table) and guesses its
        columns."""
        from pft_desktop.core.config import DataSettings
        from pft_desktop.core.errors import UserError
        from pft_desktop.core.tasks import get_task

        try:
            spec = get_task(task)
            table = spec.preview(path, DataSettings(**data))
            self.loaded.emit(table, spec.guess(table))
        except UserError as error:
            self.failed.emit(error.to_dict())
        except Exception as exc:  # a file the loader did not foresee: still a readable message
            message = QCoreApplication.translate("DataPage", "{file} could not be read ({error}).")
            self.failed.emit({"message": message.format(file=Path(path).name, error=exc),
                              "fix": QCoreApplication.translate("DataPage",
                                                                "Check the file's format.")})


class ColumnsChooser(QListWidget):
    """Several columns for one role, each with a check box (a label per 0/1 column)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMaximumHeight(96)

    def set_columns(self, columns: list[str], chosen: list[str]) -> None:
        self.blockSignals(True)
        self.clear()
        for name in columns:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in chosen
                               else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.blockSignals(False)

    def chosen(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]


class DataPage(WizardPage):
    title = QT_TRANSLATE_NOOP("DataPage", "Data")
    subtitle = QT_TRANSLATE_NOOP("DataPage", "Open your data (a table, or the files the task "
                                 "reads), tell pft-desktop which columns hold what, and check "
                                 "the report before training.")
    request_load = Signal(str, str, dict)

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.table = None
        self.guesses: dict = {}
        self.load_error = ""
        self.check_error = ""
        self.checking = False
        self.loading = False
        self._worker_thread = QThread(self)
        self.loader = TableLoader()
        self.loader.moveToThread(self._worker_thread)
        self.request_load.connect(self.loader.load)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._load_failed)
        self._worker_thread.start()
        self.checker = DataChecker(self)
        self.checker.answered.connect(self._checked)
        self.checker.refined.connect(self._refined)
        self.checker.failed.connect(self._check_failed)
        self.check_timer = QTimer(self)  # a burst of changes (the split's arrows): one check
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(250)
        self.check_timer.timeout.connect(self.run_check)
        self._build()

    def _build(self) -> None:
        self.file = PathEdit(self.tr("Drop a data file here, or browse…"),
                             file_filter=self.tr(DATA_FILTER))
        self.file.path_chosen.connect(self.open_file)
        self.folder_button = QPushButton()
        self.folder_button.clicked.connect(self._choose_folder)
        self.file.layout().addWidget(self.folder_button)
        self.content.addWidget(self.file)
        self.preview = QTableView()
        self.preview_model = DatasetTableModel()
        self.preview.setModel(self.preview_model)
        self.preview.verticalHeader().setDefaultSectionSize(22)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setMinimumHeight(150)
        self.preview.setMaximumHeight(200)
        self.preview_note = QLabel()
        self.preview_note.setObjectName("hint")
        self.content.addWidget(self._build_format_row())
        self.content.addWidget(self.preview)
        self.content.addWidget(self.preview_note)

        self.mapping = QGroupBox(self.tr("Columns"))
        self.mapping_grid = QGridLayout(self.mapping)
        self.combos: dict[str, QComboBox | ColumnsChooser] = {}
        self.combo_labels: dict[str, QLabel] = {}
        self.shown_task = ""
        self.options = None  # a form of the task's data settings, when it has any
        split = QFormLayout()
        self.validation = PathEdit(self.tr("Optional separate validation file"),
                                   file_filter=self.tr(DATA_FILTER))
        self.validation.path_chosen.connect(self._validation_changed)
        self.split = QDoubleSpinBox()
        self.split.setRange(0.0, 0.5)
        self.split.setSingleStep(0.05)
        self.split.setDecimals(2)
        self.split.setMaximumWidth(110)
        self.split.valueChanged.connect(self._mapping_changed)
        split.addRow(self.tr("Validation file"), self.validation)
        split.addRow(self.tr("Held-out share"), self.split)
        outer = QVBoxLayout()
        outer.addWidget(self.mapping)
        outer.addLayout(split)
        self.content.addLayout(outer)

        report_row = QHBoxLayout()
        self.report_list = QListWidget()
        self.report_list.setMinimumHeight(130)
        self.report_list.setWordWrap(True)
        self.report_list.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.labels_chart = bar_chart(self.tr("Counts"))
        self.lengths_chart = bar_chart(core_text("Tokens per row"))
        report_row.addWidget(self.report_list, 3)
        report_row.addWidget(self.labels_chart, 2)
        report_row.addWidget(self.lengths_chart, 2)
        self.content.addLayout(report_row)
        self.example = LearnedExample()  # chat: the rendered example, learned tokens marked
        self.content.addWidget(self.example)
        self.samples_row = QHBoxLayout()  # image tasks: thumbnails of each class
        self.content.addLayout(self.samples_row)

    def _build_format_row(self) -> QWidget:
        """How a CSV/TSV is read, each with what was detected, for files detection gets wrong
        (a header row taken for data, a semicolon file read as one column)."""
        self.format_row = QWidget()
        row = QHBoxLayout(self.format_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.header_box = QCheckBox(self.tr("First row is a header"))
        self.header_box.setObjectName("map_header")
        self.header_box.setToolTip(self.tr("Whether the first row holds the column names. Turn "
                                           "it on or off when the preview shows names as data, "
                                           "or data as names."))
        self.header_box.toggled.connect(self._header_toggled)
        self.delimiter_combo = QComboBox()
        self.delimiter_combo.setObjectName("map_delimiter")
        self.encoding_combo = QComboBox()
        self.encoding_combo.setObjectName("map_encoding")
        for combo, choices in ((self.delimiter_combo, DELIMITERS),
                               (self.encoding_combo, ENCODINGS)):
            for value, text in choices.items():
                combo.addItem(self.tr(text), value)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.activated.connect(self._format_chosen)
        self.delimiter_combo.setToolTip(self.tr("The character between fields."))
        self.encoding_combo.setToolTip(self.tr("How the file's bytes map to letters; pick "
                                               "another when accented letters look wrong."))
        row.addWidget(self.header_box)
        row.addSpacing(18)
        row.addWidget(QLabel(self.tr("Delimiter")))
        row.addWidget(self.delimiter_combo)
        row.addSpacing(18)
        row.addWidget(QLabel(self.tr("Encoding")))
        row.addWidget(self.encoding_combo)
        row.addStretch(1)
        self.format_row.setVisible(False)
        return self.format_row

    def _show_format(self, table) -> None:
        """The values in force: the person's choice, or the detected one marked as such."""
        data = self.state.config.data
        self.format_row.setVisible(table.format == "csv")
        if table.format != "csv":
            return
        self.header_box.blockSignals(True)
        self.header_box.setChecked(table.has_header)
        self.header_box.setText(self.tr("First row is a header (detected)")
                                if data.header == "auto" else self.tr("First row is a header"))
        self.header_box.blockSignals(False)
        for combo, wanted, found, names in (
                (self.delimiter_combo, data.delimiter, table.delimiter, DELIMITERS),
                (self.encoding_combo, data.encoding, table.encoding, ENCODINGS)):
            detected = self.tr(names[found]) if found in names else \
                repr(found) if combo is self.delimiter_combo else found
            combo.setItemText(0, self.tr("detected: {value}").format(value=detected))
            index = combo.findData(wanted)
            combo.setCurrentIndex(max(index, 0))

    def _header_toggled(self, checked: bool) -> None:
        self.state.config.data.header = "yes" if checked else "no"
        self._reload()

    def _format_chosen(self, *_) -> None:
        data = self.state.config.data
        data.delimiter = self.delimiter_combo.currentData()
        data.encoding = self.encoding_combo.currentData()
        self._reload()

    def _reload(self) -> None:
        if self.state.config.data.train_file:
            self.open_file(self.state.config.data.train_file, keep_format=True)

    # -- file loading -----------------------------------------------------------------------
    def enter(self) -> None:
        config = self.state.config
        self.split.blockSignals(True)
        self.split.setValue(config.data.validation_split)
        self.split.blockSignals(False)
        self.validation.set_text(config.data.validation_file)
        task_changed = self.shown_task != config.task.kind
        if config.model.name_or_path or config.from_scratch:
            self.checker.warm_up()  # its imports run while the file is being chosen
        self._show_roles()
        if config.data.train_file and (self.table is None or task_changed or
                                       str(self.table.path) != config.data.train_file):
            self.file.set_text(config.data.train_file)
            self.open_file(config.data.train_file)
        elif self.table is not None:
            self._schedule_check()

    def _choose_folder(self) -> None:
        path = recent.open_folder(self, "data", self.folder_button.text().rstrip("…"))
        if path:
            self.file.choose(path)

    def open_file(self, path: str, keep_format: bool = False) -> None:
        """Read a data file in the background. A new file starts from detection again;
        ``keep_format`` re-reads it with the header, delimiter and encoding chosen here."""
        if not path:
            return
        data = self.state.config.data
        if not keep_format and path != data.train_file:
            data.header, data.delimiter, data.encoding = "auto", "", ""
        data.train_file = path
        self._drop_report()
        self.loading, self.load_error = True, ""
        self.preview_note.setText(self.tr("Reading the file…"))
        self.request_load.emit(path, self.state.config.task.kind, vars(data))
        self.completeChanged.emit()

    @Slot(object, dict)
    def _loaded(self, table, guesses: dict) -> None:
        self.loading, self.table, self.guesses = False, table, guesses
        self.preview_model.set_dataset(table.dataset)
        self._size_columns(table)
        self._show_format(table)
        note = self.tr("{rows:,} rows · {columns} columns · {format}").format(
            rows=len(table), columns=len(table.columns), format=table.format.upper())
        if not table.has_header and table.format == "csv":
            note += self.tr(" · no header row (columns were named column_1, column_2, …)")
        if table.ignored_columns:
            note += self.tr(" · ignored empty columns: {columns}").format(
                columns=", ".join(table.ignored_columns))
        self.preview_note.setText(note)
        self._fill_combos()
        self._schedule_check()

    def _size_columns(self, table) -> None:
        """Wide columns for long text, narrow ones for labels: by mean length of 50 rows."""
        sample = table.dataset.select(range(min(50, len(table))))
        for column, name in enumerate(table.columns):
            mean = sum(len(str(v or "")) for v in sample[name]) / max(1, len(sample))
            self.preview.setColumnWidth(column, int(min(600, max(90, mean * 7))))

    @Slot(dict)
    def _load_failed(self, error: dict) -> None:
        self.loading, self.table = False, None
        # A wrong delimiter or encoding is fixed from the format row, so it stays in reach.
        self.format_row.setVisible(Path(self.state.config.data.train_file).suffix.lower()
                                   in (".csv", ".tsv", ".tab", ".txt"))
        self.preview_model.set_dataset(None)
        self.load_error = "{} {}".format(*core_parts(error)).strip()
        self.preview_note.setText(self.load_error)
        self._show_report_items([("error", self.load_error)])
        self.completeChanged.emit()

    def _fill_combos(self) -> None:
        """Every role's column: the one mapped before when the file has it, else the guess;
        optional roles may be left at (none)."""
        config = self.state.config.data
        for role in self._task().roles:
            combo = self.combos[role.field]
            if isinstance(combo, ColumnsChooser):  # several columns (0/1 label columns)
                chosen = [c for c in getattr(config, role.field) if c in self.table.columns] \
                    or list(self.guesses.get(role.field) or [])
                combo.set_columns(self.table.columns, chosen)
                setattr(config, role.field, combo.chosen())
                continue
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(([] if role.required else [self.tr(NONE)]) + self.table.columns)
            current = getattr(config, role.field)
            if current not in self.table.columns:
                current = self.guesses.get(role.field) or ("" if role.required else NONE)
            if current not in self.table.columns and role.required:
                current = self.table.columns[0]
            combo.setCurrentText(current or self.tr(NONE))
            setattr(config, role.field, "" if combo.currentText() == self.tr(NONE) else
                    combo.currentText())
            combo.blockSignals(False)

    # -- mapping and checking ---------------------------------------------------------------
    def _task(self):
        from pft_desktop.core.tasks import get_task

        return get_task(self.state.config.task.kind)

    def _show_roles(self) -> None:
        """One labelled column chooser per role of the chosen task (their help as tooltips),
        the folder button when the task reads folders, the counts chart when it has one."""
        task = self._task()
        self.folder_button.setVisible(bool(task.folder_choice))
        self.folder_button.setText(core_text(task.folder_choice))
        self.labels_chart.setVisible(bool(task.counts_title))
        self.labels_chart.setTitle(core_text(task.counts_title), color="#1f2933", size="10pt")
        if self.shown_task == task.name:
            return
        self.shown_task = task.name
        for field in list(self.combos):  # out of the layout now, deleted later
            for widget in (self.combos.pop(field), self.combo_labels.pop(field)):
                self.mapping_grid.removeWidget(widget)
                widget.hide()
                widget.deleteLater()
        for column, role in enumerate(task.roles):
            if isinstance(getattr(self.state.config.data, role.field), list):
                combo = ColumnsChooser()
                combo.itemChanged.connect(self._mapping_changed)
            else:
                combo = QComboBox()
                combo.currentTextChanged.connect(self._mapping_changed)
            combo.setObjectName(f"map_{role.field}")
            combo.setToolTip(core_text(role.help))
            combo.setAccessibleName(core_text(role.label))
            label = QLabel(core_text(role.label) if role.required else
                           self.tr("{column} (optional)").format(column=core_text(role.label)))
            label.setToolTip(core_text(role.help))
            row, col = divmod(column, 4)
            self.mapping_grid.addWidget(label, row * 2, col)
            self.mapping_grid.addWidget(combo, row * 2 + 1, col)
            self.combos[role.field], self.combo_labels[role.field] = combo, label
        if self.options is not None:
            self.mapping_grid.removeWidget(self.options)
            self.options.hide()
            self.options.deleteLater()
            self.options = None
        if task.data_settings:  # the task's further choices about its data (a separator)
            from pft_desktop.core.config import DataSettings
            from pft_desktop.ui.widgets.forms import ConfigForm

            self.options = ConfigForm(DataSettings, list(task.data_settings))
            self.options.load(self.state.config.data)
            self.options.changed.connect(self._options_changed)
            self.mapping_grid.addWidget(self.options, self.mapping_grid.rowCount(), 0, 1, 4)
        self.mapping.setVisible(bool(task.roles))
        if self.table is not None:
            self._fill_combos()

    def _validation_changed(self, path: str) -> None:
        self.state.config.data.validation_file = path
        self._mapping_changed()

    def _options_changed(self) -> None:
        self.options.store(self.state.config.data)
        self._mapping_changed()

    def _mapping_changed(self, *_) -> None:
        config = self.state.config.data
        for name, combo in self.combos.items():
            if isinstance(combo, ColumnsChooser):
                setattr(config, name, combo.chosen())
            elif combo.count():
                setattr(config, name, "" if combo.currentText() == self.tr(NONE) else
                        combo.currentText())
        config.validation_split = round(self.split.value(), 2)
        self._drop_report()
        self._schedule_check()
        self.completeChanged.emit()

    def _drop_report(self) -> None:
        """Forget the report of the previous file or mapping, including a check still running
        for it, whose answer would otherwise land on the new one."""
        self.checker.forget()
        self.check_timer.stop()
        self.checking, self.check_error, self.state.report = False, "", None
        self.labels_chart.clear()
        self.lengths_chart.clear()
        self.example.show_example([])

    def _schedule_check(self) -> None:
        if self.table is not None:
            self.checking = True
            self.check_timer.start()
            self.completeChanged.emit()

    def run_check(self) -> None:
        """Run the exact checks the runner will run (model, data, tokenizer) in the check
        service, a child that keeps the file read while it is unchanged (core.check_service).
        """
        if not self.state.config.model.name_or_path and not self.state.config.from_scratch:
            self.checking = False
            self.completeChanged.emit()
            return
        self.check_error = ""
        self._show_report_items([("info", self.tr("Checking the data with the model's "
                                                  "tokenizer…"))])
        self.checker.check(self.state.config.to_dict())

    def _checked(self, message: dict) -> None:
        """A report: token lengths from a sample first, then again counted over every row."""
        self.checking, self.state.report = False, message
        self._show_report(message)
        if self.state.config.from_scratch:  # the new model's size, for the estimates
            self.state.model_info = message.get("model")
        self.state.notify("report")
        self.completeChanged.emit()

    def _refined(self, message: dict) -> None:
        """The exact token lengths, for the report still shown (not one dropped since: the
        model or the data changed on another page)."""
        if self.state.report is not None and self.state.report.get("id") == message.get("id"):
            self._checked(message)

    def _check_failed(self, text: str) -> None:
        self.checking, self.check_error, self.state.report = False, text, None
        self._show_report_items([("error", text)])
        self.state.notify("report")
        self.completeChanged.emit()

    def _show_report(self, checked: dict) -> None:
        from pft_desktop.core.data import DataReport

        report = DataReport(**checked["report"])
        items = [("info", core_text(line)) for line in report.lines()
                 if not line.startswith("Warning: ")]
        items += [("warning", core_text(warning)) for warning in report.restored(report.warnings)]
        self._show_report_items(items)
        counts = report.label_counts
        draw_bars(self.labels_chart, list(counts), list(counts.values()))
        lengths = report.token_lengths
        if lengths.get("histogram"):
            draw_histogram(self.lengths_chart, lengths["histogram"]["counts"],
                           lengths["histogram"]["edges"], lengths["max_length"])
            # Short titles: a long one was cut off; the truncated share is in the report.
            title = core_text(self._task().lengths_title) + (
                self.tr(" · sample") if lengths.get("approximate") else "")
            self.lengths_chart.setTitle(title, color="#1f2933", size="10pt")
        self._show_samples(report.samples)
        self.example.show_example(report.example)

    def _show_samples(self, samples: dict) -> None:
        """A few images of each class (image tasks), as thumbnails under the report."""
        from PySide6.QtGui import QPixmap

        while self.samples_row.count():
            item = self.samples_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for label, paths in list(samples.items())[:8]:
            for path in paths[:2]:
                picture = QLabel()
                picture.setPixmap(QPixmap(path).scaled(
                    72, 72, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation))
                picture.setToolTip(f"{label}: {path}")
                self.samples_row.addWidget(picture)
            caption = QLabel(str(label))
            caption.setObjectName("hint")
            self.samples_row.addWidget(caption)
            self.samples_row.addSpacing(12)
        self.samples_row.addStretch(1)

    def _show_report_items(self, items) -> None:
        self.report_list.clear()
        colors = {"error": text_colour("error"), "warning": text_colour("warning"),
                  "info": text_colour("text")}
        marks = {"error": "✖ ", "warning": "⚠ ", "info": "• "}
        for kind, text in items:
            item = QListWidgetItem(marks[kind] + text)
            item.setForeground(QColor(colors[kind]))
            item.setToolTip(text)
            self.report_list.addItem(item)

    def problems(self) -> list[str]:
        config = self.state.config
        if not config.data.train_file:
            return [Pending(self.tr("Choose a data file."))]
        if self.loading:
            return [Pending(self.tr("Reading the data file…"))]
        if self.load_error:
            return [self.load_error]
        missing = [core_text(role.label) for role in self._task().roles
                   if role.required and not getattr(config.data, role.field)
                   and not (self.table is not None and self.table.format == "txt")]
        if missing:
            return [Pending(self.tr("Choose the {column} column.").format(
                column=missing[0].lower()))]
        if self.checking or self.checker.is_running():
            return [Pending(self.tr("Checking the data…"))]
        if self.check_error:
            return [self.check_error]
        if self.state.report is None:
            return [Pending(self.tr("The data has not been checked yet."))]
        return []

    def shutdown(self) -> None:
        self.checker.stop()
        self._worker_thread.quit()
        self._worker_thread.wait(3000)
