"""Where the front matter ends and which lines are headings, found without markdown-it.

Why this exists: speed. Listing a folder (`Library.scan`) and building the search index read thousands of
files and need only two facts from each, the front matter's bounds and the headings. The full parser
(parse.py) takes some twenty times longer per article, and importing markdown-it alone takes tens of
milliseconds, more than listing a small folder: the cheap paths must not touch it. Everything that reads
Markdown structure by hand lives here, in one place, so that there is one thing to keep right.

Right means: the same answer as the parser. A `# line` is a heading only where markdown-it (with the
parser's front_matter, footnote and table rules) would make it a top-level heading, the only kind that
opens a section: not inside a fenced or indented code block, an HTML block, a list item, a quote or a
footnote. So this is a small copy of markdown-it's block rules (`markdown_it/rules_block/*.py`, the
front matter and footnote plugins) that keeps only the structure: no tokens, no inline parsing, no
state it does not need. tests/test_scan.py checks it against markdown-it on generated documents.

Also copied: the parser's own rule for text nested deeper than MAX_DEPTH (parse.py's `nested_text`).
Not copied, because the parser never reaches them or articles never hold them: markdown-it's `maxNesting`
cut-off (which that rule keeps out of reach), the cap on a table's empty cells, and HTML entities in a
link definition's destination (markdown-it decodes `&#106;avascript:` before refusing the link). A
document that needs one of those can differ, and then only in what the index lists or where a search hit
opens.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import compress
from typing import NamedTuple

MAX_DEPTH = 16
"""Lists and quotes nested deeper than this are shown as plain text (inside the deepest one made): the
parser's rule (parse.py's `nested_text`), followed here too, so nothing recurses without end."""
# markdown-it silently drops everything from a block nested `maxNesting` token levels deep to the end of
# the enclosing range (usually the file). A list costs two levels (list, item), a quote or a footnote one:
# this leaves room for MAX_DEPTH + 1 lists in a footnote, the text in them, and a margin.
MAX_NESTING = 2 * MAX_DEPTH + 8

# What markdown-it's mdTrim() strips: JavaScript's trim() set, which is not str.strip()'s.
_TRIM = (
    "\t\n\x0b\x0c\r \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
_DIGITS = "0123456789"
_ORDERED = re.compile(r"[0-9]{1,9}[.)](?=[ \t]|$)")  # then a space, a tab or the end of the line
_BULLET = re.compile(r"[-+*](?=[ \t]|$)")
_DELIMITER_ROW = re.compile(r"[-:| \t]*")
_DELIMITER_CELL = re.compile(r":?-+:?")
_SPACES = " \t"
_LINE_BREAK = re.compile(r" *\n[ \t]*")  # (the spaces before a line end and after it go with it)
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n|$)")
# No block but a paragraph starts with one of these (nor does any block that ends one, but a table).
_PARAGRAPH_ONLY = frozenset(map(chr, range(0x80))) - set("`~>*-_+0123456789[<#")
# The seven kinds of HTML block (CommonMark 4.6): how each opens, how it closes (`^$`: at a blank line),
# and whether it may interrupt a paragraph. Copied from markdown_it/rules_block/html_block.py.
_BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|"
    "dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|"
    "html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|"
    "summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_ATTRIBUTE = r"(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\s*=\s*(?:[^\"'=<>`\x00-\x20]+|'[^']*'|\"[^\"]*\"))?)"
_RAW = "script|pre|style|textarea"
# A link destination that markdown-it refuses (validateLink): such a definition is a paragraph.
_BAD_LINK = re.compile(r"(vbscript|javascript|file|data):")
_GOOD_DATA = re.compile(r"data:image/(gif|png|jpeg|webp);")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")

# Which block rules may end a paragraph (or a quote's lazy lines, or a list) without a blank line: the
# rules' `alt` lists in markdown-it (and the footnote plugin's).
_ENDS_PARAGRAPH = frozenset(
    {"table", "fence", "blockquote", "hr", "list", "footnote", "html", "heading", "comment"}
)
_ENDS_QUOTE = frozenset({"fence", "blockquote", "hr", "list", "html", "heading"})
_ENDS_LIST = frozenset({"fence", "blockquote", "hr"})


@cache
def _html_blocks() -> tuple[tuple[re.Pattern[str], re.Pattern[str], bool], ...]:
    """The patterns, compiled on first use: few articles hold HTML, and start-up is counted in ms."""
    return (
        (re.compile(rf"^<(?a:({_RAW}))(?=(\s|>|$))", re.I), re.compile(rf"</(?a:({_RAW}))>", re.I), True),
        (re.compile(r"^<!--"), re.compile(r"-->"), True),
        (re.compile(r"^<\?"), re.compile(r"\?>"), True),
        (re.compile(r"^<![A-Za-z]"), re.compile(r">"), True),
        (re.compile(r"^<!\[CDATA\["), re.compile(r"\]\]>"), True),
        (re.compile(rf"^</?(?a:({_BLOCK_NAMES}))(?=(\s|/?>|$))", re.I), re.compile(r"^$"), True),
        (
            re.compile(rf"^(?:<[A-Za-z][A-Za-z0-9\-]*{_ATTRIBUTE}*\s*/?>|</[A-Za-z][A-Za-z0-9\-]*\s*>)\s*$"),
            re.compile(r"^$"),
            False,
        ),
    )


class SourceHeading(NamedTuple):
    """A top-level heading in the source: its lines `start` to `end` (exclusive; a setext heading's
    underline included), its level, and its text as written (what markdown-it hands the inline parser:
    no `#` marks, no closing sequence, the lines of a setext heading joined by newlines)."""

    start: int
    end: int
    level: int
    text: str

    @property
    def one_line(self) -> str:
        """The text on one line, as the parser reads a setext heading's line breaks: one space each."""
        return _LINE_BREAK.sub(" ", self.text) if "\n" in self.text else self.text


def front_matter_end(lines: list[str]) -> int:
    """The index of the first line after the front matter; 0 when there is none (or it never ends).

    As mdit-py-plugins' front_matter rule: the file starts with three or more dashes (whatever follows
    them on that line); the block ends at a line of at least as many dashes (indented at most three
    columns, then only spaces) or at `...` in the first column.
    """
    if len(lines) < 2 or not lines[0].startswith("---"):
        return 0
    opening = len(lines[0]) - len(lines[0].lstrip("-"))
    for number in range(1, len(lines)):
        line = lines[number]
        if line.startswith("...") and not line[3:].strip(_SPACES):
            return number + 1
        content = line.lstrip(_SPACES)
        if not content.startswith("-") or _columns(line, len(line) - len(content)) >= 4:
            continue
        dashes = len(content) - len(content.lstrip("-"))
        if dashes >= opening and not content[dashes:].strip(_SPACES):
            return number + 1
    return 0


def headings(lines: list[str], start: int | None = None) -> list[SourceHeading]:
    """The headings that open sections (top-level ATX and setext headings), after the front matter (which
    ends at `start`, when the caller knows)."""
    scanner = _Blocks(lines)
    scanner.tokenize(front_matter_end(lines) if start is None else start, len(lines))
    return scanner.found


def first_heading(lines: list[str], level: int, start: int | None = None) -> SourceHeading | None:
    """The first of those headings at `level` (the index wants the first `# `), reading no further.

    Most often it is the first line that could be one (`#` marks or an underline, indented at most three
    columns), and what a line is depends only on the lines before it and on the rest of its paragraph (a
    table's delimiter row, a link definition's title): so that much is read first. A file without such a
    line is not read at all.
    """
    if start is None:
        start = front_matter_end(lines)
    text = "\n" + "\n".join(lines[start:]) + "\n"
    candidate = _candidates(level).search(text)
    if candidate is None:
        return None
    blank = _BLANK_LINE.search(text, candidate.start() + 1)
    paragraph_end = start + text.count("\n", 0, blank.start()) if blank else len(lines)
    # A `%%` line may open a comment that only a later line closes: then the whole text is read.
    for end in (paragraph_end, len(lines)) if "%%" not in text else (len(lines),):
        scanner = _Blocks(lines[:end])
        scanner.stop_level = level
        scanner.tokenize(start, end)
        if scanner.found and scanner.found[-1].level == level:
            return scanner.found[-1]
    return None


@cache
def _candidates(level: int) -> re.Pattern[str]:
    """A line (in text that starts and ends with a line break) that may be a heading of `level`: its `#`
    marks, or (levels 1 and 2) a setext underline."""
    underline = {1: r"|=+[ \t]*\n", 2: r"|-+[ \t]*\n"}.get(level, "")
    return re.compile(rf"\n {{0,3}}(?:#{{{level}}}[ \t\n]{underline})")


def _columns(line: str, end: int) -> int:
    """The width of `line[:end]` (spaces and tabs) in columns, tabs stopping every 4."""
    width = 0
    for ch in line[:end]:
        width += 4 - width % 4 if ch == "\t" else 1
    return width


class _Blocks:
    """markdown-it's block tokenizer (StateBlock and the block rules) reduced to what decides structure.

    Per line, as markdown-it keeps them: its first non-blank character once a container's marks are
    taken off (`first`, bMarks + tShift), its indent in columns (`indent`, sCount) and the tab offset
    (`tabs`, bsCount). Quotes, list items and footnotes change those while their content is read, and
    put them back afterwards. Methods named after a rule follow it line for line (but for the check that
    the line is no indented code, which `block` and `ends` make before calling one); a rule called with
    `silent` only says whether its block could start there.
    """

    __slots__ = (
        "lines", "first", "indent", "tabs", "line_max", "line", "block_indent", "list_indent", "parent",
        "level", "containers", "found", "stop_level",
    )  # fmt: skip

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines = [*lines, ""]  # and an empty line past the end, as markdown-it has
        # (most lines start with neither a space nor a tab: no need to strip them)
        first = [len(line) - len(line.lstrip(_SPACES)) if line[:1] in _SPACES else 0 for line in lines]
        self.first = first
        self.indent = first[:]
        for line in compress(range(len(lines)), first):  # (only indented lines may hold a tab there)
            if "\t" in lines[line][: first[line]]:
                self.indent[line] = _columns(lines[line], first[line])
        self.tabs = [0] * len(lines)
        self.line_max = len(lines) - 1
        self.line = 0
        self.block_indent = 0
        self.list_indent = -1
        self.parent = "root"
        self.level = 0  # markdown-it's token level: a quote or footnote adds one, a list item two
        self.containers = 0  # lists and quotes open around the line being read (parse.py's env[_DEPTH])
        self.found: list[SourceHeading] = []
        self.stop_level = 0  # when a heading of this level is found, read no further

    # -- the tokenizer --------------------------------------------------------------------------------
    def tokenize(self, start: int, end: int) -> None:
        """Read the blocks from line `start` up to `end` (ParserBlock.tokenize); `self.line` is where
        reading stopped (a line indented less than the container's content ends it)."""
        lines, first, indent = self.lines, self.first, self.indent
        line = start
        while line < end:
            while line < self.line_max and first[line] >= len(lines[line]):  # skipEmptyLines
                line += 1
            self.line = line
            if line >= end or indent[line] < self.block_indent:
                break
            self.block(line, end)
            if self.stop_level and self.found and self.found[-1].level == self.stop_level:
                break
            line = self.line
            if line < end and first[line] >= len(lines[line]):
                line = self.line = line + 1

    def block(self, line: int, end: int) -> None:
        """Read the block that starts at `line`: the rules in the parser's order, each tried only when
        the first character allows it (nested_text, table, code, fence, blockquote, hr, list, footnote_def,
        reference, html_block, heading, lheading, paragraph)."""
        if self.containers > MAX_DEPTH or self.level >= MAX_NESTING - 3:
            self.nested_text(line, end)
            return
        text = self.lines[line]
        ch = text[self.first[line]]
        if "|" in text and self.table(line, end, False):
            return
        if self.indent[line] - self.block_indent >= 4:
            self.code(line, end)
            return
        if ch in _PARAGRAPH_ONLY:
            if not (ch == "%" and self.comment(line, end, False)):
                self.paragraph(line, end)
            return
        started = (
            (ch in "`~" and self.fence(line, end, False))
            or (ch == ">" and self.blockquote(line, end, False))
            or (ch in "*-_" and self.hr(line, end, False))
            or (ch in "*-+0123456789" and self.list(line, end, False))
            or (ch == "[" and (self.footnote(line, end, False) or self.reference(line)))
            or (ch == "<" and self.html(line, end, False))
            or (ch == "#" and self.heading(line, end, False))
        )
        if not started:
            self.paragraph(line, end)

    def ends(self, line: int, end: int, rules: frozenset[str]) -> bool:
        """Whether one of `rules` could start a block at `line` (a terminator, in markdown-it's terms)."""
        text = self.lines[line]
        position = self.first[line]
        if position >= len(text) or self.is_code(line):
            return False  # every rule checks for both
        ch = text[position]
        if "table" in rules and "|" in text and self.table(line, end, True):
            return True
        if ch in _PARAGRAPH_ONLY:
            return ch == "%" and "comment" in rules and self.comment(line, end, True)
        if ch in "`~":
            return "fence" in rules and self.fence(line, end, True)
        if ch == ">":
            return "blockquote" in rules
        if ch in "*-_" and "hr" in rules and self.hr(line, end, True):
            return True
        if ch in "*-+0123456789":
            return "list" in rules and self.list(line, end, True)
        if ch == "[":
            return "footnote" in rules and self.footnote(line, end, True)
        if ch == "<":
            return "html" in rules and self.html(line, end, True)
        if ch == "#":
            return "heading" in rules and self.heading(line, end, True)
        return False

    # -- StateBlock -----------------------------------------------------------------------------------
    def is_empty(self, line: int) -> bool:
        return self.first[line] >= len(self.lines[line])

    def is_code(self, line: int) -> bool:
        return self.indent[line] - self.block_indent >= 4

    # -- leaf blocks ----------------------------------------------------------------------------------
    def nested_text(self, start: int, end: int) -> None:
        """Too deep: the rest of the container, as text (parse.py's rule, which runs before all others)."""
        line = last = start
        while line < end:
            if not self.is_empty(line):
                if self.indent[line] < self.block_indent:
                    break
                last = line
            line += 1
        self.line = last + 1

    def code(self, start: int, end: int) -> None:
        """An indented code block: up to the last line indented four columns more than the container."""
        last = line = start + 1
        while line < end:
            if self.is_empty(line):
                line += 1
            elif self.is_code(line):
                line += 1
                last = line
            else:
                break
        self.line = last

    def fence(self, start: int, end: int, silent: bool) -> bool:
        """A fenced code block: three or more backticks or tildes, closed by as many or more of them."""
        text = self.lines[start]
        position = self.first[start]
        if position + 3 > len(text):
            return False
        marker = text[position]
        length = len(text) - position - len(text[position:].lstrip(marker))
        if marker not in "`~" or length < 3 or (marker == "`" and "`" in text[position + length :]):
            return False
        if silent:
            return True
        line = start
        closed = False
        while True:
            line += 1
            if line >= end:
                break
            text = self.lines[line]
            position = self.first[line]
            if position < len(text) and self.indent[line] < self.block_indent:
                break
            if position >= len(text) or text[position] != marker or self.is_code(line):
                continue
            rest = text[position:].lstrip(marker)
            if len(text) - position - len(rest) >= length and not rest.strip(_SPACES):
                closed = True
                break
        self.line = line + closed
        return True

    def comment(self, start: int, end: int, silent: bool) -> bool:
        """An Obsidian comment block (obsidian.py `_comment_block`): from a line starting `%%` to the first
        line with a closing `%%` and nothing after it, in the same container. Headings inside it are no
        sections, as the parser drops the whole block."""
        text = self.lines[start]
        if self.is_code(start) or not text.startswith("%%", self.first[start]):
            return False
        line, position = start, self.first[start] + 2
        while line < end:
            text = self.lines[line]
            if line > start:
                position = self.first[line]
                if position < len(text) and self.indent[line] < self.block_indent:
                    return False  # the container ended before the comment did
            close = text.find("%%", position)
            if close >= 0:
                if text[close + 2 :].strip():
                    return False  # text after the closing mark: a comment inside a paragraph
                if not silent:
                    self.line = line + 1
                return True
            line += 1
        return False

    def hr(self, start: int, end: int, silent: bool) -> bool:
        """A thematic break: three or more `*`, `-` or `_`, spaces between them allowed."""
        text = self.lines[start][self.first[start] :]
        marker = text[0]
        if text.count(marker) < 3 or text.replace(marker, "").strip(_SPACES):
            return False
        if not silent:
            self.line = start + 1
        return True

    def heading(self, start: int, end: int, silent: bool) -> bool:
        """An ATX heading: one to six `#`, then a space, a tab or the end of the line."""
        text = self.lines[start]
        position = self.first[start]
        level = len(text) - position - len(text[position:].lstrip("#"))
        position += level
        if level > 6 or (position < len(text) and text[position] not in _SPACES):
            return False
        if silent:
            return True
        # the closing sequence goes when a space or tab comes before it: `# C#` keeps its `#`
        stop = len(text[position:].rstrip(_SPACES)) + position
        closing = len(text[position:stop].rstrip("#")) + position
        if closing > position and text[closing - 1] in _SPACES:
            stop = closing
        self.line = start + 1
        if not self.level:
            self.found.append(SourceHeading(start, start + 1, level, text[position:stop].strip(_TRIM)))
        return True

    def paragraph(self, start: int, end: int) -> None:
        """A setext heading (text underlined with `=` or `-`, lheading), else a paragraph."""
        old_parent = self.parent
        self.parent = "paragraph"
        lines, first, indents = self.lines, self.first, self.indent
        line = start + 1
        level = 0
        while line < end:
            text = lines[line]
            position = first[line]
            if position >= len(text):
                break
            indent = indents[line] - self.block_indent
            if indent > 3:  # an indented line after a paragraph continues it
                line += 1
                continue
            ch = text[position]
            if indent >= 0 and ch in "-=" and not text[position:].lstrip(ch).strip(_SPACES):
                level = 1 if ch == "=" else 2
                break
            if indent < -self.block_indent or (ch in _PARAGRAPH_ONLY and "|" not in text and ch != "%"):
                line += 1  # a quote's lazy line, or a line that starts no block
                continue
            if self.ends(line, end, _ENDS_PARAGRAPH):
                break
            line += 1
        if level:
            if not self.level:  # (and so no container has moved where a line starts)
                text = "\n".join(self.lines[start:line]).strip(_TRIM)
                self.found.append(SourceHeading(start, line + 1, level, text))
            self.line = line + 1
            self.parent = old_parent
            return
        # markdown-it's lheading leaves parentType as "paragraph" when it finds no underline; the
        # paragraph rule then reads the same lines, only up to lineMax rather than `end`
        if end != self.line_max:
            line = start + 1
            while line < self.line_max and not self.is_empty(line):
                if self.indent[line] - self.block_indent > 3 or self.indent[line] < 0:
                    line += 1
                    continue
                if self.ends(line, self.line_max, _ENDS_PARAGRAPH):
                    break
                line += 1
        self.line = line

    def table(self, start: int, end: int, silent: bool) -> bool:
        """A table: a header row with `|` and as many cells as the delimiter row under it."""
        below = start + 1
        if start + 2 > end or self.indent[below] < self.block_indent or self.is_code(below):
            return False
        delimiter = self.lines[below][self.first[below] :]
        if (
            len(delimiter) < 2
            or delimiter[0] not in "|-:"
            or delimiter[1] not in "|-: \t"
            or (delimiter[0] == "-" and delimiter[1] in _SPACES)
            or not _DELIMITER_ROW.fullmatch(delimiter)
        ):
            return False
        columns = delimiter.split("|")
        aligns = 0
        for index, cell in enumerate(columns):
            cell = cell.strip(_TRIM)
            if not cell:
                if index in (0, len(columns) - 1):
                    continue
                return False
            if not _DELIMITER_CELL.fullmatch(cell):
                return False
            aligns += 1
        header = self.lines[start][self.first[start] :].strip(_TRIM)
        if "|" not in header or self.is_code(start):
            return False
        cells = _split_row(header)
        if not cells or len(cells) != aligns:
            return False
        if silent:
            return True
        old_parent = self.parent
        self.parent = "table"
        line = start + 2
        while line < end:
            if self.indent[line] < self.block_indent or self.ends(line, end, _ENDS_QUOTE):
                break
            if not self.lines[line][self.first[line] :].strip(_TRIM) or self.is_code(line):
                break
            line += 1
        self.parent = old_parent
        self.line = line
        return True

    def html(self, start: int, end: int, silent: bool) -> bool:
        """An HTML block, of one of the seven kinds; in `silent`, whether it may end a paragraph."""
        text = self.lines[start][self.first[start] :]
        kind = next((kind for kind in _html_blocks() if kind[0].search(text)), None)
        if kind is None:
            return False
        _, closing, interrupts = kind
        if silent:
            return interrupts
        line = start + 1
        at_blank = closing.pattern == "^$"
        if not closing.search(text):
            while line < end:
                if self.indent[line] < self.block_indent and (at_blank or not self.is_empty(line)):
                    break
                text = self.lines[line][self.first[line] :]
                if closing.search(text):
                    if text:
                        line += 1
                    break
                line += 1
        self.line = line
        return True

    def reference(self, start: int) -> bool:
        """A link reference definition, `[label]: destination "title"`: it makes no block."""
        text = self.lines[start]
        string = text[self.first[start] :] + "\n"
        line = start + 1
        label_end = -1
        position = 1
        while position < len(string):
            ch = string[position]
            if ch == "[":
                return False
            if ch == "]":
                label_end = position
                break
            if ch == "\\":
                position += 1
            if position < len(string) and string[position] == "\n":
                more = self._next_line(line)
                if more is not None:
                    string += more
                    line += 1
            position += 1
        if label_end < 0 or string[label_end + 1 : label_end + 2] != ":":
            return False
        position, line, string = self._skip_blank(string, label_end + 2, line)
        destination_end = _destination(string, position)
        if destination_end < 0:
            return False
        destination = _ESCAPED.sub(r"\1", string[position:destination_end].strip("<>")).strip().lower()
        if _BAD_LINK.match(destination) and not _GOOD_DATA.match(destination):
            return False
        end_line = line
        gap = destination_end
        position, line, string = self._skip_blank(string, destination_end, line)
        title_end, can_continue, marker = _title(string, position, None)
        while can_continue:
            more = self._next_line(line)
            if more is None:
                break
            position = len(string)
            string += more
            line += 1
            title_end, can_continue, marker = _title(string, position, marker)
        has_title = position < len(string) and gap != position and title_end >= 0
        if has_title:
            position = title_end
        else:
            position, line = destination_end, end_line
        position += len(string[position:]) - len(string[position:].lstrip(_SPACES))
        if has_title and string[position : position + 1] not in ("", "\n"):
            # something after the title: still a definition if the line ends after the destination
            position, line = destination_end, end_line
            position += len(string[position:]) - len(string[position:].lstrip(_SPACES))
        if string[position : position + 1] not in ("", "\n") or not string[1:label_end].strip(_TRIM):
            return False
        self.line = line
        return True

    def _skip_blank(self, string: str, position: int, line: int) -> tuple[int, int, str]:
        """Past spaces, tabs and line ends in a definition (taking in the next line at each end)."""
        while position < len(string):
            ch = string[position]
            if ch == "\n":
                more = self._next_line(line)
                if more is not None:
                    string += more
                    line += 1
            elif ch not in _SPACES:
                break
            position += 1
        return position, line, string

    def _next_line(self, line: int) -> str | None:
        """The next line of a definition, unless it is blank or starts a block (getNextLine)."""
        if line >= self.line_max or self.is_empty(line):
            return None
        if not (self.is_code(line) or self.indent[line] < 0):
            old_parent = self.parent
            self.parent = "reference"
            ends = self.ends(line, self.line_max, _ENDS_PARAGRAPH)
            self.parent = old_parent
            if ends:
                return None
        return self.lines[line][self.first[line] :] + "\n"

    # -- containers -----------------------------------------------------------------------------------
    def _save(self, line: int) -> tuple[int, int, int]:
        return (self.first[line], self.indent[line], self.tabs[line])

    def _restore(self, start: int, saved: list[tuple[int, int, int]]) -> None:
        for line, (first, indent, tabs) in enumerate(saved, start):
            self.first[line], self.indent[line], self.tabs[line] = first, indent, tabs

    def _quote_line(self, line: int) -> bool:
        """Take the `>` (and a space after it) off a quoted line; True when nothing follows."""
        text = self.lines[line]
        position = self.first[line] + 1
        initial = offset = self.indent[line] + 1
        after = text[position : position + 1]
        adjust_tab = False
        if after == " ":
            position += 1
            initial += 1
            offset += 1
        elif after == "\t":
            if (self.tabs[line] + offset) % 4 == 3:
                position += 1
                initial += 1
                offset += 1
            else:
                adjust_tab = True
        while position < len(text):
            ch = text[position]
            if ch == "\t":
                offset += 4 - (offset + self.tabs[line] + adjust_tab) % 4
            elif ch == " ":
                offset += 1
            else:
                break
            position += 1
        self.tabs[line] = self.indent[line] + 1 + (after in (" ", "\t"))
        self.indent[line] = offset - initial
        self.first[line] = position
        return position >= len(text)

    def blockquote(self, start: int, end: int, silent: bool) -> bool:
        """A block quote: `>` lines, and lazy lines that continue its last paragraph."""
        if silent:
            return True
        old_line_max = self.line_max
        saved = [self._save(start)]
        last_empty = self._quote_line(start)
        old_parent = self.parent
        self.parent = "blockquote"
        line = start + 1
        while line < end:
            outdented = self.indent[line] < self.block_indent
            text = self.lines[line]
            position = self.first[line]
            if position >= len(text):
                break
            if text[position] == ">" and not outdented:
                saved.append(self._save(line))
                last_empty = self._quote_line(line)
                line += 1
                continue
            if last_empty:
                break
            if self.ends(line, end, _ENDS_QUOTE):
                self.line_max = line
                if self.block_indent:
                    saved.append(self._save(line))
                    self.indent[line] -= self.block_indent
                break
            saved.append(self._save(line))
            self.indent[line] = -1  # a lazy line: only a paragraph inside takes it
            line += 1
        old_indent = self.block_indent
        self.block_indent = 0
        self.level += 1
        self.containers += 1
        self.tokenize(start, line)
        self.containers -= 1
        self.level -= 1
        self.line_max = old_line_max
        self.parent = old_parent
        self._restore(start, saved)
        self.block_indent = old_indent
        return True

    def _marker(self, line: int, ordered: bool) -> int:
        """Where a list marker (`1.`, `12)`; or `-`, `+`, `*`) ends on `line`; -1 if there is none."""
        match = (_ORDERED if ordered else _BULLET).match(self.lines[line], self.first[line])
        return match.end() if match else -1

    def list(self, start: int, end: int, silent: bool) -> bool:
        """A list: items of the same kind, each read at its content's indent."""
        if (
            self.list_indent >= 0
            and self.indent[start] - self.list_indent >= 4
            and self.indent[start] < self.block_indent
        ):
            return False
        interrupting = silent and self.parent == "paragraph" and self.indent[start] >= self.block_indent
        text = self.lines[start]
        ordered = text[self.first[start]] in _DIGITS
        after = self._marker(start, ordered)
        if after < 0:
            return False
        if ordered and interrupting and int(text[self.first[start] : after - 1]) != 1:
            return False
        if interrupting and not text[after:].strip(_SPACES):
            return False
        marker = text[after - 1]
        if silent:
            return True
        old_parent = self.parent
        self.parent = "list"
        self.containers += 1
        line = start
        while line < end:
            text = self.lines[line]
            position = after
            initial = offset = self.indent[line] + after - self.first[line]
            while position < len(text):
                ch = text[position]
                if ch == "\t":
                    offset += 4 - (offset + self.tabs[line]) % 4
                elif ch == " ":
                    offset += 1
                else:
                    break
                position += 1
            content = position
            indent_after = 1 if content >= len(text) else offset - initial
            if indent_after > 4:  # more is an indented code block in the item
                indent_after = 1
            old_first, old_indent = self.first[line], self.indent[line]
            old_list_indent = self.list_indent
            self.list_indent = self.block_indent
            self.block_indent = initial + indent_after
            self.first[line] = content
            self.indent[line] = offset
            if content >= len(text) and self.is_empty(line + 1):
                self.line = min(self.line + 2, end)  # an empty item, then a blank line: the list ends
            else:
                self.level += 2  # the list's and the item's
                self.tokenize(line, end)
                self.level -= 2
            self.block_indent = self.list_indent
            self.list_indent = old_list_indent
            self.first[line], self.indent[line] = old_first, old_indent
            line = self.line
            if line >= end or self.indent[line] < self.block_indent or self.is_code(line):
                break
            if self.ends(line, end, _ENDS_LIST):
                break
            after = self._marker(line, ordered)
            if after < 0 or self.lines[line][after - 1] != marker:
                break
        self.line = line
        self.parent = old_parent
        self.containers -= 1
        return True

    def footnote(self, start: int, end: int, silent: bool) -> bool:
        """A footnote definition, `[^label]: text`: its content is indented four columns (footnote_def)."""
        text = self.lines[start]
        first = self.first[start]
        if first + 4 > len(text) or not text.startswith("[^", first):
            return False
        position = first + 2
        while position < len(text):
            if text[position] == " ":
                return False
            if text[position] == "]":
                break
            position += 1
        if position == first + 2:
            return False
        position += 1
        if position >= len(text) or text[position] != ":":
            return False
        if silent:
            return True
        position += 1
        saved = [self._save(start)]
        old_parent = self.parent
        initial = offset = self.indent[start] + position - first
        while position < len(text):
            ch = text[position]
            if ch == "\t":
                offset += 4 - offset % 4
            elif ch == " ":
                offset += 1
            else:
                break
            position += 1
        self.first[start] = position
        self.indent[start] = offset - initial
        self.block_indent += 4
        self.parent = "footnote"
        if self.indent[start] < self.block_indent:
            self.indent[start] += self.block_indent
        self.level += 1
        self.tokenize(start, end)
        self.level -= 1
        self.parent = old_parent
        self.block_indent -= 4
        self._restore(start, saved)
        return True


def _destination(string: str, position: int) -> int:
    """Where a link destination (`<...>`, or no spaces and balanced parentheses) that starts at
    `position` ends; -1 when there is none (parseLinkDestination)."""
    start = position
    if string[position : position + 1] == "<":
        position += 1
        while position < len(string):
            ch = string[position]
            if ch in "\n<":
                return -1
            if ch == ">":
                return position + 1
            position += 2 if ch == "\\" and position + 1 < len(string) else 1
        return -1
    level = 0
    while position < len(string):
        ch = string[position]
        if ch <= " " or ch == "\x7f":
            break
        if ch == "\\" and position + 1 < len(string):
            if string[position + 1] == " ":
                break
            position += 2
            continue
        if ch == "(":
            level += 1
            if level > 32:
                return -1
        elif ch == ")":
            if level == 0:
                break
            level -= 1
        position += 1
    return position if position > start and not level else -1


def _title(string: str, position: int, marker: str | None) -> tuple[int, bool, str | None]:
    """A link title from `position` (or going on with one opened by `marker`): where it ends (-1 when
    there is none), whether the next line could finish it, and its closing mark (parseLinkTitle)."""
    if marker is None:
        if position >= len(string) or string[position] not in "\"'(":
            return -1, False, None
        marker = ")" if string[position] == "(" else string[position]
        position += 1
    while position < len(string):
        ch = string[position]
        if ch == marker:
            return position + 1, False, marker
        if ch == "(" and marker == ")":
            return -1, False, marker
        position += 2 if ch == "\\" and position + 1 < len(string) else 1
    return -1, True, marker


def _split_row(row: str) -> list[str]:
    """A table row's cells (escapedSplit: `\\|` is no separator), without the empty outer ones."""
    cells = re.split(r"(?<!\\)\|", row)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells
