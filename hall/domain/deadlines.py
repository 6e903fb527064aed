"""Statutory deadlines (法定期限) as data, and the engine that computes them.

Every deadline the hall tracks is a :class:`DeadlineRule` carrying its legal
basis, so the clerk can always see *why* a date is what it is. The engine
(:func:`compute`, :func:`latest_allowed`, :func:`check_before`) turns a rule
and the dates of a case into a due date with a Chinese explanation.

How periods are counted
=======================

《民事诉讼法》(2023) 第八十五条::

    期间以时、日、月、年计算。期间开始的时和日，不计算在期间内。
    期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期。

* **The start day is not counted.** A period of *n* days that starts on day
  S ends at the end of day S + *n*. A period of months or years ends on the
  corresponding day of the final month (no such day → the month's last day),
  the usual reading of "期间开始的日不计算在内" for months and years.
* **Roll-over.** The article's word is 法定休假日, not 节假日. In Chinese
  procedural practice 法定休假日 covers both the official holiday periods
  (法定节假日) and the ordinary weekly rest days (公休日, Saturday/Sunday),
  so by default (:attr:`RollOver.REST_DAYS`) a period whose last day falls on
  *any* day off moves to the first working day after it. A weekend day that
  has been made a working day (调休上班日) is a working day: a period ending
  on it does not move. A rule may instead use :attr:`RollOver.HOLIDAYS_ONLY`
  (holiday periods only) or :attr:`RollOver.NONE`.
* **Calendar or working days.** The statutes say 日; only 《信访工作条例》
  第二十三条 says 工作日 explicitly (the 5-working-day objection). Whether the
  3/5/10-day periods of labour arbitration are working days is UNVERIFIED
  (the 2017 办案规则 text was not available): those rules default to calendar
  days with roll-over and are marked ``counting_configurable`` so an
  administrator can switch them (:func:`apply_settings`).
* **"At least N days before an event"** (开庭五日前 …): the hearing day is
  the reference. Which reading applies is not settled in the texts available,
  so each such rule chooses a :class:`BeforeMode`. The hall's own duties use
  the stricter reading (N clear days between the act and the event); a party's
  time limit uses the more lenient one (act no later than event − N), so any
  doubt falls in the party's favour.
* **Time in transit** (期间不包括在途时间) is not modelled: record the posting
  date as the act date (``met_on``) for documents sent by post.

Interruption and suspension
===========================

A *restart* (中断, 重新计算) starts the whole period again from the restart
date, which itself is not counted; earlier days no longer matter.
A *suspension* ``(first, last)`` (中止, 公告期间, 听证时间 …) excludes the days
``first`` … ``last`` inclusive from the count; counting continues the day after
``last`` ("从中止时效的原因消除之日起继续计算"). An open suspension
``(first, None)`` is still running: the due date is then provisional, as if
it ended today.

This module is pure: no I/O, no database, no clock (pass ``today``).
"""
from __future__ import annotations

import calendar as _month_calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from hall.domain.numerals import cardinal
from hall.domain.workcalendar import WEEKDAY_NAMES, WorkCalendar, uncovered_note

__all__ = [
    "Unit",
    "Counting",
    "Direction",
    "RollOver",
    "BeforeMode",
    "DeadlineState",
    "Event",
    "Extension",
    "DeadlineRule",
    "DeadlineResult",
    "BeforeCheck",
    "RULES",
    "rule",
    "rules_for",
    "apply_settings",
    "compute",
    "latest_allowed",
    "check_before",
    "add_months",
    "cn_number",
    "cn_date",
]

_ONE_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------------------
# small helpers


def cn_number(n: int) -> str:
    """A period's length in Chinese characters (四十五日)."""
    return cardinal(n)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _cn_date_wd(d: dt.date) -> str:
    return f"{cn_date(d)}（{WEEKDAY_NAMES[d.weekday()]}）"


def add_months(d: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later; the month's last day if there is none."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = _month_calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(d.day, last))


# ---------------------------------------------------------------------------
# rule vocabulary


class Unit(Enum):
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"


class Counting(Enum):
    CALENDAR = "calendar"  # 自然日
    WORKDAYS = "workdays"  # 工作日


class Direction(Enum):
    AFTER = "after"  # within N after the start event
    AT_LEAST_BEFORE = "at_least_before"  # no later than N before an event


class RollOver(Enum):
    REST_DAYS = "rest_days"  # holiday periods and ordinary weekends (default)
    HOLIDAYS_ONLY = "holidays_only"  # official holiday periods only
    NONE = "none"


class BeforeMode(Enum):
    CLEAR_DAYS = "clear_days"  # N whole days strictly between act and event
    EVENT_DAY_COUNTED = "event_day_counted"  # act on or before event − N


class DeadlineState(Enum):
    OPEN = "open"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"
    SUSPENDED = "suspended"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    DeadlineState.OPEN: "未到期",
    DeadlineState.DUE_TODAY: "今日到期",
    DeadlineState.OVERDUE: "已逾期",
    DeadlineState.MET: "已按期完成",
    DeadlineState.MET_LATE: "逾期完成",
    DeadlineState.SUSPENDED: "中止中",
}


@dataclass(frozen=True)
class Event:
    """Something that happens in a case: starts, restarts or suspends a period."""

    code: str
    name: str
    basis: str = ""  # the article that allows this restart or suspension


@dataclass(frozen=True)
class Extension:
    """An extension a rule allows, e.g. +15 days once with the director's approval."""

    length: int
    unit: Unit = Unit.DAYS
    max_times: int = 1
    approval: str = ""
    basis: str = ""


def _length_text(length: int, unit: Unit, counting: Counting = Counting.CALENDAR) -> str:
    if unit is Unit.DAYS:
        return f"{cn_number(length)}个工作日" if counting is Counting.WORKDAYS else f"{cn_number(length)}日"
    if unit is Unit.MONTHS:
        return f"{cn_number(length)}个月"
    return f"{cn_number(length)}年"


@dataclass(frozen=True)
class DeadlineRule:
    """One statutory period, as data.

    ``requirement`` is the rule in one Chinese sentence (shown to clerks and
    used in messages); ``note`` records interpretation choices and anything
    UNVERIFIED. ``verified`` is False when the basis could not be checked
    against an official text.
    """

    code: str
    name: str
    basis: str
    start: Event
    length: int
    unit: Unit
    requirement: str
    duty: str
    domain: str
    counting: Counting = Counting.CALENDAR
    direction: Direction = Direction.AFTER
    rollover: RollOver = RollOver.REST_DAYS
    before_mode: BeforeMode = BeforeMode.CLEAR_DAYS
    extension: Extension | None = None
    restart_events: tuple[Event, ...] = ()
    restart_basis: str = ""
    suspension_events: tuple[Event, ...] = ()
    suspension_basis: str = ""
    consequence: str = ""
    counting_configurable: bool = False
    verified: bool = True
    note: str = ""

    def __post_init__(self) -> None:
        if self.length <= 0:
            raise ValueError(f"{self.code}: length must be positive")
        if self.counting is Counting.WORKDAYS and self.unit is not Unit.DAYS:
            raise ValueError(f"{self.code}: only day periods can be counted in working days")
        if self.direction is Direction.AT_LEAST_BEFORE and (
            self.extension or self.restart_events or self.suspension_events
        ):
            raise ValueError(f"{self.code}: a before-event rule cannot be extended, restarted or suspended")
        if self.extension is not None and (self.extension.length <= 0 or self.extension.max_times <= 0):
            raise ValueError(f"{self.code}: extension must be positive")
        if self.extension is not None and self.counting is Counting.WORKDAYS and self.extension.unit is not Unit.DAYS:
            raise ValueError(f"{self.code}: working-day rules take day extensions only")

    @property
    def length_text(self) -> str:
        return _length_text(self.length, self.unit, self.counting)

    @property
    def suspendable(self) -> bool:
        return bool(self.suspension_events)

    @property
    def restartable(self) -> bool:
        return bool(self.restart_events)

    def with_counting(self, counting: Counting) -> DeadlineRule:
        """A copy counted in calendar or working days (the per-rule setting)."""
        return replace(self, counting=counting)

    def restart_event(self, code: str) -> Event:
        for ev in self.restart_events:
            if ev.code == code:
                return ev
        raise ValueError(f"“{self.name}”没有“{code}”这一重新计算事由")


@dataclass(frozen=True)
class DeadlineResult:
    rule: DeadlineRule
    start: dt.date
    anchor: dt.date  # the date the final count runs from (start or last restart)
    due: dt.date
    nominal_due: dt.date  # last day before any roll-over
    state: DeadlineState
    days_left: int | None
    steps: tuple[str, ...]
    coverage_note: str | None = None
    rolled_from: dt.date | None = None
    extended: int = 0  # length added by approved extensions, in the extension's unit
    suspended_days: int = 0
    suspension_open: bool = False
    restarted_on: dt.date | None = None
    met_on: dt.date | None = None
    provisional: bool = False

    @property
    def basis(self) -> str:
        return self.rule.basis

    @property
    def explanation(self) -> str:
        return "\n".join(self.steps)


@dataclass(frozen=True)
class BeforeCheck:
    ok: bool
    act_date: dt.date
    event_date: dt.date
    latest: dt.date
    message: str
    basis: str
    coverage_note: str | None = None


# ---------------------------------------------------------------------------
# the rules

_LAW_LABOUR = "《劳动争议调解仲裁法》"
_RULES_2017 = "《劳动人事争议仲裁办案规则》"
_LAW_MEDIATION = "《人民调解法》"
_PETITION = "《信访工作条例》"

_COUNTING_UNVERIFIED = (
    "按自然日计算并适用节假日顺延；仲裁程序中三日、五日、十日期间是否按工作日计算未经核实，"
    "可在设置中改为工作日。"
)

_LIMITATION_RESTARTS = (
    Event("claim_to_other_party", "一方当事人向对方当事人主张权利"),
    Event("request_relief", "向有关部门请求权利救济"),
    Event("other_party_agrees", "对方当事人同意履行义务"),
)
_LIMITATION_SUSPENSIONS = (
    Event("force_majeure", "不可抗力"),
    Event("other_justified_reason", "其他正当理由"),
)

# 办案规则 Art. 46 (text not among the statutes checked here: UNVERIFIED). A
# correction (补正) is not among them: it moves the *receipt* date before
# acceptance (rule ``labour.acceptance``), never the award period.
_A46 = f"{_RULES_2017}第四十六条"
_AWARD_RESTARTS = (
    Event("party_added", "追加当事人", f"{_A46}第一款第（一）项（条文未经核实）"),
    Event("claims_changed", "增加、变更仲裁请求", f"{_A46}第一款第（三）项（条文未经核实）"),
    Event("counterclaim_merged", "仲裁反申请合并处理", f"{_A46}第一款第（四）项（条文未经核实）"),
    Event("case_transferred", "案件移送管辖", f"{_A46}第一款第（五）项（条文未经核实）"),
)
_AWARD_SUSPENSIONS = (
    Event("suspension", "仲裁中止", f"{_A46}第一款第（六）项：中止审理期间不计入（条文未经核实）"),
    Event("publication", "公告送达期间", f"{_A46}第一款第（六）项：公告送达期间不计入（条文未经核实）"),
)
_ACCEPTANCE_RESTARTS = (
    Event("application_completed", "申请人按补正通知补正仲裁申请",
          f"{_RULES_2017}第三十条：补正后以收到补正材料之日为收到仲裁申请之日（条文未经核实）"),
)
_ACCEPTANCE_SUSPENSIONS = (
    Event("awaiting_supplement", "等待申请人补正",
          f"{_LAW_LABOUR}第二十八条、{_RULES_2017}第二十九条：补正期间由申请人掌握，不计入仲裁委员会的受理期限"),
)


def _rules() -> list[DeadlineRule]:
    accept = Event("application_accepted", "劳动争议仲裁委员会受理仲裁申请之日")
    hearing = Event("hearing", "开庭日")
    award_received = Event("award_received", "收到仲裁裁决书之日")
    return [
        # -- labour dispute mediation and arbitration ---------------------
        DeadlineRule(
            code="labour.mediation",
            name="劳动争议调解期限",
            basis=f"{_LAW_LABOUR}第十四条第三款",
            start=Event("mediation_application_received", "调解组织收到调解申请之日"),
            length=15,
            unit=Unit.DAYS,
            requirement="自劳动争议调解组织收到调解申请之日起十五日内未达成调解协议的，当事人可以依法申请仲裁",
            duty="劳动争议调解组织",
            domain="labour",
            consequence="期满未达成调解协议的，当事人可以申请仲裁",
            counting_configurable=True,
            note=_COUNTING_UNVERIFIED,
        ),
        DeadlineRule(
            code="labour.limitation",
            name="劳动争议仲裁时效",
            basis=f"{_LAW_LABOUR}第二十七条第一款至第三款",
            start=Event("right_infringed_known", "当事人知道或者应当知道其权利被侵害之日"),
            length=1,
            unit=Unit.YEARS,
            requirement="劳动争议申请仲裁的时效期间为一年，从当事人知道或者应当知道其权利被侵害之日起计算",
            duty="申请人",
            domain="labour",
            restart_events=_LIMITATION_RESTARTS,
            restart_basis=f"{_LAW_LABOUR}第二十七条第二款：时效中断，从中断时起重新计算",
            suspension_events=_LIMITATION_SUSPENSIONS,
            suspension_basis=f"{_LAW_LABOUR}第二十七条第三款：时效中止，从中止原因消除之日起继续计算",
            consequence="超过仲裁时效的，对方可以时效抗辩",
            note="中断：自中断之日重新计算一年；中止：中止期间（含原因发生日与消除日）不计入。",
        ),
        DeadlineRule(
            code="labour.limitation.wages",
            name="拖欠劳动报酬争议仲裁时效（劳动关系终止后）",
            basis=f"{_LAW_LABOUR}第二十七条第四款",
            start=Event("employment_ended", "劳动关系终止之日"),
            length=1,
            unit=Unit.YEARS,
            requirement=(
                "劳动关系存续期间因拖欠劳动报酬发生争议的，不受一年时效限制；"
                "劳动关系终止的，应当自劳动关系终止之日起一年内提出"
            ),
            duty="劳动者",
            domain="labour",
            restart_events=_LIMITATION_RESTARTS,
            restart_basis=f"{_LAW_LABOUR}第二十七条第二款（参照适用）",
            suspension_events=_LIMITATION_SUSPENSIONS,
            suspension_basis=f"{_LAW_LABOUR}第二十七条第三款（参照适用）",
            note="劳动关系存续期间不起算；中断、中止参照第二十七条第二、三款，是否适用未经核实，仅在确有其事时录入。",
        ),
        DeadlineRule(
            code="labour.acceptance",
            name="仲裁申请受理决定",
            basis=f"{_LAW_LABOUR}第二十九条",
            start=Event("application_received", "劳动争议仲裁委员会收到仲裁申请之日"),
            length=5,
            unit=Unit.DAYS,
            requirement="劳动争议仲裁委员会应当自收到仲裁申请之日起五日内决定受理或者书面通知不予受理并说明理由",
            duty="劳动争议仲裁委员会",
            domain="labour",
            restart_events=_ACCEPTANCE_RESTARTS,
            restart_basis=f"{_RULES_2017}第三十条（补正后重新起算，条文未经核实）",
            suspension_events=_ACCEPTANCE_SUSPENSIONS,
            suspension_basis="等待申请人补正期间不计入（收件日至补正日）",
            consequence="逾期未作出决定的，申请人可以就该劳动争议事项向人民法院提起诉讼",
            counting_configurable=True,
            note=_COUNTING_UNVERIFIED + "补正后自收到补正材料之日重新起算的做法来自办案规则，条文未经核实。",
        ),
        DeadlineRule(
            code="labour.copy_to_respondent",
            name="送达仲裁申请书副本",
            basis=f"{_LAW_LABOUR}第三十条第一款",
            start=accept,
            length=5,
            unit=Unit.DAYS,
            requirement="劳动争议仲裁委员会受理仲裁申请后，应当在五日内将仲裁申请书副本送达被申请人",
            duty="劳动争议仲裁委员会",
            domain="labour",
            counting_configurable=True,
            note=_COUNTING_UNVERIFIED,
        ),
        DeadlineRule(
            code="labour.defence",
            name="提交答辩书",
            basis=f"{_LAW_LABOUR}第三十条第二款",
            start=Event("application_copy_received", "被申请人收到仲裁申请书副本之日"),
            length=10,
            unit=Unit.DAYS,
            requirement="被申请人收到仲裁申请书副本后，应当在十日内向劳动争议仲裁委员会提交答辩书",
            duty="被申请人",
            domain="labour",
            consequence="被申请人未提交答辩书的，不影响仲裁程序的进行",
            counting_configurable=True,
            note=_COUNTING_UNVERIFIED + "起算日为送达回证上记明的收到日期。",
        ),
        DeadlineRule(
            code="labour.defence_copy",
            name="送达答辩书副本",
            basis=f"{_LAW_LABOUR}第三十条第二款",
            start=Event("defence_received", "劳动争议仲裁委员会收到答辩书之日"),
            length=5,
            unit=Unit.DAYS,
            requirement="劳动争议仲裁委员会收到答辩书后，应当在五日内将答辩书副本送达申请人",
            duty="劳动争议仲裁委员会",
            domain="labour",
            counting_configurable=True,
            note=_COUNTING_UNVERIFIED,
        ),
        DeadlineRule(
            code="labour.tribunal_notice",
            name="仲裁庭组成书面通知",
            basis=f"{_LAW_LABOUR}第三十二条",
            start=accept,
            length=5,
            unit=Unit.DAYS,
            requirement="劳动争议仲裁委员会应当在受理仲裁申请之日起五日内将仲裁庭的组成情况书面通知当事人",
            duty="劳动争议仲裁委员会",
            domain="labour",
            counting_configurable=True,
            note=_COUNTING_UNVERIFIED,
        ),
        DeadlineRule(
            code="labour.hearing_notice",
            name="开庭通知",
            basis=f"{_LAW_LABOUR}第三十五条",
            start=hearing,
            length=5,
            unit=Unit.DAYS,
            direction=Direction.AT_LEAST_BEFORE,
            before_mode=BeforeMode.EVENT_DAY_COUNTED,
            rollover=RollOver.NONE,
            requirement="开庭通知须在开庭五日前送达",
            duty="仲裁庭",
            domain="labour",
            counting_configurable=True,
            note=(
                "按《民事诉讼法》第八十五条计算：送达日不计入、开庭日计入，须满五日"
                "（开庭日为15日的，最迟10日送达）；与请求延期开庭（三日前）同一读法。"
                + _COUNTING_UNVERIFIED
            ),
        ),
        DeadlineRule(
            code="labour.postponement_request",
            name="请求延期开庭",
            basis=f"{_LAW_LABOUR}第三十五条",
            start=hearing,
            length=3,
            unit=Unit.DAYS,
            direction=Direction.AT_LEAST_BEFORE,
            before_mode=BeforeMode.EVENT_DAY_COUNTED,
            rollover=RollOver.NONE,
            requirement="请求延期开庭须在开庭三日前提出",
            duty="当事人",
            domain="labour",
            consequence="是否延期，由劳动争议仲裁委员会决定",
            counting_configurable=True,
            note=(
                "有利于当事人的理解：请求日不计入、开庭日计入（开庭日为15日的，最迟12日提出）。"
                + _COUNTING_UNVERIFIED
            ),
        ),
        DeadlineRule(
            code="labour.award",
            name="仲裁审理期限（结案）",
            basis=f"{_LAW_LABOUR}第四十三条第一款",
            start=accept,
            length=45,
            unit=Unit.DAYS,
            requirement="仲裁庭裁决劳动争议案件，应当自劳动争议仲裁委员会受理仲裁申请之日起四十五日内结束",
            duty="仲裁庭",
            domain="labour",
            extension=Extension(
                length=15,
                unit=Unit.DAYS,
                max_times=1,
                approval="案情复杂需要延期的，经劳动争议仲裁委员会主任批准，并书面通知当事人",
                basis=f"{_LAW_LABOUR}第四十三条第一款",
            ),
            restart_events=_AWARD_RESTARTS,
            restart_basis=f"{_RULES_2017}第四十六条（条文未经核实）",
            suspension_events=_AWARD_SUSPENSIONS,
            suspension_basis=f"{_RULES_2017}第四十六条：中止期间、公告送达期间不计入审理期限（条文未经核实）",
            consequence="逾期未作出仲裁裁决的，当事人可以就该劳动争议事项向人民法院提起诉讼",
            note="延期以一次为限，延长期限不得超过十五日。重新计算与扣除期间的事由来自办案规则第四十六条，未能对照原文核实。",
        ),
        DeadlineRule(
            code="labour.final_award_suit",
            name="劳动者对终局裁决起诉",
            basis=f"{_LAW_LABOUR}第四十八条",
            start=award_received,
            length=15,
            unit=Unit.DAYS,
            requirement="劳动者对终局裁决不服的，可以自收到仲裁裁决书之日起十五日内向人民法院提起诉讼",
            duty="劳动者",
            domain="labour",
        ),
        DeadlineRule(
            code="labour.set_aside",
            name="用人单位申请撤销终局裁决",
            basis=f"{_LAW_LABOUR}第四十九条第一款",
            start=award_received,
            length=30,
            unit=Unit.DAYS,
            requirement="用人单位可以自收到仲裁裁决书之日起三十日内向仲裁委员会所在地的中级人民法院申请撤销终局裁决",
            duty="用人单位",
            domain="labour",
        ),
        DeadlineRule(
            code="labour.suit_after_set_aside",
            name="终局裁决被撤销后起诉",
            basis=f"{_LAW_LABOUR}第四十九条第三款",
            start=Event("set_aside_ruling_received", "收到撤销裁决的裁定书之日"),
            length=15,
            unit=Unit.DAYS,
            requirement="仲裁裁决被人民法院裁定撤销的，当事人可以自收到裁定书之日起十五日内就该劳动争议事项向人民法院提起诉讼",
            duty="当事人",
            domain="labour",
        ),
        DeadlineRule(
            code="labour.nonfinal_award_suit",
            name="对非终局裁决起诉",
            basis=f"{_LAW_LABOUR}第五十条",
            start=award_received,
            length=15,
            unit=Unit.DAYS,
            requirement="当事人对非终局裁决不服的，可以自收到仲裁裁决书之日起十五日内向人民法院提起诉讼",
            duty="当事人",
            domain="labour",
            consequence="期满不起诉的，裁决书发生法律效力",
        ),
        # -- people's mediation -------------------------------------------
        DeadlineRule(
            code="mediation.judicial_confirmation",
            name="申请司法确认",
            basis=f"{_LAW_MEDIATION}第三十三条；《民事诉讼法》第二百零五条",
            start=Event("agreement_effective", "调解协议生效之日"),
            length=30,
            unit=Unit.DAYS,
            requirement="双方当事人认为有必要的，可以自调解协议生效之日起三十日内共同向人民法院申请司法确认",
            duty="双方当事人",
            domain="mediation",
        ),
        DeadlineRule(
            code="mediation.people_duration",
            name="人民调解一般期限",
            basis="《人民调解工作若干规定》第三十三条（未经核实）",
            start=Event("dispute_accepted", "受理纠纷之日"),
            length=1,
            unit=Unit.MONTHS,
            requirement="人民调解委员会调解纠纷，一般在一个月内调结",
            duty="人民调解委员会",
            domain="mediation",
            verified=False,
            note="条文号及内容来自二手资料，未能对照原文核实；仅作工作提示，不是法定失权期限。",
        ),
        # -- petitions -----------------------------------------------------
        DeadlineRule(
            code="petition.register",
            name="信访部门登记并分类处理",
            basis=f"{_PETITION}第二十二条第一款",
            start=Event("petition_received", "信访部门收到信访事项之日"),
            length=15,
            unit=Unit.DAYS,
            requirement="党委和政府信访部门收到信访事项，应当予以登记，并区分情况，在15日内分别按规定方式处理",
            duty="信访部门",
            domain="petition",
        ),
        DeadlineRule(
            code="petition.notify_direct",
            name="直接提出的信访事项书面告知",
            basis=f"{_PETITION}第二十三条第二款",
            start=Event("petition_received_directly", "收到信访人直接提出的信访事项之日"),
            length=15,
            unit=Unit.DAYS,
            requirement="不能当场告知的，应当自收到信访事项之日起15日内书面告知信访人",
            duty="有关机关、单位",
            domain="petition",
            note="信访人的姓名（名称）、住址不清的除外。",
        ),
        DeadlineRule(
            code="petition.notify_transferred",
            name="转送、交办信访事项书面告知",
            basis=f"{_PETITION}第二十三条第三款",
            start=Event("petition_transfer_received", "收到转送、交办的信访事项之日"),
            length=15,
            unit=Unit.DAYS,
            requirement="属于本机关、单位职权范围的，应当自收到之日起15日内书面告知信访人接收情况以及处理途径和程序",
            duty="有关机关、单位",
            domain="petition",
        ),
        DeadlineRule(
            code="petition.transfer_objection",
            name="对转送、交办信访事项提出异议",
            basis=f"{_PETITION}第二十三条第三款",
            start=Event("petition_transfer_received", "收到转送、交办的信访事项之日"),
            length=5,
            unit=Unit.DAYS,
            counting=Counting.WORKDAYS,
            requirement="不属于本机关、单位或者本系统职权范围的，应当自收到之日起5个工作日内提出异议，并详细说明理由",
            duty="有关机关、单位",
            domain="petition",
            note="条文明定按工作日计算。",
        ),
        DeadlineRule(
            code="petition.handling",
            name="信访事项办理期限",
            basis=f"{_PETITION}第三十四条",
            start=Event("petition_accepted", "受理信访事项之日"),
            length=60,
            unit=Unit.DAYS,
            requirement="对第三十一条第六项规定的信访事项，应当自受理之日起60日内办结",
            duty="有权处理的机关、单位",
            domain="petition",
            extension=Extension(
                length=30,
                unit=Unit.DAYS,
                max_times=1,
                approval="情况复杂的，经本机关、单位负责人批准，并告知信访人延期理由",
                basis=f"{_PETITION}第三十四条",
            ),
        ),
        DeadlineRule(
            code="petition.review_request",
            name="请求复查",
            basis=f"{_PETITION}第三十五条",
            start=Event("handling_reply_received", "收到信访处理意见书面答复之日"),
            length=30,
            unit=Unit.DAYS,
            requirement="信访人对信访处理意见不服的，可以自收到书面答复之日起30日内请求原办理机关、单位的上一级机关、单位复查",
            duty="信访人",
            domain="petition",
        ),
        DeadlineRule(
            code="petition.review_answer",
            name="复查意见",
            basis=f"{_PETITION}第三十五条",
            start=Event("review_request_received", "收到复查请求之日"),
            length=30,
            unit=Unit.DAYS,
            requirement="收到复查请求的机关、单位应当自收到复查请求之日起30日内提出复查意见，并予以书面答复",
            duty="复查机关、单位",
            domain="petition",
        ),
        DeadlineRule(
            code="petition.rereview_request",
            name="请求复核",
            basis=f"{_PETITION}第三十六条第一款",
            start=Event("review_reply_received", "收到复查意见书面答复之日"),
            length=30,
            unit=Unit.DAYS,
            requirement="信访人对复查意见不服的，可以自收到书面答复之日起30日内向复查机关、单位的上一级机关、单位请求复核",
            duty="信访人",
            domain="petition",
        ),
        DeadlineRule(
            code="petition.rereview_answer",
            name="复核意见",
            basis=f"{_PETITION}第三十六条",
            start=Event("rereview_request_received", "收到复核请求之日"),
            length=30,
            unit=Unit.DAYS,
            requirement="收到复核请求的机关、单位应当自收到复核请求之日起30日内提出复核意见",
            duty="复核机关、单位",
            domain="petition",
            suspension_events=(Event("hearing", "举行听证"),),
            suspension_basis=f"{_PETITION}第三十六条第二款：听证所需时间不计算在期限内",
            consequence="信访人对复核意见不服，仍以同一事实和理由提出投诉请求的，不再受理",
        ),
        # 街道吹哨、部门报到: the centre's own periods, set per kind of whistle
        # (hall.domain.whistle); the due date is fixed when the whistle is blown.
        DeadlineRule(
            code="whistle.response",
            name="部门报到",
            basis="本中心吹哨报到工作规则（时限按哨类设置）",
            start=Event("whistle_issued", "吹哨之时"),
            length=1,
            unit=Unit.DAYS,
            requirement="被吹哨部门应当在设定时限内报到（现场或远程）",
            duty="被吹哨部门",
            domain="whistle",
            consequence="逾期未报到的，由中心督办并计入考核",
        ),
        DeadlineRule(
            code="whistle.solution",
            name="部门办结",
            basis="本中心吹哨报到工作规则（时限按哨类设置）",
            start=Event("whistle_issued", "吹哨之日"),
            length=5,
            unit=Unit.DAYS,
            counting=Counting.WORKDAYS,
            requirement="被吹哨部门应当在设定的工作日内办理完毕并反馈结果",
            duty="被吹哨部门",
            domain="whistle",
            consequence="逾期未办结的，由中心督办并计入考核",
        ),
    ]


RULES: dict[str, DeadlineRule] = {r.code: r for r in _rules()}


def rule(code: str) -> DeadlineRule:
    try:
        return RULES[code]
    except KeyError:
        raise KeyError(f"未知的期限规则：{code}") from None


def rules_for(domain: str) -> list[DeadlineRule]:
    """Rules of one area: "labour", "mediation" or "petition"."""
    return [r for r in RULES.values() if r.domain == domain]


def apply_settings(
    counting: Mapping[str, Counting],
    rules: Mapping[str, DeadlineRule] | None = None,
) -> dict[str, DeadlineRule]:
    """A copy of the registry with the administrator's calendar/working-day choices.

    Only rules marked ``counting_configurable`` accept the setting.
    """
    out = dict(RULES if rules is None else rules)
    for code, choice in counting.items():
        if code not in out:
            raise KeyError(f"未知的期限规则：{code}")
        current = out[code]
        if not current.counting_configurable:
            raise ValueError(f"“{current.name}”的计算方式由{current.basis}明确规定，不能更改")
        out[code] = current.with_counting(choice)
    return out


# ---------------------------------------------------------------------------
# the engine


def _counts(day: dt.date, counting: Counting, calendar: WorkCalendar) -> bool:
    return counting is Counting.CALENDAR or calendar.is_workday(day)


def _run(
    anchor: dt.date,
    length: int,
    unit: Unit,
    counting: Counting,
    calendar: WorkCalendar,
    paused: frozenset[dt.date],
) -> tuple[dt.date, int]:
    """Last day of a period starting after ``anchor``, skipping ``paused`` days.

    Returns the last day (before any roll-over) and how many paused days
    fell inside the period.
    """
    skipped = 0
    if unit is Unit.DAYS:
        day = anchor
        counted = 0
        while counted < length:
            day += _ONE_DAY
            if day in paused:
                skipped += 1
                continue
            if _counts(day, counting, calendar):
                counted += 1
        return day, skipped
    months = length if unit is Unit.MONTHS else 12 * length
    day = add_months(anchor, months)
    skipped = sum(1 for p in paused if anchor < p <= day)
    owed = skipped
    while owed:
        day += _ONE_DAY
        if day in paused:
            skipped += 1
        else:
            owed -= 1
    return day, skipped


def _roll(day: dt.date, mode: RollOver, calendar: WorkCalendar) -> dt.date:
    if mode is RollOver.REST_DAYS:
        return calendar.workday_on_or_after(day)
    if mode is RollOver.HOLIDAYS_ONLY:
        while calendar.is_legal_holiday(day):
            day += _ONE_DAY
        return day
    return day


def _normalise_restarts(r: DeadlineRule, start: dt.date, restarts: Sequence[Any]) -> list[tuple[dt.date, Event | None]]:
    out: list[tuple[dt.date, Event | None]] = []
    for item in restarts:
        if isinstance(item, dt.date):
            day, event = item, None
        else:
            day, code = item
            event = r.restart_event(code)
        if day < start:
            raise ValueError(f"重新计算日{cn_date(day)}早于起算日{cn_date(start)}")
        out.append((day, event))
    out.sort(key=lambda pair: pair[0])
    return out


def _normalise_suspensions(
    suspensions: Sequence[Any], today: dt.date | None
) -> tuple[list[tuple[dt.date, dt.date, str, bool]], bool]:
    out: list[tuple[dt.date, dt.date, str, bool]] = []
    open_ = False
    for item in suspensions:
        first, last = item[0], item[1]
        label = item[2] if len(item) > 2 else ""
        is_open = last is None
        if is_open:
            if today is None:
                raise ValueError("中止尚未结束，须提供今日日期才能推算期限")
            if first > today:
                raise ValueError(f"中止开始日{cn_date(first)}晚于今日")
            last = today
            open_ = True
        if last < first:
            raise ValueError(f"中止结束日{cn_date(last)}早于开始日{cn_date(first)}")
        out.append((first, last, label, is_open))
    out.sort(key=lambda t: t[0])
    return out, open_


def _days(first: dt.date, last: dt.date) -> frozenset[dt.date]:
    return frozenset(first + dt.timedelta(days=i) for i in range((last - first).days + 1))


def _state(due: dt.date, today: dt.date | None, met_on: dt.date | None, suspended: bool) -> tuple[DeadlineState, int | None]:
    if met_on is not None:
        return (DeadlineState.MET if met_on <= due else DeadlineState.MET_LATE), None
    if today is None:
        return (DeadlineState.SUSPENDED if suspended else DeadlineState.OPEN), None
    left = (due - today).days
    if suspended:
        return DeadlineState.SUSPENDED, left
    if left > 0:
        return DeadlineState.OPEN, left
    if left == 0:
        return DeadlineState.DUE_TODAY, 0
    return DeadlineState.OVERDUE, left


def _calendar_or_default(calendar: WorkCalendar | None) -> WorkCalendar:
    return calendar if calendar is not None else WorkCalendar()


def _coverage(calendar: WorkCalendar, first: dt.date, last: dt.date) -> str | None:
    years = calendar.uncovered_years(first, last)
    if not years:
        return None
    if any(y in calendar.schedules for y in years):  # a partial entry names what it lacks
        return "；".join(calendar.year_note(y) or uncovered_note([y]) for y in years)
    return uncovered_note(years)


def _rest_description(day: dt.date, calendar: WorkCalendar) -> str:
    if calendar.is_legal_holiday(day):
        name = calendar.holiday_name(day)
        return f"法定节假日（{name}）" if name else "法定节假日"
    return "公休日"


def compute(
    rule: DeadlineRule,
    start: dt.date,
    calendar: WorkCalendar | None = None,
    *,
    extensions: int = 0,
    extension_length: int | None = None,
    restarts: Sequence[dt.date | tuple[dt.date, str]] = (),
    suspensions: Sequence[tuple[dt.date, dt.date | None] | tuple[dt.date, dt.date | None, str]] = (),
    today: dt.date | None = None,
    met_on: dt.date | None = None,
) -> DeadlineResult:
    """The due date of ``r`` for a period starting on ``start``.

    ``extensions`` is the number of approved extensions (bounded by the rule);
    ``extension_length`` an approved length shorter than the maximum.
    ``restarts`` are dates (or ``(date, event_code)``) on which the period
    starts again; ``suspensions`` are ``(first, last)`` ranges excluded from
    the count (``last`` None: still suspended). ``met_on`` is the day the act
    was done. For an AT_LEAST_BEFORE rule ``start`` is the event (e.g. the
    hearing) and the due date is the latest day the act may be done.
    """
    r = rule
    calendar = _calendar_or_default(calendar)
    if r.direction is Direction.AT_LEAST_BEFORE:
        if extensions or restarts or suspensions:
            raise ValueError(f"“{r.name}”不能延长、重新计算或中止")
        return _compute_before(r, start, calendar, today=today, met_on=met_on)

    steps: list[str] = []
    if extensions < 0:
        raise ValueError("延长次数不能为负数")
    if extensions and r.extension is None:
        raise ValueError(f"“{r.name}”（{r.basis}）没有延长期限的规定，不能延长")
    ext = r.extension
    if ext is not None and extensions > ext.max_times:
        times = "一次" if ext.max_times == 1 else f"{cn_number(ext.max_times)}次"
        raise ValueError(
            f"{ext.basis}规定延长期限不得超过{_length_text(ext.length, ext.unit)}，"
            f"只能延长{times}，不能再次延长"
        )
    if extension_length is not None:
        if not extensions:
            raise ValueError("未批准延长，不能指定延长天数")
        assert ext is not None
        if not 0 < extension_length <= ext.length:
            raise ValueError(f"延长期限不得超过{_length_text(ext.length, ext.unit)}")
    if restarts and not r.restartable:
        raise ValueError(f"“{r.name}”没有重新计算期限的规定")
    if suspensions and not r.suspendable:
        raise ValueError(f"“{r.name}”没有中止或扣除期间的规定")

    restart_list = _normalise_restarts(r, start, restarts)
    susp_list, open_susp = _normalise_suspensions(suspensions, today)

    steps.append(f"依据：{r.basis}——{r.requirement}。")
    art85 = "参照《民事诉讼法》第八十五条" if r.domain == "petition" else "《民事诉讼法》第八十五条"
    steps.append(f"起算：{r.start.name}为{cn_date(start)}，当日不计入，自次日起算（{art85}）。")

    anchor = start
    restarted_on: dt.date | None = None
    for day, event in restart_list:
        anchor = day
        restarted_on = day
        reason = f"因{event.name}" if event else ""
        steps.append(
            f"重新计算：{cn_date(day)}{reason}，期间自该日重新计算，该日不计入"
            + (f"（{(event.basis if event else '') or r.restart_basis}）" if r.restart_basis else "")
            + "。"
        )

    paused: set[dt.date] = set()
    for first, last, label, is_open in susp_list:
        if last <= anchor:
            steps.append(f"{cn_date(first)}至{cn_date(last)}的中止发生在重新计算之前，不再扣除。")
            continue
        days = _days(max(first, anchor + _ONE_DAY), last)
        paused |= days
        what = label or "中止"
        if is_open:
            steps.append(
                f"{what}：自{cn_date(first)}起中止，尚未结束；以下按中止至今日{cn_date(last)}结束推算，日期为暂定。"
            )
        else:
            steps.append(f"{what}：{cn_date(first)}至{cn_date(last)}（{len(days)}日）不计入期间。")
    frozen_paused = frozenset(paused)

    if r.counting is Counting.WORKDAYS:
        steps.append("按工作日计算：法定节假日和公休日不计入，调休上班日计入。")
    base_end, skipped = _run(anchor, r.length, r.unit, r.counting, calendar, frozen_paused)
    steps.append(f"期间：{r.length_text}，届满于{_cn_date_wd(base_end)}" + (f"（已扣除中止{skipped}日）" if skipped else "") + "。")

    end = base_end
    extended = 0
    if extensions:
        assert ext is not None
        per = extension_length if extension_length is not None else ext.length
        extended = per * extensions
        ext_counting = r.counting if ext.unit is Unit.DAYS else Counting.CALENDAR
        end, more = _run(base_end, extended, ext.unit, ext_counting, calendar, frozen_paused)
        skipped += more
        steps.append(
            f"延长：{ext.approval}，延长{_length_text(extended, ext.unit, ext_counting)}（{ext.basis}），"
            f"届满于{_cn_date_wd(end)}。"
        )

    due = _roll(end, r.rollover, calendar)
    rolled_from: dt.date | None = None
    if due != end:
        rolled_from = end
        steps.append(
            f"顺延：届满日{_cn_date_wd(end)}是{_rest_description(end, calendar)}，"
            f"顺延至法定休假日后的第一日{_cn_date_wd(due)}（{art85}）。"
        )
    elif r.rollover is not RollOver.NONE and calendar.is_swapped_workday(due):
        steps.append(f"{_cn_date_wd(due)}是调休上班日，不顺延。")

    steps.append(f"期限届满日：{_cn_date_wd(due)}" + ("（暂定）" if open_susp else "") + "。")
    note = _coverage(calendar, start, due)
    if note:
        steps.append(f"注意：{note}，日期可能变化，请在录入当年放假安排后复核。")

    state, left = _state(due, today, met_on, open_susp)
    if met_on is not None:
        steps.append(f"已于{cn_date(met_on)}完成，{state.label}。")
    return DeadlineResult(
        rule=r,
        start=start,
        anchor=anchor,
        due=due,
        nominal_due=end,
        state=state,
        days_left=left,
        steps=tuple(steps),
        coverage_note=note,
        rolled_from=rolled_from,
        extended=extended,
        suspended_days=skipped,
        suspension_open=open_susp,
        restarted_on=restarted_on,
        met_on=met_on,
        provisional=open_susp,
    )


def _require_before(r: DeadlineRule) -> None:
    if r.direction is not Direction.AT_LEAST_BEFORE:
        raise ValueError(f"“{r.name}”不是“某事项前若干日”的期限")


def latest_allowed(rule: DeadlineRule, event_date: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
    """The last day on which the act may be done, e.g. serving a hearing notice.

    Never rolled: a rest day does not make a before-event period longer.
    """
    r = rule
    _require_before(r)
    calendar = _calendar_or_default(calendar)
    day = event_date if r.before_mode is BeforeMode.EVENT_DAY_COUNTED else event_date - _ONE_DAY
    counted = 0
    while True:
        if _counts(day, r.counting, calendar):
            counted += 1
            if counted == r.length:
                return day - _ONE_DAY
        day -= _ONE_DAY


def _before_coverage(r: DeadlineRule, calendar: WorkCalendar, first: dt.date, last: dt.date) -> str | None:
    if r.counting is Counting.CALENDAR:
        return None
    return _coverage(calendar, first, last)


def check_before(
    rule: DeadlineRule,
    act_date: dt.date,
    event_date: dt.date,
    calendar: WorkCalendar | None = None,
) -> BeforeCheck:
    """Was the act (e.g. service of the hearing notice) early enough before the event?"""
    r = rule
    _require_before(r)
    calendar = _calendar_or_default(calendar)
    latest = latest_allowed(r, event_date, calendar)
    ok = act_date <= latest
    event_word = r.start.name.removesuffix("日") if r.start.name.endswith("日") else r.start.name
    if ok:
        message = (
            f"符合要求：{r.requirement}（{r.basis}），{event_word}日为{cn_date(event_date)}，"
            f"最迟{cn_date(latest)}，实际{cn_date(act_date)}。"
        )
    else:
        message = (
            f"不符合要求：{r.requirement}（{r.basis}），{event_word}日为{cn_date(event_date)}，"
            f"最迟{cn_date(latest)}，实际{cn_date(act_date)}，晚了{(act_date - latest).days}日。"
        )
    return BeforeCheck(
        ok=ok,
        act_date=act_date,
        event_date=event_date,
        latest=latest,
        message=message,
        basis=r.basis,
        coverage_note=_before_coverage(r, calendar, min(act_date, latest), event_date),
    )


def _compute_before(
    r: DeadlineRule,
    event_date: dt.date,
    calendar: WorkCalendar,
    *,
    today: dt.date | None,
    met_on: dt.date | None,
) -> DeadlineResult:
    latest = latest_allowed(r, event_date, calendar)
    steps = [f"依据：{r.basis}——{r.requirement}。"]
    if r.before_mode is BeforeMode.CLEAR_DAYS:
        steps.append(f"{r.start.name}{_cn_date_wd(event_date)}；办理日与{r.start.name}均不计入，其间须有{r.length_text}。")
    else:
        steps.append(f"{r.start.name}{_cn_date_wd(event_date)}；办理日不计入，{r.start.name}计入，须满{r.length_text}。")
    steps.append(f"最迟办理日：{_cn_date_wd(latest)}（此类期限不因节假日顺延）。")
    if not calendar.is_workday(latest):
        flag = calendar.coverage_note(latest)
        steps.append(
            f"提示：{cn_date(latest)}是{_rest_description(latest, calendar)}"
            + (f"（{flag}）" if flag else "")
            + f"，宜在{_cn_date_wd(calendar.previous_workday(latest))}或之前办理。"
        )
    note = _before_coverage(r, calendar, latest, event_date)
    if note:
        steps.append(f"注意：{note}。")
    state, left = _state(latest, today, met_on, False)
    if met_on is not None:
        steps.append(f"已于{cn_date(met_on)}办理，{state.label}。")
    return DeadlineResult(
        rule=r,
        start=event_date,
        anchor=event_date,
        due=latest,
        nominal_due=latest,
        state=state,
        days_left=left,
        steps=tuple(steps),
        coverage_note=note,
        met_on=met_on,
    )
