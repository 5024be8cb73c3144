"""A spreadsheet's CSV export: the header row ends in empty cells (``v1,v2,,,``) and a few rows
spill text fragments into those trailing columns, as the SMS spam collection saved from a
spreadsheet program does."""

import csv

import pytest

from helpers import classification_config, sentiment_rows
from pft_desktop.core.data import guess_columns, load_table
from pft_desktop.core.errors import UserError
from pft_desktop.core.recipe import load_tokenizer
from pft_desktop.core.tasks import get_task

ROWS = 200
SPILLED = (13, 57, 101)  # rows whose text spilled into the trailing columns


@pytest.fixture(scope="module")
def tokenizer(tiny_encoder):
    return load_tokenizer(str(tiny_encoder))


@pytest.fixture
def export(tmp_path):
    """ham/spam and a message, under the header ``v1,v2,,,``."""
    rows = []
    for i, (text, _) in enumerate(sentiment_rows(ROWS)):
        label = "spam" if i % 7 == 0 else "ham"
        row = [label, f"{text}, call now" if label == "spam" else text, "", "", ""]
        if i in SPILLED:
            row[2] = " " + " ".join(text.split()[:2])
        if i == SPILLED[1]:
            row[3] = " and the rest"
        rows.append(row)
    path = tmp_path / "spam.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write("v1,v2,,,\n")
        csv.writer(handle).writerows(rows)
    return path


def prepare(path, tokenizer, tiny_encoder, text, label, header="auto"):
    config = classification_config(tiny_encoder, path)
    config.data.text_column, config.data.label_column = text, label
    config.data.header = header
    table = load_table(path, header=header)
    return get_task("classification").prepare(config, table, None, tokenizer)


def test_header_with_trailing_empty_cells_is_detected(export):
    table = load_table(export)
    assert table.has_header
    assert table.columns == ["v1", "v2", "unnamed_3", "unnamed_4"]  # the fragments' columns
    assert table.ignored_columns == ["unnamed_5"] and len(table) == ROWS


def test_guess_skips_the_nearly_empty_trailing_columns(export):
    guess = guess_columns(load_table(export), "classification")
    assert guess["label_column"] == "v1" and guess["text_column"] == "v2"


def test_guessed_mapping_keeps_nearly_all_rows(export, tokenizer, tiny_encoder):
    data = prepare(export, tokenizer, tiny_encoder, "v2", "v1")
    assert data.report.rows_read == data.report.rows_kept == ROWS
    assert data.label_names == ["ham", "spam"] and not data.report.warnings


def test_header_read_as_data_with_a_trailing_label_is_refused(export, tokenizer, tiny_encoder):
    """What the old guess did: the header read as data and the label mapped to a trailing
    column that holds one fragment."""
    with pytest.raises(UserError) as caught:
        prepare(export, tokenizer, tiny_encoder, "column_2", "column_4", header="no")
    error = caught.value
    assert error.kind == "invalid_mapping"
    assert "keeps only 1 of the 201 rows" in error.message
    assert "'column_4' is empty in 200 rows" in error.message
    assert "'column_1' looks like it" in error.fix and "First row is a header" in error.fix


def test_nearly_empty_label_is_refused_with_the_header_read(export, tokenizer, tiny_encoder):
    with pytest.raises(UserError) as caught:
        prepare(export, tokenizer, tiny_encoder, "v2", "unnamed_3")
    assert caught.value.kind == "invalid_mapping"
    assert "'unnamed_3' is empty in 197 rows" in caught.value.message
    assert "'v1' looks like it" in caught.value.fix
    assert "First row is a header" not in caught.value.fix  # the header was read


def test_header_read_as_data_warns_that_a_label_is_a_column_name(export, tokenizer,
                                                                  tiny_encoder):
    data = prepare(export, tokenizer, tiny_encoder, "column_2", "column_1", header="no")
    assert data.report.rows_kept == ROWS + 1
    header_warning = [w for w in data.report.warnings if "look like column names" in w]
    assert len(header_warning) == 1
    assert "'v1'" in header_warning[0] and "First row is a header" in header_warning[0]
    # The cause is said once; its symptoms (a one-example class, unbalanced classes) are not.
    assert len(data.report.warnings) == 1, data.report.warnings
