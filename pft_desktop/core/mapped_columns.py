"""The mapped columns of a table as Arrow arrays over its memory-mapped file: which rows are
blank, how many repeat an earlier row, and chosen rows as a dataset, without copying the texts
into pandas. Copied through pandas, checking a 200 MB CSV peaked at 1.9 GB (the texts copied
by to_pandas, strip, each filter and the split, then again into a dataset); here they stay in
the file and only the labels (short) become a pandas Series.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


class MappedColumns:
    """``roles`` (role -> column name) of a loaded dataset (core.data.Table.dataset)."""

    def __init__(self, dataset, roles: dict[str, str]):
        table = dataset.data.table.select(list(dict.fromkeys(roles.values())))
        if dataset._indices is not None:  # rows left out when the file was read (a copy)
            table = table.take(dataset._indices.column(0))
        self.roles = dict(roles)
        self.rows = table.num_rows
        self.columns = {role: _as_text(table.column(name)) for role, name in self.roles.items()}

    def blank(self, role: str) -> np.ndarray:
        """Empty, whitespace-only or missing cells (what strip() leaves empty)."""
        column = self.columns[role]
        empty = pc.or_(pc.equal(pc.utf8_length(column), 0), pc.utf8_is_space(column))
        return empty.fill_null(True).to_numpy(zero_copy_only=False).astype(bool)

    def blank_counts(self) -> dict[str, int]:
        return {role: int(self.blank(role).sum()) for role in self.roles}

    def clean(self, report) -> np.ndarray:
        """Rows to keep: a row with an empty mapped cell is dropped (counted under the first
        such column, in mapping order); exact repeats of a kept row are kept and counted (what
        tasks.base.clean_rows does on a frame)."""
        kept = np.ones(self.rows, dtype=bool)
        for role, name in self.roles.items():
            dropped = self.blank(role) & kept
            report.drop(f"empty '{name}'", int(dropped.sum()))
            kept &= ~dropped
        report.duplicates += self.repeats(kept)
        return np.flatnonzero(kept)

    def repeats(self, kept: np.ndarray) -> int:
        """Kept rows whose mapped cells all equal an earlier kept row's, exactly: rows whose
        hash no other row shares are distinct; only rows that share one are compared, by
        Arrow's group_by. On every row, group_by copied every text into its hash table (+470
        MB for a 200 MB file); on the rows that share a hash it counted a million-row file's
        70,303 repeats in 0.35 s, where a set of their cells as Python tuples took 1.04 s."""
        hashes = self._row_hashes()[kept]
        rows = np.flatnonzero(kept)
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        shared = np.zeros(len(ordered), dtype=bool)
        shared[1:] = ordered[1:] == ordered[:-1]
        shared[:-1] |= shared[1:]
        if not shared.any():
            return 0
        candidates = np.sort(rows[order[shared]])
        table = pa.table({f"cells_{i}": take_array(column, candidates)
                          for i, column in enumerate(self.columns.values())})
        return len(candidates) - table.group_by(table.column_names).aggregate([]).num_rows

    def _row_hashes(self, batch: int = 50_000) -> np.ndarray:
        """Python's hash of each row's cells, a batch at a time (only that batch becomes
        Python strings)."""
        hashes = np.empty(self.rows, dtype=np.int64)
        for start in range(0, self.rows, batch):
            cells = [column.slice(start, batch).fill_null("").to_pylist()
                     for column in self.columns.values()]
            hashes[start:start + len(cells[0])] = [hash(row) for row in zip(*cells)]
        return hashes

    def values(self, role: str, rows: np.ndarray):
        """A column's cells at ``rows`` as a pandas Series of strings (for short columns such
        as labels)."""
        return self.columns[role].take(pa.array(rows)).fill_null("").to_pandas()

    def dataset(self, labels: np.ndarray, rows: np.ndarray):
        """A datasets.Dataset of ``text`` (and ``pair``) in place, ``labels`` (one per table
        row; only ``rows`` are read) and ``length`` in characters, for
        core.lazy_tokens.TokenizedOnRead."""
        texts = {role: self.columns[role] for role in ("text", "pair") if role in self.columns}
        length = None
        for column in texts.values():
            counted = pc.utf8_length(column).fill_null(0)  # (fill_null on texts copies them)
            length = counted if length is None else pc.add(length, counted)
        table = pa.table({**texts, "labels": pa.array(labels, pa.int64()),
                          "length": pc.cast(length, pa.int64())})
        return in_memory_dataset(table).select(rows)


def in_memory_dataset(table: pa.Table):
    """A datasets.Dataset over an Arrow table, its columns not copied. It is given a
    fingerprint: inferring one hashes every cell (for a 200 MB file, 0.8 GB more at the peak,
    measured); nothing is cached under it."""
    import datasets

    return datasets.Dataset(datasets.table.InMemoryTable(table),
                            fingerprint=datasets.fingerprint.generate_random_fingerprint())


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Text columns as they are; any other type as Python's str() writes its values (as
    pandas' astype(str) did), missing values left missing."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column
    values = [None if value is None else str(value) for value in column.to_pylist()]
    return pa.chunked_array([pa.array(values, pa.large_string())])


def take_array(column: pa.ChunkedArray, rows: np.ndarray) -> pa.ChunkedArray:
    """The cells at ``rows`` (ascending) as Arrow, taken chunk by chunk (take_cells says why)."""
    starts = np.cumsum([0] + [len(chunk) for chunk in column.chunks])
    bounds = np.searchsorted(rows, starts)
    pieces = [chunk.take(pa.array(rows[bounds[i]:bounds[i + 1]] - starts[i]))
              for i, chunk in enumerate(column.chunks) if bounds[i + 1] > bounds[i]]
    return pa.chunked_array(pieces, type=column.type)


def take_cells(column: pa.ChunkedArray, rows) -> list:
    """The cells at ``rows`` as Python values, taken chunk by chunk: ChunkedArray.take joins
    all the chunks first (for 5,000 rows of a 200 MB column: 0.4 s and 190 MB, against
    0.015 s and nothing, measured)."""
    rows = np.asarray(rows, dtype=np.int64)
    starts = np.cumsum([0] + [len(chunk) for chunk in column.chunks])
    which = np.searchsorted(starts, rows, side="right") - 1
    cells = [None] * len(rows)
    for chunk in np.unique(which):
        at = np.flatnonzero(which == chunk)
        taken = column.chunk(int(chunk)).take(pa.array(rows[at] - starts[chunk])).to_pylist()
        for place, value in zip(at, taken):
            cells[place] = value
    return cells
