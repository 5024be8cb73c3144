"""Useful (non-pad) tokens per second: dynamic padding against padding every batch to 512.

Most tutorials tokenize with ``padding="max_length", max_length=512``; SST-2 training rows have
a median of 7 words, so nearly all of that compute goes to pad tokens. Both sides train the
real all-MiniLM-L6-v2 on the same SST-2 sample with the same Trainer settings in one process;
the dynamic side is pft-desktop's own recipe (dynamic padding plus length grouping).

    .venv/bin/python benchmarks/bench_padding.py [--steps 40] [--padded-steps 4]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from common import require_inputs, sample_sentences, write_sample

BATCH, LR = 16, 5e-5


def dynamic_tokens_per_second(model: Path, data: Path, steps: int, workdir: Path) -> float:
    from pft_desktop.core import events
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.recipe import run_training

    config = RunConfig()
    config.model.name_or_path, config.data.train_file = str(model), str(data)
    config.data.text_column, config.data.label_column = "sentence", "label"
    config.data.validation_split = 0.0
    config.task.max_length = 512
    config.method.kind = "full"
    config.training.max_steps, config.training.batch_size = steps, BATCH
    config.training.learning_rate = LR
    run_dir = Path(tempfile.mkdtemp(dir=workdir)) / "run"
    outcome = run_training(config, run_dir)
    last = [e for e in events.read_events(run_dir) if e["type"] == "step"][-1]
    return last["tokens_seen"] / outcome.metrics["train_runtime"]


def padded_tokens_per_second(model: Path, train: Path, steps: int, workdir: Path) -> float:
    import datasets
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer, Trainer,
                              TrainingArguments, default_data_collator)

    texts, labels = sample_sentences(train, rows=20000)
    tokenizer = AutoTokenizer.from_pretrained(model)
    dataset = datasets.Dataset.from_dict({"text": texts, "label": labels}).map(
        lambda b: tokenizer(b["text"], truncation=True, max_length=512, padding="max_length"),
        batched=True, remove_columns=["text"])
    net = AutoModelForSequenceClassification.from_pretrained(model, num_labels=2)
    args = TrainingArguments(output_dir=str(workdir / "padded"), max_steps=steps,
                             per_device_train_batch_size=BATCH, learning_rate=LR,
                             report_to="none", save_strategy="no", disable_tqdm=True,
                             use_cpu=True, include_num_input_tokens_seen="non_padding")
    trainer = Trainer(model=net, args=args, train_dataset=dataset,
                      data_collator=default_data_collator)
    result = trainer.train()
    return trainer.state.num_input_tokens_seen / result.metrics["train_runtime"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--padded-steps", type=int, default=4,
                        help="steps for the padded side (each takes several seconds on a CPU)")
    args = parser.parse_args()
    model, train = require_inputs()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        data = write_sample(train, workdir)
        padded = padded_tokens_per_second(model, train, args.padded_steps, workdir)
        dynamic = dynamic_tokens_per_second(model, data, args.steps, workdir)
    print(json.dumps({"padded_512_tokens_per_s": round(padded, 1),
                      "dynamic_tokens_per_s": round(dynamic, 1)}))
    print(f"\nall-MiniLM-L6-v2 on SST-2, full fine-tuning, batch {BATCH}, useful tokens/s")
    print(f"padded to 512:           {padded:8.1f}")
    print(f"dynamic (pft-desktop):   {dynamic:8.1f}")
    print(f"ratio dynamic/padded: {dynamic / padded:.1f}x")


if __name__ == "__main__":
    main()
