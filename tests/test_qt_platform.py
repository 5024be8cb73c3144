"""The platform check finds what Qt's xcb plugin cannot load and names the command that fixes it,
without importing Qt (issue 8: Qt's own error names only libxcb-cursor0)."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from pft_desktop import qt_platform
from pft_desktop.qt_platform import (PluginCheck, distribution_family, install_command,
                                     packages_for, parse_ldd, problem_before_start)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")

# `ldd libqxcb.so` on a Debian 12 machine that lacked two libraries (trimmed; note the repeat).
LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007f10d4573000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f10d44a5000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f10d4415000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f10d43bb000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f10d43b3000)
\tlibxcb-keysyms.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f10d2e1e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f10d4575000)
"""

OS_RELEASES = {
    "debian": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n',
    "ubuntu": 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n',
    "mint": 'NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n',
    "fedora": 'NAME="Fedora Linux"\nID=fedora\n',
    "rocky": 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n',
    "tumbleweed": 'NAME="openSUSE Tumbleweed"\nID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n',
    "arch": 'NAME="Arch Linux"\nID=arch\n',
    "manjaro": 'NAME="Manjaro Linux"\nID=manjaro\nID_LIKE=arch\n',
}
MISSING = ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-shape.so.0", "libxcb-xkb.so.1"]


def test_ldd_output_gives_each_missing_library_once_in_order():
    assert parse_ldd(LDD_OUTPUT) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert parse_ldd("\tnot a dynamic executable\n") == []


@pytest.mark.parametrize("distro, family, command", [
    ("debian", "debian", "apt-get install -y libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 "
                         "libxcb-xkb1"),
    ("ubuntu", "debian", "apt-get install -y libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 "
                         "libxcb-xkb1"),
    ("mint", "debian", "apt-get install -y libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 "
                       "libxcb-xkb1"),
    ("fedora", "fedora", "dnf install -y xcb-util-wm xcb-util-keysyms libxcb"),
    ("rocky", "fedora", "dnf install -y xcb-util-wm xcb-util-keysyms libxcb"),
    ("tumbleweed", "suse", "zypper --non-interactive install libxcb-icccm4 libxcb-keysyms1 "
                           "libxcb-shape0 libxcb-xkb1"),
    ("arch", "arch", "pacman -S --needed --noconfirm xcb-util-wm xcb-util-keysyms libxcb"),
    ("manjaro", "arch", "pacman -S --needed --noconfirm xcb-util-wm xcb-util-keysyms libxcb"),
])
def test_each_distribution_gets_its_package_names_and_command(distro, family, command):
    assert distribution_family(OS_RELEASES[distro]) == family
    check = PluginCheck(plugin=qt_platform.Path("/x/libqxcb.so"), missing=MISSING, family=family)
    assert check.command(sudo=False) == command
    assert check.command(sudo=True) == "sudo " + command
    assert command in check.message()


def test_every_library_has_a_package_in_every_family():
    for soname, names in qt_platform.PACKAGES.items():
        assert len(names) == len(qt_platform.FAMILIES) and all(names), soname
    assert "libxcb-cursor0" in qt_platform.all_packages("debian")
    assert install_command(["a"], "debian") == ["apt-get", "install", "-y", "a"]


def test_unknown_distribution_and_unknown_library_still_say_what_to_do():
    assert distribution_family('ID=alpine\nNAME="Alpine Linux"\n') is None
    check = PluginCheck(qt_platform.Path("/x/libqxcb.so"), ["libxcb-icccm.so.4"], None)
    assert check.command() is None
    assert "apt-get install -y libxcb-icccm4" in check.message()
    assert packages_for(["libfoo.so.3", "libxcb.so.1"], "fedora") == (["libxcb"], ["libfoo.so.3"])
    odd = PluginCheck(qt_platform.Path("/x/libqxcb.so"), ["libfoo.so.3"], "fedora")
    assert "dnf provides '*/libfoo.so.3'" in odd.message()


@pytest.fixture
def broken_plugin(tmp_path):
    """The real libqxcb.so copied out of PySide6: its RUNPATH $ORIGIN/../../lib no longer finds
    Qt's own libraries, a real missing-library case on any machine."""
    plugin = qt_platform.platform_plugin("xcb")
    if plugin is None:
        pytest.skip("PySide6 has no xcb platform plugin here")
    copy = tmp_path / "libqxcb.so"
    shutil.copy(plugin, copy)
    return copy


@linux_only
def test_a_real_missing_library_is_found_and_blamed_on_pyside(broken_plugin):
    missing = qt_platform.missing_libraries(broken_plugin)
    assert "libQt6XcbQpa.so.6" in missing
    check = PluginCheck(broken_plugin, missing, "debian")
    assert "libQt6XcbQpa.so.6" in check.unmapped
    assert "--force-reinstall" in check.message() and "PySide6-Essentials==" in check.message()


@linux_only
def test_without_ldd_loading_the_plugin_names_the_first_missing_library(broken_plugin):
    missing = qt_platform.first_missing_by_loading(broken_plugin)
    assert len(missing) == 1 and missing[0].startswith("libQt6"), missing


@linux_only
def test_no_display_is_named_before_qt_starts():
    message = problem_before_start({})
    assert message and "neither DISPLAY nor WAYLAND_DISPLAY is set" in message
    assert "xvfb-run" in message
    assert "DISPLAY is not set" in problem_before_start({"QT_QPA_PLATFORM": "xcb",
                                                         "WAYLAND_DISPLAY": "wayland-0"})


@linux_only
def test_missing_xcb_libraries_are_named_before_qt_starts(broken_plugin, monkeypatch):
    monkeypatch.setattr(qt_platform, "platform_plugin", lambda name="xcb": broken_plugin)
    message = problem_before_start({"DISPLAY": ":0"})
    assert message and "libQt6XcbQpa.so.6" in message
    assert problem_before_start({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}) == message


def test_headless_wayland_and_other_systems_are_not_checked(monkeypatch):
    monkeypatch.setattr(qt_platform, "check_plugin", lambda name="xcb": pytest.fail("checked"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert problem_before_start({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert problem_before_start({"QT_QPA_PLATFORM": "minimal"}) is None
    assert problem_before_start({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}) is None
    monkeypatch.setattr(sys, "platform", "darwin")
    assert problem_before_start({}) is None


class _Recorder:
    def __init__(self):
        self.commands = []

    def __call__(self, command):
        self.commands.append(command)
        return True


@pytest.mark.parametrize("answer, ran", [("y\n", True), ("\n", False), ("no\n", False)])
def test_sudo_is_used_only_when_the_person_agrees(monkeypatch, answer, ran):
    recorder = _Recorder()
    monkeypatch.setattr(qt_platform, "_run", recorder)
    monkeypatch.setattr(qt_platform.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(qt_platform.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(sys, "stdin", _Tty(answer))
    check = PluginCheck(qt_platform.Path("/x/libqxcb.so"), ["libxcb-icccm.so.4"], "debian")
    assert qt_platform.install(check) is ran
    assert recorder.commands == ([["sudo", "apt-get", "install", "-y", "libxcb-icccm4"]]
                                 if ran else [])


def test_no_prompt_without_a_terminal_and_root_installs_directly(monkeypatch):
    recorder = _Recorder()
    monkeypatch.setattr(qt_platform, "_run", recorder)
    monkeypatch.setattr(qt_platform.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(sys, "stdin", _Tty("y\n", tty=False))
    check = PluginCheck(qt_platform.Path("/x/libqxcb.so"), ["libxcb-icccm.so.4"], "fedora")
    monkeypatch.setattr(qt_platform.os, "geteuid", lambda: 1000)
    assert qt_platform.install(check) is False and recorder.commands == []
    monkeypatch.setattr(qt_platform.os, "geteuid", lambda: 0)
    assert qt_platform.install(check) is True
    assert recorder.commands == [["dnf", "install", "-y", "xcb-util-wm"]]


class _Tty:
    def __init__(self, text, tty=True):
        self.text, self.tty = text, tty

    def isatty(self):
        return self.tty

    def readline(self):
        return self.text


@linux_only
def test_the_check_imports_no_qt_gui_and_is_fast():
    code = ("import sys, time\n"
            "from pft_desktop.qt_platform import problem_before_start\n"
            "started = time.perf_counter()\n"
            "problem_before_start({'DISPLAY': ':0'})\n"
            "print(time.perf_counter() - started)\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    seconds, modules = result.stdout.splitlines()
    assert modules == "[]"
    assert float(seconds) < 0.5, f"the platform check took {float(seconds) * 1000:.0f} ms"
    print(f"platform check: {float(seconds) * 1000:.1f} ms")


@linux_only
def test_the_app_refuses_to_start_without_a_display_and_says_why(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PFT_DESKTOP_RUNS_DIR"] = str(tmp_path / "runs")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pft_desktop"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "neither DISPLAY nor WAYLAND_DISPLAY is set" in result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 30


def test_command_line_lists_packages_and_reports_json():
    listed = subprocess.run([sys.executable, "-m", "pft_desktop.qt_platform", "--list-packages",
                             "arch"], capture_output=True, text=True, check=True, timeout=60)
    assert "xcb-util-cursor" in listed.stdout.split()
    result = subprocess.run([sys.executable, "-m", "pft_desktop.qt_platform", "--json"],
                            capture_output=True, text=True, timeout=60)
    report = json.loads(result.stdout)
    assert result.returncode == (0 if report["ok"] else 1)
