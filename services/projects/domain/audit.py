"""Platform admins may do everything an owner does; each such action is kept on record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.errors import Forbidden

from ..models import Project, StaffAction


def record(session: Session, caller: Caller, project: Project, action: str, **detail) -> None:
    """Keep a staff action when the caller acted as a platform admin (owners' are not kept)."""
    if not caller.is_platform_admin or caller.belongs_to(project.organisation_id):
        return
    plain = {
        k: (str(v) if not isinstance(v, (str, int, bool, list, type(None))) else v)
        for k, v in detail.items()
    }
    session.add(
        StaffAction(project_id=project.id, user_id=caller.user_id, action=action, detail=plain)
    )


def of_project(session: Session, caller: Caller, project_id) -> list[StaffAction]:
    if not caller.is_platform_admin:
        raise Forbidden("The record of staff actions is for platform admins.")
    return list(
        session.scalars(
            select(StaffAction)
            .where(StaffAction.project_id == project_id)
            .order_by(StaffAction.acted_at, StaffAction.id)
        )
    )
