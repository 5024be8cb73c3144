"""Entry point of the training child process (see the package docstring)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

EXIT_OK, EXIT_FAILED = 0, 1


def _claim_stdout():
    """Keep the real stdout for events and point fd 1 (and sys.stdout) at stderr, so that a
    stray print in any library cannot corrupt the event stream."""
    events_out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return events_out


def _watch_stdin(stop: threading.Event) -> None:
    def read():
        for line in sys.stdin:
            if line.strip().lower() == "stop":
                stop.set()
    threading.Thread(target=read, name="stop-listener", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pft_desktop.runner")
    parser.add_argument("run_dir")
    parser.add_argument("--resume", action="store_true",
                        help="continue from the run's latest checkpoint")
    args = parser.parse_args(argv)

    events_out = _claim_stdout()
    stop = threading.Event()
    _watch_stdin(stop)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, lambda *_: stop.set())

    from pft_desktop.core import events
    from pft_desktop.core.recipe import run_training

    def emit(event: dict) -> None:
        # If the app that started us has gone (window closed, app crashed), keep training:
        # events.jsonl still records everything, and the app can reattach to the run later.
        nonlocal events_out
        if events_out is None:
            return
        try:
            events_out.write(events.dumps(event) + "\n")
            events_out.flush()
        except (BrokenPipeError, OSError, ValueError):
            events_out = None

    outcome = run_training(None, args.run_dir, sink=emit, stop=stop, resume=args.resume)
    return EXIT_OK if outcome.was_successful() else EXIT_FAILED
