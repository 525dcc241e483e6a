"""A reset request is answered before anything about the address is looked up."""

from __future__ import annotations

import json

import pytest
import redis
from sqlalchemy import func, select

from services.members.models import PasswordReset, db

RESET = "/api/members/v1/auth/password-reset"


@pytest.fixture
def queue(app):
    """The members queue in Redis, emptied before and after (no worker runs in this module)."""
    from services.members.tasks import celery_app

    celery_app.control.purge()
    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    yield lambda: [json.loads(raw) for raw in connection.lrange("members", 0, -1)]
    celery_app.control.purge()


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_queued_task(
    client, make, queue
):
    known = make.user(make.organisation())
    for_known = client.post(RESET, json={"email": known.email})
    for_unknown = client.post(RESET, json={"email": "nobody@example.org"})
    assert for_known.status_code == for_unknown.status_code == 202
    assert for_known.get_data() == for_unknown.get_data()
    # Nothing was looked up or written while answering: the task does it.
    with db.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(PasswordReset)).scalar() == 0
    tasks = [message["headers"] for message in queue()]
    assert [t["task"] for t in tasks] == ["members.request_password_reset"] * 2
    assert all(known.email not in t["argsrepr"] for t in tasks)  # no address in logs
