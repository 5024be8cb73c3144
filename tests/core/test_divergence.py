"""A run that goes wrong ends as "diverged", keeps its last good checkpoint and says what to
change; a run that looks stuck is flagged; a model that predicts one class is flagged."""

import math

import pytest

from helpers import classification_config
from pft_desktop.core import events
from pft_desktop.core.divergence import DivergenceWatch
from pft_desktop.core.recipe import run_training
from pft_desktop.core.rundir import RunFolder


def feed(losses, grads=None):
    watch = DivergenceWatch()
    for step, loss in enumerate(losses, 1):
        if watch.feed(step, loss, (grads or {}).get(step)):
            return watch, step
    return watch, None


def test_nan_or_infinite_loss_or_gradient_diverges_at_once():
    assert feed([0.7, 0.6, math.nan])[1] == 3
    watch, step = feed([0.7, 0.6, 0.5], grads={2: math.inf})
    assert step == 2 and "gradient norm became infinite at step 2" in watch.diverged


def test_a_loss_that_runs_away_and_stays_there_diverges():
    # What lr 1.0 without clipping did to full fine-tuning: 0.69 to 238 within four steps.
    watch, step = feed([0.69, 0.70, 0.68, 0.71, 0.69, 3.0, 31.0, 238.0, 240.0, 239.0, 241.0])
    assert step == 10 and "climbed from about 0.69" in watch.diverged
    assert feed([0.69, 0.70, 0.68, 0.71, 0.69, 3.0, 0.6, 0.5, 0.4, 0.3, 0.2])[1] is None  # a spike


def test_a_stuck_loss_is_flagged_once_and_the_run_goes_on():
    watch, step = feed([0.5] * 5 + [0.0] * 30)
    assert step is None and len(watch.notes) == 1 and "exactly 0" in watch.notes[0]
    watch, step = feed([0.5] * 5 + [0.3] * 60)
    assert step is None and len(watch.notes) == 1 and "not changed" in watch.notes[0]


def test_a_diverging_run_stops_as_diverged_and_keeps_its_last_good_checkpoint(
        tmp_path, tiny_encoder, sentiment_csv):
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=200, save_steps=2,
                                   learning_rate=1.0, max_grad_norm=0.0, weight_decay=0.0)
    config.method.kind = "full"
    outcome = run_training(config, tmp_path / "run")
    folder = RunFolder(tmp_path / "run")
    assert outcome.status == "diverged" and folder.state() == "diverged"
    assert outcome.error.kind == "diverged" and "learning rate" in outcome.error.fix
    assert "1" in outcome.error.fix and "0.1" in outcome.error.fix
    assert not folder.model_dir.exists()  # broken weights are not offered for export
    found = folder.timeline()
    stopped_at = [e["step"] for e in found if e["type"] == "step"][-1]
    assert stopped_at < 200
    saved = [e["step"] for e in found if e["type"] == "checkpoint"]
    assert saved and max(saved) < stopped_at  # the last checkpoint is from before it went wrong
    assert any(e["type"] == "error" and e["kind"] == "diverged" for e in found)


def test_stop_means_stop_no_evaluation_after_it(tmp_path, tiny_encoder, sentiment_csv):
    stop_at = 3

    def sink(event):
        if event["type"] == "step" and event["step"] == stop_at:
            RunFolder(tmp_path / "run").request_stop()

    # Evaluation once per epoch (15 steps): stopping mid-epoch used to evaluate first.
    config = classification_config(tiny_encoder, sentiment_csv, epochs=3)
    assert run_training(config, tmp_path / "run", sink=sink).status == "stopped"
    assert [e for e in RunFolder(tmp_path / "run").timeline() if e["type"] == "eval"] == []


def test_evaluation_during_training_uses_a_bounded_sample_and_the_end_uses_all(
        tmp_path, tiny_encoder, sentiment_csv):
    from pft_desktop.core.recipe import evaluation_sample

    config = classification_config(tiny_encoder, sentiment_csv, max_steps=4, eval_steps=2,
                                   eval_max_rows=10)
    assert run_training(config, tmp_path / "run").status == "finished"
    metrics = RunFolder(tmp_path / "run").metrics()
    assert sum(map(sum, metrics["confusion_matrix"])) == 40  # every validation row at the end

    class Rows(list):
        def select(self, rows):
            return Rows(self[i] for i in rows)

    sample = evaluation_sample(Rows(range(100)), config.training)
    assert len(sample) == 10 and sample == evaluation_sample(Rows(range(100)), config.training)
    assert evaluation_sample(Rows(range(8)), config.training) == list(range(8))


@pytest.mark.parametrize("matrix, flagged", [([[5, 0], [5, 0]], True), ([[4, 1], [1, 4]], False)])
def test_a_model_that_predicts_one_class_is_flagged(matrix, flagged):
    from pft_desktop.core.tasks.classification import single_class_warning

    warnings = single_class_warning({"confusion_matrix": matrix, "label_names": ["a", "b"]})
    assert bool(warnings) == flagged
    if flagged:
        assert "'a' for every validation row" in warnings[0]


def test_out_of_memory_names_the_step_and_retries_with_the_same_effective_batch(
        tmp_path, tiny_encoder, sentiment_csv, monkeypatch):
    from pft_desktop.core.callbacks import FAULT_VARIABLE
    from pft_desktop.core.runstore import use_smaller_batch

    config = classification_config(tiny_encoder, sentiment_csv, max_steps=8, save_steps=2)
    monkeypatch.setenv(FAULT_VARIABLE, "oom@3")  # a device running out of memory at step 3
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "failed" and outcome.error.kind == "out_of_memory"
    assert "at step 3" in outcome.error.message and "GB in use" in outcome.error.message
    assert "batch 4 and gradient accumulation 2" in outcome.error.fix
    assert "--smaller-batch" in outcome.error.fix and "gradient checkpointing" in \
        outcome.error.fix
    monkeypatch.delenv(FAULT_VARIABLE)

    folder = RunFolder(tmp_path / "run")
    retried = use_smaller_batch(folder)
    assert (retried.training.batch_size, retried.training.gradient_accumulation) == (4, 2)
    assert run_training(None, folder.path, resume=True).status == "finished"
    steps = [e["step"] for e in folder.timeline() if e["type"] == "step"]
    assert steps == list(range(1, 9))


def test_advice_after_an_interruption_is_true(tmp_path, tiny_encoder, sentiment_csv):
    """With no checkpoint yet, "resume it" would be wrong."""
    from pft_desktop.core.errors import UserError
    from pft_desktop.core.recipe import with_run_context

    folder = RunFolder.create(tmp_path / "run", classification_config(tiny_encoder,
                                                                     sentiment_csv))
    error = with_run_context(UserError("interrupted", "The run was interrupted.", ""), folder,
                             None)
    assert "Nothing was saved yet" in error.fix and "resume" not in error.fix.lower()
    (folder.checkpoints / "checkpoint-4").mkdir(parents=True)
    (folder.checkpoints / "checkpoint-4" / "trainer_state.json").write_text("{}")
    error = with_run_context(UserError("interrupted", "The run was interrupted.", ""), folder,
                             None)
    assert "--resume" in error.fix
