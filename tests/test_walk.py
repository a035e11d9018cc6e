"""walk.py: the walk of a content folder (shared by the library and the stored index) and an article's head."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tui.articles import Library
from tui.articles.walk import HEAD_BYTES, read_head, read_info, walk


def test_walk_lists_articles_sorted_with_their_stamps_and_skips_hidden_folders(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write("b.md", "# B\n")
    write("a/z.md", "# Z\n")
    write("a/c.md", "# C\n")
    write(".git/x.md", "# hidden\n")
    write("..md", "# The dot command\n")
    picture = write("a/pic.png", "png")
    write(".hidden.txt", "dot file")
    found = walk(content)
    assert [relative for relative, _, _ in found.files] == ["..md", "a/c.md", "a/z.md", "b.md"]
    for relative, mtime_ns, size in found.files:
        status = (content / relative).stat()
        assert (mtime_ns, size) == (status.st_mtime_ns, status.st_size)
    assert found.others == [str(picture)]
    assert found.problems == []
    assert not found.too_many


def test_walk_reports_what_it_cannot_read_as_problems(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write("sub/a.md", "# A\n")
    write(".md", "no name")
    os.symlink(content, content / "sub" / "loop")
    os.symlink(content / "missing.md", content / "broken.md")
    os.mkfifo(content / "pipe.md")
    found = walk(content)
    assert [relative for relative, _, _ in found.files] == ["sub/a.md"]
    reasons = {path.name: reason for path, reason in ((p.path, p.reason) for p in found.problems)}
    assert reasons == {
        ".md": "a file named only .md has no article name; skipped",
        "broken.md": "broken symlink; skipped",
        "pipe.md": "a FIFO, not a file; skipped",
        "loop": "symlink loop; skipped",
    }


def test_a_symlink_to_an_article_is_an_article(write: Callable[[str, str], Path], content: Path) -> None:
    target = write("real.md", "# Real\n")
    os.symlink(target, content / "alias.md")
    assert [relative for relative, _, _ in walk(content).files] == ["alias.md", "real.md"]


def test_walk_stops_once_it_has_found_more_than_its_limit(content: Path) -> None:
    for number in range(5):
        (content / f"{number}.md").write_text("# x\n")
    found = walk(content, limit=3)
    assert found.too_many
    assert len(found.files) == 4
    assert not walk(content, limit=5).too_many


def test_walk_reports_its_progress(content: Path) -> None:
    for folder in ("a", "b"):
        (content / folder).mkdir()
        (content / folder / "x.md").write_text("# x\n")
    seen: list[int] = []
    walk(content, progress=seen.append)
    assert seen and seen[-1] == 2
    assert seen == sorted(seen)


def test_read_head_reads_front_matter_then_the_first_heading(tmp_path: Path) -> None:
    path = tmp_path / "my_page-name.md"
    front = "---\ntitle: 'Quoted: title'\norder: 2\naliases: [one, 'two']\n---\n# Heading\n"
    info = read_head(front.encode(), path, "my_page-name")
    assert (info.id, info.title, info.order, info.aliases) == (
        "my_page-name",
        "Quoted: title",
        2.0,
        ("one", "two"),
    )
    assert read_head(b"\xef\xbb\xbf# Heading\tone\n", path, "x").title == "Heading one"
    assert read_head(b"no heading", path, "x").title == "My page name"
    assert read_head(b"# A\x00B\n", path, "x").title == "AB"  # (NULs dropped, as the library always did)


def test_read_head_gives_the_same_answer_for_bytes_and_for_the_decoded_text(tmp_path: Path) -> None:
    from tui.articles.text import decode

    path = tmp_path / "a.md"
    samples = [
        b"\xef\xbb\xbf---\ntitle: T\r\n---\r\n",
        b"# Caf\xc3\xa9 \xff bad byte\n",
        b"---\naliases:\n  - x\n  - y\n---\n\n# Title\n",
        b"text\n\nSetext\n======\n",
    ]
    for data in samples:
        text, _ = decode(data, path)
        assert text is not None
        assert read_head(text, path, "a") == read_head(data, path, "a")


def test_read_head_looks_at_the_first_head_bytes_only(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    data = b"x" * HEAD_BYTES + b"\n# Too late\n"
    assert read_head(data, path, "a").title == "A"


def test_read_info_names_an_unreadable_file_after_its_name(tmp_path: Path) -> None:
    assert read_info(tmp_path / "gone_page.md", "gone_page").title == "Gone page"


def test_the_library_lists_what_the_walk_finds(write: Callable[[str, str], Path], content: Path) -> None:
    write("a.md", "---\norder: 1\n---\n# Alpha\n")
    write("sub/b.md", "# Beta\n")
    write("sub/pic.png", "png")
    os.mkfifo(content / "pipe.md")
    library = Library(content)
    found = walk(content)
    assert sorted(info.id for info in library.infos) == [relative[:-3] for relative, _, _ in found.files]
    assert library.problems == found.problems
    assert library._other_files == found.others
    assert library.info("a") == read_info(content / "a.md", "a")
