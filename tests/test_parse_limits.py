"""The parser at its limits: nesting deeper than it builds, and articles far larger than usual.

Nothing may vanish: text nested too deeply is shown as plain text and reported with its line, and every
section after it is still read. Sizes here are small enough to run in a blink; the timings of the large
cases are in tests/bench_parse.py.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pytest

from tui import cli
from tui.articles.model import Article, Block, Code, Heading, ListBlock, Paragraph, Quote, Table, plain
from tui.articles.parse import INLINE_DEPTH, MAX_DEPTH, MAX_PROBLEMS_PER_KIND, parse_text


def parse(text: str) -> Article:
    return parse_text(text, Path("deep.md"), "deep")


def texts(blocks: tuple[Block, ...]) -> list[str]:
    """Every piece of text in `blocks`, depth first, in reading order."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                out.extend(texts(item.blocks))
        elif isinstance(block, Quote):
            out.extend(texts(block.blocks))
        elif isinstance(block, Paragraph | Heading):
            out.append(plain(block.inline))
        elif isinstance(block, Code):
            out.append(block.text)
        elif isinstance(block, Table):
            out.extend(plain(cell) for cell in block.header)
    return out


def list_depth(block: Block) -> int:
    """How many lists are nested in `block` (1 for a flat list), following the last item down."""
    depth = 0
    while isinstance(block, ListBlock):
        depth += 1
        inner = [b for b in block.items[-1].blocks if isinstance(b, ListBlock)]
        if not inner:
            break
        block = inner[-1]
    return depth


def deepest_item_text(block: ListBlock) -> str:
    while True:
        inner = [b for b in block.items[-1].blocks if isinstance(b, ListBlock)]
        if not inner:
            return "\n".join(texts(block.items[-1].blocks))
        block = inner[-1]


def nested_list(levels: int, indent: str = "  ", marker: str = "-") -> str:
    return "".join(f"{indent * level}{marker} level {level + 1}\n" for level in range(levels))


DEEP = (
    "# Deep\n\n## One\n\nBefore.[^a]\n\n"  # lines 1-6: the list starts on line 7
    + nested_list(30)  # lines 6-35
    + "\nAfter the list.\n\n## Two\n\nSecond section.[^b]\n\n"
    + "[^a]: Note a.\n[^b]: Note b.\n"
)


def test_a_list_nested_too_deeply_keeps_every_level_as_text_and_every_later_section() -> None:
    article = parse(DEEP)
    assert [s.id for s in article.sections] == ["deep", "one", "two"]
    words = "\n".join(texts(article.blocks))
    for level in range(1, 31):
        assert f"level {level}" in words
    assert "After the list." in words and "Second section.[2]" in words
    assert [note.text for note in article.footnotes] == ["Note a.", "Note b."]
    assert article.footnotes[1].cited_in == ("two",)


def test_the_deepest_list_item_holds_the_rest_as_plain_text_with_its_lines() -> None:
    article = parse(DEEP)
    [deep] = [block for block in article.blocks if isinstance(block, ListBlock)]
    assert list_depth(deep) == MAX_DEPTH + 1
    rest = deepest_item_text(deep)
    # one line per source line, markers kept, indentation (Markdown syntax here) dropped
    assert rest.split("\n") == [f"level {MAX_DEPTH + 1}"] + [f"- level {n}" for n in range(MAX_DEPTH + 2, 31)]


def test_nesting_too_deep_is_a_problem_naming_the_line() -> None:
    article = parse(DEEP)
    line = 7 + MAX_DEPTH  # the first item past MAX_DEPTH levels, shown as text with all below it
    assert [p.reason for p in article.problems] == [
        f"line {line}: nested deeper than {MAX_DEPTH} levels; shown as plain text"
    ]


def test_a_list_within_the_limit_is_built_whole_and_raises_no_problem() -> None:
    article = parse(nested_list(MAX_DEPTH))
    [block] = article.blocks
    assert isinstance(block, ListBlock) and list_depth(block) == MAX_DEPTH
    assert article.problems == ()


def test_deep_ordered_lists_and_siblings_after_the_deep_part_are_kept() -> None:
    text = nested_list(25, "   ", "1.") + "1. top-level sibling\n\n## Later\n\ntext\n"
    article = parse(text)
    words = "\n".join(texts(article.blocks))
    assert all(f"level {n}" in words for n in range(1, 26))
    assert "top-level sibling" in words and "text" in words
    assert [s.id for s in article.sections] == ["later"]


def test_loose_deep_lists_keep_their_later_paragraphs_and_a_less_indented_one() -> None:
    text = (
        "".join(f"{'  ' * n}- level {n + 1}\n\n" for n in range(20))
        + "  " * 20
        + "a paragraph of the deepest item\n\n"
        + "  " * 5
        + "back in level 5\n\n## Next\n\nafter\n"
    )
    article = parse(text)
    words = "\n".join(texts(article.blocks))
    assert "a paragraph of the deepest item" in words
    assert "back in level 5" in words
    assert [s.id for s in article.sections] == ["next"]


def test_a_lazy_line_after_a_deep_list_is_kept() -> None:
    article = parse(nested_list(20) + "lazy continuation\n\n## Next\n")
    assert "lazy continuation" in "\n".join(texts(article.blocks))
    assert [s.id for s in article.sections] == ["next"]


def test_deep_quotes_keep_their_text_and_the_sections_after_them() -> None:
    article = parse("# Q\n\n## A\n\n" + ">" * 26 + " deep words\n" + ">" * 26 + " more\n\n## B\n\nafter\n")
    assert [s.id for s in article.sections] == ["q", "a", "b"]
    words = "\n".join(texts(article.blocks))
    assert "deep words" in words and "more" in words and "after" in words
    assert [p.reason for p in article.problems] == [
        f"line 5: nested deeper than {MAX_DEPTH} levels; shown as plain text"
    ]


def test_thousands_of_nested_quotes_and_lists_are_read_and_reported() -> None:
    text = "## A\n\n" + ">" * 5000 + " quoted\n\n" + nested_list(3000) + "\n## B\n\nend\n"
    article = parse(text)
    assert [s.id for s in article.sections] == ["a", "b"]
    words = "\n".join(texts(article.blocks))
    assert "quoted" in words and "level 3000" in words and "end" in words
    assert len(article.problems) == 2


def test_a_deep_footnote_definition_is_shown_as_text_not_dropped() -> None:
    article = parse("Cited.[^n]\n\n[^n]: " + "> " * 30 + "deep note\n\n## After\n")
    [note] = article.footnotes
    assert note.text.endswith("deep note")
    assert [s.id for s in article.sections] == ["after"]


def test_many_deep_places_are_reported_one_by_one_then_counted() -> None:
    block = nested_list(MAX_DEPTH + 2)
    article = parse("\n\n".join([block] * (MAX_PROBLEMS_PER_KIND + 5)))
    reasons = [p.reason for p in article.problems]
    assert len(reasons) == MAX_PROBLEMS_PER_KIND + 1
    assert reasons[-1] == f"5 more places nested deeper than {MAX_DEPTH} levels; shown as plain text"


@pytest.mark.parametrize(
    "inline",
    [
        "*" * 1000 + "word" + "*" * 1000,
        "_" * 2000 + "word" + "_" * 2000,
        "**a *b ~~c " * 40 + "word" + "~~ d* e**" * 40,
    ],
)
def test_emphasis_nested_deeper_than_the_limit_keeps_the_text_and_the_article(inline: str) -> None:
    article = parse(f"# Title\n\n## A\n\n{inline}\n\n## B\n\nafter\n")
    assert [s.id for s in article.sections] == ["title", "a", "b"]
    paragraph = article.blocks[2]
    assert isinstance(paragraph, Paragraph)
    assert "word" in plain(paragraph.inline)
    assert "bold" in " ".join(span.style for span in paragraph.inline)  # the outer levels keep their style
    assert [p.reason for p in article.problems] == [
        f"line 5: emphasis or links nested deeper than {INLINE_DEPTH} levels; the rest shown as typed"
    ]


def test_markers_past_the_inline_limit_are_shown_as_typed() -> None:
    article = parse("*" * 100 + "word" + "*" * 100 + "\n")
    text = plain(article.blocks[0].inline)
    # 100 stars a side nest 50 levels of `**`: the outer INLINE_DEPTH are styling, the rest text
    assert text.count("*") == 2 * (100 - 2 * INLINE_DEPTH)
    assert text.strip("*") == "word"


@pytest.mark.parametrize("opener", ["[", "![", "[a", "^["])
def test_a_thousand_unclosed_brackets_are_text(opener: str) -> None:
    article = parse(f"## A\n\n{opener * 1000}x\n\n## B\n")
    assert [s.id for s in article.sections] == ["a", "b"]
    assert plain(article.blocks[1].inline) == opener * 1000 + "x"


def test_check_and_show_report_and_print_what_is_nested_too_deeply(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "deep.md").write_text(DEEP)
    assert cli.main(["check", "--content", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"deep.md: line {7 + MAX_DEPTH}: nested deeper than {MAX_DEPTH} levels; shown as plain text" in out
    assert cli.main(["show", str(folder / "deep.md")]) == 0
    shown = capsys.readouterr().out
    for needle in ("level 1\n", "level 30", "After the list.", "Second section.", "Note b."):
        assert needle in shown


# -- size: the work grows with the article, not with its square ------------------------------------------
# No clock: the lines of our own code that run (tui/) are counted for an article and for one twice its size.
# Twice the size must cost about twice the lines; a quadratic step would cost four times as many.

TUI = str(Path(cli.__file__).resolve().parent)


def lines_run(function: Callable[[], object]) -> int:
    """How many lines of the project's own code `function()` runs."""
    count = 0

    def local(frame: FrameType, event: str, arg: object) -> object:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: object) -> object:
        return local if frame.f_code.co_filename.startswith(TUI) else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        function()
    finally:
        sys.settrace(previous)
    return count


def growth(make: Callable[[int], Callable[[], object]], size: int) -> float:
    """Lines run at 2 * size over lines run at size."""
    return lines_run(make(2 * size)) / lines_run(make(size))


def test_rendering_a_paragraph_of_many_footnote_references_grows_linearly() -> None:
    from rich.console import Console

    from tui.articles.render import Pen, render_block

    console = Console(width=80, file=io.StringIO())

    def make(count: int) -> Callable[[], object]:
        article = parse("text[^1] " * count + "\n\n[^1]: The note.\n")
        return lambda: render_block(article.blocks[0], 80, Pen(console))

    assert growth(make, 300) < 2.3


def test_parsing_many_comparisons_and_comparison_tables_grows_linearly() -> None:
    def make(count: int) -> Callable[[], object]:
        text = "".join(
            f"## A{n} vs B{n}\n\n### A{n}\n- **X:** 1\n\n### B{n}\n- **X:** 2\n\n"
            f"## T{n}\n\n| Aspect | A | B |\n|---|---|---|\n| X | 1 | 2 |\n\n"
            for n in range(count)
        )
        return lambda: parse(text)

    article = make(3)()
    assert isinstance(article, Article)
    assert [(c.kind, c.title) for c in article.comparisons][:3] == [
        ("sections", "A0 vs B0"),
        ("table", "T0"),
        ("sections", "A1 vs B1"),
    ]
    assert len(article.comparisons) == 6
    assert growth(make, 100) < 2.3


def test_a_comparison_with_many_aspects_grows_linearly() -> None:
    def make(count: int) -> Callable[[], object]:
        items = "".join(f"- **Aspect {n}:** yes\n" for n in range(count))
        return lambda: parse(f"## A vs B\n\n### A\n{items}\n### B\n{items}- **Only B:** yes\n")

    article = make(3)()
    assert isinstance(article, Article)
    [comparison] = article.comparisons
    assert [row.aspect for row in comparison.rows] == ["Aspect 0", "Aspect 1", "Aspect 2", "Only B"]
    assert any("side 'A' says nothing on Only B" in p.reason for p in article.problems)
    assert growth(make, 300) < 2.3


def test_a_footnote_cited_in_every_section_and_a_section_citing_every_footnote() -> None:
    count = 3000
    text = "".join(f"## S{n}\n\nx[^same] y[^n{n}]\n\n" for n in range(count))
    text += "## All\n\n" + "".join(f"z[^n{n}] " for n in range(count)) + "\n\n[^same]: Same.\n"
    text += "".join(f"[^n{n}]: Note {n}.\n" for n in range(count))
    article = parse(text)
    same = article.footnotes[0]
    assert same.label == "same" and same.cited_in == tuple(f"s{n}" for n in range(count))
    assert article.sections[-1].notes == tuple(range(2, count + 2))
    assert article.sections[5].notes == (1, 7)


def test_a_paragraph_of_many_lines_is_one_span_with_every_line() -> None:
    article = parse("# T\n\n" + "a line &amp; more\n" * 5000)
    [span] = article.blocks[1].inline
    assert span.text == " ".join(["a line & more"] * 5000)
