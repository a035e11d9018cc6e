"""Full-text search over a folder of articles: every word must match, case- and accent-insensitive, title
matches first; each hit names the section that matched and carries a snippet with the words marked.

The index is built once per content folder from the raw files (front matter and Markdown punctuation
stripped, split into sections at the headings scan.py finds, with the parser's own slugs), which is far
cheaper than a full parse and keeps 10,000 articles within a second or two. A query is then a substring
scan over pre-normalised text: no regular expression is built from what the user typed, so `[`, `*`,
`\\` or an emoji are just characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from markdown_it.common.utils import unescapeAll

from tui.articles.files import read_file
from tui.articles.library import Library
from tui.articles.model import ArticleInfo, wikilink_text
from tui.articles.scan import front_matter_end, headings
from tui.articles.text import Slugs, clean_line, decode

SNIPPET = 90
"""Characters of context in a snippet, around the first match."""

_INLINE = re.compile(r"~~|\*\*|__|(?<!\w)[*_]|[*_](?!\w)|`|\[\^[^\]]*\]|!?\[|\]\([^)]*\)|\]")
_BLOCK = re.compile(r"^\s*(?:[-+*>]|\d+[.)])\s+|\||^\s*:?-{3,}:?\s*$", re.M)
_SPACES = re.compile(r"\s+")
_COMMENT = re.compile(r"%%.*?%%", re.S)  # Obsidian comments: never shown, so never found
_TITLE_COMMENT = re.compile(r"(?:(?<=\s)|^)%%.*?%%[ \t]*|%%.*?%%")  # as the parser: `a %%c%% b` -> `a b`
_MARK = re.compile(r"==(?=\S)(.+?)(?<=\S)==")  # ==highlight== reads as its words
# [[target|alias]]: the words shown. On one line and no longer than the parser reads one (MAX_WIKILINK):
# `[[` without its `]]` must not send every match looking to the end of the text.
_WIKILINK = re.compile(r"!?\[\[([^\[\]|\n]{0,1000}?)(?:\\?\|([^\[\]\n]{0,1000}))?\]\]")
_IMAGE_SIZE = re.compile(r"\d+(?:x\d+)?")  # `![[logo.png|200]]`: a width, not words
_CODE_SPAN = re.compile(r"(`+)[^`]*?\1")


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text`: `Éclair` -> `eclair`."""
    if text.isascii():
        return text.lower()  # the common case, and far cheaper than normalising
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """`fold(text)` plus, for each folded character, the index of the original character it came from."""
    out: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        for folded in fold(ch):
            out.append(folded)
            positions.append(index)
    return "".join(out), positions


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
    """An article's searchable text."""

    id: str
    title: str
    folded_title: str
    folded_body: str
    sections: tuple[IndexedSection, ...]


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
    """Markdown -> words for searching: comments, emphasis, link targets and list/table punctuation
    removed; a wikilink reads as its alias, else its target."""
    markdown = _WIKILINK.sub(lambda m: _wikilink_words(m, m.group(1)), _COMMENT.sub(" ", markdown))
    return _SPACES.sub(" ", _INLINE.sub("", _BLOCK.sub(" ", markdown))).strip()


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
    return clean_line(_INLINE.sub("", unescapeAll(source))).strip() or "(untitled section)"


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
    return _MARK.sub(r"\1", source)


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
    tags = " ".join(f"#{tag}" for tag in front_tags(lines, body))  # found as tags, shown nowhere
    body = fold("\n".join([*(f"{section.title}\n{section.text}" for section in sections), tags]))
    return IndexedArticle(info.id, info.title, fold(info.title), body, tuple(sections))


@dataclass
class SearchIndex:
    """Searchable text of every article in a library."""

    articles: list[IndexedArticle] = field(default_factory=list)

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

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """Articles in which every word of `query` appears (title or text), best first."""
        words = words_of(query)
        if not words:
            return []
        scored: list[tuple[float, int, IndexedArticle]] = []
        for position, article in enumerate(self.articles):
            title = article.folded_title
            in_title = [word in title for word in words]
            missing = [word for word, found in zip(words, in_title, strict=True) if not found]
            if missing and not all(word in article.folded_body for word in missing):
                continue
            score = 10.0 * sum(in_title) + (50.0 if all(in_title) else 0.0)
            scored.append((score, position, article))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [self._hit(article, words, score) for score, _, article in scored[:limit]]

    def _hit(self, article: IndexedArticle, words: list[str], score: float) -> Hit:
        best: IndexedSection | None = None
        best_count = 0
        for section in article.sections:
            if section.title == article.title and not section.text:
                continue
            folded = fold(f"{section.title} {section.text}")
            count = sum(1 for word in words if word in folded)
            if count > best_count:
                best, best_count = section, count
        title_marks = match_spans(article.title, words)
        if best is None:  # only the question matched: show how the article begins
            first = next((section.text for section in article.sections if section.text), "")
            return Hit(article.id, article.title, None, "", make_snippet(first, []), title_marks, score)
        snippet = (
            make_snippet(best.text, words)
            if best.text
            else Snippet(best.title, match_spans(best.title, words))
        )
        return Hit(
            article.id, article.title, best.section_id or None, best.title, snippet, title_marks, score
        )

    def __len__(self) -> int:
        return len(self.articles)


def match_spans(text: str, words: list[str]) -> tuple[tuple[int, int], ...]:
    """Where the folded `words` (`words_of`) occur in `text`: sorted, merged (start, end) spans of the
    ORIGINAL text, so `Café` is marked whole by `cafe` and an accent typed as a combining mark goes with
    its letter."""
    folded, positions = fold_with_map(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            end = positions[start + len(word) - 1] + 1
            while end < len(text) and not fold(text[end]):  # combining marks folded away: part of the word
                end += 1
            spans.append((positions[start], end))
            start = folded.find(word, start + len(word))
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
    """A window of about `width` characters around the first matched word, cut at word boundaries."""
    folded, positions = fold_with_map(text)
    found = [folded.find(word) for word in words]
    found = [position for position in found if position != -1]
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
    marks = tuple((s + len(prefix), e + len(prefix)) for s, e in match_spans(window, words))
    return Snippet(prefix + window + suffix, marks)
