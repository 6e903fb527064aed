"""labour arbitration cases, tribunals, hearings, service records; petitions

Revision ID: 0004
Revises: 0003
"""
from alembic import op
from typing import Any

import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _s(name: str, length: int) -> sa.Column[Any]:
    return sa.Column(name, sa.String(length), nullable=False)


def _date(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.Date(), nullable=True)


def upgrade() -> None:
    op.create_table(
        "arbitration_counters",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
    )
    op.create_table(
        "arbitration_cases",
        sa.Column("id", BigId, primary_key=True),
        _s("receipt_number", 64),
        sa.Column("receipt_year", sa.Integer(), nullable=False),
        sa.Column("receipt_seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(64), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        _s("state", 24),
        _s("channel", 16),
        _s("applicant_side", 16),
        _s("worker_name", 64),
        _s("worker_sex", 4),
        _date("worker_birth_date"),
        _s("worker_id_number", 18),
        _s("worker_ethnicity", 16),
        _s("worker_occupation", 64),
        _s("worker_employer", 128),
        _s("worker_address", 200),
        _s("worker_mailing_address", 200),
        _s("worker_phone", 32),
        _s("employer_name", 128),
        _s("employer_credit_code", 18),
        _s("employer_address", 200),
        _s("employer_legal_rep", 64),
        _s("employer_legal_rep_title", 64),
        _s("employer_phone", 32),
        sa.Column("other_parties", sa.JSON(), nullable=False),
        sa.Column("agents", sa.JSON(), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("facts_reasons", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("witnesses", sa.JSON(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("missing_items", sa.JSON(), nullable=False),
        sa.Column("supplement_notices", sa.JSON(), nullable=False),
        _date("supplemented_on"),
        _date("accepted_on"),
        _date("refused_on"),
        sa.Column("refusal_reasons", sa.Text(), nullable=False),
        _s("source_kind", 24),
        sa.Column("source_case_id", sa.Integer(), nullable=True),
        _s("source_case_number", 64),
        _date("respondent_served_on"),
        _date("defence_received_on"),
        sa.Column("defence_summary", sa.Text(), nullable=False),
        sa.Column("simplified", sa.Boolean(), nullable=False),
        sa.Column("simplified_reason", sa.Text(), nullable=False),
        _date("tribunal_formed_on"),
        sa.Column("classification", sa.JSON(), nullable=False),
        sa.Column("award_extension", sa.JSON(), nullable=False),
        _s("outcome", 24),
        _date("outcome_on"),
        sa.Column("outcome_text", sa.Text(), nullable=False),
        sa.Column("outcome_reasons", sa.Text(), nullable=False),
        _date("outcome_effective_on"),
        _date("closed_on"),
        sa.Column("clerk_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("receipt_number"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("receipt_year", "receipt_seq", name="uq_arbitration_receipt_seq"),
        sa.UniqueConstraint("year", "seq", name="uq_arbitration_case_seq"),
    )
    op.create_index("ix_arbitration_cases_state", "arbitration_cases", ["state"])
    op.create_index("ix_arbitration_cases_worker", "arbitration_cases", ["worker_name"])
    op.create_index("ix_arbitration_cases_employer", "arbitration_cases", ["employer_name"])
    op.create_index("ix_arbitration_cases_received", "arbitration_cases", ["received_on"])

    op.create_table(
        "arbitration_tribunal_members",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("case_id", BigId, sa.ForeignKey("arbitration_cases.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        _s("name", 64),
        _s("role", 16),
        sa.Column("appointed_on", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_tribunal_case", "arbitration_tribunal_members", ["case_id"])
    op.create_index("ix_tribunal_name", "arbitration_tribunal_members", ["name"])

    op.create_table(
        "arbitration_hearings",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("case_id", BigId, sa.ForeignKey("arbitration_cases.id"), nullable=False),
        sa.Column("room_id", sa.Integer(), sa.ForeignKey("rooms.id"), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        _s("state", 16),
        _date("notice_served_on"),
        sa.Column("postponed_from_id", BigId, sa.ForeignKey("arbitration_hearings.id"), nullable=True),
        sa.Column("postponement", sa.JSON(), nullable=False),
        sa.Column("notice_deadline_id", sa.BigInteger(), nullable=True),
        sa.Column("record_text", sa.Text(), nullable=False),
        sa.Column("applicant_present", sa.Boolean(), nullable=True),
        sa.Column("respondent_present", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_hearings_room_time", "arbitration_hearings", ["room_id", "starts_at"])
    op.create_index("ix_hearings_case", "arbitration_hearings", ["case_id"])

    op.create_table(
        "arbitration_service_records",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("case_id", BigId, sa.ForeignKey("arbitration_cases.id"), nullable=False),
        sa.Column("hearing_id", BigId, sa.ForeignKey("arbitration_hearings.id"), nullable=True),
        _s("document_kind", 32),
        _s("document_title", 64),
        _s("recipient_side", 16),
        _s("recipient_name", 128),
        _s("method", 16),
        _date("sent_on"),
        sa.Column("served_on", sa.Date(), nullable=False),
        _s("signed_by", 64),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("clerk_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_service_case_kind", "arbitration_service_records", ["case_id", "document_kind"])

    op.create_table(
        "petitions",
        sa.Column("id", BigId, primary_key=True),
        _s("number", 64),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        _s("state", 24),
        _s("channel", 16),
        _s("via", 16),
        sa.Column("petitioners", sa.JSON(), nullable=False),
        sa.Column("representatives", sa.JSON(), nullable=False),
        _s("names", 400),
        sa.Column("group_size", sa.Integer(), nullable=False),
        _s("matter", 64),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        _s("recorded_by", 64),
        sa.Column("whistleblower", sa.Boolean(), nullable=False),
        _s("accused_person", 128),
        _s("accused_unit", 128),
        _s("source", 128),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        _s("decision", 16),
        _date("decision_on"),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        _s("transfer_to", 128),
        _date("notified_on"),
        _date("accepted_on"),
        sa.Column("handler_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        _s("handler_name", 64),
        sa.Column("extension", sa.JSON(), nullable=False),
        _s("opinion_outcome", 16),
        sa.Column("opinion_text", sa.Text(), nullable=False),
        sa.Column("opinion_basis", sa.Text(), nullable=False),
        _date("opinion_on"),
        _date("opinion_delivered_on"),
        sa.Column("review", sa.JSON(), nullable=False),
        sa.Column("rereview", sa.JSON(), nullable=False),
        _date("closed_on"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("year", "seq", name="uq_petition_seq"),
    )
    op.create_index("ix_petitions_state", "petitions", ["state"])
    op.create_index("ix_petitions_received", "petitions", ["received_on"])


def downgrade() -> None:
    op.drop_index("ix_petitions_received", "petitions")
    op.drop_index("ix_petitions_state", "petitions")
    op.drop_table("petitions")
    op.drop_index("ix_service_case_kind", "arbitration_service_records")
    op.drop_table("arbitration_service_records")
    op.drop_index("ix_hearings_case", "arbitration_hearings")
    op.drop_index("ix_hearings_room_time", "arbitration_hearings")
    op.drop_table("arbitration_hearings")
    op.drop_index("ix_tribunal_name", "arbitration_tribunal_members")
    op.drop_index("ix_tribunal_case", "arbitration_tribunal_members")
    op.drop_table("arbitration_tribunal_members")
    op.drop_index("ix_arbitration_cases_received", "arbitration_cases")
    op.drop_index("ix_arbitration_cases_employer", "arbitration_cases")
    op.drop_index("ix_arbitration_cases_worker", "arbitration_cases")
    op.drop_index("ix_arbitration_cases_state", "arbitration_cases")
    op.drop_table("arbitration_cases")
    op.drop_table("arbitration_counters")
