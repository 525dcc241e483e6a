"""A service's part of a person's data export: read from its own tables, sent to members.

Each service that keeps something about people answers `personal_data.export_requested` with
the files it holds about that person and a line saying what each file is, as one event on the
backbone (so a part is never lost, and arrives once). members puts the parts into the archive.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.events import emit
from shared.events.catalogue.personal_data import part_type

# Columns that are credentials, not data about the person: never exported.
HIDDEN = frozenset(
    {"password_hash", "token_hash", "secret_hash", "calendar_secret_hash", "nonce", "secret"}
)

Collect = Callable[[Session, object], tuple[dict, dict]]


def rows(session: Session, model, *where) -> list[dict]:
    """The rows of `model` matching `where`, as JSON-ready dicts without credentials."""
    found = session.scalars(select(model).where(*where)).all()
    columns = [c.key for c in model.__table__.columns if c.key not in HIDDEN]
    return [json_ready({key: getattr(row, key) for key in columns}) for row in found]


def json_ready(value):
    """Times, ids and decimals as strings: what the archive's JSON files hold."""
    return json.loads(json.dumps(value, default=str))


def part_handler(collect: Collect) -> Callable:
    """The handler of `personal_data.export_requested` for a service: its part, as an event."""

    def handle(session: Session, data: dict, _envelope: dict) -> None:
        files, readme = collect(session, data["user_id"])
        service = session.info["db"].service
        emit(
            session,
            part_type(service),
            {
                "export_id": str(data["export_id"]),
                "user_id": str(data["user_id"]),
                "files": json_ready(files),
                "readme": readme,
            },
        )

    return handle
