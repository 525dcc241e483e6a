"""Who may see and change what: owners, their admins, members of verified organisations, staff."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared import organisation_status
from shared.auth import Caller
from shared.errors import Forbidden, NotFound

from ..models import Organisation, Project
from .vocabulary import PUBLISHED_STATES


def acting_organisation(session: Session, caller: Caller, capability: str) -> Organisation:
    """The caller's organisation, known here, while its status allows `capability`
    (`shared.organisation_status`: drafts for pending ones, publishing for verified ones)."""
    if caller.organisation_id is None:
        raise Forbidden("Act for an organisation: your token names none.", code="organisation.none")
    organisation = session.get(Organisation, caller.organisation_id)
    organisation_status.ensure(organisation.status if organisation else None, capability)
    return organisation


def is_owner_member(caller: Caller | None, project: Project) -> bool:
    return caller is not None and (
        caller.is_platform_admin or caller.belongs_to(project.organisation_id)
    )


def is_owner_admin(caller: Caller | None, project: Project) -> bool:
    return caller is not None and caller.is_admin_of(project.organisation_id)


def caller_is_verified_member(session: Session, caller: Caller | None) -> bool:
    if caller is None or caller.organisation_id is None:
        return False
    organisation = session.get(Organisation, caller.organisation_id)
    return organisation is not None and organisation.is_verified


def can_read(session: Session, caller: Caller | None, project: Project) -> bool:
    """Published public projects for anyone, even anonymous; members-only ones for verified
    members; drafts for their owner's members and staff."""
    if is_owner_member(caller, project):
        return True
    if project.state not in PUBLISHED_STATES:
        return False
    if project.visibility == "public":
        return True
    return caller_is_verified_member(session, caller)


def readable(session: Session, caller: Caller | None, project_id, *, lock=False) -> Project:
    """The project if the caller may see it; NotFound otherwise (existence is not disclosed)."""
    project = session.get(Project, project_id, with_for_update=lock)
    if project is None or not can_read(session, caller, project):
        raise NotFound("No such project.")
    return project


def editable(session: Session, caller: Caller, project_id) -> Project:
    """The project if the caller acts for its owner (or is staff)."""
    project = readable(session, caller, project_id, lock=True)
    if not is_owner_member(caller, project):
        raise Forbidden("Only the owner organisation's members edit this project.")
    return project


def administrable(session: Session, caller: Caller, project_id) -> Project:
    """The project if the caller is an admin of its owner (or is staff)."""
    project = readable(session, caller, project_id, lock=True)
    if not is_owner_admin(caller, project):
        raise Forbidden("Only the owner organisation's admins may do this.")
    return project
