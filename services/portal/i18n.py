"""Languages of the portal: catalogues compiled at start, the reader's language chosen per request.

The `.po` files under translations/ are the source; they are compiled to `.mo` files under VAR_DIR
when the app starts, so a fresh clone works without a build step and no binary is committed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request, session
from flask_babel import Babel
from flask_babel import gettext as _
from markupsafe import Markup

from shared import vocabulary
from shared.config import var_dir
from shared.i18n import DEFAULT_LOCALE, LOCALES, fallback_order, negotiate, pick

SOURCE = Path(__file__).parent / "translations"
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "zh": "中文"}


def compile_catalogues(target: Path) -> Path:
    """Every `.po` compiled to `.mo` under `target`, redone only when the `.po` is newer."""
    for po_path in SOURCE.glob("*/LC_MESSAGES/messages.po"):
        mo_path = target / po_path.relative_to(SOURCE).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as source:
            catalogue = read_po(source)
        partial = mo_path.with_suffix(f".{os.getpid()}.tmp")  # gunicorn workers start together
        with partial.open("wb") as out:
            write_mo(out, catalogue)
        partial.replace(mo_path)
    return target


def select_locale() -> str:
    """The switcher's choice for this session, else the signed-in person's profile language,
    else the browser's. Signing in starts a new session, so the profile's language applies."""
    from .auth import current_person

    chosen = session.get("lang")
    if chosen in LOCALES:
        return chosen
    person = current_person()
    if person and person.get("language") in LOCALES:
        return person["language"]
    return negotiate(request.headers.get("Accept-Language")) or DEFAULT_LOCALE


# The vocabularies a code is shown from, by kind.
VOCABULARIES = {
    "sector": vocabulary.SECTORS,
    "kind": vocabulary.KINDS,
    "park": vocabulary.PARKS,
    "size": vocabulary.SIZES,
}


def label(kind: str, code: str | None, language: str) -> str:
    """A vocabulary code (sector, kind, park, size) as words in the reader's language."""
    return pick(VOCABULARIES[kind].get(code or ""), language) or (code or "")


def choices(kind: str, language: str) -> list[tuple[str, str]]:
    return [(code, pick(labels, language)) for code, labels in VOCABULARIES[kind].items()]


def country_name(code: str | None, language: str) -> str:
    if not code:
        return ""
    return Locale.parse(babel_locale(language)).territories.get(code, code)


def country_choices(language: str) -> list[tuple[str, str]]:
    names = Locale.parse(babel_locale(language)).territories
    pairs = [(code, names.get(code, code)) for code in vocabulary.COUNTRIES]
    return sorted(pairs, key=lambda pair: pair[1])


# Regions of the country picker (UN M49 continents); the two parks' countries come first.
PARK_COUNTRIES = ("FR", "CN")
_REGIONS = {
    "150": """AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT
        JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA""",
    "142": """AE AF AM AZ BD BH BN BT CN GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM
        MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE""",
    "019": """AG AI AR AW BB BL BM BO BQ BR BS BV BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GS
        GT GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG
        VI""",
    "002": """AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR LS
        LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ UG
        YT ZA ZM ZW""",
    "009": """AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF
        WS""",
    "AQ": "AQ",
}
REGION_OF = {code: region for region, codes in _REGIONS.items() for code in codes.split()}


def country_groups(
    choices: list[tuple[str, str]], language: str
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The picker's countries in groups: the two parks' countries, then each continent, each
    named in `language`; the order of `choices` is kept inside a group."""
    names = Locale.parse(babel_locale(language)).territories
    parks = [c for c in choices if c[0] in PARK_COUNTRIES]
    parks.sort(key=lambda c: PARK_COUNTRIES.index(c[0]))
    groups = [(_("Countries of the two parks"), parks)] if parks else []
    for region in _REGIONS:
        members = [c for c in choices if REGION_OF.get(c[0]) == region]
        members = [c for c in members if c[0] not in PARK_COUNTRIES]
        if members:
            groups.append((names.get(region, region), members))
    return groups


def picked_language(text: dict | None, language: str) -> str | None:
    """The language `pick(text, language)` answers in (None when there is no text)."""
    for code in fallback_order(language):
        if (text or {}).get(code):
            return code
    return None


def fallback_note(text: dict | None, language: str) -> Markup:
    """ "(original in French)" when `text` is shown in another language than the reader's,
    so nobody takes it for a translation missing by mistake; empty otherwise."""
    code = picked_language(text, language)
    if code is None or code == language:
        return Markup("")
    name = Locale.parse(babel_locale(language)).languages.get(code, code)
    note = _("original in %(language)s", language=name)
    return Markup('<span class="fallback-note">({})</span>').format(note)


def lang_attribute(text: dict | None, language: str) -> Markup:
    """` lang="fr"` for an element showing `text` in another language than the page's."""
    code = picked_language(text, language)
    if code is None or code == language:
        return Markup("")
    return Markup(' lang="{}"').format(babel_locale(code).replace("_", "-"))


def babel_locale(language: str) -> str:
    return "zh_Hans" if language == "zh" else language


def init_app(app: Flask) -> None:
    try:
        directory = compile_catalogues(var_dir() / "portal-translations")
    except OSError:  # a read-only VAR_DIR (container image): compile to a private temp dir
        directory = compile_catalogues(Path(tempfile.mkdtemp(prefix="portal-translations-")))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(directory)
    app.config["BABEL_DEFAULT_LOCALE"] = DEFAULT_LOCALE
    Babel(app, locale_selector=select_locale)
