"""Named entities: CoNLL, token/tag lists and character spans read into IOB2 sentences, tag
schemes converted, the data report, entity-level scores as seqeval's default mode counts them,
training (full and LoRA) on a tiny BERT, predict, exports that plain transformers and peft
load, and a command-line run with no column flags."""

import json
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers import FILLER, fails_cleanly, write_csv
from pft_desktop.core import token_data as td
from pft_desktop.core.config import RunConfig
from pft_desktop.core.data import load_table
from pft_desktop.core.errors import UserError
from pft_desktop.core.tasks import get_task

TASK = "token-classification"
PEOPLE = [["anna", "smith"], ["bob"], ["hello", "world"], ["carla", "jones", "lee"]]
PLACES = [["sky"], ["green", "end"], ["paris"]]


def ner_sentences(n: int, seed: int = 0) -> list[tuple[list, list]]:
    """Short sentences with a person (often words the tiny vocabulary splits into letters)
    and sometimes a place, tagged IOB2."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        tokens = rng.sample(FILLER[:20], rng.randint(3, 7))
        tags = ["O"] * len(tokens)
        for kind, names in (("PER", PEOPLE), ("LOC", PLACES)):
            if kind == "LOC" and rng.random() < 0.4:
                continue
            name = rng.choice(names)
            at = rng.choice([i for i in range(len(tokens) + 1)
                             if i == len(tokens) or not tags[i].startswith("I-")])
            tokens[at:at] = name
            tags[at:at] = [f"B-{kind}"] + [f"I-{kind}"] * (len(name) - 1)
        out.append((tokens, tags))
    return out


def write_conll(path: Path, sentences, docstart: bool = True) -> Path:
    lines = ["-DOCSTART- -X- -X- O", ""] if docstart else []
    for tokens, tags in sentences:
        lines += [f"{token} NN I-NP {tag}" for token, tag in zip(tokens, tags)] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def config_for(model, data, **training) -> RunConfig:
    config = RunConfig()
    config.task.kind = TASK
    config.model.name_or_path, config.data.train_file = str(model), str(data)
    config.data.validation_split = 0.2
    config.task.max_length = 32
    config.method.kind = "full"
    config.training.batch_size, config.training.learning_rate = 8, 5e-3
    for key, value in training.items():
        setattr(config.training, key, value)
    return config


def read(config):
    """What the recipe gets from the task before training: (PreparedData, tokenizer)."""
    task = get_task(TASK)
    return task.read_data(config, SimpleNamespace(path=config.model.name_or_path)), task


# -- entity scores: conlleval's chunks, seqeval's default mode -------------------------------

@pytest.mark.parametrize("tags, expected", [
    (["B-PER", "I-PER", "O", "B-LOC"], [("PER", 0, 1), ("LOC", 3, 3)]),
    (["I-PER", "I-PER", "O"], [("PER", 0, 1)]),                 # I- may begin an entity
    (["B-PER", "I-LOC"], [("PER", 0, 0), ("LOC", 1, 1)]),       # a type change begins one
    (["O", "I-PER", "B-PER", "I-PER"], [("PER", 1, 1), ("PER", 2, 3)]),
    (["B-PER", "B-PER"], [("PER", 0, 0), ("PER", 1, 1)]),
    (["B-LOC", "I-LOC", "I-PER", "I-PER"], [("LOC", 0, 1), ("PER", 2, 3)]),
    (["S-PER", "B-LOC", "E-LOC", "O"], [("PER", 0, 0), ("LOC", 1, 2)]),   # BIOES as is
    (["B-MISC-X", "I-MISC-X"], [("MISC-X", 0, 1)]),             # a hyphen inside the type
    (["O", "O"], []),
])
def test_entities_are_conlleval_chunks(tags, expected):
    assert td.entities(tags) == expected


def test_entity_scores_by_hand():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    guess = [["B-PER", "I-PER", "O", "B-ORG"], ["B-ORG", "O"]]
    scores = td.entity_scores(gold, guess)
    # gold PER, LOC, ORG; predicted PER, ORG (wrong type where LOC is), ORG: 2 of 3 right
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(2 / 3)
    assert scores["accuracy"] == pytest.approx(5 / 6)
    assert scores["per_class"] == {
        "LOC": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1},
        "ORG": {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1},
        "PER": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}}


@pytest.mark.parametrize("gold, guess, f1", [
    ([["B-PER", "I-PER"]], [["B-PER", "O"]], 0.0),             # a boundary off: both wrong
    ([["B-PER", "I-PER"]], [["B-PER", "I-LOC"]], 0.0),         # a type change splits it
    ([["O", "B-PER"]], [["O", "I-PER"]], 1.0),                 # I- after O begins an entity
    ([["B-PER", "I-PER"]], [["I-PER", "I-PER"]], 1.0),
    ([["B-PER"]], [["O"]], 0.0),                               # nothing predicted
    ([["B-PER", "O"], ["B-LOC"]], [["B-PER", "O"], ["O"]], 2 / 3),
])
def test_entity_f1_edge_cases(gold, guess, f1):
    assert td.entity_scores(gold, guess)["f1"] == pytest.approx(f1)


def test_entity_scores_match_seqeval_on_random_tags():
    """Pinned values: seqeval 1.2.2's precision/recall/f1_score, accuracy_score and
    classification_report (default mode) on these 50 random sentences."""
    rng = random.Random(11)
    tagset = ["O", "O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
    gold = [[rng.choice(tagset) for _ in range(rng.randint(1, 12))] for _ in range(50)]
    guess = [[rng.choice(tagset) for _ in g] for g in gold]
    scores = td.entity_scores(gold, guess)
    assert (scores["precision"], scores["recall"], scores["f1"], scores["accuracy"]) == \
        pytest.approx(SEQEVAL_RANDOM["overall"], abs=1e-9)
    for kind, (precision, recall, f1, support) in SEQEVAL_RANDOM["per_class"].items():
        row = scores["per_class"][kind]
        assert (row["precision"], row["recall"], row["f1"]) == pytest.approx(
            (precision, recall, f1), abs=5e-5)
        assert row["support"] == support


SEQEVAL_RANDOM = {
    "overall": (0.18468468468468469, 0.20098039215686275, 0.19248826291079815,
                0.1876750700280112),
    "per_class": {"LOC": (0.106667, 0.142857, 0.122137, 56),
                  "ORG": (0.171053, 0.178082, 0.174497, 73),
                  "PER": (0.28169, 0.266667, 0.273973, 75)}}


# -- tag schemes -----------------------------------------------------------------------------

@pytest.mark.parametrize("tags, scheme, iob2, repaired", [
    (["I-PER", "I-PER", "B-PER", "O", "I-LOC"], "IOB1",
     ["B-PER", "I-PER", "B-PER", "O", "B-LOC"], 0),
    (["B-PER", "O", "I-LOC", "I-LOC"], "IOB2", ["B-PER", "O", "B-LOC", "I-LOC"], 1),
    (["S-PER", "O", "B-LOC", "I-LOC", "E-LOC"], "BIOES",
     ["B-PER", "O", "B-LOC", "I-LOC", "I-LOC"], 0),
    (["U-PER", "B-LOC", "L-LOC", "U-LOC"], "BILOU", ["B-PER", "B-LOC", "I-LOC", "B-LOC"], 0),
    (["PER", "PER", "O", "LOC"], "IO", ["B-PER", "I-PER", "O", "B-LOC"], 0),
])
def test_schemes_are_detected_and_converted_to_iob2(tags, scheme, iob2, repaired):
    assert td.detect_scheme([tags]) == scheme
    assert td.to_iob2(tags, scheme) == (iob2, repaired)


def test_bioes_entity_ending_then_continuing_is_repaired():
    assert td.to_iob2(["B-PER", "E-PER", "I-PER"], "BIOES") == (["B-PER", "I-PER", "B-PER"], 1)


# -- reading ---------------------------------------------------------------------------------

def test_conll_file_is_read_without_columns(tmp_path):
    path = tmp_path / "train.txt"
    path.write_text("-DOCSTART- -X- -X- O\n\nEU\tNNP\tB-ORG\nrejects\tVBZ\tO\nGerman\tJJ\t"
                    "B-MISC\n\nPeter NNP B-PER\nBlackburn NNP I-PER\n\nbroken\n"
                    "line O\n\n\n", encoding="utf-8")
    assert td.is_conll_file(path)
    found = td.read_conll(path)
    assert found.tokens == [["EU", "rejects", "German"], ["Peter", "Blackburn"]]
    assert found.tags == [["B-ORG", "O", "B-MISC"], ["B-PER", "I-PER"]]
    assert found.rows_read == 3 and found.dropped == {"a line without a tag": 1}
    assert "(line 10: 'broken'); its sentence was left out" in found.warnings[0]


def test_conll_shape_tells_conll_from_other_text(tmp_path):
    plain = tmp_path / "notes.txt"
    plain.write_text("A plain text file.\nWith sentences, one per line.\n")
    table = tmp_path / "reviews.tsv"
    table.write_text("review\tsentiment\ngood film\tpositive\nbad plot\tnegative\n")
    tagged = tmp_path / "data.iob"
    tagged.write_text("not really\n")
    assert not td.is_conll_file(plain) and not td.is_conll_file(table)
    assert td.is_conll_file(tagged)  # by its name; reading it says what is wrong
    with pytest.raises(UserError, match="No sentence with tags"):
        td.read_conll(tagged)


def test_tag_first_lines_are_named(tmp_path):
    path = tmp_path / "d.conll"
    path.write_text("B-ORG EU\nO rejects\n\nB-PER Peter\n")
    with pytest.raises(UserError, match="its lines put the tag first") as caught:
        td.read_conll(path)
    assert "tag last" in caught.value.fix


def test_a_table_of_space_separated_tokens_and_tags_is_a_table(tmp_path):
    path = write_csv(tmp_path / "d.tsv", ["sentence", "labels"],
                     [(" ".join(t), " ".join(g)) for t, g in ner_sentences(10)], delimiter="\t")
    assert not td.is_conll_file(path)
    guess = get_task(TASK).guess(load_table(path))
    assert (guess["tokens_column"], guess["tags_column"]) == ("sentence", "labels")


def test_header_line_is_skipped(tmp_path):
    path = tmp_path / "words.tsv"
    path.write_text("word\ttag\nEU\tB-ORG\ncalls\tO\n\nBonn\tB-LOC\n")
    found = td.read_conll(path)
    assert found.tokens == [["EU", "calls"], ["Bonn"]]
    assert any("header" in note for note in found.notes)


def test_lists_arrive_as_json_python_or_spaces():
    assert td.parse_list('["EU", "rejects"]') == ["EU", "rejects"]
    assert td.parse_list("['EU', 'rejects']") == ["EU", "rejects"]
    assert td.parse_list("B-ORG O") == ["B-ORG", "O"]
    assert td.parse_list("[broken") is None


def test_spans_become_word_tags():
    text = "Angela Merkel visited Paris, then Lyon."
    spans = '[[0, 13, "PER"], {"start": 22, "end": 27, "label": "LOC"}, [35, 37, "LOC"], ' \
            '[5, 20, "X"], [40, 60, "LOC"]]'
    found = td.sentences_from_spans("d.csv", [text, "", text], [spans, "[]", "not json"],
                                    "entities")
    assert found.tokens == [["Angela", "Merkel", "visited", "Paris", ",", "then", "Lyon", "."]]
    assert found.tags == [["B-PER", "I-PER", "O", "B-LOC", "O", "O", "B-LOC", "O"]]
    assert found.dropped == {"empty text": 1, "'entities' is not a list of spans": 1}
    said = " ".join(found.warnings)
    for needle in ("row 3", "widened to whole words", "overlap", "fall outside"):
        assert needle in said


# -- columns, guessing and the report --------------------------------------------------------

def test_guess_tokens_and_tags_from_jsonl(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "words": t, "ner": g})
                              for i, (t, g) in enumerate(ner_sentences(30))))
    guess = get_task(TASK).guess(load_table(path))
    assert guess == {"tokens_column": "words", "tags_column": "ner", "text_column": "",
                     "spans_column": ""}


def test_guess_text_and_spans_from_csv(tmp_path):
    rows = [("Anna met Bob.", '[[0, 4, "PER"], [9, 12, "PER"]]', "x"),
            ("Paris is big.", '[{"start": 0, "end": 5, "label": "LOC"}]', "y")] * 10
    path = write_csv(tmp_path / "d.csv", ["sentence", "annotations", "source"], rows)
    guess = get_task(TASK).guess(load_table(path))
    assert guess["text_column"] == "sentence" and guess["spans_column"] == "annotations"


def test_conll_preview_and_guess(tmp_path):
    path = write_conll(tmp_path / "train.conll", ner_sentences(5))
    task = get_task(TASK)
    table = task.preview(str(path), RunConfig().data)
    assert table.columns == ["tokens", "tags"] and len(table) == 5
    assert task.guess(table)["tags_column"] == "tags"
    assert task.problems(config_for("m", path)) == []


def test_sentiment_table_guesses_nothing(tmp_path):
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"],
                     [("good film", "positive"), ("bad plot", "negative")] * 5)
    assert not any(get_task(TASK).guess(load_table(path)).values())


def test_problems_name_the_missing_partner():
    config = RunConfig()
    config.task.kind = TASK
    config.data.tokens_column = "words"
    assert "tags_column" in " ".join(get_task(TASK).problems(config))
    config.data.tags_column, config.data.spans_column = "tags", "spans"
    assert "text_column" in " ".join(get_task(TASK).problems(config))


def test_report_of_an_iob1_conll_file(tmp_path, tiny_encoder):
    sentences = ner_sentences(40)
    # IOB1: entities begin with I-; one over-long sentence; one broken IOB1 sequence is fine
    iob1 = [(t, [g.replace("B-", "I-") for g in tags]) for t, tags in sentences]
    iob1.append((["paris"] * 40, ["I-LOC"] * 20 + ["O"] * 10 + ["I-PER"] * 10))
    path = write_conll(tmp_path / "train.conll", iob1)
    config = config_for(tiny_encoder, path)
    (data, tokenizer), task = read(config)
    report = data.report
    assert report.rows_read == 41 and report.train_rows + report.validation_rows == 41
    # entities of the training sentences, not tokens: each sentence has one person
    assert list(report.label_counts) == ["PER", "LOC"]
    assert report.label_counts["PER"] == report.train_rows
    assert data.label_names == ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]
    assert data.extra == {"tag_scheme": "IOB1", "entity_types": ["LOC", "PER"]}
    said = " ".join(report.notes + report.warnings)
    assert "IOB1" in said and "converted to IOB2" in said
    assert "1 sentence is longer than the maximum length (32 tokens" in said
    assert "losing 2 entities past the cut" in said  # both are cut off or cut short
    assert report.token_lengths["max"] > 32
    # labels: the first sub-word token of each word, -100 for the rest and specials
    row = data.train[0] if len(data.train[0]["labels"]) < 32 else data.train[1]
    words = tokenizer.convert_ids_to_tokens(row["input_ids"])
    labelled = [w for w, label in zip(words, row["labels"]) if label != -100]
    assert not any(w.startswith("##") or w in ("[CLS]", "[SEP]") for w in labelled)
    assert set(data.train.column_names) - {"token_type_ids"} == {"input_ids", "attention_mask",
                                                                "labels", "length"}


def test_invalid_iob2_sequences_are_counted(tmp_path, tiny_encoder):
    sentences = ner_sentences(20)
    sentences[3] = (["the", "sky", "is"], ["O", "I-LOC", "O"])
    (data, _), _ = read(config_for(tiny_encoder, write_conll(tmp_path / "t.conll", sentences)))
    said = " ".join(data.report.warnings)
    assert "1 tag in t.conll breaks the IOB2 scheme" in said and "sentence 4: O I-LOC O" in said


def test_jsonl_and_spans_tables_are_read(tmp_path, tiny_encoder):
    sentences = ner_sentences(30)
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text("\n".join(json.dumps({"tokens": t, "tags": g}) for t, g in sentences))
    config = config_for(tiny_encoder, jsonl)
    config.data.tokens_column, config.data.tags_column = "tokens", "tags"
    (data, _), _ = read(config)
    assert data.report.label_counts["PER"] == data.report.train_rows == 24
    rows = []
    for tokens, tags in sentences:
        text, spans, at = "", [], 0
        for kind, a, b in td.entities(tags):
            words = " ".join(tokens[a:b + 1])
            before = " ".join(tokens[at:a])
            text += (before + " " if before else "")
            spans.append([len(text), len(text) + len(words), kind])
            text += words + " "
            at = b + 1
        rows.append((text + " ".join(tokens[at:]), json.dumps(spans)))
    csv = write_csv(tmp_path / "spans.csv", ["text", "entities"], rows)
    config = config_for(tiny_encoder, csv)
    (spans_data, _), _ = read(config)  # guessed: no columns named
    assert spans_data.report.label_counts == data.report.label_counts
    assert any("Using columns 'text' as text and 'entities' as spans" in n
               for n in spans_data.report.notes)


@pytest.mark.parametrize("content, kind", [
    ({"tokens": ["EU", "calls"], "ner_tags": [3, 0]}, "numeric_tags"),
    ({"tokens": ["EU", "calls"], "tags": ["O", "O"]}, "no_entities"),
])
def test_refusals(tmp_path, tiny_encoder, content, kind):
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(content) for _ in range(10)))
    with pytest.raises(UserError) as caught:
        read(config_for(tiny_encoder, path))
    assert caught.value.kind == kind and caught.value.fix


def test_no_usable_columns_is_refused(tmp_path, tiny_encoder):
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"],
                     [("good film", "positive"), ("bad plot", "negative")] * 5)
    with pytest.raises(UserError, match="no columns that look like tokens and tags") as caught:
        read(config_for(tiny_encoder, path))
    assert "--tokens-column" in caught.value.fix and "CoNLL" in caught.value.fix


def test_a_slow_tokenizer_is_refused(monkeypatch, tiny_encoder, tmp_path):
    from pft_desktop.core.tasks import token_classification

    monkeypatch.setattr(token_classification, "load_tokenizer",
                        lambda path, trust=False: SimpleNamespace(is_fast=False))
    path = write_conll(tmp_path / "t.conll", ner_sentences(5))
    with pytest.raises(UserError, match="fast") as caught:
        read(config_for(tiny_encoder, path))
    assert caught.value.kind == "slow_tokenizer" and "tokenizer.json" in caught.value.fix


def test_byte_level_bpe_gets_a_space_before_each_word(tiny_decoder):
    from pft_desktop.core.tasks.token_classification import word_tokenizer

    tokenizer = word_tokenizer(str(tiny_decoder))
    words = ["the", "film", "was"]
    assert tokenizer(words, is_split_into_words=True, add_special_tokens=False)["input_ids"] \
        == tokenizer(" the film was", add_special_tokens=False)["input_ids"]
    assert tokenizer.pad_token is not None


# -- training, predict, export and the command line ------------------------------------------

@pytest.fixture(scope="module")
def conll_file(tmp_path_factory) -> Path:
    return write_conll(tmp_path_factory.mktemp("ner-data") / "train.conll", ner_sentences(120))


def _train(root: Path, model, data, method: str, steps: int) -> Path:
    from pft_desktop.core.recipe import run_training

    config = config_for(model, data, max_steps=steps)
    config.method.kind = method
    outcome = run_training(config, root / "run")
    assert outcome.status == "finished", outcome
    return root / "run"


@pytest.fixture(scope="module")
def full_run(tmp_path_factory, tiny_encoder, conll_file) -> Path:
    return _train(tmp_path_factory.mktemp("ner-full"), tiny_encoder, conll_file, "full", 36)


@pytest.fixture(scope="module")
def lora_run(tmp_path_factory, tiny_encoder, conll_file) -> Path:
    return _train(tmp_path_factory.mktemp("ner-lora"), tiny_encoder, conll_file, "lora", 12)


def test_full_training_learns_the_entities(full_run):
    metrics = json.loads((full_run / "metrics.json").read_text())
    assert metrics["eval_f1"] > 0.5, metrics
    for key in ("eval_precision", "eval_recall", "eval_accuracy"):
        assert 0 <= metrics[key] <= 1
    assert set(metrics["per_class"]) == {"LOC", "PER"}
    assert metrics["per_class"]["PER"]["support"] == 24  # one person per validation sentence
    assert get_task(TASK).headline(metrics).startswith("Entity F1 ")
    info = json.loads((full_run / "model" / "pft_run.json").read_text())
    assert info["label_names"] == ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]
    assert info["tag_scheme"] == "IOB2"


def test_predict_marks_entities_in_the_text(full_run):
    import re

    from pft_desktop.core.predict import Predictor

    predictor = Predictor(full_run)
    assert [f.key for f in predictor.inputs()] == ["text"]
    text = "the film anna smith was in paris, so green end!"
    result = predictor(text)
    assert result["text"] == text and result["entities"]
    for entity in result["entities"]:
        assert set(entity) == {"start", "end", "label", "score", "text"}
        assert entity["text"] == text[entity["start"]:entity["end"]]
        assert entity["label"] in ("PER", "LOC") and 0 < entity["score"] <= 1
    lines = predictor.spec.describe(result, {"text": text}).splitlines()
    assert all(re.fullmatch(r"(PER|LOC): .+\t\d\.\d{3}", line) for line in lines)
    assert predictor("   ")["entities"] == []
    assert predictor.spec.describe({"text": "x", "entities": []}, {}) == "(no entities found)"


def test_lora_exports_load_with_plain_transformers_and_peft(tmp_path, lora_run, monkeypatch):
    import torch
    from peft import AutoPeftModelForTokenClassification
    from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

    from pft_desktop.core.export import export_run
    from pft_desktop.core.predict import Predictor

    text = "anna smith saw the sky in paris"
    run = Predictor(lora_run)
    batch = run.tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        expected = run.model(**batch).logits.softmax(-1)
    merged = export_run(lora_run, tmp_path / "merged", "merged")  # verified in a fresh process
    model = AutoModelForTokenClassification.from_pretrained(merged).eval()
    tokenizer = AutoTokenizer.from_pretrained(merged)
    with torch.no_grad():
        plain = model(**tokenizer(text, return_tensors="pt")).logits.softmax(-1)
    assert torch.allclose(plain, expected, atol=1e-5)
    assert model.config.id2label[3] == "B-PER"
    found = pipeline("token-classification", model=str(merged),
                     aggregation_strategy="simple")(text)
    assert isinstance(found, list) and all("entity_group" in e for e in found)
    card = (merged / "README.md").read_text()
    assert "token-classification" in card and 'aggregation_strategy="simple"' in card

    adapter = export_run(lora_run, tmp_path / "adapter", "adapter")
    labels = run.info["label_names"]
    model = AutoPeftModelForTokenClassification.from_pretrained(
        adapter, num_labels=len(labels), id2label=dict(enumerate(labels))).eval()
    with torch.no_grad():
        plain = model(**tokenizer(text, return_tensors="pt")).logits.softmax(-1)
    assert torch.allclose(plain, expected, atol=1e-5)
    assert "AutoPeftModelForTokenClassification" in (adapter / "README.md").read_text()
    for folder, kind in ((merged, "merged"), (adapter, "adapter")):  # the card's snippets run
        monkeypatch.chdir(folder)
        scope = {}
        exec(get_task(TASK).loading_snippet(kind, run.info), scope)
        assert isinstance(scope["ner"]("anna smith saw paris"), list)


def test_command_line_trains_a_conll_file_without_column_flags(tmp_path, tiny_encoder,
                                                               conll_file, capsys):
    from pft_desktop.cli import main

    root = tmp_path / "runs"
    assert main(["train", "--task", TASK, "--data", str(conll_file), "--model",
                 str(tiny_encoder), "--method", "full", "--max-steps", "3", "--max-length",
                 "32", "--runs-root", str(root)]) == 0
    err = capsys.readouterr().err
    assert "CoNLL-style" in err and "Run finished" in err
    run = next(path.parent.parent for path in root.rglob("model/pft_run.json"))
    assert main(["predict", str(run), "anna smith saw paris"]) == 0


def test_command_line_names_a_bad_table(tmp_path, tiny_encoder, capsys):
    data = write_csv(tmp_path / "d.csv", ["review", "sentiment"],
                     [("good film", "positive"), ("bad plot", "negative")] * 5)
    fails_cleanly(capsys, ["train", "--task", TASK, "--data", str(data), "--model",
                           str(tiny_encoder), "--output", str(tmp_path / "run")],
                  "no columns that look like tokens and tags", "--tokens-column")
    assert not (tmp_path / "run").exists()
