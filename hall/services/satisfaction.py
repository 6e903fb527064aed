"""Satisfaction ratings: 1-5 with reason tags and a comment, once per subject.

A visit (a ticket) is rated only with the visitor's own code, printed on the
ticket (``rating_code``), in one of two ways:

* at the self-service kiosk: ``rate_by_code(db, code, rating, ...)``, no
  sign-in (source ``kiosk``);
* on a follow-up call: the visitor reads the code out and the staff member who
  called records it, ``rate_by_call(db, actor, code, rating, ...)`` (source
  ``call``, the caller stored in ``recorded_by``). Nobody records a rating of a
  visit they served (any ticket of its transfer chain).

The window has no rating entry of its own: a staff member never rates their
own service. Other subjects (``"mediation_session"``) are rated in the room
with ``rate`` under the same rule. A subject that does not exist or has not
ended cannot be rated.

The code is 6 characters, derived from the ticket id with a secret salt of
this installation (setting ``satisfaction.code_salt``, created on first use,
never exported): a keyed permutation of the 30-bit id, so a code names exactly
one ticket, cannot be guessed from the number on the ticket, and is looked up
without scanning. At the kiosk a code expires 7 days after the ticket was
issued; a follow-up call may record it for 30 days.

A visit that was transferred is rated once, on the ticket that finished it:
either ticket's code leads there. Ratings of 2 or less list themselves for the
director's follow-up (a note and a resolved flag). Statistics report each
source apart (``stats.RATING_SOURCES``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hall.domain.clock import as_utc, to_local
from hall.domain.queue import TicketStatus
from hall.store.centre_models import Rating
from hall.store.db import Database
from hall.store.models import Service, Setting, Ticket, User, Window

from .base import Actor, Conflict, InvalidInput, NotFound, PermissionDenied, UnitOfWork, get_setting, unit_of_work
from .views import JsonView

SALT_KEY = "satisfaction.code_salt"
CODE_LENGTH = 6
CODE_VALID_DAYS = 7
CALL_VALID_DAYS = 30
LOW_RATING = 2
#: 32 characters without the look-alikes 0/O and 1/I: 5 bits each, 30 bits a code.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_BITS = 30
_HALF = _BITS // 2
_MASK = (1 << _HALF) - 1
_ROUNDS = 4

RATING_LABELS = {1: "非常不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "非常满意"}

#: Reason tags the dialog and the kiosk offer (key -> label).
REASON_TAGS: dict[str, str] = {
    "attitude_good": "态度热情", "efficient": "办事高效", "professional": "专业耐心",
    "clear": "解释清楚", "environment": "环境舒适",
    "wait_long": "等候时间长", "attitude_poor": "服务态度差", "unclear": "解释不清楚",
    "slow": "办事拖沓", "runaround": "来回跑、多头跑", "result": "对处理结果不满意", "other": "其他",
}

#: Where a rating comes from. ``window`` (staff entering the visitor's stars at
#: the window) is no longer offered; older rows keep it and are reported apart.
CHANNELS = {"kiosk": "自助评价机（访客凭评价码）", "call": "回访电话（访客凭评价码，记录回访人）",
            "session": "调解现场"}


# ------------------------------------------------------------ rating codes
def _round(salt: bytes, i: int, half: int) -> int:
    digest = hmac.new(salt, bytes([i]) + half.to_bytes(4, "big"), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") & _MASK


def code_for_id(ticket_id: int, salt: bytes) -> str | None:
    """The ticket's rating code; ``None`` for an id beyond 30 bits."""
    if not 0 < ticket_id < (1 << _BITS):
        return None
    left, right = ticket_id >> _HALF, ticket_id & _MASK
    for i in range(_ROUNDS):
        left, right = right, left ^ _round(salt, i, right)
    value = (left << _HALF) | right
    return "".join(CODE_ALPHABET[(value >> (5 * k)) & 31] for k in reversed(range(CODE_LENGTH)))


def id_for_code(code: str, salt: bytes) -> int | None:
    """The ticket id a code names, or ``None`` when it is not a well-formed code."""
    text = normalise_code(code)
    if text is None:
        return None
    value = 0
    for ch in text:
        value = (value << 5) | CODE_ALPHABET.index(ch)
    left, right = value >> _HALF, value & _MASK
    for i in reversed(range(_ROUNDS)):
        left, right = right ^ _round(salt, i, left), left
    ticket_id = (left << _HALF) | right
    return ticket_id or None


def normalise_code(code: object) -> str | None:
    text = "".join(str(code or "").split()).replace("-", "").upper()
    if len(text) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in text):
        return None
    return text


def _salt(db: Database) -> bytes:
    """This installation's secret salt, created (once, race-free) on first use."""
    with db.read() as s:
        value = get_setting(s, SALT_KEY)
    if not value:
        with unit_of_work(db, None) as uow:
            # Imported here: the PostgreSQL dialect is not needed on SQLite, nor at start-up.
            values = {"key": SALT_KEY, "value": secrets.token_hex(16)}
            if db.is_postgres:
                from sqlalchemy.dialects.postgresql import insert as pg_upsert
                uow.s.execute(pg_upsert(Setting).values(**values)
                              .on_conflict_do_nothing(index_elements=[Setting.key]))
            else:
                from sqlalchemy.dialects.sqlite import insert as sqlite_upsert
                uow.s.execute(sqlite_upsert(Setting).values(**values)
                              .on_conflict_do_nothing(index_elements=[Setting.key]))
            value = get_setting(uow.s, SALT_KEY)
    return bytes.fromhex(value)


def rating_code(db: Database, ticket_id: int) -> str | None:
    """The code printed on a ticket for rating the visit at the kiosk."""
    return code_for_id(ticket_id, _salt(db))


# ------------------------------------------------------------------- views
@dataclass(frozen=True)
class RatingView(JsonView):
    id: int
    subject_type: str
    subject_id: int
    rating: int
    rating_label: str
    tags: tuple[str, ...]
    tag_labels: tuple[str, ...]
    comment: str
    channel: str
    rated_at: dt.datetime
    service: str | None = None
    service_name: str | None = None
    window: str | None = None
    window_number: int | None = None
    ticket_number: str | None = None
    follow_up_note: str = ""
    followed_up_at: dt.datetime | None = None
    resolved: bool = False
    recorded_by: str = ""            # who called, for a follow-up call's rating

    @property
    def source_label(self) -> str:
        return CHANNELS.get(self.channel, "窗口评价器（旧记录）" if self.channel == "window" else self.channel)

    @property
    def low(self) -> bool:
        return self.rating <= LOW_RATING


def _views(s: Session, stmt) -> list[RatingView]:
    rows = s.execute(stmt.add_columns(Service.code, Service.name, Window.code, Window.number, Ticket.number,
                                      User.display_name, User.username)
                     .outerjoin(Service, Service.id == Rating.service_id)
                     .outerjoin(Window, Window.id == Rating.window_id)
                     .outerjoin(Ticket, (Rating.subject_type == "ticket") & (Ticket.id == Rating.subject_id))
                     .outerjoin(User, (Rating.channel == "call") & (User.id == Rating.recorded_by))
                     ).all()
    out = []
    for r, s_code, s_name, w_code, w_number, t_number, caller, caller_login in rows:
        tags = tuple(r.tags or ())
        out.append(RatingView(
            r.id, r.subject_type, r.subject_id, r.rating, RATING_LABELS[r.rating], tags,
            tuple(REASON_TAGS.get(t, t) for t in tags), r.comment or "", r.channel,
            as_utc(r.rated_at), s_code, s_name, w_code, w_number, t_number, r.follow_up_note or "",
            as_utc(r.followed_up_at) if r.followed_up_at else None, bool(r.resolved),
            caller or caller_login or ""))
    return out


# -------------------------------------------------------------- subjects
@dataclass(frozen=True)
class Subject:
    """What a rating is about, resolved by its area: the id rated (after
    following a transfer chain) and the service and window to count it under."""

    subject_id: int
    service_id: int | None = None
    window_id: int | None = None
    served_by: int | None = None      # the staff member whose service it was (never rates it)


#: subject type -> resolver(session, subject id) -> Subject (raises HallError).
SubjectResolver = Callable[[Session, int], Subject]
_SUBJECTS: dict[str, SubjectResolver] = {}


def register_subject(subject_type: str, resolver: SubjectResolver) -> None:
    """Let another area's records be rated (e.g. the mediation module
    registering ``"mediation_session"`` with a resolver that checks the session
    exists and is finished)."""
    _SUBJECTS[subject_type] = resolver


def _final_ticket(s: Session, ticket_id: int) -> Ticket:
    t = s.get(Ticket, ticket_id)
    if t is None:
        raise NotFound(f"没有编号为 {ticket_id} 的排队号")
    seen = {t.id}
    while t.transferred_to_id is not None and t.transferred_to_id not in seen:
        following = s.get(Ticket, t.transferred_to_id)
        if following is None:
            raise NotFound(f"没有编号为 {t.transferred_to_id} 的排队号")
        t = following
        seen.add(t.id)
    return t


def _served_by(s: Session, ticket_id: int) -> set[int]:
    """Everyone who served any ticket of this visit's transfer chain."""
    t = s.get(Ticket, ticket_id)
    while t is not None and t.transferred_from_id is not None:
        t = s.get(Ticket, t.transferred_from_id)
    out, seen = set(), set()
    while t is not None and t.id not in seen:
        seen.add(t.id)
        if t.served_by is not None:
            out.add(t.served_by)
        t = s.get(Ticket, t.transferred_to_id) if t.transferred_to_id is not None else None
    return out


def _ticket_subject(s: Session, ticket_id: int) -> Subject:
    t = _final_ticket(s, ticket_id)
    if t.status != TicketStatus.FINISHED.value:
        raise Conflict(f"{t.number} 尚未办结（当前：{TicketStatus(t.status).label}），办结后才能评价")
    return Subject(t.id, t.service_id, t.window_id, t.served_by)


OWN_SERVICE = "不能评价自己提供的服务：请群众凭评价码在自助评价机评价，或由未经办的工作人员回访记录"


def _session_subject(s: Session, session_id: int) -> Subject:
    """A mediation session that exists and has ended."""
    from hall.store.case_models import MediationSession

    found = s.get(MediationSession, session_id)
    if found is None:
        raise NotFound(f"没有编号为 {session_id} 的调解会议，不能评价")
    if found.ended_at is None:
        raise Conflict("该次调解尚未结束，结束后才能评价")
    return Subject(found.id, served_by=found.mediator_id)


register_subject("ticket", _ticket_subject)
register_subject("mediation_session", _session_subject)


# ----------------------------------------------------------------- actions
def _check(rating: int, tags: Sequence[str], comment: str) -> tuple[int, list[str], str]:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput("评价应为 1 到 5 星")
    tags = list(dict.fromkeys(tags or ()))
    unknown = [t for t in tags if t not in REASON_TAGS]
    if unknown:
        raise InvalidInput(f"未知的评价原因：{'、'.join(unknown)}")
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise InvalidInput("评价意见最多 500 字")
    return rating, tags, comment


def _record(uow: UnitOfWork, subject_type: str, subject: Subject, rating: int, tags: list[str],
            comment: str, channel: str) -> RatingView:
    s = uow.s
    if s.execute(select(Rating.id).where(Rating.subject_type == subject_type,
                                         Rating.subject_id == subject.subject_id)).first():
        raise Conflict("本次服务已经评价过了，每次服务只能评价一次")
    row = Rating(subject_type=subject_type, subject_id=subject.subject_id, rating=rating, tags=tags,
                 comment=comment, channel=channel, service_id=subject.service_id,
                 window_id=subject.window_id, rated_at=uow.now,
                 recorded_by=uow.actor.user_id if uow.actor else None, follow_up_note="",
                 resolved=False)
    s.add(row)
    try:
        s.flush()
    except IntegrityError:   # a second kiosk, at the same moment
        raise Conflict("本次服务已经评价过了，每次服务只能评价一次") from None
    v = _views(s, select(Rating).where(Rating.id == row.id))[0]
    uow.audit("satisfaction.rate", subject_type, subject.subject_id, rating=rating, tags=tags,
              channel=channel)
    uow.event("satisfaction.rated", rating_id=row.id, subject_type=subject_type,
              subject_id=subject.subject_id, rating=rating, low=rating <= LOW_RATING,
              window=v.window, service=v.service)
    return v


def rate(db: Database, actor: Actor, subject_type: str, subject_id: int, rating: int,
         tags: Sequence[str] = (), comment: str = "", *, channel: str = "session") -> RatingView:
    """Record a rating of a subject other than a visit (a mediation session,
    in the room) by someone who did not serve it. A visit (``"ticket"``) is
    rated only with the visitor's code: :func:`rate_by_code`, :func:`rate_by_call`."""
    actor.require("satisfaction.record")  # before reading the input
    rating, tags, comment = _check(rating, tags, comment)
    if isinstance(subject_id, bool) or not isinstance(subject_id, int) or subject_id <= 0:
        raise InvalidInput("评价对象编号不正确")
    if subject_type == "ticket":
        raise PermissionDenied("窗口不能直接录入评价：请群众凭小票上的评价码在自助评价机评价，"
                               "或回访时由未经办的工作人员凭评价码记录")
    resolver = _SUBJECTS.get(subject_type)
    if resolver is None:
        raise InvalidInput(f"未知的评价对象类型：{subject_type}")
    if channel != "session":
        raise InvalidInput(f"未知的评价渠道：{channel}")
    with unit_of_work(db, actor, "satisfaction.record") as uow:
        subject = resolver(uow.s, subject_id)
        if subject.served_by is not None and subject.served_by == actor.user_id:
            raise PermissionDenied(OWN_SERVICE)
        return _record(uow, subject_type, subject, rating, tags, comment, channel)


def _by_code(uow: UnitOfWork, code: str, salt: bytes, valid_days: int) -> Subject:
    ticket_id = id_for_code(code, salt)
    if ticket_id is None:
        raise InvalidInput("评价码应为 6 位字母或数字（不含 0、1、I、O），请核对排队号小票")
    printed = uow.s.get(Ticket, ticket_id)
    if printed is None:
        raise NotFound("评价码无效，请核对排队号小票上的评价码")
    if as_utc(printed.issued_at) + dt.timedelta(days=valid_days) < uow.now:
        raise Conflict(f"评价码已过期（有效期 {valid_days} 天）")
    subject = _ticket_subject(uow.s, ticket_id)
    if uow.actor is not None and uow.actor.user_id is not None \
            and uow.actor.user_id in _served_by(uow.s, ticket_id):
        raise PermissionDenied(OWN_SERVICE)
    return subject


def rate_by_call(db: Database, actor: Actor, code: str, rating: int, tags: Sequence[str] = (),
                 comment: str = "") -> RatingView:
    """A follow-up call's rating: the visitor reads out the code on their
    ticket, the signed-in caller records the stars (stored as the source
    ``call`` with the caller). Refused for a visit the caller served, one not
    finished, an unknown code, or a code older than 30 days."""
    actor.require("satisfaction.record")  # before reading the input
    rating, tags, comment = _check(rating, tags, comment)
    if normalise_code(code) is None:
        raise InvalidInput("评价码应为 6 位字母或数字（不含 0、1、I、O），请核对排队号小票")
    salt = _salt(db)
    with unit_of_work(db, actor, "satisfaction.record") as uow:
        subject = _by_code(uow, code, salt, CALL_VALID_DAYS)
        return _record(uow, "ticket", subject, rating, tags, comment, "call")


def rate_by_code(db: Database, code: str, rating: int, tags: Sequence[str] = (), comment: str = "",
                 *, actor: Actor | None = None) -> RatingView:
    """Rate a visit at the kiosk with the code printed on the ticket. Needs no
    sign-in (the code is the key); each visit is rated once, and a code
    expires 7 days after its ticket was issued."""
    rating, tags, comment = _check(rating, tags, comment)
    if normalise_code(code) is None:
        raise InvalidInput("评价码应为 6 位字母或数字（不含 0、1、I、O），请核对排队号小票")
    salt = _salt(db)
    with unit_of_work(db, actor) as uow:
        subject = _by_code(uow, code, salt, CODE_VALID_DAYS)
        return _record(uow, "ticket", subject, rating, tags, comment, "kiosk")


def low_ratings(db: Database, actor: Actor, *, include_resolved: bool = False,
                limit: int = 500) -> list[RatingView]:
    """Ratings of 2 or less, newest first, for the director's follow-up."""
    actor.require("satisfaction.follow_up")
    stmt = select(Rating).where(Rating.rating <= LOW_RATING)
    if not include_resolved:
        stmt = stmt.where(Rating.resolved.is_(False))
    with db.read() as s:
        return _views(s, stmt.order_by(Rating.rated_at.desc(), Rating.id.desc()).limit(limit))


def follow_up(db: Database, actor: Actor, rating_id: int, note: str, *, resolved: bool = True) -> RatingView:
    """The director's follow-up of a low rating: a note (added to earlier
    ones) and whether the matter is resolved."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请填写跟进情况")
    with unit_of_work(db, actor, "satisfaction.follow_up") as uow:
        r = uow.s.execute(uow.lock_for_update(select(Rating).where(Rating.id == rating_id))).scalar_one_or_none()
        if r is None:
            raise NotFound(f"没有编号为 {rating_id} 的评价")
        old = dict(resolved=bool(r.resolved))
        stamp = f"[{to_local(uow.now):%Y-%m-%d %H:%M} {actor.display_name or actor.username}] "
        r.follow_up_note = (r.follow_up_note + "\n" + stamp + note).strip()
        r.followed_up_by = actor.user_id
        r.followed_up_at = uow.now
        r.resolved = bool(resolved)
        uow.s.flush()
        uow.audit("satisfaction.follow_up", "rating", r.id, note=note,
                  changes={"resolved": [old["resolved"], bool(resolved)]})
        uow.event("satisfaction.followed_up", rating_id=r.id, resolved=bool(resolved))
        return _views(uow.s, select(Rating).where(Rating.id == r.id))[0]


def rating_for(db: Database, subject_type: str, subject_id: int) -> RatingView | None:
    with db.read() as s:
        found = _views(s, select(Rating).where(Rating.subject_type == subject_type,
                                               Rating.subject_id == subject_id))
        return found[0] if found else None


# ------------------------------------------------ whistle resident codes
#: A whistle's resident code (吹哨事项评价码): "S" (哨) and 6 characters, a keyed
#: permutation of the whistle id under a key derived from this installation's
#: salt, so it is told at closure, names exactly one whistle, is never
#: mistaken for a ticket's 6-character code and cannot be guessed from the
#: whistle's number.
WHISTLE_CODE_PREFIX = "S"
WHISTLE_CODE_LENGTH = CODE_LENGTH + 1
WHISTLE_CODE_VALID_DAYS = 30


def _whistle_key(salt: bytes) -> bytes:
    return hmac.new(salt, b"whistle-resident-code", hashlib.sha256).digest()[:16]


def normalise_whistle_code(code: object) -> str | None:
    """The code without spaces or dashes, upper case; ``None`` if not a whistle code."""
    text = "".join(str(code or "").split()).replace("-", "").upper()
    if len(text) != WHISTLE_CODE_LENGTH or not text.startswith(WHISTLE_CODE_PREFIX):
        return None
    return text if normalise_code(text[1:]) else None


def is_whistle_code(code: object) -> bool:
    """Whether the kiosk was given a whistle's code (7 characters, S first) rather than a ticket's."""
    text = "".join(str(code or "").split()).replace("-", "").upper()
    return len(text) == WHISTLE_CODE_LENGTH and text.startswith(WHISTLE_CODE_PREFIX)


def whistle_code_for_id(whistle_id: int, salt: bytes) -> str | None:
    code = code_for_id(whistle_id, _whistle_key(salt))
    return WHISTLE_CODE_PREFIX + code if code else None


def whistle_id_for_code(code: str, salt: bytes) -> int | None:
    text = normalise_whistle_code(code)
    return id_for_code(text[1:], _whistle_key(salt)) if text else None


def whistle_salt(db: Database) -> bytes:
    """The salt the whistle codes are keyed with (the one of the ticket codes)."""
    return _salt(db)


__all__ = ["CALL_VALID_DAYS", "CHANNELS", "CODE_VALID_DAYS", "REASON_TAGS", "RATING_LABELS", "RatingView", "Subject", "code_for_id",
           "follow_up", "id_for_code", "low_ratings", "rate", "rate_by_call", "rate_by_code", "rating_code",
           "rating_for", "register_subject"]
