"""The holiday page's side of the calendar: the built-in year to start from,
and what changes, day by day, when an edited year is saved.

:func:`builtin_schedule` is the ``chinesecalendar`` package's year (holidays
and swapped working days) in the form the page edits; :func:`edit_day` sets one day of it closed
or working (with a note). :func:`changes`
compares an edited year with the calendar in force and lists every day that
changes (working ↔ closed), the bookings still 已预约 on a day that becomes
closed and the open deadlines due on such a day (their due date moves when
the year is saved) — for the admin to act on before and after saving.
``deadlines.set_year_schedule`` audits each changed day (before, after, note).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from hall.domain.appointments import AppointmentStatus
from hall.domain.workcalendar import WorkCalendar, YearSchedule, package_years
from hall.store.centre_models import Appointment
from hall.store.db import Database
from hall.store.models import Service, TrackedDeadline

from .base import Actor, InvalidInput
from .deadlines import calendar
from .views import JsonView


def _days(year: int):
    d = dt.date(year, 1, 1)
    while d.year == year:
        yield d
        d += dt.timedelta(days=1)


def builtin_schedule(year: int) -> YearSchedule | None:
    """The built-in calendar's year, or ``None`` when the package lacks it."""
    if year not in package_years():
        return None
    cal = WorkCalendar()
    holidays = [(d, cal.holiday_name(d) or "假日") for d in _days(year) if cal.is_legal_holiday(d)]
    swapped = [d for d in _days(year) if cal.is_swapped_workday(d)]
    return YearSchedule(year, holidays, swapped)


def edit_day(holidays: Sequence, swapped_workdays: Sequence, day: dt.date, closed: bool,
             note: str = "") -> tuple[list[tuple[dt.date, str]], list[dt.date]]:
    """One day of an edited year set closed (a 休息日 named by ``note``) or
    working: the new holiday list and swapped working days. A working day on
    a weekend becomes a swapped working day; a closed weekday becomes a
    holiday; a day already so is refused. ``ValueError`` in Chinese."""
    note = (note or "").strip()
    if len(note) > 20:
        raise ValueError("说明最多 20 字（作为休息日的名称）")
    hol = dict(holidays)
    swp = set(swapped_workdays)
    week = "一二三四五六日"[day.weekday()]
    working = day in swp or (day not in hol and day.weekday() < 5)
    if closed:
        if not working:
            raise ValueError(f"{day:%Y-%m-%d}（星期{week}）已是休息日")
        swp.discard(day)
        if day.weekday() < 5 or day in hol:
            hol[day] = note or "临时休息"
    else:
        if working:
            raise ValueError(f"{day:%Y-%m-%d}（星期{week}）已是工作日")
        hol.pop(day, None)
        if day.weekday() >= 5:
            swp.add(day)
    return sorted(hol.items()), sorted(swp)


def day_differences(before: WorkCalendar, after: WorkCalendar, year: int) -> list[tuple[dt.date, bool, bool]]:
    """``(day, working before, working after)`` for every day of ``year`` that changes."""
    return [(d, before.is_workday(d), after.is_workday(d)) for d in _days(year)
            if before.is_workday(d) != after.is_workday(d)]


@dataclass(frozen=True)
class DayChange(JsonView):
    day: dt.date
    working_before: bool
    working_after: bool
    name: str                 # the holiday's name when the day becomes one
    note: str = ""            # the admin's note for the day (audited with it)

    @property
    def text(self) -> str:
        week = "一二三四五六日"[self.day.weekday()]
        what = "由工作日改为休息日" if self.working_before else "由休息日改为工作日"
        out = f"{self.day:%Y-%m-%d}（星期{week}）{what}" + (f"（{self.name}）" if self.name else "")
        return out + (f"　说明：{self.note}" if self.note and self.note != self.name else "")


@dataclass(frozen=True)
class AffectedBooking(JsonView):
    id: int
    day: dt.date
    service_name: str
    slot_start: dt.datetime
    name: str = ""            # whom to call (staff view)
    phone: str = ""


@dataclass(frozen=True)
class AffectedDeadline(JsonView):
    id: int
    case_number: str
    label: str
    due_date: dt.date


@dataclass(frozen=True)
class ScheduleChanges(JsonView):
    year: int
    days: tuple[DayChange, ...]
    bookings: tuple[AffectedBooking, ...]      # still booked on a day that becomes closed
    deadlines: tuple[AffectedDeadline, ...]    # open, due on a day that becomes closed


def changes(db: Database, actor: Actor, year: int, holidays: Sequence, swapped_workdays: Sequence = (),
            notes: Mapping[dt.date, str] | None = None) -> ScheduleChanges:
    """What saving the edited year would change (nothing is written)."""
    actor.require("centre.configure")
    try:
        edited = YearSchedule(year, list(holidays), list(swapped_workdays))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    notes = dict(notes or {})
    with db.read() as s:
        before = calendar(s)
        after = before.with_schedule(edited)
        names = edited.holiday_map()
        days = tuple(DayChange(d, was, now, names.get(d, "") if not now else "", notes.get(d, ""))
                     for d, was, now in day_differences(before, after, year))
        closing = [c.day for c in days if not c.working_after]
        bookings: tuple[AffectedBooking, ...] = ()
        due: tuple[AffectedDeadline, ...] = ()
        if closing:
            bookings = tuple(AffectedBooking(a.id, a.day, name, a.slot_start, a.name or "", a.phone or "")
                             for a, name in s.execute(
                select(Appointment, Service.name).join(Service, Service.id == Appointment.service_id)
                .where(Appointment.day.in_(closing), Appointment.status == AppointmentStatus.BOOKED.value)
                .order_by(Appointment.slot_start, Appointment.id)).all())
            due = tuple(AffectedDeadline(d.id, d.case_number or "", d.label or "", d.due_date)
                        for d in s.execute(select(TrackedDeadline).where(
                            TrackedDeadline.due_date.in_(closing), TrackedDeadline.met_on.is_(None))
                            .order_by(TrackedDeadline.due_date, TrackedDeadline.id)).scalars())
    return ScheduleChanges(year, days, bookings, due)


__all__ = ["AffectedBooking", "AffectedDeadline", "DayChange", "ScheduleChanges", "builtin_schedule", "changes",
           "day_differences", "edit_day"]
