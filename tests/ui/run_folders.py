"""Run folders built on disk for the library tests, written through RunFolder and the events
writer as the runner writes them: a config, a status, events, metrics."""

from __future__ import annotations

import os
import time
from pathlib import Path

from helpers import classification_config
from pft_desktop.core import events as ev
from pft_desktop.core.rundir import RunFolder, process_started, write_json


def make_run(root: Path, name: str, status: str, steps: int = 20, eval_every: int = 10,
             learning_rate: float = 1e-3, model: str = "tiny-bert", task: str = "classification",
             started: float | None = None, checkpoint: bool = False,
             saved_model: bool = False) -> RunFolder:
    """A run that ended with ``status`` (or, for "running", one whose process is this test
    process; for "interrupted", one whose process is gone without a final word)."""
    config = classification_config(root.parent / model, root.parent / "reviews.csv",
                                   learning_rate=learning_rate)
    config.task.kind = task
    folder = RunFolder.create(root / name, config)
    write = ev.JsonlWriter(folder.events_file)
    started = started if started is not None else time.time()
    write(ev.make_event(ev.STARTED, total_steps=steps, device={"name": "CPU"}))
    for step in range(1, steps + 1):
        write(ev.make_event(ev.STEP, step=step, epoch=step / steps, loss=2.0 / step,
                            learning_rate=learning_rate, grad_norm=0.5, elapsed_s=step * 0.5,
                            eta_s=(steps - step) * 0.5, max_steps=steps))
        if step % eval_every == 0:
            write(ev.make_event(ev.EVAL, step=step, epoch=step / steps, eval_loss=1.0 / step,
                                eval_f1=min(1.0, 0.5 + step / (2 * steps)),
                                eval_accuracy=0.5 + step / (2 * steps)))
    final = status in ("finished", "stopped", "failed", "diverged")
    if status == "failed":
        write(ev.make_event(ev.ERROR, kind="boom", message="The data file vanished.",
                            fix="Put it back."))
    if final:
        write(ev.make_event(ev.FINISHED, status=status, metrics={}))
    write.close()
    if status == "running":
        pid = os.getpid()
        folder.set_status("running", pid=pid, pid_started=process_started(pid), started=started)
    elif status == "interrupted":
        folder.set_status("running", pid=None, started=started)  # its process is gone
    else:
        folder.set_status(status, started=started)
    if status == "finished":
        write_json(folder.metrics_file, {"eval_accuracy": 0.9, "eval_f1": 0.88,
                                         "eval_loss": 0.3, "train_runtime": 12.5})
    if checkpoint:
        (folder.checkpoints / f"checkpoint-{steps}").mkdir(parents=True)
        (folder.checkpoints / f"checkpoint-{steps}" / "trainer_state.json").write_text("{}")
    if saved_model:
        folder.model_dir.mkdir()
        (folder.model_dir / "pft_run.json").write_text('{"task": "classification"}')
    return folder
