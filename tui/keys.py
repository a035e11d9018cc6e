"""The one key table: it feeds the bindings, the footer, the help screen and the command palette, and a
test checks that README's key table says the same (tests/test_keys.py)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    """One key (or a group of keys) of the reader."""

    shown: str
    """As the help screen and README show it; groups separated by two spaces (`backspace  alt+←`)."""
    help: str
    """What it does, for the help screen and README."""
    bind: str = ""
    """Textual key names, comma-separated; empty for keys the focused widget handles itself."""
    action: str = ""
    """The action it runs (on the reading screen, or `app.` for the app's own)."""
    footer: str = ""
    """Its short label in the footer; empty keeps it out of the footer."""
    command: str = ""
    """Its name in the command palette; empty keeps it out of the palette."""
    footer_rank: int = 0
    """How long its footer hint holds on when the terminal is too narrow for all of them: the highest
    rank gives way first, 1 last; 0 never does (help and quit, kept at the right end of the footer)."""


KEYS: list[Key] = [
    Key("↑ ↓  j k  space  PgUp PgDn", "move in the focused pane"),
    Key("tab / shift+tab", "move focus between panes"),
    Key("enter", "open the selected question / follow the selected link or note"),
    Key("space  → ←", "in the sidebar, on a folder: open / close it (→ ← also step in and out)"),
    Key(
        "← →",
        "select the previous / next link or footnote reference in the text; in the footnote panel, a note's"
        " links (o opens)",
    ),
    Key("[  ]", "previous / next section"),
    Key("[", "", "left_square_bracket", "section(-1)", command="Previous section"),
    Key("]", "", "right_square_bracket", "section(1)", command="Next section"),
    Key("g  G", "top / bottom of the article"),
    Key("g", "", "g", "top", command="Top of the article"),
    Key("G", "", "G", "bottom", command="Bottom of the article"),
    Key(
        "c",
        "comparison view: on, next comparison, off",
        "c",
        "comparison",
        "Compare",
        "Toggle the comparison view",
        footer_rank=4,
    ),
    Key(
        "f", "footnote panel on / off", "f", "footnotes", "Notes", "Toggle the footnote panel", footer_rank=3
    ),
    Key(
        "b",
        "bookmark the section in view (again to remove)",
        "b",
        "bookmark",
        "Bookmark",
        "Bookmark this section",
        footer_rank=5,
    ),
    Key(
        "B",
        "bookmarks: enter opens one, d deletes it",
        "B",
        "bookmarks",
        "Bookmarks",
        "Show bookmarks",
        footer_rank=6,
    ),
    Key("l", "like / unlike the article", "l", "like", "Like", "Like or unlike this article", footer_rank=7),
    Key("backspace  alt+←", "back", "backspace,alt+left", "back", command="Back"),
    Key("alt+→", "forward", "alt+right", "forward", command="Forward"),
    Key(
        "o",
        "open the selected web link in your browser, or image / file with your system's opener",
        "o",
        "open_web",
    ),
    Key(
        "e",
        "edit the article in $VISUAL / $EDITOR; it is read again when you come back",
        "e",
        "edit",
        command="Edit this article",
    ),
    Key("s", "show / hide the sidebar", "s", "sidebar", "Sidebar", "Show or hide the sidebar", footer_rank=1),
    Key(
        "/",
        "search every article: type words, ↑↓ to choose, enter opens at the matching section",
        "slash",
        "search",
        "Search",
        "Search all articles",
        footer_rank=2,
    ),
    Key(
        "F",
        "find in this article: type to highlight the matches, enter or ↓ next, ↑ previous, escape closes",
        "F",
        "find",
        "Find",
        "Find in this article",
        footer_rank=8,
    ),
    Key(
        "n  N", "next / previous match of the find, or of the search that opened the article (escape clears)"
    ),
    Key("n", "", "n", "find_next(1)", command="Next match"),
    Key("N", "", "N", "find_next(-1)", command="Previous match"),
    Key(
        "ctrl+f",
        "filter the questions in the sidebar as you type (escape clears)",
        "ctrl+f",
        "filter",
        command="Filter the questions",
    ),
    Key("ctrl+p", "command palette: jump to any question, run any action, change the theme"),
    Key("?", "this help", "question_mark", "app.help", "Help", "Keys and help"),
    Key("escape", "close the current screen or panel", "escape", "close"),
    Key("q", "quit (your place is saved)", "q", "app.quit", "Quit"),
]
"""In the order of the help screen and README. A group row (`g  G`) documents keys whose own rows, with an
empty `help`, carry the bindings and palette names."""


def documented() -> list[Key]:
    """The rows of the help screen and README's key table."""
    return [key for key in KEYS if key.help]


def bindings(app_level: bool) -> list[Binding]:
    """The reading screen's bindings (`app_level=False`) or the app's own (`True`)."""
    found = []
    for key in KEYS:
        if not key.bind or key.action.startswith("app.") != app_level:
            continue
        action = key.action.removeprefix("app.")
        description = key.footer or key.command or key.help
        found.append(Binding(key.bind, action, description, show=bool(key.footer)))
    return found


def footer_ranks() -> dict[str, int]:
    """The footer's hints by action (as bound, without `app.`), each with its `Key.footer_rank`."""
    return {key.action.removeprefix("app."): key.footer_rank for key in KEYS if key.footer}


def commands() -> list[Key]:
    """The keys offered in the command palette."""
    return [key for key in KEYS if key.command]
