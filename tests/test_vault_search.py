"""Search over note vaults: tags (front matter and #inline) are found, comments are not, and a wikilink is
found by the words it shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tui.articles import Library
from tui.articles.search import SearchIndex


def _index(content: Path) -> SearchIndex:
    return SearchIndex.build(Library(content))


def test_front_matter_tags_in_every_yaml_form_are_searchable(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write("a.md", "---\ntags: [garden, 'compost']\n---\n# A\n\nText.\n")
    write("b.md", "---\ntags:\n  - compost\n  - '#soil'\n---\n# B\n\nText.\n")
    write("c.md", "---\ntags: soil, worms\n---\n# C\n\nText.\n")
    write("d.md", "# D\n\nNo tags but the word compost is not here.\n")
    index = _index(content)
    assert {hit.article_id for hit in index.search("#compost")} == {"a", "b"}
    assert {hit.article_id for hit in index.search("#soil")} == {"b", "c"}
    assert [hit.article_id for hit in index.search("#worms")] == ["c"]


def test_inline_tags_are_searchable_with_their_hash(write: Callable[[str, str], Path], content: Path) -> None:
    write("a.md", "# A\n\nA note about #linux and shells.\n")
    write("b.md", "# B\n\nLinux without a tag.\n")
    index = _index(content)
    assert [hit.article_id for hit in index.search("#linux")] == ["a"]
    assert {hit.article_id for hit in index.search("linux")} == {"a", "b"}


def test_comments_are_never_found(write: Callable[[str, str], Path], content: Path) -> None:
    write("a.md", "# A\n\nShown text %%a secret remark%% more.\n\n%%\nblock secret\n%%\n")
    index = _index(content)
    assert index.search("secret") == []
    assert [hit.article_id for hit in index.search("shown")] == ["a"]


def test_a_wikilink_is_found_by_its_alias_and_its_snippet_reads_plainly(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write("a.md", "# A\n\nSee [[projects/Garden plan|the plan for spring]] today.\n")
    hits = _index(content).search("spring")
    assert [hit.article_id for hit in hits] == ["a"]
    assert "the plan for spring" in hits[0].snippet.text
    assert "[[" not in hits[0].snippet.text and "|" not in hits[0].snippet.text


def test_section_ids_agree_with_the_reader_for_vault_headings(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write(
        "a.md",
        "# A\n\n## Intro\n\n%%\n## Intro\nhidden draft\n%%\n\n## Logo ![[logo.png|200]]\n\n"
        "## `%%x%%` title\n\n## See [[P|alias]]\n\nText [[ with no end\n",
    )
    library = Library(content)
    sections = [s.id for s in library.article("a").sections]  # type: ignore[union-attr]
    index = _index(content)
    assert [s.section_id for s in index.articles[0].sections if s.section_id] == sections
    assert index.search("hidden draft") == []


def test_a_tag_can_be_typed_as_a_prefix_and_excluded(
    write: Callable[[str, str], Path], content: Path
) -> None:
    write("a.md", "---\ntags: [gardening]\n---\n# A\n\nSoil.\n")
    write("b.md", "# B\n\nSoil, and a #garden/roses note.\n")
    index = _index(content)
    assert {hit.article_id for hit in index.search("#gard")} == {"a", "b"}
    assert [hit.article_id for hit in index.search("#garden/roses")] == ["b"]
    assert [hit.article_id for hit in index.search("soil -#gardening")] == ["b"]
