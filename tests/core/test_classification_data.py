import pytest

from helpers import classification_config, sentiment_rows, write_csv
from pft_desktop.core.data import load_table
from pft_desktop.core.errors import UserError
from pft_desktop.core.recipe import load_tokenizer
from pft_desktop.core.tasks import get_task


@pytest.fixture(scope="module")
def tokenizer(tiny_encoder):
    return load_tokenizer(str(tiny_encoder))


def prepare(config, tokenizer, validation=None):
    task = get_task("classification")
    return task.prepare(config, load_table(config.data.train_file),
                        load_table(validation) if validation else None, tokenizer)


def test_empty_rows_dropped_and_duplicates_counted(tmp_path, tiny_encoder, tokenizer):
    rows = sentiment_rows(40) + [("", "positive"), ("fine film", ""), ("  ", "negative")]
    rows += [rows[0], rows[0]]
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], rows)
    data = prepare(classification_config(tiny_encoder, path), tokenizer)
    assert data.report.dropped == {"empty 'review'": 2, "empty 'sentiment'": 1}
    assert data.report.duplicates == 2
    assert data.report.rows_kept == 42 == data.report.train_rows + data.report.validation_rows


def test_string_labels_mapped_and_split_is_stratified(tmp_path, tiny_encoder, tokenizer):
    rows = [(t, "pos") for t, _ in sentiment_rows(60)] + \
           [(t, "neg") for t, _ in sentiment_rows(20, seed=1)]
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], rows)
    config = classification_config(tiny_encoder, path)
    config.data.validation_split = 0.25
    data = prepare(config, tokenizer)
    assert data.label_names == ["neg", "pos"]
    assert sorted(data.validation["labels"]).count(0) == 5  # 25% of each class
    assert sorted(data.validation["labels"]).count(1) == 15
    assert data.report.label_counts == {"neg": 15, "pos": 45}


def test_numeric_labels_keep_numeric_order(tmp_path, tiny_encoder, tokenizer):
    rows = [(t, str(i % 11)) for i, (t, _) in enumerate(sentiment_rows(110))]
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], rows)
    data = prepare(classification_config(tiny_encoder, path), tokenizer)
    assert data.label_names == [str(i) for i in range(11)]


def test_split_is_seeded(tmp_path, tiny_encoder, tokenizer):
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], sentiment_rows(60))
    config = classification_config(tiny_encoder, path)
    first = prepare(config, tokenizer).validation["input_ids"]
    assert prepare(config, tokenizer).validation["input_ids"] == first
    config.training.seed = 7
    assert prepare(config, tokenizer).validation["input_ids"] != first


def test_validation_file_with_other_column_name(tmp_path, tiny_encoder, tokenizer):
    train = write_csv(tmp_path / "t.csv", ["review", "sentiment"], sentiment_rows(40))
    val = write_csv(tmp_path / "v.csv", ["content", "sentiment"], sentiment_rows(10, seed=3))
    data = prepare(classification_config(tiny_encoder, train), tokenizer, validation=val)
    assert len(data.validation) == 10 and len(data.train) == 40
    assert any("using 'content'" in note for note in data.report.notes)


def test_token_lengths_and_truncation_reported(tmp_path, tiny_encoder, tokenizer):
    rows = [(" ".join(["film"] * n), "pos" if n % 2 else "neg") for n in range(1, 41)]
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], rows)
    config = classification_config(tiny_encoder, path)
    config.task.max_length = 22
    data = prepare(config, tokenizer)
    lengths = data.report.token_lengths
    assert lengths["max"] == 42  # 40 words + [CLS] + [SEP]
    assert lengths["truncated_share"] == pytest.approx(20 / 40, abs=0.03)
    assert max(len(ids) for ids in data.train["input_ids"]) <= 22


def test_one_label_only_is_refused(tmp_path, tiny_encoder, tokenizer):
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"],
                     [(t, "positive") for t, _ in sentiment_rows(10)])
    with pytest.raises(UserError) as caught:
        prepare(classification_config(tiny_encoder, path), tokenizer)
    assert caught.value.kind == "one_label" and "positive" in caught.value.message


def test_batches_are_padded_to_their_own_longest_row(tmp_path, tiny_encoder, tokenizer):
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], sentiment_rows(40))
    config = classification_config(tiny_encoder, path)
    config.task.max_length = 128
    data = prepare(config, tokenizer)
    collate = get_task("classification").collator(tokenizer)
    features = [data.train[i] for i in range(4)]
    batch = collate(features)
    assert batch["input_ids"].shape[1] == max(len(f["input_ids"]) for f in features) < 128
    assert "length" not in batch


def test_fewer_than_two_classes_with_two_examples_is_refused(tmp_path, tiny_encoder, tokenizer):
    rows = [(t, "positive") for t, _ in sentiment_rows(10)] + \
        [("a dull film", "negative"), ("the plot was so so", "neutral")]
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], rows)
    with pytest.raises(UserError) as caught:
        prepare(classification_config(tiny_encoder, path), tokenizer)
    error = caught.value
    assert error.kind == "too_few_examples"
    assert "only 1 of the 3 classes has two or more examples" in error.message
    assert "positive (10)" in error.message and "neutral (1)" in error.message


def test_text_mapped_as_label_is_refused(tmp_path, tiny_encoder, tokenizer):
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], sentiment_rows(30))
    config = classification_config(tiny_encoder, path)
    config.data.text_column, config.data.label_column = "sentiment", "review"
    with pytest.raises(UserError) as caught:
        prepare(config, tokenizer)
    assert caught.value.kind == "too_few_examples" and "none of the" in caught.value.message


def test_single_example_class_is_named_in_a_warning(tmp_path, tiny_encoder, tokenizer):
    rows = sentiment_rows(40) + [("the plot was so so", "neutral")]
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], rows)
    data = prepare(classification_config(tiny_encoder, path), tokenizer)
    assert [w for w in data.report.warnings if w.startswith("1 class has a single example "
                                                            "(neutral)")]


def test_validation_file_mapping_that_keeps_almost_nothing_is_refused(tmp_path, tiny_encoder,
                                                                      tokenizer):
    train = write_csv(tmp_path / "t.csv", ["review", "sentiment"], sentiment_rows(40))
    val_rows = [(t, s if i == 0 else "") for i, (t, s) in enumerate(sentiment_rows(30, seed=3))]
    val = write_csv(tmp_path / "v.csv", ["review", "sentiment"], val_rows)
    with pytest.raises(UserError) as caught:
        prepare(classification_config(tiny_encoder, train), tokenizer, validation=val)
    assert caught.value.kind == "invalid_mapping"
    assert "keeps only 1 of the 30 rows of v.csv" in caught.value.message
    assert "'sentiment' is empty in 29 rows" in caught.value.message


def test_header_repeated_inside_the_data_is_left_out_with_a_note(tmp_path, tiny_encoder,
                                                                   tokenizer):
    rows = sentiment_rows(20) + [("review", "sentiment")] + sentiment_rows(20, seed=1)
    path = write_csv(tmp_path / "d.csv", ["review", "sentiment"], rows)
    data = prepare(classification_config(tiny_encoder, path), tokenizer)
    assert "sentiment" not in data.label_names and data.report.rows_read == 40
    assert any("1 row of d.csv repeats the header (data row 21" in n for n in data.report.notes)


def test_validation_file_read_without_its_header_is_warned(tmp_path, tiny_encoder, tokenizer):
    train = write_csv(tmp_path / "t.csv", ["review", "sentiment"], sentiment_rows(40))
    val = write_csv(tmp_path / "v.csv", ["text", "label"], sentiment_rows(10, seed=3))
    data = get_task("classification").prepare(
        classification_config(tiny_encoder, train), load_table(train),
        load_table(val, header="no"), tokenizer)  # its columns are guessed: column_1, column_2
    assert any("In v.csv, the label 'label' occurs only in the first row" in w
               for w in data.report.warnings)
