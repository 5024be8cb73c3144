"""Check a GGUF file by reading it back with transformers before it is kept.

``verify_gguf`` reads the file back with ``AutoModelForCausalLM`` and ``AutoTokenizer``
(``gguf_file=``) and asks four things, so a wrong file cannot pass by hiding in quantization
noise:
- the tokenizer gives the same ids on probe texts (exactly);
- the model's shape settings (heads, norms' epsilon, rope base...) read back the same;
- every weight lies within what its type's rounding allows of the merged model's weight
  (``WEIGHT_ERROR``, per block of 32), so a misplaced, unpermuted or missing tensor fails at
  any type;
- next-token logits on a probe differ from the merged model's by at most ``LOGIT_TOLERANCE``
  of the largest logit: an end-to-end bound that also says when 4-bit hurts a model too much.

Measured here (transformers 5.23, gguf 0.19, CPU): the largest logit difference over the
check's probe (80-120 tokens), as a fraction of the largest logit; every weight was within its
bound.

    model (random weights unless said)          f16      q8_0    q4_0    sizes f16/q8_0/q4_0
    Llama, hidden 32, 2 layers (tests' tiny)     0.0003   0.010   0.11    99 / 57 / 42 kB
    Llama, hidden 256, 4 layers, 8/4 heads       0.0009   0.016   0.26    6.2 / 4.0 / 2.8 MB
    Qwen2, hidden 64, tied embeddings            0.0002   0.0045  0.046   211 / 118 / 81 kB
    GPT-2, hidden 64, 2 layers                   0.0003   0.006   0.052   527 / 411 / 362 kB
    Llama, hidden 32, pretrained here 60 steps   0.0001   0.003   0.019   140 / 81 / 57 kB
    Llama, hidden 256, weights 5x the usual      0.0027   0.068   0.71    (q8_0, q4_0 refused)

The last row is a random network far more sensitive than a trained one; its q8_0 and q4_0
files are refused. A 4-bit file keeps the output layer at 8 bits, as llama.cpp's do.
"""

from __future__ import annotations

from pft_desktop.core.errors import UserError
from pft_desktop.core.gguf_export import GgufFile, gguf_layout

# Largest rounding error of one weight, as a fraction of the largest |weight| in its block of
# 32 (f16 and f32: of the weight itself). q8_0 stores round(x / d) with d = max/127 in f16;
# q4_0 stores 16 levels of d = max/8, and the level opposite the maximum is clipped to 7.
WEIGHT_ERROR = {"F32": 0.0, "F16": 2.0 ** -11, "Q8_0": 1 / 254 + 2.0 ** -11,
                "Q4_0": 1 / 8 + 2.0 ** -10}
# Largest difference of next-token logits (GGUF read back vs the merged model) over the probe,
# as a fraction of the largest |logit| (measured figures in the module docstring)
LOGIT_TOLERANCE = {"f32": 1e-4, "f16": 0.01, "q8_0": 0.05, "q4_0": 0.35}
PROBE_TEXT = ("The film was great fun, the plot dull. Naïve café, 12345 + 678 = 13023!\n\n"
              "  Indented\tline — “quoted” 🙂 ok?")


def probe_texts(tokenizer) -> list[str]:
    """Texts the file's tokenizer must split exactly as the model's: mixed scripts, digits,
    whitespace runs, and a conversation in the model's chat template (its turn tokens)."""
    texts = [PROBE_TEXT]
    if getattr(tokenizer, "chat_template", None):
        from pft_desktop.core.chat import render

        texts.append(render(tokenizer, [{"role": "user", "content": "What colour is the sky?"},
                                        {"role": "assistant", "content": "Blue, mostly."},
                                        {"role": "user", "content": "And at night?"}],
                            generation_prompt=True))
    if tokenizer.eos_token:
        texts.append(f"one{tokenizer.eos_token}two")
    return texts


def verify_gguf(written: GgufFile, model, tokenizer) -> GgufFile:
    """Read ``written.path`` back with transformers and compare it with ``model`` and
    ``tokenizer``; returns ``written`` with its errors filled in, or raises a UserError. Its
    folder must hold no tokenizer or config files: transformers would read those instead."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from pft_desktop.core.library_noise import quiet_libraries

    quiet_libraries()
    folder, name = written.path.parent, written.path.name
    try:
        loaded_tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
        loaded = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name,
                                                      dtype=torch.float32).eval()
    except Exception as exc:  # any reader failure means the file is not usable as written
        raise _failed(written, f"transformers could not read it back ({type(exc).__name__}: "
                      f"{str(exc)[:200]})") from None
    for text in probe_texts(tokenizer):
        for specials in (True, False):
            want = tokenizer(text, add_special_tokens=specials, verbose=False)["input_ids"]
            got = loaded_tokenizer(text, add_special_tokens=specials, verbose=False)["input_ids"]
            if list(want) != list(got):
                raise _failed(written, f"its tokenizer splits {text[:40]!r} differently")
    _compare_config(written, model.config, loaded.config)
    written.weight_error = _compare_weights(written, model, loaded)
    written.logit_error = _compare_logits(written, model, loaded, tokenizer)
    return written


def _failed(written: GgufFile, why: str, fix: str = "") -> UserError:
    return UserError("gguf_mismatch", f"The {written.quant} GGUF file did not match the "
                     f"trained model: {why}. It was not kept.", fix or "Export as a merged "
                     "folder (--merged) instead, and report this with the run's train.log.")


_SHAPE = {"llama": ("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                    "num_attention_heads", "num_key_value_heads", "head_dim", "rms_norm_eps",
                    "tie_word_embeddings"),
          "gpt2": ("vocab_size", "n_embd", "n_layer", "n_head", "n_positions",
                   "layer_norm_epsilon", "activation_function")}
_SHAPE["qwen2"] = _SHAPE["llama"]


def _compare_config(written: GgufFile, config, loaded) -> None:
    """The settings that shape the computation, and the rope base, read back the same."""
    import math

    def rope_base(c):
        return (getattr(c, "rope_parameters", None) or {}).get("rope_theta")

    pairs = [(key, getattr(config, key, None), getattr(loaded, key, None))
             for key in _SHAPE[written.architecture]] + \
        [("rope_theta", rope_base(config), rope_base(loaded))]
    for key, want, got in pairs:
        same = math.isclose(want, got, rel_tol=1e-6) if isinstance(want, float) and \
            isinstance(got, (int, float)) else want == got
        if not same:
            raise _failed(written, f"{key} reads back as {got!r} instead of {want!r}")


def _compare_weights(written: GgufFile, model, loaded) -> float:
    """Each weight read back, within what its type's rounding allows of the model's (per
    block of 32 in llama.cpp's layout); returns the worst error as a fraction of that."""
    import numpy as np
    import torch

    config, arch = model.config, written.architecture
    theirs = loaded.state_dict()
    worst = 0.0
    for name, tensor in model.state_dict().items():
        if name not in written.layout:
            continue
        if name not in theirs or theirs[name].shape != tensor.shape:
            raise _failed(written, f"the weight {name} is missing or misshapen")
        gguf_name, kind = written.layout[name]
        ours, back = (gguf_layout(arch, config, name, gguf_name,
                                   t.detach().to(torch.float32).cpu().numpy())
                      for t in (tensor, theirs[name]))
        if kind in ("F32", "F16"):
            scale = np.abs(ours)
        else:  # quantized per block of 32 along the last dimension
            blocks = np.abs(ours).reshape(*ours.shape[:-1], -1, 32)
            scale = np.broadcast_to(blocks.max(-1, keepdims=True), blocks.shape) \
                .reshape(ours.shape)
        allowed = WEIGHT_ERROR[kind] * scale * 1.001 + 1e-7  # f16's smallest step is 6e-8
        ratio = float((np.abs(back - ours) / allowed).max()) if ours.size else 0.0
        if ratio > 1.0:
            raise _failed(written, f"the weight {name} ({gguf_name}) is off by up to "
                          f"{ratio:.3g}x what {kind} rounding allows")
        worst = max(worst, ratio)
    return worst


def _compare_logits(written: GgufFile, model, loaded, tokenizer) -> float:
    """Next-token logits at every position of the probe, within the type's tolerance."""
    import torch

    config = model.config
    context = getattr(config, "max_position_embeddings", None) or getattr(config, "n_positions")
    text = "\n".join(probe_texts(tokenizer))
    ids = torch.tensor([tokenizer(text, verbose=False)["input_ids"][:min(256, context)]])
    with torch.no_grad():
        want = model(input_ids=ids).logits.float()
        got = loaded(input_ids=ids).logits.float()
    error = float((want - got).abs().max() / want.abs().max().clamp_min(1e-6))
    if not error <= LOGIT_TOLERANCE[written.quant]:
        raise _failed(written, f"its next-token logits differ by {error:.1%} of the largest, "
                      f"more than the {LOGIT_TOLERANCE[written.quant]:.0%} allowed for "
                      f"{written.quant}", "Export as q8_0 (or f16): 4-bit rounding changes "
                      "this model too much." if written.quant == "q4_0" else "")
    return error
