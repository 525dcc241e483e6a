"""The APIs' vocabularies said in the reader's language: webhook event types and client scopes.

The APIs describe each event type and scope in English; the portal shows them next to checkboxes
whose values are the stable names, so it keys its own words on those names. A name the portal
does not know yet (a service newer than the portal) shows the API's English description.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Every event type webhooks are offered (shared.events.catalogue, `webhook=True`).
EVENT_TYPES = {
    "announcement.published": _l(
        "An announcement (news, event or call) was published for its audience."
    ),
    "announcement.updated": _l(
        "A published announcement was edited (the previous text is kept as a version)."
    ),
    "announcement.withdrawn": _l(
        "A published announcement was withdrawn: it leaves lists and feeds."
    ),
    "meeting.accepted": _l("A meeting request was accepted, with its time when one was chosen."),
    "meeting.cancelled": _l("A requested or accepted meeting was called off."),
    "meeting.declined": _l("A meeting request was declined."),
    "meeting.requested": _l("A participant or an organisation asked another for a meeting."),
    "meeting.scheduled": _l(
        "The organiser's schedule gave an accepted meeting its time and table (or room)."
    ),
    "meetings.agenda_published": _l(
        "An event's meeting agendas were published: every participant can read their own."
    ),
    "member.joined": _l("A person joined an organisation (registration or accepted invitation)."),
    "member.left": _l("A person left an organisation or was removed from it."),
    "member.role_changed": _l("An organisation administrator changed a member's role."),
    "organisation.registered": _l(
        "An organisation registered, with its first administrator; it is pending until the "
        "platform team verifies it."
    ),
    "organisation.suspended": _l("The platform team suspended an organisation, with a reason."),
    "organisation.updated": _l("An organisation's profile changed (the whole profile is sent)."),
    "organisation.verified": _l(
        "The platform team verified an organisation: it appears in the directory."
    ),
    "project.application_decided": _l(
        "The owner's administrators accepted or declined an application, with a reason."
    ),
    "project.application_submitted": _l(
        "An organisation applied to a project's call for partners."
    ),
    "project.call_closed": _l(
        "A project's call for partners closed (its deadline passed, or the project moved on)."
    ),
    "project.partner_added": _l("An organisation became a partner of a project (lead or partner)."),
    "project.published": _l(
        "A project left its draft: it is open and its call for partners is running."
    ),
    "project.state_changed": _l(
        "A project moved along its life cycle (draft, open, active, completed, cancelled)."
    ),
    "project.updated": _l("The owner changed a published project."),
}

# Every scope an API client may hold (members' `ClientIn.scopes` enum).
SCOPES = {
    "directory:read": _l("Read the directory of organisations"),
    "organisation:read": _l("Read your organisation's profile and members"),
    "organisation:admin": _l("Administer your organisation (profile, members, invitations)"),
    "projects:read": _l("Read projects"),
    "projects:write": _l("Create and change your organisation's projects"),
    "projects:apply": _l("Apply to projects for your organisation"),
    "announcements:read": _l("Read news, events and calls"),
    "announcements:write": _l("Write and submit your organisation's news"),
    "webhooks:manage": _l("Manage your organisation's webhooks"),
    "notifications:read": _l("Read notifications"),
}


def event_type(name: str, described: str = "") -> str:
    """An event type's description in the reader's language, else as the API described it."""
    known = EVENT_TYPES.get(name)
    return str(known) if known is not None else described


def scope(name: str) -> str:
    """A scope's meaning in the reader's language, else its name."""
    known = SCOPES.get(name)
    return str(known) if known is not None else name
