"""The dashboard and the home page against the real platform: what events and matchmaking give."""

from __future__ import annotations

from tests.portal.conftest import Browser
from tests.portal.test_announcements_pages import Announcements


def _open_project(platform, make, owner, **overrides) -> dict:
    return platform.open_project(make.headers(owner), **overrides)


def test_the_dashboard_is_for_signed_in_people(browser):
    response = browser.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/dashboard")


def test_signing_in_leads_to_the_dashboard(browser, make, platform):
    _org, admin = make.registered(admin={"language": "en"})
    platform.settle()
    response = browser.sign_in(admin.email)
    assert response.headers["Location"] == "/dashboard"
    page = browser.get("/dashboard").get_data(as_text=True)
    assert "Welcome, " + admin.full_name in page
    assert "Your organisation has no project yet." in page


def test_the_dashboard_shows_notifications_projects_and_matches_both_ways(browser, make, platform):
    owner_org, owner, partner_org, partner = make.matched_pair()
    platform.settle()
    project = _open_project(platform, make, owner, title={"en": "Lidar for smart buildings"})
    platform.settle()

    browser.sign_in(owner.email)
    mine = browser.get("/dashboard").get_data(as_text=True)
    assert "Lidar for smart buildings" in mine  # my organisation's projects
    assert f"/projects/{project['id']}" in mine
    assert "Partners for “Lidar for smart buildings”" in mine
    assert "Nanjing Lidar Lab" in mine and f"/organisations/{partner_org.id}" in mine
    # The verification of the organisation reached its admin's inbox, and the badge counts it.
    assert "Unread" in mine and 'class="badge badge--count" data-unread="' in mine

    applicant = Browser(browser.client.application.test_client())
    applicant.sign_in(partner.email)
    theirs = applicant.get("/dashboard").get_data(as_text=True)
    assert "Projects that fit my organisation" in theirs
    assert "Lidar for smart buildings" in theirs  # recommended, with its reasons
    assert "Why it fits:" in theirs
    assert "Valbonne Sensing" in theirs and str(owner_org.id) in theirs


def test_the_home_page_shows_open_calls_to_anonymous_visitors(browser, make, platform):
    _org, owner = make.registered(name="Biot Biologics", admin={"language": "en"})
    platform.settle()
    _open_project(platform, make, owner, title={"en": "Organoids for drug screening"})
    _open_project(platform, make, owner, title={"en": "Members-only assay"}, visibility="members")
    page = browser.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Open calls for partners" in page
    assert "Organoids for drug screening" in page
    assert "Members-only assay" not in page
    assert "Latest news" in page and "Upcoming events" in page


def test_the_dashboard_reads_each_service_once(browser, make, platform):
    owner_org, owner, _lab_org, _lab = make.matched_pair()
    platform.settle()
    _open_project(platform, make, owner, title={"en": "Lidar for smart buildings"})
    staff = make.platform_admin(full_name="Platform Staff")
    Announcements(platform, make).create(staff, "event", title={"en": "Robotics day"})
    platform.settle()
    browser.sign_in(owner.email)
    browser.get("/dashboard")  # the person's profile is in the session from now on

    calls: list[tuple[str, str]] = []
    services = dict(platform.router.apps)

    def recording(name, app):
        def wrapper(environ, start_response):
            calls.append((name, environ["PATH_INFO"]))
            return app(environ, start_response)

        return wrapper

    platform.router.apps.update({name: recording(name, app) for name, app in services.items()})
    try:
        page = browser.get("/dashboard").get_data(as_text=True)
    finally:
        platform.router.apps.update(services)
    assert "Lidar for smart buildings" in page and "Nanjing Lidar Lab" in page
    assert "Robotics day" in page  # the events ahead
    assert 'class="badge badge--count" data-unread="' in page
    by_service = {name: [path for n, path in calls if n == name] for name in services}
    assert by_service["projects"] == [f"/api/projects/v1/organisations/{owner_org.id}/dashboard"], (
        calls
    )
    assert by_service["notifications"] == ["/api/notifications/v1/inbox/latest"], calls
    assert by_service["announcements"] == ["/api/announcements/v1/announcements"], calls
    # The banner's organisation status comes from the same round (standing.py asks no more).
    assert by_service["members"].count(f"/api/members/v1/organisations/{owner_org.id}") == 1
