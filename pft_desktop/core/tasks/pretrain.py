"""Pretraining on unlabeled text: continue a model's pretraining, or start a new one.

The objective follows the architecture: masked language modelling for encoders (15% of tokens
by default, replaced 80/10/10 by the mask token, a random token, or kept), next-token prediction
for decoders. Texts are tokenized, joined and cut into blocks of exactly the block size, so no
compute goes to padding.
"""

from __future__ import annotations

import copy

import numpy as np

from pft_desktop.core.data import DataReport, token_length_summary
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import message
from pft_desktop.core.models import ModelInfo
from pft_desktop.core.tasks.base import (PreparedData, Role, Task, TryField, WithoutLength,
                                         last_position_probe)


class PretrainTask(Task):
    """Masked-word or next-word prediction on unlabeled text, of a chosen model or a new one."""

    name = "pretrain"
    title = "Pretrain (continue)"
    description = ("Adapt the chosen model to your domain's language with unlabeled text: "
                   "masked-word prediction for encoders, next-word prediction for decoders. "
                   "Fine-tune the result afterwards.")
    roles = (Role("text_column", "Text", "The unlabeled text to learn the language of.",
                  names=("text", "sentence", "content", "document", "body")),)
    methods = ("full", "lora")
    saves_merged = True  # a pretrained model is a base for later fine-tuning: saved whole
    folder_choice = "Folder of .txt…"
    max_length_label = "Block size"
    lengths_title = "Tokens per text"
    sections = ("pretrain",)
    # Full training, since a model built from scratch has no pretrained weights for LoRA to
    # keep; one epoch and batch 32 as since the first release. The learning rate depends on
    # the start: continuing a pretrained model adapts weights that already know the language,
    # and a large step overwrites that knowledge (1e-4, the value
    # benchmarks/bench_pretrain_pays.py used); a new model starts from nothing and wants a
    # large one (1e-3, as in the same benchmark).
    defaults = {"method.kind": "full", "training.epochs": 1.0, "training.batch_size": 32,
                "training.learning_rate": 1e-4}
    scratch_defaults = {"training.learning_rate": 1e-3}
    default_best_metric = "eval_loss"
    perplexity = True
    # From scratch: the Task page's further options (key, title, description).
    scratch_choices = (
        ("encoder", "Pretrain a new encoder from scratch",
         "Train a tokenizer and a BERT-style model (random weights) on your unlabeled text; no "
         "pretrained model needed. Then fine-tune it with a few labeled examples."),
        ("decoder", "Pretrain a new decoder from scratch",
         "Train a tokenizer and a Llama-style model on your text to continue writing it."))
    model_hint = "Choose an encoder (BERT, RoBERTa…) for masked-word pretraining or a decoder " \
                 "(GPT-2, Llama, Qwen…) for next-word pretraining, or pretrain a new model " \
                 "from scratch."

    def __init__(self):
        self.config = None
        self.objective = "mlm"   # mlm | clm
        self.architecture = None  # set for a new model

    @property
    def peft_task_type(self):
        return "CAUSAL_LM" if self.objective == "clm" else None

    def fits(self, heads: list[str]) -> bool:
        return "AutoModelForMaskedLM" in heads or "AutoModelForCausalLM" in heads

    def check_model(self, info: ModelInfo) -> None:
        if "AutoModelForMaskedLM" in info.heads:
            self.objective = "mlm"
        elif "AutoModelForCausalLM" in info.heads:
            self.objective = "clm"
        else:
            raise UserError("unsupported_task", f"{info.architecture} ({info.model_type}) has no "
                            "language-modelling head to continue pretraining.", self.model_hint)

    def claims(self, model_config: dict) -> bool:
        return any(str(name).endswith("ForMaskedLM")
                   for name in model_config.get("architectures") or [])

    def folder_info(self, model_config: dict) -> dict:
        return {"objective": "mlm"}  # it claims masked-LM folders only: they fill in words

    def problems(self, config) -> list[str]:
        from pft_desktop.core.files import is_raw_text

        found = []
        if not config.data.text_column and not is_raw_text(config.data.train_file):
            found.append("data.text_column is empty: name the column that holds the text.")
        if config.method.kind not in self.methods:
            found.append(f"method.kind = {config.method.kind!r} is not offered for pretraining: "
                         "use full or lora.")
        if config.from_scratch and config.method.kind != "full":
            found.append("A model pretrained from scratch has no pretrained weights to keep: "
                         "set method.kind to full.")
        p = config.pretrain
        if p.hidden_size and (p.num_heads or 1) and p.hidden_size % (p.num_heads or 1):
            found.append(f"pretrain.hidden_size = {p.hidden_size} must be a multiple of "
                         f"pretrain.num_heads = {p.num_heads}.")
        return found

    def new_model_info(self, config) -> ModelInfo:
        """A description of the model a from-scratch run will build (no files yet)."""
        from pft_desktop.core.pretrain import architecture

        self.architecture = architecture(config.pretrain)
        self.objective = "mlm" if self.architecture.kind == "encoder" else "clm"
        model_type = "bert" if self.architecture.kind == "encoder" else "llama"
        return ModelInfo(
            source=f"new {self.architecture.kind} ({config.pretrain.size})", path="",
            model_type=model_type, hidden_size=self.architecture.hidden,
            num_layers=self.architecture.layers, is_encoder=self.architecture.kind == "encoder",
            tasks=["masked-lm" if self.architecture.kind == "encoder" else "causal-lm"])

    # -- data -------------------------------------------------------------------------------
    def preview(self, path: str, data):
        """A folder of .txt files shows as its texts, one per line."""
        from pathlib import Path

        if not Path(path).is_dir():
            return super().preview(path, data)
        from pft_desktop.core.config import DataSettings
        from pft_desktop.core.data import Table
        from pft_desktop.core.pretrain import load_corpus

        return Table(Path(path), "txt", load_corpus(DataSettings(train_file=path)), "utf-8")

    def read_data(self, config, info, sink=lambda event: None):
        from pft_desktop.core import events
        from pft_desktop.core.tasks.base import load_tokenizer

        tokenizer = None
        if config.from_scratch:
            sink(events.make_event(events.STATUS, text="Training a tokenizer"))
        else:
            tokenizer = load_tokenizer(info.path, config.model.trust_remote_code)
            notice = self.new_head_notice(info)
            if notice:  # a notice in the run's events and log, not only the data report
                sink(events.make_event(events.WARNING, text=notice))
        data, tokenizer = self.prepare_corpus(config, info, tokenizer)
        if config.from_scratch:
            from pft_desktop.core.pretrain import positions_for

            info.vocab_size = len(tokenizer)
            info.parameters = self.architecture.parameters(
                len(tokenizer), positions_for(config.task.max_length))
        return data, tokenizer

    def new_head_notice(self, info: ModelInfo) -> str:
        """Said before and during a run that continues a checkpoint without an LM head."""
        from pft_desktop.core.models import display_name
        from pft_desktop.core.pretrain import new_head_notice

        return new_head_notice(info.architectures, display_name(info.path or info.source),
                               self.objective)

    def prepare_corpus(self, config, info: ModelInfo, tokenizer=None):
        """Load, split, (train a tokenizer for a new model,) tokenize and pack the corpus."""
        from pft_desktop.core.pretrain import load_corpus, suggest_vocab_size, train_tokenizer

        self.config = config
        d, block = config.data, config.task.max_length
        notes: list = []  # files skipped, rows left out: for the data report
        corpus = load_corpus(d, notes=notes)
        report = DataReport(rows_read=len(corpus), notes=notes)
        if not config.from_scratch and self.new_head_notice(info):
            report.notes.append(self.new_head_notice(info))
        if d.max_rows and len(corpus) > d.max_rows:
            corpus = corpus.shuffle(seed=config.training.seed).select(range(d.max_rows))
            report.notes.append(message("data.text_limit", texts=d.max_rows))
        if d.validation_file:
            val_settings = copy.copy(d)
            val_settings.train_file = d.validation_file
            train_texts, val_texts = list(corpus["text"]), list(load_corpus(val_settings)["text"])
        else:
            texts = list(corpus["text"])
            order = np.random.default_rng(config.training.seed).permutation(len(texts))
            take = int(round(len(texts) * d.validation_split)) if len(texts) >= 10 else 0
            val_texts = [texts[i] for i in order[:take]]
            train_texts = [texts[i] for i in order[take:]]
        if tokenizer is None:
            vocab = config.pretrain.vocab_size or suggest_vocab_size(train_texts)
            tokenizer = train_tokenizer(train_texts, self.architecture.kind, vocab, block)
            kind = "WordPiece" if self.objective == "mlm" else "byte-level BPE"
            report.notes.append(message("data.tokenizer_trained", kind=kind,
                                        tokens=len(tokenizer)))
        if self.objective == "clm" and tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        if self.objective == "mlm" and tokenizer.mask_token is None:
            raise UserError("no_mask_token", message("error.no_mask_token"), self.model_hint)
        train, train_stats = pack(train_texts, tokenizer, block, self.objective)
        validation, val_stats = pack(val_texts, tokenizer, block, self.objective)
        if len(train) == 0:
            raise UserError("too_little_text", message(
                "error.too_little_text", tokens=train_stats["tokens"], block=block),
                message("fix.too_little_text"))
        if val_texts and len(validation) == 0:
            report.warnings.append(message("data.short_held_out_text"))
        report.rows_kept = len(train_texts) + len(val_texts)
        report.train_rows, report.validation_rows = len(train), len(validation)
        report.packed = {"block_size": block, "train_blocks": len(train),
                         "validation_blocks": len(validation), "train_tokens":
                         train_stats["tokens"], "leftover_tokens": train_stats["leftover"]}
        report.token_lengths = token_length_summary(train_stats["lengths"], block)
        report.notes.append(message(
            "data.packed", texts=len(train_texts), tokens=train_stats["tokens"],
            blocks=len(train), block=block, leftover=train_stats["leftover"],
            held_out=len(validation)))
        return PreparedData(train=train, validation=validation if len(validation) else None,
                            report=report, validation_texts=val_texts[:5]), tokenizer

    # -- model ------------------------------------------------------------------------------
    def load_model(self, path: str, data: PreparedData, tokenizer=None, **kwargs):
        if self.architecture is not None:  # a new model
            from pft_desktop.core.pretrain import build_model, positions_for

            model = build_model(self.architecture, tokenizer,
                                positions_for(self.config.task.max_length))
            return (model, {"missing_keys": []}) if kwargs.get("output_loading_info") else model
        from transformers import AutoModelForCausalLM, AutoModelForMaskedLM

        auto = AutoModelForMaskedLM if self.objective == "mlm" else AutoModelForCausalLM
        return auto.from_pretrained(path, **kwargs)

    def collator(self, tokenizer):
        from transformers import DataCollatorForLanguageModeling


        probability = self.config.pretrain.mlm_probability if self.config else 0.15
        return WithoutLength(DataCollatorForLanguageModeling(
            tokenizer, mlm=self.objective == "mlm", mlm_probability=probability))

    def final_metrics(self, trainer, data: PreparedData, metrics: dict) -> dict:
        from pft_desktop.core.tasks.causal_lm import perplexity

        if "eval_loss" in metrics:
            metrics["eval_perplexity"] = perplexity(metrics["eval_loss"])
        return metrics

    # -- using the model --------------------------------------------------------------------
    def run_info(self) -> dict:
        return {"objective": self.objective}

    def inputs(self, info: dict) -> list:
        if info.get("objective") == "mlm":
            return [TryField("text", "Text", "Type a sentence with [MASK] where a word should "
                             "be guessed, e.g. 'the movie was [MASK] .'")]
        return [TryField("text", "Text", "Type the start of a text; the model continues it")]

    def predict(self, model, tokenizer, info: dict, inputs: dict) -> dict:
        if info.get("objective") == "mlm":
            return fill_mask(model, tokenizer, inputs["text"])
        from pft_desktop.core.tasks.causal_lm import generate

        return {"text": generate(model, tokenizer, inputs["text"], raw=True)}

    def probe(self, model, tokenizer, info: dict) -> list:
        return last_position_probe(model, tokenizer)

    def card_pipeline_tag(self, info: dict) -> str:
        return "fill-mask" if info.get("objective") == "mlm" else "text-generation"

    def auto_class_for(self, info: dict) -> str:
        return "AutoModelForMaskedLM" if info.get("objective", self.objective) == "mlm" \
            else "AutoModelForCausalLM"

    def loading_snippet(self, kind: str, info: dict) -> str:
        if info.get("objective") == "mlm":
            return ("from transformers import pipeline\n"
                    "fill = pipeline(\"fill-mask\", model=\".\")\n"
                    "print(fill(f\"The movie was {fill.tokenizer.mask_token}.\"))")
        return ("from transformers import pipeline\n"
                "generate = pipeline(\"text-generation\", model=\".\")\n"
                "print(generate(\"The start of a text\", max_new_tokens=64)[0]"
                "[\"generated_text\"])")


def fill_mask(model, tokenizer, text: str, top: int = 5) -> dict:
    """The likeliest tokens for each [MASK] (or the tokenizer's own mask token)."""
    import torch

    mask = tokenizer.mask_token
    for spelling in ("[MASK]", "<mask>", "[mask]"):
        text = text.replace(spelling, mask)
    batch = tokenizer(text, return_tensors="pt", truncation=True)
    positions = (batch["input_ids"][0] == tokenizer.mask_token_id).nonzero().flatten()
    if len(positions) == 0:
        return {"error": f"Put {mask} where the model should guess a word, e.g. "
                         f"'the movie was {mask} .'"}
    with torch.no_grad():
        probabilities = model(**batch).logits[0, positions].softmax(-1)
    guesses = []
    for row in probabilities:
        values, ids = row.topk(top)
        guesses.append([{"token": tokenizer.decode([int(i)]).strip(),
                         "score": round(float(v), 4)} for v, i in zip(values, ids)])
    filled = batch["input_ids"][0].clone()
    filled[positions] = probabilities.argmax(-1)
    return {"fill": guesses, "text": tokenizer.decode(filled, skip_special_tokens=True)}


def pack(texts: list[str], tokenizer, block: int, objective: str):
    """Tokenize every text, join them (each ends with [SEP] or the end-of-text token) and cut
    the stream into blocks of exactly ``block`` tokens. Returns the blocks and statistics."""
    import datasets

    if not texts:
        return datasets.Dataset.from_dict({"input_ids": [], "length": []}), \
            {"tokens": 0, "leftover": 0, "lengths": []}
    if objective == "mlm":
        ids = tokenizer(texts, add_special_tokens=True, truncation=False)["input_ids"]
    else:
        eos = tokenizer.eos_token or ""
        ids = tokenizer([text + eos for text in texts], add_special_tokens=False,
                        truncation=False)["input_ids"]
    lengths = [len(x) for x in ids]
    stream = np.fromiter((token for row in ids for token in row), dtype=np.int64,
                         count=sum(lengths))
    blocks = len(stream) // block
    leftover = len(stream) - blocks * block
    matrix = stream[:blocks * block].reshape(blocks, block)
    dataset = datasets.Dataset.from_dict({"input_ids": matrix.tolist(),
                                          "length": [block] * blocks})
    return dataset, {"tokens": int(len(stream)), "leftover": int(leftover), "lengths": lengths}
