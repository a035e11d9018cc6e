"""Generated Markdown, front matter and raw bytes fed to the parser, `show` and `check`: they never raise.

CI runs a bounded number of examples; for a longer run:
    QA_READER_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from tui.articles import Library
from tui.articles.parse import parse_file, parse_text
from tui.articles.plain import show
from tui.articles.search import SearchIndex

EXAMPLES = int(os.environ.get("QA_READER_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

pieces = st.sampled_from(
    [
        "# ",
        "## ",
        "### ",
        "- ",
        "1. ",
        "> ",
        "**",
        "*",
        "_",
        "`",
        "```\n",
        "~~~",
        "---\n",
        "***\n",
        "| a | b |\n",
        "|---|---|\n",
        "| 1 |\n",
        "| Aspect | X | Y |\n",
        "[^1]",
        "[^1]: note\n",
        "[^x]",
        "[link](other.md)",
        "[up](../../etc/passwd)",
        "<b>",
        "&amp;",
        " vs ",
        "### X\n",
        "**Focus:** ",
        "\n",
        "\n\n",
        "  ",
        "\t",
        "title: x\n",
        "[bold]",
        "[/]",
        "\x1b[31m",
        "\x07",
        "é",
        "日本",
        "🎉",
        "\u200f",
    ]
)
markdown = st.lists(st.one_of(pieces, st.text(max_size=20)), max_size=60).map("".join)
front = st.one_of(
    st.just(""),
    st.builds(lambda body: f"---\n{body}\n---\n", st.text(max_size=40)),
    st.builds(lambda title: f"---\ntitle: {title}\nrelated: [a, b]\norder: 1\n---\n", st.text(max_size=20)),
)


def render(article) -> str:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    show(article, Console(file=buffer, width=60, force_terminal=False, markup=False), 60)
    return buffer.getvalue()


@SETTINGS
@given(front, markdown)
def test_parser_and_show_never_raise_on_generated_markdown(head: str, body: str) -> None:
    article = parse_text(head + body, Path("fuzz.md"), "fuzz")
    out = render(article)
    assert "\x1b" not in out and "\x07" not in out
    assert all(note.number == index for index, note in enumerate(article.footnotes, 1))


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "raw.md"
        path.write_bytes(data)
        article = parse_file(path, "raw")
        render(article)
        library = Library(folder)
        library.check()
        SearchIndex.build(library).search("a b")


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "sub/c", "d"]), markdown), min_size=1, max_size=4))
def test_check_never_raises_on_generated_folders(files: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files:
            path = Path(folder) / f"{name}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        problems = Library(folder).check()
        assert all(str(problem).startswith(folder) for problem in problems)
