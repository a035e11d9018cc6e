"""Shared fixtures: small content folders in tmp_path; never the user's real data file.

For Pilot tests, two helpers keep the suite independent of the machine's speed (see "Habits" in
CONVENTIONS.md: tests never race a timer):

- ``record_notices(app)``, called before ``app.run_test()``, returns a list that receives a ``Notice``
  (message, title, severity, timeout) for every ``notify`` call the app, its screens or its widgets make,
  and keeps it, however short the notification's timeout and however slow the machine. Use it instead of
  ``app._notifications`` (Textual's private list of the toasts still on screen).
- ``await wait_for(pilot, condition, what=...)`` lets the app run until ``condition()`` is true (the
  background parse, the search index, a store write, a worker), instead of a fixed ``pilot.pause(n)``.
  Its timeout is only a safety net for a hung test, never a timing assertion.

Both are fixtures; ask for them by name::

    async def test_b_says_bookmarked(record_notices, wait_for) -> None:
        app = ReaderApp(...)
        notices = record_notices(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("b")
            await wait_for(pilot, lambda: any(n.message.startswith("Bookmarked") for n in notices))
"""

from __future__ import annotations

import textwrap
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest
from textual.app import App
from textual.notifications import SeverityLevel
from textual.pilot import Pilot

MAIN_ID = "why-does-elon-musk-not-like-openai"


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the real user data folder or pick up the developer's settings."""
    monkeypatch.setenv("QA_READER_DB", str(tmp_path / "isolated-reader.json"))
    monkeypatch.delenv("QA_READER_CONTENT", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """write("a/b.md", text) creates a file under tmp_path/content and returns its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The content folder used by `write`."""
    folder = tmp_path / "content"
    folder.mkdir(exist_ok=True)
    return folder


# -- Pilot helpers --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """One recorded ``notify`` call."""

    message: str
    title: str
    severity: str
    timeout: float | None


def _record_notices(app: App[Any]) -> list[Notice]:
    """Record every ``notify`` call made through ``app`` (widgets' and screens' ``notify`` go through it).

    Wraps the instance's ``notify`` (the real one still runs, so toasts still show); call it before
    ``run_test``. ``App.notify`` is thread-safe, so notices from worker threads are recorded too. The list
    only grows: a notice stays in it after its toast has timed out or the app has quit.
    """
    notices: list[Notice] = []
    lock = threading.Lock()
    real = app.notify

    def notify(
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        with lock:
            notices.append(Notice(str(message), title, severity, timeout))
        real(message, title=title, severity=severity, timeout=timeout, markup=markup)

    app.notify = notify  # type: ignore[method-assign]
    return notices


T = TypeVar("T")


async def _wait_for(
    pilot: Pilot[Any], condition: Callable[[], T], timeout: float = 30.0, what: str = ""
) -> T:
    """Let the app run until ``condition()`` is truthy, and return its value.

    Each round lets the app process what is pending (``pilot.pause()``), then checks; if the condition
    does not hold yet it sleeps a little (timers, workers and threads get their turn) and tries again.
    ``timeout`` is a safety net against a hang, generous on purpose: a test must not depend on it.
    """
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        value = condition()
        if value:
            return value
        if not pilot.app.is_running:  # it crashed or quit: no use waiting (run_test reports a crash)
            raise AssertionError(f"the app stopped while waiting for {what or 'the condition'}")
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what or 'the condition'}")
        await pilot.pause(0.05)


RecordNotices = Callable[[App[Any]], list[Notice]]
"""The type of the ``record_notices`` fixture (for annotations: import it under ``TYPE_CHECKING``)."""


class WaitFor(Protocol):
    """The type of the ``wait_for`` fixture (for annotations: import it under ``TYPE_CHECKING``)."""

    def __call__(
        self, pilot: Pilot[Any], condition: Callable[[], T], timeout: float = ..., what: str = ...
    ) -> Awaitable[T]: ...


@pytest.fixture
def record_notices() -> RecordNotices:
    """``notices = record_notices(app)`` before ``run_test``: every notice the app shows, kept.

    Assert on ``notices`` (``[n.message for n in notices]``, ``n.severity``, ``n.title``) rather than on
    ``app._notifications``, which loses a notice when its timeout passes: on a slow machine, during the
    test.
    """
    return _record_notices


@pytest.fixture
def wait_for() -> WaitFor:
    """``await wait_for(pilot, lambda: <condition>, what="...")``: run the app until the condition holds.

    Use it for anything done in the background (a parse thread, the search index, a worker, a store
    write, a timer) instead of ``pilot.pause(seconds)``. Returns the condition's (truthy) value.
    """
    return _wait_for
