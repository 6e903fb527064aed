"""Mapped classes of running the centre: window opening hours, appointment
plans and bookings, satisfaction ratings (and the index statistics need).

Appointment slots are not stored: they are generated from the plan for a day;
only bookings are rows. A rating names its subject by type and id (a ticket,
a mediation session...), so it serves every area of the hall.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, BigId, Ticket, UTCDateTime

# Statistics select a period by business day; on a long history this is
# what keeps a month's figures from scanning every ticket ever issued.
Index("ix_tickets_business_day", Ticket.__table__.c.business_day)


class WindowHours(Base):
    """A window's weekly opening hours (``{"0": [["08:30", "12:00"], ...]}``)."""

    __tablename__ = "window_hours"
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"), primary_key=True,
                                           autoincrement=False)
    hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AppointmentPlan(Base):
    """How a service takes appointments: slot length, places, weekly hours."""

    __tablename__ = "appointment_plans"
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True,
                                            autoincrement=False)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    days_ahead: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Appointment(Base):
    """One booking of one slot. Name and phone are shown masked on public surfaces."""

    __tablename__ = "appointments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    day: Mapped[dt.date] = mapped_column(Date)                 # the hall's calendar day
    slot_start: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))           # front_desk / phone
    status: Mapped[str] = mapped_column(String(16))            # hall.domain.appointments.AppointmentStatus
    note: Mapped[str] = mapped_column(Text, default="")
    booked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    booked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    __table_args__ = (
        Index("ix_appointments_slot", "service_id", "slot_start", "status"),
        Index("ix_appointments_day_status", "day", "status"),
        Index("ix_appointments_phone", "phone"),
    )


class Rating(Base):
    """A visitor's satisfaction rating (1-5) of one subject, given once."""

    __tablename__ = "ratings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(24))      # ticket / mediation_session / ...
    subject_id: Mapped[int] = mapped_column(BigInteger)
    rating: Mapped[int] = mapped_column(SmallInteger)
    tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(16))           # window / kiosk
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"), nullable=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    rated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    follow_up_note: Mapped[str] = mapped_column(Text, default="")
    followed_up_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    followed_up_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", name="uq_rating_subject"),
        Index("ix_ratings_rated_at", "rated_at"),
        Index("ix_ratings_low", "rating", "resolved"),
    )
