"""Click through the whole wizard with a tiny model: real checks, a real training run in the
child process, live chart points, results, try-it, and an export that transformers loads."""

from PySide6.QtCore import Qt

from helpers import sentiment_rows, write_csv
from wizard_helpers import choose_model_and_data, wait_for_model


def click_next(qtbot, win):
    assert win.next.isEnabled(), win.problem.text()
    qtbot.mouseClick(win.next, Qt.MouseButton.LeftButton)


def test_whole_wizard_trains_and_exports(qtbot, window, tiny_encoder, tmp_path):
    win = window
    assert not win.next.isEnabled() and "Choose a model" in win.problem.text()
    data = write_csv(tmp_path / "reviews.csv", ["review", "sentiment"], sentiment_rows(120))
    choose_model_and_data(qtbot, win, tiny_encoder, data, method="full")
    assert not win.task_page.task_buttons["causal-lm"].isEnabled()  # an encoder
    assert win.state.config.data.text_column == "review"
    assert win.state.config.data.label_column == "sentiment"
    report = win.state.report["report"]
    assert report["label_counts"] == {"negative": 54, "positive": 54}
    assert win.data_page.report_list.count() >= 2
    assert win.data_page.preview_model.rowCount() == 120

    click_next(qtbot, win)
    page = win.hyper_page
    assert page.basic.editors["learning_rate"].toolTip().startswith("Step size")
    assert not page.lora_box.isVisible()
    page.basic.editors["max_steps"].setValue(24)
    page.basic.editors["eval_steps"].setValue(8)
    page.basic.editors["learning_rate"].setValue(0.003)
    assert "Estimated training memory" in page.estimate.text()
    click_next(qtbot, win)

    train = win.train_page
    assert train.problems() == ["Start training to continue."]
    qtbot.mouseClick(train.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: train.loss_chart.point_count("train") >= 3, timeout=90000)
    assert train.is_training() or train.state.outcome is not None
    qtbot.waitUntil(lambda: win.state.outcome is not None, timeout=120000)
    assert win.state.outcome["status"] == "finished", win.state.outcome
    assert train.loss_chart.point_count("train") == 24
    assert train.loss_chart.point_count("eval") == 3
    assert train.lr_chart.point_count("lr") == 24
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.results_page, timeout=5000)

    results = win.results_page
    assert "Accuracy" in results.headline.text()
    assert results.matrix.rowCount() == 2
    assert not results.export_adapter.isEnabled()  # full fine-tuning has no adapter
    wait_for_model(qtbot, results)
    results.try_text.setText("a great and lovely film")
    results.predict()
    qtbot.waitUntil(lambda: "%" in results.try_result.text(), timeout=30000)
    assert "positive" in results.try_result.text() or "negative" in results.try_result.text()

    target = tmp_path / "exported"
    results.export("merged", str(target))
    qtbot.waitUntil(lambda: not results.exporter.is_running(), timeout=60000)
    assert results.open_folder.isEnabled(), results.export_note.text()
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(target)
    assert model.config.id2label == {0: "negative", 1: "positive"}


def test_saved_config_runs_from_the_command_line(qtbot, window, tiny_encoder, tmp_path):
    from pft_desktop.cli import main

    data = write_csv(tmp_path / "reviews.csv", ["review", "sentiment"], sentiment_rows(60))
    choose_model_and_data(qtbot, window, tiny_encoder, data)
    window.state.config.training.max_steps = 3
    window.state.config.method.kind = "full"
    saved = window.state.config.save(tmp_path / "from-app.toml")
    assert main(["train", "--config", str(saved), "--output", str(tmp_path / "run")]) == 0
    assert (tmp_path / "run" / "model" / "model.safetensors").is_file()


def test_hub_download_offline_is_explained(qtbot, window, monkeypatch):
    # The hub cannot be reached (offline mode itself is answered before any download starts:
    # tests/ui/test_settings_dialog.py).
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    page = window.model_page
    page.tabs.setCurrentIndex(2)
    page.hub_id.setText("pft-desktop-tests/not-a-model")
    qtbot.mouseClick(page.download_button, Qt.MouseButton.LeftButton)
    assert page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: page.download_button.isEnabled(), timeout=60000)
    assert "cannot be reached" in page.download_note.text()
    assert "model folder on this computer" in page.download_note.text()


def test_the_model_card_shows_every_fact_above_the_estimate(qtbot, window, tiny_encoder):
    page = window.model_page
    page.folder.choose(str(tiny_encoder))
    qtbot.waitUntil(lambda: window.next.isEnabled(), timeout=60000)
    facts = page.facts_text()
    for name in ("Type: bert", "Parameters:", "Size on disk:", "Layers × hidden: 2 × 32",
                 "Can be trained for:", f"Folder: {tiny_encoder}"):
        assert name in facts
    qtbot.waitUntil(lambda: page.facts.height() >= page.facts_grid.rowCount() * 12)
    # Laid out one under the other: the estimate starts below the last fact.
    last = page.facts_grid.itemAtPosition(page.facts_grid.rowCount() - 1, 1).widget()
    bottom = last.mapTo(page, last.rect().bottomLeft()).y()
    assert page.estimate.mapTo(page, page.estimate.rect().topLeft()).y() >= bottom
    assert page.estimate.text().startswith("Estimated training memory")
