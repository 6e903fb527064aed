"""Appointment rules: weekly hours, slots, nearest free slots, arrival on time."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from hall.domain import appointments as ap
from hall.domain.appointments import Arrival, CheckInPolicy, Slot, SlotPlan
from hall.domain.clock import HALL_TZ, UTC

MONDAY = dt.date(2026, 11, 23)


def local(day: dt.date, hhmm: str) -> dt.datetime:
    h, m = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(h, m), tzinfo=HALL_TZ).astimezone(UTC)


def plan(**kw) -> SlotPlan:
    hours = ap.parse_hours(kw.pop("hours", {"0": [["09:00", "12:00"], ["14:00", "15:00"]]}))
    return SlotPlan(hours=hours, **kw)


def test_hours_parse_normalise_and_describe():
    hours = ap.parse_hours({"0": [["13:30", "17:30"], ["8:30", "12:00"]], 4: [["09:00", "11:00"]]})
    assert hours[0] == ((dt.time(8, 30), dt.time(12)), (dt.time(13, 30), dt.time(17, 30)))
    assert ap.normalise_hours({"0": [["8:30", "12:00"]]}) == {"0": [["08:30", "12:00"]]}
    assert ap.describe_hours(hours) == "星期一 08:30-12:00、13:30-17:30；星期五 09:00-11:00"
    assert ap.parse_hours(None) == {} and ap.normalise_hours({"2": []}) == {}


@pytest.mark.parametrize("data, message", [
    ({"7": [["09:00", "10:00"]]}, "0（星期一）到 6（星期日）"),
    ({"mon": [["09:00", "10:00"]]}, "星期“mon”不正确"),
    ({"0": [["9点", "10:00"]]}, "格式不正确"),
    ({"0": [["10:00", "09:00"]]}, "结束时间不晚于开始时间"),
    ({"0": [["09:00", "11:00"], ["10:30", "12:00"]]}, "重叠"),
    ({"0": [["09:00"]]}, "[开始, 结束]"),
    ([["09:00", "10:00"]], "按星期列出"),
])
def test_bad_hours_are_refused_in_chinese(data, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ap.parse_hours(data)


def test_slots_fill_each_interval_without_overrunning_it():
    slots = ap.slots_on(plan(slot_minutes=40), MONDAY)
    assert [s.start.strftime("%H:%M") for s in slots] == ["09:00", "09:40", "10:20", "11:00", "14:00"]
    assert slots[-1].end == dt.time(14, 40)   # 14:40-15:20 would overrun 15:00
    assert ap.slots_on(plan(), MONDAY + dt.timedelta(days=1)) == []   # Tuesday: no hours
    s = slots[0]
    assert s.start_at == local(MONDAY, "09:00") and s.end_at == local(MONDAY, "09:40")
    assert s.label == "11月23日 09:00-09:40"
    assert ap.find_slot(plan(slot_minutes=40), MONDAY, dt.time(9, 40)) == slots[1]
    assert ap.find_slot(plan(slot_minutes=40), MONDAY, dt.time(9, 30)) is None


def test_plan_problems():
    assert plan().problems() == []
    problems = SlotPlan(slot_minutes=2, capacity=0, hours={}, days_ahead=400).problems()
    assert len(problems) == 4 and any("5 到 240" in p for p in problems)


def test_nearest_slots_are_listed_in_time_order_ties_to_the_earlier():
    slots = ap.slots_on(plan(slot_minutes=30), MONDAY)
    wanted = local(MONDAY, "10:00")
    free = [s for s in slots if s.start != dt.time(10, 0)]
    got = ap.nearest(free, wanted, 3)
    assert [s.start.strftime("%H:%M") for s in got] == ["09:00", "09:30", "10:30"]
    assert ap.nearest([], wanted) == []


@pytest.mark.parametrize("at, expected", [
    ("09:44", Arrival.EARLY), ("09:45", Arrival.ON_TIME), ("10:00", Arrival.ON_TIME),
    ("10:10", Arrival.ON_TIME), ("10:11", Arrival.LATE),
])
def test_arrival_within_the_check_in_window(at, expected):
    policy = CheckInPolicy(15, 10)
    assert policy.arrival(local(MONDAY, "10:00"), local(MONDAY, at)) is expected


def test_check_in_window_edges_and_problems():
    p = CheckInPolicy(5, 0)
    start = local(MONDAY, "10:00")
    assert p.opens_at(start) == local(MONDAY, "09:55") and p.closes_at(start) == start
    assert p.arrival(start, start + dt.timedelta(seconds=1)) is Arrival.LATE
    assert CheckInPolicy(-1, 500).problems() == ["提前签到时间应为 0 到 240 分钟", "迟到宽限时间应为 0 到 240 分钟"]


def test_status_labels_cover_every_status():
    assert {s.label for s in ap.AppointmentStatus} == {"已预约", "已签到", "迟到", "爽约", "已取消"}
    assert Slot(MONDAY, dt.time(9), dt.time(9, 30)) < Slot(MONDAY, dt.time(9, 30), dt.time(10))
