"""Command line: arguments and subcommands (list / show / check / search / index / bookmarks); starts the
reader.

`qa-reader [ARTICLE]` opens the reader; the first word `list`, `show`, `check`, `search`, `index` or
`bookmarks` picks a subcommand instead (an article whose id is one of those words opens with its path:
`qa-reader ./list.md`). Nothing here imports Textual until the reader itself starts, so the subcommands stay
quick.

The stored index of a folder (tui/articles/catalog.py) is built or refreshed by `index`; `list` and `check`
refresh it and read the list from it, `search` searches it (building it first when there is none), `show`,
`bookmarks` and the reader look articles up in it when it is complete. Where this machine cannot keep one
(no FTS5 in SQLite, an unusable cache folder), they read every file, as they always did.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tui import __version__

if TYPE_CHECKING:
    from tui.articles import Library
    from tui.articles.catalog import Catalog

SUBCOMMANDS = ("list", "show", "check", "search", "index", "bookmarks", "serve", "import")
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
"""A command-line value that cannot be used (such as --db naming a folder)."""
EXIT_UNAVAILABLE = 3
"""`index`: this machine cannot keep a stored index (no FTS5 in SQLite, an unusable cache folder)."""
REPORT_EVERY = 0.2
"""Seconds between two progress lines of `index --report`."""
QUIET_FOR = 0.5
"""Seconds a refresh for `list`, `check` or `search` runs before it shows a progress bar (a stamp check
of a warm index usually ends before)."""


def _content_help() -> str:
    return "folder of articles (default: $QA_READER_CONTENT, else the bundled articles)"


def _db_help() -> str:
    return "reader data file (default: $QA_READER_DB, else reader.json in the user data folder)"


def content_root(option: str | None) -> Path:
    """--content, else $QA_READER_CONTENT, else the bundled articles."""
    from tui.articles import bundled_content

    value = option or os.environ.get("QA_READER_CONTENT")
    return Path(value).expanduser() if value else bundled_content()


def db_path(option: str | None) -> Path:
    """--db, else $QA_READER_DB, else the platform's user data folder."""
    value = option or os.environ.get("QA_READER_DB")
    if value:
        return Path(value).expanduser()
    from tui.store import default_db_path

    return default_db_path()


def _reader_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa-reader",
        description="A calm terminal reader for question-and-answer articles.",
        epilog=(
            "subcommands (each has its own --help):\n"
            "  list        list the articles: ID  question\n"
            "  show        print one article as text\n"
            "  check       validate a folder of articles\n"
            "  search      find articles by words\n"
            "  index       build or refresh the stored index of a folder\n"
            "  bookmarks   list or export your bookmarks\n"
            "  serve       the reader in a web browser\n"
            "  import      turn saved Q&A pages and Stack Exchange dumps into articles"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("article", nargs="?", metavar="ARTICLE", help="article id, or path to a .md file")
    parser.add_argument("--content", metavar="DIR", help=_content_help())
    parser.add_argument("--db", metavar="FILE", help=_db_help())
    parser.add_argument(
        "--theme",
        metavar="NAME",
        help="colour theme, remembered for the next start (default: the last one chosen; "
        "`--theme list` names them; ctrl+p > Change theme picks one while reading)",
    )
    parser.add_argument("--version", action="version", version=f"qa-reader {__version__}")
    return parser


def _sub_parser(name: str) -> argparse.ArgumentParser:
    descriptions = {
        "list": "List the articles, one per line: ID  question.",
        "show": "Print an article as text (plain when not a terminal): for a pipe or a pager.",
        "check": "Validate a folder of articles: one line per problem, `path: reason`; exit 1 if any.",
        "bookmarks": "List bookmarks, newest first: article > section, with their ids.",
        "search": "Find articles holding every word (case- and accent-insensitive), best first: "
        "ID#SECTION  question  snippet. Exact title matches come first, then titles that start with the "
        'words, then the best matches in titles, tags, headings and text. "two words" in quotes must '
        'appear together; -word (or -"two words") leaves out the articles that have it. Uses the stored '
        "index (see `qa-reader index`), built first when the folder has none.",
        "index": "Build or refresh the stored index of a folder of articles, which list, check, search and "
        "the reader use so that they do not read every file each time. Only files added, changed or "
        "removed since the last run are read. The index lives in the user cache folder (one SQLite file "
        "per folder); it is derived data: deleting it is always safe. A progress bar on a terminal, one "
        "line when piped; exit 3 when this machine cannot keep one (SQLite without FTS5, an unusable "
        "cache folder).",
        "serve": "Serve the reader to a web browser: open the URL it prints. Each browser tab is its own "
        "reader, with the same keys, articles and data file; closing a tab saves its place, ctrl+c stops "
        "the server (every tab's place saved). There is no sign-in: anyone who can reach the port can read "
        "the articles and change your bookmarks and likes, so only this machine can reach it unless you "
        "say --public.",
        "import": "Turn saved Q&A pages (text or HTML, as saved or copied from a browser) and Stack Exchange "
        "data dumps (a site's extracted folder, or its Posts.xml) into articles, ready to read: one line per "
        "article written. An existing article is never overwritten without --force; a source that is not "
        "what it claims gets a one-line error and the others still import (exit 1 if any did not).",
    }
    parser = argparse.ArgumentParser(prog=f"qa-reader {name}", description=descriptions[name])
    if name == "show":
        parser.add_argument("article", metavar="ID_OR_PATH", help="article id, or path to a .md file")
    if name == "search":
        parser.add_argument(
            "words",
            nargs="+",
            metavar="WORDS",
            help='words that must all appear; "a phrase" in quotes; -word to leave out',
        )
        parser.add_argument("--json", action="store_true", help="print a JSON array")
        parser.add_argument("--limit", type=int, default=50, metavar="N", help="at most N hits (default 50)")
    if name == "import":
        parser.add_argument("sources", nargs="+", metavar="SOURCE", help="a saved page, or a dump's folder")
        parser.add_argument(
            "--into",
            metavar="DIR",
            help="the folder of articles to write into (default: $QA_READER_CONTENT); created if missing",
        )
        parser.add_argument("--force", action="store_true", help="overwrite articles that exist already")
        return parser
    parser.add_argument("--content", metavar="DIR", help=_content_help())
    if name == "list":
        parser.add_argument("--json", action="store_true", help="print a JSON array")
    if name == "index":
        # For the reader, which builds in a child process: one line per step (see `_Report`).
        parser.add_argument("--report", action="store_true", help=argparse.SUPPRESS)
    if name == "serve":
        parser.add_argument("--db", metavar="FILE", help=_db_help())
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="address to serve on (default 127.0.0.1: this machine only); another needs --public",
        )
        parser.add_argument(
            "--port", type=int, default=8000, metavar="PORT", help="port (default 8000; 0 for any free port)"
        )
        parser.add_argument(
            "--public",
            action="store_true",
            help="allow a --host other machines can reach, and requests under any host name (behind a "
            "reverse proxy); there is no sign-in: anyone who can reach it can read the articles and change "
            "the reader data",
        )
        parser.add_argument(
            "--max-tabs",
            type=int,
            default=16,
            metavar="N",
            help="readers open at once, one per tab (default 16); a tab beyond them is told to try later",
        )
        parser.add_argument("--open", action="store_true", help="open the page in your web browser")
    if name == "bookmarks":
        parser.add_argument("--db", metavar="FILE", help=_db_help())
        formats = parser.add_mutually_exclusive_group()
        formats.add_argument("--json", action="store_true", help="print a JSON array")
        formats.add_argument("--markdown", action="store_true", help="print a Markdown list of links")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `qa-reader` and `python -m tui`; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            name = args.pop(0)
            if name == "search":
                args = [_EXCLUDED + arg if _is_exclusion(arg) else arg for arg in args]
            options = _sub_parser(name).parse_args(args)
            if name == "search":
                options.words = [word.removeprefix(_EXCLUDED) for word in options.words]
            commands = {
                "list": cmd_list,
                "show": cmd_show,
                "check": cmd_check,
                "search": cmd_search,
                "index": cmd_index,
                "bookmarks": cmd_bookmarks,
                "serve": cmd_serve,
                "import": cmd_import,
            }
            return commands[name](options)
        return cmd_read(_reader_parser().parse_args(args))
    except BrokenPipeError:
        # `qa-reader show x | head`: the reader of the pipe left; that is fine.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


_EXCLUDED = "\x00"
"""Put before a search's `-word` while argparse reads the arguments, so it takes it for a word."""


def _is_exclusion(arg: str) -> bool:
    """Whether a search argument is a `-word` to leave out, not an option (`-h`, `--json`...)."""
    return len(arg) > 1 and arg[0] == "-" and arg[1] != "-" and arg != "-h"


def _out(text: object = "", file: TextIO | None = None) -> None:
    """Print a line with any control characters removed: names and titles come from untrusted files."""
    from tui.articles.text import clean

    print(clean(str(text)), file=file or sys.stdout)


def _line(text: object) -> str:
    """A stored or derived name, title or id for one line of output: no line breaks, tabs or bidi controls."""
    text = str(text)
    if text.isprintable():  # (the usual case, and quick: no control, format or separator character)
        return text
    from tui.articles.text import clean_line

    return clean_line(text)


def _error(message: str) -> int:
    _out(f"qa-reader: {message}", file=sys.stderr)
    return EXIT_PROBLEMS


def _library(option: str | None) -> Library:
    """The library of --content (or its default), for looking articles up (`_reading_library`)."""
    return _reading_library(content_root(option))


def _reading_library(root: Path) -> Library:
    """A library for looking articles up: the folder's stored index when it is complete (not refreshed:
    an article added since is still found by its file), else the folder itself, listed unless it holds
    more than LIST_BEFORE_PAINT articles."""
    from tui.articles import Library
    from tui.articles.library import LIST_BEFORE_PAINT

    catalog = _complete_catalog(root)
    library = Library(root, catalog=catalog)
    if catalog is None and root.is_dir():
        library.scan(limit=LIST_BEFORE_PAINT)
    return library


def _complete_catalog(root: Path) -> Catalog | None:
    """The folder's stored index, opened for reading, if it exists and is complete; never builds one."""
    import sqlite3

    from tui.articles.catalog import Catalog, CatalogUnavailable

    try:
        catalog = Catalog.open(root)
    except (CatalogUnavailable, sqlite3.Error, OSError):
        return None
    try:
        if catalog.complete():
            return catalog
    except (CatalogUnavailable, sqlite3.Error):
        pass
    catalog.close()
    return None


def _refreshed_catalog(root: Path, reuse: bool = False) -> Catalog | None:
    """The folder's stored index, built or refreshed first (re-reading only the files changed since), or
    reused as it is when `reuse` and it is complete; None, said in one line on stderr, when this machine
    cannot keep one. A progress bar on stderr when it is a terminal and this takes a while."""
    import sqlite3

    from tui.articles.catalog import Catalog, CatalogUnavailable

    if reuse:
        catalog = _complete_catalog(root)
        if catalog is not None:
            return catalog
    bar = _Bar(delay=QUIET_FOR, transient=True) if _terminal(sys.stderr) else None
    try:
        with Catalog.open(root, write=True) as builder:  # (holding the builders' lock only while it writes)
            builder.refresh(bar)
        return Catalog.open(root)
    except (CatalogUnavailable, sqlite3.Error, OSError) as error:
        _unavailable(error)
        return None
    finally:
        if bar is not None:
            bar.close()


def _unavailable(error: Exception) -> None:
    """Say on stderr, in one line, why there is no stored index to use."""
    _out(f"qa-reader: no stored index ({_line(error)}); reading every file", file=sys.stderr)


def _listing_library(root: Path) -> Library:
    """A library whose list comes from the refreshed stored index (from the files without one)."""
    from tui.articles import Library

    return Library(root, catalog=_refreshed_catalog(root))


def _terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # (a replaced or closed stream)
        return False


class _Bar:
    """A refresh's progress as a bar on stderr: the files found while walking, then the files read.

    With `delay`, it shows only once the refresh has run that long (a quick one never flickers);
    `transient` bars are wiped when done.
    """

    def __init__(self, delay: float = 0.0, transient: bool = False) -> None:
        self._show_at = time.monotonic() + delay
        self._transient = transient
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self._progress is None:
            if time.monotonic() < self._show_at:
                return
            self._start()
        if phase == "walk":
            self._progress.update(
                self._task, description="Finding articles", count=f"{done:,} found", total=None
            )
            return
        if phase == "reading":  # import: the bytes of a dump
            mb = 1024 * 1024
            description, count = "Reading the dump", f"{done / mb:,.0f}/{total / mb:,.0f} MB"
        else:  # an index refresh's files read, or (import) a dump's questions written
            description = "Writing articles" if phase == "writing" else "Reading articles"
            count = f"{done:,}/{total:,}"
        self._progress.update(
            self._task,
            description=description,
            count=count,
            total=max(total, 1),
            completed=done if total else 1,
        )

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=self._transient,
        )
        self._task = self._progress.add_task("Finding articles", total=None, count="")
        self._progress.start()

    def close(self) -> None:
        """Stop drawing (a transient bar is wiped)."""
        if self._progress is not None:
            self._progress.stop()


class _Report:
    """A refresh's progress for the reader, which runs `index --report` as a child process: `walk N` and
    `read DONE TOTAL` lines on stdout, flushed, at most every REPORT_EVERY seconds (the first of each
    phase at once)."""

    def __init__(self) -> None:
        self._phase = "walk"
        self._last = time.monotonic()
        self._line = "walk 0"
        _say(self._line)  # (at once: before the imports and the opening of the database)

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self._phase and now - self._last < REPORT_EVERY:
            return
        line = f"walk {done}" if phase == "walk" else f"read {done} {total}"
        if line != self._line:
            self._phase, self._last, self._line = phase, now, line
            _say(line)


def _say(line: str) -> None:
    """One protocol line of `index --report`, flushed at once."""
    print(line, flush=True)


def _resolve(id_or_path: str, content: str | None) -> tuple[Library, str | None]:
    """(library, id) for an id in the content folder or a path to a .md file (its folder is the root)."""
    path = Path(id_or_path).expanduser()
    if id_or_path.endswith(".md") and path.is_file():
        root = content_root(content)
        library = _reading_library(root) if content else None
        found = library.resolve(str(path)) if library is not None else None
        if library is None or found is None:
            library = _reading_library(path.resolve().parent)
            found = library.resolve(str(path))
        return library, found
    library = _library(content)
    return library, library.resolve(id_or_path)


def cmd_list(options: argparse.Namespace) -> int:
    """`qa-reader list`: from the stored index, refreshed first."""
    root = content_root(options.content)
    if not root.is_dir():
        return _error(f"{root}: not a folder of articles")
    library = _listing_library(root)
    try:
        _list(library, options.json)
    finally:
        if library.catalog is not None:
            library.catalog.close()
    return 0


def _list(library: Library, as_json: bool) -> None:
    """Print the list: `ID  question` lines, or a JSON array with what a full parse of each tells."""
    if as_json:
        rows = []
        for info in library.infos:
            article = library.article(info.id)
            rows.append(
                {
                    "id": info.id,
                    "title": article.title if article else info.title,
                    "path": str(info.path),
                    "summary": article.summary if article else "",
                    "sections": len(article.sections) if article else 0,
                    "footnotes": len(article.footnotes) if article else 0,
                    "comparisons": len(article.comparisons) if article else 0,
                    "tags": list(article.tags) if article else [],
                }
            )
        _out(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    # Ids and titles come from file names and front matter: one line each, whatever they hold.
    rows = [(_line(info.id), _line(info.title)) for info in library.infos]
    width = max((len(article_id) for article_id, _ in rows), default=0)
    lines = [f"{article_id.ljust(width)}  {title}\n" for article_id, title in rows]
    for start in range(0, len(lines), 1000):  # (already clean: written as they are, many at a time)
        sys.stdout.write("".join(lines[start : start + 1000]))


def cmd_show(options: argparse.Namespace) -> int:
    """`qa-reader show ID_OR_PATH`."""
    from rich.console import Console

    from tui.articles.plain import show

    library, article_id = _resolve(options.article, options.content)
    if article_id is None:
        return _error(f"no article {options.article!r} in {library.root}")
    article = library.article(article_id)
    if article is not None:  # `![[Page#Heading]]`: the embedded text, as the reader shows it
        article = library.expand_embeds(article)
    console = Console(highlight=False, markup=False, emoji=False)
    width = min(console.width, 100) if console.is_terminal else 80
    show(article, console, width)
    return 0


def cmd_check(options: argparse.Namespace) -> int:
    """`qa-reader check`: the list from the stored index, refreshed first; every article parsed."""
    root = content_root(options.content)
    if not root.is_dir():
        return _error(f"{root}: not a folder of articles")
    library = _listing_library(root)
    try:
        problems = library.check()
    finally:
        if library.catalog is not None:
            library.catalog.close()
    for problem in problems:
        _out(problem)
    count = len(library.infos)
    noun = "article" if count == 1 else "articles"
    if problems:
        _out(f"{len(problems)} problem(s) in {count} {noun}", file=sys.stderr)
        return EXIT_PROBLEMS
    _out(f"{count} {noun}, no problems", file=sys.stderr)
    return 0


def cmd_search(options: argparse.Namespace) -> int:
    """`qa-reader search WORDS`: one hit per line; exit 1 when nothing matches.

    A complete stored index is searched as it is (its hits are checked against their files); a missing
    or unfinished one is built first; without one, every file is read into the in-memory index.
    """
    root = content_root(options.content)
    if not root.is_dir():
        return _error(f"{root}: not a folder of articles")
    query = " ".join(options.words)
    limit = max(1, options.limit)
    hits = None
    catalog = _refreshed_catalog(root, reuse=True)
    if catalog is not None:
        from tui.articles.catalog import CatalogUnavailable

        try:
            hits = catalog.search(query, limit, typing=False)
        except CatalogUnavailable as error:  # (the file went bad under us)
            _unavailable(error)
        finally:
            catalog.close()
    if hits is None:
        from tui.articles import Library
        from tui.articles.search import SearchIndex

        hits = SearchIndex.build(Library(root)).search(query, limit, typing=False)
    if options.json:
        rows = [
            {
                "id": hit.article_id,
                "title": hit.title,
                "section": hit.section_id,
                "section_title": hit.section_title,
                "snippet": hit.snippet.text,
            }
            for hit in hits
        ]
        _out(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for hit in hits:
            where = f"{hit.article_id}#{hit.section_id}" if hit.section_id else hit.article_id
            _out(f"{_line(where)}  {_line(hit.title)}  {_line(hit.snippet.text)}".rstrip())
    if not hits:
        _out(f"Nothing matches {query!r}.", file=sys.stderr)
        return EXIT_PROBLEMS
    return 0


def cmd_index(options: argparse.Namespace) -> int:
    """`qa-reader index`: build or refresh the stored index; with `--report`, the protocol of `_Report`,
    ended by `ready ARTICLES ADDED CHANGED REMOVED` (exit 0), `unavailable REASON` (exit 3) or
    `failed REASON` (exit 1)."""
    started = time.monotonic()
    show: Callable[[str, int, int], None] | None = _Report() if options.report else None
    report = show is not None
    root = content_root(options.content)
    if not root.is_dir():
        if report:
            _say(f"failed {_line(root)}: not a folder of articles")
        return _error(f"{root}: not a folder of articles")
    import sqlite3

    from tui.articles.catalog import Catalog, CatalogUnavailable

    if not report and _terminal(sys.stderr):
        show = _Bar()
        show("walk", 0, 0)  # (on screen before the first folder is listed)
    try:
        try:
            catalog = Catalog.open(root, write=True)
        except CatalogUnavailable as error:
            if report:
                _say(f"unavailable {_line(error)}")
            _out(f"qa-reader: no stored index: {error}", file=sys.stderr)
            return EXIT_UNAVAILABLE
        try:
            done = catalog.refresh(show)
        finally:
            catalog.close()
    except (sqlite3.Error, OSError) as error:
        if report:
            _say(f"failed {_line(error)}")
        return _error(f"the index could not be built: {error}")
    except Exception as error:  # (the reader says why its build failed; the traceback goes to stderr)
        if not report:
            raise
        _say(f"failed {type(error).__name__}: {_line(error)}")
        raise
    finally:
        if isinstance(show, _Bar):
            show.close()
    if report:
        _say(f"ready {done.articles} {done.added} {done.changed} {done.removed}")
        return 0
    noun = "article" if done.articles == 1 else "articles"
    _out(
        f"indexed {done.articles} {noun}: {done.added} added, {done.changed} changed, "
        f"{done.removed} removed ({time.monotonic() - started:.1f} s); index at {catalog.path}"
    )
    return 0


def cmd_bookmarks(options: argparse.Namespace) -> int:
    """`qa-reader bookmarks`: newest first; stale ones (article or section gone) are marked, not dropped."""
    from tui.store import Store, StoreError
    from tui.upgrade import upgrade_section_ids

    store = Store(db_path(options.db))
    if store.refused:
        _out(f"qa-reader: {store.refused}", file=sys.stderr)
        return EXIT_USAGE
    for notice in store.notices:
        _out(f"qa-reader: {notice}", file=sys.stderr)
    library = _library(options.content)
    with suppress(StoreError):  # not saved: the old ids show as stale and are tried again next time
        upgrade_section_ids(store, library)
    bundled = not (options.content or os.environ.get("QA_READER_CONTENT"))
    rows = []
    for bookmark in store.bookmarks():
        article = library.article(bookmark.article_id) if library.root.is_dir() else None
        section = article.section(bookmark.section_id) if article else None
        rows.append(
            {
                "article_id": bookmark.article_id,
                "section_id": bookmark.section_id,
                "article_title": article.title if article else bookmark.article_title,
                "section_title": section.title if section else bookmark.section_title,
                "created": bookmark.created,
                "note": bookmark.note,
                "stale": section is None,
                "path": str(article.path) if article else "",
                # A link that survives a reinstall: the bundled articles by id (the installed package's
                # folder changes with every venv), a content folder's articles by the path as given.
                "link": (article.id if bundled else str(article.path)) if article else "",
            }
        )
    if options.json:
        _out(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        _out("No bookmarks yet. In the reader, press b on a section to bookmark it.", file=sys.stderr)
        return 0
    for row in rows:
        stale = " (stale: no longer in the articles)" if row["stale"] else ""
        if options.markdown:
            label = f"{_line(row['article_title'])} > {_line(row['section_title'])}"
            label = label.replace("[", "\\[").replace("]", "\\]")
            target = f"{row['link']}#{row['section_id']}" if row["link"] else f"#{row['section_id']}"
            note = f" — {_line(row['note'])}" if row["note"] else ""
            _out(f"- [{label}]({target}){stale}{note}")
        else:
            _out(f"{_line(row['article_title'])} > {_line(row['section_title'])}{stale}")
            when = _line(row["created"][:16].replace("T", " "))
            _out(f"    {_line(row['article_id'])}#{_line(row['section_id'])}  {when}")
    return 0


def cmd_serve(options: argparse.Namespace) -> int:
    """`qa-reader serve`: the reader in browser tabs, one reader process per tab (tui/serve.py)."""
    from tui import serve
    from tui.store import Store

    if not 0 <= options.port <= 65535:
        return _usage(f"--port {options.port}: a port is a number from 0 to 65535")
    root = content_root(options.content).resolve()
    if not root.is_dir():
        return _usage(f"{root}: not a folder of articles")
    db = db_path(options.db)
    store = Store(db)
    if store.refused:  # every tab would open read-only: say it once, here
        return _usage(str(store.refused))
    for notice in store.notices:
        _out(f"qa-reader: {notice}", file=sys.stderr)
    if options.max_tabs < 1:
        return _usage(f"--max-tabs {options.max_tabs}: at least 1")
    try:
        loopback = serve.is_loopback(options.host)
    except serve.ServeError as error:
        return _error(str(error))
    if not loopback and not options.public:
        return _usage(
            f"--host {options.host} can be reached from other machines, and qa-reader serve has no sign-in: "
            "anyone who can reach it could read the articles and change your reader data. Add --public if "
            "that is what you want."
        )
    try:
        sock = serve.bind(options.host, options.port)
    except serve.ServeError as error:
        return _error(str(error))
    if not loopback:
        _out(
            f"qa-reader: warning: serving on {options.host}, which other machines can reach. There is no "
            "sign-in: anyone who can reach this port can read these articles and change your bookmarks, "
            "likes and places.",
            file=sys.stderr,
        )
    url = serve.url_of(sock, options.host)

    def announce(line: str) -> None:
        _out(line)
        sys.stdout.flush()

    command = serve.reader_command(root, db.expanduser().absolute())
    return serve.run(
        command,
        sock,
        url,
        check_host=loopback and not options.public,
        max_tabs=options.max_tabs,
        announce=announce,
        open_browser=options.open,
    )


def cmd_import(options: argparse.Namespace) -> int:
    """`qa-reader import SOURCE...`: articles written into --into, one line each; problems on stderr."""
    from dataclasses import replace

    from tui.importer import Imported, ImportProblem, sources
    from tui.importer.write import FolderRefused, WriteRefused, write_article

    into_option = options.into or os.environ.get("QA_READER_CONTENT")
    if not into_option:
        return _usage("say where the articles go: --into DIR (or set QA_READER_CONTENT)")
    into = Path(into_option).expanduser()
    if into.exists() and not into.is_dir():
        return _usage(f"--into {into}: not a folder")
    try:
        into.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _error(f"--into {into}: cannot make the folder: {error.strerror or error}")

    problems = 0
    written = 0

    def problem(source: str, message: str) -> None:
        nonlocal problems
        problems += 1
        _out(f"qa-reader: {_line(source)}: {message}", file=sys.stderr)

    taken: set[tuple[str, str]] = set()  # (folder, stem) written in this run

    def write(source: str, article: Imported) -> None:
        nonlocal written
        stem, number = article.stem, 1
        while (article.folder, stem) in taken:  # two sources of this run want one name: both are kept
            number += 1
            stem = f"{article.stem}-{number}"
        if stem != article.stem:
            article = replace(article, stem=stem)
        try:
            done = write_article(into, article, force=options.force)
        except FolderRefused:
            raise  # (a dump's folder: said once, by _import_dump)
        except WriteRefused as error:
            problem(source, str(error))
            return
        taken.add((article.folder, stem))
        written += 1
        _out(f"{'replaced' if done.replaced else 'wrote'} {_line(str(done.path))}")
        for note in article.notes:  # what the importer could not place exactly (kept as text)
            _out(f"qa-reader: {_line(source)}: note: {_line(note)}", file=sys.stderr)

    kinds: dict[str, str] = {}
    for source in options.sources:
        try:
            kinds[source] = sources.kind_of(Path(source).expanduser())
        except ImportProblem as error:
            problem(source, str(error))
    pages = [source for source, kind in kinds.items() if kind in ("text", "html")]
    made = _import_pages(pages, kinds, into, problem)
    for source in pages:
        if source in made:
            write(source, made[source])
    for source, kind in kinds.items():
        if kind == "stackexchange":
            _import_dump(Path(source).expanduser(), source, write, problem)
    _out(
        f"qa-reader: {written} article{'s' if written != 1 else ''} written into {_line(str(into))}"
        + (f"; {problems} problem{'s' if problems != 1 else ''} (above)" if problems else ""),
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if problems else 0


def _import_pages(
    pages: list[str], kinds: dict[str, str], into: Path, problem: Callable[[str, str], None]
) -> dict[str, Any]:
    """Saved pages -> Imported, by source. A text page's "Further Discussion" questions link to articles
    of the same title: those already in the folder, and the other pages of this run (so a first pass
    finds every page's title)."""
    from tui.articles import Library
    from tui.importer import ImportProblem, sources
    from tui.importer.html import from_html
    from tui.importer.text import from_text

    texts: dict[str, str] = {}
    for source in pages:
        try:
            texts[source] = sources.read_page(Path(source).expanduser())
        except ImportProblem as error:
            problem(source, str(error))
    known: dict[str, str] = {}
    if any(kinds[source] == "text" for source in texts):
        library = Library(into)
        known = {info.title: info.id for info in library.infos}  # (from_text compares them folded)
    for source, text in texts.items():  # first, the titles of this run's text pages
        if kinds[source] == "text":
            with suppress(ImportProblem):  # (said in the pass below)
                first = from_text(text)
                known.setdefault(first.title, first.stem)
    made: dict[str, Any] = {}
    for source, text in texts.items():
        try:
            made[source] = from_html(text) if kinds[source] == "html" else from_text(text, known=known)
        except ImportProblem as error:
            problem(source, str(error))
    return made


def _import_dump(
    path: Path, source: str, write: Callable[[str, Any], None], problem: Callable[[str, str], None]
) -> None:
    from tui.importer import ImportProblem
    from tui.importer.stackexchange import from_dump
    from tui.importer.write import FolderRefused

    bar = _Bar(delay=0.3) if _terminal(sys.stderr) else None
    try:
        for article in from_dump(path, progress=bar):
            write(source, article)
    except (ImportProblem, FolderRefused) as error:  # the dump's folder cannot be used: said once
        problem(source, str(error))
    finally:
        if bar is not None:
            bar.close()


def _usage(message: str) -> int:
    _out(f"qa-reader: {message}", file=sys.stderr)
    return EXIT_USAGE


def _theme_names() -> list[str]:
    from textual.theme import BUILTIN_THEMES

    return sorted(BUILTIN_THEMES)


def cmd_read(options: argparse.Namespace) -> int:
    """`qa-reader [ARTICLE]`: the reader."""
    if options.theme is not None and options.theme not in _theme_names():
        if options.theme == "list":
            _out("\n".join(_theme_names()))
            return 0
        _error(f"no theme {options.theme!r}; the themes are: {', '.join(_theme_names())}")
        return 2  # a usage error, as argparse's own
    # The list is read before the first paint from a complete stored index, or from a small folder; a
    # big folder without one is listed and indexed after it (tui/screens/index_keeper.py).
    if options.article:
        library, article_id = _resolve(options.article, options.content)
        if article_id is None:
            return _error(f"no article {options.article!r} in {library.root}")
    else:
        library, article_id = _library(options.content), None
    from platformdirs import user_cache_path

    from tui.articles.cache import ArticleCache

    # Parsed articles are kept between runs so the reader starts without re-parsing (see cache.py).
    library.disk_cache = ArticleCache(user_cache_path("qa-reader") / "articles", background=True)
    if not library.root.is_dir():
        return _error(f"{library.root}: not a folder of articles")
    from tui.app import ReaderApp

    app = ReaderApp(library, db_path(options.db), article_id, theme=options.theme)
    # What start-up imported stays for the whole run: moved out of the collector's sight, the first
    # collections (one falls in the first article's parse) no longer walk every module's objects
    # again (20-40 ms of the first paint, measured with tests/bench_vault.py).
    gc.freeze()
    app.run()
    return app.return_code or 0
