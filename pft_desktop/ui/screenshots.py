"""``pft-desktop --screenshots DIR``: drive the real wizard with the demo model and sample data,
train for real, and save every page (the Train page mid-run) as PNG files."""

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


def take_screenshots(window, folder: str) -> int:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PFT_DESKTOP_RUNS_DIR", tempfile.mkdtemp(prefix="pft-screens-"))
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
    wait_until(lambda: window.next.isEnabled(), 180)
    shot("2-data.png")
    window.go(2)
    shot("3-task.png")
    window.go(3)
    shot("4-hyperparameters.png")
    window.go(4)
    window.train_page.start()
    wait_until(lambda: len(window.train_page.loss_chart.raw.x) >= 45
               or not window.train_page.is_training(), 300)
    window.train_page.refresh(everything=True)
    shot("5-train.png")
    wait_until(lambda: not window.train_page.is_training(), 300)
    wait_until(lambda: window.stack.currentIndex() == 5, 10)
    results = window.results_page
    wait_until(lambda: getattr(results, "ready", False), 120)
    results.try_text.setText("Arrived broken and the seller never answered.")
    results.predict()
    wait_until(lambda: "%" in results.try_result.text(), 60)
    shot("6-results.png")
    window.close()
    return 0 if all(not page.problems() for page in pages[:5]) else 1
