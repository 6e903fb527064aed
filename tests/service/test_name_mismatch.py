"""A typed name that differs from the one recorded for a known ID number is
shown to the clerk, who chooses; nobody is renamed silently."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hall.services import queue
from hall.services.queue import NameMismatch
from hall.store.models import AuditEntry, Ticket, Visitor

IDN = "11010519491231002X"


def _visitor(db, vid):
    with db.read() as s:
        return s.get(Visitor, vid)


def test_a_different_name_with_a_known_id_is_refused_until_the_clerk_chooses(hall, front_desk):
    first = queue.issue_ticket(hall, front_desk, "labour", name="张三明", id_number=IDN)
    with hall.read() as s:
        tickets_before = len(s.execute(select(Ticket.id)).all())
    with pytest.raises(NameMismatch) as exc:
        queue.issue_ticket(hall, front_desk, "labour", name="李四", id_number=IDN)
    assert exc.value.details == {"visitor_id": first.visitor_id, "recorded_name": "张三明", "typed_name": "李四"}
    assert _visitor(hall, first.visitor_id).name == "张三明"
    with hall.read() as s:
        assert len(s.execute(select(Ticket.id)).all()) == tickets_before  # nothing issued

    kept = queue.issue_ticket(hall, front_desk, "labour", name="李四", id_number=IDN, name_choice="recorded")
    assert kept.visitor_id == first.visitor_id and kept.visitor_name == "张三明"
    assert _visitor(hall, first.visitor_id).name == "张三明"

    fixed = queue.issue_ticket(hall, front_desk, "labour", name="张三民", id_number=IDN, name_choice="typed")
    assert fixed.visitor_name == "张三民" == _visitor(hall, first.visitor_id).name
    with hall.read() as s:
        renames = s.execute(select(AuditEntry).where(AuditEntry.action == "visitor.rename")).scalars().all()
    assert [r.object_id for r in renames] == [str(first.visitor_id)] and "张三" not in str(renames[0].details)


def test_the_same_name_or_no_name_needs_no_choice(hall, front_desk):
    first = queue.issue_ticket(hall, front_desk, "labour", name="张三明", id_number=IDN)
    assert queue.issue_ticket(hall, front_desk, "labour", name="张三明", id_number=IDN).visitor_id == first.visitor_id
    assert queue.issue_ticket(hall, front_desk, "labour", id_number=IDN).visitor_name == "张三明"
