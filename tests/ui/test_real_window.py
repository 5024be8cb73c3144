"""The real app opens a real X window: ``python -m pft_desktop`` under Xvfb with Qt's xcb plugin,
the path a user's desktop takes. The offscreen tests never load the xcb libraries, so without this
test a machine that cannot open a window at all (issue 8) still passes."""

import json
import os
import select
import shutil
import subprocess
import sys
import time

import pytest

from pft_desktop import qt_platform

SCREEN = (1280, 800)
STARTUP_S = 25  # the window normally shows within 2 s; the whole test stays well under a minute

# Grabs the X screen through Qt on xcb until the app's window is drawn and settled (two grabs in a
# row identical, with at least 50 colours), saves the PNG and prints what it shows. Xvfb's root is
# black (-br), so the window is the box of pixels that are not black.
GRAB = r"""
import json, sys, time
import numpy as np
from PySide6.QtGui import QGuiApplication, QImage
app = QGuiApplication([])
out, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
previous, image = None, None
while time.monotonic() < deadline:
    image = app.primaryScreen().grabWindow(0).toImage().convertToFormat(QImage.Format.Format_RGB32)
    rgb = np.frombuffer(bytes(image.constBits()), np.uint32).reshape(
        image.height(), image.bytesPerLine() // 4)[:, :image.width()] & 0xFFFFFF
    if previous is not None and len(np.unique(rgb)) >= 50 and np.array_equal(rgb, previous):
        break
    previous = rgb
    time.sleep(0.4)
image.save(out)
rows, cols = np.nonzero(rgb)
stats = {"size": [image.width(), image.height()], "colours": int(len(np.unique(rgb)))}
if len(rows):
    box = rgb[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    _, counts = np.unique(box, return_counts=True)
    stats.update(window=[int(cols.min()), int(rows.min()), int(cols.max() - cols.min() + 1),
                         int(rows.max() - rows.min() + 1)],
                 window_colours=int(len(counts)), top_colour_share=float(counts.max() / box.size))
print(json.dumps(stats))
"""


def _unavailable() -> str | None:
    """Why this machine cannot run the test, with the install command; None when it can."""
    check = qt_platform.check_plugin("xcb")
    family = check.family or qt_platform.distribution_family()
    packages = ([] if shutil.which("Xvfb") else [qt_platform.XVFB.get(family, "Xvfb")])
    packages += check.packages
    if not packages and check.ok:
        return None
    missing = (["Xvfb"] if shutil.which("Xvfb") is None else []) + check.missing
    if family and packages and not check.unmapped:
        how = " ".join(qt_platform.install_command(packages, family, sudo=os.geteuid() != 0))
    else:
        how = "your package manager" + ("" if check.ok else f"; {check.message()}")
    return f"needs {', '.join(missing) or 'PySide6'}; install with: {how}"


@pytest.fixture
def xvfb(tmp_path):
    """A fresh Xvfb on a free display (it picks the number and writes it to -displayfd)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("an X11 test: Linux only")
    reason = _unavailable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the real-window test must run: {reason}")
        pytest.skip(reason)
    read_end, write_end = os.pipe()
    log = open(tmp_path / "xvfb.log", "wb")
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
         "-nolisten", "tcp", "-br"], pass_fds=(write_end,), stdout=log, stderr=log)
    os.close(write_end)
    number, deadline = b"", time.monotonic() + 10
    while not number.endswith(b"\n") and time.monotonic() < deadline:
        if select.select([read_end], [], [], 0.2)[0]:
            chunk = os.read(read_end, 16)
            if not chunk:
                break
            number += chunk
    os.close(read_end)
    try:
        assert number.strip(), f"Xvfb gave no display: {(tmp_path / 'xvfb.log').read_text()}"
        yield f":{number.decode().strip()}"
    finally:
        _stop(server)
        log.close()
    assert server.returncode is not None


def _stop(process: subprocess.Popen) -> int:
    process.terminate()
    try:
        return process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait(5)


def test_the_app_opens_a_real_window_on_x11(xvfb, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    home = tmp_path / "home"
    env.update(DISPLAY=xvfb, QT_QPA_PLATFORM="xcb", HOME=str(home),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CACHE_HOME=str(home / ".cache"), PFT_DESKTOP_RUNS_DIR=str(tmp_path / "runs"))
    log_path, shot = tmp_path / "app.log", tmp_path / "real-window.png"
    with open(log_path, "wb") as log:
        app = subprocess.Popen([sys.executable, "-m", "pft_desktop"], env=env, stdout=log,
                               stderr=subprocess.STDOUT)
        try:
            grab = subprocess.run([sys.executable, "-c", GRAB, str(shot), str(STARTUP_S)],
                                  env=env, capture_output=True, text=True,
                                  timeout=STARTUP_S + 15)
            still_running = app.poll() is None
            titles = _window_titles(env)
        finally:
            code = _stop(app)
    app_log = log_path.read_text(errors="replace")
    assert grab.returncode == 0, grab.stderr
    assert still_running, f"the app exited early ({app.returncode}):\n{app_log}"
    assert code in (0, -15), f"the app did not end cleanly on SIGTERM ({code}):\n{app_log}"
    stats = json.loads(grab.stdout.strip().splitlines()[-1])
    print(f"screenshot {shot}: {stats}")
    assert stats["size"] == list(SCREEN)
    assert stats["colours"] >= 50, f"the screen is nearly blank: {stats}; see {shot}"
    assert "window" in stats, f"nothing was drawn: see {shot}"
    width, height = stats["window"][2:]
    assert width >= 600 and height >= 400, f"no window-sized area was drawn: {stats}; see {shot}"
    assert stats["window_colours"] >= 50 and stats["top_colour_share"] < 0.95, \
        f"the window's area is (nearly) one colour: {stats}; see {shot}"
    if titles is not None:
        assert "pft-desktop" in titles, titles


def _window_titles(env) -> str | None:
    """The X window tree as xwininfo prints it (titles in quotes), when xwininfo is installed."""
    if shutil.which("xwininfo") is None:
        return None
    return subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True,
                          text=True, timeout=10).stdout
