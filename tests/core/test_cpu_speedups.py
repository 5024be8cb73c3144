"""CPU speed-ups (core.embedding_rows, core.quick_dropout, core.cpu_matmul): each computes what
the plain path computes, where it claims to, and stays out where it would not."""

import numpy as np
import pytest
import torch

from pft_desktop.core.cpu_matmul import cpu_has_bf16, matmul_precision_restored, use_bf16_matmul
from pft_desktop.core.embedding_rows import RowSparseAdamW, clip_with_rows, use_sparse_rows
from pft_desktop.core.events import read_events, last_of
from pft_desktop.core.quick_dropout import QuickDropout, use_quick_dropout
from pft_desktop.core.recipe import run_training
from tests.helpers import classification_config


class Bag(torch.nn.Module):
    """An embedding and a dense layer: the shape of an encoder with a head."""

    def __init__(self, sparse: bool):
        super().__init__()
        torch.manual_seed(0)
        self.embed = torch.nn.Embedding(6, 4, sparse=sparse)
        self.head = torch.nn.Linear(4, 1)

    def forward(self, ids):
        return self.head(self.embed(ids)).pow(2).mean()


def train(model, optimizer, batches, clip=None):
    for ids in batches:
        model(ids).backward()
        if clip:
            clip(list(model.parameters()))
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)


def test_row_updates_equal_adamw_when_every_row_is_in_every_batch():
    batches = [torch.tensor([[0, 1, 2, 3, 4, 5, 2]]), torch.tensor([[5, 4, 3, 2, 1, 0, 0]])] * 3
    dense, rows = Bag(sparse=False), Bag(sparse=True)
    settings = {"lr": 0.05, "weight_decay": 0.1}
    train(dense, torch.optim.AdamW(dense.parameters(), **settings), batches)
    train(rows, RowSparseAdamW(rows.parameters(), **settings), batches)
    assert rows.embed.weight.grad is None  # zero_grad left nothing behind
    for a, b in zip(dense.parameters(), rows.parameters()):
        assert torch.allclose(a, b, atol=1e-6), (a, b)


def test_a_row_no_batch_uses_keeps_its_weights_and_the_state_is_adamw_s():
    model = Bag(sparse=True)
    before = model.embed.weight.detach().clone()
    optimizer = RowSparseAdamW(model.parameters(), lr=0.05, weight_decay=0.1)
    train(model, optimizer, [torch.tensor([[0, 1, 1]]), torch.tensor([[1, 2]])])
    assert torch.equal(model.embed.weight[3:], before[3:])  # never used: untouched, no decay
    assert not torch.equal(model.embed.weight[:3], before[:3])
    state = optimizer.state[model.embed.weight]
    assert set(state) == {"step", "exp_avg", "exp_avg_sq"} and float(state["step"]) == 2
    assert state["exp_avg"][3:].abs().sum() == 0 and state["exp_avg"][1].abs().sum() > 0
    resumed = torch.optim.AdamW(Bag(sparse=False).parameters(), lr=0.05)
    resumed.load_state_dict(optimizer.state_dict())  # a checkpoint either optimizer reads


def test_clipping_with_rows_scales_like_torch_on_the_dense_gradient():
    ids = torch.tensor([[0, 2, 2, 5]])  # a repeated token: its row counts once, summed
    dense, rows = Bag(sparse=False), Bag(sparse=True)
    dense(ids).backward()
    rows(ids).backward()
    expected = torch.nn.utils.clip_grad_norm_(list(dense.parameters()), 0.01)
    total = clip_with_rows(list(rows.parameters()), 0.01)
    assert torch.allclose(total, expected)
    assert torch.allclose(rows.embed.weight.grad.to_dense(), dense.embed.weight.grad)
    assert torch.allclose(rows.head.weight.grad, dense.head.weight.grad)


def test_row_gradients_only_where_the_embedding_is_trained_and_not_tied(tiny_encoder):
    from transformers import AutoModelForMaskedLM, AutoModelForSequenceClassification

    classifier = AutoModelForSequenceClassification.from_pretrained(tiny_encoder, num_labels=2)
    assert not use_sparse_rows(classifier, "cuda", 1)
    assert not use_sparse_rows(classifier, "cpu", 2)  # several processes average dense ones
    assert use_sparse_rows(classifier, "cpu", 1)
    assert classifier.get_input_embeddings().sparse
    masked_lm = AutoModelForMaskedLM.from_pretrained(tiny_encoder)  # its decoder shares them
    assert not use_sparse_rows(masked_lm, "cpu", 1)
    frozen = AutoModelForSequenceClassification.from_pretrained(tiny_encoder, num_labels=2)
    frozen.get_input_embeddings().weight.requires_grad_(False)
    assert not use_sparse_rows(frozen, "cpu", 1)


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
    expected = ["embedding_rows", "quick_dropout"] + (["bf16_matmul"] if cpu_has_bf16() else [])
    assert started["cpu_speedups"] == (expected if speedups else [])
    assert torch.backends.mkldnn.matmul.fp32_precision != "bf16"
