"""The wait range: the simulated hall calls exactly whom pick_next would call."""
from __future__ import annotations

import heapq
import random

import pytest

from hall.domain import forecast
from hall.domain.forecast import WindowNow, estimate_wait, range_text, service_times, simulate_waits
from hall.domain.queue import Candidate, pick_next

NO_HISTORY = service_times([])


def _reference_wait(cands, windows, target_id, durations, cap=3, penalty=10):
    """The hall replayed with pick_next itself, one call at a time."""
    pool = list(cands)
    consec = {w.code: w.consecutive_priority for w in windows}
    heap = [(0.0, i) for i in range(len(windows))]
    heapq.heapify(heap)
    while heap:
        t, i = heapq.heappop(heap)
        w = windows[i]
        c = pick_next(pool, w.ranks, consecutive_priority=consec[w.code], cap=cap, rank_penalty_minutes=penalty)
        if c is None:
            continue
        if c.ticket_id == target_id:
            return t
        pool.remove(c)
        consec[w.code] = consec[w.code] + 1 if c.has_priority else 0
        heapq.heappush(heap, (t + durations[c.ticket_id], i))
    return None


def _hall(seed: int, n: int = 60):
    rng = random.Random(seed)
    services = ["A", "L", "T", "X"]
    cands = []
    for i in range(1, n + 1):
        weight = rng.choice([0, 0, 0, 40, 60])
        cands.append(Candidate(i, rng.choice(services), 1_000_000 + i * 60 - weight * 60, weight > 0))
    windows = [WindowNow("w1", {"A": 0, "X": 1}), WindowNow("w2", {"L": 0, "A": 1}),
               WindowNow("w3", {"T": 0, "A": 1}), WindowNow("w4", {"X": 0, "A": 1}, consecutive_priority=2)]
    durations = {c.ticket_id: rng.choice([3.0, 5.0, 8.0, 13.0, 21.0]) for c in cands}
    return cands, windows, durations


@pytest.mark.parametrize("seed", range(8))
def test_the_simulated_call_order_is_the_pick_next_order(seed):
    cands, windows, durations = _hall(seed)
    for target in (cands[5].ticket_id, cands[30].ticket_id, cands[-1].ticket_id):
        expected = _reference_wait(cands, windows, target, durations)
        waits = simulate_waits(cands, windows, NO_HISTORY, target, local_minute=600, runs=1,
                               durations=lambda c, hour, rng: durations[c.ticket_id])
        assert waits == [pytest.approx(expected)]


def test_a_new_hall_uses_the_default_service_times():
    assert NO_HISTORY.grid("A", 9) == forecast.DEFAULT_MINUTES
    assert NO_HISTORY.source("A", 9) == "default"


def test_trimmed_quantiles_drop_the_visit_left_open_over_lunch():
    minutes = [8.0] * 40 + [240.0]
    grid = forecast.trimmed_quantiles(minutes)
    assert max(grid) < 20


def test_distributions_are_per_service_and_hour_with_fallbacks():
    samples = [("L", 9, 20.0)] * 10 + [("L", 14, 5.0)] * 3 + [("A", 10, 6.0)] * 2
    times = service_times(samples)
    assert times.source("L", 9) == "hour"
    assert times.grid("L", 9)[len(times.grid("L", 9)) // 2] == pytest.approx(20.0)
    assert times.source("L", 14) == "service"     # only three finished at 14:00
    assert times.source("A", 10) == "default"     # too few for this service


def test_more_open_windows_shorten_the_range():
    cands = [Candidate(i, "A", 1000 + i, False) for i in range(1, 21)]
    one = estimate_wait(cands, [WindowNow("w1", {"A": 0})], NO_HISTORY, 20, local_minute=600)
    three = estimate_wait(cands, [WindowNow(f"w{k}", {"A": 0}) for k in range(3)], NO_HISTORY, 20,
                          local_minute=600)
    assert three.high < one.low
    assert one.low < one.median < one.high


def test_a_priority_visitor_waits_less_than_the_ordinary_one_behind_the_same_queue():
    cands = [Candidate(i, "A", 1000 + i * 60, False) for i in range(1, 11)]
    cands.append(Candidate(11, "A", 1000 + 11 * 60 - 60 * 60, True))   # 60-minute priority weight
    cands.append(Candidate(12, "A", 1000 + 12 * 60, False))
    w = [WindowNow("w1", {"A": 0})]
    assert estimate_wait(cands, w, NO_HISTORY, 11, local_minute=600).median < \
        estimate_wait(cands, w, NO_HISTORY, 12, local_minute=600).median


def test_no_window_serving_the_service_gives_no_range():
    cands = [Candidate(1, "L", 1000, False)]
    assert estimate_wait(cands, [WindowNow("w1", {"A": 0})], NO_HISTORY, 1, local_minute=600) is None


def test_the_visit_at_the_window_delays_the_first_call():
    cands = [Candidate(1, "A", 1000, False)]
    free = estimate_wait(cands, [WindowNow("w1", {"A": 0})], NO_HISTORY, 1, local_minute=600)
    busy = estimate_wait(cands, [WindowNow("w1", {"A": 0}, "A", 2.0)], NO_HISTORY, 1, local_minute=600)
    assert free.high == 0 and busy.low > 0


@pytest.mark.parametrize("low, high, text", [
    (0, 3.2, "约 5 分钟内"), (12.4, 23.9, "约 10–25 分钟"), (15, 25, "约 15–25 分钟"),
    (20, 20, "约 20–25 分钟"), (130, 170, "约 2–3 小时"),
])
def test_the_range_is_worded_outwards_to_five_minutes(low, high, text):
    assert range_text(low, high) == text


def test_coverage_counts_waits_inside_before_and_after_the_promise():
    cov = forecast.coverage("A", [(10, 20, 15), (10, 20, 5), (10, 20, 31), (0, 5, 5)])
    assert (cov.estimated, cov.within, cov.earlier, cov.later) == (4, 2, 1, 1)
    assert cov.rate == 0.5
