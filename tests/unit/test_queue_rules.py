"""Queue rules in hall.domain.queue and hall.domain.catalogue."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall.domain import queue as rules
from hall.domain.catalogue import Season, ServiceDef, WindowDef, check_catalogue, windows_serving
from hall.domain.clock import HALL_TZ, UTC
from hall.domain.queue import Candidate, pick_next


def local(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=HALL_TZ).astimezone(UTC)


@pytest.mark.parametrize("prefix,seq,expected", [("L", 7, "L007"), ("A", 1, "A001"),
                                                 ("X", 999, "X999"), ("Z", 1000, "Z1000")])
def test_ticket_numbers(prefix, seq, expected):
    assert rules.format_ticket_number(prefix, seq) == expected


def test_ticket_sequence_starts_at_one():
    with pytest.raises(ValueError):
        rules.format_ticket_number("L", 0)


@pytest.mark.parametrize("moment,day", [
    (local(2026, 11, 23, 0, 0), dt.date(2026, 11, 23)),     # Shanghai midnight
    (local(2026, 11, 22, 23, 59), dt.date(2026, 11, 22)),
    (dt.datetime(2026, 11, 22, 16, 0, tzinfo=UTC), dt.date(2026, 11, 23)),  # 00:00 +08
    (dt.datetime(2026, 11, 22, 15, 59, tzinfo=UTC), dt.date(2026, 11, 22)),
])
def test_business_day_turns_at_shanghai_midnight(moment, day):
    assert rules.business_day(moment) == day


def test_carry_over_numbering_stays_on_the_oldest_waiting_day():
    now = local(2026, 11, 24, 8, 30)
    assert rules.business_day(now, carry_over=True, oldest_waiting_day=dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)
    assert rules.business_day(now, carry_over=False, oldest_waiting_day=dt.date(2026, 11, 23)) == dt.date(2026, 11, 24)
    assert rules.business_day(now, carry_over=True, oldest_waiting_day=None) == dt.date(2026, 11, 24)


def test_callable_day():
    today = dt.date(2026, 11, 24)
    assert rules.callable_day(today, today, False)
    assert not rules.callable_day(dt.date(2026, 11, 23), today, False)
    assert rules.callable_day(dt.date(2026, 11, 23), today, True)


def test_weight_moves_a_ticket_forward_by_its_minutes():
    t0 = local(2026, 11, 23, 9, 0)
    assert rules.queue_key(t0, 0) - rules.queue_key(t0, 60) == 3600
    assert rules.weight_for(rules.PriorityReason.PREGNANT) == 60
    assert rules.weight_for(rules.PriorityReason.PREGNANT, {"pregnant": 90}) == 90
    assert rules.weight_for(None) == 0


def c(i, service="labour", minute=0, weight=0):
    at = local(2026, 11, 23, 9) + dt.timedelta(minutes=minute)
    return Candidate(i, service, rules.queue_key(at, weight), weight > 0)


RANKS = {"labour": 0, "general": 1}


def test_pick_next_priority_then_arrival():
    assert pick_next([c(1, minute=0), c(2, minute=5, weight=60)], RANKS, consecutive_priority=0).ticket_id == 2
    assert pick_next([c(1, minute=0), c(2, minute=0)], RANKS, consecutive_priority=0).ticket_id == 1


def test_pick_next_a_long_wait_beats_a_small_weight():
    # Ordinary since 9:00 vs veteran (30 min) arriving at 9:40: the ordinary visitor goes first.
    assert pick_next([c(1, minute=0), c(2, minute=40, weight=30)], RANKS, consecutive_priority=0).ticket_id == 1


def test_pick_next_prefers_the_windows_own_service():
    got = pick_next([c(1, "general", minute=0), c(2, "labour", minute=5)], RANKS, consecutive_priority=0)
    assert got.ticket_id == 2
    got = pick_next([c(1, "general", minute=0), c(2, "labour", minute=15)], RANKS, consecutive_priority=0)
    assert got.ticket_id == 1  # waited 15 minutes more than the 10-minute rank penalty


def test_pick_next_cap_lets_an_ordinary_visitor_through():
    pool = [c(1, minute=0), c(2, minute=1, weight=60), c(3, minute=2, weight=60)]
    assert pick_next(pool, RANKS, consecutive_priority=2, cap=3).ticket_id == 2
    assert pick_next(pool, RANKS, consecutive_priority=3, cap=3).ticket_id == 1
    only_priority = pool[1:]
    assert pick_next(only_priority, RANKS, consecutive_priority=3, cap=3).ticket_id == 2


def booked(i, service="labour", minute=0, weight=40):
    at = local(2026, 11, 23, 9) + dt.timedelta(minutes=minute)
    return Candidate(i, service, rules.queue_key(at, weight), weight > 0, booked=True)


def test_an_on_time_booked_visitor_is_next_unless_a_statutory_priority_waits():
    walk_ins = [c(1, minute=-120), c(2, minute=-60), c(3, minute=-30)]       # waiting up to two hours
    assert pick_next([*walk_ins, booked(9, minute=0)], RANKS, consecutive_priority=0).ticket_id == 9
    # at a window where the booked service comes second: still next
    assert pick_next([*walk_ins, booked(9, "general", minute=0)], RANKS, consecutive_priority=0).ticket_id == 9
    statutory = c(5, minute=10, weight=60)
    pool = [*walk_ins, booked(9, minute=0), statutory]
    assert pick_next(pool, RANKS, consecutive_priority=0).ticket_id == 5
    assert pick_next(pool, RANKS, consecutive_priority=3, cap=3).ticket_id == 5    # the cap does not pass a booking
    order = rules.call_order(pool, RANKS, consecutive_priority=0)
    assert [x.ticket_id for x in order] == [5, 9, 1, 2, 3]
    two = rules.call_order([booked(8, minute=2), booked(9, minute=0), *walk_ins], RANKS, consecutive_priority=0)
    assert [x.ticket_id for x in two] == [9, 8, 1, 2, 3]                         # bookings among themselves by arrival
    assert pick_next([booked(9, "housing"), *walk_ins], RANKS, consecutive_priority=0).ticket_id == 1


def test_pick_next_ignores_services_the_window_does_not_serve():
    assert pick_next([c(1, "housing")], RANKS, consecutive_priority=0) is None


@given(st.lists(st.tuples(st.integers(0, 300), st.sampled_from([0, 0, 30, 60]),
                          st.sampled_from(["labour", "general"])), min_size=1, max_size=30),
       st.integers(0, 6))
def test_no_ordinary_visitor_waits_behind_more_than_cap_priority_calls(spec, start_streak):
    """Calling repeatedly, at most ``cap`` priority calls come in a row while
    an ordinary visitor waits."""
    pool = [c(i, svc, minute=m, weight=w) for i, (m, w, svc) in enumerate(spec)]
    streak, run = start_streak, 0
    while pool:
        got = pick_next(pool, RANKS, consecutive_priority=streak, cap=3)
        pool.remove(got)
        streak = rules.next_consecutive_priority(streak, got.has_priority)
        if got.has_priority and any(not p.has_priority for p in pool):
            run += 1
            assert run <= 3
        else:
            run = 0


def test_priority_from_age():
    today = dt.date(2026, 11, 23)
    assert rules.priority_from_age(dt.date(1956, 11, 23), today) == rules.PriorityReason.ELDERLY
    assert rules.priority_from_age(dt.date(1956, 11, 24), today) is None
    assert rules.priority_from_age(None, today) is None


def test_seasonal_windows_and_routing():
    edu = WindowDef("w10", 10, "教育", ("education", "general"),
                    Season(dt.date(2026, 7, 1), dt.date(2026, 9, 15)))
    gen = WindowDef("w01", 1, "综合", ("general", "education"))
    assert edu.open_on(dt.date(2026, 8, 1)) and not edu.open_on(dt.date(2026, 11, 23))
    assert [w.code for w in windows_serving([gen, edu], "education", dt.date(2026, 8, 1))] == ["w10", "w01"]
    assert [w.code for w in windows_serving([gen, edu], "education", dt.date(2026, 11, 23))] == ["w01"]


def test_catalogue_problems_are_reported_in_chinese():
    services = [ServiceDef("labour", "劳动仲裁", "L"), ServiceDef("housing", "住建", "L"),
                ServiceDef("Bad", "", "l1")]
    windows = [WindowDef("w01", 1, "一", ("labour", "nope")), WindowDef("w02", 1, "二", ())]
    problems = "；".join(check_catalogue(services, windows))
    for fragment in ("前缀“L”被多个业务使用", "窗口号 1 重复", "业务“nope”不存在", "至少要办理一项业务",
                     "业务名称不能为空", "票号前缀“l1”"):
        assert fragment in problems


def test_call_order_is_pick_next_again_and_again_with_the_cap():
    from hall.domain.queue import call_order

    pool = [c(1, minute=0), c(2, minute=1, weight=60), c(3, minute=2, weight=60),
            c(4, minute=3, weight=60), c(5, minute=4, weight=60)]
    assert [x.ticket_id for x in call_order(pool, RANKS, consecutive_priority=0, cap=3)] == [2, 3, 4, 1, 5]
    assert [x.ticket_id for x in call_order(pool, RANKS, consecutive_priority=2, cap=3)] == [2, 1, 3, 4, 5]
    assert [x.ticket_id for x in call_order(pool, RANKS, consecutive_priority=0, cap=0)] == [2, 3, 4, 5, 1]
    assert [x.ticket_id for x in call_order(pool, RANKS, consecutive_priority=0, limit=2)] == [2, 3]


def test_a_held_ticket_is_never_picked_and_keeps_its_place_when_back():
    ranks = {"labour": 0}
    first = Candidate(1, "labour", 100, True, held=True)
    second = Candidate(2, "labour", 200, False)
    assert pick_next([first, second], ranks, consecutive_priority=0) == second
    assert pick_next([first], ranks, consecutive_priority=0) is None
    assert [c.ticket_id for c in rules.call_order([first, second], ranks, consecutive_priority=0)] == [2]
    back = Candidate(1, "labour", 100, True)
    assert pick_next([back, second], ranks, consecutive_priority=0) == back
