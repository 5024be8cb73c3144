"""Steps shared by the GUI tests."""

from PySide6.QtCore import Qt


def choose_model_and_data(qtbot, win, model, data, task="classification", method=None):
    """Drive the Model, Task and Data pages as a person would, waiting for the real checks."""
    win.model_page.folder.choose(str(model))
    qtbot.waitUntil(lambda: win.next.isEnabled(), timeout=60000)
    qtbot.mouseClick(win.next, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.task_page
    win.task_page.task_buttons[task].setChecked(True)
    if method:
        win.task_page.method_buttons[method].setChecked(True)
    qtbot.mouseClick(win.next, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.data_page
    win.data_page.file.choose(str(data))
    qtbot.waitUntil(lambda: not win.data_page.problems(), timeout=90000)


def wait_for_model(qtbot, results, timeout=120000) -> None:
    """Wait until the Results page's model is loaded for trying; fail with what the page says
    (a load error, a crash) and the server's last words rather than a bare timeout."""
    server = results.server

    def settled():  # ready, or the page shows why not (in red)
        return getattr(results, "ready", False) or "#b91c1c" in results.try_result.text()

    qtbot.waitUntil(settled, timeout=timeout)
    assert results.ready, (results.try_result.text(), server._stderr[-2000:])


def close_window(win) -> None:
    """End what a test window started and close it without the keep/stop question: a child it
    launched is killed, a run it follows is let go."""
    session = win.train_page.session
    session.kill()
    session.wait(10000)
    session.detach()
    for page in [*win.pages, win.runs_page, win.compare_page]:
        if hasattr(page, "shutdown"):
            page.shutdown()
    win.close()
    win.deleteLater()
