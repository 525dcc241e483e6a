"""What every scheduler needs before it starts: each meeting's possible slots, or why it has none.

Fixed (published) meetings are taken as they are; the slots they block for their parties (their
own and the `gap_slots` around it) and the tables they hold are removed from the others' choices
here, so the greedy, the LP bound and the CP-SAT model all see the same, smaller problem.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.announcements.domain.meeting_solver.model import Instance, Meeting

Key = tuple[str, str]  # (meeting id, slot id): one way to place one meeting


@dataclass
class Prepared:
    """An instance checked and reduced to the free meetings' candidate slots."""

    instance: Instance
    position: dict[str, tuple[str, int]]  # slot id -> (session id, index within the session)
    session_slots: dict[str, list[str]]  # session id -> its slot ids in time order
    fixed: dict[str, Meeting]  # meeting id -> a published meeting kept where it is
    free: list[Meeting]  # meetings to place, in the order given, each with a candidate
    candidates: dict[str, list[str]]  # free meeting id -> its possible slots in time order
    capacity: dict[str, int]  # slot id -> tables left for new in-person meetings
    unscheduled: dict[str, str]  # meeting id -> why no schedule can place it
    busy: dict[str, dict[str, list[int]]]  # party -> session -> slot indices its fixed ones hold

    @property
    def gap(self) -> int:
        return self.instance.gap_slots

    def choices(self) -> list[Key]:
        """Every (meeting, slot) a schedule may choose."""
        return [(m.id, s) for m in self.free for s in self.candidates[m.id]]

    def party_windows(self) -> list[list[Key]]:
        """Groups of which at most one may be chosen: a party's meetings within gap+1 slots.

        With no gap this is one meeting per party per slot; windows that another one already
        contains are left out.
        """
        by_party: dict[tuple[str, str], dict[int, list[Key]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for meeting in self.free:
            for slot in self.candidates[meeting.id]:
                session, index = self.position[slot]
                for party in (meeting.a, meeting.b):
                    by_party[party, session][index].append((meeting.id, slot))
        windows = []
        for (_party, session), at in by_party.items():
            width = self.gap + 1
            last_start = max(0, len(self.session_slots[session]) - width)
            previous: set[Key] = set()
            for start in range(last_start + 1):
                window = [key for i in range(start, start + width) for key in at.get(i, ())]
                if len(window) > 1 and not set(window) <= previous:
                    windows.append(window)
                previous = set(window)
        return windows

    def slot_groups(self) -> dict[str, list[Key]]:
        """Per slot, the in-person (meeting, slot) choices that compete for its tables."""
        groups: dict[str, list[Key]] = defaultdict(list)
        for meeting in self.free:
            if not meeting.online:
                for slot in self.candidates[meeting.id]:
                    groups[slot].append((meeting.id, slot))
        return groups

    def with_tables(self, placed: dict[str, str]) -> dict[str, tuple[str, int | None]]:
        """Fixed and newly placed meetings with their tables (numbered from 1; None when online).

        Fixed meetings keep their table; an in-person one that had none, and every new one,
        gets the lowest table free in its slot, in the order the meetings were given.
        """
        taken: dict[str, set[int]] = defaultdict(set)
        for meeting in self.fixed.values():
            if meeting.fixed[1] is not None:
                taken[meeting.fixed[0]].add(meeting.fixed[1])
        result: dict[str, tuple[str, int | None]] = {}
        for meeting in self.instance.meetings:
            if meeting.id in self.fixed:
                slot, table = meeting.fixed
            elif meeting.id in placed:
                slot, table = placed[meeting.id], None
            else:
                continue
            if table is None and not meeting.online:
                table = next(t for t in count(1) if t not in taken[slot])
                taken[slot].add(table)
            result[meeting.id] = (slot, table)
        return result


def prepare(instance: Instance) -> Prepared:
    """Check the instance and work out every meeting's candidate slots or its reason for none."""
    from services.announcements.domain.meeting_solver.model import (
        CAPACITY,
        NO_COMMON_SESSION,
        NO_COMMON_WORKING_HOURS,
    )

    _check(instance)
    chronological = [s.id for s in sorted(instance.slots, key=lambda s: (s.starts_at, s.id))]
    sessions = {s.id: s.session_id for s in instance.slots}
    in_person = {s.id: s.in_person for s in instance.slots}
    session_slots: dict[str, list[str]] = defaultdict(list)
    for slot in chronological:
        session_slots[sessions[slot]].append(slot)
    position = {
        s: (session, i) for session, ids in session_slots.items() for i, s in enumerate(ids)
    }
    parties = {p.id: p for p in instance.parties}
    fixed = {m.id: m for m in instance.meetings if m.fixed is not None}

    busy: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    tables_held: dict[str, int] = defaultdict(int)
    for meeting in fixed.values():
        session, index = position[meeting.fixed[0]]
        busy[meeting.a][session].append(index)
        busy[meeting.b][session].append(index)
        if not meeting.online:
            tables_held[meeting.fixed[0]] += 1
    capacity = {s.id: max(0, instance.tables - tables_held[s.id]) for s in instance.slots}

    def blocked(party: str, slot: str) -> bool:
        session, index = position[slot]
        return any(abs(index - j) <= instance.gap_slots for j in busy[party][session])

    free, candidates, unscheduled = [], {}, {}
    for meeting in instance.meetings:
        if meeting.id in fixed:
            continue
        a, b = parties[meeting.a], parties[meeting.b]
        common = a.sessions & b.sessions
        slots = [
            s for s in chronological if sessions[s] in common and (meeting.online or in_person[s])
        ]
        if not slots:
            unscheduled[meeting.id] = NO_COMMON_SESSION
            continue
        if meeting.online:
            slots = [s for s in slots if s in a.online_slots and s in b.online_slots]
            if not slots:
                unscheduled[meeting.id] = NO_COMMON_WORKING_HOURS
                continue
        slots = [
            s
            for s in slots
            if (meeting.online or capacity[s] > 0)
            and not blocked(meeting.a, s)
            and not blocked(meeting.b, s)
        ]
        if not slots:
            unscheduled[meeting.id] = CAPACITY
            continue
        free.append(meeting)
        candidates[meeting.id] = slots
    return Prepared(
        instance=instance,
        position=position,
        session_slots=dict(session_slots),
        fixed=fixed,
        free=free,
        candidates=candidates,
        capacity=capacity,
        unscheduled=unscheduled,
        busy={p: dict(s) for p, s in busy.items()},
    )


def _check(instance: Instance) -> None:
    """Refuse an instance the caller built wrong: a programming error, not a user's."""
    for name, items in (
        ("slot", instance.slots),
        ("party", instance.parties),
        ("meeting", instance.meetings),
    ):
        ids = [item.id for item in items]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate {name} ids")
    if instance.tables < 0 or instance.gap_slots < 0:
        raise ValueError("tables and gap_slots must not be negative")
    for slot in instance.slots:
        if slot.starts_at.tzinfo is None or slot.ends_at.tzinfo is None:
            raise ValueError(f"slot {slot.id}: times must be aware")
    parties = {p.id for p in instance.parties}
    slots = {s.id for s in instance.slots}
    for meeting in instance.meetings:
        if meeting.a not in parties or meeting.b not in parties or meeting.a == meeting.b:
            raise ValueError(f"meeting {meeting.id}: needs two known, different parties")
        if meeting.fixed is not None and meeting.fixed[0] not in slots:
            raise ValueError(f"meeting {meeting.id}: fixed in an unknown slot")
