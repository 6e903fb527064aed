"""The director's dashboard on a small November (built through the queue
services with the frozen clock): the figures of a period, the records behind
a bar, live refresh, follow-up of a low rating, the monthly export."""
from __future__ import annotations

import datetime as dt

import pytest

from hall.services import queue as q
from hall.services import stats
from hall.services.stats import Period
from tests.conftest import staff_actor
from tests.service.test_monthly import build_month
from ui.qt import Qt

NOVEMBER = Period.month(2026, 11)


@pytest.fixture
def month(ui_hall, clock, admin):
    return build_month(ui_hall, clock, admin, staff_actor(ui_hall, "qiantai"), staff_actor(ui_hall, "chuangkou1"),
                       staff_actor(ui_hall, "zhuren"))


@pytest.fixture
def dashboard(month, make_ctx, qtbot):
    from ui.centre.director import DirectorWorkspace

    ctx = make_ctx("zhuren")
    ws = DirectorWorkspace(ctx)
    qtbot.addWidget(ws)
    qtbot.waitUntil(lambda: ws.overview is not None and not ws._loading)
    yield ws
    ws.shutdown()


def show_month(ws, qtbot) -> None:
    with qtbot.waitSignal(ws.refreshed):
        ws.set_period_kind("month")


def test_the_dashboard_shows_the_figures_of_the_period(dashboard, qtbot, ui_hall):
    ws = dashboard
    assert ws.period == Period.day(dt.date(2026, 11, 23))
    assert ws.cards["tickets"].value.text() == "0"            # nobody today yet
    assert not ws.charts["hours"].view.isVisibleTo(ws)

    show_month(ws, qtbot)
    assert ws.period == NOVEMBER
    assert ws.period_label.text() == "统计区间：2026-11-01 至 2026-11-30"
    assert ws.cards["tickets"].value.text() == "6"
    assert ws.cards["tickets"].detail.text() == "来访 5 人次 · 办结 3"
    assert ws.cards["waiting_mean"].value.text() == "11.6 分"
    assert ws.cards["waiting_p90"].value.text() == "21.0 分"
    assert ws.cards["no_show"].value.text() == "20.0%" and ws.cards["transfer"].value.text() == "20.0%"
    assert ws.cards["satisfaction"].value.text() == "2.67 星"
    assert ws.cards["satisfaction"].detail.text() == "3 条评价 · 不满意 2"
    hours = ws.charts["hours"]
    assert (hours.categories, hours.values) == (["9时", "10时", "14时"], [6.0, 25.0, 15.0])
    assert [hours.bar_set.at(i) for i in range(3)] == [6.0, 25.0, 15.0]
    services = ws.charts["services"]
    by = {s["name"]: s["tickets"] for s in stats.compute(ui_hall, ws.ctx.actor, NOVEMBER)["queue"]["by_service"]}
    assert dict(zip(services.categories, services.values)) == by == {"综合受理": 2, "劳动仲裁": 3, "司法调解": 1}
    assert ws.charts["ratings"].values == [1, 1, 0, 0, 1]
    assert not ws.charts["cases"].isVisibleTo(ws)             # no cases figures registered
    assert ws.deadlines_model.rowCount() == 2
    assert ws.deadlines_model.data(ws.deadlines_model.index(0, 6)).startswith("《")   # the basis
    assert ws.tabs.tabText(0) == "期限风险（逾期 1 · 七日内 1）"
    assert ws.low_model.rowCount() == 1 and ws.tabs.tabText(1) == "不满意评价（待跟进 1）"

    with qtbot.waitSignal(ws.refreshed):
        ws.set_custom_period(dt.date(2026, 11, 10), dt.date(2026, 11, 10))
    assert ws.period == Period.day(dt.date(2026, 11, 10))
    assert ws.cards["tickets"].value.text() == "2" and ws.from_edit.isVisibleTo(ws)


def test_clicking_a_bar_lists_the_records_behind_it(dashboard, qtbot, qtmodeltester, ui_hall, month):
    from ui.qt import Qt

    ws = dashboard
    show_month(ws, qtbot)
    hours = ws.charts["hours"]
    with qtbot.waitSignal(ws.records_shown):
        hours.series.clicked.emit(0, hours.bar_set)          # the 9 o'clock bar, as a mouse click sends it
    dialog = ws.records_dialog
    expected = stats.records_for(ui_hall, ws.ctx.actor, "queue.waiting", NOVEMBER, hour=9)
    assert [r.id for r in dialog.model.rows] == [r.id for r in expected] == [month["T1"], month["G1"], month["M1"]]
    assert dialog.title.text() == "09:00–10:00 取号的等候记录（2026-11-01 至 2026-11-30）"
    assert dialog.model.data(dialog.model.index(0, 6)) == "6.0"      # 等候(分)
    assert dialog.model.data(dialog.model.index(0, 9)) == "张*明"     # masked name
    qtmodeltester.check(dialog.model)

    services = ws.charts["services"]
    labour = services.categories.index("劳动仲裁")
    with qtbot.waitSignal(ws.records_shown):
        ws.open_bar("services", labour)
    assert {r.id for r in dialog.model.rows} == {month["T1"], month["T2"], month["T3"]}

    with qtbot.waitSignal(ws.records_shown):
        ws.open_bar("ratings", 0)                             # the 1-star bar: rating records
    assert [r.rating for r in dialog.model.rows] == [1]
    assert dialog.model.headerData(1, Qt.Orientation.Horizontal) == "星级"
    qtmodeltester.check(dialog.model)

    with qtbot.waitSignal(ws.records_shown):
        ws.cards["no_show"].clicked.emit()
    assert [r.id for r in dialog.model.rows] == [month["T2"]]


def test_the_tables_are_sound_models(dashboard, qtbot, qtmodeltester):
    show_month(dashboard, qtbot)
    qtmodeltester.check(dashboard.deadlines_model)
    qtmodeltester.check(dashboard.low_model)


def test_a_new_ticket_anywhere_refreshes_the_dashboard(dashboard, qtbot, ui_hall, clock):
    ws = dashboard
    ws.debounce.setInterval(20)
    ws.ctx.feed.start()
    clock.set_local(dt.datetime(2026, 11, 23, 13, 0))
    with qtbot.waitSignal(ws.refreshed, timeout=5000):
        q.issue_ticket(ui_hall, staff_actor(ui_hall, "qiantai"), "general")
    assert ws.cards["tickets"].value.text() == "1"


def test_the_director_follows_up_a_low_rating(dashboard, qtbot, month):
    ws = dashboard
    show_month(ws, qtbot)
    assert not ws.follow_button.isEnabled()
    ws.low_view.selectRow(0)
    assert ws.follow_button.isEnabled() and ws.selected_rating().id == month["R_G1"]
    ws.follow_up_selected()
    dlg = ws.follow_up_dialog
    dlg.note.setPlainText("已电话联系，说明了高峰时段的排队情况")
    with qtbot.waitSignal(ws.refreshed):
        dlg.accept()
    assert ws.low_model.rowCount() == 0 and ws.tabs.tabText(1) == "不满意评价（待跟进 0）"
    with qtbot.waitSignal(ws.refreshed):
        ws.include_resolved.setChecked(True)
    notes = {r.id: r.follow_up_note for r in ws.low_model.rows}
    assert "高峰时段" in notes[month["R_G1"]] and ws.low_model.rowCount() == 2


def _november_cases(db):
    """Labour: 3 concluded in November, 2 with an agreement; neighbourhood: 1 agreement (hall time)."""
    from decimal import Decimal

    from tests.service.test_month_figures import add_case, utc

    with db.write() as s:
        ids = [add_case(s, "L-1", utc(2026, 11, 2), "agreement", agreement_at=utc(2026, 11, 3),
                        amount=Decimal("100.00")),
               add_case(s, "L-2", utc(2026, 11, 2), "agreement", agreement_at=utc(2026, 11, 4),
                        amount=Decimal("200.00")),
               add_case(s, "L-3", utc(2026, 11, 2), "failed", terminated_at=utc(2026, 11, 5)),
               add_case(s, "N-1", utc(2026, 11, 6), "agreement", agreement_at=utc(2026, 11, 7),
                        amount=Decimal("50.00")),
               add_case(s, "R-1", utc(2026, 11, 8), "mediating", risk="high")]
        from hall.store.case_models import Case
        for cid in ids[:3]:
            s.get(Case, cid).category = "labour"
    return ids


def test_cases_success_by_category_opens_a_table_of_cases_and_the_case(dashboard, qtbot, ui_hall):
    ids = _november_cases(ui_hall)
    show_month(dashboard, qtbot)
    chart = dashboard.charts["cases"]
    assert chart.isVisibleTo(dashboard)
    # labour 2 of 3 concluded, neighbourhood 1 of 1 (worked out by hand above)
    assert dict(zip(chart.categories, chart.values)) == {"劳动争议": round(2 / 3 * 100, 1), "邻里": 100.0}
    assert "按结果发生月" in chart.toolTip()
    assert dashboard.cards["mediation"].value.text() == "75.0%"       # 3 agreements of 4 concluded
    assert "达成协议 3 / 调解终结 4" in dashboard.cards["mediation"].detail.text()
    assert dashboard.cards["mediation"].toolTip().startswith("调解成功率")
    assert dashboard.cards["high_risk"].value.text() == "1"
    assert dashboard.risk_model.rowCount() == 1
    with qtbot.waitSignal(dashboard.records_shown):
        chart._clicked(chart.categories.index("劳动争议"))
    dlg = dashboard.records_dialog
    headers = [dlg.model.headerData(c, Qt.Orientation.Horizontal) for c in range(dlg.model.columnCount())]
    assert headers[:4] == ["案号", "纠纷类别", "来源", "状态"]
    numbers = [dlg.model.index(r, 0).data() for r in range(dlg.model.rowCount())]
    assert numbers == ["L-1", "L-2"]
    assert "CaseStatRecord" not in "".join(str(dlg.model.index(r, c).data()) for r in range(dlg.model.rowCount())
                                           for c in range(dlg.model.columnCount()))
    # from a record, the case itself
    with qtbot.waitSignal(dashboard.detail_shown):
        dlg.view.doubleClicked.emit(dlg.model.index(1, 0))
    assert dashboard.detail_dialog.windowTitle() == "案件 L-2"
    assert dashboard.detail_dialog.values["纠纷类别"].text() == "劳动争议"
    assert ids


def test_a_ticket_opens_from_its_records(dashboard, qtbot, month):
    show_month(dashboard, qtbot)
    with qtbot.waitSignal(dashboard.records_shown):
        qtbot.mouseClick(dashboard.cards["tickets"], Qt.MouseButton.LeftButton)
    dlg = dashboard.records_dialog
    first = dlg.model.row_at(0)
    with qtbot.waitSignal(dashboard.detail_shown):
        dlg.view.doubleClicked.emit(dlg.model.index(0, 0))
    assert dashboard.detail_dialog.windowTitle() == f"排队号 {first.number}"
    assert dashboard.detail_dialog.values["业务"].text() == first.service_name


def test_every_card_explains_its_figure_and_the_trends_tab_loads(dashboard, qtbot):
    from hall.services import figure_notes

    for key, card in dashboard.cards.items():
        assert card.toolTip() == figure_notes.note(dashboard.CARD_NOTES[key]) != "", key
    show_month(dashboard, qtbot)
    with qtbot.waitSignal(dashboard.trends_loaded, timeout=20_000):
        dashboard.tabs.setCurrentWidget(dashboard.trend_view)
    assert dashboard.trend_model.rowCount() == 12
    last = dashboard.trend_model.row_at(11)
    assert (last.year, last.month) == (2026, 11)
    assert last.visits == stats.compute(dashboard.db, dashboard.ctx.actor, NOVEMBER)["queue"]["visits"]


def test_the_monthly_report_is_exported(dashboard, qtbot, tmp_path):
    from openpyxl import load_workbook

    show_month(dashboard, qtbot)
    out = tmp_path / "十一月.xlsx"
    with qtbot.waitSignal(dashboard.exported, timeout=10_000) as sig:
        dashboard.export_monthly("xlsx", str(out))
    assert sig.args == [str(out)]
    assert load_workbook(out).sheetnames[0] == "总体情况"


def test_the_front_desk_cannot_read_the_figures(month, make_ctx, qtbot, messages):
    from ui.centre.director import DirectorWorkspace

    ws = DirectorWorkspace(make_ctx("qiantai"))
    qtbot.addWidget(ws)
    qtbot.waitUntil(lambda: ws.message.isVisibleTo(ws))
    assert ws.overview is None and "无权" in ws.message.text()
    ws.shutdown()
