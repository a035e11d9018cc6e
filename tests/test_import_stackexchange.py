"""`qa-reader import` of a Stack Exchange data dump (tui/importer/stackexchange.py): every dump here is made
by the test (Posts.xml and Users.xml written with quoteattr), read back through the article parser, and
checked with `check`."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pytest

from tui.articles import Library
from tui.articles.model import Article, Code, ListBlock, Paragraph, Table, plain
from tui.importer import Imported, ImportProblem
from tui.importer.stackexchange import from_dump
from tui.importer.write import write_article

SITE = "cooking.stackexchange.com"

# -- making dumps -----------------------------------------------------------------------------------------


def write_rows(path: Path, root: str, rows: list[dict[str, Any]]) -> None:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f"<{root}>"]
    for row in rows:
        lines.append(
            "  <row " + " ".join(f"{key}={quoteattr(str(value))}" for key, value in row.items()) + " />"
        )
    lines.append(f"</{root}>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_dump(folder: Path, posts: list[dict[str, Any]], users: list[dict[str, Any]] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_rows(folder / "Posts.xml", "posts", posts)
    if users is not None:
        write_rows(folder / "Users.xml", "users", users)
    return folder


def question(post_id: int, title: str, body: str = "<p>The question.</p>", **more: Any) -> dict[str, Any]:
    row = {"Id": post_id, "PostTypeId": 1, "CreationDate": "2015-06-01T10:00:00.000", "Score": 1}
    return row | {"Title": title, "Body": body} | more


def answer(post_id: int, parent: int, body: str, **more: Any) -> dict[str, Any]:
    row = {"Id": post_id, "PostTypeId": 2, "ParentId": parent, "CreationDate": "2015-06-02T10:00:00.000"}
    return row | {"Score": 0, "Body": body} | more


HOSTILE = "*Why* [1] [[Page]] #tag ==mark== %%hidden%% &lt;b&gt;raw&lt;/b&gt; [^1] &amp;amp; ~~gone~~ a_b_c"
"""Text (as HTML) that would be Markdown structure if written as it reads."""

QUESTION_BODY = f"""<p>How do I <em>caramelize</em> onions? See <a href="/questions/2/salt">the salt question</a>,
<a href="https://{SITE}/a/21">its answer</a> and <a href="https://en.wikipedia.org/wiki/Maillard_(reaction)">Maillard</a>.
</p>
<h2>What I tried</h2>
<pre class="lang-py prettyprint-override"><code>for pan in pans:
    print("```", pan &lt; 3)
</code></pre>
<p><a href="https://i.sstatic.net/big.png" rel="nofollow"><img src="https://i.sstatic.net/small.png"
alt="enter image description here"></a></p>
<p><img src="//i.stack.imgur.com/pic.png" alt="a [pic]"></p>
<ul><li>low heat</li><li>more <strong>time</strong></li></ul>
<table><thead><tr><th>Pan</th><th>Heat</th></tr></thead><tbody><tr><td>cast | iron</td><td>high</td></tr>
<tr><td><code>a|b</code></td><td>low</td></tr></tbody></table>
<p>Read https://example.com/some_path?a=1. Or <a href="javascript:steal()">this</a>.</p>
<p onclick="steal()">{HOSTILE}</p>
<script>alert("inside a script")</script>
<p>1. not a list<br>- not a bullet</p>"""

LONG_ANSWER = "<p>" + " ".join(f"word{n}" for n in range(100)) + "</p><p>Second paragraph.</p>"


def site_dump(root: Path) -> Path:
    """A site of three questions (and posts that are not imported) with a Users.xml."""
    posts = [
        question(
            1,
            "*Why* [1] &amp; onions?",
            QUESTION_BODY,
            CreationDate="2010-07-19T19:19:12.123",
            AcceptedAnswerId=12,
            OwnerUserId=7,
            Tags="<onions><heat>",
            ViewCount=1234,
            Score=42,
        ),
        question(
            2,
            "How much salt?",
            "<p>Salt it.</p>",
            CreationDate="2012-01-01T00:00:00.000",
            Tags="|sauce|salt|",
            ContentLicense="CC BY-SA 4.0",
            OwnerDisplayName="Guest Cook",
        ),
        question(3, "An empty one", "", CreationDate="2019-01-01T00:00:00.000", OwnerUserId=8),
        answer(
            11, 1, "<p>Bob says go slow.</p>", Score=10, CreationDate="2010-08-01T00:00:00.000", OwnerUserId=8
        ),
        answer(
            12,
            1,
            "<p>Low heat, <em>patience</em>.</p><p>More.</p>",
            Score=3,
            CreationDate="2019-01-01T00:00:00.000",
            OwnerDisplayName="Old [Timer]",
        ),
        answer(
            13, 1, "<p>Deleted says hi.</p>", Score=10, CreationDate="2010-07-30T00:00:00.000", OwnerUserId=99
        ),
        answer(21, 2, LONG_ANSWER, Score=2, CreationDate="2012-01-02T00:00:00.000", OwnerUserId=7),
        {"Id": 30, "PostTypeId": 4, "Body": "<p>tag wiki excerpt</p>"},
        {"Id": 31, "PostTypeId": 5, "Body": "<p>tag wiki body</p>"},
        answer(40, 999, "<p>an orphan answer</p>"),
    ]
    users = [{"Id": 7, "DisplayName": "Jane *Doe*"}, {"Id": 8, "DisplayName": "Bob"}]
    return write_dump(root / SITE, posts, users)


def imported(source: Path, **options: Any) -> list[Imported]:
    return list(from_dump(source, **options))


def written(root: Path, articles: list[Imported]) -> Library:
    root.mkdir(parents=True, exist_ok=True)
    for item in articles:
        write_article(root, item)
    return Library(root)


@pytest.fixture
def site(tmp_path: Path) -> tuple[list[Imported], Library]:
    articles = imported(site_dump(tmp_path / "dumps"))
    return articles, written(tmp_path / "out", articles)


def opened(library: Library, stem: str) -> Article:
    found = library.article(f"{SITE}/{stem}")
    assert found is not None
    return found


def levels(article: Article, level: int) -> list[str]:
    return [section.title for section in article.sections if section.level == level]


def texts(article: Article) -> list[str]:
    return [plain(block.inline) for block in article.blocks if isinstance(block, Paragraph)]


# -- one article per question -----------------------------------------------------------------------------


def test_one_article_per_question_in_id_order_in_the_sites_folder(
    site: tuple[list[Imported], Library],
) -> None:
    articles, _ = site
    assert [item.stem for item in articles] == ["1-why-1-onions", "2-how-much-salt", "3-an-empty-one"]
    assert [item.title for item in articles] == ["*Why* [1] & onions?", "How much salt?", "An empty one"]
    assert {item.folder for item in articles} == {SITE}
    everything = "".join(item.markdown for item in articles)
    for left_out in ("tag wiki excerpt", "tag wiki body", "an orphan answer"):
        assert left_out not in everything
    assert all(item.notes == [] for item in articles[1:])


def test_answers_come_accepted_first_then_by_score_then_by_date(site: tuple[list[Imported], Library]) -> None:
    article = opened(site[1], "1-why-1-onions")
    assert levels(article, 2) == [
        "Answer by Old [Timer] (score 3, accepted)",
        "Answer by a deleted user (score 10)",  # (posted before Bob's, same score)
        "Answer by Bob (score 10)",
    ]
    paragraphs = texts(article)
    order = [
        paragraphs.index(text) for text in ("Low heat, patience.", "Deleted says hi.", "Bob says go slow.")
    ]
    assert order == sorted(order)


def test_authors_come_from_users_xml_else_the_posts_display_name(
    site: tuple[list[Imported], Library],
) -> None:
    library = site[1]
    first = opened(library, "1-why-1-onions")
    assert first.front["authors"] == ["Jane *Doe*", "Old [Timer]", "Bob"]  # (the deleted user is no name)
    assert f"https://{SITE}/users/7" in first.links and f"https://{SITE}/users/8" in first.links
    assert f"https://{SITE}/users/99" not in first.links  # (a deleted user's page is gone)
    assert opened(library, "2-how-much-salt").front["authors"] == ["Guest Cook", "Jane *Doe*"]
    assert opened(library, "3-an-empty-one").front["authors"] == ["Bob"]


def test_the_licence_is_the_posts_own_else_the_one_of_its_date(tmp_path: Path) -> None:
    dates = ["2011-04-07", "2011-04-08", "2018-05-01", "2018-05-02"]
    posts = [question(n, f"Q{n}", CreationDate=f"{day}T12:00:00.000") for n, day in enumerate(dates, 1)]
    posts.append(question(5, "Q5", CreationDate="2009-01-01T00:00:00.000", ContentLicense="CC BY-SA 4.0"))
    library = written(tmp_path / "out", imported(write_dump(tmp_path / SITE, posts)))
    found = {}
    for n in range(1, 6):
        article = library.article(f"{SITE}/{n}-q{n}")
        assert article is not None
        found[n] = (article.front["license"], article.front["license_url"])
    assert found == {
        1: ("CC BY-SA 2.5", "https://creativecommons.org/licenses/by-sa/2.5/"),
        2: ("CC BY-SA 3.0", "https://creativecommons.org/licenses/by-sa/3.0/"),
        3: ("CC BY-SA 3.0", "https://creativecommons.org/licenses/by-sa/3.0/"),
        4: ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
        5: ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    }


def test_tags_are_read_in_both_formats(site: tuple[list[Imported], Library]) -> None:
    library = site[1]
    assert opened(library, "1-why-1-onions").front["tags"] == ["onions", "heat"]
    assert opened(library, "2-how-much-salt").front["tags"] == ["sauce", "salt"]
    assert opened(library, "1-why-1-onions").tags == ("onions", "heat")  # (no #tag from the text)


# -- attribution -------------------------------------------------------------------------------------------


def test_front_matter_names_the_question_the_site_and_the_licence(
    site: tuple[list[Imported], Library],
) -> None:
    front = opened(site[1], "1-why-1-onions").front
    assert {key: front[key] for key in front if key not in ("summary", "authors")} == {
        "title": "*Why* [1] & onions?",
        "tags": ["onions", "heat"],
        "source_url": f"https://{SITE}/q/1",
        "source_site": SITE,
        "license": "CC BY-SA 2.5",
        "license_url": "https://creativecommons.org/licenses/by-sa/2.5/",
        "source_date": "2010-07-19",
        "source_views": 1234,
        "source_score": 42,
        "imported_from": "stackexchange",
    }


def test_a_footnote_cited_after_the_question_names_every_author_and_the_licence(
    site: tuple[list[Imported], Library],
) -> None:
    article = opened(site[1], "1-why-1-onions")
    [note] = article.footnotes
    assert note.text == (
        '"*Why* [1] & onions?", question by Jane *Doe*, answers by Old [Timer], a deleted user and Bob, from'
        f" {SITE} (https://{SITE}/q/1), licensed under CC BY-SA 2.5"
        " (https://creativecommons.org/licenses/by-sa/2.5/); answers marked otherwise under CC BY-SA 4.0"
        " (https://creativecommons.org/licenses/by-sa/4.0/)"
    )
    links = [span.link for span in note.inline if span.link]
    assert links == [
        f"https://{SITE}/users/7",
        f"https://{SITE}/users/8",
        f"https://{SITE}/q/1",
        "https://creativecommons.org/licenses/by-sa/2.5/",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ]
    # cited by the byline that closes the question, before the first answer
    first_answer = next(s.block for s in article.sections if s.title.startswith("Answer by"))
    byline = article.blocks[first_answer - 1]
    assert isinstance(byline, Paragraph)
    assert plain(byline.inline) == f"Asked by Jane *Doe* on 2010-07-19 at {SITE}.[1]"
    assert any(span.note == 1 for span in byline.inline)


def test_each_answer_ends_with_its_own_address(site: tuple[list[Imported], Library]) -> None:
    article = opened(site[1], "1-why-1-onions")
    footers = [text for text in texts(article) if text.startswith("Answer on")]
    assert footers == [
        f"Answer on {SITE} by Old [Timer], 2019-01-01, licensed under CC BY-SA 4.0"
        " (https://creativecommons.org/licenses/by-sa/4.0/).",
        f"Answer on {SITE} by a deleted user, 2010-07-30.",
        f"Answer on {SITE} by Bob, 2010-08-01.",
    ]
    for answer_id in (12, 13, 11):
        assert f"https://{SITE}/a/{answer_id}" in article.links


# -- bodies ------------------------------------------------------------------------------------------------


def test_html_bodies_become_markdown_with_code_lists_tables_and_images_as_links(
    site: tuple[list[Imported], Library],
) -> None:
    articles, library = site
    article = opened(library, "1-why-1-onions")
    [code] = [block for block in article.blocks if isinstance(block, Code)]
    assert (code.lang, code.text) == ("py", 'for pan in pans:\n    print("```", pan < 3)')
    [table] = [block for block in article.blocks if isinstance(block, Table)]
    assert [plain(cell) for cell in table.header] == ["Pan", "Heat"]
    assert [[plain(cell) for cell in row] for row in table.rows] == [["cast | iron", "high"], ["a|b", "low"]]
    [bullets] = [block for block in article.blocks if isinstance(block, ListBlock)]
    assert [plain(item.blocks[0].inline) for item in bullets.items] == ["low heat", "more time"]  # type: ignore[union-attr]
    # a heading in a post goes under the answers' level
    assert levels(article, 4) == ["What I tried"]
    # images are links: the big picture the small one linked to, "image" for SE's stock alt text
    assert article.images == () and "![" not in articles[0].markdown
    spans = {
        span.text: span.link
        for block in article.blocks
        if isinstance(block, Paragraph)
        for span in block.inline
    }
    assert spans["image"] == "https://i.sstatic.net/big.png"
    assert spans["a [pic]"] == "https://i.stack.imgur.com/pic.png"
    assert spans["Maillard"] == "https://en.wikipedia.org/wiki/Maillard_%28reaction%29"
    # an address in the text is a link to exactly that address; a script link is its text only
    assert spans["https://example.com/some_path?a=1"] == "https://example.com/some_path?a=1"
    assert "Read https://example.com/some_path?a=1. Or this." in texts(article)
    assert articles[0].notes == [
        "1 link kept as text only (not to a web page: a script, inline data, a place in the page)"
    ]
    # nothing of the script or of the event handler
    assert "inside a script" not in articles[0].markdown and "steal" not in articles[0].markdown
    assert "1. not a list\n- not a bullet" in texts(article)


def test_page_text_stays_text(site: tuple[list[Imported], Library]) -> None:
    article = opened(site[1], "1-why-1-onions")
    hostile = "*Why* [1] [[Page]] #tag ==mark== %%hidden%% <b>raw</b> [^1] &amp; ~~gone~~ a_b_c"
    [paragraph] = [
        block
        for block in article.blocks
        if isinstance(block, Paragraph) and "[[Page]]" in plain(block.inline)
    ]
    [span] = paragraph.inline
    # (a word joiner keeps `[^1]` from reading as a reference to a footnote nobody defined)
    assert (span.text.replace("\u2060", ""), span.style, span.link) == (hostile, "", None)
    assert len(article.footnotes) == 1 and not any(link.startswith("wiki:") for link in article.links)


def test_links_to_questions_of_the_dump_lead_to_their_articles(site: tuple[list[Imported], Library]) -> None:
    library = site[1]
    article = opened(library, "1-why-1-onions")
    spans = {
        span.text: span.link
        for block in article.blocks
        if isinstance(block, Paragraph)
        for span in block.inline
    }
    assert spans["the salt question"] == "2-how-much-salt.md"  # (/questions/2/...)
    assert spans["its answer"] == "2-how-much-salt.md"  # (https://SITE/a/21: an answer to question 2)
    target = library.resolve_link(f"{SITE}/1-why-1-onions", "2-how-much-salt.md")
    assert (target.kind, target.article_id) == ("article", f"{SITE}/2-how-much-salt")


def test_what_is_imported_is_check_clean(site: tuple[list[Imported], Library], tmp_path: Path) -> None:
    assert site[1].check() == []
    result = subprocess.run(
        [sys.executable, "-m", "tui", "check", "--content", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (0, "")


def test_the_summary_is_the_first_paragraph_of_the_accepted_answer_else_the_top_one(
    site: tuple[list[Imported], Library],
) -> None:
    library = site[1]
    assert opened(library, "1-why-1-onions").summary == "Low heat, patience."  # accepted, not top-scored
    summary = opened(library, "2-how-much-salt").summary
    whole = " ".join(f"word{n}" for n in range(100))
    assert len(summary) <= 300 and summary.endswith("…")
    assert whole.startswith(summary[:-1]) and whole[len(summary) - 1] == " "  # cut at a word
    assert "summary" not in opened(library, "3-an-empty-one").front


def test_a_question_without_text_or_answers_still_imports_with_its_attribution(
    site: tuple[list[Imported], Library],
) -> None:
    article = opened(site[1], "3-an-empty-one")
    assert article.title == "An empty one" and article.sections == ()
    assert texts(article) == [f"Asked by Bob on 2019-01-01 at {SITE}.[1]"]
    assert article.footnotes[0].text.startswith('"An empty one", question by Bob, from')
    assert article.front["license"] == "CC BY-SA 4.0"


# -- refusals ----------------------------------------------------------------------------------------------


def test_malformed_xml_is_refused_before_any_article(tmp_path: Path) -> None:
    folder = write_dump(tmp_path / SITE, [question(1, "Fine"), question(2, "Fine too")])
    lines = (folder / "Posts.xml").read_text().splitlines()
    broken = '  <row Id="3" PostTypeId="1" Title="broken <here" />'
    lines.insert(4, broken)  # (line 5)
    (folder / "Posts.xml").write_text("\n".join(lines))
    column = broken.index("<here") + 1
    reports: list[tuple[str, int, int]] = []
    articles = from_dump(folder, progress=lambda *report: reports.append(report))
    with pytest.raises(
        ImportProblem,
        match=rf"^malformed XML at line 5, column {column} of Posts.xml: not well-formed \(invalid token\)$",
    ):
        next(articles)
    assert not any(phase == "writing" for phase, _, _ in reports)


def test_malformed_users_xml_is_refused_too(tmp_path: Path) -> None:
    folder = write_dump(tmp_path / SITE, [question(1, "Fine")], [])
    (folder / "Users.xml").write_text("<users><row Id='1' DisplayName='x'></users>")
    with pytest.raises(
        ImportProblem, match=r"^malformed XML at line 1, column \d+ of Users.xml: mismatched tag"
    ):
        next(from_dump(folder))


@pytest.mark.parametrize(
    ("posts_xml", "message"),
    [
        (
            "<html><body><p>A web page</p></body></html>",
            "not a Stack Exchange dump: Posts.xml has no <posts> rows",
        ),
        ("<users><row Id='1' /></users>", "not a Stack Exchange dump: Posts.xml has no <posts> rows"),
        ("<posts></posts>", "not a Stack Exchange dump: Posts.xml holds no questions"),
        ("", "malformed XML at line 1, column 1 of Posts.xml: no element found"),
    ],
)
def test_a_file_that_is_not_a_posts_dump_is_refused(tmp_path: Path, posts_xml: str, message: str) -> None:
    (tmp_path / "Posts.xml").write_text(posts_xml)
    with pytest.raises(ImportProblem) as refused:
        next(from_dump(tmp_path / "Posts.xml"))
    assert str(refused.value) == message


def test_a_folder_without_posts_xml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match="^not a Stack Exchange dump: no Posts.xml in the folder$"):
        next(from_dump(tmp_path))


# -- where the site comes from ------------------------------------------------------------------------------


def test_posts_xml_may_be_given_itself(site: tuple[list[Imported], Library], tmp_path: Path) -> None:
    assert imported(tmp_path / "dumps" / SITE / "Posts.xml") == site[0]


def test_a_folder_that_names_no_site_keeps_its_name_and_relative_addresses(tmp_path: Path) -> None:
    posts = [
        question(
            1, "One", '<p>See <a href="/questions/2">two</a> and <a href="/help/on-topic">the rules</a>.</p>'
        ),
        question(2, "Two"),
    ]
    articles = imported(write_dump(tmp_path / "dump", posts, [{"Id": 1, "DisplayName": "Ann"}]))
    assert {item.folder for item in articles} == {"dump"}
    assert len(articles[0].notes) == 1 and "names no site" in articles[0].notes[0]
    assert articles[1].notes == []  # (said once for the dump)
    library = written(tmp_path / "out", articles)
    assert library.check() == []
    article = library.article("dump/1-one")
    assert article is not None
    assert article.front["source_url"] == "/q/1" and "source_site" not in article.front
    assert article.links[0] == "2-two.md" and not any("help" in link for link in article.links)
    assert texts(article)[0] == "See two and the rules."


def test_the_site_can_be_named(tmp_path: Path) -> None:
    folder = write_dump(tmp_path / "dump", [question(1, "One", '<p><a href="/help">help</a></p>')], [])
    [item] = imported(folder, site="https://Cooking.StackExchange.com/")
    assert item.folder == SITE and item.notes == []
    article = written(tmp_path / "out", [item]).article(f"{SITE}/1-one")
    assert article is not None
    assert (article.front["source_url"], article.front["source_site"]) == (f"https://{SITE}/q/1", SITE)
    assert article.links[0] == f"https://{SITE}/help"
    with pytest.raises(ImportProblem, match="is not a site's host name"):
        next(from_dump(folder, site="../elsewhere"))


def test_without_users_xml_authors_are_named_by_the_posts(tmp_path: Path) -> None:
    posts = [question(1, "One", OwnerUserId=5), answer(2, 1, "<p>A.</p>", OwnerDisplayName="Named")]
    [item] = imported(write_dump(tmp_path / SITE, posts))
    assert any("no Users.xml" in note for note in item.notes)
    article = written(tmp_path / "out", [item]).article(f"{SITE}/1-one")
    assert article is not None and article.front["authors"] == ["user 5", "Named"]
    assert f"https://{SITE}/users/5" in article.links
    assert levels(article, 2) == ["Answer by Named (score 0)"]


def test_the_temporary_database_goes_when_the_import_is_left_half_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    articles = from_dump(site_dump(tmp_path / "dumps"))
    next(articles)
    assert [path.name for path in temporary.glob("*/*")] == ["dump.sqlite"]
    articles.close()
    assert list(temporary.iterdir()) == []


# -- progress and size -------------------------------------------------------------------------------------


def test_progress_reports_reading_then_writing(site: tuple[list[Imported], Library], tmp_path: Path) -> None:
    folder = tmp_path / "dumps" / SITE
    size = (folder / "Posts.xml").stat().st_size + (folder / "Users.xml").stat().st_size
    reports: list[tuple[str, int, int]] = []
    imported(folder, progress=lambda *report: reports.append(report))
    phases = [phase for phase, _, _ in reports]
    assert phases == sorted(phases) and set(phases) == {"reading", "writing"}  # ("reading" < "writing")
    reading = [(done, total) for phase, done, total in reports if phase == "reading"]
    writing = [(done, total) for phase, done, total in reports if phase == "writing"]
    assert reading[0] == (0, size) and reading[-1] == (size, size)
    assert writing[0] == (0, 3) and writing[-1] == (3, 3)
    for steps in (reading, writing):
        assert [done for done, _ in steps] == sorted(done for done, _ in steps)


def write_big_dump(folder: Path, questions: int, body_chars: int) -> None:
    """Plain string writes (quoteattr per row would take longer than the import): each post a short
    paragraph and a code block of `body_chars`."""
    folder.mkdir(parents=True)
    line = "for item in range(10): total = total + item * 2  # adds it up&#xA;"
    body = f"&lt;p&gt;Some text.&lt;/p&gt;&lt;pre&gt;&lt;code&gt;{line * (body_chars // len(line))}&lt;/code&gt;&lt;/pre&gt;"
    with open(folder / "Posts.xml", "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
        post = 0
        for number in range(1, questions + 1):
            question_id = post = post + 1
            out.write(
                f'<row Id="{question_id}" PostTypeId="1" CreationDate="2015-01-01T00:00:00.000" Score="3" '
                f'Body="{body}" OwnerUserId="{number % 50}" Title="Question {number}" Tags="|a|" />\n'
            )
            for _ in range(2):
                post += 1
                out.write(
                    f'<row Id="{post}" PostTypeId="2" ParentId="{question_id}" Score="1" Body="{body}" '
                    f'CreationDate="2016-01-01T00:00:00.000" OwnerUserId="{post % 50}" />\n'
                )
        out.write("</posts>\n")
    write_rows(folder / "Users.xml", "users", [{"Id": n, "DisplayName": f"User {n}"} for n in range(50)])


def stream(articles: Iterator[Imported]) -> tuple[int, int]:
    """(articles, characters) of an import, keeping none of them."""
    count = chars = 0
    for item in articles:
        count += 1
        chars += len(item.markdown)
    return count, chars


def test_a_30_mb_dump_imports_in_bounded_memory(tmp_path: Path) -> None:
    """~30 MB: 400 questions with 2 answers each, every post ~24 KB. (The per-article costs, YAML and HTML
    parsing, are what make 20,000 small questions take minutes under tracemalloc; the bytes streamed are
    the same.) The bound is a third of the dump: holding the file, its tree, a batch of 1,000 of these
    rows or the articles made would each pass it."""
    folder = tmp_path / SITE
    write_big_dump(folder, 400, 24_000)
    size = (folder / "Posts.xml").stat().st_size
    assert size > 28_000_000
    reports: list[tuple[str, int, int]] = []
    tracemalloc.start()
    try:
        started = time.perf_counter()
        count, chars = stream(from_dump(folder, progress=lambda *report: reports.append(report)))
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 400 and chars > 25_000_000
    assert peak < 10_000_000, f"peak {peak / 1e6:.1f} MB"
    assert {phase for phase, _, _ in reports} == {"reading", "writing"}
    assert reports[-1] == ("writing", 400, 400)
    # at most ~20 reports a second (and a first and a last per phase)
    assert len(reports) <= 20 * elapsed + 5
