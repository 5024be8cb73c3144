"""Pair classification: both text columns guessed from the names pair data sets use, read
together by the model (token lengths count the pair), a try box and `predict` that need both
texts, and exports whose probe and pipeline take pairs."""

import json
import random

import pytest
import torch

from helpers import sentiment_rows, write_csv
from pft_desktop.core.config import RunConfig
from pft_desktop.core.data import load_table
from pft_desktop.core.errors import UserError
from pft_desktop.core.tasks import get_task, task_of_folder

TASK = get_task("pair-classification")


def pair_rows(n: int):
    """(first, second, label): 'same' when both sentences carry the same sentiment."""
    firsts, seconds = sentiment_rows(n, seed=1), sentiment_rows(n, seed=2)
    random.Random(3).shuffle(seconds)
    return [(a, b, "same" if la == lb else "different")
            for (a, la), (b, lb) in zip(firsts, seconds)]


def config_for(model, data, text="sentence1", pair="sentence2", label="label"):
    config = RunConfig()
    config.task.kind = "pair-classification"
    config.model.name_or_path, config.data.train_file = str(model), str(data)
    config.data.text_column, config.data.text_pair_column = text, pair
    config.data.label_column = label
    config.data.validation_split = 0.25
    config.task.max_length = 32
    config.method.kind = "full"
    config.training.max_steps, config.training.batch_size = 6, 8
    config.training.learning_rate = 5e-3
    return config


@pytest.mark.parametrize("columns", [
    [("sentence1", "first"), ("sentence2", "second"), ("label", "label")],
    [("gold_label", "label"), ("premise", "first"), ("hypothesis", "second")],
    [("question", "first"), ("answer", "second"), ("label", "label")],
    [("text", "first"), ("text_pair", "second"), ("label", "label")],
    [("Text_A", "first"), ("Text_B", "second"), ("class", "label")],
    [("question1", "first"), ("question2", "second"), ("is_duplicate", "label")],
    [("left", "first"), ("right", "second"), ("y", "label")],  # the shape decides
], ids=lambda columns: columns[0][0])
def test_guess_finds_both_texts_and_the_label(tmp_path, columns):
    rows = [[{"first": a, "second": b, "label": label}[kind] for _, kind in columns]
            for a, b, label in pair_rows(40)]
    data = write_csv(tmp_path / "d.csv", [name for name, _ in columns], rows)
    guess = TASK.guess(load_table(data))
    role = {"first": "text_column", "second": "text_pair_column", "label": "label_column"}
    assert guess == {role[kind]: name for name, kind in columns}


def test_both_texts_are_required_before_any_file_is_read():
    config = RunConfig()
    config.task.kind = "pair-classification"
    config.model.name_or_path, config.data.train_file = "m", "d.csv"
    config.data.text_column, config.data.label_column = "premise", "label"
    assert any("data.text_pair_column" in p and "second text" in p for p in config.problems())


def test_the_report_counts_pairs_and_their_joint_length(tmp_path, tiny_encoder):
    from transformers import AutoTokenizer

    rows = pair_rows(40) + [("", "a lonely second text", "same")]
    data = write_csv(tmp_path / "d.csv", ["sentence1", "sentence2", "label"], rows)
    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    result = TASK.prepare(config_for(tiny_encoder, data), load_table(data), None, tokenizer)
    report = result.report
    assert report.rows_kept == 40 and report.dropped == {"empty 'sentence1'": 1}
    assert report.notes[0].startswith("40 pairs ('sentence1' with 'sentence2')")
    joint = [len(tokenizer(a, b)["input_ids"]) for a, b, _ in pair_rows(40)]
    assert report.token_lengths["max"] == max(joint)
    assert result.label_names == ["different", "same"]
    assert sum(report.label_counts.values()) == report.train_rows
    sep = tokenizer.sep_token_id
    assert result.train[0]["input_ids"].count(sep) == 2


def test_identical_texts_in_most_pairs_are_a_warning(tmp_path, tiny_encoder):
    from transformers import AutoTokenizer

    rows = [(a, a, label) for a, _, label in pair_rows(30)]
    data = write_csv(tmp_path / "d.csv", ["sentence1", "sentence2", "label"], rows)
    result = TASK.prepare(config_for(tiny_encoder, data), load_table(data), None,
                          AutoTokenizer.from_pretrained(tiny_encoder))
    assert any("the two texts are identical" in w for w in result.report.warnings)


def test_no_second_column_is_refused_when_preparing(tmp_path, tiny_encoder):
    from transformers import AutoTokenizer

    data = write_csv(tmp_path / "d.csv", ["sentence1", "sentence2", "label"], pair_rows(20))
    with pytest.raises(UserError) as caught:
        TASK.prepare(config_for(tiny_encoder, data, pair=""), load_table(data), None,
                     AutoTokenizer.from_pretrained(tiny_encoder))
    assert "second text column" in caught.value.message and "--text-pair-column" in \
        caught.value.fix


def test_pair_folders_are_left_to_classification():
    config = {"architectures": ["BertForSequenceClassification"]}
    assert not TASK.claims(config)
    assert task_of_folder(config) == "classification"


@pytest.fixture(scope="module")
def lora_run(tmp_path_factory, tiny_encoder):
    from pft_desktop.core.recipe import run_training

    root = tmp_path_factory.mktemp("pairs-lora")
    data = write_csv(root / "d.csv", ["premise", "hypothesis", "label"], pair_rows(60))
    config = config_for(tiny_encoder, data, text="premise", pair="hypothesis")
    config.method.kind = "lora"
    config.training.learning_rate = 1e-2
    outcome = run_training(config, root / "run")
    assert outcome.status == "finished", outcome
    return root / "run"


def test_lora_run_predicts_pairs_and_both_exports_reload(tmp_path, lora_run):
    from peft import AutoPeftModelForSequenceClassification
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    from pft_desktop.core.export import export_run
    from pft_desktop.core.predict import Predictor

    metrics = json.loads((lora_run / "metrics.json").read_text())
    assert 0 <= metrics["eval_accuracy"] <= 1 and metrics["label_names"] == ["different", "same"]
    assert sum(map(sum, metrics["confusion_matrix"])) == 15
    predictor = Predictor(lora_run)
    assert [(f.key, f.required) for f in predictor.inputs()] == [("text", True), ("pair", True)]
    assert "error" in predictor("the film was great")
    pairs = [("the film was great", "a lovely story"), ("a dull plot", "the best music")]
    expected = [predictor({"text": a, "pair": b}) for a, b in pairs]
    assert all(r["label"] in ("different", "same") and
               sum(r["probabilities"].values()) == pytest.approx(1, abs=1e-4) for r in expected)
    line = TASK.describe(expected[0], {"text": pairs[0][0], "pair": pairs[0][1]})
    assert line.startswith(expected[0]["label"]) and line.endswith("\ta lovely story")
    adapter = export_run(lora_run, tmp_path / "adapter", "adapter")  # each verified in a
    merged = export_run(lora_run, tmp_path / "merged", "merged")     # fresh process
    tokenizer = AutoTokenizer.from_pretrained(merged)
    batch = tokenizer([a for a, _ in pairs], [b for _, b in pairs], return_tensors="pt",
                      padding=True)
    wanted = torch.tensor([[r["probabilities"][n] for n in ("different", "same")]
                           for r in expected])
    models = [AutoPeftModelForSequenceClassification.from_pretrained(
                  adapter, num_labels=2, id2label={0: "different", 1: "same"}).eval(),
              AutoModelForSequenceClassification.from_pretrained(merged).eval()]
    for model in models:
        with torch.no_grad():
            got = model(**batch).logits.softmax(-1)
        assert torch.allclose(got, wanted, atol=1e-5)
    classify = pipeline("text-classification", model=str(merged))
    scores = classify({"text": pairs[0][0], "text_pair": pairs[0][1]}, top_k=None)
    assert {s["label"]: s["score"] for s in scores} == pytest.approx(
        expected[0]["probabilities"], abs=1e-5)
    card = (merged / "README.md").read_text()
    assert "pair-classification" in card and "text_pair" in card
    assert "pipeline_tag: text-classification" in card


def test_the_command_line_guesses_both_texts_and_predicts_a_pair(tmp_path, tiny_encoder,
                                                                   capsys):
    from pft_desktop.cli import main

    data = write_csv(tmp_path / "nli.csv", ["premise", "hypothesis", "label"], pair_rows(40))
    assert main(["train", "--task", "pair-classification", "--data", str(data), "--model",
                 str(tiny_encoder), "--max-steps", "3", "--batch-size", "8", "--max-length",
                 "32", "--method", "full", "--runs-root", str(tmp_path / "runs")]) == 0
    err = capsys.readouterr().err
    for needle in ("Using column 'premise' as text", "Using column 'hypothesis' as text pair",
                   "Using column 'label' as label", "40 pairs", "Run finished"):
        assert needle in err, (needle, err)
    run = next((tmp_path / "runs").iterdir())
    assert main(["predict", str(run), "the film was great", "--input", "pair=a dull plot",
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["input"] == {"text": "the film was great", "pair": "a dull plot"}
    assert result["label"] in ("different", "same")
