"""What a search query means: its words, phrases, excluded words and the word being typed; the same words
as SQLite FTS5 indexes them; and the ranking tier of a title.

A text is a list of tokens, as FTS5's `unicode61 remove_diacritics 2` tokenizer splits it: runs of letters
and digits (`amdgpu_top` -> `amdgpu`, `top`; `C++` -> `c`; `naïve` -> `naive`), folded for case and
accents. A query holds terms, every one required:

- `word` matches a whole token; a word that splits into several tokens (`e-mail`, `gpt-4o`) is a phrase
  of them; while typing, the LAST word matches as a prefix (`ope` finds `open`) unless the text ends in a
  space or the word ends in punctuation (`C++`);
- `"quoted words"` match as a phrase (an unclosed quote runs to the end);
- `-word` and `-"a phrase"` exclude the articles holding them (an excluded word is never a prefix);
- `#tag` matches a tag only (front matter `tags` or an inline `#tag`), `-#tag` excludes one.

Nothing here builds a regular expression or an SQL string from what the user typed: an FTS5 query is
made of double-quoted strings (a `"` inside doubled), which FTS5 reads as text whatever they hold.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

# A token character, on folded text: a letter or digit of any script (`\w` without `_`), a private-use
# character, or anything outside the Basic Multilingual Plane (FTS5 reads most of those as token
# characters: newer emoji, historic scripts). Punctuation, symbols of the BMP, spaces, controls and the
# combining marks left after folding separate tokens, as in FTS5.
_TOKEN_CHAR = "[^\\W_]|[\ue000-\uf8ff\U00010000-\U0010ffff]"
_TOKEN = re.compile(f"(?:{_TOKEN_CHAR})+")
_IS_TOKEN_CHAR = re.compile(_TOKEN_CHAR)
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_UNSAFE = re.compile("[\x00\ud800-\udfff]")  # a NUL or a lone surrogate (argv's undecodable bytes)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text`: `Éclair` -> `eclair` (casefolded, compatibility
    decomposed, combining accents dropped)."""
    if text.isascii():
        return text.lower()  # the common case, and far cheaper than normalising
    # ASCII in bulk, the runs of other characters folded on their own (cached: the same few recur). The
    # same as folding the whole text: an ASCII character takes no part in another's decomposition, and
    # casefolding a lowercased character gives what casefolding it does.
    return _NON_ASCII.sub(_fold_match, text.lower())


def _fold_match(match: re.Match[str]) -> str:
    return _fold_run(match.group())


@lru_cache(maxsize=8192)
def _fold_run(run: str) -> str:
    return _COMBINING.sub("", unicodedata.normalize("NFKD", run.casefold()))


def tokens(text: str) -> list[str]:
    """The folded tokens of `text`, split as FTS5 `unicode61` splits (see the module's docstring)."""
    if text.isascii():
        return text.lower().translate(_ASCII_SEPARATORS).split()
    found = []
    for word in fold(text).translate(_ASCII_SEPARATORS).split():
        if word.isascii() or word.isalnum():
            found.append(word)
        else:  # punctuation, symbols or marks of other scripts inside
            found.extend(_TOKEN.findall(word))
    return found


def joined(text: str) -> str:
    """`text`'s tokens between single spaces, with a space at each end: the form `Query.matches_joined`
    searches (a whole token `w` is ` w `, a prefix ` w`, a phrase ` a b `)."""
    return f" {' '.join(tokens(text))} "


def title_key(title: str) -> str:
    """A title as a query key compares with it: its tokens joined by one space."""
    return " ".join(tokens(title))


def is_token_char(ch: str) -> bool:
    """Whether the (folded) character `ch` belongs in a token."""
    return _IS_TOKEN_CHAR.match(ch) is not None


@dataclass(frozen=True)
class Term:
    """One required (or excluded) word or phrase: its folded tokens; `prefix` when the last token is
    being typed; `tag` when only tags are searched; `source` the text typed, for FTS5 to fold itself."""

    words: tuple[str, ...]
    prefix: bool = False
    tag: bool = False
    source: str = field(default="", compare=False)

    def fts(self) -> str:
        """This term as an FTS5 phrase: `"text"`, `"text"*`, `tags : "text"`."""
        text = _UNSAFE.sub("", self.source) or " ".join(self.words)
        phrase = '"' + text.replace('"', '""') + '"' + ("*" if self.prefix else "")
        return f"tags : {phrase}" if self.tag else phrase

    def needle(self) -> str:
        """What `Query.matches_joined` looks for in a `joined()` text."""
        return " " + " ".join(self.words) + ("" if self.prefix else " ")


@dataclass(frozen=True)
class Query:
    """A parsed query: required `terms` and `excluded` ones (see `parse_query`)."""

    text: str
    terms: tuple[Term, ...]
    excluded: tuple[Term, ...] = ()

    def fts(self) -> str | None:
        """A safe FTS5 MATCH expression for this query, or None when there is nothing to search (no words,
        or only excluded ones). Required phrases are ANDed; excluded ones follow `NOT`, ORed together."""
        if not self.terms:
            return None
        required = " ".join(term.fts() for term in self.terms)
        if not self.excluded:
            return required
        excluded = " OR ".join(term.fts() for term in self.excluded)
        return f"({required}) NOT ({excluded})"

    def key(self) -> str:
        """The required words joined by one space: what a title's `title_key` is compared with."""
        return " ".join(word for term in self.terms for word in term.words)

    def marks(self) -> list[str]:
        """The folded words to mark in titles and snippets (each once, longest first)."""
        words = dict.fromkeys(word for term in self.terms for word in term.words)
        return sorted(words, key=len, reverse=True)

    def matches(self, text: str) -> bool:
        """Whether `text` (any text: it is tokenized here) holds every term and no excluded one. A `#tag`
        term is looked for in the whole text here (`matches_joined` tells tags apart)."""
        words = joined(text)
        return self.matches_joined(words, words)

    def matches_joined(self, text: str, tags: str = " ") -> bool:
        """`matches` on `joined()` texts: `text` the whole article, `tags` its tags alone."""
        if not all(term.needle() in (tags if term.tag else text) for term in self.terms):
            return False
        return not any(term.needle() in (tags if term.tag else text) for term in self.excluded)


def _read_word(text: str, position: int) -> int:
    """The end of the word starting at `position`: the next space or double quote."""
    end = position
    while end < len(text) and not text[end].isspace() and text[end] != '"':
        end += 1
    return end


def parse_query(text: str, typing: bool = True) -> Query:
    """`text` as a `Query`. With `typing`, the last word is being typed and matches as a prefix (not
    after a space, not in a closed phrase, not after punctuation, never an excluded word)."""
    items: list[tuple[str, bool, bool, bool]] = []  # (source, excluded, tag, open_ended)
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        excluded = tag = False
        if text[position] == "-" and position + 1 < len(text) and not text[position + 1].isspace():
            excluded = True
            position += 1
        if text[position] == '"':
            close = text.find('"', position + 1)
            end = len(text) if close < 0 else close
            items.append((text[position + 1 : end], excluded, False, close < 0))
            position = end + 1
            continue
        end = _read_word(text, position)
        word = text[position:end]
        if word.startswith("#") and len(word) > 1 and not word[1:].isdigit():
            word, tag = word[1:], True
        items.append((word, excluded, tag, True))
        position = end
    terms: list[Term] = []
    excluded_terms: list[Term] = []
    for index, (source, excluded, tag, open_ended) in enumerate(items):
        words = tuple(tokens(source))
        if not words:
            continue
        last = index == len(items) - 1
        prefix = (
            typing
            and last
            and open_ended
            and not excluded
            and not text[-1:].isspace()
            and (is_token_char(fold(source[-1])[:1]) or unicodedata.combining(source[-1]) > 0)
        )
        term = Term(words, bool(prefix), tag, source)
        (excluded_terms if excluded else terms).append(term)
    return Query(text, tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(excluded_terms)))


def rank_tier(title_key: str, query: Query) -> int:
    """0 when the title is the query's words exactly, 1 when it starts with them (at a word's end, or
    anywhere in the word being typed), else 2."""
    key = query.key()
    return _tier(title_key, key, query.terms[-1].prefix) if key else 2


def _tier(title_key: str, key: str, prefix: bool) -> int:
    """`rank_tier` for a non-empty `key`, the last word a prefix or not."""
    if title_key == key:
        return 0
    return 1 if title_key.startswith(key if prefix else key + " ") else 2
