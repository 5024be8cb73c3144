"""File > Settings: where runs are kept, the language, light or dark, offline mode and the hub
cache. Saved in the user's settings file (core.settings), so the app and the command line agree;
the theme and the hub settings apply at once, the language at the next start."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from pft_desktop.core.runstore import runs_root
from pft_desktop.core.settings import load_settings, save_settings
from pft_desktop.ui import recent
from pft_desktop.ui.accessible import name_form_fields

OVERRIDES = ("PFT_RUNS_ROOT", "PFT_DESKTOP_RUNS_DIR")
LANGUAGES = (("", QT_TRANSLATE_NOOP("SettingsDialog", "Follow the system")), ("en", "English"),
             ("zh_CN", "简体中文"))
THEMES = (("system", QT_TRANSLATE_NOOP("SettingsDialog", "Follow the system")),
          ("light", QT_TRANSLATE_NOOP("SettingsDialog", "Light")),
          ("dark", QT_TRANSLATE_NOOP("SettingsDialog", "Dark")))


class SettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(600)
        settings = load_settings()
        self.saved_theme = settings["theme"]
        self.runs_root = QLineEdit(settings.get("runs_root") or "")
        self.runs_root.setPlaceholderText(self.tr("Default: {folder}").format(
            folder=_default_root()))
        self.language = _combo([(key, name if key else self.tr(name))
                                for key, name in LANGUAGES], settings["language"])
        self.theme = _combo([(key, self.tr(name)) for key, name in THEMES], settings["theme"])
        self.theme.currentIndexChanged.connect(self._preview_theme)
        self.offline = QCheckBox(self.tr("&Work offline: never contact the Hugging Face Hub"))
        self.offline.setChecked(bool(settings["offline"]))
        self.offline.setToolTip(self.tr("Models load only from folders and the local cache; "
                                        "downloads and hub look-ups are off in the app and in "
                                        "every process it starts."))
        self.hub_cache = QLineEdit(settings.get("hub_cache") or "")
        self.hub_cache.setPlaceholderText(self.tr("Default: the Hugging Face cache "
                                                  "(~/.cache/huggingface/hub)"))
        self.hub_cache.setToolTip(self.tr("Where models downloaded from the hub are kept "
                                          "(HF_HUB_CACHE)."))
        form = QFormLayout()
        form.addRow(self.tr("&Runs folder"), self._with_browse(
            self.runs_root, "runs_root", self.tr("Choose the runs folder")))
        form.addRow(self.tr("&Language"), _with_hint(
            self.language, self.tr("A new language applies after a restart.")))
        form.addRow(self.tr("&Theme"), self.theme)
        form.addRow(self.tr("Offline"), self.offline)
        form.addRow(self.tr("Hub &cache"), self._with_browse(
            self.hub_cache, "hub_cache", self.tr("Choose the Hugging Face cache folder")))
        self.note = _hint(self.tr("Every new run gets a folder in the runs folder; the Runs "
                                  "page lists them. Runs already trained stay where they are."))
        override = next((name for name in OVERRIDES if os.environ.get(name)), None)
        if override:
            self.note.setText(self.note.text() + " " + self.tr(
                "While the environment variable {name} is set, runs go to {folder} "
                "instead.").format(name=override, folder=runs_root()))
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
        name_form_fields(self)

    def _with_browse(self, edit: QLineEdit, purpose: str, caption: str) -> QWidget:
        browse = QPushButton(self.tr("Browse…"))
        browse.setAccessibleName(caption)
        browse.clicked.connect(lambda: self._browse(edit, purpose, caption))
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(edit, 1)
        row_layout.addWidget(browse)
        row.setFocusProxy(edit)  # the row label's Alt+letter lands in the text field
        return row

    def _browse(self, edit: QLineEdit, purpose: str, caption: str) -> None:
        path = recent.open_folder(self, purpose, caption, edit.text())
        if path:
            edit.setText(path)

    def _preview_theme(self) -> None:
        from pft_desktop.ui.theme import apply_theme

        apply_theme(self.theme.currentData())

    def reject(self) -> None:
        """Cancel puts back the theme a preview changed."""
        if self.theme.currentData() != self.saved_theme:
            from pft_desktop.ui.theme import apply_theme

            apply_theme(self.saved_theme)
        super().reject()

    def save(self) -> bool:
        """Save, apply and close; an unusable folder keeps the dialog open with the reason."""
        folders = {}
        for key, edit, what in (("runs_root", self.runs_root, self.tr("runs folder")),
                                ("hub_cache", self.hub_cache, self.tr("hub cache"))):
            folders[key], problem = self._usable_folder(edit.text(), what)
            if problem:
                self.problem.setText(problem)
                edit.setFocus()
                return False
        try:
            settings = save_settings(**folders, language=self.language.currentData(),
                                     theme=self.theme.currentData(),
                                     offline=self.offline.isChecked())
        except OSError as error:
            self.problem.setText(self.tr("The settings could not be saved: {error}.").format(
                error=error))
            return False
        from pft_desktop.core.hub_env import apply_to_process
        from pft_desktop.ui.theme import apply_theme

        apply_to_process(settings)
        apply_theme(settings["theme"])
        self.saved_theme = settings["theme"]
        self.accept()
        return True

    def _usable_folder(self, text: str, what: str) -> tuple[str, str]:
        """(the folder as saved, "" ) or ("", why it cannot be used); empty means the default."""
        text = text.strip()
        if not text:
            return "", ""
        path = Path(text).expanduser()
        if path.exists() and not path.is_dir():
            return "", self.tr("The {what} {path} is a file, not a folder; choose a "
                               "folder.").format(what=what, path=path)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return "", self.tr("The {what} {path} cannot be created: {error}. Choose another "
                               "folder.").format(what=what, path=path,
                                                 error=error.strerror or error)
        if not os.access(path, os.W_OK):
            return "", self.tr("The {what} {path} cannot be written to; choose a folder of "
                               "yours.").format(what=what, path=path)
        return str(path), ""


def _combo(items: list[tuple[str, str]], current: str) -> QComboBox:
    combo = QComboBox()
    for key, name in items:
        combo.addItem(name, key)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _with_hint(field: QWidget, text: str) -> QWidget:
    """A field with a line of explanation under it (the label's Alt+letter reaches the field)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(_hint(text))
    box.setFocusProxy(field)
    return box


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def _default_root() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("pft-desktop", appauthor=False)) / "runs"
