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


def test_one_day_is_set_closed_or_working():
    """Day by day on the built-in 2026: a working Thursday closes, a holiday
    Saturday becomes a swapped working day, a holiday Monday a plain working
    day; a day already so is refused in Chinese."""
    import pytest

    base = holidays.builtin_schedule(2026)
    thu, sat, mon = dt.date(2026, 10, 8), dt.date(2026, 10, 3), dt.date(2026, 10, 5)
    hol, swp = holidays.edit_day(base.holidays, base.swapped_workdays, thu, True, "停电检修")
    assert dict(hol)[thu] == "停电检修" and len(hol) == len(base.holidays) + 1 and list(swp) == list(base.swapped_workdays)
    hol2, swp2 = holidays.edit_day(hol, swp, sat, False)
    assert sat not in dict(hol2) and sat in swp2
    hol3, swp3 = holidays.edit_day(hol2, swp2, mon, False)
    assert mon not in dict(hol3) and mon not in swp3
    hol4, swp4 = holidays.edit_day(hol3, swp3, dt.date(2026, 10, 10), True)   # a swapped Saturday closes again
    assert dt.date(2026, 10, 10) not in swp4 and dt.date(2026, 10, 10) not in dict(hol4)
    hol5, _ = holidays.edit_day(hol3, swp3, dt.date(2026, 11, 24), True)
    assert dict(hol5)[dt.date(2026, 11, 24)] == "临时休息"                      # no note: a plain name
    with pytest.raises(ValueError, match="已是休息日"):
        holidays.edit_day(base.holidays, base.swapped_workdays, dt.date(2026, 10, 4), True)
    with pytest.raises(ValueError, match="已是工作日"):
        holidays.edit_day(base.holidays, base.swapped_workdays, dt.date(2026, 10, 9), False)
    with pytest.raises(ValueError, match="最多 20 字"):
        holidays.edit_day(base.holidays, base.swapped_workdays, thu, True, "很长" * 11)


def test_day_edits_are_audited_one_row_per_day_with_before_after_and_note(hall, admin, front_desk, clock):
    """2026-11-25 (Wednesday) closes with a note, 2026-11-28 (Saturday) becomes
    a working day: the diff lists both with their notes and the booking on the
    closed day with whom to call; saving writes one audit row per day."""
    import pytest

    from hall.services import InvalidInput
    from hall.services import appointments as ap

    adm.set_appointment_plan(hall, admin, "labour", slot_minutes=30, capacity=2, days_ahead=7)
    wed, sat = dt.date(2026, 11, 25), dt.date(2026, 11, 28)
    booking = ap.book(hall, front_desk, "labour", dt.datetime(2026, 11, 25, 9, 0), "王小明", "13812345678")
    base = holidays.builtin_schedule(2026)
    days, swapped = holidays.edit_day(base.holidays, base.swapped_workdays, wed, True, "停电检修")
    days, swapped = holidays.edit_day(days, swapped, sat, False, "补开放日")
    notes = {wed: "停电检修", sat: "补开放日"}
    found = holidays.changes(hall, admin, 2026, days, swapped, notes)
    assert [(c.day, c.working_before, c.working_after, c.note) for c in found.days] == [
        (wed, True, False, "停电检修"), (sat, False, True, "补开放日")]
    assert "说明：补开放日" in found.days[1].text and "说明" not in found.days[0].text   # the name says it
    assert [(b.id, b.name, b.phone) for b in found.bookings] == [(booking.id, "王小明", "13812345678")]
    with pytest.raises(InvalidInput, match="不在 2026 年内"):
        adm.set_holiday_schedule(hall, admin, 2026, days, swapped, notes={dt.date(2027, 1, 4): "x"})
    with pytest.raises(InvalidInput, match="最多 100 字"):
        adm.set_holiday_schedule(hall, admin, 2026, days, swapped, notes={wed: "长" * 101})
    assert deadlines.year_schedule(hall, 2026) is None                          # nothing written by a refusal
    adm.set_holiday_schedule(hall, admin, 2026, days, swapped, notes=notes)
    with hall.read() as s:
        cal = deadlines.calendar(s)
        audited = s.execute(select(AuditEntry.object_id, AuditEntry.details)
                            .where(AuditEntry.action == "calendar.day").order_by(AuditEntry.id)).all()
    assert [(a, d["working_before"], d["working_after"], d["note"]) for a, d in audited] == [
        ("2026-11-25", True, False, "停电检修"), ("2026-11-28", False, True, "补开放日")]
    assert not cal.is_workday(wed) and cal.is_workday(sat) and cal.is_legal_holiday(dt.date(2026, 10, 1))
    assert ap.appointment(hall, booking.id).status == "booked"                  # listed for the admin to act on
