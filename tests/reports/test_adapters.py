"""reports.adapters: the services' typed facts become the exact inputs of every kind.

All three areas come as typed facts:
:class:`~reports.facts_mediation.MediationFacts`,
:class:`~reports.facts_arbitration.ArbitrationFacts` and
:class:`~reports.facts_petition.PetitionFacts`. No database is involved."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest

from hall.domain.clock import HALL_TZ
from reports import adapters, registry
from reports.adapters import MissingFacts
from reports.docmodel import (
    Agreement,
    Award,
    HearingNotice,
    Organisation,
    Person,
    PetitionIntake,
    PetitionOutcome,
    PostponementNotice,
    SessionMinutes,
)
from reports.facts import CentreProfile
from reports.facts_arbitration import (
    ArbitrationAgent,
    ArbitrationClaim,
    ArbitrationFacts,
    ArbitrationParty,
    Arbitrator,
    AwardFacts,
    ClaimAmount,
    CorrectionFacts,
    EvidenceItem,
    ExtensionFacts,
    HearingFacts,
    PostponementFacts,
    ReceiptFacts,
    RecusalFacts,
    RefusalFacts,
    SettlementFacts,
    WithdrawalFacts,
)
from reports.facts_mediation import (
    MediationAgent,
    MediationAgreement,
    MediationBooking,
    MediationFacts,
    MediationFollowUp,
    MediationMinutes,
    MediationParty,
    MediationSession,
    MediationSignoff,
    MediationTerm,
    MediationTermination,
    MinutesStatement,
    SessionParticipant,
    mediation_side_labels,
)
from reports.facts_petition import PetitionFacts, PetitionPerson
from tests.reports.test_official import assert_layout, needs_ext_b_font, needs_poppler

EXT_B = "𠮷野家明"
ID = "11010519491231002X"
NUMBER = "（2026）东人调字第12号"
ARB = "东劳人仲案字〔2026〕第15号"

PROFILE = {"name": "东湖区社会治理服务中心", "address": "东湖区人民路88号", "phone": "0571-88886666",
           "mediation_committee": "东湖区人民调解委员会", "arbitration_commission": "东湖区劳动人事争议仲裁委员会",
           "petition_office": "东湖区信访局", "basic_court": "东湖区人民法院"}


def _agreement(**changes) -> MediationAgreement:
    agreement = MediationAgreement(
        version=1, state="effective", oral=False, liability="被申请人承担支付责任",
        facts="申请人在被申请人处工作，被申请人拖欠2026年9月、10月工资。", text="", text_sha256="", copies=3,
        effective_on=dt.date(2026, 11, 23),
        terms=(
            MediationTerm(content="支付2026年9月、10月工资", obligor="东湖科技有限公司", obligee=EXT_B,
                          amount=Decimal("12000.00"), amount_capitals="人民币壹万贰仟元整", method="银行转账",
                          due_date=dt.date(2026, 11, 30)),
            MediationTerm(content="被申请人支付申请人经济补偿", obligor="东湖科技有限公司", obligee=EXT_B,
                          amount=Decimal("3500.50"), amount_capitals="人民币叁仟伍佰元伍角整",
                          due_date=dt.date(2026, 12, 15)),
            MediationTerm(content="双方就本纠纷再无其他争议"),
        ),
        signoffs=(MediationSignoff(kind="party", by_name=EXT_B), MediationSignoff(kind="mediator", by_name="周国平"),
                  MediationSignoff(kind="seal", by_name="东湖区人民调解委员会")),
    )
    return dataclasses.replace(agreement, **changes)


WORKER = MediationParty(
    side="applicant", kind="person", name=EXT_B, sex="女", ethnicity="汉族", birth_date=dt.date(1949, 12, 31),
    age=76, id_number=ID, occupation="车间工人", address="东湖区人民路1号", phone="13812345678",
    agents=(MediationAgent(name="李律师", phone="13700001111", relation="律师", scope_label="特别授权",
                           authorisation="代为调解、签收文书"),))
COMPANY = MediationParty(
    side="respondent", kind="organisation", name="东湖科技有限公司", credit_code="91330100MA2AAAAAAA",
    address="东湖区工业园8号", phone="0571-88001234", legal_rep="王五", legal_rep_title="总经理")


def _session(**changes) -> MediationSession:
    session = MediationSession(
        id=7, place="劳动纠纷调解室", started_at=dt.datetime(2026, 11, 23, 9, 30, tzinfo=HALL_TZ),
        ended_at=dt.datetime(2026, 11, 23, 11, 0, tzinfo=HALL_TZ), mediator="周国平", recorder="孙婷",
        outcome="agreement", recorded=True,
        participants=(
            SessionParticipant(role="party", role_label="当事人", name=EXT_B, presence="on_site",
                               identity="现场查验身份证件"),
            SessionParticipant(role="agent", role_label="代理人", name="李律师", presence="remote",
                               remote_location="某律师事务所", identity="镜头前出示身份证件")),
        minutes=MediationMinutes(subject="追索劳动报酬", rights_notice="当事人表示已听清，不申请回避。",
                                 statements=(MinutesStatement(speaker=EXT_B, text="公司欠我两个月工资"),),
                                 fact_check="双方确认欠薪12000元", agreement="公司分两笔支付"),
    )
    return dataclasses.replace(session, **changes)


def _mediation(**changes) -> MediationFacts:
    facts = MediationFacts(
        profile=CentreProfile.from_mapping(PROFILE), committee="东湖区人民调解委员会", number=NUMBER,
        category="劳动争议", source="当事人申请", facts="申请人在被申请人处工作，被申请人拖欠工资。",
        claims="支付拖欠工资12000元\n赔礼道歉", state="agreement", state_reason="",
        registered_on=dt.date(2026, 11, 20), accepted_on=dt.date(2026, 11, 21), closed_on=None, mediator="周国平",
        parties=(WORKER, COMPANY), agreement=_agreement(), sessions=(_session(),), termination=None,
        follow_ups=(MediationFollowUp(at=dt.datetime(2026, 12, 1, 10, 0, tzinfo=HALL_TZ), by="陈丽",
                                      method="电话回访", performance="已履行", note="已转账"),),
        bookings=(MediationBooking(start=dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
                                   room="金牌调解室", mediator="周国平"),),
        generated_on=dt.date(2026, 11, 23), generated_at=dt.datetime(2026, 11, 23, 12, 0, tzinfo=HALL_TZ),
    )
    return dataclasses.replace(facts, **changes)


# =================================================================== centre
def test_the_centre_header_comes_from_the_profile():
    centre = adapters.centre_from_profile(PROFILE)
    assert (centre.committee_name, centre.arbitration_commission, centre.petition_office, centre.basic_court) == (
        "东湖区人民调解委员会", "东湖区劳动人事争议仲裁委员会", "东湖区信访局", "东湖区人民法院")
    assert centre.seal_text == "（印章）"
    bare = adapters.centre_from_profile({"name": "西湖区中心", "seal_text": ""})
    assert bare.committee_name == "西湖区中心人民调解委员会" and bare.seal_text == ""
    assert adapters.centre_from_profile(PROFILE, committee="某委员会").committee_name == "某委员会"


def test_every_registry_kind_has_an_area():
    assert set(adapters.AREA_OF) == set(registry.KINDS)
    for kind, area in adapters.AREA_OF.items():
        assert {"mediation": "人民调解", "arbitration": "劳动人事争议仲裁", "petition": "信访"}[area] == \
            registry.KINDS[kind].area


def test_side_labels_of_mediation():
    def labels(*sides):
        return mediation_side_labels(sides)

    assert labels("applicant", "respondent") == ["甲方", "乙方"]
    assert labels("applicant", "applicant", "respondent", "third") == ["甲方一", "甲方二", "乙方", "丙方"]
    assert labels("respondent", "applicant") == ["乙方", "甲方"]


def test_amounts_in_free_text_get_their_capitals():
    assert adapters.with_capitals("支付工资12000元。") == "支付工资12,000.00元（大写：人民币壹万贰仟元整）。"
    assert adapters.with_capitals("补偿1,200.5元") == "补偿1,200.50元（大写：人民币壹仟贰佰元伍角整）"
    already = "支付12,000.00元（大写：人民币壹万贰仟元整）"
    assert adapters.with_capitals(already) == already
    assert adapters.with_capitals("2026年12月31日前") == "2026年12月31日前"


# ================================================================ mediation
def test_the_agreement_from_the_facts_is_exact():
    a = adapters.mediation_input("mediation_agreement", _mediation())
    assert isinstance(a, Agreement)
    worker, company = a.case.parties
    assert isinstance(worker, Person) and isinstance(company, Organisation)
    assert (worker.side, worker.name, worker.id_number, worker.birth_date, worker.phone) == (
        "甲方", EXT_B, ID, dt.date(1949, 12, 31), "13812345678")
    assert worker.agents[0].authority == "特别授权（代为调解、签收文书）" and worker.agents[0].description == "律师"
    assert (company.side, company.credit_code, company.legal_rep, company.legal_rep_title) == (
        "乙方", "91330100MA2AAAAAAA", "王五", "总经理")
    assert a.case.centre.committee_name == "东湖区人民调解委员会" and a.case.centre.basic_court == "东湖区人民法院"
    assert a.case.number == NUMBER and a.case.category == "劳动争议" and a.case.claims == ("支付拖欠工资12000元", "赔礼道歉")
    assert a.case.responsibilities == "被申请人承担支付责任" and a.case.recorder == "孙婷"
    t1, t2, t3 = a.terms
    assert t1.amount == Decimal("12000.00") and t1.capitals == "人民币壹万贰仟元整"
    assert t1.sentence() == (f"乙方东湖科技有限公司向甲方{EXT_B}支付2026年9月、10月工资12,000.00元（大写：人民币壹万贰仟元整）"
                             "（履行方式：银行转账；履行期限：2026年11月30日前）。")
    assert t2.sentence().startswith("被申请人支付申请人经济补偿3,500.50元（大写：人民币叁仟伍佰元伍角整）")
    assert t3.sentence() == "双方就本纠纷再无其他争议。"
    assert a.total_amount == Decimal("15500.50") and a.copy_count == 3
    assert a.signatories.signed_on == dt.date(2026, 11, 23) and a.signatories.mediators == ("周国平",)


def test_masked_numbers_are_left_off_and_versions_and_oral_agreements_are_handled():
    masked = dataclasses.replace(WORKER, id_number="110105**********2X", phone="138****5678")
    a = adapters.mediation_input("mediation_agreement", _mediation(parties=(masked, COMPANY),
                                                                   agreement=_agreement(version=2)))
    assert a.case.parties[0].id_number == "" and a.case.parties[0].phone == ""
    assert a.number == f"{NUMBER}（第2版）"
    with pytest.raises(MissingFacts, match="第二十八条"):
        adapters.mediation_input("mediation_agreement", _mediation(agreement=_agreement(oral=True)))
    with pytest.raises(MissingFacts, match="尚无调解协议"):
        adapters.mediation_input("mediation_agreement", _mediation(agreement=None))
    with pytest.raises(MissingFacts, match="尚无协议条款"):
        adapters.mediation_input("mediation_agreement", _mediation(agreement=_agreement(terms=())))
    with pytest.raises(ValueError, match="大写金额"):
        terms = _agreement().terms
        bad = (dataclasses.replace(terms[0], amount_capitals="人民币壹万元整"), *terms[1:])
        adapters.mediation_input("mediation_agreement", _mediation(agreement=_agreement(terms=bad)))


def test_a_signed_agreement_prints_its_frozen_text():
    signing = _mediation(agreement=_agreement(state="signing", text="协议原文", text_sha256="ab" * 32))
    assert adapters.mediation_input("mediation_agreement", signing).frozen_text == "协议原文"
    draft = _mediation(agreement=_agreement(state="draft", text="草稿"))
    assert adapters.mediation_input("mediation_agreement", draft).frozen_text == ""


def test_the_minutes_from_a_session():
    m = adapters.mediation_input("mediation_minutes", _mediation())
    assert isinstance(m, SessionMinutes)
    assert [(p.name, p.role, p.remote, p.identity_check) for p in m.participants] == [
        (EXT_B, "甲方", False, "现场查验身份证件"), ("李律师", "甲方委托代理人", True, "镜头前出示身份证件")]
    assert m.place == "劳动纠纷调解室" and m.matter == "追索劳动报酬" and m.recorder == "孙婷"
    assert m.statements[0].speaker == EXT_B and m.result.agreed and m.result.agreement_number == NUMBER
    assert m.recording_note and m.has_remote
    with pytest.raises(MissingFacts, match="尚无调解记录"):
        adapters.mediation_input("mediation_minutes", _mediation(sessions=()))
    with pytest.raises(MissingFacts):
        adapters.mediation_input("mediation_minutes", _mediation(), session_id=99)


def test_minutes_of_an_adjourned_session_written_as_text():
    minutes = MediationMinutes(statements="调解员：请陈述\n申请人：公司欠薪\n两个月", principles="自愿、平等",
                               fact_check="核实")
    m = adapters.mediation_input("mediation_minutes", _mediation(
        sessions=(_session(), _session(id=8, outcome="adjourned", minutes=minutes, recorded=False, recorder=""))))
    assert [(x.speaker, x.text) for x in m.statements] == [("调解员", "请陈述"), ("申请人", "公司欠薪两个月")]
    assert m.fact_check == "自愿、平等\n核实" and not m.result.agreed and m.recorder == "孙婷"
    assert m.result.summary == "本次调解未达成协议，择期继续调解" and m.recording_note == ""
    first = adapters.mediation_input("mediation_minutes", _mediation(sessions=(_session(), _session(id=8))), session_id=7)
    assert first.started_at == _session().started_at and first.result.agreed


def test_termination_follow_up_and_registration():
    failed = _mediation(termination=MediationTermination(
        reason="用人单位拒绝调解", routes=("向劳动人事争议仲裁委员会申请劳动争议仲裁", "依法向人民法院提起诉讼")),
        closed_on=dt.date(2026, 11, 25))
    t = adapters.mediation_input("mediation_termination", failed)
    assert t.decided_on == dt.date(2026, 11, 25) and t.reason == "用人单位拒绝调解"
    assert t.routes == ("向劳动人事争议仲裁委员会申请劳动争议仲裁；", "依法向人民法院提起诉讼。")
    with pytest.raises(MissingFacts, match="未终止调解"):
        adapters.mediation_input("mediation_termination", _mediation())
    f = adapters.mediation_input("mediation_follow_up", _mediation())
    assert (f.visited_on, f.method, f.visitor, f.agreement_date) == (
        dt.date(2026, 12, 1), "电话回访", "陈丽", dt.date(2026, 11, 23))
    assert "已履行" in f.findings and "已转账" in f.findings
    r = adapters.mediation_input("mediation_registration", _mediation())
    assert r.registered_on == dt.date(2026, 11, 20) and r.accepted and r.requests == "支付拖欠工资12000元；赔礼道歉"


def test_the_notice_to_attend_names_the_place_and_the_party():
    n = adapters.mediation_input("mediation_attendance_notice", _mediation())
    assert n.addressee.name == "东湖科技有限公司" and n.addressee.side == "乙方"
    assert n.place == "东湖区人民路88号东湖区社会治理服务中心金牌调解室" and n.mediator == "周国平"
    assert adapters.mediation_input("mediation_attendance_notice", _mediation(), side="applicant").addressee.name == EXT_B


def test_a_missing_fact_stops_the_document_with_a_chinese_message():
    with pytest.raises(MissingFacts, match="当事人不足两方，不能制作调解文书"):
        _mediation(parties=(WORKER,)).document("mediation_rights_notice")
    with pytest.raises(MissingFacts, match=f"案件{re.escape(NUMBER)}没有登记日期"):
        _mediation(registered_on=None).document("mediation_registration")
    with pytest.raises(MissingFacts, match="尚无回访记录"):
        _mediation(follow_ups=()).document("mediation_follow_up")
    with pytest.raises(MissingFacts, match="没有开始时间"):
        _mediation(sessions=(_session(started_at=None),)).document("mediation_minutes")
    with pytest.raises(MissingFacts, match="尚未预约调解室和时间"):
        _mediation(bookings=()).document("mediation_attendance_notice")
    with pytest.raises(MissingFacts, match="没有申请人，不能制作调解通知书"):
        _mediation(parties=(COMPANY, COMPANY)).document("mediation_attendance_notice", side="applicant")
    with pytest.raises(MissingFacts, match="不是人民调解文书"):
        _mediation().document("poem")


def test_mediation_facts_are_typed():
    with pytest.raises(TypeError):
        MediationParty(side="applicant", kind="person", name="甲", adress="某地")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        MediationFacts(number=NUMBER)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        dataclasses.replace(_mediation(), registerd_on=dt.date(2026, 11, 20))
    with pytest.raises(dataclasses.FrozenInstanceError):
        _mediation().number = "x"  # type: ignore[misc]


@needs_poppler
@pytest.mark.parametrize("kind", list(adapters.MEDIATION_KINDS))
def test_each_mediation_kind_renders_with_its_required_parts(kind):
    needs_ext_b_font()
    data = _mediation(termination=MediationTermination(reason="用人单位拒绝调解", routes=("依法向人民法院提起诉讼",)))
    assert_layout(kind, adapters.adapt(kind, data), EXT_B)


# ============================================================== arbitration
ARB_PROFILE = CentreProfile(name="东湖区社会治理服务中心", address="东湖区人民路88号", phone="0571-88886666",
                            arbitration_commission="东湖区劳动人事争议仲裁委员会")


def _award(**changes) -> AwardFacts:
    award = AwardFacts(made_on=dt.date(2026, 12, 11), result="被申请人于本裁决生效之日起五日内支付申请人工资12000元。",
                       reasons="被申请人拖欠工资事实清楚。", facts_found="申请人2026年9月至10月工资12000元未获支付。",
                       costs="本案不收取仲裁费用（《劳动争议调解仲裁法》第五十三条）。", final=True)
    return dataclasses.replace(award, **changes)


def _facts(kind: str = "award", **changes) -> ArbitrationFacts:
    """A case with every part of every document (as the service gives only the part asked for)."""
    facts = ArbitrationFacts(
        profile=ARB_PROFILE, kind=kind, case_number=ARB, receipt_number="仲收〔2026〕9号", date=dt.date(2026, 12, 11),
        applicant_side="worker",
        worker=ArbitrationParty(name=EXT_B, sex="女", birth_date=dt.date(1949, 12, 31), id_number=ID, ethnicity="汉族",
                                occupation="焊工", work_unit="东湖机械厂", address="东湖区人民路1号",
                                mailing_address="东湖区邮政路2号", phone="13812345678"),
        employer=ArbitrationParty(name="东湖机械厂", organisation=True, credit_code="91330100MA2KXXXX0X",
                                  address="东湖区工业路2号", legal_rep="王强", legal_rep_title="厂长",
                                  phone="0571-1234567"),
        agents=(ArbitrationAgent(name="李律师", acts_for="applicant", description="某律师事务所"),),
        claims=(ArbitrationClaim(index=1, kind="remuneration", kind_label="劳动报酬", description="支付2026年9月至10月工资",
                                 amount=ClaimAmount(figures="12,000.00", words="人民币壹万贰仟元整"),
                                 awarded=ClaimAmount(figures="12,000.00", words="人民币壹万贰仟元整"), result="支持"),),
        facts_reasons="申请人在被申请人处任焊工，被申请人拖欠两个月工资。",
        evidence=(EvidenceItem(name="工资条", source="申请人保存"),),
        received_on=dt.date(2026, 11, 23), accepted_on=dt.date(2026, 11, 24),
        tribunal=(Arbitrator(name="刘仲裁", role="presiding"), Arbitrator(name="陈仲裁", role="member"),
                  Arbitrator(name="黄仲裁", role="member")),
        channel="oral", recorder="孙婷",
        receipt=ReceiptFacts(materials=("仲裁申请书", "工资条")),
        correction=CorrectionFacts(items=("劳动者职业", "证据来源"), notice_on=dt.date(2026, 11, 23)),
        refusal=RefusalFacts(refused_on=None, reasons="被申请人拖欠工资事实清楚。"),
        hearing=HearingFacts(id=4, starts_at=dt.datetime(2026, 12, 10, 14, 0, tzinfo=HALL_TZ),
                             ends_at=dt.datetime(2026, 12, 10, 16, 30, tzinfo=HALL_TZ), room="劳动仲裁庭",
                             state="scheduled",
                             record_text="仲裁员：请申请人陈述。\n申请人：要求支付工资。\n被申请人：同意支付。",
                             applicant_present=True, respondent_present=False),
        postponement=PostponementFacts(previous_starts_at=dt.datetime(2026, 12, 3, 9, 30, tzinfo=HALL_TZ),
                                       requested_by="applicant", reason="住院治疗", decision="准许延期",
                                       decided_on=dt.date(2026, 11, 26)),
        settlement=SettlementFacts(terms="被申请人于2026年12月31日前支付申请人工资10000元。\n申请人放弃其他请求。",
                                   made_on=dt.date(2026, 12, 9)),
        award=_award(),
        extension=ExtensionFacts(approved_by="周主任", reason="需要对考勤记录进行鉴定", approved_on=dt.date(2026, 12, 20),
                                 days=15, original_due=dt.date(2027, 1, 8), new_due=dt.date(2027, 1, 25)),
        withdrawal=WithdrawalFacts(outcome="deemed_withdrawn", decided_on=dt.date(2026, 12, 10),
                                   reasons="被申请人拖欠工资事实清楚。", hearing_on=dt.date(2026, 12, 10),
                                   notice_served_on=dt.date(2026, 12, 2)),
        recusal=RecusalFacts(member="陈仲裁", role_label="仲裁员", applied_by_label="被申请人",
                             applied_on=dt.date(2026, 12, 1), ground_text="与本案有利害关系",
                             basis="《劳动争议调解仲裁法》第三十三条第一款第（二）项", granted=True,
                             reason="陈仲裁系申请人代理人所在律师事务所的合伙人", decided_by="周主任",
                             decided_on=dt.date(2026, 12, 2), replacement="赵仲裁"),
    )
    return dataclasses.replace(facts, **changes)


def test_the_arbitration_case_is_exact():
    case = _facts(profile=dataclasses.replace(ARB_PROFILE, seal_text="")).case(clerk="孙婷")
    worker, = case.applicants
    employer, = case.respondents
    assert (worker.side, worker.name, worker.id_number, worker.work_unit, worker.mailing_address) == (
        "申请人", EXT_B, ID, "东湖机械厂", "东湖区邮政路2号")
    assert worker.agents[0].name == "李律师" and worker.agents[0].description == "某律师事务所"
    assert (employer.side, employer.credit_code, employer.legal_rep_title) == ("被申请人", "91330100MA2KXXXX0X", "厂长")
    assert case.number == ARB and case.cause == "劳动报酬争议" and case.centre.seal_text == ""
    assert case.centre.arbitration_commission == "东湖区劳动人事争议仲裁委员会"
    claim, = case.claims
    assert claim.amount == Decimal("12000.00") and claim.sentence() == \
        "支付2026年9月至10月工资12,000.00元（大写：人民币壹万贰仟元整）。"
    assert case.tribunal.presiding == "刘仲裁" and case.tribunal.members == ("陈仲裁", "黄仲裁")
    assert case.tribunal.clerk == "孙婷"
    before = _facts(case_number="").case()
    assert before.number == "仲收〔2026〕9号"      # before acceptance: the receipt number
    with pytest.raises(MissingFacts, match="仲裁庭组成不完整"):
        _facts(tribunal=(Arbitrator(name="刘仲裁", role="presiding"),)).case()
    # an employer applying: the employer is the 申请人, its agents follow it
    employer_applies = _facts(applicant_side="employer", agents=(
        ArbitrationAgent(name="周法务", acts_for="employer", description="东湖机械厂法务部"),)).case()
    assert employer_applies.applicants[0].name == "东湖机械厂" and employer_applies.respondents[0].name == EXT_B
    assert employer_applies.applicants[0].agents[0].name == "周法务" and not employer_applies.respondents[0].agents
    masked = _facts(worker=dataclasses.replace(_facts().worker, id_number="110105********002X",
                                               phone="138****5678")).case()
    assert (masked.applicants[0].id_number, masked.applicants[0].phone) == ("", "")


def test_notices_go_to_the_side_asked_for_at_the_hall_time():
    notice = _facts().document("arbitration_hearing_notice", side="respondent")
    assert isinstance(notice, HearingNotice) and notice.addressee.name == "东湖机械厂"
    assert notice.hearing.starts_at == dt.datetime(2026, 12, 10, 14, 0) and notice.hearing.room == "劳动仲裁庭"
    assert notice.hearing.address == "东湖区人民路88号" and notice.issued_on == dt.date(2026, 12, 11)
    assert adapters.arbitration_input("arbitration_hearing_notice", _facts()).addressee.name == EXT_B
    post = _facts().document("arbitration_postponement")
    assert isinstance(post, PostponementNotice)
    assert post.original.starts_at == dt.datetime(2026, 12, 3, 9, 30) and post.new.starts_at.hour == 14
    assert post.requested_by == "申请人" and post.reason == "住院治疗" and post.issued_on == dt.date(2026, 11, 26)
    refused = _facts(postponement=dataclasses.replace(_facts().postponement, decision="不准许延期"))
    with pytest.raises(MissingFacts, match="未获准许"):
        refused.document("arbitration_postponement")
    with pytest.raises(MissingFacts, match="受送达人"):
        _facts().document("arbitration_hearing_notice", side="court")
    with pytest.raises(MissingFacts, match="没有安排开庭"):
        _facts(hearing=None).document("arbitration_hearing_notice")
    record = _facts().document("arbitration_hearing_record")
    assert [(e.speaker, e.text) for e in record.sections[0].entries] == [
        ("仲裁员", "请申请人陈述。"), ("申请人", "要求支付工资。"), ("被申请人", "同意支付。")]
    assert [a.role for a in record.attendees] == ["申请人"] and record.ended_at == dt.datetime(2026, 12, 10, 16, 30)
    assert record.case.tribunal.clerk == "孙婷"        # the recorder of the hearing


def test_the_award_and_its_finality():
    award = _facts().document("arbitration_award")
    assert isinstance(award, Award) and award.final and award.issued_on == dt.date(2026, 12, 11)
    assert award.result[0].sentence() == \
        "被申请人于本裁决生效之日起五日内支付申请人工资12,000.00元（大写：人民币壹万贰仟元整）。"
    nonfinal = _facts(award=_award(final=False, default=True)).document("arbitration_award")
    assert not nonfinal.final and nonfinal.respondent_absent
    assert award.facts_found.startswith("申请人2026年9月") and "第五十三条" in award.costs
    with pytest.raises(MissingFacts, match="已分别制作两份裁决书"):
        _facts(award=_award(choose_part=True)).document("arbitration_award")
    part = _facts(award=_award(final=False, part_label="非终局裁决事项")).document("arbitration_award")
    assert part.part_label == "非终局裁决事项" and not part.final
    for key in ("facts_found", "costs", "reasons"):
        with pytest.raises(MissingFacts, match="第四十六条"):
            _facts(award=_award(**{key: ""})).document("arbitration_award")
    with pytest.raises(MissingFacts, match="尚未作出裁决"):
        _facts(award=_award(made_on=None)).document("arbitration_award")
    with pytest.raises(MissingFacts, match="尚未作出裁决"):
        _facts(award=None).document("arbitration_award")
    with pytest.raises(MissingFacts, match="没有仲裁庭"):
        _facts(tribunal=()).document("arbitration_award")
    statement = _facts().document("arbitration_mediation_statement")
    assert [t.sentence() for t in statement.terms] == [
        "被申请人于2026年12月31日前支付申请人工资10,000.00元（大写：人民币壹万元整）。", "申请人放弃其他请求。"]


def test_receipts_and_refusals():
    with pytest.raises(MissingFacts, match="收件时间"):
        _facts().document("arbitration_receipt")
    moment = dt.datetime(2026, 11, 23, 9, 40, tzinfo=HALL_TZ)
    receipt = _facts().document("arbitration_receipt", received_at=moment, clerk="孙婷")
    assert [(m.name, m.original) for m in receipt.materials] == [("仲裁申请书", True), ("工资条", False)]
    assert receipt.receiver == "孙婷" and receipt.complete and receipt.receipt_number == "仲收〔2026〕9号"
    with pytest.raises(MissingFacts, match="不予受理决定"):
        _facts().document("arbitration_rejection")
    refusal = _facts(refusal=RefusalFacts(refused_on=dt.date(2026, 11, 24), reasons="不属于劳动争议；超过仲裁时效")
                     ).document("arbitration_rejection")
    assert refusal.reasons == ("不属于劳动争议", "超过仲裁时效")
    service = _facts().document("arbitration_service_receipt", side="applicant", clerk="孙婷")
    assert service.documents == (f"仲裁裁决书（{ARB}）",) and service.address == "东湖区邮政路2号"
    assert _facts().document("arbitration_service_receipt", side="respondent",
                             served_document=("response_notice", "application_copy")).documents == (
        f"应诉通知书（{ARB}）", f"仲裁申请书副本（{ARB}）")


def test_a_missing_fact_is_named_in_chinese():
    with pytest.raises(MissingFacts, match="缺少文书日期"):
        _facts(date=None).document("arbitration_hearing_notice")
    with pytest.raises(MissingFacts, match="仲裁案件缺少申请人或被申请人"):
        _facts(employer=ArbitrationParty(name="", organisation=True)).document("arbitration_acceptance")
    with pytest.raises(MissingFacts, match="案件尚未受理"):
        _facts(case_number="").document("arbitration_acceptance")
    with pytest.raises(MissingFacts, match="不是劳动人事争议仲裁文书"):
        _facts().document("mediation_agreement")


def test_arbitration_facts_are_typed():
    with pytest.raises(TypeError):
        ArbitrationParty(name="甲", adress="某地")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        dataclasses.replace(_facts(), award_date=dt.date(2026, 12, 11))
    with pytest.raises(TypeError):
        AwardFacts(result="支付工资")  # type: ignore[call-arg]   # the award's date must be given, even as None
    with pytest.raises(dataclasses.FrozenInstanceError):
        _facts().case_number = "x"  # type: ignore[misc]


@needs_poppler
@pytest.mark.parametrize("kind", list(adapters.ARBITRATION_KINDS))
def test_each_arbitration_kind_renders_with_its_required_parts(kind):
    needs_ext_b_font()
    facts = _facts(refusal=RefusalFacts(refused_on=dt.date(2026, 11, 24), reasons="被申请人拖欠工资事实清楚。"))
    data = adapters.adapt(kind, facts, clerk="孙婷", received_at=dt.datetime(2026, 11, 23, 9, 40, tzinfo=HALL_TZ))
    assert_layout(kind, data, EXT_B)


@needs_poppler
def test_the_new_decisions_are_filled_from_the_case():
    needs_ext_b_font()
    opts = dict(clerk="孙婷", received_at=dt.datetime(2026, 11, 23, 9, 40, tzinfo=HALL_TZ))
    texts = assert_layout("arbitration_extension_notice", _facts().document("arbitration_extension_notice", **opts))
    for text in texts.values():
        assert "审理期限原定于2027年1月8日届满" in text and "经本委主任周主任于2026年12月20日批准" in text
        assert "需要对考勤记录进行鉴定" in text and "至2027年1月25日届满" in text
    deemed = _facts(withdrawal=dataclasses.replace(_facts().withdrawal, reasons="无正当理由拒不到庭"))
    texts = assert_layout("arbitration_withdrawal_decision", deemed.document("arbitration_withdrawal_decision", **opts))
    for text in texts.values():
        assert "本委于2026年12月2日将开庭日期、地点书面通知申请人" in text and "第三十六条第一款" in text
        assert "本案按申请人" in text
    withdrawn = _facts(withdrawal=WithdrawalFacts(outcome="withdrawn", decided_on=dt.date(2026, 12, 10),
                                                  reasons="双方已和解")).document("arbitration_withdrawal_decision", **opts)
    for text in assert_layout("arbitration_withdrawal_decision", withdrawn).values():
        assert "准许申请人" in text and "第四十一条" in text and "双方已和解" in text
    for text in assert_layout("arbitration_recusal_decision",
                              _facts().document("arbitration_recusal_decision", **opts)).values():
        assert "被申请人于2026年12月1日申请仲裁员陈仲裁回避" in text and "由赵仲裁担任本案仲裁员" in text
        assert "本决定由本委主任周主任作出" in text
    for text in assert_layout("arbitration_oral_application",
                              _facts().document("arbitration_oral_application", **opts)).values():
        assert "支付2026年9月至10月工资" in text and "被申请人拖欠两个月工资" in text and "工资条" in text
        assert "记录人（签名）：孙婷" in text
    with pytest.raises(MissingFacts, match="书面申请"):
        _facts(channel="written").document("arbitration_oral_application", **opts)
    with pytest.raises(MissingFacts, match="经批准的延长"):
        _facts(extension=None).document("arbitration_extension_notice", **opts)
    with pytest.raises(MissingFacts, match="回避决定"):
        _facts(recusal=None).document("arbitration_recusal_decision", **opts)


# ================================================================ petitions
def _petition(**changes) -> PetitionFacts:
    facts = PetitionFacts(
        profile=CentreProfile(), number="信访〔2026〕第3号", via="letter",
        petitioners=(PetitionPerson(name=EXT_B, address="东湖区幸福里3号", phone="13812345678", id_number=ID),),
        representatives=(), matter="城建", request="要求停止夜间施工", facts="小区旁工地夜间施工。",
        reasons="影响休息", whistleblower_redacted=False, received_on=dt.date(2026, 11, 20), decision="accept",
        decision_on=dt.date(2026, 11, 23), decision_reason="", transfer_to="", notified_on=dt.date(2026, 11, 24),
        accepted_on=dt.date(2026, 11, 23), opinion_outcome="support", opinion_text="责令施工单位调整作业时间",
        opinion_basis="《中华人民共和国噪声污染防治法》", opinion_on=dt.date(2026, 12, 20))
    return dataclasses.replace(facts, **changes)


def _with_profile(**changes) -> PetitionFacts:
    return _petition(profile=CentreProfile.from_mapping(PROFILE), **changes)


def test_the_petition_and_its_letters():
    acceptance = adapters.petition_input("petition_acceptance", _with_profile(contact="陈丽"))
    p = acceptance.petition
    assert acceptance.decision is PetitionIntake.ACCEPT and acceptance.issued_on == dt.date(2026, 11, 24)
    assert acceptance.contact == "陈丽"
    assert (p.number, p.form, p.body, p.facts_reasons, p.representatives) == (
        "信访〔2026〕第3号", "书信", "东湖区信访局", "小区旁工地夜间施工；影响休息", ())
    assert p.petitioners[0].side == "信访人" and p.petitioners[0].id_number == ID
    forward = adapters.petition_input("petition_acceptance", _petition(decision="transfer", transfer_to="东湖区住建局"))
    assert forward.decision is PetitionIntake.FORWARD and forward.to_body == "东湖区住建局"
    redirect = adapters.petition_input("petition_acceptance", _petition(
        decision="not_accept", decision_reason="属于诉讼事项，请向东湖区人民法院提出"))
    assert redirect.decision is PetitionIntake.REDIRECT and redirect.to_body == "东湖区人民法院"
    opinion = adapters.petition_input("petition_opinion", _with_profile())
    assert opinion.outcome is PetitionOutcome.SUPPORT and opinion.legal_basis == "《中华人民共和国噪声污染防治法》"
    assert adapters.petition_input("petition_opinion", _petition(opinion_outcome="not_support")).outcome is \
        PetitionOutcome.REJECT
    with pytest.raises(MissingFacts, match="尚未出具处理意见"):
        adapters.petition_input("petition_opinion", _petition(opinion_outcome="", opinion_on=None))
    with pytest.raises(MissingFacts, match="尚未作出受理决定"):
        adapters.petition_input("petition_acceptance", _petition(decision="", notified_on=None))
    with pytest.raises(MissingFacts, match="检举人身份已隐去"):
        adapters.petition_input("petition_acceptance", _petition(whistleblower_redacted=True))
    with pytest.raises(MissingFacts, match="信访事项没有信访人"):
        adapters.petition_input("petition_acceptance", _petition(petitioners=(PetitionPerson(name=""),)))
    with pytest.raises(MissingFacts, match="不是信访文书"):
        _petition().document("poem")


def test_group_representatives_masked_numbers_and_organisations():
    both = (PetitionPerson(name="甲"), PetitionPerson(name="乙"))
    acceptance = adapters.petition_input("petition_acceptance", _petition(
        via="visit", petitioners=both, representatives=both, notified_on=None, decision_on=dt.date(2026, 11, 21)))
    assert acceptance.issued_on == dt.date(2026, 11, 21) and acceptance.petition.form == "走访"
    assert acceptance.petition.representatives == ("甲", "乙")
    body = PetitionPerson(name="某公司", kind="organisation", credit_code="91330100MA2XXXXX0X", legal_rep="王五",
                          phone="138****5678")
    letter = adapters.petition_input("petition_acceptance", _petition(petitioners=(body,)))
    assert isinstance(letter.petition.petitioners[0], Organisation)
    assert (letter.petition.petitioners[0].legal_rep, letter.petition.petitioners[0].phone) == ("王五", "")


def test_petition_facts_are_typed():
    with pytest.raises(TypeError):
        PetitionPerson(name="甲", adress="某地")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        dataclasses.replace(_petition(), opinion_date=dt.date(2026, 12, 20))
    with pytest.raises(dataclasses.FrozenInstanceError):
        _petition().number = "x"  # type: ignore[misc]


@needs_poppler
@pytest.mark.parametrize("kind", list(adapters.PETITION_KINDS))
def test_each_petition_kind_renders_with_its_required_parts(kind):
    needs_ext_b_font()
    assert_layout(kind, adapters.adapt(kind, _with_profile()), EXT_B)


def test_an_unknown_kind_is_refused():
    with pytest.raises(MissingFacts, match="未知的文书种类"):
        adapters.adapt("poem", {})
