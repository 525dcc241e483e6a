"""Words a project is found by (the machinery is shared.text_terms, as for the directory).

Chinese words also give their pinyin, so a reader without a Chinese keyboard finds "人工智能" by
typing "rengongzhineng". Filters are facet terms with a colon.
"""

from __future__ import annotations

from collections.abc import Iterable

from shared.text_terms import (  # noqa: F401 - the search's vocabulary of term helpers
    facet,
    fold,
    prefix_upper_bound,
    query_terms,
)
from shared.text_terms import text_terms as _text_terms
from shared.vocabulary import SECTORS


def text_terms(text: str | None) -> set[str]:
    """Folded Latin words, jieba's Chinese words and their pinyin."""
    return _text_terms(text, with_pinyin=True)


def project_terms(
    *,
    title: dict,
    summary: dict,
    description: dict,
    keywords: Iterable[str],
    sectors: Iterable[str],
    seeks_countries: Iterable[str],
    seeks_kinds: Iterable[str],
    seeks_skills: Iterable[str],
    kind: str,
) -> set[str]:
    """Every term a project is found by, its facets included."""
    terms: set[str] = set()
    for text in (*title.values(), *summary.values(), *description.values()):
        terms |= text_terms(text)
    for word in (*keywords, *seeks_skills):
        terms |= text_terms(word)
    for code in sectors:
        terms.add(facet("sector", code))
        for label in SECTORS.get(code, {}).values():
            terms |= text_terms(label)
    terms.update(facet("seeks_country", c) for c in seeks_countries)
    terms.update(facet("seeks_kind", k) for k in seeks_kinds)
    terms.add(facet("kind", kind))
    return terms
