"""Files the app ships (style sheet, sample data), found in the checkout or the installed
package, read with importlib.resources where they are packaged."""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    from importlib.resources import files

    return Path(str(files("pft_desktop") / "resources"))


def sample_data() -> Path:
    return resources_dir() / "sample" / "reviews.csv"


def style_sheet() -> str:
    """The style sheet, with its icon URLs pointing at the shipped icons (Qt resolves a
    relative url() against the working directory, not the style sheet's folder)."""
    path = resources_dir() / "style.qss"
    if not path.is_file():
        return ""
    icons = (resources_dir() / "icons").as_posix()
    return path.read_text(encoding="utf-8").replace("@ICONS@", icons)
