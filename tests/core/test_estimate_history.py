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


def test_a_cpu_run_records_its_pace_against_the_rule(finished_run):
    """The run compares its measured step with the rule of thumb for its own shape: that ratio
    is how fast this computer runs now, for estimates of settings it never ran."""
    from pft_desktop.core import events
    from pft_desktop.core.estimate import estimate_seconds_per_step

    root, config = finished_run
    measured = summarize(RunFolder(root / "first")).measured
    shape = next(e for e in events.read_events(root / "first")
                 if e["type"] == "started")["step_shape"]
    assert shape["device"] == "cpu" and shape["rows"] == 8 and shape["layers"] >= 1
    # a BERT sequence classifier with the CPU speed-ups: its last layer reads the first token
    assert shape["first_token"] is True and shape["token_head"] is False
    rule = estimate_seconds_per_step(shape["parameters"], shape["trainable"], 8,
                                     measured["tokens_per_step"] / 8, layers=shape["layers"],
                                     hidden=shape["hidden"], first_token=True)
    assert measured["pace"] == pytest.approx(measured["seconds_per_step"] / rule)
    other = classification_config(config.model.name_or_path, config.data.train_file,
                                  max_steps=16, eval_steps=0, batch_size=16)
    assert estimate_history.past_runs(other, root) is None  # never ran these settings
    pace = estimate_history.machine_pace(other, root)
    assert pace.runs == 1 and pace.factor == measured["pace"]
    assert pace.note() == "at the pace this computer ran its latest run"


def test_the_pace_is_the_median_of_the_latest_runs_of_the_same_model_first(monkeypatch,
                                                                          tmp_path):
    import json

    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.runstore import RunStore, RunSummary

    def run(started, pace, status="finished", model="/models/small"):
        key = json.dumps({"model.name_or_path": model})
        return RunSummary(name=str(started), path="", status=status, started=started,
                          settings_key=key, measured={"seconds_per_step": 1.0, "pace": pace})

    runs = [run(1, 9.0), run(2, 8.0), run(7, 2.0), run(3, 1.0), run(6, 3.0), run(5, 2.5),
            run(4, 4.0), run(8, 50.0, status="failed"), run(0, 0.5, model="/models/large")]
    monkeypatch.setattr(RunStore, "summaries", lambda self: runs)
    pace = estimate_history.machine_pace(root=tmp_path)
    # The five newest finished runs (started 7, 6, 5, 4, 3): paces 2, 3, 2.5, 4, 1.
    assert pace.runs == 5 and pace.factor == 2.5
    assert pace.note() == "at the pace this computer ran its latest 5 runs"
    large = RunConfig()
    large.model.name_or_path = "/models/large"
    assert estimate_history.machine_pace(large, tmp_path).factor == 0.5  # its own, though old
    large.model.name_or_path = "/models/never-run"
    assert estimate_history.machine_pace(large, tmp_path).factor == 2.5
