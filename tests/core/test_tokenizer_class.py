"""A model folder's tokenizer loads through the class it declares, the class AutoTokenizer
picks, and a data check that counts tokens never imports torch for it."""

import json
import shutil
import subprocess
import sys

import pytest

from helpers import sentiment_rows, write_csv
from pft_desktop.core.tasks.base import load_tokenizer
from pft_desktop.core.tokenizer_class import declared_class_name, load_declared

TEXTS = ["a great and lovely film", "Ünïcode — “quotes” and emoji 🎬 too", "",
         "a very long sentence " * 40, "numbers 1,234.5 and CAPS"]


def test_the_declared_class_is_the_one_auto_tokenizer_loads(minilm_path):
    from transformers import AutoTokenizer

    assert declared_class_name(minilm_path) == "BertTokenizer"
    ours, auto = load_declared(minilm_path), AutoTokenizer.from_pretrained(minilm_path)
    assert type(ours) is type(auto)
    assert ours(TEXTS, TEXTS[::-1], truncation=True, max_length=64) == \
        auto(TEXTS, TEXTS[::-1], truncation=True, max_length=64)
    assert (ours.model_max_length, ours.pad_token_id, ours.padding_side, ours.all_special_ids) \
        == (auto.model_max_length, auto.pad_token_id, auto.padding_side, auto.all_special_ids)


def copy_with(tmp_path, source, tokenizer_config=None, config=None, drop=()):
    folder = tmp_path / "model"
    shutil.copytree(source, folder)
    for name, changes in (("tokenizer_config.json", tokenizer_config), ("config.json", config)):
        if changes:
            data = json.loads((folder / name).read_text())
            data.update(changes)
            (folder / name).write_text(json.dumps(data))
    for name in drop:
        (folder / name).unlink()
    return folder


@pytest.mark.parametrize("tokenizer_config, config, drop", [
    ({}, {}, ["tokenizer.json"]),  # vocab.txt alone: AutoTokenizer converts it
    ({"auto_map": {"AutoTokenizer": ["tok.MyTokenizer", None]}}, {}, []),  # remote code
    ({}, {"model_type": "roberta"}, []),  # a class from another model's family
    ({"tokenizer_class": "LlamaTokenizer"}, {"model_type": "llama"}, []),  # swapped by Auto
    ({"tokenizer_class": "NoSuchTokenizer"}, {}, []),
    ({"tokenizer_class": None}, {}, []),
])
def test_anything_uncertain_is_left_to_auto_tokenizer(tmp_path, minilm_path, tokenizer_config,
                                                      config, drop):
    folder = copy_with(tmp_path, minilm_path, tokenizer_config, config, drop)
    assert declared_class_name(folder) is None
    assert load_declared(folder) is None
    assert load_tokenizer(str(folder))("a film")["input_ids"]  # AutoTokenizer still loads it


def test_a_damaged_tokenizer_config_is_left_to_auto_tokenizer(tmp_path, minilm_path):
    folder = copy_with(tmp_path, minilm_path)
    (folder / "tokenizer_config.json").write_text("{not json")
    assert declared_class_name(folder) is None


def test_the_model_types_auto_tokenizer_overrides_keep_their_own_class():
    """AutoTokenizer loads another class than the declared one only for model types it lists
    as declaring a wrong class. Where such a type has its own tokenization module, every class
    there must be the one AutoTokenizer maps it to, or declared_class_name would differ."""
    import importlib

    from transformers.models.auto import tokenization_auto as auto

    checked = 0
    for model_type in auto.MODELS_WITH_INCORRECT_HUB_TOKENIZER_CLASS:
        module_name = model_type.replace("-", "_")
        try:
            module = importlib.import_module(
                f"transformers.models.{module_name}.tokenization_{module_name}")
        except ImportError:
            continue  # no class of its own: declared_class_name never names one for it
        mapped = (auto.TOKENIZER_MAPPING_NAMES.get(model_type) or "").removesuffix("Fast")
        own = {name for name, value in vars(module).items() if isinstance(value, type)
               and value.__module__ == module.__name__ and name.endswith("Tokenizer")}
        assert own <= {mapped}, (model_type, own, mapped)
        checked += 1
    assert checked  # the list still has types with their own classes (qwen2, ...)


def test_a_data_check_does_not_import_torch(tmp_path, minilm_path):
    data = write_csv(tmp_path / "reviews.csv", ["review", "sentiment"], sentiment_rows(200))
    script = f"""
import sys
from pft_desktop.core.config import RunConfig
from pft_desktop.core.lazy_tokens import only_reported
from pft_desktop.core.recipe import prepare
config = RunConfig()
config.model.name_or_path = {str(minilm_path)!r}
config.data.train_file = {str(data)!r}
config.data.text_column, config.data.label_column = "review", "sentiment"
with only_reported():
    prepared = prepare(config)
print(prepared.data.report.token_lengths["max"], "torch" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    longest, torch_imported = done.stdout.split()
    assert int(longest) > 2 and torch_imported == "False"
