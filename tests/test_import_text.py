"""`qa-reader import` of a Q&A page saved as plain text (tui/importer/text.py): the issue's example, its
variants (line ends, spaces, bullets, no blank lines), notes, Further Discussion links, escaping, refusals,
and a property: any text is refused or gives an article that `check` finds clean and that keeps every
word of the page."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.articles import Library
from tui.articles.model import Article, Block, Heading, ListBlock, Paragraph, plain
from tui.articles.query import fold, tokens
from tui.articles.text import clean
from tui.importer import Imported, ImportProblem
from tui.importer.text import from_text, known_key

# The page of issue 16, section 1, verbatim.
EXAMPLE = """\
Is tea better than coffee for focus?

12 views
Tea has less caffeine than coffee and adds L-theanine, which many find gives calmer focus.
Feedback 3 likes

Is tea better than coffee for focus: Key Differences

An intro paragraph that repeats the question in other words.

Caffeine and Focus

Coffee holds about twice the caffeine of black tea per cup. [1] More text.

Tea vs. Coffee: How They Differ

The two drinks take different routes to alertness.

Tea

- Gentler rise in alertness

- Contains L-theanine

Coffee

- Faster, stronger effect

- More caffeine per cup

A closing paragraph.

Lessons Learned

Moderation Matters

A paragraph.

Further Discussion

Does tea stain teeth more than coffee?

An answer paragraph.[2]

Notes

  • [1] Mayo - Caffeine content for coffee, tea, soda and more.
  • [2] Healthline - Tea and tooth staining.
"""
STEM = "is-tea-better-than-coffee-for-focus"
SECTIONS = [
    ("Is tea better than coffee for focus: Key Differences", 2),
    ("Caffeine and Focus", 2),
    ("Tea vs Coffee: How They Differ", 2),
    ("Tea", 3),
    ("Coffee", 3),
    ("Lessons Learned", 2),
    ("Moderation Matters", 3),
    ("Further Discussion", 2),
    ("Does tea stain teeth more than coffee?", 3),
]
DROPPED = re.compile(
    r"(?:feedback\s*[·|]?\s*)?\d[\d,.]*[kKmM]?\s+(?:views?|likes?)|feedback|(?:notes|references|sources|footnotes|citations):?",
    re.IGNORECASE,
)
"""The lines the importer may drop: the view and like lines (their numbers go to front matter), `Feedback`,
and a Notes heading whose notes all became footnotes (the reader heads them itself)."""


def save(folder: Path, imported: Imported) -> Article:
    """Write an imported article as the CLI would, and read it back."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / imported.folder / f"{imported.stem}.md").write_text(imported.markdown, encoding="utf-8")
    article = Library(folder).article(imported.stem)
    assert article is not None
    return article


def check_command(folder: Path) -> None:
    """`qa-reader check` on the folder: exit 0, nothing on stdout."""
    result = subprocess.run(
        [sys.executable, "-m", "tui", "check", "--content", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def problems(folder: Path) -> list[str]:
    return [problem.reason for problem in Library(folder).check()]


def section_blocks(article: Article, title: str) -> list[Block]:
    """The blocks of a section, up to the next heading (of any level)."""
    section = next(section for section in article.sections if section.title == title)
    blocks = []
    for block in article.blocks[section.block + 1 :]:
        if isinstance(block, Heading):
            break
        blocks.append(block)
    return blocks


def texts(blocks: list[Block]) -> list[str]:
    """The plain text of paragraphs, and of each list item, in order."""
    found: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            found.append(plain(block.inline))
        elif isinstance(block, ListBlock):
            for item in block.items:
                found.extend(texts(list(item.blocks)))
    return found


def all_text(article: Article) -> str:
    """Every word the reader shows: title, summary, counts, blocks (list numbers too) and notes."""
    parts = [article.title, article.summary]
    parts += [str(value) for key, value in article.front.items() if key.startswith("source_")]

    def walk(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph | Heading):
                parts.append(plain(block.inline))
            elif isinstance(block, ListBlock):
                for number, item in enumerate(block.items, block.start):
                    if block.ordered:
                        parts.append(str(number))
                    walk(item.blocks)

    walk(article.blocks)
    for note in article.footnotes:
        parts += [note.label, note.text]
    return "\n".join(parts)


def words_kept(page: str, article: Article) -> set[str]:
    """The words of the page that the article lacks: empty when none is lost. (Less the lines it drops, and
    with control characters gone, as the reader drops them.)"""
    lines = [line for line in clean(page).split("\n") if not DROPPED.fullmatch(" ".join(line.split()))]
    # (`versus` is written `vs` in a comparison's heading)
    return set(tokens("\n".join(lines))) - set(tokens(all_text(article))) - {"versus"}


# -- the issue's example ------------------------------------------------------------------------------------


def test_the_example_page_becomes_the_article_the_issue_describes(tmp_path: Path) -> None:
    imported = from_text(EXAMPLE)
    assert (imported.title, imported.stem, imported.folder) == (EXAMPLE.splitlines()[0], STEM, "")
    head, body = imported.markdown.split("\n---\n", 1)
    assert not body.lstrip().startswith("# ")  # the title is in front matter only
    for dropped in ("12 views", "Feedback", "likes"):
        assert dropped not in body
    article = save(tmp_path, imported)
    assert article.title == "Is tea better than coffee for focus?"
    assert article.summary == (
        "Tea has less caffeine than coffee and adds L-theanine, which many find gives calmer focus."
    )
    assert article.front["source_views"] == 12 and article.front["source_likes"] == 3
    assert article.front["imported_from"] == "text"
    assert "related" not in article.front
    assert [(section.title, section.level) for section in article.sections] == SECTIONS
    assert texts(section_blocks(article, SECTIONS[0][0])) == [
        "An intro paragraph that repeats the question in other words."
    ]

    # the comparison: side by side, rows by position; the closing paragraph stays in the vs section
    (comparison,) = article.comparisons
    assert comparison.sides == ("Tea", "Coffee")
    assert comparison.title == "Tea vs Coffee: How They Differ"
    rows = [(row.aspect, [plain(cell) for cell in row.cells]) for row in comparison.rows]
    assert rows == [
        ("1", ["Gentler rise in alertness", "Faster, stronger effect"]),
        ("2", ["Contains L-theanine", "More caffeine per cup"]),
    ]
    assert texts(section_blocks(article, "Tea vs Coffee: How They Differ")) == [
        "The two drinks take different routes to alertness.",
        "A closing paragraph.",
    ]
    assert texts(section_blocks(article, "Coffee")) == ["Faster, stronger effect", "More caffeine per cup"]

    # the notes: footnotes cited where the page cited them; the Notes heading is gone
    assert [(note.label, note.text) for note in article.footnotes] == [
        ("1", "Mayo - Caffeine content for coffee, tea, soda and more."),
        ("2", "Healthline - Tea and tooth staining."),
    ]
    assert article.footnotes[0].cited_in == ("caffeine-and-focus",)
    assert texts(section_blocks(article, "Caffeine and Focus")) == [
        "Coffee holds about twice the caffeine of black tea per cup. [1] More text."
    ]

    # Further Discussion: the question is a sub-section holding its answer
    assert texts(section_blocks(article, "Does tea stain teeth more than coffee?")) == [
        "An answer paragraph.[2]"
    ]
    assert article.footnotes[1].cited_in == ("does-tea-stain-teeth-more-than-coffee",)
    assert section_blocks(article, "Further Discussion") == []
    assert texts(section_blocks(article, "Moderation Matters")) == ["A paragraph."]
    assert imported.notes == []
    assert words_kept(EXAMPLE, article) == set()
    check_command(tmp_path)


def _no_blank_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if line.strip()) + "\n"


VARIANTS = {
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "nbsp": lambda text: text.replace(" ", "\u00a0"),
    "tabs and trailing spaces": lambda text: "\n".join(f"\t{line}  \t" for line in text.splitlines()),
    "indented": lambda text: "\n".join("   " + line for line in text.splitlines()),
    "bullets •": lambda text: re.sub("^- ", "• ", text, flags=re.MULTILINE),
    "bullets ·": lambda text: re.sub("^- ", "·", text, flags=re.MULTILINE),
    "bullets *": lambda text: re.sub("^- ", "* ", text, flags=re.MULTILINE),
    "bullets –": lambda text: re.sub("^- ", "– ", text, flags=re.MULTILINE),
    "notes without bullets": lambda text: text.replace("  • [", "["),
    "no blank lines": _no_blank_lines,
    "blank lines doubled": lambda text: text.replace("\n\n", "\n\n\n"),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_of_the_page_give_the_same_article(variant: str, tmp_path: Path) -> None:
    text = VARIANTS[variant](EXAMPLE)
    assert text != EXAMPLE
    imported = from_text(text)
    assert imported.markdown == from_text(EXAMPLE).markdown
    save(tmp_path, imported)
    assert problems(tmp_path) == []


FULLER = """\
What are the health benefits of green tea?
1.2K views
green tea is rich in antioxidants called catechins,
which may lower the risk of heart disease [1][2].
Feedback · 14 likes
What are the health benefits of green tea: An Overview
Green tea has been drunk in China for thousands of years.
Heart Health
Several studies link green tea with lower LDL cholesterol [1]. The effect is modest.
Green Tea vs. Black Tea: Which Is Healthier?
Both come from Camellia sinensis; the difference is processing.
Green Tea
• Processing: Steamed or pan-fired, not oxidised
• Caffeine: 20–45 mg per cup
Black Tea
• Caffeine: 40–70 mg per cup
• Processing: Fully oxidised
In short, both are healthy choices.
How Much Should You Drink?
Most studies used 3–5 cups a day. See https://www.nccih.nih.gov/health/green-tea for more.
1. Start with one cup a day
2. Stop 6 hours before bed
Lessons Learned
Moderation Matters
Even healthy drinks can cause problems in excess [3].
Quality Counts
Choose loose-leaf tea from trusted sources.
Related questions
Does green tea help you lose weight?
The effect is small: about 1 kg over 12 weeks in some trials [2].
Is it safe to drink green tea every day?
For most adults, yes.
Sources
[1] Mayo Clinic - Green tea: benefits and risks. https://www.mayoclinic.org/green-tea
[2] Healthline - 10 Evidence-Based Benefits of Green Tea.
[4] WebMD - Green tea overview.
"""


def test_a_fuller_page_without_blank_lines(tmp_path: Path) -> None:
    imported = from_text(FULLER)
    assert imported.notes == [
        "reference [3] has no note; kept as text",
        "note [4] is cited nowhere in the text; kept in a list under Notes",
    ]
    article = save(tmp_path, imported)
    assert article.summary == (
        "green tea is rich in antioxidants called catechins, which may lower the risk of heart disease [1][2]."
    )
    assert (article.front["source_views"], article.front["source_likes"]) == (1200, 14)
    assert [(section.title, section.level) for section in article.sections] == [
        ("What are the health benefits of green tea: An Overview", 2),
        ("Heart Health", 2),
        ("Green Tea vs Black Tea: Which Is Healthier?", 2),
        ("Green Tea", 3),
        ("Black Tea", 3),
        ("How Much Should You Drink?", 2),
        ("Lessons Learned", 2),
        ("Moderation Matters", 3),
        ("Quality Counts", 3),  # one more sub-heading of Lessons Learned
        ("Related questions", 2),
        ("Does green tea help you lose weight?", 3),
        ("Is it safe to drink green tea every day?", 3),
        ("Sources", 2),  # for the note nobody cites
    ]
    (comparison,) = article.comparisons
    rows = {row.aspect: [plain(cell) for cell in row.cells] for row in comparison.rows}
    assert rows == {
        "Processing": ["Steamed or pan-fired, not oxidised", "Fully oxidised"],
        "Caffeine": ["20–45 mg per cup", "40–70 mg per cup"],
    }
    assert texts(section_blocks(article, "Green Tea vs Black Tea: Which Is Healthier?")) == [
        "Both come from Camellia sinensis; the difference is processing.",
        "In short, both are healthy choices.",
    ]
    assert "https://www.nccih.nih.gov/health/green-tea" in article.links
    assert [(note.label, note.text) for note in article.footnotes] == [
        ("1", "Mayo Clinic - Green tea: benefits and risks. https://www.mayoclinic.org/green-tea"),
        ("2", "Healthline - 10 Evidence-Based Benefits of Green Tea."),
    ]
    assert texts(section_blocks(article, "Sources")) == ["[4] WebMD - Green tea overview."]
    assert texts(section_blocks(article, "Quality Counts")) == ["Choose loose-leaf tea from trusted sources."]
    assert words_kept(FULLER, article) == set()
    check_command(tmp_path)


def test_numbered_items_keep_their_numbers(tmp_path: Path) -> None:
    page = (
        "How do I brew tea?\n\nSteps\n\n1. Boil water\n2) Warm the pot\n4. Steep\n\nFour minutes is enough.\n"
    )
    article = save(tmp_path, from_text(page))
    lists = [block for block in article.blocks if isinstance(block, ListBlock)]
    assert [(block.ordered, block.start, texts([block])) for block in lists] == [
        (True, 1, ["Boil water", "Warm the pot"]),
        (True, 4, ["Steep"]),
    ]
    assert problems(tmp_path) == []


def test_wrapped_lines_are_joined_and_a_bulleted_list_stays_one_list(tmp_path: Path) -> None:
    page = (
        "Why steep green tea cooler?\n\nBoiling water\nmakes it bitter.\n\nSigns\n\n"
        "• Bitter taste\n\n• Dark colour\n  that lasts\n• Dry mouth\n"
    )
    article = save(tmp_path, from_text(page))
    assert article.summary == "Boiling water makes it bitter."
    (listed,) = [block for block in article.blocks if isinstance(block, ListBlock)]
    assert texts([listed]) == ["Bitter taste", "Dark colour that lasts", "Dry mouth"]
    assert [section.title for section in article.sections] == ["Signs"]


# -- notes ----------------------------------------------------------------------------------------------------


def test_a_page_with_no_notes_keeps_its_reference_as_text(tmp_path: Path) -> None:
    page = "Does tea help sleep?\n\nNot really.\n\nCaffeine\n\nTea has caffeine [1] and *theanine*.\n"
    imported = from_text(page)
    assert "\\[1\\]" in imported.markdown and "[^" not in imported.markdown
    assert imported.notes == ["reference [1] has no note; kept as text"]
    article = save(tmp_path, imported)
    assert article.footnotes == ()
    assert texts(section_blocks(article, "Caffeine")) == ["Tea has caffeine [1] and *theanine*."]
    check_command(tmp_path)


def test_a_reference_with_no_note_and_a_note_nobody_cites(tmp_path: Path) -> None:
    page = (
        "Is green tea healthy?\n\nMostly, yes.\n\nEvidence\n\nStudies agree [1]. Others differ [3].\n\n"
        "Notes\n\n• [1] Cochrane - Green tea review.\n• [2] WHO - Nobody cites this one.\n"
        "Retrieved in 2024.\n"
    )
    imported = from_text(page)
    assert imported.notes == [
        "reference [3] has no note; kept as text",
        "note [2] is cited nowhere in the text; kept in a list under Notes",
    ]
    article = save(tmp_path, imported)
    assert [(note.label, note.text) for note in article.footnotes] == [("1", "Cochrane - Green tea review.")]
    assert texts(section_blocks(article, "Evidence")) == ["Studies agree [1]. Others differ [3]."]
    assert [section.title for section in article.sections] == ["Evidence", "Notes"]
    assert texts(section_blocks(article, "Notes")) == [
        "Retrieved in 2024.",
        "[2] WHO - Nobody cites this one.",
    ]
    assert words_kept(page, article) == set()
    check_command(tmp_path)


def test_notes_at_the_end_without_a_heading_and_links_in_them(tmp_path: Path) -> None:
    page = (
        "Is matcha stronger than sencha?\n\nYes.\n\nCaffeine\n\nMatcha is whole leaf [1].\n\n"
        "[1] Study - https://example.org/matcha_study?id=1&x=2 (PDF).\n"
    )
    article = save(tmp_path, from_text(page))
    (note,) = article.footnotes
    assert note.text == "Study - https://example.org/matcha_study?id=1&x=2 (PDF)."
    links = [span.link for span in note.inline if span.link]
    assert links == ["https://example.org/matcha_study?id=1&x=2"]
    assert [section.title for section in article.sections] == ["Caffeine"]
    check_command(tmp_path)


# -- comparisons ----------------------------------------------------------------------------------------------


def test_comparison_items_with_a_lead_align_by_aspect(tmp_path: Path) -> None:
    page = (
        "Which is better, tea or coffee?\n\nIt depends.\n\nTea versus Coffee\n\nTea\n\n"
        "- Caffeine: about 40 mg\n- Taste: grassy\n\nCoffee\n\n- Taste: roasted\n- Caffeine: about 95 mg\n"
    )
    imported = from_text(page)
    assert "## Tea vs Coffee\n" in imported.markdown and "- **Caffeine:** about 40 mg" in imported.markdown
    article = save(tmp_path, imported)
    (comparison,) = article.comparisons
    rows = {row.aspect: [plain(cell) for cell in row.cells] for row in comparison.rows}
    assert rows == {"Caffeine": ["about 40 mg", "about 95 mg"], "Taste": ["grassy", "roasted"]}
    check_command(tmp_path)


def test_a_vs_heading_that_is_no_comparison_stays_an_ordinary_section(tmp_path: Path) -> None:
    page = (
        "Should I drink tea or coffee?\n\nEither.\n\nTea vs Coffee\n\nTea\n\nTea is gentler.\n\n"
        "Coffee is stronger.\n"
    )
    article = save(tmp_path, from_text(page))
    assert article.comparisons == ()
    assert [(section.title, section.level) for section in article.sections] == [
        ("Tea vs Coffee", 2),
        ("Tea", 2),
    ]
    assert problems(tmp_path) == []


# -- Further Discussion -------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [fold, known_key, str])
def test_a_further_question_that_the_folder_has_links_to_it(
    key: Callable[[str], str], tmp_path: Path
) -> None:
    (tmp_path / "teeth.md").write_text("---\ntitle: Does tea stain teeth more than coffee?\n---\n\nYes.\n")
    known = {key("Does tea stain teeth more than coffee?"): "teeth"}
    imported = from_text(EXAMPLE, known=known)
    assert imported.title == "Is tea better than coffee for focus?"
    article = save(tmp_path, imported)
    assert article.related == ("teeth",)
    blocks = section_blocks(article, "Does tea stain teeth more than coffee?")
    link = blocks[0]
    assert isinstance(link, Paragraph) and [span.link for span in link.inline] == ["teeth.md"]
    assert texts(blocks) == ["Does tea stain teeth more than coffee?", "An answer paragraph.[2]"]
    assert Library(tmp_path).resolve_link(STEM, "teeth.md").article_id == "teeth"
    check_command(tmp_path)


def test_people_also_ask_questions_with_bullets_and_no_answers(tmp_path: Path) -> None:
    page = (
        "Can kids drink tea?\n\nIn small amounts.\n\nPeople also ask:\n\n• Is tea safe in pregnancy?\n"
        "• How much caffeine is in green tea?\nAbout 30 mg a cup.\n"
    )
    known = {"How much caffeine is in green tea": "sub/green tea"}
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "green tea.md").write_text("# How much caffeine is in green tea?\n\nSome.\n")
    article = save(tmp_path, from_text(page, known=known))
    assert [(section.title, section.level) for section in article.sections] == [
        ("People also ask:", 2),
        ("Is tea safe in pregnancy?", 3),
        ("How much caffeine is in green tea?", 3),
    ]
    assert article.related == ("sub/green tea",)
    assert texts(section_blocks(article, "How much caffeine is in green tea?")) == [
        "How much caffeine is in green tea?",
        "About 30 mg a cup.",
    ]
    check_command(tmp_path)


def test_a_faq_may_open_with_a_line_before_its_first_question(tmp_path: Path) -> None:
    page = "Is iced tea as good?\n\nYes.\n\nFAQ\n\nReaders also asked\n\nDoes ice dilute it?\n\nA little.\n"
    article = save(tmp_path, from_text(page))
    assert [(section.title, section.level) for section in article.sections] == [
        ("FAQ", 2),
        ("Does ice dilute it?", 3),
    ]
    assert texts(section_blocks(article, "FAQ")) == ["Readers also asked"]
    assert texts(section_blocks(article, "Does ice dilute it?")) == ["A little."]
    assert problems(tmp_path) == []


# -- text stays text ------------------------------------------------------------------------------------------


def test_markdown_specials_in_the_page_stay_literal(tmp_path: Path) -> None:
    title = "*Why* [1] <b>bold</b> #tag [[Page]] ==mark== %%hidden%% | a |"
    page = (
        f"{title}\n\n12 views\n_Because_ `code` & &amp; <script>alert(1)</script>.\n\n"
        f"{title}: Key Differences\n\n# not a heading.\n> not a quote.\n1) a numbered line: a list item.\n"
        "2024. A year.\n---\n[^9] is no note, [ ] no task, ![x](y.png) no image, <!-- no comment -->.\n"
    )
    imported = from_text(page)
    body = imported.markdown.split("\n---\n", 1)[1]
    assert "<script>" not in body and "<b>" not in body  # (front matter is no Markdown: plain text there)
    article = save(tmp_path, imported)
    assert article.title == title
    assert article.summary == "_Because_ `code` & &amp; <script>alert(1)</script>."
    assert [section.title for section in article.sections] == [f"{title}: Key Differences"]
    lines = [text.replace("\u2060", "") for text in texts(list(article.blocks))]
    assert lines == [
        f"{title}: Key Differences",
        "# not a heading.",
        "> not a quote.",
        "a numbered line: a list item.",
        "2024. A year.",
        "---",
        "[^9] is no note, [ ] no task, ![x](y.png) no image, <!-- no comment -->.",
    ]
    assert [type(block).__name__ for block in article.blocks] == ["Heading"] + ["Paragraph"] * 2 + [
        "ListBlock"
    ] + ["Paragraph"] * 3
    assert article.links == () and article.images == () and article.tags == () and article.footnotes == ()
    styled = [
        span for block in article.blocks if isinstance(block, Paragraph | Heading) for span in block.inline
    ]
    assert all(span.style == "" and span.note is None for span in styled)
    check_command(tmp_path)


# -- counts ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "views", "likes"),
    [
        ("1.2K views\nFeedback 3 likes", 1200, 3),
        ("1 view\n1 like", 1, 1),
        ("12,345 views\nFeedback", 12345, None),
        ("2.5M views · 41 likes", 2_500_000, 41),
    ],
)
def test_view_and_like_counts_go_to_front_matter(lines: str, views: int, likes: int | None) -> None:
    head, summary = lines.split("\n", 1) if "\n" in lines else (lines, "")
    page = f"Is oolong tea or black tea?\n\n{head}\nBoth, in a way.\n{summary}\n\nProcessing\n\nIt is partly oxidised.\n"
    imported = from_text(page)
    assert f"source_views: {views}" in imported.markdown
    assert ("source_likes" in imported.markdown) == (likes is not None)
    if likes is not None:
        assert f"source_likes: {likes}" in imported.markdown
    assert "views" not in imported.markdown.split("---", 2)[2] and "Feedback" not in imported.markdown


def test_a_page_with_only_a_question_and_paragraphs_imports(tmp_path: Path) -> None:
    page = "Why is my tea bitter?\nIt steeped too long.\nUse cooler water next time.\n"
    article = save(tmp_path, from_text(page))
    assert (article.title, article.summary) == ("Why is my tea bitter?", "It steeped too long.")
    assert texts(list(article.blocks)) == ["Use cooler water next time."]
    assert from_text("Why is my tea bitter?").markdown.startswith("---\n")
    check_command(tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n\t\r\n\u00a0\n",
        "12 views\nFeedback\n",
        "\x00\x01\x02binary\x00data" * 20,
        "\x01\x02\x03\x04\x05\x06\x07\x08" * 50 + "text",
        "\ufffd" * 200,
        "x" * 301 + "?",
        "12345 67890\n\nSome text.",
        "<!DOCTYPE html>\n<html><body>Is tea good?</body></html>",
        '{"title": "Is tea good?"}\n',
    ],
)
def test_what_is_no_q_and_a_page_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(ImportProblem) as raised:
        from_text(text)
    message = str(raised.value)
    assert message.startswith("not a Q&A page: ") and "\n" not in message


# -- any text -------------------------------------------------------------------------------------------------

WORDS = [
    "tea",
    "Coffee",
    "focus",
    "L-theanine",
    "C#",
    "x_y",
    "*a*",
    "[2]",
    "[9]",
    "<i>",
    "%%",
    "==",
    "e.g.",
    "1.",
    "café",
]
line_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
sentence = line_text.map(lambda text: text + ".")
heading = st.lists(
    st.sampled_from(["Tea", "Coffee", "Focus", "Sleep", "Water", "Dose"]), min_size=1, max_size=3
).map(" ".join)


@st.composite
def pages(draw: st.DrawFn) -> str:
    """Pages of the pattern's parts in any order: counts, headings, paragraphs, lists, comparisons,
    Further Discussion, notes (some cited, some not)."""
    out = [draw(st.sampled_from(["", "How much tea?", "*Is* [1] tea <ok>?"])) or draw(line_text) + "?"]
    if draw(st.booleans()):
        out += [
            draw(st.sampled_from(["12 views", "1.2K views", "1 view"])),
            draw(sentence),
            "Feedback 3 likes",
        ]
    bullet = draw(st.sampled_from(["- ", "• ", "* ", "· ", "1. "]))
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["heading", "paragraph", "list", "comparison", "further", "short"]))
        if kind == "heading":
            out += [draw(heading), draw(sentence)]
        elif kind == "paragraph":
            out.append(draw(sentence) + draw(st.sampled_from(["", " [1]", " [2]", "[3]"])))
        elif kind == "short":
            out.append(draw(line_text))
        elif kind == "list":
            out += [bullet + draw(line_text) for _ in range(draw(st.integers(1, 3)))]
        elif kind == "comparison":
            a, b = draw(st.sampled_from([("Tea", "Coffee"), ("Green tea", "Black tea")]))
            out += [f"{a} {draw(st.sampled_from(['vs', 'vs.', 'VS']))} {b}: {draw(heading)}", draw(sentence)]
            size = draw(st.integers(1, 3))
            leads = draw(st.booleans())
            for side in (a, b):
                out.append(side.upper() if draw(st.booleans()) else side)
                for row in range(size):
                    out.append(bullet + (f"Aspect {row}: " if leads else "") + draw(line_text))
            out.append("So " + draw(sentence))  # (a list right after would run on from the last side's)
        else:
            out.append(draw(st.sampled_from(["Further Discussion", "FAQ", "Related questions"])))
            if draw(st.booleans()):
                out.append(draw(st.sampled_from(["More from readers", draw(sentence)])))
            for _ in range(draw(st.integers(1, 2))):
                out += [draw(st.just("Tea tea?") | line_text.map(lambda text: text + "?")), draw(sentence)]
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(["Notes", "References", "Sources"])))
    for number in draw(st.lists(st.sampled_from(["1", "2", "4"]), max_size=3)):
        out.append(f"{draw(st.sampled_from(['', '• ', '  • ']))}[{number}] Source - {draw(sentence)}")
    separator = draw(st.sampled_from(["\n", "\n\n", "\r\n", "\n \n"]))
    return separator.join(out)


def assert_clean_and_lossless(page: str) -> None:
    try:
        imported = from_text(page, known={"tea tea?": "other"})
    except ImportProblem as problem:
        assert str(problem).startswith("not a Q&A page: ")
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "other.md").write_text("# Tea tea?\n", encoding="utf-8")
        if imported.stem == "other":
            return
        article = save(root, imported)
        assert problems(root) == [], imported.markdown
        assert words_kept(page, article) == set(), imported.markdown


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_any_page_of_the_pattern_imports_clean_and_whole(page: str) -> None:
    assert_clean_and_lossless(page)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=200)
    | st.lists(line_text | sentence | st.text(max_size=20), max_size=12).map("\n".join)
)
def test_any_text_is_refused_or_imports_clean_and_whole(text: str) -> None:
    assert_clean_and_lossless(text)


def test_a_line_that_cites_a_note_is_text_not_a_heading() -> None:
    # A sentence whose note reference ends it ("... film. [1]") has no final full stop, yet is no heading.
    page = (
        "Does tea stain teeth?\n\n4 views\nBoth stain.\nFeedback 1 likes\n\n"
        "Why drinks stain\n\nTannins bind to the enamel's surface film. [1]\n\n"
        "Whitening\n\nBrushing after helps.\n\nNotes\n\n  \u2022 [1] Example Dental - Tannins and enamel.\n"
    )
    body = from_text(page).markdown.split("---", 2)[2]
    assert "## Why drinks stain" in body and "## Whitening" in body
    assert "\nTannins bind to the enamel's surface film. [^1]\n" in body
