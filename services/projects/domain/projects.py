"""Projects: creation as a draft, edits by the owner, the allowed state moves, milestones."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from shared import markdown
from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.events import emit
from shared.organisation_status import DRAFTS, PUBLISH

from ..models import Milestone, Partner, Project, ProjectTerm, StateChange
from . import access, audit, search_terms
from .views import event_project
from .vocabulary import TRANSITIONS

EDITABLE = (
    "kind",
    "title",
    "summary",
    "description",
    "sectors",
    "keywords",
    "seeks_countries",
    "seeks_kinds",
    "seeks_skills",
    "starts_on",
    "ends_on",
    "budget_min",
    "budget_max",
    "budget_currency",
    "funding_scheme",
    "visibility",
    "attachments",
    "anonymous",
    "call_deadline",
)


def _check(project: Project) -> None:
    """Rules across fields, checked on the project as it would be after the write."""
    if project.starts_on and project.ends_on and project.ends_on < project.starts_on:
        raise ValidationFailed.field("ends_on", "The programme ends before it starts.")
    if (
        project.budget_min is not None
        and project.budget_max is not None
        and project.budget_max < project.budget_min
    ):
        raise ValidationFailed.field("budget_max", "The budget's maximum is below its minimum.")
    if (project.budget_min is not None or project.budget_max is not None) and not (
        project.budget_currency
    ):
        raise ValidationFailed.field("budget_currency", "Say in which currency the budget is.")


def _check_deadline(deadline) -> None:
    if deadline is not None and deadline <= utcnow():
        raise ValidationFailed.field("call_deadline", "The call's deadline must be in the future.")


def index_terms(session: Session, project: Project) -> None:
    """Rebuild the project's search terms."""
    session.execute(delete(ProjectTerm).where(ProjectTerm.project_id == project.id))
    terms = search_terms.project_terms(
        title=project.title,
        summary=project.summary,
        description=project.description,
        keywords=project.keywords,
        sectors=project.sectors,
        seeks_countries=project.seeks_countries,
        seeks_kinds=project.seeks_kinds,
        seeks_skills=project.seeks_skills,
        kind=project.kind,
    )
    if terms:
        session.execute(
            insert(ProjectTerm), [{"term": t, "project_id": project.id} for t in sorted(terms)]
        )


def _record(session: Session, caller: Caller | None, project, from_state, to_state, note=None):
    session.add(
        StateChange(
            project_id=project.id,
            from_state=from_state,
            to_state=to_state,
            changed_by=caller.user_id if caller else None,
            by_platform_admin=bool(caller and caller.is_platform_admin),
            note=note,
        )
    )


def create(session: Session, caller: Caller, payload: dict) -> Project:
    """A draft project owned by the caller's organisation (pending ones write drafts too)."""
    owner = access.acting_organisation(session, caller, DRAFTS)
    _check_deadline(payload.get("call_deadline"))
    project = Project(
        id=uuid.uuid4(),
        organisation_id=owner.id,
        state="draft",
        created_by=caller.user_id,
        **{name: payload[name] for name in EDITABLE if name in payload},
    )
    project.description_html = markdown.render_localized(project.description)
    _check(project)
    session.add(project)
    session.flush()
    _record(session, caller, project, None, "draft")
    index_terms(session, project)
    return project


def update(session: Session, caller: Caller, project_id, payload: dict) -> Project:
    """Change what the owner wrote; published projects say so with project.updated."""
    project = access.editable(session, caller, project_id)
    if project.state in ("completed", "cancelled"):
        raise Conflict(
            f"A {project.state} project is not edited any more.", code="project.not_editable"
        )
    if "call_deadline" in payload and payload["call_deadline"] != project.call_deadline:
        _check_deadline(payload["call_deadline"])
        if project.state not in ("draft", "open"):
            raise Conflict(
                "Only a draft or open project carries a call for partners.",
                code="project.call_not_allowed",
            )
        if project.state == "open" and payload["call_deadline"] is None:
            raise ValidationFailed.field("call_deadline", "An open call keeps a deadline.")
        project.call_closed_at = None  # a new deadline reopens the call
    if payload.get("anonymous") and not project.anonymous:
        has_partner = session.scalar(
            select(Partner.project_id).where(Partner.project_id == project.id)
        )
        if has_partner is not None:
            raise Conflict(
                "A project that accepted a partner has shown its owner for good.",
                code="project.owner_shown",
            )
    for name in EDITABLE:
        if name in payload:
            setattr(project, name, payload[name])
    if "description" in payload:
        project.description_html = markdown.render_localized(project.description)
    _check(project)
    project.updated_at = utcnow()
    index_terms(session, project)
    session.flush()
    audit.record(session, caller, project, "update", fields=sorted(payload))
    if project.state != "draft":
        emit(session, "project.updated", {"project": event_project(project)})
    return project


def transition(session: Session, caller: Caller, project_id, to_state: str, note=None) -> Project:
    """Move a project along an allowed transition, recorded and announced."""
    project = access.administrable(session, caller, project_id)
    from_state = project.state
    if to_state not in TRANSITIONS[from_state]:
        allowed = ", ".join(TRANSITIONS[from_state]) or "none"
        raise Conflict(
            f"A {from_state} project cannot become {to_state} (allowed: {allowed}).",
            code="project.transition_not_allowed",
        )
    now = utcnow()
    if to_state == "open":
        # Publishing: the owner must still be in good standing, and the call needs a deadline.
        if not caller.is_platform_admin:
            access.acting_organisation(session, caller, PUBLISH)
        if project.call_deadline is None:
            raise ValidationFailed.field(
                "call_deadline", "Set the call for partners' deadline before opening it."
            )
        _check_deadline(project.call_deadline)
        project.call_closed_at = None
    project.state = to_state
    project.updated_at = now
    _record(session, caller, project, from_state, to_state, note)
    audit.record(session, caller, project, "transition", from_state=from_state, to_state=to_state)
    session.flush()
    if to_state == "open":
        emit(session, "project.published", {"project": event_project(project)})
    emit(
        session,
        "project.state_changed",
        {
            "project": event_project(project),
            "from_state": from_state,
            "to_state": to_state,
            "changed_by": str(caller.user_id) if caller.user_id else None,
        },
    )
    if from_state == "open" and project.call_closed_at is None:
        close_call(session, project, now)
    return project


def close_call(session: Session, project: Project, when) -> None:
    """Close a project's call for partners and say so."""
    project.call_closed_at = when
    session.flush()
    emit(
        session,
        "project.call_closed",
        {"project": event_project(project), "closed_at": when.isoformat()},
    )


CLOSE_BATCH = 500


def close_due_calls(session: Session, now=None, batch: int = CLOSE_BATCH) -> int:
    """Close every open call whose deadline has passed; how many were closed."""
    now = now or utcnow()
    due = session.scalars(
        select(Project)
        .where(
            Project.call_closed_at.is_(None),
            Project.call_deadline <= now,
            Project.state == "open",
        )
        .order_by(Project.call_deadline)
        .limit(batch)
        .with_for_update(skip_locked=True)
    ).all()
    for project in due:
        close_call(session, project, now)
    return len(due)


def history(session: Session, caller: Caller, project_id) -> list[dict]:
    """The project's states in order; a discreet owner's people are not named to others (their
    ids appear in the history of the owner's named projects, so they would name the owner)."""
    project = access.readable(session, caller, project_id)
    discreet = project.anonymous and not access.is_owner_member(caller, project)
    changes = session.scalars(
        select(StateChange)
        .where(StateChange.project_id == project_id)
        .order_by(StateChange.changed_at, StateChange.id)
    )
    columns = [c.key for c in StateChange.__table__.columns]
    return [
        {
            **{key: getattr(change, key) for key in columns},
            "changed_by": None if discreet else change.changed_by,
        }
        for change in changes
    ]


def milestones(session: Session, project_id) -> list[Milestone]:
    return list(
        session.scalars(
            select(Milestone)
            .where(Milestone.project_id == project_id)
            .order_by(Milestone.due_on, Milestone.id)
        )
    )


def add_milestone(session: Session, caller: Caller, project_id, payload: dict) -> Milestone:
    """A milestone of an active project, set by its owner's members."""
    project = access.editable(session, caller, project_id)
    if project.state != "active":
        raise Conflict(
            "Milestones belong to active projects.", code="project.milestones_need_active"
        )
    if payload.get("starts_on") and payload["starts_on"] > payload["due_on"]:
        raise ValidationFailed.field("due_on", "The milestone is due before it starts.")
    milestone = Milestone(project_id=project.id, updated_by=caller.user_id, **payload)
    session.add(milestone)
    session.flush()
    audit.record(session, caller, project, "add_milestone", milestone_id=milestone.id)
    return milestone


def update_milestone(
    session: Session, caller: Caller, project_id, milestone_id, payload: dict
) -> Milestone:
    project = access.editable(session, caller, project_id)
    if project.state != "active":
        raise Conflict(
            "Milestones of a project that is not active are frozen.",
            code="project.milestones_frozen",
        )
    milestone = session.get(Milestone, milestone_id)
    if milestone is None or milestone.project_id != project.id:
        raise NotFound("No such milestone.")
    for name, value in payload.items():
        setattr(milestone, name, value)
    if milestone.starts_on and milestone.starts_on > milestone.due_on:
        raise ValidationFailed.field("due_on", "The milestone is due before it starts.")
    milestone.updated_by = caller.user_id
    audit.record(session, caller, project, "update_milestone", milestone_id=milestone.id)
    session.flush()
    return milestone
