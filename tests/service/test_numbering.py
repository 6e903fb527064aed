"""The one allocator of case, receipt, petition and whistle numbers."""

import json
import multiprocessing as mp
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from hall.services.base import Busy, unit_of_work
from hall.services.numbering import MEDIATION_CASE, next_number, raise_number
from hall.store.arbitration_models import NumberCounter
from hall.store.case_models import CaseCounter
from hall.store.db import Database


def _next(db, kind, year, **kw):
    with unit_of_work(db, None) as uow:
        return next_number(uow, kind, year, **kw)


def test_each_kind_and_year_counts_on_its_own(db):
    assert [_next(db, "petition", 2026) for _ in range(3)] == [1, 2, 3]
    assert _next(db, "petition", 2027) == 1
    assert _next(db, "arbitration.case", 2026) == 1
    assert [_next(db, MEDIATION_CASE, 2026) for _ in range(2)] == [1, 2]
    with db.read() as s:
        assert s.execute(select(CaseCounter.year, CaseCounter.last_seq)).all() == [(2026, 2)]
        rows = s.execute(select(NumberCounter.kind, NumberCounter.year, NumberCounter.last_seq)
                         .order_by(NumberCounter.kind, NumberCounter.year)).all()
    assert rows == [("arbitration.case", 2026, 1), ("petition", 2026, 3), ("petition", 2027, 1)]


def test_first_applies_only_to_a_year_without_a_counter(db):
    assert _next(db, "whistle", 2026, first=8) == 8
    assert _next(db, "whistle", 2026, first=3) == 9


def test_numbers_taken_over_raise_the_counter_never_lower_it(db):
    with unit_of_work(db, None) as uow:
        assert raise_number(uow, MEDIATION_CASE, 2025, 40) == 40
        assert raise_number(uow, MEDIATION_CASE, 2025, 12) == 40
        assert raise_number(uow, "petition", 2025, 5) == 5
    assert _next(db, MEDIATION_CASE, 2025) == 41
    assert _next(db, "petition", 2025) == 6


def allocate(url: str, kind: str, count: int, out: str, go) -> None:
    """Wait for the starting gun, then take ``count`` numbers one transaction each."""
    db = Database(url)
    db.ping()
    go.wait(30)
    got: list[int] = []
    busy = 0
    for _ in range(count):
        while True:
            try:
                got.append(_next(db, kind, 2026))
                break
            except Busy:
                busy += 1
                time.sleep(0.01)
    Path(out).write_text(json.dumps({"got": got, "busy": busy}))
    db.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("kind", [MEDIATION_CASE, "petition"])
def test_processes_numbering_at_the_same_instant_never_share_a_number(db, tmp_path, kind):
    ctx = mp.get_context("spawn")
    go = ctx.Event()
    outs = [tmp_path / f"n{i}.json" for i in range(3)]
    procs = [ctx.Process(target=allocate, args=(db.url, kind, 15, str(o), go)) for o in outs]
    for p in procs:
        p.start()
    time.sleep(1.5)  # all connected and waiting at the gun
    go.set()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    got = [n for o in outs for n in json.loads(o.read_text())["got"]]
    assert sorted(got) == list(range(1, 46))
