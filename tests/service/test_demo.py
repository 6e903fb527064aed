"""The demo centre: idempotent, and its open cases are real cases."""
from __future__ import annotations

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
