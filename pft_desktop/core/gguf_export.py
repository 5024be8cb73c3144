"""Write a merged causal language model as one GGUF file (what llama.cpp and Ollama run), and
check the file by reading it back with transformers before it is kept.

Everything format-specific comes from the ``gguf`` package (llama.cpp's own Python side): the
writer, the architecture names, the tensor name map and the quantizers, so the file follows
llama.cpp's layout rather than a copy of it. What is ours: which architectures and tokenizers
are accepted (the ones transformers' GGUF reader can load back, so every file is checked), and
which tensors stay unquantized.

The check that each file passes before it is kept lives in ``gguf_check``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pft_desktop.core.errors import UserError

QUANT_TYPES = ("f16", "q8_0", "q4_0", "f32")
DEFAULT_QUANT = "q8_0"
# transformers class -> llama.cpp architecture name (Mistral is written as llama, as llama.cpp
# does: same tensors, same rope; llama.cpp ignores its sliding window too)
ARCHITECTURES = {"LlamaForCausalLM": "llama", "MistralForCausalLM": "llama",
                 "Qwen2ForCausalLM": "qwen2", "GPT2LMHeadModel": "gpt2"}
BYTES_PER_WEIGHT = {"f32": 4.0, "f16": 2.0, "q8_0": 34 / 32, "q4_0": 18 / 32}
# GPT-2 Conv1D weights are (in, out); llama.cpp wants (out, in)
_GPT2_TRANSPOSED = (".c_attn.weight", ".c_proj.weight", ".c_fc.weight")


@dataclass
class GgufFile:
    """What was written and how it compared when read back."""

    path: Path
    quant: str
    size: int
    architecture: str
    tensor_types: dict = field(default_factory=dict)  # type -> how many tensors
    layout: dict = field(default_factory=dict)  # transformers name -> (GGUF name, type)
    logit_error: float = float("nan")  # max |logit difference| / max |logit|
    weight_error: float = float("nan")  # worst weight error / what its type allows (<= 1)


def gguf_architecture(model) -> str:
    """llama.cpp's name for the model's architecture, or a UserError naming what is supported
    and what stands in the way."""
    config = model.config
    arch = architecture_of(list(getattr(config, "architectures", None) or []) +
                           [type(model).__name__])
    rope = getattr(config, "rope_parameters", None) or getattr(config, "rope_scaling", None) or {}
    kind = rope.get("rope_type") or rope.get("type") or "default"
    if kind != "default":
        raise _unsupported(f"rope scaling ('{kind}')", "transformers cannot read it back from "
                           "a GGUF file, so the file could not be checked.")
    if arch == "gpt2":
        if config.n_positions != 1024 or (config.n_inner or 4 * config.n_embd) != 4 * config.n_embd:
            raise _unsupported("this GPT-2's shape", "transformers reads a GPT-2 GGUF file back "
                               "only with 1024 positions and a feed-forward layer 4x the width.")
        return arch
    if getattr(config, "attention_bias", False) or getattr(config, "mlp_bias", False):
        raise _unsupported("attention or MLP biases in a Llama", "llama.cpp's llama has none.")
    if getattr(config, "hidden_act", "silu") != "silu":
        raise _unsupported(f"the activation {config.hidden_act}", "llama.cpp's llama and "
                           "qwen2 use SiLU.")
    return arch


def architecture_of(names: list[str]) -> str:
    """llama.cpp's name for the first supported transformers class in ``names`` (a config's
    ``architectures``), or a UserError naming the first of them."""
    arch = next((ARCHITECTURES[name] for name in names if name in ARCHITECTURES), None)
    if arch is None:
        raise _unsupported(f"the architecture {names[0]}", "GGUF export supports Llama, "
                           "Mistral, Qwen2 and GPT-2 models.")
    return arch


def _unsupported(what: str, why: str) -> UserError:
    return UserError("gguf_unsupported", f"GGUF export does not support {what}: {why}",
                     "Export a merged folder (--merged) instead; llama.cpp's "
                     "convert_hf_to_gguf.py can convert it.")


def quant_type(quant: str):
    """The gguf package's type for one of QUANT_TYPES, or a UserError listing them."""
    import gguf

    if quant not in QUANT_TYPES:
        raise UserError("invalid_export", f"Unknown GGUF type '{quant}'.",
                        f"Choose one of {', '.join(QUANT_TYPES)}.")
    return gguf.GGMLQuantizationType[quant.upper()]


def _file_type(quant: str):
    import gguf

    return {"f32": gguf.LlamaFileType.ALL_F32, "f16": gguf.LlamaFileType.MOSTLY_F16,
            "q8_0": gguf.LlamaFileType.MOSTLY_Q8_0,
            "q4_0": gguf.LlamaFileType.MOSTLY_Q4_0}[quant]


def _hyperparameters(writer, arch: str, config) -> None:
    if arch == "gpt2":
        writer.add_context_length(config.n_positions)
        writer.add_embedding_length(config.n_embd)
        writer.add_feed_forward_length(config.n_inner or 4 * config.n_embd)
        writer.add_block_count(config.n_layer)
        writer.add_head_count(config.n_head)
        writer.add_layer_norm_eps(config.layer_norm_epsilon)
        return
    heads = config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    rope = getattr(config, "rope_parameters", None) or {}
    writer.add_vocab_size(config.vocab_size)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_head_count(heads)
    writer.add_head_count_kv(getattr(config, "num_key_value_heads", None) or heads)
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_rope_freq_base(float(rope.get("rope_theta", getattr(config, "rope_theta",
                                                                   10000.0))))
    if arch == "llama":
        writer.add_rope_dimension_count(head_dim)
    if head_dim != config.hidden_size // heads:
        writer.add_key_length(head_dim)
        writer.add_value_length(head_dim)


def _tensor_type(gguf_name: str, shape, quant: str, tied: bool):
    """Norms and biases stay f32 (as llama.cpp keeps them); a row that does not fill whole
    quantization blocks falls back to f16; with 4-bit the output layer (the embedding when
    tied) stays 8-bit, as llama.cpp's own 4-bit files keep it at higher precision too."""
    import gguf

    wanted = quant_type(quant)
    if len(shape) < 2 or gguf_name.startswith("position_embd"):
        return gguf.GGMLQuantizationType.F32
    if quant == "q4_0" and gguf_name == ("token_embd.weight" if tied else "output.weight"):
        wanted = gguf.GGMLQuantizationType.Q8_0
    block, _ = gguf.GGML_QUANT_SIZES[wanted]
    if shape[-1] % block:
        return gguf.GGMLQuantizationType.F16
    return wanted


def _permute_rope_rows(weights, heads: int):
    """HF orders each head's rotary dimensions as two halves; llama.cpp's llama rope pairs
    neighbouring rows, so Q and K rows are interleaved (transformers' GGUF reader undoes it)."""
    return (weights.reshape(heads, 2, weights.shape[0] // heads // 2, *weights.shape[1:])
            .swapaxes(1, 2).reshape(weights.shape))


def gguf_layout(arch: str, config, name: str, gguf_name: str, data):
    """One weight as llama.cpp stores it: Q/K rows interleaved (llama), Conv1D transposed."""
    if arch == "llama" and re.search(r"\.attn_[qk]\.", gguf_name):
        heads = config.num_attention_heads if ".attn_q." in gguf_name else \
            (getattr(config, "num_key_value_heads", None) or config.num_attention_heads)
        return _permute_rope_rows(data, heads)
    if arch == "gpt2" and name.endswith(_GPT2_TRANSPOSED):
        return data.T.copy()
    return data


def _weights(model, arch: str):
    """(transformers name, GGUF name, float32 array in GGUF layout) for every weight, named
    with the gguf package's tensor name map."""
    import gguf
    import torch

    config = model.config
    tied = bool(getattr(config, "tie_word_embeddings", False))
    arch_id = next(key for key, value in gguf.MODEL_ARCH_NAMES.items() if value == arch)
    layers = config.n_layer if arch == "gpt2" else config.num_hidden_layers
    names = gguf.get_tensor_name_map(arch_id, layers)
    for name, tensor in model.state_dict().items():
        if tied and name == "lm_head.weight":
            continue  # the embedding matrix again; llama.cpp ties when output is absent
        if name.endswith((".attn.bias", ".attn.masked_bias", ".rotary_emb.inv_freq")):
            continue  # buffers, not weights
        gguf_name = names.get_name(name, try_suffixes=(".weight", ".bias"))
        if gguf_name is None:
            raise _unsupported(f"the weight '{name}' of this {type(model).__name__}",
                               "the gguf package has no place for it.")
        data = tensor.detach().to(torch.float32).cpu().numpy()
        yield name, gguf_name, gguf_layout(arch, config, name, gguf_name, data)


def _pre_tokenizer_name(backend: dict) -> str:
    """llama.cpp's name for how a byte-level BPE splits text before merging: GPT-2's own
    rule, or a split pattern transformers' GGUF reader also knows by name (Llama 3, Qwen2...)."""
    from transformers.integrations.gguf.gguf_tokenizer_mapping import \
        GGUF_PRE_TOKENIZER_SPLITS

    pre = backend.get("pre_tokenizer") or {}
    if pre.get("type") == "ByteLevel" and pre.get("use_regex", True) and \
            not pre.get("add_prefix_space", False):
        return "gpt-2"
    steps = pre.get("pretokenizers", []) if pre.get("type") == "Sequence" else []
    if len(steps) == 2 and steps[0].get("type") == "Split" and \
            steps[1].get("type") == "ByteLevel" and not steps[1].get("use_regex", True):
        pattern = (steps[0].get("pattern") or {}).get("Regex")
        names = [name for name, split in GGUF_PRE_TOKENIZER_SPLITS.items() if split == pattern]
        if names:
            return names[0]
    raise UserError("gguf_unsupported", "GGUF export cannot describe this tokenizer's "
                    "pre-tokenizer to llama.cpp, so the file would split text differently "
                    "from the trained model.", "Export a merged folder (--merged) and convert "
                    "it with llama.cpp's convert_hf_to_gguf.py, which knows more tokenizers.")


def _adds(tokenizer, token_id) -> tuple[bool, bool]:
    """Whether the tokenizer puts ``token_id`` before / after a text on its own: measured, as
    the post-processor has many ways to say it."""
    if token_id is None:
        return False, False
    plain = tokenizer("a b", add_special_tokens=False)["input_ids"]
    full = tokenizer("a b")["input_ids"]
    extra = len(full) - len(plain)
    return (extra > 0 and full[0] == token_id and full[1:len(plain) + 1] == plain,
            extra > 0 and full[-1] == token_id and full[:len(plain)] == plain)


def adds_bos(tokenizer) -> bool:
    """Whether the tokenizer starts every text with its start token (llama.cpp will too)."""
    return _adds(tokenizer, tokenizer.bos_token_id)[0]


def _check_tokenizer_kind(tokenizer, vocab_size: int) -> dict:
    """The tokenizer's tokenizers-library description, if it is a byte-level BPE that fits the
    model's embedding; a UserError otherwise."""
    if not getattr(tokenizer, "is_fast", False):
        raise _unsupported("a tokenizer without tokenizer.json", "the file needs the fast "
                           "tokenizer's vocabulary and merges.")
    backend = json.loads(tokenizer.backend_tokenizer.to_str())
    model = backend.get("model") or {}
    byte_level = "ByteLevel" in json.dumps(backend.get("pre_tokenizer"))
    # llama.cpp applies no normalizer; NFC (Qwen2's) leaves text typed as usual unchanged
    normalizer = (backend.get("normalizer") or {}).get("type")
    if model.get("type") != "BPE" or not byte_level or normalizer not in (None, "NFC"):
        kind = f"{model.get('type')}{'' if byte_level else ', not byte-level'}" + \
            (f", with a {normalizer} normalizer" if normalizer else "")
        raise _unsupported(f"this tokenizer ({kind})", "it supports byte-level BPE tokenizers "
                           "(GPT-2, Llama 3, Qwen2 and the ones pft-desktop trains).")
    if len(tokenizer) > vocab_size:
        raise _unsupported(f"a tokenizer of {len(tokenizer)} tokens for {vocab_size} "
                           "embedding rows", "the file cannot hold tokens without a row.")
    return backend


def add_tokenizer(writer, tokenizer, vocab_size: int) -> None:
    """The vocabulary, merges, special ids and chat template as GGUF metadata, for a
    byte-level BPE tokenizer."""
    import gguf

    from pft_desktop.core.chat import end_of_turn_token

    backend = _check_tokenizer_kind(tokenizer, vocab_size)
    added = tokenizer.added_tokens_decoder
    tokens, types = [], []
    for index in range(vocab_size):  # rows past the tokenizer are padding, as llama.cpp names them
        token = tokenizer.convert_ids_to_tokens(index) if index < len(tokenizer) else None
        if token is None:
            tokens.append(f"[PAD{index}]")
            types.append(gguf.TokenType.UNUSED)
        else:
            tokens.append(token)
            types.append(gguf.TokenType.NORMAL if index not in added else
                         gguf.TokenType.CONTROL if added[index].special else
                         gguf.TokenType.USER_DEFINED)
    merges = [merge if isinstance(merge, str) else " ".join(merge)
              for merge in backend["model"].get("merges") or []]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(_pre_tokenizer_name(backend))
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    for kind in ("bos", "eos", "unk", "pad"):
        token_id = getattr(tokenizer, f"{kind}_token_id", None)
        if token_id is not None:
            getattr(writer, f"add_{kind}_token_id")(int(token_id))
    writer.add_add_bos_token(adds_bos(tokenizer))
    writer.add_add_eos_token(_adds(tokenizer, tokenizer.eos_token_id)[1])
    template = getattr(tokenizer, "chat_template", None)
    if isinstance(template, str) and template:
        writer.add_chat_template(template)
        token = end_of_turn_token(tokenizer)
        if token is not None and token != tokenizer.eos_token:
            writer.add_eot_token_id(int(tokenizer.convert_tokens_to_ids(token)))


def write_gguf(model, tokenizer, path: str | Path, quant: str = DEFAULT_QUANT,
               name: str = "") -> GgufFile:
    """Write ``model`` (a merged causal LM in memory, float32) and ``tokenizer`` as a GGUF
    file at ``path``. Not checked: ``export_gguf_file`` writes, checks, then keeps."""
    import gguf
    import numpy as np

    arch = gguf_architecture(model)
    qtype = quant_type(quant)
    config, path = model.config, Path(path)
    tied = bool(getattr(config, "tie_word_embeddings", False))
    written = GgufFile(path, quant, 0, arch)
    writer = gguf.GGUFWriter(path, arch)
    try:
        writer.add_name(name or path.stem)
        writer.add_file_type(_file_type(quant))
        if qtype not in (gguf.GGMLQuantizationType.F32, gguf.GGMLQuantizationType.F16):
            writer.add_quantization_version(gguf.GGML_QUANT_VERSION)
        _hyperparameters(writer, arch, config)
        add_tokenizer(writer, tokenizer, config.vocab_size)
        for hf_name, gguf_name, data in _weights(model, arch):
            kind = _tensor_type(gguf_name, data.shape, quant, tied)
            if kind == gguf.GGMLQuantizationType.F32:
                writer.add_tensor(gguf_name, data)
            elif kind == gguf.GGMLQuantizationType.F16:
                writer.add_tensor(gguf_name, data.astype(np.float16))
            else:
                writer.add_tensor(gguf_name, gguf.quants.quantize(data, kind), raw_dtype=kind)
            written.layout[hf_name] = (gguf_name, kind.name)
            written.tensor_types[kind.name.lower()] = \
                written.tensor_types.get(kind.name.lower(), 0) + 1
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
    finally:
        writer.close()
    written.size = path.stat().st_size
    return written


def export_gguf_file(model, tokenizer, path: str | Path, quant: str = DEFAULT_QUANT,
                     name: str = "") -> GgufFile:
    """Write the file aside (in a hidden folder beside ``path``, where transformers finds no
    other tokenizer or config to read instead), check it, and only then move it into place;
    a file that fails the check is removed."""
    import shutil
    import tempfile

    from pft_desktop.core.gguf_check import verify_gguf

    path = Path(path)
    aside = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.part-"))
    try:
        written = verify_gguf(write_gguf(model, tokenizer, aside / path.name, quant, name),
                              model, tokenizer)
        written.path.replace(path)
    finally:
        shutil.rmtree(aside, ignore_errors=True)
    written.path = path
    return written


def estimate_gguf_bytes(parameters: int, quant: str) -> int:
    """About how large the file will be (the 1-D tensors stay f32; they are few)."""
    return int(parameters * BYTES_PER_WEIGHT.get(quant, 4.0)) + (8 << 20)
