"""Data files for training: loading any supported file into a Table of strings, column
guessing, and the data report shown before training.

Loading goes through ``datasets`` so that large files are memory-mapped Arrow tables (a preview of
a million rows stays fast) and every cell arrives as a string: labels are mapped by the task.
How each format is read lives beside this module: ``files`` (formats, compression, encodings,
raw text), ``dialect`` (delimiter, title lines, header), ``tabular`` (delimited files, ragged
rows) and ``records`` (JSON, Parquet, Excel); the names other modules use are importable from
here.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import CATALOGUE, Message, known, message
from pft_desktop.core.dialect import (  # noqa: F401  (public names, imported from here)
    HEADER_CHOICES,
    first_row_is_header,
    is_number,
    read_sample,
    sniff_dialect,
)
from pft_desktop.core.files import (  # noqa: F401
    FALLBACK_ENCODINGS,
    FORMAT_CHOICE,
    FORMATS,
    READABLE,
    TEXT_COLUMN,
    detect_encoding,
    detect_format,
    load_lines,
    nul_warning,
    remove_nul,
    tab_table,
    text_facts,
)
from pft_desktop.core.records import load_records, read_excel_rows
from pft_desktop.core.tabular import column_names, load_delimited


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
    notes: list = field(default_factory=list)     # how the file was read, for the person
    warnings: list = field(default_factory=list)  # rows left out or changed, and why

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
    samples: dict = field(default_factory=dict)        # images: class -> a few file paths
    example: list = field(default_factory=list)  # chat: one rendered example, [text, learned]
    counts_name: str = "Labels"  # what label_counts count, as the report's line says it
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    # English text -> core.messages.wire() of the catalogue messages above, so that the app
    # shows them in its language after the report travelled as JSON.
    message_ids: dict = field(default_factory=dict)

    def drop(self, reason: str, count: int) -> None:
        if count:
            self.dropped[reason] = self.dropped.get(reason, 0) + int(count)

    def to_dict(self) -> dict:
        from pft_desktop.core.messages import wire

        out = asdict(self)
        for text in [*self.warnings, *self.notes, *self.dropped, self.counts_name]:
            if isinstance(text, Message):
                out["message_ids"][str(text)] = wire(text)
        return out

    def restored(self, texts) -> list:
        """``texts`` with the catalogue messages among them rebuilt from ``message_ids``."""
        from pft_desktop.core.messages import unwire

        out = []
        for text in texts:
            data = None if isinstance(text, Message) else self.message_ids.get(text)
            rebuilt = unwire(data) if isinstance(data, dict) else None
            out.append(rebuilt if rebuilt is not None and rebuilt == text else text)
        return out

    def lines(self) -> list[str]:
        """Human-readable summary, one finding per line (catalogue messages: core.messages)."""
        if self.packed:
            out = [message("report.texts", texts=counted(self.rows_read, "text"),
                           kept=self.rows_kept, train=counted(self.train_rows, "training block"),
                           validation=counted(self.validation_rows, "validation block"))]
        else:
            out = [message("report.rows", rows=counted(self.rows_read, "row"), kept=self.rows_kept,
                           train=self.train_rows, validation=self.validation_rows)]
        out += [message("report.dropped", rows=counted(count, "row"), reason=reason)
                for reason, count in zip(self.restored(self.dropped), self.dropped.values())]
        if self.duplicates:
            out.append(message("report.duplicate" if self.duplicates == 1 else
                               "report.duplicates", rows=counted(self.duplicates, "row")))
        if self.label_counts:
            out.append(message("report.counts", name=known(self.restored([self.counts_name])[0]),
                               counts=", ".join(f"{k} {v:,}"
                                                for k, v in self.label_counts.items())))
        if self.token_lengths and not self.packed:
            out.append(lengths_line(self.token_lengths))
        return out + self.restored(self.notes) + [
            message("report.warning", warning=w) for w in self.restored(self.warnings)]


def lengths_line(t: dict) -> str:
    """The report's line on tokens per row; figures from a sample say so, with their bound
    (core.token_lengths)."""
    if not t.get("approximate"):
        return message("report.lengths", p50=t["p50"], p95=t["p95"], max=t["max"],
                       truncated=t["truncated_share"])
    error = t["rank_error"]
    return message("report.lengths_sampled", sampled=t["sampled_rows"], rows=t["rows"],
                   p50=t["p50"], p95=t["p95"], max=t["max"], truncated=t["truncated_share"],
                   error=error, points=error * 100, confidence=t["confidence"])


def counted(count: int, noun: str, plural: str = "") -> str:
    """'1 row', '2 rows', '1,000 classes': a count with its noun in the right number (a
    catalogue message for the nouns it lists)."""
    key = "count." + (noun if count == 1 else plural or noun + "s").replace(" ", "_")
    if key in CATALOGUE:
        return message(key, count=count)
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def load_table(path: str | Path, *, encoding: str = "", delimiter: str = "",
               header: str = "auto") -> Table:
    """Read a data file into a Table, or raise a UserError that names the problem and a fix.
    ``header`` ("auto", "yes", "no") says whether a CSV/TSV's first row names the columns; the
    Table keeps the encoding, delimiter and header as resolved, and notes and warnings that
    say what was skipped, padded or renamed. Inside ``tables_kept()`` an unchanged file is not
    read again."""
    if _kept is None:
        return _read_table(path, encoding, delimiter, header)
    from pft_desktop.core.check_cache import file_fingerprint

    fingerprint = file_fingerprint(path)
    key = (str(Path(path).expanduser()), encoding, delimiter, header)
    found = _kept.pop(key, None)
    if found is None or not fingerprint or found[0] != fingerprint:
        found = (fingerprint, _read_table(path, encoding, delimiter, header))
    _kept[key] = found  # the most recently used last
    while len(_kept) > KEPT_TABLES:
        _kept.pop(next(iter(_kept)))
    table = found[1]
    return replace(table, notes=list(table.notes), warnings=list(table.warnings),
                   ignored_columns=list(table.ignored_columns))


KEPT_TABLES = 4
_kept: dict | None = None  # (path, options) -> (fingerprint, Table) inside tables_kept()


@contextmanager
def tables_kept():
    """Keep tables read in this block and read a file again only when its fingerprint (size,
    time, both ends: core.check_cache) changed: the Data page's check service checks the same
    file after every change of mapping (reading a million rows again took about 1 s)."""
    global _kept
    outer, _kept = _kept, {} if _kept is None else _kept
    try:
        yield
    finally:
        _kept = outer


def _read_table(path: str | Path, encoding: str, delimiter: str, header: str) -> Table:
    if header not in HEADER_CHOICES:
        raise UserError("invalid_config", message("error.header_choice", header=header),
                        message("fix.header_choice"))
    path = Path(path).expanduser()
    if not path.exists():
        raise UserError("missing_file", message("error.data_missing", path=str(path)),
                        message("fix.data_missing"))
    if path.is_dir():
        raise UserError("missing_file", message("error.data_folder", path=str(path)),
                        message("fix.data_folder", readable=known(READABLE)))
    fmt = detect_format(path)
    if path.stat().st_size == 0:
        raise UserError("empty_file", message("error.data_empty", file=path.name),
                        message("fix.data_empty"))
    if fmt == "text":
        table = _load_text(path, encoding, delimiter, header)
    elif fmt == "csv":
        table = _table(path, "csv", load_delimited(path, encoding, delimiter, header))
    elif fmt == "excel":
        table = _load_excel(path, header)
    else:
        dataset, notes = load_records(path, fmt)
        table = Table(path, fmt, dataset, "utf-8", notes=notes)
    if len(table) == 0:
        raise UserError("header_only", message("error.header_only", file=path.name),
                        message("fix.header_only"))
    return _drop_empty_columns(table)


def _table(path: Path, fmt: str, read) -> Table:
    return Table(path, fmt, read.dataset, read.encoding, read.delimiter, read.has_header,
                 notes=read.notes, warnings=read.warnings)


def _load_text(path: Path, encoding: str, delimiter: str, header: str) -> Table:
    """A .txt file is raw text, one text per non-blank line in a column 'text' (what
    pretraining reads), unless its lines are a tab-separated table or a delimiter is chosen."""
    facts = text_facts(path, encoding)
    if delimiter or tab_table(read_sample(path, facts.encoding)):
        table = _table(path, "csv", load_delimited(path, facts.encoding, delimiter, header))
        if not delimiter:
            table.notes.insert(0, message("data.read_as_tsv", file=path.name))
        return table
    dataset = load_lines([path], [facts.encoding])
    if not len(dataset):
        raise UserError("empty_file", message("error.blank_lines", file=path.name),
                        message("fix.blank_lines"))
    table = Table(path, "txt", dataset, facts.encoding, has_header=False)  # as a folder is
    table.notes.append(message("data.read_as_text", file=path.name, lines=len(dataset),
                               column=TEXT_COLUMN))
    if facts.nul_bytes:
        table.dataset = remove_nul(dataset)
        table.warnings.append(nul_warning(path, facts))
    return table


def _load_excel(path: Path, header: str) -> Table:
    """The first sheet of an .xlsx workbook, its header judged like a CSV's."""
    import datasets

    rows, notes = read_excel_rows(path)
    if not rows:
        raise UserError("empty_file", message("error.empty_sheet", file=path.name),
                        message("fix.empty_sheet"))
    has_header = header == "yes" or (header == "auto" and first_row_is_header(rows))
    width = max(len(row) for row in rows)
    names, renamed = column_names(rows[0] if has_header else [], width)
    if renamed:
        notes.append(f"In {path.name}'s header, " + "; ".join(renamed) + ".")
    body = [row + [""] * (width - len(row)) for row in (rows[1:] if has_header else rows)]
    body = [row for row in body if any(cell.strip() for cell in row)]
    dataset = datasets.Dataset.from_dict(
        {name: [row[i] for row in body] for i, name in enumerate(names)},
        features=datasets.Features({name: datasets.Value("string") for name in names}))
    return Table(path, "excel", dataset, "", "", has_header, notes=notes)


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
    numeric_share: float = 0.0  # of the non-blank values, those that are numbers

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
            mean_length=sum(map(len, filled)) / max(1, len(filled)),
            numeric_share=sum(map(is_number, filled)) / max(1, len(filled)))
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


def _fits(shape: ColumnShape, wanted: str, by_name: bool) -> bool:
    if shape.mostly_blank:
        return False
    if wanted == "label":
        return _label_shaped(shape, by_name)
    if wanted == "number":
        return shape.numeric_share >= 0.95
    return True


def guess_roles(table: Table, roles) -> dict[str, str]:
    """A good first guess for a task's column mapping (``roles``: its Role declarations).
    Only columns whose shape fits a role are candidates for it (a nearly empty column is never
    guessed); among them a known name wins, then the shape: long varied text for text roles,
    few distinct short values for labels, numbers for numeric roles. Optional roles are only
    guessed by name."""
    shapes = column_shapes(table.dataset)
    chosen: dict[str, str] = {}
    order = sorted(roles, key=lambda role: role.shape == "text")  # the stricter shapes first

    def free(role, by_name):
        return [c for c in table.columns if c not in chosen.values()
                and _fits(shapes[c], role.shape, by_name)]

    for role in order:
        lower = {name.lower(): name for name in free(role, True)}
        found = next((lower[n] for n in role.names if n in lower), "")
        if found:
            chosen[role.field] = found
    for role in order:
        if role.field in chosen or not role.required:
            continue
        candidates = free(role, False)
        if not candidates:
            continue
        if role.shape == "label":
            chosen[role.field] = min(candidates, key=lambda c: (shapes[c].distinct < 2,
                                                                shapes[c].mean_length))
        elif role.shape == "number":
            chosen[role.field] = max(candidates, key=lambda c: shapes[c].distinct)
        else:
            chosen[role.field] = max(candidates, key=lambda c: _text_score(shapes[c]))
    return {role.field: chosen.get(role.field, "") for role in roles}


def guess_columns(table: Table, task: str) -> dict[str, str]:
    """The task's first guess at the column mapping (see guess_roles)."""
    from pft_desktop.core.tasks import get_task

    return get_task(task).guess(table)


def require_columns(table: Table, wanted: dict[str, str]) -> None:
    """Raise if a mapped column is missing, naming the columns the file does have."""
    missing = [(role, name) for role, name in wanted.items() if name and name not in table.columns]
    if missing:
        role, name = missing[0]
        fix = message("fix.missing_column")
        if table.format == "txt":
            fix = message("fix.missing_column_text", file=table.path.name, column=TEXT_COLUMN,
                          where=known(FORMAT_CHOICE))
        raise UserError("missing_column", message(
            "error.missing_column", column=name, role=role.replace("_", " "),
            file=table.path.name, columns=", ".join(table.columns)), fix)


def token_length_summary(lengths: list[int], max_length: int) -> dict:
    import numpy as np

    if not lengths:
        return {}
    values = np.asarray(lengths)
    pct = {f"p{q}": int(np.percentile(values, q)) for q in (50, 90, 95, 99)}
    counts, edges = np.histogram(values, bins=min(40, max(5, int(values.max()) // 4 or 1)))
    return {**pct, "max": int(values.max()), "mean": round(float(values.mean()), 1),
            "max_length": max_length, "rows": len(values),
            "truncated_share": round(float((values > max_length).mean()), 4),
            "histogram": {"counts": counts.tolist(), "edges": [round(float(e), 2)
                                                             for e in edges]}}
