"""What a source given to `qa-reader import` is: a Stack Exchange dump, a saved HTML page, or saved text.

Decided by what the source holds, not only by its name (a page saved as `page.txt` may be HTML):

- a folder holding `Posts.xml`, or a file named `Posts.xml` (any case), or an XML file whose first element
  is `<posts>`: a Stack Exchange dump;
- a file whose first non-blank characters are `<!doctype html`, `<html`, or which has `<head>`/`<body>`
  near its start, or named `.html`/`.htm`/`.xhtml`: a saved HTML page;
- any other file of text: a saved text page.

Refused, with a one-line reason: a folder without `Posts.xml`, an archive still packed (the dumps come as
`.7z`: extract it first), a file that is empty, binary (NUL bytes, or not text), not a regular file (a
FIFO, a device: never opened), or over the size limit for a page.
"""

from __future__ import annotations

import stat
from pathlib import Path

from tui.articles.files import NotAFile, read_file
from tui.importer import ImportProblem

PAGE_LIMIT = 16 * 1024 * 1024
"""A saved page larger than this is not a page (dumps, streamed, have no limit)."""
ARCHIVES = {
    b"7z\xbc\xaf\x27\x1c": "a 7z archive",
    b"PK\x03\x04": "a zip archive",
    b"\x1f\x8b": "a gzip file",
    b"BZh": "a bzip2 file",
    b"\xfd7zXZ\x00": "an xz file",
}


def kind_of(path: Path) -> str:
    """ "stackexchange", "html" or "text"; ImportProblem (worded for the user) for anything else."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImportProblem("not found") from None
    except OSError as error:
        raise ImportProblem(f"cannot be read: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        if _posts_in(path) is not None:
            return "stackexchange"
        raise ImportProblem("a folder without Posts.xml: give a Stack Exchange dump's folder, or the files")
    if not stat.S_ISREG(info.st_mode):
        raise ImportProblem("not a file (a FIFO, a device or a socket); not opened")
    if path.name.lower() == "posts.xml":
        return "stackexchange"
    with path.open("rb") as handle:
        head = handle.read(4096)
    for magic, what in ARCHIVES.items():
        if head.startswith(magic):
            raise ImportProblem(f"{what}: extract it first (for a dump: 7z x FILE), then import the folder")
    if not head.strip():
        raise ImportProblem("empty")
    if b"\x00" in head:
        raise ImportProblem("binary, not a saved page")
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<?xml") and b"<posts" in lowered:
        return "stackexchange"
    named = path.suffix.lower() in {".html", ".htm", ".xhtml"}
    marked = lowered.startswith((b"<!doctype html", b"<html", b"<!--")) or b"<body" in lowered
    if named or marked or b"<head" in lowered:
        return "html"
    return "text"


def posts_file(path: Path) -> Path:
    """The Posts.xml of a dump given as its folder or as the file itself."""
    return (_posts_in(path) or path) if path.is_dir() else path


def _posts_in(folder: Path) -> Path | None:
    try:
        for child in folder.iterdir():
            if child.name.lower() == "posts.xml" and child.is_file():
                return child
    except OSError:
        return None
    return None


def read_page(path: Path) -> str:
    """A saved page's text (UTF-8, else Latin-1 for an old page); ImportProblem when it is not text."""
    try:
        data = read_file(path, PAGE_LIMIT)
    except NotAFile as error:  # too large, or not a regular file (never opened)
        raise ImportProblem(error.strerror) from None
    except OSError as error:
        raise ImportProblem(f"cannot be read: {error.strerror or error}") from None
    if b"\x00" in data:
        raise ImportProblem("binary, not a saved page")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise ImportProblem("empty")
    return text
