"""The hand scanner (tui/articles/scan.py) against markdown-it: the same front matter, the same headings.

The generated documents are soups of lines that start blocks of every kind (front matter, ATX and setext
headings, fences, indented code, HTML blocks, quotes, lists, tables, footnotes, link definitions), so
that they meet in every order: a heading after an unclosed fence, an underline under a list item's lazy
line, a `# line` indented into a list item. For a longer run:
    QA_READER_FUZZ_EXAMPLES=20000 pytest tests/test_scan.py
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tui.articles.library import Library
from tui.articles.model import ArticleInfo
from tui.articles.parse import markdown_parser, parse_text
from tui.articles.scan import SourceHeading, first_heading, front_matter_end, headings
from tui.articles.search import index_text

EXAMPLES = int(os.environ.get("QA_READER_FUZZ_EXAMPLES", "400"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def markdown_it(text: str) -> tuple[int, list[SourceHeading]]:
    """What the parser's markdown-it makes of `text`: where the front matter ends, the top-level headings."""
    tokens = markdown_parser().parse(text, {})
    end = next((token.map[1] for token in tokens if token.type == "front_matter" and token.map), 0)
    found = [
        SourceHeading(token.map[0], token.map[1], int(token.tag[1:]), tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.level == 0 and token.map
    ]
    return end, found


def scanned(text: str) -> tuple[int, list[SourceHeading]]:
    lines = text.split("\n")
    return front_matter_end(lines), headings(lines)


# -- generated documents --------------------------------------------------------------------------------

indents = st.sampled_from(["", "", "", " ", "  ", "   ", "    ", "     ", "\t", " \t"])
words = st.lists(
    st.sampled_from(
        ["alpha", "Beta", "C#", "x | y", "*em*", "`code`", "#tag", "a # b", "1.", "-", ">", "<b>", "[^n]",
         "\\#", "&amp;", "é", "==", "--", "|", "#"]
    ),
    max_size=3,
).map(" ".join)  # fmt: skip
closings = st.sampled_from(["", "", " #", " ##", "#", " # ", "\t#", " \\#", " #x"])
atx = st.builds(
    lambda indent, level, gap, text, closing, trail: f"{indent}{'#' * level}{gap}{text}{closing}{trail}",
    indents,
    st.integers(1, 7),
    st.sampled_from([" ", " ", "  ", "\t", ""]),
    words,
    closings,
    st.sampled_from(["", "", " ", "\t"]),
)
underline = st.builds(
    lambda indent, mark, count, trail: indent + mark * count + trail,
    indents,
    st.sampled_from(["=", "-"]),
    st.integers(1, 4),
    st.sampled_from(["", "", " ", "  x", " ="]),
)
fence = st.builds(
    lambda indent, mark, info: indent + mark + info,
    indents,
    st.sampled_from(["```", "~~~", "````", "~~~~", "``"]),
    st.sampled_from(["", "", "python", " js", "`x`", "~", " ```"]),
)
marker = st.sampled_from(["-", "*", "+", "1.", "2.", "1)", "10.", "-", "1."])
list_item = st.builds(
    lambda indent, mark, gap, rest: f"{indent}{mark}{gap}{rest}",
    indents,
    marker,
    st.sampled_from([" ", " ", "  ", "   ", "     ", "\t", ""]),
    st.one_of(words, atx, fence, st.just("---"), st.just("> quoted")),
)
quote = st.builds(
    lambda indent, gap, rest: f"{indent}>{gap}{rest}",
    indents,
    st.sampled_from([" ", "", "  ", "\t"]),
    st.one_of(words, atx, fence, underline, st.just("- item"), st.just("")),
)
html = st.builds(
    lambda indent, tag: indent + tag,
    indents,
    st.sampled_from(
        ["<div>", "</div>", "<div class=\"x\">", "<!--", "-->", "<!-- note -->", "<pre>", "</pre>", "<script>",
         "</script>", "<span>", "<span class='a'>", "</span>", "<custom-tag>", "<?php", "?>", "<!DOCTYPE html>",
         "<![CDATA[", "]]>", "<b>bold</b> text", "<br/>", "<details>", "<summary>Q</summary>", "<textarea>"]
    ),
)  # fmt: skip
table = st.sampled_from(
    ["a | b", "| a | b |", "|---|---|", "--|--", "-|-", "| a |", "a |", ":-:|-:", "| c |"]
)
# a header and a delimiter row together, the column counts agreeing or not (`a |` over `---` is a table)
table_head = st.sampled_from(
    ["a | b\n--|--", "| a |\n---", "a |\n---", "a | b\n---", "a|b|c\n-|-|-", "| a | b |\n|:-|-:|", "a \\| b\n---",
     "# a | b\n--|--", "a\n# a | b\n-|-"]
)  # fmt: skip
rule = st.sampled_from(["***", "* * *", "___", "- - -", "---", "----", "-- --", "_ _ _"])
footnote = st.builds(
    lambda indent, label, rest: f"{indent}[^{label}]:{rest}",
    indents,
    st.sampled_from(["1", "note", "a b", ""]),
    st.sampled_from([" note", "", " # heading", "     code", " - item"]),
)
# Link reference definitions, and the pieces of one spread over lines (a label, a destination or a title
# on the next line, a title left open). Not generated: HTML entities in a destination (`&#106;avascript:`),
# which markdown-it decodes before refusing the link and the scanner does not (see scan.py).
reference = st.sampled_from(
    ["[ref]: https://example.com", "[ref]: <a b>", '[Ref Two]: /url "Title"', "[ref]: /u 'x'", '"Title"',
     "'t'", "(t)", "[ref]: javascript:x", "[ref]: /u garbage", "[ ]: /u", "[a]b]: /u", "[ref]: /u(a)b",
     "[ref]:", "/url", "<a b>", '"open', 'close"', "[two", "lines]: /u", "[ref]: /u \\",
     '[ref]: /u "a title\n===\nover lines"']
)  # fmt: skip
# deeper than the parser's MAX_DEPTH: read as text from there on, by the parser and the scanner alike
deep = st.one_of(
    st.builds(
        lambda depth, rest: ">" * depth + rest, st.integers(14, 20), st.sampled_from([" # deep", " x", ""])
    ),
    st.builds(
        lambda depth: "\n".join("  " * level + "- item" for level in range(depth)), st.integers(14, 20)
    ),
    st.builds(lambda depth: "[^a]: " * depth + "note", st.integers(30, 40)),
)
text_line = st.builds(lambda indent, text: indent + text, indents, words)
# Obsidian comments: a block from a `%%` line to a line ending `%%` hides the headings inside it
comment = st.builds(
    lambda indent, text: indent + text,
    indents,
    st.sampled_from(
        ["%%", "%%", "%% note %%", "%%x", "x %%", "%% a", "%%%%", "%% a %% b", "%%# in %%", "a%%"]
    ),
)
blank = st.sampled_from(["", "", "", " ", "\t"])
line = st.one_of(
    text_line, text_line, blank, blank, atx, atx, underline, fence, list_item, list_item, quote, html,
    table, table_head, rule, footnote, reference, deep, comment, comment,
)  # fmt: skip
front = st.one_of(
    st.just([]),
    st.builds(
        lambda opening, body, closing: [opening, *body, *closing],
        st.sampled_from(["---", "---", "----", "--- x", "---yaml", " ---", "--"]),
        st.lists(st.sampled_from(["title: Hello", "order: 2", "", "# not a heading", "  ---", "- a"]), max_size=3),
        st.sampled_from([["---"], ["---"], ["..."], ["----"], ["--"], ["  ---"], ["    ---"], [" ..."],
                         ["... x"], ["---  "], ["--- x"], ["\t---"], []]),
    ),
)  # fmt: skip
documents = st.builds(lambda head, body: "\n".join(head + body), front, st.lists(line, max_size=24))


@SETTINGS
@given(documents)
@example("# C#\n## Title ##\n### #\n#### \\#\n##### a #b")
@example("Two\nlines\n===\n\n```\n# in a fence\n```\n\n    # indented code\n\n<div>\n# in html\n</div>")
@example("- item\n\n  # in the item\n# after\n> # quoted\n[^1]: note\n\n    # in the note")
@example("---\ntitle: x\n...\n# T\n\n| a | b |\n|---|---|\n# h")
@example("# T\ntext\n%%\n# hidden\n%%\n> %%\n> # hidden too\n> %%\n%% # no %% x\n# after")
def test_the_scanner_finds_what_markdown_it_finds(text: str) -> None:
    assert scanned(text) == markdown_it(text)


@SETTINGS
@given(documents)
@example("# a | b\n--|--\n# T")  # a table's header row, known only from the line after it
@example('[r]: /u "title\n===\nend"\n# T')  # a link title over lines, underline and all
def test_the_first_heading_is_found_without_reading_past_it(text: str) -> None:
    lines = text.split("\n")
    for level in (1, 2):
        wanted = next((heading for heading in headings(lines) if heading.level == level), None)
        assert first_heading(lines, level) == wanted


# -- what the callers get -----------------------------------------------------------------------------------

# The block structure varies as above; the words in headings are kept to what both read alike. The index
# lists a heading's text as written (`*em*` stays `*em*` until the article is parsed), so its test has
# plain words; the search index drops emphasis, code and link marks as the parser does, but not footnote
# references or images (the parser shows `[1]` and `[image: alt]`), an inline matter left out here.
plain_words = ["alpha", "Beta", "C#", "x | y", "a  b", "a\tb", "1.", "- x", "é", "Q&A", "snake_case", ">"]
marked_words = [*plain_words, "*em*", "**b**", "`co de`", "&amp;", "[link](u)", "~~s~~", "<b>", "_i_"]


def heading_documents(vocabulary: list[str]) -> st.SearchStrategy[str]:
    some_words = st.lists(st.sampled_from(vocabulary), min_size=1, max_size=3).map(" ".join)
    return st.lists(
        st.one_of(
            st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 3), some_words),
            some_words,
            st.sampled_from(
                ["", "===", "---", "```", "    # code", "- # in a list", "  # in a list?", "<div>"]
            ),
        ),
        max_size=16,
    ).map("\n".join)


@SETTINGS
@given(heading_documents(marked_words))
def test_search_sections_have_the_parsers_ids_and_titles(text: str) -> None:
    indexed = index_text(ArticleInfo("a", "T", Path("a.md")), text)
    parsed = parse_text(text, Path("a.md"), "a")
    assert [(s.section_id, s.title) for s in indexed.sections if s.section_id] == [
        (s.id, s.title) for s in parsed.sections
    ]


@settings(max_examples=max(20, EXAMPLES // 10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(heading_documents(plain_words))
def test_the_index_lists_the_title_the_parser_gives(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("titles")
    (folder / "a.md").write_text(text, encoding="utf-8")
    (info,) = Library(folder).scan()
    assert info.title == parse_text(text, folder / "a.md", "a").title


# -- cases worth naming -------------------------------------------------------------------------------------


def test_a_closing_sequence_needs_a_space_before_it() -> None:
    found = headings(["# What is C#", "# Title ##", "## x\\#"])
    assert [heading.text for heading in found] == ["What is C#", "Title", "x\\#"]


def test_a_setext_heading_takes_every_line_of_its_paragraph() -> None:
    (heading,) = headings(["First line", "second line", "---"])
    assert heading == SourceHeading(0, 3, 2, "First line\nsecond line")


def test_hashes_in_code_html_lists_quotes_and_footnotes_open_no_section() -> None:
    text = (
        "```sh\n# a comment\n```\n\n    # indented code\n\n<!--\n# hidden\n-->\n\n- item\n\n  # in the item\n\n"
        "> # quoted\n\n[^1]: note\n\n    # in the note\n\n# Real"
    )
    assert [h.text for h in headings(text.split("\n"))] == ["Real"]


def test_nesting_thousands_deep_is_read_without_recursing_forever() -> None:
    for text in (
        ">" * 5000 + " deep\n# After",
        "".join("  " * i + "- item\n" for i in range(3000)) + "# After",
    ):
        assert scanned(text) == markdown_it(text)


def test_front_matter_ends_as_the_plugin_says() -> None:
    assert front_matter_end(["---", "a: b", "---", "# T"]) == 3
    assert front_matter_end(["---", "a: b", "...", "# T"]) == 3
    assert front_matter_end(["----", "a: b", "---", "----"]) == 4  # as many dashes as it opened with
    assert front_matter_end(["---", "a: b"]) == 0  # never closed: no front matter
    assert front_matter_end([" ---", "a: b", "---"]) == 0
