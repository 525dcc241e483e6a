"""News, events and calls: reading, registering, iCalendar; staff publish and moderate.

Everything goes through the announcements API with the reader's own token (or none): the API
decides who may read what, the portal only hides what a person could not do anyway.

Event times are shown in the event's own zone and in the reader's (the rule of moments.py):
the API gives both when asked with `tz`.
"""

from __future__ import annotations

# The blueprint lives in `common`; the pages put their routes on it when imported.
from . import editing, feeds, moderation, reading, registrations
from .common import bp

__all__ = ["bp", "editing", "feeds", "moderation", "reading", "registrations"]
