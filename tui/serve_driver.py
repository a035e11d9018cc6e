"""The driver of a browser tab's reader under `qa-reader serve`: Textual's web driver, plus one rule.

When the server goes away without asking the reader to quit (killed, crashed, its terminal closed), the
reader's input reaches its end. Textual's web driver then just stops reading and the reader would run on,
orphaned, for good. Here, the end of input asks the reader to quit, which saves its place and waits for
its writes (ReaderApp.on_exit_app), like every other way out.

tui/serve.py names this class in TEXTUAL_DRIVER for every tab's reader.
"""

from __future__ import annotations

import asyncio

from textual import messages
from textual.drivers.web_driver import WebDriver


class ReaderWebDriver(WebDriver):
    def run_input_thread(self) -> None:
        try:
            super().run_input_thread()
        finally:
            if not self.exit_event.is_set():  # the input ended, not the app: the server is gone
                asyncio.run_coroutine_threadsafe(self._app._post_message(messages.ExitApp()), loop=self._loop)
