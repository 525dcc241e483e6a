"""Brokerage events built through the API: an event with matchmaking, and its participants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tests.announcements.factories import API

DAY = (datetime.now(UTC) + timedelta(days=30)).date()


def settings_body(**overrides) -> dict:
    """Two sessions on DAY in the event's zone (09:00-12:00 in person, 14:00-16:00 online)."""
    now = datetime.now(UTC).replace(microsecond=0)
    body = {
        "sessions": [
            {
                "name": {"en": "Morning", "fr": "Matin"},
                "starts_at": f"{DAY}T09:00:00",
                "ends_at": f"{DAY}T12:00:00",
                "in_person": True,
            },
            {"starts_at": f"{DAY}T14:00:00", "ends_at": f"{DAY}T16:00:00", "in_person": False},
        ],
        "meeting_minutes": 30,
        "tables": 5,
        "online": True,
        "booking_opens_at": (now - timedelta(days=1)).isoformat(),
        "booking_closes_at": (now + timedelta(days=20)).isoformat(),
        "max_meetings": 5,
        "mode": "participants",
    }
    body.update(overrides)
    return body


@dataclass
class Party:
    person: object
    organisation: object
    participant: dict

    @property
    def id(self) -> str:
        return self.participant["id"]


class Brokerage:
    """One event with matchmaking, and helpers to add participants and meetings."""

    def __init__(self, make, client, timezone="Europe/Paris", **settings):
        self.make = make
        self.client = client
        self.organiser_org = make.organisation(name="Fondation Sophia Antipolis")
        self.organiser = make.admin_of(self.organiser_org)
        self.staff = make.staff()
        self.event = make.published(
            self.staff,
            "event",
            author_organisation_id=str(self.organiser_org.id),
            timezone=timezone,
            capacity=None,
        )
        self.url = f"{API}/announcements/{self.event['id']}"
        response = client.put(
            f"{self.url}/matchmaking",
            json=settings_body(**settings),
            headers=self.organiser.headers,
        )
        assert response.status_code == 200, response.get_json()
        self.settings = response.get_json()
        self.sessions = [s["id"] for s in self.settings["sessions"]]

    def slot(self, session: int, index: int) -> str:
        return self.settings["sessions"][session]["slots"][index]["id"]

    def register(self, person) -> None:
        response = self.client.post(f"{self.url}/registrations", headers=person.headers)
        assert response.status_code == 201, response.get_json()

    def profile(self, **fields) -> dict:
        body = {
            "offers": {"en": "Sensors for smart buildings"},
            "seeks": {"en": "Distribution partners"},
            "attendance": "both",
            "session_ids": list(self.sessions),
            "working_hours_start": "08:00",
            "working_hours_end": "18:00",
            "timezone": "Europe/Paris",
        }
        body.update(fields)
        return body

    def join(self, organisation=None, language="en", **fields) -> Party:
        organisation = organisation or self.make.organisation()
        person = self.make.member_of(organisation, language)
        self.register(person)
        response = self.client.post(
            f"{self.url}/matchmaking/participants",
            json=self.profile(**fields),
            headers=person.headers,
        )
        assert response.status_code == 201, response.get_json()
        return Party(person, organisation, response.get_json())

    def ask(self, asker: Party, asked: Party, **fields):
        body = {"recipient_id": asked.id, "reason": "Let us talk about sensors.", **fields}
        return self.client.post(f"{self.url}/meetings", json=body, headers=asker.person.headers)

    def requested(self, asker: Party, asked: Party, **fields) -> dict:
        response = self.ask(asker, asked, **fields)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def accept(self, party: Party, meeting: dict, slot_id=None, client=None):
        return (client or self.client).post(
            f"{self.url}/meetings/{meeting['id']}/accept",
            json={"slot_id": slot_id},
            headers=party.person.headers,
        )
