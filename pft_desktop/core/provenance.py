"""What a run was made from: its data files' fingerprints and the software and device it ran
on, recorded at the start, so that resuming (or reopening) the run can say what changed."""

from __future__ import annotations

import hashlib
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

PACKAGES = ("torch", "transformers", "peft", "bitsandbytes", "accelerate", "datasets",
            "tokenizers", "safetensors")


def file_fingerprint(path: str | Path) -> dict:
    """Size, modification time and SHA-256 of a file, or of every file in a folder (about
    0.3 s per 100 MB)."""
    path = Path(path).expanduser()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    digest, size, mtime = hashlib.sha256(), 0, 0.0
    for file in files:
        info = file.stat()
        size, mtime = size + info.st_size, max(mtime, info.st_mtime)
        digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode())
        with open(file, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return {"path": str(path), "size": size, "mtime": round(mtime, 3),
            "sha256": digest.hexdigest()}


def fingerprint_now(recorded: dict) -> dict:
    """A recorded file's fingerprint now, hashed only when its size or modification time
    differ from the record (the window compares each time a run is opened, and must not read
    a large data file for that). A resume hashes in full (``record``)."""
    path = Path(recorded["path"]).expanduser()
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
    stats = [file.stat() for file in files]
    size = sum(info.st_size for info in stats)
    mtime = round(max((info.st_mtime for info in stats), default=0.0), 3)
    if size == recorded.get("size") and mtime == recorded.get("mtime"):
        return recorded
    return file_fingerprint(path)


def environment(device: dict | None = None) -> dict:
    """Python, the ML libraries' versions (read from their metadata, nothing imported) and the
    device."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"python": platform.python_version(), "platform": sys.platform,
            "packages": versions, "device": (device or {}).get("name", "")}


def record(config, device: dict | None = None) -> dict:
    data = {"train_file": file_fingerprint(config.data.train_file)}
    if config.data.validation_file:
        data["validation_file"] = file_fingerprint(config.data.validation_file)
    return {"time": time.time(), "data": data, "environment": environment(device)}


def differences(before: dict, now: dict) -> list[str]:
    """What changed between two records, one sentence each, for the person resuming a run."""
    found = []
    for role, old in (before.get("data") or {}).items():
        new = (now.get("data") or {}).get(role)
        if new is None or new.get("sha256") != old.get("sha256"):
            what = role.replace("_", " ")
            found.append(f"The {what} {Path(old.get('path', '')).name} changed since the run "
                         f"started ({_size(old)} then, {_size(new)} now): the resumed run trains "
                         "on different data than before.")
    old_env, new_env = before.get("environment") or {}, now.get("environment") or {}
    for name, version in (old_env.get("packages") or {}).items():
        current = (new_env.get("packages") or {}).get(name)
        if current != version:
            found.append(f"{name} is {current or 'not installed'} now; the run started with "
                         f"{version or 'none'}.")
    for key, label in (("python", "Python"), ("device", "The device")):
        if old_env.get(key) and new_env.get(key) and old_env[key] != new_env[key]:
            found.append(f"{label} is {new_env[key]} now; the run started on {old_env[key]}.")
    return found


def _size(record: dict | None) -> str:
    if not record:
        return "missing"
    from pft_desktop.core.models import human_bytes

    return human_bytes(record.get("size", 0))
