"""people's mediation: service records of the documents sent to the parties (调解通知书 ...)

Revision ID: 0009
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "case_service_records",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("case_id", BigId, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("party_id", BigId, sa.ForeignKey("case_parties.id"), nullable=True),
        sa.Column("document_id", BigId, sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("document_kind", sa.String(48), nullable=False),
        sa.Column("recipient", sa.String(100), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("address", sa.String(200), nullable=False, server_default=""),
        sa.Column("served_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_case_service_records_case", "case_service_records", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_service_records_case", "case_service_records")
    op.drop_table("case_service_records")
