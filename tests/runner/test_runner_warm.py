"""A warm runner (libraries imported ahead, then handed one run) trains exactly as a runner
started for the run does, stops the same way, refuses runs it does not fit, and never
outlives the process that started it."""

import json
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from helpers import classification_config
from pft_desktop.core import events, launch
from pft_desktop.core.rundir import RunFolder

READY_S = 180  # importing torch, transformers and peft on 2 busy cores


def warm_runner() -> launch.WarmRunner:
    warm = launch.WarmRunner()
    assert warm.wait_ready(READY_S), "the warm runner never finished importing"
    return warm


def streamed(process) -> list[dict]:
    return [json.loads(line) for line in process.stdout if line.strip()]


def test_warm_run_matches_a_cold_run(tmp_path, tiny_encoder, sentiment_csv):
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=5)
    cold, warm_folder = (RunFolder.create(tmp_path / name, config) for name in ("cold", "warm"))
    process = launch.start_runner(cold.path, stdout=subprocess.PIPE)
    cold_events = streamed(process)
    assert process.wait(60) == 0

    warm = warm_runner()
    assert warm.ready_report["cuda_initialized"] is False  # it holds no GPU while it waits
    process = launch.start_runner(warm_folder.path, stdout=subprocess.PIPE, warm=warm)
    assert process.pid == warm.pid  # handed over: no new process
    warm_events = streamed(process)
    assert process.wait(60) == 0

    def kinds(found):
        return [e["type"] for e in found]
    assert kinds(warm_events) == kinds(cold_events)
    assert kinds(events.read_events(warm_folder.path)) == kinds(warm_events)
    assert warm_events[-1]["status"] == "finished"
    assert [e["loss"] for e in warm_events if e["type"] == "step"] == pytest.approx(
        [e["loss"] for e in cold_events if e["type"] == "step"], rel=1e-4)  # same seed
    assert warm_folder.status()["status"] == "finished"
    assert warm_folder.status()["pid"] == warm.pid
    assert (warm_folder.model_dir / "model.safetensors").is_file()
    assert not warm.is_alive()  # one run per process


def test_stop_on_stdin_stops_a_warm_started_run(tmp_path, tiny_encoder, sentiment_csv):
    folder = RunFolder.create(tmp_path / "run", classification_config(
        tiny_encoder, sentiment_csv, max_steps=100000, eval_steps=100000))
    process = launch.start_runner(folder.path, stdout=subprocess.PIPE, warm=warm_runner())
    for line in process.stdout:
        if json.loads(line)["type"] == "step":
            process.stdin.write(b"stop\n")
            process.stdin.flush()
            break
    rest = streamed(process)
    assert process.wait(60) == 0
    assert rest[-1]["type"] == "finished" and rest[-1]["status"] == "stopped"
    assert folder.latest_checkpoint() is not None
    assert folder.status()["status"] == "stopped"
    assert "warm start" in (folder.path / launch.CONSOLE_LOG).read_text()  # its stderr


def test_a_run_that_does_not_fit_starts_cold(tmp_path, tiny_encoder, sentiment_csv):
    warm = launch.WarmRunner()
    try:
        config = classification_config(tiny_encoder, sentiment_csv, max_steps=2)
        assert warm.misfit(config) == ""
        config.resources.devices = "cpu"  # CUDA_VISIBLE_DEVICES is fixed at its start
        assert "CUDA_VISIBLE_DEVICES" in warm.misfit(config)
        folder = RunFolder.create(tmp_path / "run", config)
        process = launch.start_runner(folder.path, stdout=subprocess.PIPE, warm=warm)
        assert process.pid != warm.pid and warm.is_alive()
        assert streamed(process)[-1]["status"] == "finished"
        assert process.wait(60) == 0
        config.resources.devices, config.resources.processes = "", 2
        assert "several processes" in warm.misfit(config)
    finally:
        warm.close()
    assert not psutil.pid_exists(warm.pid) or \
        psutil.Process(warm.pid).status() == psutil.STATUS_ZOMBIE


def test_a_warm_runner_ends_when_its_app_dies(tmp_path):
    """The app crashed (no close, no atexit): the warm runner sees its stdin close and exits,
    so no idle process is left behind."""
    script = textwrap.dedent("""
        import os, sys
        from pft_desktop.core.launch import WarmRunner
        warm = WarmRunner()
        print(warm.pid, flush=True)
        os._exit(0)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    warm = psutil.Process(int(out.strip()))
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        try:
            if warm.status() == psutil.STATUS_ZOMBIE:
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.5)
    else:
        warm.kill()
        raise AssertionError("the warm runner outlived the process that started it")
