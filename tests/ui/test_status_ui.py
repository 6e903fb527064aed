"""The director's promised-against-actual tab and the admin's status and notices page."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hall.services import notices, queue, status
from hall.store.status_models import OutboxMessage
from tests.conftest import staff_actor

pytestmark = pytest.mark.usefixtures("messages")


@pytest.fixture
def served(ui_hall, clock, admin):
    """Four general tickets, all called: three within their promise, one late."""
    front, window = staff_actor(ui_hall, "qiantai"), staff_actor(ui_hall, "chuangkou1")
    queue.open_window(ui_hall, admin, "w01")
    status.forget_service_times()
    for _ in range(4):
        queue.issue_ticket(ui_hall, front, "general", phone="13812345678", notice_consent=True)
    for _ in range(4):
        queue.finish(ui_hall, window, queue.call_next(ui_hall, window, "w01").id)
        clock.advance(minutes=40)
    return ui_hall


def test_the_director_sees_how_often_the_promise_held(qtbot, qtmodeltester, served, make_ctx):
    from ui.centre.director import DirectorWorkspace

    ws = DirectorWorkspace(make_ctx("zhuren"))
    qtbot.addWidget(ws)
    ws.resize(1280, 800)
    ws.show()
    qtbot.waitUntil(lambda: not ws._loading)
    index = ws.tabs.indexOf(ws.promise_widget)
    assert ws.tabs.tabText(index) == "等候承诺"
    ws.tabs.setCurrentIndex(index)
    w = ws.promise_widget
    qtbot.waitUntil(lambda: w.model.rowCount() == 1, timeout=5000)
    qtmodeltester.check(w.model)
    [row] = w.rows
    assert row.service == "general" and row.estimated == 4 and row.later >= 1
    assert "共 4 个号" in w.summary.text()
    ws.grab().save("/tmp/fstatus-director.png")
    w.period.setCurrentIndex(0)   # today only: the same tickets
    qtbot.waitUntil(lambda: "共 4 个号" in w.summary.text(), timeout=5000)
    ws.shutdown()


@pytest.fixture
def status_page(make_ctx, qtbot):
    from ui.centre.admin import AdminWorkspace
    from ui.common.ops import wait_all

    ws = AdminWorkspace(make_ctx("admin"))
    qtbot.addWidget(ws)
    ws.resize(1280, 800)
    ws.show()
    page = ws.open_page("status")
    yield page
    ws.shutdown()
    wait_all()


def test_the_admin_turns_the_page_off_and_sets_the_qr_address(qtbot, ui_hall, status_page):
    page = status_page
    qtbot.waitUntil(lambda: page.url_edit.text() == status.DEFAULT_BASE_URL and page.enabled_check.isChecked())
    page.url_edit.setText("192.168.1.5")
    qtbot.mouseClick(page.save_button, __import__("ui.qt", fromlist=["Qt"]).Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.kind == "error")
    assert "http://" in page.message_text and page.url_edit.text() == "192.168.1.5"   # kept
    page.url_edit.setText("http://192.168.1.5:8080")
    page.enabled_check.setChecked(False)
    assert page.near_spin.value() == status.DEFAULT_NEAR
    page.near_spin.setValue(5)
    page.save()
    qtbot.waitUntil(lambda: not status.is_enabled(ui_hall))
    with ui_hall.read() as s:
        assert status.base_url(s) == "http://192.168.1.5:8080"
    assert status.near_threshold_of(ui_hall) == 5


def test_the_admin_retries_a_dead_letter_and_announces_an_early_close(qtbot, ui_hall, status_page, admin):
    front = staff_actor(ui_hall, "qiantai")
    queue.issue_ticket(ui_hall, front, "general", phone="13812345678", notice_consent=True)
    [msg] = notices.claim_due(ui_hall, ["sms"])
    notices.mark_failed(ui_hall, msg.id, "网关拒绝（HTTP 400）", permanent=True)
    page = status_page
    page.reload()
    qtbot.waitUntil(lambda: page.dead_model.rowCount() == 1)
    assert page.dead_model.row_at(0).address == "138****5678"
    page.retry_button.click()
    qtbot.waitUntil(lambda: page.message.kind == "error")     # nothing selected yet
    page.dead_view.selectRow(0)
    page.retry_button.click()
    qtbot.waitUntil(lambda: page.dead_model.rowCount() == 0)
    page.grab().save("/tmp/fstatus-admin.png")
    page.close_button.click()
    qtbot.waitUntil(lambda: page.message.kind == "error" and "原因" in page.message_text)
    page.close_reason.setText("停电检修")
    page.close_button.click()
    qtbot.waitUntil(lambda: "已通知 1 位" in page.message_text)
    with ui_hall.read() as s:
        kinds = s.execute(select(OutboxMessage.kind, OutboxMessage.state).order_by(OutboxMessage.id)).all()
    assert kinds == [("issued", "pending"), ("early_close", "pending")]


def test_the_director_sees_the_windows_to_open_tomorrow(qtbot, qtmodeltester, ui_hall, clock, admin, make_ctx):
    import datetime as dt

    from hall.services import staffing
    from ui.centre.director import DirectorWorkspace

    front, window = staff_actor(ui_hall, "qiantai"), staff_actor(ui_hall, "chuangkou1")
    clock.set_local(dt.datetime(2026, 11, 17, 10, 0))          # last Tuesday: twelve walk-ins at ten
    queue.open_window(ui_hall, admin, "w01")
    for _ in range(12):
        queue.issue_ticket(ui_hall, front, "general")
        clock.advance(minutes=2)
    for _ in range(12):
        t = queue.call_next(ui_hall, window, "w01")
        queue.start_service(ui_hall, window, t.id)
        clock.advance(minutes=10)
        queue.finish(ui_hall, window, t.id)
    clock.set_local(dt.datetime(2026, 11, 23, 9, 0))
    staffing.set_target_wait(ui_hall, admin, 5)
    status.forget_service_times()

    ws = DirectorWorkspace(make_ctx("zhuren"))
    qtbot.addWidget(ws)
    ws.resize(1280, 900)
    ws.show()
    qtbot.waitUntil(lambda: not ws._loading)
    ws.tabs.setCurrentIndex(ws.tabs.indexOf(ws.promise_widget))
    w = ws.promise_widget.staffing
    qtbot.waitUntil(lambda: w.model.rowCount() >= 1, timeout=5000)
    qtmodeltester.check(w.model)
    rows = {(r.service, r.hour): r for r in w.plan.rows}
    ten = rows[("general", 10)]
    # twelve an hour of ten minutes each, 80 % within five minutes: three windows (4/9 wait at all, ≤ 4 min)
    assert ten.arrivals == 12 and ten.windows == 3
    texts = [w.model.index(r, c).data() for r in range(w.model.rowCount()) for c in range(7)]
    assert "10:00–11:00" in texts and "3" in texts
    assert "明日开窗建议（11月24日 星期二）" == w.heading.text()
    assert "目标：八成来访人 5 分钟内叫号" in w.summary.text() and "最忙时段" in w.summary.text()
    qtbot.wait(100)                                            # let the heading lay out again
    ws.grab().save("/tmp/fstatus-staffing.png")
    ws.shutdown()
