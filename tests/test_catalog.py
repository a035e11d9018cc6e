"""catalog.py: the stored index (SQLite FTS5) of a content folder: building, refreshing, listing, searching."""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tui.articles import Library, bundled_content
from tui.articles import catalog as catalog_module
from tui.articles.catalog import Catalog, CatalogUnavailable, Refreshed, catalog_path

Write = Callable[[str, str], Path]


@pytest.fixture
def built(content: Path) -> Iterator[Callable[[], Catalog]]:
    """build() opens the content folder's index for writing and refreshes it; closed after the test."""
    opened: list[Catalog] = []

    def build() -> Catalog:
        catalog = Catalog.open(content, write=True)
        opened.append(catalog)
        catalog.refresh()
        return catalog

    yield build
    for catalog in opened:
        catalog.close()


def ids(hits: list) -> list[str]:
    return [hit.article_id for hit in hits]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the index reads whole, in order."""
    seen: list[Path] = []
    real = catalog_module.read_file

    def counting(path: Path, *args: object, **kwargs: object) -> bytes:
        seen.append(Path(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog_module, "read_file", counting)
    return seen


def stored_listing(content: Path) -> str | None:
    """The list in reading order kept in the index's `meta` table, if any."""
    connection = sqlite3.connect(catalog_path(content))
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone()
    finally:
        connection.close()
    return None if row is None else row[0]


# -- building and listing -----------------------------------------------------------------------------


def test_the_index_lives_in_the_user_cache_folder(tmp_path: Path, content: Path) -> None:
    path = catalog_path(content)
    assert path.parent == tmp_path / "xdg-cache" / "qa-reader" / "index"
    assert path.suffix == ".sqlite3" and len(path.stem) == 16
    assert catalog_path(content / "." / "sub" / "..") == path


def test_a_build_lists_the_articles_exactly_as_the_library_does(write: Write, content: Path, built) -> None:
    write("b.md", "# Bee\n")
    write("a.md", "# Ay\n")
    write("z.md", "---\norder: 1\naliases: [zed, 'the last']\n---\n# Zed\n")
    write("sub/\ufeffbom.md", "\ufeff---\ntitle: 'With a BOM'\n---\n")
    write("sub/untitled_page.md", "Just text.\n")
    write("sub/big.md", "# Big\n\n" + "word " * 5000)
    write("pic.png", "png")
    (content / "binary.md").write_bytes(b"# Binary\x00\n")
    (content / "latin.md").write_bytes(b"# Caf\xe9\n")
    (
        content / "odd-\udcff-name.md".encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")
    ).write_text("no title\n")
    os.mkfifo(content / "pipe.md")
    catalog = built()
    library = Library(content)
    assert catalog.infos() == library.infos
    assert [info.path for info in catalog.infos()] == [info.path for info in library.infos]
    assert catalog.info("z") == library.info("z")
    assert catalog.info("nope") is None
    assert catalog.others() == library._other_files
    assert catalog.problems() == library.problems
    assert catalog.count() == len(library.infos) == 9
    assert catalog.complete()
    assert stored_listing(content) is None  # (a name stored as a BLOB: listed row by row)


def test_the_list_keeps_orders_and_aliases_and_follows_changes(write: Write, content: Path, built) -> None:
    write("b.md", "# Bee\n")
    write("a.md", "---\naliases: [ay]\n---\n# Ay\n")
    third = write("c.md", "---\norder: 2\n---\n# Sea\n")
    catalog = built()
    assert stored_listing(content) == "c\0Sea\0a\0Ay\0b\0Bee"
    assert catalog.infos() == Library(content).infos
    assert [(info.id, info.order, info.aliases) for info in catalog.infos()] == [
        ("c", 2.0, ()),
        ("a", None, ("ay",)),
        ("b", None, ()),
    ]
    third.write_text("# Sea, unordered\n")
    os.utime(third, ns=(1_000_000_000, 1_000_000_000))
    catalog.refresh()
    assert [info.id for info in catalog.infos()] == ["a", "b", "c"]
    assert catalog.infos() == Library(content).infos


def test_a_file_too_large_to_read_whole_is_listed_by_its_head_and_not_searched(
    write: Write, content: Path, built, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.articles.files import NotAFile

    write("huge.md", "# Huge\n\nzebra\n")
    write("small.md", "# Small\n\nzebra\n")
    real = catalog_module.read_file

    def refusing(path: Path, *args: object, **kwargs: object) -> bytes:
        if Path(path).name == "huge.md":
            raise NotAFile(Path(path), "larger than 16 MiB; not opened")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog_module, "read_file", refusing)
    catalog = built()
    assert [info.title for info in catalog.infos()] == ["Huge", "Small"]
    assert ids(catalog.search("zebra", typing=False)) == ["small"]
    assert ids(catalog.search("huge", typing=False)) == []


def test_a_missing_folder_is_a_problem_and_empties_the_index(tmp_path: Path) -> None:
    root = tmp_path / "gone"
    root.mkdir()
    (root / "a.md").write_text("# A\n")
    with Catalog.open(root, write=True) as catalog:
        assert catalog.refresh().articles == 1
        root.joinpath("a.md").unlink()
        root.rmdir()
        assert catalog.refresh() == Refreshed(0, 0, 0, 1)
        assert [problem.reason for problem in catalog.problems()] == ["not a folder of articles"]
        assert catalog.infos() == []


def test_a_refresh_reads_only_the_files_added_or_changed(
    write: Write, content: Path, built, reads: list[Path]
) -> None:
    write("keep.md", "# Keep\n")
    changed = write("change.md", "# Change\n")
    removed = write("remove.md", "# Remove\n")
    catalog = built()
    assert len(reads) == 3
    reads.clear()
    assert catalog.refresh() == Refreshed(3, 0, 0, 0)
    assert reads == []
    changed.write_text("# Changed title\n")
    os.utime(changed, ns=(1_000_000_000, 1_000_000_000))  # (a new stamp whatever the clock's grain)
    removed.unlink()
    added = write("new.md", "# New\n")
    assert catalog.refresh() == Refreshed(3, 1, 1, 1)
    assert sorted(reads) == sorted([changed, added])
    assert [info.title for info in catalog.infos()] == ["Changed title", "Keep", "New"]
    assert ids(catalog.search("remove", typing=False)) == []
    assert ids(catalog.search("changed", typing=False)) == ["change"]


def test_a_file_that_cannot_be_read_during_a_build_is_read_again_by_the_next(
    write: Write, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("a.md", "# Alpha question\n\nAbout bread.\n")
    write("b.md", "# Beta question\n\nAbout bread.\n")
    real = catalog_module.read_file

    def flaky(path: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if path.name == "b.md":  # (gone, or unreadable, between the walk and the read)
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(catalog_module, "read_file", flaky)
    with Catalog.open(content, write=True) as catalog:
        catalog.refresh()
        assert ids(catalog.search("bread", typing=False)) == ["a"]
    monkeypatch.setattr(catalog_module, "read_file", real)
    with Catalog.open(content, write=True) as catalog:
        assert catalog.refresh().changed == 1  # read again, though its file has not changed since
        assert sorted(ids(catalog.search("bread", typing=False))) == ["a", "b"]
        assert [info.title for info in catalog.infos()] == ["Alpha question", "Beta question"]


def test_a_foreign_database_with_a_meta_table_is_rebuilt(content: Path) -> None:
    path = catalog_path(content)
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as foreign:
        foreign.execute("CREATE TABLE meta(name TEXT, data BLOB)")
    with Catalog.open(content, write=True) as catalog:
        assert catalog.refresh().articles == 0
        assert catalog.complete()


def test_a_build_cut_short_resumes_where_it_stopped(
    content: Path, monkeypatch: pytest.MonkeyPatch, reads: list[Path]
) -> None:
    for number in range(7):
        (content / f"{number}.md").write_text(f"# Page {number}\n")
    monkeypatch.setattr(Catalog, "BATCH_FILES", 2)
    real = catalog_module._read_article

    def failing(path: Path, article_id: str):  # type: ignore[no-untyped-def]
        if article_id == "5":
            raise KeyboardInterrupt  # (killed)
        return real(path, article_id)

    monkeypatch.setattr(catalog_module, "_read_article", failing)
    with Catalog.open(content, write=True) as catalog, pytest.raises(KeyboardInterrupt):
        catalog.refresh()
    monkeypatch.setattr(catalog_module, "_read_article", real)
    with Catalog.open(content) as reader:
        assert reader.count() == 4  # two batches of two committed, the third rolled back
        assert [info.id for info in reader.infos()] == ["0", "1", "2", "3"]
        assert not reader.complete()
    reads.clear()
    with Catalog.open(content, write=True) as catalog:
        assert catalog.refresh() == Refreshed(7, 3, 0, 0)
        assert catalog.complete()
    assert [path.name for path in reads] == ["4.md", "5.md", "6.md"]


def test_progress_is_reported_while_walking_and_reading(write: Write, content: Path) -> None:
    for number in range(3):
        write(f"{number}.md", f"# {number}\n")
    seen: list[tuple[str, int, int]] = []
    with Catalog.open(content, write=True) as catalog:
        catalog.refresh(lambda phase, done, total: seen.append((phase, done, total)))
    assert seen[0] == ("walk", 0, 0)
    assert ("walk", 3, 0) in seen
    assert seen.index(("read", 0, 3)) < seen.index(("read", 3, 3)) == len(seen) - 1


# -- the file: created, rebuilt, left alone -----------------------------------------------------------


def test_reading_never_creates_the_index(content: Path) -> None:
    with pytest.raises(CatalogUnavailable, match="no stored index yet"):
        Catalog.open(content)
    assert not catalog_path(content).exists()


def test_an_index_from_another_revision_is_rebuilt(
    write: Write, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("a.md", "# A\n")
    with Catalog.open(content, write=True) as catalog:
        catalog.refresh()
    monkeypatch.setattr(catalog_module, "_REVISION", "another")
    with pytest.raises(CatalogUnavailable, match="another version"):
        Catalog.open(content)
    with Catalog.open(content, write=True) as catalog:
        assert not catalog.complete() and catalog.count() == 0
        assert catalog.refresh() == Refreshed(1, 1, 0, 0)
    with Catalog.open(content) as reader:
        assert reader.complete()


@pytest.mark.parametrize("garbage", [b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_a_corrupt_index_is_deleted_and_rebuilt(write: Write, content: Path, garbage: bytes) -> None:
    write("a.md", "# Alpha\n")
    path = catalog_path(content)
    path.parent.mkdir(parents=True)
    path.write_bytes(garbage)
    with pytest.raises(CatalogUnavailable):
        Catalog.open(content)
    assert path.read_bytes() == garbage  # (reading never deletes)
    with Catalog.open(content, write=True) as catalog:
        catalog.refresh()
        assert ids(catalog.search("alpha")) == ["a"]


def test_an_index_found_corrupt_while_refreshing_is_built_again(write: Write, content: Path) -> None:
    for number in range(30):
        write(f"{number}.md", f"# Page {number}\n\n" + "many words " * 100)
    with Catalog.open(content, write=True) as catalog:
        catalog.refresh()
    path = catalog_path(content)
    with path.open("r+b") as file:  # (the schema and `meta` stay readable: the pages after them do not)
        file.seek(2 * 4096)
        file.write(b"\xff" * (path.stat().st_size - 2 * 4096))
    with Catalog.open(content, write=True) as catalog:
        assert catalog.refresh() == Refreshed(30, 30, 0, 0)
        assert len(catalog.search("many", limit=100)) == 30


@pytest.mark.parametrize("kind", ["symlink", "folder", "symlinked wal"])
def test_something_else_at_the_index_path_is_left_alone(
    write: Write, content: Path, tmp_path: Path, kind: str
) -> None:
    write("a.md", "# A\n")
    path = catalog_path(content)
    path.parent.mkdir(parents=True)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    if kind == "symlink":
        path.symlink_to(precious)
    elif kind == "folder":
        path.mkdir()
    else:
        path.with_name(path.name + "-wal").symlink_to(precious)
    for write_mode in (True, False):
        with pytest.raises(CatalogUnavailable, match="left alone"):
            Catalog.open(content, write=write_mode)
    assert precious.read_text() == "keep me"
    assert path.is_symlink() or path.is_dir() or path.with_name(path.name + "-wal").is_symlink()


def test_an_unusable_cache_folder_makes_the_index_unavailable(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with pytest.raises(CatalogUnavailable, match="cache folder unusable"):
        Catalog.open(content, write=True)


def test_without_fts5_the_index_is_unavailable(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_module, "fts5_available", lambda: False)
    for write_mode in (True, False):
        with pytest.raises(CatalogUnavailable, match="FTS5"):
            Catalog.open(content, write=write_mode)
    assert not catalog_path(content).exists()


def test_fts5_is_available_here() -> None:
    assert catalog_module.fts5_available()


def test_a_reader_queries_while_a_builder_writes(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(6):
        (content / f"{number}.md").write_text(f"# Page {number}\n\nCommon words.\n")
    monkeypatch.setattr(Catalog, "BATCH_FILES", 2)
    monkeypatch.setattr(catalog_module, "PROGRESS_SECONDS", 0.0)
    seen: list[tuple[int, int, bool]] = []
    with Catalog.open(content, write=True) as builder:
        reader: Catalog | None = None

        def progress(phase: str, done: int, total: int) -> None:
            nonlocal reader
            if phase == "read" and done in (2, 4) and not any(d == done for d, _, _ in seen):
                reader = reader or Catalog.open(content)
                seen.append((done, reader.count(), reader.complete()))
                assert len(reader.search("common")) == reader.count()

        builder.refresh(progress)
    assert reader is not None
    assert [(count, complete) for _, count, complete in seen] == [(2, False), (4, False)]
    assert reader.count() == 6 and reader.complete()
    reader.close()


def test_one_builder_at_a_time(content: Path) -> None:
    lock = catalog_path(content).with_name(catalog_path(content).name + ".lock")
    with Catalog.open(content, write=True):
        fd = os.open(lock, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
        with Catalog.open(content):  # (readers take no lock)
            pass
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)


def test_the_file_is_in_wal_mode(content: Path, built) -> None:
    built()
    connection = sqlite3.connect(catalog_path(content))
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


# -- searching ----------------------------------------------------------------------------------------


def test_an_exact_title_comes_first_then_titles_starting_with_the_words(
    write: Write, content: Path, built
) -> None:
    write("amdgpu_top.md", "# amdgpu_top\n\nShows top usage for AMD cards: top, top, top.\n")
    write("anytopnm.md", "# anytopnm\n\nConverts images.\n")
    write("top-tips.md", "# Top 10 tips\n\nSome tips.\n")
    write("top.md", "# top\n\nDisplays Linux processes.\n")
    write("htop.md", "# htop\n\nAn interactive top.\n")
    catalog = built()
    assert ids(catalog.search("top", typing=False)) == ["top", "top-tips", "amdgpu_top", "htop"]
    assert ids(catalog.search("top", typing=True))[:2] == ["top", "top-tips"]


def test_headings_and_tags_weigh_more_than_body_text(write: Write, content: Path, built) -> None:
    write("body.md", "# One\n\n## Intro\n\nThe word zebra is here once, among other words of text.\n")
    write("heading.md", "# Two\n\n## About zebra\n\nOther words of text, about the same length here.\n")
    write("tag.md", "---\ntags: [zebra]\n---\n# Three\n\nOther words of text, about the same length too.\n")
    catalog = built()
    assert ids(catalog.search("zebra", typing=False)) == ["tag", "heading", "body"]


def test_musk_lawsuit_finds_the_lawsuit_article_first() -> None:
    root = bundled_content()
    with Catalog.open(root, write=True) as catalog:
        catalog.refresh()
        found = ids(catalog.search("musk lawsuit", typing=False))
    assert found.index("what-is-musk-suing-openai-over") < found.index("why-did-elon-musk-leave-openai")
    assert found[0] == "what-is-musk-suing-openai-over"


def test_phrases_and_excluded_words(write: Write, content: Path, built) -> None:
    write("phrase.md", "# A\n\nIt is open source software.\n")
    write("apart.md", "# B\n\nThe source is open to all.\n")
    write("apache.md", "# C\n\nOpen source, under the Apache license.\n")
    catalog = built()
    assert sorted(ids(catalog.search("open source"))) == ["apache", "apart", "phrase"]
    assert sorted(ids(catalog.search('"open source"'))) == ["apache", "phrase"]
    assert ids(catalog.search('"open source" -apache')) == ["phrase"]
    assert ids(catalog.search("-apache")) == []


def test_case_and_accents_are_ignored_and_the_typed_word_is_a_prefix(
    write: Write, content: Path, built
) -> None:
    write("cafe.md", "# Café culture\n\nA CAFÉ in Paris.\n")
    write("naive.md", "# Other\n\nA naïve question.\n")
    catalog = built()
    for query in ("cafe", "CAFE", "Café", "CAFÉ"):
        assert ids(catalog.search(query, typing=False)) == ["cafe"]
    assert ids(catalog.search("naive", typing=False)) == ["naive"]
    assert ids(catalog.search("caf")) == ["cafe"]
    assert ids(catalog.search("caf", typing=False)) == []
    assert ids(catalog.search("caf ")) == []


def test_a_hit_names_its_section_and_marks_the_words(write: Write, content: Path, built) -> None:
    write(
        "a.md",
        "# Title\n\nIntro text.\n\n## The part\n\n| a | b |\n|---|---|\n| **zebra** | [link](x.md) |\n",
    )
    catalog = built()
    (hit,) = catalog.search("zebra", typing=False)
    assert (hit.section_id, hit.section_title) == ("the-part", "The part")
    assert "zebra" in hit.snippet.text and "|" not in hit.snippet.text and "---" not in hit.snippet.text
    start, end = hit.snippet.marks[0]
    assert hit.snippet.text[start:end] == "zebra"
    assert hit.score > 0


def test_a_hit_whose_file_changed_is_read_again_and_one_gone_is_dropped(
    write: Write, content: Path, built
) -> None:
    changed = write("changed.md", "# Changed\n\nzebra before.\n")
    unmatched = write("unmatched.md", "# Unmatched\n\nzebra before.\n")
    gone = write("gone.md", "# Gone\n\nzebra before.\n")
    catalog = built()
    changed.write_text("# Changed\n\n## New part\n\nA zebra after the change.\n")
    unmatched.write_text("# Unmatched\n\nNo striped animal any more.\n")
    gone.unlink()
    (hit,) = catalog.search("zebra", typing=False)
    assert hit.article_id == "changed"
    assert hit.section_title == "New part" and "after the change" in hit.snippet.text


def test_nothing_to_search_finds_nothing(write: Write, content: Path, built) -> None:
    write("a.md", "# A\n\nwords\n")
    catalog = built()
    for query in ("", "   ", "-words", '""', "!!!"):
        assert catalog.search(query) == []


def test_odd_queries_are_only_text(write: Write, content: Path, built) -> None:
    write("a.md", '# A\n\nC++ and AND or NOT near(x) title:y *star* "quote\n')
    catalog = built()
    for query in ("C++", "AND", "NOT", "near(x", "title:y", "*star", '"quote', "{title}: x", "a OR b", "'"):
        catalog.search(query)  # never an FTS5 syntax error
    assert ids(catalog.search("AND", typing=False)) == ["a"]
    assert ids(catalog.search("title:y", typing=False)) == ["a"]


def test_odd_characters_in_a_query_never_break_the_search(write: Write, content: Path, built) -> None:
    write("a.md", "# Private \U0010ffff use\n\nText \ud7fb.\n")
    catalog = built()
    for query in ("\U0010ffff", "\ud7fb", "\udcff", "a\x00b", "\u0301", "🙂", "x" * 1000):
        catalog.search(query)
    assert catalog_module._after("ab") == "ac"
    assert catalog_module._after("a\ud7ff") == "a\ue000"
    assert catalog_module._after("a\U0010ffff") == "a\U0010ffff\U0010ffff"


def test_a_broad_query_ranks_titles_first(content: Path, built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_module, "RANKED", 3)  # (more matches than this: a broad query)
    for number in range(6):
        (content / f"{number}.md").write_text(f"# Page {number}\n\nCommon words, common text.\n")
    (content / "common.md").write_text("# Common\n\nText.\n")
    (content / "heading.md").write_text("# Other\n\n## Common ground\n\nText.\n")
    catalog = built()
    found = ids(catalog.search("common", typing=False))
    assert found[:2] == ["common", "heading"]
    assert found[2:] == ["0", "1", "2", "3"]  # (the first matches found in their body only)
    assert ids(catalog.search("common", limit=3, typing=False)) == ["common", "heading", "0"]


def test_search_from_the_command_line_finds_the_best_of_a_broad_query_not_the_first(
    content: Path, built, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_module, "RANKED", 3)
    for number in range(8):  # (found first: weak matches, one word among many in a long title)
        words = " ".join(f"filler{n}" for n in range(30))
        (content / f"n{number}.md").write_text(f"# Note {number} about {words} common\n\nText.\n")
    (content / "zz.md").write_text("---\ntags: [common]\n---\n# The common case\n\n## Common\n\nText.\n")
    catalog = built()
    assert ids(catalog.search("common", limit=3, typing=False))[0] == "zz"


def test_a_broad_query_checks_its_title_matches_against_excluded_words_and_tags(
    content: Path, built, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_module, "RANKED", 2)
    for number in range(4):
        (content / f"{number}.md").write_text(f"# Page {number}\n\nCommon words.\n")
    (content / "a.md").write_text("# Common ground\n\nWith a zebra.\n")
    (content / "b.md").write_text("---\ntags: [common]\n---\n# Common sense\n\nText.\n")
    (content / "c.md").write_text("# Common\n\nText.\n")
    catalog = built()
    assert ids(catalog.search("common -zebra", typing=False))[:2] == ["c", "b"]
    assert "a" not in ids(catalog.search("common -zebra", typing=False))
    assert ids(catalog.search("#common", typing=False)) == ["b"]
    assert ids(catalog.search("common phrase", typing=False)) == []


def test_search_is_limited(content: Path, built) -> None:
    for number in range(12):
        (content / f"{number:02}.md").write_text(f"# Page {number}\n\nsame words\n")
    catalog = built()
    assert len(catalog.search("same", limit=5)) == 5
    assert ids(catalog.search("page", typing=False)) == [
        f"{number:02}" for number in (0, 1, 10, 11, *range(2, 10))
    ]


def test_a_read_only_index_cannot_be_refreshed(write: Write, content: Path, built) -> None:
    write("a.md", "# A\n")
    built()
    with Catalog.open(content) as reader, pytest.raises(CatalogUnavailable):
        reader.refresh()
