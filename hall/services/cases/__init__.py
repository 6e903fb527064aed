"""People's mediation cases: registration, parties, referrals, mediators, search.

One function per user action at a window or in a mediation room, each in one
transaction with its permission check, audit row, event (``case.*``) and a
line in the case's timeline (the 调解工作记录 of 人民调解法第二十七条).

The rules (categories, state machine, party checks, recusal) are in
``hall.domain.cases``; sessions, bookings and agreements are in
``hall.services.mediation``; the views every one of them returns are here.

Privacy: ID numbers never go into audit rows, events or timeline text; views
carry them masked unless the actor may see them (``visitor.see_id_number``).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hall.domain import cases as rules
from hall.domain import money as rmb
from hall.domain.cases import (
    AgentInput,
    CaseAction,
    CaseState,
    Category,
    PartyInput,
    PersonRef,
    ReferralKind,
    ReferralState,
    RiskLevel,
    Side,
    Source,
)
from hall.domain.clock import as_utc, local_day
from hall.domain.identity import check_phone
from hall.domain.masking import mask_id_number
from hall.domain.names import stored_keys
from hall.domain.roles import Role, parse_roles
from hall.domain.search import classify_query, pinyin_full, pinyin_initials
from hall.store.case_models import (
    Agreement,
    AgreementSignoff,
    AgreementTerm,
    Case,
    CaseAgent,
    CaseCounter,
    CaseFile,
    CaseMediator,
    CaseParty,
    CaseTimelineEntry,
    FollowUp,
    MediationSession,
    MediatorProfile,
    Referral,
    RoomBooking,
    SessionParticipant,
    SessionRecording,
)
from hall.store.db import Database
from hall.store.models import Room, Service, Ticket, User, Visitor

from .. import deadlines as dl
from ..base import Actor, Conflict, InvalidInput, NotFound, UnitOfWork, checked_id_and_phone, unit_of_work
from ..base import centre_profile_in as _profile
from ..base import uow_today as _today
from ..views import JsonView

__all__ = [
    "AgentView", "AgreementView", "BookingView", "CaseDetail", "CaseFileView", "CasePage",
    "CaseRow", "CaseView", "FollowUpView", "IntakeHistory", "MediatorChangeView", "ParticipantView",
    "PartyView", "RecordingView", "RecusalCheck", "ReferralRequest", "ReferralView", "SessionView",
    "SignoffView", "TermView", "TimelineView",
    "register_case", "intake_history", "accept_case", "decline_case", "start_mediation",
    "update_case", "record_timeline", "flag_police", "add_party", "update_party", "remove_party",
    "add_agent", "update_agent", "remove_agent", "refer", "arrange_referral",
    "complete_referral", "cancel_referral", "list_referrals", "assign_mediator",
    "check_recusal", "request_another_mediator", "set_mediator_identity", "transfer_case",
    "close_case", "search_cases", "list_cases", "case_detail", "case_by_number", "get_case",
    "ImportReport", "ImportRejected", "import_cases",
]

#: How much of an ID number a role without ``visitor.see_id_number`` sees.
ID_TAIL_SHOWN = 4
#: Shortest phone fragment searched by its start (a shorter one matches too
#: much of a large hall to be worth an index read).
MIN_PHONE_PREFIX = 7
#: Shortest name or pinyin searched by its start; shorter ones match exactly.
MIN_NAME_PREFIX = 2


# ====================================================================== views
@dataclass(frozen=True)
class AgentView(JsonView):
    id: int
    party_id: int
    name: str
    id_number: str          # masked unless the actor may see it
    phone: str
    relation: str
    scope: str
    scope_label: str
    authorisation: str
    active: bool = True


@dataclass(frozen=True)
class PartyView(JsonView):
    id: int
    case_id: int
    side: str
    side_label: str
    kind: str
    kind_label: str
    name: str
    sex: str | None = None
    ethnicity: str | None = None
    birth_date: dt.date | None = None
    id_number: str = ""     # masked unless the actor may see it
    id_number_masked: bool = False
    credit_code: str | None = None
    occupation: str | None = None
    address: str | None = None
    phone: str | None = None
    legal_rep: str | None = None
    legal_rep_title: str | None = None
    visitor_id: int | None = None
    active: bool = True
    warnings: tuple[str, ...] = ()
    agents: list[AgentView] = field(default_factory=list)


@dataclass(frozen=True)
class CaseView(JsonView):
    id: int
    number: str
    category: str
    category_label: str
    subcategory: str | None
    subcategory_label: str
    source: str
    source_label: str
    risk: str
    risk_label: str
    police_flag: bool
    police_note: str
    facts: str
    claims: str
    state: str
    state_label: str
    state_reason: str
    transfer_target: str
    ticket_id: int | None
    registered_by_name: str
    mediator_id: int | None
    mediator_name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    accepted_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    allowed_actions: tuple[str, ...] = ()
    parties: list[PartyView] = field(default_factory=list)


@dataclass(frozen=True)
class CaseRow(JsonView):
    """One case in a search result or a list."""

    id: int
    number: str
    category_label: str
    state: str
    state_label: str
    registered_on: dt.date
    parties: str               # "张三、李四 / 某公司"
    mediator_name: str
    risk: str
    police_flag: bool


@dataclass(frozen=True)
class CasePage(JsonView):
    rows: list[CaseRow]
    next_after: int | None     # pass as ``after`` for the next page; None: last page
    matched_by: str = ""
    note: str = ""


@dataclass(frozen=True)
class TimelineView(JsonView):
    id: int
    at: dt.datetime
    kind: str
    text: str
    actor_name: str


@dataclass(frozen=True)
class ReferralView(JsonView):
    id: int
    case_id: int | None
    case_number: str
    visitor_id: int | None
    ticket_id: int | None
    batch: str
    target_kind: str
    target_kind_label: str
    target: str
    target_label: str
    reason: str
    scheduled_for: dt.datetime | None
    booking_id: int | None
    state: str
    state_label: str
    outcome_note: str
    created_at: dt.datetime


@dataclass(frozen=True)
class ReferralRequest:
    """One place a visitor is sent: ``("counselling", "r_counsel", "情绪激动")``."""

    target_kind: str
    target: str
    reason: str = ""
    scheduled_for: dt.datetime | None = None


@dataclass(frozen=True)
class MediatorChangeView(JsonView):
    mediator_id: int
    mediator_name: str
    assigned_at: dt.datetime
    released_at: dt.datetime | None
    release_reason: str
    requested_by_party: str


@dataclass(frozen=True)
class RecusalCheck(JsonView):
    mediator_id: int
    mediator_name: str
    conflicted: bool
    reasons: tuple[str, ...]
    identity_on_file: bool     # False: no ID number/phone on file, only names were compared
    replaced_at_party_request: bool = False


@dataclass(frozen=True)
class BookingView(JsonView):
    id: int
    room_code: str
    room_name: str
    case_id: int
    case_number: str
    start: dt.datetime
    end: dt.datetime
    mediator_id: int | None
    mediator_name: str
    state: str
    note: str


@dataclass(frozen=True)
class ParticipantView(JsonView):
    id: int
    session_id: int
    role: str
    role_label: str
    name: str
    party_id: int | None
    agent_id: int | None
    user_id: int | None
    presence: str
    presence_label: str
    remote_location: str
    identity_method: str | None
    identity_label: str
    identity_checked_at: dt.datetime | None
    consent_to_recording: bool | None
    consent_asked_at: dt.datetime | None
    joined_at: dt.datetime
    left_at: dt.datetime | None


@dataclass(frozen=True)
class RecordingView(JsonView):
    id: int
    session_id: int
    started_at: dt.datetime
    stopped_at: dt.datetime | None
    stop_reason: str
    file_id: int | None


@dataclass(frozen=True)
class SessionView(JsonView):
    id: int
    case_id: int
    mode: str
    mode_label: str
    public: bool
    room_code: str
    room_name: str
    booking_id: int | None
    mediator_name: str
    recorder_name: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    rights_notice_given: bool
    rights_notice_at: dt.datetime | None
    minutes: dict
    minutes_version: int
    minutes_saved_at: dt.datetime | None
    outcome: str | None
    outcome_label: str
    recording: bool
    participants: list[ParticipantView] = field(default_factory=list)
    recordings: list[RecordingView] = field(default_factory=list)


@dataclass(frozen=True)
class CaseFileView(JsonView):
    id: int
    case_id: int
    session_id: int | None
    sha256: str
    size: int
    original_name: str
    media_type: str
    kind: str
    description: str
    added_at: dt.datetime


@dataclass(frozen=True)
class TermView(JsonView):
    id: int
    position: int
    content: str
    obligor_party_id: int | None
    obligor_name: str
    obligee_party_id: int | None
    obligee_name: str
    amount: Decimal | None
    amount_figures: str
    amount_capitals: str
    method: str
    due_date: dt.date | None

    def to_json(self) -> dict:
        out = super().to_json()
        out["amount"] = None if self.amount is None else str(self.amount)
        return out


@dataclass(frozen=True)
class SignoffView(JsonView):
    signer_key: str
    signer_kind: str
    signer_label: str
    party_id: int | None
    by_name: str
    method: str
    signed_at: dt.datetime


@dataclass(frozen=True)
class FollowUpView(JsonView):
    id: int
    agreement_id: int
    at: dt.datetime
    by_name: str
    method: str
    method_label: str
    performance: str
    performance_label: str
    note: str


@dataclass(frozen=True)
class AgreementView(JsonView):
    id: int
    case_id: int
    case_number: str
    version: int
    state: str
    state_label: str
    oral: bool
    liability: str
    facts: str
    text: str | None
    text_sha256: str | None
    copies: int
    supersedes_id: int | None
    correction_reason: str
    created_at: dt.datetime
    effective_at: dt.datetime | None
    effective_on: dt.date | None
    terms: list[TermView] = field(default_factory=list)
    signoffs: list[SignoffView] = field(default_factory=list)
    missing_signoffs: tuple[str, ...] = ()
    follow_ups: list[FollowUpView] = field(default_factory=list)

    def to_json(self) -> dict:
        out = super().to_json()
        out["terms"] = [t.to_json() for t in self.terms]
        return out


@dataclass(frozen=True)
class CaseDetail(JsonView):
    case: CaseView
    referrals: list[ReferralView] = field(default_factory=list)
    bookings: list[BookingView] = field(default_factory=list)
    sessions: list[SessionView] = field(default_factory=list)
    agreements: list[AgreementView] = field(default_factory=list)
    files: list[CaseFileView] = field(default_factory=list)
    timeline: list[TimelineView] = field(default_factory=list)
    mediators: list[MediatorChangeView] = field(default_factory=list)
    deadlines: list[Any] = field(default_factory=list)

    def to_json(self) -> dict:
        out = super().to_json()
        out["agreements"] = [a.to_json() for a in self.agreements]
        out["deadlines"] = [d.to_json() for d in self.deadlines]
        return out


@dataclass(frozen=True)
class IntakeHistory(JsonView):
    """What the hall already knows of someone registering a dispute."""

    visitors: list[Any] = field(default_factory=list)   # hall.services.visitors.VisitorHistory
    cases: list[CaseRow] = field(default_factory=list)


# ==================================================================== helpers
def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    return as_utc(moment) if moment is not None else None


def _mask(idn: str | None, see: bool) -> str:
    if not idn:
        return ""
    return idn if see else mask_id_number(idn, visible_tail=ID_TAIL_SHOWN)


def _invalid(exc: Exception) -> InvalidInput:
    return InvalidInput(str(exc))


def _parse(cls, value, what: str):
    try:
        return cls.parse(value, what)
    except ValueError as exc:
        raise _invalid(exc) from None


def _case(uow: UnitOfWork, case_id: int, *, lock: bool = True) -> Case:
    stmt = select(Case).where(Case.id == case_id)
    if lock:
        stmt = uow.lock_for_update(stmt)
    c = uow.s.execute(stmt).scalar_one_or_none()
    if c is None:
        raise NotFound(f"没有编号为 {case_id} 的调解案件")
    return c


def _expect_open(c: Case, doing: str) -> None:
    if not CaseState(c.state).is_open:
        raise Conflict(f"案件{c.number}当前状态为“{CaseState(c.state).label}”，不能{doing}")


def _move(uow: UnitOfWork, c: Case, action: CaseAction) -> CaseState:
    try:
        new = rules.transition(c.state, action)
    except rules.IllegalTransition as exc:
        raise Conflict(f"案件{c.number}：{exc}", state=c.state, action=action.value) from None
    c.state = new.value
    c.updated_at = uow.now
    return new


def timeline(uow: UnitOfWork, case_id: int, kind: str, text: str) -> CaseTimelineEntry:
    """Append a line to the case's timeline (every action on a case does)."""
    a = uow.actor
    row = CaseTimelineEntry(case_id=case_id, at=uow.now, kind=kind, text=text,
                            actor_id=a.user_id if a else None,
                            actor_name=(a.display_name or a.username) if a else "")
    uow.s.add(row)
    return row


def case_event(uow: UnitOfWork, name: str, c: Case, **extra: Any) -> None:
    """An event about a case: number and state only, never a name or ID number."""
    uow.event(name, case_id=c.id, number=c.number, state=c.state, **extra)


def _user_names(s: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(s.execute(select(User.id, User.display_name).where(User.id.in_(wanted))).all())


def case_pattern(s: Session) -> str:
    return _profile(s).get("mediation_case_pattern") or rules.DEFAULT_CASE_PATTERN


def committee_name(s: Session) -> str:
    p = _profile(s)
    return p.get("mediation_committee") or (p.get("name", "") + "人民调解委员会")


#: The largest sequence number of a case in a year (an imported number beyond
#: it would make the year's counter overflow on PostgreSQL's integer).
CASE_SEQ_MAX = 999_999


def _next_seq(uow: UnitOfWork, year: int) -> int:
    """Allocate the next case number of ``year`` in this transaction (the
    counter row is the lock point, as for ticket numbers)."""
    ins = (postgresql.insert if uow.db.is_postgres else sqlite.insert)(CaseCounter)
    stmt = ins.values(year=year, last_seq=1).on_conflict_do_update(
        index_elements=[CaseCounter.year], set_={"last_seq": CaseCounter.last_seq + 1},
    ).returning(CaseCounter.last_seq)
    return uow.s.execute(stmt).scalar_one()


def _checked_party(p: PartyInput, today: dt.date) -> tuple[PartyInput, tuple[str, ...]]:
    res = rules.check_party(p, today)
    if not res.ok:
        raise InvalidInput("；".join(res.errors), errors=list(res.errors))
    return res.party, res.warnings


def _link_visitor(s: Session, p: PartyInput) -> int | None:
    """The visitor record of a party: given, or found by ID number, or by name and phone."""
    if p.visitor_id:
        if s.get(Visitor, p.visitor_id) is None:
            raise NotFound(f"没有编号为 {p.visitor_id} 的来访人")
        return p.visitor_id
    if p.kind != rules.PartyKind.PERSON.value:
        return None
    if p.id_number:
        vid = s.execute(select(Visitor.id).where(Visitor.id_number == p.id_number)).scalar_one_or_none()
        if vid:
            return vid
    if p.name and p.phone:
        return s.execute(select(Visitor.id).where(Visitor.name == p.name, Visitor.phone == p.phone,
                                                  Visitor.merged_into_id.is_(None))
                         .order_by(Visitor.id.desc()).limit(1)).scalar_one_or_none()
    return None


def _insert_party(uow: UnitOfWork, case_id: int, p: PartyInput, position: int) -> CaseParty:
    initials, pinyin = stored_keys(pinyin_initials(p.name), pinyin_full(p.name))
    row = CaseParty(case_id=case_id, position=position, side=p.side, kind=p.kind, name=p.name,
                    name_initials=initials, name_pinyin=pinyin,
                    sex=p.sex, ethnicity=p.ethnicity, birth_date=p.birth_date, id_number=p.id_number,
                    credit_code=p.credit_code, occupation=p.occupation, address=p.address, phone=p.phone,
                    legal_rep=p.legal_rep, legal_rep_title=p.legal_rep_title,
                    visitor_id=_link_visitor(uow.s, p), active=True)
    uow.s.add(row)
    uow.s.flush()
    for a in p.agents:
        _insert_agent(uow, row, a)
    return row


def _insert_agent(uow: UnitOfWork, party: CaseParty, a: AgentInput) -> CaseAgent:
    row = CaseAgent(case_id=party.case_id, party_id=party.id, name=a.name, id_number=a.id_number,
                    phone=a.phone, relation=a.relation, scope=a.scope, authorisation=a.authorisation,
                    active=True)
    uow.s.add(row)
    uow.s.flush()
    return row


def _mediator_user(s: Session, user_id: int) -> User:
    u = s.get(User, user_id)
    if u is None or not u.active:
        raise NotFound(f"没有编号为 {user_id} 的在岗工作人员")
    roles = parse_roles(u.roles)
    if Role.MEDIATOR not in roles:
        raise InvalidInput(f"{u.display_name}不是调解员，不能主持调解")
    return u


def _people_of_case(s: Session, case_id: int) -> list[PersonRef]:
    out = []
    for p in s.execute(select(CaseParty).where(CaseParty.case_id == case_id,
                                               CaseParty.active.is_(True))).scalars():
        out.append(PersonRef(p.name, p.id_number, p.phone, Side(p.side).label))
    rows = s.execute(select(CaseAgent, CaseParty.name).join(CaseParty, CaseParty.id == CaseAgent.party_id)
                     .where(CaseAgent.case_id == case_id, CaseAgent.active.is_(True))).all()
    for a, owner in rows:
        out.append(PersonRef(a.name, a.id_number, a.phone, f"{owner}的代理人"))
    return out


def _recusal(s: Session, case_id: int, user: User) -> RecusalCheck:
    prof = s.get(MediatorProfile, user.id)
    me = PersonRef(user.display_name, prof.id_number if prof else None, prof.phone if prof else None)
    reasons = rules.recusal_conflicts(me, _people_of_case(s, case_id))
    replaced = s.execute(select(CaseMediator.id).where(
        CaseMediator.case_id == case_id, CaseMediator.mediator_id == user.id,
        CaseMediator.requested_by_party_id.is_not(None))).first() is not None
    return RecusalCheck(user.id, user.display_name, bool(reasons), tuple(reasons),
                        bool(prof and (prof.id_number or prof.phone)), replaced)


def _assign(uow: UnitOfWork, c: Case, user: User, reason: str = "") -> None:
    check = _recusal(uow.s, c.id, user)
    if check.replaced_at_party_request:
        raise Conflict(f"当事人已申请更换调解员{user.display_name}，不能再指派其调解本案")
    if check.conflicted:
        raise Conflict(f"调解员{user.display_name}应当回避：{'；'.join(check.reasons)}",
                       reasons=list(check.reasons))
    _release(uow, c, "改派" if not reason else reason)
    c.mediator_id = user.id
    c.updated_at = uow.now
    uow.s.add(CaseMediator(case_id=c.id, mediator_id=user.id, assigned_at=uow.now,
                           assigned_by=uow.actor.user_id if uow.actor else None, release_reason=""))


def _release(uow: UnitOfWork, c: Case, reason: str, party_id: int | None = None) -> None:
    if c.mediator_id is None:
        return
    row = uow.s.execute(select(CaseMediator).where(
        CaseMediator.case_id == c.id, CaseMediator.mediator_id == c.mediator_id,
        CaseMediator.released_at.is_(None)).order_by(CaseMediator.id.desc()).limit(1)).scalar_one_or_none()
    if row is not None:
        row.released_at = uow.now
        row.release_reason = reason
        row.requested_by_party_id = party_id
    elif party_id is not None:  # assigned before history was kept (imported)
        uow.s.add(CaseMediator(case_id=c.id, mediator_id=c.mediator_id, assigned_at=c.created_at,
                               released_at=uow.now, release_reason=reason,
                               requested_by_party_id=party_id))
    c.mediator_id = None


# ============================================================ view building
def _party_warnings(p: CaseParty, mediator: PersonRef | None) -> tuple[str, ...]:
    out = []
    if p.kind == rules.PartyKind.ORGANISATION.value:
        if p.credit_code:
            from hall.domain.identity import check_credit_code

            cc = check_credit_code(p.credit_code)
            if not cc.ok:
                out.append(cc.warning)
        if not p.legal_rep:
            out.append("未填写法定代表人（主要负责人）")
    if mediator is not None:
        out += [f"回避：{r}" for r in rules.recusal_conflicts(mediator, [PersonRef(p.name, p.id_number, p.phone)])]
    return tuple(out)


def _agent_view(a: CaseAgent, see: bool) -> AgentView:
    return AgentView(a.id, a.party_id, a.name, _mask(a.id_number, see), a.phone or "", a.relation,
                     a.scope, rules.AgentScope(a.scope).label, a.authorisation, a.active)


def _party_view(p: CaseParty, agents: list[CaseAgent], see: bool,
                mediator: PersonRef | None = None) -> PartyView:
    return PartyView(
        id=p.id, case_id=p.case_id, side=p.side, side_label=Side(p.side).label, kind=p.kind,
        kind_label=rules.PartyKind(p.kind).label, name=p.name, sex=p.sex, ethnicity=p.ethnicity,
        birth_date=p.birth_date, id_number=_mask(p.id_number, see),
        id_number_masked=bool(p.id_number) and not see, credit_code=p.credit_code,
        occupation=p.occupation, address=p.address, phone=p.phone, legal_rep=p.legal_rep,
        legal_rep_title=p.legal_rep_title, visitor_id=p.visitor_id, active=p.active,
        warnings=_party_warnings(p, mediator),
        agents=[_agent_view(a, see) for a in agents if a.party_id == p.id])


def _mediator_ref(s: Session, mediator_id: int | None) -> PersonRef | None:
    if not mediator_id:
        return None
    u = s.get(User, mediator_id)
    prof = s.get(MediatorProfile, mediator_id)
    if u is None:
        return None
    return PersonRef(u.display_name, prof.id_number if prof else None, prof.phone if prof else None)


def load_parties(s: Session, case_id: int, see: bool, *, include_inactive: bool = False,
                 mediator_id: int | None = None) -> list[PartyView]:
    stmt = select(CaseParty).where(CaseParty.case_id == case_id)
    if not include_inactive:
        stmt = stmt.where(CaseParty.active.is_(True))
    parties = list(s.execute(stmt.order_by(CaseParty.position, CaseParty.id)).scalars())
    astmt = select(CaseAgent).where(CaseAgent.case_id == case_id)
    if not include_inactive:
        astmt = astmt.where(CaseAgent.active.is_(True))
    agents = list(s.execute(astmt.order_by(CaseAgent.id)).scalars())
    med = _mediator_ref(s, mediator_id)
    return [_party_view(p, agents, see, med) for p in parties]


def _case_view(s: Session, c: Case, see: bool, *, include_inactive: bool = False) -> CaseView:
    names = _user_names(s, [c.registered_by, c.mediator_id])
    cat = Category(c.category)
    return CaseView(
        id=c.id, number=c.number, category=c.category, category_label=cat.label,
        subcategory=c.subcategory, subcategory_label=rules.subcategory_label(cat, c.subcategory),
        source=c.source, source_label=Source(c.source).label, risk=c.risk,
        risk_label=RiskLevel(c.risk).label, police_flag=c.police_flag, police_note=c.police_note,
        facts=c.facts, claims=c.claims, state=c.state, state_label=CaseState(c.state).label,
        state_reason=c.state_reason, transfer_target=c.transfer_target, ticket_id=c.ticket_id,
        registered_by_name=names.get(c.registered_by, "") if c.registered_by else "",
        mediator_id=c.mediator_id, mediator_name=names.get(c.mediator_id, "") if c.mediator_id else "",
        created_at=_utc(c.created_at), updated_at=_utc(c.updated_at), accepted_at=_utc(c.accepted_at),
        closed_at=_utc(c.closed_at),
        allowed_actions=tuple(a.value for a in rules.allowed_actions(c.state)),
        parties=load_parties(s, c.id, see, include_inactive=include_inactive, mediator_id=c.mediator_id))


def _case_rows(s: Session, ids: Sequence[int]) -> list[CaseRow]:
    """Rows for ``ids``, in that order: two queries whatever the page size."""
    if not ids:
        return []
    cases = {c.id: c for c in s.execute(select(Case).where(Case.id.in_(ids))).scalars()}
    names: dict[int, dict[str, list[str]]] = {}
    for cid, side, name in s.execute(select(CaseParty.case_id, CaseParty.side, CaseParty.name).where(
            CaseParty.case_id.in_(ids), CaseParty.active.is_(True)).order_by(CaseParty.position, CaseParty.id)):
        names.setdefault(cid, {}).setdefault(side, []).append(name)
    users = _user_names(s, [c.mediator_id for c in cases.values()])
    out = []
    for cid in ids:
        c = cases.get(cid)
        if c is None:
            continue
        by_side = names.get(cid, {})
        groups = ["、".join(by_side[sd.value]) for sd in Side if by_side.get(sd.value)]
        out.append(CaseRow(c.id, c.number, Category(c.category).label, c.state, CaseState(c.state).label,
                           local_day(_utc(c.created_at)), " / ".join(groups),
                           users.get(c.mediator_id, "") if c.mediator_id else "", c.risk, c.police_flag))
    return out


def _timeline_views(s: Session, case_id: int) -> list[TimelineView]:
    return [TimelineView(t.id, _utc(t.at), t.kind, t.text, t.actor_name) for t in s.execute(
        select(CaseTimelineEntry).where(CaseTimelineEntry.case_id == case_id).order_by(CaseTimelineEntry.id)).scalars()]


def referral_view(r: Referral, case_number: str = "") -> ReferralView:
    kind = ReferralKind(r.target_kind)
    return ReferralView(r.id, r.case_id, case_number, r.visitor_id, r.ticket_id, r.batch, r.target_kind,
                        kind.label, r.target, r.target_label, r.reason, _utc(r.scheduled_for), r.booking_id,
                        r.state, ReferralState(r.state).label, r.outcome_note, _utc(r.created_at))


def booking_views(s: Session, where) -> list[BookingView]:
    rows = s.execute(select(RoomBooking, Room.code, Room.name, Case.number, User.display_name)
                     .join(Room, Room.id == RoomBooking.room_id)
                     .join(Case, Case.id == RoomBooking.case_id)
                     .outerjoin(User, User.id == RoomBooking.mediator_id)
                     .where(where).order_by(RoomBooking.start, RoomBooking.id)).all()
    return [BookingView(b.id, code, name, b.case_id, number, _utc(b.start), _utc(b.end), b.mediator_id,
                        med or "", b.state, b.note) for b, code, name, number, med in rows]


def participant_view(p: SessionParticipant) -> ParticipantView:
    return ParticipantView(
        p.id, p.session_id, p.role, rules.ParticipantRole(p.role).label, p.name, p.party_id, p.agent_id,
        p.user_id, p.presence, rules.Presence(p.presence).label, p.remote_location, p.identity_method,
        rules.IdentityMethod(p.identity_method).label if p.identity_method else "未核验",
        _utc(p.identity_checked_at), p.consent_to_recording, _utc(p.consent_asked_at), _utc(p.joined_at),
        _utc(p.left_at))


def session_views(s: Session, where) -> list[SessionView]:
    rows = s.execute(select(MediationSession, Room.code, Room.name, User.display_name)
                     .outerjoin(Room, Room.id == MediationSession.room_id)
                     .outerjoin(User, User.id == MediationSession.mediator_id)
                     .where(where).order_by(MediationSession.id)).all()
    if not rows:
        return []
    ids = [r[0].id for r in rows]
    parts: dict[int, list[ParticipantView]] = {}
    for p in s.execute(select(SessionParticipant).where(SessionParticipant.session_id.in_(ids))
                       .order_by(SessionParticipant.id)).scalars():
        parts.setdefault(p.session_id, []).append(participant_view(p))
    recs: dict[int, list[RecordingView]] = {}
    for r in s.execute(select(SessionRecording).where(SessionRecording.session_id.in_(ids))
                       .order_by(SessionRecording.id)).scalars():
        recs.setdefault(r.session_id, []).append(
            RecordingView(r.id, r.session_id, _utc(r.started_at), _utc(r.stopped_at), r.stop_reason, r.file_id))
    out = []
    for m, code, name, med in rows:
        rl = recs.get(m.id, [])
        out.append(SessionView(
            m.id, m.case_id, m.mode, rules.SessionMode(m.mode).label, m.public, code or "", name or "",
            m.booking_id, med or "", m.recorder_name, _utc(m.started_at), _utc(m.ended_at),
            m.rights_notice_given, _utc(m.rights_notice_at), dict(m.minutes or {}), m.minutes_version,
            _utc(m.minutes_saved_at), m.outcome,
            rules.SessionOutcome(m.outcome).label if m.outcome else "",
            any(r.stopped_at is None for r in rl), parts.get(m.id, []), rl))
    return out


def file_views(s: Session, where) -> list[CaseFileView]:
    return [CaseFileView(f.id, f.case_id, f.session_id, f.sha256, f.size, f.original_name, f.media_type,
                         f.kind, f.description, _utc(f.added_at))
            for f in s.execute(select(CaseFile).where(where, CaseFile.active.is_(True))
                               .order_by(CaseFile.id)).scalars()]


def _signer_label(kind: str, party_name: str = "") -> str:
    k = rules.SignerKind(kind)
    return f"当事人{party_name}" if k is rules.SignerKind.PARTY else k.label


def agreement_views(s: Session, where) -> list[AgreementView]:
    rows = s.execute(select(Agreement, Case.number).join(Case, Case.id == Agreement.case_id)
                     .where(where).order_by(Agreement.case_id, Agreement.version)).all()
    if not rows:
        return []
    ids = [a.id for a, _ in rows]
    case_ids = {a.case_id for a, _ in rows}
    pnames = dict(s.execute(select(CaseParty.id, CaseParty.name).where(CaseParty.case_id.in_(case_ids))).all())
    terms: dict[int, list[TermView]] = {}
    for t in s.execute(select(AgreementTerm).where(AgreementTerm.agreement_id.in_(ids))
                       .order_by(AgreementTerm.position, AgreementTerm.id)).scalars():
        terms.setdefault(t.agreement_id, []).append(TermView(
            t.id, t.position, t.content, t.obligor_party_id, pnames.get(t.obligor_party_id, ""),
            t.obligee_party_id, pnames.get(t.obligee_party_id, ""), t.amount,
            rmb.figures(t.amount) if t.amount is not None else "", t.amount_capitals,
            t.method, t.due_date))
    signs: dict[int, list[SignoffView]] = {}
    for g in s.execute(select(AgreementSignoff).where(AgreementSignoff.agreement_id.in_(ids))
                       .order_by(AgreementSignoff.id)).scalars():
        signs.setdefault(g.agreement_id, []).append(SignoffView(
            g.signer_key, g.signer_kind, _signer_label(g.signer_kind, pnames.get(g.party_id, "")),
            g.party_id, g.by_name, g.method, _utc(g.signed_at)))
    follows: dict[int, list[FollowUpView]] = {}
    for f in s.execute(select(FollowUp).where(FollowUp.agreement_id.in_(ids)).order_by(FollowUp.at, FollowUp.id)).scalars():
        follows.setdefault(f.agreement_id, []).append(FollowUpView(
            f.id, f.agreement_id, _utc(f.at), f.by_name, f.method, rules.FollowUpMethod(f.method).label,
            f.performance, rules.Performance(f.performance).label, f.note))
    active_parties: dict[int, list[int]] = {}
    for pid, cid in s.execute(select(CaseParty.id, CaseParty.case_id).where(
            CaseParty.case_id.in_(case_ids), CaseParty.active.is_(True)).order_by(CaseParty.id)):
        active_parties.setdefault(cid, []).append(pid)
    out = []
    for a, number in rows:
        missing: tuple[str, ...] = ()
        if not a.oral and a.state in (rules.AgreementState.DRAFT.value, rules.AgreementState.SIGNING.value):
            party_ids = a.signatory_party_ids or active_parties.get(a.case_id, [])
            keys = rules.missing_signoffs(party_ids, [g.signer_key for g in signs.get(a.id, [])])
            missing = tuple(_signer_label("party", pnames.get(int(k.split(":")[1]), "")) if k.startswith("party:")
                            else _signer_label(k) for k in keys)
        out.append(AgreementView(
            a.id, a.case_id, number, a.version, a.state, rules.AgreementState(a.state).label, a.oral,
            a.liability, a.facts, a.text_snapshot, a.text_sha256, a.copies, a.supersedes_id,
            a.correction_reason, _utc(a.created_at), _utc(a.effective_at), a.effective_on,
            terms.get(a.id, []), signs.get(a.id, []), missing, follows.get(a.id, [])))
    return out


# ============================================================ registration
def register_case(db: Database, actor: Actor, *, category: str, parties: Sequence[PartyInput],
                  facts: str = "", claims: str = "", source: str = Source.APPLICATION.value,
                  subcategory: str | None = None, risk: str = RiskLevel.LOW.value,
                  ticket_id: int | None = None, mediator_id: int | None = None) -> CaseView:
    """Register a dispute for mediation (调解登记, 人民调解法第十七条、第二十七条).

    From a ticket at a window (``ticket_id``: the visit it came from) or
    directly. Every party is checked (``hall.domain.cases.check_party``);
    the case number comes from the centre's pattern and a per-year counter
    updated in this transaction, so two windows never get the same number.
    """
    actor.require("case.register")  # before reading the input
    cat = _parse(Category, category, "纠纷类别")
    src = _parse(Source, source, "案件来源")
    rk = _parse(RiskLevel, risk, "风险等级")
    try:
        sub = rules.parse_subcategory(cat, subcategory)
    except ValueError as exc:
        raise _invalid(exc) from None
    if not parties:
        raise InvalidInput("请至少登记一方当事人")
    with unit_of_work(db, actor, "case.register") as uow:
        today = _today(uow)
        checked: list[PartyInput] = []
        errors: list[str] = []
        for i, p in enumerate(parties, 1):
            p = _with_visitor_numbers(uow.s, p)
            res = rules.check_party(p, today)
            errors += [f"第{i}个当事人：{e}" if not p.name else e for e in res.errors]
            checked.append(res.party)
        if errors:
            raise InvalidInput("；".join(errors), errors=errors)
        ticket = None
        if ticket_id is not None:
            ticket = uow.s.get(Ticket, ticket_id)
            if ticket is None:
                raise NotFound(f"没有编号为 {ticket_id} 的排队号")
            if ticket.visitor_id and checked:
                vname = uow.s.execute(select(Visitor.name).where(Visitor.id == ticket.visitor_id)).scalar_one()
                for i, p in enumerate(checked):
                    if p.visitor_id is None and p.kind == "person" and p.name == vname:
                        checked[i] = replace(p, visitor_id=ticket.visitor_id)
                        break
        pattern = case_pattern(uow.s)
        year = today.year
        seq = _next_seq(uow, year)
        try:
            number = rules.format_case_number(pattern, year, seq)
        except ValueError as exc:
            raise InvalidInput(f"中心设置的调解案号格式有误：{exc}") from None
        c = Case(number=number, year=year, seq=seq, category=cat.value, subcategory=sub, source=src.value,
                 risk=rk.value, police_flag=False, police_note="", facts=facts.strip(), claims=claims.strip(),
                 state=CaseState.REGISTERED.value, state_reason="", transfer_target="",
                 ticket_id=ticket_id, registered_by=actor.user_id, mediator_id=None, imported_from="",
                 created_at=uow.now, updated_at=uow.now)
        uow.s.add(c)
        uow.s.flush()
        for i, p in enumerate(checked):
            _insert_party(uow, c.id, p, i)
        if mediator_id is not None:
            _assign(uow, c, _mediator_user(uow.s, mediator_id))
        origin = f"（来自排队号 {ticket.number}）" if ticket else ""
        timeline(uow, c.id, "registered", f"登记案件 {number}：{cat.label}，{src.label}{origin}")
        uow.audit("case.register", "case", c.id, number=number, category=cat.value, source=src.value,
                  parties=len(checked), ticket_id=ticket_id)
        case_event(uow, "case.registered", c)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def _with_visitor_numbers(s: Session, p: PartyInput) -> PartyInput:
    """A party taken over from the visitor of a ticket: the visitor's ID number
    and phone, which the window may see only masked, are carried over, not re-typed."""
    if not p.visitor_id or p.kind != rules.PartyKind.PERSON.value:
        return p
    v = s.get(Visitor, p.visitor_id)
    if v is None:
        raise NotFound(f"没有编号为 {p.visitor_id} 的来访人")
    return replace(p, id_number=p.id_number or v.id_number, phone=p.phone or v.phone)


@dataclass(frozen=True)
class TicketIntake(JsonView):
    """What a served ticket brings to registration (调解登记)."""

    ticket_id: int
    number: str
    service_name: str
    visitor_id: int | None
    name: str
    id_number_masked: str
    phone_masked: str
    has_id_number: bool
    note: str                       # the front desk's note of the complaint, transfers included
    open_cases: tuple[CaseRow, ...]  # the visitor's open cases, so one dispute is not registered twice


def ticket_intake(db: Database, actor: Actor, ticket_id: int) -> TicketIntake:
    """The visitor and complaint of a ticket, to start a case from it."""
    from hall.domain.masking import mask_phone

    actor.require("case.register")
    with db.read() as s:
        t = s.get(Ticket, ticket_id)
        if t is None:
            raise NotFound(f"没有编号为 {ticket_id} 的排队号")
        notes: list[str] = []
        cur, seen = t, set()
        while cur is not None and cur.id not in seen:
            seen.add(cur.id)
            if (cur.note or "").strip():
                notes.insert(0, cur.note.strip())
            cur = s.get(Ticket, cur.transferred_from_id) if cur.transferred_from_id else None
        service = s.get(Service, t.service_id)
        v = s.get(Visitor, t.visitor_id) if t.visitor_id else None
        open_rows: tuple[CaseRow, ...] = ()
        if v is not None:
            open_rows = tuple(r for r in visitor_cases(s, v.id) if CaseState(r.state).is_open)
        return TicketIntake(
            t.id, t.number, service.name if service else "", v.id if v else None, v.name if v else "",
            mask_id_number(v.id_number) if v and v.id_number else "",
            mask_phone(v.phone) if v and v.phone else "", bool(v and v.id_number), "\n".join(notes), open_rows)


@dataclass(frozen=True)
class MediatorChoice(JsonView):
    """A mediator who could take a case: open cases and the recusal check."""

    id: int
    name: str
    open_cases: int
    conflicted: bool = False
    reasons: tuple[str, ...] = ()
    replaced_at_party_request: bool = False

    @property
    def assignable(self) -> bool:
        return not (self.conflicted or self.replaced_at_party_request)


def list_mediators(db: Database, actor: Actor, case_id: int | None = None) -> list[MediatorChoice]:
    """The active mediators, fewest open cases first; with a case, each one's
    recusal check against its parties and agents (人民调解法第十九条)."""
    actor.require("case.read")
    with db.read() as s:
        load = _open_load(s)
        users = [u for u in s.execute(select(User).where(User.active.is_(True)).order_by(User.id)).scalars()
                 if Role.MEDIATOR in parse_roles(u.roles)]
        out = []
        for u in users:
            if case_id is not None:
                r = _recusal(s, case_id, u)
                out.append(MediatorChoice(u.id, u.display_name, load.get(u.id, 0), r.conflicted, r.reasons,
                                          r.replaced_at_party_request))
            else:
                out.append(MediatorChoice(u.id, u.display_name, load.get(u.id, 0)))
    return sorted(out, key=lambda m: (not m.assignable, m.open_cases, m.id))


def intake_history(db: Database, actor: Actor, *, name: str | None = None, id_number: str | None = None,
                   phone: str | None = None, limit: int = 20) -> IntakeHistory:
    """A returning visitor's earlier tickets and cases, at registration.

    Matched by ID number and by phone number (exactly); by the name alone only
    when neither number is given (namesakes are common).
    """
    from .. import visitors

    actor.require("case.read")
    idn, tel = checked_id_and_phone(id_number, phone, local_day(db.clock.now()))
    nm = rules.normalise_name(name) if name else ""
    vconds, pconds = [], []
    if idn:
        vconds.append(Visitor.id_number == idn)
        pconds.append(CaseParty.id_number == idn)
    if tel:
        vconds.append(Visitor.phone == tel)
        pconds.append(CaseParty.phone == tel)
    if not (idn or tel) and nm:
        vconds.append(Visitor.name == nm)
        pconds.append(CaseParty.name == nm)
    if not vconds:
        return IntakeHistory()
    with db.read() as s:
        vids = list(s.execute(select(Visitor.id).where(or_(*vconds), Visitor.merged_into_id.is_(None))
                              .order_by(Visitor.id.desc())
                              .limit(limit)).scalars())
        if vids:
            pconds.append(CaseParty.visitor_id.in_(vids))
        cids = list(s.execute(select(CaseParty.case_id).where(or_(*pconds), CaseParty.active.is_(True))
                              .group_by(CaseParty.case_id).order_by(CaseParty.case_id.desc())
                              .limit(limit)).scalars())
        rows = _case_rows(s, cids)
    hist = []
    if actor.may("visitor.lookup"):
        hist = [visitors.history(db, actor, vid) for vid in vids]
    return IntakeHistory(hist, rows)


def visitor_cases(s: Session, visitor_id: int) -> list[CaseRow]:
    """Cases of a visitor, for the front desk's visitor history."""
    v = s.get(Visitor, visitor_id)
    if v is None:
        return []
    conds = [CaseParty.visitor_id == visitor_id]
    if v.id_number:
        conds.append(CaseParty.id_number == v.id_number)
    if v.name and v.phone:
        conds.append(and_(CaseParty.name == v.name, CaseParty.phone == v.phone))
    cids = list(s.execute(select(CaseParty.case_id).where(or_(*conds), CaseParty.active.is_(True))
                          .group_by(CaseParty.case_id).order_by(CaseParty.case_id.desc()).limit(50)).scalars())
    return _case_rows(s, cids)


@dataclass(frozen=True)
class VisitorOutlook(JsonView):
    """What a returning visitor has going on: open cases and the sittings booked from now on."""

    open_cases: tuple[CaseRow, ...]
    bookings: tuple[BookingView, ...]


def visitor_outlook(db: Database, actor: Actor, visitor_id: int) -> VisitorOutlook:
    """For the front desk's lookup: the visitor's open cases and their coming room bookings."""
    actor.require("visitor.lookup")
    now = db.clock.now()
    with db.read() as s:
        rows = tuple(r for r in visitor_cases(s, visitor_id) if CaseState(r.state).is_open)
        ids = [r.id for r in rows]
        books = tuple(booking_views(s, (RoomBooking.case_id.in_(ids)) & (RoomBooking.state == "booked")
                                    & (RoomBooking.end > now))) if ids else ()
    return VisitorOutlook(rows, tuple(sorted(books, key=lambda b: b.start)))


# ================================================================ lifecycle
def _watch_duration(uow: UnitOfWork, c: Case) -> None:
    start = local_day(_utc(c.created_at))
    dl.track(uow, "mediation.people_duration", "case", c.id, _today(uow), case_number=c.number,
             label="人民调解一般期限")
    if c.category == Category.LABOUR.value and c.source == Source.APPLICATION.value:
        dl.track(uow, "labour.mediation", "case", c.id, start, case_number=c.number, label="劳动争议调解期限")


def stop_duration_watch(uow: UnitOfWork, c: Case) -> None:
    dl.close_for_subject(uow, "case", c.id, "mediation.people_duration")
    dl.close_for_subject(uow, "case", c.id, "labour.mediation")


def accept_case(db: Database, actor: Actor, case_id: int, note: str = "") -> CaseView:
    """Accept a registered dispute for mediation (受理).

    Starts watching the usual one-month period (《人民调解工作若干规定》第三十三条,
    a reminder, UNVERIFIED) and, for a labour dispute on a party's
    application, the 15 days after which either party may go to arbitration
    (《劳动争议调解仲裁法》第十四条第三款).
    """
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        _move(uow, c, CaseAction.ACCEPT)
        c.accepted_at = uow.now
        _watch_duration(uow, c)
        timeline(uow, c.id, "accepted", "受理" + (f"：{note}" if note else ""))
        uow.audit("case.accept", "case", c.id, number=c.number)
        case_event(uow, "case.accepted", c)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def decline_case(db: Database, actor: Actor, case_id: int, reason: str) -> CaseView:
    """Not accepted: e.g. a party clearly refuses mediation (人民调解法第十七条)."""
    if not (reason or "").strip():
        raise InvalidInput("请填写不予受理的理由")
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        _move(uow, c, CaseAction.DECLINE)
        c.state_reason = reason.strip()
        c.closed_at = uow.now
        timeline(uow, c.id, "declined", f"不予受理：{reason.strip()}")
        uow.audit("case.decline", "case", c.id, number=c.number)
        case_event(uow, "case.declined", c)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def start_mediation(db: Database, actor: Actor, case_id: int) -> CaseView:
    """Mediation begins (a mediator must be assigned, 人民调解法第十九条)."""
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        begin_mediation(uow, c)
        uow.audit("case.start", "case", c.id, number=c.number)
        case_event(uow, "case.mediating", c)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def begin_mediation(uow: UnitOfWork, c: Case) -> None:
    try:
        rules.transition(c.state, CaseAction.START)
    except rules.IllegalTransition as exc:
        raise Conflict(f"案件{c.number}：{exc}", state=c.state) from None
    if c.mediator_id is None:
        raise Conflict(f"案件{c.number}尚未指派调解员，请先指派")
    _move(uow, c, CaseAction.START)
    name = _user_names(uow.s, [c.mediator_id]).get(c.mediator_id, "")
    timeline(uow, c.id, "mediating", f"开始调解，调解员{name}")


_EDITABLE = ("facts", "claims", "category", "subcategory", "risk", "source")


def update_case(db: Database, actor: Actor, case_id: int, **changes: Any) -> CaseView:
    """Change the facts, claims, category, subcategory, risk or source of an open case."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise InvalidInput(f"不能修改的案件字段：{'、'.join(sorted(unknown))}")
    with unit_of_work(db, actor, "case.edit") as uow:
        c = _case(uow, case_id)
        _expect_open(c, "修改")
        changed = []
        if "category" in changes and changes["category"] is not None:
            cat = _parse(Category, changes["category"], "纠纷类别")
            if cat.value != c.category:
                c.category = cat.value
                c.subcategory = None
                changed.append("纠纷类别")
        if "subcategory" in changes or "category" in changes:
            try:
                sub = rules.parse_subcategory(Category(c.category), changes.get("subcategory", c.subcategory))
            except ValueError as exc:
                raise _invalid(exc) from None
            if sub != c.subcategory:
                c.subcategory = sub
                changed.append("细分类别")
        if changes.get("risk") is not None:
            rk = _parse(RiskLevel, changes["risk"], "风险等级")
            if rk.value != c.risk:
                c.risk = rk.value
                changed.append("风险等级")
        if changes.get("source") is not None:
            src = _parse(Source, changes["source"], "案件来源")
            if src.value != c.source:
                c.source = src.value
                changed.append("案件来源")
        for key, label in (("facts", "纠纷事实"), ("claims", "当事人请求")):
            if changes.get(key) is not None and changes[key].strip() != getattr(c, key):
                setattr(c, key, changes[key].strip())
                changed.append(label)
        if changed:
            c.updated_at = uow.now
            timeline(uow, c.id, "updated", f"修改{'、'.join(changed)}")
            uow.audit("case.update", "case", c.id, number=c.number, fields=changed)
            case_event(uow, "case.updated", c)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def record_timeline(db: Database, actor: Actor, case_id: int, text: str, kind: str = "note") -> TimelineView:
    """A free note in the case's work record (调解工作记录, 第二十七条)."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("记录内容不能为空")
    if not re.fullmatch(r"[a-z_]{1,32}", kind):
        raise InvalidInput("记录类型只能用小写字母和下划线")
    with unit_of_work(db, actor, "case.edit") as uow:
        c = _case(uow, case_id, lock=False)
        row = timeline(uow, c.id, kind, text)
        uow.s.flush()
        uow.audit("case.note", "case", c.id, number=c.number, kind=kind)
        case_event(uow, "case.timeline", c, entry_kind=kind)
        return TimelineView(row.id, _utc(row.at), row.kind, row.text, row.actor_name)


def flag_police(db: Database, actor: Actor, case_id: int, note: str, flagged: bool = True) -> CaseView:
    """A dispute that may turn into a public-order or criminal case is reported
    to the police (人民调解法第二十五条); the flag raises the risk to high."""
    note = (note or "").strip()
    if flagged and not note:
        raise InvalidInput("请填写报告公安机关的情况（时间、对象、事由）")
    with unit_of_work(db, actor, "case.edit") as uow:
        c = _case(uow, case_id)
        c.police_flag = flagged
        c.police_note = note
        c.police_flagged_at = uow.now if flagged else None
        if flagged:
            c.risk = RiskLevel.HIGH.value
        c.updated_at = uow.now
        timeline(uow, c.id, "police", ("报告公安机关（人民调解法第二十五条）：" if flagged else "取消公安报告标记：") + note)
        uow.audit("case.police_flag", "case", c.id, number=c.number, flagged=flagged)
        case_event(uow, "case.police_flagged", c, flagged=flagged)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


# ============================================================ parties, agents
def _party(uow: UnitOfWork, party_id: int) -> CaseParty:
    p = uow.s.get(CaseParty, party_id)
    if p is None or not p.active:
        raise NotFound(f"没有编号为 {party_id} 的当事人")
    return p


def _party_input(p: CaseParty) -> PartyInput:
    return PartyInput(name=p.name, side=p.side, kind=p.kind, sex=p.sex, ethnicity=p.ethnicity,
                      birth_date=p.birth_date, id_number=p.id_number, credit_code=p.credit_code,
                      occupation=p.occupation, address=p.address, phone=p.phone, legal_rep=p.legal_rep,
                      legal_rep_title=p.legal_rep_title, visitor_id=p.visitor_id)


def _conflict_note(uow: UnitOfWork, c: Case) -> None:
    """After a party or agent changes: note a conflict with the assigned mediator."""
    if not c.mediator_id:
        return
    check = _recusal(uow.s, c.id, uow.s.get(User, c.mediator_id))
    if check.conflicted:
        timeline(uow, c.id, "recusal", f"注意：调解员{check.mediator_name}存在回避情形（{'；'.join(check.reasons)}）")
        uow.event("case.recusal_needed", case_id=c.id, number=c.number, mediator_id=c.mediator_id)


def _refuse_while_signing(uow: UnitOfWork, c: Case, doing: str) -> None:
    """Parties and agents are in the agreement's frozen text: while it is being
    signed they are not edited (later signers must sign the same paper); a
    change needs a correction version (更正版本) of the agreement."""
    row = uow.s.execute(select(Agreement.version).where(
        Agreement.case_id == c.id, Agreement.state == rules.AgreementState.SIGNING.value)).first()
    if row is not None:
        raise Conflict(f"调解协议第{row[0]}版正在签署，其文本已固定，不能{doing}；"
                       "如需更改，请先制作协议的更正版本")


def add_party(db: Database, actor: Actor, case_id: int, party: PartyInput) -> PartyView:
    """Add a party (a person or an organisation) with its agents."""
    with unit_of_work(db, actor, "case.edit") as uow:
        c = _case(uow, case_id)
        _expect_open(c, "增加当事人")
        _refuse_while_signing(uow, c, "增加当事人")
        p, _warnings = _checked_party(party, _today(uow))
        pos = uow.s.execute(select(func.coalesce(func.max(CaseParty.position), -1) + 1)
                            .where(CaseParty.case_id == c.id)).scalar_one()
        row = _insert_party(uow, c.id, p, pos)
        c.updated_at = uow.now
        timeline(uow, c.id, "party_added", f"增加{Side(p.side).label}{p.name}")
        _conflict_note(uow, c)
        uow.audit("case.party_add", "case", c.id, number=c.number, party_id=row.id)
        case_event(uow, "case.party_added", c, party_id=row.id)
        return _party_views_one(uow.s, row, actor, c.mediator_id)


def _party_views_one(s: Session, row: CaseParty, actor: Actor, mediator_id: int | None) -> PartyView:
    agents = list(s.execute(select(CaseAgent).where(CaseAgent.party_id == row.id,
                                                    CaseAgent.active.is_(True))).scalars())
    return _party_view(row, agents, actor.may("visitor.see_id_number"), _mediator_ref(s, mediator_id))


_PARTY_FIELDS = {f.name for f in fields(PartyInput)} - {"agents"}


def update_party(db: Database, actor: Actor, party_id: int, **changes: Any) -> PartyView:
    """Correct a party's particulars; the whole party is checked again.

    An ID number shown masked cannot be typed back, so a field left out keeps
    its stored value.
    """
    unknown = set(changes) - _PARTY_FIELDS
    if unknown:
        raise InvalidInput(f"不能修改的当事人字段：{'、'.join(sorted(unknown))}")
    with unit_of_work(db, actor, "case.edit") as uow:
        row = _party(uow, party_id)
        c = _case(uow, row.case_id)
        _expect_open(c, "修改当事人")
        _refuse_while_signing(uow, c, "修改当事人")
        p, _w = _checked_party(replace(_party_input(row), **changes), _today(uow))
        changed = [k for k in _PARTY_FIELDS if getattr(p, k) != getattr(row, k)]
        for k in changed:
            setattr(row, k, getattr(p, k))
        if "name" in changed:
            row.name_initials, row.name_pinyin = stored_keys(pinyin_initials(p.name), pinyin_full(p.name))
        if changed:
            c.updated_at = uow.now
            # Field names only: the values may be ID or phone numbers.
            timeline(uow, c.id, "party_updated", f"修改当事人{row.name}的信息")
            _conflict_note(uow, c)
            uow.audit("case.party_update", "case", c.id, number=c.number, party_id=row.id, fields=sorted(changed))
            case_event(uow, "case.party_updated", c, party_id=row.id)
        return _party_views_one(uow.s, row, actor, c.mediator_id)


def remove_party(db: Database, actor: Actor, party_id: int, reason: str = "") -> CaseView:
    """Take a party off the case (kept in history, never deleted)."""
    with unit_of_work(db, actor, "case.edit") as uow:
        row = _party(uow, party_id)
        c = _case(uow, row.case_id)
        _expect_open(c, "移除当事人")
        _refuse_while_signing(uow, c, "移除当事人")
        left = uow.s.execute(select(func.count()).select_from(CaseParty).where(
            CaseParty.case_id == c.id, CaseParty.active.is_(True))).scalar_one()
        if left <= 1:
            raise Conflict("案件至少要有一方当事人")
        row.active = False
        for a in uow.s.execute(select(CaseAgent).where(CaseAgent.party_id == row.id)).scalars():
            a.active = False
        c.updated_at = uow.now
        timeline(uow, c.id, "party_removed", f"移除当事人{row.name}" + (f"：{reason}" if reason else ""))
        uow.audit("case.party_remove", "case", c.id, number=c.number, party_id=row.id)
        case_event(uow, "case.party_removed", c, party_id=row.id)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def add_agent(db: Database, actor: Actor, party_id: int, agent: AgentInput) -> AgentView:
    """Record a party's agent and the authorisation (委托代理人、授权委托书)."""
    with unit_of_work(db, actor, "case.edit") as uow:
        party = _party(uow, party_id)
        c = _case(uow, party.case_id)
        _expect_open(c, "增加代理人")
        _refuse_while_signing(uow, c, "增加代理人")
        a, errors = rules.check_agent(agent, _today(uow), owner=party.name)
        if errors:
            raise InvalidInput("；".join(errors), errors=errors)
        row = _insert_agent(uow, party, a)
        c.updated_at = uow.now
        scope = rules.AgentScope(a.scope).label
        timeline(uow, c.id, "agent_added", f"{party.name}委托{a.name}为代理人（{scope}）")
        _conflict_note(uow, c)
        uow.audit("case.agent_add", "case", c.id, number=c.number, agent_id=row.id, party_id=party.id)
        case_event(uow, "case.agent_added", c, agent_id=row.id)
        return _agent_view(row, actor.may("visitor.see_id_number"))


_AGENT_FIELDS = {f.name for f in fields(AgentInput)}


def update_agent(db: Database, actor: Actor, agent_id: int, **changes: Any) -> AgentView:
    unknown = set(changes) - _AGENT_FIELDS
    if unknown:
        raise InvalidInput(f"不能修改的代理人字段：{'、'.join(sorted(unknown))}")
    with unit_of_work(db, actor, "case.edit") as uow:
        row = uow.s.get(CaseAgent, agent_id)
        if row is None or not row.active:
            raise NotFound(f"没有编号为 {agent_id} 的代理人")
        c = _case(uow, row.case_id)
        _expect_open(c, "修改代理人")
        _refuse_while_signing(uow, c, "修改代理人")
        current = AgentInput(row.name, row.id_number, row.phone, row.relation, row.scope, row.authorisation)
        a, errors = rules.check_agent(replace(current, **changes), _today(uow))
        if errors:
            raise InvalidInput("；".join(errors), errors=errors)
        changed = [k for k in _AGENT_FIELDS if getattr(a, k) != getattr(row, k)]
        for k in changed:
            setattr(row, k, getattr(a, k))
        if changed:
            c.updated_at = uow.now
            timeline(uow, c.id, "agent_updated", f"修改代理人{row.name}的信息")
            _conflict_note(uow, c)
            uow.audit("case.agent_update", "case", c.id, number=c.number, agent_id=row.id, fields=sorted(changed))
            case_event(uow, "case.agent_updated", c, agent_id=row.id)
        return _agent_view(row, actor.may("visitor.see_id_number"))


def remove_agent(db: Database, actor: Actor, agent_id: int, reason: str = "") -> AgentView:
    """The authorisation ends (revoked or expired); kept in history."""
    with unit_of_work(db, actor, "case.edit") as uow:
        row = uow.s.get(CaseAgent, agent_id)
        if row is None or not row.active:
            raise NotFound(f"没有编号为 {agent_id} 的代理人")
        c = _case(uow, row.case_id)
        _refuse_while_signing(uow, c, "解除代理人")
        row.active = False
        c.updated_at = uow.now
        timeline(uow, c.id, "agent_removed", f"解除代理人{row.name}" + (f"：{reason}" if reason else ""))
        uow.audit("case.agent_remove", "case", c.id, number=c.number, agent_id=row.id)
        case_event(uow, "case.agent_removed", c, agent_id=row.id)
        return _agent_view(row, actor.may("visitor.see_id_number"))


# ================================================================ referrals
def _referral_target(s: Session, kind: ReferralKind, target: str) -> tuple[str, str]:
    target = (target or "").strip()
    if not target:
        raise InvalidInput(f"请填写转介的{kind.label}")
    if kind is ReferralKind.ROOM or (kind is ReferralKind.COUNSELLING and s.execute(
            select(Room.id).where(Room.code == target)).first()):
        room = s.execute(select(Room).where(Room.code == target)).scalar_one_or_none()
        if room is None or not room.active:
            raise NotFound(f"没有代码为“{target}”的房间")
        return room.code, room.name
    if kind is ReferralKind.SERVICE:
        svc = s.execute(select(Service).where(Service.code == target)).scalar_one_or_none()
        if svc is None or not svc.active:
            raise NotFound(f"没有代码为“{target}”的业务")
        return svc.code, svc.name
    return target[:64], target[:100]


def refer(db: Database, actor: Actor, items: Sequence[ReferralRequest], *, case_id: int | None = None,
          visitor_id: int | None = None, ticket_id: int | None = None) -> list[ReferralView]:
    """Send a visitor (or a case) to several places at once, e.g. counselling
    now and the senior mediation room tomorrow. The referrals of one call
    share a batch and are tracked one by one."""
    actor.require("case.refer")  # before reading the input
    if not items:
        raise InvalidInput("请至少选择一个转介去向")
    if case_id is None and visitor_id is None and ticket_id is None:
        raise InvalidInput("转介需要关联案件、来访人或排队号")
    with unit_of_work(db, actor, "case.refer") as uow:
        c = _case(uow, case_id) if case_id is not None else None
        if ticket_id is not None:
            t = uow.s.get(Ticket, ticket_id)
            if t is None:
                raise NotFound(f"没有编号为 {ticket_id} 的排队号")
            visitor_id = visitor_id or t.visitor_id
        if visitor_id is not None and uow.s.get(Visitor, visitor_id) is None:
            raise NotFound(f"没有编号为 {visitor_id} 的来访人")
        batch = uuid.uuid4().hex[:16]
        rows = []
        for item in items:
            kind = _parse(ReferralKind, item.target_kind, "转介去向类型")
            if item.scheduled_for is not None and item.scheduled_for.tzinfo is None:
                raise InvalidInput("转介时间需带时区")
            code, label = _referral_target(uow.s, kind, item.target)
            r = Referral(case_id=c.id if c else None, visitor_id=visitor_id, ticket_id=ticket_id, batch=batch,
                         target_kind=kind.value, target=code, target_label=label,
                         reason=(item.reason or "").strip(), scheduled_for=item.scheduled_for,
                         state=ReferralState.OPEN.value, outcome_note="", created_at=uow.now,
                         created_by=actor.user_id, updated_at=uow.now)
            uow.s.add(r)
            rows.append(r)
        uow.s.flush()
        if c:
            timeline(uow, c.id, "referred", "转介：" + "；".join(
                f"{r.target_label}" + (f"（{_local_text(r.scheduled_for)}）" if r.scheduled_for else "")
                for r in rows))
        uow.audit("case.refer", "case" if c else "visitor", c.id if c else (visitor_id or ""),
                  referrals=[r.id for r in rows], targets=[r.target for r in rows])
        uow.event("case.referred", case_id=c.id if c else None, number=c.number if c else "",
                  referral_ids=[r.id for r in rows], targets=[r.target for r in rows])
        return [referral_view(r, c.number if c else "") for r in rows]


def _local_text(moment: dt.datetime) -> str:
    from hall.domain.clock import to_local

    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def _change_referral(db: Database, actor: Actor, referral_id: int, action: str, apply) -> ReferralView:
    with unit_of_work(db, actor, "case.refer") as uow:
        r = uow.s.execute(uow.lock_for_update(select(Referral).where(Referral.id == referral_id))).scalar_one_or_none()
        if r is None:
            raise NotFound(f"没有编号为 {referral_id} 的转介")
        try:
            new = rules.referral_transition(r.state, action)
        except ValueError as exc:
            raise Conflict(str(exc)) from None
        text = apply(uow, r)
        r.state = new.value
        r.updated_at = uow.now
        number = ""
        if r.case_id:
            c = _case(uow, r.case_id, lock=False)
            number = c.number
            timeline(uow, c.id, f"referral_{action}", text)
        uow.audit(f"case.referral_{action}", "referral", r.id, case_id=r.case_id, target=r.target)
        uow.event(f"case.referral_{action}", referral_id=r.id, case_id=r.case_id, number=number, state=r.state)
        return referral_view(r, number)


def arrange_referral(db: Database, actor: Actor, referral_id: int, *, scheduled_for: dt.datetime | None = None,
                     booking_id: int | None = None, note: str = "") -> ReferralView:
    """The referral has a time (and maybe a room booking)."""
    if scheduled_for is not None and scheduled_for.tzinfo is None:
        raise InvalidInput("转介时间需带时区")

    def apply(uow, r):
        if booking_id is not None:
            b = uow.s.get(RoomBooking, booking_id)
            if b is None or b.state != "booked":
                raise NotFound(f"没有编号为 {booking_id} 的有效预约")
            r.booking_id = b.id
            r.scheduled_for = b.start
        elif scheduled_for is not None:
            r.scheduled_for = scheduled_for
        if r.scheduled_for is None:
            raise InvalidInput("请给出安排的时间或预约")
        if note:
            r.outcome_note = note.strip()
        return f"转介{r.target_label}已安排：{_local_text(r.scheduled_for)}"
    return _change_referral(db, actor, referral_id, "arrange", apply)


def complete_referral(db: Database, actor: Actor, referral_id: int, outcome: str = "") -> ReferralView:
    def apply(uow, r):
        r.outcome_note = (outcome or "").strip()
        return f"转介{r.target_label}已完成" + (f"：{r.outcome_note}" if r.outcome_note else "")
    return _change_referral(db, actor, referral_id, "complete", apply)


def cancel_referral(db: Database, actor: Actor, referral_id: int, reason: str = "") -> ReferralView:
    def apply(uow, r):
        r.outcome_note = (reason or "").strip()
        return f"取消转介{r.target_label}" + (f"：{r.outcome_note}" if r.outcome_note else "")
    return _change_referral(db, actor, referral_id, "cancel", apply)


def list_referrals(db: Database, actor: Actor, *, case_id: int | None = None, visitor_id: int | None = None,
                   open_only: bool = False, limit: int = 200) -> list[ReferralView]:
    """Referrals of a case or a visitor (open ones: still to arrange or attend)."""
    if not actor.may("case.read") and not actor.may("case.refer"):
        actor.require("case.read")
    stmt = select(Referral, Case.number).outerjoin(Case, Case.id == Referral.case_id)
    if case_id is not None:
        stmt = stmt.where(Referral.case_id == case_id)
    if visitor_id is not None:
        stmt = stmt.where(Referral.visitor_id == visitor_id)
    if open_only:
        stmt = stmt.where(Referral.state.in_([ReferralState.OPEN.value, ReferralState.ARRANGED.value]))
    with db.read() as s:
        return [referral_view(r, n or "") for r, n in s.execute(
            stmt.order_by(Referral.id).limit(limit)).all()]


def incoming_referrals(db: Database, actor: Actor, *, targets: Sequence[str], open_only: bool = True,
                       limit: int = 100) -> list[ReferralView]:
    """Referrals sent to these targets (room or service codes: a counselling
    room, a mediation room, a window's services), oldest first: what the
    target still has to receive and complete."""
    if not actor.may("case.read") and not actor.may("case.refer"):
        actor.require("case.read")
    codes = [t for t in dict.fromkeys(targets) if t]
    if not codes:
        return []
    stmt = select(Referral, Case.number).outerjoin(Case, Case.id == Referral.case_id).where(
        Referral.target.in_(codes))
    if open_only:
        stmt = stmt.where(Referral.state.in_([ReferralState.OPEN.value, ReferralState.ARRANGED.value]))
    with db.read() as s:
        return [referral_view(r, n or "") for r, n in s.execute(
            stmt.order_by(Referral.created_at, Referral.id).limit(limit)).all()]


def receive_referral(db: Database, actor: Actor, referral_id: int, note: str = "") -> ReferralView:
    """The target takes the referral in (接收): arranged for now unless it already has a time."""
    def apply(uow, r):
        if r.scheduled_for is None:
            r.scheduled_for = uow.now
        if note and note.strip():
            r.outcome_note = note.strip()
        who = actor.display_name or actor.username
        return f"{r.target_label}已接收转介（{who}）"
    return _change_referral(db, actor, referral_id, "arrange", apply)


def referrals_follow_booking(uow: UnitOfWork, c: Case, booking: RoomBooking, room: Room) -> list[int]:
    """A room booked for the case moves its open referrals to that room on:
    arranged at the booking's time."""
    moved = []
    for r in uow.s.execute(select(Referral).where(
            Referral.case_id == c.id, Referral.target == room.code,
            Referral.state == ReferralState.OPEN.value)).scalars():
        r.state = ReferralState.ARRANGED.value
        r.booking_id = booking.id
        r.scheduled_for = booking.start
        r.updated_at = uow.now
        timeline(uow, c.id, "referral_arrange", f"转介{r.target_label}已安排：{_local_text(booking.start)}（预约号{booking.id}）")
        uow.event("case.referral_arrange", referral_id=r.id, case_id=c.id, number=c.number, state=r.state)
        moved.append(r.id)
    return moved


# ================================================================ mediators
def assign_mediator(db: Database, actor: Actor, case_id: int, mediator_id: int, reason: str = "") -> CaseView:
    """Assign (or change) the case's mediator (人民调解法第十九条); refused
    when the mediator must recuse or a party asked to replace them."""
    with unit_of_work(db, actor, "case.assign") as uow:
        c = _case(uow, case_id)
        _expect_open(c, "指派调解员")
        user = _mediator_user(uow.s, mediator_id)
        if c.mediator_id == user.id:
            return _case_view(uow.s, c, actor.may("visitor.see_id_number"))
        _assign(uow, c, user, reason or "改派")
        timeline(uow, c.id, "mediator", f"指派调解员{user.display_name}" + (f"：{reason}" if reason else ""))
        uow.audit("case.assign", "case", c.id, number=c.number, mediator_id=user.id)
        case_event(uow, "case.mediator_assigned", c, mediator_id=user.id)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def check_recusal(db: Database, actor: Actor, case_id: int, mediator_id: int | None = None) -> RecusalCheck:
    """Whether a mediator (default: the case's) must recuse: the same ID number,
    or the same name and phone, among the parties or agents of the case."""
    actor.require("case.read")
    with db.read() as s:
        c = s.get(Case, case_id)
        if c is None:
            raise NotFound(f"没有编号为 {case_id} 的调解案件")
        mid = mediator_id or c.mediator_id
        if mid is None:
            raise InvalidInput(f"案件{c.number}尚未指派调解员")
        u = s.get(User, mid)
        if u is None:
            raise NotFound(f"没有编号为 {mid} 的工作人员")
        return _recusal(s, c.id, u)


def _open_load(s: Session) -> dict[int, int]:
    open_states = [st.value for st in CaseState if st.is_open]
    return dict(s.execute(select(Case.mediator_id, func.count()).where(
        Case.state.in_(open_states), Case.mediator_id.is_not(None)).group_by(Case.mediator_id)).all())


def request_another_mediator(db: Database, actor: Actor, case_id: int, party_id: int, reason: str = "",
                             new_mediator_id: int | None = None) -> CaseView:
    """A party asks for another mediator: the request is granted.

    人民调解法第二十三条第一项 (a party chooses or accepts the mediator);
    《人民调解工作若干规定》 (2002): such a request must be granted (article
    number UNVERIFIED); 《人民法院在线调解规则》第十四条. The current mediator is
    released and may not be assigned to this case again; the new one is the
    one given, or the active mediator without a conflict who has the fewest
    open cases. With nobody available the case waits for assignment.
    """
    with unit_of_work(db, actor, "case.edit") as uow:
        c = _case(uow, case_id)
        _expect_open(c, "更换调解员")
        party = _party(uow, party_id)
        if party.case_id != c.id:
            raise InvalidInput(f"{party.name}不是案件{c.number}的当事人")
        if c.mediator_id is None:
            raise Conflict(f"案件{c.number}尚未指派调解员")
        old = uow.s.get(User, c.mediator_id)
        why = f"当事人{party.name}申请更换调解员" + (f"：{reason.strip()}" if reason and reason.strip() else "")
        _release(uow, c, why, party.id)
        uow.s.flush()
        chosen = None
        if new_mediator_id is not None:
            chosen = _mediator_user(uow.s, new_mediator_id)
            _assign(uow, c, chosen)
        else:
            load = _open_load(uow.s)
            candidates = [u for u in uow.s.execute(select(User).where(User.active.is_(True))
                                                   .order_by(User.id)).scalars()
                          if Role.MEDIATOR in parse_roles(u.roles)]
            for u in sorted(candidates, key=lambda u: (load.get(u.id, 0), u.id)):
                check = _recusal(uow.s, c.id, u)
                if not check.conflicted and not check.replaced_at_party_request:
                    chosen = u
                    _assign(uow, c, u)
                    break
        text = f"{why}，已准许，原调解员{old.display_name if old else ''}不再调解本案；"
        text += f"改由{chosen.display_name}调解" if chosen else "暂无其他可指派的调解员，待指派"
        timeline(uow, c.id, "mediator_replaced", text)
        uow.audit("case.mediator_replace", "case", c.id, number=c.number, party_id=party.id,
                  old_mediator_id=old.id if old else None, new_mediator_id=chosen.id if chosen else None)
        case_event(uow, "case.mediator_replaced", c, mediator_id=chosen.id if chosen else None)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def set_mediator_identity(db: Database, actor: Actor, user_id: int, *, id_number: str | None = None,
                          phone: str | None = None) -> bool:
    """Keep a mediator's ID number and phone for recusal checks (sensitive:
    never shown, only compared). Returns True when something is on file."""
    idn, tel = checked_id_and_phone(id_number, phone, local_day(db.clock.now()))
    with unit_of_work(db, actor, "user.manage") as uow:
        u = _mediator_user(uow.s, user_id)
        row = uow.s.get(MediatorProfile, u.id)
        if row is None:
            uow.s.add(MediatorProfile(user_id=u.id, id_number=idn, phone=tel, updated_at=uow.now))
        else:
            row.id_number, row.phone, row.updated_at = idn, tel, uow.now
        uow.audit("mediator.identity", "user", u.id, id_number_on_file=bool(idn), phone_on_file=bool(tel))
        return bool(idn or tel)


# =========================================================== end of a case
def transfer_case(db: Database, actor: Actor, case_id: int, target: str, reason: str = "") -> CaseView:
    """Hand the dispute to labour arbitration, a court or a department."""
    target = (target or "").strip()
    if not target:
        raise InvalidInput("请填写移送去向（仲裁委员会、人民法院或职能部门）")
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        mark_transferred(uow, c, target, reason)
        uow.audit("case.transfer", "case", c.id, number=c.number, target=target)
        case_event(uow, "case.transferred", c, target=target)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


def mark_transferred(uow: UnitOfWork, c: Case, target: str, reason: str = "") -> None:
    _move(uow, c, CaseAction.TRANSFER)
    c.transfer_target = target[:200]
    if reason and not c.state_reason:
        c.state_reason = reason.strip()   # a failure's reason stays the reason on file
    stop_duration_watch(uow, c)
    timeline(uow, c.id, "transferred", f"移送{target}" + (f"：{reason}" if reason else ""))


def close_case(db: Database, actor: Actor, case_id: int, note: str = "") -> CaseView:
    """Close the file (结案, 立卷归档). The performance of an agreement is still
    followed up after closing (第三十一条): those deadlines stay watched."""
    with unit_of_work(db, actor, "case.mediate") as uow:
        c = _case(uow, case_id)
        _move(uow, c, CaseAction.CLOSE)
        c.closed_at = uow.now
        stop_duration_watch(uow, c)
        timeline(uow, c.id, "closed", "结案" + (f"：{note}" if note else ""))
        uow.audit("case.close", "case", c.id, number=c.number)
        case_event(uow, "case.closed", c)
        return _case_view(uow.s, c, actor.may("visitor.see_id_number"))


# ================================================================== search
def _successor(prefix: str) -> str:
    nxt = ord(prefix[-1]) + 1
    if 0xD800 <= nxt <= 0xDFFF:
        nxt = 0xE000
    return prefix[:-1] + chr(min(nxt, 0x10FFFF))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _starts_with(db: Database, column, prefix: str):
    """A prefix match that reads the column's index: a range on SQLite (whose
    LIKE never uses a plain index), a constant-prefix LIKE on PostgreSQL."""
    if db.is_postgres:
        return column.like(_like_escape(prefix) + "%", escape="\\")
    return and_(column >= prefix, column < _successor(prefix))


_NUMBER_HINT = re.compile(r"[号字（）()〔〕\[\]]")
_YEAR_SEQ = re.compile(r"^(\d{4})\s*[-/.．年第]\s*(\d{1,7})\s*号?$")


def _number_variants(q: str) -> list[str]:
    out = [q]
    for a, b in (("(", "（"), (")", "）"), ("[", "〔"), ("]", "〕")):
        if a in q:
            out.append(out[-1].replace(a, b))
    return list(dict.fromkeys(out))


def search_cases(db: Database, actor: Actor, query: str, limit: int = 20, after: int | None = None) -> CasePage:
    """Cases by number, party name, pinyin initials, ID number or phone.

    Newest first, keyset-paged on the case id (``after``: the page's
    ``next_after``). Every kind of query reads one index on ``case_parties``
    (or ``cases.number``) by equality or by prefix, never with a leading
    wildcard, so a search stays fast with a million cases:

    * a case number (``（2026）东人调字第12号``, or ``2026-12``) exactly;
    * an ID number exactly, or by its first 12+ characters;
    * a phone number exactly, or by its first 7+ digits (``MIN_PHONE_PREFIX``);
    * pinyin initials or full pinyin (``zs``, ``zhangsan``) by prefix;
    * a name exactly, or by its first two or more characters.
    """
    actor.require("case.read")
    q = unicodedata.normalize("NFC", (query or "")).strip()
    if not q or limit <= 0:
        return CasePage([], None)
    limit = min(limit, 200)
    m = _YEAR_SEQ.match(unicodedata.normalize("NFKC", q))
    if m or _NUMBER_HINT.search(q):
        if m:
            cond = and_(Case.year == int(m.group(1)), Case.seq == int(m.group(2)))
        else:
            cond = Case.number.in_(_number_variants(q) + _number_variants(unicodedata.normalize("NFKC", q)))
        stmt = select(Case.id).where(cond)
        if after is not None:
            stmt = stmt.where((Case.id + 0) < after)   # "+ 0": filter only, never the index to walk
        with db.read() as s:
            ids = list(s.execute(stmt.order_by(Case.id.desc()).limit(limit + 1)).scalars())
            rows = _case_rows(s, ids[:limit])
        return CasePage(rows, ids[limit - 1] if len(ids) > limit else None, "number")
    kind = classify_query(q)
    note = ""
    cond = None
    exact = False   # one key value: its (key, case_id) index gives the order, no sort
    if kind == "id_number":
        number = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", q)).upper()
        exact = len(number) >= 18
        cond = CaseParty.id_number == number if exact else _starts_with(db, CaseParty.id_number, number)
    elif kind == "phone":
        pc = check_phone(q)
        digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", q))
        if pc.ok:
            cond = CaseParty.phone == pc.normalized
            exact = True
            if pc.kind != "mobile" and digits != pc.normalized:
                cond = or_(cond, _starts_with(db, CaseParty.phone, pc.normalized))
                exact = False
        elif len(digits) >= MIN_PHONE_PREFIX:
            cond = _starts_with(db, CaseParty.phone, digits)
        else:
            note = f"电话号码请至少输入前{MIN_PHONE_PREFIX}位"
    elif kind == "pinyin":
        key = re.sub(r"[\s']", "", q).lower()
        if len(key) < MIN_NAME_PREFIX:
            cond, exact = CaseParty.name_initials == key, True
        else:
            cond = or_(_starts_with(db, CaseParty.name_initials, key),
                       _starts_with(db, CaseParty.name_pinyin, key))
    else:
        name = rules.normalise_name(q)
        exact = len(name) < MIN_NAME_PREFIX
        cond = CaseParty.name == name if exact else _starts_with(db, CaseParty.name, name)
    if cond is None:
        return CasePage([], None, kind, note)
    stmt = select(CaseParty.case_id).where(cond, CaseParty.active.is_(True))
    if after is not None:
        # For a range, "+ 0" keeps SQLite from walking the whole case_id index
        # backwards to find a rare key; for one key value the composite index
        # serves both the key and the page boundary.
        stmt = stmt.where((CaseParty.case_id if exact else CaseParty.case_id + 0) < after)
    stmt = stmt.group_by(CaseParty.case_id).order_by(CaseParty.case_id.desc()).limit(limit + 1)
    with db.read() as s:
        ids = list(s.execute(stmt).scalars())
        rows = _case_rows(s, ids[:limit])
    return CasePage(rows, ids[limit - 1] if len(ids) > limit else None, kind, note)


def list_cases(db: Database, actor: Actor, *, state: str | None = None, mediator_id: int | None = None,
               limit: int = 50, after: int | None = None) -> CasePage:
    """Cases newest first, by state and/or mediator (keyset-paged)."""
    actor.require("case.read")
    stmt = select(Case.id)
    if state:
        stmt = stmt.where(Case.state == CaseState(state).value)
    if mediator_id:
        stmt = stmt.where(Case.mediator_id == mediator_id)
    if after is not None:
        stmt = stmt.where(Case.id < after)
    limit = min(max(limit, 1), 500)
    with db.read() as s:
        ids = list(s.execute(stmt.order_by(Case.id.desc()).limit(limit + 1)).scalars())
        rows = _case_rows(s, ids[:limit])
    return CasePage(rows, ids[limit - 1] if len(ids) > limit else None, "list")


# =================================================================== detail
def get_case(db: Database, actor: Actor, case_id: int) -> CaseView:
    actor.require("case.read")
    with db.read() as s:
        c = s.get(Case, case_id)
        if c is None:
            raise NotFound(f"没有编号为 {case_id} 的调解案件")
        return _case_view(s, c, actor.may("visitor.see_id_number"))


def case_by_number(db: Database, actor: Actor, number: str) -> CaseView:
    actor.require("case.read")
    with db.read() as s:
        c = s.execute(select(Case).where(Case.number.in_(_number_variants(number.strip())))).scalars().first()
        if c is None:
            raise NotFound(f"没有案号为“{number}”的调解案件")
        return _case_view(s, c, actor.may("visitor.see_id_number"))


def case_detail(db: Database, actor: Actor, case_id: int) -> CaseDetail:
    """The whole file of a case: parties with agents, referrals, bookings,
    sessions with participants and minutes, agreements with terms, sign-offs
    and follow-ups, evidence, the timeline, mediator changes, deadlines.

    One query per table, whatever the size of the file. ID numbers are
    masked unless the actor may see them.
    """
    actor.require("case.read")
    see = actor.may("visitor.see_id_number")
    with db.read() as s:
        c = s.get(Case, case_id)
        if c is None:
            raise NotFound(f"没有编号为 {case_id} 的调解案件")
        view = _case_view(s, c, see, include_inactive=True)
        referrals = [referral_view(r, c.number) for r in s.execute(
            select(Referral).where(Referral.case_id == c.id).order_by(Referral.id)).scalars()]
        pnames = dict(s.execute(select(CaseParty.id, CaseParty.name).where(CaseParty.case_id == c.id)).all())
        med_rows = s.execute(select(CaseMediator, User.display_name).join(User, User.id == CaseMediator.mediator_id)
                             .where(CaseMediator.case_id == c.id).order_by(CaseMediator.id)).all()
        mediators = [MediatorChangeView(m.mediator_id, name, _utc(m.assigned_at), _utc(m.released_at),
                                        m.release_reason, pnames.get(m.requested_by_party_id, ""))
                     for m, name in med_rows]
        detail = CaseDetail(
            case=view, referrals=referrals, bookings=booking_views(s, RoomBooking.case_id == c.id),
            sessions=session_views(s, MediationSession.case_id == c.id),
            agreements=agreement_views(s, Agreement.case_id == c.id),
            files=file_views(s, CaseFile.case_id == c.id), timeline=_timeline_views(s, c.id),
            mediators=mediators)
    return replace(detail, deadlines=dl.list_deadlines(db, when="all", case_number=view.number, explain=False))


# =================================================================== import
@dataclass(frozen=True)
class ImportReport(JsonView):
    total: int
    imported: list[str] = field(default_factory=list)   # case numbers
    skipped: list[str] = field(default_factory=list)    # already in the hall (idempotent)
    errors: list[str] = field(default_factory=list)


class ImportRejected(InvalidInput):
    """The file had bad records: nothing was imported; ``errors`` lists each."""

    def __init__(self, errors: list[str]):
        super().__init__(f"导入失败：共{len(errors)}处错误，未导入任何案件", errors=errors)
        self.errors = errors


_CASE_KEYS = {"number", "category", "subcategory", "source", "risk", "state", "registered_at", "facts",
              "claims", "mediator", "police_flag", "police_note", "parties", "state_reason", "transfer_target"}
_PARTY_KEYS = _PARTY_FIELDS - {"visitor_id"} | {"agents"}
_AGENT_KEYS = _AGENT_FIELDS


def _when(value: Any, what: str) -> dt.datetime:
    """An ISO date or datetime; a time without zone is the hall's (Asia/Shanghai)."""
    from hall.domain.clock import HALL_TZ

    text = str(value or "").strip()
    if not text:
        raise ValueError(f"缺少{what}")
    try:
        if len(text) == 10:
            d = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(d, dt.time(9, 0), tzinfo=HALL_TZ)
        else:
            moment = dt.datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=HALL_TZ)
    except ValueError:
        raise ValueError(f"{what}“{text}”格式不正确，应为 YYYY-MM-DD 或 ISO 时间") from None
    return moment.astimezone(dt.UTC)


def _party_from(raw: Any, i: int) -> PartyInput:
    if not isinstance(raw, dict):
        raise ValueError(f"第{i}个当事人应为对象")
    unknown = set(raw) - _PARTY_KEYS
    if unknown:
        raise ValueError(f"第{i}个当事人含有未知字段：{'、'.join(sorted(unknown))}")
    agents = []
    for j, a in enumerate(raw.get("agents") or [], 1):
        if not isinstance(a, dict) or set(a) - _AGENT_KEYS:
            raise ValueError(f"第{i}个当事人的第{j}个代理人格式不正确（可用字段：{'、'.join(sorted(_AGENT_KEYS))}）")
        agents.append(AgentInput(**{k: (str(v) if v is not None else None) for k, v in a.items()}))
    values = {k: v for k, v in raw.items() if k != "agents"}
    if values.get("birth_date"):
        try:
            values["birth_date"] = dt.date.fromisoformat(str(values["birth_date"]))
        except ValueError:
            raise ValueError(f"第{i}个当事人的出生日期格式不正确") from None
    return PartyInput(**{**values, "agents": tuple(agents)})


def import_cases(db: Database, actor: Actor, records: Sequence[Any], *, lines: Sequence[int | None] | None = None,
                 origin: str = "") -> ImportReport:
    """Load cases with parties and agents from another system: all or nothing.

    Every record is checked first (fields, categories, states, dates, every
    party and agent as at the window, the mediator's account); if any is
    bad, nothing is imported and :class:`ImportRejected` lists every error
    with the record's index (and line, when given). A case whose number is
    already in the hall is skipped, so a file can be imported twice. A number
    written in the centre's own pattern keeps its year and sequence, and the
    year's counter moves past it.
    """
    actor.require("case.import")
    errors: list[str] = []
    with unit_of_work(db, actor, "case.import") as uow:
        today = _today(uow)
        pattern = case_pattern(uow.s)
        mediators = {u.username: u for u in uow.s.execute(select(User)).scalars()}
        numbers = [str(r.get("number") or "").strip() for r in records if isinstance(r, dict)]
        existing = set()
        for i in range(0, len(numbers), 500):
            existing |= set(uow.s.execute(select(Case.number).where(Case.number.in_(numbers[i:i + 500]))).scalars())
        seen: set[str] = set()
        plan = []
        for idx, raw in enumerate(records, 1):
            line = lines[idx - 1] if lines and idx - 1 < len(lines) else None
            where = f"第{idx}条" + (f"（第{line}行）" if line else "")
            problems: list[str] = []
            if not isinstance(raw, dict):
                errors.append(f"{where}：记录应为 JSON 对象")
                continue
            number = str(raw.get("number") or "").strip()
            if number:
                where += f"案号“{number}”"
            unknown = set(raw) - _CASE_KEYS
            if unknown:
                problems.append(f"含有未知字段：{'、'.join(sorted(unknown))}")
            if not number:
                problems.append("缺少案号")
            elif len(number) > 64:
                problems.append("案号过长")
            elif number in seen:
                problems.append("案号在文件中重复")
            seen.add(number)
            try:
                cat = Category.parse(raw.get("category"), "纠纷类别")
                sub = rules.parse_subcategory(cat, raw.get("subcategory"))
            except ValueError as exc:
                problems.append(str(exc))
                cat, sub = None, None
            parsed = {}
            for key, cls, what, default in (("source", Source, "案件来源", Source.APPLICATION.value),
                                            ("risk", RiskLevel, "风险等级", RiskLevel.LOW.value),
                                            ("state", CaseState, "案件状态", CaseState.REGISTERED.value)):
                try:
                    parsed[key] = cls.parse(raw.get(key) or default, what)
                except ValueError as exc:
                    problems.append(str(exc))
            try:
                registered = _when(raw.get("registered_at"), "登记时间")
                if local_day(registered) > today:
                    problems.append("登记时间晚于今天")
            except ValueError as exc:
                problems.append(str(exc))
                registered = None
            med = None
            if raw.get("mediator"):
                med = mediators.get(str(raw["mediator"]))
                if med is None:
                    problems.append(f"没有用户名为“{raw['mediator']}”的调解员")
                elif Role.MEDIATOR not in parse_roles(med.roles):
                    problems.append(f"{med.display_name}不是调解员")
            parties_raw = raw.get("parties")
            checked: list[PartyInput] = []
            if not isinstance(parties_raw, list) or not parties_raw:
                problems.append("至少要有一方当事人")
            else:
                for i, pr in enumerate(parties_raw, 1):
                    try:
                        p = _party_from(pr, i)
                    except (ValueError, TypeError) as exc:
                        problems.append(str(exc))
                        continue
                    res = rules.check_party(p, today)
                    problems += [f"第{i}个当事人：{e}" for e in res.errors]
                    checked.append(res.party)
            ys = rules.parse_case_number(pattern, number)
            if ys and not (1 <= ys[1] <= CASE_SEQ_MAX and 1949 <= ys[0] <= 9999):
                # the year's counter goes on from the imported number: keep it where it can count
                problems.append(f"案号 {number} 的年份或序号超出可用范围（序号 1–{CASE_SEQ_MAX}）")
            if problems:
                errors += [f"{where}：{p}" for p in problems]
                continue
            if number in existing:
                plan.append((number, None))
                continue
            plan.append((number, (raw, cat, sub, parsed, registered, med, checked)))
        if errors:
            raise ImportRejected(errors)
        report = ImportReport(len(records))
        bumps: dict[int, int] = {}
        for number, item in plan:
            if item is None:
                report.skipped.append(number)
                continue
            raw, cat, sub, parsed, registered, med, checked = item
            ys = rules.parse_case_number(pattern, number)
            year, seq = ys if ys else (local_day(registered).year, None)
            if seq is not None:
                bumps[year] = max(bumps.get(year, 0), seq)
            state = parsed["state"]
            c = Case(number=number, year=year, seq=seq, category=cat.value, subcategory=sub,
                     source=parsed["source"].value, risk=parsed["risk"].value,
                     police_flag=bool(raw.get("police_flag")), police_note=str(raw.get("police_note") or ""),
                     police_flagged_at=registered if raw.get("police_flag") else None,
                     facts=str(raw.get("facts") or "").strip(), claims=str(raw.get("claims") or "").strip(),
                     state=state.value, state_reason=str(raw.get("state_reason") or ""),
                     transfer_target=str(raw.get("transfer_target") or "")[:200], ticket_id=None,
                     registered_by=None, mediator_id=med.id if med else None, imported_from=origin[:64],
                     created_at=registered, updated_at=uow.now,
                     accepted_at=registered if state is not CaseState.REGISTERED else None,
                     closed_at=registered if state is CaseState.CLOSED else None)
            uow.s.add(c)
            uow.s.flush()
            for i, p in enumerate(checked):
                _insert_party(uow, c.id, p, i)
            if med is not None:
                uow.s.add(CaseMediator(case_id=c.id, mediator_id=med.id, assigned_at=registered,
                                       assigned_by=None, release_reason=""))
            timeline(uow, c.id, "imported", f"从{origin or '其他系统'}导入（原状态：{state.label}）")
            report.imported.append(number)
        for year, top in bumps.items():
            row = uow.s.execute(uow.lock_for_update(select(CaseCounter).where(CaseCounter.year == year))
                                ).scalar_one_or_none()
            if row is None:
                uow.s.add(CaseCounter(year=year, last_seq=top))
            elif row.last_seq < top:
                row.last_seq = top
        uow.audit("case.import", "case", "", origin=origin, imported=len(report.imported),
                  skipped=len(report.skipped))
        if report.imported:
            uow.event("case.imported", count=len(report.imported))
        return report
