"""Runs on several processes through accelerate's launcher, for real: two runner processes on the
CPU (gloo) train a tiny model. One run's weights equal a one-process run's with the same global
batch; rank 0 alone writes the run; a stop seen by one rank stops every rank at the same step;
a rank that fails ends the run with its own message; the command line starts them the same way.
"""

import json
import shutil
import subprocess
import time

import pytest

from helpers import classification_config, fails_cleanly, sentiment_rows, write_csv
from pft_desktop.core import events, launch, ranks
from pft_desktop.core.callbacks import FAULT_VARIABLE
from pft_desktop.core.config import RunConfig
from pft_desktop.core.estimate import batch_plan, planned_steps
from pft_desktop.core.recipe import run_training
from pft_desktop.core.rundir import CHECKPOINT_COMPLETE, RunFolder

RUN_TIMEOUT_S = 120  # a two-process run here takes about 8 s; a hang must not hang the suite


@pytest.fixture(scope="session")
def still_encoder(tiny_encoder, tmp_path_factory):
    """The tiny BERT without dropout, so two runs with the same batches compute the same."""
    folder = tmp_path_factory.mktemp("tiny-bert-no-dropout") / "model"
    shutil.copytree(tiny_encoder, folder)
    config = json.loads((folder / "config.json").read_text())
    config.update(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def two_process_config(model, data, **training):
    config = classification_config(model, data, **training)
    config.data.validation_split = 0.0  # 160 rows, all for training
    config.resources.processes = 2
    config.resources.devices = "cpu"
    return config


def launch_and_wait(folder: RunFolder, resume: bool = False):
    """Start the run through the seam, as the app does; its exit code and the events rank 0
    printed. A run still going after RUN_TIMEOUT_S is killed (its ranks follow the launcher)."""
    with open(folder.path / launch.CONSOLE_LOG, "a", encoding="utf-8") as console:
        process = launch.start_runner(folder.path, resume, stdout=subprocess.PIPE,
                                      stderr=console)
    try:
        out, _ = process.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"the run did not end within {RUN_TIMEOUT_S} s:\n" + console_tail(folder))
    streamed = [e for e in map(events.parse_line, out.decode().splitlines()) if e]
    return process.returncode, streamed


def console_tail(folder: RunFolder) -> str:
    path = folder.path / launch.CONSOLE_LOG
    return path.read_text(errors="replace")[-3000:] if path.is_file() else ""


def steps_of(folder: RunFolder) -> list[int]:
    return [e["step"] for e in events.read_events(folder.events_file) if e["type"] == "step"]


def weights(folder: RunFolder) -> dict:
    from safetensors.torch import load_file

    return load_file(str(folder.model_dir / "model.safetensors"))


# -- real runs --------------------------------------------------------------------------------
def test_two_processes_train_the_weights_one_process_does_with_the_same_global_batch(
        tmp_path, still_encoder):
    # One process: batch 4, two micro-batches per step. Two processes: batch 4 each, the
    # accumulation divided among them (keep_global_batch). 8 rows a step either way. 1,600
    # rows: enough for the length-grouped order to depend on the batch it is grouped by
    # (transformers caps its groups at 50 batches).
    data = write_csv(tmp_path / "reviews.csv", ["review", "sentiment"], sentiment_rows(1600))
    single = two_process_config(still_encoder, data, batch_size=4, gradient_accumulation=2,
                                max_steps=20)
    single.resources.processes = 1
    single.method.cpu_speedups = False  # the same arithmetic on both sides: no bf16
    began = time.monotonic()
    alone = run_training(single, tmp_path / "one")
    one_s = time.monotonic() - began
    assert alone.status == "finished", alone.error

    double = two_process_config(still_encoder, data, batch_size=4, gradient_accumulation=2,
                                max_steps=20)
    double.method.cpu_speedups = False  # products
    folder = RunFolder.create(tmp_path / "two", double)
    began = time.monotonic()
    code, streamed = launch_and_wait(folder)
    two_s = time.monotonic() - began
    assert code == 0, console_tail(folder)
    print(f"one process {one_s:.1f} s, two processes through the launcher {two_s:.1f} s")

    written = list(events.read_events(folder.events_file))
    assert [e["type"] for e in streamed] == [e["type"] for e in written]  # rank 0 alone
    assert steps_of(folder) == list(range(1, 21))  # every step once
    started = events.last_of(written, "started")
    assert started["processes"] == 2 and started["global_batch"] == 8
    assert started["total_steps"] == 20 == steps_of(RunFolder(tmp_path / "one"))[-1]
    assert folder.status()["status"] == "finished" and written[-1]["status"] == "finished"
    assert folder.log_file.read_text().count("parameters trainable") == 1  # by rank 0 alone
    assert not ranks.failures(folder.path)
    one, two = weights(RunFolder(tmp_path / "one")), weights(folder)
    assert one.keys() == two.keys()
    difference = max(float((one[name] - two[name]).abs().max()) for name in one)
    moved = max(float((two[name] - weights_at_start(still_encoder, name, two)).abs().max())
                for name in ("bert.embeddings.word_embeddings.weight",))
    print(f"largest weight difference, 1 vs 2 processes: {difference:.2e} (training moved "
          f"weights by up to {moved:.2e})")
    assert moved > 1e-3  # it trained
    assert difference < 1e-5


def weights_at_start(model_dir, name, like):
    from safetensors.torch import load_file

    start = load_file(str(model_dir / "model.safetensors"))
    return start.get(name, like[name])


@pytest.mark.slow  # a real two-process run; the default suite keeps three
def test_a_stop_seen_by_one_rank_stops_every_rank_at_that_step(tmp_path, tiny_encoder,
                                                               sentiment_csv, monkeypatch):
    # Rank 1 alone sees the request at step 3 (as when it reads "stop" on the shared stdin).
    monkeypatch.setenv(FAULT_VARIABLE, "stop@3:rank1")
    folder = RunFolder.create(tmp_path / "run", two_process_config(
        tiny_encoder, sentiment_csv, max_steps=12))
    code, streamed = launch_and_wait(folder)
    assert code == 0, console_tail(folder)
    assert streamed[-1]["type"] == "finished" and streamed[-1]["status"] == "stopped"
    assert steps_of(folder) == [1, 2, 3]
    checkpoint = folder.latest_checkpoint()
    assert checkpoint.name == "checkpoint-3" and (checkpoint / CHECKPOINT_COMPLETE).is_file()
    assert {p.name for p in checkpoint.glob("rng_state_*.pth")} == {"rng_state_0.pth",
                                                                    "rng_state_1.pth"}
    assert (folder.model_dir / "model.safetensors").is_file()


def test_the_stop_file_stops_both_ranks_and_the_run_resumes_on_two(tmp_path, tiny_encoder,
                                                                   sentiment_csv):
    folder = RunFolder.create(tmp_path / "run", two_process_config(
        tiny_encoder, sentiment_csv, max_steps=100000))
    with open(folder.path / launch.CONSOLE_LOG, "a", encoding="utf-8") as console:
        process = launch.start_runner(folder.path, stdout=subprocess.DEVNULL, stderr=console)
    try:
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while not (folder.events_file.is_file() and steps_of(folder)):
            assert process.poll() is None and time.monotonic() < deadline, console_tail(folder)
            time.sleep(0.1)
        folder.request_stop()  # what the app and `pft-desktop stop` do
        assert process.wait(timeout=60) == 0, console_tail(folder)
    finally:
        if process.poll() is None:
            process.kill()
    stopped_at = steps_of(folder)[-1]
    assert folder.state() == "stopped"
    assert steps_of(folder) == list(range(1, stopped_at + 1))
    assert folder.latest_checkpoint().name == f"checkpoint-{stopped_at}"

    config = folder.load_config()  # resume for a few more steps only
    config.training.max_steps = stopped_at + 3
    config.save(folder.config_file)
    code, streamed = launch_and_wait(folder, resume=True)
    assert code == 0, console_tail(folder)
    started = events.last_of(streamed, "started")
    assert started["resumed_from_step"] == stopped_at and started["processes"] == 2
    assert [e["step"] for e in folder.timeline() if e["type"] == "step"] == \
        list(range(1, stopped_at + 4))
    assert folder.state() == "finished"


@pytest.mark.slow  # a real two-process run; the default suite keeps three
def test_early_stopping_ends_every_rank_at_the_same_evaluation(tmp_path, tiny_encoder,
                                                               sentiment_csv):
    # A learning rate too small to change a prediction: accuracy never improves after the
    # first evaluation, so patience 1 stops the run at the second (step 4) on every rank.
    config = two_process_config(tiny_encoder, sentiment_csv, max_steps=40, eval_steps=2,
                                early_stopping_patience=1, learning_rate=1e-12,
                                metric_for_best="eval_accuracy")
    config.data.validation_split = 0.25
    folder = RunFolder.create(tmp_path / "run", config)
    code, streamed = launch_and_wait(folder)
    assert code == 0, console_tail(folder)
    assert steps_of(folder) == [1, 2, 3, 4]
    assert [e["step"] for e in streamed if e["type"] == "eval" and not e["final"]] == [2, 4]
    assert folder.state() == "finished"


@pytest.mark.parametrize("fault, kind, says", [
    ("raise@2:rank1", "internal", "injected by PFT_FAULT_FOR_TESTS at step 2"),
    pytest.param("oom@2:rank1", "out_of_memory", "ran out of memory",
                 marks=pytest.mark.slow),  # the same path with another message
], ids=["error", "out-of-memory"])
def test_a_rank_that_fails_ends_the_run_with_its_own_message(tmp_path, tiny_encoder,
                                                             sentiment_csv, monkeypatch,
                                                             fault, kind, says):
    monkeypatch.setenv(FAULT_VARIABLE, fault)
    folder = RunFolder.create(tmp_path / "run", two_process_config(
        tiny_encoder, sentiment_csv, max_steps=12))
    began = time.monotonic()
    code, streamed = launch_and_wait(folder)
    assert code != 0
    assert time.monotonic() - began < 90  # the other rank did not wait for a timeout
    errors = [e for e in streamed if e["type"] == "error"]
    assert len(errors) == 1, errors
    assert errors[0]["kind"] == kind
    assert "Training process 1 of 2 (rank 1) failed" in errors[0]["message"]
    assert says in errors[0]["message"] and errors[0]["fix"]
    assert "exit code" not in errors[0]["message"]
    assert folder.state() == "failed" and folder.status()["error"]["kind"] == kind
    assert streamed[-1] == {**streamed[-1], "type": "finished", "status": "failed"}
    assert "Training process 1 failed" in folder.log_file.read_text()  # its traceback


@pytest.mark.slow  # a real two-process run; the default suite keeps three
def test_killing_the_launcher_ends_every_rank(tmp_path, tiny_encoder, sentiment_csv):
    """torchrun starts each rank in a session of its own; Kill in the app ends the launcher,
    and the ranks must not train on as orphans."""
    import psutil

    folder = RunFolder.create(tmp_path / "run", two_process_config(
        tiny_encoder, sentiment_csv, max_steps=100000))
    with open(folder.path / launch.CONSOLE_LOG, "a", encoding="utf-8") as console:
        process = launch.start_runner(folder.path, stdout=subprocess.DEVNULL, stderr=console)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while not (folder.events_file.is_file() and steps_of(folder)):
        assert process.poll() is None and time.monotonic() < deadline, console_tail(folder)
        time.sleep(0.1)
    trainers = psutil.Process(process.pid).children(recursive=True)
    assert len([p for p in trainers if "pft_desktop.runner" in " ".join(p.cmdline())]) == 2
    process.kill()
    process.wait()
    gone, alive = psutil.wait_procs(trainers, timeout=15)
    for orphan in alive:
        orphan.kill()
    assert alive == [], "ranks outlived their launcher"
    assert folder.state() == "interrupted"


@pytest.mark.slow  # a real two-process run; the default suite keeps three
def test_the_command_line_s_stop_reaches_the_ranks(tmp_path, tiny_encoder, sentiment_csv):
    """Ctrl+C in `pft-desktop train` sets the stop event; the ranks get it through the run
    folder and their shared stdin, stop together and save."""
    import threading

    from pft_desktop.core.launched_run import train_in_processes

    stop = threading.Event()
    seen = []

    def sink(event):
        seen.append(event)
        if event["type"] == "step":
            stop.set()

    config = two_process_config(tiny_encoder, sentiment_csv, max_steps=100000)
    outcome = train_in_processes(config, tmp_path / "run", sink=sink, stop=stop)
    assert outcome.status == "stopped", outcome.error
    folder = RunFolder(tmp_path / "run")
    assert folder.state() == "stopped" and folder.latest_checkpoint() is not None
    assert [e["type"] for e in seen] == [e["type"] for e in events.read_events(folder.path)]


@pytest.mark.slow  # a real two-process run; the default suite keeps three
def test_rank_0_killed_before_its_last_word_still_names_the_failed_rank(tmp_path, tiny_encoder,
                                                                        sentiment_csv):
    """rank 0 may be killed (30 s after another rank failed, say) before it writes the error:
    the launcher side reads the record the failed rank left."""
    folder = RunFolder.create(tmp_path / "run", two_process_config(tiny_encoder, sentiment_csv))
    folder.mark_running()
    folder.set_status("running", pid=2 ** 22 + 1)  # a process that is gone
    error = ranks.named_failure({"rank": 1, "world_size": 2, "time": 1.0, "error": {
        "kind": "out_of_memory", "message": "Training ran out of memory.", "fix": "Lower it."}})
    ranks.failure_file(folder.path, 1).parent.mkdir()
    ranks.failure_file(folder.path, 1).write_text(json.dumps({
        "rank": 1, "world_size": 2, "time": 1.0, "error": {
            "kind": "out_of_memory", "message": "Training ran out of memory.",
            "fix": "Lower it."}}))
    assert launch.settle_failed_launch(folder.path) == error.to_dict()
    assert folder.state() == "failed"
    said = list(events.read_events(folder.events_file))
    assert said[-2]["message"].startswith("Training process 1 of 2 (rank 1) failed")
    assert said[-1]["status"] == "failed"
    assert launch.settle_failed_launch(folder.path) is None  # once


@pytest.mark.slow  # a real two-process run; the default suite keeps three
def test_cli_trains_with_two_processes(tmp_path, tiny_encoder, sentiment_csv, capsys):
    from pft_desktop.cli import main

    code = main(["train", "--model", str(tiny_encoder), "--data", str(sentiment_csv),
                 "--text-column", "review", "--label-column", "sentiment", "--method", "full",
                 "--max-steps", "4", "--processes", "2", "--output", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 0, err
    folder = RunFolder(tmp_path / "run")
    assert folder.state() == "finished" and steps_of(folder) == [1, 2, 3, 4]
    assert "Run finished" in err and "Training on CPU" in err
    assert events.last_of(folder.timeline(), "started")["processes"] == 2
    assert (folder.path / launch.ACCELERATE_CONFIG).is_file()


def test_cli_refuses_deepspeed_when_it_is_not_installed(tmp_path, tiny_encoder, sentiment_csv,
                                                        capsys):
    fails_cleanly(capsys, ["train", "--model", str(tiny_encoder), "--data", str(sentiment_csv),
                           "--text-column", "review", "--label-column", "sentiment",
                           "--processes", "2", "--strategy", "deepspeed",
                           "--output", str(tmp_path / "run")],
                  "deepspeed package", "pip install deepspeed")
    assert not (tmp_path / "run").exists()


def test_fsdp_on_the_cpu_is_refused_clearly(tmp_path, tiny_encoder, sentiment_csv):
    """accelerate runs CPU processes as plain DDP and silently ignores FSDP there: refused,
    before launching when the CPU is chosen, by the ranks when automatic devices found none."""
    import torch

    config = two_process_config(tiny_encoder, sentiment_csv, max_steps=4)
    config.resources.strategy = "fsdp"
    with pytest.raises(Exception) as refused:
        launch.check_resources(config)
    assert refused.value.kind == "fsdp_on_cpu" and "'ddp'" in refused.value.fix
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU: automatic devices would use it")
    config.resources.devices = ""  # automatic: the ranks find no GPU
    folder = RunFolder.create(tmp_path / "run", config)
    code, streamed = launch_and_wait(folder)
    assert code != 0
    errors = [e for e in streamed if e["type"] == "error"]
    assert [e["kind"] for e in errors] == ["fsdp_on_cpu"]
    assert "rank" not in errors[0]["message"]  # every process's problem: no rank to name
    assert not steps_of(folder)


# -- the accelerate config and the command ----------------------------------------------------
def test_the_accelerate_config_is_one_accelerate_reads(tmp_path):
    from accelerate.commands.config.config_args import ClusterConfig

    config = RunConfig()
    config.resources.processes, config.resources.devices = 2, "cpu"
    path = launch.write_accelerate_config(config, tmp_path / "ddp.yaml")
    read = ClusterConfig.from_yaml_file(str(path))  # accelerate's own class: no unknown key
    assert read.distributed_type.value == "MULTI_GPU" and read.use_cpu is True
    assert read.num_processes == 2 and read.main_process_port == 0

    config.resources.devices = "2,3"
    assert launch.accelerate_config(config)["gpu_ids"] == "2,3"
    assert launch.accelerate_config(config)["use_cpu"] is False
    assert launch.device_environment(config) == {"CUDA_VISIBLE_DEVICES": "2,3"}
    config.resources.devices = ""
    assert launch.accelerate_config(config)["gpu_ids"] == "all"
    assert launch.device_environment(config) == {}

    config.resources.strategy, config.resources.fsdp_layer = "fsdp", "LlamaDecoderLayer"
    fsdp = ClusterConfig.from_yaml_file(str(launch.write_accelerate_config(
        config, tmp_path / "fsdp.yaml")))
    assert fsdp.distributed_type.value == "FSDP"
    assert fsdp.fsdp_config == {**fsdp.fsdp_config, "fsdp_version": 2,
                                "fsdp_reshard_after_forward": True,
                                "fsdp_auto_wrap_policy": "TRANSFORMER_BASED_WRAP",
                                "fsdp_transformer_layer_cls_to_wrap": "LlamaDecoderLayer"}

    config.resources.strategy, config.resources.zero_stage = "deepspeed", 3
    config.training.gradient_accumulation = 4
    deepspeed = ClusterConfig.from_yaml_file(str(launch.write_accelerate_config(
        config, tmp_path / "ds.yaml")))
    assert deepspeed.distributed_type.value == "DEEPSPEED"
    assert deepspeed.deepspeed_config["zero_stage"] == 3
    assert deepspeed.deepspeed_config["gradient_accumulation_steps"] == 2  # 4 over 2 processes


def test_the_command_starts_one_runner_or_accelerate_s_launcher(tmp_path):
    import sys

    config = RunConfig()
    assert launch.runner_command(tmp_path, config) == [sys.executable, "-m",
                                                       "pft_desktop.runner", str(tmp_path)]
    config.resources.processes = 4
    assert launch.runner_command(tmp_path, config, resume=True) == [
        sys.executable, "-m", "accelerate.commands.launch", "--config_file",
        str(tmp_path / launch.ACCELERATE_CONFIG), "-m", "pft_desktop.runner", str(tmp_path),
        "--resume"]
    env = launch.runner_environment(config, {"RANK": "3", "WORLD_SIZE": "8", "PATH": "x"})
    assert env == {"PATH": "x"}  # nothing of an enclosing launch leaks in


def test_resource_refusals_name_their_fix():
    config = RunConfig()
    config.resources.processes, config.resources.devices = 2, "0"
    assert [e.kind for e in launch.resource_errors(config)] == ["devices_and_processes"]
    assert "Set processes to 1" in launch.resource_errors(config)[0].fix
    config.resources.devices = "0,x"
    assert [e.kind for e in launch.resource_errors(config)] == ["bad_devices"]
    config.resources.devices, config.resources.strategy = "0,1", "deepspeed"
    assert [e.kind for e in launch.resource_errors(config)] == ["no_deepspeed"]
    assert "pip install deepspeed" in launch.resource_errors(config)[0].fix
    config.resources.strategy, config.method.kind = "fsdp", "qlora-4bit"
    assert [e.kind for e in launch.resource_errors(config)] == ["fsdp_with_qlora"]
    config.resources.processes = 1  # one process: the strategy does not apply
    config.resources.devices = "0"
    assert launch.resource_errors(config) == []


def test_the_global_batch_and_the_planned_steps_follow_the_processes():
    plan = batch_plan(batch_size=4, accumulation=8, processes=4)
    assert (plan.accumulation, plan.global_batch, plan.note()) == (2, 32, "")
    kept = batch_plan(batch_size=16, accumulation=1, processes=2)  # cannot divide: rounded
    assert (kept.accumulation, kept.global_batch) == (1, 32)
    assert "not the 16 planned" in kept.note() and "batch size to 8" in kept.note()
    assert "multiple of 2" in batch_plan(5, 3, 2).note()  # 15 rows: no batch size keeps it
    odd = batch_plan(batch_size=16, accumulation=3, processes=2)  # rounded to 2: 64, not 48
    assert odd.global_batch == 64 and "batch size to 12" in odd.note()  # 12 x 2 x 2 = 48
    loose = batch_plan(batch_size=16, accumulation=2, processes=2, keep_global_batch=False)
    assert (loose.accumulation, loose.global_batch, loose.note()) == (2, 64, "")
    # 120 rows in batches of 4: 30 batches, 15 a process, 8 steps of 2
    assert planned_steps(120, 4, 2, 1.0, processes=2) == 8
    assert planned_steps(120, 4, 2, 1.0) == 15
