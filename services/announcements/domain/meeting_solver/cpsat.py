"""The CP-SAT model: a boolean per (meeting, candidate slot), solved in two lexicographic phases.

Phase 1 maximises the meetings placed, from the greedy schedule as a hint. Phase 2 holds that
number and minimises the idle gaps of each party in each session (the times it waits between two
runs of meetings, beyond the required gap), from phase 1's schedule. Solving in phases rather
than with one weighted objective keeps phase 1's bound a bound on meetings, and lets the time go
first to what matters most.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from services.announcements.domain.meeting_solver.prepare import Key, Prepared

WORKERS = 2  # the platform's worker machines have two cores; more workers only share them
# Of the time left, what phase 1 may take when it cannot prove its optimum: its hint is usually
# within a few meetings of the bound already, and phase 2 needs time to close idle gaps.
COUNT_SHARE = 0.5
SHORTEST_PHASE = 0.05  # seconds: less than this left is not worth starting a phase
READING_MARGIN = 0.2  # seconds kept from CP-SAT for reading its answer and numbering tables
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Outcome:
    placed: dict[str, str]  # free meeting id -> slot id
    optimal: bool  # both phases proven optimal
    bound: int  # no schedule places more free meetings than this


def optimise(
    prepared: Prepared,
    hint: dict[str, str],
    deadline: float,
    count: int | None = None,
    workers: int = WORKERS,
) -> Outcome | None:
    """The best schedule found by `deadline` (time.monotonic()), or None when none was found.

    `count`, when given, is a number of meetings already proven the most possible (`hint` has
    it), and phase 1 is skipped.
    """
    model = cp_model.CpModel()
    x = {key: model.new_bool_var(f"{key[0]}@{key[1]}") for key in prepared.choices()}
    for meeting in prepared.free:
        model.add_at_most_one(x[meeting.id, slot] for slot in prepared.candidates[meeting.id])
    for window in prepared.party_windows():
        model.add_at_most_one(x[key] for key in window)
    for slot, keys in prepared.slot_groups().items():
        if len(keys) > prepared.capacity[slot]:
            model.add(sum(x[key] for key in keys) <= prepared.capacity[slot])
    total = cp_model.LinearExpr.sum(list(x.values()))

    if count is None:
        for key, var in x.items():
            model.add_hint(var, hint.get(key[0]) == key[1])
        model.maximize(total)
        solver, count_proven = _run(model, _seconds_left(deadline) * COUNT_SHARE, workers)
        if solver is None:
            return None
        placed = _placed(solver, x)
        if len(placed) <= len(hint):
            placed = dict(hint)  # as many meetings, and the hint's idle gaps were worked on
        bound = math.floor(solver.best_objective_bound + TOLERANCE)
    else:
        placed, bound, count_proven = dict(hint), count, True

    if _seconds_left(deadline) < SHORTEST_PHASE:
        return Outcome(placed, False, bound)
    idle = _IdleGaps(model, prepared, x)
    if not idle.starts:
        return Outcome(placed, count_proven, bound)
    model.clear_objective()
    model.clear_hints()
    for key, var in x.items():
        model.add_hint(var, placed.get(key[0]) == key[1])
    idle.hint(model, placed)
    model.add(total >= len(placed))
    model.minimize(idle.objective)
    solver, idle_proven = _run(model, _seconds_left(deadline), workers)
    if solver is None:
        return Outcome(placed, False, bound)
    return Outcome(_placed(solver, x), count_proven and idle_proven, bound)


def _seconds_left(deadline: float) -> float:
    return deadline - READING_MARGIN - time.monotonic()


def _run(
    model: cp_model.CpModel, seconds: float, workers: int
) -> tuple[cp_model.CpSolver | None, bool]:
    """A solver that found a solution within `seconds` (or None), and whether it is optimal."""
    if seconds < SHORTEST_PHASE:
        return None, False
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    return solver, status == cp_model.OPTIMAL


def _placed(solver: cp_model.CpSolver, x: dict[Key, cp_model.IntVar]) -> dict[str, str]:
    return {meeting: slot for (meeting, slot), var in x.items() if solver.boolean_value(var)}


class _IdleGaps:
    """Per party and session, the idle gaps between its meetings: runs of meetings, less one.

    A run starts at slot t when the party meets at t but not at t-gap-1 (the closest its previous
    meeting may be); with k runs in a session it attends, the party waits k-1 times. Counted as
    booleans per slot, this needs no big-M terms, so CP-SAT proves small instances optimal.
    """

    def __init__(self, model: cp_model.CpModel, prepared: Prepared, x: dict) -> None:
        self.prepared = prepared
        meetings = {m.id: m for m in prepared.free}
        at: dict[tuple[str, str], dict[int, list]] = defaultdict(lambda: defaultdict(list))
        possible: dict[tuple[str, str], set[str]] = defaultdict(set)
        for (meeting_id, slot), var in x.items():
            session, index = prepared.position[slot]
            meeting = meetings[meeting_id]
            for party in (meeting.a, meeting.b):
                at[party, session][index].append(var)
                possible[party, session].add(meeting_id)
        fixed_pairs = {(p, s) for p, sessions in prepared.busy.items() for s in sessions}
        step = 1 + prepared.gap
        self.starts: list[tuple[tuple[str, str], int, cp_model.IntVar]] = []
        self.active: list[tuple[tuple[str, str], cp_model.IntVar]] = []
        for pair in sorted(set(at) | fixed_pairs):
            party, session = pair
            fixed = set(prepared.busy.get(party, {}).get(session, []))
            if len(possible[pair]) + len(fixed) < 2:
                continue

            def held(index: int, pair=pair, fixed=fixed):
                return 1 if index in fixed else sum(at[pair].get(index, []))

            indices = sorted(set(at[pair]) | fixed)
            starts = []
            for index in indices:
                start = model.new_bool_var("")
                before = held(index - step) if index - step >= 0 else 0
                model.add(start >= held(index) - before)
                starts.append(start)
                self.starts.append((pair, index, start))
            active = model.new_bool_var("")
            model.add(active <= sum(held(index) for index in indices))
            model.add(sum(starts) >= active)  # redundant, but it keeps the LP bound at zero or more
            self.active.append((pair, active))

    @property
    def objective(self) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.sum([s for _, _, s in self.starts]) - cp_model.LinearExpr.sum(
            [a for _, a in self.active]
        )

    def hint(self, model: cp_model.CpModel, placed: dict[str, str]) -> None:
        """Hint the runs and active sessions as `placed` (plus the fixed meetings) makes them."""
        prepared = self.prepared
        held: dict[tuple[str, str], set[int]] = defaultdict(set)
        meetings = {m.id: m for m in prepared.free}
        for meeting_id, slot in placed.items():
            session, index = prepared.position[slot]
            held[meetings[meeting_id].a, session].add(index)
            held[meetings[meeting_id].b, session].add(index)
        for party, sessions in prepared.busy.items():
            for session, indices in sessions.items():
                held[party, session].update(indices)
        step = 1 + prepared.gap
        for pair, index, start in self.starts:
            model.add_hint(start, index in held[pair] and index - step not in held[pair])
        for pair, active in self.active:
            model.add_hint(active, bool(held[pair]))
