"""Helpers shared by the case modules: lookups, the state move, timeline lines,
events, case numbers and the insertion of parties and agents."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hall.domain import cases as rules
from hall.domain.cases import AgentInput, CaseAction, CaseState, PartyInput, PersonRef, Side
from hall.domain.clock import as_utc_or_none
from hall.domain.masking import mask_id_number
from hall.domain.names import stored_keys
from hall.domain.roles import Role, parse_roles
from hall.domain.search import pinyin_full, pinyin_initials
from hall.store.case_models import Case, CaseAgent, CaseParty, CaseTimelineEntry
from hall.store.models import User, Visitor

from ..base import Conflict, InvalidInput, NotFound, UnitOfWork
from ..base import centre_profile_in as _profile

#: How much of an ID number a role without ``visitor.see_id_number`` sees.
ID_TAIL_SHOWN = 4


# ==================================================================== helpers
_utc = as_utc_or_none


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


def case_pattern(s: Session) -> str:
    return _profile(s).get("mediation_case_pattern") or rules.DEFAULT_CASE_PATTERN


def committee_name(s: Session) -> str:
    p = _profile(s)
    return p.get("mediation_committee") or (p.get("name", "") + "人民调解委员会")


#: The largest sequence number of a case in a year (an imported number beyond
#: it would make the year's counter overflow on PostgreSQL's integer).
CASE_SEQ_MAX = 999_999


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

def _party(uow: UnitOfWork, party_id: int) -> CaseParty:
    p = uow.s.get(CaseParty, party_id)
    if p is None or not p.active:
        raise NotFound(f"没有编号为 {party_id} 的当事人")
    return p
