"""The Hyperparameters page says what its values mean: the preset that matches them, what a 0
means, and an Advanced section that is either hidden or filled."""

from PySide6.QtCore import Qt


def test_untouched_defaults_show_their_preset(qtbot, window):
    page = window.hyper_page
    window.stack.setCurrentWidget(page)
    page.enter()
    assert page.preset.currentText() == "Balanced"
    page.basic.editors["epochs"].setValue(5.0)
    assert page.preset.currentText() == "Custom"
    page.preset.setCurrentText("Quick test")
    assert window.state.config.training.max_steps == 30
    page.enter()
    assert page.preset.currentText() == "Quick test"


def test_zero_and_empty_say_what_they_mean(qtbot, window):
    page = window.hyper_page
    page.enter()
    max_steps = page.basic.editors["max_steps"]
    max_steps.setValue(0)
    assert max_steps.text() == "from epochs"
    assert page.basic.editors["eval_steps"].text() == "once per epoch"
    assert "usual layers" in page.lora.editors["lora_target_modules"].placeholderText()
    max_steps.setValue(12)
    assert max_steps.text() == "12"

    # an empty choice in a list says what it means, and stores the empty value
    window.state.config.task.kind = "causal-lm"
    page.enter()
    template = page.length.editors["chat_template"]
    assert template.currentText() == "the model's own"
    template.setCurrentText("chatml")
    assert window.state.config.task.chat_template == "chatml"
    template.setCurrentIndex(0)
    assert window.state.config.task.chat_template == ""


def test_advanced_settings_are_hidden_until_asked_for(qtbot, window):
    page = window.hyper_page
    window.stack.setCurrentWidget(page)
    page.enter()
    assert not page.advanced_box.isVisible()
    qtbot.mouseClick(page.advanced_toggle, Qt.MouseButton.LeftButton)
    assert page.advanced_box.isVisible()
    assert page.advanced_training.editors["weight_decay"].isVisible()
