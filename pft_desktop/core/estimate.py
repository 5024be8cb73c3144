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


# Seconds a fine-tuning step takes on a CPU. The matrix products are priced from a
# measurement: a MiniLM-wide layer's six products (12 x 384^2 weights), forward and backward
# for 2,048 tokens with bf16 products, took 94 ms on 2 cores (2.61e-11 s per token per weight;
# 3.86e-11 in fp32, 6.5e-11 with AVX2 kernels only: runs there learn that pace). A frozen
# weight's backward skips its own gradient, 4 of the 6 multiply-adds. The rest was fitted
# (non-negative least squares on relative error) to the 36 runs of
# `benchmarks/bench_estimates.py --demo` on 2 free cores, 2026-12-03 15:34 UTC, with the CPU
# speed-ups on (BERT-like 0.46M, Llama-like 3.5M, the demo's MiniLM 22.7M; full / LoRA /
# QLoRA 4-bit; batch 8 and 16; length 32 and 128): a cost a layer; one per token per layer per
# unit of width (norms, activations, dropout: several times the products in small models);
# one for attention (per token, layer, width and position); one per trained weight (the
# optimizer). Within 20% in 28 of the 36 (0.67 to 1.31), where the rule before it, which
# did not know the first-token last layer, had 16 (0.67 to 1.86). A fresh grid 15 minutes
# later: 21 of 36 (0.68 to 1.79); its measured steps were within 20% of the first grid's in
# 25 of 36 (0.53 to 1.50), which is as close as 14-step runs here repeat themselves.
CPU_SECONDS_PER_TOKEN_PRODUCT = 2.61e-11
FROZEN_PRODUCT_SHARE = 4 / 6
CPU_SECONDS_PER_LAYER = 1.48e-2
CPU_SECONDS_PER_TOKEN_LAYER_WIDTH = 8.66e-8
CPU_SECONDS_PER_ATTENTION_TERM = 2.01e-10
CPU_SECONDS_PER_TRAINED_WEIGHT = 8.92e-11
# Weights a layer multiplies each token by: queries, keys, values, output (4 h^2) and a
# feed-forward of 4 h (8 h^2). Llama's 3 matrices of about 2.7 h come to the same.
PRODUCT_WEIGHTS_PER_LAYER = 12
# With core.needed_tokens the last layer computes keys and values for every token and the
# rest for the first token alone: 2 of its 12 h^2 a token, and none of its other work.
FIRST_TOKEN_LAST_LAYER_PRODUCTS = 2 / 12
# Model types whose sequence classifiers core.needed_tokens gives a first-token last layer
# (its FIRST_TOKEN_HEADS are read from here).
FIRST_TOKEN_MODEL_TYPES = frozenset({"bert", "roberta", "xlm-roberta", "electra", "camembert"})
# Heads that multiply every token by the vocabulary (the embeddings' size again).
TOKEN_HEADS = frozenset({"AutoModelForCausalLM", "AutoModelForMaskedLM",
                         "AutoModelForSeq2SeqLM"})


def first_token_only(model_type: str, auto_class: str, on_cpu: bool,
                     cpu_speedups: bool) -> bool:
    """Whether a run will compute its last layer for the first token alone
    (core.needed_tokens: CPU speed-ups on, a BERT-family sequence classifier)."""
    return on_cpu and cpu_speedups and model_type in FIRST_TOKEN_MODEL_TYPES \
        and auto_class == "AutoModelForSequenceClassification"


def estimate_seconds_per_step(parameters: int, trainable: int, batch_size: int,
                              tokens_per_row: float, device: str = "cpu", layers: int = 0,
                              hidden: int = 0, *, first_token: bool = False,
                              token_head: bool = False) -> float:
    """A fine-tuning step: on a CPU the measured and fitted costs above (priced by every
    weight when ``layers`` and ``hidden`` are unknown); on a GPU the FLOP count at a rate not
    measured. ``first_token``: the last layer is computed for the first token alone
    (first_token_only); ``token_head``: the head multiplies every token by the vocabulary."""
    if device != "cpu":
        return flop_seconds_per_step(parameters, trainable, batch_size, tokens_per_row, device)
    length = max(tokens_per_row, 1.0)
    tokens = batch_size * length
    first = bool(first_token and layers)  # the last layer is the first token's alone
    full_layers = layers - first
    products = PRODUCT_WEIGHTS_PER_LAYER * hidden * hidden * (
        full_layers + (FIRST_TOKEN_LAST_LAYER_PRODUCTS if first else 0))
    if not products:
        products = parameters
    elif token_head:
        products += max(parameters - PRODUCT_WEIGHTS_PER_LAYER * layers * hidden * hidden, 0)
    trained_share = min(trainable / parameters, 1.0) if parameters else 1.0
    product_cost = FROZEN_PRODUCT_SHARE + (1 - FROZEN_PRODUCT_SHARE) * trained_share
    return (layers * CPU_SECONDS_PER_LAYER
            + tokens * products * product_cost * CPU_SECONDS_PER_TOKEN_PRODUCT
            + tokens * full_layers * hidden * CPU_SECONDS_PER_TOKEN_LAYER_WIDTH
            + tokens * full_layers * hidden * length * CPU_SECONDS_PER_ATTENTION_TERM
            + trainable * CPU_SECONDS_PER_TRAINED_WEIGHT)


def shape_seconds_per_step(shape: dict, tokens_per_row: float) -> float:
    """The rule for the step shape a run recorded (recipe.step_shape); runs from before a key
    was recorded did without what it names."""
    return estimate_seconds_per_step(
        shape.get("parameters") or 0, shape.get("trainable") or 0, shape["rows"],
        tokens_per_row, layers=shape.get("layers") or 0, hidden=shape.get("hidden") or 0,
        first_token=bool(shape.get("first_token")), token_head=bool(shape.get("token_head")))


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
