"""Step 6: final metrics, the confusion matrix, a box to try the model, and export."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox,
                               QHeaderView, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QPlainTextEdit, QProgressBar, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from pft_desktop.core.rundir import RunFolder
from pft_desktop.ui import recent
from pft_desktop.ui.child import ChildProcess
from pft_desktop.ui.i18n import core_parts, core_text
from pft_desktop.ui.pages.base import WizardPage
from pft_desktop.ui.widgets.changes_since_start import ChangesSinceStart
from pft_desktop.ui.widgets.charts import bar_chart
from pft_desktop.ui.widgets.chat_box import ChatBox
from pft_desktop.ui.widgets.prediction import prediction_html

# the GGUF number formats offered, the default first (core.gguf_export writes each)
GGUF_TYPES = {"q8_0": "q8_0 (8-bit)", "f16": "f16 (16-bit)", "q4_0": "q4_0 (4-bit)"}
HIDDEN_METRICS = ("runtime", "per_second", "confusion_matrix", "per_class", "label_names",
                  "scatter", "examples")


class ResultsPage(WizardPage):
    title = QT_TRANSLATE_NOOP("ResultsPage", "Results and export")
    subtitle = QT_TRANSLATE_NOOP("ResultsPage", "How well the model did on held-out data, a "
                                 "place to try it, and export.")
    run_opened = Signal(str)
    fine_tune_requested = Signal(str)
    same_from_base_requested = Signal(str, str)  # (this run's folder, the plain base)

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.server = ChildProcess(self)
        self.server.message.connect(self._served)
        self.server.done.connect(lambda outcome: self._server_stopped(outcome))
        self.exporter = ChildProcess(self)
        self.exporter.text.connect(lambda text: self.export_note.setText(text))
        self.exporter.done.connect(self._exported)
        self.served_dir = None
        self.export_dir: Path | None = None
        self.exported_kind = ""
        self._build()

    def _build(self) -> None:
        self.headline = QLabel()
        self.headline.setStyleSheet("font-size: 12pt;")
        self.headline.setWordWrap(True)
        self.content.addWidget(self.headline)
        self.lineage = QLabel()  # pretrained by the app, then fine-tuned: both steps
        self.lineage.setObjectName("hint")
        self.lineage.setWordWrap(True)
        self.lineage.setVisible(False)
        self.content.addWidget(self.lineage)
        self.base_button = QPushButton()  # the comparison that shows what pretraining gained
        self._plain_base = None
        self.base_button.setVisible(False)
        self.base_button.clicked.connect(self._same_from_base)
        base_row = QHBoxLayout()
        base_row.addWidget(self.base_button)
        base_row.addStretch(1)
        self.content.addLayout(base_row)
        self.changes = ChangesSinceStart()  # its data or libraries differ now: say so
        self.content.addWidget(self.changes)
        row = QHBoxLayout()
        self.metrics = QTableWidget(0, 2)
        self.metrics.setHorizontalHeaderLabels([self.tr("Metric"), self.tr("Value")])
        self.metrics.horizontalHeader().setStretchLastSection(True)
        self.metrics.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.metrics.verticalHeader().setVisible(False)
        self.metrics.setMinimumHeight(180)
        self.matrix = QTableWidget(0, 0)
        self.matrix.setMinimumHeight(180)
        self.matrix_box = QGroupBox(self.tr("Confusion matrix (rows: true label, columns: "
                                            "predicted)"))
        QVBoxLayout(self.matrix_box).addWidget(self.matrix)
        self.per_class = QTableWidget(0, 4)
        self.per_class.setHorizontalHeaderLabels([self.tr("Precision"), self.tr("Recall"), "F1",
                                                  self.tr("Support")])
        self.per_class.setMinimumHeight(180)
        self.per_class_box = QGroupBox(self.tr("Per label (validation)"))
        QVBoxLayout(self.per_class_box).addWidget(self.per_class)
        self.scatter = bar_chart(self.tr("Predicted against true (validation)"))
        self.per_class_box.setVisible(False)
        self.scatter.setVisible(False)
        row.addWidget(self.metrics, 1)
        row.addWidget(self.matrix_box, 1)
        row.addWidget(self.per_class_box, 1)
        row.addWidget(self.scatter, 1)
        self.content.addLayout(row)
        self.examples = QTableWidget(0, 0)  # generated answers beside the expected ones
        self.examples.setMinimumHeight(150)
        self.examples.setWordWrap(True)
        self.examples.horizontalHeader().setStretchLastSection(True)
        self.examples_box = QGroupBox(self.tr("Examples from the validation rows"))
        QVBoxLayout(self.examples_box).addWidget(self.examples)
        self.examples_box.setVisible(False)
        self.content.addWidget(self.examples_box)

        try_box = self.try_box = QGroupBox(self.tr("Try it"))
        try_layout = QVBoxLayout(try_box)
        line = QHBoxLayout()
        self.try_text = QLineEdit()
        self.try_text.setPlaceholderText(self.tr("Type some text and press Enter"))
        self.try_text.returnPressed.connect(self.predict)
        self.try_button = QPushButton(self.tr("Predict"))
        self.try_button.clicked.connect(self.predict)
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self._browse_input)
        line.addWidget(self.try_text, 1)
        line.addWidget(self.browse_button)
        line.addWidget(self.try_button)
        self.try_fields = QFormLayout()  # the task's further inputs (a context, a second text)
        self.try_inputs: dict[str, object] = {}
        self.try_result = QLabel(self.tr("The model loads in the background when this page opens."))
        self.try_result.setWordWrap(True)
        self.try_result.setObjectName("hint")
        self.try_result.setMinimumHeight(70)
        self.try_result.setAlignment(Qt.AlignmentFlag.AlignTop)
        try_layout.addLayout(line)
        try_layout.addLayout(self.try_fields)
        try_layout.addWidget(self.try_result)
        self.content.addWidget(try_box)
        self.chat_box = ChatBox()  # in place of the try box for a chat model
        self.chat_box.setMinimumHeight(420)
        self.chat_box.setVisible(False)
        self.content.addWidget(self.chat_box)

        export_box = QGroupBox(self.tr("Export"))
        export_layout = QVBoxLayout(export_box)
        buttons = QHBoxLayout()
        self.export_adapter = QPushButton(self.tr("Export adapter…"))
        self.export_adapter.setToolTip(self.tr("Only the LoRA weights (a few MB); load them on top "
                                               "of the base model with peft."))
        self.export_adapter.clicked.connect(lambda: self.export("adapter"))
        self.export_merged = QPushButton(self.tr("Export merged model…"))
        self.export_merged.setObjectName("primary")
        self.export_merged.setToolTip(self.tr("A complete model folder that plain transformers "
                                              "loads."))
        self.export_merged.clicked.connect(lambda: self.export("merged"))
        self.export_gguf = QPushButton(self.tr("Export GGUF…"))  # chat and language models only
        self.export_gguf.setToolTip(self.tr("A GGUF file for llama.cpp and Ollama with an Ollama "
                                            "Modelfile; the file is read back and compared with "
                                            "the model before it is kept."))
        self.export_gguf.clicked.connect(
            lambda: self.export("gguf", quant=self.gguf_quant.currentData()))
        self.gguf_quant = QComboBox()
        for quant, label in GGUF_TYPES.items():
            self.gguf_quant.addItem(label, quant)
        self.gguf_quant.setToolTip(self.tr("The GGUF file's number format: q8_0 is half the size "
                                           "of f16 and nearly as close to the model; q4_0 is "
                                           "smallest."))
        self.export_onnx = QPushButton(self.tr("Export ONNX…"))  # encoder tasks only
        self.export_onnx.setToolTip(self.tr("model.onnx for onnxruntime, checked against the model "
                                            "before it is kept (needs pip install "
                                            "'pft-desktop[onnx]')."))
        self.export_onnx.clicked.connect(
            lambda: self.export("onnx", int8=self.onnx_int8.isChecked()))
        self.onnx_int8 = QCheckBox(self.tr("int8"))
        self.onnx_int8.setToolTip(self.tr("Also write model_int8.onnx: dynamically quantized, "
                                          "about a quarter of the size and faster on a CPU, "
                                          "slightly less exact."))
        self.upload_hub = QPushButton(self.tr("Upload to the Hub…"))
        self.upload_hub.setToolTip(self.tr("Upload the merged model or the adapter, with its "
                                           "model card, to a Hugging Face Hub repository "
                                           "(private unless you say otherwise)."))
        self.upload_hub.clicked.connect(self.upload_to_hub)
        self.upload_dialog = None
        self.open_folder = QPushButton(self.tr("Open folder"))
        self.open_folder.setEnabled(False)
        self.open_folder.clicked.connect(self._open_export)
        self.finetune_button = QPushButton(self.tr("Fine-tune this model…"))
        self.finetune_button.setObjectName("primary")
        self.finetune_button.setToolTip(self.tr("Use this pretrained model as the base of a new "
                                                "fine-tuning run."))
        self.finetune_button.clicked.connect(self._fine_tune_this)
        self.finetune_button.setVisible(False)
        self.open_run_button = QPushButton(self.tr("Open run folder"))
        self.open_run_button.clicked.connect(
            lambda: self.state.run_dir and QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(self.state.run_dir))))
        # Two rows: in one, the buttons made the page wider than a 1180-pixel window, and
        # every word-wrapped line above them (the lineage) was cut at the right edge.
        places = QHBoxLayout()
        for button in (self.finetune_button, self.export_merged, self.export_adapter,
                       self.export_gguf, self.gguf_quant):
            buttons.addWidget(button)
        for button in (self.export_onnx, self.onnx_int8, self.upload_hub, self.open_folder,
                       self.open_run_button):
            places.addWidget(button)
        buttons.addStretch(1)
        places.addStretch(1)
        self.export_bar = QProgressBar()
        self.export_bar.setRange(0, 0)
        self.export_bar.setVisible(False)
        self.export_note = QLabel()
        self.export_note.setObjectName("hint")
        self.export_note.setWordWrap(True)
        export_layout.addLayout(buttons)
        export_layout.addLayout(places)
        export_layout.addWidget(self.export_bar)
        export_layout.addWidget(self.export_note)
        self.content.addWidget(export_box)
        self.content.addStretch(1)

    # -- showing a run ----------------------------------------------------------------------
    def enter(self) -> None:
        if self.state.run_dir is None:
            self.headline.setText(self.tr("No run yet."))
            self.changes.show_for(None)
            return
        folder = RunFolder(self.state.run_dir)
        self.changes.show_for(folder.path)
        metrics = folder.metrics() or (self.state.outcome or {}).get("metrics", {})
        self._show_metrics(metrics)
        status = folder.state()
        from pft_desktop.core.export import read_run_info
        from pft_desktop.core.tasks import get_task

        info = read_run_info(folder.model_dir)
        task = get_task(info.get("task") or self.state.config.task.kind)
        statuses = {"finished": self.tr("Run finished. "), "stopped": self.tr("Run stopped. "),
                    "failed": self.tr("Run failed. "), "diverged": self.tr("Run diverged. "),
                    "interrupted": self.tr("Run interrupted. ")}
        headline = self.tr("This run is still training in the background. ") \
            if folder.is_live() else statuses.get(status, f"Run {status}. ")
        self.headline.setText(headline + core_text(task.headline(metrics)) + "\n" +
                              self.tr("Run folder: {folder}").format(folder=folder.path))
        self.finetune_button.setVisible(task.saves_merged and folder.model_dir.is_dir())
        self._show_lineage(folder)
        self._show_inputs(task.inputs(info))
        self._show_chat(folder, info, bool(getattr(task, "chat", False)))
        info_file = folder.model_dir / "pft_run.json"
        is_adapter = info_file.is_file() and json.loads(info_file.read_text()).get("is_adapter")
        has_model = folder.model_dir.is_dir()
        # A run still training rewrites its model when it ends: exporting now would ship an
        # older one under the run's name.
        live = folder.is_live()
        self.export_adapter.setEnabled(bool(is_adapter) and not live)
        self.export_merged.setEnabled(has_model and not live)
        self.upload_hub.setEnabled(has_model and not live)
        generates = task.auto_class_for(info) == "AutoModelForCausalLM"
        for widget in (self.export_gguf, self.gguf_quant):
            widget.setVisible(generates)
            widget.setEnabled(has_model and not live)
        for widget in (self.export_onnx, self.onnx_int8):
            widget.setVisible(task.onnx)
            widget.setEnabled(has_model and not live)
        if live:
            self.export_note.setText(self.tr("This run is still training; export it once it has "
                                             "finished."))
        self.try_button.setEnabled(has_model)
        if not has_model:
            self.chat_box.set_status(self.tr("This run has not saved a model to chat with (yet)."))
        if has_model and self.served_dir != folder.path:
            self._start_server(folder.path)

    def _show_lineage(self, folder: RunFolder) -> None:
        """A run whose base model a pretraining run of the app made shows that step first."""
        from pft_desktop.core.errors import UserError
        from pft_desktop.core.lineage import pretraining_step

        try:
            step = pretraining_step(folder.load_config())
        except UserError:
            step = None
        self.lineage.setVisible(step is not None)
        text = "" if step is None else self.tr(
            "Made in two steps. 1. {pretraining} 2. This run fine-tuned the model it "
            "saved.").format(pretraining=core_text(step.text()))
        self._plain_base = None
        if step is not None:
            from pft_desktop.core.lineage import base_comparison, plain_base
            from pft_desktop.core.models import display_name

            comparison = base_comparison(folder)
            if comparison is not None:
                text += " " + core_text(comparison.text())
            else:
                try:
                    self._plain_base = plain_base(folder.load_config())
                except UserError:
                    pass
            if self._plain_base:
                self.base_button.setText(self.tr("Fine-tune {base} the same way…").format(
                    base=display_name(self._plain_base)))
                self.base_button.setToolTip(self.tr(
                    "A new run with this run's data and settings from the model the "
                    "pretraining started from: its result, shown here, is what the "
                    "pretraining gained."))
        self.base_button.setVisible(bool(self._plain_base))
        self.lineage.setText(text)

    def _same_from_base(self) -> None:
        if self._plain_base and self.state.run_dir:
            self.same_from_base_requested.emit(str(self.state.run_dir), self._plain_base)

    def _show_metrics(self, metrics: dict) -> None:
        shown = [(k, v) for k, v in sorted(metrics.items())
                 if isinstance(v, (int, float)) and not any(h in k for h in HIDDEN_METRICS)]
        self.metrics.setRowCount(len(shown))
        for row, (name, value) in enumerate(shown):
            self.metrics.setItem(row, 0, QTableWidgetItem(name))
            self.metrics.setItem(row, 1, QTableWidgetItem(f"{value:.4f}" if isinstance(
                value, float) else str(value)))
        matrix, names = metrics.get("confusion_matrix"), metrics.get("label_names") or []
        self.matrix_box.setVisible(bool(matrix))
        if matrix:
            self.matrix.setRowCount(len(names))
            self.matrix.setColumnCount(len(names))
            self.matrix.setHorizontalHeaderLabels(names)
            self.matrix.setVerticalHeaderLabels(names)
            peak = max(max(row) for row in matrix) or 1
            for i, row in enumerate(matrix):
                for j, count in enumerate(row):
                    item = QTableWidgetItem(str(count))
                    item.setForeground(QColor("#1f2933"))  # light cells on either theme
                    shade = int(245 - 150 * count / peak)
                    if count == 0:
                        item.setBackground(QColor("white"))
                    else:
                        item.setBackground(QColor(shade, shade, 255) if i == j
                                           else QColor(255, shade, shade))
                    self.matrix.setItem(i, j, item)
        self._show_per_class(metrics.get("per_class") or {}, bool(matrix))
        self._show_scatter(metrics.get("scatter") or {})
        self._show_examples(metrics.get("examples") or [])
        self._fit_metrics(beside=bool(matrix) or self.per_class_box.isVisibleTo(self)
                          or self.scatter.isVisibleTo(self))

    def _fit_metrics(self, beside: bool) -> None:
        """The metrics table as tall as its rows (a chat run has one or two), or as the
        confusion matrix, chart or per-label table beside it."""
        rows = sum(self.metrics.rowHeight(row) for row in range(self.metrics.rowCount()))
        fit = self.metrics.horizontalHeader().height() + rows + 2 * self.metrics.frameWidth() + 2
        self.metrics.setMinimumHeight(min(fit, 180))
        self.metrics.setMaximumHeight(max(fit, 180) if beside else max(fit, 60))

    def _show_examples(self, examples: list) -> None:
        """What the model wrote (seq2seq) or answered (question answering) beside what it
        should have, one row per example, one column per field the task saved."""
        rows = [row for row in examples if isinstance(row, dict)]
        self.examples_box.setVisible(bool(rows))
        found = list(dict.fromkeys(key for row in rows for key in row))
        # The input first, then what was expected, then what the model said (metrics.json
        # stores keys sorted, which would put "generated" first).
        order = ("source", "question", "context", "target", "gold", "expected", "answer",
                 "generated", "predicted")
        columns = [key for key in order if key in found] + \
            [key for key in found if key not in order]
        self.examples.setColumnCount(len(columns))
        self.examples.setHorizontalHeaderLabels([name.capitalize() for name in columns])
        self.examples.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, name in enumerate(columns):
                text = str(row.get(name, ""))
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.examples.setItem(i, j, item)
        self.examples.resizeRowsToContents()

    def _show_per_class(self, per_class: dict, beside_matrix: bool) -> None:
        """Precision, recall and F1 per label or entity type (where no confusion matrix says
        it: multi-label, entities)."""
        self.per_class_box.setVisible(bool(per_class) and not beside_matrix)
        self.per_class.setRowCount(len(per_class))
        self.per_class.setVerticalHeaderLabels([str(name) for name in per_class])
        for row, values in enumerate(per_class.values()):
            for column, key in enumerate(("precision", "recall", "f1", "support")):
                value = values.get(key, "")
                self.per_class.setItem(row, column, QTableWidgetItem(
                    f"{value:.3f}" if isinstance(value, float) else str(value)))

    def _show_scatter(self, scatter: dict) -> None:
        """Predicted against true values (regression), with the line where they are equal."""
        true, predicted = scatter.get("true") or [], scatter.get("predicted") or []
        self.scatter.setVisible(bool(true))
        self.scatter.clear()
        if not true:
            return
        import pyqtgraph as pg

        self.scatter.addItem(pg.ScatterPlotItem(true, predicted, size=5, pen=None,
                                                brush=pg.mkBrush(37, 99, 235, 120)))
        low, high = min(min(true), min(predicted)), max(max(true), max(predicted))
        self.scatter.plot([low, high], [low, high],
                          pen=pg.mkPen("#9ca3af", style=Qt.PenStyle.DashLine))
        self.scatter.setLabel("bottom", self.tr("true"))
        self.scatter.setLabel("left", self.tr("predicted"))

    # -- try it -----------------------------------------------------------------------------
    def _start_server(self, run_dir: Path) -> None:
        self.server.cancel()
        self.served_dir = run_dir
        self.ready = False
        self.try_result.setText(self.tr("Loading the model…"))
        self.chat_box.new_chat()
        self.chat_box.set_status(self.tr("Loading the model in the background; you can write "
                                         "already."))
        self.server.start("serve", str(run_dir))
        self.chat_box.set_writer(self.server.write_line)

    def _show_chat(self, folder: RunFolder, info: dict, chat: bool) -> None:
        """A chat model is tried in a multi-turn chat, with the run's system prompt first."""
        self.try_box.setVisible(not chat)
        self.chat_box.setVisible(chat)
        if not chat:
            return
        from pft_desktop.core.models import display_name

        task_settings = (info.get("config") or {}).get("task") or {}
        if "system_prompt" not in task_settings:
            try:
                task_settings = {"system_prompt": folder.load_config().task.system_prompt}
            except Exception:  # noqa: BLE001 - an unreadable config: no system prompt
                task_settings = {}
        self.chat_box.set_system_prompt(str(task_settings.get("system_prompt") or ""))
        base = str(info.get("base_model_source") or info.get("base_model") or "")
        self.chat_box.set_names(folder.name, display_name(base) if base else "")

    def _show_inputs(self, fields) -> None:
        """The first input in the line above; the task's further inputs (a context, a second
        text) in rows below it, multi-line where the task says so."""
        first, rest = fields[0], fields[1:]
        self.try_key = first.key
        self.try_text.setPlaceholderText(core_text(first.placeholder))
        self.try_text.setAccessibleName(core_text(first.label))
        self.browse_button.setVisible(first.key == "image")
        if [f.key for f in rest] == list(self.try_inputs):
            return
        while self.try_fields.rowCount():
            self.try_fields.removeRow(0)
        self.try_inputs = {}
        for field in rest:
            editor = QPlainTextEdit() if field.multiline else QLineEdit()
            editor.setPlaceholderText(core_text(field.placeholder))
            editor.setAccessibleName(core_text(field.label))
            if field.multiline:
                editor.setMaximumHeight(90)
            self.try_fields.addRow(core_text(field.label), editor)
            self.try_inputs[field.key] = editor

    def _browse_input(self) -> None:
        path = recent.open_file(self, "image", self.tr("Choose an image"), self.tr(
            "Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp);;All files (*)"))
        if path:
            self.try_text.setText(path)
            self.predict()

    def try_values(self) -> dict:
        values = {getattr(self, "try_key", "text"): self.try_text.text().strip()}
        for key, editor in self.try_inputs.items():
            text = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
            if text.strip():
                values[key] = text.strip()
        return values

    def predict(self) -> None:
        values = self.try_values()
        if not next(iter(values.values())) or not self.server.is_running():
            return
        self.try_result.setText(self.tr("Thinking…") if getattr(self, "ready", False)
                                else self.tr("Loading the model; the answer follows…"))
        self.server.write_line(json.dumps(values))

    def _served(self, message: dict) -> None:
        if self.chat_box.served(message):
            return
        if message.get("type") == "ready":
            self.ready = True
            self.try_result.setText(self.tr("Ready: give the model an input and press Enter."))
            self.chat_box.set_status(self.tr("Ready.") if message.get("chat") else
                                     self.tr("This model does not chat."))
            if message.get("base_model"):
                off = self.tr(" (the adapter switched off)") \
                    if message.get("base_is_adapter_off") else ""
                self.chat_box.set_names(Path(str(self.served_dir)).name,
                                        message["base_model"] + off)
        elif message.get("type") in ("result", "error"):
            self.try_result.setText(prediction_html(message))

    def _server_stopped(self, outcome) -> None:
        self.chat_box.set_writer(None)
        if not outcome.was_successful():
            self.chat_box.set_status("<span style='color:#b91c1c'>" + self.tr(
                "The model stopped: {reason}").format(reason=escape(str(outcome))) + "</span>")
        if not outcome.was_successful():
            # Before it was ready it could not load; after, it stopped (a crash, memory).
            text = self.tr("The model stopped: {reason}") if getattr(self, "ready", False) \
                else self.tr("The model could not be loaded: {reason}")
            self.ready = False
            self.try_result.setText("<span style='color:#b91c1c'>" + text.format(
                reason=escape(str(outcome))) + "</span>")

    def _fine_tune_this(self) -> None:
        """Start a fine-tuning setup with this run's pretrained model as the base."""
        base = str(RunFolder(self.state.run_dir).model_dir)
        from pft_desktop.core.defaults import set_task

        config = set_task(self.state.config, "classification")
        config.task.max_length = 128
        config.data.train_file = config.data.validation_file = ""
        self.state.report, self.state.outcome = None, None
        self.fine_tune_requested.emit(base)

    # -- export -----------------------------------------------------------------------------
    def export(self, kind: str, target: str | None = None, quant: str = "",
               int8: bool = False) -> None:
        if self.state.run_dir is None or self.exporter.is_running():
            return
        if target is None:
            target = recent.open_folder(self, "export", self.tr("Export into which folder?"))
            if not target:
                return
            target = str(Path(target) / f"{Path(self.state.run_dir).name}-{kind}")
        self.export_dir = Path(target)
        self.export_bar.setVisible(True)
        self.export_note.setText(self.tr("Exporting the {kind} model to {target}…").format(
            kind=kind, target=target))
        self.open_folder.setEnabled(False)
        self.exported_kind = kind
        extra = (("--quant", quant) if quant else ()) + (("--int8",) if int8 else ())
        self.exporter.start("export", str(self.state.run_dir), f"--{kind}", target, *extra)

    def _exported(self, outcome) -> None:
        self.export_bar.setVisible(False)
        if outcome.was_successful():
            self.export_note.setText(
                self.tr("Exported to {folder}. ").format(folder=self.export_dir) + (
                    self.tr("Run it with llama.cpp, or in Ollama: ollama create NAME -f "
                            "Modelfile (in that folder).") if self.exported_kind == "gguf" else
                    self.tr("It runs with onnxruntime; its README.md shows how.")
                    if self.exported_kind == "onnx" else
                    self.tr("It loads with plain transformers/peft; its README.md shows how.")))
            self.open_folder.setEnabled(True)
        else:
            self.export_note.setText("<span style='color:#b91c1c'>" + self.tr(
                "Export failed: {reason}").format(reason=outcome) + "</span>")

    def upload_to_hub(self) -> None:
        """Open the upload dialog for this run (the upload itself runs in a child process)."""
        from pft_desktop.core.export import read_run_info
        from pft_desktop.ui.hub_upload_dialog import HubUploadDialog

        if self.state.run_dir is None:
            return
        folder = RunFolder(self.state.run_dir)
        is_adapter = bool(read_run_info(folder.model_dir).get("is_adapter"))
        self.upload_dialog = HubUploadDialog(folder.path, is_adapter, self)
        self.upload_dialog.open()

    def _open_export(self) -> None:
        if self.export_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.export_dir)))

    # -- history ----------------------------------------------------------------------------
    def open_run(self, path: str | None = None) -> None:
        """Show a run: its charts and results (a run still training: its charts, live). A
        folder from outside the runs root joins the library."""
        from pft_desktop.core.errors import UserError
        from pft_desktop.core.runstore import RunStore

        store = RunStore()
        path = path or recent.open_folder(self, "run_folder", self.tr("Open a run folder"),
                                          recent.recent_folder("run_folder") or str(store.root))
        if not path:
            return
        folder = RunFolder(path)
        try:
            config = folder.load_config()
            store.add(folder.path)
        except UserError as error:
            QMessageBox.warning(self, self.tr("Not a run folder"),
                                "{} {}".format(*core_parts(error.to_dict())))
            return
        except OSError as error:  # the library's list could not be written: still open it
            QMessageBox.warning(self, self.tr("Not added to the library"), self.tr(
                "{folder} opens, but could not join the library ({error}).").format(
                folder=folder.path, error=error))
        self.state.config = config
        self.state.report, self.state.model_info = None, None  # the wizard's, not this run's
        self.state.run_dir = folder.path
        self.state.outcome = {"status": folder.state(), "metrics": folder.metrics()}
        self.run_opened.emit(str(folder.path))

    def shutdown(self) -> None:
        self.server.cancel()
        self.exporter.cancel()
        if self.upload_dialog is not None:
            self.upload_dialog.child.cancel()
