"""The event backbone for real: members' outbox, Redis, worker processes, the consumers' inboxes.

Nothing here runs in eager mode: members writes in this process, the projects, announcements
and notifications workers (and a members worker for the outbox relay) are real `celery worker`
processes on the run's private Redis, each on its own database.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from shared.auth import Caller
from shared.events import failpoints
from tests.e2e.conftest import CONFIRM_DEADLINE
from tests.members import factories
from tests.support.backbone import (
    CONSUMERS,
    db_of,
    dead_letters,
    outcomes,
    processed_ids,
    row,
    send,
    unconfirmed,
    wait_relaying,
    wire,
)
from tests.support.waiting import wait_until
from tests.support.workers import Worker

pytestmark = pytest.mark.e2e
STAFF = Caller(str(uuid.uuid4()), "user", None, frozenset({"platform_admin"}))


def test_an_organisation_verified_in_members_appears_verified_in_every_projection(workers, make):
    org, _admin = make.registered(status="pending", name="Valbonne Capteurs")
    for service in CONSUMERS:
        wait_until(lambda s=service: row(s, "Organisation", org.id))
    with db_of("members").transaction() as session:
        from services.members.domain import organisations

        organisations.verify(session, STAFF, org.id, "SIREN checked.")
    for service in CONSUMERS:
        projected = wait_until(
            lambda s=service: (r := row(s, "Organisation", org.id)) and r.is_verified and r
        )
        assert projected.name == "Valbonne Capteurs"
        assert projected.country == "FR"


def test_two_hundred_writes_while_redis_is_down_all_arrive_once_when_it_returns(
    workers, make, redis_server
):
    from services.members.domain import organisations

    orgs = [make.registered(status="pending")[0] for _ in range(20)]
    already = {r["id"] for r in make.events()}
    redis_server.stop()
    try:
        for round_ in range(10):
            for org in orgs:
                with db_of("members").transaction() as session:
                    organisations.update(
                        session, STAFF, org.id, {"city": f"Sophia Antipolis {round_}"}
                    )
    finally:
        redis_server.start()
    written = [r for r in make.events() if r["id"] not in already]
    assert len(written) == 200
    assert all(r["published_at"] is None for r in written)

    ids = {r["id"] for r in written}
    for service in CONSUMERS:
        wait_relaying(lambda s=service: ids <= processed_ids(s), timeout=90)
        for org in orgs:
            assert row(service, "Organisation", org.id).city == "Sophia Antipolis 9"
        for event_id in ids:
            assert outcomes(workers[service], event_id).count("handled") == 1
    assert all(r["published_at"] is not None for r in make.events() if r["id"] in ids)


@pytest.mark.parametrize("stage", failpoints.STAGES)
def test_a_worker_killed_at_any_stage_of_handling_handles_the_event_once_after_restart(
    workers, make, stage
):
    org, _admin = make.registered(status="pending")
    wait_until(lambda: row("projects", "Organisation", org.id))
    workers["projects"].stop()
    doomed = Worker("projects", extra_env={**CONFIRM_DEADLINE, "EVENTS_FAILPOINT": stage}).start()
    with db_of("members").transaction() as session:
        from services.members.domain import organisations

        organisations.verify(session, STAFF, org.id, "Checked.")
    event = make.events("organisation.verified")[-1]
    doomed.wait_for_log(f"failpoint {stage} reached by event {event['id']}")
    doomed.kill()
    committed = stage == "after-commit"
    assert row("projects", "Organisation", org.id).is_verified is committed
    assert (event["id"] in processed_ids("projects")) is committed

    # Nothing confirmed it: the members relay sends it again once its deadline has passed.
    restarted = workers["projects"] = Worker("projects", extra_env=CONFIRM_DEADLINE).start()
    wait_relaying(lambda: unconfirmed("members") == 0, timeout=120)
    assert row("projects", "Organisation", org.id).is_verified
    assert event["id"] in processed_ids("projects")
    assert outcomes(restarted, event["id"]) == ["duplicate" if committed else "handled"]


def test_the_same_event_delivered_three_times_is_applied_once(workers, make):
    make.registered(status="pending")
    envelope = wire(make.events("organisation.registered")[-1])
    wait_until(lambda: envelope["id"] in processed_ids("notifications"))
    for _ in range(3):
        send("notifications", envelope)
    wait_until(lambda: len(outcomes(workers["notifications"], envelope["id"])) == 4)
    assert outcomes(workers["notifications"], envelope["id"]) == [
        "handled",
        "duplicate",
        "duplicate",
        "duplicate",
    ]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"type": "organisation.renamed"}, "unknown event type"),
        ({"version": 7}, "unknown version 7"),
        ({"data": {"id": "not a uuid"}}, "invalid"),
        ({"source": "projects"}, "comes from members"),
    ],
)
def test_an_event_that_cannot_be_handled_is_kept_as_a_dead_letter_with_its_reason(
    workers, make, change, reason
):
    make.registered(status="pending")
    envelope = {
        **wire(make.events("organisation.registered")[-1]),
        "id": str(uuid.uuid4()),
        **change,
    }
    send("announcements", envelope)
    kept = wait_until(
        lambda: [d for d in dead_letters("announcements") if d["event_id"] == envelope["id"]]
    )
    assert reason in kept[0]["reason"]
    assert kept[0]["envelope"]["id"] == envelope["id"]
    assert envelope["id"] not in processed_ids("announcements")


def test_a_deleted_person_disappears_from_every_projection(workers, make):
    from services.members.domain import accounts

    org, admin = make.registered()
    wait_until(lambda: row("notifications", "User", admin.id))
    assert row("notifications", "Membership", (org.id, admin.id)).role == "org_admin"
    _invitation, token = make.invitation(org, admin)
    with db_of("members").transaction() as session:
        from services.members.domain import invitations

        member, _ = invitations.accept(
            session, {"token": token, "password": factories.PASSWORD, "full_name": "Zhang"}
        )
    wait_until(lambda: row("notifications", "Membership", (org.id, member.id)))
    caller = Caller(str(member.id), "user", org.id, frozenset({"org_member"}))
    with db_of("members").transaction() as session:
        accounts.update_profile(session, caller, {"full_name": "Zhang Wei"})
    wait_until(
        lambda: (u := row("notifications", "User", member.id)) and u.full_name == "Zhang Wei"
    )
    with db_of("members").transaction() as session:
        accounts.delete_account(session, caller, factories.PASSWORD)
    wait_until(lambda: row("notifications", "User", member.id) is None)
    assert row("notifications", "Membership", (org.id, member.id)) is None
    assert row("notifications", "ForgottenPerson", member.id) is not None
    # A late copy of an older event cannot bring the person back.
    late = {**wire(make.events("user.updated")[-1]), "id": str(uuid.uuid4())}
    send("notifications", late)
    wait_until(lambda: outcomes(workers["notifications"], late["id"]) == ["handled"])
    assert row("notifications", "User", member.id) is None


def _projection_state(service: str) -> list[tuple]:
    """The organisations a service keeps, every column, in id order."""
    with db_of(service).engine.connect() as connection:
        table = db_of(service).metadata.tables["organisations"]
        return [tuple(r) for r in connection.execute(sa.select(table).order_by(table.c.id))]


def test_republishing_fills_a_new_consumer_and_replaying_it_twice_changes_nothing(workers, make):
    from services.members import events as member_events
    from services.members.models import Organisation

    make.registered()
    make.registered(status="suspended")
    with db_of("members").transaction() as session:
        truth = {o.id: o.status for o in session.scalars(sa.select(Organisation))}
    for service in CONSUMERS:
        wait_until(lambda s=service: len(_projection_state(s)) >= len(truth))
    # A new consumer: projects starts again from an empty projection.
    with db_of("projects").engine.begin() as connection:
        connection.execute(sa.delete(db_of("projects").metadata.tables["organisations"]))

    def republished() -> list[tuple]:
        before = processed_ids("projects")
        member_events.republish()
        wait_until(lambda: len(processed_ids("projects") - before) >= len(truth), timeout=60)
        return _projection_state("projects")

    first = republished()
    status = list(db_of("projects").metadata.tables["organisations"].columns.keys()).index("status")
    assert {r[0]: r[status] for r in first} == truth
    announcements_before = _projection_state("announcements")
    assert republished() == first
    assert _projection_state("announcements") == announcements_before


def test_the_request_id_follows_the_event_into_every_consumer_log_line(workers, make, apps):
    org, admin = make.registered()
    request_id = f"portal-req-{uuid.uuid4().hex[:12]}"
    response = (
        apps["members"]
        .test_client()
        .patch(
            f"/api/members/v1/organisations/{org.id}",
            json={"city": "Biot"},
            headers={**make.headers(admin), "X-Request-ID": request_id},
        )
    )
    assert response.status_code == 200, response.json
    assert response.headers["X-Request-ID"] == request_id
    event = make.events("organisation.updated")[-1]
    assert event["correlation_id"] == request_id
    for service in CONSUMERS:
        wait_until(lambda s=service: "handled" in outcomes(workers[s], event["id"]))
        assert outcomes(workers[service], event["id"]).count("handled") == 1
        lines = [
            line
            for line in workers[service].log_path.read_text().splitlines()
            if event["id"] in line
        ]
        assert lines and all(f"[{service} {request_id}]" in line for line in lines)
