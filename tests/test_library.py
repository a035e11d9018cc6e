"""The library: the cheap index, on-demand parsing, link resolution and `check`."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tui import cli
from tui.articles import Library, LinkTarget, bundled_content


def test_index_finds_md_recursively_and_skips_hidden_and_other_files(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write("a.md", "# Alpha\n")
    write("sub/b.md", "---\ntitle: 'Beta: quoted'\n---\n")
    write(".hidden/c.md", "# Hidden\n")
    write("notes.txt", "not an article")
    library = Library(content)
    assert {info.id: info.title for info in library.infos} == {"a": "Alpha", "sub/b": "Beta: quoted"}


def test_index_orders_by_front_matter_order_then_title(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write("z.md", "---\norder: 1\n---\n# Zed\n")
    write("b.md", "# Bee\n")
    write("a.md", "# Ay\n")
    assert [info.id for info in Library(content).infos] == ["z", "a", "b"]


def test_symlink_loops_are_skipped_with_a_problem(write: Callable[[str, str], Path], content: Path) -> None:
    write("sub/a.md", "# A\n")
    os.symlink(content, content / "sub" / "loop")
    library = Library(content)
    assert [info.id for info in library.infos] == ["sub/a"]
    assert any("symlink loop" in p.reason for p in library.problems)


def test_article_is_parsed_on_demand_and_cached_until_the_file_changes(
    write: Callable[[str, str], Path], content: Path
) -> None:
    path = write("a.md", "# One\n")
    library = Library(content)
    first = library.article("a")
    assert library.article("a") is first
    path.write_text("# Two, longer\n")
    assert library.article("a").title == "Two, longer"
    assert library.info("a").title == "Two, longer"
    assert library.article("nope") is None


def test_links_resolve_inside_the_root_only(write: Callable[[str, str], Path], content: Path) -> None:
    write("a.md", "# A\n")
    write("sub/b.md", "# B\n")
    library = Library(content)
    assert library.resolve_link("sub/b", "../a.md#part").kind == "article"
    assert library.resolve_link("sub/b", "../a.md#part").section == "part"
    assert library.resolve_link("a", "sub/b.md").article_id == "sub/b"
    assert library.resolve_link("a", "#intro").kind == "section"
    assert library.resolve_link("a", "https://example.org").kind == "web"
    outside = library.resolve_link("a", "../../etc/passwd")
    assert outside.kind == "refused" and "outside the content folder" in outside.message
    assert library.resolve_link("a", "missing.md").kind == "refused"
    assert library.resolve_link("a", "javascript:alert(1)").kind == "refused"


def test_check_reports_broken_links_and_related_ids(write: Callable[[str, str], Path], content: Path) -> None:
    write(
        "a.md", "---\nrelated: [ghost]\n---\n# A\n\n[gone](gone.md) [b](b.md#nowhere) [web](https://x.org)\n"
    )
    write("b.md", "# B\n")
    reasons = [p.reason for p in Library(content).check()]
    assert "link 'gone.md': gone.md does not exist" in reasons
    assert "link 'b.md#nowhere': no section #nowhere" in reasons
    assert "related article 'ghost' does not exist" in reasons
    assert len(reasons) == 3


def test_bundled_articles_are_clean_linked_and_complete() -> None:
    library = Library(bundled_content())
    assert library.check() == []
    titles = {info.title for info in library.infos}
    assert len(titles) >= 6
    for title in (
        "Why does Elon Musk not like OpenAI?",
        "Why did Elon Musk leave OpenAI?",
        "Is OpenAI actually open source?",
        "Why did OpenAI stop being open source?",
    ):
        assert title in titles
    for info in library.infos:
        article = library.article(info.id)
        assert article.footnotes, f"{info.id} cites no sources"
        assert any(library.resolve_link(info.id, href).kind == "article" for href in article.links)
    main = library.article("why-does-elon-musk-not-like-openai")
    comparison = next(c for c in main.comparisons if c.sides == ("OpenAI", "xAI"))
    assert [row.aspect for row in comparison.rows] == ["Focus", "Structure", "Openness"]


def test_links_to_symlinked_articles_inside_the_folder_are_followed(
    write: Callable[[str, str], Path], content: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "y.md").write_text("# Y\n")
    (outside / "sub" / "x.md").write_text("# X\n")
    os.symlink(outside / "y.md", content / "shared.md")
    os.symlink(outside, content / "linked")
    write("a.md", "# A\n\n[s](shared.md) [x](linked/sub/x.md) [out](../outside/y.md)\n")
    library = Library(content)
    assert {"shared", "linked/sub/x", "linked/y"} <= {info.id for info in library.infos}
    assert library.resolve_link("a", "shared.md").article_id == "shared"
    assert library.resolve_link("a", "linked/sub/x.md").article_id == "linked/sub/x"
    assert library.resolve_link("a", "../outside/y.md").kind == "refused"
    assert [p.reason for p in library.check()] == [
        "link '../outside/y.md': ../outside/y.md leads outside the content folder"
    ]


def test_hostile_front_matter_in_the_index_is_survived_and_cleaned(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write("deep.md", "---\ntitle: " + "[" * 3000 + "\n---\n# Deep\n")
    write("esc.md", '---\ntitle: "Evil\\e]0;pwned\\a title"\ntags: "a\\x1b[2J, b"\n---\n')
    library = Library(content)
    titles = {info.id: info.title for info in library.infos}
    assert "\x1b" not in titles["esc"] and "\x07" not in titles["esc"] and titles["esc"].startswith("Evil")
    assert all("\x1b" not in tag for tag in library.article("esc").tags)
    assert "deep" in titles
    library.check()  # no exception


def test_dot_files_are_articles_with_usable_ids_but_hidden_folders_stay_skipped(
    write: Callable[[str, str], Path], content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # tldr keeps the page for the `.` command in `..md`; it used to vanish without a word.
    write("..md", "# .\n\n> Run commands from a file in the current shell.\n\n## Examples\n\nText.\n")
    write(".bashrc.md", "Notes with no heading.\n")
    write("sub/..md", "# Dot in sub\n")
    write("a.md", "# A\n\n[dot](..md#examples) [rc](.bashrc.md) [sub](sub/..md)\n")
    write(".obsidian/workspace.md", "# Settings, not an article\n")
    write(".md", "# No name at all\n")
    library = Library(content)
    titles = {info.id: info.title for info in library.infos}
    assert titles == {".": ".", ".bashrc": ".bashrc", "sub/.": "Dot in sub", "a": "A"}
    assert library.article(".").summary == "" and library.article(".").section("examples") is not None
    assert library.resolve_link("a", "..md#examples") == LinkTarget("article", ".", "examples")
    assert library.resolve_link("a", ".bashrc.md").article_id == ".bashrc"
    assert library.resolve_link("a", "sub/..md").article_id == "sub/."
    assert library.resolve(".") == "." and library.resolve(str(content / "..md")) == "."
    assert library.resolve(str(content / "sub" / "..md")) == "sub/."
    assert [str(p) for p in library.problems] == [
        f"{content / '.md'}: a file named only .md has no article name; skipped"
    ]

    assert cli.main(["check", "--content", str(content)]) == 1  # only for `.md`
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{content / '.md'}: a file named only .md has no article name; skipped"]
    assert "in 4 articles" in err
    assert cli.main(["show", ".", "--content", str(content)]) == 0
    assert "Run commands from a file in the current shell." in capsys.readouterr().out
