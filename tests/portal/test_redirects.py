"""The portal sends browsers back only to paths of this site, whatever `next` says."""

from __future__ import annotations

import pytest

from services.portal.redirects import UnsafeRedirect, safe_path
from tests.members.factories import PASSWORD

DEFAULT = "/dashboard"
# Each leaves the site in some browser, plainly or once percent-decoded (once or twice).
ELSEWHERE = [
    "//evil.example",
    "//evil.example/%2e%2e",
    "/\\evil.example",
    "\\\\evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%252F/evil.example",
    "%252F%252Fevil.example",
    "https://evil.example/",
    "http:/evil.example",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "javascript%3Aalert(1)",
    "evil.example",
    "data:text/html,<script>alert(1)</script>",
    " //evil.example",
    "/projects\\..\\..\\evil",
]
# Tabs and line breaks: browsers drop them (`/\t/evil` becomes `//evil`); in a header they split it.
CONTROL = [
    "/\t/evil.example",
    "/%09/evil.example",
    "/%2509/evil.example",
    "/\r\nSet-Cookie: x=1",
    "/%0d%0aSet-Cookie:%20x=1",
    "/%0D%0ALocation:%20//evil.example",
    "/%250d%250a",
    "/\x00",
    "/%00",
    "/%7F",
    "/\u2028evil",
]
SAME_SITE = [
    "/account",
    "/projects?q=%E4%B8%AD%E5%9B%BD&sector=iot",
    "/projects/3f1c?tab=applications#top",
    "/announcements/events?from=2026-12-01",
    "/search?q=50%25",
]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_anything_but_a_path_of_this_site_goes_to_the_default(target):
    assert safe_path(target, DEFAULT) == DEFAULT


@pytest.mark.parametrize("target", CONTROL)
def test_a_control_character_in_any_decoding_is_a_bad_request(target):
    with pytest.raises(UnsafeRedirect):
        safe_path(target, DEFAULT)


@pytest.mark.parametrize("target", SAME_SITE)
def test_a_path_of_this_site_is_kept_as_given(target):
    assert safe_path(target, DEFAULT) == target


@pytest.mark.parametrize("target", [None, ""])
def test_no_target_goes_to_the_default(target):
    assert safe_path(target, DEFAULT) == DEFAULT


def test_signing_in_with_a_tab_smuggled_next_is_a_bad_request_not_a_redirect(browser):
    page = browser.get("/sign-in?next=/%09/evil.example")
    assert page.status_code == 400
    assert "Location" not in page.headers


def test_signing_in_with_a_crlf_next_is_a_400_page_not_a_500(browser):
    page = browser.get("/sign-in?next=/%0d%0aSet-Cookie:%20x=1")
    assert page.status_code == 400
    assert page.mimetype == "text/html"


def test_signing_in_with_an_absolute_next_lands_on_the_dashboard(browser, make):
    person = make.user(make.organisation())
    for target in ("//evil.example", "/\\evil.example", "https://evil.example"):
        response = browser.submit(
            "/sign-in",
            {"email": person.email, "password": PASSWORD, "next": target},
            page="/sign-in",
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/dashboard", target


def test_the_language_switch_never_leaves_the_site(browser):
    page = browser.get("/")
    from tests.portal.support import csrf_token

    token = csrf_token(page.get_data(as_text=True))
    away = browser.client.post(
        "/language", data={"csrf_token": token, "lang": "fr", "next": "/%5Cevil.example"}
    )
    assert away.headers["Location"] == "/"
    smuggled = browser.client.post(
        "/language", data={"csrf_token": token, "lang": "fr", "next": "/%0d%0aX: y"}
    )
    assert smuggled.status_code == 400
