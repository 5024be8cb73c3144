"""ONNX export: a tiny LoRA classification run (and regression and extractive QA runs) trained
with the real trainer, exported, then loaded with plain onnxruntime here and compared with the
PyTorch model; the int8 copy is smaller and close; failures keep nothing; runs it cannot hold are
refused; a missing package names the pip command."""

from __future__ import annotations

import json
import random
import re
import sys

import numpy as np
import pytest
import torch

from helpers import FILLER, classification_config, fails_cleanly, sentiment_rows, write_csv
from pft_desktop.core import onnx_export
from pft_desktop.core.errors import UserError
from pft_desktop.core.export import export_onnx
from pft_desktop.core.predict import Predictor, load_model_for_inference
from pft_desktop.core.recipe import run_training

TEXTS = ["the film was great fun and the music was lovely", "a dull plot", "music"]
needs_onnx = pytest.mark.skipif(
    any(__import__("importlib").util.find_spec(name) is None for name in onnx_export.PACKAGES),
    reason="the [onnx] extra (onnx, onnxscript, onnxruntime) is not installed")


@pytest.fixture(scope="module")
def lora_run(tmp_path_factory, tiny_encoder):
    root = tmp_path_factory.mktemp("onnx-lora")
    data = write_csv(root / "d.csv", ["review", "sentiment"], sentiment_rows(80))
    config = classification_config(tiny_encoder, data, max_steps=6, learning_rate=5e-3)
    config.method.kind = "lora"
    assert run_training(config, root / "run").status == "finished"
    return root / "run"


@pytest.fixture(scope="module")
def exported(tmp_path_factory, lora_run):
    return export_onnx(lora_run, tmp_path_factory.mktemp("onnx-out") / "onnx", int8=True)


def _session(path):
    import onnxruntime

    return onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def _probabilities(session, tokenizer, texts=TEXTS):
    batch = tokenizer(texts, padding=True, return_tensors="np")
    logits = session.run(None, {i.name: batch[i.name] for i in session.get_inputs()})[0]
    return torch.from_numpy(logits).softmax(-1)


def _expected(run):
    return torch.tensor([[r["probabilities"][n] for n in ("negative", "positive")]
                         for r in map(Predictor(run), TEXTS)])


@needs_onnx
def test_a_lora_run_exports_to_onnx_that_predicts_like_the_run(exported, lora_run):
    from transformers import AutoTokenizer

    assert sorted(p.name for p in exported.iterdir()) == [
        "README.md", "config.json", "model.onnx", "model_int8.onnx", "onnx_export.json",
        "pft_run.json", "tokenizer.json", "tokenizer_config.json"]
    assert not any(p.name.startswith(".") for p in exported.parent.iterdir())
    tokenizer = AutoTokenizer.from_pretrained(exported)
    got = _probabilities(_session(exported / "model.onnx"), tokenizer)
    assert torch.allclose(got, _expected(lora_run), atol=1e-5)
    config = json.loads((exported / "config.json").read_text())
    assert config["id2label"] == {"0": "negative", "1": "positive"}
    details = json.loads((exported / "onnx_export.json").read_text())
    assert details["outputs"] == ["logits"] and "input_ids" in details["inputs"]
    assert details["files"]["model.onnx"]["max_difference"] <= onnx_export.FP32_TOLERANCE


@needs_onnx
def test_the_int8_copy_is_smaller_and_close(exported, lora_run):
    from transformers import AutoTokenizer

    fp32, int8 = exported / "model.onnx", exported / "model_int8.onnx"
    assert int8.stat().st_size < 0.9 * fp32.stat().st_size
    ops = {node.op_type for node in __import__("onnx").load(str(int8)).graph.node}
    assert ops & {"DynamicQuantizeLinear", "MatMulInteger", "DynamicQuantizeMatMul"}
    got = _probabilities(_session(int8), AutoTokenizer.from_pretrained(exported))
    worst = float((got - _expected(lora_run)).abs().max())
    assert worst <= onnx_export.INT8_TOLERANCE
    entry = json.loads((exported / "onnx_export.json").read_text())["files"]["model_int8.onnx"]
    assert entry["max_difference"] <= entry["tolerance"] == onnx_export.INT8_TOLERANCE


@needs_onnx
def test_the_readme_snippet_runs_in_the_export(exported, monkeypatch, capsys):
    readme = (exported / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    assert "onnxruntime" in code and "model.onnx" in code
    monkeypatch.chdir(exported)
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.split()[0] in ("negative", "positive")
    assert "| `model_int8.onnx` |" in readme and "negative, positive" in readme


@needs_onnx
def test_an_export_that_differs_from_the_run_keeps_nothing(tmp_path, lora_run, monkeypatch):
    load = onnx_export.load_source

    def nudged(model_dir):  # the file written then differs slightly from what was trained
        source = load(model_dir)
        source.model.classifier.bias.data += torch.tensor([0.05, -0.05])
        return source

    monkeypatch.setattr(onnx_export, "load_source", nudged)
    with pytest.raises(UserError) as caught:
        export_onnx(lora_run, tmp_path / "onnx")
    assert caught.value.kind == "export_mismatch" and "model.onnx" in caught.value.message
    assert list(tmp_path.iterdir()) == []


@needs_onnx
def test_the_command_line_exports_and_refuses_what_it_cannot(tmp_path, lora_run, capsys):
    from pft_desktop.cli import main

    assert main(["export", str(lora_run), "--onnx", str(tmp_path / "cli")]) == 0
    assert "Exported the ONNX model" in capsys.readouterr().err
    assert (tmp_path / "cli" / "model.onnx").is_file()
    assert not (tmp_path / "cli" / "model_int8.onnx").exists()
    fails_cleanly(capsys, ["export", str(lora_run), "--onnx", str(tmp_path / "cli")],
                  "already exists")
    fails_cleanly(capsys, ["export", str(lora_run), "--merged", str(tmp_path / "m"), "--int8"],
                  "--int8", "--onnx")


def test_a_missing_package_names_the_pip_command(tmp_path, lora_run, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime fails
    with pytest.raises(UserError) as caught:
        export_onnx(lora_run, tmp_path / "onnx")
    assert caught.value.kind == "missing_package" and "onnxruntime" in caught.value.message
    assert "pip install 'pft-desktop[onnx]'" in caught.value.fix
    fails_cleanly(capsys, ["export", str(lora_run), "--onnx", str(tmp_path / "onnx")],
                  "onnxruntime", "pip install")
    assert not (tmp_path / "onnx").exists()


@needs_onnx
def test_a_causal_lm_run_is_refused_with_a_way_out(tmp_path, tiny_decoder, qa_csv):
    from pft_desktop.core.config import RunConfig

    config = RunConfig()
    config.model.name_or_path, config.data.train_file = str(tiny_decoder), str(qa_csv)
    config.data.prompt_column, config.data.response_column = "prompt", "response"
    config.task.kind, config.training.max_steps = "causal-lm", 1
    assert run_training(config, tmp_path / "run").status == "finished"
    with pytest.raises(UserError) as caught:
        export_onnx(tmp_path / "run", tmp_path / "onnx")
    assert caught.value.kind == "onnx_unsupported_task"
    assert "causal-lm" in caught.value.message and "GGUF" in caught.value.fix
    assert not (tmp_path / "onnx").exists()


def _qa_rows(n):
    rng = random.Random(0)
    rows = []
    for _ in range(n):
        color = rng.choice(["blue", "red", "green"])
        words = rng.sample(FILLER[:20], 6)
        words.insert(rng.randint(0, 6), color)
        rows.append(("what color is the sky", " ".join(words), color))
    return rows


def _ner_rows(n):
    rng = random.Random(0)
    rows = []
    for _ in range(n):
        words = rng.sample(FILLER[:20], 5)
        at = rng.randint(0, 5)
        words.insert(at, rng.choice(["anna", "bob", "carla"]))
        tags = ["B-PER" if i == at else "O" for i in range(len(words))]
        rows.append((" ".join(words), " ".join(tags)))
    return rows


def _run(root, task, encoder):
    """A short full fine-tune of the tiny encoder for a task with other outputs than class
    logits: a regression on text pairs (one value), tagging (logits per token), extractive QA
    (start and end logits)."""
    if task == "token-classification":
        data = write_csv(root / "ner.csv", ["tokens", "tags"], _ner_rows(60))
        config = classification_config(encoder, data, max_steps=4)
        config.data.text_column = config.data.label_column = ""
        config.data.tokens_column, config.data.tags_column = "tokens", "tags"
    elif task == "regression":
        rows = [(a, b, f"{2.5 + (1 if x == 'positive' else -1) * (y == x) * 2:.1f}")
                for (a, x), (b, y) in zip(sentiment_rows(60, 1), sentiment_rows(60, 2))]
        data = write_csv(root / "pairs.csv", ["first", "second", "score"], rows)
        config = classification_config(encoder, data, max_steps=4)
        config.data.text_column, config.data.text_pair_column = "first", "second"
        config.data.label_column = "score"
    else:
        data = write_csv(root / "qa.csv", ["question", "context", "answer"], _qa_rows(60))
        config = classification_config(encoder, data, max_steps=4)
        config.data.text_column = config.data.label_column = ""
        config.data.question_column, config.data.context_column = "question", "context"
        config.data.answer_column, config.task.doc_stride = "answer", 8
    config.task.kind = task
    outcome = run_training(config, root / "run")
    assert outcome.status == "finished", outcome
    return root / "run"


@needs_onnx
@pytest.mark.parametrize("task, outputs", [
    pytest.param("regression", ["logits"], marks=pytest.mark.slow),
    pytest.param("token-classification", ["logits"], marks=pytest.mark.slow),
    ("question-answering", ["start_logits", "end_logits"])])  # two outputs: the default one
def test_other_encoder_tasks_export_what_they_output(tmp_path, tiny_encoder, task, outputs):
    out = export_onnx(_run(tmp_path, task, tiny_encoder), tmp_path / "onnx", int8=True)
    model, tokenizer, _ = load_model_for_inference(tmp_path / "run")
    session = _session(out / "model.onnx")
    assert [o.name for o in session.get_outputs()] == outputs
    batch = tokenizer(TEXTS, TEXTS[::-1], padding=True, return_tensors="pt")
    got = session.run(None, {i.name: batch[i.name].numpy() for i in session.get_inputs()})
    with torch.no_grad():
        expected = model(**batch)
    for name, value in zip(outputs, got):
        assert np.allclose(value, expected[name].numpy(), atol=1e-4), name
    assert (out / "model_int8.onnx").stat().st_size < (out / "model.onnx").stat().st_size
    assert ("start_logits" in (out / "README.md").read_text()) is (task == "question-answering")


@needs_onnx
def test_an_image_classifier_exports_with_its_image_processor(tmp_path, monkeypatch, capsys):
    from transformers import AutoImageProcessor

    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.images import probe_images
    from task_models import build_tiny_vit, image_folder, square

    config = RunConfig()
    config.task.kind, config.method.kind = "image-classification", "full"
    config.model.name_or_path = str(build_tiny_vit(tmp_path / "vit"))
    config.data.train_file = str(image_folder(tmp_path / "images", per_class=8))
    config.data.validation_split, config.training.max_steps = 0.25, 4
    assert run_training(config, tmp_path / "run").status == "finished"
    out = export_onnx(tmp_path / "run", tmp_path / "onnx", int8=True)
    session = _session(out / "model.onnx")
    pixels = AutoImageProcessor.from_pretrained(out)(probe_images(), return_tensors="pt")
    got = session.run(None, {"pixel_values": pixels["pixel_values"].numpy()})[0]
    model, _, _ = load_model_for_inference(tmp_path / "run")
    with torch.no_grad():
        assert np.allclose(got, model(**pixels).logits.numpy(), atol=1e-4)
    code = re.search(r"```python\n(.*?)```", (out / "README.md").read_text(), re.S).group(1)
    monkeypatch.chdir(out)
    square((200, 30, 30), 0).save("photo.jpg")
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.split()[0] in ("red", "blue")


def test_the_encoder_tasks_say_they_export_and_write_code_that_compiles():
    """The registry decides what exports (each task's ``onnx``), and each such task writes its
    own README code: valid Python that opens the file it names."""
    from pft_desktop.core.tasks import get_task

    assert onnx_export.onnx_tasks() == [
        "classification", "pair-classification", "multi-label", "regression",
        "token-classification", "question-answering", "image-classification"]
    paired = {"label_names": ["a", "b"], "config": {"data": {"text_pair_column": "b"}}}
    for name in onnx_export.onnx_tasks():
        code = get_task(name).onnx_snippet(dict(paired, task=name), "model_int8.onnx")
        compile(code, name, "exec")
        assert 'InferenceSession("model_int8.onnx")' in code
        reads_two = '"First text", "Second text"' in code
        assert reads_two is (name not in ("image-classification", "question-answering")), name
