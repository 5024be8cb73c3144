"""Help > Diagnostics runs the real doctor in a child process while the window stays responsive,
shows every check with its coloured status and fix, and copies the report for a bug report."""

import json
import platform
import subprocess
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from pft_desktop.core.doctor import CHECKS
from pft_desktop.ui.diagnostics_dialog import COLOURS, WORDS, DiagnosticsDialog


def _menu_action(window, text):
    for menu in window.menuBar().actions():
        for action in menu.menu().actions():
            if action.text() == text:
                return action
    raise AssertionError(f"no menu entry {text}")


def test_help_diagnostics_shows_each_check_and_copies_the_report(window, qtbot, tmp_path):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    started = time.monotonic()
    _menu_action(window, "&Diagnostics…").trigger()
    dialog = window.findChild(DiagnosticsDialog)
    assert dialog is not None and dialog.isVisible()
    assert not dialog.copy.isEnabled()  # nothing to copy while it runs
    qtbot.waitUntil(lambda: dialog.copy.isEnabled(), timeout=300_000)
    elapsed = time.monotonic() - started
    timer.stop()
    # the event loop kept running: the checks ran elsewhere (a blocked loop gives ~0 ticks)
    assert len(ticks) >= 0.25 * elapsed / 0.05, (len(ticks), elapsed)

    report = dialog.report
    assert list(dialog.rows) == list(CHECKS) == list(report["checks"])
    for key, (badge, text) in dialog.rows.items():
        check = report["checks"][key]
        assert badge.text() == WORDS[check["status"]]
        assert COLOURS[check["status"]] in badge.styleSheet()
        assert text.text().startswith(check["finding"])
        if check["fix"]:
            assert text.text().endswith(f"Fix: {check['fix']}")
    # the child's facts are this machine's, with the window's runs folder
    assert report["checks"]["python"]["facts"]["version"] == platform.python_version()
    assert report["checks"]["runs_folder"]["facts"]["path"] == str(tmp_path / "runs")
    assert COLOURS[report["status"]] in dialog.summary.styleSheet()

    dialog.copy.click()
    assert json.loads(QApplication.clipboard().text()) == report
    dialog.close()


def test_a_doctor_that_cannot_run_is_shown_with_its_reason(qtbot):
    dialog = DiagnosticsDialog(command=("doctor", "--json", "--skip", "nonsense"))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.again.isEnabled(), timeout=120_000)
    assert dialog.report is None and not dialog.copy.isEnabled()
    assert dialog.summary.text().startswith("The checks could not run: --skip nonsense: "
                                            "no such check.")
    assert COLOURS["problem"] in dialog.summary.styleSheet()


def test_the_dialog_does_not_import_torch_into_the_gui_process():
    code = ("import sys\nimport pft_desktop.ui.main_window, pft_desktop.ui.diagnostics_dialog\n"
            "print(','.join(m for m in ('torch', 'transformers', 'bitsandbytes', 'accelerate') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
