"""person names: search-key columns sized from the name's limit

The pinyin and initials of a name are at most 6 letters and 1 letter per
character (``hall.domain.names``): 64-character visitor names need 384/64,
100-character party names 600/100. SQLite does not enforce the lengths.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SIZES = {  # table: (name, initials, pinyin) now, before
    "visitors": ((64, 64, 384), (64, 32, 128)),
    "case_parties": ((100, 100, 600), (100, 32, 128)),
}


def _resize(which: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, sizes in _SIZES.items():
        _, initials, pinyin = sizes[which]
        op.alter_column(table, "name_initials", type_=sa.String(initials))
        op.alter_column(table, "name_pinyin", type_=sa.String(pinyin))


def upgrade() -> None:
    _resize(0)


def downgrade() -> None:
    _resize(1)
