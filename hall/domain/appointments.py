"""Appointment rules: weekly opening hours, time slots, and arrival on time.

Everything here is pure. A service that takes appointments has a
:class:`SlotPlan` (slot length, places per slot, weekly opening hours, how
many days ahead one may book). Slots are generated from the plan for a day on
the fly; only bookings are stored. A booked visitor who arrives within the
check-in window of the slot (:class:`CheckInPolicy`, by default from 15
minutes before the slot starts to 10 minutes after) gets a ticket with the
appointment priority; later, an ordinary ticket, and the appointment counts
as late; one who never comes is marked missed once the window has passed.

Weekly hours are data: ``{"0": [["08:30", "12:00"], ["13:30", "17:30"]], ...}``
with weekdays ``0`` (Monday) to ``6`` (Sunday); a weekday not listed is closed.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .clock import HALL_TZ, UTC

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

DEFAULT_SLOT_MINUTES = 30
DEFAULT_CAPACITY = 2
DEFAULT_DAYS_AHEAD = 14
DEFAULT_EARLY_MINUTES = 15
DEFAULT_LATE_MINUTES = 10

#: Weekdays 08:30-12:00 and 13:30-17:30, the usual hours of a service hall.
DEFAULT_HOURS: dict[str, list[list[str]]] = {
    str(d): [["08:30", "12:00"], ["13:30", "17:30"]] for d in range(5)}

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class AppointmentStatus(str, enum.Enum):
    BOOKED = "booked"            # waiting for the visitor
    CHECKED_IN = "checked_in"    # came within the check-in window (kept)
    LATE = "late"                # came after the window: ordinary ticket
    MISSED = "missed"            # the window passed without the visitor
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    AppointmentStatus.BOOKED: "已预约",
    AppointmentStatus.CHECKED_IN: "已签到",
    AppointmentStatus.LATE: "迟到",
    AppointmentStatus.MISSED: "爽约",
    AppointmentStatus.CANCELLED: "已取消",
}

#: How an appointment was made.
CHANNELS = {"front_desk": "现场预约", "phone": "电话预约"}


class Arrival(str, enum.Enum):
    EARLY = "early"      # before the check-in window opens
    ON_TIME = "on_time"  # within the window: appointment priority
    LATE = "late"        # after the window: ordinary ticket


# ------------------------------------------------------------------ hours
Interval = tuple[dt.time, dt.time]


def _time(text: object, where: str) -> dt.time:
    m = _HHMM.match(str(text).strip()) if isinstance(text, str) else None
    if not m:
        raise ValueError(f"{where}的时间“{text}”格式不正确，应为 HH:MM（如 08:30）")
    return dt.time(int(m.group(1)), int(m.group(2)))


def parse_hours(data: Mapping[str, Any] | None) -> dict[int, tuple[Interval, ...]]:
    """Weekly opening hours from data; raises ``ValueError`` with a Chinese message.

    Intervals of a day must not overlap and must close after they open.
    """
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ValueError("开放时间应按星期列出，如 {\"0\": [[\"08:30\", \"12:00\"]]}")
    out: dict[int, tuple[Interval, ...]] = {}
    for key, spans in data.items():
        try:
            day = int(key)
        except (TypeError, ValueError):
            raise ValueError(f"开放时间的星期“{key}”不正确，应为 0（星期一）到 6（星期日）") from None
        if not 0 <= day <= 6:
            raise ValueError(f"开放时间的星期“{key}”不正确，应为 0（星期一）到 6（星期日）")
        if day in out:
            raise ValueError(f"{WEEKDAY_NAMES[day]}的开放时间重复")
        name = WEEKDAY_NAMES[day]
        if not isinstance(spans, (list, tuple)):
            raise ValueError(f"{name}的开放时间应为时段列表")
        intervals = []
        for span in spans:
            if not isinstance(span, (list, tuple)) or len(span) != 2:
                raise ValueError(f"{name}的每个时段应写成 [开始, 结束]")
            start, end = _time(span[0], name), _time(span[1], name)
            if end <= start:
                raise ValueError(f"{name}的时段 {span[0]}-{span[1]} 结束时间不晚于开始时间")
            intervals.append((start, end))
        intervals.sort()
        for (a0, a1), (b0, b1) in zip(intervals, intervals[1:]):
            if b0 < a1:
                raise ValueError(f"{name}的时段 {a0:%H:%M}-{a1:%H:%M} 与 {b0:%H:%M}-{b1:%H:%M} 重叠")
        if intervals:
            out[day] = tuple(intervals)
    return out


def hours_to_data(hours: Mapping[int, Sequence[Interval]]) -> dict[str, list[list[str]]]:
    """The inverse of :func:`parse_hours`, in a canonical form (sorted, HH:MM)."""
    return {str(day): [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in hours[day]]
            for day in sorted(hours) if hours[day]}


def normalise_hours(data: Mapping[str, Any] | None) -> dict[str, list[list[str]]]:
    """Validate and canonicalise weekly hours data (``"8:30"`` becomes ``"08:30"``)."""
    return hours_to_data(parse_hours(data))


def describe_hours(hours: Mapping[int, Sequence[Interval]]) -> str:
    parts = [f"{WEEKDAY_NAMES[d]} " + "、".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in hours[d])
             for d in sorted(hours)]
    return "；".join(parts) or "不开放"


# ------------------------------------------------------------------ slots
@dataclass(frozen=True)
class SlotPlan:
    """How a service takes appointments."""

    slot_minutes: int = DEFAULT_SLOT_MINUTES
    capacity: int = DEFAULT_CAPACITY
    hours: Mapping[int, tuple[Interval, ...]] = field(default_factory=dict)
    days_ahead: int = DEFAULT_DAYS_AHEAD

    def problems(self) -> list[str]:
        out = []
        if not isinstance(self.slot_minutes, int) or not 5 <= self.slot_minutes <= 240:
            out.append("预约时段长度应为 5 到 240 分钟")
        if not isinstance(self.capacity, int) or not 1 <= self.capacity <= 100:
            out.append("每个预约时段可约人数应为 1 到 100")
        if not isinstance(self.days_ahead, int) or not 0 <= self.days_ahead <= 90:
            out.append("可提前预约天数应为 0 到 90 天")
        if not any(self.hours.values()):
            out.append("预约开放时间不能为空")
        return out


@dataclass(frozen=True, order=True)
class Slot:
    """One time slot of one day (wall-clock times in the hall)."""

    day: dt.date
    start: dt.time
    end: dt.time

    @property
    def start_at(self) -> dt.datetime:
        """The slot's start as an aware UTC moment."""
        return local_moment(self.day, self.start)

    @property
    def end_at(self) -> dt.datetime:
        return local_moment(self.day, self.end)

    @property
    def label(self) -> str:
        return f"{self.day.month}月{self.day.day}日 {self.start:%H:%M}-{self.end:%H:%M}"


def local_moment(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=HALL_TZ).astimezone(UTC)


def slots_on(plan: SlotPlan, day: dt.date) -> list[Slot]:
    """The day's slots by the weekly hours: consecutive slots of the plan's
    length that fit entirely inside an opening interval. Whether the day is a
    working day at all is the caller's question (the holiday calendar)."""
    out = []
    step = dt.timedelta(minutes=plan.slot_minutes)
    for start, end in plan.hours.get(day.weekday(), ()):
        at = dt.datetime.combine(day, start)
        limit = dt.datetime.combine(day, end)
        while at + step <= limit:
            out.append(Slot(day, at.time(), (at + step).time()))
            at += step
    return out


def find_slot(plan: SlotPlan, day: dt.date, start: dt.time) -> Slot | None:
    for slot in slots_on(plan, day):
        if slot.start == start:
            return slot
    return None


def nearest(candidates: Iterable[Slot], wanted: dt.datetime, n: int = 3) -> list[Slot]:
    """The ``n`` slots whose start is nearest to ``wanted`` (ties: the earlier),
    listed in time order."""
    ranked = sorted(candidates, key=lambda s: (abs((s.start_at - wanted).total_seconds()), s.start_at))
    return sorted(ranked[:n])


# --------------------------------------------------------------- arrival
@dataclass(frozen=True)
class CheckInPolicy:
    early_minutes: int = DEFAULT_EARLY_MINUTES
    late_minutes: int = DEFAULT_LATE_MINUTES

    def problems(self) -> list[str]:
        out = []
        if not isinstance(self.early_minutes, int) or not 0 <= self.early_minutes <= 240:
            out.append("提前签到时间应为 0 到 240 分钟")
        if not isinstance(self.late_minutes, int) or not 0 <= self.late_minutes <= 240:
            out.append("迟到宽限时间应为 0 到 240 分钟")
        return out

    def opens_at(self, slot_start: dt.datetime) -> dt.datetime:
        return slot_start - dt.timedelta(minutes=self.early_minutes)

    def closes_at(self, slot_start: dt.datetime) -> dt.datetime:
        """After this moment the visitor is late, and a no-show is missed."""
        return slot_start + dt.timedelta(minutes=self.late_minutes)

    def arrival(self, slot_start: dt.datetime, now: dt.datetime) -> Arrival:
        if now < self.opens_at(slot_start):
            return Arrival.EARLY
        if now <= self.closes_at(slot_start):
            return Arrival.ON_TIME
        return Arrival.LATE


__all__ = ["AppointmentStatus", "Arrival", "CHANNELS", "CheckInPolicy", "DEFAULT_HOURS", "Slot",
           "SlotPlan", "STATUS_LABELS", "WEEKDAY_NAMES", "describe_hours", "find_slot",
           "hours_to_data", "local_moment", "nearest", "normalise_hours", "parse_hours", "slots_on"]
