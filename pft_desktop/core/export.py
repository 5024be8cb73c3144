"""Export a trained run as an adapter folder (PEFT), a merged full model folder, or (a causal
language model) GGUF files with an Ollama Modelfile.

The export is written into a hidden staging folder beside the destination and renamed into place
only when complete, so a failure (a full disk, a crash) never leaves a half-written model.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Sequence

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
    with _staged(out_dir) as staging:
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
    return out_dir


@contextmanager
def _staged(out_dir: Path):
    """A hidden folder beside ``out_dir`` to write the export into, renamed into place only
    when everything in the block succeeded; on any failure nothing is left behind (a full
    disk, reported by safetensors with its own error type, becomes a clear message)."""
    staging = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.partial-"))
    try:
        yield staging
        ordinary_permissions(staging)
        if out_dir.exists():
            out_dir.rmdir()
        staging.rename(out_dir)
    except Exception as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if is_disk_full(exc):
            raise UserError("no_disk_space", "The disk filled up during the export; nothing was "
                            "left behind.", "Free some space or export to another drive.") \
                from None
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_adapter(model_dir: Path, staging: Path, info: dict) -> None:
    for path in model_dir.iterdir():
        if path.is_file() and path.name not in (RUN_INFO, "README.md"):
            shutil.copy2(path, staging / path.name)
    config_path = staging / "adapter_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["base_model_name_or_path"] = info.get("base_model_source") or info.get("base_model")
    write_atomic(config_path, json.dumps(config, indent=2, sort_keys=True) + "\n")


def _write_merged(model_dir: Path, staging: Path, info: dict) -> None:
    """The merged model and its tokenizer (chat template included); a chat model's
    generation_config.json stops at the template's end of turn, checked after writing."""
    from pft_desktop.core.predict import load_model_for_inference
    from pft_desktop.core.tasks import get_task

    model, tokenizer, loaded = load_model_for_inference(model_dir, merge=True)
    task = loaded.get("task")
    chat_model = bool(task) and get_task(task).chat and \
        bool(getattr(tokenizer, "chat_template", None))
    if chat_model:
        from pft_desktop.core.chat import stop_token_ids

        stops = stop_token_ids(tokenizer)
        model.generation_config.eos_token_id = stops if len(stops) > 1 else stops[0]
        if tokenizer.pad_token_id is not None:
            model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(staging, safe_serialization=True)
    tokenizer.save_pretrained(staging)
    if chat_model:
        check_generation_stops(model, tokenizer, staging)


def check_generation_stops(model, tokenizer, export_dir: Path) -> None:
    """The export, read back as a user's code would (its tokenizer and generation_config.json),
    keeps the chat template and stops generating at every stop token, the template's end of
    turn included. A random or barely trained model never writes that token by itself, so
    the reply is forced to be [some token, the stop token, ...]: ``generate`` must end right
    after the stop token, and runs on to the token limit when the stop list lacks it."""
    from transformers import AutoTokenizer, GenerationConfig

    from pft_desktop.core.chat import end_of_turn_token, render_prompt, stop_token_ids

    saved = AutoTokenizer.from_pretrained(export_dir)
    if saved.chat_template != tokenizer.chat_template:
        raise UserError("export_mismatch", "The merged export lost the model's chat template, "
                        "so it was not kept.", "Export the adapter instead, and report this "
                        "with the run's train.log.")
    config = GenerationConfig.from_pretrained(export_dir)
    wanted = stop_token_ids(saved)
    prompt = saved(render_prompt(saved, [{"role": "user", "content": "Hi"}]),
                   return_tensors="pt", add_special_tokens=False)
    start = prompt["input_ids"].shape[1]
    filler = next(i for i in range(len(saved)) if i not in saved.all_special_ids)
    for stop in wanted:
        forced = [filler, stop, filler, filler]
        output = model.generate(**prompt, generation_config=config, do_sample=False,
                                max_new_tokens=len(forced),
                                prefix_allowed_tokens_fn=lambda _, ids: [
                                    forced[min(len(ids) - start, len(forced) - 1)]])
        if output[0, start:].tolist() != forced[:2]:
            token = saved.convert_ids_to_tokens(stop)
            kind = "end-of-turn" if token == end_of_turn_token(saved) else "end"
            raise UserError("export_mismatch", f"The merged export does not stop generating at "
                            f"its {kind} token {token} (generation_config.json's eos_token_id "
                            f"is {config.eos_token_id}), so it was not kept.", "Export the "
                            "adapter instead, and report this with the run's train.log.")


def export_gguf(run_dir: str | Path, out_dir: str | Path,
                quant: str | Sequence[str] = "q8_0",
                progress: Callable[[str], None] = lambda text: None) -> Path:
    """Write a causal language model run as ``<run name>-<quant>.gguf`` (one per type in
    ``quant``: a name, a comma-separated list or a list) and an Ollama ``Modelfile`` (for the
    first type; ``Modelfile.<quant>`` for the others) into ``out_dir``. Each file is read back
    with transformers and compared with the merged model before it is kept; returns out_dir."""
    from pft_desktop.core import gguf_export

    quants = _quant_list(quant)
    model_dir = trained_model_dir(run_dir)
    info = read_run_info(model_dir)
    _check_causal_lm(info, model_dir)
    _check_architecture_early(model_dir, info)
    out_dir = check_new_folder(Path(out_dir).expanduser().resolve(), "export folder")
    _check_destination(out_dir)
    progress("Merging the adapter into the base model" if info.get("is_adapter")
             else "Loading the model")
    from pft_desktop.core.predict import load_model_for_inference

    model, tokenizer, info = load_model_for_inference(model_dir, merge=True)
    gguf_export.gguf_architecture(model)  # refuse before writing anything
    parameters = sum(p.numel() for p in model.parameters())
    progress("Checking disk space")
    _check_space(out_dir.parent, sum(gguf_export.estimate_gguf_bytes(parameters, q)
                                     for q in quants))
    name = re.sub(r"[^\w.-]+", "-", RunFolder(run_dir).name).strip("-.") or "model"
    with _staged(out_dir) as staging:
        for index, q in enumerate(quants):
            progress(f"Writing and checking {name}-{q}.gguf")
            written = gguf_export.export_gguf_file(model, tokenizer, staging / f"{name}-{q}.gguf",
                                                   q, name)
            progress(f"{written.path.name}: {written.size / 2**20:.1f} MB, next-token logits "
                     f"within {written.logit_error:.2%} of the merged model's")
            write_atomic(staging / ("Modelfile" if index == 0 else f"Modelfile.{q}"),
                         _modelfile(tokenizer, written.path.name, info))
    return out_dir


def _quant_list(quant: str | Sequence[str]) -> list[str]:
    from pft_desktop.core.gguf_export import quant_type

    quants = [q.strip().lower() for q in (quant.split(",") if isinstance(quant, str) else quant)
              if q.strip()]
    for q in quants:
        quant_type(q)  # a UserError naming the types for an unknown one
    if not quants:
        raise UserError("invalid_export", "No GGUF type was given.", "Give one, e.g. q8_0.")
    return list(dict.fromkeys(quants))


def _check_causal_lm(info: dict, model_dir: Path) -> None:
    from pft_desktop.core.tasks import get_task

    task = info.get("task") or ""
    if not task or get_task(task).auto_class_for(info) != "AutoModelForCausalLM":
        raise UserError("gguf_not_causal_lm", f"The run in {model_dir.parent.name} trained a "
                        f"{task or 'model'} model; GGUF files (llama.cpp, Ollama) hold text "
                        "generators.", "Export it as a merged folder or an adapter instead; "
                        "GGUF export is for causal language model runs.")


def _check_architecture_early(model_dir: Path, info: dict) -> None:
    """Refuse an architecture GGUF export cannot write before merging or loading anything, when
    the model's (or the adapter's base model's) config.json is at hand."""
    from pft_desktop.core.gguf_export import architecture_of

    folders = [model_dir] + ([Path(info["base_model"]).expanduser()]
                             if info.get("base_model") else [])
    for folder in folders:
        try:
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if config.get("architectures"):
            architecture_of(config["architectures"])
        return


def _modelfile(tokenizer, gguf_name: str, info: dict) -> str:
    from pft_desktop.core.gguf_export import adds_bos
    from pft_desktop.core.modelfile import modelfile_text

    system = ((info.get("config") or {}).get("task") or {}).get("system_prompt") or ""
    return modelfile_text(tokenizer, gguf_name, system, adds_bos(tokenizer))


def export_onnx(run_dir: str | Path, out_dir: str | Path, int8: bool = False,
                progress: Callable[[str], None] = lambda text: None) -> Path:
    """Write an encoder run (a LoRA run merged first) as ``model.onnx`` (and, with ``int8``, a
    dynamically quantized ``model_int8.onnx``) with its tokenizer, config and a README into
    ``out_dir``. Each file is run in onnxruntime and compared with the trained model on the
    task's probe before anything is kept (core.onnx_export); returns out_dir."""
    from pft_desktop.core import onnx_export

    onnx_export.require_packages()
    model_dir = trained_model_dir(run_dir)
    info = read_run_info(model_dir)
    onnx_export.check_task(info, model_dir)
    out_dir = check_new_folder(Path(out_dir).expanduser().resolve(), "export folder")
    _check_destination(out_dir)
    progress("Merging the adapter into the base model" if info.get("is_adapter")
             else "Loading the model")
    source = onnx_export.load_source(model_dir)
    progress("Checking disk space")
    _check_space(out_dir.parent, onnx_export.estimate_bytes(source.parameters, int8))
    with _staged(out_dir) as staging:
        onnx_export.write_export(source, staging, int8, progress)
        shutil.copy2(model_dir / RUN_INFO, staging / RUN_INFO)
        progress("Moving the export into place")
    return out_dir
