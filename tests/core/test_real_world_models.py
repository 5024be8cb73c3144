"""Real-world model folders, each made here from the tiny test encoder: what a person may point
the app at, and what they get. A refusal names the folder, what is wrong and what to do.

| case                                     | outcome                                          |
|------------------------------------------|--------------------------------------------------|
| no config.json / weights / tokenizer     | refused: names every missing piece               |
| config.json that is not JSON             | refused: damaged, download again                 |
| unknown architecture (model_type)        | refused: names it and the transformers version   |
| truncated or garbled safetensors         | refused: the header and the file size disagree   |
| pickled pytorch_model.bin only           | loaded (weights_only), with a note on converting |
| remote code (auto_map, unknown type)     | refused when not allowed, naming the switch;     |
|                                          | described with a note when the caller decides    |
| remote code beside a built-in type       | described: the built-in is used                  |
"""

from __future__ import annotations

import json
import shutil
import struct

import pytest

from pft_desktop.core.errors import UserError
from pft_desktop.core.models import check_model_folder, inspect_model


@pytest.fixture
def folder(tmp_path, tiny_encoder):
    copy = tmp_path / "my-model"
    shutil.copytree(tiny_encoder, copy)
    return copy


def refused(folder, kind, *said, **options) -> UserError:
    with pytest.raises(UserError) as caught:
        inspect_model(folder, **options)
    error = caught.value
    assert error.kind == kind, (error.kind, str(error))
    assert folder.name in error.message
    for text in said:
        assert text in str(error), (text, str(error))
    assert len(error.fix) > 20
    return error


def edit_config(folder, **values):
    config = json.loads((folder / "config.json").read_text())
    config.update(values)
    (folder / "config.json").write_text(json.dumps(config))


def test_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(UserError) as caught:
        check_model_folder(tmp_path / "nowhere")
    assert caught.value.kind == "missing_model" and "nowhere" in caught.value.message


@pytest.mark.parametrize("remove, said", [
    (["config.json"], "config.json (the architecture)"),
    (["model.safetensors"], "the weights"),
    (["tokenizer.json", "tokenizer_config.json"], "a tokenizer"),
    (["config.json", "model.safetensors"], "config.json (the architecture); the weights"),
], ids=["no-config", "no-weights", "no-tokenizer", "two-missing"])
def test_missing_pieces_are_named(folder, remove, said):
    for name in remove:
        (folder / name).unlink()
    refused(folder, "incomplete_model", said, "Download the complete model")


def test_a_config_that_is_not_json(folder):
    (folder / "config.json").write_text('{"model_type": "bert", ')
    refused(folder, "incomplete_model", "config.json is not valid JSON", "Download the model "
            "again")


def test_an_unknown_architecture_is_named_with_the_transformers_version(folder):
    from importlib.metadata import version

    edit_config(folder, model_type="frobnicator", architectures=["FrobnicatorModel"])
    refused(folder, "unknown_architecture", "'frobnicator'", f"transformers {version('transformers')}",
            "pip install -U transformers")


def _write_safetensors(path, header: dict, data: bytes):
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + data)


def test_truncated_safetensors(folder):
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    refused(folder, "incomplete_model", "model.safetensors", "is incomplete",
            "the file holds", "Download or copy the model again")


@pytest.mark.parametrize("content", [
    b"\x01\x02",                                   # shorter than the length field
    struct.pack("<Q", 10**12) + b"{}",             # header longer than the file
    struct.pack("<Q", 5) + b"nope!",               # header not JSON
], ids=["tiny", "huge-header", "not-json"])
def test_garbled_safetensors(folder, content):
    (folder / "model.safetensors").write_bytes(content)
    refused(folder, "incomplete_model", "model.safetensors", "damaged")


def test_header_promising_more_weights_than_the_file_holds(folder):
    _write_safetensors(folder / "model.safetensors",
                       {"w": {"dtype": "F32", "shape": [1000, 1000],
                              "data_offsets": [0, 4_000_000]}}, b"\x00" * 1000)
    refused(folder, "incomplete_model", "header says the weights take 3.8 MB",
            "holds 1.1 KB")


def test_pickled_bin_weights_only_load_safely_with_a_note(folder):
    import torch
    from safetensors.torch import load_file
    from transformers import AutoModelForMaskedLM

    state = load_file(str(folder / "model.safetensors"))
    (folder / "model.safetensors").unlink()
    torch.save(state, folder / "pytorch_model.bin")
    info = inspect_model(folder)
    assert info.weights_format == "bin"
    assert any("weights_only" in n and "save_pretrained" in n for n in info.notes)
    assert "weights_only" in info.summary()
    model = AutoModelForMaskedLM.from_pretrained(folder)  # weights_only=True inside
    assert sum(p.numel() for p in model.parameters()) > 0


def _remote_code(folder, model_type="frobnicator"):
    edit_config(folder, model_type=model_type, auto_map={
        "AutoConfig": "configuration_frob.FrobConfig",
        "AutoModelForSequenceClassification": "modeling_frob.FrobForSequenceClassification"})
    (folder / "modeling_frob.py").write_text("raise SystemExit('remote code ran')\n")


def test_remote_code_is_refused_unless_allowed(folder):
    _remote_code(folder)
    refused(folder, "needs_remote_code", "needs remote code", "'frobnicator'",
            "modeling_frob.FrobForSequenceClassification", "off unless you allow it",
            "--trust-remote-code", "Trust remote code", trust_remote_code=False)
    info = inspect_model(folder, trust_remote_code=True)
    assert info.needs_remote_code and "classification" in info.tasks
    assert info.heads == ["AutoModelForSequenceClassification"]


def test_remote_code_is_described_when_the_caller_decides(folder):
    _remote_code(folder)
    info = inspect_model(folder)
    assert info.needs_remote_code
    assert "needs remote code" in info.summary() and "--trust-remote-code" in info.summary()


def test_remote_code_beside_a_built_in_architecture_uses_the_built_in(folder):
    _remote_code(folder, model_type="bert")
    info = inspect_model(folder, trust_remote_code=False)
    assert not info.needs_remote_code and "classification" in info.tasks
    assert any("built-in 'bert' is used" in note for note in info.notes)
