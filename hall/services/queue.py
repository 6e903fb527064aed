"""The queue engine: issuing, calling and serving tickets.

Each public function is one action at the front desk or a window, in one
transaction, with its permission check, audit row and event.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Row, Table, and_, bindparam, case, func, insert, or_, select, update
from sqlalchemy.orm import Session

from hall.domain import queue as rules
from hall.domain.catalogue import closed_reason
from hall.domain.clock import as_utc, local_day, to_local
from hall.domain.clock import as_utc_or_none as _utc
from hall.domain.masking import mask_name
from hall.domain.names import stored_keys
from hall.domain.queue import PriorityReason, TicketStatus
from hall.domain.search import pinyin_full, pinyin_initials
from hall.store.centre_models import WindowHours
from hall.store.db import Database
from hall.store.models import (
    Event,
    Service,
    Setting,
    Ticket,
    TicketCounter,
    User,
    Visitor,
    Window,
    WindowService,
    season_of,
)

from . import notices, status
from .base import (
    Actor,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    UnitOfWork,
    checked_id_and_phone,
    checked_name,
    got_by_id,
    locked_by_id,
    rows_changed,
    unit_of_work,
)
from .views import EventView, QueueSnapshot, ServiceQueue, TicketView, WindowView

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

S = TicketStatus

# The tables themselves: the statements of the hot actions (issue, call,
# finish) are Core statements on these, built once below with their values
# as bind parameters. SQLAlchemy then finds each one compiled in its cache
# instead of building a statement, its cache key and an ORM load per action
# (docs/performance.md, "Queue engine").
_t = cast(Table, Ticket.__table__)
_svc = cast(Table, Service.__table__)
_win = cast(Table, Window.__table__)
_ws = cast(Table, WindowService.__table__)
_vis = cast(Table, Visitor.__table__)
_counter = cast(Table, TicketCounter.__table__)
_hours = cast(Table, WindowHours.__table__)
_settings = cast(Table, Setting.__table__)

#: The ticket states in which a ticket occupies its window.
_AT_WINDOW = [S.CALLED.value, S.SERVING.value]


# ----------------------------------------------------------------- helpers
#: A service by its code, read as a row (its entity is only read).
_SERVICE_BY_CODE = select(_svc.c.id, _svc.c.code, _svc.c.name, _svc.c.prefix, _svc.c.carry_over,
                          _svc.c.priority_weights, _svc.c.active).where(_svc.c.code == bindparam("code"))


def _service(session: Session, code: str) -> Row[Any]:
    """The active service ``code`` (id, code, name, prefix, carry_over,
    priority_weights), or :class:`NotFound`."""
    svc = session.execute(_SERVICE_BY_CODE, {"code": code}).one_or_none()
    if svc is None or not svc.active:
        raise NotFound(f"没有代码为“{code}”的业务")
    return svc


#: The window a call is made at, locked (``FOR UPDATE`` on PostgreSQL; SQLite
#: renders none, its writer transaction already holds the file).
_WINDOW_FOR_CALL = (select(_win.c.id, _win.c.code, _win.c.number, _win.c.name, _win.c.state,
                           _win.c.season_start, _win.c.season_end, _win.c.season_yearly,
                           _win.c.consecutive_priority, _win.c.active)
                    .where(_win.c.code == bindparam("code")).with_for_update())


def _window_row(uow: UnitOfWork, code: str) -> Row[Any]:
    """The active window ``code`` as a locked row, for an action that only
    reads it and writes back its run of priority calls (:func:`_set_priority_run`)."""
    win = uow.s.execute(_WINDOW_FOR_CALL, {"code": code}).one_or_none()
    if win is None or not win.active:
        raise NotFound(f"没有代码为“{code}”的窗口")
    return win


_SET_PRIORITY_RUN = update(_win).where(_win.c.id == bindparam("wid")).values(
    consecutive_priority=bindparam("run"))


def _set_priority_run(uow: UnitOfWork, win: Row[Any], called_priority: bool) -> None:
    """Count a call in the window's run of consecutive priority calls; the
    row is written only when the count changes (as the ORM did)."""
    run = rules.next_consecutive_priority(win.consecutive_priority, called_priority)
    if run != win.consecutive_priority:
        uow.s.execute(_SET_PRIORITY_RUN, {"wid": win.id, "run": run})


def _window(uow: UnitOfWork, code: str) -> Window:
    stmt = uow.lock_for_update(select(Window).where(Window.code == code))
    win = uow.s.execute(stmt).scalar_one_or_none()
    if win is None or not win.active:
        raise NotFound(f"没有代码为“{code}”的窗口")
    return win


def _ticket(uow: UnitOfWork, ticket_id: int) -> Ticket:
    return locked_by_id(uow, Ticket, ticket_id, "排队号")


def _carries_over(session: Session, service_id: int) -> bool:
    """Whether the service's tickets may still be called after their day."""
    return bool(got_by_id(session, Service, service_id, "业务").carry_over)


def _expect(t: Ticket, *allowed: TicketStatus) -> None:
    _expect_status(t.number, t.status, *allowed)


def _expect_status(number: str, status: str, *allowed: TicketStatus) -> None:
    if status not in {a.value for a in allowed}:
        raise Conflict(f"{number} 当前状态为“{S(status).label}”，不能执行此操作",
                       status=status)


_POLICY = select(_settings.c.key, _settings.c.value).where(
    _settings.c.key.in_(["queue.priority_cap", "queue.rank_penalty_minutes"]))


def _policy(session: Session) -> tuple[int, int]:
    values: dict[str, Any] = dict(session.execute(_POLICY).tuples().all())   # stored JSON
    return (int(values.get("queue.priority_cap", rules.DEFAULT_PRIORITY_CAP)),
            int(values.get("queue.rank_penalty_minutes", rules.DEFAULT_RANK_PENALTY_MINUTES)))


def _callable_clause(today):
    """Waiting tickets that may still be called: today's, or any day's where the
    service carries its queue over night. ``today``: a date, or a bind
    parameter in a statement built once."""
    carry = select(_svc.c.id).where(_svc.c.carry_over.is_(True)).scalar_subquery()
    return and_(_t.c.status == S.WAITING.value,
                or_(_t.c.business_day >= today, _t.c.service_id.in_(carry)))


_VIEW_COLUMNS = (_t.c.id, _t.c.number, _t.c.status, _t.c.business_day, _t.c.issued_at,
                 _t.c.priority_reason, _t.c.called_at, _t.c.started_at, _t.c.finished_at,
                 _t.c.outcome, _t.c.recall_count, _t.c.visitor_id, _t.c.transferred_from_id,
                 _t.c.transferred_to_id, _svc.c.code, _svc.c.name, _win.c.code, _win.c.name,
                 _win.c.number, _vis.c.name, _t.c.held_at, _t.c.hold_reason)


#: An on-time booked visitor's ticket, and a statutory-priority one (see ``rules.pick_next``).
_BOOKED = _t.c.priority_reason == PriorityReason.APPOINTMENT.value
_NOT_BOOKED = or_(_t.c.priority_reason.is_(None), _t.c.priority_reason != PriorityReason.APPOINTMENT.value)
_STATUTORY = and_(_t.c.priority_weight != 0, _NOT_BOOKED)


def _view_select():
    """One joined query gives everything a ticket view shows (no lazy loads)."""
    return (select(*_VIEW_COLUMNS).select_from(_t)
            .join(_svc, _svc.c.id == _t.c.service_id)
            .outerjoin(_win, _win.c.id == _t.c.window_id)
            .outerjoin(_vis, _vis.c.id == _t.c.visitor_id))


#: One ticket's view, by id.
_VIEW_BY_ID = _view_select().where(_t.c.id == bindparam("tid"))

#: One ticket's view with what a change needs to check (who called it, at
#: which window, its note), the ticket row locked: ``FOR UPDATE OF tickets``
#: on PostgreSQL (not the service, window or visitor joined to it); SQLite
#: renders none, its writer transaction already holds the file.
_VIEW_FOR_CHANGE = (_view_select().add_columns(_t.c.served_by, _t.c.window_id, _t.c.note)
                    .where(_t.c.id == bindparam("tid")).with_for_update(of=_t))


def _row_view(r, ahead: int | None = None) -> TicketView:
    (tid, number, status, day, issued, reason, called, started, finished, outcome, recalls,
     visitor_id, t_from, t_to, s_code, s_name, w_code, w_name, w_number, v_name, held_at, hold_reason) = r
    label = PriorityReason(reason).label if reason else None
    return TicketView(
        id=tid, number=number, service=s_code, service_name=s_name, status=status,
        business_day=day, issued_at=_utc(issued), priority_reason=reason, priority_label=label,
        window=w_code, window_name=w_name, window_number=w_number, called_at=_utc(called),
        started_at=_utc(started), finished_at=_utc(finished), outcome=outcome,
        recall_count=recalls, ahead=ahead, masked_name=mask_name(v_name) if v_name else "",
        visitor_id=visitor_id, visitor_name=v_name or "", transferred_from=t_from,
        transferred_to=t_to, held_at=_utc(held_at), hold_reason=hold_reason)


def _load_view(s: Session, ticket_id: int, ahead: int | None = None) -> TicketView:
    row = s.execute(_VIEW_BY_ID, {"tid": ticket_id}).one_or_none()
    if row is None:
        raise NotFound(f"没有编号为 {ticket_id} 的排队号")
    return _row_view(row, ahead)


def _board_payload(v: TicketView) -> dict:
    """What a public surface may know of a ticket: never a full name or ID."""
    return {"ticket_id": v.id, "number": v.number, "service": v.service,
            "service_name": v.service_name, "status": v.status, "masked_name": v.masked_name,
            "window": v.window, "window_name": v.window_name, "window_number": v.window_number}


def _call_payload(session: Session, v: TicketView) -> dict:
    """A call's public payload; a transferred ticket also names the number the
    visitor holds on paper (``was_number``)."""
    payload = _board_payload(v)
    if v.transferred_from is not None:
        was = session.execute(select(Ticket.number).where(Ticket.id == v.transferred_from)).scalar_one_or_none()
        if was:
            payload["was_number"] = was
    return payload


def _ahead_count(ahead):
    """The count behind :func:`_ahead` for one kind of ticket, built once."""
    return select(func.count()).select_from(_t).where(
        _callable_clause(bindparam("today")), _t.c.service_id == bindparam("sid"),
        _t.c.id != bindparam("tid"), ahead)


_EARLIER = or_(_t.c.queue_key < bindparam("key"),
               and_(_t.c.queue_key == bindparam("key"), _t.c.id < bindparam("tid")))
#: Ahead of an on-time booked visitor: the statutory priorities and the earlier bookings.
_AHEAD_OF_BOOKED = _ahead_count(or_(_STATUTORY, and_(_BOOKED, _EARLIER)))
#: Ahead of a statutory priority: the earlier tickets, but no booking.
_AHEAD_OF_PRIORITY = _ahead_count(and_(_EARLIER, _NOT_BOOKED))
#: Ahead of anyone else: the earlier tickets and every booking.
_AHEAD_OF_ORDINARY = _ahead_count(or_(and_(_EARLIER, _NOT_BOOKED), _BOOKED))
_PRIORITY_OF = select(_t.c.priority_reason, _t.c.priority_weight).where(_t.c.id == bindparam("tid"))


def _ahead(session: Session, service_id: int, key: int, ticket_id: int, today: dt.date,
           priority: tuple[str | None, int] | None = None) -> int:
    """Waiting tickets of the same service that are ahead of this one in its
    queue, by the call rule: an on-time booked visitor has the statutory
    priorities and earlier bookings ahead; a statutory priority the earlier
    tickets but no booking; anyone else the earlier tickets and every booking.

    ``priority``: the ticket's ``(priority_reason, priority_weight)`` when the
    caller has just written them (issuing), so they are not read back."""
    if priority is None:
        reason, weight = session.execute(_PRIORITY_OF, {"tid": ticket_id}).one()
    else:
        reason, weight = priority
    if reason == PriorityReason.APPOINTMENT.value:
        stmt = _AHEAD_OF_BOOKED
    elif weight:
        stmt = _AHEAD_OF_PRIORITY
    else:
        stmt = _AHEAD_OF_ORDINARY
    return session.execute(stmt, {"today": today, "sid": service_id, "key": key,
                                  "tid": ticket_id}).scalar_one()


_OLDEST_WAITING_DAY = select(func.min(_t.c.business_day)).where(
    _t.c.service_id == bindparam("sid"), _t.c.status == S.WAITING.value)
#: The counter upsert per dialect, built on first use: importing the
#: PostgreSQL dialect costs about 60 ms of every start, also on SQLite.
_COUNTER_UPSERT: dict[bool, Any] = {}


def _counter_upsert(postgres: bool):
    """``INSERT … ON CONFLICT DO UPDATE … RETURNING last_number`` on the
    counter row, built once per dialect; the values are bind parameters."""
    stmt = _COUNTER_UPSERT.get(postgres)
    if stmt is None:
        ins: PgInsert | SqliteInsert
        if postgres:
            from sqlalchemy.dialects.postgresql import insert as pg_upsert
            ins = pg_upsert(_counter)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_upsert
            ins = sqlite_upsert(_counter)
        stmt = ins.on_conflict_do_update(
            index_elements=[_counter.c.service_id, _counter.c.business_day],
            set_={"last_number": _counter.c.last_number + 1},
        ).returning(_counter.c.last_number)
        _COUNTER_UPSERT[postgres] = stmt
    return stmt


def _next_number(uow: UnitOfWork, svc) -> tuple[dt.date, int]:
    """Allocate the next number of ``svc`` inside the issuing transaction.

    The counter row is the lock point: an upsert that increments and returns
    it, so two front desks can never get the same number.
    """
    oldest = None
    if svc.carry_over:
        oldest = uow.s.execute(_OLDEST_WAITING_DAY, {"sid": svc.id}).scalar_one()
    day = rules.business_day(uow.now, carry_over=svc.carry_over, oldest_waiting_day=oldest)
    seq = uow.s.execute(_counter_upsert(uow.db.is_postgres),
                        {"service_id": svc.id, "business_day": day, "last_number": 1}).scalar_one()
    return day, seq


class NameMismatch(Conflict):
    """The typed name differs from the one recorded for the typed ID number:
    the clerk chooses (``name_choice="recorded"`` or ``"typed"``); nobody is
    renamed silently. ``details``: ``visitor_id``, ``recorded_name``, ``typed_name``."""

    code = "name_mismatch"


NAME_CHOICES = ("recorded", "typed")


def _find_or_add_visitor(uow: UnitOfWork, name: str | None, id_number: str | None,
                         phone: str | None, visitor_id: int | None = None,
                         name_choice: str | None = None) -> Visitor | None:
    if name_choice is not None and name_choice not in NAME_CHOICES:
        raise InvalidInput(f"姓名处理方式只能是 {' / '.join(NAME_CHOICES)}")
    name = checked_name(name)
    idn, tel = checked_id_and_phone(id_number, phone, local_day(uow.now))
    if visitor_id is not None:
        visitor = uow.s.get(Visitor, visitor_id)
        if visitor is None:
            raise NotFound(f"没有编号为 {visitor_id} 的来访人")
    elif not (name or idn or tel):
        return None
    else:
        visitor = None
    if visitor is None and idn:
        visitor = uow.s.execute(select(Visitor).where(Visitor.id_number == idn)).scalar_one_or_none()
        if visitor is not None and name and visitor.name and visitor.name != name:
            if name_choice is None:
                raise NameMismatch(f"身份证号已登记在“{visitor.name}”名下，与输入的姓名“{name}”不一致："
                                   "请核对后选择按登记姓名取号，或更正登记的姓名",
                                   visitor_id=visitor.id, recorded_name=visitor.name, typed_name=name)
            if name_choice == "recorded":
                name = visitor.name
    if visitor is None and name and tel:
        visitor = uow.s.execute(select(Visitor).where(Visitor.name == name, Visitor.phone == tel,
                                                      Visitor.merged_into_id.is_(None))).scalars().first()
    if visitor is None:
        initials, pinyin = stored_keys(pinyin_initials(name), pinyin_full(name)) if name else ("", "")
        visitor = Visitor(name=name, id_number=idn, phone=tel, created_at=uow.now,
                          name_initials=initials, name_pinyin=pinyin)
        uow.s.add(visitor)
        uow.s.flush()
    else:
        if name and visitor.name != name:
            uow.audit("visitor.rename", "visitor", visitor.id)  # names stay out of the audit log
            visitor.name = name
            visitor.name_initials, visitor.name_pinyin = stored_keys(pinyin_initials(name), pinyin_full(name))
        if tel:
            visitor.phone = tel
        if idn and visitor.id_number and idn != visitor.id_number:
            raise InvalidInput("输入的身份证号与所选来访人登记的不一致，请核对")
        if idn and not visitor.id_number:
            other = uow.s.execute(select(Visitor.id).where(Visitor.id_number == idn)).scalar_one_or_none()
            if other is not None:
                raise InvalidInput("此身份证号已登记在另一来访人名下，请通过查询选择该来访人")
            visitor.id_number = idn
    return visitor


def _window_closed(s: Session, win: Window, now: dt.datetime, hours: dict | None = None) -> str | None:
    """Why ``win`` takes no tickets today (season, weekly hours), or ``None``."""
    if hours is None:
        row = s.get(WindowHours, win.id)
        hours = dict(row.hours) if row else {}
    return closed_reason(win.season, hours, to_local(now))


def service_offers(s: Session, now: dt.datetime, service_id: int | None = None) -> dict[int, str | None]:
    """For each active service id (or just ``service_id``): ``None`` when some
    active window serving it takes tickets today, else the reason it is not
    offered (in Chinese). Two queries, whatever the number of windows."""
    links = select(WindowService.service_id, Window).join(Window, Window.id == WindowService.window_id).where(
        Window.active.is_(True))
    services = select(Service.id).where(Service.active.is_(True))
    if service_id is not None:
        links = links.where(WindowService.service_id == service_id)
        services = services.where(Service.id == service_id)
    serving: dict[int, list[Window]] = {}
    for sid, w in s.execute(links.order_by(Window.number)).all():
        serving.setdefault(sid, []).append(w)
    window_ids = {w.id for ws in serving.values() for w in ws}
    hours = {h.window_id: dict(h.hours) for h in s.execute(
        select(WindowHours).where(WindowHours.window_id.in_(window_ids))).scalars()} if window_ids else {}
    closed: dict[int, str | None] = {wid: None for wid in window_ids}
    for ws in serving.values():
        for w in ws:
            closed[w.id] = _window_closed(s, w, now, hours.get(w.id, {}))
    out: dict[int, str | None] = {}
    for sid in s.execute(services).scalars():
        out[sid] = _not_offered([(w.number, closed[w.id]) for w in serving.get(sid, [])])
    return out


def _not_offered(windows: list[tuple[int, str | None]]) -> str | None:
    """Why a service is not offered today, from its serving windows' numbers
    (in order) and why each is closed (``None``: open); ``None`` when one is open."""
    if not windows:
        return "没有窗口办理此业务"
    if any(closed is None for _, closed in windows):
        return None
    if len(windows) == 1:
        return f"{windows[0][0]}号窗口今天不受理：{windows[0][1]}"
    return "办理窗口今天都不受理：" + "；".join(f"{number}号{closed}" for number, closed in windows)


#: The active windows serving one service, with their seasons and weekly hours.
_SERVING_WINDOWS = (select(_win.c.number, _win.c.season_start, _win.c.season_end, _win.c.season_yearly,
                           _hours.c.hours)
                    .select_from(_ws.join(_win, _win.c.id == _ws.c.window_id)
                                 .outerjoin(_hours, _hours.c.window_id == _win.c.id))
                    .where(_ws.c.service_id == bindparam("sid"), _win.c.active.is_(True))
                    .order_by(_win.c.number))


def _refuse_unoffered(uow: UnitOfWork, svc) -> None:
    """Refuse a ticket of an (active) service no window takes today: what
    :func:`service_offers` says for it, in one query."""
    local = to_local(uow.now)
    reason = _not_offered([
        (number, closed_reason(season_of(start, end, yearly), dict(hours) if hours else {}, local))
        for number, start, end, yearly, hours in uow.s.execute(_SERVING_WINDOWS, {"sid": svc.id})])
    if reason:
        raise Conflict(f"“{svc.name}”今天不能取号（{reason}），请引导来访人改办其他业务或另行预约")


# ----------------------------------------------------------------- actions
#: The new ticket's row; its id comes back from the same statement (``RETURNING``).
_ISSUE = insert(_t).returning(_t.c.id)


def issue_ticket(db: Database, actor: Actor, service: str, *, priority: str | None = None,
                 name: str | None = None, id_number: str | None = None,
                 phone: str | None = None, note: str = "",
                 visitor_id: int | None = None, name_choice: str | None = None, notice_consent: bool = False,
                 notice_to: str | None = None) -> TicketView:
    """Issue the next number of ``service`` for today (front desk).

    ``notice_consent``: the visitor agreed to be told by SMS at ``phone``
    (or ``notice_to``, a family member's number or an e-mail address).

    ``visitor_id`` names a returning visitor chosen at the front desk (what
    is typed afresh updates their record). A typed name that differs from
    the one recorded for a typed ID number raises :class:`NameMismatch`
    unless ``name_choice`` says which name is right. The number comes from the
    per-service per-day counter, updated in this transaction; on SQLite the commit is synchronous, so a printed number
    survives a power cut and is never issued twice.
    """
    reason = None
    if priority:
        try:
            reason = PriorityReason(priority)
        except ValueError:
            raise InvalidInput(f"未知的优先原因：{priority}（可用："
                               f"{'、'.join(r.value + '=' + r.label for r in PriorityReason)}）") from None
    actor.require("ticket.issue")
    estimate = status.estimate_before_issue(db, service, reason.value if reason else None)
    with unit_of_work(db, actor, "ticket.issue") as uow:
        svc = _service(uow.s, service)
        _refuse_unoffered(uow, svc)
        visitor = _find_or_add_visitor(uow, name, id_number, phone, visitor_id, name_choice)
        day, seq = _next_number(uow, svc)
        weight = rules.weight_for(reason, svc.priority_weights)
        key = rules.queue_key(uow.now, weight)
        number = rules.format_ticket_number(svc.prefix, seq)
        reason_value = reason.value if reason else None
        tid = uow.s.execute(_ISSUE, dict(
            service_id=svc.id, business_day=day, seq=seq, number=number, status=S.WAITING.value,
            priority_reason=reason_value, priority_weight=weight, queue_key=key,
            visitor_id=visitor.id if visitor else None, issued_at=uow.now, issued_by=actor.user_id,
            note=note, recall_count=0)).scalar_one()
        ahead = _ahead(uow.s, svc.id, key, tid, local_day(uow.now), (reason_value, weight))
        url, wait = status.on_ticket_issued(uow, tid, number, svc.name, ahead, *_notice_address(
            notice_consent, notice_to, visitor.phone if visitor else None), estimate=estimate)
        v = TicketView(id=tid, number=number, service=svc.code, service_name=svc.name,
                       status=S.WAITING.value, business_day=day, issued_at=uow.now,
                       priority_reason=reason.value if reason else None,
                       priority_label=reason.label if reason else None, ahead=ahead,
                       masked_name=mask_name(visitor.name) if visitor and visitor.name else "",
                       visitor_id=visitor.id if visitor else None,
                       visitor_name=visitor.name if visitor else "", status_url=url, wait_text=wait)
        uow.audit("ticket.issue", "ticket", tid, number=number, service=svc.code,
                  priority=v.priority_reason, visitor_id=v.visitor_id)
        uow.event("ticket.issued", **_board_payload(v), ahead=ahead)
        return v


def _notice_address(consent: bool, notice_to: str | None, phone: str | None) -> tuple[str | None, str]:
    if not consent:
        return None, "visitor"
    if notice_to and notice_to.strip():
        return notice_to, "family" if notice_to.strip() != (phone or "") else "visitor"
    if not phone:
        raise InvalidInput("来访人同意接收通知，但没有填写手机号码")
    return phone, "visitor"


#: The number of a ticket called or being served at a window, if any.
_BUSY = select(_t.c.number).where(_t.c.window_id == bindparam("wid"), _t.c.status.in_(_AT_WINDOW)).limit(1)


def _ready_to_call(uow: UnitOfWork, window: str):
    """The window (a locked row), open, in season and with nobody at it, and today's date."""
    win = _window_row(uow, window)
    today = local_day(uow.now)
    if win.state != "open":
        raise Conflict(f"{win.number}号窗口未开启（当前：{_WINDOW_STATES.get(win.state, win.state)}），请先开启窗口")
    season = season_of(win.season_start, win.season_end, win.season_yearly)
    if season is not None and not season.contains(today):
        raise Conflict(f"{win.number}号窗口为季节性窗口，今天不在开放期内（{season.describe()}）")
    busy = uow.s.execute(_BUSY, {"wid": win.id}).scalar_one_or_none()
    if busy:
        raise Conflict(f"当前号 {busy} 尚未办结，请先办结、转移或标记过号")
    return win, today


def call_next(db: Database, actor: Actor, window: str) -> TicketView | None:
    """Claim the best waiting ticket this window serves, or ``None``.

    Safe with many windows at once: on PostgreSQL the candidate row is taken
    with ``FOR UPDATE SKIP LOCKED`` (a second window skips it and takes the
    next); on SQLite the writer transaction (``BEGIN IMMEDIATE``) serialises
    the claim. While an on-time booked visitor waits for one of the window's
    services, a statutory-priority visitor is called first if one waits, else
    the booked visitor. Otherwise: priority weight + waiting time − preference
    rank, ties by arrival, with the consecutive-priority cap (the model is
    ``hall.domain.queue.pick_next``).
    """
    with unit_of_work(db, actor, "ticket.call") as uow:
        win, today = _ready_to_call(uow, window)
        cap, penalty = _policy(uow.s)
        # The window's services and their ranks are joined into the claim
        # itself (window_services), so the statements stay the same whatever
        # the window serves; a window that serves nothing claims nothing.
        params = {"wid": win.id, "today": today, "rank_seconds": penalty * 60}
        picked = None
        if uow.s.execute(_BOOKED_WAITS, params).first() is not None:
            # an on-time booked visitor waits: statutory priority first, then the booking
            picked = _claim(uow, _CLAIM_STATUTORY, params) or _claim(uow, _CLAIM_BOOKED, params)
        if picked is None and cap > 0 and win.consecutive_priority >= cap:
            picked = _claim(uow, _CLAIM_ORDINARY, params)
        if picked is None:
            picked = _claim(uow, _CLAIM_ANY, params)
        if picked is None:
            return None
        tid, service_id = picked
        uow.s.execute(_CALL, {"tid": tid, "wid": win.id, "now": uow.now, "uid": actor.user_id})
        v = _load_view(uow.s, tid)
        _set_priority_run(uow, win, v.priority_reason is not None)
        uow.audit("ticket.call", "ticket", v.id, number=v.number, window=win.code)
        notices.on_called(uow, v.id, v.number, win.number, win.name, service_id=service_id)
        uow.event("ticket.called", **_call_payload(uow.s, v))
        return v


def call_ticket(db: Database, actor: Actor, window: str, ticket_id: int, reason: str) -> TicketView:
    """Call one chosen waiting ticket out of the call order (叫指定号), with the
    reason, which is audited: an urgent case, a visitor who must leave..."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("不按顺序叫号须填写原因")
    with unit_of_work(db, actor, "ticket.call") as uow:
        win, today = _ready_to_call(uow, window)
        t = _ticket(uow, ticket_id)
        _expect(t, S.WAITING)
        served = {sid for sid, _rank in uow.s.execute(_LINKS, {"wid": win.id})}
        if t.service_id not in served:
            raise Conflict(f"{t.number} 不属于{win.number}号窗口办理的业务")
        if not rules.callable_day(t.business_day, today, _carries_over(uow.s, t.service_id)):
            raise Conflict(f"{t.number} 是 {t.business_day:%m-%d} 的号，已不能叫")
        t.status = S.CALLED.value
        t.window_id = win.id
        t.called_at = uow.now
        t.served_by = actor.user_id
        uow.s.flush()
        v = _load_view(uow.s, t.id)
        _set_priority_run(uow, win, v.priority_reason is not None)
        uow.audit("ticket.call_chosen", "ticket", v.id, number=v.number, window=win.code, reason=reason[:200])
        uow.event("ticket.called", **_call_payload(uow.s, v), out_of_order=True)
        return v


#: Minutes after being marked 过号 within which a returning visitor is put back in the queue.
DEFAULT_NO_SHOW_RETURN_MINUTES = 30


def requeue_no_show(db: Database, actor: Actor, ticket_id: int) -> TicketView:
    """A visitor marked 过号 came back within the set time (``queue.no_show_return_minutes``):
    the same ticket waits again in its old place (its issue time and priority)."""
    with unit_of_work(db, actor, "ticket.serve") as uow:
        t = _ticket(uow, ticket_id)
        _expect(t, S.NO_SHOW)
        from hall.store.models import Setting

        raw: Any = uow.s.execute(select(Setting.value).where(Setting.key == "queue.no_show_return_minutes")
                                 ).scalar_one_or_none()   # stored JSON
        limit = int(raw) if raw is not None else DEFAULT_NO_SHOW_RETURN_MINUTES
        if t.finished_at is None:   # 过号 always records when
            raise Conflict(f"{t.number} 没有过号时间，请重新取号")
        since = uow.now - as_utc(t.finished_at)
        if since > dt.timedelta(minutes=limit):
            raise Conflict(f"{t.number} 过号已 {int(since.total_seconds() // 60)} 分钟，超过 {limit} 分钟，"
                           "请重新取号")
        if t.business_day < local_day(uow.now) and not _carries_over(uow.s, t.service_id):
            raise Conflict(f"{t.number} 是 {t.business_day:%m-%d} 的号，请重新取号")
        t.status = S.WAITING.value
        t.window_id = None
        t.called_at = None
        t.finished_at = None
        t.served_by = None
        uow.s.flush()
        ahead = _ahead(uow.s, t.service_id, t.queue_key, t.id, local_day(uow.now))
        v = _load_view(uow.s, t.id, ahead)
        uow.audit("ticket.requeue", "ticket", t.id, number=t.number, minutes_after=int(since.total_seconds() // 60))
        uow.event("ticket.requeued", **_board_payload(v), ahead=ahead)
        return v


def recent_no_shows(db: Database, window: str) -> list[TicketView]:
    """This window's 过号 tickets of today still within the return time, newest first."""
    now = db.clock.now()
    with db.read() as s:
        win = s.execute(select(Window).where(Window.code == window)).scalar_one_or_none()
        if win is None:
            raise NotFound(f"没有代码为“{window}”的窗口")
        from hall.store.models import Setting

        raw: Any = s.execute(select(Setting.value).where(Setting.key == "queue.no_show_return_minutes")
                             ).scalar_one_or_none()   # stored JSON
        limit = int(raw) if raw is not None else DEFAULT_NO_SHOW_RETURN_MINUTES
        rows = s.execute(_view_select().where(
            Ticket.window_id == win.id, Ticket.status == S.NO_SHOW.value,
            Ticket.finished_at >= now - dt.timedelta(minutes=limit)).order_by(Ticket.finished_at.desc())).all()
        return [_row_view(r) for r in rows]


#: The longest hold reason kept (the audit row and the ticket keep the same text).
HOLD_REASON_MAX = 200


def hold(db: Database, actor: Actor, ticket_id: int, reason: str,
         expected_status: str | None = None) -> TicketView:
    """Put a ticket on hold (挂起): the visitor stepped away (to fetch a
    document, to make a call) and must not be called meanwhile.

    A waiting ticket, or the one called or being served at a window (which
    is then free to call the next visitor). ``expected_status`` is the state
    the clerk saw: when the ticket has moved on since (another window called
    it), nothing is held. The ticket keeps its key and priority; :func:`unhold`
    puts it back in the same place. The reason is audited and kept with the
    ticket, never put in the public event."""
    actor.require("ticket.serve")  # before reading the input
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("挂起须填写原因（如“回去取材料”）")
    if len(reason) > HOLD_REASON_MAX:
        raise InvalidInput(f"挂起原因请控制在 {HOLD_REASON_MAX} 字以内")
    if expected_status is not None and expected_status not in {x.value for x in S}:
        raise InvalidInput(f"未知的排队号状态：{expected_status}")
    with unit_of_work(db, actor, "ticket.serve") as uow:
        t = _ticket(uow, ticket_id)
        if expected_status is not None and t.status != expected_status:
            raise Conflict(f"{t.number} 已是“{S(t.status).label}”，未挂起", status=t.status)
        _expect(t, S.WAITING, S.CALLED, S.SERVING)
        _own(uow, t)
        previous = t.status
        t.status = S.ON_HOLD.value
        t.held_at = uow.now
        t.hold_reason = reason
        uow.s.flush()
        v = _load_view(uow.s, t.id)
        uow.audit("ticket.hold", "ticket", t.id, number=t.number, previous=previous, reason=reason)
        if previous == S.WAITING.value:
            notices.after_queue_moved(uow, [t.service_id])   # those behind move up
        uow.event("ticket.held", **_board_payload(v), previous=previous)
        return v


def unhold(db: Database, actor: Actor, ticket_id: int) -> TicketView:
    """Take a ticket off hold (取消挂起): it waits again in its old place,
    by its arrival and priority, and the next call of a window that serves
    it may take it. Any window serving it may do this."""
    actor.require("ticket.serve")
    with unit_of_work(db, actor, "ticket.serve") as uow:
        t = _ticket(uow, ticket_id)
        _expect(t, S.ON_HOLD)
        today = local_day(uow.now)
        if not rules.callable_day(t.business_day, today, _carries_over(uow.s, t.service_id)):
            raise Conflict(f"{t.number} 是 {t.business_day:%m-%d} 的号，请重新取号")
        held_for = uow.now - as_utc(t.held_at) if t.held_at else dt.timedelta(0)
        t.status = S.WAITING.value
        t.window_id = None
        t.called_at = None
        t.started_at = None
        t.served_by = None
        t.held_at = None
        uow.s.flush()
        ahead = _ahead(uow.s, t.service_id, t.queue_key, t.id, today)
        v = _load_view(uow.s, t.id, ahead)
        uow.audit("ticket.unhold", "ticket", t.id, number=t.number,
                  held_minutes=int(held_for.total_seconds() // 60))
        uow.event("ticket.unheld", **_board_payload(v), ahead=ahead)
        return v


def held_for_window(db: Database, window: str) -> list[TicketView]:
    """Tickets on hold that this window may take back: of the services it
    serves, or held at this window; today's (or a carried-over service's),
    the longest held first."""
    today = local_day(db.clock.now())
    with db.read() as s:
        win = s.execute(select(Window).where(Window.code == window)).scalar_one_or_none()
        if win is None:
            raise NotFound(f"没有代码为“{window}”的窗口")
        served = [link.service_id for link in win.services]
        carry = select(Service.id).where(Service.carry_over.is_(True)).scalar_subquery()
        rows = s.execute(_view_select().where(
            Ticket.status == S.ON_HOLD.value,
            or_(Ticket.service_id.in_(served), Ticket.window_id == win.id),
            or_(Ticket.business_day >= today, Ticket.service_id.in_(carry)))
            .order_by(Ticket.held_at, Ticket.id)).all()
        return [_row_view(r) for r in rows]


#: A window's services with their preference ranks.
_LINKS = select(_ws.c.service_id, _ws.c.rank).where(_ws.c.window_id == bindparam("wid")).order_by(_ws.c.rank)

#: Callable tickets of the services window ``wid`` serves, each with its rank there.
_CALLABLE_AT_WINDOW = _t.join(_ws, and_(_ws.c.service_id == _t.c.service_id, _ws.c.window_id == bindparam("wid")))

#: Whether an on-time booked visitor waits for one of the window's services.
_BOOKED_WAITS = (select(_t.c.id).select_from(_CALLABLE_AT_WINDOW)
                 .where(_callable_clause(bindparam("today")), _BOOKED).limit(1))


def _claim_best(*group):
    """The best callable ticket at window ``wid`` (of ``group``, if given), by
    the engine's order: queue key plus the service's rank at the window times
    the rank penalty, ties by id. ``FOR UPDATE OF tickets SKIP LOCKED`` on
    PostgreSQL, so a second window calling at the same moment skips the row
    and takes the next; SQLite renders no lock clause (the writer
    transaction, ``BEGIN IMMEDIATE``, serialises the claim)."""
    return (select(_t.c.id, _t.c.service_id).select_from(_CALLABLE_AT_WINDOW)
            .where(_callable_clause(bindparam("today")), *group)
            .order_by(_t.c.queue_key + _ws.c.rank * bindparam("rank_seconds"), _t.c.id)
            .limit(1).with_for_update(skip_locked=True, of=_t))


_CLAIM_ANY = _claim_best()
_CLAIM_STATUTORY = _claim_best(_STATUTORY)
_CLAIM_BOOKED = _claim_best(_BOOKED)
_CLAIM_ORDINARY = _claim_best(_t.c.priority_weight == 0)

#: The claimed ticket is called to the window.
_CALL = update(_t).where(_t.c.id == bindparam("tid")).values(
    status=S.CALLED.value, window_id=bindparam("wid"), called_at=bindparam("now"), served_by=bindparam("uid"))


def _claim(uow: UnitOfWork, stmt, params: dict) -> tuple[int, int] | None:
    """Run one of the ``_CLAIM_*`` statements: ``(ticket id, service id)`` or ``None``."""
    row = uow.s.execute(stmt, params).first()
    return (row[0], row[1]) if row is not None else None


_WINDOW_STATES = {"open": "开启", "paused": "暂停", "closed": "关闭"}


def _at_window(uow: UnitOfWork, ticket_id: int, *allowed: TicketStatus) -> Ticket:
    t = _ticket(uow, ticket_id)
    _expect(t, *allowed)
    _own(uow, t)
    return t


def _own(uow: UnitOfWork, t: Ticket) -> None:
    """A called ticket is served by the one who called it, or a supervisor."""
    _own_ticket(uow, t.number, t.served_by, t.window_id)


def _own_ticket(uow: UnitOfWork, number: str, served_by: int | None, window_id: int | None) -> None:
    a = uow.actor
    if served_by is None or a is None or a.user_id == served_by or a.may("ticket.serve_others"):
        return
    who = uow.s.get(User, served_by)
    win = uow.s.get(Window, window_id) if window_id else None
    where = f"{win.number}号窗口" if win else "另一窗口"
    raise PermissionDenied(f"排队号 {number} 由{where}（{who.display_name if who else '其他工作人员'}）叫号，"
                           "只有叫号的工作人员或主任、管理员可以办理")


def _view_to_change(uow: UnitOfWork, ticket_id: int, *allowed: TicketStatus) -> tuple[TicketView, Row[Any]]:
    """The ticket's view as it stands, its row locked, checked like
    :func:`_at_window` (state, and who called it); also returns the row, whose
    last three columns are ``served_by``, ``window_id`` and ``note``. One
    query: the action builds its result view from this one and what it changes."""
    row = uow.s.execute(_VIEW_FOR_CHANGE, {"tid": ticket_id}).one_or_none()
    if row is None:
        raise NotFound(f"没有编号为 {ticket_id} 的排队号")
    v = _row_view(row[:-3])
    _expect_status(v.number, v.status, *allowed)
    _own_ticket(uow, v.number, row.served_by, row.window_id)
    return v, row


def recall(db: Database, actor: Actor, ticket_id: int) -> TicketView:
    """Call the same ticket again (the board announces it once more)."""
    with unit_of_work(db, actor, "ticket.serve") as uow:
        was, _row = _view_to_change(uow, ticket_id, S.CALLED)
        v = dataclasses.replace(was, recall_count=was.recall_count + 1)
        uow.s.execute(_RECALL, {"tid": v.id, "recalls": v.recall_count})
        uow.audit("ticket.recall", "ticket", v.id, number=v.number, recall_count=v.recall_count)
        uow.event("ticket.recalled", **_call_payload(uow.s, v), recall_count=v.recall_count)
        return v


_RECALL = update(_t).where(_t.c.id == bindparam("tid")).values(recall_count=bindparam("recalls"))


def _called_to(db: Database, actor: Actor, ticket_id: int, status: TicketStatus, stamp: str, statement: Any,
               audit_action: str, event_kind: str) -> TicketView:
    """Move a called ticket to ``status``, its ``stamp`` time now (``statement`` writes both)."""
    with unit_of_work(db, actor, "ticket.serve") as uow:
        was, _row = _view_to_change(uow, ticket_id, S.CALLED)
        when: dict[str, Any] = {stamp: uow.now}
        v = dataclasses.replace(was, status=status.value, **when)
        uow.s.execute(statement, {"tid": v.id, "now": uow.now})
        uow.audit(audit_action, "ticket", v.id, number=v.number)
        uow.event(event_kind, **_board_payload(v))
        return v


def start_service(db: Database, actor: Actor, ticket_id: int) -> TicketView:
    """The visitor has arrived at the window: service time starts."""
    return _called_to(db, actor, ticket_id, S.SERVING, "started_at", _START, "ticket.start", "ticket.started")


_START = update(_t).where(_t.c.id == bindparam("tid")).values(status=S.SERVING.value, started_at=bindparam("now"))


def mark_no_show(db: Database, actor: Actor, ticket_id: int) -> TicketView:
    """The called visitor did not come (过号)."""
    return _called_to(db, actor, ticket_id, S.NO_SHOW, "finished_at", _NO_SHOW, "ticket.no_show", "ticket.no_show")


_NO_SHOW = update(_t).where(_t.c.id == bindparam("tid")).values(status=S.NO_SHOW.value, finished_at=bindparam("now"))


def finish(db: Database, actor: Actor, ticket_id: int, outcome: str = rules.DEFAULT_OUTCOME,
           note: str = "") -> TicketView:
    """Close a visit at the window with an outcome code (``hall.domain.queue.OUTCOMES``)."""
    if outcome not in rules.OUTCOMES:
        raise InvalidInput(f"未知的办结结果：{outcome}（可用：{'、'.join(rules.OUTCOMES)}）")
    with unit_of_work(db, actor, "ticket.serve") as uow:
        was, row = _view_to_change(uow, ticket_id, S.CALLED, S.SERVING)
        v = dataclasses.replace(was, status=S.FINISHED.value, started_at=was.started_at or uow.now,
                                finished_at=uow.now, outcome=outcome)
        uow.s.execute(_FINISH, {"tid": v.id, "started": v.started_at, "now": uow.now, "outcome": outcome,
                                "note_text": (row.note + "\n" + note).strip() if note else row.note})
        uow.audit("ticket.finish", "ticket", v.id, number=v.number, outcome=outcome)
        uow.event("ticket.finished", **_board_payload(v), outcome=outcome)
        return v


#: A visit closed at the window (the service time starts now if it had not).
_FINISH = update(_t).where(_t.c.id == bindparam("tid")).values(
    status=S.FINISHED.value, started_at=bindparam("started"), finished_at=bindparam("now"),
    outcome=bindparam("outcome"), note=bindparam("note_text"))


def transfer(db: Database, actor: Actor, ticket_id: int, to_service: str,
             reason: str = "") -> TicketView:
    """Send the visitor to another service: the old ticket closes, a new one is linked.

    The new ticket keeps the visitor's place by arrival and priority: being
    sent on is not a reason to queue again from the back.
    """
    with unit_of_work(db, actor, "ticket.serve") as uow:
        old = _at_window(uow, ticket_id, S.WAITING, S.CALLED, S.SERVING)
        target = _service(uow.s, to_service)
        if target.id == old.service_id:
            raise InvalidInput("不能转移到同一业务")
        _refuse_unoffered(uow, target)
        day, seq = _next_number(uow, target)
        new_id = uow.s.execute(insert(Ticket).values(
            service_id=target.id, business_day=day, seq=seq,
            number=rules.format_ticket_number(target.prefix, seq), status=S.WAITING.value,
            priority_reason=old.priority_reason, priority_weight=old.priority_weight,
            queue_key=old.queue_key, visitor_id=old.visitor_id, issued_at=uow.now,
            issued_by=actor.user_id, transferred_from_id=old.id,
            transfer_reason=reason[:200] or None, recall_count=0, note="").returning(Ticket.id)).scalar_one()
        old.status = S.TRANSFERRED.value
        old.finished_at = uow.now
        if old.started_at is None and old.called_at is not None:
            old.started_at = uow.now
        old.transferred_to_id = new_id
        old.transfer_reason = reason[:200] or None
        ahead = _ahead(uow.s, target.id, old.queue_key, new_id, local_day(uow.now))
        new = _load_view(uow.s, new_id, ahead)
        was = _load_view(uow.s, old.id)
        uow.audit("ticket.transfer", "ticket", old.id, number=old.number, to_ticket=new_id,
                  to_number=new.number, to_service=target.code, reason=reason)
        notices.on_transferred(uow, old.id, new_id, new.number, target.name, ahead, target.id)
        notices.after_queue_moved(uow, [old.service_id])
        uow.event("ticket.transferred", **_board_payload(was), to_ticket_id=new_id,
                  to_number=new.number, to_service=target.code, ahead=ahead)
        return new


def cancel(db: Database, actor: Actor, ticket_id: int, reason: str = "") -> TicketView:
    """The visitor left before being called."""
    with unit_of_work(db, actor, "ticket.cancel") as uow:
        t = _at_window(uow, ticket_id, S.WAITING)
        t.status = S.CANCELLED.value
        t.finished_at = uow.now
        uow.audit("ticket.cancel", "ticket", t.id, number=t.number, reason=reason)
        notices.after_queue_moved(uow, [t.service_id])
        v = _load_view(uow.s, t.id)
        uow.event("ticket.cancelled", **_board_payload(v))
        return v


def set_window_state(db: Database, actor: Actor, window: str, state: str) -> WindowView:
    """Open, pause or close a window. Closing needs the current visit finished."""
    actor.require("window.state")  # before reading the input
    if state not in _WINDOW_STATES:
        raise InvalidInput(f"窗口状态只能是 open / paused / closed，而不是“{state}”")
    with unit_of_work(db, actor, "window.state") as uow:
        win = _window(uow, window)
        if state == "closed":
            busy = uow.s.execute(select(Ticket.number).where(
                Ticket.window_id == win.id,
                Ticket.status.in_([S.CALLED.value, S.SERVING.value]))).scalars().first()
            if busy:
                raise Conflict(f"当前号 {busy} 尚未办结，不能关闭窗口")
        if state == "open" and win.season is not None and not win.season.contains(local_day(uow.now)):
            raise Conflict(f"{win.number}号窗口为季节性窗口，今天不在开放期内（{win.season.describe()}），不能开启")
        previous = win.state
        win.state = state
        if state == "open" and previous != "open":
            win.consecutive_priority = 0
            _expire_stale(uow)
        uow.audit("window." + state, "window", win.code, previous=previous)
        uow.event("window.state", window=win.code, window_number=win.number,
                  window_name=win.name, state=state)
        return _window_view(uow.s, win, uow.now)


def open_window(db: Database, actor: Actor, window: str) -> WindowView:
    return set_window_state(db, actor, window, "open")


def pause_window(db: Database, actor: Actor, window: str) -> WindowView:
    return set_window_state(db, actor, window, "paused")


def close_window(db: Database, actor: Actor, window: str) -> WindowView:
    return set_window_state(db, actor, window, "closed")


def _expire_stale(uow: UnitOfWork) -> int:
    """Yesterday's waiting tickets of services that do not carry over expire."""
    today = local_day(uow.now)
    no_carry = select(Service.id).where(Service.carry_over.is_(False)).scalar_subquery()
    expired = rows_changed(uow.s, update(Ticket).where(
        Ticket.status.in_([S.WAITING.value, S.ON_HOLD.value]), Ticket.business_day < today,
        Ticket.service_id.in_(no_carry)).values(status=S.EXPIRED.value, finished_at=uow.now))
    if expired:
        uow.audit("queue.expire", "queue", today.isoformat(), count=expired)
        uow.event("queue.expired", count=expired)
    return expired


# ------------------------------------------------------------------ reads
def ticket(db: Database, ticket_id: int) -> TicketView:
    with db.read() as s:
        t = s.get(Ticket, ticket_id)
        if t is None:
            raise NotFound(f"没有编号为 {ticket_id} 的排队号")
        ahead = None
        if t.status == S.WAITING.value:
            ahead = _ahead(s, t.service_id, t.queue_key, t.id, local_day(db.clock.now()))
        return _load_view(s, ticket_id, ahead)


def _window_view(s: Session, win: Window, now: dt.datetime, hours: dict | None = None) -> WindowView:
    cur = s.execute(_view_select().where(
        Ticket.window_id == win.id, Ticket.status.in_([S.CALLED.value, S.SERVING.value]))
        .order_by(Ticket.called_at.desc())).first()
    in_season = win.season is None or win.season.contains(local_day(now))
    return WindowView(code=win.code, number=win.number, name=win.name, state=win.state,
                      services=tuple(link.service.code for link in win.services),
                      in_season=in_season, current=_row_view(cur) if cur else None,
                      closed_reason=_window_closed(s, win, now, hours) or "", area=win.area or "")


def queue_snapshot(db: Database) -> QueueSnapshot:
    """Waiting per service and each window's state and current ticket."""
    now = db.clock.now()
    today = local_day(now)
    with db.read() as s:
        counts = dict((sid, (n, oldest)) for sid, n, oldest in s.execute(
            select(Ticket.service_id, func.count(), func.min(Ticket.issued_at))
            .where(_callable_clause(today)).group_by(Ticket.service_id)).all())
        services = []
        offers = service_offers(s, now)
        for svc in s.execute(select(Service).where(Service.active.is_(True))
                             .order_by(Service.sort_order, Service.id)).scalars():
            n, oldest = counts.get(svc.id, (0, None))
            if oldest is not None and oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=dt.UTC)
            reason = offers.get(svc.id)
            services.append(ServiceQueue(svc.code, svc.name, svc.prefix, n, oldest,
                                         offered=reason is None, closed_reason=reason or ""))
        hours = {h.window_id: dict(h.hours) for h in s.execute(select(WindowHours)).scalars()}
        windows = [_window_view(s, w, now, hours.get(w.id, {})) for w in s.execute(
            select(Window).where(Window.active.is_(True)).order_by(Window.number)).scalars()]
        return QueueSnapshot(at=now, services=services, windows=windows)


def waiting_for_window(db: Database, window: str, limit: int = 200) -> list[TicketView]:
    """The tickets this window would call, in the order it would call them if
    nobody else arrived: the engine's rule (``hall.domain.queue.call_order``,
    built on ``pick_next``) with the priority cap and the window's current
    run of priority calls."""
    today = local_day(db.clock.now())
    with db.read() as s:
        win = s.execute(select(Window).where(Window.code == window)).scalar_one_or_none()
        if win is None:
            raise NotFound(f"没有代码为“{window}”的窗口")
        cap, penalty = _policy(s)
        links = [(l.service_id, l.rank) for l in win.services]
        if not links:
            return []
        rank_expr = case({sid: rank for sid, rank in links}, value=Ticket.service_id)
        order = (Ticket.queue_key + rank_expr * (penalty * 60), Ticket.id)
        base = _view_select().add_columns(Ticket.priority_weight, Ticket.queue_key).where(
            _callable_clause(today), Ticket.service_id.in_([sid for sid, _ in links]))
        # Each of the first ``limit`` calls takes the best remaining ticket, the best
        # remaining ordinary, booked or statutory one: these four lists hold all of them.
        rows = {r[0]: r for r in s.execute(base.order_by(*order).limit(limit)).all()}
        for group in (Ticket.priority_weight == 0, _BOOKED, _STATUTORY):
            rows.update((r[0], r) for r in s.execute(base.where(group).order_by(*order).limit(limit)).all())
        code_rank = {link.service.code: link.rank for link in win.services}
        cands = [rules.Candidate(ticket_id=tid, service_code=r[14], queue_key=r[-1], has_priority=r[-2] != 0,
                                 booked=r[5] == PriorityReason.APPOINTMENT.value)
                 for tid, r in rows.items()]
        picked = rules.call_order(cands, code_rank, consecutive_priority=win.consecutive_priority,
                                  cap=cap, rank_penalty_minutes=penalty, limit=limit)
        return [_row_view(rows[c.ticket_id][:-2]) for c in picked]


def events_since(db: Database, after_id: int, limit: int = 500) -> list[EventView]:
    """Events with an id greater than ``after_id``, oldest first."""
    with db.read() as s:
        rows = s.execute(select(Event).where(Event.id > after_id).order_by(Event.id)
                         .limit(limit)).scalars()
        return [EventView(e.id, e.at, e.kind, dict(e.payload), e.workstation) for e in rows]


def last_event_id(db: Database) -> int:
    with db.read() as s:
        return s.execute(select(func.coalesce(func.max(Event.id), 0))).scalar_one()


def recent_calls(db: Database, limit: int = 6) -> list[EventView]:
    """The latest calls and recalls, newest first (the board's history)."""
    with db.read() as s:
        rows = s.execute(select(Event).where(Event.kind.in_(["ticket.called", "ticket.recalled"]))
                         .order_by(Event.id.desc()).limit(limit)).scalars()
        return [EventView(e.id, e.at, e.kind, dict(e.payload), e.workstation) for e in rows]
