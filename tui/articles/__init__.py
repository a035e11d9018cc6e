"""The content model: find, parse and print articles. No Textual import anywhere in here."""

from tui.articles.library import Library, LinkTarget, bundled_content
from tui.articles.model import Article, ArticleInfo, Comparison, Footnote, Problem, Section

__all__ = [
    "Article",
    "ArticleInfo",
    "Comparison",
    "Footnote",
    "Library",
    "LinkTarget",
    "Problem",
    "Section",
    "bundled_content",
]
