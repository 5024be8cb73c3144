"""Sentence-pair classification (entailment, paraphrase, question/answer match): classification
with a required second text, both texts read together by the model."""

from __future__ import annotations

from pft_desktop.core.data import LABEL_NAMES, PAIR_NAMES, TEXT_NAMES, Table, guess_roles
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import message
from pft_desktop.core.tasks.base import PROBE_TEXTS, PreparedData, Role, TryField
from pft_desktop.core.tasks.classification import ClassificationTask

# Header pairs that name the two texts of a pair data set, most specific first (GLUE, SNLI,
# Quora question pairs, sentence-transformers' own files).
KNOWN_PAIRS = (
    ("sentence1", "sentence2"), ("sentence_1", "sentence_2"), ("sentence_a", "sentence_b"),
    ("premise", "hypothesis"), ("question1", "question2"), ("question_1", "question_2"),
    ("text_a", "text_b"), ("text1", "text2"), ("text_1", "text_2"), ("text", "text_pair"),
    ("claim", "evidence"), ("query", "passage"), ("query", "document"),
    ("question", "answer"), ("s1", "s2"), ("sentence", "sentence2"),
)
FIRST_NAMES = tuple(dict.fromkeys([a for a, _ in KNOWN_PAIRS] + list(TEXT_NAMES)))
SECOND_NAMES = tuple(dict.fromkeys([b for _, b in KNOWN_PAIRS] + list(PAIR_NAMES)))
SAME_TEXT_SHARE = 0.5  # pairs whose two texts are identical: warn above this share

FIRST = Role("text_column", "First text", "The first text of each pair (premise, question, "
             "sentence 1).", names=FIRST_NAMES)
SECOND = Role("text_pair_column", "Second text", "The second text of each pair (hypothesis, "
              "answer, sentence 2), read together with the first.", names=SECOND_NAMES)
PAIR_LABEL = Role("label_column", "Label", "The class of each pair (entailment, paraphrase or "
                  "not, text or number).", names=LABEL_NAMES + ("gold_label", "is_duplicate",
                                                                "is_paraphrase", "quality"),
                  shape="label")


def guess_pair_columns(table: Table, roles) -> dict[str, str]:
    """The roles' first guess (guess_roles), with the two text columns taken from a known pair
    of header names when the file has one (sentence1/sentence2, premise/hypothesis...), so the
    two texts are never split between two different pairs of names."""
    guess = guess_roles(table, roles)
    lower = {name.lower(): name for name in table.columns}
    taken = {value for key, value in guess.items()
             if key not in ("text_column", "text_pair_column") and value}
    for first, second in KNOWN_PAIRS:
        if first in lower and second in lower and not {lower[first], lower[second]} & taken:
            guess["text_column"], guess["text_pair_column"] = lower[first], lower[second]
            return guess
    first, second = guess["text_column"], guess["text_pair_column"]
    if first and second and first.lower() not in FIRST_NAMES and \
            second.lower() not in SECOND_NAMES:  # both guessed from their shape: left first
        order = table.columns.index
        guess["text_column"], guess["text_pair_column"] = sorted((first, second), key=order)
    return guess


def same_text_warning(frame, file_name: str) -> list[str]:
    """Pairs whose two texts are the same in most rows: the same column read twice under two
    names, or a copy left in place of the second text."""
    same = int((frame["text"].str.strip() == frame["pair"].str.strip()).sum())
    if not len(frame) or same <= SAME_TEXT_SHARE * len(frame):
        return []
    return [message("data.same_texts", same=same, pairs=len(frame), file=file_name)]


class PairClassificationTask(ClassificationTask):
    """One label per pair of texts."""

    name = "pair-classification"
    title = "Sentence pair classification"
    description = ("Assign one label to each pair of texts (entailment, paraphrase, whether an "
                   "answer fits a question). Needs two text columns and a label column.")
    roles = (FIRST, SECOND, PAIR_LABEL)
    counts_title = "Labels (training pairs)"

    def claims(self, model_config: dict) -> bool:
        # A pair model's config.json is a classifier's: only the data tells pairs from single
        # texts, so classification claims such folders.
        return False

    def guess(self, table: Table) -> dict[str, str]:
        return guess_pair_columns(table, self.roles)

    def prepare(self, config, train: Table, validation: Table | None, tokenizer) -> PreparedData:
        if not config.data.text_pair_column:
            raise UserError("invalid_mapping", message("error.no_pair_column"),
                            message("fix.no_pair_column"))
        data = super().prepare(config, train, validation, tokenizer)
        report = data.report
        report.notes.insert(0, message("data.pairs", pairs=report.rows_kept,
                                       first=config.data.text_column,
                                       second=config.data.text_pair_column))
        columns = [config.data.text_column, config.data.text_pair_column]
        frame = train.dataset.select_columns(columns).to_pandas().fillna("").astype(str)
        frame.columns = ["text", "pair"]
        report.warnings += same_text_warning(frame, train.path.name)
        return data

    # -- using the model --------------------------------------------------------------------
    def inputs(self, info: dict) -> list:
        return [TryField("text", "First text", "The first text of the pair"),
                TryField("pair", "Second text", "The second text of the pair")]

    def describe(self, result: dict, inputs: dict) -> str:
        line = super().describe(result, inputs)
        return f"{line}\t{inputs['pair']}" if "label" in result and inputs.get("pair") else line

    def probe(self, model, tokenizer, info: dict) -> list:
        import torch

        rows = []
        with torch.no_grad():
            for first, second in probe_pairs():  # one at a time: no padding side to agree on
                logits = model(**tokenizer(first, second, return_tensors="pt")).logits[0]
                rows.append(logits.float().softmax(-1).tolist())
        return rows

    def reads_pairs(self, info: dict) -> bool:
        return True

    def loading_snippet(self, kind: str, info: dict) -> str:
        if kind == "adapter":
            return super().loading_snippet(kind, info)
        return ("from transformers import pipeline\n"
                "classify = pipeline(\"text-classification\", model=\".\")\n"
                "print(classify({\"text\": \"First text\", \"text_pair\": \"Second text\"}, "
                "top_k=None))")


def probe_pairs() -> list[tuple[str, str]]:
    """Fixed pairs for verifying an export: each probe text with the next one."""
    return [(text, PROBE_TEXTS[(i + 1) % len(PROBE_TEXTS)]) for i, text in enumerate(PROBE_TEXTS)]
