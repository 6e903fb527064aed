"""排队与预约: the queue policy, the check-in window, appointment plans and the
order of the services, edited through the widgets and audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hall.services import admin as adm
from hall.services import appointments as ap
from hall.store.models import AuditEntry
from ui.qt import Qt


@pytest.fixture
def page(make_ctx, qtbot):
    from ui.centre.admin import AdminWorkspace

    ws = AdminWorkspace(make_ctx("admin"))
    qtbot.addWidget(ws)
    p = ws.open_page("operations")
    qtbot.waitUntil(lambda: p.order_list.count() > 0 and p.plan_service.count() > 0 and p.plan_loaded)
    yield p
    ws.shutdown()


def audits(db, action: str) -> int:
    with db.read() as s:
        return len(s.execute(select(AuditEntry.id).where(AuditEntry.action == action)).all())


def test_the_call_rule_is_shown_with_its_numbers(page):
    from hall.domain.queue import BOOKED_CALL_RULE

    text = page.rule_label.text()
    assert text.startswith("叫号规则：" + BOOKED_CALL_RULE)      # the booked visitor's rule, as promised at check-in
    assert "孕妇 60" in text and "连续优先上限" in text and "按时签到的预约 40" not in text
    assert page.cap.value() == 3 and page.penalty.value() == 10


def test_queue_policy_and_check_in_window_are_saved_and_audited(page, qtbot, ui_hall):
    page.cap.setValue(2)
    page.penalty.setValue(15)
    qtbot.mouseClick(page.policy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.kind == "info")
    values = adm.settings(ui_hall)
    assert (values["queue.priority_cap"], values["queue.rank_penalty_minutes"]) == (2, 15)
    assert audits(ui_hall, "centre.queue_policy") == 1
    page.early.setValue(20)
    page.late.setValue(5)
    qtbot.mouseClick(page.window_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "签到时段已保存" in page.message_text)
    values = adm.settings(ui_hall)
    assert (values["appointments.early_minutes"], values["appointments.late_minutes"]) == (20, 5)


def test_an_appointment_plan_is_saved(page, qtbot, ui_hall):
    code = page.plan_service.itemData(0)
    page.slot_minutes.setValue(20)
    page.capacity.setValue(3)
    page.days_ahead.setValue(5)
    page.plan_active.setChecked(True)
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "预约设置已保存" in page.message_text)
    plan = ap.plan_for(ui_hall, code)
    assert (plan["slot_minutes"], plan["capacity"], plan["days_ahead"], plan["active"]) == (20, 3, 5, True)


def test_the_weekly_hours_of_a_plan_are_edited_validated_audited_and_exported(page, qtbot, ui_hall, admin):
    """The seven day fields start from the plan (or the default hours); a bad
    entry is refused in Chinese with the text kept; a good one is saved,
    audited with before/after, offered as slots and carried by the export."""
    code = page.plan_service.itemData(0)
    assert page.plan_hours_edits[0].text() == "08:30-12:00, 13:30-17:30"      # the default hours
    assert page.plan_hours_edits[5].text() == "" and page.plan_hours_edits[6].text() == ""
    before = audits(ui_hall, "appointment.plan")
    page.plan_hours_edits[0].setText("09:00-11:00, 10:30-12:00")               # overlapping
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.kind == "error")
    assert "星期一的时段 09:00-11:00 与 10:30-12:00 重叠" in page.message_text
    assert page.plan_hours_edits[0].text() == "09:00-11:00, 10:30-12:00"      # nothing lost
    page.plan_hours_edits[0].setText("9点到11点")
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "应写成 开始-结束" in page.message_text)
    for day in range(7):
        page.plan_hours_edits[day].setText("")
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "请至少填写一天" in page.message_text)
    assert audits(ui_hall, "appointment.plan") == before                        # nothing saved so far
    page.plan_hours_edits[0].setText("9:00-11:30")
    page.plan_hours_edits[5].setText("09:00-10:00")
    page.slot_minutes.setValue(30)
    page.plan_active.setChecked(True)
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "预约设置已保存" in page.message_text)
    want = {"0": [["09:00", "11:30"]], "5": [["09:00", "10:00"]]}
    assert ap.plan_for(ui_hall, code)["hours"] == want
    assert audits(ui_hall, "appointment.plan") == before + 1
    with ui_hall.read() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "appointment.plan")
                          .order_by(AuditEntry.id.desc())).scalars().first()
    assert entry.details["changes"]["hours"][1] == want
    [exported] = [p for p in adm.export_config(ui_hall, admin)["appointment_plans"] if p["service"] == code]
    assert exported["hours"] == want
    page.plan_service.setCurrentIndex(1)                                        # another service, then back
    assert not page.plan_loaded
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)               # not before it has loaded
    assert "尚在读取" in page.message_text
    qtbot.waitUntil(lambda: page.plan_loaded and page.plan_hours_edits[0].text() == "08:30-12:00, 13:30-17:30")
    page.plan_service.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.plan_loaded and page.plan_hours_edits[0].text() == "09:00-11:30")
    assert page.plan_hours_edits[5].text() == "09:00-10:00" and page.plan_hours_edits[1].text() == ""


def test_services_are_reordered(page, qtbot, ui_hall):
    before = [s.code for s in sorted((s for s in adm.list_all_services(ui_hall) if s.active),
                                     key=lambda s: (s.sort_order, s.code))]
    page.order_list.setCurrentRow(1)
    qtbot.mouseClick(page.up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "业务顺序已保存" in page.message_text)
    after = [s.code for s in sorted((s for s in adm.list_all_services(ui_hall) if s.active),
                                    key=lambda s: (s.sort_order, s.code))]
    assert after[:2] == [before[1], before[0]] and after[2:] == before[2:]
    qtbot.waitUntil(lambda: page.order_list.item(0).text().endswith(f"（{before[1]}）"))
    page.order_list.setCurrentRow(0)
    qtbot.mouseClick(page.up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.kind == "error")
    assert "请先选择" in page.message_text


def test_the_page_renders(page, qtbot):
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.plan_hours_edits[0].text() != "")     # the plan has loaded
    shot = page.window().grab()
    shot.save("/tmp/shots/admin_operations.png")
    assert not shot.isNull()
    assert shot.width() > 600
