"""What an organisation's webhooks may receive: public events and events about itself."""

from __future__ import annotations

import copy

from shared.events.catalogue import EventType


def may_see(entry: EventType, data: dict, organisation_id) -> bool:
    """True when an endpoint of `organisation_id` may receive this event."""
    if not entry.webhook:
        return False
    if str(organisation_id) in {str(o) for o in entry.concerns(data)}:
        return True
    return bool(entry.public(data))


# What names a discreet owner in its project (the OpenAPI document's `webhooks` say they may be
# missing), and its people in a project event: their ids, which the history of the owner's named
# projects would tie to the owner.
OWNER_FIELDS = ("organisation_id",)
OWNER_PEOPLE = ("changed_by",)
# A meeting's two people are named so that notifications can tell them; integrators get the
# organisations only, as the catalogue promises for meeting events.
MEETING_PEOPLE = ("requester_user_id", "recipient_user_id")


def redacted(data: dict, organisation_id) -> dict:
    """The data as that organisation may see it: an anonymous project hides its owner, and the
    owner's people, from everyone else; a meeting names no person."""
    data = without_meeting_people(data)
    project = data.get("project")
    if (
        isinstance(project, dict)
        and project.get("anonymous")
        and str(project.get("organisation_id")) != str(organisation_id)
    ):
        data = copy.deepcopy(data)
        for key in OWNER_FIELDS:
            data["project"].pop(key, None)
        for key in OWNER_PEOPLE:
            if key in data:
                data[key] = None
    return data


def without_meeting_people(data: dict) -> dict:
    """The data with a meeting's two user ids left out (what every webhook receives)."""
    meeting = data.get("meeting")
    if isinstance(meeting, dict) and any(key in meeting for key in MEETING_PEOPLE):
        meeting = {k: v for k, v in meeting.items() if k not in MEETING_PEOPLE}
        data = {**data, "meeting": meeting}
    return data
