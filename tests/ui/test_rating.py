"""The rating panels: the visitor's code, stars, reason tags, comment → a
stored rating, at the kiosk or by a follow-up call recorded with who called;
the window never rates its own service."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hall.services import queue as q
from hall.services import satisfaction
from hall.store.centre_models import Rating
from tests.conftest import staff_actor

pytestmark = pytest.mark.usefixtures("messages")


@pytest.fixture
def finished(ui_hall):
    """A labour ticket served and finished at window 3."""
    front = staff_actor(ui_hall, "qiantai", "front-desk-1")
    staff = staff_actor(ui_hall, "chuangkou3", "window-3")
    q.open_window(ui_hall, staff, "w03")
    t = q.issue_ticket(ui_hall, front, "labour", name="张三明")
    called = q.call_next(ui_hall, staff, "w03")
    assert called.id == t.id
    q.start_service(ui_hall, staff, t.id)
    return q.finish(ui_hall, staff, t.id)


@pytest.fixture
def host(qtbot):
    from ui.qt import QWidget

    w = QWidget()
    qtbot.addWidget(w)
    w.resize(900, 560)
    yield w
    w.close()


def show(qtbot, host, panel):
    panel.resize(host.size())
    host.show()
    qtbot.waitExposed(host)
    return panel


def ratings(db):
    with db.read() as s:
        return list(s.execute(select(Rating)).scalars())


def test_a_follow_up_call_records_the_rating_with_who_called(qtbot, make_ctx, ui_hall, finished, host):
    """Another staff member calls the visitor back: the code the visitor reads
    out, the stars, stored as a follow-up call by the caller."""
    from ui.window.rating import CallRatingPanel

    code = satisfaction.rating_code(ui_hall, finished.id)
    p = show(qtbot, host, CallRatingPanel(make_ctx("qiantai"), host))
    assert not p.submit_button.isEnabled()                  # no code, no stars yet
    p.code_edit.setText(code.lower())
    assert not p.submit_button.isEnabled()                  # no stars yet
    p.form.star_buttons[5].click()
    assert p.form.rating == 5 and p.form.tag_buttons["efficient"].isVisible()
    assert not p.form.tag_buttons["wait_long"].isVisible()
    p.form.tag_buttons["efficient"].click()
    p.form.tag_buttons["clear"].click()
    p.form.comment_edit.setPlainText("讲得很清楚")
    assert "回访人" in p.findChild(type(p.status), "ratingNote").text()
    host.grab().save("/tmp/shots/call_rating.png")
    seen = []
    p.rated.connect(seen.append)
    p.submit_button.click()
    qtbot.waitUntil(lambda: p.result is not None)
    [r] = ratings(ui_hall)
    caller = staff_actor(ui_hall, "qiantai")
    assert (r.subject_type, r.subject_id, r.rating, r.channel, r.recorded_by) == (
        "ticket", finished.id, 5, "call", caller.user_id)
    assert sorted(r.tags) == ["clear", "efficient"] and r.comment == "讲得很清楚"
    assert seen and seen[0].id == r.id and seen[0].recorded_by == caller.display_name
    assert finished.number in p.status.text() and p.code_edit.text() == "" and p.form.rating == 0


def test_the_caller_cannot_rate_their_own_service(qtbot, make_ctx, ui_hall, finished, host, messages):
    """chuangkou3 served the visit: their follow-up call's rating is refused
    inline, and what they typed stays."""
    from ui.window.rating import CallRatingPanel

    code = satisfaction.rating_code(ui_hall, finished.id)
    p = show(qtbot, host, CallRatingPanel(make_ctx("chuangkou3", window_code="w03"), host))
    p.code_edit.setText(code)
    p.form.star_buttons[4].click()
    p.form.tag_buttons["efficient"].click()
    p.form.star_buttons[2].click()                          # changed mind: good tags dropped
    assert not p.form.tag_buttons["efficient"].isChecked() and p.form.tag_buttons["wait_long"].isVisible()
    p.submit_button.click()
    qtbot.waitUntil(lambda: p.last_error != "")
    assert "不能评价自己提供的服务" in p.status.text() and p.status.property("state") == "error"
    assert ratings(ui_hall) == [] and messages == []
    assert p.code_edit.text() == code and p.form.rating == 2 and p.submit_button.isEnabled()


def test_unfinished_ticket_refused_inline(qtbot, make_ctx, ui_hall, host, messages):
    from ui.window.rating import CallRatingPanel

    t = q.issue_ticket(ui_hall, staff_actor(ui_hall, "qiantai"), "labour")
    p = show(qtbot, host, CallRatingPanel(make_ctx("qiantai"), host))
    p.code_edit.setText(satisfaction.rating_code(ui_hall, t.id))
    p.form.star_buttons[3].click()
    p.submit_button.click()
    qtbot.waitUntil(lambda: p.last_error != "")
    assert "尚未办结" in p.status.text() and p.status.property("state") == "error"
    assert ratings(ui_hall) == [] and messages == []
    assert p.submit_button.isEnabled()                     # may try again later


def test_kiosk_rates_by_code(qtbot, ui_hall, finished, host):
    from ui.window.rating import KioskRatingPanel

    code = satisfaction.rating_code(ui_hall, finished.id)
    p = show(qtbot, host, KioskRatingPanel(ui_hall, host))
    p.form.star_buttons[1].click()
    assert not p.submit_button.isEnabled()                  # no code yet
    p.code_edit.setText("ZZZZZZ")                           # well-formed, names no ticket
    p.submit_button.click()
    qtbot.waitUntil(lambda: p.last_error != "")
    assert p.status.property("state") == "error" and ratings(ui_hall) == []
    p.code_edit.setText(code.lower())
    p.form.tag_buttons["runaround"].click()
    host.grab().save("/tmp/shots/kiosk_rating.png")
    p.submit_button.click()
    qtbot.waitUntil(lambda: p.result is not None)
    [r] = ratings(ui_hall)
    assert (r.subject_id, r.rating, r.channel, r.tags) == (finished.id, 1, "kiosk", ["runaround"])
    assert finished.number not in p.status.text() and "感谢" in p.status.text()
    assert p.code_edit.text() == "" and p.form.rating == 0  # ready for the next visitor
    # the same code again: rated once only
    p.code_edit.setText(code)
    p.form.star_buttons[5].click()
    p.last_error = ""
    p.submit_button.click()
    qtbot.waitUntil(lambda: p.last_error != "")
    assert "已经评价过" in p.status.text() and len(ratings(ui_hall)) == 1


def test_the_window_desk_has_no_rating_of_its_own_service(qtbot, make_ctx, ui_hall):
    """After 办结 the desk tells the visitor to rate at the kiosk with their code
    (no stars to enter); 记录回访评价 opens the follow-up call's panel in a
    window beside the desk (not modal: the next visitor can be called meanwhile), and a visit served at
    another window is recorded with this staff member as the caller."""
    from ui.qt import QPushButton, Qt
    from ui.window.dialogs import FinishDialog
    from ui.window.rating import CallRatingPanel
    from ui.window.workspace import WindowWorkspace

    front = staff_actor(ui_hall, "qiantai", "front-desk-1")
    other = staff_actor(ui_hall, "chuangkou1", "window-1")
    q.open_window(ui_hall, other, "w01")
    elsewhere = q.issue_ticket(ui_hall, front, "general", name="赵六")
    assert q.call_next(ui_hall, other, "w01").id == elsewhere.id
    q.finish(ui_hall, other, elsewhere.id)
    staff = staff_actor(ui_hall, "chuangkou3", "window-3")
    q.open_window(ui_hall, staff, "w03")
    t = q.issue_ticket(ui_hall, front, "labour", name="李四")
    t2 = q.issue_ticket(ui_hall, front, "labour", name="王五")
    ctx = make_ctx("chuangkou3", window_code="w03")
    ws = WindowWorkspace(ctx)
    qtbot.addWidget(ws)
    ws.resize(1366, 768)
    ws.show()
    ws.activateWindow()
    qtbot.waitExposed(ws)
    ctx.feed.start()
    qtbot.waitUntil(lambda: ws.window_view is not None and len(ws.waiting) == 2)
    assert not ws.rate_bar.isVisible()
    qtbot.keyClick(ws, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: ws.current is not None and ws.current.id == t.id and not ws._busy)
    qtbot.keyClick(ws, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: isinstance(ws.dialog, FinishDialog))
    ws.dialog.accept()
    qtbot.waitUntil(lambda: ws.rate_bar.isVisible() and not ws._busy)
    assert t.number in ws.rate_label.text() and "自助评价机" in ws.rate_label.text()
    assert [b.text() for b in ws.rate_bar.findChildren(QPushButton)] == ["知道了"]   # no stars to enter
    ws.grab().save("/tmp/shots/window_after_finish.png")
    ws.rate_dismiss.click()
    assert not ws.rate_bar.isVisible()
    ws.call_rating_button.click()
    panel = ws.rating_panel
    assert isinstance(panel, CallRatingPanel) and panel.window().parent() is ws and panel.isVisible()
    assert not panel.window().isModal()
    ws.activateWindow()
    qtbot.waitUntil(lambda: ws.isActiveWindow() and ws.call_button.isEnabled() and not ws._loading)
    qtbot.keyClick(ws, Qt.Key.Key_F2)                       # not blocked by the panel
    qtbot.waitUntil(lambda: ws.current is not None and ws.current.id == t2.id and not ws._busy)
    panel.code_edit.setText(satisfaction.rating_code(ui_hall, t.id))   # own service: refused
    panel.form.star_buttons[5].click()
    panel.submit_button.click()
    qtbot.waitUntil(lambda: panel.last_error != "")
    assert "不能评价自己" in panel.status.text() and ratings(ui_hall) == []
    panel.code_edit.setText(satisfaction.rating_code(ui_hall, elsewhere.id))
    panel.form.star_buttons[4].click()
    panel.window().grab().save("/tmp/shots/window_call_rating.png")
    panel.submit_button.click()
    qtbot.waitUntil(lambda: panel.result is not None)
    [r] = ratings(ui_hall)
    assert (r.subject_id, r.rating, r.channel, r.recorded_by) == (elsewhere.id, 4, "call", staff.user_id)
    assert "已记录回访评价" in ws.message
    panel.skip_button.click()                               # 关闭
    assert ws.rating_panel is None and ws.call_rating_button.isEnabled()
    ws.shutdown()


def test_the_kiosk_starts_without_signing_in(ui_hall, qtbot):
    from ui.app import Boot, Launcher, parse_args
    from ui.common.settings import Settings
    from ui.window.rating import KioskRatingPanel

    assert parse_args(["--kiosk"]).kiosk
    launcher = Launcher(Boot(ui_hall, "argument"), Settings())
    launcher.show_kiosk()
    assert isinstance(launcher.board, KioskRatingPanel) and launcher.login is None
    done = []
    launcher.finished.connect(done.append)
    launcher.board.close()
    assert done == [0]


def test_the_kiosk_returns_to_its_welcome_after_a_rating_and_when_idle(qtbot, ui_hall, finished, host):
    from ui.window.rating import KioskRatingPanel

    p = show(qtbot, host, KioskRatingPanel(ui_hall, host))
    assert (p.IDLE_RESET_MS, p.THANKS_MS) == (30_000, 5_000)
    p.idle.setInterval(80)
    p.thanks.setInterval(80)
    # a visitor types a code and a star, then walks away
    qtbot.keyClicks(p.code_edit, "abcdef")
    p.form.star_buttons[4].click()
    assert p.idle.isActive()
    qtbot.waitUntil(lambda: p.code_edit.text() == "" and p.form.rating == 0, timeout=3000)
    assert "请输入评价码" in p.status.text()
    # after a rating: thanks, then the welcome state
    code = satisfaction.rating_code(ui_hall, finished.id)
    qtbot.keyClicks(p.code_edit, code)
    p.form.star_buttons[5].click()
    p.submit_button.click()
    qtbot.waitUntil(lambda: p.result is not None)
    assert "感谢" in p.status.text() and p.thanks.isActive()
    qtbot.waitUntil(lambda: "请输入评价码" in p.status.text(), timeout=3000)
    assert code not in p.status.text() and p.code_edit.text() == "" and p.form.rating == 0
