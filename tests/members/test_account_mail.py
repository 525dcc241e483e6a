"""Account e-mails sent by a real members worker through the real SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.members.models import Invitation, PasswordReset, db
from shared.db import utcnow
from tests.members.factories import PASSWORD
from tests.support.waiting import wait_until
from tests.support.workers import Worker

RESET = "/api/members/v1/auth/password-reset"
CONFIRM = "/api/members/v1/auth/password-reset/confirm"
TOKEN = "/api/members/v1/auth/token"


@pytest.fixture(scope="module")
def worker(members_app):
    from services.members.tasks import celery_app

    celery_app.control.purge()  # tasks left by earlier tests name rows that are gone
    running = Worker("members").start()
    yield running
    running.stop()


def parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def link_token(text: str, path: str) -> str:
    match = re.search(re.escape(path) + r"\?token=([A-Za-z0-9_\-]+)", text)
    assert match, text
    return match.group(1)


def sign_in(client, email, password):
    return client.post(
        TOKEN, data={"grant_type": "password", "username": email, "password": password}
    )


def test_an_invitation_arrives_in_the_language_the_inviter_chose(app, client, make, smtp, worker):
    org = make.organisation(name="Inria Sophia")
    admin = make.admin(org, full_name="Claire Dubois", language="en")
    response = client.post(
        f"/api/members/v1/organisations/{org.id}/invitations",
        json={"email": "wang.fang@example.cn", "role": "org_member", "language": "fr"},
        headers=make.headers(admin),
    )
    assert response.status_code == 201
    [message] = smtp.wait_for(1, to="wang.fang@example.cn")
    assert "vous invite" in message["Subject"] and "Inria Sophia" in message["Subject"]
    text, html = parts(message)
    assert "Claire Dubois vous invite à rejoindre Inria Sophia" in text and "membre" in text
    assert "<a href=" in html and "Accepter l'invitation</a>" in html
    base = app.config["PUBLIC_BASE_URL"]
    token = link_token(text, f"{base}/invitations/accept")
    assert token in html
    accepted = client.post(
        "/api/members/v1/invitations/accept",
        json={"token": token, "full_name": "Wang Fang", "password": "a long enough password"},
    )
    assert accepted.status_code == 201 and accepted.json["language"] == "fr"
    with db.transaction() as session:
        assert session.get(Invitation, uuid.UUID(response.json["id"])).sent_at is not None


def test_an_invitation_defaults_to_the_inviters_language(client, make, smtp, worker):
    org = make.organisation(name="江宁科技")
    admin = make.admin(org, full_name="李伟", language="zh")
    client.post(
        f"/api/members/v1/organisations/{org.id}/invitations",
        json={"email": "zhang@example.cn", "role": "org_admin"},
        headers=make.headers(admin),
    )
    [message] = smtp.wait_for(1, to="zhang@example.cn")
    text, html = parts(message)
    assert "邀请您" in message["Subject"]
    assert "李伟 邀请您以管理员身份加入" in text and "接受邀请" in html


def test_an_account_email_is_never_sent_twice(client, make, smtp, worker):
    from services.members.tasks import send_account_email

    org = make.organisation()
    invitation, _token = make.invitation(org, make.admin(org), email="once@example.org")
    for _ in range(3):
        send_account_email.delay("invitation", str(invitation.id))
    # A marker behind the duplicates on the same one-process worker: once its e-mail is here,
    # every duplicate has run.
    marker, _token = make.invitation(org, make.admin(org), email="marker@example.org")
    send_account_email.delay("invitation", str(marker.id))
    smtp.wait_for(1, to="marker@example.org")
    assert len([m for m in smtp.messages if "once@example.org" in str(m["To"])]) == 1


def test_a_password_reset_arrives_in_the_recipients_language_and_works_once(
    app, client, make, smtp, worker
):
    user = make.user(make.organisation(), language="zh", full_name="陈静")
    assert client.post(RESET, json={"email": user.email.upper()}).status_code == 202
    [message] = smtp.wait_for(1, to=user.email)
    assert message["Subject"] == "重置您的密码"
    text, html = parts(message)
    assert "陈静" in text and "设置新密码" in html
    token = link_token(text, f"{app.config['PUBLIC_BASE_URL']}/password/reset")

    assert client.post(CONFIRM, json={"token": token, "password": "short"}).status_code == 422
    done = client.post(CONFIRM, json={"token": token, "password": "my new long password"})
    assert done.status_code == 204
    assert sign_in(client, user.email, "my new long password").status_code == 200
    assert sign_in(client, user.email, PASSWORD).status_code == 400
    reused = client.post(CONFIRM, json={"token": token, "password": "yet another password"})
    assert reused.status_code == 410


def test_a_reset_request_for_an_unknown_address_answers_the_same_and_sends_nothing(
    client, make, smtp, worker
):
    known = make.user(make.organisation())
    for_unknown = client.post(RESET, json={"email": "nobody@example.org"})
    for_known = client.post(RESET, json={"email": known.email})
    assert for_known.status_code == for_unknown.status_code == 202
    assert for_known.get_data() == for_unknown.get_data()
    # The known address's e-mail is sent by a task queued after whatever the unknown one queued,
    # on the same one-process worker: once it is here, the other had its turn.
    smtp.wait_for(1, to=known.email)
    assert not [m for m in smtp.messages if "nobody@example.org" in str(m["To"])]


def test_invalid_reset_requests_and_links_are_refused(client, make):
    assert client.post(RESET, json={"email": "not-an-address"}).status_code == 422
    assert client.post(RESET, json={}).status_code == 422
    unknown = client.post(CONFIRM, json={"token": "made-up", "password": "long enough pass"})
    assert unknown.status_code == 404
    user = make.user(make.organisation())
    with db.transaction() as session:
        from services.members.domain import accounts, credentials

        reset = accounts.request_password_reset(session, user.email)
        reset.expires_at = utcnow() - timedelta(seconds=1)
        token = credentials.derived_token("password_reset", reset.id, reset.nonce)
    expired = client.post(CONFIRM, json={"token": token, "password": "long enough pass"})
    assert expired.status_code == 410 and expired.json["reason"] == "expired"
    with db.transaction() as session:
        assert session.get(PasswordReset, reset.id).used_at is None


def test_a_reset_signs_out_every_session(client, make):
    user = make.user(make.organisation())
    session_tokens = sign_in(client, user.email, PASSWORD).json
    with db.transaction() as session:
        from services.members.domain import accounts, credentials

        reset = accounts.request_password_reset(session, user.email)
        token = credentials.derived_token("password_reset", reset.id, reset.nonce)
    assert (
        client.post(CONFIRM, json={"token": token, "password": "long enough pass"}).status_code
        == 204
    )
    refreshed = client.post(
        TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": session_tokens["refresh_token"]},
    )
    assert refreshed.status_code == 400


def test_the_sweeper_sends_an_invitation_whose_task_was_lost(client, make, smtp, worker):
    from services.members.tasks import send_unsent_account_emails

    org = make.organisation()
    invitation, _token = make.invitation(org, make.admin(org), email="lost@example.org")
    with db.transaction() as session:
        session.get(Invitation, invitation.id).created_at = utcnow() - timedelta(minutes=5)
    send_unsent_account_emails.delay()
    smtp.wait_for(1, to="lost@example.org")

    def recorded_as_sent():
        with db.transaction() as session:
            query = select(Invitation.sent_at).where(Invitation.id == invitation.id)
            return session.scalar(query) is not None  # a query, not the session's cached row

    wait_until(recorded_as_sent)  # the worker commits just after the SMTP server has the mail
    assert send_unsent_account_emails.run() == 0  # nothing left to send


def _reset_from(client, email: str, address: str):
    return client.post(RESET, json={"email": email}, environ_base={"REMOTE_ADDR": address})


def test_one_address_asking_for_many_resets_is_slowed_with_429(client, make, smtp, worker):
    user = make.user(make.organisation())
    answers = [_reset_from(client, user.email, "203.0.113.9") for _ in range(8)]
    assert [a.status_code for a in answers] == [202] * 5 + [429] * 3
    assert answers[-1].mimetype == "application/problem+json"
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert _reset_from(client, user.email, "198.51.100.20").status_code == 202  # others still can


def test_an_account_gets_a_few_reset_emails_however_many_addresses_ask(client, make, smtp, worker):
    user = make.user(make.organisation())
    marker = make.user(make.organisation())
    for n in range(8):
        assert _reset_from(client, user.email, f"192.0.2.{n + 10}").status_code == 202
    # One worker takes its queue in order: once the marker's e-mail is out, every request
    # before it has been handled.
    assert _reset_from(client, marker.email, "198.51.100.30").status_code == 202
    smtp.wait_for(1, to=marker.email)
    assert len([m for m in smtp.messages if user.email in str(m["To"])]) == 3


def test_registering_with_a_known_address_answers_as_usual_and_tells_the_owner(
    client, make, smtp, worker
):
    owner = make.user(make.organisation(), language="fr", full_name="Claire Martin")
    body = make.registration(admin={"email": owner.email.upper(), "password": "another one!"})
    response = client.post("/api/members/v1/organisations", json=body)
    assert response.status_code == 201
    [message] = smtp.wait_for(1, to=owner.email)
    assert message["Subject"] == "Quelqu'un a tenté de s'inscrire avec votre adresse e-mail"
    text, html = parts(message)
    assert "Claire Martin" in text and "/sign-in" in text and "/password/forgot" in html


def test_a_registration_is_acknowledged_to_the_registrant_and_announced_to_staff(
    client, make, smtp, worker
):
    staff = make.user(None, is_platform_admin=True, language="zh", full_name="Wang Fang")
    body = make.registration(
        name="Antibes Photonics",
        admin={"email": "claire@antibes-photonics.example", "language": "fr"},
    )
    response = client.post("/api/members/v1/organisations", json=body)
    assert response.status_code == 201
    organisation_id = response.get_json()["organisation"]["id"]
    [received] = smtp.wait_for(1, to="claire@antibes-photonics.example")
    assert received["Subject"] == "Nous avons reçu l'inscription de Antibes Photonics"
    text, html = parts(received)
    assert "compléter le profil" in text and "/sign-in" in html
    [notice] = smtp.wait_for(1, to=staff.email)
    assert notice["Subject"] == "待认证的新注册：Antibes Photonics"  # noqa: RUF001
    text, html = parts(notice)
    assert "claire@antibes-photonics.example" in text
    assert f"/admin/organisations/{organisation_id}" in html


def test_registering_with_a_known_address_acknowledges_nothing_to_staff(client, make, smtp, worker):
    staff = make.user(None, is_platform_admin=True)
    owner = make.user(make.organisation(), full_name="Claire Martin")
    body = make.registration(admin={"email": owner.email, "password": "another one!"})
    assert client.post("/api/members/v1/organisations", json=body).status_code == 201
    smtp.wait_for(1, to=owner.email)  # the owner's notice, queued at the same moment
    # A marker registration queued after it: once its staff notice is out, the first was handled.
    marker = make.registration(admin={"email": "marker@example.org"})
    assert client.post("/api/members/v1/organisations", json=marker).status_code == 201
    smtp.wait_for(1, to="marker@example.org")
    assert len(smtp.wait_for(1, to=staff.email)) == 1  # the marker's, none for the refused one
