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

from services.announcements.domain.meeting_solver import bound as upper_bounds
from services.announcements.domain.meeting_solver import cpsat, first_fit, repair
from services.announcements.domain.meeting_solver.model import (
    CAPACITY,
    NO_COMMON_SESSION,
    NO_COMMON_WORKING_HOURS,
    Instance,
    Meeting,
    Party,
    Result,
    Slot,
)
from services.announcements.domain.meeting_solver.prepare import Prepared, prepare

__all__ = [
    "CAPACITY",
    "NO_COMMON_SESSION",
    "NO_COMMON_WORKING_HOURS",
    "Instance",
    "Meeting",
    "Party",
    "Result",
    "Slot",
    "solve",
]

log = logging.getLogger(__name__)


def solve(instance: Instance, time_limit: float = 30.0) -> Result:
    """The best schedule CP-SAT finds in `time_limit` seconds (all included), never below greedy.

    Two lexicographic phases: the most meetings, then (their number held) the fewest idle gaps.
    When CP-SAT fails or finds nothing, the hint (first fit, or the LP-guided first fit when that
    places more, improved by local moves) is returned, marked "greedy".
    """
    started = time.monotonic()
    deadline = started + time_limit
    prepared = prepare(instance)
    placed_first = first_fit.place(prepared)
    if not prepared.free:
        return _result(prepared, {}, "greedy", True, len(prepared.fixed), started)
    bound, values = upper_bounds.relaxation(prepared, deadline - time.monotonic())
    hint = max(placed_first, first_fit.guided(prepared, values), key=len)
    hint = repair.improve(prepared, hint, deadline)
    hint = repair.compact(prepared, hint, deadline)
    # When the hint already reaches the bound, its count is proven best: only idle gaps are left.
    reached = len(prepared.fixed) + len(hint) >= bound
    try:
        outcome = cpsat.optimise(prepared, hint, deadline, count=len(hint) if reached else None)
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
    placed = first_fit.place(prepared)
    bound = upper_bounds.lp_bound(prepared)
    return _result(prepared, placed, "greedy", not prepared.free, bound, started)


def upper_bound(instance: Instance) -> int:
    """The most meetings any schedule could have: the LP relaxation's optimum, rounded down."""
    return upper_bounds.lp_bound(prepare(instance))


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
