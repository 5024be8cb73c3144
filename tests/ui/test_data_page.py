"""The Data page with a real spreadsheet export: the header row is found, the person can say
otherwise, and a mapping that keeps almost nothing blocks Next with the fix named."""

import csv

from helpers import sentiment_rows
from wizard_helpers import choose_model_and_data


def spreadsheet_export(path, rows=120):
    """ham/spam and a message under the header ``v1,v2,,,``; three rows spill text into the
    trailing columns, as a spreadsheet program's CSV export does."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write("v1,v2,,,\n")
        for i, (text, _) in enumerate(sentiment_rows(rows)):
            spill = " ".join(text.split()[:2]) if i in (5, 40, 77) else ""
            csv.writer(handle).writerow(["spam" if i % 5 == 0 else "ham", text, spill, "", ""])
    return path


def test_header_switch_and_error_gating(qtbot, window, tiny_encoder, tmp_path):
    page = window.data_page
    choose_model_and_data(qtbot, window, tiny_encoder, spreadsheet_export(tmp_path / "sms.csv"))
    assert page.header_box.isChecked() and "(detected)" in page.header_box.text()
    assert page.format_row.isVisible()
    assert page.delimiter_combo.currentText() == "detected: comma"
    data = window.state.config.data
    assert (data.text_column, data.label_column) == ("v2", "v1")
    assert window.next.isEnabled()

    # The header read as data: column names change, and a label equal to a column name warns.
    page.header_box.click()
    assert data.header == "no"
    qtbot.waitUntil(lambda: page.table is not None and "column_1" in page.table.columns,
                    timeout=30000)
    assert page.preview_model.rowCount() == 121
    assert "(detected)" not in page.header_box.text()

    # A nearly empty column as the label keeps almost nothing: an error that blocks Next.
    page.combos["label_column"].setCurrentText("column_3")
    qtbot.waitUntil(lambda: not page.checking and not page.checker.is_running()
                    and bool(page.check_error), timeout=60000)
    assert not window.next.isEnabled()
    assert window.problem.property("pending") is False
    assert "column_3" in window.problem.text()

    page.combos["label_column"].setCurrentText("column_1")
    qtbot.waitUntil(lambda: not page.problems(), timeout=60000)
    warnings = [page.report_list.item(i).text() for i in range(page.report_list.count())]
    assert any("v1" in text and "header" in text for text in warnings), warnings
    assert window.next.isEnabled()  # a warning does not block


def test_chat_data_shows_the_rendered_example_with_learned_tokens(qtbot, window,
                                                                   tiny_chat_decoder, tmp_path):
    """A conversation file on the chat task: the report shows one example as the model reads
    it, the assistant's reply and its end-of-turn token highlighted, the question not."""
    import json
    import re

    from pft_desktop.ui.widgets.learned_text import LEARNED_STYLE

    turns = [[{"role": "user", "content": f"what is {n} plus one"},
              {"role": "assistant", "content": f"it is {n + 1}"}] for n in range(30)]
    path = tmp_path / "chats.jsonl"
    path.write_text("".join(json.dumps({"messages": t}) + "\n" for t in turns), encoding="utf-8")
    page = window.data_page
    choose_model_and_data(qtbot, window, tiny_chat_decoder, path, task="causal-lm")
    assert window.state.config.data.conversation_column == "messages"
    qtbot.waitUntil(lambda: page.example.isVisible(), timeout=60000)
    html = page.example.text.toHtml()
    learned = [part.split("</span>")[0] for part in html.split("#d1fae5")[1:]]
    context = [part.split("</span>")[0] for part in html.split("#52606d")[1:]]
    # the model's own template ends a reply with its end-of-sequence token
    assert any(re.search(r"it is \d+&lt;\|endoftext\|&gt;", part) for part in learned), html
    assert any("what is" in part for part in context), html
    assert not any("what is" in part for part in learned), html
    assert LEARNED_STYLE.startswith("background-color:#d1fae5")

    page.combos["conversation_column"].setCurrentIndex(0)  # "(none)": the example goes away
    assert not page.example.isVisible()
