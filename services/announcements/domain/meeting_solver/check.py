"""Check a schedule against its instance from scratch, and count its idle gaps.

Independent of the models that built the schedule, so the benchmark (and anyone debugging one
run) can tell a broken schedule from a good one.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.announcements.domain.meeting_solver.model import Instance, Result


def violations(instance: Instance, result: Result) -> list[str]:
    """What in `result` breaks the rules of `instance`; empty when the schedule is valid."""
    slots = {s.id: s for s in instance.slots}
    parties = {p.id: p for p in instance.parties}
    meetings = {m.id: m for m in instance.meetings}
    problems = []
    if set(result.assignments) & set(result.unscheduled):
        problems.append("a meeting both scheduled and unscheduled")
    if set(result.assignments) | set(result.unscheduled) != set(meetings):
        problems.append("meetings missing from the result, or unknown ones in it")
    order = _positions(instance)
    held: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    tables: dict[str, list[int]] = defaultdict(list)
    for meeting_id, (slot_id, table) in result.assignments.items():
        meeting, slot = meetings[meeting_id], slots[slot_id]
        a, b = parties[meeting.a], parties[meeting.b]
        if meeting.fixed is not None:
            if slot_id != meeting.fixed[0] or (meeting.fixed[1] not in (None, table)):
                problems.append(f"{meeting_id}: fixed meeting moved")
            if meeting.online or meeting.fixed[1] is not None:
                pass
            elif table is None:
                problems.append(f"{meeting_id}: in person without a table")
        else:
            if slot.session_id not in a.sessions & b.sessions:
                problems.append(f"{meeting_id}: in a session not both attend")
            if meeting.online and not (slot_id in a.online_slots and slot_id in b.online_slots):
                problems.append(f"{meeting_id}: online outside working hours")
            if not meeting.online and not slot.in_person:
                problems.append(f"{meeting_id}: in person in an online-only session")
        if meeting.online and table is not None:
            problems.append(f"{meeting_id}: online with a table")
        if not meeting.online:
            if table is None or not 1 <= table <= max(instance.tables, table):
                problems.append(f"{meeting_id}: in person without a valid table")
            tables[slot_id].append(table)
        for party in (meeting.a, meeting.b):
            session, index = order[slot_id]
            held[party].append((session, index, meeting_id))
    for slot_id, numbers in tables.items():
        if len(numbers) != len(set(numbers)):
            problems.append(f"{slot_id}: a table used twice")
        if len(numbers) > instance.tables and any(
            not meetings[m].fixed for m, (s, _) in result.assignments.items() if s == slot_id
        ):
            problems.append(f"{slot_id}: more in-person meetings than tables")
    for party, items in held.items():
        for i, (session, index, meeting_id) in enumerate(items):
            for other_session, other_index, other_id in items[i + 1 :]:
                both_fixed = meetings[meeting_id].fixed and meetings[other_id].fixed
                close = session == other_session and abs(index - other_index) <= instance.gap_slots
                if close and not both_fixed:
                    problems.append(f"{party}: {meeting_id} and {other_id} too close")
    return problems


def idle_gaps(instance: Instance, result: Result) -> int:
    """How often parties wait between two of their meetings, beyond the gap, summed."""
    order = _positions(instance)
    meetings = {m.id: m for m in instance.meetings}
    held: dict[tuple[str, str], list[int]] = defaultdict(list)
    for meeting_id, (slot_id, _table) in result.assignments.items():
        session, index = order[slot_id]
        held[meetings[meeting_id].a, session].append(index)
        held[meetings[meeting_id].b, session].append(index)
    step = 1 + instance.gap_slots
    return sum(
        sum(1 for x, y in pairwise(sorted(indices)) if y - x > step) for indices in held.values()
    )


def _positions(instance: Instance) -> dict[str, tuple[str, int]]:
    """Slot id -> (session id, index within the session in time order)."""
    by_session: dict[str, list] = defaultdict(list)
    for slot in sorted(instance.slots, key=lambda s: (s.starts_at, s.id)):
        by_session[slot.session_id].append(slot.id)
    return {s: (session, i) for session, ids in by_session.items() for i, s in enumerate(ids)}
