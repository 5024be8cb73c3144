"""File > Settings: where runs are kept. Saved in the user's settings file (core.settings), so
the app and the command line agree; the library reloads from the new folder."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from pft_desktop.core.runstore import runs_root
from pft_desktop.core.settings import load_settings, save_settings

OVERRIDES = ("PFT_RUNS_ROOT", "PFT_DESKTOP_RUNS_DIR")


class SettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self.runs_root = QLineEdit(load_settings().get("runs_root") or "")
        self.runs_root.setPlaceholderText(f"Default: {_default_root()}")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.runs_root, 1)
        row_layout.addWidget(browse)
        form = QFormLayout()
        form.addRow("Runs folder", row)
        self.note = QLabel("Every new run gets a folder here; the Runs page lists them. "
                           "Runs already trained stay where they are.")
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        override = next((name for name in OVERRIDES if os.environ.get(name)), None)
        if override:
            self.note.setText(f"{self.note.text()} While the environment variable {override} "
                              f"is set, runs go to {runs_root()} instead.")
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose the runs folder",
                                                self.runs_root.text() or str(runs_root()))
        if path:
            self.runs_root.setText(path)

    def save(self) -> bool:
        """Save and close; an unusable folder keeps the dialog open with the reason."""
        text = self.runs_root.text().strip()
        if text:
            path = Path(text).expanduser()
            if path.exists() and not path.is_dir():
                self.problem.setText(f"{path} is a file, not a folder.")
                return False
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                self.problem.setText(f"The folder cannot be created: {error.strerror or error}.")
                return False
            if not os.access(path, os.W_OK):
                self.problem.setText(f"{path} cannot be written to; choose a folder of yours.")
                return False
            text = str(path)
        try:
            save_settings(runs_root=text)
        except OSError as error:
            self.problem.setText(f"The settings could not be saved: {error}.")
            return False
        self.accept()
        return True


def _default_root() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("pft-desktop", appauthor=False)) / "runs"
