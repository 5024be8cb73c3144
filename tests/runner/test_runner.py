"""The child process: JSON events on stdout, mirrored in events.jsonl; stop over stdin."""

import json
import subprocess
import sys
import time

from helpers import classification_config
from pft_desktop.core import events
from pft_desktop.core.rundir import RunFolder


def start(run_dir):
    return subprocess.Popen([sys.executable, "-m", "pft_desktop.runner", str(run_dir)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_runner_streams_only_json_events(tmp_path, tiny_encoder, sentiment_csv):
    folder = RunFolder.create(tmp_path / "run",
                              classification_config(tiny_encoder, sentiment_csv, max_steps=5))
    process = start(folder.path)
    out, err = process.communicate(timeout=240)
    assert process.returncode == 0, err
    lines = [line for line in out.splitlines() if line.strip()]
    streamed = [json.loads(line) for line in lines]  # every stdout line is one JSON event
    assert streamed[-1]["type"] == "finished" and streamed[-1]["status"] == "finished"
    assert [e["type"] for e in streamed] == [e["type"] for e in events.read_events(folder.path)]
    assert sum(e["type"] == "step" for e in streamed) == 5
    assert folder.status()["status"] == "finished"


def test_stop_on_stdin_saves_and_exits(tmp_path, tiny_encoder, sentiment_csv):
    folder = RunFolder.create(tmp_path / "run",
                              classification_config(tiny_encoder, sentiment_csv,
                                                    max_steps=100000, eval_steps=100000))
    process = start(folder.path)
    for line in process.stdout:
        if json.loads(line)["type"] == "step":
            process.stdin.write("stop\n")
            process.stdin.flush()
            break
    started = time.monotonic()
    rest = [json.loads(line) for line in process.stdout if line.strip()]
    process.wait(timeout=60)
    assert time.monotonic() - started < 30
    assert process.returncode == 0
    assert rest[-1] == {**rest[-1], "type": "finished", "status": "stopped"}
    assert any(e["type"] == "checkpoint" for e in rest)
    assert folder.latest_checkpoint() is not None
    assert (folder.model_dir / "model.safetensors").is_file()
    assert folder.status()["status"] == "stopped"


def test_failure_is_an_error_event_and_exit_code(tmp_path, tiny_encoder, sentiment_csv):
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=5)
    config.data.train_file = str(tmp_path / "gone.csv")
    folder = RunFolder.create(tmp_path / "run", config)
    process = start(folder.path)
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 1
    streamed = [json.loads(line) for line in out.splitlines() if line.strip()]
    error = next(e for e in streamed if e["type"] == "error")
    assert error["kind"] == "missing_file" and "gone.csv" in error["message"] and error["fix"]
    assert streamed[-1]["status"] == "failed"
    assert folder.status()["status"] == "failed"
    assert folder.status()["error"]["kind"] == "missing_file"
