"""How many windows to open at each hour of the next working day.

From the arrivals of recent weeks on the same weekday (walk-in tickets per
service and hour, averaged over the days the hall was open), that day's
bookings, and the service-time distributions the wait range uses
(:func:`hall.services.status.service_times`): per service and hour, the
smallest number of windows that calls 80 % of the visitors within the target
wait (setting ``staffing.target_wait_minutes``). The arithmetic is
:func:`hall.domain.forecast.window_plan`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from hall.domain import forecast
from hall.domain.appointments import AppointmentStatus
from hall.domain.clock import as_utc, local_day, to_local
from hall.store.centre_models import Appointment
from hall.store.db import Database
from hall.store.models import Service, Ticket

from .base import Actor, InvalidInput, get_setting, put_setting, unit_of_work
from .views import JsonView

TARGET_KEY = "staffing.target_wait_minutes"
DEFAULT_TARGET = 20
#: Same weekdays looked back on.
WEEKS = 4


def target_wait(db: Database) -> int:
    with db.read() as s:
        return _target(s)


def _target(s) -> int:
    try:
        return max(int(get_setting(s, TARGET_KEY, DEFAULT_TARGET)), 1)
    except (TypeError, ValueError):
        return DEFAULT_TARGET


def set_target_wait(db: Database, actor: Actor, minutes: int) -> int:
    """The wait (minutes) within which 80 % of the visitors should be called."""
    actor.require("centre.configure")  # before looking at the input
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 240:
        raise InvalidInput(f"目标等候时间应为 1 到 240 之间的整数分钟，而不是 {minutes}")
    with unit_of_work(db, actor, "centre.configure") as uow:
        put_setting(uow.s, TARGET_KEY, minutes)
        uow.audit("staffing.target", "setting", TARGET_KEY, minutes=minutes)
        return minutes


@dataclass(frozen=True)
class PlanRow(JsonView):
    service: str
    service_name: str
    hour: int
    period: str               # "09:00–10:00"
    arrivals: float           # expected visitors in the hour
    booked: int
    mean_minutes: float
    windows: int
    wait_minutes: float       # 80 % of the visitors called within this, with that many windows
    enough: bool


@dataclass(frozen=True)
class WindowPlan(JsonView):
    day: dt.date
    is_tomorrow: bool
    target_minutes: int
    weeks_seen: int           # same weekdays of the last weeks on which the hall issued tickets
    rows: tuple[PlanRow, ...]

    @property
    def peak(self) -> tuple[int, int] | None:
        """(hour, windows) of the hour that needs the most windows in all."""
        per: dict[int, int] = {}
        for r in self.rows:
            per[r.hour] = per.get(r.hour, 0) + r.windows
        if not per:
            return None
        hour = max(per, key=lambda h: (per[h], -h))
        return hour, per[hour]


def next_day_plan(db: Database, actor: Actor, day: dt.date | None = None) -> WindowPlan:
    """The suggestion for ``day`` (default: the next working day after today)."""
    actor.require("stats.read")
    if day is not None and (isinstance(day, dt.datetime) or not isinstance(day, dt.date)):
        raise InvalidInput("日期格式不正确")
    from . import deadlines, status

    now = db.clock.now()
    today = local_day(now)
    with db.read() as s:
        if day is None:
            day = deadlines.calendar(s).next_workday(today)
        target = _target(s)
        names = dict(s.execute(select(Service.code, Service.name).order_by(Service.sort_order, Service.id)).tuples().all())
        past = [day - dt.timedelta(weeks=k) for k in range(1, WEEKS + 1)]
        past = [d for d in past if d <= today]
        rows = s.execute(select(Service.code, Ticket.business_day, Ticket.issued_at, Ticket.id)
                         .join(Service, Service.id == Ticket.service_id)
                         .where(Ticket.business_day.in_(past))).all() if past else []
        from_booking = set(s.execute(select(Appointment.ticket_id).where(
            Appointment.day.in_(past), Appointment.ticket_id.is_not(None))).scalars()) if past else set()
        transferred = set(s.execute(select(Ticket.transferred_to_id).where(
            Ticket.business_day.in_(past), Ticket.transferred_to_id.is_not(None))).scalars()) if past else set()
        bookings = s.execute(select(Service.code, Appointment.slot_start)
                             .join(Service, Service.id == Appointment.service_id)
                             .where(Appointment.day == day,
                                    Appointment.status == AppointmentStatus.BOOKED.value)).all()
        times = status.service_times(s, now, db.url)
    days_open = {bday for _c, bday, _i, _t in rows}
    counts: dict[tuple[str, int], int] = {}
    for code, _bday, issued, tid in rows:
        if tid in from_booking or tid in transferred:
            continue            # a booking is counted from that day's bookings; a transfer is no new visitor
        key = (code, to_local(as_utc(issued)).hour)
        counts[key] = counts.get(key, 0) + 1
    weeks = len(days_open)
    walk_ins = {k: n / weeks for k, n in counts.items()} if weeks else {}
    booked: dict[tuple[str, int], int] = {}
    for code, start in bookings:
        key = (code, to_local(as_utc(start)).hour)
        booked[key] = booked.get(key, 0) + 1
    plan = forecast.window_plan(walk_ins, booked, times, target)
    return WindowPlan(day, day == today + dt.timedelta(days=1), target, weeks, tuple(
        PlanRow(p.service, names.get(p.service, p.service), p.hour, f"{p.hour:02d}:00–{p.hour + 1:02d}:00",
                round(p.arrivals, 2), p.booked, round(p.mean_minutes, 1), p.windows,
                round(p.wait_minutes, 1) if p.wait_minutes != float("inf") else -1.0, p.enough)
        for p in plan))
