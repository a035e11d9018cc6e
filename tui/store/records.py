"""What the store hands out, the tables it keeps them in, and how an odd document reads.

The file's tables (see :mod:`tui.store`)::

    meta                 {"schema": 1, "section_ids": "github"}  (doc id 1)
    state                {"last_article": "<article id>",
                          "theme": "<theme name>"}              (doc id 1)
    articles             {"article_id", "views", "liked",
                          "position": {"section_id", "scroll_y"}} (one doc per article)
    bookmarks/<article>  {"article_id", "section_id", "article_title",
                          "section_title", "created", "note"}    (one doc per bookmark)

Bookmarks get one table per article so that a toggle re-encodes only that
article's few bookmarks, not all of them (see :mod:`tui.store.codec`).

A document is never trusted: a field of the wrong type reads as its default, and a bookmark that cannot
be matched is skipped (left in the file untouched).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tinydb import Query

META = "meta"
STATE = "state"
ARTICLES = "articles"
BOOKMARKS_PREFIX = "bookmarks/"
SINGLETON_ID = 1
"""Doc id of the single document in ``meta`` and ``state``."""
GITHUB_IDS = "github"
"""``meta`` "section_ids" when the stored section ids follow GitHub's numbering."""


class StoreError(Exception):
    """A write could not be done; ``str(e)`` is a one-line message for the user."""


@dataclass(frozen=True)
class Bookmark:
    """A bookmarked section.

    The titles are the ones the article and section had when the bookmark was
    made; they are kept as stored even if the article changes later.
    ``created`` is an ISO 8601 UTC timestamp.
    """

    article_id: str
    section_id: str
    article_title: str
    section_title: str
    created: str
    note: str = ""


@dataclass(frozen=True)
class Position:
    """Where the reader was in an article: a section id (or None) and a scroll offset."""

    section_id: str | None
    scroll_y: float


@dataclass(frozen=True)
class ArticleState:
    """What the reader shows of one article's stored data."""

    views: int = 0
    liked: bool = False
    bookmarked: set[str] = field(default_factory=set)
    position: Position | None = None


def bookmark_table(article_id: str) -> str:
    """The name of one article's bookmarks table."""
    return f"{BOOKMARKS_PREFIX}{article_id}"


def bookmark_owner(table: str) -> str | None:
    """The article whose bookmarks a table holds, or None for any other table."""
    return table[len(BOOKMARKS_PREFIX) :] if table.startswith(BOOKMARKS_PREFIX) else None


def bookmark_query(article_id: str, section_id: str) -> Any:
    """The TinyDB query for one section's bookmark."""
    return Query().fragment({"article_id": article_id, "section_id": section_id})


def article_query(article_id: str) -> Any:
    """The TinyDB query for one article's document in ``articles``."""
    return Query().article_id == article_id


def new_bookmark(article_id: str, section_id: str, article_title: str, section_title: str, note: str) -> dict:
    """A bookmark document made now."""
    return {
        "article_id": article_id,
        "section_id": section_id,
        "article_title": article_title,
        "section_title": section_title,
        "created": now_iso(),
        "note": note,
    }


def now_iso() -> str:
    """The time now, ISO 8601 UTC to the microsecond."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _str_or_empty(value: Any) -> str:
    return value if isinstance(value, str) else ""


def bookmark_from_doc(doc: Mapping[str, Any], article_id: str) -> Bookmark | None:
    """Build a Bookmark from a document of ``article_id``'s table, or None if unusable.

    Decision on odd records: a document whose section id is missing or not a
    string, or whose article id does not match its table, is skipped - not
    shown, not matched, but left in the file untouched (nothing is deleted).
    Other fields of the wrong type read as "" so a bookmark is never lost
    over a bad title or note.
    """
    section_id = doc.get("section_id")
    if not isinstance(section_id, str) or doc.get("article_id") != article_id:
        return None
    return Bookmark(
        article_id=article_id,
        section_id=section_id,
        article_title=_str_or_empty(doc.get("article_title")),
        section_title=_str_or_empty(doc.get("section_title")),
        created=_str_or_empty(doc.get("created")),
        note=_str_or_empty(doc.get("note")),
    )


def views_of(doc: Mapping[str, Any]) -> int:
    """A stored view count; anything but a non-negative int counts as 0."""
    views = doc.get("views")
    if isinstance(views, bool) or not isinstance(views, int) or views < 0:
        return 0
    return views


def liked_of(doc: Mapping[str, Any]) -> bool:
    """A stored like; anything but ``true`` counts as not liked."""
    return doc.get("liked") is True


def position_of(doc: Mapping[str, Any]) -> Position | None:
    """A stored reading position, or None if absent or malformed."""
    pos = doc.get("position")
    if not isinstance(pos, dict):
        return None
    section_id = pos.get("section_id")
    scroll_y = pos.get("scroll_y")
    if section_id is not None and not isinstance(section_id, str):
        return None
    if isinstance(scroll_y, bool) or not isinstance(scroll_y, int | float) or not math.isfinite(scroll_y):
        return None
    return Position(section_id=section_id, scroll_y=float(scroll_y))


def newest_first(marks: list[tuple[Bookmark, int]]) -> list[Bookmark]:
    """Bookmarks (with their doc ids) newest first, one per section.

    Equal timestamps fall back to the later insertion; a hand-edited file may hold duplicates, of which
    the newest is kept.
    """
    marks = sorted(marks, key=lambda pair: (pair[0].created, pair[1]), reverse=True)
    seen: set[tuple[str, str]] = set()
    result = []
    for mark, _ in marks:
        key = (mark.article_id, mark.section_id)
        if key not in seen:
            seen.add(key)
            result.append(mark)
    return result
