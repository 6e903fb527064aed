"""Numbers that cannot collide or overflow: prefixes stay while the day's
tickets carry them; imported case numbers stay within the year's counter."""
from __future__ import annotations

import pytest

from hall.services import InvalidInput, queue
from hall.services import admin as adm
from hall.services import cases as cs
from hall.services.cases import ImportRejected

from .case_workers import wage_case


def test_swapping_prefixes_mid_day_is_refused_so_no_two_visitors_share_a_number(hall, front_desk, admin, clock):
    a = queue.issue_ticket(hall, front_desk, "labour")        # L001
    b = queue.issue_ticket(hall, front_desk, "mediation")     # T001
    # mediation moves to M (its T001 keeps its number); labour may not take T today
    assert adm.update_service(hall, admin, "mediation", prefix="M").prefix == "M"
    with pytest.raises(InvalidInput, match="重号"):
        adm.update_service(hall, admin, "labour", prefix="T")  # T001 was issued today
    assert adm.update_service(hall, admin, "mediation", prefix="T").prefix == "T"  # back: its own numbers
    exported = adm.export_config(hall, admin)
    for svc in exported["services"]:
        if svc["code"] == "labour":
            svc["prefix"] = "T"
        elif svc["code"] == "mediation":
            svc["prefix"] = "L"
    with pytest.raises(InvalidInput, match="重号"):
        adm.import_config(hall, admin, exported)
    assert queue.ticket(hall, a.id).number == "L001" and queue.ticket(hall, b.id).number == "T001"
    c = queue.issue_ticket(hall, front_desk, "labour")
    assert c.number == "L002"
    # the next day, with every ticket closed, the prefix may change
    for t in (a.id, b.id, c.id):
        queue.cancel(hall, front_desk, t)
    clock.advance(days=1)
    assert adm.update_service(hall, admin, "labour", prefix="Q").prefix == "Q"
    assert queue.issue_ticket(hall, front_desk, "labour").number == "Q001"


def test_an_imported_case_number_beyond_the_counter_is_refused_and_registration_goes_on(hall, admin, window_staff):
    record = {"number": "（2026）东人调字第2147483647号", "category": "neighbourhood",
              "registered_at": "2026-02-10T14:30:00", "parties": [{"name": "赵六"}]}
    with pytest.raises(ImportRejected) as exc:
        cs.import_cases(hall, admin, [record])
    assert "超出可用范围" in exc.value.errors[0]
    assert wage_case(hall, window_staff).number == "（2026）东人调字第1号"  # registration goes on
    cs.import_cases(hall, admin, [dict(record, number="（2026）东人调字第999999号")])
    assert wage_case(hall, window_staff).number == "（2026）东人调字第1000000号"
