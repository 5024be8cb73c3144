"""`pft-desktop --install-desktop-entry`: the menu entry, icon and AppStream metadata land where
desktops look (under $XDG_DATA_HOME), launch exactly this installation, pass the freedesktop
validators, and install and uninstall idempotently."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pft_desktop.cli import main
from pft_desktop.desktop_entry import (DESKTOP_FILE, ICON_FILE, METAINFO_FILE, data_home,
                                       exec_argument, install, uninstall)
from pft_desktop.resources import APP_ID

FILES = (DESKTOP_FILE, ICON_FILE, METAINFO_FILE)
validator = pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason=(
    "desktop-file-validate is missing: apt-get install desktop-file-utils"))
appstream = pytest.mark.skipif(not shutil.which("appstreamcli"), reason=(
    "appstreamcli is missing: apt-get install appstream"))


def entry_keys(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def split_exec(value: str) -> list[str]:
    """The Exec value read back as a launcher does (Desktop Entry spec, "The Exec key"): string
    escapes first (strictly, as GLib reads them: any other escape is an error), then
    double-quoted arguments with \\ before " ` $ \\, then %% as %."""
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    assert not re.search(r"\\[^snrt\\]", value.replace("\\\\", "")), f"bad escape: {value}"
    value = re.sub(r"\\(.)", lambda m: escapes[m[1]], value)
    args, current, quoted, i = [], None, False, 0
    while i < len(value):
        char = value[i]
        if quoted and char == "\\" and value[i + 1] in '"`$\\':
            current, i = current + value[i + 1], i + 2
            continue
        if char == '"':
            quoted, current = not quoted, current or ""
        elif char == " " and not quoted:
            if current is not None:
                args.append(current)
            current = None
        else:
            current = (current or "") + char
        i += 1
    if current is not None:
        args.append(current)
    return [arg.replace("%%", "%") for arg in args]


def test_data_home_follows_xdg_data_home_and_ignores_a_relative_one(tmp_path):
    assert data_home({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path
    default = Path.home() / ".local" / "share"
    assert data_home({}) == default
    assert data_home({"XDG_DATA_HOME": ""}) == default
    assert data_home({"XDG_DATA_HOME": "relative/share"}) == default  # invalid by the spec


def test_install_writes_the_three_files_and_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["--install-desktop-entry"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"wrote {tmp_path / relative}" for relative in FILES]
    assert [str(relative) for relative in FILES] == [
        f"applications/{APP_ID}.desktop", f"icons/hicolor/scalable/apps/{APP_ID}.svg",
        f"metainfo/{APP_ID}.metainfo.xml"]


def test_install_again_changes_nothing_and_uninstall_removes_everything(tmp_path, capsys):
    install(tmp_path, ["/opt/pft/bin/pft-desktop"])
    before = {relative: (tmp_path / relative).stat().st_mtime_ns for relative in FILES}
    again = install(tmp_path, ["/opt/pft/bin/pft-desktop"])
    assert again == [f"unchanged {tmp_path / relative}" for relative in FILES]
    assert before == {relative: (tmp_path / relative).stat().st_mtime_ns for relative in FILES}
    moved = install(tmp_path, ["/srv/other/bin/pft-desktop"])  # a reinstall elsewhere updates
    assert moved[0] == f"wrote {tmp_path / DESKTOP_FILE}" and moved[1].startswith("unchanged")
    assert uninstall(tmp_path) == [f"removed {tmp_path / relative}" for relative in FILES]
    assert not any((tmp_path / relative).exists() for relative in FILES)
    assert uninstall(tmp_path) == [f"absent {tmp_path / relative}" for relative in FILES]


def test_uninstall_flag_uses_xdg_data_home(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    install(tmp_path, ["/opt/pft/bin/pft-desktop"])
    assert main(["--uninstall-desktop-entry"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"removed {tmp_path / DESKTOP_FILE}"


def test_entry_launches_this_installation_and_names_the_installed_icon(tmp_path):
    install(tmp_path)
    keys = entry_keys(tmp_path / DESKTOP_FILE)
    [launcher] = split_exec(keys["Exec"])  # the pft-desktop script beside this Python
    assert Path(launcher).name == "pft-desktop" and Path(launcher).is_file()
    assert keys["TryExec"] == launcher
    assert keys["Icon"] == ICON_FILE.stem == APP_ID  # an icon name, looked up in the theme
    assert keys["Type"] == "Application" and keys["Terminal"] == "false"


@pytest.mark.parametrize("path", ["/opt/My Apps/bin/pft-desktop", "/home/a$b/100%/pft-desktop",
                                  '/tmp/q"uote`d\\slash/pft-desktop'])
def test_exec_survives_spaces_and_special_characters(tmp_path, path):
    install(tmp_path, [path, "-m", "x"])
    keys = entry_keys(tmp_path / DESKTOP_FILE)
    assert split_exec(keys["Exec"]) == [path, "-m", "x"]


def test_a_plain_path_is_written_unquoted():
    assert exec_argument("/usr/local/bin/pft-desktop") == "/usr/local/bin/pft-desktop"


def test_metainfo_names_the_entry_and_the_command(tmp_path):
    install(tmp_path, ["/opt/pft/bin/pft-desktop"])
    root = ET.parse(tmp_path / METAINFO_FILE).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP_FILE.name
    assert root.findtext("provides/binary") == "pft-desktop"  # the [project.scripts] name


def test_icon_is_an_svg(tmp_path):
    install(tmp_path, ["/opt/pft/bin/pft-desktop"])
    root = ET.parse(tmp_path / ICON_FILE).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox")


@validator
@pytest.mark.parametrize("path", ["/opt/pft/bin/pft-desktop", "/opt/My Apps/$x/pft-desktop"])
def test_desktop_file_validate_accepts_the_entry(tmp_path, path):
    install(tmp_path, [path])
    result = subprocess.run(["desktop-file-validate", str(tmp_path / DESKTOP_FILE)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


@appstream
def test_appstreamcli_accepts_the_installed_tree(tmp_path):
    """validate-tree also checks that the metainfo's launchable names an installed entry."""
    install(tmp_path / "usr" / "share", ["/opt/pft/bin/pft-desktop"])
    result = subprocess.run(["appstreamcli", "validate-tree", "--no-net", "--pedantic",
                             str(tmp_path)], capture_output=True, text=True, timeout=60)
    # Pedantic notes are allowed: the only one is that no release is listed yet.
    assert result.returncode == 0, result.stdout + result.stderr
    assert " E: " not in result.stdout and " W: " not in result.stdout, result.stdout
