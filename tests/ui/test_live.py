"""Live sync: PostgreSQL notifies listening workstations, SQLite polls."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event as sa_event

from hall.services import system_actor
from hall.services.base import unit_of_work
from hall.store.db import Database
from tests.conftest import BACKENDS, drop_pg, new_pg_url

ROOT = Path(__file__).resolve().parents[2]

# Another workstation: appends one event through the ordinary unit of work.
OTHER_WORKSTATION = r"""
import sys
from hall.services import system_actor
from hall.services.base import unit_of_work
from hall.store.db import Database
db = Database(sys.argv[1])
with unit_of_work(db, system_actor("other-ws"), None) as uow:
    uow.audit("test.ping")
    uow.event("test.ping", n=int(sys.argv[2]))
db.dispose()
"""


@pytest.fixture
def pg(clock):
    if "pg" not in BACKENDS:
        pytest.skip("PostgreSQL is not among HALL_TEST_BACKENDS")
    url = new_pg_url()
    d = Database(url, clock=clock)
    yield d
    d.dispose()
    drop_pg(url)


def _append(db: Database, n: int) -> None:
    with unit_of_work(db, system_actor("this-ws"), None) as uow:
        uow.audit("test.ping")
        uow.event("test.ping", n=n)


def _statements(db: Database) -> list[str]:
    seen: list[str] = []
    sa_event.listen(db.engine, "before_cursor_execute",
                    lambda conn, cur, stmt, *a: seen.append(stmt))
    return seen


@pytest.mark.real_clock  # reconnects on a timer, waits between threads
@pytest.mark.allow_log_warnings("event notification connection lost")
def test_postgres_feed_listens_sends_no_queries_when_idle_and_falls_back_to_polling(
        pg, qtbot, monkeypatch):
    from ui.common import live
    from ui.common.ops import wait_all

    monkeypatch.setattr(live, "RECONNECT_S", 0.2)
    feed = live.EventFeed(pg, interval_ms=50)
    got: list = []
    modes: list[tuple[str, str]] = []
    feed.events.connect(got.extend)
    feed.mode.connect(lambda m, text: modes.append((m, text)))
    feed.start()
    try:
        qtbot.waitUntil(lambda: feed.mode_name == live.MODE_LISTENING, timeout=10_000)
        assert not feed.timer.isActive()
        qtbot.waitUntil(lambda: not feed._busy, timeout=5_000)

        # Idle: not one statement from this workstation, not one read of the events.
        seen = _statements(pg)
        reads = feed.reads
        qtbot.wait(1500)
        assert seen == [] and feed.reads == reads

        # Another process appends an event: the notification brings it here.
        subprocess.run([sys.executable, "-c", OTHER_WORKSTATION, pg.url, "1"], cwd=ROOT,
                       check=True, timeout=60)
        qtbot.waitUntil(lambda: any(e.kind == "test.ping" and e.payload["n"] == 1 for e in got),
                        timeout=10_000)
        assert feed.reads == reads + 1

        # The notification connection is cut: the feed polls and says so ...
        pid = feed.listener_pid
        with pg.write() as s:
            from sqlalchemy import text
            s.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        qtbot.waitUntil(lambda: (live.MODE_POLLING, ) == modes[-1][:1] if modes else False,
                        timeout=10_000)
        assert "定时刷新" in modes[-1][1]
        # ... and comes back to listening once it can (then reads what it missed).
        qtbot.waitUntil(lambda: feed.mode_name == live.MODE_LISTENING
                        and feed.listener_pid not in (None, pid), timeout=10_000)
        _append(pg, 2)
        qtbot.waitUntil(lambda: any(e.payload.get("n") == 2 for e in got), timeout=10_000)
        assert [e.payload["n"] for e in got if e.kind == "test.ping"] == [1, 2]
    finally:
        feed.stop()
        wait_all()


@pytest.mark.real_clock  # reconnects on a timer, waits between threads
@pytest.mark.allow_log_warnings("event notification connection lost")
def test_postgres_feed_polls_while_the_listening_connection_is_down(pg, qtbot, monkeypatch):
    """Events appended while the notification connection cannot be made still arrive."""
    from ui.common import live
    from ui.common.ops import wait_all

    monkeypatch.setattr(live, "RECONNECT_S", 0.2)
    real = live._Listener._run

    def refuse(self):      # the server refuses the listening connection
        import psycopg
        monkeypatch.setattr(psycopg, "connect", _refused)
        return real(self)

    def _refused(*a, **k):
        raise OSError("connection refused")

    feed = live.EventFeed(pg, interval_ms=50)
    modes: list[str] = []
    got: list = []
    feed.mode.connect(lambda m, _t: modes.append(m))
    feed.events.connect(got.extend)
    monkeypatch.setattr(live._Listener, "_run", refuse)
    feed.start()
    try:
        qtbot.waitUntil(lambda: live.MODE_POLLING in modes, timeout=10_000)
        assert feed.timer.isActive()
        _append(pg, 7)
        qtbot.waitUntil(lambda: any(e.payload.get("n") == 7 for e in got), timeout=10_000)
    finally:
        feed.stop()
        wait_all()


def test_sqlite_feed_polls(sqlite_db, qtbot):
    from ui.common import live
    from ui.common.ops import wait_all

    feed = live.EventFeed(sqlite_db, interval_ms=50)
    got: list = []
    feed.events.connect(got.extend)
    feed.start()
    try:
        assert feed.timer.isActive() and feed.listener_pid is None
        _append(sqlite_db, 3)
        qtbot.waitUntil(lambda: any(e.payload.get("n") == 3 for e in got), timeout=5_000)
    finally:
        feed.stop()
        wait_all()


def test_the_status_bar_says_when_live_notifications_fall_back_to_polling(make_ctx, qtbot):
    from ui.common.live import MODE_LISTENING, MODE_POLLING
    from ui.common.ops import wait_all
    from ui.common.settings import Settings
    from ui.shell import MainWindow

    ctx = make_ctx("chuangkou1", window_code="w01")
    shell = MainWindow(ctx, Settings(), centre_name="东湖区社会治理服务中心")
    qtbot.addWidget(shell)
    qtbot.waitUntil(lambda: shell.connection_label.text() != "")
    assert shell.connection_label.text() == "● 已连接"
    ctx.feed.mode.emit(MODE_POLLING, "实时通知连接中断，已改为定时刷新，正在重新连接…")
    assert shell.connection_label.text() == "● 已连接（定时刷新）"
    assert "实时通知连接中断" in shell.connection_label.toolTip()
    ctx.feed.mode.emit(MODE_LISTENING, "实时通知")
    assert shell.connection_label.text() == "● 已连接"
    shell.shutdown()
    wait_all()
