"""The user's settings that outlive a window: a small versioned JSON file in the user's config
folder (window geometry and recent folders stay in QSettings, in the app).

    {"version": 1, "runs_root": "/path/to/runs", "language": "zh_CN", "theme": "dark",
     "offline": false, "hub_cache": ""}

language "" follows the system locale; theme is "system", "light" or "dark"; offline keeps every
process of the app away from the Hugging Face Hub; hub_cache "" is huggingface_hub's default.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

VERSION = 1
DEFAULTS = {"runs_root": "", "language": "", "theme": "system", "offline": False,
            "hub_cache": ""}


def settings_file() -> Path:
    if os.environ.get("PFT_SETTINGS_FILE"):
        return Path(os.environ["PFT_SETTINGS_FILE"])
    from platformdirs import user_config_dir

    return Path(user_config_dir("pft-desktop", appauthor=False)) / "settings.json"


def load_settings() -> dict:
    """The settings, with defaults for anything missing. A file from a newer version keeps the
    keys this version knows; a damaged file reads as the defaults."""
    try:
        data = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return dict(DEFAULTS)
    if not isinstance(data, dict):
        return dict(DEFAULTS)
    return {key: data.get(key, default) for key, default in DEFAULTS.items()}


def save_settings(**changes) -> dict:
    from pft_desktop.core.rundir import write_json

    unknown = set(changes) - set(DEFAULTS)
    if unknown:
        raise KeyError(f"unknown settings: {', '.join(sorted(unknown))}")
    settings = {**load_settings(), **changes}
    write_json(settings_file(), {"version": VERSION, **settings})
    return settings
