"""The Data page's checks in one long-lived child: a report with token lengths from a sample,
shown as such, then the exact figures; a change of mapping answered by the same child."""

from helpers import sentiment_rows, write_csv
from wizard_helpers import choose_model_and_data


def test_sampled_then_exact_lengths_from_one_child(qtbot, window, tiny_encoder, tmp_path,
                                                   monkeypatch):
    monkeypatch.setenv("PFT_CHECK_CACHE", str(tmp_path / "checks"))
    page = window.data_page
    answers, refined = [], []
    page.checker.answered.connect(answers.append)
    page.checker.refined.connect(refined.append)
    path = write_csv(tmp_path / "many.csv", ["review", "sentiment"], sentiment_rows(8000))
    choose_model_and_data(qtbot, window, tiny_encoder, path)
    qtbot.waitUntil(lambda: bool(refined), timeout=60000)

    first = answers[0]["report"]["token_lengths"]
    assert first["approximate"] and first["sampled_rows"] == 5000
    assert "approximate" not in refined[0]["report"]["token_lengths"]
    assert window.state.report == refined[0]  # the exact figures replace the sampled ones
    shown = [page.report_list.item(i).text() for i in range(page.report_list.count())]
    assert any(text.startswith("• Tokens per row: median") for text in shown), shown
    assert "sample" not in page.lengths_chart.getPlotItem().titleLabel.text

    page._show_report(answers[0])  # what was on screen before the exact figures came
    shown = [page.report_list.item(i).text() for i in range(page.report_list.count())]
    assert any("estimated from 5,000 of 8,000 rows" in text for text in shown), shown
    assert "sample" in page.lengths_chart.getPlotItem().titleLabel.text

    child = page.checker.child.process.processId()
    page.split.setValue(0.2)  # a change of mapping: answered by the same child
    qtbot.waitUntil(lambda: len(answers) == 2 and not page.problems(), timeout=60000)
    assert answers[1]["report"]["validation_rows"] == 1600
    assert page.checker.child.process.processId() == child
