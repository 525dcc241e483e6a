"""projects refuses tokens members revoked, reading its revocations table through a cache."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from services.projects.models import access_revocations, db
from shared import revocation
from tests.projects import factories
from tests.support.waiting import wait_until


def _revoke(kind: str, subject, moment: datetime) -> None:
    with db.engine.begin() as connection:
        revocation.record(connection, access_revocations, kind, subject, moment)


def _applications(client, make, person, **claims):
    return client.get(
        f"/api/projects/v1/organisations/{person.organisation_id}/applications",
        headers=make.headers(person, **claims),
    )


def test_a_token_issued_before_a_persons_revocation_is_refused_and_a_later_one_is_not(client, make):
    person = make.member(make.organisation())
    now = datetime.now(UTC)
    earlier = {"iat": now - timedelta(seconds=30)}
    assert _applications(client, make, person, **earlier).status_code == 200
    _revoke(revocation.USER, person.id, now - timedelta(seconds=10))
    wait_until(lambda: _applications(client, make, person, **earlier).status_code == 401)
    refused = _applications(client, make, person, **earlier)
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["code"] == "token_revoked"
    assert _applications(client, make, person).status_code == 200  # issued after: fine


def test_an_organisations_revocation_refuses_every_token_naming_it(client, make):
    organisation = make.organisation()
    first, second = make.member(organisation), make.admin(organisation)
    outsider = make.member(make.organisation())
    earlier = {"iat": datetime.now(UTC) - timedelta(seconds=30)}
    _revoke(revocation.ORGANISATION, organisation, datetime.now(UTC) - timedelta(seconds=10))
    wait_until(lambda: _applications(client, make, first, **earlier).status_code == 401)
    assert _applications(client, make, second, **earlier).status_code == 401
    assert _applications(client, make, outsider, **earlier).status_code == 200


def test_requests_read_the_revocations_once_per_cache_interval_not_each_time(app, make):
    from services.projects import create_app

    cached = create_app(
        {"TESTING": True, "REVOCATION_CACHE_SECONDS": 60.0}, key_source=factories.KEY_SOURCE
    )
    client = cached.test_client()
    reads = []

    def count(_conn, _cursor, statement, *_args):
        if "access_revocations" in statement:
            reads.append(statement)

    person = make.member(make.organisation())
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        answers = {_applications(client, make, person).status_code for _ in range(20)}
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert answers == {200}
    assert len(reads) == 1
