"""Who sees and changes an organisation: visibility, profile edits, verification, the queue."""

from __future__ import annotations

import uuid

import pytest

from services.members.models import Organisation, db

URL = "/api/members/v1/organisations"


def _stored(org) -> Organisation:
    with db.transaction() as session:
        return session.get(Organisation, org.id)


# Reading one organisation


def test_a_verified_organisation_is_public(client, make):
    org, _ = make.registered(name="Azur Génomique")
    response = client.get(f"{URL}/{org.id}")
    assert response.status_code == 200
    body = response.json
    assert body["name"] == "Azur Génomique" and body["status"] == "verified"
    assert "hints" not in body and "status_reason" not in body


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_an_unverified_organisation_is_hidden_from_anonymous_readers_and_other_orgs(
    client, make, status
):
    org, _ = make.registered(status=status)
    _other, other_admin = make.registered()
    assert client.get(f"{URL}/{org.id}").status_code == 404
    headers = make.headers(other_admin)
    assert client.get(f"{URL}/{org.id}", headers=headers).status_code == 404


def test_an_unverified_organisation_is_shown_to_its_members_and_staff(client, make):
    org, _admin = make.registered(status="suspended")
    member = make.user(org)
    own = client.get(f"{URL}/{org.id}", headers=make.headers(member))
    assert own.status_code == 200
    assert own.json["status_reason"] == "Test suspension."
    assert "hints" not in own.json
    staff = client.get(f"{URL}/{org.id}", headers=make.headers(make.platform_admin()))
    assert staff.status_code == 200 and "hints" in staff.json


def test_an_unknown_organisation_is_not_found(client):
    response = client.get(f"{URL}/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_reading_again_with_the_etag_gives_not_modified_until_the_profile_changes(client, make):
    org, admin = make.registered()
    first = client.get(f"{URL}/{org.id}")
    etag = first.headers["ETag"]
    again = client.get(f"{URL}/{org.id}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    client.patch(f"{URL}/{org.id}", json={"city": "Valbonne"}, headers=make.headers(admin))
    changed = client.get(f"{URL}/{org.id}", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json["city"] == "Valbonne"
    assert changed.headers["ETag"] != etag


def test_staff_and_the_public_get_different_etags(client, make):
    org, _ = make.registered()
    public = client.get(f"{URL}/{org.id}").headers["ETag"]
    staff = client.get(f"{URL}/{org.id}", headers=make.headers(make.platform_admin()))
    assert staff.headers["ETag"] != public


# Editing the profile


def test_an_organisations_admin_edits_its_profile_and_an_event_is_recorded(client, make):
    org, admin = make.registered()
    response = client.patch(
        f"{URL}/{org.id}",
        json={"name_zh": "蓝色海岸基因", "sectors": ["biotech_health", "ai_data"], "size": None},
        headers=make.headers(admin),
    )
    assert response.status_code == 200, response.json
    assert response.json["name_zh"] == "蓝色海岸基因"
    assert response.json["size"] is None
    [event] = make.events("organisation.updated")
    assert event["data"]["sectors"] == ["biotech_health", "ai_data"]
    assert event["data"]["name_zh"] == "蓝色海岸基因"
    assert event["data"]["status"] == "verified"


def test_removing_the_chinese_name_removes_its_pinyin(client, make):
    org, admin = make.registered(name_zh="南京生物科技有限公司")
    assert client.get("/api/members/v1/directory?q=nanjing").json["items"]
    response = client.patch(f"{URL}/{org.id}", json={"name_zh": ""}, headers=make.headers(admin))
    assert response.json["name_zh"] is None
    assert _stored(org).name_pinyin is None
    assert client.get("/api/members/v1/directory?q=nanjing").json["items"] == []


def test_a_platform_admin_may_edit_any_profile(client, make):
    org, _ = make.registered()
    response = client.patch(
        f"{URL}/{org.id}", json={"city": "Biot"}, headers=make.headers(make.platform_admin())
    )
    assert response.status_code == 200
    assert _stored(org).city == "Biot"


def test_an_edit_that_changes_nothing_records_no_event(client, make):
    org, admin = make.registered(city="Antibes")
    response = client.patch(
        f"{URL}/{org.id}", json={"city": "Antibes"}, headers=make.headers(admin)
    )
    assert response.status_code == 200
    assert make.events("organisation.updated") == []


@pytest.mark.parametrize("status", ["verified", "pending"])
def test_another_organisations_admin_cannot_change_a_profile_and_nothing_changes(
    client, make, status
):
    org, _ = make.registered(status=status, name="Lérins Connect", city="Biot")
    _other, intruder = make.registered()
    before = len(make.events())
    response = client.patch(
        f"{URL}/{org.id}",
        json={"name": "Hijacked", "city": "Nowhere"},
        headers=make.headers(intruder),
    )
    # Refused before the organisation is looked up: the same for any organisation not one's own.
    assert response.status_code == 403
    assert response.get_json()["code"] == "access.other_organisation"
    stored = _stored(org)
    assert (stored.name, stored.city) == ("Lérins Connect", "Biot")
    assert len(make.events()) == before


def test_a_plain_member_cannot_change_the_profile(client, make):
    org, _ = make.registered(city="Biot")
    member = make.user(org)
    response = client.patch(f"{URL}/{org.id}", json={"city": "Nice"}, headers=make.headers(member))
    assert response.status_code == 403
    assert _stored(org).city == "Biot"


def test_anonymous_edits_need_authentication(client, make):
    org, _ = make.registered()
    assert client.patch(f"{URL}/{org.id}", json={"city": "Nice"}).status_code == 401


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"sectors": ["fishing"]}, "/sectors/0"),
        ({"status": "verified"}, "/status"),
        ({"registration_number": "732829320"}, "/registration_number"),
        ({"name": ""}, "/name"),
        ({"website": "not a url"}, "/website"),
    ],
)
def test_invalid_or_forbidden_profile_fields_are_field_errors(client, make, changes, pointer):
    org, admin = make.registered()
    response = client.patch(f"{URL}/{org.id}", json=changes, headers=make.headers(admin))
    assert response.status_code == 422
    assert pointer in [e["pointer"] for e in response.json["errors"]]
    assert _stored(org).status == "verified"


def test_a_renamed_organisation_is_found_by_its_new_name(client, make):
    org, admin = make.registered(name="Old Name Robotics")
    client.patch(f"{URL}/{org.id}", json={"name": "Nouvelle Énergie"}, headers=make.headers(admin))
    found = client.get("/api/members/v1/directory?q=energie").json["items"]
    assert [i["id"] for i in found] == [str(org.id)]
    assert client.get("/api/members/v1/directory?q=robotics").json["items"] == []


# Verification by platform staff


def test_staff_verify_a_pending_organisation_with_an_event(client, make):
    org, _ = make.registered(status="pending")
    response = client.post(
        f"{URL}/{org.id}/verify",
        json={"reason": "SIREN checked against the registry."},
        headers=make.headers(make.platform_admin()),
    )
    assert response.status_code == 200
    assert response.json["status"] == "verified"
    [event] = make.events("organisation.verified")
    assert event["data"]["id"] == str(org.id)
    assert event["data"]["status"] == "verified"
    assert event["data"]["reason"] == "SIREN checked against the registry."


def test_staff_suspend_with_a_reason_and_verifying_again_reinstates(client, make):
    org, _ = make.registered()
    staff = make.headers(make.platform_admin())
    suspended = client.post(
        f"{URL}/{org.id}/suspend", json={"reason": "Company dissolved."}, headers=staff
    )
    assert suspended.status_code == 200
    assert suspended.json["status"] == "suspended"
    assert suspended.json["status_reason"] == "Company dissolved."
    [event] = make.events("organisation.suspended")
    assert event["data"]["reason"] == "Company dissolved."
    assert client.get(f"{URL}/{org.id}").status_code == 404
    reinstated = client.post(f"{URL}/{org.id}/verify", headers=staff)
    assert reinstated.status_code == 200 and reinstated.json["status"] == "verified"
    assert client.get(f"{URL}/{org.id}").status_code == 200


def test_suspending_needs_a_reason(client, make):
    org, _ = make.registered()
    response = client.post(
        f"{URL}/{org.id}/suspend", json={}, headers=make.headers(make.platform_admin())
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["pointer"] == "/reason"
    assert _stored(org).status == "verified"


def test_verifying_a_verified_organisation_is_a_conflict(client, make):
    org, _ = make.registered()
    response = client.post(f"{URL}/{org.id}/verify", headers=make.headers(make.platform_admin()))
    assert response.status_code == 409


@pytest.mark.parametrize("action", ["verify", "suspend"])
def test_an_organisations_own_admin_cannot_verify_or_suspend(client, make, action):
    org, admin = make.registered(status="pending")
    member = make.user(org)
    for person in (admin, member):
        response = client.post(
            f"{URL}/{org.id}/{action}", json={"reason": "Trust me."}, headers=make.headers(person)
        )
        assert response.status_code == 403
    assert client.post(f"{URL}/{org.id}/{action}", json={"reason": "x"}).status_code == 401
    assert _stored(org).status == "pending"
    assert make.events("organisation.verified") == []


def test_verifying_an_unknown_organisation_is_not_found(client, make):
    response = client.post(
        f"{URL}/{uuid.uuid4()}/verify", headers=make.headers(make.platform_admin())
    )
    assert response.status_code == 404


# The verification queue


def test_staff_page_through_the_verification_queue_oldest_first(client, make):
    pending = [make.registered(status="pending")[0] for _ in range(5)]
    make.registered()  # verified: not in the queue
    staff = make.headers(make.platform_admin())
    seen, cursor = [], None
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        body = client.get(f"{URL}{query}", headers=staff).json
        seen += [item["id"] for item in body["items"]]
        assert all(item["status"] == "pending" for item in body["items"])
        assert all("hints" in item for item in body["items"])
        cursor = body["next"]
        if not cursor:
            break
    assert seen == [str(org.id) for org in pending]


def test_the_queue_lists_other_statuses_on_request(client, make):
    suspended, _ = make.registered(status="suspended")
    response = client.get(f"{URL}?status=suspended", headers=make.headers(make.platform_admin()))
    assert [item["id"] for item in response.json["items"]] == [str(suspended.id)]
    bad = client.get(f"{URL}?status=deleted", headers=make.headers(make.platform_admin()))
    assert bad.status_code == 422


def test_only_staff_see_the_queue(client, make):
    _org, admin = make.registered()
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=make.headers(admin)).status_code == 403


def test_a_forged_cursor_is_a_validation_error(client, make):
    response = client.get(f"{URL}?cursor=garbage", headers=make.headers(make.platform_admin()))
    assert response.status_code == 422


def test_a_suspended_organisations_admin_cannot_edit_its_profile_but_a_pending_ones_can(
    client, make
):
    for status, allowed in (("pending", True), ("suspended", False)):
        org = make.organisation(status=status)
        admin = make.admin(org)
        response = client.patch(
            f"/api/members/v1/organisations/{org.id}",
            json={"city": "Valbonne"},
            headers=make.headers(admin),
        )
        assert (response.status_code == 200) is allowed, (status, response.get_json())
        if not allowed:
            assert response.get_json()["code"] == "organisation.suspended"
