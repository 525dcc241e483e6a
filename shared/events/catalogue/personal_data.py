"""The events that assemble a person's data export across services.

members asks (`personal_data.export_requested`); each service that keeps something about
people answers with its part (`personal_data.<service>_part_ready`, one type per publisher, as
the catalogue wants one source per type); members puts the parts into the archive. The parts
hold personal data, so no webhook ever carries them.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from shared.events.catalogue.event_type import EventType

# The services that keep something about a person besides members, and so send a part.
PART_SERVICES = ("projects", "announcements", "notifications")
_EXPORT_ID = "0d4c1b2a-6e5f-4a3b-9c8d-7e6f5a4b3c2d"
_USER_ID = "4c8e6a2b-1f3d-4e5a-9b7c-6d0e2f4a8b1c"


class ExportRequestedData(Schema):
    export_id = fields.UUID(required=True)
    user_id = fields.UUID(required=True)


class ExportPartData(Schema):
    export_id = fields.UUID(required=True)
    user_id = fields.UUID(required=True)
    # file name -> its JSON content, and file name -> what it holds, for the folder's README
    files = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True)
    readme = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


def part_type(service: str) -> str:
    return f"personal_data.{service}_part_ready"


REQUESTED = EventType(
    "personal_data.export_requested",
    1,
    ExportRequestedData,
    PART_SERVICES,
    "A person asked for a copy of their data: each service sends members its part.",
    {"export_id": _EXPORT_ID, "user_id": _USER_ID},
    webhook=False,
)


def part(service: str, example_files: dict, readme: dict) -> EventType:
    """The event type by which `service` sends its part of an export to members."""
    return EventType(
        part_type(service),
        1,
        ExportPartData,
        ("members",),
        f"{service}'s part of a person's data export, for members to put in the archive.",
        {"export_id": _EXPORT_ID, "user_id": _USER_ID, "files": example_files, "readme": readme},
        webhook=False,
    )
