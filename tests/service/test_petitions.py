"""Petitions on both backends: the 15-day decision, 60 (+30) days of handling, the review
and re-review clocks, group visits, recusal, and a whistle-blower's identity kept from
everyone who may not see it and out of every transfer."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from hall.services import Conflict, InvalidInput, PermissionDenied
from hall.services import petitions as pet
from hall.store.models import AuditEntry, Event
from tests.conftest import staff_actor

D = dt.date

PETITION = {"channel": "written", "via": "letter",
            "petitioners": [{"name": "刘芳", "address": "东湖区幸福里3号", "phone": "13812345678"}],
            "matter": "城建", "request": "要求停止夜间施工", "facts": "小区旁工地夜间施工", "reasons": "影响休息"}
REPORT = {"channel": "written", "via": "visit", "whistleblower": True,
          "petitioners": [{"name": "周明", "address": "东湖区幸福里5号", "phone": "13912345678",
                           "id_number": "11010519491231002X"}],
          "matter": "检举控告", "request": "请查处张局长收受财物",
          "facts": "周明本人于3月看到张局长收受红包", "reasons": "违反廉洁规定",
          "accused_person": "张局长", "accused_unit": "东湖区住建局"}


@pytest.fixture
def clerk(hall):
    return staff_actor(hall, "chuangkou2", "window-2")


def at(clock, y, m, d):
    clock.set_local(dt.datetime(y, m, d, 9, 0))


def rows(view, code):
    return [r for r in view.deadlines if r.rule_code == code]


def only(view, code):
    found = rows(view, code)
    assert len(found) == 1, found
    return found[0]


def test_fifteen_days_to_decide_sixty_plus_thirty_to_handle_then_review_and_rereview(hall, clerk, clock, director):
    at(clock, 2026, 6, 1)
    p = pet.register_petition(hall, clerk, PETITION)
    assert p.number == "信访〔2026〕第1号" and p.state == "registered"
    assert only(p, "petition.notify_direct").due_date == D(2026, 6, 16)

    at(clock, 2026, 6, 3)
    p = pet.decide_acceptance(hall, clerk, p.id, "accept")
    assert only(p, "petition.notify_direct").met_on == D(2026, 6, 3)
    handling = only(p, "petition.handling")
    assert handling.due_date == D(2026, 8, 3) and "第三十四条" in handling.basis   # 08-02 Sunday → Monday
    p = pet.handle(hall, clerk, p.id, handler_user_id=clerk.user_id)
    assert p.state == "handling" and p.handler_name == "陈丽"

    at(clock, 2026, 7, 20)
    with pytest.raises(InvalidInput, match="告知信访人延期理由"):
        pet.extend_handling(hall, director, p.id, approved_by="局长", reason="")
    p = pet.extend_handling(hall, director, p.id, approved_by="局长", reason="需要现场核查")
    assert only(p, "petition.handling").due_date == D(2026, 9, 1)       # 08-02 + 30
    assert p.extension["notified_on"] == "2026-07-20"
    with pytest.raises(Conflict, match="不能再次延长"):
        pet.extend_handling(hall, director, p.id, approved_by="局长", reason="还要核查")

    at(clock, 2026, 8, 24)
    with pytest.raises(InvalidInput, match="法律法规依据"):
        pet.issue_opinion(hall, clerk, p.id, outcome="support", text="责令限时整改", basis="")
    p = pet.issue_opinion(hall, clerk, p.id, outcome="explain", text="施工许可合法，已协调调整作业时间",
                          basis="《环境噪声污染防治法》", issued_on=D(2026, 8, 20),
                          delivered_on=D(2026, 8, 24))
    assert p.opinion_label == "作出解释说明" and p.state == "opinion_issued"
    assert only(p, "petition.handling").met_on == D(2026, 8, 20)
    assert (only(p, "petition.review_request").start_date, only(p, "petition.review_request").due_date) == (
        D(2026, 8, 24), D(2026, 9, 23))                                 # from delivery, not from issue

    at(clock, 2026, 9, 1)
    p = pet.request_review(hall, clerk, p.id, body="东湖区人民政府")
    assert only(p, "petition.review_request").state == "met"
    assert only(p, "petition.review_answer").due_date == D(2026, 10, 8)   # 10-01 is National Day: after the holiday
    at(clock, 2026, 9, 16)
    p = pet.answer_review(hall, clerk, p.id, text="维持原处理意见", outcome="explain", answered_on=D(2026, 9, 15),
                          delivered_on=D(2026, 9, 16))
    assert only(p, "petition.review_answer").met_on == D(2026, 9, 15)
    assert only(p, "petition.rereview_request").due_date == D(2026, 10, 16)

    at(clock, 2026, 10, 9)
    p = pet.request_rereview(hall, clerk, p.id, body="市信访局")
    assert only(p, "petition.rereview_answer").due_date == D(2026, 11, 9)   # 11-08 Sunday → Monday
    at(clock, 2026, 10, 23)
    p = pet.rereview_hearing(hall, clerk, p.id, first=D(2026, 10, 20), last=D(2026, 10, 22))
    answer = only(p, "petition.rereview_answer")
    assert answer.due_date == D(2026, 11, 11) and "复核听证" in answer.explanation   # hearing days not counted
    at(clock, 2026, 11, 5)
    p = pet.answer_rereview(hall, clerk, p.id, text="维持")
    assert only(p, "petition.rereview_answer").state == "met" and p.rereview["final"] is True
    p = pet.close_petition(hall, clerk, p.id)
    assert p.state == "closed" and all(r.state == "met" for r in p.deadlines)
    order = [r.rule_code for r in sorted(p.deadlines, key=lambda r: r.id)]
    assert order == ["petition.notify_direct", "petition.handling", "petition.review_request",
                     "petition.review_answer", "petition.rereview_request", "petition.rereview_answer"]


def test_a_late_review_request_is_refused(hall, clerk, clock):
    p = pet.register_petition(hall, clerk, PETITION)
    pet.decide_acceptance(hall, clerk, p.id, "accept")
    pet.handle(hall, clerk, p.id, handler_name="陈丽")
    pet.issue_opinion(hall, clerk, p.id, outcome="not_support", text="请求缺乏事实根据", basis="有关规定")
    at(clock, 2026, 12, 24)   # 30 days from 11-23 end on 12-23
    with pytest.raises(Conflict, match="请求复查的期限已于2026年12月23日届满"):
        pet.request_review(hall, clerk, p.id)


def test_whistleblower_identity_is_never_shown_to_an_unprivileged_user_nor_transferred(hall, clerk, director, admin):
    p = pet.register_petition(hall, clerk, REPORT)
    # Even the window that registered it reads it redacted afterwards.
    assert p.whistleblower_redacted and p.petitioners == [
        {"name": "（已隐去）", "address": "（已隐去）", "phone": "（已隐去）", "id_number": "（已隐去）"}]
    assert p.facts == "检举人本人于3月看到张局长收受红包" and p.request == REPORT["request"]
    seen = repr(pet.petition_detail(hall, clerk, p.number))
    for secret in ("周明", "幸福里5号", "13912345678", "002X"):
        assert secret not in seen
    assert pet.petition_register(hall, clerk, "周明") == []                 # no hit by the name either
    assert pet.petition_register(hall, clerk)[0].petitioner == "（已隐去）"

    full = pet.petition_detail(hall, director, p.id)
    assert not full.whistleblower_redacted and full.petitioners[0]["name"] == "周明"
    assert [r.id for r in pet.petition_register(hall, director, "周明")] == [p.id]

    with pytest.raises(Conflict, match="第三十条第三款"):
        pet.decide_acceptance(hall, clerk, p.id, "transfer", transfer_to="东湖区住建局")
    with pytest.raises(Conflict, match="被检举、揭发的对象"):
        pet.decide_acceptance(hall, clerk, p.id, "transfer", transfer_to="张局长")
    with pytest.raises(Conflict, match="未作转送决定"):
        pet.transfer_package(hall, director, p.id)
    t = pet.decide_acceptance(hall, clerk, p.id, "transfer", transfer_to="东湖区纪委监委")
    assert t.state == "transferred" and only(t, "petition.notify_direct").state == "met"
    for who in (clerk, director, admin):   # whoever prints it, the package never names the whistle-blower
        package = pet.transfer_package(hall, who, p.id)
        text = json.dumps(package, ensure_ascii=False)
        assert package["identity_withheld"] and "第三十条第三款" in package["note"]
        for secret in ("周明", "幸福里5号", "13912345678", "11010519491231002X"):
            assert secret not in text
    with hall.read() as s:
        logged = json.dumps([a.details for a in s.execute(select(AuditEntry)).scalars()]
                            + [e.payload for e in s.execute(select(Event)).scalars()], ensure_ascii=False)
    assert "周明" not in logged
    # A refused recusal does not confirm who the whistle-blower is either.
    other = pet.register_petition(hall, clerk, REPORT)
    pet.decide_acceptance(hall, clerk, other.id, "accept")
    with pytest.raises(InvalidInput) as err:
        pet.handle(hall, clerk, other.id, handler_name="周明")
    assert "应当回避" in str(err.value) and "信访人或者代表" not in str(err.value)


def test_an_ordinary_petition_is_not_redacted_but_numbers_are_masked_for_others(hall, clerk, director):
    p = pet.register_petition(hall, clerk, PETITION)
    assert not p.whistleblower_redacted and p.petitioners[0]["phone"] == "13812345678"
    assert pet.petition_detail(hall, director, p.id).petitioners[0]["phone"] == "138****5678"


def test_group_visits_send_at_most_five_representatives(hall, clerk):
    reps = [{"name": f"代表{i}", "address": "东湖区新村"} for i in range(6)]
    group = dict(PETITION, via="visit", group_size=40, petitioners=[], representatives=reps)
    with pytest.raises(InvalidInput) as err:
        pet.register_petition(hall, clerk, group)
    assert "代表人数不得超过5人" in str(err.value) and "第二十条第三款" in str(err.value)
    p = pet.register_petition(hall, clerk, dict(group, representatives=reps[:5]))
    assert p.group_size == 40 and len(p.representatives) == 5
    assert [r.petitioner for r in pet.petition_register(hall, clerk, "代表0")] == ["代表0"]
    three = pet.register_petition(hall, clerk, dict(PETITION, via="visit", petitioners=reps[:3]))
    assert three.group_size == 3 and len(three.representatives) == 3
    with pytest.raises(InvalidInput, match="应当推选代表"):
        pet.register_petition(hall, clerk, dict(PETITION, via="visit", group_size=12, petitioners=reps[:3]))


def test_registration_lists_everything_missing_and_records_oral_petitions(hall, clerk):
    with pytest.raises(InvalidInput) as err:
        pet.register_petition(hall, clerk, {"channel": "written", "petitioners": [{"name": "刘芳"}]})
    assert str(err.value) == "信访事项尚缺：刘芳的住址、信访请求、事实、理由（《信访工作条例》第十九条）"
    oral = pet.register_petition(hall, clerk, dict(PETITION, channel="oral", via="visit"))
    assert oral.recorded_by == "陈丽"


def test_a_petition_transferred_here_has_fifteen_days_to_notify_and_five_working_days_to_object(hall, clerk):
    p = pet.register_petition(hall, clerk, dict(PETITION, source="东湖区信访局"))
    assert only(p, "petition.notify_transferred").due_date == D(2026, 12, 8)
    objection = only(p, "petition.transfer_objection")
    assert objection.due_date == D(2026, 11, 30) and "按工作日计算" in objection.explanation
    with pytest.raises(InvalidInput, match="说明理由"):
        pet.decide_acceptance(hall, clerk, p.id, "not_accept")
    p = pet.decide_acceptance(hall, clerk, p.id, "not_accept", reason="不属于本单位职权范围")
    assert {r.rule_code: r.state for r in p.deadlines} == {"petition.notify_transferred": "met",
                                                           "petition.transfer_objection": "met"}


def test_staff_with_a_direct_interest_may_not_handle_it(hall, clerk, director):
    p = pet.register_petition(hall, clerk, PETITION)
    pet.decide_acceptance(hall, clerk, p.id, "accept")
    with pytest.raises(InvalidInput, match="第二十八条第三款"):
        pet.handle(hall, clerk, p.id, handler_name="刘芳")
    with pytest.raises(InvalidInput, match="表姐"):
        pet.handle(hall, clerk, p.id, handler_user_id=clerk.user_id, declared_interest="信访人是其表姐")
    assert pet.handle(hall, director, p.id, handler_user_id=director.user_id).handler_name == "刘志强"


def test_who_may_do_what(hall, clerk, front_desk, director):
    with pytest.raises(PermissionDenied):
        pet.register_petition(hall, front_desk, PETITION)
    with pytest.raises(PermissionDenied):
        pet.register_petition(hall, director, PETITION)
    p = pet.register_petition(hall, clerk, PETITION)
    with pytest.raises(PermissionDenied):
        pet.petition_detail(hall, front_desk, p.id)
    with pytest.raises(Conflict, match="不能出具信访处理意见书"):
        pet.issue_opinion(hall, clerk, p.id, outcome="support", text="x", basis="y")


def test_cli_shows_a_petition_as_json_with_the_whole_record(hall, clerk, capsys):
    from hall.cli import main

    p = pet.register_petition(hall, clerk, REPORT)
    assert main(["--db", hall.url, "--json", "petition", "show", p.number]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["number"] == p.number and shown["petitioners"][0]["name"] == "周明"   # the administrator
    assert shown["deadlines"][0]["rule_code"] == "petition.notify_direct"
    assert main(["--db", hall.url, "--json", "petition", "list"]) == 0
    assert json.loads(capsys.readouterr().out)["petitions"][0]["number"] == p.number
