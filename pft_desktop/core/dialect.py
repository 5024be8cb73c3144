"""How a delimited file is written: its delimiter, title or comment lines above the table, and
whether the first row names the columns; judged from the first 64 KB."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

from pft_desktop.core.files import open_bytes

SAMPLE_CHARS = 64 * 1024  # read to sniff the delimiter and judge the header
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
HEADER_CHOICES = ("auto", "yes", "no")
TITLE_ROWS_AT_MOST = 10


def read_sample(path: Path, encoding: str) -> str:
    with open_bytes(path) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        return text.read(SAMPLE_CHARS)


def sniff_dialect(sample: str, path: Path, wanted: str = "",
                  header: str = "auto") -> tuple[str, bool]:
    """Delimiter and whether the first row is a header; ``header`` "yes" or "no" decides the
    latter, "auto" judges it from the sample."""
    delimiter = sniff_delimiter(sample, path, wanted)
    if header in ("yes", "no"):
        return delimiter, header == "yes"
    rows = sample_rows(sample, delimiter)
    return delimiter, first_row_is_header([row for row, _ in rows[title_rows(rows):]])


def sniff_delimiter(sample: str, path: Path, wanted: str = "") -> str:
    if wanted:
        return "\t" if wanted in ("\\t", "tab") else wanted
    hinted = _sep_hint(sample)
    if hinted:
        return hinted
    if path.name.lower().endswith((".tsv", ".tab", ".tsv.gz", ".tab.gz")):
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        return "\t" if sample.count("\t") > sample.count(",") else ","


def _sep_hint(sample: str) -> str:
    """Excel writes 'sep=;' as the first line of some exports."""
    match = re.match(r"sep=(.)\r?\n", sample)
    return match.group(1) if match else ""


def sample_rows(sample: str, delimiter: str, limit: int = 200) -> list[tuple[list[str], int]]:
    """The first non-blank rows of the sample, each with the number of lines read up to its
    end (a cut-off last line is left out)."""
    if len(sample) >= SAMPLE_CHARS and "\n" in sample:
        sample = sample[:sample.rindex("\n") + 1]
    rows = []
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((row, reader.line_num))
            if len(rows) > limit:
                break
    except csv.Error:  # a quoted field cut by the sample's end, or longer than csv allows
        pass
    return rows


def records_in_lines(sample: str, delimiter: str, lines: int) -> int:
    """How many records, blank ones included, the first ``lines`` lines of the sample hold:
    pandas' ``skiprows`` counts records, so a title cell spanning two lines is one to skip
    (counting it as two cost the table its header or first row)."""
    if not lines:
        return 0
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    records = 0
    try:
        for _ in reader:
            records += 1
            if reader.line_num >= lines:
                break
    except csv.Error:  # (the titles were read from this sample: not reached)
        return lines
    return records


def title_rows(rows: list[tuple[list[str], int]]) -> int:
    """How many leading rows are a title or comments above the table: rows starting with '#',
    an Excel 'sep=' hint, or rows of one cell above rows of several."""
    counts = Counter(len(row) for row, _ in rows[1:])
    if not counts:
        return 0
    common = counts.most_common(1)[0][0]
    skipped = 0
    for row, _ in rows[:TITLE_ROWS_AT_MOST]:
        filled = [cell for cell in row if cell.strip()]
        first = filled[0].strip() if filled else ""
        if first.startswith("#") or re.fullmatch(r"sep=.?", first) or \
                (common >= 2 and len(row) < common and len(filled) <= 1):
            skipped += 1
            continue
        break
    if skipped >= len(rows):
        return 0
    if not skipped and len(rows) >= 3 and not _names_like(rows[0][0]) and \
            _names_like(rows[1][0]) and first_row_is_header([row for row, _ in rows[1:]]):
        return 1  # 'Sales report, 2024' above 'review,sentiment'
    return skipped


def _names_like(row: list[str]) -> bool:
    """Short cells without spaces, none a number: how column names are usually written."""
    filled = [cell.strip() for cell in row if cell.strip()]
    return bool(filled) and all(len(cell) <= 40 and " " not in cell and not is_number(cell)
                                for cell in filled)


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
