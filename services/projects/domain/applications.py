"""Applications to calls for partners: submitted, decided by the owner's admins, or withdrawn."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, Forbidden, NotFound
from shared.events import emit
from shared.i18n import pick
from shared.organisation_status import PUBLISH
from shared.pagination import keyset, page

from ..models import Application, Partner, Project
from . import access, audit
from .views import event_project


def submit(session: Session, caller: Caller, project_id, message: str) -> Application:
    """The caller's organisation applies to an open call (never its own project, once at a time)."""
    organisation = access.acting_organisation(session, caller, PUBLISH)
    project = access.readable(session, caller, project_id, lock=True)
    if project.organisation_id == organisation.id:
        raise Conflict(
            "An organisation does not apply to its own project.", code="application.own_project"
        )
    if not project.call_open:
        raise Conflict(
            "This project's call for partners is not open.", code="application.call_closed"
        )
    if project.call_deadline is not None and project.call_deadline <= utcnow():
        raise Conflict("This call's deadline has passed.", code="application.call_closed")
    if session.get(Partner, (project.id, organisation.id)) is not None:
        raise Conflict(
            "Your organisation is already a partner of this project.",
            code="application.already_partner",
        )
    pending = session.scalar(
        select(Application.id).where(
            Application.project_id == project.id,
            Application.organisation_id == organisation.id,
            Application.status == "pending",
        )
    )
    if pending is not None:
        raise Conflict(
            "Your organisation already has a pending application to this project.",
            code="application.already_pending",
            application_id=str(pending),
        )
    application = Application(
        project_id=project.id,
        organisation_id=organisation.id,
        message=message,
        status="pending",
        submitted_by=caller.user_id,
    )
    session.add(application)
    session.flush()
    emit(
        session,
        "project.application_submitted",
        {
            "application_id": str(application.id),
            "project": event_project(project),
            "applicant_organisation_id": str(organisation.id),
            "message": message,
        },
    )
    return application


def _application(session: Session, application_id) -> tuple[Application, Project]:
    application = session.get(Application, application_id, with_for_update=True)
    if application is None:
        raise NotFound("No such application.")
    return application, session.get(Project, application.project_id)


def visible(session: Session, caller: Caller, application_id) -> Application:
    """An application, for the owner's members, the applicant's members and staff."""
    application, project = _application(session, application_id)
    if not (
        access.is_owner_member(caller, project) or caller.belongs_to(application.organisation_id)
    ):
        raise NotFound("No such application.")
    return application


def decide(
    session: Session, caller: Caller, application_id, decision: str, reason, role: str
) -> Application:
    """The owner's admins accept (the applicant becomes a partner) or reject, with a reason."""
    application, project = _application(session, application_id)
    if not (
        access.is_owner_member(caller, project) or caller.belongs_to(application.organisation_id)
    ):
        raise NotFound("No such application.")
    if not access.is_owner_admin(caller, project):
        raise Forbidden("Only the owner organisation's admins decide applications.")
    if application.status != "pending":
        raise Conflict(
            f"This application is already {application.status}.", code="application.already_decided"
        )
    application.status = decision
    application.reason = reason
    application.decided_by = caller.user_id
    application.decided_at = utcnow()
    if decision == "accepted":
        if project.state not in ("open", "active"):
            raise Conflict(
                f"A {project.state} project takes no new partners.",
                code="application.project_closed",
            )
        application.role = role
        session.add(
            Partner(project_id=project.id, organisation_id=application.organisation_id, role=role)
        )
        project.anonymous = False  # a discreet owner shows itself once it accepts a partner
    audit.record(
        session, caller, project, "decide", application_id=application.id, decision=decision
    )
    session.flush()
    emit(
        session,
        "project.application_decided",
        {
            "application_id": str(application.id),
            "project": event_project(project),
            "applicant_organisation_id": str(application.organisation_id),
            "decision": decision,
            "reason": reason,
        },
    )
    if decision == "accepted":
        emit(
            session,
            "project.partner_added",
            {
                "project": event_project(project),
                "partner_organisation_id": str(application.organisation_id),
                "role": role,
            },
        )
    return application


def withdraw(session: Session, caller: Caller, application_id) -> Application:
    """The applicant's members withdraw a pending application."""
    application, project = _application(session, application_id)
    if not (caller.is_platform_admin or caller.belongs_to(application.organisation_id)):
        if access.is_owner_member(caller, project):
            raise Forbidden("Only the applicant withdraws its application.")
        raise NotFound("No such application.")
    if application.status != "pending":
        raise Conflict(
            f"This application is already {application.status}.", code="application.already_decided"
        )
    application.status = "withdrawn"
    application.decided_at = utcnow()
    application.decided_by = caller.user_id
    session.flush()
    return application


def of_project(session: Session, caller: Caller, project_id) -> list[Application]:
    """Every application for the owner; the caller's own organisation's otherwise."""
    project = access.readable(session, caller, project_id)
    stmt = select(Application).where(Application.project_id == project.id)
    if not access.is_owner_member(caller, project):
        stmt = stmt.where(Application.organisation_id == caller.organisation_id)
    return list(session.scalars(stmt.order_by(Application.submitted_at, Application.id)))


def partners(session: Session, project_id) -> list[Partner]:
    return list(
        session.scalars(
            select(Partner).where(Partner.project_id == project_id).order_by(Partner.joined_at)
        )
    )


def of_organisation(
    session: Session,
    caller: Caller,
    organisation_id,
    *,
    status: str | None,
    cursor: str | None,
    limit: int,
    language: str | None,
) -> dict:
    """The applications an organisation sent, newest first, each with its project's title and
    state: for the organisation's own members and platform staff."""
    if not (caller.is_platform_admin or caller.belongs_to(organisation_id)):
        raise Forbidden("An organisation's applications are for its own members.")
    stmt = (
        select(*Application.__table__.c, Project.title, Project.state)
        .join(Project, Project.id == Application.project_id)
        .where(Application.organisation_id == organisation_id)
    )
    if status:
        stmt = stmt.where(Application.status == status)
    columns = [Application.submitted_at, Application.id]
    rows = [
        dict(row) for row in session.execute(keyset(stmt, columns, cursor, limit, True)).mappings()
    ]
    result = page(rows, limit, lambda row: (row["submitted_at"], row["id"]))
    for item in result["items"]:
        title, state = item.pop("title"), item.pop("state")
        item["project"] = {"id": item["project_id"], "title": pick(title, language), "state": state}
    return result
