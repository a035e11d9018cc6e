"""The reader keeps its promises about the user's data and its own liveliness (issue 10): views counted
once per opening, every failed write told, the screen never waiting for another process's lock, a worker
failure a notice rather than the end, `o` for web links only, a data path that is not a file refused."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tui.app import ReaderApp
from tui.articles import Library, bundled_content

if TYPE_CHECKING:
    from conftest import RecordNotices, WaitFor

MAIN = "why-does-elon-musk-not-like-openai"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "reader.json"


def reader(db: Path, article: str | None = MAIN, root: Path | None = None) -> ReaderApp:
    return ReaderApp(Library(root or bundled_content()), db, article)


def views(db: Path, article_id: str) -> int:
    if not db.exists():
        return 0
    for doc in json.loads(db.read_text()).get("articles", {}).values():
        if doc.get("article_id") == article_id:
            return doc.get("views", 0)
    return 0


async def test_back_and_forward_do_not_count_views(
    write: Callable[[str, str], Path], content: Path, db: Path, wait_for: WaitFor
) -> None:
    write("a.md", "# A?\n\nSee [B](b.md).\n")
    write("b.md", "# B?\n\nText.\n")
    app = reader(db, "a", content)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: views(db, "a") == 1, what="the first view")
        app.reader.open_article("b")  # the user follows a link
        await wait_for(pilot, lambda: views(db, "b") == 1, what="the view of b")
        for key in ("backspace", "alt+right", "backspace", "alt+right", "alt+left"):
            await pilot.press(key)
        await wait_for(
            pilot, lambda: app.session.writes.idle and app.reader.article.id == "a", what="history moves"
        )
        assert (views(db, "a"), views(db, "b")) == (1, 1)
        assert "1 view" in app.reader.header.text


async def test_every_failed_write_is_told_and_the_screen_shows_the_truth(
    tmp_path: Path, wait_for: WaitFor, record_notices: RecordNotices
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    app = reader(blocker / "reader.json")
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for n, key in enumerate(("b", "l", "b", "l"), start=1):
            await pilot.press(key)
            await wait_for(
                pilot, lambda n=n: len([x for x in notices if x.severity == "error"]) == n, what=f"notice {n}"
            )
            await wait_for(pilot, lambda: app.session.writes.idle)
            assert (
                not app.session.shown.bookmarked and not app.session.shown.liked
            )  # put back: nothing was saved
        assert all("Not saved" in x.title for x in notices if x.severity == "error")
        assert blocker.read_text() == "a file where the data folder should be"


async def test_a_key_never_waits_for_another_processs_lock(
    db: Path, wait_for: WaitFor, record_notices: RecordNotices
) -> None:
    app = reader(db)
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: views(db, MAIN) == 1 and app.session.writes.idle)
        lock = os.open(db.with_name("reader.json.lock"), os.O_RDWR)
        fcntl.flock(lock, fcntl.LOCK_EX)  # another qa-reader is writing
        try:
            await pilot.press("b")
            assert len(app.session.shown.bookmarked) == 1  # shown at once, while the write waits
            await pilot.press("down", "down")  # the screen still answers
            await wait_for(
                pilot, lambda: any("Another qa-reader" in n.message for n in notices), what="the wait notice"
            )
            assert not json.loads(db.read_text()).get(f"bookmarks/{MAIN}")
        finally:
            os.close(lock)
        await wait_for(pilot, lambda: json.loads(db.read_text()).get(f"bookmarks/{MAIN}"), what="the save")
        await wait_for(pilot, lambda: any(n.message.startswith("Bookmarked") for n in notices))


async def test_a_failing_search_index_is_a_notice_and_the_reader_goes_on(
    db: Path, monkeypatch: pytest.MonkeyPatch, wait_for: WaitFor, record_notices: RecordNotices
) -> None:
    from tui.articles.catalog import Catalog

    def broken(catalog: Catalog, progress: object = None) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Catalog, "refresh", broken)
    app = reader(db)
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await wait_for(pilot, lambda: any("disk on fire" in n.message for n in notices), what="the notice")
        await pilot.press("escape", "l")
        await wait_for(pilot, lambda: app.session.shown.liked and app.session.writes.idle)
        assert app.is_running


async def test_a_failing_parse_thread_is_a_notice_and_the_reader_goes_on(
    write: Callable[[str, str], Path],
    content: Path,
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    wait_for: WaitFor,
    record_notices: RecordNotices,
) -> None:
    write(
        "long.md", "# Long?\n\n" + "".join(f"## Part {i}\n\n{'Words here. ' * 40}\n\n" for i in range(3000))
    )
    library = Library(content)

    def broken(article_id: str) -> None:
        raise RuntimeError("parser exploded")

    app = ReaderApp(library, db, "long")
    assert app.library.preview("long") is not None and not app.library.preview("long").complete
    monkeypatch.setattr(library, "article", broken)
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: any("parser exploded" in n.message for n in notices), what="the notice")
        await pilot.press("j", "j")
        assert app.is_running and app.reader.article.id == "long"


async def test_o_on_a_link_to_another_article_does_not_open_it(
    write: Callable[[str, str], Path], content: Path, db: Path, record_notices: RecordNotices
) -> None:
    write("a.md", "# A?\n\nSee [the other one](b.md).\n")
    write("b.md", "# B?\n\nText.\n")
    app = reader(db, "a", content)
    notices = record_notices(app)
    opened: list[str] = []
    app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right")  # select the link
        assert app.reader.view.selected_target == ("link", "b.md")
        await pilot.press("o")
        await pilot.pause()
        assert app.reader.article.id == "a" and opened == []
        assert any("enter follows it" in n.message for n in notices)
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.article.id == "b"


async def test_a_folder_given_as_the_data_file_opens_read_only_and_is_untouched(
    tmp_path: Path, record_notices: RecordNotices
) -> None:
    folder = tmp_path / "my-notes"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")

    def files() -> list[str]:  # (the user's; our caches in the cache folder are ours)
        return sorted(str(p) for p in tmp_path.rglob("*") if "xdg-cache" not in p.parts)

    before = files()
    app = reader(folder)
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b", "l", "j")
        await pilot.pause()
        assert app.session.store.read_only and "Why does Elon Musk" in app.reader.header.text
        assert any("is a folder" in n.message for n in notices)
        await pilot.press("q")
    assert files() == before


QUIT_SCRIPT = textwrap.dedent(
    """
    import sys, threading, time
    from tui.app import ReaderApp
    from tui.articles import Library, bundled_content
    from tui.articles.catalog import Catalog

    started = threading.Event()

    def endless(catalog, progress=None):
        started.set()
        while True:  # a build that would take minutes, holding a thread
            time.sleep(0.05)

    Catalog.refresh = endless
    app = ReaderApp(Library(bundled_content()), sys.argv[1])

    async def drive(pilot):
        await pilot.press("slash")
        while not started.is_set():
            await pilot.pause(0.05)
        await pilot.press("escape", "q")

    app.run(headless=True, size=(100, 30), auto_pilot=drive)
    print("exited", flush=True)
    """
)


def test_quitting_does_not_wait_for_background_work(db: Path) -> None:
    """A background thread still busy at `q` must not keep the process alive (it did for 16-42 s)."""
    result = subprocess.run(
        [sys.executable, "-c", QUIT_SCRIPT, str(db)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "exited" in result.stdout
