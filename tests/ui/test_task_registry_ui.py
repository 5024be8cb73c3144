"""The Task and Data pages are built from the task registry: every task is offered once, and
the Data page asks for exactly the chosen task's columns."""

from pft_desktop.core.tasks import all_tasks


def test_task_page_offers_every_registered_task_once(window):
    buttons = window.task_page.task_buttons
    for task in all_tasks():
        assert buttons[task.name].text() == task.title
    assert {"pretrain-encoder", "pretrain-decoder"} <= set(buttons)
    # The task is asked before the data, and only there.
    assert window.pages.index(window.task_page) < window.pages.index(window.data_page)
    assert not hasattr(window.data_page, "task_classification")


def test_the_task_page_enables_what_the_model_can_do(window):
    window.state.model_info = {"tasks": ["classification", "regression", "pretrain"]}
    window.task_page.enter()
    buttons = window.task_page.task_buttons
    assert buttons["regression"].isEnabled() and not buttons["causal-lm"].isEnabled()
    assert buttons["pretrain-encoder"].isEnabled()  # needs no model
    assert "cannot do" in buttons["causal-lm"].toolTip()


def test_data_page_asks_for_the_chosen_tasks_columns(window):
    page = window.data_page
    for task in all_tasks():
        window.state.config.task.kind = task.name
        page.enter()
        assert list(page.combos) == [role.field for role in task.roles], task.name
        for role in task.roles:
            label = page.combo_labels[role.field].text()
            assert label.startswith(role.label)
            assert ("(optional)" in label) == (not role.required)
            assert page.combos[role.field].toolTip() == role.help
        assert page.folder_button.isVisibleTo(page) == bool(task.folder_choice)
        assert page.labels_chart.isVisibleTo(page) == bool(task.counts_title)


def test_results_show_per_label_scores_a_scatter_and_examples(window, tmp_path):
    """What a task saves beyond scalars (a per-label table, predicted against true, generated
    examples) appears on the Results page; a classification run shows none of them."""
    from run_folders import make_run

    from pft_desktop.core.rundir import write_json

    folder = make_run(tmp_path / "runs", "seq", "finished")
    write_json(folder.metrics_file, {
        "eval_loss": 0.5, "per_class": {"PER": {"precision": 0.5, "recall": 1.0, "f1": 0.667,
                                                "support": 3}},
        "scatter": {"true": [1.0, 2.0, 3.0], "predicted": [1.2, 1.9, 3.3]},
        "examples": [{"source": "a long text", "target": "short", "generated": "shortish"}]})
    window.state.run_dir = folder.path
    results = window.results_page
    results.enter()
    assert results.per_class_box.isVisibleTo(results) and results.per_class.rowCount() == 1
    assert results.scatter.isVisibleTo(results)
    assert results.examples_box.isVisibleTo(results)
    assert results.examples.item(0, 2).text() == "shortish"
    assert results.examples.horizontalHeaderItem(0).text() == "Source"
    write_json(folder.metrics_file, {"eval_loss": 0.5, "eval_accuracy": 0.9, "eval_f1": 0.9})
    results.enter()
    assert not results.examples_box.isVisibleTo(results)
    assert not results.scatter.isVisibleTo(results)
    assert not results.per_class_box.isVisibleTo(results)
