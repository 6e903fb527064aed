"""Mapped classes of people's mediation: cases, parties, referrals, room
bookings, sessions, the content-addressed file store, agreements, follow-ups
and the document registry. Only ``hall.services`` touches these.

No relationships are mapped: services read with explicit joined queries, so
nothing is ever lazily loaded behind a widget's back. Times are UTC
(``UTCDateTime``); money is exact (:class:`Money`).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

from .models import Base, BigId, UTCDateTime

_CENT = Decimal("0.01")


class Money(TypeDecorator[Decimal]):
    """An exact amount of yuan with two places.

    PostgreSQL stores ``NUMERIC(14, 2)``. SQLite has no exact decimal type
    (its NUMERIC affinity keeps a float), so there the amount is stored as an
    integer number of fen; expressions over the column (``sum``) come back
    as yuan through this type on both backends.
    """

    impl = Numeric(14, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | int | float | str | None, dialect: Dialect) -> Decimal | int | None:
        if value is None:
            return None
        amount = Decimal(str(value)).quantize(_CENT)
        return int(amount * 100) if dialect.name == "sqlite" else amount

    def process_result_value(self, value: Any | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / 100).quantize(_CENT)
        return Decimal(value).quantize(_CENT)


# ------------------------------------------------------------------- cases
class CaseCounter(Base):
    """The last case sequence number of a year (the lock point for numbering)."""

    __tablename__ = "case_counters"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    """A dispute registered for people's mediation (调解登记)."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: imported, foreign number
    category: Mapped[str] = mapped_column(String(24))
    subcategory: Mapped[str | None] = mapped_column(String(32), nullable=True)
    source: Mapped[str] = mapped_column(String(16))
    risk: Mapped[str] = mapped_column(String(8), default="low")
    police_flag: Mapped[bool] = mapped_column(Boolean, default=False)   # 人民调解法第二十五条
    police_note: Mapped[str] = mapped_column(Text, default="")
    police_flagged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    facts: Mapped[str] = mapped_column(Text, default="")
    claims: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16))
    state_reason: Mapped[str] = mapped_column(Text, default="")   # why declined / failed / transferred
    transfer_target: Mapped[str] = mapped_column(String(200), default="")
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    imported_from: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_cases_year_seq"),
        Index("ix_cases_state", "state", "id"),
        Index("ix_cases_mediator", "mediator_id", "state"),
        Index("ix_cases_created_at", "created_at"),
        Index("ix_cases_ticket", "ticket_id"),
    )


class CaseParty(Base):
    """A party: a person or an organisation. Removed parties are deactivated.

    The search keys (``name_initials``, ``name_pinyin``, ``name``,
    ``id_number``, ``phone``) are each indexed as ``(key, case_id, active)``:
    a case search reads one covering index, in case order for one key value
    (keyset paging), and never touches the table rows.
    """

    __tablename__ = "case_parties"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    side: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    name_initials: Mapped[str] = mapped_column(String(32), default="")
    name_pinyin: Mapped[str] = mapped_column(String(128), default="")
    sex: Mapped[str | None] = mapped_column(String(2), nullable=True)
    ethnicity: Mapped[str | None] = mapped_column(String(16), nullable=True)
    birth_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    id_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), nullable=True)
    occupation: Mapped[str | None] = mapped_column(String(64), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    legal_rep: Mapped[str | None] = mapped_column(String(64), nullable=True)
    legal_rep_title: Mapped[str | None] = mapped_column(String(32), nullable=True)
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("visitors.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (
        Index("ix_case_parties_case", "case_id", "position"),
        Index("ix_case_parties_initials", "name_initials", "case_id", "active"),
        Index("ix_case_parties_pinyin", "name_pinyin", "case_id", "active"),
        Index("ix_case_parties_name", "name", "case_id", "active"),
        Index("ix_case_parties_id_number", "id_number", "case_id", "active"),
        Index("ix_case_parties_phone", "phone", "case_id", "active"),
        Index("ix_case_parties_visitor", "visitor_id"),
    )


class CaseAgent(Base):
    """A party's agent (委托代理人) with the scope of the authorisation."""

    __tablename__ = "case_agents"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    party_id: Mapped[int] = mapped_column(ForeignKey("case_parties.id"))
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    relation: Mapped[str] = mapped_column(String(64), default="")
    scope: Mapped[str] = mapped_column(String(16), default="general")
    authorisation: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (Index("ix_case_agents_case", "case_id"), Index("ix_case_agents_party", "party_id"))


class CaseTimelineEntry(Base):
    """One line of the case's history (调解工作记录): every action appends one."""

    __tablename__ = "case_timeline"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor_name: Mapped[str] = mapped_column(String(64), default="")
    __table_args__ = (Index("ix_case_timeline_case", "case_id", "id"),)


class MediatorProfile(Base):
    """What recusal compares a mediator with: ID number and phone (sensitive)."""

    __tablename__ = "mediator_profiles"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, autoincrement=False)
    id_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CaseMediator(Base):
    """Who mediated a case and when they stopped (a party's request, recusal...)."""

    __tablename__ = "case_mediators"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    mediator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    assigned_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    release_reason: Mapped[str] = mapped_column(Text, default="")
    requested_by_party_id: Mapped[int | None] = mapped_column(ForeignKey("case_parties.id"), nullable=True)
    __table_args__ = (Index("ix_case_mediators_case", "case_id", "mediator_id"),)


# --------------------------------------------------------------- referrals
class Referral(Base):
    """Where a visitor or a case is sent next: a room, a window, a department,
    counselling. Several are made at once for one visit."""

    __tablename__ = "referrals"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("visitors.id"), nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    batch: Mapped[str] = mapped_column(String(32), default="")   # referrals made together
    target_kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(64))        # room / service code, or a name
    target_label: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    scheduled_for: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("room_bookings.id"), nullable=True)
    state: Mapped[str] = mapped_column(String(16))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    __table_args__ = (
        Index("ix_referrals_case", "case_id"),
        Index("ix_referrals_visitor", "visitor_id"),
        Index("ix_referrals_open", "state", "scheduled_for"),
    )


# ---------------------------------------------------------------- bookings
class RoomBooking(Base):
    """A room, a time, a mediator, a case. Overlaps are refused by the service."""

    __tablename__ = "room_bookings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    start: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    end: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default="booked")   # booked / cancelled
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        Index("ix_room_bookings_room", "room_id", "start"),
        Index("ix_room_bookings_mediator", "mediator_id", "start"),
        Index("ix_room_bookings_case", "case_id"),
        Index("ix_room_bookings_start", "start"),
    )


# ---------------------------------------------------------------- sessions
class MediationSession(Base):
    """One sitting of a mediation, on site, by video, or both, with its minutes."""

    __tablename__ = "mediation_sessions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("room_bookings.id"), nullable=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"), nullable=True)
    mode: Mapped[str] = mapped_column(String(16))
    public: Mapped[bool] = mapped_column(Boolean, default=False)   # 第二十三条第三项
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recorder_name: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    rights_notice_given: Mapped[bool] = mapped_column(Boolean, default=False)
    rights_notice_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    minutes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    minutes_version: Mapped[int] = mapped_column(Integer, default=0)
    minutes_saved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    __table_args__ = (Index("ix_mediation_sessions_case", "case_id"),)


class SessionParticipant(Base):
    """Someone taking part in a session: how present, how identified, and
    whether they consented to recording (asked of everyone, late joiners too)."""

    __tablename__ = "session_participants"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mediation_sessions.id"))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("case_parties.id"), nullable=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("case_agents.id"), nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    presence: Mapped[str] = mapped_column(String(16))
    remote_location: Mapped[str] = mapped_column(String(200), default="")
    identity_method: Mapped[str | None] = mapped_column(String(32), nullable=True)
    identity_checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    consent_to_recording: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # None: not asked
    consent_asked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    joined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    left_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    __table_args__ = (Index("ix_session_participants_session", "session_id"),)


class SessionRecording(Base):
    """A period of audio/video recording in a session, and the file it produced."""

    __tablename__ = "session_recordings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mediation_sessions.id"))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    started_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stopped_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    stop_reason: Mapped[str] = mapped_column(String(200), default="")
    file_id: Mapped[int | None] = mapped_column(ForeignKey("case_files.id"), nullable=True)
    __table_args__ = (Index("ix_session_recordings_session", "session_id"),)


# ------------------------------------------------------------- file store
class StoredFile(Base):
    """One blob of the content-addressed store: ``<folder>/<sha[:2]>/<sha>``."""

    __tablename__ = "stored_files"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    original_name: Mapped[str] = mapped_column(String(255), default="")
    added_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CaseFile(Base):
    """Evidence or a recording attached to a case (and maybe a session)."""

    __tablename__ = "case_files"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    kind: Mapped[str] = mapped_column(String(16), default="evidence")   # evidence / recording
    description: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_sessions.id"), nullable=True)
    added_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (Index("ix_case_files_case", "case_id"), Index("ix_case_files_sha", "sha256"))


# ------------------------------------------------------------- agreements
class Agreement(Base):
    """A version of a case's mediation agreement. Effective text is frozen
    (snapshot + SHA-256); a correction is a new version, never an edit."""

    __tablename__ = "agreements"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    oral: Mapped[bool] = mapped_column(Boolean, default=False)
    liability: Mapped[str] = mapped_column(Text, default="")
    facts: Mapped[str] = mapped_column(Text, default="")
    text_snapshot: Mapped[str | None] = mapped_column(Text, nullable=True)
    text_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    signatory_party_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    copies: Mapped[int] = mapped_column(Integer, default=0)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"), nullable=True)
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    signing_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    effective_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    effective_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    __table_args__ = (
        UniqueConstraint("case_id", "version", name="uq_agreements_case_version"),
        Index("ix_agreements_state", "state", "effective_on"),
    )


class AgreementTerm(Base):
    """One numbered term: who owes what to whom, how and by when."""

    __tablename__ = "agreement_terms"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    position: Mapped[int] = mapped_column(Integer)
    obligor_party_id: Mapped[int | None] = mapped_column(ForeignKey("case_parties.id"), nullable=True)
    obligee_party_id: Mapped[int | None] = mapped_column(ForeignKey("case_parties.id"), nullable=True)
    content: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    amount_capitals: Mapped[str] = mapped_column(String(100), default="")
    method: Mapped[str] = mapped_column(String(100), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    __table_args__ = (Index("ix_agreement_terms_agreement", "agreement_id", "position"),)


class AgreementSignoff(Base):
    """A signature, seal or fingerprint of a party, the mediator's signature,
    or the committee's seal (人民调解法第二十九条)."""

    __tablename__ = "agreement_signoffs"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    signer_key: Mapped[str] = mapped_column(String(32))   # party:<id> / mediator / seal
    signer_kind: Mapped[str] = mapped_column(String(16))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("case_parties.id"), nullable=True)
    by_name: Mapped[str] = mapped_column(String(100))
    method: Mapped[str] = mapped_column(String(16))
    signed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    __table_args__ = (UniqueConstraint("agreement_id", "signer_key", name="uq_agreement_signoffs_signer"),)


class FollowUp(Base):
    """A 回访: how the agreement is being performed (人民调解法第三十一条)."""

    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    by_user: Mapped[int | None] = mapped_column(Integer, nullable=True)
    by_name: Mapped[str] = mapped_column(String(64), default="")
    method: Mapped[str] = mapped_column(String(16))
    performance: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    __table_args__ = (Index("ix_follow_ups_agreement", "agreement_id", "at"), Index("ix_follow_ups_case", "case_id"))


# ------------------------------------------------------ document registry
class Document(Base):
    """A generated document (PDF/DOCX): kind, case, version, hash, who made it.

    ``scope`` is what the version counts within: ``case:<id>`` or
    ``<subject_type>:<subject_id>`` for documents of another area.
    """

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(48))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    subject_type: Mapped[str] = mapped_column(String(24), default="")
    subject_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(8))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    title: Mapped[str] = mapped_column(String(200), default="")
    generated_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    generated_by_name: Mapped[str] = mapped_column(String(64), default="")
    generated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    __table_args__ = (
        UniqueConstraint("kind", "scope", "version", name="uq_documents_version"),
        Index("ix_documents_case", "case_id", "kind"),
        Index("ix_documents_scope", "scope", "kind"),
    )


class DocumentPrint(Base):
    """Each print of a registered document: one row."""

    __tablename__ = "document_prints"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    printed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    printed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    printed_by_name: Mapped[str] = mapped_column(String(64), default="")
    workstation: Mapped[str] = mapped_column(String(64), default="")
    copies: Mapped[int] = mapped_column(Integer, default=1)
    printer: Mapped[str] = mapped_column(String(100), default="")
    __table_args__ = (Index("ix_document_prints_document", "document_id"),)


class CaseServiceRecord(Base):
    """A document of a mediation case delivered to a party (送达): who, how, when."""

    __tablename__ = "case_service_records"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("case_parties.id"), nullable=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    document_kind: Mapped[str] = mapped_column(String(48))
    recipient: Mapped[str] = mapped_column(String(100))
    method: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(200), default="")
    served_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    __table_args__ = (Index("ix_case_service_records_case", "case_id"),)
