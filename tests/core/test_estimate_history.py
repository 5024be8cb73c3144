"""Estimates learn from past runs: a real finished run's measured step time and peak memory are
used for later estimates with the same model and settings, and only for those; damaged or
unfinished run folders are ignored."""

from __future__ import annotations

import shutil

import pytest

from pft_desktop.core import estimate_history
from pft_desktop.core.rundir import RunFolder, measured_figures
from pft_desktop.core.runstore import summarize
from tests.helpers import classification_config


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory, tiny_encoder):
    """One real tiny run, trained to the end in a runs folder of its own."""
    from pft_desktop.core.recipe import run_training
    from tests.helpers import sentiment_rows, write_csv

    root = tmp_path_factory.mktemp("runs")
    data = write_csv(root.parent / "reviews.csv", ["review", "sentiment"], sentiment_rows(160))
    config = classification_config(tiny_encoder, data, max_steps=16, eval_steps=0)
    outcome = run_training(config, root / "first")
    assert outcome.status == "finished", outcome
    return root, config


@pytest.fixture(autouse=True)
def fresh_cache():
    estimate_history.forget_cache()
    yield
    estimate_history.forget_cache()


def test_a_finished_run_records_its_measured_figures(finished_run):
    root, _ = finished_run
    summary = summarize(RunFolder(root / "first"))
    measured = summary.measured
    assert measured["steps_measured"] >= 8  # 16 steps less the warm-up
    assert 0 < measured["seconds_per_step"] < 5
    assert measured["peak_memory_bytes"] > 50 << 20  # a CPU run: the process's memory
    assert measured["tokens_per_step"] > 8  # batch 8, a few real tokens each
    assert summary.settings_key == estimate_history.settings_key(finished_run[1])


def test_the_same_settings_take_the_measured_figures(finished_run):
    root, config = finished_run
    measured = summarize(RunFolder(root / "first")).measured
    past = estimate_history.past_runs(config, root)
    assert past is not None and past.runs == 1
    assert past.seconds_per_step == measured["seconds_per_step"]
    assert past.peak_memory_bytes == measured["peak_memory_bytes"]
    assert past.note() == "from 1 past run with these settings"
    # Twice the tokens a step: twice the time, and more memory for their activations.
    tokens = measured["tokens_per_step"]
    assert past.seconds_for(2 * tokens) == pytest.approx(2 * measured["seconds_per_step"])
    assert past.memory_for(2 * tokens, 1000.0) == measured["peak_memory_bytes"] + \
        int(tokens * 1000.0)


def test_different_settings_do_not(finished_run):
    root, config = finished_run
    for section, field, value in (("training", "batch_size", 16), ("method", "kind", "lora"),
                                  ("task", "max_length", 64),
                                  ("resources", "processes", 2)):
        changed = classification_config(config.model.name_or_path, config.data.train_file,
                                         max_steps=16, eval_steps=0)
        assert estimate_history.past_runs(changed, root) is not None  # the same, still found
        setattr(getattr(changed, section), field, value)
        estimate_history.forget_cache()
        assert estimate_history.past_runs(changed, root) is None, field
    # Settings that do not change a step's cost (epochs, learning rate) still match.
    other = classification_config(config.model.name_or_path, config.data.train_file,
                                   max_steps=16, eval_steps=0, learning_rate=5e-4, epochs=3)
    assert estimate_history.past_runs(other, root).runs == 1


def test_damaged_and_unfinished_runs_are_ignored(finished_run, tmp_path):
    source, config = finished_run
    root = tmp_path / "runs"
    for name in ("unfinished", "damaged", "no-config"):
        shutil.copytree(source / "first", root / name)
    RunFolder(root / "unfinished").set_status("running", pid=999999999)  # its process is gone
    (root / "damaged" / "events.jsonl").write_text('{"type": "step", "step": 1, "elaps\n')
    (root / "no-config" / "config.toml").unlink()
    (root / "broken-config").mkdir()
    (root / "broken-config" / "config.toml").write_text("this is [not toml")
    assert estimate_history.past_runs(config, root) is None
    shutil.copytree(source / "first", root / "whole")
    estimate_history.forget_cache()
    assert estimate_history.past_runs(config, root).runs == 1


def test_too_few_steps_measure_nothing():
    steps = [{"type": "step", "step": s, "elapsed_s": s * 0.1} for s in (1, 2)]
    assert measured_figures(steps) == {}
