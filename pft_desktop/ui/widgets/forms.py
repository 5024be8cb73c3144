"""Forms built from the config dataclasses: one editor per field, the field's help text as its
tooltip, its range as the editor's limits. Pages never hard-code a field's meaning twice."""

from __future__ import annotations

from dataclasses import MISSING, fields

from PySide6.QtCore import Signal

from pft_desktop.ui.i18n import core_text
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QLabel,
                               QLineEdit, QSpinBox, QWidget)

INT_MAX = 2_000_000_000


def _default(spec):
    return spec.default if spec.default is not MISSING else spec.default_factory()


def field_label(spec) -> str:
    """A field's label in English: its own, or its name made readable."""
    return spec.metadata.get("label") or spec.name.replace("_", " ").capitalize()


def _decimals(name: str) -> int:
    return 6 if "rate" in name else 3 if any(k in name for k in ("dropout", "ratio", "split",
                                                                  "decay")) else 2


class ConfigForm(QWidget):
    """Editors for some fields of one settings dataclass; ``changed`` fires on any edit."""

    changed = Signal()

    def __init__(self, settings_type: type, names: list[str] | None = None, parent=None):
        super().__init__(parent)
        self.specs = {spec.name: spec for spec in fields(settings_type)
                      if names is None or spec.name in names}
        if names:
            self.specs = {name: self.specs[name] for name in names}
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(8, 8, 8, 8)
        self.editors: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        for name, spec in self.specs.items():
            editor = self._editor(name, spec)
            self._show_unset(editor, core_text(spec.metadata.get("unset", "")))
            editor.setToolTip(core_text(spec.metadata.get("help", "")))
            editor.setObjectName(f"field_{name}")
            label = QLabel(core_text(field_label(spec)))
            label.setToolTip(core_text(spec.metadata.get("help", "")))
            self.layout_.addRow(label, editor)
            self.editors[name], self.labels[name] = editor, label

    def _editor(self, name, spec) -> QWidget:
        meta, default = spec.metadata, _default(spec)
        if meta.get("choices"):
            editor = QComboBox()
            for choice in meta["choices"]:  # an empty choice shows what it means
                editor.addItem(str(choice) or core_text(meta.get("unset") or "(none)"), choice)
            editor.currentIndexChanged.connect(self.changed)
        elif isinstance(default, bool):
            editor = QCheckBox()
            editor.toggled.connect(self.changed)
        elif isinstance(default, int):
            editor = QSpinBox()
            editor.setRange(int(meta.get("min") or 0), int(meta.get("max") or INT_MAX))
            editor.valueChanged.connect(self.changed)
        elif isinstance(default, float):
            editor = QDoubleSpinBox()
            editor.setDecimals(_decimals(name))
            editor.setRange(float(meta.get("min") or 0.0), float(meta.get("max") or 1e9))
            editor.setSingleStep(10 ** -_decimals(name) * (10 if "rate" in name else 1)
                                 if _decimals(name) > 2 else 0.5)
            editor.valueChanged.connect(self.changed)
        else:
            editor = QLineEdit()
            editor.textChanged.connect(self.changed)
        return editor

    @staticmethod
    def _show_unset(editor: QWidget, text: str) -> None:
        """Say what 0 or an empty value means ("from epochs", "off") where a bare 0 or an empty
        box would leave the person guessing."""
        if not text:
            return
        if isinstance(editor, (QSpinBox, QDoubleSpinBox)) and editor.minimum() == 0:
            editor.setSpecialValueText(text)  # shown while the value is the minimum, 0
        elif isinstance(editor, QLineEdit):
            editor.setPlaceholderText(text)

    def label_width(self) -> int:
        return max((label.sizeHint().width() for label in self.labels.values()), default=0)

    def set_label_width(self, width: int) -> None:
        """Line up the editors of several forms shown one above the other."""
        for label in self.labels.values():
            label.setMinimumWidth(width)

    def load(self, settings) -> None:
        for name, editor in self.editors.items():
            value = getattr(settings, name)
            editor.blockSignals(True)
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(0, editor.findData(value)))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
                editor.setValue(value)
            else:
                editor.setText(", ".join(value) if isinstance(value, list) else str(value))
            editor.blockSignals(False)

    def store(self, settings) -> None:
        for name, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                value = editor.currentData()
            elif isinstance(editor, QCheckBox):
                value = editor.isChecked()
            elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
                value = editor.value()
            else:
                text = editor.text()
                value = [p.strip() for p in text.split(",") if p.strip()] \
                    if isinstance(_default(self.specs[name]), list) else text
            setattr(settings, name, value)

    def set_row_visible(self, name: str, visible: bool) -> None:
        self.layout_.setRowVisible(self.editors[name], visible)
