"""SQLAlchemy mapped classes. Only ``hall.services`` touches these.

Times are stored as naive UTC (``UTCDateTime`` converts), calendar days as
dates. Anything history refers to is deactivated (``active``), never deleted.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from hall.domain.clock import UTC

if TYPE_CHECKING:
    from hall.domain.catalogue import Season

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use the hall clock")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return cast(dt.datetime, value).replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """Centre-wide settings (centre name, priority cap, ...), JSON values."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)


class Service(Base):
    __tablename__ = "services"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(2), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    carry_over: Mapped[bool] = mapped_column(Boolean, default=False)
    priority_weights: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Window(Base):
    __tablename__ = "windows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(64))
    season_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    season_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # A season recurs every year (only its month and day count) unless dated.
    season_yearly: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    area: Mapped[str] = mapped_column(String(32), default="", server_default="")  # 一楼, 二楼…
    state: Mapped[str] = mapped_column(String(16), default="closed")  # open / paused / closed
    consecutive_priority: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    services: Mapped[list[WindowService]] = relationship(
        order_by="WindowService.rank", cascade="all, delete-orphan", back_populates="window")

    @property
    def season(self) -> Season | None:
        """The window's ``hall.domain.catalogue.Season``, or ``None`` (open all year)."""
        return season_of(self.season_start, self.season_end, self.season_yearly)


def season_of(start: dt.date | None, end: dt.date | None, yearly: bool | None) -> Season | None:
    """A window's season from its three columns (also for a window read as a row)."""
    from hall.domain.catalogue import Season

    if start is None or end is None:
        return None
    return Season(start, end, yearly=yearly is not False)


class WindowService(Base):
    __tablename__ = "window_services"
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)
    window: Mapped[Window] = relationship(back_populates="services")
    service: Mapped[Service] = relationship()


class Room(Base):
    __tablename__ = "rooms"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    capacity: Mapped[int] = mapped_column(Integer, default=6)
    video: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    roles: Mapped[str] = mapped_column(String(200))  # comma-separated Role values
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Visitor(Base):
    """A person who came to the hall. The ID number is sensitive: never logged."""

    __tablename__ = "visitors"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    name_initials: Mapped[str] = mapped_column(String(32), default="", index=True)
    name_pinyin: Mapped[str] = mapped_column(String(128), default="")
    id_number: Mapped[str | None] = mapped_column(String(18), nullable=True, unique=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # A duplicate merged into another record is kept (history may name it) but
    # no longer found: it points to the record that holds the person now.
    merged_into_id: Mapped[int | None] = mapped_column(BigId, nullable=True, default=None)
    __table_args__ = (Index("ix_visitors_name", "name"),)


class TicketCounter(Base):
    """The last number issued for a service on a business day (the lock point)."""

    __tablename__ = "ticket_counters"
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    business_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    business_day: Mapped[dt.date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    priority_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    priority_weight: Mapped[int] = mapped_column(Integer, default=0)
    queue_key: Mapped[int] = mapped_column(BigInteger)
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("visitors.id"), nullable=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    served_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    transferred_from_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    transferred_to_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    transfer_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    #: 挂起: since when and why the ticket is on hold (cleared when it waits again).
    held_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    hold_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)

    service: Mapped[Service] = relationship(foreign_keys=[service_id])
    window: Mapped[Window | None] = relationship(foreign_keys=[window_id])
    visitor: Mapped[Visitor | None] = relationship(foreign_keys=[visitor_id])

    __table_args__ = (
        UniqueConstraint("service_id", "business_day", "seq", name="uq_ticket_number_per_day"),
        Index("ix_tickets_queue", "status", "service_id", "queue_key"),
        Index("ix_tickets_window_status", "window_id", "status"),
        Index("ix_tickets_issued_at", "issued_at"),
        Index("ix_tickets_visitor", "visitor_id"),
    )


class Event(Base):
    """Append-only change feed that every workstation polls (monotonic id)."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(48))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    workstation: Mapped[str] = mapped_column(String(64), default="")


class AuditEntry(Base):
    """Who did what, when, from where. Never holds an ID number."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    username: Mapped[str] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(48))
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    __table_args__ = (Index("ix_audit_at", "at"),)


class TrackedDeadline(Base):
    """A statutory (or agreed) period watched for one case, document or term.

    ``due_date`` is stored (recomputed whenever the inputs or the holiday
    calendar change) so a board over tens of thousands of open cases is one
    indexed query; the explanation is computed only for rows on screen.
    """

    __tablename__ = "tracked_deadlines"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rule_code: Mapped[str] = mapped_column(String(48))
    subject_type: Mapped[str] = mapped_column(String(24))   # case / arbitration / petition / agreement
    subject_id: Mapped[int] = mapped_column(BigInteger)
    case_number: Mapped[str] = mapped_column(String(64), default="")
    label: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    agreed_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # a date the parties agreed
    agreed_basis: Mapped[str] = mapped_column(String(200), default="")
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    restarts: Mapped[list[Any]] = mapped_column(JSON, default=list)      # [[iso date, event code], ...]
    suspensions: Mapped[list[Any]] = mapped_column(JSON, default=list)   # [[first, last|None, label], ...]
    met_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    __table_args__ = (
        Index("ix_deadlines_open_due", "active", "met_on", "due_date"),
        Index("ix_deadlines_subject", "subject_type", "subject_id"),
        Index("ix_deadlines_case_number", "case_number"),
    )


class HolidaySchedule(Base):
    """A year's official holidays and swapped working days, entered by the admin
    when the State Council publishes them; it takes precedence over the
    packaged calendar data."""

    __tablename__ = "holiday_schedules"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    holidays: Mapped[list[Any]] = mapped_column(JSON, default=list)         # [[iso date, name], ...]
    swapped_workdays: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [iso date, ...]
    entered_by: Mapped[str] = mapped_column(String(64), default="")
    entered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
