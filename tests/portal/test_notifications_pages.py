"""The inbox, its unread count and the preferences, against the real platform and its workers."""

from __future__ import annotations

import re

import pytest
from flask import g

from tests.portal.conftest import Browser
from tests.portal.test_account_pages import _error_of

API = "/api/notifications/v1"


def _verified_admin(make, app, platform, name="Antibes Optics"):
    """An organisation registered through members, then verified by staff through the portal:
    its admin has one notification once the events are carried."""
    org, admin = make.registered(status="pending", admin={"language": "en"}, name=name)
    platform.settle()
    staff = Browser(app.test_client())
    staff.sign_in(make.platform_admin().email)
    done = staff.submit(
        f"/admin/organisations/{org.id}", {"action": "verify", "verify-reason": "Checked."}
    )
    assert done.status_code == 302
    platform.settle()
    return org, admin


def _api(platform, make, user, method, path, **kwargs):
    client = platform.apps["notifications"].test_client()
    return client.open(f"{API}{path}", method=method, headers=make.headers(user), **kwargs)


class StatusSpy:
    """Notifications' WSGI app wrapped to record the status of each unread-count answer."""

    def __init__(self, platform):
        self.platform = platform
        self.inner = platform.router.apps["notifications"]
        self.statuses: list[str] = []

    def __call__(self, environ, start_response):
        def recording(status, headers, *args):
            if environ["PATH_INFO"].endswith("/inbox/unread-count"):
                self.statuses.append(status.split()[0])
            return start_response(status, headers, *args)

        return self.inner(environ, recording)

    def __enter__(self):
        self.platform.router.apps["notifications"] = self
        return self

    def __exit__(self, *exc):
        self.platform.router.apps["notifications"] = self.inner


def _notifications_down(environ, start_response):
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"down"]


@pytest.mark.parametrize("path", ["/notifications", "/notifications/preferences"])
def test_anonymous_visitors_are_sent_to_sign_in(browser, path):
    response = browser.get(path)
    assert response.status_code == 302 and "/sign-in?next=" in response.headers["Location"]


def test_a_verification_reaches_the_admins_inbox_unread_then_read(browser, make, app, platform):
    _org, admin = _verified_admin(make, app, platform)
    browser.sign_in(admin.email)
    page = browser.get("/notifications").get_data(as_text=True)
    assert "Antibes Optics is verified" in page
    assert "Your organisation now appears in the directory." in page
    assert "1 unread notification" in page and "inbox__item--unread" in page
    notification_id = re.search(r'action="/notifications/(\d+)/read"', page).group(1)
    done = browser.submit(f"/notifications/{notification_id}/read", {}, page="/notifications")
    assert done.status_code == 302
    after = browser.get("/notifications").get_data(as_text=True)
    assert "Nothing unread." in after and "inbox__item--unread" not in after
    assert "Antibes Optics is verified" in after
    count = _api(platform, make, admin, "GET", "/inbox/unread-count")
    assert count.json == {"unread": 0}


def test_opening_a_notification_marks_it_read_and_leads_to_what_it_is_about(
    browser, make, app, platform
):
    _org, admin = _verified_admin(make, app, platform, name="Valbonne Robotics")
    browser.sign_in(admin.email)
    page = browser.get("/notifications").get_data(as_text=True)
    notification_id = re.search(r'action="/notifications/(\d+)/open"', page).group(1)
    opened = browser.submit(f"/notifications/{notification_id}/open", {}, page="/notifications")
    assert opened.status_code == 302 and opened.headers["Location"] == "/my-organisation"
    assert _api(platform, make, admin, "GET", "/inbox/unread-count").json == {"unread": 0}


def test_mark_all_read_and_delete(browser, make, app, platform):
    _org, admin = _verified_admin(make, app, platform, name="Mougins Labs")
    browser.sign_in(admin.email)
    done = browser.submit("/notifications/read-all", {}, page="/notifications")
    assert done.status_code == 302
    page = browser.get("/notifications").get_data(as_text=True)
    assert "Nothing unread." in page
    assert "Nothing unread." in browser.get("/notifications?show=unread").get_data(as_text=True)
    notification_id = re.search(r'action="/notifications/(\d+)/delete"', page).group(1)
    browser.submit(f"/notifications/{notification_id}/delete", {}, page="/notifications")
    empty = browser.get("/notifications").get_data(as_text=True)
    assert "Mougins Labs is verified" not in empty and "No notification yet." in empty
    assert _api(platform, make, admin, "GET", "/inbox").json["items"] == []


def test_someone_elses_notification_cannot_be_read_or_deleted(browser, make, app, platform):
    _org, admin = _verified_admin(make, app, platform, name="Cagnes Bio")
    item = _api(platform, make, admin, "GET", "/inbox").json["items"][0]
    stranger = make.user(make.organisation())
    browser.sign_in(stranger.email)
    assert "Cagnes Bio" not in browser.get("/notifications").get_data(as_text=True)
    for action in ("read", "delete"):
        response = browser.submit(
            f"/notifications/{item['id']}/{action}", {}, page="/notifications"
        )
        assert response.status_code == 302
    still = _api(platform, make, admin, "GET", "/inbox").json["items"]
    assert [(n["id"], n["read_at"]) for n in still] == [(item["id"], None)]


def test_a_garbled_cursor_starts_the_inbox_again(browser, make):
    browser.sign_in(make.user(make.organisation()).email)
    response = browser.get("/notifications?cursor=not-a-cursor")
    assert response.status_code == 302 and response.headers["Location"] == "/notifications"


def test_the_inbox_pages_with_the_apis_cursor(browser, make, app, platform):
    from services.notifications.domain import inbox as domain
    from services.notifications.domain.recipients import people
    from services.notifications.models import db

    _org, admin = _verified_admin(make, app, platform, name="Biot Glass")
    with platform.apps["notifications"].app_context(), db.transaction() as session:
        for n in range(21):
            domain.write(
                session,
                "organisation.suspended",
                {"name": f"Item {n:02d}", "reason": "Test."},
                f"event-{n}",
                people([admin.id]),
            )
    browser.sign_in(admin.email)
    first = browser.get("/notifications").get_data(as_text=True)
    assert "22 unread notifications" in first and "Older notifications" in first
    cursor = re.search(r'href="/notifications\?cursor=([^"&]+)', first).group(1)
    second = browser.get(f"/notifications?cursor={cursor}").get_data(as_text=True)
    assert second.count('class="inbox__item') == 2 and "Newest" in second
    assert "Older notifications" not in second


def test_the_unread_count_revalidates_with_its_etag_and_hides_when_notifications_is_down(
    browser, make, app, platform
):
    from services.portal.badge import unread_count

    _org, admin = _verified_admin(make, app, platform, name="Grasse Sensors")
    browser.sign_in(admin.email)
    client = browser.client
    assert "1 unread notification" in client.get("/notifications").get_data(as_text=True)
    with client.session_transaction() as session:
        etag = session["unread"]["etag"]
    assert etag == _api(platform, make, admin, "GET", "/inbox/unread-count").headers["ETag"]
    with StatusSpy(platform) as spy:
        again = client.get("/notifications").get_data(as_text=True)
    assert spy.statuses == ["304"] and "1 unread notification" in again
    platform.router.apps["notifications"] = _notifications_down
    try:
        down = client.get("/account")
    finally:
        platform.router.apps["notifications"] = spy.inner
    assert down.status_code == 200 and "unread notification" not in down.get_data(as_text=True)
    with StatusSpy(platform) as paused:  # not asked again at once
        page = client.get("/account")
    assert paused.statuses == [] and "unread notification" not in page.get_data(as_text=True)
    with client:  # asked outside a page's reads, too
        client.get("/account")
        g.pop("unread_count", None)
        assert unread_count() is None


def test_anonymous_people_have_no_unread_count(app):
    from services.portal.badge import unread_count

    with app.test_request_context("/"):
        assert unread_count() is None


def test_preferences_show_critical_categories_locked_and_save(browser, make, platform):
    person = make.user(make.organisation())
    browser.sign_in(person.email)
    page = browser.get("/notifications/preferences").get_data(as_text=True)
    assert "off" in _options(page, "mode_projects")
    assert _options(page, "mode_account") == ["in_app", "email", "daily", "weekly"]
    assert "Always on" in page
    choices = _modes(page)
    saved = browser.submit(
        "/notifications/preferences",
        {
            **choices,
            "mode_projects": "weekly",
            "mode_announcements": "off",
            "mode_account": "in_app",
            "quiet": "y",
            "quiet_start": "22:00",
            "quiet_end": "07:30",
        },
    )
    assert saved.status_code == 302
    stored = _api(platform, make, person, "GET", "/preferences").json
    modes = {c["category"]: c["mode"] for c in stored["categories"]}
    assert modes["projects"] == "weekly" and modes["announcements"] == "off"
    assert modes["account"] == "in_app"
    assert stored["quiet_hours"] == {"start": "22:00", "end": "07:30"}
    again = browser.get("/notifications/preferences").get_data(as_text=True)
    assert _modes(again)["mode_projects"] == "weekly"


def _options(page: str, name: str) -> list[str]:
    """The values a radio group offers."""
    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return [re.search(r'value="([^"]+)"', tag).group(1) for tag in tags]


def _modes(page: str) -> dict:
    """The modes currently checked on the preferences page, as a browser would send them."""
    found = {}
    for tag in re.findall(r"<input[^>]*type=\"radio\"[^>]*>", page):
        if "checked" in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            found[name] = re.search(r'value="([^"]+)"', tag).group(1)
    return found


def test_preferences_errors_are_shown_next_to_their_fields(browser, make, platform):
    person = make.user(make.organisation())
    browser.sign_in(person.email)
    choices = _modes(browser.get("/notifications/preferences").get_data(as_text=True))
    missing = browser.submit(
        "/notifications/preferences",
        {**choices, "mode_projects": "", "quiet": "y", "quiet_start": "", "quiet_end": "25:00"},
    ).get_data(as_text=True)
    assert "This field is required." in _error_of(missing, "mode_projects")
    assert "This field is required." in _error_of(missing, "quiet_start")
    assert "HH:MM" in _error_of(missing, "quiet_end")
    critical_off = browser.submit(
        "/notifications/preferences", {**choices, "mode_account": "off"}
    ).get_data(as_text=True)
    assert _error_of(critical_off, "mode_account")
    refused = browser.submit(
        "/notifications/preferences",
        {**choices, "quiet": "y", "quiet_start": "22:00", "quiet_end": "22:00"},
    ).get_data(as_text=True)
    assert "other than the start" in _error_of(refused, "quiet_end")
    assert _api(platform, make, person, "GET", "/preferences").json["quiet_hours"] is None


def test_the_layouts_reads_travel_together(browser, make, app, platform):
    """The unread count and the organisation's status are asked at once: each answers only once
    the other has been asked (a rendezvous), which reads made one after the other never reach."""
    import threading

    from tests.support.waiting import wait_until

    org, admin = _verified_admin(make, app, platform, name="Valbonne Optics")
    browser.sign_in(admin.email)
    assert 'data-unread="1"' in browser.get("/account").get_data(as_text=True)
    met = threading.Barrier(2, timeout=5)
    arrived = []

    def meeting(service, path_end):
        inner = platform.router.apps[service]

        def app_(environ, start_response):
            if environ["REQUEST_METHOD"] == "GET" and environ["PATH_INFO"].endswith(path_end):
                arrived.append(service)
                try:
                    met.wait()
                except threading.BrokenBarrierError:
                    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                    return [b"alone"]
            return inner(environ, start_response)

        platform.router.apps[service] = app_
        return inner

    inners = {
        "notifications": meeting("notifications", "/inbox/unread-count"),
        "members": meeting("members", f"/organisations/{org.id}"),
    }
    try:
        page = browser.get("/account").get_data(as_text=True)
    finally:
        platform.router.apps.update(inners)
    wait_until(lambda: sorted(arrived) == ["members", "notifications"])
    assert not met.broken
    assert 'data-unread="1"' in page
