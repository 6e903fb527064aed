"""The demo centre: idempotent, and its open cases are real cases."""
from __future__ import annotations

import datetime as dt

import pytest

from hall.services import arbitration, cases, deadlines, petitions
from hall.services.demo import install_demo
from hall.services.demo_cases import install_demo_cases
from tests.conftest import staff_actor


def test_demo_is_idempotent(db, admin):
    first = install_demo(db, admin, history=False)
    again = install_demo(db, admin, history=False)
    assert first["staff_added"] == 8 and again["staff_added"] == 0
    assert not any(again["centre"].values())


def test_demo_cases_give_every_desk_work(hall):
    assert install_demo_cases(hall) == 4
    assert install_demo_cases(hall) == 0
    mediator = staff_actor(hall, "tiaojie")
    rows = cases.search_cases(hall, mediator, "陈晓梅").rows
    assert len(rows) == 1
    detail = cases.case_detail(hall, mediator, rows[0].id)
    assert detail.case.state == "mediating" and len(detail.agreements[0].terms) == 2
    clerk = staff_actor(hall, "shuji")
    assert len(arbitration.arbitration_register(hall, clerk, "张伟")) == 1
    assert len(petitions.petition_register(hall, staff_actor(hall, "chuangkou2"), "刘芳")) == 1
    rules = {d.rule_code for d in deadlines.list_deadlines(hall)}
    assert {"labour.award", "labour.mediation", "petition.notify_direct"} <= rules


# The demo must look alive on whatever day it is installed: inside a holiday, on a
# swapped working Sunday, just before midnight on New Year's Eve, and beyond the
# holiday data. The test clock is put on each of those days.
DEMO_DAYS = {
    "national-day": dt.datetime(2026, 10, 3, 10, 0),
    "swapped-sunday": dt.datetime(2026, 9, 27, 14, 30),
    "new-years-eve-2359": dt.datetime(2026, 12, 31, 23, 59),
    "beyond-holiday-data": dt.datetime(2027, 6, 15, 8, 10),
    "ordinary-monday": dt.datetime(2026, 11, 23, 9, 0),
}


@pytest.mark.slow
@pytest.mark.parametrize("local_now", DEMO_DAYS.values(), ids=DEMO_DAYS.keys())
def test_the_demo_looks_alive_on_any_day(sqlite_db, clock, admin, local_now):
    from sqlalchemy import func, select

    from hall.domain.clock import HALL_TZ, as_utc, local_day
    from hall.services import mediation, queue
    from hall.store.arbitration_models import Hearing
    from hall.store.models import Ticket

    clock.set_local(local_now)
    today = local_now.date()
    install_demo(sqlite_db, admin, history=True)

    snapshot = queue.queue_snapshot(sqlite_db)
    assert snapshot.waiting_total >= 10  # today's queue
    with sqlite_db.read() as s:
        past = s.execute(select(func.count()).select_from(Ticket).where(
            Ticket.business_day < today, Ticket.business_day >= today - dt.timedelta(days=31))).scalar_one()
        served_today = s.execute(select(func.count()).select_from(Ticket).where(
            Ticket.business_day == today, Ticket.finished_at.is_not(None))).scalar_one()
        hearings = [as_utc(h) for h in s.execute(select(Hearing.starts_at)).scalars()]
    assert past > 1000  # about twenty working days of 90-160 visitors
    if local_now.hour >= 10:
        assert served_today > 0  # the morning's visitors were served
    assert hearings and all(local_day(h) > today for h in hearings)

    # Open deadlines fall due in the coming days, none is overdue on the day of installation.
    open_ = deadlines.list_deadlines(sqlite_db)
    assert open_ and all(d.due_date >= today for d in open_)
    assert any(d.due_date <= today + dt.timedelta(days=20) for d in open_)

    # The senior mediation room is booked on the next working day, in the future.
    mediator = staff_actor(sqlite_db, "tiaojie")
    wage = cases.search_cases(sqlite_db, mediator, "陈晓梅").rows[0]
    detail = cases.case_detail(sqlite_db, mediator, wage.id)
    assert str(today.year) in detail.case.facts or str(today.year - 1) in detail.case.facts
    assert "2026年9月" not in detail.case.facts or today < dt.date(2027, 1, 1)
    bookings = [b for week in range(3) for b in mediation.room_calendar(
        sqlite_db, mediator, "r_gold", today + dt.timedelta(days=7 * week), "week")]
    assert bookings and all(b.start.astimezone(HALL_TZ).date() > today for b in bookings)
