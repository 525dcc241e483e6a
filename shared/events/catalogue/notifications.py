"""Events published by notifications: its part of a person's data export."""

from __future__ import annotations

from shared.events.catalogue.event_type import EventType
from shared.events.catalogue.personal_data import part

EVENTS: list[EventType] = [
    part("notifications", {"inbox.json": []}, {"inbox.json": "Your notifications."})
]
