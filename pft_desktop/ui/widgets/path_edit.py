"""A path field that accepts drag and drop and has a Browse button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from pft_desktop.ui import recent


class PathEdit(QWidget):
    """``path_chosen`` fires when a path is dropped, browsed to, or typed and confirmed."""

    path_chosen = Signal(str)

    def __init__(self, placeholder: str, folder: bool = False, file_filter: str = "",
                 parent=None):
        super().__init__(parent)
        self.folder, self.file_filter = folder, file_filter
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.editingFinished.connect(lambda: self.path_chosen.emit(self.edit.text().strip()))
        self.browse = QPushButton(self.tr("Browse…"))
        self.browse.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse)
        self.setAcceptDrops(True)

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def _browse(self) -> None:
        if self.folder:
            path = recent.open_folder(self, "model", self.tr("Choose a model folder"), self.text())
        else:
            path = recent.open_file(self, "data", self.tr("Choose a data file"), self.file_filter,
                                    self.text())
        if path:
            self.choose(path)

    def choose(self, path: str) -> None:
        self.edit.setText(path)
        self.path_chosen.emit(path)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self.choose(urls[0].toLocalFile())
            event.acceptProposedAction()
