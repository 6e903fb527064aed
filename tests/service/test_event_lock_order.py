"""The events of an action are its last writes: the event lock (PostgreSQL's
advisory lock that keeps event ids in commit order) is the last lock a
transaction takes, so a transaction holding it never waits for a row.

A row the ORM still had pending used to be written at commit, after the lock:
a window finishing a ticket (row locked, then the event lock) and a mediator's
action holding the event lock while its pending row waited could deadlock.
"""
from __future__ import annotations

from sqlalchemy import event

from hall.services import queue
from hall.services.base import unit_of_work
from hall.store.models import Ticket


def test_pending_rows_are_written_before_the_event_lock_and_the_events(hall, front_desk):
    t = queue.issue_ticket(hall, front_desk, "labour")
    seen: list[str] = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()).lower())

    event.listen(hall.engine, "before_cursor_execute", grab)
    try:
        with unit_of_work(hall, front_desk) as uow:
            ticket = uow.s.get(Ticket, t.id)
            ticket.note = "顺序"                       # pending in the session, not yet written
            uow.event("test.order", ticket=t.id)
    finally:
        event.remove(hall.engine, "before_cursor_execute", grab)
    update = next(i for i, s in enumerate(seen) if s.startswith("update tickets"))
    insert = next(i for i, s in enumerate(seen) if s.startswith("insert into events"))
    assert update < insert
    locks = [i for i, s in enumerate(seen) if "pg_advisory_xact_lock" in s]
    if hall.is_postgres:
        assert locks and update < locks[-1] < insert
    assert queue.ticket(hall, t.id).id == t.id
