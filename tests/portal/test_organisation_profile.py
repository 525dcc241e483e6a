"""An organisation's public profile: its public projects, and the contact person its admins
chose among its members (gone when that person leaves)."""

from __future__ import annotations

from tests.portal.conftest import Browser
from tests.portal.test_organisation_pages import _profile
from tests.portal.test_projects_pages import _create, _opened, _organisation


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_profile_lists_public_projects_that_name_their_owner(browser, make, platform, app):
    org, owner = _organisation(make, platform, name="Open Optics")
    owner_browser = Browser(app.test_client())
    owner_browser.sign_in(owner.email)
    _opened(owner_browser, title_en="Open photonics", visibility="public")
    _opened(owner_browser, title_en="Members photonics", visibility="members")
    _opened(
        owner_browser, title_en="Discreet photonics", visibility="public", discretion="discreet"
    )
    _create(owner_browser, title_en="Draft photonics", visibility="public")

    for reader in (browser, owner_browser):  # its own admin sees no more on the public page
        page = _text(reader.get(f"/organisations/{org.id}"))
        assert "Public projects" in page and "Open photonics" in page
        for hidden in ("Members photonics", "Discreet photonics", "Draft photonics"):
            assert hidden not in page, hidden


def test_an_organisation_without_public_projects_says_so_in_french(browser, make, platform):
    org, _owner = _organisation(make, platform)
    page = _text(browser.get(f"/organisations/{org.id}", headers={"Accept-Language": "fr"}))
    assert "Cette organisation n\u2019a pas encore de projet public." in page


def test_an_admin_names_a_contact_who_disappears_when_leaving(browser, make, platform):
    org, admin = _organisation(make, platform, name="Biot Materials")
    colleague = make.user(org, full_name="Paul Girard", email="paul@biot.example")
    browser.sign_in(admin.email)
    form = _text(browser.get("/my-organisation"))
    assert f'value="{colleague.id}"' in form and "Paul Girard" in form

    saved = browser.submit("/my-organisation", _profile(contact_user_id=str(colleague.id)))
    assert saved.status_code == 302
    assert f'<option selected value="{colleague.id}">' in _text(browser.get("/my-organisation"))
    public = _text(
        Browser(browser.client.application.test_client()).get(f"/organisations/{org.id}")
    )
    assert "Contact person" in public and "Paul Girard" in public
    assert 'href="mailto:paul@biot.example"' in public

    browser.submit(
        f"/my-organisation/members/{colleague.id}/remove",
        {"confirmed": "yes"},
        page="/my-organisation/members",
    )
    public = _text(browser.get(f"/organisations/{org.id}"))
    assert "Paul Girard" not in public and "Contact person" not in public


def test_only_the_organisations_own_people_are_offered(browser, make, platform):
    _org, admin = _organisation(make, platform)
    _other, stranger = _organisation(make, platform)
    browser.sign_in(admin.email)
    refused = browser.submit("/my-organisation", _profile(contact_user_id=str(stranger.id)))
    assert refused.status_code == 200 and "Not a valid choice" in _text(refused)


def test_pages_read_many_organisations_in_batches_seeing_what_the_reader_may(app, make, platform):
    import uuid

    from services.portal import panels

    shown = [_organisation(make, platform)[0] for _ in range(2)]
    pending, _admin = make.registered(status="pending")
    unknown = [uuid.uuid4() for _ in range(panels.BATCH_SIZE + 20)]  # two batches
    with app.test_request_context("/"):
        found = panels.organisations([*(o.id for o in shown), pending.id, *unknown, None])
        assert set(found) == {str(org.id) for org in shown}
        assert panels.organisation_names(org.id for org in shown) == {
            str(org.id): org.name for org in shown
        }
