"""Worker processes for the concurrency tests: each is a separate workstation.

Run by ``multiprocessing`` (spawn), so each has its own interpreter, engine
and connections, exactly like a second computer in the hall.
"""
from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path


def _actor(db, username):
    from sqlalchemy import select

    from hall.domain.roles import parse_roles
    from hall.services import Actor
    from hall.store.models import User

    with db.read() as s:
        u = s.execute(select(User).where(User.username == username)).scalar_one()
        return Actor(u.id, u.username, parse_roles(u.roles), f"pid-{os.getpid()}")


def _running(start: float, seconds: float, done: int, at_least: int) -> bool:
    """For ``seconds``, and on (up to ten times as long) until ``at_least`` are done:
    a loaded machine gets the same amount of work, only more slowly."""
    now = time.monotonic()
    return now < start + seconds or (done < at_least and now < start + 10 * seconds)


def front_desk(url: str, seconds: float, out: str, seed: int, at_least: int = 0) -> None:
    """Issue tickets of random services as fast as possible."""
    from hall.services import queue
    from hall.store.db import Database

    db = Database(url)
    actor = _actor(db, "qiantai")
    rng = random.Random(seed)
    issued, errors = [], []
    start = time.monotonic()
    while _running(start, seconds, len(issued), at_least):
        service = rng.choice(["labour", "general", "petition", "housing"])
        try:
            t = queue.issue_ticket(db, actor, service, priority=rng.choice([None, None, None, "elderly"]))
            issued.append({"id": t.id, "number": t.number, "service": t.service, "day": str(t.business_day)})
        except Exception as exc:  # recorded, the test fails on any
            errors.append(repr(exc))
    Path(out).write_text(json.dumps({"issued": issued, "errors": errors}))
    db.dispose()


def window(url: str, seconds: float, out: str, window_code: str, at_least: int = 0,
           serve_pause: float = 0.0) -> None:
    """Call, then finish or mark no-show, as fast as possible at one window
    (``serve_pause`` seconds between the call and the end of the visit; at
    least ``at_least`` calls however long it takes)."""
    from hall.services import queue
    from hall.store.db import Database

    db = Database(url)
    actor = _actor(db, "admin")
    claimed, errors = [], []
    start = time.monotonic()
    while _running(start, seconds, len(claimed), at_least):
        try:
            t = queue.call_next(db, actor, window_code)
            if t is None:
                continue
            claimed.append(t.id)
            time.sleep(serve_pause)
            if t.id % 5 == 0:
                queue.mark_no_show(db, actor, t.id)
            else:
                queue.finish(db, actor, t.id)
        except Exception as exc:
            errors.append(repr(exc))
    Path(out).write_text(json.dumps({"claimed": claimed, "errors": errors, "window": window_code}))
    db.dispose()


def issue_forever(url: str) -> None:
    """Issue and call until killed (the power-cut test kills it mid-transaction)."""
    from hall.services import queue
    from hall.store.db import Database

    db = Database(url)
    desk = _actor(db, "qiantai")
    admin = _actor(db, "admin")
    # A window whose previous workstation was killed mid-visit still holds
    # that visitor: settle it first, as the clerk would after a restart.
    for w in queue.queue_snapshot(db).windows:
        if w.code == "w03" and w.current is not None:
            queue.finish(db, admin, w.current.id)
    i = 0
    while True:
        i += 1
        queue.issue_ticket(db, desk, "labour" if i % 2 else "general", name="张三明")
        called = queue.call_next(db, admin, "w03")
        if called is not None:
            queue.finish(db, admin, called.id)


def issue_through_crashes(url: str, out: str, stop: str, seed: int) -> None:
    """A front desk that keeps issuing while the database server is killed and
    restarted: every ticket the service acknowledged (returned) is written to
    ``out`` at once, one JSON line; failures are counted, and it tries again
    after a short pause, as a clerk would. Ends when the file ``stop`` exists."""
    from hall.services import queue
    from hall.store.db import Database

    db = Database(url)
    actor = None
    while actor is None:  # a desk that starts late may find the server already down
        if os.path.exists(stop):
            return
        try:
            actor = _actor(db, "qiantai")
        except Exception:
            time.sleep(0.05)
    rng = random.Random(seed)
    failures: dict[str, int] = {}
    with open(out, "a", encoding="utf-8") as acks:
        while not os.path.exists(stop):
            service = rng.choice(["labour", "general", "petition", "housing"])
            try:
                t = queue.issue_ticket(db, actor, service)
            except Exception as exc:  # the server is down or recovering
                failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
                time.sleep(0.05)
                continue
            acks.write(json.dumps({"id": t.id, "number": t.number, "service": t.service,
                                   "day": str(t.business_day)}) + "\n")
            acks.flush()
    Path(out + ".failures").write_text(json.dumps(failures))


def holder(url: str, seconds: float, out: str, seed: int) -> None:
    """Put waiting tickets on hold and back, as fast as possible, while the
    windows call (a clerk at another window holding visitors who step out).
    Holds only what it saw waiting (``expected_status``); a ticket called
    meanwhile is a refusal it records, not an error."""
    from hall.services import Conflict, queue
    from hall.store.db import Database

    db = Database(url)
    actor = _actor(db, "chuangkou2")
    rng = random.Random(seed)
    held, unheld, refused, errors = [], [], 0, []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            queue.issue_ticket(db, actor, rng.choice(["labour", "general"]))   # visitors keep coming
            waiting = queue.waiting_for_window(db, "w03")
            mine = queue.held_for_window(db, "w03")
            if mine and (not waiting or rng.random() < 0.4):
                t = queue.unhold(db, actor, rng.choice(mine).id)
                unheld.append(t.id)
            elif waiting:
                t = queue.hold(db, actor, rng.choice(waiting[:3]).id, "回去取材料", expected_status="waiting")
                held.append(t.id)
        except Conflict:
            refused += 1
        except Exception as exc:
            errors.append(repr(exc))
    Path(out).write_text(json.dumps({"held": held, "unheld": unheld, "refused": refused, "errors": errors}))
    db.dispose()
