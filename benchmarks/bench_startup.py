"""Time from launch to the main window on screen, in fresh processes (median of N).

    .venv/bin/python benchmarks/bench_startup.py [--runs 5]   (target: under 1.5 s)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

SNIPPET = """
import os, sys
os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')
from pft_desktop.ui.app import create_app
from pft_desktop.ui.main_window import MainWindow
app = create_app()
window = MainWindow()
window.show()
app.processEvents()
print('shown', ','.join(m for m in ('torch', 'transformers', 'peft', 'bitsandbytes')
                        if m in sys.modules), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-c", SNIPPET], stdout=subprocess.PIPE,
                                   text=True)
        line = process.stdout.readline()
        times.append(time.perf_counter() - started)
        process.kill()
        process.wait()
        heavy = line.split(" ", 1)[1].strip() if " " in line else ""
        if heavy:
            print(f"warning: imported at start: {heavy}")
    print(f"main window shown after {statistics.median(times):.2f} s (median of {args.runs}; "
          f"min {min(times):.2f}, max {max(times):.2f}); target under 1.5 s")


if __name__ == "__main__":
    main()
