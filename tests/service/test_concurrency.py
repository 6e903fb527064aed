"""Many workstations at the same instant, with real processes, on both backends."""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import sqlite3
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from hall.services import queue
from hall.services.base import system_actor
from hall.services.demo import install_demo
from hall.store.db import Database
from hall.store.models import Ticket, TicketCounter
from tests.conftest import BACKENDS

from . import workers

pytestmark = pytest.mark.slow

WINDOWS = ["w01", "w02", "w03", "w05"]


def _prepare(url: str) -> Database:
    db = Database(url)
    install_demo(db, system_actor(), history=False)
    for w in WINDOWS:
        queue.open_window(db, system_actor(), w)
    return db


@pytest.fixture
def prepared():
    """``prepared(url)``: a demo centre with its windows open, closed after the test even if it fails."""
    opened: list[Database] = []

    def prepare(url: str) -> Database:
        opened.append(_prepare(url))
        return opened[-1]

    yield prepare
    for db in opened:
        db.dispose()


def _run(procs: list[mp.Process]) -> None:
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0, f"worker {p.name} exited with {p.exitcode}"


def test_eight_workstations_issue_and_call_at_once(prepared, db_url, tmp_path):
    db = prepared(db_url)
    ctx = mp.get_context("spawn")
    seconds = 3.0
    procs, outs = [], []
    for i in range(4):
        out = tmp_path / f"desk{i}.json"
        outs.append(out)
        procs.append(ctx.Process(target=workers.front_desk, args=(db_url, seconds, str(out), i, 6),
                                 name=f"desk{i}"))
    for w in WINDOWS:
        out = tmp_path / f"{w}.json"
        outs.append(out)
        procs.append(ctx.Process(target=workers.window, args=(db_url, seconds + 0.5, str(out), w, 3), name=w))
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


def test_a_process_killed_mid_work_leaves_the_database_consistent(prepared, db_url):
    db = prepared(db_url)
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


# ------------------------------------------------- a PostgreSQL server killed hard
@pytest.fixture
def durable_pg(tmp_path_factory):
    """A PostgreSQL server of its own, set up as a hall's: fsync on, and the
    server-wide synchronous_commit off (only the application's sessions set it
    on), so a crash can only keep what the application made durable."""
    from tests.pgserver import PgServer, _temp_root

    # named like the servers of tests.pgserver.ensure_server, so a run killed before
    # its clean-up has this one stopped by the next run too
    base = Path(tempfile.mkdtemp(prefix=f"hall-pg-test-{os.geteuid()}-pid{os.getpid()}-durable-",
                                 dir=_temp_root()))
    server = PgServer(base, durable=True)
    try:
        server.start()
        yield server
    finally:
        server.stop(remove=True)


def _acks(paths: list[Path]) -> list[dict]:
    out = []
    for p in paths:
        if p.exists():
            # a line being written when read is left for the next look
            out += [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines(keepends=True)
                    if line.endswith("\n")]
    return out


def _wait_for_acks(paths: list[Path], at_least: int, timeout: float, procs) -> int:
    deadline = time.monotonic() + timeout
    while True:
        n = len(_acks(paths))
        if n >= at_least:
            return n
        assert all(p.is_alive() for p in procs), "a front desk ended early"
        assert time.monotonic() < deadline, f"only {n} of {at_least} tickets acknowledged in {timeout} s"
        time.sleep(0.1)


@pytest.mark.pg
@pytest.mark.real_clock
@pytest.mark.skipif("pg" not in BACKENDS, reason="PostgreSQL is not among the test backends")
def test_no_acknowledged_ticket_is_lost_when_the_postgresql_server_is_killed(prepared, durable_pg, tmp_path):
    """Four front desks issue tickets while the server is stopped hard twice
    (pg_ctl stop -m immediate, then SIGKILL of every server process) and
    restarted; they carry on through each outage. Afterwards every ticket a
    desk was given back exists with its number, no number was given twice, and
    the counters agree with the tickets."""
    import psycopg

    url = durable_pg.url
    fresh = Database(url)
    fresh.upgrade()
    fresh.dispose()
    db = prepared(url)
    with db.read() as s:   # the application's sessions are durable whatever the server says
        assert s.execute(text("SHOW synchronous_commit")).scalar() == "on"
        assert s.execute(text("SHOW fsync")).scalar() == "on"
    with psycopg.connect(host="127.0.0.1", port=durable_pg.port, user="postgres", dbname="hall_test",
                         autocommit=True) as raw:
        assert raw.execute("SHOW synchronous_commit").fetchone()[0] == "off"
        raw.execute("CHECKPOINT")   # the setup is on disk: a recovery replays only the storm
    db.dispose()

    ctx = mp.get_context("spawn")
    stop = tmp_path / "stop"
    outs = [tmp_path / f"desk{i}.jsonl" for i in range(4)]
    procs = [ctx.Process(target=workers.issue_through_crashes, args=(url, str(o), str(stop), i), name=f"desk{i}")
             for i, o in enumerate(outs)]
    for p in procs:
        p.start()
    crashes = ["immediate", "kill"]
    try:
        seen = 0
        for how in crashes:
            # mid-storm: every desk is issuing when the server goes down
            seen = _wait_for_acks(outs, seen + 30, 40, procs)
            durable_pg.crash(how)
            down = len(_acks(outs))
            time.sleep(0.3)                       # the desks fail and retry meanwhile
            durable_pg.restart()
            seen = max(seen, down)
        _wait_for_acks(outs, seen + 30, 40, procs)  # the hall carries on after the last restart
    finally:
        stop.touch()
        for p in procs:
            p.join(30)
            if p.is_alive():
                p.kill()
    assert [p.exitcode for p in procs] == [0] * len(procs)
    failures = [json.loads(Path(f"{o}.failures").read_text()) for o in outs]
    assert any(failures), "no desk saw the server go down"

    acked = _acks(outs)
    assert len({a["id"] for a in acked}) == len(acked)
    numbers = Counter((a["service"], a["day"], a["number"]) for a in acked)
    assert [k for k, n in numbers.items() if n > 1] == [], "a number was given to two visitors"
    db = Database(url)
    try:
        with db.read() as s:
            rows = {t.id: (t.service.code, str(t.business_day), t.number)
                    for t in s.execute(select(Ticket)).scalars()}
            lost = [a for a in acked if rows.get(a["id"]) != (a["service"], a["day"], a["number"])]
            assert lost == [], f"{len(lost)} acknowledged tickets lost or changed"
            # What exists beyond the acknowledged: at most the commits in flight at each crash.
            assert len(rows) - len(acked) <= len(procs) * len(crashes)
            seqs = s.execute(select(Ticket.service_id, Ticket.business_day, Ticket.seq)).all()
            assert len(seqs) == len(set(seqs))
            for c in s.execute(select(TicketCounter)).scalars():
                top = s.execute(select(func.max(Ticket.seq)).where(
                    Ticket.service_id == c.service_id, Ticket.business_day == c.business_day)).scalar_one()
                assert c.last_number == top
    finally:
        db.dispose()


#: What may follow what in one ticket's audit trail.
_NEXT = {"ticket.issue": {"ticket.call", "ticket.hold"}, "ticket.hold": {"ticket.unhold"},
         "ticket.unhold": {"ticket.call", "ticket.hold"}, "ticket.call": {"ticket.finish", "ticket.no_show"},
         "ticket.finish": set(), "ticket.no_show": set()}


def test_one_window_holds_while_another_calls(prepared, db_url, tmp_path):
    """Two processes on the same queue: one puts waiting visitors on hold and
    back, the other calls them. No ticket is called while on hold or held once
    called; every ticket's history is a path of the state machine."""
    from hall.store.models import AuditEntry

    db = prepared(db_url)
    admin = system_actor()
    for i in range(60):
        queue.issue_ticket(db, admin, "labour" if i % 2 else "general")
    ctx = mp.get_context("spawn")
    outs = {"holder": tmp_path / "holder.json", "w03": tmp_path / "w03.json"}
    _run([ctx.Process(target=workers.holder, args=(db_url, 4.0, str(outs["holder"]), 7), name="holder"),
          ctx.Process(target=workers.window, args=(db_url, 4.0, str(outs["w03"]), "w03", 0, 0.02),
                      name="w03")])
    held = json.loads(outs["holder"].read_text())
    calls = json.loads(outs["w03"].read_text())
    assert held["errors"] == [] and calls["errors"] == []
    assert len(held["held"]) >= 3 and len(calls["claimed"]) > 5, (held, calls)
    with db.read() as s:
        trail: dict[int, list[str]] = {}
        for tid, action in s.execute(select(AuditEntry.object_id, AuditEntry.action).where(
                AuditEntry.object_type == "ticket").order_by(AuditEntry.id)):
            trail.setdefault(int(tid), []).append(action)
        rows = {t.id: t for t in s.execute(select(Ticket)).scalars()}
    assert len(rows) >= 60
    for tid, actions in trail.items():
        assert actions[0] == "ticket.issue", actions
        for a, b in zip(actions, actions[1:]):
            assert b in _NEXT[a], (tid, actions)
        final = {"ticket.issue": "waiting", "ticket.unhold": "waiting", "ticket.hold": "on_hold",
                 "ticket.finish": "finished", "ticket.no_show": "no_show", "ticket.call": "called"}[actions[-1]]
        assert rows[tid].status == final, (tid, actions, rows[tid].status)
        assert (rows[tid].held_at is not None) == (final == "on_hold")
    assert len(set(calls["claimed"])) == len(calls["claimed"])
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Ticket).where(
            Ticket.status == "on_hold", Ticket.window_id.is_not(None))).scalar_one() == 0
