"""Pair similarity (STS-B style regression): pft-desktop's recipe against a plain transformers
Trainer script, same model, data, steps and hyperparameters, side by side in one process.

The data: no STS set can be read offline here (no installed package ships STS-B, SICK or MRPC,
and nothing is downloaded), so the pairs are built from SST-2 sentences (../shared/data) and
their score is a word-overlap similarity, stated plainly: sentence 2 keeps a random share of
sentence 1's words, in order, mixed with words of another sentence (a fifth of the pairs are
two unrelated sentences), and the score is 5 x the Jaccard overlap of their lower-cased word
sets (0 to 5, like STS-B). It is not human-judged similarity; it is a real pair task (the model
must compare the two texts, neither alone says the score) and the same for both sides, which is
what the comparison needs. Both sides train all-MiniLM-L6-v2 as a cross-encoder with a new
one-output head and mean squared error, from the same seed, and are scored by Pearson on the
same held-out pairs. What differs is only what pft-desktop adds: length-grouped batches,
dynamic padding via its collator, its own metrics code and its run bookkeeping.

    .venv/bin/python benchmarks/bench_pair_similarity.py [--steps 80] [--train-pairs 1500]
        [--validation-pairs 300] [--batch-size 16] [--learning-rate 2e-4] [--seeds 42,1,2]

Measured 2026-11-23 (AMD EPYC, 2 cores, fp32) with --steps 150 and the other defaults, three
seeds each:

    pft-desktop recipe   Pearson 0.9685 (each seed: 0.9677 0.9612 0.9766)  Spearman 0.9602
                         RMSE 0.433  (158 s)
    plain Trainer        Pearson 0.9779 (each seed: 0.9791 0.9749 0.9796)  Spearman 0.9651
                         RMSE 0.350  (184 s)
    Mean Pearson difference (recipe - plain): -0.0094, within the 0.02 bar
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from pathlib import Path

from common import require_inputs



def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def overlap_score(a: str, b: str) -> float:
    first, second = set(words(a)), set(words(b))
    return round(5 * len(first & second) / max(1, len(first | second)), 3)


def build_pairs(train_tsv: Path, count: int, seed: int) -> list[tuple[str, str, float]]:
    """Pairs of SST-2 sentences (5 to 14 words) with their word-overlap score."""
    import pandas as pd

    frame = pd.read_csv(train_tsv, sep="\t", quoting=3)
    sentences = [s for s in frame["sentence"].astype(str) if 5 <= len(s.split()) <= 14]
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        first, other = rng.sample(sentences, 2)
        if rng.random() < 1 / 5:
            second = other
        else:
            keep = rng.random()
            own = [w for w in first.split() if rng.random() < keep]
            filler = other.split()[:max(0, len(first.split()) - len(own))]
            half = len(own) // 2
            second = " ".join(own[:half] + filler + own[half:]) or other
        pairs.append((first, second, overlap_score(first, second)))
    return pairs


def write_pairs(path: Path, pairs) -> Path:
    import pandas as pd

    pd.DataFrame(pairs, columns=["sentence1", "sentence2", "score"]).to_csv(
        path, sep="\t", index=False)
    return path


def app_run(model: Path, train: Path, validation: Path, args, workdir: Path,
            seed: int) -> dict:
    """pft-desktop's recipe, as the app and the command line run it."""
    from pft_desktop.core.recipe import run_training

    config = hyperparameters(seed)
    config.task.kind = "regression"
    config.model.name_or_path = str(model)
    config.data.train_file, config.data.validation_file = str(train), str(validation)
    config.data.text_column, config.data.text_pair_column = "sentence1", "sentence2"
    config.data.label_column = "score"
    config.method.kind = "full"
    t = config.training
    t.max_steps, t.batch_size, t.learning_rate = args.steps, args.batch_size, args.learning_rate
    t.eval_steps = t.save_steps = args.steps  # one evaluation, at the end: no best-of-many
    started = time.monotonic()
    outcome = run_training(config, workdir / "app-run")
    assert outcome.status == "finished", outcome
    metrics = outcome.metrics
    return {"pearson": metrics["eval_pearson"], "spearman": metrics["eval_spearman"],
            "rmse": metrics["eval_rmse"], "seconds": time.monotonic() - started}


def hyperparameters(seed: int):
    """The app's defaults, which the plain script copies."""
    from pft_desktop.core.config import RunConfig

    config = RunConfig()
    config.task.max_length = 128
    config.training.seed = seed
    return config


def plain_run(model: Path, train_pairs, validation_pairs, args, workdir: Path, seed: int,
              sampling: str = "random") -> dict:
    """What a person writes from the transformers docs: tokenize pairs, Trainer, evaluate."""
    import datasets
    import numpy as np
    import pandas as pd
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer,
                              DataCollatorWithPadding, Trainer, TrainingArguments, set_seed)

    t = hyperparameters(seed).training
    max_length = hyperparameters(seed).task.max_length
    started = time.monotonic()
    tokenizer = AutoTokenizer.from_pretrained(model)

    def dataset(pairs):
        data = datasets.Dataset.from_dict({"s1": [p[0] for p in pairs],
                                           "s2": [p[1] for p in pairs],
                                           "labels": [float(p[2]) for p in pairs]})
        return data.map(lambda b: tokenizer(b["s1"], b["s2"], truncation=True,
                                            max_length=max_length),
                        batched=True, remove_columns=["s1", "s2"])

    set_seed(seed)
    net = AutoModelForSequenceClassification.from_pretrained(model, num_labels=1)
    training = TrainingArguments(
        output_dir=str(workdir / "plain"), max_steps=args.steps,
        per_device_train_batch_size=args.batch_size, per_device_eval_batch_size=args.batch_size,
        learning_rate=args.learning_rate, weight_decay=t.weight_decay,
        warmup_steps=t.warmup_ratio, lr_scheduler_type=t.scheduler,
        max_grad_norm=t.max_grad_norm, seed=seed, data_seed=seed, use_cpu=True,
        train_sampling_strategy=sampling,
        save_strategy="no", eval_strategy="no", report_to="none", disable_tqdm=True)
    trainer = Trainer(model=net, args=training, train_dataset=dataset(train_pairs),
                      data_collator=DataCollatorWithPadding(tokenizer))
    trainer.train()
    output = trainer.predict(dataset(validation_pairs))
    predicted, true = output.predictions.ravel(), output.label_ids.ravel()
    ranks = [pd.Series(x).rank().to_numpy() for x in (true, predicted)]  # ties: mean rank
    return {"pearson": float(np.corrcoef(true, predicted)[0, 1]),
            "spearman": float(np.corrcoef(*ranks)[0, 1]),
            "rmse": float(np.sqrt(((predicted - true) ** 2).mean())),
            "seconds": time.monotonic() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=80)
    parser.add_argument("--train-pairs", type=int, default=1500)
    parser.add_argument("--validation-pairs", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--seeds", default="42,1,2",
                        help="training seeds, each run on both sides (42 is the app's default)")
    parser.add_argument("--attribution", action="store_true",
                        help="also run the plain script with length-grouped batches, as the "
                        "recipe trains")
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    model, train_tsv = require_inputs()
    pairs = build_pairs(train_tsv, args.train_pairs + args.validation_pairs, seed=0)
    train_pairs, validation_pairs = pairs[:args.train_pairs], pairs[args.train_pairs:]
    sides = {"pft-desktop recipe": [], "plain Trainer": []}
    if args.attribution:
        sides["plain, grouped"] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        train = write_pairs(workdir / "train.tsv", train_pairs)
        validation = write_pairs(workdir / "validation.tsv", validation_pairs)
        for seed in seeds:
            sides["pft-desktop recipe"].append(
                app_run(model, train, validation, args, workdir / f"app-{seed}", seed))
            sides["plain Trainer"].append(plain_run(model, train_pairs, validation_pairs, args,
                                                    workdir / f"plain-{seed}", seed))
            if args.attribution:
                sides["plain, grouped"].append(plain_run(
                    model, train_pairs, validation_pairs, args, workdir / f"grouped-{seed}",
                    seed, "group_by_length"))
    mean = {name: {key: sum(run[key] for run in runs) / len(runs) for key in runs[0]}
            for name, runs in sides.items()}
    difference = mean["pft-desktop recipe"]["pearson"] - mean["plain Trainer"]["pearson"]
    print(json.dumps({"seeds": seeds, "runs": sides, "mean": mean,
                      "pearson_difference": difference}))
    print(f"\nall-MiniLM-L6-v2, word-overlap pair similarity from SST-2 sentences, "
          f"{args.train_pairs} train / {args.validation_pairs} validation pairs, "
          f"{args.steps} steps, batch {args.batch_size}, learning rate {args.learning_rate}, "
          f"seeds {args.seeds}")
    for name, runs in sides.items():
        each = " ".join(f"{run['pearson']:.4f}" for run in runs)
        side = mean[name]
        print(f"{name:<20} Pearson {side['pearson']:.4f} (each seed: {each})  Spearman "
              f"{side['spearman']:.4f}  RMSE {side['rmse']:.3f}  "
              f"({sum(run['seconds'] for run in runs):.0f} s)")
    verdict = "within" if abs(difference) <= 0.02 else "NOT within"
    print(f"Mean Pearson difference (recipe - plain): {difference:+.4f}, {verdict} the 0.02 bar")


if __name__ == "__main__":
    main()
