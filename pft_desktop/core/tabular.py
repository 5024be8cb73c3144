"""Delimited text (CSV, TSV, semicolons...): rows with too many or too few cells, header rows
repeated inside the data, and loading through ``datasets`` so that large files are
memory-mapped Arrow tables. How the file is written (delimiter, title lines, header) is judged
in ``dialect``.

Before loading, one fast pass with pyarrow counts the cells of every row (about 1 s for 200 MB),
so the person is told exactly which rows are ragged instead of meeting pandas' silent repairs
(a first row with one cell too many makes pandas shift every column). A file that count finds
plain (UTF-8, every row as wide as the table) is then read by pyarrow itself (``plain_csv``),
several times faster than ``datasets``' pandas loader; the rest goes through ``datasets``.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pft_desktop.core.dialect import (
    first_row_is_header,
    read_sample,
    records_in_lines,
    sample_rows,
    sniff_delimiter,
    title_rows,
)
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import known, message
from pft_desktop.core.files import (
    FORMAT_CHOICE,
    error_chain,
    is_compressed,
    nul_warning,
    open_bytes,
    quiet_datasets,
    remove_nul,
    text_facts,
    unreadable,
)
from pft_desktop.core.plain_csv import is_plain, read_plain

DELIMITER_NAMES = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "vertical bar"}
RAGGED_DROPPED_AT_MOST = 0.01  # rows with extra cells above this share: the file is refused
LINES_NAMED = 5


def delimiter_name(delimiter: str) -> str:
    return known(DELIMITER_NAMES.get(delimiter, repr(delimiter)))


def lines_text(lines: list[int], total: int) -> str:
    """'line 7', 'lines 7, 9 and 12', 'lines 7, 9, 12, 15, 20 and 3 more'."""
    shown = [str(n) for n in lines[:LINES_NAMED]]
    more = total - len(shown)
    if more > 0:
        return message("where.lines_more", lines=", ".join(shown), more=more)
    if len(shown) == 1:
        return message("where.line", line=shown[0])
    return message("where.lines", lines=", ".join(shown[:-1]), last=shown[-1])


# -- counting cells ------------------------------------------------------------------------------

@dataclass
class CellCounts:
    """Cells per data row, from one pass over the file: the number of rows, and for each count
    other than the table's width, how many rows have it and the first few line numbers."""

    width: int
    rows: int = 0
    odd: Counter = field(default_factory=Counter)
    lines: dict = field(default_factory=dict)  # cell count -> first line numbers
    known: bool = True  # False when the pass could not run; nothing is then claimed

    def rows_with(self, test) -> tuple[int, list[int]]:
        found = [n for n in self.odd if test(n)]
        return sum(self.odd[n] for n in found), sorted(
            line for n in found for line in self.lines.get(n, []))[:LINES_NAMED]

    def most_on(self, line: int) -> int:
        return next((n for n, lines in self.lines.items() if line in lines), self.width)


def count_cells(path: Path, encoding: str, delimiter: str, skip_lines: int,
                width: int) -> CellCounts:
    """Count the cells of every data row with pyarrow's CSV reader (no type conversion)."""
    import pyarrow as pa

    for block_size in BLOCK_SIZES:
        try:
            return _count_cells(path, encoding, delimiter, skip_lines, width, block_size)
        except pa.ArrowInvalid as exc:
            if "straddling" not in str(exc):  # (a row longer than a block: try larger ones)
                break
        except (pa.ArrowException, OSError, UnicodeError, ValueError):
            break
    return CellCounts(width, known=False)


# 1 MB blocks: faster than 16 MB and a third of the memory (200 MB CSV: 0.12 s and 83 MB
# against 0.38 s and 259 MB, measured); a row longer than a block needs the larger size.
BLOCK_SIZES = (1 << 20, 1 << 26)


def _count_cells(path: Path, encoding: str, delimiter: str, skip_lines: int, width: int,
                 block_size: int) -> CellCounts:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    cells = CellCounts(width)

    def on_odd_row(row):
        cells.odd[row.actual_columns] += 1
        found = cells.lines.setdefault(row.actual_columns, [])
        if len(found) < LINES_NAMED:
            found.append(row.number)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    reader = pacsv.open_csv(
        pa.input_stream(str(path), compression="gzip" if is_compressed(path) else None),
        read_options=pacsv.ReadOptions(
            use_threads=False, block_size=block_size, skip_rows=skip_lines, column_names=names,
            encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                         invalid_row_handler=on_odd_row),
        convert_options=pacsv.ConvertOptions(include_columns=names[:1],
                                             column_types={names[0]: pa.string()}))
    regular = sum(batch.num_rows for batch in reader)
    cells.rows = regular + sum(cells.odd.values())
    return cells


# -- loading -------------------------------------------------------------------------------------

@dataclass
class Delimited:
    """How a delimited file was read, and what the person should know about it."""

    dataset: object
    encoding: str
    delimiter: str
    has_header: bool
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def load_delimited(path: Path, wanted_encoding: str = "", wanted_delimiter: str = "",
                   header: str = "auto") -> Delimited:
    facts = text_facts(path, wanted_encoding)
    encoding = facts.encoding
    sample = read_sample(path, encoding)
    if not sample.strip():
        raise UserError("empty_file", message("error.blank_lines", file=path.name),
                        message("fix.blank_table"))
    delimiter = sniff_delimiter(sample, path, wanted_delimiter)
    rows = sample_rows(sample, delimiter)
    if not rows:
        raise _unparsable_sample(path, delimiter)
    notes, warnings = [], []
    titles = title_rows(rows)
    skip_lines = rows[titles - 1][1] if titles else 0
    if titles:
        shown = rows[0][0][0].strip()[:60] if rows[0][0] else ""
        notes.append(message("data.title_line", file=path.name, shown=shown) if titles == 1
                     else message("data.title_lines", lines=titles, file=path.name,
                                  shown=shown))
    table_rows = [row for row, _ in rows[titles:]]
    has_header = header == "yes" or (header == "auto" and first_row_is_header(table_rows))
    header_cells = table_rows[0] if has_header else []
    body = table_rows[1:] if has_header else table_rows
    common = Counter(len(row) for row in body).most_common(1)
    width = max(len(header_cells), common[0][0] if common else 0)
    data_start = rows[titles][1] if has_header else skip_lines
    cells = count_cells(path, encoding, delimiter, data_start, width)
    if has_header and cells.known and cells.rows == 0:
        raise UserError("header_only", message("error.header_only", file=path.name),
                        message("fix.header_only"))
    long_rows, long_lines = cells.rows_with(lambda n: n > width)
    if long_rows:
        warnings.append(_ragged(path, delimiter, cells, long_rows, long_lines, has_header))
    short_rows, short_lines = cells.rows_with(lambda n: 0 < n < width)
    if short_rows and width > 1:
        notes.append(f"{_plural(short_rows, 'row')} of {path.name} "
                     f"{'has' if short_rows == 1 else 'have'} fewer cells than the "
                     f"{'header' if header_cells else 'other rows'} ({width}: "
                     f"{lines_text(short_lines, short_rows)}); the missing cells are read as "
                     "empty.")
    names, renamed = column_names(header_cells, width)
    if renamed:
        notes.append(f"In {path.name}'s header, " + "; ".join(renamed) + ".")
    dataset = None
    if is_plain(encoding, facts.nul_bytes, cells):
        dataset = read_plain(path, delimiter, data_start, names)
    if dataset is None:
        dataset = _read(path, encoding, delimiter, has_header,
                        records_in_lines(sample, delimiter, skip_lines), names, long_rows,
                        chunk_rows(path.stat().st_size, cells.rows if cells.known else 0))
    if long_rows and body and len(body[0]) > width:
        dataset = dataset.select(range(1, len(dataset)))  # pandas keeps a long first row, cut
    if has_header:
        dataset, repeated = _without_repeated_header(dataset, header_cells)
        if repeated:
            notes.append(repeated.format(name=path.name))
    if not has_header and header == "auto":
        notes.append(f"The first row of {path.name} was read as data (it does not look like "
                     f"column names), so the columns are named column_1, column_2…. If it names "
                     f"the columns, turn on 'First row is a header' ({FORMAT_CHOICE}).")
    if facts.nul_bytes:
        dataset = remove_nul(dataset)
        warnings.append(nul_warning(path, facts))
    return Delimited(dataset, encoding, delimiter, has_header, notes, warnings)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun if count == 1 else noun + 's'}"


def column_names(header_cells: list[str], width: int) -> tuple[list[str], list[str]]:
    """Names for ``width`` columns: the header's (blank ones 'unnamed_3', repeats 'text_2'),
    or column_1... without a header; and what was renamed, in words."""
    if not header_cells:
        return [f"column_{i + 1}" for i in range(width)], []
    cells = list(header_cells) + [""] * (width - len(header_cells))
    names = [cell.strip() or f"unnamed_{i + 1}" for i, cell in enumerate(cells)]
    renamed, seen, out = [], Counter(), []
    taken = set(names)
    for name in names:
        seen[name] += 1
        if seen[name] == 1:
            out.append(name)
            continue
        new, n = f"{name}_{seen[name]}", seen[name]
        while new in taken:
            n += 1
            new = f"{name}_{n}"
        taken.add(new)
        out.append(new)
        renamed.append(f"the column name '{name}' is repeated; its column {len(out)} is "
                       f"called '{new}'")
    return out, renamed


def _ragged(path: Path, delimiter: str, cells: CellCounts, long_rows: int,
            long_lines: list[int], has_header: bool) -> str:
    """Rows with more cells than the header: a few are left out with a warning naming them;
    more than 1% means the delimiter or the quoting is wrong, and the file is refused."""
    width, above = cells.width, message("where.header" if has_header else "where.first_row")
    if long_rows > RAGGED_DROPPED_AT_MOST * max(1, cells.rows):
        first = long_lines[0]
        raise UserError("ragged_rows", message(
            "error.ragged_rows", file=path.name, line=first, fields=cells.most_on(first),
            above=above, width=width, long_rows=long_rows, rows=cells.rows,
            lines=lines_text(long_lines, long_rows), delimiter=delimiter_name(delimiter)),
            message("fix.ragged_rows", where=known(FORMAT_CHOICE)))
    return message("data.ragged_row" if long_rows == 1 else "data.ragged_rows",
                   rows=message("count.row" if long_rows == 1 else "count.rows",
                                count=long_rows), file=path.name, above=above, width=width,
                   lines=lines_text(long_lines, long_rows), delimiter=delimiter_name(delimiter))


# Rows pandas parses at a time for datasets: about this many bytes, within these bounds.
# datasets' 10,000 rows made 100 chunks of a million-row, 40 MB file, each converted to Arrow
# and written on its own: 1.55 s against 1.14 s in 100,000-row chunks (three rounds each);
# a chunk's bytes bound what a file of long rows holds in pandas at once.
CHUNK_BYTES, CHUNK_ROWS = 4 << 20, (10_000, 100_000)


def chunk_rows(size: int, rows: int) -> int:
    """Rows per parsed chunk for a file of ``size`` bytes and ``rows`` rows (0: unknown)."""
    low, high = CHUNK_ROWS
    if rows <= 0:
        return low
    return int(min(high, max(low, CHUNK_BYTES * rows // max(size, 1))))


def _read(path: Path, encoding: str, delimiter: str, has_header: bool, skip_records: int,
          names: list[str], long_rows: int, chunksize: int = CHUNK_ROWS[0]):
    import datasets

    features = datasets.Features({name: datasets.Value("string") for name in names})
    options = {"sep": delimiter, "encoding": encoding, "header": 0 if has_header else None,
               "names": names, "features": features, "keep_default_na": False,
               "na_filter": False, "skip_blank_lines": True, "index_col": False,
               "on_bad_lines": "skip" if long_rows else "error", "chunksize": chunksize}
    if skip_records:
        options["skiprows"] = skip_records
    try:
        with quiet_datasets(), warnings.catch_warnings():
            # A long first row is cut by pandas and dropped below; its warning says nothing
            # the person is not told already.
            warnings.filterwarnings("ignore", message="Length of header or names")
            return datasets.load_dataset("csv", data_files=str(path), split="train", **options)
    except Exception as exc:  # datasets wraps pandas' parser errors; find the cause
        raise explain_parse_error(exc, path, delimiter, encoding) from None


def _without_repeated_header(dataset, header_cells: list[str]):
    """Rows that repeat the header (files joined one after another) are not data. Compared a
    batch at a time, so a 200 MB file is not copied whole."""
    import numpy as np
    import pyarrow.compute as pc

    wanted = [(name, cell.strip()) for name, cell in zip(dataset.column_names, header_cells)
              if cell.strip()]
    if dataset._indices is not None or not wanted:
        return dataset, ""
    found, offset = [], 0
    for batch in dataset.data.table.to_batches(max_chunksize=100_000):
        mask = None
        for name, cell in wanted:
            equal = pc.equal(pc.utf8_trim_whitespace(batch.column(name)), cell)
            mask = equal if mask is None else pc.and_(mask, equal)
        hits = np.flatnonzero(mask.fill_null(False).to_numpy(zero_copy_only=False))
        found += (hits + offset).tolist()
        offset += batch.num_rows
    if not found:
        return dataset, ""
    keep = np.setdiff1d(np.arange(len(dataset)), found)
    shown = ", ".join(str(i + 1) for i in found[:LINES_NAMED])
    more = f" and {len(found) - LINES_NAMED:,} more" if len(found) > LINES_NAMED else ""
    return dataset.select(keep), (
        f"{_plural(len(found), 'row')} of {{name}} repeat{'s' if len(found) == 1 else ''} the "
        f"header (data row{'s' if len(found) > 1 else ''} {shown}{more}; files joined one "
        f"after another do this) and {'was' if len(found) == 1 else 'were'} left out.")


def _unparsable_sample(path: Path, delimiter: str) -> UserError:
    return UserError("unreadable", message("error.unparsable_start", file=path.name,
                                           delimiter=delimiter_name(delimiter)),
                     message("fix.unparsable_start", where=known(FORMAT_CHOICE)))


def explain_parse_error(exc: BaseException, path: Path, delimiter: str,
                        encoding: str = "utf-8") -> UserError:
    chain, text = error_chain(exc)
    if "EOF inside string" in text or "EOF while reading a quoted" in text:
        line = unclosed_quote_line(path, delimiter, encoding)
        if line:
            return UserError("unbalanced_quotes", message("error.open_quote_line",
                                                          file=path.name, line=line),
                             message("fix.open_quote_line", line=line))
        return UserError("unbalanced_quotes", message("error.open_quote", file=path.name),
                         message("fix.open_quote"))
    if "Expected" in text and "fields" in text:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
        where = message("where.fields", line=match.group(2), fields=match.group(3),
                        header=match.group(1)) if match else message("where.some_fields")
        return UserError("ragged_rows", message("error.ragged", file=path.name, where=where,
                                                delimiter=delimiter_name(delimiter)),
                         message("fix.ragged", where=known(FORMAT_CHOICE)))
    if "corresponds to no data" in text or "No columns to parse" in text:
        return UserError("header_only", message("error.no_data_rows", file=path.name),
                         message("fix.no_data_rows"))
    if "UnicodeDecodeError" in text:
        return UserError("undecodable", message("error.invalid_bytes", file=path.name),
                         message("fix.invalid_bytes", where=known(FORMAT_CHOICE)))
    return unreadable(path, exc)


def unclosed_quote_line(path: Path, delimiter: str, encoding: str) -> int:
    """The line where the record with the never-closed quote starts (0 when not found)."""
    try:
        with open_bytes(path) as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding=encoding, newline=""),
                                delimiter=delimiter, strict=True)
            start = 1
            while True:
                start = reader.line_num + 1
                next(reader)
    except StopIteration:
        return 0
    except (csv.Error, UnicodeError, OSError):
        return start
