"""The stored index of a content folder: its articles and their searchable text, in an SQLite file with FTS5.

Why SQLite FTS5: it ships with Python, reads a 100,000-article index without loading it (a query touches
a few pages), ranks with BM25 over weighted columns, matches phrases and prefixes, and its WAL mode lets
the reader query while a builder process writes. Everything in the file is derived from the folder, so
the file may be deleted at any time; it lives in the user cache folder, one per content root
(`catalog_path`). TinyDB stays the home of the reader's own data.

A refresh walks the folder (walk.py: a stat of each file, no read), compares each file's modification
time and size with what is stored, reads only the new and changed files (once each: their head for the
title, order and aliases, their text for search) and drops the removed ones. It commits in batches, so a
partial build can be queried and a killed one resumes where it stopped; an flock on `<db>.lock` keeps
builders of one database from running at once.

The file is ours only while it is a regular file: a corrupt one, or one written by another revision of
this module (`INDEX_REVISION`), is deleted and built again; anything else at that path (a symlink, a
folder, a device) is never touched, and the index is unavailable.

What is stored, and why (measured on 100,000 generated 1 KB articles, 105 MB of Markdown):
- `docs`: one row per article (id, title, order, aliases, stamp) and its indexed text, zlib-compressed
  (`_pack`): hits take their sections and snippets from it without opening the file. The full-text
  table is contentless (`content=''`), so the text is not stored twice: 1.75x the Markdown on disk in
  all, where FTS5 keeping its own copy took 1.8x without the prefix indexes below.
- FTS5 prefix indexes for one and two characters: a query being typed (`t`, `ca`) matches a prefix,
  and merging every term that starts with `t` took 45 ms a query; with them, 5 ms.
- the list in reading order as one value (`meta` "listing"), so listing 100,000 articles is one read.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import heapq
import itertools
import json
import os
import sqlite3
import stat
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.articles.files import NotAFile, file_kind, read_file
from tui.articles.model import ArticleInfo, Problem
from tui.articles.query import Query, joined, parse_query, rank_tier, title_key
from tui.articles.text import decode
from tui.articles.walk import HEAD_BYTES, Walk, read_head, read_info, walk

if TYPE_CHECKING:  # (search.py is imported where it is used: the reader's start-up opens this module)
    from tui.articles.search import Hit, IndexedArticle

INDEX_REVISION = "1"
"""Bumped whenever the schema or what is stored changes (the plain text, the sections, the tags...): a
file with another revision is rebuilt."""
WEIGHTS = (10.0, 6.0, 4.0, 1.0)
"""BM25 weights of the text columns: title (with the aliases), tags, section headings, body."""
RANKED = 5_000
"""The most matches a search scores by BM25 over all their text (see `Catalog._rank`)."""
TIER_CANDIDATES = 2000
"""Titles equal to or starting with the query's words that are ranked ahead of the rest (the first this
many of them in title order, when a short prefix starts thousands of titles)."""
UNREAD = -1
"""The stamp stored for a file that could not be read: no file has it, so the next refresh reads it."""
BUSY_MS = 10_000
"""How long a statement waits for a lock another connection holds (a checkpoint, a commit)."""
PROGRESS_SECONDS = 0.1
"""Least time between two progress reports (the first and the last are always made)."""

_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE docs(
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    sort_title TEXT NOT NULL,
    ord REAL,
    aliases TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    text BLOB
);
CREATE INDEX docs_reading ON docs(ord IS NULL, ord, sort_title, id, title);
CREATE INDEX docs_extra ON docs(id)
    WHERE ord IS NOT NULL OR aliases != '' OR typeof(id) != 'text' OR typeof(title) != 'text';
CREATE INDEX docs_title_key ON docs(title_key);
CREATE VIRTUAL TABLE fts USING fts5(
    title, tags, headings, body, content = '', prefix = '1 2', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO fts(fts, rank) VALUES ('rank', 'bm25({", ".join(map(str, WEIGHTS))})');
CREATE TABLE others(path TEXT NOT NULL);
CREATE TABLE problems(path TEXT NOT NULL, reason TEXT NOT NULL);
"""
# The revision stored is INDEX_REVISION and a digest of the schema: a changed schema (or weights) is a
# different index even when nobody remembered to bump the number.
_REVISION = f"{INDEX_REVISION}-{hashlib.sha1(_SCHEMA.encode()).hexdigest()[:10]}"
_READING_ORDER = "ORDER BY ord IS NULL, ord, sort_title, id"
# The list in reading order as one string, "id NUL title NUL id NUL title..." (no file name or title holds
# a NUL): far fewer Python objects than a row each. Made by a refresh that changed something, kept in
# `meta` (key "listing"), so a start reads one value rather than scanning an index of every article.
_LISTING = (
    "SELECT group_concat(id || char(0) || title, char(0)) AS listing "
    f"FROM (SELECT id, title FROM docs INDEXED BY docs_reading {_READING_ORDER})"
)
# The few rows that need more than an id and a title: an order, aliases, or a name stored as a BLOB.
_EXTRA = (
    "SELECT id, title, ord, aliases FROM docs INDEXED BY docs_extra "
    "WHERE (ord IS NOT NULL OR aliases != '' OR typeof(id) != 'text' OR typeof(title) != 'text')"
)
_PROBE = "SELECT rowid FROM fts WHERE fts MATCH ? LIMIT ?"
_SCORED = "SELECT rowid, rank FROM fts WHERE fts MATCH ? LIMIT ?"
_BEST = "SELECT rowid, rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?"
_CORRUPT = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB


class CatalogUnavailable(Exception):
    """No stored index can be used here (no FTS5, an unusable cache folder, something else at its path,
    none built yet...); `str()` is a one-line reason for the user."""


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did: the articles stored, and how many were added, changed and removed."""

    articles: int
    added: int
    changed: int
    removed: int


def catalog_path(root: Path) -> Path:
    """Where the stored index of the content folder `root` lives (in the user cache folder)."""
    import platformdirs

    name = str(root.resolve()).encode("utf-8", "surrogateescape")
    digest = hashlib.sha1(name, usedforsecurity=False).hexdigest()[:16]
    return platformdirs.user_cache_path("qa-reader") / "index" / f"{digest}.sqlite3"


@functools.cache
def fts5_available() -> bool:
    """Whether this Python's SQLite has FTS5 (and the tokenizer options the index uses)."""
    try:
        connection = sqlite3.connect(":memory:")
        try:
            connection.execute(
                "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')"
            )
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return True


class Catalog:
    """The stored index of the articles under `root`, in the SQLite file at `path`.

    Open it with `Catalog.open`. One object may be used from several threads (the reader searches from a
    worker): every call holds its lock.
    """

    BATCH_FILES = 500
    """Files read between two commits of a refresh (or BATCH_SECONDS, whichever comes first)."""
    BATCH_SECONDS = 0.25

    def __init__(
        self, root: Path, path: Path, connection: sqlite3.Connection, lock_fd: int | None, write: bool
    ) -> None:
        self.root = root
        self.path = path
        self._db = connection
        self._lock_fd = lock_fd
        self._write = write
        self._mutex = threading.RLock()
        self._root_text = str(root)

    # -- opening --------------------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path, path: Path | None = None, write: bool = False) -> Catalog:
        """The stored index of `root` (at `path`, else `catalog_path(root)`).

        With `write`, the file is created when missing, built again when it is corrupt or from another
        revision, and held by an flock on `<path>.lock` (waiting for another builder to finish) until
        `close()`. Without it, an existing file is opened for reading and nothing is ever created.
        Raises CatalogUnavailable when no index can be used.
        """
        if not fts5_available():
            raise CatalogUnavailable("this Python's SQLite has no FTS5; searching without a stored index")
        root = Path(root)
        path = Path(path) if path is not None else catalog_path(root)
        lock_path = path.with_name(path.name + ".lock")
        _check_regular(path, _sidecar(path, "-wal"), _sidecar(path, "-shm"), lock_path)
        if not write:
            if not path.exists():
                raise CatalogUnavailable("no stored index yet")
            connection = _connect(path, create=False)
            try:
                empty = _check_revision(connection, root)
            except (sqlite3.Error, _Stale) as error:
                connection.close()
                raise CatalogUnavailable(_reason(error)) from None
            if empty:
                connection.close()
                raise CatalogUnavailable("no stored index yet")
            return cls(root, path, connection, None, False)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CatalogUnavailable(f"cache folder unusable: {path.parent}: {error.strerror}") from None
        lock_fd = _lock(lock_path)
        try:
            connection = _open_for_writing(path, root)
        except BaseException:
            _unlock(lock_fd)
            raise
        return cls(root, path, connection, lock_fd, True)

    def close(self) -> None:
        """Close the database (and release the builder's lock)."""
        with self._mutex:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            if self._lock_fd is not None:
                _unlock(self._lock_fd)
                self._lock_fd = None

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- reading --------------------------------------------------------------------------------------
    def complete(self) -> bool:
        """Whether a refresh has finished at least once (for this revision: INDEX_REVISION and the schema)."""
        with self._reading():
            row = self._db.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
        return row is not None and row[0] == "1"

    def count(self) -> int:
        """The number of articles stored."""
        with self._reading():
            return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])

    def infos(self) -> list[ArticleInfo]:
        """Every article's index entry, in reading order (front matter `order`, then title, then id)."""
        with self._reading():
            self._db.execute("BEGIN")  # (one snapshot for the two reads, whatever a builder commits)
            try:
                extra = {row[0]: row for row in self._db.execute(_EXTRA)}
                if any(key.__class__ is not str or row[1].__class__ is not str for key, row in extra.items()):
                    rows = self._db.execute(f"SELECT id, title, ord, aliases FROM docs {_READING_ORDER}")
                    return [self._info(*row) for row in rows]
                stored = self._db.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone()
                listing = stored[0] if stored is not None else self._db.execute(_LISTING).fetchone()[0]
            finally:
                self._db.execute("COMMIT")
        if not listing:
            return []
        root = self._root_text
        at = ArticleInfo.at
        items = iter(listing.split("\0"))
        if not extra:
            return [at(root, article_id, title) for article_id, title in zip(items, items, strict=False)]
        return [
            self._info(*extra[article_id]) if article_id in extra else at(root, article_id, title)
            for article_id, title in zip(items, items, strict=False)
        ]

    def _info(
        self, article_id: str | bytes, title: str | bytes, order: float | None, aliases: Any
    ) -> ArticleInfo:
        """One stored row as an index entry."""
        return ArticleInfo.at(self._root_text, _text(article_id), _text(title), order, _aliases(aliases))

    def info(self, article_id: str) -> ArticleInfo | None:
        """One article's index entry; None for an id that is not stored."""
        with self._reading():
            row = self._db.execute(
                "SELECT id, title, ord, aliases FROM docs WHERE id = ?", (_to_db(article_id),)
            ).fetchone()
        return None if row is None else self._info(*row)

    def others(self) -> list[str]:
        """The paths of the files that are not articles (images, PDFs...), as the last refresh found them."""
        with self._reading():
            return [_text(path) for (path,) in self._db.execute("SELECT path FROM others ORDER BY rowid")]

    def problems(self) -> list[Problem]:
        """What the last refresh's walk could not read (as `Library.problems` after a scan)."""
        with self._reading():
            rows = self._db.execute("SELECT path, reason FROM problems ORDER BY rowid").fetchall()
        return [Problem(Path(_text(path)), _text(reason)) for path, reason in rows]

    # -- searching ------------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 50, typing: bool = True) -> list[Hit]:
        """The articles matching `text` (see query.py), best first: an exact title, titles starting with
        the words, then BM25 relevance (title, tags, headings above the body), then reading order.

        Each hit's file is checked: one changed since it was stored is read again (and left out if it no
        longer matches), one that is gone is left out.
        """
        query = parse_query(text, typing)
        match = query.fts()
        if match is None or limit <= 0:
            return []
        with self._reading():
            ranked = self._rank(query, match, limit, best=not typing)
            rows = self._rows([rowid for rowid, _ in ranked])
        hits: list[Hit] = []
        for rowid, score in ranked:
            row = rows.get(rowid)
            if row is None:  # (removed by a refresh between the two queries)
                continue
            hit = self._hit(row, query, score)
            if hit is not None:
                hits.append(hit)
        return hits

    def _rank(self, query: Query, match: str, limit: int, best: bool = False) -> list[tuple[int, float]]:
        """The best `limit` (rowid, score) pairs: tier, then score (higher is better), then reading order.

        A query matching at most RANKED articles has every match scored by BM25 over all its text. One
        matching more (a word in most articles, a one-letter prefix: BM25 gives such a word next to no
        weight anyway) is "broad": its titles equal to or starting with the words come first in reading
        order, then the articles holding the words in their titles, tags or headings, scored over those
        (at most RANKED of them), then articles holding them in their body alone. The work done for a
        keystroke stays bounded however many articles match. With `best` (`qa-reader search`, where
        nobody is typing), the titles, tags and headings matches scored are the best RANKED by BM25, not
        the first found: slower (about 0.2 s over 100,000 articles), never missing a strong match.
        """
        db = self._db
        matched = [rowid for (rowid,) in db.execute(_PROBE, (match, RANKED + 1))]
        if not matched:
            return []
        broad = len(matched) > RANKED
        candidates = self._tier_candidates(query)
        if not broad:
            scores = {rowid: -rank for rowid, rank in db.execute(_SCORED, (match, RANKED + 1))}
        else:
            scores = dict.fromkeys(self._matching(query, candidates, limit), 0.0)
            if len(scores) < limit:
                for rowid, rank in db.execute(_BEST if best else _SCORED, (_strong(query), RANKED)):
                    scores.setdefault(rowid, -rank)
                body_only = (rowid for rowid in matched if rowid not in scores)
                scores.update((rowid, 0.0) for rowid in itertools.islice(body_only, limit))

        def first_guess(rowid: int) -> tuple[int, float, int]:
            tier = candidates[rowid][0] if rowid in candidates else 2
            return (tier, 0.0 if broad and tier < 2 else -scores[rowid], rowid)

        best = heapq.nsmallest(2 * limit, scores, key=first_guess)
        keys = db.execute(
            "SELECT rowid, title_key, ord, sort_title, id FROM docs "
            "WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(best),),
        )
        order = {}
        for rowid, key, ordinal, sort_title, article_id in keys:
            tier = rank_tier(key, query)
            score = 0.0 if broad and tier < 2 else -scores[rowid]
            order[rowid] = (tier, score, *_reading_key(ordinal, sort_title, article_id))
        return [(rowid, scores[rowid]) for rowid in sorted(order, key=order.__getitem__)[:limit]]

    def _tier_candidates(self, query: Query) -> dict[int, tuple[int, tuple[int, float, str, str]]]:
        """rowid -> (tier, reading order) of the stored titles equal to the query's words (tier 0) or
        starting with them (1), with searchable text; whether they match the whole query is not checked."""
        key = query.key()
        if not key:
            return {}
        rows = self._db.execute(
            "SELECT rowid, title_key, ord, sort_title, id FROM docs "
            "WHERE title_key >= ? AND title_key < ? AND text IS NOT NULL ORDER BY title_key LIMIT ?",
            (key, _after(key), TIER_CANDIDATES),
        )
        found = {}
        for rowid, title, ordinal, sort_title, article_id in rows:
            tier = rank_tier(title, query)
            if tier < 2:
                found[rowid] = (tier, _reading_key(ordinal, sort_title, article_id))
        return found

    def _matching(
        self, query: Query, candidates: dict[int, tuple[int, tuple[int, float, str, str]]], limit: int
    ) -> list[int]:
        """The first `limit` candidates (in tier, then reading order) that match the whole query.

        A title holding the query's words matches every required word or phrase (the title is indexed):
        only an excluded word or a `#tag` term needs the stored text looked at.
        """
        ordered = sorted(candidates, key=candidates.__getitem__)
        if not query.excluded and not any(term.tag for term in query.terms):
            return ordered[:limit]
        found: list[int] = []
        for start in range(0, len(ordered), 100):
            chunk = ordered[start : start + 100]
            rows = dict(
                self._db.execute(
                    "SELECT rowid, text FROM docs WHERE rowid IN (SELECT value FROM json_each(?))",
                    (json.dumps(chunk),),
                )
            )
            for rowid in chunk:
                packed = rows.get(rowid)
                if packed is not None and _matches(query, _unpack(packed)[0]):
                    found.append(rowid)
                    if len(found) == limit:
                        return found
        return found

    def _rows(self, rowids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        """What a hit is made of, for each rowid: id, title, stamp, sections and body text."""
        if not rowids:
            return {}
        rows = self._db.execute(
            "SELECT rowid, id, title, mtime_ns, size, text FROM docs "
            "WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(list(rowids)),),
        )
        return {row[0]: row[1:] for row in rows}

    def _hit(self, row: tuple[Any, ...], query: Query, score: float) -> Hit | None:
        """A stored row as a Hit, after checking its file's stamp (read again when it changed)."""
        article_id, title, mtime_ns, size, packed = row
        article_id, title = _text(article_id), _text(title)
        path = self.root / (article_id + ".md")
        try:
            status = os.stat(path)
        except OSError:
            return None  # gone since it was stored
        if (status.st_mtime_ns, status.st_size) != (mtime_ns, size):
            return self._fresh_hit(path, article_id, query, score)
        if packed is None:  # (stored without text, so not in the full-text index: never a match)
            return None
        (_, _, _, body), spans = _unpack(packed)
        from tui.articles.search import IndexedSection, best_hit

        parts = [IndexedSection(sid, stitle, body[start:end]) for sid, stitle, start, end in spans]
        return best_hit(article_id, title, parts, query, score)

    def _fresh_hit(self, path: Path, article_id: str, query: Query, score: float) -> Hit | None:
        """A hit made from the file as it is now; None when it no longer matches or cannot be read."""
        info, indexed, _ = _read_article(path, article_id)
        if indexed is None:
            return None
        columns, _ = _columns(info, indexed)
        if not _matches(query, columns):
            return None
        from tui.articles.search import best_hit

        return best_hit(article_id, info.title, indexed.sections, query, score)

    # -- refreshing -----------------------------------------------------------------------------------
    def refresh(self, progress: Callable[[str, int, int], None] | None = None) -> Refreshed:
        """Bring the index up to date with the folder: walk it, read the new and changed files (by
        modification time and size), drop the removed ones, store the other files and the problems.

        `progress` is called with ("walk", files_found, 0) while walking and ("read", done, total) while
        reading (at most every PROGRESS_SECONDS, plus the first and the last of each). A database found
        corrupt on the way is deleted and built again from the start.
        """
        if not self._write:
            raise CatalogUnavailable("the stored index was opened for reading only")
        with self._mutex:
            try:
                return self._refresh(_Throttled(progress))
            except sqlite3.DatabaseError as error:
                if (getattr(error, "sqlite_errorcode", 0) & 0xFF) not in _CORRUPT:
                    raise
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            _delete(self.path)
            self._db = _open_for_writing(self.path, self.root)
            return self._refresh(_Throttled(progress))

    def _refresh(self, report: _Throttled) -> Refreshed:
        """`refresh`, with the lock held."""
        report("walk", 0, 0, force=True)
        if self.root.is_dir():
            found = walk(self.root, progress=lambda count: report("walk", count, 0))
        else:
            found = Walk(problems=[Problem(self.root, "not a folder of articles")])
        report("walk", len(found.files), 0, force=True)
        # id -> rowid and stamp, as one int (a third of a tuple's memory for 100,000 articles)
        stored = {
            _text(article_id): _stamped(rowid, mtime_ns, size)
            for article_id, rowid, mtime_ns, size in self._db.execute(
                "SELECT id, rowid, mtime_ns, size FROM docs"
            )
        }
        todo: list[tuple[str, str, int, int, int | None]] = []
        for relative, mtime_ns, size in found.files:
            article_id = relative[:-3]
            old = stored.pop(article_id, None)
            if old is None:
                todo.append((relative, article_id, mtime_ns, size, None))
            elif old >> _ROWID_BITS != _stamped(0, mtime_ns, size) >> _ROWID_BITS:
                todo.append((relative, article_id, mtime_ns, size, old & _ROWID_MASK))
        removed = [old & _ROWID_MASK for old in stored.values()]
        with self._transaction():
            if todo or removed:
                self._db.execute("DELETE FROM meta WHERE key = 'listing'")
            for rowid in removed:
                self._unindex(rowid)
            self._db.executemany("DELETE FROM docs WHERE rowid = ?", ((rowid,) for rowid in removed))
            self._store_walk(found)
        added = self._read_changes(todo, report)
        refreshed = Refreshed(len(found.files), added, len(todo) - added, len(removed))
        del found, todo, stored  # (the walk's lists go before the listing is made)
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('complete', '1')")
            self._store_listing()
        return refreshed

    def _store_listing(self) -> None:
        """Keep the list in reading order as one value (see _LISTING), unless it is kept already or a
        name had to be stored as a BLOB."""
        self._db.execute(  # (made and stored by SQLite: no copy of it in Python)
            f"INSERT INTO meta SELECT 'listing', coalesce(listing, '') FROM ({_LISTING}) "
            "WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'listing') "
            f"AND NOT EXISTS ({_EXTRA} AND (typeof(id) != 'text' OR typeof(title) != 'text'))"
        )

    def _store_walk(self, found: Walk) -> None:
        """Replace the stored other files and problems with the walk's."""
        self._db.execute("DELETE FROM others")
        self._db.executemany("INSERT INTO others VALUES (?)", ((_to_db(path),) for path in found.others))
        self._db.execute("DELETE FROM problems")
        self._db.executemany(
            "INSERT INTO problems VALUES (?, ?)",
            ((_to_db(str(problem.path)), _to_db(problem.reason)) for problem in found.problems),
        )

    def _read_changes(self, todo: list[tuple[str, str, int, int, int | None]], report: _Throttled) -> int:
        """Read and store the new and changed files, committing in batches (progress is reported after
        each commit); the number of new ones."""
        total = len(todo)
        report("read", 0, total, force=True)
        added = 0
        done = 0
        while done < total:
            started = time.monotonic()
            with self._transaction():
                while done < total:
                    relative, article_id, mtime_ns, size, rowid = todo[done]
                    info, indexed, again = _read_article(self.root / relative, article_id)
                    self._store(info, indexed, UNREAD if again else mtime_ns, size, rowid)
                    added += rowid is None
                    done += 1
                    if done % self.BATCH_FILES == 0 or time.monotonic() - started > self.BATCH_SECONDS:
                        break
            report("read", done, total, force=done == total)  # (what is reported can be searched)
        return added

    def _store(
        self, info: ArticleInfo, indexed: IndexedArticle | None, mtime_ns: int, size: int, rowid: int | None
    ) -> None:
        """Write one article's row (and index its text, unless it could not be read as text)."""
        title = info.title
        columns = spans = packed = None
        if indexed is not None:
            columns, spans = _columns(info, indexed)
            packed = _pack(columns, spans)
        values = (
            _to_db(title),
            title_key(title),
            _safe(title.casefold()),
            info.order,
            _to_db("\n".join(info.aliases)),
            mtime_ns,
            size,
            packed,
        )
        db = self._db
        if rowid is None:
            cursor = db.execute(
                "INSERT INTO docs(title, title_key, sort_title, ord, aliases, mtime_ns, size, text, id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, _to_db(info.id)),
            )
            rowid = cursor.lastrowid
        else:
            self._unindex(rowid)
            db.execute(
                "UPDATE docs SET title = ?, title_key = ?, sort_title = ?, ord = ?, aliases = ?, "
                "mtime_ns = ?, size = ?, text = ? WHERE rowid = ?",
                (*values, rowid),
            )
        if columns is not None:
            db.execute(
                "INSERT INTO fts(rowid, title, tags, headings, body) VALUES (?, ?, ?, ?, ?)",
                (rowid, *columns),
            )

    def _unindex(self, rowid: int) -> None:
        """Take a stored row's text out of the full-text index (which keeps no copy of it: FTS5 is told
        the very words it indexed)."""
        row = self._db.execute("SELECT text FROM docs WHERE rowid = ?", (rowid,)).fetchone()
        if row is not None and row[0] is not None:
            columns, _ = _unpack(row[0])
            self._db.execute(
                "INSERT INTO fts(fts, rowid, title, tags, headings, body) VALUES ('delete', ?, ?, ?, ?, ?)",
                (rowid, *columns),
            )

    # -- helpers --------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Hold the lock; an SQLite error (a corrupt or vanished file) becomes CatalogUnavailable."""
        with self._mutex:
            try:
                yield
            except sqlite3.Error as error:
                raise CatalogUnavailable(_reason(error)) from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction: committed at the end of the block, rolled back on an exception."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


class _Stale(Exception):
    """The database is not this revision's index of this root."""


class _Throttled:
    """A progress callback called at most every PROGRESS_SECONDS (unless `force`d)."""

    def __init__(self, progress: Callable[[str, int, int], None] | None) -> None:
        self.progress = progress
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int, force: bool = False) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if force or now - self.last >= PROGRESS_SECONDS:
            self.last = now
            self.progress(phase, done, total)


def _read_article(path: Path, article_id: str) -> tuple[ArticleInfo, IndexedArticle | None, bool]:
    """Read a file once: its index entry (from its head, as `Library` reads it), its searchable text
    (None for a file that cannot be read whole, or is binary), and whether to read it again next time
    (it could not be read now: gone since the walk, unreadable, a disk error)."""
    try:
        data = read_file(path)
    except NotAFile:  # too large to read whole, or no longer a regular file: the head still names it
        return read_info(path, article_id), None, False
    except OSError:  # (stored with a stamp no file has, so that the next refresh reads it again)
        return read_info(path, article_id), None, True
    text, _ = decode(data, path)  # as the parser reads it (a BOM dropped)
    if text is None:  # binary
        return read_head(data, path, article_id), None, False
    info = read_head(text if len(data) <= HEAD_BYTES else data, path, article_id)
    from tui.articles.search import index_text

    return info, index_text(info, text), False


def _columns(info: ArticleInfo, indexed: IndexedArticle) -> tuple[tuple[str, str, str, str], list[Any]]:
    """The text columns of one article as indexed (title with aliases, tags, headings, body), and its
    sections as [id, title, start, end] in the body."""
    body, spans = indexed.body()
    title = "\n".join((info.title, *info.aliases))
    columns = (_safe(title), _safe("\n".join(indexed.tags)), _safe(indexed.headings()), _safe(body))
    return columns, [list(span) for span in spans]


def _matches(query: Query, columns: tuple[str, str, str, str]) -> bool:
    """Whether an article's indexed text (`_columns`) matches `query`, as FTS5 would say."""
    title, tags, headings, body = columns
    tags = joined(tags)  # (a phrase never runs from one column into the next: they meet at two spaces)
    return query.matches_joined(joined(title) + tags + joined(headings) + joined(body), tags)


def _pack(columns: tuple[str, str, str, str], sections: list[Any]) -> bytes:
    """The indexed text of an article, compressed: what a hit's snippet is made of, and what the
    contentless full-text index is told to forget when the article changes."""
    spans = _safe(json.dumps(sections, ensure_ascii=False, separators=(",", ":")))
    return zlib.compress("\0".join((*columns, spans)).encode("utf-8"))


def _unpack(packed: bytes) -> tuple[tuple[str, str, str, str], list[Any]]:
    """`_pack` undone: the four text columns and the sections."""
    title, tags, headings, body, spans = zlib.decompress(packed).decode("utf-8").split("\0")
    return (title, tags, headings, body), json.loads(spans)


def _strong(query: Query) -> str:
    """`query.fts()` with its required terms looked for in titles, tags and headings only."""
    required = " ".join(term.fts() for term in query.terms)
    text = f"{{title tags headings}} : ({required})"
    if query.excluded:
        text = f"({text}) NOT ({' OR '.join(term.fts() for term in query.excluded)})"
    return text


_ROWID_BITS = 64
_ROWID_MASK = (1 << _ROWID_BITS) - 1
_SIZE_BITS = 64


def _stamped(rowid: int, mtime_ns: int, size: int) -> int:
    """A stored row's rowid and its file's stamp as one int: `>> _ROWID_BITS` is the stamp,
    `& _ROWID_MASK` the rowid. (mtime_ns may be negative, sizes fit in 64 bits.)"""
    return (((mtime_ns << _SIZE_BITS) | size) << _ROWID_BITS) | rowid


def _after(key: str) -> str:
    """The least string above every string starting with `key` (in code point order, which is UTF-8's
    byte order, SQLite's BINARY order), for a prefix range."""
    last = ord(key[-1])
    if last >= 0x10FFFF:
        return key + "\U0010ffff"  # (as good as it gets: only a title holding U+10FFFF twice escapes)
    after = last + 1 if last + 1 != 0xD800 else 0xE000  # (never a lone surrogate: SQLite takes UTF-8)
    return key[:-1] + chr(after)


def _reading_key(ordinal: float | None, sort_title: str, article_id: Any) -> tuple[int, float, str, str]:
    """`Library`'s reading order of one stored row."""
    return (0 if ordinal is not None else 1, ordinal or 0.0, sort_title, _text(article_id))


# Names from the file system may hold lone surrogates (undecodable bytes); SQLite takes UTF-8 text only.
# Such a value is stored as a BLOB of its bytes (surrogates kept) and read back as it was.
def _to_db(value: str) -> str | bytes:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")
    return value


def _from_blob(value: bytes) -> str:
    return value.decode("utf-8", "surrogatepass")


def _text(value: str | bytes) -> str:
    return value if isinstance(value, str) else _from_blob(value)


def _safe(value: str) -> str:
    """`value` as UTF-8 text for SQLite (a lone surrogate becomes U+FFFD), without NULs (`_pack` joins
    with them): search text and sort keys."""
    if "\0" in value:
        value = value.replace("\0", " ")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return value


def _aliases(value: str | bytes) -> tuple[str, ...]:
    text = _text(value)
    return tuple(text.split("\n")) if text else ()


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _check_regular(*paths: Path) -> None:
    """Raise CatalogUnavailable when something other than a regular file is at one of `paths`."""
    for path in paths:
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):  # (an unusable folder is reported as such)
            continue
        except OSError as error:
            raise CatalogUnavailable(f"stored index unusable: {path}: {error.strerror}") from None
        if not stat.S_ISREG(mode):
            raise CatalogUnavailable(f"{path} is {file_kind(mode)}, not a stored index; left alone")


def _connect(path: Path, create: bool) -> sqlite3.Connection:
    """A connection to the database at `path` (never creating it unless `create`)."""
    from urllib.parse import quote

    mode = "rwc" if create else "rw"
    try:
        connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode={mode}",
            uri=True,
            timeout=BUSY_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error as error:
        raise CatalogUnavailable(_reason(error)) from None
    connection.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    return connection


def _check_revision(connection: sqlite3.Connection, root: Path) -> bool:
    """Whether the database is empty (True) or this revision's index of `root` (False); raise _Stale
    for anything else (another revision, another root, another program's database)."""
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return True
    if "meta" not in tables:
        raise _Stale("not a stored index")
    try:
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.OperationalError:  # (a `meta` table of another program's making)
        raise _Stale("not a stored index") from None
    if meta.get("revision") != _REVISION:
        raise _Stale("the stored index was made by another version")
    if meta.get("root") != _safe(str(root.resolve())):
        raise _Stale("the stored index is another folder's")
    return False


def _open_for_writing(path: Path, root: Path) -> sqlite3.Connection:
    """Open (or create) the database, deleting and recreating it once when it is corrupt or stale."""
    for attempt in (1, 2):
        connection = _connect(path, create=True)
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            if _check_revision(connection, root):
                connection.executescript(_SCHEMA)  # (a build cut short here is stale: built again)
                connection.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [("revision", _REVISION), ("root", _safe(str(root.resolve())))],
                )
            return connection
        except (sqlite3.DatabaseError, _Stale) as error:
            connection.close()
            corrupt = isinstance(error, _Stale) or (getattr(error, "sqlite_errorcode", 0) & 0xFF) in _CORRUPT
            if attempt == 2 or not corrupt:
                raise CatalogUnavailable(_reason(error)) from None
            _delete(path)
    raise AssertionError("unreachable")


def _delete(path: Path) -> None:
    """Delete our database file and its WAL and shared-memory files (regular files only)."""
    for target in (path, _sidecar(path, "-wal"), _sidecar(path, "-shm")):
        _check_regular(target)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()


def _lock(path: Path) -> int | None:
    """Take the builders' lock (an flock on `path`), waiting for another builder; None without fcntl."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        return None
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as error:
        raise CatalogUnavailable(f"stored index unusable: {path}: {error.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError as error:
        os.close(fd)
        raise CatalogUnavailable(f"stored index unusable: cannot lock {path}: {error.strerror}") from None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # (closing the descriptor releases the flock)


def _reason(error: BaseException) -> str:
    """A one-line reason for the user."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if isinstance(error, _Stale) else f"stored index unusable: {text}"
