"""The petition window's workspace through its widgets: a letter registered, accepted, handed
to a staff member, answered with a 处理意见书 (printed), reviewed and closed; a group visit
with too many representatives refused in Chinese; a whistle-blower's name kept from the
window (《信访工作条例》第二十条、第二十二条、第三十条、第三十二条、第三十四条、第三十五条)."""
from __future__ import annotations

import datetime as dt

import pytest

from hall.services import documents as docs
from hall.services import petitions as pet
from tests.conftest import staff_actor

pytestmark = pytest.mark.usefixtures("messages")


@pytest.fixture
def desk(qtbot, make_ctx):
    from ui.petitions.desk import PetitionWorkspace

    ctx = make_ctx("chuangkou2", window_code="w02")
    ws = PetitionWorkspace(ctx)
    qtbot.addWidget(ws)
    ws.resize(1100, 760)
    ws.show()
    qtbot.waitExposed(ws)
    return ws


def _wait_result(qtbot, ws, before: str) -> str:
    qtbot.waitUntil(lambda: ws.result.text() != before or ws.error.isVisible())
    assert not ws.error.isVisible(), ws.error.text()
    return ws.result.text()


def test_a_letter_from_registration_to_review_and_closing(qtbot, desk, ui_hall, clock, messages):
    ws = desk
    ws.tabs.setCurrentIndex(1)
    ws.reg_button.click()
    qtbot.waitUntil(lambda: ws.reg_error.isVisible())
    assert "第十九条" in ws.reg_error.text()
    ws.reg_people.setPlainText("刘芳，东湖区幸福里3号，13812345678")
    ws.reg_matter.setText("城建")
    ws.reg_request.setText("要求停止夜间施工")
    ws.reg_facts.setPlainText("小区旁工地夜间施工")
    ws.reg_reasons.setPlainText("影响休息")
    ws.reg_button.click()
    qtbot.waitUntil(lambda: ws.reg_result.text() != "")
    assert "2026-12-08" in ws.reg_result.text() and ws.current is not None   # 15 days (第二十二条)
    number = ws.current.number
    qtbot.waitUntil(lambda: any(r[0].number == number for r in ws.model.rows))

    ws.tabs.setCurrentIndex(2)
    assert ws.dec_button.isEnabled() and not ws.op_button.isEnabled()
    before = ws.result.text()
    ws.dec_button.click()                                                  # 受理
    _wait_result(qtbot, ws, before)
    assert ws.current.state == "accepted"
    assert any(d.rule_code == "petition.handling" for d in ws.current.deadlines)
    ws.doc_acceptance.click()
    qtbot.waitUntil(lambda: ws.tabs.currentWidget() is ws.preview)
    ws.tabs.setCurrentIndex(2)

    ws.handler.setText("陈丽")
    before = ws.result.text()
    ws.handle_button.click()
    _wait_result(qtbot, ws, before)
    ws.ext_reason.setText("需要现场勘验")
    ws.ext_button.click()                                                  # no approver: refused inline
    qtbot.waitUntil(lambda: ws.error.isVisible())
    assert "批准" in ws.error.text()
    ws.ext_by.setText("王局长")
    before = ws.result.text()
    ws.ext_button.click()
    _wait_result(qtbot, ws, before)
    assert ws.current.extension.get("approved_by") == "王局长"

    ws.op_outcome.setCurrentIndex(ws.op_outcome.findData("support"))
    ws.op_text.setPlainText("责令施工单位调整作业时间，夜间22时后停止施工。")
    ws.op_basis.setText("《中华人民共和国噪声污染防治法》")
    before = ws.result.text()
    ws.op_button.click()
    _wait_result(qtbot, ws, before)
    assert ws.current.state == "opinion_issued" and ws.doc_opinion.isEnabled()
    ws.doc_opinion.click()
    qtbot.waitUntil(lambda: ws.tabs.currentWidget() is ws.preview and ws.preview.page_count >= 1)
    listed = docs.list_documents(ui_hall, staff_actor(ui_hall, "chuangkou2", "w"), subject_type="petition",
                                 subject_id=ws.current.id)
    assert {d.kind for d in listed} == {"petition_acceptance", "petition_opinion"}

    ws.tabs.setCurrentIndex(2)
    clock.set_local(dt.datetime(2026, 12, 1, 9, 0))
    ws.rv_body.setText("东湖区人民政府")
    before = ws.result.text()
    ws.rv_request.click()
    _wait_result(qtbot, ws, before)
    ws.rv_text.setPlainText("维持原处理意见。")
    before = ws.result.text()
    ws.rv_answer.click()
    _wait_result(qtbot, ws, before)
    before = ws.result.text()
    ws.close_button.click()
    _wait_result(qtbot, ws, before)
    assert pet.petition_detail(ui_hall, staff_actor(ui_hall, "chuangkou2", "w"), number).state == "closed"
    assert messages == []


def test_a_group_visit_and_a_whistle_blowers_name(qtbot, desk, messages):
    ws = desk
    ws.tabs.setCurrentIndex(1)
    ws.reg_channel.setCurrentIndex(ws.reg_channel.findData("oral"))
    ws.reg_via.setCurrentIndex(ws.reg_via.findData("visit"))
    ws.reg_group.setValue(30)
    ws.reg_reps.setPlainText("\n".join(f"代表{i}，东湖区{i}号，1381234567{i}" for i in range(6)))
    ws.reg_matter.setText("征地拆迁")
    ws.reg_request.setText("要求落实补偿")
    ws.reg_facts.setPlainText("补偿款未发放")
    ws.reg_reasons.setPlainText("补偿标准过低")
    ws.reg_button.click()
    qtbot.waitUntil(lambda: ws.reg_error.isVisible())
    assert "第二十条" in ws.reg_error.text() and messages == []
    ws.reg_reps.setPlainText("\n".join(f"代表{i}，东湖区{i}号，1381234567{i}" for i in range(5)))
    ws.reg_button.click()
    qtbot.waitUntil(lambda: ws.reg_result.text() != "")
    assert ws.current.group_size == 30 and len(ws.current.representatives) == 5

    ws.reg_channel.setCurrentIndex(ws.reg_channel.findData("written"))
    ws.reg_group.setValue(1)
    ws.reg_people.setPlainText("周明，东湖区幸福里5号，13912345678")
    ws.reg_matter.setText("检举控告")
    ws.reg_request.setText("请查处收受财物")
    ws.reg_facts.setPlainText("看到收受红包")
    ws.reg_reasons.setPlainText("违反廉洁规定")
    ws.reg_whistle.setChecked(True)
    ws.reg_accused.setText("张局长")
    before = ws.reg_result.text()
    ws.reg_button.click()
    qtbot.waitUntil(lambda: ws.reg_result.text() != before)
    assert ws.current.whistleblower and ws.current.whistleblower_redacted    # the window may not see the name
    assert "身份已隐去" in ws.title.text() and "周明" not in ws.title.text()
