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


def test_staff_see_how_many_registrations_wait_on_the_verification_link(browser, make):
    browser.sign_in(_staff(make).email)
    before = browser.get("/dashboard").get_data(as_text=True)
    assert 'data-pending="' not in before  # nothing waits: no badge
    for name in ("Mougins Optics", "Biot Glassworks"):
        make.organisation(name=name, status="pending")
    page = browser.get("/dashboard").get_data(as_text=True)
    assert 'data-pending="2"' in page
    browser.sign_in(make.user(None, is_platform_admin=True, language="fr").email)
    french = browser.get("/dashboard").get_data(as_text=True)
    assert "Vérification" in french and 'data-pending="2"' in french


def test_the_verification_page_names_the_registrant_and_rejects_in_one_wording(
    browser, make, members_app
):
    org = make.organisation(name="Menton Citrus Lab", status="pending")
    make.admin(org, full_name="Amélie Roux", email="amelie@menton-citrus.example")
    browser.sign_in(_staff(make).email)
    page = browser.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    assert "Amélie Roux" in page and 'href="mailto:amelie@menton-citrus.example"' in page
    assert page.count("Reject the registration") == 2  # the heading and its button say the same
    assert "Suspend" not in page and "Turn down" not in page
    done = browser.submit(
        f"/admin/organisations/{org.id}",
        {"action": "reject", "suspend-reason": "No such company in the register."},
    )
    assert done.status_code == 302
    assert "The registration is rejected." in browser.get(done.headers["Location"]).get_data(
        as_text=True
    )
    browser.sign_in(make.user(None, is_platform_admin=True, language="zh").email)
    chinese = browser.get(
        f"/admin/organisations/{make.organisation(status='verified').id}"
    ).get_data(as_text=True)
    assert chinese.count("暂停该机构") == 2 and "拒绝该注册申请" not in chinese


def test_people_of_a_pending_organisation_are_told_what_they_can_do_meanwhile(browser, make):
    org = make.organisation(status="pending")
    browser.sign_in(make.admin(org).email)
    page = browser.get("/dashboard").get_data(as_text=True)
    assert "Your organisation is awaiting verification" in page
    links = (
        "/my-organisation",
        "/my-organisation/invitations",
        "/projects/new",
        "/announcements/mine",
    )
    for target in links:
        assert f'href="{target}"' in page
    browser.sign_in(make.user(org, language="fr").email)
    french = browser.get("/dashboard").get_data(as_text=True)
    assert "Votre organisation attend sa vérification" in french


def test_people_of_a_suspended_organisation_read_what_is_left_to_them(browser, make):
    org = make.organisation(status="suspended")
    browser.sign_in(make.user(org, language="zh").email)
    page = browser.get("/notifications").get_data(as_text=True)
    assert "贵机构已被暂停" in page and "等待认证" not in page
    verified = make.organisation()
    browser.sign_in(make.admin(verified).email)
    assert 'class="notice notice--info standing"' not in browser.get("/dashboard").get_data(
        as_text=True
    )
