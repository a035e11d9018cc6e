"""Command palette (ctrl+p) providers: jump to any question, and the reader's own actions.

Textual's `Matcher.highlight` reads its candidate as markup, and question titles are untrusted text, so
matches are highlighted here on a plain `Content` instead.

A title that two articles share (two `index` pages in a vault) is listed with the end of its folder path
that tells it apart, dimmed as the palette dims its own help text (`index  linux/`, see
`tui.articles.folders.told_apart`); typing part of that folder narrows the list to it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from tui import keys

if TYPE_CHECKING:
    from tui.app import ReaderApp
    from tui.articles.model import ArticleInfo
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


FOLDER_STYLE = "dim"
"""The folder after a shared title: dimmed like the palette's help text, readable on any row and theme."""


def with_folder(content: Content, title: str, label: str | None) -> Content:
    """`content` (a question's `title`, maybe followed by two spaces and its folder `label`) with the
    label dimmed."""
    if label is None:
        return content
    return content.stylize(FOLDER_STYLE, len(title) + 2, len(title) + 2 + len(label))


class QuestionCommands(Provider):
    """Every question in the library: choose one to open it."""

    _labels: dict[str, str] | None = None

    @property
    def reader(self) -> ReaderScreen:
        return cast("ReaderApp", self.app).reader

    @property
    def labels(self) -> dict[str, str]:
        """The folders telling shared titles apart, by article id (found once per palette opening)."""
        if self._labels is None:
            from tui.articles.folders import told_apart

            self._labels = told_apart(self.reader.library.infos)
        return self._labels

    def _shown(self, info: ArticleInfo) -> tuple[str, str | None]:
        """The question as the palette lists it, and its folder label (None for a title of its own)."""
        label = self.labels.get(info.id)
        return (info.title if label is None else f"{info.title}  {label}"), label

    async def discover(self) -> Hits:
        for info in self.reader.library.infos[:DISCOVER]:
            shown, label = self._shown(info)
            yield DiscoveryHit(
                with_folder(Content(shown), info.title, label),
                partial(self.reader.open_from_palette, info.id),
                shown,
                "Open question",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for info in self.reader.library.infos:
            shown, label = self._shown(info)
            score = matcher.match(shown)
            if score > 0:
                yield Hit(
                    score,
                    with_folder(highlight(matcher, shown), info.title, label),
                    partial(self.reader.open_from_palette, info.id),
                    shown,
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
