"""What the case actions return: frozen views, and the queries that build them.

ID numbers are masked unless the actor may see them (``visitor.see_id_number``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hall.domain import cases as rules
from hall.domain import money as rmb
from hall.domain.cases import CaseState, Category, PersonRef, ReferralKind, ReferralState, RiskLevel, Side, Source
from hall.store.case_models import (
    Agreement,
    AgreementSignoff,
    AgreementTerm,
    Case,
    CaseAgent,
    CaseFile,
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
from hall.store.models import Room, User

from ..case_rows import CaseRow
from ..case_rows import user_names as _user_names
from ..views import JsonView
from ._common import _mask, _utc


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
    pnames: dict[int | None, str] = dict(
        s.execute(select(CaseParty.id, CaseParty.name).where(CaseParty.case_id.in_(case_ids))).tuples().all())
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
