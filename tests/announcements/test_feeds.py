"""Feeds read back with real parsers: RSS and Atom (feedparser), iCalendar (icalendar)."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

import feedparser
import icalendar
from lxml import etree
from lxml import html as lxml_html

from tests.announcements.factories import API

PARIS = ZoneInfo("Europe/Paris")


def _event(make, staff, day: str, **fields):
    """An event in Paris at 10:00 wall time on `day` (France leaves summer time on 2026-10-25)."""
    return make.published(
        staff,
        "event",
        starts_at=f"{day}T10:00:00",
        ends_at=f"{day}T12:00:00",
        timezone="Europe/Paris",
        place="Paris",
        **fields,
    )


def test_rss_and_atom_per_language_list_public_announcements(make, client):
    staff = make.staff()
    news = make.published(
        staff,
        title={"en": "Forum opens", "fr": "Le forum ouvre", "zh": "论坛开幕"},
        body={"en": "Hello <script>x()</script>", "fr": "Bonjour"},
    )
    make.published(staff, audience={"scope": "members"})
    for language, title in (("en", "Forum opens"), ("fr", "Le forum ouvre"), ("zh", "论坛开幕")):
        for fmt in ("rss", "atom"):
            response = client.get(f"{API}/feeds/{language}.{fmt}")
            assert response.status_code == 200
            assert response.mimetype == f"application/{fmt}+xml"
            parsed = feedparser.parse(response.data)
            assert not parsed.bozo, parsed.bozo_exception
            assert parsed.feed.get("language") == language
            [entry] = parsed.entries
            assert entry.title == title
            assert news["id"] in entry.id
            assert "<script" not in response.data.decode()
            published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
            assert (
                abs((published - datetime.fromisoformat(news["published_at"])).total_seconds()) < 1
            )
    assert client.get(f"{API}/feeds/de.atom").status_code == 404


def test_event_times_are_right_across_the_paris_dst_change(make, client):
    staff = make.staff()
    summer = _event(make, staff, "2026-10-24")  # CEST, UTC+2
    winter = _event(make, staff, "2026-10-26")  # CET, UTC+1
    spring = _event(make, staff, "2026-03-29")  # the day France enters summer time (past)
    assert summer["starts_at"] == "2026-10-24T08:00:00+00:00"
    assert winter["starts_at"] == "2026-10-26T09:00:00+00:00"
    assert spring["starts_at"] == "2026-03-29T08:00:00+00:00"
    expected = {
        summer["id"]: datetime(2026, 10, 24, 8, tzinfo=UTC),
        winter["id"]: datetime(2026, 10, 26, 9, tzinfo=UTC),
        spring["id"]: datetime(2026, 3, 29, 8, tzinfo=UTC),
    }

    response = client.get(f"{API}/feeds/events.ics?lang=fr")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    for event in events:
        announcement_id = str(event["UID"]).split("@")[0]
        start = event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert start.astimezone(UTC) == expected[announcement_id]
        assert start.astimezone(PARIS).hour == 10
        assert event.decoded("DTEND").astimezone(PARIS).hour == 12

    one = client.get(f"{API}/feeds/events/{winter['id']}.ics")
    [event] = icalendar.Calendar.from_ical(one.data).walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(UTC) == expected[winter["id"]]
    assert client.get(f"{API}/feeds/events/{make.published(staff)['id']}.ics").status_code == 404


def test_the_same_event_is_shown_in_shanghai_and_paris_time_across_dst(make, client):
    staff = make.staff()
    forum = make.published(
        staff,
        "event",
        starts_at="2026-10-26T15:00:00",
        timezone="Asia/Shanghai",
        online_url="https://forum.example/live",
    )
    shown = client.get(f"{API}/announcements/{forum['id']}?tz=Europe/Paris").get_json()
    assert shown["starts_at_local"] == "2026-10-26T15:00:00+08:00"
    assert shown["starts_at_reader"] == "2026-10-26T08:00:00+01:00"  # Paris back on CET
    ics = client.get(f"{API}/feeds/events/{forum['id']}.ics").data
    [event] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(PARIS).isoformat() == shown["starts_at_reader"]


def test_a_withdrawn_announcement_leaves_every_feed(make, client):
    staff = make.staff()
    kept = _event(make, staff, "2026-12-01")
    gone = _event(make, staff, "2026-12-02")
    client.post(f"{API}/announcements/{gone['id']}/withdraw", json={}, headers=staff.headers)
    for path in ("feeds/en.rss", "feeds/fr.atom"):
        ids = [e.id for e in feedparser.parse(client.get(f"{API}/{path}").data).entries]
        assert any(kept["id"] in i for i in ids) and not any(gone["id"] in i for i in ids)
    calendar = icalendar.Calendar.from_ical(client.get(f"{API}/feeds/events.ics").data)
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert uids == [f"{kept['id']}@sino-sophipolitan"]
    assert client.get(f"{API}/feeds/events/{gone['id']}.ics").status_code == 404


def test_conditional_get_answers_304_until_something_changes(make, client):
    staff = make.staff()
    make.published(staff)
    for path in ("announcements", "feeds/en.atom", "feeds/zh.rss", "feeds/events.ics"):
        first = client.get(f"{API}/{path}")
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        again = client.get(f"{API}/{path}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == etag
        by_date = client.get(f"{API}/{path}", headers={"If-Modified-Since": modified})
        assert by_date.status_code == 304
    etag = client.get(f"{API}/feeds/en.atom").headers["ETag"]
    news = make.published(staff)
    changed = client.get(f"{API}/feeds/en.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and news["id"] in changed.data.decode()
    etag = changed.headers["ETag"]
    client.post(f"{API}/announcements/{news['id']}/withdraw", json={}, headers=staff.headers)
    after = client.get(f"{API}/feeds/en.atom", headers={"If-None-Match": etag})
    assert after.status_code == 200 and news["id"] not in after.data.decode()


def _live_markup(html: str) -> list[str]:
    """Elements of `html` (as a feed reader renders it) carrying an on* attribute or a script."""
    if not html.strip():
        return []
    tree = lxml_html.fromstring(f"<div>{html}</div>")
    return [
        lxml_html.tostring(element, encoding="unicode")[:80]
        for element in tree.iter()
        if element.tag == "script" or any(name.startswith("on") for name in element.attrib)
    ]


def test_feed_texts_carry_no_live_markup_whatever_the_author_wrote(make, client):
    staff = make.staff()
    hostile = '<img src=x onmouseover="alert(1)"><b onclick=alert(2)>bold</b>'
    make.published(
        staff,
        title={"en": f"Title {hostile}"},
        summary={"en": f"Summary {hostile}"},
        body={"en": f"Body {hostile} <a href='javascript:alert(3)' onmouseover=x>link</a>"},
    )
    for fmt in ("rss", "atom"):
        parsed = feedparser.parse(client.get(f"{API}/feeds/en.{fmt}").data, sanitize_html=False)
        assert not parsed.bozo, parsed.bozo_exception
        [entry] = parsed.entries
        for detail in (entry.summary_detail, *entry.get("content", [])):
            # Plain text is shown as text; whatever is HTML is what a reader renders.
            text = escape(detail.value) if detail.type == "text/plain" else detail.value
            assert _live_markup(text) == [], (fmt, detail.type, text)
            assert "javascript:" not in text
        assert entry.summary_detail.type in ("text/plain", "text/html")
        assert "Summary" in entry.summary and "bold" in entry.summary  # the words stay


def test_the_atom_feed_names_its_author(make, client):
    make.published(make.staff())
    data = client.get(f"{API}/feeds/fr.atom").data
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.author_detail.name == "Plateforme de coopération sino-sophipolitaine"
    # RFC 4287 section 4.1.1: a feed whose entries name no author names one itself.
    atom = "{http://www.w3.org/2005/Atom}"
    root = etree.fromstring(data)
    assert root.findtext(f"{atom}author/{atom}name")
    assert all(entry.find(f"{atom}author") is None for entry in root.iter(f"{atom}entry"))
