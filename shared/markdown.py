"""Markdown written by members, served as HTML that is safe to show anywhere.

Authors write Markdown (a little inline HTML allowed); readers get HTML that nh3 has reduced to
text formatting and links: no script, style, image, frame, event handler or `javascript:` URL.
Services keep the Markdown source for editing and store the HTML beside it.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_RENDERER = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")
_TAGS = {
    "a", "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render(source: str) -> str:
    """Sanitised HTML of one Markdown text; links open without handing the page over."""
    return nh3.clean(
        _RENDERER.render(source),
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def render_localized(texts: dict | None) -> dict:
    """Each locale's Markdown rendered."""
    return {locale: render(source) for locale, source in (texts or {}).items()}
