"""Event times: stored in UTC, entered and shown in the event's own zone and the reader's."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.errors import ValidationFailed
from shared.vocabulary import time_zones


def zone_names() -> list[str]:
    """Every name `zone` accepts (a region/city, or UTC), as the documents list them."""
    return [name for name in time_zones() if "/" in name or name == "UTC"]


def zone(name: str | None, field: str = "timezone") -> ZoneInfo:
    """The IANA zone called `name`, or a 422 naming the field."""
    try:
        if not name or ("/" not in name and name != "UTC"):
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed.field(field, f"Unknown IANA time zone: {name!r}.") from exc


def to_utc(value: datetime | None, zone_name: str) -> datetime | None:
    """A wall time in the event's zone (naive) or an aware time, as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(zone_name))
    return value.astimezone(UTC)


def local(value: datetime | None, zone_name: str | None) -> str | None:
    """`value` as ISO 8601 in the zone `zone_name`."""
    if value is None or not zone_name:
        return None
    return value.astimezone(ZoneInfo(zone_name)).isoformat()
