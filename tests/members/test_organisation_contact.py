"""An organisation's contact person: chosen by its admins among its members, shown publicly,
gone from the profile when that person leaves or deletes their account."""

from __future__ import annotations

import uuid

from tests.members.factories import PASSWORD
from tests.members.test_users import bearer, sign_in

URL = "/api/members/v1/organisations"


def _choose(client, make, admin, org, person_id):
    body = {"contact_user_id": str(person_id) if person_id else None}
    return client.patch(f"{URL}/{org.id}", json=body, headers=make.headers(admin))


def _contact(client, org):
    response = client.get(f"{URL}/{org.id}")
    assert response.status_code == 200
    return response.json["contact"]


def test_an_admin_names_a_member_as_contact_and_everyone_reads_it(client, make):
    org, admin = make.registered(name="Azur Génomique")
    colleague = make.user(org, full_name="Claire Dubois", email="claire@azur.example")
    before = client.get(f"{URL}/{org.id}")
    assert before.json["contact"] is None

    chosen = _choose(client, make, admin, org, colleague.id)
    assert chosen.status_code == 200, chosen.json
    assert chosen.json["contact"]["full_name"] == "Claire Dubois"
    assert _contact(client, org) == {
        "user_id": str(colleague.id),
        "full_name": "Claire Dubois",
        "email": "claire@azur.example",
    }
    again = client.get(f"{URL}/{org.id}", headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 200  # the profile changed: no stale 304
    batch = client.get(f"{URL}/batch", query_string={"ids": str(org.id)}).json["items"]
    assert batch[0]["contact"]["full_name"] == "Claire Dubois"

    assert _choose(client, make, admin, org, None).status_code == 200
    assert _contact(client, org) is None


def test_only_a_member_of_the_organisation_can_be_its_contact(client, make):
    org, admin = make.registered()
    _other, outsider = make.registered()
    for person_id in (outsider.id, uuid.uuid4()):
        response = _choose(client, make, admin, org, person_id)
        assert response.status_code == 422
        assert response.mimetype == "application/problem+json"
        assert [e["pointer"] for e in response.json["errors"]] == ["/contact_user_id"]
    assert _contact(client, org) is None


def test_a_member_who_is_not_admin_cannot_choose_the_contact(client, make):
    org, _admin = make.registered()
    member = make.user(org)
    assert _choose(client, make, member, org, member.id).status_code == 403


def test_the_contact_is_removed_when_the_person_leaves_the_organisation(client, make):
    org, admin = make.registered()
    colleague = make.user(org)
    assert _choose(client, make, admin, org, colleague.id).status_code == 200
    left = client.delete(f"{URL}/{org.id}/members/{colleague.id}", headers=make.headers(admin))
    assert left.status_code == 204
    assert _contact(client, org) is None


def test_the_contact_is_removed_when_the_person_deletes_the_account(client, make):
    org, admin = make.registered()
    colleague = make.user(org)
    assert _choose(client, make, admin, org, colleague.id).status_code == 200
    tokens = sign_in(client, colleague)
    gone = client.delete("/api/members/v1/me", json={"password": PASSWORD}, headers=bearer(tokens))
    assert gone.status_code == 204
    assert _contact(client, org) is None


def test_the_profile_follows_the_contacts_new_name(client, make):
    org, admin = make.registered()
    colleague = make.user(org, full_name="Li Na")
    assert _choose(client, make, admin, org, colleague.id).status_code == 200
    etag = client.get(f"{URL}/{org.id}").headers["ETag"]
    renamed = client.patch(
        "/api/members/v1/me", json={"full_name": "Li Na (Zijin)"}, headers=make.headers(colleague)
    )
    assert renamed.status_code == 200
    response = client.get(f"{URL}/{org.id}", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.json["contact"]["full_name"] == "Li Na (Zijin)"
