"""running the centre: window hours, appointments, satisfaction ratings

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_index("ix_tickets_business_day", "tickets", ["business_day"])
    op.create_table(
        "window_hours",
        sa.Column("window_id", sa.Integer(), sa.ForeignKey("windows.id"), primary_key=True,
                  autoincrement=False),
        sa.Column("hours", sa.JSON(), nullable=False),
    )
    op.create_table(
        "appointment_plans",
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("services.id"), primary_key=True,
                  autoincrement=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("days_ahead", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "appointments",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("services.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot_start", sa.DateTime(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("booked_at", sa.DateTime(), nullable=False),
        sa.Column("booked_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("ticket_id", BigId, sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancel_reason", sa.String(200), nullable=False),
    )
    op.create_index("ix_appointments_slot", "appointments", ["service_id", "slot_start", "status"])
    op.create_index("ix_appointments_day_status", "appointments", ["day", "status"])
    op.create_index("ix_appointments_phone", "appointments", ["phone"])
    op.create_table(
        "ratings",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("subject_type", sa.String(24), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("services.id"), nullable=True),
        sa.Column("window_id", sa.Integer(), sa.ForeignKey("windows.id"), nullable=True),
        sa.Column("rated_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("follow_up_note", sa.Text(), nullable=False),
        sa.Column("followed_up_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("followed_up_at", sa.DateTime(), nullable=True),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("subject_type", "subject_id", name="uq_rating_subject"),
    )
    op.create_index("ix_ratings_rated_at", "ratings", ["rated_at"])
    op.create_index("ix_ratings_low", "ratings", ["rating", "resolved"])


def downgrade() -> None:
    op.drop_index("ix_ratings_low", "ratings")
    op.drop_index("ix_ratings_rated_at", "ratings")
    op.drop_table("ratings")
    op.drop_index("ix_appointments_phone", "appointments")
    op.drop_index("ix_appointments_day_status", "appointments")
    op.drop_index("ix_appointments_slot", "appointments")
    op.drop_table("appointments")
    op.drop_table("appointment_plans")
    op.drop_table("window_hours")
    op.drop_index("ix_tickets_business_day", "tickets")
