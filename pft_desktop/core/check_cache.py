"""What a data check found, kept on disk under its inputs' fingerprints, so that a run
launched on the same inputs reuses it instead of counting tokens again.

The key covers everything the report depends on: each data file's fingerprint (size,
modification time, a hash of its first and last 64 KB), the tokenizer's files, and the config
sections data preparation reads. A changed file, mapping, setting or tokenizer is a new key;
being wrong is worse than being slow, so anything in doubt goes into the key. The folder holds
at most MAX_ENTRIES small JSON files, the least recently used dropped first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from pathlib import Path

VERSION = 1
MAX_ENTRIES = 200
EDGE_BYTES = 1 << 16  # hashed at each end of a file
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                   "added_tokens.json", "vocab.txt", "vocab.json", "merges.txt",
                   "tokenizer.model", "spiece.model", "sentencepiece.bpe.model",
                   "chat_template.jinja", "chat_template.json", "config.json")
# Config sections (whole) and single fields that data preparation reads.
KEY_SECTIONS = ("model", "data", "task", "pretrain", "preference")
KEY_FIELDS = (("training", "seed"), ("method", "kind"))

log = logging.getLogger("pft_desktop")


def cache_dir() -> Path:
    """$PFT_CHECK_CACHE, else the user's cache folder (platformdirs)."""
    if os.environ.get("PFT_CHECK_CACHE"):
        return Path(os.environ["PFT_CHECK_CACHE"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("pft-desktop", appauthor=False)) / "checks"


def file_fingerprint(path: str | Path) -> dict:
    """Size, modification time and a hash of both ends of a file; empty for a path that is
    not a file (gone, or a folder: folders of images or texts are not cached)."""
    path = Path(path).expanduser()
    try:
        stat = path.stat()
    except OSError:
        return {}
    if not path.is_file():
        return {}
    edges = hashlib.sha256()
    with open(path, "rb") as handle:
        edges.update(handle.read(EDGE_BYTES))
        if stat.st_size > EDGE_BYTES:
            handle.seek(max(EDGE_BYTES, stat.st_size - EDGE_BYTES))
            edges.update(handle.read(EDGE_BYTES))
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            "edges": edges.hexdigest()}


def tokenizer_fingerprint(model_path: str | Path) -> dict:
    """The fingerprints of the tokenizer's files in a model folder (empty when it has none)."""
    folder = Path(model_path)
    return {name: file_fingerprint(folder / name) for name in TOKENIZER_FILES
            if (folder / name).is_file()}


def check_key(config, model_path: str | Path | None) -> str | None:
    """The key of a check of ``config``'s data with the tokenizer in ``model_path``; None when
    there is nothing sure to key on: no tokenizer files (a model built from scratch), or data
    that is not a file (a folder)."""
    tokenizer = tokenizer_fingerprint(model_path) if model_path else {}
    settings = config.to_dict()
    data = settings["data"]
    files = {role: file_fingerprint(data[role]) for role in ("train_file", "validation_file")
             if data[role]}
    if not tokenizer or not files.get("train_file") or not all(files.values()):
        return None
    inputs = {
        "version": VERSION, "tokenizer": tokenizer, "files": files,
        "sections": {name: settings.get(name) for name in KEY_SECTIONS},
        "fields": {f"{section}.{name}": settings[section][name] for section, name in KEY_FIELDS},
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


def lookup(key: str | None) -> dict | None:
    """The stored check for ``key``: {"token_lengths": {...}}, or None."""
    if not key:
        return None
    path = cache_dir() / f"{key}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        os.utime(path)  # recently used: dropped last
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("version") != VERSION:
        return None
    return entry


def store(key: str | None, token_lengths: dict) -> None:
    """Keep a check's token length figures under ``key``, then trim the folder."""
    if not key or not token_lengths:
        return
    from pft_desktop.core.rundir import write_json

    folder = cache_dir()
    try:
        write_json(folder / f"{key}.json", {"version": VERSION, "token_lengths": token_lengths},
                   durable=False)
        trim(folder)
    except OSError as exc:  # a cache that cannot be written only costs time
        log.warning("The data check could not be cached in %s: %s", folder, exc)


def trim(folder: Path, pattern: str = "*.json", kept: int | None = None) -> None:
    """Drop all but the ``kept`` (MAX_ENTRIES) most recently used (modified) files matching
    ``pattern``. A file another process removed meanwhile, or still maps on Windows, is
    passed over."""
    kept = MAX_ENTRIES if kept is None else kept
    for old in sorted(folder.glob(pattern), key=last_used, reverse=True)[kept:]:
        with contextlib.suppress(OSError):
            old.unlink()


def last_used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # gone meanwhile
        return 0.0


def reuse_for_run(task, config, info, sink=lambda event: None) -> str | None:
    """Before a run reads its data: hand the task the token length figures a check of these
    exact inputs found (it then counts no tokens for the report), and say so. Returns the key."""
    from pft_desktop.core import events

    key = check_key(config, getattr(info, "path", None))
    task.check_key = key
    entry = lookup(key)
    if entry is None:
        return key
    task.known_lengths = entry["token_lengths"]
    figures = entry["token_lengths"]
    how = (f"estimated from {figures.get('sampled_rows', 0):,} rows" if figures.get("approximate")
           else f"counted over all {figures.get('rows', 0):,} rows")
    text = f"Reusing the data check (token lengths {how})"
    log.info("%s: %s", text, key)
    sink(events.make_event(events.STATUS, text=text))
    return key
