"""The run folder's reader and the library: statuses from the recorded process, one continuous
timeline after a resume, cached summaries, finding runs by name, comparing configs."""

import json
import os
import subprocess
import sys
import time

import pytest

from pft_desktop.core.config import RunConfig
from pft_desktop.core.errors import UserError
from pft_desktop.core.rundir import RunFolder, process_started
from pft_desktop.core.runstore import RunStore, compare, summarize


def make_run(root, name, status="finished", steps=10, seed=42, **status_extra):
    config = RunConfig()
    config.model.name_or_path = "/models/tiny"
    config.training.seed = seed
    folder = RunFolder.create(root / name, config)
    lines = [{"type": "started", "total_steps": steps, "time": 1000.0}]
    lines += [{"type": "step", "step": s, "max_steps": steps, "epoch": s / steps,
               "loss": 1.0 / s, "elapsed_s": float(s)} for s in range(1, steps + 1)]
    lines += [{"type": "eval", "step": s, "eval_loss": 2.0 / s, "eval_f1": s / 10}
              for s in (5, 10) if s <= steps]
    folder.events_file.write_text("".join(json.dumps(x) + "\n" for x in lines))
    folder.set_status(status, **status_extra)
    return folder


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_statuses_come_from_the_recorded_process(tmp_path):
    me = os.getpid()
    assert make_run(tmp_path, "done").state() == "finished"
    assert make_run(tmp_path, "old", status="completed").state() == "finished"  # schema 1
    assert make_run(tmp_path, "killed", status="killed").state() == "interrupted"
    assert make_run(tmp_path, "stopped", status="stopped").state() == "stopped"
    live = make_run(tmp_path, "live", status="running", pid=me, pid_started=process_started(me))
    assert live.state() == "running" and live.is_live()
    gone = make_run(tmp_path, "gone", status="running", pid=dead_pid())
    assert gone.state() == "interrupted"
    # A pid that now belongs to another process (ours, started at another time) is not the run.
    reused = make_run(tmp_path, "reused", status="running", pid=me,
                      pid_started=process_started(me) - 3600)
    assert reused.state() == "interrupted" and not reused.is_live()


def test_the_timeline_after_a_resume_neither_repeats_nor_misses_a_step(tmp_path):
    folder = make_run(tmp_path, "resumed", status="running", steps=7)
    with open(folder.events_file, "a") as handle:  # resumed from checkpoint-5: 6 and 7 redone
        handle.write(json.dumps({"type": "started", "total_steps": 9, "resumed_from_step": 5})
                     + "\n")
        for s in range(6, 10):
            handle.write(json.dumps({"type": "step", "step": s, "loss": 0.1}) + "\n")
    steps = [e["step"] for e in folder.timeline() if e["type"] == "step"]
    assert steps == list(range(1, 10))
    assert [e["step"] for e in folder.timeline() if e["type"] == "eval"] == [5]


def test_the_library_lists_finds_and_caches(tmp_path, monkeypatch):
    store = RunStore(tmp_path)
    make_run(tmp_path, "20260101-a-first")
    make_run(tmp_path, "20260102-b-second", status="stopped", steps=6)
    summaries = {s.name: s for s in store.summaries()}
    first = summaries["20260101-a-first"]
    assert (first.status, first.step, first.total_steps, first.duration_s) == ("finished", 10,
                                                                               10, 10.0)
    assert (first.best_metric, first.best_value) == ("eval_f1", 1.0)
    assert first.size_bytes > 0 and first.model == "tiny"
    assert summaries["20260102-b-second"].status == "stopped"

    import pft_desktop.core.runstore as runstore

    calls = []
    real_fold = runstore._fold
    monkeypatch.setattr(runstore, "_fold", lambda folder: calls.append(folder) or
                        real_fold(folder))
    store.summaries()
    assert calls == []  # nothing changed: both from their caches
    folder = store.find("20260101")
    with open(folder.events_file, "a") as handle:
        handle.write(json.dumps({"type": "step", "step": 11, "max_steps": 11,
                                 "elapsed_s": 11.0}) + "\n")
    assert summarize(folder).step == 11 and len(calls) == 1  # stale: rebuilt from the events

    with pytest.raises(UserError, match="matches 2 runs"):
        store.find("2026010")
    with pytest.raises(UserError, match="No run named"):
        store.find("nothing-like-it")
    outside = make_run(tmp_path / "elsewhere", "mine")
    store.add(outside.path)
    assert "mine" in [s.name for s in store.summaries()]
    renamed = store.rename(store.find("mine"), "renamed")
    assert renamed.exists() and "renamed" in [s.name for s in store.summaries()]


def test_compare_shows_only_the_config_fields_that_differ(tmp_path):
    a = make_run(tmp_path, "a", seed=1)
    b = make_run(tmp_path, "b", seed=2)
    result = compare([a, b])
    assert result["config_diff"] == {"training.seed": {"a": 1, "b": 2}}
    assert [run["name"] for run in result["runs"]] == ["a", "b"]


def test_resuming_a_finished_run_is_refused_and_changes_nothing(tmp_path):
    from pft_desktop.core.recipe import run_training

    folder = make_run(tmp_path, "done")
    before = folder.status_file.read_text()
    outcome = run_training(None, folder.path, resume=True)
    assert outcome.error.kind == "already_finished" and "--more" in outcome.error.fix
    assert folder.status_file.read_text() == before


def test_a_stop_request_in_the_folder_stops_the_run(tmp_path, tiny_encoder, sentiment_csv):
    """What `pft-desktop stop` and a second window use: a file, not a pipe to the process."""
    from helpers import classification_config
    from pft_desktop.core.recipe import run_training

    folder = RunFolder(tmp_path / "run")

    def sink(event):
        if event["type"] == "step" and event["step"] == 2:
            folder.request_stop()

    config = classification_config(tiny_encoder, sentiment_csv, max_steps=60)
    outcome = run_training(config, folder.path, sink=sink)
    assert outcome.status == "stopped" and folder.state() == "stopped"
    assert folder.latest_checkpoint() is not None
    assert not folder.stop_requested()  # cleared, so a resume is not stopped at once
    resumed = run_training(None, folder.path, resume=True)
    assert resumed.status == "finished"
    losses = [e["loss"] for e in folder.timeline() if e["type"] == "step"]
    assert len(losses) == 60
    # train_loss is the whole run's, not only the resumed part's
    assert resumed.metrics["train_loss"] == pytest.approx(sum(losses) / len(losses))


def wait_for(predicate, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("method", ["full", "lora"])
def test_resume_after_sigkill_ends_where_an_uninterrupted_run_ends(tmp_path, tiny_encoder,
                                                                   sentiment_csv, method):
    """Kill the runner right after a checkpoint, resume: the final weights equal those of the
    same run left alone (on CPU, to 1e-5), and the timeline has every step once."""
    import signal

    from safetensors.torch import load_file

    from helpers import classification_config
    from pft_desktop.core.recipe import run_training

    def config():
        c = classification_config(tiny_encoder, sentiment_csv, max_steps=60, save_steps=10,
                                  learning_rate=3e-3)
        c.data.validation_split = 0.0  # no best-model reload: compare the last weights
        c.method.kind = method
        return c

    assert run_training(config(), tmp_path / "alone").status == "finished"
    killed = RunFolder.create(tmp_path / "killed", config())
    child = subprocess.Popen([sys.executable, "-m", "pft_desktop.runner", str(killed.path)],
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: killed.latest_checkpoint() is not None)
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        child.kill()
    assert killed.state() == "interrupted"
    stopped_at = int(killed.latest_checkpoint().name.split("-")[-1])
    assert stopped_at < 60, "the run ended before it could be killed"
    assert run_training(None, killed.path, resume=True).status == "finished"

    weights = "model.safetensors" if method == "full" else "adapter_model.safetensors"
    alone = load_file(tmp_path / "alone" / "model" / weights)
    resumed = load_file(killed.model_dir / weights)
    assert alone.keys() == resumed.keys()
    worst = max(float((alone[k] - resumed[k]).abs().max()) for k in alone)
    print(f"resume after SIGKILL at step {stopped_at}, {method}: max |dw| = {worst:.3g}")
    assert worst <= 1e-5, f"max |dw| = {worst}"
    steps = [e["step"] for e in killed.timeline() if e["type"] == "step"]
    assert steps == list(range(1, 61))


@pytest.mark.parametrize("method", ["full", "lora"])
def test_train_more_starts_from_the_finished_runs_weights(tmp_path, tiny_encoder,
                                                          sentiment_csv, method):
    import torch

    from helpers import classification_config
    from pft_desktop.core.methods import detect_device
    from pft_desktop.core.predict import load_model_for_inference
    from pft_desktop.core.recipe import load_model, prepare, run_training
    from pft_desktop.core.runstore import train_more_config

    config = classification_config(tiny_encoder, sentiment_csv, max_steps=8,
                                   learning_rate=5e-3)
    config.method.kind = method
    assert run_training(config, tmp_path / "parent").status == "finished"
    parent = RunFolder(tmp_path / "parent")

    more = train_more_config(parent)
    model = load_model(prepare(more), detect_device(), "fp32")
    if hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    trained, _, _ = load_model_for_inference(parent.path, merge=True)
    expected = trained.state_dict()
    for name, value in model.state_dict().items():
        assert torch.allclose(value, expected[name], atol=1e-6), name

    assert run_training(more, tmp_path / "child").status == "finished"
    child = RunFolder(tmp_path / "child")
    assert child.parent() == str(parent.path)
    assert json.loads((child.model_dir / "pft_run.json").read_text())["parent_run"] == \
        str(parent.path)


def test_train_more_needs_a_finished_run(tmp_path):
    from pft_desktop.core.runstore import train_more_config

    with pytest.raises(UserError, match="no saved model"):
        train_more_config(make_run(tmp_path, "gone", status="running", pid=dead_pid()))


def test_a_resume_says_when_the_data_changed_since_the_start(tmp_path, tiny_encoder):
    from helpers import classification_config, sentiment_rows, write_csv
    from pft_desktop.core.recipe import run_training

    data = write_csv(tmp_path / "d.csv", ["review", "sentiment"], sentiment_rows(160))
    folder = RunFolder(tmp_path / "run")

    def sink(event):
        if event["type"] == "step" and event["step"] == 2:
            folder.request_stop()

    config = classification_config(tiny_encoder, data, max_steps=6)
    assert run_training(config, folder.path, sink=sink).status == "stopped"
    recorded = folder.provenance()
    assert recorded["data"]["train_file"]["size"] == data.stat().st_size
    assert recorded["environment"]["packages"]["torch"]
    assert folder.changes_since_start() == []

    write_csv(data, ["review", "sentiment"], sentiment_rows(160, seed=1))  # edited meanwhile
    assert "changed since the run started" in folder.changes_since_start()[0]
    said = []
    assert run_training(None, folder.path, resume=True, sink=said.append).status == "finished"
    warnings = [e["text"] for e in said if e["type"] == "warning"]
    assert any("d.csv changed since the run started" in text for text in warnings), warnings


def test_a_checkpoint_killed_mid_write_is_never_resumed_from(tmp_path, tiny_encoder,
                                                              sentiment_csv):
    from helpers import classification_config
    from pft_desktop.core.recipe import run_training

    config = classification_config(tiny_encoder, sentiment_csv, max_steps=4, save_steps=2)
    config.data.validation_split = 0.0
    assert run_training(config, tmp_path / "run").status == "finished"
    folder = RunFolder(tmp_path / "run")
    good = folder.latest_checkpoint()
    assert good is not None and (good / ".pft-complete").is_file()
    torn = folder.checkpoints / "checkpoint-6"  # what SIGKILL during a save leaves behind
    torn.mkdir()
    (torn / "trainer_state.json").write_text('{"global_step": 6, "log_hist')
    assert folder.latest_checkpoint() == good


def test_two_runs_at_once_in_one_library_corrupt_nothing(tmp_path, tiny_encoder,
                                                          sentiment_csv):
    """Two windows (or a window and the command line) training side by side: each run keeps
    its own complete record, and the library lists both."""
    from helpers import classification_config

    store = RunStore(tmp_path / "runs")
    folders = [RunFolder.create(store.new_run_dir(f"side-{i}"),
                                classification_config(tiny_encoder, sentiment_csv, max_steps=6))
               for i in range(2)]
    children = [subprocess.Popen([sys.executable, "-m", "pft_desktop.runner", str(f.path)],
                                 stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL) for f in folders]
    for child in children:
        assert child.wait(300) == 0
    listed = {s.name: s for s in store.summaries()}
    for folder in folders:
        assert listed[folder.name].status == "finished" and listed[folder.name].step == 6
        lines = folder.events_file.read_text().splitlines()
        assert all(json.loads(line)["type"] for line in lines)  # every line whole
        assert (folder.model_dir / "model.safetensors").is_file()


def test_a_starting_run_is_running_and_a_stop_asked_meanwhile_is_kept(tmp_path, tiny_encoder,
                                                                      sentiment_csv):
    """Between pressing Start and the first step (reading, tokenizing, loading) the run is
    'running', and a stop asked then stops it at its first step."""
    from helpers import classification_config
    from pft_desktop.core.recipe import run_training

    folder = RunFolder.create(tmp_path / "run", classification_config(
        tiny_encoder, sentiment_csv, max_steps=50))
    seen = []

    def sink(event):
        if event["type"] == "status" and not seen:
            seen.append(folder.state())
            folder.request_stop()  # asked while the data is still being read

    assert run_training(None, folder.path, sink=sink).status == "stopped"
    assert seen == ["running"]
    assert [e["step"] for e in folder.timeline() if e["type"] == "step"] == [1]
