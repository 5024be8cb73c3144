"""Export a trained run as an adapter folder (PEFT) or a merged full model folder.

The export is written into a hidden staging folder beside the destination and renamed into place
only when complete, so a failure (a full disk, a crash) never leaves a half-written model.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from pft_desktop.core.errors import UserError, is_disk_full
from pft_desktop.core.modelcard import model_card
from pft_desktop.core.rundir import (RUN_INFO, RunFolder, check_new_folder, ordinary_permissions,
                                     write_atomic)
from pft_desktop.core.verify import verify_export

ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors", "adapter_model.bin")


def read_run_info(model_dir: Path) -> dict:
    try:
        return json.loads((model_dir / RUN_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def trained_model_dir(run_dir: str | Path) -> Path:
    folder = RunFolder(run_dir)
    if not folder.model_dir.is_dir() or not (folder.model_dir / RUN_INFO).is_file():
        if not folder.exists():
            raise UserError("not_a_run", f"{folder.path} is not a pft-desktop run folder.",
                            "Choose the folder a run was written to (it holds config.toml).")
        if folder.state() == "diverged":
            raise UserError("diverged", f"The run {folder.name} diverged, so its broken weights "
                            "were not saved and there is nothing to export.", "Start a new run "
                            "with a lower learning rate (see the run's message).")
        raise UserError("no_model", f"The run in {folder.path.name} has no trained model yet.",
                        "Let the run finish, or stop it (which saves the model), then export.")
    return folder.model_dir


def _check_destination(out_dir: Path) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise UserError("export_exists", f"{out_dir} already exists and is not empty.",
                        "Choose a new folder name for the export.")


def _check_space(parent: Path, needed: int) -> None:
    parent.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(parent).free
    if free < needed * 1.1 + (16 << 20):
        raise UserError("no_disk_space", f"Not enough disk space to export: about "
                        f"{needed / 2**20:.0f} MB is needed and {free / 2**20:.0f} MB is free "
                        f"on the drive of {parent}.", "Free some space or export to another "
                        "drive.")


def _folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def estimate_export_bytes(model_dir: Path, kind: str, info: dict) -> int:
    if kind == "merged" and info.get("is_adapter"):
        from pft_desktop.core.models import inspect_model

        return inspect_model(info["base_model"]).parameters * 4 + _folder_size(model_dir)
    return _folder_size(model_dir)


def export_run(run_dir: str | Path, out_dir: str | Path, kind: str,
               progress: Callable[[str], None] = lambda text: None) -> Path:
    """Write the run's model to ``out_dir`` as ``adapter`` or ``merged``; returns out_dir."""
    if kind not in ("adapter", "merged"):
        raise UserError("invalid_export", f"Unknown export kind '{kind}'.",
                        "Export as 'adapter' or 'merged'.")
    model_dir = trained_model_dir(run_dir)
    info = read_run_info(model_dir)
    out_dir = check_new_folder(Path(out_dir).expanduser().resolve(), "export folder")
    _check_destination(out_dir)
    if kind == "adapter" and not info.get("is_adapter"):
        raise UserError("no_adapter", f"This run used '{info.get('method')}', which trains the "
                        "model's own weights, so there is no adapter to export.",
                        "Export it as a merged (full) model instead.")
    progress("Checking disk space")
    _check_space(out_dir.parent, estimate_export_bytes(model_dir, kind, info))
    staging = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.partial-"))
    try:
        if kind == "adapter":
            progress("Copying the adapter")
            _write_adapter(model_dir, staging, info)
        else:
            progress("Merging the adapter into the base model" if info.get("is_adapter")
                     else "Writing the model")
            _write_merged(model_dir, staging, info)
        metrics = json.loads((model_dir.parent / "metrics.json").read_text(encoding="utf-8")) \
            if (model_dir.parent / "metrics.json").is_file() else {}
        write_atomic(staging / "README.md", model_card(info, metrics, kind))
        shutil.copy2(model_dir / RUN_INFO, staging / RUN_INFO)
        progress("Checking that the export predicts like the trained model")
        verify_export(staging, model_dir)
        progress("Moving the export into place")
        ordinary_permissions(staging)
        if out_dir.exists():
            out_dir.rmdir()
        staging.rename(out_dir)
    except Exception as exc:  # safetensors reports a full disk with its own error type
        shutil.rmtree(staging, ignore_errors=True)
        if is_disk_full(exc):
            raise UserError("no_disk_space", "The disk filled up during the export; nothing was "
                            "left behind.", "Free some space or export to another drive.") \
                from None
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


def _write_adapter(model_dir: Path, staging: Path, info: dict) -> None:
    for path in model_dir.iterdir():
        if path.is_file() and path.name not in (RUN_INFO, "README.md"):
            shutil.copy2(path, staging / path.name)
    config_path = staging / "adapter_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["base_model_name_or_path"] = info.get("base_model_source") or info.get("base_model")
    write_atomic(config_path, json.dumps(config, indent=2, sort_keys=True) + "\n")


def _write_merged(model_dir: Path, staging: Path, info: dict) -> None:
    from pft_desktop.core.predict import load_model_for_inference

    model, tokenizer, _ = load_model_for_inference(model_dir, merge=True)
    model.save_pretrained(staging, safe_serialization=True)
    tokenizer.save_pretrained(staging)
