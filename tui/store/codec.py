"""The data file's bytes <-> its tables: one table per line, parsed lazily, odd numbers read as missing.

TinyDB's storage interface reads and writes the whole database.  To keep a
write fast with many bookmarks, the file is written one table per line::

    {"meta":{"1":{"schema":1}},
    "articles":{...},
    "bookmarks/a1":{...}}

(still plain JSON).  On reading, the lines are split apart and a table is
parsed only when an operation touches it (:class:`LazyTables`); on writing, an
untouched table's line is copied back byte for byte (:func:`encode`).  A file
in any other JSON layout (say, edited by hand) is simply parsed in full, and so
is every table when the store is opened, to find corruption early.  If a line
ever fails to parse on its own, :class:`Reparse` is raised and the operation
starts over with the whole file parsed the normal way, which then decides
whether the file is really corrupt.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

from tui.store.records import META

SCHEMA_VERSION = 1
"""Version of the file layout written by this release."""


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


class Reparse(Exception):
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
        """Parse every table still unparsed (may raise :class:`Reparse`)."""
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
JSON_HOOKS: dict[str, Any] = {
    "parse_constant": _nan_to_none,
    "parse_float": _finite_or_none,
    "parse_int": _int_or_none,
}


def _is_doc_id(key: str) -> bool:
    """True for a canonical TinyDB document id ("1", "42"; not "01", "x", "١")."""
    return key.isascii() and key.isdigit() and key == str(int(key))


def table_problem(name: str, table: Any) -> str | None:
    """Why ``table`` is not a TinyDB table (``{doc id: {field: value}}``), or None.

    Fields inside a document are not checked here: an odd document is skipped
    when it is read (see :mod:`tui.store.records`) rather than condemning the file.
    """
    if not isinstance(table, dict):
        return f"its table {name!r} is not an object"
    for key, doc in table.items():
        if not _is_doc_id(key):
            return f"its table {name!r} has a bad document id {key!r}"
        if not isinstance(doc, dict):
            return f"its table {name!r} has a document that is not an object"
    return None


def schema_of(meta: Any) -> int | None:
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


_DECODER = json.JSONDecoder(**JSON_HOOKS)


def _parse_table_line(name: str, raw: _Raw) -> dict[str, Any]:
    """Parse one table line; anything odd means "parse the whole file instead"."""
    try:
        table = json.loads(raw.line[raw.value : raw.end], **JSON_HOOKS)
    except (ValueError, RecursionError):
        raise Reparse from None
    if table_problem(name, table) is not None:
        raise Reparse
    return table


def split_lines(raw: bytes) -> LazyTables | None:
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


def parse_full(raw: bytes) -> LazyTables:
    """Parse a whole file of any JSON layout; raise BadFile or NewerSchema."""
    try:
        data = json.loads(raw, **JSON_HOOKS)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError
        raise BadFile("is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadFile(f"is not a reader data file (its top level is a JSON {type(data).__name__})")
    version = schema_of(data.get(META))
    problem = next((p for n, t in data.items() if (p := table_problem(n, t))), None)
    if version is not None and version > SCHEMA_VERSION:
        raise NewerSchema(version, LazyTables() if problem else LazyTables(data))
    if problem:
        raise BadFile(f"is not a reader data file ({problem})")
    return LazyTables(data)


def parse(raw: bytes, full: bool = False) -> LazyTables:
    """Parse the file's bytes, lazily when it is in our layout.

    Raises :class:`BadFile` or :class:`NewerSchema`.
    """
    tables = None if full else split_lines(raw)
    if tables is None:
        return parse_full(raw)
    try:
        version = schema_of(tables.get(META))
    except Reparse:
        return parse_full(raw)
    if version is not None and version > SCHEMA_VERSION:
        try:
            return parse_full(raw)  # raises NewerSchema with the tables checked
        except BadFile:
            raise NewerSchema(version, LazyTables()) from None  # never move a newer file aside
    return tables


def _dumps(value: Any) -> str:
    """Compact ASCII JSON (so no encoding can fail and no raw newline appears)."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False, check_circular=False)


def encode(data: Mapping[str, Any]) -> bytes:
    """The file's bytes: one table per line; untouched tables copied as they were."""
    pairs = data.entries() if isinstance(data, LazyTables) else iter(data.items())
    lines = []
    for name, table in pairs:
        if type(table) is _Raw:
            lines.append(table.line[table.entry : table.end])
        elif table:  # TinyDB treats a missing table as empty: leave empty ones out
            lines.append(_dumps(name) + ":" + _dumps(table))
    return ("{" + ",\n".join(lines) + "}\n").encode("ascii")
