"""The service window's workspace, driven by key presses like the staff at window 3."""
from __future__ import annotations

import subprocess
import sys

import pytest

import ui.shell  # noqa: F401  (the application lends the petition desk to the windows that serve petitions)
from hall.services import queue as q
from tests.conftest import staff_actor

pytestmark = pytest.mark.usefixtures("messages")


def run_cli(db, *args: str) -> subprocess.CompletedProcess:
    """``hall-admin`` in a separate process on the same SQLite file."""
    return subprocess.run([sys.executable, "-m", "hall.cli", *args, "--db", db.url],
                          capture_output=True, text=True, timeout=60, check=True)


@pytest.fixture(autouse=True)
def no_printer(monkeypatch, tmp_path):
    """No printer at the window; a transferred visitor's ticket is saved to a temporary folder."""
    import ui.common.printing

    folder = tmp_path / "tickets"
    monkeypatch.setattr(ui.common.printing.TicketPrinter, "available_printers", lambda self: [])
    monkeypatch.setattr(ui.common.printing, "default_ticket_folder", lambda: folder)
    return folder


@pytest.fixture
def front(ui_hall):
    return staff_actor(ui_hall, "qiantai", "front-desk-1")


@pytest.fixture
def staff3(ui_hall):
    return staff_actor(ui_hall, "chuangkou3", "window-3")


@pytest.fixture
def make_desk(make_ctx, qtbot):
    from ui.window.workspace import WindowWorkspace

    made = []

    def make(window_code: str | None = "w03"):
        ctx = make_ctx("chuangkou3", window_code=window_code)
        ws = WindowWorkspace(ctx)
        qtbot.addWidget(ws)
        ws.resize(1200, 720)
        ws.show()
        ws.activateWindow()
        qtbot.waitExposed(ws)
        ctx.feed.start()
        if window_code:
            qtbot.waitUntil(lambda: ws.window_view is not None)
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.shutdown()


@pytest.fixture
def open_desk(ui_hall, staff3, make_desk):
    """Window 3, opened for the day."""
    q.open_window(ui_hall, staff3, "w03")
    return make_desk()


def press(qtbot, ws, key) -> None:
    qtbot.keyClick(ws, key)


def wait_current(qtbot, ws, status: str | None):
    if status is None:
        qtbot.waitUntil(lambda: ws.current is None and not ws._busy and not ws._loading)
    else:
        qtbot.waitUntil(lambda: ws.current is not None and ws.current.status == status
                        and not ws._busy)


def test_f2_calls_the_next_visitor_to_this_window(qtbot, ui_hall, front, open_desk):
    from ui.qt import Qt

    t = q.issue_ticket(ui_hall, front, "labour", name="张三明")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")
    stored = q.ticket(ui_hall, t.id)
    assert stored.status == "called" and stored.window == "w03"
    assert open_desk.number_label.text() == t.number
    assert open_desk.fields["name"].text() == "张三明"      # a staff surface: the full name
    assert open_desk.fields["service"].text() == "劳动仲裁"
    assert open_desk.status_chip.text() == "已叫号"
    assert t.number in open_desk.message


def test_space_calls_too(qtbot, ui_hall, front, open_desk):
    from ui.qt import Qt

    t = q.issue_ticket(ui_hall, front, "labour")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    press(qtbot, open_desk, Qt.Key.Key_Space)
    wait_current(qtbot, open_desk, "called")
    assert q.ticket(ui_hall, t.id).window == "w03"


def test_recall_start_and_finish_with_an_outcome(qtbot, ui_hall, front, open_desk):
    from ui.qt import Qt
    from ui.window.dialogs import FinishDialog

    t = q.issue_ticket(ui_hall, front, "labour", name="李四")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")

    press(qtbot, open_desk, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: q.ticket(ui_hall, t.id).recall_count == 1 and not open_desk._busy)
    assert "重呼" in open_desk.message
    kinds = [e.kind for e in q.events_since(ui_hall, 0)]
    assert kinds.count("ticket.recalled") == 1

    press(qtbot, open_desk, Qt.Key.Key_F4)
    wait_current(qtbot, open_desk, "serving")
    assert q.ticket(ui_hall, t.id).status == "serving"
    assert open_desk.status_chip.text() == "办理中"

    press(qtbot, open_desk, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: isinstance(open_desk.dialog, FinishDialog))
    dlg = open_desk.dialog
    dlg.outcome_box.setCurrentIndex(dlg.outcome_box.findData("consulted"))
    dlg.note_edit.setText("解答加班费计算问题")
    dlg.accept()
    wait_current(qtbot, open_desk, None)
    done = q.ticket(ui_hall, t.id)
    assert done.status == "finished" and done.outcome == "consulted"
    assert "咨询解答" in open_desk.message
    assert open_desk.no_ticket_label.isVisible()


def test_finish_offers_every_outcome_with_on_the_spot_preselected(qtbot, ui_hall, front, open_desk):
    from hall.domain.queue import OUTCOMES
    from ui.qt import Qt

    q.issue_ticket(ui_hall, front, "labour")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")
    press(qtbot, open_desk, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: open_desk.dialog is not None)
    box = open_desk.dialog.outcome_box
    assert [box.itemData(i) for i in range(box.count())] == list(OUTCOMES)
    assert box.currentData() == "resolved" and box.currentText() == "当场办结"
    open_desk.dialog.reject()
    qtbot.waitUntil(lambda: open_desk.dialog is None)
    assert open_desk.current.status == "called"     # cancelled: nothing changed


def test_transfer_sends_the_visitor_to_another_service_keeping_their_place(
        qtbot, ui_hall, front, open_desk):
    from ui.qt import Qt
    from ui.window.dialogs import TransferDialog

    t = q.issue_ticket(ui_hall, front, "labour", name="王五", priority="pregnant")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")
    press(qtbot, open_desk, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: isinstance(open_desk.dialog, TransferDialog))
    dlg = open_desk.dialog
    codes = [dlg.service_box.itemData(i) for i in range(dlg.service_box.count())]
    assert "labour" not in codes and "mediation" in codes    # never to the same service
    dlg.service_box.setCurrentIndex(dlg.service_box.findData("mediation"))
    dlg.reason_box.setCurrentText("需要调解")
    dlg.accept()
    wait_current(qtbot, open_desk, None)
    old = q.ticket(ui_hall, t.id)
    assert old.status == "transferred" and old.transferred_to is not None
    new = q.ticket(ui_hall, old.transferred_to)
    assert new.service == "mediation" and new.status == "waiting"
    assert new.priority_reason == "pregnant"
    assert new.number in open_desk.message and "司法调解" in open_desk.message



def test_a_transferred_visitor_gets_the_new_ticket_and_hears_the_old_number(
        qtbot, ui_hall, front, open_desk, no_printer):
    from hall.domain.speech import announcement_text, display_text
    from tests.conftest import staff_actor
    from ui.qt import Qt
    from ui.window.dialogs import TransferDialog

    t = q.issue_ticket(ui_hall, front, "labour", name="王五")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")
    press(qtbot, open_desk, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: isinstance(open_desk.dialog, TransferDialog))
    dlg = open_desk.dialog
    assert dlg.print_box.isChecked()                 # offered, on by default
    dlg.service_box.setCurrentIndex(dlg.service_box.findData("mediation"))
    dlg.accept()
    qtbot.waitUntil(lambda: open_desk.last_print is not None, timeout=10_000)
    new = q.ticket(ui_hall, q.ticket(ui_hall, t.id).transferred_to)
    assert open_desk.last_print.outcome == "saved" and open_desk.last_print.path.parent == no_printer
    assert new.number in open_desk.last_print.path.name
    assert f"原 {t.number}" in open_desk.message
    # The ticket says which number it replaces.
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(open_desk.last_print.path), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert new.number in text and f"原号 {t.number}" in text

    # Called at the mediation window: board and voice name the paper number too.
    staff4 = staff_actor(ui_hall, "tiaojie", "window-4")
    q.open_window(ui_hall, staff4, "w04")
    called = q.call_next(ui_hall, staff4, "w04")
    assert called.id == new.id
    [ev] = [e for e in q.events_since(ui_hall, 0) if e.kind == "ticket.called" and e.payload["ticket_id"] == new.id]
    assert ev.payload["was_number"] == t.number
    spoken = announcement_text(new.number, 4, ev.payload["window_name"], ev.payload["service_name"],
                               ev.payload["was_number"])
    assert spoken.startswith("请T零零一号，原L零零一号，到四号")
    assert display_text(new.number, 4, "司法调解", "司法调解", t.number).startswith(f"请 {new.number} 号（原 {t.number}）到 4号窗口")


def test_a_transferred_ticket_that_cannot_be_rendered_is_reported(qtbot, ui_hall, front, open_desk, monkeypatch):
    import ui.common.printing
    from ui.qt import Qt
    from ui.window.dialogs import TransferDialog

    def no_font(self, *args, **kwargs):
        raise OSError("缺少中文字体")

    monkeypatch.setattr(ui.common.printing.TicketPrinter, "render", no_font)
    t = q.issue_ticket(ui_hall, front, "labour")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")
    press(qtbot, open_desk, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: isinstance(open_desk.dialog, TransferDialog))
    dlg = open_desk.dialog
    dlg.service_box.setCurrentIndex(dlg.service_box.findData("mediation"))
    dlg.accept()
    qtbot.waitUntil(lambda: "号票无法生成" in open_desk.message, timeout=10_000)
    new = q.ticket(ui_hall, q.ticket(ui_hall, t.id).transferred_to)
    # The transfer stands; the desk says why there is no paper, in the words of the error.
    assert open_desk.message == f"新号 {new.number} 的号票无法生成：缺少中文字体"
    assert open_desk.message_kind == "error"
    assert open_desk.last_print is not None and open_desk.last_print.outcome == "failed"


def test_the_transfer_can_go_without_printing(qtbot, ui_hall, front, open_desk, no_printer):
    from ui.qt import Qt
    from ui.window.dialogs import TransferDialog

    q.issue_ticket(ui_hall, front, "labour")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")
    press(qtbot, open_desk, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: isinstance(open_desk.dialog, TransferDialog))
    dlg = open_desk.dialog
    qtbot.mouseClick(dlg.print_box, Qt.MouseButton.LeftButton)
    assert not dlg.print_box.isChecked()
    dlg.accept()
    wait_current(qtbot, open_desk, None)
    qtbot.wait(300)
    assert open_desk.last_print is None and not no_printer.exists()


def test_no_show(qtbot, ui_hall, front, open_desk):
    from ui.qt import Qt

    t = q.issue_ticket(ui_hall, front, "labour")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")
    press(qtbot, open_desk, Qt.Key.Key_F7)
    wait_current(qtbot, open_desk, None)
    assert q.ticket(ui_hall, t.id).status == "no_show"
    assert "过号" in open_desk.message


def test_pause_and_resume_with_f9(qtbot, ui_hall, front, open_desk):
    from ui.qt import Qt

    def state():
        return next(w.state for w in q.queue_snapshot(ui_hall).windows if w.code == "w03")

    q.issue_ticket(ui_hall, front, "labour")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1 and open_desk.call_button.isEnabled())
    press(qtbot, open_desk, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: open_desk.window_view.state == "paused" and not open_desk._busy)
    assert state() == "paused"
    assert not open_desk.call_button.isEnabled()
    assert open_desk.state_badge.text().endswith("暂停")
    press(qtbot, open_desk, Qt.Key.Key_F2)             # paused: F2 does nothing
    assert open_desk.current is None and not open_desk._busy
    press(qtbot, open_desk, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: open_desk.window_view.state == "open" and open_desk.call_button.isEnabled())
    assert state() == "open"


def test_opening_a_closed_window_and_closing_it(qtbot, ui_hall, make_desk):
    from ui.qt import Qt

    ws = make_desk()
    assert ws.window_view.state == "closed"
    assert not ws.call_button.isEnabled() and ws.open_button.text() == "开启窗口"
    qtbot.mouseClick(ws.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.window_view.state == "open" and ws.call_button.isEnabled())
    assert ws.open_button.text() == "关闭窗口"
    ws.toggle_open()
    qtbot.waitUntil(lambda: ws.window_view.state == "closed" and not ws._busy)


def test_a_pause_from_another_process_is_explained_inline(qtbot, ui_hall, front, open_desk, messages):
    """The desk still shows the window open (no refresh yet) when the office pauses it."""
    from ui.qt import Qt

    q.issue_ticket(ui_hall, front, "labour")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1 and open_desk.call_button.isEnabled())
    open_desk.ctx.feed.stop()                      # the news has not reached this desk yet
    run_cli(ui_hall, "window", "paused", "--window", "w03")
    press(qtbot, open_desk, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: open_desk.message_kind == "error" and not open_desk._busy)
    assert "3号窗口未开启" in open_desk.message and "暂停" in open_desk.message
    assert open_desk.message_label.isVisible()
    assert "Traceback" not in open_desk.message
    assert messages == []                            # inline, no dialog
    qtbot.waitUntil(lambda: open_desk.window_view.state == "paused")   # and the desk caught up


def test_a_visitor_already_handled_elsewhere_is_explained_inline(qtbot, ui_hall, front, open_desk,
                                                                   messages):
    from ui.qt import Qt

    t = q.issue_ticket(ui_hall, front, "labour")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")
    open_desk.ctx.feed.stop()
    run_cli(ui_hall, "ticket", "no-show", "--ticket", str(t.id))
    press(qtbot, open_desk, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: open_desk.message_kind == "error")
    assert t.number in open_desk.message and "过号" in open_desk.message
    assert messages == []
    wait_current(qtbot, open_desk, None)


def test_two_windows_calling_at_once_never_share_a_visitor(qtbot, ui_hall, front, open_desk):
    """Another window claims the only ticket first: this desk gets nobody, says so."""
    from ui.qt import Qt

    q.issue_ticket(ui_hall, front, "general")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    open_desk.ctx.feed.stop()
    other = staff_actor(ui_hall, "chuangkou1", "window-1")
    q.open_window(ui_hall, other, "w01")
    assert q.call_next(ui_hall, other, "w01") is not None
    press(qtbot, open_desk, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: open_desk.message == "当前没有等候的群众" and not open_desk._busy)
    assert open_desk.current is None


def test_nobody_waiting(qtbot, open_desk):
    qtbot.waitUntil(lambda: open_desk.empty_label.isVisible())
    assert open_desk.empty_label.text() == "当前没有等候的群众"
    assert open_desk.queue_count.text() == "共 0 人等候"


def test_waiting_list_is_in_call_order_and_follows_the_front_desk_live(
        qtbot, ui_hall, front, clock, open_desk, qtmodeltester):
    a = q.issue_ticket(ui_hall, front, "labour", name="赵一")
    clock.advance(minutes=1)
    b = q.issue_ticket(ui_hall, front, "general", name="钱二")
    clock.advance(minutes=1)
    c = q.issue_ticket(ui_hall, front, "labour", name="孙三", priority="elderly")
    clock.advance(minutes=1)
    q.issue_ticket(ui_hall, front, "housing", name="不在本窗口")   # w03 does not serve housing
    expected = [t.number for t in q.waiting_for_window(ui_hall, "w03")]
    assert expected[0] == c.number
    qtbot.waitUntil(lambda: [t.number for t in open_desk.waiting] == expected)
    model = open_desk.model
    assert [model.data(model.index(r, 1)) for r in range(model.rowCount())] == expected
    assert model.data(model.index(0, 0)) == "1"
    assert model.data(model.index(0, 3)) == "70岁以上老人"
    assert {a.number, b.number} <= set(expected)
    assert open_desk.queue_count.text() == "共 3 人等候"
    qtmodeltester.check(model)


def test_waited_time_ticks(qtbot, ui_hall, front, clock, open_desk):
    from ui.qt import Qt

    q.issue_ticket(ui_hall, front, "labour")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 1)
    clock.advance(minutes=12, seconds=5)
    qtbot.waitUntil(lambda: open_desk.model.data(open_desk.model.index(0, 6)) == "12分05秒", timeout=3000)
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")
    clock.advance(seconds=30)
    qtbot.waitUntil(lambda: open_desk.fields["waited"].text() == "12分35秒", timeout=3000)
    assert open_desk.fields["served"].text() == "未开始"


def test_buttons_follow_the_ticket_state(qtbot, ui_hall, front, open_desk):
    from ui.qt import Qt

    ws = open_desk

    def enabled():
        return {name for name in ("call", "recall", "start", "transfer", "no_show", "finish")
                if getattr(ws, name + "_button").isEnabled()}

    q.issue_ticket(ui_hall, front, "labour")
    qtbot.waitUntil(lambda: len(ws.waiting) == 1)
    assert enabled() == {"call"}
    press(qtbot, ws, Qt.Key.Key_F2)
    wait_current(qtbot, ws, "called")
    assert enabled() == {"recall", "start", "transfer", "no_show", "finish"}
    assert not ws.open_button.isEnabled()          # cannot close with a visitor at the window
    press(qtbot, ws, Qt.Key.Key_F4)
    wait_current(qtbot, ws, "serving")
    assert enabled() == {"transfer", "finish"}


def test_a_computer_without_a_window_asks_which_window_it_is(qtbot, ui_hall, make_desk):
    ws = make_desk(window_code=None)
    assert ws.pages.currentWidget() is ws.chooser
    qtbot.waitUntil(lambda: ws.window_box.count() >= 10)
    chosen = []
    ws.window_chosen.connect(chosen.append)
    ws.window_box.setCurrentIndex(ws.window_box.findData("w03"))
    ws.choose_button.click()
    assert ws.ctx.workstation.window_code == "w03" and chosen == ["w03"]
    assert ws.pages.currentWidget() is ws.desk
    qtbot.waitUntil(lambda: ws.window_view is not None and ws.window_view.code == "w03")
    assert ws.title_label.text() == "3号窗口 · 劳动仲裁"


def test_the_petition_window_shows_the_petition_clocks(qtbot, ui_hall, clock, make_ctx, make_desk):
    import datetime as dt

    from hall.services import petitions as pet
    from tests.service.test_petitions import PETITION
    from ui.window.workspace import WindowWorkspace

    window2 = staff_actor(ui_hall, "chuangkou2", "window-2")
    clock.set_local(dt.datetime(2026, 11, 2, 9, 0))
    p = pet.register_petition(ui_hall, window2, PETITION)
    pet.decide_acceptance(ui_hall, window2, p.id, "accept")
    clock.set_local(dt.datetime(2026, 11, 23, 9, 0))

    plain = make_desk("w03")                       # window 3 does not serve petitions
    qtbot.waitUntil(lambda: plain._loaded_once)
    assert plain.petition_panel is None

    ctx = make_ctx("chuangkou2", window_code="w02")
    ws = WindowWorkspace(ctx)
    qtbot.addWidget(ws)
    ws.resize(1200, 820)
    ws.show()
    qtbot.waitExposed(ws)
    try:
        qtbot.waitUntil(lambda: ws.petition_panel is not None and ws.petition_panel.model.rowCount() == 1)
        assert "petition" in ws.window_view.services
        panel = ws.petition_panel
        assert panel.isVisible() and panel.model.rows[0][0].number == p.number
        ws.petition_toggle.click()                 # collapses
        assert not panel.isVisible() and ws.petition_toggle.isVisible()
        ws.petition_toggle.click()
        assert panel.isVisible()
    finally:
        ws.shutdown()

    # Where petitions are one service among others (window 1), the panel starts
    # folded so the current visitor keeps its room.
    general = make_desk("w01")
    qtbot.waitUntil(lambda: general.petition_toggle is not None)
    assert general.petition_toggle.isVisible() and not general.petition_toggle.isChecked()
    assert not general.petition_panel.isVisible()


def test_calling_a_chosen_ticket_out_of_order_needs_a_reason(qtbot, ui_hall, front, open_desk):
    from ui.qt import Qt
    from ui.window.dialogs import CallChosenDialog

    a = q.issue_ticket(ui_hall, front, "labour", name="赵一")
    b = q.issue_ticket(ui_hall, front, "labour", name="钱二")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 2 and open_desk.chosen_button.isEnabled())
    open_desk.table.selectRow(1)
    assert open_desk.selected_waiting().id == b.id
    qtbot.mouseClick(open_desk.chosen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(open_desk.dialog, CallChosenDialog))
    dlg = open_desk.dialog
    ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
    assert not ok.isEnabled()                       # no reason, no call
    dlg.reason_box.setCurrentText("当事人身体不适")
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    wait_current(qtbot, open_desk, "called")
    assert open_desk.current.id == b.id and "当事人身体不适" in open_desk.message
    assert q.ticket(ui_hall, a.id).status == "waiting"


def test_a_no_show_who_comes_back_is_put_back_in_the_queue(qtbot, ui_hall, front, open_desk, clock):
    from ui.qt import Qt
    from ui.window.dialogs import ReturnedDialog

    a = q.issue_ticket(ui_hall, front, "labour", name="赵一")
    q.issue_ticket(ui_hall, front, "labour", name="钱二")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 2)
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")
    press(qtbot, open_desk, Qt.Key.Key_F7)          # 过号
    wait_current(qtbot, open_desk, None)
    clock.advance(minutes=5)
    qtbot.mouseClick(open_desk.returned_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(open_desk.dialog, ReturnedDialog))
    dlg = open_desk.dialog
    assert dlg.ticket_box.count() == 1 and dlg.ticket_id == a.id
    dlg.accept()
    qtbot.waitUntil(lambda: q.ticket(ui_hall, a.id).status == "waiting")
    qtbot.waitUntil(lambda: [t.id for t in open_desk.waiting][:1] == [a.id])   # their old place
    assert "已重新排队" in open_desk.message


def test_holding_the_current_and_a_waiting_visitor_and_taking_them_back(qtbot, ui_hall, front, open_desk, clock):
    from ui.qt import Qt
    from ui.window.dialogs import HoldDialog, UnholdDialog

    a = q.issue_ticket(ui_hall, front, "labour", name="赵一", priority="elderly")
    clock.advance(minutes=1)
    b = q.issue_ticket(ui_hall, front, "labour", name="钱二")
    clock.advance(minutes=1)
    c = q.issue_ticket(ui_hall, front, "labour", name="孙三")
    qtbot.waitUntil(lambda: len(open_desk.waiting) == 3)
    assert not open_desk.unhold_button.isEnabled()
    press(qtbot, open_desk, Qt.Key.Key_F2)
    wait_current(qtbot, open_desk, "called")
    assert open_desk.current.id == a.id
    press(qtbot, open_desk, Qt.Key.Key_F5)                      # hold the one at the window
    qtbot.waitUntil(lambda: isinstance(open_desk.dialog, HoldDialog))
    dlg = open_desk.dialog
    ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
    assert not ok.isEnabled()                                   # no reason, no hold
    dlg.reason_box.setCurrentIndex(1)                           # 回去取材料
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    wait_current(qtbot, open_desk, None)
    qtbot.waitUntil(lambda: len(open_desk.held) == 1 and open_desk.unhold_button.isEnabled())
    assert "已挂起" in open_desk.message and q.ticket(ui_hall, a.id).status == "on_hold"
    assert [t.id for t in open_desk.waiting] == [b.id, c.id]
    assert open_desk.unhold_button.text() == "取消挂起（1）…"

    open_desk.table.selectRow(1)                                # hold a waiting one: C
    qtbot.mouseClick(open_desk.hold_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(open_desk.dialog, HoldDialog))
    assert open_desk.dialog.ticket.id == c.id
    open_desk.dialog.reason_box.setCurrentText("等家属来")
    qtbot.mouseClick(open_desk.dialog.buttons.button(dlg.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(open_desk.held) == 2 and not open_desk._busy)
    assert [t.id for t in open_desk.waiting] == [b.id]

    qtbot.mouseClick(open_desk.unhold_button, Qt.MouseButton.LeftButton)   # A is back
    qtbot.waitUntil(lambda: isinstance(open_desk.dialog, UnholdDialog))
    box = open_desk.dialog.ticket_box
    assert box.count() == 2 and "回去取材料" in box.itemText(0)
    box.setCurrentIndex(box.findData(a.id))
    qtbot.mouseClick(open_desk.dialog.buttons.button(dlg.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(open_desk.held) == 1 and not open_desk._busy)
    assert "已恢复排队，前面 0 人" in open_desk.message
    qtbot.waitUntil(lambda: [t.id for t in open_desk.waiting] == [a.id, b.id])   # their old place and priority
    qtbot.waitUntil(lambda: open_desk.call_button.isEnabled())
    qtbot.mouseClick(open_desk.call_button, Qt.MouseButton.LeftButton)
    wait_current(qtbot, open_desk, "called")
    assert open_desk.current.id == a.id
    open_desk.resize(1366, 768)
    open_desk.grab().save("/tmp/i15-hold.png")
