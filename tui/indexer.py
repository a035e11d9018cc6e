"""Keeps the stored index of a content folder fresh while the reader runs, and says how far it has got.

The stored index (tui/articles/catalog.py) is refreshed once per start, after the first paint. A small
folder is refreshed on a daemon thread of the reader itself: a few hundred files take well under a second.
A big one (more than `CHILD_OVER` articles, or a first build whose size is not known yet) is refreshed by a
child process, `qa-reader index --report`, so a build that reads 100,000 files runs on another core and
never holds the reader's interpreter lock: the reader scrolls and opens articles while it works. Both
report the same `Progress` and end with the same `Outcome`; the child's stdout protocol is read by
`parse_line` (and written by `qa-reader index --report`, in cli.py).

No Textual here: the reader screen runs `Indexer.run` in a worker and posts what it reports to itself.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

CHILD_OVER = 2_000
"""Articles above which the refresh runs in a child process rather than a thread of the reader."""


@dataclass(frozen=True)
class Progress:
    """How far a refresh has got: `phase` "walk" (files found so far: `done`) or "read" (`done` of
    `total` new or changed files read)."""

    phase: str
    done: int
    total: int = 0


@dataclass(frozen=True)
class Outcome:
    """How a refresh ended: kind "ready" (with its counts), "unavailable" (no usable stored index on this
    machine: `message` says why) or "failed" (`message` says why)."""

    kind: str
    message: str = ""
    articles: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def changes(self) -> int:
        """Articles added, changed or removed by the refresh."""
        return self.added + self.changed + self.removed


def parse_line(line: str) -> Progress | Outcome | None:
    """One line of `qa-reader index --report`; None for a line that is not part of the protocol."""
    word, _, rest = line.strip().partition(" ")
    try:
        if word == "walk":
            return Progress("walk", int(rest))
        if word == "read":
            done, total = rest.split()
            return Progress("read", int(done), int(total))
        if word == "ready":
            articles, added, changed, removed = (int(value) for value in rest.split())
            return Outcome("ready", "", articles, added, changed, removed)
    except ValueError:
        return None
    if word in ("unavailable", "failed"):
        return Outcome(word, rest.strip() or "no reason given")
    return None


class Indexer:
    """One refresh of the stored index of `root`, in a thread (`child` False) or a child process."""

    def __init__(self, root: Path, child: bool) -> None:
        self.root = root
        self.child = child
        self._process: subprocess.Popen[str] | None = None
        self._stopped = threading.Event()

    def run(self, report: Callable[[Progress], None]) -> Outcome:
        """Refresh (blocking: call it from a worker thread), calling `report` as it goes."""
        try:
            return self._in_child(report) if self.child else self._in_thread(report)
        except Exception as error:  # (the reader goes on without a stored index, and says why)
            return Outcome("failed", f"{type(error).__name__}: {error}")

    def stop(self) -> None:
        """End a refresh in a child process (the reader is quitting). A refresh in a thread is a daemon
        and ends with the process; SQLite rolls back its open batch on the next open."""
        self._stopped.set()
        import subprocess

        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()

    def _in_thread(self, report: Callable[[Progress], None]) -> Outcome:
        from tui.articles.catalog import Catalog, CatalogUnavailable

        try:
            catalog = Catalog.open(self.root, write=True)
        except CatalogUnavailable as error:
            return Outcome("unavailable", str(error))
        try:
            done = catalog.refresh(lambda phase, done, total: report(Progress(phase, done, total)))
        finally:
            catalog.close()
        return Outcome("ready", "", done.articles, done.added, done.changed, done.removed)

    def _in_child(self, report: Callable[[Progress], None]) -> Outcome:
        import subprocess  # (not on the reader's start-up path)
        import tempfile

        command = [sys.executable, "-m", "tui", "index", "--content", str(self.root), "--report"]
        if self._stopped.is_set():
            return Outcome("failed", "stopped")
        # stderr to a file, read at the end: a pipe nobody reads while stdout is read could fill and
        # stall the child (a long traceback, a flood of warnings).
        with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as errors_file:
            process = self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors_file,
                text=True,
                encoding="utf-8",
                errors="replace",
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,  # ctrl+c in the terminal is the reader's to handle, not the child's
            )
            outcome: Outcome | None = None
            assert process.stdout is not None
            for line in process.stdout:
                parsed = parse_line(line)
                if isinstance(parsed, Progress):
                    report(parsed)
                elif isinstance(parsed, Outcome):
                    outcome = parsed
            code = process.wait()
            errors = ""
            with contextlib.suppress(OSError, ValueError):
                errors_file.seek(0)
                errors = errors_file.read()
        if outcome is not None:
            return outcome
        if self._stopped.is_set():
            return Outcome("failed", "stopped")
        last = errors.strip().splitlines()[-1] if errors.strip() else f"exit status {code}"
        return Outcome("failed", last)
