"""Webhook endpoints for an organisation's admins: real sink, real webhooks worker, real API."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.notifications.support import Sink
from tests.portal.test_account_pages import _error_of
from tests.support.waiting import wait_until

PAGE = "/my-organisation/integrations"


def _endpoint_form(**overrides) -> dict:
    data = {
        "url": "https://hooks.example.org/platform",
        "description": "Our CRM",
        "flavour": "standard",
        "flavour_secret": "",
        "language": "en",
        "scope": "all",
        "rate_limit": "",
    }
    data.update(overrides)
    return data


def _webhooks_api(platform, make, user, method, path, **kwargs):
    client = platform.apps["notifications"].test_client()
    url = f"/api/notifications/v1/organisations/{path}"
    return client.open(url, method=method, headers=make.headers(user), **kwargs)


def _signed_by(secret: str, request: dict) -> bool:
    from services.notifications.domain import signing

    headers = {k.lower(): v for k, v in request["headers"].items()}
    expected = signing.sign(
        secret, headers["webhook-id"], int(headers["webhook-timestamp"]), request["body"]
    )
    return expected in headers["webhook-signature"].split()


@pytest.fixture
def sink():
    running = Sink()
    yield running
    running.stop()


def test_anonymous_visitors_and_plain_members_are_kept_out(browser, make):
    org = make.organisation()
    assert browser.get(PAGE).status_code == 302
    browser.sign_in(make.user(org).email)
    assert browser.get(PAGE).status_code == 403
    assert browser.get(f"{PAGE}/00000000-0000-0000-0000-000000000000").status_code == 403
    assert browser.get(f"{PAGE}/00000000-0000-0000-0000-000000000000/deliveries").status_code == 403
    refused = browser.submit(PAGE, _endpoint_form(), page="/my-organisation")
    assert refused.status_code == 403


def test_the_page_offers_the_catalogue_chat_formats_and_links_the_api_clients(browser, make):
    browser.sign_in(make.admin(make.organisation()).email)
    page = browser.get(PAGE).get_data(as_text=True)
    assert "No webhook endpoint yet." in page
    assert 'href="/my-organisation/clients"' in page
    for flavour in ("standard", "slack", "teams", "wecom", "dingtalk", "feishu"):
        assert f'value="{flavour}"' in page
    assert 'value="organisation.verified"' in page
    assert "event-types__description" in page


def test_endpoint_form_errors_are_shown_next_to_their_fields(browser, make, platform):
    org = make.organisation()
    admin = make.admin(org)
    browser.sign_in(admin.email)
    empty = browser.submit(PAGE, _endpoint_form(url="")).get_data(as_text=True)
    assert "This field is required." in _error_of(empty, "url")
    refused = browser.submit(PAGE, _endpoint_form(url="ftp://files.example.org/in")).get_data(
        as_text=True
    )
    assert "https://" in _error_of(refused, "url")
    with_password = browser.submit(
        PAGE, _endpoint_form(url="https://user:pw@hooks.example.org/in")
    ).get_data(as_text=True)
    assert "This address is refused" in _error_of(with_password, "url")
    no_types = browser.submit(PAGE, _endpoint_form(scope="selected")).get_data(as_text=True)
    assert "Choose at least one event type." in _error_of(no_types, "event_types")
    robot = browser.submit(
        PAGE, _endpoint_form(flavour="dingtalk", url="https://oapi.dingtalk.com/robot/send")
    ).get_data(as_text=True)
    assert "signing secret" in _error_of(robot, "flavour_secret")
    bad_limit = browser.submit(PAGE, _endpoint_form(rate_limit="0")).get_data(as_text=True)
    assert _error_of(bad_limit, "rate_limit")
    listing = _webhooks_api(platform, make, admin, "GET", f"{org.id}/webhooks").json
    assert listing["items"] == []


def test_an_endpoint_is_created_tested_replayed_rotated_disabled_and_deleted(
    browser, make, platform, sink
):
    org = make.organisation()
    admin = make.admin(org)
    org_id = org.id
    browser.sign_in(admin.email)
    posted = browser.submit(
        PAGE,
        _endpoint_form(url=sink.url, scope="selected", event_types=["organisation.verified"]),
    )
    assert posted.status_code == 302  # Post/Redirect/Get: a reload creates nothing more
    created = browser.client.get(posted.headers["Location"])
    page = created.get_data(as_text=True)
    assert created.status_code == 200 and "shown only once" in page
    assert 'data-copy="created-endpoint-secret"' in page
    assert created.headers["Cache-Control"] == "no-store"
    secret = re.search(r"<code[^>]*>(whsec_[^<]+)</code>", page).group(1)
    endpoint_id = re.search(rf'href="{PAGE}/([0-9a-f-]+)"', page).group(1)
    listing = browser.get(PAGE).get_data(as_text=True)
    assert sink.url in listing and secret not in listing and "organisation.verified" in listing
    endpoint_page = f"{PAGE}/{endpoint_id}"
    log_page = f"{endpoint_page}/deliveries"  # the delivery log has a tab of its own
    settings = browser.get(endpoint_page).get_data(as_text=True)
    assert f'href="{log_page}"' in settings and "Nothing sent yet." not in settings
    assert "Nothing sent yet." in browser.get(log_page).get_data(as_text=True)

    sent = browser.submit(f"{endpoint_page}/test", {}, page=endpoint_page)
    assert sent.status_code == 302 and sent.headers["Location"] == log_page
    wait_until(lambda: len(sink.requests) == 1, timeout=20)
    first = sink.requests[0]
    assert json.loads(first["body"])["type"] == "webhook.test" and _signed_by(secret, first)
    log = wait_until(
        lambda: (p := browser.get(log_page).get_data(as_text=True)) and "HTTP 200" in p and p
    )
    assert "webhook.test" in log and "Delivered" in log
    # The request's body as the receiver got it, and the receiver's answer as stored.
    sent_body = json.loads(first["body"])
    request_body = re.search(r'delivery__request".*?<code>(.*?)</code>', log, re.S).group(1)
    assert json.loads(html.unescape(request_body)) == sent_body
    response = re.search(r'delivery__response".*?<code>(.*?)</code>', log, re.S).group(1)
    assert response == "ok"  # what the sink answered

    message_id = {k.lower(): v for k, v in first["headers"].items()}["webhook-id"]
    replayed = browser.submit(
        f"{endpoint_page}/messages/{message_id}/replay", {}, page=endpoint_page
    )
    assert replayed.status_code == 302 and replayed.headers["Location"] == log_page
    wait_until(lambda: len(sink.requests) == 2, timeout=20)
    again = {k.lower(): v for k, v in sink.requests[1]["headers"].items()}
    assert again["webhook-id"] == message_id

    asked = browser.submit(f"{endpoint_page}/rotate", {}, page=endpoint_page)
    assert "whsec_" not in asked.get_data(as_text=True)  # a question first, no new secret
    assert 'name="confirmed" value="yes"' in asked.get_data(as_text=True)
    rotated = browser.submit(f"{endpoint_page}/rotate", {"confirmed": "yes"}, page=endpoint_page)
    rotated_page = rotated.get_data(as_text=True)
    new_secret = re.search(r"<code>(whsec_[^<]+)</code>", rotated_page).group(1)
    assert new_secret != secret and "24 hours" in rotated_page
    assert rotated.headers["Cache-Control"] == "no-store"
    browser.submit(f"{endpoint_page}/test", {}, page=endpoint_page)
    wait_until(lambda: len(sink.requests) == 3, timeout=20)
    assert _signed_by(new_secret, sink.requests[2]) and _signed_by(secret, sink.requests[2])

    browser.submit(f"{endpoint_page}/disable", {}, page=endpoint_page)
    path = f"{org_id}/webhooks/{endpoint_id}"
    assert _webhooks_api(platform, make, admin, "GET", path).json["enabled"] is False
    disabled = browser.get(endpoint_page).get_data(as_text=True)
    assert "messages are held" in disabled and "Send a test event" not in disabled
    browser.submit(f"{endpoint_page}/enable", {}, page=endpoint_page)
    assert _webhooks_api(platform, make, admin, "GET", path).json["enabled"] is True

    asked = browser.submit(f"{endpoint_page}/delete", {}, page=endpoint_page)
    assert asked.status_code == 200 and "Delete this endpoint?" in asked.get_data(as_text=True)
    assert _webhooks_api(platform, make, admin, "GET", path).status_code == 200
    deleted = browser.submit(f"{endpoint_page}/delete", {"confirmed": "yes"}, page=endpoint_page)
    assert deleted.status_code == 302 and deleted.headers["Location"] == PAGE
    assert _webhooks_api(platform, make, admin, "GET", path).status_code == 404
    assert browser.get(endpoint_page).status_code == 404


def test_an_admin_cannot_see_or_change_another_organisations_endpoint(browser, make, platform):
    mine, theirs = make.organisation(), make.organisation()
    their_admin = make.admin(theirs)
    body = {"url": "https://hooks.example.org/theirs", "description": "Theirs"}
    endpoint = _webhooks_api(
        platform, make, their_admin, "POST", f"{theirs.id}/webhooks", json=body
    ).json
    browser.sign_in(make.admin(mine).email)
    assert "hooks.example.org/theirs" not in browser.get(PAGE).get_data(as_text=True)
    target = f"{PAGE}/{endpoint['id']}"
    assert browser.get(target).status_code == 404
    assert browser.get(f"{target}/deliveries").status_code == 404
    for action in ("test", "disable", "rotate", "delete"):
        response = browser.submit(f"{target}/{action}", {}, page=PAGE)
        assert response.status_code == 404, action
    path = f"{theirs.id}/webhooks/{endpoint['id']}"
    after = _webhooks_api(platform, make, their_admin, "GET", path).json
    assert after["enabled"] is True and after["url"] == "https://hooks.example.org/theirs"
    messages = _webhooks_api(platform, make, their_admin, "GET", f"{path}/messages").json
    assert messages["items"] == []


def test_a_garbled_cursor_starts_the_list_again(browser, make):
    browser.sign_in(make.admin(make.organisation()).email)
    response = browser.get(f"{PAGE}?cursor=garbage")
    assert response.status_code == 302 and response.headers["Location"] == PAGE


def test_a_garbled_cursor_starts_the_delivery_log_again(browser, make, platform):
    org = make.organisation()
    admin = make.admin(org)
    endpoint = _their_endpoint(platform, make, admin, org)
    browser.sign_in(admin.email)
    log_page = f"{PAGE}/{endpoint['id']}/deliveries"
    response = browser.get(f"{log_page}?cursor=garbage")
    assert response.status_code == 302 and response.headers["Location"] == log_page


def _their_endpoint(platform, make, admin, org, **body) -> dict:
    body = {"url": "https://hooks.example.org/first", "description": "First", **body}
    created = _webhooks_api(platform, make, admin, "POST", f"{org.id}/webhooks", json=body)
    assert created.status_code == 201, created.json
    return created.json


def test_the_edit_form_shows_the_current_values_and_saves_the_changes(browser, make, platform):
    org = make.organisation()
    admin = make.admin(org)
    endpoint = _their_endpoint(platform, make, admin, org, rate_limit=7)
    path = f"{org.id}/webhooks/{endpoint['id']}"
    browser.sign_in(admin.email)
    endpoint_page = f"{PAGE}/{endpoint['id']}"
    page = browser.get(endpoint_page).get_data(as_text=True)
    assert 'value="https://hooks.example.org/first"' in page and 'value="First"' in page
    assert 'value="7"' in page

    saved = browser.submit(
        f"{endpoint_page}/edit",
        _endpoint_form(
            url="https://hooks.example.org/second",
            description="Second",
            language="fr",
            scope="selected",
            event_types=["organisation.verified"],
            rate_limit="3",
        ),
        page=endpoint_page,
    )
    assert saved.status_code == 302 and saved.headers["Location"] == endpoint_page
    after = _webhooks_api(platform, make, admin, "GET", path).json
    assert after["url"] == "https://hooks.example.org/second"
    assert after["description"] == "Second" and after["language"] == "fr"
    assert after["event_types"] == ["organisation.verified"] and after["rate_limit"] == 3
    assert after["flavour"] == "standard" and after["enabled"] is True
    shown = browser.get(endpoint_page).get_data(as_text=True)
    assert "The endpoint is saved." in shown and 'value="https://hooks.example.org/second"' in shown

    browser.submit(f"{endpoint_page}/edit", _endpoint_form(url=after["url"]), page=endpoint_page)
    back = _webhooks_api(platform, make, admin, "GET", path).json
    assert back["event_types"] is None and back["rate_limit"] is None


def test_a_refused_edit_is_shown_next_to_its_field_and_changes_nothing(browser, make, platform):
    org = make.organisation()
    admin = make.admin(org)
    endpoint = _their_endpoint(platform, make, admin, org)
    path = f"{org.id}/webhooks/{endpoint['id']}"
    browser.sign_in(admin.email)
    endpoint_page = f"{PAGE}/{endpoint['id']}"
    target = f"{endpoint_page}/edit"
    credentials = browser.submit(
        target, _endpoint_form(url="https://user:pw@hooks.example.org/in"), page=endpoint_page
    )
    assert credentials.status_code == 200
    assert "This address is refused" in _error_of(credentials.get_data(as_text=True), "url")
    scheme = browser.submit(
        target, _endpoint_form(url="ftp://files.example.org/in"), page=endpoint_page
    ).get_data(as_text=True)
    assert "https://" in _error_of(scheme, "url")
    no_types = browser.submit(target, _endpoint_form(scope="selected"), page=endpoint_page)
    assert "Choose at least one event type." in _error_of(
        no_types.get_data(as_text=True), "event_types"
    )
    after = _webhooks_api(platform, make, admin, "GET", path).json
    assert after["url"] == endpoint["url"] and after["description"] == "First"
    assert after["event_types"] is None and after["updated_at"] == endpoint["updated_at"]


def test_only_the_organisations_admins_edit_or_recover_its_endpoints(browser, make, platform):
    mine, theirs = make.organisation(), make.organisation()
    their_admin = make.admin(theirs)
    endpoint = _their_endpoint(platform, make, their_admin, theirs)
    target = f"{PAGE}/{endpoint['id']}"
    since = {"since": "2026-01-01T00:00"}
    changed = _endpoint_form(url="https://hooks.example.org/taken")

    browser.sign_in(make.user(theirs).email)  # a plain member of the same organisation
    assert browser.get(target).status_code == 403
    assert browser.submit(f"{target}/edit", changed, page="/my-organisation").status_code == 403
    assert browser.submit(f"{target}/recover", since, page="/my-organisation").status_code == 403

    other = browser.__class__(browser.client.application.test_client())
    other.sign_in(make.admin(mine).email)
    assert other.submit(f"{target}/edit", changed, page=PAGE).status_code == 404
    assert other.submit(f"{target}/recover", since, page=PAGE).status_code == 404

    path = f"{theirs.id}/webhooks/{endpoint['id']}"
    after = _webhooks_api(platform, make, their_admin, "GET", path).json
    assert after["url"] == endpoint["url"] and after["updated_at"] == endpoint["updated_at"]


def test_recover_sends_again_what_was_held_since_a_time_in_the_readers_zone(
    browser, make, platform
):
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    gone = Sink(responses=[410])  # the receiver says it is gone: the endpoint is disabled
    try:
        org = make.organisation()
        admin = make.admin(org, timezone="Asia/Shanghai")
        endpoint = _their_endpoint(platform, make, admin, org, url=gone.url)
        path = f"{org.id}/webhooks/{endpoint['id']}"
        endpoint_page = f"{PAGE}/{endpoint['id']}"
        browser.sign_in(admin.email)
        sent_at = datetime.now(UTC)
        browser.submit(f"{endpoint_page}/test", {}, page=endpoint_page)
        wait_until(lambda: not _webhooks_api(platform, make, admin, "GET", path).json["enabled"])
        held = _webhooks_api(platform, make, admin, "GET", f"{path}/messages?status=held").json
        assert len(held["items"]) == 1 and len(gone.requests) == 1

        disabled = browser.get(endpoint_page).get_data(as_text=True)
        assert "Enable the endpoint before sending its messages again." in disabled
        assert 'name="since"' not in disabled
        anyway = browser.submit(
            f"{endpoint_page}/recover", {"since": "2026-01-01T00:00"}, page=endpoint_page
        )
        assert anyway.status_code == 302  # the API's refusal (409), said above the page
        refused = browser.get(endpoint_page).get_data(as_text=True)
        assert refused.count("Enable the endpoint before sending its messages again.") == 2
        browser.submit(f"{endpoint_page}/enable", {}, page=endpoint_page)

        # Half an hour before the test message, as a wall time in Shanghai (UTC+8): read as
        # UTC it would be hours after the message, and nothing would be sent again.
        since = (sent_at - timedelta(minutes=30)).astimezone(ZoneInfo("Asia/Shanghai"))
        done = browser.submit(
            f"{endpoint_page}/recover",
            {"since": since.strftime("%Y-%m-%dT%H:%M")},
            page=endpoint_page,
        )
        assert done.status_code == 302
        shown = browser.get(endpoint_page).get_data(as_text=True)
        assert "1 message is queued to be sent again." in shown
        wait_until(lambda: len(gone.requests) == 2, timeout=20)
        first, again = ({k.lower(): v for k, v in r["headers"].items()} for r in gone.requests)
        assert again["webhook-id"] == first["webhook-id"]
        assert json.loads(gone.requests[1]["body"])["type"] == "webhook.test"

        later = (datetime.now(UTC) + timedelta(minutes=5)).astimezone(ZoneInfo("Asia/Shanghai"))
        browser.submit(
            f"{endpoint_page}/recover",
            {"since": later.strftime("%Y-%m-%dT%H:%M")},
            page=endpoint_page,
        )
        assert "nothing to send" in browser.get(endpoint_page).get_data(as_text=True)
        empty = browser.submit(f"{endpoint_page}/recover", {"since": ""}, page=endpoint_page)
        assert "This field is required." in _error_of(empty.get_data(as_text=True), "since")
    finally:
        gone.stop()
