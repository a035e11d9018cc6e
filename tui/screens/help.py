"""The help screen: every key and what it does."""

from __future__ import annotations

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# The one list of keys, in the order the README documents them.
KEYS: list[tuple[str, str]] = [
    ("↑ ↓  j k  space  PgUp PgDn", "move in the focused pane"),
    ("tab / shift+tab", "move focus between panes"),
    ("enter", "open the selected question / follow the selected link or note"),
    ("← →", "select the previous / next link or footnote reference in the text"),
    ("[  ]", "previous / next section"),
    ("g  G", "top / bottom of the article"),
    ("c", "comparison view: on, next comparison, off"),
    ("f", "footnote panel on / off"),
    ("b", "bookmark the section in view (again to remove)"),
    ("B", "bookmarks: enter opens one, d deletes it"),
    ("l", "like / unlike the article"),
    ("backspace  alt+←", "back"),
    ("alt+→", "forward"),
    ("o", "open the selected web link in your browser (web links only; enter follows any link)"),
    ("s", "show / hide the sidebar"),
    ("/", "search every article: type words, ↑↓ to choose, enter opens at the matching section"),
    ("ctrl+f", "filter the questions in the sidebar as you type (escape clears)"),
    ("ctrl+p", "command palette: jump to any question, run any action, change the theme"),
    ("?", "this help"),
    ("escape", "close the current screen or panel"),
    ("q", "quit (your place is saved)"),
]


class HelpScreen(ModalScreen[None]):
    """Keys and what they do."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style=Style(color="#5fafd7", bold=True), no_wrap=True)
        table.add_column()
        for key, what in KEYS:
            table.add_row(Text(key), Text(what))
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc: close"
            yield Static(table)
