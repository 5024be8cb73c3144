"""Dropout on a CPU with masks from numpy's generator instead of torch's.

torch draws a CPU dropout mask one number at a time from a shared generator: about 1.7 ms for
a 32 x 14 x 384 activation here, some 8% of a MiniLM training step. numpy's global generator
fills 16-bit words about three times faster. It is seeded by the Trainer's ``set_seed`` and
saved and restored with each checkpoint, so runs stay reproducible and resume exactly.
"""

from __future__ import annotations

import numpy as np
import torch


class QuickDropout(torch.nn.Dropout):
    """``nn.Dropout`` with numpy-drawn masks on a CPU; elsewhere torch's own."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p <= 0.0 or x.device.type != "cpu" or self.p >= 1.0:
            return super().forward(x)
        words = np.frombuffer(np.random.bytes(2 * x.numel()), dtype=np.uint16)
        kept = torch.from_numpy(words >= round(self.p * 65536)).view(x.shape)
        return KeptScaled.apply(x, kept, 1.0 / (1.0 - self.p))


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


def use_quick_dropout(model, device_kind: str) -> int:
    """Swap the model's dropout layers for QuickDropout when training on a CPU; returns how
    many. The layers keep their settings and the saved model does not change."""
    if device_kind != "cpu":
        return 0
    swapped = 0
    for module in model.modules():
        if type(module) is torch.nn.Dropout:
            module.__class__ = QuickDropout
            swapped += 1
    return swapped
