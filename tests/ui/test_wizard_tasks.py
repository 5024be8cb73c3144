"""Every task through the real wizard: choose the model, the task, the data (its columns
guessed on the Data page), a short real run in the child process, then the Results page's
headline and try box. One test per task, on tiny models built from a config."""

import json

import pytest
from PySide6.QtCore import Qt

from helpers import NEGATIVE, POSITIVE, sentiment_rows, write_csv
from task_models import build_tiny_t5, build_tiny_vit, image_folder, summary_rows
from wizard_helpers import choose_model_and_data, wait_for_model


def _sentiment_word(text: str) -> str:
    return next(word for word in text.split() if word in POSITIVE + NEGATIVE)


def pairs(tmp_path):
    import random

    rows = sentiment_rows(80)
    others = random.Random(0).sample(rows, len(rows))
    data = [(a, b, "same" if la == lb else "different")
            for (a, la), (b, lb) in zip(rows, others)]
    return write_csv(tmp_path / "pairs.csv", ["sentence1", "sentence2", "label"], data), \
        {"text": "a great film", "pair": "a lovely film"}


def regression(tmp_path):
    data = [(text, f"{4.5 if label == 'positive' else 1.5:.1f}")
            for text, label in sentiment_rows(80)]
    return write_csv(tmp_path / "scores.csv", ["review", "score"], data), \
        {"text": "a great film"}


def multi_label(tmp_path):
    data = [(text, label + (";long" if len(text) > 40 else ""))
            for text, label in sentiment_rows(80)]
    return write_csv(tmp_path / "tags.csv", ["text", "labels"], data), {"text": "a great film"}


def entities(tmp_path):
    """CoNLL: one token and its tag per line; sentiment words are entities of type SENT."""
    lines = []
    for text, _ in sentiment_rows(60):
        for token in text.split():
            lines.append(f"{token}\t{'B-SENT' if token in POSITIVE + NEGATIVE else 'O'}")
        lines.append("")
    path = tmp_path / "train.conll"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, {"text": "the film was great"}


def questions(tmp_path):
    data = [(f"which word says how it was? ({i})", text, _sentiment_word(text))
            for i, (text, _) in enumerate(sentiment_rows(60))]
    return write_csv(tmp_path / "qa.csv", ["question", "context", "answer"], data), \
        {"question": "which word says how it was?", "context": "the film was great and long"}


def summaries(tmp_path):
    return write_csv(tmp_path / "summaries.csv", ["source", "target"], summary_rows(60)), \
        {"text": "a great and lovely film"}


def images(tmp_path):
    folder = image_folder(tmp_path / "images", per_class=10)
    return folder, {"image": str(next((folder / "red").iterdir()))}


TASKS = {"pair-classification": pairs, "regression": regression, "multi-label": multi_label,
         "token-classification": entities, "question-answering": questions,
         "seq2seq": summaries, "image-classification": images}


# Two run in the default suite (the most different data paths: a CoNLL file read without
# columns, a folder of images); the rest with the slow tests (bash packaging/dev.sh test -m slow).
FAST = ("token-classification", "image-classification")


@pytest.mark.parametrize("task", [task if task in FAST else
                                  pytest.param(task, marks=pytest.mark.slow)
                                  for task in TASKS])
def test_each_task_maps_trains_and_answers_in_the_wizard(qtbot, window, tiny_encoder, tmp_path,
                                                         task):
    from pft_desktop.core.tasks import get_task

    model = build_tiny_t5(tmp_path / "t5") if task == "seq2seq" else \
        build_tiny_vit(tmp_path / "vit") if task == "image-classification" else tiny_encoder
    data, inputs = TASKS[task](tmp_path)
    win = window
    choose_model_and_data(qtbot, win, model, data, task=task, method="full")
    spec = get_task(task)
    report = win.state.report["report"]
    assert report["train_rows"] > 0, report
    for role in spec.roles:  # the page shows this task's columns, guessed where required
        assert role.field in win.data_page.combos
    assert not win.data_page.problems()

    qtbot.mouseClick(win.next, Qt.MouseButton.LeftButton)
    hyper = win.hyper_page
    hyper.basic.editors["max_steps"].setValue(4)
    hyper.basic.editors["batch_size"].setValue(8)
    qtbot.mouseClick(win.next, Qt.MouseButton.LeftButton)
    train = win.train_page
    qtbot.mouseClick(train.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.state.outcome is not None, timeout=240000)
    assert win.state.outcome["status"] == "finished", win.state.outcome
    assert train.loss_chart.point_count("train") == 4

    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.results_page, timeout=5000)
    results = win.results_page
    assert spec.headline(json.loads((win.state.run_dir / "metrics.json").read_text()))[:12] \
        in results.headline.text()
    wait_for_model(qtbot, results)
    first = spec.inputs({})[0].key
    results.try_text.setText(inputs[first])
    for key, value in inputs.items():
        if key != first:
            results.try_inputs[key].setPlainText(value) if hasattr(
                results.try_inputs[key], "setPlainText") else results.try_inputs[key].setText(value)
    results.predict()
    qtbot.waitUntil(lambda: results.try_result.text() not in ("Thinking…", "") and
                    not results.try_result.text().startswith(("Ready", "Loading")),
                    timeout=60000)
    assert "color:#b91c1c" not in results.try_result.text(), results.try_result.text()
