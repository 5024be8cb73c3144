"""Pretrain, then fine-tune: learning-rate defaults per kind of pretraining, the notice for a
checkpoint without a masked-LM head, the guidance drawn from the time estimate, and the
command line chaining `pretrain` to `train --model RUN` with the lineage recorded."""

import pytest

from helpers import sentiment_rows, write_csv
from pft_desktop.core import events
from pft_desktop.core.config import RunConfig
from pft_desktop.core.defaults import pretraining_defaults, set_task
from pft_desktop.core.errors import UserError
from pft_desktop.core.pretrain_guidance import pretraining_guidance

TEXTS = [s for s, _ in sentiment_rows(300, seed=3)]


def corpus(tmp_path):
    return write_csv(tmp_path / "corpus.csv", ["text"], [(t,) for t in TEXTS])


def test_continuing_a_model_defaults_to_a_far_lower_learning_rate_than_a_new_one():
    assert pretraining_defaults().training.learning_rate == 1e-4
    assert pretraining_defaults(from_scratch="encoder").training.learning_rate == 1e-3
    config = set_task(RunConfig(), "pretrain", "encoder")
    assert config.training.learning_rate == 1e-3
    set_task(config, "pretrain")  # a model chosen after all: continued pretraining
    assert config.training.learning_rate == 1e-4 and not config.pretrain.from_scratch
    set_task(config, "classification")
    assert config.training.learning_rate == RunConfig().training.learning_rate


def test_the_pretrain_command_picks_the_learning_rate_by_kind(tmp_path, tiny_encoder):
    from pft_desktop.cli import build_parser, config_from_args

    data = str(corpus(tmp_path))

    def rate(*flags):
        args = build_parser().parse_args(["pretrain", "--data", data, "--text-column", "text",
                                          *flags])
        return config_from_args(args, pretraining=True).training.learning_rate

    assert rate("--from-scratch", "encoder") == 1e-3
    assert rate("--model", str(tiny_encoder)) == 1e-4
    assert rate("--model", str(tiny_encoder), "--learning-rate", "3e-4") == 3e-4


def headless_encoder(folder):
    """The tiny encoder saved as a plain BertModel: no masked-LM head, like all-MiniLM-L6-v2."""
    from transformers import AutoModel, AutoTokenizer

    from helpers import build_tiny_encoder

    source = build_tiny_encoder(folder / "with-head")
    AutoModel.from_pretrained(source).save_pretrained(folder / "headless")
    AutoTokenizer.from_pretrained(source).save_pretrained(folder / "headless")
    return folder / "headless"


def test_a_checkpoint_without_a_masked_lm_head_gets_a_new_one_and_the_run_says_so(tmp_path):
    from pft_desktop.core.pretrain import new_head_notice
    from pft_desktop.core.recipe import run_training

    assert new_head_notice(["BertForMaskedLM"], "bert") == ""
    assert "without a masked-language-model head" in new_head_notice(["BertModel"], "minilm")
    config = pretraining_defaults()
    config.model.name_or_path = str(headless_encoder(tmp_path))
    config.data.train_file, config.data.text_column = str(corpus(tmp_path)), "text"
    config.task.max_length, config.training.max_steps = 32, 2
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome
    said = [e["text"] for e in events.read_events(tmp_path / "run")
            if e["type"] == events.WARNING]
    assert any("headless was saved without a masked-language-model head" in text
               and "new one with random weights" in text for text in said), said
    report = next(e for e in events.read_events(tmp_path / "run")
                  if e["type"] == events.DATA_REPORT)
    assert any("without a masked-language-model head" in note for note in report["notes"]), \
        report


def test_guidance_follows_the_estimate_and_the_kind_of_pretraining():
    measured = {"labels": 500, "random": 0.61, "scratch": 0.60, "minilm": 0.80,
                "continued": 0.81, "spread": 0.02, "scratch_minutes": 12,
                "continued_minutes": 9}
    hour = pretraining_guidance(True, 3600, measured=measured)
    assert "about 60 min on a CPU" in hour
    assert "expect about what random weights give" in hour and "0.610" in hour
    assert "GPU for hours" in hour
    days = pretraining_guidance(True, 3 * 86400, measured=measured)
    assert "72.0 h" in days and days != hour
    assert "Even this long on a CPU" in days
    assert pretraining_guidance(True, 600, measured=measured) != hour
    assert "Under an hour of GPU time" in pretraining_guidance(True, 600, device="cuda",
                                                               measured=measured)
    unknown = pretraining_guidance(True, None, measured=measured)
    assert "Estimated" not in unknown and "random weights" in unknown
    continued = pretraining_guidance(False, 600, measured=measured)
    assert "left all-MiniLM-L6-v2 where it was" in continued  # +0.01 is within the spread
    helped = pretraining_guidance(False, 600, measured={**measured, "continued": 0.85})
    assert "what helps at this budget" in helped and "0.850" in helped


def test_the_estimate_of_a_pretraining_step_carries_the_measured_correction():
    from pft_desktop.core.estimate import (PRETRAINING_SLOWDOWN, flop_seconds_per_step,
                                           pretraining_seconds_per_step)

    assert PRETRAINING_SLOWDOWN > 1
    assert pretraining_seconds_per_step(1_000_000, 64, 64) == pytest.approx(
        PRETRAINING_SLOWDOWN * flop_seconds_per_step(1_000_000, 1_000_000, 64, 64))


def test_pretrain_then_train_on_the_run_by_name(tmp_path, monkeypatch, capsys):
    from pft_desktop.cli import main
    from pft_desktop.core.lineage import pretraining_step
    from pft_desktop.core.rundir import RunFolder

    root = tmp_path / "runs"
    monkeypatch.setenv("PFT_RUNS_ROOT", str(root))
    pre = root / "my-pretraining"
    assert main(["pretrain", "--data", str(corpus(tmp_path)), "--text-column", "text",
                 "--from-scratch", "encoder", "--size", "tiny", "--hidden-size", "32",
                 "--num-heads", "2", "--max-length", "32", "--batch-size", "8",
                 "--max-steps", "4", "--output", str(pre)]) == 0
    assert f"pft-desktop train --model {pre}" in capsys.readouterr().err
    labeled = write_csv(tmp_path / "labeled.csv", ["review", "sentiment"], sentiment_rows(60))
    fine = root / "fine"
    assert main(["train", "--model", "my-pretraining", "--data", str(labeled),
                 "--max-steps", "3", "--max-length", "32", "--output", str(fine)]) == 0
    config = RunFolder(fine).load_config()
    assert config.model.name_or_path == str(pre / "model")
    step = pretraining_step(config)
    assert step.name == "my-pretraining" and step.steps == 4
    assert step.start == "a new encoder (tiny)" and step.data == "corpus.csv"
    assert step.train_loss is not None and step.seconds > 0
    assert "Pretraining run my-pretraining: a new encoder (tiny) on corpus.csv, 4 steps" \
        in step.text()
    assert pretraining_step(RunFolder(pre).load_config()) is None  # no app-made base


def test_train_refuses_a_fine_tuning_run_as_the_base_model(tmp_path, monkeypatch,
                                                           sentiment_csv, tiny_encoder):
    from pft_desktop.core.lineage import resolve_base_model
    from pft_desktop.core.recipe import run_training

    from helpers import classification_config

    monkeypatch.setenv("PFT_RUNS_ROOT", str(tmp_path / "runs"))
    run_dir = tmp_path / "runs" / "tuned"
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=1)
    assert run_training(config, run_dir).status == "finished"
    with pytest.raises(UserError) as error:
        resolve_base_model("tuned")
    assert "not a finished pretraining run" in error.value.message
    assert "--more tuned" in error.value.fix
    assert resolve_base_model(str(tiny_encoder)) == str(tiny_encoder)
    assert resolve_base_model("bert-base-uncased") == "bert-base-uncased"  # a hub id
