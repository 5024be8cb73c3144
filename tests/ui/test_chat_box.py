"""The chat try box: the widget fed the server's lines (what it shows, what it sends), then the
Results page chatting with a real tiny LoRA chat run through the real `serve` child."""

import json

import pytest
from PySide6.QtCore import Qt

from helpers import write_csv
from run_folders import make_run
from pft_desktop.ui.widgets.chat_box import ChatBox, parse_stop_strings


@pytest.fixture
def box(qtbot):
    widget = ChatBox()
    qtbot.addWidget(widget)
    widget.sent = []
    widget.set_writer(lambda line: widget.sent.append(json.loads(line)))
    widget.show()
    return widget


def say(qtbot, box, text):
    box.message.setText(text)
    qtbot.keyClick(box.message, Qt.Key.Key_Return)


def answer(box, rid, *pieces, stopped="end_of_turn"):
    for piece in pieces:
        box.served({"type": "token", "id": rid, "token": piece})
    box.served({"type": "result", "id": rid, "result": {
        "text": "".join(pieces), "stopped": stopped, "tokens": len(pieces), "seconds": 0.25}})


def test_a_reply_streams_into_its_bubble_then_says_how_it_ended(qtbot, box):
    box.set_system_prompt("Answer briefly.")
    say(qtbot, box, "what colour is the sky")
    request = box.sent[-1]
    assert request["model"] == "tuned" and request["messages"] == [
        {"role": "system", "content": "Answer briefly."},
        {"role": "user", "content": "what colour is the sky"}]
    assert request["settings"] == {"temperature": 0.0, "top_p": 1.0, "max_new_tokens": 128,
                                   "stop": []}
    assert not box.send_button.isEnabled() and box.stop_button.isEnabled()
    tuned = box.transcripts["tuned"]
    for piece in ("It", " is", " blue"):
        box.served({"type": "token", "id": request["id"], "token": piece})
    assert tuned.bubbles[-1].streaming and "It is blue" in tuned.toPlainText()
    with qtbot.waitSignal(box.replied, timeout=1000):
        box.served({"type": "result", "id": request["id"], "result": {
            "text": "It is blue.", "stopped": "end_of_turn", "tokens": 4, "seconds": 0.3}})
    assert "It is blue." in tuned.toPlainText()
    assert "4 tokens · 0.30 s · end of turn" in tuned.toPlainText()
    assert box.send_button.isEnabled() and not box.stop_button.isEnabled()


def test_each_message_carries_the_conversation_so_far(qtbot, box):
    say(qtbot, box, "hello")
    answer(box, box.sent[-1]["id"], "Hi", " there")
    say(qtbot, box, "what is your name")
    assert box.sent[-1]["messages"] == [{"role": "user", "content": "hello"},
                                        {"role": "assistant", "content": "Hi there"},
                                        {"role": "user", "content": "what is your name"}]
    box.new_chat()
    say(qtbot, box, "again")
    assert box.sent[-1]["messages"] == [{"role": "user", "content": "again"}]


def test_compare_shows_the_base_models_replies_beside_with_its_own_history(qtbot, box):
    say(qtbot, box, "hello")
    answer(box, box.sent[-1]["id"], "Hi")
    assert not box.columns["base"].isVisible()
    box.compare.setChecked(True)
    assert box.columns["base"].isVisible()
    say(qtbot, box, "how are you")
    tuned, base = box.sent[-2:]
    assert (tuned["model"], base["model"]) == ("tuned", "base") and tuned["id"] != base["id"]
    assert base["messages"] == tuned["messages"]  # the chat so far, the same for both
    answer(box, base["id"], "blue", " red")
    assert box.pending and not box.send_button.isEnabled()  # the tuned reply still comes
    answer(box, tuned["id"], "Fine")
    assert box.reply_texts() == {"tuned": "Fine", "base": "blue red"}
    assert "blue red" in box.transcripts["base"].toPlainText()
    say(qtbot, box, "bye")
    assert box.sent[-1]["messages"][-2:] == [{"role": "assistant", "content": "blue red"},
                                             {"role": "user", "content": "bye"}]
    assert box.sent[-2]["messages"][-2]["content"] == "Fine"
    base_id = box.sent[-1]["id"]
    box.compare.setChecked(False)
    assert not box.columns["base"].isVisible()
    assert box.sent[-1] == {"stop": base_id}  # its reply is no longer wanted


def test_stop_asks_for_every_reply_and_a_failed_reply_leaves_no_trace(qtbot, box):
    box.compare.setChecked(True)
    say(qtbot, box, "hello")
    ids = [request["id"] for request in box.sent]
    qtbot.mouseClick(box.stop_button, Qt.MouseButton.LeftButton)
    assert box.sent[-2:] == [{"stop": ids[0]}, {"stop": ids[1]}]
    answer(box, ids[0], "Hi", stopped="cancelled")
    box.served({"type": "error", "id": ids[1], "message": "The base model is not on this "
                "computer any more.", "fix": "Download it again."})
    assert "not on this computer" in box.transcripts["base"].toPlainText()
    assert "stopped" in box.transcripts["tuned"].toPlainText()
    say(qtbot, box, "again")
    assert box.sent[-1]["messages"] == [{"role": "user", "content": "again"}]  # base's
    assert box.sent[-2]["messages"][-2] == {"role": "assistant", "content": "Hi"}


def test_the_settings_row_becomes_the_requests_settings(qtbot, box):
    assert not box.top_p.isEnabled()  # greedy: top-p has no effect
    box.temperature.setValue(0.7)
    assert box.top_p.isEnabled()
    box.top_p.setValue(0.9)
    box.max_new_tokens.setValue(64)
    box.stop_strings.setText("END, \\n\\nUser:")
    say(qtbot, box, "hi")
    assert box.sent[-1]["settings"] == {"temperature": 0.7, "top_p": 0.9,
                                        "max_new_tokens": 64, "stop": ["END", "\n\nUser:"]}
    assert parse_stop_strings(" , a,a ") == ["a"]


@pytest.fixture(scope="module")
def lora_chat_run(tmp_path_factory, tiny_chat_decoder):
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.recipe import run_training

    root = tmp_path_factory.mktemp("chat-run")
    rows = [(f"what color is the {w}", f"the {w} is {c}")
            for w, c in zip(["sky", "sea", "grass", "sun"] * 5, ["blue", "red", "green"] * 7)]
    config = RunConfig()
    config.model.name_or_path = str(tiny_chat_decoder)
    config.data.train_file = str(write_csv(root / "qa.csv", ["prompt", "response"], rows))
    config.data.prompt_column, config.data.response_column = "prompt", "response"
    config.task.kind, config.method.kind = "causal-lm", "lora"
    config.task.system_prompt = "You name colours."
    config.training.max_steps, config.training.learning_rate = 3, 5e-2
    assert run_training(config, root / "run").status == "finished"
    return root / "run"


def test_the_results_page_chats_with_a_chat_run_and_its_base_model(qtbot, window,
                                                                   lora_chat_run):
    page = window.results_page
    page.open_run(str(lora_chat_run))
    chat = page.chat_box
    assert chat.isVisible() and not page.try_box.isVisible()
    sent, write = [], chat.write
    chat.write = lambda line: (sent.append(json.loads(line)), write(line))
    chat.max_new_tokens.setValue(10)
    with qtbot.waitSignal(chat.replied, timeout=120000):
        say(qtbot, chat, "what color is the sky")
    tuned = chat.transcripts["tuned"]
    assert sent[-1]["messages"][0] == {"role": "system", "content": "You name colours."}
    assert chat.streamed[sent[-1]["id"]] >= 2  # the reply came in pieces
    first = chat.reply_texts()["tuned"]
    assert first and not tuned.bubbles[-1].error
    assert "10 tokens" in tuned.toPlainText() or "end of turn" in tuned.toPlainText()
    assert "the adapter switched off" in chat.titles["base"].text()

    chat.compare.setChecked(True)
    with qtbot.waitSignal(chat.replied, timeout=60000):
        say(qtbot, chat, "and the grass")
    assert [r["model"] for r in sent[-2:]] == ["tuned", "base"]
    assert sent[-1]["messages"][1:] == [
        {"role": "user", "content": "what color is the sky"},
        {"role": "assistant", "content": first},
        {"role": "user", "content": "and the grass"}]
    replies = chat.reply_texts()
    assert replies["tuned"] and replies["base"] and replies["tuned"] != replies["base"]
    assert not any(b.error for t in chat.transcripts.values() for b in t.bubbles)

    # the GGUF export button writes the file and its Modelfile through the export command
    assert page.export_gguf.isVisible() and page.export_gguf.isEnabled()
    target = lora_chat_run.parent / "gguf"
    with qtbot.waitSignal(page.exporter.done, timeout=120000):
        page.export("gguf", str(target), quant="f16")
    assert sorted(p.name for p in target.iterdir()) == ["Modelfile", "run-f16.gguf"]
    assert "ollama create" in page.export_note.text()


@pytest.mark.parametrize("task, chat", [("classification", False), ("causal-lm", True)])
def test_the_results_page_shows_the_chat_box_only_for_a_chat_task(window, tmp_path, task,
                                                                  chat):
    run = make_run(tmp_path / "elsewhere", f"a-{task}-run", "finished", task=task)
    page = window.results_page
    page.open_run(str(run.path))
    assert page.chat_box.isVisible() is chat and page.try_box.isVisible() is not chat
    assert page.export_gguf.isVisible() is chat  # GGUF holds text generators only
    if chat:  # no model saved in this run: nothing to chat with, and it says so
        assert not page.chat_box.send_button.isEnabled()
        assert "not saved a model" in page.chat_box.status.text()
