"""The Results page's "Upload to the Hub…": a repository id, private (checked), merged model or
adapter, and an optional pasted token; the upload runs as ``pft-desktop upload`` in a child
process (it exports first, which needs torch), and the dialog shows the URL or the clear error.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QProgressBar, QPushButton, QVBoxLayout)

from pft_desktop.ui.child import ChildProcess

ERROR_COLOUR = "#b91c1c"


class HubUploadDialog(QDialog):
    """``finished_upload`` carries the repository URL, or "" when the upload failed."""

    finished_upload = Signal(str)

    def __init__(self, run_dir, is_adapter: bool, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Upload to the Hugging Face Hub"))
        self.run_dir, self.url = Path(run_dir), ""
        self.child = ChildProcess(self)
        self.child.message.connect(self._message)
        self.child.text.connect(lambda text: self.status.setText(escape(text) + "…"))
        self.child.done.connect(self._done)
        self.repo = QLineEdit()
        self.repo.setPlaceholderText(self.tr("your-user-name/model-name"))
        self.repo.setAccessibleName(self.tr("Repository id"))
        self.repo.textChanged.connect(lambda text: self.upload.setEnabled(bool(text.strip())))
        self.private = QCheckBox(self.tr("Private (only you and your organisation can see it)"))
        self.private.setChecked(True)
        self.what = QComboBox()
        self.what.setAccessibleName(self.tr("What to upload"))
        self.what.addItem(self.tr("Merged model (loads with plain transformers)"), "merged")
        if is_adapter:
            self.what.addItem(self.tr("LoRA adapter only (a few MB; needs the base model)"),
                              "adapter")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setAccessibleName(self.tr("Token"))
        self.token.setPlaceholderText(self.tr("empty: the token `hf auth login` stored"))
        self.token.setToolTip(self.tr("A write token from https://huggingface.co/settings/tokens, "
                                      "used for this upload only and never saved."))
        form = QFormLayout()
        form.addRow(self.tr("Repository:"), self.repo)
        form.addRow("", self.private)
        form.addRow(self.tr("Upload:"), self.what)
        form.addRow(self.tr("Token:"), self.token)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setVisible(False)
        self.status = QLabel(self.tr("The model card the export writes becomes the repository's "
                                     "README; pft_run.json (this machine's paths) is left out."))
        self.status.setWordWrap(True)
        self.status.setOpenExternalLinks(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.upload = QPushButton(self.tr("Upload"))
        self.upload.setObjectName("primary")
        self.upload.setEnabled(False)
        self.upload.clicked.connect(self.start)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.upload)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(560, 260)

    def start(self) -> None:
        if self.child.is_running() or not self.repo.text().strip():
            return
        args = ["upload", str(self.run_dir), "--repo", self.repo.text().strip(), "--json"]
        if not self.private.isChecked():
            args.append("--public")
        if self.what.currentData() == "adapter":
            args.append("--adapter")
        token = self.token.text().strip()
        if token:
            args.append("--token-stdin")  # the token never goes on a command line
        self.url = ""
        self.upload.setEnabled(False)
        self.bar.setVisible(True)
        self.status.setText(self.tr("Starting the upload…"))
        self.child.start(*args)
        if token:
            self.child.write_line(token)

    def _message(self, message: dict) -> None:
        if message.get("type") == "uploaded":
            self.url = str(message.get("url", ""))

    def _done(self, outcome) -> None:
        self.bar.setVisible(False)
        self.upload.setEnabled(True)
        if outcome.was_successful() and self.url:
            link = escape(self.url, quote=True)
            self.status.setText(self.tr("Uploaded: {link}").format(
                link=f"<a href='{link}'>{escape(self.url)}</a>"))
        else:
            self.status.setText(f"<span style='color:{ERROR_COLOUR}'>" + self.tr(
                "Upload failed: {reason}").format(reason=escape(str(outcome))) + "</span>")
        self.finished_upload.emit(self.url)

    def reject(self) -> None:
        self.child.cancel()
        super().reject()
