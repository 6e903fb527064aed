"""Monthly report benchmark: November's report from the demo history.

    python tests/perf/bench_report.py [--json] [--runs R] [--ratings N]

Builds the demo centre with its history (a month of past visits: the clock
is set to 2026-12-01, so the history fills November) on a temporary SQLite
file, rates ``--ratings`` of the visits (a share of them 1 or 2 stars, so the
low-ratings table has rows), then times

* ``gather``: ``hall.services.monthly.monthly_data`` (the statistics, the
  waiting time by hour, visits by day, deadlines at risk, low ratings);
* ``pdf`` and ``xlsx``: ``hall.services.monthly.render_monthly`` end to end
  (gathering included), the figure a director waits for.

Each timing is the median of ``--runs`` runs after one warm-up run (which
also loads the fonts). The aim is under 3 seconds for each format. With
``--json`` prints one JSON object. Not part of the normal test run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from hall.domain.clock import HALL_TZ, UTC, FixedClock  # noqa: E402
from hall.services import monthly, satisfaction, system_actor  # noqa: E402
from hall.services.demo import install_demo  # noqa: E402
from hall.store.db import Database  # noqa: E402
from hall.store.models import Ticket  # noqa: E402

YEAR, MONTH = 2026, 11
AIM_SECONDS = 3.0


def build(folder: Path, ratings: int) -> tuple[Database, int]:
    clock = FixedClock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=HALL_TZ).astimezone(UTC))
    db = Database(f"sqlite:///{folder / 'hall.db'}", clock=clock)
    db.upgrade()
    actor = system_actor("bench")
    made = install_demo(db, actor, history=True)["history_tickets"]
    with db.read() as s:
        finished = s.execute(select(Ticket.id, Ticket.finished_at).where(Ticket.status == "finished")).all()
    rng = random.Random(7)
    now = clock.now()
    for ticket_id, finished_at in sorted(rng.sample(finished, min(ratings, len(finished))), key=lambda r: r[1]):
        clock.at = finished_at.replace(tzinfo=UTC) + dt.timedelta(minutes=1)   # rated as the visitor leaves
        stars = rng.choices([1, 2, 3, 4, 5], [3, 5, 10, 30, 52])[0]
        tags = ["wait_long", "unclear"] if stars <= 2 else ["efficient"]
        satisfaction.rate_by_code(db, satisfaction.rating_code(db, ticket_id), stars, tags,
                                  "等候时间较长" if stars <= 2 else "")
    clock.at = now
    return db, made


def timed(fn, runs: int) -> tuple[float, object]:
    result = fn()   # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--ratings", type=int, default=300)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db, tickets = build(Path(tmp), args.ratings)
        actor = system_actor("bench")
        gather, data = timed(lambda: monthly.monthly_data(db, actor, YEAR, MONTH), args.runs)
        pdf_s, pdf = timed(lambda: monthly.render_monthly(db, actor, YEAR, MONTH, "pdf"), args.runs)
        xlsx_s, xlsx = timed(lambda: monthly.render_monthly(db, actor, YEAR, MONTH, "xlsx"), args.runs)
        db.dispose()
    result = {
        "month": f"{YEAR}-{MONTH:02d}", "history_tickets": tickets, "month_tickets": data.queue.tickets,
        "ratings": data.satisfaction.count, "low_ratings": len(data.low_ratings), "runs": args.runs,
        "gather_s": round(gather, 3), "pdf_s": round(pdf_s, 3), "xlsx_s": round(xlsx_s, 3),
        "pdf_bytes": len(pdf), "xlsx_bytes": len(xlsx), "aim_s": AIM_SECONDS,
        "within_aim": pdf_s < AIM_SECONDS and xlsx_s < AIM_SECONDS,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:>16}: {value}")
    return 0 if result["within_aim"] else 1


if __name__ == "__main__":
    sys.exit(main())
