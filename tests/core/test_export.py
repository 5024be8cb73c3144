"""Exports load with plain transformers/peft code and predict what the run predicts."""

import json
import sys

import pytest
import torch

from helpers import classification_config
from pft_desktop.core.errors import UserError
from pft_desktop.core.export import export_run
from pft_desktop.core.predict import Predictor
from pft_desktop.core.recipe import run_training
from pft_desktop.core.verify import plain_outputs

TEXTS = ["the film was great fun", "a dull and boring plot", "music"]


@pytest.fixture(scope="module")
def lora_run(tmp_path_factory, tiny_encoder):
    from helpers import sentiment_rows, write_csv

    root = tmp_path_factory.mktemp("lora-run")
    data = write_csv(root / "d.csv", ["review", "sentiment"], sentiment_rows(80))
    config = classification_config(tiny_encoder, data, max_steps=6, learning_rate=5e-3)
    config.method.kind = "lora"
    assert run_training(config, root / "run").status == "finished"
    return root / "run"


def _probabilities(model, tokenizer):
    batch = tokenizer(TEXTS, return_tensors="pt", padding=True)
    with torch.no_grad():
        return model(**batch).logits.softmax(-1)


def test_merged_export_loads_with_plain_transformers(tmp_path, lora_run, monkeypatch):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    out = export_run(lora_run, tmp_path / "merged", "merged")
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())
    model = AutoModelForSequenceClassification.from_pretrained(out).eval()
    tokenizer = AutoTokenizer.from_pretrained(out)
    expected = torch.tensor([[r["probabilities"][n] for n in ("negative", "positive")]
                             for r in map(Predictor(lora_run), TEXTS)])
    assert torch.allclose(_probabilities(model, tokenizer), expected, atol=1e-5)
    assert model.config.id2label == {0: "negative", 1: "positive"}
    assert (out / "model.safetensors").is_file()
    # The check loads a merged folder with transformers alone, as the user's code will, and
    # does not pay for importing peft and bitsandbytes (about 4.5 s on 2 cores).
    checked = plain_outputs(out)
    monkeypatch.setitem(sys.modules, "peft", None)  # importing peft now fails
    assert plain_outputs(out) == checked
    with pytest.raises(ImportError):
        plain_outputs(lora_run / "model")  # an adapter still needs it


def test_adapter_export_loads_with_plain_peft(tmp_path, lora_run, tiny_encoder):
    from peft import AutoPeftModelForSequenceClassification
    from transformers import AutoTokenizer

    out = export_run(lora_run, tmp_path / "adapter", "adapter")
    config = json.loads((out / "adapter_config.json").read_text())
    assert config["base_model_name_or_path"] == str(tiny_encoder)
    model = AutoPeftModelForSequenceClassification.from_pretrained(
        out, num_labels=2, id2label={0: "negative", 1: "positive"}).eval()
    tokenizer = AutoTokenizer.from_pretrained(out)
    expected = torch.tensor([[r["probabilities"][n] for n in ("negative", "positive")]
                             for r in map(Predictor(lora_run), TEXTS)])
    assert torch.allclose(_probabilities(model, tokenizer), expected, atol=1e-5)


def test_model_card_describes_the_run(tmp_path, lora_run):
    out = export_run(lora_run, tmp_path / "adapter", "adapter")
    card = (out / "README.md").read_text()
    for needed in ("base_model:", "classification", "lora", "eval_accuracy", "learning_rate",
                   "AutoPeftModelForSequenceClassification", "negative"):
        assert needed in card, needed


def test_export_refuses_non_empty_destination(tmp_path, lora_run):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file.txt").write_text("keep me")
    with pytest.raises(UserError) as caught:
        export_run(lora_run, tmp_path / "taken", "merged")
    assert caught.value.kind == "export_exists"
    assert (tmp_path / "taken" / "file.txt").read_text() == "keep me"


def test_no_disk_space_leaves_nothing_behind(tmp_path, lora_run, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(UserError) as caught:
        export_run(lora_run, tmp_path / "out", "merged")
    assert caught.value.kind == "no_disk_space" and "MB is free" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_full_fine_tune_has_no_adapter_to_export(tmp_path, tiny_encoder, sentiment_csv):
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=2)
    run_training(config, tmp_path / "run")
    with pytest.raises(UserError) as caught:
        export_run(tmp_path / "run", tmp_path / "adapter", "adapter")
    assert caught.value.kind == "no_adapter" and "merged" in caught.value.fix
    out = export_run(tmp_path / "run", tmp_path / "merged", "merged")
    assert (out / "config.json").is_file()


def test_causal_lm_merged_export_generates_like_the_run(tmp_path, tiny_decoder, qa_csv):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from pft_desktop.core.config import RunConfig

    config = RunConfig()
    config.model.name_or_path, config.data.train_file = str(tiny_decoder), str(qa_csv)
    config.data.prompt_column, config.data.response_column = "prompt", "response"
    config.task.kind, config.method.kind = "causal-lm", "lora"
    config.training.max_steps, config.training.learning_rate = 5, 5e-3
    assert run_training(config, tmp_path / "run").status == "finished"
    out = export_run(tmp_path / "run", tmp_path / "merged", "merged")
    from pft_desktop.core.tasks.causal_lm import generate

    run = Predictor(tmp_path / "run")
    expected = generate(run.model, run.tokenizer, "what color is the sky", raw=False,
                        max_new_tokens=8)
    model = AutoModelForCausalLM.from_pretrained(out).eval()
    tokenizer = AutoTokenizer.from_pretrained(out)
    # ordinary transformers code: the chat template travels with the exported tokenizer
    text = tokenizer.apply_chat_template([{"role": "user", "content": "what color is the sky"}],
                                         tokenize=False, add_generation_prompt=True)
    batch = tokenizer(text, return_tensors="pt", add_special_tokens=False)
    output = model.generate(**batch, max_new_tokens=8, do_sample=False,
                            pad_token_id=tokenizer.eos_token_id)
    assert tokenizer.decode(output[0, batch["input_ids"].shape[1]:],
                            skip_special_tokens=True) == expected


def test_exports_get_the_users_ordinary_permissions(tmp_path, lora_run):
    """A model handed to a colleague or a server must be readable by them: the staging
    folder's owner-only modes must not leak into the export."""
    import os
    import stat

    old = os.umask(0o022)
    try:
        out = export_run(lora_run, tmp_path / "shared", "adapter")
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")]}
    assert modes["shared"] == 0o755
    assert all(mode == 0o644 for name, mode in modes.items() if name != "shared"), modes


def test_predicting_prints_no_library_noise(lora_run):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "pft_desktop", "predict", str(lora_run),
                             "the film was great fun"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\t")[0] in ("negative", "positive")
    for noise in ("LOAD REPORT", "MISSING", "FutureWarning", "Loading weights"):
        assert noise not in result.stderr, result.stderr


def test_an_export_that_predicts_differently_is_not_kept(tmp_path, lora_run, monkeypatch):
    """Verified in a fresh process with plain transformers: a merge gone wrong is refused."""
    from safetensors.torch import load_file, save_file

    import pft_desktop.core.export as export

    real = export._write_merged

    def broken_merge(model_dir, staging, info):
        real(model_dir, staging, info)
        weights = load_file(staging / "model.safetensors")
        name = next(k for k in weights if k.startswith("classifier") and k.endswith("weight"))
        weights[name][0] += 0.5  # one class only: a shift of all of them cancels out
        save_file(weights, staging / "model.safetensors", metadata={"format": "pt"})

    monkeypatch.setattr(export, "_write_merged", broken_merge)
    with pytest.raises(UserError) as caught:
        export_run(lora_run, tmp_path / "merged", "merged")
    assert caught.value.kind == "export_mismatch" and "differ by up to" in caught.value.message
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind


def test_a_disk_full_in_a_libraries_own_words_is_a_full_disk(tmp_path, lora_run, monkeypatch):
    import pft_desktop.core.export as export

    class SafetensorError(Exception):
        pass

    def full(model_dir, staging, info):
        raise SafetensorError("Error while serializing: IoError(Os { code: 28, kind: "
                              "StorageFull, message: \"No space left on device\" })")

    monkeypatch.setattr(export, "_write_merged", full)
    with pytest.raises(UserError) as caught:
        export_run(lora_run, tmp_path / "merged", "merged")
    assert caught.value.kind == "no_disk_space"
    assert list(tmp_path.iterdir()) == []
