"""Bad input of every kind: `check` names it, `show` prints it, the reader opens it, nothing dies, and
untrusted text never turns into markup or terminal control sequences."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rich.console import Console

from tui import cli
from tui.app import ReaderApp
from tui.articles import Library
from tui.articles.palette import TERMINAL
from tui.articles.parse import parse_file
from tui.articles.plain import show
from tui.articles.render import _renderable_lines, comparison_table
from tui.articles.search import SearchIndex

if TYPE_CHECKING:
    from conftest import RecordNotices, WaitFor

ESC = "\x1b"
MARKUP = "[bold red]loud[/] [@click=app.quit]quit[/] [link=https://evil.example]x[/link]"

# name -> (content, the problem `check` must report for it, or None when the file is fine)
CASES: dict[str, tuple[bytes, str | None]] = {
    "empty.md": (b"", "empty file"),
    "nul.md": (b"# Title\x00\x01 binary", "binary file"),
    "latin1.md": ("# Caf\xe9 cr\xe8me\n\nBody.\n".encode("latin-1"), "not valid UTF-8"),
    "bad-yaml.md": (b"---\ntitle: [unclosed\n---\n# Body title\n", "invalid YAML front matter"),
    "list-front.md": (b"---\n- a\n- b\n---\n# Listed\n", "front matter is a list"),
    "scalar-front.md": (b"---\njust a string\n---\n# Scalar\n", "front matter is a str"),
    "no-heading.md": (b"Only a paragraph, no heading anywhere.\n", None),
    "nested-lists.md": (("".join("  " * i + "- item\n" for i in range(3000))).encode(), None),
    "nested-quotes.md": ((">" * 5000 + " deep\n").encode(), None),
    "long-line.md": (b"# Long\n\n" + b"word " * 200_000 + b"\n", None),
    "ragged-table.md": (b"# T\n\n| A | B | C |\n|---|---|---|\n| 1 |\n| 1 | 2 | 3 | 4 | 5 |\n", None),
    "sides-mismatch.md": (
        b"# C\n\n## Cats vs Dogs\n\n### Cats\n- **Sleep:** a lot\n\n### Birds\n- **Sleep:** no\n",
        "names no side",
    ),
    "uneven.md": (
        b"# U\n\n## A vs B\n\n### A\n- **X:** 1\n- **Y:** 2\n\n### B\n- **X:** 1\n",
        "says nothing on Y",
    ),
    "duplicates.md": (b"# D\n\n## Same\n\n## Same\n\n## Same\n", None),
    "footnotes.md": (b"# F\n\nText[^missing].\n\n[^unused]: Never cited.\n", "has no definition"),
    "outside-link.md": (
        b"# O\n\n[passwd](../../etc/passwd) and [up](../outside.md)\n",
        "leads outside the content folder",
    ),
    "markup.md": (
        f"---\ntitle: '{MARKUP}'\nsummary: '{MARKUP}'\n---\n\n## {MARKUP}\n\n{MARKUP}[^m]\n\n[^m]: {MARKUP}\n".encode(),
        None,
    ),
    "control.md": (b"# Title \x1b]0;pwned\x07 here\n\nText \x1b[31mred\x1b[0m \x07bell \x1b[2J\n", None),
    "wide.md": (
        "# 宽字符 wide\n\n## 日本語 vs עברית\n\n### 日本語\n- **幅:** 全角の文字と絵文字 🎉🎉\n- **e\u0301:** cafe\u0301\n\n"
        "### עברית\n- **幅:** טקסט מימין לשמאל\n- **e\u0301:** naïve\n".encode(),
        None,
    ),
    "notes.txt": (b"not an article, ignored", None),
}


@pytest.fixture
def nasty(tmp_path: Path) -> Path:
    """A folder holding every bad case, plus a symlink loop and a file nobody may read."""
    root = tmp_path / "nasty"
    root.mkdir()
    for name, (data, _) in CASES.items():
        (root / name).write_bytes(data)
    (root / "loop").mkdir()
    os.symlink(root, root / "loop" / "again")
    return root


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=120)


def test_check_names_every_problem_file_and_never_dies(nasty: Path) -> None:
    result = run_cli("check", "--content", str(nasty))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name, (_, problem) in CASES.items():
        lines = [line for line in result.stdout.splitlines() if line.startswith(str(nasty / name) + ":")]
        if problem is None:
            assert not any("error" in line for line in lines), lines
        else:
            assert any(problem in line for line in lines), f"{name}: {problem!r} not in {lines}"
    assert "symlink loop" in result.stdout
    assert "notes.txt" not in result.stdout
    assert ESC not in result.stdout


def test_unreadable_files_are_reported_not_fatal(
    nasty: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    # Tests run as root, which reads anything; so the permission error is simulated where every article
    # file is opened (tui/articles/files.py).
    from tui.articles import files

    real = os.open

    def open_file(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(path).name == "no-heading.md":
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *args)

    monkeypatch.setattr(files.os, "open", open_file)
    assert cli.main(["check", "--content", str(nasty)]) == 1
    out = capsys.readouterr().out
    assert f"{nasty / 'no-heading.md'}: unreadable: Permission denied" in out
    article = parse_file(nasty / "no-heading.md", "no-heading")
    assert article.blocks == () and "unreadable" in article.problems[0].reason


@pytest.mark.parametrize("name", [n for n in CASES if n.endswith(".md")])
def test_show_prints_every_file_without_escape_codes(nasty: Path, name: str) -> None:
    article = Library(nasty).article(name.removesuffix(".md"))
    assert article is not None
    buffer = io.StringIO()
    show(article, Console(file=buffer, width=80, force_terminal=False, markup=False), 80)
    out = buffer.getvalue()
    assert ESC not in out and "\x07" not in out
    if name == "markup.md":
        assert MARKUP in out  # literal, never interpreted


def test_show_in_a_terminal_keeps_markup_literal_and_controls_out(nasty: Path) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=True, color_system="truecolor", markup=False)
    for name in ("markup.md", "control.md"):
        show(Library(nasty).article(name.removesuffix(".md")), console, 100)
    out = buffer.getvalue()
    assert "[bold red]loud[/]" in out
    assert "\x1b]" not in out and "\x07" not in out and "\x1b[2J" not in out  # the residue is plain text
    # the only escape sequences are Rich's own colour codes
    assert not [seq for seq in re.findall(r"\x1b[^m]*?[A-Za-z]", out) if not seq.endswith("m")]


def test_comparison_columns_stay_aligned_with_wide_and_combining_text(nasty: Path) -> None:
    article = Library(nasty).article("wide")
    [comparison] = article.comparisons
    assert comparison.sides == ("日本語", "עברית")
    console = Console(width=70, force_terminal=False)
    lines = _renderable_lines(comparison_table(comparison, TERMINAL), 70, console)
    from rich.cells import cell_len

    widths = {sum(cell_len(segment.text) for segment in line) for line in lines}
    assert len(widths) == 1  # every row of the table is exactly as wide as the others


def test_search_snippets_of_untrusted_text_stay_text(nasty: Path) -> None:
    index = SearchIndex.build(Library(nasty))
    [hit] = [h for h in index.search("loud quit") if h.article_id == "markup"]
    assert "[bold red]loud[/]" in hit.snippet.text or "[bold red]loud[/]" in hit.title
    assert all(ESC not in h.snippet.text for h in index.search("red"))


async def test_the_reader_opens_every_file_and_survives_every_key(nasty: Path, tmp_path: Path) -> None:
    app = ReaderApp(Library(nasty), tmp_path / "db.json", "empty")
    async with app.run_test(size=(100, 30)) as pilot:
        for info in list(app.library.infos):
            assert app.reader.open_article(info.id)
            await pilot.pause()
            await pilot.press("c", "c", "f", "right", "G", "g", "right_square_bracket", "b", "l", "f")
            await pilot.pause()
            assert app.is_running, info.id
            assert app.reader.article.id == info.id
        screen_text = app.reader.view.screen_text() + app.reader.header.text
        assert ESC not in screen_text


async def test_markup_is_literal_in_every_widget(
    nasty: Path, tmp_path: Path, record_notices: RecordNotices, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(nasty), tmp_path / "db.json", "markup")
    notices = record_notices(app)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert app.reader.header.text.startswith(MARKUP)
        assert MARKUP in app.reader.view.screen_text()
        assert any(
            entry.text == MARKUP for entry in app.reader.sidebar.entries
        )  # the question and its section
        await pilot.press("f")
        assert MARKUP in app.reader.footnotes.entries[0].text
        await pilot.press("b")
        await wait_for(pilot, lambda: any(MARKUP in n.message for n in notices), what="the notice")
        await pilot.press("B")
        from tui.screens.bookmarks import BookmarksScreen

        await wait_for(pilot, lambda: isinstance(app.screen, BookmarksScreen), what="the bookmarks screen")
        assert MARKUP in app.screen._prompt(app.screen.items[0], app.palette).plain
        await pilot.press("escape", "slash", *"loud")
        # the search index is built in the background: the hits come when it is ready
        await wait_for(pilot, lambda: getattr(app.screen, "hits", None), what="the search hits")
        assert app.is_running


@pytest.mark.parametrize("size", [(30, 8), (60, 18), (120, 40), (250, 70)])
async def test_every_panel_at_every_size_and_resizing_while_reading(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    from tui.articles import bundled_content

    app = ReaderApp(Library(bundled_content()), tmp_path / "db.json", "why-does-elon-musk-not-like-openai")
    async with app.run_test(size=size) as pilot:
        await pilot.press("right_square_bracket", "f", "c")
        await pilot.pause()
        for other in ((30, 8), (250, 70), (61, 19), size):
            await pilot.resize_terminal(*other)
            await pilot.pause()
        await pilot.press("c", "s", "s", "question_mark", "escape", "B", "escape", "f")
        await pilot.pause()
        assert app.is_running
        assert app.reader.view.current_section is not None


def test_control_characters_in_file_names_never_reach_the_terminal(tmp_path: Path) -> None:
    root = tmp_path / "names"
    root.mkdir()
    (root / "evil\x1b[31mred\x07.md").write_text("no heading\n")
    (root / "[bold]x[i].md").write_text("text\n")
    for args in (("list",), ("check",), ("search", "text"), ("search", "heading")):
        result = run_cli(*args, "--content", str(root))
        assert ESC not in result.stdout + result.stderr and "\x07" not in result.stdout
    listing = run_cli("list", "--content", str(root)).stdout
    assert "[bold]x[i]" in listing  # literal
    assert "Evil[31mred" in listing  # the title made from the name, without its ESC and BEL


async def test_hand_edited_bookmark_titles_are_shown_as_text(tmp_path: Path, wait_for: WaitFor) -> None:
    from tui.articles import bundled_content
    from tui.screens.bookmarks import BookmarksScreen
    from tui.store import Store

    db = tmp_path / "db.json"
    Store(db).set_bookmark(
        "gone", "x", True, f"[bold]{ESC}]0;t{chr(7)}Gone", "[@click=app.quit]S", note=f"{ESC}[2Jnote"
    )
    result = run_cli("bookmarks", "--db", str(db))
    assert ESC not in result.stdout and "[bold]" in result.stdout
    app = ReaderApp(Library(bundled_content()), db, None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("B")
        await wait_for(pilot, lambda: isinstance(app.screen, BookmarksScreen), what="the bookmarks screen")
        shown = app.screen._prompt(app.screen.items[0], app.palette).plain
        assert ESC not in shown and "[@click=app.quit]S" in shown and "stale" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running  # a bookmark to a missing article says so


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_newlines_and_bidi_controls_in_file_names_stay_out_of_titles_and_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "names"
    root.mkdir()
    (root / "two\nlines.md").write_text("no heading\n")
    (root / "gnp.\u202eexe.md").write_text("no heading\n")  # reads `gnp.exe.md` with the override honoured
    (root / "tab\there.md").write_text("no heading\n")
    (root / "isolate\u2067x\u2069.md").write_text('---\ntitle: "Front\\nmatter \\u202Etitle"\n---\n')
    (root / "heading.md").write_text("# Heading \u202ewith override\tand tab\n")
    titles = {info.id: info.title for info in Library(root).infos}
    assert sorted(titles.values()) == [
        "Front matter title",
        "Gnp.exe",
        "Heading with override and tab",
        "Tab here",
        "Two lines",
    ]
    assert cli.main(["list", "--content", str(root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5  # one line per article: no id or title breaks a line
    assert not any(ch in line for line in lines for ch in BIDI_CONTROLS + "\t")
    assert any(line.startswith("two lines ") and line.endswith("  Two lines") for line in lines)
    assert any(line.startswith("gnp.exe ") for line in lines)


def test_bidi_overrides_are_dropped_from_article_text_but_right_to_left_text_stays(tmp_path: Path) -> None:
    root = tmp_path / "bidi"
    root.mkdir()
    (root / "a.md").write_text(
        "# Trojan\n\naccess = \u202e }if (admin)\u2066 \u2069{ and \u2067x\u2069 \u202a\u202b\u202c\u202d\n\n"
        "Hebrew \u05e2\u05d1\u05e8\u05d9\u05ea, Arabic \u0639\u0631\u0628\u064a, marks \u200e\u200f kept.\n"
    )
    article = Library(root).article("a")
    buffer = io.StringIO()
    show(article, Console(file=buffer, width=120, force_terminal=False, markup=False), 120)
    out = buffer.getvalue()
    assert not any(ch in out for ch in BIDI_CONTROLS)
    assert "access =  }if (admin) { and x" in out
    assert (
        "Hebrew \u05e2\u05d1\u05e8\u05d9\u05ea, Arabic \u0639\u0631\u0628\u064a, marks \u200e\u200f kept."
        in out
    )
    index = SearchIndex.build(Library(root))
    assert not any(ch in h.snippet.text for h in index.search("admin") for ch in BIDI_CONTROLS)


def test_bookmark_titles_with_bidi_controls_and_newlines_print_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.store import Store

    db = tmp_path / "db.json"
    Store(db).set_bookmark("gone", "x", True, "Article \u202eredaeh\ntwo", "Section\u2066 one\u2069\tend")
    assert cli.main(["bookmarks", "--db", str(db), "--content", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Article redaeh two > Section one end (stale: no longer in the articles)"
    assert lines[1].startswith("    gone#x  ")
    assert len(lines) == 2


def test_titles_with_line_breaks_read_as_one_line(tmp_path: Path) -> None:
    from tui.articles.parse import parse_file

    path = tmp_path / "t.md"
    path.write_text(
        '---\ntitle: "Two\\nlines\\u2028here"\n---\n\nFirst line\nsecond line\n===========\n\nText.\n'
    )
    article = parse_file(path, "t")
    assert article.title == "Two lines here"
    assert [s.title for s in article.sections] == ["First line second line"]
    assert [s.id for s in article.sections] == ["first-line-second-line"]
