"""Markdown (with optional YAML front matter) -> `Article`, on markdown-it-py and mdit-py-plugins.

Everything here works on markdown-it's syntax tree; the only pattern matching is on text the parser
already isolated (a heading's words for `A vs B`, a left-over `[^label]` with no definition, a quote's
first line for a callout's `[!kind]`, a list item's for a task's `[ ]`). Obsidian's syntax (wikilinks,
embeds, tags, highlights, comments, bare URLs) comes from the markdown-it rules in obsidian.py.
Problems are values: `parse_text` always returns an `Article`, with what went wrong in `problems`.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from tui.articles.files import MEDIA, read_file
from tui.articles.model import (
    Article,
    Block,
    Callout,
    Code,
    Comparison,
    ComparisonRow,
    Embed,
    Footnote,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Problem,
    Quote,
    Rule,
    Section,
    Span,
    Table,
    note_label,
    plain,
    wikilink_text,
)
from tui.articles.obsidian import obsidian_plugin
from tui.articles.scan import MAX_DEPTH, MAX_NESTING
from tui.articles.text import FOOTNOTE_REF, Slugs, clean, clean_line, decode, humanize

_VS = re.compile(r"\s+(?:vs\.?|versus)\s+", re.IGNORECASE)
_CALLOUT = re.compile(r"\[!([^\]\s]+)\]([+-]?)[ \t]*")  # `[!kind]-` opening a quote's first line
_TASK = re.compile(r"\[([ xX])\](?: |$)")  # `[ ]` / `[x]` opening a list item (GitHub's three)
_SIZE = re.compile(r"\d+(?:x\d+)?")  # `![[image.png|300]]`, `|300x200`: a size, not an alt text

INLINE_DEPTH = 32
"""Emphasis and links nested deeper than this lose their styling; their markers are shown as typed."""
MAX_PROBLEMS_PER_KIND = 10
"""Places reported one by one for a problem that repeats (nesting too deep); then a count of the rest."""
_DEPTH = "qa_reader_depth"  # env keys: lists and quotes open around the current line
_TOO_DEEP = "qa_reader_too_deep"  # first lines (0-based) of text kept as plain text

_parser: MarkdownIt | None = None


def markdown_parser() -> MarkdownIt:
    """The shared markdown-it parser: CommonMark, tables, strikethrough, front matter, footnotes and
    Obsidian's syntax (obsidian.py: wikilinks, embeds, tags, highlights, comments, bare URLs).

    Text nested deeper than MAX_DEPTH lists or quotes becomes a `nested_text` token (plain text, line
    breaks kept) rather than being dropped as markdown-it does at its nesting limit.
    """
    global _parser
    if _parser is None:
        parser = (
            MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
            .enable(["table", "strikethrough"])
            .use(front_matter_plugin)
            .use(footnote_plugin)
            .use(obsidian_plugin)
        )
        for name in ("list", "blockquote"):
            _count_depth(parser, name)
        first = parser.block.ruler.get_all_rules()[0]
        parser.block.ruler.before(first, "nested_text", _nested_text)
        _parser = parser
    return _parser


def _count_depth(parser: MarkdownIt, name: str) -> None:
    """Wrap the block rule `name` (a container: list, quote) so that env[_DEPTH] counts those open."""
    rule = next(rule for rule in parser.block.ruler.__rules__ if rule.name == name)
    inner, alt = rule.fn, list(rule.alt)

    def counted(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent:
            return inner(state, start, end, silent)
        env = state.env
        env[_DEPTH] = env.get(_DEPTH, 0) + 1
        try:
            return inner(state, start, end, silent)
        finally:
            env[_DEPTH] -= 1

    parser.block.ruler.at(name, counted, {"alt": alt})


def _nested_text(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Inside more than MAX_DEPTH lists or quotes: the rest of this container as one plain text block.

    It runs before every other block rule and keeps markdown-it's own limit out of reach: deeper lists
    and quotes are never opened, so nothing is dropped. (It also steps in 3 levels short of that limit
    whatever opened them: a container adds at most 2 before its content is read.) The text runs to the
    end of the container: a line indented less (which ends it) is left to the containers outside, as
    markdown-it would.
    """
    if silent or (state.env.get(_DEPTH, 0) <= MAX_DEPTH and state.level < state.md.options.maxNesting - 3):
        return False
    line = last = start
    while line < end:
        if not state.isEmpty(line):
            if state.sCount[line] < state.blkIndent:
                break
            last = line
        line += 1
    text = state.getLines(start, last + 1, state.blkIndent, False)
    token = state.push("nested_text", "", 0)
    # each line without its indentation: that is Markdown syntax here, and thousands of levels of it
    # would be millions of spaces on screen
    token.content = "\n".join(part.strip() for part in text.split("\n")).strip("\n")
    token.map = [start, last + 1]
    token.block = True
    state.env.setdefault(_TOO_DEEP, []).append(start)
    state.line = last + 1
    return True


def front_matter(source: str, path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """Parse YAML front matter; a problem (not an exception) when it is broken or not a mapping."""
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return {}, [Problem(path, f"invalid YAML front matter{where}: {reason}")]
    except Exception as error:  # pyyaml can raise odd things on hostile input (deep nesting)
        return {}, [Problem(path, f"unreadable YAML front matter: {type(error).__name__}")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        kind = type(data).__name__
        return {}, [Problem(path, f"front matter is a {kind}, not a mapping of keys; ignored")]
    return {str(key): _plain_value(value) for key, value in data.items()}, []


def _plain_value(value: Any) -> Any:
    """Front matter values as JSON types (YAML dates become ISO strings), so an article round-trips."""
    if isinstance(value, dict):
        return {str(key): _plain_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain_value(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class _Node:
    """One element of markdown-it's token stream as a tree: a block, an inline run or an inline element.

    What markdown-it's SyntaxTreeNode offers the builder (type without `_open`, the opening token's tag,
    attrs, meta, content, info; children), built in one loop rather than by recursion, and with no link
    back to the parent: without those cycles the whole tree is freed the moment a parse is done.
    """

    __slots__ = ("type", "tag", "attrs", "meta", "content", "info", "map", "children")

    def __init__(self, token: Token | None = None, kind: str = "root") -> None:
        self.type = kind
        self.tag = token.tag if token else ""
        self.attrs = token.attrs if token else {}
        self.meta = token.meta if token else {}
        self.content = token.content if token else ""
        self.info = token.info if token else ""
        self.map = token.map if token else None
        self.children: list[_Node] = []


def _tree(tokens: list[Token]) -> _Node:
    """The token stream as a tree of `_Node`s (inline tokens' children included)."""
    root = _Node()
    stack = [root]
    for token in tokens:
        if token.nesting == 1:
            node = _Node(token, token.type.removesuffix("_open"))
            stack[-1].children.append(node)
            stack.append(node)
        elif token.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        else:
            node = _Node(token, token.type)
            if token.children:
                node.children = _tree(token.children).children
            stack[-1].children.append(node)
    return root


class _Builder:
    """Walks markdown-it's syntax tree once and collects blocks, sections and footnote citations."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.links: list[str] = []
        self.images: list[str] = []
        self.embeds: list[str] = []
        self.tags: list[str] = []
        self.section_id = ""
        # footnote number -> ids of the sections citing it, and section id -> the notes it cites, both in
        # first-citation order; dicts as ordered sets, so a note cited 100,000 times costs no more each time
        self.refs: dict[int, dict[str, None]] = {}
        self.section_refs: dict[str, dict[int, None]] = {}
        self.undefined: set[str] = set()

    # -- inline ---------------------------------------------------------------------------------------
    def inline(self, node: _Node | None) -> Inline:
        spans: list[Span] = []
        if node is not None:
            self._inline(node, frozenset(), None, spans)
        return _merge(spans)

    def _inline(self, node: _Node, style: frozenset[str], link: str | None, out: list[Span]) -> None:
        for child in node.children:
            kind = child.type
            if kind == "text" or kind == "html_inline":
                self._text(child.content, style, link, out)
            elif kind == "strong":
                self._inline(child, style | {"bold"}, link, out)
            elif kind == "em":
                self._inline(child, style | {"italic"}, link, out)
            elif kind == "s":
                self._inline(child, style | {"strike"}, link, out)
            elif kind == "mark":
                self._inline(child, style | {"mark"}, link, out)
            elif kind == "code_inline":
                out.append(Span(child.content, _style(style | {"code"}), link))
            elif kind == "link":
                href = str(child.attrs.get("href", ""))
                self.links.append(href)
                self._inline(child, style, href, out)
            elif kind == "image":
                src = str(child.attrs.get("src", ""))
                self.images.append(src)
                alt = plain(self.inline(child)).strip() or _file_name(src) or "image"
                out.append(Span(alt, _style(style | {"image"}), link if link is not None else src))
            elif kind == "wikilink":
                out.append(self._wikilink(child.meta, style))
            elif kind == "wikiembed":
                out.append(self._wikiembed(child.meta, style, link))
            elif kind == "tag":
                self.tags.append(str(child.meta["tag"]))
                out.append(Span(child.content, _style(style | {"tag"}), link))
            elif kind == "softbreak":
                out.append(Span(" ", _style(style), link))
            elif kind == "hardbreak":
                out.append(Span("\n", _style(style), link))
            elif kind == "footnote_ref":
                number = int(child.meta["id"]) + 1
                self.refs.setdefault(number, {})[self.section_id] = None
                self.section_refs.setdefault(self.section_id, {})[number] = None
                out.append(Span(note_label(number), "", None, number))
            elif kind == "footnote_anchor":
                continue
            elif child.children:
                self._inline(child, style, link, out)
            elif child.content:
                self._text(child.content, style, link, out)

    def _wikilink(self, meta: dict[str, Any], style: frozenset[str]) -> Span:
        """`[[target|alias]]`: its alias, else its target as Obsidian shows it; the href "wiki:target"."""
        target, alias = str(meta["target"]), str(meta["alias"])
        href = "wiki:" + target
        self.links.append(href)
        return Span(alias or wikilink_text(target), _style(style | {"wikilink"}), href)

    def _wikiembed(self, meta: dict[str, Any], style: frozenset[str], link: str | None) -> Span:
        """`![[...]]` among other text: an image (any file but a page), else a wikilink to the page."""
        target, alias = str(meta["target"]), str(meta["alias"])
        if not is_attachment(target):
            return self._wikilink(meta, style)
        href = "wiki:" + target
        self.images.append(href)
        text = alias if alias and not _SIZE.fullmatch(alias) else _file_name(target)
        return Span(text, _style(style | {"image"}), link if link is not None else href)

    def _text(self, text: str, style: frozenset[str], link: str | None, out: list[Span]) -> None:
        """Plain text; a `[^label]` left in it is a reference to a footnote nobody defined."""
        position = 0
        for match in FOOTNOTE_REF.finditer(text):
            self.undefined.add(match.group(1))
            if match.start() > position:
                out.append(Span(text[position : match.start()], _style(style), link))
            out.append(Span(note_label(None), "undefined", None, None))
            position = match.end()
        if position < len(text):
            out.append(Span(text[position:], _style(style), link))

    # -- blocks ---------------------------------------------------------------------------------------
    def blocks(self, nodes: list[_Node], depth: int = 0) -> list[Block]:
        blocks: list[Block] = []
        for node in nodes:
            block = self.block(node, depth)
            if block is not None:
                blocks.append(block)
        return blocks

    def block(self, node: _Node, depth: int) -> Block | None:
        kind = node.type
        if kind == "paragraph":
            inline = _first_inline(node)
            target = _embed_target(inline)
            if target is not None:
                self.embeds.append(target)
                return Embed(target)
            return Paragraph(self.inline(inline))
        if kind == "nested_text":
            return Paragraph((Span(node.content),)) if node.content else None
        if kind == "heading":
            # Only top-level headings open sections; a heading inside a list or quote reads as bold.
            inline = self.inline(_first_inline(node))
            if depth:
                return Paragraph(
                    tuple(Span(s.text, _style({"bold", *s.style.split()}), s.link, s.note) for s in inline)
                )
            return Heading(int(node.tag[1:]), inline, "")
        if kind in ("bullet_list", "ordered_list"):
            items = []
            for item in node.children:
                checked = _task(item)
                items.append(ListItem(tuple(self.blocks(item.children, depth + 1)), checked))
            start = int(node.attrs.get("start", 1) or 1) if kind == "ordered_list" else 1
            return ListBlock(tuple(items), kind == "ordered_list", start)
        if kind == "blockquote":
            return self.callout(node, depth) or Quote(tuple(self.blocks(node.children, depth + 1)))
        if kind in ("fence", "code_block"):
            return Code(node.content.rstrip("\n"), (node.info or "").strip().split(" ")[0])
        if kind == "html_block":
            return Code(node.content.rstrip("\n"), "html")
        if kind == "hr":
            return Rule()
        if kind == "table":
            return self.table(node)
        return None

    def callout(self, node: _Node, depth: int) -> Callout | None:
        """A quote whose first line is `[!kind]` (then `+` or `-`, and a title): a callout; else None.

        The first line is cut off the quote's first paragraph (up to its first line break, in the syntax
        tree); the rest of that paragraph and the quote's other blocks are the callout's body.
        """
        first = node.children[0] if node.children else None
        inline = _first_inline(first) if first is not None and first.type == "paragraph" else None
        if inline is None or not inline.children or inline.children[0].type != "text":
            return None
        head = inline.children[0]
        match = _CALLOUT.match(head.content)
        if match is None:
            return None
        kind, fold = match.group(1).lower(), match.group(2)
        children = inline.children
        cut = next((n for n, child in enumerate(children) if child.type in ("softbreak", "hardbreak")), None)
        title_node, rest_node = _Node(), _Node()
        head.content = head.content[match.end() :]
        title_node.children = children[:cut] if cut is not None else children
        rest_node.children = children[cut + 1 :] if cut is not None else []
        title = self.inline(title_node)
        if not plain(title).strip():
            title = (Span(kind[:1].upper() + kind[1:]),)
        blocks: list[Block] = []
        if rest_node.children:
            target = _embed_target(rest_node)
            if target is not None:
                self.embeds.append(target)
                blocks.append(Embed(target))
            else:
                body = self.inline(rest_node)
                if plain(body).strip():
                    blocks.append(Paragraph(body))
        blocks.extend(self.blocks(node.children[1:], depth + 1))
        return Callout(kind, title, tuple(blocks), fold)

    def note_parts(self, node: _Node) -> list[Inline]:
        """The paragraphs of a footnote, also those inside its lists and quotes, in order."""
        parts: list[Inline] = []
        for child in node.children:
            if child.type == "paragraph":
                parts.append(self.inline(_first_inline(child)))
            elif child.type == "nested_text":
                parts.append((Span(child.content),))
            elif child.type in ("bullet_list", "ordered_list", "list_item", "blockquote"):
                parts.extend(self.note_parts(child))
        return parts

    def table(self, node: _Node) -> Table:
        header: list[Inline] = []
        align: list[str] = []
        rows: list[tuple[Inline, ...]] = []
        for part in node.children:
            for row in part.children:
                cells = [self.inline(_first_inline(cell)) for cell in row.children]
                if part.type == "thead":
                    header = cells
                    for cell in row.children:
                        style = str(cell.attrs.get("style", ""))
                        align.append(style.split(":")[-1] if "text-align" in style else "left")
                else:
                    rows.append(tuple(cells))
        width = len(header)
        padded = tuple(tuple(row[:width]) + ((),) * (width - len(row)) for row in rows)
        return Table(tuple(header), padded, tuple(align))


def is_attachment(target: str) -> bool:
    """Whether a wikilink's target names a file other than a page (`image.png`, `talk.pdf`)."""
    name = target.split("#", 1)[0].strip()
    return name.rpartition(".")[2].lower() in MEDIA if "." in name else False


def _file_name(href: str) -> str:
    """The file name at the end of a path or URL (`a/b/img.png?x=1` -> `img.png`)."""
    return href.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _embed_target(inline: _Node | None) -> str | None:
    """The target of an `![[embed]]` of a page that is all a paragraph holds (spaces aside), else None."""
    if inline is None:
        return None
    found = None
    for child in inline.children:
        if child.type == "wikiembed" and found is None:
            found = child
        elif not (child.type in ("text", "softbreak") and not child.content.strip()):
            return None
    if found is None or is_attachment(str(found.meta["target"])):
        return None
    return str(found.meta["target"])


def _task(item: _Node) -> bool | None:
    """A list item that opens with `[ ]` or `[x]`: whether it is checked (the box is cut off its text);
    None for any other item."""
    first = item.children[0] if item.children else None
    inline = _first_inline(first) if first is not None and first.type == "paragraph" else None
    if inline is None or not inline.children or inline.children[0].type != "text":
        return None
    head = inline.children[0]
    match = _TASK.match(head.content)
    if match is None:
        return None
    head.content = head.content[match.end() :]
    return match.group(1) != " "


def _first_inline(node: _Node) -> _Node | None:
    for child in node.children:
        if child.type == "inline":
            return child
    return None


def _style(flags: frozenset[str] | set[str]) -> str:
    return " ".join(sorted(flag for flag in flags if flag))


def _merge(spans: list[Span]) -> Inline:
    """Adjacent spans of the same style and link as one (footnote references stay apart).

    Each run's texts are joined once: adding them up one by one would copy a long paragraph's text again
    for every line of it.
    """
    merged: list[Span] = []
    run: list[str] = []  # texts of the run that merged[-1] stands for
    for span in spans:
        if not span.text:
            continue
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.note is None
            and span.note is None
            and (last.style, last.link) == (span.style, span.link)
        ):
            run.append(span.text)
            continue
        if len(run) > 1:
            merged[-1] = Span("".join(run), merged[-1].style, merged[-1].link)
        merged.append(span)
        run = [span.text]
    if len(run) > 1:
        merged[-1] = Span("".join(run), merged[-1].style, merged[-1].link)
    return tuple(merged)


def parse_text(text: str, path: Path, article_id: str) -> Article:
    """Parse an article's text (control characters are dropped here too, whoever calls)."""
    with _collector_paused():
        return _parse_text(text, path, article_id)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector off while parsing.

    A big article makes hundreds of thousands of tokens, nodes and spans that all stay alive until the
    parse ends, and the collector would walk them again and again for nothing: on 50,000 headings that
    was 40% of the time. It runs again afterwards (unless someone else had turned it off), and picks up
    the syntax tree's parent/child cycles then. Other threads only lose collection for that while.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_text(text: str, path: Path, article_id: str) -> Article:
    text = clean(text)
    env: dict[str, Any] = {}
    try:
        tokens = markdown_parser().parse(text, env)
        flattened = _flatten_inline(tokens)
        tree = _tree(tokens)
        del tokens  # the tree holds what the builder needs: the tokens themselves can go now
    except RecursionError:
        problem = Problem(path, "Markdown nested too deeply to read")
        return Article(article_id, path, humanize(path.stem), problems=(problem,))
    builder = _Builder(path)
    problems: list[Problem] = []
    front: dict[str, Any] = {}
    blocks: list[Block] = []
    sections: list[Section] = []
    footnote_nodes: list[_Node] = []
    slugs = Slugs()

    try:
        for node in tree.children:
            if node.type == "front_matter":
                front, found = front_matter(node.content, path)
                problems.extend(found)
            elif node.type == "footnote_block":
                footnote_nodes.extend(node.children)
            elif node.type == "heading":
                inline = builder.inline(_first_inline(node))
                title = clean_line(plain(inline)).strip() or "(untitled section)"  # one line, always
                slug = slugs.make(title)
                builder.section_id = slug
                level = int(node.tag[1:])
                sections.append(Section(slug, title, level, len(blocks)))
                blocks.append(Heading(level, inline, slug))
            else:
                block = builder.block(node, 0)
                if block is not None:
                    blocks.append(block)
    except RecursionError:
        problems.append(Problem(path, "Markdown nested too deeply; the rest of the file is not shown"))

    # Footnotes, numbered by first reference: markdown-it's footnote ids are exactly that order.
    footnotes: list[Footnote] = []
    for node in footnote_nodes:
        number = int(node.meta.get("id", len(footnotes))) + 1
        label = str(node.meta.get("label") or number)
        builder.section_id = ""
        parts = builder.note_parts(node)
        inline: list[Span] = []
        for part in parts:
            if inline:
                inline.append(Span(" "))
            inline.extend(part)
        cited = tuple(builder.refs.get(number, ()))
        footnotes.append(Footnote(number, label, _merge(inline), cited))
    footnotes.sort(key=lambda note: note.number)

    refs = env.get("footnotes", {}).get("refs", {})
    for key, value in refs.items():
        if value == -1:
            problems.append(Problem(path, f"footnote [^{key.lstrip(':')}] is defined but never cited"))
    for label in sorted(builder.undefined):
        problems.append(Problem(path, f"footnote reference [^{label}] has no definition"))
    too_deep = f"nested deeper than {MAX_DEPTH} levels; shown as plain text"
    problems.extend(_too_deep_problems(env.get(_TOO_DEEP, []), path, too_deep))
    too_deep = f"emphasis or links nested deeper than {INLINE_DEPTH} levels; the rest shown as typed"
    problems.extend(_too_deep_problems(flattened, path, too_deep))

    sections = [
        Section(s.id, s.title, s.level, s.block, tuple(builder.section_refs.get(s.id, ()))) for s in sections
    ]
    title = clean_line(_front_str(front.get("title")))
    if not title:
        title = next((s.title for s in sections if s.level == 1), "") or humanize(path.stem)
    comparisons, found = find_comparisons(blocks, sections, path)
    problems.extend(found)
    problems.extend(builder.problems)
    return Article(
        id=article_id,
        path=path,
        title=title,
        summary=_front_str(front.get("summary")),
        tags=_tags(front.get("tags"), builder.tags),
        aliases=_front_list(front.get("aliases", front.get("alias"))),
        related=_front_list(front.get("related")),
        order=_front_number(front.get("order")),
        front=front,
        blocks=tuple(blocks),
        sections=tuple(sections),
        footnotes=tuple(footnotes),
        comparisons=tuple(comparisons),
        links=tuple(builder.links),
        images=tuple(builder.images),
        embeds=tuple(builder.embeds),
        problems=tuple(problems),
    )


_EMPHASIS = frozenset(
    {"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close", "mark_open", "mark_close"}
)


def _flatten_inline(tokens: list[Token]) -> list[int]:
    """Keep inline nesting (emphasis in emphasis, links) to INLINE_DEPTH: deeper markers become text.

    A thousand `*` around a word nest a thousand levels, too deep for the syntax tree (it recurses). The
    text stays; emphasis markers past the limit read as they were typed. Returns the (0-based) lines
    where this happened.
    """
    lines: list[int] = []
    for token in tokens:
        if token.type == "inline" and token.children and _too_deep_inline(token.children):
            token.children = _shallow(token.children)
            lines.append(token.map[0] if token.map else 0)
    return lines


def _too_deep_inline(children: list[Token]) -> bool:
    """Whether an inline token's children nest deeper than INLINE_DEPTH."""
    depth = 0
    for child in children:
        depth += child.nesting
        if depth > INLINE_DEPTH:
            return True
    return False


def _shallow(children: list[Token]) -> list[Token]:
    """`children` with opening and closing tokens past INLINE_DEPTH as their markers in text (or gone:
    a link's brackets are not kept in its tokens, only its text is)."""
    out: list[Token] = []
    kept: list[bool] = []  # for each open token: kept as is (True) or turned into text
    depth = 0  # open tokens kept
    for child in children:
        keep = True
        if child.nesting == 1:
            keep = depth < INLINE_DEPTH
            kept.append(keep)
            depth += keep
        elif child.nesting == -1 and kept:
            keep = kept.pop()
            depth -= keep
        if keep:
            out.append(child)
        elif child.type in _EMPHASIS:
            out.append(Token("text", "", 0, content=child.markup))
    return out


def _too_deep_problems(lines: list[int], path: Path, reason: str) -> list[Problem]:
    """One problem per place nested too deeply (the first few, then a count of the rest)."""
    problems = [Problem(path, f"line {line + 1}: {reason}") for line in lines[:MAX_PROBLEMS_PER_KIND]]
    if len(lines) > MAX_PROBLEMS_PER_KIND:
        rest = len(lines) - MAX_PROBLEMS_PER_KIND
        problems.append(Problem(path, f"{rest} more place{'s' if rest > 1 else ''} {reason}"))
    return problems


def _front_str(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return clean(str(value)).strip()


def _front_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(clean(part).strip() for part in value.split(",") if clean(part).strip())
    if isinstance(value, list):
        return tuple(clean(str(item)).strip() for item in value if item is not None)
    return ()


def _tags(front: Any, found: list[str]) -> tuple[str, ...]:
    """The front matter's `tags` (a list, or a string of them split at commas and spaces) and the `#tags`
    found in the text, without their `#`, each once, in that order."""
    listed = _front_list(front.replace(",", " ").split() if isinstance(front, str) else front)
    names = (tag.lstrip("#").strip() for tag in [*listed, *found])
    return tuple(dict.fromkeys(name for name in names if name))


def _front_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


# -- comparisons --------------------------------------------------------------------------------------


def comparison_sides(title: str) -> tuple[list[str], str]:
    """`OpenAI vs xAI: who opens what` -> (["OpenAI", "xAI"], "who opens what"); ([], "") if no `vs`."""
    head, _, subtitle = title.partition(":")
    sides = [side.strip() for side in _VS.split(head)]
    if len(sides) < 2 or not all(sides):
        return [], ""
    return sides, subtitle.strip()


def find_comparisons(
    blocks: list[Block], sections: list[Section], path: Path
) -> tuple[list[Comparison], list[Problem]]:
    """Both forms: an `A vs B` section with a sub-section per side, and an `Aspect | A | B` table."""
    comparisons: list[Comparison] = []
    problems: list[Problem] = []
    # where each section's blocks end (the next section's heading), and sections by id: looked up, not
    # searched for, so a file of thousands of comparisons stays linear
    ends = {s.id: following.block for s, following in zip(sections, sections[1:], strict=False)}
    by_id = {s.id: s for s in sections}
    for index, section in enumerate(sections):
        sides, _ = comparison_sides(section.title)
        if not sides:
            continue
        children = _children(sections, index)
        by_name = {child.title.casefold(): child for child in children}
        if not any(side.casefold() in by_name for side in sides):
            continue  # a section that merely has "vs" in its title
        where = f"comparison {section.title!r}"
        for child in children:
            if child.title.casefold() not in {side.casefold() for side in sides}:
                problems.append(Problem(path, f"{where}: sub-section {child.title!r} names no side"))
        columns: list[list[tuple[str, Inline]]] = []
        for side in sides:
            child = by_name.get(side.casefold())
            if child is None:
                problems.append(Problem(path, f"{where}: no sub-section for side {side!r}"))
                columns.append([])
                continue
            items = _side_items(blocks, child, ends.get(child.id, len(blocks)))
            if not items:
                problems.append(Problem(path, f"{where}: side {side!r} has no list"))
            columns.append(items)
        aspects = list(dict.fromkeys(aspect for column in columns for aspect, _ in column))
        cells_by_side = [dict(column) for column in columns]
        for side, column, cells in zip(sides, columns, cells_by_side, strict=False):
            missing = [aspect for aspect in aspects if aspect not in cells]
            if column and missing:
                problems.append(Problem(path, f"{where}: side {side!r} says nothing on {', '.join(missing)}"))
        rows = []
        for aspect in aspects:
            rows.append(ComparisonRow(aspect, tuple(cells.get(aspect, ()) for cells in cells_by_side)))
        comparisons.append(
            Comparison(section.title, tuple(sides), tuple(rows), section.id, "sections", section.block)
        )

    current = ""
    for position, block in enumerate(blocks):
        if isinstance(block, Heading):
            current = block.section_id
        elif isinstance(block, Table) and len(block.header) >= 3:
            first = plain(block.header[0]).strip().casefold()
            if first not in ("", "aspect"):
                continue
            sides = tuple(plain(cell).strip() or f"Side {n}" for n, cell in enumerate(block.header[1:], 1))
            rows = tuple(
                ComparisonRow(plain(row[0]).strip() if row else "", tuple(row[1:])) for row in block.rows
            )
            section = by_id.get(current)
            title = section.title if section else "Comparison"
            comparisons.append(Comparison(title, sides, rows, current, "table", position))
    comparisons.sort(key=lambda comparison: comparison.block)
    return comparisons, problems


def _children(sections: list[Section], index: int) -> list[Section]:
    """The direct sub-sections of `sections[index]`."""
    parent = sections[index]
    nested = []
    for section in sections[index + 1 :]:
        if section.level <= parent.level:
            break
        nested.append(section)
    if not nested:
        return []
    level = min(section.level for section in nested)
    return [section for section in nested if section.level == level]


def _side_items(blocks: list[Block], section: Section, end: int) -> list[tuple[str, Inline]]:
    """A side's list items as (aspect, cell), from its blocks up to `end` (where the next section starts).

    The aspect is a bold lead-in, else the item's position.
    """
    lists = [block for block in blocks[section.block + 1 : end] if isinstance(block, ListBlock)]
    if not lists:
        return []
    items = []
    for position, item in enumerate(lists[0].items, 1):
        inline: Inline = ()
        for block in item.blocks:
            if isinstance(block, Paragraph):
                inline = block.inline
                break
        items.append(_split_aspect(inline, position))
    return items


def _split_aspect(inline: Inline, position: int) -> tuple[str, Inline]:
    if inline and "bold" in inline[0].style.split():
        lead = inline[0].text.strip()
        rest = list(inline[1:])
        if lead.endswith(":"):
            lead = lead[:-1].strip()
        elif rest and rest[0].text.lstrip().startswith(":"):
            first = rest[0]
            rest[0] = Span(first.text.lstrip()[1:], first.style, first.link, first.note)
        if rest:
            first = rest[0]
            rest[0] = Span(first.text.lstrip(), first.style, first.link, first.note)
        if lead:
            return lead, _merge(rest)
    return str(position), inline


def parse_file(path: Path, article_id: str) -> Article:
    """Read and parse one file; unreadable files give an empty article carrying the problem."""
    try:
        data = read_file(path)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return Article(
            article_id, path, humanize(path.stem), problems=(Problem(path, f"unreadable: {reason}"),)
        )
    text, problems = decode(data, path)
    if text is None:
        return Article(article_id, path, humanize(path.stem), problems=tuple(problems))
    if not text.strip():
        problems.append(Problem(path, "empty file"))
    article = parse_text(text, path, article_id)
    if problems:
        article = replace(article, problems=tuple(problems) + article.problems)
    return article
