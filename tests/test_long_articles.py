"""Long articles and big folders: the preview of a long file, progressive rendering, the parse cache,
and the line-drawn lists. Behaviour only; the timings live in tests/bench_perf.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from corpus import long_article, make_folder  # noqa: E402

from tui.app import ReaderApp
from tui.articles import Library  # noqa: E402
from tui.articles.cache import ArticleCache  # noqa: E402
from tui.articles.render import break_offsets  # noqa: E402
from tui.store import Store  # noqa: E402
from tui.widgets.entry_list import wrap  # noqa: E402
from tui.widgets.sidebar import article_key, folder_key  # noqa: E402

if TYPE_CHECKING:
    from conftest import RecordNotices, WaitFor


@pytest.fixture(scope="module")
def long_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    (folder / "long.md").write_text(long_article(sections=400, paragraphs=2000))
    return folder


def test_preview_of_a_long_file_is_a_prefix_of_the_full_parse(long_folder: Path) -> None:
    library = Library(long_folder)
    preview = library.preview("long")
    full = library.article("long")
    assert preview is not None and full is not None
    assert not preview.complete and full.complete
    assert 0 < len(preview.blocks) < len(full.blocks)
    assert full.blocks[: len(preview.blocks) - 1] == preview.blocks[:-1]
    # footnotes are numbered the same way in both
    cited = [span.note for block in preview.blocks for span in getattr(block, "inline", ()) if span.note]
    assert cited[:5] == [1, 2, 3, 4, 5]
    assert preview.problems == ()


def test_small_files_are_never_previewed(write, content: Path) -> None:  # type: ignore[no-untyped-def]
    write("a.md", "# A\n\nText.\n")
    assert Library(content).preview("a").complete


async def test_long_article_opens_on_a_preview_and_G_reaches_the_last_line(
    long_folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(long_folder), tmp_path / "db.json", "long")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Section 1:" in app.reader.view.screen_text()
        await pilot.press("G")
        await wait_for(
            pilot,
            lambda: "This is the last line of the body." in app.reader.view.screen_text(),
            what="the last line",
        )
        # the end shows at once; the full parse of the file follows from a thread
        await wait_for(pilot, lambda: app.reader.article.complete, what="the full parse")
        assert "This is the last line of the body." in app.reader.view.screen_text()
        assert len(app.reader.footnotes.entries) == 2000


async def test_bookmark_in_section_350_reopens_at_section_350(
    long_folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    db = tmp_path / "db.json"
    full = Library(long_folder).article("long")
    section = next(s for s in full.sections if s.title.startswith("Section 350:"))
    Store(db).set_bookmark("long", section.id, True, full.title, section.title)
    app = ReaderApp(Library(long_folder), db, "long")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("B", "enter")
        await wait_for(pilot, lambda: app.reader.view.current_section == section.id, what="section 350")
        assert app.reader.view.line_text(int(app.reader.view.scroll_offset.y)) == section.title
        await pilot.press("q")
    again = ReaderApp(Library(long_folder), db, None)
    async with again.run_test(size=(120, 40)) as pilot:
        # the saved position, deep in the file
        await wait_for(pilot, lambda: again.reader.view.current_section == section.id, what="section 350")


async def test_next_section_and_footnote_jumps_work_beyond_what_is_rendered(
    long_folder: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(long_folder), tmp_path / "db.json", "long")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.reader.article.complete, what="the full parse")
        await pilot.press("f")
        assert app.reader.footnotes.select("note-1999")
        app.reader.footnotes.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.view.selected_target == ("note", 1999), what="the citation")
        assert "[1999]" in app.reader.view.screen_text()


def test_parse_cache_round_trips_and_notices_edits(write, content: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "a.md",
        "---\ntitle: A\nwhen: 2024-01-01\n---\n# A\n\n## One\n\nText[^n] `code`.\n\n| Aspect | X | Y |\n|---|---|---|\n| k | 1 | 2 |\n\n[^n]: Note.\n",
    )
    cache = ArticleCache(tmp_path / "cache")
    first = Library(content, cache).article("a")
    assert list((tmp_path / "cache").glob("*.json"))
    second = Library(content, cache).article("a")
    assert second == first
    path.write_text("# Changed\n")
    assert Library(content, cache).article("a").title == "Changed"


def test_a_corrupt_cache_entry_is_ignored(write, content: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write("a.md", "# A\n")
    cache = ArticleCache(tmp_path / "cache")
    Library(content, cache).article("a")
    for entry in (tmp_path / "cache").glob("*.json"):
        entry.write_text('{"_": "Article", "nonsense": 1}')
    assert Library(content, cache).article("a").title == "A"
    for entry in (tmp_path / "cache").glob("*.json"):
        entry.write_text("not json at all")
    assert Library(content, cache).article("a").title == "A"
    json.loads(next((tmp_path / "cache").glob("*.json")).read_text())  # rewritten whole


def test_a_folder_of_thousands_lists_every_question(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "many", 1500)
    library = Library(folder)
    assert len(library.infos) == 1500
    assert {info.id.split("/")[0] for info in library.infos} >= {"linux", "macos", "windows"}


async def test_the_sidebar_scrolls_through_thousands_of_questions(tmp_path: Path, wait_for: WaitFor) -> None:
    folder = make_folder(tmp_path / "many", 1500)
    app = ReaderApp(Library(folder), tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        # (the first refresh reads 1,500 files, so the title may say "· indexing N%" a moment first)
        await wait_for(
            pilot, lambda: app.reader.sidebar.border_title == "Questions (1500)", what="the list, indexed"
        )
        app.reader.sidebar.focus()
        await pilot.press("end")  # the last folder (folders sort by name), closed
        assert app.reader.sidebar.cursor_key == folder_key("windows")
        await pilot.press("enter", "end")  # opened: its questions follow it, the last one at the end
        last = [info for info in app.library.infos if info.id.startswith("windows/")][-1]
        assert app.reader.sidebar.cursor_key == article_key(last.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.article.id == last.id, what="the last question to open")


def test_wrapping_keeps_every_word_and_the_width() -> None:
    text = "A question that is long enough to wrap over several lines, with an extraordinarilylongword in it"
    for width in (5, 12, 30):
        lines = wrap(text, width)
        assert all(len(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    offsets = break_offsets("hello world again", 11)
    assert offsets == [12]
    wide = break_offsets("日本語のテキスト 日本語のテキスト", 10)
    assert wide  # wide characters count two cells each


async def test_G_on_a_preview_shows_the_end_at_once_with_the_files_footnote_numbers(
    long_folder: Path, tmp_path: Path
) -> None:
    app = ReaderApp(Library(long_folder), tmp_path / "db.json", "long")
    app.reader._parse_in_background = lambda article_id: None  # type: ignore[method-assign]  # G must not need it
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.reader.article.complete
        app.reader.action_bottom()
        assert "This is the last line of the body." in app.reader.view.screen_text()
        notes = [target for kind, target in app.reader.view._refs_targets if kind == "note"]
        assert notes[-1] == 2000  # numbered as in the whole file, not from 1
        header = app.reader.header.text
        app.reader._full_article_ready(app.library.article("long"))  # the full parse arrives
        await pilot.pause()
        assert app.reader.article.complete and app.reader.header.text == header
        assert "This is the last line of the body." in app.reader.view.screen_text()  # still at the end


def test_tail_preview_matches_the_end_of_the_full_parse(long_folder: Path) -> None:
    library = Library(long_folder)
    tail = library.tail_preview("long")
    full = library.article("long")
    count = len(tail.blocks)
    assert 1 < count < len(full.blocks)
    assert tail.blocks[1:] == full.blocks[len(full.blocks) - count + 1 :]
    assert [n.number for n in tail.footnotes] == [n.number for n in full.footnotes[-len(tail.footnotes) :]]


async def test_panels_follow_the_text_when_the_full_parse_arrives(long_folder: Path, tmp_path: Path) -> None:
    app = ReaderApp(Library(long_folder), tmp_path / "db.json", "long")
    app.reader._parse_in_background = lambda article_id: None  # type: ignore[method-assign]
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("f", "right_square_bracket", "right_square_bracket")
        await pilot.pause()
        section = app.reader.view.current_section
        assert app.reader.sidebar.current_section == section
        app.reader._full_article_ready(app.library.article("long"))
        await pilot.pause()
        assert app.reader.view.current_section == section
        assert app.reader.sidebar.current_section == section
        assert app.reader.footnotes.cited == app.reader.article.section(section).notes


async def test_no_bookmark_or_saved_place_from_the_quick_parse_of_the_end(
    long_folder: Path, tmp_path: Path, record_notices: RecordNotices, wait_for: WaitFor
) -> None:
    db = tmp_path / "db.json"
    app = ReaderApp(Library(long_folder), db, "long")
    app.reader._parse_in_background = lambda article_id: None  # type: ignore[method-assign]
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("G", "b")
        await wait_for(pilot, lambda: any("Still reading" in n.message for n in notices), what="the notice")
        assert Store(db).bookmarks() == []
        app.reader.save_place()
        assert Store(db).article_state("long").position is None
