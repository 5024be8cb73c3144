"""The core never imports Qt, and importing it stays cheap (no torch until needed)."""

import ast
import subprocess
import sys
from pathlib import Path

import pft_desktop

PACKAGE = Path(pft_desktop.__file__).parent
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "qtpy")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_core_and_runner_never_import_qt():
    offenders = [f"{path.relative_to(PACKAGE)}: {name}"
                 for folder in ("core", "runner") for path in (PACKAGE / folder).rglob("*.py")
                 for name in _imports(path) if name.split(".")[0] in QT_MODULES]
    assert offenders == []


def test_core_never_imports_ui():
    offenders = [str(path) for path in (PACKAGE / "core").rglob("*.py")
                 for name in _imports(path) if name.startswith("pft_desktop.ui")]
    assert offenders == []


def test_importing_core_modules_loads_no_ml_library_or_qt():
    code = ("import sys\n"
            "import pft_desktop.core.config, pft_desktop.core.data, pft_desktop.core.models, "
            "pft_desktop.core.events, pft_desktop.core.errors, pft_desktop.core.rundir\n"
            "heavy = [m for m in ('torch', 'transformers', 'peft', 'bitsandbytes', 'PySide6') "
            "if m in sys.modules]\n"
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
