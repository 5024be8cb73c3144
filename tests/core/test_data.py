import pytest

from helpers import SHARED_DATA, sentiment_rows, write_csv
from pft_desktop.core.data import DataReport, guess_columns, load_table
from pft_desktop.core.errors import UserError


def test_tsv_is_read_with_tab_delimiter(tmp_path):
    path = write_csv(tmp_path / "d.tsv", ["label", "sentence"], [("0", "a, b"), ("1", "c")],
                     delimiter="\t")
    table = load_table(path)
    assert table.delimiter == "\t" and table.columns == ["label", "sentence"]
    assert table.dataset[0] == {"label": "0", "sentence": "a, b"}


def test_semicolon_delimiter_is_sniffed(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("text;label\nhello there;pos\nso bad;neg\nfine day;pos\n")
    table = load_table(path)
    assert table.delimiter == ";" and len(table) == 3


def test_utf8_bom_is_stripped_from_first_column_name(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("text,label\ncafé,pos\nbad,neg\n".encode("utf-8-sig"))
    table = load_table(path)
    assert table.columns == ["text", "label"]
    assert table.dataset[0]["text"] == "café"


def test_windows_1252_falls_back_and_decodes(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("text,label\n“smart quotes” café,pos\nbad,neg\n".encode("cp1252"))
    table = load_table(path)
    assert table.encoding == "cp1252"
    assert table.dataset[0]["text"] == "“smart quotes” café"


def test_file_without_header_gets_generated_names(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("1,the movie was great fun\n0,what a dull boring film\n1,loved it a lot\n")
    table = load_table(path)
    assert not table.has_header
    assert table.columns == ["column_1", "column_2"] and len(table) == 3


def test_empty_and_unnamed_columns_are_ignored(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("text,label,,notes\nhello,pos,,\nbye,neg,,\n")
    table = load_table(path)
    assert table.columns == ["text", "label"]
    assert set(table.ignored_columns) == {"unnamed_3", "notes"}


def test_jsonl_and_parquet_are_read(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"text": ["a b", "c d"], "label": [0, 1]})
    frame.to_json(tmp_path / "d.jsonl", orient="records", lines=True)
    frame.to_parquet(tmp_path / "d.parquet")
    for name in ("d.jsonl", "d.parquet"):
        table = load_table(tmp_path / name)
        assert table.dataset[1] == {"text": "c d", "label": "1"}


def test_guess_finds_text_and_label_by_shape(tmp_path):
    rows = [(label, text) for text, label in sentiment_rows(40)]
    path = write_csv(tmp_path / "d.csv", ["y_value", "body_text"], rows)
    guess = guess_columns(load_table(path), "classification")
    assert guess["text_column"] == "body_text" and guess["label_column"] == "y_value"


def test_guess_prompt_and_response(tmp_path):
    path = write_csv(tmp_path / "d.csv", ["instruction", "output"], [("say hi", "hi")] * 3)
    guess = guess_columns(load_table(path), "causal-lm")
    assert {role: column for role, column in guess.items() if column} == \
        {"prompt_column": "instruction", "response_column": "output"}


def test_report_lines_name_drops_and_duplicates():
    report = DataReport(rows_read=10, rows_kept=7, train_rows=6, validation_rows=1,
                        duplicates=2)
    report.drop("empty 'text'", 3)
    text = "\n".join(report.lines())
    assert "Dropped 3 rows: empty 'text'" in text and "2 rows are exact duplicates" in text


@pytest.mark.skipif(not (SHARED_DATA / "sst2" / "dev.tsv").is_file(),
                    reason="../shared/data/sst2 is not present")
def test_real_sst2_files_map_differently_named_text_columns():
    train = load_table(SHARED_DATA / "sst2" / "dev.tsv")
    assert guess_columns(train, "classification")["text_column"] == "content"
    assert guess_columns(train, "classification")["label_column"] == "label"


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(UserError) as caught:
        load_table(path)
    assert caught.value.kind == "undecodable"


def test_header_with_empty_middle_and_trailing_cells_is_detected(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("review,,sentiment,,\n"
                    + "".join(f"{text},,{label},,\n" for text, label in sentiment_rows(30))
                    + "so bad,really,negative,,\n")
    table = load_table(path)
    assert table.has_header and table.columns == ["review", "unnamed_2", "sentiment"]
    guess = guess_columns(table, "classification")
    assert guess["text_column"] == "review" and guess["label_column"] == "sentiment"


def test_headerless_file_with_word_like_first_row_is_still_headerless(tmp_path):
    """The first row 'positive,great' looks like names, but 'positive' recurs in its column."""
    rows = [("positive", "great")] + [(label, text) for text, label in sentiment_rows(20)]
    path = write_csv(tmp_path / "d.csv", [], rows)
    table = load_table(path)
    assert not table.has_header and table.columns == ["column_1", "column_2"]
    assert len(table) == 21


def test_header_setting_overrides_detection(tmp_path):
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], sentiment_rows(10))
    as_data = load_table(path, header="no")
    assert not as_data.has_header and as_data.columns == ["column_1", "column_2"]
    assert len(as_data) == 11 and as_data.dataset[0] == {"column_1": "review",
                                                       "column_2": "sentiment"}
    headerless = tmp_path / "n.csv"
    headerless.write_text("1,the movie was great fun\n0,what a dull boring film\n1,loved it\n")
    as_names = load_table(headerless, header="yes")
    assert as_names.has_header and as_names.columns == ["1", "the movie was great fun"]
    assert len(as_names) == 2


def test_unknown_header_choice_is_refused(tmp_path):
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], sentiment_rows(4))
    with pytest.raises(UserError) as caught:
        load_table(path, header="maybe")
    assert "First row is a header" in caught.value.message


@pytest.mark.parametrize("header, rows, expected", [
    (["name", "score"], [("ann", "3.5"), ("bob", "4")], True),       # a name over numbers
    (["date", "note"], [("2024-01-02", "x"), ("2024-02-03", "yy")], True),  # fixed-length codes
    (["body"], [("a long sentence of free text here",), ("another long sentence, too",)], True),
    ([], [("3", "a"), ("4", "b")], False),                           # a number is never a name
    ([], [("the plot was dull and slow", "neg"), ("a fine film, warm", "pos"),
          ("it was a bore", "neg")], False),
])
def test_header_heuristics(tmp_path, header, rows, expected):
    path = write_csv(tmp_path / "d.csv", header, rows)
    assert load_table(path).has_header is expected


def test_guess_never_picks_a_nearly_empty_column(tmp_path):
    """Even named 'label', a column blank in most rows is not the label; a long note in a few
    rows is not the text."""
    rows = [(text, sentiment, "1" if i < 3 else "", "a long note " * 10 if i < 3 else "")
            for i, (text, sentiment) in enumerate(sentiment_rows(40))]
    path = write_csv(tmp_path / "d.csv", ["words", "mood", "label", "notes"], rows)
    guess = guess_columns(load_table(path), "classification")
    assert guess["label_column"] == "mood" and guess["text_column"] == "words"


def test_report_lines_use_the_singular_for_one():
    report = DataReport(rows_read=1, rows_kept=1, train_rows=1, duplicates=1)
    report.drop("empty 'text'", 1)
    text = "\n".join(report.lines())
    assert text.startswith("1 row read, 1 kept")
    assert "Dropped 1 row: empty 'text'" in text and "1 row is an exact duplicate" in text
    packed = "\n".join(DataReport(rows_read=1, train_rows=1, validation_rows=2,
                                  packed={"blocks": 3}).lines())
    assert "1 text read" in packed and "1 training block, 2 validation blocks" in packed
