"""Persistent reader state: bookmarks, likes, views and reading positions.

Everything lives in one TinyDB JSON file (by default
``platformdirs.user_data_path("qa-reader") / "reader.json"``)::

    meta                 {"schema": 1}                           (doc id 1)
    state                {"last_article": "<article id>"}        (doc id 1)
    articles             {"article_id", "views", "liked",
                          "position": {"section_id", "scroll_y"}} (one doc per article)
    bookmarks/<article>  {"article_id", "section_id", "article_title",
                          "section_title", "created", "note"}    (one doc per bookmark)

Bookmarks get one table per article so that a toggle re-encodes only that
article's few bookmarks, not all of them (see "Speed" below).

Guarantees
----------
* **Durable, atomic writes.**  A write method returns only once the new file
  is on disk: the JSON goes to a temporary file in the same folder, which is
  flushed and fsynced, moved over the old file with :func:`os.replace`, and
  the folder is fsynced.  A crash at any point leaves the old file or the new
  one, never a torn one.
* **Several processes may share the file.**  Every write is a
  read-modify-write done while holding an exclusive :func:`fcntl.flock` on the
  sibling file ``reader.json.lock``, on data read from disk under that lock.
  Nothing read earlier is ever written back: each operation reads the file
  anew.  Reads take no lock; ``os.replace`` is atomic, so they see a whole
  old or a whole new file.
* **A bad file never stops the reader.**  A regular file that is not valid
  JSON, has the wrong shape, or cannot be read for lack of permission is
  renamed to ``reader.json.corrupt-<UTC timestamp>`` beside it (``-2``,
  ``-3``... if taken), a fresh file is started, and a message naming the
  moved-aside path is added to :attr:`Store.notices`.  Nothing is deleted.
  A single odd record, such as a bookmark without a section id, a view count
  that is not a number or a number too large for a float (``1e400``), is
  skipped or read as a default, and the rest of the file is kept.
* **Only our own regular files are touched.**  A folder, FIFO, device or
  socket at the path, or a symlink to one of those or to nothing, is never
  read, renamed, locked or written: :attr:`Store.refused` says why, and the
  store is read-only.  A symlink to a regular file is followed: the file is
  replaced beside its real location (the link stays) and locked there.  The
  lock file ``reader.json.lock`` must be a regular file too, or the store is
  read-only with a notice that names the lock file.
* **Read-only locations still read.**  :attr:`Store.read_only` is set, a
  notice says why, reads work and each write raises :class:`StoreError`.  A
  file written by a newer release (higher schema) is opened the same way and
  left untouched.
* Write methods raise only :class:`StoreError`; read methods never raise and
  fall back to defaults (no bookmarks, zero views, ...).

Speed
-----
TinyDB's storage interface reads and writes the whole database.  To keep a
write fast with many bookmarks, the file is written one table per line::

    {"meta":{"1":{"schema":1}},
    "articles":{...},
    "bookmarks/a1":{...}}

(still plain JSON).  On reading, the lines are split apart and a table is
parsed only when an operation touches it; on writing, an untouched table's
line is copied back byte for byte.  A file in any other JSON layout (say,
edited by hand) is simply parsed in full, and so is every table when the
store is opened, to find corruption early.  If a line ever fails to parse
on its own, the operation starts over with the whole file parsed the normal
way, which then decides whether the file is really corrupt.
"""

from __future__ import annotations

import errno
import fcntl
import json
import math
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from tinydb import Query
from tinydb.storages import Storage
from tinydb.table import Document, Table

__all__ = [
    "SCHEMA_VERSION",
    "AtomicJSONStorage",
    "ArticleState",
    "Bookmark",
    "Position",
    "Store",
    "StoreError",
    "default_db_path",
]

SCHEMA_VERSION = 1
"""Version of the file layout written by this release."""

APP_NAME = "qa-reader"
DB_FILENAME = "reader.json"

LOCK_TIMEOUT = 10.0
_READ_ONLY = "Reading only, changes will not be saved."
"""Seconds a write waits for another process to release the lock."""

_META = "meta"
_STATE = "state"
_ARTICLES = "articles"
_BOOKMARKS_PREFIX = "bookmarks/"
_SINGLETON_ID = 1  # doc id of the single document in ``meta`` and ``state``
_GITHUB_IDS = "github"  # meta "section_ids": stored section ids follow GitHub's numbering

# errno values meaning "this location cannot be written" (not e.g. a full disk).
_NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}
# errno values from fsync on a folder that only mean "not supported here".
_FSYNC_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF}

_T = TypeVar("_T")


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


def default_db_path() -> Path:
    """Return the default data file, ``<user data dir>/qa-reader/reader.json``.

    Nothing is created here; :class:`Store` creates the folder on its first write.
    """
    return platformdirs.user_data_path(APP_NAME) / DB_FILENAME


# --------------------------------------------------------------------------
# Parsing and encoding
# --------------------------------------------------------------------------


class BadFile(Exception):
    """The data file exists but cannot be used; ``reason`` completes "Data file X ..."."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NewerSchema(Exception):
    """The data file was written by a newer release.

    ``data`` holds the file's tables if they still have the shape this release
    understands (so they can be shown read-only), else no tables.
    """

    def __init__(self, version: int, data: LazyTables) -> None:
        super().__init__(f"schema {version}")
        self.version = version
        self.data = data


class NotAFile(Exception):
    """Something that is not a regular file is at the data file's path: it is never moved or written."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _LockBusy(StoreError):
    """Another process held the lock for longer than this write was willing to wait."""


class _Reparse(Exception):
    """A table line did not parse on its own: parse the whole file instead."""


class _Raw:
    """A table not parsed yet: a line of the file and where its parts lie in it.

    ``line[entry:end]`` is ``"name":{...}`` and ``line[value:end]`` is ``{...}``
    (a line may also hold the file's opening ``{`` and a trailing ``,`` or ``}``).
    """

    __slots__ = ("line", "entry", "value", "end")

    def __init__(self, line: str, entry: int, value: int, end: int) -> None:
        self.line = line
        self.entry = entry
        self.value = value
        self.end = end


class LazyTables(dict[str, Any]):
    """The database dict handed to TinyDB; tables are parsed on first access.

    Values are table dicts, or :class:`_Raw` placeholders until someone reads
    them with ``[]``/``get``.  TinyDB only uses ``[]``, ``in``, iteration over
    names and item assignment, so it never sees a placeholder.  The encoder
    uses :meth:`entries` to copy untouched tables back unchanged.
    """

    def __getitem__(self, name: str) -> Any:
        value = super().__getitem__(name)
        if type(value) is _Raw:
            value = _parse_table_line(name, value)
            super().__setitem__(name, value)
        return value

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        """Like ``dict.get``, parsing the table if needed."""
        try:
            return self[name]
        except KeyError:
            return default

    def items(self) -> Any:  # type: ignore[override]
        """Like ``dict.items``, after parsing every table."""
        self.parse_all()
        return super().items()

    def values(self) -> Any:  # type: ignore[override]
        """Like ``dict.values``, after parsing every table."""
        self.parse_all()
        return super().values()

    def parse_all(self) -> None:
        """Parse every table still unparsed (may raise :class:`_Reparse`)."""
        for name in list(self):
            self[name]

    def entries(self) -> Iterator[tuple[str, Any]]:
        """(name, table dict or unparsed placeholder) pairs, parsing nothing."""
        return iter(super().items())


def _nan_to_none(token: str) -> None:
    """``json.loads`` hook: NaN/Infinity are not JSON; read such values as missing."""
    return None


def _finite_or_none(token: str) -> float | None:
    """``json.loads`` hook: a number too large for a float (``1e400``) reads as missing.

    Python would read it as infinity, which can never be written back as JSON: one odd value would
    then block every later write to its table.
    """
    value = float(token)
    return value if math.isfinite(value) else None


def _int_or_none(token: str) -> int | None:
    """``json.loads`` hook: an integer too long for Python to convert reads as missing."""
    try:
        return int(token)
    except ValueError:
        return None


# Every JSON read of the data file: odd numbers become missing values (read as defaults), never errors.
_JSON_HOOKS: dict[str, Any] = {
    "parse_constant": _nan_to_none,
    "parse_float": _finite_or_none,
    "parse_int": _int_or_none,
}


def _is_doc_id(key: str) -> bool:
    """True for a canonical TinyDB document id ("1", "42"; not "01", "x", "١")."""
    return key.isascii() and key.isdigit() and key == str(int(key))


def _table_problem(name: str, table: Any) -> str | None:
    """Why ``table`` is not a TinyDB table (``{doc id: {field: value}}``), or None.

    Fields inside a document are not checked here: an odd document is skipped
    when it is read (see :class:`Store`) rather than condemning the file.
    """
    if not isinstance(table, dict):
        return f"its table {name!r} is not an object"
    for key, doc in table.items():
        if not _is_doc_id(key):
            return f"its table {name!r} has a bad document id {key!r}"
        if not isinstance(doc, dict):
            return f"its table {name!r} has a document that is not an object"
    return None


def _schema_of(meta: Any) -> int | None:
    """The schema version recorded in a ``meta`` table, or None if there is none.

    Raises :class:`BadFile` when a version is recorded but is not a positive
    int.  Lenient about everything else, since a newer release may have
    changed shapes.
    """
    if not isinstance(meta, dict):
        return None
    for doc in meta.values():
        if isinstance(doc, dict) and "schema" in doc:
            version = doc["schema"]
            if isinstance(version, bool) or not isinstance(version, int) or version < 1:
                raise BadFile(f"has an invalid schema version {version!r}")
            return version
    return None


_DECODER = json.JSONDecoder(**_JSON_HOOKS)


def _parse_table_line(name: str, raw: _Raw) -> dict[str, Any]:
    """Parse one table line; anything odd means "parse the whole file instead"."""
    try:
        table = json.loads(raw.line[raw.value : raw.end], **_JSON_HOOKS)
    except (ValueError, RecursionError):
        raise _Reparse from None
    if _table_problem(name, table) is not None:
        raise _Reparse
    return table


def _split_lines(raw: bytes) -> LazyTables | None:
    r"""Split a file in this module's one-table-per-line layout; None if it is not.

    The layout is ``{`` + lines ``"name":{...}`` joined by ``,\n`` + ``}\n``.
    Compact JSON never contains a raw newline, so in our own files every
    newline ends a table.  In a file from elsewhere a wrong split gives a line
    that fails to parse on its own, and that triggers a full parse.
    """
    if not (raw.startswith(b"{") and raw.endswith(b"}\n")):
        return None
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    tables = LazyTables()
    if text == "{}\n":
        return tables
    lines = text.split("\n")
    lines.pop()  # the empty string after the final newline
    last = len(lines) - 1
    for i, line in enumerate(lines):
        entry = 1 if i == 0 else 0
        end = len(line) - 1
        if line[end:] != ("}" if i == last else ","):
            return None
        try:
            name, stop = _DECODER.raw_decode(line, entry)
        except ValueError:
            return None
        if not isinstance(name, str) or line[stop : stop + 2] != ":{" or name in tables:
            return None
        dict.__setitem__(tables, name, _Raw(line, entry, stop + 1, end))
    return tables


def _parse_full(raw: bytes) -> LazyTables:
    """Parse a whole file of any JSON layout; raise BadFile or NewerSchema."""
    try:
        data = json.loads(raw, **_JSON_HOOKS)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError
        raise BadFile("is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadFile(f"is not a reader data file (its top level is a JSON {type(data).__name__})")
    version = _schema_of(data.get(_META))
    problem = next((p for n, t in data.items() if (p := _table_problem(n, t))), None)
    if version is not None and version > SCHEMA_VERSION:
        raise NewerSchema(version, LazyTables() if problem else LazyTables(data))
    if problem:
        raise BadFile(f"is not a reader data file ({problem})")
    return LazyTables(data)


def _parse(raw: bytes, full: bool = False) -> LazyTables:
    """Parse the file's bytes, lazily when it is in our layout.

    Raises :class:`BadFile` or :class:`NewerSchema`.
    """
    tables = None if full else _split_lines(raw)
    if tables is None:
        return _parse_full(raw)
    try:
        version = _schema_of(tables.get(_META))
    except _Reparse:
        return _parse_full(raw)
    if version is not None and version > SCHEMA_VERSION:
        try:
            return _parse_full(raw)  # raises NewerSchema with the tables checked
        except BadFile:
            raise NewerSchema(version, LazyTables()) from None  # never move a newer file aside
    return tables


def _dumps(value: Any) -> str:
    """Compact ASCII JSON (so no encoding can fail and no raw newline appears)."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False, check_circular=False)


def _encode(data: Mapping[str, Any]) -> bytes:
    """The file's bytes: one table per line; untouched tables copied as they were."""
    pairs = data.entries() if isinstance(data, LazyTables) else iter(data.items())
    lines = []
    for name, table in pairs:
        if type(table) is _Raw:
            lines.append(table.line[table.entry : table.end])
        elif table:  # TinyDB treats a missing table as empty: leave empty ones out
            lines.append(_dumps(name) + ":" + _dumps(table))
    return ("{" + ",\n".join(lines) + "}\n").encode("ascii")


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NONBLOCK)


def _fsync_dir(folder: Path) -> None:
    """fsync a folder so a rename in it is durable (ignored where unsupported)."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


# --------------------------------------------------------------------------
# Storage
# --------------------------------------------------------------------------


class AtomicJSONStorage(Storage):
    """TinyDB storage that reads the file fresh and replaces it atomically.

    Outside a transaction, :meth:`read` reads the file every time and
    :meth:`write` does a durable atomic replace.  :class:`Store` runs each
    operation in a transaction (:meth:`begin` ... :meth:`commit`/:meth:`end`):
    the file is read once, TinyDB's table calls work on that copy, and it is
    written at most once.  Nothing is kept between transactions.
    """

    def __init__(self, path: Path | str) -> None:
        """Use the file at ``path`` (which need not exist yet)."""
        self.path = Path(path)
        self._active: LazyTables | None = None
        self._writable = False
        self._dirty = False

    # -- TinyDB interface ---------------------------------------------------

    def read(self) -> LazyTables | None:
        """Return the database: the transaction's copy, or the file read now."""
        if self._active is not None:
            return self._active
        return self.load()

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Store ``data``: into the open transaction, or straight to disk."""
        if self._active is not None:
            if not self._writable:
                raise RuntimeError("write attempted inside a read-only snapshot")
            # TinyDB hands back the dict that read() returned, now changed.
            self._active = data if isinstance(data, LazyTables) else LazyTables(data)
            self._dirty = True
            return
        self.save(data)

    # -- file access --------------------------------------------------------

    def load(self, full: bool = False) -> LazyTables:
        """Read and parse the file now (``full``: parse every table at once).

        Returns no tables if the file does not exist or is empty.  Raises
        :class:`BadFile` (corrupt, a folder, permission denied),
        :class:`NewerSchema`, or :class:`OSError` for other read failures.
        """
        try:
            # O_NONBLOCK: a FIFO or device at the path must not hang the reader.
            with open(self.path, "rb", opener=_open_nonblocking) as fh:
                kind = os.fstat(fh.fileno()).st_mode
                if not stat.S_ISREG(kind):
                    raise NotAFile(f"is {file_kind(kind)}, not a file")
                raw = fh.read()
        except FileNotFoundError:
            return LazyTables()
        except IsADirectoryError:
            raise NotAFile("is a folder, not a file") from None
        except PermissionError as exc:
            raise BadFile(f"cannot be read ({_strerror(exc)})") from None
        except ValueError:  # e.g. a NUL character in the path
            raise OSError(errno.EINVAL, "Invalid file name") from None
        if not raw:
            return LazyTables()  # an empty file holds nothing to lose
        return _parse(raw, full)

    def save(self, data: Mapping[str, Any]) -> None:
        """Write ``data`` atomically and durably (temp file, fsync, replace, fsync folder).

        Raises :class:`OSError` if the file cannot be written, or
        :class:`TypeError`/:class:`ValueError` if the data is not JSON-able.
        """
        raw = _encode(data)
        folder = self.path.parent
        tmp = folder / f"{self.temp_prefix()}{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            mode = os.stat(self.path).st_mode & 0o7777
        except OSError:
            mode = 0o600  # personal reading data: private by default
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            try:
                with suppress(OSError):
                    os.fchmod(fd, mode)
                view = memoryview(raw)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.path)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise
        _fsync_dir(folder)

    def temp_prefix(self) -> str:
        """Name prefix of this file's temporary files (``.reader.json.``)."""
        return f".{self.path.name}."

    # -- transactions -------------------------------------------------------

    def begin(self, data: LazyTables, writable: bool) -> None:
        """Start an operation on ``data`` (as returned by :meth:`load`)."""
        self._active = data
        self._writable = writable
        self._dirty = False

    @property
    def active(self) -> LazyTables:
        """The open transaction's data."""
        if self._active is None:
            raise RuntimeError("no transaction is open")
        return self._active

    @property
    def dirty(self) -> bool:
        """True if the open transaction changed the data."""
        return self._dirty

    def commit(self) -> None:
        """Write the open transaction's data to disk if it changed."""
        if self._active is not None and self._dirty:
            self.save(self._active)
            self._dirty = False

    def end(self) -> None:
        """Close the open transaction (without writing)."""
        self._active = None
        self._writable = False
        self._dirty = False


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


def _str_or_empty(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _bookmark_from_doc(doc: Mapping[str, Any], article_id: str) -> Bookmark | None:
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


def _views_of(doc: Mapping[str, Any]) -> int:
    """A stored view count; anything but a non-negative int counts as 0."""
    views = doc.get("views")
    if isinstance(views, bool) or not isinstance(views, int) or views < 0:
        return 0
    return views


def _position_of(doc: Mapping[str, Any]) -> Position | None:
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


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _bookmark_table(article_id: str) -> str:
    return f"{_BOOKMARKS_PREFIX}{article_id}"


def _bookmark_query(article_id: str, section_id: str) -> Any:
    return Query().fragment({"article_id": article_id, "section_id": section_id})


def _article_query(article_id: str) -> Any:
    return Query().article_id == article_id


def _ensure_schema(tx: _Tx) -> None:
    """Record the schema version in ``meta`` if the file has none yet.

    A file started by this release holds GitHub-numbered section ids from its first write, so it is
    marked as such: the upgrade of old ids (see :meth:`Store.move_section_ids`) must never touch it.
    """
    meta = tx.table(_META)
    if not any("schema" in doc for doc in meta.all()):
        meta.upsert(Document({"schema": SCHEMA_VERSION, "section_ids": _GITHUB_IDS}, _SINGLETON_ID))


def file_kind(mode: int) -> str:
    """What an ``st_mode`` is, for messages: "a folder", "a FIFO", "a device"..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symlink"
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def _strerror(exc: OSError) -> str:
    """A short lower-case reason for an OSError ("permission denied")."""
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]


# --------------------------------------------------------------------------
# Store
# --------------------------------------------------------------------------


class _Tx:
    """One operation's view of the database: its own storage and fresh tables."""

    def __init__(self, storage: AtomicJSONStorage) -> None:
        self.storage = storage

    def table(self, name: str) -> Table:
        """A table of this operation.

        Fresh for each operation and without query cache: TinyDB's Table
        caches query results and the next document id, and both go stale as
        soon as another process writes the file.
        """
        return Table(self.storage, name, cache_size=0)

    def names(self) -> list[str]:
        """Names of the tables in the file."""
        return list(self.storage.active)

    def sections(self, article_id: str) -> set[str]:
        """Bookmarked section ids of one article."""
        docs = self.table(_bookmark_table(article_id)).all()
        marks = (_bookmark_from_doc(doc, article_id) for doc in docs)
        return {mark.section_id for mark in marks if mark is not None}

    def article_field(self, article_id: str, get: Callable[[Document], _T]) -> _T | None:
        """``get(doc)`` for the article's document, or None if it has none."""
        found = self.table(_ARTICLES).search(_article_query(article_id))
        return get(found[0]) if found else None


class Store:
    """The reader's saved state in one JSON file, safe for several processes.

    Opening never raises: problems are reported in :attr:`notices` and, when
    nothing can be written, :attr:`read_only` is set.  Write methods raise
    :class:`StoreError` if the change could not be saved; when they return,
    the change is on disk.  Read methods never raise.  A Store may be used
    from several threads: each operation has its own storage object, writes
    are serialised by the file lock, and reads never wait for a write.
    """

    path: Path
    """The data file (absolute)."""
    notices: list[str]
    """Messages for the user gathered while opening (and on a later recovery)."""
    read_only: bool
    """True when writes cannot happen; reads still work."""
    refused: str | None
    """Set when the path is not a data file at all (a folder, a device, a FIFO, a symlink to one or to
    nothing): a one-line message for the user. Nothing at the path is read, moved or written; the
    commands exit 2 with this message and the reader opens read-only."""
    lock_timeout: float
    """Seconds a write waits for another process's lock before it gives up with a :class:`StoreError`."""
    on_lock_wait: Callable[[], None] | None
    """Called (from the writing thread) once a write has waited a moment for another process's lock."""

    def __init__(self, path: Path | str, lock_timeout: float = LOCK_TIMEOUT) -> None:
        """Open the store at ``path``; the file and its folder are created on first write."""
        self.path = Path(os.path.abspath(Path(path).expanduser()))
        self.notices = []
        self.read_only = False
        self.refused = None
        self.lock_timeout = lock_timeout
        self.on_lock_wait = None
        self._read_only_reason = ""
        self._file = self.path
        self._lock_path = self._file.with_name(self._file.name + ".lock")
        self._temps_cleaned = False
        self._open()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, read_only={self.read_only})"

    # -- bookmarks ------------------------------------------------------------

    def toggle_bookmark(
        self,
        article_id: str,
        section_id: str,
        article_title: str,
        section_title: str,
        note: str = "",
    ) -> bool:
        """Bookmark a section, or remove its bookmark if it has one.

        Returns True if the section is now bookmarked.  The titles are stored
        as given.  Raises :class:`StoreError` if the change could not be saved.
        """

        def op(tx: _Tx) -> bool:
            table = tx.table(_bookmark_table(article_id))
            found = table.search(_bookmark_query(article_id, section_id))
            if found:
                table.remove(doc_ids=[doc.doc_id for doc in found])
                return False
            table.insert(
                {
                    "article_id": article_id,
                    "section_id": section_id,
                    "article_title": article_title,
                    "section_title": section_title,
                    "created": _now_iso(),
                    "note": note,
                }
            )
            return True

        return self._write(op)

    def set_bookmark(
        self,
        article_id: str,
        section_id: str,
        bookmarked: bool,
        article_title: str = "",
        section_title: str = "",
    ) -> bool:
        """Make a section bookmarked or not, whatever it was; True if that changed the file.

        Unlike :meth:`toggle_bookmark`, the outcome is what the user saw when they pressed the key,
        even if another process changed the same bookmark in between.
        Raises :class:`StoreError` if the change could not be saved.
        """

        def op(tx: _Tx) -> bool:
            table = tx.table(_bookmark_table(article_id))
            found = table.search(_bookmark_query(article_id, section_id))
            if bool(found) == bookmarked:
                return False
            if found:
                table.remove(doc_ids=[doc.doc_id for doc in found])
            else:
                table.insert(
                    {
                        "article_id": article_id,
                        "section_id": section_id,
                        "article_title": article_title,
                        "section_title": section_title,
                        "created": _now_iso(),
                        "note": "",
                    }
                )
            return True

        return self._write(op)

    def is_bookmarked(self, article_id: str, section_id: str) -> bool:
        """True if the section is bookmarked."""
        return self._read(lambda tx: section_id in tx.sections(article_id), False)

    def remove_bookmark(self, article_id: str, section_id: str) -> bool:
        """Remove a section's bookmark; True if there was one.

        Raises :class:`StoreError` if the change could not be saved.
        """

        def op(tx: _Tx) -> bool:
            table = tx.table(_bookmark_table(article_id))
            found = table.search(_bookmark_query(article_id, section_id))
            if found:
                table.remove(doc_ids=[doc.doc_id for doc in found])
            return bool(found)

        return self._write(op)

    def bookmarks(self, article_id: str | None = None) -> list[Bookmark]:
        """All bookmarks, or one article's, newest first."""

        def op(tx: _Tx) -> list[Bookmark]:
            if article_id is not None:
                names = [_bookmark_table(article_id)]
            else:
                names = [name for name in tx.names() if name.startswith(_BOOKMARKS_PREFIX)]
            rows: list[tuple[str, int, Bookmark]] = []
            for name in names:
                owner = name[len(_BOOKMARKS_PREFIX) :]
                for doc in tx.table(name).all():
                    mark = _bookmark_from_doc(doc, owner)
                    if mark is not None:
                        rows.append((mark.created, doc.doc_id, mark))
            # Newest first; equal timestamps fall back to the later insertion.
            rows.sort(key=lambda row: (row[0], row[1]), reverse=True)
            seen: set[tuple[str, str]] = set()
            result = []
            for _, _, mark in rows:
                key = (mark.article_id, mark.section_id)
                if key not in seen:  # a hand-edited file may hold duplicates
                    seen.add(key)
                    result.append(mark)
            return result

        return self._read(op, [])

    def bookmarked_sections(self, article_id: str) -> set[str]:
        """Ids of the bookmarked sections of one article."""
        return self._read(lambda tx: tx.sections(article_id), set())

    # -- likes and views ------------------------------------------------------

    def toggle_like(self, article_id: str) -> bool:
        """Like an article, or unlike it if liked; True if it is now liked.

        Raises :class:`StoreError` if the change could not be saved.
        """

        def op(tx: _Tx) -> bool:
            table = tx.table(_ARTICLES)
            query = _article_query(article_id)
            found = table.search(query)
            liked = not (found and found[0].get("liked") is True)
            table.upsert({"article_id": article_id, "liked": liked}, query)
            return liked

        return self._write(op)

    def set_liked(self, article_id: str, liked: bool) -> None:
        """Like or unlike an article, whatever it was.

        Raises :class:`StoreError` if the change could not be saved.
        """

        def op(tx: _Tx) -> None:
            table = tx.table(_ARTICLES)
            query = _article_query(article_id)
            found = table.search(query)
            if (bool(found) and found[0].get("liked") is True) != liked:
                table.upsert({"article_id": article_id, "liked": liked}, query)

        self._write(op)

    def is_liked(self, article_id: str) -> bool:
        """True if the article is liked."""
        return self._read(lambda tx: tx.article_field(article_id, lambda d: d.get("liked")) is True, False)

    def add_view(self, article_id: str) -> int:
        """Count one more view of an article and return the new count.

        Raises :class:`StoreError` if the change could not be saved.
        """

        def op(tx: _Tx) -> int:
            table = tx.table(_ARTICLES)
            query = _article_query(article_id)
            found = table.search(query)
            count = (_views_of(found[0]) if found else 0) + 1
            table.upsert({"article_id": article_id, "views": count}, query)
            return count

        return self._write(op)

    def views(self, article_id: str) -> int:
        """How many times the article was opened (0 if never)."""
        return self._read(lambda tx: tx.article_field(article_id, _views_of) or 0, 0)

    # -- reading position -----------------------------------------------------

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

        def op(tx: _Tx) -> None:
            tx.table(_ARTICLES).upsert(
                {"article_id": article_id, "position": {"section_id": section_id, "scroll_y": y}},
                _article_query(article_id),
            )
            tx.table(_STATE).upsert(Document({"last_article": article_id}, _SINGLETON_ID))

        self._write(op)

    def position(self, article_id: str) -> Position | None:
        """The saved reading position in an article, or None."""
        return self._read(lambda tx: tx.article_field(article_id, _position_of), None)

    def article_state(self, article_id: str) -> ArticleState:
        """Views, like, bookmarked sections and position of one article, in a single read of the file."""

        def op(tx: _Tx) -> ArticleState:
            return ArticleState(
                views=tx.article_field(article_id, _views_of) or 0,
                liked=tx.article_field(article_id, lambda d: d.get("liked")) is True,
                bookmarked=tx.sections(article_id),
                position=tx.article_field(article_id, _position_of),
            )

        return self._read(op, ArticleState())

    # -- section ids of an earlier release ------------------------------------------------------------
    # Releases before 0.2 numbered duplicate headings `-2`, `-3`; GitHub (and now the parser) says `-1`,
    # `-2`. Bookmarks and places saved under the old ids are moved once, article by article, by
    # tui/upgrade.py (which knows the articles). `meta` records that it was done ("section_ids":
    # "github") and which articles could not be found then ("legacy_ids_pending"), to try again later.

    def articles_with_legacy_ids(self) -> list[str]:
        """Ids of articles whose stored section ids may still be in the old numbering."""

        def op(tx: _Tx) -> list[str]:
            meta = next(iter(tx.table(_META).all()), {})
            if meta.get("section_ids") == _GITHUB_IDS:
                pending = meta.get("legacy_ids_pending")
                return [a for a in pending if isinstance(a, str)] if isinstance(pending, list) else []
            found = {
                name[len(_BOOKMARKS_PREFIX) :] for name in tx.names() if name.startswith(_BOOKMARKS_PREFIX)
            }
            for doc in tx.table(_ARTICLES).all():
                if isinstance(doc.get("article_id"), str) and _position_of(doc) is not None:
                    found.add(doc["article_id"])
            return sorted(found)

        return self._read(op, [])

    def move_section_ids(self, moves: Mapping[str, Mapping[str, str]], unresolved: list[str]) -> None:
        """Rename stored section ids (``moves[article][old] = new``) and record the upgrade as done.

        ``unresolved``: articles not found this time, left as they are and tried again next time.
        Raises :class:`StoreError` if the change could not be saved.
        """

        def op(tx: _Tx) -> None:
            for article_id, renames in moves.items():
                table = tx.table(_bookmark_table(article_id))
                for doc in table.all():
                    old = doc.get("section_id")
                    if isinstance(old, str) and old in renames:
                        table.update({"section_id": renames[old]}, doc_ids=[doc.doc_id])
                articles = tx.table(_ARTICLES)
                for doc in articles.search(_article_query(article_id)):
                    position = _position_of(doc)
                    if position is not None and position.section_id in renames:
                        moved = {"section_id": renames[position.section_id], "scroll_y": position.scroll_y}
                        articles.update({"position": moved}, doc_ids=[doc.doc_id])
            meta = tx.table(_META)
            record = {"section_ids": _GITHUB_IDS, "legacy_ids_pending": sorted(unresolved)}
            docs = meta.all()
            if docs:
                meta.update(record, doc_ids=[docs[0].doc_id])
            else:
                meta.insert(Document({"schema": SCHEMA_VERSION, **record}, _SINGLETON_ID))

        self._write(op)

    def last_article(self) -> str | None:
        """Id of the article whose position was saved last, or None."""

        def op(tx: _Tx) -> str | None:
            for doc in tx.table(_STATE).all():
                value = doc.get("last_article")
                if isinstance(value, str):
                    return value
            return None

        return self._read(op, None)

    # -- operations -------------------------------------------------------------

    def _read(self, op: Callable[[_Tx], _T], default: _T) -> _T:
        """Run a read ``op`` on a fresh snapshot of the file; ``default`` if it is unusable."""
        if self.refused:
            return default  # not a data file: never even opened
        storage = AtomicJSONStorage(self._file)
        for full in (False, True):
            try:
                data = storage.load(full)
            except NewerSchema as exc:
                data = exc.data
            except (BadFile, NotAFile, OSError):
                return default
            storage.begin(data, writable=False)
            try:
                return op(_Tx(storage))
            except _Reparse:
                continue  # a table line looked odd: parse the whole file
            finally:
                storage.end()
        return default  # pragma: no cover - a full parse never asks to reparse

    def _write(self, op: Callable[[_Tx], _T], lock_timeout: float | None = None) -> _T:
        """Run ``op`` as one read-modify-write under the exclusive lock and save durably.

        Raises :class:`StoreError` if the store is read-only or the lock, the
        read or the write fails.
        """
        if self.read_only:
            raise StoreError(f"Cannot save to {self.path}: {self._read_only_reason}")
        storage = AtomicJSONStorage(self._file)
        lock_fd = self._lock(self.lock_timeout if lock_timeout is None else lock_timeout)
        try:
            self._clean_temps(storage)
            for full in (False, True):
                data = self._load_for_write(storage, full)
                storage.begin(data, writable=True)
                tx = _Tx(storage)
                try:
                    result = op(tx)
                    if storage.dirty:
                        _ensure_schema(tx)
                        storage.commit()
                    return result
                except _Reparse:
                    continue  # a table line looked odd: parse the whole file
                except OSError as exc:
                    raise self._write_failed(exc) from None
                except (TypeError, ValueError) as exc:
                    raise StoreError(f"Could not save to {self.path}: invalid data ({exc})") from None
                finally:
                    storage.end()
            raise StoreError(f"Could not read {self.path}")  # pragma: no cover - see _read
        finally:
            os.close(lock_fd)  # closing the descriptor releases the flock

    def _write_failed(self, exc: OSError) -> StoreError:
        """The StoreError for a failed write; a permission problem makes the store read-only."""
        if exc.errno in _NOT_WRITABLE:
            self._set_read_only(_strerror(exc))
        return StoreError(f"Could not save to {self.path}: {_strerror(exc)}")

    def _load_for_write(self, storage: AtomicJSONStorage, full: bool) -> LazyTables:
        """Load the file under the lock; a bad file is moved aside first."""
        try:
            return storage.load(full)
        except NewerSchema as exc:
            self._set_newer(exc.version)
            raise StoreError(f"Cannot save to {self.path}: {self._read_only_reason}") from None
        except NotAFile as exc:
            self._refuse(exc.reason)
            raise StoreError(f"Cannot save to {self.path}: {self._read_only_reason}") from None
        except BadFile as exc:
            self._move_aside(exc.reason)
            return LazyTables()
        except OSError as exc:
            raise StoreError(f"Could not read {self.path}: {_strerror(exc)}") from None

    def _lock(self, timeout: float) -> int:
        """Create the folder if needed and take the exclusive lock; return its fd.

        The lock file is ours only while it is a regular file: a folder, a symlink, a device or a FIFO
        at its path is never opened for writing, and the store goes read-only naming the lock file.
        """
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._write_failed(exc) from None
        fd = self._open_lock()
        deadline = time.monotonic() + timeout
        told = time.monotonic() + 0.25  # after this long, say that another process is writing
        delay = 0.0005
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except BlockingIOError:
                    now = time.monotonic()
                    if now >= deadline:
                        raise _LockBusy(
                            f"Could not save to {self.path}: another qa-reader held its lock file "
                            f"{self._lock_path} for over {timeout:g} s"
                        ) from None
                    if told and now >= told:
                        told = 0.0
                        if self.on_lock_wait is not None:
                            self.on_lock_wait()
                    time.sleep(delay)
                    delay = min(delay * 2, 0.02)
        except OSError as exc:
            os.close(fd)
            raise StoreError(f"Could not lock the lock file {self._lock_path}: {_strerror(exc)}") from None
        except BaseException:
            os.close(fd)
            raise

    def _open_lock(self) -> int:
        """Open (creating it if needed) the lock file, a regular file of ours, and return its fd."""
        name = f"the lock file {self._lock_path}"
        problem = self._lock_problem()
        if problem:
            self._set_read_only(problem, f"{problem[:1].upper()}{problem[1:]}. {_READ_ONLY}")
            raise StoreError(f"Cannot save to {self.path}: {problem}")
        flags = os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
        try:
            try:
                fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | flags, 0o600)
            except PermissionError:
                fd = os.open(self._lock_path, os.O_RDONLY | flags)  # flock works on a read-only fd
        except OSError as exc:
            if exc.errno in _NOT_WRITABLE:
                self._set_read_only(f"{name} cannot be opened ({_strerror(exc)})")
            raise StoreError(f"Could not open {name}: {_strerror(exc)}") from None
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # swapped in between the check and the open
            os.close(fd)
            raise StoreError(f"Cannot save to {self.path}: {name} is {file_kind(mode)}")
        return fd

    def _lock_problem(self) -> str | None:
        """Why the lock file's path cannot be used (it is not a regular file), or None."""
        try:
            mode = os.lstat(self._lock_path).st_mode
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            reason = _strerror(exc) if isinstance(exc, OSError) else "invalid file name"
            return f"the lock file {self._lock_path} cannot be checked ({reason})"
        if stat.S_ISREG(mode):
            return None
        return f"the lock file {self._lock_path} is {file_kind(mode)}, not a file"

    def _clean_temps(self, storage: AtomicJSONStorage) -> None:
        """Delete temp files left by a writer that died mid-write (lock is held).

        Every writer creates its temp file while holding the lock, so under
        the lock any temp file of ours is a leftover.  Done once per Store.
        """
        if self._temps_cleaned:
            return
        self._temps_cleaned = True
        prefix = storage.temp_prefix()
        with suppress(OSError), os.scandir(self._file.parent) as entries:
            for entry in entries:
                if (
                    entry.name.startswith(prefix)
                    and entry.name.endswith(".tmp")
                    and entry.is_file(follow_symlinks=False)
                ):
                    with suppress(OSError):
                        os.unlink(entry.path)

    # -- problems ---------------------------------------------------------------

    def _move_aside(self, reason: str) -> None:
        """Rename the bad file to ``<name>.corrupt-<timestamp>`` (lock is held).

        Raises StoreError (and makes the store read-only) if it cannot be moved.
        """
        try:
            mode = os.lstat(self._file).st_mode
        except OSError as exc:
            raise StoreError(f"Could not read {self.path}: {_strerror(exc)}") from None
        if not stat.S_ISREG(mode):  # only ever our own regular file is moved
            self._refuse(f"is {file_kind(mode)}, not a file")
            raise StoreError(f"Cannot save to {self.path}: {self._read_only_reason}")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        base = f"{self._file.name}.corrupt-{stamp}"
        target = self._file.with_name(base)
        n = 1
        while os.path.lexists(target):
            n += 1
            target = self._file.with_name(f"{base}-{n}")
        try:
            os.rename(self._file, target)
        except OSError as exc:
            self._set_read_only(
                f"it {reason} and could not be moved aside ({_strerror(exc)})",
                f"Data file {self.path} {reason} and could not be moved aside "
                f"({_strerror(exc)}); showing no saved data, changes will not be saved.",
            )
            raise StoreError(f"Cannot save to {self.path}: {self._read_only_reason}") from None
        with suppress(OSError):
            _fsync_dir(self._file.parent)
        self.notices.append(f"Data file {self.path} {reason}; moved it to {target} and started fresh.")

    def _refuse(self, reason: str) -> None:
        """The path is not a data file (``reason`` completes "Data file X ..."): touch nothing there."""
        hint = " --db and QA_READER_DB take the path of a file"
        if reason.startswith("is a folder"):
            hint += f" (such as {self.path / DB_FILENAME})"
        self.refused = f"Data file {self.path} {reason}.{hint}; nothing there was changed."
        self._set_read_only(reason, f"{self.refused} {_READ_ONLY}")

    def _set_read_only(self, reason: str, notice: str | None = None) -> None:
        """Refuse writes from now on; ``reason`` ends the StoreError messages."""
        self.read_only = True
        self._read_only_reason = reason
        if notice and notice not in self.notices:
            self.notices.append(notice)

    def _set_newer(self, version: int) -> None:
        self._set_read_only(
            f"it was written by a newer version of {APP_NAME} (schema {version})",
            f"Data file {self.path} was written by a newer version of {APP_NAME} "
            f"(schema {version}; this version knows {SCHEMA_VERSION}); opened read-only and left unchanged.",
        )

    def _open(self) -> None:
        """Check the location and the whole file; fill notices; never raises."""
        problem = self._follow_path()
        if problem:
            self._refuse(problem)
            return
        self._check_location()
        storage = AtomicJSONStorage(self._file)
        try:
            data = storage.load()
            try:
                data.parse_all()
            except _Reparse:
                storage.load(full=True)
        except NewerSchema as exc:
            self._set_newer(exc.version)
        except NotAFile as exc:
            self._refuse(exc.reason)
        except BadFile as exc:
            if self.read_only:
                self.notices.append(
                    f"Data file {self.path} {exc.reason} and cannot be moved aside "
                    "in a read-only location; showing no saved data."
                )
                return
            # Recover under the lock: the write path reads the whole file
            # again there (another process may have dealt with it already) and
            # moves it aside; nothing is written until the first real change.
            try:
                self._write(lambda tx: tx.storage.active.parse_all(), lock_timeout=1.0)
            except _LockBusy:
                pass  # another process is writing (and may be recovering it): the first write will
            except StoreError as err:
                if not self.read_only:
                    self._set_read_only(
                        "its bad data file could not be moved aside",
                        f"Data file {self.path} {exc.reason} and could not be moved aside "
                        f"({err}); showing no saved data, changes will not be saved.",
                    )
        except OSError as exc:
            self._set_read_only(
                f"it could not be read ({_strerror(exc)})",
                f"Data file {self.path} could not be read ({_strerror(exc)}); "
                "showing no saved data, changes will not be saved.",
            )

    def _follow_path(self) -> str | None:
        """Follow a symlink to a regular file; say why the path cannot be a data file, or None.

        A symlink to a regular file is followed (dotfiles are often kept that way): reads and
        writes go to the real file, and the atomic replace happens beside it, so the link stays.
        """
        try:
            mode = os.lstat(self.path).st_mode
        except FileNotFoundError:
            return None  # created on the first write
        except (OSError, ValueError):
            return None  # an impossible name: _check_location says so
        if stat.S_ISLNK(mode):
            target = os.path.realpath(self.path)
            try:
                mode = os.stat(self.path).st_mode
            except FileNotFoundError:
                return f"is a symlink to {target}, which does not exist"
            except OSError as exc:
                return f"is a symlink that cannot be followed ({_strerror(exc)})"
            if not stat.S_ISREG(mode):
                return f"is a symlink to {target}, which is {file_kind(mode)}, not a file"
            self._file = Path(target)
            self._lock_path = self._file.with_name(self._file.name + ".lock")
            return None
        if stat.S_ISREG(mode):
            return None
        return f"is {file_kind(mode)}, not a file"

    def _check_location(self) -> None:
        """Make the store read-only (with a notice) if the file cannot be written."""
        suffix = "reading only, changes will not be saved."
        try:
            file = self._file
            # A file we cannot even read is handled as a bad file (moved aside).
            if file.is_file() and os.access(file, os.R_OK) and not os.access(file, os.W_OK):
                self._set_read_only("the file is read-only", f"Data file {self.path} is read-only: {suffix}")
                return
            folder = file.parent
            while not os.path.lexists(folder) and folder != folder.parent:
                folder = folder.parent
            if not folder.is_dir():
                self._set_read_only(
                    f"{folder} is not a folder", f"Data folder {folder} is not a folder: {suffix}"
                )
            elif not os.access(folder, os.W_OK | os.X_OK):
                self._set_read_only(
                    f"the folder {folder} is not writable", f"Data folder {folder} is not writable: {suffix}"
                )
            elif problem := self._lock_problem():
                self._set_read_only(problem, f"{problem[:1].upper()}{problem[1:]}. {_READ_ONLY}")
        except OSError as exc:
            self._set_read_only(
                f"its location cannot be checked ({_strerror(exc)})",
                f"Data location {self.path} cannot be checked ({_strerror(exc)}): {suffix}",
            )
