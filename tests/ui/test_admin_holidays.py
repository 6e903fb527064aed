"""节假日安排 day by day through the widgets: one day set closed with a note,
one weekend day set working, a refusal in Chinese that keeps the page, the
diff with the booking's contact, one audit row per day."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from hall.services import deadlines
from hall.store.models import AuditEntry
from ui.qt import Qt


@pytest.fixture
def page(make_ctx, qtbot):
    from ui.centre.admin import AdminWorkspace

    ws = AdminWorkspace(make_ctx("admin"))
    qtbot.addWidget(ws)
    ws.resize(1280, 860)
    ws.show()
    qtbot.waitExposed(ws)
    p = ws.open_page("holidays")
    qtbot.waitUntil(lambda: "内置日历" in p.coverage_label.text())
    p.year_box.setValue(2026)
    qtbot.waitUntil(lambda: "以下为内置日历的 2026 年安排" in p.year_state.text())
    yield p
    ws.shutdown()


def test_days_are_edited_one_by_one_with_a_note_and_audited(page, qtbot, ui_hall):
    from hall.services import appointments as ap
    from hall.services import centre
    from tests.conftest import staff_actor
    from ui.centre.admin_catalogue import _qdate

    wed, sat = dt.date(2026, 11, 25), dt.date(2026, 11, 28)
    service = next(x.code for x in centre.list_services(ui_hall) if ap.plan_for(ui_hall, x.code))
    slot = next(s for s in ap.available_slots(ui_hall, service, wed) if s.bookable)
    booking = ap.book(ui_hall, staff_actor(ui_hall, "qiantai"), service, slot.start, "王小明", "13812345678")
    rows_before = len(page.holiday_model.rows)
    page.day_edit.setDate(_qdate(dt.date(2026, 10, 4)))                  # inside National Day
    qtbot.mouseClick(page.close_day_button, Qt.MouseButton.LeftButton)
    assert page.message.kind == "error" and "已是休息日" in page.message_text
    assert len(page.holiday_model.rows) == rows_before and page.day_marks == {}
    page.day_edit.setDate(_qdate(wed))
    page.day_note.setText("停电检修")
    qtbot.mouseClick(page.close_day_button, Qt.MouseButton.LeftButton)
    assert any(r.start == wed == r.end and r.name == "停电检修" for r in page.holiday_model.rows)
    page.day_edit.setDate(_qdate(sat))
    page.day_note.setText("补开放日")
    qtbot.mouseClick(page.open_day_button, Qt.MouseButton.LeftButton)
    assert sat in [s.day for s in page.swap_model.rows]
    assert "11-25 休息日（停电检修）" in page.day_edits_label.text() and "11-28 工作日（补开放日）" in page.day_edits_label.text()
    page.window().grab().save("/tmp/shots/holidays_day_edit.png")
    page.save()
    qtbot.waitUntil(lambda: page.changes_dialog is not None and page.changes_dialog.isVisible())
    text = page.changes_dialog.text.toPlainText()
    assert "2026-11-25（星期三）由工作日改为休息日（停电检修）" in text
    assert "2026-11-28（星期六）由休息日改为工作日　说明：补开放日" in text
    assert f"预约号 {booking.id}） 王小明 13812345678" in text
    page.changes_dialog.grab().save("/tmp/shots/holidays_diff.png")
    assert deadlines.year_schedule(ui_hall, 2026) is None                 # nothing written before confirming
    page.changes_dialog.accept()
    qtbot.waitUntil(lambda: deadlines.year_schedule(ui_hall, 2026) is not None and not page.busy)
    qtbot.waitUntil(lambda: "预约号" in page.affected.text())
    with ui_hall.read() as s:
        cal = deadlines.calendar(s)
        audited = s.execute(select(AuditEntry.object_id, AuditEntry.details)
                            .where(AuditEntry.action == "calendar.day").order_by(AuditEntry.id)).all()
    assert [(a, d["working_before"], d["working_after"], d["note"]) for a, d in audited] == [
        ("2026-11-25", True, False, "停电检修"), ("2026-11-28", False, True, "补开放日")]
    assert not cal.is_workday(wed) and cal.is_workday(sat) and cal.is_legal_holiday(dt.date(2026, 10, 1))
    assert page.day_marks == {}


def test_a_day_outside_the_year_is_refused(page, qtbot):
    from ui.centre.admin_catalogue import _qdate

    page.day_edit.setDate(_qdate(dt.date(2027, 3, 3)))
    page.day_note.setText("停电")
    qtbot.mouseClick(page.close_day_button, Qt.MouseButton.LeftButton)
    assert "应在 2026 年内" in page.message_text and page.day_note.text() == "停电"
