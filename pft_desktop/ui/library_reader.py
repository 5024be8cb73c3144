"""Reads the run library for the Runs page: at once (when the page opens, after a rename or a
delete), or in a worker thread for the refresh every few seconds, since 500 cached summaries
still take 0.1-0.2 s, too long for the GUI thread to stall."""

from __future__ import annotations

import os
import sys
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QFile, QObject, QStandardPaths, Signal

from pft_desktop.core.errors import UserError
from pft_desktop.core.runstore import RunStore


def _read() -> tuple[RunStore, list]:
    store = RunStore()  # the runs folder may have changed in the settings since
    return store, store.summaries()


class LibraryReader(QObject):
    """``read`` carries (store, summaries); ``failed`` why the runs folder could not be read.
    A background read that finishes after a newer read at once is dropped (it would undo a
    rename or a delete that is already shown)."""

    read = Signal(object, list)
    failed = Signal(str)
    _delivered = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._generation = 0
        self._pending: Future | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="run-library")
        # Emitted in the worker, received by a bound method of this GUI-thread object: queued
        # to the GUI thread (STACK_NOTES.md, Qt threading rules).
        self._delivered.connect(self._receive)

    def read_now(self) -> None:
        self._generation += 1
        try:
            store, runs = _read()
        except (OSError, UserError) as error:
            self.failed.emit(str(error))
            return
        self.read.emit(store, runs)

    def read_in_background(self) -> None:
        if self._pending is not None and not self._pending.done():
            return
        generation = self._generation
        self._pending = self._pool.submit(_read)
        self._pending.add_done_callback(lambda future: self._hand_over(future, generation))

    def _hand_over(self, future: Future, generation: int) -> None:
        try:
            self._delivered.emit((future, generation))
        except RuntimeError:
            pass  # the window is gone

    def _receive(self, delivery) -> None:
        future, generation = delivery
        if generation != self._generation or future.cancelled():
            return
        try:
            store, runs = future.result()
        except (OSError, UserError) as error:
            self.failed.emit(str(error))
            return
        self.read.emit(store, runs)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def move_to_trash(path) -> bool:
    """Qt's move to the platform's trash. On Linux, Qt puts the home trash in the XDG data
    folder (~/.local/share/Trash) but fails when that folder does not exist yet (a fresh
    account): it is created and the move tried once more."""
    def attempt() -> bool:
        moved = QFile.moveToTrash(str(path))  # a bool, or (bool, path in the trash)
        return bool(moved[0] if isinstance(moved, tuple) else moved)

    if attempt():
        return True
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    if sys.platform.startswith("linux") and data and not os.path.isdir(data):
        try:
            os.makedirs(data, exist_ok=True)
        except OSError:
            return False
        return attempt()
    return False
