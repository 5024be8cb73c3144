"""Preference tuning in the window: offered for decoders with its own columns, a Preference
group on the Hyperparameters page for that task only, and reward margin and accuracy charts on
the Train page for runs whose events carry rewards (and for no others)."""

import json

import pytest
from PySide6.QtCore import Qt

from pft_desktop.core.tasks import get_task, tasks_for


def test_the_task_is_offered_for_a_decoder_with_its_columns(window):
    window.state.model_info = {"tasks": tasks_for(["AutoModelForCausalLM"])}
    window.task_page.enter()
    button = window.task_page.task_buttons["preference"]
    assert button.isEnabled() and button.text() == get_task("preference").title
    window.state.model_info = {"tasks": tasks_for(["AutoModelForSequenceClassification"])}
    window.task_page.enter()
    assert not window.task_page.task_buttons["preference"].isEnabled()
    window.state.config.task.kind = "preference"
    window.data_page.enter()
    assert list(window.data_page.combos) == ["prompt_column", "chosen_column",
                                             "rejected_column", "system_column"]
    assert window.data_page.combo_labels["chosen_column"].text().startswith("Chosen")


def test_the_preference_group_shows_for_the_preference_task_only(qtbot, window):
    page = window.hyper_page
    window.stack.setCurrentWidget(page)
    qtbot.mouseClick(page.advanced_toggle, Qt.MouseButton.LeftButton)
    window.state.config.task.kind = "classification"
    page.enter()
    assert not page.preference_box.isVisibleTo(page)
    assert not page.advanced_preference.isVisibleTo(page)

    window.state.config.task.kind = "preference"
    page.enter()
    assert page.preference_box.isVisibleTo(page) and page.advanced_preference.isVisibleTo(page)
    assert page.advanced_preference.editors["max_prompt_length"].isVisibleTo(page)
    simpo_gamma = page.advanced_preference.editors["simpo_gamma"]
    assert not simpo_gamma.isVisibleTo(page)  # DPO has no SimPO margin
    page.preference.editors["method"].setCurrentText("simpo")
    page.preference.editors["beta"].setValue(2.0)
    assert window.state.config.preference.method == "simpo"
    assert window.state.config.preference.beta == 2.0
    assert simpo_gamma.isVisibleTo(page)


def preference_run(root):
    """A finished preference run's folder, its events as the runner writes them."""
    run = root / "dpo-run"
    run.mkdir(parents=True)
    (run / "config.toml").write_text("[task]\nkind = \"preference\"\n")
    (run / "status.json").write_text(json.dumps({"status": "finished"}))
    lines = [{"type": "started", "total_steps": 10, "device": {"name": "CPU"}}]
    lines += [{"type": "step", "step": s, "epoch": s / 10, "loss": 0.7 - s / 50,
               "learning_rate": 1e-3, "grad_norm": 0.5, "tokens_per_second": 100.0,
               "memory_bytes": 2**30, "elapsed_s": s, "eta_s": 10 - s,
               "reward_margin": s / 20, "reward_accuracy": min(1.0, 0.5 + s / 20)}
              for s in range(1, 11)]
    lines += [{"type": "eval", "step": s, "epoch": s / 10, "eval_loss": 0.6,
               "eval_reward_margin": s / 25, "eval_reward_accuracy": 0.75} for s in (5, 10)]
    (run / "events.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    return run


def test_reward_charts_appear_only_for_runs_with_rewards(window, tmp_path):
    from run_folders import make_run

    page = window.train_page
    assert not page.shows_rewards()  # nothing run yet
    window.results_page.open_run(str(preference_run(tmp_path)))
    assert page.shows_rewards() and page.reward_row.isVisibleTo(page)
    assert page.margin_chart.point_count("train") == 10
    assert page.margin_chart.point_count("eval") == 2
    assert page.accuracy_chart.point_count("train") == 10
    assert page.margin_chart.series["train"].y[-1] == pytest.approx(0.5)
    assert page.accuracy_chart in page.small_charts()  # redrawn in turn with the others

    classification = make_run(tmp_path / "runs", "clf", "finished")
    window.results_page.open_run(str(classification.path))
    assert page.loss_chart.point_count("train") == 20
    assert not page.shows_rewards() and not page.reward_row.isVisibleTo(page)
    assert page.margin_chart.point_count("train") == 0
    assert page.accuracy_chart not in page.small_charts()


def test_a_real_dpo_run_draws_its_rewards_live(qtbot, window, tiny_chat_decoder, tmp_path):
    """The runner's child process, a real DPO run with LoRA, and the charts it feeds."""
    from helpers import write_csv

    rows = [(f"what color is the {w}", f"the {w} is blue", f"no {w} bad")
            for w in ("sky", "sea", "car", "cup", "hat", "pen", "box", "dog")] * 4
    data = write_csv(tmp_path / "pairs.csv", ["prompt", "chosen", "rejected"], rows)
    config = window.state.config
    config.model.name_or_path, config.data.train_file = str(tiny_chat_decoder), str(data)
    config.data.prompt_column = "prompt"
    config.data.chosen_column, config.data.rejected_column = "chosen", "rejected"
    config.task.kind, config.task.max_length, config.method.kind = "preference", 64, "lora"
    config.training.max_steps, config.training.batch_size = 4, 8
    window.state.report = {"report": {"train_rows": 29}}
    page = window.train_page
    window.stack.setCurrentWidget(page)
    page.enter()
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state.outcome is not None, timeout=180000)
    assert window.state.outcome["status"] == "finished", window.state.outcome
    assert page.shows_rewards()  # (the window has moved on to the results by now)
    assert page.margin_chart.point_count("train") == 4
    assert page.accuracy_chart.point_count("eval") >= 1
