"""The reader's refresh of the stored index (tui/indexer.py): the child process's protocol, and both ways
of running a refresh (a thread of the reader, a `qa-reader index --report` child)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.indexer import Indexer, Outcome, Progress, parse_line


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("walk 120\n", Progress("walk", 120)),
        ("read 5 100\n", Progress("read", 5, 100)),
        ("ready 100 90 5 2\n", Outcome("ready", "", 100, 90, 5, 2)),
        ("unavailable SQLite has no FTS5\n", Outcome("unavailable", "SQLite has no FTS5")),
        ("failed disk full\n", Outcome("failed", "disk full")),
        ("failed\n", Outcome("failed", "no reason given")),
        ("read five 100\n", None),
        ("ready 1 2\n", None),
        ("Traceback (most recent call last):\n", None),
        ("\n", None),
    ],
)
def test_report_lines_are_read_and_anything_else_is_ignored(line: str, parsed: object) -> None:
    assert parse_line(line) == parsed


def test_changes_count_what_was_added_changed_and_removed() -> None:
    assert Outcome("ready", "", 10, 1, 2, 3).changes == 6
    assert Outcome("ready", "", 10).changes == 0


def _folder(root: Path, count: int) -> Path:
    for number in range(count):
        (root / f"q{number}.md").write_text(f"# Question {number}?\n\nAnswer {number}.\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("child", [False, True], ids=["thread", "child process"])
def test_a_refresh_reports_progress_then_its_counts_and_a_second_finds_nothing_to_do(
    tmp_path: Path, child: bool
) -> None:
    root = _folder(tmp_path, 12)
    seen: list[Progress] = []
    first = Indexer(root, child=child).run(seen.append)
    assert first == Outcome("ready", "", 12, 12, 0, 0)
    assert any(progress.phase == "read" and progress.total == 12 for progress in seen)
    (root / "q0.md").unlink()
    (root / "new.md").write_text("# New?\n\nYes.\n", encoding="utf-8")
    second = Indexer(root, child=child).run(seen.append)
    assert (second.articles, second.added, second.removed) == (12, 1, 1)


def test_a_child_that_fails_says_why(tmp_path: Path) -> None:
    outcome = Indexer(tmp_path / "missing", child=True).run(lambda progress: None)
    assert outcome.kind in ("failed", "unavailable")
    assert outcome.message


def test_stop_ends_a_child_build(tmp_path: Path) -> None:
    root = _folder(tmp_path, 3)
    indexer = Indexer(root, child=True)
    indexer.stop()  # before it started: it never starts
    assert indexer.run(lambda progress: None) == Outcome("failed", "stopped")
