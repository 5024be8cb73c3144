import shutil

import pytest

from pft_desktop.core.errors import UserError
from pft_desktop.core.models import check_model_folder, inspect_model, resolve_model


def test_inspect_counts_parameters_without_loading(tiny_encoder):
    from safetensors import safe_open

    info = inspect_model(tiny_encoder)
    with safe_open(str(tiny_encoder / "model.safetensors"), "pt") as handle:
        stored = sum(handle.get_tensor(name).numel() for name in handle.keys())
    assert info.parameters == stored
    assert info.model_type == "bert" and info.architecture == "BertForMaskedLM"
    assert "classification" in info.tasks and "causal-lm" not in info.tasks
    assert info.size_bytes > 0 and info.weights_format == "safetensors"


def test_decoder_can_do_both_tasks(tiny_decoder):
    info = inspect_model(tiny_decoder)
    assert {"classification", "causal-lm"} <= set(info.tasks)
    assert not info.is_encoder


def test_real_minilm_is_described(minilm_path):
    info = inspect_model(minilm_path)
    assert info.model_type == "bert" and info.num_layers == 6 and info.hidden_size == 384
    assert 22_000_000 < info.parameters < 23_500_000


@pytest.mark.parametrize("remove, named", [
    (["model.safetensors"], "the weights"),
    (["tokenizer.json", "tokenizer_config.json"], "a tokenizer"),
    (["config.json"], "config.json"),
])
def test_incomplete_folder_names_the_missing_piece(tmp_path, tiny_encoder, remove, named):
    folder = tmp_path / "model"
    shutil.copytree(tiny_encoder, folder)
    for name in remove:
        (folder / name).unlink()
    with pytest.raises(UserError) as caught:
        check_model_folder(folder)
    assert caught.value.kind == "incomplete_model" and named in caught.value.message


def test_unreachable_hub_gives_an_offline_message(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(UserError) as caught:
        resolve_model("pft-desktop-tests/no-such-model")
    assert caught.value.kind == "offline"
    assert "model folder on this computer" in caught.value.fix


def test_task_tables_read_without_importing_transformers_match_the_import():
    """The Model page reads transformers' auto-class tables from source (0.2 s instead of 5 s);
    they must say exactly what importing them says."""
    import subprocess
    import sys

    from transformers.models.auto import modeling_auto

    from pft_desktop.core.models import AUTO_TABLES, auto_class_tables

    assert auto_class_tables() == {name: set(getattr(modeling_auto, name))
                                   for name in AUTO_TABLES}
    probe = ("import sys; from pft_desktop.core.models import model_heads, supported_tasks; "
             "heads, tasks = model_heads('bert'), supported_tasks('bert'); "
             "print('AutoModelForMaskedLM' in heads, 'AutoModelForCausalLM' in heads, "
             "'classification' in tasks, 'pretrain' in tasks, 'causal-lm' in tasks, "
             "'torch' in sys.modules, 'transformers.models.auto.modeling_auto' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60).stdout.strip()
    # An encoder: masked-LM pretraining and classification, not response writing.
    assert out == "True False True True False False False"
