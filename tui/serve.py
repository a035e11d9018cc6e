"""`qa-reader serve`: the same reader in a browser tab, through textual-serve.

textual-serve runs one process per browser tab and draws its output with xterm.js. What this module adds
around it, and why:

- **Every tab is a reader process** (`python -m tui --content DIR --db FILE`), started without a shell
  (paths are never quoted into a command line) and in its own session, so a ctrl+c meant for the server
  does not reach the readers first: the server asks each one to quit, which saves its place and waits for
  its writes (ReaderApp.on_exit_app), then stops. The data file's lock keeps the tabs' writes apart.
- **Closing a tab** closes its websocket; the server then asks that reader to quit (the same clean exit).
  A reader that has not ended 5 s later is killed. A server that dies without asking (killed, crashed)
  closes the readers' input, and each then quits the same way (tui/serve_driver.py).
- **Loopback only, unless asked**: textual-serve has no sign-in, so anyone who can reach the port can read
  the articles and change the reader data. The default host is 127.0.0.1; any host that is not loopback
  needs `--public` and a warning is printed. On a loopback host, requests must name a loopback name or
  address, never looked up (against DNS rebinding), and on any host a websocket must come from the page
  itself (its Origin is the server's), so another web site open in the same browser cannot drive a
  reader.
- **No outside resources**: our own page template (tui/web/index.html) loads the Roboto Mono font that
  textual-serve ships, not Google Fonts as its own template does, so the page works offline.
- **The port is bound before anything is printed**, so a port in use is a one-line error, and `--port 0`
  takes any free port (the URL printed has the real one).

textual-serve is imported only by `serve`, so the reader and the other commands do not pay for aiohttp.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tui.articles.text import clean_line

MAX_TABS = 16
"""Readers at once (each is a process of about 45 MB); a tab beyond it is told to try again later."""
QUIT_WAIT = 5.0
"""Seconds a tab's reader gets to save its place and end after being asked to quit, before it is killed."""
TEMPLATES = Path(__file__).parent / "web"
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
"""Names a request to a loopback server may give as its Host; any other name is refused, never looked up
(a name that resolves to 127.0.0.1 is what a DNS rebinding attack uses)."""
DRIVER = "tui.serve_driver:ReaderWebDriver"

log = logging.getLogger("qa-reader.serve")


class ServeError(Exception):
    """The server cannot start; the message is for the user."""


def is_loopback(host: str) -> bool:
    """Whether every address `host` names is this machine's loopback (127.0.0.0/8, ::1).

    ServeError when the name names no address at all (said before anything about --public).
    """
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ServeError(f"cannot serve on {host!r}: no such address ({error})") from None
    addresses = {info[4][0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; ServeError (one line, for the user) when it cannot be had."""
    host = host.strip("[]")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        raise ServeError(f"cannot serve on {host!r}: no such address ({error})") from None
    family, _, _, _, address = infos[0]
    try:
        return socket.create_server(address, family=family, backlog=128)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {host} is in use (another program, or another qa-reader serve): "
                "choose another with --port N, or --port 0 for any free port"
            ) from None
        if error.errno == errno.EACCES:
            raise ServeError(
                f"not allowed to serve on port {port} (ports under 1024 need root): choose one above 1023"
            ) from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise ServeError(f"cannot serve on {host}: this machine has no such address") from None
        raise ServeError(f"cannot serve on {host}:{port}: {error.strerror or error}") from None


def url_of(sock: socket.socket, host: str) -> str:
    """The address to open in a browser for a socket bound to `host`."""
    port = sock.getsockname()[1]
    host = host.strip("[]")
    shown = host
    if host in ("", "0.0.0.0", "::"):
        shown = socket.gethostname()
    elif ":" in host and not host.startswith("["):
        shown = f"[{host}]"
    return f"http://{shown}:{port}/"


def reader_command(content: Path, db: Path) -> list[str]:
    """What each tab runs: this Python's reader on the same folder and data file."""
    return [sys.executable, "-m", "tui", "--content", str(content), "--db", str(db)]


def _loopback_host(name: str) -> bool:
    """A Host header's name that is this machine by itself: a loopback name or address, never looked up."""
    if name.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _same_origin(origin: str, host: str) -> bool:
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def _host_name(host_header: str) -> str:
    """The host part of a Host header (`127.0.0.1:8000`, `[::1]:8000`, `localhost`)."""
    if host_header.startswith("["):
        return host_header[1 : host_header.find("]")]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def run(
    command: Sequence[str],
    sock: socket.socket,
    url: str,
    *,
    check_host: bool,
    max_tabs: int = MAX_TABS,
    title: str = "qa-reader",
    announce: Callable[[str], None] = print,
    open_browser: bool = False,
) -> int:
    """Serve until ctrl+c (SIGINT), SIGTERM or SIGHUP; every tab's reader is asked to quit first. Returns 0.

    `check_host`: refuse requests that do not name a loopback host (a loopback server without --public).
    """
    from aiohttp import WSCloseCode, WSMsgType, web
    from aiohttp.web_runner import GracefulExit
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    class TabReader(AppService):
        """One tab's reader process: no shell, its own session, killed if it will not quit; when it ends
        on its own (it failed to start, it crashed), its tab is told why and closed."""

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment = super()._build_environment(width=width, height=height)
            environment["TEXTUAL_DRIVER"] = DRIVER  # quits when the server is gone (serve_driver.py)
            return environment

        async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
            self._process = process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=self._build_environment(width=width, height=height),
                start_new_session=True,
            )
            assert process.stdin is not None
            self._stdin = process.stdin
            return process

        async def run(self) -> None:
            """Pass the reader's output to the tab until it ends (textual-serve's loop, with its stderr
            kept once and its end told)."""
            process = self._process
            assert process is not None and process.stdout is not None and process.stderr is not None
            errors = asyncio.create_task(process.stderr.read())
            stdout = process.stdout
            try:
                for _ in range(10):  # the reader says it is a Textual app before anything else
                    line = await stdout.readline()
                    if not line or line == b"__GANGLION__\n":
                        break
                while True:
                    kind = await stdout.readexactly(1)
                    size = int.from_bytes(await stdout.readexactly(4), "big")
                    payload = await stdout.readexactly(size)
                    if kind == b"D":
                        await self.on_data(payload)
                    elif kind == b"M":
                        await self.on_meta(payload)
                    elif kind == b"P":
                        await self.on_packed(payload)
            except (asyncio.IncompleteReadError, ConnectionResetError, asyncio.CancelledError):
                pass
            status = await process.wait()
            said = (await errors).decode("utf-8", "replace")
            if status != 0 and not self.quitting:
                # `python -m tui` says what went wrong in its last line ("qa-reader: ...: not a folder").
                lines = [clean_line(line).strip() for line in said.splitlines() if line.strip()]
                reason = lines[-1] if lines else f"the reader ended with status {status}"
                log.warning("a tab's reader ended (status %s): %s", status, reason)
                await self.remote_close(code=WSCloseCode.INTERNAL_ERROR, message=reason[:120].encode())
            else:
                await self.remote_close()

        quitting = False

        async def stop(self) -> None:
            self.quitting = True
            process = self._process
            try:
                await asyncio.wait_for(asyncio.shield(super().stop()), QUIT_WAIT)
            except TimeoutError:
                log.warning("a tab's reader did not end when asked; stopping it")
                if process is not None and process.returncode is None:
                    process.kill()
            if process is not None and process.returncode is None:
                await process.wait()

    class ReaderServer(Server):
        def __init__(self) -> None:
            super().__init__(" ".join(command), title=title, templates_path=TEMPLATES)
            self.sockets: set[web.WebSocketResponse] = set()

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format="qa-reader serve: %(message)s")

        def allowed(self, request: web.Request) -> bool:
            """Loopback hosts only on a loopback server (DNS rebinding); websockets from our own page."""
            host = request.host or ""
            if check_host and not _loopback_host(_host_name(host)):
                return False
            origin = request.headers.get("Origin")
            return request.path != "/ws" or origin is None or _same_origin(origin, host)

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.on_response_prepare.append(self._headers)
            return app

        async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            if request.path.startswith("/download/"):
                # A file the reader hands over (`o` on an image): shown, never run. An SVG or HTML file
                # from the content folder is untrusted; sandboxed, it cannot script this page's origin.
                response.headers["Content-Security-Policy"] = "sandbox"

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            import aiohttp_jinja2

            if not self.allowed(request):
                raise web.HTTPForbidden(text="qa-reader serve: not for this host")
            try:
                font_size = max(6, min(int(request.query.get("fontsize", "16")), 64))
            except ValueError:
                font_size = 16
            # Addresses relative to the page (static/, and ws built by the page from its own address),
            # so the page works whatever name, scheme or proxy it was reached through.
            context = {
                "font_size": font_size,
                "app_websocket_url": "ws",
                "config": {"static": {"url": "static/"}},
                "application": {"name": title},
            }
            response = aiohttp_jinja2.render_template("index.html", request, context)
            response.headers["Cache-Control"] = "no-store"
            return response

        async def handle_download(self, request: web.Request) -> web.StreamResponse:
            if not self.allowed(request):
                raise web.HTTPForbidden(text="qa-reader serve: not for this host")
            return await super().handle_download(request)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            if not self.allowed(request):
                raise web.HTTPForbidden(text="qa-reader serve: not from this page")
            websocket = web.WebSocketResponse(heartbeat=15)
            await websocket.prepare(request)
            if len(self.sockets) >= max_tabs:
                reason = f"{max_tabs} tabs are open already (qa-reader serve --max-tabs)"
                await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=reason.encode())
                return websocket
            width = _int(request.query.get("width"), 80)
            height = _int(request.query.get("height"), 24)
            self.sockets.add(websocket)
            reader = TabReader(
                " ".join(command),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            try:
                await reader.start(width, height)
                await self._process_messages(websocket, reader)
            except asyncio.CancelledError:
                pass
            except Exception as error:  # a broken message from a page: that tab ends, the server stays
                log.warning("a tab failed: %s", error)
            finally:
                self.sockets.discard(websocket)
                await reader.stop()
                if not websocket.closed:
                    await websocket.close()
            return websocket

        async def _process_messages(self, websocket: web.WebSocketResponse, reader: Any) -> None:
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                envelope = message.json()
                if not isinstance(envelope, list) or not envelope:
                    continue
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
                if kind == "stdin" and isinstance(data, str):
                    await reader.send_bytes(data.encode("utf-8"))
                elif kind == "resize" and isinstance(data, dict):
                    await reader.set_terminal_size(_int(data.get("width"), 80), _int(data.get("height"), 24))
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await reader.blur()
                elif kind == "focus":
                    await reader.focus()

        async def on_startup(self, app: web.Application) -> None:
            announce(f"qa-reader: serving the reader at {url}  (each browser tab is its own reader)")
            announce("Press ctrl+c to stop.")
            if open_browser:
                threading.Thread(target=_open_in_browser, args=(url, announce), daemon=True).start()

        async def on_shutdown(self, app: web.Application) -> None:
            # Closing a tab's websocket ends its handler, which asks its reader to quit and waits for it.
            closing = [ws.close(code=WSCloseCode.GOING_AWAY, message=b"stopped") for ws in self.sockets]
            await asyncio.gather(*closing, return_exceptions=True)

    server = ReaderServer()
    server.initialize_logging()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # ctrl+c, a stop, and the terminal closing (SIGHUP): every tab's reader is asked to quit first.
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(number, server.request_exit)
    with suppress(GracefulExit):
        web.run_app(
            server._make_app(),
            sock=sock,
            handle_signals=False,
            loop=loop,
            print=None,
            access_log=None,
            shutdown_timeout=QUIT_WAIT + 2,
        )
    announce("qa-reader: stopped.")
    return 0


def _int(value: object, default: int) -> int:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default
    return max(1, min(number, 1000))


def _open_in_browser(url: str, announce: Callable[[str], None]) -> None:
    import webbrowser

    # A terminal browser (lynx, w3m) would take over this very terminal: only a graphical one is used.
    graphical = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if not (graphical or sys.platform in ("darwin", "win32")):
        announce(f"No graphical browser here to open; open {url} in one.")
        return
    try:
        opened = webbrowser.open(url, new=2)
    except webbrowser.Error:
        opened = False
    if not opened:
        announce(f"Could not open a browser; open {url} in one.")
