"""Appointments on both backends: slots, booking, full slots, check-in on time
or late, missed, and the booked visitor's call rule (next at the service's
window unless a statutory priority waits)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from hall.services import Conflict, InvalidInput, NotFound, PermissionDenied
from hall.services import admin as adm
from hall.services import appointments as ap
from hall.services import queue as q
from hall.store.centre_models import Appointment
from hall.store.models import AuditEntry, Event

DAY = dt.date(2026, 11, 23)  # Monday
PHONE = "13812345678"


def at(clock, hhmm: str, day: dt.date = DAY) -> None:
    h, m = map(int, hhmm.split(":"))
    clock.set_local(dt.datetime.combine(day, dt.time(h, m)))


def slot(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    h, m = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(h, m))


@pytest.fixture
def plan(hall, admin, clock):
    adm.set_appointment_plan(hall, admin, "labour", slot_minutes=30, capacity=2, days_ahead=7,
                             hours={str(d): [["09:00", "12:00"], ["14:00", "16:00"]] for d in range(5)})
    at(clock, "08:00")
    return hall


def test_slots_of_a_day_with_places(plan, front_desk, clock):
    slots = ap.available_slots(plan, "labour", DAY)
    assert len(slots) == 10 and slots[0].label == "11月23日 09:00-09:30"
    assert all(s.free == 2 and s.bookable for s in slots)
    ap.book(plan, front_desk, "labour", slot("09:00"), "王小明", PHONE)
    first = ap.available_slots(plan, "labour", DAY)[0]
    assert (first.booked, first.free, first.capacity) == (1, 1, 2)
    assert ap.available_slots(plan, "labour", dt.date(2026, 11, 28)) == []   # Saturday
    at(clock, "10:05")
    assert [s.bookable for s in ap.available_slots(plan, "labour", DAY)][:3] == [False, False, False]
    assert ap.plan_for(plan, "labour")["capacity"] == 2 and ap.plan_for(plan, "general") is None


def test_booking_needs_name_and_valid_phone_and_a_real_slot(plan, front_desk, admin):
    v = ap.book(plan, front_desk, "labour", slot("09:30"), " 王小明 ", "138 1234 5678", channel="phone")
    assert (v.name, v.phone, v.masked_name, v.masked_phone) == ("王小明", PHONE, "王*明", "138****5678")
    assert v.status == "booked" and v.channel == "phone" and v.slot_label == "11月23日 09:30-10:00"
    assert set(v.public()) >= {"masked_name", "masked_phone"} and PHONE not in str(v.public())
    cases = [
        (dict(name=""), "姓名不能为空"),
        (dict(phone=""), "需要联系电话"),
        (dict(phone="12345"), "手机号码应为11位"),
        (dict(start=slot("09:10")), "不是“劳动仲裁”的预约时段"),
        (dict(start=slot("12:00")), "开放时间：星期一 09:00-12:00"),
        (dict(start=slot("09:00", dt.date(2026, 11, 28))), "11月28日是公休日，不办理预约"),
        (dict(start=slot("09:00", dt.date(2026, 12, 7))), "只能预约 7 天内"),
        (dict(channel="email"), "未知的预约方式"),
    ]
    for change, message in cases:
        kw = dict(start=slot("10:00"), name="李四", phone="13912345678", channel="front_desk") | change
        with pytest.raises(InvalidInput, match=message):
            ap.book(plan, front_desk, "labour", kw["start"], kw["name"], kw["phone"], channel=kw["channel"])
    with pytest.raises(InvalidInput, match="暂不接受预约"):
        ap.book(plan, front_desk, "general", slot("10:00"), "李四", "13912345678")
    with pytest.raises(NotFound):
        ap.book(plan, front_desk, "nope", slot("10:00"), "李四", "13912345678")
    with pytest.raises(Conflict, match="当天已预约"):
        ap.book(plan, front_desk, "labour", slot("11:00"), "王小明", PHONE)
    with pytest.raises(PermissionDenied):
        ap.book(plan, adm_director(plan), "labour", slot("10:00"), "李四", "13912345678")
    with plan.read() as s:
        payloads = [e.payload for e in s.execute(select(Event).where(Event.kind.like("appointment.%"))).scalars()]
        details = [a.details for a in s.execute(select(AuditEntry).where(AuditEntry.action == "appointment.book")).scalars()]
    assert payloads and all(PHONE not in str(p) and "王小明" not in str(p) for p in payloads)
    assert details and all(PHONE not in str(d) and "王小明" not in str(d) for d in details)


def adm_director(db):
    from tests.conftest import staff_actor

    return staff_actor(db, "zhuren")


def test_a_past_slot_is_refused(plan, front_desk, clock):
    at(clock, "09:00")
    with pytest.raises(InvalidInput, match="已开始或已过"):
        ap.book(plan, front_desk, "labour", slot("09:00"), "李四", "13912345678")


def test_a_full_slot_is_refused_listing_the_nearest_free_slots(plan, front_desk):
    ap.book(plan, front_desk, "labour", slot("10:00"), "甲一", "13000000001")
    ap.book(plan, front_desk, "labour", slot("10:00"), "乙二", "13000000002")
    ap.book(plan, front_desk, "labour", slot("10:30"), "丙三", "13000000003")
    ap.book(plan, front_desk, "labour", slot("10:30"), "丁四", "13000000004")
    with pytest.raises(Conflict) as err:
        ap.book(plan, front_desk, "labour", slot("10:00"), "戊五", "13000000005")
    msg = str(err.value)
    assert "11月23日 10:00-10:30 已约满（每个时段 2 人）" in msg
    # nearest by start: 09:30 (30 min), 11:00 (60 min, tie with 09:00: the earlier wins)
    assert msg.endswith("最近的可约时段：11月23日 09:00-09:30、11月23日 09:30-10:00、11月23日 11:00-11:30")
    assert len(err.value.details["free_slots"]) == 3


def test_cancel_frees_the_place(plan, front_desk):
    a = ap.book(plan, front_desk, "labour", slot("10:00"), "甲一", "13000000001")
    ap.book(plan, front_desk, "labour", slot("10:00"), "乙二", "13000000002")
    gone = ap.cancel(plan, front_desk, a.id, "改期")
    assert gone.status == "cancelled" and gone.status_label == "已取消"
    ap.book(plan, front_desk, "labour", slot("10:00"), "戊五", "13000000005")
    with pytest.raises(Conflict, match="不能取消"):
        ap.cancel(plan, front_desk, a.id)
    assert [x.name for x in ap.list_appointments(plan, DAY, status="booked")] == ["乙二", "戊五"]
    assert [x.id for x in ap.find_by_phone(plan, "13000000001")] == [a.id]


def test_check_in_on_time_issues_an_appointment_ticket(plan, front_desk, clock):
    a = ap.book(plan, front_desk, "labour", slot("10:00"), "王小明", PHONE)
    at(clock, "09:44")
    with pytest.raises(Conflict, match="请于 09:45 后签到"):
        ap.check_in(plan, front_desk, a.id)
    at(clock, "09:45")
    res = ap.check_in(plan, front_desk, a.id)
    assert res.on_time and res.ticket.priority_reason == "appointment" and res.ticket.number == "L001"
    assert res.appointment.status == "checked_in" and res.appointment.ticket_number == "L001"
    assert res.ticket.visitor_name == "王小明" and "优先叫号" in res.message
    assert "下一个空闲窗口" in res.message and "法定优先者" in res.message   # the call rule, said as it is
    with pytest.raises(Conflict, match="不能签到"):
        ap.check_in(plan, front_desk, a.id)


def test_late_arrival_gets_an_ordinary_ticket_and_counts_late(plan, front_desk, clock):
    a = ap.book(plan, front_desk, "labour", slot("10:00"), "王小明", PHONE)
    at(clock, "10:10")
    b = ap.book(plan, front_desk, "labour", slot("11:00"), "李四", "13912345678")
    at(clock, "10:11")
    res = ap.check_in(plan, front_desk, a.id)
    assert not res.on_time and res.ticket.priority_reason is None
    assert res.appointment.status == "late" and "迟到 11 分钟" in res.message
    assert ap.appointment(plan, b.id).status == "booked"


def test_missed_when_the_window_passes_and_late_if_they_still_come(plan, front_desk, clock):
    a = ap.book(plan, front_desk, "labour", slot("09:00"), "王小明", PHONE)
    b = ap.book(plan, front_desk, "labour", slot("09:30"), "李四", "13912345678")
    at(clock, "09:10")
    assert ap.sweep_missed(plan, front_desk) == 0          # 09:00 + 10 min: not yet passed
    at(clock, "09:11")
    assert ap.sweep_missed(plan, front_desk) == 1
    assert ap.sweep_missed(plan, front_desk) == 0          # idempotent
    assert (ap.appointment(plan, a.id).status, ap.appointment(plan, b.id).status) == ("missed", "booked")
    at(clock, "11:00")
    res = ap.check_in(plan, front_desk, a.id)
    assert res.appointment.status == "late" and res.ticket.priority_reason is None
    at(clock, "09:00", DAY + dt.timedelta(days=1))
    with pytest.raises(Conflict, match="预约日期已过"):
        ap.check_in(plan, front_desk, b.id)


def test_check_in_window_is_a_setting(plan, admin, front_desk, clock):
    adm.set_check_in_window(plan, admin, 5, 0)
    a = ap.book(plan, front_desk, "labour", slot("10:00"), "王小明", PHONE)
    at(clock, "09:50")
    with pytest.raises(Conflict, match="请于 09:55 后签到"):
        ap.check_in(plan, front_desk, a.id)
    at(clock, "10:01")
    assert ap.check_in(plan, front_desk, a.id).appointment.status == "late"


def _walk_ins(plan, front_desk, clock) -> list[int]:
    out = []
    for hhmm in ("08:10", "08:50", "08:55"):
        at(clock, hhmm)
        out.append(q.issue_ticket(plan, front_desk, "labour").id)
    return out


def _call_all(plan, window_staff, window: str) -> list[int]:
    order = []
    while (t := q.call_next(plan, window_staff, window)) is not None:
        order.append(t.id)
        q.finish(plan, window_staff, t.id)
    return order


def test_an_on_time_booked_visitor_is_called_next_at_the_services_window(plan, admin, front_desk,
                                                                        window_staff, clock):
    """Three walk-ins wait (one since 08:10); the booked visitor checks in on
    time at 09:00 and is the next call at the labour window, as promised."""
    from hall.domain.queue import BOOKED_CALL_RULE

    booked = ap.book(plan, front_desk, "labour", slot("09:00"), "甲一", "13900000001")
    w1, w2, w3 = _walk_ins(plan, front_desk, clock)
    at(clock, "09:00")
    res = ap.check_in(plan, front_desk, booked.id)
    assert res.message == f"已签到，预约号 {res.ticket.number}：{BOOKED_CALL_RULE}"   # the promise is the rule
    assert "下一个空闲窗口" in res.message and "法定优先者" in res.message
    a1 = res.ticket.id
    assert res.ticket.ahead == 0                                                 # the slip says so too
    assert q.issue_ticket(plan, front_desk, "general").ahead == 0                # another service: no effect
    assert q.ticket(plan, w1).ahead == 1                                         # the walk-ins wait behind the booking
    assert [t.id for t in q.waiting_for_window(plan, "w03")][:4] == [a1, w1, w2, w3]   # the call order
    at(clock, "09:05")
    q.open_window(plan, window_staff, "w03")
    assert _call_all(plan, window_staff, "w03")[:4] == [a1, w1, w2, w3]


def test_a_statutory_priority_waiting_is_called_before_the_booked_visitor(plan, admin, front_desk,
                                                                          window_staff, clock):
    """Same hall, and a pregnant visitor takes a number after the check-in:
    she is called first, then the booked visitor, then the walk-ins by the
    ordinary rule."""
    booked = [ap.book(plan, front_desk, "labour", slot("09:00"), name, f"1390000000{i}")
              for i, name in enumerate(["甲一", "乙二"], 1)]
    w1, w2, w3 = _walk_ins(plan, front_desk, clock)
    at(clock, "09:00"); a1 = ap.check_in(plan, front_desk, booked[0].id).ticket.id
    at(clock, "09:02"); p = q.issue_ticket(plan, front_desk, "labour", priority="pregnant")
    assert p.ahead == 0
    p = p.id
    at(clock, "09:03"); second = ap.check_in(plan, front_desk, booked[1].id).ticket
    assert second.ahead == 2                                                     # the pregnant visitor, 甲一
    a2 = second.id
    expected = [p, a1, a2, w1, w2, w3]
    assert [t.id for t in q.waiting_for_window(plan, "w03")] == expected
    at(clock, "09:05")
    q.open_window(plan, window_staff, "w03")
    assert _call_all(plan, window_staff, "w03") == expected


def test_a_late_arrival_is_called_as_a_walk_in(plan, front_desk, window_staff, clock):
    booked = ap.book(plan, front_desk, "labour", slot("09:00"), "甲一", "13900000001")
    w1, w2, w3 = _walk_ins(plan, front_desk, clock)
    at(clock, "09:11")
    late = ap.check_in(plan, front_desk, booked.id)
    assert not late.on_time and late.ticket.priority_reason is None
    q.open_window(plan, window_staff, "w03")
    assert _call_all(plan, window_staff, "w03") == [w1, w2, w3, late.ticket.id]


def test_a_concurrent_check_in_cancels_the_extra_ticket(plan, front_desk, clock, monkeypatch):
    a = ap.book(plan, front_desk, "labour", slot("10:00"), "王小明", PHONE)
    at(clock, "09:50")
    real = q.issue_ticket

    def issue_then_other_desk(*args, **kw):
        t = real(*args, **kw)
        with plan.write() as s:  # a second desk checks the same booking in meanwhile
            s.get(Appointment, a.id).status = "checked_in"
        return t

    monkeypatch.setattr(ap.queue, "issue_ticket", issue_then_other_desk)
    with pytest.raises(Conflict, match="请勿重复签到"):
        ap.check_in(plan, front_desk, a.id)
    snap = q.queue_snapshot(plan)
    assert [s.waiting for s in snap.services if s.code == "labour"] == [0]


def test_the_first_booking_action_after_a_slot_marks_its_no_shows(plan, front_desk, director, clock):
    from hall.services import stats

    a = ap.book(plan, front_desk, "labour", slot("09:00"), "王小明", PHONE)
    at(clock, "09:11")                       # 09:00 + 10 minutes' check-in window has passed
    ap.book(plan, front_desk, "labour", slot("10:00"), "李四", "13912345678")   # nobody ran a sweep
    assert ap.appointment(plan, a.id).status == "missed"
    figures = stats.compute(plan, director, stats.Period.day(DAY), ["appointments"])["appointments"]
    # due: one (the 09:00 booking), missed: one -> 爽约率 100%, not "—"
    assert (figures["missed"], figures["missed_rate"]) == (1, 1.0)
