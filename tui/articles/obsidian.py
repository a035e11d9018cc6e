"""Obsidian's Markdown on top of CommonMark: markdown-it rules for what note vaults write.

- `[[Page]]`, `[[Page|alias]]`, `[[Page#Heading]]`, `[[#Heading]]` -> a `wikilink` token (`meta`: target,
  alias); `![[...]]` -> a `wikiembed` token. In a table the `|` before an alias is written `\\|`: both are
  read. The parser (parse.py) decides what a token is: a link, an image, an embedded page.
- `#tag`, `#nested/tag` -> a `tag` token (not in a word or a URL, not a bare number as `#1`).
- `==highlight==` -> `mark_open`/`mark_close`, by the same delimiter rules as `~~strike~~`.
- `%%comment%%` -> nothing, inside a paragraph; lines from one starting with `%%` to one ending with `%%`
  -> an `obsidian_comment` block, which the parser drops. An unclosed `%%` is text (Obsidian would hide
  the rest of the file: a reader rather shows it).
- Bare URLs (`https://...`, `www.`) become links through markdown-it's linkify rule, with GFM's
  extended autolink rules (`WebAddresses`) in place of linkify-it.

Callouts (`> [!note]`) and task items (`- [ ]`) need no rule: the parser reads them from the quote's and
the item's first line in the syntax tree. No Textual import here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter

MAX_WIKILINK = 1000
"""The longest `[[...]]` read as a wikilink (a file name, a heading and an alias fit many times over)."""
_TAG = re.compile(r"[\w/-]+")
_TAG_AFTER = frozenset(" \t\n(*_=~")  # what may come just before a tag's `#`: a space, an opening mark


def obsidian_plugin(md: MarkdownIt) -> None:
    """Add the rules above to `md` (and turn on linkify for bare URLs)."""
    md.block.ruler.before("lheading", "obsidian_comment", _comment_block, {"alt": ["paragraph"]})
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.inline.ruler.before("image", "wikiembed", _wikiembed)
    md.inline.ruler.before("newline", "obsidian_comment", _comment_inline)
    md.inline.ruler.before("newline", "tag", _tag)
    md.inline.ruler.before("emphasis", "mark", _mark)
    md.inline.ruler2.before("emphasis", "mark", _mark_pairs)
    md.linkify = WebAddresses()
    md.options["linkify"] = True
    md.enable("linkify")


@dataclass(frozen=True)
class WebAddress:
    """A web address found in text, in the shape markdown-it's linkify rule reads."""

    index: int
    last_index: int
    text: str
    url: str
    schema: str


class WebAddresses:
    """GFM's extended autolinks, for markdown-it's linkify rule: `https://`, `http://`, `ftp://` and
    `mailto:` addresses and those starting `www.`, at the start of a line or after a space or an opening
    `(`, `*`, `_`, `~`. Trailing punctuation (`.`, `,`, `:`, `!`, `?`, quotes, emphasis marks), an
    unbalanced `)` and a trailing entity (`&amp;`) are left out, as GitHub does.

    Decision: our own ~30 lines rather than linkify-it-py. Restricted to addresses that say they are web
    addresses (linkify-it's fuzzy matching would take `notes.md` or `setup.py` for domains), linkify-it
    only added its compile time: 57 ms at the first article with a URL in it, on the start-up path.
    """

    def pretest(self, text: str) -> bool:
        lowered = text.lower()
        return "://" in lowered or "www." in lowered or "mailto:" in lowered

    def test(self, text: str) -> bool:
        return self.pretest(text) and _ADDRESS.search(text) is not None

    def match(self, text: str) -> list[WebAddress] | None:
        """Every address in `text` (the core rule, over text tokens)."""
        found = [address for match in _ADDRESS.finditer(text) if (address := _address(match)) is not None]
        return found or None

    def match_at_start(self, text: str) -> WebAddress | None:
        """The address `text` starts with (the inline rule, at a `://` after a scheme)."""
        match = _ADDRESS.match(text)
        return _address(match) if match is not None else None


# An address runs to a space or `<` (GFM), and here also to a `[` or `]`: `https://x.org[^1]` keeps its
# footnote reference, `[[Page]]` or `](...)` right after an address stays Markdown.
_ADDRESS = re.compile(r"(?<![^\s*_~(])((?:https?|ftp)://|mailto:|www\.)[^\s<\[\]]*", re.IGNORECASE)
_ENTITY_NAME = re.compile(r"[a-zA-Z0-9]+")
_TRAILING = frozenset("?!.,:*_~'\"")


def _address(match: re.Match[str]) -> WebAddress | None:
    """The address of an `_ADDRESS` match, trimmed; None when nothing is left after its scheme."""
    raw = trim_address(match.group(0))
    lead = match.group(1).lower()
    if len(raw) <= len(lead) or not (raw[len(lead)].isalnum() or raw[len(lead)] in "_-"):
        return None
    if lead == "www." and "." not in raw[4:]:
        return None
    url = "http://" + raw if lead == "www." else raw
    schema = "" if lead == "www." else lead.removesuffix("//")
    return WebAddress(match.start(), match.start() + len(raw), raw, url, schema)


def trim_address(raw: str) -> str:
    """An address without what GFM leaves out at its end (see `WebAddresses`). Linear in its length
    (the counts of parentheses are kept, not taken again per character: an address followed by 100,000
    `)` must not take minutes)."""
    end = len(raw)
    opens, closes = raw.count("("), raw.count(")")
    while end:
        last = raw[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ")" and closes > opens:
            end -= 1
            closes -= 1
        elif last == ";":
            amp = raw.rfind("&", 0, end)
            if amp == -1 or not _ENTITY_NAME.fullmatch(raw, amp + 1, end - 1):
                break
            end = amp
        else:
            break
    return raw[:end]


# -- wikilinks and embeds -------------------------------------------------------------------------------


def split_wikilink(raw: str) -> tuple[str, str]:
    """`Page#Heading|alias` (or `Page\\|alias`, as written in a table) -> ("Page#Heading", "alias")."""
    target, bar, alias = raw.partition("|")
    if bar and target.endswith("\\"):
        target = target[:-1]
    return target.strip(), alias.strip()


def _bracketed(state: StateInline, start: int) -> tuple[str, int] | None:
    """The text between `[[` at `start` and the next `]]` on the same line, and the end; else None."""
    src = state.src
    if not src.startswith("[[", start):
        return None
    # (looked for only so far: a line of thousands of `[[` must not be searched to its end for each)
    close = src.find("]]", start + 2, min(state.posMax, start + 2 + MAX_WIKILINK))
    if close < 0:
        return None
    raw = src[start + 2 : close]
    if not raw.strip() or "\n" in raw or "[" in raw:
        return None
    return raw, close + 2


def _push_link(state: StateInline, kind: str, raw: str, end: int, silent: bool) -> bool:
    target, alias = split_wikilink(raw)
    if not target:
        return False
    if not silent:
        token = state.push(kind, "", 0)
        token.content = raw
        token.meta = {"target": target, "alias": alias}
    state.pos = end
    return True


def _wikilink(state: StateInline, silent: bool) -> bool:
    found = _bracketed(state, state.pos)
    return found is not None and _push_link(state, "wikilink", found[0], found[1], silent)


def _wikiembed(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "!":
        return False
    found = _bracketed(state, state.pos + 1)
    return found is not None and _push_link(state, "wikiembed", found[0], found[1], silent)


# -- tags -----------------------------------------------------------------------------------------------


def _tag(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "#" or (pos > 0 and src[pos - 1] not in _TAG_AFTER):
        return False
    match = _TAG.match(src, pos + 1, state.posMax)
    if match is None:
        return False
    name = match.group().rstrip("/")
    if not name.strip("-_") or name.isdigit():
        return False
    if not silent:
        token = state.push("tag", "", 0)
        token.content = "#" + name
        token.meta = {"tag": name}
    state.pos = pos + 1 + len(name)
    return True


# -- comments -------------------------------------------------------------------------------------------


def _comment_inline(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("%%", pos):
        return False
    close = src.find("%%", pos + 2, state.posMax)
    if close < 0:
        return False
    end = close + 2
    if pos == 0 or src[pos - 1] in " \t\n":  # `a %%note%% b`: one space left, not two
        while end < state.posMax and src[end] in " \t":
            end += 1
    state.pos = end
    return True


def _comment_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Lines from one that starts with `%%` to the first that ends with the closing `%%` (the same line,
    or one below in the same container): an `obsidian_comment` token, shown nowhere."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    src = state.src
    begin = state.bMarks[start] + state.tShift[start]
    if not src.startswith("%%", begin):
        return False
    line, position = start, begin + 2
    while line < end:
        if line > start:
            position = state.bMarks[line] + state.tShift[line]
            if position < state.eMarks[line] and state.sCount[line] < state.blkIndent:
                return False  # the container ended before the comment did
        close = src.find("%%", position, state.eMarks[line])
        if close >= 0:
            if src[close + 2 : state.eMarks[line]].strip():
                return False  # text after the closing mark: a comment inside a paragraph
            if not silent:
                token = state.push("obsidian_comment", "", 0)
                token.map = [start, line + 1]
                token.block = True
            state.line = line + 1
            return True
        line += 1
    return False


# -- ==highlight== --------------------------------------------------------------------------------------


def _mark(state: StateInline, silent: bool) -> bool:
    """`==` runs as delimiters (markdown-it's `~~` rule with `=`): pairs become mark_open/mark_close."""
    start = state.pos
    if silent or state.src[start] != "=":
        return False
    scanned = state.scanDelims(start, True)
    length = scanned.length
    if length < 2:
        return False
    if length % 2:
        token = state.push("text", "", 0)
        token.content = "="
        length -= 1
    for _ in range(0, length, 2):
        token = state.push("text", "", 0)
        token.content = "=="
        state.delimiters.append(
            Delimiter(
                marker=0x3D,
                length=0,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _mark_delimiters(state: StateInline, delimiters: list[Delimiter]) -> None:
    lone: list[int] = []
    for delimiter in delimiters:
        if delimiter.marker != 0x3D or delimiter.end == -1:
            continue
        closing = delimiters[delimiter.end]
        for index, kind, nesting in ((delimiter.token, "mark_open", 1), (closing.token, "mark_close", -1)):
            token = state.tokens[index]
            token.type, token.tag, token.nesting = kind, "mark", nesting
            token.markup, token.content = "==", ""
        before = state.tokens[closing.token - 1]
        if before.type == "text" and before.content == "=":
            lone.append(closing.token - 1)
    # an odd run (`===`) left one `=` before its pair: move it after the closing marks, as `~~` does
    while lone:
        index = lone.pop()
        last = index + 1
        while last < len(state.tokens) and state.tokens[last].type == "mark_close":
            last += 1
        last -= 1
        if index != last:
            state.tokens[index], state.tokens[last] = state.tokens[last], state.tokens[index]


def _mark_pairs(state: StateInline) -> None:
    _mark_delimiters(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _mark_delimiters(state, meta["delimiters"])
