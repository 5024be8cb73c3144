"""The window's warm runner: Start hands the run to a process that imported its libraries
ahead, the run shows, stops and resumes as a cold one does, a fresh warm runner replaces the
used one, a run it does not fit starts cold, and none outlives the window or the app."""

import os
import subprocess
import sys
import textwrap
import time

import psutil
import pytest
from PySide6.QtCore import Qt

from pft_desktop.core.rundir import RunFolder
from test_train_page import prepare

READY_MS = 180_000  # importing torch, transformers and peft on 2 busy cores


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def ready_warm_runner(qtbot, session, other_than: int | None = None):
    session.keep_warm(0)
    qtbot.waitUntil(lambda: session.warm is not None and session.warm.pid != other_than,
                    timeout=30_000)
    assert session.warm.wait_ready(READY_MS / 1000)
    return session.warm


def press_and_stop(qtbot, window, warm) -> dict:
    """Start (or Resume) on the Train page, check the run went to ``warm``, stop it after two
    steps, and return the outcome."""
    page = window.train_page
    window.state.outcome = None
    button = page.resume_button if page.resume_button.isVisible() else page.start_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert page.session.process.pid == warm.pid  # handed over: no new process
    assert page.session.warm is None  # no second warm runner while it trains
    shown = page.loss_chart.point_count("train")
    qtbot.waitUntil(lambda: page.loss_chart.point_count("train") >= shown + 2, timeout=90_000)
    qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state.outcome is not None, timeout=60_000)
    return window.state.outcome


@pytest.mark.slow
def test_start_stop_and_resume_through_warm_runners(qtbot, window, tiny_encoder,
                                                    sentiment_csv):
    prepare(window, tiny_encoder, sentiment_csv, max_steps=100000, eval_steps=100000)
    session = window.train_page.session
    first = ready_warm_runner(qtbot, session)
    assert first.ready_report["cuda_initialized"] is False
    outcome = press_and_stop(qtbot, window, first)
    assert outcome["status"] == "stopped"
    folder = RunFolder(window.state.run_dir)
    assert folder.status()["pid"] == first.pid and folder.latest_checkpoint() is not None
    assert window.train_page.resume_button.isVisible()

    second = ready_warm_runner(qtbot, session, other_than=first.pid)  # replaced after the run
    assert gone(first.pid)  # one run per process
    outcome = press_and_stop(qtbot, window, second)  # Resume, in the new warm runner
    assert outcome["status"] == "stopped"
    started = [e for e in folder.timeline() if e["type"] == "started"]
    assert len(started) == 2 and started[1]["resumed_from"]


def test_a_run_that_does_not_fit_starts_cold_and_a_warm_one_follows(
        qtbot, window, tiny_encoder, sentiment_csv):
    prepare(window, tiny_encoder, sentiment_csv, max_steps=3)
    window.state.config.resources.devices = "cpu"  # the warm runner sees every device
    session = window.train_page.session
    session.keep_warm(0)
    qtbot.waitUntil(lambda: session.warm is not None, timeout=30_000)
    warm = session.warm
    qtbot.mouseClick(window.train_page.start_button, Qt.MouseButton.LeftButton)
    assert session.process.pid != warm.pid
    assert gone(warm.pid)  # ended: it could not serve this run
    qtbot.waitUntil(lambda: window.state.outcome is not None, timeout=120_000)
    assert window.state.outcome["status"] == "finished"
    qtbot.waitUntil(lambda: session.warm is not None, timeout=30_000)  # ready for the next
    assert session.warm.is_alive()


def test_closing_the_window_ends_the_warm_runner(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PFT_DESKTOP_RUNS_DIR", str(tmp_path / "runs"))
    from pft_desktop.ui.app import create_app
    from pft_desktop.ui.main_window import MainWindow

    create_app()
    window = MainWindow()
    window.show()
    session = window.train_page.session
    session.keep_warm(0)
    qtbot.waitUntil(lambda: session.warm is not None, timeout=30_000)
    pid = session.warm.pid
    assert not gone(pid)
    window.close()  # the real close: nothing trains, so no question
    window.deleteLater()
    assert gone(pid) and session.warm is None
    qtbot.wait(200)
    assert session.warm is None  # and no new one comes


def test_quitting_the_app_ends_the_warm_runner(tmp_path):
    """An app that quits without closing its window still takes its warm runner along: at
    exit, not seconds later when the runner, done importing, would see its stdin close."""
    script = textwrap.dedent("""
        import sys
        from PySide6.QtWidgets import QApplication
        from pft_desktop.ui.trainer_thread import TrainingSession
        app = QApplication([])
        session = TrainingSession()
        session.keep_warm(0)
        while session.warm is None:
            app.processEvents()
        print([m for m in ("torch", "transformers", "peft") if m in sys.modules])
        print(session.warm.pid, flush=True)
        sys.exit(0)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=240, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    imported, pid = out.stdout.strip().splitlines()[-2:]
    assert imported == "[]"  # the libraries live in the warm runner, not in the app
    pid = int(pid)
    deadline = time.monotonic() + 3  # far less than its imports take
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(pid)


def test_the_switch_turns_it_off(qtbot, window, monkeypatch):
    monkeypatch.setenv("PFT_DESKTOP_WARM_RUNNER", "0")
    session = window.train_page.session
    session.keep_warm(0)
    qtbot.wait(300)
    assert session.warm is None


@pytest.mark.slow
def test_a_warm_started_run_left_training_is_followed_and_stopped_from_a_new_window(
        qtbot, window, tiny_encoder, sentiment_csv):
    """Closing the window with "Keep training" lets the run go on in its warm-started process
    (closing ends only a warm runner still waiting); a new window follows it and stops it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from pft_desktop.ui.main_window import MainWindow
    from wizard_helpers import close_window

    prepare(window, tiny_encoder, sentiment_csv, max_steps=100000, eval_steps=100000)
    first = window.train_page
    warm = ready_warm_runner(qtbot, first.session)
    qtbot.mouseClick(first.start_button, Qt.MouseButton.LeftButton)
    assert first.session.process.pid == warm.pid
    qtbot.waitUntil(lambda: first.loss_chart.point_count("train") >= 2, timeout=90_000)
    folder = RunFolder(window.state.run_dir)

    def keep_training():
        box = QApplication.activeModalWidget()
        next(b for b in box.buttons() if b.text() == "Keep training").click()

    QTimer.singleShot(100, keep_training)
    window.close()
    try:
        assert not gone(warm.pid) and folder.state() == "running"
        second = MainWindow()
        try:
            second.show()
            page = second.train_page
            page.follow(folder.path)
            assert page.session.is_running() and not page.session.launched_here()
            shown = page.loss_chart.point_count("train")
            qtbot.waitUntil(lambda: page.loss_chart.point_count("train") > shown, timeout=60_000)
            qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: second.state.outcome is not None, timeout=60_000)
            assert second.state.outcome["status"] == "stopped"
            assert folder.state() == "stopped" and folder.latest_checkpoint() is not None
        finally:
            close_window(second)
    finally:
        if not gone(warm.pid):
            os.kill(warm.pid, 9)
