"""Events projects handles: members' organisations, kept locally, and people who leave."""

from sqlalchemy import update

from shared import revocation
from shared.erasure import Person, erase_from_event_tables
from shared.personal_data import part_handler
from shared.projections import organisation_handlers

from .domain import personal_data
from .models import (
    Application,
    Milestone,
    Organisation,
    Project,
    StaffAction,
    StateChange,
    access_revocations,
    db,
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
    erase_from_event_tables(session, db, Person(str(person)))


HANDLERS = {
    **organisation_handlers(Organisation),
    "user.deleted": forget_person,
    "personal_data.export_requested": part_handler(personal_data.collect),
    **revocation.handlers(access_revocations),
}
