"""Tabular data files: format, encoding and delimiter detection, loading through ``datasets``,
column guessing, and the data report shown before training.

Loading goes through ``datasets`` so that large files are memory-mapped Arrow tables (a preview of
a million rows stays fast) and every cell arrives as a string: labels are mapped by the task.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pft_desktop.core.errors import UserError

FORMATS = {".csv": "csv", ".tsv": "csv", ".tab": "csv", ".txt": "csv", ".jsonl": "json",
           ".json": "json", ".ndjson": "json", ".parquet": "parquet", ".pq": "parquet"}
FALLBACK_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
_CHUNK = 1 << 20


@dataclass
class Table:
    """A loaded data file: its rows as a ``datasets.Dataset`` of strings, and how it was read."""

    path: Path
    format: str
    dataset: object
    encoding: str = ""
    delimiter: str = ""
    has_header: bool = True
    ignored_columns: list = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return list(self.dataset.column_names)

    def __len__(self) -> int:
        return len(self.dataset)


@dataclass
class DataReport:
    """What happened to the rows between the file and the model, shown before training."""

    rows_read: int = 0
    rows_kept: int = 0
    dropped: dict = field(default_factory=dict)      # reason -> count
    duplicates: int = 0
    train_rows: int = 0
    validation_rows: int = 0
    label_counts: dict = field(default_factory=dict)  # label -> count, training rows
    token_lengths: dict = field(default_factory=dict)  # p50, p90, p95, p99, max, truncated_share
    packed: dict = field(default_factory=dict)         # pretraining: blocks and tokens
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def drop(self, reason: str, count: int) -> None:
        if count:
            self.dropped[reason] = self.dropped.get(reason, 0) + int(count)

    def to_dict(self) -> dict:
        return asdict(self)

    def lines(self) -> list[str]:
        """Human-readable summary, one finding per line."""
        if self.packed:
            out = [f"{self.rows_read:,} texts read, {self.rows_kept:,} kept; "
                   f"{self.train_rows:,} training blocks, {self.validation_rows:,} validation "
                   "blocks."]
        else:
            out = [f"{self.rows_read:,} rows read, {self.rows_kept:,} kept "
                   f"({self.train_rows:,} train, {self.validation_rows:,} validation)."]
        out += [f"Dropped {count:,} rows: {reason}." for reason, count in self.dropped.items()]
        if self.duplicates:
            out.append(f"{self.duplicates:,} rows are exact duplicates of an earlier row (kept).")
        if self.label_counts:
            out.append("Labels: " + ", ".join(f"{k} {v:,}" for k, v in self.label_counts.items()))
        if self.token_lengths and not self.packed:
            t = self.token_lengths
            out.append(f"Tokens per row: median {t['p50']}, 95th percentile {t['p95']}, "
                       f"max {t['max']}; {t['truncated_share']:.1%} truncated.")
        return out + self.notes + [f"Warning: {w}" for w in self.warnings]


def detect_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UserError("unsupported_format", f"{path.name} is not a file type pft-desktop reads.",
                        "Save the data as CSV, TSV, JSON Lines (.jsonl) or Parquet.")
    return fmt


def detect_encoding(path: Path, wanted: str = "") -> str:
    """The first encoding that decodes the whole file: UTF-8 (with or without BOM), then
    Windows-1252, then Latin-1. A NUL byte means binary data, which no text encoding fixes."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UserError("undecodable", f"{path.name} contains binary data, not text.",
                        "Check that this is the right file; export the data from its program "
                        "as CSV (UTF-8).")
    candidates = (wanted,) if wanted else FALLBACK_ENCODINGS
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not wanted:
        candidates = ("utf-16",)
    for encoding in candidates:
        try:
            decoder = codecs.getincrementaldecoder(encoding)()
        except LookupError:
            raise UserError("undecodable", f"'{wanted}' is not a known text encoding.",
                            "Leave the encoding empty to detect it, or use utf-8 or cp1252.")
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            if wanted:
                raise UserError(
                    "undecodable", f"{path.name} is not valid {wanted}: byte "
                    f"{exc.object[exc.start:exc.start + 1]!r} at offset {exc.start} of a block "
                    "cannot be decoded.", "Leave the encoding empty to detect it, or save the "
                    "file as UTF-8.") from None
            continue
        return "utf-8" if encoding == "utf-8-sig" and not head.startswith(codecs.BOM_UTF8) \
            else encoding
    raise UserError("undecodable", f"{path.name} cannot be decoded as text.",
                    "Save the file as UTF-8 text.")


def sniff_dialect(sample: str, path: Path, wanted: str = "") -> tuple[str, bool]:
    """Delimiter and whether the first row is a header."""
    if wanted:
        delimiter = "\t" if wanted in ("\\t", "tab") else wanted
    elif path.suffix.lower() in (".tsv", ".tab"):
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
        except csv.Error:
            delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        has_header = csv.Sniffer().has_header(sample)
    except csv.Error:
        has_header = True
    if not has_header:
        # The sniffer only trusts a header when column types differ from the rows below it;
        # an all-text file with distinct, short, identifier-like first-row cells is still a header.
        first = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
        names = [cell.strip() for cell in first]
        has_header = bool(names) and len(set(names)) == len(names) and all(
            0 < len(name) <= 40 and not any(ch.isdigit() for ch in name[:1]) and
            " " not in name.strip() for name in names)
    return delimiter, has_header


def load_table(path: str | Path, *, encoding: str = "", delimiter: str = "") -> Table:
    """Read a data file into a Table, or raise a UserError that names the problem and a fix."""
    path = Path(path).expanduser()
    if not path.exists():
        raise UserError("missing_file", f"The data file {path} does not exist.",
                        "Check the path and choose the file again.")
    if path.is_dir():
        raise UserError("missing_file", f"{path} is a folder, not a data file.",
                        "Choose a CSV, TSV, JSON Lines or Parquet file inside it.")
    fmt = detect_format(path)
    if path.stat().st_size == 0:
        raise UserError("empty_file", f"The data file {path.name} is empty.",
                        "Choose a file with a header row and at least a few rows of data.")
    if fmt == "csv":
        table = _load_delimited(path, encoding, delimiter)
    else:
        table = _load_other(path, fmt)
    if len(table) == 0:
        raise UserError("header_only", f"{path.name} has a header but no data rows.",
                        "Add rows below the header, or choose another file.")
    return table


@contextlib.contextmanager
def _quiet_datasets():
    """datasets logs its own copy of a parse error and draws progress bars on stderr; the
    UserError we raise says it better, so keep both out of the user's terminal."""
    import datasets

    logger = logging.getLogger("datasets")
    level, bars = logger.level, datasets.utils.logging.is_progress_bar_enabled()
    logger.setLevel(logging.CRITICAL)
    datasets.utils.logging.disable_progress_bar()
    try:
        yield
    finally:
        logger.setLevel(level)
        if bars:
            datasets.utils.logging.enable_progress_bar()


def _load_delimited(path: Path, wanted_encoding: str, wanted_delimiter: str) -> Table:
    import datasets

    encoding = detect_encoding(path, wanted_encoding)
    with open(path, encoding=encoding, newline="") as handle:
        sample = handle.read(64 * 1024)
    if not sample.strip():
        raise UserError("empty_file", f"The data file {path.name} holds only blank lines.",
                        "Choose a file with a header row and data rows.")
    delimiter, has_header = sniff_dialect(sample, path, wanted_delimiter)
    first_row = next(csv.reader(io.StringIO(sample), delimiter=delimiter))
    if has_header:
        names = [name.strip() or f"unnamed_{i + 1}" for i, name in enumerate(first_row)]
        names = _deduplicate(names)
    else:
        names = [f"column_{i + 1}" for i in range(len(first_row))]
    features = datasets.Features({name: datasets.Value("string") for name in names})
    if has_header and len([line for line in sample.splitlines() if line.strip()]) < 2:
        raise UserError("header_only", f"{path.name} has a header but no data rows.",
                        "Add rows below the header, or choose another file.")
    try:
        with _quiet_datasets():
            dataset = datasets.load_dataset(
                "csv", data_files=str(path), split="train", sep=delimiter, encoding=encoding,
                header=0 if has_header else None, names=names, features=features,
                keep_default_na=False, na_filter=False, skip_blank_lines=True)
    except Exception as exc:  # datasets wraps pandas' parser errors; find the cause
        raise _explain_parse_error(exc, path, delimiter) from None
    table = Table(path, "csv", dataset, encoding, delimiter, has_header)
    return _drop_empty_columns(table)


def _load_other(path: Path, fmt: str) -> Table:
    import datasets

    try:
        with _quiet_datasets():
            dataset = datasets.load_dataset(fmt, data_files=str(path), split="train")
    except Exception as exc:
        raise _explain_parse_error(exc, path, "") from None
    casts = {name: datasets.Value("string") for name, feature in dataset.features.items()
             if not (isinstance(feature, datasets.Value) and feature.dtype == "string")}
    try:
        if casts:
            dataset = dataset.cast(datasets.Features({**dataset.features, **casts}))
    except Exception:
        raise UserError("unsupported_format", f"{path.name} has nested columns that are not "
                        "plain text or numbers.", "Flatten the data to one value per column.")
    return _drop_empty_columns(Table(path, fmt, dataset, "utf-8"))


def _deduplicate(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}_{count + 1}")
    return out


def _drop_empty_columns(table: Table) -> Table:
    """Unnamed or entirely empty columns (a trailing delimiter, a spreadsheet's blank column)
    carry nothing; drop them and remember which."""
    dataset = table.dataset
    empty = []
    for name in dataset.column_names:
        if not name.startswith(("unnamed_", "Unnamed")) and len(dataset) > 100_000:
            continue  # scanning a huge column costs time; named columns are kept as they are
        values = dataset[name]
        if all(value is None or not str(value).strip() for value in values):
            empty.append(name)
    if empty and len(empty) < len(dataset.column_names):
        table.dataset = dataset.remove_columns(empty)
        table.ignored_columns = empty
    return table


def _explain_parse_error(exc: BaseException, path: Path, delimiter: str) -> UserError:
    chain, cause = [], exc
    while cause is not None and len(chain) < 10:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    text = " | ".join(f"{type(item).__name__}: {item}" for item in chain)
    if "Expected" in text and "fields" in text:
        import re

        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
        where = (f"line {match.group(2)} has {match.group(3)} fields where the header has "
                 f"{match.group(1)}") if match else "some rows have more fields than the header"
        shown = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(delimiter, repr(delimiter))
        return UserError("ragged_rows", f"{path.name} is not a regular table: {where} "
                         f"(delimiter: {shown}).", "Quote text that contains the delimiter, or "
                         "fix that row, or choose the right delimiter in Advanced.")
    if "corresponds to no data" in text:
        return UserError("header_only", f"{path.name} holds no data rows.",
                         "Add rows to the file, or choose another file.")
    if "UnicodeDecodeError" in text:
        return UserError("undecodable", f"{path.name} contains bytes that are not valid text.",
                         "Save the file as UTF-8, or choose its encoding in Advanced.")
    return UserError("unreadable", f"{path.name} could not be read as {path.suffix[1:]} "
                     f"({chain[-1].__class__.__name__}: {str(chain[-1])[:300]}).",
                     "Check that the file is complete and in the format its name says.")


# -- column mapping ----------------------------------------------------------------------------

TEXT_NAMES = ("text", "sentence", "content", "review", "document", "body", "comment", "message",
              "tweet", "question", "input", "utterance", "description", "premise")
PAIR_NAMES = ("text_pair", "sentence2", "hypothesis", "answer", "context", "text2")
LABEL_NAMES = ("label", "labels", "class", "category", "target", "sentiment", "y", "intent")
PROMPT_NAMES = ("prompt", "instruction", "question", "input", "query", "user")
RESPONSE_NAMES = ("response", "output", "answer", "completion", "target", "assistant", "reply")


def _mean_length(dataset, name: str, rows: int = 200) -> float:
    values = dataset.select(range(min(rows, len(dataset))))[name]
    return sum(len(str(value or "")) for value in values) / max(1, len(values))


def _distinct(dataset, name: str, rows: int = 2000) -> int:
    return len(set(dataset.select(range(min(rows, len(dataset))))[name]))


def guess_columns(table: Table, task: str) -> dict[str, str]:
    """A good first guess for the column mapping: known names first, then the shape of the data
    (long free text for text columns, few distinct short values for labels)."""
    columns = table.columns
    lower = {name.lower(): name for name in columns}

    def by_name(candidates, exclude=()):
        for candidate in candidates:
            if candidate in lower and lower[candidate] not in exclude:
                return lower[candidate]
        return ""

    dataset = table.dataset
    if task == "causal-lm":
        prompt = by_name(PROMPT_NAMES)
        response = by_name(RESPONSE_NAMES, exclude=(prompt,))
        rest = [c for c in columns if c not in (prompt, response)]
        rest.sort(key=lambda name: _mean_length(dataset, name), reverse=True)
        prompt = prompt or (rest.pop(0) if rest else "")
        response = response or (rest.pop(0) if rest else "")
        return {"prompt_column": prompt, "response_column": response}
    label = by_name(LABEL_NAMES)
    if not label:
        shaped = [c for c in columns if _distinct(dataset, c) <= max(2, min(50, len(dataset) // 2))]
        label = min(shaped, key=lambda name: _mean_length(dataset, name), default="")
    text = by_name(TEXT_NAMES, exclude=(label,))
    if not text:
        rest = [c for c in columns if c != label]
        text = max(rest, key=lambda name: _mean_length(dataset, name), default="")
    pair = by_name(PAIR_NAMES, exclude=(label, text))
    return {"text_column": text, "text_pair_column": pair, "label_column": label}


def require_columns(table: Table, wanted: dict[str, str]) -> None:
    """Raise if a mapped column is missing, naming the columns the file does have."""
    missing = [(role, name) for role, name in wanted.items() if name and name not in table.columns]
    if missing:
        role, name = missing[0]
        raise UserError("missing_column",
                        f"The column '{name}' (mapped as {role.replace('_', ' ')}) is not in "
                        f"{table.path.name}. Its columns are: {', '.join(table.columns)}.",
                        "Map one of the file's columns instead.")


def token_length_summary(lengths: list[int], max_length: int) -> dict:
    import numpy as np

    if not lengths:
        return {}
    values = np.asarray(lengths)
    pct = {f"p{q}": int(np.percentile(values, q)) for q in (50, 90, 95, 99)}
    counts, edges = np.histogram(values, bins=min(40, max(5, int(values.max()) // 4 or 1)))
    return {**pct, "max": int(values.max()), "mean": round(float(values.mean()), 1),
            "max_length": max_length,
            "truncated_share": round(float((values > max_length).mean()), 4),
            "histogram": {"counts": counts.tolist(), "edges": [round(float(e), 2)
                                                             for e in edges]}}
