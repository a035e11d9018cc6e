"""Helpers for the `qa-reader serve` tests: start a server as a user would, read a tab's screen.

`Served` starts `python -m tui serve --port 0 ...` (the OS picks a free port; the URL is read from the
first line the server prints), and stops it with SIGINT as ctrl+c would. `Screen` is a terminal emulator
(pyte, a test-only dependency) fed with the bytes the server sends a tab over its websocket: what the page
draws on its canvas, as text.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyte

START_WITHIN = 30.0
"""Seconds a server gets to print its URL (generous: a slow, loaded machine)."""


class Served:
    """A running `qa-reader serve`; use as a context manager (stops it with SIGINT on the way out)."""

    def __init__(self, content: Path, db: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.db = db
        command = [sys.executable, "-m", "tui", "serve", "--content", str(content), "--db", str(db)]
        command += list(args) if "--port" in args else [*args, "--port", "0"]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        self.lines: list[str] = []
        self.url = ""
        deadline = time.monotonic() + START_WITHIN
        while not self.url:
            line = self._line(deadline)
            if line is None:
                self.stop()
                raise AssertionError(f"serve printed no URL; it said: {self.lines} {self.stderr_text()}")
            self.lines.append(line)
            found = re.search(r"http://\S+", line)
            if found:
                self.url = found.group(0)

    def _line(self, deadline: float) -> str | None:
        stdout = self.process.stdout
        assert stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if selector.select(timeout=max(0.0, deadline - time.monotonic())):
                    line = stdout.readline()
                    return line.decode("utf-8", "replace") if line else None
        return None

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    def stderr_text(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return self.process.stderr.read().decode("utf-8", "replace")

    def stop(self, within: float = 20.0) -> tuple[int, str, str]:
        """ctrl+c: SIGINT, then wait for the server to end; (exit status, stdout, stderr)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=within)
        return self.process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            try:
                self.stop()
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.communicate()


class Screen:
    """A tab's screen as text, from the terminal output its websocket carries."""

    def __init__(self, width: int, height: int) -> None:
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.frames = 0

    def feed(self, data: bytes) -> None:
        self.stream.feed(data)
        self.frames += 1

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def __contains__(self, words: str) -> bool:
        return words in self.text


def size_of(websocket_url: str) -> tuple[int, int]:
    """The terminal size a page asked for when it opened its websocket (`/ws?width=W&height=H`)."""
    found = re.search(r"width=(\d+)&height=(\d+)", websocket_url)
    assert found, websocket_url
    return int(found.group(1)), int(found.group(2))


def reader_pids(server_pid: int) -> list[int]:
    """The tab readers a server runs now (its child processes)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server_pid and fields[0] != "Z":
            children.append(int(stat.parent.name))
    return children


# -- a browser tab (Playwright, sync API) ----------------------------------------------------------------
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """A Chromium to drive: $QA_READER_CHROMIUM, else Debian's `chromium` (apt) or another on PATH."""
    import shutil

    given = os.environ.get("QA_READER_CHROMIUM")
    if given:
        return given if Path(given).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def drawn(text: str) -> bool:
    """Whether a reader's whole first screen is on a tab: the sidebar, the counts line and the footer."""
    return "Questions (" in text and " like" in text and "q Quit" in text


class Tab:
    """One browser tab on a served reader: its screen (read from the websocket), keys pressed on it.

    Every wait is on what the screen shows (each new websocket frame is a chance to check), with a
    deadline, never a fixed sleep.
    """

    def __init__(self, context: Any, url: str, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.page = context.new_page()
        self.websocket: Any = None
        self.screen: Screen | None = None
        self.page.on("websocket", self._connected)
        started = time.perf_counter()
        self.page.goto(url)
        deadline = time.monotonic() + timeout
        while self.websocket is None:
            self.page.wait_for_event("websocket", timeout=self._left(deadline))
        self.wait_for(drawn, what="the reader's first screen")
        self.first_screen = time.perf_counter() - started
        """Seconds from asking for the page to the reader's whole first screen on it."""
        # Keys go to the terminal's hidden text area (where xterm.js takes typing), as after a click.
        self.page.locator(".xterm-helper-textarea").focus()

    def _connected(self, websocket: Any) -> None:
        if self.websocket is not None:
            return
        self.screen = Screen(*size_of(websocket.url))
        websocket.on("framereceived", self._frame)
        self.websocket = websocket

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes) and self.screen is not None:
            self.screen.feed(payload)

    def _left(self, deadline: float) -> float:
        return max(1.0, (deadline - time.monotonic()) * 1000)

    @property
    def text(self) -> str:
        return self.screen.text if self.screen is not None else ""

    def wait_for(self, condition: Callable[[str], bool], what: str = "") -> float:
        """Wait until `condition(text)` holds; the seconds it took. Fails with the screen when it does not."""
        started = time.perf_counter()
        deadline = time.monotonic() + self.timeout
        while not condition(self.text):
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen after {self.timeout} s: {what}\n{self.text}")
            try:
                self.websocket.wait_for_event("framereceived", timeout=self._left(deadline))
            except Exception as error:
                if condition(self.text):
                    break
                raise AssertionError(f"{error}\nwaiting for: {what}\n{self.text}") from None
        return time.perf_counter() - started

    def press(self, key: str, until: Callable[[str], bool], what: str = "") -> float:
        """Press `key` in the page and wait until `until(text)`; the seconds from the key to that screen."""
        started = time.perf_counter()
        self.page.keyboard.press(key)
        self.wait_for(until, what or f"the screen after {key}")
        return time.perf_counter() - started

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def close(self) -> None:
        self.page.close()
