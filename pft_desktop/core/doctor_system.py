"""The doctor's checks of the machine around the libraries: free disk space where runs and
hub models go, whether the hub answers, and whether Qt can start (see ``doctor``)."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from pathlib import Path

from pft_desktop.core.doctor import GIB, Check, find_constraints, gib, pip_install

DISK_PROBLEM_BELOW = 1 * GIB    # a checkpoint of even a small model would not fit
DISK_WARNING_BELOW = 10 * GIB   # one 7B model in bf16 is about 14 GB
HUB_TIMEOUT_S = 3.0


# -- disk ---------------------------------------------------------------------------------------
def check_disk(path: Path, what: str, fix: str) -> Check:
    """Free space where ``path`` is (or will be: the nearest existing folder above it)."""
    existing = Path(path).expanduser().absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    usage = shutil.disk_usage(existing)
    writable = os.access(existing, os.W_OK)
    facts = {"path": str(path), "exists": Path(path).exists(), "measured_at": str(existing),
             "free_bytes": usage.free, "total_bytes": usage.total, "writable": writable}
    where = f"{what} {path}: {gib(usage.free)} free of {gib(usage.total)}"
    if usage.free < DISK_PROBLEM_BELOW:
        return Check("", "problem", f"{where}; a run or a model needs more.", fix, facts)
    if not writable:
        return Check("", "problem", f"{what} {path} cannot be written to ({existing}).", fix,
                     facts)
    if usage.free < DISK_WARNING_BELOW:
        return Check("", "warning", f"{where}; enough for small models only.", fix, facts)
    return Check("", "ok", f"{where}.", None, facts)


def check_runs_folder() -> Check:
    from pft_desktop.core.runstore import runs_root

    return check_disk(runs_root(), "Runs folder", "Free space there, or keep runs on a larger "
                      "disk: File > Settings > Runs folder, or `pft-desktop --runs-root DIR` "
                      "(or export PFT_RUNS_ROOT=DIR).")


def check_hub_cache() -> Check:
    from huggingface_hub import constants

    return check_disk(Path(constants.HF_HUB_CACHE), "Hub cache", "Remove models you no longer "
                      "need (`hf cache ls`, then `hf cache rm MODEL`), or move the cache to a "
                      "larger disk: export HF_HUB_CACHE=DIR.")


# -- network ------------------------------------------------------------------------------------
def check_hub(timeout: float = HUB_TIMEOUT_S) -> Check:
    """A HEAD request to the hub's endpoint. Unreachable is a warning (local models still
    work); HF_HUB_OFFLINE set means it is not contacted at all."""
    import urllib.error
    import urllib.request

    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
    facts = {"endpoint": endpoint, "offline_env": os.environ.get("HF_HUB_OFFLINE")}
    if os.environ.get("HF_HUB_OFFLINE", "").upper() in ("1", "ON", "YES", "TRUE"):
        return Check("", "skipped", f"Offline by choice (HF_HUB_OFFLINE={facts['offline_env']}): "
                     "the hub is not contacted; models come from local folders and the cache.",
                     None, facts)
    outcome = {}

    def head():
        started = time.monotonic()
        try:
            request = urllib.request.Request(endpoint, method="HEAD")
            with urllib.request.urlopen(request, timeout=timeout) as response:
                outcome["status"] = response.status
        except urllib.error.HTTPError as error:
            outcome["status"] = error.code
        except Exception as error:  # noqa: BLE001 - any failure to connect means offline
            outcome["error"] = str(getattr(error, "reason", error))
        outcome["seconds"] = round(time.monotonic() - started, 2)

    worker = threading.Thread(target=head, daemon=True)  # name lookup ignores socket timeouts
    worker.start()
    worker.join(timeout + 1)
    facts.update(outcome)
    if "status" in outcome and outcome["status"] < 500:
        return Check("", "ok", f"{endpoint} is reachable (HTTP {outcome['status']} in "
                     f"{outcome['seconds']} s).", None, facts)
    reason = (f"HTTP {outcome['status']}" if "status" in outcome else outcome.get("error")
              or f"no answer within {timeout:g} s")
    return Check("", "warning", f"offline: {endpoint} could not be reached ({reason}). Hub "
                 "models cannot be downloaded; local folders and the cache still work.",
                 "Check the network or proxy (HTTPS_PROXY), or set HF_HUB_OFFLINE=1 to work "
                 "from local files without trying the hub.", facts)


# -- Qt -----------------------------------------------------------------------------------------
def check_qt(environ: dict | None = None) -> Check:
    """The platform plugin Qt would use here and the system libraries it lacks (qt_platform
    knows the list and the install command)."""
    from importlib import metadata

    from pft_desktop import qt_platform

    env = os.environ if environ is None else environ
    try:
        pyside = metadata.version("PySide6-Essentials")
    except metadata.PackageNotFoundError:
        pyside = None
    facts = {"pyside6": pyside, "QT_QPA_PLATFORM": env.get("QT_QPA_PLATFORM"),
             "DISPLAY": env.get("DISPLAY"), "WAYLAND_DISPLAY": env.get("WAYLAND_DISPLAY")}
    if not sys.platform.startswith("linux"):
        import importlib.util

        found = importlib.util.find_spec("PySide6") is not None
        return Check("", "ok" if found else "problem", f"PySide6 {pyside or 'is not installed'} "
                     f"on {sys.platform}; Qt brings its own libraries here.", None if found else
                     pip_install(["PySide6-Essentials"], find_constraints()), facts)
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip().lower() or (
        "wayland" if env.get("WAYLAND_DISPLAY") else "xcb")
    plugin = qt_platform.check_plugin(chosen)
    facts["platform"], facts["plugin"] = chosen, plugin.to_dict()
    if plugin.plugin is None:
        return Check("", "problem", f"Qt's {chosen} platform plugin was not found: PySide6 is "
                     "missing or incomplete.", pip_install(
                         ["--force-reinstall", "--no-deps",
                          f"PySide6-Essentials{'==' + pyside if pyside else ''}"]), facts)
    if not plugin.ok:
        return Check("", "problem", f"Qt cannot start with its {chosen} platform plugin: "
                     f"missing system libraries {' '.join(plugin.missing)}.",
                     plugin.command() or plugin.message(), facts)
    if chosen != "xcb":  # offscreen or wayland now; a window on X11 may still be wanted
        xcb = qt_platform.check_plugin("xcb")
        facts["xcb"] = xcb.to_dict()
        if not xcb.ok and xcb.plugin is not None:
            return Check("", "warning", f"Qt uses the {chosen} platform here; on X11 it could "
                         f"not open a window, missing: {' '.join(xcb.missing)}.",
                         xcb.command() or xcb.message(), facts)
    display = {"xcb": "DISPLAY", "wayland": "WAYLAND_DISPLAY"}.get(chosen)
    if display and not env.get(display):
        return Check("", "warning", f"No display ({display} is not set): the app cannot open "
                     "its window from here; the commands need none.", "Start it from your "
                     "desktop session, over `ssh -X`, or with a virtual display: "
                     "xvfb-run -a pft-desktop", facts)
    return Check("", "ok", f"PySide6 {pyside}: Qt's {chosen} platform plugin finds all its "
                 "libraries.", None, facts)
