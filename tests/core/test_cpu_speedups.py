"""CPU speed-ups (core.quick_dropout, core.cpu_matmul): each does what the plain path does, where
it claims to, and stays out where it would not."""

import numpy as np
import pytest
import torch

from pft_desktop.core.cpu_matmul import cpu_has_bf16, matmul_precision_restored, use_bf16_matmul
from pft_desktop.core.events import read_events, last_of
from pft_desktop.core.quick_dropout import QuickDropout, use_quick_dropout
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
    expected = ["quick_dropout"] + (["bf16_matmul"] if cpu_has_bf16() else [])
    assert started["cpu_speedups"] == (expected if speedups else [])
    assert torch.backends.mkldnn.matmul.fp32_precision != "bf16"
