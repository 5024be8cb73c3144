"""Can Qt open a window here? Lists the system libraries Qt's xcb platform plugin lacks and the
command that installs them, without importing Qt: when one is missing, Qt aborts with a hint that
names only libxcb-cursor0, and installing that alone does not help. The one source of truth for
the app (``problem_before_start``), ``packaging/dev.sh`` and ``.ci/run``:

    python -m pft_desktop.qt_platform [--install] [--json] [--quiet]
    python -m pft_desktop.qt_platform --list-packages debian
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

FAMILIES = ("debian", "fedora", "suse", "arch")
FAMILY_NAMES = {"debian": "Debian/Ubuntu", "fedora": "Fedora/RHEL", "suse": "openSUSE",
                "arch": "Arch"}
# What the xcb plugin, libQt6XcbQpa and libQt6Gui load from the system (their ELF NEEDED entries),
# and the package that provides each: (Debian/Ubuntu, Fedora/RHEL, openSUSE, Arch).
PACKAGES = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "libxcb-cursor0",
                           "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "libxcb-keysyms1",
                            "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil",
                                "libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "libxcb-util1", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb-xkb1", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libX11-xcb1", "libx11"),
    "libX11.so.6": ("libx11-6", "libX11", "libX11-6", "libx11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11-0",
                              "libxkbcommon-x11"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libGL1", "libglvnd"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libEGL1", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "libfreetype6", "freetype2"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "libglib-2_0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2", "libgthread-2_0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "libdbus-1-3", "dbus"),
}
XVFB = {"debian": "xvfb", "fedora": "xorg-x11-server-Xvfb", "suse": "xorg-x11-server-Xvfb",
        "arch": "xorg-server-xvfb"}
INSTALL = {"debian": ["apt-get", "install", "-y"], "fedora": ["dnf", "install", "-y"],
           "suse": ["zypper", "--non-interactive", "install"],
           "arch": ["pacman", "-S", "--needed", "--noconfirm"]}
FIND_PROVIDER = {"debian": "apt-file search {}", "fedora": "dnf provides '*/{}'",
                 "suse": "zypper search --provides {}", "arch": "pacman -F {}"}
# /etc/os-release ID or ID_LIKE words -> family.
_FAMILY_OF = {"debian": "debian", "ubuntu": "debian", "fedora": "fedora", "rhel": "fedora",
              "centos": "fedora", "rocky": "fedora", "almalinux": "fedora", "suse": "suse",
              "opensuse": "suse", "opensuse-leap": "suse", "opensuse-tumbleweed": "suse",
              "sles": "suse", "arch": "arch", "manjaro": "arch", "endeavouros": "arch"}
# Libraries that ship inside the PySide6 wheel: a package manager cannot provide them.
_PYSIDE_OWN = ("libQt6", "libicu", "libpyside6", "libshiboken6")
NO_DISPLAY = (
    "pft-desktop cannot open its window: there is no display ({detail}). Start it from your "
    "desktop session, connect with `ssh -X`, or give it a virtual display: `xvfb-run -a "
    "pft-desktop`. The commands (pft-desktop train, pretrain, export, predict) need no display.")


def platform_plugin(name: str = "xcb") -> Path | None:
    """PySide6's libq<name>.so, found without importing PySide6: locating the package is enough."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "Qt/plugins/platforms"
    plugin = folder / f"libq{name}.so"
    return plugin if plugin.is_file() else None


def parse_ldd(text: str) -> list[str]:
    """The sonames ``ldd`` reports as ``not found``, in order, each once."""
    found = re.findall(r"^\s*(\S+)\s+=>\s+not found", text, flags=re.MULTILINE)
    return list(dict.fromkeys(found))


def first_missing_by_loading(plugin: Path) -> list[str]:
    """Without ``ldd`` (musl, minimal images): load the plugin; the loader names the first
    library it cannot find."""
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        match = re.search(r"([\w.+-]+\.so[\w.]*): cannot open shared object file", str(exc))
        return [match.group(1) if match else str(exc)]
    return []


def missing_libraries(plugin: Path) -> list[str]:
    """Every shared library ``plugin`` needs that the dynamic loader cannot find (one ldd call)."""
    ldd = shutil.which("ldd")
    if ldd:
        try:
            result = subprocess.run([ldd, str(plugin)], capture_output=True, text=True,
                                    timeout=10)
            if "=>" in result.stdout:
                return parse_ldd(result.stdout)
        except (OSError, subprocess.TimeoutExpired):
            pass
    return first_missing_by_loading(plugin)


def distribution_family(os_release: str | None = None) -> str | None:
    """debian, fedora, suse or arch from /etc/os-release's ID, then ID_LIKE; None if unknown."""
    if os_release is None:
        for path in ("/etc/os-release", "/usr/lib/os-release"):
            try:
                os_release = Path(path).read_text(encoding="utf-8", errors="replace")
                break
            except OSError:
                continue
        else:
            return None
    fields = {}
    for line in os_release.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip("\"'")
    for word in [fields.get("ID", ""), *fields.get("ID_LIKE", "").split()]:
        if word.lower() in _FAMILY_OF:
            return _FAMILY_OF[word.lower()]
    return None


def packages_for(sonames: list[str], family: str) -> tuple[list[str], list[str]]:
    """(packages that provide ``sonames`` on ``family``, sonames with no known package)."""
    column = FAMILIES.index(family)
    packages = [PACKAGES[name][column] for name in sonames if name in PACKAGES]
    return list(dict.fromkeys(packages)), [name for name in sonames if name not in PACKAGES]


def all_packages(family: str) -> list[str]:
    """Every package the xcb plugin needs on ``family`` (what CI installs up front)."""
    return packages_for(list(PACKAGES), family)[0]


def install_command(packages: list[str], family: str, sudo: bool = False) -> list[str]:
    return (["sudo"] if sudo else []) + INSTALL[family] + list(packages)


@dataclass
class PluginCheck:
    """What a Qt platform plugin (xcb unless named) lacks here, and how to fix it."""

    plugin: Path | None
    missing: list[str] = field(default_factory=list)
    family: str | None = None
    name: str = "xcb"

    @property
    def ok(self) -> bool:
        return self.plugin is not None and not self.missing

    @property
    def packages(self) -> list[str]:
        return packages_for(self.missing, self.family)[0] if self.family else []

    @property
    def unmapped(self) -> list[str]:
        return packages_for(self.missing, self.family)[1] if self.family else [
            name for name in self.missing if name not in PACKAGES]

    def command(self, sudo: bool | None = None) -> str | None:
        """The one line that installs what is missing, ``sudo`` when not root."""
        if not self.packages:
            return None
        sudo = os.geteuid() != 0 if sudo is None else sudo
        return shlex.join(install_command(self.packages, self.family, sudo))

    def message(self) -> str:
        if self.plugin is None:
            return (f"Qt's {self.name} platform plugin (PySide6/Qt/plugins/platforms/"
                    f"libq{self.name}.so) was not found for {sys.executable}: PySide6 is missing "
                    "or incomplete. Reinstall it: " + _reinstall_pyside())
        if self.ok:
            return f"Qt's {self.name} platform plugin finds all its libraries ({self.plugin})."
        cannot = "open a window" if self.name == "xcb" else "start"
        lines = [f"Qt cannot {cannot}: its {self.name} platform plugin needs system libraries "
                 "that are missing:", "  " + " ".join(self.missing)]
        if self.command():
            lines += [f"Install them ({FAMILY_NAMES[self.family]}):", "  " + self.command()]
        elif self.family is None and packages_for(self.missing, "debian")[0]:
            debian = shlex.join(install_command(packages_for(self.missing, "debian")[0],
                                                "debian"))
            lines += ["Install the packages that provide them with your distribution's package "
                      f"manager (on Debian/Ubuntu: {debian})."]
        own = [name for name in self.unmapped if name.startswith(_PYSIDE_OWN)]
        if own:
            lines += [f"{' '.join(own)}: part of PySide6 itself, so its installation is "
                      "damaged. Reinstall it: " + _reinstall_pyside()]
        for name in self.unmapped:
            if name not in own:
                hint = FIND_PROVIDER.get(self.family, "your package manager's search for {}")
                lines.append(f"No known package provides {name}; find it with: "
                             + hint.format(name))
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "platform": self.name,
                "plugin": str(self.plugin) if self.plugin else None, "missing": self.missing,
                "family": self.family, "packages": self.packages,
                "unmapped": self.unmapped, "command": self.command(),
                "message": None if self.ok else self.message()}


def _reinstall_pyside() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        pin = f"=={version('PySide6-Essentials')}"
    except PackageNotFoundError:
        pin = ""
    return shlex.join([sys.executable, "-m", "pip", "install", "--force-reinstall", "--no-deps",
                       f"PySide6-Essentials{pin}"])


def check_plugin(name: str = "xcb") -> PluginCheck:
    """Find the plugin and what it cannot load (one ldd call, about 20 ms)."""
    plugin = platform_plugin(name)
    if plugin is None:
        return PluginCheck(None, name=name)
    return PluginCheck(plugin, missing_libraries(plugin), distribution_family(), name)


def problem_before_start(environ: dict | None = None) -> str | None:
    """Why the platform Qt would pick cannot open a window, with the fix; None when it can (or
    on other systems than Linux). Called before the QApplication exists, because Qt's own
    failure is an abort with a misleading hint."""
    if not sys.platform.startswith("linux"):
        return None
    env = os.environ if environ is None else environ
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip().lower()
    if chosen not in ("", "xcb", "wayland"):  # offscreen, minimal, vnc, eglfs: no display needed
        return None
    display, wayland = env.get("DISPLAY"), env.get("WAYLAND_DISPLAY")
    if chosen == "wayland" or (not chosen and wayland):
        return None if wayland else NO_DISPLAY.format(detail="WAYLAND_DISPLAY is not set")
    problems = []
    if not display:
        detail = ("QT_QPA_PLATFORM=xcb needs an X display and DISPLAY is not set"
                  if wayland else "neither DISPLAY nor WAYLAND_DISPLAY is set")
        problems.append(NO_DISPLAY.format(detail=detail))
    check = check_plugin("xcb")
    if not check.ok and check.plugin is not None:  # a Qt not from the wheel: let Qt try
        problems.append(check.message())
    return "\n\n".join(problems) or None


def _run(command: list[str]) -> bool:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        return subprocess.run(command, env=env).returncode == 0
    except OSError as exc:
        print(f"could not run {command[0]}: {exc}", file=sys.stderr)
        return False


def install(check: PluginCheck) -> bool:
    """Install the missing packages: directly as root, through sudo only if the person agrees at
    the prompt. False when it did not try or it failed."""
    if not check.packages:
        return False
    command = install_command(check.packages, check.family)
    if os.geteuid() != 0:
        if not (shutil.which("sudo") and sys.stdin.isatty()):
            return False
        print(check.message(), file=sys.stderr)
        print("Install them now with sudo? [y/N] ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            return False
        command = ["sudo", *command]
    print("Installing what Qt needs: " + shlex.join(command), file=sys.stderr)
    if _run(command):
        return True
    if check.family == "debian":  # a fresh image has no package lists yet
        prefix = command[:command.index("apt-get")]
        return _run([*prefix, "apt-get", "update", "-qq"]) and _run(command)
    return False


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when the Qt platform plugin can load (or not Linux), 1 with the fix printed if not."""
    parser = argparse.ArgumentParser(
        prog="python -m pft_desktop.qt_platform", description="Check that Qt's xcb platform "
        "plugin finds the system libraries it needs, and install them if asked.")
    parser.add_argument("--plugin", default="xcb", help="another platform plugin to check, "
                        "such as offscreen (default: xcb)")
    parser.add_argument("--install", action="store_true", help="install what is missing: "
                        "directly as root, through sudo if you agree at the prompt")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--quiet", action="store_true", help="print nothing when all is well")
    parser.add_argument("--list-packages", metavar="FAMILY", choices=FAMILIES,
                        help=f"print every package the plugin needs ({', '.join(FAMILIES)}), one "
                        "a line, and exit")
    args = parser.parse_args(argv)
    if args.list_packages:
        print("\n".join(all_packages(args.list_packages)))
        return 0
    if not sys.platform.startswith("linux"):
        print(json.dumps({"ok": True, "platform": sys.platform}) if args.json
              else f"{sys.platform}: Qt needs no xcb libraries here")
        return 0
    check = check_plugin(args.plugin)
    if not check.ok and args.install and install(check):
        check = check_plugin(args.plugin)
    if args.json:
        print(json.dumps(check.to_dict(), indent=2))
    elif not check.ok:
        print(check.message(), file=sys.stderr)
    elif not args.quiet:
        print(check.message())
    return 0 if check.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
