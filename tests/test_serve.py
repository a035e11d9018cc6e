"""`qa-reader serve` without a browser: the command line, the checks before it serves, the page it serves,
who may use it, and a tab driven over its websocket as the page would (tests/serving.py starts the server
as a user would and reads a tab's screen). The real page in Chromium is tests/test_serve_browser.py."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import aiohttp
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from serving import Screen, Served, reader_pids  # noqa: E402

from tui.articles import Library, bundled_content  # noqa: E402
from tui.store import Store  # noqa: E402

MAIN = "why-does-elon-musk-not-like-openai"
MAIN_TITLE = "Why does Elon Musk not like OpenAI?"
WIDTH, HEIGHT = 120, 40
WAIT = 30.0
"""Seconds any wait may take before the test fails (a safety net for a loaded machine, not a timing)."""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The server's environment: its caches and data folders in tmp_path, never the user's."""
    return {
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "QA_READER_DB": str(tmp_path / "isolated-reader.json"),
    }


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "reader.json"


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m tui ...` to its end: for the cases where the server must not start."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=WAIT,
        env={**os.environ, **env},
    )


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, ended but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


# -- the command line --------------------------------------------------------------------------------------


def test_help_names_the_options_and_says_there_is_no_sign_in(env: dict[str, str]) -> None:
    result = run("serve", "--help", env=env)
    assert result.returncode == 0
    for option in ("--content", "--db", "--host", "--port", "--public", "--open"):
        assert option in result.stdout, option
    assert "no sign-in" in " ".join(result.stdout.split())


def test_a_host_other_machines_can_reach_needs_public(db: Path, env: dict[str, str]) -> None:
    refused = run("serve", "--db", str(db), "--host", "0.0.0.0", "--port", "0", env=env)
    assert refused.returncode == 2
    assert "--public" in refused.stderr
    assert "http://" not in refused.stdout + refused.stderr  # nothing was served
    assert not db.exists()

    with Served(bundled_content(), db, "--host", "0.0.0.0", "--public", "--port", "0", env=env) as served:
        # The URL names this machine's host name, which need not resolve here: ask on loopback.
        with urllib.request.urlopen(f"http://127.0.0.1:{served.port}/", timeout=WAIT) as response:
            assert response.status == 200
        status, out, err = served.stop(within=WAIT)
    assert status == 0
    warning = " ".join(err.split())
    assert "warning" in warning and "no sign-in" in warning
    assert "anyone who can reach this port can read" in warning and "articles" in warning
    assert "change your bookmarks" in warning
    assert "Traceback" not in out + err


def test_a_port_in_use_is_a_one_line_error(db: Path, env: dict[str, str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--db", str(db), "--port", str(port), env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "http://" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"port {port}" in lines[0] and "in use" in lines[0]
    assert "--port" in lines[0]  # how to choose another


def test_a_port_out_of_range_is_a_usage_error(db: Path, env: dict[str, str]) -> None:
    result = run("serve", "--db", str(db), "--port", "70000", env=env)
    assert result.returncode == 2
    assert "--port" in result.stderr and "Traceback" not in result.stderr
    assert "http://" not in result.stdout


def test_content_that_is_not_a_folder_is_a_usage_error(tmp_path: Path, db: Path, env: dict[str, str]) -> None:
    article = tmp_path / "one.md"
    article.write_text("# One?\n\nAn answer.\n", encoding="utf-8")
    for content in (article, tmp_path / "missing"):
        result = run("serve", "--content", str(content), "--db", str(db), "--port", "0", env=env)
        assert result.returncode == 2, content
        assert "not a folder" in result.stderr and "Traceback" not in result.stderr
        assert "http://" not in result.stdout


def test_a_db_that_is_a_folder_is_refused_and_left_alone(tmp_path: Path, env: dict[str, str]) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine", encoding="utf-8")
    before = sorted(path.name for path in folder.iterdir())
    result = run("serve", "--db", str(folder), "--port", "0", env=env)
    assert result.returncode == 2
    assert "is a folder, not a file" in result.stderr and "Traceback" not in result.stderr
    assert "http://" not in result.stdout
    assert sorted(path.name for path in folder.iterdir()) == before
    assert (folder / "keep.txt").read_text(encoding="utf-8") == "mine"


# -- the page ----------------------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name in ("src", "href") and value]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def css_urls(css: str) -> list[str]:
    return [found.group(2) for found in CSS_URL.finditer(css) if not found.group(2).startswith("data:")]


def get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=WAIT) as response:
        return response.status, response.headers.get_content_type(), response.read()


def test_the_page_loads_nothing_from_another_host(db: Path, env: dict[str, str]) -> None:
    with Served(bundled_content(), db, env=env) as served:
        status, _, body = get(served.url)
        assert status == 200
        page = body.decode("utf-8")
        parser = _Links()
        parser.feed(page)
        links = parser.links + css_urls("\n".join(parser.styles))
        # The page's script, its stylesheet and both fonts (one preloaded, and named in the @font-face rules).
        assert any(link.endswith(".js") for link in links) and any(link.endswith(".css") for link in links)
        assert sum(link.endswith(".ttf") for link in links) >= 3
        origin = urlsplit(served.url)[:2]
        fetched: set[str] = set()
        while links:
            url = urljoin(served.url, links.pop())
            assert urlsplit(url)[:2] == origin, url
            if url in fetched:
                continue
            fetched.add(url)
            status, kind, body = get(url)
            assert status == 200 and body, url
            if kind == "text/css":  # what a stylesheet loads must come from here too
                links += css_urls(body.decode("utf-8"))
        assert "googleapis" not in page
        for host in re.findall(r"(?:https?:)?//([\w.-]+)", page):
            assert host == origin[1].rsplit(":", 1)[0], f"the page names another host: {host}"


# -- who may use it ----------------------------------------------------------------------------------------


def status_for_host(port: int, host: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        connection.request("GET", "/", headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_foreign_host_name_is_refused(db: Path, env: dict[str, str]) -> None:
    with Served(bundled_content(), db, env=env) as served:
        port = served.port
        assert status_for_host(port, f"127.0.0.1:{port}") == 200
        assert status_for_host(port, f"localhost:{port}") == 200
        assert status_for_host(port, "evil.example") == 403
        assert status_for_host(port, f"evil.example:{port}") == 403  # DNS rebinding to our loopback port


async def test_a_websocket_must_come_from_the_page_itself(db: Path, env: dict[str, str]) -> None:
    with Served(bundled_content(), db, env=env) as served:
        ws_url = f"ws://127.0.0.1:{served.port}/ws?width={WIDTH}&height={HEIGHT}"
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(ws_url, origin="http://evil.example")
            assert refused.value.status == 403
            assert reader_pids(served.process.pid) == []  # no reader was started for it
            websocket = await session.ws_connect(ws_url, origin=f"http://127.0.0.1:{served.port}")
            try:
                assert not websocket.closed
                message = await asyncio.wait_for(websocket.receive(), WAIT)
                assert message.type == aiohttp.WSMsgType.BINARY  # the reader's first output
            finally:
                await websocket.close()


# -- a tab, driven as the page drives it -------------------------------------------------------------------


class Tab:
    """One browser tab without a browser: the page's messages out, the terminal output into a Screen."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket
        self.screen = Screen(WIDTH, HEIGHT)

    async def press(self, keys: str) -> None:
        await self.websocket.send_str(json.dumps(["stdin", keys]))

    async def shows(self, words: str, within: float = WAIT) -> None:
        """Read the tab's output until the screen shows `words`."""
        deadline = time.monotonic() + within
        while words not in self.screen:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"the tab never showed {words!r}; it shows:\n{self.screen.text}")
            try:
                # Not receive(timeout=...): aiohttp restarts that timeout at every heartbeat ping.
                message = await asyncio.wait_for(self.websocket.receive(), remaining)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.screen.feed(message.data)
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                raise AssertionError(f"the tab closed before showing {words!r}:\n{self.screen.text}")

    async def until_closed(self) -> None:
        """Read on, as a browser does, until the server closes the tab."""
        async for message in self.websocket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.screen.feed(message.data)


@asynccontextmanager
async def tab_of(served: Served) -> AsyncIterator[Tab]:
    url = re.sub(r"^http", "ws", served.url) + f"ws?width={WIDTH}&height={HEIGHT}"
    async with aiohttp.ClientSession() as session:
        websocket = await session.ws_connect(url, origin=served.url.rstrip("/"))
        try:
            await websocket.send_str(json.dumps(["resize", {"width": WIDTH, "height": HEIGHT}]))
            yield Tab(websocket)
        finally:
            await websocket.close()


async def wait_for_no_readers(served: Served, pids: list[int]) -> None:
    deadline = time.monotonic() + WAIT
    while reader_pids(served.process.pid) or any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            raise AssertionError(f"a tab's reader is still running: {reader_pids(served.process.pid)}")
        await asyncio.sleep(0.02)


def sections() -> list[tuple[str, str]]:
    """The first article's sections below its title: (id, title)."""
    article = Library(bundled_content()).article(MAIN)
    assert article is not None
    return [(section.id, section.title) for section in article.sections if section.level > 1]


async def test_closing_a_tab_ends_its_reader_and_keeps_the_like_and_the_place(
    db: Path, env: dict[str, str]
) -> None:
    (_, first_title), (second_id, second_title) = sections()[:2]
    with Served(bundled_content(), db, env=env) as served:
        async with tab_of(served) as tab:
            await tab.shows(MAIN_TITLE)
            await tab.shows(f"● {first_title[:15]}")  # the article is open on its first section
            readers = reader_pids(served.process.pid)
            assert len(readers) == 1
            await tab.press("l")
            await tab.shows("♥ liked")
            assert "1 like" in tab.screen
            await tab.press("]")
            await tab.shows(f"● {second_title[:15]}")
        # The websocket is closed: the tab's reader saves its place and ends.
        await wait_for_no_readers(served, readers)
        state = Store(db).article_state(MAIN)
        assert state.liked is True
        assert state.position is not None and state.position.section_id == second_id
        assert Store(db).last_article() == MAIN
        status, out, err = served.stop(within=WAIT)
    assert status == 0 and "Traceback" not in out + err


async def test_ctrl_c_with_a_tab_open_saves_it_and_stops(db: Path, env: dict[str, str]) -> None:
    (first_id, first_title), *_ = sections()
    with Served(bundled_content(), db, env=env) as served:
        async with tab_of(served) as tab:
            await tab.shows(MAIN_TITLE)
            await tab.shows(f"● {first_title[:15]}")
            readers = reader_pids(served.process.pid)
            assert len(readers) == 1
            await tab.press("b")
            await tab.shows("★ section bookmarked")
            # ctrl+c while the tab is open; the tab goes on reading, as a browser would, until it is closed.
            closed = asyncio.create_task(tab.until_closed())
            try:
                started = time.monotonic()
                status, out, err = await asyncio.to_thread(served.stop, WAIT)
                took = time.monotonic() - started
                await asyncio.wait_for(closed, WAIT)
            finally:
                closed.cancel()
    assert status == 0, err
    assert "Traceback" not in out + err
    assert took < WAIT
    assert not any(alive(pid) for pid in readers)
    state = Store(db).article_state(MAIN)
    assert first_id in state.bookmarked
    assert state.position is not None and state.position.section_id == first_id
    assert Store(db).last_article() == MAIN


async def test_a_killed_server_leaves_no_reader_behind_and_the_place_is_kept(
    db: Path, env: dict[str, str]
) -> None:
    # Killed, crashed, or its terminal closed: the readers' input ends, and each quits as if asked.
    (_, first_title), (second_id, second_title) = sections()[:2]
    with Served(bundled_content(), db, env=env) as served:
        async with tab_of(served) as tab:
            await tab.shows(f"● {first_title[:15]}")
            readers = reader_pids(served.process.pid)
            assert len(readers) == 1
            await tab.press("]")
            await tab.shows(f"● {second_title[:15]}")
            served.process.kill()
            served.process.wait(WAIT)
            deadline = time.monotonic() + WAIT
            while any(alive(pid) for pid in readers):
                assert time.monotonic() < deadline, "a tab's reader outlived its server"
                await asyncio.sleep(0.02)
    state = Store(db).article_state(MAIN)
    assert state.position is not None and state.position.section_id == second_id


def test_a_host_name_is_never_looked_up(monkeypatch: pytest.MonkeyPatch) -> None:
    # A name that resolves to 127.0.0.1 is how DNS rebinding gets a page to a loopback server.
    from tui import serve

    monkeypatch.setattr(serve.socket, "getaddrinfo", lambda *a, **k: pytest.fail("a Host name was looked up"))
    assert (
        serve._loopback_host("localhost")
        and serve._loopback_host("127.0.0.2")
        and serve._loopback_host("::1")
    )
    assert not serve._loopback_host("rebound.example")
    assert not serve._loopback_host("10.0.0.1")


# -- what a tab is told when its reader cannot be had ------------------------------------------------------


async def _closed_with(served: Served) -> tuple[int | None, str]:
    """Open a tab and read until the server closes it: (close code, reason)."""
    url = re.sub(r"^http", "ws", served.url) + f"ws?width={WIDTH}&height={HEIGHT}"
    async with aiohttp.ClientSession() as session:
        websocket = await session.ws_connect(url, origin=served.url.rstrip("/"))
        deadline = time.monotonic() + WAIT
        while not websocket.closed:
            assert time.monotonic() < deadline, "the tab was never closed"
            message = await asyncio.wait_for(websocket.receive(), WAIT)
            if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                return websocket.close_code, message.extra or ""
        return websocket.close_code, ""


async def test_a_reader_that_cannot_start_closes_its_tab_with_the_reason(
    tmp_path: Path, db: Path, env: dict[str, str]
) -> None:
    content = tmp_path / "articles"
    content.mkdir()
    (content / "a.md").write_text("# A\n\nText.\n")
    with Served(content, db, env=env) as served:
        (content / "a.md").unlink()
        content.rmdir()  # the folder is gone by the time a tab opens
        code, reason = await _closed_with(served)
        status, out, err = served.stop(within=WAIT)
    assert code == 1011  # the page then says the reader could not go on, and why
    assert reason == f"qa-reader: {content}: not a folder of articles"
    assert status == 0 and "Traceback" not in out + err
    assert (out + err).count("not a folder of articles") == 1  # said once, on one line


async def test_tabs_beyond_max_tabs_are_told_to_try_later(db: Path, env: dict[str, str]) -> None:
    with Served(bundled_content(), db, "--max-tabs", "1", env=env) as served:
        async with tab_of(served) as tab:
            await tab.shows(MAIN_TITLE)
            code, reason = await _closed_with(served)
            assert code == 1013 and "1 tabs are open already" in reason
            assert len(reader_pids(served.process.pid)) == 1


def test_a_host_that_names_no_address_says_so_first(db: Path, env: dict[str, str]) -> None:
    result = run("serve", "--host", "nosuch.invalid", "--db", str(db), env=env)
    assert result.returncode == 1
    assert "no such address" in result.stderr and "--public" not in result.stderr


async def test_a_file_handed_to_the_browser_is_shown_sandboxed_never_run(
    tmp_path: Path, db: Path, env: dict[str, str]
) -> None:
    # An SVG in the content folder may hold a script; served from the reader's own address it could drive
    # a reader. `o` hands it to the browser with a sandbox policy (no script, no origin).
    content = tmp_path / "articles"
    content.mkdir()
    (content / "page.md").write_text("# Page\n\nSee [the chart](chart.svg).\n")
    (content / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'
    )
    with Served(content, db, env=env) as served:
        async with tab_of(served) as tab:
            await tab.shows("See the chart")
            await tab.press("\x1b[C")  # → selects the link
            await tab.press("o")
            deadline = time.monotonic() + WAIT
            key = None
            while key is None:
                assert time.monotonic() < deadline, "the file was never handed to the browser"
                message = await asyncio.wait_for(tab.websocket.receive(), WAIT)
                if message.type == aiohttp.WSMsgType.TEXT and message.json()[0] == "deliver_file_start":
                    key = message.json()[1]
            # fetched while the tab is open, as the browser does (the reader streams the file)
            async with (
                aiohttp.ClientSession() as session,
                session.get(urljoin(served.url, f"download/{key}")) as response,
            ):
                assert response.headers["Content-Security-Policy"] == "sandbox"
                assert response.headers["X-Content-Type-Options"] == "nosniff"
                assert b"<script>" in await response.read()  # the file as it is, only never run
