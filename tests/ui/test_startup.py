"""The window appears without importing the ML libraries (they live in child processes)."""

import subprocess
import sys

SNIPPET = """
import os, sys, time
os.environ['QT_QPA_PLATFORM'] = 'offscreen'
started = time.perf_counter()
from pft_desktop.ui.app import create_app
from pft_desktop.ui.main_window import MainWindow
app = create_app()
window = MainWindow()
window.show()
app.processEvents()
print(round(time.perf_counter() - started, 3))
print(','.join(m for m in ('torch', 'transformers', 'peft', 'bitsandbytes') if m in sys.modules))
window.close()
"""


def test_main_window_shows_without_ml_imports():
    result = subprocess.run([sys.executable, "-c", SNIPPET], capture_output=True, text=True,
                            timeout=120)
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0, result.stderr
    assert lines[1:] == [] or lines[1] == "", f"imported at start: {lines[1]}"
    print(f"main window shown after {lines[0]} s")
