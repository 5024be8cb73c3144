"""After pretraining, the app fine-tunes the result: Results' "Fine-tune this model" opens the
wizard on the fine-tuning path with the pretrained model chosen, a short real run trains from
it, and that run's Results page shows both steps. The Hyperparameters page says what to expect
before a pretraining starts."""

from PySide6.QtCore import Qt

from helpers import build_tiny_encoder, sentiment_rows, write_csv
from pft_desktop.core.recipe import run_training


def test_results_button_to_a_fine_tuned_run_showing_its_pretraining(qtbot, window, tmp_path):
    from pft_desktop.core.defaults import pretraining_defaults

    win = window
    corpus = write_csv(tmp_path / "corpus.csv", ["text"],
                       [(t,) for t, _ in sentiment_rows(300, seed=4)])
    config = pretraining_defaults(from_scratch="encoder")
    config.pretrain.size, config.pretrain.hidden_size, config.pretrain.num_heads = "tiny", 32, 2
    config.data.train_file, config.data.text_column = str(corpus), "text"
    config.task.max_length, config.training.max_steps, config.training.batch_size = 32, 4, 8
    pre = tmp_path / "runs" / "pretrained-here"
    assert run_training(config, pre).status == "finished"

    results = win.results_page
    results.open_run(str(pre))  # as the run library opens it
    qtbot.waitUntil(lambda: win.stack.currentWidget() is results, timeout=5000)
    assert results.finetune_button.isVisible()
    assert not results.lineage.isVisible()  # a pretraining run has no app-made base
    qtbot.mouseClick(results.finetune_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.model_page
    qtbot.waitUntil(lambda: win.state.model_info is not None, timeout=60000)
    assert win.state.config.model.name_or_path == str(pre / "model")
    assert win.state.config.task.kind == "classification"
    assert not win.state.config.pretrain.from_scratch

    # The short real run, from the wizard's config (the Train page's child process is tested
    # elsewhere; here the chain matters).
    fine_config = win.state.config
    fine_config.data.train_file = str(write_csv(tmp_path / "labeled.csv",
                                                ["review", "sentiment"], sentiment_rows(60)))
    fine_config.data.text_column, fine_config.data.label_column = "review", "sentiment"
    fine_config.method.kind, fine_config.training.max_steps = "full", 3
    fine = tmp_path / "runs" / "fine-tuned-here"
    assert run_training(fine_config, fine).status == "finished"

    results.open_run(str(fine))
    qtbot.waitUntil(lambda: results.lineage.isVisible(), timeout=5000)
    text = results.lineage.text()
    assert "Made in two steps" in text
    assert "Pretraining run pretrained-here: a new encoder (tiny) on corpus.csv, 4 steps" in text
    assert "training loss" in text and "This run fine-tuned the model it saved" in text


def test_pretraining_page_says_what_to_expect_and_names_a_new_head(qtbot, window, tmp_path):
    from transformers import AutoModel

    win = window
    headless = build_tiny_encoder(tmp_path / "with-head")
    AutoModel.from_pretrained(headless).save_pretrained(tmp_path / "headless")
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                 "vocab.txt"):
        if (headless / name).is_file():
            (tmp_path / "headless" / name).write_bytes((headless / name).read_bytes())
    win.model_page.choose(str(tmp_path / "headless"))
    qtbot.waitUntil(lambda: win.state.model_info is not None, timeout=60000)
    from pft_desktop.core.defaults import set_task

    set_task(win.state.config, "pretrain")
    assert win.state.config.training.learning_rate == 1e-4
    page = win.hyper_page
    page.enter()
    note = page.pretrain_note.text()
    assert "headless was saved without a masked-language-model head" in note
    assert "Continuing a pretrained model" in note or "Continued pretraining" in note

    set_task(win.state.config, "pretrain", "encoder")
    assert win.state.config.training.learning_rate == 1e-3
    page.enter()
    note = page.pretrain_note.text()
    assert "expect about what random weights give" in note
    assert "without a masked-language-model head" not in note


def test_a_continued_pretraining_is_compared_with_its_plain_base(qtbot, window, tmp_path,
                                                                  tiny_encoder, sentiment_csv):
    """Results of a run fine-tuned from a continued pretraining offers "Fine-tune <base> the
    same way", which fills the wizard with this run's data and settings on the plain base;
    once that run finished, the lineage shows both results and the gain."""
    from pft_desktop.core.defaults import pretraining_defaults
    from pft_desktop.core.lineage import base_comparison, plain_base
    from pft_desktop.core.rundir import RunFolder

    from helpers import classification_config

    win, results = window, window.results_page
    config = pretraining_defaults()
    config.model.name_or_path = str(tiny_encoder)
    config.data.train_file = str(write_csv(tmp_path / "corpus.csv", ["text"],
                                           [(t,) for t, _ in sentiment_rows(200, seed=5)]))
    config.data.text_column = "text"
    config.task.max_length, config.training.max_steps, config.training.batch_size = 32, 3, 8
    pre = tmp_path / "runs" / "continued"
    assert run_training(config, pre).status == "finished"
    fine = tmp_path / "runs" / "from-continued"
    fine_config = classification_config(pre / "model", sentiment_csv, max_steps=3)
    assert run_training(fine_config, fine).status == "finished"
    assert plain_base(fine_config) == str(tiny_encoder)
    assert base_comparison(RunFolder(fine)) is None  # nothing to compare with yet

    results.open_run(str(fine))
    qtbot.waitUntil(lambda: results.lineage.isVisible(), timeout=5000)
    assert "Against the plain base" not in results.lineage.text()
    assert results.base_button.isVisible()
    assert results.base_button.text() == f"Fine-tune {tiny_encoder.name} the same way…"
    qtbot.mouseClick(results.base_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.model_page
    wizard = win.state.config
    assert wizard.model.name_or_path == str(tiny_encoder)
    assert wizard.data.train_file == str(sentiment_csv)
    assert (wizard.training.max_steps, wizard.task.kind) == (3, "classification")

    # The plain base fine-tuned from the wizard's config, one setting changed on purpose.
    wizard.training.learning_rate = 5e-4
    plain = tmp_path / "runs" / "plain"
    assert run_training(wizard, plain).status == "finished"
    comparison = base_comparison(RunFolder(fine))
    assert comparison.name == "plain" and comparison.metric == "eval_f1"
    assert comparison.differences == ["training.learning_rate"]
    results.open_run(str(fine))
    qtbot.waitUntil(lambda: "Against the plain base" in results.lineage.text(), timeout=5000)
    text = results.lineage.text()
    assert f"run plain fine-tuned {tiny_encoder.name} on the same data to f1 " \
           f"{comparison.theirs:.3f}; this run reached {comparison.ours:.3f}" in text
    assert "settings differ in training.learning_rate" in text
    assert not results.base_button.isVisible()
