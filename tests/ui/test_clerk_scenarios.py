"""Two cases carried from the window to their end through the clerk's desk only (clicks and
typing): one to a served award, one to a mediation statement. The services are read only to
check what the widgets did."""
from __future__ import annotations

import datetime as dt

import pytest

from hall.services import arbitration as arb
from hall.services import documents as docs
from tests.ui.test_clerk import at
from tests.ui.test_clerk import clerk as clerk  # noqa: F401  (fixture)
from tests.ui.test_clerk import make_clerk_desk as make_clerk_desk  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("messages")

D = dt.date


def _receive(qtbot, ws, *, worker: str, employer: str, rep_title: str = "") -> arb.CaseDetail:
    reg = ws.register
    ws.tabs.setCurrentWidget(reg)
    reg.new_button.click()
    form = reg.receive_form
    form.worker_name.setText(worker)
    form.worker_id.setText("11010519491231002X")
    form.worker_phone.setText("13812345678")
    form.worker_occupation.setText("焊工")
    form.worker_address.setText("东湖区人民路1号")
    form.employer_name.setText(employer)
    form.employer_address.setText("东湖区工业路2号")
    form.employer_rep.setText("王强")
    form.employer_rep_title.setText(rep_title)
    kind, desc, amount = form.claims.rows[0]
    desc.setText("支付2026年9月至10月工资")
    amount.setText("12000")
    form.facts.setPlainText("申请人在被申请人处任焊工，被申请人拖欠两个月工资。")
    form.evidence.setPlainText("工资条；申请人保存\n考勤记录；被申请人掌握")
    form.receive_button.click()
    qtbot.waitUntil(lambda: form.result.text() != "")
    qtbot.waitUntil(lambda: ws.case_view.detail is not None and ws.case_view.detail.worker["name"] == worker)
    return ws.case_view.detail


def _serve(qtbot, view, kind: str, side: str, hearing: int | None = None) -> None:
    from hall.domain.clock import local_day
    from ui.qt import QDate

    view.tabs.setCurrentIndex(2)
    before = len(view.detail.services)
    today = local_day(view.db.clock.now())             # the date the recipient wrote on the receipt
    view.svc_date.setDate(QDate(today.year, today.month, today.day))
    view.svc_kind.setCurrentIndex(view.svc_kind.findData(kind))
    view.svc_side.setCurrentIndex(view.svc_side.findData(side))
    if hearing is not None:
        view.svc_hearing.setCurrentIndex(view.svc_hearing.findData(hearing))
    view.svc_button.click()
    qtbot.waitUntil(lambda: len(view.detail.services) == before + 1)


def _act(qtbot, view, button, until) -> None:
    view.tabs.setCurrentWidget(view.case_actions)
    assert button.isEnabled(), button.objectName()
    button.click()
    qtbot.waitUntil(until)


def _generate(qtbot, view, name: str) -> str:
    view.tabs.setCurrentIndex(4)
    items = [view.kind_list.item(i) for i in range(view.kind_list.count())]
    item = next(i for i in items if i.text() == name)
    view.kind_list.setCurrentItem(item)
    before = view.current_doc_title
    view.generate_button.click()
    qtbot.waitUntil(lambda: bool(view.preview.data) and view.current_doc_title != before)
    return view.current_doc_title


def test_from_the_application_to_a_served_award(qtbot, ui_hall, clerk, clock, make_clerk_desk, messages):
    ws = make_clerk_desk()
    ws.ctx.feed.start()                                  # the live event feed, as in the running app
    d = _receive(qtbot, ws, worker="张伟", employer="东湖机械厂")          # 职务 left out
    view, acts = ws.case_view, ws.case_view.case_actions
    assert d.state == "supplement_pending" and d.missing_items == ["用人单位法定代表人或者主要负责人的职务"]
    view.tabs.setCurrentWidget(acts)
    assert "法定代表人或者主要负责人的职务" in acts.sup_missing.text() and not acts.accept_button.isEnabled()
    assert d.evidence == [{"name": "工资条", "source": "申请人保存"}, {"name": "考勤记录", "source": "被申请人掌握"}]

    # 补正 the next day: the five days run from then
    at(clock, D(2026, 11, 24))
    acts.sup_rep_title.setText("厂长")
    _act(qtbot, view, acts.sup_button, lambda: view.detail.state == "received")
    assert "受理期限自今日重新起算" in view.strip.text()
    _act(qtbot, view, acts.accept_button, lambda: view.detail.number != "")
    number = view.detail.number

    _serve(qtbot, view, "response_notice", "respondent")
    assert view.detail.respondent_served_on == D(2026, 11, 24)

    # 组成仲裁庭: an empty seat is refused in Chinese, then three arbitrators
    view.tabs.setCurrentWidget(acts)
    acts.trib_presiding.setText("刘仲裁")
    acts.trib_member1.setText("陈仲裁")
    acts.trib_button.click()
    qtbot.waitUntil(lambda: acts.trib_error.isVisible())
    assert any("\u4e00" <= ch <= "\u9fff" for ch in acts.trib_error.text())
    acts.trib_member2.setText("黄仲裁")
    _act(qtbot, view, acts.trib_button, lambda: len(view.detail.tribunal) == 3)
    for side in ("applicant", "respondent"):
        _serve(qtbot, view, "tribunal_notice", side)

    acts.def_summary.setPlainText("被申请人称已支付部分工资。")
    _act(qtbot, view, acts.def_button, lambda: view.detail.defence_received_on == D(2026, 11, 24))
    _serve(qtbot, view, "defence_copy", "applicant")

    # 安排开庭 in the tribunal room, five days' notice
    from ui.qt import QDate, QDateTime, QTime

    view.tabs.setCurrentIndex(1)
    view.hearing_start.setDateTime(QDateTime(QDate(2026, 11, 30), QTime(9, 30)))
    view.schedule_button.click()
    qtbot.waitUntil(lambda: len(view.detail.hearings) == 1)
    hid = view.detail.hearings[0].id
    for side in ("applicant", "respondent"):
        _serve(qtbot, view, "hearing_notice", side, hearing=hid)

    at(clock, D(2026, 11, 30), 12)
    acts.rec_text.setPlainText("双方到庭，经质证、辩论，征询最后意见。")
    _act(qtbot, view, acts.rec_button, lambda: view.detail.hearings[0].state == "held")

    # 裁决: refused until every part of 第四十六条 is there, the preview says what is missing
    at(clock, D(2026, 12, 2))
    acts.award_reasons.setPlainText("用人单位应当按时足额支付劳动报酬。")
    acts.award_result.setText("被申请人于本裁决生效之日起五日内支付申请人工资12000元。")
    acts.award_rows[0][0].setText("12000")
    acts.award_rows[0][1].setText("支持")
    qtbot.waitUntil(lambda: "争议事实" in acts.award_missing.text())
    acts.award_button.click()
    qtbot.waitUntil(lambda: acts.close_error.isVisible())
    assert "裁决书缺少：争议事实（经审理查明）" in acts.close_error.text() and view.detail.outcome == ""
    acts.award_facts.setPlainText("申请人2026年9月至10月工资共计12000元，被申请人至今未支付。")
    _act(qtbot, view, acts.award_button, lambda: view.detail.outcome == "award")
    assert view.detail.award_parts["documents"][0]["kind"] == "award"

    title = _generate(qtbot, view, "仲裁裁决书")
    assert number in title
    listed = docs.list_documents(ui_hall, clerk, subject_type="arbitration", subject_id=view.detail.id, kind="award")
    assert len(listed) == 1

    at(clock, D(2026, 12, 3))
    _serve(qtbot, view, "award", "applicant")
    rules = {x.rule_code for x in view.detail.deadlines}
    assert "labour.final_award_suit" in rules and "labour.set_aside" not in rules

    # the deadline board lists the parties' windows, and follows the next service without a refresh
    ws.tabs.setCurrentWidget(ws.board)
    ws.board.filter_buttons["open"].click()
    qtbot.waitUntil(lambda: any(r.case_number == number and r.rule_code == "labour.final_award_suit"
                                for r in ws.board.model.rows), timeout=8000)
    assert not any(r.case_number == number and r.rule_code == "labour.award" for r in ws.board.model.rows)
    ws.open_case(number)
    qtbot.waitUntil(lambda: ws.case_view.detail.number == number)
    _serve(qtbot, view, "award", "respondent")
    qtbot.waitUntil(lambda: any(r.case_number == number and r.rule_code == "labour.set_aside"
                                for r in ws.board.model.rows), timeout=8000)   # the event feed reloads the board
    _act(qtbot, view, acts.archive_button, lambda: view.detail.state == "closed")
    assert messages == []


def test_from_the_application_to_a_mediation_statement(qtbot, ui_hall, clerk, clock, make_clerk_desk, messages):
    ws = make_clerk_desk()
    d = _receive(qtbot, ws, worker="王芳", employer="东湖纺织厂", rep_title="厂长")
    view, acts = ws.case_view, ws.case_view.case_actions
    assert d.state == "received" and d.missing_items == []
    _act(qtbot, view, acts.accept_button, lambda: view.detail.number != "")
    _serve(qtbot, view, "response_notice", "respondent")
    view.tabs.setCurrentWidget(acts)
    acts.trib_sole.setChecked(True)
    acts.trib_ground.setCurrentIndex(acts.trib_ground.findData("agree"))
    acts.trib_presiding.setText("孙仲裁")
    _act(qtbot, view, acts.trib_button, lambda: [m.role for m in view.detail.tribunal] == ["sole"])

    acts.med_terms.setPlainText("被申请人于2026年12月10日前支付申请人工资10000元。\n申请人放弃其他仲裁请求。")
    _act(qtbot, view, acts.med_button, lambda: view.detail.outcome == "mediation_statement")
    title = _generate(qtbot, view, "仲裁调解书")
    assert view.detail.number in title

    at(clock, D(2026, 11, 24))
    _serve(qtbot, view, "mediation_statement", "applicant")
    assert view.detail.outcome_effective_on is None                      # only one party has signed
    _serve(qtbot, view, "mediation_statement", "respondent")
    assert view.detail.outcome_effective_on == D(2026, 11, 24)
    _act(qtbot, view, acts.archive_button, lambda: view.detail.state == "closed")
    assert not [x for x in view.detail.deadlines if x.state in ("open", "overdue", "due_today")]
    assert messages == []
