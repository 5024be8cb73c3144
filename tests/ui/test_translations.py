"""Simplified Chinese beside English: every visible string of the window is translated (or on a
short list of names that stay as they are), the .ts sources are complete and the shipped .qm is
compiled from them, core's catalogue messages render translated, and English stays English."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import (QAbstractButton, QApplication, QGroupBox, QLabel, QTabWidget,
                               QWidget)

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "pft_desktop" / "assets" / "i18n"
TS = I18N / "pft_desktop_zh_CN.ts"
BIN = Path(sys.executable).parent
# Names, units and formats that read the same in Chinese UI text.
KEEP = ["pft-desktop", "all-MiniLM-L6-v2", "Hugging Face", "rsLoRA", "QLoRA", "LoRA", "DoRA",
        "alpha", "dropout", "Beta", "GGUF", "ONNX", "CSV", "JSON", "int8", "Top-p", "GB", "ETA",
        "Ctrl+R", "4-bit", "8-bit", "English"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def untranslated(text: str) -> bool:
    """Latin words left once HTML, placeholders' values and the KEEP names are taken out, and
    no Chinese at all."""
    plain = re.sub(r"<[^>]+>", " ", text)
    if CJK.search(plain):
        return False
    for name in KEEP:
        plain = plain.replace(name, " ")
    return bool(re.search(r"[A-Za-z]{2,}", plain))


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(what, text) of every label, button, group box title and tab under ``root``."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel) and widget.text():
            found.append((f"label {widget.objectName()}", widget.text()))
        elif isinstance(widget, QAbstractButton) and widget.text():
            found.append((f"button {widget.objectName()}", widget.text()))
        if isinstance(widget, QGroupBox) and widget.title():
            found.append(("group box", widget.title()))
        if isinstance(widget, QTabWidget):
            found += [("tab", widget.tabText(i)) for i in range(widget.count())]
        if widget.toolTip():
            found.append((f"tooltip of {type(widget).__name__}", widget.toolTip()))
    return found


@pytest.fixture
def chinese(qtbot, tmp_path, monkeypatch):
    """The app in zh_CN (as PFT_LANGUAGE sets it); English again afterwards."""
    monkeypatch.setenv("PFT_DESKTOP_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("PFT_LANGUAGE", "zh_CN")
    from pft_desktop.ui.app import create_app
    from pft_desktop.ui.i18n import install_translators

    app = create_app()
    yield app
    install_translators(app, "en")


def test_every_visible_string_is_translated(chinese, qtbot):
    from wizard_helpers import close_window

    from pft_desktop.ui.main_window import MainWindow
    from pft_desktop.ui.settings_dialog import SettingsDialog

    window = MainWindow()
    window.show()
    try:
        found = [("window title", window.windowTitle())]
        for index in range(len(window.pages)):
            window.stack.setCurrentIndex(index)
            window.pages[index].enter()
            found += shown_texts(window.pages[index])
        for page in (window.runs_page, window.compare_page):
            found += shown_texts(page)
        found += shown_texts(window.centralWidget())
        for menu in window.menuBar().actions():
            found.append(("menu", menu.text()))
            found += [("menu item", action.text()) for action in menu.menu().actions()
                      if action.text()]
        dialog = SettingsDialog(window)
        found += shown_texts(dialog) + [("dialog title", dialog.windowTitle())]
        dialog.reject()
    finally:
        close_window(window)
    assert len(found) > 150  # the walk really saw the pages
    left = sorted({f"{what}: {text!r}" for what, text in found if untranslated(text)})
    assert left == [], "untranslated:\n" + "\n".join(left)


def test_ts_is_complete_and_the_qm_is_compiled_from_it(tmp_path):
    """Every string the code marks is in the .ts (a fresh lupdate finds nothing new), none is
    unfinished, core's list of plain texts is current, and lrelease makes the committed .qm."""
    text = TS.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from i18n_core_strings import core_texts
    finally:
        sys.path.pop(0)
    listed = (I18N / "core_strings.py").read_text(encoding="utf-8")
    assert all(repr(entry) in listed for entry in core_texts())

    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "pft_desktop").rglob("*.py"))
    run = subprocess.run([str(BIN / "pyside6-lupdate"), "-locations", "none", "-no-obsolete",
                          *sources, "-ts", str(copy)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert re.search(r"\(0 new and \d+ already existing\)", run.stdout + run.stderr), \
        run.stdout + run.stderr
    assert "obsolete" not in run.stdout + run.stderr  # no translation of a string now gone

    qm = tmp_path / "zh_CN.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), "-removeidentical", str(TS), "-qm", str(qm)],
                   check=True, capture_output=True)
    assert qm.read_bytes() == (I18N / "pft_desktop_zh_CN.qm").read_bytes(), \
        "the .qm is stale: run bash packaging/i18n.sh compile"


def test_core_messages_render_in_chinese(chinese):
    """A catalogue message from core, also after travelling as JSON the way the check service
    and the runner send it, with a message inside another one's parameters."""
    from pft_desktop.core.data import DataReport
    from pft_desktop.core.errors import explain_exception
    from pft_desktop.core.messages import message
    from pft_desktop.ui.i18n import core_error, core_text

    error = json.loads(json.dumps(explain_exception(MemoryError()).to_dict()))
    assert error["message"] == "Training ran out of memory on the device."  # English in data
    assert core_error(error).startswith("训练时设备内存不足。")

    report = DataReport(rows_read=600, rows_kept=598, train_rows=500, validation_rows=98,
                        label_counts={"pos": 300, "neg": 298})
    report.drop(message("drop.in_validation_file",
                        reason=message("drop.empty", column="review")), 2)
    report.warnings.append(message("data.unbalanced"))
    sent = DataReport(**json.loads(json.dumps(report.to_dict())))
    shown = [core_text(line) for line in sent.lines()]
    assert shown[0] == "读取 600 行，保留 598 行（训练 500，验证 98）。"
    assert shown[1] == "丢弃 2 行：'review' 为空（验证文件）。"
    assert shown[2] == "标签：pos 300, neg 298"
    assert shown[3].startswith("警告：类别非常不均衡")
    assert [str(line) for line in sent.lines()] == [str(line) for line in report.lines()]


def test_other_tasks_data_messages_render_in_chinese(chinese):
    """A multi-label data note (counts joined by nested messages) and warning, a regression
    warning and a multi-label UserError, after a JSON round trip, are shown in Chinese."""
    import pandas as pd

    from pft_desktop.core.data import DataReport
    from pft_desktop.core.errors import UserError
    from pft_desktop.core.messages import message
    from pft_desktop.core.multi_label_data import SeparatedLabels
    from pft_desktop.core.tasks.multi_label import _check_labels
    from pft_desktop.core.tasks.regression import target_warnings
    from pft_desktop.ui.i18n import core_error, core_text

    report = DataReport(rows_read=4, rows_kept=4, train_rows=3, validation_rows=1)
    reader = SeparatedLabels("tags.csv", "tags", ",")
    _check_labels([["a", "b"], ["a"], [], ["a", "b", "c"]], ["a", "b", "c"], reader, report)
    report.warnings += target_warnings(pd.Series([3.0, 3.0]), "score")
    sent = DataReport(**json.loads(json.dumps(report.to_dict())))
    assert [str(line) for line in sent.restored(sent.notes)] == [str(n) for n in report.notes]
    shown = [core_text(line) for line in sent.restored(sent.notes + sent.warnings)]
    assert shown[0] == "每行标签数：无：1 行，1：1 行，2：1 行，3 个或更多：1 行；平均 1.50 个。"
    assert shown[1] == "1 行没有标签（'tags' 单元格为空）：已保留，模型会学到没有标签适用。"
    assert shown[2].startswith("1 个标签只有一个样本（c）")
    assert shown[3].startswith("'score' 中的所有目标值都是 3：")
    assert str(report.notes[0]) == "Labels per row: none in 1 row, 1 in 1 row, 2 in 1 row, " \
        "3 or more in 1 row; 1.50 on average."

    error = UserError("no_labels", message("error.no_labels_column", file="tags.csv",
                                           column="tags"), message("fix.no_labels"))
    sent_error = json.loads(json.dumps(error.to_dict()))
    assert sent_error["message"].startswith("No row of tags.csv has a label")
    assert core_error(sent_error).startswith("tags.csv 中没有任何一行有标签：标签列 'tags'")

    from pft_desktop.core.tasks.question_answering import _say_split

    qa = DataReport()
    _say_split(qa, 0.1, pd.DataFrame({"context": ["a", "a", "b"]}))
    sent = DataReport(**json.loads(json.dumps(qa.to_dict())))
    assert str(qa.notes[0]) == "3 questions about 2 contexts are held out for validation; " \
        "the model never trains on those contexts."
    assert core_text(sent.restored(sent.notes)[0]).startswith(
        "关于 2 段上下文的 3 个问题已留出用于验证")


def test_english_stays_english(qtbot, tmp_path, monkeypatch):
    from wizard_helpers import close_window

    from pft_desktop.core.errors import explain_exception
    from pft_desktop.core.messages import message
    from pft_desktop.ui.app import create_app
    from pft_desktop.ui.i18n import core_error, core_text
    from pft_desktop.ui.main_window import MainWindow

    monkeypatch.setenv("PFT_DESKTOP_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("PFT_LANGUAGE", "en")
    create_app()
    window = MainWindow()
    window.show()
    try:
        assert window.next.text() == "Next"
        assert window.steps.item(5).text() == "6  Results and export"
        assert window.menuBar().actions()[0].text() == "&File"
        assert window.data_page.header_box.text() == "First row is a header"
    finally:
        close_window(window)
    assert core_text(message("drop.empty", column="text")) == "empty 'text'"
    assert core_error(explain_exception(MemoryError()).to_dict()) == (
        "Training ran out of memory on the device. Lower the batch size or the maximum "
        "sequence length, turn on gradient checkpointing, or switch to LoRA or QLoRA (4-bit), "
        "which keep far less in memory.")
    assert QApplication.translate("MainWindow", "Next") == "Next"


@pytest.mark.parametrize("setting, system, expected", [
    ("", "zh_CN", "zh_CN"), ("", "zh_TW", "zh_CN"), ("", "de_DE", "en"), ("en", "zh_CN", "en"),
    ("zh_CN", "en_US", "zh_CN")])
def test_language_follows_settings_then_system(monkeypatch, tmp_path, setting, system, expected):
    from PySide6.QtCore import QLocale

    from pft_desktop.core.settings import save_settings
    from pft_desktop.ui.i18n import chosen_language

    monkeypatch.setenv("PFT_SETTINGS_FILE", str(tmp_path / "settings.json"))
    monkeypatch.delenv("PFT_LANGUAGE", raising=False)
    save_settings(language=setting)
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(system)))
    assert chosen_language() == expected


def test_qt_own_dialog_buttons_follow(chinese):
    """Qt's own texts (standard dialog buttons) come from PySide6's qtbase translation."""
    from PySide6.QtCore import QLibraryInfo

    shipped = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if not (shipped / "qtbase_zh_CN.qm").is_file():
        pytest.skip("this PySide6 ships no qtbase_zh_CN.qm")
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"
