"""吹哨报到考核 in the director's dashboard, on the month worked out by hand
(tests/whistle_month.py): the cards, the department and street tables, the
definitions as tooltips, and the whistles behind each figure."""
from __future__ import annotations

import pytest

from hall.services import figure_notes
from tests.whistle_month import A, B, build_month
from ui.qt import Qt

pytestmark = pytest.mark.usefixtures("messages")


@pytest.fixture
def month(ui_hall, admin, clock):
    return build_month(ui_hall, admin, clock)


@pytest.fixture
def section(month, make_ctx, qtbot):
    from ui.centre.director import DirectorWorkspace

    ws = DirectorWorkspace(make_ctx("zhuren"))
    qtbot.addWidget(ws)
    ws.resize(1280, 900)
    ws.show()
    qtbot.waitUntil(lambda: ws.overview is not None and not ws._loading)
    sec = ws.whistle_section
    with qtbot.waitSignal(sec.loaded):
        ws.tabs.setCurrentWidget(sec)
    yield ws, sec
    ws.shutdown()


def _cell(view, row, col):
    return view.model().index(row, col).data()


def _click(qtbot, view, row, col):
    rect = view.visualRect(view.model().index(row, col))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _row(model, pred):
    return next(i for i, r in enumerate(model.rows) if pred(r))


def test_the_month_assessment_in_the_dashboard(section, month, qtbot):
    ws, sec = section
    w1, w2, w3, w4 = (w.number for w in month["w"])
    assert sec.title.text().startswith("2026年11月 吹哨报到双向考核")
    assert (sec.cards["whistles"].value.text(), sec.cards["whistles"].detail.text()) == ("4", "办理中 1 件")
    assert (sec.cards["closure"].value.text(), sec.cards["closure"].detail.text()) == ("75.0%", "3/4")
    assert (sec.cards["on_time"].value.text(), sec.cards["on_time"].detail.text()) == ("80.0%", "4/5")
    assert (sec.cards["satisfied"].value.text(), sec.cards["satisfied"].detail.text()) == ("50.0%", "1/2")
    assert sec.cards["closure"].toolTip() == figure_notes.note("whistle.closure_rate")
    assert sec.cards["on_time"].toolTip() == figure_notes.note("whistle.on_time_rate")
    assert sec.dept_view.toolTip() == figure_notes.note("whistle.department_score")
    assert sec.street_view.toolTip() == figure_notes.note("whistle.street_score")
    assert sec.dept_model.headerData(10, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) \
        == figure_notes.note("whistle.department_score")
    assert "街道评价占 30%" in sec.weights.text()
    water = _row(sec.dept_model, lambda d: d.code == "water")
    metro = _row(sec.dept_model, lambda d: d.code == "metro")
    assert [_cell(sec.dept_view, water, c) for c in range(11)] == \
        ["自来水公司", "3", "2", "2", "1/2", "2", "0", "63.34", "86.67", "+0.00", "70.34"]
    assert [_cell(sec.dept_view, metro, c) for c in (6, 9, 10)] == ["1", "-3.00", "94.50"]
    east = _row(sec.street_model, lambda x: x.street == A)
    moon = _row(sec.street_model, lambda x: x.street == B)
    assert [_cell(sec.street_view, east, c) for c in range(10)] == \
        [A, "2", "2", "1", "1/2", "50.00", "100.00", "50.00", "+0.00", "65.00"]
    assert _cell(sec.street_view, moon, 9) == "87.00"
    ws.grab().save("/tmp/shots/director_whistle.png")

    # a card: the closed whistles
    with qtbot.waitSignal(sec.records_shown):
        sec.cards["closure"].clicked.emit()
    assert [r.whistle.number for r in sec.last_records] == [w1, w2, w3]
    assert "分母 4" in sec.records_dialog.title.text()
    with qtbot.waitSignal(sec.records_shown):
        sec.cards["on_time"].clicked.emit()
    assert sorted((r.whistle.number, r.department) for r in sec.last_records) == \
        sorted([(w1, "地铁公司"), (w3, "地铁公司"), (w1, "自来水公司"), (w2, "自来水公司")])
    # a cell: the water company's 督办
    with qtbot.waitSignal(sec.records_shown):
        _click(qtbot, sec.dept_view, water, 5)
    assert [r.whistle.number for r in sec.last_records] == [w2, w4]
    assert sec.records_dialog.title.text() == "自来水公司：被督办"
    dlg = sec.records_dialog
    assert dlg.model.index(0, 2).data() == "自来水公司" and dlg.model.index(1, 4).data() == "办理中"
    dlg.grab().save("/tmp/shots/director_whistle_records.png")
    # and the whistle itself
    with qtbot.waitSignal(sec.detail_shown):
        dlg.open_row(0)
    values = {k: v.text() for k, v in sec.detail_dialog.values.items()}
    assert values["群众满意度"] == "不满意（电话回访）"
    assert "自来水公司：已办理（报到逾期、督办 1 次）" in values["召集部门"]
    assert "地铁公司：已退回" in values["召集部门"]
    sec.detail_dialog.grab().save("/tmp/shots/director_whistle_detail.png")
    # the street's satisfied whistles, the kiosk's rating among them
    with qtbot.waitSignal(sec.records_shown):
        _click(qtbot, sec.street_view, east, 4)
    assert [(r.whistle.number, r.whistle.satisfaction_channel) for r in sec.last_records] == [(w1, "kiosk")]
    assert sec.records_dialog.model.index(0, 7).data() == "非常满意（评价器）"
    # an adjustment: its reason
    with qtbot.waitSignal(sec.detail_shown):
        _click(qtbot, sec.street_view, moon, 8)
    assert [v.text() for v in sec.detail_dialog.values.values()] == ["+2：应急处置组织有力"]


def test_a_whistle_event_reads_the_assessment_again(section, month, ui_hall, qtbot):
    from hall.services import whistle

    ws, sec = section
    sec.debounce.setInterval(50)
    ws.ctx.feed.start()
    w4 = month["w"][3]
    with qtbot.waitSignal(sec.loaded, timeout=5000):
        whistle.confirm_closure(ui_hall, month["desk"], w4.id)
    assert sec.cards["closure"].value.text() == "100.0%"


def test_a_director_period_in_another_month_assesses_that_month(section, qtbot):
    import datetime as dt

    ws, sec = section
    with qtbot.waitSignal(sec.loaded):
        ws.set_custom_period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert sec.cards["whistles"].value.text() == "0" and sec.dept_model.rowCount() == 0
    assert sec.cards["closure"].value.text() == "—"
