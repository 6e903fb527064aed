"""An honest wait range: how long until a ticket is called (pure, no I/O).

The range is not "people ahead × average time". It is the 20–80 % interval of
many simulated futures of the hall as it stands now: the windows open now,
each with its order of preference and the visit it is busy with; the waiting
tickets with their priority and appointment weights; service times drawn
from what visits of that service took at that hour of the day (trimmed
quantiles of finished tickets, sensible defaults for a new hall). Each
simulated window calls exactly whom :func:`hall.domain.queue.pick_next` would
call — the same score, ties, and consecutive-priority cap.

Visitors who arrive later and jump ahead (a priority visitor, an appointment)
are not simulated: the range is re-estimated on every call, finish and window
change, so it moves as the hall does.
"""
from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .queue import DEFAULT_PRIORITY_CAP, DEFAULT_RANK_PENALTY_MINUTES, Candidate, call_order_key

#: Minutes a visit takes in a hall with no history yet: mostly short
#: consultations, some long ones (the spread matters as much as the middle).
DEFAULT_MINUTES: tuple[float, ...] = (3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 20, 25)
#: Fewer finished visits than this in a service and hour: use the service's
#: whole day; fewer than this in the service: the hall default.
MIN_SAMPLES = 8
#: Share cut off at each end before taking quantiles (a visit left open over
#: lunch, a ticket finished by mistake at once).
TRIM = 0.05
#: Quantile points kept per distribution.
POINTS = 21
LOW_Q, HIGH_Q = 0.2, 0.8
DEFAULT_RUNS = 100
#: Upper bound on simulated calls per estimate (runs × people ahead), so the
#: estimate for a hall with hundreds waiting stays within a few tens of ms.
CALL_BUDGET = 12_000
MIN_RUNS = 40


def trimmed_quantiles(values: Sequence[float], *, trim: float = TRIM, points: int = POINTS) -> tuple[float, ...]:
    """``points`` quantiles of ``values`` between the ``trim`` and ``1 - trim`` quantiles."""
    xs = sorted(float(v) for v in values if v is not None and v >= 0)
    if not xs:
        raise ValueError("no values")
    n = len(xs)

    def q(p: float) -> float:
        pos = p * (n - 1)
        lo = math.floor(pos)
        hi = min(lo + 1, n - 1)
        return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)

    step = (1 - 2 * trim) / (points - 1)
    return tuple(max(q(trim + i * step), 0.5) for i in range(points))


@dataclass(frozen=True)
class ServiceTimes:
    """Service-time distributions (minutes) per service and local hour."""

    by_hour: Mapping[tuple[str, int], tuple[float, ...]]
    by_service: Mapping[str, tuple[float, ...]]
    default: tuple[float, ...] = DEFAULT_MINUTES

    def grid(self, service: str, hour: int) -> tuple[float, ...]:
        return self.by_hour.get((service, hour)) or self.by_service.get(service) or self.default

    def source(self, service: str, hour: int) -> str:
        if (service, hour) in self.by_hour:
            return "hour"
        return "service" if service in self.by_service else "default"


def service_times(samples: Iterable[tuple[str, int, float]], *, min_samples: int = MIN_SAMPLES,
                  default: Sequence[float] = DEFAULT_MINUTES) -> ServiceTimes:
    """From finished visits ``(service code, local hour, minutes)``."""
    hours: dict[tuple[str, int], list[float]] = {}
    services: dict[str, list[float]] = {}
    for code, hour, minutes in samples:
        if minutes is None or minutes < 0:
            continue
        hours.setdefault((code, int(hour)), []).append(minutes)
        services.setdefault(code, []).append(minutes)
    return ServiceTimes(
        by_hour={k: trimmed_quantiles(v) for k, v in hours.items() if len(v) >= min_samples},
        by_service={k: trimmed_quantiles(v) for k, v in services.items() if len(v) >= min_samples},
        default=tuple(default))


@dataclass(frozen=True)
class WindowNow:
    """An open window as the forecast sees it."""

    code: str
    ranks: Mapping[str, int]              # service code → rank (0 = its own service)
    busy_service: str | None = None       # the service of the visit at the window now
    busy_minutes: float = 0.0             # how long that visit has lasted so far
    consecutive_priority: int = 0


@dataclass(frozen=True)
class Estimate:
    low: float                # minutes, 20 % quantile
    high: float               # minutes, 80 % quantile
    median: float
    runs: int

    @property
    def low_rounded(self) -> int:
        return rounded_range(self.low, self.high)[0]

    @property
    def high_rounded(self) -> int:
        return rounded_range(self.low, self.high)[1]

    @property
    def text(self) -> str:
        return range_text(self.low, self.high)


def rounded_range(low: float, high: float) -> tuple[int, int]:
    """To five minutes, outwards: an interval is never narrower than it was."""
    lo = int(math.floor(max(low, 0) / 5) * 5)
    hi = int(math.ceil(max(high, 0) / 5) * 5)
    if hi <= lo:
        hi = lo + 5
    return lo, hi


def range_text(low: float, high: float) -> str:
    """``"约 15–25 分钟"``; ``"约 5 分钟内"`` when the call is near."""
    lo, hi = rounded_range(low, high)
    if hi <= 5:
        return "约 5 分钟内"
    if lo >= 120:
        return f"约 {lo // 60}–{math.ceil(hi / 60)} 小时"
    return f"约 {lo}–{hi} 分钟"


def _quantile(sorted_xs: Sequence[float], p: float) -> float:
    pos = p * (len(sorted_xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


def runs_for(ahead: int, runs: int = DEFAULT_RUNS) -> int:
    """Fewer runs for a very long queue, so the work stays bounded."""
    return max(min(runs, MIN_RUNS), min(runs, CALL_BUDGET // max(ahead, 1)))


def estimate_wait(candidates: Sequence[Candidate], windows: Sequence[WindowNow], times: ServiceTimes,
                  target_id: int, *, local_minute: float, cap: int = DEFAULT_PRIORITY_CAP,
                  rank_penalty_minutes: int = DEFAULT_RANK_PENALTY_MINUTES, runs: int = DEFAULT_RUNS,
                  seed: int | None = None) -> Estimate | None:
    """The 20–80 % range of minutes until ``target_id`` is called.

    ``candidates`` are the waiting tickets (the target among them),
    ``windows`` the windows open now, ``local_minute`` the minutes since local
    midnight (the hour picks the service-time distribution). ``None`` when no
    open window serves the target's service.
    """
    waits = simulate_waits(candidates, windows, times, target_id, local_minute=local_minute, cap=cap,
                           rank_penalty_minutes=rank_penalty_minutes, runs=runs, seed=seed)
    if not waits:
        return None
    waits.sort()
    return Estimate(low=_quantile(waits, LOW_Q), high=_quantile(waits, HIGH_Q),
                    median=_quantile(waits, 0.5), runs=len(waits))


def simulate_waits(candidates: Sequence[Candidate], windows: Sequence[WindowNow], times: ServiceTimes,
                   target_id: int, *, local_minute: float, cap: int = DEFAULT_PRIORITY_CAP,
                   rank_penalty_minutes: int = DEFAULT_RANK_PENALTY_MINUTES, runs: int = DEFAULT_RUNS,
                   seed: int | None = None,
                   durations: Callable[[Candidate, int, random.Random], float] | None = None) -> list[float]:
    """Minutes until the target is called, one value per simulated run.

    ``durations(candidate, hour, rng)`` replaces the drawn service times
    (tests replay a fixed future against :func:`~hall.domain.queue.pick_next`);
    the hook does not apply to the visits at the windows now.
    """
    cands = list(candidates)
    index = {c.ticket_id: i for i, c in enumerate(cands)}
    if target_id not in index:
        raise ValueError("the target ticket is not among the candidates")
    target = index[target_id]
    target_service = cands[target].service_code
    wins = [w for w in windows if w.ranks]
    if not any(target_service in w.ranks for w in wins):
        return []
    # Each window calls the first untaken ticket of its own order (the order
    # pick_next's key gives, which does not change as time passes); under the
    # priority cap, the first untaken ordinary one.
    orders: list[list[int]] = []
    ordinary_orders: list[list[int]] = []
    for w in wins:
        ranks = w.ranks
        pool = [i for i, c in enumerate(cands) if c.service_code in ranks]
        pool.sort(key=lambda i: call_order_key(cands[i], ranks, rank_penalty_minutes))
        orders.append(pool)
        ordinary_orders.append([i for i in pool if not cands[i].has_priority])
    services = sorted({c.service_code for c in cands} | {w.busy_service for w in wins if w.busy_service})
    svc_index = {s: k for k, s in enumerate(services)}
    cand_svc = [svc_index[c.service_code] for c in cands]
    prio = [c.has_priority for c in cands]
    grids = [[times.grid(s, h) for h in range(24)] for s in services]
    n_runs = runs_for(_calls_guess(orders, target, len(cands)), runs)
    rng = random.Random(seed if seed is not None else target_id)
    rand = rng.random
    base = float(local_minute)
    nw = len(wins)
    n = len(cands)
    # The visit at each busy window lasts as long as one of the visits that
    # lasted longer than it has so far (a minute if it is longer than most).
    busy_left: list[tuple[list[float], float] | None] = []
    for w in wins:
        if w.busy_service is None:
            busy_left.append(None)
            continue
        g = grids[svc_index[w.busy_service]][int(base // 60) % 24]
        busy_left.append(([x for x in g if x > w.busy_minutes] or [w.busy_minutes + 1.0], w.busy_minutes))
    start_consec = [w.consecutive_priority for w in wins]
    results: list[float] = []
    for _ in range(n_runs):
        taken = bytearray(n)
        ptr = [0] * nw
        optr = [0] * nw
        consec = start_consec[:]
        heap: list[tuple[float, int]] = []
        for k in range(nw):
            b = busy_left[k]
            heap.append((0.0 if b is None else b[0][int(rand() * len(b[0]))] - b[1], k))
        heapq.heapify(heap)
        while heap:
            t, k = heapq.heappop(heap)
            pick = -1
            if cap > 0 and consec[k] >= cap:
                order = ordinary_orders[k]
                p = optr[k]
                while p < len(order) and taken[order[p]]:
                    p += 1
                optr[k] = p
                if p < len(order):
                    pick = order[p]
            if pick < 0:
                order = orders[k]
                p = ptr[k]
                while p < len(order) and taken[order[p]]:
                    p += 1
                ptr[k] = p
                if p == len(order):
                    continue  # nothing left this window serves: it stays idle
                pick = order[p]
            if pick == target:
                results.append(t)
                break
            taken[pick] = 1
            consec[k] = consec[k] + 1 if prio[pick] else 0
            hour = int((base + t) // 60) % 24
            if durations is None:
                g = grids[cand_svc[pick]][hour]
                dur = g[int(rand() * len(g))]
            else:
                dur = durations(cands[pick], hour, rng)
            heapq.heappush(heap, (t + dur, k))
    return results


def _calls_guess(orders: list[list[int]], target: int, n: int) -> int:
    """About how many calls a run makes before the target's: each window
    calls up to the target's place in its own order (at most everyone)."""
    total = 0
    for order in orders:
        try:
            total += order.index(target)
        except ValueError:
            total += len(order)
    return min(total, n)


@dataclass(frozen=True)
class Coverage:
    """Promised against actual for one service."""

    service: str
    estimated: int          # tickets called that had a promise at issue
    within: int             # called inside the promised range
    earlier: int
    later: int

    @property
    def rate(self) -> float | None:
        return self.within / self.estimated if self.estimated else None


def coverage(service: str, pairs: Iterable[tuple[int, int, float]]) -> Coverage:
    """``(low, high, actual minutes)`` per called ticket → how often the range held."""
    within = earlier = later = n = 0
    for low, high, actual in pairs:
        n += 1
        if actual < low:
            earlier += 1
        elif actual > high:
            later += 1
        else:
            within += 1
    return Coverage(service, n, within, earlier, later)


# ------------------------------------------------------------ staffing
#: The share of visitors the target wait is promised to (the top of the 20–80 % range).
STAFFING_SHARE = 0.8
MAX_WINDOWS = 30


def erlang_c(windows: int, load: float) -> float:
    """The probability that an arriving visitor has to wait (Erlang C), with
    ``load`` the offered work in erlangs (arrivals per minute × mean minutes);
    1 when the windows cannot keep up."""
    if load <= 0:
        return 0.0
    if windows <= load:
        return 1.0
    b = 1.0                               # Erlang B, by the stable recursion
    for c in range(1, windows + 1):
        b = load * b / (c + load * b)
    return windows * b / (windows - load * (1 - b))


def wait_quantile(windows: int, arrivals_per_hour: float, minutes: Sequence[float],
                  share: float = STAFFING_SHARE) -> float:
    """Minutes within which ``share`` of the visitors of one service are
    called with ``windows`` windows open for it (``inf`` when they cannot keep up).

    Allen–Cunneen's M/G/c approximation: the Erlang C wait, scaled by
    ``(1 + cs²) / 2`` for the spread of the service times (cs the coefficient
    of variation of ``minutes``, an equal-probability grid such as
    :meth:`ServiceTimes.grid`); arrivals taken as Poisson.
    """
    if arrivals_per_hour <= 0:
        return 0.0
    if windows <= 0:
        return math.inf
    mean = sum(minutes) / len(minutes)
    var = sum((x - mean) ** 2 for x in minutes) / len(minutes)
    load = arrivals_per_hour / 60 * mean
    if windows <= load:
        return math.inf
    p_wait = erlang_c(windows, load)
    tail = 1 - share
    if p_wait <= tail:
        return 0.0
    scale = (1 + var / (mean * mean)) / 2      # Allen–Cunneen: (ca² + cs²) / 2 with ca² = 1
    rate = (windows - load) / (mean * scale)   # the conditional wait is exponential at this rate
    return math.log(p_wait / tail) / rate


def windows_needed(arrivals_per_hour: float, minutes: Sequence[float], target_minutes: float, *,
                   share: float = STAFFING_SHARE, max_windows: int = MAX_WINDOWS) -> tuple[int, float]:
    """The smallest number of windows that calls ``share`` of the visitors
    within ``target_minutes``, and that wait; ``(max_windows, wait)`` when
    even that many are not enough. No arrivals: ``(0, 0.0)``."""
    if arrivals_per_hour <= 0:
        return 0, 0.0
    w = math.inf
    for c in range(1, max_windows + 1):
        w = wait_quantile(c, arrivals_per_hour, minutes, share)
        if w <= target_minutes:
            return c, w
    return max_windows, w


@dataclass(frozen=True)
class HourPlan:
    """The suggestion for one service in one hour."""

    service: str
    hour: int                 # local hour the row starts at
    arrivals: float           # expected visitors in the hour (walk-ins + bookings)
    booked: int               # of which booked
    mean_minutes: float
    windows: int
    wait_minutes: float       # the ``share`` quantile of the wait with that many windows
    enough: bool              # False: even ``max_windows`` do not meet the target


def window_plan(walk_ins: Mapping[tuple[str, int], float], booked: Mapping[tuple[str, int], int],
                times: ServiceTimes, target_minutes: float, *, share: float = STAFFING_SHARE,
                max_windows: int = MAX_WINDOWS) -> list[HourPlan]:
    """Windows per service and hour for one day: ``walk_ins`` the expected
    walk-in visitors per (service, hour) — the mean of the same weekday over
    recent weeks — and ``booked`` that day's appointments per (service,
    hour). Each hour is taken on its own (a queue left over from the hour
    before is not carried), each service on its own windows."""
    keys = sorted(set(walk_ins) | set(booked), key=lambda k: (k[1], k[0]))
    out = []
    for service, hour in keys:
        n_booked = int(booked.get((service, hour), 0))
        arrivals = float(walk_ins.get((service, hour), 0.0)) + n_booked
        if arrivals <= 0:
            continue
        grid = times.grid(service, hour)
        c, w = windows_needed(arrivals, grid, target_minutes, share=share, max_windows=max_windows)
        out.append(HourPlan(service, hour, arrivals, n_booked, sum(grid) / len(grid), c, w,
                            w <= target_minutes))
    return out
