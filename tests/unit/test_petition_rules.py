"""Petition rules (《信访工作条例》): registration contents, group visits, the procedure,
the three outcomes of a handling opinion, whistle-blower redaction, staff recusal."""
from __future__ import annotations

import pytest

from hall.domain import petitions as pet
from hall.domain.petitions import PetitionState as P

WRITTEN = {"channel": "written", "petitioners": [{"name": "刘芳", "address": "东湖区幸福里3号"}],
           "request": "要求处理小区噪音", "facts": "夜间施工", "reasons": "影响休息"}


def test_a_complete_written_petition_misses_nothing():
    assert pet.missing_items(WRITTEN) == []


def test_missing_contents_are_listed_at_once_with_the_words_of_article_19():
    assert pet.missing_items({"channel": "written"}) == ["信访人姓名（名称）", "信访人住址", "信访请求", "事实", "理由"]
    two = dict(WRITTEN, petitioners=[{"name": "刘芳"}, {"address": "x"}], reasons="")
    assert pet.missing_items(two) == ["刘芳的住址", "第2名信访人姓名（名称）", "理由"]


def test_an_oral_petition_is_recorded_by_a_named_staff_member():
    oral = dict(WRITTEN, channel="oral")
    assert pet.missing_items(oral) == ["口头信访的记录人（口头提出的信访事项应当如实记录）"]
    assert pet.missing_items(dict(oral, recorded_by="陈丽")) == []
    assert "无法识别" in pet.missing_items(dict(WRITTEN, channel="telepathy"))[0]


def reps(n):
    return [{"name": f"代表{i}", "address": "x"} for i in range(n)]


def test_a_visiting_group_may_send_five_representatives_not_six():
    pet.check_group(30, reps(5), "visit")
    with pytest.raises(pet.GroupTooLarge) as err:
        pet.check_group(30, reps(6), "visit")
    msg = str(err.value)
    assert "代表人数不得超过5人" in msg and "第二十条第三款" in msg and "6人" in msg


def test_a_visiting_group_must_choose_representatives():
    with pytest.raises(pet.GroupTooLarge, match="应当推选代表"):
        pet.check_group(8, [], "visit")


def test_the_limit_is_for_visits_a_joint_letter_is_not_limited():
    pet.check_group(30, reps(6), "letter")
    pet.check_group(1, [], "visit")
    with pytest.raises(ValueError):
        pet.check_group(3, reps(4), "visit")


@pytest.mark.parametrize("path, end", [
    (["accept", "handle", "extend", "issue_opinion", "close"], P.CLOSED),
    (["accept", "handle", "issue_opinion", "request_review", "answer_review", "request_rereview",
      "rereview_hearing", "answer_rereview", "close"], P.CLOSED),
    (["not_accept", "close"], P.CLOSED),
    (["transfer", "close"], P.CLOSED),
])
def test_petition_paths(path, end):
    s = P.REGISTERED
    for action in path:
        s = pet.next_state(s, action)
    assert s is end


@pytest.mark.parametrize("state, action", [
    (P.REGISTERED, "issue_opinion"),
    (P.ACCEPTED, "issue_opinion"),        # handled first
    (P.OPINION_ISSUED, "request_rereview"),  # review comes before re-review
    (P.REREVIEW_ANSWERED, "request_review"),
    (P.CLOSED, "accept"),
    (P.HANDLING, "close"),
])
def test_refused_petition_transitions(state, action):
    with pytest.raises(pet.IllegalTransition) as err:
        pet.next_state(state, action)
    assert state.label in str(err.value) and "不能" in str(err.value)


def test_three_outcomes_in_the_words_of_article_32():
    labels = [o.label for o in pet.OPINION_OUTCOMES.values()]
    assert labels == ["予以支持", "作出解释说明", "不予支持"]
    assert "请求事由合理但缺乏法律依据的，应当作出解释说明" == pet.OPINION_OUTCOMES[pet.OpinionOutcome.EXPLAIN].condition


REPORT = {
    "whistleblower": True,
    "petitioners": [{"name": "周明", "address": "东湖区幸福里5号", "phone": "13912345678",
                     "id_number": "11010519491231002X"}],
    "representatives": [],
    "request": "请查处张局长收受财物",
    "facts": "周明本人于3月看到张局长收受红包，联系电话13912345678",
    "reasons": "违反廉洁规定",
}


def test_redaction_removes_the_whistleblowers_identity_everywhere():
    out = pet.redact_whistleblower(REPORT)
    assert out["whistleblower_redacted"] is True
    person = out["petitioners"][0]
    assert set(person.values()) == {pet.REDACTED}
    assert set(person) == {"name", "address", "phone", "id_number"}
    flat = repr(out)
    for secret in ("周明", "幸福里5号", "13912345678", "11010519491231002X"):
        assert secret not in flat
    assert out["facts"].startswith("检举人本人于3月看到张局长收受红包") and "139****5678" in out["facts"]
    assert out["request"] == REPORT["request"]   # the matter stays; the person does not
    assert REPORT["petitioners"][0]["name"] == "周明"  # the record itself is untouched


def test_an_ordinary_petition_is_not_redacted():
    plain = dict(REPORT, whistleblower=False)
    assert pet.redact_whistleblower(plain) == plain


@pytest.mark.parametrize("target", ["东湖区住建局", "东湖区 住建局", "住建局", "张局长"])
def test_a_report_is_never_transferred_to_the_accused(target):
    with pytest.raises(pet.TransferToAccused, match="第三十条第三款"):
        pet.check_transfer_target(target, accused_person="张局长", accused_unit="东湖区住建局")


def test_a_report_may_go_to_another_body_and_ordinary_petitions_anywhere():
    pet.check_transfer_target("东湖区纪委监委", accused_person="张局长", accused_unit="东湖区住建局")
    pet.check_transfer_target("东湖区住建局", accused_unit="东湖区住建局", whistleblower=False)


def test_staff_with_a_direct_interest_recuse_themselves():
    assert pet.staff_conflicts("陈丽", petition_people=["刘芳"]) == []
    own = pet.staff_conflicts("刘芳", petition_people=["刘芳"])
    accused = pet.staff_conflicts("张局长", accused=["张局长"])
    declared = pet.staff_conflicts("陈丽", declared_interest="信访人是其表姐")
    for found in (own, accused, declared):
        assert len(found) == 1 and "应当回避" in found[0] and "第二十八条第三款" in found[0]
