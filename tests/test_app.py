"""The reader driven as a user drives it: keys pressed through Textual's Pilot, then assertions on the
widgets on screen and on the data file."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rich.console import Console
from textual.widgets import Static

from tui.app import ReaderApp
from tui.articles import Library, bundled_content
from tui.store import Store
from tui.widgets.sidebar import article_key, section_key

if TYPE_CHECKING:
    from conftest import Notice, RecordNotices, WaitFor

MAIN = "why-does-elon-musk-not-like-openai"
LEAVE = "why-did-elon-musk-leave-openai"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "reader.json"


def reader(db: Path, article: str | None = MAIN, root: Path | None = None) -> ReaderApp:
    return ReaderApp(Library(root or bundled_content()), db, article)


def stored(db: Path) -> dict:
    return json.loads(db.read_text())


# -- layout -------------------------------------------------------------------------------------------


async def test_sidebar_lists_every_question_and_counts_them(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.reader.sidebar.border_title == f"Questions ({len(app.library.infos)})"
        ids = app.reader.sidebar.keys
        assert sum(1 for option_id in ids if option_id.startswith(article_key(""))) == len(app.library.infos)
        # the open article unfolds into its sections
        assert any(option_id == section_key(MAIN, "openai-vs-xai") for option_id in ids)


async def test_header_shows_question_answer_and_singular_stats(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "1 view · 0 likes" in app.reader.header.text, what="the view counted")
        text = app.reader.header.text
        assert text.startswith("Why does Elon Musk not like OpenAI?")
        assert "capped-profit" in text
        assert "1 view · 0 likes" in text


async def test_reading_pane_shows_footnote_refs_as_numbers_never_raw(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        # the text is laid out a slice at a time after the first screen: check all of it
        await wait_for(pilot, lambda: app.reader.view._done, what="the whole article laid out")
        everything = "\n".join(app.reader.view.line_text(i) for i in range(len(app.reader.view._lines)))
        assert "[1]" in everything and "[^" not in everything
        assert "OpenAI vs xAI" in everything


async def test_enter_in_sidebar_opens_the_selected_question(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        app.reader.sidebar.focus()
        assert app.reader.sidebar.select(article_key(LEAVE))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.article.id == LEAVE, what="the question to open")
        assert app.reader.header.text.startswith("Why did Elon Musk leave OpenAI?")
        await wait_for(pilot, lambda: Store(db).article_state(LEAVE).views == 1, what="the view written")
        assert stored(db)["articles"]


async def test_enter_on_a_section_in_the_sidebar_scrolls_to_it(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        app.reader.sidebar.focus()
        assert app.reader.sidebar.select(section_key(MAIN, "lessons"))
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: app.reader.view.current_section == "lessons", what="the section in view"
        )
        assert app.reader.view.line_text(int(app.reader.view.scroll_offset.y)) == "Lessons"


async def test_tab_and_shift_tab_move_focus_between_panes(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.focused is app.reader.view
        await pilot.press("tab")
        assert app.focused is not app.reader.view
        await pilot.press("shift+tab")
        assert app.focused is app.reader.view


async def test_down_j_space_and_page_keys_scroll_the_reading_pane(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)

    def at(y: float) -> bool:  # scrolling is animated: wait for the pane to arrive
        return view.scroll_offset.y == y == view.scroll_target_y

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.reader.view
        await pilot.press("down", "j")
        await wait_for(pilot, lambda: at(2), what="two lines down")
        await pilot.press("k")
        await wait_for(pilot, lambda: at(1), what="one line up")
        await pilot.press("space")
        await wait_for(pilot, lambda: view.scroll_target_y > 10 and at(view.scroll_target_y), what="a page")
        after_space = view.scroll_offset.y
        await pilot.press("pageup")
        await wait_for(pilot, lambda: view.scroll_target_y < after_space and at(view.scroll_target_y))
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: at(after_space), what="a page down again")


async def test_brackets_move_to_the_next_and_previous_section(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = app.reader.view.current_section
        await pilot.press("right_square_bracket")
        second = await wait_for(
            pilot, lambda: app.reader.view.current_section != first and app.reader.view.current_section
        )
        assert (
            app.reader.view.line_text(int(app.reader.view.scroll_offset.y))
            == app.reader.article.section(second).title
        )
        await pilot.press("right_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert app.reader.view.current_section == second
        await wait_for(
            pilot, lambda: app.reader.sidebar.current_section == second, what="the sidebar to follow"
        )


async def test_g_and_G_go_to_the_top_and_bottom(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("G")

        def last_line_on_screen() -> bool:
            last_line = app.reader.view.line_text(app.reader.view._content_height - 1)
            return app.reader.view._done and bool(last_line) and last_line in app.reader.view.screen_text()

        await wait_for(pilot, last_line_on_screen, what="the last line on screen")
        await pilot.press("g")
        await wait_for(pilot, lambda: app.reader.view.scroll_offset.y == 0, what="the top")


# -- comparison ---------------------------------------------------------------------------------------


async def test_c_shows_openai_and_xai_side_by_side(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert app.reader.comparison.display and not app.reader.view.display
        assert app.reader.comparison.comparison.sides == ("OpenAI", "xAI")
        table = app.reader.comparison.query_one("#comparison-table")
        shown = "\n".join(strip.text for strip in table.render_lines(table.region.reset_offset))
        header = next(line for line in shown.splitlines() if "Aspect" in line)
        assert header.index("Aspect") < header.index("OpenAI") < header.index("xAI")
        focus_row = next(line for line in shown.splitlines() if "Focus" in line)
        assert (
            "Scaling" in focus_row and "In Musk's framing" in focus_row
        )  # the two sides of one aspect on one row


async def test_second_c_restores_the_reading_view_exactly(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket", "right_square_bracket", "j", "j")
        await pilot.pause()
        before = (app.reader.view.scroll_offset.y, app.reader.view.screen_text(), app.focused)
        await pilot.press("c")
        await pilot.pause()
        assert app.focused is app.reader.comparison
        await pilot.press("c")
        await pilot.pause()
        assert app.reader.view.display and not app.reader.comparison.display
        assert (app.reader.view.scroll_offset.y, app.reader.view.screen_text(), app.focused) == before


async def test_c_cycles_through_several_comparisons_then_closes(
    db: Path, write: Callable[[str, str], Path], content: Path
) -> None:
    write(
        "two.md",
        "# Two\n\n## A vs B\n\n### A\n- **X:** a\n\n### B\n- **X:** b\n\n## Table\n\n| Aspect | C | D |\n|---|---|---|\n| Y | c | d |\n",
    )
    app = reader(db, "two", content)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        assert app.reader.comparison.comparison.sides == ("A", "B")
        await pilot.press("c")
        assert app.reader.comparison.comparison.sides == ("C", "D")
        await pilot.press("c")
        assert not app.reader.comparison.display and app.reader.view.display


async def test_c_without_a_comparison_says_so(
    db: Path, record_notices: RecordNotices, wait_for: WaitFor
) -> None:
    app = reader(db, "what-is-musk-suing-openai-over")
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        if app.reader.article.comparisons:
            pytest.skip("this bundled article gained a comparison")
        await pilot.press("c")
        await wait_for(pilot, lambda: any("no comparison" in n.message for n in notices), what="the notice")
        assert not app.reader.comparison.display


async def test_escape_closes_the_comparison(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await pilot.press("escape")
        assert app.reader.view.display and not app.reader.comparison.display


# -- footnotes ----------------------------------------------------------------------------------------


async def test_f_toggles_the_footnote_panel_and_marks_notes_cited_in_view(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.reader.footnotes.display
        await pilot.press("f")
        await pilot.pause()
        assert app.reader.footnotes.display and app.reader.footnotes.border_title == "Footnotes"
        assert len(app.reader.footnotes.entries) == len(app.reader.article.footnotes)
        section = app.reader.article.section(app.reader.view.current_section)
        assert app.reader.footnotes.cited == section.notes and section.notes
        await pilot.press("f")
        assert not app.reader.footnotes.display


async def test_right_then_enter_on_a_reference_shows_its_note(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("right")
        assert app.reader.view.selected_target == ("note", 1)
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.footnotes.display
        assert app.reader.footnotes.cursor_key == "note-1"
        assert app.focused is app.reader.footnotes


async def test_enter_on_a_note_jumps_to_the_place_that_cites_it(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        app.reader.footnotes.focus()
        last = len(app.reader.article.footnotes)
        assert app.reader.footnotes.select(f"note-{last}")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is app.reader.view
        assert app.reader.view.selected_target == ("note", last)
        assert f"[{last}]" in app.reader.view.screen_text()


# -- bookmarks, likes, views --------------------------------------------------------------------------


async def test_b_bookmarks_the_section_in_view_and_b_again_removes_it(
    db: Path, record_notices: RecordNotices, wait_for: WaitFor
) -> None:
    app = reader(db)
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket")
        await pilot.pause()
        section = app.reader.view.current_section
        await pilot.press("b")
        # (the write may finish after the key: the notice says when it has)
        await wait_for(
            pilot, lambda: any(n.message.startswith("Bookmarked") for n in notices), what="Bookmarked"
        )
        [bookmark] = Store(db).bookmarks()
        assert (bookmark.article_id, bookmark.section_id) == (MAIN, section)
        assert "★ section bookmarked" in app.reader.header.text
        await pilot.press("b")
        await wait_for(
            pilot,
            lambda: any(n.message.startswith("Bookmark removed") for n in notices),
            what="Bookmark removed",
        )
        assert Store(db).bookmarks() == []
        assert "★" not in app.reader.header.text


async def test_bookmarks_screen_lists_jumps_and_deletes(db: Path, wait_for: WaitFor) -> None:
    store = Store(db)
    store.set_bookmark(MAIN, "lessons", True, "Why does Elon Musk not like OpenAI?", "Lessons")
    store.set_bookmark(
        LEAVE, "gone-section", True, "Why did Elon Musk leave OpenAI?", "A section since removed"
    )
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("B")
        await pilot.pause()
        from tui.screens.bookmarks import BookmarksScreen

        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        assert [b.section_id for b in screen.items] == ["gone-section", "lessons"]  # newest first
        await pilot.press("d")  # delete the stale one
        await wait_for(
            pilot, lambda: [b.section_id for b in screen.items] == ["lessons"], what="the list without it"
        )
        assert [b.section_id for b in Store(db).bookmarks()] == ["lessons"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, BookmarksScreen), what="the screen to close")
        assert app.reader.article.id == MAIN
        await wait_for(
            pilot, lambda: app.reader.view.current_section == "lessons", what="the bookmarked section"
        )


async def test_bookmarks_screen_has_an_empty_state_and_escape_closes_it(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("B")
        await pilot.pause()
        assert "No bookmarks yet" in str(app.screen.query_one("#bookmarks-empty").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.reader, what="the screen to close")


async def test_l_likes_and_unlikes_the_article(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: Store(db).article_state(MAIN).liked, what="the like written")
        assert "1 like" in app.reader.header.text and "♥ liked" in app.reader.header.text
        await pilot.press("l")
        await wait_for(pilot, lambda: not Store(db).article_state(MAIN).liked, what="the like removed")
        assert "0 likes" in app.reader.header.text


async def test_restart_resumes_the_last_article_at_the_last_place_with_two_views(
    db: Path, wait_for: WaitFor
) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await pilot.press("b", "l")
        # b and l are written in the background: quit once they are in the file
        await wait_for(
            pilot, lambda: Store(db).bookmarks() and Store(db).article_state(MAIN).liked, what="b and l saved"
        )
        place = (app.reader.view.current_section, app.reader.view.scroll_offset.y)
        await pilot.press("q")
    again = reader(db, article=None)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.reader.article.id == MAIN
        assert (again.reader.view.current_section, again.reader.view.scroll_offset.y) == place
        await wait_for(pilot, lambda: "2 views · 1 like" in again.reader.header.text, what="the stats")
        assert [b.section_id for b in again.session.store.bookmarks()] == [place[0]]


# -- links and history --------------------------------------------------------------------------------


async def _select_link_to(app: ReaderApp, pilot, href: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        await pilot.press("right")
        if app.reader.view.selected_target == ("link", href):
            return
    raise AssertionError(f"no link to {href}")


async def test_links_open_articles_and_back_and_forward_move_through_history(
    db: Path, wait_for: WaitFor
) -> None:
    other = "what-is-openai-capped-profit-structure"
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await _select_link_to(app, pilot, f"{other}.md")
        before = app.reader.view.scroll_offset.y
        await pilot.press("enter")  # (the link travels to the app as a message)
        await wait_for(pilot, lambda: app.reader.article.id == other, what="the linked article")
        await pilot.press("backspace")
        await wait_for(pilot, lambda: app.reader.article.id == MAIN, what="back")
        assert app.reader.view.scroll_offset.y == before
        await pilot.press("alt+right")
        await wait_for(pilot, lambda: app.reader.article.id == other, what="forward")
        await pilot.press("alt+left")
        await wait_for(pilot, lambda: app.reader.article.id == MAIN, what="back again")


async def test_links_that_leave_the_content_folder_are_refused(
    db: Path,
    write: Callable[[str, str], Path],
    content: Path,
    record_notices: RecordNotices,
    wait_for: WaitFor,
) -> None:
    write("a.md", "# A\n\n[secrets](../../etc/passwd.md) and [web](https://example.org)\n")
    opened: list[str] = []
    app = reader(db, "a", content)
    app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
    notices = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right", "enter")
        await wait_for(
            pilot, lambda: any("outside the content folder" in n.message for n in notices), what="the refusal"
        )
        assert app.reader.article.id == "a"
        await pilot.press("right")
        await wait_for(
            pilot, lambda: any("https://example.org" in n.message for n in notices), what="the URL"
        )
        assert opened == []  # selecting a web link shows it, never opens it
        await pilot.press("o")
        await wait_for(pilot, lambda: opened, what="the browser")
        assert opened == ["https://example.org"]


# -- sidebar, help, quit, sizes -----------------------------------------------------------------------


async def test_s_hides_and_shows_the_sidebar(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.reader.questions.display
        width = app.reader.view.size.width
        await pilot.press("s")
        await pilot.pause()
        assert not app.reader.questions.display and app.reader.view.size.width > width
        await pilot.press("s")
        await pilot.pause()
        assert app.reader.questions.display


async def test_question_mark_shows_every_key(db: Path) -> None:
    from tui.keys import documented
    from tui.screens.help import HelpScreen

    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one(Static).content)
        text = console.export_text()
        for key in documented():
            assert key.shown in text and key.help in text, f"the help screen does not show {key.shown}"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        # (q may wait a moment for writes under way: wait for the exit, not for a fixed time)
        await wait_for(pilot, lambda: app.return_code is not None or not app.is_running, what="the exit")
    assert app.return_code == 0


@pytest.mark.parametrize("size", [(60, 18), (30, 8), (250, 70)])
async def test_small_and_large_terminals_work(db: Path, size: tuple[int, int], wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if size[0] < 80:
            assert not app.reader.questions.display
        await pilot.press("c", "c", "f", "f", "b", "l", "right_square_bracket", "G", "g")
        await wait_for(pilot, lambda: Store(db).article_state(MAIN).liked, what="the like written")
        assert app.reader.article.id == MAIN
        assert "1 like" in app.reader.header.text


async def test_narrow_terminal_summons_the_sidebar_full_width_with_s(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert app.reader.questions.display and app.focused is app.reader.sidebar
        assert not app.reader.query_one("#reading").display
        assert app.reader.sidebar.select(article_key(LEAVE))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.article.id == LEAVE, what="the question to open")
        assert not app.reader.questions.display and app.reader.query_one("#reading").display


async def test_resizing_keeps_the_place(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        section = app.reader.view.current_section
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert app.reader.view.current_section == section
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert app.reader.view.current_section == section


async def test_markup_in_article_text_is_shown_literally(
    db: Path,
    write: Callable[[str, str], Path],
    content: Path,
    record_notices: RecordNotices,
    wait_for: WaitFor,
) -> None:
    write(
        "m.md",
        "---\ntitle: '[bold red]Hi[/] [@click=app.quit]x[/]'\nsummary: '[link=x]y[/link]'\n---\n\n## [b]S[/b]\n\nBody [red]z[/red]\n",
    )
    app = reader(db, "m", content)
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.reader.header.text.startswith("[bold red]Hi[/] [@click=app.quit]x[/]")
        assert "[link=x]y[/link]" in app.reader.header.text
        assert "Body [red]z[/red]" in app.reader.view.screen_text()
        await pilot.press("b")
        await wait_for(pilot, lambda: any("[b]S[/b]" in n.message for n in notices), what="the notice")
        assert app.is_running


async def test_an_empty_content_folder_says_what_to_do(
    db: Path, tmp_path: Path, record_notices: RecordNotices
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    app = reader(db, None, empty)
    notices = record_notices(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.reader.sidebar.border_title == "Questions (0)"
        assert "No articles in" in app.reader.header.text and "--content DIR" in app.reader.header.text
        await pilot.press("c", "f", "b", "l", "G", "g", "right_square_bracket", "left_square_bracket")
        await pilot.press("right", "enter", "o", "backspace", "alt+right", "s", "s", "ctrl+f", "escape")
        await pilot.press("B", "escape", "slash", "x", "escape")
        await pilot.pause()
        assert app.is_running
        # (recorded, not read off the screen: the keys above can outlast the notice's few seconds)
        assert any("No article is open" in n.message for n in notices)
        assert app.reader.footnotes.entries[0].text == "No article is open."


async def test_a_data_file_that_cannot_be_written_leaves_the_reader_reading(
    tmp_path: Path, record_notices: RecordNotices, wait_for: WaitFor
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    app = reader(blocker / "reader.json")
    notices = record_notices(app)

    def errors() -> list[Notice]:
        return [n for n in notices if n.severity == "error"]

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.reader.article.id == MAIN and "Why does Elon Musk" in app.reader.header.text
        await pilot.press("b", "l", "right_square_bracket")
        # every change the user asked for that does not stick is told, each time
        await wait_for(pilot, lambda: len(errors()) == 2, what="two error notices")
        await pilot.press("q")
    assert all("Not saved" in n.title for n in errors())
    assert blocker.read_text() == "a file where the data folder should be"


async def test_a_corrupt_data_file_is_moved_aside_and_the_user_told_where(
    tmp_path: Path, record_notices: RecordNotices, wait_for: WaitFor
) -> None:
    db = tmp_path / "reader.json"
    db.write_text("{ this is not json")
    app = reader(db)
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        [moved] = list(tmp_path.glob("reader.json.corrupt-*"))
        assert moved.read_text() == "{ this is not json"
        await wait_for(pilot, lambda: any(str(moved) in n.message for n in notices), what="the notice")
        await pilot.press("b")
        await wait_for(pilot, lambda: Store(db).bookmarks(), what="the bookmark written")


async def test_escape_in_the_sidebar_closes_panels_when_there_is_no_filter(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("f")
        app.reader.sidebar.focus()
        await pilot.press("escape")
        assert not app.reader.footnotes.display
    narrow = reader(db)
    async with narrow.run_test(size=(60, 18)) as pilot:
        await pilot.press("s")
        assert narrow.reader.questions.display
        await pilot.press("escape")
        assert not narrow.reader.questions.display


async def test_layout_follows_each_resize_at_once(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        assert app.reader.has_class("narrow") and not app.reader.questions.display
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert not app.reader.has_class("narrow") and app.reader.questions.display


async def test_the_place_is_kept_by_section_across_a_change_of_width(db: Path) -> None:
    app = reader(db)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press(*["right_square_bracket"] * 4, "j", "j")
        await pilot.pause()
        section = app.reader.view.current_section
        await pilot.press("q")
    again = reader(db, article=None)
    async with again.run_test(size=(70, 30)) as pilot:
        await pilot.pause()
        assert again.reader.view.current_section == section
        assert (
            again.reader.view.line_text(int(again.reader.view.scroll_offset.y) - 2)
            == again.reader.article.section(section).title
        )


async def test_search_into_a_missing_section_of_the_open_article_says_so(
    db: Path, record_notices: RecordNotices, wait_for: WaitFor
) -> None:
    app = reader(db)
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.reader.open_article(MAIN, "no-such-section")
        await wait_for(
            pilot, lambda: any("No section #no-such-section" in n.message for n in notices), what="the notice"
        )


async def test_the_mouse_opens_a_question_and_follows_a_link(db: Path, wait_for: WaitFor) -> None:
    app = reader(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        position = app.reader.sidebar.index_of(article_key(LEAVE))
        row = app.reader.sidebar._starts[position] - int(app.reader.sidebar.scroll_offset.y)
        await pilot.click("#sidebar", offset=(6, row + 1))  # +1: the border
        await wait_for(pilot, lambda: app.reader.article.id == LEAVE, what="the clicked question")
        view = app.reader.view
        ref, (_, href) = next((r, t) for r, t in enumerate(view._refs_targets) if t[0] == "link")
        line = view._ref_lines[ref]
        view.scroll_to(y=line, animate=False, immediate=True, force=True)
        await pilot.pause()
        x = view._margin.cell_length
        for segment in view._lines[line]:
            if segment.style is not None and segment.style.meta.get("ref") == ref:
                break
            x += segment.cell_length
        await pilot.click("#article", offset=(x + 1, int(line - view.scroll_offset.y)))
        linked = app.library.resolve_link(LEAVE, str(href)).article_id
        assert linked != LEAVE
        await wait_for(pilot, lambda: app.reader.article.id == linked, what="the clicked link")
