"""labour arbitration: the parts of an award (Art. 46, split awards of Art. 47) and arbitrator recusals (Art. 33)

Revision ID: 0008
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("arbitration_cases") as batch:
        batch.add_column(sa.Column("award_parts", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("recusals", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("arbitration_cases") as batch:
        batch.drop_column("recusals")
        batch.drop_column("award_parts")
