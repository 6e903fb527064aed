"""Labour arbitration: from the application at the window to the award and its service.

One function per clerk's action, one transaction each, with its permission
check, audit row and event. Every statutory period of a case is a tracked
deadline (``hall.services.deadlines``, subject ``("arbitration", case id)``,
case number = the 案号, or the 收件号 until the case is accepted); each
action marks the period it fulfils as met and starts the ones it opens:

=====================  =========================================  ==============================
action                 meets                                      starts
=====================  =========================================  ==============================
receive_application    –                                          labour.acceptance (收件日)
supplement (complete)  –                                          restarts labour.acceptance
accept                 labour.acceptance                          copy_to_respondent,
                                                                  tribunal_notice, award
refuse                 labour.acceptance                          –
送达 应诉通知书         labour.copy_to_respondent                  labour.defence (签收日)
record_defence         labour.defence                             labour.defence_copy
送达 答辩书副本         labour.defence_copy                        –
送达 组庭通知 (both)    labour.tribunal_notice                     –
schedule_hearing       –                                          labour.hearing_notice (开庭日)
送达 开庭通知 (both)    labour.hearing_notice                      –
close_by_mediation,    labour.award                               –
award
送达 裁决书             –                                          final_award_suit / set_aside /
                                                                  nonfinal_award_suit, per party,
                                                                  from that party's 签收日
=====================  =========================================  ==============================

The 送达回证 date (the day the recipient wrote on the receipt) is the service
date: periods that run from service start on it. For documents sent by post
the clerk may give ``sent_on``: a duty to *send* within N days is met on it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, TypedDict

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from hall.domain import arbitration as rules
from hall.domain import deadlines as periods
from hall.domain import money as rmb
from hall.domain.arbitration import CaseState
from hall.domain.clock import HALL_TZ, UTC, as_utc, local_day, to_local
from hall.domain.identity import check_credit_code, check_phone, check_resident_id
from hall.domain.masking import mask_id_number, mask_phone
from hall.domain.names import PARTY_NAME_MAX, PERSON_NAME_MAX
from hall.store.arbitration_models import (
    ArbitrationCase,
    Hearing,
    ServiceRecord,
    TribunalMember,
)
from hall.store.db import Database
from hall.store.models import Room, TrackedDeadline, User
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
    WitnessItem,
)

from . import deadlines as dl
from .base import Actor, Conflict, InvalidInput, NotFound, UnitOfWork, checked_name, get_setting, unit_of_work
from .base import centre_profile_in as _profile
from .base import entered_day as _day
from .base import locked_by_id as _locked
from .base import moved as _moved
from .base import uow_today as _today
from .numbering import next_number
from .views import JsonView

__all__ = [
    "DEFAULT_CASE_PATTERN", "DEFAULT_RECEIPT_PATTERN", "TRIBUNAL_ROOM", "APPLICATION_FIELDS",
    "ReceiptView", "CaseRow", "CaseDetail", "HearingView", "ServiceView", "ServiceResult", "MemberView",
    "receive_application", "from_failed_mediation", "supplement", "accept", "refuse",
    "serve_respondent", "record_service", "record_defence", "form_tribunal", "schedule_hearing",
    "postpone_hearing", "record_hearing", "change_claims", "restart_award_period",
    "extend_award_period", "close_by_mediation", "mediation_repudiated", "award", "withdraw",
    "deemed_withdrawn", "close_case", "arbitration_register", "arbitration_detail", "find_case",
    "document_facts", "preview_award", "AwardPreview", "apply_recusal", "decide_recusal", "AWARD_KINDS",
]

SUBJECT = "arbitration"
DEFAULT_CASE_PATTERN = "劳人仲案字〔{year}〕第{seq}号"
DEFAULT_RECEIPT_PATTERN = "仲收〔{year}〕{seq}号"
TRIBUNAL_ROOM = "r_tribunal"
DEFAULT_HEARING_HOURS = 2

#: Periods that belong to the parties (appeal windows): they stay on the board
#: after the case is closed.
PARTY_WINDOWS = frozenset({"labour.final_award_suit", "labour.set_aside", "labour.nonfinal_award_suit",
                           "labour.suit_after_set_aside"})

SIDES = {"applicant": "申请人", "respondent": "被申请人", "other": "其他当事人"}
METHODS = {"direct": "直接送达", "post": "邮寄送达", "electronic": "电子送达", "left": "留置送达",
           "publication": "公告送达", "entrusted": "委托送达"}

_STR_FIELDS = (
    "worker_name", "worker_sex", "worker_id_number", "worker_ethnicity", "worker_occupation",
    "worker_employer", "worker_address", "worker_mailing_address", "worker_phone",
    "employer_name", "employer_credit_code", "employer_address", "employer_legal_rep",
    "employer_legal_rep_title", "employer_phone", "facts_reasons",
)
_LIST_FIELDS = ("claims", "evidence", "witnesses", "agents", "other_parties")
#: Keys an application dict may carry.
APPLICATION_FIELDS = frozenset(_STR_FIELDS + _LIST_FIELDS + ("worker_birth_date",))


# ===================================================================== views
@dataclass(frozen=True)
class ReceiptView(JsonView):
    """The 收件回执 facts, and the 补正通知 when something is missing."""

    case_id: int
    receipt_number: str
    received_on: dt.date
    received_at: dt.datetime
    state: str
    state_label: str
    applicant: str
    respondent: str
    materials: list[str]
    missing_items: list[str]
    warnings: list[str]
    acceptance_due: dt.date | None
    commission: str
    source_case_number: str = ""

    @property
    def needs_supplement(self) -> bool:
        return bool(self.missing_items)


@dataclass(frozen=True)
class CaseRow(JsonView):
    id: int
    number: str
    receipt_number: str
    state: str
    state_label: str
    worker_name: str
    employer_name: str
    received_on: dt.date
    accepted_on: dt.date | None
    simplified: bool
    next_due: dt.date | None


@dataclass(frozen=True)
class MemberView(JsonView):
    name: str
    role: str
    role_label: str
    user_id: int | None


@dataclass(frozen=True)
class HearingView(JsonView):
    id: int
    case_id: int
    case_number: str
    room_code: str
    room_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str
    notice_served_on: dt.date | None
    notice_latest: dt.date
    postponed_from_id: int | None
    postponement: dict
    record_text: str
    applicant_present: bool | None
    respondent_present: bool | None


@dataclass(frozen=True)
class ServiceView(JsonView):
    id: int
    document_kind: str
    document_title: str
    recipient_side: str
    recipient_name: str
    method: str
    method_label: str
    sent_on: dt.date | None
    served_on: dt.date
    signed_by: str
    hearing_id: int | None
    note: str


@dataclass(frozen=True)
class ServiceResult(JsonView):
    record: ServiceView
    effects: list[str]
    warnings: list[str]


@dataclass(frozen=True)
class CaseDetail(JsonView):
    id: int
    number: str
    receipt_number: str
    state: str
    state_label: str
    allowed_actions: list[str]
    channel: str
    applicant_side: str
    worker: dict
    employer: dict
    other_parties: list
    agents: list
    claims: list
    facts_reasons: str
    evidence: list
    witnesses: list
    received_on: dt.date
    missing_items: list[str]
    supplement_notices: list
    accepted_on: dt.date | None
    refused_on: dt.date | None
    refusal_reasons: str
    source_kind: str
    source_case_id: int | None
    source_case_number: str
    respondent_served_on: dt.date | None
    defence_received_on: dt.date | None
    simplified: bool
    simplified_reason: str
    tribunal: list[MemberView]
    hearings: list[HearingView]
    services: list[ServiceView]
    classification: dict
    award_extension: dict
    outcome: str
    outcome_on: dt.date | None
    outcome_text: str
    outcome_reasons: str
    outcome_effective_on: dt.date | None
    closed_on: dt.date | None
    deadlines: list = field(default_factory=list)  # DeadlineView rows
    award_parts: dict = field(default_factory=dict)  # facts_found, costs, documents (第四十六条、第四十七条)
    recusals: list = field(default_factory=list)     # 第三十三条
    id_number_masked: bool = True


# =================================================================== helpers
def _moment(value: dt.datetime, what: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise InvalidInput(f"{what}须为日期时间")
    if value.tzinfo is None:
        value = value.replace(tzinfo=HALL_TZ)
    return value.astimezone(UTC)


def _case_pattern(s: Session) -> str:
    pattern = _profile(s).get("arbitration_case_pattern") or DEFAULT_CASE_PATTERN
    problem = rules.case_number_pattern_problem(pattern)
    if problem:
        raise InvalidInput(f"中心设置的仲裁案号格式有误：{problem}")
    return pattern


def _case(uow: UnitOfWork, case_id: int) -> ArbitrationCase:
    return _locked(uow, ArbitrationCase, case_id, "仲裁案件")


def _hearing(uow: UnitOfWork, c: ArbitrationCase, hearing_id: int) -> Hearing:
    """The case's hearing ``hearing_id``, locked for the transaction."""
    h = uow.s.execute(uow.lock_for_update(select(Hearing).where(
        Hearing.id == hearing_id, Hearing.case_id == c.id))).scalar_one_or_none()
    if h is None:
        raise NotFound(f"本案没有编号为 {hearing_id} 的开庭")
    return h


def _label(c: ArbitrationCase) -> str:
    return c.number or c.receipt_number


def _move(c: ArbitrationCase, action: str) -> CaseState:
    return _moved(c, rules.next_state, action)


def _touch(uow: UnitOfWork, c: ArbitrationCase, action: str, **details: Any) -> None:
    c.updated_at = uow.now
    uow.audit(f"arbitration.{action}", "arbitration_case", c.id, number=_label(c), state=c.state, **details)
    uow.event("arbitration.changed", case_id=c.id, number=_label(c), state=c.state, action=action)


# -- tracked deadlines inside the caller's transaction
def _track(uow: UnitOfWork, c: ArbitrationCase, rule_code: str, start: dt.date, label: str = "") -> int:
    return dl.track(uow, rule_code, SUBJECT, c.id, start, case_number=_label(c), label=label)


def _rows(uow: UnitOfWork, c: ArbitrationCase, rule_code: str | None = None, *,
          open_only: bool = True) -> list[TrackedDeadline]:
    stmt = select(TrackedDeadline).where(TrackedDeadline.subject_type == SUBJECT,
                                         TrackedDeadline.subject_id == c.id,
                                         TrackedDeadline.active.is_(True))
    if rule_code:
        stmt = stmt.where(TrackedDeadline.rule_code == rule_code)
    if open_only:
        stmt = stmt.where(TrackedDeadline.met_on.is_(None))
    return list(uow.s.execute(stmt.order_by(TrackedDeadline.id)).scalars())


def _meet(uow: UnitOfWork, c: ArbitrationCase, rule_code: str, on: dt.date) -> list[str]:
    """Mark the case's open period ``rule_code`` met on ``on``; describe what happened."""
    out = []
    for row in _rows(uow, c, rule_code):
        row.met_on = on
        dl.recompute(uow, row)
        late = "（逾期完成）" if on > row.due_date else ""
        out.append(f"{periods.rule(rule_code).name}：{periods.cn_date(on)}完成{late}")
    return out


def _end_case(uow: UnitOfWork, c: ArbitrationCase, day: dt.date, why: str, *,
              keep: frozenset[str] = frozenset(), spare_hearing: int | None = None) -> dict:
    """The case has ended: its scheduled hearings are cancelled (the tribunal room is free
    again and no 开庭通知书 is printed for it) and its open duties stop, in the caller's
    transaction."""
    cancelled = []
    for h in uow.s.execute(uow.lock_for_update(select(Hearing).where(
            Hearing.case_id == c.id, Hearing.state == "scheduled"))).scalars():
        if h.id == spare_hearing:
            continue
        h.state = "cancelled"
        h.postponement = {**(h.postponement or {}), "cancelled_on": day.isoformat(), "cancelled_because": why}
        cancelled.append(h.id)
        uow.event("arbitration.hearing_cancelled", case_id=c.id, hearing_id=h.id, room_id=h.room_id)
    dropped = _drop_open_duties(uow, c, keep=keep)
    return {"hearings_cancelled": len(cancelled), "deadlines_closed": dropped}


def _drop_open_duties(uow: UnitOfWork, c: ArbitrationCase, *, keep: frozenset[str] = frozenset()) -> int:
    """Stop watching the case's unmet periods (withdrawn, refused, closed)."""
    n = 0
    for row in _rows(uow, c):
        if row.rule_code in keep:
            continue
        row.active = False
        uow.event("deadline.changed", deadline_id=row.id, case_number=row.case_number)
        n += 1
    return n


# -- the application
def _clean_str(key: str, value: Any) -> str:
    text = "" if value is None else str(value).strip()
    limit = getattr(ArbitrationCase.__table__.c[key].type, "length", None)
    if limit and len(text) > limit:
        raise InvalidInput(f"{_FIELD_LABELS.get(key, key)}过长（最多{limit}字）")
    return text


_FIELD_LABELS = {item.key: item.label for item in rules.REQUIRED_ITEMS} | {
    "employer_credit_code": "统一社会信用代码", "employer_phone": "用人单位联系电话",
    "worker_ethnicity": "民族", "agents": "代理人", "other_parties": "其他当事人",
}


def _clean_list(key: str, value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidInput(f"{_FIELD_LABELS.get(key, key)}应为列表")
    out = []
    for item in value:
        if not isinstance(item, Mapping):
            raise InvalidInput(f"{_FIELD_LABELS.get(key, key)}的每一项应为键值对")
        clean = {str(k): (v.strip() if isinstance(v, str) else v) for k, v in item.items()}
        if key == "claims":
            clean.setdefault("kind", "other")
            for money in ("amount", "awarded"):
                raw = clean.get(money)
                if raw is None or (isinstance(raw, str) and not raw):
                    clean.pop(money, None)
                    continue
                try:
                    clean[money] = str(rmb.parse_amount(raw))
                except ValueError:
                    clean[money] = str(raw)  # kept as typed; the 补正 list names it
        out.append(_jsonable(clean))
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


#: The names typed into an application, checked by the one name rule
#: (hall.domain.names): (field, what the message calls it, an organisation's name?).
_NAME_FIELDS = (("worker_name", "劳动者姓名", False), ("employer_name", "用人单位名称", True),
                ("employer_legal_rep", "法定代表人（主要负责人）姓名", False))
_NAME_KEYS = frozenset(k for k, _, _ in _NAME_FIELDS)
_LIST_NAMES = {"agents": "代理人", "other_parties": "其他当事人", "witnesses": "证人"}


def _check_names(c: ArbitrationCase) -> None:
    """Every person's (or organisation's) name of the application by the one rule;
    an empty one stays empty (the 补正 list names it)."""
    for key, what, org in _NAME_FIELDS:
        value = getattr(c, key)
        if value:
            setattr(c, key, checked_name(value, what=what, organisation=org,
                                         max_len=PARTY_NAME_MAX if org else PERSON_NAME_MAX))
    for key, label in _LIST_NAMES.items():
        items = list(getattr(c, key) or [])
        changed = False
        for i, item in enumerate(items, 1):
            name = item.get("name")
            if not name:
                continue
            org = key == "other_parties" and str(item.get("kind") or "") != "person"
            what = f"第{i}个{label}的" + ("姓名或名称" if org else "姓名") if len(items) > 1 else \
                f"{label}" + ("姓名或名称" if org else "姓名")
            clean = checked_name(str(name), what=what, organisation=org,
                                 max_len=PARTY_NAME_MAX if org else PERSON_NAME_MAX)
            if key == "other_parties" and item.get("legal_rep"):
                rep = checked_name(str(item["legal_rep"]), what=f"{clean}的法定代表人姓名")
                if rep != item["legal_rep"]:
                    item, changed = {**item, "legal_rep": rep}, True
            if clean != name:
                item, changed = {**item, "name": clean}, True
            items[i - 1] = item
        if changed:
            setattr(c, key, items)


def _apply(c: ArbitrationCase, data: Mapping[str, Any], today: dt.date) -> None:
    unknown = set(data) - APPLICATION_FIELDS
    if unknown:
        raise InvalidInput(f"未知的申请书事项：{'、'.join(sorted(unknown))}")
    for key, value in data.items():
        if key in _LIST_FIELDS:
            setattr(c, key, _clean_list(key, value))
        elif key == "worker_birth_date":
            if value in (None, ""):
                c.worker_birth_date = None
            elif isinstance(value, dt.date):
                c.worker_birth_date = value
            else:
                try:
                    c.worker_birth_date = dt.date.fromisoformat(str(value).strip())
                except ValueError:
                    raise InvalidInput(f"出生日期“{value}”格式不正确（YYYY-MM-DD）") from None
        elif key in _NAME_KEYS:  # checked below by the name rule, with its own limit
            setattr(c, key, "" if value is None else str(value))
        else:
            setattr(c, key, _clean_str(key, value))
    _check_names(c)
    if c.worker_id_number:
        check = check_resident_id(c.worker_id_number, today)
        c.worker_id_number = check.normalized[:18]
        if check.ok:
            c.worker_sex = c.worker_sex or check.sex or ""
            c.worker_birth_date = c.worker_birth_date or check.birth_date
    if c.worker_phone:
        pc = check_phone(c.worker_phone)
        if pc.ok:
            c.worker_phone = pc.normalized
    if c.employer_credit_code:
        c.employer_credit_code = check_credit_code(c.employer_credit_code).normalized[:18]


def _as_application(c: ArbitrationCase) -> dict:
    out = {k: getattr(c, k) for k in _STR_FIELDS + _LIST_FIELDS}
    out["worker_birth_date"] = c.worker_birth_date
    return out


def _receipt(s: Session, c: ArbitrationCase, warnings: list[str]) -> ReceiptView:
    due = s.execute(select(TrackedDeadline.due_date).where(
        TrackedDeadline.subject_type == SUBJECT, TrackedDeadline.subject_id == c.id,
        TrackedDeadline.rule_code == "labour.acceptance", TrackedDeadline.active.is_(True),
        TrackedDeadline.met_on.is_(None))).scalars().first()
    materials = ["仲裁申请书" if c.channel == "written" else "口头申请笔录"]
    materials += [str(e.get("name")) for e in c.evidence if e.get("name")]
    return ReceiptView(
        case_id=c.id, receipt_number=c.receipt_number, received_on=c.received_on,
        received_at=c.received_at, state=c.state, state_label=CaseState(c.state).label,
        applicant=c.worker_name if c.applicant_side == "worker" else c.employer_name,
        respondent=c.employer_name if c.applicant_side == "worker" else c.worker_name,
        materials=materials, missing_items=list(c.missing_items), warnings=warnings,
        acceptance_due=due, commission=_profile(s).get("arbitration_commission", ""),
        source_case_number=c.source_case_number)


def _receive(uow: UnitOfWork, actor: Actor, application: Mapping[str, Any], *, received_on: dt.date | None,
             channel: str, applicant_side: str, source: Mapping[str, Any] | None = None) -> ArbitrationCase:
    if channel not in ("written", "oral"):
        raise InvalidInput("申请方式应为书面（written）或者口头（oral）")
    if applicant_side not in ("worker", "employer"):
        raise InvalidInput("申请人应为劳动者（worker）或者用人单位（employer）")
    day = _day(uow, received_on, "收件日期")
    c = ArbitrationCase(state=CaseState.RECEIVED.value, channel=channel, applicant_side=applicant_side,
                        received_on=day, received_at=uow.now, created_at=uow.now, updated_at=uow.now,
                        clerk_id=actor.user_id, simplified=False, other_parties=[], agents=[], claims=[],
                        evidence=[], witnesses=[], missing_items=[], supplement_notices=[],
                        classification={}, award_extension={}, refusal_reasons="", facts_reasons="",
                        defence_summary="", simplified_reason="", outcome="", outcome_text="",
                        outcome_reasons="", source_kind="", source_case_number="",
                        **{k: "" for k in _STR_FIELDS if k != "facts_reasons"})
    _apply(c, application, _today(uow))
    applicant_name = c.worker_name if applicant_side == "worker" else c.employer_name
    if not applicant_name:
        raise InvalidInput("请至少写明申请人的姓名（名称），才能出具收件回执")
    if source:
        c.source_kind = str(source.get("kind") or "mediation")
        c.source_case_id = source.get("case_id")
        c.source_case_number = _clean_str("source_case_number", source.get("case_number"))
    c.receipt_year = day.year
    c.receipt_seq = next_number(uow, "arbitration.receipt", day.year)
    pattern = _profile(uow.s).get("arbitration_receipt_pattern") or DEFAULT_RECEIPT_PATTERN
    try:
        c.receipt_number = rules.format_case_number(pattern, day.year, c.receipt_seq)
    except ValueError as exc:
        raise InvalidInput(f"中心设置的收件号格式有误：{exc}") from None
    missing = rules.missing_items(_as_application(c), _today(uow))
    c.missing_items = missing
    if missing:
        _move(c, "request_supplement")
        c.supplement_notices = [{"on": day.isoformat(), "items": missing}]
    uow.s.add(c)
    uow.s.flush()
    row_id = _track(uow, c, "labour.acceptance", day, label=WAITING_LABEL if missing else "")
    if missing:
        _stop_acceptance_clock(uow, _deadline_row(uow, row_id), day)
    return c


WAITING_LABEL = "等待申请人补正（受理期限停止计算，补正后重新起算）"


def _deadline_row(uow: UnitOfWork, deadline_id: int) -> TrackedDeadline:
    row = uow.s.get(TrackedDeadline, deadline_id)
    if row is None:
        raise NotFound(f"没有编号为 {deadline_id} 的期限")
    return row


def _stop_acceptance_clock(uow: UnitOfWork, row: TrackedDeadline, day: dt.date) -> None:
    """The wait for a 补正 is the applicant's: the five days do not run against the commission."""
    if any(last is None for _, last, _ in row.suspensions):
        return
    row.suspensions = [*row.suspensions, [day.isoformat(), None, "等待申请人补正"]]
    row.label = WAITING_LABEL
    dl.recompute(uow, row)


# ================================================================== actions
def receive_application(db: Database, actor: Actor, application: Mapping[str, Any], *,
                        received_on: dt.date | None = None, channel: str = "written",
                        applicant_side: str = "worker") -> ReceiptView:
    """收件: register an arbitration application and issue the 收件回执.

    《劳动争议调解仲裁法》第二十八条 (contents; an oral application is recorded
    by the commission), 办案规则 Art. 29 (UNVERIFIED): whatever is missing is
    listed at once in one 补正通知, and the case waits in 待补正. The five-day
    acceptance period (第二十九条) is tracked from the day of receipt and
    restarts when the application is completed.
    """
    with unit_of_work(db, actor, "arbitration.register") as uow:
        c = _receive(uow, actor, application, received_on=received_on, channel=channel,
                     applicant_side=applicant_side)
        warnings = rules.application_warnings(_as_application(c), _today(uow))
        _touch(uow, c, "receive", missing=len(c.missing_items), channel=channel)
        return _receipt(uow.s, c, warnings)


#: What the mediation module's hand-over dict may call a field, and the field it fills.
PREFILL_ALIASES = {
    "worker_residence": "worker_address", "worker_birth": "worker_birth_date", "birth_date": "worker_birth_date",
    "employer_legal_representative": "employer_legal_rep", "legal_representative": "employer_legal_rep",
    "employer_legal_rep_position": "employer_legal_rep_title", "facts": "facts_reasons",
    "facts_and_reasons": "facts_reasons",
}
_PREFILL_SOURCE_KEYS = {"source_case_id", "source_case_number", "case_id", "case_number", "source_kind",
                        "mediation_started_on", "failure_reason", "reason"}


def from_failed_mediation(db: Database, actor: Actor, prefill: Mapping[str, Any], *,
                          received_on: dt.date | None = None) -> ReceiptView:
    """A mediation that failed becomes an arbitration application, prefilled.

    《劳动争议调解仲裁法》第五条、第十四条第三款: when mediation fails (or no
    agreement within fifteen days) a party may apply for arbitration. The
    mediation module hands over a plain dict (worker name, sex, birth date,
    ID number, phone, address; employer name, address, legal representative;
    claims and facts; ``source_case_id`` / ``source_case_number``); what it
    does not know (occupation, mailing address, evidence ...) goes into the
    补正通知 like any other missing item.
    """
    data: dict[str, Any] = {}
    for key, value in prefill.items():
        if key in _PREFILL_SOURCE_KEYS or value in (None, ""):
            continue
        target = PREFILL_ALIASES.get(key, key)
        if target in APPLICATION_FIELDS:
            data[target] = value
    if isinstance(data.get("worker_birth_date"), dt.datetime):
        data["worker_birth_date"] = data["worker_birth_date"].date()
    claims = []
    for claim in data.get("claims") or []:
        if isinstance(claim, str):
            claim = {"kind": "other", "description": claim}
        claims.append(dict(claim))
    if claims:
        data["claims"] = claims
    source = {"kind": prefill.get("source_kind") or "mediation",
              "case_id": prefill.get("source_case_id", prefill.get("case_id")),
              "case_number": prefill.get("source_case_number", prefill.get("case_number")) or ""}
    if source["case_id"] is not None:
        try:
            source["case_id"] = int(source["case_id"])
        except (TypeError, ValueError):
            raise InvalidInput("调解案件编号应为整数") from None
    with unit_of_work(db, actor, "arbitration.register") as uow:
        c = _receive(uow, actor, data, received_on=received_on, channel="written", applicant_side="worker",
                     source=source)
        warnings = rules.application_warnings(_as_application(c), _today(uow))
        _touch(uow, c, "receive", missing=len(c.missing_items), source_case_id=c.source_case_id)
        return _receipt(uow.s, c, warnings)


def supplement(db: Database, actor: Actor, case_id: int, changes: Mapping[str, Any], *,
               on: dt.date | None = None) -> ReceiptView:
    """补正: the applicant completes or corrects the application.

    Complete now → back to 已收件 and the five-day acceptance period starts
    again from the day the materials came in (restart ``application_completed``;
    办案规则, UNVERIFIED). Still incomplete → a further notice lists what remains.
    """
    with unit_of_work(db, actor, "arbitration.register") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "补正日期")
        was = CaseState(c.state)
        if was not in (CaseState.SUPPLEMENT, CaseState.RECEIVED):
            raise Conflict(f"案件当前状态为“{was.label}”，不能再补正申请材料", state=c.state)
        _apply(c, changes, _today(uow))
        missing = rules.missing_items(_as_application(c), _today(uow))
        c.missing_items = missing
        if missing:
            _move(c, "request_supplement")
            c.supplement_notices = [*c.supplement_notices, {"on": day.isoformat(), "items": missing}]
            for row in _rows(uow, c, "labour.acceptance"):
                _stop_acceptance_clock(uow, row, day)
        else:
            _move(c, "supplement")
            if was is CaseState.SUPPLEMENT:
                c.supplemented_on = day
                for row in _rows(uow, c, "labour.acceptance"):
                    # the wait ends; the five days run afresh from the day the materials came in
                    row.suspensions = [[a, b or day.isoformat(), lab] for a, b, lab in row.suspensions]
                    row.restarts = [*row.restarts, [day.isoformat(), "application_completed"]]
                    row.label = ""
                    dl.recompute(uow, row)
        warnings = rules.application_warnings(_as_application(c), _today(uow))
        _touch(uow, c, "supplement", missing=len(missing))
        return _receipt(uow.s, c, warnings)


def accept(db: Database, actor: Actor, case_id: int, *, on: dt.date | None = None) -> CaseDetail:
    """受理: the case gets its 案号 and its clocks (第二十九条、第三十条、第三十二条、第四十三条)."""
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "受理日期")
        if c.missing_items:
            raise Conflict("申请材料尚待补正，不能受理：" + "、".join(c.missing_items))
        if day < c.received_on:
            raise InvalidInput("受理日期早于收件日期")
        _move(c, "accept")
        c.accepted_on = day
        c.year = day.year
        c.seq = next_number(uow, "arbitration.case", day.year)
        try:
            c.number = rules.format_case_number(_case_pattern(uow.s), day.year, c.seq)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        effects = _meet(uow, c, "labour.acceptance", day)
        for row in uow.s.execute(select(TrackedDeadline).where(
                TrackedDeadline.subject_type == SUBJECT, TrackedDeadline.subject_id == c.id)).scalars():
            row.case_number = c.number
        for code in ("labour.copy_to_respondent", "labour.tribunal_notice", "labour.award"):
            _track(uow, c, code, day)
        _touch(uow, c, "accept", effects=effects)
        case_id = c.id
    return _detail(db, actor, case_id)


def refuse(db: Database, actor: Actor, case_id: int, reasons: str, *, on: dt.date | None = None) -> CaseDetail:
    """不予受理: written notice with the reasons (第二十九条); the applicant may then sue."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput(f"不予受理应当说明理由（{rules.LAW}第二十九条）")
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "决定日期")
        _move(c, "refuse")
        c.refused_on = day
        c.refusal_reasons = reasons
        c.outcome, c.outcome_on = "refused", day
        _meet(uow, c, "labour.acceptance", day)
        ended = _end_case(uow, c, day, "不予受理")
        _touch(uow, c, "refuse", **ended)
        case_id = c.id
    return _detail(db, actor, case_id)


# -- service (送达回证)
def _both_served(uow: UnitOfWork, c: ArbitrationCase, kind: str, hearing_id: int | None = None) -> dt.date | None:
    """The day the last of the two parties got ``kind`` (None until both have)."""
    stmt = select(ServiceRecord.recipient_side, func.min(func.coalesce(ServiceRecord.sent_on, ServiceRecord.served_on)),
                  func.min(ServiceRecord.served_on)).where(
        ServiceRecord.case_id == c.id, ServiceRecord.document_kind == kind,
        ServiceRecord.recipient_side.in_(["applicant", "respondent"])).group_by(ServiceRecord.recipient_side)
    if hearing_id is not None:
        stmt = stmt.where(ServiceRecord.hearing_id == hearing_id)
    rows = uow.s.execute(stmt).all()
    if len(rows) < 2:
        return None
    return max(r[2] if kind == "hearing_notice" else r[1] for r in rows)


def _side_name(c: ArbitrationCase, side: str) -> str:
    worker_side = "applicant" if c.applicant_side == "worker" else "respondent"
    if side == worker_side:
        return c.worker_name
    if side in ("applicant", "respondent"):
        return c.employer_name
    return ""


def _record_service(uow: UnitOfWork, actor: Actor, c: ArbitrationCase, *, document_kind: str, recipient_side: str,
                    served_on: dt.date | None, method: str, signed_by: str, sent_on: dt.date | None,
                    recipient_name: str | None, hearing_id: int | None, note: str
                    ) -> tuple[ServiceRecord, list[str], list[str]]:
    if document_kind not in rules.DOCUMENT_KINDS:
        raise InvalidInput(f"未知的文书种类：{document_kind}")
    if recipient_side not in SIDES:
        raise InvalidInput(f"受送达人应为申请人、被申请人或者其他当事人（{recipient_side}）")
    if method not in METHODS:
        raise InvalidInput(f"未知的送达方式：{method}")
    served = _day(uow, served_on, "签收日期")
    sent = _day(uow, sent_on, "发出日期") if sent_on is not None else None
    if sent is not None and sent > served:
        raise InvalidInput("发出日期晚于签收日期")
    if c.received_on and served < c.received_on:
        raise InvalidInput("签收日期早于收件日期")
    act_day = sent or served
    effects: list[str] = []
    warnings: list[str] = []
    hearing = None
    if document_kind in ("hearing_notice", "postponement_notice"):
        if hearing_id is None:
            raise InvalidInput("开庭通知须指明开庭场次")
        hearing = uow.s.get(Hearing, hearing_id)
        if hearing is None or hearing.case_id != c.id:
            raise NotFound(f"本案没有编号为 {hearing_id} 的开庭")
    elif hearing_id is not None:
        raise InvalidInput("只有开庭通知、延期开庭通知须指明开庭场次")
    name = checked_name(recipient_name, what="受送达人", organisation=True, max_len=128) \
        or _side_name(c, recipient_side)
    signer = checked_name(signed_by, what="签收人") or name
    row = ServiceRecord(case_id=c.id, hearing_id=hearing_id, document_kind=document_kind,
                        document_title=rules.DOCUMENT_KINDS[document_kind], recipient_side=recipient_side,
                        recipient_name=_clean_len(name, 128, "受送达人"), method=method, sent_on=sent,
                        served_on=served, signed_by=_clean_len(signer, 64, "签收人"),
                        note=note or "", clerk_id=actor.user_id, created_at=uow.now)
    state = CaseState(c.state)

    if document_kind in ("response_notice", "application_copy"):
        if recipient_side != "respondent":
            raise InvalidInput("应诉通知书和仲裁申请书副本送达被申请人")
        if c.accepted_on is None:
            raise Conflict("案件尚未受理，不能送达仲裁申请书副本")
        if c.respondent_served_on is None:
            if state in (CaseState.ACCEPTED, CaseState.TRIBUNAL_FORMED):
                _move(c, "serve_respondent")
            elif state is not CaseState.SERVED:
                raise Conflict(f"案件当前状态为“{state.label}”，不能送达仲裁申请书副本")
            c.respondent_served_on = served
            effects += _meet(uow, c, "labour.copy_to_respondent", act_day)
            _track(uow, c, "labour.defence", served)
            effects.append(f"答辩期自{periods.cn_date(served)}（被申请人签收之日）起算")
    elif document_kind == "defence_copy":
        if recipient_side != "applicant":
            raise InvalidInput("答辩书副本送达申请人")
        effects += _meet(uow, c, "labour.defence_copy", act_day)
    elif document_kind == "tribunal_notice":
        uow.s.add(row)
        uow.s.flush()
        both = _both_served(uow, c, "tribunal_notice")
        if both is not None:
            effects += _meet(uow, c, "labour.tribunal_notice", both)
    elif document_kind == "hearing_notice":
        if hearing is None:   # found above: a hearing notice names its hearing
            raise InvalidInput("开庭通知须指明开庭场次")
        check = rules.check_hearing_notice(served, to_local(hearing.starts_at).date(), dl.calendar(uow.s))
        if not check.ok:
            warnings.append(check.message)
        uow.s.add(row)
        uow.s.flush()
        both = _both_served(uow, c, "hearing_notice", hearing.id)
        if both is not None and hearing.notice_deadline_id:
            d = uow.s.get(TrackedDeadline, hearing.notice_deadline_id)
            if d is not None and d.active and d.met_on is None:
                d.met_on = both
                dl.recompute(uow, d)
                effects.append(f"开庭通知：双方当事人均已于{periods.cn_date(both)}前收到")
    elif document_kind in AWARD_KINDS:
        if state not in (CaseState.AWARDED, CaseState.DEFAULT_AWARDED, CaseState.CLOSED) or \
                c.outcome not in ("award", "default_award"):
            raise Conflict("案件尚未作出裁决，不能送达裁决书")
        plan = {d["kind"]: d for d in (c.award_parts or {}).get("documents", [])}
        if not plan:
            raise Conflict("本案裁决书缺少第四十六条规定的内容，不能送达：请先补全裁决")
        if document_kind not in plan:
            raise InvalidInput(f"本案制作的裁决书是{'、'.join(d['title'] for d in plan.values())}，"
                               f"请选择其中一份登记送达")
        if recipient_side == "other":
            raise InvalidInput("裁决书的救济期限按申请人、被申请人分别起算，请选择申请人或者被申请人")
        already = uow.s.execute(select(func.count()).select_from(ServiceRecord).where(
            ServiceRecord.case_id == c.id, ServiceRecord.document_kind == document_kind,
            ServiceRecord.recipient_side == recipient_side)).scalar_one()
        if already:
            raise Conflict(f"{rules.DOCUMENT_KINDS[document_kind]}已送达{SIDES[recipient_side]}，"
                           "救济期限已自其签收之日起算")
        effects += _start_appeal_windows(uow, c, recipient_side, served, plan[document_kind])
    elif document_kind == "mediation_statement":
        if c.outcome != "mediation_statement":
            raise Conflict("案件尚未制作仲裁调解书")
        uow.s.add(row)
        uow.s.flush()
        both = _both_served(uow, c, "mediation_statement")
        if both is not None and c.outcome_effective_on is None:
            c.outcome_effective_on = both
            effects.append(f"仲裁调解书经双方当事人签收，于{periods.cn_date(both)}发生法律效力（{rules.LAW}第四十二条）")
    elif document_kind == "extension_notice":
        if c.award_extension:
            c.award_extension = {**c.award_extension, "notice_on": act_day.isoformat()}
    if row not in uow.s:
        uow.s.add(row)
    uow.s.flush()
    return row, effects, warnings


def _clean_len(text: str, limit: int, what: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise InvalidInput(f"{what}过长（最多{limit}字）")
    return text


AWARD_KINDS = ("award", "award_final", "award_nonfinal")


def _start_appeal_windows(uow: UnitOfWork, c: ArbitrationCase, side: str, served: dt.date,
                          document: Mapping[str, Any]) -> list[str]:
    """Art. 48-50: the windows of *this* award document run from the day *this* party received it."""
    any_final = bool(document.get("final"))
    any_nonfinal = not any_final
    worker_side = "applicant" if c.applicant_side == "worker" else "respondent"
    out = []
    started = []
    if any_final and side == worker_side:
        started.append(("labour.final_award_suit", "劳动者对终局裁决事项起诉"))
    if any_final and side != worker_side:
        started.append(("labour.set_aside", "用人单位申请撤销终局裁决"))
    if any_nonfinal:
        started.append(("labour.nonfinal_award_suit", f"{SIDES[side]}对非终局裁决事项起诉"))
    for code, label in started:
        if document.get("kind") != "award":
            label = f"{label}（{document.get('title')}）"
        _track(uow, c, code, served, label=label)
        out.append(f"{label}：自{periods.cn_date(served)}签收之日起算（{periods.rule(code).basis}）")
    return out


def record_service(db: Database, actor: Actor, case_id: int, *, document_kind: str, recipient_side: str,
                   served_on: dt.date | None = None, method: str = "direct", signed_by: str = "",
                   sent_on: dt.date | None = None, recipient_name: str | None = None,
                   hearing_id: int | None = None, note: str = "") -> ServiceResult:
    """送达回证: record who received which document, when and how.

    ``served_on`` is the date the recipient wrote on the receipt; periods
    that run from service start on it (答辩期, 起诉、申请撤销期限), and the
    commission's duties to serve or notify are marked met.
    """
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        row, effects, warnings = _record_service(
            uow, actor, c, document_kind=document_kind, recipient_side=recipient_side, served_on=served_on,
            method=method, signed_by=signed_by, sent_on=sent_on, recipient_name=recipient_name,
            hearing_id=hearing_id, note=note)
        _touch(uow, c, "service", document=document_kind, side=recipient_side, service_id=row.id)
        return ServiceResult(_service_view(row), effects, warnings)


def serve_respondent(db: Database, actor: Actor, case_id: int, *, served_on: dt.date | None = None,
                     method: str = "direct", signed_by: str = "", sent_on: dt.date | None = None,
                     note: str = "") -> ServiceResult:
    """送达应诉通知书和仲裁申请书副本 (第三十条第一款: within five days of acceptance).

    The respondent's receipt date starts its ten days to file a defence.
    """
    return record_service(db, actor, case_id, document_kind="response_notice", recipient_side="respondent",
                          served_on=served_on, method=method, signed_by=signed_by, sent_on=sent_on, note=note)


def record_defence(db: Database, actor: Actor, case_id: int, *, received_on: dt.date | None = None,
                   summary: str = "") -> CaseDetail:
    """收到答辩书 (第三十条第二款): its copy goes to the applicant within five days.

    A defence after the ten days is still received (the period shows 逾期完成);
    no defence at all does not stop the proceedings.
    """
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, received_on, "收到答辩书日期")
        if c.respondent_served_on is None:
            raise Conflict("仲裁申请书副本尚未送达被申请人")
        if c.defence_received_on is not None:
            raise Conflict("已收到过答辩书")
        if day < c.respondent_served_on:
            raise InvalidInput("收到答辩书的日期早于被申请人签收仲裁申请书副本的日期")
        _move(c, "record_defence")
        c.defence_received_on = day
        c.defence_summary = summary or ""
        effects = _meet(uow, c, "labour.defence", day)
        _track(uow, c, "labour.defence_copy", day)
        _touch(uow, c, "defence", effects=effects)
        case_id = c.id
    return _detail(db, actor, case_id)


# -- the tribunal
def _case_people(c: ArbitrationCase) -> list[rules.CasePerson]:
    worker_role = "applicant" if c.applicant_side == "worker" else "respondent"
    employer_role = "respondent" if worker_role == "applicant" else "applicant"
    people = [rules.CasePerson(c.worker_name, worker_role, c.worker_id_number or ""),
              rules.CasePerson(c.employer_name, employer_role)]
    if c.employer_legal_rep:
        people.append(rules.CasePerson(c.employer_legal_rep, "legal_rep"))
    for p in c.other_parties or []:
        if p.get("name"):
            people.append(rules.CasePerson(str(p["name"]), "other_party", str(p.get("id_number") or "")))
        if p.get("legal_rep"):
            people.append(rules.CasePerson(str(p["legal_rep"]), "legal_rep"))
    for a in c.agents or []:
        if a.get("name"):
            people.append(rules.CasePerson(str(a["name"]), "agent", str(a.get("id_number") or "")))
    return [p for p in people if p.name]


def _claims_total(c: ArbitrationCase) -> Decimal | None:
    total = Decimal(0)
    seen = False
    for claim in c.claims or []:
        if claim.get("amount") not in (None, ""):
            try:
                total += rmb.parse_amount(claim["amount"])
                seen = True
            except ValueError:
                pass
    return total if seen else None


class _Member(TypedDict):
    """An arbitrator of the tribunal being formed, as checked."""

    user_id: int | None
    name: str
    role: Any       # as given; the composition check reads it


def form_tribunal(db: Database, actor: Actor, case_id: int, members: Sequence[Mapping[str, Any]], *,
                  simplified: bool = False, facts_clear_and_minor: bool = False,
                  both_parties_agree: bool = False, exclusions: Sequence[str] = (),
                  declarations: Mapping[str, Sequence[Mapping[str, str]]] | None = None,
                  on: dt.date | None = None, notified_on: dt.date | None = None) -> CaseDetail:
    """组成仲裁庭: three arbitrators with a presiding one, or a sole arbitrator (第三十一条).

    A sole arbitrator needs a ground of simplified handling (办案规则 Art. 56,
    UNVERIFIED; the amount is compared with the province's previous-year
    average annual wage setting). Every arbitrator is checked against the
    recusal grounds of 第三十三条 (their own and the parties' declarations in
    ``declarations``, by arbitrator name). ``notified_on``: the composition
    notice (第三十二条) was sent that day; otherwise it is met when both
    parties' 送达回证 for ``tribunal_notice`` are recorded.
    """
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "组庭日期")
        cleaned: list[_Member] = []
        for m in members:
            user_id = m.get("user_id")
            name = checked_name(str(m.get("name") or ""), what="仲裁员姓名")
            if user_id is not None:
                u = uow.s.get(User, int(user_id))
                if u is None or not u.active:
                    raise NotFound(f"没有编号为 {user_id} 的在用账户")
                name = name or u.display_name
            cleaned.append({"user_id": int(user_id) if user_id is not None else None, "name": name,
                            "role": m.get("role")})
        try:
            rules.check_composition(cleaned, simplified)
        except rules.TribunalProblem as exc:
            raise InvalidInput(str(exc)) from None
        reason = ""
        if simplified:
            try:
                check = rules.simplified_allowed(
                    facts_clear_and_minor=facts_clear_and_minor, amount=_claims_total(c),
                    province_average_annual_wage=get_setting(uow.s, "rules.province_average_annual_wage"),
                    both_parties_agree=both_parties_agree, exclusions=exclusions)
            except ValueError as exc:
                raise InvalidInput(str(exc)) from None
            if not check.allowed:
                raise InvalidInput("不能简易处理：" + check.text)
            reason = check.text
        people = _case_people(c)
        conflicts: list[str] = []
        for m in cleaned:
            decl = tuple(rules.Declaration(str(d.get("ground", "")), str(d.get("person") or ""),
                                           str(d.get("detail") or ""))
                         for d in (declarations or {}).get(m["name"], ()))
            try:
                found = rules.recusal_conflicts(rules.Arbitrator(m["name"], declarations=decl), people)
            except ValueError as exc:
                raise InvalidInput(str(exc)) from None
            conflicts += [x.message for x in found]
        if conflicts:
            raise InvalidInput("；".join(conflicts))
        _move(c, "form_tribunal")
        for m in cleaned:
            uow.s.add(TribunalMember(case_id=c.id, user_id=m["user_id"], name=m["name"], role=m["role"],
                                     appointed_on=day, active=True))
        c.simplified = simplified
        c.simplified_reason = reason
        c.tribunal_formed_on = day
        effects = []
        if notified_on is not None:
            effects = _meet(uow, c, "labour.tribunal_notice", _day(uow, notified_on, "组庭通知日期"))
        _touch(uow, c, "tribunal", simplified=simplified, members=[m["name"] for m in cleaned], effects=effects)
        case_id = c.id
    return _detail(db, actor, case_id)


# -- hearings
def _room(uow: UnitOfWork, code: str) -> Room:
    room = uow.s.execute(uow.lock_for_update(select(Room).where(Room.code == code))).scalar_one_or_none()
    if room is None or not room.active:
        raise NotFound(f"没有代码为“{code}”的房间")
    if room.kind != "tribunal":
        raise InvalidInput(f"{room.name}不是仲裁庭，开庭须安排在仲裁庭")
    return room


def _check_free(uow: UnitOfWork, c: ArbitrationCase, room: Room, start: dt.datetime, end: dt.datetime,
                ignore: int | None = None) -> None:
    """No double booking of the tribunal room or of an arbitrator."""
    overlap = and_(Hearing.state == "scheduled", Hearing.starts_at < end, Hearing.ends_at > start)
    if ignore is not None:
        overlap = and_(overlap, Hearing.id != ignore)
    clash = uow.s.execute(select(Hearing, ArbitrationCase.number).join(
        ArbitrationCase, ArbitrationCase.id == Hearing.case_id).where(
        overlap, Hearing.room_id == room.id).limit(1)).first()
    if clash is not None:
        h, number = clash
        raise Conflict(f"{room.name}在{_span(h.starts_at, h.ends_at)}已安排{number or '其他案件'}开庭，不能重复安排")
    members = list(uow.s.execute(select(TribunalMember).where(
        TribunalMember.case_id == c.id, TribunalMember.active.is_(True))).scalars())
    ids = [m.user_id for m in members if m.user_id is not None]
    names = [m.name for m in members]
    for uid in sorted(ids):
        uow.s.execute(uow.lock_for_update(select(User.id).where(User.id == uid)))
    other = TribunalMember.__table__.alias("other_member")
    who = or_(other.c.user_id.in_(ids), other.c.name.in_(names)) if ids else other.c.name.in_(names)
    clash = uow.s.execute(select(other.c.name, Hearing.starts_at, Hearing.ends_at, ArbitrationCase.number)
                          .select_from(Hearing)
                          .join(other, other.c.case_id == Hearing.case_id)
                          .join(ArbitrationCase, ArbitrationCase.id == Hearing.case_id)
                          .where(overlap, other.c.active.is_(True), Hearing.case_id != c.id, who)
                          .limit(1)).first()
    if clash is not None:
        name, s, e, number = clash
        raise Conflict(f"仲裁员{name}在{_span(s, e)}已有{number or '其他案件'}开庭，不能同时安排")


def _span(start: dt.datetime, end: dt.datetime) -> str:
    a, b = to_local(start), to_local(end)
    return f"{periods.cn_date(a.date())}{a:%H:%M}—{b:%H:%M}"


def _new_hearing(uow: UnitOfWork, c: ArbitrationCase, *, starts_at: dt.datetime, ends_at: dt.datetime | None,
                 room_code: str, notice_served_on: dt.date | None, postponed_from: int | None = None,
                 ignore: int | None = None) -> Hearing:
    start = _moment(starts_at, "开庭时间")
    end = _moment(ends_at, "闭庭时间") if ends_at is not None else start + dt.timedelta(hours=DEFAULT_HEARING_HOURS)
    if end <= start:
        raise InvalidInput("闭庭时间应晚于开庭时间")
    if start <= uow.now:
        raise InvalidInput("开庭时间应晚于现在")
    day = local_day(start)
    served = _day(uow, notice_served_on, "开庭通知送达日期", future_ok=True)
    try:
        rules.require_hearing_notice(served, day, dl.calendar(uow.s))
    except rules.NoticeTooLate as exc:
        raise InvalidInput(f"开庭通知送达过晚，不能安排开庭：{exc}") from None
    room = _room(uow, room_code)
    _check_free(uow, c, room, start, end, ignore=ignore)
    h = Hearing(case_id=c.id, room_id=room.id, starts_at=start, ends_at=end, state="scheduled",
                notice_served_on=served, postponed_from_id=postponed_from, postponement={}, record_text="",
                created_at=uow.now)
    uow.s.add(h)
    uow.s.flush()
    n = uow.s.execute(select(func.count()).select_from(Hearing).where(Hearing.case_id == c.id)).scalar_one()
    h.notice_deadline_id = _track(uow, c, "labour.hearing_notice", day,
                                  label=f"第{n}次排期开庭（{_span(start, end)}）")
    return h


def schedule_hearing(db: Database, actor: Actor, case_id: int, starts_at: dt.datetime,
                     ends_at: dt.datetime | None = None, *, room_code: str = TRIBUNAL_ROOM,
                     notice_served_on: dt.date | None = None) -> HearingView:
    """安排开庭 in the tribunal room (第三十五条).

    The hearing notice must reach the parties at least five days before the
    hearing (rule ``labour.hearing_notice``, five clear days): a date that
    leaves less is refused with the rule's own message. ``notice_served_on``
    is the day the notice will be (or is) served, today by default. Neither
    the room nor an arbitrator of the tribunal may be booked twice.
    """
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        if c.respondent_served_on is None:
            raise Conflict("仲裁申请书副本尚未送达被申请人，不能安排开庭")
        _move(c, "schedule_hearing")
        h = _new_hearing(uow, c, starts_at=starts_at, ends_at=ends_at, room_code=room_code,
                         notice_served_on=notice_served_on)
        _touch(uow, c, "hearing.schedule", hearing_id=h.id)
        return _hearing_view(uow.s, h, c)


def postpone_hearing(db: Database, actor: Actor, case_id: int, hearing_id: int, *, requested_by: str,
                     reason: str, requested_on: dt.date | None = None, granted: bool = True,
                     new_starts_at: dt.datetime | None = None, new_ends_at: dt.datetime | None = None,
                     notice_served_on: dt.date | None = None) -> HearingView:
    """延期开庭 (第三十五条): a party may ask, with good reason, at least three days before.

    Whether to postpone is the commission's decision (``granted``); a party's
    request made later than the rule allows is refused with the rule's
    message. The tribunal may postpone of its own motion (``requested_by =
    "tribunal"``). A granted postponement with a new date schedules a new
    session (same checks as :func:`schedule_hearing`); without one the
    parties are told later (另行通知).
    """
    actor.require("arbitration.decide")  # before reading the input
    if requested_by not in ("applicant", "respondent", "tribunal"):
        raise InvalidInput("延期开庭请求人应为申请人、被申请人或者仲裁庭")
    if not (reason or "").strip():
        raise InvalidInput(f"请求延期开庭应当有正当理由（{rules.LAW}第三十五条）")
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        h = _hearing(uow, c, hearing_id)
        if h.state != "scheduled":
            raise Conflict("该次开庭不在待开庭状态，不能延期")
        day = _day(uow, requested_on, "请求日期")
        hearing_day = to_local(h.starts_at).date()
        if requested_by != "tribunal":
            check = rules.check_postponement_request(day, hearing_day, dl.calendar(uow.s))
            if not check.ok:
                raise InvalidInput(f"延期开庭请求提出过晚：{check.message}")
        record = {"requested_by": requested_by, "requested_on": day.isoformat(), "reason": reason.strip(),
                  "decision": "准许延期" if granted else "不准许延期", "decided_on": _today(uow).isoformat()}
        h.postponement = record
        if not granted:
            _touch(uow, c, "hearing.postpone", hearing_id=h.id, granted=False)
            return _hearing_view(uow.s, h, c)
        h.state = "postponed"
        if h.notice_deadline_id:
            d = uow.s.get(TrackedDeadline, h.notice_deadline_id)
            if d is not None and d.active:
                d.active = False
                uow.event("deadline.changed", deadline_id=d.id, case_number=d.case_number)
        room_code = _room_by_id(uow.s, h.room_id).code
        if new_starts_at is not None:
            _move(c, "postpone")
            new = _new_hearing(uow, c, starts_at=new_starts_at, ends_at=new_ends_at, room_code=room_code,
                               notice_served_on=notice_served_on, postponed_from=h.id)
            _touch(uow, c, "hearing.postpone", hearing_id=h.id, new_hearing_id=new.id, granted=True)
            return _hearing_view(uow.s, new, c)
        held_before = uow.s.execute(select(func.count()).select_from(Hearing).where(
            Hearing.case_id == c.id, Hearing.state == "held")).scalar_one()
        _move(c, "postpone_undated_after_session" if held_before else "postpone_undated")
        _touch(uow, c, "hearing.postpone", hearing_id=h.id, granted=True)
        return _hearing_view(uow.s, h, c)


def record_hearing(db: Database, actor: Actor, case_id: int, hearing_id: int, *, record_text: str,
                   applicant_present: bool = True, respondent_present: bool = True) -> HearingView:
    """庭审笔录 (第四十条): what was said at the session, and who came.

    An absent applicant may then be treated as withdrawing
    (:func:`deemed_withdrawn`), an absent respondent may be awarded against
    by default (第三十六条) — both only after a written notice was received.
    """
    if not (record_text or "").strip():
        raise InvalidInput(f"仲裁庭应当将开庭情况记入笔录（{rules.LAW}第四十条）")
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        h = _hearing(uow, c, hearing_id)
        if h.state != "scheduled":
            raise Conflict("该次开庭不在待开庭状态")
        if local_day(h.starts_at) > _today(uow):
            raise Conflict("开庭日尚未到，不能记录庭审")
        _move(c, "record_hearing")
        h.state = "held"
        h.record_text = record_text.strip()
        h.applicant_present, h.respondent_present = bool(applicant_present), bool(respondent_present)
        _touch(uow, c, "hearing.record", hearing_id=h.id, applicant_present=h.applicant_present,
               respondent_present=h.respondent_present)
        return _hearing_view(uow.s, h, c)


# -- the award period
def _award_row(uow: UnitOfWork, c: ArbitrationCase) -> TrackedDeadline:
    rows = _rows(uow, c, "labour.award")
    if not rows:
        raise Conflict("本案没有正在计算的仲裁审理期限")
    return rows[0]


def change_claims(db: Database, actor: Actor, case_id: int, claims: Sequence[Mapping[str, Any]], *,
                  on: dt.date | None = None, note: str = "") -> CaseDetail:
    """增加、变更仲裁请求: the 45-day award period starts again (办案规则 Art. 46, UNVERIFIED)."""
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "变更日期")
        _move(c, "change_claims")
        new_claims = _clean_list("claims", claims)
        problems = [m for m in rules.missing_items({**_as_application(c), "claims": new_claims}, _today(uow))
                    if "仲裁请求" in m]
        if problems:
            raise InvalidInput("仲裁请求不完整：" + "、".join(problems))
        c.claims = new_claims
        row = _award_row(uow, c)
        row.restarts = [*row.restarts, [day.isoformat(), "claims_changed"]]
        dl.recompute(uow, row)
        _touch(uow, c, "claims", note=note, award_due=row.due_date.isoformat())
        case_id = c.id
    return _detail(db, actor, case_id)


def restart_award_period(db: Database, actor: Actor, case_id: int, event_code: str, *,
                         on: dt.date | None = None) -> CaseDetail:
    """The award period starts again: party added, materials supplied, counter-claim merged, case transferred."""
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "重新计算日期")
        if CaseState(c.state) in rules.TERMINAL_OUTCOMES:
            raise Conflict("案件已结案，审理期限不再计算")
        row = _award_row(uow, c)
        try:
            periods.rule("labour.award").restart_event(event_code)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        row.restarts = [*row.restarts, [day.isoformat(), event_code]]
        dl.recompute(uow, row)
        _touch(uow, c, "award_period.restart", event=event_code, award_due=row.due_date.isoformat())
        case_id = c.id
    return _detail(db, actor, case_id)


def extend_award_period(db: Database, actor: Actor, case_id: int, *, approved_by: str, reason: str,
                        on: dt.date | None = None) -> CaseDetail:
    """延长审理期限 (第四十三条第一款): complex cases, approved by the commission's director,
    the parties told in writing; fifteen days at most, once.

    The written notice is a document: record its 送达回证 with
    ``document_kind="extension_notice"``.
    """
    if not (approved_by or "").strip():
        raise InvalidInput(f"延长审理期限须经劳动争议仲裁委员会主任批准（{rules.LAW}第四十三条）")
    if not (reason or "").strip():
        raise InvalidInput("请写明延期理由（案情复杂需要延期）")
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "批准日期")
        if CaseState(c.state) in rules.TERMINAL_OUTCOMES:
            raise Conflict("案件已结案，不能延长审理期限")
        row = _award_row(uow, c)
        ext = periods.rule("labour.award").extension
        if ext is None:
            raise Conflict("仲裁审理期限不能延长")
        if row.extensions >= ext.max_times:
            raise Conflict(f"{ext.basis}规定延长期限不得超过十五日，本案已延长过，不能再次延长")
        if day > row.due_date:
            raise Conflict(f"审理期限已于{periods.cn_date(row.due_date)}届满，不能再延长")
        original_due = row.due_date
        row.extensions += 1
        dl.recompute(uow, row)
        row.label = f"经仲裁委员会主任{approved_by.strip()}于{periods.cn_date(day)}批准延长十五日"
        c.award_extension = {"approved_by": approved_by.strip(), "reason": reason.strip(), "on": day.isoformat(),
                             "days": ext.length, "original_due": original_due.isoformat(),
                             "new_due": row.due_date.isoformat()}
        _touch(uow, c, "award_period.extend", approved_by=approved_by.strip(), award_due=row.due_date.isoformat())
        case_id = c.id
    return _detail(db, actor, case_id)


# -- outcomes
def close_by_mediation(db: Database, actor: Actor, case_id: int, *, terms: str,
                       on: dt.date | None = None) -> CaseDetail:
    """仲裁调解书 (第四十二条): states the claims and what the parties agreed.

    It takes effect when both parties have signed for it (record the two
    送达回证 with ``document_kind="mediation_statement"``); a party who backs
    out before that is handled by :func:`mediation_repudiated`.
    """
    if not (terms or "").strip():
        raise InvalidInput(f"调解书应当写明仲裁请求和当事人协议的结果（{rules.LAW}第四十二条）")
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "调解书日期")
        _move(c, "mediate")
        c.outcome, c.outcome_on, c.outcome_text = "mediation_statement", day, terms.strip()
        c.outcome_effective_on = None
        effects = _meet(uow, c, "labour.award", day)
        ended = _end_case(uow, c, day, "调解结案")
        _touch(uow, c, "mediate", effects=effects, **ended)
        case_id = c.id
    return _detail(db, actor, case_id)


def mediation_repudiated(db: Database, actor: Actor, case_id: int, *, side: str,
                         on: dt.date | None = None) -> CaseDetail:
    """A party backs out before the 调解书 is served: the tribunal must award promptly (第四十二条第四款)."""
    actor.require("arbitration.decide")  # before reading the input
    if side not in ("applicant", "respondent"):
        raise InvalidInput("反悔的一方应为申请人或者被申请人")
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "反悔日期")
        if c.outcome_effective_on is not None:
            raise Conflict("调解书已经双方签收并发生法律效力")
        _move(c, "mediation_repudiated")
        c.outcome, c.outcome_on, c.outcome_text = "", None, ""
        for row in uow.s.execute(select(TrackedDeadline).where(
                TrackedDeadline.subject_type == SUBJECT, TrackedDeadline.subject_id == c.id,
                TrackedDeadline.rule_code == "labour.award", TrackedDeadline.active.is_(True))).scalars():
            row.met_on = None
            dl.recompute(uow, row)
        _touch(uow, c, "mediation.repudiated", side=side, on=day.isoformat())
        case_id = c.id
    return _detail(db, actor, case_id)


def _notice_received(uow: UnitOfWork, c: ArbitrationCase, side: str, hearing: Hearing) -> dt.date | None:
    return uow.s.execute(select(func.min(ServiceRecord.served_on)).where(
        ServiceRecord.case_id == c.id, ServiceRecord.hearing_id == hearing.id,
        ServiceRecord.document_kind == "hearing_notice", ServiceRecord.recipient_side == side)).scalar_one()


def _absent_after_notice(uow: UnitOfWork, c: ArbitrationCase, side: str, hearing: Hearing, what: str) -> None:
    got = _notice_received(uow, c, side, hearing)
    if got is None:
        raise Conflict(f"{SIDES[side]}没有收到开庭书面通知的送达回证，不能{what}（{rules.LAW}第三十六条）")
    check = rules.check_hearing_notice(got, to_local(hearing.starts_at).date(), dl.calendar(uow.s))
    if not check.ok:
        raise Conflict(f"开庭通知未在开庭五日前送达{SIDES[side]}，不能{what}：{check.message}")


@dataclass(frozen=True)
class AwardPreview(JsonView):
    """What an award would be (before it is made): its documents and what it still lacks."""

    missing: list[str]
    classification: dict
    documents: list[dict]  # [{key, kind, title, indexes, result}]

    @property
    def complete(self) -> bool:
        return not self.missing


def _award_documents(claims: Sequence[Mapping[str, Any]], cls: rules.AwardClassification,
                     result: str) -> list[dict]:
    """One document, or two when the award has final and non-final items (第四十七条)."""
    if not cls.mixed:
        key = "final" if cls.any_final else "nonfinal"
        return [{"key": "single", "kind": "award", "final": key == "final",
                 "title": rules.DOCUMENT_KINDS["award"], "indexes": [c.index for c in cls.claims],
                 "result": result.strip() or _joined_results(claims, [c.index for c in cls.claims])}]
    out = []
    for key, final in (("final", True), ("nonfinal", False)):
        idx = [c.index for c in cls.claims if c.final is final]
        out.append({"key": key, "kind": f"award_{key}", "final": final,
                    "title": rules.DOCUMENT_KINDS[f"award_{key}"], "indexes": idx,
                    "result": _joined_results(claims, idx)})
    return out


def _joined_results(claims: Sequence[Mapping[str, Any]], indexes: Sequence[int]) -> str:
    return "\n".join(str(claims[i - 1].get("result") or "").strip() for i in indexes
                     if str(claims[i - 1].get("result") or "").strip())


def _merge_awarded(claims: list[dict], awarded: Sequence[Mapping[str, Any]]) -> list[dict]:
    claims = [dict(x) for x in claims]
    for item in awarded:
        try:
            i = int(item["index"])
        except (KeyError, TypeError, ValueError):
            raise InvalidInput("裁决事项须注明对应的仲裁请求序号（index）") from None
        if not 1 <= i <= len(claims):
            raise InvalidInput(f"没有第{i}项仲裁请求")
        if item.get("awarded") not in (None, ""):
            try:
                claims[i - 1]["awarded"] = str(rmb.parse_amount(item["awarded"]))
            except ValueError as exc:
                raise InvalidInput(f"第{i}项裁决金额：{exc}") from None
        if item.get("result") not in (None, ""):
            claims[i - 1]["result"] = str(item["result"]).strip()
    return claims


def _has_tribunal(s: Session, c: ArbitrationCase) -> bool:
    return s.execute(select(func.count()).select_from(TribunalMember).where(
        TribunalMember.case_id == c.id, TribunalMember.active.is_(True))).scalar_one() > 0


def _plan_award(s: Session, c: ArbitrationCase, *, result: str, reasons: str, facts_found: str, costs: str,
                awarded: Sequence[Mapping[str, Any]], day: dt.date | None) -> tuple[list[dict], Any, list[str]]:
    claims = _merge_awarded(list(c.claims), awarded)
    wage = get_setting(s, "rules.local_monthly_minimum_wage")
    try:
        cls = rules.classify_claims(claims, wage, applicant_is_worker=c.applicant_side == "worker")
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    per = {i: str(cl.get("result") or "") for i, cl in enumerate(claims, start=1)}
    missing = rules.award_missing(claims=claims, facts_found=facts_found, reasons=reasons, result=result,
                                  costs=costs, date=day, results_per_claim=per, split=cls.mixed,
                                  tribunal=_has_tribunal(s, c))
    return claims, cls, missing


def preview_award(db: Database, actor: Actor, case_id: int, *, result: str = "", reasons: str = "",
                  facts_found: str = "", costs: str = "", awarded: Sequence[Mapping[str, Any]] = (),
                  on: dt.date | None = None) -> AwardPreview:
    """The award as typed so far: its document(s) (two when 第四十七条 splits it) and what
    第四十六条 still requires. Nothing is written."""
    actor.require("arbitration.read")
    with db.read() as s:
        c = s.get(ArbitrationCase, case_id)
        if c is None:
            raise NotFound(f"没有编号为 {case_id} 的仲裁案件")
        day = on or local_day(db.clock.now())
        claims, cls, missing = _plan_award(s, c, result=result, reasons=reasons, facts_found=facts_found,
                                           costs=costs, awarded=awarded, day=day)
        return AwardPreview(missing=missing, classification=cls.to_json(),
                            documents=_award_documents(claims, cls, result))


def _award_gaps(uow: UnitOfWork, c: ArbitrationCase) -> list[str]:
    parts = dict(c.award_parts or {})
    per = {i: str(cl.get("result") or "") for i, cl in enumerate(c.claims, start=1)}
    return rules.award_missing(claims=c.claims, facts_found=parts.get("facts_found", ""),
                               reasons=c.outcome_reasons, result=c.outcome_text, costs=parts.get("costs", ""),
                               date=c.outcome_on, results_per_claim=per,
                               split=bool((c.classification or {}).get("mixed")),
                               tribunal=_has_tribunal(uow.s, c))


def _award_printable(c: ArbitrationCase) -> bool:
    parts = dict(c.award_parts or {})
    return bool(parts.get("documents")) and bool(parts.get("facts_found")) and bool(parts.get("costs"))


def award(db: Database, actor: Actor, case_id: int, *, result: str = "", reasons: str,
          facts_found: str = "", costs: str = "", awarded: Sequence[Mapping[str, Any]] = (),
          on: dt.date | None = None, default: bool = False) -> CaseDetail:
    """裁决 (第四十六条): the claims, the facts found, the reasons, the result, the costs and the date.

    Refused, naming every missing part, when any is missing (see
    :func:`preview_award`). ``awarded``: per claim (``index`` from 1) the
    amount decided and its result text. Each claim is classified final or not
    (第四十七条) against twelve months of the local monthly minimum wage
    (setting ``rules.local_monthly_minimum_wage``); when some items are final
    and others not, two awards are made — one of the final items, one of the
    others — each claim then needs its own result, and each document is served
    on its own (``award_final`` / ``award_nonfinal``) and starts its own
    appeal windows (第四十八条至第五十条). ``default``: 缺席裁决 — the
    respondent received the written notice and did not come (第三十六条第二款).
    """
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "裁决日期")
        if default:
            held = uow.s.execute(select(Hearing).where(
                Hearing.case_id == c.id, Hearing.state == "held", Hearing.respondent_present.is_(False))
                .order_by(Hearing.starts_at.desc())).scalars().first()
            if held is None:
                raise Conflict("没有被申请人缺席的庭审记录，不能缺席裁决")
            _absent_after_notice(uow, c, "respondent", held, "缺席裁决")
        claims, cls, missing = _plan_award(uow.s, c, result=result, reasons=reasons, facts_found=facts_found,
                                           costs=costs, awarded=awarded, day=day)
        if missing:
            raise InvalidInput("裁决书缺少：" + "；".join(missing))
        _move(c, "default_award" if default else "award")
        docs_plan = _award_documents(claims, cls, result)
        c.claims = claims
        c.classification = cls.to_json()
        c.outcome = "default_award" if default else "award"
        c.outcome_on, c.outcome_reasons = day, reasons.strip()
        c.outcome_text = result.strip() or "\n".join(d["result"] for d in docs_plan)
        c.award_parts = {"facts_found": facts_found.strip(), "costs": costs.strip(), "documents": docs_plan}
        # 第四十七条: a final award is effective from the day it is made.
        c.outcome_effective_on = day if cls.any_final and not cls.any_nonfinal else None
        effects = _meet(uow, c, "labour.award", day)
        ended = _end_case(uow, c, day, "已作出裁决", keep=PARTY_WINDOWS)
        _touch(uow, c, "award", classification=cls.label, default=default, effects=effects,
               documents=[d["kind"] for d in docs_plan], **ended)
        case_id = c.id
    return _detail(db, actor, case_id)


# -- recusal of an arbitrator after the tribunal is formed (第三十三条)
def apply_recusal(db: Database, actor: Actor, case_id: int, *, member: str, ground: str, applied_by: str,
                  detail: str = "", oral: bool = False, on: dt.date | None = None) -> CaseDetail:
    """A party (or the arbitrator) asks that an arbitrator withdraw (第三十三条): recorded
    with its ground; the decision follows with :func:`decide_recusal`."""
    actor.require("arbitration.decide")  # before looking at the input
    if ground not in rules.RECUSAL_GROUNDS:
        raise InvalidInput(f"回避事由应为{LAW_GROUNDS}之一")
    if applied_by not in ("applicant", "respondent", "arbitrator"):
        raise InvalidInput("回避申请人应为申请人、被申请人或者仲裁员本人")
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "申请日期")
        _move(c, "apply_recusal")
        m = uow.s.execute(select(TribunalMember).where(
            TribunalMember.case_id == c.id, TribunalMember.active.is_(True),
            TribunalMember.name == (member or "").strip())).scalars().first()
        if m is None:
            raise NotFound(f"本案仲裁庭没有仲裁员“{member}”")
        open_ = [r for r in (c.recusals or []) if not r.get("decided_on") and r.get("member") == m.name]
        if open_:
            raise Conflict(f"对仲裁员{m.name}的回避申请尚未决定")
        g = rules.RECUSAL_GROUNDS[ground]
        entry = {"member": m.name, "role": m.role, "ground": ground, "ground_text": g.text, "basis": g.basis,
                 "applied_by": applied_by, "applied_on": day.isoformat(), "detail": _clean_len(detail, 500, "说明"),
                 "oral": bool(oral)}
        c.recusals = [*(c.recusals or []), entry]
        _touch(uow, c, "recusal.apply", member=m.name, ground=ground)
        case_id = c.id
    return _detail(db, actor, case_id)


LAW_GROUNDS = "、".join(g.code for g in rules.RECUSAL_GROUNDS.values())


def decide_recusal(db: Database, actor: Actor, case_id: int, *, member: str, granted: bool, decided_by: str,
                   reason: str, replacement: str = "", replacement_user_id: int | None = None,
                   on: dt.date | None = None) -> CaseDetail:
    """The commission's decision on a recusal application (第三十三条; decided by the
    commission's chair, 办案规则 Art. 11, UNVERIFIED). Granted: the arbitrator leaves
    the tribunal and ``replacement`` takes the same seat; the composition notice is
    due again (第三十二条) and a hearing already scheduled keeps its date only if the
    new tribunal can sit. The 45-day period runs on: no provision suspends it."""
    if not (decided_by or "").strip():
        raise InvalidInput("请写明作出回避决定的人（仲裁委员会主任）")
    if not (reason or "").strip():
        raise InvalidInput("请写明回避决定的理由")
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "决定日期")
        _move(c, "decide_recusal")
        entries = [dict(r) for r in (c.recusals or [])]
        pending = [r for r in entries if r.get("member") == (member or "").strip() and not r.get("decided_on")]
        if not pending:
            raise Conflict(f"没有对仲裁员“{member}”待决定的回避申请")
        entry = pending[-1]
        if day < dt.date.fromisoformat(entry["applied_on"]):
            raise InvalidInput("决定日期早于申请日期")
        entry.update(decided_on=day.isoformat(), decision="granted" if granted else "refused",
                     decided_by=decided_by.strip(), reason=reason.strip())
        effects = []
        if granted:
            new_name = checked_name(replacement, what="替换的仲裁员姓名")
            if replacement_user_id is not None:
                u = uow.s.get(User, int(replacement_user_id))
                if u is None or not u.active:
                    raise NotFound(f"没有编号为 {replacement_user_id} 的在用账户")
                new_name = new_name or u.display_name
            if not new_name:
                raise InvalidInput("回避申请成立的，须指定替换的仲裁员")
            old = uow.s.execute(select(TribunalMember).where(
                TribunalMember.case_id == c.id, TribunalMember.active.is_(True),
                TribunalMember.name == entry["member"])).scalars().first()
            if old is None:
                raise NotFound(f"本案仲裁庭没有仲裁员“{entry['member']}”")
            if new_name in {m.name for m in uow.s.execute(select(TribunalMember).where(
                    TribunalMember.case_id == c.id, TribunalMember.active.is_(True))).scalars()}:
                raise InvalidInput(f"{new_name}已是本案仲裁庭成员")
            found = rules.recusal_conflicts(rules.Arbitrator(new_name), _case_people(c))
            if found:
                raise InvalidInput("；".join(x.message for x in found))
            old.active = False
            uow.s.add(TribunalMember(case_id=c.id, user_id=replacement_user_id, name=new_name, role=old.role,
                                     appointed_on=day, active=True))
            entry["replacement"] = new_name
            _track(uow, c, "labour.tribunal_notice", day, label=f"仲裁员{entry['member']}回避，{new_name}替换后书面通知")
            effects.append(f"仲裁员{entry['member']}回避，由{new_name}担任{_ROLE_LABELS.get(old.role, old.role)}；"
                           "仲裁庭组成情况须重新书面通知当事人（第三十二条）")
        c.recusals = entries
        _touch(uow, c, "recusal.decide", member=entry["member"], granted=granted, effects=effects)
        case_id = c.id
    return _detail(db, actor, case_id)


def withdraw(db: Database, actor: Actor, case_id: int, *, reason: str = "", on: dt.date | None = None) -> CaseDetail:
    """撤回仲裁申请 (第四十一条: e.g. after a settlement); the commission's periods stop."""
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "撤回日期")
        _move(c, "withdraw")
        c.outcome, c.outcome_on, c.outcome_reasons = "withdrawn", day, (reason or "").strip()
        ended = _end_case(uow, c, day, "撤回仲裁申请")
        _touch(uow, c, "withdraw", **ended)
        case_id = c.id
    return _detail(db, actor, case_id)


def deemed_withdrawn(db: Database, actor: Actor, case_id: int, hearing_id: int, *, reason: str = "",
                     on: dt.date | None = None) -> CaseDetail:
    """视为撤回仲裁申请 (第三十六条第一款): the applicant received the written notice
    and, without good reason, did not come (or left without leave)."""
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "决定日期")
        h = _hearing(uow, c, hearing_id)
        if local_day(h.starts_at) > _today(uow):
            raise Conflict("开庭日尚未到")
        if h.state == "held" and h.applicant_present:
            raise Conflict("庭审笔录记载申请人到庭，不能视为撤回")
        if h.state not in ("held", "scheduled"):
            raise Conflict("该次开庭已延期或取消")
        _absent_after_notice(uow, c, "applicant", h, "视为撤回仲裁申请")
        _move(c, "deem_withdrawn")
        if h.state == "scheduled":
            h.state, h.applicant_present = "held", False
            h.record_text = h.record_text or "申请人经书面通知，无正当理由拒不到庭。"
        c.outcome, c.outcome_on = "deemed_withdrawn", day
        c.outcome_reasons = (reason or "").strip() or "申请人收到书面通知，无正当理由拒不到庭"
        ended = _end_case(uow, c, day, "视为撤回仲裁申请", spare_hearing=h.id)
        _touch(uow, c, "deemed_withdrawn", hearing_id=h.id, **ended)
        case_id = c.id
    return _detail(db, actor, case_id)


def close_case(db: Database, actor: Actor, case_id: int, *, on: dt.date | None = None) -> CaseDetail:
    """结案归档. The parties' appeal windows stay on the board until they run out."""
    with unit_of_work(db, actor, "arbitration.decide") as uow:
        c = _case(uow, case_id)
        day = _day(uow, on, "归档日期")
        _move(c, "close")
        if c.outcome in ("award", "default_award") and not _award_printable(c):
            raise Conflict("裁决书尚不完整，不能以裁决结案归档：" + "、".join(_award_gaps(uow, c)))
        c.closed_on = day
        ended = _end_case(uow, c, day, "结案归档", keep=PARTY_WINDOWS)
        _touch(uow, c, "close", **ended)
        case_id = c.id
    return _detail(db, actor, case_id)


# ===================================================================== reads
def _next_due_subquery():
    return (select(func.min(TrackedDeadline.due_date))
            .where(TrackedDeadline.subject_type == SUBJECT, TrackedDeadline.subject_id == ArbitrationCase.id,
                   TrackedDeadline.active.is_(True), TrackedDeadline.met_on.is_(None))
            .correlate(ArbitrationCase).scalar_subquery())


def arbitration_register(db: Database, actor: Actor, query: str = "", limit: int = 50,
                         after: int | None = None, *, state: str | None = None) -> list[CaseRow]:
    """The register of cases, newest first, with the next due date of each.

    ``query`` matches the 案号 or 收件号, the worker's or the employer's name
    (any part). Keyset paging: pass the last row's ``id`` as ``after``.
    """
    actor.require("arbitration.read")
    stmt = select(ArbitrationCase.id, ArbitrationCase.number, ArbitrationCase.receipt_number,
                  ArbitrationCase.state, ArbitrationCase.worker_name, ArbitrationCase.employer_name,
                  ArbitrationCase.received_on, ArbitrationCase.accepted_on, ArbitrationCase.simplified,
                  _next_due_subquery().label("next_due"))
    q = (query or "").strip()
    if q:
        like = f"%{q.replace(chr(92), chr(92) * 2).replace('%', chr(92) + '%').replace('_', chr(92) + '_')}%"
        stmt = stmt.where(or_(ArbitrationCase.number == q, ArbitrationCase.receipt_number == q,
                              ArbitrationCase.worker_name.like(like, escape="\\"),
                              ArbitrationCase.employer_name.like(like, escape="\\"),
                              ArbitrationCase.number.like(like, escape="\\")))
    if state:
        try:
            CaseState(state)
        except ValueError:
            raise InvalidInput(f"未知的案件状态：{state}") from None
        stmt = stmt.where(ArbitrationCase.state == state)
    if after is not None:
        stmt = stmt.where(ArbitrationCase.id < after)
    stmt = stmt.order_by(ArbitrationCase.id.desc()).limit(max(1, min(int(limit), 500)))
    with db.read() as s:
        return [CaseRow(id=r.id, number=r.number or "", receipt_number=r.receipt_number, state=r.state,
                        state_label=CaseState(r.state).label, worker_name=r.worker_name,
                        employer_name=r.employer_name, received_on=r.received_on, accepted_on=r.accepted_on,
                        simplified=r.simplified, next_due=r.next_due)
                for r in s.execute(stmt)]


def find_case(db: Database, actor: Actor, number: str) -> int:
    """The id of the case with this 案号 or 收件号."""
    actor.require("arbitration.read")
    with db.read() as s:
        cid = s.execute(select(ArbitrationCase.id).where(or_(
            ArbitrationCase.number == number.strip(), ArbitrationCase.receipt_number == number.strip()))
        ).scalar_one_or_none()
    if cid is None:
        raise NotFound(f"没有案号或收件号为“{number}”的仲裁案件")
    return cid


def arbitration_detail(db: Database, actor: Actor, case: int | str) -> CaseDetail:
    """Everything about one case (by id, 案号 or 收件号), with its deadlines."""
    actor.require("arbitration.read")
    case_id = case if isinstance(case, int) else find_case(db, actor, case)
    return _detail(db, actor, case_id)


def _service_view(r: ServiceRecord) -> ServiceView:
    return ServiceView(id=r.id, document_kind=r.document_kind, document_title=r.document_title,
                       recipient_side=r.recipient_side, recipient_name=r.recipient_name, method=r.method,
                       method_label=METHODS.get(r.method, r.method), sent_on=r.sent_on, served_on=r.served_on,
                       signed_by=r.signed_by, hearing_id=r.hearing_id, note=r.note)


def _room_by_id(s: Session, room_id: int) -> Room:
    room = s.get(Room, room_id)
    if room is None:
        raise NotFound(f"没有编号为 {room_id} 的房间")
    return room


def _hearing_view(s: Session, h: Hearing, c: ArbitrationCase, room: Room | None = None) -> HearingView:
    room = room or _room_by_id(s, h.room_id)
    day = to_local(h.starts_at).date()
    latest = periods.latest_allowed(periods.rule("labour.hearing_notice"), day, dl.calendar(s))
    return HearingView(id=h.id, case_id=c.id, case_number=_label(c), room_code=room.code, room_name=room.name,
                       starts_at=as_utc(h.starts_at), ends_at=as_utc(h.ends_at), state=h.state,
                       notice_served_on=h.notice_served_on, notice_latest=latest,
                       postponed_from_id=h.postponed_from_id, postponement=dict(h.postponement or {}),
                       record_text=h.record_text, applicant_present=h.applicant_present,
                       respondent_present=h.respondent_present)


_ROLE_LABELS = {"presiding": "首席仲裁员", "member": "仲裁员", "sole": "独任仲裁员"}


def _detail(db: Database, actor: Actor, case_id: int) -> CaseDetail:
    see_id = actor.may("visitor.see_id_number")
    with db.read() as s:
        c = s.get(ArbitrationCase, case_id)
        if c is None:
            raise NotFound(f"没有编号为 {case_id} 的仲裁案件")
        members = [MemberView(m.name, m.role, _ROLE_LABELS.get(m.role, m.role), m.user_id)
                   for m in s.execute(select(TribunalMember).where(
                       TribunalMember.case_id == c.id, TribunalMember.active.is_(True))
                       .order_by(TribunalMember.id)).scalars()]
        hearings = [_hearing_view(s, h, c, room) for h, room in s.execute(
            select(Hearing, Room).join(Room, Room.id == Hearing.room_id)
            .where(Hearing.case_id == c.id).order_by(Hearing.starts_at, Hearing.id)).all()]
        services = [_service_view(r) for r in s.execute(select(ServiceRecord).where(
            ServiceRecord.case_id == c.id).order_by(ServiceRecord.served_on, ServiceRecord.id)).scalars()]
        worker = {
            "name": c.worker_name, "sex": c.worker_sex, "birth_date": c.worker_birth_date,
            "id_number": c.worker_id_number if see_id else mask_id_number(c.worker_id_number, visible_tail=4),
            "ethnicity": c.worker_ethnicity, "occupation": c.worker_occupation, "employer": c.worker_employer,
            "address": c.worker_address, "mailing_address": c.worker_mailing_address,
            "phone": c.worker_phone if see_id else mask_phone(c.worker_phone),
        }
        employer = {"name": c.employer_name, "credit_code": c.employer_credit_code,
                    "address": c.employer_address, "legal_rep": c.employer_legal_rep,
                    "legal_rep_title": c.employer_legal_rep_title, "phone": c.employer_phone}
        detail = CaseDetail(
            id=c.id, number=c.number or "", receipt_number=c.receipt_number, state=c.state,
            state_label=CaseState(c.state).label, allowed_actions=rules.allowed_actions(c.state),
            channel=c.channel, applicant_side=c.applicant_side, worker=worker, employer=employer,
            other_parties=list(c.other_parties), agents=list(c.agents), claims=list(c.claims),
            facts_reasons=c.facts_reasons, evidence=list(c.evidence), witnesses=list(c.witnesses),
            received_on=c.received_on, missing_items=list(c.missing_items),
            supplement_notices=list(c.supplement_notices), accepted_on=c.accepted_on, refused_on=c.refused_on,
            refusal_reasons=c.refusal_reasons, source_kind=c.source_kind, source_case_id=c.source_case_id,
            source_case_number=c.source_case_number, respondent_served_on=c.respondent_served_on,
            defence_received_on=c.defence_received_on, simplified=c.simplified,
            simplified_reason=c.simplified_reason, tribunal=members, hearings=hearings, services=services,
            classification=dict(c.classification or {}), award_extension=dict(c.award_extension or {}),
            outcome=c.outcome, outcome_on=c.outcome_on, outcome_text=c.outcome_text,
            outcome_reasons=c.outcome_reasons, outcome_effective_on=c.outcome_effective_on,
            closed_on=c.closed_on, id_number_masked=bool(c.worker_id_number) and not see_id,
            award_parts=dict(c.award_parts or {}), recusals=list(c.recusals or []))
    return replace(detail, deadlines=dl.list_deadlines(db, when="all", subject=(SUBJECT, case_id)))


# ================================================================= documents
def _money(value: Any) -> ClaimAmount | None:
    if value in (None, ""):
        return None
    try:
        amount = rmb.parse_amount(value)
    except ValueError:
        return ClaimAmount(figures=str(value), words="")
    return ClaimAmount(figures=rmb.figures(amount), words=rmb.capitals(amount))


def _txt(value: Any) -> str:
    return "" if value is None else str(value)


def _iso(value: Any) -> dt.date | None:
    """A date as stored in a case's JSON (``2026-11-26``), or None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _fact_party(p: Mapping[str, Any]) -> ArbitrationParty:
    """A party as recorded; a record with a credit code or a legal representative is an organisation."""
    return ArbitrationParty(
        name=_txt(p.get("name")),
        organisation="credit_code" in p or "legal_rep" in p or p.get("kind") == "organisation",
        sex=_txt(p.get("sex")), ethnicity=_txt(p.get("ethnicity")), birth_date=_iso(p.get("birth_date")),
        occupation=_txt(p.get("occupation")),
        work_unit=_txt(p.get("employer")).strip() or _txt(p.get("work_unit")),
        address=_txt(p.get("address")), mailing_address=_txt(p.get("mailing_address")),
        phone=_txt(p.get("phone")), id_number=_txt(p.get("id_number")), credit_code=_txt(p.get("credit_code")),
        legal_rep=_txt(p.get("legal_rep")), legal_rep_title=_txt(p.get("legal_rep_title")))


def _fact_agent(a: Mapping[str, Any]) -> ArbitrationAgent:
    return ArbitrationAgent(
        name=_txt(a.get("name")), acts_for=str(a.get("side") or a.get("for") or ""),
        statutory=a.get("kind") in ("legal", "statutory"),
        description=str(a.get("work_unit") or a.get("relation") or ""),
        authority=str(a.get("authority") or a.get("scope_label") or ""), phone=_txt(a.get("phone")))


def _wall_time(moment: dt.datetime) -> dt.datetime:
    return to_local(moment).replace(second=0, microsecond=0)


def _fact_hearing(h: HearingView, *, record: bool = False) -> HearingFacts:
    return HearingFacts(id=h.id, starts_at=_wall_time(h.starts_at), ends_at=_wall_time(h.ends_at),
                        room=h.room_name, state=h.state,
                        record_text=(h.record_text or "") if record else "",
                        applicant_present=h.applicant_present if record else None,
                        respondent_present=h.respondent_present if record else None)


def document_facts(db: Database, actor: Actor, case_id: int, kind: str, *,
                   hearing_id: int | None = None, recusal: int | None = None) -> ArbitrationFacts:
    """The typed facts of a clerk's document of ``kind``, as the actor may see the case.

    ``kind`` is a key of :data:`hall.domain.arbitration.DOCUMENT_KINDS`. The
    facts hold the centre's profile, the numbers, both parties as the document
    prints them (the full ID number only for a role that may see it), the
    claims with amounts in figures and in capitals, and the parts of the
    document itself (a hearing, the award or one part of a split award, the
    extension, the recusal decision, ...). ``hearing_id`` picks the hearing
    (default: the last), ``recusal`` the recusal application (default: the
    last decided).
    """
    actor.require("arbitration.read")
    if kind not in rules.DOCUMENT_KINDS:
        raise InvalidInput(f"未知的文书种类：{kind}（可用：{'、'.join(rules.DOCUMENT_KINDS)}）")
    d = _detail(db, actor, case_id)
    with db.read() as s:
        profile = CentreProfile.from_mapping(_profile(s))
        today = local_day(db.clock.now())
    claims = tuple(ArbitrationClaim(
        index=i, kind=str(cl.get("kind") or ""),
        kind_label=rules.CLAIM_KINDS.get(cl.get("kind") or "other", rules.CLAIM_KINDS["other"]).label,
        description=_txt(cl.get("description", "")), amount=_money(cl.get("amount")),
        awarded=_money(cl.get("awarded")), result=_txt(cl.get("result", "")))
        for i, cl in enumerate(d.claims, start=1))
    law = rules.LAW
    basis = ""
    parts: dict[str, Any] = {}
    if kind == "receipt":
        parts["receipt"] = ReceiptFacts(
            materials=tuple(["仲裁申请书"] + [_txt(e.get("name", "")) for e in d.evidence]),
            missing_items=tuple(str(x) for x in d.missing_items))
    elif kind == "supplement_notice":
        last = d.supplement_notices[-1] if d.supplement_notices else {"on": None, "items": []}
        parts["correction"] = CorrectionFacts(items=tuple(str(i) for i in last["items"] or ()),
                                              notice_on=_iso(last["on"]))
        basis = f"{law}第二十八条；{rules.RULES_2017}第二十九条（一次性告知需要补正的全部材料）"
    elif kind == "acceptance_notice":
        basis = f"{law}第二十九条"
    elif kind == "refusal_notice":
        parts["refusal"] = RefusalFacts(refused_on=d.refused_on, reasons=d.refusal_reasons or "")
        basis = f"{law}第二十九条"
    elif kind in ("response_notice", "application_copy"):
        basis = f"{law}第三十条"
    elif kind == "defence_copy":
        basis = f"{law}第三十条第二款"
    elif kind == "tribunal_notice":
        basis = f"{law}第三十一条、第三十二条"
    elif kind in ("hearing_notice", "postponement_notice", "hearing_record"):
        hs = [h for h in d.hearings if hearing_id is None or h.id == hearing_id]
        if not hs:
            raise NotFound("本案没有该次开庭")
        h = hs[-1]
        parts["hearing"] = _fact_hearing(h, record=kind == "hearing_record")
        if kind == "hearing_notice":
            basis = f"{law}第三十五条、第三十六条"
        elif kind == "postponement_notice":
            previous = next((x for x in d.hearings if x.id == h.postponed_from_id), None)
            record = dict((previous.postponement if previous else h.postponement) or {})
            parts["postponement"] = PostponementFacts(
                previous_starts_at=None if previous is None else _wall_time(previous.starts_at),
                requested_by=_txt(record.get("requested_by")), reason=_txt(record.get("reason")),
                decision=_txt(record.get("decision")), decided_on=_iso(record.get("decided_on")))
            basis = f"{law}第三十五条"
        else:
            parts["recorder"] = actor.display_name or actor.username
            basis = f"{law}第四十条"
    elif kind == "extension_notice":
        ext = d.award_extension or {}
        approved_on, new_due = _iso(ext.get("on")), _iso(ext.get("new_due"))
        if ext.get("approved_by") and approved_on is not None and new_due is not None:
            parts["extension"] = ExtensionFacts(
                approved_by=str(ext["approved_by"]), approved_on=approved_on, reason=_txt(ext.get("reason")),
                days=int(ext.get("days") or 15), original_due=_iso(ext.get("original_due")), new_due=new_due)
        basis = f"{law}第四十三条第一款"
    elif kind == "mediation_statement":
        parts["settlement"] = SettlementFacts(terms=d.outcome_text or "", made_on=d.outcome_on)
        basis = f"{law}第四十二条"
    elif kind in AWARD_KINDS:
        cls = d.classification or {}
        plan = {x["kind"]: x for x in (d.award_parts or {}).get("documents", [])}
        doc = plan.get(kind)
        if doc is None and kind != "award":
            raise Conflict(f"本案没有{rules.DOCUMENT_KINDS[kind]}（裁决未按终局、非终局事项拆分）")
        final = bool(doc["final"]) if doc else bool(cls.get("any_final")) and not cls.get("any_nonfinal")
        if doc and doc["kind"] != "award":
            keep = set(doc["indexes"])
            claims = tuple(cl for cl in claims if cl.index in keep)
        award_parts = d.award_parts or {}
        parts["award"] = AwardFacts(
            made_on=d.outcome_on, result=str((doc or {}).get("result") or d.outcome_text or ""),
            reasons=d.outcome_reasons or "", facts_found=_txt(award_parts.get("facts_found", "")),
            costs=_txt(award_parts.get("costs", "")), final=final,
            part_label=("终局裁决事项" if final else "非终局裁决事项") if doc and doc["kind"] != "award" else "",
            choose_part=kind == "award" and doc is None and {"award_final", "award_nonfinal"} <= set(plan),
            defence_summary=_defence_summary(db, case_id), default=d.outcome == "default_award")
        basis = f"{law}第四十六条、第四十七条"
    elif kind == "recusal_decision":
        decided = [r for r in (d.recusals or []) if r.get("decided_on")]
        if recusal is not None:
            decided = [r for i, r in enumerate(d.recusals or []) if i == recusal and r.get("decided_on")]
        r = dict(decided[-1]) if decided else {}
        decided_on, applied_on = _iso(r.get("decided_on")), _iso(r.get("applied_on"))
        if r and decided_on is not None and applied_on is not None:
            role_label = _ROLE_LABELS.get(r.get("role", ""), "仲裁员")
            parts["recusal"] = RecusalFacts(
                member=str(r["member"]), role_label=role_label,
                applied_by_label={"applicant": "申请人", "respondent": "被申请人",
                                  "arbitrator": f"{role_label}本人"}.get(r.get("applied_by", ""), ""),
                applied_on=applied_on, ground_text=_txt(r.get("ground_text")), basis=_txt(r.get("basis")),
                granted=r.get("decision") == "granted", reason=_txt(r.get("reason")),
                decided_by=_txt(r.get("decided_by")), decided_on=decided_on, replacement=_txt(r.get("replacement")))
        basis = f"{law}第三十三条"
    elif kind == "oral_application_record":
        with db.read() as s:
            received_at = _stored_case(s, case_id).received_at
        parts["received_at"] = to_local(received_at)
        basis = f"{law}第二十八条第三款"
    elif kind == "withdrawal_decision":
        absent = [h for h in d.hearings if h.state == "held" and h.applicant_present is False]
        served = [sv.served_on for sv in d.services if sv.document_kind == "hearing_notice"
                  and sv.recipient_side == "applicant" and absent and sv.hearing_id == absent[-1].id]
        parts["withdrawal"] = WithdrawalFacts(
            outcome=d.outcome or "", decided_on=d.outcome_on, reasons=d.outcome_reasons or "",
            hearing_on=to_local(absent[-1].starts_at).date() if absent else None,
            notice_served_on=min(served) if served else None)
        basis = f"{law}第三十六条第一款" if d.outcome == "deemed_withdrawn" else f"{law}第四十一条"
    return ArbitrationFacts(
        profile=profile, kind=kind, title=rules.DOCUMENT_KINDS[kind], basis=basis,
        case_number=d.number, receipt_number=d.receipt_number, date=today,
        applicant_side="worker" if d.applicant_side == "worker" else "employer",
        worker=_fact_party(d.worker), employer=_fact_party(d.employer),
        other_parties=tuple(_fact_party(p) for p in d.other_parties if isinstance(p, Mapping)),
        agents=tuple(_fact_agent(a) for a in d.agents if isinstance(a, Mapping)),
        claims=claims, facts_reasons=d.facts_reasons or "",
        evidence=tuple(EvidenceItem(name=str(e.get("name") or ""), source=str(e.get("source") or ""),
                                    purpose=str(e.get("purpose") or "")) for e in d.evidence),
        witnesses=tuple(WitnessItem(name=str(w.get("name") or ""), address=str(w.get("address") or ""))
                        for w in d.witnesses),
        received_on=d.received_on, accepted_on=d.accepted_on,
        tribunal=tuple(Arbitrator(name=str(m.name), role=m.role) for m in d.tribunal),
        simplified=d.simplified, channel=d.channel or "", **parts)


def _stored_case(s: Session, case_id: int) -> ArbitrationCase:
    c = s.get(ArbitrationCase, case_id)
    if c is None:
        raise NotFound(f"没有编号为 {case_id} 的仲裁案件")
    return c


def _defence_summary(db: Database, case_id: int) -> str:
    with db.read() as s:
        return _stored_case(s, case_id).defence_summary or ""
