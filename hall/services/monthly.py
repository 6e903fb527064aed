"""The director's overview and the centre's monthly report.

:func:`overview` is what the director's dashboard shows for any period: the
statistics (:func:`hall.services.stats.compute`), the waiting time by hour of
arrival, the deadlines at risk and the low ratings waiting for follow-up.

:func:`monthly_data` gathers one calendar month into the plain
:class:`reports.monthly.MonthlyData` the renderer takes; every figure in it
is the figure ``stats.compute`` gives for that month (the report adds no
definitions of its own), plus

* the waiting time by hour of arrival: ``queue.waiting`` grouped by the hall
  hour of ``issued_at`` (``records_for("queue.waiting", period, hour=h)``
  lists a bar's tickets);
* visits per business day;
* the deadlines at risk when the report is made: overdue, or due within the
  next seven days (``deadlines.list_deadlines`` ``overdue`` + ``week``);
* the month's ratings of 2 stars or less with their follow-up.

:func:`render_monthly` renders it as PDF or XLSX.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from hall.domain.clock import as_utc, local_day, to_local
from hall.store.db import Database
from hall.store.models import Ticket
from reports import monthly as rm

from . import deadlines as dl
from . import satisfaction as sat
from . import stats
from .base import Actor, InvalidInput
from .centre import centre_profile
from .views import JsonView

CORE_SECTIONS = ("queue", "appointments", "satisfaction")


# --------------------------------------------------------------- figures
def _duration(d: dict | None) -> rm.Duration:
    d = d or {}
    return rm.Duration(int(d.get("n") or 0), d.get("mean"), d.get("p50"), d.get("p90"))


def waiting_by_hour(db: Database, actor: Actor, period: stats.Period) -> list[rm.HourRow]:
    """Visits and waiting time (``queue.waiting``) by the hall hour the ticket
    was issued, over the hours that had any visit or any called ticket."""
    actor.require(stats.ACTION)
    with db.read() as s:
        ctx = stats.StatsContext(s, period, stats.Sql(db.is_postgres), db.clock.now())
        hour = ctx.sql.local_hour(Ticket.issued_at)
        base = [Ticket.business_day >= period.start, Ticket.business_day < period.end]
        visits = dict(s.execute(select(hour, func.count()).where(
            *base, Ticket.transferred_from_id.is_(None)).group_by(hour)).all())
        waits = stats.durations(ctx, ctx.sql.minutes(Ticket.issued_at, Ticket.called_at),
                                base + [Ticket.called_at.is_not(None)], group=hour)
    hours = sorted({int(h) for h in visits} | {int(h) for h in waits})
    return [rm.HourRow(h, int(visits.get(h, 0)), _duration(waits.get(h))) for h in hours]


def visits_by_day(db: Database, actor: Actor, period: stats.Period) -> list[rm.DayRow]:
    """Tickets and visits of each business day of the period that had any."""
    actor.require(stats.ACTION)
    with db.read() as s:
        rows = s.execute(
            select(Ticket.business_day, func.count(),
                   func.count(Ticket.id).filter(Ticket.transferred_from_id.is_(None)))
            .where(Ticket.business_day >= period.start, Ticket.business_day < period.end)
            .group_by(Ticket.business_day).order_by(Ticket.business_day)).all()
    return [rm.DayRow(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)), int(t), int(v))
            for d, t, v in rows]


def deadlines_at_risk(db: Database, limit: int = 500) -> list[dl.DeadlineView]:
    """Open deadlines already overdue, then those due within the next seven days."""
    return (dl.list_deadlines(db, when="overdue", limit=limit, explain=False)
            + dl.list_deadlines(db, when="week", limit=limit, explain=False))


# --------------------------------------------------------------- overview
@dataclass(frozen=True)
class Overview(JsonView):
    """Everything the director's dashboard shows for one period."""

    report: stats.StatsReport
    hours: tuple[rm.HourRow, ...]
    deadlines: tuple[dl.DeadlineView, ...]
    low_ratings: tuple[sat.RatingView, ...]


def overview(db: Database, actor: Actor, period: stats.Period, *, include_resolved: bool = False) -> Overview:
    """The dashboard's figures for ``period``; deadlines and low ratings as of now."""
    report = stats.compute(db, actor, period)
    return Overview(report, tuple(waiting_by_hour(db, actor, period)), tuple(deadlines_at_risk(db)),
                    tuple(sat.low_ratings(db, actor, include_resolved=include_resolved)))


# ---------------------------------------------------------------- monthly
def _month(year: int, month: int) -> stats.Period:
    if not (isinstance(year, int) and 2000 <= year <= 2100 and isinstance(month, int) and 1 <= month <= 12):
        raise InvalidInput(f"月份不正确：{year}-{month}")
    return stats.Period.month(year, month)


def parse_month(text: str) -> tuple[int, int]:
    """``"2026-10"`` -> ``(2026, 10)``."""
    try:
        year, month = (int(x) for x in str(text).strip().split("-"))
        _month(year, month)
    except (ValueError, InvalidInput):
        raise InvalidInput(f"月份“{text}”格式不正确，应为 YYYY-MM，例如 2026-10") from None
    return year, month


def _low_ratings_of(db: Database, actor: Actor, period: stats.Period) -> list[sat.RatingView]:
    """The period's ratings of 2 stars or less, resolved or not, oldest first
    (exactly the records of ``satisfaction.low``)."""
    wanted = {r.id for r in stats.records_for(db, actor, "satisfaction.low", period)}
    if not wanted:
        return []
    views = [v for v in sat.low_ratings(db, actor, include_resolved=True, limit=1_000_000) if v.id in wanted]
    return sorted(views, key=lambda v: (v.rated_at, v.id))


def _extra_tables(report: stats.StatsReport) -> tuple[rm.ExtraTable, ...]:
    """Other areas' sections: their scalar figures, labelled as registered."""
    out = []
    for p in stats.providers():
        if p.section in CORE_SECTIONS or p.section not in report.sections:
            continue
        figures = report[p.section]
        rows = tuple((p.figures.get(k, k), v) for k, v in figures.items()
                     if isinstance(v, (int, float)) and not isinstance(v, bool))
        if rows:
            out.append(rm.ExtraTable(p.label, ("项目", "数值"), rows))
    return tuple(out)


def monthly_data(db: Database, actor: Actor, year: int, month: int) -> rm.MonthlyData:
    """A calendar month's report data (figures as ``stats.compute`` gives them)."""
    actor.require("stats.read")  # before reading the input
    period = _month(year, month)
    report = stats.compute(db, actor, period)
    q, ap, st = report["queue"], report["appointments"], report["satisfaction"]
    ratings_by_window = {w["window"]: w for w in st["by_window"]}
    queue = rm.QueueTotals(
        q["tickets"], q["visits"], q["called"], q["finished"], q["no_show"], q["transferred"], q["cancelled"],
        q["no_show_rate"], q["transfer_rate"], _duration(q["waiting"]), _duration(q["walking"]),
        _duration(q["service_time"]))
    services = tuple(rm.ServiceRow(
        s["service"], s["name"], s["tickets"], s["visits"], s["called"], s["finished"], s["no_show"],
        s["transferred"], s["transferred_in"], s["cancelled"], _duration(s["waiting"]),
        _duration(s["service_time"])) for s in q["by_service"])
    windows = tuple(rm.WindowRow(
        w["window"], w["number"], w["name"], w["called"], w["finished"], w["no_show"], w["service_time_mean"],
        w["days"], w["open_minutes"], w["busy_minutes"], w["idle_minutes"],
        ratings_by_window.get(w["window"], {}).get("count", 0),
        ratings_by_window.get(w["window"], {}).get("mean")) for w in q["by_window"])
    appointments = rm.AppointmentTotals(ap["all"], ap["booked"], ap["kept"], ap["late"], ap["missed"],
                                        ap["cancelled"], ap["missed_rate"], ap["late_rate"])
    satisfaction = rm.SatisfactionTotals(st["count"], st["mean"],
                                         tuple(st["distribution"][str(k)] for k in range(1, 6)),
                                         st["low"], st["low_unresolved"])
    at_risk = tuple(rm.DeadlineRow(d.case_number or "", d.label or "", d.name, d.basis, d.due_date,
                                   d.state_label, d.days_left, d.state == "overdue")
                    for d in deadlines_at_risk(db))
    low = tuple(rm.LowRatingRow(
        to_local(v.rated_at).replace(tzinfo=None), v.rating, v.service_name or "", v.window_number,
        v.ticket_number or "", "、".join(v.tag_labels), v.comment, v.resolved, v.follow_up_note)
        for v in _low_ratings_of(db, actor, period))
    name = centre_profile(db).get("name") or "服务中心"
    return rm.MonthlyData(
        name, year, month, period.start, period.end, to_local(as_utc(report.computed_at)).replace(tzinfo=None),
        queue, services, windows, tuple(waiting_by_hour(db, actor, period)),
        tuple(visits_by_day(db, actor, period)), appointments, satisfaction, at_risk, low,
        _extra_tables(report))


def render_monthly(db: Database, actor: Actor, year: int, month: int, fmt: str = "pdf") -> bytes:
    """The month's report as ``"pdf"`` or ``"xlsx"`` bytes."""
    actor.require("stats.read")  # before reading the input
    if fmt not in rm.FORMATS:
        raise InvalidInput(f"未知的月报格式：{fmt}（可用 {'、'.join(rm.FORMATS)}）")
    return rm.render(monthly_data(db, actor, year, month), fmt)


def last_month(db: Database) -> tuple[int, int]:
    """The calendar month before today's (the usual report to make)."""
    first = local_day(db.clock.now()).replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


__all__ = ["Overview", "deadlines_at_risk", "last_month", "monthly_data", "overview", "parse_month",
           "render_monthly", "visits_by_day", "waiting_by_hour"]
