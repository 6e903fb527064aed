"""Labour arbitration procedure on both backends: the applicant's 补正 stops the acceptance
clock, ending a case ends its hearings and duties in one transaction, the award period is
extended only with the chair's approval, the per-rule counting setting, recusal after the
tribunal is formed, and every decision rendered from the case (PDF and DOCX)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from hall.services import Conflict, InvalidInput, PermissionDenied, render
from hall.services import arbitration as arb
from hall.services import deadlines as dl
from hall.store.arbitration_models import ArbitrationCase, Hearing
from hall.store.models import AuditEntry
from tests.service.test_arbitration import APPLICATION, THREE, at, by_rule, local, one, ready_case  # noqa: F401
from tests.service.test_arbitration import clerk as clerk  # noqa: F401  (the fixture)
from tests.service.test_render import assert_parts

D = dt.date
COSTS = "本案不收取仲裁费用（《劳动争议调解仲裁法》第五十三条）。"


# ------------------------------------------------------------------ 补正 (item 7, 4)
def test_waiting_for_the_applicants_correction_stops_the_acceptance_clock(hall, clerk, clock):
    partial = {k: v for k, v in APPLICATION.items() if k != "worker_occupation"}
    r = arb.receive_application(hall, clerk, partial)
    assert r.state == "supplement_pending"
    at(clock, 2026, 12, 4)                           # eleven days later: nothing is overdue for the commission
    d = arb.arbitration_detail(hall, clerk, r.case_id)
    acc = one(d, "labour.acceptance")
    assert acc.state == "suspended" and acc.state_label == "等待申请人补正" and "等待申请人补正" in acc.label
    assert "等待申请人补正" in acc.explanation
    assert all(v.rule_code != "labour.acceptance" for v in dl.list_deadlines(hall, when="overdue"))
    at(clock, 2026, 12, 7)
    done = arb.supplement(hall, clerk, r.case_id, {"worker_occupation": "焊工"})
    assert done.state == "received" and done.acceptance_due == D(2026, 12, 14)  # 12-12 Sat → Mon
    acc = one(arb.arbitration_detail(hall, clerk, r.case_id), "labour.acceptance")
    assert acc.state == "open" and acc.label == ""
    assert "第三十条" in acc.explanation           # the restart names its article


def test_after_acceptance_materials_no_longer_restart_the_award_period(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)
    with pytest.raises(InvalidInput, match="没有“materials_supplied”这一重新计算事由"):
        arb.restart_award_period(hall, clerk, cid, "materials_supplied")
    at(clock, 2026, 12, 1)
    d = arb.restart_award_period(hall, clerk, cid, "party_added")
    row = one(d, "labour.award")
    assert row.due_date == D(2027, 1, 15) and "第四十六条第一款第（一）项" in row.explanation


# ------------------------------------------------------- ending a case (item 6)
def test_withdrawal_cancels_the_hearing_frees_the_room_and_stops_the_duties(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)
    h = arb.schedule_hearing(hall, clerk, cid, local(2026, 12, 3))
    assert render.hearings_on(hall, clerk, D(2026, 12, 3)) == [(cid, h.id)]
    at(clock, 2026, 11, 27)
    d = arb.withdraw(hall, clerk, cid, reason="双方已和解")
    assert [x.state for x in d.hearings] == ["cancelled"]
    assert not [x for x in d.deadlines if x.state not in ("met", "met_late")]
    assert all(not x.can_extend for x in d.deadlines)
    with hall.read() as s:
        assert s.get(Hearing, h.id).postponement["cancelled_because"] == "撤回仲裁申请"
    assert render.hearings_on(hall, clerk, D(2026, 12, 3)) == []        # no notice in the day's batch
    with pytest.raises(Exception, match="没有安排开庭"):
        render.render_hearing_notices_for_day(hall, clerk, D(2026, 12, 3))
    # the tribunal room is free again for another case at the same hour
    other = ready_case(hall, clerk, clock, worker="王芳", employer="东湖纺织厂", day=(2026, 11, 27))
    assert arb.schedule_hearing(hall, clerk, other, local(2026, 12, 3)).state == "scheduled"
    listed = dl.list_deadlines(hall, when="open")
    assert all(v.subject_id != cid for v in listed)


def test_a_mediation_statement_ends_the_hearings_too(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)
    arb.schedule_hearing(hall, clerk, cid, local(2026, 12, 3))
    d = arb.close_by_mediation(hall, clerk, cid, terms="被申请人于2026年12月31日前支付工资12000元。")
    assert [x.state for x in d.hearings] == ["cancelled"]
    assert render.hearings_on(hall, clerk, D(2026, 12, 3)) == []


# ------------------------------------------------------------ extension (item 3)
def test_the_award_period_is_extended_only_with_the_chairs_approval_once_and_before_it_expires(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)
    row = one(arb.arbitration_detail(hall, clerk, cid), "labour.award")
    assert row.due_date == D(2027, 1, 8)
    with pytest.raises(Conflict, match="须经批准.*主任"):
        dl.extend(hall, clerk, row.id)                       # the board's button goes through the rule
    with pytest.raises(InvalidInput, match="主任批准"):
        arb.extend_award_period(hall, clerk, cid, approved_by="", reason="需要鉴定")
    at(clock, 2026, 12, 28)
    d = arb.extend_award_period(hall, clerk, cid, approved_by="周主任", reason="需要对考勤记录进行鉴定")
    row = one(d, "labour.award")
    assert row.due_date == D(2027, 1, 25) and "周主任" in row.label and not row.can_extend
    assert d.award_extension["original_due"] == "2027-01-08"
    with pytest.raises(Conflict, match="已延长过"):
        arb.extend_award_period(hall, clerk, cid, approved_by="周主任", reason="再次延期")
    for fmt in ("pdf", "docx"):
        doc = render.render_document(hall, clerk, "arbitration_extension_notice", case_id=cid, fmt=fmt)
        assert_parts(doc, "延长审理期限通知书", "审理期限原定于2027年1月8日届满", "经本委主任周主任于2026年12月28日批准",
                     "需要对考勤记录进行鉴定", "至2027年1月25日届满", "第四十三条第一款", "张伟", "东湖机械厂")
    # the written notice served on the parties is recorded with its 送达回证
    arb.record_service(hall, clerk, cid, document_kind="extension_notice", recipient_side="applicant")
    assert arb.arbitration_detail(hall, clerk, cid).award_extension["notice_on"] == "2026-12-28"


def test_an_expired_award_period_cannot_be_extended(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)
    at(clock, 2027, 1, 11)
    with pytest.raises(Conflict, match="已于2027年1月8日届满"):
        arb.extend_award_period(hall, clerk, cid, approved_by="周主任", reason="需要鉴定")
    row = one(arb.arbitration_detail(hall, clerk, cid), "labour.award")
    assert row.state == "overdue" and not row.can_extend


# ------------------------------------------------------ counting setting (item 5)
def test_counting_a_rule_in_working_days_is_an_audited_setting_that_moves_open_due_dates(hall, clerk, admin, clock):
    cid = ready_case(hall, clerk, clock)                     # accepted Tue 2026-11-24
    d = arb.arbitration_detail(hall, clerk, cid)
    defence = one(d, "labour.defence")
    assert defence.due_date == D(2026, 12, 4)                # ten calendar days
    rows = {v.rule_code: v for v in dl.counting_settings(hall)}
    assert rows["labour.defence"].counting == rows["labour.defence"].default == "calendar"
    assert "未经核实" in rows["labour.defence"].note and "第三十条" in rows["labour.defence"].basis
    assert "labour.award" not in rows                        # 45 days: fixed by the statute
    with pytest.raises(InvalidInput, match="不能修改"):
        dl.set_counting(hall, admin, "labour.award", "workdays")
    with pytest.raises(PermissionDenied):
        dl.set_counting(hall, clerk, "labour.defence", "workdays")   # a clerk may not change the rules
    moved = dl.set_counting(hall, admin, "labour.defence", "workdays")
    assert moved >= 1
    defence = one(arb.arbitration_detail(hall, clerk, cid), "labour.defence")
    assert defence.due_date == D(2026, 12, 8) and "按工作日计算" in defence.explanation
    assert {v.rule_code: v.counting for v in dl.counting_settings(hall)}["labour.defence"] == "workdays"
    with hall.read() as s:
        audit = s.execute(select(AuditEntry).where(AuditEntry.action == "deadline.counting")).scalars().all()
    assert len(audit) == 1 and audit[0].details["after"] == "workdays"
    dl.set_counting(hall, admin, "labour.defence", "calendar")
    assert one(arb.arbitration_detail(hall, clerk, cid), "labour.defence").due_date == D(2026, 12, 4)


# ------------------------------------------------------------- recusal (item 10)
def test_recusal_after_the_tribunal_is_formed_replaces_the_arbitrator(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)
    with pytest.raises(InvalidInput, match="回避事由"):
        arb.apply_recusal(hall, clerk, cid, member="陈仲裁", ground="dislike", applied_by="respondent")
    arb.apply_recusal(hall, clerk, cid, member="陈仲裁", ground="interest", applied_by="respondent",
                      detail="陈仲裁与申请人代理人同在一家律师事务所")
    with pytest.raises(Conflict, match="尚未决定"):
        arb.apply_recusal(hall, clerk, cid, member="陈仲裁", ground="interest", applied_by="respondent")
    with pytest.raises(InvalidInput, match="替换"):
        arb.decide_recusal(hall, clerk, cid, member="陈仲裁", granted=True, decided_by="周主任", reason="利害关系属实")
    at(clock, 2026, 11, 25)
    d = arb.decide_recusal(hall, clerk, cid, member="陈仲裁", granted=True, decided_by="周主任",
                           reason="陈仲裁与申请人代理人同在一家律师事务所，可能影响公正裁决", replacement="赵仲裁")
    assert [m.name for m in d.tribunal] == ["刘仲裁", "黄仲裁", "赵仲裁"]
    assert d.recusals[0]["decision"] == "granted" and d.recusals[0]["replacement"] == "赵仲裁"
    notices = by_rule(d)["labour.tribunal_notice"]
    assert any("赵仲裁替换后书面通知" in n.label and n.due_date == D(2026, 11, 30) for n in notices)
    assert one(d, "labour.award").due_date == D(2027, 1, 8)   # the 45 days run on
    for fmt in ("pdf", "docx"):
        doc = render.render_document(hall, clerk, "arbitration_recusal_decision", case_id=cid, fmt=fmt)
        assert_parts(doc, "回避决定书", "被申请人于2026年11月24日申请仲裁员陈仲裁回避", "与本案有利害关系",
                     "第三十三条第一款第（二）项", "由赵仲裁担任本案仲裁员", "本决定由本委主任周主任作出")


def test_recusal_is_refused_before_the_tribunal_exists(hall, clerk, clock):
    r = arb.receive_application(hall, clerk, APPLICATION)
    arb.accept(hall, clerk, r.case_id)
    with pytest.raises(Conflict, match="仲裁庭组成后"):
        arb.apply_recusal(hall, clerk, r.case_id, member="刘仲裁", ground="interest", applied_by="respondent")


# ------------------------------------------------------- awards and decisions
def _heard(hall, clerk, clock, **kw):
    cid = ready_case(hall, clerk, clock, **kw)
    h = arb.schedule_hearing(hall, clerk, cid, local(2026, 12, 1))
    at(clock, 2026, 12, 1, 14)
    arb.record_hearing(hall, clerk, cid, h.id, record_text="双方到庭。")
    return cid


def test_a_split_award_prints_two_awards_each_with_its_own_items_and_remedies(hall, clerk, clock):
    cid = _heard(hall, clerk, clock)
    arb.change_claims(hall, clerk, cid, [
        {"kind": "remuneration", "description": "支付工资", "amount": "20000"},
        {"kind": "compensation", "description": "支付经济补偿", "amount": "40000"}])
    with pytest.raises(Conflict, match="尚未作出裁决"):
        render.render_document(hall, clerk, "arbitration_award", case_id=cid)
    arb.award(hall, clerk, cid, reasons="用人单位应当及时足额支付劳动报酬。", facts_found="申请人月工资一万元。",
              costs=COSTS, awarded=[{"index": 1, "awarded": "20000", "result": "被申请人支付申请人工资20000元"},
                                    {"index": 2, "result": "被申请人支付申请人经济补偿40000元"}])
    with pytest.raises(Conflict, match="已分别制作两份裁决书"):
        render.render_document(hall, clerk, "arbitration_award", case_id=cid)
    for fmt in ("pdf", "docx"):
        final = render.render_document(hall, clerk, "arbitration_award", case_id=cid, fmt=fmt, part="final")
        text = assert_parts(final, "仲裁裁决书", "（终局裁决事项）", "支付工资", "工资20,000.00元", "本裁决为终局裁决",
                            "经审理查明：申请人月工资一万元", "本案不收取仲裁费用")
        assert "经济补偿40,000.00元" not in text
        other = render.render_document(hall, clerk, "arbitration_award", case_id=cid, fmt=fmt, part="nonfinal")
        text = assert_parts(other, "（非终局裁决事项）", "经济补偿40,000.00元", "第五十条")
        assert "工资20,000.00元" not in text and "本裁决为终局裁决" not in text
    assert {final.registered_kind, other.registered_kind} == {"award_final", "award_nonfinal"}


def test_a_case_cannot_be_closed_by_an_award_that_cannot_be_printed(hall, clerk, clock):
    cid = _heard(hall, clerk, clock)
    arb.award(hall, clerk, cid, result="被申请人支付工资12000元", reasons="事实清楚", facts_found="欠薪", costs=COSTS)
    with hall.write() as s:                                   # an award made before the parts were kept
        s.get(ArbitrationCase, cid).award_parts = None
    with pytest.raises(Conflict, match="不能以裁决结案归档"):
        arb.close_case(hall, clerk, cid)
    with pytest.raises(Conflict, match="不能送达"):
        arb.record_service(hall, clerk, cid, document_kind="award", recipient_side="applicant")


def test_the_award_without_a_tribunal_is_refused_and_the_preview_lists_every_missing_part(hall, clerk, clock):
    cid = _heard(hall, clerk, clock)
    p = arb.preview_award(hall, clerk, cid)
    assert [m.split("（")[0] for m in p.missing] == ["争议事实", "裁决理由", "裁决结果", "仲裁费用的承担"]
    assert not p.complete and p.documents[0]["kind"] == "award"
    full = arb.preview_award(hall, clerk, cid, result="支付", reasons="理由", facts_found="事实", costs=COSTS)
    assert full.complete


def test_the_decision_on_a_deemed_withdrawal_and_on_a_withdrawal(hall, clerk, clock):
    cid = ready_case(hall, clerk, clock)
    h = arb.schedule_hearing(hall, clerk, cid, local(2026, 12, 1))
    arb.record_service(hall, clerk, cid, document_kind="hearing_notice", recipient_side="applicant", hearing_id=h.id)
    at(clock, 2026, 12, 1, 14)
    arb.deemed_withdrawn(hall, clerk, cid, h.id)
    for fmt in ("pdf", "docx"):
        doc = render.render_document(hall, clerk, "arbitration_withdrawal_decision", case_id=cid, fmt=fmt)
        assert_parts(doc, "决定书", "本委于2026年11月24日将开庭日期、地点书面通知申请人", "无正当理由拒不到庭",
                     "第三十六条第一款", "本案按申请人张伟撤回仲裁申请处理", "首席仲裁员")
    other = ready_case(hall, clerk, clock, worker="王芳", employer="东湖纺织厂", day=(2026, 12, 1))
    arb.withdraw(hall, clerk, other, reason="双方已自行和解")
    doc = render.render_document(hall, clerk, "arbitration_withdrawal_decision", case_id=other, fmt="docx")
    assert_parts(doc, "准许申请人王芳撤回仲裁申请", "双方已自行和解", "第四十一条")


def test_an_oral_application_gets_its_record(hall, clerk, clock):
    r = arb.receive_application(hall, clerk, APPLICATION, channel="oral")
    assert "口头申请笔录" in r.materials
    for fmt in ("pdf", "docx"):
        doc = render.render_document(hall, clerk, "arbitration_oral_application", case_id=r.case_id, fmt=fmt)
        assert_parts(doc, "口头申请笔录", "第二十八条第三款", "张伟", "东湖机械厂", "支付2026年9月至10月工资",
                     "被申请人拖欠两个月工资", "工资条", "申请人确认无误")
    written = arb.receive_application(hall, clerk, dict(APPLICATION, worker_name="王芳"))
    with pytest.raises(Conflict, match="书面申请"):
        render.render_document(hall, clerk, "arbitration_oral_application", case_id=written.case_id)
