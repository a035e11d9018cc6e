"""Command palette (ctrl+p) providers: jump to any question, and the reader's own actions.

Textual's `Matcher.highlight` reads its candidate as markup, and question titles are untrusted text, so
matches are highlighted here on a plain `Content` instead.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

if TYPE_CHECKING:
    from tui.app import ReaderApp

DISCOVER = 30
"""Questions listed when the palette opens with nothing typed."""


def highlight(matcher: Matcher, candidate: str) -> Content:
    """`candidate` as plain content with the fuzzy-matched characters styled."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class QuestionCommands(Provider):
    """Every question in the library: choose one to open it."""

    @property
    def reader(self) -> ReaderApp:
        return cast("ReaderApp", self.app)

    async def discover(self) -> Hits:
        for info in self.reader.library.infos[:DISCOVER]:
            yield DiscoveryHit(
                Content(info.title),
                partial(self.reader.open_from_palette, info.id),
                info.title,
                "Open question",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for info in self.reader.library.infos:
            score = matcher.match(info.title)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, info.title),
                    partial(self.reader.open_from_palette, info.id),
                    info.title,
                    "Open question",
                )


# (name, action, help): run through the app's own actions, so keys and palette never drift apart.
READER_ACTIONS: list[tuple[str, str, str]] = [
    ("Search all articles", "search", "/"),
    ("Filter the questions", "filter", "ctrl+f"),
    ("Toggle the comparison view", "comparison", "c"),
    ("Toggle the footnote panel", "footnotes", "f"),
    ("Bookmark this section", "bookmark", "b"),
    ("Show bookmarks", "bookmarks", "B"),
    ("Like or unlike this article", "like", "l"),
    ("Show or hide the sidebar", "sidebar", "s"),
    ("Back", "back", "backspace"),
    ("Forward", "forward", "alt+right"),
    ("Top of the article", "top", "g"),
    ("Bottom of the article", "bottom", "G"),
    ("Keys and help", "help", "?"),
]


class ReaderCommands(Provider):
    """The reader's actions (the theme picker comes with Textual's own commands)."""

    async def discover(self) -> Hits:
        for name, action, key in READER_ACTIONS:
            yield DiscoveryHit(name, partial(self.app.run_action, action), name, f"key: {key}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, key in READER_ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, highlight(matcher, name), partial(self.app.run_action, action), name, f"key: {key}"
                )
