"""Why a match was made, in the reader's language (en, fr, zh)."""

from __future__ import annotations

from babel import Locale

from shared.i18n import DEFAULT_LOCALE, LOCALES
from shared.vocabulary import KINDS, SECTORS

_COUNTRY_NAMES = {
    "FR": {"en": "France", "fr": "la France", "zh": "法国"},
    "CN": {"en": "China", "fr": "la Chine", "zh": "中国"},
}
_TEMPLATES = {
    "sectors": {
        "en": "Works in the project's sectors: {labels}.",
        "fr": "Travaille dans les secteurs du projet : {labels}.",
        "zh": "从事该项目的领域：{labels}。",  # noqa: RUF001 - Chinese punctuation
    },
    "country": {
        "en": "The project seeks a partner in {country}.",
        "fr": "Le projet cherche un partenaire de ce pays : {country}.",
        "zh": "该项目寻找来自{country}的合作伙伴。",
    },
    "kind": {
        "en": "The project seeks this kind of organisation: {kind}.",
        "fr": "Le projet cherche ce type d'organisation : {kind}.",
        "zh": "该项目寻找此类机构：{kind}。",  # noqa: RUF001 - Chinese punctuation
    },
    "keywords": {
        "en": "Its profile mentions {words}.",
        "fr": "Son profil mentionne {words}.",
        "zh": "其简介提及{words}。",
    },
    "bridge": {
        "en": "A cooperation between {a} and {b}, which the platform exists for.",
        "fr": "Une coopération entre {a} et {b}, raison d'être de la plateforme.",
        "zh": "{a}与{b}之间的合作，正是平台的宗旨。",  # noqa: RUF001 - Chinese punctuation
    },
}


def _locale(language: str | None) -> str:
    return language if language in LOCALES else DEFAULT_LOCALE


def _separator(locale: str) -> str:
    return "、" if locale == "zh" else ", "


def sectors(codes: list[str], language: str | None) -> str:
    locale = _locale(language)
    labels = _separator(locale).join(SECTORS[code][locale] for code in codes)
    return _TEMPLATES["sectors"][locale].format(labels=labels)


def country(code: str, language: str | None) -> str:
    """The country sought by its name in the reader's language (CLDR's, through Babel)."""
    locale = _locale(language)
    territories = Locale.parse("zh_Hans" if locale == "zh" else locale).territories
    return _TEMPLATES["country"][locale].format(country=territories.get(code, code))


def kind(code: str, language: str | None) -> str:
    locale = _locale(language)
    return _TEMPLATES["kind"][locale].format(kind=KINDS[code][locale])


def keywords(words: list[str], language: str | None) -> str:
    locale = _locale(language)
    return _TEMPLATES["keywords"][locale].format(words=_separator(locale).join(words))


def bridge(owner_country: str, partner_country: str, language: str | None) -> str:
    locale = _locale(language)
    return _TEMPLATES["bridge"][locale].format(
        a=_COUNTRY_NAMES[owner_country][locale], b=_COUNTRY_NAMES[partner_country][locale]
    )
