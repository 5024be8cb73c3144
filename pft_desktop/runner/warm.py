"""The warm phase of a runner started before its run (``python -m pft_desktop.runner --warm``,
``core.launch.WarmRunner``): import what every run needs, say so, then wait on stdin for the
one run this process will train.

A cold runner does the same first (``ready_process``), so both train alike.

Until the run is known its stderr goes to a temporary file, copied to the head of the run's
console.log at the hand-over, so the log reads as a cold runner's would. CUDA is not touched
here: importing torch does not initialise it, and a waiting process must hold no GPU.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

# What a run imports first, by `python -X importtime -m pft_desktop.runner` on the demo:
# transformers' Trainer and peft (which pulls bitsandbytes and torch's compiler) dominate.
PRELOAD = ("torch", "transformers", "transformers.trainer", "peft", "datasets", "accelerate",
           "pft_desktop.core.recipe", "pft_desktop.core.tasks", "pft_desktop.core.methods",
           "pft_desktop.core.callbacks", "pft_desktop.core.check_cache")


def preload() -> None:
    """Import the libraries. One that fails is left for the run, whose own import then
    fails with the usual error event."""
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - reported by the run that needs it
            pass


def ready_process() -> float:
    """Import what every run needs, then freeze the heap, and return the seconds it took.
    The imports leave about 500,000 objects that are never garbage; frozen, the collector no
    longer scans them (the Trainer's own gc.collect() before step 1 took 0.4 to 0.7 s here,
    then 0 s)."""
    started = time.perf_counter()
    preload()
    gc.collect()
    gc.freeze()
    return time.perf_counter() - started


def _point_output_at(fd: int) -> None:
    """Send fd 1 and fd 2 (and what Python buffered for them) to ``fd``."""
    sys.stderr.flush()
    os.dup2(fd, 2)
    os.dup2(fd, 1)


def wait_for_run(events_out) -> dict | None:
    """Import, write the ready line to ``events_out``, and read the run's request from stdin:
    ``{"run_dir", "resume", "events"}``. None when stdin closes first (the app went away)."""
    early = tempfile.TemporaryFile()
    _point_output_at(early.fileno())
    seconds = ready_process()
    torch = sys.modules.get("torch")
    ready = {"type": "warm_ready", "import_seconds": round(seconds, 3),
             "cuda_initialized": bool(torch is not None and torch.cuda.is_initialized())}
    try:
        events_out.write(json.dumps(ready) + "\n")
        events_out.flush()
    except (OSError, ValueError):
        pass
    line = sys.stdin.readline()
    if not line.strip():
        return None
    request = json.loads(line)
    from pft_desktop.core.launch import CONSOLE_LOG

    try:
        with open(Path(request["run_dir"]) / CONSOLE_LOG, "ab") as console:
            sys.stderr.flush()
            early.seek(0)
            shutil.copyfileobj(early, console)
            console.flush()
            _point_output_at(console.fileno())
    except OSError:
        pass  # no folder to log in: the run says why
    early.close()
    print(f"pft-desktop: libraries imported in {ready['import_seconds']:.1f} s before this run "
          "was handed over (warm start)", file=sys.stderr, flush=True)
    return request
