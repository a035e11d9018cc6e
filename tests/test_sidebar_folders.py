"""The sidebar groups a vault's questions by folder: closed folders with their counts, opened and closed with
enter, space, → and ←, opened by themselves for the article being read, searched through by the filter;
titles two articles share are told apart by their folder (in the sidebar and the command palette); a
folder of one level keeps the flat list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.command import CommandList, CommandPalette

from tui.app import ReaderApp
from tui.articles import Library
from tui.articles.folders import told_apart, tree
from tui.articles.model import ArticleInfo
from tui.widgets.sidebar import Sidebar, article_key, folder_key

if TYPE_CHECKING:
    from conftest import WaitFor

CLOSED = ["▸ docs/  2", "▸ notes/  4", "▸ Home"]
"""The vault's sidebar with Home open and every folder closed."""


@pytest.fixture
def vault(write: Callable[[str, str], Path], content: Path) -> Path:
    write("Home.md", "# Home\n\nStart here.\n")
    write("notes/index.md", "# Index\n\nAll the notes.\n")
    write("notes/linux/index.md", "# Index\n\n## Processes\n\nps.\n\n## Memory\n\nfree.\n")
    write("notes/linux/top.md", "# Top command\n\nShows the processes.\n")
    write("notes/mac/brew.md", "# Brew\n\nPackages.\n")
    write("docs/10 later/plan.md", "# Later plan\n\nLater.\n")
    write("docs/2 now/plan.md", "# Now plan\n\nNow.\n")
    return content


def rows(sidebar: Sidebar) -> list[str]:
    """The sidebar's entries as they read: lead and text."""
    return [entry.lead + entry.text for entry in sidebar.entries]


async def test_folders_are_listed_closed_with_their_counts(
    tmp_path: Path, vault: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(vault), tmp_path / "db.json", "Home")
    async with app.run_test(size=(120, 40)) as pilot:
        sidebar = app.reader.sidebar
        await wait_for(pilot, lambda: sidebar.open_id == "Home", what="Home open")
        assert rows(sidebar) == CLOSED  # folders first, then the pages at the top
        await wait_for(pilot, lambda: sidebar.virtual_size.height > 0, what="the sidebar laid out")
        drawn = [segment for segment in sidebar.render_line(1) if segment.text.strip()]
        assert [segment.text for segment in drawn] == ["▸ ", "notes/  ", "4"]
        assert drawn[-1].style is not None and drawn[-1].style.color == app.palette.muted.color  # the count


async def test_enter_space_arrows_and_a_click_open_and_close_a_folder(
    tmp_path: Path, vault: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(vault), tmp_path / "db.json", "Home")
    async with app.run_test(size=(120, 40)) as pilot:
        sidebar = app.reader.sidebar
        await wait_for(pilot, lambda: sidebar.open_id == "Home", what="Home open")
        sidebar.focus()
        await wait_for(pilot, lambda: app.focused is sidebar, what="the sidebar focused")
        await pilot.press("up")
        assert sidebar.cursor_key == folder_key("notes")
        opened = ["▸ docs/  2", "▾ notes/  4", "  ▸ linux/  2", "  ▸ mac/  1", "    Index  notes/", "▸ Home"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: rows(sidebar) == opened, what="notes opened")
        assert sidebar.cursor_key == folder_key("notes")
        await pilot.press("enter")
        await wait_for(pilot, lambda: rows(sidebar) == CLOSED, what="notes closed")
        await pilot.press("space")
        await wait_for(pilot, lambda: rows(sidebar) == opened, what="notes opened by space")
        await pilot.press("left")
        await wait_for(pilot, lambda: rows(sidebar) == CLOSED, what="notes closed by ←")
        await pilot.press("right")
        await wait_for(pilot, lambda: rows(sidebar) == opened, what="notes opened by →")
        await pilot.press("right")  # on an open folder: onto its first row
        assert sidebar.cursor_key == folder_key("notes/linux")
        await pilot.press("left")  # on a closed folder: up to its folder
        assert sidebar.cursor_key == folder_key("notes")
        await pilot.click(sidebar, offset=(4, 1))  # the first row, under the border: docs
        await wait_for(
            pilot,
            lambda: rows(sidebar)[:3] == ["▾ docs/  2", "  ▸ 2 now/  1", "  ▸ 10 later/  1"],
            what="docs opened",
        )
        assert app.reader.article is not None and app.reader.article.id == "Home"  # nothing opened


async def test_the_folders_of_the_article_opened_open_by_themselves(
    tmp_path: Path, vault: Path, wait_for: WaitFor
) -> None:
    def offered(text: str) -> bool:
        screen = app.screen
        if not isinstance(screen, CommandPalette):
            return False
        option = screen.query_one(CommandList).highlighted_option
        return option is not None and text in str(option.prompt)

    app = ReaderApp(Library(vault), tmp_path / "db.json", "notes/linux/index")
    async with app.run_test(size=(120, 40)) as pilot:
        sidebar = app.reader.sidebar
        await wait_for(pilot, lambda: sidebar.current_section == "processes", what="the article open")
        assert rows(sidebar) == [
            "▸ docs/  2",
            "▾ notes/  4",
            "  ▾ linux/  2",
            "    ▸ Index  linux/",
            "      ● Processes",
            "      · Memory",
            "      Top command",
            "  ▸ mac/  1",
            "    Index  notes/",
            "  Home",
        ]
        await pilot.press("ctrl+p", *"Brew")
        await wait_for(pilot, lambda: offered("Brew"), what="the question in the palette")
        await pilot.press("enter")
        await wait_for(pilot, lambda: sidebar.open_id == "notes/mac/brew", what="Brew open")
        assert "  ▾ mac/  1" in rows(sidebar)
        assert sidebar.cursor_key == article_key("notes/mac/brew")
        assert sidebar.expanded == {"notes", "notes/linux", "notes/mac"}


async def test_the_filter_finds_questions_in_closed_folders(
    tmp_path: Path, vault: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(vault), tmp_path / "db.json", "Home")
    async with app.run_test(size=(120, 40)) as pilot:
        sidebar = app.reader.sidebar
        await wait_for(pilot, lambda: sidebar.open_id == "Home", what="Home open")
        await pilot.press("ctrl+f", *"plan")
        await wait_for(pilot, lambda: sidebar.filter_words == ["plan"], what="the filter applied")
        assert rows(sidebar) == [
            "▾ docs/  2",
            "  ▾ 2 now/  1",
            "      Now plan",
            "  ▾ 10 later/  1",
            "      Later plan",
        ]
        assert sidebar.cursor_key == article_key("docs/2 now/plan")  # the first match, not a folder
        await pilot.press("escape")
        await wait_for(pilot, lambda: not sidebar.filter_words, what="the filter cleared")
        assert rows(sidebar) == CLOSED
        await pilot.press("ctrl+f", *"top")
        await wait_for(pilot, lambda: sidebar.filter_words == ["top"], what="the filter applied")
        assert rows(sidebar) == ["▾ notes/  1", "  ▾ linux/  1", "      Top command"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: sidebar.open_id == "notes/linux/top", what="the match opened")


async def test_shared_titles_show_their_folder(tmp_path: Path, vault: Path, wait_for: WaitFor) -> None:
    def prompts() -> list[str]:
        screen = app.screen
        if not isinstance(screen, CommandPalette):
            return []
        found = screen.query_one(CommandList)
        return [str(found.get_option_at_index(n).prompt) for n in range(found.option_count)]

    app = ReaderApp(Library(vault), tmp_path / "db.json", "notes/linux/top")
    async with app.run_test(size=(120, 40)) as pilot:
        sidebar = app.reader.sidebar
        await wait_for(pilot, lambda: sidebar.open_id == "notes/linux/top", what="the article open")
        sidebar.toggle_folder("notes/linux")  # closed by hand: the open article's folder too
        shared = {entry.key: entry for entry in sidebar.entries if entry.text.startswith("Index")}
        assert [entry.text for entry in shared.values()] == ["Index  notes/"]
        sidebar.toggle_folder("notes/linux")
        shared = {entry.key: entry for entry in sidebar.entries if entry.text.startswith("Index")}
        assert [entry.text for entry in shared.values()] == ["Index  linux/", "Index  notes/"]
        for entry in shared.values():
            assert entry.roles == ((len("Index  "), len(entry.text), "muted"),)  # the folder in muted text

        await pilot.press("ctrl+p", *"Index")
        await wait_for(
            pilot,
            lambda: {"Index  linux/", "Index  notes/"} <= {prompt.split("\n")[0] for prompt in prompts()},
            what="both in the palette with their folder",
        )


def test_a_one_level_folder_keeps_the_flat_list(write: Callable[[str, str], Path], content: Path) -> None:
    write("a.md", "# Alpha\n")
    write("b.md", "# Beta\n")
    infos = Library(content).infos
    assert not any(info.id.count("/") for info in infos)
    assert tree(infos)[""].folders == []
    assert told_apart(infos) == {}


async def test_the_flat_list_is_unchanged_for_one_level(
    tmp_path: Path, write: Callable[[str, str], Path], content: Path, wait_for: WaitFor
) -> None:
    write("a.md", "# Alpha\n\n## One\n\nx\n\n## Two\n\ny\n")
    write("b.md", "# Beta\n\nz\n")
    app = ReaderApp(Library(content), tmp_path / "db.json", "a")
    async with app.run_test(size=(120, 40)) as pilot:
        sidebar = app.reader.sidebar
        await wait_for(pilot, lambda: sidebar.current_section == "one", what="the article open")
        assert rows(sidebar) == ["▸ Alpha", "  ● One", "  · Two", "  Beta"]
        assert not sidebar.nested


def info(article_id: str, title: str) -> ArticleInfo:
    return ArticleInfo(article_id, title, Path(article_id + ".md"))


def test_folders_count_what_they_hold_and_sort_by_name() -> None:
    folders = tree(
        [
            info("x/10 b/p", "P"),
            info("x/2 a/q", "Q"),
            info("x/2 a/deep/r", "R"),
            info("top", "T"),
            info("x/s", "S"),
        ]
    )
    assert [folder.path for folder in folders[""].folders] == ["x"]
    assert [folder.name for folder in folders["x"].folders] == ["2 a", "10 b"]  # 2 before 10
    assert (folders[""].count, folders["x"].count, folders["x/2 a"].count) == (5, 4, 2)
    assert folders["x"].articles == ["x/s"] and folders[""].articles == ["top"]


def test_shared_titles_are_told_apart_by_the_shortest_end_of_their_folder() -> None:
    labels = told_apart(
        [
            info("README", "Readme"),
            info("docs/README", "README"),
            info("a/linux/index", "Index"),
            info("b/linux/index", "Index"),
            info("mac/index", "Index"),
            info("notes/top", "Top"),
            info("notes/top-2", "Top"),
            info("unique", "Unique"),
        ]
    )
    assert labels == {
        "README": "/",
        "docs/README": "docs/",
        "a/linux/index": "a/linux/",
        "b/linux/index": "b/linux/",
        "mac/index": "mac/",
        "notes/top": "notes/top.md",
        "notes/top-2": "notes/top-2.md",
    }
