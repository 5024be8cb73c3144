"""The run library: every status listed in words and colours, sorting, filters and search,
rename, delete to the trash, the actions a run allows, compare, and the runs folder setting."""

import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from pft_desktop.core.rundir import STATUSES, RunFolder
from pft_desktop.core.runstore import runs_root
from pft_desktop.ui.run_table import COLUMN, STATUS_LOOK
from run_folders import make_run

ERROR_RED = "#b91c1c"


@pytest.fixture
def library(window):
    """One run in every status, a minute apart (the running one newest)."""
    root = runs_root()
    now = time.time()
    for age, status in enumerate(STATUSES):
        make_run(root, f"{status}-run", status, started=now - 60 * (age + 1),
                 checkpoint=status in ("stopped", "interrupted"), saved_model=status in (
                     "finished", "stopped"), model="tiny-gpt" if status == "failed" else
                 "tiny-bert")
    window.show_library()
    return window.runs_page


def cell(page, row, column):
    return page.filter.index(row, COLUMN[column]).data()


def names(page):
    return [cell(page, row, "name") for row in range(page.filter.rowCount())]


def select(page, *wanted):
    page.select_paths({str(runs_root() / name) for name in wanted})


def test_every_status_is_listed_in_words_and_colours(library, window):
    page = library
    assert window.stack.currentWidget() is page and window.runs_button.isChecked()
    assert not window.nav.isVisible()  # Back/Next belong to the wizard
    assert page.filter.rowCount() == len(STATUSES)
    assert names(page)[0] == "running-run"  # newest first
    shown = {cell(page, row, "name"): row for row in range(page.filter.rowCount())}
    for status in STATUSES:
        row = shown[f"{status}-run"]
        assert cell(page, row, "status").startswith(STATUS_LOOK[status][0])
        colour = page.filter.index(row, COLUMN["status"]).data(
            Qt.ItemDataRole.ForegroundRole).name()
        assert (colour == ERROR_RED) == (status in ("failed", "diverged")), status
    assert cell(page, shown["running-run"], "status") == "Running · step 20 of 20"
    assert cell(page, shown["finished-run"], "best").startswith("f1 ")
    assert cell(page, shown["finished-run"], "duration") == "10 s"
    assert cell(page, shown["finished-run"], "task") == "classification"
    assert cell(page, shown["failed-run"], "model") == "tiny-gpt"
    assert page.count.text() == "6 runs"

    page.table.sortByColumn(COLUMN["name"], Qt.SortOrder.AscendingOrder)
    assert names(page) == sorted(names(page))
    page.table.sortByColumn(COLUMN["started"], Qt.SortOrder.AscendingOrder)
    assert names(page)[-1] == "running-run"


def test_filter_by_status_model_task_and_search_by_name(library):
    page = library
    page.status_filter.setCurrentIndex(page.status_filter.findData("finished"))
    assert names(page) == ["finished-run"]
    assert page.count.text() == "1 of 6 runs"
    page.status_filter.setCurrentIndex(0)
    page.model_filter.setCurrentIndex(page.model_filter.findData("tiny-gpt"))
    assert names(page) == ["failed-run"]
    page.model_filter.setCurrentIndex(0)
    assert page.task_filter.findData("classification") > 0
    page.task_filter.setCurrentIndex(page.task_filter.findData("classification"))
    assert len(names(page)) == 6
    page.search.setText("STOP")
    assert names(page) == ["stopped-run"]
    page.search.setText("no such run")
    assert names(page) == [] and page.empty_note.isVisible()
    page.search.clear()
    assert len(names(page)) == 6


def test_actions_follow_what_the_selected_runs_allow(library):
    page = library

    def enabled():
        return {key for key, button in page.buttons.items() if button.isEnabled()}

    select(page, "stopped-run")
    assert enabled() == {"open", "resume", "new_run", "export", "rename", "show_folder",
                         "delete"}
    select(page, "finished-run")
    assert "train_more" in enabled() and "resume" not in enabled()
    select(page, "running-run")  # a live run: no rename, no delete, no export
    assert enabled() == {"open", "new_run", "show_folder"}
    select(page, "finished-run", "stopped-run")
    assert enabled() == {"compare", "delete"}


def test_rename_and_refuse_a_bad_name(library, monkeypatch):
    page = library
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    old = runs_root() / "finished-run"
    assert page.rename(str(old), "lr-sweep-best")
    assert not old.exists() and RunFolder(runs_root() / "lr-sweep-best").exists()
    assert "lr-sweep-best" in names(page)
    assert [run.name for run in page.selected()] == ["lr-sweep-best"]
    assert not page.rename(str(runs_root() / "stopped-run"), "a/b")
    assert warnings and "cannot be a run name" in warnings[-1]
    assert (runs_root() / "stopped-run").exists()


def test_delete_asks_then_moves_the_run_to_the_trash(library, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # a trash on the same drive
    page = library
    select(page, "failed-run")

    def answer(button_text):
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and "trash" in box.text()
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(100, lambda: answer("Cancel"))
    page.buttons["delete"].click()
    assert (runs_root() / "failed-run").exists()
    QTimer.singleShot(100, lambda: answer("Move to trash"))
    page.buttons["delete"].click()
    assert not (runs_root() / "failed-run").exists()
    assert list((tmp_path / "xdg" / "Trash" / "files").iterdir())[0].name == "failed-run"
    assert "failed-run" not in names(page)
    # A run that trains cannot go.
    assert page.delete([str(runs_root() / "finished-run")]) == [str(runs_root() /
                                                                   "finished-run")]
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: None)
    assert page.delete([str(runs_root() / "running-run")]) == []
    assert (runs_root() / "running-run").exists()


def test_without_a_trash_deleting_for_good_needs_a_yes(library, monkeypatch):
    from PySide6.QtCore import QFile

    page = library
    monkeypatch.setattr(QFile, "moveToTrash", lambda path: False)
    asked = []

    def no(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", no)
    assert page.delete([str(runs_root() / "stopped-run")]) == []
    assert "cannot be moved to the trash" in asked[0]
    assert (runs_root() / "stopped-run").exists()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert page.delete([str(runs_root() / "stopped-run")]) == [str(runs_root() / "stopped-run")]
    assert not (runs_root() / "stopped-run").exists()


def test_library_lists_new_runs_while_shown(qtbot, library, window):
    page = library
    assert page.timer.isActive()
    select(page, "stopped-run")
    make_run(runs_root(), "fresh-run", "finished")
    page.refresh_in_background()  # what the timer does every few seconds
    qtbot.waitUntil(lambda: "fresh-run" in names(page), timeout=5000)
    assert [run.name for run in page.selected()] == ["stopped-run"]  # kept
    window.go(0)
    assert not page.timer.isActive()  # hidden: no reading


def test_compare_overlays_curves_and_lists_only_differing_settings(window):
    root = runs_root()
    slow = make_run(root, "slow", "finished", steps=20, learning_rate=1e-4)
    fast = make_run(root, "fast", "finished", steps=30, learning_rate=1e-3)
    window.show_library()
    page = window.runs_page
    select(page, "slow", "fast")
    page.buttons["compare"].click()
    compare = window.compare_page
    assert window.stack.currentWidget() is compare
    assert compare.curve_points("slow") == 20 and compare.curve_points("fast") == 30
    compare.y_choice.setCurrentIndex(compare.y_choice.findData("eval_loss"))
    assert compare.curve_points("slow") == 2 and compare.curve_points("fast") == 3
    compare.y_choice.setCurrentIndex(compare.y_choice.findData("eval_f1"))
    assert compare.curve_points("fast") == 3
    compare.x_choice.setCurrentIndex(compare.x_choice.findData("time"))
    assert list(compare.curves["fast"].xData) == [5.0, 10.0, 15.0]  # seconds of training
    assert compare.config_fields() == ["training.learning_rate"]
    assert compare.config_diff.item(0, 1).text() in ("0.0001", "0.001")
    metrics = [compare.metrics.item(row, 0).text() for row in range(compare.metrics.rowCount())]
    assert "eval_f1" in metrics and "train_runtime" not in metrics
    # Neither run saved a model: the answer row says so instead of loading anything.
    answers = compare.predictions.answer_texts()
    assert any("is not on this computer" in text for text in answers)
    assert answers[-2:] == ["This run saved no model."] * 2
    assert slow.exists() and fast.exists()


def test_settings_choose_the_runs_folder(window, tmp_path, monkeypatch):
    from pft_desktop.core.settings import load_settings
    from pft_desktop.ui.settings_dialog import SettingsDialog

    monkeypatch.setenv("PFT_SETTINGS_FILE", str(tmp_path / "settings.json"))
    monkeypatch.delenv("PFT_DESKTOP_RUNS_DIR")
    monkeypatch.delenv("PFT_RUNS_ROOT", raising=False)
    chosen = tmp_path / "elsewhere" / "runs"
    make_run(chosen, "kept-elsewhere", "finished")
    dialog = SettingsDialog(window)
    (tmp_path / "a-file").write_text("")
    dialog.runs_root.setText(str(tmp_path / "a-file"))
    assert not dialog.save() and "not a folder" in dialog.problem.text()
    dialog.runs_root.setText(str(chosen))
    assert dialog.save()
    assert load_settings()["runs_root"] == str(chosen) and runs_root() == chosen
    window.show_library()
    assert names(window.runs_page) == ["kept-elsewhere"]
    assert str(chosen) in window.runs_page.root_note.text()


def test_opening_a_run_folder_from_elsewhere_joins_the_library(window, tmp_path):
    outside = make_run(tmp_path / "usb", "brought-along", "finished")
    window.results_page.open_run(str(outside.path))
    assert window.stack.currentWidget() is window.results_page
    window.show_library()
    assert "brought-along" in names(window.runs_page)


def test_the_library_is_reached_and_used_from_the_keyboard(qtbot, library, window):
    window.go(0)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is library
    table = library.table
    assert table.hasFocus()
    select(library, "finished-run")
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens the run
    assert window.stack.currentWidget() is window.results_page
    assert window.state.run_dir == runs_root() / "finished-run"


def test_new_run_from_a_config_and_train_more_fill_the_wizard(library, window):
    page = library
    finished = str(runs_root() / "finished-run")
    select(page, "finished-run")
    page.buttons["new_run"].click()
    assert window.stack.currentWidget() is window.model_page
    assert window.state.run_dir is None and window.state.outcome is None
    assert window.state.config.training.learning_rate == 1e-3  # the run's own settings
    assert window.state.config.model.start_from == ""
    window.show_library()
    select(page, "finished-run")
    page.buttons["train_more"].click()
    assert window.stack.currentWidget() is window.model_page
    assert window.state.config.model.start_from == finished

