"""File > Settings: language, theme, offline mode and the hub cache are saved, the theme and the
hub settings apply at once, and the children the app starts get the hub variables."""

import os

import pytest
from PySide6.QtGui import QPalette

from pft_desktop.core import hub_env, launch
from pft_desktop.core.config import RunConfig
from pft_desktop.core.settings import load_settings, save_settings
from pft_desktop.ui.child import process_environment
from pft_desktop.ui.settings_dialog import SettingsDialog
from pft_desktop.ui.theme import apply_theme


@pytest.fixture
def dialog(qtbot, monkeypatch):
    for name in hub_env.HUB_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("PFT_THEME", raising=False)
    from pft_desktop.ui.app import create_app

    create_app()
    box = SettingsDialog()
    qtbot.addWidget(box)
    yield box
    save_settings(offline=False, hub_cache="", theme="system")
    hub_env.apply_to_process()  # undo what the dialog set in this process
    apply_theme("light")


def window_is_dark(qapp) -> bool:
    return qapp.palette().color(QPalette.ColorRole.Window).lightness() < 60


def test_saves_every_setting_and_applies_theme_and_hub_at_once(dialog, qapp, tmp_path):
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.offline.setChecked(True)
    dialog.hub_cache.setText(str(tmp_path / "hub"))
    assert dialog.save()
    saved = load_settings()
    assert (saved["language"], saved["theme"], saved["offline"], saved["hub_cache"]) == (
        "zh_CN", "dark", True, str(tmp_path / "hub"))
    assert (tmp_path / "hub").is_dir()
    assert window_is_dark(qapp)
    # this process, the runner's environment and every QProcess child see the same
    assert os.environ["HF_HUB_OFFLINE"] == "1" and hub_env.is_offline()
    runner = launch.runner_environment(RunConfig())
    child = process_environment()
    for env in (runner, {name: child.value(name) for name in child.keys()}):
        assert env["HF_HUB_OFFLINE"] == env["TRANSFORMERS_OFFLINE"] == "1"
        assert env["HF_HUB_CACHE"] == str(tmp_path / "hub")


def test_switching_offline_off_takes_the_variables_away(dialog):
    dialog.offline.setChecked(True)
    assert dialog.save()
    again = SettingsDialog()
    assert again.offline.isChecked()
    again.offline.setChecked(False)
    assert again.save()
    assert "HF_HUB_OFFLINE" not in os.environ
    assert "HF_HUB_OFFLINE" not in launch.runner_environment(RunConfig())
    assert "HF_HUB_OFFLINE" not in process_environment().keys()


def test_child_environment_follows_the_settings_file_without_the_dialog(tmp_path):
    """The command line starts runners too: they read the settings file themselves."""
    save_settings(offline=True, hub_cache=str(tmp_path))
    env = launch.runner_environment(RunConfig(), base={"PATH": "x"})
    assert env == {"PATH": "x", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                   "HF_HUB_CACHE": str(tmp_path)}


def test_theme_previews_and_cancel_puts_it_back(dialog, qapp):
    apply_theme("light")
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert window_is_dark(qapp)
    dialog.reject()
    assert not window_is_dark(qapp)
    assert load_settings()["theme"] == "system"


def test_a_file_as_hub_cache_keeps_the_dialog_open_with_the_reason(dialog, tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("x")
    dialog.hub_cache.setText(str(file))
    assert not dialog.save()
    assert "hub cache" in dialog.problem.text() and "not a folder" in dialog.problem.text()
    assert load_settings()["hub_cache"] == ""


def test_the_model_page_says_offline_instead_of_downloading(window, monkeypatch):
    save_settings(offline=True)
    page = window.model_page
    page.hub_id.setText("distilbert-base-uncased")
    page.download()
    assert "Offline mode is on" in page.download_note.text()
    assert not page.downloader.is_running()
    save_settings(offline=False)


def test_recent_folders_are_remembered_per_purpose(qapp, tmp_path):
    from pft_desktop.ui import recent

    (tmp_path / "data").mkdir()
    recent.remember("data_file", str(tmp_path / "data" / "reviews.csv"))
    recent.remember("model_folder", str(tmp_path / "models" / "bert"))
    assert recent.recent_folder("data_file") == str(tmp_path / "data")
    assert recent.recent_folder("model_folder") == ""  # gone since: the dialog's default
    assert recent.recent_folder("export") == ""
    assert recent._start("data_file") == str(tmp_path / "data")
    assert recent._start("data_file", start="/elsewhere") == "/elsewhere"


def test_each_file_dialog_opens_where_the_last_one_for_its_purpose_was(qapp, tmp_path,
                                                                       monkeypatch):
    """The dialogs are answered by a stand-in (a modal dialog would wait for a person), which
    records where each one opened."""
    from PySide6.QtWidgets import QFileDialog

    from pft_desktop.ui import recent

    opened = []

    def answer(parent, caption, start, *rest):
        opened.append(start)
        return str(tmp_path / "configs" / "run.toml"), ""

    (tmp_path / "configs").mkdir()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    assert recent.open_file(None, "run_config", "Load") == str(tmp_path / "configs" / "run.toml")
    recent.save_file(None, "run_config", "Save", "run.toml")
    recent.open_file(None, "data", "Choose a data file")
    assert opened == ["", str(tmp_path / "configs" / "run.toml"), ""]


def test_every_command_line_command_applies_the_hub_settings(tmp_path, monkeypatch, capsys):
    """The command line (and so every child the app starts with it) sets the variables from the
    settings file before huggingface_hub is first imported and reads them."""
    from pft_desktop.cli import main

    for name in hub_env.HUB_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    save_settings(offline=True, hub_cache=str(tmp_path / "hub"))
    try:
        assert main(["tasks"]) == 0
        assert os.environ["HF_HUB_OFFLINE"] == os.environ["TRANSFORMERS_OFFLINE"] == "1"
        assert os.environ["HF_HUB_CACHE"] == str(tmp_path / "hub")
    finally:
        save_settings(offline=False, hub_cache="")
        hub_env.apply_to_process()
    assert "HF_HUB_OFFLINE" not in os.environ
