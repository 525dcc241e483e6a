"""Publishing: drafts, moderation of organisations' news, schedules run by the periodic task."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared import beat
from tests.announcements.factories import API
from tests.support.waiting import wait_until


def _listed(client, headers=None) -> list[str]:
    return [
        a["id"] for a in client.get(f"{API}/announcements", headers=headers).get_json()["items"]
    ]


def test_drafts_are_not_listed_and_publishing_announces_them(make, client, outbox):
    staff = make.staff()
    draft = make.draft(staff)
    assert _listed(client) == []
    assert client.get(f"{API}/announcements/{draft['id']}").status_code == 404
    response = client.post(
        f"{API}/announcements/{draft['id']}/publish", json={}, headers=staff.headers
    )
    assert response.get_json()["status"] == "published"
    assert _listed(client) == [draft["id"]]
    [published] = outbox("announcement.published")
    assert published["announcement"]["id"] == draft["id"]
    assert published["announcement"]["author_organisation_id"] is None
    assert published["announcement"]["audience"]["scope"] == "public"


def test_organisation_news_waits_for_a_platform_admin(make, client, outbox):
    organisation = make.organisation()
    admin, staff = make.admin_of(organisation), make.staff()
    draft = make.draft(admin, author_organisation_id=str(organisation.id))
    url = f"{API}/announcements/{draft['id']}"

    submitted = client.post(f"{url}/publish", json={}, headers=admin.headers).get_json()
    assert submitted["status"] == "pending"
    assert _listed(client) == [] and outbox("announcement.published") == []
    # Only staff see the queue and decide; the author cannot approve its own news.
    assert client.get(f"{API}/announcements/moderation", headers=admin.headers).status_code == 403
    assert client.post(f"{url}/approve", headers=admin.headers).status_code == 403
    queue = client.get(f"{API}/announcements/moderation", headers=staff.headers).get_json()
    assert [a["id"] for a in queue["items"]] == [draft["id"]]
    # Once submitted, the author can no longer change it under the moderator's eyes.
    assert (
        client.patch(url, json={"title": {"en": "Sneaky"}}, headers=admin.headers).status_code
        == 409
    )

    rejected = client.post(
        f"{url}/reject", json={"reason": "Add the date of the event."}, headers=staff.headers
    ).get_json()
    assert rejected["status"] == "rejected"
    assert rejected["moderation_reason"] == "Add the date of the event."
    assert client.post(f"{url}/reject", json={}, headers=staff.headers).status_code == 422

    assert (
        client.patch(url, json={"title": {"en": "Fixed"}}, headers=admin.headers).status_code == 200
    )
    client.post(f"{url}/publish", json={}, headers=admin.headers)
    approved = client.post(f"{url}/approve", headers=staff.headers).get_json()
    assert approved["status"] == "published"
    assert _listed(client) == [draft["id"]]
    assert len(outbox("announcement.published")) == 1
    assert client.post(f"{url}/approve", headers=staff.headers).status_code == 409


def test_organisation_admins_publish_news_only(make, client):
    organisation = make.organisation()
    admin = make.admin_of(organisation)
    response = client.post(
        f"{API}/announcements",
        json=make.body("event", author_organisation_id=str(organisation.id)),
        headers=admin.headers,
    )
    assert response.status_code == 403


def test_withdrawing_takes_it_down_and_tells_subscribers(make, client, outbox):
    staff = make.staff()
    news = make.published(staff)
    url = f"{API}/announcements/{news['id']}"
    response = client.post(f"{url}/withdraw", json={"reason": "Duplicate"}, headers=staff.headers)
    assert response.get_json()["status"] == "withdrawn"
    assert _listed(client) == []
    assert client.get(url).status_code == 410
    [withdrawn] = outbox("announcement.withdrawn")
    assert withdrawn["reason"] == "Duplicate"
    assert client.post(f"{url}/withdraw", json={}, headers=staff.headers).status_code == 409
    assert client.patch(url, json={"title": {"en": "x"}}, headers=staff.headers).status_code == 409


def test_scheduled_announcements_are_published_by_the_periodic_task(make, client, outbox, worker):
    staff = make.staff()
    later, due = make.draft(staff), make.draft(staff)
    in_an_hour = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    in_two_seconds = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    for draft, when in ((later, in_an_hour), (due, in_two_seconds)):
        response = client.post(
            f"{API}/announcements/{draft['id']}/publish",
            json={"publish_at": when},
            headers=staff.headers,
        )
        assert response.get_json()["status"] == "scheduled"
    assert _listed(client) == []

    entry = beat.celery_app.conf.beat_schedule["announcements.publish_due"]
    assert entry["schedule"] <= 60

    def run_beat_once():
        # What the one beat process does on each tick: send the task by name to our queue.
        beat.celery_app.send_task(entry["task"], **entry["options"])
        return _listed(client) == [due["id"]]

    wait_until(run_beat_once, timeout=30, interval=1)
    assert worker.process.poll() is None
    [published] = outbox("announcement.published")
    assert published["announcement"]["id"] == due["id"]
    shown = client.get(f"{API}/announcements/{later['id']}", headers=staff.headers).get_json()
    assert shown["status"] == "scheduled"


def test_approved_news_with_a_date_waits_for_it(make, client):
    organisation = make.organisation()
    admin, staff = make.admin_of(organisation), make.staff()
    draft = make.draft(admin, author_organisation_id=str(organisation.id))
    url = f"{API}/announcements/{draft['id']}"
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    submitted = client.post(f"{url}/publish", json={"publish_at": tomorrow}, headers=admin.headers)
    assert submitted.get_json()["status"] == "pending"
    approved = client.post(f"{url}/approve", headers=staff.headers).get_json()
    assert approved["status"] == "scheduled"
    assert _listed(client) == []


def test_lists_filter_by_kind_and_malformed_paths_are_problems(make, client):
    staff = make.staff()
    news, event = make.published(staff), make.published(staff, "event")
    kinds = client.get(f"{API}/announcements?kind=event").get_json()["items"]
    assert [a["id"] for a in kinds] == [event["id"]]
    assert "body" not in kinds[0]  # lists leave the body to the detail
    assert client.get(f"{API}/announcements?kind=memo").status_code == 422
    assert client.get(f"{API}/announcements?limit=1000").status_code == 422
    response = client.get(f"{API}/announcements/not-a-uuid")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert client.get(f"{API}/announcements/{news['id']}").get_json()["body"] == news["body"]


def test_upcoming_lists_the_events_still_to_start_soonest_first_for_each_reader(make, client):
    staff = make.staff()
    target = make.organisation(country="CN", park="jiangning")
    now = datetime.now(UTC).replace(microsecond=0)

    def event(days: int, audience: dict | None = None) -> str:
        start = now + timedelta(days=days)
        return make.published(
            staff,
            "event",
            starts_at=start.isoformat(),
            ends_at=(start + timedelta(hours=2)).isoformat(),
            audience=audience or {"scope": "public"},
        )["id"]

    event(-2)  # started: never listed
    later, sooner, soonest = event(20), event(10), event(1)
    theirs = event(5, {"scope": "selected", "organisation_ids": [str(target.id)]})
    make.published(staff)  # news: never listed

    def upcoming(reader=None) -> list[str]:
        seen, cursor = [], ""
        while cursor is not None:
            url = f"{API}/announcements?upcoming=true&kind=news&limit=2&cursor={cursor}"
            body = client.get(url, headers=reader.headers if reader else {}).get_json()
            seen += [item["id"] for item in body["items"]]
            cursor = body["next"]
        return seen

    assert upcoming() == [soonest, sooner, later]
    assert upcoming(make.member_of(target)) == [soonest, theirs, sooner, later]
    assert upcoming(make.member_of(make.organisation(country="FR"))) == [soonest, sooner, later]
    assert client.get(f"{API}/announcements?upcoming=maybe").status_code == 422


def test_the_upcoming_lists_validator_changes_when_the_next_event_starts(app, make):
    """No announcement changes when an event starts, but the list of those ahead does: its
    ETag (and so the cached body) holds until the next start, then changes."""
    from services.announcements.api import conditional

    staff = make.staff()
    first = make.published(staff, "event")
    start = datetime.fromisoformat(first["starts_at"])
    with app.test_request_context(f"{API}/announcements?upcoming=true"):
        before = [conditional.validators(starts_after=start - timedelta(seconds=s)) for s in (2, 1)]
        after = conditional.validators(starts_after=start)
    assert before[0] == before[1]
    assert after[0] != before[0]
