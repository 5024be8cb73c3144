"""The app bundle's entry point answers the command lines the app starts its children with
(``sys.executable -m MODULE ...``, torchrun's ``-u -m``, multiprocessing's ``-c``) as Python
would, and anything else as pft-desktop. Run here through the source file with this Python,
exactly as the frozen program runs it."""

import subprocess
import sys
from pathlib import Path

import pytest

import pft_desktop
from pft_desktop.bundle_main import python_style

ENTRY = Path(pft_desktop.__file__).with_name("bundle_main.py")


@pytest.mark.parametrize("argv, expected", [
    (["-m", "pft_desktop.runner", "RUN", "--resume"], ("module", "pft_desktop.runner",
                                                       ["RUN", "--resume"])),
    (["-u", "-m", "pft_desktop.runner", "RUN"], ("module", "pft_desktop.runner", ["RUN"])),
    (["-c", "print(1)", "a"], ("code", "print(1)", ["a"])),
    (["train", "--demo"], None),
    ([], None),
    (["-m"], None),  # not a complete Python command line: pft-desktop's parser says why
])
def test_python_style_command_lines_are_recognised(argv, expected):
    assert python_style(argv) == expected


def _entry(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ENTRY), *args], capture_output=True, text=True,
                          timeout=120)


def test_minus_m_runs_the_module_as_main_with_its_arguments():
    ran = _entry("-m", "pft_desktop", "--version")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == f"pft-desktop {pft_desktop.__version__}"
    plain = _entry("--version")  # no -m: the pft-desktop command itself
    assert plain.stdout == ran.stdout


def test_minus_c_runs_code_with_python_argv_and_minus_u_is_accepted():
    ran = _entry("-u", "-c", "import sys; print(sys.argv)", "a", "b")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "['-c', 'a', 'b']"
    failed = _entry("-m", "pft_desktop.no_such_module")
    assert failed.returncode != 0 and "No module named pft_desktop.no_such_module" in \
        failed.stderr
