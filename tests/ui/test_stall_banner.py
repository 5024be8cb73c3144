"""A live run that stops making progress (a hung data loader, a deadlocked device): the Train
page says "No progress for N minutes" with the end of the run's log instead of a bar that just
waits, and the state clears when steps come again."""

import json
import time

import pytest

from pft_desktop.core import events as ev
from pft_desktop.ui import run_follower
from pft_desktop.ui.pages.train_page import TrainPage
from pft_desktop.ui.state import AppState
from run_folders import make_run


class Clock:
    """The follower's clock, moved forward by hand (a stall takes minutes)."""

    def __init__(self):
        self.ahead = 0.0

    def time(self) -> float:
        return time.time() + self.ahead


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(run_follower, "time", clock)
    return clock


@pytest.fixture
def page(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PFT_DESKTOP_RUNS_DIR", str(tmp_path / "runs"))
    train_page = TrainPage(AppState())
    qtbot.addWidget(train_page)
    train_page.show()
    yield train_page
    train_page.session.detach()
    train_page.shutdown()


def follow(page, folder):
    """Follow a run found training (its process: this test process), checking often."""
    page.follow(folder.path)
    assert page.session.is_running()
    page.session.follower._stall_timer.setInterval(50)


def test_a_run_without_steps_shows_no_progress_with_its_log_and_clears(qtbot, page, clock,
                                                                       tmp_path):
    folder = make_run(tmp_path / "runs", "stuck", "running", steps=20)
    folder.log_file.write_text("Training tiny-bert on CPU\nworker 3 waiting for a batch\n"
                               " 45%|####      | 9/20 [00:02<00:02, 4.1it/s]\n")
    follow(page, folder)
    qtbot.wait(300)
    assert page.stall_panel.isHidden()  # steps a moment ago: fine

    clock.ahead = 10 * 60 + 5  # ten minutes later, still no step
    qtbot.waitUntil(lambda: page.stall_panel.isVisible(), timeout=5000)
    text = page.stall_text.text()
    assert "No progress for 10 minutes" in text and "since step 20" in text
    assert "Stop" in text
    log = page.stall_log.toPlainText()
    assert "worker 3 waiting for a batch" in log and "it/s]" not in log
    assert page.session.is_running()  # still followed: Stop and Kill work as before

    with open(folder.events_file, "a", encoding="utf-8") as events:  # steps come again
        events.write(json.dumps(ev.make_event(ev.STEP, step=21, epoch=1.05, loss=0.1,
                                              max_steps=40) | {"time": clock.time()}) + "\n")
    qtbot.waitUntil(lambda: page.stall_panel.isHidden(), timeout=5000)
    qtbot.wait(300)  # later checks keep it hidden
    assert page.stall_panel.isHidden() and page.last_step["step"] == 21


def test_no_banner_before_the_first_step_or_for_a_run_that_ended(qtbot, page, clock,
                                                                 tmp_path):
    loading = make_run(tmp_path / "runs", "loading", "running", steps=0)
    follow(page, loading)
    clock.ahead = 3600  # an hour loading the model: slow, but not judged stalled
    qtbot.wait(400)
    assert page.stall_panel.isHidden()
    page.session.detach()

    over = make_run(tmp_path / "runs", "over", "interrupted", steps=20)
    page.follow(over.path)  # its process is gone: it ends at once, nothing is waited for
    qtbot.wait(300)
    assert not page.session.is_running() and page.stall_panel.isHidden()
