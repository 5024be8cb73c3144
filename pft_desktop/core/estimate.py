"""Memory and time estimates shown before a run starts (no torch needed).

Memory = weights + gradients + optimizer state for what trains + activations. The activation
term is the usual transformer rule of thumb (about 34 * hidden + 5 * heads * seq bytes per token
per layer in 16-bit, Korthikanti et al. 2022), doubled for fp32, and cut by gradient
checkpointing to one layer's worth. It is an estimate: the app says so and shows the parts.

With several processes it is the memory of each device: every process holds its own batch's
activations; DDP keeps a whole copy of the rest on each, FSDP shards weights, gradients and
optimizer state across the processes, DeepSpeed ZeRO-2 gradients and optimizer state (ZeRO-3
the weights too).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

BYTES_PER_WEIGHT = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "qlora-4bit": 0.55, "qlora-8bit": 1.05}
# Measured on this project's reference machine (2 CPU cores): MiniLM-L6 full fine-tuning at
# batch 16, ~20 tokens per row, 4.6 steps/s: 320 tokens x 6 x 22.7M = 44 GFLOP a step, so
# about 2e11 FLOP/s. GPUs are far faster.
CPU_FLOPS_PER_SECOND = 2.0e11
# What a CPU run's process holds before its model: PyTorch, transformers, datasets and peft
# imported, the data read (its resident memory, which is what a CPU run's memory_bytes
# records). Measured by benchmarks/bench_estimates.py on 2026-12-02: 535-555 MB for models of
# 0.4M-3M parameters, whatever the method, batch or length. A GPU's memory holds none of it.
CPU_PROCESS_BYTES = 540 << 20
# Adapters on a CPU, measured by the same benchmark (36 runs, 2026-12-03): LoRA and QLoRA runs
# peaked above full fine-tuning's activations, not below (peft's dropout and the A outputs are
# kept for each adapted module), so their activations are 1.4 times full fine-tuning's; and
# 4-bit QLoRA peaked 40-90 MB above LoRA on the MiniLM where its smaller weights should have
# put it 78 MB below: counted as float32 weights the process keeps (4 bytes a weight; whether
# dequantized copies or the weights read before quantizing, runs of at most 23M parameters
# cannot tell, so larger models may be priced high). Peak memory within 20% in 35 of those 36
# runs with these terms, 28 of 36 without; 35 of 36 on a fresh grid afterwards (0.78 to 1.07).
# Not measured with gradient checkpointing, 8-bit or on a GPU: there the usual rule (frozen
# weights keep no activation gradients, 0.7) stays.
CPU_ADAPTER_ACTIVATIONS = 1.4
CPU_DEQUANTIZED_BYTES_PER_WEIGHT = 4.0


def planned_steps(rows: int, batch_size: int, accumulation: int, epochs: float,
                  max_steps: int = 0, processes: int = 1) -> int:
    """Optimizer steps a run will take, by the Trainer's own rule (batches per epoch rounded
    up, shared out among the processes rounded up, then accumulation rounded up, then
    epochs), so the estimate, the progress bar's total and the Trainer agree from the first
    event."""
    if max_steps:
        return max_steps
    batches = -(-rows // max(batch_size, 1))
    batches = -(-batches // max(processes, 1))  # accelerate gives each process its share
    per_epoch = max(-(-batches // max(accumulation, 1)), 1)
    return math.ceil(epochs * per_epoch)


@dataclass
class BatchPlan:
    """How the rows of one optimizer step are shared out among processes. ``planned`` is the
    global batch the settings give one process (batch size x accumulation)."""

    batch_size: int      # rows per process per forward pass
    accumulation: int    # forward passes per optimizer step, in each process
    processes: int
    planned: int

    @property
    def global_batch(self) -> int:
        return self.batch_size * self.accumulation * self.processes

    def note(self) -> str:
        """Why the global batch is not the planned one ("" when it is, or when the person
        chose not to keep it)."""
        if self.global_batch == self.planned or self.processes == 1:
            return ""
        shares = self.accumulation * self.processes
        fix = (f"set the batch size to {self.planned // shares}" if self.planned % shares == 0
               else f"make gradient accumulation a multiple of {self.processes}")
        return (f"With {self.processes} processes the global batch is {self.global_batch} "
                f"(batch {self.batch_size} x accumulation {self.accumulation} x "
                f"{self.processes} processes), not the {self.planned} planned for one process: "
                f"gradient accumulation {self.planned // self.batch_size} cannot be divided by "
                f"{self.processes}. To keep {self.planned}, {fix}.")


def batch_plan(batch_size: int, accumulation: int, processes: int = 1,
               keep_global_batch: bool = True) -> BatchPlan:
    """With ``keep_global_batch``, several processes divide the gradient accumulation among
    them so each optimizer step sees as many rows as with one. When it does not divide, it is
    rounded to the nearest whole number (at least 1) and ``note()`` says what changed; a
    refusal would stop the common case (accumulation 1, two GPUs) for a batch the person
    can still see and change."""
    processes = max(processes, 1)
    steps = max(accumulation, 1)
    if keep_global_batch and processes > 1:
        steps = max(int(steps / processes + 0.5), 1)
    return BatchPlan(batch_size, steps, processes,
                     batch_size * max(accumulation, 1) if keep_global_batch else
                     batch_size * steps * processes)


@dataclass
class Estimate:
    weights: int
    gradients: int
    optimizer: int
    activations: int
    trainable_parameters: int
    process: int = 0  # the training process itself, on a CPU (CPU_PROCESS_BYTES)

    @property
    def total(self) -> int:
        return self.weights + self.gradients + self.optimizer + self.activations + self.process

    def to_dict(self) -> dict:
        return {**asdict(self), "total": self.total}


def trainable_parameters(parameters: int, hidden: int, layers: int, method: str,
                         lora_r: int, top_layers: int, num_labels: int = 2) -> int:
    head = hidden * max(num_labels, 2) + hidden * hidden
    if method == "full":
        return parameters
    if method == "freeze":
        per_layer = 12 * hidden * hidden
        return head + min(top_layers, layers) * per_layer
    # LoRA on two attention projections per layer (the usual default), A and B each r x hidden
    return head + layers * 2 * 2 * lora_r * hidden


def estimate_memory(parameters: int, hidden: int, layers: int, heads: int, *, method: str,
                    batch_size: int, seq_len: int, precision: str = "fp32", lora_r: int = 8,
                    top_layers: int = 0, gradient_checkpointing: bool = False,
                    processes: int = 1, strategy: str = "ddp", zero_stage: int = 2,
                    on_cpu: bool = False) -> Estimate:
    """Memory of each device (``on_cpu``: of each process, which then counts itself)."""
    hidden, layers = max(hidden, 1), max(layers, 1)
    weight_format = method if method.startswith("qlora") else precision
    weights = int(parameters * BYTES_PER_WEIGHT.get(weight_format, 4.0))
    if precision in ("bf16", "fp16") and not method.startswith("qlora"):
        weights = int(parameters * 4)  # mixed precision keeps fp32 master weights
    if on_cpu and method == "qlora-4bit":
        weights += int(parameters * CPU_DEQUANTIZED_BYTES_PER_WEIGHT)
    trainable = trainable_parameters(parameters, hidden, layers, method, lora_r, top_layers)
    gradients = trainable * 4
    optimizer = trainable * 8  # AdamW: two fp32 moments
    tokens = batch_size * seq_len
    per_token_layer = 34 * hidden + 5 * max(heads, 1) * seq_len
    scale = 1.0 if precision in ("bf16", "fp16") else 2.0
    kept_layers = 1 if gradient_checkpointing else layers
    activations = int(tokens * per_token_layer * kept_layers * scale)
    adapter = method in ("lora", "qlora-4bit", "qlora-8bit")
    if (adapter or method == "freeze") and not gradient_checkpointing:
        measured_here = on_cpu and method in ("lora", "qlora-4bit")
        # else: no activation grads kept for frozen weights (the usual rule)
        activations = int(activations * (CPU_ADAPTER_ACTIVATIONS if measured_here else 0.7))
    shards = max(processes, 1)
    if shards > 1 and strategy in ("fsdp", "deepspeed"):
        gradients, optimizer = gradients // shards, optimizer // shards
        if strategy == "fsdp" or zero_stage >= 3:
            weights //= shards
    return Estimate(weights, gradients, optimizer, activations, trainable,
                    CPU_PROCESS_BYTES if on_cpu else 0)


# Seconds a fine-tuning step takes on a CPU, fitted (non-negative least squares on relative
# error) to 36 short runs of `benchmarks/bench_estimates.py --demo` on 2 free cores with the
# CPU speed-ups on (BERT-like 0.46M, Llama-like 3.5M and the demo's real MiniLM 22.7M; full /
# LoRA / QLoRA 4-bit; batch 8 and 16; length 32 and 128), 2026-12-03: a fixed cost a step and
# one a layer; one per token per weight (the matrix products, forward and backward through
# every weight, trained or not), held at the MiniLM's measured cost so that larger models stay
# priced by their products; one per token per layer per unit of width (norms, activations,
# dropout: what makes small models' steps several times the products alone); one for
# attention (per token, layer, width and position); one per trained weight (the optimizer).
# Within 20% of the measured step in 26 of the 36 (the rule before it: 5); the pace of a
# machine's own runs corrects its level (core.estimate_history).
CPU_STEP_SECONDS = 4.45e-3
CPU_SECONDS_PER_LAYER = 1.42e-2
CPU_SECONDS_PER_TOKEN_WEIGHT = 1.2e-11
CPU_SECONDS_PER_TOKEN_LAYER_WIDTH = 2.88e-8
CPU_SECONDS_PER_ATTENTION_TERM = 7.91e-10
CPU_SECONDS_PER_TRAINED_WEIGHT = 1.14e-9


def estimate_seconds_per_step(parameters: int, trainable: int, batch_size: int,
                              tokens_per_row: float, device: str = "cpu", layers: int = 0,
                              hidden: int = 0) -> float:
    """A fine-tuning step: on a CPU the fitted costs above (the attention term when
    ``layers`` and ``hidden`` are known); on a GPU the FLOP count at a rate not measured."""
    if device != "cpu":
        return flop_seconds_per_step(parameters, trainable, batch_size, tokens_per_row, device)
    length = max(tokens_per_row, 1.0)
    tokens = batch_size * length
    return (CPU_STEP_SECONDS + layers * CPU_SECONDS_PER_LAYER
            + tokens * parameters * CPU_SECONDS_PER_TOKEN_WEIGHT
            + tokens * layers * hidden * CPU_SECONDS_PER_TOKEN_LAYER_WIDTH
            + tokens * layers * hidden * length * CPU_SECONDS_PER_ATTENTION_TERM
            + trainable * CPU_SECONDS_PER_TRAINED_WEIGHT)


def flop_seconds_per_step(parameters: int, trainable: int, batch_size: int,
                          tokens_per_row: float, device: str = "cpu") -> float:
    """Forward (2 flops per weight per token) + backward (2 more, plus 2 for trained weights)
    at CPU_FLOPS_PER_SECOND: what the pretraining estimates were calibrated against."""
    tokens = batch_size * max(tokens_per_row, 1.0)
    flops = tokens * (4 * parameters + 2 * trainable)
    speed = CPU_FLOPS_PER_SECOND if device == "cpu" else CPU_FLOPS_PER_SECOND * 150
    return flops / speed


# Masked-LM pretraining of a new encoder, against the rule above: the tiny preset's step took
# 1.33x the estimate and the small preset's 0.80x (benchmarks/bench_pretrain_pays.py
# --calibrate-estimate: steps alternating with the MiniLM reference in one process, one
# thread), and tokenizer training, packing and saving added 8% to a 100-step run. So the
# pretraining estimate is raised by 1.4: right for small models, on the long side for larger.
PRETRAINING_SLOWDOWN = 1.4


def pretraining_seconds_per_step(parameters: int, batch_size: int, block: int,
                                 device: str = "cpu") -> float:
    """A new model's pretraining step: every weight trains, every row is a full block."""
    return PRETRAINING_SLOWDOWN * flop_seconds_per_step(parameters, parameters, batch_size,
                                                        block, device)
