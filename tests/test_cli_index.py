"""`qa-reader index`, and `list`, `check` and `search` on the stored index (tui/articles/catalog.py).

In-process through `tui.cli.main` where files and calls are counted; in a subprocess where the terminal
matters (a bar on a terminal, a plain line in a pipe) and for the reader's `--report` protocol.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.articles import catalog as catalog_module
from tui.cli import main

FINAL = re.compile(
    r"indexed (\d+) articles?: (\d+) added, (\d+) changed, (\d+) removed \(\d+\.\d s\); index at (.+)"
)
UNAVAILABLE = re.compile(r"qa-reader: no stored index \(.+\); reading every file")


@pytest.fixture
def folder(write: Callable[[str, str], Path], content: Path) -> Path:
    write(
        "musk.md",
        "---\ntags: [lawsuit]\n---\n# What is Musk suing OpenAI over?\n\n## The first lawsuit\n\nIn 2024.\n",
    )
    write("leave.md", "# Why did Musk leave OpenAI?\n\nA lawsuit came later; he left in 2018.\n")
    write("notes/other.md", "# Other\n\nNothing about it.\n")
    return content


def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,  # type: ignore[arg-type]
    )


def counts(line: str) -> tuple[int, int, int, int]:
    match = FINAL.fullmatch(line)
    assert match, line
    return int(match[1]), int(match[2]), int(match[3]), int(match[4])


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the files the stored index reads from now on."""
    reads: list[str] = []
    original = catalog_module._read_article

    def reading(path: Path, article_id: str) -> object:
        reads.append(article_id)
        return original(path, article_id)

    monkeypatch.setattr(catalog_module, "_read_article", reading)
    return reads


# -- index --------------------------------------------------------------------------------------------


def test_index_piped_prints_one_plain_line_and_builds_in_the_cache_folder(
    folder: Path, tmp_path: Path
) -> None:
    result = run("index", "--content", str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "\x1b" not in result.stdout
    (line,) = result.stdout.splitlines()
    assert counts(line) == (3, 3, 0, 0)
    path = Path(FINAL.fullmatch(line)[5])  # type: ignore[index]
    assert path == catalog_module.catalog_path(folder) and path.is_file()
    assert path.is_relative_to(tmp_path / "xdg-cache")  # ($XDG_CACHE_HOME, set by conftest)


def test_index_again_reads_only_what_changed(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["index", "--content", str(folder)]) == 0
    reads = count_reads(monkeypatch)
    capsys.readouterr()
    assert main(["index", "--content", str(folder)]) == 0
    assert counts(capsys.readouterr().out.strip()) == (3, 0, 0, 0) and reads == []
    (folder / "leave.md").write_text("# Why did Musk leave OpenAI, really?\n", encoding="utf-8")
    (folder / "notes" / "other.md").unlink()
    (folder / "new.md").write_text("# New\n", encoding="utf-8")
    assert main(["index", "--content", str(folder)]) == 0
    assert counts(capsys.readouterr().out.strip()) == (3, 1, 1, 1)
    assert sorted(reads) == ["leave", "new"]


def test_index_report_speaks_the_readers_protocol(folder: Path) -> None:
    result = run("index", "--content", str(folder), "--report")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "walk 0" and "read 0 3" in lines and lines[-1] == "ready 3 3 0 0"
    for line in lines[:-1]:
        assert re.fullmatch(r"walk \d+|read \d+ \d+", line), line
    again = run("index", "--content", str(folder), "--report").stdout.splitlines()
    assert again[-1] == "ready 3 0 0 0"


def test_index_report_says_unavailable_and_failed(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["index", "--content", str(tmp_path / "nope"), "--report"]) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("failed ")
    monkeypatch.setattr(catalog_module, "fts5_available", lambda: False)
    assert main(["index", "--content", str(folder), "--report"]) == 3
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("unavailable ") and "FTS5" in last


def test_index_on_a_terminal_shows_a_bar_then_the_line(folder: Path) -> None:
    leader, follower = pty.openpty()
    drawn: list[bytes] = []

    def read_terminal() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # (Linux: EIO once the child has closed its end and all is read)
                return
            if not chunk:
                return
            drawn.append(chunk)

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "tui", "index", "--content", str(folder)],
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
            env={**os.environ, "COLUMNS": "100"},
        )
        os.close(follower)
        out, _ = process.communicate(timeout=120)
        reader.join(timeout=30)
    finally:
        os.close(leader)
    terminal = b"".join(drawn)
    assert process.returncode == 0
    assert b"Finding articles" in terminal or b"Reading articles" in terminal
    assert counts(out.strip()) == (3, 3, 0, 0)


def test_index_without_fts5_exits_3_with_the_reason(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_module, "fts5_available", lambda: False)
    assert main(["index", "--content", str(folder)]) == 3
    captured = capsys.readouterr()
    assert captured.out == "" and "FTS5" in captured.err and len(captured.err.splitlines()) == 1


# -- list, check, search on the stored index ------------------------------------------------------------


def test_list_refreshes_the_index_and_reads_only_new_files(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["list", "--content", str(folder)]) == 0
    first = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in first] == ["notes/other", "musk", "leave"]
    assert catalog_module.catalog_path(folder).is_file()
    reads = count_reads(monkeypatch)
    monkeypatch.setattr("tui.articles.walk.read_info", lambda *_: pytest.fail("read a file's head"))
    (folder / "added.md").write_text("# Added\n", encoding="utf-8")
    assert main(["list", "--content", str(folder)]) == 0
    assert ["added", "Added"] in [line.split() for line in capsys.readouterr().out.splitlines()]
    assert reads == ["added"]


def test_check_reads_the_list_from_the_index(
    folder: Path, write: Callable[[str, str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    write("bad.md", "# Bad\n\nSee [gone](gone.md).\n")
    assert main(["check", "--content", str(folder)]) == 1
    captured = capsys.readouterr()
    assert f"{folder / 'bad.md'}: link 'gone.md'" in captured.out
    assert "1 problem(s) in 4 articles" in captured.err
    assert catalog_module.catalog_path(folder).is_file()


def test_search_builds_the_index_first_then_searches_it_without_a_walk(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def hits() -> list[str]:
        assert main(["search", "lawsuit", "--content", str(folder)]) == 0
        return [line.split()[0] for line in capsys.readouterr().out.splitlines()]

    assert not catalog_module.catalog_path(folder).exists()
    first = hits()
    assert first[0] == "musk#the-first-lawsuit" and first[1].startswith("leave#")
    monkeypatch.setattr(catalog_module, "walk", lambda *_, **__: pytest.fail("walked the folder"))
    (folder / "leave.md").write_text("# Why did Musk leave OpenAI?\n\nHe left in 2018.\n", encoding="utf-8")
    assert hits() == ["musk#the-first-lawsuit"]  # (a hit's file is checked: this one changed)


def test_search_takes_phrases_and_exclusions_and_no_prefixes(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def ids(*words: str) -> list[str]:
        main(["search", *words, "--content", str(folder), "--json"])
        return [row["id"] for row in json.loads(capsys.readouterr().out)]

    assert ids('"first lawsuit"') == ["musk"]
    assert ids("lawsuit", "-first") == ["leave"]
    assert ids("musk", '-"first lawsuit"') == ["leave"]
    assert ids("lawsui") == []  # whole words only: nobody is typing
    assert ids("-lawsuit", "nothing") == ["notes/other"]


def test_help_names_index_and_keeps_report_hidden() -> None:
    assert "index" in run("--help").stdout
    index_help = run("index", "--help").stdout
    assert "--content" in index_help and "--report" not in index_help and "safe" in index_help
    search_help = run("search", "--help").stdout
    assert "-word" in search_help and "quotes" in search_help


# -- without a stored index ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["list"], ["check"], ["search", "lawsuit"]])
def test_without_fts5_commands_read_every_file_and_say_so_once(
    folder: Path, command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_module, "fts5_available", lambda: False)
    assert main([*command, "--content", str(folder)]) == 0
    captured = capsys.readouterr()
    notices = [line for line in captured.err.splitlines() if line.startswith("qa-reader:")]
    assert len(notices) == 1 and UNAVAILABLE.fullmatch(notices[0]), captured.err
    assert "FTS5" in notices[0]
    if command[0] == "list":
        assert len(captured.out.splitlines()) == 3
    if command[0] == "search":
        assert captured.out.splitlines()[0].startswith("musk#the-first-lawsuit")


def test_an_unusable_cache_folder_reads_every_file(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert main(["list", "--content", str(folder)]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 3
    assert UNAVAILABLE.fullmatch(captured.err.strip()), captured.err


def test_subcommands_never_import_textual(folder: Path) -> None:
    code = (
        "import sys; from tui.cli import main\n"
        f"for args in (['index'], ['list'], ['search', 'lawsuit'], ['show', 'musk']):\n"
        f"    main([*args, '--content', {str(folder)!r}])\n"
        "print('textual' in sys.modules, 'markdown_it.main' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.splitlines()[-1].startswith("False"), result.stderr
