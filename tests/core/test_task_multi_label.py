"""Multi-label classification: labels from one column of separated labels (the delimiter given
or detected) or from 0/1 columns, the data report and its refusals, metrics and the threshold
chosen on validation, training (full and LoRA) on a tiny BERT, predict, export and reload."""

import json
import random

import numpy as np
import pytest

from helpers import FILLER, NEGATIVE, POSITIVE, write_csv
from pft_desktop.core.config import RunConfig
from pft_desktop.core.data import load_table
from pft_desktop.core.errors import UserError
from pft_desktop.core.tasks import get_task, task_of_folder
from pft_desktop.core.multi_label_data import detect_delimiter
from pft_desktop.core.tasks.multi_label import best_threshold, per_label, scores

COLORS = ["blue", "red", "green"]
LABELS = ("positive", "negative", "color")


def labelled_rows(n: int, seed: int = 0) -> list[tuple[str, list[str]]]:
    """Short texts; each label applies when a word of its kind is in the text (0 to 3 labels)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        labels = [name for name in LABELS if rng.random() < 0.45]
        words = rng.sample(FILLER[:20], rng.randint(2, 5))
        words += [rng.choice({"positive": POSITIVE, "negative": NEGATIVE,
                              "color": COLORS}[name]) for name in labels]
        rng.shuffle(words)
        rows.append((" ".join(words), labels))
    return rows


def delimited_csv(path, rows, delimiter=";", header=("review", "tags")):
    return write_csv(path, list(header), [(text, delimiter.join(labels)) for text, labels in rows])


def columns_csv(path, rows, yes="1", no="0"):
    return write_csv(path, ["review", *LABELS],
                     [(text, *[yes if name in labels else no for name in LABELS])
                      for text, labels in rows])


def config_for(model, data, **data_settings):
    config = RunConfig()
    config.task.kind = "multi-label"
    config.model.name_or_path = str(model)
    config.data.train_file = str(data)
    config.data.text_column = "review"
    config.data.validation_split = 0.25
    config.task.max_length = 32
    config.method.kind = "full"
    config.training.epochs = 1
    config.training.batch_size = 8
    config.training.learning_rate = 5e-3
    for key, value in data_settings.items():
        setattr(config.data, key, value)
    return config


def prepare(tiny_encoder, data, **data_settings):
    from pft_desktop.core.tasks.base import load_tokenizer

    config = config_for(tiny_encoder, data, **data_settings)
    config.validate()
    task = get_task("multi-label")
    validation = load_table(config.data.validation_file) if config.data.validation_file else None
    return task.prepare(config, load_table(data), validation, load_tokenizer(str(tiny_encoder)))


# -- reading labels ------------------------------------------------------------------------------

@pytest.mark.parametrize("delimiter", [",", ";", "|", " "])
def test_the_delimiter_is_detected(delimiter):
    cells = [delimiter.join(labels) for _, labels in labelled_rows(40) if labels]
    assert detect_delimiter(cells) == delimiter


def test_labels_with_spaces_keep_them_and_single_labels_are_not_split():
    assert detect_delimiter(["science fiction;drama", "drama", "science fiction",
                             "drama;comedy", "comedy;science fiction"]) == ";"
    assert detect_delimiter(["very good", "good", "bad", "very good", "bad"]) == ""
    assert detect_delimiter(["a, b", "b", "a, c", "c"]) == ","


def test_detected_delimiter_report(tmp_path, tiny_encoder):
    rows = labelled_rows(80)
    rows[3] = (rows[3][0], [])  # no label: kept and counted
    rows[5] = (rows[5][0], ["positive", "rare"])
    data = delimited_csv(tmp_path / "d.csv", rows, delimiter="|")
    prepared = prepare(tiny_encoder, data, label_column="tags")
    report = prepared.report
    assert prepared.label_names == ["color", "negative", "positive", "rare"]
    assert prepared.extra["label_delimiter"] == "|"
    assert report.rows_kept == 80 and report.train_rows + report.validation_rows == 80
    assert get_task("multi-label").counts_title == "Labels (training rows)"
    train_counts = {name: sum(name in labels for labels in _train_labels(prepared))
                    for name in prepared.label_names}
    assert report.label_counts == train_counts and report.label_counts["rare"] == 1
    notes = " ".join(report.notes)
    assert "separated by '|' (detected" in notes
    unlabeled = sum(not labels for _, labels in rows)
    assert f"none in {unlabeled} row" in notes and "Labels per row:" in notes
    assert f"{unlabeled} rows have no label (an empty 'tags' cell): kept" in notes
    assert any("1 label has a single example (rare)" in w for w in report.warnings)
    # the single example of 'rare' stays in training
    assert "rare" not in {n for i, n in enumerate(prepared.label_names)
                          for row in prepared.validation["labels"] if row[i]}


def _train_labels(prepared):
    return [[n for n, on in zip(prepared.label_names, row) if on]
            for row in prepared.train["labels"]]


def test_given_delimiter_and_json_lists(tmp_path, tiny_encoder):
    rows = labelled_rows(40)
    data = delimited_csv(tmp_path / "d.csv", rows, delimiter="/")
    prepared = prepare(tiny_encoder, data, label_column="tags", label_delimiter="/")
    assert prepared.label_names == ["color", "negative", "positive"]
    listed = tmp_path / "d.jsonl"
    listed.write_text("".join(json.dumps({"review": t, "labels": labels}) + "\n"
                              for t, labels in rows))
    prepared = prepare(tiny_encoder, listed, label_column="labels")
    assert prepared.label_names == ["color", "negative", "positive"]
    assert any("read as lists" in note for note in prepared.report.notes)


def test_a_separator_found_in_no_cell_is_questioned(tmp_path, tiny_encoder):
    data = delimited_csv(tmp_path / "d.csv", labelled_rows(40), delimiter=",")
    report = prepare(tiny_encoder, data, label_column="tags", label_delimiter=";").report
    assert any("contains the separator ';'" in w and "separated by ','" in w
               for w in report.warnings)


def test_binary_columns_in_every_spelling(tmp_path, tiny_encoder):
    rows = labelled_rows(40)
    for yes, no in (("1", "0"), ("true", "false"), ("Yes", "No")):
        data = columns_csv(tmp_path / f"c-{yes}.csv", rows, yes, no)
        prepared = prepare(tiny_encoder, data, label_columns=list(LABELS))
        assert prepared.label_names == list(LABELS)
        assert prepared.extra["label_source"] == "columns"
        hot = np.array(list(prepared.train["labels"]) + list(prepared.validation["labels"]))
        assert hot.sum() == sum(len(labels) for _, labels in rows)


def test_single_one_label_rows_suggest_classification(tmp_path, tiny_encoder):
    rows = [(text, [labels[0]]) for text, labels in labelled_rows(60) if labels]
    report = prepare(tiny_encoder, delimited_csv(tmp_path / "d.csv", rows),
                     label_column="tags").report
    assert any("single-label classification" in w for w in report.warnings)
    assert any("No cell of 'tags' holds several labels" in n for n in report.notes)


def test_validation_file_labels_not_in_training_are_removed(tmp_path, tiny_encoder):
    train = delimited_csv(tmp_path / "t.csv", labelled_rows(40))
    val_rows = labelled_rows(12, seed=1)
    val_rows[0] = (val_rows[0][0], ["positive", "unseen"])
    val = delimited_csv(tmp_path / "v.csv", val_rows)
    prepared = prepare(tiny_encoder, train, label_column="tags", validation_file=str(val))
    assert len(prepared.validation) == 12 and prepared.report.validation_rows == 12
    assert any("1 label that the training data does not have (unseen (1))" in w
               for w in prepared.report.warnings)
    assert prepared.validation["labels"][0][prepared.label_names.index("positive")] == 1.0


# -- guessing columns ------------------------------------------------------------------------------

def test_guess_binary_columns(tmp_path):
    table = load_table(columns_csv(tmp_path / "c.csv", labelled_rows(40), "yes", "no"))
    assert get_task("multi-label").guess(table) == {
        "text_column": "review", "label_column": "", "label_columns": list(LABELS)}


def test_guess_a_column_of_separated_labels(tmp_path):
    rows = [(f"id{i}", text, ",".join(labels)) for i, (text, labels)
            in enumerate(labelled_rows(40))]
    table = load_table(write_csv(tmp_path / "d.csv", ["id", "body", "topics_of_row"], rows))
    assert get_task("multi-label").guess(table) == {
        "text_column": "body", "label_column": "topics_of_row", "label_columns": []}


# -- refusals --------------------------------------------------------------------------------------

def test_a_file_without_any_label_is_refused(tmp_path, tiny_encoder):
    data = delimited_csv(tmp_path / "d.csv", [(t, []) for t, _ in labelled_rows(20)])
    with pytest.raises(UserError) as caught:
        prepare(tiny_encoder, data, label_column="tags")
    assert caught.value.kind == "no_labels"
    assert "No row of d.csv has a label: the label column 'tags' is empty" in caught.value.message


def test_a_label_column_that_is_not_0_or_1_is_refused(tmp_path, tiny_encoder):
    rows = [(t, *["1" if n in labels else "0" for n in LABELS])
            for t, labels in labelled_rows(30)]
    rows[1] = ("", "1", "0", "0")  # dropped for its empty text: row numbers stay the file's
    rows[4] = (rows[4][0], "maybe", "0", "1")
    rows[7] = (rows[7][0], "2", "0", "1")
    data = write_csv(tmp_path / "c.csv", ["review", *LABELS], rows)
    with pytest.raises(UserError) as caught:
        prepare(tiny_encoder, data, label_columns=list(LABELS))
    assert caught.value.kind == "not_binary"
    assert "'positive' of c.csv holds values other than 0/1 (2, maybe) in 2 rows, first in " \
        "data row 5" in caught.value.message
    rows[7] = (rows[7][0], "1", "0", "1")
    rows += [(t, "1" if "positive" in ls else "0", "0", "0") for t, ls in labelled_rows(30, 2)]
    report = prepare(tiny_encoder, write_csv(tmp_path / "c2.csv", ["review", *LABELS], rows),
                     label_columns=list(LABELS)).report
    assert report.dropped == {"empty 'review'": 1, "a label column not 0 or 1": 1}
    assert any("'positive' is not 0 or 1 in 1 row (maybe; first in data row 5)" in w
               for w in report.warnings)


def test_settings_problems_name_the_missing_mapping(tmp_path, tiny_encoder):
    config = config_for(tiny_encoder, tmp_path / "x.csv")
    with pytest.raises(UserError) as caught:
        config.validate()
    assert "data.label_column and data.label_columns are both empty" in caught.value.message
    config.data.label_columns = ["a", "b"]
    config.validate()


def test_a_missing_label_column_is_named(tmp_path, tiny_encoder):
    data = columns_csv(tmp_path / "c.csv", labelled_rows(20))
    with pytest.raises(UserError) as caught:
        prepare(tiny_encoder, data, label_columns=["positive", "sport"])
    assert caught.value.kind == "missing_column" and "'sport'" in caught.value.message


# -- metrics ---------------------------------------------------------------------------------------

def test_scores_and_threshold():
    truth = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 0]], dtype=bool)
    predicted = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 0, 0]], dtype=bool)
    got = scores(truth, predicted)
    assert got["precision_micro"] == pytest.approx(3 / 4)
    assert got["recall_micro"] == pytest.approx(3 / 5)
    assert got["f1_micro"] == pytest.approx(2 / 3)
    assert got["subset_accuracy"] == pytest.approx(2 / 4)
    # per label F1: 1.0, 2/3, 0.0
    assert got["f1_macro"] == pytest.approx((1 + 2 / 3 + 0) / 3)
    table = per_label(truth, predicted, ["a", "b", "c"])
    assert table["b"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    probabilities = np.where(truth, 0.3, 0.1)  # right only below 0.3
    threshold, f1 = best_threshold(truth, probabilities)
    assert 0.1 < threshold <= 0.3 and f1 == 1.0


def test_collator_pads_and_keeps_float_labels(tmp_path, tiny_encoder):
    import torch

    data = delimited_csv(tmp_path / "d.csv", labelled_rows(20))
    prepared = prepare(tiny_encoder, data, label_column="tags")
    from pft_desktop.core.tasks.base import load_tokenizer

    collate = get_task("multi-label").collator(load_tokenizer(str(tiny_encoder)))
    assert "input_ids" not in prepared.train.data.column_names  # tokenized as batches are read
    batch = collate([prepared.train[i] for i in range(4)])
    assert "length" not in batch
    assert batch["labels"].dtype == torch.float32 and batch["labels"].shape == (4, 3)
    assert batch["input_ids"].shape == batch["attention_mask"].shape


def test_only_the_multi_label_task_claims_a_multi_label_folder():
    config = {"architectures": ["BertForSequenceClassification"],
              "problem_type": "multi_label_classification"}
    assert get_task("multi-label").claims(config)
    assert not get_task("classification").claims(config)
    assert task_of_folder(config) == "multi-label"
    assert not get_task("multi-label").claims({**config, "problem_type": None})


# -- training, predict, export ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def data_file(tmp_path_factory):
    return delimited_csv(tmp_path_factory.mktemp("ml-data") / "tags.csv", labelled_rows(120))


@pytest.fixture(scope="module")
def lora_run(tmp_path_factory, tiny_encoder, data_file):
    from pft_desktop.core.recipe import run_training

    config = config_for(tiny_encoder, data_file, label_column="tags")
    config.method.kind = "lora"
    config.training.max_steps = 8
    run = tmp_path_factory.mktemp("ml-lora") / "run"
    outcome = run_training(config, run)
    assert outcome.status == "finished", outcome
    return run


def test_full_training_chooses_and_saves_a_threshold(tmp_path, tiny_encoder):
    from pft_desktop.core.predict import Predictor
    from pft_desktop.core.recipe import run_training

    train = delimited_csv(tmp_path / "train.csv", labelled_rows(64))
    val_rows = labelled_rows(24, seed=5)
    val = delimited_csv(tmp_path / "val.csv", val_rows)
    config = config_for(tiny_encoder, train, label_column="tags", validation_file=str(val))
    config.training.max_steps = config.training.eval_steps = 12
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    for key in ("eval_f1_micro", "eval_f1_macro", "eval_precision_micro", "eval_recall_micro",
                "eval_precision_macro", "eval_recall_macro", "eval_subset_accuracy"):
        assert 0.0 <= metrics[key] <= 1.0, key
    assert 0.05 <= metrics["threshold"] <= 0.95
    assert metrics["eval_f1_micro_at_threshold"] >= metrics["eval_f1_micro"] - 1e-6
    assert set(metrics["per_class"]) == {"color", "negative", "positive"}
    info = json.loads((tmp_path / "run" / "model" / "pft_run.json").read_text())
    assert info["threshold"] == metrics["threshold"] and info["task"] == "multi-label"
    model_config = json.loads((tmp_path / "run" / "model" / "config.json").read_text())
    assert model_config["problem_type"] == "multi_label_classification"

    # The saved threshold and the per-label table are what predict gives on the validation rows.
    predictor = Predictor(tmp_path / "run")
    results = [predictor(text) for text, _ in val_rows]
    names = ["color", "negative", "positive"]
    truth = np.array([[n in labels for n in names] for _, labels in val_rows])
    predicted = np.array([[n in r["labels"] for n in names] for r in results])
    assert scores(truth, predicted)["f1_micro"] == pytest.approx(
        metrics["eval_f1_micro_at_threshold"], abs=1e-5)
    assert per_label(truth, predicted, names) == metrics["per_class"]
    result = results[0]
    assert set(result) == {"labels", "probabilities"} and set(result["probabilities"]) == set(names)
    assert result["labels"] == sorted(
        (n for n, p in result["probabilities"].items() if p >= metrics["threshold"]),
        key=lambda n: -result["probabilities"][n])
    line = predictor.spec.describe(result, {"text": val_rows[0][0]})
    assert line.endswith(val_rows[0][0]) and "color " in line
    assert "threshold chosen" in get_task("multi-label").headline(metrics)


def test_lora_exports_load_with_plain_libraries(tmp_path, lora_run, tiny_encoder):
    import torch
    from peft import AutoPeftModelForSequenceClassification
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from pft_desktop.core.export import export_run
    from pft_desktop.core.predict import Predictor

    text = "a dull red story"
    info = json.loads((lora_run / "model" / "pft_run.json").read_text())
    names = info["label_names"]
    expected = torch.tensor([Predictor(lora_run)(text)["probabilities"][n] for n in names])
    merged = export_run(lora_run, tmp_path / "merged", "merged")
    model = AutoModelForSequenceClassification.from_pretrained(merged).eval()
    assert model.config.problem_type == "multi_label_classification"
    assert list(model.config.id2label.values()) == names
    tokenizer = AutoTokenizer.from_pretrained(merged)
    with torch.no_grad():
        got = model(**tokenizer(text, return_tensors="pt")).logits[0].sigmoid()
    assert torch.allclose(got, expected, atol=1e-5)
    adapter = export_run(lora_run, tmp_path / "adapter", "adapter")
    model = AutoPeftModelForSequenceClassification.from_pretrained(
        adapter, num_labels=len(names), id2label=dict(enumerate(names)),
        problem_type="multi_label_classification").eval()
    with torch.no_grad():
        got = model(**tokenizer(text, return_tensors="pt")).logits[0].sigmoid()
    assert torch.allclose(got, expected, atol=1e-5)
    card = (adapter / "README.md").read_text()
    assert "pipeline_tag: text-classification" in card and "torch.sigmoid" in card
    assert f"threshold = {info['threshold']}" in card and "eval_f1_micro" in card


def test_command_line_run_with_guessed_columns(tmp_path, tiny_encoder, capsys):
    from pft_desktop.cli import main

    data = columns_csv(tmp_path / "c.csv", labelled_rows(60), "true", "false")
    root = tmp_path / "runs"
    assert main(["train", "--task", "multi-label", "--data", str(data), "--model",
                 str(tiny_encoder), "--method", "full", "--max-steps", "3", "--batch-size", "8",
                 "--max-length", "32", "--runs-root", str(root)]) == 0
    err = capsys.readouterr().err
    assert "Using column 'review' as text" in err and "Run finished" in err
    (run,) = [p for p in root.iterdir() if p.is_dir()]
    info = json.loads((run / "model" / "pft_run.json").read_text())
    assert info["label_names"] == list(LABELS) and info["label_source"] == "columns"
    assert main(["predict", str(run), "great blue", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["probabilities"]) == set(LABELS)


def test_a_decoder_with_a_classification_head_trains_and_predicts(tmp_path, tiny_decoder):
    """Llama-style models have no pad token: padding uses EOS and the head finds the last
    real token."""
    from pft_desktop.core.predict import Predictor
    from pft_desktop.core.recipe import run_training

    data = delimited_csv(tmp_path / "d.csv", labelled_rows(32))
    config = config_for(tiny_decoder, data, label_column="tags")
    config.training.max_steps = 2
    assert run_training(config, tmp_path / "run").status == "finished"
    result = Predictor(tmp_path / "run")("great blue")
    assert set(result["probabilities"]) == set(LABELS)


def test_a_big_file_groups_both_parts_by_characters(tmp_path, tiny_encoder, monkeypatch):
    """Beyond GROUP_BY_TOKENS_UP_TO rows in all, neither part is tokenized ahead to group its
    batches, not even the validation part that is under it on its own."""
    from pft_desktop.core import lazy_tokens
    from pft_desktop.core.recipe import _lengths

    monkeypatch.setattr(lazy_tokens, "GROUP_BY_TOKENS_UP_TO", 30)
    data = prepare(tiny_encoder, delimited_csv(tmp_path / "d.csv", labelled_rows(40)),
                   label_column="tags")
    assert len(data.validation) < 30 < len(data.train) + len(data.validation)
    for part in (data.train, data.validation):
        texts, _ = part.raw_texts(list(range(len(part))))
        assert _lengths(part) == [len(text) for text in texts]
