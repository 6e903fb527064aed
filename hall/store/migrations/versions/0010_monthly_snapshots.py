"""frozen monthly figures

Revision ID: 0010
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "monthly_snapshots",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("month", sa.String(7), nullable=False, unique=True),
        sa.Column("frozen_at", sa.DateTime(), nullable=False),
        sa.Column("frozen_by", sa.Integer(), nullable=True),
        sa.Column("frozen_by_name", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("monthly_snapshots")
