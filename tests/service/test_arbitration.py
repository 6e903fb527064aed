"""Labour arbitration on both backends: a whole case with its deadlines, hearings in the
tribunal room, the award period, service dates starting the appeal windows, and the
hand-over from a failed mediation."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from hall.services import Conflict, InvalidInput, PermissionDenied
from hall.services import arbitration as arb
from reports.facts_arbitration import ClaimAmount
from tests.conftest import staff_actor

D = dt.date
NUMBER_1 = "东劳人仲案字〔2026〕第1号"

APPLICATION = dict(
    worker_name="张伟", worker_id_number="11010519491231002X", worker_occupation="焊工",
    worker_employer="东湖机械厂", worker_address="东湖区人民路1号", worker_mailing_address="东湖区人民路1号",
    worker_phone="13812345678", employer_name="东湖机械厂", employer_address="东湖区工业路2号",
    employer_legal_rep="王强", employer_legal_rep_title="厂长", employer_credit_code="91330100MA2KXXXX0X",
    claims=[{"kind": "remuneration", "description": "支付2026年9月至10月工资", "amount": "12000"}],
    facts_reasons="申请人在被申请人处任焊工，被申请人拖欠两个月工资。",
    evidence=[{"name": "工资条", "source": "申请人保存"}, {"name": "考勤记录", "source": "被申请人掌握"}],
)
THREE = [{"name": "刘仲裁", "role": "presiding"}, {"name": "陈仲裁", "role": "member"},
         {"name": "黄仲裁", "role": "member"}]


@pytest.fixture
def clerk(hall):
    return staff_actor(hall, "shuji", "arbitration-office")


def at(clock, y, m, d, hh=9, mm=0):
    clock.set_local(dt.datetime(y, m, d, hh, mm))


def local(y, m, d, hh=9, mm=30):
    return dt.datetime(y, m, d, hh, mm)


def by_rule(detail):
    out = {}
    for row in detail.deadlines:
        out.setdefault(row.rule_code, []).append(row)
    return out


def one(detail, code):
    rows = by_rule(detail)[code]
    assert len(rows) == 1, rows
    return rows[0]


def ready_case(db, clerk, clock, *, worker="张伟", employer="东湖机械厂", arbitrators=THREE, day=(2026, 11, 24)):
    """Received, accepted, served and with its tribunal, on ``day``."""
    at(clock, *day)
    r = arb.receive_application(db, clerk, dict(APPLICATION, worker_name=worker, employer_name=employer,
                                                 worker_employer=employer))
    arb.accept(db, clerk, r.case_id)
    arb.serve_respondent(db, clerk, r.case_id)
    arb.form_tribunal(db, clerk, r.case_id, arbitrators, simplified=len(arbitrators) == 1,
                      both_parties_agree=len(arbitrators) == 1)
    return r.case_id


COSTS = "本案不收取仲裁费用（《劳动争议调解仲裁法》第五十三条）。"


# ------------------------------------------------------------------ whole case
def test_a_whole_case_from_application_to_award_with_every_deadline_in_order(hall, clerk, clock):
    # Monday 2026-11-23: the application comes in, complete.
    r = arb.receive_application(hall, clerk, APPLICATION)
    assert (r.state, r.missing_items, r.receipt_number) == ("received", [], "仲收〔2026〕1号")
    assert r.acceptance_due == D(2026, 11, 30)          # 11-28 is a Saturday: rolled to Monday
    assert r.materials == ["仲裁申请书", "工资条", "考勤记录"]
    assert any("统一社会信用代码" in w for w in r.warnings)    # a warning, not a refusal
    cid = r.case_id

    at(clock, 2026, 11, 24)
    d = arb.accept(hall, clerk, cid)
    assert d.number == NUMBER_1 and d.state == "accepted"
    assert one(d, "labour.acceptance").state == "met" and one(d, "labour.acceptance").met_on == D(2026, 11, 24)
    assert one(d, "labour.copy_to_respondent").due_date == D(2026, 11, 30)
    assert one(d, "labour.tribunal_notice").due_date == D(2026, 11, 30)
    award_row = one(d, "labour.award")
    assert award_row.due_date == D(2027, 1, 8) and "第四十三条" in award_row.basis
    assert {row.case_number for row in d.deadlines} == {NUMBER_1}   # the receipt's clock took the 案号

    at(clock, 2026, 11, 25)
    served = arb.serve_respondent(hall, clerk, cid, signed_by="王强")
    assert served.record.served_on == D(2026, 11, 25) and served.record.recipient_name == "东湖机械厂"
    d = arb.form_tribunal(hall, clerk, cid, THREE)
    assert [m.role_label for m in d.tribunal] == ["首席仲裁员", "仲裁员", "仲裁员"] and d.state == "tribunal_formed"
    arb.record_service(hall, clerk, cid, document_kind="tribunal_notice", recipient_side="applicant")
    d = arb.arbitration_detail(hall, clerk, cid)
    assert one(d, "labour.tribunal_notice").met_on is None            # only one party told so far
    arb.record_service(hall, clerk, cid, document_kind="tribunal_notice", recipient_side="respondent")
    d = arb.arbitration_detail(hall, clerk, cid)
    assert one(d, "labour.copy_to_respondent").met_on == D(2026, 11, 25)
    assert one(d, "labour.tribunal_notice").met_on == D(2026, 11, 25)
    defence = one(d, "labour.defence")
    assert (defence.start_date, defence.due_date) == (D(2026, 11, 25), D(2026, 12, 7))  # 12-05 Sat → Mon

    at(clock, 2026, 12, 1)
    d = arb.record_defence(hall, clerk, cid, summary="已支付部分工资")
    assert one(d, "labour.defence").state == "met"
    assert one(d, "labour.defence_copy").due_date == D(2026, 12, 7)   # 12-06 Sunday → Monday

    at(clock, 2026, 12, 2)
    arb.record_service(hall, clerk, cid, document_kind="defence_copy", recipient_side="applicant")
    with pytest.raises(InvalidInput, match="开庭通知须在开庭五日前送达"):
        arb.schedule_hearing(hall, clerk, cid, local(2026, 12, 6))
    # served on the 2nd for a hearing on the 7th: five days, the hearing day counted (第三十五条)
    h = arb.schedule_hearing(hall, clerk, cid, local(2026, 12, 8), local(2026, 12, 8, 11, 30))
    assert (h.room_code, h.room_name, h.notice_latest) == ("r_tribunal", "劳动仲裁庭", D(2026, 12, 3))
    for side in ("applicant", "respondent"):
        res = arb.record_service(hall, clerk, cid, document_kind="hearing_notice", recipient_side=side,
                                 hearing_id=h.id)
        assert res.warnings == []
    d = arb.arbitration_detail(hall, clerk, cid)
    assert one(d, "labour.defence_copy").met_on == D(2026, 12, 2)
    assert one(d, "labour.hearing_notice").met_on == D(2026, 12, 2)

    at(clock, 2026, 12, 8, 12)
    arb.record_hearing(hall, clerk, cid, h.id, record_text="双方到庭，经质证、辩论，征询最后意见。")
    at(clock, 2026, 12, 10)
    with pytest.raises(InvalidInput, match="争议事实（经审理查明）.*仲裁费用的承担"):
        arb.award(hall, clerk, cid, result="被申请人支付申请人工资12000元。", reasons="拖欠工资事实清楚。")
    d = arb.award(hall, clerk, cid, result="被申请人支付申请人工资12000元。", reasons="拖欠工资事实清楚。",
                  facts_found="申请人于2025年3月入职，2026年9月至10月工资12000元未付。", costs=COSTS,
                  awarded=[{"index": 1, "awarded": "12000", "result": "支持"}])
    assert d.state == "awarded" and d.outcome_on == D(2026, 12, 10)
    assert d.award_parts["facts_found"].startswith("申请人于2025年3月入职") and d.award_parts["costs"] == COSTS
    assert d.classification["label"] == "终局裁决" and d.classification["claims"][0]["final"] is True
    assert d.outcome_effective_on == D(2026, 12, 10)                  # 第四十七条: effective when made
    assert one(d, "labour.award").met_on == D(2026, 12, 10)
    assert "labour.final_award_suit" not in by_rule(d)                 # nothing runs before service

    at(clock, 2026, 12, 11)
    arb.record_service(hall, clerk, cid, document_kind="award", recipient_side="applicant")
    at(clock, 2026, 12, 14)
    arb.record_service(hall, clerk, cid, document_kind="award", recipient_side="respondent", method="post",
                       sent_on=D(2026, 12, 11), served_on=D(2026, 12, 14))
    d = arb.close_case(hall, clerk, cid)
    assert d.state == "closed"
    order = [row.rule_code for row in sorted(d.deadlines, key=lambda x: x.id)]
    assert order == ["labour.acceptance", "labour.copy_to_respondent", "labour.tribunal_notice", "labour.award",
                     "labour.defence", "labour.defence_copy", "labour.hearing_notice",
                     "labour.final_award_suit", "labour.set_aside"]
    assert all(row.state == "met" for row in d.deadlines if row.rule_code not in arb.PARTY_WINDOWS)
    suit, set_aside = one(d, "labour.final_award_suit"), one(d, "labour.set_aside")
    assert (suit.start_date, suit.due_date) == (D(2026, 12, 11), D(2026, 12, 28))     # 12-26 Sat → Mon
    assert (set_aside.start_date, set_aside.due_date) == (D(2026, 12, 14), D(2027, 1, 13))
    assert "第四十八条" in suit.basis and "第四十九条" in set_aside.basis


def test_service_dates_start_each_partys_windows_for_a_partly_final_award(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)
    arb.change_claims(hall, clerk, cid, [
        {"kind": "remuneration", "description": "工资", "amount": "20000"},
        {"kind": "compensation", "description": "经济补偿", "amount": "40000"}])
    h = arb.schedule_hearing(hall, clerk, cid, local(2026, 12, 1))
    at(clock, 2026, 12, 1, 14)
    arb.record_hearing(hall, clerk, cid, h.id, record_text="庭审")
    parts = dict(reasons="理由", facts_found="查明的事实", costs=COSTS)
    with pytest.raises(InvalidInput, match="第1、2项请求的裁决结果"):
        arb.award(hall, clerk, cid, result="支持", **parts)        # one result cannot make two documents
    preview = arb.preview_award(hall, clerk, cid, awarded=[{"index": 1, "result": "支付工资20000元"}], **parts)
    assert [x["kind"] for x in preview.documents] == ["award_final", "award_nonfinal"]
    assert preview.missing == ["第2项请求的裁决结果（终局与非终局事项分别制作裁决书，《劳动争议调解仲裁法》第四十七条）"]
    d = arb.award(hall, clerk, cid, awarded=[{"index": 1, "result": "被申请人支付申请人工资20000元"},
                                             {"index": 2, "result": "被申请人支付申请人经济补偿40000元"}], **parts)
    assert d.classification["mixed"] and [c["final"] for c in d.classification["claims"]] == [True, False]
    assert d.outcome_effective_on is None
    assert [(x["kind"], x["indexes"]) for x in d.award_parts["documents"]] == [("award_final", [1]),
                                                                              ("award_nonfinal", [2])]
    at(clock, 2026, 12, 3)
    with pytest.raises(InvalidInput, match="请选择其中一份"):
        arb.record_service(hall, clerk, cid, document_kind="award", recipient_side="applicant")
    res = arb.record_service(hall, clerk, cid, document_kind="award_final", recipient_side="applicant",
                             served_on=D(2026, 12, 2))
    assert len(res.effects) == 1 and "第四十八条" in res.effects[0]
    with pytest.raises(Conflict, match="已送达申请人"):
        arb.record_service(hall, clerk, cid, document_kind="award_final", recipient_side="applicant")
    at(clock, 2026, 12, 4)
    arb.record_service(hall, clerk, cid, document_kind="award_nonfinal", recipient_side="applicant")
    at(clock, 2026, 12, 9)
    arb.record_service(hall, clerk, cid, document_kind="award_final", recipient_side="respondent")
    rows = by_rule(arb.arbitration_detail(hall, clerk, cid))
    assert [(r.start_date, r.due_date) for r in rows["labour.final_award_suit"]] == [(D(2026, 12, 2), D(2026, 12, 17))]
    assert [(r.start_date, r.due_date) for r in rows["labour.set_aside"]] == [(D(2026, 12, 9), D(2027, 1, 8))]
    # the non-final award was served on the applicant on its own day; the respondent has not received it yet
    nonfinal = sorted((r.label, r.start_date, r.due_date) for r in rows["labour.nonfinal_award_suit"])
    assert nonfinal == [("申请人对非终局裁决事项起诉（仲裁裁决书（非终局裁决事项））", D(2026, 12, 4), D(2026, 12, 21))]


# --------------------------------------------------------------- application
def test_missing_items_make_one_supplement_notice_and_completion_restarts_the_clock(hall, clerk, clock):
    partial = {k: v for k, v in APPLICATION.items()
               if k not in ("worker_occupation", "worker_mailing_address", "evidence", "employer_legal_rep_title")}
    r = arb.receive_application(hall, clerk, partial)
    assert r.state == "supplement_pending" and r.needs_supplement
    assert r.missing_items == ["劳动者职业", "劳动者通讯地址", "用人单位法定代表人或者主要负责人的职务",
                               "证据和证据来源"]
    with pytest.raises(Conflict, match="尚待补正"):
        arb.accept(hall, clerk, r.case_id)
    at(clock, 2026, 11, 25)
    again = arb.supplement(hall, clerk, r.case_id, {"worker_occupation": "焊工", "evidence": [{"name": "工资条"}]})
    assert again.state == "supplement_pending"
    assert again.missing_items == ["劳动者通讯地址", "用人单位法定代表人或者主要负责人的职务", "证据“工资条”的来源"]
    at(clock, 2026, 11, 26)
    done = arb.supplement(hall, clerk, r.case_id, {"worker_mailing_address": "东湖区人民路1号",
                                                    "employer_legal_rep_title": "厂长",
                                                    "evidence": [{"name": "工资条", "source": "申请人保存"}]})
    assert done.state == "received" and done.missing_items == []
    assert done.acceptance_due == D(2026, 12, 1)     # five days from the day the application was completed
    d = arb.arbitration_detail(hall, clerk, r.case_id)
    acc = one(d, "labour.acceptance")
    assert acc.start_date == D(2026, 11, 23) and "重新计算" in acc.explanation
    assert [n["on"] for n in d.supplement_notices] == ["2026-11-23", "2026-11-25"]


def test_a_receipt_needs_at_least_the_applicant(hall, clerk):
    with pytest.raises(InvalidInput, match="申请人的姓名"):
        arb.receive_application(hall, clerk, {"employer_name": "某公司"})
    with pytest.raises(InvalidInput, match="未知的申请书事项"):
        arb.receive_application(hall, clerk, dict(APPLICATION, favourite_colour="blue"))


def test_a_failed_mediation_arrives_as_a_prefilled_application(hall, clerk, clock):
    prefill = {
        "source_case_id": 41, "source_case_number": "（2026）东人调字第88号",
        "worker_name": "李娜", "worker_sex": "女", "worker_birth_date": "1990-05-01",
        "worker_id_number": "440524188001010014", "worker_phone": "139 1234 5678",
        "worker_residence": "东湖区花园路7号", "employer_name": "东湖餐饮有限公司",
        "employer_address": "东湖区美食街1号", "employer_legal_representative": "赵六",
        "claims": [{"kind": "remuneration", "description": "支付拖欠工资", "amount": 8000}, "补缴社会保险"],
        "facts": "调解不成：用人单位拒绝支付。", "failure_reason": "被申请人拒绝",
    }
    r = arb.from_failed_mediation(hall, clerk, prefill)
    assert r.state == "supplement_pending" and r.source_case_number == "（2026）东人调字第88号"
    assert r.missing_items == ["劳动者职业", "劳动者工作单位", "劳动者通讯地址",
                               "用人单位法定代表人或者主要负责人的职务", "证据和证据来源"]
    assert any("与身份证号码不一致" in w for w in r.warnings)   # sex and birth date as the mediation typed them
    d = arb.arbitration_detail(hall, clerk, r.case_id)
    assert (d.source_kind, d.source_case_id) == ("mediation", 41)
    assert d.worker["address"] == "东湖区花园路7号" and d.worker["phone"] == "13912345678"
    assert d.employer["legal_rep"] == "赵六" and d.facts_reasons.startswith("调解不成")
    assert [c["amount"] if "amount" in c else None for c in d.claims] == ["8000.00", None]
    assert d.claims[1] == {"kind": "other", "description": "补缴社会保险"}
    assert one(d, "labour.acceptance").case_number == r.receipt_number


def test_refusal_needs_reasons_and_stops_the_clocks(hall, clerk):
    r = arb.receive_application(hall, clerk, APPLICATION)
    with pytest.raises(InvalidInput, match="第二十九条"):
        arb.refuse(hall, clerk, r.case_id, " ")
    d = arb.refuse(hall, clerk, r.case_id, "不属于劳动争议")
    assert d.state == "refused" and d.number == "" and one(d, "labour.acceptance").state == "met"
    facts = arb.document_facts(hall, clerk, r.case_id, "refusal_notice")
    assert facts.refusal.reasons == "不属于劳动争议" and facts.basis.endswith("第二十九条")
    assert facts.number == "仲收〔2026〕1号"                # not accepted: the receipt number


# -------------------------------------------------------------------- hearings
def test_the_tribunal_room_is_never_double_booked(hall, clerk, clock):
    a = ready_case(hall, clerk, clock)
    b = ready_case(hall, clerk, clock, worker="王芳", employer="东湖纺织厂",
                   arbitrators=[{"name": "孙仲裁", "role": "sole"}])
    first = arb.schedule_hearing(hall, clerk, a, local(2026, 12, 3, 9, 0), local(2026, 12, 3, 11, 0))
    with pytest.raises(Conflict, match="劳动仲裁庭在2026年12月3日09:00—11:00已安排东劳人仲案字〔2026〕第1号开庭"):
        arb.schedule_hearing(hall, clerk, b, local(2026, 12, 3, 10, 30), local(2026, 12, 3, 12, 0))
    with pytest.raises(InvalidInput, match="不是仲裁庭"):
        arb.schedule_hearing(hall, clerk, b, local(2026, 12, 4), room_code="r_labour")
    second = arb.schedule_hearing(hall, clerk, b, local(2026, 12, 3, 11, 0), local(2026, 12, 3, 12, 0))
    assert second.starts_at == first.ends_at


def test_an_arbitrator_cannot_sit_in_two_hearings_at_once(hall, clerk, clock):
    a = ready_case(hall, clerk, clock)
    b = ready_case(hall, clerk, clock, worker="王芳", employer="东湖纺织厂",
                   arbitrators=[{"name": "刘仲裁", "role": "sole"}])
    arb.schedule_hearing(hall, clerk, a, local(2026, 12, 3, 9, 0))
    from hall.services.centre import apply_centre
    apply_centre(hall, staff_actor(hall, "admin"), {"rooms": [{"code": "r_tribunal2", "name": "第二仲裁庭",
                                                              "kind": "tribunal"}]})
    with pytest.raises(Conflict, match="仲裁员刘仲裁"):
        arb.schedule_hearing(hall, clerk, b, local(2026, 12, 3, 10, 0), room_code="r_tribunal2")


def test_a_hearing_notice_less_than_five_days_ahead_is_refused(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)   # today 2026-11-24
    with pytest.raises(InvalidInput) as err:
        arb.schedule_hearing(hall, clerk, cid, local(2026, 11, 28))
    assert "最迟2026年11月23日" in str(err.value) and "第三十五条" in str(err.value)
    with pytest.raises(InvalidInput, match="开庭通知须在开庭五日前送达"):
        arb.schedule_hearing(hall, clerk, cid, local(2026, 12, 10), notice_served_on=D(2026, 12, 6))
    # exactly five days before, the hearing day counted: allowed (the rule's own note: 15th → 10th)
    h = arb.schedule_hearing(hall, clerk, cid, local(2026, 11, 29))
    assert h.notice_latest == D(2026, 11, 24)
    # A notice that actually reached a party late is recorded, with the warning.
    at(clock, 2026, 11, 26)
    res = arb.record_service(hall, clerk, cid, document_kind="hearing_notice", recipient_side="respondent",
                             hearing_id=h.id)
    assert res.warnings and "晚了2日" in res.warnings[0]


def test_postponement_requests_three_days_before_and_a_new_session(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)
    h = arb.schedule_hearing(hall, clerk, cid, local(2026, 12, 4))
    at(clock, 2026, 12, 2)
    with pytest.raises(InvalidInput, match="三日前"):
        arb.postpone_hearing(hall, clerk, cid, h.id, requested_by="respondent", reason="法定代表人出差")
    at(clock, 2026, 12, 1)
    refused = arb.postpone_hearing(hall, clerk, cid, h.id, requested_by="respondent", reason="出差", granted=False)
    assert refused.state == "scheduled" and refused.postponement["decision"] == "不准许延期"
    new = arb.postpone_hearing(hall, clerk, cid, h.id, requested_by="applicant", reason="住院",
                               new_starts_at=local(2026, 12, 10))
    assert new.postponed_from_id == h.id and new.state == "scheduled"
    d = arb.arbitration_detail(hall, clerk, cid)
    assert [x.state for x in d.hearings] == ["postponed", "scheduled"]
    notices = by_rule(d)["labour.hearing_notice"]
    assert [n.start_date for n in notices] == [D(2026, 12, 10)]        # the old session's notice is no longer watched
    facts = arb.document_facts(hall, clerk, cid, "postponement_notice", hearing_id=new.id)
    assert facts.postponement.reason == "住院" and facts.postponement.previous_starts_at.date() == D(2026, 12, 4)
    assert facts.hearing.id == new.id and facts.hearing.starts_at.date() == D(2026, 12, 10)


def test_absence_after_a_received_notice_deemed_withdrawal_and_default_award(hall, clerk, clock):
    a = ready_case(hall, clerk, clock)
    h = arb.schedule_hearing(hall, clerk, a, local(2026, 11, 30))
    at(clock, 2026, 11, 30, 12)
    with pytest.raises(Conflict, match="没有收到开庭书面通知"):
        arb.deemed_withdrawn(hall, clerk, a, h.id)
    at(clock, 2026, 11, 24)
    arb.record_service(hall, clerk, a, document_kind="hearing_notice", recipient_side="applicant", hearing_id=h.id)
    at(clock, 2026, 11, 30, 12)
    d = arb.deemed_withdrawn(hall, clerk, a, h.id)
    assert d.state == "deemed_withdrawn" and d.hearings[0].applicant_present is False
    assert not [r for r in d.deadlines if r.state not in ("met", "met_late")]   # the commission's clocks stopped
    withdrawal = arb.document_facts(hall, clerk, a, "withdrawal_decision")
    assert withdrawal.basis.endswith("第三十六条第一款") and withdrawal.withdrawal.outcome == "deemed_withdrawn"

    b = ready_case(hall, clerk, clock, worker="王芳", employer="东湖纺织厂", day=(2026, 11, 30))
    h2 = arb.schedule_hearing(hall, clerk, b, local(2026, 12, 7))
    arb.record_service(hall, clerk, b, document_kind="hearing_notice", recipient_side="respondent",
                       hearing_id=h2.id)
    at(clock, 2026, 12, 7, 12)
    arb.record_hearing(hall, clerk, b, h2.id, record_text="被申请人未到庭", respondent_present=False)
    d2 = arb.award(hall, clerk, b, result="支持", reasons="理由", facts_found="事实", costs=COSTS, default=True)
    assert d2.state == "default_awarded" and d2.outcome == "default_award"


# ------------------------------------------------------------- award period
def test_award_period_restarts_on_changed_claims_and_extends_once_by_fifteen_days(hall, clerk, clock):
    at(clock, 2026, 6, 1)
    r = arb.receive_application(hall, clerk, APPLICATION)
    d = arb.accept(hall, clerk, r.case_id)
    assert one(d, "labour.award").due_date == D(2026, 7, 16)
    at(clock, 2026, 6, 10)
    d = arb.change_claims(hall, clerk, r.case_id, [
        *APPLICATION["claims"], {"kind": "compensation", "description": "经济补偿", "amount": "6000"}])
    row = one(d, "labour.award")
    assert row.due_date == D(2026, 7, 27) and "增加、变更仲裁请求" in row.explanation   # 07-25 Sat → Mon
    with pytest.raises(InvalidInput, match="主任批准"):
        arb.extend_award_period(hall, clerk, r.case_id, approved_by="", reason="案情复杂")
    d = arb.extend_award_period(hall, clerk, r.case_id, approved_by="仲裁委主任刘志强", reason="需要鉴定")
    assert one(d, "labour.award").due_date == D(2026, 8, 10)    # 07-25 + 15 = 08-09 Sunday → Monday
    assert d.award_extension["approved_by"] == "仲裁委主任刘志强" and d.award_extension["new_due"] == "2026-08-10"
    with pytest.raises(Conflict, match="不能再次延长"):
        arb.extend_award_period(hall, clerk, r.case_id, approved_by="主任", reason="又复杂了")
    d = arb.restart_award_period(hall, clerk, r.case_id, "party_added", on=D(2026, 6, 10))
    assert "追加当事人" in one(d, "labour.award").explanation
    with pytest.raises(InvalidInput):
        arb.restart_award_period(hall, clerk, r.case_id, "lunch")


def test_mediation_statement_takes_effect_when_both_sign_and_backing_out_reopens(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)
    d = arb.close_by_mediation(hall, clerk, cid, terms="被申请人于2026年12月31日前支付工资10000元。")
    assert d.state == "mediated" and one(d, "labour.award").state == "met"
    d = arb.mediation_repudiated(hall, clerk, cid, side="respondent")
    assert d.state == "heard" and one(d, "labour.award").met_on is None
    arb.close_by_mediation(hall, clerk, cid, terms="被申请人于2026年12月31日前支付工资11000元。")
    arb.record_service(hall, clerk, cid, document_kind="mediation_statement", recipient_side="applicant")
    res = arb.record_service(hall, clerk, cid, document_kind="mediation_statement", recipient_side="respondent")
    assert "发生法律效力" in res.effects[0]
    with pytest.raises(Conflict, match="已经双方签收"):
        arb.mediation_repudiated(hall, clerk, cid, side="applicant")


# -------------------------------------------------------------- the tribunal
def test_recusal_and_simplified_handling_are_checked_when_forming_the_tribunal(hall, clerk, clock):
    r = arb.receive_application(hall, clerk, dict(APPLICATION, agents=[{"name": "赵律师", "side": "applicant"}]))
    arb.accept(hall, clerk, r.case_id)
    with pytest.raises(InvalidInput, match="仲裁员赵律师.*第三十三条第一款第（二）项"):
        arb.form_tribunal(hall, clerk, r.case_id, [{"name": "赵律师", "role": "sole"}], simplified=True,
                          both_parties_agree=True)
    with pytest.raises(InvalidInput, match="近亲属.*第（一）项"):
        arb.form_tribunal(hall, clerk, r.case_id, THREE,
                          declarations={"陈仲裁": [{"ground": "party_or_relative", "person": "王强", "detail": "兄弟"}]})
    with pytest.raises(InvalidInput, match="三名仲裁员"):
        arb.form_tribunal(hall, clerk, r.case_id, THREE[:1])
    with pytest.raises(InvalidInput, match="不能简易处理"):
        arb.form_tribunal(hall, clerk, r.case_id, [{"name": "孙仲裁", "role": "sole"}], simplified=True,
                          exclusions=["major_impact"], both_parties_agree=True)
    # 12000 yuan is within the province's average annual wage (demo setting 125000).
    d = arb.form_tribunal(hall, clerk, r.case_id, [{"name": "孙仲裁", "role": "sole"}], simplified=True,
                          notified_on=D(2026, 11, 23))
    assert d.simplified and "标的额12000.00元不超过本省上年度职工年平均工资125000.00元" in d.simplified_reason
    assert one(d, "labour.tribunal_notice").state == "met"


# ------------------------------------------------------ reads and permissions
def test_register_search_paging_and_who_may_do_what(hall, clerk, clock, front_desk, director, window_staff):
    with pytest.raises(PermissionDenied):
        arb.receive_application(hall, window_staff, APPLICATION)
    ids = [arb.receive_application(hall, clerk, dict(APPLICATION, worker_name=n)).case_id
           for n in ("张伟", "李娜", "张三丰")]
    arb.accept(hall, clerk, ids[0])
    rows = arb.arbitration_register(hall, clerk, "张")
    assert [r.worker_name for r in rows] == ["张三丰", "张伟"]
    assert arb.arbitration_register(hall, clerk, NUMBER_1)[0].id == ids[0]
    page1 = arb.arbitration_register(hall, director, limit=2)
    page2 = arb.arbitration_register(hall, director, limit=2, after=page1[-1].id)
    assert [r.id for r in page1 + page2] == ids[::-1] and page1[0].next_due == D(2026, 11, 30)
    assert [r.id for r in arb.arbitration_register(hall, clerk, state="accepted")] == [ids[0]]
    shown = arb.arbitration_detail(hall, director, NUMBER_1)
    assert shown.id_number_masked and shown.worker["id_number"].endswith("002X") and "*" in shown.worker["id_number"]
    assert arb.arbitration_detail(hall, clerk, ids[0]).worker["id_number"] == "11010519491231002X"
    with pytest.raises(PermissionDenied):
        arb.accept(hall, director, ids[1])
    with pytest.raises(PermissionDenied):
        arb.arbitration_register(hall, front_desk)


def test_document_facts_for_the_award_and_the_hearing_notice(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)
    h = arb.schedule_hearing(hall, clerk, cid, local(2026, 12, 1))
    notice = arb.document_facts(hall, clerk, cid, "hearing_notice")
    assert notice.hearing.starts_at.date() == D(2026, 12, 1) and notice.hearing.room == "劳动仲裁庭"
    assert notice.profile.arbitration_commission == "东湖区劳动人事争议仲裁委员会" and notice.case_number == NUMBER_1
    assert notice.applicant.id_number == "11010519491231002X" and notice.basis.endswith("第三十五条、第三十六条")
    assert notice.award is None and notice.extension is None     # only the parts of the document asked for
    at(clock, 2026, 12, 1, 15)
    arb.record_hearing(hall, clerk, cid, h.id, record_text="庭审笔录正文")
    arb.award(hall, clerk, cid, result="被申请人支付工资12000元", reasons="事实清楚", facts_found="欠薪属实",
              costs=COSTS, awarded=[{"index": 1, "awarded": 12000}])
    facts = arb.document_facts(hall, clerk, cid, "award")
    assert facts.title == "仲裁裁决书" and facts.claims[0].awarded == ClaimAmount(
        figures="12,000.00", words="人民币壹万贰仟元整")
    assert facts.award.final and facts.award.result == "被申请人支付工资12000元" and facts.award.costs == COSTS
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.case_number = "改号"                                  # type: ignore[misc]
    with pytest.raises(InvalidInput, match="未知的文书种类"):
        arb.document_facts(hall, clerk, cid, "poem")


def test_cli_shows_and_lists_cases_as_json(hall, clerk, capsys):
    from hall.cli import main

    r = arb.receive_application(hall, clerk, APPLICATION)
    arb.accept(hall, clerk, r.case_id)
    assert main(["--db", hall.url, "--json", "arbitration", "show", NUMBER_1]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["number"] == NUMBER_1 and shown["state"] == "accepted"
    assert {d["rule_code"] for d in shown["deadlines"]} >= {"labour.acceptance", "labour.award"}
    assert main(["--db", hall.url, "--json", "arbitration", "list"]) == 0
    assert [c["number"] for c in json.loads(capsys.readouterr().out)["cases"]] == [NUMBER_1]
    assert main(["--db", hall.url, "--json", "arbitration", "show", "没有这个案号"]) == 1
    assert "没有案号" in json.loads(capsys.readouterr().out)["error"]
