"""The centre's catalogue as plain data: services, windows, rooms.

The demo centre and any real centre are described by the same structures,
loaded from JSON in ``resources/`` or edited by the admin.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

_PREFIX = re.compile(r"^[A-Z]{1,2}$")
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


@dataclass(frozen=True)
class ServiceDef:
    code: str
    name: str
    prefix: str
    carry_over: bool = False
    description: str = ""
    priority_weights: dict[str, int] = field(default_factory=dict)

    def problems(self) -> list[str]:
        out = []
        if not _CODE.match(self.code):
            out.append(f"业务代码“{self.code}”只能用小写字母、数字和下划线，以字母开头")
        if not self.name.strip():
            out.append("业务名称不能为空")
        if not _PREFIX.match(self.prefix):
            out.append(f"票号前缀“{self.prefix}”应为一到两个大写字母")
        return out


@dataclass(frozen=True)
class Season:
    """A seasonal window's opening period, e.g. education enrolment.

    A season recurs every year (``yearly``: only month and day count, and a
    period such as 11-15 to 02-15 runs over the new year) unless it is dated,
    when it is the one period from ``start`` to ``end``.
    """

    start: dt.date
    end: dt.date
    yearly: bool = True

    def contains(self, day: dt.date) -> bool:
        if not self.yearly:
            return self.start <= day <= self.end
        md, a, b = (day.month, day.day), (self.start.month, self.start.day), (self.end.month, self.end.day)
        return a <= md <= b if a <= b else (md >= a or md <= b)

    def describe(self) -> str:
        """``每年 07-01 至 09-15`` or ``2026-07-01 至 2026-09-15``."""
        if self.yearly:
            return f"每年 {self.start:%m-%d} 至 {self.end:%m-%d}"
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    def to_data(self) -> dict[str, Any]:
        """``{"start": "07-01", "end": "09-15"}`` for a yearly season, full dates when dated."""
        if self.yearly:
            return {"start": f"{self.start:%m-%d}", "end": f"{self.end:%m-%d}"}
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


#: The year a yearly season's month-day is stored under (a leap year, so 02-29 fits).
YEARLY_BASE = 2000

_MONTH_DAY = re.compile(r"^\s*(\d{1,2})-(\d{1,2})\s*$")


def parse_season_day(value: object, what: str) -> tuple[dt.date, bool]:
    """``"07-01"`` → (2000-07-01, yearly) ; ``"2026-07-01"`` or a date → (that day, dated).

    Raises ``ValueError`` with a Chinese message."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value, False
    text = str(value)
    m = _MONTH_DAY.match(text)
    try:
        if m:
            return dt.date(YEARLY_BASE, int(m.group(1)), int(m.group(2))), True
        return dt.date.fromisoformat(text.strip()), False
    except ValueError:
        raise ValueError(f"{what}“{text}”格式不正确，应为 MM-DD（每年）或 YYYY-MM-DD（仅当年）") from None


def season_from_data(value: object) -> Season | None:
    """A season from ``{"start", "end"[, "yearly"]}`` or ``[start, end]``; raises ``ValueError``.

    Month-day bounds recur every year; full dates make a dated season unless
    ``"yearly": true`` says otherwise."""
    if value in (None, "", {}):
        return None
    if isinstance(value, Season):
        return value
    yearly_flag = None
    if isinstance(value, dict):
        start, end = value.get("start"), value.get("end")
        yearly_flag = value.get("yearly")
    elif isinstance(value, (list, tuple)) and len(value) in (2, 3):
        start, end = value[0], value[1]
        if len(value) == 3:
            yearly_flag = value[2]
    else:
        raise ValueError("季节性开放日期应写成 {start, end} 或 [开始, 结束]")
    a, a_yearly = parse_season_day(start, "季节性开放开始日期")
    b, b_yearly = parse_season_day(end, "季节性开放结束日期")
    yearly = a_yearly and b_yearly if yearly_flag is None else bool(yearly_flag)
    return Season(a, b, yearly=yearly)


@dataclass(frozen=True)
class WindowDef:
    code: str
    number: int
    name: str
    services: tuple[str, ...]  # in order of preference
    season: Season | None = None
    area: str = ""             # the floor or area (一楼, 二楼): a board may show one area only

    def open_on(self, day: dt.date) -> bool:
        return self.season is None or self.season.contains(day)

    @property
    def label(self) -> str:
        return f"{self.number}号窗口"

    def problems(self) -> list[str]:
        out = []
        if not _CODE.match(self.code):
            out.append(f"窗口代码“{self.code}”格式不正确")
        if self.number < 1:
            out.append("窗口号应为正整数")
        if not self.services:
            out.append(f"{self.label}至少要办理一项业务")
        if len(set(self.services)) != len(self.services):
            out.append(f"{self.label}的业务列表有重复")
        if self.season and not self.season.yearly and self.season.end < self.season.start:
            out.append(f"{self.label}的季节性开放日期结束早于开始")
        return out


@dataclass(frozen=True)
class RoomDef:
    code: str
    name: str
    kind: str
    capacity: int = 6
    video: bool = False


WEEKDAY_SHORT = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def closed_reason(season: Season | None, hours: dict[str, Any] | None, now_local: dt.datetime) -> str | None:
    """Why a window takes no more tickets today, or ``None`` when it does.

    ``now_local`` is the hall's local time. A window is closed today when it is
    out of season, when its weekly hours (``{"0": [["08:30", "12:00"]], ...}``,
    0 = Monday; empty = no hours set, open whenever it is staffed) list no
    hours for today, or when today's last hours have ended.
    """
    day = now_local.date()
    if season is not None and not season.contains(day):
        return f"不在开放期（{season.describe()}）"
    if not hours:
        return None
    spans = hours.get(str(day.weekday())) or []
    if not spans:
        return f"{WEEKDAY_SHORT[day.weekday()]}不办公"
    last = max(str(b) for _, b in spans)
    if now_local.strftime("%H:%M") >= last.zfill(5):
        return f"今日办理时间已结束（{last.zfill(5)}）"
    return None


def windows_serving(windows: list[WindowDef], service_code: str, day: dt.date) -> list[WindowDef]:
    """Windows open on ``day`` that serve a service, those preferring it first."""
    found = [w for w in windows if service_code in w.services and w.open_on(day)]
    return sorted(found, key=lambda w: (w.services.index(service_code), w.number))


def check_catalogue(services: list[ServiceDef], windows: list[WindowDef]) -> list[str]:
    """All problems of a catalogue, in Chinese; empty when it is usable."""
    out: list[str] = []
    codes = [s.code for s in services]
    prefixes = [s.prefix for s in services]
    for s in services:
        out += s.problems()
    for dup in {c for c in codes if codes.count(c) > 1}:
        out.append(f"业务代码“{dup}”重复")
    for dup in {p for p in prefixes if prefixes.count(p) > 1}:
        out.append(f"票号前缀“{dup}”被多个业务使用")
    numbers = [w.number for w in windows]
    for number in {n for n in numbers if numbers.count(n) > 1}:
        out.append(f"窗口号 {number} 重复")
    for w in windows:
        out += w.problems()
        for code in w.services:
            if code not in codes:
                out.append(f"{w.label}办理的业务“{code}”不存在")
    return out
