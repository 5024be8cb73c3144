#!/usr/bin/env bash
# Smoke test of the app bundle that packaging/bundle.sh built (dist/pft-desktop), run the way a
# machine without Python would run it: an empty environment (env -i), PATH with the system's
# folders only, a fresh HOME, no network (HF_HUB_OFFLINE=1).
#
#   bash packaging/bundle_smoke.sh [OUT_DIR]     (default OUT_DIR: build/bundle-smoke)
#   PFT_BASELINE=.venv/bin/pft-desktop bash packaging/bundle_smoke.sh
#       also times the demo training and the window with that installation (the source
#       checkout's), in the same conditions, and prints bundle/baseline ratios side by side
#
# 1. pft-desktop --version
# 2. pft-desktop check --demo          (the bundled sample with the bundled demo model)
# 3. pft-desktop train --demo --max-steps 5   (a real LoRA run, in the command's process)
#    and the same run as the window starts it: the runner child (-m pft_desktop.runner)
# 4. the window under Xvfb (xcb): time from start to the mapped window, three times (median),
#    and a screenshot taken by the bundle itself (-c: its own Python and Qt) to OUT_DIR/window.png
# Prints each step's time and the bundle's size on disk. Needs xvfb-run and xwininfo (x11-utils).
# Too slow for CI (the build it needs takes many minutes): run it by hand after bundle.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE="$PWD/dist/pft-desktop/pft-desktop"
OUT="$(realpath -m "${1:-build/bundle-smoke}")"
[ -x "$BUNDLE" ] || { echo "No bundle at $BUNDLE: run bash packaging/bundle.sh first." >&2; exit 2; }
rm -rf "$OUT" && mkdir -p "$OUT/home"
CLEAN=(env -i "HOME=$OUT/home" "PATH=/usr/bin:/bin" "LANG=C.UTF-8" "HF_HUB_OFFLINE=1"
       "PFT_SETTINGS_FILE=$OUT/home/settings.json" "PFT_RUNS_ROOT=$OUT/runs")

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

step() {  # step NAME COMMAND...: run it in the clean environment, log it, time it
    local name="$1" started
    shift
    started=$(now)
    if ! "${CLEAN[@]}" "$@" > "$OUT/$name.log" 2>&1; then
        echo "FAILED: $name (log: $OUT/$name.log)" >&2
        tail -20 "$OUT/$name.log" >&2
        exit 1
    fi
    echo "ok  $name: $(since "$started") s" | tee -a "$OUT/summary.txt"
}

echo "Bundle: $BUNDLE ($(du -sh dist/pft-desktop | cut -f1) on disk)"
step version "$BUNDLE" --version
grep -q "^pft-desktop " "$OUT/version.log"
step check-demo "$BUNDLE" check --demo
step train-demo "$BUNDLE" train --demo --max-steps 5 --output "$OUT/runs/demo"
grep -q '"status": "finished"' "$OUT/runs/demo/status.json" || {
    echo "FAILED: the demo run did not finish: $OUT/runs/demo" >&2; exit 1; }
# The way the window trains: the runner as a child, `sys.executable -m pft_desktop.runner RUN`
# (core.launch), which the bundle's entry point must route to the runner.
RUNNER_CHILD='
import sys
from pft_desktop.core import launch
from pft_desktop.core.demo import demo_config
from pft_desktop.core.rundir import RunFolder
config = demo_config()
config.training.max_steps = 5
folder = RunFolder.create(sys.argv[1], config)
code = launch.start_runner(folder.path).wait()
print("runner exit code", code, "run", folder.state())
sys.exit(0 if code == 0 and folder.state() == "finished" else 1)
'
step runner-child "$BUNDLE" -c "$RUNNER_CHILD" "$OUT/runs/demo-child"

# The screenshot, by the bundle's own Qt once the window has settled (two equal grabs).
GRAB='
import sys, time
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
previous = None
for _ in range(40):
    image = app.primaryScreen().grabWindow(0).toImage()
    if previous is not None and image == previous:
        break
    previous = image
    time.sleep(0.5)
image.save(sys.argv[1])
'
# The window, under a fresh Xvfb: the seconds from start until X reports it mapped (IsViewable),
# then (when a file is given) a screenshot. DISPLAY and XAUTHORITY come from xvfb-run. The main
# window is the one named pft-desktop with a WM_CLASS (Qt's 1x1 leader window has none).
WINDOW='
clean=(env -i "HOME=$HOME_DIR" "PATH=/usr/bin:/bin" "LANG=C.UTF-8" "HF_HUB_OFFLINE=1"
       "PFT_SETTINGS_FILE=$HOME_DIR/settings.json" "PFT_RUNS_ROOT=$RUNS"
       "DISPLAY=$DISPLAY" "XAUTHORITY=$XAUTHORITY" "QT_QPA_PLATFORM=xcb")
for _ in $(seq 1 100); do xwininfo -root > /dev/null 2>&1 && break; sleep 0.1; done
start=$(date +%s.%N)
"${clean[@]}" "$BUNDLE" > "$LOG" 2>&1 &
app=$!
for _ in $(seq 1 1200); do
    id=$(xwininfo -root -tree 2>/dev/null | awk "/\"pft-desktop\": \\(\"/ {print \$1; exit}")
    if [ -n "$id" ] && xwininfo -id "$id" 2>/dev/null | grep -q IsViewable; then
        awk -v a="$start" -v b="$(date +%s.%N)" "BEGIN { printf \"%.2f\n\", b - a }"
        break
    fi
    kill -0 "$app" 2>/dev/null || break
    sleep 0.05
done
if [ -n "$SHOT" ]; then "${clean[@]}" "$BUNDLE" -c "$GRAB" "$SHOT" >> "$LOG" 2>&1; fi
kill "$app" 2>/dev/null; wait "$app" 2>/dev/null || true
'
window_time() {  # window_time PROGRAM [SCREENSHOT]: prints the seconds to the mapped window
    HOME_DIR="$OUT/home" RUNS="$OUT/runs" BUNDLE="$1" LOG="$OUT/window.log" \
        SHOT="${2:-}" GRAB="$GRAB" \
        xvfb-run -a -s "-screen 0 1280x800x24 -br" bash -c "$WINDOW"
}
median_window() {  # median_window PROGRAM [SCREENSHOT]: three starts, prints "t1 t2 t3 median"
    local times=() t
    for i in 1 2 3; do
        t=$(window_time "$1" "$([ "$i" = 3 ] && echo "${2:-}")" | sed -n 1p)
        # once more when the X server was not reachable (xvfb-run -a can race another Xvfb)
        [ -n "$t" ] || t=$(window_time "$1" "$([ "$i" = 3 ] && echo "${2:-}")" | sed -n 1p)
        [ -n "$t" ] || { echo "FAILED: no window within 60 s (log: $OUT/window.log)" >&2; exit 1; }
        times+=("$t")
    done
    echo "${times[*]} $(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

read -r w1 w2 w3 window <<< "$(median_window "$BUNDLE" "$OUT/window.png")"
[ -n "${window:-}" ] || exit 1
echo "ok  window: mapped after $w1 $w2 $w3 s (median $window s); screenshot $OUT/window.png"
[ -s "$OUT/window.png" ] || { echo "FAILED: no screenshot" >&2; exit 1; }
echo "All smoke steps passed."

if [ -n "${PFT_BASELINE:-}" ]; then  # the same measurements from another installation
    BASELINE="$(realpath "$PFT_BASELINE")"
    bundle_train=$(grep -o "train_runtime [0-9.]*" "$OUT/train-demo.log" | cut -d' ' -f2)
    started=$(now)
    "${CLEAN[@]}" "$BASELINE" train --demo --max-steps 5 --output "$OUT/runs/baseline" \
        > "$OUT/baseline-train.log" 2>&1
    baseline_command=$(since "$started")
    baseline_train=$(grep -o "train_runtime [0-9.]*" "$OUT/baseline-train.log" | cut -d' ' -f2)
    bundle_command=$(grep -o "train-demo: [0-9.]*" "$OUT/summary.txt" | cut -d' ' -f2)
    read -r b1 b2 b3 baseline_window <<< "$(median_window "$BASELINE")"
    [ -n "${baseline_window:-}" ] || exit 1
    printf '%-34s %10s %10s %7s\n' "" bundle baseline ratio
    printf '%-34s %10s %10s %7s\n' "window mapped, median of 3 (s)" "$window" \
        "$baseline_window" "$(ratio "$window" "$baseline_window")"
    printf '%-34s %10s %10s %7s\n' "train --demo --max-steps 5 (s)" "$bundle_command" \
        "$baseline_command" "$(ratio "$bundle_command" "$baseline_command")"
    printf '%-34s %10s %10s %7s\n' "  of which train_runtime (s)" "$bundle_train" \
        "$baseline_train" "$(ratio "$bundle_train" "$baseline_train")"
    echo "(baseline: $BASELINE; its window times $b1 $b2 $b3 s)"
fi
