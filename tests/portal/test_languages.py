"""Language: the profile's, else Accept-Language, with a switcher; every string translated."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

PORTAL = Path(__file__).resolve().parents[2] / "services" / "portal"
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _extracted() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PORTAL), METHODS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalogue(language: str):
    with (PORTAL / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


def test_every_string_is_translated_in_english_french_and_chinese():
    messages = _extracted()
    assert len(messages) > 100
    for language in ("en", "fr", "zh"):
        catalogue = _catalogue(language)
        missing = sorted(m for m in messages if m not in catalogue)
        assert not missing, f"{language}: not in the catalogue: {missing}"
        if language == "en":
            continue  # English strings are the msgids themselves
        untranslated = sorted(m for m in messages if not catalogue[m].string or catalogue[m].fuzzy)
        assert not untranslated, f"{language}: untranslated: {untranslated}"


def test_accept_language_chooses_the_language_of_an_anonymous_visitor(browser):
    french = browser.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="fr">' in french and "Zone de développement de Jiangning" in french
    chinese = browser.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in chinese and "江宁开发区" in chinese


def test_the_switcher_needs_its_csrf_token(browser):
    assert browser.client.post("/language", data={"lang": "zh"}).status_code == 400


def test_the_switcher_changes_the_language_and_returns_to_the_page(browser):
    response = browser.submit("/language", {"lang": "zh", "next": "/directory"}, page="/directory")
    assert response.status_code == 302 and response.headers["Location"] == "/directory"
    page = browser.get("/directory", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page


def test_the_switcher_never_redirects_off_site(browser):
    response = browser.submit("/language", {"lang": "fr", "next": "//evil.example/"}, page="/")
    assert response.headers["Location"] == "/"


def test_the_switcher_changes_the_sessions_language_and_only_the_profile_page_the_profiles(
    browser, make, members_app
):
    from services.members.models import User, db

    org = make.organisation()
    person = make.admin(org, language="fr")
    browser.sign_in(person.email)
    page = browser.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in page
    browser.submit("/language", {"lang": "zh", "next": "/"}, page="/")
    assert '<html lang="zh-Hans">' in browser.get("/").get_data(as_text=True)
    with members_app.app_context():
        db.session.remove()
        assert db.session.get(User, person.id).language == "fr"

    saved = browser.submit(
        "/account",
        {"full_name": person.full_name, "language": "en", "timezone": "Europe/Paris"},
    )
    assert saved.status_code == 302
    assert '<html lang="en">' in browser.get("/account").get_data(as_text=True)
    with members_app.app_context():
        db.session.remove()
        assert db.session.get(User, person.id).language == "en"
