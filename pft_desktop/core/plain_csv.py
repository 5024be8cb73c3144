"""Plain delimited files read by pyarrow's CSV reader straight into an Arrow file that the
dataset memory-maps. ``datasets``' CSV loader parses with pandas a chunk at a time and converts
each chunk to Arrow: a million-row, 40 MB file took 0.88 s there against about 0.15 s here.

Only files that both parsers read alike come here: UTF-8 without NUL bytes, every row exactly
as wide as the table (pandas pads short rows and skips whitespace-only lines, where pyarrow
would refuse them or keep them as rows). Everything else goes through ``datasets``, as does
this file when pyarrow cannot read it or its copy cannot be written.

The copy is kept under the file's fingerprint, so the run launched after a check maps it
instead of reading the file again; the KEPT_COPIES most recently used copies are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import time
from pathlib import Path

from pft_desktop.core.files import is_compressed, open_bytes

VERSION = 1
KEPT_COPIES = 8
BLOCK_BYTES = 4 << 20  # per parsed block (and so per Arrow chunk): about 100,000 short rows
STALE_SECONDS = 24 * 3600  # a partial copy this old was left by a process that died
PLAIN_ENCODINGS = ("utf-8", "utf-8-sig", "ascii")
END_OF_STREAM = b"\xff\xff\xff\xff\x00\x00\x00\x00"  # Arrow IPC: continuation, length 0

log = logging.getLogger("pft_desktop")


def is_plain(encoding: str, nul_bytes: int, cells) -> bool:
    """Whether pyarrow reads the file as pandas would: ``cells`` (tabular.CellCounts) counted
    every row and found none wider or narrower than the table's two or more columns."""
    return (encoding in PLAIN_ENCODINGS and not nul_bytes and cells.known and not cells.odd
            and cells.width >= 2)


def copies_folder() -> Path:
    """Beside datasets' own cache ($HF_DATASETS_CACHE), which holds what it reads."""
    import datasets

    return Path(datasets.config.HF_DATASETS_CACHE) / "pft-desktop-csv"


def read_plain(path: Path, delimiter: str, skip_rows: int, names: list[str]):
    """A memory-mapped datasets.Dataset of the file's rows (every cell a string, empty cells
    ''), or None when it could not be made (the caller reads the file another way)."""
    import datasets

    from pft_desktop.core.check_cache import file_fingerprint

    fingerprint = file_fingerprint(path)
    if not fingerprint:
        return None
    folder = copies_folder()
    key = hashlib.sha256(json.dumps([VERSION, fingerprint, delimiter, skip_rows, names],
                                    sort_keys=True).encode()).hexdigest()[:32]
    copy = folder / f"csv-{key}.arrow"
    try:
        if copy.is_file() and is_whole(copy):
            with contextlib.suppress(OSError):  # (a read-only cache still serves its copies)
                os.utime(copy)  # recently used
        else:
            folder.mkdir(parents=True, exist_ok=True)
            if not _write_copy(path, delimiter, skip_rows, names, copy):
                return None
            _trim(folder)
        return datasets.Dataset.from_file(str(copy))
    except (OSError, ValueError) as exc:  # a copy that cannot be written or mapped costs time
        log.warning("%s was read the slower way: its copy in %s failed: %s", path.name,
                    folder, exc)
        with contextlib.suppress(OSError):  # (pyarrow's errors are ValueErrors or OSErrors)
            copy.unlink(missing_ok=True)
        return None


def is_whole(copy: Path) -> bool:
    """Whether the copy ends with the end-of-stream marker its writer adds when it closes: a
    copy cut short or left zero-filled by a crash is made again, never read as fewer rows."""
    try:
        with open(copy, "rb") as handle:
            handle.seek(-len(END_OF_STREAM), os.SEEK_END)
            return handle.read() == END_OF_STREAM
    except OSError:  # shorter than the marker, or unreadable
        return False


def _write_copy(path: Path, delimiter: str, skip_rows: int, names: list[str],
                copy: Path) -> bool:
    """Parse the file a block at a time into an Arrow stream file, written aside and moved
    into place. False when pyarrow cannot parse it (a row longer than a block, say)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    partial = copy.with_name(f"{copy.name}.{os.getpid()}-{threading.get_ident()}.partial")
    try:
        reader = pacsv.open_csv(
            pa.input_stream(str(path), compression="gzip" if is_compressed(path) else None),
            read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES, skip_rows=skip_rows,
                                           column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names}))
        last = None
        with pa.OSFile(str(partial), "wb") as sink, \
                pa.ipc.new_stream(sink, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
                last = batch if batch.num_rows else last
        if last is not None and ends_in_open_quote(path, last.column(-1)[-1].as_py()):
            return False  # datasets refuses the file with the quote's line
        os.replace(partial, copy)
        return True
    except (pa.ArrowException, UnicodeError, ValueError) as exc:
        log.info("pyarrow could not read %s (%s); datasets reads it", path.name, exc)
        return False
    finally:
        partial.unlink(missing_ok=True)


def ends_in_open_quote(path: Path, last_cell: str) -> bool:
    """Whether the file may end inside a quoted cell. pyarrow closes such a cell at the end of
    the file, where pandas refuses the file; the cell is then the last row's last cell and the
    file ends with its opening quote and its text as written. (A closed cell of quotes alone
    also ends so: it is read the slower way, nothing worse.)"""
    written = ('"' + last_cell.replace('"', '""')).encode("utf-8")
    with open_bytes(path) as raw:
        if not is_compressed(path):
            raw.seek(max(0, path.stat().st_size - len(written)))
        tail = b""
        while block := raw.read(1 << 20):  # (a compressed file is read to its end)
            tail = (tail + block)[-len(written):]
    return tail == written


def _trim(folder: Path) -> None:
    """Drop all but the KEPT_COPIES most recently used copies, partial copies left by
    processes that died, and the day-old caches ``datasets`` wrote beside the copies
    (``cache-*.arrow``, from mapping a copy; remade when needed). A file another process
    still maps may refuse to go (Windows): it is tried again next time."""
    from pft_desktop.core.check_cache import last_used, trim

    trim(folder, "csv-*.arrow", KEPT_COPIES)  # (the copy just written is the newest)
    for pattern in ("*.partial", "cache-*.arrow"):
        for old in folder.glob(pattern):
            if time.time() - last_used(old) > STALE_SECONDS:
                with contextlib.suppress(OSError):
                    old.unlink()
