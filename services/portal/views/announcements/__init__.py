"""News, events and calls: reading, registering, iCalendar; staff publish and moderate.

Everything goes through the announcements API with the reader's own token (or none): the API
decides who may read what, the portal only hides what a person could not do anyway.

Event times are shown in the event's own zone and in the reader's (the rule of moments.py):
the API gives both when asked with `tz`.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from ... import moments
from .common import Withdrawn

bp = Blueprint("announcements", __name__, url_prefix="/announcements")
moments.install(bp)


@bp.errorhandler(Withdrawn)
def _withdrawn(_error):
    """A withdrawn announcement that was public: a page saying so (410)."""
    return render_template("announcements/withdrawn.html"), 410


# The pages put their routes on `bp` when imported, so they come after it.
from . import editing, feeds, moderation, reading, registrations  # noqa: E402

__all__ = ["bp", "editing", "feeds", "moderation", "reading", "registrations"]
