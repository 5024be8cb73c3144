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
    assert guess == {"prompt_column": "instruction", "response_column": "output"}


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
