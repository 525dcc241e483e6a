"""A deleted account leaves nothing that names the person, in any service's database, even when
Redis loses everything in the middle of the erasure.

The person joins an organisation by invitation (so members keeps an invitation, every consumer a
copy of them, the organisation's webhook a message with their name and e-mail, and outboxes the
events), then deletes their account. Every text of every table of every service is then read and
searched for their name and their e-mail address.
"""

from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa

from shared.auth import Caller
from tests.members import factories
from tests.support.backbone import CONSUMERS, PUBLISHERS, db_of, model, row, unconfirmed
from tests.support.backbone import wait_relaying as wait

pytestmark = pytest.mark.e2e


def everything_said_about(needles: list[str]) -> list[str]:
    """Where, in any service's database, any of `needles` appears: `service.table`."""
    found = []
    for service in PUBLISHERS:
        engine = db_of(service).engine
        metadata = sa.MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                for values in connection.execute(sa.select(table)):
                    text = json.dumps([str(v) for v in values], ensure_ascii=False)
                    if any(n in text or json.dumps(n)[1:-1] in text for n in needles):
                        found.append(f"{service}.{table.name}")
    return sorted(set(found))


def settled() -> bool:
    return all(unconfirmed(service) == 0 for service in PUBLISHERS)


@pytest.mark.parametrize("redis_lost", [False, True], ids=["redis-up", "redis-restarted-empty"])
def test_a_deleted_person_is_named_nowhere_in_any_service(workers, make, redis_server, redis_lost):
    from services.members.domain import accounts, invitations

    org, admin = make.registered(name="Sophia Photonics")
    endpoint = model("notifications", "WebhookEndpoint")(
        organisation_id=org.id, url="http://127.0.0.1:9/hook", created_by=str(admin.id)
    )
    with db_of("notifications").transaction() as session:
        session.add(endpoint)
    name, email = f"张伟 {uuid.uuid4().hex[:6]}", f"zhang.{uuid.uuid4().hex[:8]}@photonics.example"
    _invitation, token = make.invitation(org, admin, email=email)
    with db_of("members").transaction() as session:
        person, _ = invitations.accept(
            session, {"token": token, "password": factories.PASSWORD, "full_name": name}
        )
    wait(lambda: row("notifications", "User", person.id) and settled())
    assert set(everything_said_about([name, email])) >= {
        "members.invitations",
        "members.outbox",
        "members.users",
        "notifications.users",
        "notifications.webhook_messages",
        "announcements.users",
    }

    caller = Caller(str(person.id), "user", org.id, frozenset({"org_member"}))
    with db_of("members").transaction() as session:
        accounts.delete_account(session, caller, factories.PASSWORD)
    if redis_lost:
        redis_server.restart_empty()
    wait(
        lambda: (
            all(row(s, "ForgottenPerson", person.id) for s in ("notifications", "announcements"))
            and settled()
        ),
        timeout=120,
    )
    assert everything_said_about([name, email]) == []
    for service in CONSUMERS:
        assert row(service, "Organisation", org.id).status == "verified"


def test_the_last_person_closes_the_organisation_with_their_account_or_is_refused(workers, make):
    from services.members.domain import accounts
    from shared.errors import Conflict

    org, admin = make.registered(name="Jiangning Solo Lab")
    caller = Caller(str(admin.id), "user", org.id, frozenset({"org_admin"}))
    with pytest.raises(Conflict) as refused, db_of("members").transaction() as session:
        accounts.delete_account(session, caller, factories.PASSWORD)
    assert refused.value.code == "account.last_member"
    assert row("members", "User", admin.id) is not None

    with db_of("members").transaction() as session:
        accounts.delete_account(session, caller, factories.PASSWORD, close_organisation=True)
    assert row("members", "Organisation", org.id).status == "closed"
    wait(lambda: all(row(s, "Organisation", org.id).status == "closed" for s in CONSUMERS))
