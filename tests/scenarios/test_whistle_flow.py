"""One flow from report to scored closure (吹哨报到), on SQLite and PostgreSQL:
a grid worker's report and a 12345 order each become a whistle to two
departments; one department reports late and is escalated (督办); both close;
the residents rate; the month's assessment shows the scores, traceable to
the whistles behind them; the 12345 result goes back to the hotline."""
from __future__ import annotations

import json

from hall.services import deadlines as dl
from hall.services import whistle, whistle_intake as intake
from tests.whistle_setup import as_json, grid_records, hotline_records, setup_whistle


def test_grid_and_hotline_to_scored_closure(hall, admin, clock):
    who = setup_whistle(hall, admin)
    desk, water, metro = who["desk"], who["water"], who["metro"]
    assert intake.import_events(hall, desk, "grid", as_json(grid_records(1)), "json").added == 1
    assert intake.import_events(hall, desk, "12345", as_json(hotline_records(1)), "json").added == 1
    grid_ev = intake.list_events(hall, desk, source="grid")[0]
    order = intake.list_events(hall, desk, source="12345")[0]
    w1 = whistle.issue_whistle(hall, desk, kind="daily", departments=["water", "metro"], matter=grid_ev.description,
                               place=grid_ev.place, subject_type="event", subject_id=grid_ev.id)
    w2 = whistle.issue_whistle(hall, desk, kind="tough", departments=["metro", "water"], matter=order.description,
                               place=order.place, subject_type="event", subject_id=order.id)
    assert len(dl.list_deadlines(hall, when="open")) >= 8
    s = {(x.whistle_number, x.department_code): x.id for w in (w1, w2) for x in w.summons}

    # the water company reports at once on both; the metro company does not
    whistle.report(hall, water, s[(w1.number, "water")], "周工", "on_site")
    whistle.report(hall, water, s[(w2.number, "water")], "周工", "remote")
    clock.advance(hours=5)      # past the 4-hour 报到 of the 攻坚哨
    esc = whistle.escalate_overdue(hall, desk)
    assert [(e.whistle_number, e.department_name, e.what) for e in esc] == [(w2.number, "地铁公司", "逾期未报到")]
    assert [d for d in dl.list_deadlines(hall, when="overdue")] == []   # the board counts days; due tomorrow
    clock.advance(hours=20)     # past the 24-hour 报到 of the 日常哨 as well
    esc = whistle.escalate_overdue(hall, desk)
    assert [(e.whistle_number, e.department_name) for e in esc] == [(w1.number, "地铁公司")]
    overdue = dl.list_deadlines(hall, when="overdue")
    assert {(d.case_number, d.label) for d in overdue} == {(w2.number, "地铁公司报到")}
    today = dl.list_deadlines(hall, when="today")
    assert {(d.case_number, d.label, d.state) for d in today} == {(w1.number, "地铁公司报到", "due_today")}
    whistle.report(hall, metro, s[(w1.number, "metro")], "吴工", "on_site")
    whistle.report(hall, metro, s[(w2.number, "metro")], "吴工", "on_site")
    for (number, code), sid in s.items():
        whistle.submit_result(hall, water if code == "water" else metro, sid, f"{code} 已处理 {number}")
    whistle.confirm_closure(hall, desk, w1.id, "网格员现场核实")
    whistle.confirm_closure(hall, desk, w2.id, "回访核实")
    whistle.record_satisfaction(hall, desk, w1.id, 5, "visit")
    whistle.record_satisfaction(hall, desk, w2.id, 3, "phone", "施工仍有噪音")
    whistle.review_case(hall, desk, w2.id, "water", 95, "配合迅速")
    whistle.review_case(hall, desk, w2.id, "metro", 70, "报到迟缓，经督办后落实")

    a = whistle.monthly_assessment(hall, desk, 2026, 11)
    assert (a.whistles, a.closed, a.closure_rate, a.on_time_rate) == (2, 2, 100.0, 100.0)
    by = {d.code: d for d in a.departments}
    wf, mf = by["water"].figures, by["metro"].figures
    # water: on time everywhere; satisfaction 1 of 2 rated ≥ 4 → 50%
    assert (wf["report_rate"], wf["solve_rate"], wf["satisfaction_rate"]) == (100.0, 100.0, 50.0)
    assert wf["system_score"] == 90.0
    assert wf["street_score"] == (100 + 95) / 2
    assert wf["total"] == round(90 * 0.7 + 97.5 * 0.3, 2)
    # metro: late 报到 twice, escalated twice, solved on time
    assert (mf["report_rate"], mf["escalated"]) == (0.0, 2)
    assert mf["system_score"] == 50.0
    assert mf["street_score"] == (80 + 70) / 2
    assert mf["total"] < wf["total"]
    assert sorted(by["metro"].records["escalated"]) == sorted([w1.number, w2.number])
    street = a.streets[0]
    assert street.street == "东风路街道" and street.figures["closure_rate"] == 100.0
    assert street.records["satisfied"] == [w1.number]

    rec = json.loads(intake.export_hotline_results(hall, desk, "json"))["records"]
    assert [r["工单编号"] for r in rec] == ["12345-2026-00001"]
    assert rec[0]["满意度"] == "基本满意" and "metro 已处理" in rec[0]["办理结果"]
