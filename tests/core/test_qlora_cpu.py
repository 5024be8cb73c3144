"""QLoRA through bitsandbytes on the CPU: gradients must match a dequantized fp32 reference,
also after an eval-mode forward (where bitsandbytes 0.50 repacks weights and, unless the
recipe turns that off, later gradients are wrong)."""

import importlib.util

import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("bitsandbytes") is None,
                                reason="bitsandbytes is not installed")


def _lora_settings(kind):
    from pft_desktop.core.config import MethodSettings

    return MethodSettings(kind=kind, lora_r=4, lora_alpha=8, lora_dropout=0.0)


def _batch(tokenizer):
    import torch

    batch = tokenizer(["the film was great fun", "a dull and boring plot"],
                      return_tensors="pt", padding=True)
    batch["labels"] = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    torch.manual_seed(0)
    return batch


def _quantized_lora_model(path, kind):
    import torch
    from transformers import AutoModelForCausalLM

    from pft_desktop.core.methods import Device, apply_method, quantization_config
    from pft_desktop.core.tasks import get_task

    device = Device("cpu", "CPU", False)
    model = AutoModelForCausalLM.from_pretrained(
        path, quantization_config=quantization_config(kind, device),
        device_map={"": "cpu"}, dtype=torch.float32)
    return apply_method(model, _lora_settings(kind), get_task("causal-lm"), "llama", device)


def _reference_like(quantized, path, kind):
    """The same network in fp32: dequantized base weights, identical LoRA weights."""
    import bitsandbytes as bnb
    import torch
    from transformers import AutoModelForCausalLM

    from pft_desktop.core.methods import Device, apply_method
    from pft_desktop.core.tasks import get_task

    reference = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    reference = apply_method(reference, _lora_settings("lora"), get_task("causal-lm"), "llama",
                             Device("cpu", "CPU", False))
    modules = dict(reference.named_modules())
    for name, module in quantized.named_modules():
        if isinstance(module, bnb.nn.Linear4bit):
            weight = bnb.functional.dequantize_4bit(module.weight.data, module.weight.quant_state)
        elif isinstance(module, bnb.nn.Linear8bitLt):
            scale = module.weight.SCB if module.weight.SCB is not None else module.state.SCB
            weight = module.weight.data.float() * scale.float().unsqueeze(1) / 127
        else:
            continue
        modules[name].weight.data.copy_(weight.reshape(modules[name].weight.shape))
    reference_params = dict(reference.named_parameters())
    for name, parameter in quantized.named_parameters():
        if "lora_" in name:
            reference_params[name].data.copy_(parameter.data)
    return reference


def _lora_grads(model, batch):
    model.train()
    model.zero_grad()
    model(**batch).loss.backward()
    return {n: p.grad.detach().clone() for n, p in model.named_parameters() if "lora_" in n}


@pytest.mark.parametrize("kind", ["qlora-4bit", "qlora-8bit"])
def test_lora_gradients_match_dequantized_reference_after_eval(tiny_decoder, kind):
    import torch

    from pft_desktop.core.recipe import load_tokenizer
    from pft_desktop.core.tasks.causal_lm import ensure_pad_token

    tokenizer = load_tokenizer(str(tiny_decoder))
    ensure_pad_token(tokenizer)
    batch = _batch(tokenizer)
    model = _quantized_lora_model(tiny_decoder, kind)
    torch.manual_seed(1)
    for name, parameter in model.named_parameters():
        if "lora_B" in name:  # B starts at zero; make it non-zero so A gets a gradient
            parameter.data.normal_(0, 0.5)
    model.eval()
    with torch.no_grad():  # the first eval forward is where bitsandbytes would repack
        model(**batch)
    grads = _lora_grads(model, batch)
    reference = _reference_like(model, tiny_decoder, kind)
    expected = _lora_grads(reference, batch)
    assert grads.keys() == expected.keys() and len(grads) > 0
    for name, grad in grads.items():
        error = (grad - expected[name]).norm() / expected[name].norm().clamp_min(1e-12)
        assert error < 2e-3, f"{name}: relative gradient error {error:.2e}"


def test_qlora_4bit_classification_trains_end_to_end(tmp_path, tiny_encoder, sentiment_csv):
    from helpers import classification_config
    from pft_desktop.core.recipe import run_training

    config = classification_config(tiny_encoder, sentiment_csv, max_steps=4)
    config.method.kind = "qlora-4bit"
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome
    assert (tmp_path / "run" / "model" / "adapter_model.safetensors").is_file()
