"""Each service judges an organisation by its own copy of the status, over every operation.

A token says what members saw when it signed (`org_status`); a service that knows better (its
projection, or members' own table) decides. Walked over every operation whose rule refuses
some status: the organisation is verified in the token but pending, then suspended, in the
service's own data (refused with that status's code), then reinstated (let through).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.events import catalogue
from tests.contracts.conftest import SERVICES, _consumer
from tests.contracts.test_access_policy import Callers, _call, _granted, _operations, _refused
from tests.support.envelopes import members_envelope


class Statuses:
    """Sets one organisation's status in every service's own data, as members' events do."""

    def __init__(self, apps, organisation_id):
        self.apps = apps
        self.organisation_id = organisation_id
        self.clock = datetime.now(UTC)

    def set(self, status: str) -> None:
        from services.members.models import Organisation, db

        with self.apps["members"].app_context(), db.transaction() as session:
            session.get(Organisation, self.organisation_id).status = status
        self.clock += timedelta(seconds=1)  # each change newer than the last
        data = {
            **catalogue.latest("organisation.verified").example,
            "id": str(self.organisation_id),
            "status": status,
        }
        envelope = members_envelope("organisation.verified", data, occurred_at=self.clock)
        for service in SERVICES[1:]:
            with self.apps[service].app_context():
                _consumer(service).handle(envelope)


@pytest.fixture
def organisation(apps):
    from tests.members.factories import Factories

    with apps["members"].app_context():
        return Factories(apps["members"]).organisation()


def test_a_services_own_status_wins_over_the_tokens_and_reinstatement_restores(
    apps, members_app, organisation
):
    callers = Callers(members_app)
    callers.organisation_id = str(organisation.id)
    statuses = Statuses(apps, organisation.id)
    operations = [
        (service, method, path, operation)
        for service, method, path, operation in _operations(apps)
        if not operation["x-access"]["anonymous"]
        and operation["x-access"]["roles"] != ["platform_admin"]
    ]
    checked = set()
    failures = []
    for status in ("pending", "suspended", "verified"):
        statuses.set(status)
        token = callers.person(status="verified")  # what members said before the change
        for service, method, path, operation in operations:
            allowed = status in operation["x-access"]["organisation_statuses"]
            response = _call(apps, callers, service, method, path, operation, token)
            if allowed and not _granted(response):
                failures.append((status, method, path, "refused", response.get_data()[:120]))
            if not allowed:
                checked.add(service)
                if not _refused(response, f"organisation.{status}"):
                    failures.append((status, method, path, response.status_code))
    assert failures == [], "\n".join(map(str, failures))
    assert checked == set(SERVICES)
