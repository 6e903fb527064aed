"""Tracked deadlines on both backends: board, extension, restart, suspension,
entered holiday schedules taking precedence, and the CLI listing."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from hall.domain.workcalendar import YearSchedule
from hall.services import Conflict, InvalidInput, PermissionDenied
from hall.services import deadlines as dl
from hall.services.base import unit_of_work


def track(db, actor, rule, start, **kw):
    with unit_of_work(db, actor) as uow:
        return dl.track(uow, rule, kw.pop("subject_type", "arbitration"), kw.pop("subject_id", 1), start, **kw)


def board(db, **kw):
    return {d.id: d for d in dl.list_deadlines(db, **kw)}


def test_award_deadline_with_basis_extension_once(hall, admin):
    did = track(hall, admin, "labour.award", dt.date(2026, 11, 2), case_number="东劳人仲案字〔2026〕第1号")
    d = board(hall)[did]
    assert d.due_date == dt.date(2026, 12, 17) and "第四十三条" in d.basis and d.can_extend
    assert "不计入" in d.explanation or "次日" in d.explanation
    # Art. 43: the award period is extended only through the case, with the chair's approval recorded
    with pytest.raises(Conflict, match="须经批准.*延长审理期限"):
        dl.extend(hall, admin, did)
    assert board(hall)[did].due_date == dt.date(2026, 12, 17)


def test_board_windows_and_met(hall, admin, clock):
    # clock: 2026-11-23
    a = track(hall, admin, "labour.acceptance", dt.date(2026, 11, 18), subject_id=1)   # due 11-23
    b = track(hall, admin, "labour.acceptance", dt.date(2026, 11, 10), subject_id=2)   # overdue
    c = track(hall, admin, "labour.defence", dt.date(2026, 11, 16), subject_id=3)      # due 11-26
    assert set(board(hall, when="today")) == {a}
    assert set(board(hall, when="overdue")) == {b}
    assert set(board(hall, when="week")) == {a, c}
    assert [d.id for d in dl.list_deadlines(hall)] == [b, a, c]
    met = dl.mark_met(hall, admin, a, dt.date(2026, 11, 23))
    assert met.state == "met"
    assert a not in board(hall) and a in board(hall, when="all")


def test_restart_and_suspension(hall, admin):
    did = track(hall, admin, "labour.award", dt.date(2026, 9, 1))
    base = board(hall)[did].due_date
    d = dl.restart(hall, admin, did, dt.date(2026, 9, 20), "claims_changed")
    assert d.due_date > base and "重新计算" in d.explanation
    with pytest.raises(InvalidInput):
        dl.restart(hall, admin, did, dt.date(2026, 9, 21), "lunch_break")
    d2 = dl.suspend(hall, admin, did, dt.date(2026, 10, 10), "中止审理")
    assert d2.state == "suspended"
    with pytest.raises(Conflict):
        dl.suspend(hall, admin, did, dt.date(2026, 10, 11))
    d3 = dl.resume(hall, admin, did, dt.date(2026, 10, 19))
    # ten suspended days: 11-04 + 10 = 11-14 (Saturday), rolled to Monday 11-16
    assert (d.due_date, d3.due_date) == (dt.date(2026, 11, 4), dt.date(2026, 11, 16))


def test_agreed_performance_deadline(hall, admin):
    did = track(hall, admin, dl.AGREED, dt.date(2026, 11, 20), subject_type="agreement",
                agreed_due=dt.date(2026, 11, 25), agreed_basis="调解协议第一条", label="支付拖欠工资")
    d = board(hall)[did]
    assert d.due_date == dt.date(2026, 11, 25) and d.basis == "调解协议第一条" and d.days_left == 2
    with pytest.raises(InvalidInput):
        dl.extend(hall, admin, did)


def test_entered_2027_schedule_takes_precedence_and_recomputes(hall, admin):
    did = track(hall, admin, "labour.award", dt.date(2026, 12, 20))   # 45 days: 2027-02-03
    before = board(hall)[did]
    assert before.coverage_note and "2027" in before.coverage_note
    sched = YearSchedule(2027, holidays=[(dt.date(2027, 2, d), "春节") for d in range(1, 9)],
                         swapped_workdays=[dt.date(2027, 1, 30)])
    changed = dl.set_year_schedule(hall, admin, sched)
    after = board(hall)[did]
    # only 春节 entered: the rest of 2027 stays an estimate and the flag names what is missing
    assert changed == 1 and "未录入元旦" in after.coverage_note and "春节" not in after.coverage_note.split("未录入")[1]
    assert after.due_date == dt.date(2027, 2, 9)  # rolled past the entered Spring Festival
    assert dl.year_schedule(hall, 2027).swapped_workdays == (dt.date(2027, 1, 30),)


def test_only_case_staff_manage_deadlines(hall, admin, front_desk):
    did = track(hall, admin, "labour.acceptance", dt.date(2026, 11, 18))
    with pytest.raises(PermissionDenied):
        dl.mark_met(hall, front_desk, did, dt.date(2026, 11, 20))
    with pytest.raises(PermissionDenied):
        dl.set_year_schedule(hall, front_desk, YearSchedule(2027))


def test_cli_lists_deadlines_as_json(hall, admin, capsys):
    from hall.cli import main

    track(hall, admin, "labour.acceptance", dt.date(2026, 11, 18), case_number="K-1")
    track(hall, admin, "labour.defence", dt.date(2026, 11, 18), case_number="K-2")
    assert main(["--db", hall.url, "--json", "deadlines", "--case", "K-1", "--when", "all"]) == 0
    rows = json.loads(capsys.readouterr().out)["deadlines"]
    assert len(rows) == 1 and rows[0]["case_number"] == "K-1"
    assert rows[0]["basis"].startswith("《劳动争议调解仲裁法》") and rows[0]["due_date"] == "2026-11-23"
    assert {"due_date", "basis", "state"} <= rows[0].keys()
