"""Help > Diagnostics: the environment doctor (``pft-desktop doctor --json``) run in a child
process, since it imports torch and runs bitsandbytes, which the GUI process never does; each
check is shown with a coloured status, its finding and its fix, and "Copy report" puts the JSON
on the clipboard for a bug report."""

from __future__ import annotations

import json

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from pft_desktop.core.doctor import in_order
from pft_desktop.ui.child import ChildProcess

COLOURS = {"ok": "#15803d", "warning": "#b45309", "problem": "#b91c1c", "skipped": "#52606d"}
WORDS = {"ok": QT_TRANSLATE_NOOP("DiagnosticsDialog", "OK"),
         "warning": QT_TRANSLATE_NOOP("DiagnosticsDialog", "Warning"),
         "problem": QT_TRANSLATE_NOOP("DiagnosticsDialog", "Problem"),
         "skipped": QT_TRANSLATE_NOOP("DiagnosticsDialog", "Skipped")}


class DiagnosticsDialog(QDialog):
    """Runs the doctor when opened (and on "Run again"); ``report`` holds its last report."""

    report_shown = Signal(dict)

    def __init__(self, parent=None, command: tuple[str, ...] = ("doctor", "--json")):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Diagnostics"))
        self.resize(860, 560)
        self.command, self.report, self.rows = command, None, {}
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QLabel()
        self.progress.setObjectName("hint")
        self.grid = QGridLayout()
        self.grid.setColumnStretch(2, 1)
        self.grid.setVerticalSpacing(10)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(self.grid)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.again = QPushButton(self.tr("Run again"))
        self.again.clicked.connect(self.run_checks)
        self.copy = QPushButton(self.tr("Copy report"))
        self.copy.setToolTip(self.tr("Copy the report as JSON (the same as `pft-desktop doctor "
                                     "--json`), for a bug report"))
        self.copy.clicked.connect(self.copy_report)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.again)
        buttons.addWidget(self.copy)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.child = ChildProcess(self)
        self.child.message.connect(self._message)
        self.child.text.connect(self.progress.setText)
        self.child.done.connect(self._done)
        self.run_checks()

    def run_checks(self) -> None:
        self.report = None
        self.again.setEnabled(False)
        self.copy.setEnabled(False)
        self._set_summary(self.tr("Checking this machine (a few seconds; the 4-bit check runs "
                                  "bitsandbytes in a separate process)…"), None)
        self.child.start(*self.command)

    def _message(self, event: dict) -> None:
        if event.get("type") == "doctor":
            self.report = in_order(event)

    def _done(self, outcome) -> None:
        self.again.setEnabled(True)
        self.progress.clear()
        if self.report is None:  # the doctor itself could not run
            self._set_summary(self.tr("The checks could not run: {reason}").format(
                reason=outcome), "problem")
            return
        self._show(self.report)
        self.copy.setEnabled(True)
        self.report_shown.emit(self.report)

    def _show(self, report: dict) -> None:
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
        self.rows = {}
        for row, (key, check) in enumerate(report["checks"].items()):
            badge = QLabel(self.tr(WORDS[check["status"]]) if check["status"] in WORDS
                           else check["status"])
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            badge.setStyleSheet(f"color: white; background: {COLOURS.get(check['status'])}; "
                                "border-radius: 4px; padding: 2px 8px; font-weight: 600;")
            title = QLabel(check["title"])
            title.setStyleSheet("font-weight: 600;")
            text = QLabel(check["finding"] + ("\n" + self.tr("Fix: {fix}").format(
                fix=check["fix"]) if check["fix"] else ""))
            text.setTextFormat(Qt.TextFormat.PlainText)  # findings hold paths and <, >
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            for column, widget in enumerate((badge, title, text)):
                self.grid.addWidget(widget, row, column, Qt.AlignmentFlag.AlignTop)
            self.rows[key] = (badge, text)
        counts = report["counts"]
        problems, warnings = counts["problem"], counts["warning"]
        said = {"problem": self.tr("1 problem to fix") if problems == 1 else
                self.tr("{count} problems to fix").format(count=problems),
                "warning": self.tr("No problems; 1 warning") if warnings == 1 else
                self.tr("No problems; {count} warnings").format(count=warnings),
                "ok": self.tr("Everything checked is in order")}[report["status"]]
        self._set_summary(self.tr("{summary}. pft-desktop {version}, checked {when}.").format(
            summary=said, version=report["pft_desktop"], when=report["created"]),
            report["status"])

    def _set_summary(self, text: str, status: str | None) -> None:
        self.summary.setText(text)
        colour = COLOURS.get(status or "", "")
        self.summary.setStyleSheet(f"color: {colour}; font-weight: 600;" if colour else "")

    def copy_report(self) -> None:
        if self.report is not None:
            QGuiApplication.clipboard().setText(json.dumps(self.report, indent=2))
            self.progress.setText(self.tr("Report copied to the clipboard (JSON)."))

    def done(self, result: int) -> None:
        self.child.cancel()  # closing stops a check still running
        super().done(result)


def show_diagnostics(parent) -> DiagnosticsDialog:
    """Open the dialog beside the window (not modal: the checks take a few seconds), or bring
    the open one to the front."""
    dialog = parent.findChild(DiagnosticsDialog)
    if dialog is None or not dialog.isVisible():
        dialog = DiagnosticsDialog(parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
