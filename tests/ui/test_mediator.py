"""The mediator's workspace, driven as 周国平 drives it in the gold room:
find the case, open it, record the sitting, write the minutes, draft and
sign the agreement, or end the mediation."""
from __future__ import annotations

import datetime as dt
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hall.domain.clock import HALL_TZ, local_day
from hall.services import cases as cs
from hall.services import mediation as md
from tests.conftest import staff_actor
from tests.service.case_workers import employer, lawyer, wage_case, worker

pytestmark = pytest.mark.usefixtures("messages")

ROOT = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------ fixtures
@pytest.fixture
def med(ui_hall):
    return staff_actor(ui_hall, "tiaojie", "room-gold")


@pytest.fixture
def clerk(ui_hall):
    return staff_actor(ui_hall, "chuangkou1", "window-1")


@pytest.fixture
def labour(ui_hall, clerk, med):
    """张三's wage claim against 东湖科技, registered with 周国平 as mediator."""
    return wage_case(ui_hall, clerk, mediator_id=med.user_id, parties=[worker(agents=(lawyer(),)), employer()])


@pytest.fixture
def mediating(ui_hall, med, labour):
    cs.accept_case(ui_hall, med, labour.id)
    cs.start_mediation(ui_hall, med, labour.id)
    return cs.get_case(ui_hall, med, labour.id)


@pytest.fixture
def sitting(ui_hall, med, mediating):
    """The first sitting, in the gold room."""
    return md.open_session(ui_hall, med, mediating.id, room="r_gold")


@pytest.fixture
def make_ws(make_ctx, qtbot):
    from ui.common import ops
    from ui.mediation.workspace import MediatorWorkspace

    made = []

    def make():
        ctx = make_ctx("tiaojie", room_code="r_gold")
        ws = MediatorWorkspace(ctx)
        qtbot.addWidget(ws)
        ws.resize(1400, 860)
        ws.show()
        ws.activateWindow()
        qtbot.waitExposed(ws)
        ctx.feed.start()
        qtbot.waitUntil(lambda: not ws.case_model.loading)
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.shutdown()
        ws.ctx.feed.stop()
    ops.wait_all()
    qtbot.waitUntil(lambda: not ops._live)   # every reply delivered while the widgets exist


def opened(qtbot, ws, case_id: int, tab: str | None = None):
    ws.open_case(case_id)
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.id == case_id and not ws.busy)
    if tab is not None:
        ws.tabs.setCurrentWidget(getattr(ws, tab))
    return ws


def settled(ws) -> bool:
    return not ws.busy and not ws.reload_timer.isActive()


def type_into(qtbot, widget, text: str) -> None:
    """Type ``text``: ASCII key by key, Chinese as an input method commits it."""
    from ui.qt import QApplication, QInputMethodEvent

    widget.setFocus()
    run = ""
    for ch in text + "\0":
        if ch != "\0" and (not run or ch.isascii() == run.isascii()):
            run += ch
            continue
        if run.isascii():
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)
        run = ch


def stored_minutes(db, actor, case_id: int) -> dict:
    return cs.case_detail(db, actor, case_id).sessions[-1].minutes


# ------------------------------------------------------------------ finding a case
def test_search_finds_a_case_by_pinyin_initials(qtbot, ui_hall, clerk, med, make_ws):
    from ui.qt import Qt

    zsm = wage_case(ui_hall, clerk, parties=[worker("张三明"), employer()])
    wage_case(ui_hall, clerk, parties=[worker("李四", id_number=None, phone="13900001111"), employer("西湖商贸有限公司")])
    ws = make_ws()
    qtbot.keyClick(ws, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert ws.search_edit.hasFocus()
    qtbot.keyClicks(ws.search_edit, "zsm")
    qtbot.waitUntil(lambda: ws._query == "zsm" and not ws.case_model.loading)
    assert [r.number for r in ws.case_model.rows] == [zsm.number]
    assert "张三明" in ws.case_model.rows[0].parties
    assert ws.list_status.text() == "共 1 件"
    # an ID number finds it too, and a short phone fragment is explained, not searched
    ws.search_edit.setText("1390000")
    qtbot.waitUntil(lambda: ws._query == "1390000" and not ws.case_model.loading)
    assert ws.case_model.rowCount() == 1 and "李四" in ws.case_model.rows[0].parties
    ws.search_edit.setText("139")
    qtbot.waitUntil(lambda: ws._query == "139" and not ws.case_model.loading)
    assert ws.case_model.rowCount() == 0 and "至少输入前7位" in ws.list_status.text()


def test_a_long_case_list_is_read_a_page_at_a_time_as_it_scrolls(qtbot, ui_hall, clerk, med, make_ws, monkeypatch,
                                                                  qtmodeltester):
    from ui.mediation import workspace as mediator

    monkeypatch.setattr(mediator, "PAGE_SIZE", 5)
    monkeypatch.setattr(mediator, "PREFETCH_ROWS", 2)
    for i in range(40):
        wage_case(ui_hall, clerk, mediator_id=med.user_id,
                  parties=[worker(f"王{i}", id_number=None, phone=f"1380000{i:04d}"), employer()])
    ws = make_ws()
    model = ws.case_model
    qtbot.waitUntil(lambda: not model.loading and not model.canFetchMore() or model.rowCount() >= 5)
    qtbot.waitUntil(lambda: not model.loading)
    first = model.rowCount()
    assert 5 <= first < 40 and model.next_after is not None    # the visible rows, not the whole list
    qtmodeltester.check(model)
    while model.rowCount() < 40:
        before = model.rowCount()
        ws.case_table.scrollToBottom()
        qtbot.waitUntil(lambda: model.rowCount() > before and not model.loading)
    assert model.next_after is None
    assert [r.parties.split(" / ")[0] for r in model.rows[:2]] == ["王39", "王38"]   # newest first


# ------------------------------------------------------------------ the case
def test_opening_a_case_shows_parties_and_timeline_newest_first(qtbot, ui_hall, med, labour, make_ws):
    cs.accept_case(ui_hall, med, labour.id, note="双方同意调解")
    ws = make_ws()
    qtbot.waitUntil(lambda: ws.case_model.rowCount() == 1)
    ws.case_table.clicked.emit(ws.case_model.index(0, 0))
    qtbot.waitUntil(lambda: ws.detail is not None and not ws.busy)
    assert ws.number_label.text() == labour.number
    assert ws.state_chip.text() == "已受理"
    names = [p.name for p in ws.overview.parties_model.rows]
    assert names == ["张三", "东湖科技有限公司"]
    agents = ws.overview.parties_model.data(ws.overview.parties_model.index(0, 6))
    assert "李律师" in agents
    assert "拖欠" in ws.overview.facts.toPlainText()
    timeline = ws.timeline.model.rows
    assert len(timeline) >= 2 and timeline[0].at >= timeline[-1].at
    assert "受理" in timeline[0].text        # the newest line first


def test_another_workstation_changing_the_case_shows_here(qtbot, ui_hall, med, labour, make_ws):
    ws = opened(qtbot, make_ws(), labour.id)
    assert ws.state_chip.text() == "已登记"
    cs.accept_case(ui_hall, med, labour.id)           # e.g. the director's office
    qtbot.waitUntil(lambda: ws.state_chip.text() == "已受理", timeout=5000)
    cs.flag_police(ui_hall, med, labour.id, "11月23日10时电话报告东湖派出所")
    qtbot.waitUntil(lambda: ws.police_chip.isVisible() and ws.overview.police_check.isChecked())


def test_a_refused_transition_is_shown_inline_not_as_a_dialog(qtbot, ui_hall, labour, make_ws, messages):
    ws = opened(qtbot, make_ws(), labour.id, "termination")
    ws.termination.reason.setPlainText("被申请人拒绝调解")
    ws.termination.terminate_button.click()
    qtbot.waitUntil(lambda: ws.strip.kind == "error")
    assert "不能执行“终止调解”" in ws.strip.text() and ws.strip.isVisible()
    assert messages == []
    assert cs.get_case(ui_hall, staff_actor(ui_hall, "tiaojie"), labour.id).state == "registered"


# ------------------------------------------------------------------ the sitting
def test_typed_minutes_are_saved_by_themselves_and_survive_reopening(qtbot, ui_hall, med, sitting, make_ws):
    ws = opened(qtbot, make_ws(), sitting.case_id, "session")
    editor = ws.session.minutes
    edit = editor.fields["fact_check"]
    type_into(qtbot, edit, "双方确认拖欠工资12000元")
    assert editor.state == "dirty"
    qtbot.waitUntil(lambda: stored_minutes(ui_hall, med, sitting.case_id).get("fact_check") == "双方确认拖欠工资12000元",
                    timeout=8000)
    qtbot.waitUntil(lambda: editor.status.text().startswith("已自动保存"))
    # a statement, saved when the focus moves on
    pid = editor.statements[0][0]
    type_into(qtbot, editor.statements[0][2], "9月和10月的工资一直没发")
    editor.fields["risk_warning"].setFocus()
    qtbot.waitUntil(lambda: any(s["party_id"] == pid and s["text"] == "9月和10月的工资一直没发"
                                for s in stored_minutes(ui_hall, med, sitting.case_id).get("statements", [])))
    ws.shutdown()
    again = opened(qtbot, make_ws(), sitting.case_id, "session")
    assert again.session.minutes.fields["fact_check"].toPlainText() == "双方确认拖欠工资12000元"
    assert again.session.minutes.statements[0][2].toPlainText() == "9月和10月的工资一直没发"


def test_a_newer_version_from_elsewhere_is_a_conflict_and_the_typed_text_stays(qtbot, ui_hall, med, sitting,
                                                                              make_ws, monkeypatch):
    from ui.mediation import session as mediator_session

    ws = opened(qtbot, make_ws(), sitting.case_id, "session")
    editor = ws.session.minutes
    ws.shutdown()          # stop listening: this editor does not see the other save coming
    md.save_minutes(ui_hall, med, sitting.id, {"fact_check": "另一台电脑写的"}, base_version=0)
    type_into(qtbot, editor.fields["fact_check"], "my notes")
    editor.save_now()
    qtbot.waitUntil(lambda: editor.state == "conflict")
    assert "已被他人修改" in editor.status.text() and editor.keep_button.isVisible()
    assert editor.fields["fact_check"].toPlainText() == "my notes"
    editor.keep_button.click()
    qtbot.waitUntil(lambda: editor.state == "saved")
    assert stored_minutes(ui_hall, med, sitting.case_id)["fact_check"] == "my notes"
    assert mediator_session.AUTOSAVE_MS == 2000


def test_a_late_joiner_without_consent_keeps_recording_disabled(qtbot, ui_hall, med, sitting, make_ws):
    zhang, company = [p for p in cs.get_case(ui_hall, med, sitting.case_id).parties]
    md.add_participant(ui_hall, med, sitting.id, role="party", party_id=zhang.id,
                       identity_method="id_card_on_site", consent=True)
    ws = opened(qtbot, make_ws(), sitting.case_id, "session")
    tab = ws.session
    qtbot.waitUntil(lambda: tab.record_button.isEnabled())
    # the employer's representative joins by video from the street office
    tab.join()
    dlg = tab.dialog
    dlg.role_box.setCurrentIndex(dlg.role_box.findData("party"))
    dlg.person_box.setCurrentIndex(dlg.person_box.findData(company.id))
    dlg.presence_box.setCurrentIndex(dlg.presence_box.findData("remote"))
    dlg.location_edit.setText("东湖街道便民服务站")
    assert dlg.identity_box.currentData() == "id_card_on_camera"
    dlg.accept()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2 and settled(ws))
    assert not tab.record_button.isEnabled()
    assert "东湖科技有限公司（未询问）" in tab.record_reason.text()
    row = next(i for i, p in enumerate(tab.model.rows) if p.party_id == company.id)
    assert tab.model.rows[row].remote_location == "东湖街道便民服务站"
    tab.table.selectRow(row)
    tab.consent_yes.click()
    qtbot.waitUntil(lambda: tab.record_button.isEnabled() and settled(ws))
    assert "均已同意" in tab.record_reason.text()
    tab.record_button.click()
    qtbot.waitUntil(lambda: tab.stop_button.isEnabled() and settled(ws))
    assert cs.case_detail(ui_hall, med, sitting.case_id).sessions[0].recording


# ------------------------------------------------------------------ the agreement
@pytest.fixture
def draft(ui_hall, med, mediating):
    return md.draft_agreement(ui_hall, med, mediating.id, liability="被申请人未按约定支付劳动报酬，应承担主要责任。")


def test_adding_a_term_shows_the_amount_in_capitals(qtbot, ui_hall, med, draft, make_ws):
    ws = opened(qtbot, make_ws(), draft.case_id, "agreement")
    tab = ws.agreement
    qtbot.keyClicks(tab.amount_edit, "12000")
    assert tab.capitals.text() == "人民币壹万贰仟元整"       # live, before anything is saved
    qtbot.keyClicks(tab.amount_edit, "x")
    assert "不是有效的数字" in tab.capitals.text()
    tab.amount_edit.setText("3500.5")
    assert tab.capitals.text() == "人民币叁仟伍佰元伍角整"
    tab.amount_edit.setText("12000")
    type_into(qtbot, tab.content_edit, "支付拖欠的2026年9月至10月工资")
    zhang, company = [p for p in ws.detail.case.parties]
    tab.obligor_box.setCurrentIndex(tab.obligor_box.findData(company.id))
    tab.obligee_box.setCurrentIndex(tab.obligee_box.findData(zhang.id))
    tab.add_button.click()
    qtbot.waitUntil(lambda: tab.terms_model.rowCount() == 1 and settled(ws))
    assert tab.terms_model.data(tab.terms_model.index(0, 5)) == "人民币壹万贰仟元整"
    assert tab.terms_model.data(tab.terms_model.index(0, 4)) == "12,000.00"
    assert tab.content_edit.text() == "" and "已添加第1条" in ws.strip.text()
    qtbot.waitUntil(lambda: bool(tab.preview_images) and not tab.preview_busy, timeout=20000)
    assert tab.preview_status.text().startswith("共")


def test_signing_by_everyone_makes_the_agreement_effective(qtbot, ui_hall, med, draft, make_ws):
    zhang, company = cs.get_case(ui_hall, med, draft.case_id).parties
    md.add_term(ui_hall, med, draft.id, "支付拖欠工资", obligor_party_id=company.id, obligee_party_id=zhang.id,
                amount="12000", method="银行转账")
    ws = opened(qtbot, make_ws(), draft.case_id, "agreement")
    tab = ws.agreement
    assert tab.state_chip.text() == "草稿"
    for key in (f"party:{zhang.id}", f"party:{company.id}", "mediator", "seal"):
        qtbot.waitUntil(lambda: settled(ws) and key in tab.sign_buttons and tab.sign_buttons[key].isEnabled())
        tab.sign_buttons[key].click()
        qtbot.waitUntil(lambda: settled(ws) and tab.sign_labels[key].text().startswith("✔"))
    assert tab.state_chip.text() == "已生效"
    assert ws.state_chip.text() == "达成协议"
    assert "全部签署完毕" in ws.strip.text() or ws.strip.kind != "error"
    assert not any(b.isEnabled() for b in tab.sign_buttons.values())
    assert cs.case_detail(ui_hall, med, draft.case_id).agreements[-1].state == "effective"


def test_ctrl_p_without_a_printer_saves_the_agreement_as_pdf(qtbot, ui_hall, med, draft, make_ws, tmp_path):
    from ui.qt import Qt

    zhang, company = cs.get_case(ui_hall, med, draft.case_id).parties
    md.add_term(ui_hall, med, draft.id, "支付拖欠工资", obligor_party_id=company.id, amount="12000")
    ws = opened(qtbot, make_ws(), draft.case_id, "overview")
    tab = ws.agreement
    tab.printer.available_printers = lambda: []
    tab.printer.folder = tmp_path / "docs"
    qtbot.waitUntil(lambda: tab.pdf is not None and not tab.preview_busy, timeout=20000)
    qtbot.keyClick(ws, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ws.strip.kind == "info")
    saved = list((tmp_path / "docs").glob("*.pdf"))
    assert len(saved) == 1 and saved[0].read_bytes()[:5] == b"%PDF-"
    assert str(saved[0]) in ws.strip.text() and ws.tabs.currentWidget() is tab
    # The preview registered nothing; what was printed is registered once, and its print logged.
    from hall.services import documents

    qtbot.waitUntil(lambda: bool(documents.list_documents(ui_hall, med, draft.case_id)))
    docs = documents.list_documents(ui_hall, med, draft.case_id)
    assert [d.kind for d in docs] == ["agreement"]
    qtbot.waitUntil(lambda: bool(documents.prints_of(ui_hall, med, docs[0].id)))


# ------------------------------------------------------------------ the end
def test_a_failed_labour_mediation_is_handed_to_arbitration_prefilled(qtbot, ui_hall, med, mediating, make_ws):
    ws = opened(qtbot, make_ws(), mediating.id, "termination")
    tab = ws.termination
    assert tab.arb_card.isVisible() and not tab.handover_button.isEnabled()
    assert any("劳动争议仲裁" in r for r in tab.routes())
    type_into(qtbot, tab.reason, "被申请人不同意支付")
    tab.terminate_button.click()
    qtbot.waitUntil(lambda: ws.state_chip.text() == "调解不成" and settled(ws))
    assert tab.handover_button.isEnabled()
    tab.handover_button.click()
    qtbot.waitUntil(lambda: "劳动人事争议仲裁申请书" in tab.application.toPlainText() and settled(ws))
    text = tab.application.toPlainText()
    assert "申请人：张三" in text and "被申请人：东湖科技有限公司" in text and "支付拖欠工资12000元" in text
    assert ws.state_chip.text() == "已移送"


def test_every_model_passes_the_model_tester(qtbot, ui_hall, med, sitting, make_ws, qtmodeltester):
    zhang, company = cs.get_case(ui_hall, med, sitting.case_id).parties
    md.add_participant(ui_hall, med, sitting.id, role="party", party_id=zhang.id, identity_method="id_card_on_site")
    a = md.draft_agreement(ui_hall, med, sitting.case_id)
    md.add_term(ui_hall, med, a.id, "支付拖欠工资", amount="12000")
    import datetime as dt

    from hall.domain.clock import HALL_TZ
    md.book_room(ui_hall, med, sitting.case_id, "r_gold", dt.datetime(2026, 11, 23, 14, tzinfo=HALL_TZ),
                 dt.datetime(2026, 11, 23, 15, tzinfo=HALL_TZ))
    ws = opened(qtbot, make_ws(), sitting.case_id)
    qtbot.waitUntil(lambda: ws.today_model.rowCount() == 1)
    for model in (ws.case_model, ws.today_model, ws.overview.parties_model, ws.overview.referrals_model,
                  ws.timeline.model, ws.session.model, ws.agreement.terms_model):
        qtmodeltester.check(model)
    assert ws.session.model.rowCount() == 1 and ws.agreement.terms_model.rowCount() == 1


# ------------------------------------------------------------------ a killed workstation
CHILD = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
url, case_id, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
from hall.store.db import Database
from tests.conftest import staff_actor
from ui.qt import QApplication, QInputMethodEvent, QTimer
app = QApplication([])
db = Database(url)
from ui.common.context import AppContext, Workstation
from ui.common.live import EventFeed
from ui.mediation.workspace import MediatorWorkspace
ctx = AppContext(db, staff_actor(db, "tiaojie", "room-gold"), EventFeed(db), Workstation(room_code="r_gold"))
ws = MediatorWorkspace(ctx)
ws.resize(1400, 860)
ws.show()
ws.open_case(case_id)
state = {"typed": False}

def step():
    m = ws.session.minutes
    if not state["typed"]:
        if ws.detail is not None and "fact_check" in m.fields:
            m.fields["fact_check"].setFocus()
            ev = QInputMethodEvent("", [])
            ev.setCommitString(text)
            QApplication.sendEvent(m.fields["fact_check"], ev)
            state["typed"] = True
    elif m.status.text().startswith("已自动保存"):
        sys.stdout.write("SAVED " + m.status.text() + "\n")
        sys.stdout.flush()
        poll.stop()

poll = QTimer()
poll.timeout.connect(step)
poll.start(50)
app.exec()
"""


@pytest.mark.slow
def test_autosaved_minutes_survive_a_killed_workstation(ui_hall, med, sitting):
    text = "当事人同意分两期支付"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, ui_hall.url, str(sitting.case_id), text], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    sel = selectors.DefaultSelector()
    try:
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + 90
        line = ""
        while not line.startswith("SAVED") and time.monotonic() < deadline and proc.poll() is None:
            if sel.select(timeout=max(0.0, deadline - time.monotonic())):
                line = proc.stdout.readline()
        assert line.startswith("SAVED 已自动保存"), line
        proc.send_signal(signal.SIGKILL)      # no shutdown(), no flush: the power goes off
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sel.close()
        proc.stdout.close()
    assert stored_minutes(ui_hall, med, sitting.case_id)["fact_check"] == text


# ------------------------------------------------------------------ 调解室
def local(day, hour: int):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=HALL_TZ)


def tomorrow(db):
    return local_day(db.clock.now()) + dt.timedelta(days=1)


def calendar_on(qtbot, ws, day):
    from ui.mediation.rooms import FIRST_HOUR

    tab = ws.room_calendar
    ws.tabs.setCurrentWidget(tab)
    tab.day_edit.setDate(tab._qdate(day))
    qtbot.waitUntil(lambda: not tab.busy and tab.day == day and tab.model.rowCount() > 0
                    and all(r.day == day for r in tab.model.rows))
    return tab, FIRST_HOUR


def test_the_day_view_is_rooms_by_hours_and_a_free_slot_books_the_open_case(qtbot, ui_hall, med, mediating,
                                                                            make_ws):
    from hall.services import centre
    from ui.qt import Qt

    day = tomorrow(ui_hall)
    ws = opened(qtbot, make_ws(), mediating.id)
    tab, first = calendar_on(qtbot, ws, day)
    rooms = centre.list_rooms(ui_hall)
    assert [r.label for r in tab.model.rows] == [r.name for r in rooms]
    assert tab.model.headerData(0, Qt.Orientation.Horizontal) == f"{first:02d}:00"
    row = tab.row_of("r_gold")
    tab.select_cell(row, 14 - first)
    assert tab.book_button.isEnabled() and not tab.cancel_button.isEnabled()
    assert "空闲" in tab.selection_label.text()
    tab.hours_box.setCurrentIndex(tab.hours_box.findData(2))
    tab.note_edit.setText("双方均到场")
    tab.book_button.click()
    qtbot.waitUntil(lambda: not tab.busy and tab.model.booking_at(row, 15 - first) is not None)
    assert tab.status.text().startswith("已预约 金牌调解室")
    b = tab.model.booking_at(row, 14 - first)
    assert b.case_id == mediating.id and b.note == "双方均到场"
    assert tab.model.booking_at(row, 16 - first) is None and tab.model.booking_at(row, 13 - first) is None
    assert [x.id for x in md.room_calendar(ui_hall, med, "r_gold", day)] == [b.id]
    qtbot.waitUntil(lambda: settled(ws) and any(x.id == b.id for x in ws.detail.bookings))


def test_a_clash_is_refused_inline_naming_the_other_booking_and_a_booking_can_be_cancelled(
        qtbot, ui_hall, clerk, med, mediating, make_ws, messages):
    day = tomorrow(ui_hall)
    other = wage_case(ui_hall, clerk, mediator_id=med.user_id,
                      parties=[worker("李四", id_number=None, phone="13900002222"), employer("西湖贸易有限公司")])
    theirs = md.book_room(ui_hall, med, other.id, "r_gold", local(day, 9), local(day, 11))
    ws = opened(qtbot, make_ws(), mediating.id)
    tab, first = calendar_on(qtbot, ws, day)
    gold = tab.row_of("r_gold")
    assert tab.model.booking_at(gold, 9 - first).id == theirs.id
    assert tab.model.data(tab.model.index(gold, 10 - first)) == other.number
    # 周国平 sits in the gold room then: another room at 10:00 is refused, naming that booking.
    elsewhere = next(i for i, r in enumerate(tab.model.rows) if r.room_code != "r_gold")
    tab.select_cell(elsewhere, 10 - first)
    tab.book_button.click()
    qtbot.waitUntil(lambda: not tab.busy and tab.status.property("state") == "error")
    assert "调解员周国平在该时段已有安排" in tab.status.text()
    assert f"预约号{theirs.id}" in tab.status.text() and other.number in tab.status.text()
    assert messages == []
    assert md.room_calendar(ui_hall, med, tab.model.rows[elsewhere].room_code, day) == []
    # Cancel the other case's booking from the grid: the slot is free again.
    tab.select_cell(gold, 9 - first)
    assert tab.cancel_button.isEnabled() and not tab.book_button.isEnabled()
    tab.cancel_reason.setText("当事人申请改期")
    tab.cancel_button.click()
    qtbot.waitUntil(lambda: not tab.busy and tab.model.booking_at(gold, 9 - first) is None)
    assert tab.status.text().startswith("已取消预约")
    assert md.room_calendar(ui_hall, med, "r_gold", day) == []
    tab.select_cell(gold, 9 - first)
    assert tab.book_button.isEnabled()


def test_the_week_view_is_days_by_hours_of_the_picked_room(qtbot, ui_hall, med, mediating, make_ws):
    day = tomorrow(ui_hall)
    b = md.book_room(ui_hall, med, mediating.id, "r_gold", local(day, 15), local(day, 16))
    ws = opened(qtbot, make_ws(), mediating.id)
    tab, first = calendar_on(qtbot, ws, day)
    tab.room_box.setCurrentIndex(tab.room_box.findData("r_gold"))
    tab.span_box.setCurrentIndex(tab.span_box.findData("week"))
    qtbot.waitUntil(lambda: not tab.busy and tab.model.rowCount() == 7)
    monday = day - dt.timedelta(days=day.weekday())
    assert [r.day for r in tab.model.rows][0] == monday and all(r.room_code == "r_gold" for r in tab.model.rows)
    assert tab.model.rows[0].label.startswith("周一")
    row = (day - monday).days
    assert tab.model.booking_at(row, 15 - first).id == b.id
    assert sum(1 for _ in tab.model.cells) == 1


# ------------------------------------------------------------------ 更正协议, 回访记录
@pytest.fixture
def effective(ui_hall, med, draft):
    """The draft with one term, signed by everyone: in force."""
    zhang, company = cs.get_case(ui_hall, med, draft.case_id).parties
    md.add_term(ui_hall, med, draft.id, "支付拖欠工资", obligor_party_id=company.id, obligee_party_id=zhang.id,
                amount="12000", method="银行转账")
    sign_all(ui_hall, med, draft.case_id, draft.id)
    return cs.case_detail(ui_hall, med, draft.case_id).agreements[-1]


def preview_settled(qtbot, tab) -> None:
    """The preview's rendering is done (it outlives nothing it draws on)."""
    qtbot.waitUntil(lambda: not tab.preview_busy and not tab.preview_timer.isActive(), timeout=30000)


def sign_all(db, actor, case_id: int, agreement_id: int) -> None:
    for p in cs.get_case(db, actor, case_id).parties:
        md.sign(db, actor, agreement_id, "party", party_id=p.id)
    md.sign(db, actor, agreement_id, "mediator")
    md.sign(db, actor, agreement_id, "seal")


def test_correcting_an_effective_agreement_makes_a_new_version_and_the_old_one_is_superseded(
        qtbot, ui_hall, med, effective, make_ws):
    assert effective.state == "effective"
    ws = opened(qtbot, make_ws(), effective.case_id, "agreement")
    tab = ws.agreement
    assert tab.state_chip.text() == "已生效" and tab.correct_button.isEnabled()
    tab.correct_button.click()                       # no reason: refused before any call
    assert ws.strip.kind == "error" and "更正理由" in ws.strip.text()
    tab.correction_reason.setText("第1条金额笔误")
    tab.correct_button.click()
    qtbot.waitUntil(lambda: settled(ws) and tab.versions_model.rowCount() == 2)
    assert "已制作更正版本第2版" in ws.strip.text()
    assert tab.title.text() == "调解协议书 第2版" and tab.state_chip.text() == "草稿"
    assert [t.content for t in tab.terms_model.rows] == ["支付拖欠工资"]      # the terms are copied
    assert not tab.correct_button.isEnabled() and tab.add_button.isEnabled()
    newest, old = tab.versions_model.rows
    assert (newest.version, newest.state, newest.correction_reason) == (2, "draft", "第1条金额笔误")
    assert (old.version, old.state) == (1, "effective")      # in force until the correction takes effect
    # The correction is signed (here at another workstation): version 1 is shown superseded.
    sign_all(ui_hall, med, effective.case_id, newest.id)
    qtbot.waitUntil(lambda: settled(ws) and tab.versions_model.rows[1].state == "superseded", timeout=5000)
    assert tab.versions_model.data(tab.versions_model.index(1, 2)) == "已被更正版本取代"
    assert tab.versions_model.data(tab.versions_model.index(0, 2)) == "已生效"
    assert tab.state_chip.text() == "已生效" and tab.title.text() == "调解协议书 第2版"
    preview_settled(qtbot, tab)


def test_follow_ups_record_the_performance_and_are_listed_newest_first(qtbot, ui_hall, med, effective, make_ws):
    ws = opened(qtbot, make_ws(), effective.case_id, "agreement")
    tab = ws.agreement
    assert tab.follow_button.isEnabled() and tab.follow_model.rowCount() == 0
    tab.follow_method.setCurrentIndex(tab.follow_method.findData("phone"))
    tab.follow_performance.setCurrentIndex(tab.follow_performance.findData("partly"))
    tab.follow_note.setText("已支付6000元，余款约定月底付清")
    tab.follow_button.click()
    qtbot.waitUntil(lambda: settled(ws) and tab.follow_model.rowCount() == 1)
    assert "已记录回访：部分履行" in ws.strip.text() and tab.follow_note.text() == ""
    row = [tab.follow_model.data(tab.follow_model.index(0, c)) for c in range(6)]
    assert row[1:] == ["第1版", "电话回访", "部分履行", "周国平", "已支付6000元，余款约定月底付清"]
    tab.follow_method.setCurrentIndex(tab.follow_method.findData("visit"))
    tab.follow_performance.setCurrentIndex(tab.follow_performance.findData("performed"))
    tab.follow_button.click()
    qtbot.waitUntil(lambda: settled(ws) and tab.follow_model.rowCount() == 2)
    assert [f.performance for f in tab.follow_model.rows] == ["performed", "partly"]
    stored = cs.case_detail(ui_hall, med, effective.case_id).agreements[-1].follow_ups
    assert sorted(f.performance_label for f in stored) == sorted(["已履行", "部分履行"])
    assert any("回访（上门回访）：已履行" in t.text for t in ws.detail.timeline)
    preview_settled(qtbot, tab)


def test_follow_ups_wait_for_an_effective_agreement(qtbot, ui_hall, med, draft, make_ws):
    ws = opened(qtbot, make_ws(), draft.case_id, "agreement")
    tab = ws.agreement
    assert not tab.follow_button.isEnabled() and not tab.correct_button.isEnabled()
    assert "生效后" in tab.follow_hint.text()
    assert tab.versions_model.rowCount() == 1 and tab.versions_model.rows[0].state == "draft"


def test_a_booking_made_at_another_workstation_appears_in_the_grid(qtbot, ui_hall, clerk, med, mediating, make_ws):
    from ui.qt import Qt

    day = tomorrow(ui_hall)
    ws = opened(qtbot, make_ws(), mediating.id)
    tab, first = calendar_on(qtbot, ws, day)
    gold = tab.row_of("r_gold")
    assert tab.model.booking_at(gold, 10 - first) is None
    b = md.book_room(ui_hall, clerk, mediating.id, "r_gold", local(day, 10), local(day, 12))
    qtbot.waitUntil(lambda: tab.model.booking_at(gold, 11 - first) is not None, timeout=5000)
    assert tab.model.booking_at(gold, 10 - first).id == b.id
    assert tab.model.data(tab.model.index(gold, 10 - first), Qt.ItemDataRole.BackgroundRole).color().name() \
        == "#c8ecd5"                                  # the open case's own booking stands out
