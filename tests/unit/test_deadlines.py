"""Statutory deadline engine: start-day rule, roll-over, extension, restart, suspension, coverage."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hall.domain.deadlines import (
    RULES,
    BeforeMode,
    Counting,
    DeadlineRule,
    DeadlineState,
    Direction,
    Event,
    RollOver,
    Unit,
    add_months,
    apply_settings,
    check_before,
    cn_number,
    compute,
    latest_allowed,
    rule,
    rules_for,
)
from hall.domain.workcalendar import DayKind, WorkCalendar, YearSchedule

D = dt.date
CAL = WorkCalendar()
NOTE_2027 = "节假日数据未覆盖2027年，按周末及《全国年节及纪念日放假办法》第二条的固定日期节日推算（估算）"


# -- registry -----------------------------------------------------------------

BASES = [
    ("labour.mediation", "《劳动争议调解仲裁法》第十四条", 15, Unit.DAYS),
    ("labour.limitation", "《劳动争议调解仲裁法》第二十七条", 1, Unit.YEARS),
    ("labour.limitation.wages", "《劳动争议调解仲裁法》第二十七条第四款", 1, Unit.YEARS),
    ("labour.acceptance", "《劳动争议调解仲裁法》第二十九条", 5, Unit.DAYS),
    ("labour.copy_to_respondent", "《劳动争议调解仲裁法》第三十条", 5, Unit.DAYS),
    ("labour.defence", "《劳动争议调解仲裁法》第三十条", 10, Unit.DAYS),
    ("labour.defence_copy", "《劳动争议调解仲裁法》第三十条", 5, Unit.DAYS),
    ("labour.tribunal_notice", "《劳动争议调解仲裁法》第三十二条", 5, Unit.DAYS),
    ("labour.hearing_notice", "《劳动争议调解仲裁法》第三十五条", 5, Unit.DAYS),
    ("labour.postponement_request", "《劳动争议调解仲裁法》第三十五条", 3, Unit.DAYS),
    ("labour.award", "《劳动争议调解仲裁法》第四十三条", 45, Unit.DAYS),
    ("labour.final_award_suit", "《劳动争议调解仲裁法》第四十八条", 15, Unit.DAYS),
    ("labour.set_aside", "《劳动争议调解仲裁法》第四十九条", 30, Unit.DAYS),
    ("labour.suit_after_set_aside", "《劳动争议调解仲裁法》第四十九条第三款", 15, Unit.DAYS),
    ("labour.nonfinal_award_suit", "《劳动争议调解仲裁法》第五十条", 15, Unit.DAYS),
    ("mediation.judicial_confirmation", "《人民调解法》第三十三条", 30, Unit.DAYS),
    ("mediation.people_duration", "《人民调解工作若干规定》第三十三条", 1, Unit.MONTHS),
    ("petition.register", "《信访工作条例》第二十二条", 15, Unit.DAYS),
    ("petition.notify_direct", "《信访工作条例》第二十三条", 15, Unit.DAYS),
    ("petition.notify_transferred", "《信访工作条例》第二十三条", 15, Unit.DAYS),
    ("petition.transfer_objection", "《信访工作条例》第二十三条", 5, Unit.DAYS),
    ("petition.handling", "《信访工作条例》第三十四条", 60, Unit.DAYS),
    ("petition.review_request", "《信访工作条例》第三十五条", 30, Unit.DAYS),
    ("petition.review_answer", "《信访工作条例》第三十五条", 30, Unit.DAYS),
    ("petition.rereview_request", "《信访工作条例》第三十六条", 30, Unit.DAYS),
    ("petition.rereview_answer", "《信访工作条例》第三十六条", 30, Unit.DAYS),
    ("whistle.response", "本中心吹哨报到工作规则", 1, Unit.DAYS),
    ("whistle.solution", "本中心吹哨报到工作规则", 5, Unit.DAYS),
]


@pytest.mark.parametrize(("code", "basis", "length", "unit"), BASES)
def test_registry_bases(code, basis, length, unit):
    r = rule(code)
    assert r.code == code
    assert basis in r.basis
    assert (r.length, r.unit) == (length, unit)
    assert r.name and r.requirement and r.start.name and r.duty


def test_registry_complete_and_lookup():
    assert {c for c, *_ in BASES} == set(RULES)
    with pytest.raises(KeyError, match="未知的期限规则"):
        rule("labour.nope")
    assert {r.domain for r in RULES.values()} == {"labour", "mediation", "petition", "whistle"}
    assert rule("labour.award") in rules_for("labour")


def test_unverified_items_are_marked():
    assert rule("mediation.people_duration").verified is False
    assert "未经核实" in rule("mediation.people_duration").basis
    for code in ("labour.acceptance", "labour.copy_to_respondent", "labour.defence", "labour.defence_copy",
                 "labour.tribunal_notice", "labour.hearing_notice", "labour.postponement_request"):
        r = rule(code)
        assert r.counting is Counting.CALENDAR
        assert r.counting_configurable
        assert "未经核实" in r.note
    assert "未经核实" in rule("labour.award").restart_basis


def test_only_the_statutory_working_day_rule_counts_working_days():
    working = [r.code for r in RULES.values() if r.counting is Counting.WORKDAYS and r.domain != "whistle"]
    assert working == ["petition.transfer_objection"]
    assert rule("petition.transfer_objection").length_text == "五个工作日"


def test_rule_validation():
    base = rule("labour.defence")
    with pytest.raises(ValueError):
        dataclasses.replace(base, length=0)
    with pytest.raises(ValueError):
        dataclasses.replace(rule("labour.limitation"), counting=Counting.WORKDAYS)
    with pytest.raises(ValueError):
        dataclasses.replace(rule("labour.hearing_notice"), restart_events=(Event("x", "x"),))


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (3, "三"), (10, "十"), (15, "十五"), (30, "三十"), (45, "四十五"), (60, "六十"), (105, "一百零五")])
def test_cn_number(n, text):
    assert cn_number(n) == text


# -- due dates across real holidays -------------------------------------------

# (rule, start, nominal last day, due date)
DUE = [
    # 2025 National Day / Mid-Autumn: Oct 1-8 off; Sep 28 (Sun) and Oct 11 (Sat) working
    ("labour.defence", D(2025, 9, 23), D(2025, 10, 3), D(2025, 10, 9)),
    ("labour.acceptance", D(2025, 9, 26), D(2025, 10, 1), D(2025, 10, 9)),
    ("labour.copy_to_respondent", D(2025, 9, 23), D(2025, 9, 28), D(2025, 9, 28)),  # swapped Sunday: no roll
    ("labour.tribunal_notice", D(2025, 10, 6), D(2025, 10, 11), D(2025, 10, 11)),  # swapped Saturday
    ("labour.defence_copy", D(2025, 10, 3), D(2025, 10, 8), D(2025, 10, 9)),
    ("mediation.judicial_confirmation", D(2025, 9, 1), D(2025, 10, 1), D(2025, 10, 9)),
    ("labour.award", D(2025, 8, 20), D(2025, 10, 4), D(2025, 10, 9)),
    # ordinary weekend
    ("labour.defence_copy", D(2025, 11, 10), D(2025, 11, 15), D(2025, 11, 17)),
    ("labour.defence", D(2025, 11, 6), D(2025, 11, 16), D(2025, 11, 17)),
    ("labour.defence", D(2025, 11, 4), D(2025, 11, 14), D(2025, 11, 14)),
    # 2025 Spring Festival: Jan 28 - Feb 4 off; Jan 26 (Sun) and Feb 8 (Sat) working
    ("labour.final_award_suit", D(2025, 1, 20), D(2025, 2, 4), D(2025, 2, 5)),
    ("labour.nonfinal_award_suit", D(2025, 1, 11), D(2025, 1, 26), D(2025, 1, 26)),
    ("labour.set_aside", D(2025, 1, 9), D(2025, 2, 8), D(2025, 2, 8)),
    ("labour.set_aside", D(2025, 1, 10), D(2025, 2, 9), D(2025, 2, 10)),
    ("labour.mediation", D(2025, 1, 13), D(2025, 1, 28), D(2025, 2, 5)),
    # 2026 Spring Festival: Feb 15-23 off; Feb 14 and Feb 28 (Sat) working
    ("labour.mediation", D(2026, 2, 1), D(2026, 2, 16), D(2026, 2, 24)),
    ("labour.suit_after_set_aside", D(2026, 1, 30), D(2026, 2, 14), D(2026, 2, 14)),
    ("petition.register", D(2026, 2, 13), D(2026, 2, 28), D(2026, 2, 28)),
    # 2026 National Day: Oct 1-7 off; Sep 20 (Sun) and Oct 10 (Sat) working; Mid-Autumn Sep 25-27
    ("labour.award", D(2026, 8, 20), D(2026, 10, 4), D(2026, 10, 8)),
    ("petition.handling", D(2026, 8, 5), D(2026, 10, 4), D(2026, 10, 8)),
    ("petition.review_request", D(2026, 9, 1), D(2026, 10, 1), D(2026, 10, 8)),
    ("petition.review_answer", D(2026, 8, 26), D(2026, 9, 25), D(2026, 9, 28)),
    ("petition.notify_direct", D(2026, 9, 5), D(2026, 9, 20), D(2026, 9, 20)),
    ("petition.notify_transferred", D(2026, 9, 25), D(2026, 10, 10), D(2026, 10, 10)),
    # months and years
    ("labour.limitation", D(2025, 2, 1), D(2026, 2, 1), D(2026, 2, 2)),
    ("labour.limitation", D(2025, 2, 15), D(2026, 2, 15), D(2026, 2, 24)),
    ("labour.limitation", D(2025, 3, 10), D(2026, 3, 10), D(2026, 3, 10)),
    ("labour.limitation", D(2024, 2, 29), D(2025, 2, 28), D(2025, 2, 28)),
    ("labour.limitation.wages", D(2025, 6, 30), D(2026, 6, 30), D(2026, 6, 30)),
    ("mediation.people_duration", D(2025, 1, 31), D(2025, 2, 28), D(2025, 2, 28)),
    ("mediation.people_duration", D(2025, 9, 1), D(2025, 10, 1), D(2025, 10, 9)),
    ("mediation.people_duration", D(2026, 1, 15), D(2026, 2, 15), D(2026, 2, 24)),
]


@pytest.mark.parametrize(("code", "start", "nominal", "due"), DUE)
def test_due_dates(code, start, nominal, due):
    res = compute(rule(code), start, CAL)
    assert res.nominal_due == nominal
    assert res.due == due
    assert res.rolled_from == (nominal if nominal != due else None)
    assert res.basis == rule(code).basis
    assert res.coverage_note is None
    assert "当日不计入" in res.explanation
    assert rule(code).basis in res.explanation


def test_start_day_not_counted():
    # served Monday 10 Nov 2025: five days are 11..15 Nov, not 10..14
    res = compute(rule("labour.defence_copy"), D(2025, 11, 10), CAL)
    assert res.nominal_due == D(2025, 11, 15)
    assert res.nominal_due - res.start == dt.timedelta(days=5)


def test_rollover_explanation_names_the_holiday():
    res = compute(rule("labour.defence"), D(2025, 9, 23), CAL)
    assert "国庆节" in res.explanation
    assert "顺延" in res.explanation
    assert "2025年10月3日" in res.explanation and "2025年10月9日" in res.explanation
    weekend = compute(rule("labour.defence_copy"), D(2025, 11, 10), CAL)
    assert "公休日" in weekend.explanation


def test_swapped_workday_is_not_rolled():
    res = compute(rule("labour.copy_to_respondent"), D(2025, 9, 23), CAL)
    assert res.due == D(2025, 9, 28)
    assert "调休上班日，不顺延" in res.explanation


@pytest.mark.parametrize(
    ("mode", "start", "due"),
    [
        (RollOver.REST_DAYS, D(2025, 11, 10), D(2025, 11, 17)),  # Saturday rolls to Monday
        (RollOver.HOLIDAYS_ONLY, D(2025, 11, 10), D(2025, 11, 15)),  # weekend kept
        (RollOver.HOLIDAYS_ONLY, D(2025, 9, 28), D(2025, 10, 9)),  # holiday period rolls
        (RollOver.HOLIDAYS_ONLY, D(2026, 9, 20), D(2026, 9, 28)),  # Sep 25-27 holiday, then Monday
        (RollOver.NONE, D(2025, 9, 28), D(2025, 10, 3)),
    ],
)
def test_rollover_modes(mode, start, due):
    r = dataclasses.replace(rule("labour.defence_copy"), rollover=mode)
    assert compute(r, start, CAL).due == due


# -- working-day counting -------------------------------------------------------

WORKDAY_DUE = [
    ("petition.transfer_objection", D(2025, 9, 26), D(2025, 10, 10)),  # Sep 28 (swapped Sunday) counts
    ("petition.transfer_objection", D(2026, 9, 30), D(2026, 10, 13)),  # Oct 10 (swapped Saturday) counts
    ("petition.transfer_objection", D(2025, 1, 24), D(2025, 2, 7)),  # Jan 26, 27 count; Jan 28-Feb 4 not
    ("petition.transfer_objection", D(2026, 2, 13), D(2026, 2, 27)),  # Feb 14 counts, Feb 15-23 not
]


@pytest.mark.parametrize(("code", "start", "due"), WORKDAY_DUE)
def test_working_day_rule(code, start, due):
    res = compute(rule(code), start, CAL)
    assert res.due == due
    assert CAL.workdays_between(start, due) == 5
    assert "按工作日计算" in res.explanation


def test_apply_settings_switches_to_working_days():
    rules = apply_settings({"labour.defence": Counting.WORKDAYS})
    assert rules["labour.defence"].counting is Counting.WORKDAYS
    assert RULES["labour.defence"].counting is Counting.CALENDAR  # registry untouched
    res = compute(rules["labour.defence"], D(2025, 9, 26), CAL)
    assert res.due == D(2025, 10, 16)
    assert rules["labour.defence"].length_text == "十个工作日"
    with pytest.raises(ValueError, match="不能更改"):
        apply_settings({"labour.limitation": Counting.WORKDAYS})
    with pytest.raises(KeyError):
        apply_settings({"labour.nope": Counting.WORKDAYS})


# -- extension --------------------------------------------------------------------


def test_award_extension_once():
    r = rule("labour.award")
    plain = compute(r, D(2025, 8, 20), CAL)
    assert plain.due == D(2025, 10, 9)
    ext = compute(r, D(2025, 8, 20), CAL, extensions=1)
    # 45 + 15 = 60 days from 20 Aug: Sunday 19 Oct, rolled to Monday 20 Oct
    assert ext.nominal_due == D(2025, 10, 19)
    assert ext.due == D(2025, 10, 20)
    assert ext.extended == 15
    assert "延长十五日" in ext.explanation
    assert "主任批准" in ext.explanation


def test_second_extension_refused_in_chinese():
    with pytest.raises(ValueError, match="不能再次延长") as exc:
        compute(rule("labour.award"), D(2025, 8, 20), CAL, extensions=2)
    assert "第四十三条" in str(exc.value)
    assert "十五日" in str(exc.value)


def test_shorter_extension_and_bad_extensions():
    r = rule("labour.award")
    assert compute(r, D(2025, 8, 20), CAL, extensions=1, extension_length=10).due == D(2025, 10, 14)
    with pytest.raises(ValueError, match="不得超过十五日"):
        compute(r, D(2025, 8, 20), CAL, extensions=1, extension_length=16)
    with pytest.raises(ValueError):
        compute(r, D(2025, 8, 20), CAL, extension_length=10)
    with pytest.raises(ValueError):
        compute(r, D(2025, 8, 20), CAL, extensions=-1)
    with pytest.raises(ValueError, match="不能延长"):
        compute(rule("labour.defence"), D(2025, 8, 20), CAL, extensions=1)


def test_petition_handling_extension():
    res = compute(rule("petition.handling"), D(2026, 8, 5), CAL, extensions=1)
    assert res.nominal_due == D(2026, 11, 3)
    assert res.due == D(2026, 11, 3)
    with pytest.raises(ValueError, match="三十日"):
        compute(rule("petition.handling"), D(2026, 8, 5), CAL, extensions=2)


# -- restart and suspension -----------------------------------------------------------


def test_award_restart_on_party_added():
    r = rule("labour.award")
    res = compute(r, D(2025, 8, 1), CAL, restarts=[(D(2025, 8, 15), "party_added")])
    assert res.anchor == D(2025, 8, 15)
    assert res.restarted_on == D(2025, 8, 15)
    assert res.due == D(2025, 9, 29)
    assert "追加当事人" in res.explanation and "重新计算" in res.explanation


def test_latest_restart_wins():
    r = rule("labour.award")
    res = compute(r, D(2025, 8, 1), CAL, restarts=[D(2025, 8, 20), (D(2025, 8, 10), "claims_changed")])
    assert res.anchor == D(2025, 8, 20)
    assert res.due == D(2025, 10, 9)  # 4 Oct (National Day) rolled


def test_restart_errors():
    r = rule("labour.award")
    with pytest.raises(ValueError, match="早于起算日"):
        compute(r, D(2025, 8, 1), CAL, restarts=[D(2025, 7, 1)])
    with pytest.raises(ValueError):
        compute(r, D(2025, 8, 1), CAL, restarts=[(D(2025, 8, 5), "no_such_event")])
    with pytest.raises(ValueError, match="没有重新计算"):
        compute(rule("labour.defence"), D(2025, 8, 1), CAL, restarts=[D(2025, 8, 5)])


def test_award_suspension_excluded():
    r = rule("labour.award")
    plain = compute(r, D(2025, 8, 1), CAL)
    assert plain.due == D(2025, 9, 15)
    res = compute(r, D(2025, 8, 1), CAL, suspensions=[(D(2025, 8, 10), D(2025, 8, 19))])
    assert res.suspended_days == 10
    assert res.due == D(2025, 9, 25)
    assert "不计入期间" in res.explanation


def test_suspension_pushes_into_holiday_and_rolls():
    # a 16-day publication period (10-25 Aug) pushes 15 Sep to 1 Oct, inside National Day
    r = rule("labour.award")
    res = compute(r, D(2025, 8, 1), CAL, suspensions=[(D(2025, 8, 10), D(2025, 8, 25), "公告送达期间")])
    assert res.suspended_days == 16
    assert res.nominal_due == D(2025, 10, 1)
    assert res.due == D(2025, 10, 9)
    assert "公告送达期间" in res.explanation


def test_suspension_before_restart_is_ignored():
    r = rule("labour.award")
    res = compute(
        r,
        D(2025, 8, 1),
        CAL,
        restarts=[D(2025, 8, 15)],
        suspensions=[(D(2025, 8, 5), D(2025, 8, 10))],
    )
    assert res.suspended_days == 0
    assert res.due == D(2025, 9, 29)


def test_open_suspension_is_provisional():
    r = rule("labour.award")
    res = compute(r, D(2025, 8, 1), CAL, suspensions=[(D(2025, 8, 10), None)], today=D(2025, 8, 19))
    assert res.state is DeadlineState.SUSPENDED
    assert res.provisional and res.suspension_open
    assert res.due == D(2025, 9, 25)
    with pytest.raises(ValueError, match="今日"):
        compute(r, D(2025, 8, 1), CAL, suspensions=[(D(2025, 8, 10), None)])


def test_suspension_errors():
    with pytest.raises(ValueError, match="中止"):
        compute(rule("labour.defence"), D(2025, 8, 1), CAL, suspensions=[(D(2025, 8, 2), D(2025, 8, 3))])
    with pytest.raises(ValueError, match="早于开始日"):
        compute(rule("labour.award"), D(2025, 8, 1), CAL, suspensions=[(D(2025, 8, 5), D(2025, 8, 3))])


def test_rereview_hearing_time_excluded():
    res = compute(
        rule("petition.rereview_answer"), D(2026, 3, 2), CAL, suspensions=[(D(2026, 3, 10), D(2026, 3, 12), "听证")]
    )
    assert res.nominal_due == D(2026, 4, 4)  # 1 Apr + 3 days = Sat 4 Apr, Qingming
    assert res.due == D(2026, 4, 7)
    assert "清明节" in res.explanation


# -- limitation ---------------------------------------------------------------------


def test_limitation_interruption_restarts_one_year():
    r = rule("labour.limitation")
    plain = compute(r, D(2025, 3, 10), CAL)
    assert plain.due == D(2026, 3, 10)
    res = compute(r, D(2025, 3, 10), CAL, restarts=[(D(2025, 12, 1), "claim_to_other_party")])
    assert res.due == D(2026, 12, 1)
    assert "向对方当事人主张权利" in res.explanation
    assert "第二十七条第二款" in res.explanation


def test_limitation_interruption_and_suspension():
    r = rule("labour.limitation")
    res = compute(
        r,
        D(2025, 3, 10),
        CAL,
        restarts=[(D(2025, 12, 1), "request_relief")],
        suspensions=[(D(2026, 1, 10), D(2026, 1, 19), "不可抗力")],
        today=D(2026, 6, 1),
    )
    assert res.suspended_days == 10
    assert res.due == D(2026, 12, 11)
    assert res.state is DeadlineState.OPEN
    assert res.days_left == (D(2026, 12, 11) - D(2026, 6, 1)).days


def test_limitation_into_2027_is_flagged():
    res = compute(rule("labour.limitation"), D(2026, 3, 10), CAL)
    assert res.due == D(2027, 3, 10)
    assert res.coverage_note == NOTE_2027
    assert NOTE_2027 in res.explanation


def test_entered_2027_schedule_takes_precedence_and_removes_flag():
    r = rule("labour.limitation")
    guess = compute(r, D(2026, 10, 1), CAL)
    # 1-3 October are fixed-date holidays (全国年节及纪念日放假办法第二条) even without data
    assert guess.due == D(2027, 10, 4)
    assert guess.coverage_note == NOTE_2027
    partial = YearSchedule(
        year=2027,
        holidays=[(D(2027, 10, d), "国庆节") for d in range(1, 8)],
        swapped_workdays=[D(2027, 9, 26), D(2027, 10, 9)],
    )
    res = compute(r, D(2026, 10, 1), CAL.with_schedule(partial))
    assert res.due == D(2027, 10, 8)
    assert "未录入元旦、春节" in res.coverage_note and "估算" in res.coverage_note  # still an estimate
    full = YearSchedule(
        year=2027,
        holidays=[(D(2027, 1, 1), "元旦"), *((D(2027, 2, d), "春节") for d in range(5, 12)),
                  (D(2027, 4, 5), "清明节"), *((D(2027, 5, d), "劳动节") for d in range(1, 6)),
                  (D(2027, 6, 9), "端午节"), (D(2027, 9, 15), "中秋节"),
                  *((D(2027, 10, d), "国庆节") for d in range(1, 8))],
        swapped_workdays=[D(2027, 9, 26), D(2027, 10, 9)],
    )
    res = compute(r, D(2026, 10, 1), CAL.with_schedule(full))
    assert res.coverage_note is None
    assert res.due == D(2027, 10, 8)
    assert "国庆节" in res.explanation


def test_override_single_day():
    cal = WorkCalendar({D(2025, 11, 14): DayKind.HOLIDAY})
    assert compute(rule("labour.defence"), D(2025, 11, 4), cal).due == D(2025, 11, 17)


# -- states ---------------------------------------------------------------------------

STATES = [
    (dict(today=D(2025, 10, 8)), DeadlineState.OPEN, 1),
    (dict(today=D(2025, 10, 9)), DeadlineState.DUE_TODAY, 0),
    (dict(today=D(2025, 10, 12)), DeadlineState.OVERDUE, -3),
    (dict(today=D(2025, 10, 12), met_on=D(2025, 10, 9)), DeadlineState.MET, None),
    (dict(today=D(2025, 10, 12), met_on=D(2025, 10, 10)), DeadlineState.MET_LATE, None),
    (dict(), DeadlineState.OPEN, None),
]


@pytest.mark.parametrize(("kwargs", "state", "left"), STATES)
def test_states(kwargs, state, left):
    res = compute(rule("labour.defence"), D(2025, 9, 23), CAL, **kwargs)
    assert res.state is state
    assert res.days_left == left
    assert state.label


# -- before-event rules ------------------------------------------------------------------

BEFORE = [
    # (rule, event, latest allowed act day)
    ("labour.hearing_notice", D(2025, 11, 20), D(2025, 11, 15)),  # 16..20 Nov: five days, hearing day counted
    ("labour.hearing_notice", D(2025, 10, 9), D(2025, 10, 4)),  # falls in National Day: not rolled
    ("labour.postponement_request", D(2025, 11, 20), D(2025, 11, 17)),
    ("labour.postponement_request", D(2026, 2, 24), D(2026, 2, 21)),
]


@pytest.mark.parametrize(("code", "event", "latest"), BEFORE)
def test_latest_allowed(code, event, latest):
    r = rule(code)
    assert latest_allowed(r, event, CAL) == latest
    assert check_before(r, latest, event, CAL).ok
    late = check_before(r, latest + dt.timedelta(days=1), event, CAL)
    assert not late.ok
    assert r.requirement in late.message
    assert late.latest == latest


def test_hearing_notice_messages():
    bad = check_before(rule("labour.hearing_notice"), D(2025, 11, 17), D(2025, 11, 20))
    assert not bad.ok
    assert "开庭通知须在开庭五日前送达" in bad.message
    assert "不符合要求" in bad.message
    assert "第三十五条" in bad.basis
    good = check_before(rule("labour.hearing_notice"), D(2025, 11, 3), D(2025, 11, 20))
    assert good.ok and "符合要求" in good.message
    too_late = check_before(rule("labour.postponement_request"), D(2025, 11, 19), D(2025, 11, 20))
    assert not too_late.ok and "请求延期开庭须在开庭三日前提出" in too_late.message


def test_before_rules_in_working_days():
    notice = rule("labour.hearing_notice").with_counting(Counting.WORKDAYS)
    # hearing Mon 13 Oct 2025 (counted), 11 (Sat, swapped), 10, 9 Oct, 30 Sep: five working days
    assert latest_allowed(notice, D(2025, 10, 13), CAL) == D(2025, 9, 29)
    post = rule("labour.postponement_request").with_counting(Counting.WORKDAYS)
    assert latest_allowed(post, D(2025, 10, 13), CAL) == D(2025, 10, 9)


def test_compute_on_before_rule_gives_latest_day():
    res = compute(rule("labour.hearing_notice"), D(2025, 10, 9), CAL, today=D(2025, 10, 2))
    assert res.due == D(2025, 10, 4)
    assert res.state is DeadlineState.OPEN and res.days_left == 2
    assert "不因节假日顺延" in res.explanation
    assert "2025年9月30日" in res.explanation  # advice: serve on the last working day before
    with pytest.raises(ValueError):
        compute(rule("labour.hearing_notice"), D(2025, 10, 9), CAL, extensions=1)
    with pytest.raises(ValueError):
        latest_allowed(rule("labour.defence"), D(2025, 10, 9), CAL)
    with pytest.raises(ValueError):
        check_before(rule("labour.defence"), D(2025, 10, 1), D(2025, 10, 9))


def test_before_rule_2027_flag_only_when_calendar_matters():
    notice = rule("labour.hearing_notice")
    assert check_before(notice, D(2027, 3, 1), D(2027, 3, 10)).coverage_note is None
    wd = check_before(notice.with_counting(Counting.WORKDAYS), D(2027, 3, 1), D(2027, 3, 10), CAL)
    assert wd.coverage_note == NOTE_2027


# -- properties --------------------------------------------------------------------------

AFTER_RULES = [r for r in RULES.values() if r.direction is Direction.AFTER]
covered_starts = st.dates(min_value=D(2005, 1, 1), max_value=D(2025, 10, 31))


def _min_end(r: DeadlineRule, start: dt.date) -> dt.date:
    if r.unit is Unit.DAYS:
        return start + dt.timedelta(days=r.length)
    months = r.length if r.unit is Unit.MONTHS else 12 * r.length
    return add_months(start, months)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(AFTER_RULES), covered_starts)
def test_due_is_never_a_rest_day_and_never_early(r, start):
    res = compute(r, start, CAL)
    assert not CAL.is_legal_holiday(res.due)
    assert CAL.is_workday(res.due)
    assert res.due >= _min_end(r, start)
    assert res.coverage_note is None
    if r.counting is Counting.CALENDAR:
        assert res.nominal_due == _min_end(r, start)
        probe = res.nominal_due
        while probe < res.due:
            assert not CAL.is_workday(probe)
            probe += dt.timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(AFTER_RULES), covered_starts)
def test_holidays_only_rollover_never_ends_on_holiday(r, start):
    variant = dataclasses.replace(r, rollover=RollOver.HOLIDAYS_ONLY)
    res = compute(variant, start, CAL)
    assert not CAL.is_legal_holiday(res.due)
    assert res.due >= _min_end(r, start)


@settings(max_examples=200, deadline=None)
@given(
    covered_starts,
    st.integers(min_value=0, max_value=200),
)
def test_limitation_restart_equals_fresh_period(start, offset):
    r = rule("labour.limitation")
    restart = start + dt.timedelta(days=offset)
    assume(restart.year <= 2025)
    res = compute(r, start, CAL, restarts=[restart])
    assert res.due == compute(r, restart, CAL).due


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=D(2005, 1, 1), max_value=D(2025, 9, 1)),
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=0, max_value=30),
)
def test_suspension_adds_exactly_its_length(start, offset, length):
    r = rule("labour.award")
    first = start + dt.timedelta(days=offset)
    last = first + dt.timedelta(days=length)
    plain = compute(r, start, CAL)
    res = compute(r, start, CAL, suspensions=[(first, last)])
    assert res.suspended_days == length + 1
    assert res.nominal_due == plain.nominal_due + dt.timedelta(days=length + 1)
    assert res.due >= plain.due


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([r for r in RULES.values() if r.direction is Direction.AT_LEAST_BEFORE]),
       st.dates(min_value=D(2005, 1, 1), max_value=D(2026, 12, 31)),
       st.sampled_from(list(Counting)))
def test_latest_allowed_is_the_boundary(r, event, counting):
    r = r.with_counting(counting)
    latest = latest_allowed(r, event, CAL)
    assert latest < event
    assert check_before(r, latest, event, CAL).ok
    assert not check_before(r, latest + dt.timedelta(days=1), event, CAL).ok
    if counting is Counting.CALENDAR:
        gap = (event - latest).days
        assert gap == (r.length + 1 if r.before_mode is BeforeMode.CLEAR_DAYS else r.length)
