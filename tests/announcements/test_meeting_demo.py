"""Demo data: the forum's B2B meetings, with participants of both parks, requests in every state
and a published schedule, seeded through the domain once however often the seed runs."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from services.announcements import demo, demo_brokerage
from services.announcements.models import (
    Announcement,
    Matchmaking,
    MeetingBooking,
    MeetingRequest,
    MeetingSession,
    Organisation,
    Participant,
    Registration,
    ScheduleRun,
    User,
    db,
)
from services.members import demo as members_demo
from tests.announcements.test_demo import _members_demo_arrives

TITLE = "5th China-France Innovation and Cooperation Forum — B2B meetings"


@pytest.fixture
def seeded(make):
    """The whole demo seeded once, as `flask seed-demo` does once members' data arrived."""
    _members_demo_arrives(make)
    demo.seed_demo(timeout=5)
    with db.transaction() as session:
        (event,) = [a for a in session.query(Announcement).all() if a.title.get("en") == TITLE]
        return event.id


def _participants(event_id) -> list[tuple[Participant, Organisation, User]]:
    with db.transaction() as session:
        rows = session.execute(
            select(Participant, Organisation, User)
            .join(Organisation, Organisation.id == Participant.organisation_id)
            .join(User, User.id == Participant.user_id)
            .where(Participant.announcement_id == event_id)
        )
        return [tuple(row) for row in rows]


def _requests(event_id) -> list[MeetingRequest]:
    with db.transaction() as session:
        return list(
            session.scalars(
                select(MeetingRequest).where(MeetingRequest.announcement_id == event_id)
            )
        )


def _counts() -> tuple[int, ...]:
    with db.engine.connect() as connection:
        tables = (Registration, Participant, MeetingRequest, MeetingBooking, ScheduleRun)
        counts = [connection.scalar(select(func.count()).select_from(t)) for t in tables]
        counts.append(connection.scalar(select(func.count()).select_from(db.events.outbox)))
    return tuple(counts)


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


def test_thirty_registered_participants_of_both_parks_from_verified_demo_organisations(seeded):
    found = _participants(seeded)
    assert len(found) == 30
    assert Counter(o.park for _p, o, _u in found) == {"sophia_antipolis": 15, "jiangning": 15}
    assert {o.status for _p, o, _u in found} == {"verified"}
    demo_people = {
        **{s["admin"]["email"]: s["organisation"]["name"] for s in members_demo.ORGANISATIONS},
        **{p["email"]: p["organisation"] for p in members_demo.colleagues()},
    }
    for participant, organisation, user in found:
        assert demo_people[user.email] == organisation.name  # a demo person of that organisation
        assert user.email.endswith(organisation.website.removeprefix("https://www."))
        for text in (participant.offers, participant.seeks):
            assert set(text) == {"en", "fr", "zh"} and all(text.values())
        assert participant.sectors and participant.languages and participant.session_ids
        assert participant.countries_sought == ["CN" if organisation.country == "FR" else "FR"]
        if participant.attendance != "in_person":
            assert participant.timezone in ("Europe/Paris", "Asia/Shanghai")
            assert participant.working_hours_start < participant.working_hours_end
    assert Counter(p.attendance for p, _o, _u in found).keys() == {"in_person", "online", "both"}
    with db.transaction() as session:
        registered = set(
            session.scalars(
                select(Registration.user_id).where(
                    Registration.announcement_id == seeded, Registration.status == "registered"
                )
            )
        )
    assert {u.id for _p, _o, u in found} <= registered


def test_requests_end_in_every_state_with_reasons_and_notes(seeded):
    requests = _requests(seeded)
    states = Counter(
        "scheduled" if r.status == "accepted" and r.slot_id else r.status for r in requests
    )
    assert set(states) == {"requested", "accepted", "declined", "cancelled", "scheduled"}
    assert states["scheduled"] >= 20
    assert all(r.reason for r in requests)
    assert all(r.note for r in requests if r.status in ("declined", "cancelled"))
    cancelled_by = Counter(
        "requester" if r.decided_by == r.requested_by else "recipient"
        for r in requests
        if r.status == "cancelled"
    )
    assert set(cancelled_by) == {"requester", "recipient"}
    assert {r.online for r in requests if r.slot_id} == {True, False}
    with db.transaction() as session:
        parties = {p.id: p for p in session.scalars(select(Participant))}
    assert all(
        parties[r.requester_id].organisation_id != parties[r.recipient_id].organisation_id
        for r in requests
    )


def _inside_hours(participant: Participant, starts_at: datetime, ends_at: datetime) -> bool:
    zone = ZoneInfo(participant.timezone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    opens = time.fromisoformat(participant.working_hours_start)
    closes = time.fromisoformat(participant.working_hours_end)
    return start.date() == end.date() and opens <= start.time() and end.time() <= closes


def test_the_published_schedule_books_nobody_twice_and_meets_online_in_both_parties_hours(
    seeded,
):
    with db.transaction() as session:
        settings = session.get(Matchmaking, seeded)
        assert settings.agendas_published_at is not None
        (run,) = session.scalars(select(ScheduleRun).where(ScheduleRun.announcement_id == seeded))
        assert (run.status, run.unscheduled) == ("done", {})
        sessions = {str(s.id): s for s in session.scalars(select(MeetingSession))}
        parties = {p.id: p for p in session.scalars(select(Participant))}
    scheduled = [r for r in _requests(seeded) if r.slot_id]
    assert run.scheduled == len(scheduled)
    assert all(r.status == "accepted" and r.published for r in scheduled)
    late = [r for r in _requests(seeded) if r.status == "accepted" and not r.slot_id]
    assert late and all(r.created_at > run.finished_at for r in late)  # for the next run

    busy = Counter(
        (party, r.slot_id) for r in scheduled for party in (r.requester_id, r.recipient_id)
    )
    assert max(busy.values()) == 1
    tables = defaultdict(list)
    for meeting in scheduled:
        block = sessions[meeting.slot_id.rsplit(".", 1)[0]]
        a, b = parties[meeting.requester_id], parties[meeting.recipient_id]
        assert {str(block.id)} <= set(a.session_ids) & set(b.session_ids)
        assert block.starts_at <= meeting.starts_at < meeting.ends_at <= block.ends_at
        if meeting.online:
            assert not block.in_person and meeting.table_number is None
            assert _inside_hours(a, meeting.starts_at, meeting.ends_at), a.working_hours_start
            assert _inside_hours(b, meeting.starts_at, meeting.ends_at), b.working_hours_start
        else:
            assert block.in_person and 1 <= meeting.table_number <= settings.tables
            tables[meeting.slot_id].append(meeting.table_number)
    assert all(len(numbers) == len(set(numbers)) for numbers in tables.values())


def test_running_the_seed_again_adds_nothing(seeded):
    before = _counts()
    assert demo.seed_demo(timeout=5) == 0
    assert _counts() == before


def test_the_seed_says_which_demo_people_have_not_arrived_and_what_to_do(app, make):
    _members_demo_arrives(make)
    late = "lin.tao@fangshan-mobility.example"
    with db.transaction() as session:
        session.execute(User.__table__.delete().where(User.email == late))
    with pytest.raises(demo_brokerage.PeopleMissing) as raised:
        demo.seed_demo(timeout=0.2)
    assert raised.value.missing == [late]
    result = app.test_cli_runner().invoke(args=["seed-demo", "--timeout", "0.2"])
    assert result.exit_code == 1
    assert late in result.output and "announcements worker" in result.output
    assert _requests_count() == 0  # nobody asked anyone for a meeting


def _requests_count() -> int:
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(MeetingRequest))
