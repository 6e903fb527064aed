"""Appointments: booking a slot, cancelling, checking in, sweeping no-shows.

Slots are generated from the service's plan (``appointment_plans``: slot
length, places per slot, weekly hours, days ahead) on the working days of the
hall's calendar (entered holiday schedules included); only bookings are
stored. The rules are in ``hall.domain.appointments``.

Checking in on arrival issues a ticket through ``hall.services.queue.issue_ticket``:
within the slot's check-in window (settings ``appointments.early_minutes``,
``appointments.late_minutes``; 15 before to 10 after by default) with the
``appointment`` priority: the visitor is called next at the first free window
of the service unless a statutory-priority visitor waits
(``hall.domain.queue.BOOKED_CALL_RULE``, ``pick_next``); later, an ordinary ticket, and the appointment is marked late. ``sweep_missed``
marks the bookings whose window has passed as missed; a visitor who still
comes that day is then checked in as late.

Names and phone numbers are masked on every public surface (events, the
``public()`` view); staff views carry them in full.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hall.domain import appointments as rules
from hall.domain.appointments import AppointmentStatus as A
from hall.domain.appointments import Arrival, CheckInPolicy, Slot, SlotPlan
from hall.domain.clock import HALL_TZ, as_utc, local_day, to_local
from hall.domain.identity import check_phone
from hall.domain.masking import mask_name, mask_phone
from hall.domain.queue import BOOKED_CALL_RULE, PriorityReason
from hall.store.centre_models import Appointment, AppointmentPlan
from hall.store.db import Database
from hall.store.models import Service, Setting, Ticket

from . import notices, queue
from .base import Actor, Conflict, InvalidInput, NotFound, UnitOfWork, checked_name, rows_changed, unit_of_work
from .deadlines import calendar
from .views import JsonView, TicketView

ACTION = "appointment.manage"
#: Statuses that hold a place in their slot.
HOLDING = (A.BOOKED.value, A.CHECKED_IN.value, A.LATE.value, A.MISSED.value)
NEAREST_SHOWN = 3


# ------------------------------------------------------------------ views
@dataclass(frozen=True)
class SlotView(JsonView):
    service: str
    day: dt.date
    start: dt.datetime          # UTC
    end: dt.datetime
    label: str                  # 11月23日 10:00-10:30
    capacity: int
    booked: int
    free: int
    bookable: bool              # free, not yet started, within the booking horizon


@dataclass(frozen=True)
class AppointmentView(JsonView):
    id: int
    service: str
    service_name: str
    day: dt.date
    slot_start: dt.datetime
    slot_end: dt.datetime
    slot_label: str
    status: str
    status_label: str
    channel: str
    masked_name: str
    masked_phone: str
    name: str = ""              # staff surfaces only
    phone: str = ""             # staff surfaces only
    note: str = ""
    ticket_id: int | None = None
    ticket_number: str | None = None
    booked_at: dt.datetime | None = None
    checked_in_at: dt.datetime | None = None

    def public(self) -> dict:
        """What a kiosk, a screen or an event may show."""
        return {"appointment_id": self.id, "service": self.service, "service_name": self.service_name,
                "slot_label": self.slot_label, "status": self.status, "masked_name": self.masked_name,
                "masked_phone": self.masked_phone}


@dataclass(frozen=True)
class CheckInResult(JsonView):
    appointment: AppointmentView
    ticket: TicketView
    on_time: bool
    message: str


# ----------------------------------------------------------------- helpers
def _local(moment: dt.datetime) -> dt.datetime:
    """An aware moment, or a naive hall wall-clock time, as hall-local time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=HALL_TZ)
    return moment.astimezone(HALL_TZ)


def check_in_policy(session: Session) -> CheckInPolicy:
    # stored JSON, as get_setting() returns it
    values: dict[str, Any] = dict(session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(
        ["appointments.early_minutes", "appointments.late_minutes"]))).tuples().all())
    return CheckInPolicy(int(values.get("appointments.early_minutes", rules.DEFAULT_EARLY_MINUTES)),
                         int(values.get("appointments.late_minutes", rules.DEFAULT_LATE_MINUTES)))


def _plan(session: Session, service: str, *, lock: UnitOfWork | None = None) -> tuple[Service, SlotPlan]:
    stmt = select(Service).where(Service.code == service)
    if lock is not None:
        stmt = lock.lock_for_update(stmt)   # serialises bookings of one service (PostgreSQL)
    svc = session.execute(stmt).scalar_one_or_none()
    if svc is None or not svc.active:
        raise NotFound(f"没有代码为“{service}”的业务")
    row = session.get(AppointmentPlan, svc.id)
    if row is None or not row.active:
        raise InvalidInput(f"“{svc.name}”暂不接受预约")
    return svc, SlotPlan(row.slot_minutes, row.capacity, rules.parse_hours(row.hours), row.days_ahead)


def _booked(session: Session, service_id: int, first: dt.datetime, last: dt.datetime) -> dict[dt.datetime, int]:
    """Places taken per slot start, for slots starting in [first, last)."""
    rows = session.execute(
        select(Appointment.slot_start, func.count()).where(
            Appointment.service_id == service_id, Appointment.status.in_(HOLDING),
            Appointment.slot_start >= first, Appointment.slot_start < last)
        .group_by(Appointment.slot_start)).all()
    return {as_utc(start): n for start, n in rows}


def _days(session: Session, today: dt.date, plan: SlotPlan) -> list[dt.date]:
    cal = calendar(session)
    return [d for d in (today + dt.timedelta(days=i) for i in range(plan.days_ahead + 1))
            if cal.is_workday(d)]


def _free_slots(session: Session, svc: Service, plan: SlotPlan, now: dt.datetime) -> list[Slot]:
    """Every slot that may still be booked, from now to the end of the horizon."""
    days = _days(session, local_day(now), plan)
    if not days:
        return []
    slots = [slot for d in days for slot in rules.slots_on(plan, d) if slot.start_at > now]
    if not slots:
        return []
    taken = _booked(session, svc.id, slots[0].start_at, slots[-1].start_at + dt.timedelta(seconds=1))
    return [slot for slot in slots if taken.get(slot.start_at, 0) < plan.capacity]


def _view_rows(session: Session, stmt) -> list[AppointmentView]:
    rows = session.execute(stmt.add_columns(Service.code, Service.name, Ticket.number)
                           .join(Service, Service.id == Appointment.service_id)
                           .outerjoin(Ticket, Ticket.id == Appointment.ticket_id)).all()
    return [_view(a, code, name, number) for a, code, name, number in rows]


def _view(a: Appointment, code: str, name: str, ticket_number: str | None) -> AppointmentView:
    start = as_utc(a.slot_start)
    end = start + dt.timedelta(minutes=a.slot_minutes)
    slot = Slot(a.day, to_local(start).time(), to_local(end).time())
    return AppointmentView(
        id=a.id, service=code, service_name=name, day=a.day, slot_start=start, slot_end=end,
        slot_label=slot.label, status=a.status, status_label=A(a.status).label, channel=a.channel,
        masked_name=mask_name(a.name), masked_phone=mask_phone(a.phone), name=a.name, phone=a.phone,
        note=a.note or "", ticket_id=a.ticket_id, ticket_number=ticket_number,
        booked_at=as_utc(a.booked_at) if a.booked_at else None,
        checked_in_at=as_utc(a.checked_in_at) if a.checked_in_at else None)


def _load(session: Session, appointment_id: int) -> AppointmentView:
    found = _view_rows(session, select(Appointment).where(Appointment.id == appointment_id))
    if not found:
        raise NotFound(f"没有编号为 {appointment_id} 的预约")
    return found[0]


# ------------------------------------------------------------------ reads
def available_slots(db: Database, service: str, day: dt.date) -> list[SlotView]:
    """The day's slots of a service with their places (none on a rest day)."""
    now = db.clock.now()
    with db.read() as s:
        svc, plan = _plan(s, service)
        if not calendar(s).is_workday(day):
            return []
        slots = rules.slots_on(plan, day)
        if not slots:
            return []
        taken = _booked(s, svc.id, slots[0].start_at, slots[-1].start_at + dt.timedelta(seconds=1))
        horizon = local_day(now) + dt.timedelta(days=plan.days_ahead)
        out = []
        for slot in slots:
            n = taken.get(slot.start_at, 0)
            free = max(plan.capacity - n, 0)
            out.append(SlotView(svc.code, day, slot.start_at, slot.end_at, slot.label, plan.capacity,
                                n, free, free > 0 and slot.start_at > now and day <= horizon))
        return out


def appointment(db: Database, appointment_id: int) -> AppointmentView:
    with db.read() as s:
        return _load(s, appointment_id)


def list_appointments(db: Database, day: dt.date, *, service: str | None = None,
                      status: str | None = None) -> list[AppointmentView]:
    """A day's bookings in slot order (the front desk's list)."""
    stmt = select(Appointment).where(Appointment.day == day)
    if status:
        stmt = stmt.where(Appointment.status == status)
    if service:
        stmt = stmt.where(Service.code == service)
    with db.read() as s:
        return _view_rows(s, stmt.order_by(Appointment.slot_start, Appointment.id))


def find_by_phone(db: Database, phone: str, day: dt.date | None = None) -> list[AppointmentView]:
    """A visitor's bookings by phone number (today's by default), for check-in."""
    pc = check_phone(phone)
    if not pc.ok:
        raise InvalidInput(pc.message)
    day = day or local_day(db.clock.now())
    with db.read() as s:
        return _view_rows(s, select(Appointment).where(Appointment.phone == pc.normalized,
                                                       Appointment.day == day)
                          .order_by(Appointment.slot_start, Appointment.id))


# ---------------------------------------------------------------- actions
def book(db: Database, actor: Actor, service: str, start: dt.datetime, name: str, phone: str, *,
         channel: str = "front_desk", note: str = "", notice_consent: bool = False) -> AppointmentView:
    """Book the slot of ``service`` starting at ``start`` (aware, or hall
    wall-clock time) for a visitor (name and phone required), at the front
    desk or taken on the phone. A full slot is refused with the nearest free
    slots in the message (and in ``details["free_slots"]``)."""
    actor.require(ACTION)  # before reading the input
    name = checked_name(name, what="预约人姓名", required=True)
    if not (phone or "").strip():
        raise InvalidInput("预约需要联系电话")
    pc = check_phone(phone)
    if not pc.ok:
        raise InvalidInput(pc.message)
    if channel not in rules.CHANNELS:
        raise InvalidInput(f"未知的预约方式：{channel}（可用：{'、'.join(k + '=' + v for k, v in rules.CHANNELS.items())}）")
    local = _local(start)
    with unit_of_work(db, actor, ACTION) as uow:
        _sweep(uow)
        s = uow.s
        svc, plan = _plan(s, service, lock=uow)
        day = local.date()
        cal = calendar(s)
        if not cal.is_workday(day):
            raise InvalidInput(f"{day.month}月{day.day}日是{cal.describe(day)}，不办理预约")
        slot = rules.find_slot(plan, day, local.time().replace(second=0, microsecond=0)) \
            if local.second == 0 and local.microsecond == 0 else None
        if slot is None:
            hours = rules.describe_hours(plan.hours)
            raise InvalidInput(f"{day.month}月{day.day}日 {local:%H:%M} 不是“{svc.name}”的预约时段"
                               f"（每 {plan.slot_minutes} 分钟一个时段；开放时间：{hours}）")
        if slot.start_at <= uow.now:
            raise InvalidInput(f"{slot.label} 已开始或已过，请选择之后的时段")
        today = local_day(uow.now)
        if day > today + dt.timedelta(days=plan.days_ahead):
            raise InvalidInput(f"“{svc.name}”只能预约 {plan.days_ahead} 天内的时段")
        dup = s.execute(select(Appointment.id).where(
            Appointment.service_id == svc.id, Appointment.day == day,
            Appointment.phone == pc.normalized, Appointment.status == A.BOOKED.value)).first()
        if dup:
            raise Conflict(f"手机号 {mask_phone(pc.normalized)} 当天已预约“{svc.name}”，不能重复预约")
        taken = s.execute(select(func.count()).select_from(Appointment).where(
            Appointment.service_id == svc.id, Appointment.slot_start == slot.start_at,
            Appointment.status.in_(HOLDING))).scalar_one()
        if taken >= plan.capacity:
            free = rules.nearest(_free_slots(s, svc, plan, uow.now), slot.start_at, NEAREST_SHOWN)
            options = "、".join(x.label for x in free) if free else f"{plan.days_ahead} 天内已无可约时段"
            raise Conflict(f"{slot.label} 已约满（每个时段 {plan.capacity} 人）。最近的可约时段：{options}",
                           free_slots=[x.start_at.isoformat() for x in free])
        row = Appointment(service_id=svc.id, day=day, slot_start=slot.start_at,
                          slot_minutes=plan.slot_minutes, name=name, phone=pc.normalized,
                          channel=channel, status=A.BOOKED.value, note=(note or "").strip(),
                          booked_at=uow.now, booked_by=actor.user_id, cancel_reason="")
        s.add(row)
        s.flush()
        v = _view(row, svc.code, svc.name, None)
        if notice_consent:  # the visitor agreed to a reminder by SMS
            notices.on_appointment_booked(uow, row.id, pc.normalized)
        uow.audit("appointment.book", "appointment", row.id, service=svc.code, slot=slot.label,
                  channel=channel, name=v.masked_name, phone=v.masked_phone)
        uow.event("appointment.booked", **v.public())
        return v


def cancel(db: Database, actor: Actor, appointment_id: int, reason: str = "") -> AppointmentView:
    """Cancel a booking that has not been checked in; its place is free again."""
    with unit_of_work(db, actor, ACTION) as uow:
        _sweep(uow)
        a = uow.s.execute(uow.lock_for_update(select(Appointment).where(
            Appointment.id == appointment_id))).scalar_one_or_none()
        if a is None:
            raise NotFound(f"没有编号为 {appointment_id} 的预约")
        if a.status != A.BOOKED.value:
            raise Conflict(f"该预约当前为“{A(a.status).label}”，不能取消")
        a.status = A.CANCELLED.value
        a.cancelled_at = uow.now
        a.cancel_reason = (reason or "")[:200]
        uow.s.flush()
        v = _load(uow.s, a.id)
        uow.audit("appointment.cancel", "appointment", a.id, reason=a.cancel_reason,
                  changes={"status": [A.BOOKED.value, A.CANCELLED.value]})
        uow.event("appointment.cancelled", **v.public())
        return v


def check_in(db: Database, actor: Actor, appointment_id: int) -> CheckInResult:
    """The booked visitor has arrived: issue a ticket.

    Within the slot's check-in window the ticket has the ``appointment``
    priority; after it, an ordinary ticket and the appointment is late (also
    when the sweep already marked it missed that day). Before the window
    opens the check-in is refused with the time it opens.

    The ticket is issued by ``queue.issue_ticket`` (its own transaction), then
    the appointment is marked; should the appointment have changed in
    between (a second desk checked it in), the new ticket is cancelled again.
    """
    actor.require(ACTION)
    now = db.clock.now()
    with db.read() as s:
        a = _load(s, appointment_id)
        policy = check_in_policy(s)
    today = local_day(now)
    if a.status not in (A.BOOKED.value, A.MISSED.value):
        raise Conflict(f"该预约当前为“{a.status_label}”，不能签到")
    if a.day != today:
        when = "已过" if a.day < today else "未到"
        raise Conflict(f"这是 {a.day.month}月{a.day.day}日的预约，预约日期{when}，请重新取号或改约")
    arrival = policy.arrival(a.slot_start, now)
    if arrival is Arrival.EARLY:
        opens = to_local(policy.opens_at(a.slot_start))
        raise Conflict(f"预约时段为 {a.slot_label}，请于 {opens:%H:%M} 后签到")
    on_time = arrival is Arrival.ON_TIME and a.status == A.BOOKED.value
    ticket = queue.issue_ticket(db, actor, a.service,
                                priority=PriorityReason.APPOINTMENT.value if on_time else None,
                                name=a.name, phone=a.phone, note=f"预约签到（预约号 {a.id}）")
    new_status = A.CHECKED_IN if on_time else A.LATE
    try:
        with unit_of_work(db, actor, ACTION) as uow:
            row = uow.s.execute(uow.lock_for_update(select(Appointment).where(
                Appointment.id == a.id))).scalar_one()
            if row.status != a.status:
                raise Conflict(f"该预约已是“{A(row.status).label}”，请勿重复签到")
            row.status = new_status.value
            row.checked_in_at = uow.now
            row.ticket_id = ticket.id
            notices.on_appointment_checked_in(uow, row.id, ticket.id, ticket.number, ticket.service_name,
                                              ticket.ahead or 0, ticket.status_url)
            uow.s.flush()
            v = _load(uow.s, row.id)
            uow.audit("appointment.check_in", "appointment", row.id, ticket=ticket.number,
                      on_time=on_time, changes={"status": [a.status, new_status.value]})
            uow.event("appointment.checked_in", **v.public(), ticket_number=ticket.number,
                      on_time=on_time)
    except Conflict:
        queue.cancel(db, actor, ticket.id, "预约重复签到，撤销本号")
        raise
    if on_time:
        # the promise is the call rule (hall.domain.queue.pick_next), said as it is
        message = f"已签到，预约号 {ticket.number}：{BOOKED_CALL_RULE}"
    else:
        late = int((now - a.slot_start).total_seconds() // 60)
        message = (f"已超过预约时段（迟到 {late} 分钟），按普通号 {ticket.number} 排队")
    return CheckInResult(v, ticket, on_time, message)


def _sweep(uow: UnitOfWork) -> int:
    """Within an action's transaction: mark missed every booking whose
    check-in window has passed (so the first action after a slot does it)."""
    policy = check_in_policy(uow.s)
    cutoff = uow.now - dt.timedelta(minutes=policy.late_minutes)
    n = rows_changed(uow.s, update(Appointment).where(
        Appointment.status == A.BOOKED.value, Appointment.slot_start < cutoff)
        .values(status=A.MISSED.value)) or 0
    if n:
        uow.audit("appointment.sweep", "appointment", "", missed=n)
        uow.event("appointment.missed", count=n)
    return n


def sweep_missed(db: Database, actor: Actor) -> int:
    """Mark as missed every booking whose check-in window has passed. Returns
    how many. Safe to run at any time, from any workstation; the booking
    screen runs it on its own timer and every booking and cancellation runs
    it first (a late check-in is handled as late whether swept or not)."""
    with unit_of_work(db, actor, ACTION) as uow:
        return _sweep(uow)


def plan_for(db: Database, service: str) -> dict | None:
    """A service's appointment plan as data, or ``None`` when it takes none."""
    with db.read() as s:
        svc = s.execute(select(Service).where(Service.code == service)).scalar_one_or_none()
        if svc is None:
            raise NotFound(f"没有代码为“{service}”的业务")
        row = s.get(AppointmentPlan, svc.id)
        if row is None:
            return None
        return dict(service=service, slot_minutes=row.slot_minutes, capacity=row.capacity,
                    hours=dict(row.hours), days_ahead=row.days_ahead, active=bool(row.active))


__all__ = ["AppointmentView", "CheckInResult", "SlotView", "available_slots", "appointment", "book",
           "cancel", "check_in", "check_in_policy", "find_by_phone", "list_appointments",
           "plan_for", "sweep_missed"]
