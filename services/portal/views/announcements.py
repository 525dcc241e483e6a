"""News, events and calls: reading, registering, iCalendar; staff publish and moderate."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("announcements", __name__, url_prefix="/announcements")
