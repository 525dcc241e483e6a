"""Markdown descriptions rendered to HTML that is safe to show: markdown-it, then nh3."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# Raw HTML in the source is shown as text, never passed through; nh3 cleans what remains.
_RENDERER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_TAGS = {
    "a", "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render(source: str) -> str:
    """Sanitised HTML of one Markdown text: no scripts, no styles, links opened safely."""
    return nh3.clean(
        _RENDERER.render(source),
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def render_localized(text: dict | None) -> dict:
    """Each locale's Markdown rendered."""
    return {locale: render(source) for locale, source in (text or {}).items()}
