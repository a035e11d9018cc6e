"""Library on a stored index (catalog.py): one row at a time until the list is needed, the list in one go,
and ArticleInfo.at's lazy path; plus `scan(limit)` for a folder too big to list before the first paint."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tui.articles import ArticleInfo, Library
from tui.articles.catalog import Catalog, CatalogUnavailable


@pytest.fixture
def folder(write: Callable[[str, str], Path], content: Path) -> Path:
    write("b.md", "---\ntitle: Bee\norder: 2\naliases: [insect]\n---\nSee [[a]] and ![[pic.png]].\n")
    write("a.md", "# Ay\n\nText.\n")
    write("sub/c.md", "# Sea\n\nMore text.\n")
    write(".hidden/d.md", "# Hidden\n")
    (content / "pic.png").write_bytes(b"\x89PNG")
    (content / "loop").symlink_to(content)
    return content


@pytest.fixture
def catalog(folder: Path, tmp_path: Path) -> Iterator[Catalog]:
    stored = Catalog.open(folder, tmp_path / "index.sqlite3", write=True)
    stored.refresh()
    yield stored
    stored.close()


class Counting:
    """A catalog that counts the calls of its list methods (the wrapped one does the work)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> object:
        self.calls.append(name)
        return getattr(self.catalog, name)


# -- ArticleInfo.at -----------------------------------------------------------------------------------


def test_at_builds_the_path_on_first_use_and_equals_an_eager_entry(tmp_path: Path) -> None:
    lazy = ArticleInfo.at(str(tmp_path), "sub/c", "Sea", 2.0, ("see",))
    assert "path" not in vars(lazy)
    eager = ArticleInfo("sub/c", "Sea", tmp_path / "sub" / "c.md", 2.0, ("see",))
    assert lazy == eager and hash(lazy) == hash(eager) and len({lazy, eager}) == 1
    assert lazy.path == tmp_path / "sub/c.md" and lazy.path is lazy.path
    assert repr(lazy) == repr(eager)
    with pytest.raises(dataclasses.FrozenInstanceError):
        lazy.title = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        _ = lazy.nothing  # type: ignore[attr-defined]


def test_replace_of_a_lazy_entry_keeps_its_path(tmp_path: Path) -> None:
    lazy = ArticleInfo.at(str(tmp_path), ".", "Dot")  # tldr's `..md`
    renamed = dataclasses.replace(lazy, title="The dot")
    assert renamed.title == "The dot" and renamed.path == tmp_path / "..md" and renamed.id == "."
    assert ArticleInfo.at(str(tmp_path), "x", "X") != ArticleInfo.at(str(tmp_path / "o"), "x", "X")


# -- on a catalog -------------------------------------------------------------------------------------


def test_info_asks_the_catalog_for_one_row_without_loading_the_list(folder: Path, catalog: Catalog) -> None:
    counting = Counting(catalog)
    library = Library(folder, catalog=counting)  # type: ignore[arg-type]
    info = library.info("b")
    assert info is not None and (info.title, info.order, info.aliases) == ("Bee", 2.0, ("insect",))
    assert info.path == folder / "b.md"
    assert library.info("nope") is None and library.info(".hidden/d") is None
    assert library.info("b") is info and counting.calls.count("info") == 3  # (each asked once)
    assert not library.loaded and "infos" not in counting.calls


def test_the_list_from_the_catalog_is_the_list_a_scan_makes(folder: Path, catalog: Catalog) -> None:
    scanned = Library(folder)
    stored = Library(folder, catalog=catalog)
    assert stored.infos == scanned.infos and [i.id for i in stored.infos] == ["b", "a", "sub/c"]
    assert len(stored) == 3 and stored.loaded
    assert [str(p) for p in stored.problems] == [str(p) for p in scanned.problems]
    assert any("symlink loop" in str(p) for p in stored.problems)
    # wikilink names come from the loaded list and the other files
    assert stored.find_page("insect") == "b" and stored.find_page("C") == "sub/c"
    assert stored.find_file("pic.png") == Path(folder, "pic.png").absolute()


def test_a_file_added_since_the_refresh_is_found_by_its_file(
    folder: Path, catalog: Catalog, write: Callable[[str, str], Path]
) -> None:
    write("new.md", "# New\n")
    library = Library(folder, catalog=catalog)
    info = library.info("new")
    assert info is not None and info.title == "New" and not library.loaded


def test_a_parse_retitles_an_entry_looked_up_before_the_list(folder: Path, catalog: Catalog) -> None:
    library = Library(folder, catalog=catalog)
    article = library.article("b")
    assert article is not None
    library._remember(dataclasses.replace(article, title="Bee, parsed"), (0, 0))
    info = library.info("b")
    assert info is not None and info.title == "Bee, parsed"


def test_the_list_loads_on_a_thread_while_info_is_asked(folder: Path, catalog: Catalog) -> None:
    library = Library(folder, catalog=catalog)
    wrong: list[object] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            for article_id in ("a", "b", "sub/c"):
                info = library.info(article_id)
                if info is None or info.id != article_id:
                    wrong.append(info)

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        for _ in range(30):
            library.load_from_catalog()
    finally:
        stop.set()
        asker.join()
    assert wrong == [] and library.loaded


def test_a_catalog_gone_bad_falls_back_to_the_folder(
    folder: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise CatalogUnavailable("database disk image is malformed")

    monkeypatch.setattr(catalog, "infos", broken)
    monkeypatch.setattr(catalog, "info", broken)
    library = Library(folder, catalog=catalog)
    info = library.info("a")
    assert info is not None and info.title == "Ay"
    assert [i.id for i in library.infos] == ["b", "a", "sub/c"] and library.catalog is None


def test_check_lists_from_the_catalog(
    folder: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library(folder, catalog=catalog)
    monkeypatch.setattr(Library, "scan", lambda *_: pytest.fail("walked the folder"))
    problems = [str(problem) for problem in library.check()]
    assert any("symlink loop" in problem for problem in problems)


# -- scan(limit) --------------------------------------------------------------------------------------


def test_a_folder_over_the_limit_is_not_listed_and_articles_are_read_one_by_one(folder: Path) -> None:
    library = Library(folder)
    assert library.scan(limit=2) == [] and library.too_many and not library.loaded
    info = library.info("sub/c")
    assert info is not None and info.title == "Sea" and not library.loaded
    for unlisted in (".hidden/d", "nope", "sub/", "../content/a", "sub/../a"):
        assert library.info(unlisted) is None
    assert [i.id for i in library.infos] == ["b", "a", "sub/c"]  # a full scan when the list is asked for
    assert not library.too_many


def test_a_folder_within_the_limit_is_listed(folder: Path) -> None:
    library = Library(folder)
    assert [i.id for i in library.scan(limit=3)] == ["b", "a", "sub/c"]
    assert library.loaded and not library.too_many
