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
