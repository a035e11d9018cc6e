"""Work off the UI thread that never holds up the screen or quitting.

Two tools, both on daemon threads (Textual's thread workers run in asyncio's default executor, whose
threads the interpreter waits for at exit: a parse of a huge file kept the process alive for half a
minute after `q`):

- `in_daemon_thread(fn, *args)`: an awaitable for an async worker; the thread is abandoned, not waited
  for, when the worker is cancelled or the app quits.
- `WriteQueue`: store writes, one at a time and in order, so a key press never waits on the data file
  (another qa-reader may hold its lock). Each write reports back on the UI thread, success or failure.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import Any, TypeVar

from tui.store import StoreError

_T = TypeVar("_T")


async def in_daemon_thread(fn: Callable[..., _T], *args: Any) -> _T:
    """Run `fn(*args)` on a new daemon thread and await its result (or its exception)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if future.done():  # the awaiting worker was cancelled
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def run() -> None:
        try:
            result, error = fn(*args), None
        except BaseException as exc:  # handed to the awaiting worker, which reports it
            result, error = None, exc
        with suppress(RuntimeError):  # the loop is closed: the app has quit, nobody is waiting
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name=getattr(fn, "__name__", "work"), daemon=True).start()
    return await future


Deliver = Callable[[Callable[[], None]], Any]
"""Runs a callback on the UI thread (the app's `call_later`, which is safe to call from a thread)."""


class WriteQueue:
    """Store writes in order on one daemon thread; results come back through `deliver`."""

    def __init__(self, deliver: Deliver) -> None:
        self._deliver = deliver
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._pending = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(
        self,
        write: Callable[[], _T],
        done: Callable[[_T], None] | None = None,
        failed: Callable[[StoreError], None] | None = None,
    ) -> None:
        """Queue `write`; then `done(result)` or `failed(error)` runs on the UI thread.

        Any exception from `write` is reported as a StoreError: a write never takes the reader down.
        """

        def job() -> None:
            try:
                result = write()
            except StoreError as error:
                if failed is not None:
                    self._deliver(partial(failed, error))
            except Exception as error:  # a bug, or an OSError the store did not expect
                if failed is not None:
                    self._deliver(partial(failed, StoreError(f"Could not save: {error}")))
            else:
                if done is not None:
                    self._deliver(partial(done, result))

        with self._lock:
            self._pending += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="store-writes", daemon=True)
                self._thread.start()
        self._jobs.put(job)

    @property
    def idle(self) -> bool:
        """True when every submitted write has finished."""
        with self._lock:
            return self._pending == 0

    async def drain(self, timeout: float) -> bool:
        """Wait (without blocking the UI) until every write finished, at most `timeout` s; True if so."""
        deadline = time.monotonic() + timeout
        while not self.idle:
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job()
            finally:
                with self._lock:
                    self._pending -= 1
