"""The article parser: front matter, titles, sections and slugs, footnotes, comparisons, problems."""

from __future__ import annotations

from pathlib import Path

from tui.articles.model import Heading, ListBlock, Paragraph, Table, plain
from tui.articles.parse import parse_file, parse_text
from tui.articles.text import legacy_section_ids, section_ids

P = Path("x.md")


def parse(text: str, name: str = "x") -> object:
    return parse_text(text, Path(f"{name}.md"), name)


def test_front_matter_fields_are_read_and_unknown_keys_kept() -> None:
    article = parse(
        "---\ntitle: Why?\nsummary: Because.\ntags: [a, b]\nrelated: [other]\norder: 2\nmood: calm\n---\n\nBody\n"
    )
    assert article.title == "Why?"
    assert article.summary == "Because."
    assert article.tags == ("a", "b")
    assert article.related == ("other",)
    assert article.order == 2
    assert article.front["mood"] == "calm"
    assert article.problems == ()


def test_title_falls_back_to_first_h1_then_file_name() -> None:
    assert parse("Intro\n\n# The real title\n\n## Part\n").title == "The real title"
    assert parse("## Only a part\n\ntext\n", name="my_notes-on-x").title == "My notes on x"


def test_sections_get_stable_slugs_and_duplicates_are_numbered_as_on_github() -> None:
    article = parse("# T\n\n## Intro\n\n## Intro\n\n### Why: now?\n\n## Intro\n")
    assert [s.id for s in article.sections] == ["t", "intro", "intro-1", "why-now", "intro-2"]
    assert [s.level for s in article.sections] == [1, 2, 2, 3, 2]


def test_duplicate_ids_skip_numbers_a_heading_already_took_like_github_slugger() -> None:
    # github-slugger: "Same", "Same-1", "Same" -> same, same-1, same-2; "A-1", "A", "A" -> a-1, a, a-2
    titles = ["Same", "Same-1", "Same", "A-1", "A", "A", "A-2"]
    assert section_ids(titles) == ["same", "same-1", "same-2", "a-1", "a", "a-2", "a-2-1"]
    article = parse("".join(f"## {title}\n\n" for title in titles))
    assert [s.id for s in article.sections] == section_ids(titles)


def test_section_ids_are_unique_even_when_titles_collide_with_numbered_ones() -> None:
    titles = ["X", "X", "X-1", "X-1", "X", "X-2-1", "X-2"]
    ids = section_ids(titles)
    assert len(set(ids)) == len(ids)
    assert ids[:2] == ["x", "x-1"]


def test_legacy_section_ids_are_the_ids_the_previous_release_gave() -> None:
    titles = ["T", "Intro", "Intro", "Why: now?", "Intro", "Intro-2"]
    assert legacy_section_ids(titles) == ["t", "intro", "intro-2", "why-now", "intro-3", "intro-2-2"]
    assert section_ids(titles) == ["t", "intro", "intro-1", "why-now", "intro-2", "intro-2-1"]
    assert legacy_section_ids([]) == section_ids([]) == []
    assert legacy_section_ids(["A-2", "A", "A"]) == ["a-2", "a", "a-2-x"]
    assert section_ids(["A-2", "A", "A"]) == ["a-2", "a", "a-1"]


def test_parses_cached_with_the_old_section_ids_are_parsed_again(tmp_path: Path, monkeypatch) -> None:
    import dataclasses
    import hashlib

    from tui import __version__
    from tui.articles import cache

    fields = repr([(name, [f.name for f in dataclasses.fields(cls)]) for name, cls in cache._TYPES.items()])
    previous_format = hashlib.sha1((__version__ + fields).encode()).hexdigest()[:12]
    source = tmp_path / "a.md"
    source.write_text("## Intro\n\n## Intro\n")
    stamp = (source.stat().st_mtime_ns, source.stat().st_size)
    store = cache.ArticleCache(tmp_path / "cache")
    old = parse_file(source, "a")
    old = dataclasses.replace(old, sections=tuple(dataclasses.replace(s, id="intro-2") for s in old.sections))
    monkeypatch.setattr(cache, "FORMAT", previous_format)
    store.save(old, stamp)  # as the previous release wrote it
    assert store.load(source, stamp, "a") is not None
    monkeypatch.undo()
    assert store.load(source, stamp, "a") is None


def test_section_ids_match_the_parsers_ids_for_its_section_titles() -> None:
    article = parse("# T\n\n## *Q* & A\n\n## Q & A\n\n## \n\n## \n\nSetext\n---\n\n## Setext\n")
    titles = [s.title for s in article.sections]
    assert section_ids(titles) == [s.id for s in article.sections]
    assert len(set(section_ids(titles))) == len(titles)


def test_footnotes_are_numbered_by_first_reference_and_record_citing_sections() -> None:
    article = parse(
        "## One\n\nA[^zeta] B[^alpha]\n\n## Two\n\nC[^zeta]\n\n[^alpha]: Alpha note.\n[^zeta]: Zeta **note**.\n"
    )
    assert [(n.number, n.label, n.text) for n in article.footnotes] == [
        (1, "zeta", "Zeta note."),
        (2, "alpha", "Alpha note."),
    ]
    assert article.footnotes[0].cited_in == ("one", "two")
    assert article.sections[0].notes == (1, 2)
    assert article.sections[1].notes == (1,)
    paragraph = article.blocks[1]
    assert isinstance(paragraph, Paragraph)
    assert plain(paragraph.inline) == "A[1] B[2]"
    assert [span.note for span in paragraph.inline if span.note] == [1, 2]


def test_undefined_and_uncited_footnotes_are_problems_and_never_raw() -> None:
    article = parse("Text[^missing].\n\n[^lonely]: Never cited.\n")
    reasons = [p.reason for p in article.problems]
    assert "footnote reference [^missing] has no definition" in reasons
    assert "footnote [^lonely] is defined but never cited" in reasons
    assert "[^missing]" not in plain(article.blocks[0].inline)


def test_comparison_from_vs_section_with_bold_aspects() -> None:
    article = parse(
        """## OpenAI vs. xAI: how they differ

### OpenAI
- **Focus:** LLMs for everyone
- **Openness:** API only

### xAI
- **Focus:** truth-seeking
- **Openness:** Grok-1 weights
"""
    )
    [comparison] = article.comparisons
    assert comparison.sides == ("OpenAI", "xAI")
    assert comparison.kind == "sections"
    assert comparison.section_id == "openai-vs-xai-how-they-differ"
    assert [row.aspect for row in comparison.rows] == ["Focus", "Openness"]
    assert plain(comparison.rows[0].cells[1]) == "truth-seeking"
    assert article.problems == ()


def test_comparison_aspects_fall_back_to_position_and_uneven_lists_leave_blanks() -> None:
    article = parse("## A versus B\n\n### A\n- one\n- two\n- three\n\n### B\n- uno\n")
    [comparison] = article.comparisons
    assert [row.aspect for row in comparison.rows] == ["1", "2", "3"]
    assert comparison.rows[2].cells[1] == ()
    assert any("says nothing on 2, 3" in p.reason for p in article.problems)


def test_comparison_sides_that_do_not_match_are_problems() -> None:
    article = parse("## Cats vs Dogs\n\n### Cats\n- **Sleep:** a lot\n\n### Birds\n- **Sleep:** little\n")
    reasons = [p.reason for p in article.problems]
    assert any("no sub-section for side 'Dogs'" in r for r in reasons)
    assert any("sub-section 'Birds' names no side" in r for r in reasons)


def test_a_vs_heading_without_side_sections_is_just_a_section() -> None:
    article = parse("## Closed vs open source\n\nSome prose.\n\n### Musk's case\n\ntext\n")
    assert article.comparisons == ()
    assert article.problems == ()


def test_comparison_from_aspect_table_with_three_sides_and_ragged_rows() -> None:
    article = parse(
        "## Models\n\n| Aspect | GPT-3 | Grok-1 | Whisper |\n|---|---|---|---|\n| Weights | closed | open |\n| Licence | - | Apache | MIT | extra |\n"
    )
    [comparison] = article.comparisons
    assert comparison.kind == "table"
    assert comparison.title == "Models"
    assert comparison.sides == ("GPT-3", "Grok-1", "Whisper")
    assert comparison.rows[0].cells[2] == ()
    assert plain(comparison.rows[1].cells[2]) == "MIT"
    table = article.blocks[1]
    assert isinstance(table, Table) and all(len(row) == 4 for row in table.rows)


def test_an_ordinary_table_is_not_a_comparison() -> None:
    assert parse("| Model | Year |\n|---|---|\n| GPT-2 | 2019 |\n").comparisons == ()


def test_bad_front_matter_is_a_problem_and_the_body_still_reads() -> None:
    broken = parse("---\ntitle: [unclosed\n---\n# Fine title\n\nBody\n")
    assert broken.title == "Fine title"
    assert "invalid YAML front matter" in broken.problems[0].reason
    listed = parse("---\n- a\n- b\n---\n\nBody\n")
    assert "front matter is a list, not a mapping" in listed.problems[0].reason


def test_links_inline_styles_and_lists_are_kept() -> None:
    article = parse("See [the other](other.md) and **bold *both*** `code`.\n\n1. one\n2. two\n")
    paragraph = article.blocks[0]
    assert article.links == ("other.md",)
    assert [s.link for s in paragraph.inline if s.link] == ["other.md"]
    assert any(s.style == "bold italic" for s in paragraph.inline)
    assert isinstance(article.blocks[1], ListBlock) and article.blocks[1].ordered


def test_control_characters_never_survive_parsing(tmp_path: Path) -> None:
    path = tmp_path / "evil.md"
    path.write_bytes(b"# Title\x1b]0;pwned\x07\n\nText \x1b[31mred\x1b[0m\n")
    article = parse_file(path, "evil")
    assert "\x1b" not in article.title and "\x07" not in article.title
    assert all("\x1b" not in plain(b.inline) for b in article.blocks if isinstance(b, Paragraph | Heading))


def test_binary_and_non_utf8_files_are_problems_not_exceptions(tmp_path: Path) -> None:
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\x00\x01\x02garbage")
    assert "binary file" in parse_file(binary, "bin").problems[0].reason
    latin = tmp_path / "latin.md"
    latin.write_bytes("# Caf\xe9\n".encode("latin-1"))
    article = parse_file(latin, "latin")
    assert article.title == "Caf\ufffd"
    assert "not valid UTF-8" in article.problems[0].reason
