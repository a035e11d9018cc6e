"""The walk of a content folder and the head of an article: shared by `Library.scan` and `Catalog.refresh`.

`walk` finds every `*.md` file under a root (sorted, hidden folders skipped, symlink loops and non-regular
files reported as problems) with its modification time and size, so the stored index can tell which files
changed without opening any. `read_head` takes an article's title, order and aliases from the beginning
of its text (front matter `title`/`order`/`aliases`, else the first level-1 heading) without markdown-it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tui.articles.files import kind_problem, read_file
from tui.articles.model import ArticleInfo, Problem
from tui.articles.scan import first_heading, front_matter_end
from tui.articles.text import clean, clean_line, humanize

HEAD_BYTES = 8192
"""How much of a file the cheap index reads for its title, order and aliases."""
_PROGRESS_EVERY = 500
"""Files found between two calls of a walk's `progress` (it is called after each folder too)."""


@dataclass
class Walk:
    """What a walk found: the articles, the other files and what could not be read."""

    files: list[tuple[str, int, int]] = field(default_factory=list)
    """(path relative to the root, posix, with `.md`; st_mtime_ns; st_size) of each article, sorted."""
    others: list[str] = field(default_factory=list)
    """Absolute paths (as found: root joined with the names) of the non-article files, for wikilinks."""
    problems: list[Problem] = field(default_factory=list)
    too_many: bool = False
    """The walk stopped early: it found more than its `limit` of articles."""


class _TooMany(Exception):
    """Raised inside the walk to stop it once it has found more than its limit."""


def walk(root: Path, limit: int | None = None, progress: Callable[[int], None] | None = None) -> Walk:
    """Every `*.md` under `root`, in sorted order, each folder's entries by name.

    Hidden folders (`.git`, `.obsidian`...) are skipped; a folder seen twice (a symlink loop), an
    unreadable folder and a `*.md` that is no regular file (a FIFO, a broken symlink...) become problems;
    a file named only `.md` is skipped with a problem. Dot files are articles too (tldr's `..md`). Other
    files not starting with a dot are listed in `others`. With `limit`, the walk stops as soon as it has
    found more than `limit` articles (`too_many`). `progress(found)` is called after each folder and every
    few hundred files (the caller decides how often to show it).
    """
    found = Walk()
    files = found.files
    problems = found.problems
    seen: set[tuple[int, int]] = set()

    def visit(folder: Path, prefix: str) -> None:
        try:
            status = folder.stat()
        except OSError as error:
            problems.append(Problem(folder, f"unreadable folder: {error.strerror}"))
            return
        key = (status.st_dev, status.st_ino)
        if key in seen:
            problems.append(Problem(folder, "symlink loop; skipped"))
            return
        seen.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            problems.append(Problem(folder, f"unreadable folder: {error.strerror}"))
            return
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir():
                    if not name.startswith("."):  # .git, .obsidian...: never articles
                        visit(Path(entry.path), f"{prefix}{name}/")
                elif name.endswith(".md"):
                    _found(entry, prefix, files, problems)
                    if limit is not None and len(files) > limit:
                        raise _TooMany
                    if progress is not None and len(files) % _PROGRESS_EVERY == 0:
                        progress(len(files))
                elif not name.startswith("."):  # an image, a PDF...: for wikilinks to files
                    found.others.append(entry.path)
            except OSError as error:
                problems.append(Problem(Path(entry.path), f"unreadable: {error.strerror}"))
        if progress is not None:
            progress(len(files))

    try:
        visit(root, "")
    except _TooMany:
        found.too_many = True
    return found


def _found(
    entry: os.DirEntry[str], prefix: str, files: list[tuple[str, int, int]], problems: list[Problem]
) -> None:
    """Add a `*.md` entry that is a regular file (a symlink to one counts) to `files`, with its stamp;
    anything else becomes a problem.

    Dot files are articles too (tldr's `..md` is the page for the `.` command); only a file named just
    `.md`, which has no name to make an id of, is skipped, with a problem saying so.
    """
    if entry.name == ".md":
        problems.append(Problem(Path(entry.path), "a file named only .md has no article name; skipped"))
        return
    try:
        status = entry.stat()  # (follows a symlink, as `is_file()` does)
    except OSError as error:
        if error.errno == errno.ELOOP:
            reason = "symlink loop"
        elif isinstance(error, FileNotFoundError):
            reason = "broken symlink" if entry.is_symlink() else "gone while listed"
        else:
            raise
        problems.append(Problem(Path(entry.path), f"{reason}; skipped"))
        return
    if stat.S_ISREG(status.st_mode):
        files.append((prefix + entry.name, status.st_mtime_ns, status.st_size))
    else:
        reason = kind_problem(status.st_mode) or "not a regular file"
        problems.append(Problem(Path(entry.path), f"{reason}; skipped"))


def read_info(path: Path, article_id: str) -> ArticleInfo:
    """The index entry of the file at `path`, from its first HEAD_BYTES (its name when it is unreadable)."""
    try:
        head = read_file(path, HEAD_BYTES, head=True)
    except OSError:
        return ArticleInfo(article_id, humanize(path.stem), path)
    return read_head(head, path, article_id)


def read_head(head: bytes | str, path: Path, article_id: str) -> ArticleInfo:
    """Title, order and aliases from the beginning of a file, without a full parse.

    `head` is the file's bytes (only the first HEAD_BYTES are looked at, NULs dropped, undecodable bytes
    replaced), or, for a file no longer than HEAD_BYTES and already decoded, its text as `text.decode`
    gives it: both give the same answer.
    """
    if isinstance(head, bytes):
        text = clean(head[:HEAD_BYTES].replace(b"\x00", b"").decode("utf-8", errors="replace"))
    else:
        text = head
    title, order, aliases = "", None, ()
    lines = text.lstrip("\ufeff").split("\n")
    start = front_matter_end(lines)
    if start:
        for number in range(1, start - 1):
            key, _, value = lines[number].partition(":")
            if key == "title" and value.strip():
                title = _yaml_scalar(value)
            elif key == "order":
                number_value = _yaml_scalar(value)
                try:
                    order = float(number_value)
                except ValueError:
                    order = None
            elif key in ("aliases", "alias"):  # (`alias` is Obsidian's older name for it)
                aliases = _yaml_names(value, lines[number + 1 : start - 1])
    if not title:
        heading = first_heading(lines, 1, start)
        title = heading.one_line if heading is not None else ""
    # One line, whatever the front matter holds ("a\nb") or the heading carries (a tab).
    title = clean_line(title).strip() or humanize(path.stem)
    return ArticleInfo(article_id, title, path, order, aliases)


def _yaml_scalar(value: str) -> str:
    """A one-line YAML scalar; simple quoted or plain values skip the (slow) YAML parser."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        inner = value[1:-1]
        if value[0] not in inner and "\\" not in inner:
            return inner.strip()
    elif value and value[0] not in "[{&*!|>'\"%@`#" and ": " not in value and " #" not in value:
        return value
    import yaml

    try:
        loaded = yaml.safe_load(value)
    except Exception:  # YAMLError, or RecursionError and the like on hostile input: use the text as is
        return value.strip("'\"")
    # YAML escapes (\e, \x1b, \a...) decode to control characters: clean after decoding, not before.
    return clean(str(loaded)).strip() if loaded is not None else ""


def _yaml_names(value: str, following: list[str]) -> tuple[str, ...]:
    """A front matter list of names, on its key's line (`[a, b]`, or one name) or as a block list on the
    lines after it (`- a`); the cheap index reads `aliases` with it."""
    value = value.strip()
    items: list[str] = []
    if not value:
        for line in following:
            stripped = line.strip()
            if stripped.startswith("- ") or stripped == "-":
                items.append(_yaml_scalar(stripped[1:]))
            elif stripped and not stripped.startswith("#"):
                break
    elif value.startswith("["):
        simple = _flow_items(value)
        if simple is not None:
            items = simple
        else:
            import yaml

            try:
                loaded = yaml.safe_load(value)
            except Exception:  # YAMLError, or RecursionError and the like on hostile input: no aliases
                loaded = None
            if isinstance(loaded, list):
                items = [
                    clean(str(item))
                    for item in loaded
                    if item is not None and not isinstance(item, (list, dict))
                ]
    else:
        items = [_yaml_scalar(value)]
    return tuple(dict.fromkeys(name for name in (clean_line(item).strip() for item in items) if name))


_PLAIN_FLOW = re.compile(r"[\w .\-/]*(?:,[\w .\-/]*)*")


def _flow_items(value: str) -> list[str] | None:
    """The items of a one-line YAML flow list of plain or simply quoted names (`[a, 'b', "c, d"]`), read
    without the (slow) YAML parser; None for anything else (nesting, escapes, anchors...)."""
    if not value.endswith("]"):
        return None
    inner = value[1:-1]
    if _PLAIN_FLOW.fullmatch(inner):  # the usual `[note, other name]`: nothing to unquote or look into
        return [item.strip() for item in inner.split(",")]
    if "[" in inner or "]" in inner or "{" in inner or "}" in inner or "\\" in inner:
        return None
    items: list[str] = []
    position = 0
    while position <= len(inner):
        while position < len(inner) and inner[position] in " \t":
            position += 1
        mark = inner[position : position + 1]
        if mark in ("'", '"'):
            end = inner.find(mark, position + 1)
            if end == -1:
                return None
            item = inner[position + 1 : end]
            comma = inner.find(",", end + 1)
            if inner[end + 1 : comma if comma != -1 else len(inner)].strip():
                return None  # something after the closing quote (or a doubled '' escape)
        else:
            comma = inner.find(",", position)
            item = inner[position : comma if comma != -1 else len(inner)].strip()
            if item and item[0] in "&*!|>%@`#":  # YAML's anchors, tags, block scalars...: leave to YAML
                return None
            item = _yaml_scalar(item) if item else ""
        if item or comma != -1:
            items.append(item)
        if comma == -1:
            return items
        position = comma + 1
    return items
