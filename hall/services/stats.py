"""The director's figures, computed in SQL, each traceable to its records.

A period is a range of the hall's calendar days ``[start, end)``
(Asia/Shanghai). Tickets belong to their business day (``tickets.business_day``),
so a visit that runs past midnight counts on the day it was issued, whole.

Figures are grouped in sections, each computed by a *provider*; this module
registers three: ``queue`` (tickets), ``appointments`` and ``satisfaction``.
Other areas (cases, arbitration, petitions) add theirs with
:func:`register_provider` — or list their module in ``PROVIDER_MODULES`` so it
is imported (and registers itself) on first use.

Definitions (minutes; mean, p50 and p90 by linear interpolation between the
closest ranks, as PostgreSQL's ``percentile_cont``; SQLite computes the same
with ``ROW_NUMBER()`` over the ordered durations):

``queue.tickets``       every ticket of the period, transfer legs included.
``queue.visits``        visits: a transfer chain counts once (its original ticket).
``queue.called``        tickets called to a window.
``queue.finished``      tickets finished at a window.
``queue.waiting``       called − issued, over called tickets (each leg of a
                        transfer chain waited in its own queue).
``queue.walking``       started − called, over tickets whose "start" was
                        pressed (a start stamped at the close, see below, is
                        not a start).
``queue.service_time``  finished − started, over tickets closed at a window
                        (finished, or transferred after being called). When
                        "开始办理" was not pressed (the window finished or
                        transferred directly, which stamps the start at the
                        close), the service time is measured from the call:
                        finished − called. ``queue.service_no_start`` lists
                        those tickets; the report says how many there were.
``queue.no_show``       tickets marked no-show; the rate is over called tickets.
``queue.transferred``   visits whose original ticket was transferred; the rate
                        is over visits (a chain A→B→C counts once).
``queue.cancelled``     tickets cancelled before being called.
``queue.busy``          per window: the tickets it called and closed. A window
                        is *busy* from a call until that ticket is closed
                        (finished, no-show, transferred). Its *staffed time*
                        (开放时长) comes from its open/pause/close events
                        (``window.state``): from each "open" to the next
                        pause or close, cut at the end of that hall day (and
                        at the moment of computing, for today). A state
                        carried over midnight does not count: windows are
                        opened each morning. A day on which a window served
                        tickets but has no such record (imported history) is
                        staffed from its first call to its last close, and
                        counted in ``days_without_record``. *Idle time* =
                        staffed − busy (never below 0); 占用率 = busy ÷
                        staffed (at most 100%).
``appointments.<status>`` bookings of the period's days by status: booked
                        (still pending), kept (checked in on time), late,
                        missed, cancelled; ``appointments.all``.
``satisfaction.ratings`` ratings given in the period (by the moment of rating);
                        ``satisfaction.low``: those of 2 or less;
                        ``satisfaction.satisfied``: those of 4 or 5 stars;
                        满意率 = satisfied ÷ ratings. ``by_source``: the same by
                        where the rating was given (kiosk or follow-up call,
                        both with the visitor's code; the mediation room;
                        older window entries), reported apart.

Every figure can be listed: ``records_for(db, actor, "queue.waiting", period,
service="labour")`` returns exactly the records the figure counts, with the
filters its table row or bar used (``service``, ``window``, ``hour``,
``status``, ``rating``).
"""
from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, Float, Integer, and_, case, cast, extract, func, literal, or_, select
from sqlalchemy.orm import Session

from hall.domain.appointments import AppointmentStatus
from hall.domain.clock import HALL_TZ, UTC, as_utc, as_utc_or_none
from hall.domain.masking import mask_name, mask_phone
from hall.domain.queue import TicketStatus as TS
from hall.store.centre_models import Appointment, Rating
from hall.store.db import Database
from hall.store.models import Service, Ticket, User, Visitor, Window

from .base import Actor, InvalidInput, NotFound
from .views import JsonView

ACTION = "stats.read"


# ------------------------------------------------------------------ period
@dataclass(frozen=True)
class Period:
    """The hall's calendar days ``[start, end)``."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidInput(f"统计区间不正确：结束日期 {self.end} 应晚于开始日期 {self.start}")

    @classmethod
    def day(cls, d: dt.date) -> Period:
        return cls(d, d + dt.timedelta(days=1))

    @classmethod
    def week(cls, d: dt.date) -> Period:
        """The Monday-to-Sunday week holding ``d``."""
        monday = d - dt.timedelta(days=d.weekday())
        return cls(monday, monday + dt.timedelta(days=7))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return cls(first, nxt)

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Period:
        return cls(start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def utc_start(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(0), tzinfo=HALL_TZ).astimezone(UTC)

    @property
    def utc_end(self) -> dt.datetime:
        return dt.datetime.combine(self.end, dt.time(0), tzinfo=HALL_TZ).astimezone(UTC)

    @property
    def label(self) -> str:
        last = self.end - dt.timedelta(days=1)
        return self.start.isoformat() if last == self.start else f"{self.start} 至 {last}"


# --------------------------------------------------------- SQL by backend
class Sql:
    """Expressions whose SQL differs between PostgreSQL and SQLite.

    Times are stored as naive UTC. Asia/Shanghai has kept UTC+8 without
    daylight saving since 1991; SQLite (no time-zone data) adds 8 hours,
    PostgreSQL converts with its zone data.
    """

    def __init__(self, is_postgres: bool):
        self.pg = is_postgres

    def minutes(self, start, end):
        if self.pg:
            return cast(extract("epoch", end - start), Float) / 60.0
        return (func.julianday(end) - func.julianday(start)) * 1440.0

    def _local(self, col):
        return func.timezone("Asia/Shanghai", func.timezone("UTC", col))

    def local_hour(self, col):
        if self.pg:
            return cast(extract("hour", self._local(col)), Integer)
        return cast(func.strftime("%H", col, "+8 hours"), Integer)

    def local_date(self, col):
        if self.pg:
            return cast(self._local(col), Date)
        return func.date(col, "+8 hours")


@dataclass
class StatsContext:
    """What a provider is given: an open read session, the period, the SQL helpers."""

    session: Session
    period: Period
    sql: Sql
    now: dt.datetime


# ----------------------------------------------------------- providers
@dataclass(frozen=True)
class FigureProvider:
    """A section of the statistics: how to compute it and how to list the
    records behind each of its figures (``records(ctx, figure, filters)``)."""

    section: str
    label: str
    figures: Mapping[str, str]                                   # figure -> label
    compute: Callable[[StatsContext], dict]
    records: Callable[[StatsContext, str, dict], list]
    filters: tuple[str, ...] = ()


_PROVIDERS: dict[str, FigureProvider] = {}

#: Modules that register providers when imported (added by the areas that
#: have statistics of their own, e.g. ``"hall.services.cases"``).
PROVIDER_MODULES: list[str] = ["hall.services.stats_cases"]
_loaded: set[str] = set()


def register_provider(provider: FigureProvider) -> None:
    _PROVIDERS[provider.section] = provider


def providers() -> list[FigureProvider]:
    for name in PROVIDER_MODULES:
        if name not in _loaded:
            importlib.import_module(name)
            _loaded.add(name)
    return list(_PROVIDERS.values())


def figures() -> dict[str, str]:
    """Every figure key (``section.figure``) with its label."""
    return {f"{p.section}.{k}": v for p in providers() for k, v in p.figures.items()}


# ----------------------------------------------------------------- helpers
def _r(x) -> float | None:
    return None if x is None else round(float(x), 2)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _rate4(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def staffed_minutes(ctx: StatsContext) -> dict[tuple[str, dt.date], float]:
    """``{(window code, hall day): minutes staffed}`` in the period, from
    the windows' ``window.state`` events: from each "open" to the next pause
    or close of that window, cut at the end of the hall day and at ``now``."""
    from hall.store.models import Event

    p = ctx.period
    rows = ctx.session.execute(
        select(Event.at, Event.payload).where(Event.kind == "window.state", Event.at >= p.utc_start,
                                              Event.at < p.utc_end).order_by(Event.id)).all()
    now = as_utc(ctx.now)
    opened: dict[str, dt.datetime] = {}
    minutes: dict[tuple[str, dt.date], float] = {}

    def add(code: str, start: dt.datetime, end: dt.datetime) -> None:
        # split at hall midnights (the state does not carry over a night)
        day_end = dt.datetime.combine(start.astimezone(HALL_TZ).date() + dt.timedelta(days=1), dt.time(0),
                                      tzinfo=HALL_TZ).astimezone(UTC)
        end = min(end, day_end, now)
        if end > start:
            key = (code, start.astimezone(HALL_TZ).date())
            minutes[key] = minutes.get(key, 0.0) + (end - start).total_seconds() / 60

    for at, payload in rows:
        at = as_utc(at)
        code, state = (payload or {}).get("window"), (payload or {}).get("state")
        if not code:
            continue
        since = opened.pop(code, None)
        if since is not None:
            add(code, since, at)
        if state == "open":
            opened[code] = at
    for code, since in opened.items():
        add(code, since, as_utc(p.utc_end))
    return minutes


def _count_if(*conds):
    return func.count(case((and_(*conds), 1))) if conds else func.count()


def durations(ctx: StatsContext, value, clauses: list, group=None) -> dict[Any, dict]:
    """``{group: {"n", "mean", "p50", "p90"}}`` of ``value`` over the rows
    matching ``clauses``, in one SQL query (``None`` is the group when
    ungrouped). PostgreSQL: ``percentile_cont``; SQLite: ``ROW_NUMBER()`` over
    the ordered values, interpolating between the two ranks around
    ``1 + p × (n − 1)`` exactly as ``percentile_cont`` does."""
    g = group if group is not None else literal(0)
    if ctx.sql.pg:
        stmt = select(g.label("g"), func.count(value), func.avg(value),
                      func.percentile_cont(0.5).within_group(value),
                      func.percentile_cont(0.9).within_group(value)).where(*clauses)
        if group is not None:
            stmt = stmt.group_by(group)
    else:
        # The values once (a CTE used twice is materialised), their count and
        # mean per group, their ranks; then the two ranks around each
        # percentile's position are picked and interpolated.
        v = select(g.label("g"), value.label("v")).where(*clauses).cte("durations")
        n = func.count()
        groups = select(v.c.g, n.label("n"), func.avg(v.c.v).label("mean"),
                        (1 + 0.5 * (n - 1)).label("pos50"), (1 + 0.9 * (n - 1)).label("pos90")
                        ).group_by(v.c.g).subquery()
        ranked = select(v.c.g, v.c.v, func.row_number().over(partition_by=v.c.g, order_by=v.c.v).label("rn")
                        ).subquery()
        cols, wanted = [], []
        for pos in (groups.c.pos50, groups.c.pos90):
            lo = cast(pos, Integer)                     # floor: pos >= 1
            hi = lo + case((pos > lo, 1), else_=0)
            wanted += [ranked.c.rn == lo, ranked.c.rn == hi]
            cols += [func.max(case((ranked.c.rn == lo, ranked.c.v))),
                     func.max(case((ranked.c.rn == hi, ranked.c.v)))]
        picked = (select(groups.c.g, groups.c.n, groups.c.mean, groups.c.pos50, groups.c.pos90,
                         *(c.label(f"v{i}") for i, c in enumerate(cols)))
                  .select_from(ranked.join(groups, groups.c.g == ranked.c.g)).where(or_(*wanted))
                  .group_by(groups.c.g, groups.c.n, groups.c.mean, groups.c.pos50, groups.c.pos90).subquery())
        c = picked.c

        def interpolate(pos, lo, hi):
            return lo + (pos - cast(pos, Integer)) * (hi - lo)

        stmt = select(c.g, c.n, c.mean, interpolate(c.pos50, c.v0, c.v1), interpolate(c.pos90, c.v2, c.v3))
    out = {}
    for key, n, mean, p50, p90 in ctx.session.execute(stmt).all():
        out[None if group is None else key] = {"n": int(n), "mean": _r(mean), "p50": _r(p50), "p90": _r(p90)}
    return out


def _empty_duration() -> dict:
    return {"n": 0, "mean": None, "p50": None, "p90": None}


# =============================================================== queue
def _status():
    """The ticket's status, as an expression no index serves: the business day
    is the selective condition of every figure. (Without ``ANALYZE``
    statistics SQLite would otherwise prefer the queue index on status and
    walk the whole history's finished tickets.)"""
    return Ticket.status.concat("")


def _window_id():
    return Ticket.window_id + 0   # likewise: not the per-window index over all history


def _pressed_start():
    """"开始办理" was pressed: a start stamped at the close is not one."""
    return and_(Ticket.started_at.is_not(None),
                or_(Ticket.finished_at.is_(None), Ticket.started_at < Ticket.finished_at))


def _closed_at_window() -> list:
    return [Ticket.called_at.is_not(None), Ticket.finished_at.is_not(None),
            _status().in_([TS.FINISHED.value, TS.TRANSFERRED.value])]


def _service_start():
    """When the service began: the pressed start, else the call."""
    return case((_pressed_start(), Ticket.started_at), else_=Ticket.called_at)


#: The figures of the queue and the rows each counts (beyond the period and filters).
QUEUE_FIGURES: dict[str, tuple[str, Callable[[], list]]] = {
    "tickets": ("排队号（含转移产生的号）", lambda: []),
    "visits": ("来访人次（转移链只计一次）", lambda: [Ticket.transferred_from_id.is_(None)]),
    "called": ("已叫号", lambda: [Ticket.called_at.is_not(None)]),
    "finished": ("已办结", lambda: [_status() == TS.FINISHED.value]),
    "waiting": ("等候时间（叫号−取号）", lambda: [Ticket.called_at.is_not(None)]),
    "walking": ("到窗时间（开始办理−叫号）", lambda: [Ticket.called_at.is_not(None), _pressed_start()]),
    # closed at a window after a call: finished, or transferred
    "service_time": ("办理时间（办结−开始办理；未按开始办理时自叫号起算）", lambda: _closed_at_window()),
    "service_no_start": ("未按“开始办理”的办结（办理时间自叫号起算）", lambda: [
        *_closed_at_window(), ~_pressed_start()]),
    "no_show": ("过号", lambda: [_status() == TS.NO_SHOW.value]),
    "transferred": ("转移（按首次来访计）", lambda: [Ticket.transferred_from_id.is_(None),
                                             Ticket.transferred_to_id.is_not(None)]),
    "cancelled": ("取消", lambda: [_status() == TS.CANCELLED.value]),
    "busy": ("窗口占用（叫号至结束）", lambda: [Ticket.window_id.is_not(None), Ticket.called_at.is_not(None),
                                       Ticket.finished_at.is_not(None)]),
}


def _ids(s: Session, model, code: str, what: str) -> int:
    found = s.execute(select(model.id).where(model.code == code)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"没有代码为“{code}”的{what}")
    return found


def _ticket_where(ctx: StatsContext, filters: Mapping[str, Any]) -> list:
    p = ctx.period
    clauses = [Ticket.business_day >= p.start, Ticket.business_day < p.end]
    unknown = set(filters) - {"service", "window", "hour", "status"}
    if unknown:
        raise InvalidInput(f"未知的筛选条件：{'、'.join(sorted(unknown))}")
    if filters.get("service") is not None:
        clauses.append(Ticket.service_id == _ids(ctx.session, Service, filters["service"], "业务"))
    if filters.get("window") is not None:
        clauses.append(_window_id() == _ids(ctx.session, Window, filters["window"], "窗口"))
    if filters.get("hour") is not None:
        clauses.append(ctx.sql.local_hour(Ticket.issued_at) == int(filters["hour"]))
    if filters.get("status") is not None:
        clauses.append(_status() == filters["status"])
    return clauses


def _queue_compute(ctx: StatsContext) -> dict:
    s, sql = ctx.session, ctx.sql
    base = _ticket_where(ctx, {})
    f = {k: v[1]() for k, v in QUEUE_FIGURES.items()}
    counted = ("tickets", "visits", "called", "finished", "no_show", "transferred", "cancelled",
               "service_no_start")

    # totals: one pass
    row = s.execute(select(*(_count_if(*f[k]) for k in counted)).where(*base)).one()
    totals = dict(zip(counted, (int(x) for x in row)))

    # per service
    per_service = []
    rows = s.execute(
        select(Service.code, Service.name, Service.active,
               *(_count_if(*f[k]) for k in counted), _count_if(Ticket.transferred_from_id.is_not(None)))
        .select_from(Ticket).join(Service, Service.id == Ticket.service_id).where(*base)
        .group_by(Service.id, Service.code, Service.name, Service.active, Service.sort_order)
        .order_by(Service.sort_order, Service.id)).all()
    for code, name, active, *counts in rows:
        item = {"service": code, "name": name, "active": bool(active)}
        item.update(zip(counted, (int(x) for x in counts[:-1])))
        item["transferred_in"] = int(counts[-1])
        per_service.append(item)

    # durations, overall and per service
    measures = {"waiting": sql.minutes(Ticket.issued_at, Ticket.called_at),
                "walking": sql.minutes(Ticket.called_at, Ticket.started_at),
                "service_time": sql.minutes(_service_start(), Ticket.finished_at)}
    overall = {}
    codes = dict(s.execute(select(Service.id, Service.code)).tuples().all())
    for key, value in measures.items():
        overall[key] = durations(ctx, value, base + f[key]).get(None, _empty_duration())
        by = durations(ctx, value, base + f[key], group=Ticket.service_id)
        by_code = {codes[k]: v for k, v in by.items()}
        for item in per_service:
            item[key] = by_code.get(item["service"], _empty_duration())

    # per window: counts and mean service time, then busy / open / idle
    per_window = {}
    rows = s.execute(
        select(Window.code, Window.number, Window.name, _count_if(*f["called"]), _count_if(*f["finished"]),
               _count_if(*f["no_show"]),
               func.avg(case((and_(*f["service_time"]), measures["service_time"]))))
        .select_from(Ticket).join(Window, Window.id == Ticket.window_id).where(*base)
        .group_by(Window.id, Window.code, Window.number, Window.name).order_by(Window.number)).all()
    for code, number, name, called, finished, no_show, mean_service in rows:
        per_window[code] = {"window": code, "number": number, "name": name, "called": int(called),
                            "finished": int(finished), "no_show": int(no_show),
                            "service_time_mean": _r(mean_service), "days": 0, "open_minutes": 0.0,
                            "busy_minutes": 0.0, "idle_minutes": 0.0}
    day = sql.local_date(Ticket.called_at)
    busy_rows = s.execute(
        select(Window.code, day, sql.minutes(func.min(Ticket.called_at), func.max(Ticket.finished_at)),
               func.sum(sql.minutes(Ticket.called_at, Ticket.finished_at)))
        .select_from(Ticket).join(Window, Window.id == Ticket.window_id)
        .where(*base, *f["busy"]).group_by(Window.code, day)).all()
    staffed = staffed_minutes(ctx)            # {(code, day): minutes}
    occupancy: dict[str, dict] = {}
    for code, d, span, busy_m in busy_rows:
        d = d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))
        t = occupancy.setdefault(code, {"open": 0.0, "busy": 0.0, "days": set(), "inferred": 0})
        t["busy"] += float(busy_m or 0)
        if (code, d) not in staffed:          # no open/pause/close record that day: from the tickets
            t["open"] += float(span or 0)
            t["days"].add(d)
            t["inferred"] += 1
    for (code, d), minutes in staffed.items():
        t = occupancy.setdefault(code, {"open": 0.0, "busy": 0.0, "days": set(), "inferred": 0})
        t["open"] += minutes
        t["days"].add(d)
    for code in occupancy:
        if code not in per_window:
            w = s.execute(select(Window.number, Window.name).where(Window.code == code)).one_or_none()
            if w is None:
                continue
            per_window[code] = {"window": code, "number": w[0], "name": w[1], "called": 0, "finished": 0,
                                "no_show": 0, "service_time_mean": None}
    for code, item in per_window.items():
        t = occupancy.get(code, {"open": 0.0, "busy": 0.0, "days": set(), "inferred": 0})
        item.update(days=len(t["days"]), days_without_record=t["inferred"], open_minutes=_r(t["open"]),
                    busy_minutes=_r(t["busy"]), idle_minutes=_r(max(0.0, t["open"] - t["busy"])),
                    busy_share=_rate4(min(t["busy"], t["open"]), t["open"]))

    # visits per hour of arrival (hall time)
    hour = sql.local_hour(Ticket.issued_at)
    by_hour = [{"hour": int(h), "visits": int(n)} for h, n in s.execute(
        select(hour, func.count()).where(*base, *f["visits"]).group_by(hour).order_by(hour)).all()]

    return {
        **totals,
        "no_show_rate": _rate(totals["no_show"], totals["called"]),
        "transfer_rate": _rate(totals["transferred"], totals["visits"]),
        "waiting": overall["waiting"],
        "walking": overall["walking"],
        "service_time": overall["service_time"],
        "by_service": per_service,
        "by_window": sorted(per_window.values(), key=lambda w: (w["number"], w["window"])),
        "by_hour": by_hour,
    }


@dataclass(frozen=True)
class TicketRecord(JsonView):
    id: int
    number: str
    service: str
    service_name: str
    status: str
    business_day: dt.date
    issued_at: dt.datetime
    called_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    window: str | None
    window_number: int | None
    priority_reason: str | None
    transferred_from: int | None
    transferred_to: int | None
    masked_name: str
    kind: str = "ticket"


_t = as_utc_or_none


def _queue_records(ctx: StatsContext, figure: str, filters: dict) -> list[TicketRecord]:
    if figure not in QUEUE_FIGURES:
        raise NotFound(f"没有统计项 queue.{figure}")
    clauses = _ticket_where(ctx, filters) + QUEUE_FIGURES[figure][1]()
    rows = ctx.session.execute(
        select(Ticket.id, Ticket.number, Service.code, Service.name, Ticket.status, Ticket.business_day,
               Ticket.issued_at, Ticket.called_at, Ticket.started_at, Ticket.finished_at, Window.code,
               Window.number, Ticket.priority_reason, Ticket.transferred_from_id,
               Ticket.transferred_to_id, Visitor.name)
        .select_from(Ticket).join(Service, Service.id == Ticket.service_id)
        .outerjoin(Window, Window.id == Ticket.window_id).outerjoin(Visitor, Visitor.id == Ticket.visitor_id)
        .where(*clauses).order_by(Ticket.issued_at, Ticket.id)).all()
    return [TicketRecord(r[0], r[1], r[2], r[3], r[4], r[5], _t(r[6]), _t(r[7]), _t(r[8]), _t(r[9]),
                         r[10], r[11], r[12], r[13], r[14], mask_name(r[15]) if r[15] else "")
            for r in rows]


# ========================================================== appointments
APPOINTMENT_FIGURES: dict[str, tuple[str, str | None]] = {
    "all": ("全部预约", None),
    "booked": ("待签到", AppointmentStatus.BOOKED.value),
    "kept": ("按时签到", AppointmentStatus.CHECKED_IN.value),
    "late": ("迟到", AppointmentStatus.LATE.value),
    "missed": ("爽约", AppointmentStatus.MISSED.value),
    "cancelled": ("已取消", AppointmentStatus.CANCELLED.value),
}


def _appointment_where(ctx: StatsContext, filters: Mapping[str, Any]) -> list:
    unknown = set(filters) - {"service"}
    if unknown:
        raise InvalidInput(f"未知的筛选条件：{'、'.join(sorted(unknown))}")
    clauses = [Appointment.day >= ctx.period.start, Appointment.day < ctx.period.end]
    if filters.get("service") is not None:
        clauses.append(Appointment.service_id == _ids(ctx.session, Service, filters["service"], "业务"))
    return clauses


def _appointments_compute(ctx: StatsContext) -> dict:
    counts = dict(ctx.session.execute(
        select(Appointment.status, func.count()).where(*_appointment_where(ctx, {}))
        .group_by(Appointment.status)).tuples().all())
    figures = {key: int(counts.get(status, 0)) if status else int(sum(counts.values()))
               for key, (_, status) in APPOINTMENT_FIGURES.items()}
    due = figures["kept"] + figures["late"] + figures["missed"]
    out: dict[str, float | None] = {**figures, "missed_rate": _rate(figures["missed"], due),
                                    "late_rate": _rate(figures["late"], due)}
    return out


@dataclass(frozen=True)
class AppointmentRecord(JsonView):
    id: int
    service: str
    service_name: str
    day: dt.date
    slot_start: dt.datetime
    status: str
    masked_name: str
    masked_phone: str
    ticket_id: int | None
    kind: str = "appointment"


def _appointments_records(ctx: StatsContext, figure: str, filters: dict) -> list[AppointmentRecord]:
    if figure not in APPOINTMENT_FIGURES:
        raise NotFound(f"没有统计项 appointments.{figure}")
    clauses = _appointment_where(ctx, filters)
    status = APPOINTMENT_FIGURES[figure][1]
    if status:
        clauses.append(Appointment.status == status)
    rows = ctx.session.execute(
        select(Appointment.id, Service.code, Service.name, Appointment.day, Appointment.slot_start,
               Appointment.status, Appointment.name, Appointment.phone, Appointment.ticket_id)
        .join(Service, Service.id == Appointment.service_id).where(*clauses)
        .order_by(Appointment.slot_start, Appointment.id)).all()
    return [AppointmentRecord(r[0], r[1], r[2], r[3], as_utc(r[4]), r[5], mask_name(r[6]),
                              mask_phone(r[7]), r[8]) for r in rows]


# ========================================================== satisfaction
SATISFACTION_FIGURES = {"ratings": "满意度评价", "low": "不满意评价（2星及以下）",
                        "satisfied": "满意评价（4星及以上）", "satisfied_rate": "满意率（4星及以上 ÷ 全部评价）"}
#: Where a rating was given (``ratings.channel``), reported apart.
RATING_SOURCES = {"kiosk": "自助评价机（访客凭评价码）", "call": "回访电话（访客凭评价码，记录回访人）",
                  "session": "调解现场（当事人评价）", "window": "窗口录入（旧记录，已停用）"}


def _rating_where(ctx: StatsContext, filters: Mapping[str, Any]) -> list:
    unknown = set(filters) - {"service", "window", "rating", "source"}
    if unknown:
        raise InvalidInput(f"未知的筛选条件：{'、'.join(sorted(unknown))}")
    clauses = [Rating.rated_at >= ctx.period.utc_start, Rating.rated_at < ctx.period.utc_end]
    if filters.get("service") is not None:
        clauses.append(Rating.service_id == _ids(ctx.session, Service, filters["service"], "业务"))
    if filters.get("window") is not None:
        clauses.append(Rating.window_id == _ids(ctx.session, Window, filters["window"], "窗口"))
    if filters.get("rating") is not None:
        clauses.append(Rating.rating == int(filters["rating"]))
    if filters.get("source") is not None:
        clauses.append(Rating.channel == str(filters["source"]))
    return clauses


def _satisfaction_compute(ctx: StatsContext) -> dict:
    s = ctx.session
    where = _rating_where(ctx, {})
    n, mean, low, low_open = s.execute(select(
        func.count(), func.avg(Rating.rating), _count_if(Rating.rating <= 2),
        _count_if(Rating.rating <= 2, Rating.resolved.is_(False))).where(*where)).one()
    dist = dict(s.execute(select(Rating.rating, func.count()).where(*where).group_by(Rating.rating)).tuples().all())
    by_window = [{"window": code, "number": number, "count": int(c), "mean": _r(m)}
                 for code, number, c, m in s.execute(
                     select(Window.code, Window.number, func.count(), func.avg(Rating.rating))
                     .join(Window, Window.id == Rating.window_id).where(*where)
                     .group_by(Window.code, Window.number).order_by(Window.number)).all()]
    satisfied = int(sum(int(dist.get(k, 0)) for k in (4, 5)))
    by_source = [{"source": ch, "name": RATING_SOURCES.get(ch, ch), "count": int(c),
                  "satisfied": int(ok), "mean": _r(m)}
                 for ch, c, ok, m in s.execute(
                     select(Rating.channel, func.count(), _count_if(Rating.rating >= 4), func.avg(Rating.rating))
                     .where(*where).group_by(Rating.channel).order_by(Rating.channel)).all()]
    return {"count": int(n), "mean": _r(mean),
            "distribution": {str(k): int(dist.get(k, 0)) for k in range(1, 6)},
            "low": int(low), "low_unresolved": int(low_open), "by_window": by_window,
            "satisfied": satisfied, "satisfied_rate": _rate(satisfied, int(n)), "by_source": by_source}


@dataclass(frozen=True)
class RatingRecord(JsonView):
    id: int
    subject_type: str
    subject_id: int
    rating: int
    tags: tuple[str, ...]
    comment: str
    rated_at: dt.datetime
    resolved: bool
    source: str = ""
    recorded_by: str = ""            # the caller, for a follow-up call
    kind: str = "rating"

    @property
    def source_name(self) -> str:
        return RATING_SOURCES.get(self.source, self.source)


def _satisfaction_records(ctx: StatsContext, figure: str, filters: dict) -> list[RatingRecord]:
    if figure not in SATISFACTION_FIGURES:
        raise NotFound(f"没有统计项 satisfaction.{figure}")
    clauses = _rating_where(ctx, filters)
    if figure == "low":
        clauses.append(Rating.rating <= 2)
    elif figure == "satisfied":
        clauses.append(Rating.rating >= 4)
    rows = ctx.session.execute(
        select(Rating, User.display_name, User.username)
        .outerjoin(User, (Rating.channel == "call") & (User.id == Rating.recorded_by))
        .where(*clauses).order_by(Rating.rated_at, Rating.id)).all()
    return [RatingRecord(r.id, r.subject_type, r.subject_id, r.rating, tuple(r.tags or ()), r.comment or "",
                         as_utc(r.rated_at), bool(r.resolved), r.channel, caller or login or "")
            for r, caller, login in rows]


register_provider(FigureProvider("queue", "排队叫号", {k: v[0] for k, v in QUEUE_FIGURES.items()},
                                 _queue_compute, _queue_records, ("service", "window", "hour", "status")))
register_provider(FigureProvider("appointments", "预约", {k: v[0] for k, v in APPOINTMENT_FIGURES.items()},
                                 _appointments_compute, _appointments_records, ("service",)))
register_provider(FigureProvider("satisfaction", "满意度", SATISFACTION_FIGURES, _satisfaction_compute,
                                 _satisfaction_records, ("service", "window", "rating", "source")))


# ================================================================ public
@dataclass(frozen=True)
class StatsReport(JsonView):
    period_from: dt.date
    period_to: dt.date          # exclusive
    label: str
    computed_at: dt.datetime
    sections: dict = field(default_factory=dict)

    def __getitem__(self, section: str) -> dict:
        return self.sections[section]


def compute(db: Database, actor: Actor, period: Period, sections: list[str] | None = None) -> StatsReport:
    """Every section's figures for ``period`` (or only ``sections``)."""
    actor.require(ACTION)
    chosen = providers()
    if sections is not None:
        unknown = set(sections) - {p.section for p in chosen}
        if unknown:
            raise InvalidInput(f"未知的统计类别：{'、'.join(sorted(unknown))}")
        chosen = [p for p in chosen if p.section in sections]
    now = db.clock.now()
    with db.read() as s:
        ctx = StatsContext(s, period, Sql(db.is_postgres), now)
        out = {p.section: p.compute(ctx) for p in chosen}
    return StatsReport(period.start, period.end, period.label, now, out)


def records_for(db: Database, actor: Actor, figure_key: str, period: Period, **filters: Any) -> list:
    """The records a figure counts (``"queue.waiting"``, ``"appointments.missed"``,
    ``"satisfaction.low"``...), with the same filters as its row or bar."""
    actor.require(ACTION)
    section, _, figure = figure_key.partition(".")
    provider = {p.section: p for p in providers()}.get(section)
    if provider is None or not figure:
        raise NotFound(f"没有统计项 {figure_key}")
    filters = {k: v for k, v in filters.items() if v is not None}
    with db.read() as s:
        return provider.records(StatsContext(s, period, Sql(db.is_postgres), db.clock.now()), figure, filters)


__all__ = ["AppointmentRecord", "FigureProvider", "PROVIDER_MODULES", "Period", "RatingRecord", "Sql",
           "StatsContext", "StatsReport", "TicketRecord", "compute", "durations", "figures", "providers",
           "records_for", "register_provider"]
