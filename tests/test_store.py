"""Tests for tui.store: the reader's persistent state.

Every test works in ``tmp_path``; none touches the real user data folder.
Tests that rely on permission bits are skipped as root (root ignores them);
each has a root-proof variant that simulates the failure instead.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from tui.store import (
    SCHEMA_VERSION,
    ArticleState,
    AtomicJSONStorage,
    Bookmark,
    Position,
    Store,
    StoreError,
    default_db_path,
    disk,
    records,
    recovery,
)

WRITER = Path(__file__).with_name("_store_writer.py")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_non_root = pytest.mark.skipif(
    IS_ROOT, reason="root ignores permission bits; see the root-proof variant"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "reader.json"


def load_json(path: Path) -> dict:
    return json.loads(path.read_bytes())


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


def temp_files(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def write_raw(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def seeded(path: Path) -> Store:
    """A store with one bookmark, a like, two views and a position."""
    store = Store(path)
    store.set_bookmark("a1", "s1", True, "Article one", "Section one")
    store.set_liked("a1", True)
    store.add_view("a1")
    store.add_view("a1")
    store.set_position("a1", "s1", 42.5)
    return store


def assert_seeded_reads(store: Store) -> None:
    assert store.article_state("a1") == ArticleState(2, True, {"s1"}, Position("s1", 42.5))
    assert [b.section_id for b in store.bookmarks()] == ["s1"]
    assert store.last_article() == "a1"


# --------------------------------------------------------------------------
# Basic behaviour
# --------------------------------------------------------------------------


def test_default_db_path_is_reader_json_in_the_qa_reader_data_folder() -> None:
    path = default_db_path()
    assert path.name == "reader.json"
    assert path.parent.name == "qa-reader"


def test_new_store_reads_defaults_and_creates_nothing(db: Path) -> None:
    store = Store(db)
    assert store.path == db
    assert store.notices == []
    assert not store.read_only
    assert store.bookmarks() == []
    assert store.article_state("a") == ArticleState()
    assert store.last_article() is None
    assert not db.parent.exists()


def test_first_write_creates_the_folder_and_a_json_file_with_the_schema(db: Path) -> None:
    Store(db).add_view("a")
    data = load_json(db)
    assert data["meta"] == {"1": {"schema": SCHEMA_VERSION, "section_ids": "github"}}
    assert data["articles"]["1"] == {"article_id": "a", "views": 1}


def test_a_bookmark_is_set_and_removed(db: Path) -> None:
    store = Store(db)
    assert store.set_bookmark("a", "s", True, "A", "S") is True
    assert "s" in store.article_state("a").bookmarked
    assert store.set_bookmark("a", "s", False) is True
    assert "s" not in store.article_state("a").bookmarked
    assert store.bookmarks() == []


def test_bookmark_keeps_titles_note_and_a_utc_creation_time(db: Path) -> None:
    store = Store(db)
    before = datetime.now(UTC)
    store.set_bookmark("a", "s", True, "Article", "Section", note="look again")
    [mark] = store.bookmarks()
    assert (mark.article_id, mark.section_id, mark.article_title, mark.section_title, mark.note) == (
        "a",
        "s",
        "Article",
        "Section",
        "look again",
    )
    created = datetime.fromisoformat(mark.created)
    assert created.utcoffset() is not None and created.utcoffset().total_seconds() == 0
    assert before <= created <= datetime.now(UTC)


def test_stale_titles_are_kept_as_stored(db: Path) -> None:
    store = Store(db)
    store.set_bookmark("a", "s", True, "Old article title", "Old section title")
    # The article was renamed since; the bookmark keeps what it was when made.
    assert "s" in store.article_state("a").bookmarked
    [mark] = Store(db).bookmarks()
    assert (mark.article_title, mark.section_title) == ("Old article title", "Old section title")


def test_bookmarks_are_listed_newest_first(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stamps = iter(
        [
            "2026-01-01T00:00:02.000000+00:00",
            "2026-01-01T00:00:01.000000+00:00",  # made later, but an older time
            "2026-01-01T00:00:03.000000+00:00",
            "2026-01-01T00:00:03.000000+00:00",  # same time: later insertion first
        ]
    )
    monkeypatch.setattr(records, "now_iso", lambda: next(stamps))
    store = Store(db)
    store.set_bookmark("a", "s1", True, "A", "1")
    store.set_bookmark("b", "s2", True, "B", "2")
    store.set_bookmark("a", "s3", True, "A", "3")
    store.set_bookmark("a", "s4", True, "A", "4")
    assert [m.section_id for m in store.bookmarks()] == ["s4", "s3", "s1", "s2"]
    assert [m.section_id for m in store.bookmarks("a")] == ["s4", "s3", "s1"]
    assert [m.section_id for m in store.bookmarks("b")] == ["s2"]
    assert store.bookmarks("nope") == []


def test_article_state_lists_one_articles_bookmarked_sections(db: Path) -> None:
    store = Store(db)
    store.set_bookmark("a", "s1", True, "A", "1")
    store.set_bookmark("a", "s2", True, "A", "2")
    store.set_bookmark("b", "s1", True, "B", "1")
    assert store.article_state("a").bookmarked == {"s1", "s2"}
    assert store.article_state("b").bookmarked == {"s1"}


def test_remove_bookmark_reports_whether_one_was_removed(db: Path) -> None:
    store = Store(db)
    store.set_bookmark("a", "s", True, "A", "S")
    assert store.remove_bookmark("a", "s") is True
    assert store.remove_bookmark("a", "s") is False
    assert "s" not in store.article_state("a").bookmarked


def test_removing_nothing_does_not_rewrite_the_file(db: Path) -> None:
    store = Store(db)
    store.set_bookmark("a", "s", True, "A", "S")
    inode = db.stat().st_ino
    assert store.remove_bookmark("a", "other") is False
    assert db.stat().st_ino == inode


def test_like_and_unlike(db: Path) -> None:
    store = Store(db)
    assert not store.article_state("a").liked
    store.set_liked("a", True)
    assert store.article_state("a").liked
    store.set_liked("a", False)
    assert not store.article_state("a").liked


def test_views_count_up_per_article(db: Path) -> None:
    store = Store(db)
    assert [store.add_view("a") for _ in range(3)] == [1, 2, 3]
    assert store.add_view("b") == 1
    assert [store.article_state(a).views for a in "abc"] == [3, 1, 0]


def test_position_is_saved_per_article_and_sets_the_last_article(db: Path) -> None:
    store = Store(db)
    store.set_position("a", "s2", 120)
    store.set_position("b", None, 0.5)
    assert store.article_state("a").position == Position("s2", 120.0)
    assert isinstance(store.article_state("a").position.scroll_y, float)
    assert store.article_state("b").position == Position(None, 0.5)
    assert store.article_state("c").position is None
    assert store.last_article() == "b"
    store.set_position("a", "s3", 7.25)
    assert store.last_article() == "a"
    assert store.article_state("a").position == Position("s3", 7.25)


def test_likes_views_and_position_of_one_article_do_not_clobber_each_other(db: Path) -> None:
    store = Store(db)
    store.add_view("a")
    store.set_liked("a", True)
    store.set_position("a", "s", 3.0)
    store.add_view("a")
    assert store.article_state("a") == ArticleState(2, True, set(), Position("s", 3.0))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_scroll_offset_is_stored_as_zero(db: Path, bad: float) -> None:
    store = Store(db)
    store.set_position("a", "s", bad)
    assert store.article_state("a").position == Position("s", 0.0)
    load_json(db)  # still strict JSON


def test_scroll_offset_that_is_not_a_number_raises_store_error(db: Path) -> None:
    with pytest.raises(StoreError):
        Store(db).set_position("a", "s", "far")  # type: ignore[arg-type]


def test_everything_survives_reopening(db: Path) -> None:
    seeded(db)
    assert_seeded_reads(Store(db))


def test_unicode_titles_and_ids_round_trip(db: Path) -> None:
    store = Store(db)
    store.set_bookmark("ärticle/✓", 'sect\n"ion"', True, "Ünïcode ✓", "Line\nbreak\udcff")
    [mark] = Store(db).bookmarks()
    assert mark == Bookmark("ärticle/✓", 'sect\n"ion"', "Ünïcode ✓", "Line\nbreak\udcff", mark.created, "")
    assert Store(db).article_state("ärticle/✓").bookmarked == {'sect\n"ion"'}


def test_file_is_plain_json_with_one_table_per_line(db: Path) -> None:
    seeded(db)
    text = db.read_text("ascii")
    data = json.loads(text)
    assert set(data) == {"meta", "state", "articles", "bookmarks/a1"}
    assert len(text.splitlines()) == len(data)


def test_impossible_path_gives_a_read_only_store_not_an_exception(tmp_path: Path) -> None:
    store = Store(tmp_path / "bad\0name.json")
    assert store.read_only and store.notices
    assert store.bookmarks() == [] and store.article_state("a").views == 0
    with pytest.raises(StoreError):
        store.add_view("a")


def test_store_reprs_its_path(db: Path) -> None:
    assert str(db) in repr(Store(db))


# --------------------------------------------------------------------------
# Durability and atomic writes
# --------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name file descriptors")
def test_write_fsyncs_the_temp_file_then_replaces_then_fsyncs_the_folder(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db)
    store.add_view("a")  # creates the folder
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        events.append(("replace", str(src)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    store.add_view("a")
    kinds = [kind for kind, _ in events]
    assert kinds == ["fsync", "replace", "fsync"]
    tmp = events[1][1]
    assert Path(tmp).parent == db.parent and events[0][1] == tmp
    assert events[2][1] == str(db.parent)
    assert temp_files(db) == []


def test_failed_write_leaves_the_old_file_whole_and_no_temp_file(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = seeded(db)
    before = db.read_bytes()

    def broken_replace(src: str | Path, dst: str | Path) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StoreError) as info:
        store.add_view("a1")
    assert str(db) in str(info.value) and "input/output error" in str(info.value)
    assert "\n" not in str(info.value)
    assert db.read_bytes() == before
    assert temp_files(db) == []
    assert not store.read_only  # a passing error does not make the store read-only
    monkeypatch.undo()
    assert store.add_view("a1") == 3


def test_crash_while_writing_the_temp_file_keeps_the_old_file(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = seeded(db)
    before = db.read_bytes()
    real_write = os.write

    def dying_write(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[:10]))  # a torn temp file...
        raise KeyboardInterrupt  # ...and the process stops

    monkeypatch.setattr(os, "write", dying_write)
    with pytest.raises(KeyboardInterrupt):
        store.set_bookmark("a1", "s2", True, "A", "S")
    monkeypatch.undo()
    assert db.read_bytes() == before
    assert_seeded_reads(Store(db))


def test_temp_files_left_by_a_killed_writer_are_cleaned_up(db: Path) -> None:
    seeded(db)
    leftover = db.parent / ".reader.json.99999.deadbeef.tmp"
    leftover.write_bytes(b'{"torn')
    unrelated = db.parent / "notes.tmp"
    unrelated.write_bytes(b"keep me")
    store = Store(db)
    assert store.notices == []
    store.add_view("a1")
    assert not leftover.exists()
    assert unrelated.exists()


def test_kill_9_right_after_acknowledged_writes_loses_nothing(db: Path) -> None:
    for round_no, acks_before_kill in enumerate([5, 25, 60]):
        path = db.with_name(f"reader{round_no}.json")
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(path), "bookmarks", "0", f"r{round_no}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        acked: list[int] = []
        while len(acked) < acks_before_kill:
            line = proc.stdout.readline()
            assert line.startswith("ack "), line
            acked.append(int(line.split()[1]))
        os.kill(proc.pid, signal.SIGKILL)  # most likely in the middle of the next write
        rest, _ = proc.communicate(timeout=10)
        acked += [int(line.split()[1]) for line in rest.splitlines() if line.startswith("ack ")]
        assert proc.returncode == -signal.SIGKILL

        data = load_json(path)  # valid JSON, not torn
        stored = {doc["section_id"] for doc in data["bookmarks/shared"].values()}
        assert {f"r{round_no}-{i}" for i in acked} <= stored
        store = Store(path)
        assert store.notices == []
        assert store.article_state("shared").bookmarked >= {f"r{round_no}-{i}" for i in acked}


# --------------------------------------------------------------------------
# Several processes and threads
# --------------------------------------------------------------------------


def run_writers(path: Path, mode: str, count: int, tags: list[str]) -> None:
    """Run one writer process per tag, all started at once, and wait for them."""
    go = path.with_name("go")
    path.parent.mkdir(parents=True, exist_ok=True)
    procs = [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(path), mode, str(count), tag, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in tags
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    go.touch()
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert out.count("ack ") == count


def test_two_processes_bookmarking_at_once_lose_nothing(db: Path) -> None:
    run_writers(db, "bookmarks", 200, ["p", "q"])
    store = Store(db)
    expected = {f"{tag}-{i}" for tag in "pq" for i in range(200)}
    assert store.article_state("shared").bookmarked == expected
    assert len(store.bookmarks()) == 400
    assert store.notices == []


def test_two_processes_adding_views_at_once_count_exactly(db: Path) -> None:
    run_writers(db, "views", 200, ["p", "q"])
    assert Store(db).article_state("shared").views == 400


def test_two_stores_on_one_file_see_and_keep_each_others_writes(db: Path) -> None:
    one, two = Store(db), Store(db)
    for i in range(20):
        assert one.set_bookmark("a", f"one-{i}", True, "A", "S")
        assert two.set_bookmark("a", f"two-{i}", True, "A", "S")
        one.add_view("a")
        two.add_view("a")
    assert two.article_state("a").views == one.article_state("a").views == 40
    assert len(one.bookmarks("a")) == len(two.bookmarks("a")) == 40
    assert two.set_bookmark("a", "one-0", False)  # removes what the other store made
    assert "one-0" not in one.article_state("a").bookmarked


def test_threads_sharing_one_store_count_exactly(db: Path) -> None:
    store = Store(db)
    threads = [threading.Thread(target=lambda: [store.add_view("a") for _ in range(25)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.article_state("a").views == 100


def test_a_write_waits_for_the_lock_held_by_another_process(db: Path) -> None:
    store = Store(db)
    store.add_view("a")
    lock = os.open(db.with_name("reader.json.lock"), os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (store.add_view("a"), done.set()))
    worker.start()
    try:
        assert not done.wait(0.3)  # blocked while the lock is held
        assert store.article_state("a").views == 1  # reads do not wait
    finally:
        os.close(lock)
    worker.join(5)
    assert done.is_set() and store.article_state("a").views == 2


def test_a_lock_held_too_long_gives_a_store_error(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(db)
    store.add_view("a")
    store.lock_timeout = 0.6
    lock = os.open(db.with_name("reader.json.lock"), os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)
    waited: list[bool] = []
    store.on_lock_wait = lambda: waited.append(True)
    try:
        with pytest.raises(StoreError, match="another qa-reader held its lock file"):
            store.add_view("a")
    finally:
        os.close(lock)
    assert waited == [True]  # told once that another process is writing
    assert store.add_view("a") == 2


# --------------------------------------------------------------------------
# Corrupt and unreadable files
# --------------------------------------------------------------------------

CORRUPT_FILES = {
    "truncated JSON": b'{"meta":{"1":{"schema":1}},\n"articles":{"1":{"article_id":"a","vi',
    "garbage bytes": bytes(range(256)) * 4,
    "list at top level": b'[{"article_id": "a"}]',
    "string at top level": b'"reader"',
    "table not an object": b'{"meta": {"1": {"schema": 1}}, "articles": [1, 2, 3]}',
    "document not an object": b'{"articles": {"1": 5}}',
    "bad document id": b'{"articles": {"one": {"article_id": "a"}}}',
    "bad schema version": b'{"meta": {"1": {"schema": "one"}}}',
    "bad table line in our layout": b'{"meta":{"1":{"schema":1}},\n"articles":{"1":{"views":1}]},\n"state":{}}\n',
}


@pytest.mark.parametrize("content", CORRUPT_FILES.values(), ids=CORRUPT_FILES.keys())
def test_corrupt_file_is_moved_aside_and_a_fresh_one_started(db: Path, content: bytes) -> None:
    write_raw(db, content)
    store = Store(db)
    [backup] = backups(db)
    assert backup.read_bytes() == content  # nothing is lost
    assert not store.read_only
    assert len(store.notices) == 1 and str(backup) in store.notices[0] and str(db) in store.notices[0]
    assert store.bookmarks() == [] and store.article_state("a").views == 0
    assert store.set_bookmark("a", "s", True, "A", "S")
    assert "s" in Store(db).article_state("a").bookmarked
    assert Store(db).notices == []


def listing(folder: Path) -> dict[str, str]:
    """Every entry in a folder tree with its kind, to show that nothing was moved or created."""
    found = {}
    for path in sorted(folder.rglob("*")):
        kind = (
            "link" if path.is_symlink() else "dir" if path.is_dir() else "fifo" if path.is_fifo() else "file"
        )
        found[str(path.relative_to(folder))] = kind
    return found


def assert_refused(store: Store, *words: str) -> None:
    """The store refused its path: read-only, a notice and a `refused` message naming the problem."""
    assert store.read_only and store.refused
    for word in words:
        assert word in store.refused and word in store.notices[0]
    assert store.article_state("a").views == 0 and store.bookmarks() == []
    with pytest.raises(StoreError):
        store.add_view("a")
    with pytest.raises(StoreError):
        store.set_bookmark("a", "s", True, "A", "S")


def test_a_folder_at_the_path_is_refused_never_renamed_or_written_into(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "inside.txt").write_text("precious")
    before = listing(tmp_path)
    store = Store(folder)
    assert_refused(store, "is a folder", "reader.json")
    assert listing(tmp_path) == before  # no .corrupt-*, no .lock, nothing inside
    assert (folder / "inside.txt").read_text() == "precious"


def test_fifo_at_the_path_does_not_hang_and_is_left_alone(db: Path) -> None:
    db.parent.mkdir(parents=True)
    os.mkfifo(db)
    store = Store(db)
    assert_refused(store, "FIFO")
    assert db.is_fifo() and listing(db.parent) == {"reader.json": "fifo"}


def test_working_or_home_folder_given_as_path_is_never_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = Store(".")
    assert tmp_path.is_dir() and backups(tmp_path) == []
    assert_refused(store, "folder")


def test_a_symlink_to_a_regular_file_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "reader.json"
    real.parent.mkdir()
    Store(real).add_view("a")
    link = tmp_path / "home" / "reader.json"
    link.parent.mkdir()
    link.symlink_to(real)
    store = Store(link)
    assert not store.read_only and store.article_state("a").views == 1
    assert store.set_bookmark("a", "s", True, "A", "S") and store.add_view("a") == 2
    assert link.is_symlink() and link.resolve() == real  # the replace happened beside the real file
    assert "s" in Store(real).article_state("a").bookmarked and Store(real).article_state("a").views == 2
    assert listing(link.parent) == {"reader.json": "link"}  # no lock or temp file beside the link
    assert sorted(listing(real.parent)) == ["reader.json", "reader.json.lock"]


@pytest.mark.parametrize("target_kind", ["folder", "fifo", "missing", "device"])
def test_a_symlink_to_anything_but_a_regular_file_is_refused_and_nothing_moves(
    tmp_path: Path, target_kind: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "thing"
    if target_kind == "folder":
        target.mkdir()
    elif target_kind == "fifo":
        os.mkfifo(target)
    elif target_kind == "device":
        # a private copy of /dev/null (the system's one is never put at risk by a test)
        try:
            os.mknod(target, stat.S_IFCHR | 0o600, os.makedev(1, 3))
        except OSError:
            pytest.skip("cannot create a device node here")
    link = tmp_path / "data" / "reader.json"
    link.parent.mkdir()
    link.symlink_to(target)
    before = listing(tmp_path)
    store = Store(link)
    assert_refused(store, "symlink", str(target))
    assert listing(tmp_path) == before
    if target_kind == "device":
        assert stat.S_ISCHR(os.stat(target).st_mode)


@pytest.mark.parametrize("kind", ["folder", "fifo", "symlink"])
def test_a_lock_file_that_is_not_a_regular_file_is_named_as_the_lock_file(db: Path, kind: str) -> None:
    Store(db).add_view("a")
    lock = db.with_name("reader.json.lock")
    lock.unlink()
    if kind == "folder":
        lock.mkdir()
    elif kind == "fifo":
        os.mkfifo(lock)
    else:
        lock.symlink_to(db.with_name("somewhere-else"))
    store = Store(db)
    assert store.read_only and "lock file" in store.notices[0] and str(lock) in store.notices[0]
    assert store.article_state("a").views == 1  # reads still work
    with pytest.raises(StoreError, match="lock file"):
        store.add_view("a")
    assert not db.with_name("somewhere-else").exists()
    assert Store(db.parent / "other.json").article_state("a").views == 0  # unrelated stores are fine


def test_a_lock_file_swapped_for_a_folder_while_open_is_named(db: Path) -> None:
    store = Store(db)
    store.add_view("a")
    lock = db.with_name("reader.json.lock")
    lock.unlink()
    lock.mkdir()
    with pytest.raises(StoreError, match="lock file"):
        store.add_view("a")
    assert lock.is_dir() and Store(db).article_state("a").views == 1


def test_the_data_file_swapped_for_a_folder_while_open_is_never_moved(db: Path) -> None:
    store = Store(db)
    store.add_view("a")
    db.unlink()
    db.mkdir()
    with pytest.raises(StoreError, match="folder"):
        store.add_view("a")
    assert db.is_dir() and backups(db) == []


def test_one_out_of_range_number_reads_as_a_default_and_never_blocks_writes(db: Path) -> None:
    write_raw(
        db,
        b'{"meta":{"1":{"schema":1}},\n'
        b'"articles":{"1":{"article_id":"a","views":1e400,"liked":true},'
        b'"2":{"article_id":"b","views":3,"position":{"section_id":"s","scroll_y":-1e999}}},\n'
        b'"bookmarks/a":{"1":{"article_id":"a","section_id":"s","article_title":"A",'
        b'"section_title":"S","created":"2026-01-01T00:00:00+00:00","order":' + b"9" * 5000 + b"}}}\n",
    )
    store = Store(db)
    assert store.notices == [] and not store.read_only
    assert store.article_state("a").views == 0 and store.article_state("a").liked
    assert store.article_state("b").position is None and store.article_state("b").views == 3
    assert store.add_view("a") == 1
    store.set_position("a", "s", 2.0)
    store.set_liked("a", False)
    assert not store.article_state("a").liked
    assert store.add_view("b") == 4  # the rest of the file is kept
    assert "s" in store.article_state("a").bookmarked and backups(db) == []


def test_moving_aside_never_overwrites_an_earlier_backup(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fixed = datetime(2026, 11, 25, 16, 39, 0, tzinfo=UTC)

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return fixed

    monkeypatch.setattr(recovery, "datetime", FrozenDatetime)
    first_backup = db.with_name("reader.json.corrupt-20261125T163900")
    write_raw(first_backup, b"older backup")
    write_raw(db, b"{broken")
    store = Store(db)
    assert first_backup.read_bytes() == b"older backup"
    second = db.with_name("reader.json.corrupt-20261125T163900-2")
    assert second.read_bytes() == b"{broken"
    assert str(second) in store.notices[0]


def test_unreadable_file_is_moved_aside_root_proof(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeded(db)
    original = db.read_bytes()
    real_open = open

    def guarded_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(file) == db:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(disk, "open", guarded_open, raising=False)
    store = Store(db)
    assert "cannot be read" in store.notices[0]
    monkeypatch.undo()
    [backup] = backups(db)
    assert str(backup) in store.notices[0]
    assert backup.read_bytes() == original
    assert store.add_view("x") == 1


@needs_non_root
def test_unreadable_file_is_moved_aside(db: Path) -> None:
    seeded(db)
    original = db.read_bytes()
    db.chmod(0)
    store = Store(db)
    [backup] = backups(db)
    assert str(backup) in store.notices[0] and not store.read_only
    backup.chmod(0o600)
    assert backup.read_bytes() == original
    assert store.add_view("x") == 1


def test_file_corrupted_while_open_reads_as_empty_then_is_moved_aside_on_write(db: Path) -> None:
    store = seeded(db)
    db.write_bytes(b"\x00\x01 not json")
    assert store.bookmarks() == [] and store.article_state("a1").views == 0 and store.last_article() is None
    assert backups(db) == []  # reads move nothing
    assert store.add_view("a1") == 1
    [backup] = backups(db)
    assert backup.read_bytes() == b"\x00\x01 not json"
    assert str(backup) in store.notices[-1]


def test_one_table_line_corrupted_while_open_fails_the_whole_read_then_is_moved_aside(db: Path) -> None:
    store = seeded(db)
    lines = db.read_bytes().split(b"\n")
    [i] = [n for n, line in enumerate(lines) if b'"bookmarks/a1":' in line]
    start = lines[i].index(b'"bookmarks/a1":')
    lines[i] = lines[i][:start] + b'"bookmarks/a1":{"1":oops}' + lines[i][-1:]  # one line broken
    broken = b"\n".join(lines)
    db.write_bytes(broken)
    assert store.last_article() == "a1"  # an operation that never touches the line reads as before
    # article_state reads `articles` (whole) before the broken line: the read starts over on the whole
    # file, which is not JSON, so nothing of it counts, not even the views read first
    assert store.article_state("a1") == ArticleState()
    assert backups(db) == []
    assert store.set_bookmark("a1", "s2", True, "A", "S")  # a write starts over too, on a fresh file
    [backup] = backups(db)
    assert backup.read_bytes() == broken
    assert store.article_state("a1") == ArticleState(0, False, {"s2"}, None)


def test_empty_file_is_treated_as_a_new_one(db: Path) -> None:
    write_raw(db, b"")
    store = Store(db)
    assert store.notices == [] and backups(db) == []
    assert store.add_view("a") == 1


def test_bad_records_are_skipped_on_read_and_kept_in_the_file(db: Path) -> None:
    data = {
        "meta": {"1": {"schema": 1}},
        "bookmarks/a": {
            "1": {
                "article_id": "a",
                "section_id": "good",
                "article_title": "A",
                "section_title": "S",
                "created": "2026-01-01T00:00:00+00:00",
            },
            "2": {"article_id": "a", "article_title": "no section id"},
            "3": {"article_id": "other", "section_id": "wrong table"},
            "4": {"article_id": "a", "section_id": "odd fields", "article_title": 7, "note": None},
        },
        "articles": {
            "1": {
                "article_id": "a",
                "views": "many",
                "liked": "yes",
                "position": {"section_id": 3, "scroll_y": 1},
            },
            "2": {"article_id": "b", "views": -4, "position": {"section_id": "s", "scroll_y": "top"}},
            "3": {"article_id": "c", "views": True, "position": "nowhere"},
        },
        "state": {"1": {"last_article": 12}},
    }
    write_raw(db, json.dumps(data).encode())
    store = Store(db)
    assert store.notices == []
    assert {m.section_id for m in store.bookmarks()} == {"good", "odd fields"}
    odd = next(m for m in store.bookmarks() if m.section_id == "odd fields")
    assert (odd.article_title, odd.note, odd.created) == ("", "", "")
    assert store.article_state("a").bookmarked == {"good", "odd fields"}
    assert not store.article_state("a").liked
    assert [store.article_state(a).views for a in "abc"] == [0, 0, 0]
    assert [store.article_state(a).position for a in "abc"] == [None, None, None]
    assert store.last_article() is None
    assert store.add_view("a") == 1
    assert store.set_bookmark("a", "new", True, "A", "S")
    kept = load_json(db)["bookmarks/a"]
    assert {"2", "3"} <= set(kept) and kept["2"] == data["bookmarks/a"]["2"]


def test_hand_edited_pretty_json_is_read_and_rewritten_in_the_store_layout(db: Path) -> None:
    data = {
        "meta": {"1": {"schema": 1}},
        "bookmarks/á": {
            "1": {
                "article_id": "á",
                "section_id": "ß",
                "article_title": "Ä",
                "section_title": "Ö",
                "created": "x",
            }
        },
        "articles": {"1": {"article_id": "á", "views": 3}},
    }
    write_raw(db, json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
    store = Store(db)
    assert store.notices == []
    assert "ß" in store.article_state("á").bookmarked and store.article_state("á").views == 3
    assert store.add_view("á") == 4
    assert len(db.read_text("ascii").splitlines()) == 3
    assert Store(db).bookmarks()[0].article_title == "Ä"


def test_valid_json_that_only_looks_like_the_store_layout_is_parsed_in_full(db: Path) -> None:
    # A newline after a comma inside a table: splitting by lines gives pieces
    # that are not whole tables.  The store must notice and parse the file in full.
    content = (
        b'{"meta":{"1":{"schema":1}},\n'
        b'"articles":{"1":{"article_id":"a","views":3},\n'
        b'"2":{"article_id":"b","views":5}}}\n'
    )
    write_raw(db, content)
    store = Store(db)
    assert store.notices == [] and backups(db) == []
    assert (store.article_state("a").views, store.article_state("b").views) == (3, 5)
    assert store.add_view("b") == 6
    assert (Store(db).article_state("a").views, Store(db).article_state("b").views) == (3, 6)


def test_nan_in_a_hand_edited_file_reads_as_missing(db: Path) -> None:
    write_raw(
        db,
        b'{"articles": {"1": {"article_id": "a", "views": 2, "position": {"section_id": "s", "scroll_y": NaN}}}}',
    )
    store = Store(db)
    assert store.notices == []
    assert store.article_state("a").position is None and store.article_state("a").views == 2
    store.add_view("a")
    load_json(db)  # strict JSON again


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "meta",
                    "articles",
                    "bookmarks/a",
                    "state",
                    "1",
                    "2",
                    "schema",
                    "views",
                    "article_id",
                    "section_id",
                    "x",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=json_values.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=40))
def test_no_file_content_makes_open_or_reads_raise(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reader.json"
        path.write_bytes(content)
        store = Store(path)
        assert isinstance(store.bookmarks(), list)
        state = store.article_state("a")
        assert isinstance(state.views, int) and isinstance(state.liked, bool)
        assert isinstance(state.bookmarked, set)
        assert state.position is None or isinstance(state.position, Position)
        last = store.last_article()
        assert last is None or isinstance(last, str)
        moved = backups(path)
        if moved:
            assert moved[0].read_bytes() == content
        section = "a-section-id-no-example-can-contain"
        try:
            store.add_view("a")
            store.set_bookmark("a", section, True, "A", "S")
        except StoreError:
            assert store.read_only  # only a newer schema refuses writes here
            assert path.read_bytes() == content
        else:
            assert section in Store(path).article_state("a").bookmarked


# --------------------------------------------------------------------------
# Newer schema and read-only locations
# --------------------------------------------------------------------------


def test_newer_schema_opens_read_only_and_leaves_the_file_untouched(db: Path) -> None:
    seeded(db)
    data = load_json(db)
    data["meta"]["1"]["schema"] = SCHEMA_VERSION + 1
    content = json.dumps(data).encode()
    db.write_bytes(content)
    db.with_name("reader.json.lock").unlink()
    listing = sorted(db.parent.iterdir())
    mtime = db.stat().st_mtime_ns

    store = Store(db)
    assert store.read_only
    assert len(store.notices) == 1 and "newer" in store.notices[0] and str(db) in store.notices[0]
    assert_seeded_reads(store)  # still readable
    with pytest.raises(StoreError, match="newer"):
        store.add_view("a1")
    with pytest.raises(StoreError):
        store.set_bookmark("a1", "s1", True, "A", "S")
    assert db.read_bytes() == content and db.stat().st_mtime_ns == mtime
    assert sorted(db.parent.iterdir()) == listing


def test_newer_schema_with_unknown_shapes_reads_defaults_and_is_not_moved(db: Path) -> None:
    content = json.dumps({"meta": {"1": {"schema": 99}}, "bookmarks": ["a new layout"]}).encode()
    write_raw(db, content)
    store = Store(db)
    assert store.read_only and "newer" in store.notices[0]
    assert store.bookmarks() == [] and store.article_state("a").views == 0
    assert db.read_bytes() == content and backups(db) == []


def test_file_upgraded_by_a_newer_version_while_open_stops_writes(db: Path) -> None:
    store = seeded(db)
    newer = json.dumps({"meta": {"1": {"schema": SCHEMA_VERSION + 1}}}).encode()
    db.write_bytes(newer)
    with pytest.raises(StoreError, match="newer"):
        store.add_view("a1")
    assert store.read_only and "newer" in store.notices[-1]
    assert db.read_bytes() == newer


def test_read_only_folder_root_proof(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeded(db)
    content = db.read_bytes()
    db.with_name("reader.json.lock").unlink()
    real_access = os.access

    def access(path: str | Path, mode: int, **kwargs: object) -> bool:
        if Path(path) == db.parent and mode & os.W_OK:
            return False  # as for a folder the user cannot write to
        return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    store = Store(db)
    assert store.read_only
    assert "not writable" in store.notices[0] and str(db.parent) in store.notices[0]
    assert_seeded_reads(store)
    with pytest.raises(StoreError) as info:
        store.set_bookmark("a1", "s2", True, "A", "S")
    assert str(db) in str(info.value)
    assert db.read_bytes() == content
    assert sorted(p.name for p in db.parent.iterdir()) == ["reader.json"]


def test_read_only_location_without_a_file_reads_defaults(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "access", lambda *a, **kw: False)
    store = Store(db)
    assert store.read_only and store.notices
    assert store.bookmarks() == [] and store.article_state("a").views == 0
    with pytest.raises(StoreError):
        store.add_view("a")
    assert not db.parent.exists()


def test_corrupt_file_in_a_read_only_folder_is_left_alone_with_a_notice(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_raw(db, b"{not json")
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: not mode & os.W_OK)
    store = Store(db)
    assert store.read_only
    assert any("not valid JSON" in n for n in store.notices)
    assert store.bookmarks() == []
    assert db.read_bytes() == b"{not json" and backups(db) == []


@pytest.mark.parametrize("where", ["replace", "temp file"])
def test_permission_denied_on_write_root_proof(db: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    store = seeded(db)
    content = db.read_bytes()
    denied = PermissionError(errno.EACCES, "Permission denied")
    if where == "replace":
        monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(denied))
    else:
        real_os_open = os.open

        def os_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
            if str(path).endswith(".tmp"):
                raise denied
            return real_os_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", os_open)
    with pytest.raises(StoreError) as info:
        store.add_view("a1")
    message = str(info.value)
    assert str(db) in message and "permission denied" in message and "\n" not in message
    assert store.read_only
    assert_seeded_reads(store)
    with pytest.raises(StoreError):
        store.set_liked("a1", False)
    monkeypatch.undo()
    assert db.read_bytes() == content and temp_files(db) == []


@needs_non_root
def test_read_only_folder(db: Path) -> None:
    seeded(db)
    db.parent.chmod(0o555)
    try:
        store = Store(db)
        assert store.read_only and "not writable" in store.notices[0]
        assert_seeded_reads(store)
        with pytest.raises(StoreError, match=str(db)):
            store.add_view("a1")
    finally:
        db.parent.chmod(0o755)


@needs_non_root
def test_read_only_file(db: Path) -> None:
    seeded(db)
    db.chmod(0o444)
    store = Store(db)
    assert store.read_only and "read-only" in store.notices[0]
    assert_seeded_reads(store)
    with pytest.raises(StoreError, match=str(db)):
        store.add_view("a1")
    assert Store(db).article_state("a1").views == 2


def test_storage_also_works_as_a_plain_tinydb_storage(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    with TinyDB(path, storage=AtomicJSONStorage) as plain:
        plain.table("things").insert({"name": "one"})
        plain.table("things").insert({"name": "two"})
        assert [doc["name"] for doc in plain.table("things").all()] == ["one", "two"]
    assert load_json(path) == {"things": {"1": {"name": "one"}, "2": {"name": "two"}}}
    assert temp_files(path) == []


def test_symlinked_data_file_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real" / "reader.json"
    Store(real).add_view("a")
    link = tmp_path / "reader.json"
    link.symlink_to(real)
    Store(link).add_view("a")
    assert link.is_symlink() and Store(real).article_state("a").views == 2


def test_set_bookmark_and_set_liked_give_the_state_asked_for(db: Path) -> None:
    store = Store(db)
    assert store.set_bookmark("a", "s", True, "A", "S")
    assert not store.set_bookmark("a", "s", True, "A", "S")  # already so: the file is not rewritten
    other = Store(db)
    assert other.set_bookmark("a", "s", False)  # another process removed it in between
    assert not store.set_bookmark("a", "s", False)
    assert store.bookmarks() == []
    store.set_liked("a", True)
    store.set_liked("a", True)
    assert store.article_state("a").liked
    store.set_liked("a", False)
    assert not Store(db).article_state("a").liked
