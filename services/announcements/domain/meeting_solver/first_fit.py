"""First-fit scheduling: what a simple scheduler does, and the CP-SAT model's hint and fallback."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.announcements.domain.meeting_solver.prepare import Key, Prepared


def place(prepared: Prepared) -> dict[str, str]:
    """Each free meeting, in the order given, in its earliest slot where both parties are free
    (with the gap around their other meetings) and, in person, a table is left: meeting -> slot.
    """
    return place_in_order(prepared, prepared.choices())


def guided(prepared: Prepared, values: dict[Key, float]) -> dict[str, str]:
    """First fit over the (meeting, slot) choices taken in decreasing LP value: the LP's near-
    integral part is kept and the rest repaired, usually far closer to the bound than first fit.
    """
    ranked = sorted(
        enumerate(prepared.choices()), key=lambda item: (-values.get(item[1], 0), item[0])
    )
    return place_in_order(prepared, [key for _, key in ranked])


def place_in_order(prepared: Prepared, choices: list[Key]) -> dict[str, str]:
    """Take each (meeting, slot) choice in turn when the meeting is still unplaced and it fits."""
    gap = prepared.gap
    busy: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for party, sessions in prepared.busy.items():
        for session, indices in sessions.items():
            busy[party][session].extend(indices)
    tables_used: dict[str, int] = defaultdict(int)
    placed: dict[str, str] = {}
    meetings = {meeting.id: meeting for meeting in prepared.free}
    for meeting_id, slot in choices:
        meeting = meetings[meeting_id]
        if meeting_id in placed:
            continue
        if not meeting.online and tables_used[slot] >= prepared.capacity[slot]:
            continue
        session, index = prepared.position[slot]
        parties = (meeting.a, meeting.b)
        if any(abs(index - j) <= gap for party in parties for j in busy[party][session]):
            continue
        placed[meeting_id] = slot
        busy[meeting.a][session].append(index)
        busy[meeting.b][session].append(index)
        if not meeting.online:
            tables_used[slot] += 1
    return placed
