"""The "pretrain, then fine-tune" claim on real data.

On SST-2 with 500 labeled training sentences, fine-tune the same small encoder architecture
(a) after pretraining it from scratch with pft-desktop on the unlabeled sentences of train.tsv
    (masked language modelling, tokenizer trained on the same text), and
(b) from random weights (the same tokenizer, so only the pretraining differs),
with the same fine-tuning budget, and print both accuracies on dev.tsv.

    .venv/bin/python benchmarks/bench_pretrain_claim.py [--pretrain-rows 67349]
        [--pretrain-epochs 6] [--size tiny] [--fine-tune-epochs 10] [--fine-tune-lr 1e-4]
        [--keep DIR | --pretrained DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from common import SST2  # noqa: E402 (benchmarks run as scripts)

LABELED = 500


def pretrain(workdir: Path, args) -> Path:
    from pft_desktop.cli import main

    started = time.monotonic()
    code = main(["pretrain", "--data", str(SST2 / "train.tsv"), "--text-column", "sentence",
                 "--from-scratch", "encoder", "--size", args.size, "--max-length", "64",
                 "--batch-size", "64", "--learning-rate", "1e-3", "--epochs",
                 str(args.pretrain_epochs), "--max-rows", str(args.pretrain_rows),
                 "--seed", "0", "--output", str(workdir / "pretrain")])
    assert code == 0, "pretraining failed"
    print(f"pretraining took {time.monotonic() - started:.0f} s", flush=True)
    if args.keep:
        import shutil

        shutil.copytree(workdir / "pretrain" / "model", args.keep, dirs_exist_ok=True)
    return workdir / "pretrain" / "model"


def random_twin(pretrained: Path, workdir: Path) -> Path:
    """The same architecture and tokenizer with fresh random weights."""
    from transformers import AutoConfig, AutoModelForMaskedLM, AutoTokenizer, set_seed

    set_seed(0)
    folder = workdir / "random"
    AutoModelForMaskedLM.from_config(AutoConfig.from_pretrained(pretrained)).save_pretrained(
        folder)
    AutoTokenizer.from_pretrained(pretrained).save_pretrained(folder)
    return folder


def fine_tune(model: Path, labeled: Path, workdir: Path, name: str, epochs: int,
              learning_rate: float) -> dict:
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.recipe import run_training

    config = RunConfig()
    config.model.name_or_path = str(model)
    config.data.train_file, config.data.validation_file = str(labeled), str(SST2 / "dev.tsv")
    config.data.text_column, config.data.label_column = "sentence", "label"
    config.task.max_length = 64
    config.method.kind = "full"
    config.training.epochs, config.training.batch_size = epochs, 16
    config.training.learning_rate, config.training.seed = learning_rate, 0
    outcome = run_training(config, workdir / f"fine-tune-{name}")
    assert outcome.status == "finished", outcome
    return outcome.metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pretrain-rows", type=int, default=67349)
    parser.add_argument("--pretrain-epochs", type=float, default=6.0)
    parser.add_argument("--keep", type=Path, help="copy the pretrained model here")
    parser.add_argument("--size", default="tiny", choices=["tiny", "small", "base"])
    parser.add_argument("--fine-tune-epochs", type=int, default=10)
    parser.add_argument("--fine-tune-lr", type=float, default=1e-4)
    parser.add_argument("--pretrained", type=Path, help="reuse a model pretrained earlier by "
                        "this benchmark (its run folder's model/) instead of pretraining again")
    args = parser.parse_args()
    if not (SST2 / "train.tsv").is_file():
        raise SystemExit(f"skip: SST-2 is not at {SST2}")
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        frame = pd.read_csv(SST2 / "train.tsv", sep="\t", quoting=3)
        labeled = workdir / "labeled-500.tsv"
        frame.sample(n=LABELED, random_state=0).to_csv(labeled, sep="\t", index=False)
        pretrained = args.pretrained or pretrain(workdir, args)
        random = random_twin(pretrained, workdir)
        results = {name: fine_tune(model, labeled, workdir, name, args.fine_tune_epochs,
                                   args.fine_tune_lr)
                   for name, model in (("pretrained", pretrained), ("random", random))}
    print(json.dumps({k: {m: v for m, v in r.items() if m in ("eval_accuracy", "eval_f1")}
                      for k, r in results.items()}))
    print(f"\nSST-2, {LABELED} labeled sentences, a {args.size} BERT-style encoder; fine-tuning: "
          f"full, {args.fine_tune_epochs} epochs, batch 16, lr {args.fine_tune_lr:g}, "
          "max length 64")
    print(f"pretraining: masked LM from scratch on {args.pretrain_rows:,} unlabeled train.tsv "
          f"sentences, {args.pretrain_epochs:g} epoch(s), blocks of 64, batch 64, lr 1e-3")
    print(f"{'start':<34} dev accuracy   dev macro F1")
    for name, label in (("pretrained", "pretrained by pft-desktop"), ("random", "random weights")):
        r = results[name]
        print(f"{label:<34} {r['eval_accuracy']:.3f}          {r['eval_f1']:.3f}")


if __name__ == "__main__":
    main()
