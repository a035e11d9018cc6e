"""The data file on disk: read it safely, replace it atomically and durably, lock it.

Nothing here knows about the store's state (read-only, notices): failures are raised as
:class:`OSError`, :class:`NotAFile`, :class:`~tui.store.codec.BadFile` or :class:`LockTimeout`, and
:mod:`tui.store.recovery` decides what they mean for the user.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import stat
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

from tui.articles.files import file_kind
from tui.store.codec import BadFile, LazyTables, encode, parse

NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}
"""errno values meaning "this location cannot be written" (not e.g. a full disk)."""
_FSYNC_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF}
"""errno values from fsync on a folder that only mean "not supported here"."""
TOLD_AFTER = 0.25
"""Seconds a write waits for another process's lock before ``on_wait`` is called."""


class NotAFile(Exception):
    """Something that is not a regular file is at a path of ours: it is never moved or written."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LockTimeout(Exception):
    """Another process held the lock for longer than the write was willing to wait."""


def strerror(exc: OSError) -> str:
    """A short lower-case reason for an OSError ("permission denied")."""
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NONBLOCK)


def load(path: Path, full: bool = False) -> LazyTables:
    """Read and parse the file now (``full``: parse every table at once).

    Returns no tables if the file does not exist or is empty.  Raises
    :class:`NotAFile` (a folder, a FIFO, a device...), :class:`BadFile`
    (corrupt, permission denied), :class:`~tui.store.codec.NewerSchema`, or
    :class:`OSError` for other read failures.
    """
    try:
        # O_NONBLOCK: a FIFO or device at the path must not hang the reader.
        with open(path, "rb", opener=_open_nonblocking) as fh:
            kind = os.fstat(fh.fileno()).st_mode
            if not stat.S_ISREG(kind):
                raise NotAFile(f"is {file_kind(kind)}, not a file")
            raw = fh.read()
    except FileNotFoundError:
        return LazyTables()
    except IsADirectoryError:
        raise NotAFile("is a folder, not a file") from None
    except PermissionError as exc:
        raise BadFile(f"cannot be read ({strerror(exc)})") from None
    except ValueError:  # e.g. a NUL character in the path
        raise OSError(errno.EINVAL, "Invalid file name") from None
    if not raw:
        return LazyTables()  # an empty file holds nothing to lose
    return parse(raw, full)


def save(path: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` atomically and durably (temp file, fsync, replace, fsync folder).

    Raises :class:`OSError` if the file cannot be written, or
    :class:`TypeError`/:class:`ValueError` if the data is not JSON-able.
    """
    raw = encode(data)
    folder = path.parent
    tmp = folder / f"{temp_prefix(path)}{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        mode = os.stat(path).st_mode & 0o7777
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
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    """fsync a folder so a rename in it is durable (ignored where unsupported)."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def temp_prefix(path: Path) -> str:
    """Name prefix of the file's temporary files (``.reader.json.``)."""
    return f".{path.name}."


def clean_temps(path: Path) -> None:
    """Delete the temp files of ``path`` left by a writer that died mid-write.

    Call it holding the lock: every writer creates its temp file while holding
    the lock, so under the lock any temp file of ours is a leftover.
    """
    prefix = temp_prefix(path)
    with suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            if (
                entry.name.startswith(prefix)
                and entry.name.endswith(".tmp")
                and entry.is_file(follow_symlinks=False)
            ):
                with suppress(OSError):
                    os.unlink(entry.path)


def lock_problem(lock_path: Path) -> str | None:
    """Why the lock file's path cannot be used (it is not a regular file), or None."""
    try:
        mode = os.lstat(lock_path).st_mode
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        reason = strerror(exc) if isinstance(exc, OSError) else "invalid file name"
        return f"the lock file {lock_path} cannot be checked ({reason})"
    if stat.S_ISREG(mode):
        return None
    return f"the lock file {lock_path} is {file_kind(mode)}, not a file"


def open_lock(lock_path: Path) -> int:
    """Open (creating it if needed) the lock file and return its fd; never follows a symlink.

    Raises :class:`OSError`, or :class:`NotAFile` if what was opened is not a regular file (swapped in
    after :func:`lock_problem` looked).
    """
    flags = os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | flags, 0o600)
    except PermissionError:
        fd = os.open(lock_path, os.O_RDONLY | flags)  # flock works on a read-only fd
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotAFile(f"is {file_kind(mode)}")
    return fd


def wait_for_lock(fd: int, timeout: float, on_wait: Callable[[], None] | None) -> None:
    """Take the exclusive flock on ``fd``, waiting up to ``timeout`` seconds.

    ``on_wait`` is called once if the wait lasts :data:`TOLD_AFTER` seconds.  Raises
    :class:`LockTimeout`, or :class:`OSError` if the lock cannot be taken at all.
    """
    deadline = time.monotonic() + timeout
    told = time.monotonic() + TOLD_AFTER
    delay = 0.0005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            now = time.monotonic()
            if now >= deadline:
                raise LockTimeout from None
            if told and now >= told:
                told = 0.0
                if on_wait is not None:
                    on_wait()
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
