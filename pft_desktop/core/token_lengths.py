"""Token lengths for the data report: from a random sample first, flagged approximate with a
bound on its error, then exact over every row when there is time.

Tokenizing every row was most of a check (a million short rows: 27 s, against 1.6 s for the
report from a sample; benchmarks/bench_data_check.py), so the report starts from a sample and
the Data page's check service counts the rest in the background; a run reuses what it found
(``core.check_cache``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SAMPLE_ROWS = 5000  # rows counted for the first figures; fewer rows than this: all of them
CHUNK_ROWS = 2000  # rows counted between two looks for a newer request (about 0.1 s)
CONFIDENCE = 0.99


def rank_error(sample: int, population: int, confidence: float = CONFIDENCE) -> float:
    """How far, in share of rows, a percentile (or the truncated share) of a uniform sample
    drawn with replacement may be from the same figure over all rows: the
    Dvoretzky–Kiefer–Wolfowitz bound, which holds for every percentile at once with the given
    probability. 5,000 rows: 0.023 at 99%."""
    if sample >= population:
        return 0.0
    return math.sqrt(math.log(2 / (1 - confidence)) / (2 * sample))


def count_tokens(tokenizer, texts: list, pairs: list | None = None) -> list[int]:
    """Tokens per row as the model reads it (special tokens in, nothing truncated): the
    length of ``tokenizer(text, pair)["input_ids"]``. A fast tokenizer counts through a copy
    of its Rust backend, without building Python lists of ids (about twice as fast), and
    with no truncation left over from an earlier call."""
    inputs = list(zip(texts, pairs)) if pairs is not None else list(texts)
    backend = _bare_backend(tokenizer)
    if backend is None:
        encoded = tokenizer(list(texts), list(pairs) if pairs is not None else None,
                            truncation=False)["input_ids"]
        return [len(ids) for ids in encoded]
    return [len(encoding) for encoding in backend.encode_batch_fast(inputs)]


def _bare_backend(tokenizer):
    """A copy of a fast tokenizer's backend with truncation and padding off (transformers sets
    them on the shared backend at every call), kept on the tokenizer for the next count."""
    if not getattr(tokenizer, "is_fast", False):
        return None
    copy = getattr(tokenizer, "_pft_length_backend", None)
    if copy is None:
        from tokenizers import Tokenizer

        copy = Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
        copy.no_truncation()
        copy.no_padding()
        tokenizer._pft_length_backend = copy
    return copy


@dataclass
class LengthSource:
    """The rows whose token lengths the report shows (training and validation rows after
    cleaning, as the model reads them: ``parts`` are core.lazy_tokens.TokenizedOnRead
    datasets, read untokenized) and the tokenizer that counts them."""

    tokenizer: object
    parts: list
    max_length: int
    seed: int = 0

    def __len__(self) -> int:
        return sum(len(part) for part in self.parts)

    def first_figures(self) -> dict:
        """Exact figures for a small set, else figures from a random sample of SAMPLE_ROWS
        rows (drawn with replacement, so the stated bound holds), flagged approximate."""
        import numpy as np

        rows = len(self)
        if rows <= SAMPLE_ROWS:
            return self.summary(self.count(np.arange(rows)))
        picked = np.random.default_rng(self.seed).integers(0, rows, size=SAMPLE_ROWS)
        figures = self.summary(self.count(picked))
        if figures:
            figures.update(approximate=True, sampled_rows=SAMPLE_ROWS, rows=rows,
                           rank_error=round(rank_error(SAMPLE_ROWS, rows), 4),
                           confidence=CONFIDENCE)
        return figures

    def exact_figures(self, keep_going=lambda: True) -> dict | None:
        """Every row counted, CHUNK_ROWS at a time; None when ``keep_going()`` turns false
        between chunks (a newer check is waiting)."""
        import numpy as np

        lengths: list[int] = []
        for start in range(0, len(self), CHUNK_ROWS):
            if not keep_going():
                return None
            lengths += self.count(np.arange(start, min(start + CHUNK_ROWS, len(self))))
        return self.summary(lengths)

    def count(self, rows) -> list[int]:
        """Tokens in each of ``rows`` (numbered across the parts, in any order; a summary
        does not need their order)."""
        lengths, start = [], 0
        for part in self.parts:
            local = rows[(rows >= start) & (rows < start + len(part))] - start
            if len(local):
                texts, pairs = part.raw_texts(local)
                lengths += count_tokens(self.tokenizer, texts, pairs)
            start += len(part)
        return lengths

    def summary(self, lengths: list[int]) -> dict:
        from pft_desktop.core.data import token_length_summary

        return token_length_summary(lengths, self.max_length)
