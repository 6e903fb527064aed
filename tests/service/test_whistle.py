"""吹哨报到 services on SQLite and PostgreSQL: departments, intake, whistles,
the department's side, closure, escalation, assessment, permissions."""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from hall.domain.clock import HALL_TZ
from hall.services import InvalidInput, NotFound, PermissionDenied, whistle
from hall.services import admin as admin_service
from hall.services import deadlines as dl
from hall.services import whistle_intake as intake
from hall.services.base import Conflict
from hall.services.whistle_intake import ImportRefused
from tests.whistle_setup import as_json, grid_records, hotline_records, setup_whistle


@pytest.fixture
def w(hall, admin):
    return setup_whistle(hall, admin)


def _event(db, actor, source="grid"):
    return intake.list_events(db, actor, source=source)[0]


def test_departments_are_data_and_travel_in_the_config(hall, admin, w):
    names = [d.name for d in whistle.list_departments(hall)]
    assert names == ["自来水公司", "地铁公司", "城管执法中队", "住建局"]
    with pytest.raises(InvalidInput, match="入驻方式"):
        whistle.save_department(hall, admin, {"code": "x", "name": "某局", "kind": "sometimes"})
    with pytest.raises(InvalidInput, match="业务“nope”不存在"):
        whistle.save_department(hall, admin, {"code": "x", "name": "某局", "services": ["nope"]})
    with pytest.raises(PermissionDenied):
        whistle.save_department(hall, w["desk"], {"code": "x", "name": "某局"})
    data = admin_service.export_config(hall, admin)
    water = next(d for d in data["departments"] if d["code"] == "water")
    assert water["members"] == ["shuiwu"] and water["kind"] == "external"
    # a second import changes nothing; a changed name is applied; a bad one is refused whole
    assert admin_service.import_config(hall, admin, data).changed["departments"] == 0
    data["departments"][0]["name"] = "市自来水公司"
    assert admin_service.import_config(hall, admin, data).changed["departments"] == 1
    assert whistle.list_departments(hall)[0].name == "市自来水公司"
    data["departments"].append({"code": "metro", "name": "重复"})
    with pytest.raises(InvalidInput, match="部门代码“metro”重复"):
        admin_service.import_config(hall, admin, data)


def test_settings_are_checked_and_audited(hall, admin, w):
    with pytest.raises(InvalidInput, match="应急哨报到时限"):
        whistle.set_deadlines(hall, admin, {"emergency": {"response_hours": 0}})
    with pytest.raises(InvalidInput, match="之和应为100"):
        whistle.set_weights(hall, admin, {"dept_report": 50})
    got = whistle.set_deadlines(hall, admin, {"daily": {"response_hours": 8, "solution_days": 3}})
    assert got["daily"] == {"response_hours": 8, "solution_days": 3}
    assert got["tough"]["response_hours"] == 4
    with pytest.raises(InvalidInput, match="报到时限"):   # the config import checks them too
        admin_service.import_config(hall, admin, {**admin_service.export_config(hall, admin),
                                                  "settings": {"whistle.deadlines": {"daily": {"response_hours": -1}}}})
    from sqlalchemy import select

    from hall.store.models import AuditEntry
    with hall.read() as s:
        assert s.execute(select(AuditEntry).where(AuditEntry.action == "whistle.settings")).scalars().first()


def test_import_is_all_or_nothing_and_names_each_bad_record(hall, w):
    desk = w["desk"]
    rows = grid_records(4)
    rows[1]["上报时间"] = "昨天"
    del rows[2]["网格编码"]
    rows[3]["事件编号"] = rows[0]["事件编号"]
    with pytest.raises(ImportRefused) as err:
        intake.import_events(hall, desk, "grid", as_json(rows), "json")
    msg = str(err.value)
    assert "3 条记录有误" in msg
    assert "第2条（编号 WG2026000002）：上报/派单时间" in msg
    assert "第3条（编号 WG2026000003）：缺少网格编码" in msg
    assert "第4条（编号 WG2026000001）：编号与第1条重复" in msg
    assert intake.list_events(hall, desk) == []
    with pytest.raises(InvalidInput, match="不是有效的 JSON"):
        intake.import_events(hall, desk, "grid", b"[{", "json")
    bad = hotline_records(2)
    bad[0]["答复方式"] = "飞鸽"
    bad[1]["办结时限"] = "2026-11-01 00:00"
    with pytest.raises(ImportRefused, match="答复方式“飞鸽”不正确.*办结时限早于派单时间"):
        intake.import_events(hall, desk, "12345", as_json(bad), "json")


def test_import_csv_xlsx_and_idempotent(hall, w, tmp_path):
    desk = w["desk"]
    rows = grid_records(3)
    buf = io.StringIO()
    import csv
    wr = csv.DictWriter(buf, fieldnames=list(rows[0]))
    wr.writeheader()
    wr.writerows(rows)
    res = intake.import_events(hall, desk, "grid", buf.getvalue().encode("gb18030"), "csv")
    assert (res.added, res.already) == (3, 0)
    res = intake.import_events(hall, desk, "grid", as_json(grid_records(4)), "json")
    assert (res.added, res.already) == (1, 3)
    wb = Workbook()
    sh = wb.active
    rec = hotline_records(1)[0]
    sh.append(list(rec))
    sh.append(list(rec.values()))
    out = io.BytesIO()
    wb.save(out)
    res = intake.import_events(hall, desk, "12345", out.getvalue(), "xlsx")
    assert res.added == 1
    ev = _event(hall, desk, "12345")
    assert (ev.external_id, ev.reply_kind) == ("12345-2026-00001", "电话")
    assert ev.reply_due.astimezone(HALL_TZ) == dt.datetime(2026, 11, 30, 18, 0, tzinfo=HALL_TZ)
    assert len(intake.list_events(hall, desk, source="grid")) == 4
    with pytest.raises(PermissionDenied):
        intake.import_events(hall, w["water"], "grid", as_json(rows), "json")


def test_attachments_go_to_the_evidence_store(hall, w, tmp_path):
    (tmp_path / "p1.jpg").write_bytes(b"\xff\xd8photo")
    rows = grid_records(1)
    rows[0]["附件"] = "p1.jpg"
    f = tmp_path / "grid.json"
    f.write_bytes(as_json(rows))
    intake.import_file(hall, w["desk"], "grid", f)
    ev = _event(hall, w["desk"])
    assert ev.attachments == ("p1.jpg",)
    rows[0]["事件编号"] = "OTHER"
    rows[0]["附件"] = "missing.jpg"
    f.write_bytes(as_json(rows))
    with pytest.raises(ImportRefused, match="找不到附件“missing.jpg”"):
        intake.import_file(hall, w["desk"], "grid", f)


def test_watched_folder(hall, w, tmp_path):
    (tmp_path / "grid").mkdir()
    (tmp_path / "12345").mkdir()
    (tmp_path / "grid" / "a.json").write_bytes(as_json(grid_records(2)))
    bad = hotline_records(1)
    del bad[0]["诉求内容"]
    (tmp_path / "12345" / "b.json").write_bytes(as_json(bad))
    rep = intake.watch_folder_once(hall, w["desk"], tmp_path)
    assert rep.imported == (("a.json", 2, 0),)
    assert rep.refused[0][0] == "b.json"
    assert (tmp_path / "done" / "a.json").is_file()
    assert "缺少内容" in (tmp_path / "failed" / "b.json.txt").read_text(encoding="utf-8")
    assert intake.watch_folder_once(hall, w["desk"], tmp_path).imported == ()


def _whistle_from_event(db, w, codes=("water", "metro"), kind="daily", **kw):
    ev = _event(db, w["desk"])
    return whistle.issue_whistle(db, w["desk"], kind=kind, departments=list(codes), matter=ev.description,
                                 place=ev.place, subject_type="event", subject_id=ev.id, **kw)


def test_whistle_tracks_deadlines_and_department_sees_only_its_summons(hall, w, clock):
    intake.import_events(hall, w["desk"], "grid", as_json(grid_records(1)), "json")
    wh = _whistle_from_event(hall, w)
    assert wh.number.startswith("CS2026-") and wh.street == "东风路街道"
    assert wh.response_due_at == clock.now() + dt.timedelta(hours=24)
    # 5 working days from Monday 2026-11-23: the end of Monday 30th
    assert wh.solution_due_at.astimezone(HALL_TZ) == dt.datetime(2026, 12, 1, 0, 0, tzinfo=HALL_TZ)
    board = dl.list_deadlines(hall, case_number=wh.number)
    assert sorted(d.name for d in board) == ["部门办结", "部门办结", "部门报到", "部门报到"]
    assert {d.due_date for d in board if d.rule_code == "whistle.solution"} == {dt.date(2026, 11, 30)}
    ev = intake.list_events(hall, w["desk"], state="whistled")[0]
    assert ev.whistle_id == wh.id
    with pytest.raises(Conflict, match="已吹哨"):
        whistle.issue_whistle(hall, w["desk"], kind="daily", departments=["water"], matter="x", place="y",
                              subject_type="event", subject_id=ev.id)
    mine = whistle.my_summons(hall, w["water"])
    assert [s.department_code for s in mine] == ["water"]
    assert mine[0].resident_phone == "13800138000"
    metro_id = next(s.id for s in wh.summons if s.department_code == "metro")
    with pytest.raises(NotFound):
        whistle.summons_detail(hall, w["water"], metro_id)
    with pytest.raises(NotFound):
        whistle.report(hall, w["water"], metro_id, "周工")
    with pytest.raises(PermissionDenied):
        whistle.list_whistles(hall, w["water"])
    with pytest.raises(InvalidInput, match="请至少选择一个部门"):
        whistle.issue_whistle(hall, w["desk"], kind="daily", departments=[], matter="x", place="y")


def test_department_flow_return_and_escalation(hall, w, clock, tmp_path):
    intake.import_events(hall, w["desk"], "grid", as_json(grid_records(1)), "json")
    wh = _whistle_from_event(hall, w, kind="emergency")
    water = next(s for s in wh.summons if s.department_code == "water")
    metro = next(s for s in wh.summons if s.department_code == "metro")
    with pytest.raises(Conflict, match="请先报到"):
        whistle.submit_result(hall, w["water"], water.id, "已修复")
    whistle.report(hall, w["water"], water.id, "周工、钱工", "on_site")
    photo = tmp_path / "fix.jpg"
    photo.write_bytes(b"\xff\xd8fixed")
    got = whistle.record_action(hall, w["water"], water.id, "关阀抢修", [photo])
    assert got.actions[-1].files[0]["name"] == "fix.jpg"
    with pytest.raises(InvalidInput, match="理由"):
        whistle.return_summons(hall, w["metro"], metro.id, "")
    clock.advance(hours=2)   # past the 1-hour 报到 of an emergency whistle
    esc = whistle.escalate_overdue(hall, w["desk"])
    assert [(e.department_name, e.what) for e in esc] == [("地铁公司", "逾期未报到")]
    assert whistle.escalate_overdue(hall, w["desk"]) == []     # once only
    whistle.return_summons(hall, w["metro"], metro.id, "该管网不属地铁公司产权")
    whistle.submit_result(hall, w["water"], water.id, "更换破损管段，路面已恢复")
    closed = whistle.confirm_closure(hall, w["desk"], wh.id, "现场核实已修复")
    assert closed.state == "closed"
    board = {(d.label, d.state) for d in dl.list_deadlines(hall, case_number=wh.number, when="all")}
    assert ("自来水公司报到", "met") in board and ("自来水公司办结", "met") in board
    assert not any(lab.startswith("地铁公司") for lab, _ in board)
    with pytest.raises(InvalidInput, match="满意度"):
        whistle.record_satisfaction(hall, w["desk"], wh.id, 7, "phone")
    whistle.record_satisfaction(hall, w["desk"], wh.id, 5, "phone", "居民表示满意")
    whistle.review_case(hall, w["desk"], wh.id, "water", 95, "响应迅速，处置彻底")
    ev = intake.list_events(hall, w["desk"], state="closed")[0]
    assert "更换破损管段" in ev.result


def test_meeting_follows_the_room_calendar(hall, w, clock):
    start = clock.now() + dt.timedelta(hours=2)
    wh = whistle.issue_whistle(hall, w["desk"], kind="tough", departments=["water", "urban"], matter="积水",
                               place="某路", meeting={"room": "r_expert", "start": start,
                                                     "end": start + dt.timedelta(hours=1)})
    assert wh.meetings[0].room_code == "r_expert"
    with pytest.raises(Conflict, match="已有会商"):
        whistle.book_meeting(hall, w["desk"], wh.id, "r_expert", start + dt.timedelta(minutes=30),
                             start + dt.timedelta(hours=2))
    with pytest.raises(InvalidInput, match="已经过去"):
        whistle.book_meeting(hall, w["desk"], wh.id, "r_gold", start - dt.timedelta(hours=5),
                             start - dt.timedelta(hours=4))
    got = whistle.book_meeting(hall, w["desk"], wh.id, "r_gold", start, start + dt.timedelta(hours=1))
    assert len(got.meetings) == 2


def test_export_of_closed_hotline_orders(hall, w):
    desk = w["desk"]
    intake.import_events(hall, desk, "12345", as_json(hotline_records(1)), "json")
    ev = _event(hall, desk, "12345")
    wh = whistle.issue_whistle(hall, desk, kind="daily", departments=["metro"], matter=ev.description,
                               place=ev.place, subject_type="event", subject_id=ev.id)
    sid = wh.summons[0].id
    whistle.report(hall, w["metro"], sid, "吴工", "remote")
    whistle.submit_result(hall, w["metro"], sid, "围挡已收窄，夜间22时后停止施工")
    assert json.loads(intake.export_hotline_results(hall, desk, "json"))["records"] == []
    whistle.confirm_closure(hall, desk, wh.id)
    whistle.record_satisfaction(hall, desk, wh.id, 4, "phone")
    rec = json.loads(intake.export_hotline_results(hall, desk, "json"))["records"][0]
    assert rec["工单编号"] == "12345-2026-00001" and rec["满意度"] == "满意" and rec["承办部门"] == "地铁公司"
    assert "22时后停止施工" in rec["办理结果"]
    assert "12345-2026-00001" in intake.export_hotline_results(hall, desk, "csv").decode("utf-8-sig")
    sh = load_workbook(io.BytesIO(intake.export_hotline_results(hall, desk, "xlsx"))).active
    assert sh.cell(2, 1).value == "12345-2026-00001"


def test_assessment_scores_and_records(hall, admin, w, clock):
    desk = w["desk"]
    intake.import_events(hall, desk, "grid", as_json(grid_records(1)), "json")
    wh = _whistle_from_event(hall, w)
    water = next(s for s in wh.summons if s.department_code == "water")
    metro = next(s for s in wh.summons if s.department_code == "metro")
    whistle.report(hall, w["water"], water.id, "周工")
    clock.advance(hours=30)     # metro reports late
    whistle.escalate_overdue(hall, desk)
    whistle.report(hall, w["metro"], metro.id, "吴工")
    whistle.submit_result(hall, w["water"], water.id, "修复")
    whistle.submit_result(hall, w["metro"], metro.id, "配合")
    whistle.confirm_closure(hall, desk, wh.id)
    whistle.record_satisfaction(hall, desk, wh.id, 5, "visit")
    whistle.adjust(hall, desk, "2026-11", "department", "water", 2, "主动靠前服务")
    a = whistle.monthly_assessment(hall, w["desk"], 2026, 11)
    assert (a.whistles, a.closed, a.closure_rate, a.on_time_rate) == (1, 1, 100.0, 100.0)
    by = {d.code: d for d in a.departments}
    assert by["water"].figures["system_score"] == 100.0
    assert by["water"].figures["total"] == 102.0
    m = by["metro"].figures
    assert (m["report_rate"], m["escalated"]) == (0.0, 1)
    # system 60 (no on-time 报到: 0 of 40); street: 100 - 10 late - 10 escalated = 80
    assert (m["system_score"], m["street_score"]) == (60.0, 80.0)
    assert m["total"] == round(60 * 0.7 + 80 * 0.3, 2)
    assert by["metro"].records["escalated"] == [wh.number]
    assert a.streets[0].street == "东风路街道" and a.streets[0].figures["total"] == 100.0
    wb = load_workbook(io.BytesIO(whistle.assessment_xlsx(a)))
    assert wb["部门考核"].cell(3, 1).value in ("地铁公司", "自来水公司")
    with pytest.raises(PermissionDenied):
        whistle.monthly_assessment(hall, w["water"], 2026, 11)


def test_room_calendar_is_shared_with_mediation_both_ways(hall, w, clock):
    from hall.services import cases as cs
    from hall.services import mediation as md
    from tests.conftest import staff_actor
    from tests.service.case_workers import local, wage_case

    med = staff_actor(hall, "tiaojie", "room-1")
    window_staff = staff_actor(hall, "chuangkou1", "w-1")
    c = wage_case(hall, window_staff, mediator_id=med.user_id)
    cs.accept_case(hall, med, c.id)
    day = dt.date(2026, 11, 24)
    md.book_room(hall, med, c.id, "r_gold", local(day, 9), local(day, 11))
    with pytest.raises(Conflict, match="已被预约.*案件"):
        whistle.issue_whistle(hall, w["desk"], kind="daily", departments=["water"], matter="积水", place="某路",
                              meeting={"room": "r_gold", "start": local(day, 10), "end": local(day, 12)})
    assert whistle.list_whistles(hall, w["desk"]) == []     # refused whole: no whistle without its meeting
    whistle.issue_whistle(hall, w["desk"], kind="daily", departments=["water"], matter="积水", place="某路",
                          meeting={"room": "r_gold", "start": local(day, 14), "end": local(day, 15)})
    with pytest.raises(Conflict, match="现场会商"):
        md.book_room(hall, med, c.id, "r_gold", local(day, 14, 30), local(day, 16))


def test_two_workstations_importing_the_same_export_add_it_once(hall, w, db_url, clock):
    import threading

    from hall.store.db import Database

    data = as_json(grid_records(300))
    results, errors = [], []

    def run():
        d = Database(db_url, clock=clock)
        try:
            results.append(intake.import_events(d, w["desk"], "grid", data, "json"))
        except Exception as exc:   # pragma: no cover - reported below
            errors.append(exc)
        finally:
            d.dispose()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.added for r in results) == [0, 300]
    assert len(intake.list_events(hall, w["desk"], limit=1000)) == 300
