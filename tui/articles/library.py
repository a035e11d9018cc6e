"""A folder of articles: a cheap index first, full parses on demand (cached), link resolution and checks.

The index reads only the head of each file (front matter `title`/`order`/`aliases`, else the first level-1
heading, found by scan.py without markdown-it), so a folder of thousands of notes lists fast; `article()`
parses one file fully and remembers it until the file changes on disk.

Wikilinks (`[[Page]]`, `[[folder/Page#Heading]]`, `![[img.png]]`) resolve as Obsidian resolves them: by file
name anywhere under the root, case-insensitive, the shortest path first; then by front matter alias. The
names are indexed once per scan (`_Names`), so resolving one is a dict look-up: the reading pane asks for
every wikilink it draws.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import sqlite3
import stat
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from tui.articles.cache import ArticleCache
from tui.articles.files import file_stamp, read_file
from tui.articles.model import (
    Article,
    ArticleInfo,
    Block,
    Embed,
    Footnote,
    Heading,
    ListBlock,
    Problem,
    Section,
    Span,
    note_label,
)
from tui.articles.text import FOOTNOTE_REF, clean_line, decode, slugify
from tui.articles.walk import read_info, walk

LARGE = 96_000
"""Files bigger than this open with a preview of their beginning while the rest is parsed."""
PREVIEW_BYTES = 24_000
LIST_BEFORE_PAINT = 2_000
"""A folder without a complete stored index is listed before the reader's first paint (and before `show`
looks an article up) only when it holds at most this many articles (reading the head of each costs about
0.1 ms); a bigger one is listed later, by the first build, and articles are looked up by their file
meanwhile."""
BLOCK_REFERENCE = "Block references (#^…) are not supported: this is the page that holds the block."

if TYPE_CHECKING:
    from tui.articles.catalog import Catalog


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
    "web" (an http(s)/mailto URL, opened only on an explicit action), "file" (another file inside the
    content folder, an image or a PDF, at `path`), or "refused" (outside the content folder, missing, or
    not an article); `message` says why for the user. An "article" or "section" target may carry a
    `message` too: the page exists but the heading named in a wikilink does not (`section` is then empty).
    """

    kind: str
    article_id: str = ""
    section: str = ""
    url: str = ""
    message: str = ""
    path: Path | None = None


@dataclass(frozen=True)
class _Names:
    """The names a wikilink may use, built once per scan: every path suffix (`Page`, `folder/Page`...) of
    every article and of every other file, and every alias, folded (`_fold`), each to the first owner in
    Obsidian's order: the shortest path (fewest folders), then alphabetical."""

    pages: dict[str, str]
    """Folded suffix of an article id -> the id."""
    aliases: dict[str, str]
    """Folded front matter alias -> the article id."""
    files: dict[str, str]
    """Folded suffix of another file's path (with its extension) -> its path relative to the root."""


class Library:
    """The articles under one root folder.

    The list comes from a walk of the folder (`scan`), or from the folder's stored index (`catalog`, see
    catalog.py) when it has one: then `info(id)` asks the catalog for that one row until the whole list is
    needed (`infos`, `len`, wikilink names), which `load_from_catalog` reads in one go (from any thread).
    """

    def __init__(
        self, root: Path | str, cache: ArticleCache | None = None, catalog: Catalog | None = None
    ) -> None:
        self.root = Path(root)
        self.disk_cache = cache
        self.catalog = catalog
        """The folder's stored index, complete (or being built, for the reader), if it has one."""
        self.problems: list[Problem] = []
        self.too_many = False
        """The last `scan(limit)` stopped early: the folder has more than `limit` articles (none listed)."""
        self._infos: list[ArticleInfo] = []
        self._by_id: dict[str, int] = {}
        self._cache: dict[str, tuple[tuple[int, int], Article]] = {}
        self._scanned = False
        self._other_files: list[str] = []  # the paths of the non-article files found by the last scan
        self._names: _Names | None = None  # built on the first wikilink after a scan
        self._looked_up: dict[str, ArticleInfo | None] = {}  # info() answers before the list is loaded
        self._lock = threading.Lock()  # (the list is swapped in whole: a thread may load it)

    # -- index ----------------------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        """Whether the whole list is in memory (scanned, or read from the catalog)."""
        return self._scanned

    def scan(self, limit: int | None = None) -> list[ArticleInfo]:
        """Find every `*.md` under the root (hidden folders and symlink loops skipped) and index it.

        With `limit`, a folder holding more articles than that is not listed: the walk stops there,
        `too_many` is set and the list stays unloaded (the reader then lists it after its first paint).
        """
        infos: list[ArticleInfo] = []
        problems: list[Problem] = []
        others: list[str] = []
        if not self.root.is_dir():
            problems.append(Problem(self.root, "not a folder of articles"))
        else:
            found = walk(self.root, limit)
            if found.too_many:
                self.too_many = True
                return []
            problems, others = found.problems, found.others
            for relative, _, _ in found.files:
                infos.append(self._head(self.root / relative, relative.removesuffix(".md")))
        infos.sort(key=_sort_key)
        self._swap(infos, others, problems)
        return infos

    def load_from_catalog(self) -> list[ArticleInfo]:
        """Read the whole list, the other files and the problems from the catalog (a scan without one).

        Safe to call from a thread while another asks `info()`: the new list replaces the old at once.
        """
        catalog = self.catalog
        if catalog is None:
            return self.scan()
        from tui.articles.catalog import CatalogUnavailable

        try:
            infos, others, problems = catalog.infos(), catalog.others(), catalog.problems()
        except (CatalogUnavailable, sqlite3.ProgrammingError):  # (gone bad, or closed, under us)
            if self.catalog is not catalog:  # (replaced meanwhile by a fresher one: read that)
                return self.load_from_catalog()
            self.catalog = None  # (the folder itself is still there)
            return self.scan()
        self._swap(infos, others, problems)
        return infos

    def _swap(self, infos: list[ArticleInfo], others: list[str], problems: list[Problem]) -> None:
        """Make `infos` (in reading order) the list, with what was found beside it."""
        by_id = {info.id: index for index, info in enumerate(infos)}
        with self._lock:
            self._infos, self._by_id = infos, by_id
            self._other_files, self.problems = others, problems
            self._names = None
            self._looked_up = {}
            self.too_many = False
            self._scanned = True

    @property
    def infos(self) -> list[ArticleInfo]:
        """The index, in reading order (front matter `order`, then title)."""
        if not self._scanned:
            self.load_from_catalog()
        return self._infos

    def __len__(self) -> int:
        return len(self.infos)

    def info(self, article_id: str) -> ArticleInfo | None:
        """The index entry for an id.

        Before the list is loaded, one row of the catalog, or (a folder found too big to list) the head
        of that one file; without either, the folder is scanned first.
        """
        if not self._scanned:
            if self.catalog is None and not self.too_many:
                self.scan()
            else:
                return self._look_up(article_id)
        with self._lock:
            index = self._by_id.get(article_id)
            return self._infos[index] if index is not None else None

    def _look_up(self, article_id: str) -> ArticleInfo | None:
        """One entry, without loading the list: the catalog's row, else (a file added since the catalog
        was refreshed, or no catalog) read from the article's file."""
        looked_up = self._looked_up
        if article_id in looked_up:
            return looked_up[article_id]
        catalog = self.catalog
        found = None
        if catalog is not None:
            from tui.articles.catalog import CatalogUnavailable

            with contextlib.suppress(CatalogUnavailable):  # (then its file tells)
                found = catalog.info(article_id)
        if found is None:
            found = self._read_one(article_id)
        looked_up[article_id] = found
        return found

    def _read_one(self, article_id: str) -> ArticleInfo | None:
        """The entry of one article read from its file, if the walk would list it (no hidden folder on
        the way, a regular file)."""
        *folders, name = article_id.split("/")
        if not name or any(not folder or folder.startswith(".") for folder in folders):
            return None
        path = self.root / f"{article_id}.md"
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return None
        except (OSError, ValueError):
            return None
        return self._head(path, article_id)

    def _head(self, path: Path, article_id: str) -> ArticleInfo:
        """Title and order from the first few KB of a file, without a full parse."""
        return read_info(path, article_id)

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
        title = clean_line(article.title)  # the index lists titles one per line
        with self._lock:
            index = self._by_id.get(article.id)
            info = self._infos[index] if index is not None else self._looked_up.get(article.id)
            if info is None or (title == info.title and article.order == info.order):
                return article
            info = replace(info, title=title, order=article.order)
            if index is not None:
                self._infos[index] = info
            else:
                self._looked_up[article.id] = info
        return article

    def preview(self, article_id: str) -> Article | None:
        """A quick parse of the beginning of a long file (`complete` False); the full article otherwise.

        The preview is cut at a heading after PREVIEW_BYTES, and carries the footnote definitions its
        references need, so they are numbered exactly as in the full parse and it renders as a prefix of it.
        """
        info = self.info(article_id)
        if info is None:
            return None
        if _size(info) <= LARGE:
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
        """Where a link found in `article_id` leads; relative links never leave the content folder.

        `wiki:` hrefs (the parser's wikilinks) resolve by name (`_resolve_wiki`); a link to a file that is
        no article (an image) is a "file" target when the file exists.
        """
        href = href.strip()
        if href.startswith("wiki:"):
            return self._resolve_wiki(article_id, href[5:])
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
            if target.is_file():
                return self._file_target(target, unquote(parts.path))
            if not os.path.lexists(target):
                return LinkTarget("refused", message=f"Not found: {unquote(parts.path)}")
            return LinkTarget("refused", message=f"Not followed: {href} is not an article")
        target_id = article_id_of(relative)
        if self.info(target_id) is None:
            return LinkTarget("refused", message=f"Not followed: {href} does not exist")
        return LinkTarget("article", target_id, fragment)

    def _file_target(self, path: Path, shown: str) -> LinkTarget:
        """A file inside the folder to hand to the system's opener, unless it is a symlink that leads out
        of the folder (`pic.png -> ~/private.sh`): what is opened is what the link's name points to."""
        try:
            path.resolve().relative_to(self.root.resolve())
        except (OSError, ValueError):
            return LinkTarget("refused", message=f"Not followed: {shown} leads outside the content folder")
        return LinkTarget("file", path=path)

    def link_resolves(self, article_id: str, href: str) -> bool:
        """Whether a link leads somewhere, without reading the target (a dict look-up for a wikilink).

        For the reading pane, which draws an unresolved wikilink apart and asks for every one it draws: a
        `[[Page#Heading]]` counts as resolved when the page exists (the heading is checked by `check`).
        """
        href = href.strip()
        if href.startswith("wiki:"):
            return self._resolve_wiki(article_id, href[5:], sections=False).kind != "refused"
        return self.resolve_link(article_id, href).kind != "refused"

    # -- wikilinks and embeds ---------------------------------------------------------------------------
    def _resolve_wiki(self, article_id: str, target: str, sections: bool = True) -> LinkTarget:
        """Where a wikilink's target (`Page`, `folder/Page.md`, `Page#Heading`, `#Heading`, `img.png`)
        leads. `sections`: look the heading up in the target (a full parse, cached) or leave it out."""
        page, _, heading = target.strip().partition("#")
        page = page.strip()
        # `[[Page#Part#Sub]]` (Obsidian's nested form) names the last heading.
        heading = heading.rsplit("#", 1)[-1].strip()
        if not page:
            found: str | None = article_id
        else:
            found = self.find_page(page)
            if found is None:
                path = self.find_file(page)
                if path is not None:
                    return self._file_target(path, page)
                return LinkTarget("refused", message=_not_found(page))
        kind = "article" if page else "section"
        if heading.startswith("^"):
            # A block reference: blocks have no ids in this reader (block references are unsupported),
            # so it leads to the page, and says so.
            return LinkTarget(kind, found, message=BLOCK_REFERENCE)
        if not heading or not sections:
            return LinkTarget(kind, found)
        article = self.article(found)
        section = _find_section(article, heading) if article is not None else None
        if section is None:
            where = article.title if article is not None else page
            return LinkTarget(kind, found, message=f"No section “{heading}” in {where}")
        return LinkTarget(kind, found, section.id)

    def find_page(self, name: str) -> str | None:
        """The article a wikilink's page part names (`Page`, `folder/Page`, `Page.md`, an alias), if any."""
        names = self._name_index()
        key = _fold(name.strip().strip("/"))
        if key.endswith(".md"):
            key = key[:-3]
        return names.pages.get(key) or names.aliases.get(_fold(name.strip()))

    def find_file(self, name: str) -> Path | None:
        """The file that isn't an article a wikilink names (`img.png`, `pics/img.png`), if it exists."""
        relative = self._name_index().files.get(_fold(name.strip().strip("/")))
        if relative is None:
            return None
        path = Path(os.path.abspath(self.root)) / relative
        return path if path.is_file() else None

    def _name_index(self) -> _Names:
        """The wikilink names of the last scan, built on first use."""
        names = self._names
        if names is None:
            names = self._names = self._build_names()
        return names

    def _build_names(self) -> _Names:
        root = os.path.abspath(self.root)
        pages: dict[str, str] = {}
        aliases: dict[str, str] = {}
        files: dict[str, str] = {}
        for info in sorted(self.infos, key=lambda info: _path_order(info.id)):
            _add_suffixes(pages, info.id, info.id)
            for alias in info.aliases:
                aliases.setdefault(_fold(alias), info.id)
        relatives = []
        for path in self._other_files:
            try:
                relatives.append(Path(os.path.relpath(os.path.abspath(path), root)).as_posix())
            except ValueError:  # (another drive, on Windows)
                continue
        for relative in sorted(relatives, key=_path_order):
            _add_suffixes(files, relative, relative)
        return _Names(pages, aliases, files)

    def expand_embeds(self, article: Article) -> Article:
        """`article` with each `![[Page]]` / `![[Page#Heading]]` embed filled with the text it embeds.

        One level deep: the embedded text's own embeds stay unexpanded (followable links, with a note),
        so no cycle can recurse; a page embedding itself whole (or a section of itself that holds the
        embed) gets a note instead of its text. A missing page or section gets a note saying so. Not kept
        with the cached article: what it shows depends on other files.
        """
        if not article.embeds:
            return article
        blocks = tuple(
            _map_embeds(block, lambda embed, index=index: self._fill(embed, article, index))
            for index, block in enumerate(article.blocks)
        )
        return replace(article, blocks=blocks)

    def _fill(self, embed: Embed, host: Article, index: int) -> Embed:
        """One embed of `host` (in its top-level block `index`), filled, or with a note saying why not."""
        page, _, heading = embed.target.strip().partition("#")
        page = page.strip()
        heading = heading.rsplit("#", 1)[-1].strip()
        found = self.find_page(page) if page else host.id
        if found is None:
            return replace(embed, note=f"No page named “{page}”.")
        if heading.startswith("^"):
            return replace(embed, note=BLOCK_REFERENCE)
        if found != host.id and self.cached(found) is None and _size(self.info(found)) > LARGE:
            # Parsed where the reader waits (the host is being shown): a long page is left as a link
            # rather than holding the screen for seconds.
            return replace(embed, note="A long page: shown as a link (enter opens it).")
        source = host if found == host.id else self.article(found)
        if source is None:
            return replace(embed, note=f"{page} could not be read.")
        if not heading:
            if source.id == host.id:
                return replace(embed, note="This page embeds itself; shown as a link.")
            blocks = _embedded(source, source.blocks[_body_start(source) :], host, self.find_page)
            return replace(embed, blocks=blocks, title=source.title)
        section = _find_section(source, heading)
        if section is None:
            return replace(embed, note=f"No section “{heading}” in {source.title}.")
        end = _section_end(source, section)
        if source.id == host.id and section.block < index < end:
            return replace(embed, note="This section embeds itself; shown as a link.")
        blocks = _embedded(source, source.blocks[section.block + 1 : end], host, self.find_page)
        title = f"{source.title} › {section.title}"
        return replace(embed, blocks=blocks, title=title, note="" if blocks else "The section is empty.")

    def _embed_problem(self, article_id: str, target: str) -> str | None:
        """What is wrong with an embed's target, worded for `check`; None when it shows."""
        page, _, heading = target.strip().partition("#")
        page, heading = page.strip(), heading.rsplit("#", 1)[-1].strip()
        found = self.find_page(page) if page else article_id
        if found is None:
            return "no such file" if _is_file_name(page) else "no such page"
        if heading and not heading.startswith("^"):
            article = self.article(found)
            if article is not None and _find_section(article, heading) is None:
                return f"no section {heading}"
        return None

    # -- checking -------------------------------------------------------------------------------------
    def check(self) -> list[Problem]:
        """Every problem in the folder: unreadable files, bad front matter, footnotes, comparisons, links."""
        self.load_from_catalog()  # (a scan, without a catalog)
        problems = list(self.problems)
        for info in self.infos:
            article = self.article(info.id)
            if article is None:
                continue
            problems.extend(article.problems)
            problems.extend(self._wiki_problems(info, article))
            for href in article.links:
                if href.startswith("wiki:"):
                    continue  # (reported by _wiki_problems)
                target = self.resolve_link(info.id, href)
                if target.kind == "refused" and not urlsplit(href).scheme:
                    missing = target.message.startswith("Not found")  # (a file that is no article)
                    reason = "not found" if missing else target.message.split(": ", 1)[-1]
                    problems.append(Problem(info.path, f"link {href!r}: {reason}"))
                elif target.kind in ("article", "section") and target.section:
                    linked = self.article(target.article_id)
                    if linked is not None and linked.section(target.section) is None:
                        problems.append(Problem(info.path, f"link {href!r}: no section #{target.section}"))
            for related in article.related:
                if self.info(related) is None:
                    problems.append(Problem(info.path, f"related article {related!r} does not exist"))
        return problems

    def _wiki_problems(self, info: ArticleInfo, article: Article) -> list[Problem]:
        """Unresolved wikilinks, missing embedded pages or sections, and missing images of one article."""
        problems = []
        for href in article.links:
            if not href.startswith("wiki:"):
                continue
            target = self.resolve_link(info.id, href)
            name = href[5:]
            if target.kind == "refused":
                what = "no such file" if _is_file_name(name.partition("#")[0].strip()) else "no such page"
                problems.append(Problem(info.path, f"wikilink [[{name}]]: {what}"))
            elif target.message and target.message != BLOCK_REFERENCE:
                heading = name.partition("#")[2].rsplit("#", 1)[-1].strip()
                problems.append(Problem(info.path, f"wikilink [[{name}]]: no section {heading}"))
        for embed in article.embeds:
            reason = self._embed_problem(info.id, embed)
            if reason is not None:
                problems.append(Problem(info.path, f"embed ![[{embed}]]: {reason}"))
        for href in article.images:
            target = self.resolve_link(info.id, href)
            if target.kind != "refused":
                continue
            name = href[5:] if href.startswith("wiki:") else href
            if target.message.startswith("Not found"):
                problems.append(Problem(info.path, f"image {name!r} not found"))
            else:
                problems.append(Problem(info.path, f"image {name!r}: {target.message.split(': ', 1)[-1]}"))
        return problems


def _fold(name: str) -> str:
    """A name as wikilinks compare them: case-insensitive, and the same whichever way its accents are
    composed (macOS file names come decomposed, typed links composed)."""
    return unicodedata.normalize("NFC", name).casefold()


def _path_order(relative: str) -> tuple[int, str]:
    """Obsidian's order among files of the same name: the shortest path (fewest folders) first, then
    alphabetical."""
    return (relative.count("/"), relative.casefold())


def _add_suffixes(index: dict[str, str], relative: str, value: str) -> None:
    """Index `value` under every path suffix of `relative` (`c`, `b/c`, `a/b/c`), folded; first one wins."""
    folded = _fold(relative)
    index.setdefault(folded, value)
    position = folded.find("/")
    while position != -1:
        index.setdefault(folded[position + 1 :], value)
        position = folded.find("/", position + 1)


def _is_file_name(name: str) -> bool:
    """Whether a wikilink names a file that is no article (it has an extension other than `.md`)."""
    extension = posixpath.splitext(name.strip())[1]
    return extension.lower() != ".md" and " " not in extension and any(ch.isalpha() for ch in extension)


def _not_found(name: str) -> str:
    """The message for a wikilink to a page or file that does not exist."""
    return f"Not found: {name}" if _is_file_name(name) else f"Not followed: no page named “{name}”"


def _find_section(article: Article, heading: str) -> Section | None:
    """The section a wikilink's heading names: its title (case-insensitive), else its id or slug."""
    folded = " ".join(heading.split()).casefold()
    for section in article.sections:
        if " ".join(section.title.split()).casefold() == folded:
            return section
    slug = slugify(heading)
    for section in article.sections:
        if section.id == heading or section.id == slug:
            return section
    return None


def _section_end(article: Article, section: Section) -> int:
    """The index of the block after `section`: the next heading of the same or a higher level."""
    for number in range(section.block + 1, len(article.blocks)):
        block = article.blocks[number]
        if isinstance(block, Heading) and block.level <= section.level:
            return number
    return len(article.blocks)


def _body_start(article: Article) -> int:
    """The first block after a leading H1 that repeats the title (render.py's `skip_title_block`, kept
    here so the content model needs no Rich)."""
    first = article.blocks[0] if article.blocks else None
    title = "".join(span.text for span in first.inline).strip() if isinstance(first, Heading) else None
    return 1 if isinstance(first, Heading) and first.level == 1 and title == article.title else 0


def _map_embeds(block: Block, fill: Callable[[Embed], Embed]) -> Block:
    """`block` with `fill(embed)` in place of each Embed in it (in quotes, callouts and lists too)."""
    if isinstance(block, Embed):
        return fill(block)
    if isinstance(block, ListBlock):
        items = tuple(_map_embeds(item, fill) for item in block.items)
        return (
            block
            if all(a is b for a, b in zip(items, block.items, strict=True))
            else replace(block, items=items)
        )
    inner = getattr(block, "blocks", None)  # Quote, ListItem, a callout: whatever holds blocks
    if isinstance(inner, tuple) and inner and is_dataclass(block):
        blocks = tuple(_map_embeds(child, fill) for child in inner)
        return (
            block
            if all(a is b for a, b in zip(blocks, inner, strict=True))
            else replace(block, blocks=blocks)
        )
    return block


def _embedded(
    source: Article, blocks: tuple[Block, ...], host: Article, find_page: Callable[[str], str | None]
) -> tuple[Block, ...]:
    """Blocks of `source` as they read inside `host`.

    Links are made to lead where they led in `source`: `[[#Heading]]` names the source page, and relative
    paths (`pics/img.png`, `other.md#part`) are rewritten from the source's folder to the host's. The
    source's own embeds stay links (one level deep), with a note. Footnote references keep their text
    (`[3]`) but no longer select a note: the number is the source's, and the host's panel holds its own
    notes (the source's are one enter away, on the embed's link).
    """
    source_folder = posixpath.dirname(source.id)
    host_folder = posixpath.dirname(host.id)

    def href(link: str) -> str:
        if link.startswith("wiki:"):
            return f"wiki:{source.id}{link[5:]}" if link.startswith("wiki:#") else link
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith("/"):
            return link
        path = parts.path or quote(posixpath.basename(source.id)) + ".md"  # `#part`: in the source
        if source_folder == host_folder:
            return link if parts.path or source.id == host.id else path + link
        moved = posixpath.relpath(
            posixpath.normpath(posixpath.join(quote(source_folder), path)), quote(host_folder) or "."
        )
        return (
            moved
            + (f"?{parts.query}" if parts.query else "")
            + (f"#{parts.fragment}" if parts.fragment else "")
        )

    def convert(value: Any) -> Any:
        if isinstance(value, Span):
            if value.note is not None:
                return Span(value.text, value.style, value.link)
            if value.link is not None:
                return Span(value.text, value.style, href(value.link))
            return value
        if isinstance(value, Embed):
            page, _, heading = value.target.partition("#")
            target = value.target if page.strip() else f"{source.id}#{heading}"
            if find_page(target.partition("#")[0]) == host.id:
                note = f"{source.title} embeds this page back; shown as a link."
            else:
                note = "Embedded in an embed: shown as a link, one level only."
            return Embed(target, (), value.title, note)
        if isinstance(value, tuple):
            return tuple(convert(item) for item in value)
        if is_dataclass(value) and not isinstance(value, type):
            return replace(value, **{f.name: convert(getattr(value, f.name)) for f in fields(value)})
        return value

    return convert(blocks)


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


def _size(info: ArticleInfo | None) -> int:
    """The size of an article's file in bytes (0 when unknown)."""
    try:
        return info.path.stat().st_size if info is not None else 0
    except OSError:
        return 0


def _stamp(path: Path) -> tuple[int, int]:
    """`file_stamp`, with (0, 0) for a file that is gone (never equal to a cached parse's stamp)."""
    return file_stamp(path) or (0, 0)


def _sort_key(info: ArticleInfo) -> tuple[int, float, str, str]:
    order = info.order
    return (0 if order is not None else 1, order or 0.0, info.title.casefold(), info.id)
