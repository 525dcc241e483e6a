"""A mail server that is down for a moment delays an account e-mail; it does not lose it."""

from __future__ import annotations

import contextlib
import uuid

from services.members.models import Invitation, db
from tests.support.smtp import SmtpServer
from tests.support.workers import Worker


def test_a_transient_smtp_failure_is_retried_until_the_mail_goes_out(client, make):
    from services.members.tasks import celery_app

    celery_app.control.purge()
    late = SmtpServer()  # its port is chosen, nothing listens on it yet
    worker = Worker(
        "members", extra_env={"SMTP_PORT": str(late.port)}, name="members-retry@%h"
    ).start()
    try:
        org = make.organisation()
        response = client.post(
            f"/api/members/v1/organisations/{org.id}/invitations",
            json={"email": "patient@example.org", "role": "org_member"},
            headers=make.headers(make.admin(org)),
        )
        assert response.status_code == 201
        worker.wait_for_log("Retry in", timeout=30)
        with db.transaction() as session:
            assert session.get(Invitation, uuid.UUID(response.json["id"])).sent_at is None
        late.start()
        [message] = late.wait_for(1, timeout=30, to="patient@example.org")
        assert message.get_body(preferencelist=("html",)) is not None
    finally:
        worker.stop()
        with contextlib.suppress(Exception):  # it may never have started
            late.stop()
