"""Words a project is found by, the same way on SQLite and PostgreSQL (members' approach).

Latin text is lowercased with accents folded; Chinese text is cut into words by jieba, and
each Chinese word also gives its pinyin (syllables and joined), so a reader without a Chinese
keyboard finds "人工智能" by typing "rengongzhineng" (each unspaced Chinese run's whole pinyin is
a term as well). Filters are facet terms with a colon.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable

from shared.vocabulary import SECTORS

from ..models import MAX_TERM_LENGTH

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l"})
_STOPWORDS = "a an and at de des d du et for in l la le les of on s the to un une"
STOPWORDS = frozenset(_STOPWORDS.split(" "))


def fold(text: str) -> str:
    """Lowercase without accents: "Réalité" and "realite" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _pinyin(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [s for s in lazy_pinyin(text, errors="ignore") if s.isalpha()]


def _clip(term: str) -> str:
    return term[:MAX_TERM_LENGTH]


def _is_cjk(run: str) -> bool:
    return bool(_CJK_RUN.fullmatch(run))


def text_terms(text: str | None) -> set[str]:
    """Folded Latin words, jieba's Chinese words and their pinyin."""
    terms: set[str] = set()
    for run in _RUNS.findall(fold(text or "")):
        if _is_cjk(run):
            # The whole run's pinyin too: "wulianwang" finds 物联网, which jieba cuts in two.
            terms.add(_clip("".join(_pinyin(run))))
            for word in _jieba().cut_for_search(run):
                if word.strip():
                    terms.add(_clip(word))
                    syllables = _pinyin(word)
                    terms.update(syllables)
                    terms.add(_clip("".join(syllables)))
        elif run not in STOPWORDS:
            terms.add(_clip(run))
    return {t for t in terms if t}


def facet(name: str, code: str) -> str:
    """A filter term (a colon never occurs in a word term)."""
    return f"{name}:{code}"


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


def query_terms(query: str | None) -> tuple[list[str], str | None]:
    """A query's exact terms and, when it ends in a Latin word, that word as a prefix."""
    exact: list[str] = []
    runs = _RUNS.findall(fold(query or ""))
    for run in runs:
        if _is_cjk(run):
            exact.extend(_clip(w) for w in _jieba().cut(run) if w.strip())
        elif run not in STOPWORDS:
            exact.append(_clip(run))
    prefix = None
    if runs and not _is_cjk(runs[-1]) and exact and exact[-1] == _clip(runs[-1]):
        prefix = exact.pop()
    return list(dict.fromkeys(exact)), prefix


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
