"""``pft-desktop --screenshots DIR``: drive the real wizard with the demo model and sample data,
train for real, and save every page (the Train page mid-run) as PNG files; then train a second,
shorter run with another learning rate and save the run library and the compare view."""

from __future__ import annotations

import os
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
    second_run(window)
    library_and_compare(window, shot)
    data = Path(tempfile.mkdtemp(prefix="pft-screens-data-"))  # not beside the pictures
    header_problem(window, data / "spreadsheet-export.csv")
    shot("7-data-header-problem.png")
    entities_data_page(window, data / "travel-notes.conll")
    shot("10-data-entities.png")
    window.close()
    return 0 if all(not page.problems() for page in pages[:5]) else 1
