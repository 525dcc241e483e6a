"""Words an organisation is found by in the directory (the machinery is shared.text_terms)."""

from __future__ import annotations

from collections.abc import Iterable

from shared.text_terms import (  # noqa: F401 - the directory's vocabulary of term helpers
    MAX_TERM_LENGTH,
    chinese_name_terms,
    facet,
    fold,
    name_pinyin,
    prefix_upper_bound,
    query_terms,
    text_terms,
)
from shared.vocabulary import SECTORS


def sector_term(code: str) -> str:
    """The facet term a sector filter looks up (a colon never occurs in a word term)."""
    return facet("sector", code)


def organisation_terms(
    *,
    name: str,
    name_zh: str | None,
    city: str | None,
    description: dict | None,
    sectors: Iterable[str] | None,
) -> set[str]:
    """Every term an organisation is found by, its sector facets included."""
    terms = text_terms(name) | chinese_name_terms(name_zh) | text_terms(city)
    for text in (description or {}).values():
        terms |= text_terms(text)
    for code in sectors or ():
        terms.add(sector_term(code))
        for label in SECTORS.get(code, {}).values():
            terms |= text_terms(label)
    return terms
