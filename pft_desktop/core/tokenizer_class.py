"""The tokenizer class of a model folder, found without transformers' auto classes.

transformers 5's AutoTokenizer imports its configuration module, which imports torch: a data
check that only counts tokens paid 2.7 s and about 190 MB for it (SST-2 prepared in 4.1 s and
407 MB peak, against 1.35 s and 223 MB with the tokenizer class named directly). Most model
folders name their class in tokenizer_config.json, and where that class is the model type's
own (BertTokenizer for "bert"), AutoTokenizer loads exactly that class with the same
arguments. Anything less certain (remote code, no tokenizer.json, a class from another model's
family, LlamaTokenizer, which AutoTokenizer swaps for a byte-level backend) is left to
AutoTokenizer.
"""

from __future__ import annotations

import json
from pathlib import Path

# AutoTokenizer loads the generic backend instead when tokenizer.json is byte-level.
SWAPPED_BY_AUTO = frozenset({"LlamaTokenizer"})


def declared_class_name(path: str | Path) -> str | None:
    """The class AutoTokenizer would load for the local folder ``path`` when it is certain
    from the files alone, else None."""
    folder = Path(path)
    if not (folder / "tokenizer.json").is_file():
        return None
    tokenizer_config, model_config = _json(folder / "tokenizer_config.json"), \
        _json(folder / "config.json")
    if tokenizer_config is None or model_config is None:
        return None
    if "auto_map" in tokenizer_config or "auto_map" in model_config:
        return None  # code shipped with the model may define or pick its tokenizer
    declared = tokenizer_config.get("tokenizer_class")
    model_type = model_config.get("model_type")
    if not isinstance(declared, str) or not isinstance(model_type, str) or not model_type:
        return None
    name = declared.removesuffix("Fast")
    if name in SWAPPED_BY_AUTO:
        return None
    return name if own_family(name, model_type) else None


def own_family(class_name: str, model_type: str) -> bool:
    """Whether ``class_name`` is defined in the tokenization module of ``model_type``."""
    import transformers

    module = model_type.replace("-", "_")
    try:
        cls = getattr(transformers, class_name)
    except (AttributeError, ImportError):
        return False
    return getattr(cls, "__module__", "") == f"transformers.models.{module}.tokenization_{module}"


def load_declared(path: str | Path):
    """The folder's tokenizer through its declared class, or None where AutoTokenizer must
    decide (declared_class_name)."""
    name = declared_class_name(path)
    if name is None:
        return None
    import transformers

    return getattr(transformers, name).from_pretrained(str(path))


def _json(file: Path) -> dict | None:
    try:
        value = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None
