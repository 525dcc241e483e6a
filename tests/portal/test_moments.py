"""The portal's one rule for the reader's zone, and how its pages write moments and API refusals.

These need no platform: a request's language comes from its Accept-Language header, and the
signed-in person is the session's data the portal would have loaded (`g.portal_session`).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import g

from services.portal import moments
from tests.support.servers import free_port


@pytest.fixture(scope="module")
def bare_app():
    from services.portal import create_app

    return create_app({"TESTING": True, "PORTAL_API_URL": f"http://127.0.0.1:{free_port()}"})


@pytest.fixture
def reading(bare_app):
    """Read in `language`, signed in with `timezone` in the profile when `signed_in`.

    Each call leaves the request of the one before (its app context, where the language and
    the person are kept, goes with it).
    """
    contexts = []

    def enter(language: str, timezone: str | None = None, signed_in: bool = False) -> None:
        if contexts:
            contexts.pop().pop()
        context = bare_app.test_request_context("/", headers={"Accept-Language": language})
        context.push()
        contexts.append(context)
        person = {"language": language, "timezone": timezone} if signed_in else None
        g.portal_session = {"person": person} if person else None
        g.portal_person = person  # the profile as current_person() keeps it for the request

    yield enter
    if contexts:
        contexts.pop().pop()


@pytest.mark.parametrize(
    ("language", "zone"), [("fr", "Europe/Paris"), ("zh", "Asia/Shanghai"), ("en", "UTC")]
)
def test_a_reader_without_a_profile_zone_reads_the_usual_zone_of_the_page_language(
    reading, language, zone
):
    reading(language)
    assert moments.reader_zone() == zone


def test_the_profile_zone_wins_and_an_unusable_one_falls_back_to_the_language(reading):
    reading("fr", "America/Montreal", signed_in=True)
    assert moments.reader_zone() == "America/Montreal"
    for unusable in ("EST", "Mars/Olympus", "", None):
        reading("zh", unusable, signed_in=True)
        assert moments.reader_zone() == "Asia/Shanghai", unusable


def test_the_browsers_zone_from_its_cookie_comes_after_the_profiles(bare_app):
    cookie = {"Cookie": "tz=America/Montreal", "Accept-Language": "zh"}
    with bare_app.test_request_context("/", headers=cookie):
        g.portal_session = g.portal_person = None
        assert moments.reader_zone() == "America/Montreal"
        person = {"language": "zh", "timezone": "Europe/Paris"}
        g.portal_session, g.portal_person = {"person": person}, person
        assert moments.reader_zone() == "Europe/Paris"


@pytest.mark.parametrize("forged", ["EST", "Mars/Olympus", "../../etc/passwd", "A/" + "b" * 80])
def test_an_unusable_zone_cookie_falls_back_to_the_language(bare_app, forged):
    headers = {"Cookie": f"tz={forged}", "Accept-Language": "fr"}
    with bare_app.test_request_context("/", headers=headers):
        g.portal_session = g.portal_person = None
        assert moments.reader_zone() == "Europe/Paris"


def test_a_moment_is_written_in_the_readers_zone_and_language_with_the_zone_named(reading):
    reading("fr")
    assert moments.local_moment("2027-01-15T23:30:00Z") == "16 janv. 2027, 00:30 (Europe/Paris)"
    reading("zh")
    assert (
        moments.local_moment("2027-01-15T23:30:00+00:00") == "2027年1月16日 07:30 (Asia/Shanghai)"
    )
    reading("en", "America/New_York", signed_in=True)
    assert (
        moments.local_moment("2027-01-15T23:30:00")
        == "Jan 15, 2027, 6:30\u202fPM (America/New_York)"
    )


def test_an_empty_or_broken_moment_does_not_break_the_page(reading):
    reading("en")
    assert moments.local_moment(None) == "" and moments.local_moment("") == ""
    assert moments.local_moment("not a time") == "not a time"
    assert moments.moment_parts(None) is None and moments.local_day(None) == ""


def test_a_day_is_a_date_as_given_or_a_timestamps_day_in_the_readers_zone(reading):
    reading("zh")
    assert moments.local_day("2027-01-15") == "2027年1月15日"
    assert moments.local_day("2027-01-15T20:00:00+00:00") == "2027年1月16日"  # Shanghai, +8
    reading("en")
    assert moments.local_day("2027-01-15T20:00:00+00:00") == "Jan 15, 2027"


def test_a_form_wall_time_is_the_readers_and_comes_back_as_the_same_moment(reading):
    reading("fr")
    shown = moments.wall_time("2027-07-01T08:00:00+00:00")
    assert shown == datetime(2027, 7, 1, 10, 0)  # summer in Paris: UTC+2
    assert moments.from_wall_time(shown).isoformat() == "2027-07-01T10:00:00+02:00"
    assert moments.wall_time(None) is None


def test_an_events_times_in_its_own_zone_and_the_readers(reading):
    reading("en", "Asia/Shanghai", signed_in=True)
    event = {
        "kind": "event",
        "starts_at": "2027-01-15T17:00:00+00:00",
        "timezone": "Europe/Paris",
        "starts_at_local": "2027-01-15T18:00:00+01:00",
        "ends_at_local": "2027-01-15T20:00:00+01:00",
        "reader_timezone": "Asia/Shanghai",
        "starts_at_reader": "2027-01-16T01:00:00+08:00",
        "ends_at_reader": "2027-01-16T03:00:00+08:00",
    }
    times = moments.event_times(event)
    assert times["event"]["label"] == "France Time (Europe/Paris)"
    assert times["event"]["start"]["text"] == "Friday, January 15, 2027, 6:00\u202fPM"
    assert times["event"]["same_day"] and times["event"]["end"]["time"] == "8:00\u202fPM"
    assert times["reader"]["label"] == "China (Shanghai) Time (Asia/Shanghai)"
    assert times["reader"]["start"]["date"] == "Saturday, January 16, 2027"
    assert moments.event_times({**event, "reader_timezone": "Europe/Paris"})["reader"] is None
    assert moments.event_times({**event, "kind": "news"}) is None
    published = moments.moment_parts("2027-01-15T23:30:00+00:00")  # in the reader's zone
    assert published["date"] == "Saturday, January 16, 2027"


def test_every_template_sees_the_helpers(bare_app, reading):
    reading("fr")
    page = bare_app.jinja_env.from_string(
        "{{ reader_zone() }}|{{ local_moment('2027-01-15T12:00:00Z') }}|{{ zone_label('UTC') }}"
    ).render()
    assert page == "Europe/Paris|15 janv. 2027, 13:00 (Europe/Paris)|UTC"
