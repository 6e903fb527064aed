"""Where the two hottest queue actions spend their time (cProfile, SQLite).

    python tests/perf/profile_queue.py [--rounds 100] [--top 25] [--pg]

The demo centre with 200 waiting tickets, then ``rounds`` × ``issue_ticket``
and ``rounds`` × ``call_next`` + ``finish``, each group under its own
profile. Prints, per group: the own time by where it is spent (SQLAlchemy,
the driver's commit, hall code, the rest), the cumulative time of the hall
functions on the path, and the number of statements sent per action.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from hall.services import queue  # noqa: E402
from hall.services.base import system_actor  # noqa: E402
from hall.services.demo import install_demo  # noqa: E402
from hall.store.db import Database  # noqa: E402

SERVICES = ["labour", "general", "petition", "housing", "mediation"]


def bucket(filename: str, func: str) -> str:
    if "sqlalchemy" in filename:
        return "SQLAlchemy"
    if func in ("<method 'commit' of 'sqlite3.Connection' objects>",) or (
            "psycopg" in filename and func == "commit") or "commit" in func and "sqlite3" in func:
        return "driver commit"
    if f"{os.sep}hall{os.sep}" in filename:
        return "hall code"
    return "rest"


def report(prof: cProfile.Profile, label: str, rounds: int, statements: int, top: int) -> None:
    st = pstats.Stats(prof)
    total = sum(v[2] for v in st.stats.values())  # type: ignore[attr-defined]
    shares: dict[str, float] = {}
    for (filename, _line, func), (_cc, _nc, tt, _ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
        shares[bucket(filename, func)] = shares.get(bucket(filename, func), 0.0) + tt
    print(f"\n== {label}: {rounds} rounds, {total / rounds * 1000:.2f} ms per round under the profiler, "
          f"{statements / rounds:.1f} statements per round")
    for k, v in sorted(shares.items(), key=lambda kv: -kv[1]):
        print(f"   {k:14s} {v / total * 100:5.1f} %")
    print("   hall functions (cumulative):")
    rows = []
    for (filename, line, func), (_cc, nc, _tt, ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
        if f"{os.sep}hall{os.sep}" in filename:
            rows.append((ct, nc, f"{Path(filename).name}:{line} {func}"))
    for ct, nc, name in sorted(rows, reverse=True)[:top]:
        print(f"   {ct / total * 100:5.1f} %  {nc:6d}  {name}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--pg", action="store_true", help="PostgreSQL at HALL_TEST_PG_URL (a fresh database)")
    args = ap.parse_args()
    if args.pg:
        sys.path.insert(0, str(ROOT / "tests" / "perf"))
        from bench import fresh_pg

        url = fresh_pg(os.environ["HALL_TEST_PG_URL"])
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'profile.db'}"
    db = Database(url)
    db.upgrade()
    actor = system_actor()
    install_demo(db, actor, history=False)
    for i in range(200):
        queue.issue_ticket(db, actor, SERVICES[i % len(SERVICES)])
    queue.open_window(db, actor, "w03")
    count = [0]
    event.listen(db.engine, "before_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1))

    count[0] = 0
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for i in range(args.rounds):
        queue.issue_ticket(db, actor, SERVICES[i % len(SERVICES)])
    prof.disable()
    wall = time.perf_counter() - t0
    report(prof, f"issue_ticket ({wall / args.rounds * 1000:.2f} ms wall)", args.rounds, count[0], args.top)

    count[0] = 0
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for _ in range(args.rounds):
        t = queue.call_next(db, actor, "w03")
        assert t is not None
        queue.finish(db, actor, t.id)
    prof.disable()
    wall = time.perf_counter() - t0
    report(prof, f"call_next + finish ({wall / args.rounds * 1000:.2f} ms wall)", args.rounds, count[0], args.top)
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
