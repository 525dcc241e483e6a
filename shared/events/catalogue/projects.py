"""Events published by projects (none yet)."""

from __future__ import annotations

from shared.events.catalogue import EventType

EVENTS: list[EventType] = []
