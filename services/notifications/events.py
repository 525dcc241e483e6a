"""Events notifications handles: members' data kept locally, and every subscribed event told
to the people it concerns (inbox) and to the webhooks that may see it."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete

from shared import revocation
from shared.events import catalogue
from shared.projections import organisation_handlers, people_handlers

from .domain import inbox
from .domain.fanout import webhook_messages
from .domain.recipients import recipients
from .models import (
    Email,
    ForgottenPerson,
    Membership,
    Notification,
    Organisation,
    Preference,
    QuietHours,
    User,
    access_revocations,
)

PROJECTIONS = {
    **organisation_handlers(Organisation),
    **people_handlers(User, Membership, ForgottenPerson),
}


def _chain(*handlers: Callable) -> Callable:
    def handle(session, data: dict, envelope: dict) -> None:
        for handler in handlers:
            handler(session, data, envelope)

    return handle


def fan_out(session, data: dict, envelope: dict) -> None:
    """Inbox rows for the people concerned and webhook messages, each in one INSERT."""
    entry = catalogue.get(envelope["type"], envelope["version"])
    inbox.write(
        session, entry.name, envelope["data"], envelope["id"], recipients(session, entry.name, data)
    )
    if webhook_messages(session, entry, envelope):
        session.info["webhooks_due"] = True


def forget_person(session, data: dict, envelope: dict) -> None:
    """A deleted account leaves no inbox, preferences or e-mails behind."""
    user_id = data["id"]
    for model in (Email, Notification, Preference, QuietHours):
        session.execute(delete(model).where(model.user_id == user_id))


PROJECTIONS["user.deleted"] = _chain(PROJECTIONS["user.deleted"], forget_person)


def _handler(name: str) -> Callable:
    projection = PROJECTIONS.get(name)
    if projection is None:
        return fan_out

    def handle(session, data: dict, envelope: dict) -> None:
        projection(session, data, envelope)
        session.flush()
        fan_out(session, data, envelope)

    handle.__name__ = f"handle_{name.replace('.', '_')}"
    return handle


HANDLERS = {entry.name: _handler(entry.name) for entry in catalogue.subscribed_by("notifications")}
HANDLERS.update(revocation.handlers(access_revocations))
