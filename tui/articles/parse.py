"""Markdown (with optional YAML front matter) -> `Article`, on markdown-it-py and mdit-py-plugins.

Everything here works on markdown-it's syntax tree; the only pattern matching is on text the parser
already isolated (a heading's words for `A vs B`, a left-over `[^label]` with no definition).
Problems are values: `parse_text` always returns an `Article`, with what went wrong in `problems`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from tui.articles.files import read_file
from tui.articles.model import (
    Article,
    Block,
    Code,
    Comparison,
    ComparisonRow,
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
    plain,
)
from tui.articles.text import FOOTNOTE_REF, Slugs, clean, decode, humanize

_VS = re.compile(r"\s+(?:vs\.?|versus)\s+", re.IGNORECASE)

_parser: MarkdownIt | None = None


def markdown_parser() -> MarkdownIt:
    """The shared markdown-it parser: CommonMark, tables, strikethrough, front matter and footnotes."""
    global _parser
    if _parser is None:
        _parser = (
            MarkdownIt("commonmark")
            .enable(["table", "strikethrough"])
            .use(front_matter_plugin)
            .use(footnote_plugin)
        )
    return _parser


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


class _Builder:
    """Walks markdown-it's syntax tree once and collects blocks, sections and footnote citations."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.links: list[str] = []
        self.section_id = ""
        self.refs: dict[int, list[str]] = {}  # footnote number -> ids of sections citing it
        self.section_refs: dict[str, list[int]] = {}
        self.undefined: set[str] = set()

    # -- inline ---------------------------------------------------------------------------------------
    def inline(self, node: SyntaxTreeNode | None) -> Inline:
        spans: list[Span] = []
        if node is not None:
            self._inline(node, frozenset(), None, spans)
        return _merge(spans)

    def _inline(self, node: SyntaxTreeNode, style: frozenset[str], link: str | None, out: list[Span]) -> None:
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
            elif kind == "code_inline":
                out.append(Span(child.content, _style(style | {"code"}), link))
            elif kind == "link":
                href = str(child.attrs.get("href", ""))
                self.links.append(href)
                self._inline(child, style, href, out)
            elif kind == "image":
                alt = plain(self.inline(child)) or str(child.attrs.get("src", ""))
                out.append(Span(f"[image: {alt}]", _style(style | {"italic"}), link))
            elif kind == "softbreak":
                out.append(Span(" ", _style(style), link))
            elif kind == "hardbreak":
                out.append(Span("\n", _style(style), link))
            elif kind == "footnote_ref":
                number = int(child.meta["id"]) + 1
                self.refs.setdefault(number, [])
                if self.section_id not in self.refs[number]:
                    self.refs[number].append(self.section_id)
                notes = self.section_refs.setdefault(self.section_id, [])
                if number not in notes:
                    notes.append(number)
                out.append(Span(f"[{number}]", "", None, number))
            elif kind == "footnote_anchor":
                continue
            elif child.children:
                self._inline(child, style, link, out)
            elif child.content:
                self._text(child.content, style, link, out)

    def _text(self, text: str, style: frozenset[str], link: str | None, out: list[Span]) -> None:
        """Plain text; a `[^label]` left in it is a reference to a footnote nobody defined."""
        position = 0
        for match in FOOTNOTE_REF.finditer(text):
            self.undefined.add(match.group(1))
            if match.start() > position:
                out.append(Span(text[position : match.start()], _style(style), link))
            out.append(Span("[?]", "undefined", None, None))
            position = match.end()
        if position < len(text):
            out.append(Span(text[position:], _style(style), link))

    # -- blocks ---------------------------------------------------------------------------------------
    def blocks(self, nodes: list[SyntaxTreeNode], depth: int = 0) -> list[Block]:
        blocks: list[Block] = []
        for node in nodes:
            block = self.block(node, depth)
            if block is not None:
                blocks.append(block)
        return blocks

    def block(self, node: SyntaxTreeNode, depth: int) -> Block | None:
        kind = node.type
        if kind == "paragraph":
            return Paragraph(self.inline(_first_inline(node)))
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
                items.append(ListItem(tuple(self.blocks(item.children, depth + 1))))
            start = int(node.attrs.get("start", 1) or 1) if kind == "ordered_list" else 1
            return ListBlock(tuple(items), kind == "ordered_list", start)
        if kind == "blockquote":
            return Quote(tuple(self.blocks(node.children, depth + 1)))
        if kind in ("fence", "code_block"):
            return Code(node.content.rstrip("\n"), (node.info or "").strip().split(" ")[0])
        if kind == "html_block":
            return Code(node.content.rstrip("\n"), "html")
        if kind == "hr":
            return Rule()
        if kind == "table":
            return self.table(node)
        return None

    def table(self, node: SyntaxTreeNode) -> Table:
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


def _first_inline(node: SyntaxTreeNode) -> SyntaxTreeNode | None:
    for child in node.children:
        if child.type == "inline":
            return child
    return None


def _style(flags: frozenset[str] | set[str]) -> str:
    return " ".join(sorted(flag for flag in flags if flag))


def _merge(spans: list[Span]) -> Inline:
    merged: list[Span] = []
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
            merged[-1] = Span(last.text + span.text, last.style, last.link)
        else:
            merged.append(span)
    return tuple(merged)


def parse_text(text: str, path: Path, article_id: str) -> Article:
    """Parse an article's text (control characters are dropped here too, whoever calls)."""
    text = clean(text)
    env: dict[str, Any] = {}
    try:
        tokens = markdown_parser().parse(text, env)
        tree = SyntaxTreeNode(tokens)
    except RecursionError:
        problem = Problem(path, "Markdown nested too deeply to read")
        return Article(article_id, path, humanize(path.stem), problems=(problem,))
    builder = _Builder(path)
    problems: list[Problem] = []
    front: dict[str, Any] = {}
    blocks: list[Block] = []
    sections: list[Section] = []
    footnote_nodes: list[SyntaxTreeNode] = []
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
                title = plain(inline).strip() or "(untitled section)"
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
        parts = [builder.inline(_first_inline(child)) for child in node.children if child.type == "paragraph"]
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

    sections = [
        Section(s.id, s.title, s.level, s.block, tuple(builder.section_refs.get(s.id, ()))) for s in sections
    ]
    title = _front_str(front.get("title"))
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
        tags=_front_list(front.get("tags")),
        related=_front_list(front.get("related")),
        order=_front_number(front.get("order")),
        front=front,
        blocks=tuple(blocks),
        sections=tuple(sections),
        footnotes=tuple(footnotes),
        comparisons=tuple(comparisons),
        links=tuple(builder.links),
        problems=tuple(problems),
    )


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
            items = _side_items(blocks, sections, child)
            if not items:
                problems.append(Problem(path, f"{where}: side {side!r} has no list"))
            columns.append(items)
        aspects: list[str] = []
        for column in columns:
            for aspect, _ in column:
                if aspect not in aspects:
                    aspects.append(aspect)
        for side, column in zip(sides, columns, strict=False):
            missing = [aspect for aspect in aspects if aspect not in {a for a, _ in column}]
            if column and missing:
                problems.append(Problem(path, f"{where}: side {side!r} says nothing on {', '.join(missing)}"))
        rows = []
        for aspect in aspects:
            cells = tuple(dict(column).get(aspect, ()) for column in columns)
            rows.append(ComparisonRow(aspect, cells))
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
            section = next((s for s in sections if s.id == current), None)
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


def _side_items(blocks: list[Block], sections: list[Section], section: Section) -> list[tuple[str, Inline]]:
    """A side's list items as (aspect, cell); the aspect is a bold lead-in, else the item's position."""
    end = next((s.block for s in sections if s.block > section.block), len(blocks))
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
