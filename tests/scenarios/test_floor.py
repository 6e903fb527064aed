"""A morning on the hall floor: the front desk, two windows and the call board at once.

A pregnant worker owed two months' wages takes a ticket for labour
arbitration. Window 3 calls her with F2; the board shows 张*明 and says
"请L零零一号，到三号劳动仲裁窗口办理。". She is not there: window 3 recalls.
She arrives, the clerk hears a mediation is the better first step and
transfers her; window 4 (司法调解) calls her next, ahead of those who came
after her, and finishes the visit.
"""
from __future__ import annotations

import pytest

from hall.services import queue as q
from tests.conftest import staff_actor
from tests.ui.test_board import FakeSpeech, make_announcer

pytestmark = pytest.mark.usefixtures("messages")


@pytest.fixture
def floor(ui_hall, make_ctx, qtbot):
    from ui.board.callboard import CallBoard
    from ui.window.workspace import WindowWorkspace

    board = CallBoard(ui_hall, announcer=make_announcer(FakeSpeech()))
    qtbot.addWidget(board)
    board.resize(1366, 768)
    board.show()
    desks = {}
    for user, code in (("chuangkou3", "w03"), ("tiaojie", "w04")):
        ctx = make_ctx(user, window_code=code)
        ws = WindowWorkspace(ctx)
        qtbot.addWidget(ws)
        ws.show()
        ctx.feed.start()
        qtbot.waitUntil(lambda ws=ws: ws.window_view is not None)
        desks[code] = ws
    yield board, desks
    for ws in desks.values():
        ws.shutdown()
    board.shutdown()


def press(qtbot, ws, key) -> None:
    """Press a key at that window's computer (its window has the focus)."""
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow)
    qtbot.keyClick(ws, key)


def test_a_whole_visit_from_ticket_to_finish(qtbot, ui_hall, clock, floor):
    from ui.qt import Qt

    board, desks = floor
    w3, w4 = desks["w03"], desks["w04"]
    speech = board.announcer.speech
    front = staff_actor(ui_hall, "qiantai", "front-desk-1")

    # Both windows open for the day from their own desks.
    for ws in (w3, w4):
        ws.toggle_open()
        qtbot.waitUntil(lambda ws=ws: ws.window_view.state == "open" and ws.call_button.isEnabled())

    # The front desk issues tickets (her first, then others come for mediation).
    her = q.issue_ticket(ui_hall, front, "labour", name="张三明", priority="pregnant",
                         phone="13812345678")
    assert her.number == "L001"
    clock.advance(minutes=2)
    later = q.issue_ticket(ui_hall, front, "mediation", name="李四")
    qtbot.waitUntil(lambda: [t.number for t in w3.waiting] == ["L001"])
    qtbot.waitUntil(lambda: "1 人" in [c.text() for _, c in board.count_cells])

    # Window 3 calls by key.
    clock.advance(minutes=3)
    press(qtbot, w3, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: w3.current is not None and w3.current.number == "L001")
    assert w3.fields["name"].text() == "张三明"
    assert w3.fields["priority"].text() == "孕妇"
    qtbot.waitUntil(lambda: board.current_display == "请 L001 号 到 3号窗口 劳动仲裁", timeout=5000)
    assert "张*明" in board.visible_text() and "张三明" not in board.visible_text()
    assert "13812345678" not in board.visible_text()
    qtbot.waitUntil(lambda: speech.said == ["请L零零一号，到三号劳动仲裁窗口办理。"])

    # Not there yet: recall, spoken once more, after the first finished.
    press(qtbot, w3, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: len(speech.said) == 2 and not board.announcer.busy)
    assert speech.said[1] == speech.said[0] and speech.cut_off == 0

    # She arrives; service starts; the clerk transfers her to mediation.
    press(qtbot, w3, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: w3.current is not None and w3.current.status == "serving" and not w3._busy)
    press(qtbot, w3, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: w3.dialog is not None)
    w3.dialog.service_box.setCurrentIndex(w3.dialog.service_box.findData("mediation"))
    w3.dialog.reason_box.setCurrentText("先行调解")
    w3.dialog.accept()
    qtbot.waitUntil(lambda: w3.current is None and not w3._busy)
    moved = q.ticket(ui_hall, q.ticket(ui_hall, her.id).transferred_to)
    assert moved.service == "mediation" and moved.number == "T002"   # 李四 holds T001

    # Window 4 sees her ahead of 李四, who came later, and calls her.
    qtbot.waitUntil(lambda: [t.number for t in w4.waiting][:1] == [moved.number])
    assert [t.number for t in w4.waiting] == [moved.number, later.number]
    clock.advance(minutes=1)
    press(qtbot, w4, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: w4.current is not None and w4.current.number == moved.number)
    shown = "请 T002 号（原 L001）到 4号窗口 司法调解"   # she holds the ticket printed L001
    qtbot.waitUntil(lambda: board.current_display == shown, timeout=5000)
    qtbot.waitUntil(lambda: len(speech.said) == 3 and not board.announcer.busy)
    assert speech.said[2] == "请T零零二号，原L零零一号，到四号司法调解窗口办理。"
    assert [h["number"] for h in board.history][:1] == ["L001"]

    # Served and finished at window 4 with the default outcome.
    press(qtbot, w4, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: w4.current is not None and w4.current.status == "serving" and not w4._busy)
    press(qtbot, w4, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: w4.dialog is not None)
    assert w4.dialog.outcome_box.currentText() == "当场办结"
    w4.dialog.accept()
    qtbot.waitUntil(lambda: w4.current is None and not w4._busy)
    done = q.ticket(ui_hall, moved.id)
    assert done.status == "finished" and done.outcome == "resolved"

    # The board's counts follow: only 李四 still waits.
    qtbot.waitUntil(lambda: board.total_label.text() == "共 1 人等候", timeout=5000)
    assert speech.cut_off == 0
