"""One flow from report to scored closure (吹哨报到), on SQLite and PostgreSQL:
a grid worker's report and a 12345 order each become a whistle to two
departments; one department reports late and is escalated (督办); both close;
the residents rate (the grid report's resident at the kiosk with the code
told at closure, the hotline caller by phone); the month's assessment shows
the scores, traceable to the whistles behind them, as the director's monthly
report tables them; the 12345 result goes back to the hotline. The same
month through the director's dashboard: tests/ui/test_director_whistle.py
and the scenario below that drives the widgets."""
from __future__ import annotations

import json

import pytest

from hall.services import Conflict, figure_notes, monthly, whistle
from hall.services import deadlines as dl
from hall.services import whistle_intake as intake
from tests.whistle_setup import as_json, grid_records, hotline_records, setup_whistle


def _to_closure(hall, admin, clock):
    """From the two imports to both whistles closed (the story's first half)."""
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
    return who, w1, w2


def test_grid_and_hotline_to_scored_closure(hall, admin, clock, director):
    who, w1, w2 = _to_closure(hall, admin, clock)
    desk = who["desk"]
    # the grid report's resident rates at the kiosk with the code told at closure;
    # the hotline caller is phoned back
    code = whistle.resident_code(hall, desk, w1.id)
    rated = whistle.rate_by_resident_code(hall, code, 5, ["efficient"])
    assert (rated.whistle_number, rated.channel) == (w1.number, "kiosk")
    with pytest.raises(Conflict, match="只能评价一次"):
        whistle.rate_by_resident_code(hall, code, 1)
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

    assert whistle.whistles_by_number(hall, director, street.records["satisfied"])[0].satisfaction_channel == "kiosk"

    # the director sees the same month in the monthly report's tables, each figure with its whistles
    tables = {t.key: t for t in monthly.whistle_tables(hall, director, 2026, 11)}
    rates = tables["whistle_rates"].rows
    assert [(r[0], r[1], r[2]) for r in rates] == [("办结率（吹哨）", 2, 2), ("按时办结率（部门办理）", 4, 4)]
    dept_rows = {r[0]: r for r in tables["whistle_departments"].rows}
    assert dept_rows["地铁公司"][-1] == mf["total"] and dept_rows["自来水公司"][-1] == wf["total"]
    assert ("部门：地铁公司", "被督办", 2, f"{w1.number}、{w2.number}") in tables["whistle_records"].rows
    assert "4 星及以上为满意" in figure_notes.note("whistle.satisfaction")

    rec = json.loads(intake.export_hotline_results(hall, desk, "json"))["records"]
    assert [r["工单编号"] for r in rec] == ["12345-2026-00001"]
    assert rec[0]["满意度"] == "基本满意" and "metro 已处理" in rec[0]["办理结果"]


def test_the_kiosk_rating_and_the_month_in_the_dashboard(qtbot, ui_hall, admin, clock, make_ctx, messages):
    """The same story through the screens: the desk shows the resident code at
    closure, the resident types it at the kiosk, and the director's dashboard
    shows the month's assessment, its rates and the whistles behind them."""
    from ui.centre.director import DirectorWorkspace
    from ui.qt import QWidget
    from ui.whistle.desk import WhistleDeskWorkspace
    from ui.window.rating import KioskRatingPanel

    who, w1, w2 = _to_closure(ui_hall, admin, clock)
    desk = WhistleDeskWorkspace(make_ctx("diaodu"))
    qtbot.addWidget(desk)
    desk.show()
    desk.tabs.setCurrentIndex(1)
    desk.refresh()
    qtbot.waitUntil(lambda: desk.whistles.model_.rowCount() == 2)
    row = next(i for i, x in enumerate(desk.whistles.model_.rows) if x.id == w1.id)
    desk.whistles.selectRow(row)
    desk._load_detail()
    qtbot.waitUntil(lambda: desk.resident_code != "")
    code = desk.resident_code

    host = QWidget()
    qtbot.addWidget(host)
    host.resize(900, 600)
    kiosk = KioskRatingPanel(ui_hall, host)
    kiosk.resize(host.size())
    host.show()
    qtbot.keyClicks(kiosk.code_edit, code)
    kiosk.form.star_buttons[5].click()
    kiosk.submit_button.click()
    qtbot.waitUntil(lambda: kiosk.result is not None)
    assert kiosk.code_edit.text() == "" and code not in kiosk.status.text()
    whistle.record_satisfaction(ui_hall, who["desk"], w2.id, 3, "phone", "施工仍有噪音")
    whistle.review_case(ui_hall, who["desk"], w2.id, "water", 95, "配合迅速")
    whistle.review_case(ui_hall, who["desk"], w2.id, "metro", 70, "报到迟缓，经督办后落实")

    ws = DirectorWorkspace(make_ctx("zhuren"))
    qtbot.addWidget(ws)
    ws.show()
    qtbot.waitUntil(lambda: ws.overview is not None and not ws._loading)
    sec = ws.whistle_section
    with qtbot.waitSignal(sec.loaded):
        ws.tabs.setCurrentWidget(sec)
    assert sec.cards["closure"].value.text() == "100.0%" and sec.cards["on_time"].value.text() == "100.0%"
    assert sec.cards["satisfied"].detail.text() == "1/2"
    totals = {d.code: d.figures["total"] for d in sec.dept_model.rows}
    assert totals == {"water": round(90 * 0.7 + 97.5 * 0.3, 2), "metro": round(50 * 0.7 + 75 * 0.3, 2)}
    with qtbot.waitSignal(sec.records_shown):
        sec.cards["satisfied"].clicked.emit()
    assert [(r.whistle.number, r.whistle.satisfaction_channel) for r in sec.last_records] == [(w1.number, "kiosk")]
    ws.shutdown()
