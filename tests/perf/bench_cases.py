"""Case search and case opening over a large mediation register.

    python tests/perf/bench_cases.py [--cases N] [--queries N] [--json]

Seeds SQLite with ``--cases`` cases (1,000,000 by default), two parties each,
by bulk INSERTs of raw SQL in batches, then times ``cases.search_cases`` by
name, pinyin initials, ID number and phone (p50/p95 over ``--queries``
queries of each kind; the aim is p95 < 100 ms), and opening one case that
has 200 timeline entries: ``cases.case_detail`` and the mediator workspace's
case view filled (offscreen Qt). Prints one JSON object.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hall.domain.clock import HALL_TZ, UTC, FixedClock  # noqa: E402
from hall.domain.search import pinyin_full, pinyin_initials  # noqa: E402
from hall.services import cases  # noqa: E402
from hall.services.base import system_actor  # noqa: E402
from hall.services.demo import install_demo  # noqa: E402
from hall.store.db import Database  # noqa: E402

BATCH = 20_000
FMT = "%Y-%m-%d %H:%M:%S.%f"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力鹏飞宇浩然子涵梓轩一诺欣怡佳琪思远志强海燕春梅晓东国庆立新永生德胜"
CASE_COLUMNS = ("id", "number", "year", "seq", "category", "subcategory", "source", "risk", "police_flag",
                "police_note", "police_flagged_at", "facts", "claims", "state", "state_reason", "transfer_target",
                "ticket_id", "registered_by", "mediator_id", "imported_from", "created_at", "updated_at",
                "accepted_at", "closed_at")
PARTY_COLUMNS = ("id", "case_id", "position", "side", "kind", "name", "name_initials", "name_pinyin", "sex",
                 "ethnicity", "birth_date", "id_number", "credit_code", "occupation", "address", "phone",
                 "legal_rep", "legal_rep_title", "visitor_id", "active")
TIMELINE_COLUMNS = ("case_id", "at", "kind", "text", "actor_id", "actor_name")


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})"


def _id_number(rng: random.Random) -> str:
    body = f"{rng.choice((110101, 310104, 420102, 440305, 510107))}" \
           f"{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


# ------------------------------------------------------------------ seeding
def seed(path: Path, n: int, mediator_id: int) -> dict:
    """``n`` cases over 2020–2026, each with an applicant and a respondent."""
    rng = random.Random(20261123)
    names = [s + g for s in SURNAMES for g in GIVEN] + [s + a + b for s in SURNAMES[:40]
                                                        for a in GIVEN[:30] for b in GIVEN[30:60]]
    keys = {nm: (pinyin_initials(nm)[:32], pinyin_full(nm)[:128]) for nm in names}
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")   # 256 MiB
    # The party search indexes are built once after the rows are in (a sort),
    # not kept up to date row by row: the same indexes, made much faster.
    indexes = conn.execute("select name, sql from sqlite_master where type = 'index' and tbl_name = 'case_parties' "
                           "and sql is not null").fetchall()
    for name, _sql in indexes:
        conn.execute(f"drop index {name}")
    ins_case, ins_party = _insert("cases", CASE_COLUMNS), _insert("case_parties", PARTY_COLUMNS)
    first_case = (conn.execute("select coalesce(max(id), 0) from cases").fetchone()[0] or 0) + 1
    first_party = (conn.execute("select coalesce(max(id), 0) from case_parties").fetchone()[0] or 0) + 1
    per_year = n // 7 + 1
    t0 = time.perf_counter()
    case_rows, party_rows = [], []
    samples = {"name": [], "initials": [], "id_number": [], "phone": []}
    pid = first_party
    conn.execute("BEGIN")
    for i in range(n):
        cid = first_case + i
        year = 2020 + i // per_year
        seq = i % per_year + 100_000   # clear of the demo's own numbers
        created = dt.datetime(year, 1, 1, 1, 0) + dt.timedelta(minutes=(i % per_year) * 525_000 // per_year)
        ts = created.strftime(FMT)
        state = "closed" if year < 2026 else rng.choice(("registered", "accepted", "mediating", "closed"))
        case_rows.append((cid, f"（{year}）东人调字第{seq}号", year, seq, "labour", None, "application", "low", 0, "",
                          None, "拖欠工资", "支付工资", state, "", "", None, None, mediator_id, "bench", ts, ts,
                          ts, ts if state == "closed" else None))
        for pos, side in enumerate(("applicant", "respondent")):
            nm = names[rng.randrange(len(names))]
            idn = _id_number(rng)
            phone = f"1{rng.choice((3, 5, 7, 8, 9))}{rng.randint(0, 999_999_999):09d}"
            party_rows.append((pid, cid, pos, side, "person", nm, keys[nm][0], keys[nm][1], None, None, None,
                               idn, None, None, "", phone, None, None, None, 1))
            pid += 1
            if i == 0 or rng.random() < 0.0005:
                samples["name"].append(nm)
                samples["initials"].append(keys[nm][0])
                samples["id_number"].append(idn)
                samples["phone"].append(phone)
        if len(case_rows) >= BATCH:   # a transaction per batch keeps the WAL short
            conn.executemany(ins_case, case_rows)
            conn.executemany(ins_party, party_rows)
            conn.execute("COMMIT")
            conn.execute("BEGIN")
            case_rows.clear()
            party_rows.clear()
    if case_rows:
        conn.executemany(ins_case, case_rows)
        conn.executemany(ins_party, party_rows)
    conn.execute("COMMIT")
    t1 = time.perf_counter()
    for _name, sql in indexes:
        conn.execute(sql)
    conn.commit()
    index_s = time.perf_counter() - t1
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    return {"cases": n, "parties": pid - first_party, "seed_s": round(time.perf_counter() - t0, 1),
            "index_build_s": round(index_s, 1),
            "samples": samples}


def add_timeline(path: Path, case_id: int, entries: int, actor_id: int) -> None:
    conn = sqlite3.connect(path)
    start = dt.datetime(2026, 11, 2, 1, 0)
    conn.executemany(_insert("case_timeline", TIMELINE_COLUMNS),
                     [(case_id, (start + dt.timedelta(minutes=37 * k)).strftime(FMT), "note",
                       f"第{k + 1}次工作记录：电话联系当事人，告知调解安排。", actor_id, "周国平")
                      for k in range(entries)])
    conn.commit()
    conn.close()


# ------------------------------------------------------------------ timing
def pct(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 2),
            "p95_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.95))], 2), "max_ms": round(ms[-1], 2)}


def timed(fn, args: list) -> tuple[dict, int]:
    out, hits = [], 0
    for a in args:
        t = time.perf_counter()
        page = fn(a)
        out.append((time.perf_counter() - t) * 1000)
        hits += bool(page.rows)
    return pct(out), hits


def open_in_workspace(db: Database, case_id: int, runs: int) -> dict:
    """Time the workspace's case view being filled from a read CaseDetail."""
    from tests.conftest import staff_actor
    from ui.common import ops
    from ui.common.context import AppContext, Workstation
    from ui.common.live import EventFeed
    from ui.mediation.workspace import MediatorWorkspace
    from ui.qt import QApplication

    app = QApplication.instance() or QApplication([])
    actor = staff_actor(db, "tiaojie", "bench")
    feed = EventFeed(db, interval_ms=1000)
    ws = MediatorWorkspace(AppContext(db, actor, feed, Workstation(room_code="r_gold")))
    ws.resize(1400, 860)
    ws.show()
    app.processEvents()
    ws.case_id = case_id
    fill, whole = [], []
    try:
        for _ in range(runs):
            t = time.perf_counter()
            detail = cases.case_detail(db, actor, case_id)
            t1 = time.perf_counter()
            ws._show_detail(detail)
            app.processEvents()
            t2 = time.perf_counter()
            fill.append((t2 - t1) * 1000)
            whole.append((t2 - t) * 1000)
        rows = ws.timeline.model.rowCount()
    finally:
        ws.shutdown()
        ops.wait_all()
        ws.close()
        ws.deleteLater()
        app.processEvents()
    return {"view_fill": pct(fill), "read_and_fill": pct(whole), "timeline_rows": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON object (the default output anyway)")
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--no-ui", action="store_true", help="skip the workspace timing")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="hall-bench-cases-"))
    path = tmp / "hall.db"
    clock = FixedClock(dt.datetime(2026, 11, 23, 9, 0, tzinfo=HALL_TZ).astimezone(UTC))
    db = Database(f"sqlite:///{path}", clock=clock)
    db.upgrade()
    install_demo(db, system_actor(), history=False)
    from tests.conftest import staff_actor

    med = staff_actor(db, "tiaojie", "bench")
    seeded = seed(path, args.cases, med.user_id)
    samples = seeded.pop("samples")
    result: dict = {"backend": "sqlite", "sqlite_version": sqlite3.sqlite_version, **seeded,
                    "db_mb": round(sum(p.stat().st_size for p in tmp.glob("hall.db*")) / 2**20, 1)}

    rng = random.Random(7)
    search = {}
    for kind, values in samples.items():
        picks = [values[rng.randrange(len(values))] for _ in range(args.queries)] if values else []
        stats, hits = timed(lambda q: cases.search_cases(db, med, q, limit=50), picks)
        search[kind] = {**stats, "with_results": hits}
    result["search"] = search
    result["search_p95_under_100ms"] = all(v["p95_ms"] < 100 for v in search.values())

    conn = sqlite3.connect(path)
    case_id = conn.execute("select max(id) from cases").fetchone()[0]
    conn.close()
    add_timeline(path, case_id, 200, med.user_id)
    detail_ms = []
    for _ in range(args.runs):
        t = time.perf_counter()
        detail = cases.case_detail(db, med, case_id)
        detail_ms.append((time.perf_counter() - t) * 1000)
    result["case_detail"] = {**pct(detail_ms), "timeline_entries": len(detail.timeline)}
    if not args.no_ui:
        result["workspace_open"] = open_in_workspace(db, case_id, max(5, args.runs // 2))
    db.dispose()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
