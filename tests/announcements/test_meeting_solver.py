"""The brokerage meetings scheduler on crafted instances whose best schedule is known."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

import pytest

from services.announcements.domain.meeting_solver import (
    Instance,
    Meeting,
    Party,
    Result,
    Slot,
    greedy,
    solve,
    upper_bound,
)
from services.announcements.domain.meeting_solver import first_fit as meeting_solver_greedy
from services.announcements.domain.meeting_solver import repair as meeting_solver_repair
from services.announcements.domain.meeting_solver.check import idle_gaps, violations
from services.announcements.domain.meeting_solver.prepare import prepare

DAY = datetime(2026, 10, 20, tzinfo=UTC)  # Paris on summer time: six hours behind Shanghai


def session(name: str, count: int, first_utc_hour: int = 1, minutes: int = 30) -> list[Slot]:
    start = DAY + timedelta(hours=first_utc_hour)
    return [
        Slot(
            f"{name}-{n}",
            name,
            start + timedelta(minutes=n * minutes),
            start + timedelta(minutes=(n + 1) * minutes),
        )
        for n in range(count)
    ]


def party(pid: str, sessions=("s",), online=()) -> Party:
    return Party(pid, frozenset(sessions), frozenset(online))


def hours(slots: list[Slot], zone: str, opens: time, closes: time) -> frozenset[str]:
    """The slots inside opens..closes in `zone`, as the brokerage domain derives them."""
    local = ZoneInfo(zone)
    start = datetime.combine(DAY.date(), opens, local)
    end = datetime.combine(DAY.date(), closes, local)
    return frozenset(s.id for s in slots if start <= s.starts_at and s.ends_at <= end)


def scheduled(result) -> int:
    return len(result.assignments)


def test_solver_finds_the_known_optimum_where_first_fit_falls_short():
    # K5: ten meetings, every party in four; five slots hold them all (a 1-factorisation),
    # but first fit in this order leaves some out.
    slots = session("s", 5)
    names = "ABCDE"
    parties = [party(n) for n in names]
    order = ["AB", "CD", "AC", "BE", "AD", "BC", "DE", "AE", "BD", "CE"]
    meetings = [Meeting(f"m{p}", p[0], p[1], online=False) for p in order]
    instance = Instance(tuple(slots), 5, tuple(parties), tuple(meetings))

    first_fit, best = greedy(instance), solve(instance, time_limit=10)

    assert scheduled(first_fit) < 10
    assert scheduled(best) == 10 and best.unscheduled == {}
    assert best.solver == "cp-sat" and best.optimal and best.bound == 10 and best.gap == 0.0
    assert violations(instance, best) == [] and violations(instance, first_fit) == []


def test_a_later_meeting_that_fits_one_slot_only_is_not_pushed_out():
    # First fit puts A-B in the first slot, which is the only one C can meet A in.
    slots = session("s", 2)
    a, b = party("A", online=[s.id for s in slots]), party("B")
    c = party("C", online=[slots[0].id])
    meetings = (Meeting("ab", "A", "B", online=False), Meeting("ac", "A", "C", online=True))
    instance = Instance(tuple(slots), 1, (a, b, c), meetings)

    assert scheduled(greedy(instance)) == 1
    best = solve(instance, time_limit=10)
    assert best.assignments == {"ac": ("s-0", None), "ab": ("s-1", 1)}
    assert best.optimal and best.gap == 0.0


def test_an_online_pair_whose_working_hours_never_overlap_is_never_scheduled_and_says_why():
    slots = session("s", 18, first_utc_hour=0)  # 08:00-17:00 Shanghai, 02:00-11:00 Paris
    shanghai = party("sh", online=hours(slots, "Asia/Shanghai", time(8), time(12)))
    paris = party("pa", online=hours(slots, "Europe/Paris", time(9), time(18)))
    venue = party("venue", online=[s.id for s in slots])
    meetings = (
        Meeting("apart", "sh", "pa", online=True),
        Meeting("sh-venue", "sh", "venue", online=True),
        Meeting("pa-venue", "pa", "venue", online=True),
    )
    instance = Instance(tuple(slots), 0, (shanghai, paris, venue), meetings)
    assert shanghai.online_slots and paris.online_slots  # each has hours, just not together

    for result in (solve(instance, time_limit=10), greedy(instance)):
        assert result.unscheduled == {"apart": "no_common_working_hours"}
        assert set(result.assignments) == {"sh-venue", "pa-venue"}
        assert violations(instance, result) == []
    paris_slot = solve(instance, time_limit=10).assignments["pa-venue"][0]
    assert paris_slot in paris.online_slots


def test_parties_without_a_common_session_are_told_so():
    slots = session("morning", 3) + session("afternoon", 3, first_utc_hour=6)
    parties = (
        party("A", ["morning"]),
        party("B", ["afternoon"]),
        party("C", ["morning", "afternoon"]),
    )
    meetings = (
        Meeting("ab", "A", "B", online=False),
        Meeting("bc", "B", "C", online=False),
    )
    instance = Instance(tuple(slots), 2, parties, meetings)

    result = solve(instance, time_limit=10)

    assert result.unscheduled == {"ab": "no_common_session"}
    assert result.assignments["bc"][0].startswith("afternoon")


def test_an_in_person_meeting_never_lands_in_an_online_only_session():
    venue = session("nanjing", 2)
    online_only = [
        Slot(s.id, s.session_id, s.starts_at, s.ends_at, in_person=False)
        for s in session("online", 2, first_utc_hour=6)
    ]
    slots = venue + online_only
    every = [s.id for s in slots]
    parties = (
        party("A", ["nanjing", "online"], every),
        party("B", ["nanjing", "online"], every),
        party("C", ["online"], every),
    )
    meetings = (
        Meeting("ab-1", "A", "B", online=False),
        Meeting("ac", "A", "C", online=False),
        Meeting("bc", "B", "C", online=True),
    )
    instance = Instance(tuple(slots), 5, parties, meetings)

    for result in (solve(instance, time_limit=10), greedy(instance)):
        assert result.unscheduled == {"ac": "no_common_session"}
        assert result.assignments["ab-1"][0].startswith("nanjing")
        assert result.assignments["bc"][0].startswith("online")
        assert violations(instance, result) == []
    moved = dict(result.assignments) | {"ab-1": ("online-0", 1)}
    wrong = Result(moved, result.unscheduled, "greedy", False, 3, 0.0, 0.0)
    assert "ab-1: in person in an online-only session" in violations(instance, wrong)


def test_in_person_meetings_share_the_tables_and_online_ones_need_none():
    slots = session("s", 1)
    every = [s.id for s in slots]
    parties = tuple(party(p, online=every) for p in "ABCDEFGH")
    meetings = (
        Meeting("ab", "A", "B", online=False),
        Meeting("cd", "C", "D", online=False),
        Meeting("ef", "E", "F", online=False),
        Meeting("gh", "G", "H", online=True),
    )
    instance = Instance(tuple(slots), 2, parties, meetings)

    result = solve(instance, time_limit=10)

    assert set(result.unscheduled.values()) == {"capacity"} and len(result.unscheduled) == 1
    tables = sorted(t for m, (_s, t) in result.assignments.items() if m != "gh")
    assert tables == [1, 2] and result.assignments["gh"] == ("s-0", None)
    assert result.bound == 3 and result.optimal


def test_a_party_keeps_the_gap_between_its_meetings():
    slots = session("s", 5)
    parties = tuple(party(p) for p in "ABCDE")
    meetings = tuple(Meeting(f"a{p}", "A", p, online=False) for p in "BCDE")
    instance = Instance(tuple(slots), 4, parties, meetings, gap_slots=1)

    result = solve(instance, time_limit=10)

    indices = sorted(int(slot.split("-")[1]) for slot, _ in result.assignments.values())
    assert indices == [0, 2, 4]  # three fit with a free slot between each, the fourth cannot
    assert list(result.unscheduled.values()) == ["capacity"]
    assert result.optimal and result.bound == 3
    assert violations(instance, greedy(instance)) == []


def test_published_meetings_stay_where_they_are_with_their_table():
    slots = session("s", 3)
    parties = tuple(party(p, online=[slots[1].id]) for p in "ABCD")
    meetings = (
        Meeting("new", "A", "C", online=False),
        # Published in the middle slot at table 2, although A would rather start the day with it.
        Meeting("kept", "A", "B", online=False, fixed=("s-1", 2)),
        # Published online before C changed its hours: kept all the same.
        Meeting("kept-online", "C", "D", online=True, fixed=("s-2", None)),
        Meeting("late", "B", "D", online=False),
    )
    instance = Instance(tuple(slots), 2, parties, meetings, gap_slots=0)

    result = solve(instance, time_limit=10)

    assert result.assignments["kept"] == ("s-1", 2)
    assert result.assignments["kept-online"] == ("s-2", None)
    assert result.assignments["new"][0] == "s-0"  # A is busy in s-1, C in s-2
    assert result.assignments["new"][1] == 1 and result.assignments["late"] == ("s-0", 2)
    assert violations(instance, result) == []
    assert scheduled(result) == 4 and result.optimal


def test_idle_gaps_are_closed_without_costing_a_meeting():
    # C can only meet A in the fourth slot; first fit puts A-B first thing, leaving A waiting
    # two slots; the same two meetings fit back to back.
    slots = session("s", 4)
    parties = (party("A", online=[s.id for s in slots]), party("B"), party("C", online=["s-3"]))
    meetings = (Meeting("ab", "A", "B", online=False), Meeting("ac", "A", "C", online=True))
    instance = Instance(tuple(slots), 1, parties, meetings)

    first_fit, best = greedy(instance), solve(instance, time_limit=10)

    assert scheduled(first_fit) == scheduled(best) == 2
    assert idle_gaps(instance, first_fit) == 1
    assert idle_gaps(instance, best) == 0 and best.optimal
    assert best.assignments == {"ab": ("s-2", 1), "ac": ("s-3", None)}


def test_a_meeting_is_never_dropped_to_close_a_gap():
    # B can meet only in the first slot and C only in the third: A waits, but meets both.
    slots = session("s", 3)
    parties = (
        party("A", online=[s.id for s in slots]),
        party("B", online=["s-0"]),
        party("C", online=["s-2"]),
    )
    meetings = (Meeting("ab", "A", "B", online=True), Meeting("ac", "A", "C", online=True))
    instance = Instance(tuple(slots), 0, parties, meetings)

    best = solve(instance, time_limit=10)

    assert best.assignments == {"ab": ("s-0", None), "ac": ("s-2", None)}
    assert idle_gaps(instance, best) == 1 and best.optimal


def test_the_gap_is_reported_against_the_best_bound():
    # A triangle in two slots: the LP relaxation allows 3 (half of each meeting in each slot),
    # CP-SAT proves 2, and a greedy result is measured against the LP's 3.
    slots = session("s", 2)
    parties = tuple(party(p) for p in "ABC")
    meetings = tuple(Meeting(p, p[0], p[1], online=False) for p in ("AB", "BC", "AC"))
    instance = Instance(tuple(slots), 3, parties, meetings)

    assert upper_bound(instance) == 3
    best = solve(instance, time_limit=10)
    assert scheduled(best) == 2 and best.bound == 2 and best.gap == 0.0 and best.optimal
    first_fit = greedy(instance)
    assert scheduled(first_fit) == 2 and first_fit.bound == 3
    assert first_fit.gap == pytest.approx(1 / 3) and not first_fit.optimal


def crowd(participants: int, requests: int, seed: int = 7) -> Instance:
    """A random forum: two sessions of nine slots, few tables, half the parties online."""
    rng = random.Random(seed)
    slots = session("am", 9) + session("pm", 9, first_utc_hour=6)
    every = frozenset(s.id for s in slots)
    parties = [
        Party(
            f"p{n}",
            frozenset(rng.choice((("am", "pm"), ("am",), ("pm",)))),
            every if n % 2 else frozenset(rng.sample(sorted(every), 8)),
        )
        for n in range(participants)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < requests:
        a, b = rng.sample(range(participants), 2)
        pairs.add((min(a, b), max(a, b)))
    meetings = [
        Meeting(f"m{n}", f"p{a}", f"p{b}", online=bool(a % 2 == 0 or b % 2 == 0))
        for n, (a, b) in enumerate(sorted(pairs))
    ]
    return Instance(tuple(slots), 6, tuple(parties), tuple(meetings), gap_slots=0)


def test_the_time_limit_is_honoured_and_the_result_is_sound():
    instance = crowd(150, 1200)

    result = solve(instance, time_limit=2.0)

    assert result.wall_seconds < 2.0 + 1.0  # model building and reading the answer
    assert violations(instance, result) == []
    assert scheduled(result) >= scheduled(greedy(instance))
    assert scheduled(result) <= result.bound <= upper_bound(instance)
    assert result.gap == pytest.approx((result.bound - scheduled(result)) / result.bound)


def test_with_no_time_left_the_greedy_schedule_is_the_answer():
    instance = crowd(60, 400)

    result = solve(instance, time_limit=0.0)

    assert result.solver == "greedy" and not result.optimal
    assert result.assignments == greedy(instance).assignments
    assert violations(instance, result) == []


def test_ejection_moves_place_a_left_out_meeting_by_moving_the_one_in_its_way():
    slots = session("s", 2)
    a, b = party("A", online=[s.id for s in slots]), party("B")
    c = party("C", online=[slots[0].id])
    meetings = (Meeting("ab", "A", "B", online=False), Meeting("ac", "A", "C", online=True))
    prepared = prepare(Instance(tuple(slots), 1, (a, b, c), meetings))
    first_fit = meeting_solver_greedy.place(prepared)

    improved = meeting_solver_repair.improve(prepared, first_fit, monotonic() + 10)

    assert first_fit == {"ab": "s-0"}
    assert improved == {"ab": "s-1", "ac": "s-0"}


def test_ejection_moves_keep_every_rule_on_a_crowded_forum():
    instance = crowd(150, 1200)
    prepared = prepare(instance)
    first_fit = meeting_solver_greedy.place(prepared)

    improved = meeting_solver_repair.improve(prepared, first_fit, monotonic() + 10)

    assert len(improved) > len(first_fit)
    unscheduled = {m.id: "capacity" for m in prepared.free if m.id not in improved}
    as_result = Result(
        prepared.with_tables(improved), unscheduled | prepared.unscheduled, "greedy", False, 0, 0, 0
    )
    assert violations(instance, as_result) == []


def test_moves_close_idle_gaps_and_keep_every_meeting_and_rule():
    instance = crowd(150, 1200)
    prepared = prepare(instance)
    first_fit = meeting_solver_greedy.place(prepared)

    compacted = meeting_solver_repair.compact(prepared, first_fit, monotonic() + 10)

    def as_result(placed):
        unscheduled = {m.id: "capacity" for m in prepared.free if m.id not in placed}
        return Result(
            prepared.with_tables(placed), unscheduled | prepared.unscheduled, "x", False, 0, 0, 0
        )

    assert set(compacted) == set(first_fit)
    assert idle_gaps(instance, as_result(compacted)) < idle_gaps(instance, as_result(first_fit))
    assert violations(instance, as_result(compacted)) == []


def test_every_run_accounts_for_every_meeting_the_same_way():
    instance = crowd(12, 30, seed=3)

    first, second = solve(instance, time_limit=2), solve(instance, time_limit=2)

    assert first.gap == second.gap == 0.0  # both counts proven the most possible: they agree

    for result in (first, second):
        assert set(result.assignments) | set(result.unscheduled) == {
            m.id for m in instance.meetings
        }
        assert not set(result.assignments) & set(result.unscheduled)
        assert all(isinstance(t, int) or t is None for _s, t in result.assignments.values())
        assert result.solver in ("cp-sat", "greedy") and isinstance(result.bound, int)
    assert scheduled(first) == scheduled(second)
    reasons = {"no_common_session", "no_common_working_hours"}
    assert {m: r for m, r in first.unscheduled.items() if r in reasons} == {
        m: r for m, r in second.unscheduled.items() if r in reasons
    }


def test_the_checker_catches_a_double_booked_party():
    slots = session("s", 2)
    parties = tuple(party(p) for p in "ABC")
    meetings = (Meeting("ab", "A", "B", online=False), Meeting("ac", "A", "C", online=False))
    instance = Instance(tuple(slots), 2, parties, meetings)
    result = solve(instance, time_limit=10)
    broken = type(result)({"ab": ("s-0", 1), "ac": ("s-0", 2)}, {}, "cp-sat", True, 2, 0.0, 0.0)

    assert violations(instance, result) == []
    assert violations(instance, broken) == ["A: ab and ac too close"]


def test_a_meeting_with_an_unknown_party_is_refused():
    instance = Instance(
        tuple(session("s", 1)), 1, (party("A"),), (Meeting("m", "A", "Z", online=False),)
    )
    with pytest.raises(ValueError, match="two known"):
        solve(instance)
