"""File dialogs that open where the person last went for the same purpose (the data file, the
model folder, an export...), remembered across starts in QSettings. Every file dialog of the app
goes through these three functions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog


def _store() -> QSettings:
    return QSettings("pft-desktop", "pft-desktop")


def recent_folder(purpose: str) -> str:
    """The folder last chosen for ``purpose``, or "" (the dialog's own default)."""
    folder = str(_store().value(f"recent/{purpose}", "") or "")
    return folder if folder and Path(folder).is_dir() else ""


def remember(purpose: str, path: str) -> None:
    """Remember the folder that holds the chosen file or folder: the next dialog opens among
    its neighbours (the other models, the other runs, the next data file)."""
    if path:
        _store().setValue(f"recent/{purpose}", str(Path(path).parent))


def _start(purpose: str, start: str = "", name: str = "") -> str:
    """Where a dialog opens: ``start`` when given (a field's current path), else the recent
    folder; a file name to save is put inside it."""
    where = start or recent_folder(purpose)
    if name:
        return str(Path(where) / name) if where else name
    return where


def open_folder(parent, purpose: str, caption: str, start: str = "") -> str:
    path = QFileDialog.getExistingDirectory(parent, caption, _start(purpose, start))
    remember(purpose, path)
    return path


def open_file(parent, purpose: str, caption: str, file_filter: str = "",
              start: str = "") -> str:
    path, _ = QFileDialog.getOpenFileName(parent, caption, _start(purpose, start), file_filter)
    remember(purpose, path)
    return path


def save_file(parent, purpose: str, caption: str, name: str, file_filter: str = "") -> str:
    path, _ = QFileDialog.getSaveFileName(parent, caption, _start(purpose, name=name),
                                          file_filter)
    remember(purpose, path)
    return path
