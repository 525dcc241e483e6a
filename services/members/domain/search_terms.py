"""Words an organisation is found by, the same way on SQLite and PostgreSQL.

Database full-text search differs between the two and finds nothing in unspaced Chinese, so
the directory keeps its own terms table: Latin text lowercased with accents folded, Chinese
text cut into words by jieba, and the pinyin of the Chinese name (each syllable, each word's
joined syllables and the whole name joined) so people without a Chinese keyboard find it too.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable

from shared.vocabulary import SECTORS

MAX_TERM_LENGTH = 64
# Chinese ideographs (CJK unified, extension A, compatibility).
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l"})
_STOPWORDS = "a an and at de des d du et for in l la le les of on s the to un une"
STOPWORDS = frozenset(_STOPWORDS.split())


def fold(text: str) -> str:
    """Lowercase without accents: "Société Générale" and "societe generale" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _pinyin(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [s for s in lazy_pinyin(text, errors="ignore") if s.isalpha()]


def name_pinyin(name_zh: str | None) -> str | None:
    """Space-separated pinyin of a Chinese name, for sorting and search, never shown as a name."""
    if not name_zh:
        return None
    return " ".join(_pinyin(name_zh)) or None


def _clip(term: str) -> str:
    return term[:MAX_TERM_LENGTH]


def _is_cjk(run: str) -> bool:
    return bool(_CJK_RUN.fullmatch(run))


def text_terms(text: str | None) -> set[str]:
    """Terms of a free text: folded Latin words and jieba's search-mode Chinese words."""
    terms: set[str] = set()
    for run in _RUNS.findall(fold(text or "")):
        if _is_cjk(run):
            terms.update(w for w in _jieba().cut_for_search(run) if w.strip())
        elif run not in STOPWORDS:
            terms.add(_clip(run))
    return terms


def chinese_name_terms(name_zh: str | None) -> set[str]:
    """A Chinese name's words, its single characters and its pinyin in three spellings."""
    if not name_zh:
        return set()
    terms = text_terms(name_zh)
    for run in _CJK_RUN.findall(name_zh):
        terms.update(run)  # single characters: a one-character query still finds the name
        syllables = _pinyin(run)
        terms.update(syllables)
        terms.add(_clip("".join(syllables)))
        for word in _jieba().cut(run):
            terms.add(_clip("".join(_pinyin(word))))
    return {t for t in terms if t}


def sector_term(code: str) -> str:
    """The facet term a sector filter looks up (a colon never occurs in a word term)."""
    return f"sector:{code}"


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


def query_terms(query: str | None) -> tuple[list[str], str | None]:
    """A query's exact terms and, when it ends in a Latin word, that word as a prefix."""
    exact: list[str] = []
    runs = _RUNS.findall(fold(query or ""))
    for run in runs:
        if _is_cjk(run):
            exact.extend(w for w in _jieba().cut(run) if w.strip())
        elif run not in STOPWORDS:
            exact.append(_clip(run))
    prefix = None
    if runs and not _is_cjk(runs[-1]) and exact and exact[-1] == _clip(runs[-1]):
        prefix = exact.pop()
    return list(dict.fromkeys(exact)), prefix


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string starting with `prefix` (for an indexed range)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
