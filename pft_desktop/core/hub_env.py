"""The Hugging Face Hub settings (offline mode, the cache folder) as environment variables.

huggingface_hub and transformers read these variables, not our settings file, so this is the
one place that turns the settings into them: the app's own process applies them at start and
when they change, and every child it starts (checks, downloads, exports, the runner and its
accelerate ranks) gets them in its environment.
"""

from __future__ import annotations

import os
from pathlib import Path

OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
CACHE_VARIABLE = "HF_HUB_CACHE"
HUB_VARIABLES = (*OFFLINE_VARIABLES, CACHE_VARIABLE)

_set_here: dict[str, str | None] = {}  # variable -> its value before apply_to_process set it


def hub_environment(settings: dict | None = None) -> dict[str, str]:
    """The variables the settings ask for: offline mode sets HF_HUB_OFFLINE and
    TRANSFORMERS_OFFLINE to 1; a hub cache folder sets HF_HUB_CACHE. Nothing for defaults."""
    if settings is None:
        from pft_desktop.core.settings import load_settings

        settings = load_settings()
    env = {}
    if settings.get("offline"):
        env.update(dict.fromkeys(OFFLINE_VARIABLES, "1"))
    cache = str(settings.get("hub_cache") or "").strip()
    if cache:
        env[CACHE_VARIABLE] = str(Path(cache).expanduser())
    return env


def child_environment(base: dict | None = None, settings: dict | None = None) -> dict:
    """A child process's environment: ``base`` (this process's by default) with the hub
    settings on top. A variable the user exported stays when the settings ask for nothing."""
    env = dict(os.environ if base is None else base)
    env.update(hub_environment(settings))
    return env


def apply_to_process(settings: dict | None = None) -> dict[str, str]:
    """Set the hub variables in this process, and undo what an earlier call set that the
    settings no longer ask for (offline switched off, the cache back to the default)."""
    wanted = hub_environment(settings)
    for name in HUB_VARIABLES:
        if name in wanted:
            _set_here.setdefault(name, os.environ.get(name))
            os.environ[name] = wanted[name]
        elif name in _set_here:
            before = _set_here.pop(name)
            if before is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = before
    return wanted


def is_offline(environ: dict | None = None) -> bool:
    """Whether hub access is off, by the variables themselves (the settings or the user's)."""
    env = os.environ if environ is None else environ
    return any(env.get(name, "").strip().upper() in ("1", "ON", "YES", "TRUE")
               for name in OFFLINE_VARIABLES)
