"""Bookmarks and places saved under an earlier release's section ids (`-2`, `-3` for duplicate headings)
move to GitHub's numbering (`-1`, `-2`) and keep pointing at the section they meant."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tui.app import ReaderApp
from tui.articles import Library
from tui.articles.text import legacy_section_ids, section_ids
from tui.store import Position, Store
from tui.upgrade import upgrade_section_ids

if TYPE_CHECKING:
    from conftest import WaitFor

ARTICLE = """\
# Steps?

## Setup

One.

## Setup

Two.

## Setup

Three.

## Setup-1

Four.
"""


def old_store(db: Path) -> Store:
    """A data file as the earlier release left it: bookmarks on the 2nd and 3rd "Setup", place on the 3rd."""
    db.write_text('{"meta":{"1":{"schema":1}}}\n')  # the earlier release recorded no id numbering
    store = Store(db)
    store.set_bookmark("steps", "setup-2", True, "Steps?", "Setup")  # the second Setup
    store.set_bookmark("steps", "setup-3", True, "Steps?", "Setup")  # the third Setup
    store.set_bookmark("gone", "intro-2", True, "Gone?", "Intro")  # an article not in this folder
    store.set_position("steps", "setup-3", 4.0)
    return store


def test_the_parser_ids_are_githubs_and_the_old_ones_are_known(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write("steps.md", ARTICLE)
    article = Library(content).article("steps")
    titles = [s.title for s in article.sections]
    assert (
        [s.id for s in article.sections]
        == section_ids(titles)
        == ["steps", "setup", "setup-1", "setup-2", "setup-1-1"]
    )
    assert legacy_section_ids(titles) == ["steps", "setup", "setup-2", "setup-3", "setup-1"]


def test_old_ids_move_to_the_section_they_meant_once(
    write: Callable[[str, str], Path], content: Path, tmp_path: Path
) -> None:
    write("steps.md", ARTICLE)
    library = Library(content)
    store = old_store(tmp_path / "reader.json")
    assert upgrade_section_ids(store, library) == 1
    assert store.article_state("steps").bookmarked == {"setup-1", "setup-2"}
    assert store.article_state("steps").position == Position("setup-2", 4.0)
    assert store.article_state("gone").bookmarked == {"intro-2"}  # unknown here: left alone
    assert store.articles_with_legacy_ids() == ["gone"]  # ... and tried again next time
    assert upgrade_section_ids(store, library) == 0  # done once: a second run moves nothing
    assert store.article_state("steps").bookmarked == {"setup-1", "setup-2"}
    meta = json.loads((tmp_path / "reader.json").read_text())["meta"]["1"]
    assert meta["section_ids"] == "github" and meta["schema"] == 1


def test_a_new_data_file_needs_no_upgrade(
    write: Callable[[str, str], Path], content: Path, tmp_path: Path
) -> None:
    write("steps.md", ARTICLE)
    store = Store(tmp_path / "reader.json")
    assert store.articles_with_legacy_ids() == []
    assert upgrade_section_ids(store, Library(content)) == 0
    assert not (tmp_path / "reader.json").exists()
    store.set_bookmark("steps", "setup-1", True)  # the second Setup, in this release's numbering
    assert store.articles_with_legacy_ids() == []  # a file this release started is never upgraded
    assert upgrade_section_ids(store, Library(content)) == 0
    assert store.article_state("steps").bookmarked == {"setup-1"}


async def test_the_reader_upgrades_at_start_and_shows_the_moved_bookmarks(
    write: Callable[[str, str], Path], content: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    write("steps.md", ARTICLE)
    db = tmp_path / "reader.json"
    old_store(db)
    app = ReaderApp(Library(content), db, "steps")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(
            pilot, lambda: app.session.shown.bookmarked == {"setup-1", "setup-2"}, what="the upgrade"
        )
    assert Store(db).article_state("steps").bookmarked == {"setup-1", "setup-2"}


def test_the_bookmarks_command_upgrades_too(
    write: Callable[[str, str], Path], content: Path, tmp_path: Path
) -> None:
    from tui.cli import main

    write("steps.md", ARTICLE)
    db = tmp_path / "reader.json"
    old_store(db)
    assert main(["bookmarks", "--db", str(db), "--content", str(content)]) == 0
    assert Store(db).article_state("steps").bookmarked == {"setup-1", "setup-2"}
