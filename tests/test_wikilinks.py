"""Wikilinks, embeds and files in a note vault: resolution as Obsidian does it, embeds filled one level
deep, `check`'s report, and the reader following them (enter) and opening files (`o`)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tui import opener
from tui.app import ReaderApp
from tui.articles import Library
from tui.articles.model import Article, Embed, Heading, Paragraph, Quote, Section, Span

if TYPE_CHECKING:
    from conftest import RecordNotices, WaitFor

HOME = """\
---
aliases: [Start, "Front door"]
---
# Home

Links: [[Page]], [[notes/deep/Page|the deep one]], [[Alpha#intro part]], [[#Local]], [[Top]],
[[Missing page]], [[Alpha#No such heading]] and [[Alpha]]; [the manual](docs/manual.pdf), [[Alpha#^abc123|a block]].

![[photo.png]]

![[gone.png]]

![local](pics/photo.png) ![missing](pics/none.png)

![[Alpha#Intro Part]]

![[Alpha]]

![[Nowhere]]

![[Alpha#Nothing]]

## Local

Local text.
"""

ALPHA = """\
---
aliases:
  - First letter
  - A1
---
# Alpha

Alpha opens here.

## Intro Part

The intro says hello[^1], links [[#Later]] and shows ![rel](../pics/photo.png).

### Sub

Sub text.

## Later

Later text.

[^1]: A note of Alpha's.
"""


@pytest.fixture
def vault(write: Callable[[str, str], Path], content: Path) -> Path:
    """A small vault: nested folders, one file name in two folders, aliases in both YAML list forms,
    headings, an image, missing targets, a page embedding itself and two pages embedding each other."""
    write("Home.md", HOME)
    write("Page.md", "# Page at the top\n\nThe top page.\n")
    write("notes/deep/Page.md", "---\naliases: Top\n---\n# Deep page\n\nDeep down.\n")
    write("notes/Alpha.md", ALPHA)
    write("Self.md", "# Self\n\nSelf text.\n\n![[Self]]\n")
    write("Ping.md", "# Ping\n\nPing text.\n\n![[Pong]]\n")
    write("Pong.md", "# Pong\n\nPong text.\n\n![[Ping]]\n")
    (content / "pics").mkdir()
    (content / "pics" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (content / "pics" / "my pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return content


def text_of(blocks: tuple[object, ...]) -> str:
    """The text of some blocks (headings and paragraphs, also inside quotes), one block a line."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            lines.append("".join(span.text for span in block.inline))
        elif isinstance(block, Quote):
            lines.append(text_of(block.blocks))
    return "\n".join(lines)


def spans_of(blocks: tuple[object, ...]) -> list[Span]:
    """Every span in some blocks."""
    found: list[Span] = []

    def visit(value: object) -> None:
        if isinstance(value, Span):
            found.append(value)
        elif isinstance(value, tuple):
            for item in value:
                visit(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                visit(getattr(value, name))

    visit(blocks)
    return found


# -- resolution -------------------------------------------------------------------------------------


def test_wikilinks_resolve_by_name_anywhere_shortest_path_first_and_case_insensitive(vault: Path) -> None:
    library = Library(vault)
    assert library.resolve_link("Home", "wiki:Page").article_id == "Page"  # the shortest of two Page.md
    assert library.resolve_link("Home", "wiki:page").article_id == "Page"
    assert library.resolve_link("Home", "wiki:ALPHA").article_id == "notes/Alpha"
    assert library.resolve_link("Home", "wiki:deep/Page").article_id == "notes/deep/Page"  # a path suffix
    assert library.resolve_link("Home", "wiki:notes/deep/page.md").article_id == "notes/deep/Page"
    assert library.resolve_link("Home", "wiki:Alpha.md").article_id == "notes/Alpha"
    missing = library.resolve_link("Home", "wiki:Missing page")
    assert missing.kind == "refused" and "Missing page" in missing.message
    # and nothing by a partial name or a path that is not a suffix
    assert library.resolve_link("Home", "wiki:Alp").kind == "refused"
    assert library.resolve_link("Home", "wiki:other/Page").kind == "refused"


def test_aliases_in_both_yaml_list_forms_and_as_one_name_resolve(vault: Path) -> None:
    library = Library(vault)
    assert library.info("Home").aliases == ("Start", "Front door")
    assert library.info("notes/Alpha").aliases == ("First letter", "A1")
    assert library.info("notes/deep/Page").aliases == ("Top",)
    assert library.resolve_link("Page", "wiki:front door").article_id == "Home"
    assert library.resolve_link("Page", "wiki:a1").article_id == "notes/Alpha"
    assert library.resolve_link("Page", "wiki:Top").article_id == "notes/deep/Page"
    # a file name wins over an alias
    (vault / "Start.md").write_text("# Start, a page of its own\n")
    assert Library(vault).resolve_link("Page", "wiki:Start").article_id == "Start"


def test_wikilinks_to_headings_name_the_section_by_title_or_slug(vault: Path) -> None:
    library = Library(vault)
    by_title = library.resolve_link("Home", "wiki:Alpha#intro part")
    assert (by_title.kind, by_title.article_id, by_title.section) == ("article", "notes/Alpha", "intro-part")
    assert library.resolve_link("Home", "wiki:Alpha#intro-part").section == "intro-part"
    assert library.resolve_link("Home", "wiki:Alpha#Intro Part#Sub").section == "sub"  # the last heading
    local = library.resolve_link("Home", "wiki:#Local")
    assert (local.kind, local.article_id, local.section) == ("section", "Home", "local")
    missing = library.resolve_link("Home", "wiki:Alpha#No such heading")
    assert (missing.kind, missing.section) == ("article", "") and "No such heading" in missing.message
    # block references are not supported: the page opens, and says so
    block = library.resolve_link("Home", "wiki:Alpha#^abc123")
    assert (block.kind, block.article_id, block.section) == ("article", "notes/Alpha", "")
    assert "not supported" in block.message


def test_images_and_files_resolve_to_paths_inside_the_folder_only(vault: Path) -> None:
    library = Library(vault)
    photo = vault / "pics" / "photo.png"
    assert library.resolve_link("Home", "wiki:photo.png") == library.resolve_link(
        "Home", "wiki:pics/PHOTO.png"
    )
    wiki = library.resolve_link("Home", "wiki:photo.png")
    assert wiki.kind == "file" and wiki.path == photo
    markdown = library.resolve_link("notes/Alpha", "../pics/photo.png")  # relative to the article's folder
    assert markdown.kind == "file" and markdown.path == photo
    assert library.resolve_link("Home", "pics/my%20pic.png").path == vault / "pics" / "my pic.png"
    assert library.resolve_link("notes/Alpha", "pics/photo.png").message == "Not found: pics/photo.png"
    assert library.resolve_link("Home", "wiki:gone.png").message == "Not found: gone.png"
    outside = library.resolve_link("Home", "../../etc/hosts")
    assert outside.kind == "refused" and "outside the content folder" in outside.message


def test_the_name_index_is_built_once_per_scan(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = Library(vault)
    builds: list[int] = []
    build = library._build_names
    monkeypatch.setattr(library, "_build_names", lambda: builds.append(1) or build())
    for _ in range(500):
        assert library.link_resolves("Home", "wiki:Page")
        assert not library.link_resolves("Home", "wiki:Missing page")
    assert builds == [1]
    (vault / "New.md").write_text("# New\n")
    assert not library.link_resolves("Home", "wiki:New")  # (not rescanned yet)
    library.scan()
    assert library.link_resolves("Home", "wiki:New")
    assert builds == [1, 1]


# -- embeds -----------------------------------------------------------------------------------------


def host(library: Library, *blocks: object, article_id: str = "Home") -> Article:
    """An article of the library with `blocks` in place of its own, and its embeds listed."""
    article = library.article(article_id)
    assert article is not None
    embeds = tuple(block.target for block in blocks if isinstance(block, Embed))
    embeds += tuple(inner.target for block in blocks if isinstance(block, Quote) for inner in block.blocks)
    return Article(article.id, article.path, article.title, blocks=tuple(blocks), embeds=embeds)


def test_an_embedded_section_reads_up_to_the_next_heading_of_its_level(vault: Path) -> None:
    library = Library(vault)
    article = host(library, Paragraph((Span("Before"),)), Embed("Alpha#Intro Part"))
    expanded = library.expand_embeds(article)
    embed = expanded.blocks[1]
    assert isinstance(embed, Embed) and embed.title == "Alpha › Intro Part" and embed.note == ""
    text = text_of(embed.blocks)
    assert "The intro says hello" in text and "Sub text." in text  # its sub-section too
    assert "Later text" not in text and "Intro Part" not in text  # not the next section, nor its heading
    assert expanded.blocks[0] == article.blocks[0]
    assert library.article("Home").blocks != expanded.blocks  # the cached parse is left alone


def test_an_embedded_page_is_its_text_without_its_title(vault: Path) -> None:
    library = Library(vault)
    embed = library.expand_embeds(host(library, Embed("Alpha"))).blocks[0]
    assert embed.title == "Alpha"
    text = text_of(embed.blocks)
    assert text.startswith("Alpha opens here.") and "Later text." in text and "\nAlpha\n" not in text


def test_embedded_links_still_lead_where_they_led_and_notes_lose_their_numbers(vault: Path) -> None:
    library = Library(vault)
    embed = library.expand_embeds(host(library, Embed("Alpha#Intro Part"))).blocks[0]
    spans = spans_of(embed.blocks)
    links = {span.link for span in spans if span.link}
    assert "wiki:notes/Alpha#Later" in links  # `[[#Later]]` meant Alpha's section
    image = next(span for span in spans if span.link and span.link.endswith("photo.png"))
    assert library.resolve_link("Home", image.link).path == vault / "pics" / "photo.png"  # from Home
    assert library.resolve_link("Home", "wiki:notes/Alpha#Later").section == "later"
    # the footnote reference keeps its text but points at no note of Home's
    assert all(span.note is None for span in spans)
    assert any(span.text == "[1]" for span in spans)


def test_missing_pages_and_sections_are_told_in_the_embed(vault: Path) -> None:
    library = Library(vault)
    expanded = library.expand_embeds(host(library, Embed("Nowhere"), Embed("Alpha#Nothing")))
    nowhere, nothing = expanded.blocks
    assert nowhere.blocks == () and "Nowhere" in nowhere.note
    assert nothing.blocks == () and "No section “Nothing” in Alpha" in nothing.note


def test_embeds_inside_quotes_are_filled_too(vault: Path) -> None:
    library = Library(vault)
    expanded = library.expand_embeds(host(library, Quote((Embed("Alpha#Later"),))))
    inner = expanded.blocks[0].blocks[0]
    assert inner.title == "Alpha › Later" and text_of(inner.blocks) == "Later text."


def test_cycles_stop_a_page_embedding_itself_and_two_pages_embedding_each_other(vault: Path) -> None:
    library = Library(vault)
    self_embed = library.expand_embeds(library.article("Self")).blocks[-1]
    assert isinstance(self_embed, Embed) and self_embed.blocks == ()
    assert "embeds itself" in self_embed.note
    # Ping shows Pong's text; Pong's embed of Ping stays a link, saying why
    pong = library.expand_embeds(library.article("Ping")).blocks[-1]
    assert pong.title == "Pong" and "Pong text." in text_of(pong.blocks)
    back = pong.blocks[-1]
    assert isinstance(back, Embed) and back.target == "Ping" and back.blocks == ()
    assert "back" in back.note


def test_a_page_may_embed_its_own_section_unless_the_section_holds_the_embed(vault: Path) -> None:
    library = Library(vault)
    home = library.article("Home")
    heading, text = Heading(2, (Span("Local"),), "local"), Paragraph((Span("Local text."),))
    before = replace(home, blocks=(Embed("#Local"), heading, text), embeds=("#Local",))
    before = replace(before, sections=(Section("local", "Local", 2, 1),))
    embed = library.expand_embeds(before).blocks[0]
    assert (embed.title, text_of(embed.blocks), embed.note) == ("Home › Local", "Local text.", "")
    inside = replace(before, blocks=(heading, Embed("#Local")), sections=(Section("local", "Local", 2, 0),))
    embed = library.expand_embeds(inside).blocks[1]
    assert embed.blocks == () and "embeds itself" in embed.note


def test_embeds_of_a_parsed_vault_page_are_filled(vault: Path) -> None:
    library = Library(vault)
    home = library.article("Home")
    assert home.embeds == ("Alpha#Intro Part", "Alpha", "Nowhere", "Alpha#Nothing")
    embeds = [block for block in library.expand_embeds(home).blocks if isinstance(block, Embed)]
    assert [embed.title for embed in embeds[:2]] == ["Alpha › Intro Part", "Alpha"]
    assert [bool(embed.note) for embed in embeds] == [False, False, True, True]


# -- check ------------------------------------------------------------------------------------------

EXPECTED = [
    "wikilink [[Missing page]]: no such page",
    "wikilink [[Alpha#No such heading]]: no section No such heading",
    "embed ![[Nowhere]]: no such page",
    "embed ![[Alpha#Nothing]]: no section Nothing",
    "image 'gone.png' not found",
    "image 'pics/none.png' not found",
    "link 'docs/manual.pdf': not found",
]


def test_check_reports_unresolved_wikilinks_missing_embeds_and_images(vault: Path) -> None:
    problems = Library(vault).check()
    assert sorted(p.reason for p in problems) == sorted(EXPECTED)
    assert {p.path for p in problems} == {vault / "Home.md"}


def test_qa_reader_check_lists_them_and_exits_1(vault: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "check", "--content", str(vault)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert sorted(result.stdout.splitlines()) == sorted(
        f"{vault / 'Home.md'}: {reason}" for reason in EXPECTED
    )


# -- opening files ----------------------------------------------------------------------------------


def test_open_file_runs_the_opener_detached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    image = tmp_path / "a b.png"
    image.write_bytes(b"png")
    started: list[tuple[list[str], dict[str, object]]] = []

    class Process:
        def __init__(self, command: list[str], **options: object) -> None:
            started.append((command, options))

        def wait(self) -> int:
            return 0

    monkeypatch.setattr(opener, "opener_command", lambda: ["/usr/bin/xdg-open"])
    monkeypatch.setattr(opener.subprocess, "Popen", Process)
    monkeypatch.setattr(opener, "PLATFORM", "linux")
    opener.open_file(image)
    [(command, options)] = started
    assert command == ["/usr/bin/xdg-open", str(image)]
    assert options["start_new_session"] is True
    assert options["stdin"] == options["stdout"] == options["stderr"] == subprocess.DEVNULL


def test_open_file_refuses_what_could_run_a_program_and_says_when_there_is_no_opener(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launcher = tmp_path / "evil.desktop"
    launcher.write_text("[Desktop Entry]\nExec=rm -rf ~\n")
    with pytest.raises(opener.OpenError, match="not an image"):
        opener.open_file(launcher)
    image = tmp_path / "a.png"
    image.write_bytes(b"png")
    monkeypatch.setattr(opener, "PLATFORM", "linux")
    monkeypatch.setattr(opener.shutil, "which", lambda name: None)
    with pytest.raises(opener.OpenError, match="No program to open files with: install xdg-utils"):
        opener.open_file(image)


async def test_in_a_browser_tab_a_file_opens_in_the_browser_not_on_the_servers_desktop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record_notices: RecordNotices
) -> None:
    # qa-reader serve: the reader runs on the server; xdg-open there would open the picture on the
    # server's screen. The file is delivered to the tab's browser instead (Textual's deliver_binary).
    (tmp_path / "page.md").write_text("# Page\n\nText.\n")
    image = tmp_path / "pic.png"
    image.write_bytes(b"png")
    script = tmp_path / "run.sh"
    script.write_text("echo hi\n")
    delivered: list[tuple[Path, dict[str, object]]] = []
    monkeypatch.setattr(ReaderApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(ReaderApp, "deliver_binary", lambda self, path, **kw: delivered.append((path, kw)))
    monkeypatch.setattr(opener, "open_file", lambda path: pytest.fail("the server's opener was used"))
    app = ReaderApp(Library(tmp_path), tmp_path / "db.json", "page")
    notices = record_notices(app)
    async with app.run_test() as pilot:
        app.reader.open_file(image)
        app.reader.open_file(script)
        await pilot.pause()
    assert delivered == [(image, {"open_method": "browser", "name": "pic.png"})]
    messages = [notice.message for notice in notices]
    assert "Opening pic.png" in messages
    assert any("run.sh is not an image" in message for message in messages)


def test_an_embed_of_a_page_with_a_dot_in_its_name_is_a_page_not_an_image(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "Node.js.md").write_text("# Node.js\n\nA JavaScript runtime.\n")
    (root / "host.md").write_text("# Host\n\n![[Node.js]]\n\n![[photo.JPG]]\n")
    library = Library(root)
    host = library.expand_embeds(library.article("host"))  # type: ignore[arg-type]
    embeds = [block for block in host.blocks if isinstance(block, Embed)]
    assert [embed.target for embed in embeds] == ["Node.js"]
    assert "JavaScript runtime" in str(embeds[0].blocks)
    assert host.images == ("wiki:photo.JPG",)


def test_a_symlink_in_the_folder_never_leads_the_opener_outside_it(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    (root / "pics").mkdir(parents=True)
    (root / "page.md").write_text("# Page\n\n![[pic.png]] ![x](pics/pic.png)\n")
    secret = tmp_path / "private.sh"
    secret.write_text("echo secret\n")
    (root / "pics" / "pic.png").symlink_to(secret)
    library = Library(root)
    for href in ("wiki:pic.png", "pics/pic.png"):
        target = library.resolve_link("page", href)
        assert target.kind == "refused" and "outside the content folder" in target.message
    with pytest.raises(opener.OpenError, match="not an image"):
        opener.open_file(root / "pics" / "pic.png")  # a picture's name, a script behind it


# -- in the reader ----------------------------------------------------------------------------------


async def _select(app: ReaderApp, pilot, href: str) -> None:  # type: ignore[no-untyped-def]
    """Press → until the link to `href` is selected."""
    for _ in range(100):
        await pilot.press("right")
        if app.reader.view.selected_target == ("link", href):
            return
    raise AssertionError(f"no link to {href}")


async def test_enter_follows_a_wikilink_and_backspace_returns(
    vault: Path, tmp_path: Path, wait_for: WaitFor
) -> None:
    app = ReaderApp(Library(vault), tmp_path / "reader.json", "Home")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.reader.article is not None, what="Home")
        assert app.reader.view.resolves is not None
        assert app.reader.view.resolves("wiki:Page") and not app.reader.view.resolves("wiki:Missing page")
        await _select(app, pilot, "wiki:notes/deep/Page")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.article.id == "notes/deep/Page", what="the deep page")
        await wait_for(pilot, lambda: "Deep page" in app.reader.header.text, what="its header")
        assert "Deep down." in app.reader.view.screen_text()
        await pilot.press("backspace")
        await wait_for(pilot, lambda: app.reader.article.id == "Home", what="back home")
        await _select(app, pilot, "wiki:Alpha#intro part")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.article.id == "notes/Alpha", what="Alpha")
        await wait_for(pilot, lambda: app.reader.view.current_section == "intro-part", what="at its section")


async def test_the_reader_shows_embedded_text(vault: Path, tmp_path: Path, wait_for: WaitFor) -> None:
    app = ReaderApp(Library(vault), tmp_path / "reader.json", "Ping")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(
            pilot, lambda: "Pong text." in app.reader.view.screen_text(), what="Pong's text in Ping"
        )
        assert app.reader.article.blocks[-1].title == "Pong"


async def test_o_opens_the_selected_image_with_the_system_opener(
    vault: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    record_notices: RecordNotices,
    wait_for: WaitFor,
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(opener, "open_file", opened.append)
    app = ReaderApp(Library(vault), tmp_path / "reader.json", "Home")
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.reader.article is not None, what="Home")
        await _select(app, pilot, "wiki:photo.png")
        await pilot.press("o")
        await wait_for(pilot, lambda: opened, what="the opener")
        assert opened == [vault / "pics" / "photo.png"]
        await _select(app, pilot, "pics/photo.png")
        await pilot.press("enter")  # enter opens it too, as it opens a web link
        await wait_for(pilot, lambda: len(opened) == 2, what="the opener again")
        assert opened[1] == vault / "pics" / "photo.png"
        # o on a link to an article: enter follows it
        await pilot.press("g")
        app.reader.view.selected_ref = None
        await _select(app, pilot, "wiki:Page")
        await pilot.press("o")
        await wait_for(pilot, lambda: any("enter follows it" in n.message for n in notices), what="the hint")
        assert app.reader.article.id == "Home" and len(opened) == 2


async def test_o_without_an_opener_says_how_to_open_the_file(
    vault: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    record_notices: RecordNotices,
    wait_for: WaitFor,
) -> None:
    monkeypatch.setattr(opener, "opener_command", lambda: None)
    monkeypatch.setattr(opener, "PLATFORM", "linux")
    app = ReaderApp(Library(vault), tmp_path / "reader.json", "Home")
    notices = record_notices(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.reader.article is not None, what="Home")
        await _select(app, pilot, "wiki:photo.png")
        await pilot.press("o")
        notice = await wait_for(
            pilot,
            lambda: next((n for n in notices if n.message.startswith("No program to open files")), None),
            what="the notice",
        )
        assert "install xdg-utils" in notice.message and str(vault / "pics" / "photo.png") in notice.message
