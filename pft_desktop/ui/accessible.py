"""Accessible names for form fields, done once for every form: a screen reader announces a
field by its row label and its tooltip, and the label's buddy makes its Alt+letter (an "&" in
the label) move the focus to the field. Forms are built in many places, some only when a page is
shown, so this walks a widget's QFormLayouts rather than asking every form to do it."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget


def label_text(label: QLabel) -> str:
    """A label's text as a name: no mnemonic "&", no markup, no trailing colon."""
    text = re.sub(r"<[^>]+>", "", label.text())
    text = re.sub(r"&(.)", r"\1", text)  # "&&" stays one "&"
    return " ".join(text.split()).rstrip(":").strip()


def name_form_fields(root: QWidget) -> int:
    """Give every field of every QFormLayout under ``root`` (``root`` included) its row
    label as accessible name and its tooltip as description, where none is set yet, and make
    the label its buddy. Returns how many fields were named."""
    named = 0
    for layout in [root.layout(), *root.findChildren(QFormLayout)]:
        if not isinstance(layout, QFormLayout):
            continue
        for row in range(layout.rowCount()):
            label_item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label = label_item.widget() if label_item else None
            field = field_item.widget() if field_item else None
            if not isinstance(label, QLabel) or field is None:
                continue
            target = field.focusProxy() or field
            name = label_text(label)
            if name and not target.accessibleName():
                target.setAccessibleName(name)
                named += 1
            tip = target.toolTip() or field.toolTip() or label.toolTip()
            if tip and not target.accessibleDescription():
                target.setAccessibleDescription(re.sub(r"<[^>]+>", "", tip))
            if label.buddy() is None:
                label.setBuddy(target)
    return named
