"""The catalogue is the contract between services: examples, handlers, publishers, docs agree."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from shared.events import catalogue
from shared.events.catalogue.__main__ import render

ROOT = Path(__file__).resolve().parents[2]
CONSUMERS = ("projects", "announcements", "notifications")


@pytest.mark.parametrize("entry", catalogue.catalogue().values(), ids=lambda e: e.name)
def test_every_example_is_valid_data_for_its_own_schema(entry):
    assert entry.schema().validate(entry.example) == {}


@pytest.mark.parametrize("service", CONSUMERS)
def test_every_subscribed_type_has_a_handler_and_every_handler_a_subscription(service):
    handlers = importlib.import_module(f"services.{service}.events").HANDLERS
    subscribed = {entry.name for entry in catalogue.subscribed_by(service)}
    assert subscribed, f"{service} subscribes to something"
    assert set(handlers) == subscribed


def test_every_published_type_has_a_subscriber_or_is_offered_to_integrators():
    for entry in catalogue.catalogue().values():
        assert entry.subscribers or entry.webhook, f"{entry.name} goes nowhere"


def test_an_unknown_type_or_version_is_refused_with_its_reason():
    envelope = {
        "id": "6f1c0f6e-3c39-4a7e-9d55-1b8c2f1f6a10",
        "type": "organisation.verified",
        "version": 99,
        "occurred_at": "2026-11-25T09:30:00+00:00",
        "source": "members",
        "data": {},
    }
    with pytest.raises(catalogue.InvalidEvent, match="unknown version 99"):
        catalogue.validate(envelope)
    with pytest.raises(catalogue.InvalidEvent, match="unknown event type"):
        catalogue.validate({**envelope, "type": "organisation.renamed", "version": 1})


def test_an_event_claiming_the_wrong_source_is_refused():
    entry = catalogue.get("organisation.verified", 1)
    envelope = {
        "id": "6f1c0f6e-3c39-4a7e-9d55-1b8c2f1f6a10",
        "type": entry.name,
        "version": 1,
        "occurred_at": "2026-11-25T09:30:00+00:00",
        "source": "projects",
        "data": entry.example,
    }
    with pytest.raises(catalogue.InvalidEvent, match="comes from members"):
        catalogue.validate(envelope)


def test_the_events_page_is_generated_from_the_catalogue():
    page = (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
    assert page == render(), "docs/events.md is stale: python -m shared.events.catalogue > it"


_WELL_FORMED = {
    "id": "6f1c0f6e-3c39-4a7e-9d55-1b8c2f1f6a10",
    "type": "organisation.updated",
    "version": 1,
    "occurred_at": "2026-11-25T09:30:00+00:00",
    "source": "members",
    "correlation_id": None,
    "data": catalogue.get("organisation.updated", 1).example,
}
_MISSING = object()


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"correlation_id": "req-1"},
        {"correlation_id": _MISSING},
        {"occurred_at": "2026-11-25T09:30:00"},
        {"occurred_at": "2026-11-25T17:30:00.123456+08:00"},
        {"id": "6F1C0F6E3C394A7E9D551B8C2F1F6A10"},
        {"version": True},
        {"extra": "ignored"},
        {"id": "not-a-uuid"},
        {"id": 5},
        {"id": None},
        {"type": None},
        {"version": "1"},
        {"version": 1.5},
        {"occurred_at": "yesterday"},
        {"occurred_at": 1764063000},
        {"source": ["members"]},
        {"correlation_id": 7},
        {"data": ["not", "a", "mapping"]},
        {"data": None},
        *({key: _MISSING} for key in ("id", "type", "version", "occurred_at", "source", "data")),
    ],
    ids=repr,
)
def test_an_envelope_is_refused_as_malformed_exactly_when_the_envelope_schema_refuses_it(change):
    envelope = {**_WELL_FORMED, **change}
    envelope = {key: value for key, value in envelope.items() if value is not _MISSING}
    schema_accepts = catalogue.EnvelopeSchema().validate(envelope) == {}
    try:
        catalogue.validate(envelope)
        malformed = False
    except catalogue.InvalidEvent as exc:
        malformed = exc.reason.startswith("malformed envelope")
    assert malformed is not schema_accepts


def test_something_other_than_an_object_is_a_malformed_envelope():
    for envelope in (["an", "array"], "text", None):
        with pytest.raises(catalogue.InvalidEvent, match="malformed envelope"):
            catalogue.validate(envelope)
