"""The built-in year as the starting point, the day-by-day changes of a saved
year, and one audit row per changed day (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from hall.services import admin as adm
from hall.services import deadlines, holidays
from hall.store.models import AuditEntry


def test_the_built_in_year_is_the_package_calendar():
    y = holidays.builtin_schedule(2026)
    hol = dict(y.holidays)
    # National Day 2026 runs 10-01 to 10-07 (State Council notice), 10-10 a swapped working Saturday
    assert all(hol.get(dt.date(2026, 10, d)) for d in range(1, 8))
    assert dt.date(2026, 10, 10) in y.swapped_workdays
    assert holidays.builtin_schedule(2099) is None


def test_saving_the_built_in_year_plus_one_day_changes_only_that_day(hall, admin):
    base = holidays.builtin_schedule(2026)
    extra = dt.date(2026, 12, 30)                    # a Wednesday
    days = [*base.holidays, (extra, "临时闭馆")]
    found = holidays.changes(hall, admin, 2026, days, base.swapped_workdays)
    assert [(c.day, c.working_before, c.working_after, c.name) for c in found.days] == [
        (extra, True, False, "临时闭馆")]
    adm.set_holiday_schedule(hall, admin, 2026, days, base.swapped_workdays)
    with hall.read() as s:
        cal = deadlines.calendar(s)
        audited = s.execute(select(AuditEntry.object_id, AuditEntry.details)
                            .where(AuditEntry.action == "calendar.day")).all()
    assert cal.is_legal_holiday(dt.date(2026, 10, 1)) and not cal.is_workday(extra)
    assert [(a, d["working_before"], d["working_after"]) for a, d in audited] == [("2026-12-30", True, False)]
    # the same year again: nothing changes, nothing audited per day
    assert holidays.changes(hall, admin, 2026, days, base.swapped_workdays).days == ()
