"""Messages that widgets post up to the app. Widgets never reach into their siblings: they say what the
user asked for, and the app (the switchboard) decides what happens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.indexer import Progress


@dataclass
class OpenArticle(Message):
    """Open an article, optionally at a section (from the sidebar, a link, a bookmark or a search hit)."""

    article_id: str
    section_id: str | None = None


@dataclass
class SectionChanged(Message):
    """The section at the top of the reading pane changed."""

    section_id: str | None


@dataclass
class FollowLink(Message):
    """The user chose a link in the reading pane (or opened a note's web link in the footnote panel)."""

    href: str


@dataclass
class ShowNote(Message):
    """The user chose a footnote reference in the reading pane."""

    number: int


@dataclass
class JumpToCitation(Message):
    """The user chose a note in the footnote panel: go to the place that cites it."""

    number: int


@dataclass
class FindStatus(Message):
    """What the reading pane's find (tui/articles/find.py) has come to: for the find bar's count."""

    active: bool
    """Words or a phrase are being found; False once the find is cleared (or another article opened)."""
    index: int | None
    """The current match, from 0 (None before one is chosen, or when there is none)."""
    total: int
    """The matches found so far."""
    complete: bool
    """The whole article has been searched (a long one is rendered, and searched, in chunks)."""
    wrapped: bool = False
    """The current match was reached by going round from the last match to the first, or back."""


@dataclass
class IndexProgress(Message):
    """(Posted from the thread that refreshes the stored index.) The refresh got further."""

    progress: Progress
