"""The public :class:`Store`: each method is one transaction on the data file."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path

import platformdirs
from tinydb.table import Document

from tui.store.codec import SCHEMA_VERSION
from tui.store.records import (
    ARTICLES,
    GITHUB_IDS,
    META,
    SINGLETON_ID,
    STATE,
    ArticleState,
    Bookmark,
    StoreError,
    article_query,
    bookmark_owner,
    bookmark_table,
    liked_of,
    new_bookmark,
    newest_first,
    position_of,
    views_of,
)
from tui.store.recovery import APP_NAME, DB_FILENAME, DataFile
from tui.store.transaction import Tx, reparsing, transaction

LOCK_TIMEOUT = 10.0
"""Seconds a write waits for another process to release the lock."""


def default_db_path() -> Path:
    """Return the default data file, ``<user data dir>/qa-reader/reader.json``.

    Nothing is created here; :class:`Store` creates the folder on its first write.
    """
    return platformdirs.user_data_path(APP_NAME) / DB_FILENAME


class Store:
    """The reader's saved state in one JSON file, safe for several processes.

    Opening never raises: problems are reported in :attr:`notices` and, when
    nothing can be written, :attr:`read_only` is set.  Write methods raise
    :class:`StoreError` if the change could not be saved; when they return,
    the change is on disk.  Read methods never raise.  A Store may be used
    from several threads: each operation has its own storage object, writes
    are serialised by the file lock, and reads never wait for a write.
    """

    lock_timeout: float
    """Seconds a write waits for another process's lock before it gives up with a :class:`StoreError`."""
    on_lock_wait: Callable[[], None] | None
    """Called (from the writing thread) once a write has waited a moment for another process's lock."""

    def __init__(self, path: Path | str, lock_timeout: float = LOCK_TIMEOUT) -> None:
        """Open the store at ``path``; the file and its folder are created on first write."""
        self._data = DataFile(Path(os.path.abspath(Path(path).expanduser())))
        self.lock_timeout = lock_timeout
        self.on_lock_wait = None
        self._data.open(self._recover)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, read_only={self.read_only})"

    @property
    def path(self) -> Path:
        """The data file (absolute)."""
        return self._data.path

    @property
    def notices(self) -> list[str]:
        """Messages for the user gathered while opening (and on a later recovery)."""
        return self._data.notices

    @property
    def read_only(self) -> bool:
        """True when writes cannot happen; reads still work."""
        return self._data.read_only

    @property
    def refused(self) -> str | None:
        """Set when the path is not a data file at all (a folder, a device, a FIFO, a symlink to one or
        to nothing): a one-line message for the user. Nothing at the path is read, moved or written;
        the commands exit 2 with this message and the reader opens read-only."""
        return self._data.refused

    def _transaction(
        self, write: bool = False, lock_timeout: float | None = None
    ) -> AbstractContextManager[Tx]:
        """One operation on the file; see :func:`tui.store.transaction.transaction`."""
        timeout = self.lock_timeout if lock_timeout is None else lock_timeout
        return transaction(self._data, write, timeout, self.on_lock_wait)

    @reparsing
    def _recover(self) -> None:
        """Read the whole file under the lock, moving it aside if it is bad (see :meth:`DataFile.open`)."""
        with self._transaction(write=True, lock_timeout=1.0) as tx:
            tx.parse_all()

    # -- bookmarks ------------------------------------------------------------

    @reparsing
    def set_bookmark(
        self,
        article_id: str,
        section_id: str,
        bookmarked: bool,
        article_title: str = "",
        section_title: str = "",
        note: str = "",
    ) -> bool:
        """Make a section bookmarked or not, whatever it was; True if that changed the file.

        Unlike a toggle, the outcome is what the user saw when they pressed the key, even if another
        process changed the same bookmark in between.  The titles and note are stored as given.
        Raises :class:`StoreError` if the change could not be saved.
        """
        with self._transaction(write=True) as tx:
            table, found = tx.find_bookmark(article_id, section_id)
            if bool(found) == bookmarked:
                return False
            if found:
                table.remove(doc_ids=found)
            else:
                table.insert(new_bookmark(article_id, section_id, article_title, section_title, note))
            return True

    @reparsing
    def remove_bookmark(self, article_id: str, section_id: str) -> bool:
        """Remove a section's bookmark; True if there was one.

        Raises :class:`StoreError` if the change could not be saved.
        """
        with self._transaction(write=True) as tx:
            table, found = tx.find_bookmark(article_id, section_id)
            if found:
                table.remove(doc_ids=found)
            return bool(found)

    @reparsing
    def bookmarks(self, article_id: str | None = None) -> list[Bookmark]:
        """All bookmarks, or one article's, newest first."""
        with self._transaction() as tx:
            names = tx.names() if article_id is None else [bookmark_table(article_id)]
            return newest_first(tx.bookmarks_in(names))

    # -- likes, views and the reading position ----------------------------------

    @reparsing
    def set_liked(self, article_id: str, liked: bool) -> None:
        """Like or unlike an article, whatever it was.

        Raises :class:`StoreError` if the change could not be saved.
        """
        with self._transaction(write=True) as tx:
            doc = tx.article(article_id)
            if (doc is not None and liked_of(doc)) != liked:
                tx.update_article(article_id, liked=liked)

    @reparsing
    def add_view(self, article_id: str) -> int:
        """Count one more view of an article and return the new count.

        Raises :class:`StoreError` if the change could not be saved.
        """
        with self._transaction(write=True) as tx:
            count = views_of(tx.article(article_id) or {}) + 1
            tx.update_article(article_id, views=count)
            return count

    @reparsing
    def set_position(self, article_id: str, section_id: str | None, scroll_y: float) -> None:
        """Remember where the reader is in an article; it also becomes the last article.

        A scroll offset that is not a finite number is stored as 0.0.
        Raises :class:`StoreError` if the change could not be saved.
        """
        try:
            y = float(scroll_y)
        except (TypeError, ValueError):
            raise StoreError(f"Invalid scroll position {scroll_y!r}; nothing was saved") from None
        if not math.isfinite(y):
            y = 0.0
        with self._transaction(write=True) as tx:
            tx.update_article(article_id, position={"section_id": section_id, "scroll_y": y})
            tx.table(STATE).upsert(Document({"last_article": article_id}, SINGLETON_ID))

    @reparsing
    def article_state(self, article_id: str) -> ArticleState:
        """Views, like, bookmarked sections and position of one article, in a single read of the file."""
        with self._transaction() as tx:
            doc = tx.article(article_id) or {}
            return ArticleState(views_of(doc), liked_of(doc), tx.sections(article_id), position_of(doc))

    @reparsing
    def saved_state(self) -> dict[str, str]:
        """The state document's text values ("last_article", "theme"), in a single read of the file."""
        with self._transaction() as tx:
            found: dict[str, str] = {}
            for doc in tx.table(STATE).all():
                for key, value in doc.items():
                    if isinstance(value, str):
                        found.setdefault(key, value)
            return found

    def last_article(self) -> str | None:
        """Id of the article whose position was saved last, or None."""
        return self.saved_state().get("last_article")

    @reparsing
    def set_theme(self, name: str) -> None:
        """Remember the theme the user chose, by name. Raises :class:`StoreError` if not saved."""
        with self._transaction(write=True) as tx:
            tx.table(STATE).upsert(Document({"theme": str(name)}, SINGLETON_ID))

    def theme(self) -> str | None:
        """The name of the theme chosen last, or None."""
        return self.saved_state().get("theme") or None

    # -- section ids of an earlier release ------------------------------------------------------------
    # Releases before 0.2 numbered duplicate headings `-2`, `-3`; GitHub (and now the parser) says `-1`,
    # `-2`. Bookmarks and places saved under the old ids are moved once, article by article, by
    # tui/upgrade.py (which knows the articles). `meta` records that it was done ("section_ids":
    # "github") and which articles could not be found then ("legacy_ids_pending"), to try again later.

    @reparsing
    def articles_with_legacy_ids(self) -> list[str]:
        """Ids of articles whose stored section ids may still be in the old numbering."""
        with self._transaction() as tx:
            meta = next(iter(tx.table(META).all()), {})
            if meta.get("section_ids") == GITHUB_IDS:
                pending = meta.get("legacy_ids_pending")
                return [a for a in pending if isinstance(a, str)] if isinstance(pending, list) else []
            found = {owner for name in tx.names() if (owner := bookmark_owner(name)) is not None}
            for doc in tx.table(ARTICLES).all():
                if isinstance(doc.get("article_id"), str) and position_of(doc) is not None:
                    found.add(doc["article_id"])
            return sorted(found)

    @reparsing
    def move_section_ids(self, moves: Mapping[str, Mapping[str, str]], unresolved: list[str]) -> None:
        """Rename stored section ids (``moves[article][old] = new``) and record the upgrade as done.

        ``unresolved``: articles not found this time, left as they are and tried again next time.
        Raises :class:`StoreError` if the change could not be saved.
        """
        with self._transaction(write=True) as tx:
            for article_id, renames in moves.items():
                table = tx.table(bookmark_table(article_id))
                for doc in table.all():
                    old = doc.get("section_id")
                    if isinstance(old, str) and old in renames:
                        table.update({"section_id": renames[old]}, doc_ids=[doc.doc_id])
                articles = tx.table(ARTICLES)
                for doc in articles.search(article_query(article_id)):
                    position = position_of(doc)
                    if position is not None and position.section_id in renames:
                        moved = {"section_id": renames[position.section_id], "scroll_y": position.scroll_y}
                        articles.update({"position": moved}, doc_ids=[doc.doc_id])
            meta = tx.table(META)
            record = {"section_ids": GITHUB_IDS, "legacy_ids_pending": sorted(unresolved)}
            docs = meta.all()
            if docs:
                meta.update(record, doc_ids=[docs[0].doc_id])
            else:
                meta.insert(Document({"schema": SCHEMA_VERSION, **record}, SINGLETON_ID))
