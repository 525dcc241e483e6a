"""In Chromium: times in the visitor's own zone, read by the browser and kept in a `tz` cookie."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.portal.test_announcements_pages import Announcements
from tests.support.waiting import wait_until

# A Paris evening (UTC+1) is noon in New York (UTC-5) and the small hours in Shanghai (UTC+8).
NEW_YORK_NOON = 'time[datetime="2027-01-15T12:00:00-05:00"]'
UTC_FIVE_PM = 'time[datetime="2027-01-15T17:00:00+00:00"]'
SHANGHAI_ONE_AM = 'time[datetime="2027-01-16T01:00:00+08:00"]'


def _public_event(members_app, platform) -> str:
    from tests.members.factories import Factories

    with members_app.app_context():
        make = Factories(members_app)
        staff = make.platform_admin(full_name="Platform Staff")
        event = Announcements(platform, make).create(staff, "event", title={"en": "Winter forum"})
    return event["id"]


def _zone_cookie(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == "tz"), None)


def test_an_anonymous_visitor_reads_times_in_the_zone_of_the_browser(
    chromium, portal_url, members_app, platform
):
    event_id = _public_event(members_app, platform)
    for locale in ("en-US", "fr-FR"):
        context = chromium.new_context(locale=locale, timezone_id="America/New_York")
        page = context.new_page()
        page.goto(f"{portal_url}/")
        assert wait_until(lambda context=context: _zone_cookie(context)) == "America/New_York"
        page.goto(f"{portal_url}/announcements/{event_id}")
        expect(page.locator(NEW_YORK_NOON).first).to_be_visible()
        expect(page.get_by_text("(America/New_York)").first).to_be_visible()
        context.close()


def test_without_the_script_or_with_a_forged_cookie_the_language_rule_applies(
    chromium, portal_url, members_app, platform
):
    event_id = _public_event(members_app, platform)
    context = chromium.new_context(
        locale="en-US", timezone_id="America/New_York", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{portal_url}/announcements/{event_id}")
    expect(page.locator(UTC_FIVE_PM).first).to_be_visible()
    assert _zone_cookie(context) is None
    context.add_cookies([{"name": "tz", "value": "Mars/Olympus", "url": portal_url}])
    page.goto(
        f"{portal_url}/announcements/{event_id}",
    )
    expect(page.locator(UTC_FIVE_PM).first).to_be_visible()
    context.close()

    chinese = chromium.new_context(locale="zh-CN", java_script_enabled=False)
    chinese.add_cookies([{"name": "tz", "value": "EST", "url": portal_url}])  # a legacy alias
    page = chinese.new_page()
    page.goto(f"{portal_url}/announcements/{event_id}")
    expect(page.locator(SHANGHAI_ONE_AM).first).to_be_visible()
    chinese.close()
