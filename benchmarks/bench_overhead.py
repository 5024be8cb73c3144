"""Throughput of pft-desktop's training recipe against a plain transformers Trainer script.

Same model (all-MiniLM-L6-v2), data (an SST-2 sample), hyperparameters, dynamic padding and
length grouping; pft-desktop adds its data checks, event callback (logging every step), run
folder and checkpoint. Runs alternate A/B in one process; prints steps per second and the ratio.

    .venv/bin/python benchmarks/bench_overhead.py [--steps 60] [--rounds 2]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from common import require_inputs, sample_sentences, write_sample

BATCH, LR, MAX_LENGTH, SEED = 16, 5e-5, 64, 42


def run_pft(model: Path, data: Path, steps: int, workdir: Path) -> float:
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.recipe import run_training

    config = RunConfig()
    config.model.name_or_path, config.data.train_file = str(model), str(data)
    config.data.text_column, config.data.label_column = "sentence", "label"
    config.data.validation_split = 0.0
    config.task.max_length = MAX_LENGTH
    config.method.kind = "full"
    config.training.max_steps, config.training.batch_size = steps, BATCH
    config.training.learning_rate, config.training.seed = LR, SEED
    outcome = run_training(config, Path(tempfile.mkdtemp(dir=workdir)) / "run")
    assert outcome.status == "finished", outcome
    return steps / outcome.metrics["train_runtime"]


def run_plain(model: Path, data: Path, steps: int, workdir: Path) -> float:
    """What a careful hand-written script does: tokenize, dynamic padding, Trainer.train()."""
    import datasets
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer,
                              DataCollatorWithPadding, Trainer, TrainingArguments, set_seed)

    texts, labels = sample_sentences(data, rows=20000)
    tokenizer = AutoTokenizer.from_pretrained(model)
    dataset = datasets.Dataset.from_dict({"text": texts, "label": labels}).map(
        lambda b: tokenizer(b["text"], truncation=True, max_length=MAX_LENGTH), batched=True,
        remove_columns=["text"])
    set_seed(SEED)
    net = AutoModelForSequenceClassification.from_pretrained(model, num_labels=2)
    args = TrainingArguments(output_dir=str(workdir / "plain"), max_steps=steps,
                             per_device_train_batch_size=BATCH, learning_rate=LR, seed=SEED,
                             train_sampling_strategy="group_by_length", report_to="none",
                             save_strategy="no", disable_tqdm=True, use_cpu=True)
    result = Trainer(model=net, args=args, train_dataset=dataset, processing_class=tokenizer,
                     data_collator=DataCollatorWithPadding(tokenizer)).train()
    return steps / result.metrics["train_runtime"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    model, train = require_inputs()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        data = write_sample(train, workdir)
        run_plain(model, train, 5, workdir)  # warm caches and imports for both sides
        pft, plain = [], []
        for round_ in range(args.rounds):
            plain.append(run_plain(model, train, args.steps, workdir))
            pft.append(run_pft(model, data, args.steps, workdir))
            print(f"round {round_ + 1}: plain {plain[-1]:.2f} steps/s, pft {pft[-1]:.2f} steps/s",
                  flush=True)
    ratio = statistics.median(pft) / statistics.median(plain)
    print(f"\nall-MiniLM-L6-v2, full fine-tuning, batch {BATCH}, {args.steps} steps, "
          f"{args.rounds} rounds (medians)")
    print(f"plain Trainer script: {statistics.median(plain):.2f} steps/s")
    print(f"pft-desktop recipe:   {statistics.median(pft):.2f} steps/s")
    print(f"ratio pft/plain: {ratio:.3f} (target >= 0.97)")


if __name__ == "__main__":
    main()
