"""The queue engine on SQLite and on PostgreSQL (every test runs on both)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from hall.services import Conflict, InvalidInput, NotFound, PermissionDenied
from hall.services import queue as q
from hall.store.models import AuditEntry, Event, Ticket


def open_w(db, actor, code="w03"):
    q.open_window(db, actor, code)


def test_numbers_start_at_001_per_service_and_day(hall, front_desk):
    a = q.issue_ticket(hall, front_desk, "labour")
    b = q.issue_ticket(hall, front_desk, "labour")
    c = q.issue_ticket(hall, front_desk, "housing")
    assert (a.number, b.number, c.number) == ("L001", "L002", "Z001")
    assert (a.ahead, b.ahead) == (0, 1)


def test_numbering_restarts_at_shanghai_midnight_not_utc(hall, front_desk, clock):
    clock.set_local(dt.datetime(2026, 11, 23, 23, 59, 30))
    assert q.issue_ticket(hall, front_desk, "labour").number == "L001"
    clock.set_local(dt.datetime(2026, 11, 24, 7, 59))  # still Nov 23 in UTC
    t = q.issue_ticket(hall, front_desk, "labour")
    assert t.number == "L001" and t.business_day == dt.date(2026, 11, 24)


def test_yesterdays_waiting_tickets_are_not_called_and_expire(hall, front_desk, window_staff, clock):
    old = q.issue_ticket(hall, front_desk, "labour")
    clock.set_local(dt.datetime(2026, 11, 24, 9, 0))
    open_w(hall, window_staff)
    assert q.call_next(hall, window_staff, "w03") is None
    assert q.ticket(hall, old.id).status == "expired"


def test_carry_over_service_keeps_numbering_until_its_queue_empties(hall, admin, front_desk, window_staff, clock):
    from hall.store.models import Service

    with hall.write() as s:
        s.execute(select(Service).where(Service.code == "labour")).scalar_one().carry_over = True
    first = q.issue_ticket(hall, front_desk, "labour")
    clock.set_local(dt.datetime(2026, 11, 24, 8, 30))
    nxt = q.issue_ticket(hall, front_desk, "labour")
    assert nxt.number == "L002"  # yesterday's L001 still waits: no second L001 on the board
    open_w(hall, window_staff)
    called = q.call_next(hall, window_staff, "w03")
    assert called.id == first.id


def test_call_next_claims_in_priority_then_arrival_order(hall, front_desk, window_staff, clock):
    open_w(hall, window_staff)
    a = q.issue_ticket(hall, front_desk, "labour")
    clock.advance(minutes=1)
    b = q.issue_ticket(hall, front_desk, "labour", priority="pregnant")
    called = q.call_next(hall, window_staff, "w03")
    assert called.id == b.id and called.status == "called" and called.window == "w03"
    q.finish(hall, window_staff, called.id)
    assert q.call_next(hall, window_staff, "w03").id == a.id


def test_window_prefers_its_own_service(hall, front_desk, window_staff, clock):
    open_w(hall, window_staff)
    general = q.issue_ticket(hall, front_desk, "general")
    clock.advance(minutes=2)
    labour = q.issue_ticket(hall, front_desk, "labour")
    # w03 serves labour first, general second (10-minute rank penalty)
    assert q.call_next(hall, window_staff, "w03").id == labour.id
    q.finish(hall, window_staff, labour.id)
    assert q.call_next(hall, window_staff, "w03").id == general.id


def test_priority_cap_lets_an_ordinary_visitor_through(hall, front_desk, window_staff, clock):
    open_w(hall, window_staff)
    ordinary = q.issue_ticket(hall, front_desk, "labour")
    prio = [q.issue_ticket(hall, front_desk, "labour", priority="elderly") for _ in range(5)]
    called = []
    for _ in range(4):
        t = q.call_next(hall, window_staff, "w03")
        called.append(t.id)
        q.finish(hall, window_staff, t.id)
    assert called[:3] == [p.id for p in prio[:3]]
    assert called[3] == ordinary.id


def test_one_window_holds_one_visitor_at_a_time(hall, front_desk, window_staff):
    open_w(hall, window_staff)
    q.issue_ticket(hall, front_desk, "labour")
    q.issue_ticket(hall, front_desk, "labour")
    t = q.call_next(hall, window_staff, "w03")
    with pytest.raises(Conflict, match="尚未办结"):
        q.call_next(hall, window_staff, "w03")
    q.mark_no_show(hall, window_staff, t.id)
    assert q.call_next(hall, window_staff, "w03") is not None


def test_paused_window_does_not_call(hall, front_desk, window_staff):
    q.issue_ticket(hall, front_desk, "labour")
    with pytest.raises(Conflict, match="未开启"):
        q.call_next(hall, window_staff, "w03")
    open_w(hall, window_staff)
    q.pause_window(hall, window_staff, "w03")
    with pytest.raises(Conflict, match="暂停"):
        q.call_next(hall, window_staff, "w03")


def _offer(hall, code):
    return next(x for x in q.queue_snapshot(hall).services if x.code == code)


def test_seasonal_service_is_not_offered_out_of_season(hall, front_desk, window_staff, clock):
    """In December the education service (only window 10, season 07-01 to 09-15
    every year) issues no ticket, and window 10 cannot be opened."""
    clock.set_local(dt.datetime(2026, 12, 7, 9, 30))
    edu = _offer(hall, "education")
    assert not edu.offered and "10号窗口" in edu.closed_reason and "07-01 至 09-15" in edu.closed_reason
    assert _offer(hall, "labour").offered
    w10 = next(w for w in q.queue_snapshot(hall).windows if w.code == "w10")
    assert not w10.in_season and "不在开放期" in w10.closed_reason
    with pytest.raises(Conflict, match="今天不能取号"):
        q.issue_ticket(hall, front_desk, "education")
    with pytest.raises(Conflict, match="季节性"):
        q.open_window(hall, window_staff, "w10")
    with hall.read() as s:
        assert s.execute(select(func.count()).select_from(Ticket)).scalar_one() == 0


def test_season_recurs_every_year_unless_dated(hall, admin, front_desk, window_staff, clock):
    from hall.services import admin as adm

    clock.set_local(dt.datetime(2027, 8, 2, 9, 0))  # a year after the season was entered
    assert _offer(hall, "education").offered
    open_w(hall, window_staff, "w10")
    t = q.issue_ticket(hall, front_desk, "education")
    assert q.call_next(hall, window_staff, "w10").id == t.id
    q.finish(hall, window_staff, t.id)
    # A dated season is that one period only.
    adm.update_window(hall, admin, "w10", season={"start": "2026-07-01", "end": "2026-09-15"})
    assert not _offer(hall, "education").offered
    with pytest.raises(Conflict, match="季节性"):
        q.call_next(hall, window_staff, "w10")
    # A winter season runs over the new year.
    adm.update_window(hall, admin, "w10", season={"start": "11-15", "end": "02-15"})
    for day, offered in ((dt.date(2027, 12, 31), True), (dt.date(2028, 1, 20), True),
                         (dt.date(2028, 2, 16), False), (dt.date(2027, 11, 14), False)):
        clock.set_local(dt.datetime.combine(day, dt.time(10, 0)))
        assert _offer(hall, "education").offered is offered, day


def test_weekly_hours_close_a_window_and_its_services(hall, admin, front_desk, window_staff, clock):
    from hall.services import admin as adm

    # Counselling has window 9 only; it works Tuesday and Thursday mornings.
    adm.update_window(hall, admin, "w09", hours={"1": [["08:30", "12:00"]], "3": [["08:30", "12:00"]]})
    clock.set_local(dt.datetime(2026, 11, 23, 9, 0))  # a Monday
    off = _offer(hall, "counselling")
    assert not off.offered and "周一不办公" in off.closed_reason
    with pytest.raises(Conflict, match="今天不能取号"):
        q.issue_ticket(hall, front_desk, "counselling")
    board = next(w for w in q.queue_snapshot(hall).windows if w.code == "w09")
    assert board.closed_reason == "周一不办公"
    clock.set_local(dt.datetime(2026, 11, 24, 8, 0))  # Tuesday, before opening: tickets are issued
    assert _offer(hall, "counselling").offered
    q.issue_ticket(hall, front_desk, "counselling")
    clock.set_local(dt.datetime(2026, 11, 24, 12, 0))  # today's hours are over
    assert "12:00" in _offer(hall, "counselling").closed_reason
    # A service with another window open stays offered: general is served by many.
    adm.update_window(hall, admin, "w01", hours={"1": [["08:30", "12:00"]]})
    assert _offer(hall, "general").offered
    # Transfer to a service nobody can call is refused too.
    open_w(hall, window_staff)
    t = q.issue_ticket(hall, front_desk, "labour")
    with pytest.raises(Conflict, match="今天不能取号"):
        q.transfer(hall, window_staff, t.id, "counselling")


def test_full_visit_timestamps_and_outcome(hall, front_desk, window_staff, clock):
    open_w(hall, window_staff)
    t = q.issue_ticket(hall, front_desk, "labour", name="张三明", phone="138 1234 5678")
    clock.advance(minutes=5)
    q.call_next(hall, window_staff, "w03")
    q.recall(hall, window_staff, t.id)
    clock.advance(minutes=1)
    q.start_service(hall, window_staff, t.id)
    clock.advance(minutes=12)
    done = q.finish(hall, window_staff, t.id, "case_opened")
    assert done.status == "finished" and done.outcome == "case_opened" and done.recall_count == 1
    assert done.called_at - done.issued_at == dt.timedelta(minutes=5)
    assert done.finished_at - done.started_at == dt.timedelta(minutes=12)
    assert done.masked_name == "张*明"


def test_transfer_closes_old_ticket_and_links_a_new_one(hall, front_desk, window_staff, clock):
    open_w(hall, window_staff)
    t = q.issue_ticket(hall, front_desk, "labour", priority="pregnant", name="李四")
    q.call_next(hall, window_staff, "w03")
    new = q.transfer(hall, window_staff, t.id, "counselling", "情绪激动，先做心理疏导")
    old = q.ticket(hall, t.id)
    assert old.status == "transferred" and old.transferred_to == new.id
    assert new.transferred_from == t.id and new.number == "P001" and new.status == "waiting"
    assert new.priority_reason == "pregnant" and new.visitor_name == "李四"
    with pytest.raises(InvalidInput):
        q.transfer(hall, window_staff, new.id, "counselling")


def test_cancel_only_while_waiting(hall, front_desk, window_staff):
    open_w(hall, window_staff)
    t = q.issue_ticket(hall, front_desk, "labour")
    q.call_next(hall, window_staff, "w03")
    with pytest.raises(Conflict):
        q.cancel(hall, front_desk, t.id)
    t2 = q.issue_ticket(hall, front_desk, "labour")
    assert q.cancel(hall, front_desk, t2.id).status == "cancelled"


def test_bad_input_is_refused_in_chinese(hall, front_desk):
    with pytest.raises(NotFound, match="没有代码为“nope”的业务"):
        q.issue_ticket(hall, front_desk, "nope")
    with pytest.raises(InvalidInput, match="优先原因"):
        q.issue_ticket(hall, front_desk, "labour", priority="vip")
    with pytest.raises(InvalidInput, match="身份证"):
        q.issue_ticket(hall, front_desk, "labour", id_number="110105194912310021")
    with pytest.raises(InvalidInput):
        q.finish(hall, front_desk, 1, outcome="whatever")


def test_roles_are_enforced_by_the_service(hall, director, front_desk):
    with pytest.raises(PermissionDenied):
        q.issue_ticket(hall, director, "labour")
    with pytest.raises(PermissionDenied):
        q.call_next(hall, front_desk, "w03")


def test_every_action_writes_audit_and_event_without_id_numbers(hall, front_desk, window_staff):
    open_w(hall, window_staff)
    t = q.issue_ticket(hall, front_desk, "labour", name="王五", id_number="11010519491231002X")
    q.call_next(hall, window_staff, "w03")
    q.finish(hall, window_staff, t.id)
    with hall.read() as s:
        actions = [a.action for a in s.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()]
        events = list(s.execute(select(Event).order_by(Event.id)).scalars())
        assert {"ticket.issue", "ticket.call", "ticket.finish"} <= set(actions)
        assert [e.kind for e in events][-3:] == ["ticket.issued", "ticket.called", "ticket.finished"]
        blob = " ".join(str(a.details) for a in s.execute(select(AuditEntry)).scalars())
        blob += " ".join(str(e.payload) for e in events)
        assert "11010519491231002X" not in blob and "王五" not in blob
        assert "王*" in blob


def test_returning_visitor_is_recognised_by_id_number(hall, front_desk):
    a = q.issue_ticket(hall, front_desk, "labour", name="王五", id_number="11010519491231002x")
    b = q.issue_ticket(hall, front_desk, "housing", name="王五", id_number="11010519491231002X")
    assert a.visitor_id == b.visitor_id


def test_events_since_and_snapshot(hall, front_desk, window_staff):
    start = q.last_event_id(hall)
    open_w(hall, window_staff)
    q.issue_ticket(hall, front_desk, "labour")
    q.issue_ticket(hall, front_desk, "labour")
    q.issue_ticket(hall, front_desk, "petition")
    evs = q.events_since(hall, start)
    assert [e.kind for e in evs] == ["window.state", "ticket.issued", "ticket.issued", "ticket.issued"]
    assert all(b.id > a.id for a, b in zip(evs, evs[1:]))
    snap = q.queue_snapshot(hall)
    waiting = {s.code: s.waiting for s in snap.services}
    assert waiting["labour"] == 2 and waiting["petition"] == 1 and waiting["housing"] == 0
    w3 = next(w for w in snap.windows if w.code == "w03")
    assert w3.state == "open" and w3.current is None
    order = q.waiting_for_window(hall, "w03")
    assert [t.number for t in order] == ["L001", "L002"]


def test_window_cannot_close_with_a_visitor(hall, front_desk, window_staff):
    open_w(hall, window_staff)
    q.issue_ticket(hall, front_desk, "labour")
    q.call_next(hall, window_staff, "w03")
    with pytest.raises(Conflict):
        q.close_window(hall, window_staff, "w03")


def _drain(hall, staff, window):
    called = []
    while (t := q.call_next(hall, staff, window)) is not None:
        called.append(t.number)
        q.finish(hall, staff, t.id)
    return called


def test_the_windows_list_is_its_call_order_with_the_priority_cap(hall, front_desk, window_staff, clock):
    """Four priority visitors and one ordinary: the list shows the ordinary
    visitor fourth, where the cap (3) calls them, not last."""
    open_w(hall, window_staff)
    q.issue_ticket(hall, front_desk, "labour")                      # L001 ordinary, first to arrive
    clock.advance(minutes=1)
    for reason in ("pregnant", "disabled", "distressed", "elderly"):
        q.issue_ticket(hall, front_desk, "labour", priority=reason)  # L002..L005
        clock.advance(minutes=1)
    listed = [t.number for t in q.waiting_for_window(hall, "w03")]
    assert listed == ["L002", "L003", "L004", "L001", "L005"]
    assert _drain(hall, window_staff, "w03") == listed


def test_the_list_follows_the_windows_run_of_priority_calls(hall, admin, front_desk, window_staff, clock):
    import random

    from hall.services import admin as adm

    rng = random.Random(15)
    reasons = [None, None, "elderly", "pregnant", "veteran", "disabled"]
    for _ in range(24):
        svc = rng.choice(["labour", "labour", "general", "housing"])
        q.issue_ticket(hall, front_desk, svc, priority=rng.choice(reasons))
        clock.advance(minutes=rng.randint(0, 4))
    adm.set_queue_policy(hall, admin, priority_cap=2)
    open_w(hall, window_staff)
    for _ in range(5):  # part-way: the window's streak of priority calls counts
        t = q.call_next(hall, window_staff, "w03")
        q.finish(hall, window_staff, t.id)
    listed = [t.number for t in q.waiting_for_window(hall, "w03")]
    assert len(listed) == len(set(listed)) > 5
    assert _drain(hall, window_staff, "w03") == listed


def test_a_chosen_ticket_is_called_out_of_order_with_a_reason_audited(hall, front_desk, window_staff, clock):
    open_w(hall, window_staff)
    a = q.issue_ticket(hall, front_desk, "labour")
    clock.advance(minutes=1)
    b = q.issue_ticket(hall, front_desk, "labour")
    h = q.issue_ticket(hall, front_desk, "housing")            # w03 does not serve housing
    with pytest.raises(InvalidInput, match="原因"):
        q.call_ticket(hall, window_staff, "w03", b.id, "  ")
    with pytest.raises(Conflict, match="不属于3号窗口"):
        q.call_ticket(hall, window_staff, "w03", h.id, "急事")
    called = q.call_ticket(hall, window_staff, "w03", b.id, "当事人需赶去医院")
    assert called.id == b.id and called.status == "called" and called.window == "w03"
    with pytest.raises(Conflict, match="尚未办结"):
        q.call_ticket(hall, window_staff, "w03", a.id, "再叫一个")
    with hall.read() as s:
        row = s.execute(select(AuditEntry).where(AuditEntry.action == "ticket.call_chosen")).scalar_one()
        assert row.details["reason"] == "当事人需赶去医院" and row.details["number"] == b.number
        ev = s.execute(select(Event).where(Event.kind == "ticket.called")).scalars().all()[-1]
        assert ev.payload["out_of_order"] is True and ev.payload["number"] == b.number
    q.finish(hall, window_staff, b.id)
    assert q.call_next(hall, window_staff, "w03").id == a.id   # the order goes on
    q.finish(hall, window_staff, a.id)
    with pytest.raises(Conflict, match="当前状态"):
        q.call_ticket(hall, window_staff, "w03", a.id, "已办结的号")


def test_a_no_show_who_returns_in_time_waits_again_in_their_place(hall, admin, front_desk, window_staff, clock):
    from hall.services import admin as adm

    open_w(hall, window_staff)
    a = q.issue_ticket(hall, front_desk, "labour", name="张三")
    clock.advance(minutes=2)
    b = q.issue_ticket(hall, front_desk, "labour")
    q.call_next(hall, window_staff, "w03")
    q.mark_no_show(hall, window_staff, a.id)
    assert [t.id for t in q.recent_no_shows(hall, "w03")] == [a.id]
    clock.advance(minutes=10)
    back = q.requeue_no_show(hall, window_staff, a.id)
    assert back.status == "waiting" and back.ahead == 0        # before B: their old place
    assert q.call_next(hall, window_staff, "w03").id == a.id
    q.mark_no_show(hall, window_staff, a.id)
    clock.advance(minutes=31)                                  # past the 30 minutes
    assert q.recent_no_shows(hall, "w03") == []
    with pytest.raises(Conflict, match="超过 30 分钟"):
        q.requeue_no_show(hall, window_staff, a.id)
    adm.set_queue_policy(hall, admin, no_show_return_minutes=60)   # the centre allows an hour
    assert q.requeue_no_show(hall, window_staff, a.id).status == "waiting"
    with pytest.raises(Conflict, match="当前状态"):
        q.requeue_no_show(hall, window_staff, b.id)
    with hall.read() as s:
        assert s.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "ticket.requeue")).scalar_one() == 2
