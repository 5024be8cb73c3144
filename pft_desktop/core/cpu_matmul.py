"""Matrix products in bf16 on CPUs built for it, the CPU's counterpart of TF32 on a GPU.

On a CPU with bf16 instructions (AVX512-BF16 or AMX), oneDNN can multiply fp32 matrices by
rounding their inputs to bf16 and accumulating in fp32; weights, gradients and the optimizer
stay fp32. Measured here (AMX, 2 cores): a MiniLM step 1.25x faster, the same SST-2 accuracy
(benchmarks/bench_time_to_accuracy.py). A CPU without them (AVX2 only) would emulate bf16 and
run many times slower, so there it stays off.
"""

from __future__ import annotations

from contextlib import contextmanager


def cpu_has_bf16() -> bool:
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def use_bf16_matmul(device_kind: str, requested_precision: str) -> bool:
    """Turn bf16 matrix products on for this process when precision is 'auto', training is
    on a CPU and the CPU has bf16 instructions; 'fp32' keeps every product in fp32."""
    if device_kind != "cpu" or requested_precision != "auto" or not cpu_has_bf16():
        return False
    import torch

    torch.backends.mkldnn.matmul.fp32_precision = "bf16"
    return True


@contextmanager
def matmul_precision_restored():
    """The process's matrix-product precision as it was before, however the block ends."""
    import torch

    before = torch.backends.mkldnn.matmul.fp32_precision
    try:
        yield
    finally:
        torch.backends.mkldnn.matmul.fp32_precision = before
