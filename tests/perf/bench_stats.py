"""Statistics benchmark: a month's figures over 1,000,000 tickets on SQLite.

    python tests/perf/bench_stats.py [--json] [--tickets N] [--scenario month|history|both] [--runs R]

Seeds a SQLite database (the demo centre's services and windows) with
``--tickets`` tickets by bulk inserts (``executemany`` of raw SQL in batches
of 20,000), then times ``hall.services.stats.compute`` for November 2026 next
to the same aggregates written by hand in bare SQL through the ``sqlite3``
driver (same statements the service builds: one pass of conditional counts,
counts per service, per window with busy/open per day, per hour, and the
three durations with mean/p50/p90 overall and per service by ROW_NUMBER()).

Scenarios:

``month``    every ticket falls in November 2026 (about 33,000 a day: the
             worst case, every row of the table is in the period);
``history``  the tickets are spread over four years ending in November 2026
             (about 700 a day: a long-running hall; the month is ~1/48 of the
             table and is found through the business-day index).

Each timing is the median of ``--runs`` runs after one warm-up run, before
and after ``ANALYZE`` (the application never runs it itself). Prints one JSON
object. Not part of the normal test run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from hall.domain.clock import HALL_TZ, UTC, FixedClock  # noqa: E402
from hall.services import stats  # noqa: E402
from hall.services.base import system_actor  # noqa: E402
from hall.services.demo import install_demo  # noqa: E402
from hall.store.db import Database  # noqa: E402

MONTH = stats.Period.month(2026, 11)
BATCH = 20_000
FMT = "%Y-%m-%d %H:%M:%S.%f"
COLUMNS = ("id", "service_id", "business_day", "seq", "number", "status", "priority_reason",
           "priority_weight", "queue_key", "issued_at", "called_at", "started_at", "finished_at",
           "window_id", "outcome", "recall_count", "transferred_from_id", "transferred_to_id", "note")
INSERT = f"insert into tickets ({', '.join(COLUMNS)}) values ({', '.join('?' * len(COLUMNS))})"


# ------------------------------------------------------------------ seeding
def seed(path: Path, tickets: int, first_day: dt.date, days: int) -> dict:
    """``tickets`` tickets over ``days`` days from ``first_day``: 5% no-shows,
    2% of visits transferred (a second, linked ticket), 1% cancelled."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    services = conn.execute("select id, prefix from services where active = 1").fetchall()
    serving = {}
    for sid, wid in conn.execute("select service_id, window_id from window_services"):
        serving.setdefault(sid, []).append(wid)
    services = [(sid, prefix) for sid, prefix in services if sid in serving]
    rng = random.Random(20261123)
    per_day = tickets / days
    next_id, made, batch = 1, 0, []
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    for d in range(days):
        day = first_day + dt.timedelta(days=d)
        want = int(per_day * (d + 1)) - int(per_day * d)
        seqs: dict[int, int] = {}
        opening = dt.datetime.combine(day, dt.time(8, 30), tzinfo=HALL_TZ).astimezone(UTC).replace(tzinfo=None)
        day_made = 0
        for i in range(want):
            if day_made >= want:
                break
            sid, prefix = services[rng.randrange(len(services))]
            seqs[sid] = seqs.get(sid, 0) + 1
            issued = opening + dt.timedelta(seconds=int(i * 32400 / max(want, 1)))
            called = issued + dt.timedelta(seconds=rng.randint(30, 3600))
            started = called + dt.timedelta(seconds=rng.randint(20, 180))
            finished = started + dt.timedelta(seconds=rng.randint(120, 2400))
            win = rng.choice(serving[sid])
            r = rng.random()
            row = [next_id, sid, day.isoformat(), seqs[sid], f"{prefix}{seqs[sid]:03d}", "finished", None, 0,
                   int(issued.replace(tzinfo=UTC).timestamp()), issued.strftime(FMT), called.strftime(FMT),
                   started.strftime(FMT), finished.strftime(FMT), win, "resolved", 0, None, None, ""]
            if r < 0.05:
                row[5], row[11], row[14] = "no_show", None, None
                row[12] = (called + dt.timedelta(minutes=2)).strftime(FMT)
            elif r < 0.06:
                row[5], row[10], row[11], row[12], row[13], row[14] = "cancelled", None, None, \
                    (issued + dt.timedelta(minutes=10)).strftime(FMT), None, None
            elif r < 0.08 and day_made + 1 < want:
                # transferred after service; the second leg waits in the other queue
                sid2, prefix2 = services[rng.randrange(len(services))]
                seqs[sid2] = seqs.get(sid2, 0) + 1
                row[5], row[14], row[17] = "transferred", None, next_id + 1
                called2 = finished + dt.timedelta(seconds=rng.randint(60, 1800))
                started2 = called2 + dt.timedelta(seconds=rng.randint(20, 180))
                batch.append(row)
                next_id += 1
                made += 1
                day_made += 1
                row = [next_id, sid2, day.isoformat(), seqs[sid2], f"{prefix2}{seqs[sid2]:03d}", "finished", None,
                       0, int(issued.replace(tzinfo=UTC).timestamp()), finished.strftime(FMT),
                       called2.strftime(FMT), started2.strftime(FMT),
                       (started2 + dt.timedelta(seconds=rng.randint(120, 1800))).strftime(FMT),
                       rng.choice(serving[sid2]), "resolved", 0, next_id - 1, None, ""]
            batch.append(row)
            next_id += 1
            made += 1
            day_made += 1
            if len(batch) >= BATCH:
                conn.executemany(INSERT, batch)
                batch.clear()
    if batch:
        conn.executemany(INSERT, batch)
    conn.execute("COMMIT")
    conn.close()
    return {"tickets": made, "seconds": round(time.perf_counter() - t0, 1)}


# --------------------------------------------------------------- bare SQL
def _minutes(a: str, b: str) -> str:
    return f"(julianday({b}) - julianday({a})) * 1440.0"


BASE = "business_day >= ? and business_day < ?"
MEASURES = {
    "waiting": (_minutes("issued_at", "called_at"), "called_at is not null"),
    "walking": (_minutes("called_at", "started_at"), "called_at is not null and started_at is not null"),
    "service_time": (_minutes("started_at", "finished_at"), "started_at is not null and finished_at is not null"),
}
COUNTS = ("count(*), count(case when transferred_from_id is null then 1 end), "
          "count(case when called_at is not null then 1 end), count(case when status || '' = 'finished' then 1 end), "
          "count(case when status || '' = 'no_show' then 1 end), "
          "count(case when transferred_from_id is null and transferred_to_id is not null then 1 end), "
          "count(case when status = 'cancelled' then 1 end)")


def _percentiles(group: str, value: str, where: str) -> str:
    lo = "cast({p} as integer)"
    hi = "cast({p} as integer) + ({p} > cast({p} as integer))"
    l5, h5, l9, h9 = (x.format(p=p) for p in ("pos50", "pos90") for x in (lo, hi))
    return f"""
        with v as (select {group} as g, {value} as v from tickets where {BASE} and {where}),
        s as (select g, count(*) as n, avg(v) as mean, 1 + 0.5 * (count(*) - 1) as pos50,
                     1 + 0.9 * (count(*) - 1) as pos90 from v group by g),
        r as (select g, v, row_number() over (partition by g order by v) as rn from v),
        p as (select s.g, n, mean, pos50, pos90,
                     max(case when rn = {l5} then r.v end) as lo5, max(case when rn = {h5} then r.v end) as hi5,
                     max(case when rn = {l9} then r.v end) as lo9, max(case when rn = {h9} then r.v end) as hi9
              from r join s on s.g = r.g
              where rn = {l5} or rn = {h5} or rn = {l9} or rn = {h9}
              group by s.g, n, mean, pos50, pos90)
        select g, n, mean, lo5 + (pos50 - cast(pos50 as integer)) * (hi5 - lo5),
               lo9 + (pos90 - cast(pos90 as integer)) * (hi9 - lo9) from p"""


def bare_month(conn: sqlite3.Connection, period: stats.Period) -> dict:
    args = (period.start.isoformat(), period.end.isoformat())
    out = {"totals": conn.execute(f"select {COUNTS} from tickets where {BASE}", args).fetchone()}
    out["by_service"] = conn.execute(
        f"select s.code, {COUNTS.replace('count(*)', 'count(t.id)')}, "
        f"count(case when transferred_from_id is not null then 1 end) "
        f"from tickets t join services s on s.id = t.service_id where {BASE} group by s.id order by s.sort_order",
        args).fetchall()
    for key, (value, where) in MEASURES.items():
        out[key] = conn.execute(_percentiles("0", value, where), args).fetchall()
        out[key + "_by_service"] = conn.execute(_percentiles("service_id", value, where), args).fetchall()
    svc = MEASURES["service_time"]
    out["by_window"] = conn.execute(
        f"select w.code, count(case when called_at is not null then 1 end), "
        f"count(case when status = 'finished' then 1 end), count(case when status = 'no_show' then 1 end), "
        f"avg(case when {svc[1]} then {svc[0]} end) from tickets t join windows w on w.id = t.window_id "
        f"where {BASE} group by w.id order by w.number", args).fetchall()
    out["idle"] = conn.execute(
        f"select w.code, count(*), sum(open), sum(busy) from ("
        f"  select window_id, date(called_at, '+8 hours') as d, "
        f"         {_minutes('min(called_at)', 'max(finished_at)')} as open, "
        f"         sum({_minutes('called_at', 'finished_at')}) as busy "
        f"  from tickets where {BASE} and window_id is not null and called_at is not null "
        f"  and finished_at is not null group by window_id, d) x "
        f"join windows w on w.id = x.window_id group by w.code", args).fetchall()
    out["by_hour"] = conn.execute(
        f"select cast(strftime('%H', issued_at, '+8 hours') as integer) as h, count(*) from tickets "
        f"where {BASE} and transferred_from_id is null group by h order by h", args).fetchall()
    return out


# ------------------------------------------------------------------ timing
def timed(fn, runs: int) -> tuple[float, object]:
    result = fn()  # warm-up (and the result, to check)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return round(statistics.median(samples) * 1000, 1), result


def run_scenario(name: str, tickets: int, runs: int) -> dict:
    if name == "month":
        first, days = MONTH.start, MONTH.days
    else:
        first, days = MONTH.end - dt.timedelta(days=4 * 365), 4 * 365
    tmp = Path(tempfile.mkdtemp(prefix="hall-bench-stats-"))
    path = tmp / "hall.db"
    clock = FixedClock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=HALL_TZ).astimezone(UTC))
    db = Database(f"sqlite:///{path}", clock=clock)
    db.upgrade()
    actor = system_actor()
    install_demo(db, actor, history=False)
    seeded = seed(path, tickets, first, days)
    conn = sqlite3.connect(path)
    in_month = conn.execute("select count(*) from tickets where business_day >= ? and business_day < ?",
                            (MONTH.start.isoformat(), MONTH.end.isoformat())).fetchone()[0]
    out = {"tickets": seeded["tickets"], "tickets_in_month": in_month, "seed_s": seeded["seconds"],
           "db_mb": round(path.stat().st_size / 2**20, 1)}
    for phase in ("no_analyze", "analyzed"):
        if phase == "analyzed":
            conn.execute("ANALYZE")
            conn.commit()
        ms, report = timed(lambda: stats.compute(db, actor, MONTH), runs)
        bare_ms, bare = timed(lambda: bare_month(conn, MONTH), runs)
        rec_ms, recs = timed(lambda: stats.records_for(db, actor, "queue.no_show", MONTH, service="labour"), runs)
        q = report["queue"]
        # the service and the bare SQL agree
        assert q["tickets"] == bare["totals"][0] and q["visits"] == bare["totals"][1]
        assert q["waiting"]["n"] == bare["waiting"][0][1]
        assert abs(q["waiting"]["p90"] - bare["waiting"][0][4]) < 0.01
        out[phase] = {"compute_ms": ms, "bare_sql_ms": bare_ms, "overhead_ms": round(ms - bare_ms, 1),
                      "records_for_ms": rec_ms, "records": len(recs)}
    out["sample"] = {"visits": q["visits"], "waiting": q["waiting"], "service_time": q["service_time"],
                     "transfer_rate": q["transfer_rate"], "no_show_rate": q["no_show_rate"]}
    conn.close()
    db.dispose()
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON object (the default output anyway)")
    ap.add_argument("--tickets", type=int, default=1_000_000)
    ap.add_argument("--scenario", choices=["month", "history", "both"], default="both")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    scenarios = ["month", "history"] if args.scenario == "both" else [args.scenario]
    result = {"backend": "sqlite", "sqlite_version": sqlite3.sqlite_version, "period": MONTH.label,
              "runs": args.runs}
    for name in scenarios:
        result[name] = run_scenario(name, args.tickets, args.runs)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
