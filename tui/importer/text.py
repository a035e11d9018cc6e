"""A Q&A page saved (or copied) from a browser as plain text -> one article.

`from_text(text, known=...)` reads the page by the shape of its lines; nothing here knows one site. What it
finds, in order:

- **Lines.** Line ends, tabs, NBSP and other spaces are normalised and runs of spaces made one; control
  characters go (as the reader drops them). A line that starts with a lower-case letter right after a line
  that does not end a sentence (`.`, `!`, `?`, `:`, `;`), or a line indented under a list item, continues
  the line before (a paragraph the page wrapped). Every other line is a block of its own: a paragraph, a
  list item (`•`, `·`, `-`, `*`, `+`, `–`, `◦`, `▪`, ... or `1.` / `1)`), a heading.
- **Title.** The first line that is not a count line (below). Refused (ImportProblem "not a Q&A page: ...")
  when the page is empty, binary-looking, or that line is longer than 300 characters, has no letter, or
  starts like HTML, XML or JSON.
- **Counts.** Before the first section, a line made only of counts (`12 views`, `1.2K views`, `Feedback 3
  likes`, `3 likes`, `12 views · 3 likes`) is dropped, its numbers kept in front matter as `source_views`
  and `source_likes` (ints: `1.2K` -> 1200). A line that is exactly `Feedback` is dropped anywhere.
- **Summary.** The first line after the title and counts, unless it is a list item or has the shape of a
  heading (below); a heading-shaped line still is the summary when a count line follows it (the page put
  it between its counts). It goes to front matter `summary` only (not the body).
- **Headings.** A line is heading-shaped when it is not a list item, has a letter, is at most 80
  characters (300 when it starts with the question: `Is tea ...: Key Differences`, the article's first
  section), does not end with `.`, `!`, `,`, `;`, `:` or `…` (a `?` is fine), and does not start with a
  lower-case word (`iPhone` does not count as one). Consecutive heading-shaped lines form a run:
  - one line followed by text (a paragraph or a list) is a `##` heading;
  - two lines followed by text are a `##` heading and a `###` sub-heading of it (`Lessons Learned`,
    `Moderation Matters`); the lone headings after it are `###` too, more sub-headings of the same
    `##` (`Quality Counts`), until the next such pair, a comparison, a Notes or Further Discussion
    heading, or a heading that repeats the question; elsewhere a lone heading is `##` whatever its
    section holds;
  - a line directly followed by a comparison (below) is a `##` heading, the comparison `###` under it;
  - three or more lines, a run followed by nothing (the end, `Notes`), or a run after a line ending in
    `:` (`It helps with:`) are paragraphs: those are list items without bullets, or stray lines.
- **Comparison.** A heading-shaped line `A vs. B: subtitle` (`vs`, `versus`, any case; three sides too)
  whose next lines, after at most 5 paragraphs of introduction, are `A` and `B` (the same words in any
  case), each followed by a list, becomes `## A vs B: subtitle` with `### A` and `### B` holding the
  lists (`###` and `####` when a heading right before it holds it). When every item of every side has
  the form `Lead: rest` (a lead of at most 40 characters and 6 words), each is written `**Lead:** rest`,
  so the reader aligns the rows by aspect; else none is (rows then go by position: a side with some items
  of another form would misalign them). The paragraphs after the last side's list,
  up to the next heading, close the comparison: they are kept in the `vs` section, after the introduction
  and before the sides (after the sides they would read as part of the last side, and the comparison
  view shows the lists only). A `vs` line that is no comparison stays an ordinary heading, and no
  heading under it is nested when it bears a side's name (`check` would take it for a broken
  comparison).
- **Notes.** A `Notes` / `References` / `Sources` / `Footnotes` / `Citations` heading followed by lines
  `[n] Source - text` (with or without a bullet), or such lines ending the page with no heading: each
  becomes the footnote `[^n]: Source - text` (at the end), and every `[n]` in the body cites it as
  `[^n]`. A `[n]` with no note stays literal text (`\\[n\\]`). A note nobody cites (the summary is front
  matter, so a note cited only there counts as uncited), a second note with the same number, and the
  other lines under the heading stay where the heading was, under it, as a plain list and paragraphs; the
  heading goes only when every note became a footnote.
- **Further Discussion.** A `Further Discussion` / `Related questions` / `FAQ` / `FAQs` / `People also
  ask` / `Frequently asked questions` heading (any case, a final `:` allowed) followed, within 3 lines,
  by a question (a line ending in `?`, bulleted or not): the heading is kept as the page wrote it at
  `##`, each question becomes a `###` section holding the paragraphs and lists after it (lines before
  the first question stay under the heading). A question whose title is in `known` starts its section
  with a link to that article (`[Question?](id.md)`), and the id goes in front matter `related`. The
  region ends at the next heading run that is not a question, or a Notes heading.
- **Nothing is lost**: whatever fits none of the above stays a paragraph (or a list item) where it was.

`known` maps titles to article ids; its keys are compared by `known_key` (the title's words, folded for
case and accents, punctuation left out: `fold(title)`, `title_key(title)` or the title itself all work).

Page text is data: every Markdown special in it is escaped (`\\*`, `\\_`, `\\[`, `\\#`, `\\<`, `\\|`,
`\\%`, `\\=`, `\\~`, `\\&`, a leading `-`, `+`, `1.` ...), so that it stays literal in headings, list
items, links and notes. Two things the parser reads in text even escaped, `[^x]` (a reference with no
note) and `[ ]` / `[x]` opening an item (a task box), get an invisible word joiner (U+2060) after their
`[`. Web addresses (`https://...`, `www....`, as the reader finds them) become links whose text is the
address as written: `<https://...>`, or `[address](<url>)` when the parser would show an autolink
otherwise. Only the footnote references made here are live Markdown; the link to a known article is the
one other link made.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from tui.articles.obsidian import WebAddresses
from tui.articles.parse import comparison_sides, markdown_parser
from tui.articles.query import fold, title_key
from tui.articles.text import clean
from tui.importer import Imported, ImportProblem
from tui.importer.write import article, file_stem

MAX_TITLE = 300
MAX_HEADING = 80
MAX_REPEAT_HEADING = 300  # a heading that starts with the question (`Question: Key Differences`)
MAX_VS_HEADING = 120
MAX_INTRO = 5  # paragraphs between a `vs` heading and its first side
MAX_LEAD = 40
MAX_LEAD_WORDS = 6
MAX_COUNT_LINE = 80

NOTES_HEADINGS = frozenset({"notes", "references", "sources", "footnotes", "citations"})
FURTHER_HEADINGS = frozenset(
    {
        "further discussion",
        "related questions",
        "faq",
        "faqs",
        "people also ask",
        "frequently asked questions",
    }
)

_SPACES = re.compile(r"[\u2028\u2029\x85]")
_INVISIBLE = re.compile("[\ufeff\u200b]")
_BULLET = re.compile(r"^(?:[•·‣◦▪●○■□►▸]\s*|[-*+–]\s+)(?=\S)")
_ORDERED = re.compile(r"^(\d{1,3})([.)])\s+(?=\S)")
_NOTE = re.compile(r"^\[(\d{1,4})\]\s*(\S.*)$")
_CITES = re.compile(r"\S\s*\[\d{1,4}\]")
"""A note reference after some text (`... per cup. [1]`, `paragraph.[2]`)."""
_CITATION = re.compile(r"\[(\d{1,4})\]")
_NUMBER = r"\d[\d,]*(?:\.\d+)?\s*[kKmMbB]?"
_COUNT_PART = re.compile(rf"({_NUMBER})\s+(views?|likes?)\b", re.IGNORECASE)
_SEPARATORS = r"[\s·•|,:-]*"
_COUNT_LINE = re.compile(
    rf"(?:feedback\b)?{_SEPARATORS}(?:{_NUMBER}\s+(?:views?|likes?)\b{_SEPARATORS})+(?:feedback)?",
    re.IGNORECASE,
)
_LEAD = re.compile(rf"^([^:\[\]]{{1,{MAX_LEAD}}}?):\s+(\S.*)$")
_END_PUNCTUATION = frozenset(".!,;:…")
_SENTENCE_END = frozenset(".!?:;")
_CLOSERS = "\"'”’»)]"
# What is escaped wherever page text lands: inline Markdown, our Obsidian extensions (`#tag`,
# `==mark==`, `%%comment%%`, `[[wikilink]]`), HTML and entities, table cells.
_ESCAPE = frozenset("\\`*_[]<>#|~=%&")
_PLAIN_URL = re.compile(r"(?:https?|ftp)://[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]+")
_TASK_BOX = re.compile(r"\[[ xX]\](?: |$)")
_LINE_START = re.compile(r"^(?:[-+]|\d{1,9}[.)])")
_ADDRESSES = WebAddresses()


def known_key(title: str) -> str:
    """How `known`'s titles compare: the words, folded (`Does tea stain teeth?` -> `does tea stain teeth`)."""
    return title_key(title)


def from_text(text: str, *, known: Mapping[str, str] | None = None) -> Imported:
    """One article from a page's text (see the module's docstring); ImportProblem when it is no Q&A page."""
    lines = _lines(text)
    page = _Page(lines, {known_key(key): value for key, value in (known or {}).items()})
    return page.imported()


# -- lines ----------------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    """The line as read, spaces made single; for a list item, its text without the marker."""
    raw: str
    """The whole line, marker included, spaces made single."""
    indent: int
    marker: str = ""
    """"" for a line of text, "-" for a bullet, "." or ")" for a numbered item."""
    number: int = 0

    @property
    def item(self) -> bool:
        return bool(self.marker)


def _lines(text: str) -> list[_Line]:
    if "\x00" in text or _binary_looking(text):
        raise ImportProblem("not a Q&A page: binary data, not text")
    text = _INVISIBLE.sub("", _SPACES.sub("\n", clean(text)))
    lines: list[_Line] = []
    blank = False
    for raw in text.split("\n"):
        words = raw.split()
        if not words:
            blank = True
            continue
        stripped = " ".join(words)
        indent = len(raw) - len(raw.lstrip())
        line = _Line(stripped, stripped, indent)
        marker = _BULLET.match(stripped)
        ordered = _ORDERED.match(stripped)
        if marker:
            line.text, line.marker = stripped[marker.end() :], "-"
        elif ordered:
            line.text, line.marker, line.number = stripped[ordered.end() :], ordered[2], int(ordered[1])
        if lines and not blank and _continues(lines[-1], line):
            lines[-1].text += " " + line.text
            lines[-1].raw += " " + line.text
        else:
            lines.append(line)
        blank = False
    return lines


def _binary_looking(text: str) -> bool:
    """Whether text is mostly not text: control characters or undecodable bytes (\\ufffd) in its start."""
    sample = text[:4096]
    if not sample:
        return False
    odd = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return odd * 10 > len(sample)


def _continues(previous: _Line, line: _Line) -> bool:
    """Whether `line` (read right after `previous`, no blank line between) is the rest of it."""
    if line.item or _NOTE.match(line.text) or _is_feedback(previous.text) or _count_line(previous.text):
        return False
    if previous.item and line.indent > previous.indent:
        return True
    return _starts_lower(line.text) and previous.text[-1] not in _SENTENCE_END


def _note(line: _Line) -> re.Match[str] | None:
    """`[n] text`, bulleted or not (a numbered line is an item: its number is the page's text)."""
    return _NOTE.match(line.text) if line.marker in ("", "-") else None


def _starts_lower(text: str) -> bool:
    """A line that starts with a lower-case word (`iPhone`, `eBay` do not count)."""
    return text[0].islower() and not (len(text) > 1 and text[1].isupper())


def _count_line(text: str) -> list[tuple[str, int]] | None:
    """[("views", 12), ("likes", 3)] for a line made only of counts; None for any other line."""
    if len(text) > MAX_COUNT_LINE or not _COUNT_LINE.fullmatch(text):
        return None
    return [(kind.lower().rstrip("s") + "s", _count(number)) for number, kind in _COUNT_PART.findall(text)]


def _count(number: str) -> int:
    """`1.2K` -> 1200, `1,234` -> 1234."""
    number = number.replace(",", "").replace(" ", "")
    scale = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}.get(number[-1].lower(), 1)
    if scale != 1:
        number = number[:-1]
    try:
        return int(Decimal(number) * scale)
    except InvalidOperation:  # (the pattern allows none, but a count is no reason to refuse a page)
        return 0


def _is_feedback(text: str) -> bool:
    return fold(text) == "feedback"


def _name(text: str) -> str:
    """A heading as compared with the special names: folded, without a final colon."""
    return fold(text).rstrip(":").strip()


def _not_a_title(line: str) -> str | None:
    """Why the first line cannot be a question, or None."""
    if len(line) > MAX_TITLE:
        return f"the first line is {len(line)} characters long, not a question"
    if not any(ch.isalpha() for ch in line):
        return "the first line has no words"
    if re.match(r"<[!?a-zA-Z/]", line):
        return "it starts like HTML or XML, not a saved text page"
    if line[0] in "{[" and line[-1] in "}],":
        return "it starts like JSON, not a saved text page"
    return None


# -- what the page is made of ---------------------------------------------------------------------------


@dataclass
class _Heading:
    level: int
    text: str
    comparison: bool = False
    """A comparison's `A vs B: subtitle` heading (written with `vs`)."""


@dataclass
class _Paragraph:
    text: str
    link: str = ""
    """A link to this href, the text its words (a Further Discussion question's article)."""


@dataclass
class _List:
    items: list[str]
    ordered: str = ""
    """"" for bullets, else the delimiter (`.` or `)`)."""
    start: int = 1
    leads: bool = False
    """Write `Lead: rest` items as `**Lead:** rest` (a comparison's sides)."""


@dataclass
class _Notes:
    """Where a Notes heading was: kept when something under it is no footnote."""

    heading: str
    numbers: list[str] = field(default_factory=list)
    """The notes defined here, in page order."""
    other: list[_Paragraph | _List] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    """`[n] text` lines whose number an earlier note has (kept as list items)."""


_Block = _Heading | _Paragraph | _List | _Notes


@dataclass
class _Comparison:
    start: int
    sides: list[str]
    intro: list[int]
    side_lines: list[tuple[int, int, int]]
    """(heading, first item, end) of each side."""
    end: int


@dataclass
class _Run:
    """Heading-shaped lines from some index to `end`: headings at `levels`, or (no levels) paragraphs."""

    levels: list[int]
    end: int
    comparison: _Comparison | None = None
    """The comparison right after the run's one heading (it goes under it)."""


class _Page:
    """One page's lines read into blocks, then written as Markdown."""

    def __init__(self, lines: list[_Line], known: dict[str, str]) -> None:
        self.lines = lines
        self.known = known
        self.title = ""
        self.title_fold = ""
        self.stem = ""
        self.summary = ""
        self.views: int | None = None
        self.likes: int | None = None
        self.blocks: list[_Block] = []
        self.notes: dict[str, str] = {}
        self.related: list[str] = []
        self.remarks: list[str] = []
        self._shaped: dict[int, bool] = {}
        self._comparisons: dict[int, _Comparison | None] = {}
        self._group = False  # the last `##` holds `###` sub-headings: a lone heading now is one more
        # where the page's closing run of `[n] text` lines (notes with no heading) starts
        self._notes_from = len(lines)
        while self._notes_from and _note(lines[self._notes_from - 1]):
            self._notes_from -= 1

    def imported(self) -> Imported:
        index = self._head()
        self.stem = file_stem(self.title)
        while index < len(self.lines):
            index = self._step(index)
        meta = {
            "title": self.title,
            "summary": self.summary,
            "source_views": self.views,
            "source_likes": self.likes,
            "related": self.related,
            "imported_from": "text",
        }
        return Imported(self.title, article(meta, self._markdown()), self.stem, notes=self.remarks)

    # -- the top of the page --------------------------------------------------------------------------
    def _head(self) -> int:
        """Read the title, the counts and the summary; the index of the first line of the body."""
        lines = self.lines
        index = 0
        while index < len(lines) and (self._counted(lines[index]) or _is_feedback(lines[index].text)):
            index += 1
        if index >= len(lines):
            raise ImportProblem("not a Q&A page: no question found (the page has no text)")
        title = lines[index].raw
        reason = _not_a_title(title)
        if reason is not None:
            raise ImportProblem(f"not a Q&A page: {reason}")
        self.title = title
        self.title_fold = fold(title.rstrip("?").strip())
        index += 1
        while index < len(lines):
            line = lines[index]
            if self._counted(line) or _is_feedback(line.text):
                index += 1
                continue
            if self.summary or line.item or self._special(index):
                break
            if self._repeats_title(line.text) and self._heading_shaped(index):
                break
            following = index + 1
            counts_follow = following < len(lines) and (
                _count_line(lines[following].text) is not None or _is_feedback(lines[following].text)
            )
            if self._heading_shaped(index) and not counts_follow:
                break
            self.summary = line.text
            index += 1
        return index

    def _counted(self, line: _Line) -> bool:
        """Take a count line's numbers (the first of each kind); False for any other line."""
        counts = None if line.item else _count_line(line.text)
        if counts is None:
            return False
        taken = False
        for kind, number in counts:
            if kind == "views" and self.views is None:
                self.views, taken = number, True
            elif kind == "likes" and self.likes is None:
                self.likes, taken = number, True
        return taken

    def _repeats_title(self, text: str) -> bool:
        """Whether a line starts with the question (of 3 words or more), as a whole word."""
        folded, title = fold(text), self.title_fold
        return (
            len(title.split()) >= 3
            and folded.startswith(title)
            and not folded[len(title) : len(title) + 1].isalnum()
        )

    # -- the shape of a line --------------------------------------------------------------------------
    def _heading_shaped(self, index: int) -> bool:
        shaped = self._shaped.get(index)
        if shaped is None:
            shaped = self._shaped[index] = self._shape(self.lines[index])
        return shaped

    def _shape(self, line: _Line) -> bool:
        text = line.text
        if line.item or _NOTE.match(text) or _is_feedback(text) or not any(ch.isalpha() for ch in text):
            return False
        limit = MAX_HEADING
        if self._repeats_title(text):
            limit = MAX_REPEAT_HEADING
        elif comparison_sides(text)[0]:
            limit = MAX_VS_HEADING
        if len(text) > limit or _starts_lower(text) or _count_line(text) is not None:
            return False
        if limit != MAX_REPEAT_HEADING and _CITES.search(text):
            return False  # a line that cites a note (`... film. [1]`) is a sentence: headings cite nothing
        return text.rstrip(_CLOSERS)[-1:] not in _END_PUNCTUATION

    def _special(self, index: int) -> str:
        """ "notes" or "further" for a Notes / Further Discussion heading (with what they hold after it)."""
        lines = self.lines
        line = lines[index]
        if line.item or index + 1 >= len(lines) or len(line.text) > MAX_HEADING:
            return ""
        name = _name(line.text)
        if name in NOTES_HEADINGS and _note(lines[index + 1]):
            return "notes"
        if name in FURTHER_HEADINGS and any(
            self._question(after) for after in range(index + 1, min(index + 4, len(lines)))
        ):
            return "further"
        return ""

    def _question(self, index: int) -> bool:
        text = self.lines[index].text
        return text.endswith("?") and len(text) <= MAX_TITLE and any(ch.isalpha() for ch in text)

    def _comparison(self, index: int) -> _Comparison | None:
        if index not in self._comparisons:
            self._comparisons[index] = self._find_comparison(index)
        return self._comparisons[index]

    def _find_comparison(self, index: int) -> _Comparison | None:
        """`A vs B: subtitle`, at most MAX_INTRO paragraphs, then `A` and a list, `B` and a list."""
        lines = self.lines
        if not self._heading_shaped(index):
            return None
        sides = comparison_sides(lines[index].text)[0]
        if len(sides) < 2 or any(len(side) > MAX_HEADING for side in sides):
            return None
        position = index + 1
        intro = []
        while position < len(lines) and lines[position].text.casefold() != sides[0].casefold():
            if lines[position].item or self._special(position) or len(intro) >= MAX_INTRO:
                return None
            intro.append(position)
            position += 1
        side_lines = []
        for side in sides:
            if position >= len(lines):
                return None
            heading = position
            if lines[heading].item or lines[heading].text.casefold() != side.casefold():
                return None
            position += 1
            while position < self._notes_from and lines[position].item:
                position += 1
            if position == heading + 1:
                return None
            side_lines.append((heading, heading + 1, position))
        return _Comparison(index, sides, intro, side_lines, position)

    def _run(self, index: int, further: bool) -> _Run | None:
        """The run of heading-shaped lines at `index` (see the module's docstring); None when the line at
        `index` is none (or follows a line ending in `:`). In a Further Discussion region (`further`) a
        question ends a run and is no heading of it."""
        if not self._heading_shaped(index) or (further and self._question(index)):
            return None
        lines = self.lines
        end = index
        while (
            end < len(lines)
            and self._heading_shaped(end)
            and not self._special(end)
            and not (further and self._question(end))
            and (end == index or self._comparison(end) is None)
        ):
            end += 1
        previous = self.blocks[-1] if self.blocks else None
        if isinstance(previous, _Paragraph) and not previous.link and previous.text.endswith(":"):
            return _Run([], end)
        if end < len(lines) and end - index == 1 and self._comparison(end) is not None:
            return _Run([2], end, self._comparison(end))
        text_follows = (
            end < len(lines)
            and end < self._notes_from
            and not self._special(end)
            and not (further and self._question(end))
            and self._comparison(end) is None
        )
        if not text_follows or end - index > 2:
            return _Run([], end)
        return _Run([2] if end - index == 1 else [2, 3], end)

    def _boundary(self, index: int, further: bool) -> bool:
        """Whether a new part of the page starts at `index`: a heading, a comparison, notes."""
        if self._special(index) or self._comparison(index) is not None or index >= self._notes_from:
            return True
        run = self._run(index, further)
        return run is not None and bool(run.levels)

    # -- the body -------------------------------------------------------------------------------------
    def _step(self, index: int) -> int:
        """Read what starts at `index` into blocks; the index after it."""
        line = self.lines[index]
        special = self._special(index)
        run = None if special or index >= self._notes_from else self._run(index, False)
        if special or index >= self._notes_from or self._comparison(index) or (run and run.comparison):
            self._group = False
        if special == "notes":
            return self._notes(index + 1, line.text)
        if special == "further":
            return self._further(index)
        if index >= self._notes_from:
            return self._notes(index, "")
        comparison = self._comparison(index)
        if comparison is not None:
            return self._write_comparison(comparison, 2)
        if run is not None and run.levels:
            levels = run.levels
            if levels == [2] and self._group and not self._repeats_title(line.text):
                levels = [3]  # a sibling of the sub-heading before it
            else:
                self._group = len(levels) == 2
            for offset, level in enumerate(levels):
                self.blocks.append(_Heading(level, self.lines[index + offset].text))
            if run.comparison is not None:
                return self._write_comparison(run.comparison, 3)
            return run.end
        return self._plain(index, False)

    def _plain(self, index: int, further: bool) -> int:
        """A paragraph, a list, or a run of heading-shaped lines that are paragraphs; the index after."""
        lines = self.lines
        if lines[index].item:
            return self._list(index, max(self._notes_from, index + 1))
        run = self._run(index, further)
        end = run.end if run is not None and not run.levels else index + 1
        for position in range(index, end):
            if not _is_feedback(lines[position].text):
                self.blocks.append(_Paragraph(lines[position].text))
        return end

    def _list(self, index: int, end: int, leads: bool = False) -> int:
        """The list items from `index` on (blank lines between them or not) as lists: a bulleted one, or
        numbered ones (a new one where the numbers do not follow on, so no number is lost)."""
        lines = self.lines
        while index < end and lines[index].item:
            first = lines[index]
            items = [first.text]
            index += 1
            if first.marker == "-":
                while index < end and lines[index].marker == "-":
                    items.append(lines[index].text)
                    index += 1
                self.blocks.append(_List(items, leads=leads))
                continue
            number = first.number
            while index < end and lines[index].marker in (".", ")") and lines[index].number == number + 1:
                number += 1
                items.append(lines[index].text)
                index += 1
            previous = self.blocks[-1] if self.blocks else None
            # (a numbered list right after another with the same delimiter would run on from it)
            delimiter = ")" if isinstance(previous, _List) and previous.ordered == "." else "."
            self.blocks.append(_List(items, delimiter, first.number, leads))
        return index

    def _write_comparison(self, comparison: _Comparison, level: int) -> int:
        """The `vs` heading, its introduction and closing paragraphs, then a sub-section per side."""
        lines = self.lines
        self.blocks.append(_Heading(level, lines[comparison.start].text, comparison=True))
        for position in comparison.intro:
            if not _is_feedback(lines[position].text):
                self.blocks.append(_Paragraph(lines[position].text))
        index = comparison.end
        while index < len(lines) and not self._boundary(index, False):
            index = self._plain(index, False)
        items = [lines[item].text for _, first, end in comparison.side_lines for item in range(first, end)]
        leads = all(_lead(item) is not None for item in items)
        for heading, first, end in comparison.side_lines:
            self.blocks.append(_Heading(level + 1, lines[heading].text))
            self._list(first, end, leads)
        return index

    def _further(self, index: int) -> int:
        """A Further Discussion heading and its questions, each a sub-section with what follows it."""
        lines = self.lines
        self.blocks.append(_Heading(2, lines[index].text))
        index += 1
        while index < len(lines):
            if self._question(index):
                line = lines[index]
                question = line.text
                # (a numbered question keeps its number: it is the page's text)
                self.blocks.append(_Heading(3, line.raw if line.marker in (".", ")") else question))
                target = self.known.get(known_key(question)) if known_key(question) else None
                if target and target != self.stem:
                    self.blocks.append(_Paragraph(question, quote(f"{target}.md", safe="/")))
                    if target not in self.related:
                        self.related.append(target)
                index += 1
            elif self._boundary(index, True):
                break
            else:
                index = self._plain(index, True)
        return index

    def _notes(self, index: int, heading: str) -> int:
        """`[n] text` lines (and whatever else is under a Notes heading) from `index` on."""
        lines = self.lines
        place = _Notes(heading or "Notes")
        self.blocks.append(place)
        while index < len(lines):
            note = _note(lines[index])
            if note is not None:
                number, text = str(int(note[1])), note[2]
                if number in self.notes:
                    place.duplicates.append(lines[index].text)
                else:
                    self.notes[number] = text
                    place.numbers.append(number)
                index += 1
            elif self._boundary(index, False):
                break
            else:
                before = len(self.blocks)
                index = self._plain(index, False)
                place.other.extend(b for b in self.blocks[before:] if isinstance(b, _Paragraph | _List))
                del self.blocks[before:]
        return index

    # -- Markdown -------------------------------------------------------------------------------------
    def _markdown(self) -> str:
        cited = self._cited()
        defined = set(self.notes)
        live = cited & defined
        for number in sorted(cited - defined, key=int):
            self.remarks.append(f"reference [{number}] has no note; kept as text")
        for number in sorted(defined - cited, key=int):
            self.remarks.append(f"note [{number}] is cited nowhere in the text; kept in a list under Notes")

        def cite(number: str) -> str | None:
            return f"[^{number}]" if number in live else None

        self._flatten_false_comparisons()
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, _Heading):
                text = block.text
                if block.comparison:
                    sides, subtitle = comparison_sides(text)
                    text = " vs ".join(sides) + (f": {subtitle}" if subtitle else "")
                parts.append("#" * block.level + " " + _inline(text, cite))
            elif isinstance(block, _Paragraph):
                parts.append(_paragraph(block, cite))
            elif isinstance(block, _List):
                parts.append(_list_markdown(block, cite))
            else:
                parts.extend(self._notes_markdown(block, live, cite))
        for number in sorted(live, key=int):
            parts.append(f"[^{number}]: {_inline(self.notes[number])}")
        return "\n\n".join(parts)

    def _cited(self) -> set[str]:
        """The note numbers cited (`[n]`) in the body: headings, paragraphs, list items (not the summary:
        front matter is no Markdown)."""
        texts: list[str] = []
        for block in self.blocks:
            blocks = block.other if isinstance(block, _Notes) else [block]
            for inner in blocks:
                if isinstance(inner, _List):
                    texts.extend(inner.items)
                elif isinstance(inner, _Heading) or (isinstance(inner, _Paragraph) and not inner.link):
                    texts.append(inner.text)
        return {str(int(number)) for text in texts for number in _CITATION.findall(text)}

    def _notes_markdown(self, place: _Notes, live: set[str], cite: Callable[[str], str | None]) -> list[str]:
        """A Notes heading's place: nothing when all its notes are footnotes, else the heading, the lines
        under it that were no notes, and the notes nobody cites as a list."""
        uncited = [f"[{number}] {self.notes[number]}" for number in place.numbers if number not in live]
        uncited += place.duplicates
        if not uncited and not place.other:
            return []
        parts = ["## " + _inline(place.heading)]
        for block in place.other:
            parts.append(_list_markdown(block, cite) if isinstance(block, _List) else _paragraph(block, cite))
        if uncited:
            parts.append(_list_markdown(_List(uncited), None))
        return parts

    def _flatten_false_comparisons(self) -> None:
        """A `vs` heading that is no comparison: no heading under it may bear a side's name, else the
        reader (and `check`) would take it for a comparison with a side missing."""
        for index, block in enumerate(self.blocks):
            if not isinstance(block, _Heading) or block.comparison:
                continue
            sides = {side.casefold() for side in comparison_sides(block.text)[0]}
            if not sides:
                continue
            for later in self.blocks[index + 1 :]:
                if isinstance(later, _Notes):
                    break
                if not isinstance(later, _Heading):
                    continue
                if later.level <= block.level:
                    break
                if later.text.casefold() in sides:
                    later.level = block.level


# -- Markdown from page text ----------------------------------------------------------------------------


def _paragraph(block: _Paragraph, cite: Callable[[str], str | None]) -> str:
    if block.link:
        return f"[{_escaped(block.text, None)}](<{_destination(block.link)}>)"
    return _inline(block.text, cite)


def _lead(item: str) -> re.Match[str] | None:
    """`Caffeine: about 95 mg` -> its lead (`Caffeine`) and the rest; None for an item of another form."""
    lead = _LEAD.match(item)
    if lead is None or len(lead[1].split()) > MAX_LEAD_WORDS or lead[1].strip() != lead[1]:
        return None
    return lead


def _list_markdown(block: _List, cite: Callable[[str], str | None] | None) -> str:
    lines = []
    for offset, item in enumerate(block.items):
        marker = f"{block.start + offset}{block.ordered}" if block.ordered else "-"
        lead = _lead(item) if block.leads else None
        if lead is not None:
            text = f"**{_escaped(lead[1] + ':', None)}** {_inline(lead[2], cite, line_start=False)}"
        else:
            text = _inline(item, cite)
        lines.append(f"{marker} {text}")
    return "\n".join(lines)


def _inline(text: str, cite: Callable[[str], str | None] | None = None, line_start: bool = True) -> str:
    """Page text as Markdown that reads as the same text: specials escaped, web addresses as links whose
    text is the address as written, and `[n]` as the footnote reference `cite(n)` gives (else literal).
    `line_start`: the text opens a block (a paragraph, an item, a heading): a `-`, `+` or `1.` there is
    escaped too."""
    out: list[str] = []
    position = 0
    for address in _ADDRESSES.match(text) or ():
        out.append(_escaped(text[position : address.index], cite))
        written = text[address.index : address.last_index]
        if _autolinks(written, address.url):
            out.append(f"<{written}>")
        else:
            out.append(f"[{_escaped(written, None, link_text=True)}](<{_destination(address.url)}>)")
        position = address.last_index
    out.append(_escaped(text[position:], cite))
    written = "".join(out)
    if line_start and _LINE_START.match(written):
        written = _LINE_START.sub(lambda match: match[0][:-1] + "\\" + match[0][-1], written, count=1)
    return written


def _escaped(text: str, cite: Callable[[str], str | None] | None, link_text: bool = False) -> str:
    """`text` with every Markdown special escaped; `[n]` as `cite(n)` when that gives a reference.
    (`link_text`: inside a link's text, where no address is linkified again.)"""
    out: list[str] = []
    position = 0
    length = len(text)
    while position < length:
        ch = text[position]
        if ch == "[" and cite is not None:
            match = _CITATION.match(text, position)
            reference = cite(str(int(match[1]))) if match else None
            if match and reference:
                if out and out[-1] == "!":
                    out[-1] = "\\!"  # (`![^1]` must not start an image)
                out.append(reference)
                position = match.end()
                if position < length and text[position] in "(:":
                    out.append("\\" + text[position])  # (`[^1](x)` is a link, `[^1]:` a definition)
                    position += 1
                continue
        if ch == "[" and (text.startswith("^", position + 1) or (position == 0 and _TASK_BOX.match(text))):
            # The parser reads `[^x]` in text as a reference with no note, and `[ ]` / `[x]` opening an
            # item as a task box, escaped or not: a word joiner (invisible) after the `[` keeps them text.
            out.append("\\[\u2060")
        elif ch in _ESCAPE:
            out.append("\\" + ch)
        elif ch == ":" and not link_text and text.startswith("//", position + 1):
            out.append("\\:")  # (a `scheme://` glued to a word is no address here: never linkified)
        else:
            out.append(ch)
        position += 1
    return "".join(out)


def _autolinks(written: str, url: str) -> bool:
    """Whether an address may be written as an autolink (`<https://...>`, easier to read in the file than
    `[...](<...>)`): one with a scheme, of plain characters, that the parser shows as written (it decodes
    `%41`, `xn--` hosts, and takes odd hosts apart)."""
    return (
        written == url
        and _PLAIN_URL.fullmatch(written) is not None
        and markdown_parser().normalizeLinkText(written) == written
    )


def _destination(url: str) -> str:
    """A link destination, to write inside `<...>`."""
    return url.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")
