"""CPU speed-ups (core.quick_dropout, core.cpu_matmul; core.needed_tokens has its own file):
each does what the plain path does, where it claims to, and stays out where it would not."""

import numpy as np
import pytest
import torch

from pft_desktop.core.cpu_matmul import cpu_has_bf16, matmul_precision_restored, use_bf16_matmul
from pft_desktop.core.events import read_events, last_of
from pft_desktop.core.quick_dropout import QuickDropout, kept_mask, use_quick_dropout
from pft_desktop.core.recipe import run_training
from tests.helpers import classification_config


def test_quick_dropout_drops_the_share_asked_scales_the_rest_and_repeats_with_the_seed():
    layer = torch.nn.Dropout(0.1)
    assert use_quick_dropout(torch.nn.Sequential(layer), "cpu") == 1
    assert isinstance(layer, QuickDropout)
    x = torch.ones(1000, 1000, requires_grad=True)
    np.random.seed(7)
    first = layer(x)
    assert abs(float((first == 0).float().mean()) - 0.1) < 0.002
    assert torch.allclose(first[first != 0], torch.tensor(1 / 0.9))
    assert first.grad_fn.saved_tensors[0].dtype == torch.bool  # a byte a unit, as torch's
    first.sum().backward()
    assert torch.equal(x.grad == 0, first == 0)  # the gradient flows through kept units only
    np.random.seed(7)
    assert torch.equal(layer(x), first)
    layer.eval()
    assert layer(x) is x
    assert use_quick_dropout(torch.nn.Sequential(torch.nn.Dropout(0.1)), "cuda") == 0


def tiny_bert(family="Bert", attention="sdpa", dropout=0.0):
    import transformers

    config = getattr(transformers, f"{family}Config")(
        vocab_size=120, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, hidden_dropout_prob=0.0, attention_probs_dropout_prob=dropout,
        pad_token_id=1)
    config._attn_implementation = attention
    torch.manual_seed(0)
    return getattr(transformers, f"{family}ForSequenceClassification")(config)


def padded_inputs():
    torch.manual_seed(1)
    ids = torch.randint(5, 120, (3, 9))
    mask = torch.ones_like(ids)
    mask[1, 5:], mask[2, 2:] = 0, 0
    return {"input_ids": ids, "attention_mask": mask}


@pytest.mark.parametrize("family", ["Bert", "Roberta", "XLMRoberta", "Electra", "Camembert"])
@pytest.mark.parametrize("attention", ["sdpa", "eager"])
def test_quick_attention_computes_what_the_model_does(family, attention):
    import copy

    plain = tiny_bert(family, attention)
    quick = copy.deepcopy(plain)
    assert use_quick_dropout(quick, "cpu") > 0
    attention_layers = [m for m in quick.modules() if getattr(m, "quick_attention", False)]
    assert len(attention_layers) == 2
    plain.train(), quick.train()
    for layer in attention_layers:  # a dropout that drops nothing: the quick path runs
        layer.dropout.p = 1e-9
    inputs, labels = padded_inputs(), torch.tensor([0, 1, 1])
    expected, got = plain(**inputs, labels=labels), quick(**inputs, labels=labels)
    torch.testing.assert_close(got.logits, expected.logits, atol=1e-5, rtol=1e-5)
    expected.loss.backward()
    got.loss.backward()
    for (name, a), (_, b) in zip(plain.named_parameters(), quick.named_parameters()):
        torch.testing.assert_close(b.grad, a.grad, atol=1e-5, rtol=1e-4, msg=name)


def test_quick_attention_drops_attention_weights_with_numpy_masks():
    model = tiny_bert(dropout=0.3)
    use_quick_dropout(model, "cpu")
    attention = next(m for m in model.modules() if getattr(m, "quick_attention", False))
    model.train()
    hidden = torch.randn(2, 6, 32)
    np.random.seed(3)
    mixed, weights = attention(hidden)
    # The same arithmetic by hand with the same draw: scores, softmax, mask, values.
    heads = lambda x: x.view(2, 6, 4, 8).transpose(1, 2)  # noqa: E731
    q, k, v = (heads(layer(hidden)) for layer in (attention.query, attention.key,
                                                    attention.value))
    np.random.seed(3)
    kept = kept_mask((2, 4, 6, 6), 0.3)
    dropped = (q @ k.transpose(2, 3) * attention.scaling).softmax(-1) * kept / 0.7
    torch.testing.assert_close(weights, dropped)
    torch.testing.assert_close(mixed, (dropped @ v).transpose(1, 2).reshape(2, 6, 32))
    assert 0.2 < float((weights == 0).float().mean()) < 0.4
    model.eval()  # evaluation: the model's own kernel, no dropout
    plain = (q @ k.transpose(2, 3) * attention.scaling).softmax(-1) @ v
    torch.testing.assert_close(attention(hidden)[0], plain.transpose(1, 2).reshape(2, 6, 32))


def test_bf16_products_only_with_auto_precision_on_a_cpu_that_has_them():
    with matmul_precision_restored():
        assert not use_bf16_matmul("cpu", "fp32")
        assert not use_bf16_matmul("cuda", "auto")
        assert use_bf16_matmul("cpu", "auto") == cpu_has_bf16()
    assert torch.backends.mkldnn.matmul.fp32_precision != "bf16"  # given back


@pytest.mark.parametrize("speedups", [True, False])
def test_a_cpu_run_says_which_speedups_it_used(tmp_path, tiny_encoder, sentiment_csv, speedups):
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=6)
    config.method.kind = "full"
    config.method.cpu_speedups = speedups
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome.error
    started = last_of(list(read_events(tmp_path / "run" / "events.jsonl")), "started")
    expected = ["quick_dropout", "needed_tokens"] + (["bf16_matmul"] if cpu_has_bf16() else [])
    assert started["cpu_speedups"] == (expected if speedups else [])
    assert torch.backends.mkldnn.matmul.fp32_precision != "bf16"
