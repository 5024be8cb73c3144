"""The Hyperparameters page's Resources group edits [resources]: the strategy's settings show only
where they apply, what cannot run is refused with its fix, and the estimate speaks per device
with the global batch. The Train page starts a two-process run through accelerate's launcher."""

import pytest
from PySide6.QtCore import Qt

from helpers import classification_config
from pft_desktop.core import events
from pft_desktop.core.config import RunConfig
from pft_desktop.core.launch import ACCELERATE_CONFIG
from pft_desktop.core.rundir import RunFolder


def open_hyper_page(window):
    page = window.hyper_page
    window.stack.setCurrentWidget(page)
    page.enter()
    return page


def test_the_resources_group_writes_the_config(qtbot, window, tmp_path):
    page = open_hyper_page(window)
    resources = window.state.config.resources
    assert page.resources_box.title() == "Resources" and page.resources_box.isVisible()
    assert page.resources.editors["processes"].toolTip().startswith("Training processes")
    assert not page.resources.editors["strategy"].isVisible()  # one process: no strategy

    page.resources.editors["processes"].setValue(2)
    page.resources.editors["devices"].setText("cpu")
    assert (resources.processes, resources.devices) == (2, "cpu")
    assert page.resources.editors["strategy"].isVisible()

    qtbot.mouseClick(page.advanced_toggle, Qt.MouseButton.LeftButton)
    advanced = page.advanced_resources.editors
    assert advanced["keep_global_batch"].isVisible()
    assert not advanced["zero_stage"].isVisible() and not advanced["fsdp_layer"].isVisible()
    advanced["keep_global_batch"].setChecked(False)
    assert resources.keep_global_batch is False

    page.resources.editors["strategy"].setCurrentText("fsdp")
    assert resources.strategy == "fsdp" and advanced["fsdp_layer"].isVisible()
    advanced["fsdp_layer"].setText("BertLayer")
    assert resources.fsdp_layer == "BertLayer"
    assert any("FSDP" in problem and "'ddp'" in problem for problem in page.problems())

    page.resources.editors["strategy"].setCurrentText("deepspeed")
    assert advanced["zero_stage"].isVisible() and not advanced["fsdp_layer"].isVisible()
    advanced["zero_stage"].setValue(3)
    assert resources.zero_stage == 3
    assert any("pip install deepspeed" in problem for problem in page.problems())

    page.resources.editors["strategy"].setCurrentText("ddp")
    assert page.problems() == window.state.config.problems()  # nothing refused
    page.leave()
    saved = RunConfig.load(window.state.config.save(tmp_path / "run.toml")).resources
    assert (saved.processes, saved.devices, saved.strategy, saved.zero_stage,
            saved.fsdp_layer, saved.keep_global_batch) == (2, "cpu", "ddp", 3, "BertLayer", False)


def test_the_estimate_is_per_device_and_counts_the_global_batch(qtbot, window):
    window.state.model_info = {"parameters": 22_700_000, "hidden_size": 384, "num_layers": 6}
    window.state.report = {"report": {"train_rows": 1000, "token_lengths": {"mean": 20}}}
    config = window.state.config
    config.training.batch_size, config.training.gradient_accumulation = 16, 2
    page = open_hyper_page(window)
    one = page.estimate.text()
    assert "training memory" in one and "Global batch" not in one
    page.resources.editors["processes"].setValue(2)
    two = page.estimate.text()
    assert "memory per device (2 processes, ddp)" in two
    assert "Global batch 32 rows per step: batch 16 × gradient accumulation 1 × 2 processes" \
        in two
    assert "About 96 steps" in one and "About 96 steps" in two  # the same rows a step
    page.resources.editors["strategy"].setCurrentText("fsdp")
    assert "(2 processes, fsdp)" in page.estimate.text()
    assert page.estimate.text() != two  # sharded: less per device


def test_the_time_estimate_runs_at_this_computers_pace_once_it_has_run(
        qtbot, window, tmp_path, tiny_encoder, sentiment_csv):
    """Settings never run before: the rule of thumb, scaled by how this computer's latest run
    compared with the rule (its cores may run slower tonight than when the rule was fitted)."""
    import re

    from pft_desktop.core import estimate_history
    from pft_desktop.core.estimate import estimate_seconds_per_step
    from pft_desktop.core.recipe import run_training

    window.state.model_info = {"parameters": 22_700_000, "hidden_size": 384, "num_layers": 6,
                               "model_type": "bert"}
    window.state.report = {"report": {"train_rows": 1000, "token_lengths": {"mean": 20}}}
    window.state.config.method.kind = "full"
    page = open_hyper_page(window)
    assert "on a CPU like this one" in page.estimate.text()  # no runs yet
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=16, eval_steps=0)
    assert run_training(config, tmp_path / "runs" / "tiny").status == "finished"
    estimate_history.forget_cache()
    page.leave()
    page.enter()
    text = page.estimate.text()
    assert "at the pace this computer ran its latest run." in text
    pace = estimate_history.machine_pace(window.state.config).factor
    rule = estimate_seconds_per_step(22_700_000, page_trainable(window), global_batch(window),
                                     20, layers=6, hidden=384, first_token=True)
    each = float(re.search(r"at ([0-9.]+) s a step", text).group(1))
    assert each == pytest.approx(rule * pace, abs=0.006)


def page_trainable(window) -> int:
    from pft_desktop.ui.estimates import current_estimate

    return current_estimate(window.state).trainable_parameters


def global_batch(window) -> int:
    from pft_desktop.ui.estimates import current_batch_plan

    return current_batch_plan(window.state.config).global_batch


@pytest.mark.slow  # a real two-process run (the core tests keep three in the default suite)
def test_a_two_process_run_starts_from_the_train_page(qtbot, window, tiny_encoder,
                                                      sentiment_csv):
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=4)
    config.resources.processes, config.resources.devices = 2, "cpu"
    window.state.config = config
    window.state.report = {"report": {"train_rows": 120}}
    window.stack.setCurrentWidget(window.train_page)
    window.train_page.enter()
    qtbot.mouseClick(window.train_page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state.outcome is not None, timeout=120000)
    assert window.state.outcome["status"] == "finished", window.state.outcome
    folder = RunFolder(window.state.run_dir)
    assert (folder.path / ACCELERATE_CONFIG).is_file()
    steps = [e["step"] for e in events.read_events(folder.events_file) if e["type"] == "step"]
    assert steps == [1, 2, 3, 4]
    assert window.train_page.loss_chart.point_count("train") == 4


def test_a_refused_strategy_is_a_readable_failure(qtbot, window, tiny_encoder, sentiment_csv):
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=4)
    config.resources.processes, config.resources.strategy = 2, "deepspeed"
    window.state.config = config
    window.stack.setCurrentWidget(window.train_page)
    window.train_page.enter()
    qtbot.mouseClick(window.train_page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state.outcome is not None, timeout=10000)
    assert window.state.outcome["status"] == "failed"
    assert window.train_page.error_panel.isVisible()
    assert "pip install deepspeed" in window.train_page.error_text.text()
    assert RunFolder(window.state.run_dir).state() == "failed"
