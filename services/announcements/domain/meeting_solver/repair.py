"""Local moves on a schedule: ejections that add meetings, then moves that close idle gaps.

On the benchmark's size CP-SAT spends most of a two-core time limit in presolve and rarely beats
a good hint; these moves, cheap in plain Python, improve the hint before CP-SAT starts.
"""

from __future__ import annotations

import time
from collections import defaultdict
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.announcements.domain.meeting_solver.prepare import Prepared


class _Schedule:
    """Placed meetings with each party's held slots and each slot's tables, kept in step."""

    def __init__(self, prepared: Prepared, placed: dict[str, str]) -> None:
        self.prepared = prepared
        self.meetings = {m.id: m for m in prepared.free}
        self.placed = dict(placed)
        self.held: dict[tuple[str, str], dict[int, str | None]] = defaultdict(dict)
        for party, sessions in prepared.busy.items():
            for session, indices in sessions.items():
                for index in indices:
                    self.held[party, session][index] = None  # fixed: never moved
        self.tables: dict[str, int] = defaultdict(int)
        for meeting_id, slot in placed.items():
            self.hold(meeting_id, slot)

    def hold(self, meeting_id: str, slot: str) -> None:
        meeting = self.meetings[meeting_id]
        session, index = self.prepared.position[slot]
        for party in (meeting.a, meeting.b):
            self.held[party, session][index] = meeting_id
        if not meeting.online:
            self.tables[slot] += 1
        self.placed[meeting_id] = slot

    def remove(self, meeting_id: str) -> str:
        slot = self.placed.pop(meeting_id)
        meeting = self.meetings[meeting_id]
        session, index = self.prepared.position[slot]
        for party in (meeting.a, meeting.b):
            del self.held[party, session][index]
        if not meeting.online:
            self.tables[slot] -= 1
        return slot

    def blockers(self, meeting_id: str, slot: str) -> set[str | None]:
        """The meetings in the way of `meeting_id` at `slot` (None for a fixed one)."""
        meeting = self.meetings[meeting_id]
        session, index = self.prepared.position[slot]
        gap = self.prepared.gap
        return {
            other
            for party in (meeting.a, meeting.b)
            for j, other in self.held[party, session].items()
            if abs(j - index) <= gap
        }

    def table_free(self, meeting_id: str, slot: str) -> bool:
        return self.meetings[meeting_id].online or self.tables[slot] < self.prepared.capacity[slot]

    def gaps(self, party: str, session: str) -> int:
        """Times `party` waits between two runs of its meetings in `session`."""
        step = 1 + self.prepared.gap
        indices = sorted(self.held[party, session])
        return sum(1 for before, after in pairwise(indices) if after - before > step)

    def fits(self, meeting_id: str, slot: str) -> bool:
        return self.table_free(meeting_id, slot) and not self.blockers(meeting_id, slot)

    def try_place(self, meeting_id: str) -> bool:
        """Place the meeting directly, or by moving the single meeting in its way."""
        for slot in self.prepared.candidates[meeting_id]:
            if self.fits(meeting_id, slot):
                self.hold(meeting_id, slot)
                return True
        for slot in self.prepared.candidates[meeting_id]:
            in_the_way = self.blockers(meeting_id, slot)
            if len(in_the_way) != 1 or None in in_the_way:
                continue
            (other,) = in_the_way
            was = self.remove(other)
            if self.table_free(meeting_id, slot):
                self.hold(meeting_id, slot)
                for elsewhere in self.prepared.candidates[other]:
                    if elsewhere != was and self.fits(other, elsewhere):
                        self.hold(other, elsewhere)
                        return True
                self.remove(meeting_id)
            self.hold(other, was)
        return False


def improve(prepared: Prepared, placed: dict[str, str], deadline: float) -> dict[str, str]:
    """`placed` with every left-out meeting that one move makes room for, until none or deadline."""
    schedule = _Schedule(prepared, placed)
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for meeting in prepared.free:
            if meeting.id not in schedule.placed and schedule.try_place(meeting.id):
                improved = True
            if time.monotonic() >= deadline:
                break
    return schedule.placed


def compact(prepared: Prepared, placed: dict[str, str], deadline: float) -> dict[str, str]:
    """`placed` with meetings moved, one at a time, wherever that closes idle gaps."""
    schedule = _Schedule(prepared, placed)
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for meeting in prepared.free:
            if meeting.id in schedule.placed and _move_closer(schedule, meeting.id):
                improved = True
            if time.monotonic() >= deadline:
                break
    return schedule.placed


def _move_closer(schedule: _Schedule, meeting_id: str) -> bool:
    meeting = schedule.meetings[meeting_id]
    was = schedule.placed[meeting_id]

    def waits(*slots: str) -> int:
        sessions = {schedule.prepared.position[slot][0] for slot in slots}
        return sum(schedule.gaps(p, s) for p in (meeting.a, meeting.b) for s in sessions)

    candidates = [s for s in schedule.prepared.candidates[meeting_id] if s != was]
    before = {slot: waits(was, slot) for slot in candidates}
    schedule.remove(meeting_id)
    for slot in candidates:
        if schedule.fits(meeting_id, slot):
            schedule.hold(meeting_id, slot)
            if waits(was, slot) < before[slot]:
                return True
            schedule.remove(meeting_id)
    schedule.hold(meeting_id, was)
    return False
