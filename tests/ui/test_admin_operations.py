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
    from ui.admin import AdminWorkspace

    ws = AdminWorkspace(make_ctx("admin"))
    qtbot.addWidget(ws)
    p = ws.open_page("operations")
    qtbot.waitUntil(lambda: p.order_list.count() > 0 and p.plan_service.count() > 0)
    yield p
    ws.shutdown()


def audits(db, action: str) -> int:
    with db.read() as s:
        return len(s.execute(select(AuditEntry.id).where(AuditEntry.action == action)).all())


def test_the_call_rule_is_shown_with_its_numbers(page):
    text = page.rule_label.text()
    assert "孕妇 60" in text and "按时签到的预约 40" in text and "连续优先上限" in text
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
    shot = page.grab()
    assert not shot.isNull()
    assert shot.width() > 600
