"""The files the app ships are read from inside the package (pft_desktop/assets) with
importlib.resources, so an installed wheel finds them; a zipped package gets real copies."""

import csv
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pft_desktop
from pft_desktop.resources import app_icon, asset, sample_data, style_sheet

PACKAGE = Path(pft_desktop.__file__).resolve().parent


def test_sample_data_is_the_packaged_csv():
    path = sample_data()
    assert path.resolve().is_relative_to(PACKAGE / "assets"), path
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 600 and set(rows[0]) == {"review", "sentiment"}
    assert {row["sentiment"] for row in rows} == {"positive", "negative"}


def test_demo_config_trains_on_the_packaged_sample(tmp_path):
    from pft_desktop.core.demo import demo_config

    assert Path(demo_config(tmp_path).data.train_file) == sample_data()


def test_every_icon_the_style_sheet_uses_exists():
    sheet = style_sheet()
    assert "@ICONS@" not in sheet
    urls = re.findall(r"url\(([^)]+)\)", sheet)
    assert urls, "the style sheet should draw the spin and combo box arrows"
    assert [url for url in urls if not Path(url).is_file()] == []


def test_app_icon_and_desktop_templates_are_packaged():
    assert app_icon().is_file() and app_icon().suffix == ".svg"
    for name in ("io.github.pft_desktop.desktop.in", "io.github.pft_desktop.metainfo.xml"):
        assert asset("desktop", name).is_file(), name


def test_a_zipped_package_extracts_real_files_to_the_cache(tmp_path):
    """From a zip (zipapp, some freezers) Qt and the data loader still need real paths: the
    assets are copied into the user cache, which outlives the process."""
    archive = tmp_path / "pft.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in [PACKAGE / "__init__.py", PACKAGE / "resources.py",
                     *(p for p in (PACKAGE / "assets").rglob("*") if p.is_file()
                       and "__pycache__" not in p.parts)]:
            zipped.write(path, path.relative_to(PACKAGE.parent).as_posix())
    code = ("import pft_desktop, re\n"
            "from pft_desktop.resources import sample_data, style_sheet\n"
            "print(pft_desktop.__file__)\nprint(sample_data())\n"
            "print(re.search(r'url\\(([^)]+)\\)', style_sheet())[1])\n")
    cache = tmp_path / "cache"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"PYTHONPATH": str(archive), "XDG_CACHE_HOME": str(cache),
                                 "HOME": str(tmp_path)}, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    package, sample, icon = result.stdout.splitlines()
    assert package.startswith(str(archive)), "the test must import the zipped copy"
    assert Path(sample).is_relative_to(cache) and Path(icon).is_relative_to(cache)
    assert Path(sample).read_bytes() == (PACKAGE / "assets" / "sample" / "reviews.csv").read_bytes()
    assert Path(icon).is_file()
