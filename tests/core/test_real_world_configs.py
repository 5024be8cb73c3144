"""Real-world run configs: hand-edited, from another version, or broken. Every case ends in a
loaded config, a list of problems naming the field and its limit, or a UserError naming the
file, the place and the fix; never in a traceback.

| case                                   | outcome                                            |
|----------------------------------------|----------------------------------------------------|
| every numeric field below/above range  | problems() names the field, value and limit        |
| NaN or infinite numbers                | problems(): not a finite number                    |
| every field given a wrong type         | refused: names the field and the type wanted       |
| unknown setting or section             | refused: names it, suggests the close name         |
| malformed TOML or JSON                 | refused: the parser's line and column              |
| a config from a newer version          | refused: names both versions, says update          |
| the current version, an empty file     | loaded                                             |
"""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from pft_desktop.core.config import SCHEMA_VERSION, RunConfig
from pft_desktop.core.errors import UserError


def ranged_fields():
    """(section, field, min, max, exclusive_min, is_int) for every numeric field with a
    range."""
    config = RunConfig()
    for section in RunConfig.SECTIONS:
        for spec in fields(getattr(config, section)):
            value = getattr(getattr(config, section), spec.name)
            meta = spec.metadata
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            if meta.get("min") is None and meta.get("max") is None:
                continue
            yield (section, spec.name, meta.get("min"), meta.get("max"),
                   meta.get("exclusive_min"), isinstance(value, int))


def out_of_range_cases():
    for section, name, low, high, exclusive, whole in ranged_fields():
        step = 1 if whole else 0.5
        if low is not None:
            value = low if exclusive else low - step
            yield pytest.param(section, name, value, "above" if exclusive else "at least",
                               low, id=f"{section}.{name}-below")
        if high is not None:
            yield pytest.param(section, name, high + step, "at most", high,
                               id=f"{section}.{name}-above")


RANGED = list(ranged_fields())


def test_the_range_cases_cover_every_ranged_field():
    assert len(RANGED) >= 20
    assert {"training.learning_rate", "task.max_length", "method.lora_r"} <= \
        {f"{s}.{n}" for s, n, *_ in RANGED}


@pytest.mark.parametrize("section, name, value, bound, limit", list(out_of_range_cases()))
def test_every_numeric_field_out_of_range_is_named_with_its_limit(tmp_path, section, name,
                                                                  value, bound, limit):
    path = tmp_path / "run.toml"
    path.write_text(f"[{section}]\n{name} = {value!r}\n")
    config = RunConfig.load(path)  # the type is right: loading works, validation speaks
    problems = config.problems()
    wanted = f"{section}.{name} = {value!r} is out of range: it must be {bound} {limit}."
    assert wanted in problems, problems
    with pytest.raises(UserError) as caught:
        config.validate()
    assert caught.value.kind == "invalid_config" and wanted in caught.value.message


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_numbers_that_are_not_finite(tmp_path, value):
    path = tmp_path / "run.toml"
    path.write_text(f"[training]\nlearning_rate = {value}\n")
    problems = RunConfig.load(path).problems()
    assert any(p.startswith("training.learning_rate = ") and "not a finite number" in p
               for p in problems), problems


def wrong_type_cases():
    config = RunConfig()
    wrong = {bool: ("1", "true or false"), int: ('"eight"', "a whole number"),
             float: ('"fast"', "a number"), str: ("3", "a quoted text"), list: ("5", "a list")}
    for section in RunConfig.SECTIONS:
        for spec in fields(getattr(config, section)):
            kind = type(getattr(getattr(config, section), spec.name))
            text, words = wrong[kind]
            yield pytest.param(section, spec.name, text, words, id=f"{section}.{spec.name}")


@pytest.mark.parametrize("section, name, text, words", list(wrong_type_cases()))
def test_every_field_with_a_wrong_type_is_refused_by_name(tmp_path, section, name, text,
                                                          words):
    path = tmp_path / "run.toml"
    path.write_text(f"[{section}]\n{name} = {text}\n")
    with pytest.raises(UserError) as caught:
        RunConfig.load(path)
    error = caught.value
    assert error.kind == "invalid_config"
    assert f"{section}.{name} = " in error.message and f"should be {words}" in error.message
    assert f"for example {name} = " in error.fix


def test_a_bool_is_not_taken_for_a_number(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text("[training]\nepochs = true\n")
    with pytest.raises(UserError, match="training.epochs = True should be a number"):
        RunConfig.load(path)


def test_a_list_of_numbers_where_names_are_wanted(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text("[method]\nlora_target_modules = [1, 2]\n")
    with pytest.raises(UserError, match="should be a list of names"):
        RunConfig.load(path)


def test_an_unknown_setting_suggests_the_close_name(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text("[training]\nlerning_rate = 0.001\nbatchsize = 8\n")
    with pytest.raises(UserError) as caught:
        RunConfig.load(path)
    message = caught.value.message
    assert "Unknown setting(s) in [training]: batchsize, lerning_rate" in message
    assert "'lerning_rate' may be 'learning_rate'" in message
    assert "'batchsize' may be 'batch_size'" in message
    assert "learning_rate" in caught.value.fix


def test_an_unknown_section_says_a_newer_version_may_have_written_it(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text("[training]\nepochs = 1.0\n[scheduler_v2]\nkind = 'wsd'\n")
    with pytest.raises(UserError) as caught:
        RunConfig.load(path)
    assert "scheduler_v2" in caught.value.message and "newer pft-desktop" in caught.value.message
    assert "model, data, task" in caught.value.fix


@pytest.mark.parametrize("text, said", [
    ("[training\nepochs = 1\n", "line 1"),
    ("[training]\nepochs = \n", "line 2"),
    ("[training]\nepochs = 1\nepochs = 2\n", "line 3"),
    ('[data]\ntrain_file = "unclosed\n', "line 2"),
    ("[training]\nlearning_rate = 1e-4e\n", "line 2"),
], ids=["bad-table", "no-value", "duplicate-key", "unclosed-string", "bad-number"])
def test_malformed_toml_is_refused_with_its_line(tmp_path, text, said):
    path = tmp_path / "run.toml"
    path.write_text(text)
    with pytest.raises(UserError) as caught:
        RunConfig.load(path)
    error = caught.value
    assert error.kind == "invalid_config" and "run.toml cannot be read" in error.message
    assert said in error.message and "Fix the syntax" in error.fix


@pytest.mark.parametrize("name, content, said", [
    ("run.json", '{"training": {"epochs": 1,}}', "cannot be read"),
    ("run.json", "[1, 2, 3]", "not a table of sections (it is a list)"),
    ("run.toml", b"\xff\xfe\x00binary\x00", "cannot be read"),
], ids=["json-trailing-comma", "json-list", "binary"])
def test_broken_files_are_refused(tmp_path, name, content, said):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(UserError) as caught:
        RunConfig.load(path)
    assert caught.value.kind == "invalid_config" and said in caught.value.message


@pytest.mark.parametrize("key, value", [("schema_version", SCHEMA_VERSION + 1),
                                        ("version", f'"{SCHEMA_VERSION + 1}.0"')])
def test_a_config_from_a_newer_version_names_the_versions(tmp_path, key, value):
    path = tmp_path / "run.toml"
    path.write_text(f"{key} = {value}\n[training]\nepochs = 1.0\n[future]\nx = 1\n")
    with pytest.raises(UserError) as caught:
        RunConfig.load(path)
    error = caught.value
    assert error.kind == "newer_config"
    assert f"newer pft-desktop ({key} {str(value).strip(chr(34))}" in error.message
    assert f"reads up to {SCHEMA_VERSION}" in error.message and "Update pft-desktop" in error.fix


def test_a_config_of_this_version_loads(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text(f"schema_version = {SCHEMA_VERSION}\n[training]\nepochs = 2\n")
    assert RunConfig.load(path).training.epochs == 2.0


def test_a_version_that_is_not_a_number(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"version": "banana"}))
    with pytest.raises(UserError, match="not a version number"):
        RunConfig.load(path)


def test_an_empty_file_loads_the_defaults_and_says_what_is_missing(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text("")
    config = RunConfig.load(path)
    assert config == RunConfig()
    assert any("model.name_or_path is empty" in p for p in config.problems())


def test_a_folder_given_as_the_config(tmp_path):
    with pytest.raises(UserError, match="is a folder, not a config file"):
        RunConfig.load(tmp_path)

