"""Real-world (Obsidian and GitHub) Markdown read as the author meant it: callouts as boxes, tasks as ☐/☑,
`==highlight==`, `%%comments%%` hidden, bare URLs and `#tags`, wikilinks, images and embeds as links.

The model is checked on parsed pages, the look on rendered lines (the reading pane's and `show`'s), and
the reader itself on a small vault written to tmp_path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest
from rich.console import Console
from rich.style import Style
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from tui.app import ReaderApp
from tui.articles import Library
from tui.articles.model import (
    Article,
    Block,
    Callout,
    Embed,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Span,
    Table,
    plain,
)
from tui.articles.palette import TERMINAL
from tui.articles.parse import parse_text
from tui.articles.plain import article_lines
from tui.articles.render import Line, Pen, RefCounter, render_block
from tui.theme import BODY, SECONDARY, contrast, palette_for

if TYPE_CHECKING:
    from conftest import WaitFor

T = TypeVar("T")
CONSOLE = Console(width=100, color_system="truecolor")

PAGE = """\
---
tags: [vault, "#reading"]
aliases: Front door
---
# Daily note

> [!warning]- QR code backups
> If you decide to keep **backups**, print them.
>
> - one copy at home

> [!tip]
> A tip without a title.

> [!recipe] Soup
> An unknown kind.

> Just a quote.

- [ ] water the plants
- [x] write the report
- plain item

Some ==important words== and ~~old~~ text%% a private note %% end. See https://example.com/a. and
(www.example.org) but not notes.md, nor <https://x.org>.

%%
## A heading nobody sees

Hidden paragraph.
%%

Tagged #reading and #project/alpha, not #1, C#, nor https://example.com/#frag.

Links: [[Other Page]], [[Other Page|the other]], [[Other Page#Part two]], [[#Daily note]], [[folder/Deep]].

![[Other Page#Part two]]

Inline embed ![[Other Page]] in text, an image ![[photo.png]] and ![a cat](pics/cat.png).

| Page | Note |
| ---- | ---- |
| [[Other Page\\|other]] | cell |

Cited.[^1]

[^1]: Source: https://example.com/source.
"""


def parse(text: str, name: str = "page") -> Article:
    return parse_text(text, Path(f"{name}.md"), name)


def lines_text(lines: list[Line]) -> list[str]:
    return ["".join(segment.text for segment in line).rstrip() for line in lines]


def render(block: Block, width: int = 60, pen: Pen | None = None) -> list[str]:
    return lines_text(render_block(block, width, pen or Pen(CONSOLE)))


def of_type(article: Article, kind: type[T]) -> list[T]:
    return [block for block in article.blocks if isinstance(block, kind)]


def span_with(blocks: list[Paragraph], text: str) -> Span:
    return next(span for block in blocks for span in block.inline if span.text == text)


def style_of(lines: list[Line], text: str) -> Style:
    """The style of the first segment that starts with `text`."""
    for line in lines:
        for segment in line:
            if segment.text.startswith(text):
                return segment.style or Style()
    raise AssertionError(f"{text!r} not drawn")


# -- callouts -------------------------------------------------------------------------------------------


def test_a_callout_is_read_from_the_quote_kind_fold_title_and_markdown_body() -> None:
    article = parse(PAGE)
    warning, tip, recipe = of_type(article, Callout)
    assert (warning.kind, warning.fold, plain(warning.title)) == ("warning", "-", "QR code backups")
    first, second = warning.blocks
    assert isinstance(first, Paragraph) and isinstance(second, ListBlock)
    assert [s.style for s in first.inline if s.text == "backups"] == ["bold"]
    assert (tip.kind, tip.fold, plain(tip.title)) == ("tip", "", "Tip")  # no title: the kind, as Obsidian
    assert plain(tip.blocks[0].inline) == "A tip without a title."  # type: ignore[union-attr]
    assert (recipe.kind, plain(recipe.title)) == ("recipe", "Soup")
    assert [plain(b.inline) for q in of_type(article, Quote) for b in q.blocks] == ["Just a quote."]  # type: ignore[union-attr]
    assert plain(parse("> [!note]+ Open\n> body").blocks[0].title) == "Open"  # type: ignore[union-attr]


def test_a_callout_is_drawn_with_its_icon_title_and_bar_in_its_kinds_colour() -> None:
    palette = palette_for(BUILTIN_THEMES["textual-dark"])
    pen = Pen(CONSOLE, palette)
    warning, tip, recipe = of_type(parse(PAGE), Callout)
    lines = render_block(warning, 60, pen)
    text = lines_text(lines)
    assert text[0] == "▌ ▲ QR code backups"
    assert text[1] == "▌ If you decide to keep backups, print them."
    assert "▌ • one copy at home" in text
    assert not any("[!warning]" in line for line in text)
    assert style_of(lines, "▲").color == palette.callout_warning.color
    assert style_of(lines, "▌").color == palette.callout_warning.color
    assert style_of(lines, "If you").italic is not True  # a callout is not a quotation
    assert render(tip, pen=pen)[0] == "▌ ✦ Tip"
    unknown = render_block(recipe, 60, pen)
    assert lines_text(unknown)[0] == "▌ ✎ Soup"  # an unknown kind looks like a note
    assert style_of(unknown, "✎").color == palette.callout_note.color


# -- tasks, highlight, strike, comments -----------------------------------------------------------------


def test_task_items_are_boxes_and_done_ones_read_muted() -> None:
    palette = palette_for(BUILTIN_THEMES["nord"])
    tasks = next(block for block in parse(PAGE).blocks if isinstance(block, ListBlock))
    assert [item.checked for item in tasks.items] == [False, True, None]
    assert plain(tasks.items[0].blocks[0].inline) == "water the plants"  # type: ignore[union-attr]
    lines = render_block(tasks, 60, Pen(CONSOLE, palette))
    assert lines_text(lines) == ["☐ water the plants", "☑ write the report", "• plain item"]
    done = style_of(lines, "write")
    assert done.color == palette.muted.color and done.strike
    assert style_of(lines, "water").color == palette.text.color
    numbered = parse("1. [ ] first\n2. [x] second").blocks[0]
    assert render(numbered) == ["1. ☐ first", "2. ☑ second"]


def test_highlight_and_strike_are_styled_and_comments_are_nowhere() -> None:
    article = parse(PAGE)
    paragraphs = of_type(article, Paragraph)
    assert span_with(paragraphs, "important words").style == "mark"
    assert span_with(paragraphs, "old").style == "strike"
    text = "\n".join(plain(block.inline) for block in paragraphs)
    assert "text end." in text  # `text%% ... %% end`: the comment gone, the words kept apart
    for hidden in ("private note", "%%", "Hidden paragraph", "A heading nobody sees"):
        assert hidden not in text
    assert [section.title for section in article.sections] == ["Daily note"]
    palette = palette_for(BUILTIN_THEMES["textual-light"])
    lines = render_block(paragraphs[0], 100, Pen(CONSOLE, palette))
    assert style_of(lines, "important").bgcolor == palette.highlight.bgcolor
    assert style_of(lines, "old").strike
    # an unclosed %% is text, as typed (never the rest of the file hidden)
    assert plain(parse("50%% off, and 20% more").blocks[0].inline) == "50%% off, and 20% more"  # type: ignore[union-attr]


# -- bare URLs, tags, aliases ---------------------------------------------------------------------------


def test_bare_urls_become_links_without_the_punctuation_after_them_also_in_footnotes() -> None:
    article = parse(PAGE)
    assert "https://example.com/a" in article.links
    assert "http://www.example.org" in article.links
    assert "https://x.org" in article.links
    assert not any("notes.md" in link for link in article.links)
    paragraph = next(b for b in of_type(article, Paragraph) if plain(b.inline).startswith("Some"))
    assert [s.text for s in paragraph.inline if s.link] == [
        "https://example.com/a",
        "www.example.org",
        "https://x.org",
    ]
    note = article.footnotes[0]
    assert [(s.text, s.link) for s in note.inline if s.link] == [
        ("https://example.com/source", "https://example.com/source")
    ]


def test_bare_urls_follow_gfm_extended_autolinks() -> None:
    cases = {
        "see https://en.wikipedia.org/wiki/Foo_(bar), then": ["https://en.wikipedia.org/wiki/Foo_(bar)"],
        "(https://x.org/y) and **https://bold.org/z**": ["https://x.org/y", "https://bold.org/z"],
        "mail mailto:a@b.org or ftp://files.org/a?b=1&amp;": ["mailto:a@b.org", "ftp://files.org/a?b=1"],
        "not a.https://no.org, not https:// alone, not www.nodot": [],
        "`https://code.org` is code": [],
        "cited https://x.org/a[^1] here\n\n[^1]: note": ["https://x.org/a"],
    }
    for source, links in cases.items():
        paragraph = parse(source).blocks[0]
        assert isinstance(paragraph, Paragraph)
        assert [span.link for span in paragraph.inline if span.link] == links, source


def test_tags_are_spans_and_join_the_front_matter_tags() -> None:
    article = parse(PAGE)
    assert article.tags == ("vault", "reading", "project/alpha")
    tags = [
        span.text for block in of_type(article, Paragraph) for span in block.inline if span.style == "tag"
    ]
    assert tags == ["#reading", "#project/alpha"]
    palette = palette_for(BUILTIN_THEMES["gruvbox"])
    paragraph = next(b for b in of_type(article, Paragraph) if "Tagged" in plain(b.inline))
    assert (
        plain(paragraph.inline)
        == "Tagged #reading and #project/alpha, not #1, C#, nor https://example.com/#frag."
    )
    assert (
        style_of(render_block(paragraph, 100, Pen(CONSOLE, palette)), "#project").color == palette.tag.color
    )
    assert parse("# Heading #x\n\n#notatag-heading text").tags == ("x", "notatag-heading")


def test_aliases_are_read_from_a_string_or_a_list() -> None:
    assert parse(PAGE).aliases == ("Front door",)
    assert parse("---\naliases:\n  - One\n  - Two\n---\ntext").aliases == ("One", "Two")
    assert parse("text").aliases == ()


# -- wikilinks, images, embeds --------------------------------------------------------------------------


def test_wikilinks_read_as_obsidian_shows_them_and_are_links() -> None:
    article = parse(PAGE)
    links = next(b for b in of_type(article, Paragraph) if plain(b.inline).startswith("Links:"))
    shown = [(s.text, s.link) for s in links.inline if s.style == "wikilink"]
    assert shown == [
        ("Other Page", "wiki:Other Page"),
        ("the other", "wiki:Other Page"),
        ("Other Page > Part two", "wiki:Other Page#Part two"),
        ("Daily note", "wiki:#Daily note"),
        ("folder/Deep", "wiki:folder/Deep"),
    ]
    assert {"wiki:Other Page", "wiki:folder/Deep", "wiki:#Daily note"} <= set(article.links)
    table = of_type(article, Table)[0]
    assert [(s.text, s.link) for s in table.rows[0][0]] == [("other", "wiki:Other Page")]  # `\|` in a table


def test_images_and_embeds_are_read_into_their_own_fields() -> None:
    article = parse(PAGE)
    assert of_type(article, Embed) == [Embed("Other Page#Part two")]
    assert article.embeds == ("Other Page#Part two",)
    paragraph = next(b for b in of_type(article, Paragraph) if plain(b.inline).startswith("Inline embed"))
    spans = [(s.text, s.style, s.link) for s in paragraph.inline if s.link]
    assert spans == [
        ("Other Page", "wikilink", "wiki:Other Page"),  # an embed among words is a link
        ("photo.png", "image", "wiki:photo.png"),
        ("a cat", "image", "pics/cat.png"),
    ]
    assert article.images == ("wiki:photo.png", "pics/cat.png")
    assert not set(article.images) & set(article.links)
    sized = parse("![[diagram.svg|300]] ![[scan.pdf|The scan]]").blocks[0]
    assert [s.text for s in sized.inline if s.link] == ["diagram.svg", "The scan"]  # type: ignore[union-attr]
    assert parse("![[Notes v1.2]]").embeds == ("Notes v1.2",)  # `.2` is no file extension


def test_images_are_selectable_links_with_a_mark() -> None:
    refs = RefCounter()
    paragraph = parse("See ![[photo.png]] and ![a cat](pics/cat.png).").blocks[0]
    lines = render_block(paragraph, 60, Pen(CONSOLE, TERMINAL, refs))
    assert lines_text(lines) == ["See ▣ photo.png and ▣ a cat."]
    assert refs.targets == [("link", "wiki:photo.png"), ("link", "pics/cat.png")]
    assert style_of(lines, "▣ photo").meta == {"link": "wiki:photo.png", "ref": 0}


def test_unresolved_wikilinks_are_drawn_apart_and_asked_about_once() -> None:
    palette = palette_for(BUILTIN_THEMES["textual-dark"])
    asked: list[str] = []

    def resolves(href: str) -> bool:
        asked.append(href)
        return href != "wiki:Missing"

    pen = Pen(CONSOLE, palette, RefCounter(), resolves=resolves)
    paragraph = parse("[[Here]] [[Missing]] [[Missing|again]] [web](https://x.org)").blocks[0]
    lines = render_block(paragraph, 80, pen)
    assert style_of(lines, "Here").color == palette.link.color
    assert style_of(lines, "Missing").color == palette.link_unresolved.color
    assert style_of(lines, "again").color == palette.link_unresolved.color
    assert style_of(lines, "web").color == palette.link.color
    assert sorted(asked) == ["wiki:Here", "wiki:Missing"]
    assert pen.refs is not None and [kind for kind, _ in pen.refs.targets] == ["link"] * 4


def test_an_embed_shows_its_text_under_a_link_line_or_the_link_and_why_not() -> None:
    refs = RefCounter()
    body: tuple[Block, ...] = (
        Heading(2, (Span("Part two"),), "part-two"),
        Paragraph((Span("Embedded words"), Span("[1]", note=1))),
    )
    lines = render_block(
        Embed("Other Page#Part two", body, "Other Page > Part two"), 60, Pen(CONSOLE, TERMINAL, refs)
    )
    text = lines_text(lines)
    assert text[0] == "▌ ↳ Other Page > Part two"
    assert "▌ Embedded words[1]" in text
    assert refs.targets == [("link", "wiki:Other Page#Part two")]  # its notes are not this article's
    assert style_of(lines, "Other Page").meta["link"] == "wiki:Other Page#Part two"
    missing = render(Embed("Gone", note="no page Gone"), pen=Pen(CONSOLE, TERMINAL, RefCounter()))
    assert missing == ["↳ Gone  (no page Gone)"]


# -- show and the reader --------------------------------------------------------------------------------


def test_show_prints_callouts_tasks_and_highlights_without_markup() -> None:
    article = parse(PAGE)
    text = "\n".join(lines_text(article_lines(article, 80, Console(width=80))))
    for expected in ("▌ ▲ QR code backups", "☐ water the plants", "☑ write the report", "important words"):
        assert expected in text
    for raw in ("[!warning]", "[!tip]", "%%", "==", "[[", "private note"):
        assert raw not in text


@pytest.fixture
def vault(write: Callable[[str, str], Path], content: Path) -> Path:
    write("daily.md", PAGE)
    write("Other Page.md", "# Other Page\n\nIntro.\n\n## Part two\n\nThe second part.\n")
    return content


async def test_the_reader_shows_a_vault_page_as_obsidian_does(
    vault: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(vault), tmp_path / "db.json", "daily")
    async with app.run_test(size=(110, 60)) as pilot:
        view = app.reader.view
        await wait_for(pilot, lambda: "QR code backups" in view.screen_text(), what="the page")
        screen = view.screen_text()
        for expected in (
            "▲ QR code backups",
            "✦ Tip",
            "☐ water the plants",
            "☑ write the report",
            "#reading",
        ):
            assert expected in screen
        for raw in ("[!warning]", "%%", "private note", "[[", "=="):
            assert raw not in screen
        found: list[tuple[str, str | int]] = []
        for _ in range(12):
            await pilot.press("right")
            target = view.selected_target
            if target is not None and target not in found:
                found.append(target)
        assert ("link", "wiki:Other Page") in found
        assert ("link", "https://example.com/a") in found


# -- the new palette roles ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n in BUILTIN_THEMES if not n.startswith("ansi")))
def test_the_vault_roles_read_on_the_page_in_every_theme(name: str) -> None:
    theme = BUILTIN_THEMES[name]
    palette = palette_for(theme)
    variables = theme.to_color_system().generate()
    background = Color.parse(variables["background"])
    surface = background + Color.parse(variables["surface"])

    def colour(style: Style, attribute: str = "color") -> Color:
        triplet = getattr(style, attribute).get_truecolor()
        return Color(triplet.red, triplet.green, triplet.blue)

    roles = ("tag", "callout_note", "callout_tip", "callout_warning", "callout_danger", "callout_example")
    for role in roles:
        fg = colour(getattr(palette, role))
        assert min(contrast(fg, background), contrast(fg, surface)) >= BODY, role
    for role in ("link_unresolved", "callout_quote"):
        fg = colour(getattr(palette, role))
        assert min(contrast(fg, background), contrast(fg, surface)) >= SECONDARY, role
    assert contrast(colour(palette.highlight), colour(palette.highlight, "bgcolor")) >= BODY
