"""The scheduler's input and output: slots, parties, meetings, and why a meeting was left out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

NO_COMMON_SESSION = "no_common_session"
NO_COMMON_WORKING_HOURS = "no_common_working_hours"
CAPACITY = "capacity"


@dataclass(frozen=True)
class Slot:
    id: str
    session_id: str
    starts_at: datetime  # aware, UTC
    ends_at: datetime
    in_person: bool = True  # False in an online-only session: no in-person meeting there


@dataclass(frozen=True)
class Party:
    id: str
    sessions: frozenset[str]  # session ids attended
    online_slots: frozenset[str]  # slot ids inside the party's working hours (empty: none)


@dataclass(frozen=True)
class Meeting:
    id: str
    a: str  # party ids
    b: str
    online: bool
    fixed: tuple[str, int | None] | None = None  # (slot id, table) of a published meeting to keep


@dataclass(frozen=True)
class Instance:
    slots: tuple[Slot, ...]
    tables: int
    parties: tuple[Party, ...]
    meetings: tuple[Meeting, ...]
    gap_slots: int = 0  # slots a party must have free between two of its meetings


@dataclass(frozen=True)
class Result:
    assignments: dict[str, tuple[str, int | None]]  # meeting id -> (slot id, table; None if online)
    unscheduled: dict[
        str, str
    ]  # meeting id -> NO_COMMON_SESSION | NO_COMMON_WORKING_HOURS | CAPACITY
    solver: str  # "cp-sat" or "greedy"
    optimal: bool  # proven: the most meetings, and among those the fewest idle gaps
    bound: int  # no schedule has more meetings than this
    gap: float  # (bound - scheduled) / bound: 0.0 when the count is proven best
    wall_seconds: float
