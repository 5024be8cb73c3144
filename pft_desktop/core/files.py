"""Data files as bytes and text: which format a name says, compressed files, text encodings,
binary files passed off as text, NUL bytes, and raw text read one text per line.

A file that cannot be read raises a UserError that names the file, the place and the fix.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import known, message

FORMATS = {".csv": "csv", ".tsv": "csv", ".tab": "csv", ".txt": "text", ".jsonl": "json",
           ".json": "json", ".ndjson": "json", ".parquet": "parquet", ".pq": "parquet",
           ".xlsx": "excel", ".xlsm": "excel"}
# Spreadsheet formats with no reader installed: said plainly, with the way out.
SAVE_AS = {".xls": "an old Excel workbook (.xls)", ".ods": "an OpenDocument spreadsheet (.ods)",
           ".numbers": "an Apple Numbers document"}
COMPRESSED = (".gz",)
READABLE = "CSV, TSV, JSON Lines (.jsonl), JSON, Parquet, Excel (.xlsx) or plain text (.txt)"
FALLBACK_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
# Where a person changes how a file is read: said in messages from core, so it names both.
FORMAT_CHOICE = "above the preview on the Data page; --header/--delimiter/--encoding on the " \
    "command line"
_CHUNK = 1 << 20
_HEAD = 8192
_MAGIC = ((b"PK\x03\x04", "a zip archive (an Excel .xlsx workbook is one)"),
          (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
          (b"%PDF", "a PDF document"), (b"PAR1", "a Parquet file"),
          (b"\x1f\x8b", "gzip-compressed data"), (b"\x89PNG", "a PNG image"),
          (b"SQLite format 3", "an SQLite database"))
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13))
BINARY_SHARE = 0.05  # control bytes in the first 8 KB above this share: not text


def inner_suffix(path: Path) -> str:
    """The suffix that says the format: '.csv' for both data.csv and data.csv.gz."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSED:
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def is_compressed(path: Path) -> bool:
    return path.suffix.lower() in COMPRESSED


def detect_format(path: Path) -> str:
    """'csv', 'json', 'parquet', 'excel' or 'text' from the file's name, or a UserError."""
    suffix = inner_suffix(path)
    if suffix in SAVE_AS:
        raise UserError("unsupported_format", message("error.save_as", file=path.name,
                                                      kind=SAVE_AS[suffix]),
                        message("fix.save_as"))
    fmt = FORMATS.get(suffix)
    if fmt is None or (is_compressed(path) and fmt in ("parquet", "excel")):
        raise UserError("unsupported_format", message("error.unsupported_format",
                                                      file=path.name),
                        message("fix.unsupported_format", readable=known(READABLE)))
    return fmt


def open_bytes(path: Path):
    """The file's bytes, decompressed when its name ends in .gz."""
    if is_compressed(path):
        return gzip.open(path, "rb")
    return open(path, "rb")


def read_head(path: Path, size: int = _HEAD) -> bytes:
    try:
        with open_bytes(path) as handle:
            return handle.read(size)
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise UserError("unreadable", message("error.not_gzip", file=path.name,
                                              error=str(exc)),
                        message("fix.not_gzip")) from None


def _utf16_bom(head: bytes) -> bool:
    return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def binary_kind(head: bytes) -> str:
    """What a file that is not text looks like ('a PDF document'), or '' for text. A few stray
    NUL bytes in text (some exports write them) do not make it binary."""
    if _utf16_bom(head) or head.startswith(codecs.BOM_UTF8):
        return ""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    controls = sum(head.count(bytes([c])) for c in _CONTROL)
    return "binary data" if head and controls > BINARY_SHARE * len(head) else ""


def refuse_binary(path: Path, kind: str) -> UserError:
    fix = message("fix.binary")
    if kind.startswith("a zip archive"):
        fix = message("fix.binary_zip")
    elif kind.startswith("gzip"):
        fix = message("fix.binary_gzip")
    elif kind.startswith("a Parquet"):
        fix = message("fix.binary_parquet")
    return UserError("undecodable", message("error.binary", file=path.name, kind=kind), fix)


@dataclass
class TextFacts:
    """What the decoding pass found: the encoding and any NUL bytes (with the first one's
    line), which no text should hold."""

    encoding: str
    nul_bytes: int = 0
    first_nul_line: int = 0


def detect_encoding(path: Path, wanted: str = "") -> str:
    """The first encoding that decodes the whole file: UTF-16 when it starts with its byte
    order mark, else UTF-8 (with or without BOM), then Windows-1252, then Latin-1."""
    return text_facts(path, wanted).encoding


def text_facts(path: Path, wanted: str = "") -> TextFacts:
    head = read_head(path)
    kind = binary_kind(head)
    if kind:
        raise refuse_binary(path, kind)
    candidates = (wanted,) if wanted else FALLBACK_ENCODINGS
    if _utf16_bom(head) and not wanted:
        candidates = ("utf-16",)
    for encoding in candidates:
        try:
            decoder = codecs.getincrementaldecoder(encoding)()
        except LookupError:
            raise UserError("undecodable", message("error.unknown_encoding", encoding=wanted),
                            message("fix.unknown_encoding",
                                    where=known(FORMAT_CHOICE))) from None
        try:
            facts = _decode_all(path, decoder, count_nul=not encoding.startswith("utf-16"))
        except UnicodeDecodeError as exc:
            if wanted:
                raise UserError("undecodable", message(
                    "error.wrong_encoding", file=path.name, encoding=wanted,
                    byte=repr(exc.object[exc.start:exc.start + 1])),
                    message("fix.wrong_encoding", where=known(FORMAT_CHOICE))) from None
            continue
        facts.encoding = "utf-8" if encoding == "utf-8-sig" and \
            not head.startswith(codecs.BOM_UTF8) else encoding
        return facts
    raise UserError("undecodable", message("error.undecodable", file=path.name),
                    message("fix.undecodable"))


def _decode_all(path: Path, decoder, count_nul: bool) -> TextFacts:
    facts, lines = TextFacts(""), 0
    with open_bytes(path) as handle:
        while chunk := handle.read(_CHUNK):
            decoder.decode(chunk)
            if count_nul and b"\x00" in chunk:
                if not facts.nul_bytes:
                    facts.first_nul_line = lines + chunk[:chunk.index(b"\x00")].count(b"\n") + 1
                facts.nul_bytes += chunk.count(b"\x00")
            if count_nul and not facts.nul_bytes:
                lines += chunk.count(b"\n")
        decoder.decode(b"", final=True)
    return facts


def nul_warning(path: Path, facts: TextFacts) -> str:
    one = facts.nul_bytes == 1
    return (f"{path.name} holds {facts.nul_bytes:,} NUL byte{'' if one else 's'} (the first on "
            f"line {facts.first_nul_line}), which no text contains; {'it was' if one else 'they were'} "
            "removed. If the text looks wrong, export the file again from its program as CSV "
            "(UTF-8).")


def remove_nul(dataset):
    """The same rows with NUL characters taken out of every text cell."""
    import pyarrow.compute as pc

    def strip(batch):
        return batch.__class__.from_arrays(
            [pc.replace_substring(column, "\x00", "") if column.type == "string" else column
             for column in batch.columns], names=batch.column_names)

    return dataset.with_format("arrow").map(strip, batched=True, desc="Removing NUL bytes") \
        .with_format(None)


@contextlib.contextmanager
def quiet_datasets():
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


def error_chain(exc: BaseException) -> tuple[list, str]:
    chain, cause = [], exc
    while cause is not None and len(chain) < 10:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    return chain, " | ".join(f"{type(item).__name__}: {item}" for item in chain)


def unreadable(path: Path, exc: BaseException) -> UserError:
    chain, _ = error_chain(exc)
    return UserError("unreadable", message(
        "error.unreadable", file=path.name, format=inner_suffix(path)[1:],
        error=f"{chain[-1].__class__.__name__}: {str(chain[-1])[:300]}"),
        message("fix.unreadable"))


# -- raw text ------------------------------------------------------------------------------------

TEXT_COLUMN = "text"


def load_lines(files: list[Path], encodings: list[str]):
    """Plain-text files as one ``text`` row per non-blank line."""
    import datasets

    parts = []
    for encoding in dict.fromkeys(encodings):
        group = [str(f) for f, e in zip(files, encodings) if e == encoding]
        with quiet_datasets():
            parts.append(datasets.load_dataset("text", data_files=group, split="train",
                                               encoding=encoding))
    corpus = parts[0] if len(parts) == 1 else datasets.concatenate_datasets(parts)
    with quiet_datasets():
        return corpus.filter(lambda batch: [bool(t.strip()) for t in batch[TEXT_COLUMN]],
                             batched=True, desc="Skipping blank lines")


def tab_table(sample: str) -> bool:
    """Whether a .txt file's first lines are a tab-separated table: every non-blank line of the
    sample has the same number of tabs, at least one."""
    lines = [line for line in re.split(r"\r\n|\r|\n", sample)[:-1] if line.strip()][:200]
    counts = {line.count("\t") for line in lines}
    return len(lines) >= 2 and len(counts) == 1 and counts.pop() >= 1


def is_raw_text(train_file: str) -> bool:
    """A folder of .txt files or a .txt file: texts without columns to name."""
    path = Path(train_file).expanduser()
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    return bool(train_file) and (path.is_dir() or suffixes[-1:] == [".txt"])
