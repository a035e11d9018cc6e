"""One store operation: a snapshot of the file, TinyDB tables on it, at most one durable write.

:func:`transaction` is the only way the store reads or writes.  A write transaction takes the lock,
loads the file under it (moving a bad file aside), yields a :class:`Tx` and, when the block ends
normally and changed something, saves the file once.  A read transaction takes no lock and never
raises: an unusable file reads as no tables.  Tables are parsed lazily; when a table line does not
parse on its own, :func:`reparsing` runs the whole operation again on a full parse of the file.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from tinydb.storages import Storage
from tinydb.table import Document, Table

from tui.store import disk
from tui.store.codec import SCHEMA_VERSION, LazyTables, Reparse
from tui.store.records import (
    ARTICLES,
    GITHUB_IDS,
    META,
    SINGLETON_ID,
    Bookmark,
    StoreError,
    article_query,
    bookmark_from_doc,
    bookmark_owner,
    bookmark_query,
    bookmark_table,
)
from tui.store.recovery import DataFile

_P = ParamSpec("_P")
_T = TypeVar("_T")

_full_parse: ContextVar[bool] = ContextVar("full_parse", default=False)
"""Set while :func:`reparsing` runs an operation again: its transaction parses the whole file."""


class AtomicJSONStorage(Storage):
    """TinyDB storage over the data file: read fresh, replaced atomically and durably.

    Given a ``snapshot`` (the store makes one per transaction), TinyDB's table calls read and change
    that copy and :attr:`changed` tells whether it needs saving; the disk is not touched.  Without one
    (``TinyDB(path, storage=AtomicJSONStorage)``), :meth:`read` reads the file every time and
    :meth:`write` replaces it at once.
    """

    def __init__(self, path: Path | str, snapshot: LazyTables | None = None, writable: bool = True) -> None:
        """Use the file at ``path`` (which need not exist yet), or the tables read from it."""
        self.path = Path(path)
        self.snapshot = snapshot
        self.writable = writable
        self.changed = False

    def read(self) -> LazyTables:
        """Return the database: the snapshot, or the file read now."""
        return self.snapshot if self.snapshot is not None else disk.load(self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Store ``data``: into the snapshot, or straight to disk."""
        if self.snapshot is None:
            disk.save(self.path, data)
            return
        if not self.writable:
            raise RuntimeError("write attempted inside a read-only snapshot")
        # TinyDB hands back the dict that read() returned, now changed.
        self.snapshot = data if isinstance(data, LazyTables) else LazyTables(data)
        self.changed = True


class Tx:
    """One operation's view of the file: fresh TinyDB tables on its snapshot."""

    def __init__(self, storage: AtomicJSONStorage) -> None:
        self.storage = storage

    def table(self, name: str) -> Table:
        """A table of this operation.

        Fresh for each operation and without query cache: TinyDB's Table caches query results and the
        next document id, and both go stale as soon as another process writes the file.
        """
        return Table(self.storage, name, cache_size=0)

    def names(self) -> list[str]:
        """Names of the tables in the file."""
        return list(self.storage.read())

    def parse_all(self) -> None:
        """Parse every table now (raises :class:`Reparse` if a line does not parse on its own)."""
        self.storage.read().parse_all()

    def article(self, article_id: str) -> Document | None:
        """The article's document in ``articles``, or None."""
        return next(iter(self.table(ARTICLES).search(article_query(article_id))), None)

    def update_article(self, article_id: str, **fields: object) -> None:
        """Set fields of the article's document, creating it if needed."""
        self.table(ARTICLES).upsert({"article_id": article_id, **fields}, article_query(article_id))

    def find_bookmark(self, article_id: str, section_id: str) -> tuple[Table, list[int]]:
        """The article's bookmarks table and the ids of the section's bookmark documents in it."""
        table = self.table(bookmark_table(article_id))
        return table, [doc.doc_id for doc in table.search(bookmark_query(article_id, section_id))]

    def bookmarks_in(self, names: list[str]) -> list[tuple[Bookmark, int]]:
        """The usable bookmarks of the named tables (others are skipped), with their doc ids."""
        found = []
        for name in names:
            owner = bookmark_owner(name)
            if owner is None:
                continue
            for doc in self.table(name).all():
                mark = bookmark_from_doc(doc, owner)
                if mark is not None:
                    found.append((mark, doc.doc_id))
        return found

    def sections(self, article_id: str) -> set[str]:
        """Bookmarked section ids of one article."""
        return {mark.section_id for mark, _ in self.bookmarks_in([bookmark_table(article_id)])}

    def ensure_schema(self) -> None:
        """Record the schema version in ``meta`` if the file has none yet.

        A file started by this release holds GitHub-numbered section ids from its first write, so it is
        marked as such: the upgrade of old ids (see :meth:`Store.move_section_ids`) must never touch it.
        """
        meta = self.table(META)
        if not any("schema" in doc for doc in meta.all()):
            meta.upsert(Document({"schema": SCHEMA_VERSION, "section_ids": GITHUB_IDS}, SINGLETON_ID))


@contextmanager
def transaction(
    data: DataFile, write: bool, lock_timeout: float, on_lock_wait: Callable[[], None] | None
) -> Iterator[Tx]:
    """One operation on the file (see the module docstring).

    A write raises :class:`StoreError` if the store is read-only or the lock, the read or the write
    fails.
    """
    full = _full_parse.get()
    if not write:
        yield Tx(AtomicJSONStorage(data.file, data.load_for_read(full), writable=False))
        return
    if data.read_only:
        raise data.cannot_save()
    lock_fd = data.lock(lock_timeout, on_lock_wait)
    try:
        storage = AtomicJSONStorage(data.file, data.load_for_write(full))
        tx = Tx(storage)
        try:
            yield tx
            if storage.changed:
                tx.ensure_schema()
                disk.save(data.file, storage.read())
        except OSError as exc:
            raise data.write_failed(exc) from None
        except (TypeError, ValueError) as exc:
            raise StoreError(f"Could not save to {data.path}: invalid data ({exc})") from None
    finally:
        os.close(lock_fd)  # closing the descriptor releases the flock


def reparsing(operation: Callable[_P, _T]) -> Callable[_P, _T]:
    """Run ``operation`` again on a full parse of the file if a table line did not parse on its own.

    The one place that fallback lives.  The operation starts over, rather than going on with the full
    parse, so that nothing it read from a file split in the wrong places counts; nothing was written.
    """

    @functools.wraps(operation)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return operation(*args, **kwargs)
        except Reparse:
            token = _full_parse.set(True)
            try:
                return operation(*args, **kwargs)
            finally:
                _full_parse.reset(token)

    return run
