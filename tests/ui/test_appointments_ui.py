"""The appointments panel at the front desk: book, a full slot refused, find
by phone, check in (a ticket is issued), cancel — each checked in the database."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from hall.domain.clock import local_day
from hall.services import appointments as appt
from hall.store.centre_models import Appointment
from hall.store.models import Ticket
from tests.conftest import staff_actor

pytestmark = pytest.mark.usefixtures("messages")


@pytest.fixture(autouse=True)
def no_printer(monkeypatch, tmp_path):
    import ui.common.printing

    folder = tmp_path / "tickets"
    monkeypatch.setattr(ui.common.printing.TicketPrinter, "available_printers", lambda self: [])
    monkeypatch.setattr(ui.common.printing, "default_ticket_folder", lambda: folder)
    return folder


@pytest.fixture
def panel(make_ctx, qtbot):
    from ui.frontdesk.appointments import AppointmentsPanel
    from ui.qt import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    p = AppointmentsPanel(make_ctx("qiantai"), host)
    host.resize(1200, 640)
    p.resize(1200, 640)
    host.show()
    qtbot.waitExposed(host)
    qtbot.waitUntil(lambda: p.service_box.count() == 3 and p.slot_model.rowCount() > 0)
    yield p
    host.close()


def count(db, **where) -> int:
    stmt = select(func.count()).select_from(Appointment)
    for k, v in where.items():
        stmt = stmt.where(getattr(Appointment, k) == v)
    with db.read() as s:
        return s.execute(stmt).scalar_one()


def book_in_panel(qtbot, p, slot: str, name: str, phone: str) -> None:
    assert p.select_slot(slot)
    p.name_edit.setText(name)
    p.phone_edit.setText(phone)
    p.book_button.click()
    qtbot.waitUntil(lambda: not p._busy)


def test_demo_plans_and_panel_services(panel, ui_hall, admin):
    from hall.services.demo import install_demo

    assert sorted(panel.service_box.itemData(i) for i in range(3)) == ["housing", "labour", "mediation"]
    assert appt.plan_for(ui_hall, "labour")["capacity"] == 3
    from hall.store.models import AuditEntry

    def audits():
        with ui_hall.read() as s:
            return s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()

    before = audits()
    install_demo(ui_hall, admin, history=False)      # idempotent: nothing changes
    assert audits() == before
    assert appt.plan_for(ui_hall, "mediation")["slot_minutes"] == 60


def test_book_a_slot(panel, ui_hall, qtbot):
    panel.select_service("labour")
    qtbot.waitUntil(lambda: panel.slot_model.rowCount() > 0 and panel.slot_model.rows[0].service == "labour")
    book_in_panel(qtbot, panel, "10:00", "张三", "13800138000")
    assert panel.last_booking is not None and panel.last_booking.phone == "13800138000"
    assert "已预约" in panel.status.text()
    assert count(ui_hall, name="张三", status="booked") == 1
    qtbot.waitUntil(lambda: any(s.booked == 1 for s in panel.slot_model.rows))
    assert panel.name_edit.text() == ""


def test_name_and_phone_checked_before_booking(panel, ui_hall, qtbot):
    panel.select_service("labour")
    qtbot.waitUntil(lambda: panel.slot_model.rowCount() > 0 and panel.slot_model.rows[0].service == "labour")
    panel.select_slot("10:00")
    panel.phone_edit.setText("13800138000")
    panel.book_button.click()
    assert "姓名" in panel.status.text()
    assert panel.name_edit.property("invalid") is True
    panel.name_edit.setText("李四")
    panel.phone_edit.setText("123")
    panel.book_button.click()
    assert panel.phone_edit.property("invalid") is True
    assert count(ui_hall) == 0


def test_full_slot_refused_with_nearest_free(panel, ui_hall, qtbot):
    actor = staff_actor(ui_hall, "qiantai")
    day = local_day(ui_hall.clock.now())
    start = dt.datetime.combine(day, dt.time(10, 0))
    for i in range(3):
        appt.book(ui_hall, actor, "labour", start, f"来访{i}", f"1380013800{i}")
    panel.select_service("labour")
    qtbot.waitUntil(lambda: panel.slot_model.rowCount() > 0 and panel.slot_model.rows[0].service == "labour")
    full = next(s for s in panel.slot_model.rows if s.label.endswith("10:00-10:30"))
    assert full.free == 0 and not full.bookable
    book_in_panel(qtbot, panel, "10:00", "王五", "13900139000")
    assert "已约满" in panel.status.text() and "最近的可约时段" in panel.status.text()
    assert panel.status.property("state") == "error"
    assert count(ui_hall, name="王五") == 0


def test_find_check_in_issues_ticket(panel, ui_hall, qtbot):
    actor = staff_actor(ui_hall, "qiantai")
    day = local_day(ui_hall.clock.now())
    appt.book(ui_hall, actor, "labour", dt.datetime.combine(day, dt.time(9, 30)), "赵六", "13700137000")
    printed = []
    panel.print_ticket = printed.append
    panel.find_edit.setText("13700137000")
    panel.find_button.click()
    qtbot.waitUntil(lambda: panel.found_model.rowCount() == 1)
    assert panel.check_in_button.isEnabled()
    panel.check_in_button.click()                    # 09:00: too early, refused with the time
    qtbot.waitUntil(lambda: panel.status.property("state") == "error")
    assert panel.last_check_in is None and "09:15" in panel.status.text()
    qtbot.waitUntil(lambda: not panel._busy)
    ui_hall.clock.advance(minutes=25)                # 09:25, within the window
    panel.check_in_button.click()
    qtbot.waitUntil(lambda: panel.last_check_in is not None)
    ticket = panel.last_check_in.ticket
    assert panel.ticket_label.text() == ticket.number
    assert printed == [ticket]
    with ui_hall.read() as s:
        a = s.execute(select(Appointment).where(Appointment.name == "赵六")).scalar_one()
        assert a.ticket_id == ticket.id and a.status in ("checked_in", "late")
        assert s.get(Ticket, ticket.id).status == "waiting"
    qtbot.waitUntil(lambda: panel.found_model.rows[0].ticket_number == ticket.number)
    assert not panel.check_in_button.isEnabled()


def test_cancel(panel, ui_hall, qtbot):
    actor = staff_actor(ui_hall, "qiantai")
    day = local_day(ui_hall.clock.now())
    appt.book(ui_hall, actor, "housing", dt.datetime.combine(day, dt.time(14, 0)), "钱七", "13600136000")
    panel.today_button.click()
    qtbot.waitUntil(lambda: panel.found_model.rowCount() == 1)
    panel.cancel_button.click()
    qtbot.waitUntil(lambda: count(ui_hall, status="cancelled") == 1)
    qtbot.waitUntil(lambda: bool(panel.found_model.rows) and panel.found_model.rows[0].status == "cancelled")
    assert not panel.cancel_button.isEnabled()


def test_look(panel, qtbot, ui_hall):
    actor = staff_actor(ui_hall, "qiantai")
    day = local_day(ui_hall.clock.now())
    appt.book(ui_hall, actor, "labour", dt.datetime.combine(day, dt.time(10, 0)), "张三", "13800138000")
    panel.select_service("labour")
    panel.today_button.click()
    qtbot.waitUntil(lambda: panel.found_model.rowCount() == 1)
    qtbot.waitUntil(lambda: bool(panel.slot_model.rows) and panel.slot_model.rows[0].service == "labour")
    panel.window().grab().save("/tmp/shots/appointments.png")


def test_front_desk_hosts_the_panel(make_ctx, qtbot, ui_hall, no_printer):
    """预约 opens the panel inside the front desk; a check-in shows and prints the ticket."""
    from ui.frontdesk.workspace import FrontDeskWorkspace

    actor = staff_actor(ui_hall, "qiantai")
    day = local_day(ui_hall.clock.now())
    appt.book(ui_hall, actor, "mediation", dt.datetime.combine(day, dt.time(10, 0)), "孙八", "13500135000")
    ui_hall.clock.advance(minutes=50)                                  # 09:50
    ws = FrontDeskWorkspace(make_ctx("qiantai"))
    qtbot.addWidget(ws)
    ws.resize(1366, 720)
    ws.show()
    qtbot.waitExposed(ws)
    qtbot.waitUntil(lambda: len(ws.service_buttons) == 10)
    qtbot.waitUntil(lambda: all(b.isVisible() for b in ws.service_buttons.values()))
    assert ws.appointments_button.isVisible()
    ws.grab().save("/tmp/shots/frontdesk.png")
    ws.appointments_button.click()
    panel = ws.appointments_panel
    assert panel is not None and panel.parent() is ws.main_stack and panel.isVisible()
    assert ws.main_stack.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.service_box.count() == 3)
    panel.find_edit.setText("13500135000")
    panel.find_button.click()
    qtbot.waitUntil(lambda: panel.found_model.rowCount() == 1)
    panel.check_in_button.click()
    qtbot.waitUntil(lambda: ws.last_print is not None)
    number = panel.last_check_in.ticket.number
    assert ws.result_number.text() == number and panel.ticket_label.text() == number
    from hall.domain.queue import BOOKED_CALL_RULE
    assert BOOKED_CALL_RULE in panel.ticket_note.text()             # the promise is the engine's rule
    assert ws.last_print.outcome == "saved"
    [saved] = list(no_printer.glob(f"*{number}*.pdf"))
    if shutil.which("pdftotext"):                      # the rating code is on the paper
        from hall.services import satisfaction

        code = satisfaction.rating_code(ui_hall, panel.last_check_in.ticket.id)
        text = subprocess.run(["pdftotext", str(saved), "-"], capture_output=True, text=True).stdout
        assert f"评价码：{code}" in text.replace("\n", "")
    ws.grab().save("/tmp/shots/frontdesk_appointments.png")
    panel.back_button.click()
    assert ws.main_stack.currentIndex() == 0
    ws.show_appointments()                              # Ctrl+Y; the same panel again
    assert ws.main_stack.currentWidget() is panel
    ws.escape()                                         # Esc returns to the service buttons
    assert ws.main_stack.currentIndex() == 0
    ws.shutdown()


def test_the_booking_screen_marks_no_shows_on_its_own_timer(panel, qtbot, ui_hall, clock):
    assert panel.sweep_timer.isActive() and panel.sweep_timer.interval() == 60_000
    from ui.frontdesk.appointments import _hhmm

    first = next(s for s in panel.slot_model.rows if s.bookable)
    book_in_panel(qtbot, panel, _hhmm(first.start), "王小明", "13812345678")
    qtbot.waitUntil(lambda: count(ui_hall, status="booked") == 1)
    clock.at = first.start + dt.timedelta(minutes=11)       # its check-in window (10 minutes) has passed
    with qtbot.waitSignal(panel.swept) as sig:
        panel.sweep_timer.timeout.emit()
    assert sig.args == [1] and count(ui_hall, status="missed") == 1


def test_consent_to_an_sms_reminder_is_recorded_with_the_booking(panel, ui_hall, qtbot):
    from hall.store.status_models import NoticeSubscription
    from ui.qt import QPoint, Qt

    panel.select_service("labour")
    qtbot.waitUntil(lambda: panel.slot_model.rowCount() > 0 and panel.slot_model.rows[0].service == "labour")
    qtbot.mouseClick(panel.notice_check, Qt.MouseButton.LeftButton, pos=panel.notice_check.rect().topLeft() + QPoint(6, 6))
    assert panel.notice_check.isChecked()
    book_in_panel(qtbot, panel, "10:00", "张三", "13800138000")
    assert "已预约" in panel.status.text()
    with ui_hall.read() as s:
        subs = s.execute(select(NoticeSubscription.appointment_id, NoticeSubscription.address)).all()
    assert subs == [(panel.last_booking.id, "13800138000")]
    assert not panel.notice_check.isChecked()                # cleared for the next booking
    panel.grab().save("/tmp/fstatus-appointments.png")
