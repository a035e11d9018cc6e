"""Code blocks: highlighted by Pygments in the theme's colours, one even box, the language shown, long
lines broken at a token or a space with a mark, and code in a quote not set in italics."""

from __future__ import annotations

import io
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console
from textual.theme import BUILTIN_THEMES

from tui.articles.code import CONTINUED, code_lines
from tui.articles.model import Code
from tui.articles.parse import parse_text
from tui.articles.render import Pen, render_block
from tui.theme import palette_for

PALETTE = palette_for(BUILTIN_THEMES["textual-dark"])
LIGHT = palette_for(BUILTIN_THEMES["solarized-light"])
SOURCE = 'def greet(name):\n    # say hello\n    return "Hello, " + name + str(42)\n'


def parse(text: str):
    return parse_text(text, Path("a.md"), "a")


def text_of(row: list) -> str:
    return "".join(segment.text for segment in row)


def style_of(rows: list, word: str):
    for row in rows:
        for segment in row:
            if segment.text.strip() == word:
                return segment.style
    raise AssertionError(f"{word!r} not drawn")


def test_every_row_is_the_full_width_on_one_background() -> None:
    for width in (20, 41, 88):
        rows = code_lines(SOURCE, "python", width, PALETTE)
        assert all(cell_len(text_of(row)) == width for row in rows), width
        backgrounds = {segment.style.bgcolor for row in rows for segment in row}
        assert backgrounds == {PALETTE.code.bgcolor}


def test_python_is_highlighted_by_token_kind_in_the_themes_colours() -> None:
    rows = code_lines(SOURCE, "python", 60, PALETTE)
    keyword, name, string, number = (style_of(rows, w) for w in ("def", "greet", "Hello,", "42"))
    assert len({keyword.color, name.color, string.color, number.color}) == 4
    assert style_of(rows, "# say hello").italic
    light = code_lines(SOURCE, "python", 60, LIGHT)
    assert style_of(light, "def").color != keyword.color  # the colours follow the theme


def test_the_language_is_named_over_the_block_and_unknown_ones_are_plain() -> None:
    rows = code_lines(SOURCE, "py", 40, PALETTE)
    assert text_of(rows[0]).rstrip().endswith("Python")
    plain = code_lines("some text here", "no-such-language", 40, PALETTE)
    assert text_of(plain[0]).rstrip().endswith("no-such-language")
    assert style_of(plain, "some text here").color == PALETTE.code.color
    bare = code_lines("x = 1", "", 40, PALETTE)
    assert text_of(bare[0]).strip() == "" and text_of(bare[1]).strip() == "x = 1"


def test_a_long_line_breaks_between_tokens_and_marks_the_continuation() -> None:
    line = "result = compute_something(first_argument, second_argument, third_argument)"
    rows = code_lines(line, "python", 40, PALETTE)
    body = [text_of(row)[1:].rstrip() for row in rows[1:-1]]
    assert len(body) > 1
    assert all(row.startswith(CONTINUED) for row in body[1:])
    joined = body[0] + "".join(row.removeprefix(CONTINUED) for row in body[1:])
    assert joined.replace(" ", "") == line.replace(" ", "")
    words = {"compute_something", "first_argument", "second_argument", "third_argument"}
    for word in words:  # no word is cut in two
        assert any(word in row for row in body), word


def test_a_token_wider_than_the_box_is_cut_and_marked_not_lost() -> None:
    url = "https://example.com/" + "a" * 80
    rows = code_lines(url, "text", 30, PALETTE)
    body = [text_of(row)[1:].rstrip() for row in rows[1:-1]]
    assert body[0] + "".join(row.removeprefix(CONTINUED) for row in body[1:]) == url
    assert all(cell_len(text_of(row)) == 30 for row in rows)


def test_code_in_a_quote_is_not_italic_but_the_quote_text_is() -> None:
    article = parse("> Some words.\n>\n> ```python\n> x = 1\n> ```\n")
    console = Console(width=80, file=io.StringIO())
    lines = render_block(article.blocks[0], 60, Pen(console, PALETTE))
    words = next(segment for line in lines for segment in line if "Some words" in segment.text)
    assert words.style.italic
    code = [segment for line in lines for segment in line if segment.text.strip() in ("x", "=", "1")]
    assert code and not any(segment.style.italic for segment in code)


def test_show_prints_code_in_the_terminals_own_colours_and_plain_when_piped() -> None:
    from tui.articles.plain import article_lines

    article = parse("# T\n\n```python\nprint('hi')\n```\n")
    console = Console(width=60, file=io.StringIO())
    lines = article_lines(article, 60, console)
    drawn = ["".join(s.text for s in line) for line in lines]
    assert any("print('hi')" in line for line in drawn)
    colours = {s.style.color.name for line in lines for s in line if s.style and s.style.color}
    assert all(not name.startswith("#") for name in colours)  # named terminal colours, no fixed values


def test_a_code_model_block_renders_through_render_block() -> None:
    console = Console(width=80, file=io.StringIO())
    rows = render_block(Code("echo hi", "sh"), 30, Pen(console, PALETTE))
    assert "echo" in text_of(rows[1])
