"""Instant data checks (issue 15): the check as it was against the check as it is, side by side.

(a) SST-2 (67,349 rows), the report after a change of mapping. Old: a fresh `pft-desktop check`
    child per change (what the Data page started), tokenizing every row. New: the warm check
    service (`check --serve`) answering the changed request: time to its first report.
(b) A generated million-row CSV opened and reported, the datasets cache emptied first. Old: a
    fresh `check` child. New: the warm service's first request for that file (and the time
    until it has counted every row's tokens in the background).
(c) Time and peak RSS from a fresh process's start to its first training step on the
    million-row file (the demo model, LoRA, max_steps=1, no validation split).
(d) Peak RSS checking a generated 200 MB CSV, the datasets cache emptied first. Old: a `check`
    child. New: a fresh service answering it and counting every row; both also less the fixed
    cost of a process that only imports and loads the tokenizer.

Measured 2026-12-03, 2 cores shared with other work (timings ~2x slower than the README's):
(d) new peak 695 MB (1,836 MB before the file's rows, not each part's, decided whether batches
are grouped by counted tokens); about 560 MB of it is imports (torch via transformers'
tokenizer: 220 MB), the tokenizer and the memory-mapped table's pages. (a) 2.55 s against
11.8 s old before the service stopped counting tokens for batches; prepare alone 0.7 s after.
(b) 4.2 s against 60.5 s old.

All four again, 16:45-17:06 UTC, 2 free cores (--parts abcd --rounds 3 --big-rounds 1): (a)
0.84 s against 20.1 s old (0.52 s against 11.8 s in a second run of (a) alone 20 minutes
later), (b) 6.54 s against 83.4 s, (c) 12.4 s against 77.0 s (peak 772 MB against 790 MB),
(d) 696 MB against 1,860 MB, its report at 11.9 s against 148.8 s.

Evening, 18:52-19:09 UTC, 2 free cores, after the tokenizer was loaded through its declared
class (no torch in a check process: its fixed cost 356 MB -> 172 MB), labels mapped by Arrow,
repeated rows compared by Arrow's group_by and datasets parsing about 4 MB a chunk: (a) 0.50 s
against 13.7 s (three rounds, 0.45-0.51), (b) 4.00 s against 73.9 s (three rounds, each
reading the file again: 3.19-4.25), (d) 513 MB against 1,852 MB (two runs), its report at
10.2 s against 150.6 s. Until then, (b)'s later rounds found the file still held by the
service (an unread round: 2.35 s); each round now gives it a new modification time.

2026-12-04 03:20-04:17 UTC, 2 free cores, plain CSVs read by pyarrow into a kept Arrow copy
(core/plain_csv.py) instead of datasets' pandas chunks: (b) 2.10 s against 54.2 s (three
rounds, 2.02-2.11; exact figures at 15.5 s), (a) 0.24 s against 7.28 s (three rounds,
0.22-0.29), (d) 510 MB against 1,859 MB (two runs), its report at 5.9 s against 104.2 s,
(c) 8.3 s against 48.0 s (two rounds; peak 824 MB against 784 MB).

The old path is the classification task of commit OLD_COMMIT (before issue 15), read from git
and put in place of today's in the child, with the check cache off, count_cells' old 16 MB
blocks and every CSV read by datasets. Rounds alternate old and new; medians and ratios are printed.

    .venv/bin/python benchmarks/bench_data_check.py [--rounds 3] [--big-rounds 2] [--workdir D]
        [--parts abcd]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import require_inputs

OLD_COMMIT = "ed6b414"  # classification.py as it was before issue 15
ROOT = Path(__file__).resolve().parents[1]
MILLION_ROWS, BIG_BYTES = 1_000_000, 200_000_000


# -- the child processes ------------------------------------------------------------------------

def use_old_path() -> None:
    """In a child: the classification task of OLD_COMMIT (full tokenization in prepare, lengths
    of the first 5,000 rows), no check cache, count_cells' 16 MB blocks, every CSV read by
    datasets (no pyarrow copy), and the tokenizer through AutoTokenizer (which imports torch)
    as every model's was then."""
    import importlib.machinery
    import types

    import pft_desktop.core.tasks  # noqa: F401  (the registry, before the module is replaced)
    from pft_desktop.core import tokenizer_class

    tokenizer_class.load_declared = lambda path: None

    name = "pft_desktop.core.tasks.classification"
    source = subprocess.check_output(["git", "-C", str(ROOT), "show",
                                      f"{OLD_COMMIT}:pft_desktop/core/tasks/classification.py"])
    module = types.ModuleType(name)
    module.__file__ = f"{OLD_COMMIT}:classification.py"
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    from pft_desktop.core import check_cache, tabular

    check_cache.lookup = lambda key: None
    tabular.BLOCK_SIZES = (1 << 24,)
    tabular.is_plain = lambda *facts: False  # every file through datasets' pandas loader


def child_main(argv: list[str]) -> int:
    """--child {old|new} {check CONFIG | train CONFIG OUT_JSON | baseline MODEL}"""
    path, what, *rest = argv
    if path == "old":
        use_old_path()
    if what == "check":
        from pft_desktop.cli import main

        return main(["check", rest[0], "--json"])
    if what == "baseline":  # the fixed cost of a check process: imports and the tokenizer
        import datasets  # noqa: F401
        import pandas  # noqa: F401

        from pft_desktop.core.tasks.base import load_tokenizer

        load_tokenizer(rest[0])
        return 0
    from pft_desktop.core import events
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.recipe import run_training

    config = RunConfig.from_dict(json.loads(Path(rest[0]).read_text()))
    first = {}

    def sink(event):
        if event.get("type") == events.STEP and not first:
            first["at"] = time.time()
            Path(rest[1]).write_text(json.dumps(first))

    outcome = run_training(config, Path(tempfile.mkdtemp()) / "run", sink)
    return 0 if outcome.status == "finished" else 1


def run_child(args: list[str], env: dict) -> tuple[float, float, int]:
    """Start this file as a child; (seconds, peak RSS in MB, exit code)."""
    start = time.time()
    process = subprocess.Popen([sys.executable, __file__, "--child", *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.time() - start, usage.ru_maxrss / 1024, process.returncode


class Service:
    """A `pft-desktop check --serve` child; ask() times a request to its first report."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen([sys.executable, "-m", "pft_desktop", "check",
                                         "--serve"], env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, cwd=ROOT)
        self.asked = 0

    def ask(self, config: dict) -> tuple[float, float]:
        """Seconds to the first report, and to the exact one (the same when exact at once)."""
        self.asked += 1
        start = time.perf_counter()
        self.process.stdin.write(json.dumps({"id": self.asked, "config": config}) + "\n")
        self.process.stdin.flush()
        first = None
        while True:
            message = json.loads(self.process.stdout.readline())
            if message.get("id") != self.asked:
                continue
            if message["type"] == "error":
                raise SystemExit(f"check failed: {message}")
            first = first or time.perf_counter() - start
            if message.get("exact"):
                return first, time.perf_counter() - start

    def close(self) -> float:
        """Peak RSS in MB over the child's life."""
        self.process.stdin.close()
        _, _, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = 0
        return usage.ru_maxrss / 1024


# -- inputs ---------------------------------------------------------------------------------------

def generated_csv(path: Path, rows: int, words: tuple[int, int], seed: int) -> Path:
    """Short reviews (a sentiment word among filler words) with a label; kept between runs."""
    import csv
    import random

    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import FILLER, NEGATIVE, POSITIVE

    marker = path.with_suffix(".done")
    if marker.exists() and path.exists():
        return path
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for _ in range(rows):
            positive = rng.random() < 0.5
            text = rng.choices(FILLER, k=rng.randint(*words))
            word = rng.choice(POSITIVE if positive else NEGATIVE)
            text.insert(rng.randrange(len(text) + 1), word)
            writer.writerow([" ".join(text), "positive" if positive else "negative"])
    marker.touch()
    return path


def config_for(model: Path, data: Path, text: str, label: str, **data_settings) -> dict:
    from pft_desktop.core.config import RunConfig

    config = RunConfig()
    config.model.name_or_path, config.data.train_file = str(model), str(data)
    config.data.text_column, config.data.label_column = text, label
    config.task.max_length, config.method.kind = 64, "lora"
    config.training.batch_size, config.training.max_steps = 16, 1
    for key, value in data_settings.items():
        setattr(config.data, key, value)
    return config.to_dict()


def write_config(workdir: Path, name: str, config: dict) -> str:
    path = workdir / f"{name}.json"
    path.write_text(json.dumps(config))
    return str(path)


# -- the measurements -----------------------------------------------------------------------------

def median(values):
    return statistics.median(values) if values else float("nan")


def line(label: str, old: list, new: list, unit: str, goal: str = "") -> None:
    o, n = median(old), median(new)
    print(f"{label:54s} old {o:8.2f} {unit:3s} new {n:8.2f} {unit:3s} old/new {o / n:6.1f}x"
          + (f"   goal: {goal}" if goal else ""), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of (a)")
    parser.add_argument("--big-rounds", type=int, default=2, help="rounds of (b), (c), (d)")
    parser.add_argument("--workdir", help="keeps the generated files between invocations")
    parser.add_argument("--parts", default="abcd", help="which measurements to run, e.g. d")
    args = parser.parse_args()
    model, sst2 = require_inputs()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-check-"))
    workdir.mkdir(parents=True, exist_ok=True)
    hf_cache, check_cache = workdir / "hf-datasets", workdir / "checks"
    env = {**os.environ, "HF_DATASETS_CACHE": str(hf_cache), "PFT_CHECK_CACHE": str(check_cache),
           "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "PYTHONPATH": str(ROOT),
           "TOKENIZERS_PARALLELISM": "true"}
    print(f"{os.cpu_count()} processors, load {os.getloadavg()[0]:.2f}; generating inputs in "
          f"{workdir}", flush=True)
    million = generated_csv(workdir / "million.csv", MILLION_ROWS, (2, 8), 0)
    big = generated_csv(workdir / "big.csv", 860_000, (30, 60), 1)
    print(f"million.csv {million.stat().st_size / 1e6:.0f} MB, big.csv "
          f"{big.stat().st_size / 1e6:.0f} MB", flush=True)
    results: dict[str, list] = {}

    def keep(key, value):
        results.setdefault(key, []).append(value)

    if "a" in args.parts:
        measure_a(args, env, workdir, model, sst2, keep)
    if "b" in args.parts:
        measure_b(args, env, workdir, model, sst2, million, hf_cache, check_cache, keep)
    if "c" in args.parts:
        measure_c(args, env, workdir, model, million, check_cache, keep, results)
    baseline = None
    if "d" in args.parts:
        baseline = measure_d(args, env, workdir, model, big, hf_cache, check_cache, keep, results)
    summary(args, results, big, baseline)


def measure_a(args, env, workdir, model, sst2, keep) -> None:
    """(a) SST-2, a change of mapping: the held-out share, different each round (no cache
    hit)."""
    service = Service(env)
    service.ask(config_for(model, sst2, "sentence", "label", validation_split=0.1))
    for round_ in range(args.rounds):
        config = config_for(model, sst2, "sentence", "label", validation_split=0.11 + round_ / 100)
        seconds, _, code = run_child(["old", "check", write_config(workdir, "sst2", config)], env)
        assert code == 0
        keep("a_old", seconds)
        first, exact = service.ask(config)
        keep("a_new", first)
        keep("a_new_exact", exact)
        print(f"(a) round {round_ + 1}: old {seconds:.2f} s, new {first:.3f} s "
              f"(exact figures at {exact:.2f} s)", flush=True)
    service.close()


def measure_b(args, env, workdir, model, sst2, million, hf_cache, check_cache, keep) -> None:
    """(b) The million-row file, opened: the datasets cache emptied before each side."""
    million_config = config_for(model, million, "text", "label")
    million_file = write_config(workdir, "million", million_config)
    service = Service(env)
    service.ask(config_for(model, sst2, "sentence", "label"))  # warm, as the page has it
    for round_ in range(args.big_rounds):
        shutil.rmtree(hf_cache, ignore_errors=True)
        seconds, _, code = run_child(["old", "check", million_file], env)
        assert code == 0
        keep("b_old", seconds)
        shutil.rmtree(hf_cache, ignore_errors=True)
        shutil.rmtree(check_cache, ignore_errors=True)
        os.utime(million)  # a new fingerprint: the service reads the file again, not its copy
        first, exact = service.ask(million_config)
        keep("b_new", first)
        keep("b_new_exact", exact)
        print(f"(b) round {round_ + 1}: old {seconds:.2f} s, new {first:.2f} s "
              f"(exact figures at {exact:.2f} s)", flush=True)
    service.close()


def measure_c(args, env, workdir, model, million, check_cache, keep, results) -> None:
    """(c) To the first training step on the million-row file (datasets cache warm for
    both)."""
    train_config = config_for(model, million, "text", "label", validation_split=0.0)
    train_file = write_config(workdir, "million-train", train_config)
    for round_ in range(args.big_rounds):
        for side in ("old", "new"):
            shutil.rmtree(check_cache, ignore_errors=True)
            out = workdir / f"first-step-{side}.json"
            out.unlink(missing_ok=True)
            start = time.time()
            _, peak, code = run_child([side, "train", train_file, str(out)], env)
            assert code == 0 and out.exists(), f"{side} training failed"
            keep(f"c_{side}", json.loads(out.read_text())["at"] - start)
            keep(f"c_{side}_rss", peak)
        print(f"(c) round {round_ + 1}: old {results['c_old'][-1]:.1f} s "
              f"{results['c_old_rss'][-1]:.0f} MB, new {results['c_new'][-1]:.1f} s "
              f"{results['c_new_rss'][-1]:.0f} MB", flush=True)



def measure_d(args, env, workdir, model, big, hf_cache, check_cache, keep, results) -> dict:
    """(d) Peak memory for the 200 MB file, read from the CSV each time; returns the fixed
    cost of a check process in MB, old and new (the old tokenizer loader imported torch)."""
    big_config = config_for(model, big, "text", "label")
    big_file = write_config(workdir, "big", big_config)
    baseline = {path: run_child([path, "baseline", str(model)], env)[1]
                for path in ("old", "new")}
    for round_ in range(args.big_rounds):
        shutil.rmtree(hf_cache, ignore_errors=True)
        seconds, peak, code = run_child(["old", "check", big_file], env)
        assert code == 0
        keep("d_old", seconds)
        keep("d_old_rss", peak)
        shutil.rmtree(hf_cache, ignore_errors=True)
        shutil.rmtree(check_cache, ignore_errors=True)
        start = time.perf_counter()
        service = Service(env)
        first, exact = service.ask(big_config)
        keep("d_new", time.perf_counter() - start - (exact - first))
        keep("d_new_rss", service.close())
        print(f"(d) round {round_ + 1}: old {seconds:.1f} s {peak:.0f} MB, new "
              f"{results['d_new'][-1]:.1f} s {results['d_new_rss'][-1]:.0f} MB (exact "
              f"figures {exact - first:.1f} s later)", flush=True)
    return baseline


def summary(args, results: dict, big: Path, baseline: dict | None) -> None:
    print(f"\nMedians ({args.rounds} rounds of (a), {args.big_rounds} of the others):")
    if "a" in args.parts:
        line("(a) SST-2 report after a mapping change", results["a_old"], results["a_new"],
             "s", "< 0.5 s")
        print(f"    new: exact figures over all rows after "
              f"{median(results['a_new_exact']):.2f} s")
    if "b" in args.parts:
        line("(b) million-row CSV opened and reported", results["b_old"], results["b_new"],
             "s", "< 3 s")
        print(f"    new: exact figures over all rows after "
              f"{median(results['b_new_exact']):.2f} s")
    if "c" in args.parts:
        line("(c) first training step, million rows: time", results["c_old"],
             results["c_new"], "s", "within seconds")
        line("(c) first training step, million rows: peak RSS", results["c_old_rss"],
             results["c_new_rss"], "MB")
    if "d" in args.parts:
        size = big.stat().st_size / 2**20
        line("(d) 200 MB CSV check: time to the report", results["d_old"], results["d_new"],
             "s")
        line("(d) 200 MB CSV check: peak RSS", results["d_old_rss"], results["d_new_rss"],
             "MB", f"< 3x the file = {3 * size:.0f} MB")
        print(f"    fixed cost of a check process (imports, tokenizer): old "
              f"{baseline['old']:.0f} MB, new {baseline['new']:.0f} MB; above it: old "
              f"{median(results['d_old_rss']) - baseline['old']:.0f} MB, new "
              f"{median(results['d_new_rss']) - baseline['new']:.0f} MB for a {size:.0f} MB "
              "file")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(child_main(sys.argv[2:]))
    main()
