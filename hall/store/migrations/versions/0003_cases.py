"""people's mediation: cases, parties, referrals, bookings, sessions, file store,
agreements, follow-ups, document registry

Revision ID: 0003
Revises: 0002
"""
from alembic import op
from typing import Any

import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# Exact money: NUMERIC(14, 2) on PostgreSQL, integer fen on SQLite (see case_models.Money).
Money = sa.Numeric(14, 2).with_variant(sa.BigInteger(), "sqlite")


def _id() -> sa.Column[Any]:
    return sa.Column("id", BigId, primary_key=True)


def upgrade() -> None:
    op.create_table(
        "case_counters",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
    )
    op.create_table(
        "cases",
        _id(),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(24), nullable=False),
        sa.Column("subcategory", sa.String(32), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("risk", sa.String(8), nullable=False),
        sa.Column("police_flag", sa.Boolean(), nullable=False),
        sa.Column("police_note", sa.Text(), nullable=False),
        sa.Column("police_flagged_at", sa.DateTime(), nullable=True),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("claims", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("state_reason", sa.Text(), nullable=False),
        sa.Column("transfer_target", sa.String(200), nullable=False),
        sa.Column("ticket_id", BigId, sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("registered_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("mediator_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("imported_from", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("year", "seq", name="uq_cases_year_seq"),
    )
    op.create_index("ix_cases_state", "cases", ["state", "id"])
    op.create_index("ix_cases_mediator", "cases", ["mediator_id", "state"])
    op.create_index("ix_cases_created_at", "cases", ["created_at"])
    op.create_index("ix_cases_ticket", "cases", ["ticket_id"])

    op.create_table(
        "case_parties",
        _id(),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_initials", sa.String(32), nullable=False),
        sa.Column("name_pinyin", sa.String(128), nullable=False),
        sa.Column("sex", sa.String(2), nullable=True),
        sa.Column("ethnicity", sa.String(16), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("id_number", sa.String(18), nullable=True),
        sa.Column("credit_code", sa.String(18), nullable=True),
        sa.Column("occupation", sa.String(64), nullable=True),
        sa.Column("address", sa.String(200), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("legal_rep", sa.String(64), nullable=True),
        sa.Column("legal_rep_title", sa.String(32), nullable=True),
        sa.Column("visitor_id", BigId, sa.ForeignKey("visitors.id"), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_case_parties_case", "case_parties", ["case_id", "position"])
    op.create_index("ix_case_parties_initials", "case_parties", ["name_initials", "case_id", "active"])
    op.create_index("ix_case_parties_pinyin", "case_parties", ["name_pinyin", "case_id", "active"])
    op.create_index("ix_case_parties_name", "case_parties", ["name", "case_id", "active"])
    op.create_index("ix_case_parties_id_number", "case_parties", ["id_number", "case_id", "active"])
    op.create_index("ix_case_parties_phone", "case_parties", ["phone", "case_id", "active"])
    op.create_index("ix_case_parties_visitor", "case_parties", ["visitor_id"])

    op.create_table(
        "case_agents",
        _id(),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("party_id", BigId, sa.ForeignKey("case_parties.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("relation", sa.String(64), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("authorisation", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_case_agents_case", "case_agents", ["case_id"])
    op.create_index("ix_case_agents_party", "case_agents", ["party_id"])

    op.create_table(
        "case_timeline",
        _id(),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(64), nullable=False),
    )
    op.create_index("ix_case_timeline_case", "case_timeline", ["case_id", "id"])

    op.create_table(
        "mediator_profiles",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True,
                  autoincrement=False),
        sa.Column("id_number", sa.String(18), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "case_mediators",
        _id(),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("mediator_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=True),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=False),
        sa.Column("requested_by_party_id", BigId, sa.ForeignKey("case_parties.id"), nullable=True),
    )
    op.create_index("ix_case_mediators_case", "case_mediators", ["case_id", "mediator_id"])

    op.create_table(
        "room_bookings",
        _id(),
        sa.Column("room_id", sa.Integer(), sa.ForeignKey("rooms.id"), nullable=False),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("mediator_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
    )
    op.create_index("ix_room_bookings_room", "room_bookings", ["room_id", "start"])
    op.create_index("ix_room_bookings_mediator", "room_bookings", ["mediator_id", "start"])
    op.create_index("ix_room_bookings_case", "room_bookings", ["case_id"])
    op.create_index("ix_room_bookings_start", "room_bookings", ["start"])

    op.create_table(
        "referrals",
        _id(),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("visitor_id", BigId, sa.ForeignKey("visitors.id"), nullable=True),
        sa.Column("ticket_id", BigId, sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("batch", sa.String(32), nullable=False),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("target_label", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(), nullable=True),
        sa.Column("booking_id", BigId, sa.ForeignKey("room_bookings.id"), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_referrals_case", "referrals", ["case_id"])
    op.create_index("ix_referrals_visitor", "referrals", ["visitor_id"])
    op.create_index("ix_referrals_open", "referrals", ["state", "scheduled_for"])

    op.create_table(
        "mediation_sessions",
        _id(),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("booking_id", BigId, sa.ForeignKey("room_bookings.id"), nullable=True),
        sa.Column("room_id", sa.Integer(), sa.ForeignKey("rooms.id"), nullable=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("mediator_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("recorder_name", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("rights_notice_given", sa.Boolean(), nullable=False),
        sa.Column("rights_notice_at", sa.DateTime(), nullable=True),
        sa.Column("minutes", sa.JSON(), nullable=False),
        sa.Column("minutes_version", sa.Integer(), nullable=False),
        sa.Column("minutes_saved_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
    )
    op.create_index("ix_mediation_sessions_case", "mediation_sessions", ["case_id"])

    op.create_table(
        "session_participants",
        _id(),
        sa.Column("session_id", BigId, sa.ForeignKey("mediation_sessions.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("party_id", BigId, sa.ForeignKey("case_parties.id"), nullable=True),
        sa.Column("agent_id", BigId, sa.ForeignKey("case_agents.id"), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("presence", sa.String(16), nullable=False),
        sa.Column("remote_location", sa.String(200), nullable=False),
        sa.Column("identity_method", sa.String(32), nullable=True),
        sa.Column("identity_checked_at", sa.DateTime(), nullable=True),
        sa.Column("consent_to_recording", sa.Boolean(), nullable=True),
        sa.Column("consent_asked_at", sa.DateTime(), nullable=True),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_session_participants_session", "session_participants", ["session_id"])

    op.create_table(
        "stored_files",
        _id(),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "case_files",
        _id(),
        sa.Column("stored_file_id", BigId, sa.ForeignKey("stored_files.id"), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("session_id", BigId, sa.ForeignKey("mediation_sessions.id"), nullable=True),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_case_files_case", "case_files", ["case_id"])
    op.create_index("ix_case_files_sha", "case_files", ["sha256"])

    op.create_table(
        "session_recordings",
        _id(),
        sa.Column("session_id", BigId, sa.ForeignKey("mediation_sessions.id"), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("stopped_at", sa.DateTime(), nullable=True),
        sa.Column("stop_reason", sa.String(200), nullable=False),
        sa.Column("file_id", BigId, sa.ForeignKey("case_files.id"), nullable=True),
    )
    op.create_index("ix_session_recordings_session", "session_recordings", ["session_id"])

    op.create_table(
        "agreements",
        _id(),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("oral", sa.Boolean(), nullable=False),
        sa.Column("liability", sa.Text(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("text_snapshot", sa.Text(), nullable=True),
        sa.Column("text_sha256", sa.String(64), nullable=True),
        sa.Column("signatory_party_ids", sa.JSON(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", BigId, sa.ForeignKey("agreements.id"), nullable=True),
        sa.Column("correction_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("signing_started_at", sa.DateTime(), nullable=True),
        sa.Column("effective_at", sa.DateTime(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("case_id", "version", name="uq_agreements_case_version"),
    )
    op.create_index("ix_agreements_state", "agreements", ["state", "effective_on"])

    op.create_table(
        "agreement_terms",
        _id(),
        sa.Column("agreement_id", BigId, sa.ForeignKey("agreements.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("obligor_party_id", BigId, sa.ForeignKey("case_parties.id"), nullable=True),
        sa.Column("obligee_party_id", BigId, sa.ForeignKey("case_parties.id"), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("amount", Money, nullable=True),
        sa.Column("amount_capitals", sa.String(100), nullable=False),
        sa.Column("method", sa.String(100), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
    )
    op.create_index("ix_agreement_terms_agreement", "agreement_terms", ["agreement_id", "position"])

    op.create_table(
        "agreement_signoffs",
        _id(),
        sa.Column("agreement_id", BigId, sa.ForeignKey("agreements.id"), nullable=False),
        sa.Column("signer_key", sa.String(32), nullable=False),
        sa.Column("signer_kind", sa.String(16), nullable=False),
        sa.Column("party_id", BigId, sa.ForeignKey("case_parties.id"), nullable=True),
        sa.Column("by_name", sa.String(100), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.UniqueConstraint("agreement_id", "signer_key", name="uq_agreement_signoffs_signer"),
    )

    op.create_table(
        "follow_ups",
        _id(),
        sa.Column("agreement_id", BigId, sa.ForeignKey("agreements.id"), nullable=False),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_user", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(64), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("performance", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_follow_ups_agreement", "follow_ups", ["agreement_id", "at"])
    op.create_index("ix_follow_ups_case", "follow_ups", ["case_id"])

    op.create_table(
        "documents",
        _id(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("scope", sa.String(48), nullable=False),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("subject_type", sa.String(24), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("stored_file_id", BigId, sa.ForeignKey("stored_files.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("generated_by", sa.Integer(), nullable=True),
        sa.Column("generated_by_name", sa.String(64), nullable=False),
        sa.Column("generated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("kind", "scope", "version", name="uq_documents_version"),
    )
    op.create_index("ix_documents_case", "documents", ["case_id", "kind"])
    op.create_index("ix_documents_scope", "documents", ["scope", "kind"])

    op.create_table(
        "document_prints",
        _id(),
        sa.Column("document_id", BigId, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=False),
        sa.Column("printed_by", sa.Integer(), nullable=True),
        sa.Column("printed_by_name", sa.String(64), nullable=False),
        sa.Column("workstation", sa.String(64), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("printer", sa.String(100), nullable=False),
    )
    op.create_index("ix_document_prints_document", "document_prints", ["document_id"])


_TABLES = ("document_prints", "documents", "follow_ups", "agreement_signoffs", "agreement_terms",
           "agreements", "session_recordings", "case_files", "stored_files", "session_participants",
           "mediation_sessions", "referrals", "room_bookings", "case_mediators", "mediator_profiles",
           "case_timeline", "case_agents", "case_parties", "cases", "case_counters")


def downgrade() -> None:
    for name in _TABLES:
        op.drop_table(name)
