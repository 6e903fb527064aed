"""Working-day calendar: real 2025/2026 holidays, swapped days, entered years, coverage flags."""
from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hall.domain.workcalendar import DayKind, WorkCalendar, YearSchedule, package_years

D = dt.date
CAL = WorkCalendar()


def _holiday_days(year: int, english: str) -> list[dt.date]:
    return sorted(
        d
        for d in chinese_calendar.get_dates(D(year, 1, 1), D(year, 12, 31))
        if chinese_calendar.get_holiday_detail(d) == (True, english)
    )


def _swapped_days(year: int, english: str) -> list[dt.date]:
    return sorted(
        d
        for d in chinese_calendar.get_dates(D(year, 1, 1), D(year, 12, 31))
        if d.weekday() >= 5 and chinese_calendar.get_holiday_detail(d) == (False, english)
    )


# -- real days of 2025 -------------------------------------------------------

KINDS_2025 = [
    # National Day / Mid-Autumn 2025: Oct 1-8 off, Sep 28 (Sun) and Oct 11 (Sat) working
    (D(2025, 9, 27), DayKind.REST),
    (D(2025, 9, 28), DayKind.WORKDAY),
    (D(2025, 9, 30), DayKind.WORKDAY),
    (D(2025, 10, 1), DayKind.HOLIDAY),
    (D(2025, 10, 4), DayKind.HOLIDAY),  # a Saturday inside the holiday period
    (D(2025, 10, 6), DayKind.HOLIDAY),  # Mid-Autumn
    (D(2025, 10, 8), DayKind.HOLIDAY),
    (D(2025, 10, 9), DayKind.WORKDAY),
    (D(2025, 10, 11), DayKind.WORKDAY),
    (D(2025, 10, 12), DayKind.REST),
    # Spring Festival 2025: Jan 28 - Feb 4 off, Jan 26 (Sun) and Feb 8 (Sat) working
    (D(2025, 1, 25), DayKind.REST),
    (D(2025, 1, 26), DayKind.WORKDAY),
    (D(2025, 1, 27), DayKind.WORKDAY),
    (D(2025, 1, 28), DayKind.HOLIDAY),
    (D(2025, 2, 2), DayKind.HOLIDAY),
    (D(2025, 2, 4), DayKind.HOLIDAY),
    (D(2025, 2, 5), DayKind.WORKDAY),
    (D(2025, 2, 8), DayKind.WORKDAY),
    (D(2025, 2, 9), DayKind.REST),
    # ordinary days
    (D(2025, 11, 14), DayKind.WORKDAY),
    (D(2025, 11, 15), DayKind.REST),
    (D(2025, 11, 16), DayKind.REST),
]


@pytest.mark.parametrize(("day", "kind"), KINDS_2025)
def test_kind_2025(day, kind):
    assert CAL.kind(day) is kind
    assert CAL.is_workday(day) is (kind is DayKind.WORKDAY)
    assert CAL.is_legal_holiday(day) is (kind is DayKind.HOLIDAY)
    assert CAL.coverage_note(day) is None


def test_national_day_2025_period_matches_package():
    period = [D(2025, 10, d) for d in range(1, 9)]
    assert all(CAL.is_legal_holiday(d) for d in period)
    assert CAL.holiday_name(D(2025, 10, 1)) == "国庆节"
    assert CAL.holiday_name(D(2025, 10, 6)) == "中秋节"
    assert CAL.is_swapped_workday(D(2025, 9, 28))
    assert CAL.is_swapped_workday(D(2025, 10, 11))
    assert CAL.describe(D(2025, 9, 28)) == "调休上班日"
    assert CAL.describe(D(2025, 9, 27)) == "公休日"
    assert CAL.describe(D(2025, 9, 29)) == "工作日"


def test_spring_festival_2025_matches_package():
    assert _holiday_days(2025, "Spring Festival") == [D(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)]
    assert _swapped_days(2025, "Spring Festival") == [D(2025, 1, 26), D(2025, 2, 8)]
    assert all(CAL.holiday_name(d) == "春节" for d in _holiday_days(2025, "Spring Festival"))


def test_spring_festival_2026_read_from_package():
    days = _holiday_days(2026, "Spring Festival")
    assert days == [D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)]  # Feb 15-23
    swapped = _swapped_days(2026, "Spring Festival")
    assert swapped == [D(2026, 2, 14), D(2026, 2, 28)]
    for d in days:
        assert CAL.kind(d) is DayKind.HOLIDAY
    for d in swapped:
        assert CAL.kind(d) is DayKind.WORKDAY
    assert CAL.next_workday(D(2026, 2, 13)) == D(2026, 2, 14)
    assert CAL.next_workday(D(2026, 2, 14)) == D(2026, 2, 24)


def test_national_day_2026_read_from_package():
    days = _holiday_days(2026, "National Day")
    assert days == [D(2026, 10, d) for d in range(1, 8)]  # Oct 1-7
    swapped = _swapped_days(2026, "National Day")
    assert swapped == [D(2026, 9, 20), D(2026, 10, 10)]
    assert all(CAL.is_legal_holiday(d) for d in days)
    assert all(CAL.is_workday(d) for d in swapped)
    assert CAL.next_workday(D(2026, 9, 30)) == D(2026, 10, 8)
    # Mid-Autumn 2026 is a separate period
    assert _holiday_days(2026, "Mid-autumn Festival") == [D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27)]


# -- stepping ----------------------------------------------------------------

NEXT_WORKDAY = [
    (D(2025, 9, 26), D(2025, 9, 28)),  # Fri -> swapped Sunday
    (D(2025, 9, 30), D(2025, 10, 9)),  # across the whole holiday
    (D(2025, 10, 3), D(2025, 10, 9)),
    (D(2025, 10, 10), D(2025, 10, 11)),  # Fri -> swapped Saturday
    (D(2025, 10, 11), D(2025, 10, 13)),
    (D(2025, 1, 24), D(2025, 1, 26)),
    (D(2025, 1, 27), D(2025, 2, 5)),
    (D(2025, 2, 7), D(2025, 2, 8)),
    (D(2025, 11, 14), D(2025, 11, 17)),
]


@pytest.mark.parametrize(("day", "expected"), NEXT_WORKDAY)
def test_next_workday(day, expected):
    assert CAL.next_workday(day) == expected


ADD_WORKDAYS = [
    (D(2025, 9, 26), 1, D(2025, 9, 28)),
    (D(2025, 9, 26), 5, D(2025, 10, 10)),
    (D(2025, 9, 26), 6, D(2025, 10, 11)),
    (D(2025, 1, 24), 3, D(2025, 2, 5)),
    (D(2025, 2, 5), 3, D(2025, 2, 8)),
    (D(2025, 11, 14), 0, D(2025, 11, 14)),
    (D(2025, 10, 10), -1, D(2025, 10, 9)),
    (D(2025, 10, 9), -1, D(2025, 9, 30)),
    (D(2025, 10, 9), -3, D(2025, 9, 28)),
    (D(2025, 10, 9), -4, D(2025, 9, 26)),
]


@pytest.mark.parametrize(("day", "n", "expected"), ADD_WORKDAYS)
def test_add_workdays(day, n, expected):
    assert CAL.add_workdays(day, n) == expected


def test_workdays_between():
    assert CAL.workdays_between(D(2025, 9, 26), D(2025, 10, 12)) == 6


# -- coverage ----------------------------------------------------------------


def test_package_covers_2004_to_2026():
    years = package_years()
    assert 2004 in years and 2026 in years and 2027 not in years
    assert CAL.covered(2025) and CAL.covered(2026)
    assert not CAL.covered(2027)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


UNCOVERED_2027 = [
    # 全国年节及纪念日放假办法第二条: fixed-date holidays hold without data (flagged)
    (D(2027, 1, 1), DayKind.HOLIDAY),
    (D(2027, 5, 1), DayKind.HOLIDAY),
    (D(2027, 5, 2), DayKind.HOLIDAY),
    (D(2027, 10, 1), DayKind.HOLIDAY),
    (D(2027, 10, 2), DayKind.HOLIDAY),
    (D(2027, 10, 3), DayKind.HOLIDAY),
    (D(2027, 10, 4), DayKind.WORKDAY),  # a Monday; the in-lieu days are not known
    (D(2027, 10, 9), DayKind.REST),
]


@pytest.mark.parametrize(("day", "kind"), UNCOVERED_2027)
def test_2027_falls_back_to_weekdays_and_is_flagged(day, kind):
    assert CAL.kind(day) is kind
    assert CAL.coverage_note(day) == "节假日数据未覆盖2027年，按周末及《全国年节及纪念日放假办法》第二条的固定日期节日推算（估算）"
    assert CAL.source(day) == "weekday"


def test_2027_fallback_names_the_fixed_date_holidays():
    assert CAL.holiday_name(D(2027, 1, 1)) == "元旦"
    assert CAL.holiday_name(D(2027, 10, 3)) == "国庆节"
    assert CAL.next_workday(D(2027, 9, 30)) == D(2027, 10, 4)


SCHEDULE_2027 = YearSchedule(
    year=2027,
    holidays=[
        (D(2027, 1, 1), "元旦"),
        *((D(2027, 10, d), "国庆节") for d in range(1, 8)),
    ],
    swapped_workdays=[D(2027, 9, 26), D(2027, 10, 9)],
)


def test_partial_2027_entry_keeps_the_flag_for_the_rest():
    cal = CAL.with_schedule(SCHEDULE_2027)  # only 元旦 and 国庆节 entered
    assert not cal.covered(2027)
    note = cal.coverage_note(D(2027, 5, 3))
    assert note and "春节" in note and "劳动节" in note and "国庆节" not in note and "估算" in note
    assert cal.is_legal_holiday(D(2027, 5, 1))  # 劳动节 not entered: its fixed dates still hold
    assert cal.holiday_name(D(2027, 5, 2)) == "劳动节"


FULL_2027 = YearSchedule(
    year=2027,
    holidays=[*SCHEDULE_2027.holidays, *((D(2027, 2, d), "春节") for d in range(5, 12)), (D(2027, 4, 5), "清明节"),
              *((D(2027, 5, d), "劳动节") for d in range(1, 6)), (D(2027, 6, 9), "端午节"), (D(2027, 9, 15), "中秋节")],
    swapped_workdays=SCHEDULE_2027.swapped_workdays,
)


def test_entered_2027_schedule_removes_flag():
    cal = CAL.with_schedule(FULL_2027)
    assert cal.covered(2027)
    assert cal.coverage_note(D(2027, 10, 1)) is None
    assert cal.is_legal_holiday(D(2027, 10, 1))
    assert cal.holiday_name(D(2027, 10, 4)) == "国庆节"
    assert cal.is_workday(D(2027, 9, 26))  # swapped Sunday
    assert cal.is_workday(D(2027, 10, 9))  # swapped Saturday
    assert cal.kind(D(2027, 10, 16)) is DayKind.REST
    assert cal.next_workday(D(2027, 9, 30)) == D(2027, 10, 8)
    assert cal.source(D(2027, 5, 5)) == "schedule"
    # the original calendar is unchanged
    assert not CAL.covered(2027)


def test_entered_schedule_takes_precedence_over_package():
    # An administrator re-enters 2025 with an extra local holiday on Nov 14
    # and without the Oct 11 swap: the package's answer is replaced.
    sched = YearSchedule(
        year=2025,
        holidays=[(D(2025, 11, 14), "本地假日"), *((D(2025, 10, d), "国庆节") for d in range(1, 9))],
        swapped_workdays=[D(2025, 9, 28)],
    )
    cal = CAL.with_schedule(sched)
    assert cal.is_legal_holiday(D(2025, 11, 14))
    assert cal.holiday_name(D(2025, 11, 14)) == "本地假日"
    assert cal.kind(D(2025, 10, 11)) is DayKind.REST
    assert cal.is_workday(D(2025, 1, 28))  # not entered, a Tuesday
    assert CAL.is_legal_holiday(D(2025, 1, 28))


def test_with_schedule_replaces_same_year():
    first = YearSchedule(year=2027, holidays=[(D(2027, 1, 1), "元旦")])
    second = YearSchedule(year=2027, holidays=[(D(2027, 1, 4), "元旦")])
    cal = CAL.with_schedule(first).with_schedule(second)
    assert cal.kind(D(2027, 1, 1)) is DayKind.WORKDAY
    assert cal.kind(D(2027, 1, 4)) is DayKind.HOLIDAY
    assert list(cal.schedules) == [2027]


def test_overrides_win_over_everything():
    cal = WorkCalendar({D(2025, 10, 9): DayKind.HOLIDAY, D(2027, 3, 1): DayKind.REST}).with_schedule(SCHEDULE_2027)
    assert cal.is_legal_holiday(D(2025, 10, 9))
    assert cal.next_workday(D(2025, 9, 30)) == D(2025, 10, 10)
    assert cal.kind(D(2027, 3, 1)) is DayKind.REST
    assert cal.source(D(2025, 10, 9)) == "override"
    # an explicitly entered day is not a guess
    assert WorkCalendar({D(2028, 3, 1): DayKind.WORKDAY}).coverage_note(D(2028, 3, 1)) is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"year": 2027, "holidays": [(D(2026, 12, 31), "元旦")]},
        {"year": 2027, "swapped_workdays": [D(2027, 9, 27)]},  # a Monday
        {"year": 2027, "holidays": [(D(2027, 10, 2), "国庆节")], "swapped_workdays": [D(2027, 10, 2)]},
        {"year": 2027, "holidays": [(D(2027, 10, 1), "国庆节"), (D(2027, 10, 1), "国庆节")]},
        {"year": 2027, "holidays": [(D(2027, 10, 1), " ")]},
    ],
)
def test_schedule_validation(kwargs):
    with pytest.raises(ValueError):
        YearSchedule(**kwargs)


def test_override_type_checked():
    with pytest.raises(TypeError):
        WorkCalendar({D(2025, 1, 1): "holiday"})  # type: ignore[dict-item]


# -- properties ---------------------------------------------------------------

covered_days = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 12, 20))
any_days = st.dates(min_value=D(2004, 1, 1), max_value=D(2030, 12, 20))


@settings(max_examples=300, deadline=None)
@given(covered_days)
def test_agrees_with_package(day):
    assert CAL.is_workday(day) == chinese_calendar.is_workday(day)


@settings(max_examples=200, deadline=None)
@given(any_days)
def test_next_workday_is_first_workday_after(day):
    nxt = CAL.next_workday(day)
    assert nxt > day
    assert CAL.is_workday(nxt)
    probe = day + dt.timedelta(days=1)
    while probe < nxt:
        assert not CAL.is_workday(probe)
        probe += dt.timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(any_days, st.integers(min_value=0, max_value=30))
def test_add_workdays_round_trip(day, n):
    end = CAL.add_workdays(day, n)
    assert CAL.workdays_between(day, end) == n
    if n:
        assert CAL.is_workday(end)
        assert CAL.add_workdays(end, -n) <= day or not CAL.is_workday(day)
        if CAL.is_workday(day):
            assert CAL.add_workdays(end, -n) == day


@settings(max_examples=200, deadline=None)
@given(any_days)
def test_kind_partition(day):
    kind = CAL.kind(day)
    assert CAL.is_workday(day) + CAL.is_legal_holiday(day) + (kind is DayKind.REST) == 1
    if kind is DayKind.REST:
        assert day.weekday() >= 5
    assert (CAL.coverage_note(day) is None) == CAL.covered(day.year)
