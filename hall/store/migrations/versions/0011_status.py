"""public status tokens, wait estimates, visitor notices and their outbox

Revision ID: 0011
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "public_tokens",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("subject_type", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_public_tokens_subject", "public_tokens", ["subject_type", "subject_id"])
    op.create_table(
        "ticket_estimates",
        sa.Column("ticket_id", BigId, sa.ForeignKey("tickets.id"), primary_key=True,
                  autoincrement=False),
        sa.Column("low_minutes", sa.Integer(), nullable=False),
        sa.Column("high_minutes", sa.Integer(), nullable=False),
        sa.Column("median_minutes", sa.Integer(), nullable=False),
        sa.Column("ahead", sa.Integer(), nullable=False),
        sa.Column("estimated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "notice_subscriptions",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("ticket_id", BigId, sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("appointment_id", BigId, sa.ForeignKey("appointments.id"), nullable=True),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("address", sa.String(128), nullable=False),
        sa.Column("consent_by", sa.String(16), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("near_sent", sa.Boolean(), nullable=False),
        sa.Column("unsubscribed_at", sa.DateTime(), nullable=True),
        sa.Column("unsubscribe_code", sa.String(32), nullable=False, unique=True),
    )
    op.create_index("ix_notice_subscriptions_ticket", "notice_subscriptions", ["ticket_id"])
    op.create_index("ix_notice_subscriptions_appointment", "notice_subscriptions", ["appointment_id"])
    op.create_table(
        "notice_outbox",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("key", sa.String(40), nullable=False, unique=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("subscription_id", BigId, sa.ForeignKey("notice_subscriptions.id"), nullable=True),
        sa.Column("ticket_id", sa.BigInteger(), nullable=True),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("address", sa.String(128), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
    )
    op.create_index("ix_notice_outbox_due", "notice_outbox", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("notice_outbox")
    op.drop_table("notice_subscriptions")
    op.drop_table("ticket_estimates")
    op.drop_table("public_tokens")
