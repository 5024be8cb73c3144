"""Which training process this is when a run is spread over several, and what they must agree on.

accelerate's launcher (through torchrun) starts one runner per device and tells each its place
in ``RANK``, ``LOCAL_RANK`` and ``WORLD_SIZE``. Rank 0 alone writes the run folder; every rank
must stop at the same step (a collective left waiting on one rank hangs the others), and when a
rank fails, its own message, not a neighbour's broken connection, is what the person reads.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from pft_desktop.core.errors import UserError

FAILURES = "rank-failures"  # a folder in the run folder: one file per rank that raised


def rank() -> int:
    return int(os.environ.get("RANK", "0") or 0)


def local_rank() -> int:
    return int(os.environ.get("LOCAL_RANK", "0") or 0)


def world_size() -> int:
    return int(os.environ.get("WORLD_SIZE", "1") or 1)


def is_main() -> bool:
    """Whether this process writes the run folder (events, log, metrics, model)."""
    return rank() == 0


def _group_ready() -> bool:
    if world_size() == 1:
        return False
    import torch.distributed as dist

    return dist.is_available() and dist.is_initialized()


def any_rank(flag: bool) -> bool:
    """``flag`` on one process becomes True on all of them (one tiny all-reduce), so a stop
    seen by one rank stops every rank at the same step. One process: ``flag`` unchanged."""
    if not _group_ready():
        return flag
    import torch
    import torch.distributed as dist

    device = "cpu"
    if dist.get_backend() == "nccl":
        device = torch.device("cuda", torch.cuda.current_device())
    value = torch.tensor([1 if flag else 0], device=device)
    dist.all_reduce(value, op=dist.ReduceOp.MAX)
    return bool(value.item())


def barrier() -> None:
    """Wait until every rank gets here (no-op for one process)."""
    if _group_ready():
        import torch.distributed as dist

        dist.barrier()


# -- failures ---------------------------------------------------------------------------------
def failure_file(run_dir, which: int) -> Path:
    return Path(run_dir) / FAILURES / f"rank-{which}.json"


def record_failure(run_dir, error: UserError, details: str = "") -> None:
    """Every rank that fails leaves its error here before it exits, so rank 0 (or the launcher,
    when rank 0 was killed first) can name the process that really failed."""
    path = failure_file(run_dir, rank())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({"rank": rank(), "world_size": world_size(),
                                   "time": time.time(), "error": error.to_dict(),
                                   "details": details[-20000:]}), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # nowhere to write: rank 0 reports its own view


def failures(run_dir) -> list[dict]:
    """The failures recorded by this launch's ranks, earliest first."""
    folder = Path(run_dir) / FAILURES
    found = []
    for path in sorted(folder.glob("rank-*.json")) if folder.is_dir() else ():
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return sorted(found, key=lambda record: record.get("time", 0.0))


def clear_failures(run_dir) -> None:
    """The launcher clears them before each launch: a resumed run starts with none."""
    folder = Path(run_dir) / FAILURES
    for path in folder.glob("rank-*.json*") if folder.is_dir() else ():
        path.unlink(missing_ok=True)


def first_failure(run_dir, own: UserError | None = None, wait_s: float = 0.0,
                  own_time: float | None = None) -> UserError | None:
    """The failure that ended the run: the earliest recorded by any rank, or ``own`` when it
    came first. A rank whose neighbour died fails too, a moment later, with a broken
    connection: ``wait_s`` gives the neighbour's record time to appear."""
    deadline = time.monotonic() + wait_s
    while True:
        others = [r for r in failures(run_dir) if r.get("rank") != rank()]
        if others or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    if not others or own is not None and (others[0].get("error") or {}).get("message") \
            == own.message:
        return own  # the same problem on every process: no need to name one
    if own is None or own_time is None or others[0]["time"] <= own_time \
            or is_connection_error(own):
        return named_failure(others[0])
    return own


def named_failure(record: dict) -> UserError:
    """A rank's recorded error, its message saying which process it was."""
    error = record.get("error") or {}
    which, of = record.get("rank", "?"), record.get("world_size", "?")
    return UserError(error.get("kind", "internal"),
                     f"Training process {which} of {of} (rank {which}) failed: "
                     f"{error.get('message', 'no message')}", error.get("fix", ""))


def is_connection_error(error: UserError | None) -> bool:
    """A collective that broke because another process went away (gloo, NCCL, the store)."""
    if error is None:
        return False
    text = error.message.lower()
    return any(sign in text for sign in ("gloo", "nccl", "connection closed", "connection reset",
                                         "broken pipe", "distbackenderror", "tcpstore",
                                         "socket"))


def report_failure(run_dir, error: UserError, details: str, failed_at: float,
                   log=None) -> UserError:
    """Called by every rank that fails: record it; rank 0 then reports the failure that came
    first. A rank whose neighbour died fails a moment later with a broken connection, so rank
    0 then waits (up to 10 s) for the neighbour's own record. ``log`` gets every rank's
    traceback when the error reported is another rank's."""
    record_failure(run_dir, error, details)
    if not is_main():
        return error
    wait = 10.0 if is_connection_error(error) else 0.0
    first = first_failure(run_dir, own=error, own_time=failed_at, wait_s=wait) or error
    if first is not error and log is not None:
        for record in failures(run_dir):
            log.error("Training process %s failed:\n%s", record.get("rank"),
                      record.get("details", ""))
    return first
