"""Time to accuracy: how soon pft-desktop's defaults reach the accuracy of the script a careful
engineer would write, on SST-2 with all-MiniLM-L6-v2, for full fine-tuning and for LoRA.

Both arms train on the same SST-2 training sample with the same batch size, learning rate,
warmup, schedule, length and LoRA settings, and evaluate on all 872 sentences of dev.tsv every
``--eval-every`` steps. The script is what the transformers documentation teaches, done
carefully: tokenize once with ``datasets.map``, dynamic padding (DataCollatorWithPadding),
length-grouped batches, the Trainer's default fused AdamW, no checkpoints. The app arm is
``run_training`` with a RunConfig holding the same values, and the app's own defaults for
everything else.

The figure is the training time (evaluations excluded, on both sides alike) until the first
evaluation at or above the script's final accuracy, for each arm; the ratio script/app is
the speed-up. Arms alternate (script, app, script, app, ...) so a change in the machine's load
touches both.

    .venv/bin/python benchmarks/bench_time_to_accuracy.py [--rows 8000] [--rounds 2]
        [--methods full,lora] [--eval-every 50] [--app-set method.train_word_embeddings=false]
        [--json curves.json] [--replay curves.json] [--device cpu|cuda]

``--device cuda`` runs both arms on the first GPU (the script in bf16 where the GPU has it, the
app with precision 'auto'); where there is no CUDA device it says the GPU path was skipped
and trains nothing. No GPU has been lent to this project yet: the GPU path has not run, and
nothing is claimed for GPUs.

Measured 2026-12-02 21:58-22:40 UTC, 2 free CPU cores, --rows 8000 --eval-every 25, one
round (each arm about 3 minutes): with the app's CPU speed-ups (method.cpu_speedups:
core.quick_dropout, core.cpu_matmul, and then also word-embedding row updates, dropped
afterwards: see below; the full fine-tuning figures include them, LoRA's never did):

- this CPU (AMX, bf16 instructions: all three speed-ups): full fine-tuning 0.8222 against the
  script's 0.8188, the script's final accuracy reached at 82 s against 102 s (1.25x), the
  epoch's training 87 s against 109 s (1.26x a step); LoRA 0.7913 against 0.7890, 56 s
  against 102 s (1.83x; the curves differ by the dropout masks), 75 s against 108 s (1.43x
  a step).
- AVX2 kernels forced on the same CPU (MKL_ENABLE_INSTRUCTIONS=AVX2 ATEN_CPU_CAPABILITY=avx2
  ONEDNN_MAX_CPU_ISA=AVX2, as on the machines without bf16; no bf16 products): full
  fine-tuning 0.8222 against 0.8188, 145 s against 155 s for the epoch (1.07x a step);
  LoRA 0.7913 against 0.7890, 73 s against 97 s (1.34x), 97 s against 102 s for the
  epoch (1.06x a step).

Where a step goes (torch profiler, MiniLM, batch 32, AVX2 kernels): matrix products 70%,
so the speed-ups can only take from the rest. Row updates of the word embeddings (a lazy
AdamW over the rows a batch uses; the dense gradient is 30,522 x 384, zero-filled, clipped
and run through AdamW every step for a few hundred tokens): 1.10x a full fine-tuning step,
but dropped: on the test suite's tiny regression task the Pearson correlation averaged 0.80
over five seeds against 0.94 plain (0.93 with numpy dropout), as rows a batch does not use
stop moving where AdamW's momentum keeps moving them. Numpy dropout masks: 1.03x (torch's CPU
generator draws one number at a time: 1.7 ms for a 32 x 14 x 384 mask); with bf16
instructions, bf16 products: 1.25x.

Full fine-tuning measured again without the row updates, 2026-12-03, 2 free cores: this CPU
(06:12-06:32 UTC, two rounds) 0.8268 against the script's 0.8188, reached at 59 s against
77 s (1.31x), the epoch 63 s against 82 s (1.29x a step); AVX2 kernels forced (06:35 UTC, one
round) 0.8268 against 0.8188, 110 s against 121 s (1.10x), 116 s against 127 s for the epoch
(1.09x a step). The script's epoch took 82 s that morning against 109 s the night before:
the machine was faster, and the ratio is what the side-by-side arms compare.

2026-12-03 afternoon, after two more speed-ups (core.needed_tokens: BERT-family classifier
layers leave padding out of their products and compute the last layer for the first token
only, the same logits and gradients; numpy masks for attention dropout too), AVX2 kernels
forced, 2 free cores, three rounds of full fine-tuning and of LoRA (13:16 one round,
13:46-14:08 two): full fine-tuning 0.8211 against the script's 0.8188, reached at 95 s
against 131 s (1.38x) and 77 s against 106 s (1.39x, the median of two rounds), 1.16-1.17x a
step; LoRA 0.7856 against 0.7890: 0.34 point below, so the script's own accuracy is never
reached; within the goal's half point (0.7840) at 56-58 s against 85-87 s (1.46-1.55x),
1.22-1.30x a step. The arms' seeds are fixed, so the rounds repeat the same curves and
differ in time alone: where the curves cross is one sample, the step's speed-up is the
figure that carries to other data. Where a step's time went before them (torch profiler,
AVX2 kernels, 10 steps): matrix products 71%, sdpa's attention dropout drawn by torch 4.5%.
Same-process A/B on MiniLM steps (AVX2 kernels, batches grouped by tokens with 14% padding):
numpy attention dropout 1.03x (1.00x with the native kernels), the first-token last layer
1.14x more, leaving out padding 1.06x more.

On this CPU (bf16 instructions: bf16 products on; 14:23-14:33 UTC, one round): full
fine-tuning ends at 0.8165 against the script's 0.8188 but passes 0.8188 on the way, at 62 s
against 96 s (1.55x; 1.51x a step); LoRA 0.7947 against 0.7890, 42 s against 67 s (1.59x;
1.36x a step). Leaving out padding measured slower with bf16 products (same-process A/B:
0.91x a LoRA step, 0.94x a full one), so the recipe keeps the padding there and uses the
first-token last layer alone; a first round with padding left out gave LoRA 1.06x a step.

Goal 1.3x (accuracy within half a point): met with AVX2 kernels for full fine-tuning
(1.38-1.39x, 1.17x a step) and for LoRA (1.46-1.55x to within half a point; the script's own
accuracy not reached, 0.34 point short), and on the bf16 CPU (full 1.55x, LoRA 1.59x).
Matrix products still bound the step. One or two rounds each; the machine's
speed drifted 2.4x over 2026-12-02 (the unchanged script arm took 20.7 s at 17:25 UTC and
48-50 s at 21:45 for the same 4,000 sentences).

Earlier the same day, before the speed-ups (--rows 4000, 2 rounds): full 1.01x, LoRA 0.99x,
the script's accuracy curve evaluation by evaluation. Before that the app grouped batches by
characters, which left 26% more padding than grouping by tokens (73,030 padded tokens an
epoch against 57,952, for 53,573 real): full 0.73x, LoRA 0.79x. Logging every step was not
a cost (the same time with logging every 25). Dropped: bf16 autocast (AMX: 291 -> 166 ms a
step, but 422 ms -> 13.9 s with AVX2 kernels; bf16 products keep fp32 weights and are used
only where the CPU has bf16 instructions); freezing the word embeddings by default (a bare
MiniLM-L6 step 291 -> 123 ms, but to the same accuracy no faster here: 0.791 at 23.2 s
against 0.790 at 20.9 s).

The script's weight decay was lost to a comment until this run (0.0 instead of 0.01); the
figures above have it on both sides.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from common import SST2, require_inputs, sample_sentences

BATCH, MAX_LENGTH, WARMUP, DECAY, SEED = 32, 64, 0.06, 0.01, 42
LEARNING_RATE = {"full": 5e-5, "lora": 5e-4}
LORA = {"r": 8, "alpha": 16, "dropout": 0.05}


def dev_set():
    import pandas as pd

    frame = pd.read_csv(SST2 / "dev.tsv", sep="\t", quoting=3)
    text = "sentence" if "sentence" in frame else "content"  # dev.tsv names it 'content'
    return list(frame[text]), [int(x) for x in frame["label"]]


def curve_from(times_and_accuracies: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(round(t, 2), round(a, 4)) for t, a in times_and_accuracies]


def run_script(model: Path, train: Path, method: str, args, workdir: Path) -> dict:
    """The careful hand-written script."""
    import datasets
    import numpy as np
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer,
                              DataCollatorWithPadding, Trainer, TrainerCallback,
                              TrainingArguments, set_seed)

    started = time.monotonic()
    texts, labels = sample_sentences(train, rows=args.rows)
    dev_texts, dev_labels = dev_set()
    tokenizer = AutoTokenizer.from_pretrained(model)

    def encode(batch):
        return tokenizer(batch["text"], truncation=True, max_length=MAX_LENGTH)

    train_set = datasets.Dataset.from_dict({"text": texts, "label": labels}).map(
        encode, batched=True, remove_columns=["text"])
    dev = datasets.Dataset.from_dict({"text": dev_texts, "label": dev_labels}).map(
        encode, batched=True, remove_columns=["text"])
    set_seed(SEED)
    net = AutoModelForSequenceClassification.from_pretrained(model, num_labels=2)
    if method == "lora":
        from peft import LoraConfig, get_peft_model

        net = get_peft_model(net, LoraConfig(task_type="SEQ_CLS", r=LORA["r"],
                                             lora_alpha=LORA["alpha"],
                                             lora_dropout=LORA["dropout"],
                                             target_modules=["query", "value"]))

    class Clock(TrainerCallback):
        """Training time at each evaluation, evaluations left out."""

        def __init__(self):
            self.points, self.eval_time, self.start = [], 0.0, 0.0

        def on_train_begin(self, *a, **k):
            self.start = time.monotonic()

        def on_evaluate(self, args_, state, control, metrics=None, **k):
            self.eval_time += metrics["eval_runtime"]
            self.points.append((time.monotonic() - self.start - self.eval_time,
                                metrics["eval_accuracy"]))

    clock = Clock()
    training = TrainingArguments(
        output_dir=str(workdir / "script"), num_train_epochs=args.epochs,
        per_device_train_batch_size=BATCH, per_device_eval_batch_size=64,
        learning_rate=LEARNING_RATE[method], warmup_steps=WARMUP,  # a share below 1
        weight_decay=DECAY,
        seed=SEED, train_sampling_strategy="group_by_length", eval_strategy="steps",
        eval_steps=args.eval_every, save_strategy="no", report_to="none", disable_tqdm=True,
        use_cpu=args.device == "cpu", bf16=args.device == "cuda" and cuda_bf16(),
        logging_strategy="no")
    Trainer(model=net, args=training, train_dataset=train_set, eval_dataset=dev,
            processing_class=tokenizer, data_collator=DataCollatorWithPadding(tokenizer),
            compute_metrics=lambda p: {"accuracy": float(
                (np.argmax(p.predictions, -1) == p.label_ids).mean())},
            callbacks=[clock]).train()
    return {"curve": curve_from(clock.points), "wall_s": round(time.monotonic() - started, 1)}


def run_app(model: Path, train: Path, method: str, args, workdir: Path) -> dict:
    """pft-desktop's recipe with the same values and its own defaults for the rest."""
    import pandas as pd

    from pft_desktop.cli_flags import parse_setting
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.recipe import run_training

    started = time.monotonic()
    texts, labels = sample_sentences(train, rows=args.rows)
    data = workdir / "train.tsv"
    pd.DataFrame({"label": labels, "sentence": texts}).to_csv(data, sep="\t", index=False)
    config = RunConfig()
    config.model.name_or_path, config.data.train_file = str(model), str(data)
    dev_texts, dev_labels = dev_set()
    pd.DataFrame({"label": dev_labels, "sentence": dev_texts}).to_csv(
        workdir / "dev.tsv", sep="\t", index=False)
    config.data.validation_file = str(workdir / "dev.tsv")
    config.data.text_column, config.data.label_column = "sentence", "label"
    config.task.max_length = MAX_LENGTH
    config.method.kind = method
    config.method.lora_r, config.method.lora_alpha = LORA["r"], LORA["alpha"]
    config.method.lora_dropout = LORA["dropout"]
    config.method.lora_target_modules = ["query", "value"] if method == "lora" else []
    training = config.training
    training.epochs, training.batch_size = args.epochs, BATCH
    training.learning_rate, training.warmup_ratio = LEARNING_RATE[method], WARMUP
    training.weight_decay, training.seed = DECAY, SEED
    training.eval_steps, training.eval_max_rows = args.eval_every, 0
    training.save_steps = 100000
    config.resources.devices = "cpu" if args.device == "cpu" else "0"  # precision: auto
    data = config.to_dict()
    for item in args.app_set:
        section, name, value = parse_setting(item)
        data[section][name] = value
    config = RunConfig.from_dict(data)
    run_dir = Path(tempfile.mkdtemp(dir=workdir)) / "run"
    outcome = run_training(config, run_dir)
    assert outcome.status == "finished", outcome
    points, eval_time = [], 0.0
    for line in (run_dir / "events.jsonl").read_text().splitlines():
        event = json.loads(line)
        if event.get("type") == "eval" and not event.get("final"):
            eval_time += event.get("eval_runtime") or 0.0
            points.append((event["elapsed_s"] - eval_time, event["eval_accuracy"]))
    return {"curve": curve_from(points), "wall_s": round(time.monotonic() - started, 1)}


def cuda_bf16() -> bool:
    import torch

    return torch.cuda.is_bf16_supported()


def cuda_present() -> bool:
    import torch

    return torch.cuda.is_available()


def time_to(curve: list[tuple[float, float]], target: float) -> float | None:
    return next((t for t, accuracy in curve if accuracy >= target - 1e-9), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=8000, help="SST-2 training sentences")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--eval-every", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--methods", default="full,lora")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                        help="where both arms train: 'cuda' runs them on the first GPU (the "
                        "script in bf16 where the GPU has it, the app with precision 'auto'); "
                        "it says it was skipped when there is none")
    parser.add_argument("--app-set", action="append", default=[],
                        help="a config override for the app arm (section.field=value)")
    parser.add_argument("--json", type=Path, help="also write every curve here")
    parser.add_argument("--replay", type=Path,
                        help="print the table from curves an earlier --json wrote, training "
                        "nothing (the heading takes --rows, --epochs and --eval-every from this "
                        "command line: give the ones that run had)")
    args = parser.parse_args()
    if args.replay:
        print_table(json.loads(args.replay.read_text()), args)
        return
    model, train = require_inputs()
    if args.device == "cuda" and not cuda_present():
        print("GPU path skipped: no CUDA device here (torch.cuda.is_available() is False); "
              "nothing is claimed for GPUs")
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for method in args.methods.split(","):
            for round_ in range(args.rounds):
                for arm, run in (("script", run_script), ("app", run_app)):
                    workdir = Path(tempfile.mkdtemp(dir=tmp))
                    result = run(model, train, method, args, workdir)
                    results.setdefault(method, {}).setdefault(arm, []).append(result)
                    curve = result["curve"]
                    print(f"{method} round {round_ + 1} {arm}: final accuracy {curve[-1][1]:.4f} "
                          f"after {curve[-1][0]:.0f} s of training ({result['wall_s']:.0f} s "
                          f"in all)", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print_table(results, args)


def print_table(results: dict, args) -> None:
    rounds = len(next(iter(results.values()))["script"])
    print(f"\nSST-2, all-MiniLM-L6-v2, on {args.device}, {args.rows} training "
          f"sentences, {args.epochs:g} epoch(s), "
          f"batch {BATCH}, evaluation on 872 dev sentences every {args.eval_every} steps; "
          f"medians of {rounds} round(s); app overrides: {args.app_set or 'none'}")
    print("| method | script final acc | app final acc | script time to it | app time to it "
          "| speed-up | app time to within 0.5 point | speed-up | script epoch | app epoch "
          "| per-step speed-up |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for method, arms in results.items():
        target = statistics.median(r["curve"][-1][1] for r in arms["script"])
        script_t = [time_to(r["curve"], target) for r in arms["script"]]
        app_t = [time_to(r["curve"], target) for r in arms["app"]]
        app_final = statistics.median(r["curve"][-1][1] for r in arms["app"])
        script_s = statistics.median(t for t in script_t if t is not None)
        reached = [t for t in app_t if t is not None]
        app_s = statistics.median(reached) if len(reached) == len(app_t) else None
        speed = f"**{script_s / app_s:.2f}x**" if app_s else "not reached"
        # The goal's tolerance: the script's accuracy less half a point.
        near = [time_to(r["curve"], target - 0.005) for r in arms["app"]]
        near_s = statistics.median(near) if None not in near else None
        near_speed = f"{script_s / near_s:.2f}x" if near_s else "not reached"
        # The whole epoch's training time: the speed of a step, whatever the curves do.
        script_epoch = statistics.median(r["curve"][-1][0] for r in arms["script"])
        app_epoch = statistics.median(r["curve"][-1][0] for r in arms["app"])
        print(f"| {method} | {target:.4f} | {app_final:.4f} | {script_s:.0f} s | "
              f"{f'{app_s:.0f} s' if app_s else 'not reached'} | {speed} | "
              f"{f'{near_s:.0f} s' if near_s else 'not reached'} | {near_speed} | "
              f"{script_epoch:.0f} s | {app_epoch:.0f} s | {script_epoch / app_epoch:.2f}x |")


if __name__ == "__main__":
    main()
