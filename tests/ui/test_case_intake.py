"""A case gets going from the screens: registered at the window from the
visitor being served, its mediator assigned in the mediator's workspace,
the company's representative added as an agent."""
from __future__ import annotations

import pytest

from hall.services import cases as cs
from hall.services import queue as q
from tests.conftest import staff_actor

pytestmark = pytest.mark.usefixtures("messages")

WORKER_ID = "11010519491231002X"


@pytest.fixture
def front(ui_hall):
    return staff_actor(ui_hall, "qiantai", "front-desk-1")


@pytest.fixture
def staff3(ui_hall):
    return staff_actor(ui_hall, "chuangkou3", "window-3")


@pytest.fixture
def desk(ui_hall, staff3, make_ctx, qtbot):
    from ui.window.workspace import WindowWorkspace

    q.open_window(ui_hall, staff3, "w03")
    ctx = make_ctx("chuangkou3", window_code="w03")
    ws = WindowWorkspace(ctx)
    qtbot.addWidget(ws)
    ws.resize(1200, 720)
    ws.show()
    qtbot.waitExposed(ws)
    ctx.feed.start()
    qtbot.waitUntil(lambda: ws.window_view is not None)
    yield ws
    ws.shutdown()


def type_into(qtbot, widget, text: str) -> None:
    """Type ``text``: ASCII key by key, Chinese as an input method commits it."""
    from ui.qt import QApplication, QInputMethodEvent

    widget.setFocus()
    run = ""
    for ch in text + "\0":
        if ch != "\0" and (not run or ch.isascii() == run.isascii()):
            run += ch
            continue
        if run.isascii():
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)
        run = ch


def serve(qtbot, ws):
    from ui.qt import Qt

    qtbot.waitUntil(lambda: len(ws.waiting) >= 1 and ws.call_button.isEnabled())
    qtbot.mouseClick(ws.call_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.current is not None and ws.current.status == "called" and not ws._busy)
    qtbot.waitUntil(lambda: ws.start_button.isEnabled())
    qtbot.mouseClick(ws.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.current is not None and ws.current.status == "serving" and not ws._busy)


def open_register(qtbot, ws):
    from ui.common.case_intake import RegisterCaseDialog

    qtbot.waitUntil(lambda: ws.register_button.isEnabled())
    qtbot.mouseClick(ws.register_button, _left())
    qtbot.waitUntil(lambda: isinstance(ws.dialog, RegisterCaseDialog))
    dlg = ws.dialog
    qtbot.waitUntil(lambda: dlg.mediator.count() > 1)
    return dlg


def _left():
    from ui.qt import Qt

    return Qt.MouseButton.LeftButton


def fill_company(qtbot, dlg):
    type_into(qtbot, dlg.r_name, "东湖科技有限公司")
    type_into(qtbot, dlg.r_code, "91330106MA2KXXXX0X")
    dlg.r_code.clear()
    type_into(qtbot, dlg.r_address, "东湖区科技路1号")
    type_into(qtbot, dlg.r_rep, "王大力")
    type_into(qtbot, dlg.r_rep_title, "总经理")
    type_into(qtbot, dlg.r_agent, "赵人事")
    type_into(qtbot, dlg.r_agent_relation, "人事经理")


def test_the_window_registers_a_case_from_the_served_ticket(qtbot, ui_hall, front, desk, staff3):
    t = q.issue_ticket(ui_hall, front, "labour", name="张三", id_number=WORKER_ID, phone="13800138000",
                       priority="pregnant", note="怀孕，公司拖欠两个月工资共一万二千元")
    serve(qtbot, desk)
    qtbot.waitUntil(lambda: "公司拖欠两个月工资" in desk.fields["note"].text())     # shown at the window
    dlg = open_register(qtbot, desk)
    # the visitor and the front desk's note are carried over, nothing re-typed
    assert dlg.a_name.text() == "张三" and dlg.a_name.isReadOnly()
    assert "公司拖欠两个月工资" in dlg.facts.toPlainText()
    assert dlg.category.currentData() == "labour"
    assert "138****8000" in dlg.a_phone.placeholderText() and not dlg.a_phone.text()
    type_into(qtbot, dlg.a_occupation, "文员")
    type_into(qtbot, dlg.a_address, "东湖区人民路1000号")
    fill_company(qtbot, dlg)
    type_into(qtbot, dlg.claims, "支付拖欠工资12000元")
    dlg.mediator.setCurrentIndex(1)
    qtbot.mouseClick(dlg.ok_button, _left())
    qtbot.waitUntil(lambda: t.id in desk.registered)
    number = desk.registered[t.id]
    assert number in desk.message_label.text()
    med = staff_actor(ui_hall, "tiaojie", "room-gold")
    view = cs.case_by_number(ui_hall, med, number)
    worker = next(p for p in view.parties if p.side == "applicant")
    company = next(p for p in view.parties if p.side == "respondent")
    assert worker.id_number == WORKER_ID and worker.phone == "13800138000" and worker.visitor_id == t.visitor_id
    assert worker.occupation == "文员"
    assert company.legal_rep == "王大力" and company.legal_rep_title == "总经理"
    assert [a.name for a in company.agents] == ["赵人事"]
    assert view.mediator_name == "周国平"
    detail = cs.case_detail(ui_hall, med, view.id)
    assert any(t.number in e.text for e in detail.timeline)
    # 办结 offers the registration as the outcome
    qtbot.mouseClick(desk.finish_button, _left())
    qtbot.waitUntil(lambda: desk.dialog is not None)
    assert desk.dialog.outcome_box.currentData() == "case_opened"
    assert desk.dialog.note_edit.text() == number
    desk.dialog.accept()
    qtbot.waitUntil(lambda: desk.current is None and not desk._busy)
    assert "登记立案" in desk.message_label.text()


def test_a_refused_registration_keeps_what_was_typed(qtbot, ui_hall, front, desk):
    q.issue_ticket(ui_hall, front, "labour", name="李四", note="欠薪")
    serve(qtbot, desk)
    dlg = open_register(qtbot, desk)
    type_into(qtbot, dlg.r_name, "某某公司")
    type_into(qtbot, dlg.a_id, "110105194912310021")       # wrong check digit
    qtbot.mouseClick(dlg.ok_button, _left())
    qtbot.waitUntil(lambda: dlg.error.isVisible())
    assert "身份" in dlg.error.text()
    assert dlg.isVisible() and dlg.r_name.text() == "某某公司"
    assert not desk.registered
    dlg.reject()


@pytest.fixture
def med_ws(make_ctx, qtbot):
    from ui.mediation.workspace import MediatorWorkspace

    ctx = make_ctx("tiaojie", room_code="r_gold")
    ws = MediatorWorkspace(ctx)
    qtbot.addWidget(ws)
    ws.resize(1400, 860)
    ws.show()
    qtbot.waitExposed(ws)
    ctx.feed.start()
    qtbot.waitUntil(lambda: not ws.case_model.loading)
    yield ws
    ws.shutdown()
    ctx.feed.stop()


def test_the_mediator_assigns_the_case_and_adds_the_companys_representative(qtbot, ui_hall, staff3, med_ws):
    from hall.domain.cases import PartyInput

    case = cs.register_case(ui_hall, staff3, category="labour", facts="欠薪两个月", parties=[
        PartyInput(name="张三", id_number=WORKER_ID),
        PartyInput(name="东湖科技有限公司", side="respondent", kind="organisation", legal_rep="王大力")])
    ws = med_ws
    ws.open_case(case.id)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.id == case.id)
    picker = ws.overview.mediator_picker
    qtbot.waitUntil(lambda: picker.box.count() >= 1 and picker.button.isEnabled())
    assert picker.button.text() == "指派调解员"
    assert "周国平" in picker.box.currentText()
    qtbot.mouseClick(picker.button, _left())
    qtbot.waitUntil(lambda: ws.detail.case.mediator_name == "周国平" and not ws.busy)
    assert "已指派调解员周国平" in ws.strip.text()
    # the company's representative
    qtbot.mouseClick(ws.overview.agent_button, _left())
    dlg = ws.overview.agent_dialog
    qtbot.waitUntil(dlg.isVisible)
    dlg.party.setCurrentIndex(dlg.party.findText("被申请人 东湖科技有限公司"))
    type_into(qtbot, dlg.name, "赵人事")
    type_into(qtbot, dlg.relation, "人事经理")
    qtbot.mouseClick(dlg.ok_button, _left())
    qtbot.waitUntil(lambda: any(a.name == "赵人事" for p in ws.detail.case.parties for a in p.agents))
    # 开始调解 now works
    qtbot.mouseClick(ws.overview.accept_button, _left())
    qtbot.waitUntil(lambda: ws.detail.case.state == "accepted" and not ws.busy)
    qtbot.mouseClick(ws.overview.start_button, _left())
    qtbot.waitUntil(lambda: ws.detail.case.state == "mediating" and not ws.busy)


def test_a_mediator_who_must_recuse_cannot_be_chosen(qtbot, ui_hall, admin, staff3, med_ws):
    from hall.domain.cases import PartyInput

    med = staff_actor(ui_hall, "tiaojie", "room-gold")
    cs.set_mediator_identity(ui_hall, admin, med.user_id, phone="13900139000")
    case = cs.register_case(ui_hall, staff3, category="neighbourhood", facts="漏水", parties=[
        PartyInput(name="周国平", phone="13900139000"), PartyInput(name="邻居甲", side="respondent")])
    choices = cs.list_mediators(ui_hall, med, case.id)
    mine = next(m for m in choices if m.name == "周国平")
    assert mine.conflicted and not mine.assignable
    ws = med_ws
    ws.open_case(case.id)
    picker = ws.overview.mediator_picker
    qtbot.waitUntil(lambda: bool(picker.choices))
    qtbot.waitUntil(lambda: not picker.button.isEnabled())
    assert "应当回避" in picker.box.itemText(0)


def test_the_front_desk_lookup_shows_the_open_case_and_the_coming_sitting(qtbot, ui_hall, front, staff3, make_ctx):
    import datetime as dt

    from hall.domain.cases import PartyInput
    from hall.domain.clock import HALL_TZ
    from hall.services import mediation as md
    from ui.frontdesk.workspace import FrontDeskWorkspace

    t = q.issue_ticket(ui_hall, front, "labour", name="张三", id_number=WORKER_ID, phone="13800138000")
    med = staff_actor(ui_hall, "tiaojie", "room-gold")
    case = cs.register_case(ui_hall, staff3, category="labour", facts="欠薪", ticket_id=t.id, mediator_id=med.user_id,
                            parties=[PartyInput(name="张三", visitor_id=t.visitor_id),
                                     PartyInput(name="东湖科技有限公司", side="respondent", kind="organisation")])
    md.book_room(ui_hall, med, case.id, "r_gold", dt.datetime(2026, 11, 24, 9, 0, tzinfo=HALL_TZ),
                 dt.datetime(2026, 11, 24, 11, 0, tzinfo=HALL_TZ))
    ws = FrontDeskWorkspace(make_ctx("qiantai"))
    qtbot.addWidget(ws)
    ws.show()
    type_into(qtbot, ws.lookup_edit, "zs")
    qtbot.waitUntil(lambda: ws.lookup_model.rowCount() == 1 and "在办案件" in ws.history_title.text())
    assert case.number in ws.history_title.text() and "11-24 09:00 金牌调解室" in ws.history_title.text()
