"""The Data page's checks in one long-lived process (``pft-desktop check --serve``).

A fresh ``pft-desktop check`` per change of mapping paid 3 s of imports and read the file
again every time. This process stays up: each request runs the same ``prepare`` a run does,
with the tables it read kept while their files are unchanged (``data.tables_kept``), and
answers with token lengths from a sample. Then, until the next request arrives, it counts every
row's tokens, answers again with the exact figures, and stores them in the check cache
(``core.check_cache``) for the run to reuse.

Protocol, one JSON object a line. In: ``{"id": 1, "config": {...}}`` (RunConfig.to_dict());
only the newest request waiting is checked. Out: ``{"id": 1, "type": "report", "exact": false,
"report": {...}, "model": {...}, "label_names": [...]}``, possibly followed by the same with
``"exact": true``; or ``{"id": 1, "type": "error", "kind", "message", "fix"}``.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading

from pft_desktop.core.errors import UserError, explain_exception

log = logging.getLogger("pft_desktop")
BACKGROUND_NICENESS = 10  # counting all rows yields the processors to a run that starts
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter; setting it fixes the threshold


def serve(lines, write, explain=explain_exception) -> int:
    """Answer requests read from ``lines`` (an iterable of text lines) with ``write(dict)``
    until it ends. ``explain`` turns an unforeseen exception into a UserError."""
    from pft_desktop.core.data import tables_kept

    return_freed_memory()
    waiting: queue.Queue = queue.Queue()
    threading.Thread(target=_read_requests, args=(lines, waiting), daemon=True).start()
    with tables_kept():
        while True:
            request = _newest(waiting, block=True)
            if request is None:
                return 0
            _check(request, waiting, write, explain)


def return_freed_memory() -> None:
    """Buffers a check frees go back to the system instead of staying with the allocators
    for reuse: pyarrow's default pool (mimalloc) kept its pages, and glibc raises the size it
    serves from mmap after every large free, so later arrays of a few MB came from a heap that
    is not given back. Together that was 40 MB of the peak checking a 200 MB CSV (736 MB
    against 696 MB, benchmarks/bench_data_check.py (d))."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(M_MMAP_THRESHOLD, 128 * 1024)  # glibc's default
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to set
        pass


def _read_requests(lines, waiting: queue.Queue) -> None:
    for line in lines:
        if line.strip():
            try:
                waiting.put(json.loads(line))
            except ValueError:
                log.warning("check service: not JSON: %.200s", line)
    waiting.put(None)  # stdin closed: stop


def _newest(waiting: queue.Queue, block: bool) -> dict | None:
    """The last request waiting (older ones are out of date); None when input ended."""
    request = waiting.get() if block else waiting.get_nowait()
    while request is not None and not waiting.empty():
        request = waiting.get()
    return request


def _check(request: dict, waiting: queue.Queue, write, explain) -> None:
    from pft_desktop.core import check_cache
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.lazy_tokens import only_reported
    from pft_desktop.core.recipe import prepare

    ident = request.get("id")
    try:
        config = RunConfig.from_dict(request["config"])
        with only_reported():
            prepared = prepare(config)
    except Exception as exc:  # noqa: BLE001 - every failure is an answer, the service goes on
        error = exc if isinstance(exc, UserError) else explain(exc)
        write({"id": ident, "type": "error", **error.to_dict()})
        return
    data = prepared.data
    key = prepared.task.check_key  # taken before the files were read
    if check_cache.check_key(config, prepared.model.path) != key:
        key = None  # a file changed while it was read: keep nothing
    answer = {"id": ident, "type": "report", "model": prepared.model.to_dict(),
              "label_names": data.label_names}
    figures = data.report.token_lengths
    exact = not figures.get("approximate")
    write({**answer, "report": data.report.to_dict(), "exact": exact})
    if data.lengths is None:
        return  # a task that counts its own lengths: nothing more to do or keep
    check_cache.store(key, figures)
    if exact:
        return
    _lower_priority()
    counted = data.lengths.exact_figures(keep_going=waiting.empty)
    if counted is None:
        return  # a newer request is waiting
    if check_cache.check_key(config, prepared.model.path) == key:  # files unchanged meanwhile
        check_cache.store(key, counted)
    data.report.token_lengths = counted
    write({**answer, "report": data.report.to_dict(), "exact": True})


def _lower_priority() -> None:
    if hasattr(os, "nice") and not getattr(_lower_priority, "done", False):
        try:
            os.nice(BACKGROUND_NICENESS)
        except OSError:
            pass
        _lower_priority.done = True
