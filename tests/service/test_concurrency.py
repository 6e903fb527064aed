"""Many workstations at the same instant, with real processes, on both backends."""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import sqlite3
import time
from collections import Counter

import pytest
from sqlalchemy import func, select, text

from hall.services import queue
from hall.services.demo import install_demo
from hall.services.base import system_actor
from hall.store.db import Database
from hall.store.models import Ticket, TicketCounter

from . import workers

pytestmark = pytest.mark.slow

WINDOWS = ["w01", "w02", "w03", "w05"]


def _prepare(url: str) -> Database:
    db = Database(url)
    install_demo(db, system_actor(), history=False)
    for w in WINDOWS:
        queue.open_window(db, system_actor(), w)
    return db


def _run(procs: list[mp.Process]) -> None:
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0, f"worker {p.name} exited with {p.exitcode}"


def test_eight_workstations_issue_and_call_at_once(db_url, tmp_path):
    db = _prepare(db_url)
    ctx = mp.get_context("spawn")
    seconds = 3.0
    procs, outs = [], []
    for i in range(4):
        out = tmp_path / f"desk{i}.json"
        outs.append(out)
        procs.append(ctx.Process(target=workers.front_desk, args=(db_url, seconds, str(out), i), name=f"desk{i}"))
    for w in WINDOWS:
        out = tmp_path / f"{w}.json"
        outs.append(out)
        procs.append(ctx.Process(target=workers.window, args=(db_url, seconds + 0.5, str(out), w), name=w))
    _run(procs)
    results = [json.loads(o.read_text()) for o in outs]
    errors = [e for r in results for e in r["errors"]]
    assert errors == []
    issued = [t for r in results for t in r.get("issued", [])]
    claimed = [tid for r in results for tid in r.get("claimed", [])]
    assert len(issued) > 20 and len(claimed) > 10, (len(issued), len(claimed))

    # No number issued twice in a day.
    numbers = Counter((t["service"], t["day"], t["number"]) for t in issued)
    assert [k for k, n in numbers.items() if n > 1] == []
    # No ticket claimed by two windows.
    assert [k for k, n in Counter(claimed).items() if n > 1] == []
    with db.read() as s:
        rows = {t.id: t for t in s.execute(select(Ticket)).scalars()}
        # Every issued ticket is accounted for, and only those exist.
        assert set(rows) == {t["id"] for t in issued}
        for r in results:
            for tid in r.get("claimed", []):
                t = rows[tid]
                assert t.window.code == r["window"]
                assert t.status in ("finished", "no_show")
        unclaimed = set(rows) - set(claimed)
        assert all(rows[t].status == "waiting" for t in unclaimed)
        # The counters agree with the tickets.
        for c in s.execute(select(TicketCounter)).scalars():
            top = s.execute(select(func.max(Ticket.seq)).where(
                Ticket.service_id == c.service_id, Ticket.business_day == c.business_day)).scalar_one()
            assert c.last_number == top
    db.dispose()


def test_a_process_killed_mid_work_leaves_the_database_consistent(db_url):
    db = _prepare(db_url)
    ctx = mp.get_context("spawn")
    for round_ in range(4):
        p = ctx.Process(target=workers.issue_forever, args=(db_url,))
        p.start()
        # Wait until it is really working, then cut the power at a random point.
        deadline = time.monotonic() + 30
        with db.read() as s:
            before = s.execute(select(func.count()).select_from(Ticket)).scalar_one()
        while time.monotonic() < deadline:
            with db.read() as s:
                if s.execute(select(func.count()).select_from(Ticket)).scalar_one() > before + 3 + round_:
                    break
        os.kill(p.pid, signal.SIGKILL)
        p.join(10)
        assert p.exitcode == -signal.SIGKILL
    if db.backend == "sqlite":
        conn = sqlite3.connect(db.sqlite_path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    with db.read() as s:
        for c in s.execute(select(TicketCounter)).scalars():
            top = s.execute(select(func.max(Ticket.seq)).where(
                Ticket.service_id == c.service_id, Ticket.business_day == c.business_day)).scalar_one()
            assert c.last_number == top
        seqs = s.execute(select(Ticket.service_id, Ticket.business_day, Ticket.seq)).all()
        assert len(seqs) == len(set(seqs))
        # A ticket is never left claimed without a window or half-finished.
        bad = s.execute(select(func.count()).select_from(Ticket).where(
            ((Ticket.status == "called") & Ticket.window_id.is_(None))
            | ((Ticket.status == "finished") & Ticket.finished_at.is_(None)))).scalar_one()
        assert bad == 0
    # The hall carries on: the next number follows the last one issued.
    nxt = queue.issue_ticket(db, system_actor(), "labour")
    with db.read() as s:
        top = s.execute(select(func.max(Ticket.seq)).where(Ticket.service_id == s.execute(
            text("select id from services where code='labour'")).scalar_one())).scalar_one()
    assert int(nxt.number[1:]) == top
    db.dispose()
