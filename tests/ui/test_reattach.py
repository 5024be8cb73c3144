"""Following a run by its folder: a run left training by one window is found by a fresh
window, its charts drawn from the first step and kept live, and Stop from there stops it. The
follower itself: appended lines only, a torn last line, a resume, a process that vanished."""

import os
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from pft_desktop.core import events as ev
from pft_desktop.core.rundir import RunFolder, process_started
from pft_desktop.ui.notify import run_notice
from pft_desktop.ui.run_follower import RunFollower
from test_train_page import prepare
from wizard_helpers import close_window


def steps_recorded(folder: RunFolder) -> int:
    return sum(1 for event in folder.timeline() if event["type"] == ev.STEP)


def test_a_fresh_window_follows_and_stops_a_background_run(qtbot, window, tiny_encoder,
                                                           sentiment_csv):
    from pft_desktop.ui.main_window import MainWindow

    prepare(window, tiny_encoder, sentiment_csv, max_steps=100000, eval_steps=100000)
    first = window.train_page
    qtbot.mouseClick(first.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.loss_chart.point_count("train") >= 2, timeout=90000)
    folder = RunFolder(window.state.run_dir)
    pid = first.session.process.pid

    def keep_training():
        box = QApplication.activeModalWidget()
        assert box.objectName() == "closeWhileTraining"
        next(b for b in box.buttons() if b.text() == "Keep training").click()

    QTimer.singleShot(100, keep_training)
    window.close()  # asks: keep training, stop and save, or cancel
    assert not window.isVisible() and not first.session.is_running()
    second = MainWindow()
    try:
        second.show()
        try:
            assert folder.state() == "running"
            second.show_library()
            library = second.runs_page
            assert library.filter.rowCount() == 1
            assert library.filter.run_at(0).status == "running"
            library.select_paths({str(folder.path)})
            before_open = steps_recorded(folder)  # the run goes on while the page opens
            library.buttons["open"].click()
            page = second.train_page
            assert second.stack.currentWidget() is page
            assert page.session.is_running() and not page.session.launched_here()
            shown = page.loss_chart.point_count("train")
            assert shown >= 2 and shown >= before_open  # from the first step
            qtbot.waitUntil(lambda: page.loss_chart.point_count("train") > shown + 3,
                            timeout=30000)  # and live
            assert page.stop_button.isEnabled() and not page.start_button.isEnabled()
            assert second.problem.text() == "Training is running…"
            qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
            assert page.stop_button.text() == "Stopping…"
            qtbot.waitUntil(lambda: second.state.outcome is not None, timeout=60000)
            assert second.state.outcome["status"] == "stopped"
            assert folder.state() == "stopped" and not folder.is_live()
            assert folder.latest_checkpoint() is not None
            assert page.loss_chart.point_count("train") == steps_recorded(folder)
            assert page.resume_button.isVisible()
        finally:
            close_window(second)
    finally:
        if folder.is_live():
            os.kill(pid, 9)


@pytest.fixture
def follower(qtbot):
    follower = RunFollower(interval_ms=10_000)  # the test ticks it by hand
    heard = {"steps": [], "ended": [], "rewound": 0, "failed": [], "log": []}
    follower.step.connect(lambda e: heard["steps"].append(e["step"]))
    follower.ended.connect(heard["ended"].append)
    follower.failed.connect(heard["failed"].append)
    follower.rewound.connect(lambda: (heard.__setitem__("rewound", heard["rewound"] + 1),
                                      heard["failed"].clear()))
    follower.log_text.connect(heard["log"].append)
    follower.heard = heard
    yield follower
    follower.stop()


def live_folder(tmp_path) -> RunFolder:
    """A run folder whose recorded process is this one (so it counts as training)."""
    folder = RunFolder(tmp_path / "run")
    folder.path.mkdir()
    (folder.path / "config.toml").write_text("")
    folder.set_status("running", pid=os.getpid(), pid_started=process_started(os.getpid()))
    return folder


def append(folder: RunFolder, *events, raw: str = "") -> None:
    with open(folder.events_file, "a", encoding="utf-8") as handle:
        for event in events:
            handle.write(ev.dumps(event) + "\n")
        handle.write(raw)


def step(n: int) -> dict:
    return ev.make_event(ev.STEP, step=n, epoch=n / 10, loss=1 / n, elapsed_s=n)


def test_follower_reads_only_what_was_appended_and_waits_for_a_torn_line(follower, tmp_path):
    folder = live_folder(tmp_path)
    append(folder, ev.make_event(ev.STARTED, total_steps=10), step(1), step(2))
    (folder.log_file).write_text("Loading the model\n 50%|##   | 1/2 [00:01<00:01, 1.0it/s]\n")
    follower.follow(folder.path)
    assert follower.heard["steps"] == [1, 2]
    assert follower.heard["log"] == ["Loading the model"]
    append(folder, step(3), raw='{"type": "step", "step": 4, "epo')  # half written
    follower.poll()
    assert follower.heard["steps"] == [1, 2, 3]
    append(folder, raw='ch": 0.4, "loss": 0.25}\n')
    follower.poll()
    assert follower.heard["steps"] == [1, 2, 3, 4]
    assert follower.is_following() and not follower.heard["ended"]
    append(folder, ev.make_event(ev.FINISHED, status="finished", metrics={"eval_f1": 1.0}))
    folder.set_status("finished")
    follower.poll()
    assert follower.heard["ended"][0]["status"] == "finished"
    assert follower.heard["ended"][0]["metrics"] == {"eval_f1": 1.0}
    assert not follower.is_following()


def test_follower_draws_a_resumed_run_as_one_run(follower, tmp_path):
    folder = live_folder(tmp_path)
    append(folder, ev.make_event(ev.STARTED, total_steps=10), *(step(n) for n in range(1, 7)),
           ev.make_event(ev.ERROR, kind="killed", message="old"),
           ev.make_event(ev.FINISHED, status="failed", metrics={}))
    follower.follow(folder.path)
    assert follower.heard["steps"] == [1, 2, 3, 4, 5, 6]
    assert not follower.heard["ended"]  # the recorded process is alive: not over
    for _ in range(60):  # an ending with the process alive: it is resuming, wait for it
        follower.poll()
    assert not follower.heard["ended"] and follower.is_following()
    append(folder, ev.make_event(ev.STARTED, total_steps=10, resumed_from_step=4), step(5))
    follower.poll()
    assert follower.heard["rewound"] == 1
    assert follower.heard["steps"][6:] == [1, 2, 3, 4, 5]  # drawn again, 5 and 6 redone once
    assert follower.heard["failed"] == []  # since then: the earlier error is not this run's


def test_follower_ends_a_run_whose_process_vanished_as_interrupted(follower, tmp_path):
    folder = live_folder(tmp_path)
    append(folder, ev.make_event(ev.STARTED, total_steps=10), step(1))
    follower.follow(folder.path)
    assert follower.is_following()
    folder.set_status("running", pid=2**22 + 12345, pid_started=1.0)  # no such process
    for _ in range(5):  # liveness is checked once a second (every fifth tick)
        follower.poll()
    outcome = follower.heard["ended"][0]
    assert outcome["status"] == "interrupted"
    assert "ended without finishing" in outcome["error"]["message"]


def test_kill_of_a_found_run_needs_a_confirmation(window, tmp_path, monkeypatch):
    folder = live_folder(tmp_path)  # "trained" by this test process: must survive
    append(folder, ev.make_event(ev.STARTED, total_steps=10), step(1))
    page = window.train_page
    page.follow(folder.path)
    assert page.session.is_running() and not page.session.launched_here()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: (
        asked.append(args[2]), QMessageBox.StandardButton.Cancel)[1])
    page.kill()
    assert asked and "started outside this window" in asked[0]
    assert page.session.is_running()
    page.session.detach()


def test_notification_decision():
    finished = {"status": "finished", "metrics": {"eval_accuracy": 0.931}}
    assert run_notice(finished, "demo", window_active=True) is None  # seen in the window
    title, text = run_notice(finished, "demo", window_active=False)
    assert title == "Training finished" and "demo" in text and "93.1%" in text
    failed = {"status": "failed", "error": {"message": "Training ran out of memory."}}
    assert run_notice(failed, "big", False) == ("Training failed",
                                                "big: Training ran out of memory.")
    assert run_notice({"status": "diverged", "error": {"fix": "Lower the learning rate."}},
                      "hot", False)[0] == "Training diverged"
    assert run_notice({"status": "interrupted"}, "x", False)[0] == \
        "Training ended unexpectedly"
    assert run_notice({"status": "stopped"}, "x", False) is None  # the person asked for it


def test_window_notifies_when_a_followed_run_ends_out_of_sight(window, monkeypatch):
    monkeypatch.setattr(window, "isActiveWindow", lambda: False)
    window.train_page.session.run_dir = window.state.run_dir = None
    window._run_ended({"status": "finished", "metrics": {"eval_perplexity": 12.5}})
    assert window.notifier.shown[-1][0] == "Training finished"
    assert "perplexity 12.50" in window.notifier.shown[-1][1]
    monkeypatch.setattr(window, "isActiveWindow", lambda: True)
    window._run_ended({"status": "failed", "metrics": {}})
    assert len(window.notifier.shown) == 1


def test_follower_is_quick_for_a_long_run(follower, tmp_path):
    folder = live_folder(tmp_path)
    append(folder, ev.make_event(ev.STARTED, total_steps=20000),
           *(step(n) for n in range(1, 20001)))
    started = time.perf_counter()
    follower.follow(folder.path)
    first = time.perf_counter() - started
    assert len(follower.heard["steps"]) == 20000
    append(folder, step(20001))
    started = time.perf_counter()
    follower.poll()
    tick = time.perf_counter() - started
    assert follower.heard["steps"][-1] == 20001
    print(f"first read of 20,000 steps {first * 1000:.0f} ms, a later tick {tick * 1000:.1f} ms")
    assert tick < 0.05


STEPS = 150


def test_resume_from_the_library_continues_the_same_charts(qtbot, window, tiny_encoder,
                                                           sentiment_csv):
    """Stopped mid-run, resumed from the Runs page: the run goes on from its checkpoint and
    its charts show every step once (none missing, none repeated)."""
    # Long enough that Stop lands before the end: a warm runner trains the tiny model in
    # milliseconds a step, and 40 steps could finish before the stop request was read.
    prepare(window, tiny_encoder, sentiment_csv, max_steps=STEPS, eval_steps=100000)
    page = window.train_page
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.loss_chart.point_count("train") >= 3, timeout=90000)
    page.stop()
    qtbot.waitUntil(lambda: window.state.outcome is not None, timeout=60000)
    folder = RunFolder(window.state.run_dir)
    stopped_at = page.loss_chart.point_count("train")
    assert window.state.outcome["status"] == "stopped" and stopped_at < STEPS
    window.show_library()
    library = window.runs_page
    library.select_paths({str(folder.path)})
    assert library.buttons["resume"].isEnabled()
    library.buttons["resume"].click()
    assert window.stack.currentWidget() is page and page.session.is_running()
    qtbot.waitUntil(lambda: window.state.outcome is not None, timeout=300000)
    assert window.state.outcome["status"] == "finished", window.state.outcome
    steps = list(page.loss_chart.raw.x)
    assert steps == list(range(1, STEPS + 1))
    assert folder.state() == "finished"


def test_closing_with_stop_and_save_stops_the_run(qtbot, window, tiny_encoder, sentiment_csv):
    prepare(window, tiny_encoder, sentiment_csv, max_steps=100000, eval_steps=100000)
    page = window.train_page
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.loss_chart.point_count("train") >= 2, timeout=90000)
    folder, process = RunFolder(window.state.run_dir), page.session.process
    try:
        def stop_and_save():
            box = QApplication.activeModalWidget()
            next(b for b in box.buttons() if b.text() == "Stop and save").click()

        QTimer.singleShot(100, stop_and_save)
        window.close()
        assert process.poll() is not None  # it ended before the window went
        assert folder.state() == "stopped" and folder.latest_checkpoint() is not None
    finally:
        if process.poll() is None:
            process.kill()
