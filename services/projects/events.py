"""Events projects handles: members' organisations, kept locally, and people who leave."""

from sqlalchemy import update

from shared import revocation
from shared.projections import organisation_handlers

from .models import (
    Application,
    Milestone,
    Organisation,
    Project,
    StaffAction,
    StateChange,
    access_revocations,
)


def forget_person(session, data: dict, envelope: dict) -> None:
    """A person deleted their account: keep what they did, no longer who did it."""
    person = data["id"]
    session.execute(update(Project).where(Project.created_by == person).values(created_by=None))
    session.execute(
        update(StateChange).where(StateChange.changed_by == person).values(changed_by=None)
    )
    session.execute(update(Milestone).where(Milestone.updated_by == person).values(updated_by=None))
    session.execute(
        update(Application).where(Application.submitted_by == person).values(submitted_by=None)
    )
    session.execute(
        update(Application).where(Application.decided_by == person).values(decided_by=None)
    )
    session.execute(update(StaffAction).where(StaffAction.user_id == person).values(user_id=None))


HANDLERS = {
    **organisation_handlers(Organisation),
    "user.deleted": forget_person,
    **revocation.handlers(access_revocations),
}
