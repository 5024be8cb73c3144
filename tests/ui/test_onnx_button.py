"""The Results page's "Export ONNX…" button: shown for the encoder tasks only, and, for a real
tiny LoRA classification run, writing model.onnx and model_int8.onnx through the export
command in a child process."""

import importlib.util

import pytest

from helpers import classification_config, sentiment_rows, write_csv
from run_folders import make_run


@pytest.mark.parametrize("task, shown", [("classification", True), ("regression", True),
                                         ("question-answering", True), ("causal-lm", False),
                                         ("seq2seq", False)])
def test_the_onnx_button_is_shown_for_encoder_tasks_only(window, tmp_path, task, shown):
    run = make_run(tmp_path / "elsewhere", f"a-{task}-run", "finished", task=task)
    page = window.results_page
    page.open_run(str(run.path))
    assert page.export_onnx.isVisible() is shown and page.onnx_int8.isVisible() is shown


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None,
                    reason="the [onnx] extra is not installed")
def test_the_onnx_button_exports_a_classification_run(qtbot, window, tmp_path, tiny_encoder):
    from pft_desktop.core.recipe import run_training

    data = write_csv(tmp_path / "d.csv", ["review", "sentiment"], sentiment_rows(60))
    config = classification_config(tiny_encoder, data, max_steps=4, learning_rate=5e-3)
    config.method.kind = "lora"
    assert run_training(config, tmp_path / "run").status == "finished"
    page = window.results_page
    page.open_run(str(tmp_path / "run"))
    assert page.export_onnx.isVisible() and page.export_onnx.isEnabled()
    assert not page.export_gguf.isVisible()
    page.onnx_int8.setChecked(True)
    target = tmp_path / "onnx"
    with qtbot.waitSignal(page.exporter.done, timeout=120000):
        page.export("onnx", str(target), int8=page.onnx_int8.isChecked())
    assert {"model.onnx", "model_int8.onnx", "README.md"} <= {p.name for p in target.iterdir()}
    assert "onnxruntime" in page.export_note.text()
