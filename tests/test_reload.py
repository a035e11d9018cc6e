"""The open article follows its file: changed on disk -> read again at the same section; deleted -> said so;
`e` hands the terminal to the user's editor and reads the article again afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.pilot import Pilot

from tui import editor
from tui.app import ReaderApp
from tui.articles import Library
from tui.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from conftest import RecordNotices, WaitFor


def _article(extra: str = "", gone: bool = False) -> str:
    parts = ["# Does the reader follow the file?\n", f"Short answer.{extra}\n"]
    for number in range(1, 7):
        if gone and number == 4:
            continue
        body = "\n\n".join(
            f"Paragraph {p} of section {number}, long enough to take a line." for p in range(8)
        )
        parts.append(f"## Section {number}\n\n{body}\n")
    return "\n".join(parts)


@pytest.fixture
def article(write: Callable[[str, str], Path]) -> Path:
    write("other.md", "# Another question\n\nText.\n")
    return write("follow.md", _article())


def _app(tmp_path: Path) -> ReaderApp:
    return ReaderApp(Library(tmp_path / "content"), tmp_path / "reader.json", "follow")


async def _at_section_4(app: ReaderApp, pilot: Pilot[None], wait_for: WaitFor) -> ArticleView:
    """The article drawn and scrolled to its fourth section; its view."""
    view = app.reader.view
    await wait_for(pilot, lambda: view.section_line("section-4") is not None, what="the article drawn")
    assert view.go_to_section("section-4")
    await wait_for(pilot, lambda: view.current_section == "section-4", what="section 4 in view")
    return view


async def test_a_changed_file_is_read_again_at_the_same_section(
    tmp_path: Path, article: Path, wait_for: WaitFor, record_notices: RecordNotices
) -> None:
    app = _app(tmp_path)
    notices = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await _at_section_4(app, pilot, wait_for)
        # Two sections above the one being read grow: the same section must stay in view.
        text = _article().replace("Paragraph 0 of section 1,", "Paragraph 0 of section 1 (edited),")
        text = text.replace("## Section 2\n", "## Section 2\n\nA new paragraph.\n\nAnd another one.\n")
        article.write_text(text, encoding="utf-8")
        await wait_for(pilot, lambda: _has_line(view, "(edited)"), what="the new text")
        assert view.current_section == "section-4"
        assert "section 4" in view.screen_text()
        assert any(n.message.startswith("Reloaded") for n in notices)


def _has_line(view: ArticleView, needle: str) -> bool:
    """Whether a line drawn so far holds `needle` (on screen or not)."""
    return any(needle in view.line_text(index) for index in range(view.virtual_size.height))


async def test_a_reworded_heading_keeps_its_place_by_position(
    tmp_path: Path, article: Path, wait_for: WaitFor
) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await _at_section_4(app, pilot, wait_for)
        article.write_text(_article().replace("## Section", "## Part"), encoding="utf-8")
        await wait_for(pilot, lambda: view.current_section == "part-4", what="the same section, renamed")


async def test_a_removed_section_keeps_the_distance_from_the_top(
    tmp_path: Path, article: Path, wait_for: WaitFor
) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await _at_section_4(app, pilot, wait_for)
        before = view.scroll_offset.y
        article.write_text(_article(gone=True), encoding="utf-8")
        await wait_for(pilot, lambda: app.reader.article and app.reader.article.section("section-4") is None)
        await wait_for(pilot, lambda: view.scroll_offset.y == before, what="the same scroll offset")


async def test_a_deleted_file_is_told_once_and_the_text_stays(
    tmp_path: Path, article: Path, wait_for: WaitFor, record_notices: RecordNotices
) -> None:
    app = _app(tmp_path)
    notices = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.reader.view
        await wait_for(pilot, lambda: "Paragraph 0 of section 1" in view.screen_text())
        article.unlink()
        await wait_for(pilot, lambda: any(n.title == "Deleted" for n in notices), what="the deletion notice")
        gone = [n for n in notices if n.title == "Deleted"]
        assert str(article) in gone[0].message and gone[0].severity == "warning"
        assert "Paragraph 0 of section 1" in view.screen_text()
        app.reader.watch_file()  # a second check says nothing more
        assert len([n for n in notices if n.title == "Deleted"]) == 1
        # Back again (a `git checkout`, an editor's save): read as it is now.
        article.write_text(_article(extra=" Restored."), encoding="utf-8")
        await wait_for(pilot, lambda: _has_line(view, "Restored."), what="the restored text")


@contextmanager
def _no_suspend() -> Iterator[None]:
    yield


async def test_e_runs_the_editor_on_the_file_and_reads_it_again(
    tmp_path: Path, article: Path, wait_for: WaitFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", "my-editor --wait")
    monkeypatch.setenv("EDITOR", "not-this-one")
    ran: list[list[str]] = []

    def fake_editor(command: list[str]) -> int:
        ran.append(command)
        Path(command[-1]).write_text(_article().replace("Paragraph 0 of section 1,", "Edited here,"))
        return 0

    monkeypatch.setattr(editor, "run_editor", fake_editor)
    app = _app(tmp_path)
    monkeypatch.setattr(app, "suspend", _no_suspend)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.reader.view
        await wait_for(pilot, lambda: "Paragraph 0 of section 1" in view.screen_text())
        await pilot.press("e")
        await wait_for(pilot, lambda: "Edited here" in view.screen_text(), what="the edited text")
        assert ran == [["my-editor", "--wait", str(article)]]


async def test_e_without_a_terminal_to_hand_over_says_where_the_file_is(
    tmp_path: Path,
    article: Path,
    wait_for: WaitFor,
    record_notices: RecordNotices,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EDITOR", "nano")
    ran: list[list[str]] = []
    monkeypatch.setattr(editor, "run_editor", ran.append)
    app = _app(tmp_path)  # headless: Textual cannot suspend it, as when served in a browser
    notices = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await wait_for(pilot, lambda: any("cannot take over" in n.message for n in notices))
        assert ran == []
        assert any(str(article) in n.message for n in notices)


def test_the_editor_is_visual_then_editor_then_one_on_path(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    assert editor.editor_command(path, {"VISUAL": "code -w", "EDITOR": "vim"}) == ["code", "-w", str(path)]
    assert editor.editor_command(path, {"VISUAL": " ", "EDITOR": "vim"}) == ["vim", str(path)]
    assert editor.editor_command(path, {"EDITOR": "'my editor' -x"}) == ["my editor", "-x", str(path)]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    vi = bin_dir / "vi"
    vi.write_text("#!/bin/sh\n")
    vi.chmod(0o755)
    assert editor.editor_command(path, {"PATH": str(bin_dir)}) == [str(vi), str(path)]
    with pytest.raises(editor.EditorError, match="VISUAL or .EDITOR"):
        editor.editor_command(path, {"PATH": str(tmp_path / "empty")})
    with pytest.raises(editor.EditorError, match="cannot be read"):
        editor.editor_command(path, {"EDITOR": "'unclosed"})


def test_an_editor_that_cannot_start_is_an_error_for_the_user(tmp_path: Path) -> None:
    with pytest.raises(editor.EditorError, match="Could not start"):
        editor.run_editor([str(tmp_path / "no-such-editor"), "x.md"])


async def test_a_save_landing_while_the_file_is_read_again_is_shown_too(
    write: Callable[[str, str], Path], content: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    path = write("k.md", "# K\n\nversion one\n")
    library = Library(content)
    real = library.article
    armed = [False]

    def article(article_id: str):  # type: ignore[no-untyped-def]
        result = real(article_id)
        if armed[0]:  # the editor's last write lands just after the reload read the file
            armed[0] = False
            path.write_text("# K\n\nversion three, the last save\n", encoding="utf-8")
        return result

    library.article = article  # type: ignore[method-assign]
    app = ReaderApp(library, tmp_path / "db.json", "k")
    async with app.run_test(size=(80, 20)) as pilot:
        view = app.reader.view
        await wait_for(pilot, lambda: "version one" in view.screen_text())
        armed[0] = True
        path.write_text("# K\n\nversion two, half written\n", encoding="utf-8")
        await wait_for(pilot, lambda: "version three" in view.screen_text(), what="the last save on screen")
