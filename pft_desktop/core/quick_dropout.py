"""Dropout on a CPU with masks from numpy's generator instead of torch's.

torch draws a CPU dropout mask one number at a time from a shared generator: about 1.7 ms for
a 32 x 14 x 384 activation here, some 8% of a MiniLM training step. numpy's global generator
fills 16-bit words about three times faster. It is seeded by the Trainer's ``set_seed`` and
saved and restored with each checkpoint, so runs stay reproducible and resume exactly.

BERT-family self-attention hands its dropout to the attention kernel (``dropout_p`` of
``scaled_dot_product_attention``), which on a CPU draws with torch's generator too: 6.2 ms for
a 32 x 12 x 25 x 25 attention against 1.7 ms without dropout. Those layers get the same
arithmetic as transformers' eager attention, with the mask drawn by numpy.
"""

from __future__ import annotations

import numpy as np
import torch


class QuickDropout(torch.nn.Dropout):
    """``nn.Dropout`` with numpy-drawn masks on a CPU; elsewhere torch's own."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p <= 0.0 or x.device.type != "cpu" or self.p >= 1.0:
            return super().forward(x)
        return KeptScaled.apply(x, kept_mask(x.shape, self.p), 1.0 / (1.0 - self.p))


def kept_mask(shape, p: float) -> torch.Tensor:
    """Which units dropout keeps, each with probability 1 - p, drawn by numpy."""
    words = np.frombuffer(np.random.bytes(2 * int(np.prod(shape))), dtype=np.uint16)
    return torch.from_numpy(words >= round(p * 65536)).view(shape)


class KeptScaled(torch.autograd.Function):
    """x times a 0/1 mask times a scale, keeping the mask for the backward pass as bytes (as
    torch's dropout does; a float mask would hold four times the memory). A multiply is about
    twice as fast here as ``masked_fill``."""

    @staticmethod
    def forward(ctx, x, kept, scale):
        ctx.save_for_backward(kept)
        ctx.scale = scale
        return x * kept.to(x.dtype).mul_(scale)

    @staticmethod
    def backward(ctx, grad):
        (kept,) = ctx.saved_tensors
        return grad * kept.to(grad.dtype).mul_(ctx.scale), None, None


def quick_attention(module, query, key, value, attention_mask, scaling, dropout=0.0,
                    **kwargs):
    """Scores, mask, softmax, dropout, values: transformers' eager attention for BERT-family
    layers, with numpy's dropout mask in the layers use_quick_dropout swapped. Takes a boolean
    mask (True attends) or an additive one."""
    weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        if attention_mask.dtype == torch.bool:
            weights = weights.masked_fill(~attention_mask, torch.finfo(weights.dtype).min)
        else:
            weights = weights + attention_mask
    weights = weights.softmax(dim=-1)
    if module.training and dropout > 0.0:
        if getattr(module, "quick_attention", False) and weights.device.type == "cpu":
            weights = KeptScaled.apply(weights, kept_mask(weights.shape, dropout),
                                       1.0 / (1.0 - dropout))
        else:  # the eager path of a module left as it was
            weights = torch.nn.functional.dropout(weights, p=dropout)
    return torch.matmul(weights, value).transpose(1, 2).contiguous(), weights


def uses_quick_attention(attention, hidden_states: torch.Tensor) -> bool:
    """Whether this self-attention module draws its dropout mask with numpy for this call."""
    return (getattr(attention, "quick_attention", False) and attention.training
            and 0.0 < attention.dropout.p < 1.0 and hidden_states.device.type == "cpu")


def quick_self_attention_forward(self, hidden_states, attention_mask=None,
                                 past_key_values=None, **kwargs):
    """BERT's self-attention forward (transformers 5) with quick_attention while it trains on a
    CPU; otherwise the model's own forward and kernel."""
    if past_key_values is not None or not uses_quick_attention(self, hidden_states):
        return super(type(self), self).forward(hidden_states, attention_mask,
                                               past_key_values=past_key_values, **kwargs)
    heads = (*hidden_states.shape[:-1], -1, self.attention_head_size)
    query = self.query(hidden_states).view(heads).transpose(1, 2)
    key = self.key(hidden_states).view(heads).transpose(1, 2)
    value = self.value(hidden_states).view(heads).transpose(1, 2)
    mixed, weights = quick_attention(self, query, key, value, attention_mask,
                                     scaling=self.scaling, dropout=self.dropout.p)
    return mixed.reshape(*hidden_states.shape[:-1], -1).contiguous(), weights


# Model families whose self-attention forward quick_self_attention_forward repeats (tests
# compare each with its own forward).
BERT_FAMILY = frozenset({"bert", "roberta", "xlm_roberta", "electra", "camembert"})


def _bert_self_attention(module) -> bool:
    kind = type(module)
    return (kind.__name__.endswith("SelfAttention")
            and kind.__module__.rsplit(".", 2)[-2] in BERT_FAMILY
            and kind.__module__.startswith("transformers.models.")
            and not getattr(module, "is_decoder", True)
            and all(hasattr(module, name) for name in (
                "query", "key", "value", "attention_head_size", "scaling", "dropout")))


def use_quick_dropout(model, device_kind: str) -> int:
    """Swap the model's dropout layers for QuickDropout, and BERT-family self-attention for
    quick_attention, when training on a CPU; returns how many modules. They keep their
    settings and the saved model does not change."""
    if device_kind != "cpu":
        return 0
    swapped = 0
    for module in model.modules():
        if type(module) is torch.nn.Dropout:
            module.__class__ = QuickDropout
            swapped += 1
        elif _bert_self_attention(module):
            plain = type(module)
            module.__class__ = type(f"Quick{plain.__name__}", (plain,), {
                "forward": quick_self_attention_forward, "quick_attention": True})
            swapped += 1
    return swapped
