"""API refusals said from their stable codes: every code has its words in en, fr and zh.

The catalogue of codes is the services' own (shared.error_codes, each service's error_codes,
shared.field_errors); a code added there without words in the portal fails here, as does a word
left untranslated. The English `detail` of an answer is never shown.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from services.announcements.error_codes import CODES as ANNOUNCEMENTS
from services.members.domain.tokens import SCOPES as MEMBERS_SCOPES
from services.members.error_codes import CODES as MEMBERS
from services.notifications.error_codes import CODES as NOTIFICATIONS
from services.portal import api_vocabulary, i18n, problem_messages
from services.portal.api_client import ApiError
from services.projects.error_codes import CODES as PROJECTS
from shared.error_codes import GENERIC, catalogue
from shared.events import catalogue as events
from shared.field_errors import FIELD_ERROR_CODES
from tests.support.servers import free_port

EVERY_CODE = {**catalogue(MEMBERS), **PROJECTS, **ANNOUNCEMENTS, **NOTIFICATIONS}
WEBHOOK_TYPES = sorted({e.name for e in events.catalogue().values() if e.webhook})
TRANSLATIONS = Path(problem_messages.__file__).parent / "translations"


@pytest.fixture(scope="module")
def bare_app():
    from services.portal import create_app

    return create_app({"TESTING": True, "PORTAL_API_URL": f"http://127.0.0.1:{free_port()}"})


@pytest.fixture
def reading(bare_app):
    """Run what follows as a request in `language`."""
    contexts = []

    def enter(language: str) -> None:
        if contexts:
            contexts.pop().pop()
        context = bare_app.test_request_context("/", headers={"Accept-Language": language})
        context.push()
        contexts.append(context)

    yield enter
    for context in contexts:
        context.pop()


def _said(reading, language: str, say) -> dict:
    reading(language)
    return say()


def test_the_portal_knows_exactly_the_codes_the_services_answer():
    assert set(GENERIC) <= set(EVERY_CODE)
    assert set(problem_messages.PROBLEMS) == set(EVERY_CODE)
    assert set(problem_messages._field_messages()) == set(FIELD_ERROR_CODES)


def test_the_portal_knows_every_webhook_event_type_and_every_scope():
    assert set(api_vocabulary.EVENT_TYPES) == set(WEBHOOK_TYPES)
    assert set(api_vocabulary.SCOPES) == set(MEMBERS_SCOPES)


def _every_message() -> dict[str, str]:
    said = {f"problem {code}": problem_messages.problem(code) for code in EVERY_CODE}
    for code in FIELD_ERROR_CODES:
        entry = {"code": code, "params": {"min": 3, "max": 9, "equal": 5}}
        said[f"field {code}"] = problem_messages.field(entry)
    for name in WEBHOOK_TYPES:
        said[f"event type {name}"] = api_vocabulary.event_type(name)
    for name in MEMBERS_SCOPES:
        said[f"scope {name}"] = api_vocabulary.scope(name)
    return said


def test_every_code_event_type_and_scope_has_a_message_in_english_french_and_chinese(reading):
    english = _said(reading, "en", _every_message)
    french = _said(reading, "fr", _every_message)
    chinese = _said(reading, "zh", _every_message)
    assert all(english.values())
    for key, text in english.items():
        assert french[key] and french[key] != text, f"fr: {key} is not translated"
        assert chinese[key] and chinese[key] != text, f"zh: {key} is not translated"
        assert re.search(r"[\u4e00-\u9fff]", chinese[key]), f"zh: {key} has no Chinese"
    assert english["field too_long"] == "Use at most 9 characters."
    assert french["field too_long"] == "Utilisez au plus 9 caractères."
    assert chinese["field out_of_range"] == "请填写 3 到 9 之间的数字。"


def test_a_refusal_is_said_from_its_codes_never_from_its_english_detail(reading):
    reading("fr")
    error = ApiError(
        status=422,
        code="organisation.registration_number_invalid",
        detail="This SIREN's check digit is wrong: check for a typing error.",
        errors=[
            {"pointer": "/organisation/registration_number", "code": "invalid", "detail": "x"},
            {"pointer": "/organisation/name", "code": "invalid", "detail": "Write the name..."},
            {"pointer": "/admin/email", "code": "too_long", "params": {"max": 254}, "detail": "y"},
            {"pointer": "/admin/password", "code": "too_short", "detail": "Use at least 10..."},
            {"pointer": "/city", "code": "something_new", "detail": "Brand new English."},
        ],
    )
    said = problem_messages.translated(error, {"name": "Écrivez le nom en alphabet latin."})
    assert said.detail.startswith("Ce numéro d'immatriculation n'est pas valide")
    assert [e["detail"] for e in said.errors] == [
        said.detail,  # `invalid` on a field the form has no words for: the rule's message
        "Écrivez le nom en alphabet latin.",
        "Utilisez au plus 254 caractères.",
        # too_short without `params`: the problem's rule says it (no "at least  characters")
        said.detail,
        said.detail,  # a field code newer than the portal: the rule again
    ]
    assert problem_messages.field({"code": "something_new"}) == "Cette valeur n'est pas valide."
    unknown = problem_messages.translated(ApiError(status=409, code="new.rule", detail="English"))
    assert unknown.detail == "La demande a été refusée."


def test_the_token_endpoints_oauth_errors_carry_their_problem_code():
    class Answer:
        status_code = 400
        reason = "Bad Request"

        @staticmethod
        def json():
            return {"error": "invalid_grant", "error_description": "Wrong password."}

    assert ApiError.from_response(Answer()).code == "oauth.invalid_grant"


def _catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


def test_french_puts_a_narrow_no_break_space_before_high_punctuation():
    wrong = re.compile(r"(?:^|[^\u202f])[:;!?](?=\s|$)")
    faulty = []
    for message in _catalogue("fr"):
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and any(t and wrong.search(t) for t in texts):
            faulty.append(message.string)
    assert not faulty
    assert _catalogue("fr")["Status:"].string == "État\u202f:"


def test_chinese_calls_an_event_huodong_and_signing_up_for_it_baoming():
    chinese = _catalogue("zh")
    assert chinese["Event"].string == chinese["Events"].string == "活动"
    assert "报名" in chinese["Sign up for this event"].string
    french = _catalogue("fr")
    assert french["Published"].string == "Publiée"  # an announcement's status, singular


def test_a_text_in_a_fallback_language_says_it_is_the_original(reading):
    reading("zh")
    assert i18n.fallback_note({"fr": "Bonjour", "zh": "你好"}, "zh") == ""
    assert "原文为英语" in i18n.fallback_note({"en": "Hello", "fr": "Bonjour"}, "zh")
    assert i18n.lang_attribute({"en": "Hello"}, "zh") == ' lang="en"'
    reading("en")
    assert "original in French" in i18n.fallback_note({"fr": "Bonjour"}, "en")
