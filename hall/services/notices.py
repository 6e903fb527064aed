"""\"Your turn is near\" notices: consent, the outbox, and what the sender needs.

A message is written to ``notice_outbox`` in the same transaction as the
queue event it tells about, so a committed call always has its message and a
rolled-back one never does. The separate sender process
(``hall-admin notify-sender``, :mod:`hall.notify_sender`) claims due
messages, hands them to a gateway and records the result; failures are
retried with backoff and end in the dead-letter list the admin sees.

Messages are masked: the ticket number, the service, the window — never a
name, an ID number or any fact of the matter. 退订 stops every later message
of that subscription at once (messages already queued are dropped).
"""
from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, and_, bindparam, func, or_, select, update

from hall.domain.identity import check_phone
from hall.domain.masking import mask_phone
from hall.domain.queue import TicketStatus
from hall.store.db import Database
from hall.store.models import Ticket
from hall.store.status_models import NoticeSubscription, OutboxMessage

from .base import Actor, InvalidInput, NotFound, UnitOfWork, get_setting, put_setting, unit_of_work
from .views import JsonView

S = TicketStatus

KINDS = {"issued": "取号", "near": "即将叫号", "called": "叫号", "transfer": "转移",
         "early_close": "提前结束办理", "appointment": "预约提醒"}
#: How long before an appointment's slot the reminder goes out.
REMINDER_LEAD_MINUTES = 120
MAX_ATTEMPTS = 6
#: Which channel a phone number's notices go by: SMS, or WeChat through the
#: hall's relay (which maps the number to the WeChat user who bound it).
PHONE_CHANNEL_KEY = "notify.phone_channel"
CHANNEL_LABELS = {"sms": "短信", "wechat": "微信", "email": "邮件"}
#: Channels whose gateway drops a message id it has seen, so a message whose
#: sender died mid-send may go out again.
RESEND_CHANNELS = ("sms", "wechat")
DEFAULT_BACKOFF_S = 30.0


def _centre(uow_s) -> str:
    return str((get_setting(uow_s, "centre.profile", {}) or {}).get("name") or "服务大厅")


def check_address(address: str) -> tuple[str, str]:
    """``(channel, normalised address)`` for a phone number (SMS) or an e-mail address."""
    text = (address or "").strip()
    if "@" in text:
        local, _, domain = text.partition("@")
        if not local or "." not in domain or " " in text or len(text) > 128:
            raise InvalidInput(f"通知邮箱格式不正确：{text}")
        return "email", text
    check = check_phone(text)
    if not check.ok:
        raise InvalidInput(f"通知手机号：{check.message}")
    if not check.normalized.startswith("1") or len(check.normalized) != 11:
        raise InvalidInput("短信通知需要手机号码，固定电话收不到短信")
    return "sms", check.normalized


def subscribe(uow: UnitOfWork, ticket_id: int | None, address: str, consent_by: str = "visitor", *,
              appointment_id: int | None = None) -> NoticeSubscription:
    """Record the visitor's consent (or a family member's number) for one ticket or appointment."""
    if consent_by not in ("visitor", "family"):
        raise InvalidInput("同意人只能是来访人本人或家属")
    channel, addr = check_address(address)
    if channel == "sms" and get_setting(uow.s, PHONE_CHANNEL_KEY, "sms") == "wechat":
        channel = "wechat"
    sub = NoticeSubscription(ticket_id=ticket_id, appointment_id=appointment_id, channel=channel, address=addr, consent_by=consent_by,
                             recorded_by=uow.actor.username if uow.actor else "", created_at=uow.now,
                             near_sent=False, unsubscribe_code=secrets.token_urlsafe(12))
    uow.s.add(sub)
    uow.s.flush()
    uow.audit("notice.consent", "ticket" if ticket_id else "appointment", ticket_id or appointment_id,
              channel=channel, consent_by=consent_by,
              address=masked_address(channel, addr))
    return sub


def set_phone_channel(db: Database, actor: Actor, channel: str) -> str:
    """Send the notices of phone numbers consented from now on by SMS or by WeChat (the hall's relay)."""
    actor.require("centre.configure")  # before looking at the input
    if channel not in ("sms", "wechat"):
        raise InvalidInput(f"手机号的通知渠道只能是 sms（短信）或 wechat（微信），不是“{channel}”")
    with unit_of_work(db, actor, "centre.configure") as uow:
        put_setting(uow.s, PHONE_CHANNEL_KEY, channel)
        uow.audit("notice.phone_channel", "setting", PHONE_CHANNEL_KEY, channel=channel)
        return channel


def phone_channel(db: Database) -> str:
    with db.read() as s:
        return str(get_setting(s, PHONE_CHANNEL_KEY, "sms") or "sms")


def _mask_email(addr: str) -> str:
    local, _, domain = addr.partition("@")
    return (local[:1] + "***@" + domain) if local else addr


def masked_address(channel: str, addr: str) -> str:
    return _mask_email(addr) if channel == "email" else mask_phone(addr)


def _unsub_line(uow: UnitOfWork, sub: NoticeSubscription) -> str:
    from .status import base_url

    return f"退订：{base_url(uow.s).rstrip('/')}/u/{sub.unsubscribe_code}"


def enqueue(uow: UnitOfWork, sub: NoticeSubscription, kind: str, text: str) -> None:
    """Write one message for ``sub`` in the caller's transaction (nothing after 退订)."""
    if sub.unsubscribed_at is not None:
        return
    body = f"【{_centre(uow.s)}】{text} {_unsub_line(uow, sub)}"
    uow.s.add(OutboxMessage(key=uuid.uuid4().hex, kind=kind, subscription_id=sub.id, ticket_id=sub.ticket_id,
                            channel=sub.channel, address=sub.address, body=body, state="pending",
                            attempts=0, created_at=uow.now, next_attempt_at=uow.now, last_error=""))


def _active_subs(uow: UnitOfWork, ticket_ids) -> list[NoticeSubscription]:
    ids = list(ticket_ids)
    if not ids:
        return []
    return list(uow.s.execute(select(NoticeSubscription).where(
        NoticeSubscription.ticket_id.in_(ids), NoticeSubscription.unsubscribed_at.is_(None))).scalars())


# ------------------------------------------------------ queue event hooks
def on_issued(uow: UnitOfWork, ticket_id: int, number: str, service_name: str, ahead: int,
              wait_text: str | None, url: str, address: str | None, consent_by: str) -> None:
    if not address:
        return
    from .status import near_threshold

    sub = subscribe(uow, ticket_id, address, consent_by)
    wait = f"，预计等候{wait_text}" if wait_text else ""
    sub.near_sent = ahead <= near_threshold(uow.s)   # this message already says it is near
    near = "，快到您了，请留意叫号" if sub.near_sent else ""
    enqueue(uow, sub, "issued", f"您已取号 {number}（{service_name}），前面 {ahead} 人{wait}{near}。进度：{url}")


_subs = cast(Table, NoticeSubscription.__table__)
_tickets = cast(Table, Ticket.__table__)
#: Whether a call of ticket ``tid`` (of service ``sid``) has anyone to tell:
#: a subscription of that ticket, or one of a waiting ticket of the service
#: not yet told it is near. Usually nobody: then the call reads nothing more.
_ANYONE_TO_TELL = (select(_subs.c.id).select_from(_subs.join(_tickets, _tickets.c.id == _subs.c.ticket_id))
                   .where(_subs.c.unsubscribed_at.is_(None), _tickets.c.service_id == bindparam("sid"),
                          or_(_tickets.c.id == bindparam("tid"),
                              and_(_subs.c.near_sent.is_(False), _tickets.c.status == S.WAITING.value)))
                   .limit(1))


def on_called(uow: UnitOfWork, ticket_id: int, number: str, window_number: int, window_name: str,
              service_id: int | None = None) -> None:
    """The call itself, and "near" for those who moved up to the threshold.
    ``service_id``: the called ticket's service, when the caller knows it
    (one query then tells whether there is anyone to notify at all)."""
    if service_id is not None:
        if uow.s.execute(_ANYONE_TO_TELL, {"sid": service_id, "tid": ticket_id}).first() is None:
            return
    for sub in _active_subs(uow, [ticket_id]):
        enqueue(uow, sub, "called", f"请 {number} 号到 {window_number}号窗口（{window_name}）办理。")
    if service_id is not None:
        after_queue_moved(uow, [service_id])
    else:
        after_queue_moved(uow, select(Ticket.service_id).where(Ticket.id == ticket_id).scalar_subquery())


def after_queue_moved(uow: UnitOfWork, service_ids) -> None:
    """Waiting subscribers of these services who are now within N of the call."""
    from hall.domain.clock import local_day

    from . import queue
    from .status import near_threshold

    today = local_day(uow.now)
    rows = uow.s.execute(select(NoticeSubscription, Ticket.service_id, Ticket.queue_key, Ticket.id, Ticket.number)
                         .join(Ticket, Ticket.id == NoticeSubscription.ticket_id)
                         .where(NoticeSubscription.unsubscribed_at.is_(None),
                                NoticeSubscription.near_sent.is_(False),
                                Ticket.status == S.WAITING.value,
                                Ticket.service_id.in_(service_ids if hasattr(service_ids, "compile")
                                                      else list(service_ids)))).all()
    if not rows:   # the common case: nobody waiting there asked to be told
        return
    n = near_threshold(uow.s)
    for sub, sid, key, tid, number in rows:
        ahead = queue._ahead(uow.s, sid, key, tid, today)
        if ahead <= n:
            _send_near(uow, sub, number, ahead)


def _send_near(uow: UnitOfWork, sub: NoticeSubscription, number: str, ahead: int) -> None:
    sub.near_sent = True
    before = "前面已没有人等候" if ahead == 0 else f"前面还有 {ahead} 人"
    enqueue(uow, sub, "near", f"{number} 号{before}，快到您了，请回到大厅留意叫号。")


def on_transferred(uow: UnitOfWork, old_id: int, new_id: int, new_number: str, service_name: str,
                   ahead: int, service_id: int) -> None:
    """The consent follows the visitor to the new ticket."""
    from .status import near_threshold

    near = ahead <= near_threshold(uow.s)
    for sub in _active_subs(uow, [old_id]):
        sub.ticket_id = new_id
        sub.near_sent = near          # the transfer message says so itself
        enqueue(uow, sub, "transfer", f"您已转到“{service_name}”，新号码 {new_number}，"
                                      f"保留原排队位置，前面 {ahead} 人" + ("，请留意叫号。" if near else "。"))


def on_appointment_booked(uow: UnitOfWork, appointment_id: int, phone: str) -> None:
    """Consent at booking: a reminder before the slot, then the ticket's notices."""
    subscribe(uow, None, phone, "visitor", appointment_id=appointment_id)


def on_appointment_checked_in(uow: UnitOfWork, appointment_id: int, ticket_id: int, number: str,
                              service_name: str, ahead: int, url: str | None) -> None:
    """The ticket issued at check-in takes the appointment's consent over."""
    from .status import near_threshold

    for sub in uow.s.execute(select(NoticeSubscription).where(
            NoticeSubscription.appointment_id == appointment_id,
            NoticeSubscription.unsubscribed_at.is_(None))).scalars():
        sub.ticket_id = ticket_id
        sub.near_sent = ahead <= near_threshold(uow.s)
        link = f"进度：{url}" if url else ""
        enqueue(uow, sub, "issued", f"预约已签到，号码 {number}（{service_name}），前面 {ahead} 人。{link}")


def enqueue_reminders(db: Database, lead_minutes: int = REMINDER_LEAD_MINUTES) -> int:
    """Reminders for appointments starting within ``lead_minutes`` (the sender
    runs this on every pass; each appointment is reminded once)."""
    from hall.domain.clock import to_local
    from hall.store.centre_models import Appointment
    from hall.store.models import Service

    with unit_of_work(db, None) as uow:
        rows = uow.s.execute(select(NoticeSubscription, Appointment.slot_start, Service.name)
                             .join(Appointment, Appointment.id == NoticeSubscription.appointment_id)
                             .join(Service, Service.id == Appointment.service_id)
                             .where(NoticeSubscription.unsubscribed_at.is_(None),
                                    NoticeSubscription.ticket_id.is_(None),
                                    NoticeSubscription.near_sent.is_(False),
                                    Appointment.status == "booked",
                                    Appointment.slot_start > uow.now,
                                    Appointment.slot_start <= uow.now + dt.timedelta(minutes=lead_minutes))).all()
        for sub, start, service_name in rows:
            sub.near_sent = True
            enqueue(uow, sub, "appointment", f"您预约的“{service_name}”将于 {to_local(start):%m月%d日 %H:%M} "
                                             f"开始，请提前到大厅签到（提前 15 分钟内可签到）。")
        return len(rows)


def announce_early_close(db: Database, actor: Actor, reason: str) -> int:
    """Tell everyone waiting (with consent) that the hall closes early today.
    Returns how many messages were queued."""
    from hall.domain.clock import local_day

    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("请填写提前结束办理的原因（如“停电检修”），它会发给等候的来访人")
    if len(reason) > 60:
        raise InvalidInput("原因请控制在 60 字以内（短信篇幅有限）")
    with unit_of_work(db, actor, "window.state") as uow:
        today = local_day(uow.now)
        subs = list(uow.s.execute(select(NoticeSubscription).join(Ticket, Ticket.id == NoticeSubscription.ticket_id)
                                  .where(NoticeSubscription.unsubscribed_at.is_(None),
                                         Ticket.status == S.WAITING.value,
                                         Ticket.business_day >= today)).scalars())
        for sub in subs:
            enqueue(uow, sub, "early_close", f"今日大厅提前结束办理（{reason}），请改日再来，给您带来不便敬请谅解。")
        uow.audit("notice.early_close", "centre", "", reason=reason, messages=len(subs))
        uow.event("notice.early_close", messages=len(subs))
        return len(subs)


def unsubscribe(db: Database, code: str) -> bool:
    """退订 from the link in a message: no later message; queued ones are dropped."""
    with unit_of_work(db, None) as uow:
        sub = uow.s.execute(select(NoticeSubscription).where(
            NoticeSubscription.unsubscribe_code == (code or ""))).scalar_one_or_none()
        if sub is None:
            return False
        if sub.unsubscribed_at is None:
            sub.unsubscribed_at = uow.now
            uow.s.execute(update(OutboxMessage).where(
                OutboxMessage.subscription_id == sub.id, OutboxMessage.state == "pending").values(
                state="dropped", last_error="已退订"))
            uow.audit("notice.unsubscribe", "ticket", sub.ticket_id)
        return True


# ---------------------------------------------------------- the sender side
@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    kind: str
    channel: str
    address: str
    body: str
    attempts: int


def claim_due(db: Database, channels, limit: int = 20, lease_s: float = 120.0,
              resend_channels=RESEND_CHANNELS) -> list[Claimed]:
    """Take up to ``limit`` due messages for sending (``FOR UPDATE SKIP LOCKED``
    on PostgreSQL, the writer lock on SQLite). A message whose sender died
    while sending comes back once its lease runs out — on a channel whose
    gateway drops repeated keys (``resend_channels``); on another it goes to
    the dead letters ("may have been sent"), never out a second time."""
    with unit_of_work(db, None) as uow:
        now = uow.now
        uow.s.execute(update(OutboxMessage).where(
            OutboxMessage.state == "sending", OutboxMessage.lease_until <= now,
            OutboxMessage.channel.not_in(list(resend_channels))).values(
            state="dead", lease_until=None, last_error="发送中断，无法确认是否已送达（请核实后再重发）"))
        due = or_(and_(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now),
                  and_(OutboxMessage.state == "sending", OutboxMessage.lease_until <= now))
        stmt = (select(OutboxMessage).where(due, OutboxMessage.channel.in_(list(channels)))
                .order_by(OutboxMessage.id).limit(limit))
        if db.is_postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        msgs = list(uow.s.execute(stmt).scalars())
        out = []
        for m in msgs:
            m.state = "sending"
            m.attempts += 1
            m.lease_until = now + dt.timedelta(seconds=lease_s)
            out.append(Claimed(m.id, m.key, m.kind, m.channel, m.address, m.body, m.attempts))
        return out


def _message(uow: UnitOfWork, message_id: int) -> OutboxMessage:
    m = uow.s.get(OutboxMessage, message_id)
    if m is None:
        raise NotFound(f"没有编号为 {message_id} 的待发消息")
    return m


def mark_sent(db: Database, message_id: int) -> None:
    with unit_of_work(db, None) as uow:
        m = _message(uow, message_id)
        m.state = "sent"
        m.sent_at = uow.now
        m.lease_until = None
        m.body = _scrub(m.body)


def _scrub(body: str) -> str:
    """A sent message keeps no status link (the token is stored only as a hash)."""
    import re

    return re.sub(r"https?://\S+/s/\S+", "（查询链接已发送）", body)


def mark_failed(db: Database, message_id: int, error: str, *, permanent: bool = False,
                backoff_s: float = DEFAULT_BACKOFF_S, max_attempts: int = MAX_ATTEMPTS) -> str:
    """Back to pending after ``backoff_s × 2^(attempts-1)``, or dead after the last try."""
    with unit_of_work(db, None) as uow:
        m = _message(uow, message_id)
        m.last_error = (error or "")[:500]
        m.lease_until = None
        if permanent or m.attempts >= max_attempts:
            m.state = "dead"
        else:
            m.state = "pending"
            m.next_attempt_at = uow.now + dt.timedelta(seconds=backoff_s * (2 ** (m.attempts - 1)))
        return m.state


@dataclass(frozen=True)
class OutboxRow(JsonView):
    id: int
    kind: str
    kind_label: str
    ticket_number: str
    channel: str
    address: str            # masked
    state: str
    attempts: int
    created_at: dt.datetime
    last_error: str


def dead_letters(db: Database, actor: Actor, limit: int = 200) -> list[OutboxRow]:
    """Messages the sender gave up on, newest first (the admin's list)."""
    actor.require("centre.configure")
    with db.read() as s:
        rows = s.execute(select(OutboxMessage, Ticket.number).outerjoin(Ticket, Ticket.id == OutboxMessage.ticket_id)
                         .where(OutboxMessage.state == "dead").order_by(OutboxMessage.id.desc()).limit(limit)).all()
        return [OutboxRow(m.id, m.kind, KINDS.get(m.kind, m.kind), number or "", m.channel,
                          masked_address(m.channel, m.address), m.state, m.attempts, m.created_at,
                          m.last_error) for m, number in rows]


def outbox_counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return dict(s.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).tuples().all())


def retry_dead(db: Database, actor: Actor, message_id: int) -> None:
    """Send a dead letter again (after the gateway or the number was fixed)."""
    with unit_of_work(db, actor, "centre.configure") as uow:
        m = uow.s.get(OutboxMessage, message_id)
        if m is None or m.state != "dead":
            raise NotFound(f"没有编号为 {message_id} 的失败通知")
        sub = uow.s.get(NoticeSubscription, m.subscription_id) if m.subscription_id else None
        if sub is not None and sub.unsubscribed_at is not None:
            raise InvalidInput("对方已退订，不能再发送")
        m.state = "pending"
        m.attempts = 0
        m.next_attempt_at = uow.now
        uow.audit("notice.retry", "notice", m.id)


def subscription_for(db: Database, ticket_id: int) -> dict | None:
    with db.read() as s:
        sub = s.execute(select(NoticeSubscription).where(NoticeSubscription.ticket_id == ticket_id)).scalars().first()
        if sub is None:
            return None
        return {"channel": sub.channel, "address": masked_address(sub.channel, sub.address),
                "consent_by": sub.consent_by, "unsubscribed": sub.unsubscribed_at is not None}

