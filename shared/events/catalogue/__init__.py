"""The event catalogue: every integration event type, its version, schema and subscribers.

Each publishing service lists its event types in its own module here (`members.py`,
`projects.py`, ...). The catalogue is what the outbox validates before a write commits, what a
consumer checks before it handles, what webhooks offer integrators, and what `docs/events.md`
is generated from (`python -m shared.events.catalogue > docs/events.md`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from marshmallow import EXCLUDE, Schema, ValidationError, fields

from shared.events.catalogue.event_type import SERVICES, EventType


class InvalidEvent(Exception):
    """An envelope the catalogue does not accept; `reason` says why, for a dead-letter record."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class EnvelopeSchema(Schema):
    """`{id, type, version, occurred_at, source, correlation_id, data}`, JSON only."""

    class Meta:
        unknown = EXCLUDE

    id = fields.UUID(required=True)
    type = fields.String(required=True)
    version = fields.Integer(required=True, strict=True)
    occurred_at = fields.AwareDateTime(required=True, default_timezone=dt.UTC)
    source = fields.String(required=True)
    correlation_id = fields.String(allow_none=True, load_default=None)
    data = fields.Dict(required=True)


_ENVELOPE = EnvelopeSchema()


def _load_all() -> dict[tuple[str, int], EventType]:
    from shared.events.catalogue import announcements, members, notifications, projects

    found: dict[tuple[str, int], EventType] = {}
    for module in (members, projects, announcements, notifications):
        source = module.__name__.rsplit(".", 1)[1]
        for event_type in module.EVENTS:
            if event_type.key in found:
                raise RuntimeError(f"{event_type.key} is declared twice in the catalogue")
            unknown = set(event_type.subscribers) - set(SERVICES)
            if unknown:
                raise RuntimeError(f"{event_type.name} names unknown subscribers {unknown}")
            object.__setattr__(event_type, "source", source)
            found[event_type.key] = event_type
    return found


_CATALOGUE: dict[tuple[str, int], EventType] | None = None


def catalogue() -> dict[tuple[str, int], EventType]:
    """Every event type, by `(name, version)`."""
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = _load_all()
    return _CATALOGUE


def get(name: str, version: int) -> EventType:
    """The catalogue entry; InvalidEvent when the type or that version is unknown."""
    entry = catalogue().get((name, version))
    if entry is None:
        known = sorted(v for (n, v) in catalogue() if n == name)
        if known:
            raise InvalidEvent(f"unknown version {version} of {name} (known: {known})")
        raise InvalidEvent(f"unknown event type {name!r}")
    return entry


def latest(name: str) -> EventType:
    """The newest version of an event type: the one a publisher emits."""
    versions = [entry for (n, _v), entry in catalogue().items() if n == name]
    if not versions:
        raise InvalidEvent(f"unknown event type {name!r}")
    return max(versions, key=lambda entry: entry.version)


def published_by(service: str) -> list[EventType]:
    return [entry for entry in catalogue().values() if entry.source == service]


def subscribed_by(service: str) -> list[EventType]:
    return [entry for entry in catalogue().values() if service in entry.subscribers]


def _plainly_well_formed(envelope) -> bool:
    """The envelope as publishers send it, checked by hand in a few microseconds.

    True only for envelopes `EnvelopeSchema` accepts too (the same parsers, stricter types);
    anything else goes through the schema, for its verdict and its message. Every event handled
    passes here, and the schema alone costs more than the rest of the envelope's handling.
    """
    try:
        correlation_id = envelope.get("correlation_id")
        occurred = envelope["occurred_at"]
        return (
            type(envelope["id"]) is str
            and uuid.UUID(envelope["id"]) is not None
            and type(envelope["type"]) is str
            and type(envelope["version"]) is int
            and type(envelope["source"]) is str
            and (correlation_id is None or type(correlation_id) is str)
            and type(envelope["data"]) is dict
            and (isinstance(occurred, dt.datetime) or _is_iso_datetime(occurred))
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        return False


def _is_iso_datetime(value) -> bool:
    return type(value) is str and dt.datetime.fromisoformat(value) is not None


def validate(envelope: dict) -> tuple[EventType, dict]:
    """Check an envelope and its data against the catalogue; the entry and the loaded data."""
    if not _plainly_well_formed(envelope):
        errors = _ENVELOPE.validate(envelope)
        if errors:
            raise InvalidEvent(f"malformed envelope: {errors}")
    entry = get(envelope["type"], envelope["version"])
    if envelope["source"] != entry.source:
        raise InvalidEvent(f"{entry.name} comes from {entry.source}, not {envelope['source']}")
    try:
        data = entry.load(envelope["data"])
    except ValidationError as exc:
        raise InvalidEvent(
            f"data of {entry.name} v{entry.version} invalid: {exc.messages}"
        ) from exc
    return entry, data
