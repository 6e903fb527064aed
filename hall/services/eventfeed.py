"""Following the events table without missing an event that commits late.

Every action appends its events as the last writes of its transaction
(:meth:`hall.services.base.UnitOfWork.flush_events`). Event ids come from a
sequence, so on PostgreSQL two workstations committing at the same instant
may make their events visible out of id order: id 12 can be readable while
id 11 is still being committed. A reader that only remembers "the last id I
saw" would step over 11 for good.

An :class:`EventCursor` remembers the ids it stepped over and asks for them
again on each read until they appear or :data:`GAP_WAIT_S` has passed (an id
whose transaction was rolled back never appears). The events table stays the
record; no lock orders the writers, so their commits do not queue behind one
another. On SQLite the writer lock already makes ids visible in order and the
list of gaps stays empty.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from hall.store.db import Database
from hall.store.models import Event

from .views import EventView

__all__ = ["GAP_WAIT_S", "MAX_GAPS", "EventCursor", "read_events", "view_of"]

#: How long a skipped id is asked for again. A transaction makes its events
#: visible within its commit; an id still missing after this was rolled back.
GAP_WAIT_S = 30.0
#: At most this many skipped ids are followed (the newest); a larger jump in
#: the sequence is a block of rolled-back inserts or a restored backup.
MAX_GAPS = 2_000


def view_of(e: Event) -> EventView:
    return EventView(e.id, e.at, e.kind, dict(e.payload), e.workstation)


@dataclass
class EventCursor:
    """Where a reader of the events table is: every id up to ``after`` has
    been delivered except those in ``gaps`` (id → when it was first missed,
    on ``clock``)."""

    after: int
    gaps: dict[int, float] = field(default_factory=dict)
    clock: Callable[[], float] = time.monotonic

    def _take(self, rows: list[Event]) -> list[EventView]:
        now = self.clock()
        out = []
        for e in rows:
            if e.id in self.gaps:
                del self.gaps[e.id]
            elif e.id > self.after:
                first = max(self.after + 1, e.id - MAX_GAPS)
                self.gaps.update(dict.fromkeys(range(first, e.id), now))
                self.after = e.id
            else:
                continue                  # delivered already (a repeated read)
            out.append(view_of(e))
        if len(self.gaps) > MAX_GAPS:
            for gap in sorted(self.gaps)[:len(self.gaps) - MAX_GAPS]:
                del self.gaps[gap]
        return out

    def _expire(self) -> None:
        now = self.clock()
        self.gaps = {i: t for i, t in self.gaps.items() if now - t < GAP_WAIT_S}


def read_events(db: Database, cursor: EventCursor, limit: int = 500) -> list[EventView]:
    """The events the cursor has not delivered yet, and moves it past them.

    Late ones (ids the cursor stepped over that have committed since) come
    first, then the new ones, oldest first; at most ``limit`` new ones."""
    cursor._expire()
    late = sorted(cursor.gaps)
    with db.read() as s:
        where = Event.id > cursor.after
        if late:
            where = or_(where, Event.id.in_(late))
        rows = list(s.execute(select(Event).where(where).order_by(Event.id)
                              .limit(limit + len(late))).scalars())
    return cursor._take(rows)
