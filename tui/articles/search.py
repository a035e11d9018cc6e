"""Full-text search over a folder of articles: every word must match (the one being typed as a prefix),
"phrases" and -excluded words, case- and accent-insensitive; an exact title first, then titles starting
with the words, then relevance; each hit names the section that matched and carries a snippet of plain
text with the words marked.

What a query means is query.py's; this module turns Markdown into the plain text that is searched and
shown (`index_text`, `_plain`), picks the section and snippet of a hit (`best_hit`), and holds the
in-memory index used when SQLite's FTS5 is missing (`SearchIndex`). No regular expression is built from
what the user typed, so `[`, `*`, `\\` or an emoji are just characters.
"""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from tui.articles.files import read_file
from tui.articles.library import Library
from tui.articles.model import ArticleInfo, wikilink_text
from tui.articles.query import Query, Term, fold, is_token_char, joined, parse_query, rank_tier, tokens
from tui.articles.scan import front_matter_end, headings
from tui.articles.text import Slugs, clean_line, decode

SNIPPET = 90
"""Characters of context in a snippet, around the first match."""

_INLINE = re.compile(r"~~|\*\*|__|(?<!\w)[*_]|[*_](?!\w)|`|\[\^[^\]]*\]|!?\[|\]\([^)]*\)|\]")
_TITLE_COMMENT = re.compile(r"(?:(?<=\s)|^)%%.*?%%[ \t]*|%%.*?%%")  # as the parser: `a %%c%% b` -> `a b`
_MARK = re.compile(r"==(?=\S)(.+?)(?<=\S)==")  # ==highlight== reads as its words (see `_unmark`)
_MARK_OPEN = re.compile(r"(?===\S)")
_MARK_CLOSE = re.compile(r"(?<=\S)(?===)")
# [[target|alias]]: the words shown. On one line and no longer than the parser reads one (MAX_WIKILINK):
# `[[` without its `]]` must not send every match looking to the end of the text.
_WIKILINK = re.compile(r"!?\[\[([^\[\]|\n]{0,1000}?)(?:\\?\|([^\[\]\n]{0,1000}))?\]\]")
_IMAGE_SIZE = re.compile(r"\d+(?:x\d+)?")  # `![[logo.png|200]]`: a width, not words
_CODE_SPAN = re.compile(r"(`+)[^`]*?\1")
# For `_plain`, on whole texts, so indexing thousands of files stays cheap: each pattern starts with a
# literal character (so the regex engine skips ahead to it; the line patterns start at a `\n`, the text
# given one in front) and runs in linear time on any text (possessive runs: a line of a million spaces
# is no slower than a word).
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DROP_LINE = re.compile(  # rules, table delimiter rows, setext underlines, link reference definitions
    r"\n[ \t]*+(?:(?:-[ \t]*+){3,}|(?:\*[ \t]*+){3,}|(?:_[ \t]*+){3,}|=++[ \t]*+"
    r"|\|?[ \t]*+:?-++:?[ \t]*+(?:\|[ \t]*+:?-++:?[ \t]*+)*+\|?[ \t]*+"
    r"|\[(?!\^)[^\]\n]++\]:[ \t]*+\S[^\n]*+)(?=\n|$)"
)
_LINE_MARKS = re.compile(  # quote, list and task marks, a heading's #s, a footnote definition's label
    r"\n[ \t]*+(?:(?:>[ \t]?|[-+*][ \t]++|\d{1,9}[.)][ \t]++)(?:\[[ xX]\][ \t]++)?)*+"
    r"(?:#{1,6}(?=[ \t\n]|$)|\[\^[^\]\n]++\]:)?"
)
_HEADING_LINE = re.compile(r"\n[ \t]*+(?:(?:>[ \t]?|[-+*][ \t]++|\d{1,9}[.)][ \t]++))*+#{1,6}[ \t][^\n]*+")
_HEADING_CLOSE = re.compile(r"(?<=[ \t])#++[ \t]*+$")  # `## Title ##`: the closing #s
_PIPE = re.compile(r"\|(?<!\\\|)")
_FOOTNOTE_REF = re.compile(r"\[\^[^\[\]\s]++\]")
_INLINE_NOTE = re.compile(r"\^\[([^\[\]\n]*+)\]")  # ^[an inline footnote]: its words
_LINK = re.compile(  # [text](target "title"), [text][ref] -> the text (an image's ! is dropped after)
    r"\[([^\[\]\n]*+)\](?:\((?:[^()\n]++|\([^()\n]*+\))*+\)|\[[^\[\]\n]*+\])"
)
_IMAGE_MARK = re.compile(r"!(?=\x00)|\x00")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]++|[^<>\s@]++@[^<>\s]++)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*+(?:\s[^<>]*+)?/?>")
_EMPHASIS = re.compile(r"[*_~]++")
_TICKS = re.compile(r"`+")
_INLINE_TAG = re.compile(r"#(?<![^ \t\n(*_=~]#)([\w/-]+)")


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """`fold(text)` plus, for each folded character, the index of the original character it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    positions: list[int] = []
    for run in _ASCII_RUNS.finditer(text):  # ASCII in bulk, other characters one by one (cached)
        start, chunk = run.start(), run.group()
        if chunk.isascii():
            out.append(chunk.lower())
            positions.extend(range(start, start + len(chunk)))
            continue
        for index, ch in enumerate(chunk, start):
            folded = _fold_char(ch)
            out.append(folded)
            positions.extend([index] * len(folded))
    return "".join(out), positions


_ASCII_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return fold(ch)


def words_of(query: str) -> list[str]:
    """The folded words of a query; duplicates and words contained in others dropped."""
    words = [word for word in fold(query).split() if word]
    unique = []
    for word in sorted(set(words), key=len, reverse=True):
        if not any(word in longer for longer in unique):
            unique.append(word)
    return unique


@dataclass(frozen=True)
class IndexedSection:
    """A section's searchable text."""

    section_id: str
    title: str
    text: str


@dataclass(frozen=True)
class IndexedArticle:
    """An article's searchable text: its sections (plain text) and its tags (front matter and inline)."""

    id: str
    title: str
    sections: tuple[IndexedSection, ...]
    tags: tuple[str, ...] = ()

    def headings(self) -> str:
        """The section titles, one a line (not a first heading repeating the article's title)."""
        return "\n".join(s.title for s in self.sections if s.title and s.title != self.title)

    def body(self) -> tuple[str, list[tuple[str, str, int, int]]]:
        """The sections' text as one string, and each section as (id, title, start, end) in it."""
        parts: list[str] = []
        spans: list[tuple[str, str, int, int]] = []
        position = 0
        for section in self.sections:
            spans.append((section.section_id, section.title, position, position + len(section.text)))
            parts.append(section.text)
            position += len(section.text) + 1
        return "\n".join(parts), spans


@dataclass(frozen=True)
class Snippet:
    """Some text around a match; `marks` are (start, end) spans of matched words within `text`."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Hit:
    """One matching article."""

    article_id: str
    title: str
    section_id: str | None
    section_title: str
    snippet: Snippet
    title_marks: tuple[tuple[int, int], ...] = ()
    score: float = 0.0


def _plain(markdown: str) -> str:
    """Markdown -> the plain text that is searched and shown in snippets: comments gone; no table pipes,
    rules, emphasis, heading, list or quote marks; links and images as their text (targets dropped);
    HTML tags and footnote references gone; a wikilink as the words it shows; entities decoded. Code
    (fenced blocks and spans) is kept as written. One line, runs of spaces as one."""
    if "%%" in markdown:
        markdown = _drop_between(markdown, "%%", "%%")
    if "<!--" in markdown:
        markdown = _drop_between(markdown, "<!--", "-->")
    if "[[" in markdown:
        markdown = _WIKILINK.sub(lambda m: _wikilink_words(m, wikilink_text(m.group(1))), markdown)
    if "```" not in markdown and "~~~" not in markdown:
        return " ".join(_prose(markdown).split())
    parts: list[str] = []
    fence = ""
    chunk: list[str] = []
    for line in markdown.split("\n"):
        opening = _FENCE.match(line)
        if fence:  # inside a code block: up to a closing fence as long as the opening one
            marker = opening.group(1) if opening else ""
            closing = opening and marker[0] == fence[0] and len(marker) >= len(fence)
            if closing and opening and not line[opening.end() :].strip():
                parts.append(" ".join(chunk))
                chunk, fence = [], ""
                continue
            chunk.append(line)
        elif opening and not (opening.group(1)[0] == "`" and "`" in line[opening.end() :]):
            parts.append(_prose("\n".join(chunk)))
            chunk, fence = [], opening.group(1)
        else:
            chunk.append(line)
    parts.append(" ".join(chunk) if fence else _prose("\n".join(chunk)))
    return " ".join(" ".join(parts).split())


def _prose(markdown: str) -> str:
    """`_plain` for Markdown outside code blocks."""
    markdown = "\n" + markdown  # (the line patterns start at a line's `\n`)
    if "#" in markdown:
        markdown = _HEADING_LINE.sub(lambda m: _HEADING_CLOSE.sub("", m.group()), markdown)
    markdown = _LINE_MARKS.sub("\n", _DROP_LINE.sub("", markdown))[1:]
    if "|" in markdown:
        markdown = _PIPE.sub(" ", markdown)
    if "[" in markdown:
        markdown = _INLINE_NOTE.sub(r" \1", _FOOTNOTE_REF.sub("", markdown))
        if "](" in markdown or "][" in markdown:
            # a link's text, marked by a NUL (decoded text holds none) so an image's `!` goes with it
            markdown = _IMAGE_MARK.sub("", _LINK.sub("\x00\\1", markdown))
    if "<" in markdown:
        markdown = _HTML_TAG.sub(" ", _AUTOLINK.sub(r"\1", markdown))
    if "`" not in markdown:
        return _inline_marks(markdown)
    out = []
    position = 0
    for start, end, code_start, code_end in _code_spans(markdown):
        out.append(_inline_marks(markdown[position:start]))
        code = markdown[code_start:code_end]
        out.append(code[1:-1] if len(code) > 2 and code[0] == code[-1] == " " else code)
        position = end
    out.append(_inline_marks(markdown[position:]))
    return "".join(out)


def _drop_between(text: str, opening: str, closing: str) -> str:
    """`text` without each `opening`...`closing` (as `re.sub(opening.*?closing)`, in linear time: an
    unclosed `opening` and what follows it stay)."""
    out = []
    position = 0
    while (start := text.find(opening, position)) != -1:
        end = text.find(closing, start + len(opening))
        if end == -1:
            break
        out.append(text[position:start])
        out.append(" ")
        position = end + len(closing)
    out.append(text[position:])
    return "".join(out)


def _code_spans(text: str) -> list[tuple[int, int, int, int]]:
    """The code spans of `text`: (start, end, code start, code end), a run of backticks closed by the next
    run of as many (in linear time, however many backticks)."""
    runs = [(match.start(), match.end()) for match in _TICKS.finditer(text)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index] = last.get(length)
        last[length] = index
    spans = []
    index = 0
    while index < len(runs):
        close = following[index]
        if close is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[close][1], runs[index][1], runs[close][0]))
        index = close + 1
    return spans


def _inline_marks(text: str) -> str:
    """Emphasis, strike-through and highlight marks gone; escapes and entities decoded."""
    if "==" in text:
        text = _unmark(text)
    if "*" in text or "_" in text or "~" in text:
        text = _EMPHASIS.sub(_emphasis, text)
    return _unescape_all(text) if "\\" in text or "&" in text else text


def _unmark(text: str) -> str:
    """`_MARK.sub(r"\\1", text)` in linear time, however many `==` a line holds: each `==` before a
    non-space opens at the nearest `==` after a non-space on the same line (at least one character on)."""
    opens = [match.start() for match in _MARK_OPEN.finditer(text)]
    if not opens:
        return text
    closes = [match.start() for match in _MARK_CLOSE.finditer(text)]
    out = []
    position = close = 0
    line_end = -1
    for start in opens:
        if start < position:
            continue
        while close < len(closes) and closes[close] < start + 3:
            close += 1
        if close == len(closes):
            break
        if line_end < start + 2:
            line_end = text.find("\n", start + 2)
            line_end = len(text) if line_end < 0 else line_end
        end = closes[close]
        if end < line_end:
            out.append(text[position:start])
            out.append(text[start + 2 : end])
            position = end + 2
    out.append(text[position:])
    return "".join(out)


def _emphasis(match: re.Match[str]) -> str:
    """A run of `*`, `_` or `~` as plain text shows it: gone when it marks emphasis or strike-through (at
    a word's edge, or `**`/`~~` anywhere), kept inside a word (`snake_case`), after a backslash, or alone
    between spaces (`5 * 3`)."""
    run, text, start, end = match.group(), match.string, match.start(), match.end()
    if start and text[start - 1] == "\\":
        return run
    if run == "~":
        return run
    before = start > 0 and _word_char(text[start - 1])
    after = end < len(text) and _word_char(text[end])
    if before and after:  # inside a word: only ** (and ~~) are marks there
        return "" if run.startswith(("**", "~~")) else run
    if not before and not after and (start == 0 or text[start - 1] == " ") and end < len(text):
        return run if text[end] == " " else ""
    return ""


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def front_tags(lines: list[str], end: int) -> list[str]:
    """The `tags` of a front matter (`lines[1:end - 1]`), read without YAML: `tags: [a, b]`, `tags: a, b`
    and the block list (`tags:` then `  - a` lines). Cheap, for the index of thousands of files; the
    parser reads them properly for the article itself."""
    tags: list[str] = []
    inside = False
    for line in lines[1 : max(1, end - 1)]:
        if inside:
            item = line.strip()
            if item.startswith("- "):
                tags.append(item[2:])
                continue
            inside = False
        key, _, value = line.partition(":")
        if key.strip() == "tags":
            value = value.strip().strip("[]")
            if value:
                tags.extend(value.split(","))
            else:
                inside = True
    return [tag.strip().strip("'\"").lstrip("#") for tag in tags if tag.strip().strip("'\"")]


def heading_title(source: str) -> str:
    """A heading's title as the parser gives it (`Section.title`), from its text on one line (scan.py's
    `SourceHeading.one_line`): emphasis and link marks gone, entities and escapes decoded."""
    out = []  # marks inside code spans stay as typed
    position = 0
    for match in _CODE_SPAN.finditer(source):
        out.append(_title_words(source[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_title_words(source[position:]))
    source = "".join(out)
    return clean_line(_INLINE.sub("", _unescape_all(source))).strip() or "(untitled section)"


def _wikilink_words(match: re.Match[str], shown: str) -> str:
    """The words a wikilink shows: its alias (not an image's size), else `shown`."""
    alias = match.group(2)
    if alias and not (match.group(0).startswith("!") and _IMAGE_SIZE.fullmatch(alias.strip())):
        return alias
    return shown


def _title_words(source: str) -> str:
    """Heading text outside code spans, as the parser reads it: comments gone, wikilinks as their words,
    `==marks==` as their words."""
    source = _WIKILINK.sub(
        lambda m: _wikilink_words(m, wikilink_text(m.group(1))), _TITLE_COMMENT.sub("", source)
    )
    return _unmark(source) if "==" in source else source


def inline_tags(markdown: str) -> list[str]:
    """The `#tags` written in a text (as the parser reads them: not `#1`, not in a word: `C#`)."""
    if "#" not in markdown:
        return []
    found = []
    for match in _INLINE_TAG.finditer(markdown):
        name = match.group(1).rstrip("/")
        if name.strip("-_") and not name.isdigit():
            found.append(name)
    return found


def index_text(info: ArticleInfo, text: str) -> IndexedArticle:
    """Split one file's text into searchable sections (the same ids and titles as the parser gives)."""
    lines = text.split("\n")
    sections: list[IndexedSection] = []
    slugs = Slugs()

    def add(section_id: str, title: str, start: int, end: int) -> None:
        body = _plain("\n".join(lines[start:end]))
        if body or section_id:
            sections.append(IndexedSection(section_id, title, body))

    body = front_matter_end(lines)
    section_id, title, start = "", "", body
    for heading in headings(lines, body):
        add(section_id, title, start, heading.start)
        title = heading_title(heading.one_line)
        section_id, start = slugs.make(title), heading.end
    add(section_id, title, start, len(lines))
    text_tags = inline_tags(_drop_between("\n".join(lines[body:]), "%%", "%%")) if "#" in text else []
    tags = tuple(dict.fromkeys([*front_tags(lines, body), *text_tags]))
    return IndexedArticle(info.id, info.title, tuple(sections), tags)


TITLE, TAGS, HEADINGS, BODY = 10.0, 6.0, 4.0, 1.0
"""How much a word found in each field weighs in the in-memory index's score (BM25's weights in SQLite)."""


class _Postings:
    """For one field of every article: each token's articles (their positions, ascending)."""

    def __init__(self) -> None:
        self.lists: dict[str, array[int]] = {}
        self._vocabulary: list[str] | None = None

    def add(self, position: int, words: Iterable[str]) -> None:
        lists = self.lists
        for word in set(words):
            found = lists.get(word)
            if found is None:
                found = lists[word] = array("i")
            found.append(position)
        self._vocabulary = None

    def having(self, term: Term) -> set[int]:
        """The articles holding every word of `term` (the last as a prefix if it is one); for a phrase,
        a superset: the caller checks the order."""
        found: set[int] | None = None
        for index, word in enumerate(term.words):
            if term.prefix and index == len(term.words) - 1:
                here = self._starting(word)
            else:
                here = set(self.lists.get(word, ()))
            found = here if found is None else found & here
            if not found:
                return set()
        return found or set()

    def _starting(self, stem: str) -> set[int]:
        if self._vocabulary is None:
            self._vocabulary = sorted(self.lists)
        vocabulary = self._vocabulary
        found: set[int] = set()
        for index in range(bisect_left(vocabulary, stem), len(vocabulary)):
            if not vocabulary[index].startswith(stem):
                break
            found.update(self.lists[vocabulary[index]])
        return found


@dataclass
class SearchIndex:
    """Searchable text of every article in a library, in memory: the search used without SQLite's FTS5.

    Each article's title, headings, tags and body are kept as one `joined()` text (for phrases and the
    score), and each token's articles are listed (so a query looks only at the articles holding its words,
    not at every text)."""

    articles: list[IndexedArticle] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._fields: list[tuple[str, str, int, int, int]] = []
        self._all = _Postings()  # every field
        self._short = _Postings()  # title, headings and tags: the fields that weigh more
        self._tags = _Postings()
        for article in self.articles:
            self._add(article)

    def _add(self, article: IndexedArticle) -> None:
        position = len(self._fields)
        title = tokens(article.title)
        headings = tokens(article.headings())
        tags = tokens(" ".join(article.tags))
        body = [tokens(section.text) for section in article.sections]
        self._all.add(position, chain(title, headings, tags, *body))
        self._short.add(position, [*title, *headings, *tags])
        self._tags.add(position, tags)
        # two spaces between fields and sections: a phrase never runs from one into the next
        texts = [f" {' '.join(words)} " for words in (title, headings, tags, *body)]
        text = "".join(texts)
        ends = (len(texts[0]), len(texts[0]) + len(texts[1]), len(texts[0]) + len(texts[1]) + len(texts[2]))
        self._fields.append((" ".join(title), text, *ends))

    @classmethod
    def build(cls, library: Library) -> SearchIndex:
        """Read every article once; unreadable files are left out (`check` reports them)."""
        articles = []
        for info in library.infos:
            try:
                text, _ = decode(read_file(info.path), info.path)  # as the parser reads it (a BOM dropped)
            except OSError:
                continue
            if text is not None:  # (a binary file)
                articles.append(index_text(info, text))
        return cls(articles)

    def search(self, query: str, limit: int = 50, typing: bool = True) -> list[Hit]:
        """Articles holding every term of `query` (see query.py) and no excluded one, best first: the
        exact title, titles starting with the words, then by score, then in reading order."""
        parsed = parse_query(query, typing)
        if not parsed.terms:
            return []
        found = self._having(parsed.terms[0])
        for term in parsed.terms[1:]:
            if not found:
                return []
            found &= self._having(term)
        for term in parsed.excluded:
            if found:
                found -= self._having(term) & found
        # Most articles hold the words in their text alone: all alike (tier 2, the least score), in reading
        # order. Only those with a word in a title, heading or tag are scored one by one.
        short: set[int] = set()
        for term in parsed.terms:  # (every article matched by a tag term is among them)
            short |= self._short.having(term) & found
        ranked = sorted(self._score(position, parsed) for position in short)[:limit]
        rest = heapq.nsmallest(limit, found - short)
        plain = BODY * len(parsed.terms)
        ranked = sorted([*ranked, *((2, -plain, position) for position in rest)])[:limit]
        return [
            best_hit(article.id, article.title, article.sections, parsed, -score)
            for _, score, position in ranked
            for article in (self.articles[position],)
        ]

    def _having(self, term: Term) -> set[int]:
        """The articles that hold `term` (a tag term: in their tags)."""
        found = (self._tags if term.tag else self._all).having(term)
        if len(term.words) > 1 and found:  # a phrase: its words in order
            needle = term.needle()
            fields = self._fields
            if term.tag:
                found = {n for n in found if fields[n][1].find(needle, fields[n][3], fields[n][4]) >= 0}
            else:
                found = {n for n in found if needle in fields[n][1]}
        return found

    def _score(self, position: int, query: Query) -> tuple[int, float, int]:
        """(tier, minus the score, position) of an article holding a word in a title, heading or tag."""
        title, text, title_end, headings_end, tags_end = self._fields[position]
        score = 0.0
        for term in query.terms:
            if term.tag:
                score += TAGS
                continue
            needle = term.needle()
            if text.find(needle, 0, title_end) >= 0:
                score += TITLE
            if text.find(needle, title_end, headings_end) >= 0:
                score += HEADINGS
            if text.find(needle, headings_end, tags_end) >= 0:
                score += TAGS
            if text.find(needle, tags_end) >= 0:
                score += BODY
        return rank_tier(title, query), -score, position

    def __len__(self) -> int:
        return len(self.articles)


def best_hit(
    article_id: str, title: str, sections: Sequence[IndexedSection], query: Query, score: float
) -> Hit:
    """A matching article as a `Hit`: the section that matches best (its title holding the most terms,
    then its text; the first of equals), with a snippet around the words, or the article's beginning when
    only its title or tags matched."""
    needles = [term.needle() for term in query.terms if not term.tag]
    best: IndexedSection | None = None
    best_rank = (0, 0)
    for section in sections:
        if section.title == title and not section.text:
            continue
        heading = joined(section.title) if section.title and section.title != title else " "
        text = joined(section.text)
        in_heading = sum(needle in heading for needle in needles)
        rank = (in_heading, sum(needle in heading or needle in text for needle in needles))
        if rank[1] and rank > best_rank:
            best, best_rank = section, rank
    marks = query.marks()
    title_marks = match_spans(title, marks, starts=True)
    if best is None:  # only the question (or a tag) matched: show how the article begins
        first = next((section.text for section in sections if section.text), "")
        return Hit(article_id, title, None, "", make_snippet(first, []), title_marks, score)
    if best.text:
        snippet = make_snippet(best.text, marks)
    else:
        snippet = Snippet(best.title, match_spans(best.title, marks, starts=True))
    return Hit(article_id, title, best.section_id or None, best.title, snippet, title_marks, score)


def _occurrences(folded: str, word: str, anywhere: bool) -> list[int]:
    """Where `word` starts in `folded`: at the start of a token only, unless `anywhere`."""
    found = []
    start = folded.find(word)
    while start != -1:
        if anywhere or start == 0 or not is_token_char(folded[start - 1]):
            found.append(start)
        start = folded.find(word, start + (len(word) if anywhere else 1))
    return found


def match_spans(text: str, words: list[str], starts: bool = False) -> tuple[tuple[int, int], ...]:
    """Where the folded `words` occur in `text` (with `starts`, only at the start of a word, as a search
    matches them: `Query.marks()`; without, anywhere, as the sidebar's filter does): sorted, merged
    (start, end) spans of the ORIGINAL text, so `Café` is marked whole by `cafe` and an accent typed as a
    combining mark goes with its letter."""
    folded, positions = fold_with_map(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        if not word:
            continue
        for start in _occurrences(folded, word, not starts):
            end = positions[start + len(word) - 1] + 1
            while end < len(text) and not fold(text[end]):  # combining marks folded away: part of the word
                end += 1
            spans.append((positions[start], end))
    return _merge_spans(spans)


def _merge_spans(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def make_snippet(text: str, words: list[str], width: int = SNIPPET) -> Snippet:
    """A window of about `width` characters around the first word (of `words`, at a word's start),
    cut at spaces, with the words marked."""
    folded, positions = fold_with_map(text)
    found = [occurrences[0] for word in words if word and (occurrences := _occurrences(folded, word, False))]
    if not found:
        cut = text[:width]
        return Snippet(cut + ("…" if len(text) > width else ""), ())
    first = positions[min(found)]
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    window = text[start:end]
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    marks = tuple((s + len(prefix), e + len(prefix)) for s, e in match_spans(window, words, starts=True))
    return Snippet(prefix + window + suffix, marks)


def _unescape_all(text: str) -> str:
    """markdown-it's `unescapeAll` (backslash escapes and entities), imported only when a text has any:
    importing markdown-it costs `qa-reader search` about 45 ms."""
    from markdown_it.common.utils import unescapeAll

    return unescapeAll(text)
