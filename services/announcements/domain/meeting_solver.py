"""The organiser's scheduler: fit accepted brokerage meetings into slots, tables and online rooms.

`solve` maximises the meetings scheduled, then minimises each party's idle gaps, with OR-Tools
CP-SAT under a time limit. Its hint is the better of the first-fit `greedy` (what a simple
scheduler does) and a first fit guided by the LP relaxation (whose optimum is also the
`upper_bound` the result's gap is measured against), improved by local moves: a left-out meeting
placed by moving the one meeting in its way, a meeting moved where that closes an idle gap.
Meetings no schedule could place are set aside with a reason before anything is solved. Pure
computation: no database, no Flask; the Celery task feeds it and stores what it returns.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from services.announcements.domain import (
    meeting_solver_bound,
    meeting_solver_cpsat,
    meeting_solver_greedy,
    meeting_solver_repair,
)
from services.announcements.domain.meeting_solver_prepare import Prepared, prepare

log = logging.getLogger(__name__)

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


def solve(instance: Instance, time_limit: float = 30.0) -> Result:
    """The best schedule CP-SAT finds in `time_limit` seconds (all included), never below greedy.

    Two lexicographic phases: the most meetings, then (their number held) the fewest idle gaps.
    When CP-SAT fails or finds nothing, the hint (first fit, or the LP-guided first fit when that
    places more, improved by local moves) is returned, marked "greedy".
    """
    started = time.monotonic()
    deadline = started + time_limit
    prepared = prepare(instance)
    first_fit = meeting_solver_greedy.place(prepared)
    if not prepared.free:
        return _result(prepared, {}, "greedy", True, len(prepared.fixed), started)
    bound, values = meeting_solver_bound.relaxation(prepared, deadline - time.monotonic())
    hint = max(first_fit, meeting_solver_greedy.guided(prepared, values), key=len)
    hint = meeting_solver_repair.improve(prepared, hint, deadline)
    hint = meeting_solver_repair.compact(prepared, hint, deadline)
    # When the hint already reaches the bound, its count is proven best: only idle gaps are left.
    reached = len(prepared.fixed) + len(hint) >= bound
    try:
        outcome = meeting_solver_cpsat.optimise(
            prepared, hint, deadline, count=len(hint) if reached else None
        )
    except Exception:  # a solver crash must not cost the organiser the schedule greedy found
        log.exception("CP-SAT failed; the greedy schedule stands")
        outcome = None
    if outcome is None or len(outcome.placed) < len(hint):
        return _result(prepared, hint, "greedy", False, bound, started)
    bound = min(bound, len(prepared.fixed) + outcome.bound)
    return _result(prepared, outcome.placed, "cp-sat", outcome.optimal, bound, started)


def greedy(instance: Instance) -> Result:
    """First fit: each meeting, in the order given, into its earliest slot still possible."""
    started = time.monotonic()
    prepared = prepare(instance)
    placed = meeting_solver_greedy.place(prepared)
    bound = meeting_solver_bound.lp_bound(prepared)
    return _result(prepared, placed, "greedy", not prepared.free, bound, started)


def upper_bound(instance: Instance) -> int:
    """The most meetings any schedule could have: the LP relaxation's optimum, rounded down."""
    return meeting_solver_bound.lp_bound(prepare(instance))


def _result(
    prepared: Prepared,
    placed: dict[str, str],
    solver: str,
    proven: bool,
    bound: int,
    started: float,
) -> Result:
    scheduled = len(prepared.fixed) + len(placed)
    bound = max(bound, scheduled)
    unscheduled = dict(prepared.unscheduled)
    unscheduled.update({m.id: CAPACITY for m in prepared.free if m.id not in placed})
    return Result(
        assignments=prepared.with_tables(placed),
        unscheduled=unscheduled,
        solver=solver,
        optimal=proven,
        bound=bound,
        gap=(bound - scheduled) / bound if bound else 0.0,
        wall_seconds=time.monotonic() - started,
    )
