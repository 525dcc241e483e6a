"""Platform staff verify, suspend and reinstate organisations with a reason."""

from __future__ import annotations

from tests.portal.test_account_pages import _error_of


def _staff(make):
    return make.user(None, is_platform_admin=True, full_name="Platform Staff")


def test_only_platform_staff_open_the_verification_pages(browser, make):
    org = make.organisation(status="pending")
    browser.sign_in(make.admin(org).email)
    assert browser.get("/admin/organisations").status_code == 403
    assert browser.get(f"/admin/organisations/{org.id}").status_code == 403


def test_staff_verify_a_pending_organisation_which_then_appears_in_the_directory(browser, make):
    org = make.organisation(name="Vallauris Ceramics Lab", status="pending")
    browser.sign_in(_staff(make).email)
    queue = browser.get("/admin/organisations").get_data(as_text=True)
    assert "Vallauris Ceramics Lab" in queue
    assert "Vallauris Ceramics Lab" not in browser.get("/directory").get_data(as_text=True)
    response = browser.submit(
        f"/admin/organisations/{org.id}",
        {"action": "verify", "verify-reason": "Checked with the park."},
    )
    assert response.status_code == 302
    assert "Vallauris Ceramics Lab" in browser.get("/directory").get_data(as_text=True)


def test_suspending_needs_a_reason_shown_next_to_the_field(browser, make, members_app):
    org = make.organisation(name="Cannes Drones")
    browser.sign_in(_staff(make).email)
    page = browser.submit(
        f"/admin/organisations/{org.id}", {"action": "suspend", "suspend-reason": ""}
    ).get_data(as_text=True)
    assert "This field is required." in _error_of(page, "suspend-reason")
    done = browser.submit(
        f"/admin/organisations/{org.id}",
        {"action": "suspend", "suspend-reason": "Registration number withdrawn."},
    )
    assert done.status_code == 302
    from services.members.models import Organisation, db

    with members_app.app_context():
        db.session.remove()
        row = db.session.get(Organisation, org.id)
        assert (row.status, row.status_reason) == ("suspended", "Registration number withdrawn.")
    assert "Cannes Drones" not in browser.get("/directory").get_data(as_text=True)
