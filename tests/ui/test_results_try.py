"""The Results page's try-it panel says why its model is not there: a model that cannot load,
or a model process that dies, ends the "Loading the model…" line with the reason in red."""

from run_folders import make_run


def show_results(win, folder):
    win.state.run_dir = folder.path
    win.stack.setCurrentWidget(win.results_page)
    win.results_page.enter()
    return win.results_page


def test_a_model_that_cannot_load_says_so(qtbot, window, tmp_path):
    # A saved model folder with run info but no weights: the server exits with its error.
    folder = make_run(tmp_path / "runs", "broken-model", "finished", saved_model=True)
    results = show_results(window, folder)
    assert results.try_result.text() == "Loading the model…"
    qtbot.waitUntil(lambda: "#b91c1c" in results.try_result.text(), timeout=60000)
    assert "The model could not be loaded" in results.try_result.text()
    assert not results.ready


def test_a_model_process_that_dies_says_so(qtbot, window, tmp_path):
    folder = make_run(tmp_path / "runs", "killed-model", "finished", saved_model=True)
    results = show_results(window, folder)
    assert results.server.is_running()
    results.server.process.kill()  # as the system ends a process short of memory
    qtbot.waitUntil(lambda: "#b91c1c" in results.try_result.text(), timeout=30000)
    assert "crashed" in results.try_result.text()
    assert not results.ready
