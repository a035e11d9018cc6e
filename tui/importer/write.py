"""Writing imported articles: front matter, file names, and never losing a user's file.

- `article(meta, body)` makes the file's text: YAML front matter (safe_dump, keys in the order given),
  then the body.
- `file_stem(title)` makes a file name from a question: lower case ASCII words joined by hyphens, at most
  80 characters, never empty, never a name the command line takes for a subcommand.
- `write_article(root, imported, force)` writes `root/folder/stem.md`:
  - a new file is created with O_EXCL, so a file that appears meanwhile is never overwritten;
  - an existing file is left alone unless `force`; with `force`, only a regular file is replaced (written
    to a temporary file beside it, then renamed over it, so a failure leaves the old one whole);
  - a path that is a symlink, a folder, a FIFO or a device is never written, with or without `force`;
  - folders on the way are created, and must be folders (not symlinks to elsewhere).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tui.importer import Imported

MAX_STEM = 80
RESERVED = {"list", "show", "check", "search", "index", "bookmarks", "serve", "import"}
"""Ids the command line reads as subcommands (`qa-reader list`): an article named so gets a suffix."""


def article(meta: dict[str, Any], body: str) -> str:
    """Front matter (`---` YAML `---`) from `meta`, empty values left out, then the body."""
    kept = {key: value for key, value in meta.items() if value not in (None, "", [], {})}
    # LibYAML's dumper when there is one: the same text, four times quicker (a dump writes many articles)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    head = yaml.dump(
        kept, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return f"---\n{head}---\n\n{body.strip()}\n"


def file_stem(title: str) -> str:
    """`Is tea better than coffee for focus?` -> `is-tea-better-than-coffee-for-focus`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    stem = ""
    for word in words:
        if len(stem) + len(word) + 1 > MAX_STEM:
            break
        stem = f"{stem}-{word}" if stem else word
    stem = stem or "article"
    return f"{stem}-article" if stem in RESERVED else stem


class WriteRefused(Exception):
    """The article was not written; the message (one line) says why and what to do."""


class FolderRefused(WriteRefused):
    """The folder an article goes in cannot be used: nothing more can be written there."""


@dataclass(frozen=True)
class Written:
    path: Path
    replaced: bool


def write_article(root: Path, imported: Imported, force: bool = False) -> Written:
    """Write one article under `root`; WriteRefused when it would touch anything but our own regular file."""
    folder = _folder(root, imported.folder)
    path = folder / f"{imported.stem}.md"
    data = imported.markdown.encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        return _replace(path, data, force)
    except OSError as error:
        raise WriteRefused(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except BaseException as error:  # (ctrl+c too: no half-written article is left behind)
        path.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise WriteRefused(f"{path}: cannot write: {error.strerror or error}") from None
        raise
    return Written(path, replaced=False)


def _replace(path: Path, data: bytes, force: bool) -> Written:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        raise WriteRefused(f"{path}: a symlink is there; not written (move it away to import this)")
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(f"{path}: something other than a file is there; not written")
    if not force:
        raise WriteRefused(f"{path}: exists; not overwritten (--force to replace it)")
    if path.read_bytes() == data:
        return Written(path, replaced=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".import", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        os.replace(temp, path)
    except BaseException as error:
        Path(temp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise WriteRefused(f"{path}: cannot write: {error.strerror or error}") from None
        raise
    return Written(path, replaced=True)


def _folder(root: Path, sub: str) -> Path:
    """`root/sub`, created as needed; each part must be a real folder (not a symlink, not a file)."""
    folder = root
    for part in Path(sub).parts if sub else ():
        if part in ("", ".", "..") or "/" in part:
            raise FolderRefused(f"{sub!r}: not a folder name")
        folder = folder / part
        try:
            folder.mkdir()
        except FileExistsError:
            pass
        except OSError as error:
            raise FolderRefused(f"{folder}: cannot make the folder: {error.strerror or error}") from None
        if folder.is_symlink():
            raise FolderRefused(f"{folder}: a symlink, not a folder; nothing written there")
        if not folder.is_dir():
            raise FolderRefused(f"{folder}: not a folder; nothing written there")
    return folder
