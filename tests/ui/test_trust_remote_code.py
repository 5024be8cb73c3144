"""A model that runs only with its own Python code: the Model page asks, in a dialog that names
the model and says what trusting allows, and the answer becomes the run's trust_remote_code."""

import json
import shutil

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from pft_desktop.ui.pages.base import Pending
from pft_desktop.ui.pages.model_page import ModelPage
from pft_desktop.ui.state import AppState


@pytest.fixture
def remote_code_model(tmp_path, tiny_encoder):
    """A tiny model folder whose config names an architecture transformers does not have and
    points at the folder's own code for it (which must never run here)."""
    folder = tmp_path / "frob-model"
    shutil.copytree(tiny_encoder, folder)
    config = json.loads((folder / "config.json").read_text())
    config.update(model_type="frobnicator", auto_map={
        "AutoConfig": "configuration_frob.FrobConfig",
        "AutoModelForSequenceClassification": "modeling_frob.FrobForSequenceClassification"})
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "modeling_frob.py").write_text("raise SystemExit('remote code ran')\n")
    return folder


@pytest.fixture
def page(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PFT_DESKTOP_RUNS_DIR", str(tmp_path / "runs"))
    state = AppState()
    model_page = ModelPage(state)
    qtbot.addWidget(model_page)
    yield model_page
    model_page.shutdown()


def answering(monkeypatch, button_text):
    """Answer the page's questions by clicking the button with this text; returns the boxes."""
    asked = []

    def answer(box):
        asked.append(box)
        next(b for b in box.buttons() if b.text() == button_text).click()

    monkeypatch.setattr(ModelPage, "answer_question", staticmethod(answer))
    return asked


def inspected(qtbot, page, folder):
    with qtbot.waitSignal(page.inspector.done, timeout=60000):
        page.choose(str(folder))
    assert page.state.model_info is not None


def test_trusting_the_model_turns_remote_code_on(qtbot, page, remote_code_model, monkeypatch):
    asked = answering(monkeypatch, "Trust and continue")
    inspected(qtbot, page, remote_code_model)
    assert len(asked) == 1
    box = asked[0]
    said = f"{box.text()} {box.informativeText()}"
    for needle in ("frob-model", "own Python code", "frobnicator", str(remote_code_model),
                   "on this computer with your user's rights", "read, change or delete"):
        assert needle in said, needle
    assert sorted(b.text() for b in box.buttons()) == ["Don't trust", "Trust and continue"]
    assert box.defaultButton().text() == "Don't trust"  # Enter alone does not trust
    assert page.state.config.model.trust_remote_code is True
    assert page.problems() == []  # Next is open: the model can be trained
    assert "you chose to trust it" in page.info.text()
    # The next model chosen starts untrusted again: trust was given to this model's code only.
    page.choose(str(remote_code_model.parent / "another"))
    assert page.state.config.model.trust_remote_code is False


def test_refusing_blocks_the_model_with_a_clear_problem(qtbot, page, remote_code_model,
                                                        monkeypatch):
    asked = answering(monkeypatch, "Don't trust")
    inspected(qtbot, page, remote_code_model)
    assert len(asked) == 1
    assert page.state.config.model.trust_remote_code is False
    problems = page.problems()
    assert len(problems) == 1 and not isinstance(problems[0], Pending)
    for needle in ("frob-model cannot be used without running its own code",
                   "Choose another model"):
        assert needle in problems[0]
    assert "cannot be used" in page.info.text()
    # Choosing it again asks again.
    inspected(qtbot, page, remote_code_model)
    assert len(asked) == 2


def test_the_real_dialog_is_modal_and_escape_does_not_trust(qtbot, page, remote_code_model):
    """Without a stand-in answer the question is a real modal box; Escape means no."""
    from PySide6.QtCore import Qt, QTimer

    seen, tries = [], []

    def press_escape():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            tries.append(1)
            if len(tries) < 600:  # the inspection is still running (a minute at most)
                QTimer.singleShot(100, press_escape)
            return
        seen.append(box.objectName())
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    QTimer.singleShot(100, press_escape)
    inspected(qtbot, page, remote_code_model)
    assert seen == ["remoteCodeQuestion"]
    assert page.state.config.model.trust_remote_code is False
    assert page.problems() and not isinstance(page.problems()[0], Pending)


def test_a_model_with_built_in_code_asks_nothing(qtbot, page, tiny_encoder, monkeypatch):
    asked = answering(monkeypatch, "Trust and continue")
    inspected(qtbot, page, tiny_encoder)
    assert asked == [] and page.state.config.model.trust_remote_code is False
    assert page.problems() == []
