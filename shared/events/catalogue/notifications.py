"""Events published by notifications: its part of a person's data export."""

from __future__ import annotations

from shared.events.catalogue import EventType
from shared.events.catalogue.personal_data import part

EVENTS: list[EventType] = [
    part("notifications", {"inbox.json": []}, {"inbox.json": "Your notifications."})
]
