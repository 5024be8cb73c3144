"""Preference tuning: a decoder learns which of two answers people prefer (DPO, ORPO, SimPO).

Each row is a prompt (text, or the conversation so far) with a chosen and a rejected answer;
TRL's conversational pairs, whose chosen and rejected columns hold whole conversations, work too.
Both answers are written by the model's chat template exactly as chat fine-tuning writes a
reply (core.chat), so a model tuned on chat first and on preferences next sees one format, in
training and in the try box. The trainers are TRL's (preference_trainers); this module only
reads, checks and tokenizes the pairs. Heavy imports stay inside functions: the window imports
this module.
"""

from __future__ import annotations

import numpy as np

from pft_desktop.core import chat
from pft_desktop.core.conversations import SYSTEM_NAMES, check_turns, parse_turns
from pft_desktop.core.data import PROMPT_NAMES, DataReport, Table, require_columns, \
    token_length_summary
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import message
from pft_desktop.core.tasks.base import PreparedData, Role, Task, distinct_columns
from pft_desktop.core.tasks.causal_lm import (CausalLMTask, ensure_pad_token, row_where,
                                             rows_dropped)

IGNORE = chat.IGNORE
FIELDS = ("prompt_column", "chosen_column", "rejected_column", "system_column")
CHOSEN_NAMES = ("chosen", "chosen_response", "response_chosen", "preferred", "accepted",
                "better", "winner")
REJECTED_NAMES = ("rejected", "rejected_response", "response_rejected", "dispreferred",
                  "worse", "loser")
REASONS = {"bad_conversation": message("drop.not_conversation"),
           "bad_pair": message("drop.not_pair"), "same_answers": message("drop.same_answers")}


class PreferenceTask(CausalLMTask):
    """A decoder learns to prefer the chosen answer over the rejected one."""

    name = "preference"
    title = "Preference tuning (DPO, ORPO, SimPO)"
    description = ("Teach a chat model which of two answers people prefer: rows with a prompt, "
                   "a chosen and a rejected answer (or TRL's conversational pairs). DPO keeps "
                   "the model close to where it started; ORPO and SimPO need no reference. "
                   "Best after chat fine-tuning.")
    roles = (Role("prompt_column", "Prompt", "What the model is given: text, or the "
                  "conversation so far (a list of turns ending with the user's). Leave empty "
                  "when the chosen and rejected columns hold whole conversations.",
                  required=False, names=PROMPT_NAMES),
             Role("chosen_column", "Chosen", "The answer people preferred: text, or a "
                  "conversation whose last turn is the assistant's.", names=CHOSEN_NAMES),
             Role("rejected_column", "Rejected", "The answer people rejected for the same "
                  "prompt.", names=REJECTED_NAMES),
             Role("system_column", "System prompt", "Optional per-row system prompt.",
                  required=False, names=SYSTEM_NAMES))
    settings = ("max_length", "system_prompt", "chat_template")
    sections = ("preference",)
    training_settings = ()
    perplexity = False  # the loss is a preference loss, not a language model's
    default_best_metric = "eval_loss"

    def claims(self, model_config: dict) -> bool:
        return False  # a decoder folder without run info is the chat task's

    def guess(self, table: Table) -> dict[str, str]:
        """Known names first (TRL's prompt/chosen/rejected); then, for an unnamed chosen or
        rejected column, the text column the shapes suggest."""
        from pft_desktop.core.data import guess_roles

        lower = {column.lower(): column for column in table.columns}
        found = {role.field: next((lower[n] for n in role.names if n in lower), "")
                 for role in self.roles}
        shaped = guess_roles(table, self.roles)
        for field in ("chosen_column", "rejected_column"):
            if not found[field] and shaped[field] not in found.values():
                found[field] = shaped[field]
        return found

    def problems(self, config) -> list[str]:
        found = Task.problems(self, config)  # the required columns (not the chat task's)
        limit, length = config.preference.max_prompt_length, config.task.max_length
        if limit and limit >= length:
            found.append(f"preference.max_prompt_length = {limit} must be below "
                         f"task.max_length = {length}, so the answers keep room: lower it, or "
                         "set 0 for half the maximum length.")
        return found

    def prepare(self, config, train: Table, validation: Table | None, tokenizer) -> PreparedData:
        d = config.data
        ensure_pad_token(tokenizer)
        template = chat.ensure_chat_template(tokenizer, config.task.chat_template)
        report = DataReport(rows_read=len(train), notes=list(train.notes),
                            warnings=list(train.warnings))
        columns = {name: getattr(d, name) for name in FIELDS if getattr(d, name)}
        require_columns(train, columns)
        distinct_columns(columns)
        pairs, val_pairs = self._train_and_validation(config, train, validation, report)
        limits = (config.task.max_length, prompt_limit(config))
        train_set, lengths = tokenize_pairs(pairs, tokenizer, *limits, report)
        val_set, _ = tokenize_pairs(val_pairs, tokenizer, *limits, report)
        report.train_rows, report.validation_rows = len(train_set), len(val_set)
        report.rows_kept = report.train_rows + report.validation_rows
        report.token_lengths = token_length_summary(lengths, config.task.max_length)
        first = train_set[0]
        report.example = [list(piece) for piece in chat.highlighted_example(
            tokenizer, first["prompt_ids"] + first["chosen_ids"],
            [IGNORE] * len(first["prompt_ids"]) + first["chosen_ids"])]
        report.notes.append(message("data.pairs_template", template=template))
        method = config.preference.method
        return PreparedData(train=train_set, validation=val_set if len(val_set) else None,
                            report=report, validation_texts=[_last_user(p[0])
                                                             for p in val_pairs[:5]],
                            extra={"stop_token_ids": chat.stop_token_ids(tokenizer),
                                   "preference_method": method})

    def _train_and_validation(self, config, train: Table, validation: Table | None,
                              report: DataReport) -> tuple[list, list]:
        """The usable pairs of the training file (within the row limit), and the validation
        file's, or a held-out share of the training pairs."""
        d, seed = config.data, config.training.seed
        pairs = read_pairs(train, d, config.task.system_prompt, report, "")
        if d.max_rows and len(pairs) > d.max_rows:
            keep = np.random.default_rng(seed).choice(len(pairs), d.max_rows, replace=False)
            pairs = [pairs[i] for i in sorted(keep)]
            report.notes.append(message("data.row_limit", rows=d.max_rows))
        if validation is not None:
            report.rows_read += len(validation)
            return pairs, read_pairs(validation, _validation_mapping(self, validation, d),
                                     config.task.system_prompt, report, " (validation)")
        if d.validation_split <= 0 or len(pairs) < 2:
            return pairs, []
        order = np.random.default_rng(seed).permutation(len(pairs))
        take = max(1, int(round(len(pairs) * d.validation_split)))
        return [pairs[i] for i in order[take:]], [pairs[i] for i in order[:take]]

    def collator(self, tokenizer):
        return None  # TRL's trainers pad the pairs with their own collators

    # -- the trainer -----------------------------------------------------------------------
    def trainer_arguments(self, config, **common):
        from pft_desktop.core.tasks.preference_trainers import arguments

        return arguments(config, common)

    def build_trainer(self, wrap, **parts):
        from pft_desktop.core.tasks.preference_trainers import build

        return build(wrap, parts)

    def trained_model(self, trainer):
        from pft_desktop.core.tasks.preference_trainers import without_reference

        return without_reference(trainer.model)

    # -- metrics ---------------------------------------------------------------------------
    def final_metrics(self, trainer, data: PreparedData, metrics: dict) -> dict:
        from pft_desktop.core.events import plain_metric_names

        metrics = plain_metric_names(metrics)
        metrics.pop("eval_num_tokens", None)  # DPO's count of training tokens, not evaluated
        return metrics

    def headline(self, metrics: dict) -> str:
        accuracy = metrics.get("eval_reward_accuracy")
        if accuracy is None:
            return super().headline(metrics)
        margin = metrics.get("eval_reward_margin")
        return (f"On validation, the chosen answer gets the higher reward in {accuracy:.0%} of "
                "pairs" + (f" (mean reward margin {margin:.3f})." if margin is not None
                           else "."))


def prompt_limit(config) -> int:
    """The longest prompt in tokens: the setting, or half the maximum length."""
    return config.preference.max_prompt_length or max(1, config.task.max_length // 2)


# -- reading pairs ---------------------------------------------------------------------------
def read_pairs(table: Table, data, system_prompt: str, report: DataReport, which: str) -> list:
    """Every usable row as (conversation before the answer, chosen, rejected); rows that are
    not a pair are dropped and counted, and the first one's problem is named. No usable row at
    all: that problem is the error."""
    pairs, problems = [], {}
    for index, row in enumerate(table.dataset.to_pandas().to_dict("records")):
        try:
            pairs.append(row_pair(row, data, system_prompt, row_where(index, which)))
        except UserError as error:
            problems.setdefault(error.kind, []).append(error)
    for kind, errors in problems.items():
        reason = REASONS.get(kind) or kind.replace("_", " ")
        report.drop(message("drop.in_validation", reason=reason) if which else reason,
                    len(errors))
        report.warnings.append(rows_dropped(len(errors), which, errors[0]))
    if not pairs and problems:
        first = next(iter(problems.values()))[0]
        raise UserError("no_pairs", message("error.no_pairs", rows=len(table),
                                            file=table.path.name, first=first.message),
                        first.fix or message("fix.no_pairs"))
    return pairs


def row_pair(row: dict, data, system_prompt: str, where: str) -> tuple[list, str, str]:
    """One row as (the turns before the answer, chosen answer, rejected answer)."""
    prompt = cell_turns(row.get(data.prompt_column), "user", where) \
        if data.prompt_column else []
    chosen = _split(prompt, cell_turns(row.get(data.chosen_column), "assistant", where),
                    "chosen", where)
    rejected = _split(prompt, cell_turns(row.get(data.rejected_column), "assistant", where),
                      "rejected", where)
    if chosen[0] != rejected[0]:
        raise UserError("bad_pair", message("error.pair_differs", where=where),
                        message("fix.pair_differs"))
    if chosen[1].strip() == rejected[1].strip():
        raise UserError("same_answers", message("error.same_answers", where=where),
                        message("fix.same_answers"))
    prefix = chosen[0]
    system = _text(row.get(data.system_column)) if data.system_column else ""
    system = system or system_prompt
    if system and prefix[0]["role"] != "system":
        prefix = [{"role": "system", "content": system}] + prefix
    check_turns(prefix + [{"role": "assistant", "content": chosen[1]}], where)
    return prefix, chosen[1], rejected[1]


def cell_turns(value, role: str, where: str) -> list[dict]:
    """A cell as turns: a conversation (a list, or its JSON text) as it is; plain text as one
    turn of ``role``; an empty cell as none."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return parse_turns(text, where)
            except UserError:
                pass  # text that only starts with a bracket
        return [{"role": role, "content": text}] if text else []
    return parse_turns(value, where)


def _split(prompt: list, answer: list, which: str, where: str) -> tuple[list, str]:
    """(turns before the answer, the answer's text). ``answer`` may be the reply alone or
    the whole conversation (repeating the prompt, or holding it when there is no prompt)."""
    if not answer:
        raise UserError("bad_pair", message(f"error.no_{which}_answer", where=where),
                        message(f"fix.no_{which}_answer"))
    turns = answer if answer[:len(prompt)] == prompt and len(answer) > len(prompt) \
        else prompt + answer
    last = turns[-1]
    if last["role"] != "assistant" or not last["content"].strip():
        raise UserError("bad_pair", message(f"error.{which}_not_answer", where=where),
                        message("fix.pair_not_answer"))
    if not any(turn["role"] == "user" for turn in turns[:-1]):
        raise UserError("bad_pair", message(f"error.no_prompt_{which}", where=where),
                        message("fix.no_prompt"))
    return turns[:-1], last["content"]


def _validation_mapping(task, validation: Table, data):
    """The validation file's columns: the training file's names where it has them, else its
    own guess."""
    from dataclasses import replace

    guess = task.guess(validation)
    return replace(data, **{name: getattr(data, name) if getattr(data, name) in
                            validation.columns else guess[name]
                            for name in FIELDS if getattr(data, name)})


def _last_user(turns: list) -> str:
    return next((t["content"] for t in reversed(turns) if t["role"] == "user"), "")


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


# -- tokens ----------------------------------------------------------------------------------
def tokenize_pairs(pairs: list, tokenizer, max_length: int, max_prompt: int,
                   report: DataReport):
    """The pairs as TRL's preference rows (prompt_ids, chosen_ids, rejected_ids) plus a
    ``length`` for length-grouped batches, cut to fit; and each pair's uncut length."""
    import datasets

    rows = {"prompt_ids": [], "chosen_ids": [], "rejected_ids": [], "length": []}
    lengths, cut_prompts, cut_answers = [], 0, 0
    for prefix, chosen, rejected in pairs:
        prompt, answers = pair_ids(tokenizer, prefix, chosen, rejected)
        lengths.append(len(prompt) + max(map(len, answers)))
        if len(prompt) > max_prompt:
            prompt, cut_prompts = prompt[-max_prompt:], cut_prompts + 1  # keep its end
        room = max_length - len(prompt)
        cut_answers += any(len(answer) > room for answer in answers)
        answers = [answer[:room] for answer in answers]
        rows["prompt_ids"].append(prompt)
        rows["chosen_ids"].append(answers[0])
        rows["rejected_ids"].append(answers[1])
        rows["length"].append(len(prompt) + max(map(len, answers)))
    if cut_prompts:
        report.notes.append(message("data.prompts_cut", prompts=cut_prompts,
                                    max_prompt=max_prompt))
    if cut_answers:
        report.warnings.append(message("data.answers_cut", pairs=cut_answers))
    return datasets.Dataset.from_dict(rows), lengths


def pair_ids(tokenizer, prefix: list, chosen: str, rejected: str) -> tuple[list, list]:
    """(prompt ids, [chosen ids, rejected ids]): each answer is the part chat fine-tuning
    learns (the reply and its end-of-turn token); the prompt is what the two share before."""
    chosen_ids, chosen_start, chosen_end = reply_ids(tokenizer, prefix, chosen)
    rejected_ids, rejected_start, rejected_end = reply_ids(tokenizer, prefix, rejected)
    shared = min(chosen_start, rejected_start, _common_length(chosen_ids, rejected_ids))
    return chosen_ids[:shared], [chosen_ids[shared:chosen_end],
                                 rejected_ids[shared:rejected_end]]


def reply_ids(tokenizer, prefix: list, reply: str) -> tuple[list, int, int]:
    """The ids of the conversation ending in ``reply``, and where its learned last reply
    starts and ends."""
    encoded = chat.tokenize_conversation(tokenizer, prefix + [
        {"role": "assistant", "content": reply}], max_length=1 << 30)
    if encoded is None:
        raise UserError("bad_pair", "An answer has no tokens.", "Drop empty answers.")
    ids, labels = encoded
    end = max(i for i, label in enumerate(labels) if label != IGNORE) + 1
    start = end
    while start > 0 and labels[start - 1] != IGNORE:
        start -= 1
    return ids, start, end


def _common_length(first: list, second: list) -> int:
    count = 0
    for a, b in zip(first, second):
        if a != b:
            break
        count += 1
    return count
