"""The director's suggestion of windows per hour for the next working day,
from the same weekday's arrivals of recent weeks and that day's bookings."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from hall.services import HallError, InvalidInput, queue, staffing, status


def _serve_day(db, admin, staff, clock, day: dt.date, n: int, service: str = "general") -> None:
    """``n`` walk-ins issued from 10:00, five minutes apart, each served ten minutes."""
    clock.set_local(dt.datetime.combine(day, dt.time(10, 0)))
    queue.open_window(db, admin, "w01")
    for _ in range(n):
        queue.issue_ticket(db, staff, service)
        clock.advance(minutes=5)
    for _ in range(n):
        t = queue.call_next(db, staff, "w01")
        queue.start_service(db, staff, t.id)
        clock.advance(minutes=10)
        queue.finish(db, staff, t.id)


def _windows_by_hand(per_hour: float, mean: float, target: float) -> int:
    """Erlang C (sum form) with constant service times: P(wait > t) = C · e^(−2(c−a)t/mean) ≤ 0.2."""
    a = per_hour * mean / 60
    for c in range(1, 31):
        if c <= a:
            continue
        top = a ** c / math.factorial(c) * c / (c - a)
        pw = top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)
        if pw <= 0.2 or math.log(pw / 0.2) * mean / 2 / (c - a) <= target:
            return c
    raise AssertionError


def test_tomorrows_windows_from_the_same_weekday_and_the_bookings(hall, admin, window_staff, front_desk,
                                                                  director, clock):
    from hall.services import admin as adm
    from hall.services import appointments as ap

    status.forget_service_times()
    # Tomorrow is Tuesday 2026-11-24: the two Tuesdays before had 6 walk-ins at 10 o'clock each;
    # a Monday's rush does not count.
    _serve_day(hall, admin, window_staff, clock, dt.date(2026, 11, 17), 6)
    _serve_day(hall, admin, window_staff, clock, dt.date(2026, 11, 10), 6)
    _serve_day(hall, admin, window_staff, clock, dt.date(2026, 11, 16), 9)
    clock.set_local(dt.datetime(2026, 11, 23, 9, 0))
    adm.set_appointment_plan(hall, admin, "general", slot_minutes=30, capacity=2, days_ahead=7,
                             hours={str(d): [["09:00", "12:00"]] for d in range(5)})
    ap.book(hall, front_desk, "general", dt.datetime(2026, 11, 24, 10, 30), "王小明", "13812345678")
    ap.book(hall, front_desk, "general", dt.datetime(2026, 11, 24, 10, 30), "李四", "13900002222")
    staffing.set_target_wait(hall, admin, 8)
    status.forget_service_times()

    plan = staffing.next_day_plan(hall, director)
    assert plan.day == dt.date(2026, 11, 24) and plan.is_tomorrow and plan.target_minutes == 8
    assert plan.weeks_seen == 2
    rows = {(r.service, r.hour): r for r in plan.rows}
    ten = rows[("general", 10)]
    assert ten.arrivals == 8 and ten.booked == 2 and ten.mean_minutes == 10
    assert ten.windows == _windows_by_hand(8, 10, 8) == 2     # 80 % called within 7.4 minutes
    staffing.set_target_wait(hall, admin, 5)
    assert {(r.service, r.hour): r for r in staffing.next_day_plan(hall, director).rows}[
        ("general", 10)].windows == _windows_by_hand(8, 10, 5) == 3
    assert plan.peak == (10, sum(r.windows for r in plan.rows if r.hour == 10))

    with pytest.raises(HallError):
        staffing.next_day_plan(hall, front_desk)
    with pytest.raises(InvalidInput, match="目标等候时间"):
        staffing.set_target_wait(hall, admin, 0)


def test_a_new_hall_gets_an_empty_plan(hall, director):
    plan = staffing.next_day_plan(hall, director)
    assert plan.rows == () and plan.weeks_seen == 0 and plan.peak is None
