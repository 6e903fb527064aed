"""Mapped classes of 街道吹哨、部门报到: departments, events taken in from the
grid and the 12345 hotline, whistles, each department's summons with its
actions, on-site meetings (会商) and the assessment's direct points."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, BigId, UTCDateTime


class Department(Base):
    """A department the centre can summon (常驻 / 轮驻 / 随驻 in the hall, or external)."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    contacts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    services: Mapped[list[Any]] = mapped_column(JSON, default=list)
    categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class DepartmentMember(Base):
    """An account that acts for a department (its liaison)."""

    __tablename__ = "department_members"
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class IntakeEvent(Base):
    """A grid worker's report or a 12345 work order, as taken in."""

    __tablename__ = "intake_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    grid_code: Mapped[str] = mapped_column(String(64), default="")
    street: Mapped[str] = mapped_column(String(64), default="")
    reporter: Mapped[str] = mapped_column(String(64), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(64), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    resident_name: Mapped[str] = mapped_column(String(64), default="")
    resident_phone: Mapped[str] = mapped_column(String(32), default="")
    reply_due: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reply_kind: Mapped[str] = mapped_column(String(16), default="")
    attachments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), default="new")   # new / whistled / closed
    whistle_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    result: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    batch: Mapped[str] = mapped_column(String(64), default="")
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_intake_source_external"),
                      Index("ix_intake_state", "state", "source"))


class Whistle(Base):
    """One whistle: the matter, the kind, the departments summoned (see summons)."""

    __tablename__ = "whistles"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    matter: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(64), default="")
    subject_type: Mapped[str] = mapped_column(String(16), default="")   # event / ticket / case / ""
    subject_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    subject_label: Mapped[str] = mapped_column(String(64), default="")
    resident_name: Mapped[str] = mapped_column(String(64), default="")
    resident_phone: Mapped[str] = mapped_column(String(32), default="")
    state: Mapped[str] = mapped_column(String(16), default="open")
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    solution_due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    closure_note: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    satisfaction_channel: Mapped[str] = mapped_column(String(16), default="")
    satisfaction_note: Mapped[str] = mapped_column(Text, default="")
    satisfaction_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    __table_args__ = (Index("ix_whistles_issued", "issued_at"), Index("ix_whistles_state", "state"))


class Summons(Base):
    """One department summoned by one whistle: 报到, result, return, 督办."""

    __tablename__ = "whistle_summons"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    whistle_id: Mapped[int] = mapped_column(ForeignKey("whistles.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    state: Mapped[str] = mapped_column(String(16), default="summoned")
    response_due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    solution_due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    reported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reported_by: Mapped[str] = mapped_column(String(64), default="")
    report_mode: Mapped[str] = mapped_column(String(16), default="")
    result: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    returned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    escalations: Mapped[list[Any]] = mapped_column(JSON, default=list)   # [[at iso, what, note]]
    review_score: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    review_note: Mapped[str] = mapped_column(Text, default="")
    response_deadline_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    solution_deadline_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    __table_args__ = (UniqueConstraint("whistle_id", "department_id", name="uq_summons_department"),
                      Index("ix_summons_department_state", "department_id", "state"))


class SummonsAction(Base):
    """What a department did (处置情况), with attachments in the evidence store."""

    __tablename__ = "whistle_actions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    summons_id: Mapped[int] = mapped_column(ForeignKey("whistle_summons.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    author: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(16), default="action")   # action / result / return / escalation
    text: Mapped[str] = mapped_column(Text, default="")
    files: Mapped[list[Any]] = mapped_column(JSON, default=list)   # [{"stored_file_id", "sha256", "name", "size"}]


class WhistleMeeting(Base):
    """An on-site meeting (会商) booked in a room."""

    __tablename__ = "whistle_meetings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    whistle_id: Mapped[int] = mapped_column(ForeignKey("whistles.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    start: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    end: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16), default="booked")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    __table_args__ = (Index("ix_whistle_meetings_room", "room_id", "start"),)


class AssessmentAdjustment(Base):
    """Points added or deducted directly in a month's assessment, with the reason."""

    __tablename__ = "whistle_adjustments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))   # YYYY-MM
    target_type: Mapped[str] = mapped_column(String(16))   # department / street
    target: Mapped[str] = mapped_column(String(64))
    points: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
