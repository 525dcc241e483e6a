"""Demo data: the forum's B2B meetings event comes with its matchmaking set up, once."""

from __future__ import annotations

from services.announcements import demo
from services.announcements.models import Announcement, Matchmaking, MeetingSession, db
from tests.announcements.test_demo import _members_demo_arrives

TITLE = "5th China-France Innovation and Cooperation Forum — B2B meetings"


def test_the_forums_b2b_meetings_are_seeded_with_two_sessions_once(make, client):
    _members_demo_arrives(make)
    demo.seed_demo(timeout=5)
    demo.seed_demo(timeout=5)
    with db.transaction() as session:
        (event,) = [a for a in session.query(Announcement).all() if a.title.get("en") == TITLE]
        settings = session.get(Matchmaking, event.id)
        assert settings.mode == "organiser" and settings.meeting_minutes == 20
        sessions = session.query(MeetingSession).order_by(MeetingSession.starts_at).all()
        assert [s.in_person for s in sessions] == [True, False]
        assert session.query(Matchmaking).count() == 1
        event_id = event.id
    reader = make.member_of(make.organisation(country="FR"), "fr")
    shown = client.get(
        f"/api/announcements/v1/announcements/{event_id}/matchmaking", headers=reader.headers
    ).get_json()
    assert [len(s["slots"]) for s in shown["sessions"]] == [9, 6]
    assert shown["sessions"][0]["starts_at"]["local"][11:16] == "09:00"
    assert shown["sessions"][1]["starts_at"]["reader"][11:16] in ("09:00", "10:00")
