"""The CP-SAT model: a boolean per (meeting, candidate slot), solved in two lexicographic phases.

Phase 1 maximises the meetings placed, from the greedy schedule as a hint. Phase 2 holds that
number and minimises the idle slots of each party in each session (free slots between its first
and last meeting beyond the required gaps), from phase 1's schedule. Solving in phases rather
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
    from services.announcements.domain.meeting_solver_prepare import Key, Prepared

WORKERS = 2  # the platform's worker machines have two cores; more workers only share them
COUNT_SHARE = 0.8  # of the time left, what phase 1 may take when it cannot prove its optimum
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
        bound = math.floor(solver.best_objective_bound + TOLERANCE)
    else:
        placed, bound, count_proven = dict(hint), count, True

    if _seconds_left(deadline) < SHORTEST_PHASE:
        return Outcome(placed, False, bound)
    idle = _IdleSlots(model, prepared, x)
    if not idle.terms:
        return Outcome(placed, count_proven, bound)
    model.clear_objective()
    model.clear_hints()
    for key, var in x.items():
        model.add_hint(var, placed.get(key[0]) == key[1])
    idle.hint(model, placed)
    model.add(total >= len(placed))
    model.minimize(cp_model.LinearExpr.sum([term.idle for term in idle.terms]))
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


@dataclass(frozen=True)
class _Term:
    party: str
    session: str
    first: cp_model.IntVar
    last: cp_model.IntVar
    idle: cp_model.IntVar


class _IdleSlots:
    """Per party and session: first and last busy slot, and idle = span - meetings - gaps.

    Only where two meetings could happen; with k meetings, idle >= last - first - (1+gap)(k-1).
    With none, first and last are free and the right-hand side can go to zero or below.
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
        step = 1 + prepared.gap
        self.terms: list[_Term] = []
        for party, session in sorted(set(at) | self._fixed_pairs()):
            n = len(prepared.session_slots[session])
            fixed = prepared.busy.get(party, {}).get(session, [])
            if len(possible[party, session]) + len(fixed) < 2 or n - 1 < step:
                continue
            first = model.new_int_var(0, n - 1, "")
            last = model.new_int_var(0, n - 1, "")
            idle = model.new_int_var(0, n, "")
            everything = []
            for index, variables in at[party, session].items():
                busy = sum(variables)
                model.add(first + n * busy <= index + n)
                model.add(last - n * busy >= index - n)
                everything.extend(variables)
            for index in fixed:
                model.add(first <= index)
                model.add(last >= index)
            meetings_held = sum(everything) + len(fixed)
            model.add(idle >= last - first - step * (meetings_held - 1))
            self.terms.append(_Term(party, session, first, last, idle))

    def _fixed_pairs(self) -> set[tuple[str, str]]:
        return {(p, s) for p, sessions in self.prepared.busy.items() for s in sessions}

    def hint(self, model: cp_model.CpModel, placed: dict[str, str]) -> None:
        """Hint first, last and idle as `placed` (plus the fixed meetings) makes them."""
        prepared = self.prepared
        held: dict[tuple[str, str], list[int]] = defaultdict(list)
        meetings = {m.id: m for m in prepared.free}
        for meeting_id, slot in placed.items():
            session, index = prepared.position[slot]
            held[meetings[meeting_id].a, session].append(index)
            held[meetings[meeting_id].b, session].append(index)
        for party, sessions in prepared.busy.items():
            for session, indices in sessions.items():
                held[party, session].extend(indices)
        step = 1 + prepared.gap
        for term in self.terms:
            indices = held.get((term.party, term.session))
            n = len(prepared.session_slots[term.session])
            if not indices:
                model.add_hint(term.first, n - 1)
                model.add_hint(term.last, 0)
                model.add_hint(term.idle, 0)
                continue
            first, last = min(indices), max(indices)
            model.add_hint(term.first, first)
            model.add_hint(term.last, last)
            model.add_hint(term.idle, max(0, last - first - step * (len(indices) - 1)))
