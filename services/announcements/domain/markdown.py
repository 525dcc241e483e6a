"""Markdown to safe HTML: authors write Markdown, readers get HTML with no script in it."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")


def to_html(source: str) -> str:
    """The sanitised HTML of one Markdown text."""
    # nh3's defaults drop <script>, <style>, every on* attribute and javascript: URLs.
    return nh3.clean(_renderer.render(source), link_rel="noopener noreferrer")


def render(texts: dict) -> dict:
    """Each locale's Markdown rendered; the source is kept beside it by the caller."""
    return {locale: to_html(text) for locale, text in texts.items()}
