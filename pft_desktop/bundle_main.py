"""The entry point of the app bundle (PyInstaller, packaging/pft-desktop.spec).

The app starts every child the same way, ``sys.executable -m MODULE ARGS`` (the runner, the
export and check helpers, accelerate's launcher, torchrun's workers with ``-u -m``). In a bundle
``sys.executable`` is the bundle's own program, not a Python, so this entry point answers those
command lines as Python would and everything else as ``pft-desktop``. That keeps every launch
site unchanged: one place knows the app may be frozen.
"""

from __future__ import annotations

import os
import runpy
import sys

# Python's own one-letter switches that may come before -m or -c (torchrun passes -u).
IGNORED_SWITCHES = {"-u", "-B", "-E", "-s", "-S", "-I", "-O", "-OO", "-q"}


def python_style(argv: list[str]) -> tuple[str, str, list[str]] | None:
    """("module", NAME, ARGS) for ``-m NAME ARGS``, ("code", CODE, ARGS) for ``-c CODE ARGS``,
    None for a pft-desktop command line. Switches before them are skipped (-u: unbuffered)."""
    index = 0
    while index < len(argv) and argv[index] in IGNORED_SWITCHES:
        index += 1
    if index + 1 < len(argv) and argv[index] in ("-m", "-c"):
        kind = "module" if argv[index] == "-m" else "code"
        return kind, argv[index + 1], argv[index + 2:]
    return None


def main() -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen multiprocessing child stops here
    found = python_style(sys.argv[1:])
    if found is None:
        from pft_desktop.cli import main as cli_main

        return cli_main()
    kind, what, rest = found
    if "-u" in sys.argv[1:sys.argv.index(what)]:
        os.environ["PYTHONUNBUFFERED"] = "1"
        sys.stdout.reconfigure(line_buffering=True)
        sys.stderr.reconfigure(line_buffering=True)
    if kind == "code":
        sys.argv = ["-c", *rest]
        exec(compile(what, "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
        return 0
    sys.argv = [what, *rest]  # runpy puts the module's file first, as python -m does
    runpy.run_module(what, run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
