"""One version of one event type, as the catalogue declares it (each publisher lists its own)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from marshmallow import Schema

SERVICES = ("members", "projects", "announcements", "notifications")


def _nobody(_data: dict) -> set[str]:
    return set()


def _private(_data: dict) -> bool:
    return False


@dataclass(frozen=True)
class EventType:
    """One version of one event type.

    `concerns(data)` names the organisations the event is about and `public(data)` says whether
    anyone may see it: together they decide which organisations' webhooks may receive it.
    `webhook=False` keeps an event inside the platform (people's personal data, for instance).
    """

    name: str
    version: int
    schema: type[Schema]
    subscribers: tuple[str, ...]
    description: str
    example: dict
    concerns: Callable[[dict], set[str]] = _nobody
    public: Callable[[dict], bool] = _private
    webhook: bool = True
    source: str = field(default="")

    @property
    def key(self) -> tuple[str, int]:
        return self.name, self.version

    def load(self, data: dict) -> dict:
        """The data loaded by this type's schema (one instance per type: building one is slow)."""
        schema = _SCHEMAS.get(self.key)
        if schema is None:
            schema = _SCHEMAS[self.key] = self.schema()
        return schema.load(data)


_SCHEMAS: dict[tuple[str, int], Schema] = {}
