"""Real-world data files, each built here at test time: what a person may hand the app, and
what they get. Every case checks the outcome (the columns and the row count it loaded, or the
refusal) and, for refusals and warnings, the message: what is wrong, where (the file, and the
line, row or column), and what to do. No case may end in anything but a Table or a UserError.

| case class                                   | outcome                                        |
|----------------------------------------------|------------------------------------------------|
| header: trailing/middle empty names          | loaded; empty columns dropped, 'unnamed_3'     |
| header: duplicate names                      | loaded; 'text_2', with a note                  |
| header: numbers as names, no header          | loaded as data (column_1...), note names the   |
|                                              | 'First row is a header' switch                 |
| header: repeated mid-file                    | loaded; the repeats left out, with a note      |
| title or comment lines above the header      | loaded; skipped, with a note quoting them      |
| encodings: UTF-8 BOM, UTF-16 LE/BE, cp1252,  | loaded, text exact                             |
| latin-1; Chinese, Arabic, emoji              |                                                |
| line endings: mixed, CR only; quoted newlines| loaded                                         |
| a 100,000-character cell                     | loaded whole                                   |
| NUL bytes in text                            | warned: count and line; NULs removed           |
| unbalanced quote                             | refused: names the line                        |
| binary file, zip/PDF named .csv, wrong       | refused: says what it is and the fix           |
| encoding chosen                              |                                                |
| ragged rows: a few too long                  | warned: left out, counted, lines named         |
| ragged rows: many too long                   | refused: line, count, delimiter                |
| ragged rows: too short                       | loaded; padded, counted in a note              |
| TSV named .csv, semicolons + decimal commas, | loaded with the right delimiter and values     |
| pipes, trailing delimiter on every row       |                                                |
| only blank lines, empty, header only         | refused                                        |
| one row                                      | loaded                                         |
| .xlsx (first sheet), .csv.gz, .jsonl.gz      | loaded (a note when the workbook has more      |
|                                              | sheets)                                        |
| .xls, .ods, broken .xlsx, broken .gz         | refused: save as CSV or .xlsx                  |
| JSON Lines with a broken line                | refused: names the line                        |
| nested JSON/Parquet fields, lists            | loaded as 'a.b' columns and JSON text, noted   |
| top-level JSON array, records under a key    | loaded (a note for the key)                    |
| .txt raw text                                | loaded: one text per non-blank line, 'text'    |
| .txt whose lines are a tab table             | loaded as a table, noted                       |
| folder of .txt with a binary file            | loaded; the binary file skipped and named      |
| labels: one class                            | refused: names the file, column and value      |
| labels: a class with one example, case-only  | warned, naming them                            |
| differences, many classes, unseen validation |                                                |
| labels                                       |                                                |
| labels: 1.0/1, spaces, decimals              | loaded as the same class / noted               |
| labels: blank                                | loaded; rows dropped and counted               |
| 200 MB, a million rows (slow)                | loaded; time and peak memory printed           |
"""

from __future__ import annotations

import codecs
import csv
import gzip
import json
import threading
import time
from pathlib import Path

import pytest

from helpers import classification_config, sentiment_rows
from pft_desktop.core.data import FORMAT_CHOICE, load_table
from pft_desktop.core.errors import UserError
from pft_desktop.core.recipe import load_tokenizer
from pft_desktop.core.tasks import get_task

ROWS = sentiment_rows(40)


def csv_text(header, rows=ROWS, delimiter=",", newline="\n") -> str:
    lines = [delimiter.join(header)] if header else []
    lines += [delimiter.join(row) for row in rows]
    return newline.join(lines) + newline


def write(path: Path, content) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def loaded(path: Path, columns: list[str], rows: int, **options):
    """Load ``path`` and check its columns and row count; return the Table."""
    table = load_table(path, **options)
    assert table.columns == columns, (table.columns, table.notes, table.warnings)
    assert len(table) == rows, (len(table), table.notes, table.warnings)
    return table


def refused(path: Path, kind: str, *said: str, **options) -> UserError:
    """Loading ``path`` is refused with ``kind``; the message names the file and ``said``, and
    there is a fix."""
    with pytest.raises(UserError) as caught:
        load_table(path, **options)
    error = caught.value
    assert error.kind == kind, (error.kind, str(error))
    assert path.name in error.message, error.message
    for text in said:
        assert text in str(error), (text, str(error))
    assert len(error.fix) > 20, error.fix
    return error


def said(lines: list[str], *needles: str) -> str:
    """The one line of ``lines`` that holds every needle."""
    found = [line for line in lines if all(needle in line for needle in needles)]
    assert found, (needles, lines)
    return found[0]


# -- headers -------------------------------------------------------------------------------------

def test_header_with_trailing_empty_cells(tmp_path):
    path = write(tmp_path / "export.csv", "review,sentiment,,\n"
                 + "".join(f"{t},{s},,\n" for t, s in ROWS))
    table = loaded(path, ["review", "sentiment"], 40)
    assert table.has_header and table.ignored_columns == ["unnamed_3", "unnamed_4"]


def test_header_with_an_empty_name_in_the_middle(tmp_path):
    path = write(tmp_path / "d.csv", "review,,sentiment\n"
                 + "".join(f"{t},id{i},{s}\n" for i, (t, s) in enumerate(ROWS)))
    table = loaded(path, ["review", "unnamed_2", "sentiment"], 40)
    assert table.dataset[3]["unnamed_2"] == "id3"


def test_duplicate_column_names_are_numbered_with_a_note(tmp_path):
    path = write(tmp_path / "d.csv", "text,text,label\n"
                 + "".join(f"{t},other {i},{s}\n" for i, (t, s) in enumerate(ROWS)))
    table = loaded(path, ["text", "text_2", "label"], 40)
    assert table.dataset[0]["text_2"] == "other 0"
    said(table.notes, "d.csv", "'text' is repeated", "'text_2'")


def test_column_names_that_are_numbers_read_as_data_with_the_switch_named(tmp_path):
    path = write(tmp_path / "years.csv", "2019,2020\n" + "".join(f"{i},{i * 2}\n"
                                                              for i in range(30)))
    table = loaded(path, ["column_1", "column_2"], 31)
    said(table.notes, "years.csv", "read as data", "First row is a header", FORMAT_CHOICE)
    loaded(path, ["2019", "2020"], 30, header="yes")


def test_no_header_gets_numbered_columns(tmp_path):
    path = write(tmp_path / "d.csv", csv_text([], [(s, t) for t, s in ROWS]))
    table = loaded(path, ["column_1", "column_2"], 40)
    assert not table.has_header and table.dataset[0]["column_2"] == ROWS[0][0]


def test_header_repeated_mid_file_is_left_out_with_a_note(tmp_path):
    path = write(tmp_path / "joined.csv", csv_text(["review", "sentiment"], ROWS[:25])
                 + csv_text(["review", "sentiment"], ROWS[25:]))
    table = loaded(path, ["review", "sentiment"], 40)
    assert "sentiment" not in table.dataset["sentiment"]
    said(table.notes, "1 row of joined.csv repeats the header", "data row 26", "left out")


@pytest.mark.parametrize("above", [
    "Customer reviews, exported 2024-05-01\n",
    "# exported by the shop\n# do not edit\n\n",
    "sep=,\n",
], ids=["title", "comments", "excel-sep-hint"])
def test_title_or_comment_lines_above_the_header_are_skipped(tmp_path, above):
    path = write(tmp_path / "d.csv", above + csv_text(["review", "sentiment"]))
    table = loaded(path, ["review", "sentiment"], 40)
    assert table.has_header and table.dataset[0]["review"] == ROWS[0][0]
    said(table.notes, "d.csv", "not part of the table", "skipped")


# -- text ----------------------------------------------------------------------------------------

WORLD = [("你好，世界。这部电影很好看", "zh"), ("مرحبا بالعالم، فيلم رائع", "ar"),
         ("🎉🔥 what a party 👍🏽", "emoji"), ("naïve café “quotes” — done", "latin")]


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE)], ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"])
def test_unicode_with_a_byte_order_mark(tmp_path, encoding, bom):
    path = write(tmp_path / "d.csv", bom + csv_text(["text", "label"], WORLD + ROWS)
                 .encode(encoding))
    table = loaded(path, ["text", "label"], 44)
    assert [table.dataset[i]["text"] for i in range(4)] == [t for t, _ in WORLD]


def test_chinese_arabic_and_emoji_in_plain_utf8(tmp_path):
    path = write(tmp_path / "d.csv", csv_text(["text", "label"], WORLD))
    table = loaded(path, ["text", "label"], 4)
    assert table.dataset["text"] == [t for t, _ in WORLD] and table.encoding == "utf-8"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_single_byte_encodings(tmp_path, encoding):
    text = "“Smart quotes” café" if encoding == "cp1252" else "café naïve ½ façade"
    path = write(tmp_path / "d.csv", csv_text(["text", "label"], [(text, "a")] + ROWS)
                 .encode(encoding))
    table = loaded(path, ["text", "label"], 41)
    assert table.dataset[0]["text"] == text and table.encoding in ("cp1252", "latin-1")


def test_forced_wrong_encoding_is_refused_with_the_choice_named(tmp_path):
    path = write(tmp_path / "d.csv", csv_text(["text", "label"], [("café", "a")] + ROWS)
                 .encode("cp1252"))
    refused(path, "undecodable", "not valid utf-8", FORMAT_CHOICE, encoding="utf-8")


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr-only"])
def test_line_endings(tmp_path, newline):
    path = write(tmp_path / "d.csv", csv_text(["review", "sentiment"], newline=newline))
    table = loaded(path, ["review", "sentiment"], 40)
    assert table.dataset[39]["sentiment"] == ROWS[39][1]


def test_mixed_line_endings(tmp_path):
    endings = ["\n", "\r\n", "\r"]
    text = "review,sentiment\r\n" + "".join(
        f"{t},{s}" + endings[i % 3] for i, (t, s) in enumerate(ROWS))
    table = loaded(write(tmp_path / "d.csv", text), ["review", "sentiment"], 40)
    assert table.dataset["sentiment"] == [s for _, s in ROWS]


def test_quoted_newlines_stay_in_their_cell(tmp_path):
    path = tmp_path / "d.csv"
    rows = [("line one\nline two, with a comma", "positive")] + ROWS
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("review", "sentiment")] + rows)
    table = loaded(path, ["review", "sentiment"], 41)
    assert table.dataset[0]["review"] == "line one\nline two, with a comma"


def test_unbalanced_quote_is_refused_naming_its_line(tmp_path):
    text = csv_text(["review", "sentiment"], ROWS[:5]) + '"an open quote,positive\n' + \
        csv_text([], ROWS[5:])
    refused(write(tmp_path / "d.csv", text), "unbalanced_quotes", "line 7", "never closed",
            "closing quote")


def test_nul_bytes_are_removed_with_a_warning_naming_the_line(tmp_path):
    text = csv_text(["review", "sentiment"]).replace(ROWS[4][0], ROWS[4][0] + "\x00\x00")
    table = loaded(write(tmp_path / "d.csv", text), ["review", "sentiment"], 40)
    assert table.dataset[4]["review"] == ROWS[4][0]
    said(table.warnings, "d.csv holds 2 NUL bytes", "line 6", "removed")


def test_a_100k_character_cell_is_read_whole(tmp_path):
    long = "word " * 20_000
    table = loaded(write(tmp_path / "d.csv", csv_text(["review", "sentiment"],
                                                      [(long, "positive")] + ROWS)),
                   ["review", "sentiment"], 41)
    assert table.dataset[0]["review"] == long and len(long) == 100_000


@pytest.mark.parametrize("name, content, said_", [
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "PNG image"),
    ("book.csv", b"PK\x03\x04" + b"\x00" * 200, "name it .xlsx"),
    ("paper.csv", b"%PDF-1.7\n" + bytes(range(256)) * 4, "PDF document"),
    ("raw.csv", bytes(range(32)) * 64, "binary data"),
], ids=["png", "zip", "pdf", "control-bytes"])
def test_binary_files_are_refused_saying_what_they_are(tmp_path, name, content, said_):
    refused(write(tmp_path / name, content), "undecodable", said_)


# -- structure -----------------------------------------------------------------------------------

def test_a_few_rows_with_extra_cells_are_left_out_and_named(tmp_path):
    rows = sentiment_rows(300)
    text = csv_text(["review", "sentiment"], rows[:150]) + "a film, sadly,negative\n" + \
        csv_text([], rows[150:])
    table = loaded(write(tmp_path / "d.csv", text), ["review", "sentiment"], 300)
    said(table.warnings, "1 row of d.csv has more cells than the header (2)", "left out",
         "line 152", "Quote text")
    assert table.dataset["sentiment"] == [s for _, s in rows]  # nothing shifted


def test_a_long_first_data_row_does_not_shift_the_columns(tmp_path):
    """pandas reads a first data row with one cell too many as an index and shifts every
    column by one; the cell count pass catches it."""
    rows = sentiment_rows(300)
    text = "review,sentiment\nfirst, with a comma,positive\n" + csv_text([], rows)
    table = loaded(write(tmp_path / "d.csv", text), ["review", "sentiment"], 300)
    assert table.dataset[0] == {"review": rows[0][0], "sentiment": rows[0][1]}
    said(table.warnings, "left out", "line 2")


def test_many_rows_with_extra_cells_are_refused(tmp_path):
    rows = [(f"{t}, really", s) for t, s in ROWS[:10]] + ROWS[10:]
    refused(write(tmp_path / "d.csv", csv_text(["review", "sentiment"], rows)), "ragged_rows",
            "line 2 has 3 fields where the header has 2", "10 of 40 rows",
            "delimiter: comma", FORMAT_CHOICE)


def test_short_rows_are_padded_and_counted(tmp_path):
    text = "review,sentiment,source\n" + "".join(
        f"{t},{s}\n" if i % 4 == 0 else f"{t},{s},web\n" for i, (t, s) in enumerate(ROWS))
    table = loaded(write(tmp_path / "d.csv", text), ["review", "sentiment", "source"], 40)
    assert table.dataset[0]["source"] == "" and table.dataset[1]["source"] == "web"
    said(table.notes, "10 rows of d.csv have fewer cells than the header (3",
         "lines 2, 6, 10, 14, 18 and 5 more", "read as empty")


def test_tsv_named_csv(tmp_path):
    rows = [(f"{t}, with commas, too", s) for t, s in ROWS]
    table = loaded(write(tmp_path / "d.csv", csv_text(["review", "sentiment"], rows, "\t")),
                   ["review", "sentiment"], 40)
    assert table.delimiter == "\t" and table.dataset[0]["review"] == rows[0][0]


def test_semicolons_with_decimal_commas(tmp_path):
    text = "review;score;sentiment\n" + "".join(
        f"{t};{i % 5},{i % 10};{s}\n" for i, (t, s) in enumerate(ROWS))
    table = loaded(write(tmp_path / "d.csv", text), ["review", "score", "sentiment"], 40)
    assert table.delimiter == ";" and table.dataset[13]["score"] == "3,3"


def test_pipe_delimited(tmp_path):
    table = loaded(write(tmp_path / "d.csv", csv_text(["review", "sentiment"], ROWS, "|")),
                   ["review", "sentiment"], 40)
    assert table.delimiter == "|"


@pytest.mark.parametrize("header", ["review,sentiment,", "review,sentiment"],
                         ids=["header-too", "data-rows-only"])
def test_a_trailing_delimiter_on_every_row(tmp_path, header):
    text = header + "\n" + "".join(f"{t},{s},\n" for t, s in ROWS)
    table = loaded(write(tmp_path / "d.csv", text), ["review", "sentiment"], 40)
    assert table.dataset[0] == {"review": ROWS[0][0], "sentiment": ROWS[0][1]}


@pytest.mark.parametrize("name, content, kind, said_", [
    ("blank.csv", "\n\n   \n\n", "empty_file", "only blank lines"),
    ("empty.csv", "", "empty_file", "is empty"),
    ("header.csv", "review,sentiment\n", "header_only", "no data rows"),
    ("header-blank.csv", "review,sentiment\n\n\n", "header_only", "no data rows"),
    ("blank.txt", "\n \n\n", "empty_file", "only blank lines"),
], ids=["only-blank-lines", "empty", "header-only", "header-and-blank-lines", "blank-txt"])
def test_files_without_data_are_refused(tmp_path, name, content, kind, said_):
    refused(write(tmp_path / name, content), kind, said_)


def test_one_row(tmp_path):
    table = loaded(write(tmp_path / "d.csv", "review,sentiment\na fine film,positive\n"),
                   ["review", "sentiment"], 1)
    assert table.dataset[0] == {"review": "a fine film", "sentiment": "positive"}


def test_excel_workbook_reads_its_first_sheet(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"review": [t for t, _ in ROWS], "sentiment": [s for _, s in ROWS],
                          "stars": [i % 5 + 1 for i in range(40)],
                          "score": [0.5 + i for i in range(40)]})
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        frame.to_excel(writer, sheet_name="Reviews", index=False)
        frame.head(3).to_excel(writer, sheet_name="Scratch", index=False)
    table = loaded(path, ["review", "sentiment", "stars", "score"], 40)
    assert table.dataset[1] == {"review": ROWS[1][0], "sentiment": ROWS[1][1], "stars": "2",
                                "score": "1.5"}
    said(table.notes, "book.xlsx has 2 sheets", "'Reviews'", "'Scratch'", "CSV")


@pytest.mark.parametrize("name, content, kind, said_", [
    ("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 200, "unsupported_format", "save it as CSV"),
    ("sheet.ods", b"PK\x03\x04" + b"\x00" * 200, "unsupported_format", "save it as CSV"),
    ("broken.xlsx", b"not a workbook at all", "unreadable", "as an Excel workbook"),
    ("d.docx", b"PK\x03\x04", "unsupported_format", "Save the data as CSV"),
], ids=["xls", "ods", "broken-xlsx", "docx"])
def test_spreadsheets_that_cannot_be_read_say_how_to_save_them(tmp_path, name, content, kind,
                                                               said_):
    refused(write(tmp_path / name, content), kind, said_)


@pytest.mark.parametrize("name, content, columns", [
    ("d.csv.gz", csv_text(["review", "sentiment"]), ["review", "sentiment"]),
    ("d.tsv.gz", csv_text(["review", "sentiment"], delimiter="\t"), ["review", "sentiment"]),
    ("d.jsonl.gz", "".join(json.dumps({"review": t, "sentiment": s}) + "\n" for t, s in ROWS),
     ["review", "sentiment"]),
], ids=["csv", "tsv", "jsonl"])
def test_gzip_compressed_files(tmp_path, name, content, columns):
    table = loaded(write(tmp_path / name, gzip.compress(content.encode())), columns, 40)
    assert table.dataset[5] == {"review": ROWS[5][0], "sentiment": ROWS[5][1]}


def test_a_broken_gzip_file_is_refused(tmp_path):
    refused(write(tmp_path / "d.csv.gz", gzip.compress(b"review,sentiment\n" * 50)[:30]),
            "unreadable", "cannot be decompressed")


# -- JSON, Parquet, raw text ---------------------------------------------------------------------

def jsonl(records) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


RECORDS = [{"review": t, "sentiment": s, "stars": i % 5} for i, (t, s) in enumerate(ROWS)]


def test_json_lines_with_a_broken_line_is_refused_naming_it(tmp_path):
    lines = jsonl(RECORDS).splitlines()
    lines[6] = '{"review": "cut short", "sentiment": '
    refused(write(tmp_path / "d.jsonl", "\n".join(lines) + "\n"), "bad_json", "line 7",
            "Fix or remove line 7")


@pytest.mark.parametrize("name, content, kind, said_", [
    ("blank.jsonl", "\n\n\n", "empty_file", "holds no records"),
    ("empty.json", "[]", "empty_file", "holds no records"),
    ("numbers.jsonl", "1\n2\n3\n", "bad_json", "line 1 is not a JSON object (it is a number)"),
    ("csv.parquet", "review,sentiment\nx,y\n", "unreadable", "could not be read as parquet"),
    ("image.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "undecodable", "PNG image"),
], ids=["blank-jsonl", "empty-array", "not-objects", "csv-named-parquet", "png-named-jsonl"])
def test_record_files_that_cannot_be_read(tmp_path, name, content, kind, said_):
    refused(write(tmp_path / name, content), kind, said_)


def test_json_lines_with_nested_fields_are_flattened(tmp_path):
    records = [{"review": t, "meta": {"label": s, "source": {"site": "web"}}, "tags": ["a", i]}
               for i, (t, s) in enumerate(ROWS)]
    table = loaded(write(tmp_path / "d.jsonl", jsonl(records)),
                   ["review", "meta.label", "meta.source.site", "tags"], 40)
    assert table.dataset[2] == {"review": ROWS[2][0], "meta.label": ROWS[2][1],
                                "meta.source.site": "web", "tags": '["a", 2]'}
    said(table.notes, "Nested fields of d.jsonl", "'meta'")
    said(table.notes, "'tags'", "JSON text")


def test_a_json_array_file(tmp_path):
    table = loaded(write(tmp_path / "d.json", json.dumps(RECORDS)),
                   ["review", "sentiment", "stars"], 40)
    assert table.dataset[3]["stars"] == "3"


def test_a_json_object_whose_records_are_under_a_key(tmp_path):
    table = loaded(write(tmp_path / "d.json", json.dumps({"data": RECORDS})),
                   ["review", "sentiment", "stars"], 40)
    said(table.notes, "d.json holds one object", "'data' list (40 records)")


def test_parquet_with_nested_and_list_columns(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"review": [t for t, _ in ROWS],
                          "meta": [{"label": s, "score": 0.5} for _, s in ROWS],
                          "tokens": [t.split()[:2] for t, _ in ROWS]})
    frame.to_parquet(tmp_path / "d.parquet")
    table = loaded(tmp_path / "d.parquet", ["review", "meta.label", "meta.score", "tokens"], 40)
    assert table.dataset[0]["meta.label"] == ROWS[0][1]
    assert json.loads(table.dataset[0]["tokens"]) == ROWS[0][0].split()[:2]


def test_a_txt_file_is_raw_text_one_text_per_line(tmp_path):
    text = "The first note, with a comma, and more.\n\nSecond; with semicolons.\r\n\"Quoted\"\n"
    table = loaded(write(tmp_path / "notes.txt", text), ["text"], 3)
    assert table.dataset["text"] == ["The first note, with a comma, and more.",
                                     "Second; with semicolons.", '"Quoted"']
    said(table.notes, "notes.txt is read as plain text", "'text'")
    assert table.format == "txt"  # what the Data page treats as a corpus, like a folder


def test_a_comma_table_named_txt_says_how_to_read_it_as_a_table(tmp_path):
    from pft_desktop.core.data import require_columns

    path = write(tmp_path / "d.txt", csv_text(["review", "sentiment"]))
    with pytest.raises(UserError) as caught:
        require_columns(load_table(path), {"text_column": "review"})
    assert "read as plain text" in caught.value.fix and FORMAT_CHOICE in caught.value.fix
    loaded(path, ["review", "sentiment"], 40, delimiter=",")


def test_a_txt_file_whose_lines_are_a_tab_table_is_a_table(tmp_path):
    table = loaded(write(tmp_path / "d.txt", csv_text(["review", "sentiment"], ROWS, "\t")),
                   ["review", "sentiment"], 40)
    said(table.notes, "d.txt is read as a tab-separated table")


def _settings(path, **values):
    from pft_desktop.core.config import DataSettings

    return DataSettings(train_file=str(path), **values)


def test_pretraining_reads_a_txt_file_like_load_table(tmp_path):
    from pft_desktop.core.pretrain import load_corpus

    path = write(tmp_path / "notes.txt", "first, with commas, many\n\nsecond line\nthird\n")
    corpus = load_corpus(_settings(path))
    assert corpus["text"] == load_table(path).dataset["text"] == \
        ["first, with commas, many", "second line", "third"]


def test_a_txt_file_needs_no_text_column_for_pretraining(tmp_path):
    from pft_desktop.core.config import RunConfig

    config = RunConfig()
    config.task.kind, config.method.kind = "pretrain", "full"
    config.model.name_or_path = "some/model"
    config.data.train_file = str(write(tmp_path / "notes.txt", "a\nb\n"))
    assert not [p for p in config.problems() if "text_column" in p]


def test_a_folder_of_txt_files_skips_a_binary_one_and_names_it(tmp_path):
    from pft_desktop.core.pretrain import load_corpus

    folder = tmp_path / "corpus"
    (folder / "more").mkdir(parents=True)
    write(folder / "a.txt", "one\ntwo\n\n")
    write(folder / "more" / "b.txt", "three\n".encode("utf-16"))
    write(folder / "c.txt", "quatre café\n".encode("cp1252"))
    write(folder / "scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    notes = []
    corpus = load_corpus(_settings(folder), notes=notes)
    assert sorted(corpus["text"]) == ["one", "quatre café", "three", "two"]
    said(notes, "Skipped 1 of the 4 .txt files", "scan.txt", "PNG image")


def test_a_folder_with_only_binary_txt_files_is_refused(tmp_path):
    from pft_desktop.core.pretrain import load_corpus

    write(tmp_path / "scan.txt", b"%PDF-1.4" + bytes(range(32)) * 40)
    with pytest.raises(UserError) as caught:
        load_corpus(_settings(tmp_path))
    assert caught.value.kind == "no_text_files" and "not text" in caught.value.message


# -- labels --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tokenizer(tiny_encoder):
    return load_tokenizer(str(tiny_encoder))


def prepare(tmp_path, tiny_encoder, tokenizer, rows, validation_rows=None):
    path = write(tmp_path / "train.csv", csv_text(["review", "sentiment"], rows))
    validation = None
    if validation_rows is not None:
        validation = load_table(write(tmp_path / "val.csv",
                                      csv_text(["review", "sentiment"], validation_rows)))
    return get_task("classification").prepare(classification_config(tiny_encoder, path),
                                              load_table(path), validation, tokenizer)


def relabel(rows, labels):
    return [(text, labels[i % len(labels)]) for i, (text, _) in enumerate(rows)]


def test_one_class_only_is_refused_naming_file_column_and_value(tmp_path, tiny_encoder,
                                                                 tokenizer):
    with pytest.raises(UserError) as caught:
        prepare(tmp_path, tiny_encoder, tokenizer, relabel(ROWS, ["spam"]))
    error = caught.value
    assert error.kind == "one_label"
    for text in ("'sentiment'", "train.csv", "(spam)"):
        assert text in error.message
    assert "Map the column that holds the classes" in error.fix


def test_a_class_with_one_example_is_warned(tmp_path, tiny_encoder, tokenizer):
    data = prepare(tmp_path, tiny_encoder, tokenizer, ROWS + [("a so so film", "neutral")])
    said(data.report.warnings, "1 class has a single example (neutral)")
    assert data.label_names == ["negative", "neutral", "positive"]


def test_decimal_whole_numbers_are_the_same_class_as_whole_numbers(tmp_path, tiny_encoder,
                                                                   tokenizer):
    data = prepare(tmp_path, tiny_encoder, tokenizer, relabel(ROWS, ["1.0", "0.0", "1", "0"]))
    assert data.label_names == ["0", "1"]
    assert data.report.label_counts["0"] + data.report.label_counts["1"] == \
        data.report.train_rows
    said(data.report.notes, "train.csv", "whole numbers", "0.0, 1.0", "classes 0, 1")


def test_decimal_labels_are_classes_with_a_note(tmp_path, tiny_encoder, tokenizer):
    data = prepare(tmp_path, tiny_encoder, tokenizer, relabel(ROWS, ["0.25", "0.5", "0.75"]))
    assert data.label_names == ["0.25", "0.5", "0.75"]
    said(data.report.notes, "decimal numbers", "each distinct value as a class")


def test_labels_with_surrounding_spaces_are_one_class(tmp_path, tiny_encoder, tokenizer):
    data = prepare(tmp_path, tiny_encoder, tokenizer, relabel(ROWS, ["spam ", " spam", "ham"]))
    assert data.label_names == ["ham", "spam"]


def test_labels_that_differ_only_in_case_are_warned_by_name(tmp_path, tiny_encoder,
                                                            tokenizer):
    data = prepare(tmp_path, tiny_encoder, tokenizer, relabel(ROWS, ["Spam", "spam ", "ham"]))
    assert data.label_names == ["Spam", "ham", "spam"]
    said(data.report.warnings, "train.csv", "'Spam' and 'spam'", "only in upper and lower case",
         "write them the same way")


def test_blank_labels_are_dropped_and_counted(tmp_path, tiny_encoder, tokenizer):
    rows = [(t, "" if i % 10 == 0 else s) for i, (t, s) in enumerate(ROWS)]
    data = prepare(tmp_path, tiny_encoder, tokenizer, rows)
    assert data.report.dropped == {"empty 'sentiment'": 4} and data.report.rows_kept == 36


def test_validation_labels_unseen_in_training_are_named(tmp_path, tiny_encoder, tokenizer):
    validation = sentiment_rows(12, seed=3) + [("a so so film", "neutral"),
                                              ("meh", "neutral"), ("odd", "mixed")]
    data = prepare(tmp_path, tiny_encoder, tokenizer, ROWS, validation)
    assert data.report.dropped["validation label not seen in training"] == 3
    assert len(data.validation) == 12
    said(data.report.warnings, "val.csv has 2 labels that the training data does not have",
         "neutral (2)", "mixed (1)", "left out of validation")


def test_ten_thousand_distinct_labels_load_with_a_warning(tmp_path, tiny_encoder, tokenizer):
    rows = [(f"film {i % 7} story", f"class{i % 10_000:05d}") for i in range(30_000)]
    data = prepare(tmp_path, tiny_encoder, tokenizer, rows)
    assert len(data.label_names) == 10_000
    said(data.report.warnings, "10,000 classes", "about 3.0 examples each")


def test_a_loading_warning_reaches_the_data_report(tmp_path, tiny_encoder, tokenizer):
    rows = sentiment_rows(300)
    path = write(tmp_path / "train.csv", csv_text(["review", "sentiment"], rows[:100])
                 + "a film, sadly,negative\n" + csv_text([], rows[100:]))
    data = get_task("classification").prepare(classification_config(tiny_encoder, path),
                                              load_table(path), None, tokenizer)
    assert data.report.rows_read == 300
    said(data.report.lines(), "Warning: 1 row of train.csv has more cells", "line 102")


# -- large files (slow: bash packaging/dev.sh test -m slow) --------------------------------------

class PeakMemory:
    """The process's peak resident memory while the block runs, sampled every 50 ms."""

    def __enter__(self):
        import psutil

        self.process, self.peak, self.running = psutil.Process(), 0, True
        self.start = self.process.memory_info().rss
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.05)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


def _timed_load(path: Path, label: str):
    size = path.stat().st_size
    with PeakMemory() as memory:
        started = time.perf_counter()
        table = load_table(path)
        seconds = time.perf_counter() - started
    print(f"\n{label}: {size / 1e6:.0f} MB, {len(table):,} rows loaded in {seconds:.1f} s; "
          f"peak memory {memory.peak / 2**20:,.0f} MiB (+{(memory.peak - memory.start) / 2**20:,.0f}"
          " MiB over the start)")
    return table


def _write_rows(path: Path, count: int, words: int) -> None:
    import random

    rng = random.Random(0)
    vocabulary = "the film was a movie and very plot story it this acting quite so".split()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("review,sentiment\n")
        for i in range(count):
            handle.write(" ".join(rng.choices(vocabulary, k=words)) + ","
                         + ("positive" if i % 2 else "negative") + "\n")


@pytest.mark.slow
def test_a_200_mb_csv(tmp_path):
    path = tmp_path / "big.csv"
    rows = 1_700_000
    _write_rows(path, rows, 24)
    assert path.stat().st_size > 200e6
    table = _timed_load(path, "200 MB CSV")
    assert table.columns == ["review", "sentiment"] and len(table) == rows


@pytest.mark.slow
def test_a_million_rows(tmp_path):
    path = tmp_path / "million.csv"
    _write_rows(path, 1_000_000, 6)
    table = _timed_load(path, "1,000,000-row CSV")
    assert len(table) == 1_000_000 and table.dataset[999_999]["sentiment"] == "positive"
