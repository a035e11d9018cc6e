"""`qa-reader import` as a user runs it: sources of every kind, the lines it prints, what it refuses, and
that what it writes is ready to read (`check` clean, the reader's model reads it as meant).

The importers themselves are tested in test_import_text.py, test_import_html.py and
test_import_stackexchange.py; this file is about the command around them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_import_text import EXAMPLE

from tui.articles import Library
from tui.cli import main

TEA = EXAMPLE  # the page of issue 16, section 1

STAIN = """Does tea stain teeth more than coffee?

4 views
Both stain; tea's tannins tend to stain a little more than coffee does.
Feedback 1 likes

Why drinks stain

Tannins bind to the enamel's surface film. [1]

Notes

  \u2022 [1] Example Dental - Tannins and enamel.
"""

PAGE = """<!doctype html><html><head><title>How do I boil an egg? - Cooking</title>
<link rel="canonical" href="https://example.org/q/1"></head>
<body><nav>Home | Questions | Tags</nav>
<main><h1>How do I boil an egg?</h1>
<p>I keep cracking them. What is the trick?</p>
<h2>Start cold</h2><p>Put the eggs in cold water, bring it to the boil, then simmer for 9 minutes.</p>
</main><footer>Site footer</footer></body></html>
"""


def _dump(folder: Path) -> Path:
    site = folder / "cooking.stackexchange.com"
    site.mkdir(parents=True)
    (site / "Posts.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
        '  <row Id="1" PostTypeId="1" AcceptedAnswerId="3" CreationDate="2019-05-01T10:00:00.000" Score="5" '
        'ViewCount="120" Body="&lt;p&gt;Why does bread go stale?&lt;/p&gt;" OwnerUserId="10" '
        'Title="Why does bread go stale?" Tags="&lt;bread&gt;&lt;storage&gt;" />\n'
        '  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2019-05-01T11:00:00.000" Score="9" '
        'Body="&lt;p&gt;Starch retrogradation.&lt;/p&gt;" OwnerUserId="11" />\n'
        '  <row Id="3" PostTypeId="2" ParentId="1" CreationDate="2019-05-02T11:00:00.000" Score="2" '
        'Body="&lt;p&gt;It loses water to the air and its starch recrystallises.&lt;/p&gt;" OwnerUserId="12" />\n'
        "</posts>\n"
    )
    (site / "Users.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<users>\n'
        '  <row Id="10" DisplayName="Asker" />\n  <row Id="11" DisplayName="Baker" />\n'
        '  <row Id="12" DisplayName="Chemist" />\n</users>\n'
    )
    return site


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "QA_READER_CONTENT"}
    return subprocess.run(
        [sys.executable, "-m", "tui", "import", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env=env,
    )


def check_clean(folder: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "check", "--content", str(folder)], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_every_kind_of_source_imports_into_one_folder_ready_to_read(tmp_path: Path) -> None:
    (tmp_path / "tea.txt").write_text(TEA)
    (tmp_path / "stain.txt").write_text(STAIN)
    (tmp_path / "egg.html").write_text(PAGE)
    site = _dump(tmp_path / "dumps")
    into = tmp_path / "articles"
    result = run(
        str(tmp_path / "tea.txt"),
        str(tmp_path / "stain.txt"),
        str(tmp_path / "egg.html"),
        str(site),
        "--into",
        str(into),
    )
    assert result.returncode == 0, result.stderr
    written = sorted(line.split(" ", 1)[1] for line in result.stdout.splitlines())
    assert all(line.startswith("wrote ") for line in result.stdout.splitlines())
    assert len(written) == 4
    assert "4 articles written into" in result.stderr
    check_clean(into)
    library = Library(into)
    titles = {info.title for info in library.infos}
    assert titles == {
        "Is tea better than coffee for focus?",
        "Does tea stain teeth more than coffee?",
        "How do I boil an egg?",
        "Why does bread go stale?",
    }
    # the dump has a folder of its own; a page's "Further Discussion" links the page imported beside it
    assert any(info.id.startswith("cooking.stackexchange.com/") for info in library.infos)
    tea = next(info for info in library.infos if info.title.startswith("Is tea"))
    assert "does-tea-stain-teeth-more-than-coffee.md" in (into / f"{tea.id}.md").read_text()


def test_an_existing_article_is_kept_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "tea.txt").write_text(TEA)
    into = tmp_path / "articles"
    assert run(str(tmp_path / "tea.txt"), "--into", str(into)).returncode == 0
    [article] = into.glob("*.md")
    article.write_text(article.read_text() + "\nMy own note.\n")
    mine = article.read_text()
    again = run(str(tmp_path / "tea.txt"), "--into", str(into))
    assert again.returncode == 1
    assert "exists; not overwritten (--force to replace it)" in again.stderr
    assert article.read_text() == mine
    forced = run(str(tmp_path / "tea.txt"), "--into", str(into), "--force")
    assert forced.returncode == 0 and forced.stdout.startswith("replaced ")
    assert "My own note." not in article.read_text()
    assert [path.name for path in into.iterdir()] == [article.name]  # no temporary file left behind


def test_a_symlink_where_the_article_would_go_is_never_written_through(tmp_path: Path) -> None:
    (tmp_path / "tea.txt").write_text(TEA)
    into = tmp_path / "articles"
    into.mkdir()
    elsewhere = tmp_path / "precious.md"
    elsewhere.write_text("precious\n")
    (into / "is-tea-better-than-coffee-for-focus.md").symlink_to(elsewhere)
    result = run(str(tmp_path / "tea.txt"), "--into", str(into), "--force")
    assert result.returncode == 1 and "a symlink is there; not written" in result.stderr
    assert elsewhere.read_text() == "precious\n"


def test_bad_sources_get_one_line_each_and_the_good_ones_still_import(tmp_path: Path) -> None:
    (tmp_path / "tea.txt").write_text(TEA)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "site.7z").write_bytes(b"7z\xbc\xaf\x27\x1c\x00\x04rest")
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "Posts.xml").write_text("<posts><row Id='1' PostTypeId='1'")  # cut short
    os.mkfifo(tmp_path / "pipe.txt")
    sources = ["tea.txt", "empty.txt", "blob.bin", "site.7z", "a-folder", "Posts.xml", "pipe.txt", "gone.txt"]
    into = tmp_path / "articles"
    result = run(*sources, "--into", str(into), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.count("wrote ") == 1
    errors = [line for line in result.stderr.splitlines() if not line.startswith("qa-reader: 1 article")]
    assert len(errors) == 7, result.stderr
    said = dict(line.removeprefix("qa-reader: ").split(": ", 1) for line in errors)
    assert said["empty.txt"] == "empty"
    assert said["blob.bin"] == "binary, not a saved page"
    assert said["site.7z"].startswith("a 7z archive: extract it first")
    assert said["a-folder"].startswith("a folder without Posts.xml")
    assert said["Posts.xml"].startswith("malformed XML")
    assert said["pipe.txt"].startswith("not a file")
    assert said["gone.txt"] == "not found"
    assert "Traceback" not in result.stderr
    check_clean(into)


def test_where_to_write_must_be_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    (tmp_path / "tea.txt").write_text(TEA)
    monkeypatch.delenv("QA_READER_CONTENT", raising=False)
    assert main(["import", str(tmp_path / "tea.txt")]) == 2
    assert "--into DIR" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert main(["import", str(tmp_path / "tea.txt"), "--into", str(tmp_path / "file")]) == 2
    assert "not a folder" in capsys.readouterr().err
    monkeypatch.setenv("QA_READER_CONTENT", str(tmp_path / "mine"))
    assert main(["import", str(tmp_path / "tea.txt")]) == 0
    assert list((tmp_path / "mine").glob("*.md"))


def test_html_pages_alone_import_too(tmp_path: Path) -> None:
    (tmp_path / "egg.html").write_text(PAGE)
    result = run(str(tmp_path / "egg.html"), "--into", str(tmp_path / "out"))
    assert result.returncode == 0 and result.stdout.startswith("wrote "), result.stderr
    assert "1 article written" in result.stderr


@pytest.mark.parametrize("force", [False, True])
def test_two_sources_of_one_run_wanting_one_name_are_both_kept(tmp_path: Path, force: bool) -> None:
    (tmp_path / "a.txt").write_text(STAIN)
    (tmp_path / "b.txt").write_text(STAIN.replace("Tannins bind", "Polyphenols bind"))
    into = tmp_path / "out"
    result = run(
        str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--into", str(into), *(["--force"] if force else [])
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"wrote {into}/does-tea-stain-teeth-more-than-coffee.md",
        f"wrote {into}/does-tea-stain-teeth-more-than-coffee-2.md",
    ]
    assert "Tannins" in (into / "does-tea-stain-teeth-more-than-coffee.md").read_text()
    assert "Polyphenols" in (into / "does-tea-stain-teeth-more-than-coffee-2.md").read_text()


def test_a_dump_folder_the_reader_would_skip_or_cannot_use(tmp_path: Path) -> None:
    site = _dump(tmp_path / "dumps")
    hidden = site.rename(site.parent / ".my dump")
    into = tmp_path / "out"
    result = run(str(hidden), "--into", str(into))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {into}/my-dump/")  # a name the reader lists
    assert len(Library(into).infos) == 1
    # a symlink where the dump's folder goes: said once, nothing written through it
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    into2 = tmp_path / "out2"
    into2.mkdir()
    (into2 / "my-dump").symlink_to(elsewhere)
    result = run(str(hidden), "--into", str(into2))
    assert result.returncode == 1
    assert result.stderr.count("a symlink, not a folder") == 1
    assert list(elsewhere.iterdir()) == []
