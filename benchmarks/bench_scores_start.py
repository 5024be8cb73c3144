"""Regression and multi-label runs on a big file: the data preparation before step 1, rows
tokenized up front (as before 2026-12-03) against rows tokenized as batches are read
(core.lazy_tokens), side by side in one invocation.

Each side is a fresh process that runs ``recipe.prepare`` on the same generated file of SST-2
sentences (a score column for regression, a "|"-separated tag column for multi-label) with
the demo's MiniLM tokenizer; the old side puts the task's ``_tokenize`` of OLD_COMMIT in
place. Rounds alternate; medians and the ratio are printed.

    .venv/bin/python benchmarks/bench_scores_start.py [--rows 300000] [--rounds 2]

Measured 2026-12-03 16:15 UTC on 2 cores that another process was using (load average 2.2 to
2.6), 300,000 rows (21 MB), one round: regression 29.0 s up front against 8.5 s as read
(3.4x), multi-label 39.7 s against 7.7 s (5.2x). Multi-label's validation split also lost a
list scan (8 s of a 28 s profile) on both sides.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import require_inputs, sample_sentences

OLD_COMMIT = "baadad3"  # both tasks tokenized every row in prepare
ROOT = Path(__file__).resolve().parents[1]
TASKS = {"regression": "pft_desktop/core/tasks/regression.py",
         "multi-label": "pft_desktop/core/tasks/multi_label.py"}


def child(task: str, side: str, model: str, data: str) -> None:
    sys.path.insert(0, str(ROOT))
    import importlib

    from pft_desktop.core import recipe
    from pft_desktop.core.config import RunConfig

    module = importlib.import_module(TASKS[task].replace("/", ".")[:-3])
    if side == "old":
        source = subprocess.check_output(["git", "-C", str(ROOT), "show",
                                          f"{OLD_COMMIT}:{TASKS[task]}"], text=True)
        start = source.index("def _tokenize")
        namespace = dict(module.__dict__)
        exec(source[start:source.index("\n# -- metrics", start)], namespace)
        before = namespace["_tokenize"]
        module._tokenize = lambda *args: before(*args[:-1])  # it took no row count
    config = RunConfig()
    config.task.kind, config.model.name_or_path = task, model
    config.data.train_file, config.data.text_column = data, "review"
    config.data.label_column = "rating" if task == "regression" else "tags"
    began = time.perf_counter()
    prepared = recipe.prepare(config)
    prepared.data.train[0]  # the first row as step 1 reads it
    print(json.dumps({"seconds": time.perf_counter() - began}))


def write_file(workdir: Path, sentences: list[str], rows: int) -> Path:
    import random

    rng = random.Random(0)
    path = workdir / f"scores-{rows}.csv"
    tags = ["plot", "acting", "music", "pace"]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("review,rating,tags\n")
        for i in range(rows):
            text = sentences[i % len(sentences)].replace('"', "'").strip()
            chosen = "|".join(rng.sample(tags, rng.randint(1, 2)))
            handle.write(f'"{text}",{rng.random():.3f},{chosen}\n')
    return path


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:6])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    model, train = require_inputs()
    workdir = Path(tempfile.mkdtemp(prefix="pft-scores-start-"))
    sentences, _ = sample_sentences(train, rows=60_000)
    data = write_file(workdir, sentences, args.rows)
    print(f"{args.rows:,} rows in {data} ({data.stat().st_size / 1e6:.0f} MB)")
    for task in TASKS:
        times = {"old": [], "new": []}
        for _ in range(args.rounds):
            for side in ("old", "new"):
                done = subprocess.run([sys.executable, __file__, "--child", task, side,
                                       str(model), str(data)], capture_output=True, text=True)
                if done.returncode:
                    sys.exit(f"{task} {side} failed: {done.stderr.strip()[-400:]}")
                times[side].append(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])
        old, new = statistics.median(times["old"]), statistics.median(times["new"])
        print(f"{task:<12} prepare to the first row: tokenized up front {old:.1f} s, as read "
              f"{new:.1f} s: {old / new:.2f}x (rounds {times})")


if __name__ == "__main__":
    main()
