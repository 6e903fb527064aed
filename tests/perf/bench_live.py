"""Idle workstations on PostgreSQL: what the server sees from their live feeds.

N workstations (each its own ``Database`` and :class:`ui.common.live.EventFeed`, all
in this process, each with its own listening connection) stay idle for a
while; counted are the statements their engines send (a hook on each
engine) and the transactions the server records for the database
(``pg_stat_database.xact_commit + xact_rollback``, read from another
database after the statistics are flushed). Then the same with the feeds
polling, for comparison.

    python tests/perf/bench_live.py --json [--workstations 60 --seconds 10]

Starts a private PostgreSQL unless ``HALL_TEST_PG_URL`` is set.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _server_xacts(url: str) -> int:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    with psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                         dbname="postgres", autocommit=True) as conn:
        return conn.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                            "WHERE datname = %s", (u.database,)).fetchone()[0]


def _listeners(url: str) -> int:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    with psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                         dbname="postgres", autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                            "AND query LIKE 'LISTEN%%'", (u.database,)).fetchone()[0]


def run(url: str, n: int, seconds: float, listen: bool) -> dict:
    from sqlalchemy import event as sa_event

    from hall.store.db import Database
    from ui.common.live import EventFeed
    from ui.common.ops import wait_all
    from ui.qt import QApplication

    app = QApplication.instance() or QApplication([])
    statements = [0]
    dbs, feeds = [], []
    for _ in range(n):
        d = Database(url)
        sa_event.listen(d.engine, "before_cursor_execute",
                        lambda *a: statements.__setitem__(0, statements[0] + 1))
        f = EventFeed(d, interval_ms=300, listen=listen)
        dbs.append(d)
        feeds.append(f)
    for f in feeds:
        f.start()

    def pump(sec: float, until=None) -> bool:
        end = time.time() + sec
        while time.time() < end:
            app.processEvents()
            if until is not None and until():
                return True
            time.sleep(0.005)
        return until is None

    if listen:
        ok = pump(60, lambda: all(f.mode_name == "listening" for f in feeds))
        assert ok, "not every feed is listening"
    pump(1.0)
    listening = _listeners(url)
    time.sleep(11)             # idle backends flush their statistics within 10 s
    before_srv, before_cli = _server_xacts(url), statements[0]
    pump(seconds)
    time.sleep(11)
    after_srv, after_cli = _server_xacts(url), statements[0]
    for f in feeds:
        f.stop()
    wait_all()
    for d in dbs:
        d.dispose()
    return {"workstations": n, "seconds": seconds, "feed": "listening" if listen else "polling",
            "listening_connections": listening,
            "client_statements": after_cli - before_cli,
            "server_transactions": after_srv - before_srv,
            "per_second": round((after_cli - before_cli) / seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--workstations", type=int, default=60)
    ap.add_argument("--seconds", type=float, default=10.0)
    args = ap.parse_args(argv)
    from tests.conftest import drop_pg, new_pg_url

    out = {"benchmark": "idle_workstations_postgresql", "results": {}}
    for listen in (True, False):
        url = new_pg_url()
        try:
            out["results"]["listening" if listen else "polling"] = run(
                url, args.workstations, args.seconds, listen)
        finally:
            drop_pg(url)
    if args.json:
        print(json.dumps(out))
    else:
        for k, r in out["results"].items():
            print(f"{k}: {r}")
    ok = out["results"]["listening"]["client_statements"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
