"""Documents made in one go — facts from the services, adapted, rendered, registered —
on SQLite and on PostgreSQL: mediation, arbitration and petition documents, a
day's hearing notices as one PDF, and ``hall-admin doc``."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from hall.services import Conflict, InvalidInput, NotFound, PermissionDenied, render
from hall.services import arbitration as arb
from hall.services import cases as cs
from hall.services import documents as docs
from hall.services import mediation as md
from hall.services import petitions as pet
from reports import registry
from tests.conftest import staff_actor
from tests.reports.test_official import (
    docx_text,
    flat,
    needs_ext_b_font,
    needs_poppler,
    pdf_body_text,
    pdf_page_count,
    pdf_raw_text,
)

from .case_workers import ZHANG_ID, employer, lawyer, wage_case, worker

pytestmark = needs_poppler

D = dt.date
EXT_B = "𠮷野家明"
ARB_NUMBER = "东劳人仲案字〔2026〕第1号"


def text_of(doc: render.RenderedDocument) -> str:
    return flat(pdf_raw_text(doc.data) if doc.fmt == "pdf" else docx_text(doc.data))


def assert_parts(doc: render.RenderedDocument, *names: str) -> str:
    text = text_of(doc)
    missing = [p for p in registry.KINDS[doc.kind].required_parts if flat(p) not in text]
    assert not missing, f"{doc.kind} {doc.fmt} lacks {missing}"
    for name in names:
        assert flat(name) in text, f"{doc.kind} {doc.fmt} lacks {name!r}"
    return text


def at(clock, y, m, d, hh=9, mm=0):
    clock.set_local(dt.datetime(y, m, d, hh, mm))


@pytest.fixture
def med(hall):
    return staff_actor(hall, "tiaojie", "room-1")


@pytest.fixture
def clerk(hall):
    return staff_actor(hall, "shuji", "arbitration-office")


@pytest.fixture
def settled(hall, window_staff, med):
    """A wage case of 𠮷野家明 against a company, with a session and a signed agreement."""
    c = wage_case(hall, window_staff, mediator_id=med.user_id,
                  parties=[worker(EXT_B, id_number=ZHANG_ID), employer()])
    cs.add_agent(hall, window_staff, c.parties[0].id, lawyer())
    cs.accept_case(hall, med, c.id)
    s = md.open_session(hall, med, c.id, room="r_labour", recorder_name="孙婷")
    md.add_participant(hall, med, s.id, role="party", party_id=c.parties[0].id, identity_method="id_card_on_site",
                       consent=True)
    md.save_minutes(hall, med, s.id, {"subject": "追索劳动报酬", "rights_notice": "当事人表示已听清，不申请回避",
                                      "statements": [{"speaker": EXT_B, "text": "公司欠我两个月工资"}],
                                      "fact_check": "双方确认欠薪12000元", "agreement": "公司分两笔支付"})
    md.close_session(hall, med, s.id, "agreement")
    a = md.draft_agreement(hall, med, c.id, liability="被申请人承担支付责任")
    md.add_term(hall, med, a.id, "支付2026年9月、10月工资", obligor_party_id=c.parties[1].id,
                obligee_party_id=c.parties[0].id, amount="12000", method="银行转账", due_date=D(2026, 11, 30))
    md.add_term(hall, med, a.id, "支付经济补偿", obligor_party_id=c.parties[1].id,
                obligee_party_id=c.parties[0].id, amount="3500.50", due_date=D(2026, 12, 15))
    md.add_term(hall, med, a.id, "双方就本纠纷再无其他争议")
    for signer, pid in (("party", c.parties[0].id), ("party", c.parties[1].id), ("mediator", None), ("seal", None)):
        md.sign(hall, med, a.id, signer, party_id=pid)
    return cs.get_case(hall, med, c.id)


# ================================================================ mediation
def test_the_agreement_in_both_formats_with_names_terms_capitals_and_versions(hall, med, settled):
    needs_ext_b_font()
    first = render.render_document(hall, med, "mediation_agreement", case_number=settled.number, fmt="pdf")
    assert first.data.startswith(b"%PDF-") and first.version == 1 and first.registered_kind == "agreement"
    assert first.sha256 == hashlib.sha256(first.data).hexdigest()
    assert first.title == f"人民调解协议书 {settled.number}" and first.case_number == settled.number
    text = assert_parts(first, EXT_B, "东湖科技有限公司", "东湖区人民调解委员会", ZHANG_ID, "李律师")
    # signed: printed from the text frozen at the first signature, with its hash
    frozen = next(a for a in cs.case_detail(hall, med, settled.id).agreements if a.state == "effective")
    for part in ("甲方", "乙方", "支付2026年9月、10月工资", "由东湖科技有限公司", "向𠮷野家明履行",
                 "12,000.00元（大写：人民币壹万贰仟元整）", "3,500.50元（大写：人民币叁仟伍佰元伍角整）",
                 "双方就本纠纷再无其他争议", "本协议书一式三份", "91330100MA2AAAAAAA", "2026年11月23日",
                 frozen.text_sha256):
        assert flat(part) in text, part
    second = render.render_document(hall, med, "mediation_agreement", case_id=settled.id, fmt="pdf")
    # the same paper rendered again is the same registered document, not a new version
    assert second.version == 1 and second.sha256 == first.sha256 and second.document_id == first.document_id
    word = render.render_document(hall, med, "mediation_agreement", case_number=settled.number, fmt="docx")
    assert word.data.startswith(b"PK\x03\x04") and word.version == 2
    assert word.sha256 == hashlib.sha256(word.data).hexdigest()
    assert_parts(word, EXT_B, ZHANG_ID, "人民币壹万贰仟元整", "人民币叁仟伍佰元伍角整", "甲方")
    listed = docs.list_documents(hall, med, settled.id, kind="agreement")
    assert [(d.version, d.format, d.sha256) for d in listed] == [(1, "pdf", first.sha256), (2, "docx", word.sha256)]
    assert listed[0].kind_label == "人民调解协议书"
    assert docs.document_bytes(hall, med, word.document_id) == word.data
    p = render.log_print(hall, med, first.document_id, copies=3)
    assert p.copies == 3 and docs.list_documents(hall, med, settled.id, kind="agreement")[0].prints == 1


def test_every_other_mediation_document_of_the_case(hall, window_staff, med, settled, clock):
    md.add_follow_up(hall, window_staff, cs.case_detail(hall, med, settled.id).agreements[0].id,
                     method="phone", performance="performed", note="已转账")
    for kind, names in (("mediation_minutes", ("孙婷", "现场查验身份证件", "公司欠我两个月工资", "双方确认欠薪12000元")),
                        ("mediation_registration", ("劳动争议", "支付拖欠工资12000元")),
                        ("mediation_rights_notice", ()),
                        ("mediation_follow_up", ("已履行", "已转账"))):
        for fmt in ("pdf", "docx"):
            doc = render.render_document(hall, med, kind, case_id=settled.id, fmt=fmt)
            assert_parts(doc, EXT_B, *names)
    kinds = {d.kind for d in docs.list_documents(hall, med, settled.id)}
    assert kinds == {"minutes", "registration", "mediation_rights_notice", "follow_up"}
    with pytest.raises(Conflict, match="未终止调解"):
        render.render_document(hall, med, "mediation_termination", case_id=settled.id)


def test_the_termination_notice_of_a_failed_mediation(hall, window_staff, med):
    c = wage_case(hall, window_staff, mediator_id=med.user_id)
    cs.accept_case(hall, med, c.id)
    md.terminate_mediation(hall, med, c.id, "用人单位拒绝调解")
    doc = render.render_document(hall, med, "mediation_termination", case_number=c.number)
    assert_parts(doc, "张三", "用人单位拒绝调解", "劳动人事争议仲裁委员会")
    with pytest.raises(Conflict, match="尚无调解协议"):
        render.render_document(hall, med, "mediation_agreement", case_id=c.id)


def test_a_character_no_font_has_is_refused_with_its_name(hall, window_staff, med):
    c = wage_case(hall, window_staff, mediator_id=med.user_id)
    cs.accept_case(hall, med, c.id)
    cs.start_mediation(hall, med, c.id)
    a = md.draft_agreement(hall, med, c.id)
    md.add_term(hall, med, a.id, "支付工资\ue000", amount="100")
    with pytest.raises(InvalidInput, match=r"无法打印字符.*U\+E000") as err:
        render.render_document(hall, med, "mediation_agreement", case_id=c.id, fmt="pdf")
    assert err.value.details["characters"] == ["\ue000"]
    assert docs.list_documents(hall, med, c.id) == []          # nothing registered
    word = render.render_document(hall, med, "mediation_agreement", case_id=c.id, fmt="docx")
    assert word.version == 1                                    # a draft can still be edited in Word


def test_who_may_render_and_what_is_refused(hall, med, settled, front_desk, director):
    with pytest.raises(PermissionDenied):
        render.render_document(hall, front_desk, "mediation_agreement", case_id=settled.id)
    with pytest.raises(PermissionDenied):
        render.render_document(hall, director, "mediation_agreement", case_id=settled.id)
    with pytest.raises(InvalidInput, match="未知的文书种类：poem"):
        render.render_document(hall, med, "poem", case_id=settled.id)
    with pytest.raises(InvalidInput, match="pdf 或 docx"):
        render.render_document(hall, med, "mediation_agreement", case_id=settled.id, fmt="odt")
    with pytest.raises(NotFound):
        render.render_document(hall, med, "mediation_agreement", case_number="（2026）东人调字第999号")


# ============================================================== arbitration
APPLICATION = dict(
    worker_name="张伟", worker_id_number=ZHANG_ID, worker_occupation="焊工",
    worker_employer="东湖机械厂", worker_address="东湖区人民路1号", worker_mailing_address="东湖区人民路1号",
    worker_phone="13812345678", employer_name="东湖机械厂", employer_address="东湖区工业路2号",
    employer_legal_rep="王强", employer_legal_rep_title="厂长", employer_credit_code="91330100MA2KXXXX0X",
    claims=[{"kind": "remuneration", "description": "支付2026年9月至10月工资", "amount": "12000"}],
    facts_reasons="申请人在被申请人处任焊工，被申请人拖欠两个月工资。",
    evidence=[{"name": "工资条", "source": "申请人保存"}, {"name": "考勤记录", "source": "被申请人掌握"}],
)
THREE = [{"name": "刘仲裁", "role": "presiding"}, {"name": "陈仲裁", "role": "member"},
         {"name": "黄仲裁", "role": "member"}]


def test_every_arbitration_document_of_a_case_moved_through_the_service(hall, clerk, clock):
    partial = {k: v for k, v in APPLICATION.items() if k != "worker_occupation"}
    r = arb.receive_application(hall, clerk, partial)
    cid = r.case_id

    def doc(kind, fmt="pdf", **kw):
        d = render.render_document(hall, clerk, kind, case_id=cid, fmt=fmt, **kw)
        assert d.sha256 == hashlib.sha256(d.data).hexdigest()
        return d

    receipt = doc("arbitration_receipt")
    assert_parts(receipt, "张伟", "仲收〔2026〕1号", "仲裁申请书", "工资条", "2026年11月23日（星期一）上午9时",
                 f"收件人（签名）：{clerk.display_name}", "1仲裁申请书1原件", "2工资条1复印件")
    assert_parts(doc("arbitration_correction"), "劳动者职业", "仲收〔2026〕1号")
    with pytest.raises(Conflict, match="尚未受理"):
        doc("arbitration_acceptance")
    at(clock, 2026, 11, 24)
    arb.supplement(hall, clerk, cid, {"worker_occupation": "焊工"})
    arb.accept(hall, clerk, cid)
    acceptance = doc("arbitration_acceptance", "docx")
    assert_parts(acceptance, ARB_NUMBER, "张伟", "东湖机械厂", "东湖区劳动人事争议仲裁委员会", "劳动报酬争议")
    response = doc("arbitration_response_notice")
    assert_parts(response, "东湖机械厂：")
    assert response.title.endswith("（致被申请人东湖机械厂）")
    arb.serve_respondent(hall, clerk, cid)
    arb.form_tribunal(hall, clerk, cid, THREE)
    assert_parts(doc("arbitration_tribunal_notice"), "刘仲裁", "陈仲裁、黄仲裁", "张伟、东湖机械厂：")
    h = arb.schedule_hearing(hall, clerk, cid, dt.datetime(2026, 12, 3, 9, 30))
    for side, name in (("applicant", "张伟"), ("respondent", "东湖机械厂")):
        notice = doc("arbitration_hearing_notice", side=side, hearing_id=h.id)
        text = assert_parts(notice, f"{name}：", "2026年12月3日（星期四）上午9时30分", "东湖区人民路88号劳动仲裁庭")
        assert ("视为撤回仲裁申请" in text) == (side == "applicant")
    at(clock, 2026, 11, 26)
    new = arb.postpone_hearing(hall, clerk, cid, h.id, requested_by="applicant", reason="住院治疗",
                               new_starts_at=dt.datetime(2026, 12, 10, 14, 0))
    assert_parts(doc("arbitration_postponement", side="respondent"), "住院治疗", "申请人以住院治疗为由",
                 "2026年12月3日（星期四）上午9时30分", "2026年12月10日（星期四）下午2时")
    with pytest.raises(Conflict, match="尚无庭审记录"):
        doc("arbitration_hearing_record", hearing_id=new.id)
    at(clock, 2026, 12, 10, 17)
    arb.record_hearing(hall, clerk, cid, new.id, record_text="仲裁员：申请人陈述仲裁请求。\n申请人：要求支付工资12000元。\n"
                                                              "被申请人：确有拖欠，同意支付。")
    record = doc("arbitration_hearing_record", hearing_id=new.id)
    assert_parts(record, "要求支付工资12000元", "首席仲裁员刘仲裁", f"书记员：{clerk.display_name}")
    with pytest.raises(Conflict, match="尚未作出裁决"):
        doc("arbitration_award")
    at(clock, 2026, 12, 11)
    arb.award(hall, clerk, cid, result="被申请人于本裁决生效之日起五日内支付申请人2026年9月至10月工资12000元。",
              reasons="被申请人拖欠工资事实清楚。", facts_found="申请人于2025年3月入职，被申请人未付2026年9月至10月工资。",
              costs="本案不收取仲裁费用（《劳动争议调解仲裁法》第五十三条）。",
              awarded=[{"index": 1, "awarded": "12000", "result": "支持"}])
    for fmt in ("pdf", "docx"):
        award = doc("arbitration_award", fmt)
        text = assert_parts(award, ARB_NUMBER, "张伟", ZHANG_ID, "东湖机械厂", "91330100MA2KXXXX0X",
                            "12,000.00元（大写：人民币壹万贰仟元整）", "被申请人拖欠工资事实清楚",
                            "经审理查明：申请人于2025年3月入职", "本案不收取仲裁费用",
                            "本裁决为终局裁决", "二〇二六年十二月十一日", "刘仲裁", "陈仲裁", "黄仲裁")
        assert "第四十九条" in text
    service = doc("arbitration_service_receipt", side="respondent")
    assert_parts(service, f"仲裁裁决书（{ARB_NUMBER}）", "东湖机械厂", "东湖区工业路2号")
    listed = docs.list_documents(hall, clerk, subject_type="arbitration", subject_id=cid)
    kinds = [d.kind for d in listed]
    assert kinds.count("hearing_notice") == 2 and kinds.count("award") == 2 and "receipt" in kinds
    assert [d.version for d in listed if d.kind == "award"] == [1, 2]


def test_refusal_and_mediation_statement(hall, clerk, clock):
    r = arb.receive_application(hall, clerk, APPLICATION)
    arb.refuse(hall, clerk, r.case_id, "不属于劳动争议；已超过仲裁时效")
    rejection = render.render_document(hall, clerk, "arbitration_rejection", case_number="仲收〔2026〕1号")
    assert_parts(rejection, "不属于劳动争议。", "已超过仲裁时效。")
    at(clock, 2026, 11, 24)
    r2 = arb.receive_application(hall, clerk, dict(APPLICATION, worker_name="王芳"))
    arb.accept(hall, clerk, r2.case_id)
    arb.serve_respondent(hall, clerk, r2.case_id)
    arb.form_tribunal(hall, clerk, r2.case_id, [{"name": "孙仲裁", "role": "sole"}], simplified=True,
                      both_parties_agree=True)
    arb.close_by_mediation(hall, clerk, r2.case_id, terms="被申请人于2026年12月31日前支付申请人工资10000元。\n"
                                                           "申请人放弃其他仲裁请求。")
    number = arb.arbitration_detail(hall, clerk, r2.case_id).number
    statement = render.render_document(hall, clerk, "arbitration_mediation_statement", case_number=number,
                                       fmt="docx")
    assert_parts(statement, "王芳", "10,000.00元（大写：人民币壹万元整）", "二、申请人放弃其他仲裁请求", "独任仲裁员")


def test_a_days_hearing_notices_print_as_one_pdf_and_each_is_registered(hall, clerk, clock):
    ids = []
    for worker_name, employer_name, start in (("张伟", "东湖机械厂", 9), ("王芳", "东湖纺织厂", 14)):
        r = arb.receive_application(hall, clerk, dict(APPLICATION, worker_name=worker_name,
                                                       employer_name=employer_name, worker_employer=employer_name))
        arb.accept(hall, clerk, r.case_id)
        arb.serve_respondent(hall, clerk, r.case_id)
        arb.form_tribunal(hall, clerk, r.case_id, THREE)
        arb.schedule_hearing(hall, clerk, r.case_id, dt.datetime(2026, 12, 3, start, 0),
                             dt.datetime(2026, 12, 3, start + 2, 0))
        ids.append(r.case_id)
    pdf = render.render_hearing_notices_for_day(hall, clerk, D(2026, 12, 3))
    assert pdf.startswith(b"%PDF-") and pdf_page_count(pdf) == 4
    text = flat(pdf_body_text(pdf))
    assert text.count("开庭通知书") >= 4
    for name in ("张伟：", "东湖机械厂：", "王芳：", "东湖纺织厂：", "上午9时", "下午2时"):
        assert name in text
    assert text.index("张伟：") < text.index("王芳：")            # in the order the hearings sit
    for cid in ids:
        listed = docs.list_documents(hall, clerk, subject_type="arbitration", subject_id=cid, kind="hearing_notice")
        assert [d.version for d in listed] == [1, 2] and all(d.format == "pdf" for d in listed)
        assert {d.title.split("（致")[1] for d in listed} == {f"申请人{'张伟' if cid == ids[0] else '王芳'}）",
                                                             f"被申请人{'东湖机械厂' if cid == ids[0] else '东湖纺织厂'}）"}
    with pytest.raises(NotFound, match="2026年12月4日没有安排开庭"):
        render.render_hearing_notices_for_day(hall, clerk, D(2026, 12, 4))


# ================================================================ petitions
PETITION = {"channel": "written", "via": "letter",
            "petitioners": [{"name": EXT_B, "address": "东湖区幸福里3号", "phone": "13812345678"}],
            "matter": "城建", "request": "要求停止夜间施工", "facts": "小区旁工地夜间施工", "reasons": "影响休息"}


def test_petition_acceptance_and_opinion(hall, window_staff, clock):
    needs_ext_b_font()
    p = pet.register_petition(hall, window_staff, PETITION)
    with pytest.raises(Conflict, match="尚未作出受理决定"):
        render.render_document(hall, window_staff, "petition_acceptance", case_number=p.number)
    at(clock, 2026, 11, 24)
    pet.decide_acceptance(hall, window_staff, p.id, "accept")
    for fmt in ("pdf", "docx"):
        acceptance = render.render_document(hall, window_staff, "petition_acceptance", case_number=p.number, fmt=fmt)
        assert_parts(acceptance, EXT_B, p.number, "要求停止夜间施工", "2026年11月23日", "东湖区社会治理服务中心")
    pet.handle(hall, window_staff, p.id, handler_user_id=window_staff.user_id)
    at(clock, 2026, 12, 1)
    pet.issue_opinion(hall, window_staff, p.id, outcome="explain", text="施工许可合法，已协调调整作业时间",
                      basis="《中华人民共和国噪声污染防治法》")
    opinion = render.render_document(hall, window_staff, "petition_opinion", subject_id=p.id)
    assert_parts(opinion, EXT_B, "小区旁工地夜间施工；影响休息", "作出解释说明如下", "施工许可合法",
                 "《中华人民共和国噪声污染防治法》", "2026年12月1日")
    listed = docs.list_documents(hall, window_staff, subject_type="petition", subject_id=p.id)
    assert [(d.kind, d.version) for d in listed] == [("petition_acceptance", 1), ("petition_acceptance", 2),
                                                     ("petition_opinion", 1)]


# ====================================================================== CLI
def test_available_kinds_cover_the_registry():
    kinds = render.available_kinds()
    assert [k.kind for k in kinds] == list(registry.KINDS)
    assert {k.kind for k in render.available_kinds("arbitration")} == {
        k for k, v in registry.KINDS.items() if v.area == "劳动人事争议仲裁"}
    assert [k.kind for k in render.available_kinds("信访")] == ["petition_acceptance", "petition_opinion"]
    with pytest.raises(InvalidInput):
        render.available_kinds("poetry")


def test_cli_renders_a_document_to_a_file_and_refuses_a_bad_kind_in_one_line(hall, med, settled, tmp_path, capsys):
    from hall.cli import main

    out = tmp_path / "out" / "协议书.pdf"
    assert main(["--db", hall.url, "--json", "doc", "render", "mediation_agreement", "--case", settled.number,
                 "--format", "pdf", "--out", str(out)]) == 0
    shown = json.loads(capsys.readouterr().out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and shown["sha256"] == hashlib.sha256(data).hexdigest()
    assert shown["version"] == 1 and shown["path"] == str(out)
    assert main(["--db", hall.url, "doc", "render", "mediation_agreement", "--case", settled.number,
                 "--format", "docx", "--out", str(tmp_path / "协议书.docx")]) == 0
    assert "第2版，DOCX" in capsys.readouterr().out
    assert main(["--db", hall.url, "doc", "render", "poem", "--case", settled.number,
                 "--out", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "未知的文书种类：poem" in err and not (tmp_path / "x.pdf").exists()
    assert main(["--db", hall.url, "doc", "render", "arbitration_award", "--case", "没有这个案号",
                 "--out", str(tmp_path / "y.pdf")]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["--db", hall.url, "--json", "doc", "kinds"]) == 0
    kinds = json.loads(capsys.readouterr().out)["kinds"]
    assert len(kinds) == len(registry.KINDS) and kinds[0]["kind"] == "mediation_agreement"


def test_cli_registers_a_document_only_after_its_file_is_written_and_checked(hall, med, settled, tmp_path,
                                                                           capsys, monkeypatch):
    import errno

    import hall.cli_docs as cli_docs
    from hall.cli import main

    def registered():
        return len(docs.list_documents(hall, med, case_id=settled.id))

    before = registered()
    folder = tmp_path / "already-a-folder"
    folder.mkdir()
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    for out in (folder, a_file / "x.pdf"):
        assert main(["--db", hall.url, "doc", "render", "mediation_agreement", "--case", settled.number,
                     "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert registered() == before

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cli_docs.os, "fsync", disk_full)
    out = tmp_path / "full" / "协议书.pdf"
    assert main(["--db", hall.url, "doc", "render", "mediation_agreement", "--case", settled.number,
                 "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "文书未登记" in err
    assert registered() == before and list((tmp_path / "full").iterdir()) == []
    monkeypatch.undo()
    assert main(["--db", hall.url, "doc", "render", "mediation_agreement", "--case", settled.number,
                 "--out", str(out)]) == 0
    assert registered() == before + 1 and out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in out.parent.iterdir()] == [out.name]
