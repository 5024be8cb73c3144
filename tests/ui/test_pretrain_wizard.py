"""Pretraining in the app: a new encoder from scratch on unlabeled text, trained for real in
the child process, tried with fill-mask, then offered as the base for fine-tuning."""

from PySide6.QtCore import Qt

from helpers import sentiment_rows, write_csv
from wizard_helpers import wait_for_model


def test_pretrain_from_scratch_then_fine_tune(qtbot, window, tmp_path):
    win = window
    corpus = write_csv(tmp_path / "corpus.csv", ["text"], [(t,) for t, _ in sentiment_rows(300)])
    qtbot.mouseClick(win.model_page.scratch_button, Qt.MouseButton.LeftButton)
    assert win.next.isEnabled()
    qtbot.mouseClick(win.next, Qt.MouseButton.LeftButton)
    assert win.task_page.task_buttons["pretrain-encoder"].isChecked()
    assert not win.task_page.method_buttons["lora"].isEnabled()  # nothing to adapt
    qtbot.mouseClick(win.next, Qt.MouseButton.LeftButton)
    assert win.data_page.folder_button.text() == "Folder of .txt…"
    win.data_page.file.choose(str(corpus))
    qtbot.waitUntil(lambda: not win.data_page.problems(), timeout=90000)
    report = win.state.report["report"]
    assert report["packed"]["train_blocks"] > 0
    assert any("blocks of" in win.data_page.report_list.item(i).text()
               for i in range(win.data_page.report_list.count()))

    qtbot.mouseClick(win.next, Qt.MouseButton.LeftButton)
    page = win.hyper_page
    assert page.pretrain_box.isVisible()
    assert page.length.labels["max_length"].text() == "Block size"
    page.pretrain.editors["size"].setCurrentText("tiny")
    assert "A tiny encoder: 2 layers × 128 wide" in page.pretrain_note.text()
    assert "One epoch is" in page.pretrain_note.text(), (page.pretrain_note.text(), win.state.report)
    page.length.editors["max_length"].setValue(32)
    page.basic.editors["max_steps"].setValue(12)
    page.basic.editors["batch_size"].setValue(8)
    qtbot.mouseClick(win.next, Qt.MouseButton.LeftButton)

    train = win.train_page
    qtbot.mouseClick(train.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.state.outcome is not None, timeout=120000)
    assert win.state.outcome["status"] == "finished", win.state.outcome
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.results_page, timeout=5000)
    results = win.results_page
    assert "perplexity" in results.headline.text()
    assert results.finetune_button.isVisible()
    wait_for_model(qtbot, results)
    results.try_text.setText("the film was [MASK] .")
    results.predict()
    qtbot.waitUntil(lambda: "Guesses" in results.try_result.text(), timeout=30000)

    qtbot.mouseClick(results.finetune_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.model_page
    qtbot.waitUntil(lambda: win.next.isEnabled(), timeout=60000)
    assert win.state.config.model.name_or_path.endswith("model")
    assert "classification" in win.state.model_info["tasks"]
    assert win.state.config.task.kind == "classification"
