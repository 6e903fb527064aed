"""Importing grid events (吹哨报到 intake) in bulk.

    python tests/perf/bench_whistle.py [--events N] [--format json|csv|xlsx] [--json]

Writes an export of ``--events`` grid events (10,000 by default) in the
chosen format, imports it into a fresh SQLite database with the demo centre
(``whistle_intake.import_file``: read, check every record, one transaction),
then imports it again (every record already there). Aim: the first import
under 10 s. Prints one JSON object (or a line of text).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hall.services import whistle_intake as intake  # noqa: E402
from hall.services.base import system_actor  # noqa: E402
from hall.services.demo import install_demo  # noqa: E402
from hall.store.db import Database  # noqa: E402
from tests.whistle_setup import grid_records  # noqa: E402


def write(rows: list[dict], fmt: str, path: Path) -> None:
    if fmt == "json":
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    elif fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    else:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        sh = wb.create_sheet()
        sh.append(list(rows[0]))
        for r in rows:
            sh.append(list(r.values()))
        wb.save(path)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        db.upgrade()
        actor = system_actor("bench")
        install_demo(db, actor, history=False)
        path = Path(tmp) / f"grid.{args.format}"
        write(grid_records(args.events), args.format, path)
        t0 = time.perf_counter()
        first = intake.import_file(db, actor, "grid", path)
        t1 = time.perf_counter()
        again = intake.import_file(db, actor, "grid", path)
        t2 = time.perf_counter()
        db.dispose()
    out = {"events": args.events, "format": args.format, "first_import_s": round(t1 - t0, 2),
           "added": first.added, "second_import_s": round(t2 - t1, 2), "already": again.already,
           "aim_s": 10, "ok": (t1 - t0) < 10}
    print(json.dumps(out, ensure_ascii=False) if args.json else
          f"{args.events} {args.format} events: first import {out['first_import_s']} s "
          f"(added {first.added}), again {out['second_import_s']} s (already {again.already})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
