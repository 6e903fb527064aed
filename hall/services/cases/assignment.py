"""Mediators of a case: the choice at intake, assignment, the recusal check
(人民调解法第十九条), a party's request for another mediator, and the
mediator's own identity numbers for that check."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hall.domain import cases as rules
from hall.domain.cases import CaseState, PersonRef
from hall.domain.clock import local_day
from hall.domain.roles import Role, parse_roles
from hall.store.case_models import Case, CaseMediator, MediatorProfile
from hall.store.db import Database
from hall.store.models import User

from ..base import Actor, Conflict, InvalidInput, NotFound, UnitOfWork, checked_id_and_phone, unit_of_work
from ..views import JsonView
from ._common import _case, _expect_open, _mediator_user, _party, _people_of_case, case_event, timeline
from .views import CaseView, RecusalCheck, _case_view


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
    return {mid: n for mid, n in s.execute(select(Case.mediator_id, func.count()).where(
        Case.state.in_(open_states), Case.mediator_id.is_not(None)).group_by(Case.mediator_id)).tuples()
        if mid is not None}


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
