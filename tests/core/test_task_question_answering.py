"""Extractive question answering: SQuAD-style JSON and tables (answer starts given or found),
unanswerable questions, contexts read in windows, SQuAD exact match and F1 put back together
from every window, training on a tiny BERT (full and LoRA), predict, exports and the command
line."""

import json
import math
import random

import numpy as np
import pytest
import torch

from helpers import FILLER, write_csv
from pft_desktop.core.config import RunConfig
from pft_desktop.core.data import load_table
from pft_desktop.core.errors import UserError
from pft_desktop.core.qa_data import (SQUAD_COLUMNS, answers_from_logits, is_squad_file,
                                      load_squad, normalize_answer, parse_answers, squad_scores)
from pft_desktop.core.tasks import get_task

TASK = "question-answering"
COLORS = ("blue", "red", "green")
WORDS = [w for w in FILLER if w not in COLORS + ("color", "sky")]
QUESTION = "what color is the sky"


def qa_rows(n, seed=0, unanswerable_every=0):
    """(question, context, answer, start): the answer is the one colour in the context, and
    some contexts are long enough to need several windows of 24 tokens."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        words = rng.sample(WORDS, rng.randint(4, 12)) + rng.sample(WORDS, rng.randint(0, 10))
        if unanswerable_every and i % unanswerable_every == 0:
            rows.append((QUESTION, " ".join(words), "", ""))
            continue
        color = rng.choice(COLORS)
        words.insert(rng.randint(0, len(words)), color)
        context = " ".join(words)
        start = (" " + context + " ").index(f" {color} ")
        rows.append((QUESTION, context, color, start))
    return rows


def squad_file(path, rows, version="v2.0"):
    """Rows as SQuAD JSON: two articles, two questions per context (the second asked
    differently), unanswerable ones marked is_impossible."""
    articles = [{"title": f"article {a}", "paragraphs": []} for a in range(2)]
    for i, (question, context, answer, start) in enumerate(rows):
        qas = [{"id": f"q{i}-{k}", "question": text, "is_impossible": not answer,
                "answers": [{"text": answer, "answer_start": start}] if answer else []}
               for k, text in enumerate((question, "which color is the sky here"))]
        articles[i % 2]["paragraphs"].append({"context": context, "qas": qas})
    path.write_text(json.dumps({"version": version, "data": articles}), encoding="utf-8")
    return path


def qa_config(model, data, **training):
    config = RunConfig()
    config.task.kind = TASK
    config.model.name_or_path = str(model)
    config.data.train_file = str(data)
    config.data.validation_split = 0.2
    config.task.max_length, config.task.doc_stride = 24, 6
    config.method.kind = "full"
    config.training.epochs = 1
    config.training.batch_size = 16
    config.training.learning_rate = 3e-3
    for key, value in training.items():
        setattr(config.training, key, value)
    return config


def prepared(model, data, **data_settings):
    from pft_desktop.core.recipe import prepare

    config = qa_config(model, data)
    for key, value in data_settings.items():
        setattr(config.data, key, value)
    return prepare(config)


# -- data: files, columns and the report -----------------------------------------------------------

def test_squad_json_reads_as_one_row_per_question(tmp_path):
    rows = qa_rows(6, unanswerable_every=3)
    path = squad_file(tmp_path / "dev.json", rows)
    assert is_squad_file(path) and not is_squad_file(tmp_path / "missing.json")
    table = get_task(TASK).preview(str(path), RunConfig().data)
    assert table.format == "squad" and len(table) == 12
    assert set(SQUAD_COLUMNS.values()) <= set(table.columns)
    assert "SQuAD-style JSON (version v2.0): 12 questions about 6 contexts in 2 articles" in \
        table.notes[0]
    assert json.loads(table.dataset[0]["answers.text"]) == []  # row 0 is unanswerable
    assert json.loads(table.dataset[2]["answers.text"]) == [rows[2][2]]  # article 0: 0, 2, 4
    assert table.dataset[2]["id"] == "q2-0" and table.dataset[3]["id"] == "q2-1"
    # The command line loads it as a plain table first; the guess still names SQuAD's columns.
    assert get_task(TASK).guess(load_table(path)) == SQUAD_COLUMNS
    assert get_task(TASK).guess(table) == SQUAD_COLUMNS


def test_broken_squad_json_is_named(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{"data": [{"paragraphs": [{"qas": [], "context": "x"}]}, ', encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_squad(path)
    assert caught.value.kind == "bad_json" and "cut.json" in caught.value.message


def test_columns_are_guessed_by_name_and_by_content(tmp_path):
    task = get_task(TASK)
    named = write_csv(tmp_path / "named.csv", ["question", "context", "answer", "answer_start"],
                      qa_rows(10))
    assert task.guess(load_table(named)) == {
        "question_column": "question", "context_column": "context",
        "answer_column": "answer", "answer_start_column": "answer_start"}
    unnamed = write_csv(tmp_path / "unnamed.csv", ["asked", "reading", "reply"],
                        [row[:3] for row in qa_rows(30)])
    assert task.guess(load_table(unnamed)) == {
        "question_column": "asked", "context_column": "reading", "answer_column": "reply",
        "answer_start_column": ""}


def test_datasets_style_answers_dict_in_json_lines(tmp_path, tiny_encoder):
    path = tmp_path / "squad.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for i, (question, context, answer, start) in enumerate(qa_rows(40)):
            handle.write(json.dumps({"id": str(i), "question": question, "context": context,
                                     "answers": {"text": [answer], "answer_start": [start]}})
                         + "\n")
    guess = get_task(TASK).guess(load_table(path))
    assert guess["answer_column"] == "answers.text"
    assert guess["answer_start_column"] == "answers.answer_start"
    # Mapping the dict column by its own name reads its text and its starts.
    data = prepared(tiny_encoder, path, question_column="question", context_column="context",
                    answer_column="answers").data
    assert data.report.rows_kept == 40
    assert not any("found by searching" in note for note in data.report.notes)


def test_answers_in_cells():
    assert parse_answers("blue") == (["blue"], [None])
    assert parse_answers("blue", "7") == (["blue"], [7])
    assert parse_answers("", "") == ([], [])
    assert parse_answers("[]") == ([], [])
    assert parse_answers('["blue", "the blue"]', "[3, 0]") == (["blue", "the blue"], [3, 0])
    assert parse_answers('{"text": ["red"], "answer_start": [5]}') == (["red"], [5])


def test_report_counts_unanswerable_questions_and_windows(tmp_path, tiny_encoder):
    path = squad_file(tmp_path / "train.json", qa_rows(60, unanswerable_every=4))
    data = prepared(tiny_encoder, path).data
    report = data.report
    assert report.rows_read == 120 and report.rows_kept == 120
    assert report.train_rows + report.validation_rows == 120
    lines = "\n".join(report.lines())
    assert "30 unanswerable questions (empty answer), kept" in lines
    assert report.label_counts["unanswerable"] > 0
    assert sum(report.label_counts.values()) == report.train_rows
    assert "contexts are held out for validation; the model never trains on those" in lines
    windows = next(note for note in report.notes if "need more than one window" in note)
    assert "window of 24 tokens (windows overlap by 6)" in windows
    assert report.token_lengths["max"] > 20 and report.token_lengths["truncated_share"] == 0.0
    assert data.extra == {"unanswerable": True, "doc_stride": 6, "max_answer_tokens": 30}
    assert len(data.train) > report.train_rows  # some contexts make several windows
    assert set(data.train.column_names) - {"token_type_ids"} == {
        "input_ids", "attention_mask", "start_positions", "end_positions", "length"}
    assert set(data.validation.column_names) == set(data.train.column_names)
    assert len(data.evaluation.questions) == report.validation_rows


def test_validation_questions_are_about_contexts_never_trained_on():
    import pandas as pd

    from pft_desktop.core.qa_data import split_by_context

    rows = qa_rows(30)
    frame = pd.DataFrame({"question": [f"q{i}" for i in range(60)],
                          "context": [rows[i // 2][1] for i in range(60)]})
    train, validation = split_by_context(frame, 0.2, seed=1)
    assert len(train) + len(validation) == 60 and 6 <= len(validation) <= 14
    assert not set(train["context"]) & set(validation["context"])


def test_separate_validation_file_with_other_columns(tmp_path, tiny_encoder):
    train = write_csv(tmp_path / "train.csv", ["question", "context", "answer", "start"],
                      qa_rows(40))
    validation = write_csv(tmp_path / "dev.csv", ["question", "passage", "answer"],
                           [row[:3] for row in qa_rows(12, seed=1)])
    data = prepared(tiny_encoder, train, validation_file=str(validation),
                    question_column="question", context_column="context",
                    answer_column="answer", answer_start_column="start").data
    report = data.report
    assert (report.rows_read, report.train_rows, report.validation_rows) == (52, 40, 12)
    assert "dev.csv has no column 'context'; using 'passage' instead." in report.notes
    assert "dev.csv has no column 'start'; its answers are found in their contexts." in \
        report.notes
    assert len(data.evaluation.questions) == 12


def test_answer_starts_found_moved_or_missing(tmp_path, tiny_encoder):
    rows = [(q, c, a, s) for q, c, a, s in qa_rows(40)]
    rows[3] = (rows[3][0], rows[3][1], rows[3][2], "")                   # found by searching
    rows[5] = (rows[5][0], rows[5][1], rows[5][2], int(rows[5][3]) + 1)  # off by one: moved
    rows[7] = (rows[7][0], rows[7][1], "purple", "")                     # not in the context
    path = write_csv(tmp_path / "qa.csv", ["question", "context", "answer", "start"], rows)
    report = prepared(tiny_encoder, path, question_column="question", context_column="context",
                      answer_column="answer", answer_start_column="start").data.report
    lines = "\n".join(report.lines())
    assert "1 answer had no start position and was found by searching" in lines
    assert "1 answer start did not point at the answer text and was moved" in lines
    assert report.dropped == {"answer not in its context (qa.csv)": 1}
    assert "1 answer is not in its context (first: row 9, answer 'purple')" in lines
    assert report.rows_kept == 39


def test_refusals_name_the_problem(tmp_path, tiny_encoder):
    wrong = write_csv(tmp_path / "wrong.csv", ["question", "context", "answer"],
                      [(q, c, "nowhere") for q, c, _, _ in qa_rows(30)])
    with pytest.raises(UserError) as caught:
        prepared(tiny_encoder, wrong, question_column="question", context_column="context",
                 answer_column="answer")
    assert caught.value.kind == "answer_not_in_context"
    assert "30 answers of 30 rows cannot be found in their context (first: row 2" in \
        caught.value.message and "'answer'" in caught.value.fix

    empty = write_csv(tmp_path / "empty.csv", ["question", "context", "answer"],
                      [(q, c, "") for q, c, _, _ in qa_rows(30)])
    with pytest.raises(UserError) as caught:
        prepared(tiny_encoder, empty, question_column="question", context_column="context",
                 answer_column="answer")
    assert caught.value.kind == "no_answers" and "is empty in every row" in caught.value.message
    unanswerable = [(q, c, "") for q, c, _, _ in qa_rows(30)]
    unanswerable[0] = (QUESTION, "the sky", "nowhere")
    path = write_csv(tmp_path / "none.csv", ["question", "context", "answer"], unanswerable)
    with pytest.raises(UserError) as caught:
        prepared(tiny_encoder, path, question_column="question", context_column="context",
                 answer_column="answer")
    assert caught.value.kind == "no_answers" and "has an empty answer" in caught.value.message

    long_question = [(" ".join(["what"] * 30), c, a, s) for _, c, a, s in qa_rows(10)]
    long = write_csv(tmp_path / "long.csv", ["question", "context", "answer", "start"],
                     long_question)
    with pytest.raises(UserError) as caught:
        prepared(tiny_encoder, long, question_column="question", context_column="context",
                 answer_column="answer")
    assert caught.value.kind == "window_too_small" and "task.doc_stride" in caught.value.fix

    config = qa_config(tiny_encoder, wrong)
    config.task.doc_stride = 20
    assert any("task.doc_stride (20) must be well below" in p for p in config.problems())
    config.data.train_file = str(squad_file(tmp_path / "s.json", qa_rows(4)))
    assert not any("question_column" in p for p in config.problems())  # SQuAD needs no names


@pytest.mark.parametrize("model", ["tiny_encoder", "minilm_path"])
def test_window_labels_point_at_the_answer(model, request):
    """Every window that holds the whole answer marks its tokens; the others mark CLS; every
    answerable question has at least one window with its answer."""
    import pandas as pd
    from transformers import AutoTokenizer

    from pft_desktop.core.tasks.question_answering import encode_windows

    tokenizer = AutoTokenizer.from_pretrained(request.getfixturevalue(model))
    rows = qa_rows(30, unanswerable_every=5)
    frame = pd.DataFrame({"question": [r[0] for r in rows], "context": [r[1] for r in rows],
                          "answer": [r[2] for r in rows],
                          "answer_start": [int(r[3]) if r[2] else -1 for r in rows]})
    windows = encode_windows(frame, tokenizer, 20, 4, keep_offsets=True)
    found = set()
    for window in windows:
        start, end = window["start_positions"], window["end_positions"]
        answer = frame["answer"][window["example"]]
        if start == window["cls_index"]:
            assert end == start
            continue
        assert tokenizer.decode(window["input_ids"][start:end + 1]) == answer
        assert window["offset_start"][start] == frame["answer_start"][window["example"]]
        found.add(window["example"])
    assert found == {i for i, r in enumerate(rows) if r[2]}
    assert len(windows) > len(rows) and max(windows["length"]) == 20


def test_questions_too_long_for_the_window_are_left_out(tmp_path, tiny_encoder):
    rows = qa_rows(30)
    rows[4] = (" ".join(["what"] * 30), *rows[4][1:])
    path = write_csv(tmp_path / "qa.csv", ["question", "context", "answer", "start"], rows)
    report = prepared(tiny_encoder, path, validation_split=0.0, question_column="question",
                      context_column="context", answer_column="answer",
                      answer_start_column="start").data.report
    assert report.dropped == {"training question too long for the window": 1}
    assert "1 training question leaves no room for the context in a window of 24 tokens " \
        "with an overlap of 6 (longest: 30 tokens" in "\n".join(report.warnings)
    assert "No validation data: exact match and F1 cannot be computed" in report.warnings[0]


# -- scores ---------------------------------------------------------------------------------------

def test_squad_normalisation_exact_match_and_f1():
    assert normalize_answer("The  Denver Broncos!") == "denver broncos"
    assert normalize_answer("an apple, a day") == "apple day"
    answers = [["Denver Broncos", "The Broncos"], ["blue"], []]
    scores = squad_scores({0: "the broncos", 1: "blue sky", 2: ""}, answers)
    assert scores["exact_match"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx((1 + 2 / 3 + 1) / 3)
    assert scores["has_answer_f1"] == pytest.approx((1 + 2 / 3) / 2)
    assert scores["no_answer_accuracy"] == 1.0
    assert squad_scores({0: "x"}, [[]])["no_answer_accuracy"] == 0.0
    assert "no_answer_accuracy" not in squad_scores({0: "blue"}, [["blue"]])


def test_answers_are_put_back_together_from_windows():
    from types import SimpleNamespace

    context = "aa bb cc dd ee"
    # Two windows of one question: [CLS] q [SEP] aa bb cc [SEP] and [CLS] q [SEP] cc dd ee [SEP]
    offsets = [np.array([[-1, -1], [-1, -1], [-1, -1], [0, 2], [3, 5], [6, 8], [-1, -1]]),
               np.array([[-1, -1], [-1, -1], [-1, -1], [6, 8], [9, 11], [12, 14], [-1, -1]])]
    windows = SimpleNamespace(offsets=offsets, example=np.array([0, 0]), cls=np.array([0, 0]))
    start = np.full((2, 7), -5.0)
    end = np.full((2, 7), -5.0)
    start[1, 4], end[1, 5] = 3.0, 2.0   # "dd ee" in the second window
    start[0, 3], end[0, 3] = 1.0, 1.0   # "aa", less likely
    end[0, 2] = 9.0                     # off the context: never chosen
    assert answers_from_logits(start, end, windows, [0, 1], [context], False) == {0: "dd ee"}
    start[:, 0], end[:, 0] = 4.0, 4.0   # both windows say "no answer" more strongly
    assert answers_from_logits(start, end, windows, [0, 1], [context], True) == {0: ""}
    assert answers_from_logits(start, end, windows, [0, 1], [context], False) == {0: "dd ee"}
    # Rows given in another order still belong to their windows.
    swapped = answers_from_logits(start[::-1], end[::-1], windows, [1, 0], [context], False)
    assert swapped == {0: "dd ee"}


def test_metrics_find_the_evaluation_order(tmp_path, tiny_encoder):
    """compute_metrics gets logits in the Trainer's order (shortest window first): the task
    matches them with its windows by their labels, and says so when nothing matches."""
    from transformers import EvalPrediction

    path = squad_file(tmp_path / "train.json", qa_rows(60, unanswerable_every=4))
    data = prepared(tiny_encoder, path).data
    task = get_task(TASK)
    task._evaluation = data.evaluation
    compute = task.compute_metrics()
    ev = data.evaluation
    order = sorted(range(len(ev.lengths)), key=ev.lengths.__getitem__)
    width = max(ev.lengths)
    start, end = np.full((len(order), width), -9.0), np.full((len(order), width), -9.0)
    for row, w in enumerate(order):  # perfect logits: the labels themselves
        start[row, ev.starts[w]] = end[row, ev.ends[w]] = 9.0
    labels = (ev.starts[order], ev.ends[order])
    perfect = compute(EvalPrediction(predictions=(start, end), label_ids=labels))
    assert perfect["exact_match"] == 1.0 and perfect["f1"] == 1.0
    assert perfect["no_answer_accuracy"] == 1.0
    noise = np.random.default_rng(0).normal(size=start.shape)
    guessed = compute(EvalPrediction(predictions=(noise, noise), label_ids=labels))
    assert guessed["f1"] < 0.7
    mixed = (labels[0][::-1], labels[1])
    unmatched = compute(EvalPrediction(predictions=(start, end), label_ids=mixed))
    assert math.isnan(unmatched["f1"])


# -- training, predicting, exporting -------------------------------------------------------------

@pytest.fixture(scope="module")
def full_run(tmp_path_factory, tiny_encoder):
    from pft_desktop.core.recipe import run_training

    root = tmp_path_factory.mktemp("qa-full")
    data = write_csv(root / "qa.csv", ["question", "context", "answer"],
                     [row[:3] for row in qa_rows(200)])
    config = qa_config(tiny_encoder, data, max_steps=24, eval_steps=12, eval_max_rows=30)
    config.data.question_column, config.data.context_column = "question", "context"
    config.data.answer_column = "answer"
    outcome = run_training(config, root / "run")
    assert outcome.status == "finished", outcome
    return root / "run"


def test_full_training_learns_to_find_answers(full_run):
    from pft_desktop.core import events
    from pft_desktop.core.rundir import RunFolder

    folder = RunFolder(full_run)
    evals = [e for e in events.read_events(folder.path) if e["type"] == "eval"]
    during = [e for e in evals if not e["final"]]
    assert len(during) == 2 and all(math.isfinite(e["eval_f1"]) for e in during)  # a sample
    metrics = folder.metrics()
    assert metrics["eval_exact_match"] >= 0.8 and metrics["eval_f1"] >= 0.8
    assert "eval_no_answer_accuracy" not in metrics  # no unanswerable questions
    assert metrics["examples"][0]["question"] == QUESTION
    assert metrics["examples"][0]["predicted"] in COLORS
    assert get_task(TASK).headline(metrics).startswith("Exact match ")
    info = json.loads((folder.model_dir / "pft_run.json").read_text())
    assert info["unanswerable"] is False and info["doc_stride"] == 6


def test_predict_answers_from_any_window(full_run):
    from pft_desktop.core.predict import Predictor

    predictor = Predictor(full_run)
    assert [field.key for field in predictor.inputs()] == ["question", "context"]
    assert predictor.inputs()[1].multiline
    context = " ".join(["the film was a movie and the plot was fun"] * 4) + " green end"
    result = predictor({"question": QUESTION, "context": context})
    assert result["answer"] == "green" and context[result["start"]:result["end"]] == "green"
    assert 0 < result["score"] <= 1 and result["context"] == context
    assert predictor.spec.describe(result, {}) == f"green\t{result['score']:.3f}"
    assert "error" in predictor(QUESTION)  # the context is missing


def test_merged_export_loads_with_plain_transformers(full_run, tmp_path, monkeypatch):
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer

    from pft_desktop.core.export import export_run
    from pft_desktop.core.predict import Predictor

    out = export_run(full_run, tmp_path / "merged", "merged")
    model = AutoModelForQuestionAnswering.from_pretrained(out).eval()
    tokenizer = AutoTokenizer.from_pretrained(out)
    predictor = Predictor(full_run)
    batch = tokenizer(QUESTION, "the sky was red today", return_tensors="pt")
    with torch.no_grad():
        got, expected = model(**batch), predictor.model(**batch)
    assert torch.allclose(got.start_logits, expected.start_logits, atol=1e-5)
    assert torch.allclose(got.end_logits, expected.end_logits, atol=1e-5)
    card = (out / "README.md").read_text()
    assert "pipeline_tag: question-answering" in card and "eval_exact_match" in card
    snippet = card.split("```python\n")[1].split("```")[0]
    monkeypatch.chdir(out)
    exec(snippet, {})  # the card's code runs as written


@pytest.fixture(scope="module")
def lora_run(tmp_path_factory, tiny_encoder):
    from pft_desktop.core.recipe import run_training

    root = tmp_path_factory.mktemp("qa-lora")
    data = squad_file(root / "train.json", qa_rows(60, unanswerable_every=4))
    config = qa_config(tiny_encoder, data, max_steps=6, learning_rate=5e-3)
    config.method.kind = "lora"
    outcome = run_training(config, root / "run")
    assert outcome.status == "finished", outcome
    return root / "run"


def test_lora_adapter_saves_the_head_and_exports(lora_run, tmp_path, tiny_encoder):
    from peft import AutoPeftModelForQuestionAnswering
    from transformers import AutoTokenizer

    from pft_desktop.core.export import export_run
    from pft_desktop.core.predict import Predictor
    from pft_desktop.core.rundir import RunFolder

    metrics = RunFolder(lora_run).metrics()
    for key in ("eval_exact_match", "eval_f1", "eval_has_answer_f1", "eval_no_answer_accuracy"):
        assert 0.0 <= metrics[key] <= 1.0, key
    out = export_run(lora_run, tmp_path / "adapter", "adapter")
    adapter = json.loads((out / "adapter_config.json").read_text())
    assert adapter["task_type"] == "QUESTION_ANS" and adapter["modules_to_save"] == ["qa_outputs"]
    assert adapter["base_model_name_or_path"] == str(tiny_encoder)
    model = AutoPeftModelForQuestionAnswering.from_pretrained(out).eval()
    tokenizer = AutoTokenizer.from_pretrained(out)
    batch = tokenizer(QUESTION, "the sky was red today", return_tensors="pt")
    with torch.no_grad():
        got, expected = model(**batch), Predictor(lora_run).model(**batch)
    assert torch.allclose(got.start_logits, expected.start_logits, atol=1e-5)
    result = Predictor(out)({"question": QUESTION, "context": "the sky was red today"})
    assert set(result) == {"answer", "score", "start", "end", "context"}
    assert get_task(TASK).describe({**result, "answer": ""}, {}).startswith("(no answer)\t")
    card = (out / "README.md").read_text()
    assert "AutoPeftModelForQuestionAnswering" in card and "no answer in the context" in card


def test_command_line_run_with_guessed_columns(tmp_path, tiny_encoder, capsys):
    from pft_desktop.cli import main

    data = write_csv(tmp_path / "qa.csv", ["asked", "reading", "reply"],
                     [row[:3] for row in qa_rows(40)])
    root = tmp_path / "runs"
    assert main(["train", "--task", TASK, "--data", str(data), "--model", str(tiny_encoder),
                 "--method", "full", "--max-steps", "3", "--batch-size", "8",
                 "--max-length", "24", "--doc-stride", "6", "--runs-root", str(root)]) == 0
    err = capsys.readouterr().err
    for guessed in ("'asked' as question", "'reading' as context", "'reply' as answer"):
        assert f"Using column {guessed}" in err
    assert "Run finished" in err and "exact_match" in err
    (run,) = [p for p in root.iterdir() if p.is_dir()]
    assert main(["predict", str(run), QUESTION, "--input", "context=the sky is blue",
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["context"] == "the sky is blue" and "answer" in result


def test_probe_is_two_rows_of_probabilities(full_run):
    from pft_desktop.core.predict import Predictor

    predictor = Predictor(full_run)
    rows = predictor.spec.probe(predictor.model, predictor.tokenizer, predictor.info)
    assert len(rows) == 2 and all(sum(row) == pytest.approx(1.0, abs=1e-5) for row in rows)
    assert rows == predictor.spec.probe(predictor.model, predictor.tokenizer, predictor.info)


def test_task_declarations():
    task = get_task(TASK)
    assert task.fits(["AutoModelForQuestionAnswering"]) and not task.fits(
        ["AutoModelForSequenceClassification"])
    assert task.claims({"architectures": ["BertForQuestionAnswering"]})
    assert not task.claims({"architectures": ["BertForSequenceClassification"]})
    assert task.card_pipeline_tag({}) == "question-answering"
    assert task.settings == ("max_length", "doc_stride")
    assert [role.field for role in task.roles if role.required] == [
        "question_column", "context_column", "answer_column"]


def test_a_model_whose_backbone_transformers_leaves_behind_is_refused(tiny_decoder):
    """transformers' LlamaForQuestionAnswering expects its layers under 'transformer.' while
    Llama checkpoints have them under 'model.': every weight would start random."""
    with pytest.raises(UserError) as caught:
        get_task(TASK).load_model(str(tiny_decoder), None, output_loading_info=True)
    assert caught.value.kind == "backbone_not_loaded"
    assert "LlamaForQuestionAnswering without the pretrained weights" in caught.value.message
