"""Referrals (转介) of a case or a visitor to a lawyer, counselling or a
department: requesting, arranging, completing and receiving them."""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from hall.domain import cases as rules
from hall.domain.cases import ReferralKind, ReferralState
from hall.store.case_models import Case, Referral, RoomBooking
from hall.store.db import Database
from hall.store.models import Room, Service, Ticket, Visitor

from ..base import Actor, Conflict, InvalidInput, NotFound, UnitOfWork, unit_of_work
from ._common import _case, _parse, timeline
from .views import ReferralRequest, ReferralView, referral_view


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
