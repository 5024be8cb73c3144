"""Named-entity data: CoNLL-style files, token and tag lists, character spans, tag schemes
(IOB1, IOB2, BIOES, BILOU, plain IO) and entity-level scores counted as seqeval's default mode
(the conlleval script) counts them.

Every reader returns ``Sentences``: tokens and their tags as written, plus what reading found
(rows left out and why). Tags are converted to IOB2 by ``to_iob2``; ``entities`` finds the
chunks the scores compare. Light imports only: the app's window imports this module.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import message

PREFIXED = re.compile(r"^([BIESLU])-(.+)$")
TAG_WORD = re.compile(r"^(O|[BIESLU]-\S+)$")  # a tag as one word of a file or a cell
DOCSTART = "-DOCSTART-"
CONLL_SUFFIXES = (".conll", ".iob", ".iob2", ".bio", ".bioes", ".ner")  # always CoNLL-style
SNIFFED_SUFFIXES = (".txt", ".tsv", ".tab")  # CoNLL-style when their lines look like it
WORD = re.compile(r"\w+|[^\w\s]")  # words and single punctuation marks, as CoNLL splits them
SHAPE_LINES = 500      # non-blank lines judged for the shape of a file
SHAPE_SHARE = 0.8      # ... of which this share must be "token ... tag"
LONG_SENTENCE = 1000   # a "sentence" longer than this: blank lines are probably missing
SCHEMES = {"IOB2": "IOB2 (B- begins every entity)",
           "IOB1": "IOB1 (I- begins an entity; B- only between two entities of one type)",
           "BIOES": "BIOES (S- for single-token entities, E- ends one)",
           "BILOU": "BILOU (U- for single-token entities, L- ends one)",
           "IO": "plain types without B-/I- prefixes (a run of one type is one entity)"}


@dataclass
class Sentences:
    """The sentences of one file: tokens and tags as written, and what reading found."""

    source: str
    tokens: list = field(default_factory=list)   # one list of strings per sentence
    tags: list = field(default_factory=list)     # the same shape
    rows_read: int = 0
    dropped: dict = field(default_factory=dict)  # reason -> sentences left out
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def drop(self, reason: str, count: int = 1) -> None:
        if count:
            self.dropped[reason] = self.dropped.get(reason, 0) + count

    def add(self, tokens: list, tags: list) -> None:
        self.tokens.append(tokens)
        self.tags.append(tags)


def is_tag(value: str) -> bool:
    return TAG_WORD.match(value) is not None


# -- CoNLL-style files -------------------------------------------------------------------------

def _fields(line: str) -> list[str]:
    """A line's columns: split at tabs when it has any (a token may hold a space), else at
    runs of whitespace."""
    if "\t" in line:
        parts = [part.strip() for part in line.split("\t")]
        while parts and not parts[-1]:
            parts.pop()
        return parts
    return line.split()


def _token_and_tag(line: str) -> tuple[str, str] | None:
    parts = _fields(line)
    if len(parts) >= 2 and parts[0] and is_tag(parts[-1]):
        return parts[0], parts[-1]
    return None


def conll_shape(sample: str) -> bool:
    """Whether text looks like a CoNLL-style file: most non-blank lines (after -DOCSTART-
    lines) hold at least two columns, the last one a tag (O, B-X, I-X, E-X, S-X, L-X, U-X)."""
    lines = sample.splitlines()
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # a sample cut mid-line
    lines = [line for line in lines if line.strip() and not line.startswith(DOCSTART)]
    lines = lines[:SHAPE_LINES]
    fitting = sum(1 for line in lines if _token_and_tag(line) is not None)
    return len(lines) >= 2 and fitting >= SHAPE_SHARE * len(lines) and \
        any(_token_and_tag(line) and _token_and_tag(line)[1] != "O" for line in lines)


def is_conll_file(path: str | Path) -> bool:
    """A file read as CoNLL-style: a .conll/.iob/... file, or a .txt/.tsv whose lines look
    like it (token first, tag last)."""
    from pft_desktop.core.files import inner_suffix, read_head

    path = Path(path).expanduser()
    if not path.is_file():
        return False
    suffix = inner_suffix(path)
    if suffix in CONLL_SUFFIXES:
        return True
    if suffix not in SNIFFED_SUFFIXES or path.stat().st_size == 0:
        return False
    try:
        head = read_head(path, 1 << 16)
    except UserError:
        return False
    return conll_shape(head.decode("utf-8", "replace"))


def read_conll(path: str | Path, encoding: str = "") -> Sentences:
    """Sentences of a CoNLL-style file: one token per line, token first and tag last, a blank
    line between sentences; -DOCSTART- lines and a header line are skipped. A sentence with a
    line that has no tag is left out (and counted)."""
    import codecs

    from pft_desktop.core.files import detect_encoding, open_bytes

    path = Path(path).expanduser()
    if path.stat().st_size == 0:
        raise UserError("empty_file", f"The data file {path.name} is empty.",
                        "Choose a file with one token and its tag per line.")
    encoding = detect_encoding(path, encoding)
    found = Sentences(path.name)
    tokens: list[str] = []
    tags: list[str] = []
    broken = False
    bad_lines: list[tuple[int, str]] = []
    first_line = True

    def flush():
        nonlocal tokens, tags, broken
        if tokens or broken:
            found.rows_read += 1
            if broken:
                found.drop("a line without a tag")
            else:
                found.add(tokens, tags)
        tokens, tags, broken = [], [], False

    with open_bytes(path) as raw:
        reader = codecs.getreader(encoding)(raw, errors="replace")
        for number, line in enumerate(reader, start=1):
            line = line.rstrip("\r\n").lstrip("\ufeff")
            if not line.strip():
                flush()
                continue
            if line.startswith(DOCSTART):
                flush()
                first_line = False
                continue
            pair = _token_and_tag(line)
            if pair is None and first_line and len(_fields(line)) >= 2:
                found.notes.append(f"The first line of {path.name} ({line.strip()[:60]!r}) "
                                   "is read as a header and skipped.")
                first_line = False
                continue
            first_line = False
            if pair is None:
                bad_lines.append((number, line.strip()))
                broken = True
                continue
            tokens.append(pair[0])
            tags.append(pair[1])
    flush()
    if bad_lines:
        number, text = bad_lines[0]
        many = len(bad_lines) > 1
        found.warnings.append(
            f"{len(bad_lines):,} line{'s' if many else ''} of {path.name} "
            f"{'do' if many else 'does'} not end in a tag (line {number}: {text[:60]!r}); "
            f"{'their sentences were' if many else 'its sentence was'} left out. Each line "
            "holds a token and its tag (O, B-TYPE, I-TYPE…), separated by spaces or a tab, "
            "with the tag last.")
    if not found.tokens:
        first = [_fields(text) for _, text in bad_lines[:50]]
        tag_first = first and sum(len(f) >= 2 and is_tag(f[0]) for f in first) > len(first) / 2
        raise UserError("no_sentences", f"No sentence with tags was found in {path.name}" + (
            ": its lines put the tag first." if tag_first else "."),
            "Write one token per line with its tag last (\"EU B-ORG\"), and a blank line "
            "between sentences.")
    longest = max(len(t) for t in found.tokens)
    if longest > LONG_SENTENCE:
        found.warnings.append(
            f"{path.name} has a sentence of {longest:,} tokens: are the blank lines between "
            "sentences missing? Sentences longer than the maximum length are cut.")
    found.notes.append(message("data.conll_read", file=path.name, sentences=len(found.tokens)))
    return found


# -- tables: token and tag lists, or text with character spans ---------------------------------

def parse_list(cell) -> list | None:
    """A cell as a list: JSON or Python list text (as JSON Lines and Parquet lists arrive), or
    words separated by spaces; None when it is neither."""
    if cell is None:
        return None
    if isinstance(cell, (list, tuple)):
        return list(cell)
    text = str(cell).strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                return None
        return list(value) if isinstance(value, (list, tuple)) else None
    return text.split()


def numeric_tags(values: list) -> bool:
    """Tag lists written as class numbers (a dataset's ner_tags ids), whose names are not in
    the file."""
    seen = [v for tags in values for v in tags][:2000]
    return bool(seen) and all(isinstance(v, int) or (isinstance(v, str) and v.isdigit())
                              for v in seen)


def sentences_from_lists(source: str, token_cells, tag_cells, tokens_column: str,
                         tags_column: str) -> Sentences:
    """Rows holding a list of tokens and a list of tags each."""
    found = Sentences(source, rows_read=len(token_cells))
    parsed = []
    mismatch = []
    for row, (token_cell, tag_cell) in enumerate(zip(token_cells, tag_cells), start=1):
        tokens, tags = parse_list(token_cell), parse_list(tag_cell)
        if tokens is None or tags is None:
            found.drop(f"'{tokens_column if tokens is None else tags_column}' is not a list")
            continue
        if not tokens:
            found.drop("no tokens")
            continue
        if len(tokens) != len(tags):
            found.drop("token and tag counts differ")
            mismatch.append((row, len(tokens), len(tags)))
            continue
        parsed.append(([str(t) for t in tokens], tags))
    if numeric_tags([tags for _, tags in parsed]):
        sample = sorted({str(v) for _, tags in parsed[:200] for v in tags}, key=int)[:6]
        raise UserError("numeric_tags", f"The tags column '{tags_column}' of {source} holds "
                        f"numbers ({', '.join(sample)}…), not tag names; what each number "
                        "means is not in the file.", "Write the tag names instead (B-PER, "
                        "I-PER, O…). A Hugging Face dataset lists them in "
                        "features['ner_tags'].feature.names.")
    for tokens, tags in parsed:
        found.add(tokens, [str(t).strip() for t in tags])
    if mismatch:
        row, n_tokens, n_tags = mismatch[0]
        found.warnings.append(
            f"In {source}, {len(mismatch):,} row{'s have' if len(mismatch) > 1 else ' has'} "
            f"a different number of tokens and tags (row {row}: {n_tokens} tokens, {n_tags} "
            "tags); left out. Every token needs exactly one tag.")
    return found


def split_words(text: str) -> list[tuple[str, int, int]]:
    """Words and punctuation marks of a text with their character offsets (start, end)."""
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


def parse_spans(cell) -> list[tuple[int, int, str]] | None:
    """Character spans as [[start, end, "TYPE"], ...] or [{"start", "end", "label"}, ...];
    None when the cell is not such a list. An empty cell is no entity."""
    if cell is None or not str(cell).strip():
        return []
    value = parse_list(cell) if str(cell).strip().startswith("[") else None
    if value is None:
        return None
    spans = []
    for item in value:
        if isinstance(item, dict):
            label = item.get("label", item.get("type", item.get("entity", item.get("tag"))))
            item = (item.get("start"), item.get("end"), label)
        if not isinstance(item, (list, tuple)) or len(item) != 3:
            return None
        start, end, label = item
        try:
            spans.append((int(start), int(end), str(label).strip()))
        except (TypeError, ValueError):
            return None
    return spans


def spans_to_tags(words: list[tuple[str, int, int]], spans, length: int, counts: dict) -> list:
    """IOB2 tags of the words from character spans. Spans that cut a word are widened to whole
    words; spans outside the text, empty, or overlapping an earlier one are skipped. ``counts``
    collects how many of each."""
    tags = ["O"] * len(words)
    for start, end, label in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not label or start < 0 or end > length or start >= end:
            counts["outside"] = counts.get("outside", 0) + 1
            continue
        covered = [i for i, (_, s, e) in enumerate(words) if s < end and e > start]
        if not covered:
            counts["empty"] = counts.get("empty", 0) + 1
            continue
        if any(tags[i] != "O" for i in covered):
            counts["overlap"] = counts.get("overlap", 0) + 1
            continue
        if words[covered[0]][1] != start or words[covered[-1]][2] != end:
            counts["widened"] = counts.get("widened", 0) + 1
        tags[covered[0]] = f"B-{label}"
        for i in covered[1:]:
            tags[i] = f"I-{label}"
    return tags


def sentences_from_spans(source: str, texts, span_cells, spans_column: str) -> Sentences:
    """Rows holding a text and its entities as character spans: the text is split into words
    and punctuation, and the words inside a span get its type."""
    found = Sentences(source, rows_read=len(texts))
    counts: dict = {}
    bad_row = bad = 0
    for row, (text, cell) in enumerate(zip(texts, span_cells), start=1):
        text = "" if text is None else str(text)
        words = split_words(text)
        if not words:
            found.drop("empty text")
            continue
        spans = parse_spans(cell)
        if spans is None:
            found.drop(f"'{spans_column}' is not a list of spans")
            bad_row, bad = bad_row or row, bad + 1
            continue
        found.add([w for w, _, _ in words], spans_to_tags(words, spans, len(text), counts))
    if bad_row:
        found.warnings.append(
            f"In {source}, {bad:,} row{'s' if bad > 1 else ''} of '{spans_column}' could not "
            f"be read as spans (first: row {bad_row}); left out. "
            "Write them as JSON: [[start, end, \"TYPE\"], …] or [{\"start\": 0, \"end\": 5, "
            "\"label\": \"TYPE\"}, …], with character positions, end excluded.")
    said = {"outside": "fall outside their text or are empty (start ≥ end) and were skipped",
            "empty": "cover only spaces and were skipped",
            "overlap": "overlap an earlier span of the same text and were skipped (nested "
                       "entities cannot be tagged word by word)",
            "widened": "start or end inside a word and were widened to whole words"}
    for key, text in said.items():
        if counts.get(key):
            found.warnings.append(f"In {source}, {counts[key]:,} entity span"
                                  f"{'s' if counts[key] > 1 else ''} {text}.")
    found.notes.append(f"The texts of {source} were split into words and punctuation marks, "
                       "and each word inside an entity span was tagged with its type.")
    return found


# -- tag schemes -------------------------------------------------------------------------------

def detect_scheme(tag_lists) -> str:
    """IOB2, IOB1, BIOES, BILOU or IO, from the prefixes used and how entities begin."""
    prefixes: set[str] = set()
    plain = i_starts = b_starts = 0
    for tags in tag_lists:
        previous = "O"
        for tag in tags:
            match = PREFIXED.match(tag)
            if tag == "O" or match is None:
                plain += tag != "O"
                previous = tag
                continue
            prefix, kind = match.groups()
            prefixes.add(prefix)
            before = PREFIXED.match(previous)
            same = before is not None and before.group(2) == kind
            i_starts += prefix == "I" and not same
            b_starts += prefix == "B" and not same
            previous = tag
    if plain and not prefixes:
        return "IO"
    if prefixes & {"E", "S"}:
        return "BIOES"
    if prefixes & {"L", "U"}:
        return "BILOU"
    if i_starts and not b_starts:
        return "IOB1"
    return "IOB2"


def to_iob2(tags: list[str], scheme: str) -> tuple[list[str], int]:
    """The tags in IOB2, and how many were invalid for ``scheme`` and repaired: an entity
    that begins with I- (or E-/L-) after O, after another type or after an entity's end gets
    B-, as conlleval reads it. In IOB1 and IO that is how entities begin, not a repair."""
    out: list[str] = []
    repaired = 0
    previous_kind, closed = None, True
    for tag in tags:
        match = PREFIXED.match(tag)
        if tag == "O" or (match is None and not tag.strip()):
            out.append("O")
            previous_kind, closed = None, True
            continue
        prefix, kind = match.groups() if match else ("I", tag)
        begins = prefix in "BSU"
        if not begins and (kind != previous_kind or closed):
            begins = True
            repaired += scheme not in ("IOB1", "IO")
        out.append(f"{'B' if begins else 'I'}-{kind}")
        previous_kind, closed = kind, prefix in "ESLU"
    return out, repaired


# -- entities and their scores (seqeval's default mode, as conlleval) --------------------------

def _split(tag: str) -> tuple[str, str]:
    """(prefix, type) as seqeval reads a tag: 'O' has type '_'."""
    return tag[:1], (tag[1:].split("-", 1)[-1] or "_")


def _chunk_ends(prev_tag: str, tag: str, prev_type: str, kind: str) -> bool:
    return (prev_tag in ("E", "S") or (prev_tag in ("B", "I") and tag in ("B", "S", "O"))
            or (prev_tag not in ("O", ".") and prev_type != kind))


def _chunk_starts(prev_tag: str, tag: str, prev_type: str, kind: str) -> bool:
    return (tag in ("B", "S") or (prev_tag in ("E", "S", "O") and tag in ("E", "I"))
            or (tag not in ("O", ".") and prev_type != kind))


def entities(tags: list[str]) -> list[tuple[str, int, int]]:
    """The entities of one sentence's tags as (type, first, last) token positions, inclusive:
    conlleval's chunks, which seqeval's default mode counts. An I- after O or after another
    type begins an entity; B- always does."""
    found = []
    prev_tag, prev_type, begin = "O", "", 0
    for i, chunk in enumerate(list(tags) + ["O"]):
        tag, kind = _split(chunk)
        if _chunk_ends(prev_tag, tag, prev_type, kind):
            found.append((prev_type, begin, i - 1))
        if _chunk_starts(prev_tag, tag, prev_type, kind):
            begin = i
        prev_tag, prev_type = tag, kind
    return found


def entity_counts(tag_lists) -> dict[str, int]:
    """Entities per type, most frequent first."""
    counts: dict[str, int] = {}
    for tags in tag_lists:
        for kind, _, _ in entities(tags):
            counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _prf(correct: int, predicted: int, true: int) -> tuple[float, float, float]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / true if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def entity_scores(true_tags, predicted_tags) -> dict:
    """Entity-level micro precision, recall and F1 over all types, token accuracy, and the
    same per type (support: the true entities), as seqeval's classification_report gives them
    in its default mode. An entity counts as found when type, start and end all match."""
    correct: dict[str, int] = {}
    predicted: dict[str, int] = {}
    true: dict[str, int] = {}
    right_tokens = total_tokens = 0
    for gold, guess in zip(true_tags, predicted_tags):
        right_tokens += sum(a == b for a, b in zip(gold, guess))
        total_tokens += len(gold)
        gold_set, guess_set = set(entities(gold)), set(entities(guess))
        for kind, _, _ in gold_set:
            true[kind] = true.get(kind, 0) + 1
        for entity in guess_set:
            predicted[entity[0]] = predicted.get(entity[0], 0) + 1
            if entity in gold_set:
                correct[entity[0]] = correct.get(entity[0], 0) + 1
    precision, recall, f1 = _prf(sum(correct.values()), sum(predicted.values()),
                                 sum(true.values()))
    per_class = {}
    for kind in sorted(set(true) | set(predicted)):
        p, r, f = _prf(correct.get(kind, 0), predicted.get(kind, 0), true.get(kind, 0))
        per_class[kind] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                           "support": true.get(kind, 0)}
    return {"precision": precision, "recall": recall, "f1": f1,
            "accuracy": right_tokens / total_tokens if total_tokens else 0.0,
            "per_class": per_class, "predicted_entities": sum(predicted.values()),
            "true_entities": sum(true.values())}
