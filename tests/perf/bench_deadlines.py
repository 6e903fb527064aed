"""How long the arbitration clerk's deadlines board takes to open over 50,000 open cases.

Seeds a fresh SQLite hall with ``--cases`` arbitration cases (default
50,000), each with three open tracked periods (送达申请书副本, 组庭通知,
审理期限) whose start dates spread over the last ninety days, by bulk
inserts into ``tracked_deadlines``. Then it measures, each as the median
of ``--repeat`` runs:

* ``service_ms[filter]``: ``list_deadlines(when=filter, limit=201,
  explain=False)``, the board's first page;
* ``board_ms[filter]``: the same through :class:`ui.arbitration.board.DeadlineBoardModel`
  into a shown ``QTableView``, painted (what the clerk waits for);
* ``explain_ms``: the explanation of one selected row;
* ``deep_page_ms``: the page after 2,000 rows already scrolled through.

The target is 200 ms for the board's first page.

    python tests/perf/bench_deadlines.py            # a readable summary
    python tests/perf/bench_deadlines.py --json     # one JSON object

Not part of the normal test run (``tests/perf`` is excluded in pytest's options).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_MS = 200
FILTERS = ("today", "week", "overdue", "open")
RULES = (("labour.copy_to_respondent", 5), ("labour.tribunal_notice", 5), ("labour.award", 45))


def seed(db, cases: int, today: dt.date) -> int:
    from sqlalchemy import insert

    from hall.domain.clock import UTC
    from hall.store.models import TrackedDeadline

    now = dt.datetime.now(UTC)
    rows, n = [], 0
    with db.write() as s:
        for case in range(1, cases + 1):
            start = today - dt.timedelta(days=case % 90)
            number = f"劳人仲案字〔2026〕第{case}号"
            for code, days in RULES:
                rows.append(dict(rule_code=code, subject_type="arbitration", subject_id=case, case_number=number,
                                 label="", start_date=start, due_date=start + dt.timedelta(days=days),
                                 agreed_due=None, agreed_basis="", extensions=0, restarts=[], suspensions=[],
                                 met_on=None, active=True, created_at=now))
            if len(rows) >= 20_000:
                s.execute(insert(TrackedDeadline), rows)
                n += len(rows)
                rows = []
        if rows:
            s.execute(insert(TrackedDeadline), rows)
            n += len(rows)
    return n


def _ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


def run(cases: int, repeat: int) -> dict:
    from hall.domain.clock import HALL_TZ, UTC, FixedClock, local_day
    from hall.services import deadlines as dl
    from hall.store.db import Database
    from ui.arbitration.board import DeadlineBoardModel, board_fetch
    from ui.qt import QApplication, QTableView

    app = QApplication.instance() or QApplication([])
    clock = FixedClock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=HALL_TZ).astimezone(UTC))
    folder = tempfile.mkdtemp(prefix="bench-deadlines-")
    db = Database(f"sqlite:///{folder}/hall.db", clock=clock)
    db.upgrade()
    today = local_day(clock.now())
    t = time.perf_counter()
    seeded = seed(db, cases, today)
    seed_s = round(time.perf_counter() - t, 1)

    service = {w: _ms(lambda w=w: dl.list_deadlines(db, when=w, limit=201, explain=False), repeat)
               for w in FILTERS}

    model = DeadlineBoardModel(board_fetch(db), keep=lambda d: d.subject_type == "arbitration")
    view = QTableView()
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    app.processEvents()

    def board(w: str) -> None:
        model.reload(w, synchronous=True)
        view.viewport().repaint()
        app.processEvents()
    board_ms = {w: _ms(lambda w=w: board(w), repeat) for w in FILTERS}
    first_rows = {w: len(dl.list_deadlines(db, when=w, limit=201, explain=False)) for w in FILTERS}

    first = model.rows[0]
    explain_ms = _ms(lambda: dl.list_deadlines(db, when="all", subject=(first.subject_type, first.subject_id),
                                               explain=True), repeat)
    deep_ms = _ms(lambda: dl.list_deadlines(db, when="open", limit=2_201, explain=False)[2_000:], max(1, repeat // 2))
    view.close()
    db.dispose()
    worst = max(board_ms.values())
    return {"cases": cases, "open_deadlines": seeded, "seed_s": seed_s, "repeat": repeat,
            "service_ms": service, "board_ms": board_ms, "first_page_rows": first_rows,
            "explain_ms": explain_ms, "deep_page_ms": deep_ms, "target_ms": TARGET_MS,
            "ok": worst < TARGET_MS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = run(args.cases, args.repeat)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{result['open_deadlines']} open deadlines over {result['cases']} cases (seeded in {result['seed_s']} s)")
        for w in FILTERS:
            print(f"  {w:8s} service {result['service_ms'][w]:7.1f} ms   board {result['board_ms'][w]:7.1f} ms"
                  f"   ({result['first_page_rows'][w]} rows in the first page)")
        print(f"  explanation of one row {result['explain_ms']} ms; page after 2,000 rows {result['deep_page_ms']} ms")
        print(f"  target {TARGET_MS} ms: {'met' if result['ok'] else 'MISSED'}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
