"""Durable commits on PostgreSQL whatever the server says, and a lock held too
long by another workstation gives the same clear message on both backends."""
from __future__ import annotations

import sqlite3
import time

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from hall.services import queue
from hall.services.base import Busy
from hall.store.db import BUSY_MESSAGE, Database


def test_postgres_sessions_commit_synchronously_even_if_the_server_does_not(db_url, clock):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only (SQLite: synchronous=FULL, see test_schema_and_backup)")
    u = make_url(db_url)
    with psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                         dbname=u.database, autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {u.database} SET synchronous_commit = off")
        assert conn.execute("SHOW synchronous_commit").fetchone()[0] in ("on", "off")
    d = Database(db_url, clock=clock)
    try:
        with d.read() as s:
            assert s.execute(text("SHOW synchronous_commit")).scalar() == "on"
            assert s.execute(text("SHOW lock_timeout")).scalar() == "30s"
        with d.write() as s:
            assert s.execute(text("SHOW synchronous_commit")).scalar() == "on"
            assert s.execute(text("SHOW statement_timeout")).scalar() == "1min"
    finally:
        d.dispose()


def _hold_ticket_lock(url: str):
    """Another workstation in the middle of a long write on the tickets."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(make_url(url).database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return conn
    u = make_url(url)
    conn = psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database)
    conn.execute("LOCK TABLE ticket_counters IN EXCLUSIVE MODE")
    return conn


def test_a_held_lock_gives_the_busy_message_within_the_timeout_on_both_backends(hall, front_desk, clock):
    impatient = Database(hall.url, clock=clock, lock_timeout_ms=500)
    holder = _hold_ticket_lock(hall.url)
    try:
        start = time.monotonic()
        with pytest.raises(Busy) as exc:
            queue.issue_ticket(impatient, front_desk, "labour")
        assert time.monotonic() - start < 20
        assert str(exc.value) == BUSY_MESSAGE and "请稍后重试" in BUSY_MESSAGE
    finally:
        holder.rollback()
        holder.close()
        impatient.dispose()
    assert queue.issue_ticket(hall, front_desk, "labour").number == "L001"
