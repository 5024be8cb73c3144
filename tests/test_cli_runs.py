"""The run library on the command line: `runs` (list, show, compare), `stop`, `--runs-root`,
runs named by name or path, `train --resume NAME` and `train --more RUN`.

Listing tests build run folders on disk the way a run writes them (config, status, events,
metrics) in every status; stop, resume and train more use real tiny training runs."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import classification_config
from pft_desktop.cli import main
from pft_desktop.core import events
from pft_desktop.core.config import RunConfig
from pft_desktop.core.rundir import STATUSES, RunFolder, process_started, write_json

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def runs_root(tmp_path, monkeypatch):
    """Every test gets its own runs root: a run without --output must never land in the user's
    real library."""
    root = tmp_path / "runs"
    monkeypatch.setenv("PFT_RUNS_ROOT", str(root))
    monkeypatch.delenv("PFT_DESKTOP_RUNS_DIR", raising=False)
    return root


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def make_run(root: Path, name: str, status: str, started: float, learning_rate=2e-4,
             steps=40, accuracy=0.9, **extra) -> RunFolder:
    """A run folder as the runner leaves it: config, status, events and metrics."""
    folder = RunFolder(root / name)
    folder.path.mkdir(parents=True)
    config = RunConfig()
    config.model.name_or_path = "/models/tiny-bert"
    config.data.train_file = "/data/reviews.csv"
    config.training.learning_rate = learning_rate
    config.save(folder.config_file)
    write_json(folder.status_file, {"status": status, "schema": 2, "started": started, **extra})
    write = events.JsonlWriter(folder.events_file)
    write({"type": events.STARTED, "time": started, "total_steps": 100})
    for step in range(1, steps + 1):
        write({"type": events.STEP, "step": step, "max_steps": 100, "loss": 1 / step,
               "elapsed_s": step * 0.5, "time": started + step})
    write({"type": events.EVAL, "step": steps, "eval_loss": 0.3, "eval_accuracy": accuracy,
           "eval_f1": accuracy, "time": started + steps})
    if status == "failed":
        write({"type": events.ERROR, "kind": "out_of_memory", "message": "Ran out of memory.",
               "fix": "Lower the batch size."})
    if status != "running":
        write({"type": events.FINISHED, "status": status})
    write.close()
    if status in ("finished", "stopped"):
        write_json(folder.metrics_file, {"eval_accuracy": accuracy, "eval_loss": 0.3})
    return folder


@pytest.fixture
def library(runs_root) -> dict[str, str]:
    """One run in every status, newest first by name order: name -> status."""
    now = time.time()
    pid = os.getpid()
    spec = {"a-running": ("running", {"pid": pid, "pid_started": process_started(pid)}),
            "b-finished": ("finished", {}),
            "c-stopped": ("stopped", {}),
            "d-interrupted": ("running", {"pid": dead_pid()}),
            "e-failed": ("failed", {"error": {"kind": "out_of_memory", "message": "Ran out of "
                                              "memory.", "fix": "Lower the batch size."}}),
            "f-diverged": ("diverged", {})}
    for age, (name, (status, extra)) in enumerate(spec.items()):
        make_run(runs_root, name, status, now - 60 * age, **extra)
    return {name: name.split("-", 1)[1] for name in spec}


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def fails(capsys, argv, *needles) -> str:
    code, _, err = run_cli(capsys, *argv)
    assert code == 1, err
    assert "Error: " in err and "Fix: " in err and "Traceback" not in err
    for needle in needles:
        assert needle in err, f"{needle!r} not in {err!r}"
    return err


# -- listing, showing, comparing ---------------------------------------------------------------

def test_runs_json_lists_every_status(library, capsys):
    code, out, _ = run_cli(capsys, "runs", "--json")
    assert code == 0
    runs = json.loads(out)
    assert {run["name"]: run["status"] for run in runs} == library
    assert set(library.values()) == set(STATUSES)
    assert [run["name"] for run in runs] == sorted(library), "newest first"
    finished = next(run for run in runs if run["name"] == "b-finished")
    assert (finished["model"], finished["task"], finished["method"], finished["step"]) == \
        ("tiny-bert", "classification", "lora", 40)
    assert finished["best_metric"] == "eval_f1" and finished["best_value"] == 0.9
    code, out, _ = run_cli(capsys, "runs", "--json", "--status", "interrupted")
    assert [run["name"] for run in json.loads(out)] == ["d-interrupted"]


def test_runs_table(library, capsys):
    code, out, _ = run_cli(capsys, "runs")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split() == ["NAME", "STARTED", "MODEL", "TASK", "METHOD", "STATUS", "STEPS",
                              "BEST", "DURATION", "SIZE"]
    assert [row.split()[0] for row in rows] == sorted(library)
    for row in rows:
        name = row.split()[0]
        assert f" {library[name]} " in row, row
        assert "tiny-bert" in row and "classification" in row and "40/100" in row
    assert "f1 0.9" in rows[1] and "0:20" in rows[1]  # best metric; 40 steps of 0.5 s


def test_an_empty_library_says_where_it_looked(runs_root, capsys):
    code, out, err = run_cli(capsys, "runs")
    assert code == 0 and out == ""
    assert f"No runs in {runs_root}" in err
    assert run_cli(capsys, "runs", "--json")[1].strip() == "[]"


def test_runs_show(library, runs_root, capsys):
    make_run(runs_root, "g-child", "finished", time.time() - 1000, learning_rate=1e-3,
             parent=str(runs_root / "b-finished"))
    code, out, _ = run_cli(capsys, "runs", "show", "g-child")
    assert code == 0
    for needle in ("Status    finished, step 40/100", "Model     tiny-bert (classification, lora)",
                   f"Parent    {runs_root / 'b-finished'}", "Final metrics", "eval_accuracy",
                   "training.learning_rate  0.001", "model.name_or_path",
                   "pft-desktop train --more g-child"):
        assert needle in out, f"{needle!r} not in {out}"
    assert "training.epochs" not in out, "only settings that differ from the defaults"
    code, out, _ = run_cli(capsys, "runs", "show", str(runs_root / "e-failed"), "--json")
    shown = json.loads(out)
    assert shown["status"] == "failed" and shown["config"]["training"]["learning_rate"] == 2e-4
    assert shown["last_error"] == {"kind": "out_of_memory", "message": "Ran out of memory.",
                                   "fix": "Lower the batch size."}
    code, out, _ = run_cli(capsys, "runs", "show", "e-f")  # a unique start of a name
    assert "Error     Ran out of memory.\nFix       Lower the batch size." in out


def test_runs_compare_shows_only_the_differing_config(runs_root, capsys):
    now = time.time()
    make_run(runs_root, "slow", "finished", now, learning_rate=1e-4, accuracy=0.8)
    make_run(runs_root, "fast", "finished", now, learning_rate=1e-3, accuracy=0.95)
    code, out, _ = run_cli(capsys, "runs", "compare", "slow", "fast", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["config_diff"] == {"training.learning_rate": {"slow": 1e-4, "fast": 1e-3}}
    assert result["metrics"]["eval_accuracy"] == {"slow": 0.8, "fast": 0.95}
    code, out, _ = run_cli(capsys, "runs", "compare", "slow", str(runs_root / "fast"))
    lines = out.splitlines()
    assert lines[0].split() == ["slow", "fast"]
    assert any(line.split() == ["eval_accuracy", "0.8", "0.95"] for line in lines), out
    assert any(line.split() == ["training.learning_rate", "0.0001", "0.001"] for line in lines)
    assert "training.epochs" not in out and "model.name_or_path" not in out


def test_bad_run_references_are_explained(library, runs_root, tmp_path, capsys):
    fails(capsys, ["runs", "show", "nope"], "No run named 'nope'", "pft-desktop runs")
    fails(capsys, ["runs", "show", str(tmp_path / "gone")], "There is no run folder")
    make_run(runs_root, "e-fine", "finished", time.time())
    fails(capsys, ["runs", "show", "e-f"], "matches 2 runs", "more of the name")
    fails(capsys, ["runs", "compare", "b-finished"], "at least two runs")
    fails(capsys, ["runs", "compare", "b-finished", str(runs_root / "b-finished")],
          "more than once")


def test_runs_root_flag_before_or_after_the_command(runs_root, tmp_path, capsys):
    other = tmp_path / "elsewhere"
    make_run(other, "far-run", "finished", time.time())
    for argv in (["--runs-root", str(other), "runs", "--json"],
                 ["runs", "--runs-root", str(other), "--json"],
                 ["runs", "show", "far-run", "--runs-root", str(other), "--json"]):
        code, out, err = run_cli(capsys, *argv)
        assert code == 0, err
        assert "far-run" in out
    assert os.environ["PFT_RUNS_ROOT"] == str(runs_root), "the variable is restored"
    assert json.loads(run_cli(capsys, "runs", "--json")[1]) == []
    (tmp_path / "a-file").write_text("")
    fails(capsys, ["--runs-root", str(tmp_path / "a-file"), "runs"], "is a file")


def test_stop_refuses_a_run_that_is_not_running(library, capsys):
    fails(capsys, ["stop", "b-finished"], "is not running: it is finished", "--more b-finished")
    fails(capsys, ["stop", "d-interrupted"], "it is interrupted", "--resume d-interrupted")
    assert not RunFolder(Path(os.environ["PFT_RUNS_ROOT"]) / "b-finished").stop_requested()


# -- real runs: stop, resume by name, train more -----------------------------------------------

def test_stop_a_running_run(runs_root, tiny_encoder, sentiment_csv, tmp_path, capsys):
    """A runner process trains (100,000 steps planned); `pft-desktop stop NAME` from another
    process's point of view asks it to stop: it saves a checkpoint and ends as stopped."""
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=100000,
                                   eval_steps=100000)
    folder = RunFolder.create(runs_root / "live-run", config)
    with open(tmp_path / "runner.log", "w") as log:
        runner = subprocess.Popen([sys.executable, "-m", "pft_desktop.runner", str(folder.path)],
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log,
                                  cwd=REPO)
    try:
        deadline = time.monotonic() + 180
        while not any(e.get("type") == events.STEP for e in folder.timeline()):
            assert runner.poll() is None, (tmp_path / "runner.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the runner made no step in 180 s"
            time.sleep(0.2)
        assert folder.state() == "running"
        code, _, err = run_cli(capsys, "stop", "live", "--timeout", "120")
        assert code == 0, err
        assert "stopped at step" in err and "--resume live-run" in err
        assert runner.wait(timeout=60) == 0
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
    assert folder.state() == "stopped"
    assert folder.latest_checkpoint() is not None
    assert not folder.stop_requested()
    steps = [e["step"] for e in folder.timeline() if e.get("type") == events.STEP]
    assert 0 < steps[-1] < 100000


def tiny_train(tiny_encoder, data, *extra) -> list[str]:
    return ["train", "--model", str(tiny_encoder), "--data", str(data), "--method", "full",
            "--text-column", "review", "--label-column", "sentiment", "--batch-size", "8",
            "--max-length", "32", *extra]


def test_train_without_output_then_resume_by_name(runs_root, tiny_encoder, sentiment_csv,
                                                  capsys):
    """A run without --output lands in the runs root and says its name; after its process is
    killed (status left "running", pid dead) `train --resume NAME` finishes it, and resuming the
    finished run is refused with the way to train more. (No validation: a finished run then
    keeps no last checkpoint, so the latest is step 4, as after a kill between saves.)"""
    code, _, err = run_cli(capsys, *tiny_train(tiny_encoder, sentiment_csv, "--max-steps", "6",
                                               "--save-steps", "2", "--validation-split", "0"))
    assert code == 0, err
    [folder] = [RunFolder(p) for p in runs_root.iterdir() if not p.name.startswith(".")]
    assert f"Run {folder.name}, in {runs_root}" in err
    assert folder.name.endswith("-" + Path(tiny_encoder).name)
    assert folder.latest_checkpoint().name == "checkpoint-4"
    folder.set_status("running", pid=dead_pid())  # what a SIGKILL after step 6 leaves behind
    assert folder.state() == "interrupted"
    code, _, err = run_cli(capsys, "--runs-root", str(runs_root), "train", "--resume",
                           folder.name)
    assert code == 0, err
    assert folder.state() == "finished"
    resumed = [e for e in folder.timeline() if e.get("type") == events.STARTED]
    assert resumed[-1]["resumed_from_step"] == 4
    assert [e["step"] for e in folder.timeline() if e.get("type") == events.STEP] == \
        [1, 2, 3, 4, 5, 6]
    fails(capsys, ["train", "--resume", folder.name], "already finished",
          f"pft-desktop train --more {folder.path}")


def test_train_more_starts_a_child_run(runs_root, tiny_encoder, sentiment_csv, capsys,
                                      monkeypatch):
    """The child starts from the parent's weights and config, records its parent, and works
    from another working directory than the one the parent's data path was given in."""
    parent = runs_root / "parent-run"
    monkeypatch.chdir(sentiment_csv.parent)
    code, _, err = run_cli(capsys, *tiny_train(tiny_encoder, sentiment_csv.name, "--max-steps",
                                               "3", "--learning-rate", "0.002", "--output",
                                               str(parent)))
    assert code == 0, err
    monkeypatch.chdir(runs_root)
    code, _, err = run_cli(capsys, "train", "--more", "parent", "--max-steps", "2")
    assert code == 0, err
    [child] = [RunFolder(p) for p in runs_root.iterdir()
               if not p.name.startswith(".") and p.name != "parent-run"]
    assert child.parent() == str(parent)
    assert child.status()["parent"] == str(parent)
    config = child.load_config()
    assert config.model.start_from == str(parent)
    assert config.training.learning_rate == 0.002, "the parent's settings, flags override"
    assert config.training.max_steps == 2
    assert "Starting from the weights of the run parent-run" in err
    code, out, _ = run_cli(capsys, "runs", "show", child.name, "--json")
    assert json.loads(out)["parent"] == str(parent)


def test_train_more_refuses_a_run_without_a_model(library, capsys):
    fails(capsys, ["train", "--more", "d-interrupted"], "d-interrupted is interrupted",
          "resume an interrupted one")
    fails(capsys, ["train", "--more", "b-finished", "--config", "x.toml"],
          "--config and --more both give the settings")
    fails(capsys, ["train", "--resume", "c-stopped", "--more", "b-finished"],
          "--more would be ignored")


def test_resume_with_a_smaller_batch_after_running_out_of_memory(tmp_path, tiny_encoder,
                                                                 sentiment_csv, monkeypatch):
    """What the out-of-memory message tells the person to run, run."""
    from helpers import classification_config
    from pft_desktop.cli import main
    from pft_desktop.core.callbacks import FAULT_VARIABLE
    from pft_desktop.core.recipe import run_training
    from pft_desktop.core.rundir import RunFolder

    config = classification_config(tiny_encoder, sentiment_csv, max_steps=6, save_steps=2)
    monkeypatch.setenv(FAULT_VARIABLE, "oom@3")
    outcome = run_training(config, tmp_path / "run")
    monkeypatch.delenv(FAULT_VARIABLE)
    assert "--smaller-batch" in outcome.error.fix
    assert main(["train", "--resume", str(tmp_path / "run"), "--smaller-batch"]) == 0
    folder = RunFolder(tmp_path / "run")
    assert folder.state() == "finished" and folder.load_config().training.batch_size == 4
    assert main(["train", "--smaller-batch", "--data", str(sentiment_csv)]) == 1
