"""The windows-per-hour suggestion, checked against Erlang C written out by hand."""
from __future__ import annotations

import math

import pytest

from hall.domain import forecast


def _erlang_c_by_hand(c: int, a: float) -> float:
    """The textbook sum form (not the recursion the product uses)."""
    top = a ** c / math.factorial(c) * c / (c - a)
    return top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)


def _p80_by_hand(c: int, per_hour: float, minutes: list[float]) -> float:
    mean = sum(minutes) / len(minutes)
    cs2 = (sum((x - mean) ** 2 for x in minutes) / len(minutes)) / mean ** 2
    a = per_hour * mean / 60
    if c <= a:
        return math.inf
    pw = _erlang_c_by_hand(c, a)
    # P(wait > t) = pw * exp(-(c - a) t / (mean * (1 + cs2) / 2)) = 0.2
    return max(0.0, math.log(pw / 0.2) * mean * (1 + cs2) / 2 / (c - a))


def test_erlang_c_matches_the_sum_form():
    for c, a in ((1, 0.5), (3, 2.0), (4, 2.0), (7, 5.5)):
        assert forecast.erlang_c(c, a) == pytest.approx(_erlang_c_by_hand(c, a))
    assert forecast.erlang_c(2, 2.0) == 1.0          # cannot keep up
    assert forecast.erlang_c(2, 0.0) == 0.0


def test_twelve_visitors_an_hour_of_ten_minutes_each():
    # a = 12/h × 10 min = 2 erlangs; constant times (cs² = 0) halve the Erlang C wait.
    # 3 windows: P(wait) = 4/9, 80 % within ln((4/9)/0.2) × 5 min = 3.99 min; 4 windows: P(wait) = 0.174 < 0.2.
    ten = [10.0] * 21
    assert forecast.erlang_c(3, 2.0) == pytest.approx(4 / 9)
    assert forecast.wait_quantile(3, 12, ten) == pytest.approx(5 * math.log((4 / 9) / 0.2))
    assert forecast.windows_needed(12, ten, 5) == (3, pytest.approx(3.9925, abs=1e-3))
    assert forecast.windows_needed(12, ten, 3)[0] == 4
    assert forecast.windows_needed(12, ten, 3)[1] == 0.0
    assert forecast.windows_needed(0, ten, 3) == (0, 0.0)


def test_spread_service_times_need_more_windows_than_steady_ones():
    steady = [10.0] * 21
    spread = [2.0, 3, 4, 5, 6, 6, 7, 8, 8, 9, 10, 10, 11, 12, 13, 14, 15, 16, 18, 19, 14]
    spread = [x * 10 / (sum(spread) / len(spread)) for x in spread]      # the same mean, 10 minutes
    for per_hour in (6, 12, 20, 33):
        for target in (2, 5, 10):
            c_steady, _ = forecast.windows_needed(per_hour, steady, target)
            c_spread, w = forecast.windows_needed(per_hour, spread, target)
            assert c_spread >= c_steady
            expect = next(c for c in range(1, 31) if _p80_by_hand(c, per_hour, spread) <= target)
            assert c_spread == expect and w == pytest.approx(_p80_by_hand(expect, per_hour, spread))


def test_a_day_plan_adds_bookings_and_flags_an_hour_no_number_of_windows_meets():
    times = forecast.ServiceTimes(by_hour={("general", 10): tuple([10.0] * 21)}, by_service={})
    plan = forecast.window_plan({("general", 10): 10.0, ("general", 9): 0.0, ("labour", 14): 3.0},
                                {("general", 10): 2}, times, 5, max_windows=30)
    assert [(p.service, p.hour) for p in plan] == [("general", 10), ("labour", 14)]
    ten = plan[0]
    assert ten.arrivals == 12 and ten.booked == 2 and ten.windows == 3 and ten.enough
    labour = plan[1]
    assert labour.mean_minutes == pytest.approx(sum(forecast.DEFAULT_MINUTES) / len(forecast.DEFAULT_MINUTES))
    assert labour.windows == forecast.windows_needed(3, forecast.DEFAULT_MINUTES, 5)[0]
    crowded = forecast.window_plan({("general", 10): 500.0}, {}, times, 1, max_windows=5)
    assert crowded[0].windows == 5 and not crowded[0].enough
