from dataclasses import fields

import pytest

from pft_desktop.core.config import RunConfig, field_help
from pft_desktop.core.errors import UserError


def filled_config() -> RunConfig:
    config = RunConfig()
    config.model.name_or_path = "some/model"
    config.data.train_file = "train.csv"
    config.data.text_column, config.data.label_column = "text", "label"
    config.method.kind = "qlora-4bit"
    config.method.lora_target_modules = ["q_proj", "v_proj"]
    config.training.learning_rate = 3e-5
    config.training.epochs = 2.5
    return config


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_config_round_trips_through_file(tmp_path, suffix):
    config = filled_config()
    path = config.save(tmp_path / f"run{suffix}")
    assert RunConfig.load(path) == config


def test_saved_toml_is_sorted_and_readable(tmp_path):
    text = filled_config().save(tmp_path / "run.toml").read_text()
    assert text.index("[data]") < text.index("[method]") < text.index("[training]")
    assert 'kind = "qlora-4bit"' in text


def test_out_of_range_value_names_field_and_limit():
    config = filled_config()
    config.training.learning_rate = -1.0
    config.training.batch_size = 0
    problems = " ".join(config.problems())
    assert "training.learning_rate = -1.0 is out of range" in problems
    assert "training.batch_size = 0 is out of range: it must be at least 1" in problems
    with pytest.raises(UserError) as caught:
        config.validate()
    assert caught.value.kind == "invalid_config"


def test_bad_choice_lists_the_choices():
    config = filled_config()
    config.method.kind = "magic"
    assert any("full, freeze, lora" in p for p in config.problems())


def test_unknown_setting_is_rejected_with_known_names(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text("[training]\nlearning_rat = 0.1\n")
    with pytest.raises(UserError) as caught:
        RunConfig.load(path)
    assert "learning_rat" in caught.value.message and "learning_rate" in caught.value.fix


def test_wrong_type_is_rejected(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text('[training]\nbatch_size = "big"\n')
    with pytest.raises(UserError, match="training.batch_size"):
        RunConfig.load(path)


def test_integer_accepted_where_float_expected(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text("[training]\nepochs = 2\n")
    assert RunConfig.load(path).training.epochs == 2.0


def test_every_field_has_help_text():
    for section in RunConfig.SECTIONS:
        kind = type(getattr(RunConfig(), section))
        for name, meta in field_help(kind).items():
            assert len(meta["help"]) > 20, f"{section}.{name} lacks help text"
        assert [f.name for f in fields(kind)] == list(field_help(kind))


def test_task_specific_columns_are_required():
    config = filled_config()
    config.task.kind = "causal-lm"
    assert any("prompt_column" in p for p in config.problems())


def test_choosing_pretraining_brings_its_defaults_and_leaving_restores_them():
    """The app and the command line start pretraining from the same values (core/defaults)."""
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.defaults import pretraining_defaults, set_task

    config = RunConfig()
    set_task(config, "pretrain", "encoder")
    expected = pretraining_defaults(from_scratch="encoder")
    assert expected.training.learning_rate > pretraining_defaults().training.learning_rate
    assert config.training == expected.training and config.method.kind == "full"
    assert config.pretrain.from_scratch == "encoder"
    set_task(config, "causal-lm")
    assert config.training == RunConfig().training and config.method.kind == "lora"
    assert config.pretrain.from_scratch == ""
    config.training.learning_rate = 1e-5
    set_task(config, "classification")  # among fine-tuning tasks, the person's values stay
    assert config.training.learning_rate == 1e-5
