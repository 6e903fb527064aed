"""Helpers for the mediation case tests, and the worker processes of their
race tests (run by ``multiprocessing`` with spawn: each is a separate
workstation with its own interpreter and connections)."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from hall.domain.cases import AgentInput, PartyInput

ZHANG_ID = "11010519491231002X"      # 张三, a woman born 1949-12-31
ZHOU_ID = "440524188001010014"       # a man born 1880-01-01
ZHANG_PHONE = "13812345678"
EMPLOYER_CODE = "91330100MA2AAAAAAA"


def worker(name: str = "张三", id_number: str | None = ZHANG_ID, phone: str | None = ZHANG_PHONE,
           **kw) -> PartyInput:
    return PartyInput(name, side=kw.pop("side", "applicant"), kind="person", id_number=id_number, phone=phone,
                      address=kw.pop("address", "东湖区人民路1号"), occupation=kw.pop("occupation", "车间工人"),
                      ethnicity=kw.pop("ethnicity", "汉族"), **kw)


def employer(name: str = "东湖科技有限公司", **kw) -> PartyInput:
    return PartyInput(name, side=kw.pop("side", "respondent"), kind="organisation",
                      credit_code=kw.pop("credit_code", EMPLOYER_CODE),
                      legal_rep=kw.pop("legal_rep", "王五"), legal_rep_title=kw.pop("legal_rep_title", "总经理"),
                      address=kw.pop("address", "东湖区工业园8号"), phone=kw.pop("phone", "0571-88001234"), **kw)


def lawyer(name: str = "李律师", **kw) -> AgentInput:
    return AgentInput(name, phone=kw.pop("phone", "13700001111"), relation="律师", scope="special",
                      authorisation="代为调解、签收文书、代为承认、放弃、变更请求", **kw)


def wage_case(db, actor, *, parties=None, mediator_id=None, **kw):
    from hall.services import cases

    return cases.register_case(
        db, actor, category="labour", subcategory="拖欠工资",
        parties=parties or [worker(), employer()],
        facts=kw.pop("facts", "申请人在被申请人处工作，被申请人拖欠2026年9月、10月工资共12000元。"),
        claims=kw.pop("claims", "支付拖欠工资12000元"), mediator_id=mediator_id, **kw)


def add_mediator(db, admin, username: str, display_name: str):
    """A second mediator account, as an actor."""
    from hall.services import users
    from tests.conftest import staff_actor

    users.create_user(db, admin, username, display_name, "mediator", "hall2026x")
    return staff_actor(db, username)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    from hall.domain.clock import HALL_TZ

    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HALL_TZ)


# ------------------------------------------------------------------ workers
def _actor(db, username):
    from sqlalchemy import select

    from hall.domain.roles import parse_roles
    from hall.services import Actor
    from hall.store.models import User

    with db.read() as s:
        u = s.execute(select(User).where(User.username == username)).scalar_one()
        return Actor(u.id, u.username, parse_roles(u.roles), f"pid-{os.getpid()}", u.display_name)


def book(url: str, case_id: int, room: str, start_iso: str, end_iso: str, mediator_id: int | None,
         out: str, go) -> None:
    """Wait for the starting gun, then try to book; write what happened."""
    from hall.services import HallError, mediation
    from hall.store.db import Database

    db = Database(url)
    actor = _actor(db, "tiaojie")
    db.ping()  # connect before the gun, so both start together
    go.wait(30)
    result: dict = {"pid": os.getpid()}
    try:
        b = mediation.book_room(db, actor, case_id, room, dt.datetime.fromisoformat(start_iso),
                                dt.datetime.fromisoformat(end_iso), mediator_id=mediator_id)
        result["booked"] = b.id
    except HallError as exc:
        result["refused"] = str(exc)
    except Exception as exc:  # the test fails on any
        result["error"] = repr(exc)
    Path(out).write_text(json.dumps(result, ensure_ascii=False))
    db.dispose()
