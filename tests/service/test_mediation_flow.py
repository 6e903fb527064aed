"""The mediation case from registration to print or hand-over, on SQLite
and PostgreSQL: a signed agreement is printed from its frozen text, the
parties it names are not edited while it is signed, a failed labour case is
handed to arbitration as a received application."""
from __future__ import annotations

import datetime as dt
import hashlib
import subprocess

import pytest

from hall.services import Conflict, render
from hall.services import cases as cs
from hall.services import mediation as md
from tests.conftest import staff_actor

from .case_workers import employer, lawyer, wage_case, worker


@pytest.fixture
def med(hall):
    return staff_actor(hall, "tiaojie", "room-1")


@pytest.fixture
def mediating(hall, window_staff, med):
    c = wage_case(hall, window_staff, mediator_id=med.user_id,
                  parties=[worker(address="东湖区人民路1000号", agents=(lawyer(),)), employer()])
    cs.accept_case(hall, med, c.id)
    cs.start_mediation(hall, med, c.id)
    return cs.get_case(hall, med, c.id)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "a.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_signed_agreement_is_the_one_printed(hall, med, mediating, tmp_path):
    c = mediating
    zhang, company = c.parties
    a = md.draft_agreement(hall, med, c.id, liability="被申请人应按时足额支付劳动报酬")
    md.add_term(hall, med, a.id, "被申请人支付申请人2026年9月、10月工资", obligor_party_id=company.id,
                obligee_party_id=zhang.id, amount="12000", method="银行转账", due_date=dt.date(2026, 11, 25))
    a = md.sign(hall, med, a.id, "party", party_id=zhang.id)
    assert "1000号" in a.text
    # While it is being signed the parties it names are not edited ...
    for change in (lambda: cs.update_party(hall, med, zhang.id, address="东湖区人民路1888号"),
                   lambda: cs.add_agent(hall, med, company.id, lawyer("赵律师")),
                   lambda: cs.update_agent(hall, med, zhang.agents[0].id, phone="13700002222"),
                   lambda: cs.remove_party(hall, med, company.id)):
        with pytest.raises(Conflict, match="正在签署，其文本已固定"):
            change()
    # ... and what is printed is the frozen text, with its hash.
    doc = render.render_document(hall, med, "mediation_agreement", case_id=c.id, agreement_id=a.id)
    text = pdf_text(doc.data, tmp_path)
    squeezed = "".join(text.split())
    assert "1000号" in squeezed and "1888号" not in squeezed
    assert a.text_sha256 in squeezed
    assert "当事人基本情况" in squeezed and "人民调解员（签名）" in squeezed
    for g in ("party", "mediator", "seal"):
        if g == "party":
            a = md.sign(hall, med, a.id, "party", party_id=company.id, by_name="王五")
        else:
            a = md.sign(hall, med, a.id, g)
    assert a.state == "effective"
    # Whatever happens to the live records later, the agreement prints as signed.
    from hall.store.case_models import CaseParty

    with hall.write() as s:
        s.get(CaseParty, zhang.id).address = "东湖区人民路1888号"
    again = render.preview_document(hall, med, "mediation_agreement", case_id=c.id, agreement_id=a.id)
    squeezed = "".join(pdf_text(again, tmp_path).split())
    assert "1000号" in squeezed and "1888号" not in squeezed and a.text_sha256 in squeezed
    assert hashlib.sha256(a.text.encode()).hexdigest() == a.text_sha256


def test_a_tampered_frozen_text_is_not_printed(hall, med, mediating):
    from hall.store.case_models import Agreement

    c = mediating
    zhang, company = c.parties
    a = md.draft_agreement(hall, med, c.id)
    md.add_term(hall, med, a.id, "被申请人支付工资", obligor_party_id=company.id, amount="12000")
    a = md.sign(hall, med, a.id, "party", party_id=zhang.id)
    with hall.write() as s:
        row = s.get(Agreement, a.id)
        row.text_snapshot = row.text_snapshot.replace("12,000", "1,200").replace("12000", "1200")
    with pytest.raises(Conflict, match="校验值不符"):
        render.preview_document(hall, med, "mediation_agreement", case_id=c.id, agreement_id=a.id)


def test_a_failed_labour_mediation_becomes_a_received_arbitration_application(hall, med, mediating):
    from hall.services import arbitration as arb

    c = mediating
    zhang, company = c.parties
    md.terminate_mediation(hall, med, c.id, "被申请人不同意支付任何款项")
    app = md.handover_to_arbitration(hall, med, c.id)
    got = app["arbitration"]
    assert got["receipt_number"] and got["state"] in ("received", "supplement_pending")
    clerk = staff_actor(hall, "shuji", "clerk-1")
    d = arb.arbitration_detail(hall, clerk, got["case_id"])
    flat = repr(d)
    # nothing re-typed: the worker with occupation and work unit, the employer's legal representative and title
    for value in ("张三", "车间工人", "东湖科技有限公司", "王五", "总经理", "东湖区人民路1000号", "李律师",
                  c.number, "被申请人不同意支付任何款项"):
        assert value in flat, value
    # the 补正 notice asks only for what the mediation case did not hold
    missing = got["missing_items"]
    for held in ("劳动者职业", "劳动者工作单位", "用人单位法定代表人或者主要负责人的职务", "劳动者姓名",
                 "仲裁请求", "劳动者住所", "用人单位住所"):
        assert held not in missing
    assert "证据和证据来源" in missing          # no evidence was filed in the mediation
    after = cs.case_detail(hall, med, c.id)
    assert after.case.state == "transferred"
    assert any(got["receipt_number"] in e.text for e in after.timeline)
    with pytest.raises(Conflict, match="已移送"):
        md.handover_to_arbitration(hall, med, c.id)


def test_the_handover_and_the_receipt_are_one_transaction(hall, med, mediating, monkeypatch):
    from hall.services import arbitration as arb

    c = mediating
    md.terminate_mediation(hall, med, c.id, "不同意")

    def broken(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(arb, "_touch", broken)
    with pytest.raises(RuntimeError):
        md.handover_to_arbitration(hall, med, c.id)
    assert cs.get_case(hall, med, c.id).state == "failed"
    from sqlalchemy import func, select

    from hall.store.arbitration_models import ArbitrationCase

    with hall.read() as s:
        assert s.execute(select(func.count()).select_from(ArbitrationCase)).scalar_one() == 0


def test_the_company_is_summoned_by_a_notice_to_attend_and_its_service_recorded(hall, med, mediating, tmp_path):
    from tests.service.case_workers import local

    c = mediating
    zhang, company = c.parties
    with pytest.raises(Conflict, match="尚未预约调解室"):
        render.preview_document(hall, med, "mediation_attendance_notice", case_id=c.id, side="respondent")
    md.book_room(hall, med, c.id, "r_gold", local(dt.date(2026, 11, 24), 9, 30), local(dt.date(2026, 11, 24), 11))
    doc = render.render_document(hall, med, "mediation_attendance_notice", case_id=c.id, side="respondent")
    assert doc.title == "调解通知书 " + c.number + "（致被申请人东湖科技有限公司）" or "东湖科技有限公司" in doc.title
    text = "".join(pdf_text(doc.data, tmp_path).split())
    for part in ("调解通知书", "东湖科技有限公司：", "2026年11月24日", "上午9时30分", "金牌调解室", "周国平",
                 "可以拒绝调解", "授权委托书", "不收取任何费用", c.number):
        assert part in text, part
    r = md.serve_document(hall, med, c.id, party_id=company.id, document_kind="attendance_notice",
                          document_id=doc.document_id, method="post", recipient="王五", address="东湖区工业园8号")
    assert r.method_label == "邮寄送达" and r.document_label == "调解通知书" and r.party_name == "东湖科技有限公司"
    assert [x.id for x in md.service_records(hall, med, c.id)] == [r.id]
    tl = [e.text for e in cs.case_detail(hall, med, c.id).timeline]
    assert any("邮寄送达调解通知书：被申请人东湖科技有限公司（签收人王五）" in t for t in tl)
    assert any("生成文书：调解通知书" in t for t in tl)
    with pytest.raises(Exception, match="送达方式"):
        md.serve_document(hall, med, c.id, party_id=company.id, document_kind="attendance_notice", method="x")


def test_parallel_referrals_reach_their_targets_and_booking_the_room_arranges_one(hall, med, mediating):
    from hall.services.cases import ReferralRequest
    from tests.service.case_workers import local

    c = mediating
    sent = cs.refer(hall, med, [ReferralRequest("counselling", "r_counsel", "情绪激动"),
                                ReferralRequest("room", "r_gold", "次日调解")], case_id=c.id)
    assert [r.state for r in sent] == ["open", "open"] and sent[0].batch == sent[1].batch
    counsel = cs.incoming_referrals(hall, med, targets=["counselling", "r_counsel"])
    assert [r.id for r in counsel] == [sent[0].id]
    got = cs.receive_referral(hall, med, sent[0].id)
    assert got.state == "arranged" and got.scheduled_for is not None
    cs.complete_referral(hall, med, sent[0].id, "已疏导")
    assert cs.incoming_referrals(hall, med, targets=["r_counsel"]) == []
    day = dt.date(2026, 11, 24)
    b = md.book_room(hall, med, c.id, "r_gold", local(day, 9), local(day, 11), media_room="r_media")
    gold = cs.incoming_referrals(hall, med, targets=["r_gold"])
    assert gold[0].state == "arranged" and gold[0].booking_id == b.id
    media = md.room_calendar(hall, med, "r_media", day)
    assert len(media) == 1 and media[0].case_id == c.id and media[0].start == b.start
    tl = [e.text for e in cs.case_detail(hall, med, c.id).timeline]
    assert any("同时预约媒体室录像" in t for t in tl) and any("心理咨询室已接收转介" in t for t in tl)


def test_the_media_room_is_booked_with_the_sitting_or_not_at_all(hall, med, mediating, window_staff):
    from tests.service.case_workers import local

    day = dt.date(2026, 11, 24)
    other = wage_case(hall, window_staff, mediator_id=None,
                      parties=[worker("李四", id_number=None, phone="13900002222"),
                               employer("西湖贸易有限公司", credit_code=None, phone="0571-88009999")])
    md.book_room(hall, window_staff, other.id, "r_media", local(day, 10), local(day, 11))
    with pytest.raises(Conflict, match="媒体室在该时段已被预约"):
        md.book_room(hall, med, mediating.id, "r_gold", local(day, 9), local(day, 11), media_room="r_media")
    assert md.room_calendar(hall, med, "r_gold", day) == []


def test_a_video_is_linked_to_its_recording_segment_and_the_evidence_list_verifies(hall, med, mediating, tmp_path):
    c = mediating
    zhang, company = c.parties
    s = md.open_session(hall, med, c.id, room="r_gold")
    for p in (zhang, company):
        md.add_participant(hall, med, s.id, role="party", party_id=p.id, identity_method="id_card_on_site",
                           consent=True)
    rec = md.start_recording(hall, med, s.id)
    video = tmp_path / "v.mp4"
    video.write_bytes(b"video" * 1000)
    f = md.import_evidence(hall, med, c.id, video, description="媒体室录像")
    with pytest.raises(Conflict, match="尚未停止"):
        md.link_recording_file(hall, med, rec.id, f.id)
    md.stop_recording(hall, med, s.id)
    seg = md.link_recording_file(hall, med, rec.id, f.id)
    assert seg.file_id == f.id and seg.label.startswith("第1次调解 第1段")
    items = md.evidence_list(hall, med, c.id, verify=True)
    assert [(i.name, i.kind, i.recording_id, i.verified) for i in items] == [("v.mp4", "recording", rec.id, True)]
    assert items[0].sha256 == hashlib.sha256(video.read_bytes()).hexdigest()
    # a stored copy that changed is reported, not hidden
    from hall.services import documents as docs
    blob = docs.blob_path(docs.storage_folder(hall), items[0].sha256)
    blob.chmod(0o644)
    blob.write_bytes(b"changed")
    bad = md.evidence_list(hall, med, c.id, verify=True)[0]
    assert bad.verified is False and "校验值不符" in bad.problem


def test_docx_table_rows_are_not_split_across_pages(hall, med, mediating):
    import io

    from docx import Document as Docx
    from docx.oxml.ns import qn

    doc = render.render_document(hall, med, "mediation_registration", case_id=mediating.id, fmt="docx")
    rows = [r for t in Docx(io.BytesIO(doc.data)).tables for r in t.rows]
    assert rows and all(r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)


def test_documents_are_named_on_the_timeline_and_case_show_prints_hall_time(hall, med, mediating, capsys):
    render.render_document(hall, med, "mediation_rights_notice", case_id=mediating.id)
    tl = [e.text for e in cs.case_detail(hall, med, mediating.id).timeline]
    assert any("生成文书：人民调解当事人权利义务告知书" in t for t in tl)
    assert not any("mediation_rights_notice" in t for t in tl)
    if hall.is_postgres:
        return
    from hall.cli import main

    assert main(["--db", hall.url, "case", "show", mediating.number]) == 0
    out = capsys.readouterr().out
    assert "2026-11-23 09:00" in out and "01:00" not in out      # Beijing time, not UTC
