"""Agendas: times in UTC, the event's zone and the reader's; .ics per meeting; private feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.announcements.meeting_setup import Brokerage

PARIS = ZoneInfo("Europe/Paris")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _met(brokerage, slot, asker=None, asked=None, **fields):
    asker = asker or brokerage.join(make_org(brokerage, "FR"), "fr")
    asked = asked or brokerage.join(make_org(brokerage, "CN"), "zh", timezone="Asia/Shanghai")
    meeting = brokerage.requested(asker, asked, **fields)
    response = brokerage.accept(asked, meeting, slot)
    assert response.status_code == 200, response.get_json()
    return asker, asked, response.get_json()


def make_org(brokerage, country):
    park = "jiangning" if country == "CN" else "sophia_antipolis"
    return brokerage.make.organisation(country=country, park=park, name=f"Org {country}")


def _vevents(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def test_the_agenda_shows_each_meeting_in_utc_the_events_zone_and_the_readers(make, client):
    brokerage = Brokerage(make, client)
    asker, asked, meeting = _met(brokerage, brokerage.slot(0, 1))
    agenda = client.get(f"{brokerage.url}/matchmaking/agenda", headers=asked.person.headers)
    assert agenda.status_code == 200, agenda.get_json()
    body = agenda.get_json()
    assert body["timezone"] == "Europe/Paris" and body["reader_timezone"] == "Asia/Shanghai"
    (item,) = body["meetings"]
    start = datetime.fromisoformat(item["starts_at"]["utc"])
    assert start == datetime.fromisoformat(meeting["starts_at"]).astimezone(UTC)
    assert item["starts_at"]["local"] == start.astimezone(PARIS).isoformat()
    assert item["starts_at"]["local"][11:16] == "09:30"
    assert item["starts_at"]["reader"] == start.astimezone(SHANGHAI).isoformat()
    assert item["table"] == 1 and item["online"] is False and item["online_url"] is None
    assert item["other"]["id"] == asker.id
    assert item["other"]["organisation"]["name"] == "Org FR"
    # The other side reads the same meeting, in its own zone when it asks for one.
    theirs = client.get(
        f"{brokerage.url}/matchmaking/agenda?tz=America/Montreal", headers=asker.person.headers
    ).get_json()
    assert theirs["meetings"][0]["other"]["id"] == asked.id
    assert theirs["meetings"][0]["starts_at"]["reader"] == (
        start.astimezone(ZoneInfo("America/Montreal")).isoformat()
    )
    response = client.get(
        f"{brokerage.url}/matchmaking/agenda?tz=Mars/Olympus", headers=asker.person.headers
    )
    assert response.status_code == 422
    outsider = make.member_of(make.organisation())
    assert (
        client.get(f"{brokerage.url}/matchmaking/agenda", headers=outsider.headers).status_code
        == 404
    )


def test_online_meetings_get_a_room_from_the_configured_template(make, client, app, monkeypatch):
    monkeypatch.setitem(
        app.config, "MEETINGS_ONLINE_URL_TEMPLATE", "https://rooms.example.org/b2b/{meeting_id}"
    )
    brokerage = Brokerage(make, client)
    asker = brokerage.join(make_org(brokerage, "FR"), working_hours_start="07:00")
    asked = brokerage.join(
        make_org(brokerage, "CN"),
        attendance="online",
        session_ids=[brokerage.sessions[1]],
        working_hours_start="19:00",
        working_hours_end="23:30",
        timezone="Asia/Shanghai",
    )
    _, _, meeting = _met(brokerage, brokerage.slot(1, 0), asker, asked)
    item = client.get(
        f"{brokerage.url}/matchmaking/agenda", headers=asked.person.headers
    ).get_json()["meetings"][0]
    assert item["online"] is True and item["table"] is None
    assert item["online_url"] == f"https://rooms.example.org/b2b/{meeting['id']}"
    ics = client.get(item["ics_url"], headers=asked.person.headers)
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    (vevent,) = _vevents(ics.data)
    assert str(vevent["location"]) == item["online_url"]


def test_the_ics_of_a_meeting_parses_back_with_its_utc_times(make, client):
    brokerage = Brokerage(make, client)
    asker, _asked, meeting = _met(brokerage, brokerage.slot(0, 3))
    url = f"{brokerage.url}/meetings/{meeting['id']}/ics"
    response = client.get(url, headers=asker.person.headers)
    assert response.status_code == 200
    (vevent,) = _vevents(response.data)
    assert vevent.decoded("dtstart") == datetime.fromisoformat(meeting["starts_at"])
    assert vevent.decoded("dtend") == datetime.fromisoformat(meeting["ends_at"])
    assert vevent.decoded("dtstart").utcoffset().total_seconds() == 0
    assert str(vevent["summary"]) == "B2B: Org CN"
    assert "table 1" in str(vevent["location"])
    assert str(vevent["uid"]) == f"meeting-{meeting['id']}@sino-sophipolitan"
    stranger = brokerage.join()
    assert client.get(url, headers=stranger.person.headers).status_code == 404
    assert client.get(url).status_code == 401
    pending = brokerage.requested(asker, stranger)
    response = client.get(
        f"{brokerage.url}/meetings/{pending['id']}/ics", headers=asker.person.headers
    )
    assert response.status_code == 409
    assert response.get_json()["code"] == "meeting.not_scheduled"


def test_a_session_on_the_night_paris_changes_to_summer_time(make, client):
    """2030-03-31 in Paris: 02:00 CET becomes 03:00 CEST, so 01:00-04:00 holds two hours."""
    night = [{"starts_at": "2030-03-31T01:00:00", "ends_at": "2030-03-31T04:00:00"}]
    brokerage = Brokerage(make, client, sessions=night)
    slots = brokerage.settings["sessions"][0]["slots"]
    assert [s["starts_at"]["local"][11:] for s in slots] == [
        "01:00:00+01:00",
        "01:30:00+01:00",
        "03:00:00+02:00",
        "03:30:00+02:00",
    ]
    asker, _asked, meeting = _met(brokerage, brokerage.slot(0, 2))
    (vevent,) = _vevents(
        client.get(
            f"{brokerage.url}/meetings/{meeting['id']}/ics", headers=asker.person.headers
        ).data
    )
    assert vevent.decoded("dtstart") == datetime(2030, 3, 31, 1, 0, tzinfo=UTC)
    assert vevent.decoded("dtstart").astimezone(PARIS).hour == 3
    assert vevent.decoded("dtstart").astimezone(SHANGHAI).hour == 9


def test_a_session_across_midnight_in_shanghai_shows_the_right_day_everywhere(make, client):
    night = [{"starts_at": "2030-06-10T23:00:00", "ends_at": "2030-06-11T01:00:00"}]
    brokerage = Brokerage(make, client, timezone="Asia/Shanghai", sessions=night)
    asker, _asked, _meeting = _met(brokerage, brokerage.slot(0, 2))
    item = client.get(
        f"{brokerage.url}/matchmaking/agenda", headers=asker.person.headers
    ).get_json()["meetings"][0]
    assert item["starts_at"]["local"] == "2030-06-11T00:00:00+08:00"
    assert item["starts_at"]["reader"] == "2030-06-10T18:00:00+02:00"
    assert item["starts_at"]["utc"] == "2030-06-10T16:00:00+00:00"
    (vevent,) = _vevents(client.get(item["ics_url"], headers=asker.person.headers).data)
    assert vevent.decoded("dtstart") == datetime(2030, 6, 10, 16, 0, tzinfo=UTC)


def test_the_private_feed_lists_the_meetings_and_a_reset_revokes_the_old_url(make, client):
    brokerage = Brokerage(make, client)
    asker, _asked, first = _met(brokerage, brokerage.slot(0, 0))
    other = brokerage.join()
    second = brokerage.requested(other, asker)
    assert brokerage.accept(asker, second, brokerage.slot(0, 4)).status_code == 200
    feed = urlparse(asker.participant["calendar_url"]).path
    response = client.get(feed)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    uids = [str(v["uid"]) for v in _vevents(response.data)]
    assert uids == [
        f"meeting-{first['id']}@sino-sophipolitan",
        f"meeting-{second['id']}@sino-sophipolitan",
    ]
    reset = client.post(
        f"{brokerage.url}/matchmaking/participants/me/calendar-secret",
        headers=asker.person.headers,
    )
    assert reset.status_code == 200
    assert client.get(feed).status_code == 404
    fresh = urlparse(reset.get_json()["calendar_url"]).path
    assert fresh != feed and len(_vevents(client.get(fresh).data)) == 2
    stranger = make.member_of(make.organisation())
    assert (
        client.post(
            f"{brokerage.url}/matchmaking/participants/me/calendar-secret", headers=stranger.headers
        ).status_code
        == 404
    )
    assert client.get("/api/announcements/v1/meeting-calendars/guess").status_code == 404


def test_meetings_waiting_for_the_organisers_schedule_are_not_on_the_agenda(make, client):
    brokerage = Brokerage(make, client, mode="organiser")
    asker, asked = brokerage.join(), brokerage.join()
    meeting = brokerage.requested(asker, asked)
    assert brokerage.accept(asked, meeting).status_code == 200
    agenda = client.get(f"{brokerage.url}/matchmaking/agenda", headers=asker.person.headers)
    assert agenda.get_json()["meetings"] == []
    feed = urlparse(asker.participant["calendar_url"]).path
    assert _vevents(client.get(feed).data) == []
