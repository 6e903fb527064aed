"""The document registry and the facts documents are built from, on both backends."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from decimal import Decimal

import pytest

from hall.services import InvalidInput, NotFound, PermissionDenied
from hall.services import cases as cs
from hall.services import documents as docs
from hall.services import mediation as md
from reports.facts_mediation import MediationFacts
from tests.conftest import staff_actor

from .case_workers import ZHANG_ID, lawyer, wage_case

PDF = b"%PDF-1.7\n% agreement\n"
DOCX = b"PK\x03\x04 word document"


@pytest.fixture
def med(hall):
    return staff_actor(hall, "tiaojie", "room-1")


@pytest.fixture
def settled(hall, window_staff, med):
    """A wage case with an effective agreement and one session with minutes."""
    c = wage_case(hall, window_staff, mediator_id=med.user_id)
    cs.add_agent(hall, window_staff, c.parties[0].id, lawyer())
    cs.accept_case(hall, med, c.id)
    s = md.open_session(hall, med, c.id, room="r_labour", recorder_name="孙婷")
    md.add_participant(hall, med, s.id, role="party", party_id=c.parties[0].id, identity_method="id_card_on_site",
                       consent=True)
    md.save_minutes(hall, med, s.id, {"subject": "追索劳动报酬", "rights_notice": "已告知权利义务",
                                      "statements": [{"speaker": "张三", "text": "欠我两个月工资"}],
                                      "agreement": "公司支付12000元"})
    md.close_session(hall, med, s.id, "agreement")
    a = md.draft_agreement(hall, med, c.id, liability="被申请人承担支付责任")
    md.add_term(hall, med, a.id, "支付工资", obligor_party_id=c.parties[1].id, obligee_party_id=c.parties[0].id,
                amount="12000", method="银行转账", due_date=dt.date(2026, 11, 30))
    md.add_term(hall, med, a.id, "支付经济补偿", obligor_party_id=c.parties[1].id,
                obligee_party_id=c.parties[0].id, amount="3500.50", due_date=dt.date(2026, 12, 15))
    for signer, pid in (("party", c.parties[0].id), ("party", c.parties[1].id), ("mediator", None), ("seal", None)):
        md.sign(hall, med, a.id, signer, party_id=pid)
    return cs.get_case(hall, med, c.id)


def test_versions_count_per_kind_and_case_and_bytes_come_back_verified(hall, med, settled, window_staff):
    d1 = docs.register_document(hall, med, "agreement", settled.id, "pdf", PDF)
    d2 = docs.register_document(hall, med, "agreement", settled.id, "docx", DOCX)
    m1 = docs.register_document(hall, med, "minutes", settled.id, "pdf", PDF + b"minutes")
    assert (d1.version, d2.version, m1.version) == (1, 2, 1)
    assert d1.kind_label == "人民调解协议书" and d1.case_number == settled.number
    assert d1.sha256 == hashlib.sha256(PDF).hexdigest() and d1.size == len(PDF)
    assert d1.generated_by_name == "周国平"
    other = wage_case(hall, window_staff)
    assert docs.register_document(hall, med, "agreement", other.id, "pdf", PDF).version == 1
    assert docs.document_bytes(hall, med, d2.id) == DOCX
    # Same bytes twice are stored once.
    from sqlalchemy import func, select

    from hall.store.case_models import StoredFile

    with hall.read() as s:
        assert s.execute(select(func.count()).select_from(StoredFile)).scalar_one() == 3
    listed = docs.list_documents(hall, med, settled.id)
    assert [(d.kind, d.version, d.format) for d in listed] == [("agreement", 1, "pdf"), ("agreement", 2, "docx"),
                                                               ("minutes", 1, "pdf")]
    assert [d.version for d in docs.list_documents(hall, med, settled.id, kind="agreement")] == [1, 2]
    timeline = [t.text for t in cs.case_detail(hall, med, settled.id).timeline]
    assert "生成文书：人民调解协议书（第2版，DOCX）" in timeline


def test_each_print_is_logged(hall, med, settled, window_staff):
    d = docs.register_document(hall, med, "agreement", settled.id, "pdf", PDF)
    p1 = docs.log_print(hall, med, d.id, copies=3, printer="调解室打印机")
    p2 = docs.log_print(hall, window_staff, d.id)
    assert (p1.copies, p1.printed_by_name, p1.workstation) == (3, "周国平", "room-1")
    assert [p.id for p in docs.prints_of(hall, med, d.id)] == [p1.id, p2.id]
    listed = docs.list_documents(hall, med, settled.id)[0]
    assert listed.prints == 2 and listed.last_printed_at == p2.printed_at
    with pytest.raises(InvalidInput):
        docs.log_print(hall, med, d.id, copies=0)
    with pytest.raises(NotFound):
        docs.log_print(hall, med, 999999)


def test_the_registry_refuses_what_is_not_a_document(hall, med, settled):
    with pytest.raises(InvalidInput, match="不是 PDF"):
        docs.register_document(hall, med, "agreement", settled.id, "pdf", b"hello")
    with pytest.raises(InvalidInput, match="pdf 或 docx"):
        docs.register_document(hall, med, "agreement", settled.id, "odt", PDF)
    with pytest.raises(InvalidInput, match="文书类型"):
        docs.register_document(hall, med, "协议", settled.id, "pdf", PDF)
    with pytest.raises(NotFound):
        docs.register_document(hall, med, "agreement", 999999, "pdf", PDF)
    with pytest.raises(PermissionDenied):
        docs.register_document(hall, staff_actor(hall, "qiantai"), "agreement", settled.id, "pdf", PDF)
    # Another area's documents count by their own subject.
    a1 = docs.register_document(hall, med, "award", None, "pdf", PDF, subject_type="arbitration", subject_id=7)
    same = docs.register_document(hall, med, "award", None, "pdf", PDF, subject_type="arbitration", subject_id=7)
    assert same.id == a1.id and same.version == 1      # the same bytes again: the same document
    a2 = docs.register_document(hall, med, "award", None, "pdf", PDF + b"2", subject_type="arbitration",
                                subject_id=7)
    assert (a1.version, a2.version, a1.case_id) == (1, 2, None)
    assert [d.id for d in docs.list_documents(hall, med, subject_type="arbitration", subject_id=7)] == [a1.id, a2.id]


def test_a_changed_document_file_is_caught(hall, med, settled):
    d = docs.register_document(hall, med, "agreement", settled.id, "pdf", PDF)
    path = docs.storage_folder(hall) / d.sha256[:2] / d.sha256
    os.chmod(path, 0o644)
    path.write_bytes(PDF + b"forged")
    report = docs.verify_store(hall, staff_actor(hall, "zhuren"))
    assert [p.documents for p in report.changed] == [(d.id,)] and report.changed[0].cases == (settled.number,)
    with pytest.raises(docs.StoreError):
        docs.document_bytes(hall, med, d.id)


def test_the_store_folder_is_a_setting(hall, admin, med, settled, tmp_path):
    shared = tmp_path / "shared" / "hall-files"
    assert docs.set_storage_folder(hall, admin, shared) == str(shared)
    d = docs.register_document(hall, med, "minutes", settled.id, "pdf", PDF + b"x")
    assert (shared / d.sha256[:2] / d.sha256).is_file()
    with pytest.raises(PermissionDenied):
        docs.set_storage_folder(hall, med, tmp_path / "elsewhere")


def test_document_data_gathers_what_an_agreement_needs(hall, med, settled):
    data = docs.document_data(hall, med, settled.id, "agreement")
    assert data["committee"] == "东湖区人民调解委员会" and data["centre"]["name"] == "东湖区社会治理服务中心"
    assert data["case"]["number"] == settled.number and data["case"]["category_label"] == "劳动争议"
    zhang, company = data["parties"]
    assert (zhang["name"], zhang["sex"], zhang["id_number"], zhang["age"]) == ("张三", "女", ZHANG_ID, 76)
    assert zhang["agents"][0]["name"] == "李律师" and zhang["agents"][0]["scope_label"] == "特别授权"
    assert (company["legal_rep"], company["legal_rep_title"]) == ("王五", "总经理")
    a = data["agreement"]
    assert a["state"] == "effective" and a["copies"] == 3 and a["text"].startswith("东湖区人民调解委员会")
    assert [(t["ordinal"], t["amount"], t["amount_capitals"]) for t in a["terms"]] == [
        ("一", Decimal("12000.00"), "人民币壹万贰仟元整"), ("二", Decimal("3500.50"), "人民币叁仟伍佰元伍角整")]
    assert a["total_amount"] == Decimal("15500.50") and a["total_amount_capitals"] == "人民币壹万伍仟伍佰元伍角整"
    assert a["judicial_confirmation_until"] == dt.date(2026, 12, 23)
    assert [g["by_name"] for g in a["signoffs"]] == ["张三", "东湖科技有限公司", "周国平", "东湖区人民调解委员会"]
    session = data["sessions"][0]
    assert session["recorder"] == "孙婷" and session["mediator"] == "周国平" and session["room"] == "劳动纠纷调解室"
    assert [x["key"] for x in session["minutes_sections"]] == ["subject", "rights_notice", "statements", "agreement"]
    assert session["participants"][0]["identity"] == "现场查验身份证件"
    assert data["termination"] is None
    json.dumps(data, ensure_ascii=False, default=str)


def test_document_facts_are_the_typed_facts_of_the_same_case(hall, med, settled):
    facts = docs.document_facts(hall, med, settled.id, "agreement")
    assert isinstance(facts, MediationFacts)
    assert (facts.number, facts.category, facts.committee, facts.profile.name) == (
        settled.number, "劳动争议", "东湖区人民调解委员会", "东湖区社会治理服务中心")
    zhang, company = facts.parties
    assert (zhang.name, zhang.sex, zhang.id_number, zhang.age) == ("张三", "女", ZHANG_ID, 76)
    assert zhang.agents[0].name == "李律师" and zhang.agents[0].scope_label == "特别授权"
    assert (company.kind, company.legal_rep, company.legal_rep_title) == ("organisation", "王五", "总经理")
    a = facts.agreement
    assert a is not None and a.state == "effective" and a.copies == 3 and a.text.startswith("东湖区人民调解委员会")
    assert [(t.amount, t.amount_capitals) for t in a.terms][:2] == [
        (Decimal("12000.00"), "人民币壹万贰仟元整"), (Decimal("3500.50"), "人民币叁仟伍佰元伍角整")]
    assert [g.by_name for g in a.signoffs] == ["张三", "东湖科技有限公司", "周国平", "东湖区人民调解委员会"]
    (session,) = facts.sessions
    assert (session.recorder, session.mediator, session.place) == ("孙婷", "周国平", "劳动纠纷调解室")
    assert session.minutes.subject and session.participants[0].identity == "现场查验身份证件"
    assert facts.termination is None and facts.document("mediation_agreement").case.recorder == "孙婷"
    masked = docs.document_facts(hall, staff_actor(hall, "zhuren"), settled.id, "agreement")
    assert masked.parties[0].id_number != ZHANG_ID
    assert masked.document("mediation_agreement").case.parties[0].id_number == ""
    with pytest.raises(PermissionDenied):
        docs.document_facts(hall, staff_actor(hall, "qiantai"), settled.id, "agreement")


def test_document_data_masks_id_numbers_for_roles_that_may_not_see_them(hall, med, settled):
    data = docs.document_data(hall, staff_actor(hall, "zhuren"), settled.id, "agreement")
    assert data["parties"][0]["id_number"] != ZHANG_ID and data["parties"][0]["id_number_masked"]
    with pytest.raises(PermissionDenied):
        docs.document_data(hall, staff_actor(hall, "qiantai"), settled.id, "agreement")


def test_document_data_of_a_failed_mediation(hall, window_staff, med):
    c = wage_case(hall, window_staff, mediator_id=med.user_id)
    cs.accept_case(hall, med, c.id)
    md.terminate_mediation(hall, med, c.id, "用人单位拒绝调解")
    data = docs.document_data(hall, med, c.id, "termination")
    assert data["termination"]["reason"] == "用人单位拒绝调解" and "第二十六条" in data["termination"]["notice"]
    assert data["agreement"] is None and data["sessions"] == []
    facts = docs.document_facts(hall, med, c.id, "termination")
    assert facts.termination is not None and facts.termination.reason == "用人单位拒绝调解"
    assert facts.agreement is None and facts.sessions == ()
