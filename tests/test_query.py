"""What a query means (query.py): tokens as SQLite FTS5 splits them, words, phrases, the word being typed,
excluded words and tags; FTS5 MATCH strings that are safe for any input and mean the same as the in-memory
match; the ranking tier of a title; and the section and snippet a hit shows (search.best_hit)."""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.articles.query import (
    _COMBINING,
    _TOKEN,
    Query,
    Term,
    fold,
    joined,
    parse_query,
    rank_tier,
    title_key,
    tokens,
)
from tui.articles.search import IndexedSection, best_hit

EXAMPLES = int(os.environ.get("QA_READER_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Fts:
    """An in-memory FTS5 table with the tokenizer the stored index uses, and its vocabulary."""

    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(title, tags, headings, body, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        self.db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")

    def tokens(self, text: str) -> list[str]:
        """What FTS5 indexes for `text`, in order."""
        self.db.execute("DELETE FROM t")
        self.db.execute("INSERT INTO t(rowid, body) VALUES (1, ?)", (text,))
        return [row[0] for row in self.db.execute("SELECT term FROM v ORDER BY offset")]

    def fill(self, *docs: str, tags: tuple[str, ...] = ()) -> None:
        self.db.execute("DELETE FROM t")
        for rowid, body in enumerate(docs, 1):
            tag = tags[rowid - 1] if rowid <= len(tags) else ""
            self.db.execute("INSERT INTO t(rowid, tags, body) VALUES (?, ?, ?)", (rowid, tag, body))

    def match(self, expression: str) -> list[int]:
        return [
            row[0]
            for row in self.db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", (expression,))
        ]


@pytest.fixture
def fts() -> Iterator[Fts]:
    table = Fts()
    yield table
    table.db.close()


# -- tokens ---------------------------------------------------------------------------------------------


AGREE = [
    "amdgpu_top",
    "C++ and C# and F#",
    "e-mail gpt-4o GPT4",
    "naïve Café CRÈME brûlée",
    "Cafe\u0301 noir",  # an accent typed as a combining mark
    "don't it’s l'été",
    "3.14 1,000 v2.0.1 x86_64",
    "İstanbul ŁÓDŹ Æsir øre",
    "日本語テキスト 中文 กขค",
    "emoji 🙂 a🙂b",
    "# heading *emph* [link](http://x.y/z?q=1)",
    "tabs\tand\nnewlines\u00a0nbsp",
    "",
    "---",
]


@pytest.mark.parametrize("text", AGREE)
def test_tokens_agree_with_what_fts5_indexes(fts: Fts, text: str) -> None:
    assert tokens(text) == fts.tokens(text)


# Where Python's folding (NFKD, casefold) goes further than FTS5's: the in-memory index and titles find
# these by their plain letters; FTS5 is given the words as typed, and folds them as it folded the text.
DIFFER = {
    "Straße": (["strasse"], ["straße"]),
    "ﬁne": (["fine"], ["ﬁne"]),
    "x²": (["x2"], ["x²"]),
    "ＡＢＣ": (["abc"], ["ａｂｃ"]),
    "Ωμέγα": (["ωμεγα"], ["ωμέγα"]),  # FTS5 takes accents off Latin letters only
    "Ёлка й": (["елка", "и"], ["ёлка", "й"]),
    "한국어": (["\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165"], ["한국어"]),  # Hangul as its letters
}


@pytest.mark.parametrize("text", DIFFER)
def test_where_tokens_fold_further_than_fts5_the_typed_word_still_finds_it(fts: Fts, text: str) -> None:
    ours, theirs = DIFFER[text]
    assert tokens(text) == ours and fts.tokens(text) == theirs
    fts.fill(f"some {text} here", "other")
    for typing in (False, True):
        assert fts.match(parse_query(text, typing).fts() or "") == [1]


# Latin-1 and Latin Extended-A letters but ß and the compatibility ligatures (ĳ, ŀ, ŉ): NFKD splits those
LATIN = "".join(chr(c) for c in range(0xC0, 0x180) if chr(c) not in "×÷ßĲĳĿŀŉ")
REALISTIC = st.text(
    st.sampled_from(
        list("abcXYZ019_-'’.,;:!?()[]{}*#+/\\|\"  \t\n") + list(LATIN) + list("бЖж日本🙂\u0301\u0308")
    ),
    max_size=40,
)


@SETTINGS
@given(REALISTIC)
def test_tokens_agree_with_fts5_on_latin_cyrillic_cjk_and_punctuation(text: str) -> None:
    table = Fts()
    try:
        assert tokens(text) == table.tokens(text)
    finally:
        table.db.close()


def test_title_key_joins_the_tokens() -> None:
    assert title_key("  What is `top`? (Linux) ") == "what is top linux"
    assert title_key("Élan — vital!") == "elan vital"


# -- parsing ----------------------------------------------------------------------------------------------


def test_all_words_are_required_and_the_last_is_a_prefix_while_typing() -> None:
    query = parse_query("Musk laws")
    assert query.terms == (Term(("musk",)), Term(("laws",), prefix=True))
    assert parse_query("Musk laws", typing=False).terms == (Term(("musk",)), Term(("laws",)))
    assert parse_query("Musk laws ").terms[-1].prefix is False  # a space: the word is finished


def test_quoted_words_are_a_phrase_and_an_unclosed_quote_runs_to_the_end() -> None:
    assert parse_query('"open source" model').terms == (Term(("open", "source")), Term(("model",), True))
    assert parse_query('model "open sou').terms == (Term(("model",)), Term(("open", "sou"), True))
    assert parse_query('"open source"').terms == (Term(("open", "source")),)  # closed: no prefix


def test_a_word_of_several_tokens_is_a_phrase() -> None:
    assert parse_query("e-mail", typing=False).terms == (Term(("e", "mail")),)
    assert parse_query("gpt-4o").terms == (Term(("gpt", "4o"), prefix=True),)
    assert parse_query("amdgpu_top", typing=False).terms == (Term(("amdgpu", "top")),)


def test_a_word_ending_in_punctuation_is_finished() -> None:
    assert parse_query("C++").terms == (Term(("c",)),)
    assert parse_query("end.").terms == (Term(("end",)),)


def test_minus_excludes_a_word_or_a_phrase_never_as_a_prefix() -> None:
    query = parse_query('linux -windows -"mac os"')
    assert query.terms == (Term(("linux",)),)
    assert query.excluded == (Term(("windows",)), Term(("mac", "os")))
    assert parse_query("linux -win").excluded == (Term(("win",)),)
    assert parse_query("well-known -").terms == (Term(("well", "known")),)  # a lone - is no word


def test_a_hash_word_is_a_tag() -> None:
    assert parse_query("#linux", typing=False).terms == (Term(("linux",), tag=True),)
    assert parse_query("-#draft x", typing=False).excluded == (Term(("draft",), tag=True),)
    assert parse_query("#1", typing=False).terms == (Term(("1",)),)  # a number is no tag
    assert parse_query("C#", typing=False).terms == (Term(("c",)),)


@pytest.mark.parametrize("text", ["", "   ", "-only -these", "[", "*", "\\", "((", ".*", '"', '""', "-", "#"])
def test_nothing_to_search(text: str) -> None:
    query = parse_query(text)
    assert query.fts() is None and query.key() == "" and query.marks() == []


def test_key_and_marks() -> None:
    query = parse_query("Café  crème -sugar ca")
    assert query.key() == "cafe creme ca"
    assert query.marks() == ["creme", "cafe", "ca"]


def test_repeated_terms_count_once() -> None:
    assert parse_query("top TOP top ", typing=False).terms == (Term(("top",)),)


# -- FTS5 MATCH strings -----------------------------------------------------------------------------------


def test_fts_quotes_every_word_and_marks_the_prefix() -> None:
    assert parse_query("top").fts() == '"top"*'
    assert parse_query('say "hi" there', typing=False).fts() == '"say" "hi" "there"'
    assert parse_query('"open source" mod').fts() == '"open source" "mod"*'
    assert parse_query("#linux x", typing=False).fts() == 'tags : "linux" "x"'
    assert parse_query("a -b -c", typing=False).fts() == '("a") NOT ("b" OR "c")'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("top", [1, 2, 4]),  # the word being typed: top, topology; and amdgpu_top
        ("top ", [1, 2]),  # a whole word: not topology
        ("anytop ", []),  # never inside a word
        ("anytop", [3]),  # unless it is the start of the word being typed
        ("top -amdgpu ", [1]),
        ("top -amdgpu -ls", [1]),
        ("-amdgpu top ", [1]),
        ('"top command"', [1]),
        ('"command top"', []),
        ("#tools", [2]),
        ("#tools -#linux", []),
        ("tools", [2, 3]),
    ],
)
def test_fts_and_the_in_memory_match_agree_on_sqlite(fts: Fts, text: str, expected: list[int]) -> None:
    docs = ["the top command", "amdgpu_top shows it", "tools for anytopnm", "topology of ls"]
    tags = ["", "tools linux", "", ""]
    fts.fill(*docs, tags=tags)
    query = parse_query(text)
    assert fts.match(query.fts() or "") == expected
    in_memory = [
        n for n, (doc, tag) in enumerate(zip(docs, tags, strict=True), 1) if _matches(query, doc, tag)
    ]
    assert in_memory == expected


def _matches(query: Query, text: str, tags: str) -> bool:
    return query.matches_joined(joined(f"{text} {tags}"), joined(tags))


@SETTINGS
@given(st.text(max_size=30), st.booleans())
def test_any_query_is_a_valid_match_expression(text: str, typing: bool) -> None:
    table = Fts()
    try:
        table.fill("some text", tags=("a tag",))
        expression = parse_query(text, typing).fts()
        if expression is not None:
            table.match(expression)  # raises on a syntax error
    finally:
        table.db.close()


@pytest.mark.parametrize(
    "text", ['a"b', '"a""b"', "\x00x", "x\udcff", "NEAR(a b)", "a OR b", "a AND b", "^a", "a:b"]
)
def test_odd_queries_are_plain_words_to_fts5(fts: Fts, text: str) -> None:
    fts.fill("a b x NEAR OR AND", "nothing")
    expression = parse_query(text, typing=False).fts()
    assert expression is not None
    assert fts.match(expression) in ([1], [])


@SETTINGS
@given(REALISTIC, st.data())
def test_a_word_of_the_text_finds_it_in_fts5_and_in_memory(text: str, data: st.DataObject) -> None:
    # a word as it stands in the text (quotes split words; a leading - or # would exclude or ask for a tag)
    words = [word.lstrip("-#") for word in re.split(r'[\s"]+', text)]
    words = [word for word in words if tokens(word)]
    if not words:
        return
    word = data.draw(st.sampled_from(words))
    typing = data.draw(st.booleans())
    query = parse_query(word, typing)
    assert query.matches(text)
    table = Fts()
    try:
        table.fill(text)
        assert table.match(query.fts() or "") == [1]
    finally:
        table.db.close()


# -- tiers ------------------------------------------------------------------------------------------------


def test_rank_tier_exact_then_prefix_then_the_rest() -> None:
    assert rank_tier(title_key("top"), parse_query("top")) == 0
    assert rank_tier(title_key("top"), parse_query("TOP ")) == 0
    assert rank_tier(title_key("topology"), parse_query("top")) == 1  # the word being typed
    assert rank_tier(title_key("topology"), parse_query("top ")) == 2  # a whole word
    assert rank_tier(title_key("top: a process viewer"), parse_query("top ")) == 1
    assert rank_tier(title_key("amdgpu_top"), parse_query("top")) == 2
    assert rank_tier(title_key("What is Elon Musk suing OpenAI over?"), parse_query("what is elon")) == 1
    assert rank_tier(title_key("anything"), parse_query("-x")) == 2


# -- the hit --------------------------------------------------------------------------------------------


SECTIONS = [
    IndexedSection("", "", "Intro about Musk and OpenAI."),
    IndexedSection("why", "Why it matters", "Musk said a lawsuit was coming; the lawsuit followed."),
    IndexedSection("the-first-lawsuit", "The first lawsuit", "Filed in 2024 by Musk."),
]


def test_best_hit_prefers_the_section_whose_heading_matches() -> None:
    hit = best_hit("a", "Musk and OpenAI", SECTIONS, parse_query("musk lawsuit"), 3.0)
    assert (hit.section_id, hit.section_title, hit.score) == ("the-first-lawsuit", "The first lawsuit", 3.0)
    assert [hit.snippet.text[s:e] for s, e in hit.snippet.marks] == ["Musk"]
    assert [hit.title[s:e] for s, e in hit.title_marks] == ["Musk"]


def test_best_hit_then_prefers_the_section_holding_most_words() -> None:
    hit = best_hit("a", "T", SECTIONS, parse_query("musk said"), 0.0)
    assert hit.section_id == "why"
    assert [hit.snippet.text[s:e] for s, e in hit.snippet.marks] == ["Musk", "said"]


def test_best_hit_marks_at_word_starts_only() -> None:
    sections = [IndexedSection("", "", "anytopnm is not top, but topology starts with it")]
    hit = best_hit("a", "T", sections, parse_query("top"), 0.0)
    assert [hit.snippet.text[s:e] for s, e in hit.snippet.marks] == ["top", "top"]
    assert [s for s, _ in hit.snippet.marks] == [
        hit.snippet.text.index("top,"),
        hit.snippet.text.index("topology"),
    ]


def test_best_hit_shows_the_beginning_when_only_the_title_matched() -> None:
    hit = best_hit("a", "Zebra facts", SECTIONS, parse_query("zebra"), 0.0)
    assert hit.section_id is None and hit.snippet.text.startswith("Intro about")
    assert [hit.title[s:e] for s, e in hit.title_marks] == ["Zebra"]


@SETTINGS
@given(st.text(max_size=40))
def test_fold_is_casefold_nfkd_without_accents(text: str) -> None:
    expected = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    assert fold(text) == expected


@SETTINGS
@given(st.text(max_size=40))
def test_tokens_are_the_runs_of_token_characters_of_the_folded_text(text: str) -> None:
    assert tokens(text) == _TOKEN.findall(fold(text))


def test_match_spans_marks_word_starts_for_a_search_and_anywhere_for_a_filter() -> None:
    from tui.articles.search import match_spans

    assert match_spans("anytopnm, top, Topology", ["top"], starts=True) == ((10, 13), (15, 18))
    assert match_spans("anytopnm, top", ["top"]) == ((3, 6), (10, 13))
