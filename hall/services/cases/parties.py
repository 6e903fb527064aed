"""Parties and their agents (代理人): adding, editing and removing them, with
the recusal note when a change puts the mediator in conflict."""
from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hall.domain import cases as rules
from hall.domain.cases import AgentInput, PartyInput, Side
from hall.domain.names import stored_keys
from hall.domain.search import pinyin_full, pinyin_initials
from hall.store.case_models import Agreement, Case, CaseAgent, CaseParty
from hall.store.db import Database
from hall.store.models import User

from ..base import Actor, Conflict, InvalidInput, NotFound, UnitOfWork, unit_of_work
from ..base import uow_today as _today
from ._common import _case, _checked_party, _expect_open, _insert_agent, _insert_party, _party, case_event, timeline
from .assignment import _recusal
from .views import AgentView, CaseView, PartyView, _agent_view, _case_view, _mediator_ref, _party_view


# ============================================================ parties, agents
def _party_input(p: CaseParty) -> PartyInput:
    return PartyInput(name=p.name, side=p.side, kind=p.kind, sex=p.sex, ethnicity=p.ethnicity,
                      birth_date=p.birth_date, id_number=p.id_number, credit_code=p.credit_code,
                      occupation=p.occupation, address=p.address, phone=p.phone, legal_rep=p.legal_rep,
                      legal_rep_title=p.legal_rep_title, visitor_id=p.visitor_id)


def _conflict_note(uow: UnitOfWork, c: Case) -> None:
    """After a party or agent changes: note a conflict with the assigned mediator."""
    if not c.mediator_id:
        return
    mediator = uow.s.get(User, c.mediator_id)
    if mediator is None:
        raise NotFound(f"没有编号为 {c.mediator_id} 的工作人员")
    check = _recusal(uow.s, c.id, mediator)
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
