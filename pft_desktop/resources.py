"""Files the app ships (style sheet, icons, sample data, the desktop entry's templates).

They live inside the package, in ``pft_desktop/assets``, and are read with importlib.resources,
so a checkout, an editable install and an installed wheel all find the same files.
"""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

ASSETS = "assets"
# The desktop entry, icon and AppStream metadata share this reverse-DNS id (their file names too).
APP_ID = "io.github.pft_desktop"


def asset(*parts: str):
    """An asset as an importlib.resources Traversable (read_text/read_bytes work everywhere)."""
    resource = files("pft_desktop").joinpath(ASSETS)
    for part in parts:
        resource = resource.joinpath(part)
    return resource


def asset_path(*parts: str) -> Path:
    """An asset as a real file-system path, for readers that need one (the data loader, Qt's
    url() in the style sheet, the desktop entry's icon).

    An installed wheel is a folder of files, so this is the packaged file itself. From a zipped
    package it is a copy in the user cache: as_file()'s temporary copy would vanish while the
    path is still in use (the sample's path is saved in run configs)."""
    resource = asset(*parts)
    if isinstance(resource, Path):
        return resource
    return _extracted(resource, parts)


def _extracted(resource, parts: tuple[str, ...]) -> Path:
    from platformdirs import user_cache_dir

    from pft_desktop import __version__

    target = Path(user_cache_dir("pft-desktop", appauthor=False), f"assets-{__version__}",
                  *parts)
    _copy(resource, target)
    return target


def _copy(resource, target: Path) -> None:
    if resource.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for child in resource.iterdir():
            _copy(child, target / child.name)
        return
    data = resource.read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(data)
        shutil.move(partial, target)  # whole or absent, even if two apps extract at once


def sample_data() -> Path:
    """The bundled sample reviews (600 rows, review/sentiment), as a path for the data loader."""
    return asset_path("sample", "reviews.csv")


def app_icon() -> Path:
    """The app's icon (SVG), for the window and the desktop entry."""
    return asset_path("desktop", f"{APP_ID}.svg")


def style_sheet(dark: bool = False) -> str:
    """The style sheet, with its icon URLs pointing at the shipped icons (Qt resolves a
    relative url() against the working directory, not the style sheet's folder). Dark is the
    light sheet with style_dark.qss after it: later rules win, so that file holds colours only.
    A missing file raises: it means a broken install, which an unstyled window would only hide."""
    icons = asset_path("icons").as_posix()
    names = ("style.qss", "style_dark.qss") if dark else ("style.qss",)
    sheet = "\n".join(asset(name).read_text(encoding="utf-8") for name in names)
    return sheet.replace("@ICONS@", icons)
