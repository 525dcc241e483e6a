"""The requests webhook endpoints receive, in the OpenAPI document's `webhooks` section (3.1).

One entry per event type an endpoint can subscribe to (`endpoints.offered_types()`), and the
test event. Each body is what delivery sends (`fanout.webhook_messages`: `{type, timestamp,
data}`), its `data` the catalogue's schema converted by the same apispec converter as the rest of
the document, as any receiving organisation may see it (`visibility.redacted`). Integrators
generate typed handlers from it, as they do from Stripe's or GitHub's.
"""

from __future__ import annotations

from flask import Flask

from shared.openapi import PlatformApi

from ..domain import endpoints, visibility
from ..schemas.webhooks import WebhookTestData

EXAMPLE_TIMESTAMP = "2026-11-25T09:30:00+00:00"
TEST_EVENT_DESCRIPTION = (
    "Sent on request (`POST .../webhooks/{endpoint_id}/test`) to check an endpoint; whatever "
    "event types the endpoint chose."
)
STANDARD_ONLY = (
    "This is the body of a standard endpoint; chat-group endpoints (`flavour` slack, teams, "
    "wecom, dingtalk, feishu) receive the same events in their product's own format."
)


def document(app: Flask) -> None:
    """Add every webhook the service sends to the app's OpenAPI document."""
    api: PlatformApi = app.extensions["api"]
    responses = _responses(app.config)
    for entry in endpoints.offered_types():
        data = _data_schema(api, entry.schema)
        example = visibility.without_meeting_people(entry.example)
        _add(api, entry.name, entry.description, data, example, responses)
    example = {"endpoint_id": "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "message": "Hello."}
    data = _data_schema(api, WebhookTestData)
    _add(api, endpoints.TEST_EVENT, TEST_EVENT_DESCRIPTION, data, example, responses)


def _add(api, name, description, data, example, responses) -> None:
    body_name = "".join(part.capitalize() for part in name.replace(".", "_").split("_"))
    api.spec.components.schema(
        f"{body_name}Webhook",
        {
            "type": "object",
            "description": f"The body of a `{name}` webhook.",
            "properties": {
                "type": {"type": "string", "const": name},
                "timestamp": {
                    "type": "string",
                    "format": "date-time",
                    "description": "when the event happened (`webhook-timestamp`: when sent)",
                },
                "data": data,
            },
            "required": ["type", "timestamp", "data"],
            "additionalProperties": False,
        },
    )
    api.webhook(
        name,
        summary=description.split(":")[0].rstrip("."),
        description=f"{description}\n\n{STANDARD_ONLY}",
        body={"$ref": f"#/components/schemas/{body_name}Webhook"},
        responses=responses,
        example={"type": name, "timestamp": EXAMPLE_TIMESTAMP, "data": example},
    )


def _data_schema(api: PlatformApi, schema) -> dict:
    """A `$ref` to the component of `schema`, registered once, with what a discreet project's
    owner hides from others left out of what `data` must hold, and a meeting's people (never
    sent) left out altogether."""
    ref = api.ma_plugin.converter.resolve_nested_schema(schema)
    components = api.spec.components.schemas
    component = components[ref["$ref"].rsplit("/", 1)[1]]
    project = component["properties"].get("project", {}).get("$ref")
    if project is not None:
        project = components[project.rsplit("/", 1)[1]]
        project["required"] = [f for f in project["required"] if f not in visibility.OWNER_FIELDS]
        for name in visibility.OWNER_FIELDS:
            project["properties"][name]["description"] = (
                "the owner; absent when the project is anonymous and you are not its owner"
            )
    meeting = component["properties"].get("meeting", {}).get("$ref")
    if meeting is not None:
        meeting = components[meeting.rsplit("/", 1)[1]]
        for name in visibility.MEETING_PEOPLE:
            meeting["properties"].pop(name, None)
    for name in visibility.OWNER_PEOPLE:
        documented = component["properties"].get(name)
        if documented is not None and "null" not in documented["type"]:
            raise ValueError(f"{name} is hidden (null) from others: the catalogue must allow it")
    return ref


def _responses(config) -> dict:
    """What the platform makes of the endpoint's answer (`domain.delivery`), as configured."""
    timeout = f"{config['WEBHOOKS_TIMEOUT']:g} s"
    waits = f"{config['WEBHOOKS_THROTTLED_MIN_DELAY']:g} s"
    schedule = ", ".join(f"{s:g} s" for s in config["WEBHOOKS_RETRY_SCHEDULE"][1:])
    jitter = f"{config['WEBHOOKS_RETRY_JITTER'] * 100:g} %"
    retry_after = {
        "description": "seconds, or an HTTP date: the next attempt waits at least that long "
        f"(up to {config['WEBHOOKS_RETRY_AFTER_MAX']:g} s)",
        "schema": {"type": "string"},
    }
    return {
        "2XX": {
            "description": f"Delivered: any 2xx within {timeout}. Answer first, work afterwards."
        },
        "410": {
            "description": "Gone: the endpoint is disabled at once; its messages are held until "
            "it is enabled again and recovered."
        },
        "429": {
            "description": f"Too many requests: retried, no sooner than {waits}.",
            "headers": {"Retry-After": retry_after},
        },
        "503": {
            "description": "Unavailable: retried on the schedule.",
            "headers": {"Retry-After": retry_after},
        },
        "default": {
            "description": "Anything else (a 3xx included: redirects are not followed), or no "
            f"answer within {timeout} (then the next attempt waits at least {waits}): retried "
            f"after {schedule} (each ± {jitter}), then failed. An endpoint whose deliveries all "
            "fail for days is disabled."
        },
    }
