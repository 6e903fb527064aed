"""Queue engine benchmarks: issue_ticket and call_next against bare SQL.

    python tests/perf/bench.py [--quick] [--json] [--backend sqlite|pg|both]

Seeds a database with past tickets (1,000,000; 100,000 with --quick) and 500
waiting ones, then times each service call next to the bare SQL that does the
same work (the same statements through the DB-API driver, no ORM), and the
throughput of 8 processes (4 front desks, 4 windows) working at once.
``finish`` is timed too (its bare counterpart is the update alone), and
``estimate_before_issue``: the wait range that issue_ticket reads and
simulates before its transaction, part of its figure. Prints
one JSON object: ``{"issue_ticket.sqlite": {"p50_ms":..,"p95_ms":..}, ...,
"baseline": {"issue_ticket.sqlite": {...}}, "throughput.sqlite": {...}}``.
PostgreSQL runs when HALL_TEST_PG_URL is set or a local server can be started.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from hall.domain.clock import UTC  # noqa: E402
from hall.services import queue  # noqa: E402
from hall.services.base import system_actor  # noqa: E402
from hall.services.demo import install_demo  # noqa: E402
from hall.store.db import Database  # noqa: E402

SERVICES = ["labour", "general", "petition", "housing", "mediation"]


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return round(s[k] * 1000, 3)


def summary(samples: list[float], cpu: list[float] | None = None) -> dict:
    out = {"p50_ms": pct(samples, 50), "p95_ms": pct(samples, 95), "n": len(samples),
           "mean_ms": round(statistics.fmean(samples) * 1000, 3)}
    if cpu:
        # this process's CPU time (time.process_time): what a loaded machine's
        # waits for the disk and for a core leave out
        out.update(cpu_p50_ms=pct(cpu, 50), cpu_p95_ms=pct(cpu, 95))
    return out


class Timer:
    """Wall-clock and CPU time of each call, kept in two lists."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __call__(self, fn, *args):
        c0, t0 = time.process_time(), time.perf_counter()
        result = fn(*args)
        self.wall.append(time.perf_counter() - t0)
        self.cpu.append(time.process_time() - c0)
        return result

    def summary(self) -> dict:
        return summary(self.wall, self.cpu)


# ------------------------------------------------------------------ seeding
def seed(db: Database, past: int, waiting: int) -> None:
    """Past finished tickets spread over ~2 years, and ``waiting`` for today."""
    install_demo(db, system_actor(), history=False)
    with db.engine.begin() as conn:
        ids = dict(conn.execute(text("select code, id from services")).all())
        prefixes = dict(conn.execute(text("select code, prefix from services")).all())
        win = conn.execute(text("select id from windows where code='w03'")).scalar_one()
    now = db.clock.now()
    rng = random.Random(7)
    per_day = 1400
    days = past // per_day + 1
    batch = []
    cols = ("service_id, business_day, seq, number, status, priority_weight, queue_key, issued_at, "
            "called_at, started_at, finished_at, window_id, outcome, recall_count, note")
    insert = text(f"insert into tickets ({cols}) values (:service_id, :business_day, :seq, :number, "
                  ":status, 0, :queue_key, :issued_at, :called_at, :started_at, :finished_at, "
                  ":window_id, 'resolved', 0, '')")
    made = 0
    with db.engine.begin() as conn:
        for d in range(days, 0, -1):
            day = (now - dt.timedelta(days=d)).date()
            seqs = {c: 0 for c in SERVICES}
            base = dt.datetime.combine(day, dt.time(1, 0))
            for i in range(min(per_day, past - made)):
                code = SERVICES[i % len(SERVICES)]
                seqs[code] += 1
                at = base + dt.timedelta(seconds=i * 20)
                batch.append(dict(service_id=ids[code], business_day=day, seq=seqs[code],
                                  number=f"{prefixes[code]}{seqs[code]:03d}", status="finished",
                                  queue_key=int(at.replace(tzinfo=UTC).timestamp()), issued_at=at,
                                  called_at=at + dt.timedelta(minutes=5),
                                  started_at=at + dt.timedelta(minutes=6),
                                  finished_at=at + dt.timedelta(minutes=15), window_id=win))
                made += 1
            if len(batch) >= 20_000:
                conn.execute(insert, batch)
                batch.clear()
            if made >= past:
                break
        if batch:
            conn.execute(insert, batch)
    actor = system_actor()
    for i in range(waiting):
        queue.issue_ticket(db, actor, SERVICES[i % len(SERVICES)],
                           priority=rng.choice([None] * 9 + ["elderly"]))
    queue.open_window(db, actor, "w03")
    if db.is_postgres:
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    else:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")


# --------------------------------------------------------------- bare SQL
class Bare:
    """The same statements the services run, straight through the driver."""

    def __init__(self, db: Database):
        self.db = db
        self.conn = db.engine.raw_connection()
        self.pg = db.is_postgres
        self.p = "%s" if self.pg else "?"

    def _begin(self, cur):
        if not self.pg:
            cur.execute("BEGIN IMMEDIATE")

    def _notify(self, cur):
        """The service's wake-up of the listening workstations after the commit."""
        if self.pg:
            cur.execute("SET LOCAL synchronous_commit TO off; NOTIFY hall_events")
            self.conn.commit()

    def q(self, sql: str) -> str:
        return sql.replace("?", self.p)

    def issue(self, service_id: int, prefix: str) -> int:
        now = dt.datetime.now(UTC).replace(tzinfo=None)
        day = dt.date.today()
        cur = self.conn.cursor()
        self._begin(cur)
        cur.execute(self.q("insert into ticket_counters (service_id, business_day, last_number) values (?, ?, 1) "
                           "on conflict (service_id, business_day) do update set last_number = "
                           "ticket_counters.last_number + 1 returning last_number"), (service_id, day))
        seq = cur.fetchone()[0]
        key = int(time.time())
        cur.execute(self.q("insert into tickets (service_id, business_day, seq, number, status, priority_weight, "
                           "queue_key, issued_at, recall_count, note) values (?, ?, ?, ?, 'waiting', 0, ?, ?, 0, '') "
                           "returning id"), (service_id, day, seq, f"{prefix}{seq:03d}", key, now))
        tid = cur.fetchone()[0]
        cur.execute(self.q("select count(*) from tickets where status='waiting' and service_id=? and "
                           "business_day >= ? and (queue_key < ? or (queue_key = ? and id < ?))"),
                    (service_id, day, key, key, tid))
        cur.fetchone()
        cur.execute(self.q("insert into audit_log (at, username, workstation, action, object_type, object_id, details) "
                           "values (?, 'bench', 'bench', 'ticket.issue', 'ticket', ?, '{}')"), (now, str(tid)))
        cur.execute(self.q("insert into events (at, kind, payload, workstation) values (?, 'ticket.issued', '{}', 'bench')"),
                    (now,))
        self.conn.commit()
        self._notify(cur)
        return tid

    def call(self, window_id: int, links: list[tuple[int, int]]) -> int | None:
        now = dt.datetime.now(UTC).replace(tzinfo=None)
        day = dt.date.today()
        cur = self.conn.cursor()
        self._begin(cur)
        cur.execute(self.q("select state, consecutive_priority from windows where id=?" + (" for update" if self.pg else "")),
                    (window_id,))
        cur.fetchone()
        cur.execute(self.q("select number from tickets where window_id=? and status in ('called','serving')"), (window_id,))
        cur.fetchone()
        cur.execute(self.q("select service_id, rank from window_services where window_id=? order by rank"), (window_id,))
        cur.fetchall()
        case = " ".join(f"when {sid} then {rank}" for sid, rank in links)
        ids = ",".join(str(sid) for sid, _ in links)
        cur.execute(self.q(f"select id from tickets where status='waiting' and business_day >= ? and service_id in ({ids}) "
                           f"order by queue_key + (case service_id {case} end) * 600, id limit 1"
                           + (" for update skip locked" if self.pg else "")), (day,))
        row = cur.fetchone()
        if row is None:
            self.conn.commit()
            return None
        cur.execute(self.q("update tickets set status='called', window_id=?, called_at=? where id=?"), (window_id, now, row[0]))
        cur.execute(self.q("update windows set consecutive_priority=0 where id=?"), (window_id,))
        cur.execute(self.q("insert into audit_log (at, username, workstation, action, object_type, object_id, details) "
                           "values (?, 'bench', 'bench', 'ticket.call', 'ticket', ?, '{}')"), (now, str(row[0])))
        cur.execute(self.q("insert into events (at, kind, payload, workstation) values (?, 'ticket.called', '{}', 'bench')"),
                    (now,))
        self.conn.commit()
        self._notify(cur)
        return row[0]

    def finish(self, tid: int) -> None:
        cur = self.conn.cursor()
        self._begin(cur)
        cur.execute(self.q("update tickets set status='finished', finished_at=? where id=?"),
                    (dt.datetime.now(UTC).replace(tzinfo=None), tid))
        self.conn.commit()


# ------------------------------------------------------------------ timing
def time_backend(db: Database, rounds: int) -> tuple[dict, dict]:
    """Each round: issue, call and finish through the service, then the same
    three in bare SQL, so both see the same machine (on a shared machine
    the disk's fsync time and the CPU share drift within seconds)."""
    from hall.services import status

    actor = system_actor()
    res, base = {}, {}
    with db.engine.connect() as conn:
        ids = dict(conn.execute(text("select code, id from services")).all())
        prefixes = dict(conn.execute(text("select code, prefix from services")).all())
        wid = conn.execute(text("select id from windows where code='w03'")).scalar_one()
        links = conn.execute(text("select service_id, rank from window_services where window_id=:w order by rank"),
                             {"w": wid}).all()
    bare = Bare(db)
    issue, call, done, estimate = Timer(), Timer(), Timer(), Timer()
    b_issue, b_call, b_done = Timer(), Timer(), Timer()
    for i in range(rounds):
        code = SERVICES[i % len(SERVICES)]
        issue(queue.issue_ticket, db, actor, code)
        t = call(queue.call_next, db, actor, "w03")
        done(queue.finish, db, actor, t.id)
        b_issue(bare.issue, ids[code], prefixes[code])
        tid = b_call(bare.call, wid, links)
        b_done(bare.finish, tid)
    bare.conn.close()
    # The wait range issue_ticket reads and simulates before its transaction
    # (part of the issue_ticket figure; the bare issue has no counterpart).
    for i in range(rounds):
        estimate(status.estimate_before_issue, db, SERVICES[i % len(SERVICES)], None)
    res["issue_ticket"], res["call_next"], res["finish"] = issue.summary(), call.summary(), done.summary()
    res["estimate_before_issue"] = estimate.summary()
    base["issue_ticket"], base["call_next"], base["finish"] = b_issue.summary(), b_call.summary(), b_done.summary()
    return res, base


def _worker(url, seconds, out, role, arg, start_at):
    """One workstation: ``desk`` issues, ``window`` calls and closes, ``mixed``
    does the whole cycle in turn (issue, call, finish). Every process starts
    its clock at ``start_at`` (wall clock), after all have imported and
    connected, so no process's start-up eats into another's measured time."""
    import random

    from hall.services import queue
    from hall.store.db import Database
    from tests.service import workers

    db = Database(url)
    desk, window = workers._actor(db, "qiantai"), workers._actor(db, "admin")
    db.ping()
    rng = random.Random(arg)
    issued, claimed, errors = [], [], []
    time.sleep(max(0.0, start_at - time.time()))
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if role in ("desk", "mixed"):
                service = rng.choice(["labour", "general", "petition", "housing"])
                issued.append(queue.issue_ticket(db, desk, service).id)
            if role in ("window", "mixed"):
                t = queue.call_next(db, window, arg if role == "window" else "w01")
                if t is not None:
                    claimed.append(t.id)
                    queue.finish(db, window, t.id)
        except Exception as exc:
            errors.append(repr(exc))
    Path(out).write_text(json.dumps({"issued": issued, "claimed": claimed, "errors": errors}))
    db.dispose()


WINDOWS = ["w01", "w02", "w03", "w05"]


def throughput(db: Database, seconds: float, processes: int = 8) -> dict:
    """Transactions per second of ``processes`` workstations at once: half
    front desks issuing, half windows calling and closing (one process: the
    whole cycle in turn). A call and its finish are two transactions."""
    actor = system_actor()
    for w in WINDOWS:
        try:
            queue.open_window(db, actor, w)
        except Exception:
            pass
    ctx = mp.get_context("spawn")
    tmp = Path(tempfile.mkdtemp())
    procs, outs = [], []
    start_at = time.time() + 3.0 + 0.5 * processes    # after every process has started

    def spawn(role, name, arg):
        out = tmp / f"{name}.json"
        outs.append(out)
        procs.append(ctx.Process(target=_worker, args=(db.url, seconds, str(out), role, arg, start_at)))

    if processes == 1:
        spawn("mixed", "mixed", 0)
    else:
        for i in range(processes // 2):
            spawn("desk", f"d{i}", i)
        for w in WINDOWS[: processes - processes // 2]:
            spawn("window", w, w)
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    data = [json.loads(o.read_text()) for o in outs]
    issued = sum(len(d.get("issued", [])) for d in data)
    claimed = sum(len(d.get("claimed", [])) for d in data)
    errors = sum(len(d["errors"]) for d in data)
    return {"processes": processes, "seconds": seconds, "issued_per_s": round(issued / seconds, 1),
            "called_and_closed_per_s": round(claimed / seconds, 1),
            "transactions_per_s": round((issued + 2 * claimed) / seconds, 1), "errors": errors}


def scaling(db: Database, seconds: float) -> dict:
    """The throughput curve for 1, 2, 4 and 8 processes, and the target's
    ratio: 8 processes against (one process x the cores) / 2."""
    curve = {n: throughput(db, seconds, n) for n in (1, 2, 4, 8)}
    cores = os.cpu_count() or 1
    single = curve[1]["transactions_per_s"]
    target = single * cores / 2
    return {"cores": cores, "curve": list(curve.values()), "target_transactions_per_s": round(target, 1),
            "eight_vs_target": round(curve[8]["transactions_per_s"] / target, 2) if target else None}


def pg_url() -> str | None:
    url = os.environ.get("HALL_TEST_PG_URL")
    if url:
        return url
    try:
        from tests.pgserver import ensure_server

        return ensure_server()
    except Exception as exc:  # no PostgreSQL on this machine
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return None


def fresh_pg(base: str) -> str:
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(base)
    name = f"hall_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(host=u.host, port=u.port, user=u.username, dbname="postgres", autocommit=True) as c:
        c.execute(f"CREATE DATABASE {name}")
    return u.set(database=name).render_as_string(hide_password=False)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100,000 past tickets, fewer rounds")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--backend", choices=["sqlite", "pg", "both"], default="both")
    ap.add_argument("--seconds", type=float, default=None, help="length of each throughput run")
    ap.add_argument("--scaling", action="store_true",
                    help="only the throughput curve for 1, 2, 4 and 8 processes (no single-action timings)")
    args = ap.parse_args()
    past = 100_000 if args.quick else 1_000_000
    rounds = 100 if args.quick else 400
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    out: dict = {"past_tickets": past, "waiting": 500, "rounds": rounds, "baseline": {}}
    backends = []
    if args.backend in ("sqlite", "both"):
        backends.append(("sqlite", f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"))
    if args.backend in ("pg", "both"):
        base = pg_url()
        if base:
            backends.append(("pg", fresh_pg(base)))
    for name, url in backends:
        db = Database(url)
        db.upgrade()
        t0 = time.perf_counter()
        seed(db, past, 500)
        out[f"seed_seconds.{name}"] = round(time.perf_counter() - t0, 1)
        if args.scaling:
            out[f"scaling.{name}"] = scaling(db, seconds)
            db.dispose()
            continue
        res, base = time_backend(db, rounds)
        for op, v in res.items():
            out[f"{op}.{name}"] = v
        for op, v in base.items():
            out["baseline"][f"{op}.{name}"] = v
        out[f"throughput.{name}"] = throughput(db, seconds)
        db.dispose()
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
