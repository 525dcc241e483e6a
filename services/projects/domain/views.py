"""Projects as events carry them and as each reader may see them (discreet owners hidden)."""

from __future__ import annotations

from shared.auth import Caller

from ..models import Organisation, Project
from .access import is_owner_member


def event_project(project: Project) -> dict:
    """The `project` block every project.* event carries (owner id always, see the contract)."""
    return {
        "id": str(project.id),
        "organisation_id": str(project.organisation_id),
        "anonymous": project.anonymous,
        "visibility": project.visibility,
        "kind": project.kind,
        "state": project.state,
        "title": dict(project.title),
        "summary": dict(project.summary),
        "sectors": list(project.sectors),
        "call_deadline": project.call_deadline.isoformat() if project.call_deadline else None,
    }


def owner_shown(project: Project, owner: Organisation | None, caller: Caller | None) -> dict:
    """The owner as this reader may see it: country, kind and size only while discreet."""
    if owner is None:
        return {"id": str(project.organisation_id)}
    shown = {"country": owner.country, "kind": owner.kind, "size": owner.size}
    if project.anonymous and not is_owner_member(caller, project):
        return {**shown, "anonymous": True}
    named = {"anonymous": False, "id": str(owner.id), "name": owner.name, "name_zh": owner.name_zh}
    if is_owner_member(caller, project):
        named["discreet"] = bool(project.anonymous)  # so the owner's edit form shows its choice
    return {**shown, **named}


def call_shown(project: Project) -> dict | None:
    if project.call_deadline is None:
        return None
    return {
        "deadline": project.call_deadline,
        "closed_at": project.call_closed_at,
        "open": project.call_open,
    }
