"""When pretraining pays: SST-2 dev accuracy against the number of labels, for four starting
points of one fine-tuning recipe.

Starting points (the same fine-tuning for each, through the app's recipe):
  random     random weights, all-MiniLM-L6-v2's architecture and tokenizer
  scratch    an encoder pft-desktop pretrains from scratch (its own WordPiece tokenizer) with
             masked language modelling on SST-2's unlabeled train.tsv sentences
  minilm     all-MiniLM-L6-v2 as shipped (the demo model)
  continued  all-MiniLM-L6-v2 after continued (task-adaptive) masked-LM pretraining with
             pft-desktop on the same unlabeled sentences (it ships without a masked-LM head,
             so the head is new)
For each label budget (labelled sentences drawn from train.tsv per seed; the same draw for
every starting point) and seed, full fine-tuning for a fixed number of steps, evaluated once,
at the end, on dev.tsv's 872 sentences (no epoch is picked on dev).

Every finished cell (each pretraining, each fine-tune) is kept in WORKDIR/results.json, so an
interrupted run resumes where it stopped; ``--only-report`` prints the table from it. The plot
goes to docs/pretrain_pays.png.

    .venv/bin/python benchmarks/bench_pretrain_pays.py [--workdir DIR] [--quick]
        [--only-report] [--rerun BUDGET]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SST2  # noqa: E402 (benchmarks run as scripts)

ROOT = Path(__file__).resolve().parents[1]
PLOT = ROOT / "docs" / "pretrain_pays.png"
STARTS = {"random": "random weights (MiniLM architecture)",
          "scratch": "pretrained from scratch by pft-desktop",
          "minilm": "all-MiniLM-L6-v2 as shipped",
          "continued": "all-MiniLM-L6-v2 + continued pretraining"}

# The full setting. Fine-tuning: a fixed number of steps per label budget at batch 16 (9.6,
# 4.8 and 2.4 epochs), the same for every starting point; lr 1e-4 is inside the usual range
# for full fine-tuning of a small encoder and was not tuned on dev for any starting point.
# (16, 32 and 64 steps, tried first, were too few for even all-MiniLM-L6-v2 to learn: 0.509
# and 0.538 dev accuracy at 100 and 500 labels.)
FULL = {
    "budgets": [100, 500, 2000], "seeds": [0, 1, 2],
    "steps": {100: 60, 500: 150, 2000: 300},
    "fine_tune": {"batch_size": 16, "learning_rate": 1e-4, "max_length": 64},
    "dev_rows": 0,  # all 872
    # Each pretraining sized to about 10-15 minutes on the shared cores. From scratch: the
    # tiny preset at lr 1e-3 (a new model wants a high rate); continued: lr 1e-4, since a
    # pretrained model's weights are to be adapted, not overwritten.
    "scratch": {"size": "tiny", "steps": 100, "batch_size": 64, "learning_rate": 1e-3,
                "block": 64},
    "continued": {"steps": 40, "batch_size": 16, "learning_rate": 1e-4, "block": 64},
    "validation_split": 0.02,
}
QUICK = {
    "budgets": [32, 64], "seeds": [0, 1],
    "steps": {32: 4, 64: 4},
    "fine_tune": {"batch_size": 16, "learning_rate": 1e-4, "max_length": 64},
    "dev_rows": 64,
    "scratch": {"size": "tiny", "steps": 4, "batch_size": 16, "learning_rate": 1e-3,
                "block": 64, "max_rows": 2000},
    "continued": {"steps": 3, "batch_size": 8, "learning_rate": 1e-4, "block": 64,
                  "max_rows": 2000},
    "validation_split": 0.02,
}


class Results:
    """The results file: one entry per finished cell, written after each."""

    def __init__(self, path: Path):
        self.path = path
        self.data = json.loads(path.read_text()) if path.is_file() else {}

    def get(self, key: str):
        return self.data.get(key)

    def put(self, key: str, value) -> None:
        self.data[key] = value
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, sort_keys=True))
        os.replace(tmp, self.path)


def pretrain(kind: str, setting: dict, workdir: Path, results: Results) -> dict:
    """One pretraining through the app's command line (``pft-desktop pretrain``)."""
    key = f"pretrain/{kind}"
    if results.get(key):
        return results.get(key)
    from pft_desktop.cli import main
    from pft_desktop.core.models import demo_model_path
    from pft_desktop.core.rundir import RunFolder
    from pft_desktop.core.runstore import summarize

    p = setting[kind]
    out = workdir / f"pretrain-{kind}"
    shutil.rmtree(out, ignore_errors=True)
    start = ["--from-scratch", "encoder", "--size", p["size"]] if kind == "scratch" else \
        ["--model", str(demo_model_path())]
    argv = ["pretrain", "--data", str(SST2 / "train.tsv"), "--text-column", "sentence",
            *start, "--max-length", str(p["block"]), "--batch-size", str(p["batch_size"]),
            "--learning-rate", str(p["learning_rate"]), "--max-steps", str(p["steps"]),
            "--validation-split", str(setting["validation_split"]), "--seed", "0",
            "--output", str(out)]
    if p.get("max_rows"):
        argv += ["--max-rows", str(p["max_rows"])]
    print(f"\n== pretraining ({kind}): pft-desktop {' '.join(argv)}", flush=True)
    started = time.monotonic()
    code = main(argv)
    wall = time.monotonic() - started
    if code != 0:
        raise SystemExit(f"pretraining ({kind}) failed; see {out / 'train.log'}")
    folder = RunFolder(out)
    summary = summarize(folder)
    losses = [e["loss"] for e in folder.timeline() if e.get("type") == "step" and "loss" in e]
    notices = [e["text"] for e in folder.timeline() if e.get("type") == "warning"]
    record = {"model": str(out / "model"), "wall_s": round(wall, 1),
              "train_s": round(summary.duration_s, 1), "steps": summary.step,
              "first_loss": losses[0] if losses else None,
              "final_train_loss": round(statistics.mean(losses[-20:]), 3) if losses else None,
              "eval_loss": summary.final_metrics.get("eval_loss"),
              "eval_perplexity": summary.final_metrics.get("eval_perplexity"),
              "notices": notices, "setting": p}
    results.put(key, record)
    return record


def random_model(workdir: Path, results: Results) -> str:
    """all-MiniLM-L6-v2's architecture and tokenizer with random weights (seed 0)."""
    if results.get("model/random"):
        return results.get("model/random")["model"]
    from transformers import AutoConfig, AutoModel, AutoTokenizer, set_seed

    from pft_desktop.core.models import demo_model_path

    set_seed(0)
    folder = workdir / "random-minilm"
    shutil.rmtree(folder, ignore_errors=True)
    AutoModel.from_config(AutoConfig.from_pretrained(demo_model_path())).save_pretrained(folder)
    AutoTokenizer.from_pretrained(demo_model_path()).save_pretrained(folder)
    results.put("model/random", {"model": str(folder)})
    return str(folder)


def labelled(budget: int, seed: int, workdir: Path) -> Path:
    """``budget`` labelled sentences drawn from train.tsv with ``seed``."""
    import pandas as pd

    path = workdir / "labels" / f"train-{budget}-seed{seed}.tsv"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        frame = pd.read_csv(SST2 / "train.tsv", sep="\t", quoting=3)
        frame.sample(n=budget, random_state=seed).to_csv(path, sep="\t", index=False)
    return path


def dev_file(setting: dict, workdir: Path) -> Path:
    if not setting["dev_rows"]:
        return SST2 / "dev.tsv"
    import pandas as pd

    path = workdir / "dev-sample.tsv"
    pd.read_csv(SST2 / "dev.tsv", sep="\t", quoting=3).head(setting["dev_rows"]).to_csv(
        path, sep="\t", index=False)
    return path


def fine_tune(model: str, budget: int, seed: int, setting: dict, workdir: Path) -> dict:
    """The app's recipe, full fine-tuning, a fixed number of steps, evaluated at the end
    (evaluating and saving "every 10**6 steps": the Trainer still evaluates and saves at its
    last step, and the recipe evaluates once more; both see the last weights, so nothing is
    picked on dev)."""
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.recipe import run_training

    f, steps = setting["fine_tune"], setting["steps"][budget]
    config = RunConfig()
    config.model.name_or_path = model
    config.data.train_file = str(labelled(budget, seed, workdir))
    config.data.validation_file = str(dev_file(setting, workdir))
    config.data.text_column, config.data.label_column = "sentence", "label"
    config.task.kind, config.task.max_length = "classification", f["max_length"]
    config.method.kind = "full"
    t = config.training
    t.max_steps, t.eval_steps = steps, 10**6
    t.save_steps = t.eval_steps
    t.batch_size, t.learning_rate, t.seed = f["batch_size"], f["learning_rate"], seed
    t.save_total_limit, t.eval_max_rows = 1, 0
    run_dir = workdir / "runs" / "current"
    shutil.rmtree(run_dir, ignore_errors=True)
    started = time.monotonic()
    outcome = run_training(config, run_dir)
    wall = time.monotonic() - started
    if outcome.status != "finished":
        raise SystemExit(f"fine-tuning {model} failed: {outcome}")
    m = outcome.metrics
    shutil.rmtree(run_dir, ignore_errors=True)  # about 270 MB each for MiniLM
    gc.collect()
    return {"accuracy": m["eval_accuracy"], "f1": m.get("eval_f1"), "steps": steps,
            "wall_s": round(wall, 1)}


def run_all(setting: dict, workdir: Path, results: Results, rerun: int | None) -> None:
    from pft_desktop.core.models import demo_model_path

    models = {"random": random_model(workdir, results),
              "scratch": pretrain("scratch", setting, workdir, results)["model"],
              "minilm": str(demo_model_path()),
              "continued": pretrain("continued", setting, workdir, results)["model"]}
    budgets = [rerun] if rerun else setting["budgets"]
    prefix = "rerun" if rerun else "fine-tune"
    for seed in setting["seeds"]:  # seed by seed: a cut-short run still has every budget
        for budget in budgets:
            for start, model in models.items():
                key = f"{prefix}/{start}/{budget}/{seed}"
                if results.get(key):
                    continue
                print(f"\n== {key}", flush=True)
                results.put(key, fine_tune(model, budget, seed, setting, workdir))
                print(f"   accuracy {results.get(key)['accuracy']:.3f} "
                      f"({results.get(key)['wall_s']:.0f} s)", flush=True)


def cell(results: Results, prefix: str, start: str, budget: int, seeds) -> list[float]:
    return [results.get(f"{prefix}/{start}/{budget}/{s}")["accuracy"] for s in seeds
            if results.get(f"{prefix}/{start}/{budget}/{s}")]


def report(setting: dict, results: Results) -> str:
    """The markdown table (mean ± std (min–max) per cell), the pretrainings and the re-run."""
    seeds, lines = setting["seeds"], []
    lines.append("| starting point | " + " | ".join(f"{b:,} labels" for b in setting["budgets"])
                 + " |")
    lines.append("|---|" + "---|" * len(setting["budgets"]))
    for start, label in STARTS.items():
        row = []
        for budget in setting["budgets"]:
            values = cell(results, "fine-tune", start, budget, seeds)
            row.append(_stats(values, len(seeds)))
        lines.append(f"| {label} | " + " | ".join(row) + " |")
    lines.append("")
    for kind in ("scratch", "continued"):
        p = results.get(f"pretrain/{kind}")
        if p:
            s = p["setting"]
            lines.append(
                f"- pretraining `{kind}`: {p['steps']} steps of batch {s['batch_size']} x "
                f"{s['block']} tokens, lr {s['learning_rate']:g}, {p['wall_s']:.0f} s wall "
                f"({p['train_s']:.0f} s training); masked-LM loss {p['first_loss']:.2f} -> "
                f"{p['final_train_loss']:.2f} (train, last 20 steps), held-out "
                f"{p['eval_loss']:.2f} (perplexity {p['eval_perplexity']:.0f})")
            for notice in p["notices"]:
                lines.append(f"  - the app said: \"{notice}\"")
    walls = [v["wall_s"] for k, v in results.data.items() if k.startswith("fine-tune/")]
    if walls:
        lines.append(f"- {len(walls)} fine-tunes, {sum(walls) / 60:.1f} min in all")
    reruns = sorted({int(k.split("/")[2]) for k in results.data if k.startswith("rerun/")})
    for budget in reruns:
        lines.append(f"\nRe-run of the {budget:,}-label fine-tunes (same seeds and draws):\n")
        lines.append("| starting point | first run | re-run |\n|---|---|---|")
        for start, label in STARTS.items():
            lines.append(f"| {label} | "
                         f"{_stats(cell(results, 'fine-tune', start, budget, seeds), len(seeds))}"
                         f" | {_stats(cell(results, 'rerun', start, budget, seeds), len(seeds))} |")
    return "\n".join(lines)


def _stats(values: list[float], expected: int) -> str:
    if not values:
        return "–"
    mean = statistics.mean(values)
    if len(values) == 1:
        return f"{mean:.3f} [1 of {expected} seeds]"
    spread = statistics.stdev(values)
    text = f"{mean:.3f} ± {spread:.3f} ({min(values):.3f}–{max(values):.3f})"
    return text + (f" [{len(values)}/{expected} seeds]" if len(values) < expected else "")


def plot(setting: dict, results: Results, path: Path) -> None:
    """Accuracy against label budget (log scale), one line per starting point, error bars of
    one standard deviation; drawn with pyqtgraph (matplotlib is not installed)."""
    import math

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # pyqtgraph needs one
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    widget = pg.PlotWidget()
    widget.resize(820, 520)
    item = widget.getPlotItem()
    done = {int(k.rsplit("/", 1)[1]) for k in results.data if k.startswith("fine-tune/")}
    item.setTitle(f"SST-2 dev accuracy ({setting['dev_rows'] or 872} sentences), mean ± std "
                  f"over the seeds finished ({len(done)} of {len(setting['seeds'])} begun)")
    item.setLabel("bottom", "labelled training sentences")
    item.setLabel("left", "dev accuracy")
    item.getAxis("left").enableAutoSIPrefix(False)
    item.addLegend(offset=(10, 10))
    item.showGrid(x=True, y=True, alpha=0.3)
    budgets = setting["budgets"]
    item.getAxis("bottom").setTicks([[(math.log10(b), f"{b:,}") for b in budgets]])
    colors = {"random": "#888888", "scratch": "#d95f02", "minilm": "#1b9e77",
              "continued": "#7570b3"}
    for start, label in STARTS.items():
        xs, means, stds = [], [], []
        for budget in budgets:
            values = cell(results, "fine-tune", start, budget, setting["seeds"])
            if values:
                xs.append(math.log10(budget))
                means.append(statistics.mean(values))
                stds.append(statistics.stdev(values) if len(values) > 1 else 0.0)
        if not xs:
            continue
        pen = pg.mkPen(colors[start], width=2)
        item.plot(xs, means, pen=pen, symbol="o", symbolBrush=colors[start], name=label)
        import numpy as np

        item.addItem(pg.ErrorBarItem(x=np.array(xs), y=np.array(means), height=2 * np.array(stds),
                                     beam=0.03, pen=pen))
    item.setXRange(math.log10(budgets[0]) - 0.15, math.log10(budgets[-1]) + 0.15)
    item.setYRange(0.45, 0.95 if setting is FULL else 1.0)
    path.parent.mkdir(parents=True, exist_ok=True)
    app.processEvents()
    widget.grab().save(str(path))
    print(f"plot written to {path}")


def calibrate_estimate(rounds: int = 9) -> None:
    """How far the app's time estimate (core.estimate, calibrated on MiniLM fine-tuning) is
    from a new encoder's masked-LM pretraining step. Steps of the calibration workload and of
    pretraining alternate in one process on one thread, so their ratio holds on cores shared
    with other work (two threads each would fight the other processes for the cores)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, \
        DataCollatorForLanguageModeling

    from pft_desktop.core.config import PretrainSettings
    from pft_desktop.core.estimate import flop_seconds_per_step
    from pft_desktop.core.models import demo_model_path
    from pft_desktop.core.pretrain import architecture, build_model, positions_for, \
        train_tokenizer

    torch.set_num_threads(1)
    texts = list(__import__("pandas").read_csv(SST2 / "train.tsv", sep="\t",
                                               quoting=3)["sentence"][:20000])
    reference = AutoModelForSequenceClassification.from_pretrained(demo_model_path(),
                                                                   num_labels=2)
    ref_tok = AutoTokenizer.from_pretrained(demo_model_path())
    ref_batch = ref_tok(texts[:16], padding=True, return_tensors="pt")
    ref_batch["labels"] = torch.zeros(16, dtype=torch.long)
    ref_tokens = float(ref_batch["attention_mask"].sum()) / 16
    ref_params = sum(p.numel() for p in reference.parameters())
    arms = {"reference": (reference, ref_batch, flop_seconds_per_step(
        ref_params, ref_params, 16, ref_tokens))}
    tokenizer = train_tokenizer(texts, "encoder", 8000, 64)
    collate = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15)
    ids = tokenizer(texts[:400])["input_ids"]
    stream = [t for row in ids for t in row]
    blocks = [stream[i * 64:(i + 1) * 64] for i in range(64)]
    for size in ("tiny", "small"):
        arch = architecture(PretrainSettings(from_scratch="encoder", size=size))
        model = build_model(arch, tokenizer, positions_for(64))
        params = arch.parameters(len(tokenizer), positions_for(64))
        arms[size] = (model, collate([{"input_ids": b} for b in blocks]),
                      flop_seconds_per_step(params, params, 64, 64))
    times = {name: [] for name in arms}
    optimizers = {name: torch.optim.AdamW(arm[0].parameters(), lr=1e-5)
                  for name, arm in arms.items()}
    for _ in range(rounds):
        for name, (model, batch, _) in arms.items():
            optimizer = optimizers[name]
            started = time.perf_counter()
            model(**batch).loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            times[name].append(time.perf_counter() - started)
    ratios = {name: statistics.median(times[name][1:]) / arms[name][2] for name in arms}
    for name in arms:
        print(f"{name:<10} {times[name]}\n{name:<10} measured {statistics.median(times[name][1:]):.3f} s/step, "
              f"estimated {arms[name][2]:.3f} s/step, ratio {ratios[name]:.2f}")
    for size in ("tiny", "small"):
        print(f"pretraining a {size} encoder: the estimate is "
              f"{ratios[size] / ratios['reference']:.2f}x optimistic against the reference")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where models and results.json are kept (default "
                             "/tmp/pretrain-pays, or /tmp/pretrain-pays-quick with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="a tiny setting that checks the whole path in a few minutes")
    parser.add_argument("--only-report", action="store_true",
                        help="print the table (and write the plot) from results.json")
    parser.add_argument("--rerun", type=int, metavar="BUDGET",
                        help="fine-tune this label budget again (all starts and seeds) and "
                             "compare with the first run")
    parser.add_argument("--plot", type=Path, default=None, help=f"default {PLOT} (full run)")
    parser.add_argument("--calibrate-estimate", action="store_true",
                        help="measure how far the time estimate is from a pretraining step")
    args = parser.parse_args()
    if args.calibrate_estimate:
        return calibrate_estimate()
    setting = QUICK if args.quick else FULL
    workdir = args.workdir or Path("/tmp/pretrain-pays" + ("-quick" if args.quick else ""))
    workdir.mkdir(parents=True, exist_ok=True)
    results = Results(workdir / "results.json")
    if not args.only_report:
        if not (SST2 / "train.tsv").is_file():
            raise SystemExit(f"skip: SST-2 is not at {SST2}")
        started = time.monotonic()
        run_all(setting, workdir, results, args.rerun)
        print(f"\nthis invocation took {(time.monotonic() - started) / 60:.1f} min")
    f = setting["fine_tune"]
    print(f"\nSST-2, fine-tuning: full, batch {f['batch_size']}, lr {f['learning_rate']:g}, "
          f"max length {f['max_length']}, steps per budget {setting['steps']}, evaluated once "
          f"at the end on dev.tsv ({setting['dev_rows'] or 872} sentences)\n")
    print(report(setting, results))
    plot(setting, results, args.plot or (PLOT if not args.quick else workdir / "plot.png"))


if __name__ == "__main__":
    main()
