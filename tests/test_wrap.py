"""The one word wrap (tui/articles/wrap.py) that the reading pane, `show` and the entry lists share."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.articles.wrap import break_offsets, wrap

# Words of one-cell, accented and two-cell characters, one space between them (as titles and notes are).
words = st.text(st.sampled_from("abcdefghéü日本語"), min_size=1, max_size=14)
texts = st.lists(words, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(texts, st.integers(2, 40))
def test_wrapping_is_greedy_keeps_every_character_and_the_width(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert all(line == line.strip(" ") for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    position = 0
    for line, following in zip(lines, lines[1:], strict=False):
        position = text.index(line, position) + len(line)
        if text[position] == " ":  # broken at a space: the next word did not fit after it
            assert cell_len(line) + 1 + cell_len(following.split(" ")[0]) > width
        else:  # a word wider than a line, folded: the line is full
            assert cell_len(line) + cell_len(following[0]) > width


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("ab 日"), max_size=40), st.integers(2, 12))
def test_wrap_cuts_where_break_offsets_say(text: str, width: int) -> None:
    starts = [0, *break_offsets(text, width)]
    ends = [*starts[1:], len(text)]
    if len(text) > width or not text.isascii():
        assert wrap(text, width) == [text[a:b].rstrip(" ") for a, b in zip(starts, ends, strict=True)]


def test_lines_break_at_spaces_and_long_words_fold() -> None:
    assert wrap("hello world again", 11) == ["hello world", "again"]
    assert break_offsets("hello world again", 11) == [12]
    assert wrap("an extraordinarilylongword", 10) == ["an", "extraordin", "arilylongw", "ord"]
    assert wrap("日本語のテキスト 日本語", 10) == ["日本語のテ", "キスト", "日本語"]  # two cells each


def test_an_ideographic_or_no_break_space_counts_its_width_and_breaks_no_line() -> None:
    # only a plain space breaks a line; the others are characters with a width like any other (the wide
    # path once skipped them: `語\u3000語\u3000` took 8 cells of a 4-cell line)
    assert wrap("語\u3000語\u3000語", 4) == ["語\u3000", "語\u3000", "語"]
    assert wrap("a\xa0b c", 3) == ["a\xa0b", "c"]
