"""Sign in and out, registration, profile, password, forgotten password, invitations."""

from __future__ import annotations

import base64
import re

from tests.members.factories import PASSWORD


def _error_of(page: str, field: str) -> str:
    """The error list rendered right after a field (its id is `<field>-error`)."""
    found = re.search(rf'id="{field}-error">(.*?)</ul>', page, re.S)
    assert found, f"no error shown next to {field}"
    return re.sub(r"<[^>]+>", " ", found.group(1))


def test_sign_in_with_empty_fields_shows_errors_next_to_them(browser):
    page = browser.submit("/sign-in", {"email": "", "password": ""}).get_data(as_text=True)
    assert "This field is required." in _error_of(page, "email")
    assert "This field is required." in _error_of(page, "password")


def test_sign_in_with_a_wrong_password_says_so_next_to_the_password(browser, make):
    person = make.user(make.organisation())
    response = browser.submit("/sign-in", {"email": person.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert "is not correct" in _error_of(response.get_data(as_text=True), "password")


def test_each_person_signing_in_through_the_portal_has_their_own_address_limit(
    browser, make, members_app, monkeypatch
):
    """members counts failures per person's address, which the portal forwards, not its own."""
    monkeypatch.setitem(members_app.config, "LOGIN_RATE_LIMIT_ADDRESS", "2/15 minutes")
    user = make.user(make.organisation())

    def sign_in(address, password):
        headers = {"X-Forwarded-For": address}  # as nginx, a trusted proxy, tells the portal
        return browser.submit(
            "/sign-in",
            {"email": user.email, "password": password},
            headers=headers,
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )

    for _ in range(2):
        assert "not correct" in sign_in("203.0.113.7", "wrong password!").get_data(as_text=True)
    assert "Too many attempts" in sign_in("203.0.113.7", PASSWORD).get_data(as_text=True)
    assert sign_in("198.51.100.9", PASSWORD).status_code == 302  # someone else is signed in


def test_sign_in_keeps_tokens_on_the_server_and_sign_out_forgets_them(browser, make, redis_server):
    import redis

    person = make.user(make.organisation(), full_name="Camille Martin")
    browser.sign_in(person.email)
    assert "Camille Martin" in browser.get("/").get_data(as_text=True)
    cookie = browser.client.get_cookie("portal_session").value
    payload = cookie.split(".")[0] + "=="
    decoded = base64.urlsafe_b64decode(payload).decode(errors="ignore")
    assert "access_token" not in decoded and "refresh_token" not in decoded
    store = redis.Redis.from_url(redis_server.url)
    assert len(store.keys("portal:session:*")) == 1

    response = browser.submit("/sign-out", {}, page="/")
    assert response.status_code == 302
    assert store.keys("portal:session:*") == []
    assert browser.get("/account").headers["Location"].startswith("/sign-in")


def test_sign_in_returns_to_the_page_asked_for(browser, make):
    person = make.user(make.organisation())
    assert browser.get("/account").headers["Location"] == "/sign-in?next=/account"
    response = browser.submit(
        "/sign-in", {"email": person.email, "password": PASSWORD, "next": "/account"}
    )
    assert response.headers["Location"] == "/account"


def test_a_form_without_its_csrf_token_is_refused(browser, make):
    person = make.user(make.organisation())
    response = browser.client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def _registration(**overrides) -> dict:
    data = {
        "name": "Antibes Photonics",
        "name_zh": "",
        "registration_number": "732829320",
        "country": "FR",
        "city": "Antibes",
        "park": "sophia_antipolis",
        "kind": "company",
        "size": "small",
        "sectors": ["microelectronics", "telecom"],
        "website": "https://antibes-photonics.example",
        "description": "Lasers for optical networks.",
        "full_name": "Claire Dubois",
        "email": "claire@antibes-photonics.example",
        "password": "a long enough password",
        "password_again": "a long enough password",
        "timezone": "Europe/Paris",
    }
    data.update(overrides)
    return data


def test_registration_with_missing_fields_shows_each_error(browser):
    response = browser.submit("/register", {"name": "", "email": "not an address"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for field in ("name", "registration_number", "country", "park", "kind", "full_name"):
        assert "This field is required." in _error_of(page, field)
    assert "Choose at least one sector." in _error_of(page, "sectors")
    assert "valid e-mail address" in _error_of(page, "email")


def test_registration_with_differing_passwords_and_a_short_one(browser):
    page = browser.submit(
        "/register", _registration(password="short", password_again="other")
    ).get_data(as_text=True)
    assert "at least 10 characters" in _error_of(page, "password")
    assert "The two passwords differ." in _error_of(page, "password_again")


def test_an_invalid_registration_number_is_explained_next_to_its_field(browser, members_app):
    page = browser.submit("/register", _registration(registration_number="123456789")).get_data(
        as_text=True
    )
    message = _error_of(page, "registration_number")
    assert message.strip()
    from services.members.models import Organisation, db

    with members_app.app_context():
        assert db.session.query(Organisation).count() == 0


def test_a_latin_name_given_as_chinese_name_is_refused_by_members_next_to_the_field(browser):
    page = browser.submit("/register", _registration(name_zh="Not Chinese")).get_data(as_text=True)
    assert "Chinese characters" in _error_of(page, "name_zh")


def test_an_e_mail_already_registered_is_not_revealed_and_leads_to_sign_in(browser, make):
    taken = make.user(make.organisation())
    response = browser.submit(
        "/register", _registration(email=taken.email, registration_number="842130577")
    )
    # members answered as for a new registration (and e-mails the owner); the password given
    # is not the owner's, so the portal asks to sign in.
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    assert "Already registered" not in response.get_data(as_text=True)


def test_registration_creates_a_pending_organisation_and_signs_its_admin_in(browser, members_app):
    response = browser.submit("/register", _registration())
    assert response.status_code == 302 and response.headers["Location"] == "/my-organisation"
    page = browser.get("/my-organisation").get_data(as_text=True)
    assert "Antibes Photonics" in page and "waiting for verification" in page
    from services.members.models import Organisation, db

    with members_app.app_context():
        org = db.session.query(Organisation).one()
        assert org.status == "pending" and org.sectors == ["microelectronics", "telecom"]
        assert org.description == {"en": "Lasers for optical networks."}


def test_profile_refuses_an_empty_name_and_saves_language_and_time_zone(browser, make, members_app):
    person = make.user(make.organisation())
    browser.sign_in(person.email)
    page = browser.submit(
        "/account", {"full_name": "", "language": "en", "timezone": "Europe/Paris"}
    ).get_data(as_text=True)
    assert "This field is required." in _error_of(page, "full_name")
    bad_zone = browser.submit(
        "/account", {"full_name": "X", "language": "en", "timezone": "Mars/Olympus"}
    ).get_data(as_text=True)
    assert _error_of(bad_zone, "timezone").strip()
    response = browser.submit(
        "/account", {"full_name": "Li Na", "language": "zh", "timezone": "Asia/Shanghai"}
    )
    assert response.status_code == 302
    assert '<html lang="zh-Hans">' in browser.get("/account").get_data(as_text=True)
    from services.members.models import User, db

    with members_app.app_context():
        db.session.remove()
        user = db.session.get(User, person.id)
        assert (user.full_name, user.language, user.timezone) == ("Li Na", "zh", "Asia/Shanghai")


def test_password_change_shows_a_wrong_current_password_next_to_it(browser, make):
    person = make.user(make.organisation())
    browser.sign_in(person.email)
    mismatch = browser.submit(
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "new password 2026",
            "new_password_again": "something else",
        },
    ).get_data(as_text=True)
    assert "The two passwords differ." in _error_of(mismatch, "new_password_again")
    wrong = browser.submit(
        "/account/password",
        {
            "current_password": "not my password",
            "new_password": "new password 2026",
            "new_password_again": "new password 2026",
        },
    ).get_data(as_text=True)
    assert "not correct" in _error_of(wrong, "current_password")
    done = browser.submit(
        "/account/password",
        {
            "current_password": PASSWORD,
            "new_password": "new password 2026",
            "new_password_again": "new password 2026",
        },
    )
    assert done.status_code == 302
    browser.submit("/sign-out", {}, page="/")
    browser.sign_in(person.email, "new password 2026")


def test_forgotten_password_checks_the_address_then_never_tells_if_it_exists(browser):
    bad = browser.submit("/password/forgot", {"email": "nope"}).get_data(as_text=True)
    assert "valid e-mail address" in _error_of(bad, "email")
    sent = browser.submit("/password/forgot", {"email": "nobody@example.org"})
    assert sent.status_code == 200 and "Check your e-mail" in sent.get_data(as_text=True)


def test_password_reset_with_a_bad_link_or_a_short_password(browser):
    short = browser.submit(
        "/password/reset",
        {"token": "abc", "password": "short", "password_again": "short"},
        page="/password/reset?token=abc",
    ).get_data(as_text=True)
    assert "at least 10 characters" in _error_of(short, "password")
    expired = browser.submit(
        "/password/reset",
        {"token": "abc", "password": "long enough pass", "password_again": "long enough pass"},
        page="/password/reset?token=abc",
    )
    assert expired.status_code == 200
    assert "expired or was already used" in expired.get_data(as_text=True)


def _invitation_token(members_app, organisation, inviter) -> str:
    from services.members.domain import credentials, invitations
    from services.members.models import db
    from shared.auth import Caller

    caller = Caller(
        subject=str(inviter.id),
        kind="user",
        organisation_id=organisation.id,
        roles=frozenset({"org_admin"}),
    )
    with members_app.app_context(), db.transaction() as session:
        invitation = invitations.create(
            session,
            caller,
            organisation.id,
            {"email": "newcomer@example.org", "role": "org_member"},
        )
        return credentials.derived_token("invitation", invitation.id, invitation.nonce)


def test_accepting_an_invitation_validates_then_creates_the_account(browser, make, members_app):
    org = make.organisation(name="Mougins Data")
    token = _invitation_token(members_app, org, make.admin(org))
    page = f"/invitations/accept?token={token}"
    invalid = browser.submit(
        "/invitations/accept",
        {
            "token": token,
            "full_name": "",
            "password": "x",
            "password_again": "y",
            "language": "en",
            "timezone": "Europe/Paris",
        },
        page=page,
    ).get_data(as_text=True)
    assert "This field is required." in _error_of(invalid, "full_name")
    assert "at least 10 characters" in _error_of(invalid, "password")
    wrong_token = browser.submit(
        "/invitations/accept",
        {
            "token": "forged",
            "full_name": "Nina",
            "password": "long enough pass",
            "password_again": "long enough pass",
            "language": "en",
            "timezone": "Europe/Paris",
        },
        page=page,
    )
    assert wrong_token.status_code == 404  # checked before the form: no account form again
    assert "This invitation link is not valid." in wrong_token.get_data(as_text=True)
    assert 'name="password"' not in wrong_token.get_data(as_text=True)
    accepted = browser.submit(
        "/invitations/accept",
        {
            "token": token,
            "full_name": "Nina Rossi",
            "password": "long enough pass",
            "password_again": "long enough pass",
            "language": "fr",
            "timezone": "Europe/Paris",
        },
        page=page,
    )
    assert accepted.status_code == 302
    home = browser.get("/").get_data(as_text=True)
    assert "Nina Rossi" in home and '<html lang="fr">' in home
    assert "/register" not in home  # signed in: no "Register your organisation"


def test_an_invitation_page_names_the_organisation_the_inviter_and_the_address(
    browser, make, members_app
):
    org = make.organisation(name="Mougins Data")
    token = _invitation_token(members_app, org, make.admin(org, full_name="Hugo Blanc"))
    page = browser.get(f"/invitations/accept?token={token}", headers={"Accept-Language": "fr"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hugo Blanc vous invite à rejoindre Mougins Data" in text
    assert "newcomer@example.org" in text and 'name="password"' in text


def test_a_used_invitation_link_says_so_on_arrival_with_a_way_to_sign_in(
    browser, make, members_app
):
    org = make.organisation()
    token = _invitation_token(members_app, org, make.admin(org))
    form = {
        "token": token,
        "full_name": "Nina Rossi",
        "password": "long enough pass",
        "password_again": "long enough pass",
        "language": "en",
        "timezone": "Europe/Paris",
    }
    page = f"/invitations/accept?token={token}"
    assert browser.submit("/invitations/accept", form, page=page).status_code == 302
    browser.submit("/sign-out", {}, page="/")
    used = browser.get(page, headers={"Accept-Language": "zh-CN"})
    text = used.get_data(as_text=True)
    assert used.status_code == 410
    assert "该邀请已过期、已被撤销或已被使用。" in text
    assert 'href="/sign-in"' in text and 'name="password"' not in text


def test_a_session_keeps_the_persons_name_and_address_only_for_minutes(browser, make, redis_server):
    """What names the person lives in Redis under a short expiry, apart from the tokens: a
    deleted account leaves nothing there for long, even where no browser comes back."""
    import redis

    from services.portal.auth import PROFILE_TTL

    person = make.user(make.organisation(), full_name="Inès Moreau")
    browser.sign_in(person.email)
    store = redis.Redis.from_url(redis_server.url)
    (key,) = store.keys("portal:session:*")
    assert person.email not in store.get(key).decode() and "Inès" not in store.get(key).decode()
    (profile,) = store.keys("portal:profile:*")
    assert person.email in store.get(profile).decode()
    assert 0 < store.ttl(profile) <= PROFILE_TTL < 3600
    store.delete(profile)  # as when it expired: read again from members on the next page
    assert "Inès Moreau" in browser.get("/account").get_data(as_text=True)
    assert store.ttl(store.keys("portal:profile:*")[0]) <= PROFILE_TTL


def test_an_expired_access_token_is_renewed_with_the_refresh_token(browser, make, redis_server):
    import json

    import redis

    person = make.user(make.organisation(name="Cagnes Optics"), full_name="Hugo Lefevre")
    browser.sign_in(person.email)
    store = redis.Redis.from_url(redis_server.url)
    (key,) = store.keys("portal:session:*")
    data = json.loads(store.get(key))
    old_access, old_refresh = data["access_token"], data["refresh_token"]
    data["expires_at"] = 0
    store.set(key, json.dumps(data))
    page = browser.get("/my-organisation")  # calls members with the person's token
    assert page.status_code == 200 and "Cagnes Optics" in page.get_data(as_text=True)
    renewed = json.loads(store.get(key))
    assert renewed["access_token"] != old_access and renewed["refresh_token"] != old_refresh


def test_a_members_outage_shows_a_friendly_page_not_a_stack_trace():
    from services.portal import create_app
    from tests.support.servers import free_port

    app = create_app({"TESTING": True, "PORTAL_API_URL": f"http://127.0.0.1:{free_port()}"})
    response = app.test_client().get("/directory")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Temporarily unavailable" in page and "Traceback" not in page


def test_members_field_messages_are_shown_in_the_readers_language(browser):
    headers = {"Accept-Language": "zh-CN"}
    page = browser.submit(
        "/register", _registration(registration_number="123456789"), headers=headers
    ).get_data(as_text=True)
    # said from the problem's code (organisation.registration_number_invalid), in Chinese
    assert "该注册号无效" in _error_of(page, "registration_number")
    assert "SIREN 为 9 位数字" in _error_of(page, "registration_number")
    french = browser.submit(
        "/register",
        _registration(registration_number="12345", country="FR"),
        headers={"Accept-Language": "fr"},
    ).get_data(as_text=True)
    assert "un SIREN compte 9 chiffres" in _error_of(french, "registration_number")
