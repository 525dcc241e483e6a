"""Organisation status, one rule (`shared.organisation_status`): a pending organisation writes
drafts but reads nothing members-only and submits nothing; a suspended one does neither;
a verified one does all its roles allow."""

from __future__ import annotations

from tests.announcements.factories import API


def _read(client, person, announcement) -> int:
    return client.get(
        f"{API}/announcements/{announcement['id']}", headers=person.headers
    ).status_code


def _register(client, person, event) -> int:
    url = f"{API}/announcements/{event['id']}/registrations"
    return client.post(url, headers=person.headers).status_code


def test_members_only_content_and_events_are_for_verified_organisations_only(make, client):
    staff = make.staff()
    members = make.published(staff, audience={"scope": "members"})
    event = make.published(staff, kind="event", audience={"scope": "members"})
    for status, allowed in (("verified", True), ("pending", False), ("suspended", False)):
        person = make.member_of(make.organisation(status=status))
        assert (_read(client, person, members) == 200) is allowed, status
        assert (_register(client, person, event) == 201) is allowed, status
        listed = client.get(f"{API}/announcements", headers=person.headers).get_json()["items"]
        assert (members["id"] in {a["id"] for a in listed}) is allowed, status


def test_a_pending_organisation_writes_drafts_but_submits_nothing_and_a_suspended_one_neither(
    make, client
):
    pending_org = make.organisation(status="pending")
    pending = make.admin_of(pending_org)
    draft = make.draft(pending, author_organisation_id=str(pending_org.id))
    submitted = client.post(
        f"{API}/announcements/{draft['id']}/publish", json={}, headers=pending.headers
    )
    assert submitted.status_code == 403 and submitted.get_json()["code"] == "organisation.pending"
    suspended_org = make.organisation(status="suspended")
    suspended = make.admin_of(suspended_org)
    body = make.body(author_organisation_id=str(suspended_org.id))
    refused = client.post(f"{API}/announcements", json=body, headers=suspended.headers)
    assert refused.status_code == 403 and refused.get_json()["code"] == "organisation.suspended"
    verified_org = make.organisation()
    verified = make.admin_of(verified_org)
    news = make.draft(verified, author_organisation_id=str(verified_org.id))
    answer = client.post(
        f"{API}/announcements/{news['id']}/publish", json={}, headers=verified.headers
    )
    assert answer.status_code == 200 and answer.get_json()["status"] == "pending"
