"""Instant data checks: token lengths from a sample with a stated bound, then exact; the
check service keeping tables while their files are unchanged; the check cache keyed by file,
mapping, settings and tokenizer; a run reusing what a check found; and training that starts
without tokenizing every row first."""

import json
import os
import random
import shutil
import threading

import numpy as np
import pytest

from helpers import FILLER, NEGATIVE, POSITIVE, classification_config, write_csv
from pft_desktop.core import check_cache, events, token_lengths
from pft_desktop.core.data import DataReport, load_table, tables_kept, token_length_summary
from pft_desktop.core.recipe import load_tokenizer, prepare


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PFT_CHECK_CACHE", str(tmp_path / "checks"))


@pytest.fixture(scope="module")
def tokenizer(tiny_encoder):
    return load_tokenizer(str(tiny_encoder))


def varied_rows(count: int, seed: int = 0) -> list[tuple[str, str]]:
    """Reviews of 1 to 60 words, so that lengths spread and max_length 32 cuts some."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        word = rng.choice(POSITIVE if i % 2 else NEGATIVE)
        rows.append((" ".join(rng.choices(FILLER, k=rng.randint(0, 59)) + [word]),
                     "positive" if i % 2 else "negative"))
    return rows


def varied_csv(path, count: int, seed: int = 0):
    return write_csv(path, ["review", "sentiment"], varied_rows(count, seed))


def counting(monkeypatch):
    """Count the rows token_lengths counts (the report's only tokenizer calls)."""
    counted = []
    real = token_lengths.count_tokens

    def count(tokenizer, texts, pairs=None):
        counted.append(len(texts))
        return real(tokenizer, texts, pairs)

    monkeypatch.setattr(token_lengths, "count_tokens", count)
    return counted


# -- counting and sampling ------------------------------------------------------------------

@pytest.mark.parametrize("model", ["tiny_encoder", "tiny_decoder"])
def test_counted_lengths_are_the_tokenizers_own(request, model):
    """Counted through a copy of the backend: the same as tokenizer(text, pair), even after a
    call that left truncation on the shared backend."""
    tok = load_tokenizer(str(request.getfixturevalue(model)))
    texts = [text for text, _ in varied_rows(40)]
    pairs = list(reversed(texts))
    tok(texts, truncation=True, max_length=4)
    assert token_lengths.count_tokens(tok, texts) == [len(tok(t)["input_ids"]) for t in texts]
    assert token_lengths.count_tokens(tok, texts, pairs) == \
        [len(tok(t, p)["input_ids"]) for t, p in zip(texts, pairs)]


def test_sampled_lengths_are_flagged_and_within_their_stated_bound(tmp_path, tiny_encoder,
                                                                   tokenizer):
    from pft_desktop.core.tasks import get_task

    config = classification_config(tiny_encoder, varied_csv(tmp_path / "d.csv", 20_000))
    data = get_task("classification").prepare(config, load_table(config.data.train_file),
                                               None, tokenizer)
    sampled = data.report.token_lengths
    assert sampled["approximate"] and sampled["rows"] == 20_000
    assert sampled["sampled_rows"] == token_lengths.SAMPLE_ROWS
    bound = sampled["rank_error"]
    assert bound == pytest.approx(token_lengths.rank_error(5000, 20_000), abs=1e-4)
    assert bound < 0.025

    every = np.asarray(token_lengths.count_tokens(tokenizer, *data.lengths.parts[0].raw_texts(
        range(len(data.train)))) + token_lengths.count_tokens(
        tokenizer, *data.lengths.parts[1].raw_texts(range(len(data.validation)))))
    exact = data.lengths.exact_figures()
    assert exact == token_length_summary(every.tolist(), 32) and "approximate" not in exact
    assert exact["max"] > 32 and 0.1 < exact["truncated_share"] < 0.9  # a spread to bound
    slack = 1 / token_lengths.SAMPLE_ROWS  # np.percentile interpolates between two ranks
    for q in (50, 90, 95, 99):
        value = sampled[f"p{q}"]
        assert (every <= value).mean() >= q / 100 - bound - slack, q
        assert (every < value).mean() <= q / 100 + bound + slack, q
    assert abs(sampled["truncated_share"] - exact["truncated_share"]) <= bound
    assert sampled["max"] <= exact["max"]

    line = [text for text in DataReport(token_lengths=sampled).lines() if "Tokens" in text][0]
    assert "estimated from 5,000 of 20,000 rows" in line and f"{bound:.1%}" in line
    exact_line = DataReport(token_lengths=exact).lines()[-1]
    assert exact_line.startswith("Tokens per row: median") and "estimated" not in exact_line


def test_a_small_file_is_counted_exactly(tmp_path, tiny_encoder):
    config = classification_config(tiny_encoder, varied_csv(tmp_path / "d.csv", 300))
    figures = prepare(config).data.report.token_lengths
    assert "approximate" not in figures and figures["rows"] == 300


def test_the_exact_count_stops_when_asked(tmp_path, tiny_encoder):
    config = classification_config(tiny_encoder, varied_csv(tmp_path / "d.csv", 9000))
    lengths = prepare(config).data.lengths
    looks = []

    def keep_going():
        looks.append(1)
        return len(looks) < 2

    assert lengths.exact_figures(keep_going) is None and len(looks) == 2


# -- the cache ------------------------------------------------------------------------------

def test_the_key_follows_the_file_the_mapping_the_settings_and_the_tokenizer(tmp_path,
                                                                              tiny_encoder):
    model = tmp_path / "model"
    shutil.copytree(tiny_encoder, model)
    data = varied_csv(tmp_path / "d.csv", 50)
    config = classification_config(model, data)
    key = check_cache.check_key(config, model)
    assert key and key == check_cache.check_key(config, model)

    config.training.learning_rate *= 10  # not read by data preparation: same check
    config.training.epochs += 1
    assert check_cache.check_key(config, model) == key

    changed = []
    for section, name, value in (("data", "validation_split", 0.3), ("data", "label_column",
                                 "review"), ("task", "max_length", 64), ("training", "seed", 7),
                                 ("data", "max_rows", 10)):
        old = getattr(getattr(config, section), name)
        setattr(getattr(config, section), name, value)
        changed.append(check_cache.check_key(config, model))
        setattr(getattr(config, section), name, old)
    assert key not in changed and len(set(changed)) == len(changed)
    assert check_cache.check_key(config, model) == key

    # An edit of the same size with the old modification time restored: both ends hashed.
    stat = data.stat()
    text = data.read_bytes()
    data.write_bytes(b"R" + text[1:])
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert data.stat().st_size == stat.st_size and check_cache.check_key(config, model) != key
    data.write_bytes(text)
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert check_cache.check_key(config, model) == key
    with open(data, "ab") as handle:
        handle.write(b"one more review,positive\r\n")
    assert check_cache.check_key(config, model) != key
    data.write_bytes(text)
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    tokenizer = load_tokenizer(str(model))
    tokenizer.add_tokens(["brandnewword"])
    tokenizer.save_pretrained(model)
    assert check_cache.check_key(config, model) != key


def test_no_key_without_tokenizer_files_or_for_a_folder(tmp_path, tiny_encoder):
    config = classification_config(tiny_encoder, varied_csv(tmp_path / "d.csv", 50))
    assert check_cache.check_key(config, tmp_path / "empty") is None
    config.data.train_file = str(tmp_path)
    assert check_cache.check_key(config, tiny_encoder) is None


def test_the_cache_keeps_the_newest_entries_only(monkeypatch, tmp_path):
    monkeypatch.setattr(check_cache, "MAX_ENTRIES", 3)
    for n in range(5):
        check_cache.store(f"key{n}", {"p50": n, "rows": 10})
        os.utime(check_cache.cache_dir() / f"key{n}.json", (n, n))
    assert sorted(p.stem for p in check_cache.cache_dir().glob("*.json")) == \
        ["key2", "key3", "key4"]
    assert check_cache.lookup("key4")["token_lengths"]["p50"] == 4
    assert check_cache.lookup("key0") is None
    (check_cache.cache_dir() / "key3.json").write_text("{not json")
    assert check_cache.lookup("key3") is None


# -- the service and the run ----------------------------------------------------------------

def serve_requests(configs, answers_each=1):
    """Run the check service in this process on ``configs``, one request after another's
    answers (``answers_each``: how many to wait for), and return every answer."""
    from pft_desktop.core.check_service import serve

    answers, answered = [], threading.Event()

    def write(message):
        answers.append(message)
        if message["type"] == "error" or message.get("exact"):
            answered.set()

    def lines():
        for ident, config in enumerate(configs, 1):
            answered.clear()
            yield json.dumps({"id": ident, "config": config.to_dict()})
            assert answered.wait(120)

    assert serve(lines(), write) == 0
    return answers


def test_a_run_reuses_what_the_check_found_and_counts_no_tokens(tmp_path, tiny_encoder,
                                                                monkeypatch):
    data = varied_csv(tmp_path / "d.csv", 12_000)
    config = classification_config(tiny_encoder, data)
    first, exact = serve_requests([config])
    assert (first["id"], first["exact"], exact["exact"]) == (1, False, True)
    assert first["report"]["token_lengths"]["approximate"]
    checked = exact["report"]["token_lengths"]
    assert "approximate" not in checked and checked["rows"] == 12_000

    counted = counting(monkeypatch)
    said = []
    prepared = prepare(config, said.append)
    assert prepared.data.report.token_lengths == checked
    assert counted == []  # not one row counted
    reused = [e["text"] for e in said if e["type"] == events.STATUS
              and e["text"].startswith("Reusing the data check")]
    assert reused == ["Reusing the data check (token lengths counted over all 12,000 rows)"]

    with open(data, "a", encoding="utf-8") as handle:  # the file changed: counted again
        handle.write("a brand new review,positive\n")
    said.clear()
    figures = prepare(config, said.append).data.report.token_lengths
    assert figures["approximate"] and figures["rows"] == 12_001
    assert sum(counted) == token_lengths.SAMPLE_ROWS
    assert not any(e.get("text", "").startswith("Reusing") for e in said)


def test_a_changed_mapping_or_tokenizer_is_not_served_from_the_cache(tmp_path, tiny_encoder,
                                                                     monkeypatch):
    model = tmp_path / "model"
    shutil.copytree(tiny_encoder, model)
    config = classification_config(model, varied_csv(tmp_path / "d.csv", 6000))
    serve_requests([config])
    counted = counting(monkeypatch)
    config.task.max_length = 16  # the truncated share depends on it
    assert prepare(config).data.report.token_lengths["max_length"] == 16
    assert sum(counted) == token_lengths.SAMPLE_ROWS
    config.task.max_length = 32
    tokenizer = load_tokenizer(str(model))
    tokenizer.add_tokens(["brandnewword"])
    tokenizer.save_pretrained(model)
    prepare(config)
    assert sum(counted) == 2 * token_lengths.SAMPLE_ROWS


def test_the_service_answers_errors_and_goes_on(tmp_path, tiny_encoder):
    good = classification_config(tiny_encoder, varied_csv(tmp_path / "d.csv", 200))
    bad = classification_config(tiny_encoder, good.data.train_file)
    bad.data.label_column = "nope"
    error, report = serve_requests([bad, good])
    assert (error["id"], error["type"]) == (1, "error") and "'nope'" in error["message"]
    assert (report["id"], report["type"], report["exact"]) == (2, "report", True)
    assert report["label_names"] == ["negative", "positive"]


def test_the_service_gives_the_buffers_it_frees_back(tmp_path, tiny_encoder):
    """Arrow's buffers come from the system allocator in the check service: its default pool
    kept freed pages, part of the peak checking a big file (core.check_service)."""
    import pyarrow as pa

    serve_requests([classification_config(tiny_encoder, varied_csv(tmp_path / "d.csv", 50))])
    assert pa.default_memory_pool().backend_name == "system"


def test_the_service_does_not_count_tokens_for_batches_it_never_trains(tmp_path, tiny_encoder,
                                                                       monkeypatch):
    """A check's data is reported, not trained on: grouping its batches by counted tokens
    (every row of a file up to GROUP_BY_TOKENS_UP_TO) is left to the run."""
    from pft_desktop.core import lazy_tokens

    grouped = []
    real = lazy_tokens.token_lengths
    monkeypatch.setattr(lazy_tokens, "token_lengths",
                        lambda *args: grouped.append(len(args[0])) or real(*args))
    config = classification_config(tiny_encoder, varied_csv(tmp_path / "d.csv", 80))
    (report,) = serve_requests([config])
    assert report["exact"] and report["report"]["token_lengths"]["rows"] == 80
    assert grouped == []
    prepare(config)  # a run's preparation groups by tokens
    assert sum(grouped) == 80


def test_only_the_newest_waiting_request_is_checked():
    import queue

    from pft_desktop.core.check_service import _newest

    waiting = queue.Queue()
    for ident in (1, 2, 3):
        waiting.put({"id": ident})
    assert _newest(waiting, block=True) == {"id": 3} and waiting.empty()
    waiting.put({"id": 4})
    waiting.put(None)  # input ended: nothing more to check
    assert _newest(waiting, block=True) is None


def test_tables_are_read_again_only_when_their_file_changed(tmp_path, monkeypatch):
    from pft_desktop.core import data as data_module

    path = varied_csv(tmp_path / "d.csv", 30)
    reads = []
    real = data_module._read_table
    monkeypatch.setattr(data_module, "_read_table", lambda *a: reads.append(a) or real(*a))
    with tables_kept():
        first = load_table(path)
        first.notes.append("changed by a caller")
        again = load_table(path)
        assert len(reads) == 1 and "changed by a caller" not in again.notes
        assert load_table(path, header="no").has_header is False and len(reads) == 2
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("one more review,positive\n")
        assert len(load_table(path)) == 31 and len(reads) == 3
    load_table(path)
    load_table(path)
    assert len(reads) == 5  # outside tables_kept() every call reads


# -- rows as Arrow columns, tokenized on read -----------------------------------------------

def test_blank_and_repeated_rows_are_counted_as_on_a_frame(tmp_path, tiny_encoder, tokenizer):
    """MappedColumns' rules against clean_rows' on the same rows, nulls and numbers included."""
    from pft_desktop.core.mapped_columns import MappedColumns
    from pft_desktop.core.tasks.base import clean_rows

    rows = [{"review": "fine film", "sentiment": 1}, {"review": "fine film", "sentiment": 1},
            {"review": "fine film", "sentiment": 2}, {"review": "  ", "sentiment": 1},
            {"review": None, "sentiment": 1}, {"review": "\u3000\t", "sentiment": None},
            {"review": "dull", "sentiment": None}, {"review": "dull", "sentiment": 2},
            {"review": "fine film ", "sentiment": 1}, {"review": "dull", "sentiment": 2}]
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    table = load_table(path)
    roles = {"text": "review", "label": "sentiment"}
    arrow, frame = DataReport(), DataReport()
    kept = MappedColumns(table.dataset, roles).clean(arrow)
    cleaned = clean_rows(table.dataset.to_pandas(), list(roles.values()), frame)
    assert (arrow.dropped, arrow.duplicates) == (frame.dropped, frame.duplicates)
    assert arrow.dropped == {"empty 'review'": 3, "empty 'sentiment'": 1}
    assert arrow.duplicates == 2 and len(kept) == len(cleaned) == 6

    # Rows that share a hash are compared cell by cell: every hash alike, the same count.
    columns = MappedColumns(table.dataset, roles)
    columns._row_hashes = lambda: np.zeros(columns.rows, dtype=np.int64)
    assert columns.repeats(np.isin(np.arange(columns.rows), kept)) == 2


def test_tokenized_on_read_reads_like_a_tokenized_dataset(tmp_path, tiny_encoder, tokenizer):
    from pft_desktop.core.lazy_tokens import TokenizedOnRead
    from pft_desktop.core.recipe import _lengths

    config = classification_config(tiny_encoder, varied_csv(tmp_path / "d.csv", 80))
    data = prepare(config).data
    train = data.train
    assert isinstance(train, TokenizedOnRead)
    assert "input_ids" not in train.data.column_names  # nothing tokenized ahead
    rows = [train[i] for i in range(len(train))]
    assert train["input_ids"] == [row["input_ids"] for row in rows]
    assert max(len(row["input_ids"]) for row in rows) == 32
    assert train.__getitems__([0, 3])[1] == rows[3]
    texts, _ = train.raw_texts([3])
    assert rows[3]["input_ids"] == tokenizer(texts[0], truncation=True,
                                             max_length=32)["input_ids"]
    picked = train.select([3, 0])
    assert picked[0] == rows[3]
    lengths = _lengths(train)  # batches are grouped by token counts, truncated
    assert lengths == [len(row["input_ids"]) for row in rows]


def test_a_file_beyond_the_threshold_groups_batches_by_characters(tmp_path, tiny_encoder,
                                                                  monkeypatch):
    """Tokenizing a huge file for its lengths would hold back step 1: beyond
    GROUP_BY_TOKENS_UP_TO rows the grouping sorts on characters, untokenized."""
    from pft_desktop.core import lazy_tokens
    from pft_desktop.core.recipe import _lengths

    monkeypatch.setattr(lazy_tokens, "GROUP_BY_TOKENS_UP_TO", 50)
    config = classification_config(tiny_encoder, varied_csv(tmp_path / "d.csv", 80))
    data = prepare(config).data
    # The file decides, not each part: the validation quarter (20 rows, under the threshold)
    # of a big file is not tokenized either (for a 200 MB CSV: 20 s and 800 MB, measured).
    assert len(data.validation) < 50
    for part in (data.train, data.validation):
        texts, _ = part.raw_texts(list(range(len(part))))
        assert _lengths(part) == [len(text) for text in texts]


def test_token_lengths_are_the_truncated_lengths_of_texts_and_pairs(tokenizer):
    """Counted without ids and capped at max_length: what tokenizing with truncation gives,
    a pair cut down to max_length as a whole."""
    from pft_desktop.core.lazy_tokens import token_lengths

    texts = [text for text, _ in varied_rows(40)]
    pairs = list(reversed(texts))
    for max_length in (8, 32, 512):
        for second in (None, pairs):
            expected = [len(ids) for ids in tokenizer(texts, second, truncation=True,
                                                      max_length=max_length)["input_ids"]]
            assert token_lengths(texts, second, tokenizer, max_length) == expected
            assert max(expected) <= max_length


def test_training_starts_without_tokenizing_every_row(tmp_path, tiny_encoder, monkeypatch):
    """Structural: the rows tokenized by the time the first step is reported are the rows of
    that step's batch, not the file."""
    from pft_desktop.core import lazy_tokens
    from pft_desktop.core.recipe import run_training

    monkeypatch.setattr(lazy_tokens, "GROUP_BY_TOKENS_UP_TO", 10_000)  # a "big" file here
    config = classification_config(tiny_encoder, varied_csv(tmp_path / "d.csv", 20_000),
                                   max_steps=1, batch_size=8)
    config.data.validation_split = 0.0
    tokenized, at_first_step = [], []
    real = lazy_tokens.EncodeRows.__call__

    def encode(self, batch):
        tokenized.append(len(batch["text"]))
        return real(self, batch)

    monkeypatch.setattr(lazy_tokens.EncodeRows, "__call__", encode)

    def sink(event):
        if event["type"] == events.STEP and not at_first_step:
            at_first_step.append(sum(tokenized))

    outcome = run_training(config, tmp_path / "run", sink)
    assert outcome.status == "finished", outcome
    # The step's batch of 8, and the next, which accelerate's loader fetches ahead: 16 of
    # the 20,000 rows.
    assert len(at_first_step) == 1 and 8 <= at_first_step[0] <= 16


# -- reading big files in fewer pieces ---------------------------------------------------------

def test_a_file_is_parsed_in_chunks_of_about_four_megabytes_within_bounds():
    from pft_desktop.core.tabular import chunk_rows

    assert chunk_rows(40_000_000, 1_000_000) == 100_000  # short rows: the upper bound
    assert chunk_rows(200_000_000, 860_000) == 18_035  # 232 bytes a row: about 4 MB
    assert chunk_rows(500_000_000, 100_000) == 10_000  # 5 KB rows: the lower bound
    assert chunk_rows(1_000, 0) == 10_000  # rows not counted: datasets' own chunks


def test_rows_across_many_chunks_are_read_whole_and_in_order(tmp_path, monkeypatch):
    from pft_desktop.core import tabular

    monkeypatch.setattr(tabular, "CHUNK_ROWS", (7, 7))  # 7 rows a chunk: 43 chunks
    rows = varied_rows(300)
    table = load_table(write_csv(tmp_path / "d.csv", ["review", "sentiment"], rows))
    assert [(r["review"], r["sentiment"]) for r in table.dataset] == rows


def test_labels_become_their_place_among_the_label_names():
    import pandas as pd

    from pft_desktop.core.tasks.classification import label_ids

    ids = label_ids(pd.Series(["neg", "pos", "neu", "pos", "1"]), ["1", "neg", "neu", "pos"])
    assert ids.tolist() == [1, 3, 2, 3, 0] and ids.dtype == np.int64
    with pytest.raises(ValueError):
        label_ids(pd.Series(["pos", "other"]), ["neg", "pos"])
