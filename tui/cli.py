"""Command line: arguments and subcommands (list / show / check / bookmarks); starts the reader.

`qa-reader [ARTICLE]` opens the reader; the first word `list`, `show`, `check` or `bookmarks` picks a
subcommand instead (an article whose id is one of those words opens with its path: `qa-reader ./list.md`).
Nothing here imports Textual until the reader itself starts, so the subcommands stay quick.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tui import __version__

if TYPE_CHECKING:
    from tui.articles import Library

SUBCOMMANDS = ("list", "show", "check", "search", "bookmarks")
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
"""A command-line value that cannot be used (such as --db naming a folder)."""


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
            "  bookmarks   list or export your bookmarks"
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
        "ID#SECTION  question  snippet.",
    }
    parser = argparse.ArgumentParser(prog=f"qa-reader {name}", description=descriptions[name])
    if name == "show":
        parser.add_argument("article", metavar="ID_OR_PATH", help="article id, or path to a .md file")
    if name == "search":
        parser.add_argument("words", nargs="+", metavar="WORDS", help="words that must all appear")
        parser.add_argument("--json", action="store_true", help="print a JSON array")
        parser.add_argument("--limit", type=int, default=50, metavar="N", help="at most N hits (default 50)")
    parser.add_argument("--content", metavar="DIR", help=_content_help())
    if name == "list":
        parser.add_argument("--json", action="store_true", help="print a JSON array")
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
            options = _sub_parser(name).parse_args(args)
            commands = {
                "list": cmd_list,
                "show": cmd_show,
                "check": cmd_check,
                "search": cmd_search,
                "bookmarks": cmd_bookmarks,
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


def _out(text: object = "", file: TextIO | None = None) -> None:
    """Print a line with any control characters removed: names and titles come from untrusted files."""
    from tui.articles.text import clean

    print(clean(str(text)), file=file or sys.stdout)


def _line(text: object) -> str:
    """A stored or derived name, title or id for one line of output: no line breaks, tabs or bidi controls."""
    from tui.articles.text import clean_line

    return clean_line(str(text))


def _error(message: str) -> int:
    _out(f"qa-reader: {message}", file=sys.stderr)
    return EXIT_PROBLEMS


def _library(option: str | None) -> Library:
    from tui.articles import Library

    return Library(content_root(option))


def _resolve(id_or_path: str, content: str | None) -> tuple[Library, str | None]:
    """(library, id) for an id in the content folder or a path to a .md file (its folder is the root)."""
    from tui.articles import Library

    path = Path(id_or_path).expanduser()
    if id_or_path.endswith(".md") and path.is_file():
        root = content_root(content)
        library = Library(root)
        found = library.resolve(str(path)) if content else None
        if found is None:
            library = Library(path.resolve().parent)
            found = library.resolve(str(path))
        return library, found
    library = Library(content_root(content))
    return library, library.resolve(id_or_path)


def cmd_list(options: argparse.Namespace) -> int:
    """`qa-reader list`."""
    library = _library(options.content)
    if not library.root.is_dir():
        return _error(f"{library.root}: not a folder of articles")
    if options.json:
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
        return 0
    # Ids and titles come from file names and front matter: one line each, whatever they hold.
    rows = [(_line(info.id), _line(info.title)) for info in library.infos]
    width = max((len(article_id) for article_id, _ in rows), default=0)
    for article_id, title in rows:
        _out(f"{article_id.ljust(width)}  {title}")
    return 0


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
    """`qa-reader check`."""
    library = _library(options.content)
    if not library.root.is_dir():
        return _error(f"{library.root}: not a folder of articles")
    problems = library.check()
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
    """`qa-reader search WORDS`: one hit per line; exit 1 when nothing matches."""
    from tui.articles.search import SearchIndex

    library = _library(options.content)
    if not library.root.is_dir():
        return _error(f"{library.root}: not a folder of articles")
    query = " ".join(options.words)
    hits = SearchIndex.build(library).search(query, max(1, options.limit))
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
            _out(f"{where}  {hit.title}  {hit.snippet.text}".rstrip())
    if not hits:
        _out(f"Nothing matches {query!r}.", file=sys.stderr)
        return EXIT_PROBLEMS
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
