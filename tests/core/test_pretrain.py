"""Pretraining: tokenizer training, packing, MLM masking rates, real steps lowering the loss,
and the saved folder loading with plain transformers and fine-tuning like any model."""

import json

import numpy as np
import pytest

from helpers import classification_config, sentiment_rows, write_csv
from pft_desktop.core import events
from pft_desktop.core.config import RunConfig
from pft_desktop.core.pretrain import Architecture, suggest_vocab_size, train_tokenizer
from pft_desktop.core.recipe import prepare, run_training
from pft_desktop.core.tasks.pretrain import pack

TEXTS = [s for s, _ in sentiment_rows(400, seed=5)]


def test_wordpiece_tokenizer_is_trained_on_the_corpus():
    tokenizer = train_tokenizer(TEXTS, "encoder", 300, 64)
    assert len(tokenizer) <= 300
    assert tokenizer.mask_token == "[MASK]" and tokenizer.pad_token == "[PAD]"
    encoded = tokenizer("the film was great")
    tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"])
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]"
    assert "great" in tokens and "[UNK]" not in tokens  # corpus words are whole tokens


def test_byte_level_bpe_round_trips_any_text():
    tokenizer = train_tokenizer(TEXTS, "decoder", 400, 64)
    text = "the film was great — naïve 🙂"
    assert tokenizer.decode(tokenizer(text)["input_ids"]) == text
    assert tokenizer.eos_token == "<|endoftext|>"


def test_vocab_size_suggestion_grows_with_the_corpus():
    small = suggest_vocab_size(["one two three"] * 10)
    large = suggest_vocab_size([f"word{i} other{i}" for i in range(20000)])
    assert small == 2000 and large == 20000


@pytest.mark.parametrize("objective", ["mlm", "clm"])
def test_packing_fills_blocks_exactly(objective):
    kind = "encoder" if objective == "mlm" else "decoder"
    tokenizer = train_tokenizer(TEXTS, kind, 300, 32)
    blocks, stats = pack(TEXTS, tokenizer, 32, objective)
    assert len(blocks) == stats["tokens"] // 32
    assert stats["leftover"] == stats["tokens"] - 32 * len(blocks) < 32
    assert all(len(ids) == 32 for ids in blocks["input_ids"])
    assert tokenizer.pad_token_id not in np.asarray(blocks["input_ids"])
    if objective == "clm":  # each text ends with the end-of-text token
        assert (np.asarray(blocks["input_ids"]) == tokenizer.eos_token_id).sum() >= \
            len(TEXTS) - 2 - stats["leftover"]


def test_mlm_masks_15_percent_with_80_10_10_replacement():
    import torch

    from pft_desktop.core.tasks.pretrain import PretrainTask

    tokenizer = train_tokenizer(TEXTS * 5, "encoder", 300, 64)
    blocks, _ = pack(TEXTS * 5, tokenizer, 64, "mlm")
    task = PretrainTask()
    task.objective = "mlm"
    collate = task.collator(tokenizer)
    torch.manual_seed(0)
    batch = collate([blocks[i] for i in range(len(blocks))])
    original = torch.tensor(blocks["input_ids"])
    assert "length" not in batch
    special = torch.isin(original, torch.tensor(tokenizer.all_special_ids))
    chosen = batch["labels"] != -100
    assert not (chosen & special).any()
    rate = chosen.sum().item() / (~special).sum().item()
    assert rate == pytest.approx(0.15, abs=0.01)
    masked = (batch["input_ids"] == tokenizer.mask_token_id) & chosen
    kept = (batch["input_ids"] == original) & chosen
    assert masked.sum().item() / chosen.sum().item() == pytest.approx(0.8, abs=0.03)
    # a random replacement can land on the original token, so "kept" is 10% plus a little
    assert kept.sum().item() / chosen.sum().item() == pytest.approx(0.1, abs=0.03)
    assert (batch["labels"][chosen] == original[chosen]).all()


def corpus_csv(tmp_path):
    return write_csv(tmp_path / "corpus.csv", ["text"], [(t,) for t in TEXTS])


def pretrain_config(data, model=None, scratch="", **training):
    config = RunConfig()
    config.task.kind, config.task.max_length = "pretrain", 32
    config.model.name_or_path = str(model) if model else ""
    config.pretrain.from_scratch, config.pretrain.size = scratch, "tiny"
    config.pretrain.hidden_size, config.pretrain.num_heads = (32, 2) if scratch else (0, 0)
    config.data.train_file, config.data.text_column = str(data), "text"
    config.method.kind = "full"
    config.training.batch_size, config.training.learning_rate = 8, 2e-3
    config.training.max_steps, config.training.eval_steps = 30, 10
    for key, value in training.items():
        setattr(config.training, key, value)
    return config


def losses(run_dir):
    return [e["loss"] for e in events.read_events(run_dir) if e["type"] == "step"]


def evals(run_dir):
    return [e["eval_loss"] for e in events.read_events(run_dir)
            if e["type"] == "eval" and not e.get("final")]


def test_continued_mlm_pretraining_lowers_the_loss(tmp_path, tiny_encoder):
    outcome = run_training(pretrain_config(corpus_csv(tmp_path), tiny_encoder), tmp_path / "run")
    assert outcome.status == "finished", outcome
    assert evals(tmp_path / "run")[-1] < evals(tmp_path / "run")[0]
    assert outcome.metrics["eval_perplexity"] == pytest.approx(
        np.exp(outcome.metrics["eval_loss"]), rel=1e-6)
    info = json.loads((tmp_path / "run" / "model" / "pft_run.json").read_text())
    assert info["objective"] == "mlm"


def test_continued_causal_pretraining_with_lora_saves_a_whole_model(tmp_path, tiny_decoder):
    config = pretrain_config(corpus_csv(tmp_path), tiny_decoder)
    config.method.kind = "lora"
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome
    model_dir = tmp_path / "run" / "model"
    assert (model_dir / "model.safetensors").is_file()  # merged: a base for fine-tuning
    assert not (model_dir / "adapter_config.json").exists()
    assert evals(tmp_path / "run")[-1] < evals(tmp_path / "run")[0]


def test_data_report_counts_blocks_and_tokens(tmp_path, tiny_encoder):
    prepared = prepare(pretrain_config(corpus_csv(tmp_path), tiny_encoder))
    packed = prepared.data.report.packed
    assert packed["block_size"] == 32
    assert packed["train_blocks"] == len(prepared.data.train)
    assert packed["train_tokens"] // 32 == packed["train_blocks"]
    assert any("blocks of 32" in note for note in prepared.data.report.notes)


def test_folder_of_text_files_is_a_corpus(tmp_path, tiny_decoder):
    folder = tmp_path / "texts"
    folder.mkdir()
    for i in range(4):
        (folder / f"doc{i}.txt").write_text("\n".join(TEXTS[i * 50:(i + 1) * 50]) + "\n\n")
    config = pretrain_config(folder, tiny_decoder)
    config.data.text_column = ""
    prepared = prepare(config)
    assert prepared.data.report.rows_read == 200
    assert prepared.task.objective == "clm"


def test_from_scratch_encoder_then_fine_tune(tmp_path, capsys):
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    config = pretrain_config(corpus_csv(tmp_path), scratch="encoder", max_steps=40)
    outcome = run_training(config, tmp_path / "pre")
    assert outcome.status == "finished", outcome
    steps = losses(tmp_path / "pre")
    assert np.mean(steps[-5:]) < np.mean(steps[:5])
    model_dir = tmp_path / "pre" / "model"
    model = AutoModelForMaskedLM.from_pretrained(model_dir)  # plain transformers
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    assert model.config.hidden_size == 32 and len(tokenizer) == model.config.vocab_size
    started = next(e for e in events.read_events(tmp_path / "pre") if e["type"] == "started")
    assert started["total_parameters"] == Architecture("encoder", 32, 2, 2).parameters(
        len(tokenizer), 128)

    data = write_csv(tmp_path / "labeled.csv", ["review", "sentiment"], sentiment_rows(60))
    fine = classification_config(model_dir, data, max_steps=5)
    assert run_training(fine, tmp_path / "fine").status == "finished"


def test_from_scratch_decoder_continues_text(tmp_path):
    from pft_desktop.core.predict import Predictor

    config = pretrain_config(corpus_csv(tmp_path), scratch="decoder", max_steps=20)
    assert run_training(config, tmp_path / "run").status == "finished"
    result = Predictor(tmp_path / "run")("the film")
    assert isinstance(result["text"], str)


def test_fill_mask_on_a_pretrained_encoder(tmp_path, tiny_encoder):
    from pft_desktop.core.predict import Predictor

    run_training(pretrain_config(corpus_csv(tmp_path), tiny_encoder, max_steps=5),
                 tmp_path / "run")
    predictor = Predictor(tmp_path / "run")
    result = predictor("the film was [MASK] .")
    assert len(result["fill"]) == 1 and len(result["fill"][0]) == 5
    assert "error" in predictor("no mask here")


def test_pretrain_cli_from_scratch(tmp_path, capsys):
    from pft_desktop.cli import main

    code = main(["pretrain", "--data", str(corpus_csv(tmp_path)), "--from-scratch", "encoder",
                 "--size", "tiny", "--max-steps", "3", "--max-length", "32", "--batch-size",
                 "8", "--output", str(tmp_path / "run")])
    assert code == 0
    assert "fine-tune it" in capsys.readouterr().err
    assert (tmp_path / "run" / "model" / "tokenizer.json").is_file()


def test_pretraining_refuses_qlora_and_scratch_lora(tmp_path):
    config = pretrain_config(corpus_csv(tmp_path), scratch="encoder")
    config.method.kind = "lora"
    assert any("from scratch" in p for p in config.problems())
    config.method.kind = "qlora-4bit"
    assert any("not offered for pretraining" in p for p in config.problems())
