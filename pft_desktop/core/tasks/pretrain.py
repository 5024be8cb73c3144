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
from pft_desktop.core.models import ModelInfo
from pft_desktop.core.tasks.base import PreparedData, Task, WithoutLength


class PretrainTask(Task):
    name = "pretrain"
    default_best_metric = "eval_loss"
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

    def check_model(self, info: ModelInfo) -> None:
        if "masked-lm" in info.tasks:
            self.objective = "mlm"
        elif "causal-lm" in info.tasks:
            self.objective = "clm"
        else:
            raise UserError("unsupported_task", f"{info.architecture} ({info.model_type}) has no "
                            "language-modelling head to continue pretraining.", self.model_hint)

    def columns(self, config) -> dict[str, str]:
        return {"text_column": config.data.text_column}

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
    def prepare_corpus(self, config, info: ModelInfo, tokenizer=None):
        """Load, split, (train a tokenizer for a new model,) tokenize and pack the corpus."""
        from pft_desktop.core.pretrain import load_corpus, suggest_vocab_size, train_tokenizer

        self.config = config
        d, block = config.data, config.task.max_length
        notes: list = []  # files skipped, rows left out: for the data report
        corpus = load_corpus(d, notes=notes)
        report = DataReport(rows_read=len(corpus), notes=notes)
        if d.max_rows and len(corpus) > d.max_rows:
            corpus = corpus.shuffle(seed=config.training.seed).select(range(d.max_rows))
            report.notes.append(f"Using {d.max_rows} of the texts (row limit).")
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
            report.notes.append(f"Trained a {kind} tokenizer with {len(tokenizer)} tokens on "
                                "the training texts.")
        if self.objective == "clm" and tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        if self.objective == "mlm" and tokenizer.mask_token is None:
            raise UserError("no_mask_token", "This tokenizer has no mask token, so masked "
                            "language modelling cannot run.", self.model_hint)
        train, train_stats = pack(train_texts, tokenizer, block, self.objective)
        validation, val_stats = pack(val_texts, tokenizer, block, self.objective)
        if len(train) == 0:
            raise UserError("too_little_text", f"The training text has {train_stats['tokens']} "
                            f"tokens, less than one block of {block}.",
                            "Lower the block size (max length) or add more text.")
        if val_texts and len(validation) == 0:
            report.warnings.append("The held-out text is shorter than one block, so there is no "
                                   "evaluation; raise the validation share or add text.")
        report.rows_kept = len(train_texts) + len(val_texts)
        report.train_rows, report.validation_rows = len(train), len(validation)
        report.packed = {"block_size": block, "train_blocks": len(train),
                         "validation_blocks": len(validation), "train_tokens":
                         train_stats["tokens"], "leftover_tokens": train_stats["leftover"]}
        report.token_lengths = token_length_summary(train_stats["lengths"], block)
        report.notes.append(
            f"{len(train_texts):,} texts give {train_stats['tokens']:,} tokens, packed into "
            f"{len(train):,} blocks of {block} ({train_stats['leftover']} tokens left over); "
            f"{len(validation):,} blocks held out.")
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
