"""Every account e-mail arrives with a Date and a Message-ID in the platform's domain."""

from __future__ import annotations

import pytest

from tests.support.mail_headers import assert_dated_and_identified
from tests.support.workers import Worker


@pytest.fixture(scope="module")
def worker(members_app):
    from services.members.tasks import celery_app

    celery_app.control.purge()  # tasks left by earlier tests name rows that are gone
    running = Worker("members").start()
    yield running
    running.stop()


def test_invitations_resets_and_registration_notices_carry_date_and_message_id(
    app, client, make, smtp, worker
):
    from services.members.tasks import send_registration_notice

    base = app.config["PUBLIC_BASE_URL"]
    org = make.organisation()
    admin = make.admin(org)
    invited = client.post(
        f"/api/members/v1/organisations/{org.id}/invitations",
        json={"email": "invited@example.org", "role": "org_member"},
        headers=make.headers(admin),
    )
    assert invited.status_code == 201
    reset_for = make.user(org)
    assert (
        client.post("/api/members/v1/auth/password-reset", json={"email": reset_for.email})
    ).status_code == 202
    noticed = make.user(org)
    send_registration_notice.delay(str(noticed.id))

    ids = set()
    for address in ("invited@example.org", reset_for.email, noticed.email):
        [message] = smtp.wait_for(1, to=address)
        headers = assert_dated_and_identified(message, base)
        ids.add(headers["message-id"])
    assert len(ids) == 3
