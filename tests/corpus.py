"""Generated corpora for the benchmarks: many small articles in platform sub-folders, or one long article.

Deterministic (seeded), so runs compare like with like.
"""

from __future__ import annotations

import random
from pathlib import Path

PLATFORMS = ["linux", "macos", "windows", "android", "ios", "freebsd", "web", "cloud"]
WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "model",
    "weights",
    "open",
    "source",
    "license",
    "apache",
    "mit",
    "training",
    "compute",
    "cluster",
    "kernel",
    "shell",
    "command",
    "option",
    "flag",
    "file",
    "folder",
    "network",
    "socket",
    "memory",
    "cache",
    "index",
    "query",
    "token",
    "grok",
    "whisper",
    "clip",
    "tesla",
    "board",
    "nonprofit",
    "profit",
    "investor",
    "lawsuit",
    "court",
    "federal",
    "appeal",
    "café",
    "naïve",
    "résumé",
    "über",
    "straße",
]


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[:1].upper() + text[1:] + "."


def small_article(rng: random.Random, number: int) -> str:
    """About 1 KB: front matter, a short answer, two sections, a list and a footnote."""
    title = f"How do I {rng.choice(WORDS)} the {rng.choice(WORDS)} number {number}?"
    return (
        f'---\ntitle: "{title}"\nsummary: "{_sentence(rng, 12)}"\n---\n\n# {title}\n\n'
        f"## Usage\n\n{_sentence(rng, 40)}[^1] {_sentence(rng, 30)}\n\n"
        f"- `{rng.choice(WORDS)} --{rng.choice(WORDS)}`: {_sentence(rng, 8)}\n"
        f"- `{rng.choice(WORDS)} -x`: {_sentence(rng, 8)}\n\n"
        f"## Notes\n\n{_sentence(rng, 25)}\n\n[^1]: Generated source {number}, 2026.\n"
    )


def make_folder(root: Path, count: int, seed: int = 7) -> Path:
    """`count` small articles under root/<platform>/; returns root."""
    rng = random.Random(seed)
    for number in range(count):
        folder = root / PLATFORMS[number % len(PLATFORMS)]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"article-{number:05d}.md").write_text(small_article(rng, number), encoding="utf-8")
    return root


def long_article(sections: int = 400, paragraphs: int = 2000, seed: int = 11) -> str:
    """About 0.9 MB: `sections` sections, `paragraphs` paragraphs with a footnote each."""
    rng = random.Random(seed)
    per_section = max(1, paragraphs // sections)
    parts = [
        '---\ntitle: "A very long article"\nsummary: "Generated to measure the reader."\n---\n',
        "# A very long article\n",
    ]
    note = 0
    for section in range(1, sections + 1):
        parts.append(f"## Section {section}: {rng.choice(WORDS)} and {rng.choice(WORDS)}\n")
        for _ in range(per_section):
            note += 1
            parts.append(f"{_sentence(rng, 54)}[^n{note}] {_sentence(rng, 5)}\n")
    parts.append("## The end\n\nThis is the last line of the body.\n")
    parts.append("\n".join(f"[^n{n}]: Source number {n}, a generated reference." for n in range(1, note + 1)))
    return "\n".join(parts) + "\n"
