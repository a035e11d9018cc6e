"""A folder of articles: a cheap index first, full parses on demand (cached), link resolution and checks.

The index reads only the head of each file (front matter `title`/`order`, else the first level-1 heading,
found by scan.py without markdown-it), so a folder of thousands of notes lists fast; `article()` parses one
file fully and remembers it until the file changes on disk.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tui.articles.cache import ArticleCache
from tui.articles.files import kind_problem, read_file
from tui.articles.model import Article, ArticleInfo, Footnote, Problem, Section, Span, note_label
from tui.articles.scan import first_heading, front_matter_end
from tui.articles.text import FOOTNOTE_REF, clean, clean_line, decode, humanize

_HEAD_BYTES = 8192
LARGE = 96_000
"""Files bigger than this open with a preview of their beginning while the rest is parsed."""
PREVIEW_BYTES = 24_000


def bundled_content() -> Path:
    """The articles that ship with qa-reader: inside the installed package, else in the source tree."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "content", here.parent / "content"):
        if candidate.is_dir():
            return candidate
    return here / "content"


def article_id_of(relative: Path) -> str:
    """The id of the article at `relative` (a path under the root): the path without `.md`.

    Taken off the text, so every `*.md` name gives an id and no two files give the same one: `..md` (tldr's
    page for the `.` command) is `.`, `sub/..md` is `sub/.`, `.bashrc.md` is `.bashrc`.
    """
    return relative.as_posix().removesuffix(".md")


@dataclass(frozen=True)
class LinkTarget:
    """Where a link in an article leads.

    kind: "article" (another article, maybe at `section`), "section" (a place in the same article),
    "web" (an http(s)/mailto URL, opened only on an explicit action), or "refused" (outside the content
    folder, missing, or not an article); `message` says why for the user.
    """

    kind: str
    article_id: str = ""
    section: str = ""
    url: str = ""
    message: str = ""


class Library:
    """The articles under one root folder."""

    def __init__(self, root: Path | str, cache: ArticleCache | None = None) -> None:
        self.root = Path(root)
        self.disk_cache = cache
        self.problems: list[Problem] = []
        self._infos: list[ArticleInfo] = []
        self._by_id: dict[str, int] = {}
        self._cache: dict[str, tuple[tuple[int, int], Article]] = {}
        self._scanned = False

    # -- index ----------------------------------------------------------------------------------------
    def scan(self) -> list[ArticleInfo]:
        """Find every `*.md` under the root (hidden folders and symlink loops skipped) and index it."""
        infos: list[ArticleInfo] = []
        self.problems = []
        if not self.root.is_dir():
            self.problems.append(Problem(self.root, "not a folder of articles"))
        else:
            for path in self._walk():
                article_id = article_id_of(path.relative_to(self.root))
                infos.append(self._head(path, article_id))
        infos.sort(key=_sort_key)
        self._infos = infos
        self._by_id = {info.id: index for index, info in enumerate(infos)}
        self._scanned = True
        return infos

    @property
    def infos(self) -> list[ArticleInfo]:
        """The index, in reading order (front matter `order`, then title)."""
        if not self._scanned:
            self.scan()
        return self._infos

    def __len__(self) -> int:
        return len(self.infos)

    def info(self, article_id: str) -> ArticleInfo | None:
        """The index entry for an id."""
        index = self._by_id.get(article_id) if self._scanned else None
        if index is None and not self._scanned:
            self.scan()
            index = self._by_id.get(article_id)
        return self._infos[index] if index is not None else None

    def _walk(self) -> list[Path]:
        found: list[Path] = []
        seen: set[tuple[int, int]] = set()

        def visit(folder: Path) -> None:
            try:
                stat = folder.stat()
            except OSError as error:
                self.problems.append(Problem(folder, f"unreadable folder: {error.strerror}"))
                return
            key = (stat.st_dev, stat.st_ino)
            if key in seen:
                self.problems.append(Problem(folder, "symlink loop; skipped"))
                return
            seen.add(key)
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError as error:
                self.problems.append(Problem(folder, f"unreadable folder: {error.strerror}"))
                return
            for entry in entries:
                try:
                    if entry.is_dir():
                        if not entry.name.startswith("."):  # .git, .obsidian...: never articles
                            visit(Path(entry.path))
                    elif entry.name.endswith(".md"):
                        self._found(entry, found)
                except OSError as error:
                    self.problems.append(Problem(Path(entry.path), f"unreadable: {error.strerror}"))

        visit(self.root)
        return found

    def _found(self, entry: os.DirEntry[str], found: list[Path]) -> None:
        """Add a `*.md` entry that is a regular file to `found`; anything else becomes a problem.

        Dot files are articles too (tldr's `..md` is the page for the `.` command); only a file named
        just `.md`, which has no name to make an id of, is skipped, with a problem saying so.
        """
        path = Path(entry.path)
        if entry.name == ".md":
            self.problems.append(Problem(path, "a file named only .md has no article name; skipped"))
        elif entry.is_file():
            found.append(path)
        else:
            try:
                reason = kind_problem(entry.stat().st_mode) or "not a regular file"
            except OSError as error:
                if error.errno == errno.ELOOP:
                    reason = "symlink loop"
                elif isinstance(error, FileNotFoundError):
                    reason = "broken symlink" if entry.is_symlink() else "gone while listed"
                else:
                    raise
            self.problems.append(Problem(path, f"{reason}; skipped"))

    def _head(self, path: Path, article_id: str) -> ArticleInfo:
        """Title and order from the first few KB of a file, without a full parse."""
        try:
            head = read_file(path, _HEAD_BYTES, head=True)
        except OSError:
            return ArticleInfo(article_id, humanize(path.stem), path)
        text = clean(head.replace(b"\x00", b"").decode("utf-8", errors="replace"))
        title, order = "", None
        lines = text.lstrip("\ufeff").split("\n")
        start = front_matter_end(lines)
        if start:
            for line in lines[1 : start - 1]:
                key, _, value = line.partition(":")
                if key == "title" and value.strip():
                    title = _yaml_scalar(value)
                elif key == "order":
                    number_value = _yaml_scalar(value)
                    try:
                        order = float(number_value)
                    except ValueError:
                        order = None
        if not title:
            heading = first_heading(lines, 1, start)
            title = heading.one_line if heading is not None else ""
        # One line, whatever the front matter holds ("a\nb") or the heading carries (a tab).
        return ArticleInfo(article_id, clean_line(title).strip() or humanize(path.stem), path, order)

    # -- articles -------------------------------------------------------------------------------------
    def article(self, article_id: str) -> Article | None:
        """The fully parsed article, from the cache while the file is unchanged; None for an unknown id."""
        found = self.cached(article_id)
        info = self.info(article_id)
        if found is not None or info is None:
            return found
        from tui.articles.parse import parse_file

        stamp = _stamp(info.path)
        article = parse_file(info.path, article_id)
        if self.disk_cache is not None:
            self.disk_cache.save(article, stamp)
        return self._remember(article, stamp)

    def cached(self, article_id: str) -> Article | None:
        """The full parse, if it is cached (in memory or on disk) and the file has not changed since."""
        info = self.info(article_id)
        if info is None:
            return None
        stamp = _stamp(info.path)
        cached = self._cache.get(article_id)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        if self.disk_cache is not None:
            article = self.disk_cache.load(info.path, stamp, article_id)
            if article is not None:
                return self._remember(article, stamp)
        return None

    def _remember(self, article: Article, stamp: tuple[int, int]) -> Article:
        """Keep a full parse in memory; the index takes its title and order (the parse knows best)."""
        self._cache[article.id] = (stamp, article)
        index = self._by_id.get(article.id)
        if index is not None:
            info = self._infos[index]
            title = clean_line(article.title)  # the index lists titles one per line
            if title != info.title or article.order != info.order:
                self._infos[index] = replace(info, title=title, order=article.order)
        return article

    def preview(self, article_id: str) -> Article | None:
        """A quick parse of the beginning of a long file (`complete` False); the full article otherwise.

        The preview is cut at a heading after PREVIEW_BYTES, and carries the footnote definitions its
        references need, so they are numbered exactly as in the full parse and it renders as a prefix of it.
        """
        info = self.info(article_id)
        if info is None:
            return None
        try:
            size = info.path.stat().st_size
        except OSError:
            size = 0
        if size <= LARGE:
            return self.article(article_id)
        # Even a cached parse of a long file (from disk) takes longer to load than a preview to make.
        in_memory = self._cache.get(article_id)
        if in_memory is not None and in_memory[0] == _stamp(info.path):
            return in_memory[1]
        text = _read_text(info.path)
        if text is None:
            return self.article(article_id)
        cut = text.find("\n#", PREVIEW_BYTES)
        if cut == -1:
            return self.article(article_id)
        return _parse_part(text[:cut], text[cut:].split("\n"), info.path, article_id)

    def tail_preview(self, article_id: str) -> Article | None:
        """A quick parse of the end of a long file, for `G` before the whole file is parsed.

        Its footnotes carry the numbers they have in the whole file (first-reference order, as GitHub
        numbers them), so the last screen reads exactly as it will once the full parse replaces it.
        None when the file is not long or has no usable end.
        """
        info = self.info(article_id)
        if info is None:
            return None
        try:
            if info.path.stat().st_size <= LARGE:
                return None
        except OSError:
            return None
        text = _read_text(info.path)
        if text is None:
            return None
        lines = text.split("\n")
        body_end = len(lines)
        while body_end and (
            not lines[body_end - 1].strip() or lines[body_end - 1].startswith(("[^", "    "))
        ):
            body_end -= 1  # the footnote definitions gathered at the end are not part of the text
        body = "\n".join(lines[:body_end])
        cut = body.find("\n#", max(0, len(body) - PREVIEW_BYTES))
        if cut <= 0:
            return None
        order: dict[str, int] = {}
        for match in FOOTNOTE_REF.finditer(body):
            order.setdefault(match.group(1), len(order) + 1)
        article = _parse_part(body[cut:], lines[body_end:], info.path, article_id)
        local = {note.number: order.get(note.label, note.number) for note in article.footnotes}
        return _renumber(article, local)

    def resolve(self, id_or_path: str) -> str | None:
        """An article id for an id, or for a path to one of this library's files."""
        if self.info(id_or_path) is not None:
            return id_or_path
        stripped = id_or_path.removesuffix(".md")
        if self.info(stripped) is not None:
            return stripped
        path = Path(id_or_path)
        if path.exists():
            try:
                relative = path.resolve().relative_to(self.root.resolve())
            except ValueError:
                return None
            article_id = article_id_of(relative)
            return article_id if self.info(article_id) is not None else None
        return None

    def resolve_link(self, article_id: str, href: str) -> LinkTarget:
        """Where a link found in `article_id` leads; relative links never leave the content folder."""
        href = href.strip()
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "mailto"):
            return LinkTarget("web", url=href)
        if parts.scheme or parts.netloc:
            return LinkTarget("refused", url=href, message=f"Not followed: {href} is not a web link")
        fragment = unquote(parts.fragment)
        if not parts.path:
            return LinkTarget("section", article_id, fragment)
        info = self.info(article_id)
        base = info.path.parent if info is not None else self.root
        # Resolved by the names in the path, not by where symlinks point: an article reached through a
        # symlink inside the folder is as linkable as it is listable, and `..` still cannot climb out.
        target = Path(os.path.normpath(os.path.join(os.path.abspath(base), unquote(parts.path))))
        try:
            relative = target.relative_to(os.path.abspath(self.root))
        except ValueError:
            return LinkTarget("refused", message=f"Not followed: {href} leads outside the content folder")
        if target.suffix != ".md":
            return LinkTarget("refused", message=f"Not followed: {href} is not an article")
        target_id = article_id_of(relative)
        if self.info(target_id) is None:
            return LinkTarget("refused", message=f"Not followed: {href} does not exist")
        return LinkTarget("article", target_id, fragment)

    # -- checking -------------------------------------------------------------------------------------
    def check(self) -> list[Problem]:
        """Every problem in the folder: unreadable files, bad front matter, footnotes, comparisons, links."""
        self.scan()
        problems = list(self.problems)
        for info in self.infos:
            article = self.article(info.id)
            if article is None:
                continue
            problems.extend(article.problems)
            for href in article.links:
                target = self.resolve_link(info.id, href)
                if target.kind == "refused" and not urlsplit(href).scheme:
                    problems.append(Problem(info.path, f"link {href!r}: {target.message.split(': ', 1)[-1]}"))
                elif target.kind in ("article", "section") and target.section:
                    linked = self.article(target.article_id)
                    if linked is not None and linked.section(target.section) is None:
                        problems.append(Problem(info.path, f"link {href!r}: no section #{target.section}"))
            for related in article.related:
                if self.info(related) is None:
                    problems.append(Problem(info.path, f"related article {related!r} does not exist"))
        return problems


def _renumber(value: Any, numbers: dict[int, int]) -> Any:
    """A copy of a model object with footnote numbers changed (local number -> number in the file)."""
    if isinstance(value, Span) and value.note is not None:
        number = numbers.get(value.note, value.note)
        return Span(note_label(number), value.style, value.link, number)
    if isinstance(value, Footnote):
        return replace(
            value, number=numbers.get(value.number, value.number), inline=_renumber(value.inline, numbers)
        )
    if isinstance(value, Section):
        return replace(value, notes=tuple(numbers.get(n, n) for n in value.notes))
    if isinstance(value, tuple):
        return tuple(_renumber(item, numbers) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _renumber(getattr(value, f.name), numbers) for f in fields(value) if f.name != "front"
        }
        return replace(value, **changes)
    return value


def _read_text(path: Path) -> str | None:
    """A file's decoded, cleaned text; None when it cannot be read, is not a regular file, or is binary."""
    try:
        text, _ = decode(read_file(path), path)
    except OSError:
        return None
    return text


def _parse_part(part: str, rest: list[str], path: Path, article_id: str) -> Article:
    """Parse a piece of a long file, with the footnote definitions (found in `rest`) that it cites."""
    from tui.articles.parse import parse_text

    cited = set(FOOTNOTE_REF.findall(part))
    definitions = "\n".join(
        line for line in rest if line.startswith("[^") and line[2 : line.find("]")] in cited
    )
    article = parse_text(part + "\n\n" + definitions + "\n", path, article_id)
    return replace(article, complete=False, problems=())


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


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


def _sort_key(info: ArticleInfo) -> tuple[int, float, str, str]:
    order = info.order
    return (0 if order is not None else 1, order or 0.0, info.title.casefold(), info.id)
