"""Projects as lists show them: a short item in the reader's language, owner hidden if discreet."""

from __future__ import annotations

from shared.auth import Caller
from shared.i18n import pick

from ..models import Organisation, Project
from .access import is_owner_member
from .views import call_shown, owner_shown


def item(project: Project, owner: Organisation | None, caller: Caller | None, language) -> dict:
    return {
        "id": project.id,
        "kind": project.kind,
        "state": project.state,
        "owner": owner_shown(project, owner, caller),
        "title": pick(project.title, language),
        "summary": pick(project.summary, language),
        "sectors": list(project.sectors),
        "visibility": project.visibility,
        "call": call_shown(project),
        "created_at": project.created_at,
    }


# The columns a list item shows, and no more: search is the hot path (JSON decoding costs).
LIST_COLUMNS = [
    Project.id,
    Project.organisation_id,
    Project.kind,
    Project.state,
    Project.title,
    Project.summary,
    Project.sectors,
    Project.visibility,
    Project.anonymous,
    Project.call_deadline,
    Project.call_closed_at,
    Project.created_at,
    Organisation.name.label("owner_name"),
    Organisation.name_zh.label("owner_name_zh"),
    Organisation.country.label("owner_country"),
    Organisation.kind.label("owner_kind"),
    Organisation.size.label("owner_size"),
]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def row_item(row, caller: Caller | None, language) -> dict:
    """A list item from a row of `LIST_COLUMNS`, JSON-ready (no serializer on the hot path)."""
    owner = {"country": row.owner_country, "kind": row.owner_kind, "size": row.owner_size}
    if row.anonymous and not is_owner_member(caller, row):
        owner["anonymous"] = True
    else:
        owner |= {
            "anonymous": False,
            "id": str(row.organisation_id),
            "name": row.owner_name,
            "name_zh": row.owner_name_zh,
        }
    call = None
    if row.call_deadline is not None:
        call = {
            "deadline": _iso(row.call_deadline),
            "closed_at": _iso(row.call_closed_at),
            "open": row.state == "open" and row.call_closed_at is None,
        }
    return {
        "id": str(row.id),
        "kind": row.kind,
        "state": row.state,
        "owner": owner,
        "title": pick(row.title, language),
        "summary": pick(row.summary, language),
        "sectors": list(row.sectors),
        "visibility": row.visibility,
        "call": call,
        "created_at": _iso(row.created_at),
    }
