"""Events notifications handles: members' data kept locally, and every subscribed event told
to the people it concerns (inbox) and to the webhooks that may see it."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import delete, update

from shared import revocation
from shared.erasure import Person, erase_from_event_tables, redact, redact_rows
from shared.events import catalogue
from shared.personal_data import part_handler
from shared.projections import ORGANISATION_EVENTS, organisation_handlers, people_handlers

from .domain import inbox, late_recipients, meetings, personal_data
from .domain.fanout import webhook_messages
from .domain.recipients import recipients
from .models import (
    Broadcast,
    Email,
    ForgottenPerson,
    Membership,
    Notification,
    Organisation,
    Preference,
    QuietHours,
    User,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookMessage,
    access_revocations,
    db,
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
    envelope = without_forgotten(session, envelope)
    late_recipients.remember(session, entry, envelope)
    at = late_recipients.occurred(envelope)
    if entry.name in meetings.TITLES:
        meetings.write(session, entry.name, envelope["data"], envelope["id"], at)
    else:
        who = recipients(session, entry.name, data, at)
        inbox.write(session, entry.name, envelope["data"], envelope["id"], who)
    if webhook_messages(session, entry, envelope):
        session.info["webhooks_due"] = True


def without_forgotten(session, envelope: dict) -> dict:
    """The envelope as `forget_person` would have left it, when it names a person whose
    `user.deleted` came first (events arrive in any order): inbox texts, webhook payloads and
    the events kept for late recipients never bring back a deleted person's name or e-mail."""
    raw = envelope["data"]
    user_id = raw.get("user_id") if isinstance(raw, dict) else None
    if not user_id or session.get(ForgottenPerson, uuid.UUID(str(user_id))) is None:
        return envelope
    person = Person(str(user_id), raw.get("email"), raw.get("full_name"))
    return {**envelope, "data": redact(raw, person)}


def forget_person(session, data: dict, envelope: dict) -> None:
    """A deleted account leaves no inbox, preferences or e-mails behind, and nothing kept for
    others (their inbox items, webhook messages and the responses to them, the events kept for
    late recipients) names them any more."""
    user_id = data["id"]
    known = session.get(User, user_id)
    person = Person(
        str(user_id), known.email if known else None, known.full_name if known else None
    )
    for model in (Email, Notification, Preference, QuietHours):
        session.execute(delete(model).where(model.user_id == user_id))
    # An endpoint they added stays their organisation's; who added it is no longer said.
    session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.created_by == str(user_id))
        .values(created_by="")
    )
    notifications = Notification.__table__
    redact_rows(session, notifications, [notifications.c.title, notifications.c.body], person)
    redact_rows(session, notifications, [notifications.c.texts], person)
    redact_rows(session, WebhookMessage.__table__, [WebhookMessage.__table__.c.payload], person)
    attempts = WebhookAttempt.__table__
    redact_rows(session, attempts, [attempts.c.response_body], person)
    redact_rows(session, Broadcast.__table__, [Broadcast.__table__.c.data], person)
    meetings.forget(session, str(user_id))
    erase_from_event_tables(session, db, person)


def keep_staff(session, data: dict, envelope: dict) -> None:
    """The platform staff a registration names, kept like people `user.updated` describes:
    staff belong to no organisation, so no membership event told notifications of them."""
    for person in data["staff"]:
        PROJECTIONS["user.updated"](session, person, envelope)


PROJECTIONS["organisation.registration_received"] = keep_staff
# Meetings are kept for their reminders, then told like any other event.
PROJECTIONS.update(dict.fromkeys(meetings.MEETING_EVENTS, meetings.keep))
PROJECTIONS["user.deleted"] = _chain(forget_person, PROJECTIONS["user.deleted"])
# Not a projection, but like one it tells nobody anything: no fan-out follows it.
PROJECTIONS["personal_data.export_requested"] = part_handler(personal_data.collect)


# After these, people the projections did not know of hear what they missed.
CATCH_UP = {
    "member.joined": late_recipients.after_membership,
    "member.role_changed": late_recipients.after_membership,
    **dict.fromkeys(ORGANISATION_EVENTS, late_recipients.after_organisation),
}


def _handler(name: str) -> Callable:
    projection = PROJECTIONS.get(name)
    if projection is None:
        return fan_out
    catch_up = CATCH_UP.get(name)

    def handle(session, data: dict, envelope: dict) -> None:
        projection(session, data, envelope)
        session.flush()
        if catch_up is not None:
            catch_up(session, data, envelope)
        fan_out(session, data, envelope)

    handle.__name__ = f"handle_{name.replace('.', '_')}"
    return handle


HANDLERS = {entry.name: _handler(entry.name) for entry in catalogue.subscribed_by("notifications")}
HANDLERS.update(revocation.handlers(access_revocations))
