"""Words a record is found by, the same way on SQLite and PostgreSQL, in any of our languages.

Database full-text search differs between the two and finds nothing in unspaced Chinese, so
services keep their own terms tables: Latin text lowercased with accents folded, Chinese text cut
into words by jieba, and pinyin (each syllable and the joined syllables) so people without a
Chinese keyboard find Chinese text too. Facets (`sector:iot`) share the table: a colon never
occurs in a word term.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata

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


@functools.cache
def _jieba():
    """jieba, imported and quietened once: `setLogLevel` clears every logger's level cache."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def preload() -> None:
    """Load jieba's dictionary now (about a second), not in the first Chinese query's request.

    A service whose requests cut Chinese text calls this from its app factory, so each
    gunicorn worker pays it while booting; loading is once per process.
    """
    _jieba().initialize()


def pinyin(text: str) -> list[str]:
    """The pinyin syllables of Chinese text, without tones."""
    from pypinyin import lazy_pinyin

    return [s for s in lazy_pinyin(text, errors="ignore") if s.isalpha()]


def name_pinyin(name_zh: str | None) -> str | None:
    """Space-separated pinyin of a Chinese name, for sorting and search, never shown as a name."""
    if not name_zh:
        return None
    return " ".join(pinyin(name_zh)) or None


def clip(term: str) -> str:
    return term[:MAX_TERM_LENGTH]


def _is_cjk(run: str) -> bool:
    return bool(_CJK_RUN.fullmatch(run))


def text_terms(text: str | None, *, with_pinyin: bool = False) -> set[str]:
    """Folded Latin words and jieba's search-mode Chinese words (and their pinyin if asked)."""
    terms: set[str] = set()
    for run in _RUNS.findall(fold(text or "")):
        if _is_cjk(run):
            if with_pinyin:  # "wulianwang" finds 物联网, which jieba cuts in two
                terms.add(clip("".join(pinyin(run))))
            for word in _jieba().cut_for_search(run):
                if not word.strip():
                    continue
                terms.add(clip(word))
                if with_pinyin:
                    syllables = pinyin(word)
                    terms.update(syllables)
                    terms.add(clip("".join(syllables)))
        elif run not in STOPWORDS:
            terms.add(clip(run))
    return {t for t in terms if t}


def chinese_name_terms(name_zh: str | None) -> set[str]:
    """A Chinese name's words, its single characters and its pinyin in three spellings."""
    if not name_zh:
        return set()
    terms = text_terms(name_zh)
    for run in _CJK_RUN.findall(name_zh):
        terms.update(run)  # single characters: a one-character query still finds the name
        syllables = pinyin(run)
        terms.update(syllables)
        terms.add(clip("".join(syllables)))
        for word in _jieba().cut(run):
            terms.add(clip("".join(pinyin(word))))
    return {t for t in terms if t}


def facet(name: str, code: str) -> str:
    """A filter term (`sector:iot`): a colon never occurs in a word term."""
    return f"{name}:{code}"


def query_terms(query: str | None) -> tuple[list[str], str | None]:
    """A query's exact terms and, when it ends in a Latin word, that word as a prefix."""
    exact: list[str] = []
    runs = _RUNS.findall(fold(query or ""))
    for run in runs:
        if _is_cjk(run):
            exact.extend(clip(w) for w in _jieba().cut(run) if w.strip())
        elif run not in STOPWORDS:
            exact.append(clip(run))
    prefix = None
    if runs and not _is_cjk(runs[-1]) and exact and exact[-1] == clip(runs[-1]):
        prefix = exact.pop()
    return list(dict.fromkeys(exact)), prefix


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string starting with `prefix` (for an indexed range)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
