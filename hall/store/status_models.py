"""Public status tokens, wait estimates and visitor notices (一案一码).

A token is handed to the visitor (QR on the ticket or a document); only its
SHA-256 is stored, so a copy of the database cannot be turned into links.
The outbox is written in the same transaction as the queue event it tells
about, and read by the separate sender process.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from . import centre_models  # noqa: F401  appointments, referenced by a consent
from .models import Base, BigId, UTCDateTime


class PublicToken(Base):
    """The hash of one unguessable public token for a ticket, case, arbitration
    case or petition. A re-issued token replaces the old one (``active``)."""

    __tablename__ = "public_tokens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    subject_type: Mapped[str] = mapped_column(String(16))   # ticket / case / arbitration / petition
    subject_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (Index("ix_public_tokens_subject", "subject_type", "subject_id"),)


class TicketEstimate(Base):
    """The wait range promised when the ticket was issued (minutes, 20–80 %)."""

    __tablename__ = "ticket_estimates"
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True,
                                           autoincrement=False)
    low_minutes: Mapped[int] = mapped_column(Integer)
    high_minutes: Mapped[int] = mapped_column(Integer)
    median_minutes: Mapped[int] = mapped_column(Integer)
    ahead: Mapped[int] = mapped_column(Integer, default=0)
    estimated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class NoticeSubscription(Base):
    """A visitor's recorded consent to be told about one ticket (and the
    tickets it is transferred to) or one appointment (reminder; the ticket
    issued at check-in takes the consent over). ``unsubscribed_at`` honours 退订."""

    __tablename__ = "notice_subscriptions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True)
    channel: Mapped[str] = mapped_column(String(8))         # sms / email
    address: Mapped[str] = mapped_column(String(128))
    consent_by: Mapped[str] = mapped_column(String(16))     # visitor / family
    recorded_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    near_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    unsubscribe_code: Mapped[str] = mapped_column(String(32), unique=True)  # only stops this notice
    __table_args__ = (Index("ix_notice_subscriptions_ticket", "ticket_id"),
                      Index("ix_notice_subscriptions_appointment", "appointment_id"))


class OutboxMessage(Base):
    """One message waiting to be sent, sent, or given up on (dead letter).

    ``state``: pending → sending (claimed, ``lease_until``) → sent; failures go
    back to pending with ``next_attempt_at`` (backoff) until ``dead``.
    """

    __tablename__ = "notice_outbox"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)   # idempotency key for the gateway
    kind: Mapped[str] = mapped_column(String(24))
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("notice_subscriptions.id"),
                                                        nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    channel: Mapped[str] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_notice_outbox_due", "state", "next_attempt_at"),)
