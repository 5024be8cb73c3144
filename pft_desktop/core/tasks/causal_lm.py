"""Causal language model fine-tuning on conversations, with the loss on the assistant's turns.

Every layout (OpenAI messages, ShareGPT conversations, Alpaca instruction/input/output, prompt
and response columns) becomes a list of turns written by the model's chat template (or a chosen
one, core.chat), so the model sees the same format in training, in the try box and after export.
Tokens outside the assistant's replies get label -100 unless all tokens are trained. Short
examples can be packed: a batch becomes one row with position ids restarting per example, which
transformers turns into attention that does not cross examples.
"""

from __future__ import annotations

import math

import numpy as np

from pft_desktop.core import chat
from pft_desktop.core.conversations import (CONVERSATION_NAMES, INPUT_NAMES, SYSTEM_NAMES,
                                            layout_name, looks_like_conversation, row_turns)
from pft_desktop.core.data import (
    PROMPT_NAMES,
    RESPONSE_NAMES,
    DataReport,
    Table,
    require_columns,
    token_length_summary,
)
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import message
from pft_desktop.core.tasks.base import (PreparedData, Role, Task, TryField, WithoutLength,
                                         last_position_probe)

IGNORE = chat.IGNORE
LAYOUT_FIELDS = ("conversation_column", "prompt_column", "response_column", "input_column",
                 "system_column")


class CausalLMTask(Task):
    """A decoder learns to write the response to a prompt."""

    name = "causal-lm"
    title = "Causal language model fine-tuning"
    description = ("Teach a decoder (GPT-2, Llama, Qwen…) to answer: conversations (OpenAI "
                   "messages, ShareGPT), Alpaca instructions, or prompt and response columns; "
                   "the loss is on the assistant's replies.")
    roles = (Role("conversation_column", "Conversation", "A column of whole conversations "
                  "(lists of turns); leave empty to use prompt and response columns.",
                  required=False, names=CONVERSATION_NAMES, shape="any"),
             Role("prompt_column", "Prompt", "What the model is given (Alpaca: the "
                  "instruction).", required=False, names=PROMPT_NAMES),
             Role("response_column", "Response", "What the model should learn to write; the "
                  "loss is computed on these tokens only.", required=False,
                  names=RESPONSE_NAMES),
             Role("input_column", "Input", "Optional extra input put after the prompt "
                  "(Alpaca's input column).", required=False, names=INPUT_NAMES),
             Role("system_column", "System prompt", "Optional per-row system prompt.",
                  required=False, names=SYSTEM_NAMES))
    settings = ("max_length", "system_prompt", "chat_template", "train_on_prompt", "packing")
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

    def guess(self, table: Table) -> dict[str, str]:
        """A column of lists of turns is a conversation; else Alpaca's instruction/input/
        output; else prompt and response by name and shape."""
        found = dict.fromkeys(LAYOUT_FIELDS, "")
        lower = {column.lower(): column for column in table.columns}
        sample = table.dataset.select(range(min(len(table), 20))).to_pandas() \
            if len(table) else None
        for name in sorted(table.columns, key=lambda c: c.lower() not in CONVERSATION_NAMES):
            if sample is not None and looks_like_conversation(sample[name]):
                found["conversation_column"] = name
                break
        if not found["conversation_column"]:
            if "instruction" in lower and "output" in lower:
                found.update(prompt_column=lower["instruction"], response_column=lower["output"],
                             input_column=lower.get("input", ""))
            else:
                from pft_desktop.core.data import guess_roles

                found.update(guess_roles(table, (
                    Role("prompt_column", "", "", names=PROMPT_NAMES),
                    Role("response_column", "", "", names=RESPONSE_NAMES))))
        found["system_column"] = next((lower[name] for name in SYSTEM_NAMES if name in lower),
                                      "")
        return found

    def problems(self, config) -> list[str]:
        d = config.data
        if d.conversation_column or (d.prompt_column and d.response_column):
            return []
        return [f"data.prompt_column and data.response_column (or data.conversation_column) "
                f"are empty for {self.name}: name the conversation column, or the prompt and "
                "response columns."]

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
        template = chat.ensure_chat_template(tokenizer, config.task.chat_template)
        report = DataReport(rows_read=len(train), notes=list(train.notes),
                            warnings=list(train.warnings))  # what loading the file said
        columns = {name: getattr(d, name) for name in LAYOUT_FIELDS if getattr(d, name)}
        require_columns(train, columns)
        if len(set(columns.values())) < len(columns):
            raise UserError("invalid_mapping", "The same column is mapped to two roles ("
                            + ", ".join(f"{k}: {v}" for k, v in columns.items()) + ").",
                            "Map a different column to each role.")
        conversations = _conversations(train, d, config.task.system_prompt, report, "")
        if d.max_rows and len(conversations) > d.max_rows:
            keep = np.random.default_rng(config.training.seed).choice(
                len(conversations), d.max_rows, replace=False)
            conversations = [conversations[i] for i in sorted(keep)]
            report.notes.append(message("data.row_limit", rows=d.max_rows))
        if validation is not None:
            val_data = _validation_mapping(self, validation, d)
            val_conversations = _conversations(validation, val_data, config.task.system_prompt,
                                               report, " (validation)")
            report.rows_read += len(validation)
        elif d.validation_split > 0 and len(conversations) >= 2:
            order = np.random.default_rng(config.training.seed).permutation(len(conversations))
            take = max(1, int(round(len(conversations) * d.validation_split)))
            val_conversations = [conversations[i] for i in order[:take]]
            conversations = [conversations[i] for i in order[take:]]
        else:
            val_conversations = []
        max_length, packing = config.task.max_length, config.task.packing
        on_all = config.task.train_on_prompt
        train_set, lengths, too_long = _tokenize(conversations, tokenizer, max_length, on_all,
                                                 packing)
        report.drop(message("drop.no_reply_left"), too_long)
        val_set, _, val_too_long = _tokenize(val_conversations, tokenizer, max_length, on_all,
                                             packing)
        report.drop(message("drop.in_validation", reason=message("drop.no_reply_left")),
                    val_too_long)
        if len(train_set) == 0:
            raise UserError("no_rows", message("error.no_rows_left"), message("fix.no_rows_left"))
        report.train_rows, report.validation_rows = len(train_set), len(val_set)
        report.rows_kept = report.train_rows + report.validation_rows
        report.token_lengths = token_length_summary(lengths, max_length)
        report.example = [list(piece) for piece in chat.highlighted_example(
            tokenizer, train_set[0]["input_ids"], train_set[0]["labels"])]
        turns = sum(len(c) for c in conversations) / max(1, len(conversations))
        report.notes.append(message("data.layout", layout=layout_name(d), turns=turns,
                                    template=template))
        report.notes.append(message("data.loss_all" if on_all else "data.loss_replies"))
        stop_ids = chat.stop_token_ids(tokenizer)
        _check_end_of_turn(tokenizer, train_set[0]["labels"], on_all, report)
        if packing:
            report.notes.append(message("data.packing"))
        return PreparedData(train=train_set, validation=val_set if len(val_set) else None,
                            report=report, extra={"stop_token_ids": stop_ids,
                                                  "packing": packing},
                            validation_texts=[_last_user(c) for c in val_conversations[:5]])

    def load_model(self, path: str, data: PreparedData, tokenizer=None, **kwargs):
        """The decoder, with generation stopping at the template's end of turn; a model
        that cannot keep packed examples apart is refused before training starts."""
        model, loading = super().load_model(path, data, tokenizer=tokenizer, **kwargs) \
            if kwargs.get("output_loading_info") else (super().load_model(
                path, data, tokenizer=tokenizer, **kwargs), None)
        stop_ids = data.extra.get("stop_token_ids") or []
        if stop_ids and getattr(model, "generation_config", None) is not None:
            model.generation_config.eos_token_id = stop_ids if len(stop_ids) > 1 \
                else stop_ids[0]
            if tokenizer is not None and tokenizer.pad_token_id is not None:
                model.generation_config.pad_token_id = tokenizer.pad_token_id
        if data.extra.get("packing"):
            # transformers keeps packed examples apart only without a cache (training needs
            # none); generation still caches, through the generation config.
            model.config.use_cache = False
            check_packing(model)
        return (model, loading) if loading is not None else model

    def collator(self, tokenizer):
        from transformers import DataCollatorForSeq2Seq, DataCollatorWithFlattening

        padded = DataCollatorForSeq2Seq(tokenizer, label_pad_token_id=IGNORE, padding=True)
        packed = DataCollatorWithFlattening(return_position_ids=True, separator_id=IGNORE)

        def collate(features):
            if features and "position_ids" in features[0]:  # prepared with packing on
                return packed([{key: f[key] for key in ("input_ids", "labels")}
                               for f in features])
            return padded([{k: v for k, v in f.items() if k != "position_ids"}
                           for f in features])

        return WithoutLength(collate)

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
    """The text the model sees before its reply to one message, in training and at inference
    alike (the template it was trained with is saved with its tokenizer)."""
    return chat.render_prompt(tokenizer, [{"role": "user", "content": prompt}])


def generate(model, tokenizer, prompt: str, raw: bool, max_new_tokens: int = 64) -> str:
    """Greedy continuation: of the prompt as formatted in training, or of ``raw`` text as it
    is (a pretrained decoder continues text)."""
    import torch

    text = prompt if raw else format_prompt(tokenizer, prompt)
    batch = tokenizer(text, return_tensors="pt", add_special_tokens=raw)
    stop = None if raw else chat.stop_token_ids(tokenizer) or None
    with torch.no_grad():
        output = model.generate(**batch, max_new_tokens=max_new_tokens, do_sample=False,
                                eos_token_id=stop,
                                pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id)
    return tokenizer.decode(output[0, batch["input_ids"].shape[1]:], skip_special_tokens=True)


def check_packing(model) -> None:
    """Two short random sequences packed in one row must give the logits they give apart;
    models whose attention ignores the restarting position ids would leak across examples."""
    import torch

    vocab = model.get_input_embeddings().weight.shape[0]
    generator = torch.Generator().manual_seed(0)
    first, second = (torch.randint(0, vocab, (1, n), generator=generator) for n in (5, 7))
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            apart = torch.cat([model(input_ids=ids.to(device), use_cache=False).logits
                               for ids in (first, second)], dim=1)
            positions = torch.cat([torch.arange(5), torch.arange(7)]).unsqueeze(0).to(device)
            packed = model(input_ids=torch.cat([first, second], dim=1).to(device),
                           position_ids=positions, use_cache=False).logits
    except Exception as exc:  # a model whose forward takes no position ids
        raise UserError("packing_unsupported", f"{type(model).__name__} cannot be trained with "
                        f"packed examples ({type(exc).__name__}).", "Turn 'Pack short "
                        "examples' off under Hyperparameters.") from None
    finally:
        model.train(was_training)
    gap = float((apart.float() - packed.float()).abs().max())
    scale = float(apart.float().abs().max()) or 1.0
    if gap > 1e-3 * max(1.0, scale) and gap > 0.05:
        raise UserError("packing_unsupported", f"{type(model).__name__} lets packed examples "
                        f"see each other (logits differ by {gap:.3g} when packed).",
                        "Turn 'Pack short examples' off under Hyperparameters.")


def _conversations(table: Table, data, system_prompt: str, report: DataReport,
                   which: str) -> list:
    """Every usable row as turns; rows that are not a conversation are dropped and counted,
    and the first such row's problem is named. All rows bad: that problem is the error."""
    conversations, problems = [], {}
    frame = table.dataset.to_pandas()
    for index, row in enumerate(frame.to_dict("records")):
        try:
            conversations.append(row_turns(row, data, system_prompt, row_where(index, which)))
        except UserError as error:
            problems.setdefault(error.kind, []).append(error)
    for code, errors in problems.items():
        report.drop(message("drop.in_validation", reason=_reason(code)) if which
                    else _reason(code), len(errors))
        report.warnings.append(rows_dropped(len(errors), which, errors[0]))
    if not conversations and problems:
        raise next(iter(problems.values()))[0]
    return conversations


def _reason(code: str) -> str:
    if code == "bad_conversation":
        return message("drop.not_conversation")
    return code.replace("_", " ")


def row_where(index: int, which: str):
    """'Row 3' or 'Row 3 (validation)': a row of the training or validation file, for
    messages."""
    return message("where.row_validation" if which else "where.row_named", row=index + 1)


def rows_dropped(count: int, which: str, first: UserError):
    """'N row(s) dropped; the first: <its error and fix>' for the data report."""
    return message(("data.rows_dropped_validation" if which else "data.rows_dropped")
                   + ("" if first.fix else "_no_fix"), rows=count, message=first.message,
                   fix=first.fix)


def _validation_mapping(task, validation: Table, data):
    """The validation file's columns: the training file's names where it has them, else its
    own guess."""
    from dataclasses import replace

    guess = task.guess(validation)
    chosen = {name: getattr(data, name) if getattr(data, name) in validation.columns
              else guess[name] for name in LAYOUT_FIELDS if getattr(data, name)}
    return replace(data, **chosen)


def _last_user(turns: list) -> str:
    return next((t["content"] for t in reversed(turns) if t["role"] == "user"), "")


def _check_end_of_turn(tokenizer, labels: list, on_all: bool, report: DataReport) -> None:
    """The token that ends a reply must be learned (or the tuned model rambles on) and must
    stop generation (it is saved in the model's generation config)."""
    token = chat.end_of_turn_token(tokenizer)
    if token is None:
        report.warnings.append(message("data.no_end_token"))
        return
    token_id = tokenizer.convert_tokens_to_ids(token)
    if on_all or token_id in labels:
        report.notes.append(message("data.end_token", token=token))
    else:
        report.warnings.append(message("data.end_token_cut", token=token))


def _tokenize(conversations: list, tokenizer, max_length: int, on_all: bool, packing: bool):
    import datasets

    rows = {"input_ids": [], "labels": [], "attention_mask": [], "length": []}
    if packing:
        rows["position_ids"] = []
    lengths, too_long = [], 0
    for turns in conversations:
        encoded = chat.tokenize_conversation(tokenizer, turns, max_length, on_all)
        if encoded is None:
            too_long += 1
            continue
        ids, labels = encoded
        if packing:  # the first token must not be predicted from the previous example
            labels = [IGNORE] + labels[1:]
            rows["position_ids"].append(list(range(len(ids))))
        lengths.append(len(ids))
        rows["input_ids"].append(ids)
        rows["labels"].append(labels)
        rows["attention_mask"].append([1] * len(ids))
        rows["length"].append(len(ids))
    return datasets.Dataset.from_dict(rows), lengths, too_long
