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
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pft_desktop.core.errors import UserError

FORMATS = {".csv": "csv", ".tsv": "csv", ".tab": "csv", ".txt": "csv", ".jsonl": "json",
           ".json": "json", ".ndjson": "json", ".parquet": "parquet", ".pq": "parquet"}
FALLBACK_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
_CHUNK = 1 << 20
# Where a person changes how a file is read: said in messages from core, so it names both.
FORMAT_CHOICE = "above the preview on the Data page; --header/--delimiter/--encoding on the " \
    "command line"
_SAMPLE_CHARS = 64 * 1024  # read to sniff the delimiter and judge the header
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
HEADER_CHOICES = ("auto", "yes", "no")


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
            out = [f"{counted(self.rows_read, 'text')} read, {self.rows_kept:,} kept; "
                   f"{counted(self.train_rows, 'training block')}, "
                   f"{counted(self.validation_rows, 'validation block')}."]
        else:
            out = [f"{counted(self.rows_read, 'row')} read, {self.rows_kept:,} kept "
                   f"({self.train_rows:,} train, {self.validation_rows:,} validation)."]
        out += [f"Dropped {counted(count, 'row')}: {reason}."
                for reason, count in self.dropped.items()]
        if self.duplicates:
            verb = "is an exact duplicate" if self.duplicates == 1 else "are exact duplicates"
            out.append(f"{counted(self.duplicates, 'row')} {verb} of an earlier row (kept).")
        if self.label_counts:
            out.append("Labels: " + ", ".join(f"{k} {v:,}" for k, v in self.label_counts.items()))
        if self.token_lengths and not self.packed:
            t = self.token_lengths
            out.append(f"Tokens per row: median {t['p50']}, 95th percentile {t['p95']}, "
                       f"max {t['max']}; {t['truncated_share']:.1%} truncated.")
        return out + self.notes + [f"Warning: {w}" for w in self.warnings]


def counted(count: int, noun: str, plural: str = "") -> str:
    """'1 row', '2 rows', '1,000 classes': a count with its noun in the right number."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


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


def sniff_dialect(sample: str, path: Path, wanted: str = "",
                  header: str = "auto") -> tuple[str, bool]:
    """Delimiter and whether the first row is a header; ``header`` "yes" or "no" decides the
    latter, "auto" judges it from the sample."""
    if wanted:
        delimiter = "\t" if wanted in ("\\t", "tab") else wanted
    elif path.suffix.lower() in (".tsv", ".tab"):
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
        except csv.Error:
            delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    if header in ("yes", "no"):
        return delimiter, header == "yes"
    return delimiter, first_row_is_header(_sample_rows(sample, delimiter))


def first_row_is_header(rows: list[list[str]]) -> bool:
    """Whether the first of these parsed rows names the columns. Only its non-empty cells are
    judged: spreadsheet exports end the header in empty cells (``v1,v2,,,``) over columns that
    are mostly empty, and those cells say nothing either way."""
    if not rows:
        return False
    first, body = rows[0], rows[1:]
    named = {i: cell.strip() for i, cell in enumerate(first) if cell.strip()}
    if not named:
        return False
    if _first_row_recurs_as_data(first, named, body):
        return False
    votes = sum(_header_vote(name, [row[i] for row in body if i < len(row)])
                for i, name in named.items())
    if votes:
        return votes > 0
    # No column tells: an all-text file with distinct, short, identifier-like first-row cells
    # is still a header.
    names = list(named.values())
    return len(set(names)) == len(names) and all(
        len(name) <= 40 and not name[:1].isdigit() and " " not in name for name in names)


def _sample_rows(sample: str, delimiter: str, limit: int = 200) -> list[list[str]]:
    """The first non-blank rows of the sample (a cut-off last line is left out)."""
    if len(sample) >= _SAMPLE_CHARS and "\n" in sample:
        sample = sample[:sample.rindex("\n") + 1]
    rows = []
    try:
        for row in csv.reader(io.StringIO(sample), delimiter=delimiter):
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) > limit:
                break
    except csv.Error:  # a quoted field cut by the sample's end
        pass
    return rows


def _first_row_recurs_as_data(first: list[str], named: dict[int, str], body) -> bool:
    """A first-row cell that comes back as a value of its column (a label such as 'positive')
    is data; a whole first row that comes back is a header repeated by concatenated exports."""
    whole = [cell.strip() for cell in first]
    if any([cell.strip() for cell in row] == whole for row in body):
        return False
    return any(any(i < len(row) and row[i].strip() == name for row in body)
               for i, name in named.items())


def _header_vote(name: str, values: list[str]) -> int:
    """+1 when the column's values show ``name`` to be a column name, -1 when ``name`` looks
    like one of the values, 0 when they do not tell (the rules of ``csv.Sniffer.has_header``,
    plus short names over long text)."""
    values = [value.strip() for value in values if value.strip()]
    if is_number(name):
        return -1
    if not values:
        return 0
    if sum(map(is_number, values)) >= 0.8 * len(values):
        return 1
    lengths = sorted(len(value) for value in values)
    if len(values) >= 2 and lengths[0] == lengths[-1] != len(name):
        return 1
    median, low = lengths[len(lengths) // 2], lengths[len(lengths) // 10]
    if len(name) <= 40 and median >= max(20, 3 * len(name)) and len(name) < low:
        return 1
    return 0


def is_number(text: str) -> bool:
    """'12', '-0.5', '1e-3', '40%': a cell that holds a number, never a column name."""
    return _NUMBER.fullmatch(text.strip()) is not None


def load_table(path: str | Path, *, encoding: str = "", delimiter: str = "",
               header: str = "auto") -> Table:
    """Read a data file into a Table, or raise a UserError that names the problem and a fix.
    ``header`` ("auto", "yes", "no") says whether a CSV/TSV's first row names the columns; the
    Table keeps the encoding, delimiter and header as resolved."""
    if header not in HEADER_CHOICES:
        raise UserError("invalid_config", f"'{header}' is not a choice for 'First row is a "
                        "header'.", "Choose auto (detect it), yes or no.")
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
        table = _load_delimited(path, encoding, delimiter, header)
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


def _load_delimited(path: Path, wanted_encoding: str, wanted_delimiter: str,
                    header: str) -> Table:
    import datasets

    encoding = detect_encoding(path, wanted_encoding)
    with open(path, encoding=encoding, newline="") as handle:
        sample = handle.read(_SAMPLE_CHARS)
    if not sample.strip():
        raise UserError("empty_file", f"The data file {path.name} holds only blank lines.",
                        "Choose a file with a header row and data rows.")
    delimiter, has_header = sniff_dialect(sample, path, wanted_delimiter, header)
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
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
        where = (f"line {match.group(2)} has {match.group(3)} fields where the header has "
                 f"{match.group(1)}") if match else "some rows have more fields than the header"
        shown = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(delimiter, repr(delimiter))
        return UserError("ragged_rows", f"{path.name} is not a regular table: {where} "
                         f"(delimiter: {shown}).", "Quote text that contains the delimiter, or "
                         "fix that row, or choose the right delimiter (" + FORMAT_CHOICE + ").")
    if "corresponds to no data" in text:
        return UserError("header_only", f"{path.name} holds no data rows.",
                         "Add rows to the file, or choose another file.")
    if "UnicodeDecodeError" in text:
        return UserError("undecodable", f"{path.name} contains bytes that are not valid text.",
                         "Save the file as UTF-8, or choose its encoding (" + FORMAT_CHOICE + ").")
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


_SHAPE_ROWS = 2000    # rows read to judge a column's shape
_MOSTLY_BLANK = 0.5   # a column blank in more than this share of rows is never a guess
_MAX_GUESSED_CLASSES = 50  # more distinct values than this: a label only when named like one


@dataclass
class ColumnShape:
    """What a column's first rows look like, for guessing its role."""

    blank_share: float
    filled: int           # non-blank values
    distinct: int         # distinct non-blank values
    distinct_share: float  # distinct / non-blank values
    mean_length: float    # of the non-blank values

    @property
    def mostly_blank(self) -> bool:
        return self.blank_share > _MOSTLY_BLANK


def column_shapes(dataset, rows: int = _SHAPE_ROWS) -> dict[str, ColumnShape]:
    """The shape of every column, judged on the first ``rows`` rows (fast on any file)."""
    head = dataset.select(range(min(rows, len(dataset)))).to_dict()
    shapes = {}
    for name, values in head.items():
        filled = [str(v).strip() for v in values if v is not None and str(v).strip()]
        shapes[name] = ColumnShape(
            blank_share=1 - len(filled) / max(1, len(values)), filled=len(filled),
            distinct=len(set(filled)),
            distinct_share=len(set(filled)) / max(1, len(filled)),
            mean_length=sum(map(len, filled)) / max(1, len(filled)))
    return shapes


def _label_shaped(shape: ColumnShape, by_name: bool) -> bool:
    """Few blanks and few distinct values: at most one per two rows (or two) for a column named
    like a label, and also at most 50 for one guessed from its shape alone."""
    if shape.mostly_blank or not 0 < shape.distinct <= max(2, shape.filled // 2):
        return False
    return by_name or shape.distinct <= _MAX_GUESSED_CLASSES


def _text_score(shape: ColumnShape) -> float:
    """Long, varied values score high: free text, not codes or categories."""
    return shape.mean_length * shape.distinct_share


def guess_columns(table: Table, task: str) -> dict[str, str]:
    """A good first guess for the column mapping. Only columns whose shape fits a role are
    candidates for it (a nearly empty column is never guessed); among them a known name wins,
    then the shape: long varied text for text columns, few distinct short values for labels."""
    shapes = column_shapes(table.dataset)
    filled = [name for name in table.columns if not shapes[name].mostly_blank]

    def by_name(candidates, among, exclude=()):
        lower = {name.lower(): name for name in among if name not in exclude}
        return next((lower[c] for c in candidates if c in lower), "")

    if task == "causal-lm":
        prompt = by_name(PROMPT_NAMES, filled)
        response = by_name(RESPONSE_NAMES, filled, exclude=(prompt,))
        rest = sorted((c for c in filled if c not in (prompt, response)),
                      key=lambda name: shapes[name].mean_length, reverse=True)
        prompt = prompt or (rest.pop(0) if rest else "")
        response = response or (rest.pop(0) if rest else "")
        return {"prompt_column": prompt, "response_column": response}
    label = by_name(LABEL_NAMES, [c for c in filled if _label_shaped(shapes[c], True)])
    if not label:
        shaped = [c for c in filled if _label_shaped(shapes[c], False)]
        label = min(shaped, key=lambda name: (shapes[name].distinct < 2,
                                              shapes[name].mean_length), default="")
    texts = [c for c in filled if c != label]
    text = by_name(TEXT_NAMES, texts) or max(
        texts, key=lambda name: _text_score(shapes[name]), default="")
    pair = by_name(PAIR_NAMES, texts, exclude=(text,))
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
