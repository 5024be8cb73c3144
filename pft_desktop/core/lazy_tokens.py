"""Rows tokenized when they are read, a batch at a time, instead of all before training.

Tokenizing every row up front held back step 1 of a million-row run: 29 s from the process's
start, 6 s without it (benchmarks/bench_data_check.py). The Trainer's data loader fetches each
batch with ``__getitems__``, so a ``datasets`` transform tokenizes exactly the rows of the
batch, and the Arrow table underneath stays memory-mapped.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

import datasets

# Bound here, not looked up at each call: tests that count the report's calls to
# token_lengths.count_tokens do not see the counts for batches.
from pft_desktop.core.token_lengths import count_tokens


class TokenizedOnRead(datasets.Dataset):
    """A dataset of raw rows whose reads come out tokenized (``datasets``' ``set_transform``).

    Its table holds the raw columns and ``length``; the tokenized columns exist only in what
    a read returns, so reading one by name (``dataset["input_ids"]``, as tests and tools do)
    tokenizes every row: the whole column, as from a tokenized dataset."""

    @classmethod
    def wrap(cls, dataset: datasets.Dataset, encode) -> "TokenizedOnRead":
        lazy = cls(dataset.data, info=dataset.info.copy(), split=dataset.split,
                   indices_table=dataset._indices, fingerprint=dataset._fingerprint)
        # set_transform is set_format("custom") behind a decorator that hashes its arguments
        # for the dataset's fingerprint, pickling the whole tokenizer: 0.4 s a dataset
        # (measured on MiniLM's). Nothing is cached under this dataset's fingerprint, so the
        # undecorated call sets the same format without it.
        datasets.Dataset.set_format.__wrapped__(lazy, type="custom", transform=encode)
        return lazy

    def __getitem__(self, key):
        if isinstance(key, str) and key not in self.column_names:
            return self[:][key]
        return super().__getitem__(key)

    def raw_texts(self, rows) -> tuple[list, list | None]:
        """The ``text`` (and ``pair``) cells of ``rows`` as stored, untokenized."""
        import numpy as np

        from pft_desktop.core.mapped_columns import take_cells

        rows = np.asarray(rows, dtype=np.int64)
        if self._indices is not None:
            rows = self._indices.column(0).to_numpy()[rows]
        table = self.data.table
        pairs = take_cells(table.column("pair"), rows) if "pair" in table.column_names \
            else None
        return take_cells(table.column("text"), rows), pairs


class EncodeRows:
    """The transform: a batch of raw rows (``text``, an optional ``pair``, the label columns)
    tokenized and truncated to ``max_length``; other columns pass through. A class, not a
    closure, so the dataset can be pickled into data-loader workers."""

    def __init__(self, tokenizer, max_length: int, keep: tuple = ("labels",)):
        self.tokenizer, self.max_length, self.keep = tokenizer, max_length, keep

    def __call__(self, batch: dict) -> dict:
        encoded = dict(self.tokenizer(batch["text"], batch.get("pair"), truncation=True,
                                      max_length=self.max_length))
        encoded.update({name: batch[name] for name in self.keep if name in batch})
        return encoded


# Up to this many rows, batches are grouped by token length, tokenized once for it (SST-2's
# 67k rows: 1.5 s on 2 cores). Grouping by characters instead left 26% more padding in the
# batches (4,000 SST-2 sentences, batch 32: 73,030 tokens an epoch against 57,952, for 53,573
# real), and steps 10-25% slower than a script's that groups by tokens. Beyond it, characters:
# step 1 of a million-row file must not wait for the whole file to be tokenized.
GROUP_BY_TOKENS_UP_TO = 100_000
# Off in the Data page's check service: its data is reported, never trained on, and counting
# SST-2's 67k rows for the batches made the report after a change of mapping 2.5 s instead of
# 0.7 s (2 busy cores; benchmarks/bench_data_check.py (a) and prepare alone, measured).
FOR_TRAINING = contextvars.ContextVar("pft_lengths_for_training", default=True)


@contextmanager
def only_reported():
    """Data prepared inside is only reported: batches are not grouped by counted tokens."""
    token = FOR_TRAINING.set(False)
    try:
        yield
    finally:
        FOR_TRAINING.reset(token)


def token_lengths(texts: list, pairs: list | None, tokenizer, max_length: int) -> list[int]:
    """Each row's token count after truncation, as EncodeRows will tokenize it: the count
    without truncation, capped at ``max_length`` (truncation cuts a longer row, or pair, to
    exactly that). Counted through the backend (core.token_lengths.count_tokens), without the
    ids and offsets of every row: for 86,000 rows of 48 tokens, 800 MB more at the peak."""
    return [min(count, max_length) for count in count_tokens(tokenizer, texts, pairs)]


def with_token_lengths(rows: datasets.Dataset, tokenizer, max_length: int,
                       of_rows: int | None = None) -> datasets.Dataset:
    """``rows`` (a dataset with ``text``, maybe ``pair``, and a ``length`` in characters) with
    ``length`` in tokens, when the data it is part of (``of_rows`` rows, training and
    validation together; ``rows`` alone when not given) has at most GROUP_BY_TOKENS_UP_TO
    rows; as it is beyond, so that the validation tenth of a big file is not tokenized."""
    total = len(rows) if of_rows is None else of_rows
    if total > GROUP_BY_TOKENS_UP_TO or "length" not in rows.column_names \
            or not FOR_TRAINING.get():
        return rows
    import pyarrow as pa

    from pft_desktop.core.mapped_columns import in_memory_dataset

    table = rows.data.table
    if rows._indices is not None:
        table = table.take(rows._indices.column(0))
    texts = table.column("text").fill_null("").to_pylist()
    pairs = table.column("pair").fill_null("").to_pylist() \
        if "pair" in table.column_names else None
    lengths = pa.array(token_lengths(texts, pairs, tokenizer, max_length), pa.int64())
    return in_memory_dataset(table.set_column(table.column_names.index("length"), "length",
                                              lengths))


def character_lengths(frame, columns: list[str]) -> list[int]:
    """Characters per row over the text columns: the order of token lengths, roughly, without
    tokenizing every row first."""
    total = None
    for name in columns:
        counts = frame[name].str.len()
        total = counts if total is None else total + counts
    return total.astype("int64").tolist()


def tokenize_on_read(rows, tokenizer, max_length: int, keep: tuple = ("labels",),
                     of_rows: int | None = None):
    """``text`` (and ``pair``) plus ``keep`` columns as a TokenizedOnRead dataset: ``rows`` is
    a datasets.Dataset that has a ``length`` column already, or a pandas frame (given one).
    ``of_rows``: the rows of all the data it is part of (see with_token_lengths)."""
    if not isinstance(rows, datasets.Dataset):
        import pyarrow as pa

        from pft_desktop.core.mapped_columns import in_memory_dataset

        texts = ["text"] + (["pair"] if "pair" in rows else [])
        table = rows[texts + list(keep)].copy()
        table["length"] = character_lengths(rows, texts)
        rows = in_memory_dataset(pa.Table.from_pandas(table, preserve_index=False))
    rows = with_token_lengths(rows, tokenizer, max_length, of_rows)
    return TokenizedOnRead.wrap(rows, EncodeRows(tokenizer, max_length, keep))
