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
