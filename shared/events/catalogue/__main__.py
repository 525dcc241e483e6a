"""`python -m shared.events.catalogue > docs/events.md`: the events catalogue as Markdown."""

from __future__ import annotations

import json

from marshmallow import fields

from shared.events.catalogue import SERVICES, EventType, published_by

HEADER = """# Events catalogue

Generated from `shared/events/catalogue/` by `python -m shared.events.catalogue > docs/events.md`;
a test fails when this page is stale. Every event travels in the same envelope:

```json
{"id": "uuid", "type": "organisation.verified", "version": 1,
 "occurred_at": "2026-11-25T09:30:00+00:00", "source": "members",
 "correlation_id": "the request id that caused it", "data": {}}
```

Delivery is at least once and handling exactly once (each consumer records the ids it handled).
`data` carries whole snapshots, so a consumer never needs an earlier event to apply a later one.
An event marked "Webhook: yes" is offered to integrators: it reaches the endpoints of the
organisations it concerns, and every subscribed endpoint when it is public (see the webhooks
guide). Internal events (people's personal data) never leave the platform.
"""


def _field_type(field: fields.Field) -> str:
    if isinstance(field, fields.List):
        return f"list of {_field_type(field.inner)}"
    if isinstance(field, fields.Nested):
        return "object"
    return type(field).__name__.lower().replace("awaredatetime", "datetime")


def _fields_table(entry: EventType) -> list[str]:
    lines = ["| field | type | required |", "| --- | --- | --- |"]
    for name, field in entry.schema().fields.items():
        optional = not field.required
        nullable = " or null" if field.allow_none else ""
        lines.append(
            f"| `{name}` | {_field_type(field)}{nullable} | {'no' if optional else 'yes'} |"
        )
    return lines


def render() -> str:
    """The whole page."""
    out = [HEADER]
    for service in SERVICES:
        entries = sorted(published_by(service), key=lambda e: e.key)
        if not entries:
            continue
        out.append(f"## Published by {service}\n")
        for entry in entries:
            out.append(f"### `{entry.name}` v{entry.version}\n")
            out.append(entry.description + "\n")
            subscribers = ", ".join(entry.subscribers) or "none"
            offered = "yes" if entry.webhook else "no (internal)"
            out.append(f"- Subscribers: {subscribers}\n- Webhook: {offered}\n")
            out.append("\n".join(_fields_table(entry)) + "\n")
            example = json.dumps(entry.example, ensure_ascii=False, indent=2)
            out.append(f"Example `data`:\n\n```json\n{example}\n```\n")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
