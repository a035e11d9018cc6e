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


VAULT_FOLDERS = ["inbox", "projects/reader", "projects/garden", "areas/health", "areas/money", "archive/2025"]


def vault_page(rng: random.Random, number: int, pages: int) -> str:
    """About 1.5 KB of an Obsidian note: aliases and tags, wikilinks (some with a heading or an alias, a
    few to nothing), a callout, a task list, a highlight, a comment, an embed and an image."""
    other = rng.randrange(pages)
    title = f"Note {number} on {rng.choice(WORDS)} and {rng.choice(WORDS)}"
    return (
        f"---\naliases: [n{number}, {rng.choice(WORDS)}-{number}]\ntags: [vault, {rng.choice(WORDS)}]\n---\n\n"
        f"# {title}\n\n"
        f"{_sentence(rng, 30)} See [[note-{other:04d}]] and [[note-{(other + 1) % pages:04d}|the next one]]. "
        f"#{rng.choice(WORDS)} ==important== %%hidden remark%% ~~old~~ https://example.org/{number}\n\n"
        f"> [!{rng.choice(['note', 'tip', 'warning', 'danger'])}] {_sentence(rng, 4)}\n"
        f"> {_sentence(rng, 20)}\n\n"
        f"## Tasks\n\n- [ ] {_sentence(rng, 6)}\n- [x] {_sentence(rng, 6)}\n- [ ] See [[note-{other:04d}#Tasks]]\n\n"
        f"## Details\n\n{_sentence(rng, 40)} [[missing page {number % 7}]]\n\n"
        f"![[note-{other:04d}#Details]]\n\n![[diagram-{number % 5}.png]]\n"
    )


def make_vault(root: Path, pages: int, seed: int = 5) -> Path:
    """An Obsidian-style vault of `pages` notes in nested folders (names unique, so wikilinks resolve by
    name anywhere), with a `pics/` folder of tiny images; returns root."""
    rng = random.Random(seed)
    for number in range(pages):
        folder = root / VAULT_FOLDERS[number % len(VAULT_FOLDERS)]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"note-{number:04d}.md").write_text(vault_page(rng, number, pages), encoding="utf-8")
    (root / "pics").mkdir(parents=True, exist_ok=True)
    for number in range(5):
        (root / "pics" / f"diagram-{number}.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


def make_big_folder(root: Path, count: int = 100_000, folders: int = 1_000, seed: int = 7) -> Path:
    """`count` small articles spread over `folders` sub-folders: article number n is
    root/f{n % folders:03d}/article-{n:06d}.md (the corpus of tests/bench_index.py); returns root."""
    rng = random.Random(seed)
    width = max(3, len(str(folders - 1)))
    paths = [root / f"f{number:0{width}d}" for number in range(folders)]
    for path in paths:
        path.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        text = small_article(rng, number)
        (paths[number % folders] / f"article-{number:06d}.md").write_text(text, encoding="utf-8")
    return root
