"""Steps shared by the GUI tests."""

from PySide6.QtCore import Qt


def choose_model_and_data(qtbot, win, model, data, task="classification"):
    """Drive the Model and Data pages as a person would, waiting for the real checks."""
    win.model_page.folder.choose(str(model))
    qtbot.waitUntil(lambda: win.next.isEnabled(), timeout=60000)
    assert win.state.model_info["model_type"] in ("bert", "llama")
    qtbot.mouseClick(win.next, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.data_page
    if task == "causal-lm":
        win.data_page.task_causal.setChecked(True)
    win.data_page.file.choose(str(data))
    qtbot.waitUntil(lambda: not win.data_page.problems(), timeout=90000)
