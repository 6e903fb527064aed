"""SQLite writers wait in turn on the writer lock (hall.store.db._WriterLock)."""
from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from hall.services import system_actor
from hall.services.base import unit_of_work

HOLDER = r"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o666)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
fcntl.flock(fd, fcntl.LOCK_UN)
"""


def _write(db, n):
    with unit_of_work(db, system_actor("lock-test"), None) as uow:
        uow.audit("test.write")
        uow.event("test.write", n=n)


@pytest.mark.real_clock  # timed waits between a thread and another process
@pytest.mark.skipif(sys.platform == "win32", reason="the holder uses flock")
def test_a_writer_waits_while_another_process_holds_the_lock(sqlite_db):
    lock = sqlite_db._writer_lock
    assert lock is not None
    _write(sqlite_db, 0)
    assert lock.path.exists()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock.path)], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "held"
        done = threading.Event()
        t = threading.Thread(target=lambda: (_write(sqlite_db, 1), done.set()), daemon=True)
        t.start()
        assert not done.wait(0.5)          # still waiting: the other process holds the lock
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert done.wait(30)               # and writes once it is released
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()
    from hall.services import queue
    assert [e.payload["n"] for e in queue.events_since(sqlite_db, 0) if e.kind == "test.write"] == [0, 1]


def test_threads_of_one_process_take_turns_without_losing_a_write(sqlite_db):
    threads = [threading.Thread(target=lambda i=i: [_write(sqlite_db, i * 100 + k) for k in range(10)])
               for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    from hall.services import queue
    got = sorted(e.payload["n"] for e in queue.events_since(sqlite_db, 0) if e.kind == "test.write")
    assert got == sorted(i * 100 + k for i in range(4) for k in range(10))


def test_no_lock_on_postgres_or_when_switched_off(tmp_path, clock):
    from hall.store.db import Database

    d = Database(f"sqlite:///{tmp_path / 'x.db'}", clock=clock, fair_writer_lock=False)
    assert d._writer_lock is None
    d.dispose()
    pg = Database("postgresql://nobody@127.0.0.1:1/none")
    assert pg._writer_lock is None
    pg.dispose()
