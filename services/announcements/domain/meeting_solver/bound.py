"""An upper bound on the meetings any schedule can have: the LP relaxation of the CP-SAT model.

Each (meeting, slot) choice becomes a fraction in [0, 1] under the same constraints (a meeting at
most once, a party at most once per gap window, tables per slot); the LP optimum rounded down,
plus the fixed meetings, is a bound that the benchmark and `Result.gap` measure against.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ortools.linear_solver import pywraplp

if TYPE_CHECKING:
    from services.announcements.domain.meeting_solver.prepare import Key, Prepared

# PDLP (first-order) solves this LP in a second where GLOP's simplex takes ten or more; asked for
# a relative error of 1e-8, its optimum is within 1e-3 of the exact one at any size we schedule.
PDLP_PARAMETERS = (
    "termination_criteria { simple_optimality_criteria "
    "{ eps_optimal_absolute: 1e-6 eps_optimal_relative: 1e-8 } }"
)
TOLERANCE = 1e-3


def lp_bound(prepared: Prepared) -> int:
    """Fixed meetings plus the LP relaxation's optimum for the free ones, rounded down."""
    return relaxation(prepared)[0]


def relaxation(prepared: Prepared, seconds: float | None = None) -> tuple[int, dict[Key, float]]:
    """The bound, and the LP's value of each (meeting, slot) choice.

    Past `seconds`, or if the LP fails, the bound is the trivial one and the values are empty.
    """
    fixed = len(prepared.fixed)
    if not prepared.free:
        return fixed, {}
    if seconds is not None and seconds <= 0:
        return fixed + len(prepared.free), {}
    lp = pywraplp.Solver.CreateSolver("PDLP")
    lp.SetSolverSpecificParametersAsString(PDLP_PARAMETERS)
    if seconds is not None:
        lp.SetTimeLimit(max(1, int(seconds * 1000)))
    x = {key: lp.NumVar(0.0, 1.0, "") for key in prepared.choices()}
    rows = [
        [(meeting.id, slot) for slot in prepared.candidates[meeting.id]]
        for meeting in prepared.free
    ]
    bounds = [1] * len(rows)
    for window in prepared.party_windows():
        rows.append(window)
        bounds.append(1)
    for slot, keys in prepared.slot_groups().items():
        if len(keys) > prepared.capacity[slot]:
            rows.append(keys)
            bounds.append(prepared.capacity[slot])
    for keys, upper in zip(rows, bounds, strict=True):
        row = lp.Constraint(0.0, float(upper))
        for key in keys:
            row.SetCoefficient(x[key], 1.0)
    objective = lp.Objective()
    for var in x.values():
        objective.SetCoefficient(var, 1.0)
    objective.SetMaximization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return fixed + len(prepared.free), {}  # trivial, but still a bound
    values = {key: var.solution_value() for key, var in x.items()}
    return fixed + math.floor(objective.Value() + TOLERANCE), values
