"""My organisation, for its admins: profile, members and roles, invitations, API clients."""

from __future__ import annotations

import re
import uuid

from tests.portal.test_account_pages import _error_of


def _profile(**overrides) -> dict:
    data = {
        "name": "Biot Materials",
        "name_zh": "",
        "city": "Biot",
        "park": "sophia_antipolis",
        "kind": "company",
        "size": "micro",
        "sectors": ["environment"],
        "website": "https://biot-materials.example",
        "description_en": "Recycled composites.",
        "description_fr": "Composites recyclés.",
        "description_zh": "",
    }
    data.update(overrides)
    return data


def _reload(members_app, model, row_id):
    from services.members.models import db

    with members_app.app_context():
        db.session.remove()
        return db.session.get(model, row_id)


def test_org_admin_edits_the_profile_with_errors_next_to_fields(browser, make, members_app):
    org = make.organisation(name="Biot Materiaux")
    browser.sign_in(make.admin(org).email)
    local = browser.submit(
        "/my-organisation", _profile(name="", sectors=[], website="not a url")
    ).get_data(as_text=True)
    assert "This field is required." in _error_of(local, "name")
    assert "Choose at least one sector." in _error_of(local, "sectors")
    assert "https://" in _error_of(local, "website")
    remote = browser.submit("/my-organisation", _profile(name_zh="Latin only")).get_data(
        as_text=True
    )
    assert "Chinese characters" in _error_of(remote, "name_zh")
    saved = browser.submit("/my-organisation", _profile(name_zh="比奥材料"))
    assert saved.status_code == 302
    from services.members.models import Organisation

    row = _reload(members_app, Organisation, org.id)
    assert row.name == "Biot Materials" and row.name_zh == "比奥材料"
    assert row.description == {"en": "Recycled composites.", "fr": "Composites recyclés."}


def test_a_plain_member_sees_the_organisation_but_cannot_change_or_manage_it(
    browser, make, members_app
):
    org = make.organisation(name="Grasse Aromatics")
    browser.sign_in(make.user(org).email)
    page = browser.get("/my-organisation").get_data(as_text=True)
    assert "Grasse Aromatics" in page and 'name="name"' not in page
    for path in (
        "/my-organisation/members",
        "/my-organisation/invitations",
        "/my-organisation/clients",
    ):
        assert browser.get(path).status_code == 403
    response = browser.submit("/my-organisation", _profile(), page="/my-organisation")
    assert response.status_code == 302
    from services.members.models import Organisation

    assert _reload(members_app, Organisation, org.id).name == "Grasse Aromatics"


def test_org_admin_changes_a_role_and_removes_a_member(browser, make, members_app):
    org = make.organisation()
    admin = make.admin(org)
    colleague = make.user(org, full_name="Paul Girard")
    browser.sign_in(admin.email)
    page = browser.get("/my-organisation/members").get_data(as_text=True)
    assert "Paul Girard" in page
    response = browser.submit(
        f"/my-organisation/members/{colleague.id}/role",
        {f"m{colleague.id}-role": "org_admin"},
        page="/my-organisation/members",
    )
    assert response.status_code == 302
    from services.members.models import Membership, db

    with members_app.app_context():
        db.session.remove()
        membership = db.session.query(Membership).filter_by(user_id=colleague.id).one()
        assert membership.role == "org_admin"
    asked = browser.submit(
        f"/my-organisation/members/{colleague.id}/remove", {}, page="/my-organisation/members"
    )
    assert "Remove this member?" in asked.get_data(as_text=True)
    assert "Paul Girard" in browser.get("/my-organisation/members").get_data(as_text=True)
    browser.submit(
        f"/my-organisation/members/{colleague.id}/remove",
        {"confirmed": "yes"},
        page="/my-organisation/members",
    )
    assert "Paul Girard" not in browser.get("/my-organisation/members").get_data(as_text=True)


def test_an_admin_cannot_touch_another_organisations_member(browser, make, members_app):
    mine, theirs = make.organisation(), make.organisation()
    outsider = make.user(theirs)
    browser.sign_in(make.admin(mine).email)
    response = browser.submit(
        f"/my-organisation/members/{outsider.id}/role",
        {f"m{outsider.id}-role": "org_admin"},
        page="/my-organisation/members",
    )
    assert response.status_code == 302
    browser.submit(
        f"/my-organisation/members/{outsider.id}/remove",
        {"confirmed": "yes"},
        page="/my-organisation/members",
    )
    from services.members.models import Membership, db

    with members_app.app_context():
        db.session.remove()
        membership = db.session.query(Membership).filter_by(user_id=outsider.id).one()
        assert (membership.role, membership.organisation_id) == ("org_member", theirs.id)


def test_invitations_are_validated_sent_listed_and_revoked(browser, make):
    org = make.organisation()
    browser.sign_in(make.admin(org).email)
    bad = browser.submit(
        "/my-organisation/invitations", {"email": "no-at-sign", "role": "org_member"}
    ).get_data(as_text=True)
    assert "valid e-mail address" in _error_of(bad, "email")
    sent = browser.submit(
        "/my-organisation/invitations", {"email": "lea@example.org", "role": "org_member"}
    )
    assert sent.status_code == 302
    page = browser.get("/my-organisation/invitations").get_data(as_text=True)
    assert "lea@example.org" in page and "Pending" in page
    action = page.split('action="/my-organisation/invitations/')[1].split('"')[0]
    asked = browser.submit(
        f"/my-organisation/invitations/{action}", {}, page="/my-organisation/invitations"
    )
    assert "Revoke this invitation?" in asked.get_data(as_text=True)
    assert "Revoked" not in browser.get("/my-organisation/invitations").get_data(as_text=True)
    browser.submit(
        f"/my-organisation/invitations/{action}",
        {"confirmed": "yes"},
        page="/my-organisation/invitations",
    )
    assert "Revoked" in browser.get("/my-organisation/invitations").get_data(as_text=True)


def test_api_clients_need_a_scope_and_show_their_secret_once(browser, make):
    org = make.organisation()
    browser.sign_in(make.admin(org).email)
    bad = browser.submit("/my-organisation/clients", {"name": "ERP"}).get_data(as_text=True)
    assert "Choose at least one scope." in _error_of(bad, "scopes")
    posted = browser.submit(
        "/my-organisation/clients", {"name": "ERP", "scopes": ["directory:read"]}
    )
    assert posted.status_code == 302  # Post/Redirect/Get: a reload creates nothing more
    shown = browser.client.get(posted.headers["Location"])
    created = shown.get_data(as_text=True)
    assert "client_secret" in created and "shown only once" in created
    assert 'data-copy="created-client-secret"' in created
    assert shown.headers["Cache-Control"] == "no-store"
    again = browser.get("/my-organisation/clients").get_data(as_text=True)
    assert "ERP" in again and "shown only once" not in again
    assert again.count("<code>directory:read</code>") == 1  # one client, not two


def test_revoking_an_api_client_asks_first_in_the_readers_language(browser, make, members_app):
    org = make.organisation()
    browser.sign_in(make.admin(org, language="fr").email)
    posted = browser.submit(
        "/my-organisation/clients", {"name": "CRM", "scopes": ["projects:read"]}
    )
    page = browser.client.get(posted.headers["Location"]).get_data(as_text=True)
    client_id = re.search(r'action="/my-organisation/clients/([0-9a-f-]+)/revoke"', page).group(1)
    target = f"/my-organisation/clients/{client_id}/revoke"
    asked = browser.submit(target, {}, page="/my-organisation/clients").get_data(as_text=True)
    assert "Révoquer ce client d&#39;API\u202f?" in asked
    assert 'name="confirmed" value="yes"' in asked and "Revenir sans rien changer" in asked
    from services.members.models import ApiClient, db

    with members_app.app_context():
        db.session.remove()
        assert db.session.get(ApiClient, uuid.UUID(client_id)).revoked_at is None
    done = browser.submit(target, {"confirmed": "yes"}, page="/my-organisation/clients")
    assert done.status_code == 302
    with members_app.app_context():
        db.session.remove()
        assert db.session.get(ApiClient, uuid.UUID(client_id)).revoked_at is not None
