"""Plain CSVs read by pyarrow into a kept Arrow copy (core.plain_csv): every file read that
way must give the rows, columns, notes and warnings that datasets' pandas loader gives, and
files it cannot read alike must go the other way."""

import gzip
import os

import pytest

from pft_desktop.core import plain_csv, tabular
from pft_desktop.core.data import load_table
from pft_desktop.core.errors import UserError

HEADER = "text,label\n"
ROWS = "a fine film,positive\nawful,negative\n"

# name -> file bytes; each is read by pyarrow (is_plain holds)
PLAIN = {
    "simple.csv": (HEADER + ROWS).encode(),
    "quoted.csv": (HEADER + '"comma, inside",positive\n"doubled ""quote""",negative\n'
                   '"two\nlines",positive\n"",negative\n').encode(),
    "crlf.csv": (HEADER + ROWS).replace("\n", "\r\n").encode(),
    "blank_lines.csv": (HEADER + "\n" + ROWS + "\n\n" + "last,positive").encode(),
    "titles.csv": ("# exported 2026-01-01\n# from a shop\n" + HEADER + ROWS).encode(),
    "bom.csv": b"\xef\xbb\xbf" + (HEADER + ROWS).encode(),
    "tabs.tsv": (HEADER + ROWS).replace(",", "\t").encode(),
    "semicolons.csv": "text;label;score\nun film;positive;1,5\nnul;negative;0,5\n".encode(),
    "missing_words.csv": (HEADER + "NA,null\nNone,NaN\n#N/A,\"\"\n").encode(),
    "no_header.csv": ("12,7\n13,8\n14,9\n").encode(),
    "unicode.csv": (HEADER + "café crème ☕,positive\n日本語のテキスト,negative\n").encode(),
    "empty_cells.csv": (HEADER + ",positive\nonly text,\n,\n").encode(),
    "repeated_header.csv": (HEADER + ROWS + HEADER + ROWS).encode(),
    "spaces.csv": ("text,label\n  padded  , positive \n\ttab,negative\n").encode(),
    "quoted_header.csv": ('"text","the\nlabel"\n' + ROWS).encode(),
}

# name -> file bytes; each must go through datasets (is_plain does not hold)
OTHER = {
    "short_row.csv": (HEADER + "only one cell\n" + ROWS).encode(),
    "long_row.csv": (HEADER + ROWS * 200 + "a,b,c\n").encode(),
    "whitespace_line.csv": (HEADER + ROWS + "   \n" + ROWS).encode(),
    "latin1.csv": (HEADER + "caf\xe9,positive\nna\xefve,negative\n").encode("latin-1"),
    "one_column.csv": b"text\nfirst\nsecond\n",
    "nul.csv": (HEADER + "a\x00b,positive\n" + ROWS).encode(),
}


def read(path, plain: bool, monkeypatch):
    """load_table's Table with the pyarrow path allowed or not, and whether it was taken."""
    taken = []
    real = plain_csv.read_plain

    def spy(*args):
        dataset = real(*args)
        taken.append(dataset is not None)
        return dataset

    with monkeypatch.context() as patch:
        patch.setattr(tabular, "read_plain", spy)
        if not plain:
            patch.setattr(tabular, "is_plain", lambda *args: False)
        table = load_table(path)
    return table, any(taken)


def same_table(fast, slow) -> None:
    assert fast.columns == slow.columns
    assert fast.dataset.to_dict() == slow.dataset.to_dict()
    assert fast.dataset.features == slow.dataset.features
    assert (fast.encoding, fast.delimiter, fast.has_header) == \
        (slow.encoding, slow.delimiter, slow.has_header)
    assert fast.notes == slow.notes and fast.warnings == slow.warnings


@pytest.fixture(autouse=True)
def own_copies(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf"))
    monkeypatch.setattr(plain_csv, "copies_folder", lambda: tmp_path / "copies")


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_plain_files_read_by_pyarrow_as_datasets_reads_them(name, tmp_path, monkeypatch):
    path = tmp_path / name
    path.write_bytes(PLAIN[name])
    fast, taken = read(path, True, monkeypatch)
    assert taken, f"{name} was not read by pyarrow"
    slow, _ = read(path, False, monkeypatch)
    same_table(fast, slow)


@pytest.mark.parametrize("name", sorted(OTHER))
def test_files_pyarrow_would_read_differently_go_through_datasets(name, tmp_path,
                                                                   monkeypatch):
    path = tmp_path / name
    path.write_bytes(OTHER[name])
    _, taken = read(path, True, monkeypatch)
    assert not taken
    assert not (tmp_path / "copies").exists() or not list((tmp_path / "copies").iterdir())


def test_gzipped_plain_file_is_read_by_pyarrow(tmp_path, monkeypatch):
    path = tmp_path / "reviews.csv.gz"
    path.write_bytes(gzip.compress(PLAIN["quoted.csv"]))
    fast, taken = read(path, True, monkeypatch)
    slow, _ = read(path, False, monkeypatch)
    assert taken
    same_table(fast, slow)


def test_row_longer_than_a_block_falls_back_to_datasets(tmp_path, monkeypatch):
    monkeypatch.setattr(plain_csv, "BLOCK_BYTES", 256)
    path = tmp_path / "long_cell.csv"
    path.write_text(HEADER + ROWS + "x" * 1000 + ",positive\n" + ROWS, encoding="utf-8")
    table, taken = read(path, True, monkeypatch)
    assert not taken
    assert len(table) == 5 and table.dataset[2]["text"] == "x" * 1000
    assert not list((tmp_path / "copies").glob("*"))  # the partial copy removed


def test_unchanged_file_maps_its_kept_copy_and_a_changed_one_is_read_again(tmp_path,
                                                                          monkeypatch):
    path = tmp_path / "reviews.csv"
    path.write_bytes(PLAIN["simple.csv"])
    first, _ = read(path, True, monkeypatch)
    copies = list((tmp_path / "copies").glob("*.arrow"))
    assert len(copies) == 1
    os.utime(copies[0], (1_000_000, 1_000_000))
    written = copies[0].stat().st_ino
    again, taken = read(path, True, monkeypatch)
    assert taken and again.dataset.cache_files == first.dataset.cache_files
    assert copies[0].stat().st_ino == written  # mapped, not written again
    assert copies[0].stat().st_mtime > 1_000_000  # marked as recently used
    path.write_bytes(PLAIN["simple.csv"] + b"one more,positive\n")
    changed, _ = read(path, True, monkeypatch)
    assert len(changed) == 3
    assert len(list((tmp_path / "copies").glob("*.arrow"))) == 2


def test_only_the_most_recently_used_copies_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(plain_csv, "KEPT_COPIES", 2)
    folder = tmp_path / "copies"
    folder.mkdir()
    fresh_cache, old_cache = folder / "cache-fresh.arrow", folder / "cache-old.arrow"
    fresh_cache.write_bytes(b"x")
    old_cache.write_bytes(b"x")
    os.utime(old_cache, (1_000_000, 1_000_000))  # datasets' caches beside the copies
    paths = []
    for i in range(4):
        paths.append(tmp_path / f"file{i}.csv")
        paths[-1].write_bytes((HEADER + f"row {i},positive\n" + ROWS).encode())
        read(paths[-1], True, monkeypatch)
        for n, copy in enumerate(sorted(folder.glob("csv-*.arrow"),
                                        key=lambda p: p.stat().st_mtime)):
            os.utime(copy, (1_000_000 + n, 1_000_000 + n))  # distinct times, oldest first
    kept = list(folder.glob("csv-*.arrow"))
    assert len(kept) == 2
    assert fresh_cache.exists() and not old_cache.exists()
    newest, _ = read(paths[-1], True, monkeypatch)
    assert newest.dataset.cache_files[0]["filename"] in [str(p) for p in kept]


def test_cells_with_line_breaks_across_many_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(plain_csv, "BLOCK_BYTES", 256)
    path = tmp_path / "multi_line.csv"
    path.write_text(HEADER + "".join(f'"review {i}\nsecond line, {i}",positive\n'
                                     for i in range(300)), encoding="utf-8")
    fast, taken = read(path, True, monkeypatch)
    slow, _ = read(path, False, monkeypatch)
    assert taken and len(fast) == 300
    assert fast.dataset.data.table.column("text").num_chunks > 10
    same_table(fast, slow)


@pytest.mark.parametrize("compress", [False, True])
def test_file_ending_inside_a_quoted_cell_is_refused_as_before(compress, tmp_path,
                                                               monkeypatch):
    """pyarrow closes a quote left open at the end of the file; the user must still hear
    that the file is cut short, with the quote's line, as datasets' path says."""
    body = (HEADER + ROWS + 'cut,"never closed\nmore text\n').encode()
    path = tmp_path / ("cut.csv.gz" if compress else "cut.csv")
    path.write_bytes(gzip.compress(body) if compress else body)
    with pytest.raises(UserError) as fast:
        read(path, True, monkeypatch)
    with pytest.raises(UserError) as slow:
        read(path, False, monkeypatch)
    assert fast.value.kind == slow.value.kind == "unbalanced_quotes"
    assert str(fast.value) == str(slow.value)
    assert not list((tmp_path / "copies").glob("*.arrow"))


def test_quoted_cell_that_is_only_quotes_at_the_end_still_reads(tmp_path, monkeypatch):
    """A closed last cell that looks like an open one is read the slower way, not refused."""
    path = tmp_path / "quotes.csv"
    path.write_bytes((HEADER + ROWS + 'said,""""').encode())
    table, taken = read(path, True, monkeypatch)
    assert len(table) == 3 and table.dataset[2]["label"] == '"'


def test_title_line_with_a_quoted_line_break_keeps_the_first_data_row(tmp_path, monkeypatch):
    """A title cell that spans two lines must not cost the table its header or first row on
    either path: pyarrow skips lines, pandas' skiprows counts records (one here, not two)."""
    path = tmp_path / "titled.csv"
    path.write_bytes(('"Export of\nreviews"\n\n"second\ntitle"\n' + HEADER + ROWS).encode())
    fast, taken = read(path, True, monkeypatch)
    slow, _ = read(path, False, monkeypatch)
    assert taken
    assert fast.columns == ["text", "label"]
    assert fast.dataset["text"] == ["a fine film", "awful"]
    same_table(fast, slow)


def test_title_line_break_in_a_file_datasets_reads(tmp_path, monkeypatch):
    """The same for a file that is not plain (Latin-1): read by datasets, first row kept."""
    path = tmp_path / "titled_latin1.csv"
    path.write_bytes(('"Export of\nreviews"\n' + HEADER + "caf\xe9,positive\n" + ROWS)
                     .encode("latin-1"))
    table, taken = read(path, True, monkeypatch)
    assert not taken
    assert table.columns == ["text", "label"]
    assert table.dataset["text"] == ["caf\xe9", "a fine film", "awful"]


@pytest.mark.parametrize("damage", ["empty", "cut", "zeros"])
def test_damaged_copy_is_made_again_not_read_short(damage, tmp_path, monkeypatch):
    """A copy cut short or zero-filled by a crash is never read as fewer rows or an error."""
    path = tmp_path / "reviews.csv"
    path.write_text(HEADER + ROWS * 50, encoding="utf-8")
    read(path, True, monkeypatch)
    copy, = (tmp_path / "copies").glob("csv-*.arrow")
    whole = copy.read_bytes()
    copy.write_bytes({"empty": b"", "cut": whole[:len(whole) // 2],
                      "zeros": bytes(len(whole))}[damage])
    table, taken = read(path, True, monkeypatch)
    assert taken and len(table) == 100
    assert copy.read_bytes() == whole


def test_upper_case_gz_suffix_is_read_as_gzip(tmp_path, monkeypatch):
    path = tmp_path / "REVIEWS.CSV.GZ"
    path.write_bytes(gzip.compress(PLAIN["quoted.csv"]))
    fast, taken = read(path, True, monkeypatch)
    slow, _ = read(path, False, monkeypatch)
    assert taken and len(fast) == 4
    same_table(fast, slow)


def test_read_only_cache_still_serves_its_copy(tmp_path, monkeypatch):
    path = tmp_path / "reviews.csv"
    path.write_bytes(PLAIN["simple.csv"])
    read(path, True, monkeypatch)

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(plain_csv.os, "utime", refuse)
    table, taken = read(path, True, monkeypatch)
    assert taken and len(table) == 2
