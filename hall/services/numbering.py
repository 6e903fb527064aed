"""The sequence numbers the hall gives per kind and year.

Mediation case numbers (kind ``case``, table case_counters), arbitration
receipts (``arbitration.receipt``), arbitration case numbers
(``arbitration.case``), petitions (``petition``) and whistles (``whistle``,
all four in arbitration_counters) are allocated here, inside the caller's
transaction. The counter row is the lock point: one upsert that returns the
new value, so two processes numbering at the same instant get two numbers on
SQLite (the writer lock) and on PostgreSQL (the row lock of the conflict).
Queue tickets keep their own counter (hall/services/queue.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute

from hall.store.arbitration_models import NumberCounter
from hall.store.case_models import CaseCounter

from .base import UnitOfWork

__all__ = ["MEDIATION_CASE", "next_number", "raise_number"]

#: The kind of mediation case numbers (the only kind in case_counters).
MEDIATION_CASE = "case"


def _upsert(uow: UnitOfWork, kind: str, year: int, value: int, on_conflict: Any) -> int:
    insert = postgresql.insert if uow.db.is_postgres else sqlite.insert
    table: type[CaseCounter] | type[NumberCounter]
    keys: dict[str, str | int]
    index: list[InstrumentedAttribute[Any]]
    if kind == MEDIATION_CASE:
        table, keys, index = CaseCounter, {"year": year}, [CaseCounter.year]
    else:
        table, keys, index = NumberCounter, {"kind": kind, "year": year}, [NumberCounter.kind, NumberCounter.year]
    stmt = insert(table).values(**keys, last_seq=value).on_conflict_do_update(
        index_elements=index, set_={"last_seq": on_conflict(table.last_seq)},
    ).returning(table.last_seq)
    return int(uow.s.execute(stmt).scalar_one())


def next_number(uow: UnitOfWork, kind: str, year: int, *, first: int = 1) -> int:
    """Allocate the next number of ``kind`` in ``year`` in this transaction.

    ``first`` is the number given when the year has no counter yet (for
    numbers given before the counter kept them).
    """
    return _upsert(uow, kind, year, first, lambda last: last + 1)


def raise_number(uow: UnitOfWork, kind: str, year: int, top: int) -> int:
    """Make the counter of ``kind`` in ``year`` at least ``top`` (numbers
    taken over from elsewhere), so the next one given is beyond them."""
    return _upsert(uow, kind, year, top, lambda last: case((last < top, top), else_=last))
