"""The Hyperparameters page's "Export cluster job…" button: it asks how many machines and where,
writes the job folder from the settings on screen, and says what it wrote; settings that cannot
run are refused with their fix and nothing is written. (The dialogs are answered by stand-ins:
a modal dialog would wait for a person.)"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from helpers import classification_config
from pft_desktop.core.config import RunConfig


def answer_dialogs(monkeypatch, machines, target):
    told = []
    monkeypatch.setattr(QInputDialog, "getInt", lambda *args, **kwargs: (machines, True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), "Folder (*)"))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: told.append(args[2]))
    return told


def test_the_button_writes_the_job_for_the_settings_on_screen(qtbot, window, monkeypatch,
                                                              tmp_path, tiny_encoder,
                                                              sentiment_csv):
    page = window.hyper_page
    window.state.config = classification_config(tiny_encoder, sentiment_csv)
    window.state.config.resources.devices = "cpu"
    window.stack.setCurrentWidget(page)
    page.enter()
    page.resources.editors["processes"].setValue(2)  # per machine, as the button's tooltip says
    assert page.cluster_button.isVisible() and page.cluster_button.text() == "Export cluster job…"
    told = answer_dialogs(monkeypatch, 3, tmp_path / "job")
    qtbot.mouseClick(page.cluster_button, Qt.MouseButton.LeftButton)

    written = RunConfig.load(tmp_path / "job" / "config.toml")
    assert written.resources.processes == 6  # 3 machines x 2
    assert written.data.train_file == str(sentiment_csv.resolve())
    assert {p.name for p in (tmp_path / "job").iterdir()} == {
        "config.toml", "accelerate_config.yaml", "launch.sh", "job.sbatch", "README.md"}
    assert len(told) == 1 and "3 machines x 2 processes" in told[0]
    assert "sbatch job.sbatch" in told[0] and "README.md" in told[0]
    assert window.state.config.resources.processes == 2  # the wizard's own settings unchanged


def test_settings_that_cannot_run_are_refused_and_nothing_is_written(qtbot, window,
                                                                    monkeypatch, tmp_path):
    page = window.hyper_page
    window.state.config = RunConfig()  # no model, no data
    page.enter()
    told = answer_dialogs(monkeypatch, 2, tmp_path / "job")
    qtbot.mouseClick(page.cluster_button, Qt.MouseButton.LeftButton)
    assert len(told) == 1 and "train_file" in told[0]
    assert not (tmp_path / "job").exists()


def test_cancelling_the_questions_writes_nothing(qtbot, window, monkeypatch, tmp_path,
                                                 tiny_encoder, sentiment_csv):
    page = window.hyper_page
    window.state.config = classification_config(tiny_encoder, sentiment_csv)
    page.enter()
    answer_dialogs(monkeypatch, 2, "")  # the folder dialog cancelled
    assert page.export_cluster_job() is None
    monkeypatch.setattr(QInputDialog, "getInt", lambda *args, **kwargs: (2, False))
    assert page.export_cluster_job(target=str(tmp_path / "job")) is None
    assert not (tmp_path / "job").exists()
