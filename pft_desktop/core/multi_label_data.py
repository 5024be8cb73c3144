"""Reading multi-label labels from a table: one column of separated labels (the delimiter
given, or detected among , ; | and whitespace), JSON lists, or one 0/1 column per label. Each
reader turns a frame's label cells into a list of label names per row."""

from __future__ import annotations

import copy
import json
from collections import Counter

import numpy as np

from pft_desktop.core.data import DataReport, Table, counted
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import known, message
from pft_desktop.core.tasks.classification import _label_order, _some

DELIMITERS = (",", ";", "|", " ")  # " " stands for any whitespace
DELIMITER_WORDS = {",": "','", ";": "';'", "|": "'|'", " ": "spaces"}
YES, NO = ("1", "1.0", "true", "yes", "y"), ("0", "0.0", "false", "no", "n", "")
KNOWN_PARTS = 0.8  # spaces separate labels when this share of the parts occur alone
BAD_CELLS_REFUSED = 0.05  # a 0/1 column with a larger share of other values is refused


class SeparatedLabels:
    """Labels in one column: separated by a delimiter (given or detected) or JSON lists."""

    def __init__(self, file_name: str, column: str, delimiter: str = ""):
        self.file_name, self.column, self.columns = file_name, column, [column]
        self.given = delimiter
        self.delimiter = delimiter if not delimiter or delimiter.strip() else " "
        self.as_json = False
        self.decided = False  # the training file decides; a validation file is read alike

    def with_file(self, file_name: str) -> "SeparatedLabels":
        other = copy.copy(self)
        other.file_name = file_name
        return other

    def read(self, frame, report: DataReport) -> list[list[str]]:
        cells = [str(cell).strip() for cell in frame[self.column]]
        filled = [cell for cell in cells if cell]
        if self.decided:
            pass
        elif _json_lists(filled):
            self.as_json = True
            report.notes.append(message("data.label_lists", column=self.column))
        elif not self.delimiter and filled:
            self.delimiter = detect_delimiter(filled)
            report.notes.append(
                message("data.label_delimiter", column=self.column,
                        delimiter=known(DELIMITER_WORDS[self.delimiter])) if self.delimiter
                else message("data.no_label_delimiter", column=self.column))
        elif self.given and filled and not any(self.given in cell for cell in filled):
            other = detect_delimiter(filled)
            report.warnings.append(
                message("data.separator_unused_other", column=self.column, file=self.file_name,
                        given=self.given, other=known(DELIMITER_WORDS[other])) if other else
                message("data.separator_unused", column=self.column, file=self.file_name,
                        given=self.given))
        self.decided = True
        return [self.split(cell) for cell in cells]

    def split(self, cell: str) -> list[str]:
        if not cell:
            return []
        if self.as_json:
            try:
                parts = json.loads(cell)
            except ValueError:
                parts = [cell]
            parts = parts if isinstance(parts, list) else [parts]
        else:
            parts = _parts(cell, self.delimiter)
        return list(dict.fromkeys(str(p).strip() for p in parts if str(p).strip()))

    def names(self, rows) -> list[str]:
        return _label_order({label for row in rows for label in row})

    def unlabeled_where(self) -> str:
        return message("where.empty_label_cell", column=self.column)


class LabelColumns:
    """One 0/1 column per label (also true/false, yes/no); an empty cell counts as 0."""

    def __init__(self, file_name: str, columns: list[str]):
        self.file_name, self.columns = file_name, list(columns)

    def with_file(self, file_name: str) -> "LabelColumns":
        return LabelColumns(file_name, self.columns)

    def read(self, frame, report: DataReport) -> list[list[str]]:
        keep = np.ones(len(frame), dtype=bool)
        for column in self.columns:
            values = frame[column].astype(str).str.strip().str.lower()
            bad = ~values.isin(YES + NO)
            if not bad.any():
                continue
            where = frame.index[bad.to_numpy()]
            shown = _some(sorted(set(frame.loc[where, column].astype(str))))
            if bad.mean() > BAD_CELLS_REFUSED:
                raise UserError("not_binary", message(
                    "error.not_binary", column=column, file=self.file_name, values=shown,
                    rows=counted(int(bad.sum()), "row"), first=int(where[0]) + 1),
                    message("fix.not_binary"))
            report.warnings.append(message(
                "data.not_binary", file=self.file_name, column=column,
                rows=counted(len(where), "row"), values=shown, first=int(where[0]) + 1))
            keep &= ~bad.to_numpy()
        report.drop(message("drop.not_binary"), int((~keep).sum()))
        frame.drop(index=frame.index[~keep], inplace=True)
        frame.reset_index(drop=True, inplace=True)
        flags = np.column_stack([frame[c].astype(str).str.strip().str.lower().isin(YES)
                                 for c in self.columns]) if len(frame) else \
            np.zeros((0, len(self.columns)), dtype=bool)
        return [[name for name, on in zip(self.columns, row) if on] for row in flags]

    def names(self, rows) -> list[str]:
        return list(self.columns)

    def unlabeled_where(self) -> str:
        return message("where.zero_label_columns")


def require_label_columns(table: Table, columns: list[str]) -> None:
    """Refuse label columns the file lacks, and a labels column left out for being empty."""
    empty = [c for c in columns if c in table.ignored_columns]
    if empty:
        raise UserError("no_labels", message("error.no_labels_column", file=table.path.name,
                                             column=empty[0]), message("fix.no_labels"))
    missing = [c for c in columns if c not in table.columns]
    if missing:
        many = len(missing) > 1
        raise UserError("missing_column", message(
            "error.missing_label_columns" if many else "error.missing_label_column",
            names=", ".join(repr(c) for c in missing), file=table.path.name,
            columns=", ".join(table.columns)), message("fix.missing_column"))


# -- label cells ---------------------------------------------------------------------------------

def _parts(cell: str, delimiter: str) -> list[str]:
    parts = cell.split() if delimiter == " " else cell.split(delimiter) if delimiter else [cell]
    return [part.strip() for part in parts if part.strip()]


def _delimiter_scores(cells: list[str]) -> list[tuple]:
    """(share of label occurrences whose label occurs again, -distinct labels, delimiter) for
    no split and for each delimiter found in the cells. Labels often hold spaces ("science
    fiction"), so spaces count as a delimiter only when the cells hold no , ; | and their
    parts are mostly labels seen alone in a cell."""
    whole = set(cells)
    found = []
    for delimiter in ("",) + DELIMITERS:
        if delimiter and not any((delimiter in cell) if delimiter != " " else
                                 len(cell.split()) > 1 for cell in cells):
            continue
        counts = Counter(part for cell in cells for part in _parts(cell, delimiter))
        total = sum(counts.values())
        if delimiter == " " and (len(found) > 1 or sum(
                n for part, n in counts.items() if part in whole) < KNOWN_PARTS * total):
            continue
        if total:
            repeated = sum(n for n in counts.values() if n >= 2) / total
            found.append((round(repeated, 3), -len(counts), delimiter))
    return found


def detect_delimiter(cells: list[str]) -> str:
    """The delimiter whose split gives the most repeated labels and the fewest distinct ones
    ("" when no split does better than whole cells); earlier candidates win ties."""
    best = None
    for score in _delimiter_scores(cells):
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else ""


def label_column_score(cells: list[str]):
    """How well a column's cells read as labels (None when they do not): repeated labels, few
    of them."""
    if not cells:
        return None
    if _json_lists(cells):
        counts = Counter(str(part) for cell in cells for part in json.loads(cell))
    else:
        delimiter = detect_delimiter(cells)
        counts = Counter(part for cell in cells for part in _parts(cell, delimiter))
    if not counts or len(counts) > max(2, len(cells) // 2):
        return None
    repeated = sum(n for n in counts.values() if n >= 2) / sum(counts.values())
    return (repeated, -len(counts)) if repeated >= 0.5 else None


def _json_lists(cells: list[str]) -> bool:
    if not cells or not all(c.startswith("[") and c.endswith("]") for c in cells):
        return False
    try:
        return all(isinstance(json.loads(c), list) for c in cells)
    except ValueError:
        return False


def filled_cells(values) -> list[str]:
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def is_binary_column(values) -> bool:
    """A column holding only 0/1 (true/false, yes/no) values, both of them."""
    cells = [c.lower() for c in filled_cells(values)]
    return bool(cells) and all(c in YES + NO for c in cells) and \
        len({c in YES for c in cells}) == 2
