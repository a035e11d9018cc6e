"""`qa-reader import` of a page saved as HTML (tui/importer/html.py): pages made here, read back through
the library, and `check` clean."""

from __future__ import annotations

import html
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.articles import Library
from tui.articles.model import Article, Code, Footnote, ListBlock, Paragraph, Table, plain
from tui.articles.parse import markdown_parser
from tui.importer import Imported, ImportProblem, write
from tui.importer.html import from_html

# -- pages -------------------------------------------------------------------------------------------------

# A Stack Overflow question page as the site serves it (shortened): top bar, left navigation, the question
# with its vote buttons, tags, share menu, an editor's and the asker's signatures, a comment, then three
# answers in page order (top score first: not the accepted one), the right sidebar, the footer, a cookie
# banner. Every piece of clutter carries a word in capitals that must not reach the article.
STACK_OVERFLOW = """<!DOCTYPE html>
<!-- saved from url=(0107)https://stackoverflow.com/questions/11227809/why-is-processing-a-sorted-array-faster-than-processing-an-unsorted-array -->
<html itemscope itemtype="https://schema.org/QAPage" class="html__responsive" lang="en">
<head>
<title>java - Why is processing a sorted array faster than processing an unsorted array? - Stack Overflow</title>
<meta property="og:site_name" content="Stack Overflow">
<meta property="og:description" content="In this C++ code, sorting the data first makes the loop faster.">
<link rel="canonical" href="https://stackoverflow.com/questions/11227809/why-is-processing-a-sorted-array-faster-than-processing-an-unsorted-array">
<script>window.StackExchange = {SCRIPTTEXT: 1};</script>
<style>.s-prose::after { content: "STYLETEXT" }</style>
</head>
<body class="question-page unified-theme">
<header class="s-topbar ps-fixed t0 l0 js-top-bar"><a href="https://stackoverflow.com" class="s-topbar--logo"><span>TOPBAR Stack Overflow</span></a>
<form id="search" role="search" action="/search"><input name="q" type="text" placeholder="Search"></form></header>
<div class="container">
<div id="left-sidebar" class="left-sidebar js-pinned-left-sidebar ps-relative">
<nav role="navigation"><ol class="nav-links"><li><a href="/">LEFTNAV Home</a></li></ol></nav></div>
<div id="content" class="snippet-hidden">
<div itemprop="mainEntity" itemscope itemtype="https://schema.org/Question">
<div id="question-header" class="d-flex sm:fd-column">
<h1 itemprop="name" class="fs-headline1 ow-break-word mb8 flex--item fl1"><a href="/questions/11227809/why-is-processing-a-sorted-array-faster-than-processing-an-unsorted-array" class="question-hyperlink">Why is processing a sorted array faster than processing an unsorted array?</a></h1>
<div class="ml12 aside-cta flex--item"><a href="/questions/ask" class="ws-nowrap s-btn s-btn__filled">ASKBUTTON Ask Question</a></div>
</div>
<div class="d-flex fw-wrap pb8 mb16 bb bc-black-225">
<div class="flex--item ws-nowrap mr16 mb8" title="2012-06-27 13:51:36Z"><span class="fc-black-400 mr2">Asked</span>
<time itemprop="dateCreated" datetime="2012-06-27T13:51:36">12 years ago</time></div>
</div>
<div id="mainbar" role="main" aria-label="question and answers">
<div class="question js-question" data-questionid="11227809" data-score="27252" id="question">
<div class="js-zone-container zone-container-main"><div id="dfp-tlb" class="everyonelovesstackoverflow"></div></div>
<div class="post-layout">
<div class="votecell post-layout--left">
<div class="js-voting-container d-flex jc-center fd-column ai-center gs4 fc-black-300" data-post-id="11227809">
<button class="js-vote-up-btn flex--item s-btn s-btn__unset c-pointer" aria-pressed="false" aria-label="Up vote">UPVOTE</button>
<div class="js-vote-count flex--item d-flex fd-column ai-center fc-theme-body-font fw-bold fs-subheading py4" itemprop="upvoteCount" data-value="27252">27252</div>
<button class="js-vote-down-btn flex--item s-btn s-btn__unset c-pointer" aria-label="Down vote">DOWNVOTE</button>
</div></div>
<div class="postcell post-layout--right">
<div class="s-prose js-post-body" itemprop="text">
<p>In this C++ code, sorting the data <em>before</em> the timed region makes the primary loop ~6x faster:</p>
<pre class="lang-cpp s-code-block"><code class="hljs language-cpp"><span class="hljs-meta">#<span class="hljs-keyword">include</span> <span class="hljs-string">&lt;algorithm&gt;</span></span>
<span class="hljs-type">int</span> <span class="hljs-title">main</span>()
{
    <span class="hljs-keyword">if</span> (data[c] &gt;= <span class="hljs-number">128</span>)
        sum += data[c];
}
</code></pre>
<ul>
<li>Without <code>std::sort(data, data + arraySize);</code>, the code runs in 11.54 seconds.</li>
<li>With the sorted data, the code runs in 1.93 seconds.</li>
</ul>
<h2>What is going on?</h2>
<p>Why is a sorted array faster? See <a href="/questions/315306/is-if-expensive">Is "if" expensive?</a></p>
</div>
<div class="mt24 mb12"><div class="post-taglist d-flex gs4 gsy fd-column"><div class="d-flex ps-relative fw-wrap">
<ul class="ml0 list-ls-none js-post-tag-list-wrapper d-inline">
<li class="d-inline mr4 js-post-tag-list-item"><a href="/questions/tagged/java" class="s-tag post-tag" rel="tag">java</a></li>
<li class="d-inline mr4 js-post-tag-list-item"><a href="/questions/tagged/c%2b%2b" class="s-tag post-tag" rel="tag">C++</a></li>
<li class="d-inline mr4 js-post-tag-list-item"><a href="/questions/tagged/performance" class="s-tag post-tag" rel="tag">performance</a></li>
<li class="d-inline mr4 js-post-tag-list-item"><a href="/questions/tagged/java" class="s-tag post-tag" rel="tag">Java</a></li>
</ul></div></div></div>
<div class="mb0"><div class="mt16 d-flex gs8 gsy fw-wrap jc-end ai-start pt4 mb16">
<div class="flex--item mr16 fl1 w96"><div class="js-post-menu pt2" data-post-id="11227809">
<a href="/q/11227809" rel="nofollow" itemprop="url" class="js-share-link js-gps-track">SHAREMENU Share</a>
<a href="/posts/11227809/edit" class="js-suggest-edit-post">Improve this question</a></div></div>
<div class="post-signature flex--item"><div class="user-info"><div class="user-action-time">edited <span title="2024-10-12 11:11:04Z" class="relativetime">Oct 12, 2024</span></div>
<div class="user-details"><a href="/users/224132/peter-cordes">EDITORNAME</a></div></div></div>
<div class="post-signature owner flex--item"><div class="user-info user-hover"><div class="user-action-time">asked <span title="2012-06-27 13:51:36Z" class="relativetime">Jun 27, 2012 at 13:51</span></div>
<div class="user-gravatar32"><a href="/users/87234/gmannickg"><img src="https://i.sstatic.net/avatar.png" alt="AVATAR user avatar" width="32" height="32"></a></div>
<div class="user-details" itemprop="author" itemscope itemtype="http://schema.org/Person"><a href="/users/87234/gmannickg">GManNickG</a><span class="d-none" itemprop="name">GManNickG</span>
<div class="-flair"><span class="reputation-score" title="reputation score 505,106">505k</span></div></div></div></div>
</div></div>
</div>
<div class="post-layout--right js-post-comments-component">
<div id="comments-11227809" class="comments js-comments-container bt bc-black-075 mt12" data-post-id="11227809">
<ul class="comments-list js-comments-list"><li id="comment-14685408" class="comment js-comment"><span class="comment-copy">QUESTIONCOMMENT your data need not be sorted.</span></li></ul>
</div></div>
</div>
</div>
<div id="answers">
<div id="answers-header"><h2 class="mb0" data-answercount="3">3 Answers <span style="display:none;" itemprop="answerCount">3</span></h2>
<label for="answer-sort">SORTLABEL Sorted by:</label><select id="answer-sort"><option>Highest score (default)</option></select></div>
<div id="answer-11227877" class="answer js-answer" data-answerid="11227877" data-score="4613" itemprop="suggestedAnswer" itemscope itemtype="https://schema.org/Answer">
<div class="post-layout">
<div class="votecell post-layout--left"><div class="js-voting-container" data-post-id="11227877">
<button class="js-vote-up-btn" aria-label="Up vote">UPVOTE</button>
<div class="js-vote-count flex--item fw-bold fs-subheading py4" itemprop="upvoteCount" data-value="4613">4613</div>
<div class="js-accepted-answer-indicator flex--item s-badge s-badge__muted d-none" role="note" aria-label="Accepted"><svg aria-hidden="true" class="svg-icon iconCheckmarkSm" width="14" height="14"><path d="M13 3.41"></path></svg></div>
</div></div>
<div class="answercell post-layout--right">
<div class="s-prose js-post-body" itemprop="text">
<p><strong>Branch prediction.</strong> With sorted data the branch is predictable.</p>
<table>
<thead><tr><th>Case</th><th>Time (s)</th></tr></thead>
<tbody><tr><td>Branch - Random</td><td>11.777</td></tr><tr><td>Branch | Sorted</td><td>2.352</td></tr></tbody>
</table>
</div>
<div class="mt24"><time itemprop="dateCreated" datetime="2012-06-27T13:56:42"></time>
<div class="post-signature flex--item fl0"><div class="user-info user-hover"><div class="user-action-time">answered <span class="relativetime">Jun 27, 2012</span></div>
<div class="user-details" itemprop="author" itemscope itemtype="http://schema.org/Person"><a href="/users/995714/phuclv">phuclv</a><span class="d-none" itemprop="name">phuclv</span></div></div></div></div>
</div></div>
</div>
<div id="answer-11227902" class="answer js-answer accepted-answer js-accepted-answer" data-answerid="11227902" data-score="34802" itemprop="acceptedAnswer" itemscope itemtype="https://schema.org/Answer">
<div class="post-layout">
<div class="votecell post-layout--left"><div class="js-voting-container" data-post-id="11227902">
<button class="js-vote-up-btn" aria-label="Up vote">UPVOTE</button>
<div class="js-vote-count flex--item fw-bold fs-subheading py4" itemprop="upvoteCount" data-value="34802">34802</div>
<div class="js-accepted-answer-indicator flex--item fc-green-400 py6 mtn8" role="note" aria-label="Accepted"><svg aria-hidden="true" class="svg-icon iconCheckmarkLg" width="36" height="36"><path d="m6 14 8 8L30 6v8L14 30l-8-8v-8z"></path></svg></div>
</div></div>
<div class="answercell post-layout--right">
<div class="s-prose js-post-body" itemprop="text">
<p><strong>You are a victim of <a href="https://en.wikipedia.org/wiki/Branch_predictor" rel="noreferrer">branch prediction</a> fail.</strong></p>
<hr>
<h2>What is Branch Prediction?</h2>
<p>Consider a railroad junction:</p>
<p><a href="https://i.sstatic.net/muxnt.jpg" rel="noreferrer"><img src="https://i.sstatic.net/muxnt.jpg" alt="Image showing a railroad junction"></a></p>
<blockquote><p>The processor guesses which way a branch will go.</p></blockquote>
</div>
<div class="mt24"><div class="flex--item mr16"><div class="js-post-menu pt2"><a href="/a/11227902" class="js-share-link">SHAREMENU Share</a></div></div>
<div class="post-signature flex--item fl0"><div class="user-info"><div class="user-action-time">edited <span class="relativetime">Oct 25, 2022</span></div>
<div class="user-details"><a href="/users/8608146/community">EDITORNAME</a></div></div></div>
<div class="post-signature flex--item fl0"><div class="user-info user-hover"><div class="user-action-time">answered <span class="relativetime">Jun 27, 2012</span></div>
<div class="user-details" itemprop="author" itemscope itemtype="http://schema.org/Person"><a href="/users/922184/mysticial">Mysticial</a><span class="d-none" itemprop="name">Mysticial</span></div></div></div></div>
</div></div>
</div>
<div id="answer-11237235" class="answer js-answer" data-answerid="11237235" data-score="-2" itemprop="suggestedAnswer" itemscope itemtype="https://schema.org/Answer">
<div class="post-layout">
<div class="votecell post-layout--left"><div class="js-voting-container"><div class="js-vote-count" itemprop="upvoteCount" data-value="-2">-2</div>
<div class="js-accepted-answer-indicator d-none" role="note" aria-label="Accepted"></div></div></div>
<div class="answercell post-layout--right">
<div class="s-prose js-post-body" itemprop="text">
<p>Just use <code>a | b</code>, a *lookup* table_name, [like this] &lt;div&gt; # not a heading.</p>
</div>
<div class="mt24"><div class="post-signature flex--item fl0"><div class="user-info"><div class="user-details" itemprop="author" itemscope itemtype="http://schema.org/Person"><a href="/users/1/some-user">some_user*</a></div></div></div></div>
</div></div>
</div>
<h2 class="bottom-notice">BOTTOMNOTICE Browse other questions tagged <a href="/questions/tagged/java" class="s-tag post-tag" rel="tag">java</a></h2>
</div>
</div>
<div id="sidebar" class="show-votes" role="complementary" aria-label="sidebar">
<div class="s-sidebarwidget"><ul><li>SIDEBARBLOG The Overflow Blog</li></ul></div>
<div class="module sidebar-related"><h4>Related</h4><a href="/q/1">RELATEDQUESTION</a></div>
</div>
</div></div></div>
<footer id="footer" class="site-footer js-footer" role="contentinfo"><p>FOOTERTEXT Site design / logo 2024 Stack Exchange Inc</p></footer>
<div id="onetrust-consent-sdk"><div id="onetrust-banner-sdk" class="otFlat" role="region" aria-label="Cookie banner"><p>COOKIEBANNER We use cookies</p></div></div>
<script>StackExchange.ready(function () { SCRIPTTEXT });</script>
</body>
</html>
"""

# A blog post among the usual clutter: a cookie notice, the site's header and menu, an ad, share buttons,
# a newsletter box, related posts, a widget sidebar, the site's footer, scripts.
BLOG = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Is green tea good for focus? | The Tea Blog</title>
<meta name="description" content="Green tea pairs a little caffeine with L-theanine, which many find gives a calmer kind of focus.">
<meta property="og:site_name" content="The Tea Blog">
<meta property="og:url" content="https://tea.example.org/2023/05/green-tea-focus/">
<meta property="article:published_time" content="2023-05-14T08:30:00+02:00">
<meta property="article:tag" content="Green Tea">
<meta property="article:tag" content="Focus">
<script type="application/ld+json">{"@type": "BlogPosting", "headline": "SCRIPTTEXT"}</script>
<style>.x::after { content: "STYLETEXT" }</style>
</head>
<body class="post-template has-sidebar">
<div id="cookie-notice" class="cookie-consent"><p>COOKIETEXT We use cookies to improve your experience.</p><button>Accept all</button></div>
<header class="site-header"><h1 class="site-title">HEADERTEXT The Tea Blog</h1>
<nav class="main-menu"><ul><li><a href="/">NAVTEXT Home</a></li><li><a href="/about/">About</a></li></ul></nav></header>
<div class="layout with-sidebar">
<main id="content">
<div class="advert ad-top"><p>ADTEXT Buy the best tea kettles today, limited offer!</p></div>
<article class="post">
<header class="entry-header"><h1 class="entry-title">Is green tea good for focus?</h1>
<p class="byline">By Jane Doe, <time datetime="2023-05-14">14 May 2023</time></p></header>
<p>Green tea has less caffeine than coffee, and it adds <a href="/glossary/l-theanine/">L-theanine</a>, an amino acid.</p>
<h2>Caffeine and focus</h2>
<p>A cup of green tea holds about a third of the caffeine of a cup of coffee.</p>
<div class="share-buttons"><a href="https://twitter.com/share">SHARETEXT Tweet this</a></div>
<h3>How much is too much?</h3>
<p>Most adults do well below 400 mg a day.</p>
<h2>L-theanine</h2>
<ul><li>It smooths the rise in alertness.</li><li>It may improve attention<ul><li>in some studies</li></ul></li></ul>
<div class="newsletter-signup"><p>NEWSLETTERTEXT Subscribe to our newsletter!</p></div>
<div class="related-posts"><article><h3>RELATEDTEXT You may also like</h3></article></div>
<footer class="entry-footer">Filed under <a href="/tag/green-tea/" rel="tag">Green Tea</a>, <a href="/tag/health/" rel="tag">Health</a></footer>
</article>
</main>
<aside class="widget-area"><section class="widget"><h2>ASIDETEXT Popular posts</h2><article><p>ASIDETEXT teaser</p></article></section></aside>
<div class="sidebar"><p>SIDEBARTEXT Archives</p></div>
</div>
<footer class="site-footer"><p>FOOTERTEXT 2023 The Tea Blog</p></footer>
<script>document.write("SCRIPTTEXT")</script>
<noscript>NOSCRIPTTEXT</noscript>
<div hidden>HIDDENTEXT</div><div style="display: none">HIDDENTEXT</div><p aria-hidden="true">HIDDENTEXT</p>
</body>
</html>
"""

# A documentation page: no <main> nor <article> (the densest element is the content), a canonical URL
# for the relative links and images, a table with a caption, a colspan, pipes and a list in cells, code
# with a language and backticks in it, lazy and tracking images, links of every kind.
DOCS = """<html><head>
<title>Brewing guide - Example Docs</title>
<link rel="canonical" href="https://docs.example.com/guides/brewing.html">
</head><body>
<div class="menu"><a href="/">Docs home</a></div>
<div class="page"><div class="content">
<h1>Brewing guide</h1>
<p>Water temperature matters more than most people think. Read this whole guide before you start.</p>
<table>
<caption>Steeping times</caption>
<colgroup><col><col></colgroup>
<tr><th>Tea</th><th>Minutes</th><th>Notes</th></tr>
<tr><td>Green</td><td>2</td><td>use <code>a|b</code> water</td></tr>
<tr><td>Black</td><td colspan="2">4 (or 5 | 6)</td></tr>
<tr><td>Oolong</td><td>3</td><td><ul><li>rinse</li><li>steep</li></ul></td></tr>
</table>
<h2><a href="#timer">A timer script</a><a class="headerlink" href="#timer">¶</a></h2>
<pre><code class="language-python">def steep(minutes):
    print(f"```{minutes}```")


steep(3)
</code></pre>
<p>Inline <code>time.sleep(`60`)</code> works too.</p>
<p><img src="/img/teapot.png" alt="A teapot"> <img data-src="img/cup.jpg" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="> <img src="pixel.gif" width="1" height="1"></p>
<p><a href="../faq.html#water">the FAQ</a>, <a href="#top">back to top</a>, <a href="javascript:void(0)">click me</a>, <a href="mailto:tea@example.com">mail us</a>.</p>
<p>See https://example.com/a_b_c for more.</p>
<dl><dt>Gyokuro</dt><dd>A shaded green tea.</dd></dl>
</div></div>
</body></html>
"""

# Q&A by schema.org microdata only (no Stack Exchange classes): the answers outside the question's scope,
# scores in <meta>, authors as Person items or plain text.
MICRODATA = """<html><head><title>Tea forum</title></head><body>
<div class="thread">
<div itemscope itemtype="https://schema.org/Question">
<h1 itemprop="name">Does milk cancel the benefits of tea?</h1>
<time itemprop="dateCreated" datetime="2021-03-02T10:00:00Z">2 March 2021</time>
<div itemprop="text"><p>I read that milk proteins bind the catechins. Is that true?</p></div>
<span itemprop="author">asker</span>
</div>
<div itemscope itemtype="https://schema.org/Answer">
<div itemprop="text"><p>Some studies say so, others do not.</p></div>
<meta itemprop="upvoteCount" content="3">
<div itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Ann</span></div>
</div>
<div itemprop="acceptedAnswer" itemscope itemtype="https://schema.org/Answer">
<div itemprop="text"><p>The effect is small: a splash of milk changes little.</p><p>Second paragraph.</p></div>
<meta itemprop="upvoteCount" content="1">
<span itemprop="author">Bob</span>
</div>
<div itemscope itemtype="https://schema.org/Answer">
<div itemprop="text"><p>Drink it as you like it.</p></div>
<meta itemprop="upvoteCount" content="7">
</div>
</div>
</body></html>
"""

# Text from a page that looks like Markdown (and Obsidian) structure: it must stay text.
TRICKY = """<html><head><title>x</title></head><body><main>
<h1>*Why* [1] &lt;b&gt;</h1>
<p># not a heading, [^1] not a note, [[Not a link]], ==not marked==, %%not hidden%%, #notatag.</p>
<p>1. not a list<br>- not a list<br>&gt; not a quote<br>| not | a table |<br>---</p>
<p><a href="https://example.com/x" onclick="steal()">a [link] *with* ](marks)</a> and &lt;script&gt;alert(1)&lt;/script&gt;</p>
<h2>A `heading` # with #marks ##</h2>
<blockquote><p>[!warning] not a callout</p></blockquote>
</main></body></html>
"""


# -- helpers -----------------------------------------------------------------------------------------------


def imported(folder: Path, page: str, url: str | None = None) -> tuple[Article, Imported]:
    """Import `page` into `folder`, and read it back (with `check` clean)."""
    result = from_html(page, url=url)
    folder.mkdir(exist_ok=True)
    write.write_article(folder, result)
    library = Library(folder)
    assert [str(problem) for problem in library.check()] == []
    article = library.article(result.stem)
    assert article is not None
    assert article.problems == ()
    return article, result


def titles(article: Article) -> list[str]:
    return [section.title for section in article.sections]


def text_of(article: Article) -> str:
    """All the article's text, as the reader has it (front matter and footnotes included)."""
    parts = [article.title, article.summary, *map(str, article.front.values())]
    for block in article.blocks:
        parts.append(repr(block))
    parts.extend(note.text for note in article.footnotes)
    return "\n".join(parts)


def assert_no_html(markdown: str) -> None:
    """No raw HTML anywhere in `markdown`, as the reader's own parser reads it."""
    for token in markdown_parser().parse(markdown):
        assert not token.type.startswith("html"), token
        for child in token.children or ():
            assert not child.type.startswith("html"), child


def front_matter(result: Imported) -> dict[str, object]:
    head = result.markdown.split("---\n", 2)[1]
    return yaml.safe_load(head)


def source_note(article: Article) -> Footnote:
    (note,) = article.footnotes
    assert note.label == "source"
    return note


# -- Stack Exchange --------------------------------------------------------------------------------------


def test_stack_overflow_page_gives_question_then_answers_accepted_first(tmp_path: Path) -> None:
    article, result = imported(tmp_path / "out", STACK_OVERFLOW)
    assert article.title == "Why is processing a sorted array faster than processing an unsorted array?"
    assert result.stem == "why-is-processing-a-sorted-array-faster-than-processing-an-unsorted-array"
    assert titles(article) == [
        "Question",
        "What is going on?",
        "Answer by Mysticial (score 34802, accepted)",
        "What is Branch Prediction?",
        "Answer by phuclv (score 4613)",
        "Answer by some_user* (score -2)",
    ]
    assert [s.level for s in article.sections] == [2, 3, 2, 3, 2, 2]
    # the summary is the accepted answer's first paragraph (not og:description, the question's)
    assert article.summary == "You are a victim of branch prediction fail."
    assert article.tags == ("java", "c++", "performance")
    url = "https://stackoverflow.com/questions/11227809/why-is-processing-a-sorted-array-faster-than-processing-an-unsorted-array"
    assert article.front["source_url"] == url
    assert article.front["source_date"] == "2012-06-27"
    assert article.front["imported_from"] == "html"
    text = text_of(article)
    for clutter in (
        "TOPBAR",
        "LEFTNAV",
        "ASKBUTTON",
        "UPVOTE",
        "DOWNVOTE",
        "SHAREMENU",
        "Improve this question",
        "EDITORNAME",
        "AVATAR",
        "QUESTIONCOMMENT",
        "SORTLABEL",
        "BOTTOMNOTICE",
        "SIDEBARBLOG",
        "RELATEDQUESTION",
        "FOOTERTEXT",
        "COOKIEBANNER",
        "SCRIPTTEXT",
        "STYLETEXT",
        "GManNickG",
        "505k",
    ):
        assert clutter not in text, clutter
    assert_no_html(result.markdown)


def test_stack_overflow_bodies_keep_code_tables_links_and_images_as_links(tmp_path: Path) -> None:
    article, result = imported(tmp_path / "out", STACK_OVERFLOW)
    (code,) = [block for block in article.blocks if isinstance(block, Code)]
    assert code.lang == "cpp"
    assert code.text.splitlines()[0] == "#include <algorithm>"
    assert "    if (data[c] >= 128)" in code.text.splitlines()
    (table,) = [block for block in article.blocks if isinstance(block, Table)]
    assert [plain(cell) for cell in table.header] == ["Case", "Time (s)"]
    assert [[plain(cell) for cell in row] for row in table.rows] == [
        ["Branch - Random", "11.777"],
        ["Branch | Sorted", "2.352"],
    ]
    # relative links made absolute from the page's canonical URL; the image is a link, never an image
    assert "https://stackoverflow.com/questions/315306/is-if-expensive" in article.links
    assert "https://i.sstatic.net/muxnt.jpg" in article.links
    assert article.images == ()
    assert "![" not in result.markdown
    assert "[Image showing a railroad junction](https://i.sstatic.net/muxnt.jpg)" in result.markdown
    # page text with Markdown marks in it reads as typed
    last = article.blocks[-1]
    assert isinstance(last, Paragraph)
    assert plain(last.inline) == "Just use a | b, a *lookup* table_name, [like this] <div> # not a heading."
    assert [span.style for span in last.inline if span.text == "a | b"] == ["code"]


def test_stack_overflow_source_footnote_ends_the_question(tmp_path: Path) -> None:
    article, result = imported(tmp_path / "out", STACK_OVERFLOW)
    note = source_note(article)
    url = "https://stackoverflow.com/questions/11227809/why-is-processing-a-sorted-array-faster-than-processing-an-unsorted-array"
    assert note.text == (
        f'Stack Overflow, "Why is processing a sorted array faster than processing an unsorted array?", '
        f"{url}, 2012-06-27."
    )
    assert url in article.links  # (a link in the note)
    body = result.markdown.split("\n---\n", 1)[1]
    question, answers = body.split("## Answer by Mysticial", 1)
    assert question.rstrip().endswith("Source: Stack Overflow.[^source]")
    assert answers.rstrip().splitlines()[-1].startswith("[^source]: Stack Overflow,")


def test_given_url_wins_and_old_markup_and_no_scores_still_read(tmp_path: Path) -> None:
    # older Stack Exchange markup: .post-text, .vote-count-post, .vote-accepted-on, no data-score
    page = """<html><head><title>How do I brew oolong? - Tea Stack Exchange</title></head><body>
    <div id="question"><table><tr><td class="votecell"><span class="vote-count-post">5</span></td>
    <td class="postcell"><div class="post-text"><p>How long should oolong steep?</p></div>
    <div class="post-taglist"><a href="/questions/tagged/oolong" class="post-tag">oolong</a></div></td></tr></table></div>
    <div id="answers">
    <div class="answer"><table><tr><td class="votecell"><span class="vote-count-post">2</span></td>
    <td class="answercell"><div class="post-text"><p>Three minutes.</p></div>
    <div class="user-details"><a href="/users/2/lee">Lee</a></div></td></tr></table></div>
    <div class="answer"><table><tr><td class="votecell"><span class="vote-count-post">1</span>
    <span class="vote-accepted-on">accepted</span></td>
    <td class="answercell"><div class="post-text"><p>Rinse first, then 30 seconds per infusion.</p></div>
    <div class="user-details">community wiki</div></td></tr></table></div>
    </div></body></html>"""
    article, _ = imported(tmp_path / "out", page, url="https://tea.stackexchange.com/questions/7")
    assert article.title == "How do I brew oolong?"  # (from <title>: the tag and the site's name cut off)
    assert titles(article) == [
        "Question",
        "Answer by community wiki (score 1, accepted)",
        "Answer by Lee (score 2)",
    ]
    assert article.summary == "Rinse first, then 30 seconds per infusion."
    assert article.tags == ("oolong",)
    assert article.front["source_url"] == "https://tea.stackexchange.com/questions/7"
    assert (
        source_note(article).text
        == 'tea.stackexchange.com, "How do I brew oolong?", https://tea.stackexchange.com/questions/7.'
    )


# -- microdata Q&A -----------------------------------------------------------------------------------------


def test_microdata_question_and_answers(tmp_path: Path) -> None:
    article, _ = imported(tmp_path / "out", MICRODATA, url="https://forum.example.net/t/42")
    assert article.title == "Does milk cancel the benefits of tea?"
    assert titles(article) == [
        "Question",
        "Answer by Bob (score 1, accepted)",
        "Answer (score 7)",
        "Answer by Ann (score 3)",
    ]
    assert article.summary == "The effect is small: a splash of milk changes little."
    assert article.front["source_date"] == "2021-03-02"
    question = article.blocks[1]
    assert isinstance(question, Paragraph)
    assert plain(question.inline) == "I read that milk proteins bind the catechins. Is that true?"
    assert "asker" not in text_of(article)
    assert source_note(article).text.startswith('forum.example.net, "Does milk cancel the benefits of tea?"')


def test_faq_page_with_several_microdata_questions_is_an_article(tmp_path: Path) -> None:
    pairs = [("How hot should the water be?", "80 degrees for green tea."), ("How long?", "Two minutes.")]
    items = "".join(
        f'<div itemscope itemtype="https://schema.org/Question"><h2 itemprop="name">{q}</h2>'
        f'<div itemprop="acceptedAnswer" itemscope itemtype="https://schema.org/Answer">'
        f'<p itemprop="text">{a}</p></div></div>'
        for q, a in pairs
    )
    page = f'<html><body itemscope itemtype="https://schema.org/FAQPage"><main><h1>Tea FAQ</h1>{items}</main></body></html>'
    article, _ = imported(tmp_path / "out", page, url="https://tea.example.org/faq")
    assert article.title == "Tea FAQ"
    assert titles(article) == ["How hot should the water be?", "How long?"]


# -- article pages -------------------------------------------------------------------------------------------


def test_blog_article_keeps_the_article_and_drops_the_clutter(tmp_path: Path) -> None:
    article, result = imported(tmp_path / "out", BLOG)
    assert article.title == "Is green tea good for focus?"
    assert titles(article) == ["Caffeine and focus", "How much is too much?", "L-theanine"]
    assert [s.level for s in article.sections] == [2, 3, 2]
    assert article.summary.startswith("Green tea pairs a little caffeine with L-theanine")
    assert article.tags == ("green-tea", "health", "focus")
    assert article.front["source_url"] == "https://tea.example.org/2023/05/green-tea-focus/"
    assert article.front["source_date"] == "2023-05-14"
    text = text_of(article)
    for clutter in (
        "COOKIETEXT",
        "Accept all",
        "HEADERTEXT",
        "NAVTEXT",
        "ADTEXT",
        "SHARETEXT",
        "NEWSLETTERTEXT",
        "RELATEDTEXT",
        "ASIDETEXT",
        "SIDEBARTEXT",
        "FOOTERTEXT",
        "SCRIPTTEXT",
        "STYLETEXT",
        "NOSCRIPTTEXT",
        "HIDDENTEXT",
    ):
        assert clutter not in text, clutter
    assert "https://tea.example.org/glossary/l-theanine/" in article.links
    lists = [block for block in article.blocks if isinstance(block, ListBlock)]
    assert len(lists) == 1 and len(lists[0].items) == 2
    # the text before the first heading is the first part: the source reference ends it
    body = result.markdown.split("\n---\n", 1)[1]
    lead = body.split("## Caffeine and focus", 1)[0]
    assert lead.rstrip().endswith("Source: The Tea Blog.[^source]")
    assert source_note(article).text == (
        'The Tea Blog, "Is green tea good for focus?", https://tea.example.org/2023/05/green-tea-focus/, 2023-05-14.'
    )


def test_docs_page_tables_code_images_and_links(tmp_path: Path) -> None:
    article, result = imported(tmp_path / "out", DOCS)
    assert article.title == "Brewing guide"
    assert titles(article) == ["A timer script"]
    assert (
        article.summary
        == "Water temperature matters more than most people think. Read this whole guide before you start."
    )
    assert "Docs home" not in text_of(article)  # (outside the densest element)
    (table,) = [block for block in article.blocks if isinstance(block, Table)]
    assert [plain(cell) for cell in table.header] == ["Tea", "Minutes", "Notes"]
    assert [[plain(cell) for cell in row] for row in table.rows] == [
        ["Green", "2", "use a|b water"],
        ["Black", "4 (or 5 | 6)", ""],
        ["Oolong", "3", "• rinse • steep"],
    ]
    (code,) = [block for block in article.blocks if isinstance(block, Code)]
    assert code.lang == "python"
    assert code.text == 'def steep(minutes):\n    print(f"```{minutes}```")\n\n\nsteep(3)'
    assert "time.sleep(`60`)" in [
        span.text for block in article.blocks if isinstance(block, Paragraph) for span in block.inline
    ]
    base = "https://docs.example.com/"
    assert article.links[:5] == (
        base + "img/teapot.png",
        base + "guides/img/cup.jpg",  # (the lazy image's data-src, not its placeholder)
        base + "faq.html#water",
        base + "guides/brewing.html#top",
        "mailto:tea@example.com",
    )
    assert "[A teapot](https://docs.example.com/img/teapot.png)" in result.markdown
    assert "[image](https://docs.example.com/guides/img/cup.jpg)" in result.markdown
    assert "pixel.gif" not in result.markdown and "data:" not in result.markdown
    assert "javascript" not in result.markdown and "click me" in text_of(article)
    # a bare web address is a link with its underscores intact
    assert "https://example.com/a_b_c" in article.links
    assert article.images == ()


def test_text_that_looks_like_markup_stays_text(tmp_path: Path) -> None:
    article, result = imported(tmp_path / "out", TRICKY, url="https://example.com/tricky")
    assert article.title == "*Why* [1] <b>"
    assert titles(article) == ["A `heading` # with #marks ##"]
    paragraphs = [plain(block.inline) for block in article.blocks if isinstance(block, Paragraph)]
    assert paragraphs[0].replace("\u2060", "") == (
        "# not a heading, [^1] not a note, [[Not a link]], ==not marked==, %%not hidden%%, #notatag."
    )
    assert paragraphs[1].split("\n") == [
        "1. not a list",
        "- not a list",
        "> not a quote",
        "| not | a table |",
        "---",
    ]
    assert paragraphs[2] == "a [link] *with* ](marks) and <script>alert(1)</script>"
    first = article.blocks[0]
    assert isinstance(first, Paragraph) and all(span.style == "" for span in first.inline)
    assert article.tags == () and article.comparisons == ()
    assert len(article.footnotes) == 1  # (only the source: `[^1]` is text)
    assert not any(type(block).__name__ == "Callout" for block in article.blocks)
    assert "onclick" not in result.markdown and "steal" not in result.markdown
    assert_no_html(result.markdown)
    assert "https://example.com/x" in article.links


def test_title_from_og_title_then_title_tag_without_the_site_name(tmp_path: Path) -> None:
    body = "<body><div><p>Some text long enough to be the content of this page.</p></div></body>"
    og = (
        f'<html><head><meta property="og:title" content="From og"><title>T | Site</title></head>{body}</html>'
    )
    assert from_html(og).title == "From og"
    for title, expected in [
        ("Tea facts | The Tea Blog", "Tea facts"),
        ("Tea facts - The Tea Blog", "Tea facts"),
        ("Tea - a history of the leaf in China and Japan", "Tea - a history of the leaf in China and Japan"),
    ]:
        assert from_html(f"<html><head><title>{title}</title></head>{body}</html>").title == expected


def test_summary_is_cut_at_a_word(tmp_path: Path) -> None:
    words = " ".join(f"word{n}" for n in range(100))
    article, _ = imported(
        tmp_path / "out", f"<html><body><article><h1>Long</h1><p>{words}</p></article></body></html>"
    )
    assert len(article.summary) <= 300
    assert article.summary.endswith("…")
    assert words.startswith(article.summary[:-1])
    assert article.summary[-2].isdigit()  # (a whole word, then the ellipsis)


def test_without_any_url_relative_links_are_text_and_the_page_is_cited_as_saved(tmp_path: Path) -> None:
    page = """<html><head><title>Notes on tea</title></head><body><article>
    <p>See <a href="/other">the other page</a> and <img src="Notes_files/leaf.png" alt="a leaf">
    and <img src="/pics/cup.png" alt="a cup">.</p></article></body></html>"""
    article, result = imported(tmp_path / "out", page)
    assert article.title == "Notes on tea"
    assert article.links == ()  # nothing that would lead nowhere (check would report it)
    (paragraph, *_) = [block for block in article.blocks if isinstance(block, Paragraph)]
    assert plain(paragraph.inline) == "See the other page and a leaf and a cup."
    assert "source_url" not in article.front
    assert source_note(article).text == 'Saved page, "Notes on tea".'
    assert result.notes == [
        "2 relative links kept as text: the page's address is unknown",
        "1 image saved beside the page kept as text",
    ]


def test_saved_from_comment_gives_the_url_and_og_url_beats_it() -> None:
    page = """<!-- saved from url=(0030)https://saved.example.com/page -->
    <html><head><title>Saved</title>{extra}</head><body><p>Text of the saved page, <a href="b">b</a>.</p></body></html>"""
    first = from_html(page.format(extra=""))
    assert front_matter(first)["source_url"] == "https://saved.example.com/page"
    assert front_matter(first)["summary"] == "Text of the saved page, b."
    assert "[b](https://saved.example.com/b)" in first.markdown
    second = from_html(page.format(extra='<meta property="og:url" content="https://og.example.com/p">'))
    assert front_matter(second)["source_url"] == "https://og.example.com/p"


# -- any text ------------------------------------------------------------------------------------------------

EXAMPLES = int(os.environ.get("QA_READER_FUZZ_EXAMPLES", "40"))
# Markdown, Obsidian and HTML marks, web addresses, and characters that could build more of them
_PIECES = [
    "https://e.com/a_b",
    "www.x.org",
    "[^1]",
    "[!note]",
    "[ ]",
    "[x]",
    "[[x]]",
    "%%",
    "==",
    "<div>",
    "&amp;",
]
_PIECES += [
    "`",
    "```",
    "1.",
    "1)",
    "- ",
    "+ ",
    "* ",
    "# ",
    "> ",
    "| ",
    "---",
    "***",
    "~~~",
    "\\",
    "![a](b)",
    "#tag",
]
_piece = st.one_of(
    st.sampled_from(_PIECES), st.text(alphabet="ab1 *_[]()<>#|~=%&+-!^`\\:.'\"", min_size=1, max_size=6)
)
_texts = (
    st.lists(_piece, min_size=1, max_size=8).map(lambda parts: " ".join(" ".join(parts).split())).filter(bool)
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_texts, paragraph=_texts, heading=_texts, item=_texts, cell=_texts, label=_texts, author=_texts)
def test_any_page_text_reads_as_typed(
    title: str, paragraph: str, heading: str, item: str, cell: str, label: str, author: str
) -> None:
    e = html.escape
    page = (
        f"<html><body><div id='question-header'><h1>{e(title)}</h1></div>"
        f"<div id='question'><div class='s-prose'><p>{e(paragraph)}</p><h2>{e(heading)}</h2>"
        f"<ul><li>{e(item)}</li></ul><table><tr><th>h</th><th>code</th></tr><tr><td>{e(cell)}</td>"
        f"<td><code>{e(cell)}</code></td></tr></table></div></div>"
        f"<div class='answer' data-score='3'><div class='s-prose'><p><a href='/x'>{e(label)}</a>"
        f"<img src='/i.png' alt='{e(label, quote=True)}'></p></div>"
        f"<div class='user-details'><a href='/u/1'>{e(author)}</a></div></div></body></html>"
    )
    with tempfile.TemporaryDirectory() as folder:  # (not tmp_path: one folder per example)
        article, result = imported(Path(folder), page, url="https://e.com/page")
    assert_no_html(result.markdown)

    def unjoined(text: str) -> str:  # (the word joiner that keeps `[^1]`, `[!x]`, `[ ]` text)
        return text.replace("\u2060", "")

    assert article.title == title
    assert [unjoined(s.title) for s in article.sections] == [
        "Question",
        heading,
        f"Answer by {author} (score 3)",
    ]
    paragraphs = [block for block in article.blocks if isinstance(block, Paragraph)]
    assert unjoined(plain(paragraphs[0].inline)) == paragraph
    (items,) = [block for block in article.blocks if isinstance(block, ListBlock)]
    assert items.items[0].checked is None
    assert unjoined(plain(items.items[0].blocks[0].inline)) == item
    (table,) = [block for block in article.blocks if isinstance(block, Table)]
    assert [unjoined(plain(part)) for part in table.rows[0]] == [cell, cell]
    for href in ("https://e.com/x", "https://e.com/i.png"):
        linked = [span.text for block in paragraphs for span in block.inline if span.link == href]
        assert unjoined("".join(linked)) == label


# -- what is no page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("", "not an HTML page: it is empty"),
        ("  \n\t ", "not an HTML page: it is empty"),
        ("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not an HTML page: binary data (NUL bytes)"),
        ("just some text, no tags <3 at all", "not an HTML page: no <html> or <body> found"),
        ("\ufffd\ufffd\x07\x1b[0m\ufffd", "not an HTML page: no <html> or <body> found"),
        ("<html><head><title>Only a title</title></head><body></body></html>", "not a page: no text found"),
        (
            "<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>",
            "not a page: no text found",
        ),
        (
            "<html><body><div><p>Text but no title anywhere.</p></div></body></html>",
            "not a page: no title found",
        ),
    ],
)
def test_what_is_no_page_is_refused_with_one_line(page: str, message: str) -> None:
    with pytest.raises(ImportProblem) as raised:
        from_html(page)
    assert str(raised.value) == message


def test_deeply_nested_page_is_refused_not_crashed() -> None:
    deep = "<html><head><title>Deep</title></head><body>" + "<div>" * 5000 + "text" + "</div>" * 5000
    with pytest.raises(ImportProblem, match="^not a readable page: its elements are nested too deeply$"):
        from_html(deep)
    usual = "<html><head><title>Deep</title></head><body>" + "<div>" * 200 + "text" + "</div>" * 200
    assert "\n\ntext\n\n" in from_html(usual).markdown


# -- the command line's check --------------------------------------------------------------------------------


def test_check_command_is_clean_on_every_imported_page(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    for page in (STACK_OVERFLOW, BLOG, DOCS, MICRODATA, TRICKY):
        write.write_article(folder, from_html(page))
    done = subprocess.run(
        [sys.executable, "-m", "tui", "check", "--content", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (done.stdout + done.stderr).strip() == "5 articles, no problems"
