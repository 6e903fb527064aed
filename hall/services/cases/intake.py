"""Registration of a dispute (调解登记): from a served ticket or at the window,
with what the hall already knows of the people registering."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hall.domain import cases as rules
from hall.domain.cases import CaseState, Category, PartyInput, RiskLevel, Source
from hall.domain.clock import local_day
from hall.domain.masking import mask_id_number
from hall.store.case_models import Case, CaseParty, RoomBooking
from hall.store.db import Database
from hall.store.models import Service, Ticket, Visitor

from .. import visitors
from ..base import Actor, InvalidInput, NotFound, checked_id_and_phone, unit_of_work
from ..base import uow_today as _today
from ..case_rows import CaseRow, case_rows, visitor_cases
from ..numbering import MEDIATION_CASE, next_number
from ..views import JsonView
from ._common import _insert_party, _invalid, _mediator_user, _parse, case_event, case_pattern, timeline
from .assignment import _assign
from .views import BookingView, CaseView, IntakeHistory, _case_view, booking_views


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
        seq = next_number(uow, MEDIATION_CASE, year)
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
        cur: Ticket | None = t
        seen = set()
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

def intake_history(db: Database, actor: Actor, *, name: str | None = None, id_number: str | None = None,
                   phone: str | None = None, limit: int = 20) -> IntakeHistory:
    """A returning visitor's earlier tickets and cases, at registration.

    Matched by ID number and by phone number (exactly); by the name alone only
    when neither number is given (namesakes are common).
    """
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
        rows = case_rows(s, cids)
    hist = []
    if actor.may("visitor.lookup"):
        hist = [visitors.history(db, actor, vid) for vid in vids]
    return IntakeHistory(hist, rows)


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
