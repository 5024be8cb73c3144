"""Step 6: final metrics, the confusion matrix, a box to try the model, and export."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (QFileDialog, QGroupBox, QHeaderView, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QProgressBar, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from pft_desktop.core.rundir import RunFolder
from pft_desktop.ui.child import ChildProcess
from pft_desktop.ui.pages.base import WizardPage
from pft_desktop.ui.widgets.prediction import prediction_html

HIDDEN_METRICS = ("runtime", "per_second", "confusion_matrix", "per_class", "label_names")


class ResultsPage(WizardPage):
    title = "Results and export"
    subtitle = "How well the model did on held-out data, a place to try it, and export."
    run_opened = Signal(str)
    fine_tune_requested = Signal(str)

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
        self._build()

    def _build(self) -> None:
        self.headline = QLabel()
        self.headline.setStyleSheet("font-size: 12pt;")
        self.headline.setWordWrap(True)
        self.content.addWidget(self.headline)
        row = QHBoxLayout()
        self.metrics = QTableWidget(0, 2)
        self.metrics.setHorizontalHeaderLabels(["Metric", "Value"])
        self.metrics.horizontalHeader().setStretchLastSection(True)
        self.metrics.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.metrics.verticalHeader().setVisible(False)
        self.metrics.setMinimumHeight(180)
        self.matrix = QTableWidget(0, 0)
        self.matrix.setMinimumHeight(180)
        self.matrix_box = QGroupBox("Confusion matrix (rows: true label, columns: predicted)")
        QVBoxLayout(self.matrix_box).addWidget(self.matrix)
        row.addWidget(self.metrics, 1)
        row.addWidget(self.matrix_box, 1)
        self.content.addLayout(row)

        try_box = QGroupBox("Try it")
        try_layout = QVBoxLayout(try_box)
        line = QHBoxLayout()
        self.try_text = QLineEdit()
        self.try_text.setPlaceholderText("Type some text and press Enter")
        self.try_text.returnPressed.connect(self.predict)
        self.try_button = QPushButton("Predict")
        self.try_button.clicked.connect(self.predict)
        line.addWidget(self.try_text, 1)
        line.addWidget(self.try_button)
        self.try_result = QLabel("The model loads in the background when this page opens.")
        self.try_result.setWordWrap(True)
        self.try_result.setObjectName("hint")
        self.try_result.setMinimumHeight(70)
        self.try_result.setAlignment(Qt.AlignmentFlag.AlignTop)
        try_layout.addLayout(line)
        try_layout.addWidget(self.try_result)
        self.content.addWidget(try_box)

        export_box = QGroupBox("Export")
        export_layout = QVBoxLayout(export_box)
        buttons = QHBoxLayout()
        self.export_adapter = QPushButton("Export adapter…")
        self.export_adapter.setToolTip("Only the LoRA weights (a few MB); load them on top of "
                                       "the base model with peft.")
        self.export_adapter.clicked.connect(lambda: self.export("adapter"))
        self.export_merged = QPushButton("Export merged model…")
        self.export_merged.setObjectName("primary")
        self.export_merged.setToolTip("A complete model folder that plain transformers loads.")
        self.export_merged.clicked.connect(lambda: self.export("merged"))
        self.open_folder = QPushButton("Open folder")
        self.open_folder.setEnabled(False)
        self.open_folder.clicked.connect(self._open_export)
        self.finetune_button = QPushButton("Fine-tune this model…")
        self.finetune_button.setObjectName("primary")
        self.finetune_button.setToolTip("Use this pretrained model as the base of a new "
                                        "fine-tuning run.")
        self.finetune_button.clicked.connect(self._fine_tune_this)
        self.finetune_button.setVisible(False)
        self.open_run_button = QPushButton("Open run folder")
        self.open_run_button.clicked.connect(
            lambda: self.state.run_dir and QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(self.state.run_dir))))
        for button in (self.finetune_button, self.export_merged, self.export_adapter,
                       self.open_folder, self.open_run_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.export_bar = QProgressBar()
        self.export_bar.setRange(0, 0)
        self.export_bar.setVisible(False)
        self.export_note = QLabel()
        self.export_note.setObjectName("hint")
        self.export_note.setWordWrap(True)
        export_layout.addLayout(buttons)
        export_layout.addWidget(self.export_bar)
        export_layout.addWidget(self.export_note)
        self.content.addWidget(export_box)
        self.content.addStretch(1)

    # -- showing a run ----------------------------------------------------------------------
    def enter(self) -> None:
        if self.state.run_dir is None:
            self.headline.setText("No run yet.")
            return
        folder = RunFolder(self.state.run_dir)
        metrics = folder.metrics() or (self.state.outcome or {}).get("metrics", {})
        self._show_metrics(metrics)
        status = folder.state()
        accuracy = metrics.get("eval_accuracy")
        headline = "This run is still training in the background. " if folder.is_live() \
            else f"Run {status}. "
        if accuracy is not None:
            headline += f"Accuracy {accuracy:.1%}, macro F1 {metrics.get('eval_f1', 0):.3f} " \
                        "on the validation rows."
        elif metrics.get("eval_perplexity") is not None:
            headline += f"Validation perplexity {metrics['eval_perplexity']:.2f}."
        self.headline.setText(headline + f"\nRun folder: {folder.path}")
        pretraining = self.state.config.task.kind == "pretrain"
        self.finetune_button.setVisible(pretraining and folder.model_dir.is_dir())
        if pretraining:
            info = json.loads((folder.model_dir / "pft_run.json").read_text()) \
                if (folder.model_dir / "pft_run.json").is_file() else {}
            self.try_text.setPlaceholderText(
                "Type a sentence with [MASK] where a word should be guessed, e.g. 'the movie "
                "was [MASK] .'" if info.get("objective") == "mlm" else
                "Type the start of a text; the model continues it")
        else:
            self.try_text.setPlaceholderText("Type some text and press Enter")
        info_file = folder.model_dir / "pft_run.json"
        is_adapter = info_file.is_file() and json.loads(info_file.read_text()).get("is_adapter")
        has_model = folder.model_dir.is_dir()
        # A run still training rewrites its model when it ends: exporting now would ship an
        # older one under the run's name.
        live = folder.is_live()
        self.export_adapter.setEnabled(bool(is_adapter) and not live)
        self.export_merged.setEnabled(has_model and not live)
        if live:
            self.export_note.setText("This run is still training; export it once it has "
                                     "finished.")
        self.try_button.setEnabled(has_model)
        if has_model and self.served_dir != folder.path:
            self._start_server(folder.path)

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
                    shade = int(245 - 150 * count / peak)
                    if count == 0:
                        item.setBackground(QColor("white"))
                    else:
                        item.setBackground(QColor(shade, shade, 255) if i == j
                                           else QColor(255, shade, shade))
                    self.matrix.setItem(i, j, item)

    # -- try it -----------------------------------------------------------------------------
    def _start_server(self, run_dir: Path) -> None:
        self.server.cancel()
        self.served_dir = run_dir
        self.ready = False
        self.try_result.setText("Loading the model…")
        self.server.start("serve", str(run_dir))

    def predict(self) -> None:
        text = self.try_text.text().strip()
        if not text or not self.server.is_running():
            return
        self.try_result.setText("Thinking…" if getattr(self, "ready", False)
                                else "Loading the model; the answer follows…")
        self.server.write_line(json.dumps({"text": text}))

    def _served(self, message: dict) -> None:
        if message.get("type") == "ready":
            self.ready = True
            self.try_result.setText("Ready: type some text and press Enter.")
        elif message.get("type") in ("result", "error"):
            self.try_result.setText(prediction_html(message))

    def _server_stopped(self, outcome) -> None:
        if not outcome.was_successful() and not outcome.crashed:
            self.try_result.setText(f"<span style='color:#b91c1c'>The model could not be "
                                    f"loaded: {outcome}</span>")

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
    def export(self, kind: str, target: str | None = None) -> None:
        if self.state.run_dir is None or self.exporter.is_running():
            return
        if target is None:
            target = QFileDialog.getExistingDirectory(self, "Export into which folder?")
            if not target:
                return
            target = str(Path(target) / f"{Path(self.state.run_dir).name}-{kind}")
        self.export_dir = Path(target)
        self.export_bar.setVisible(True)
        self.export_note.setText(f"Exporting the {kind} model to {target}…")
        self.open_folder.setEnabled(False)
        self.exporter.start("export", str(self.state.run_dir), f"--{kind}", target)

    def _exported(self, outcome) -> None:
        self.export_bar.setVisible(False)
        if outcome.was_successful():
            self.export_note.setText(f"Exported to {self.export_dir}. It loads with plain "
                                     "transformers/peft; its README.md shows how.")
            self.open_folder.setEnabled(True)
        else:
            self.export_note.setText(f"<span style='color:#b91c1c'>Export failed: "
                                     f"{outcome}</span>")

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
        path = path or QFileDialog.getExistingDirectory(self, "Open a run folder",
                                                        str(store.root))
        if not path:
            return
        folder = RunFolder(path)
        try:
            config = folder.load_config()
            store.add(folder.path)
        except UserError as error:
            QMessageBox.warning(self, "Not a run folder", f"{error.message} {error.fix}")
            return
        except OSError as error:  # the library's list could not be written: still open it
            QMessageBox.warning(self, "Not added to the library", f"{folder.path} opens, but "
                                f"could not join the library ({error}).")
        self.state.config = config
        self.state.report, self.state.model_info = None, None  # the wizard's, not this run's
        self.state.run_dir = folder.path
        self.state.outcome = {"status": folder.state(), "metrics": folder.metrics()}
        self.run_opened.emit(str(folder.path))

    def shutdown(self) -> None:
        self.server.cancel()
        self.exporter.cancel()
