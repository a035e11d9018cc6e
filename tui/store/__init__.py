"""Persistent reader state: bookmarks, likes, views and reading positions.

Everything lives in one TinyDB JSON file (by default
``platformdirs.user_data_path("qa-reader") / "reader.json"``), one table per
line (see :mod:`tui.store.codec`); the tables are listed in
:mod:`tui.store.records`.

Modules: ``records`` (what the store hands out, its tables, odd documents
read as defaults), ``codec`` (bytes <-> tables), ``disk`` (safe reads, the
atomic replace, the lock file), ``recovery`` (what may be done at the path,
moving a bad file aside, read-only states and notices), ``transaction`` (one
operation: lock, load, TinyDB tables, one write) and ``api`` (:class:`Store`).

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
"""

from tui.store.api import Store, default_db_path
from tui.store.codec import SCHEMA_VERSION
from tui.store.records import ArticleState, Bookmark, Position, StoreError
from tui.store.transaction import AtomicJSONStorage

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
