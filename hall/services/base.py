"""What every service function shares: the actor, errors, the unit of work.

One service function = one user action = one transaction, holding the
permission check, the change itself, one audit row and its event rows.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Table, bindparam, insert, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

from hall.domain.clock import HALL_TZ, as_utc, local_day
from hall.domain.roles import Role, allowed
from hall.domain.statemachine import IllegalTransition
from hall.store.db import BUSY_MESSAGE, Database, WriterLockTimeout, is_busy_error
from hall.store.models import AuditEntry, Event, User

#: The PostgreSQL channel a workstation LISTENs on (``ui.common.live``). The
#: NOTIFY is sent after the transaction that appended events has committed
#: (:func:`notify_workstations`), so it comes only for committed events; the
#: events table stays the record.
EVENT_CHANNEL = "hall_events"

log = logging.getLogger(__name__)


class HallError(Exception):
    """A refusal the user can act on. ``str(err)`` is a Chinese sentence."""

    code = "error"

    def __init__(self, message: str, **details: Any):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(HallError):
    code = "not_found"


class Conflict(HallError):
    """The thing changed under the user (already called, window paused...)."""

    code = "conflict"


class InvalidInput(HallError):
    code = "invalid"


class PermissionDenied(HallError):
    code = "forbidden"


class Busy(HallError):
    """Another workstation held the rows too long (SQLite busy timeout,
    PostgreSQL lock_timeout/statement_timeout); nothing was changed."""

    code = "busy"


@dataclass(frozen=True)
class Actor:
    """Who acts, in which role(s), at which workstation."""

    user_id: int | None
    username: str
    roles: frozenset[Role]
    workstation: str = field(default_factory=socket.gethostname)
    display_name: str = ""
    #: Signed in with a temporary password: the UI must ask for a new one first.
    must_change_password: bool = False

    def may(self, action: str) -> bool:
        return allowed(self.roles, action)

    def require(self, action: str) -> None:
        if not self.may(action):
            raise PermissionDenied(f"当前账户（{self.username}）无权执行此操作：{ACTION_LABELS.get(action, action)}")


ACTION_LABELS = {
    "ticket.issue": "取号",
    "ticket.cancel": "取消排队号",
    "ticket.call": "叫号",
    "ticket.serve": "办理排队号",
    "ticket.serve_others": "办理其他工作人员叫号的排队号",
    "window.state": "开启/暂停/关闭窗口",
    "visitor.lookup": "查询来访人",
    "visitor.see_id_number": "查看完整身份证号",
    "user.manage": "管理用户",
    "centre.configure": "配置中心",
    "stats.read": "查看统计",
    "deadline.manage": "管理期限（完成、延长、中止、重新计算）",
    "arbitration.read": "查阅劳动仲裁案件",
    "arbitration.register": "劳动仲裁收件、补正登记",
    "arbitration.decide": "劳动仲裁立案审查与办案（受理、组庭、开庭、送达、结案）",
    "petition.read": "查阅信访事项",
    "petition.register": "信访登记、受理告知",
    "petition.handle": "办理信访事项（处理意见、复查、复核）",
    "petition.see_whistleblower": "查看检举人身份信息",
    "case.register": "登记调解案件",
    "case.read": "查看调解案件",
    "case.edit": "修改调解案件（事实、请求、当事人、证据）",
    "case.refer": "转介（调解室、窗口、部门、心理咨询）",
    "case.assign": "指派调解员",
    "case.mediate": "主持调解（受理、调解、协议、终止、移送、结案）",
    "case.follow_up": "回访协议履行情况",
    "case.import": "导入调解案件",
    "room.book": "预约调解室",
    "document.register": "登记、打印文书",
    "store.verify": "校验文件库",
    "appointment.manage": "预约登记、取消与签到",
    "satisfaction.record": "记录满意度评价",
    "satisfaction.follow_up": "跟进不满意评价",
}


_signed_in: Actor | None = None


def act_as(actor: Actor | None) -> None:
    """Make :func:`system_actor` the user ``hall-admin`` signed in as (``None``:
    the database owner's administrator again)."""
    global _signed_in
    _signed_in = actor


def system_actor(workstation: str | None = None) -> Actor:
    """The command-line administrator (``hall-admin``), or the user it signed
    in as (:func:`act_as`): on PostgreSQL a connection that does not own the
    database acts as a signed-in user, with that user's permissions."""
    if _signed_in is not None:
        return _signed_in
    return Actor(None, "hall-admin", frozenset({Role.ADMIN}),
                 workstation or socket.gethostname(), "系统管理")


# Built once: ``insert(AuditEntry).values(...)`` built a new statement for
# every action (a fresh cache key to compute each time); the same insert
# with its values as parameters is compiled once per engine and reused.
# Core inserts on the tables: the ORM's bulk-insert path around an
# ``insert(AuditEntry)`` costs more than the statement itself.
_AUDIT_INSERT = insert(cast(Table, AuditEntry.__table__))
_EVENT_INSERT = insert(cast(Table, Event.__table__))
#: The notification, sent after the commit in a transaction of its own.
#: PostgreSQL serialises the commits of transactions that NOTIFY (a lock held
#: from before their commit until after it, through the WAL flush), so a
#: NOTIFY inside the action's transaction would make every workstation's
#: commit wait for the others'. Alone, with nothing to make durable, it holds
#: that lock for microseconds.
_NOTIFY_AFTER_COMMIT = f"SET LOCAL synchronous_commit TO off; NOTIFY {EVENT_CHANNEL}"
#: Whether the signed-in account is still active (checked in every action).
_USER_ACTIVE = select(cast(Table, User.__table__).c.active).where(
    cast(Table, User.__table__).c.id == bindparam("uid"))


class UnitOfWork:
    """The open transaction of one service call."""

    def __init__(self, db: Database, session: Session, actor: Actor | None):
        self.db = db
        self.s = session
        self.actor = actor
        self.now = db.clock.now()
        self._events: list[tuple[str, dict]] = []
        self.appended_events = False

    def audit(self, action: str, object_type: str = "", object_id: Any = "", **details: Any) -> None:
        a = self.actor
        self.s.execute(_AUDIT_INSERT, dict(
            at=self.now, user_id=a.user_id if a else None, username=a.username if a else "",
            workstation=a.workstation if a else "", action=action, object_type=object_type,
            object_id=str(object_id), details=details))

    def event(self, kind: str, **payload: Any) -> None:
        """Queue an event; it is appended last, just before commit."""
        self._events.append((kind, payload))

    def lock_for_update(self, stmt):
        """``FOR UPDATE`` where the backend has it (SQLite's writer lock covers it)."""
        return stmt.with_for_update() if self.db.is_postgres else stmt

    def flush_events(self) -> None:
        """Append the queued events as the last writes of the transaction.

        The ORM's pending changes are written first, so the events' ids are
        taken as late as possible, just before the commit. No lock orders the
        writers: two workstations' events may become visible out of id order,
        which the readers' :class:`hall.services.eventfeed.EventCursor` allows
        for; writers therefore never queue behind each other's commit.
        """
        if not self._events:
            return
        self.s.flush()
        ws = self.actor.workstation if self.actor else ""
        rows = [dict(at=self.now, kind=kind, payload=payload, workstation=ws) for kind, payload in self._events]
        self.s.execute(_EVENT_INSERT, rows[0] if len(rows) == 1 else rows)
        self.appended_events = True
        self._events.clear()


@contextlib.contextmanager
def unit_of_work(db: Database, actor: Actor | None, action: str | None = None) -> Iterator[UnitOfWork]:
    """Check the permission, open a write transaction, commit events last."""
    if action is not None:
        if actor is None:
            raise PermissionDenied("未登录，不能执行此操作")
        actor.require(action)
        if actor.must_change_password:
            raise PermissionDenied("请先修改临时密码，再办理业务")
    try:
        with db.write() as session:
            if action is not None and actor is not None and actor.user_id is not None:
                # an account disabled since it signed in stops working at once
                active = session.execute(_USER_ACTIVE, {"uid": actor.user_id}).scalar()
                if active is False:
                    raise PermissionDenied(f"账户 {actor.username} 已停用，请联系管理员")
            uow = UnitOfWork(db, session, actor)
            yield uow
            uow.flush_events()
        if uow.appended_events and db.is_postgres:
            notify_workstations(db)
    except OperationalError as exc:
        if is_busy_error(exc):
            raise Busy(BUSY_MESSAGE) from exc
        raise
    except WriterLockTimeout as exc:
        raise Busy(BUSY_MESSAGE) from exc


def notify_workstations(db: Database) -> None:
    """Wake the listening workstations (``ui.common.live``) after a commit
    that appended events. They read the events table, which stays the record:
    a notification lost with a dropped connection only delays them until the
    next one, so a failure here is logged and the action stands."""
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql(_NOTIFY_AFTER_COMMIT)
            conn.commit()
    except DBAPIError as exc:
        log.warning("the workstations were not notified of a change (they see it with the next one): %s",
                    type(exc.orig).__name__ if exc.orig is not None else exc)


def checked_id_and_phone(id_number: str | None, phone: str | None, today) -> tuple[str | None, str | None]:
    """A typed resident ID number and phone, normalised; ``None`` for what was
    left empty. Refuses an invalid one with the check's Chinese message."""
    from hall.domain.identity import check_phone, check_resident_id

    idn = tel = None
    if id_number and id_number.strip():
        chk = check_resident_id(id_number, today=today)
        if not chk.ok:
            raise InvalidInput(chk.message)
        idn = chk.normalized
    if phone and phone.strip():
        pc = check_phone(phone)
        if not pc.ok:
            raise InvalidInput(pc.message)
        tel = pc.normalized
    return idn, tel


def checked_name(text: str | None, **rule: Any) -> str:
    """A typed person name by the one rule of ``hall.domain.names`` (cleaned);
    ``""`` when empty; refuses with its Chinese message."""
    from hall.domain.names import check_person_name

    chk = check_person_name(text, **rule)
    if not chk.ok:
        raise InvalidInput(chk.message)
    return chk.value


def rows_changed(session: Session, statement: UpdateBase) -> int:
    """Run an UPDATE or DELETE; how many rows it matched."""
    # a DML statement's result is a CursorResult; Session.execute is typed as returning Result
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    from hall.store.models import Setting

    row = session.get(Setting, key)
    return default if row is None else row.value


def put_setting(session: Session, key: str, value: Any) -> Any:
    """Store a setting; returns the previous value (``None`` when it was absent)."""
    from hall.store.models import Setting

    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
        return None
    old = row.value
    if old != value:
        row.value = value
    return old


def centre_profile_in(session: Session) -> dict[str, Any]:
    """The centre's profile (name, committee, case-number patterns, ...) as stored."""
    return dict(get_setting(session, "centre.profile", {}) or {})


def uow_today(uow: UnitOfWork) -> dt.date:
    """The hall's day (Asia/Shanghai) at the moment of this transaction."""
    return local_day(uow.now)


def entered_day(uow: UnitOfWork, value: Any, what: str, *, future_ok: bool = False) -> dt.date:
    """A day the user entered for ``what`` (a date, a datetime or ``YYYY-MM-DD``);
    None is today. A day after today is refused unless ``future_ok``."""
    from hall.domain.deadlines import cn_date

    if value is None:
        return uow_today(uow)
    if isinstance(value, dt.datetime):
        value = local_day(as_utc(value) if value.tzinfo else value.replace(tzinfo=HALL_TZ))
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput(f"{what}“{value}”不是有效日期（YYYY-MM-DD）") from None
    if not future_ok and value > uow_today(uow):
        raise InvalidInput(f"{what}{cn_date(value)}晚于今天")
    return value


_Row = TypeVar("_Row")
_State = TypeVar("_State")


def locked_by_id(uow: UnitOfWork, model: type[_Row], row_id: int, what: str) -> _Row:
    """The ``model`` row ``row_id``, locked for the transaction; :class:`NotFound` names it ``what``."""
    stmt = uow.lock_for_update(select(model).where(cast(Any, model).id == row_id))
    row = uow.s.execute(stmt).scalar_one_or_none()
    if row is None:
        raise NotFound(f"没有编号为 {row_id} 的{what}")
    return row


def got_by_id(session: Session, model: type[_Row], row_id: int, what: str) -> _Row:
    """The ``model`` row ``row_id``; :class:`NotFound` names it ``what``."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"没有编号为 {row_id} 的{what}")
    return row


def moved(row: Any, next_state: Callable[[Any, str], _State], action: str) -> _State:
    """Move ``row`` by ``action`` along its procedure (``next_state``); a refused move is a :class:`Conflict`."""
    try:
        new = next_state(row.state, action)
    except IllegalTransition as exc:
        raise Conflict(str(exc), state=row.state) from None
    row.state = cast(Any, new).value
    return new


def first(session: Session, stmt):
    return session.execute(stmt).scalars().first()


__all__ = ["Actor", "HallError", "NotFound", "Conflict", "InvalidInput", "PermissionDenied", "Busy",
           "UnitOfWork", "unit_of_work", "system_actor", "get_setting", "select", "first",
           "centre_profile_in", "uow_today", "entered_day", "locked_by_id", "got_by_id", "moved", "put_setting"]
