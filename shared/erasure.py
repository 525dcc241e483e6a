"""Erasing a person from what a service keeps as JSON or free text.

Records that belong to an organisation or to the platform stay (an application, a webhook
message, an inbox item of someone else, an event in the outbox), but whatever names the person
in them goes: their name becomes "Former member", their e-mail address and their id disappear.
The rows to rewrite are found by a text search of each column for the person's id, e-mail and
name (also as JSON escapes them), so one statement finds them among millions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Column, String, Table, Text, cast, or_, select, update
from sqlalchemy.orm import Session

FORMER_MEMBER = "Former member"
# Where an e-mail address must stay one (an event's schema asks for it): a reserved domain.
ERASED_EMAIL = "former.member@erased.invalid"


@dataclass(frozen=True)
class Person:
    """What identifies someone in stored data."""

    id: str | None
    email: str | None = None
    full_name: str | None = None

    def needles(self) -> set[str]:
        """Every spelling of the person a stored text may hold, JSON's escapes included."""
        found = set()
        for value in (self.id, self.email, self.full_name):
            if value:
                found.add(value)
                found.add(json.dumps(value)[1:-1])  # "\u5f20\u4f1f" for 张伟
        return found


def redact(value, person: Person):
    """`value` (JSON-like, or text) with the person's name, e-mail address and id taken out."""
    if isinstance(value, dict):
        return {key: redact(item, person) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item, person) for item in value]
    if isinstance(value, str):
        if person.id and value == person.id:
            return None
        if person.email and value == person.email:
            return ERASED_EMAIL
        if person.full_name and value == person.full_name:
            return FORMER_MEMBER
        for gone, instead in (
            (person.email, ""),
            (person.full_name, FORMER_MEMBER),
            (person.id, ""),
        ):
            if gone:
                value = value.replace(gone, instead)
        return value
    return value


def redact_rows(
    session: Session, table: Table, columns: Iterable[Column], person: Person, where=None
) -> int:
    """Rewrite the rows of `table` whose `columns` mention the person; how many changed."""
    columns = list(columns)
    mentions = [cast(c, Text).contains(n) for c in columns for n in sorted(person.needles())]
    query = select(*table.primary_key.columns, *columns).where(or_(*mentions))
    if where is not None:
        query = query.where(where)
    changed = 0
    keys = list(table.primary_key.columns)
    for row in session.execute(query).mappings().all():
        values = {}
        for column in columns:
            before = row[column.key]
            after = redact(before, person)
            if after is None and isinstance(column.type, String | Text) and not column.nullable:
                after = ""
            if after != before:
                values[column.key] = after
        if values:
            condition = [key == row[key.key] for key in keys]
            session.execute(update(table).where(*condition).values(**values))
            changed += 1
    return changed


def erase_from_event_tables(session: Session, db, person: Person) -> int:
    """The service's outbox and dead letters: the events it keeps no longer name the person.

    Ids stay (an event must still match its schema when it is sent again); they point at a
    person no service knows any more.
    """
    person = Person(None, person.email, person.full_name)
    if not person.needles():
        return 0
    events = db.events
    outbox = events.outbox
    return redact_rows(session, outbox, [outbox.c.data], person) + redact_rows(
        session, events.dead_letters, [events.dead_letters.c.envelope], person
    )
