"""Command palette (ctrl+p) providers: jump to any question, and the reader's own actions.

Textual's `Matcher.highlight` reads its candidate as markup, and question titles are untrusted text, so
matches are highlighted here on a plain `Content` instead.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from tui import keys

if TYPE_CHECKING:
    from tui.app import ReaderApp
    from tui.screens.reader import ReaderScreen

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
    def reader(self) -> ReaderScreen:
        return cast("ReaderApp", self.app).reader

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


class ReaderCommands(Provider):
    """The reader's actions, from the key table (the theme picker comes with Textual's own commands)."""

    async def _run(self, action: str) -> None:
        if action.startswith("app."):
            await self.app.run_action(action.removeprefix("app."))
        else:  # on the reading screen, whichever screen the palette was opened from
            await cast("ReaderApp", self.app).reader.run_action(action)

    async def discover(self) -> Hits:
        for key in keys.commands():
            yield DiscoveryHit(key.command, partial(self._run, key.action), key.command, f"key: {key.shown}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for key in keys.commands():
            score = matcher.match(key.command)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, key.command),
                    partial(self._run, key.action),
                    key.command,
                    f"key: {key.shown}",
                )
