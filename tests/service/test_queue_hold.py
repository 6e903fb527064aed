"""挂起: a ticket put on hold is never called; taken off hold it waits in its
old place with its priority (every test runs on SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from hall.services import Conflict, InvalidInput, PermissionDenied, status
from hall.services import queue as q
from hall.store.models import AuditEntry, Event

from ..conftest import staff_actor


def test_a_held_waiting_ticket_is_skipped_and_comes_back_in_its_place(hall, front_desk, window_staff, clock):
    q.open_window(hall, window_staff, "w03")
    a = q.issue_ticket(hall, front_desk, "labour", priority="elderly")
    clock.advance(minutes=1)
    b = q.issue_ticket(hall, front_desk, "labour")
    clock.advance(minutes=1)
    c = q.issue_ticket(hall, front_desk, "labour")
    with pytest.raises(InvalidInput, match="原因"):
        q.hold(hall, window_staff, a.id, "   ")
    held = q.hold(hall, window_staff, a.id, "回去取劳动合同")
    assert held.status == "on_hold" and held.hold_reason == "回去取劳动合同" and held.held_at is not None
    assert [t.id for t in q.held_for_window(hall, "w03")] == [a.id]
    assert a.id not in [t.id for t in q.waiting_for_window(hall, "w03")]
    snap = {s.code: s.waiting for s in q.queue_snapshot(hall).services}
    assert snap["labour"] == 2                                  # a held ticket does not wait
    assert q.call_next(hall, window_staff, "w03").id == b.id    # A is skipped
    q.finish(hall, window_staff, b.id)
    clock.advance(minutes=20)
    back = q.unhold(hall, window_staff, a.id)
    assert back.status == "waiting" and back.ahead == 0 and back.priority_reason == "elderly"
    assert back.hold_reason == "回去取劳动合同" and back.held_at is None
    assert [t.id for t in q.waiting_for_window(hall, "w03")] == [a.id, c.id]
    assert q.call_next(hall, window_staff, "w03").id == a.id    # its old place, before C
    with hall.read() as s:
        audit = {r.action: r.details for r in s.execute(select(AuditEntry).where(
            AuditEntry.action.in_(["ticket.hold", "ticket.unhold"]))).scalars()}
        assert audit["ticket.hold"]["reason"] == "回去取劳动合同"
        assert audit["ticket.hold"]["previous"] == "waiting"
        assert audit["ticket.unhold"]["held_minutes"] == 20
        kinds = [e.kind for e in s.execute(select(Event).order_by(Event.id)).scalars()]
        assert "ticket.held" in kinds and "ticket.unheld" in kinds
        held_ev = s.execute(select(Event).where(Event.kind == "ticket.held")).scalar_one()
        assert "回去" not in str(held_ev.payload)                  # the reason stays off public surfaces


def test_the_current_ticket_put_on_hold_frees_the_window(hall, front_desk, window_staff, clock):
    q.open_window(hall, window_staff, "w03")
    a = q.issue_ticket(hall, front_desk, "labour", name="张三明")
    clock.advance(minutes=1)
    b = q.issue_ticket(hall, front_desk, "labour")
    called = q.call_next(hall, window_staff, "w03")
    q.start_service(hall, window_staff, called.id)
    q.hold(hall, window_staff, a.id, "去复印身份证", expected_status="serving")
    w03 = next(w for w in q.queue_snapshot(hall).windows if w.code == "w03")
    assert w03.current is None
    assert q.call_next(hall, window_staff, "w03").id == b.id    # the window goes on
    q.finish(hall, window_staff, b.id)
    back = q.unhold(hall, window_staff, a.id)
    assert back.status == "waiting" and back.window is None and back.started_at is None
    again = q.call_next(hall, window_staff, "w03")
    assert again.id == a.id


def test_hold_refuses_what_it_cannot_hold(hall, front_desk, window_staff, director, clock):
    q.open_window(hall, window_staff, "w03")
    a = q.issue_ticket(hall, front_desk, "labour")
    with pytest.raises(PermissionDenied):
        q.hold(hall, front_desk, a.id, "原因")                  # the front desk does not serve
    with pytest.raises(PermissionDenied):
        q.hold(hall, director, a.id, "")                        # permission before the input
    called = q.call_next(hall, window_staff, "w03")
    with pytest.raises(Conflict, match="已是“已叫号”，未挂起"):
        q.hold(hall, window_staff, called.id, "原因", expected_status="waiting")
    other = staff_actor(hall, "chuangkou2", "window-2")
    with pytest.raises(PermissionDenied, match="由3号窗口"):
        q.hold(hall, other, called.id, "不是我叫的号")
    q.finish(hall, window_staff, called.id)
    with pytest.raises(Conflict, match="当前状态"):
        q.hold(hall, window_staff, a.id, "已办结")
    with pytest.raises(Conflict, match="当前状态"):
        q.unhold(hall, window_staff, a.id)
    with pytest.raises(InvalidInput, match="200"):
        q.hold(hall, window_staff, q.issue_ticket(hall, front_desk, "labour").id, "很" * 201)


def test_a_held_ticket_of_yesterday_expires_and_cannot_come_back(hall, front_desk, window_staff, clock):
    a = q.issue_ticket(hall, front_desk, "labour")
    q.hold(hall, window_staff, a.id, "下午再来")
    clock.set_local(dt.datetime(2026, 11, 24, 9, 0))
    with pytest.raises(Conflict, match="请重新取号"):
        q.unhold(hall, window_staff, a.id)
    q.open_window(hall, window_staff, "w03")
    assert q.ticket(hall, a.id).status == "expired"
    assert q.held_for_window(hall, "w03") == []


def test_the_status_page_says_on_hold(hall, admin, front_desk, window_staff):
    q.open_window(hall, admin, "w03")
    t = q.issue_ticket(hall, front_desk, "labour")
    q.hold(hall, window_staff, t.id, "回家取材料")
    page = status.lookup(hall, t.status_url.rsplit("/s/", 1)[1])
    assert page.headline == "已挂起，暂不叫号" and "窗口" in page.advice
    assert "回家" not in str(page)
