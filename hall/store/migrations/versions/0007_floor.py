"""the floor: a window's season recurs every year unless it is dated; a window's area;
a merged duplicate visitor record points to the one kept

Revision ID: 0007
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Seasons stored so far were entered as month-day periods (shown as
    # "07-01 至 09-15"): they recur every year.
    with op.batch_alter_table("windows") as batch:
        batch.add_column(sa.Column("season_yearly", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
        # The floor or area a window is on (一楼, 二楼…): a board per area shows only its windows.
        batch.add_column(sa.Column("area", sa.String(32), nullable=False, server_default=""))
    with op.batch_alter_table("visitors") as batch:
        batch.add_column(sa.Column("merged_into_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visitors") as batch:
        batch.drop_column("merged_into_id")
    with op.batch_alter_table("windows") as batch:
        batch.drop_column("area")
        batch.drop_column("season_yearly")
