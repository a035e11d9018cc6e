"""The one way article files are opened: regular files only, never blocking, never more than a cap.

Every read of article content goes through `read_file`. A content folder is untrusted and can change
while the reader runs: an article replaced by a FIFO would block `open()` for ever (and with it `q` and
ctrl+c), one replaced by a symlink to /dev/zero would be read until memory runs out. So the file is opened
with O_NONBLOCK (a FIFO opens at once instead of waiting for a writer), O_NOCTTY (a terminal device never
becomes the controlling terminal) and O_CLOEXEC; the opened descriptor is checked with fstat, so what is
read is what was checked; and no more than a cap is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_BYTES = 16 * 1024 * 1024
"""The largest article opened. Decision: a file above it is refused, with a problem saying so, rather
than opened in part: cut at an arbitrary byte, an article would lose its end and the footnote definitions
gathered there, and a Markdown file of that size is a log or a dump rather than an answer to a question
(the biggest article in the benchmarks is 0.9 MB). The cheap index still lists it from its head."""

_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)


class NotAFile(OSError):
    """A path that was refused: not a regular file, or larger than the cap.

    Its `strerror` is the reason, worded to follow "unreadable: " (`a FIFO, not a file`), so callers that
    report `unreadable: {error.strerror}` for any OSError report this one clearly too.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(errno.EINVAL, reason, str(path))
        self.reason = reason


def file_kind(mode: int) -> str:
    """What an ``st_mode`` is, for messages: "a folder", "a FIFO", "a device"... (the store says it too)."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symlink"
    return "not a regular file"


def kind_problem(mode: int) -> str | None:
    """Why a file of this `st_mode` is not read (`a FIFO, not a file`...); None for a regular file."""
    return None if stat.S_ISREG(mode) else f"{file_kind(mode)}, not a file"


def too_large(limit: int) -> str:
    """The reason given for a file above `limit` bytes."""
    mib, rest = divmod(limit, 1024 * 1024)
    size = f"{mib} MiB" if mib and not rest else f"{limit} bytes"
    return f"larger than {size}; not opened"


def read_file(path: Path, limit: int = MAX_BYTES, *, head: bool = False) -> bytes:
    """The bytes of a regular file, never blocking and never more than `limit`.

    With `head` the first `limit` bytes are returned however long the file is (the cheap index reads only
    the beginning); without it a file longer than `limit` is refused. Raises NotAFile for a FIFO, device,
    folder or socket (checked before opening and again on the opened descriptor, so a file swapped in
    between is caught) or a file over the limit, and OSError when the file cannot be read.
    """
    # Checked before opening too: opening some devices has effects of its own (a tape rewinds).
    reason = kind_problem(os.stat(path).st_mode)
    if reason is not None:
        raise NotAFile(path, reason)
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        reason = kind_problem(info.st_mode)
        if reason is not None:
            raise NotAFile(path, reason)
        if not head and info.st_size > limit:
            raise NotAFile(path, too_large(limit))
        wanted = limit if head else limit + 1  # one byte more tells a file that grew past the cap
        chunks: list[bytes] = []
        size = 0
        while size < wanted:
            chunk = os.read(fd, min(wanted - size, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise NotAFile(path, too_large(limit))
    return b"".join(chunks)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """A file's modification time (ns) and size, to tell that it changed; None when it is gone."""
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


MEDIA = frozenset(
    {
        # images
        "avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp", "tif", "tiff", "heic", "ico",
        # audio
        "flac", "m4a", "mp3", "ogg", "oga", "opus", "wav", "3gp",
        # video
        "mkv", "mov", "mp4", "m4v", "ogv", "webm",
        # documents
        "pdf",
    }
)  # fmt: skip
"""Extensions (lower case, no dot) of the attachments a note links to: images, sound, video and PDF.
An embed `![[name.ext]]` of one is a file; of anything else (`![[Node.js]]`), a page."""
