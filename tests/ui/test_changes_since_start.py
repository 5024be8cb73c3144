"""A run opened in the window (from its folder, or taken up while it trains) says what differs
now from when it started: a data file that changed or went, libraries of other versions."""

from helpers import sentiment_rows, write_csv
from pft_desktop.core import provenance
from pft_desktop.core.rundir import write_json
from run_folders import make_run


def recorded_start(folder, data):
    """The provenance a run writes when it starts, with an older transformers than now."""
    record = {"time": 0.0, "data": {"train_file": provenance.file_fingerprint(data)},
              "environment": provenance.environment({"name": "CPU"})}
    record["environment"]["packages"]["transformers"] = "4.0.0"
    write_json(folder.provenance_file, record)


def test_opening_a_run_lists_what_changed_since_it_started(qtbot, window, tmp_path):
    data = write_csv(tmp_path / "reviews.csv", ["review", "sentiment"], sentiment_rows(40))
    folder = make_run(tmp_path / "runs", "older-run", "finished")
    recorded_start(folder, data)
    write_csv(data, ["review", "sentiment"], sentiment_rows(60, seed=3))  # edited since

    window.results_page.open_run(str(folder.path))
    page = window.results_page
    assert window.stack.currentWidget() is page
    assert page.changes.isVisible()
    text = page.changes.text.text()
    assert "Changed since this run started" in text
    assert "reviews.csv changed since the run started" in text
    assert "transformers is " in text and "the run started with 4.0.0" in text
    assert len(page.changes.changes) == 2

    data.unlink()  # gone altogether
    page.enter()
    assert "missing now" in page.changes.text.text()


def test_a_run_that_changed_nothing_shows_no_warning(qtbot, window, tmp_path):
    data = write_csv(tmp_path / "reviews.csv", ["review", "sentiment"], sentiment_rows(40))
    folder = make_run(tmp_path / "runs", "same-run", "finished")
    recorded_start(folder, data)
    record = folder.provenance()
    record["environment"] = provenance.environment({"name": "CPU"})
    write_json(folder.provenance_file, record)

    window.results_page.open_run(str(folder.path))
    assert not window.results_page.changes.isVisible()
    assert window.results_page.changes.changes == []


def test_a_run_taken_up_while_it_trains_says_what_changed(qtbot, window, tmp_path):
    data = write_csv(tmp_path / "reviews.csv", ["review", "sentiment"], sentiment_rows(40))
    folder = make_run(tmp_path / "runs", "live-run", "running")  # its process: this test
    recorded_start(folder, data)
    data.unlink()

    window.results_page.open_run(str(folder.path))
    page = window.train_page
    assert window.stack.currentWidget() is page and page.session.is_running()
    assert page.changes.isVisible()
    said = " ".join(page.changes.changes)
    assert "reviews.csv changed since the run started" in said and "missing now" in said
    page.session.detach()
