"""Entry point of the training child process (see the package docstring)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time

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


def _follow_launcher() -> None:
    """One of several processes: end with the launcher. accelerate's launcher (torchrun) starts
    each rank in a session of its own, so killing the launcher (Kill in the app) would leave
    the ranks training as orphans; each checks once a second that its parent is still there."""
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(EXIT_FAILED)
    threading.Thread(target=watch, name="launcher-watch", daemon=True).start()


def _leave_process_group() -> None:
    """Close the process group cleanly after a run that ended well (NCCL warns otherwise);
    after a failure the others may be gone, so leave it to the exit."""
    try:
        import torch.distributed as dist

        if dist.is_available() and dist.is_initialized():
            dist.destroy_process_group()
    except Exception:  # noqa: BLE001 - the run is over either way
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pft_desktop.runner")
    parser.add_argument("run_dir", nargs="?")
    parser.add_argument("--resume", action="store_true",
                        help="continue from the run's latest checkpoint")
    parser.add_argument("--warm", action="store_true",
                        help="import the libraries first, then read the run from stdin as "
                        '{"run_dir": ..., "resume": ..., "events": ...} (the app\'s warm runner)')
    args = parser.parse_args(argv)
    if not args.warm and not args.run_dir:
        parser.error("the run folder is required")

    events_out = _claim_stdout()
    if args.warm:
        from pft_desktop.runner.warm import wait_for_run

        request = wait_for_run(events_out)
        if request is None:
            return EXIT_OK  # the app went away before it had a run for us
        args.run_dir, args.resume = request["run_dir"], bool(request.get("resume"))
        if not request.get("events"):
            events_out = None  # the app follows the run folder
    stop = threading.Event()
    _watch_stdin(stop)  # with several processes every rank reads it; they agree on a stop
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if not args.warm:
        from pft_desktop.runner.warm import ready_process

        ready_process()  # as a warm runner did before its run

    from pft_desktop.core import events, ranks
    from pft_desktop.core.recipe import run_training

    if ranks.world_size() > 1:
        _follow_launcher()
        if not ranks.is_main():
            events_out = None  # rank 0 alone reports

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
    if outcome.was_successful():
        _leave_process_group()
    return EXIT_OK if outcome.was_successful() else EXIT_FAILED
