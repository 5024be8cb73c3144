"""The desktop menu entry for this user: `pft-desktop --install-desktop-entry` writes a
freedesktop .desktop file, the icon and AppStream metadata under $XDG_DATA_HOME (default
~/.local/share), so the app appears in the menu and software centres of Linux desktops;
`--uninstall-desktop-entry` removes them. pip cannot do this: a wheel installs no data there.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from pft_desktop.core.errors import UserError
from pft_desktop.resources import APP_ID, asset

# Where each file goes under the data home (the places desktops and software centres look).
DESKTOP_FILE = Path("applications", f"{APP_ID}.desktop")
ICON_FILE = Path("icons", "hicolor", "scalable", "apps", f"{APP_ID}.svg")
METAINFO_FILE = Path("metainfo", f"{APP_ID}.metainfo.xml")

# Characters that make the Desktop Entry spec require an Exec argument to be quoted.
_RESERVED = set(" \t\"'\\><~|&;$*?#()`")


@dataclass(frozen=True)
class EntryFile:
    """One file of the entry: where it goes under the data home, and its bytes."""

    relative: Path
    content: bytes


def data_home(environ=None) -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset, empty or relative (the XDG Base
    Directory spec says a relative value is invalid and must be ignored)."""
    value = (os.environ if environ is None else environ).get("XDG_DATA_HOME", "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """What the menu runs: this installation's `pft-desktop` script, by absolute path (a menu
    does not see a virtual environment's PATH), or this Python with -m when there is none."""
    script = Path(sys.executable).with_name("pft-desktop")  # not resolved: a venv's python
    if script.is_file() and os.access(script, os.X_OK):       # is a link to the base one
        return [str(script)]
    return [sys.executable, "-m", "pft_desktop"]


def exec_argument(argument: str) -> str:
    """One Exec argument written as the Desktop Entry spec requires: % doubled, quoted when it
    holds a reserved character (with ", `, $ and \\ escaped inside), then every backslash
    escaped again by the string rule that applies before unquoting."""
    if "\n" in argument or "\r" in argument:
        raise UserError("bad_launch_path", f"The path {argument!r} holds a line break, which a "
                        "desktop entry cannot launch.", "Install pft-desktop in a folder whose "
                        "path has no line break.")
    argument = argument.replace("%", "%%")
    if not any(char in _RESERVED for char in argument):
        return argument
    quoted = '"' + re.sub(r'(["`$\\])', r"\\\1", argument) + '"'
    return quoted.replace("\\", "\\\\")


def entry_files(command: list[str] | None = None) -> list[EntryFile]:
    """The .desktop file (launching ``command``), the scalable icon and the metainfo."""
    command = command or launch_command()
    desktop = asset("desktop", f"{APP_ID}.desktop.in").read_text(encoding="utf-8")
    try_exec = command[0].replace("\\", "\\\\")
    desktop = desktop.replace("@EXEC@", " ".join(exec_argument(arg) for arg in command)) \
        .replace("@TRYEXEC@", try_exec)
    return [
        EntryFile(DESKTOP_FILE, desktop.encode("utf-8")),
        EntryFile(ICON_FILE, asset("desktop", ICON_FILE.name).read_bytes()),
        EntryFile(METAINFO_FILE, asset("desktop", METAINFO_FILE.name).read_bytes()),
    ]


def install(root: Path | None = None, command: list[str] | None = None) -> list[str]:
    """Write the entry's files under ``root`` (the data home); running it again rewrites
    only what changed. Returns one line per file saying what happened."""
    root = root or data_home()
    said = []
    for entry in entry_files(command):
        path = root / entry.relative
        if path.is_file() and path.read_bytes() == entry.content:
            said.append(f"unchanged {path}")
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".partial")
            partial.write_bytes(entry.content)
            partial.replace(path)  # a menu never reads a half-written entry
        except OSError as exc:
            raise UserError("desktop_entry_write", f"Could not write {path}: {exc.strerror}.",
                            "Check that the folder is writable, or set XDG_DATA_HOME to "
                            "another folder.") from exc
        said.append(f"wrote {path}")
    return said


def uninstall(root: Path | None = None) -> list[str]:
    """Remove the entry's files from ``root``; files already gone are not an error."""
    root = root or data_home()
    said = []
    for relative in (DESKTOP_FILE, ICON_FILE, METAINFO_FILE):
        path = root / relative
        if path.exists():
            path.unlink()
            said.append(f"removed {path}")
        else:
            said.append(f"absent {path}")
    return said


def add_flags(parser) -> None:
    """The top-level --install-desktop-entry / --uninstall-desktop-entry flags."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--install-desktop-entry", action="store_true", help="add pft-desktop "
                       "to this user's application menu (Linux: a .desktop file, its icon and "
                       "AppStream metadata under $XDG_DATA_HOME, default ~/.local/share) and "
                       "exit; running it again updates them")
    group.add_argument("--uninstall-desktop-entry", action="store_true", help="remove what "
                       "--install-desktop-entry wrote, and exit")


def run_flags(args) -> int | None:
    """Carry out the flags add_flags defines; None when neither was given."""
    if not (args.install_desktop_entry or args.uninstall_desktop_entry):
        return None
    if sys.platform in ("win32", "darwin"):
        raise UserError("no_desktop_entry", "Desktop entries are the application menu of Linux "
                        "and BSD desktops (freedesktop.org); this system does not read them.",
                        "Start the app with the pft-desktop command instead.")
    lines = install() if args.install_desktop_entry else uninstall()
    print("\n".join(lines))
    return 0
