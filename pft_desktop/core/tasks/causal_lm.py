"""Causal language model fine-tuning on prompt/response pairs, with the loss on the response.

The prompt is formatted with the tokenizer's chat template when it has one (so the model sees
the same format at inference), otherwise as ``prompt\\n response<eos>``. Prompt tokens get label
-100, so only the response is learned.
"""

from __future__ import annotations

import math

import numpy as np

from pft_desktop.core.data import (
    PROMPT_NAMES,
    RESPONSE_NAMES,
    DataReport,
    Table,
    require_columns,
    token_length_summary,
)
from pft_desktop.core.errors import UserError
from pft_desktop.core.tasks.base import (PreparedData, Role, Task, TryField, WithoutLength,
                                         clean_rows, last_position_probe)

IGNORE = -100


class CausalLMTask(Task):
    """A decoder learns to write the response to a prompt."""

    name = "causal-lm"
    title = "Causal language model fine-tuning"
    description = ("Teach a decoder (GPT-2, Llama, Qwen…) to write responses to prompts; the "
                   "loss is on the response only. Needs a prompt and a response column.")
    roles = (Role("prompt_column", "Prompt", "What the model is given.", names=PROMPT_NAMES),
             Role("response_column", "Response", "What the model should learn to write; the "
                  "loss is computed on these tokens only.", names=RESPONSE_NAMES))
    auto_class = "AutoModelForCausalLM"
    peft_task_type = "CAUSAL_LM"
    default_best_metric = "eval_loss"
    perplexity = True
    pipeline_tag = "text-generation"
    model_hint = "Choose a decoder model such as GPT-2, Llama, Qwen, Mistral or Phi."
    chat = True
    training_settings = ("neftune_noise_alpha",)

    def claims(self, model_config: dict) -> bool:
        return any(str(name).endswith(("ForCausalLM", "LMHeadModel"))
                   for name in model_config.get("architectures") or [])

    def inputs(self, info: dict) -> list:
        return [TryField("text", "Prompt", "Type a prompt and press Enter")]

    def predict(self, model, tokenizer, info: dict, inputs: dict) -> dict:
        return {"text": generate(model, tokenizer, inputs["text"], raw=False)}

    def probe(self, model, tokenizer, info: dict) -> list:
        return last_position_probe(model, tokenizer)

    def loading_snippet(self, kind: str, info: dict) -> str:
        if kind == "adapter":
            return super().loading_snippet(kind, info)
        return ("from transformers import pipeline\n"
                "generate = pipeline(\"text-generation\", model=\".\")\n"
                "print(generate(\"Your prompt here\", max_new_tokens=64)[0][\"generated_text\"])")

    def prepare(self, config, train: Table, validation: Table | None, tokenizer) -> PreparedData:
        d = config.data
        ensure_pad_token(tokenizer)
        report = DataReport(rows_read=len(train), notes=list(train.notes),
                            warnings=list(train.warnings))  # what loading the file said
        require_columns(train, self.columns(config))
        if d.prompt_column == d.response_column:
            raise UserError("invalid_mapping", "The prompt and the response are mapped to the "
                            f"same column '{d.prompt_column}'.", "Map two different columns.")
        frame = clean_rows(train.dataset.to_pandas(), [d.prompt_column, d.response_column],
                           report)
        frame.columns = ["prompt", "response"]
        if d.max_rows and len(frame) > d.max_rows:
            frame = frame.sample(n=d.max_rows, random_state=config.training.seed)
            report.notes.append(f"Using {d.max_rows} of the rows (row limit).")
        if validation is not None:
            guess = self.guess(validation)
            names = [d.prompt_column if d.prompt_column in validation.columns
                     else guess["prompt_column"],
                     d.response_column if d.response_column in validation.columns
                     else guess["response_column"]]
            val_frame = clean_rows(validation.dataset.to_pandas(), names, DataReport())
            val_frame.columns = ["prompt", "response"]
            report.rows_read += len(validation)
        elif d.validation_split > 0 and len(frame) >= 2:
            order = np.random.default_rng(config.training.seed).permutation(len(frame))
            take = max(1, int(round(len(frame) * d.validation_split)))
            val_frame = frame.iloc[order[:take]].reset_index(drop=True)
            frame = frame.iloc[order[take:]].reset_index(drop=True)
        else:
            val_frame = frame.iloc[0:0]
        max_length = config.task.max_length
        train_set, lengths, too_long = _tokenize(frame, tokenizer, max_length)
        report.drop("prompt alone fills the maximum length", too_long)
        val_set, _, val_too_long = _tokenize(val_frame, tokenizer, max_length)
        report.drop("prompt alone fills the maximum length (validation)", val_too_long)
        if len(train_set) == 0:
            raise UserError("no_rows", "No training rows are left after cleaning.",
                            "Check the column mapping, or raise the maximum length.")
        report.train_rows, report.validation_rows = len(train_set), len(val_set)
        report.rows_kept = report.train_rows + report.validation_rows
        report.token_lengths = token_length_summary(lengths, max_length)
        report.notes.append("Prompts are formatted with the model's chat template." if
                            getattr(tokenizer, "chat_template", None) else
                            "The tokenizer has no chat template: prompt and response are joined "
                            "by a newline.")
        return PreparedData(train=train_set, validation=val_set if len(val_set) else None,
                            report=report, validation_texts=list(val_frame["prompt"].head(5)))

    def collator(self, tokenizer):
        from transformers import DataCollatorForSeq2Seq


        return WithoutLength(DataCollatorForSeq2Seq(tokenizer, label_pad_token_id=IGNORE,
                                                    padding=True))

    def final_metrics(self, trainer, data: PreparedData, metrics: dict) -> dict:
        if "eval_loss" in metrics:
            metrics["eval_perplexity"] = perplexity(metrics["eval_loss"])
        return metrics


def perplexity(loss: float) -> float:
    return float(math.exp(min(loss, 50.0)))


def ensure_pad_token(tokenizer) -> None:
    """Decoders often ship without a pad token; padding with EOS is the usual, safe choice since
    padded positions are masked out of attention and loss."""
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token


def format_prompt(tokenizer, prompt: str) -> str:
    """The text the model sees before its response, in training and at inference alike."""
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template([{"role": "user", "content": prompt}],
                                             tokenize=False, add_generation_prompt=True)
    return prompt + "\n"


def generate(model, tokenizer, prompt: str, raw: bool, max_new_tokens: int = 64) -> str:
    """Greedy continuation: of the prompt as formatted in training, or of ``raw`` text as it
    is (a pretrained decoder continues text)."""
    import torch

    text = prompt if raw else format_prompt(tokenizer, prompt)
    special = raw or not getattr(tokenizer, "chat_template", None)
    batch = tokenizer(text, return_tensors="pt", add_special_tokens=special)
    with torch.no_grad():
        output = model.generate(**batch, max_new_tokens=max_new_tokens, do_sample=False,
                                pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id)
    return tokenizer.decode(output[0, batch["input_ids"].shape[1]:], skip_special_tokens=True)


def _tokenize(frame, tokenizer, max_length: int):
    import datasets

    eos = tokenizer.eos_token or ""
    rows, lengths, too_long = {"input_ids": [], "attention_mask": [], "labels": [],
                               "length": []}, [], 0
    prefixes = [format_prompt(tokenizer, prompt) for prompt in frame["prompt"]]
    special = not getattr(tokenizer, "chat_template", None)
    all_prompt_ids = tokenizer(prefixes, add_special_tokens=special)["input_ids"] if prefixes \
        else []
    all_response_ids = tokenizer([r + eos for r in frame["response"]],
                                 add_special_tokens=False)["input_ids"] if prefixes else []
    for prompt_ids, response_ids in zip(all_prompt_ids, all_response_ids):
        ids = (prompt_ids + response_ids)
        lengths.append(len(ids))
        if len(prompt_ids) >= max_length:
            too_long += 1
            continue
        ids = ids[:max_length]
        labels = [IGNORE] * len(prompt_ids) + response_ids
        rows["input_ids"].append(ids)
        rows["attention_mask"].append([1] * len(ids))
        rows["labels"].append(labels[:max_length])
        rows["length"].append(len(ids))
    return datasets.Dataset.from_dict(rows), lengths, too_long
