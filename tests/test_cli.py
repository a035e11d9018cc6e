"""The command line through the real entry point: `python -m tui ...` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

MAIN = "why-does-elon-musk-not-like-openai"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60, cwd=cwd
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("qa-reader ")
    help_text = run("--help").stdout
    for word in ("list", "show", "check", "bookmarks", "--content", "--db"):
        assert word in help_text
    assert "--json" in run("list", "--help").stdout


def test_list_prints_id_and_question_for_bundled_articles() -> None:
    result = run("list")
    assert result.returncode == 0
    first = result.stdout.splitlines()[0]
    assert first.startswith(MAIN) and first.endswith("Why does Elon Musk not like OpenAI?")


def test_list_json_has_counts() -> None:
    rows = json.loads(run("list", "--json").stdout)
    main = next(row for row in rows if row["id"] == MAIN)
    assert main["title"] == "Why does Elon Musk not like OpenAI?"
    assert main["sections"] >= 6 and main["footnotes"] >= 5
    assert Path(main["path"]).is_file()


def test_show_prints_plain_text_with_comparison_table_and_notes() -> None:
    result = run("show", MAIN)
    assert result.returncode == 0
    out = result.stdout
    assert "\x1b" not in out
    assert out.startswith("Why does Elon Musk not like OpenAI?")
    table_rows = [line for line in out.splitlines() if "│" in line]
    assert any("OpenAI" in line and "xAI" in line for line in table_rows)
    assert any(line.lstrip("│ ").startswith("Focus") for line in table_rows)
    assert "[^" not in out
    assert "\n[1] " in out


def test_show_accepts_a_path_and_its_folder_becomes_the_root(
    write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    path = write("notes/a.md", "# A note\n\nText[^n]\n\n[^n]: The note.\n")
    result = run("show", str(path))
    assert result.returncode == 0
    assert "A note" in result.stdout and "[1] The note." in result.stdout


def test_show_unknown_id_exits_1_with_one_line() -> None:
    result = run("show", "no-such-article")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no article 'no-such-article'" in result.stderr


def test_check_is_clean_on_bundled_articles() -> None:
    result = run("check")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_check_reports_each_problem_as_path_reason_and_exits_1(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write("bad.md", "---\n: : :\n  - [\n---\n# Bad\n")
    write("bin.md", "x")
    (content / "bin.md").write_bytes(b"\x00\xff")
    write("ok.md", "# Fine\n")
    result = run("check", "--content", str(content))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith(str(content / "bad.md") + ": invalid YAML front matter") for line in lines)
    assert any(line.startswith(str(content / "bin.md") + ": binary file") for line in lines)
    assert "Traceback" not in result.stderr


def test_check_on_a_missing_folder_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = run("check", "--content", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "not a folder of articles" in result.stderr and "Traceback" not in result.stderr


def test_bookmarks_lists_newest_first_marks_stale_and_exports(tmp_path: Path) -> None:
    from tui.store import Store

    db = tmp_path / "reader.json"
    store = Store(db)
    store.set_bookmark(MAIN, "lessons", True, "Why does Elon Musk not like OpenAI?", "Lessons")
    store.set_bookmark(MAIN, "gone", True, "Why does Elon Musk not like OpenAI?", "A section since removed")
    text = run("bookmarks", "--db", str(db)).stdout.splitlines()
    assert (
        text[0]
        == "Why does Elon Musk not like OpenAI? > A section since removed (stale: no longer in the articles)"
    )
    assert text[1].split()[0] == f"{MAIN}#gone"
    assert text[2] == "Why does Elon Musk not like OpenAI? > Lessons"
    rows = json.loads(run("bookmarks", "--db", str(db), "--json").stdout)
    assert [(r["section_id"], r["stale"]) for r in rows] == [("gone", True), ("lessons", False)]
    markdown = run("bookmarks", "--db", str(db), "--markdown").stdout.splitlines()
    assert markdown[1].startswith("- [Why does Elon Musk not like OpenAI? > Lessons](")
    # a bundled article is linked by its id: the installed package's folder changes with every venv
    assert markdown[1].endswith(f"]({MAIN}#lessons)")
    assert "site-packages" not in "\n".join(markdown)


def test_bookmarks_markdown_links_a_content_folder_by_the_path_as_given(
    write: Callable[[str, str], Path], content: Path, tmp_path: Path
) -> None:
    from tui.store import Store

    write("topic/q.md", "# A question?\n\n## Part one\n\nText.\n")
    db = tmp_path / "reader.json"
    Store(db).set_bookmark("topic/q", "part-one", True, "A question?", "Part one")
    markdown = run("bookmarks", "--db", str(db), "--content", "content", "--markdown", cwd=tmp_path).stdout
    assert markdown.strip() == "- [A question? > Part one](content/topic/q.md#part-one)"


@pytest.mark.parametrize("kind", ["folder", "symlink to a folder", "fifo"])
def test_bookmarks_with_a_db_that_is_not_a_file_exits_2_and_touches_nothing(
    tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "keep.md").write_text("mine")
    db = folder
    if kind == "symlink to a folder":
        db = tmp_path / "link.json"
        db.symlink_to(folder)
    elif kind == "fifo":
        db = tmp_path / "pipe.json"
        os.mkfifo(db)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    result = run("bookmarks", "--db", str(db))
    assert result.returncode == 2
    assert str(db) in result.stderr and "not a file" in result.stderr and "--db" in result.stderr
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before  # nothing renamed, no lock file
    assert (folder / "keep.md").read_text() == "mine"


def test_bookmarks_with_none_says_how_to_add_one(tmp_path: Path) -> None:
    result = run("bookmarks", "--db", str(tmp_path / "none.json"))
    assert result.returncode == 0 and result.stdout == ""
    assert "press b" in result.stderr


def test_bookmarks_on_a_corrupt_file_moves_it_aside_and_says_where(tmp_path: Path) -> None:
    db = tmp_path / "reader.json"
    db.write_text("{ not json")
    result = run("bookmarks", "--db", str(db))
    assert result.returncode == 0
    assert "corrupt" in result.stderr and str(tmp_path) in result.stderr
    assert list(tmp_path.glob("reader.json.corrupt-*"))[0].read_text() == "{ not json"


def test_content_falls_back_to_the_environment(write: Callable[[str, str], Path], content: Path) -> None:
    import os

    write("only.md", "# The only one\n")
    env = {**os.environ, "QA_READER_CONTENT": str(content)}
    result = subprocess.run(
        [sys.executable, "-m", "tui", "list"], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.stdout.split() == ["only", "The", "only", "one"]
