"""The Train page against the real runner: stop saves and offers resume; a failing runner
shows a readable message with the log one click away; a run's charts replay from disk."""

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from helpers import classification_config
from pft_desktop.core.rundir import RunFolder


def prepare(window, tiny_encoder, data, **training):
    window.state.config = classification_config(tiny_encoder, data, **training)
    window.state.report = {"report": {"train_rows": 120}}
    window.stack.setCurrentWidget(window.train_page)
    window.train_page.enter()


def test_stop_saves_a_checkpoint_and_offers_resume(qtbot, window, tiny_encoder,
                                                   sentiment_csv):
    prepare(window, tiny_encoder, sentiment_csv, max_steps=100000, eval_steps=100000)
    page = window.train_page
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.loss_chart.point_count("train") >= 2, timeout=90000)
    assert not window.back.isEnabled()  # no wandering off mid-run
    # Routine status is not an error: the note beside Next is muted, not red.
    assert window.problem.text() == "Training is running…"
    assert window.problem.property("pending") is True
    assert str(window.state.run_dir) in page.folder_link.text()  # where the run lives
    qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
    assert page.stop_button.text() == "Stopping…"
    qtbot.waitUntil(lambda: window.state.outcome is not None, timeout=60000)
    assert window.state.outcome["status"] == "stopped"
    folder = RunFolder(window.state.run_dir)
    assert folder.latest_checkpoint() is not None
    assert (folder.model_dir / "model.safetensors").is_file()
    assert page.resume_button.isVisible()
    assert not page.problems()  # a stopped run can go on to results
    # Resume is the primary action; starting over is there but not the blue button.
    assert page.resume_button.objectName() == "primary"
    assert page.start_button.objectName() != "primary"
    assert page.start_button.text() == "Start over"
    assert page.progress_text.text().startswith("Stopped at step")
    assert "ETA" not in page.progress_text.text()


def test_runner_failure_is_readable(qtbot, window, tiny_encoder, sentiment_csv, tmp_path):
    prepare(window, tiny_encoder, sentiment_csv, max_steps=5)
    window.state.config.data.train_file = str(tmp_path / "moved-away.csv")
    page = window.train_page
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state.outcome is not None, timeout=60000)
    assert window.state.outcome["status"] == "failed"
    assert page.error_panel.isVisible()
    assert "moved-away.csv" in page.error_text.text() and "does not exist" in \
        page.error_text.text()
    assert "Traceback" not in page.error_text.text()
    page.show_full_log()
    assert "train.log" in page.log_dialog.findChild(QPlainTextEdit).toPlainText()
    assert page.problems() == ["The run failed; fix the problem above and train again."]
    assert window.problem.property("pending") is False  # a real problem shows as an error


def test_finished_run_charts_redraw_from_events_alone(qtbot, window, tmp_path):
    run = tmp_path / "old-run"
    run.mkdir()
    (run / "config.toml").write_text("[task]\nkind = \"classification\"\n")
    (run / "status.json").write_text(json.dumps({"status": "finished"}))
    lines = [{"type": "started", "total_steps": 50, "device": {"name": "CPU"}}]
    lines += [{"type": "step", "step": s, "epoch": s / 50, "loss": 1 / s, "learning_rate": 1e-3,
               "grad_norm": 0.5, "tokens_per_second": 100.0, "memory_bytes": 2**30,
               "elapsed_s": s, "eta_s": 50 - s} for s in range(1, 51)]
    lines += [{"type": "eval", "step": s, "epoch": s / 50, "eval_loss": 2 / s}
              for s in (25, 50)]
    (run / "events.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n{\"type\"")
    window.results_page.open_run(str(run))
    page = window.train_page
    assert page.loss_chart.point_count("train") == 50
    assert page.loss_chart.point_count("eval") == 2
    assert page.mem_chart.point_count("mem") == 50
    assert window.stack.currentWidget() is window.results_page


def test_keep_training_when_the_window_lets_go(qtbot, window, tiny_encoder, sentiment_csv):
    import os
    import signal
    import time

    prepare(window, tiny_encoder, sentiment_csv, max_steps=100000, eval_steps=100000)
    page = window.train_page
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.loss_chart.point_count("train") >= 2, timeout=90000)
    process = page.session.process
    try:
        page.session.detach()
        assert not page.session.is_running()
        folder = RunFolder(window.state.run_dir)
        assert folder.is_live()
        size = folder.events_file.stat().st_size
        time.sleep(2)
        assert folder.events_file.stat().st_size > size  # still training, still recording

        # Let go, the run is still this window's run: healthy, not failed; nothing to start.
        window.update_navigation()
        assert window.problem.property("pending") is True
        assert "still training in the background" in window.problem.text()
        assert not page.start_button.isEnabled()

        # Reopened from its folder while it trains: followed live on the Train page, charts from
        # its first step; nothing to start or export.
        # (Counted before reopening: the run keeps recording, and the file only grows.)
        recorded = sum(1 for line in folder.events_file.open() if '"type": "step"' in line)
        window.results_page.open_run(str(folder.path))
        assert window.stack.currentWidget() is page
        assert page.session.is_running() and not page.session.launched_here()
        assert page.loss_chart.point_count("train") >= recorded - 1
        assert window.problem.property("pending") is True
        assert window.problem.text() == "Training is running…"
        assert not page.start_button.isEnabled() and page.stop_button.isEnabled()
        assert "120 training rows" in page.summary.text()  # from the run's own data report
        results = window.results_page
        results.enter()
        assert not results.export_merged.isEnabled() and not results.export_adapter.isEnabled()
        assert "still training" in results.headline.text()
        os.kill(process.pid, signal.SIGTERM)  # the runner's graceful stop
        qtbot.waitUntil(lambda: window.state.outcome is not None, timeout=60000)
        assert window.state.outcome["status"] == "stopped"
        assert folder.status()["status"] == "stopped"
        assert not folder.is_live()
    finally:
        if process.poll() is None:  # a failed assertion must not leave it training
            process.kill()


def test_starting_beside_a_live_run_asks_first(qtbot, window, tiny_encoder, sentiment_csv,
                                               tmp_path):
    """Two trainings on the same cores slow each other about tenfold: say so before starting."""
    import os

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from pft_desktop.core.runstore import runs_root

    busy = runs_root() / "busy-run"
    busy.mkdir(parents=True)
    (busy / "config.toml").write_text("")
    (busy / "status.json").write_text(json.dumps({"status": "running", "pid": os.getpid()}))
    prepare(window, tiny_encoder, sentiment_csv, max_steps=5)
    page = window.train_page
    seen = []

    def answer_cancel():
        box = QApplication.activeModalWidget()
        seen.append(box.text() if isinstance(box, QMessageBox) else None)
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(200, answer_cancel)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert seen and "busy-run is still training" in seen[0]
    assert not page.session.is_running() and window.state.run_dir is None


def test_the_status_names_bf16_products_when_the_run_used_them(window):
    page = window.train_page
    started = {"type": "started", "total_steps": 10, "device": {"name": "CPU"},
               "precision": "fp32", "trainable_parameters": 10, "total_parameters": 20}
    page.session.started.emit({**started, "cpu_speedups": ["quick_dropout"]})
    assert page.status_text.text().startswith("Training on CPU (fp32):")
    page.session.started.emit({**started, "cpu_speedups": ["quick_dropout", "bf16_matmul"]})
    assert page.status_text.text().startswith(
        "Training on CPU (fp32 with bf16 matrix products):")
