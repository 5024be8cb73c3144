"""Sequence to sequence on tiny T5 and BART models built here (random weights, tokenizers made
at test time): column guessing, the data report and refusals, training with the real Trainer
(full and LoRA), ROUGE/BLEU, predict, export (verified in a fresh process) and reload with plain
transformers/peft, and a command-line run with guessed columns."""

import json
import os

import pytest
import torch

from helpers import FILLER, NEGATIVE, POSITIVE, sentiment_rows, write_csv
from task_models import build_tiny_t5, summary_rows
from pft_desktop.core.config import RunConfig
from pft_desktop.core.data import load_table
from pft_desktop.core.errors import UserError
from pft_desktop.core.tasks import get_task


# -- tiny models -------------------------------------------------------------------------------
def build_tiny_bart(folder):
    """Byte-level BPE with BART's specials (<s> 0, <pad> 1, </s> 2, <unk> 3): <s> text </s>."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import (BartConfig, BartForConditionalGeneration,
                              PreTrainedTokenizerFast, set_seed)

    set_seed(0)
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator([" ".join(POSITIVE + NEGATIVE + FILLER)] * 3 +
                            [s for s, _ in sentiment_rows(200)], trainer)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>",
                                        pad_token="<pad>", unk_token="<unk>",
                                        model_max_length=512)
    tokenizer.save_pretrained(folder)
    config = BartConfig(vocab_size=len(tokenizer), d_model=32, encoder_layers=2,
                        decoder_layers=2, encoder_attention_heads=4, decoder_attention_heads=4,
                        encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=128,
                        pad_token_id=1, bos_token_id=0, eos_token_id=2,
                        decoder_start_token_id=2, forced_eos_token_id=2)
    BartForConditionalGeneration(config).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_t5(tmp_path_factory):
    return build_tiny_t5(tmp_path_factory.mktemp("tiny-t5"))


@pytest.fixture(scope="module")
def tiny_bart(tmp_path_factory):
    return build_tiny_bart(tmp_path_factory.mktemp("tiny-bart"))


def seq2seq_config(model, data, method="full", **training):
    config = RunConfig()
    config.task.kind = "seq2seq"
    config.model.name_or_path = str(model)
    config.data.train_file = str(data)
    config.data.source_column, config.data.target_column = "article", "summary"
    config.data.validation_split = 0.2
    config.task.max_length, config.task.max_target_length = 32, 8
    config.method.kind = method
    config.training.epochs = 1
    config.training.batch_size = 8
    config.training.learning_rate = 5e-3
    for key, value in training.items():
        setattr(config.training, key, value)
    return config


def _prepare(tmp_path, model, header, rows, **task):
    from transformers import AutoTokenizer

    data = write_csv(tmp_path / "d.csv", header, rows)
    config = seq2seq_config(model, data)
    config.data.source_column, config.data.target_column = header[:2]
    for key, value in task.items():
        setattr(config.task, key, value)
    spec = get_task("seq2seq")
    spec.model_type = "t5"
    return spec, spec.prepare(config, load_table(data), None,
                              AutoTokenizer.from_pretrained(model))


# -- columns -----------------------------------------------------------------------------------
@pytest.mark.parametrize("header, expected", [
    (["id", "article", "highlights"], ("article", "highlights")),
    (["document", "summary"], ("document", "summary")),
    (["text", "summary"], ("text", "summary")),
    (["input", "output"], ("input", "output")),
    (["src", "tgt"], ("src", "tgt")),
    (["source_lang", "source_text", "target_text"], ("source_text", "target_text")),
    (["id", "en", "de"], ("en", "de")),
    (["translation.fr", "translation.en"], ("translation.fr", "translation.en")),
    (["number", "long", "short"], ("long", "short")),
])
def test_columns_are_guessed_by_name_language_code_and_length(tmp_path, header, expected):
    rows = [[str(i)] * (len(header) - 2) + [f"a long source text number {i} " * 3, f"short {i}"]
            for i in range(30)]
    if header[0] == "source_lang":
        rows = [["en", f"a long source text {i} " * 3, f"short {i}"] for i in range(30)]
    guess = get_task("seq2seq").guess(load_table(write_csv(tmp_path / "d.csv", header, rows)))
    assert (guess["source_column"], guess["target_column"]) == expected


def test_model_filter_refuses_models_without_an_encoder_decoder(tiny_encoder, tiny_decoder,
                                                                tiny_t5):
    from pft_desktop.core.models import inspect_model

    spec = get_task("seq2seq")
    bert = inspect_model(tiny_encoder)
    assert "seq2seq" not in bert.tasks
    with pytest.raises(UserError) as refused:
        spec.check_model(bert)
    assert "has no decoder: seq2seq needs an encoder-decoder model (T5, BART, Marian)" in \
        refused.value.message
    assert "T5" in refused.value.fix and "causal language model" in refused.value.fix
    with pytest.raises(UserError, match="decoder only"):
        spec.check_model(inspect_model(tiny_decoder))
    t5 = inspect_model(tiny_t5)
    assert "seq2seq" in t5.tasks
    spec.check_model(t5)
    assert spec.model_type == "t5"


def test_freeze_is_not_offered(tiny_t5, tmp_path):
    config = seq2seq_config(tiny_t5, write_csv(tmp_path / "d.csv", ["article", "summary"],
                                               summary_rows(10)), method="freeze")
    assert "freeze" not in get_task("seq2seq").methods
    assert any("'freeze' is not offered for seq2seq" in p for p in config.problems())
    config.data.target_column = ""
    assert any("data.target_column is empty" in p for p in config.problems())


# -- the data report ---------------------------------------------------------------------------
def test_report_counts_rows_lengths_and_cut_targets(tmp_path, tiny_t5):
    rows = summary_rows(40) + [("", "orphan summary"), ("a source without target", " ")]
    rows[0] = (rows[0][0], "it was " + " ".join(FILLER[:20]))  # 23 tokens: cut at 8
    spec, data = _prepare(tmp_path, tiny_t5, ["article", "summary"], rows)
    report = data.report
    assert report.rows_read == 42 and report.rows_kept == 40
    assert report.dropped == {"empty 'article'": 1, "empty 'summary'": 1}
    assert (report.train_rows, report.validation_rows) == (32, 8)
    assert report.token_lengths["max_length"] == 32
    assert report.token_lengths["target"]["max"] == 23
    assert report.token_lengths["target"]["max_length"] == 8
    assert any("1 target (2.5%) longer than the max target length 8 is cut" in n
               for n in report.notes)
    assert any("T5" in w or "t5" in w for w in report.warnings)  # no prefix for a T5
    assert set(data.train.column_names) == {"input_ids", "attention_mask", "labels", "length"}
    labels = list(data.train["labels"]) + list(data.validation["labels"])
    assert max(map(len, labels)) == 8 and all(ids[-1] == 1 for ids in labels)  # eos kept
    assert data.extra == {"source_prefix": "", "max_target_length": 8}
    assert len(spec.validation_pairs) == 8


def test_prefix_is_put_before_every_source_and_many_cut_targets_warn(tmp_path, tiny_t5):
    from transformers import AutoTokenizer

    rows = [(a, s + " really") for a, s in summary_rows(20)]  # 5 tokens with eos
    spec, data = _prepare(tmp_path, tiny_t5, ["article", "summary"], rows,
                          source_prefix="summarize: ", max_target_length=4)
    tokenizer = AutoTokenizer.from_pretrained(tiny_t5)
    assert tokenizer.decode(data.train[0]["input_ids"]).startswith("summarize :")
    assert not any("task prefix" in w for w in data.report.warnings)
    assert any("are cut: the model learns to stop mid-sentence" in w
               for w in data.report.warnings)
    assert "Every source starts with the prefix 'summarize: '." in data.report.notes


@pytest.mark.parametrize("rows, header, needle", [
    (summary_rows(10), ["article", "article2"], "not in d.csv"),
    ([(s, "") for s, _ in summary_rows(39)] + [("a", "b")], ["article", "summary"],
     "Only 1 row of the 40 in d.csv has both a source and a target: the column 'summary' "
     "is empty in 39 rows"),
])
def test_refusals_name_the_problem(tmp_path, tiny_t5, rows, header, needle):
    from transformers import AutoTokenizer

    data = write_csv(tmp_path / "d.csv", ["article", "summary"], rows)
    config = seq2seq_config(tiny_t5, data)
    config.data.source_column, config.data.target_column = header
    with pytest.raises(UserError) as refused:
        get_task("seq2seq").prepare(config, load_table(data), None,
                                    AutoTokenizer.from_pretrained(tiny_t5))
    assert needle in refused.value.message and refused.value.fix


def test_same_column_twice_and_copied_targets(tmp_path, tiny_t5):
    from transformers import AutoTokenizer

    data = write_csv(tmp_path / "d.csv", ["article", "summary"],
                     [(s, s) for s, _ in summary_rows(20)])
    config = seq2seq_config(tiny_t5, data)
    config.data.target_column = "article"
    with pytest.raises(UserError, match="same column"):
        get_task("seq2seq").prepare(config, load_table(data), None,
                                    AutoTokenizer.from_pretrained(tiny_t5))
    _, prepared = _prepare(tmp_path, tiny_t5, ["article", "summary"],
                           [(s, s) for s, _ in summary_rows(20)])
    assert any("the model would learn to copy" in w for w in prepared.report.warnings)


def test_collator_pads_labels_with_minus_100_and_drops_length(tmp_path, tiny_t5):
    from transformers import AutoTokenizer

    spec, data = _prepare(tmp_path, tiny_t5, ["article", "summary"], summary_rows(20))
    batch = spec.collator(AutoTokenizer.from_pretrained(tiny_t5))([data.train[i]
                                                                    for i in range(4)])
    assert set(batch) == {"input_ids", "attention_mask", "labels"}
    lengths = [len(data.train[i]["labels"]) for i in range(4)]
    if len(set(lengths)) > 1:
        assert (batch["labels"] == -100).any()


# -- metrics -----------------------------------------------------------------------------------
def test_rouge_and_bleu_values():
    from pft_desktop.core.tasks.seq2seq import text_metrics

    refs = ["the cat sat on the mat today", "a dog ran in the park"]
    assert text_metrics(refs, refs) == {"rouge1": 100.0, "rouge2": 100.0, "rougeL": 100.0,
                                        "bleu": pytest.approx(100.0)}
    assert text_metrics(["zebra quartz", "xylophone"], refs) == \
        {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0, "bleu": 0.0}
    half = text_metrics(["the cat sat", "a dog ran"], refs)
    assert 0 < half["rouge1"] < 100 and half["rouge1"] == half["rougeL"]
    assert text_metrics(["cats sitting"], ["cat sits"])["rouge1"] == 100.0  # stemmed
    # Cyrillic and Chinese: rouge-score's own tokenizer would score these 0
    assert text_metrics(["кошка сидит на ковре"], ["кошка сидит на ковре"])["rouge1"] == 100.0
    chinese = text_metrics(["猫坐在垫子上"], ["猫坐在垫子上"])
    assert chinese["rouge1"] == 100.0 and chinese["bleu"] == pytest.approx(100.0)


def test_card_tag_and_snippet_follow_the_prefix():
    spec = get_task("seq2seq")
    assert spec.card_pipeline_tag({"source_prefix": "summarize: "}) == "summarization"
    assert spec.card_pipeline_tag({"source_prefix": "translate English to German: "}) == \
        "translation"
    assert spec.card_pipeline_tag({}) == "text2text-generation"
    snippet = spec.loading_snippet("adapter", {"source_prefix": "summarize: ",
                                               "max_target_length": 64})
    assert "AutoPeftModelForSeq2SeqLM" in snippet and "'summarize: Your text here'" in snippet
    assert "max_new_tokens=64" in snippet
    assert spec.claims({"model_type": "t5", "architectures": ["T5ForConditionalGeneration"]})
    assert spec.claims({"model_type": "marian", "architectures": ["MarianMTModel"]})
    assert not spec.claims({"model_type": "llava",
                            "architectures": ["LlavaForConditionalGeneration"]})
    assert not spec.claims({"model_type": "bart", "architectures": ["BartModel"]})


# -- training, predict, export -----------------------------------------------------------------
@pytest.fixture(scope="module")
def full_t5_run(tmp_path_factory, tiny_t5):
    from pft_desktop.core.recipe import run_training

    root = tmp_path_factory.mktemp("t5-run")
    data = write_csv(root / "d.csv", ["article", "summary"], summary_rows(120))
    config = seq2seq_config(tiny_t5, data, max_steps=24, learning_rate=1e-2)
    config.task.source_prefix = "summarize: "
    outcome = run_training(config, root / "run")
    assert outcome.status == "finished", outcome
    return root / "run", outcome.metrics


def test_full_training_scores_generation(full_t5_run):
    run, metrics = full_t5_run
    for key in ("eval_rouge1", "eval_rouge2", "eval_rougeL", "eval_bleu"):
        assert 0.0 <= metrics[key] <= 100.0, key
    assert metrics["eval_generation_rows"] == 24
    assert metrics["eval_rouge1"] > 30  # 'it was ...' is learned in 24 steps
    examples = metrics["examples"]
    assert 1 <= len(examples) <= 5
    assert set(examples[0]) == {"source", "target", "generated"}
    assert examples[0]["target"].startswith("it was")
    saved = json.loads((run / "metrics.json").read_text())
    assert saved["eval_rougeL"] == metrics["eval_rougeL"] and "eval_loss" in saved
    info = json.loads((run / "model" / "pft_run.json").read_text())
    assert info["source_prefix"] == "summarize: " and info["max_target_length"] == 8
    assert get_task("seq2seq").headline(metrics).startswith("ROUGE-L ")


def test_predict_uses_the_prefix_and_the_generation_settings(full_t5_run):
    from pft_desktop.core.predict import Predictor

    run, metrics = full_t5_run
    predictor = Predictor(run)
    assert [f.key for f in predictor.inputs()] == ["text", "max_new_tokens", "num_beams"]
    source = metrics["examples"][0]["source"]
    result = predictor(source)
    assert result == {"text": metrics["examples"][0]["generated"]}  # same greedy decoding
    assert predictor.spec.describe(result, {"text": source}) == result["text"]
    short = predictor({"text": source, "max_new_tokens": "1"})["text"]
    assert len(short.split()) <= 1
    assert "text" in predictor({"text": source, "num_beams": "2"})
    assert predictor({"text": source, "num_beams": "two"}) == \
        {"error": "Beams must be a whole number, not 'two'."}


def test_probe_is_three_decoder_steps_of_probabilities(full_t5_run):
    from pft_desktop.core.predict import load_model_for_inference

    model, tokenizer, info = load_model_for_inference(full_t5_run[0])
    spec = get_task("seq2seq")
    rows = spec.probe(model, tokenizer, info)
    assert len(rows) == 3 and len(rows[0]) == model.config.vocab_size
    assert all(sum(row) == pytest.approx(1.0, abs=1e-4) for row in rows)
    assert rows == spec.probe(model, tokenizer, info)


def test_merged_export_reloads_with_plain_transformers(tmp_path, full_t5_run, monkeypatch):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from pft_desktop.core.export import export_run
    from pft_desktop.core.predict import Predictor

    run, metrics = full_t5_run
    out = export_run(run, tmp_path / "merged", "merged")  # verified in a fresh process
    card = (out / "README.md").read_text()
    assert "pipeline_tag: summarization" in card and "AutoModelForSeq2SeqLM" in card
    model = AutoModelForSeq2SeqLM.from_pretrained(out).eval()
    tokenizer = AutoTokenizer.from_pretrained(out)
    source = metrics["examples"][1]["source"]
    batch = tokenizer("summarize: " + source, return_tensors="pt")
    with torch.no_grad():
        ids = model.generate(**batch, max_new_tokens=8, num_beams=1, do_sample=False)
    assert tokenizer.decode(ids[0], skip_special_tokens=True) == Predictor(run)(source)["text"]
    snippet = card.split("```python\n")[1].split("```")[0]
    monkeypatch.chdir(out)
    exec(snippet, {})  # the card's own snippet runs as written


@pytest.fixture(scope="module")
def lora_bart_run(tmp_path_factory, tiny_bart):
    from pft_desktop.core.recipe import run_training

    root = tmp_path_factory.mktemp("bart-run")
    data = write_csv(root / "d.csv", ["article", "summary"], summary_rows(60))
    config = seq2seq_config(tiny_bart, data, method="lora", max_steps=6, learning_rate=1e-2)
    config.method.lora_r = 4
    outcome = run_training(config, root / "run")
    assert outcome.status == "finished", outcome
    return root / "run", outcome.metrics


def test_lora_adapter_keeps_the_seq2seq_head_and_exports(tmp_path, lora_bart_run, tiny_bart):
    from peft import AutoPeftModelForSeq2SeqLM
    from transformers import AutoTokenizer

    from pft_desktop.core.export import export_run
    from pft_desktop.core.predict import load_model_for_inference

    run, metrics = lora_bart_run
    assert 0.0 <= metrics["eval_rougeL"] <= 100.0 and len(metrics["examples"]) == 5
    adapter = json.loads((run / "model" / "adapter_config.json").read_text())
    assert adapter["task_type"] == "SEQ_2_SEQ_LM"
    assert not adapter["modules_to_save"]  # no new head: lm_head is the pretrained one
    spec = get_task("seq2seq")
    model, tokenizer, info = load_model_for_inference(run)
    expected = torch.tensor(spec.probe(model, tokenizer, info))
    out = export_run(run, tmp_path / "adapter", "adapter")
    assert json.loads((out / "adapter_config.json").read_text())["base_model_name_or_path"] \
        == str(tiny_bart)
    reloaded = AutoPeftModelForSeq2SeqLM.from_pretrained(out).eval()
    probe = torch.tensor(spec.probe(reloaded, AutoTokenizer.from_pretrained(out), info))
    assert torch.allclose(probe, expected, atol=1e-5)


def test_command_line_run_with_guessed_columns(tmp_path, tiny_bart, capsys):
    from pft_desktop.cli import main

    data = write_csv(tmp_path / "news.csv", ["id", "article", "highlights"],
                     [(i, a, s) for i, (a, s) in enumerate(summary_rows(40))])
    code = main(["train", "--task", "seq2seq", "--data", str(data), "--model", str(tiny_bart),
                 "--method", "full", "--max-steps", "3", "--batch-size", "8",
                 "--max-length", "32", "--max-target-length", "8",
                 "--runs-root", str(tmp_path / "runs")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Using column 'article' as source" in err
    assert "Using column 'highlights' as target" in err
    runs = [p for p in (tmp_path / "runs").iterdir() if p.is_dir()]
    assert len(runs) == 1
    metrics = json.loads((runs[0] / "metrics.json").read_text())
    assert "eval_rougeL" in metrics and "eval_bleu" in metrics
    assert os.path.isfile(runs[0] / "model" / "pft_run.json")
