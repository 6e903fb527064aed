"""Mapped classes of labour arbitration and petitions. Only ``hall.services`` touches these.

One arbitration case is one row (the worker and the employer are its two
sides; co-parties such as a labour-dispatch unit go into ``other_parties``);
its tribunal, hearings and 送达回证 are rows of their own. Claims, evidence
and witnesses are JSON lists: they are read and printed as a whole, never
queried one by one. Money is stored as decimal strings inside the JSON.

Worker ID numbers are sensitive: never copied into audit details or events.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, BigId, UTCDateTime


class NumberCounter(Base):
    """The last number given per kind and year (the lock point for numbering).

    kinds: ``arbitration.receipt`` (收件号), ``arbitration.case`` (案号),
    ``petition`` (信访件编号).
    """

    __tablename__ = "arbitration_counters"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class ArbitrationCase(Base):
    __tablename__ = "arbitration_cases"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    receipt_number: Mapped[str] = mapped_column(String(64), unique=True)
    receipt_year: Mapped[int] = mapped_column(Integer)
    receipt_seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)  # 案号, on acceptance
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(16), default="written")   # written / oral (Art. 28)
    applicant_side: Mapped[str] = mapped_column(String(16), default="worker")  # worker / employer

    worker_name: Mapped[str] = mapped_column(String(64), default="")
    worker_sex: Mapped[str] = mapped_column(String(4), default="")
    worker_birth_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    worker_id_number: Mapped[str] = mapped_column(String(18), default="")
    worker_ethnicity: Mapped[str] = mapped_column(String(16), default="")
    worker_occupation: Mapped[str] = mapped_column(String(64), default="")
    worker_employer: Mapped[str] = mapped_column(String(128), default="")
    worker_address: Mapped[str] = mapped_column(String(200), default="")
    worker_mailing_address: Mapped[str] = mapped_column(String(200), default="")
    worker_phone: Mapped[str] = mapped_column(String(32), default="")

    employer_name: Mapped[str] = mapped_column(String(128), default="")
    employer_credit_code: Mapped[str] = mapped_column(String(18), default="")
    employer_address: Mapped[str] = mapped_column(String(200), default="")
    employer_legal_rep: Mapped[str] = mapped_column(String(64), default="")
    employer_legal_rep_title: Mapped[str] = mapped_column(String(64), default="")
    employer_phone: Mapped[str] = mapped_column(String(32), default="")

    other_parties: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{side, name, kind, address, legal_rep}]
    agents: Mapped[list[Any]] = mapped_column(JSON, default=list)         # [{side, name, kind, work_unit, phone}]
    claims: Mapped[list[Any]] = mapped_column(JSON, default=list)         # [{kind, description, amount, awarded, result}]
    facts_reasons: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)       # [{name, source, purpose}]
    witnesses: Mapped[list[Any]] = mapped_column(JSON, default=list)      # [{name, address}]

    received_on: Mapped[dt.date] = mapped_column(Date)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    missing_items: Mapped[list[Any]] = mapped_column(JSON, default=list)  # the open 补正通知's list
    supplement_notices: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{on, items}]
    supplemented_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    refused_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    refusal_reasons: Mapped[str] = mapped_column(Text, default="")

    source_kind: Mapped[str] = mapped_column(String(24), default="")          # "mediation" when handed over
    source_case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # no FK: another area's table
    source_case_number: Mapped[str] = mapped_column(String(64), default="")

    respondent_served_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    defence_received_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    defence_summary: Mapped[str] = mapped_column(Text, default="")

    simplified: Mapped[bool] = mapped_column(Boolean, default=False)
    simplified_reason: Mapped[str] = mapped_column(Text, default="")
    tribunal_formed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    classification: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # Art. 47 per claim
    award_extension: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {approved_by, reason, on, notice_on}
    outcome: Mapped[str] = mapped_column(String(24), default="")  # mediation_statement / award / default_award / withdrawn ...
    outcome_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    outcome_text: Mapped[str] = mapped_column(Text, default="")      # 调解协议内容 / 裁决结果
    outcome_reasons: Mapped[str] = mapped_column(Text, default="")   # 裁决理由 / 撤回理由
    outcome_effective_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Art. 46 parts of the award and, when Art. 47 splits it, one entry per document:
    # {facts_found, costs, documents: [{key: "final"/"nonfinal"/"single", indexes, result}]}
    award_parts: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Art. 33: [{member, ground, applied_by, applied_on, decided_on, decision, decided_by, replacement, ...}]
    recusals: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)

    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("receipt_year", "receipt_seq", name="uq_arbitration_receipt_seq"),
        UniqueConstraint("year", "seq", name="uq_arbitration_case_seq"),
        Index("ix_arbitration_cases_state", "state"),
        Index("ix_arbitration_cases_worker", "worker_name"),
        Index("ix_arbitration_cases_employer", "employer_name"),
        Index("ix_arbitration_cases_received", "received_on"),
    )


class TribunalMember(Base):
    """One arbitrator of a case's tribunal; replaced members stay, inactive."""

    __tablename__ = "arbitration_tribunal_members"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("arbitration_cases.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))  # presiding / member / sole
    appointed_on: Mapped[dt.date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (Index("ix_tribunal_case", "case_id"), Index("ix_tribunal_name", "name"))


class Hearing(Base):
    """A session in the tribunal room. A postponed session stays, pointing on."""

    __tablename__ = "arbitration_hearings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("arbitration_cases.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16))  # scheduled / postponed / held / cancelled
    notice_served_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # planned or first service
    postponed_from_id: Mapped[int | None] = mapped_column(ForeignKey("arbitration_hearings.id"), nullable=True)
    postponement: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {requested_by, requested_on, reason, decision}
    notice_deadline_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # its labour.hearing_notice row
    record_text: Mapped[str] = mapped_column(Text, default="")      # 庭审笔录
    applicant_present: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    respondent_present: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    __table_args__ = (
        Index("ix_hearings_room_time", "room_id", "starts_at"),
        Index("ix_hearings_case", "case_id"),
    )


class ServiceRecord(Base):
    """A 送达回证: who received which document, how, and on which day.

    ``served_on`` is the day the recipient wrote on the receipt: periods that
    run from service (defence, appeal windows) start on it.
    """

    __tablename__ = "arbitration_service_records"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("arbitration_cases.id"))
    hearing_id: Mapped[int | None] = mapped_column(ForeignKey("arbitration_hearings.id"), nullable=True)
    document_kind: Mapped[str] = mapped_column(String(32))
    document_title: Mapped[str] = mapped_column(String(64), default="")
    recipient_side: Mapped[str] = mapped_column(String(16))  # applicant / respondent / other
    recipient_name: Mapped[str] = mapped_column(String(128), default="")
    method: Mapped[str] = mapped_column(String(16))          # direct / post / electronic / left / publication
    sent_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    served_on: Mapped[dt.date] = mapped_column(Date)
    signed_by: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    __table_args__ = (Index("ix_service_case_kind", "case_id", "document_kind"),)


class Petition(Base):
    """A petition (信访事项) from registration to the re-review answer.

    ``petitioners`` and ``representatives`` are who came; when
    ``whistleblower`` is set they are never shown to a user without
    ``petition.see_whistleblower`` nor put in a transfer (Art. 30).
    """

    __tablename__ = "petitions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(16))   # written / oral
    via: Mapped[str] = mapped_column(String(16))       # visit / letter / online / phone / fax
    petitioners: Mapped[list[Any]] = mapped_column(JSON, default=list)       # [{name, address, phone, id_number}]
    representatives: Mapped[list[Any]] = mapped_column(JSON, default=list)
    names: Mapped[str] = mapped_column(String(400), default="")          # for search: 、-joined names
    group_size: Mapped[int] = mapped_column(Integer, default=1)
    matter: Mapped[str] = mapped_column(String(64), default="")       # category
    request: Mapped[str] = mapped_column(Text, default="")
    facts: Mapped[str] = mapped_column(Text, default="")
    reasons: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64), default="")   # oral petitions (Art. 19)
    whistleblower: Mapped[bool] = mapped_column(Boolean, default=False)
    accused_person: Mapped[str] = mapped_column(String(128), default="")
    accused_unit: Mapped[str] = mapped_column(String(128), default="")
    source: Mapped[str] = mapped_column(String(128), default="")       # body that transferred it here, if any
    received_on: Mapped[dt.date] = mapped_column(Date)
    registered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    decision: Mapped[str] = mapped_column(String(16), default="")     # accept / not_accept / transfer
    decision_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    transfer_to: Mapped[str] = mapped_column(String(128), default="")
    notified_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    handler_name: Mapped[str] = mapped_column(String(64), default="")
    extension: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {approved_by, reason, on, notified_on}

    opinion_outcome: Mapped[str] = mapped_column(String(16), default="")   # support / explain / not_support
    opinion_text: Mapped[str] = mapped_column(Text, default="")
    opinion_basis: Mapped[str] = mapped_column(Text, default="")
    opinion_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    opinion_delivered_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    review: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)    # {requested_on, body, answered_on, delivered_on, outcome, text}
    rereview: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # same, plus hearings [[first, last]]
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_petition_seq"),
        Index("ix_petitions_state", "state"),
        Index("ix_petitions_received", "received_on"),
    )


__all__ = ["NumberCounter", "ArbitrationCase", "TribunalMember", "Hearing", "ServiceRecord", "Petition"]
