"""Public feeds: RSS and Atom per language (feedgen), iCalendar for events (icalendar).

Feeds carry only published announcements for the public audience; a withdrawn one leaves them.
Event times are written in the event's own zone (with its VTIMEZONE), so calendars get daylight
saving right.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

import icalendar
from feedgen.feed import FeedGenerator
from sqlalchemy import func, select

from shared.i18n import pick

from ..models import Announcement

FEED_SIZE = 50
# The feed's atom:author (RFC 4287 requires one on the feed when entries name none): the
# platform, never an organisation (a discreet author stays unnamed).
PUBLISHER = {
    "en": "Sino-Sophipolitan Cooperation Platform",
    "fr": "Plateforme de coopération sino-sophipolitaine",
    "zh": "中法合作平台",
}
TITLES = {
    "en": "Sino-Sophipolitan Cooperation Platform: announcements",
    "fr": "Plateforme de coopération sino-sophipolitaine : annonces",
    "zh": "中法合作平台公告",
}


def public_published():
    return select(Announcement).where(
        Announcement.status == "published", Announcement.audience_scope == "public"
    )


def last_change(session) -> datetime | None:
    """When any announcement last changed (an indexed max): the validator of lists and feeds.

    Taken over every announcement, not only public ones, so that one leaving the public
    audience changes it too.
    """
    return session.scalar(select(func.max(Announcement.updated_at)))


def next_start(session, after: datetime) -> datetime | None:
    """The soonest start of a published event after `after` (when the upcoming list changes)."""
    return session.scalar(
        select(func.min(Announcement.starts_at)).where(
            Announcement.status == "published", Announcement.starts_at > after
        )
    )


def _latest(session, kind: str | None = None) -> list[Announcement]:
    stmt = public_published()
    if kind:
        stmt = stmt.where(Announcement.kind == kind)
    stmt = stmt.order_by(Announcement.published_at.desc(), Announcement.id.desc())
    return session.scalars(stmt.limit(FEED_SIZE)).all()


def _when(announcement: Announcement, language: str) -> str:
    if announcement.kind != "event" or announcement.starts_at is None:
        return ""
    start = announcement.starts_at.astimezone(ZoneInfo(announcement.timezone))
    return f"<p>{start:%Y-%m-%d %H:%M} ({announcement.timezone})</p>"


def syndication(session, language: str, base_url: str, self_url: str, fmt: str) -> bytes:
    """The RSS 2.0 or Atom feed of public announcements in `language`."""
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(TITLES[language])
    feed.language(language)
    feed.link(href=self_url, rel="self")
    feed.link(href=base_url, rel="alternate")
    feed.description(TITLES[language])
    feed.author({"name": PUBLISHER[language]})
    rows = _latest(session)
    updated = max((a.updated_at for a in rows), default=None)
    if updated:
        feed.updated(updated)
    for announcement in reversed(rows):  # feedgen prepends: oldest first gives newest on top
        entry = feed.add_entry()
        link = f"{base_url}announcements/{announcement.id}"
        entry.id(f"urn:uuid:{announcement.id}")
        entry.guid(f"urn:uuid:{announcement.id}", permalink=False)
        entry.title(pick(announcement.title, language) or "")
        entry.link(href=link)
        summary = pick(announcement.summary, language) or pick(announcement.title, language) or ""
        # An RSS description is HTML to every reader: the plain-text summary goes in escaped, so
        # markup an author typed shows as text. Atom's summary is typed text and stays as is.
        entry.summary(escape(summary) if fmt == "rss" else summary)
        html = _when(announcement, language) + (pick(announcement.body_html, language) or "")
        if html:
            entry.content(html, type="CDATA" if fmt == "rss" else "html")
        entry.published(announcement.published_at)
        entry.updated(announcement.updated_at)
        for tag in announcement.tags or ():
            entry.category(term=tag)
    return feed.rss_str(pretty=False) if fmt == "rss" else feed.atom_str(pretty=False)


def _vevent(announcement: Announcement, language: str, base_url: str) -> icalendar.Event:
    zone = ZoneInfo(announcement.timezone)
    event = icalendar.Event()
    event.add("uid", f"{announcement.id}@sino-sophipolitan")
    event.add("summary", pick(announcement.title, language) or "")
    description = pick(announcement.summary, language)
    if description:
        event.add("description", description)
    event.add("dtstart", announcement.starts_at.astimezone(zone))
    if announcement.ends_at:
        event.add("dtend", announcement.ends_at.astimezone(zone))
    event.add("dtstamp", announcement.updated_at)
    event.add("last-modified", announcement.updated_at)
    event.add("sequence", announcement.version - 1)
    location = announcement.place or announcement.online_url
    if location:
        event.add("location", location)
    event.add("url", announcement.online_url or f"{base_url}announcements/{announcement.id}")
    event.add("status", "CONFIRMED")
    return event


def _calendar(events: list[Announcement], language: str, base_url: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Sino-Sophipolitan Cooperation Platform//announcements//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", TITLES[language])
    for announcement in events:
        calendar.add_component(_vevent(announcement, language, base_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_ics(announcement: Announcement, language: str, base_url: str) -> bytes:
    """One event as a calendar file."""
    return _calendar([announcement], language, base_url)


def calendar_feed(session, language: str, base_url: str) -> bytes:
    """Every public published event, latest first."""
    return _calendar(_latest(session, kind="event"), language, base_url)
