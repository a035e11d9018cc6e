"""A page saved as HTML -> one article: its main content only, in our Markdown.

`from_html(html, url=...)` parses the page with BeautifulSoup ("html.parser": no lxml) and converts what it
keeps with markdownify (both MIT); there are no regexes over HTML here (a few run over plain strings: a
class name's words, a comment's text, text being escaped).

1. Clutter goes first: script, style, noscript, template, iframe, object, embed, canvas, form and its
   controls, svg, nav, aside, page-level header and footer (those not inside an article, aside, main, nav
   or section), elements with role navigation, banner, contentinfo, complementary or dialog, and what is
   hidden (`hidden`, `aria-hidden="true"`, an inline `display:none`). So are elements whose class or id has
   one of the `NOISE_WORDS` as a word (`cookie-banner`, `shareButtons`, `ad_slot` is not one: `ad` alone
   is too short to be sure of) or one of `NOISE_PAIRS` as two words in a row (`related-posts`). Never
   removed: what holds the main content (`main`, `[role=main]`, a question or an answer), nor,
   for a class-word match, an element with more than half the page's text (a `with-sidebar` wrapper).
2. A Q&A page gives a question and answers (`_Post`): Stack Exchange's markup (`#question`, `.answer`,
   `.s-prose`/`.post-text`, `.js-vote-count`/`data-score`, `.user-details`, `.accepted-answer`/
   `.js-accepted-answer-indicator`), else schema.org microdata (an itemscope of type Question, Answers with
   `text`, `upvoteCount`, `author`, `dateCreated`). The question is the first section ("## Question"),
   then a section per answer, accepted first, then by score: "## Answer by NAME (score N, accepted)".
   Headings inside a post start at `###`.
3. Any other page: `<main>`, else the `<article>` with the most text, else `[role=main]`, else the element
   with the most paragraph text (each `<p>` counts for its parent, half for its grandparent). Its `<h1>` is
   the title; its headings are the sections (the highest level becomes `##`).

What is kept: headings, paragraphs, links (made absolute with the page's URL; without one, a relative link
keeps its text only, as it could lead nowhere), lists, tables (GitHub pipe tables; the first row is the
header), code (fenced, with the language of a `language-x`/`lang-x` class; inline code), block quotes,
definition lists (the term in bold). Images become links `[alt](src)`, never `![...]` (the reader shows
no images and `check` would look for them on disk); an image inside a link gives that link its alt text.

Text from the page is data: every Markdown special character in it is escaped (`_escape`), `[^`, `[!` and
`[ ]` get a word joiner (U+2060) so they never read as a footnote reference, a callout or a task (the
reader looks for those in text already unescaped), bare web addresses become explicit links (so `_` and
`*` in them need no escaping), and no HTML is ever emitted. A source footnote ends the first section:
`[^source]: Site, "Title", <URL>, date`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import PreformattedString
from markdownify import MarkdownConverter, chomp

from tui.articles.obsidian import WebAddresses
from tui.importer import Imported, ImportProblem, write

NOISE_WORDS = frozenset(
    {
        "cookie",
        "cookies",
        "consent",
        "banner",
        "banners",
        "advert",
        "adverts",
        "advertisement",
        "advertisements",
        "ads",
        "promo",
        "promos",
        "sidebar",
        "share",
        "sharing",
        "social",
        "newsletter",
        "subscribe",
    }
)
"""Words of a class or id that mark clutter (compared whole, in lower case; `shareButtons` has `share`)."""
NOISE_PAIRS = frozenset({("related", "posts"), ("comments", "nav")})
"""Two words in a row of one class or id that mark clutter (`related-posts`, `comments_nav`)."""
DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "canvas",
    "map",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "svg",
    "math",
    "nav",
    "aside",
    "dialog",
    "title",
)
"""Elements dropped with all they hold (`title` after it is read; the rest of `head` has no text)."""
NOISE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog"})
SECTIONING = ("article", "aside", "main", "nav", "section")
"""A header or footer inside one of these belongs to it (kept); any other is the page's (dropped)."""
SUMMARY_LIMIT = 300
MAX_TAGS = 20
SOURCE_LABEL = "source"
PAGE_TAGS = frozenset(
    {"html", "head", "body", "title", "main", "article", "section", "div", "p", "ul", "ol", "table", "pre"}
    | {"blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
)
"""Elements that make a text a page (one of them at least), rather than text with a stray `<b>`."""

_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CELL, _ROW = "\x1f", "\x1e"  # (control characters: never in the page's text, dropped on reading)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")  # `shareButtons` -> share, Buttons
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~=%&+])")
_DASHES = re.compile(r"(^|\s)(-+)(?=\s|$)")  # a list marker, a rule or a setext underline
_NUMBERED = re.compile(r"(^|\s)(\d{1,9})([.)])(?=\s|$)")  # an ordered list marker
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)")
_JOINER = "\u2060"
_BRACKET = re.compile(r"\[(?=[\^!]|[ xX]\])")  # `[^1]`, `[!note]`, `[ ]`: a note, a callout, a task
_ADDRESS_START = re.compile(r"(?<![a-z0-9.+-])(?:(?:https?|ftp)://|mailto:|www\.)", re.IGNORECASE)
_PERMALINK = re.compile(r"[#¶§🔗]|link|permalink", re.IGNORECASE)
_URL_ESCAPES = {" ": "%20", "<": "%3C", ">": "%3E", "(": "%28", ")": "%29", '"': "%22", "\\": "%5C"}
_URL_ESCAPES |= {"`": "%60", "|": "%7C"}
_LINK_SCHEMES = ("http", "https", "ftp")
_NO_LANGUAGE = frozenset({"none", "default", "auto", "nohighlight"})
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " · ", " :: ", " » ")
_ADDRESSES = WebAddresses()


def from_html(html: str, *, url: str | None = None) -> Imported:
    """One article from a saved page; ImportProblem when it is no page, has no text or no title."""
    if not html.strip():
        raise ImportProblem("not an HTML page: it is empty")
    if "\x00" in html:
        raise ImportProblem("not an HTML page: binary data (NUL bytes)")
    soup = BeautifulSoup(_CONTROL.sub("", html), "html.parser")
    if soup.find(PAGE_TAGS) is None:
        raise ImportProblem("not an HTML page: no <html> or <body> found")
    try:
        return _Page(soup, url).imported()
    except RecursionError:
        raise ImportProblem("not a readable page: its elements are nested too deeply") from None


# -- the page -------------------------------------------------------------------------------------------


@dataclass
class _Post:
    """A question or an answer: its body and what the page says about it."""

    body: Tag | None
    author: str = ""
    score: int | None = None
    accepted: bool = False
    date: str = ""


@dataclass
class _QA:
    question: _Post
    answers: list[_Post]
    title: str = ""
    scope: Tag | None = None
    """Where the question's tags are (the question's element, for Stack Exchange)."""


@dataclass
class _Page:
    soup: BeautifulSoup
    given_url: str | None
    meta: dict[str, list[str]] = field(default_factory=dict)
    url: str = ""
    base: str = ""
    site: str = ""
    dropped_links: int = 0
    local_images: int = 0

    def __post_init__(self) -> None:
        self.meta = _metadata(self.soup)
        self.url = _page_url(self.soup, self.meta, self.given_url)
        base = self.soup.find("base", href=True)
        self.base = urljoin(self.url, str(base["href"]).strip()) if self.url and base else self.url
        host = (urlsplit(self.url).hostname or "") if self.url else ""
        named = _first(self.meta, "og:site_name", "application-name")
        self.site = _one_line(named or host.removeprefix("www."))

    def imported(self) -> Imported:
        titles = (title for title in self.soup.find_all("title") if title.find_parent("svg") is None)
        head = next(titles, None)
        head_title = _text(head) if head is not None else ""
        _declutter(self.soup)
        converter = _Converter(self)
        qa = _stack_exchange(self.soup) or _microdata(self.soup)
        if qa is not None:
            title, summary, body, date, tag_scope = self._qa(qa, converter, head_title)
        else:
            title, summary, body, date, tag_scope = self._article(converter, head_title)
        tags = _tags(tag_scope, self.soup, self.meta)
        meta = {
            "title": title,
            "summary": summary,
            "tags": tags,
            "source_url": self.url,
            "source_date": date,
            "imported_from": "html",
        }
        body = f"{body}\n\n[^{SOURCE_LABEL}]: {self._citation(title, date)}"
        notes = []
        if self.dropped_links:
            links = _count(self.dropped_links, "relative link")
            notes.append(f"{links} kept as text: the page's address is unknown")
        if self.local_images:
            notes.append(f"{_count(self.local_images, 'image')} saved beside the page kept as text")
        return Imported(title, write.article(meta, body), write.file_stem(title), notes=notes)

    # -- Q&A --
    def _qa(self, qa: _QA, converter: _Converter, head_title: str) -> tuple[str, str, str, str, Tag]:
        named = _one_line(_first(self.meta, "og:title")) or head_title
        title = qa.title or self._clean_title(named, qa.scope)
        if not title:
            raise ImportProblem("not a page: no title found")
        # accepted first, then by score (sorted() is stable: ties keep the page's order)
        answers = sorted(qa.answers, key=lambda answer: (not answer.accepted, -(answer.score or 0)))
        question = self._post_markdown(qa.question, converter)
        bodies = [self._post_markdown(answer, converter) for answer in answers]
        answers = [answer for answer, body in zip(answers, bodies, strict=True) if body]  # (none: no section)
        bodies = [body for body in bodies if body]
        if not question and not bodies:
            raise ImportProblem("not a page: no text found")
        parts = ["\n\n".join(part for part in ("## Question", question, self._source_line()) if part)]
        for answer, body in zip(answers, bodies, strict=True):
            parts.append(f"## {_answer_heading(answer)}\n\n{body}")
        summary = _first_paragraph(answers[0].body) if answers else ""
        summary = (
            summary
            or _first(self.meta, "og:description", "description")
            or _first_paragraph(qa.question.body)
        )
        date = qa.question.date or _iso_date(_first(self.meta, "article:published_time"))
        scope = qa.scope if qa.scope is not None else self.soup
        return title, _shorten(summary), "\n\n".join(parts), date, scope

    def _post_markdown(self, post: _Post, converter: _Converter) -> str:
        if post.body is None:
            return ""
        _shift_headings(post.body, 3)
        return converter.markdown(post.body)

    # -- any other page --
    def _article(self, converter: _Converter, head_title: str) -> tuple[str, str, str, str, Tag]:
        content = _main_content(self.soup)
        if content is None or not content.get_text(strip=True):
            raise ImportProblem("not a page: no text found")
        first_paragraph = _first_paragraph(content)
        h1 = content.find("h1")
        title = _text(h1) if h1 is not None else ""
        if title:
            h1.decompose()
        else:
            title = self._clean_title(_one_line(_first(self.meta, "og:title")) or head_title, None)
        if not title:
            raise ImportProblem("not a page: no title found")
        _shift_headings(content, 2)
        self._mark_first_section(content)
        body = converter.markdown(content)
        if not body.replace(self._source_line(), "").strip():
            raise ImportProblem("not a page: no text found")
        if self._source_line() not in body:  # (the mark sat where nothing is converted: a table cell)
            body = f"{self._source_line()}\n\n{body}"
        summary = _first(self.meta, "og:description", "description") or first_paragraph
        date = _iso_date(_first(self.meta, "article:published_time"))
        if not date:
            when = content.find("time", datetime=True)
            date = _iso_date(str(when["datetime"])) if when is not None else ""
        if not date:
            dated = self.soup.find(attrs={"itemprop": ["datePublished", "dateCreated"]})
            date = _iso_date(_attribute_value(dated)) if dated is not None else ""
        return title, _shorten(summary), body, date, content

    def _mark_first_section(self, content: Tag) -> None:
        """The source reference goes where the first section ends: after the text before the first
        heading, else before the next heading as high as the first one, else at the end."""
        mark = self.soup.new_tag("qa-source-ref")
        headings = content.find_all(_HEADINGS)
        if not headings:
            content.append(mark)
            return
        first = headings[0]
        if _text_before(content, first):
            first.insert_before(mark)
            return
        level = int(first.name[1])
        following = next((h for h in headings[1:] if int(h.name[1]) <= level), None)
        if following is None:
            content.append(mark)
        else:
            following.insert_before(mark)

    # -- shared --
    def _clean_title(self, title: str, scope: Tag | None) -> str:
        """A title without the site's name after it (` - Stack Overflow`, ` | Site`), and for a Stack
        Exchange page without the tag before it (`java - Why is...`)."""
        title = _one_line(title)
        for separator in _TITLE_SEPARATORS:
            head, found, tail = title.rpartition(separator)
            if not found or not head.strip():
                continue
            tail = tail.strip()
            named = self.site and tail.casefold() == self.site.casefold()
            short = len(tail.split()) <= (3 if separator == " - " else 4)
            if named or short:
                title = head.strip()
                break
        if scope is not None:
            for tag in _tags(scope, self.soup, {}):
                if title.casefold().startswith(f"{tag} - "):
                    title = title[len(tag) + 3 :].strip()
                    break
        return title

    def _source_line(self) -> str:
        return f"Source: {_escape(self.site or 'a saved page')}.[^{SOURCE_LABEL}]"

    def _citation(self, title: str, date: str) -> str:
        quoted = f'"{_escape(title)}"'
        site = _escape(self.site) if self.site else ""
        if self.url:
            parts = [site, quoted, f"<{_safe_url(self.url)}>", date]
        else:
            parts = ["Saved page", site, quoted, date]
        return ", ".join(part for part in parts if part) + "."

    def link(self, raw: Any) -> str | None:
        """A link's target as an absolute web address, or None for one that leads nowhere from here
        (no address, `javascript:`, `data:`, a relative link on a page whose address is unknown)."""
        if not raw or not isinstance(raw, str):
            return None
        raw = re.sub(r"[\t\n\r]", "", raw).strip()
        if not raw:
            return None
        if raw.startswith("//") and not self.base:
            raw = f"https:{raw}"  # (an address without its scheme: the web's own)
        try:
            target = urljoin(self.base, raw) if self.base else raw
            parts = urlsplit(target)
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        if scheme in _LINK_SCHEMES and parts.netloc:
            return _safe_url(target)
        if scheme == "mailto" and parts.path:
            return _safe_url(target)
        if not scheme and not raw.startswith("#"):
            self.dropped_links += 1
        return None

    def image(self, element: Tag) -> str | None:
        """Where an image is (its lazy-loading `data-src` when `src` is a placeholder), as for `link`;
        None for a copy saved beside the page (`Page_files/x.png`): it is not where the reader is."""
        for name in ("src", "data-src", "data-original", "data-lazy-src"):
            value = element.get(name)
            if isinstance(value, str) and value.strip() and not value.strip().lower().startswith("data:"):
                raw = value.strip()
                break
        else:
            return None
        first = raw.lstrip("./").split("/", 1)[0]
        if not urlsplit(raw).scheme and first.endswith("_files"):
            self.local_images += 1
            return None
        return self.link(raw)


# -- reading the page's metadata --------------------------------------------------------------------------


def _metadata(soup: BeautifulSoup) -> dict[str, list[str]]:
    """`<meta>` contents by lower-case property, name or itemprop, in page order."""
    found: dict[str, list[str]] = {}
    for meta in soup.find_all("meta"):
        content = meta.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for key in ("property", "name", "itemprop"):
            name = meta.get(key)
            if isinstance(name, str) and name.strip():
                found.setdefault(name.strip().lower(), []).append(content.strip())
    return found


def _first(meta: dict[str, list[str]], *names: str) -> str:
    for name in names:
        for value in meta.get(name, ()):
            if value.strip():
                return value.strip()
    return ""


def _page_url(soup: BeautifulSoup, meta: dict[str, list[str]], given: str | None) -> str:
    """The page's address: the one given, else `<link rel=canonical>`, else og:url, else the comment
    browsers write when saving (`<!-- saved from url=(0043)https://... -->`); "" when none is a web
    address."""
    candidates = [given or ""]
    canonical = soup.find("link", rel=lambda rel: rel is not None and "canonical" in str(rel).lower().split())
    if canonical is not None and isinstance(canonical.get("href"), str):
        candidates.append(urljoin(given or "", str(canonical["href"]).strip()))
    candidates.append(_first(meta, "og:url"))
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        match = _SAVED_FROM.search(str(comment))
        if match:
            candidates.append(match.group(1))
            break
    for candidate in candidates:
        candidate = candidate.strip()
        try:
            parts = urlsplit(candidate)
        except ValueError:
            continue
        if parts.scheme.lower() in ("http", "https") and parts.netloc:
            return candidate
    return ""


def _tags(scope: Tag, soup: BeautifulSoup, meta: dict[str, list[str]]) -> list[str]:
    """Tags in lower case, each once: `.post-tag` and `rel=tag` links (in `scope`, else anywhere left
    after decluttering), `article:tag`; the `keywords` meta only when there is nothing else."""
    found: list[str] = []
    for where in (scope, soup):
        links = where.find_all(class_="post-tag") + where.find_all(
            "a", rel=lambda rel: rel is not None and "tag" in str(rel).lower().split()
        )
        found = [_text(link) for link in links]
        if found:
            break
    found += meta.get("article:tag", [])
    if not found and meta.get("keywords"):
        found = meta["keywords"][0].split(",")
    tags = ("-".join(tag.lower().lstrip("#").split()) for tag in found)
    return list(dict.fromkeys(tag for tag in tags if tag))[:MAX_TAGS]


def _iso_date(value: str) -> str:
    """`2012-06-27T13:51:36Z` -> `2012-06-27`; "" when it is no date."""
    value = value.strip()
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date().isoformat()
    except ValueError:
        return ""


def _attribute_value(element: Tag | None) -> str:
    """The value microdata gives an element: `content`, `datetime` or `value`, else its text."""
    if element is None:
        return ""
    for name in ("content", "datetime", "value"):
        value = element.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return _text(element)


# -- decluttering --------------------------------------------------------------------------------------


_QA_TYPES = re.compile(r"schema\.org/(Question|Answer)\b")


def _is_main(tag: Tag) -> bool:
    """Whether `tag` is the main content, or a part of a Q&A page's. (Not an `<article>`: a sidebar's
    teasers are articles too; a wrapper around the article holds more than half the page's text.)"""
    if tag.name == "main" or tag.get("role") == "main" or tag.get("id") == "question":
        return True
    return "answer" in (tag.get("class") or []) or bool(_QA_TYPES.search(str(tag.get("itemtype") or "")))


def _holds_main(tag: Tag) -> bool:
    """Whether `tag` is or holds what could be the main content: never removed as clutter."""
    return tag.name in ("html", "body") or _is_main(tag) or tag.find(_is_main) is not None


def _declutter(soup: BeautifulSoup) -> None:
    """Remove clutter (see the module's docstring) and comments, in place.

    Walked from the top, a removed element's insides are never visited. (Not `find_all` and then
    `tag.decomposed`: on a living tag that looks for a child element named `_decomposed`, each time.)
    """
    for text in soup.find_all(string=lambda text: isinstance(text, PreformattedString)):
        text.extract()  # comments, doctypes, processing instructions, CDATA
    _walk_out(soup, lambda tag: tag.name in DROPPED_TAGS or _is_clutter(tag))
    page_text = len(soup.get_text(strip=True))
    _walk_out(soup, lambda tag: _noisy(tag) and len(tag.get_text(strip=True)) * 2 <= page_text)


def _walk_out(root: Tag, unwanted: Callable[[Tag], bool]) -> None:
    """Remove the elements under `root` that are `unwanted` and hold no main content."""
    stack = [root]
    while stack:
        for child in list(stack.pop().children):
            if not isinstance(child, Tag):
                continue
            if unwanted(child) and not _holds_main(child):
                child.decompose()
            else:
                stack.append(child)


def _is_clutter(tag: Tag) -> bool:
    """Clutter by its kind, role or being hidden (rather than by its class)."""
    if tag.name in ("header", "footer") and tag.find_parent(SECTIONING) is None:
        return True
    role = tag.get("role")
    if isinstance(role, str) and role.strip().lower() in NOISE_ROLES:
        return True
    if str(tag.get("aria-hidden", "")).strip().lower() == "true" or tag.has_attr("hidden"):
        return True
    style = "".join(str(tag.get("style", "")).lower().split())
    return "display:none" in style or "visibility:hidden" in style


def _noisy(tag: Tag) -> bool:
    """Whether a class or id of `tag` says clutter (NOISE_WORDS, NOISE_PAIRS)."""
    values = list(tag.get("class") or [])
    if isinstance(tag.get("id"), str):
        values.append(tag["id"])
    for value in values:
        words = [word.lower() for word in _WORD.findall(value)]
        if NOISE_WORDS.intersection(words) or NOISE_PAIRS.intersection(zip(words, words[1:], strict=False)):
            return True
    return False


# -- finding the content -----------------------------------------------------------------------------------


def _main_content(soup: BeautifulSoup) -> Tag | None:
    """`<main>`, else the `<article>` with the most text, else `[role=main]`, else the element with the
    most paragraph text, else the body: the first of them that has any text."""
    for found in (soup.find_all("main"), soup.find_all("article"), soup.find_all(attrs={"role": "main"})):
        with_text = [tag for tag in found if tag.get_text(strip=True)]
        if with_text:
            return max(with_text, key=lambda tag: len(tag.get_text(strip=True)))
    scores: dict[int, float] = {}
    tags: dict[int, Tag] = {}
    for paragraph in soup.find_all("p"):
        length = len(paragraph.get_text(" ", strip=True))
        for share, holder in ((1.0, paragraph.parent), (0.5, paragraph.parent and paragraph.parent.parent)):
            if isinstance(holder, Tag) and not isinstance(holder, BeautifulSoup):
                scores[id(holder)] = scores.get(id(holder), 0.0) + share * length
                tags[id(holder)] = holder
    if scores:
        best = tags[max(scores, key=lambda key: scores[key])]
        if best.get_text(strip=True):
            return best
    return soup.body or soup


def _text_before(root: Tag, stop: Tag) -> bool:
    """Whether `root` has text before `stop` (one of its descendants)."""
    for node in root.descendants:
        if node is stop:
            return False
        if isinstance(node, NavigableString) and node.strip():
            return True
    return False


_HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def _shift_headings(root: Tag, top: int) -> None:
    """Renumber the headings under `root` so the highest is `top` (`h2` for `##`), keeping their order."""
    headings = root.find_all(_HEADINGS)
    if not headings:
        return
    shift = top - min(int(h.name[1]) for h in headings)
    for heading in headings:
        heading.name = f"h{max(1, min(6, int(heading.name[1]) + shift))}"


# -- Q&A layouts -------------------------------------------------------------------------------------------


_BODY = ".s-prose, .post-text, .js-post-body, [itemprop=text]"


def _stack_exchange(soup: BeautifulSoup) -> _QA | None:
    """A Stack Exchange question page (also older markup: `.post-text`, `.vote-count-post`)."""
    question = soup.find(id="question") or soup.find(class_="question")
    if question is None or question.select_one(_BODY) is None:
        return None
    answers = [
        answer
        for answer in soup.find_all(class_="answer")
        if answer.select_one(_BODY) is not None
        and answer.find_parent(class_="answer") is None
        and all(parent is not question for parent in answer.parents)
    ]
    header = soup.select_one("#question-header h1") or soup.find("h1", attrs={"itemprop": "name"})
    title = _text(header) if header is not None else ""
    if not title and (first := soup.find("h1")) is not None:
        title = _text(first)
    asked = question.find(attrs={"itemprop": "dateCreated"})
    asked = asked or soup.find("time", attrs={"itemprop": "dateCreated"})
    date = _iso_date(_attribute_value(asked)) if asked is not None else ""
    if not date:
        when = question.select_one(".post-signature.owner .relativetime[title]")  # (not an edit's)
        when = when or question.select_one(".user-action-time [title]")
        date = _iso_date(str(when["title"])) if when is not None else ""
    post = _se_post(question)
    post.date = date
    return _QA(post, [_se_post(answer) for answer in answers], title, question)


def _se_post(element: Tag) -> _Post:
    body = element.select_one(_BODY)
    score = _number(element.get("data-score"))
    if score is None:
        count = element.select_one(".js-vote-count, .vote-count-post, [itemprop=upvoteCount]")
        if count is not None:
            score = _number(count.get("data-value")) if count.get("data-value") is not None else None
            score = score if score is not None else _number(_attribute_value(count))
    classes = element.get("class") or []
    indicator = element.select_one(".js-accepted-answer-indicator, .vote-accepted-on")
    accepted = (
        "accepted-answer" in classes
        or element.get("itemprop") == "acceptedAnswer"
        or (indicator is not None and "d-none" not in (indicator.get("class") or []))
    )
    return _Post(body, _se_author(element), score, accepted)


def _se_author(element: Tag) -> str:
    """The post's owner: `[itemprop=author]`, else the last `.user-details` (an edit's comes first)."""
    details = element.find(attrs={"itemprop": "author"})
    if details is None:
        found = element.select(".post-signature .user-details") or element.select(".user-details")
        details = found[-1] if found else None
    if details is None:
        return ""
    named = details.find(attrs={"itemprop": "name"})
    if named is not None and _attribute_value(named):
        return _attribute_value(named)
    link = details.find("a")
    if link is not None and link.get_text(strip=True):
        return _text(link)
    return next((_one_line(text) for text in details.stripped_strings), "")


def _microdata(soup: BeautifulSoup) -> _QA | None:
    """A page with schema.org microdata: one itemscope of type Question, and the Answers inside it or
    outside any question. (Several questions make a FAQ page: an article, its headings the sections.)"""
    questions = soup.find_all(attrs={"itemscope": True, "itemtype": _itemtype("Question")})
    if len(questions) != 1:
        return None
    (question,) = questions
    answers = []
    for answer in soup.find_all(attrs={"itemscope": True, "itemtype": _itemtype("Answer")}):
        asked = answer.find_parent(attrs={"itemscope": True, "itemtype": _itemtype("Question")})
        if asked is None or asked is question:
            answers.append(answer)
    name = _props(question, "name")
    post = _micro_post(question)
    post.date = _iso_date(_attribute_value(_first_of(_props(question, "dateCreated", "datePublished"))))
    return _QA(post, [_micro_post(answer) for answer in answers], _attribute_value(_first_of(name)), question)


def _itemtype(kind: str) -> Any:
    pattern = re.compile(rf"(^|\s)https?://schema\.org/{kind}(\s|$)")
    return lambda value: value is not None and pattern.search(str(value)) is not None


def _micro_post(scope: Tag) -> _Post:
    author = ""
    person = _first_of(_props(scope, "author"))
    if person is not None:
        author = _attribute_value(_first_of(_props(person, "name"))) if person.has_attr("itemscope") else ""
        author = author or _attribute_value(person)
    votes = _first_of(_props(scope, "upvoteCount"))
    score = _number(_attribute_value(votes)) if votes is not None else None
    accepted = "acceptedAnswer" in str(scope.get("itemprop", "")).split()
    return _Post(_first_of(_props(scope, "text")), _one_line(author), score, accepted)


def _props(scope: Tag, *names: str) -> list[Tag]:
    """The elements that give `scope`'s own properties `names` (not those of an item nested in it)."""
    found = []
    for element in scope.find_all(attrs={"itemprop": True}):
        if not set(str(element["itemprop"]).split()).intersection(names):
            continue
        owner = element.find_parent(attrs={"itemscope": True})
        if owner is scope:
            found.append(element)
    return found


def _first_of(elements: list[Tag]) -> Tag | None:
    return elements[0] if elements else None


def _number(value: Any) -> int | None:
    """An integer from `27252`, `1,234`, `-3`; None for anything else (`1.2k`, empty)."""
    if value is None:
        return None
    text = str(value).strip().replace(",", "").replace("\u2212", "-")
    try:
        return int(text)
    except ValueError:
        return None


def _answer_heading(answer: _Post) -> str:
    """`Answer by NAME (score N, accepted)`, with the parts the page gives."""
    parts = []
    if answer.score is not None:
        parts.append(f"score {answer.score}")
    if answer.accepted:
        parts.append("accepted")
    heading = "Answer"
    if answer.author:
        heading += f" by {_escape(answer.author)}"
    if parts:
        heading += f" ({', '.join(parts)})"
    return heading


# -- text --------------------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


_BREAKING = frozenset({"br", "p", "div", "li", "dt", "dd", "tr", "td", "th", "pre", "blockquote", "hr"})
_BREAKING |= {"ul", "ol", "dl", "table", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6"}


def _text(element: Tag) -> str:
    """An element's text on one line, as it reads: inline elements joined as they are (`b <a>c</a>.`
    -> `b c.`, where get_text(" ") would give `b c .`), a space where a line or a block breaks."""
    parts = []
    for node in element.descendants:
        if isinstance(node, Tag):
            if node.name in _BREAKING:
                parts.append(" ")
        elif not isinstance(node, PreformattedString):  # (not a comment)
            parts.append(str(node))
    return _one_line("".join(parts))


def _first_paragraph(root: Tag | None) -> str:
    """The text of the first `<p>` with text under `root`, else all its text."""
    if root is None:
        return ""
    for paragraph in root.find_all("p"):
        text = _text(paragraph)
        if text:
            return text
    return _text(root)


def _shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """`text` on one line, at most `limit` characters, cut after a word (with `…`) when longer."""
    text = _one_line(text)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    kept = text[:cut] if cut > limit // 2 else text[: limit - 1]
    return kept.rstrip(" ,;:.-") + "…"


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'' if number == 1 else 's'}"


def _escape(text: str, links: bool = True) -> str:
    """Page text as Markdown that reads as that text: every special character escaped, `[^`, `[!` and
    `[ ]` broken with a word joiner, and (with `links`: not in a link's text) bare web addresses made
    explicit links.

    Why explicit: the reader makes links of bare addresses in the Markdown it reads, backslashes and all
    (`https://a.org/x\\_y`), wherever its linkify rules would find one after escaping (`\\<https://...`
    too). So every place where they could find one is found first, with a lookout as wide as theirs
    (any character but a letter, digit, `.`, `+`, `-` before the scheme) and their own `WebAddresses`
    for where the address ends."""
    if not text:
        return ""
    if not links or not _ADDRESSES.pretest(text):
        return _escape_plain(text)
    out = []
    position = 0
    for start in _ADDRESS_START.finditer(text):
        if start.start() < position:
            continue  # (inside the address before)
        address = _ADDRESSES.match_at_start(text[start.start() :])
        if address is None:
            continue
        out.append(_escape_plain(text[position : start.start()]))
        out.append(f"[{_escape_plain(address.text)}]({_safe_url(address.url)})")
        position = start.start() + address.last_index
    out.append(_escape_plain(text[position:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    text = _BRACKET.sub(f"[{_JOINER}", text)
    text = _SPECIAL.sub(r"\\\1", text)
    text = _DASHES.sub(r"\1\\\2", text)
    return _NUMBERED.sub(r"\1\2\\\3", text)


def _safe_url(url: str) -> str:
    """A URL as a Markdown link target: spaces, parentheses, angle brackets... percent-encoded."""
    return "".join(_URL_ESCAPES.get(char, char) for char in url if char.isprintable())


def _code_span(text: str, in_cell: bool) -> str:
    text = _one_line(text)
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if longest:
        text = f" {text} "
    span = f"{fence}{text}{fence}"
    return span.replace("|", "\\|") if in_cell else span


def _tidy(markdown: str) -> str:
    """One blank line at most between blocks (markdownify leaves two after some lists), none at the ends;
    code blocks as they are."""
    lines: list[str] = []
    fence = ""
    for line in markdown.strip("\n").rstrip().split("\n"):
        stripped = line.strip()
        if fence:
            if stripped == fence:
                fence = ""
        elif stripped.startswith("```"):
            fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
        elif not stripped and lines and not lines[-1].strip():
            continue
        lines.append(line)
    return "\n".join(lines)


def _language(pre: Tag) -> str:
    """The language of a code block: a `language-x` or `lang-x` class on its `<code>` or on it."""
    code = pre.find("code")
    for element in (code, pre):
        if element is None:
            continue
        names = list(element.get("class") or [])
        for name in names:
            lowered = name.lower()
            for prefix in ("language-", "lang-"):
                if lowered.startswith(prefix):
                    language = "".join(c for c in name[len(prefix) :] if c.isalnum() or c in "_+#.-")[:30]
                    if language and language.lower() not in _NO_LANGUAGE:
                        return language
    return ""


# -- conversion ----------------------------------------------------------------------------------------


class _Converter(MarkdownConverter):
    """markdownify, with our escaping, links and images, tables, code fences, and headings as `##`."""

    def __init__(self, page: _Page) -> None:
        super().__init__(
            heading_style="atx",
            bullets="-",
            escape_asterisks=False,
            escape_underscores=False,
            escape_misc=False,
        )
        self.page = page

    def markdown(self, root: Tag) -> str:
        """`root` (a post's body, the main content) as Markdown."""
        if root.name in ("td", "th", "tr", "table", "li", "a", "pre", "code"):
            root.name = "div"  # (the content itself, not something inside it)
        return _tidy(self.process_tag(root, parent_tags=set()))

    def escape(self, text: str, parent_tags: Any) -> str:
        return _escape(text, links="a" not in parent_tags)

    def convert_a(self, el: Tag, text: str, parent_tags: Any) -> str:
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = chomp(text)
        if not text:
            return ""
        raw = el.get("href")
        in_heading = any(name in parent_tags for name in _HEADINGS)
        if in_heading and isinstance(raw, str) and raw.strip().startswith("#"):  # (to itself)
            if _PERMALINK.fullmatch(text.replace("\\", "")):
                return ""  # (a `#`, `¶` or `§` permalink after the heading's words)
            return f"{prefix}{text}{suffix}"
        href = self.page.link(raw)
        if href is None or "\n\n" in text or "a" in parent_tags:
            return f"{prefix}{text}{suffix}"
        return f"{prefix}[{text}]({href}){suffix}"

    def convert_img(self, el: Tag, text: str, parent_tags: Any) -> str:
        alt = _one_line(str(el.get("alt") or el.get("title") or ""))
        if "_noformat" in parent_tags:
            return alt
        label = _escape(alt, links=False)
        if "a" in parent_tags or any(name in parent_tags for name in _HEADINGS):
            return label
        if el.get("width") in ("0", "1") and el.get("height") in ("0", "1"):
            return ""  # (a tracking pixel)
        href = self.page.image(el)
        if href is None:
            return label
        return f"[{label or 'image'}]({href})"

    def convert_video(self, el: Tag, text: str, parent_tags: Any) -> str:
        if "_noformat" in parent_tags or "a" in parent_tags:
            return text
        source = el.get("src") or next((s.get("src") for s in el.find_all("source") if s.get("src")), None)
        href = self.page.link(source)
        label = text.strip() or el.name
        return f"[{label}]({href})" if href else text

    convert_audio = convert_video

    def convert_br(self, el: Tag, text: str, parent_tags: Any) -> str:
        if "pre" in parent_tags:
            return "\n"
        return super().convert_br(el, text, parent_tags)

    def convert_code(self, el: Tag, text: str, parent_tags: Any) -> str:
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = chomp(text)
        span = _code_span(text, "td" in parent_tags or "th" in parent_tags)
        return f"{prefix}{span}{suffix}" if span else ""

    convert_kbd = convert_code
    convert_samp = convert_code

    def convert_pre(self, el: Tag, text: str, parent_tags: Any) -> str:
        if not text.strip():
            return ""
        if "_inline" in parent_tags:
            return f" {_code_span(text, 'td' in parent_tags or 'th' in parent_tags)} "
        lines = text.split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        code = "\n".join(lines).rstrip()
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}{_language(el)}\n{code}\n{fence}\n\n"

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: Any) -> str:  # (markdownify's name)
        if "_inline" in parent_tags:
            return text
        text = _one_line(text)
        if not text:
            return ""
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_dt(self, el: Tag, text: str, parent_tags: Any) -> str:
        text = _one_line(text)
        if "_inline" in parent_tags or not text:
            return f" {text} "
        return f"\n\n**{text}**\n\n"

    def convert_dd(self, el: Tag, text: str, parent_tags: Any) -> str:
        text = text.strip()
        if "_inline" in parent_tags or not text:
            return f" {text} "
        return f"\n\n{text}\n\n"

    def convert_li(self, el: Tag, text: str, parent_tags: Any) -> str:
        if "td" in parent_tags or "th" in parent_tags:
            return f" • {_one_line(text)} "
        return super().convert_li(el, text, parent_tags)

    def convert_list(self, el: Tag, text: str, parent_tags: Any) -> str:
        if "td" in parent_tags or "th" in parent_tags:
            return f" {text} "
        return super().convert_list(el, text, parent_tags)

    convert_ul = convert_list
    convert_ol = convert_list

    # tables: cells and rows are marked with control characters (never in the page's text), and the
    # table is laid out once all its rows are known (padded to the widest row: GitHub drops extra cells)
    def convert_td(self, el: Tag, text: str, parent_tags: Any) -> str:
        span = el.get("colspan")
        extra = max(0, min(50, int(span) - 1)) if isinstance(span, str) and span.strip().isdigit() else 0
        return _CELL + _one_line(text) + _CELL * extra

    convert_th = convert_td

    def convert_tr(self, el: Tag, text: str, parent_tags: Any) -> str:
        return _ROW + text

    def convert_caption(self, el: Tag, text: str, parent_tags: Any) -> str:
        return f"\n\n{_one_line(text)}\n\n"

    def convert_table(self, el: Tag, text: str, parent_tags: Any) -> str:
        before, *rows = text.split(_ROW)
        if "td" in parent_tags or "th" in parent_tags:  # a table in a cell: its text, on one line
            return " " + _one_line(text.replace(_ROW, " ").replace(_CELL, " ")) + " "
        grid = [row.split(_CELL)[1:] for row in rows]
        grid = [row for row in grid if row]
        before = before.replace(_CELL, " ").strip()
        if not grid:
            return f"\n\n{before}\n\n" if before else ""
        width = max(len(row) for row in grid)
        lines = []
        for number, row in enumerate(grid):
            cells = [cell.strip() for cell in row] + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if number == 0:
                lines.append("|" + " --- |" * width)
        table = "\n".join(lines)
        return f"\n\n{before}\n\n{table}\n\n" if before else f"\n\n{table}\n\n"

    def convert_qa_source_ref(self, el: Tag, text: str, parent_tags: Any) -> str:
        return f"\n\n{self.page._source_line()}\n\n"
