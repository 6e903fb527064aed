"""Petitions (信访): registration, the acceptance decision, handling, opinion, review, re-review.

《信访工作条例》(2022). One function per action at the 信访 window or by the
handling staff, one transaction each. Every period is a tracked deadline
(subject ``("petition", id)``, case number = the petition's number):

====================  ===========================================  =================================
action                meets                                        starts
====================  ===========================================  =================================
register_petition     –                                            petition.notify_direct (Art. 23 ②),
                                                                   or petition.register (Art. 22) when
                                                                   the hall is a 信访部门 (setting), or
                                                                   notify_transferred + transfer_objection
                                                                   for a petition transferred here
decide_acceptance     the registration / notice period             accept: petition.handling (60 days)
extend_handling       (+30 days, approved, petitioner told why)    –
issue_opinion         petition.handling                            petition.review_request (from delivery)
request_review        petition.review_request                      petition.review_answer
answer_review         petition.review_answer                       petition.rereview_request
request_rereview      petition.rereview_request                    petition.rereview_answer
answer_rereview       petition.rereview_answer                     –
====================  ===========================================  =================================

Whistle-blowers (第三十条第三款): a petition flagged ``whistleblower`` is read
redacted by everyone without ``petition.see_whistleblower`` (their identity
never reaches their screen, nor a search hit by their name), a transfer
package never carries it, and the petition is never transferred to the
person or body accused.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from hall.domain import deadlines as periods
from hall.domain import petitions as rules
from hall.domain.arbitration import format_case_number
from hall.domain.masking import mask_id_number, mask_phone
from hall.domain.names import PARTY_NAME_MAX, PERSON_NAME_MAX
from hall.domain.petitions import OpinionOutcome, PetitionState
from hall.store.arbitration_models import Petition
from hall.store.db import Database
from hall.store.models import TrackedDeadline, User
from reports.facts import CentreProfile
from reports.facts_petition import PetitionFacts, PetitionPerson

from . import deadlines as dl
from .base import Actor, Conflict, InvalidInput, NotFound, UnitOfWork, checked_name, get_setting, unit_of_work
from .base import centre_profile_in as _profile
from .base import entered_day as _day
from .base import locked_by_id as _locked
from .base import moved as _moved
from .numbering import next_number
from .views import JsonView

__all__ = [
    "DEFAULT_PETITION_PATTERN", "PetitionView", "PetitionRow", "register_petition", "decide_acceptance",
    "handle", "extend_handling", "issue_opinion", "request_review", "answer_review", "request_rereview",
    "rereview_hearing", "answer_rereview", "close_petition", "petition_detail", "petition_register",
    "transfer_package", "find_petition", "document_facts",
]

SUBJECT = "petition"
DEFAULT_PETITION_PATTERN = "信访〔{year}〕第{seq}号"
#: Periods that are the petitioner's, not the office's: they stay when the matter is closed.
PETITIONER_PERIODS = frozenset({"petition.review_request", "petition.rereview_request"})
_NOTICE_RULES = ("petition.register", "petition.notify_direct", "petition.notify_transferred")


@dataclass(frozen=True)
class PetitionView(JsonView):
    id: int
    number: str
    state: str
    state_label: str
    allowed_actions: list[str]
    channel: str
    via: str
    petitioners: list
    representatives: list
    group_size: int
    matter: str
    request: str
    facts: str
    reasons: str
    recorded_by: str
    whistleblower: bool
    whistleblower_redacted: bool
    accused_person: str
    accused_unit: str
    source: str
    received_on: dt.date
    decision: str
    decision_on: dt.date | None
    decision_reason: str
    transfer_to: str
    notified_on: dt.date | None
    accepted_on: dt.date | None
    handler_name: str
    extension: dict
    opinion_outcome: str
    opinion_label: str
    opinion_text: str
    opinion_basis: str
    opinion_on: dt.date | None
    opinion_delivered_on: dt.date | None
    review: dict
    rereview: dict
    closed_on: dt.date | None
    deadlines: list = field(default_factory=list)


@dataclass(frozen=True)
class PetitionRow(JsonView):
    id: int
    number: str
    state: str
    state_label: str
    petitioner: str        # first petitioner or representative; redacted for a whistle-blower
    group_size: int
    matter: str
    whistleblower: bool
    received_on: dt.date
    next_due: dt.date | None


# ------------------------------------------------------------------ helpers
def _petition(uow: UnitOfWork, petition_id: int) -> Petition:
    return _locked(uow, Petition, petition_id, "信访事项")


def _move(p: Petition, action: str) -> PetitionState:
    return _moved(p, rules.next_state, action)


def _touch(uow: UnitOfWork, p: Petition, action: str, **details: Any) -> None:
    p.updated_at = uow.now
    uow.audit(f"petition.{action}", "petition", p.id, number=p.number, state=p.state, **details)
    uow.event("petition.changed", petition_id=p.id, number=p.number, state=p.state, action=action)


def _track(uow: UnitOfWork, p: Petition, rule_code: str, start: dt.date, label: str = "") -> int:
    return dl.track(uow, rule_code, SUBJECT, p.id, start, case_number=p.number, label=label)


def _rows(uow: UnitOfWork, p: Petition, *codes: str) -> list[TrackedDeadline]:
    stmt = select(TrackedDeadline).where(TrackedDeadline.subject_type == SUBJECT,
                                         TrackedDeadline.subject_id == p.id, TrackedDeadline.active.is_(True),
                                         TrackedDeadline.met_on.is_(None))
    if codes:
        stmt = stmt.where(TrackedDeadline.rule_code.in_(codes))
    return list(uow.s.execute(stmt.order_by(TrackedDeadline.id)).scalars())


def _meet(uow: UnitOfWork, p: Petition, on: dt.date, *codes: str) -> None:
    for row in _rows(uow, p, *codes):
        row.met_on = on
        dl.recompute(uow, row)


def _drop(uow: UnitOfWork, p: Petition, *codes: str, keep: frozenset[str] = frozenset()) -> None:
    for row in _rows(uow, p, *codes):
        if row.rule_code not in keep:
            row.active = False
            uow.event("deadline.changed", deadline_id=row.id, case_number=row.case_number)


def _text(value: Any, limit: int | None, what: str) -> str:
    text = "" if value is None else str(value).strip()
    if limit and len(text) > limit:
        raise InvalidInput(f"{what}过长（最多{limit}字）")
    return text


#: A petitioner may be an organisation (信访人姓名（名称）): an item whose kind is one of these.
_ORGANISATION_KINDS = {"organisation", "organization", "unit", "法人", "单位", "其他组织"}


def _people(value: Any, what: str, *, organisations: bool = False) -> list[dict]:
    """The people of a petition; each name by the one name rule (hall.domain.names),
    an empty one left for the list of what is missing."""
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidInput(f"{what}应为列表")
    out = []
    for i, item in enumerate(value, 1):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, Mapping):
            raise InvalidInput(f"{what}的每一项应为键值对")
        person = {str(k): (v.strip() if isinstance(v, str) else v) for k, v in item.items() if v is not None}
        if person.get("name"):
            org = organisations and str(person.get("kind") or "") in _ORGANISATION_KINDS
            label = f"第{i}名{what}" if len(value) > 1 else what
            person["name"] = checked_name(str(person["name"]), what=label + ("名称" if org else "姓名"),
                                          organisation=org, max_len=PARTY_NAME_MAX if org else PERSON_NAME_MAX)
        out.append(person)
    return out


def _names(p: Petition) -> list[str]:
    return [str(x.get("name")) for x in [*p.petitioners, *p.representatives] if x.get("name")]


# ------------------------------------------------------------------ actions
_FIELDS = {"channel", "via", "petitioners", "representatives", "group_size", "matter", "request", "facts",
           "reasons", "recorded_by", "whistleblower", "accused_person", "accused_unit", "source"}


def register_petition(db: Database, actor: Actor, data: Mapping[str, Any], *,
                      received_on: dt.date | None = None) -> PetitionView:
    """登记信访事项 (第十九条、第二十条、第二十二条、第二十三条).

    Written or oral (an oral petition is recorded by the staff member, who is
    named as the recorder); what is missing is listed all at once; several
    people visiting with a common matter choose at most five
    representatives (a sixth is refused with 第二十条). The 15-day period to
    decide and tell the petitioner in writing starts on the day of receipt.
    """
    actor.require("petition.register")  # before reading the input
    unknown = set(data) - _FIELDS
    if unknown:
        raise InvalidInput(f"未知的信访登记事项：{'、'.join(sorted(unknown))}")
    channel = data.get("channel") or "written"
    via = data.get("via") or ("visit" if channel == "oral" else "letter")
    if via not in rules.VIAS:
        raise InvalidInput(f"未知的信访渠道：{via}（可用：{'、'.join(rules.VIAS)}）")
    petitioners = _people(data.get("petitioners"), "信访人", organisations=True)
    representatives = _people(data.get("representatives"), "代表")
    try:
        group_size = int(data.get("group_size") or max(len(petitioners), len(representatives), 1))
    except (TypeError, ValueError):
        raise InvalidInput("信访人数应为整数") from None
    if via == "visit" and group_size > 1 and not representatives and 1 < len(petitioners) <= rules.MAX_REPRESENTATIVES \
            and group_size == len(petitioners):
        representatives = list(petitioners)   # everyone who came is a representative
    recorded_by = checked_name(data.get("recorded_by"), what="记录人姓名")
    if channel == "oral" and not recorded_by:
        recorded_by = actor.display_name or actor.username
    record = {"channel": channel, "petitioners": petitioners or representatives, "request": data.get("request"),
              "facts": data.get("facts"), "reasons": data.get("reasons"), "recorded_by": recorded_by}
    missing = rules.missing_items(record)
    if missing:
        raise InvalidInput(f"信访事项尚缺：{'、'.join(missing)}（{rules.REGULATION}第十九条）", missing=missing)
    try:
        rules.check_group(group_size, representatives, via)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    whistleblower = bool(data.get("whistleblower"))
    with unit_of_work(db, actor, "petition.register") as uow:
        day = _day(uow, received_on, "收到日期")
        pattern = _profile(uow.s).get("petition_case_pattern") or DEFAULT_PETITION_PATTERN
        seq = next_number(uow, "petition", day.year)
        try:
            number = format_case_number(pattern, day.year, seq)
        except ValueError as exc:
            raise InvalidInput(f"中心设置的信访编号格式有误：{exc}") from None
        p = Petition(number=number, year=day.year, seq=seq, state=PetitionState.REGISTERED.value,
                     channel=channel, via=via, petitioners=petitioners or representatives,
                     representatives=representatives, group_size=group_size,
                     matter=_text(data.get("matter"), 64, "信访事项类别"),
                     request=_text(data.get("request"), None, "请求"), facts=_text(data.get("facts"), None, "事实"),
                     reasons=_text(data.get("reasons"), None, "理由"), recorded_by=recorded_by,
                     whistleblower=whistleblower,
                     accused_person=checked_name(data.get("accused_person"), what="被检举人姓名"),
                     accused_unit=_text(data.get("accused_unit"), 128, "被检举单位"),
                     source=_text(data.get("source"), 128, "转送机关"), received_on=day, registered_at=uow.now,
                     registered_by=actor.user_id, decision="", decision_reason="", transfer_to="",
                     handler_name="", extension={}, opinion_outcome="", opinion_text="", opinion_basis="",
                     review={}, rereview={}, created_at=uow.now, updated_at=uow.now)
        p.names = _text("、".join(_names(p)), 400, "信访人、代表姓名")
        uow.s.add(p)
        uow.s.flush()
        if p.source:
            _track(uow, p, "petition.notify_transferred", day)
            _track(uow, p, "petition.transfer_objection", day)
        elif get_setting(uow.s, "petitions.receiving_body", "") == "petition_department":
            _track(uow, p, "petition.register", day)
        else:
            _track(uow, p, "petition.notify_direct", day)
        _touch(uow, p, "register", channel=channel, via=via, group_size=group_size, whistleblower=whistleblower)
        pid = p.id
    return _load(db, actor, pid)


def decide_acceptance(db: Database, actor: Actor, petition_id: int, decision: str, *, reason: str = "",
                      transfer_to: str = "", on: dt.date | None = None,
                      notified_on: dt.date | None = None) -> PetitionView:
    """受理 / 不予受理 / 转送, and the written notice to the petitioner (第二十二条、第二十三条).

    Accepting starts the 60-day handling period (第三十四条). A transfer
    names the body that receives it; a whistle-blower's petition is never
    transferred to the person or body accused (第三十条第三款). For a
    petition transferred here, not accepting is the objection that must come
    within five working days (第二十三条第三款).
    """
    actor.require("petition.register")  # before reading the input
    if decision not in rules.DECISIONS:
        raise InvalidInput(f"受理决定应为：{'、'.join(rules.DECISIONS)}")
    with unit_of_work(db, actor, "petition.register") as uow:
        p = _petition(uow, petition_id)
        day = _day(uow, on, "决定日期")
        told = _day(uow, notified_on, "告知日期") if notified_on is not None else day
        if day < p.received_on or told < p.received_on:
            raise InvalidInput("决定或告知日期早于收到日期")
        if decision == "transfer":
            target = _text(transfer_to, 128, "转送机关")
            if not target:
                raise InvalidInput("请写明转送、交办的有权处理机关、单位")
            try:
                rules.check_transfer_target(target, p.accused_person, p.accused_unit, p.whistleblower)
            except rules.TransferToAccused as exc:
                raise Conflict(str(exc)) from None
            p.transfer_to = target
        elif decision == "not_accept" and not (reason or "").strip():
            raise InvalidInput("不予受理应当说明理由，并告知信访人向有权处理的机关、单位提出")
        _move(p, decision)
        p.decision, p.decision_on, p.decision_reason = decision, day, (reason or "").strip()
        p.notified_on = told
        _meet(uow, p, told, *_NOTICE_RULES)
        if decision == "not_accept" and p.source:
            _meet(uow, p, day, "petition.transfer_objection")
        else:
            _drop(uow, p, "petition.transfer_objection")
        if decision == "accept":
            p.accepted_on = day
            _track(uow, p, "petition.handling", day)
        _touch(uow, p, "decide", decision=decision, transfer_to=p.transfer_to)
        pid = p.id
    return _load(db, actor, pid)


def handle(db: Database, actor: Actor, petition_id: int, *, handler_user_id: int | None = None,
           handler_name: str = "", declared_interest: str = "") -> PetitionView:
    """交由工作人员办理. A staff member with a direct interest in the matter or the
    petitioner must recuse themselves (第二十八条第三款): refused with the reason."""
    with unit_of_work(db, actor, "petition.handle") as uow:
        p = _petition(uow, petition_id)
        name = checked_name(handler_name, what="办理人姓名")
        if handler_user_id is not None:
            u = uow.s.get(User, int(handler_user_id))
            if u is None or not u.active:
                raise NotFound(f"没有编号为 {handler_user_id} 的在用账户")
            name = name or u.display_name
        if not name:
            raise InvalidInput("请指定办理人")
        conflicts = rules.staff_conflicts(name, petition_people=_names(p),
                                          accused=[p.accused_person] if p.accused_person else [],
                                          declared_interest=declared_interest)
        if conflicts:
            if p.whistleblower and not actor.may("petition.see_whistleblower") and not declared_interest:
                # Naming the ground would confirm who the whistle-blower is (第三十条第三款).
                raise InvalidInput(f"{name}与信访事项或者信访人有直接利害关系，应当回避"
                                   f"（{rules.REGULATION}第二十八条第三款）")
            raise InvalidInput("；".join(conflicts))
        _move(p, "handle")
        p.handler_id = int(handler_user_id) if handler_user_id is not None else None
        p.handler_name = name
        _touch(uow, p, "handle", handler=name)
        pid = p.id
    return _load(db, actor, pid)


def extend_handling(db: Database, actor: Actor, petition_id: int, *, approved_by: str, reason: str,
                    notified_on: dt.date | None = None, on: dt.date | None = None) -> PetitionView:
    """延长办理期限 (第三十四条): complex cases, approved by the head of the body, 30 days at
    most, once; the petitioner is told the reason (``notified_on``)."""
    if not (approved_by or "").strip():
        raise InvalidInput(f"延长办理期限须经本机关、单位负责人批准（{rules.REGULATION}第三十四条）")
    if not (reason or "").strip():
        raise InvalidInput(f"延长办理期限应当告知信访人延期理由（{rules.REGULATION}第三十四条）")
    with unit_of_work(db, actor, "petition.handle") as uow:
        p = _petition(uow, petition_id)
        day = _day(uow, on, "批准日期")
        told = _day(uow, notified_on, "告知日期") if notified_on is not None else day
        _move(p, "extend")
        rows = _rows(uow, p, "petition.handling")
        if not rows:
            raise Conflict("没有正在计算的办理期限")
        row = rows[0]
        ext = periods.rule("petition.handling").extension
        if ext is None:
            raise Conflict("信访事项的办理期限不能延长")
        if row.extensions >= ext.max_times:
            raise Conflict(f"{ext.basis}规定延长期限不得超过30日，已延长过，不能再次延长")
        if day > row.due_date:
            raise Conflict(f"办理期限已于{periods.cn_date(row.due_date)}届满，不能再延长")
        row.extensions += 1
        dl.recompute(uow, row)
        p.extension = {"approved_by": approved_by.strip(), "reason": reason.strip(), "on": day.isoformat(),
                       "notified_on": told.isoformat(), "new_due": row.due_date.isoformat()}
        _touch(uow, p, "extend", approved_by=approved_by.strip(), due=row.due_date.isoformat())
        pid = p.id
    return _load(db, actor, pid)


def issue_opinion(db: Database, actor: Actor, petition_id: int, *, outcome: str, text: str, basis: str,
                  issued_on: dt.date | None = None, delivered_on: dt.date | None = None) -> PetitionView:
    """信访处理意见书 (第三十一条第六项、第三十二条): 予以支持, 作出解释说明 or 不予支持,
    with the facts, reasons and legal basis. The petitioner's 30 days to ask for a
    review run from the day they receive it (``delivered_on``, by default the day it is issued)."""
    actor.require("petition.handle")  # before reading the input
    try:
        oc = OpinionOutcome(outcome)
    except ValueError:
        raise InvalidInput("处理意见应为：予以支持（support）、作出解释说明（explain）、不予支持（not_support）") from None
    if not (text or "").strip():
        raise InvalidInput("请写明处理意见")
    if not (basis or "").strip():
        raise InvalidInput(f"信访处理意见书应当载明处理意见的法律法规依据（{rules.REGULATION}第三十二条）")
    with unit_of_work(db, actor, "petition.handle") as uow:
        p = _petition(uow, petition_id)
        day = _day(uow, issued_on, "出具日期")
        got = _day(uow, delivered_on, "送达日期") if delivered_on is not None else day
        if got < day:
            raise InvalidInput("送达日期早于出具日期")
        _move(p, "issue_opinion")
        p.opinion_outcome, p.opinion_text, p.opinion_basis = oc.value, text.strip(), basis.strip()
        p.opinion_on, p.opinion_delivered_on = day, got
        _meet(uow, p, day, "petition.handling")
        _track(uow, p, "petition.review_request", got)
        _touch(uow, p, "opinion", outcome=oc.value)
        pid = p.id
    return _load(db, actor, pid)


def _request(uow: UnitOfWork, p: Petition, stage: str, requested_on: dt.date | None, body: str, what: str,
             article: str, **extra: Any) -> None:
    """A request for a review (``stage`` "review", 复查) or a re-review ("rereview", 复核): within the
    petitioner's 30 days, recorded on the petition, and the answer's period starts."""
    day = _day(uow, requested_on, "请求日期")
    _move(p, f"request_{stage}")
    code = f"petition.{stage}_request"
    rows = _rows(uow, p, code)
    if rows and day > rows[0].due_date:
        raise Conflict(f"请求{what}的期限已于{periods.cn_date(rows[0].due_date)}届满"
                       f"（{rules.REGULATION}{article}：自收到书面答复之日起30日内）")
    _meet(uow, p, day, code)
    setattr(p, stage, {"requested_on": day.isoformat(), "body": _text(body, 128, f"{what}机关"), **extra})
    _track(uow, p, f"petition.{stage}_answer", day)


def request_review(db: Database, actor: Actor, petition_id: int, *, requested_on: dt.date | None = None,
                   body: str = "") -> PetitionView:
    """请求复查 (第三十五条): within 30 days of receiving the opinion; answered within 30 days."""
    with unit_of_work(db, actor, "petition.handle") as uow:
        p = _petition(uow, petition_id)
        _request(uow, p, "review", requested_on, body, "复查", "第三十五条")
        _touch(uow, p, "review.request")
        pid = p.id
    return _load(db, actor, pid)


def _answer_outcome(outcome: str | None) -> str:
    if not outcome:
        return ""
    try:
        return OpinionOutcome(outcome).value
    except ValueError:
        raise InvalidInput("意见应为 support、explain 或 not_support") from None


def _answer(uow: UnitOfWork, p: Petition, stage: str, text: str, outcome: str | None,
            answered_on: dt.date | None, delivered_on: dt.date | None, **extra: Any) -> dt.date:
    """The written answer to a review (``stage`` "review") or re-review ("rereview"), recorded on the
    petition; the day the petitioner received it."""
    day = _day(uow, answered_on, "答复日期")
    got = _day(uow, delivered_on, "送达日期") if delivered_on is not None else day
    _move(p, f"answer_{stage}")
    _meet(uow, p, day, f"petition.{stage}_answer")
    setattr(p, stage, {**getattr(p, stage), "answered_on": day.isoformat(), "delivered_on": got.isoformat(),
                       "outcome": _answer_outcome(outcome), "text": text.strip(), **extra})
    return got


def answer_review(db: Database, actor: Actor, petition_id: int, *, text: str, outcome: str | None = None,
                  answered_on: dt.date | None = None, delivered_on: dt.date | None = None) -> PetitionView:
    """复查意见 with a written reply (第三十五条); the petitioner then has 30 days to ask for a re-review."""
    if not (text or "").strip():
        raise InvalidInput("请写明复查意见")
    with unit_of_work(db, actor, "petition.handle") as uow:
        p = _petition(uow, petition_id)
        got = _answer(uow, p, "review", text, outcome, answered_on, delivered_on)
        _track(uow, p, "petition.rereview_request", got)
        _touch(uow, p, "review.answer")
        pid = p.id
    return _load(db, actor, pid)


def request_rereview(db: Database, actor: Actor, petition_id: int, *, requested_on: dt.date | None = None,
                     body: str = "") -> PetitionView:
    """请求复核 (第三十六条): within 30 days of receiving the review answer; answered within 30 days."""
    with unit_of_work(db, actor, "petition.handle") as uow:
        p = _petition(uow, petition_id)
        _request(uow, p, "rereview", requested_on, body, "复核", "第三十六条", hearings=[])
        _touch(uow, p, "rereview.request")
        pid = p.id
    return _load(db, actor, pid)


def rereview_hearing(db: Database, actor: Actor, petition_id: int, *, first: dt.date,
                     last: dt.date) -> PetitionView:
    """A hearing held for the re-review: its days are not counted (第三十六条第二款)."""
    with unit_of_work(db, actor, "petition.handle") as uow:
        p = _petition(uow, petition_id)
        a = _day(uow, first, "听证开始日期")
        b = _day(uow, last, "听证结束日期")
        if b < a:
            raise InvalidInput("听证结束日期早于开始日期")
        _move(p, "rereview_hearing")
        for row in _rows(uow, p, "petition.rereview_answer"):
            row.suspensions = [*row.suspensions, [a.isoformat(), b.isoformat(), "复核听证"]]
            dl.recompute(uow, row)
        p.rereview = {**p.rereview, "hearings": [*p.rereview.get("hearings", []), [a.isoformat(), b.isoformat()]]}
        _touch(uow, p, "rereview.hearing")
        pid = p.id
    return _load(db, actor, pid)


def answer_rereview(db: Database, actor: Actor, petition_id: int, *, text: str, outcome: str | None = None,
                    answered_on: dt.date | None = None, delivered_on: dt.date | None = None) -> PetitionView:
    """复核意见 (第三十六条). Afterwards the same request on the same facts and reasons is not accepted again."""
    if not (text or "").strip():
        raise InvalidInput("请写明复核意见")
    with unit_of_work(db, actor, "petition.handle") as uow:
        p = _petition(uow, petition_id)
        _answer(uow, p, "rereview", text, outcome, answered_on, delivered_on, final=True)
        _touch(uow, p, "rereview.answer")
        pid = p.id
    return _load(db, actor, pid)


def close_petition(db: Database, actor: Actor, petition_id: int, *, on: dt.date | None = None) -> PetitionView:
    """办结. The petitioner's own periods (to ask for review or re-review) stay on the board."""
    with unit_of_work(db, actor, "petition.handle") as uow:
        p = _petition(uow, petition_id)
        day = _day(uow, on, "办结日期")
        _move(p, "close")
        p.closed_on = day
        _drop(uow, p, keep=PETITIONER_PERIODS)
        _touch(uow, p, "close")
        pid = p.id
    return _load(db, actor, pid)


# -------------------------------------------------------------------- reads
def _record(p: Petition, *, see_numbers: bool) -> dict:
    def person(x: Mapping) -> dict:
        out = dict(x)
        if out.get("id_number") and not see_numbers:
            out["id_number"] = mask_id_number(out["id_number"], visible_tail=4)
        if out.get("phone") and not see_numbers:
            out["phone"] = mask_phone(out["phone"])
        return out

    return {
        "petitioners": [person(x) for x in p.petitioners],
        "representatives": [person(x) for x in p.representatives],
        "request": p.request, "facts": p.facts, "reasons": p.reasons, "opinion_text": p.opinion_text,
        "whistleblower": p.whistleblower,
    }


def _view(s: Session, p: Petition, actor: Actor, deadlines: list) -> PetitionView:
    rec = _record(p, see_numbers=actor.may("visitor.see_id_number"))
    redacted = p.whistleblower and not actor.may("petition.see_whistleblower")
    if redacted:
        rec = rules.redact_whistleblower(rec)
    recorder = p.recorded_by
    outcome = rules.OPINION_OUTCOMES[OpinionOutcome(p.opinion_outcome)].label if p.opinion_outcome else ""
    return PetitionView(
        id=p.id, number=p.number, state=p.state, state_label=PetitionState(p.state).label,
        allowed_actions=[a for (st, a) in rules.TRANSITIONS if st.value == p.state], channel=p.channel,
        via=p.via, petitioners=rec["petitioners"], representatives=rec["representatives"],
        group_size=p.group_size, matter=p.matter, request=rec["request"], facts=rec["facts"],
        reasons=rec["reasons"], recorded_by=recorder, whistleblower=p.whistleblower,
        whistleblower_redacted=bool(redacted), accused_person=p.accused_person, accused_unit=p.accused_unit,
        source=p.source, received_on=p.received_on, decision=p.decision, decision_on=p.decision_on,
        decision_reason=p.decision_reason, transfer_to=p.transfer_to, notified_on=p.notified_on,
        accepted_on=p.accepted_on, handler_name=p.handler_name, extension=dict(p.extension or {}),
        opinion_outcome=p.opinion_outcome, opinion_label=outcome, opinion_text=rec["opinion_text"],
        opinion_basis=p.opinion_basis, opinion_on=p.opinion_on, opinion_delivered_on=p.opinion_delivered_on,
        review=dict(p.review or {}), rereview=dict(p.rereview or {}), closed_on=p.closed_on,
        deadlines=deadlines)


def _load(db: Database, actor: Actor, petition_id: int) -> PetitionView:
    with db.read() as s:
        p = s.get(Petition, petition_id)
        if p is None:
            raise NotFound(f"没有编号为 {petition_id} 的信访事项")
    rows = dl.list_deadlines(db, when="all", subject=(SUBJECT, petition_id))
    with db.read() as s:
        return _view(s, p, actor, rows)


def find_petition(db: Database, actor: Actor, number: str) -> int:
    actor.require("petition.read")
    with db.read() as s:
        pid = s.execute(select(Petition.id).where(Petition.number == number.strip())).scalar_one_or_none()
    if pid is None:
        raise NotFound(f"没有编号为“{number}”的信访事项")
    return pid


def petition_detail(db: Database, actor: Actor, petition: int | str) -> PetitionView:
    """One petition (by id or number); a whistle-blower's identity only for ``petition.see_whistleblower``."""
    actor.require("petition.read")
    pid = petition if isinstance(petition, int) else find_petition(db, actor, petition)
    return _load(db, actor, pid)


def _fact_person(x: Mapping[str, Any]) -> PetitionPerson:
    def text(key: str) -> str:
        value = x.get(key)
        return "" if value is None else str(value)

    return PetitionPerson(name=text("name"), kind=text("kind"), address=text("address"), phone=text("phone"),
                          id_number=text("id_number"), work_unit=text("work_unit"),
                          credit_code=text("credit_code"), legal_rep=text("legal_rep"))


def document_facts(db: Database, actor: Actor, petition: int | str, *, contact: str | None = None) -> PetitionFacts:
    """The typed facts of the petition's letters, as the actor may see the petition.

    ``contact`` (printed on the 告知书): by default the acting user's name and the centre's phone.
    """
    view = petition_detail(db, actor, petition)
    with db.read() as s:
        profile = CentreProfile.from_mapping(_profile(s))
    if contact is None:
        contact = "，".join(x for x in (actor.display_name if actor.user_id is not None else "", profile.phone) if x)
    people = [x for x in view.petitioners if isinstance(x, Mapping)]
    reps = [x for x in view.representatives if isinstance(x, Mapping)]
    return PetitionFacts(
        profile=profile, number=view.number, petitioners=tuple(_fact_person(x) for x in people),
        representatives=tuple(_fact_person(x) for x in reps), via=view.via or "",
        received_on=view.received_on, matter=view.matter or "", request=view.request or "",
        facts=view.facts or "", reasons=view.reasons or "", whistleblower_redacted=view.whistleblower_redacted,
        decision=view.decision or "", decision_on=view.decision_on, decision_reason=view.decision_reason or "",
        transfer_to=view.transfer_to or "", notified_on=view.notified_on, accepted_on=view.accepted_on,
        opinion_outcome=view.opinion_outcome or "", opinion_text=view.opinion_text or "",
        opinion_basis=view.opinion_basis or "", opinion_on=view.opinion_on, contact=contact)


def petition_register(db: Database, actor: Actor, query: str = "", limit: int = 50,
                      after: int | None = None, *, state: str | None = None) -> list[PetitionRow]:
    """The register, newest first. A search by name never finds a whistle-blower's
    petition for a user who may not see who the whistle-blower is."""
    actor.require("petition.read")
    see = actor.may("petition.see_whistleblower")
    next_due = (select(func.min(TrackedDeadline.due_date))
                .where(TrackedDeadline.subject_type == SUBJECT, TrackedDeadline.subject_id == Petition.id,
                       TrackedDeadline.active.is_(True), TrackedDeadline.met_on.is_(None))
                .correlate(Petition).scalar_subquery())
    stmt = select(Petition, next_due.label("next_due"))
    q = (query or "").strip()
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        by_people: ColumnElement[bool] = Petition.names.like(like, escape="\\")
        if not see:
            by_people = and_(by_people, Petition.whistleblower.is_(False))
        stmt = stmt.where(or_(Petition.number == q, Petition.matter.like(like, escape="\\"), by_people))
    if state:
        try:
            PetitionState(state)
        except ValueError:
            raise InvalidInput(f"未知的信访事项状态：{state}") from None
        stmt = stmt.where(Petition.state == state)
    if after is not None:
        stmt = stmt.where(Petition.id < after)
    stmt = stmt.order_by(Petition.id.desc()).limit(max(1, min(int(limit), 500)))
    out = []
    with db.read() as s:
        for p, due in s.execute(stmt).all():
            people = p.representatives or p.petitioners
            first = str(people[0].get("name", "")) if people else ""
            if p.whistleblower and not see:
                first = rules.REDACTED
            out.append(PetitionRow(id=p.id, number=p.number, state=p.state,
                                   state_label=PetitionState(p.state).label, petitioner=first,
                                   group_size=p.group_size, matter=p.matter, whistleblower=p.whistleblower,
                                   received_on=p.received_on, next_due=due))
    return out


def transfer_package(db: Database, actor: Actor, petition_id: int) -> dict:
    """What goes with a transferred petition to the receiving body.

    The matter, request, facts and reasons, and the dates; for a
    whistle-blower's petition never their identity (第三十条第三款), whoever
    asks for the package.
    """
    actor.require("petition.read")
    with db.read() as s:
        p = s.get(Petition, petition_id)
        if p is None:
            raise NotFound(f"没有编号为 {petition_id} 的信访事项")
        if p.state != PetitionState.TRANSFERRED.value and p.decision != "transfer":
            raise Conflict("该信访事项未作转送决定")
        rec = _record(p, see_numbers=False)
        profile = _profile(s)
    if p.whistleblower:
        rec = rules.redact_whistleblower(rec)
    return {
        "number": p.number, "from": profile.get("name", ""), "to": p.transfer_to,
        "received_on": p.received_on.isoformat(), "decided_on": p.decision_on.isoformat() if p.decision_on else None,
        "channel": rules.CHANNELS.get(p.channel, p.channel), "via": rules.VIAS.get(p.via, p.via),
        "matter": p.matter, "group_size": p.group_size, "petitioners": rec["petitioners"],
        "representatives": rec["representatives"], "request": rec["request"], "facts": rec["facts"],
        "reasons": rec["reasons"], "whistleblower": p.whistleblower,
        "identity_withheld": bool(p.whistleblower),
        "note": (f"依{rules.REGULATION}第三十条第三款，检举人身份信息不随件转送，不得透露或者转给被检举、揭发的人员或者单位。"
                 if p.whistleblower else ""),
    }

