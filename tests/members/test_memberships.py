"""An organisation's members and roles; the last admin stays."""

from __future__ import annotations

from sqlalchemy import select

from services.members.models import Membership, db


def members_url(org, user=None) -> str:
    base = f"/api/members/v1/organisations/{org.id}/members"
    return f"{base}/{user.id}" if user else base


def role_of(user) -> str | None:
    with db.transaction() as session:
        membership = session.scalars(
            select(Membership).where(Membership.user_id == user.id)
        ).first()
        return membership.role if membership else None


def test_members_of_an_organisation_list_each_other_page_by_page(client, make):
    org = make.organisation()
    admin = make.admin(org)
    people = [make.user(org) for _ in range(2)]
    make.user(make.organisation())  # elsewhere: never listed
    first = client.get(members_url(org) + "?limit=2", headers=make.headers(people[0]))
    assert first.status_code == 200
    second = client.get(
        members_url(org) + f"?limit=2&cursor={first.json['next']}", headers=make.headers(people[0])
    )
    listed = first.json["items"] + second.json["items"]
    assert [m["user_id"] for m in listed] == [str(u.id) for u in [admin, *people]]
    assert listed[0]["role"] == "org_admin" and listed[0]["email"] == admin.email
    assert second.json["next"] is None


def test_people_of_another_organisation_cannot_list_its_members(client, make):
    org = make.organisation()
    make.admin(org)
    outsider = make.admin(make.organisation())
    assert client.get(members_url(org), headers=make.headers(outsider)).status_code == 403
    assert client.get(members_url(org)).status_code == 401


def test_an_admin_changes_a_role_and_member_role_changed_is_emitted(client, make):
    org = make.organisation()
    admin = make.admin(org)
    member = make.user(org)
    response = client.patch(
        members_url(org, member), json={"role": "org_admin"}, headers=make.headers(admin)
    )
    assert response.status_code == 200 and response.json["role"] == "org_admin"
    [event] = make.events("member.role_changed")
    assert event["data"]["previous_role"] == "org_member"
    assert event["data"]["role"] == "org_admin"
    assert event["data"]["user_id"] == str(member.id)


def test_an_invalid_role_is_a_validation_error(client, make):
    org = make.organisation()
    admin = make.admin(org)
    member = make.user(org)
    for payload in ({"role": "platform_admin"}, {}, {"role": "x" * 1000}):
        response = client.patch(members_url(org, member), json=payload, headers=make.headers(admin))
        assert response.status_code == 422
        assert response.json["errors"][0]["pointer"] == "/role"
    assert role_of(member) == "org_member"


def test_a_member_cannot_change_roles(client, make):
    org = make.organisation()
    make.admin(org)
    member, colleague = make.user(org), make.user(org)
    response = client.patch(
        members_url(org, colleague), json={"role": "org_admin"}, headers=make.headers(member)
    )
    assert response.status_code == 403
    assert role_of(colleague) == "org_member"


def test_the_last_admin_can_neither_step_down_nor_be_removed(client, make):
    org = make.organisation()
    admin = make.admin(org)
    make.user(org)
    headers = make.headers(admin)
    demoted = client.patch(members_url(org, admin), json={"role": "org_member"}, headers=headers)
    assert demoted.status_code == 409 and demoted.mimetype == "application/problem+json"
    assert client.delete(members_url(org, admin), headers=headers).status_code == 409
    assert role_of(admin) == "org_admin"
    assert make.events("member.role_changed") == [] and make.events("member.left") == []


def test_with_a_second_admin_the_first_may_step_down(client, make):
    org = make.organisation()
    admin, other_admin = make.admin(org), make.admin(org)
    response = client.patch(
        members_url(org, admin), json={"role": "org_member"}, headers=make.headers(admin)
    )
    assert response.status_code == 200
    assert role_of(admin) == "org_member" and role_of(other_admin) == "org_admin"


def test_an_admin_removes_a_member_who_keeps_the_account(client, make):
    org = make.organisation()
    admin = make.admin(org)
    member = make.user(org)
    response = client.delete(members_url(org, member), headers=make.headers(admin))
    assert response.status_code == 204
    assert role_of(member) is None
    [event] = make.events("member.left")
    assert event["data"] == {"organisation_id": str(org.id), "user_id": str(member.id)}
    me = client.get("/api/members/v1/me", headers=make.headers(member, role="org_member"))
    assert me.status_code == 200 and me.json["organisation_id"] is None


def test_a_member_may_leave_on_their_own(client, make):
    org = make.organisation()
    make.admin(org)
    member = make.user(org)
    assert client.delete(members_url(org, member), headers=make.headers(member)).status_code == 204
    assert role_of(member) is None


def test_another_organisations_admin_cannot_touch_its_members(client, make):
    org, other = make.organisation(), make.organisation()
    make.admin(org)
    member = make.user(org)
    intruder = make.headers(make.admin(other))
    changed = client.patch(members_url(org, member), json={"role": "org_admin"}, headers=intruder)
    removed = client.delete(members_url(org, member), headers=intruder)
    assert changed.status_code == removed.status_code == 403
    # Through the intruder's own organisation the person is not a member at all.
    via_own = client.delete(members_url(other, member), headers=intruder)
    assert via_own.status_code == 404
    assert role_of(member) == "org_member"
    assert make.events("member.left") == []


def test_a_platform_admin_manages_any_organisations_members(client, make):
    org = make.organisation()
    make.admin(org)
    member = make.user(org)
    staff = make.platform_admin()
    response = client.patch(
        members_url(org, member), json={"role": "org_admin"}, headers=make.headers(staff)
    )
    assert response.status_code == 200 and role_of(member) == "org_admin"
