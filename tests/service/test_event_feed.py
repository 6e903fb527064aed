"""The events table as the workstations follow it.

An action appends its events as its last writes and, on PostgreSQL, wakes the
listening workstations with a NOTIFY sent after its commit, in a transaction
of its own: a NOTIFY inside the action would serialise every workstation's
commit behind the others' (PostgreSQL holds a lock from before such a commit
until after it). No lock orders the writers either, so events may become
visible out of id order; an :class:`EventCursor` asks again for the ids it
stepped over and so never misses one that commits late.
"""
from __future__ import annotations

import contextlib
import json
import multiprocessing as mp

import pytest
from sqlalchemy import event, func, insert, select

from hall.services import queue
from hall.services.base import unit_of_work
from hall.services.eventfeed import GAP_WAIT_S, MAX_GAPS, EventCursor, read_events
from hall.store.models import Event, Ticket

from . import workers


@contextlib.contextmanager
def _statements(db):
    """The statements sent to the database inside the block, and "commit" for each commit."""
    seen: list[str] = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()).lower())

    def commit(conn):
        seen.append("commit")

    event.listen(db.engine, "before_cursor_execute", grab)
    event.listen(db.engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
        event.remove(db.engine, "commit", commit)


def test_pending_rows_are_written_before_the_events_and_the_notification_follows_the_commit(hall, front_desk):
    t = queue.issue_ticket(hall, front_desk, "labour")
    with _statements(hall) as seen, unit_of_work(hall, front_desk) as uow:
        ticket = uow.s.get(Ticket, t.id)
        ticket.note = "顺序"                       # pending in the session, not yet written
        uow.event("test.order", ticket=t.id)
    update = next(i for i, s in enumerate(seen) if s.startswith("update tickets"))
    insert_ = next(i for i, s in enumerate(seen) if s.startswith("insert into events"))
    first_commit = seen.index("commit")
    assert update < insert_ < first_commit
    assert not any("advisory" in s for s in seen)           # no lock orders the writers
    notifies = [i for i, s in enumerate(seen) if "notify" in s]
    if hall.is_postgres:
        assert notifies and all(i > first_commit for i in notifies)
        assert "synchronous_commit to off" in seen[notifies[0]]   # nothing in it needs the disk
    else:
        assert notifies == []
    with hall.read() as s:
        assert s.get(Ticket, t.id).note == "顺序"


def test_an_action_without_events_sends_no_notification(hall, front_desk):
    with _statements(hall) as seen, unit_of_work(hall, front_desk) as uow:
        uow.audit("test.quiet")
    assert seen and not any("notify" in s for s in seen)


def _append(db, ids: list[int]) -> None:
    with db.write() as s:
        for i in ids:
            s.execute(insert(Event).values(id=i, at=db.clock.now(), kind="test.gap", payload={"n": i},
                                           workstation=""))


def test_an_event_that_becomes_visible_after_a_later_one_is_still_delivered(hall):
    start = queue.last_event_id(hall)
    now = [0.0]
    cursor = EventCursor(start, clock=lambda: now[0])
    _append(hall, [start + 3])                  # 3 is visible, 1 and 2 are still committing
    assert [e.id for e in read_events(hall, cursor)] == [start + 3]
    assert sorted(cursor.gaps) == [start + 1, start + 2]
    now[0] = 1.0
    _append(hall, [start + 1])
    assert [e.id for e in read_events(hall, cursor)] == [start + 1]
    assert [e.id for e in read_events(hall, cursor)] == []          # nothing twice
    _append(hall, [start + 4])
    assert [e.id for e in read_events(hall, cursor)] == [start + 4]
    assert sorted(cursor.gaps) == [start + 2]
    now[0] = GAP_WAIT_S + 0.5                   # 2 was rolled back: no longer asked for
    assert read_events(hall, cursor) == [] and cursor.gaps == {}
    _append(hall, [start + 2])                  # (it cannot come so late; if it did, it is not re-read)
    assert read_events(hall, cursor) == []


def test_a_large_jump_in_the_ids_follows_only_the_newest_gaps(hall):
    start = queue.last_event_id(hall)
    cursor = EventCursor(start, clock=lambda: 0.0)
    _append(hall, [start + MAX_GAPS + 100])
    assert len(read_events(hall, cursor)) == 1
    assert len(cursor.gaps) == MAX_GAPS and min(cursor.gaps) == start + 100


def test_a_page_of_events_and_the_late_ones_come_in_id_order(hall):
    start = queue.last_event_id(hall)
    cursor = EventCursor(start, clock=lambda: 0.0)
    _append(hall, [start + 2] + [start + 10 + i for i in range(5)])
    assert [e.id for e in read_events(hall, cursor, limit=3)] == [start + 2, start + 10, start + 11]
    _append(hall, [start + 1])
    assert [e.id for e in read_events(hall, cursor, limit=3)] == [start + 1, start + 12, start + 13, start + 14]


@pytest.mark.slow
def test_a_follower_sees_every_event_of_four_writing_workstations_once(db_url, tmp_path):
    """Four processes issue tickets as fast as they can while this one follows
    the events table with a cursor; on PostgreSQL their commits overlap, so
    ids do become visible out of order. Every event arrives, none twice."""
    from hall.services.base import system_actor
    from hall.services.demo import install_demo
    from hall.store.db import Database

    db = Database(db_url)
    install_demo(db, system_actor(), history=False)
    start = queue.last_event_id(db)
    cursor = EventCursor(start)
    ctx = mp.get_context("spawn")
    outs = [tmp_path / f"fd{i}.json" for i in range(4)]
    procs = [ctx.Process(target=workers.front_desk, args=(db_url, 3.0, str(out), i, 40)) for i, out in enumerate(outs)]
    for p in procs:
        p.start()
    delivered: list[int] = []
    while any(p.is_alive() for p in procs):
        delivered += [e.id for e in read_events(db, cursor)]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    delivered += [e.id for e in read_events(db, cursor)]
    issued = sum(len(json.loads(out.read_text())["issued"]) for out in outs)
    assert all(json.loads(out.read_text())["errors"] == [] for out in outs)
    with db.read() as s:
        everything = list(s.execute(select(Event.id).where(Event.id > start).order_by(Event.id)).scalars())
        tickets = s.execute(select(func.count()).select_from(Ticket)).scalar_one()
    assert issued >= 160 and tickets >= issued
    assert len(delivered) == len(set(delivered))
    assert sorted(delivered) == everything
