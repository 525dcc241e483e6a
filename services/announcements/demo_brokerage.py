"""Demo data: the forum's B2B meetings with thirty participants of both parks and a schedule.

Thirty people of members' demo organisations (fifteen of Sophia Antipolis, six of them in the
delegation in Nanjing, and fifteen of Jiangning) register for the "5th China-France Innovation
and Cooperation Forum — B2B meetings", opt in with a profile in en/fr/zh and ask each other for
meetings. The requests end in every state: some still wait for an answer, some are declined with
a note or cancelled, most are accepted and the organiser's scheduler places them (run here, at
once, through the domain) and publishes the agendas; a few are accepted after that, waiting for
the next run. Everything goes through announcements' domain functions, acting as those people,
so the outbox holds what the real flow sends.

The people are members' (services/members/demo.py): announcements knows them, with their
organisation, only once `member.joined` has reached its projection, so the seed waits for them
as the announcement seed waits for organisations. Running it again adds nothing: a registration,
a participation and a request between two participants are each found before being made, and
the schedule is run once.
"""

# ruff: noqa: RUF001 - Chinese text is punctuated with full-width commas.
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select

from shared import demo_data
from shared.auth import Caller
from shared.projections import LEFT

from .demo_brokerage_profiles import EMAILS, PROFILES, Profile
from .domain import matchmaking, meetings, participants, registrations, scheduling
from .models import (
    MeetingRequest,
    Membership,
    Participant,
    Registration,
    ScheduleRun,
    User,
    db,
)
from .schemas import ScheduleRunIn

# Enough to place every accepted meeting (the bound is met at once); more time would only
# shorten idle gaps, and every seed (and test of it) would wait for it.
SOLVER_SECONDS = 3.0


@dataclass(frozen=True)
class Ask:
    """A request between two participants (by e-mail), and how it ends in the demo.

    `ends`: requested (no answer yet), accepted (scheduled by the organiser's run), declined
    (with the note), cancelled by the requester or the recipient (`by`, with the note, maybe
    once accepted), late (accepted after the agendas were published: waits for the next run).
    """

    requester: str
    recipient: str
    reason: str
    ends: str = "accepted"
    note: str | None = None
    by: str = "recipient"
    accepted_first: bool = False


# fmt: off
ASKS = [
    # In person in Nanjing, accepted and scheduled.
    Ask("direction@azur-genomique.example", "bd@zijin-biopharma.example",
        "Your diagnostic kits and our rare-disease panels could reach Chinese hospitals "
        "together."),
    Ask("contact@imia.example", "li.na@zijin-biopharma.example",
        "We look for humanised antibodies for a CAR-T construct: could we compare notes?"),
    Ask("bonjour@lerins-connect.example", "sales@smart-sensing.example",
        "Following our tea-garden pilot: can you manufacture our sensor for the Chinese "
        "market?"),
    Ask("studio@brague-xr.example", "ma.xiaoling@niic.example",
        "Your digital humans as instructors in our surgical VR training?"),
    Ask("partenariats@fondation-sophia-antipolis.example", "service@jn-incubator.example",
        "Let us plan the next founders' exchange between our two parks."),
    Ask("lin.xiaoyu@garoupe.example", "hello@fangshan-mobility.example",
        "索菲亚科技园正在寻找园区接驳车试点，想和您聊聊落地安提布的可能。"),
    Ask("contact@moling-micro.example", "bonjour@lerins-connect.example",
        "Our LoRa front-end chip could extend your sensors' battery life."),
    Ask("xu.jian@smart-sensing.example", "studio@brague-xr.example",
        "We build sensor boards for VR controllers and haptic gloves."),
    Ask("office@niic.example", "studio@brague-xr.example",
        "Would Studio Brague XR join our joint laboratory for immersive computing?"),
    Ask("pauline.girard@jn-incubator.example", "partenariats@fondation-sophia-antipolis.example",
        "Présentons ensemble notre programme d'accueil aux start-up de Sophia Antipolis."),
    Ask("li.na@zijin-biopharma.example", "direction@azur-genomique.example",
        "Companion diagnostics for our antibodies: shall we meet in Nanjing?"),
    Ask("lin.tao@fangshan-mobility.example", "partenariats@fondation-sophia-antipolis.example",
        "We would like to run a shuttle line in Sophia Antipolis next year."),
    Ask("zhao.lei@zijin-biopharma.example", "contact@imia.example",
        "Our hospitals in Jiangsu can host a clinical study of your cell therapy."),
    # Online between Sophia Antipolis and Nanjing, accepted and scheduled in both parties' hours.
    Ask("mathilde.ferrand@azur-genomique.example", "zhao.lei@zijin-biopharma.example",
        "Our pipelines could analyse the sequencing data of your clinical studies."),
    Ask("isabelle.roussel@imia.example", "bd@zijin-biopharma.example",
        "We need monoclonal antibodies for a new immunoassay."),
    Ask("lea.moreau@lerins-connect.example", "wu.fang@smart-sensing.example",
        "Could we certify our firmware on your edge gateways?"),
    Ask("nicolas.faure@lerins-connect.example", "yang.qian@moling-micro.example",
        "Your satellite IoT chip for our smart-harbour buoys?"),
    Ask("hugo.lefevre@brague-xr.example", "gao.yuan@niic.example",
        "We would love to show your 3D reconstructions in our engine."),
    Ask("ines.durand@brague-xr.example", "office@niic.example",
        "We look for a partner to distribute our VR safety courses in China."),
    Ask("accueil@garoupe.example", "service@jn-incubator.example",
        "Exchanging founders between Antibes and Jiangning: let's set the first cohort."),
    Ask("karim.benali@azur-genomique.example", "bd@zijin-biopharma.example",
        "We can share our CE-IVD experience in exchange for advice on NMPA registration."),
    Ask("antoine.giraud@imia.example", "zhao.lei@zijin-biopharma.example",
        "Two of our immunology patents may interest your pipeline."),
    Ask("wu.fang@smart-sensing.example", "nicolas.faure@lerins-connect.example",
        "我们的边缘网关可用于港口监测，希望与您探讨试点。"),
    Ask("hello@fangshan-mobility.example", "accueil@garoupe.example",
        "Could your soft-landing programme host our team in Antibes?"),
    # Still waiting for an answer.
    Ask("ma.xiaoling@niic.example", "hugo.lefevre@brague-xr.example",
        "Our digital humans could run in your 3D engine.", "requested"),
    Ask("sales@smart-sensing.example", "lea.moreau@lerins-connect.example",
        "Your open data model for our agricultural gateways?", "requested"),
    Ask("yang.qian@moling-micro.example", "bonjour@lerins-connect.example",
        "Samples of our satellite chip are ready for your team.", "requested"),
    Ask("direction@azur-genomique.example", "zhao.lei@zijin-biopharma.example",
        "A joint clinical study of our rare-disease panel in Jiangsu?", "requested"),
    Ask("studio@brague-xr.example", "hello@fangshan-mobility.example",
        "VR simulators to train your shuttle supervisors?", "requested"),
    Ask("service@jn-incubator.example", "lin.xiaoyu@garoupe.example",
        "想请您介绍Garoupe孵化器的落地计划。", "requested"),
    # Declined, with a note.
    Ask("ines.durand@brague-xr.example", "contact@moling-micro.example",
        "Would your teams use VR training on chip production lines?", "declined",
        "We make RF chips, not training content: the Nanjing Institute of Immersive Computing "
        "would suit you better."),
    Ask("lin.tao@fangshan-mobility.example", "contact@imia.example",
        "Could your institute test our shuttles' air filtration?", "declined",
        "Nos travaux portent sur l'immunologie, pas sur la mobilité : l'Incubateur Garoupe "
        "pourra mieux vous orienter."),
    Ask("antoine.giraud@imia.example", "gao.yuan@niic.example",
        "Would a licence on our imaging patent help your 3D vision work?", "declined",
        "我们今年暂无技术许可需求，明年再联系。"),
    Ask("xu.jian@smart-sensing.example", "partenariats@fondation-sophia-antipolis.example",
        "We look for sensor designs to manufacture.", "declined",
        "The Foundation does not design hardware: Lérins Connect's team is in Nanjing this "
        "morning."),
    # Cancelled: by the requester before an answer, by the recipient after accepting.
    Ask("nicolas.faure@lerins-connect.example", "contact@moling-micro.example",
        "Your RF chips for our harbour sensors?", "cancelled",
        "Julien Roux meets Moling in Nanjing: one meeting is enough.", "requester"),
    Ask("mathilde.ferrand@azur-genomique.example", "bd@zijin-biopharma.example",
        "Could we present our bioinformatics services?", "cancelled",
        "Hélène Castellan meets us in person in Nanjing; let us keep that one.",
        accepted_first=True),
    Ask("sales@smart-sensing.example", "studio@brague-xr.example",
        "Sensors for your VR headsets?", "cancelled",
        "Our headsets take no extra sensors this year; let us talk next year."),
    # Accepted after the agendas were published: the next run places them.
    Ask("zhao.lei@zijin-biopharma.example", "isabelle.roussel@imia.example",
        "Our hospitals could validate your immunoassay.", "late"),
    Ask("lin.xiaoyu@garoupe.example", "pauline.girard@jn-incubator.example",
        "Nos deux programmes d'accueil pourraient se répondre, dans les deux sens.", "late"),
    Ask("office@niic.example", "hugo.lefevre@brague-xr.example",
        "A joint paper on VR training with real scans?", "late"),
]
# fmt: on


class PeopleMissing(demo_data.OrganisationsMissing):
    """members' demo people have not reached announcements' projection (with their membership).

    An OrganisationsMissing, so that `flask seed-demo` says what to do in the same way."""

    def __init__(self, missing: list[str], timeout: float):
        self.missing = missing
        Exception.__init__(
            self,
            f"After {timeout:g} s, announcements still does not know these demo people: "
            f"{', '.join(missing)}. They arrive as members' `member.joined` events through the "
            "workers: run `flask --app services.members seed-demo`, make sure Redis and the "
            "announcements worker are running, then run this command again.",
        )


@dataclass(frozen=True)
class Person:
    user_id: uuid.UUID
    organisation_id: uuid.UUID
    role: str

    @property
    def caller(self) -> Caller:
        return Caller(
            subject=str(self.user_id),
            kind="user",
            organisation_id=self.organisation_id,
            roles=frozenset({self.role}),
        )


def wait_for_people(emails: list[str], timeout: float, poll: float = 0.5) -> dict[str, Person]:
    """Each demo person's id, organisation and role once announcements' projection has them."""
    query = (
        select(User.email, Membership.user_id, Membership.organisation_id, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(User.email.in_(emails), Membership.role != LEFT)
    )
    found, missing = demo_data.wait_for_rows(
        db, query, emails, "people", "announcements", timeout, poll
    )
    if missing:
        raise PeopleMissing(missing, timeout)
    return {email: Person(*row[1:]) for email, row in found.items()}


def _join(event_id, person: Person, profile: Profile, sessions: tuple) -> bool:
    """Register for the event and opt in to its meetings; False when already done."""
    with db.transaction() as session:
        if _participant(session, event_id, person) is not None:
            return False
        registered = session.scalars(
            select(Registration.status).where(
                Registration.announcement_id == event_id,
                Registration.user_id == person.user_id,
            )
        ).first()
        if registered not in registrations.ACTIVE:
            registrations.register(session, person.caller, event_id)
        participants.opt_in(session, person.caller, event_id, profile.values(*sessions))
    return True


def _participant(session, event_id, person: Person) -> Participant | None:
    return session.scalars(
        select(Participant).where(
            Participant.announcement_id == event_id, Participant.user_id == person.user_id
        )
    ).first()


def _asked(session, event_id, a: Participant, b: Participant) -> bool:
    return (
        session.scalars(
            select(MeetingRequest.id).where(
                MeetingRequest.announcement_id == event_id,
                or_(
                    (MeetingRequest.requester_id == a.id) & (MeetingRequest.recipient_id == b.id),
                    (MeetingRequest.requester_id == b.id) & (MeetingRequest.recipient_id == a.id),
                ),
            )
        ).first()
        is not None
    )


def _ask(event_id, people: dict[str, Person], ask: Ask) -> bool:
    """One request made and brought to its end; False when the two have one already."""
    requester, recipient = people[ask.requester], people[ask.recipient]
    with db.transaction() as session:
        mine = _participant(session, event_id, requester)
        theirs = _participant(session, event_id, recipient)
        if _asked(session, event_id, mine, theirs):
            return False
        meeting = meetings.request(
            session, requester.caller, event_id, {"recipient_id": theirs.id, "reason": ask.reason}
        )
        if ask.ends in ("accepted", "late"):
            meetings.accept(session, recipient.caller, event_id, meeting.id)
        elif ask.ends == "declined":
            meetings.decline(session, recipient.caller, event_id, meeting.id, ask.note)
        elif ask.ends == "cancelled":
            if ask.accepted_first:
                meetings.accept(session, recipient.caller, event_id, meeting.id)
            who = requester if ask.by == "requester" else recipient
            meetings.cancel(session, who.caller, event_id, meeting.id, ask.note)
    return True


def _schedule(event_id, staff: Caller) -> bool:
    """The organiser's run, solved at once in this process, agendas published; False if done."""
    with db.transaction() as session:
        if session.scalars(
            select(ScheduleRun.id).where(
                ScheduleRun.announcement_id == event_id, ScheduleRun.status == "done"
            )
        ).first():
            return False
        payload = ScheduleRunIn().load({"time_limit": SOLVER_SECONDS, "publish": True})
        run_id = scheduling.start(session, staff, event_id, payload).id
    scheduling.solve(run_id)
    with db.transaction() as session:
        run = session.get(ScheduleRun, run_id)
        if run.status != "done":
            raise RuntimeError(f"The demo scheduling run failed: {run.error}")
    return True


def seed(event_id: uuid.UUID, staff: Caller, timeout: float) -> int:
    """Participants, requests and a published schedule for the event (the organiser, `staff`,
    runs the scheduler); how many requests were added."""
    people = wait_for_people(EMAILS, timeout)
    with db.transaction() as session:
        blocks = matchmaking.sessions(session, event_id)
        sessions = (
            next(b.id for b in blocks if b.in_person),
            next(b.id for b in blocks if not b.in_person),
        )
    for profile in PROFILES:
        _join(event_id, people[profile.email], profile, sessions)
    added = sum(_ask(event_id, people, ask) for ask in ASKS if ask.ends != "late")
    _schedule(event_id, staff)
    added += sum(_ask(event_id, people, ask) for ask in ASKS if ask.ends == "late")
    return added
