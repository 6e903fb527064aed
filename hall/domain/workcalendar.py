"""Working days, rest days and statutory holidays (节假日与调休).

Where the answer for a day comes from, highest precedence first:

1. single-day ``overrides`` given to :class:`WorkCalendar` (e.g. a local
   closure entered by an administrator);
2. an admin-entered official year (:class:`YearSchedule`, copied from the
   State Council's annual 放假安排 notice) — it replaces the package data for
   that whole year;
3. the ``chinesecalendar`` package (holidays, in-lieu rest days and swapped
   working days, 调休上班日);
4. nothing known: the fixed-date holidays of 《全国年节及纪念日放假办法》
   (2024 revision, Art. 2: 元旦 1 January; 劳动节 1-2 May; 国庆节 1-3
   October) are holidays, Saturday and Sunday are rest days and the rest are
   working days. The lunar holidays, in-lieu days and 调休 of such a year are
   unknown, so its days are *flagged* through :meth:`WorkCalendar.coverage_note`
   and a deadline computed across them is never presented as certain. An
   entered year that lacks some of the seven festivals (a partial entry) keeps
   the flag, naming what is missing; the fixed dates still apply to a festival
   it does not list.

Terminology used throughout ``hall.domain``:

* ``DayKind.HOLIDAY`` — a day inside an official holiday period (法定节假日,
  including the in-lieu rest days of that period and any weekend days inside
  it);
* ``DayKind.REST`` — an ordinary weekly rest day (公休日: Saturday/Sunday not
  turned into a working day);
* ``DayKind.WORKDAY`` — everything else, including a weekend day that has been
  made a working day (调休上班日).

This module is pure: no I/O, no database, no clock.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

try:  # the package is a declared dependency; the fallback keeps the type usable without it
    import chinese_calendar as _cc
    from chinese_calendar.constants import holidays as _CC_HOLIDAYS
    from chinese_calendar.constants import workdays as _CC_WORKDAYS
except ImportError:  # pragma: no cover - exercised only in a broken install
    _cc = None
    _CC_HOLIDAYS = {}
    _CC_WORKDAYS = {}

__all__ = [
    "DayKind",
    "YearSchedule",
    "WorkCalendar",
    "WEEKDAY_NAMES",
    "package_years",
    "uncovered_note",
]

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# Chinese names for the package's English holiday labels.
_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

#: 《全国年节及纪念日放假办法》(2024) 第二条: the festivals every official year
#: arranges, and the days fixed by the calendar (month, day) for the fallback.
FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
FIXED_DATE_HOLIDAYS: dict[tuple[int, int], str] = {
    (1, 1): "元旦", (5, 1): "劳动节", (5, 2): "劳动节", (10, 1): "国庆节", (10, 2): "国庆节", (10, 3): "国庆节",
}
FIXED_DATE_BASIS = "《全国年节及纪念日放假办法》第二条"

# Upper bound on day-by-day searches; a year of nothing but rest days would
# be a data-entry error, not a calendar.
_SEARCH_LIMIT = 400


class DayKind(Enum):
    WORKDAY = "workday"
    HOLIDAY = "holiday"  # 法定节假日 period
    REST = "rest"  # ordinary weekend (公休日)

    @property
    def label(self) -> str:
        return {"workday": "工作日", "holiday": "法定节假日", "rest": "公休日"}[self.value]


def package_years() -> range:
    """Years for which the ``chinesecalendar`` package has holiday data."""
    if not _CC_HOLIDAYS:
        return range(0)
    years = [d.year for d in _CC_HOLIDAYS]
    return range(min(years), max(years) + 1)


_PACKAGE_YEARS = package_years()


def _holiday_label(english: str | None) -> str | None:
    if english is None:
        return None
    if english in _HOLIDAY_NAMES:
        return _HOLIDAY_NAMES[english]
    if _cc is not None:
        for member in _cc.Holiday:
            if member.value == english:
                return str(member.chinese)
    return english


@dataclass(frozen=True)
class YearSchedule:
    """An official holiday arrangement for one year, entered by an administrator.

    ``holidays`` lists every day off of the holiday periods (including in-lieu
    rest days and weekend days that fall inside a period) with the holiday's
    name; ``swapped_workdays`` lists the weekend days that are working days.
    Any day not listed follows the weekday rule.
    """

    year: int
    holidays: Sequence[tuple[dt.date, str]] = field(default_factory=tuple)
    swapped_workdays: Sequence[dt.date] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        hol = tuple((d, str(name)) for d, name in self.holidays)
        swp = tuple(self.swapped_workdays)
        object.__setattr__(self, "holidays", hol)
        object.__setattr__(self, "swapped_workdays", swp)
        seen: set[dt.date] = set()
        for d, name in hol:
            if d.year != self.year:
                raise ValueError(f"节假日{d.isoformat()}不在{self.year}年内")
            if d in seen:
                raise ValueError(f"节假日{d.isoformat()}重复录入")
            if not name.strip():
                raise ValueError(f"节假日{d.isoformat()}缺少名称")
            seen.add(d)
        for d in swp:
            if d.year != self.year:
                raise ValueError(f"调休上班日{d.isoformat()}不在{self.year}年内")
            if d in seen:
                raise ValueError(f"{d.isoformat()}不能既是节假日又是调休上班日")
            if d.weekday() < 5:
                raise ValueError(f"调休上班日{d.isoformat()}是{WEEKDAY_NAMES[d.weekday()]}，本来就是工作日")

    def holiday_map(self) -> dict[dt.date, str]:
        return dict(self.holidays)

    @property
    def missing_festivals(self) -> tuple[str, ...]:
        """The festivals of 放假办法第二条 this entry does not list (a partial entry)."""
        names = " ".join(n for _, n in self.holidays)
        return tuple(f for f in FESTIVALS if f.removesuffix("节") not in names)

    @property
    def complete(self) -> bool:
        return not self.missing_festivals


class WorkCalendar:
    """Answers "is this a working day?" for the hall.

    Immutable: :meth:`with_schedule` returns a new calendar.
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, DayKind] | None = None,
        *,
        schedules: Iterable[YearSchedule] = (),
    ) -> None:
        self._overrides: dict[dt.date, DayKind] = dict(overrides or {})
        for d, kind in self._overrides.items():
            if not isinstance(kind, DayKind):
                raise TypeError(f"{d.isoformat()}: expected DayKind, got {kind!r}")
        self._schedules: dict[int, YearSchedule] = {}
        self._schedule_holidays: dict[int, dict[dt.date, str]] = {}
        self._schedule_workdays: dict[int, frozenset[dt.date]] = {}
        for sched in schedules:
            self._add_schedule(sched)

    def _add_schedule(self, sched: YearSchedule) -> None:
        self._schedules[sched.year] = sched
        self._schedule_holidays[sched.year] = sched.holiday_map()
        self._schedule_workdays[sched.year] = frozenset(sched.swapped_workdays)

    # -- construction ---------------------------------------------------
    def with_schedule(self, sched: YearSchedule) -> WorkCalendar:
        """A calendar that also knows ``sched`` (replacing any schedule for that year)."""
        others = [s for y, s in self._schedules.items() if y != sched.year]
        return WorkCalendar(self._overrides, schedules=[*others, sched])

    @property
    def schedules(self) -> dict[int, YearSchedule]:
        return dict(self._schedules)

    @property
    def overrides(self) -> dict[dt.date, DayKind]:
        return dict(self._overrides)

    # -- coverage -------------------------------------------------------
    def covered(self, year: int) -> bool:
        """True when the year's holidays are known (a complete entered schedule or package data)."""
        sched = self._schedules.get(year)
        if sched is not None:
            return sched.complete or year in _PACKAGE_YEARS
        return year in _PACKAGE_YEARS

    def source(self, d: dt.date) -> str:
        """Where the answer for ``d`` comes from: override, schedule, package or weekday."""
        if d in self._overrides:
            return "override"
        if d.year in self._schedules:
            return "schedule"
        if d.year in _PACKAGE_YEARS:
            return "package"
        return "weekday"

    def coverage_note(self, d: dt.date) -> str | None:
        """A warning when ``d``'s kind is only inferred (weekday and fixed-date holidays)."""
        if d in self._overrides or self.covered(d.year):
            return None
        return self.year_note(d.year)

    def year_note(self, year: int) -> str | None:
        """Why ``year`` is an estimate (None when it is known)."""
        if self.covered(year):
            return None
        sched = self._schedules.get(year)
        if sched is not None:
            return (f"{year}年放假安排只录入了部分节日，未录入{'、'.join(sched.missing_festivals)}，"
                    f"这些节日按{FIXED_DATE_BASIS}的固定日期和周末推算（估算）")
        return uncovered_note([year])

    def uncovered_years(self, first: dt.date, last: dt.date) -> list[int]:
        lo, hi = min(first, last), max(first, last)
        return [y for y in range(lo.year, hi.year + 1) if not self.covered(y)]

    # -- single days ----------------------------------------------------
    def kind(self, d: dt.date) -> DayKind:
        if isinstance(d, dt.datetime):
            d = d.date()
        override = self._overrides.get(d)
        if override is not None:
            return override
        sched_hol = self._schedule_holidays.get(d.year)
        if sched_hol is not None:
            if d in sched_hol:
                return DayKind.HOLIDAY
            if d in self._schedule_workdays[d.year]:
                return DayKind.WORKDAY
            if self._fixed_fallback(d) is not None:
                return DayKind.HOLIDAY
            return DayKind.REST if d.weekday() >= 5 else DayKind.WORKDAY
        if d.year in _PACKAGE_YEARS:
            if d in _CC_HOLIDAYS:
                return DayKind.HOLIDAY
            if d in _CC_WORKDAYS:
                return DayKind.WORKDAY
            return DayKind.REST if d.weekday() >= 5 else DayKind.WORKDAY
        if (d.month, d.day) in FIXED_DATE_HOLIDAYS:
            return DayKind.HOLIDAY
        return DayKind.REST if d.weekday() >= 5 else DayKind.WORKDAY

    def _fixed_fallback(self, d: dt.date) -> str | None:
        """The fixed-date festival of ``d`` when the year's entry does not list that festival."""
        name = FIXED_DATE_HOLIDAYS.get((d.month, d.day))
        if name is None:
            return None
        sched = self._schedules.get(d.year)
        if sched is not None and (d.year in _PACKAGE_YEARS or name not in sched.missing_festivals):
            return None
        return name

    def is_workday(self, d: dt.date) -> bool:
        return self.kind(d) is DayKind.WORKDAY

    def is_rest_day(self, d: dt.date) -> bool:
        """Any day off: a holiday-period day or an ordinary weekend (法定休假日 in the wide sense)."""
        return self.kind(d) is not DayKind.WORKDAY

    def is_legal_holiday(self, d: dt.date) -> bool:
        """A day inside an official holiday period (not a plain weekend)."""
        return self.kind(d) is DayKind.HOLIDAY

    def is_swapped_workday(self, d: dt.date) -> bool:
        """A Saturday or Sunday that is a working day (调休上班日)."""
        return d.weekday() >= 5 and self.kind(d) is DayKind.WORKDAY

    def holiday_name(self, d: dt.date) -> str | None:
        """The holiday's Chinese name, when ``d`` is in a holiday period."""
        if self.kind(d) is not DayKind.HOLIDAY:
            return None
        if d in self._overrides:
            return None
        sched_hol = self._schedule_holidays.get(d.year)
        if sched_hol is not None:
            return sched_hol.get(d) or self._fixed_fallback(d)
        if d.year not in _PACKAGE_YEARS:
            return FIXED_DATE_HOLIDAYS.get((d.month, d.day))
        return _holiday_label(_CC_HOLIDAYS.get(d))

    def describe(self, d: dt.date) -> str:
        """Short Chinese description, e.g. "国庆节", "公休日", "调休上班日", "工作日"."""
        kind = self.kind(d)
        if kind is DayKind.HOLIDAY:
            return self.holiday_name(d) or DayKind.HOLIDAY.label
        if kind is DayKind.REST:
            return DayKind.REST.label
        if d.weekday() >= 5:
            return "调休上班日"
        return DayKind.WORKDAY.label

    # -- stepping -------------------------------------------------------
    def next_workday(self, d: dt.date) -> dt.date:
        """The first working day strictly after ``d``."""
        day = d
        for _ in range(_SEARCH_LIMIT):
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                return day
        raise ValueError(f"{d.isoformat()}之后{_SEARCH_LIMIT}日内没有工作日，请检查节假日设置")

    def previous_workday(self, d: dt.date) -> dt.date:
        """The last working day strictly before ``d``."""
        day = d
        for _ in range(_SEARCH_LIMIT):
            day -= dt.timedelta(days=1)
            if self.is_workday(day):
                return day
        raise ValueError(f"{d.isoformat()}之前{_SEARCH_LIMIT}日内没有工作日，请检查节假日设置")

    def workday_on_or_after(self, d: dt.date) -> dt.date:
        return d if self.is_workday(d) else self.next_workday(d)

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``d`` (``d`` itself not counted).

        ``n == 0`` returns ``d`` unchanged; a negative ``n`` counts backwards.
        """
        day = d
        step = self.next_workday if n > 0 else self.previous_workday
        for _ in range(abs(n)):
            day = step(day)
        return day

    def workdays_between(self, first: dt.date, last: dt.date) -> int:
        """Working days in the half-open range (first, last]."""
        count = 0
        day = first
        while day < last:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def __repr__(self) -> str:
        years = sorted(self._schedules)
        return f"WorkCalendar(overrides={len(self._overrides)}, schedules={years})"


def uncovered_note(years: Sequence[int]) -> str:
    """The flag shown next to anything computed over years without holiday data."""
    text = "、".join(str(y) for y in sorted(set(years)))
    return f"节假日数据未覆盖{text}年，按周末及{FIXED_DATE_BASIS}的固定日期节日推算（估算）"
