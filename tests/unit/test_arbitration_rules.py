"""Labour arbitration rules: the application's contents, case numbers, the procedure,
simplified handling, recusal, final awards (Art. 47) and the hearing notice (Art. 35)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hall.domain import arbitration as arb
from hall.domain.arbitration import CaseState as S

D = dt.date
TODAY = D(2026, 11, 23)

COMPLETE = dict(
    worker_name="张伟", worker_id_number="11010519491231002X", worker_occupation="焊工",
    worker_employer="东湖机械厂", worker_address="东湖区人民路1号", worker_mailing_address="东湖区人民路1号",
    worker_phone="13812345678", employer_name="东湖机械厂", employer_address="东湖区工业路2号",
    employer_legal_rep="王强", employer_legal_rep_title="厂长",
    claims=[{"kind": "remuneration", "description": "支付拖欠工资", "amount": "12000"}],
    facts_reasons="拖欠两个月工资", evidence=[{"name": "工资条", "source": "申请人保存"}],
)


# -- the application -----------------------------------------------------------

def test_a_complete_application_misses_nothing_and_sex_and_birth_come_from_the_id():
    assert arb.missing_items(COMPLETE, TODAY) == []
    assert arb.derive_from_id(COMPLETE["worker_id_number"], TODAY) == {
        "sex": "女", "birth_date": D(1949, 12, 31), "id_number": "11010519491231002X"}


def test_every_missing_item_is_listed_at_once_for_one_supplement_notice():
    app = dict(COMPLETE, worker_occupation="", worker_mailing_address=" ", employer_legal_rep_title=None,
               evidence=[], facts_reasons="")
    assert arb.missing_items(app, TODAY) == [
        "劳动者职业", "劳动者通讯地址", "用人单位法定代表人或者主要负责人的职务",
        "仲裁请求所根据的事实、理由", "证据和证据来源"]


def test_an_empty_application_lists_all_required_contents_in_order():
    items = arb.missing_items({}, TODAY)
    assert items == [i.label for i in arb.REQUIRED_ITEMS]
    assert items[:2] == ["劳动者姓名", "劳动者性别"] and "劳动者公民身份号码" in items


def test_details_inside_claims_evidence_and_witnesses_are_named():
    app = dict(COMPLETE,
               claims=[{"kind": "remuneration", "description": "支付工资"},          # no amount
                       {"kind": "compensation", "description": "经济补偿", "amount": "三千"},
                       {"kind": "nonsense", "description": "x"},
                       {"kind": "confirm_relation", "description": ""}],
               evidence=[{"name": "劳动合同"}],
               witnesses=[{"name": "李四"}, {"address": "某处"}])
    items = arb.missing_items(app, TODAY)
    assert "第1项仲裁请求（劳动报酬）的金额" in items
    assert any(i.startswith("第2项仲裁请求的金额") for i in items)
    assert "第3项仲裁请求的类别（nonsense）无法识别" in items
    assert "第4项仲裁请求的具体内容" in items
    assert "证据“劳动合同”的来源" in items
    assert "证人李四的住所" in items and "第2名证人的姓名" in items


def test_a_wrong_id_number_is_a_supplement_item_and_sex_is_then_asked_for():
    items = arb.missing_items(dict(COMPLETE, worker_id_number="110105194912310021"), TODAY)
    assert any(i.startswith("劳动者公民身份号码有误") for i in items)
    assert "劳动者性别" in items and "劳动者出生日期" in items


def test_warnings_do_not_block_a_bad_credit_code():
    app = dict(COMPLETE, employer_credit_code="91330100MA2KXXXX0X", worker_sex="男")
    warnings = arb.application_warnings(app, TODAY)
    assert any("统一社会信用代码" in w for w in warnings)
    assert any("性别“男”与身份证号码（女）不一致" in w for w in warnings)
    assert arb.missing_items(app, TODAY) == []


# -- case numbers ----------------------------------------------------------------

def test_case_number_from_the_commission_pattern():
    assert arb.format_case_number("东劳人仲案字〔{year}〕第{seq}号", 2026, 12) == "东劳人仲案字〔2026〕第12号"
    assert arb.format_case_number("东劳人仲案字〔{year}〕第{seq:03d}号", 2026, 7) == "东劳人仲案字〔2026〕第007号"
    with pytest.raises(ValueError, match="须包含"):
        arb.format_case_number("劳人仲案字第{seq}号", 2026, 1)
    with pytest.raises(ValueError):
        arb.format_case_number("〔{year}〕{seq}", 2026, 0)


# -- the procedure -----------------------------------------------------------------

@pytest.mark.parametrize("path", [
    ["accept", "serve_respondent", "record_defence", "form_tribunal", "schedule_hearing", "record_hearing",
     "award", "close"],
    ["accept", "form_tribunal", "serve_respondent", "record_defence", "schedule_hearing", "postpone",
     "record_hearing", "schedule_hearing", "record_hearing", "mediate", "close"],
    ["accept", "serve_respondent", "form_tribunal", "schedule_hearing", "deem_withdrawn", "close"],
    ["accept", "serve_respondent", "form_tribunal", "schedule_hearing", "record_hearing", "default_award"],
    ["accept", "withdraw", "close"],
    ["refuse", "close"],
])
def test_allowed_paths(path):
    state = S.RECEIVED
    for action in path:
        state = arb.next_state(state, action)
    assert state in arb.TERMINAL_OUTCOMES


def test_supplement_loop():
    s = arb.next_state(S.RECEIVED, "request_supplement")
    assert s is S.SUPPLEMENT
    assert arb.next_state(s, "request_supplement") is S.SUPPLEMENT
    assert arb.next_state(s, "supplement") is S.RECEIVED
    with pytest.raises(arb.IllegalTransition, match="待补正.*不能受理"):
        arb.next_state(s, "accept")


@pytest.mark.parametrize("state, action, words", [
    (S.RECEIVED, "schedule_hearing", "须先组成仲裁庭"),
    (S.TRIBUNAL_FORMED, "award", "须先开庭审理"),
    (S.ACCEPTED, "default_award", "缺席裁决"),
    (S.HEARING_SCHEDULED, "form_tribunal", "开庭前组成"),
    (S.AWARDED, "withdraw", "不能撤回仲裁申请"),
    (S.CLOSED, "close", "已归档"),
    (S.REFUSED, "accept", "不予受理"),
    (S.ACCEPTED, "mediate", "须先组成仲裁庭"),
])
def test_refused_transitions_say_why_in_chinese(state, action, words):
    with pytest.raises(arb.IllegalTransition) as err:
        arb.next_state(state, action)
    assert words in str(err.value) and state.label in str(err.value)


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="未知的操作"):
        arb.next_state(S.RECEIVED, "fly")


# -- simplified handling (办案规则 Art. 56-57) -------------------------------------------

def test_simplified_on_the_amount_up_to_the_average_annual_wage():
    ok = arb.simplified_allowed(amount="125000", province_average_annual_wage=125000)
    assert ok.allowed and "标的额125000.00元不超过" in ok.reasons[0] and "第五十六条" in ok.reasons[0]
    no = arb.simplified_allowed(amount="125000.01", province_average_annual_wage=125000)
    assert not no.allowed and any("超过本省上年度职工年平均工资" in o for o in no.obstacles)


def test_simplified_on_clear_facts_or_agreement_whatever_the_amount():
    a = arb.simplified_allowed(facts_clear_and_minor=True, amount=900000, province_average_annual_wage=125000)
    assert a.allowed and "事实清楚" in a.reasons[0]
    b = arb.simplified_allowed(both_parties_agree=True)
    assert b.allowed and "双方当事人同意" in b.reasons[0]
    assert not arb.simplified_allowed().allowed


def test_simplified_excluded_cases_and_missing_setting():
    x = arb.simplified_allowed(both_parties_agree=True, exclusions=["respondent_missing"])
    assert not x.allowed and "被申请人下落不明" in x.text
    y = arb.simplified_allowed(amount=100, province_average_annual_wage=None)
    assert not y.allowed and "未设置本省上年度职工年平均工资" in y.text


def test_tribunal_composition():
    three = [{"name": "甲", "role": "presiding"}, {"name": "乙", "role": "member"}, {"name": "丙", "role": "member"}]
    arb.check_composition(three, simplified=False)
    arb.check_composition([{"name": "甲", "role": "sole"}], simplified=True)
    with pytest.raises(arb.TribunalProblem, match="三名仲裁员"):
        arb.check_composition(three[:2], simplified=False)
    with pytest.raises(arb.TribunalProblem, match="三名仲裁员"):
        arb.check_composition([dict(m, role="member") for m in three], simplified=False)
    with pytest.raises(arb.TribunalProblem, match="独任"):
        arb.check_composition(three, simplified=True)
    with pytest.raises(arb.TribunalProblem, match="重复"):
        arb.check_composition([three[0], three[1], dict(three[1], role="member")], simplified=False)


# -- recusal (第三十三条) -----------------------------------------------------------

PEOPLE = [arb.CasePerson("张伟", "applicant", "11010519491231002X"), arb.CasePerson("东湖机械厂", "respondent"),
          arb.CasePerson("王强", "legal_rep"), arb.CasePerson("赵律师", "agent")]


def test_recusal_grounds_are_the_four_of_article_33():
    assert [g.basis[-5:] for g in arb.RECUSAL_GROUNDS.values()] == ["第（一）项", "第（二）项", "第（三）项", "第（四）项"]
    assert all("第三十三条第一款" in g.basis for g in arb.RECUSAL_GROUNDS.values())


def test_an_arbitrator_who_is_a_party_or_a_partys_agent_must_withdraw():
    party = arb.recusal_conflicts(arb.Arbitrator("张伟"), PEOPLE)
    assert [c.ground.code for c in party] == ["party_or_relative"]
    assert "第三十三条第一款第（一）项" in party[0].message
    agent = arb.recusal_conflicts(arb.Arbitrator("赵律师"), PEOPLE)
    assert [c.ground.code for c in agent] == ["interest"]


def test_same_name_different_id_number_is_no_conflict():
    assert arb.recusal_conflicts(arb.Arbitrator("张伟", id_number="440524188001010014"), PEOPLE) == []
    assert arb.recusal_conflicts(arb.Arbitrator("刘仲裁"), PEOPLE) == []


def test_declared_relatives_relations_and_gifts():
    a = arb.Arbitrator("刘仲裁", declarations=(
        arb.Declaration("party_or_relative", "王强", "配偶"),
        arb.Declaration("private_contact", "赵律师", "接受宴请"),
        arb.Declaration("other_relation", "路人甲", "同学"),     # not in this case: no ground here
        arb.Declaration("interest", "", "持有被申请人股份"),
    ))
    found = arb.recusal_conflicts(a, PEOPLE)
    assert [c.ground.code for c in found] == ["party_or_relative", "private_contact", "interest"]
    assert "私自会见当事人、代理人，或者接受当事人、代理人的请客送礼" in found[1].message
    with pytest.raises(ValueError, match="未知的回避事由"):
        arb.recusal_conflicts(arb.Arbitrator("x", declarations=(arb.Declaration("dislike"),)), PEOPLE)


# -- final award (第四十七条) ------------------------------------------------------

WAGE = 2490  # demo local monthly minimum wage; 12 months = 29880


def _one(kind, amount, **kw):
    return arb.classify_claims([{"kind": kind, "description": "x", "amount": amount}], WAGE, **kw).claims[0]


@pytest.mark.parametrize("kind", ["remuneration", "injury_medical", "compensation", "damages"])
def test_exactly_twelve_months_of_minimum_wage_is_final_one_yuan_more_is_not(kind):
    at = _one(kind, "29880")
    assert at.final and at.basis.endswith("第四十七条第（一）项") and "不超过" in at.reason and "29880.00元" in at.reason
    over = _one(kind, "29881")
    assert not over.final and over.basis.endswith("第五十条") and "超过" in over.reason
    assert not _one(kind, "29880.01").final


def test_labour_standard_disputes_are_final_whatever_the_amount():
    for kind in ("working_hours", "rest_leave", "social_insurance"):
        c = _one(kind, "999999")
        assert c.final and c.basis.endswith("第四十七条第（二）项")


def test_other_disputes_and_employers_claims_are_not_final():
    assert not _one("confirm_relation", None).final
    assert not _one("remuneration", "100", applicant_is_worker=False).final


def test_each_claim_is_classified_separately_and_the_awarded_amount_counts():
    cls = arb.classify_claims([
        {"kind": "remuneration", "description": "工资", "amount": "40000", "awarded": "20000"},
        {"kind": "compensation", "description": "经济补偿", "amount": "35000"},
        {"kind": "social_insurance", "description": "补缴社保"},
    ], WAGE)
    assert [c.final for c in cls.claims] == [True, False, True]
    assert cls.mixed and "部分终局" in cls.label and cls.threshold == Decimal("29880.00")
    j = cls.to_json()
    assert j["claims"][0]["amount"] == "20000.00" and j["mixed"] is True


def test_no_minimum_wage_setting_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="最低工资"):
        arb.classify_claims([{"kind": "remuneration", "amount": 1}], None)


# -- hearing notice (第三十五条) -----------------------------------------------------

def test_hearing_notice_five_days_before_counting_the_hearing_day():
    # 民事诉讼法第八十五条: the service day is not counted, the hearing day is —
    # the rule's own note: hearing on the 15th, served on the 10th at the latest.
    assert arb.check_hearing_notice(D(2026, 12, 10), D(2026, 12, 15)).ok
    assert not arb.check_hearing_notice(D(2026, 12, 11), D(2026, 12, 15)).ok
    hearing = D(2026, 12, 8)
    ok = arb.check_hearing_notice(D(2026, 12, 3), hearing)
    assert ok.ok and ok.latest == D(2026, 12, 3)
    with pytest.raises(arb.NoticeTooLate) as err:
        arb.require_hearing_notice(D(2026, 12, 4), hearing)
    assert str(err.value).startswith("不符合要求：开庭通知须在开庭五日前送达") and "第三十五条" in str(err.value)


def test_hearing_day_may_be_given_as_a_datetime():
    assert arb.check_hearing_notice(D(2026, 12, 2), dt.datetime(2026, 12, 8, 9, 30)).ok


def test_postponement_request_three_days_before_counting_the_hearing_day():
    hearing = D(2026, 12, 15)
    assert arb.check_postponement_request(D(2026, 12, 12), hearing).ok
    late = arb.check_postponement_request(D(2026, 12, 13), hearing)
    assert not late.ok and "三日前" in late.message
