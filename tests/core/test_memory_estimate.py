"""The memory estimate shown before a CPU run, against peaks that real runs measured
(benchmarks/bench_estimates.py --demo, 2 cores, 2026-12-03): a rule that drifts from them
fails here before anyone trusts a wrong figure."""

import pytest

from pft_desktop.core.estimate import estimate_memory

MINILM = dict(parameters=22_713_986, hidden=384, layers=6, heads=12)
LLAMA_LIKE = dict(parameters=3_513_088, hidden=256, layers=4, heads=4)

# model, method, batch, tokens per row, measured peak (MB, the process's resident memory)
MEASURED = [
    (MINILM, "full", 16, 126, 1246),
    (MINILM, "lora", 16, 126, 1282),
    (MINILM, "lora", 8, 30, 681),
    (MINILM, "qlora-4bit", 16, 126, 1375),
    (MINILM, "qlora-4bit", 8, 30, 720),
    (LLAMA_LIKE, "lora", 16, 126, 960),
    (LLAMA_LIKE, "qlora-4bit", 16, 126, 1043),
]


@pytest.mark.parametrize("model, method, batch, tokens, measured_mb", MEASURED)
def test_cpu_estimates_are_within_20_percent_of_measured_peaks(model, method, batch, tokens,
                                                               measured_mb):
    estimate = estimate_memory(**model, method=method, batch_size=batch, seq_len=tokens,
                               on_cpu=True)
    assert 0.8 <= estimate.total / (measured_mb * 1e6) <= 1.2, estimate.to_dict()


def test_adapters_on_a_cpu_keep_more_activations_than_full_fine_tuning():
    """Measured: LoRA's peak was above full fine-tuning's at the same batch; the GPU rule (0.7,
    frozen weights keep no activation gradients) stays where nothing was measured."""
    def activations(method, on_cpu):
        return estimate_memory(**MINILM, method=method, batch_size=16, seq_len=126,
                               on_cpu=on_cpu).activations

    assert activations("lora", True) > activations("full", True)
    assert activations("lora", False) < activations("full", False)


def test_qlora_on_a_cpu_counts_the_dequantized_copy():
    cpu = estimate_memory(**MINILM, method="qlora-4bit", batch_size=8, seq_len=30, on_cpu=True)
    gpu = estimate_memory(**MINILM, method="qlora-4bit", batch_size=8, seq_len=30)
    assert cpu.weights - gpu.weights == MINILM["parameters"] * 4
