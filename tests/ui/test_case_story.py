"""The pregnant worker's wage dispute, through the screens only: registered
at the labour window from her ticket, assigned in the mediator's workspace,
mediated to a signed agreement printed from its frozen text, followed up
and closed; or, when mediation fails, handed to arbitration as a received
application that the clerk does not re-type."""
from __future__ import annotations

import subprocess

import pytest

from hall.services import cases as cs
from hall.services import documents
from hall.services import queue as q
from tests.conftest import staff_actor
from tests.ui.test_case_intake import (  # noqa: F401
    WORKER_ID,
    _left,
    desk,
    fill_company,
    front,
    med_ws,
    open_register,
    serve,
    staff3,
    type_into,
)

pytestmark = pytest.mark.usefixtures("messages")


@pytest.fixture
def ui_hall(db, admin, tmp_path):
    """The demo centre on SQLite and on PostgreSQL: both stories run on both."""
    from hall.services.demo import install_demo

    install_demo(db, admin, history=False)
    documents.set_storage_folder(db, admin, tmp_path / "files")
    return db


def settled(ws) -> bool:
    return not ws.busy and not ws.reload_timer.isActive()


def register_at_the_window(qtbot, ui_hall, front, desk):  # noqa: F811
    t = q.issue_ticket(ui_hall, front, "labour", name="张三", id_number=WORKER_ID, phone="13800138000",
                       priority="pregnant", note="怀孕，东湖科技有限公司拖欠两个月工资共一万二千元")
    serve(qtbot, desk)
    dlg = open_register(qtbot, desk)
    type_into(qtbot, dlg.a_occupation, "文员")
    type_into(qtbot, dlg.a_address, "东湖区人民路1000号")
    fill_company(qtbot, dlg)
    type_into(qtbot, dlg.claims, "支付拖欠工资12000元")
    qtbot.mouseClick(dlg.ok_button, _left())        # no mediator yet: the mediation room assigns one
    qtbot.waitUntil(lambda: t.id in desk.registered)
    qtbot.mouseClick(desk.finish_button, _left())
    qtbot.waitUntil(lambda: desk.dialog is not None)
    desk.dialog.accept()
    qtbot.waitUntil(lambda: desk.current is None and not desk._busy)
    return desk.registered[t.id]


def assign_and_start(qtbot, ws, ui_hall, number):
    med = staff_actor(ui_hall, "tiaojie", "room-gold")
    case = cs.case_by_number(ui_hall, med, number)
    ws.scope_box.setCurrentIndex(1)
    type_into(qtbot, ws.search_edit, number[-4:])
    ws.search_edit.setText(number)
    qtbot.waitUntil(lambda: ws._query == number and not ws.case_model.loading and ws.case_model.rowCount() == 1)
    ws.case_table.selectRow(0)
    qtbot.mouseClick(ws.case_table.viewport(), _left(), pos=ws.case_table.visualRect(
        ws.case_model.index(0, 0)).center())
    qtbot.waitUntil(lambda: ws.detail is not None and ws.detail.case.id == case.id and settled(ws))
    picker = ws.overview.mediator_picker
    qtbot.waitUntil(lambda: picker.button.isEnabled())
    qtbot.mouseClick(picker.button, _left())
    qtbot.waitUntil(lambda: (ws.detail.case.mediator_name == "周国平" and settled(ws)) or ws.strip.kind == "error")
    assert ws.detail.case.mediator_name == "周国平", ws.strip.text()
    qtbot.mouseClick(ws.overview.accept_button, _left())
    qtbot.waitUntil(lambda: ws.detail.case.state == "accepted" and settled(ws))
    qtbot.mouseClick(ws.overview.start_button, _left())
    qtbot.waitUntil(lambda: ws.detail.case.state == "mediating" and settled(ws))
    return case


def counselling_desk(qtbot, ui_hall, make_ctx):
    """The counselling window (9), where the counsellor sees what is referred to counselling."""
    from ui.window.workspace import WindowWorkspace

    staff = staff_actor(ui_hall, "chuangkou1", "window-9")
    q.open_window(ui_hall, staff, "w09")
    ctx = make_ctx("chuangkou1", window_code="w09")
    ws = WindowWorkspace(ctx)
    qtbot.addWidget(ws)
    ws.resize(1200, 720)
    ws.show()
    ctx.feed.start()
    qtbot.waitUntil(lambda: ws.window_view is not None)
    return ws


def test_from_the_window_to_a_signed_printed_agreement_and_closure(qtbot, ui_hall, front, desk, med_ws,  # noqa: F811
                                                                   make_ctx, tmp_path):
    number = register_at_the_window(qtbot, ui_hall, front, desk)
    ws = med_ws
    case = assign_and_start(qtbot, ws, ui_hall, number)
    # counselling now and the gold room tomorrow, in parallel
    counsel = counselling_desk(qtbot, ui_hall, make_ctx)
    qtbot.mouseClick(ws.overview.refer_button, _left())
    rd = ws.overview.refer_dialog
    qtbot.waitUntil(lambda: "r_counsel" in rd.rows and "r_gold" in rd.rows)
    rd.choose("r_counsel", "孕期情绪激动")
    rd.choose("r_gold", "次日与公司代表调解")
    qtbot.mouseClick(rd.ok_button, _left())
    qtbot.waitUntil(lambda: len(ws.detail.referrals) == 2 and settled(ws))
    qtbot.waitUntil(lambda: counsel.referral_inbox.model.rowCount() == 1 and not counsel.referral_inbox.busy)
    inbox = counsel.referral_inbox
    inbox.table.selectRow(0)
    qtbot.mouseClick(inbox.receive_button, _left())
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 1 and inbox.model.rows[0].state == "arranged")
    inbox.table.selectRow(0)
    type_into(qtbot, inbox.note, "已疏导，情绪平稳")
    qtbot.mouseClick(inbox.complete_button, _left())
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 0 and not inbox.busy)
    # the referring mediator sees it
    qtbot.waitUntil(lambda: any(r.target == "r_counsel" and r.state == "done" for r in ws.detail.referrals),
                    timeout=10000)
    gold = ws.referral_inbox
    qtbot.waitUntil(lambda: gold.model.rowCount() == 1 and gold.model.rows[0].state == "open")
    # tomorrow 09:00 in the gold room with the media room, and the company is summoned
    from tests.ui.test_mediator import calendar_on, tomorrow

    cal, first = calendar_on(qtbot, ws, tomorrow(ui_hall))
    row = cal.row_of("r_gold")
    cal.select_cell(row, 9 - first)
    cal.media_check.setChecked(True)
    qtbot.mouseClick(cal.book_button, _left())
    qtbot.waitUntil(lambda: not cal.busy and cal.model.booking_at(row, 9 - first) is not None)
    qtbot.waitUntil(lambda: settled(ws) and len(ws.detail.bookings) == 2)
    assert {b.room_code for b in ws.detail.bookings} == {"r_gold", "r_media"}
    # booking the room moved the referral on; its target completes it after the sitting
    qtbot.waitUntil(lambda: gold.model.rowCount() == 1 and gold.model.rows[0].state == "arranged"
                    and not gold.busy, timeout=10000)
    ws.tabs.setCurrentWidget(ws.overview)
    ws.agreement.printer.available_printers = lambda: []
    ws.agreement.printer.folder = tmp_path / "notices"
    qtbot.mouseClick(ws.overview.notice_button, _left())
    nd = ws.overview.notice_dialog
    qtbot.waitUntil(nd.isVisible)
    assert nd.party.currentText() == "被申请人 东湖科技有限公司"
    nd.method.setCurrentIndex(nd.method.findData("post"))
    type_into(qtbot, nd.recipient, "王大力")
    qtbot.mouseClick(nd.ok_button, _left())
    qtbot.waitUntil(lambda: "调解通知书" in ws.strip.text() and settled(ws), timeout=60_000)
    notice = next((tmp_path / "notices").glob("*.pdf"))
    ntext = "".join(subprocess.run(["pdftotext", str(notice), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "东湖科技有限公司：" in ntext and "金牌调解室" in ntext and "上午9时" in ntext
    assert any("邮寄送达调解通知书：被申请人东湖科技有限公司（签收人王大力）" in e.text for e in ws.detail.timeline)
    # the sitting, filmed with everyone's consent; the media room's video is linked to the segment
    worker, company = [p for p in ws.detail.case.parties]
    st = ws.session
    ws.tabs.setCurrentWidget(st)
    qtbot.waitUntil(lambda: st.open_button.isEnabled())
    qtbot.mouseClick(st.open_button, _left())
    qtbot.waitUntil(lambda: st.join_button.isEnabled() and settled(ws))
    for pid in (worker.id, company.id):
        st.join()
        dlg = st.dialog
        dlg.role_box.setCurrentIndex(dlg.role_box.findData("party"))
        dlg.person_box.setCurrentIndex(dlg.person_box.findData(pid))
        dlg.accept()
        qtbot.waitUntil(lambda: any(p.party_id == pid for p in st.model.rows) and settled(ws))
        row = next(i for i, p in enumerate(st.model.rows) if p.party_id == pid)
        st.table.selectRow(row)
        qtbot.waitUntil(lambda: st.consent_yes.isEnabled())
        qtbot.mouseClick(st.consent_yes, _left())
        qtbot.waitUntil(lambda: st.model.rows[row].consent_to_recording is True and settled(ws))
    qtbot.waitUntil(lambda: st.record_button.isEnabled())
    qtbot.mouseClick(st.record_button, _left())
    qtbot.waitUntil(lambda: st.stop_button.isEnabled() and settled(ws))
    type_into(qtbot, st.minutes.fields["rights_notice"], "告知双方享有的权利和应履行的义务，是否申请回避")
    type_into(qtbot, st.minutes.fields["rights_answer"], "双方均表示已听清，不申请回避")
    st.minutes.save_now()
    qtbot.mouseClick(st.stop_button, _left())
    qtbot.waitUntil(lambda: st.record_button.isEnabled() and settled(ws))
    video = tmp_path / "media-room-0924.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 64)
    ev = ws.evidence
    ws.tabs.setCurrentWidget(ev)
    ev.choose_file = lambda: str(video)
    qtbot.waitUntil(lambda: ev.import_button.isEnabled())
    qtbot.mouseClick(ev.import_button, _left())
    qtbot.waitUntil(lambda: ev.model.rowCount() == 1 and not ev.busy)
    ev.table.selectRow(0)
    qtbot.waitUntil(lambda: ev.link_button.isEnabled())
    qtbot.mouseClick(ev.link_button, _left())
    qtbot.waitUntil(lambda: not ev.busy and ev.model.rowCount() == 1 and ev.model.rows[0].recording_id is not None)
    qtbot.mouseClick(ev.verify_button, _left())
    qtbot.waitUntil(lambda: not ev.busy and ev.model.rows[0].verified is True)
    import hashlib
    assert ev.model.rows[0].sha256 == hashlib.sha256(video.read_bytes()).hexdigest()
    assert "第1次调解 第1段" in ev.model.rows[0].recording_label
    # every document exports as DOCX from here
    ev.folder = tmp_path / "docx"
    ev.kind_box.setCurrentIndex(ev.kind_box.findData("mediation_minutes"))
    qtbot.mouseClick(ev.export_button, _left())
    qtbot.waitUntil(lambda: "已导出" in ev.export_status.text(), timeout=60_000)
    docx = next((tmp_path / "docx").glob("*.docx"))
    from docx import Document as Docx
    body = "\n".join(p.text for p in Docx(str(docx)).paragraphs)
    assert "调解员：告知双方享有的权利" in body and "当事人：双方均表示已听清" in body
    tab = ws.agreement
    ws.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.draft_button.isEnabled())
    qtbot.mouseClick(tab.draft_button, _left())
    qtbot.waitUntil(lambda: tab.agreement is not None and settled(ws))
    type_into(qtbot, tab.content_edit, "支付拖欠的2026年9月至10月工资")
    tab.amount_edit.setText("12000")
    tab.obligor_box.setCurrentIndex(tab.obligor_box.findData(company.id))
    tab.obligee_box.setCurrentIndex(tab.obligee_box.findData(worker.id))
    qtbot.mouseClick(tab.add_button, _left())
    qtbot.waitUntil(lambda: tab.terms_model.rowCount() == 1 and settled(ws))
    keys = (f"party:{worker.id}", f"party:{company.id}", "mediator", "seal")
    # the first signature freezes the text
    qtbot.waitUntil(lambda: settled(ws) and keys[0] in tab.sign_buttons and tab.sign_buttons[keys[0]].isEnabled())
    qtbot.mouseClick(tab.sign_buttons[keys[0]], _left())
    qtbot.waitUntil(lambda: settled(ws) and tab.sign_labels[keys[0]].text().startswith("✔"))
    for key in keys[1:]:
        qtbot.waitUntil(lambda: settled(ws) and tab.sign_buttons[key].isEnabled())
        qtbot.mouseClick(tab.sign_buttons[key], _left())
        qtbot.waitUntil(lambda: settled(ws) and tab.sign_labels[key].text().startswith("✔"))
    assert tab.state_chip.text() == "已生效"
    # printed (saved: no printer here) from the frozen text, with its hash
    tab.printer.available_printers = lambda: []
    tab.printer.folder = tmp_path / "docs"
    qtbot.waitUntil(lambda: tab.pdf is not None and not tab.preview_busy, timeout=60_000)
    qtbot.mouseClick(tab.print_button, _left())
    qtbot.waitUntil(lambda: bool(list((tmp_path / "docs").glob("*.pdf"))), timeout=60_000)
    pdf = next((tmp_path / "docs").glob("*.pdf"))
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    frozen = cs.case_detail(ui_hall, ws.actor, case.id).agreements[-1]
    assert frozen.text_sha256 in text and "1000号" in text and "赵人事" in text
    # the gold room completes its referral
    gold.table.selectRow(0)
    qtbot.mouseClick(gold.complete_button, _left())
    qtbot.waitUntil(lambda: gold.model.rowCount() == 0 and not gold.busy)
    qtbot.waitUntil(lambda: settled(ws) and all(r.state == "done" for r in ws.detail.referrals))
    # payment follow-up and closure
    tab.follow_performance.setCurrentIndex(tab.follow_performance.findData("performed"))
    type_into(qtbot, tab.follow_note, "已银行转账")
    qtbot.waitUntil(lambda: tab.follow_button.isEnabled())
    qtbot.mouseClick(tab.follow_button, _left())
    qtbot.waitUntil(lambda: "已记录回访" in ws.strip.text() and settled(ws))
    ws.tabs.setCurrentWidget(ws.overview)
    qtbot.waitUntil(lambda: ws.overview.close_button.isVisible())
    qtbot.mouseClick(ws.overview.close_button, _left())
    qtbot.waitUntil(lambda: ws.detail.case.state == "closed" and settled(ws))
    kinds = [d.kind for d in documents.list_documents(ui_hall, ws.actor, case.id)]
    assert "agreement" in kinds and "attendance_notice" in kinds
    counsel.shutdown()


def test_from_the_window_through_failure_to_a_received_arbitration_application(
        qtbot, ui_hall, front, desk, med_ws):  # noqa: F811
    from hall.services import arbitration as arb

    number = register_at_the_window(qtbot, ui_hall, front, desk)
    ws = med_ws
    case = assign_and_start(qtbot, ws, ui_hall, number)
    tab = ws.termination
    ws.tabs.setCurrentWidget(tab)
    type_into(qtbot, tab.reason, "被申请人不同意支付")
    qtbot.mouseClick(tab.terminate_button, _left())
    qtbot.waitUntil(lambda: ws.detail.case.state == "failed" and settled(ws))
    qtbot.waitUntil(lambda: tab.handover_button.isEnabled())
    qtbot.mouseClick(tab.handover_button, _left())
    qtbot.waitUntil(lambda: tab.receipt_label.isVisible() and settled(ws))
    assert ws.detail.case.state == "transferred"
    clerk = staff_actor(ui_hall, "shuji", "clerk-1")
    with ui_hall.read() as s:
        from sqlalchemy import select

        from hall.store.arbitration_models import ArbitrationCase
        aid = s.execute(select(ArbitrationCase.id).where(ArbitrationCase.source_case_id == case.id)).scalar_one()
    d = arb.arbitration_detail(ui_hall, clerk, aid)
    flat = repr(d)
    for value in ("张三", "文员", "东湖区人民路1000号", "东湖科技有限公司", "王大力", "总经理", "赵人事", number,
                  "12000"):
        assert value in flat, value
    assert d.receipt_number in tab.receipt_label.text()
    # leaving the case and coming back: the received application is still there
    ws.case_id = None
    ws.open_case(case.id)
    qtbot.waitUntil(lambda: settled(ws))
    assert tab.receipt_label.isVisible() and d.receipt_number in tab.receipt_label.text()
