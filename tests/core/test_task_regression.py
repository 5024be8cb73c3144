"""Regression: numeric targets read (decimal commas too) or refused by row, a report that fits
numbers, MAE/RMSE/Pearson/Spearman, a scatter of predicted against true, and a model whose
export predicts in the file's own units through plain transformers, peft and the pipeline."""

import json
import math

import numpy as np
import pytest
import torch

from helpers import NEGATIVE, POSITIVE, sentiment_rows, write_csv
from pft_desktop.core.config import RunConfig
from pft_desktop.core.data import load_table
from pft_desktop.core.errors import UserError
from pft_desktop.core.tasks import get_task, task_of_folder
from pft_desktop.core.tasks.regression import (average_ranks, pearson, regression_metrics,
                                               target_counts)

TASK = get_task("regression")
# Each sentiment word carries a score from -1 to 1: one word decides the target.
WORD_SCORE = {**{w: round(1 - i / 20, 2) for i, w in enumerate(POSITIVE)},
              **{w: round(-1 + i / 20, 2) for i, w in enumerate(NEGATIVE)}}


def scored_rows(n: int, seed: int = 0):
    rows = []
    for text, _ in sentiment_rows(n, seed):
        word = next(w for w in text.split() if w in WORD_SCORE)
        rows.append((text, f"{WORD_SCORE[word]:.2f}"))
    return rows


def pair_rows(n: int):
    """Two texts and a similarity from 0 to 5: 5 for the same sentiment word, 0 for opposite."""
    rows = []
    for i, (first, _) in enumerate(sentiment_rows(n, seed=1)):
        second, _ = sentiment_rows(n, seed=2)[i]
        a = next(w for w in first.split() if w in WORD_SCORE)
        b = next(w for w in second.split() if w in WORD_SCORE)
        rows.append((first, second, f"{2.5 + 1.25 * (WORD_SCORE[a] + WORD_SCORE[b]):.2f}"))
    return rows


def config_for(model, data, text="review", label="rating", pair="", **training):
    config = RunConfig()
    config.task.kind = "regression"
    config.model.name_or_path, config.data.train_file = str(model), str(data)
    config.data.text_column, config.data.label_column = text, label
    config.data.text_pair_column = pair
    config.data.validation_split = 0.25
    config.task.max_length = 32
    config.method.kind = "full"
    config.training.max_steps, config.training.batch_size = 6, 8
    config.training.learning_rate = 3e-3
    for key, value in training.items():
        setattr(config.training, key, value)
    return config


def prepared(model, data, **mapping):
    from transformers import AutoTokenizer

    config = config_for(model, data, **mapping)
    return TASK.prepare(config, load_table(data), None, AutoTokenizer.from_pretrained(model))


def refused(model, data, *needles, **mapping) -> str:
    with pytest.raises(UserError) as caught:
        prepared(model, data, **mapping)
    message = caught.value.message
    for needle in needles:
        assert needle in message, (needle, message)
    assert caught.value.fix
    return message


# -- columns and data ----------------------------------------------------------------------------

def test_guess_finds_the_pair_and_the_score(tmp_path):
    sts = write_csv(tmp_path / "sts.csv", ["id", "sentence1", "sentence2", "score"],
                    [(i, a, b, s) for i, (a, b, s) in enumerate(pair_rows(30))])
    assert TASK.guess(load_table(sts)) == {"text_column": "sentence1",
                                           "text_pair_column": "sentence2",
                                           "label_column": "score"}
    single = write_csv(tmp_path / "r.csv", ["review", "rating"], scored_rows(30))
    assert TASK.guess(load_table(single)) == {"text_column": "review", "text_pair_column": "",
                                              "label_column": "rating"}
    numbered = write_csv(tmp_path / "n.csv", ["idx", "sentence", "relevance"],
                         [(i, t, s) for i, (t, s) in enumerate(scored_rows(30))])
    assert TASK.guess(load_table(numbered))["label_column"] == "relevance"  # not the row number
    commas = write_csv(tmp_path / "c.tsv", ["text", "stars"],
                       [(t, s.replace(".", ",")) for t, s in scored_rows(30)], delimiter="\t")
    assert TASK.guess(load_table(commas))["label_column"] == "stars"


def test_report_counts_blank_targets_and_describes_the_numbers(tmp_path, tiny_encoder):
    rows = scored_rows(40) + [("the film was a film", ""), ("what a movie", "NA"),
                              ("", "0.5")]
    data = write_csv(tmp_path / "d.csv", ["review", "rating"], rows)
    result = prepared(tiny_encoder, data)
    report = result.report
    assert report.rows_read == 43 and report.rows_kept == 40
    assert report.dropped == {"empty 'review'": 1, "no number in 'rating' (blank or NA)": 2}
    assert report.train_rows == 30 and report.validation_rows == 10
    assert sum(report.label_counts.values()) == 30 and len(report.label_counts) == 10
    assert report.token_lengths["max"] <= 32
    assert any("learned as they are" in note and "-1 to 1" in note for note in report.notes)
    stats = result.extra["target_stats"]
    assert -1 <= stats["min"] < stats["mean"] < stats["max"] <= 1
    labels = list(result.train["labels"])
    assert result.train.features["labels"].dtype == "float32"
    assert {round(v, 2) for v in labels} <= set(WORD_SCORE.values())
    # tokenized as batches are read (core.lazy_tokens), not before training
    assert "input_ids" not in result.train.data.column_names
    assert set(result.train[0]) == {"input_ids", "attention_mask", "labels"}
    from pft_desktop.core.recipe import _lengths

    # batches are grouped by the tokens a row will have, truncated
    assert _lengths(result.train)[0] == len(result.train[0]["input_ids"]) <= 32


def test_a_word_in_the_score_column_is_refused_by_row(tmp_path, tiny_encoder):
    rows = scored_rows(10)
    rows[2], rows[6] = (rows[2][0], "high"), (rows[6][0], "low")
    data = write_csv(tmp_path / "d.csv", ["review", "rating"], rows)
    message = refused(tiny_encoder, data, "'rating'", "d.csv", "data row 3", "'high'",
                      "1 other row", "'low' in row 7")
    assert "decimal commas" not in message


def test_consistent_decimal_commas_are_read_with_a_note(tmp_path, tiny_encoder):
    rows = [(t, s.replace(".", ",")) for t, s in scored_rows(40)]
    data = write_csv(tmp_path / "d.tsv", ["review", "rating"], rows, delimiter="\t")
    result = prepared(tiny_encoder, data)
    assert any("decimal commas" in note for note in result.report.notes)
    expected = sorted(float(s.replace(",", ".")) for _, s in rows)
    got = sorted(list(result.train["labels"]) + list(result.validation["labels"]))
    assert got == pytest.approx(expected, abs=1e-6)


def test_mixed_or_ambiguous_commas_are_refused(tmp_path, tiny_encoder):
    rows = scored_rows(20)
    rows[4] = (rows[4][0], "0,35")
    mixed = write_csv(tmp_path / "m.tsv", ["review", "rating"], rows, delimiter="\t")
    refused(tiny_encoder, mixed, "data row 5", "'0,35'", "decimal commas?", "with a point")
    thousands = write_csv(tmp_path / "t.tsv", ["review", "rating"],
                          [(t, f"{i},500") for i, (t, _) in enumerate(scored_rows(20))],
                          delimiter="\t")
    refused(tiny_encoder, thousands, "decimal commas or thousands separators?")


def test_one_value_for_every_row_is_a_warning(tmp_path, tiny_encoder):
    data = write_csv(tmp_path / "d.csv", ["review", "rating"],
                     [(t, "3") for t, _ in scored_rows(20)])
    warnings = prepared(tiny_encoder, data).report.warnings
    assert any("Every target in 'rating' is 3" in w for w in warnings)


def test_large_targets_and_few_distinct_values_are_explained(tmp_path, tiny_encoder):
    prices = write_csv(tmp_path / "p.csv", ["review", "rating"],
                       [(t, str(250_000 + 1000 * i)) for i, (t, _) in
                        enumerate(scored_rows(20))])
    assert any("targets are large" in w for w in prepared(tiny_encoder, prices).report.warnings)
    binary = write_csv(tmp_path / "b.csv", ["review", "rating"],
                       [(t, str(i % 2)) for i, (t, _) in enumerate(scored_rows(20))])
    result = prepared(tiny_encoder, binary)
    assert any("only two values" in w for w in result.report.warnings)
    assert set(result.report.label_counts) == {"0", "1"}


def test_the_pair_mapping_is_kept_and_a_missing_column_named(tmp_path, tiny_encoder):
    data = write_csv(tmp_path / "sts.csv", ["sentence1", "sentence2", "score"], pair_rows(24))
    result = prepared(tiny_encoder, data, text="sentence1", pair="sentence2", label="score")
    from transformers import AutoTokenizer

    sep = AutoTokenizer.from_pretrained(tiny_encoder).sep_token_id
    assert result.train[0]["input_ids"].count(sep) == 2  # both texts, read together
    refused(tiny_encoder, data, "'similarity'", "sentence1, sentence2, score",
            text="sentence1", label="similarity")


def test_a_validation_file_with_another_text_column_name_is_mapped(tmp_path, tiny_encoder):
    from transformers import AutoTokenizer

    train = write_csv(tmp_path / "train.csv", ["review", "rating"], scored_rows(30))
    dev = write_csv(tmp_path / "dev.csv", ["content", "rating"],
                    scored_rows(12, seed=5) + [("no score here", "")])
    config = config_for(tiny_encoder, train)
    result = TASK.prepare(config, load_table(train), load_table(dev),
                          AutoTokenizer.from_pretrained(tiny_encoder))
    report = result.report
    assert report.train_rows == 30 and report.validation_rows == 12 and report.rows_read == 43
    assert "The validation file has no column 'review'; using 'content' instead." in report.notes
    assert report.dropped == {"no number in 'rating' (blank or NA) (validation file)": 1}


# -- metrics ------------------------------------------------------------------------------------

def test_metrics_match_their_definitions():
    true, predicted = [1.0, 2.0, 3.0, 4.0], [1.5, 2.0, 2.0, 5.0]
    metrics = regression_metrics(true, predicted)
    assert metrics["mae"] == pytest.approx((0.5 + 0 + 1 + 1) / 4)
    assert metrics["rmse"] == pytest.approx(math.sqrt((0.25 + 0 + 1 + 1) / 4))
    assert regression_metrics([1, 2, 3], [10, 20, 30])["pearson"] == pytest.approx(1.0)
    assert regression_metrics([1, 2, 3, 4], [1, 8, 27, 64])["spearman"] == pytest.approx(1.0)
    # Ties share the mean of their ranks: x ranks 1, 2.5, 2.5, 4; r = 4.5 / sqrt(4.5 * 5).
    assert list(average_ranks([1, 2, 2, 3])) == [1, 2.5, 2.5, 4]
    assert regression_metrics([1, 2, 2, 3], [1, 3, 2, 4])["spearman"] == \
        pytest.approx(math.sqrt(0.9))
    assert pearson([1, 2, 3], [5, 5, 5]) == 0.0  # undefined: 0, never NaN
    assert regression_metrics([3, 1, 2], [-3, -1, -2])["pearson"] == pytest.approx(-1.0)


def test_target_counts_show_ratings_by_value_and_scores_in_bins():
    assert target_counts(np.array([1, 2, 2, 5, 5, 5.0])) == {"1": 1, "2": 2, "5": 3}
    bins = target_counts(np.linspace(0, 5, 101))
    assert len(bins) == 10 and sum(bins.values()) == 101 and "0 to 0.5" in bins


# -- training, predicting, exporting -------------------------------------------------------------

@pytest.fixture(scope="module")
def pair_run(tmp_path_factory, tiny_encoder):
    from pft_desktop.core.recipe import run_training

    root = tmp_path_factory.mktemp("regression-pairs")
    data = write_csv(root / "sts.csv", ["sentence1", "sentence2", "score"], pair_rows(80))
    config = config_for(tiny_encoder, data, text="sentence1", pair="sentence2", label="score",
                        max_steps=8, eval_steps=4)
    outcome = run_training(config, root / "run")
    assert outcome.status == "finished", outcome
    return root / "run"


@pytest.fixture(scope="module")
def lora_run(tmp_path_factory, tiny_encoder):
    from pft_desktop.core.recipe import run_training

    root = tmp_path_factory.mktemp("regression-lora")
    data = write_csv(root / "sts.csv", ["sentence1", "sentence2", "score"], pair_rows(60))
    config = config_for(tiny_encoder, data, text="sentence1", pair="sentence2", label="score",
                        max_steps=6, learning_rate=1e-2)
    config.method.kind = "lora"
    outcome = run_training(config, root / "run")
    assert outcome.status == "finished", outcome
    return root / "run"


def test_a_run_reports_consistent_metrics_and_a_scatter(pair_run):
    metrics = json.loads((pair_run / "metrics.json").read_text())
    for key in ("eval_mae", "eval_rmse", "eval_pearson", "eval_spearman"):
        assert math.isfinite(metrics[key]), key
    assert -1 <= metrics["eval_pearson"] <= 1 and metrics["eval_rmse"] >= metrics["eval_mae"]
    # The loss is the mean squared error of the same rows: RMSE squared.
    assert metrics["eval_loss"] == pytest.approx(metrics["eval_rmse"] ** 2, rel=1e-4)
    scatter = metrics["scatter"]
    assert len(scatter["true"]) == len(scatter["predicted"]) == 20
    again = regression_metrics(scatter["true"], scatter["predicted"])
    assert again["rmse"] == pytest.approx(metrics["eval_rmse"], rel=1e-4)
    assert again["spearman"] == pytest.approx(metrics["eval_spearman"], abs=1e-4)
    assert 0 <= min(scatter["true"]) and max(scatter["true"]) <= 5
    config = json.loads((pair_run / "model" / "config.json").read_text())
    assert config["problem_type"] == "regression" and len(config["id2label"]) == 1
    assert task_of_folder(config) == "regression"
    info = json.loads((pair_run / "model" / "pft_run.json").read_text())
    assert info["target_stats"]["max"] <= 5 and info["label_names"] == []


def test_predict_gives_the_models_own_number_and_needs_both_texts(pair_run):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from pft_desktop.core.predict import Predictor

    predictor = Predictor(pair_run)
    assert [field.key for field in predictor.inputs()] == ["text", "pair"]
    assert "error" in predictor("the film was great")
    result = predictor({"text": "the film was great", "pair": "a boring plot"})
    model = AutoModelForSequenceClassification.from_pretrained(pair_run / "model").eval()
    tokenizer = AutoTokenizer.from_pretrained(pair_run / "model")
    with torch.no_grad():
        plain = model(**tokenizer("the film was great", "a boring plot",
                                  return_tensors="pt")).logits[0, 0].item()
    assert result == {"value": pytest.approx(plain, abs=1e-6)}
    line = predictor.spec.describe(result, {"text": "the film was great", "pair": "a boring plot"})
    assert line.split("\t") == [f"{plain:.6g}", "the film was great", "a boring plot"]


def test_lora_trains_and_both_exports_reload(tmp_path, lora_run):
    from peft import AutoPeftModelForSequenceClassification
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    from pft_desktop.core.export import export_run
    from pft_desktop.core.predict import Predictor

    info = json.loads((lora_run / "model" / "pft_run.json").read_text())
    assert info["is_adapter"] and info["task"] == "regression"
    pairs = [("the film was great fun", "a dull and boring plot"), ("music", "the best music")]
    predictor = Predictor(lora_run)
    expected = [predictor({"text": a, "pair": b})["value"] for a, b in pairs]
    adapter = export_run(lora_run, tmp_path / "adapter", "adapter")  # each verified in a
    merged = export_run(lora_run, tmp_path / "merged", "merged")     # fresh process
    tokenizer = AutoTokenizer.from_pretrained(merged)
    batch = tokenizer([a for a, _ in pairs], [b for _, b in pairs], return_tensors="pt",
                      padding=True)
    models = [AutoPeftModelForSequenceClassification.from_pretrained(
                  adapter, num_labels=1, problem_type="regression").eval(),
              AutoModelForSequenceClassification.from_pretrained(merged).eval()]
    for model in models:
        with torch.no_grad():
            got = model(**batch).logits[:, 0]
        assert got.tolist() == pytest.approx(expected, abs=1e-5)
    # The card's pipeline: problem_type regression means no sigmoid, the raw number.
    score = pipeline("text-classification", model=str(merged))
    got = score({"text": pairs[0][0], "text_pair": pairs[0][1]})
    assert (got[0] if isinstance(got, list) else got)["score"] == \
        pytest.approx(expected[0], abs=1e-5)
    card = (merged / "README.md").read_text()
    assert "pipeline_tag: text-classification" in card and "text_pair" in card
    card = (adapter / "README.md").read_text()
    assert "AutoPeftModelForSequenceClassification" in card and "num_labels=1" in card


def test_training_learns_the_scores(tmp_path, tiny_encoder):
    from pft_desktop.core.recipe import run_training

    data = write_csv(tmp_path / "d.csv", ["review", "rating"], scored_rows(160))
    config = config_for(tiny_encoder, data, max_steps=150, learning_rate=3e-3, eval_steps=150)
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome
    assert outcome.metrics["eval_pearson"] > 0.8, outcome.metrics
    assert "Pearson" in TASK.headline(outcome.metrics)


def test_the_command_line_guesses_the_columns_and_predicts(tmp_path, tiny_encoder, capsys):
    from pft_desktop.cli import main

    data = write_csv(tmp_path / "reviews.csv", ["review", "rating"], scored_rows(40))
    assert main(["train", "--task", "regression", "--data", str(data), "--model",
                 str(tiny_encoder), "--max-steps", "3", "--batch-size", "8", "--max-length",
                 "32", "--method", "full", "--runs-root", str(tmp_path / "runs")]) == 0
    err = capsys.readouterr().err
    for needle in ("Using column 'review' as text", "Using column 'rating' as label",
                   "Run finished", "eval_pearson"):
        assert needle in err, (needle, err)
    assert "as text pair" not in err
    run = next((tmp_path / "runs").iterdir())
    assert main(["predict", str(run), "the film was great"]) == 0
    value, text = capsys.readouterr().out.strip().split("\t")
    assert math.isfinite(float(value)) and text == "the film was great"


def test_the_probe_is_relative_to_large_targets(tiny_encoder):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(
        tiny_encoder, **TASK.model_kwargs([], {})).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    raw = TASK.probe(model, tokenizer, {})
    assert len(raw) == 3 and all(len(row) == 1 for row in raw)
    large = TASK.probe(model, tokenizer, {"target_stats": {"mean": 250_000.0, "std": 900.0}})
    assert [row[0] * 250_000 for row in large] == pytest.approx([row[0] for row in raw])
    assert TASK.probe(model, tokenizer, {"target_stats": {"mean": 0.5, "std": 0.2}}) == raw


def test_a_regression_folder_is_claimed_by_its_problem_type():
    head = {"architectures": ["BertForSequenceClassification"]}
    assert TASK.claims({**head, "problem_type": "regression"})
    assert not TASK.claims(head)
    assert task_of_folder({**head, "problem_type": "regression"}) == "regression"
    assert not TASK.claims({"architectures": ["BertForMaskedLM"], "problem_type": "regression"})


def test_a_big_file_groups_both_parts_by_characters(tmp_path, tiny_encoder, monkeypatch):
    """Beyond GROUP_BY_TOKENS_UP_TO rows in all, neither part is tokenized ahead to group its
    batches, not even the validation part that is under it on its own."""
    from pft_desktop.core import lazy_tokens
    from pft_desktop.core.recipe import _lengths

    monkeypatch.setattr(lazy_tokens, "GROUP_BY_TOKENS_UP_TO", 30)
    result = prepared(tiny_encoder, write_csv(tmp_path / "d.csv", ["review", "rating"],
                                              scored_rows(40)))
    assert len(result.validation) < 30 < len(result.train) + len(result.validation)
    for part in (result.train, result.validation):
        texts, _ = part.raw_texts(list(range(len(part))))
        assert _lengths(part) == [len(text) for text in texts]
