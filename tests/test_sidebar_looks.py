"""The sidebar and the footnote panel never disagree with the text: the blurred sidebar cursor follows the
section being read, the filter keeps the layout, is labelled and marks the words it matched, and the
footnote panel opens at the notes cited in view."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tui.app import ReaderApp
from tui.articles import Library, bundled_content
from tui.articles.search import match_spans, words_of
from tui.widgets.entry_list import EntryList
from tui.widgets.sidebar import article_key, section_key

if TYPE_CHECKING:
    from conftest import WaitFor

MAIN_ID = "why-does-elon-musk-not-like-openai"


def drawn_lines(entry_list: EntryList) -> list[str]:
    """The text of the rows the list draws on screen now."""
    height = entry_list.scrollable_content_region.height
    return [entry_list.render_line(y).text for y in range(height)]


def screen_row(app: ReaderApp, y: int) -> str:
    """The characters of screen row `y`, as drawn."""
    update = app.screen._compositor.render_update(full=True, simplify=True)
    return "".join(segment.text for strip in update.strips[y] for segment in strip)  # type: ignore[union-attr]


# -- the sidebar follows the text ------------------------------------------------------------------------


async def test_the_unfocused_sidebar_cursor_follows_the_section_being_read(
    tmp_path: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(bundled_content()), tmp_path / "db.json", MAIN_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.reader
        sidebar = reader.sidebar
        await wait_for(pilot, lambda: reader.view.current_section is not None, what="the article")
        await wait_for(pilot, lambda: app.focused is reader.view, what="the text focused")
        first = section_key(MAIN_ID, "the-shift-from-nonprofit-to-for-profit")
        await wait_for(pilot, lambda: sidebar.cursor_key == first, what="the cursor on the first section")
        later = "xai-and-the-feud"
        await pilot.press("]", "]")
        await wait_for(pilot, lambda: reader.view.current_section == later, what="two sections on")
        await wait_for(
            pilot,
            lambda: sidebar.cursor_key == section_key(MAIN_ID, later),
            what="the blurred cursor on the section in view",
        )
        assert sidebar.current_section == later  # the ● and the cursor on the same entry

        # Focused, it starts on the section in view; the user moves it and it stays there while the
        # text moves on ...
        sidebar.focus()
        await wait_for(pilot, lambda: app.focused is sidebar, what="the sidebar to take focus")
        assert sidebar.cursor_key == section_key(MAIN_ID, later)
        await pilot.press("up", "up")
        chosen = sidebar.cursor_key
        assert chosen != section_key(MAIN_ID, later)
        last = reader.article.sections[-1].id
        reader.view.go_to_section(last)
        await wait_for(pilot, lambda: sidebar.current_section == last, what="the last section marked")
        assert sidebar.cursor_key == chosen
        # ... until the user leaves the sidebar: then it goes back to what is being read.
        reader.view.focus()
        await wait_for(
            pilot, lambda: sidebar.cursor_key == section_key(MAIN_ID, last), what="the cursor to follow"
        )


# -- the filter -------------------------------------------------------------------------------------------


async def test_opening_the_filter_keeps_the_sidebar_width_and_wrapping(
    tmp_path: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(bundled_content()), tmp_path / "db.json", MAIN_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.reader
        sidebar = reader.sidebar
        await wait_for(pilot, lambda: sidebar.virtual_size.height > 0, what="the sidebar")
        width, content, lines = (
            sidebar.size.width,
            sidebar.scrollable_content_region.width,
            sidebar.virtual_size,
        )
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: reader.questions.filter_input is app.focused, what="the filter")
        await pilot.pause()
        assert sidebar.size.width == width
        assert sidebar.scrollable_content_region.width == content
        assert sidebar.virtual_size == lines  # the same entries wrapped into the same number of lines
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.focused is sidebar, what="the filter closed")
        assert (sidebar.size.width, sidebar.virtual_size) == (width, lines)


async def test_the_filter_is_labelled_on_screen(tmp_path: Path, wait_for: WaitFor) -> None:
    app = ReaderApp(Library(bundled_content()), tmp_path / "db.json", MAIN_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.reader
        await pilot.press("ctrl+f")
        field = await wait_for(pilot, lambda: reader.questions.filter_input, what="the filter")
        await wait_for(pilot, lambda: app.focused is field, what="the filter focused")
        await pilot.press(*"musk")  # (the placeholder is gone: the label must say what the line is)
        await wait_for(pilot, lambda: reader.sidebar.filter_words == ["musk"], what="the filter applied")
        row = screen_row(app, field.region.y)
        assert "Filter" in row[: field.region.x], row
        assert "musk" in row[field.region.x :]


async def test_typing_in_the_filter_marks_the_matching_words(tmp_path: Path, wait_for: WaitFor) -> None:
    app = ReaderApp(Library(bundled_content()), tmp_path / "db.json", MAIN_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        sidebar = app.reader.sidebar
        await pilot.press("ctrl+f", *"musk")
        await wait_for(pilot, lambda: sidebar.filter_words == ["musk"], what="the filter applied")
        questions = [entry for entry in sidebar.entries if entry.key.startswith(article_key(""))]
        assert len(questions) == 3
        for entry in questions:
            assert [entry.text[start:end] for start, end in entry.marks] == ["Musk"], entry
        assert all(not entry.marks for entry in sidebar.entries if entry not in questions)  # sections: no
        await pilot.press("escape")
        await wait_for(pilot, lambda: not sidebar.filter_words, what="the filter cleared")
        assert all(not entry.marks for entry in sidebar.entries)


async def test_an_accented_title_is_marked_on_its_own_characters(
    write: Callable[[str, str], Path], content: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    write("cafe.md", "# Über die Straße ins Café?\n\nYes.\n")
    write("tea.md", "# Where is the tea room?\n\nUpstairs.\n")
    app = ReaderApp(Library(content), tmp_path / "db.json", "tea")
    async with app.run_test(size=(120, 40)) as pilot:
        sidebar = app.reader.sidebar
        await pilot.press("ctrl+f", *"strasse CAFE")
        await wait_for(pilot, lambda: len(sidebar.filter_words) == 2, what="the filter applied")
        (entry,) = sidebar.entries
        assert entry.key == article_key("cafe")
        assert [entry.text[start:end] for start, end in entry.marks] == ["Straße", "Café"]
        drawn = [segment.text for y in range(2) for segment in sidebar.render_line(y)]
        assert "Straße" in drawn and "Café" in drawn  # drawn as spans of their own (the match style)


def test_match_spans_are_offsets_in_the_original_text() -> None:
    assert match_spans("Große Straße, Café", words_of("strasse cafe")) == ((6, 12), (14, 18))
    decomposed = "Cafe\u0301 noir"  # the accent typed as a combining mark goes with its letter
    assert match_spans(decomposed, words_of("café")) == ((0, 5),)
    assert match_spans("MUSK musk", ["musk"]) == ((0, 4), (5, 9))
    assert match_spans("nothing", ["musk"]) == ()


# -- the footnote panel -----------------------------------------------------------------------------------


NOTES = 60
LATE = (51, 52)


def many_notes() -> str:
    early = "\n".join(f"Early claim {n}.[^{n}]" for n in range(1, LATE[0]))
    late = " ".join(f"Late claim {n}.[^{n}]" for n in LATE)
    filler = "\n\n".join("A long paragraph of filler text to read through. " * 30 for _ in range(4))
    rest = "\n".join(f"Later claim {n}.[^{n}]" for n in range(LATE[-1] + 1, NOTES + 1))
    notes = "\n".join(f"[^{n}]: Source number {n}." for n in range(1, NOTES + 1))
    return (
        f"# Where are the notes?\n\n## Early\n\n{early}\n\n## Late\n\n{late}\n\n{filler}\n\n"
        f"## Later\n\n{rest}\n\n{filler}\n\n{notes}\n"
    )


async def test_the_footnote_panel_opens_at_the_notes_cited_in_view(
    write: Callable[[str, str], Path], content: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    write("notes.md", many_notes())
    app = ReaderApp(Library(content), tmp_path / "db.json", "notes")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.reader
        panel = reader.footnotes
        await wait_for(pilot, lambda: reader.view.current_section == "early", what="the article")
        await pilot.press("]")
        await wait_for(pilot, lambda: reader.view.current_section == "late", what="the late section")
        await pilot.press("f")
        await wait_for(
            pilot, lambda: panel.display and panel.scrollable_content_region.height > 0, what="notes"
        )
        assert panel.scrollable_content_region.height < LATE[0]  # note 51 is below the first screenful
        await wait_for(
            pilot,
            lambda: any(f"[{LATE[0]}] Source number {LATE[0]}." in line for line in drawn_lines(panel)),
            what="note 51 on screen",
        )
        assert panel.cursor_key == f"note-{LATE[0]}"
        assert app.focused is reader.view
        lines = drawn_lines(panel)
        assert all(any(f"[{n}] Source" in line for line in lines) for n in LATE)  # every note cited here

        # It keeps following the text while it has no focus ...
        reader.view.go_to_section("early")
        await wait_for(pilot, lambda: panel.cursor_key == "note-1", what="the panel to follow")
        await wait_for(pilot, lambda: any("[1] Source" in line for line in drawn_lines(panel)), what="note 1")
        # ... and stays where the user put it when it has.
        panel.focus()
        await wait_for(pilot, lambda: app.focused is panel, what="the panel to take focus")
        await pilot.press("down")
        assert panel.cursor_key == "note-2"
        reader.view.go_to_section("late")
        await wait_for(pilot, lambda: panel.cited == LATE, what="the late notes marked")
        assert panel.cursor_key == "note-2"
