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
    path = resources_dir() / "style.qss"
    return path.read_text(encoding="utf-8") if path.is_file() else ""
