"""Estimates against what runs measure: a grid of short real runs through the app's runner
(models built from configs at two sizes, BERT-like and Llama-like; full, LoRA and QLoRA 4-bit;
two batch sizes; two lengths), each printed with the estimate the Hyperparameters page shows
and the measured figure side by side: peak memory and seconds per step, their ratio, and the
share of rows within 20%.

Measured 2026-12-02 on 2 free CPU cores (load average 1.2 to 1.5), all 24 runs in 151 to
165 s. With the FLOP rule then in use (2e11 FLOP/s, no fixed costs), seconds per step were
within 20% in 2 of 24 (estimates 0.23 to 0.85 of the measured). The CPU step model in
core.estimate (a fixed cost per step, per token per weight, attention, per trained weight) was
fitted to that run and the demo's MiniLM steps; a second run of the grid afterwards: seconds per
step within 20% in 16 of 24 (ratios 0.66 to 1.39; the misses are mostly steps of 0.01 to 0.02 s,
which the run's events time to 0.01 s, and QLoRA's on the smallest model), peak memory in 22 of
24 (0.79 to 1.02). Earlier, on cores shared with other work (load average 3 to 10), measured
step times varied tenfold between neighbouring rows: a step's time is then the other
processes'. Past runs with the same settings correct it (core.estimate_history).

Run again 2026-12-02 22:36 UTC with the CPU speed-ups (then word-embedding row updates,
since dropped, quick_dropout and cpu_matmul), when the machine ran the unchanged script of
bench_time_to_accuracy 2.4x slower than in the afternoon: 24 runs in 348 s, peak memory within 20% in 20 of 24 (0.74 to 1.00),
seconds per step in 0 of 24 (estimates 0.25 to 0.54 of the measured). The speed-ups do not
slow these models (same-process A/B of a step, bert-h128-l2 batch 16 length 128: 127 ms
plain, 106 ms with them; llama-h256-l4: 572 and 578 ms): the machine did.

Run again 2026-12-03 06:28 UTC (2 free cores, load average 1.3; 24 runs in 318 s) after each
run began recording its pace (measured seconds per step over the rule's estimate for its
shape; core.estimate_history.machine_pace): by the rule alone 0 of 24 within 20% (0.26 to
0.63), at the median pace of the grid's runs before each (what the app shows for settings it
never ran) 11 of 23 (0.47 to 1.49); the misses mostly follow a switch between lengths 32 and
128 (short steps are mostly fixed costs, which the rule prices low). Peak memory: 19 of 24
(0.68 to 1.00).

With the demo's real MiniLM added (``--demo``: 36 runs, 07:20 UTC, 521 s): the rule then in
use missed the small models by 2 to 4 times and the MiniLM by at most 1.4 (5 of 36 within
20%), and a pace from runs of any model carried the small models' misses to the MiniLM (17 of
35). The step model was refitted to those 36 runs (core.estimate: a cost a layer, one per
token per layer per unit of width; matrix products held at the MiniLM's cost) and the pace
now comes from runs of the same model first. A fresh grid afterwards (07:31 UTC, 547 s, load
average 1.4): 25 of 36 within 20% by the rule (0.54 to 1.35), 29 of 35 at the pace of the
runs before each (0.71 to 1.34); peak memory 28 of 36 (0.67 to 1.16).

After core.needed_tokens (BERT-family classifiers compute their last layer for the first
token alone, on CPUs): the rule priced those steps up to 1.86 times what they measured
(15:34 UTC, 36 runs in 516 s: 16 of 36 within 20%). The step model now prices the products
from a measured cost a token a weight (12 h^2 a layer, 2 of them in a first-token last layer,
4 of 6 multiply-adds for frozen weights) and its other terms were refitted to that grid: 28
of 36 there. A fresh grid (15:49 UTC, 520 s, load average 1.7): 21 of 36 by the rule (0.68
to 1.79), 24 of 35 at the pace of the runs before each (0.55 to 1.62), peak memory 35 of 36
(0.79 to 1.16). The same 36 settings measured in the two grids, 15 minutes apart with the
same code, were within 20% of each other in 25 of 36 (0.53 to 1.50; ``--repeatability``),
and those of the 07:31 and 10:47 grids in 31 of 36 (0.64 to 1.07): 14 short steps repeat no
closer than that on these cores, so no estimate can be held to 20% on every row here.

    nice -n 10 .venv/bin/python benchmarks/bench_estimates.py --demo

Each run is its own ``python -m pft_desktop.runner`` process (as the app starts it), so its
peak memory is its own; seconds per step and peak memory come from the run's summary
(``rundir.measured_figures``: the median after warm-up). No timed assertions: a table.

    nice -n 10 .venv/bin/python benchmarks/bench_estimates.py [--steps 14] [--quick]

It writes what it measured to ``measured.json`` in its work folder; ``--replay FILE`` prints the
table again from such a file with the estimate as it is now (after changing a constant), and
``--repeatability FIRST SECOND`` how close two such grids' measured steps came.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# name -> (architecture, hidden, layers, heads)
MODELS = {"bert-h128-l2": ("bert", 128, 2, 2), "llama-h256-l4": ("llama", 256, 4, 4)}
METHODS = ("full", "lora", "qlora-4bit")
BATCHES = (8, 16)
LENGTHS = (32, 128)


def build_model(kind: str, hidden: int, layers: int, heads: int, folder: Path) -> dict:
    from tests.helpers import _bpe_tokenizer, _wordpiece_tokenizer
    from transformers import (BertConfig, BertForSequenceClassification, LlamaConfig,
                              LlamaForSequenceClassification, set_seed)

    set_seed(0)
    if kind == "bert":
        tokenizer = _wordpiece_tokenizer(folder)
        model = BertForSequenceClassification(BertConfig(
            vocab_size=len(tokenizer), hidden_size=hidden, num_hidden_layers=layers,
            num_attention_heads=heads, intermediate_size=4 * hidden,
            max_position_embeddings=256, pad_token_id=tokenizer.pad_token_id))
    else:
        tokenizer = _bpe_tokenizer(folder, chat_template=False)
        tokenizer.pad_token = tokenizer.eos_token
        tokenizer.save_pretrained(folder)
        model = LlamaForSequenceClassification(LlamaConfig(
            vocab_size=len(tokenizer), hidden_size=hidden, intermediate_size=3 * hidden,
            num_hidden_layers=layers, num_attention_heads=heads, num_key_value_heads=heads,
            max_position_embeddings=512, pad_token_id=tokenizer.eos_token_id))
    model.save_pretrained(folder)
    return {"parameters": model.num_parameters(), "hidden": hidden, "layers": layers,
            "heads": heads}


def demo_model() -> tuple[Path, dict] | None:
    """The real all-MiniLM-L6-v2 of the demo package (22.7M weights: the size people tune on a
    CPU), or None when it is not installed."""
    from pft_desktop.core.models import demo_model_path

    path = demo_model_path()
    if path is None:
        return None
    from transformers import AutoConfig, AutoModelForSequenceClassification

    config = AutoConfig.from_pretrained(path)
    model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=2)
    return path, {"parameters": model.num_parameters(), "hidden": config.hidden_size,
                  "layers": config.num_hidden_layers, "heads": config.num_attention_heads}


def write_data(folder: Path, words: int, rows: int = 400) -> Path:
    import random

    from tests.helpers import FILLER, NEGATIVE, POSITIVE

    rng = random.Random(words)
    path = folder / f"rows-{words}.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("review,sentiment\n")
        for i in range(rows):
            positive = i % 2 == 0
            text = [rng.choice(FILLER) for _ in range(words - 1)]
            text.insert(rng.randrange(words), rng.choice(POSITIVE if positive else NEGATIVE))
            handle.write(f"{' '.join(text)},{'positive' if positive else 'negative'}\n")
    return path


def run_config(model: Path, data: Path, method: str, batch: int, length: int, steps: int):
    from pft_desktop.core.config import RunConfig

    config = RunConfig()
    config.model.name_or_path = str(model)
    config.data.train_file = str(data)
    config.data.text_column, config.data.label_column = "review", "sentiment"
    config.data.validation_split = 0.1
    config.task.max_length = length
    config.method.kind = method
    config.training.batch_size = batch
    config.training.max_steps = steps
    config.training.eval_steps = 0
    config.training.save_steps = 0
    return config


def run_one(root: Path, model: Path, data: Path, method: str, batch: int, length: int,
            steps: int):
    from pft_desktop.core.rundir import RunFolder
    from pft_desktop.core.runstore import summarize

    config = run_config(model, data, method, batch, length, steps)
    folder = RunFolder.create(root / f"{model.name}-{method}-b{batch}-l{length}", config)
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pft_desktop.runner", str(folder.path)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - began
    summary = summarize(folder)
    if summary.status != "finished" or not summary.measured:
        why = summary.error or done.stderr.strip().splitlines()[-1:] or ["no steps measured"]
        return None, f"{summary.status}: {str(why)[:100]}", seconds
    report = folder.data_report()
    tokens = (report.get("token_lengths") or {}).get("mean") or length
    started = [e for e in folder.timeline() if e.get("type") == "started"]
    shape = (started[-1].get("step_shape") or {}) if started else {}
    return (summary.measured, min(tokens, length), shape), "", seconds


def estimate_for(info: dict, method: str, batch: int, length: int, tokens: float,
                 first_token: bool = False):
    """What the Hyperparameters page shows. ``first_token``: the run computed its last layer
    for the first token alone (its step shape says so; runs before 2026-12-03 did not)."""
    from pft_desktop.core.estimate import estimate_memory, estimate_seconds_per_step

    memory = estimate_memory(info["parameters"], info["hidden"], info["layers"], info["heads"],
                             method=method, batch_size=batch, seq_len=length, on_cpu=True)
    seconds = estimate_seconds_per_step(info["parameters"], memory.trainable_parameters,
                                        batch, tokens, layers=info["layers"],
                                        hidden=info["hidden"], first_token=first_token)
    return memory.total, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=14)
    parser.add_argument("--quick", action="store_true",
                        help="one model, batch 8 and 16 at one length (6 runs)")
    parser.add_argument("--demo", action="store_true",
                        help="also the demo's real all-MiniLM-L6-v2 (12 more runs)")
    parser.add_argument("--replay", metavar="MEASURED_JSON")
    parser.add_argument("--repeatability", nargs=2, metavar="MEASURED_JSON",
                        help="how close two grids' measured steps came to each other")
    args = parser.parse_args()
    from pft_desktop.core import estimate_history

    if args.replay:
        table(json.loads(Path(args.replay).read_text()))
        return
    if args.repeatability:
        repeatability(*(json.loads(Path(f).read_text()) for f in args.repeatability))
        return
    work = Path(tempfile.mkdtemp(prefix="pft-estimates-"))
    os.environ["PFT_RUNS_ROOT"] = str(work / "runs")
    models = dict(list(MODELS.items())[:1]) if args.quick else MODELS
    lengths = LENGTHS[:1] if args.quick else LENGTHS
    grid = [(name, shape) for name, shape in models.items()]
    if args.demo:
        grid.append(("minilm-l6-demo", None))
    records, began = [], time.perf_counter()
    for name, shape in grid:
        if shape is None:
            found = demo_model()
            if found is None:
                print("  the demo model package is not installed: no MiniLM rows", flush=True)
                continue
            folder, info = found
        else:
            folder = work / name
            folder.mkdir()
            info = build_model(*shape, folder)
        for method, batch, length in itertools.product(METHODS, BATCHES, lengths):
            data = write_data(work, words=max(length - 4, 4))
            estimate_history.forget_cache()  # what the app would show now: the pace so far
            pace = estimate_history.machine_pace(run_config(folder, data, method, batch,
                                                            length, args.steps), work / "runs")
            measured, problem, _ = run_one(work / "runs", folder, data, method, batch, length,
                                           args.steps)
            records.append({"model": name, "info": info, "method": method, "batch": batch,
                            "length": length, "problem": problem,
                            "figures": measured[0] if measured else None,
                            "tokens": measured[1] if measured else None,
                            "first_token": bool(measured and measured[2].get("first_token")),
                            "pace": pace.factor if pace else None})
            print(f"  ran {name} {method} batch {batch} length {length} "
                  f"{'ok' if measured else problem}", flush=True)
            (work / "measured.json").write_text(json.dumps(records, indent=1))  # as it goes
    print(f"\n{len(records)} runs in {time.perf_counter() - began:.0f} s (load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); measured figures in "
          f"{work / 'measured.json'}")
    table(records)


def table(records: list[dict]) -> None:
    print(f"{'model':<14} {'method':<10} {'batch':>5} {'len':>4} {'tok/row':>7}  "
          f"{'memory est':>10} {'measured':>9} {'ratio':>6}  {'s/step est':>10} "
          f"{'measured':>9} {'ratio':>6}  {'at pace':>7} {'ratio':>6}")
    rows, within = [], {"memory": 0, "time": 0, "paced": 0, "with_pace": 0}
    for r in records:
        if r["figures"] is None:
            print(f"{r['model']:<14} {r['method']:<10} {r['batch']:>5} {r['length']:>4}  "
                  f"skipped ({r['problem']})")
            continue
        memory, seconds = estimate_for(r["info"], r["method"], r["batch"], r["length"],
                                       r["tokens"], r.get("first_token", False))
        peak, step = r["figures"]["peak_memory_bytes"], r["figures"]["seconds_per_step"]
        ratios = memory / peak, seconds / step
        within["memory"] += abs(ratios[0] - 1) <= 0.2
        within["time"] += abs(ratios[1] - 1) <= 0.2
        rows.append(ratios)
        paced = ""
        if r.get("pace"):  # the rule at the pace of the grid's runs before this one
            ratio = seconds * r["pace"] / step
            within["with_pace"] += 1
            within["paced"] += abs(ratio - 1) <= 0.2
            paced = f"  {seconds * r['pace']:7.4f} {ratio:6.2f}"
        print(f"{r['model']:<14} {r['method']:<10} {r['batch']:>5} {r['length']:>4} "
              f"{r['tokens']:7.1f}  {memory / 2**20:8.0f}MB {peak / 2**20:7.0f}MB "
              f"{ratios[0]:6.2f}  {seconds:10.4f} {step:9.4f} {ratios[1]:6.2f}{paced}")
    if rows:
        print(f"within 20%: memory {within['memory']}/{len(rows)}, seconds per step "
              f"{within['time']}/{len(rows)} by the rule, {within['paced']}/"
              f"{within['with_pace']} by the rule at the pace of the runs before it")


def repeatability(first: list[dict], second: list[dict]) -> None:
    """The second grid's measured seconds per step over the first's, setting by setting: the
    closest any estimate can be expected to come."""
    key = lambda r: (r["model"], r["method"], r["batch"], r["length"])  # noqa: E731
    before = {key(r): r["figures"]["seconds_per_step"] for r in first if r["figures"]}
    ratios = [r["figures"]["seconds_per_step"] / before[key(r)] for r in second
              if r["figures"] and key(r) in before]
    if not ratios:
        print("no setting measured in both grids")
        return
    print(f"{len(ratios)} settings in both grids: the second measured within 20% of the first "
          f"in {sum(abs(q - 1) <= 0.2 for q in ratios)} (ratios {min(ratios):.2f} to "
          f"{max(ratios):.2f}, median {sorted(ratios)[len(ratios) // 2]:.2f})")


if __name__ == "__main__":
    main()
