"""Question-answering data and scores: SQuAD-style JSON read as a table (one row per question),
answers read from table cells and placed in their contexts, a split that keeps each context's
questions on one side, the best answer span from start/end scores, and SQuAD's exact match
and F1.

Light at import (the app reads the task list without numpy or pandas); the heavy imports are
inside the functions that need them.
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from functools import lru_cache
from pathlib import Path

from pft_desktop.core.data import DataReport, Table, counted
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import message
from pft_desktop.core.files import inner_suffix, open_bytes, read_head

# The columns a SQuAD-style file becomes: the names datasets' "squad" gives the same data.
SQUAD_COLUMNS = {"question_column": "question", "context_column": "context",
                 "answer_column": "answers.text", "answer_start_column": "answers.answer_start"}
KEEP_AT_LEAST = 0.05     # answers placed in fewer than this share of the rows: refused
JUDGED_FROM_ROWS = 20
SHOWN_CHARS = 60


# -- SQuAD-style JSON ----------------------------------------------------------------------------

def is_squad_file(path) -> bool:
    """A .json file that starts like SQuAD: {"data": [{"paragraphs": [...]}], ...}."""
    path = Path(str(path)).expanduser()
    try:
        if not path.is_file() or inner_suffix(path) != ".json":
            return False
        return _squad_head(str(path), path.stat().st_mtime_ns, path.stat().st_size)
    except (OSError, UserError):
        return False


@lru_cache(maxsize=32)
def _squad_head(path: str, mtime: int, size: int) -> bool:  # cached: the window asks often
    text = read_head(Path(path), 1 << 16).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    return text.startswith("{") and '"paragraphs"' in text and '"qas"' in text


def load_squad(path) -> Table:
    """A SQuAD v1/v2 file as a Table of one row per question: id, title, context, question,
    answers.text and answers.answer_start (JSON lists; empty for an unanswerable question)."""
    import datasets

    path = Path(path).expanduser()
    try:
        with open_bytes(path) as handle:
            document = json.loads(handle.read().decode("utf-8-sig"))
    except (ValueError, OSError) as exc:
        raise UserError("bad_json", message("error.bad_squad_json", file=path.name,
                                            error=str(exc)[:200]),
                        message("fix.bad_squad_json")) from None
    articles = document.get("data") if isinstance(document, dict) else None
    if not isinstance(articles, list) or not all(
            isinstance(a, dict) and isinstance(a.get("paragraphs"), list) for a in articles):
        raise UserError("bad_squad", message("error.bad_squad", file=path.name),
                        message("fix.bad_squad"))
    rows = {name: [] for name in ("id", "title", "context", "question", "answers.text",
                                  "answers.answer_start")}
    contexts = 0
    for article in articles:
        for paragraph in article["paragraphs"]:
            if not isinstance(paragraph, dict):
                continue
            contexts += 1
            for qa in paragraph.get("qas") or []:
                answers = [] if qa.get("is_impossible") else \
                    [a for a in qa.get("answers") or [] if isinstance(a, dict)]
                rows["id"].append(str(qa.get("id", "")))
                rows["title"].append(str(article.get("title", "")))
                rows["context"].append(str(paragraph.get("context") or ""))
                rows["question"].append(str(qa.get("question") or ""))
                rows["answers.text"].append(json.dumps([str(a.get("text", "")) for a in answers],
                                                       ensure_ascii=False))
                rows["answers.answer_start"].append(json.dumps([a.get("answer_start")
                                                                for a in answers]))
    if not rows["id"]:
        raise UserError("empty_file", message("error.no_squad_questions", file=path.name),
                        message("fix.no_squad_questions"))
    version = document.get("version")
    note = (f"{path.name} is SQuAD-style JSON{f' (version {version})' if version else ''}: "
            f"{counted(len(rows['id']), 'question')} about {counted(contexts, 'context')} in "
            f"{counted(len(articles), 'article')}, read as one row per question.")
    features = datasets.Features({name: datasets.Value("string") for name in rows})
    return Table(path, "squad", datasets.Dataset.from_dict(rows, features=features), "utf-8",
                 notes=[note])


# -- answers in table cells -----------------------------------------------------------------------

def parse_answers(cell, start_cell=None) -> tuple[list[str], list]:
    """The answer texts of one row and their given starts (None where unknown). A cell holds
    one answer's text, a JSON list of texts, or a JSON {"text": [...], "answer_start": [...]}
    as datasets' SQuAD has it; empty (or an empty list) means unanswerable."""
    text = "" if cell is None else str(cell)
    starts = _parse_starts(start_cell)
    stripped = text.strip()
    if stripped[:1] in "[{" and stripped:
        try:
            value = json.loads(stripped)
        except ValueError:
            value = None
        if isinstance(value, dict) and "text" in value:
            starts = _parse_starts(value.get("answer_start")) or starts
            value = value["text"]
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            texts = [str(v) for v in value if v is not None and str(v).strip()]
            return texts, (starts + [None] * len(texts))[:len(texts)]
    if not stripped:
        return [], []
    return [text], (starts + [None])[:1]


def _parse_starts(cell) -> list:
    if cell is None:
        return []
    if isinstance(cell, (list, tuple)):
        return [_as_int(v) for v in cell]
    text = str(cell).strip()
    if text.startswith("["):
        try:
            return [_as_int(v) for v in json.loads(text)]
        except (ValueError, TypeError):
            return []
    return [_as_int(text)] if text else []


def _as_int(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and number >= 0 else None


def place_answer(context: str, text: str, start) -> tuple[int | None, str]:
    """Where ``text`` is in ``context``: (start, how), how being 'given' (the start points at
    it), 'found' (no start: the first occurrence), 'moved' (the start did not point at it: the
    nearest occurrence) or 'missing' (start None)."""
    if start is not None and context[start:start + len(text)] == text:
        return start, "given"
    found = [m.start() for m in re.finditer(re.escape(text), context)]
    if not found:
        return None, "missing"
    if start is None:
        return found[0], "found"
    return min(found, key=lambda at: abs(at - start)), "moved"


def read_questions(table: Table, columns: dict[str, str], report: DataReport):
    """The rows of ``table`` as a DataFrame of question, context, answers (every gold text),
    answer and answer_start (the first answer placed in its context; "" and -1 when the
    question is unanswerable). Rows with an empty question or context are dropped, and so are
    rows whose answer is not in their context; the report says how many, and where."""
    import pandas as pd

    raw = table.dataset.to_pandas()
    start_column = columns.get("answer_start_column")
    cells = zip(raw[columns["question_column"]], raw[columns["context_column"]],
                raw[columns["answer_column"]],
                raw[start_column] if start_column else [None] * len(raw))
    out = {"question": [], "context": [], "answers": [], "answer": [], "answer_start": []}
    how_many = Counter()
    missing = []
    for i, (question, context, answer, start) in enumerate(cells):
        question = "" if question is None else str(question).strip()
        context = "" if context is None else str(context)
        if not question:
            how_many["empty question"] += 1
            continue
        if not context.strip():
            how_many["empty context"] += 1
            continue
        texts, starts = parse_answers(answer, start)
        placed = []
        for text, given in zip(texts, starts):
            at, how = place_answer(context, text, given)
            if at is None and text != text.strip():  # surrounding spaces copied by mistake
                at, how = place_answer(context, text.strip(), given)
                text = text.strip()
            how_many[how] += 1
            if at is not None:
                placed.append((text, at))
        if texts and not placed:
            missing.append((i, texts[0]))
            continue
        out["question"].append(question)
        out["context"].append(context)
        out["answers"].append(texts)
        out["answer"].append(placed[0][0] if placed else "")
        out["answer_start"].append(placed[0][1] if placed else -1)
    for reason in ("empty question", "empty context"):
        report.drop(message(f"drop.{reason.replace(' ', '_')}", file=table.path.name),
                    how_many[reason])
    report.drop(message("drop.answer_not_in_context", file=table.path.name), len(missing))
    frame = pd.DataFrame(out)
    _check_answers_placed(table, columns, missing, len(raw), len(frame), report)
    found, moved = how_many["found"], how_many["moved"]
    if found:
        report.notes.append(message("data.answer_found" if found == 1 else "data.answers_found",
                                    file=table.path.name, answers=counted(found, "answer")))
    if moved:
        report.notes.append(message("data.answer_moved" if moved == 1 else "data.answers_moved",
                                    file=table.path.name, starts=counted(moved, "answer start")))
    return frame


def _check_answers_placed(table: Table, columns: dict, missing: list, read: int, kept: int,
                          report: DataReport) -> None:
    """Warn about answers not found in their contexts, naming the first; refuse a mapping for
    which almost none are (the answer or context column is probably the wrong one)."""
    if not missing and kept:
        return
    fix = message("fix.answers_in_context", answer=columns["answer_column"],
                  context=columns["context_column"])
    if missing:
        row, text = missing[0]
        first = message("data.first_missing_answer", where=where(table, row),
                        answer=_short(text))
        if kept == 0 or (read >= JUDGED_FROM_ROWS and kept < KEEP_AT_LEAST * read):
            raise UserError("answer_not_in_context", message(
                "error.answers_not_in_context", file=table.path.name,
                answers=counted(len(missing), "answer"), read=read, first=first,
                questions=counted(kept, "question")), fix)
        report.warnings.append(message(
            "data.answer_not_in_context" if len(missing) == 1 else "data.answers_not_in_context",
            file=table.path.name, answers=counted(len(missing), "answer"), first=first,
            fix=fix))
    if not kept:
        raise UserError("no_questions", message("error.no_questions", file=table.path.name),
                        message("fix.no_questions"))


def where(table: Table, row: int) -> str:
    """A row as the person finds it: the question id of a SQuAD file, the spreadsheet row of
    a CSV (its header is row 1), the line of a JSON Lines file."""
    if table.format == "squad":
        return message("where.question_id", id=table.dataset[row]["id"])
    if table.format in ("csv", "excel"):
        return message("where.row", row=row + 1 + int(table.has_header))
    if table.format == "json" and inner_suffix(table.path) != ".json":
        return message("where.line", line=row + 1)
    return message("where.row", row=row + 1)


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def split_by_context(frame, share: float, seed: int):
    """Hold out about ``share`` of the questions, keeping every question about one context on
    the same side (a model must not have read the validation passages); (train, validation)."""
    import numpy as np

    contexts = frame["context"].unique()
    if share <= 0 or len(frame) < 2:
        return frame, frame.iloc[0:0]
    rng = np.random.default_rng(seed)
    if len(contexts) < 2:  # one passage: split its questions instead
        held = rng.permutation(len(frame))[:max(1, int(round(len(frame) * share)))]
        mask = np.isin(np.arange(len(frame)), held)
    else:
        sizes = frame.groupby("context", sort=False).size()
        order = rng.permutation(len(contexts))
        wanted, taken, chosen = len(frame) * share, 0, set()
        for index in order:
            if taken >= wanted or len(chosen) == len(contexts) - 1:
                break
            chosen.add(contexts[index])
            taken += int(sizes[contexts[index]])
        mask = frame["context"].isin(chosen).to_numpy()
    return frame[~mask].reset_index(drop=True), frame[mask].reset_index(drop=True)


# -- answers from start and end scores -----------------------------------------------------------

def best_span(start_scores, end_scores, offsets, n_best: int = 20, max_tokens: int = 30):
    """The best (score, start char, end char) of one window: among the ``n_best`` highest start
    and end scores on context tokens (``offsets`` [-1, -1] elsewhere), the pair with the highest
    sum whose end is not before its start and that spans at most ``max_tokens`` tokens; None
    when no pair is valid."""
    import numpy as np

    context = np.flatnonzero(offsets[:, 0] >= 0)
    if not len(context):
        return None
    k = min(n_best, len(context))
    starts = context[np.argsort(-start_scores[context], kind="stable")[:k]]
    ends = context[np.argsort(-end_scores[context], kind="stable")[:k]]
    span = ends[None, :] - starts[:, None]
    scores = np.where((span >= 0) & (span < max_tokens),
                      start_scores[starts][:, None] + end_scores[ends][None, :], -np.inf)
    i, j = np.unravel_index(np.argmax(scores), scores.shape)
    if not np.isfinite(scores[i, j]):
        return None
    return float(scores[i, j]), int(offsets[starts[i], 0]), int(offsets[ends[j], 1])


def answers_from_logits(start_logits, end_logits, windows, rows, contexts, allow_null: bool,
                        n_best: int = 20, max_tokens: int = 30) -> dict[int, str]:
    """Each question's answer from its windows' logits (row r of the logits is window
    ``rows[r]``): the best span over all its windows, or "" where questions may be
    unanswerable and the no-answer score (start and end on the CLS token, the lowest over the
    windows) beats it. Returns question index -> answer text."""
    best: dict[int, tuple] = {}
    null: dict[int, float] = {}
    for r, w in enumerate(rows):
        offsets = windows.offsets[w]
        starts, ends = start_logits[r, :len(offsets)], end_logits[r, :len(offsets)]
        question, cls = int(windows.example[w]), int(windows.cls[w])
        null[question] = min(null.get(question, float("inf")), float(starts[cls] + ends[cls]))
        span = best_span(starts, ends, offsets, n_best, max_tokens)
        if span is not None and span[0] > best.get(question, (-float("inf"),))[0]:
            best[question] = span
    answers = {}
    for question in null:
        span = best.get(question)
        if span is None or (allow_null and null[question] > span[0]):
            answers[question] = ""
        else:
            answers[question] = contexts[question][span[1]:span[2]].strip()
    return answers


# -- SQuAD's exact match and F1 ------------------------------------------------------------------

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = set(string.punctuation)


def normalize_answer(text: str) -> str:
    """SQuAD's normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def _f1(prediction: str, truth: str) -> float:
    predicted, true = normalize_answer(prediction).split(), normalize_answer(truth).split()
    if not predicted or not true:  # an unanswerable question: right only if both are empty
        return float(predicted == true)
    same = sum((Counter(predicted) & Counter(true)).values())
    if not same:
        return 0.0
    precision, recall = same / len(predicted), same / len(true)
    return 2 * precision * recall / (precision + recall)


def squad_scores(predictions: dict[int, str], answers: list[list[str]]) -> dict:
    """Exact match and F1 (as shares, 0 to 1) over the questions in ``predictions``, each
    against the best of its gold answers (no gold answer: the right prediction is ""). With
    unanswerable questions among them, also the scores on the answerable ones and the share of
    unanswerable ones answered with nothing."""
    exact, f1, has_answer = [], [], []
    for question, predicted in predictions.items():
        golds = answers[question] or [""]
        exact.append(max(float(normalize_answer(predicted) == normalize_answer(g))
                         for g in golds))
        f1.append(max(_f1(predicted, g) for g in golds))
        has_answer.append(bool(answers[question]))
    if not exact:
        return {"exact_match": 0.0, "f1": 0.0}
    scores = {"exact_match": sum(exact) / len(exact), "f1": sum(f1) / len(f1)}
    if not all(has_answer):
        answerable = [k for k, has in enumerate(has_answer) if has]
        unanswerable = [k for k, has in enumerate(has_answer) if not has]
        scores["has_answer_exact_match"] = sum(exact[k] for k in answerable) / \
            max(1, len(answerable))
        scores["has_answer_f1"] = sum(f1[k] for k in answerable) / max(1, len(answerable))
        scores["no_answer_accuracy"] = sum(exact[k] for k in unanswerable) / len(unanswerable)
    return scores
