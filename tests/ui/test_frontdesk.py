"""The front desk, driven like the clerk drives it: typing, clicking, shortcuts.

Chinese text reaches a field the way an input method delivers it (a commit
string); digits and pinyin are typed key by key. Printing never shows a
dialog here: there is no printer, so tickets are saved as PDF files in a
temporary folder.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hall.services import queue as q
from hall.store.models import Ticket, Visitor
from tests.conftest import staff_actor

pytestmark = pytest.mark.usefixtures("messages")

ELDER_ID = "11010519491231002X"       # born 1949-12-31: 76 on the test day
YOUNG_ID = "33010619850612231X"


@pytest.fixture(autouse=True)
def no_printer(monkeypatch, tmp_path):
    """No printer on this computer; saved tickets go to a temporary folder."""
    import ui.common.printing

    folder = tmp_path / "tickets"
    monkeypatch.setattr(ui.common.printing.TicketPrinter, "available_printers", lambda self: [])
    monkeypatch.setattr(ui.common.printing, "default_ticket_folder", lambda: folder)
    return folder


@pytest.fixture
def make_desk(make_ctx, qtbot):
    from ui.frontdesk.workspace import FrontDeskWorkspace

    made = []

    def make(username: str = "qiantai"):
        ws = FrontDeskWorkspace(make_ctx(username))
        qtbot.addWidget(ws)
        ws.resize(1366, 720)
        ws.show()
        qtbot.waitExposed(ws)
        activate(qtbot, ws)
        qtbot.waitUntil(lambda: len(ws.service_buttons) == 10 and ws.snapshot is not None)
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.shutdown()


@pytest.fixture
def desk(make_desk):
    return make_desk()


def activate(qtbot, ws) -> None:
    """Make ``ws`` the active window: shortcuts only work there."""
    ws.activateWindow()
    qtbot.waitUntil(ws.isActiveWindow)


def type_into(qtbot, widget, text: str) -> None:
    """Type ``text``: ASCII key by key, Chinese as an input method commits it."""
    from ui.qt import QApplication, QInputMethodEvent

    widget.setFocus()
    run = ""
    for ch in text + "\0":
        if ch != "\0" and ch.isascii() == (run.isascii() if run else ch.isascii()):
            run += ch
            continue
        if run.isascii():
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)
        run = ch


def tickets(db) -> list[Ticket]:
    with db.read() as s:
        return list(s.execute(select(Ticket).order_by(Ticket.id)).scalars())


def count(db, model) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def click(qtbot, button) -> None:
    from ui.qt import Qt

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_printed(qtbot, ws):
    qtbot.waitUntil(lambda: ws.last_print is not None)
    return ws.last_print


def test_clicking_a_service_issues_shows_and_prints_the_ticket_then_clears_the_panel(
        qtbot, ui_hall, desk, no_printer):
    type_into(qtbot, desk.name_edit, "张三明")
    type_into(qtbot, desk.id_edit, ELDER_ID)
    type_into(qtbot, desk.phone_edit, "138 1234 5678")
    assert desk.id_hint.state == "ok" and "76 岁" in desk.id_hint.text()
    assert desk.priority() is not None and desk.priority().value == "elderly"  # 70+: suggested at once

    with qtbot.waitSignal(desk.ticketIssued, timeout=10_000):
        click(qtbot, desk.service_buttons["labour"])
    qtbot.waitUntil(lambda: len(tickets(ui_hall)) == 1 and desk.result_number.text() == "L001")
    [t] = tickets(ui_hall)
    assert (t.number, t.priority_reason, t.note) == ("L001", "elderly", "")
    assert "已取号" in desk.result_headline.text() and "前面" in desk.result_headline.text()
    assert "张*明" in desk.result_detail.text() and "张三明" not in desk.result_detail.text()

    result = wait_printed(qtbot, desk)
    assert result.outcome == "saved" and result.path.parent == no_printer and result.path.is_file()
    assert str(result.path) in desk.print_status.text()
    assert desk.last_timing["ready_ms"] > 0 and desk.last_timing["issue_ms"] > 0
    # ready for the next visitor
    assert (desk.name_edit.text(), desk.id_edit.text(), desk.phone_edit.text()) == ("", "", "")
    assert desk.priority() is None and desk.reprint_button.isEnabled()
    assert [r.number for r in desk.recent_model.rows] == ["L001"]


def test_an_invalid_id_number_shows_the_hint_keeps_the_input_and_issues_nothing(qtbot, ui_hall, desk):
    type_into(qtbot, desk.id_edit, "11010519491331")
    assert desk.id_hint.state == "error" and desk.id_hint.text() == "出生月份不正确"
    desk.id_edit.clear()
    type_into(qtbot, desk.name_edit, "李四")
    type_into(qtbot, desk.id_edit, "110105194912310021")
    assert desk.id_hint.state == "error" and "校验位" in desk.id_hint.text()

    click(qtbot, desk.service_buttons["labour"])
    assert "未取号" in desk.result_headline.text() and "校验位" in desk.result_headline.text()
    assert desk.id_edit.text() == "110105194912310021" and desk.name_edit.text() == "李四"
    assert desk.id_edit.hasFocus()
    from ui.common.ops import wait_all

    wait_all()
    assert tickets(ui_hall) == []


def test_a_bad_phone_number_is_refused_inline(qtbot, ui_hall, desk):
    type_into(qtbot, desk.phone_edit, "1381234")
    click(qtbot, desk.service_buttons["general"])
    assert desk.phone_hint.state == "error" and desk.phone_hint.text() == "手机号码应为11位"
    assert desk.phone_edit.text() == "1381234" and tickets(ui_hall) == []


def test_pinyin_initials_find_a_returning_visitor_and_fill_the_panel(qtbot, ui_hall, desk):
    other_desk = staff_actor(ui_hall, "qiantai", "front-desk-2")
    earlier = q.issue_ticket(ui_hall, other_desk, "housing", name="张三", id_number=ELDER_ID,
                             phone="13812345678")
    q.issue_ticket(ui_hall, other_desk, "general", name="李四")

    qtbot.keyClick(desk.name_edit, "f", modifier=_ctrl())
    assert desk.lookup_edit.hasFocus()
    type_into(qtbot, desk.lookup_edit, "zs")
    qtbot.waitUntil(lambda: desk.lookup_model.rowCount() == 1 and desk.history_model.rowCount() == 1)
    hit = desk.lookup_model.rows[0]
    assert hit.name == "张三" and hit.id_number == "1*************002X" and hit.phone == "138****5678"
    assert desk.history_model.rows[0].number == earlier.number

    qtbot.keyClick(desk.lookup_edit, _key("Return"))
    assert desk.name_edit.text() == "张三" and desk.returning.isVisible()
    assert desk.id_edit.text() == "" and "1*************002X" in desk.id_edit.placeholderText()
    assert desk.stack.currentIndex() == 0 and desk.lookup_edit.text() == ""

    visitors_before = count(ui_hall, Visitor)
    with qtbot.waitSignal(desk.ticketIssued, timeout=10_000) as issued:
        click(qtbot, desk.service_buttons["mediation"])
    assert issued.args[0].visitor_id == earlier.visitor_id
    assert count(ui_hall, Visitor) == visitors_before


def test_waiting_counts_follow_tickets_issued_at_another_workstation(qtbot, ui_hall, desk):
    button = desk.service_buttons["labour"]
    assert button.waiting == 0 and button.count.text() == "无人等候"
    q.issue_ticket(ui_hall, staff_actor(ui_hall, "qiantai", "front-desk-2"), "labour")
    qtbot.waitUntil(lambda: button.waiting == 1, timeout=5_000)
    assert button.count.text() == "等候 1 人"
    assert "1" in desk.total_label.text()


def test_the_visitors_words_highlight_the_suggested_services(qtbot, ui_hall, desk):
    buttons = desk.service_buttons
    type_into(qtbot, desk.demand_edit, "邻居漏水")
    suggested = [code for code, b in buttons.items() if b.suggested]
    assert suggested == ["housing", "mediation"]
    assert buttons["housing"].badge.text() == "首选建议" and buttons["mediation"].badge.text() == "建议"
    assert "住建（漏水）" in desk.suggest_line.text()

    desk.demand_edit.clear()
    type_into(qtbot, desk.demand_edit, "拖欠工资")
    assert [code for code, b in buttons.items() if b.suggested] == ["labour"]

    with qtbot.waitSignal(desk.ticketIssued, timeout=10_000) as issued:
        qtbot.keyClick(desk.demand_edit, _key("Return"), modifier=_ctrl())
    assert issued.args[0].number == "L001"
    assert tickets(ui_hall)[0].note == "拖欠工资"
    assert not any(b.suggested for b in buttons.values())  # the panel was cleared


def test_function_keys_issue_esc_clears_and_ctrl_r_reprints(qtbot, ui_hall, desk):
    assert "F6" in desk.service_buttons["labour"].key_chip.text()
    with qtbot.waitSignal(desk.ticketIssued, timeout=10_000) as issued:
        qtbot.keyClick(desk.name_edit, _key("F6"))
    assert issued.args[0].number == "L001"
    first = wait_printed(qtbot, desk)

    with qtbot.waitSignal(desk.ticketIssued, timeout=10_000) as issued:
        qtbot.keyClick(desk.name_edit, "1", modifier=_alt())
    assert issued.args[0].number == "A001"
    wait_printed(qtbot, desk)

    with qtbot.waitSignal(desk.ticketPrinted, timeout=5_000) as printed:
        qtbot.keyClick(desk.name_edit, "r", modifier=_ctrl())
    again = printed.args[0]
    assert again.message.startswith("重打 A001") and again.path.is_file() and again.path != first.path
    assert len(tickets(ui_hall)) == 2  # reprinting issues nothing

    type_into(qtbot, desk.name_edit, "王五")
    type_into(qtbot, desk.phone_edit, "13900001111")
    qtbot.keyClick(desk.phone_edit, "2", modifier=_ctrl())   # Ctrl+2: the second priority reason
    assert desk.priority().value == "elderly"
    qtbot.keyClick(desk.phone_edit, _key("Escape"))
    assert (desk.name_edit.text(), desk.phone_edit.text(), desk.priority()) == ("", "", None)
    assert desk.result_number.text() == "A001"  # the last ticket stays on show


def test_a_ticket_that_cannot_be_printed_stays_issued_and_can_be_reprinted(
        qtbot, ui_hall, desk, monkeypatch):
    from reports.fonts import MissingGlyphError

    def no_font(*args, **kwargs):
        raise MissingGlyphError(["𠮷"])

    with monkeypatch.context() as m:
        m.setattr(desk.printer, "render", no_font)
        with qtbot.waitSignal(desk.ticketPrinted, timeout=10_000) as printed:
            click(qtbot, desk.service_buttons["petition"])
    assert printed.args[0].outcome == "failed"
    assert "未能生成" in desk.print_status.text() and "𠮷" in desk.print_status.text()
    assert desk.result_number.text() == "X001" and len(tickets(ui_hall)) == 1

    with qtbot.waitSignal(desk.ticketPrinted, timeout=10_000) as printed:
        click(qtbot, desk.reprint_button)
    assert printed.args[0].outcome == "saved" and printed.args[0].path.is_file()
    assert len(tickets(ui_hall)) == 1


def test_a_role_without_the_right_to_issue_is_told_so_inline(qtbot, ui_hall, make_desk, messages):
    director = make_desk("zhuren")
    type_into(qtbot, director.name_edit, "赵六")
    with qtbot.waitSignal(director.ticketIssued, timeout=3_000, raising=False) as issued:
        click(qtbot, director.service_buttons["general"])
    qtbot.waitUntil(lambda: "无权" in director.result_headline.text())
    assert not issued.signal_triggered and tickets(ui_hall) == []
    assert director.name_edit.text() == "赵六"


def test_every_table_model_passes_the_model_tester(qtbot, qtmodeltester, ui_hall, desk):
    q.issue_ticket(ui_hall, staff_actor(ui_hall, "qiantai", "fd2"), "labour", name="张三",
                   phone="13812345678")
    type_into(qtbot, desk.lookup_edit, "zhangsan")
    qtbot.waitUntil(lambda: desk.lookup_model.rowCount() == 1 and desk.history_model.rowCount() == 1)
    qtmodeltester.check(desk.lookup_model)
    qtmodeltester.check(desk.history_model)
    qtbot.keyClick(desk.lookup_edit, _key("Escape"))
    assert desk.stack.currentIndex() == 0
    with qtbot.waitSignal(desk.ticketIssued, timeout=10_000):
        click(qtbot, desk.service_buttons["general"])
    qtmodeltester.check(desk.recent_model)


def _key(name: str):
    from ui.qt import Qt

    return getattr(Qt.Key, f"Key_{name}")


def _ctrl():
    from ui.qt import Qt

    return Qt.KeyboardModifier.ControlModifier


def _alt():
    from ui.qt import Qt

    return Qt.KeyboardModifier.AltModifier


def test_in_december_the_out_of_season_service_is_disabled_with_its_reason_and_never_suggested(
        qtbot, ui_hall, make_desk, clock):
    import datetime as dt

    clock.set_local(dt.datetime(2026, 12, 7, 9, 30))
    desk = make_desk()
    edu = desk.service_buttons["education"]
    qtbot.waitUntil(lambda: not edu.offered)
    assert not edu.isEnabled() and edu.reason.isVisible()
    assert edu.reason.text() == "不在开放期（每年 07-01 至 09-15）"
    assert edu.count.text() == "今日不可取号" and "今日不可取号" in edu.toolTip() and "10号窗口" in edu.toolTip()
    assert desk.service_buttons["labour"].isEnabled()

    type_into(qtbot, desk.demand_edit, "孩子转学")
    assert not edu.suggested
    assert "教育今日不可取号" in desk.suggest_line.text()
    qtbot.keyClick(desk.demand_edit, _key("Return"), modifier=_ctrl())  # Ctrl+Enter: first suggestion
    assert "没有可用的建议业务" in desk.result_headline.text()
    qtbot.keyClick(desk, _key("F10"))  # the education key
    assert "今日不可取号" in desk.result_headline.text() and "07-01 至 09-15" in desk.result_headline.text()
    click(qtbot, edu)  # a disabled button does nothing
    qtbot.wait(100)
    assert tickets(ui_hall) == [] and desk.demand_edit.text() == "孩子转学"  # nothing lost


def test_in_august_the_seasonal_service_is_offered_every_year(qtbot, ui_hall, make_desk, clock):
    import datetime as dt

    clock.set_local(dt.datetime(2027, 8, 2, 9, 30))
    desk = make_desk()
    edu = desk.service_buttons["education"]
    assert edu.offered and edu.isEnabled() and not edu.reason.isVisible()
    type_into(qtbot, desk.demand_edit, "孩子转学")
    assert edu.suggested
    with qtbot.waitSignal(desk.ticketIssued, timeout=10_000) as issued:
        qtbot.keyClick(desk, _key("F10"))
    assert issued.args[0].number == "E001"


def test_duplicate_visitor_records_are_merged_from_the_lookup_list(qtbot, ui_hall, desk):
    front = staff_actor(ui_hall, "qiantai", "front-desk-1")
    for _ in range(3):
        q.issue_ticket(ui_hall, front, "general", name="张三明")
    assert count(ui_hall, Visitor) == 3
    type_into(qtbot, desk.lookup_edit, "张三明")
    qtbot.waitUntil(lambda: len(desk.lookup_model.rows) == 3, timeout=5000)
    assert not desk.merge_button.isEnabled()          # one row selected: nothing to merge
    desk.lookup_view.selectAll()
    assert desk.merge_button.isEnabled()
    click(qtbot, desk.merge_button)                   # first click says what will happen
    assert desk.merge_button.text() == "确认合并" and "将 2 条记录合并" in desk.lookup_status.text()
    assert count(ui_hall, Visitor) == 3
    click(qtbot, desk.merge_button)

    def unmerged():
        with ui_hall.read() as s:
            return [v for v in s.execute(select(Visitor)).scalars() if v.merged_into_id is None]
    qtbot.waitUntil(lambda: len(unmerged()) == 1, timeout=5000)
    assert count(ui_hall, Visitor) == 3                # the duplicates are kept, pointing to the kept one
    qtbot.waitUntil(lambda: len(desk.lookup_model.rows) == 1, timeout=5000)
    assert desk.lookup_model.rows[0].name == "张三明"
    assert {t.visitor_id for t in tickets(ui_hall)} == {desk.lookup_model.rows[0].id}


def test_a_name_that_differs_from_the_known_id_is_shown_and_the_clerk_chooses(qtbot, ui_hall, desk):
    from ui.qt import QMessageBox

    first = q.issue_ticket(ui_hall, staff_actor(ui_hall, "qiantai"), "labour", name="张三明", id_number=ELDER_ID)
    type_into(qtbot, desk.name_edit, "李四")
    type_into(qtbot, desk.id_edit, ELDER_ID)
    click(qtbot, desk.service_buttons["labour"])
    qtbot.waitUntil(lambda: desk.name_choice_box is not None and desk.name_choice_box.isVisible())
    box = desk.name_choice_box
    assert "张三明" in box.text() and "李四" in box.text() and len(tickets(ui_hall)) == 1
    box.grab().save("/tmp/arob-name-choice.png")
    # "back": nothing issued, the input is kept
    back = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole][0]
    click(qtbot, back)
    qtbot.waitUntil(lambda: desk.name_choice_box is None)
    assert len(tickets(ui_hall)) == 1 and desk.name_edit.text() == "李四" and desk.id_edit.text()
    # again, and keep the recorded name: a ticket for 张三明, nobody renamed
    click(qtbot, desk.service_buttons["labour"])
    qtbot.waitUntil(lambda: desk.name_choice_box is not None and desk.name_choice_box.isVisible())
    box = desk.name_choice_box
    keep = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole][0]
    click(qtbot, keep)
    qtbot.waitUntil(lambda: len(tickets(ui_hall)) == 2)
    with ui_hall.read() as s:
        assert s.get(Visitor, first.visitor_id).name == "张三明"
        assert tickets(ui_hall)[-1].visitor_id == first.visitor_id


def test_a_pasted_name_is_cleaned_and_cut_and_the_desk_says_so(qtbot, ui_hall, desk):
    from ui.qt import QApplication

    QApplication.clipboard().setText("张三\u202e明" + "长" * 5000)
    desk.name_edit.setFocus()
    desk.name_edit.paste()
    text = desk.name_edit.text()
    assert text.startswith("张三明") and len(text) == 64 and "\u202e" not in text
    assert desk.name_hint.state == "error" and "已截断" in desk.name_hint.text() and "已去掉 1 个" in desk.name_hint.text()
    desk.grab().save("/tmp/arob-frontdesk-paste.png")
    desk.name_edit.clear()
    type_into(qtbot, desk.name_edit, "𠮷野")
    assert desk.name_edit.text() == "𠮷野" and desk.name_hint.text() == ""


def test_the_visitors_consent_to_sms_notices_is_recorded_with_the_ticket(qtbot, ui_hall, desk):
    from sqlalchemy import select

    from hall.store.status_models import NoticeSubscription, OutboxMessage

    click(qtbot, desk.notice_check)
    click(qtbot, desk.service_buttons["labour"])           # consent but no phone: refused, kept
    qtbot.waitUntil(lambda: "手机" in desk.result_headline.text() + desk.result_detail.text()
                    + desk.phone_hint.text(), timeout=10_000)
    assert tickets(ui_hall) == [] and desk.notice_check.isChecked()
    type_into(qtbot, desk.phone_edit, "13812345678")
    with qtbot.waitSignal(desk.ticketIssued, timeout=10_000):
        click(qtbot, desk.service_buttons["labour"])
    qtbot.waitUntil(lambda: len(tickets(ui_hall)) == 1)
    with ui_hall.read() as s:
        assert s.execute(select(NoticeSubscription.address, NoticeSubscription.consent_by)).all() == [
            ("13812345678", "visitor")]
        assert s.execute(select(OutboxMessage.kind)).scalars().all() == ["issued"]
    qtbot.waitUntil(lambda: not desk.notice_check.isChecked())   # cleared for the next visitor
    desk.grab().save("/tmp/fstatus-frontdesk.png")


def test_a_typed_name_on_file_is_offered_before_a_new_record_is_made(qtbot, ui_hall, desk, no_printer):
    from hall.store.models import Visitor

    other_desk = staff_actor(ui_hall, "qiantai", "front-desk-2")
    earlier = q.issue_ticket(ui_hall, other_desk, "general", name="张三明", phone="13812345678")
    q.issue_ticket(ui_hall, other_desk, "housing", name="张三明")
    visitors_before = count(ui_hall, Visitor)

    type_into(qtbot, desk.name_edit, "张三明")
    desk.name_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: "已有 2 条同名来访人记录" in desk.name_hint.text())
    type_into(qtbot, desk.phone_edit, "13900001111")           # a new number: no record has both
    click(qtbot, desk.service_buttons["labour"])
    qtbot.waitUntil(lambda: desk.stack.currentIndex() == 1 and len(desk.lookup_model.rows) == 2)
    assert len(tickets(ui_hall)) == 2                         # nothing issued yet
    assert "已有 2 条来访人记录" in desk.lookup_status.text() and desk.new_visitor_button.isVisible()
    assert desk.choose_button.text() == "选用此人并取号"
    assert all("*" in h.phone for h in desk.lookup_model.rows if h.phone)   # masked
    assert desk.phone_edit.text() == "13900001111"            # nothing typed is lost

    # The clerk recognises the one with the 138 number: chosen, ticket issued on that record.
    row = next(i for i, h in enumerate(desk.lookup_model.rows) if h.id == earlier.visitor_id)
    desk.lookup_view.setCurrentIndex(desk.lookup_model.index(row, 0))
    with qtbot.waitSignal(desk.ticketIssued, timeout=10_000):
        click(qtbot, desk.choose_button)
    issued = tickets(ui_hall)[-1]
    assert issued.visitor_id == earlier.visitor_id and count(ui_hall, Visitor) == visitors_before
    with ui_hall.read() as s:
        assert s.get(Visitor, earlier.visitor_id).phone == "13900001111"   # the new number kept

    # Someone else of the same name: the clerk says so, a new record is made.
    type_into(qtbot, desk.name_edit, "张三明")
    click(qtbot, desk.service_buttons["labour"])
    qtbot.waitUntil(lambda: desk.stack.currentIndex() == 1 and desk.new_visitor_button.isVisible())
    with qtbot.waitSignal(desk.ticketIssued, timeout=10_000):
        click(qtbot, desk.new_visitor_button)
    assert count(ui_hall, Visitor) == visitors_before + 1 and len(tickets(ui_hall)) == 4
    assert desk.stack.currentIndex() == 0 and not desk.new_visitor_button.isVisible()

    # Esc leaves the check with everything typed still there.
    type_into(qtbot, desk.name_edit, "张三明")
    click(qtbot, desk.service_buttons["labour"])
    qtbot.waitUntil(lambda: desk.stack.currentIndex() == 1)
    desk.resize(1366, 768)
    desk.grab().save("/tmp/i15-similar.png")
    desk.escape()
    assert desk.stack.currentIndex() == 0 and desk.name_edit.text() == "张三明" and len(tickets(ui_hall)) == 4
