"""The rules of people's mediation cases, without a database."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hall.domain import cases as r
from hall.domain.cases import AgentInput, Category, PartyInput, PersonRef
from hall.domain.cases import CaseAction as A
from hall.domain.cases import CaseState as S

TODAY = dt.date(2026, 11, 23)
ZHANG_ID = "11010519491231002X"     # a woman born 1949-12-31
MAN_ID = "440524188001010014"       # a man born 1880-01-01


# ----------------------------------------------------------- state machine
ALLOWED = [
    (S.REGISTERED, A.ACCEPT, S.ACCEPTED),
    (S.REGISTERED, A.DECLINE, S.CLOSED),
    (S.REGISTERED, A.TRANSFER, S.TRANSFERRED),
    (S.ACCEPTED, A.START, S.MEDIATING),
    (S.ACCEPTED, A.TERMINATE, S.FAILED),
    (S.ACCEPTED, A.TRANSFER, S.TRANSFERRED),
    (S.MEDIATING, A.REACH_AGREEMENT, S.AGREEMENT),
    (S.MEDIATING, A.TERMINATE, S.FAILED),
    (S.MEDIATING, A.TRANSFER, S.TRANSFERRED),
    (S.AGREEMENT, A.CLOSE, S.CLOSED),
    (S.FAILED, A.TRANSFER, S.TRANSFERRED),
    (S.FAILED, A.CLOSE, S.CLOSED),
    (S.TRANSFERRED, A.CLOSE, S.CLOSED),
]


@pytest.mark.parametrize("state,action,after", ALLOWED)
def test_allowed_moves(state, action, after):
    assert r.transition(state, action) is after
    assert r.transition(state.value, action.value) is after  # codes work too
    assert action in r.allowed_actions(state)


REFUSED = sorted({(s, a) for s in S for a in A} - {(s, a) for s, a, _ in ALLOWED})


@pytest.mark.parametrize("state,action", REFUSED)
def test_every_other_move_is_refused_naming_state_and_action(state, action):
    with pytest.raises(r.IllegalTransition) as err:
        r.transition(state, action)
    assert state.label in str(err.value) and action.label in str(err.value)
    assert action not in r.allowed_actions(state)


def test_refusals_read_like_the_hall():
    with pytest.raises(r.IllegalTransition, match="案件当前状态为“已结案”，不能执行“受理”"):
        r.transition("closed", "accept")
    with pytest.raises(r.IllegalTransition, match="“达成协议”.*“终止调解”"):
        r.transition(S.AGREEMENT, A.TERMINATE)


def test_closed_is_final_and_open_states_are_the_first_three():
    assert r.allowed_actions(S.CLOSED) == []
    assert [s for s in S if s.is_open] == [S.REGISTERED, S.ACCEPTED, S.MEDIATING]


# ------------------------------------------------------------- vocabulary
def test_fifteen_statistical_categories_with_labour_details():
    assert len(Category) == 15
    assert [c.label for c in Category][:3] == ["婚姻家庭", "邻里", "房屋宅基地"]
    assert Category.OTHER.label == "其它"
    labour = r.SUBCATEGORIES[Category.LABOUR]
    for label in ("拖欠工资", "劳动合同", "工伤", "社会保险", "经济补偿"):
        assert label in labour.values()
    assert r.parse_subcategory(Category.LABOUR, "拖欠工资") == "unpaid_wages"
    assert r.parse_subcategory(Category.LABOUR, "unpaid_wages") == "unpaid_wages"
    assert r.parse_subcategory(Category.LABOUR, "") is None
    with pytest.raises(ValueError, match="没有细分类别"):
        r.parse_subcategory(Category.NEIGHBOURHOOD, "拖欠工资")


def test_codes_and_labels_both_parse_and_unknown_ones_list_the_choices():
    assert Category.parse("劳动争议", "类别") is Category.LABOUR
    assert r.Source.parse("委托移送", "来源") is r.Source.REFERRED
    with pytest.raises(ValueError, match="未知的来源.*当事人申请.*主动调解.*委托移送"):
        r.Source.parse("电话", "来源")


# ------------------------------------------------------------ case numbers
def test_case_numbers_from_the_centre_pattern():
    p = "（{year}）东人调字第{seq}号"
    assert r.format_case_number(p, 2026, 12) == "（2026）东人调字第12号"
    assert r.parse_case_number(p, "（2026）东人调字第12号") == (2026, 12)
    assert r.parse_case_number(p, "（2026）西人调字第12号") is None
    assert r.format_case_number("{year}-{seq:04d}", 2026, 7) == "2026-0007"
    assert r.parse_case_number("{year}-{seq:04d}", "2026-0007") == (2026, 7)


@pytest.mark.parametrize("pattern,fragment", [
    ("（{year}）人调字第号", "缺少序号"),
    ("第{seq}号", "缺少年份"),
    ("{year}{seq}{who}", "未知字段"),
])
def test_bad_patterns_are_explained(pattern, fragment):
    assert any(fragment in p for p in r.check_case_pattern(pattern))
    with pytest.raises(ValueError, match=fragment):
        r.format_case_number(pattern, 2026, 1)


# ----------------------------------------------------------------- parties
def test_a_person_with_an_id_number_gets_sex_and_birth_date_from_it():
    res = r.check_party(PartyInput("张 三", id_number="11010519491231002x", phone="138 1234 5678"), TODAY)
    assert res.ok, res.errors
    p = res.party
    assert (p.name, p.id_number, p.sex, p.birth_date, p.phone) == (
        "张三", ZHANG_ID, "女", dt.date(1949, 12, 31), "13812345678")


def test_a_person_without_an_id_number_is_fine():
    res = r.check_party(PartyInput("李四"), TODAY)
    assert res.ok and res.party.id_number is None and not res.warnings


@pytest.mark.parametrize("party,fragment", [
    (PartyInput(""), "姓名或名称不能为空"),
    (PartyInput("张三", id_number="110105194912310021"), "校验位"),
    (PartyInput("张三", id_number=MAN_ID, sex="女"), "性别“女”与身份证号（男）不符"),
    (PartyInput("张三", id_number=ZHANG_ID, birth_date=dt.date(1950, 1, 1)), "出生日期与身份证号不符"),
    (PartyInput("张三", phone="12345"), "手机号码应为11位"),
    (PartyInput("张三", side="judge"), "当事人地位"),
    (PartyInput("张三", credit_code="91330100MA2AAAAAAA"), "自然人不填统一社会信用代码"),
    (PartyInput("某公司", kind="organisation", id_number=ZHANG_ID, legal_rep="王五"), "不填身份证号"),
    (PartyInput("张三", agents=(AgentInput("李律师", id_number="123"),)), "代理人李律师"),
    (PartyInput("张三", agents=(AgentInput("李律师", scope="everything"),)), "授权范围"),
])
def test_bad_particulars_are_refused_with_the_reason(party, fragment):
    res = r.check_party(party, TODAY)
    assert not res.ok
    assert any(fragment in e for e in res.errors), res.errors


def test_an_organisation_credit_code_failing_its_check_only_warns():
    res = r.check_party(PartyInput("东湖科技有限公司", kind="organisation", credit_code="91330100MA2AAAAAAB",
                                   legal_rep="王五"), TODAY)
    assert res.ok and any("校验位" in w for w in res.warnings)
    res = r.check_party(PartyInput("东湖科技有限公司", kind="organisation"), TODAY)
    assert res.ok and any("法定代表人" in w for w in res.warnings)


# ----------------------------------------------------------------- recusal
MEDIATOR = PersonRef("周国平", MAN_ID, "13900001111")


@pytest.mark.parametrize("people,conflicted", [
    ([PersonRef("张三", MAN_ID, None, "申请人")], True),                 # same ID number
    ([PersonRef("周国平", None, "13900001111", "被申请人")], True),        # same name and phone
    ([PersonRef("周国平", None, "13900002222", "被申请人")], False),       # a namesake
    ([PersonRef("王五", None, "13900001111", "申请人")], False),           # shared phone, other name
    ([PersonRef("周国平", ZHANG_ID, None, "申请人的代理人")], False),  # a namesake with another ID
    ([PersonRef("张三", None, None), PersonRef("周 国平", None, "13900001111", "申请人的代理人")], True),
])
def test_recusal(people, conflicted):
    reasons = r.recusal_conflicts(MEDIATOR, people)
    assert bool(reasons) is conflicted
    if conflicted:
        assert any(p.role and p.role in reasons[0] for p in people)


def test_recusal_with_nothing_on_file_compares_nothing():
    assert r.recusal_conflicts(PersonRef("周国平"), [PersonRef("周国平", None, None)]) == []


# ------------------------------------------------------------- agreements
def test_effective_only_when_every_party_the_mediator_and_the_seal_signed():
    parties = [11, 12]
    assert r.missing_signoffs(parties, []) == ["party:11", "party:12", "mediator", "seal"]
    assert r.missing_signoffs(parties, ["party:11", "party:12", "mediator"]) == ["seal"]
    assert r.missing_signoffs(parties, ["party:12", "seal", "mediator", "party:11"]) == []


def test_copies_are_one_per_party_plus_one_for_the_committee():
    assert r.copies_required(2) == 3
    assert r.copies_required(5) == 6
    with pytest.raises(ValueError):
        r.copies_required(0)


def _text(**kw):
    base = dict(committee="东湖区人民调解委员会", number="（2026）东人调字第1号", facts="拖欠工资两个月",
                parties=(r.AgreementParty("applicant", "person", "张三", sex="女", id_number=ZHANG_ID),
                         r.AgreementParty("respondent", "organisation", "东湖科技有限公司", legal_rep="王五",
                                          legal_rep_title="总经理")),
                terms=(r.AgreementTermText("支付工资", "东湖科技有限公司", "张三", Decimal("12000"), "银行转账",
                                           dt.date(2026, 11, 30)),),
                copies=3)
    base.update(kw)
    return r.AgreementText(**base)


def test_agreement_text_follows_article_29():
    text = r.render_agreement_text(_text())
    assert text.startswith("东湖区人民调解委员会\n人民调解协议书\n（2026）东人调字第1号\n")
    assert "申请人：张三，女" in text and "被申请人：东湖科技有限公司" in text and "法定代表人王五，总经理" in text
    assert "纠纷主要事实、争议事项：\n拖欠工资两个月" in text
    assert ("一、支付工资，金额12,000.00元（大写：人民币壹万贰仟元整），由东湖科技有限公司于2026年11月30日前"
            "以银行转账方式向张三履行。") in text
    assert "本协议书一式三份，当事人各执一份，人民调解委员会留存一份" in text
    assert "三十日内共同向人民法院申请司法确认" in text


def test_an_oral_agreement_is_recorded_as_such():
    text = r.render_agreement_text(_text(oral=True, copies=0))
    assert "口头调解协议记录" in text and "第二十八条" in text and "第三十条" in text
    assert "一式" not in text


def test_minutes_keep_the_structure_of_the_record():
    keys = [k for k, _ in r.MINUTES_FIELDS]
    assert keys.index("rights_notice") < keys.index("statements") < keys.index("fact_check") \
        < keys.index("risk_warning") < keys.index("agreement") < keys.index("next_routes")
    clean = r.check_minutes({"statements": [{"speaker": "张三", "party_id": "3", "text": "欠薪"}],
                             "risk_warning": "诉讼有风险"})
    assert clean == {"statements": [{"speaker": "张三", "party_id": 3, "text": "欠薪"}], "risk_warning": "诉讼有风险"}
    with pytest.raises(ValueError, match="未知栏目"):
        r.check_minutes({"gossip": "..."})
    with pytest.raises(ValueError, match="应为文字"):
        r.check_minutes({"fact_check": 12})


def test_failed_mediation_names_the_routes_of_article_26():
    assert "第二十六条" in r.TERMINATION_NOTICE and "仲裁、行政、司法" in r.TERMINATION_NOTICE
    assert "劳动人事争议仲裁委员会" in r.failure_routes("labour")[0]
    assert any("人民法院" in x for x in r.failure_routes("neighbourhood"))


def test_referral_states():
    assert r.referral_transition("open", "arrange") is r.ReferralState.ARRANGED
    assert r.referral_transition("arranged", "complete") is r.ReferralState.DONE
    with pytest.raises(ValueError, match="已完成.*不能取消"):
        r.referral_transition("done", "cancel")
