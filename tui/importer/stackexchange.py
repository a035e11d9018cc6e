"""A Stack Exchange data dump (one site's `Posts.xml`, with `Users.xml` when present) -> one article per
question: the question's body first, then its answers (accepted first, then by score, then by date), each
a section headed by its author and score; the HTML bodies converted to Markdown with markdownify.

Two passes, so that a dump of any size imports in bounded memory:

1. `Posts.xml` (then `Users.xml`) is streamed with `xml.etree.ElementTree.iterparse`, each row cleared
   once read, into a temporary SQLite file (`posts`, indexed on `parent`; `users`: id -> display name),
   inserted in batches of at most 1,000 rows or 1 MB of text. The file (in the system's temporary
   folder, TMPDIR) is about as big as the dump, and goes when the import ends or is abandoned.
   Malformed XML, or a file whose root is not `<posts>`, raises ImportProblem here: before any article is
   yielded.
2. One article per question (PostTypeId 1), in Id order, with its answers (PostTypeId 2) queried by
   `parent`. Other post types (tag wikis, nominations: 3..8) and answers whose question is not in the
   dump are left out.

Decisions:
- The site (its host name, `cooking.stackexchange.com`) is `site`, else the dump folder's name when it
  looks like a host name (a trailing `-Posts`, as in the archive names, is dropped). It names the folder
  the articles go in and every address written. When the folder's name is no host name, the folder keeps
  that name, the addresses are relative (`/q/ID` in front matter; none in the text, where a relative
  link would lead nowhere) and the first article's `notes` say so, once for the dump (not 20,000 times).
- Stem `ID-slug-of-the-title`: unique per site, and stable across re-imports.
- Closed questions are imported (their answers are often the reason to keep them); a dump holds no
  deleted posts.
- Attribution (the CC BY-SA licence asks for it): front matter `source_url`, `source_site`, `license`
  (the post's ContentLicense, else by the question's date: 2.5 before 2011-04-08, 3.0 before 2018-05-02,
  then 4.0), `license_url`, `authors`, `source_date`, `source_views`, `source_score`, `imported_from`;
  a byline citing the `[^source]` footnote (title, every author linked to their profile, the question's
  address and the licence) closes the question; each answer ends with its own address, and its licence
  when that differs from the question's.
- Markdown from page text is escaped so that it stays text (`*`, `[`, `#`, `==`, `%%`, `<`, list
  markers...); headings in a post go two levels down (`<h1>` -> `###`), under the answer's `##`; images
  become links (`[alt](src)`, "image" without an alt); only web links are kept as links: relative ones
  are made absolute on the site, and a link to a question (or answer) of this dump becomes a relative link
  to its article's file. Code blocks are fenced (longer fences when the code holds backticks), with the
  language of SE's `lang-*` class. A web address in the text becomes an autolink (escaping it would put
  the backslashes in the address the reader links); a `|` in code in a table cell is escaped (GFM would
  split the row there); a `[^x]` in the text gets a word joiner after its `[` (the parser takes any
  `[^x]` left in text, escaped or not, for a reference to a footnote nobody defined).

Memory stays flat (about 1-5 MB of Python objects however big the dump: the rows, one article and one
batch at a time); time goes to parsing each post's HTML (BeautifulSoup, markdownify) and to the YAML
front matter, a few milliseconds a question.
"""

from __future__ import annotations

import html
import os
import re
import sqlite3
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from markdownify import (
    MarkdownConverter,
    chomp,
    re_newline_whitespace,
    re_whitespace,
    should_remove_whitespace_inside,
    should_remove_whitespace_outside,
)

from tui.importer import Imported, ImportProblem
from tui.importer.write import article, file_stem

Progress = Callable[[str, int, int], None]

PROGRESS_INTERVAL = 0.05
"""Seconds between two progress reports (at most ~20 a second); the first and the last are always made."""
BATCH = 1000
BATCH_CHARS = 1_000_000
"""Rows are inserted into the temporary database BATCH at a time, or fewer when they hold more than
BATCH_CHARS characters (a batch of long posts held in memory would be as long as they are)."""
SUMMARY_CHARS = 300
LICENSES = (("2011-04-08", "CC BY-SA 2.5"), ("2018-05-02", "CC BY-SA 3.0"))
"""The licence of a post without ContentLicense, by its date: the first whose date it is before, else 4.0."""
LATEST_LICENSE = "CC BY-SA 4.0"
DEFAULT_ALT = "enter image description here"
"""The alt text Stack Exchange's editor puts on every image: no description, so "image"."""
DELETED_USER = "a deleted user"
_UNKNOWN_SITE = (
    "the folder {folder!r} names no site (like cooking.stackexchange.com): the question's address is"
    " relative (/q/ID), and links relative to the site are kept as text"
)

_HOST = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.IGNORECASE)
_QUESTION_PATH = re.compile(r"/(?:questions|q)/(\d+)(?:/|$)")
_ANSWER_PATH = re.compile(r"/a/(\d+)(?:/|$)")
_LANGUAGE = re.compile(r"^(?:lang|language)-([\w+#.-]+)$")
_NOT_LANGUAGES = {"none", "default", "plaintext", "text"}
_WHITESPACE = re.compile(r"\s+")
_ESCAPED = str.maketrans({char: "\\" + char for char in "\\`*_[]<>#|"})
"""Always escaped: backslash, code, emphasis, links and footnotes, HTML, quotes, headings and tags, tables."""
_PAIRED = re.compile(r"[=~%]+")
"""`==highlight==`, `~~strike~~`, `%%comment%%`: escaped when doubled, or at an edge (the next text may
hold the other half)."""
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BARE_URL = re.compile(r"(?<![\w/.@:-])(?:https?://|www\.)[^\s<>\"'`\[\]|\\{}^]+", re.IGNORECASE)
_LINE_START = re.compile(r"^([ \t]*)(-+|\+)(?=[ \t]|$)", re.MULTILINE)
_NUMBERED = re.compile(r"^([ \t]*\d{1,9})([.)])(?=[ \t]|$)", re.MULTILINE)


def from_dump(
    source: Path, *, site: str | None = None, progress: Progress | None = None
) -> Iterator[Imported]:
    """The articles of one site's dump: `source` is its folder (holding Posts.xml, maybe Users.xml) or
    its Posts.xml. `progress(phase, done, total)`: "reading" (bytes of the XML read), then "writing"
    (questions done). Raises ImportProblem, before the first article, for what is no dump."""
    posts_path, users_path = _dump_files(Path(source))
    host, folder = _site(posts_path, site)
    report = _Reporter(progress)
    with tempfile.TemporaryDirectory(prefix="qa-reader-import-") as temp:
        # (used by this generator only, one step at a time, from whichever thread drives it)
        db = sqlite3.connect(os.path.join(temp, "dump.sqlite"), check_same_thread=False)
        try:
            try:
                notes = _load(db, posts_path, users_path, report)
            except sqlite3.Error as error:
                raise ImportProblem(f"cannot keep the dump in a temporary file: {error}") from None
            except OSError as error:
                raise ImportProblem(f"cannot read the dump: {error.strerror or error}") from None
            if host is None:
                notes.insert(0, _UNKNOWN_SITE.format(folder=folder))
            yield from _articles(db, host, folder, users_path is not None, notes, report)
        finally:
            db.close()


# -- pass 1: the XML into a temporary database -----------------------------------------------------------


def _dump_files(source: Path) -> tuple[Path, Path | None]:
    """Posts.xml and Users.xml (None when absent) of the dump at `source` (its folder or its Posts.xml)."""
    if source.is_dir():
        posts = _find(source, "Posts.xml")
        if posts is None:
            raise ImportProblem("not a Stack Exchange dump: no Posts.xml in the folder")
    elif source.is_file():
        posts = source
    else:
        raise ImportProblem("not a Stack Exchange dump: no such file or folder")
    return posts, _find(posts.parent, "Users.xml")


def _find(folder: Path, name: str) -> Path | None:
    """`folder/name` as a regular file, the name matched exactly, else case-insensitively."""
    exact = folder / name
    if exact.is_file():
        return exact
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.casefold() == name.casefold() and entry.is_file():
                    return Path(entry.path)
    except OSError:
        pass
    return None


def _site(posts: Path, site: str | None) -> tuple[str | None, str]:
    """(host name or None when unknown, folder name) for a dump whose Posts.xml is `posts`."""
    if site is not None:
        host = re.sub(r"^[a-z]+://", "", site.strip(), flags=re.IGNORECASE).rstrip("/").lower()
        if not _HOST.fullmatch(host):
            raise ImportProblem(f"{site!r} is not a site's host name (like cooking.stackexchange.com)")
        return host, host
    name = posts.resolve().parent.name
    candidate = re.sub(r"-posts$", "", name, flags=re.IGNORECASE).lower()
    if _HOST.fullmatch(candidate):
        return candidate, candidate
    # Not a host name: the folder is named after it, as a file name would be (a hidden `.dump`, spaces or
    # odd characters would make a folder the reader skips or a user must quote).
    return None, file_stem(name) if name else "stackexchange"


class _Reporter:
    """Calls `progress` at most every PROGRESS_INTERVAL seconds, and always when asked to (`last`)."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.when = float("-inf")

    def __call__(self, phase: str, done: int, total: int, last: bool = False) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if last or now - self.when >= PROGRESS_INTERVAL:
            self.when = now
            self.progress(phase, done, total)


class _Counted:
    """A binary file that reports how far it has been read (by its `tell()`) as it is read."""

    def __init__(self, raw: IO[bytes], report: Callable[[int], None]) -> None:
        self.raw = raw
        self.report = report

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.report(self.raw.tell())
        return data


_POSTS_SCHEMA = """
CREATE TABLE posts (
    id INTEGER PRIMARY KEY, type INTEGER, parent INTEGER, accepted INTEGER, score INTEGER, views INTEGER,
    created TEXT, title TEXT, tags TEXT, body TEXT, owner INTEGER, owner_name TEXT, license TEXT
);
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
"""


def _load(db: sqlite3.Connection, posts: Path, users: Path | None, report: _Reporter) -> list[str]:
    """Both files into `db`; the notes on the dump as a whole (rows skipped, no Users.xml)."""
    db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _POSTS_SCHEMA)
    posts_size = posts.stat().st_size
    total = posts_size + (users.stat().st_size if users is not None else 0)
    notes = []
    report("reading", 0, total, last=True)
    skipped = _insert(
        db,
        "INSERT OR REPLACE INTO posts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _rows(posts, "posts", lambda done: report("reading", done, total)),
        _post,
    )
    if skipped:
        notes.append(f"{skipped} rows of Posts.xml had no Id or post type and were left out")
    db.execute("CREATE INDEX posts_parent ON posts (parent)")
    if users is not None:
        _insert(
            db,
            "INSERT OR REPLACE INTO users VALUES (?, ?)",
            _rows(users, "users", lambda done: report("reading", posts_size + done, total)),
            _user,
        )
    else:
        notes.append("no Users.xml: authors are named by the posts' OwnerDisplayName, else by their number")
    db.commit()
    report("reading", total, total, last=True)
    return notes


def _insert(
    db: sqlite3.Connection,
    statement: str,
    rows: Iterator[dict[str, str]],
    convert: Callable[[dict[str, str]], tuple[Any, ...] | None],
) -> int:
    """Insert the converted rows, in batches; how many could not be read (`convert` gave None)."""
    batch: list[tuple[Any, ...]] = []
    chars = skipped = 0
    for attributes in rows:
        row = convert(attributes)
        if not row:
            skipped += row is None  # (an empty row: a kind of post not kept, not worth a note)
            continue
        batch.append(row)
        chars += sum(len(value) for value in row if isinstance(value, str))
        if len(batch) >= BATCH or chars >= BATCH_CHARS:
            db.executemany(statement, batch)
            batch.clear()
            chars = 0
    if batch:
        db.executemany(statement, batch)
    return skipped


def _rows(path: Path, root_tag: str, report: Callable[[int], None]) -> Iterator[dict[str, str]]:
    """The attributes of each `<row>` of `path`, whose root must be `<root_tag>`; the tree is cleared as
    it is read, so memory stays flat whatever the file's size."""
    name = path.name
    with open(path, "rb") as raw:
        root: ElementTree.Element | None = None
        try:
            for event, element in ElementTree.iterparse(_Counted(raw, report), events=("start", "end")):
                if root is None:
                    root = element
                    if element.tag != root_tag:
                        what = "Posts.xml" if root_tag == "posts" else name
                        raise ImportProblem(f"not a Stack Exchange dump: {what} has no <{root_tag}> rows")
                elif event == "end" and element.tag == "row":
                    yield dict(element.attrib)
                    element.clear()
                    root.clear()
        except ElementTree.ParseError as error:
            line, column = error.position
            reason = re.sub(r": line \d+, column \d+$", "", str(error))
            raise ImportProblem(
                f"malformed XML at line {line}, column {column + 1} of {name}: {reason}"
            ) from None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _post(row: dict[str, str]) -> tuple[Any, ...] | None:
    post_id, kind = _int(row.get("Id")), _int(row.get("PostTypeId"))
    if post_id is None or kind is None:
        return None
    if kind not in (1, 2):
        return ()  # (a tag wiki, a nomination...: left out)
    return (
        post_id,
        kind,
        _int(row.get("ParentId")),
        _int(row.get("AcceptedAnswerId")),
        _int(row.get("Score")) or 0,
        _int(row.get("ViewCount")),
        row.get("CreationDate", ""),
        row.get("Title"),
        row.get("Tags", ""),
        row.get("Body", ""),
        _int(row.get("OwnerUserId")),
        row.get("OwnerDisplayName"),
        row.get("ContentLicense"),
    )


def _user(row: dict[str, str]) -> tuple[Any, ...] | None:
    user_id = _int(row.get("Id"))
    if user_id is None:
        return None
    return (user_id, row.get("DisplayName") or "")


# -- pass 2: one article per question --------------------------------------------------------------------

_QUESTIONS = (
    "SELECT id, accepted, score, views, created, title, tags, body, owner, owner_name, license"
    " FROM posts WHERE type = 1 ORDER BY id"
)
_ANSWERS = (
    "SELECT id, score, created, body, owner, owner_name, license FROM posts"
    " WHERE type = 2 AND parent = ? ORDER BY id = ? DESC, score DESC, created, id"
)


def _articles(
    db: sqlite3.Connection,
    host: str | None,
    folder: str,
    has_users: bool,
    notes: list[str],
    report: _Reporter,
) -> Iterator[Imported]:
    total = db.execute("SELECT count(*) FROM posts WHERE type = 1").fetchone()[0]
    if not total:
        raise ImportProblem("not a Stack Exchange dump: Posts.xml holds no questions")
    site = _Site(db, host, has_users)
    converter = _Converter(site)
    report("writing", 0, total, last=True)
    for done, row in enumerate(db.execute(_QUESTIONS), 1):
        yield _article(row, site, converter, folder, notes if done == 1 else [])
        report("writing", done, total, last=done == total)


class _Site:
    """What an article needs from the dump beyond its own rows: authors' names, other questions' files,
    and where a link in a post leads."""

    def __init__(self, db: sqlite3.Connection, host: str | None, has_users: bool) -> None:
        self.db = db
        self.host = host
        self.has_users = has_users

    def url(self, path: str) -> str | None:
        return f"https://{self.host}{path}" if self.host else None

    def author(self, owner: int | None, owner_name: str | None) -> tuple[str, str | None]:
        """(name, profile address or None): Users.xml's DisplayName, else the post's OwnerDisplayName,
        else "user N" when there is no Users.xml to ask, else a deleted user."""
        found = None
        if owner is not None and self.has_users:
            found = self.db.execute("SELECT name FROM users WHERE id = ?", (owner,)).fetchone()
        if found is not None and found[0].strip():
            name = found[0]
        elif owner_name and owner_name.strip():
            name = owner_name
        elif owner is not None and not self.has_users:
            name = f"user {owner}"
        else:
            name = DELETED_USER
        profile = None
        if owner is not None and (found is not None or not self.has_users):
            profile = self.url(f"/users/{owner}")
        return _WHITESPACE.sub(" ", name).strip(), profile

    def question_file(self, question_id: int) -> str | None:
        """The file name of the article made from this question of the dump, if it is in it."""
        row = self.db.execute("SELECT title FROM posts WHERE id = ? AND type = 1", (question_id,)).fetchone()
        return f"{_stem(question_id, _title(question_id, row[0]))}.md" if row is not None else None

    def local(self, path: str) -> str | None:
        """The article file a site path (`/questions/12/...`, `/q/12`, `/a/34`) leads to, if imported."""
        question = _QUESTION_PATH.match(path)
        if question:
            return self.question_file(int(question[1]))
        answer = _ANSWER_PATH.match(path)
        if answer:
            row = self.db.execute("SELECT parent FROM posts WHERE id = ? AND type = 2", (int(answer[1]),))
            found = row.fetchone()
            return self.question_file(found[0]) if found is not None and found[0] is not None else None
        return None

    @staticmethod
    def relative(href: str) -> bool:
        """A link to a page of the site by its path (`/questions/1`, `help/on-topic`)."""
        try:
            parts = urlsplit(href)
        except ValueError:
            return False
        return not parts.scheme and not parts.netloc and bool(parts.path)

    def link(self, href: str) -> str | None:
        """Where a post's link should lead in the article: a web address, the file of another question of
        the dump, or None (kept as text: another scheme, a place in the page, relative to an unknown site)."""
        href = href.strip()
        if href.startswith("//"):
            href = "https:" + href
        try:
            parts = urlsplit(href)
            hostname = parts.hostname
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        if scheme == "mailto":
            return href
        if scheme not in ("", "http", "https") or (not scheme and (parts.netloc or not parts.path)):
            return None
        own = not scheme or (self.host is not None and (hostname or "").removeprefix("www.") == self.host)
        if own:
            local = self.local(parts.path)
            if local is not None:
                return local
            if not scheme:
                return urljoin(f"https://{self.host}/", href) if self.host else None
        return href


def _article(
    row: tuple[Any, ...], site: _Site, converter: _Converter, folder: str, notes: list[str]
) -> Imported:
    question_id, accepted, score, views, created, raw_title, raw_tags, body, owner, owner_name, license = row
    title = _title(question_id, raw_title)
    license = license or _license_by_date(created)
    asker = site.author(owner, owner_name)
    converter.dropped = 0
    parts = [converter.markdown(_soup(body))]
    question_url = site.url(f"/q/{question_id}")
    date = f" on {created[:10]}" if created else ""
    where = f" at [{site.host}]({question_url})" if question_url else f" (question {question_id})"
    parts.append(f"Asked by {_person(asker)}{date}{where}.[^source]")

    answerers: list[tuple[str, str | None]] = []
    other_licenses: dict[str, None] = {}
    summary = ""
    for (
        answer_id,
        answer_score,
        answer_created,
        answer_body,
        answer_owner,
        answer_name,
        answer_license,
    ) in site.db.execute(_ANSWERS, (question_id, accepted)).fetchall():
        soup = _soup(answer_body)
        summary = summary or _summary(soup)
        author = site.author(answer_owner, answer_name)
        answerers.append(author)
        mark = ", accepted" if answer_id == accepted else ""
        parts.append(f"## Answer by {escape_markdown(author[0])} (score {answer_score}{mark})")
        parts.append(converter.markdown(soup))
        answer_url = site.url(f"/a/{answer_id}")
        what = f"[Answer on {site.host}]({answer_url})" if answer_url else f"Answer {answer_id}"
        when = f", {answer_created[:10]}" if answer_created else ""
        own_license = answer_license or _license_by_date(answer_created)
        licensed = ""
        if own_license != license:
            other_licenses[own_license] = None
            licensed = f", licensed under {_license_text(own_license)}"
        parts.append(f"{what} by {_person(author)}{when}{licensed}.")

    people = _unique([asker, *answerers])
    footnote = f'"{escape_markdown(title)}", question by {_person(asker)}'
    if answerers:
        named = _unique(answerers)
        footnote += f", answer{'s' if len(named) > 1 else ''} by {_words([_person(a) for a in named])}"
    footnote += (
        f", from {site.host} (<{question_url}>)"
        if question_url
        else f", from a Stack Exchange site (question {question_id})"
    )
    footnote += f", licensed under {_license_text(license)}"
    if other_licenses:
        others = _words([_license_text(other) for other in other_licenses])
        footnote += f"; answers marked otherwise under {others}"
    parts.append(f"[^source]: {footnote}")

    meta = {
        "title": title,
        "summary": summary,
        "tags": _tags(raw_tags),
        "source_url": question_url or f"/q/{question_id}",
        "source_site": site.host,
        "license": license,
        "license_url": _license_url(license),
        "authors": [name for name, _ in people if name != DELETED_USER],
        "source_date": created[:10] if created else None,
        "source_views": views,
        "source_score": score,
        "imported_from": "stackexchange",
    }
    notes = list(notes)
    if converter.dropped:
        notes.append(
            f"{converter.dropped} link{'s' if converter.dropped > 1 else ''} kept as text only"
            " (not to a web page: a script, inline data, a place in the page)"
        )
    text = "\n\n".join(part for part in parts if part)
    return Imported(title, article(meta, text), _stem(question_id, title), folder, notes)


def _title(question_id: int, raw: str | None) -> str:
    """A question's title: its Title with HTML entities decoded and spaces collapsed."""
    return _WHITESPACE.sub(" ", html.unescape(raw or "")).strip() or f"Question {question_id}"


def _stem(question_id: int, title: str) -> str:
    return f"{question_id}-{file_stem(title)}"


def _tags(raw: str | None) -> list[str]:
    """`<a><b>` (older dumps) or `|a|b|` (newer ones) -> [a, b]."""
    raw = (raw or "").strip()
    found = re.findall(r"<([^<>]+)>", raw) if raw.startswith("<") else raw.split("|")
    return list(dict.fromkeys(tag.strip() for tag in found if tag.strip()))


def _license_by_date(created: str | None) -> str:
    for before, name in LICENSES:
        if created and created[:10] < before:
            return name
    return LATEST_LICENSE


def _license_url(license: str) -> str | None:
    found = re.fullmatch(r"CC BY-SA (\d\.\d)", license.strip())
    return f"https://creativecommons.org/licenses/by-sa/{found[1]}/" if found else None


def _license_text(license: str) -> str:
    url = _license_url(license)
    return f"{escape_markdown(license)} (<{url}>)" if url else escape_markdown(license)


def _person(author: tuple[str, str | None]) -> str:
    name, profile = author
    return f"[{escape_markdown(name, urls=False)}]({profile})" if profile else escape_markdown(name)


def _unique(authors: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    return list(dict.fromkeys(authors))


def _words(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _soup(body: str | None) -> BeautifulSoup:
    return BeautifulSoup(body or "", "html.parser")


def _summary(soup: BeautifulSoup) -> str:
    """The first paragraph of a post as plain text, at most SUMMARY_CHARS, cut at a word."""
    paragraphs = soup.find_all("p", recursive=False) or soup.find_all("p")
    text = ""
    for paragraph in paragraphs:
        text = _WHITESPACE.sub(" ", paragraph.get_text()).strip()
        if text:
            break
    if not text:
        text = _WHITESPACE.sub(" ", soup.get_text(" ")).strip()
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[: SUMMARY_CHARS - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


# -- HTML -> Markdown ---------------------------------------------------------------------------------


def escape_markdown(text: str, urls: bool = True) -> str:
    """Page text as Markdown that reads as that text: no emphasis, link, footnote, wikilink, tag, heading,
    list, quote, table, highlight, comment or HTML made of it. (Each rule only runs when its characters are
    there: this is called for every piece of text of every post.)

    With `urls`, a web address in the text becomes an autolink (`<https://...>`): the reader links bare
    addresses from the raw text, so an escape in one (`some\\_path`) would end up in the address. (Not
    in a link's own text, where no link may be.)"""
    if not urls or ("://" not in text and "www." not in text):
        return _escape(text)
    out = []
    position = 0
    for match in _BARE_URL.finditer(text):
        address = _trim_address(match[0])
        if "." not in address.split("//")[-1]:
            continue
        out.append(_escape(text[position : match.start()]))
        if address.lower().startswith("www."):
            out.append(f"[{_escape(address)}]({_destination('http://' + address)})")
        else:
            out.append(f"<{address}>")
        position = match.start() + len(address)
    out.append(_escape(text[position:]))
    return "".join(out)


def _trim_address(address: str) -> str:
    """A web address found in text without what follows it (GFM's rule): final punctuation, and a `)`
    that closes nothing in it."""
    while address:
        last = address[-1]
        if not (last in ".,:;!?*_~'\"" or (last == ")" and address.count(")") > address.count("("))):
            break
        address = address[:-1]
    return address


def _escape(text: str) -> str:
    text = text.translate(_ESCAPED)
    if "[^" in text:  # (the parser takes any `[^x]` left in text for a footnote nobody defined)
        text = text.replace("\\[^", "\\[\u2060^")
    if "&" in text:
        text = _ENTITY.sub(r"\\&", text)
    if "=" in text or "~" in text or "%" in text:
        text = _PAIRED.sub(lambda match: _paired(match, text), text)
    first = text.lstrip(" \t")[:1]
    if "\n" in text or (first and first in "-+0123456789"):
        text = _LINE_START.sub(r"\1\\\2", text)
        text = _NUMBERED.sub(r"\1\\\2", text)
    return text


def _paired(match: re.Match[str], text: str) -> str:
    run, start, end = match[0], match.start(), match.end()
    alone = len(run) == 1 and start > 0 and text[start - 1] != "\n" and end < len(text) and text[end] != "\n"
    return run if alone else "".join("\\" + char for char in run)


def _destination(href: str) -> str:
    """A link's address as a Markdown link destination: spaces, parentheses and backslashes encoded."""
    return quote(href, safe="!#$%&'*+,/:;=?@[]~")


def _code_span(text: str, in_table: bool = False) -> str:
    """Inline code, its fence longer than any run of backticks in it; in a table, its pipes escaped (GFM
    splits the row at any other, even inside code, and the table is lost)."""
    text = _WHITESPACE.sub(" ", text).strip()
    if not text:
        return ""
    if in_table:
        text = text.replace("|", "\\|")
    longest = _longest_backticks(text)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}" if longest else f"{fence}{text}{fence}"


def _longest_backticks(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0) if "`" in text else 0


def _strip_pre(text: str) -> str:
    """markdownify's `strip_pre` (the blank lines around a code block's text go, the first line's indent
    stays) without its `[ \\n]*$`, which tries every position of the text: 1 ms for 24 KB of code."""
    lead = text[: len(text) - len(text.lstrip(" \n"))]
    return text[lead.rindex("\n") + 1 if "\n" in lead else 0 :].rstrip(" \n")


def _language(pre: Tag) -> str:
    """The language of a code block from SE's classes (`lang-python` on the pre, `language-python` on the
    code), or ""."""
    code = pre.find("code")
    for element in (pre, code):
        if not isinstance(element, Tag):
            continue
        for name in element.get_attribute_list("class"):
            found = _LANGUAGE.match(name or "")
            if found and found[1].lower() not in _NOT_LANGUAGES:
                return found[1]
    return ""


class _Converter(MarkdownConverter):
    """markdownify with our escaping, fenced code with the right fence, headings below the answer's,
    images as links and links only to where a link can lead."""

    def __init__(self, site: _Site) -> None:
        super().__init__(heading_style="ATX", bullets="-", table_infer_header=True)
        self.site = site
        self.dropped = 0
        """Links of the posts converted since it was last set to 0 that are kept as text only."""

    def markdown(self, soup: BeautifulSoup) -> str:
        return self.convert_soup(soup).strip()

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return escape_markdown(text, urls="a" not in parent_tags) if text else ""

    def convert_code(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = chomp(text)
        code = _code_span(text, in_table=bool({"td", "th"} & parent_tags))
        return f"{prefix}{code}{suffix}" if code else ""

    convert_kbd = convert_code
    convert_samp = convert_code

    def process_text(self, el: NavigableString, parent_tags: set[str] | None = None) -> str:
        """markdownify's own, with its whitespace rules run only where there is something to collapse:
        they took 70 us for each paragraph of 600 characters, a third of the time of a whole dump."""
        parent_tags = parent_tags or set()
        text = str(el) or ""
        if "pre" not in parent_tags:
            if "\n" in text or "\r" in text:
                text = re_newline_whitespace.sub("\n", text)
            if "  " in text or "\t" in text:
                text = re_whitespace.sub(" ", text)
        if "_noformat" not in parent_tags:
            text = self.escape(text, parent_tags)
        if should_remove_whitespace_outside(el.previous_sibling) or (
            should_remove_whitespace_inside(el.parent) and not el.previous_sibling
        ):
            text = text.lstrip(" \t\r\n")
        if should_remove_whitespace_outside(el.next_sibling) or (
            should_remove_whitespace_inside(el.parent) and not el.next_sibling
        ):
            text = text.rstrip()
        return text

    def _link(self, href: str | None) -> str | None:
        """Where a link of a post leads, or None: then it is counted, unless it is relative to an unknown
        site (the dump's note says that once)."""
        href = (href or "").strip()
        target = self.site.link(href) if href else None
        if target is None and href and not (self.site.host is None and self.site.relative(href)):
            self.dropped += 1
        return target

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = chomp(text)
        if not text:
            return ""
        if "a" in parent_tags:  # (a link in a link: its text only)
            return f"{prefix}{text}{suffix}"
        target = self._link(el.get("href"))
        if target is None:
            return f"{prefix}{text}{suffix}"
        return f"{prefix}[{text}]({_destination(target)}){suffix}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        alt = _WHITESPACE.sub(" ", str(el.get("alt") or "")).strip()
        alt = escape_markdown(alt) if alt.casefold() != DEFAULT_ALT else ""
        alt = alt or "image"
        if "a" in parent_tags or "_noformat" in parent_tags:
            return alt  # (the link around it leads to the picture)
        target = self._link(el.get("src"))
        return f"[{alt}]({_destination(target)})" if target is not None else alt

    def convert_video(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        source = el.get("src") or next((s.get("src") for s in el.find_all("source") if s.get("src")), None)
        text = text.strip() or "video"
        target = self._link(source) if source else None
        return f"[{text}]({_destination(target)})" if target is not None else text

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = _WHITESPACE.sub(" ", text).strip()
        if "_inline" in parent_tags or not text:
            return text
        return f"\n\n{'#' * min(6, n + 2)} {text}\n\n"

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = _strip_pre(text)
        if not text.strip():
            return ""
        if "_inline" in parent_tags:
            return _code_span(text, in_table=bool({"td", "th"} & parent_tags))
        fence = "`" * max(3, _longest_backticks(text) + 1)
        return f"\n\n{fence}{_language(el)}\n{text}\n{fence}\n\n"
