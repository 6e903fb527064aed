"""tracked deadlines and entered holiday schedules

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "tracked_deadlines",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("rule_code", sa.String(48), nullable=False),
        sa.Column("subject_type", sa.String(24), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=False),
        sa.Column("case_number", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("agreed_due", sa.Date(), nullable=True),
        sa.Column("agreed_basis", sa.String(200), nullable=False),
        sa.Column("extensions", sa.Integer(), nullable=False),
        sa.Column("restarts", sa.JSON(), nullable=False),
        sa.Column("suspensions", sa.JSON(), nullable=False),
        sa.Column("met_on", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_deadlines_open_due", "tracked_deadlines", ["active", "met_on", "due_date"])
    op.create_index("ix_deadlines_subject", "tracked_deadlines", ["subject_type", "subject_id"])
    op.create_index("ix_deadlines_case_number", "tracked_deadlines", ["case_number"])
    op.create_table(
        "holiday_schedules",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("swapped_workdays", sa.JSON(), nullable=False),
        sa.Column("entered_by", sa.String(64), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("holiday_schedules")
    op.drop_index("ix_deadlines_case_number", "tracked_deadlines")
    op.drop_index("ix_deadlines_subject", "tracked_deadlines")
    op.drop_index("ix_deadlines_open_due", "tracked_deadlines")
    op.drop_table("tracked_deadlines")
