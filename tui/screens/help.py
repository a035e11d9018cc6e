"""The help screen: every key and what it does, from the key table (tui/keys.py)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui import keys


class HelpScreen(ModalScreen[None]):
    """Keys and what they do."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        palette = self.app.palette  # type: ignore[attr-defined]
        table.add_column(style=palette.key, no_wrap=True)
        table.add_column(style=palette.text)
        for key in keys.documented():
            table.add_row(Text(key.shown), Text(key.help))
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc: close"
            yield Static(table)
