"""``pft-desktop --screenshots DIR``: drive the real wizard with the demo model and sample data,
train for real, and save every page (the Train page mid-run) as PNG files; then train a second,
shorter run with another learning rate and save the run library and the compare view; last, a
small chat model made here, chatting beside its base model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication


def wait_until(predicate, timeout: float, step_ms: int = 50) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if predicate():
            return True
        time.sleep(step_ms / 1000)
    return predicate()


def header_problem(window, path: Path) -> None:
    """The Data page with a spreadsheet-style export of the sample (a header row ending in
    empty cells) and its header switched off, as a person would see a header read as data."""
    import csv

    from pft_desktop.resources import sample_data

    with open(sample_data(), encoding="utf-8", newline="") as source, \
            open(path, "w", encoding="utf-8", newline="") as target:
        rows = list(csv.reader(source))
        target.write(",".join(rows[0]) + ",,,\n")
        csv.writer(target).writerows(row + ["", "", ""] for row in rows[1:])
    window.go(2)
    page = window.data_page
    page.file.choose(str(path))
    wait_until(lambda: not page.problems(), 120)
    page.header_box.setChecked(False)
    wait_until(lambda: not (page.loading or page.checking or page.checker.is_running())
               and (page.state.report is not None or bool(page.check_error)), 120)


def entities_data_page(window, path: Path) -> None:
    """The Data page for named entities: a CoNLL file of made-up travel notes (people, places,
    organisations), read without column names, with its entity counts."""
    import random

    people, places = ["Ana Silva", "Li Wei", "Omar", "Greta Berg"], ["Lisbon", "Kyoto", "Oslo"]
    orgs, rng, lines = ["Acme Corp", "the Red Cross", "Nordic Rail"], random.Random(0), []
    for _ in range(120):
        sentence = [(rng.choice(people), "PER"), ("flew to", ""), (rng.choice(places), "LOC"),
                    ("for", ""), (rng.choice(orgs), "ORG"), (".", "")]
        for phrase, kind in sentence:
            for i, token in enumerate(phrase.split()):
                lines.append(f"{token}\t{('B-' if i == 0 else 'I-') + kind if kind else 'O'}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    window.go(1)
    window.task_page.task_buttons["token-classification"].setChecked(True)
    window.go(2)
    page = window.data_page
    page.file.choose(str(path))
    wait_until(lambda: not (page.loading or page.checking or page.checker.is_running())
               and (page.state.report is not None or bool(page.check_error)), 120)


def second_run(window) -> None:
    """The demo again, shorter and with a tenth of the learning rate: a real second run to
    list and compare (its curve shows the slower learning)."""
    window.go(3)
    editors = window.hyper_page.basic.editors
    editors["learning_rate"].setValue(3e-4)
    editors["max_steps"].setValue(40)
    window.go(4)
    started = time.monotonic()
    window.train_page.start()
    wait_until(lambda: not window.train_page.is_training(), 300)
    print(f"second run: {time.monotonic() - started:.1f} s", file=sys.stderr)


def library_and_compare(window, shot) -> None:
    window.show_library()
    library = window.runs_page
    wait_until(lambda: library.filter.rowCount() >= 2, 10)
    library.select_paths({run.path for run in library.table_model.runs[:2]})
    shot("8-runs.png")
    library.compare_selected()
    compare = window.compare_page
    compare.predictions.text.setText("Arrived broken and the seller never answered.")
    compare.predictions.predict()
    wait_until(lambda: sum("%" in text for text in compare.predictions.answer_texts()) >= 2,
               180)
    shot("9-compare.png")


# Made-up questions about colours, each with a follow-up: few enough for a tiny decoder to learn
# in a minute, so that the chat shows a tuned model answering and its base model not.
COLOURS = [
    ("What colour is the sky?", "The sky is blue on a clear day.", "And at night?",
     "At night the sky is dark, with stars."),
    ("What colour is grass?", "Grass is green.", "And in a dry summer?",
     "In a dry summer grass turns yellow and brown."),
    ("What colour is snow?", "Snow is white.", "And old snow in a city?",
     "Old snow in a city turns grey."),
    ("What colour is a lemon?", "A lemon is yellow.", "And a lime?", "A lime is green."),
    ("What colour is a tomato?", "A ripe tomato is red.", "And before it is ripe?",
     "Before it is ripe a tomato is green."),
    ("What colour is the sea?", "The sea is blue or green.", "And in a storm?",
     "In a storm the sea is dark grey."),
    ("What colour is coal?", "Coal is black.", "And when it burns?",
     "When it burns coal glows red and orange."),
    ("What colour is a banana?", "A ripe banana is yellow.", "And an old banana?",
     "An old banana turns brown."),
]
SYSTEM_PROMPT = "You answer questions about colours in one sentence."


def chat_run(folder: Path) -> Path | None:
    """Pretrain a tiny decoder from scratch on sentences about colours, then fine-tune it on
    the conversations (full fine-tuning: its base model is loaded beside it on request). Both
    run as child processes, as the app runs training; about a minute and a half here."""
    import random

    from pft_desktop.ui.child import pft_command

    turns = [[{"role": "user", "content": q1}, {"role": "assistant", "content": a1},
              {"role": "user", "content": q2}, {"role": "assistant", "content": a2}]
             for q1, a1, q2, a2 in COLOURS]
    conversations = [{"messages": t} for t in turns] + [{"messages": t[:2]} for t in turns]
    (folder / "colours.jsonl").write_text("".join(json.dumps(c) + "\n"
                                                  for c in conversations * 8))
    sentences = [text for row in COLOURS for text in row]
    rng = random.Random(0)
    (folder / "colours.txt").write_text("".join(
        f"{rng.choice(sentences)} {rng.choice(sentences)}\n" for _ in range(3000)))
    base, run = folder / "colour-base", folder / "colour-chat"
    steps = [("pretrain", "--from-scratch", "decoder", "--size", "tiny", "--data",
              str(folder / "colours.txt"), "--max-steps", "200", "--batch-size", "32",
              "--learning-rate", "3e-3", "--max-length", "64", "-o", str(base)),
             ("train", "--model", str(base / "model"), "--task", "causal-lm", "--data",
              str(folder / "colours.jsonl"), "--conversation-column", "messages",
              "--system-prompt", SYSTEM_PROMPT, "--method", "full", "--max-steps", "150",
              "--batch-size", "16", "--learning-rate", "2e-3", "--max-length", "128",
              "--validation-split", "0", "-o", str(run))]
    for args in steps:
        with open(folder / f"{args[0]}.log", "wb") as log:
            process = subprocess.Popen(pft_command(*args), stdout=log, stderr=log)
            wait_until(lambda: process.poll() is not None, 900, step_ms=200)
        if process.returncode != 0:
            print(f"The chat run failed ({args[0]}); see {folder / (args[0] + '.log')}",
                  file=sys.stderr)
            return None
    return run


def chat_page(window, shot, folder: Path) -> bool:
    """The Results page of the chat run: two turns, each answered by the tuned model and,
    beside it, by its base model."""
    from PySide6.QtWidgets import QScrollArea

    started = time.monotonic()
    run = chat_run(folder)
    if run is None:
        return False
    print(f"chat runs: {time.monotonic() - started:.1f} s", file=sys.stderr)
    page = window.results_page
    page.open_run(str(run))
    chat = page.chat_box
    wait_until(lambda: getattr(page, "ready", False), 120)
    chat.compare.setChecked(True)
    for message in ("What colour is the sky?", "And at night?"):
        chat.message.setText(message)
        chat.send()
        wait_until(lambda: not chat.pending, 120)
    page.findChild(QScrollArea).ensureWidgetVisible(chat, 0, 0)
    shot("11-chat.png")
    return all(not bubble.error for t in chat.transcripts.values() for bubble in t.bubbles)


def take_screenshots(window, folder: str) -> int:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    if not (os.environ.get("PFT_RUNS_ROOT") or os.environ.get("PFT_DESKTOP_RUNS_DIR")):
        os.environ["PFT_RUNS_ROOT"] = tempfile.mkdtemp(prefix="pft-screens-")  # not your runs
    window.resize(1280, 860)
    pages = window.pages

    def shot(name: str) -> None:
        QApplication.processEvents()
        window.grab().save(str(out / name))
        print(f"saved {out / name}", file=sys.stderr)

    shot("0-welcome.png")
    if window.model_page.demo_path is None:
        print("The demo model package is not installed; only the first page was rendered.",
              file=sys.stderr)
        return 1
    window.model_page.use_demo()
    wait_until(lambda: window.next.isEnabled(), 120)
    shot("1-model.png")
    window.go(1)
    shot("2-task.png")
    window.go(2)
    wait_until(lambda: window.next.isEnabled(), 180)
    shot("3-data.png")
    window.go(3)
    shot("4-hyperparameters.png")
    window.hyper_page.advanced_toggle.setChecked(True)
    shot("4b-hyperparameters-advanced.png")
    window.hyper_page.advanced_toggle.setChecked(False)
    window.go(4)
    # The demo must pass every page; later pictures change the model and data on purpose.
    problems = [f"{type(page).__name__}: {problem}" for page in pages[:4]
                for problem in page.problems()]
    started = time.monotonic()
    window.train_page.start()
    wait_until(lambda: len(window.train_page.loss_chart.raw.x) >= 45
               or not window.train_page.is_training(), 300)
    window.train_page.refresh(everything=True)
    shot("5-train.png")
    wait_until(lambda: not window.train_page.is_training(), 300)
    print(f"demo run: {time.monotonic() - started:.1f} s from Start to finished",
          file=sys.stderr)
    wait_until(lambda: window.stack.currentIndex() == 5, 10)
    results = window.results_page
    wait_until(lambda: getattr(results, "ready", False), 120)
    results.try_text.setText("Arrived broken and the seller never answered.")
    results.predict()
    wait_until(lambda: "%" in results.try_result.text(), 60)
    shot("6-results.png")
    problems += [f"TrainPage: {problem}" for problem in window.train_page.problems()]
    second_run(window)
    library_and_compare(window, shot)
    data = Path(tempfile.mkdtemp(prefix="pft-screens-data-"))  # not beside the pictures
    header_problem(window, data / "spreadsheet-export.csv")
    shot("7-data-header-problem.png")
    entities_data_page(window, data / "travel-notes.conll")
    shot("10-data-entities.png")
    chatted = chat_page(window, shot, data)
    window.close()
    if not chatted:
        problems.append("the chat box showed an error")
    for problem in problems:  # say why the pictures are not to be trusted
        print(f"screenshots: {problem}", file=sys.stderr)
    return 1 if problems else 0
