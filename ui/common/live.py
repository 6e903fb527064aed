"""Live updates between workstations.

Every state change in the hall appends a row to the ``events`` table; that
table is the record. An :class:`EventFeed` reads the rows after the last id
it saw (off the UI thread, one read in flight at a time) and emits them;
workspaces refresh what the events touch.

What tells the feed to read:

* **PostgreSQL** — one listening connection per workstation (``LISTEN
  hall_events``, see ``hall.services.base.EVENT_CHANNEL``). The service that
  appends events sends ``NOTIFY`` in the same transaction, so the signal
  arrives when they are committed. An idle workstation sends the server no
  queries at all. When the listening connection drops, the feed falls back
  to polling, says so (``mode``), and reconnects in the background; once it
  listens again it reads what it missed and stops polling.
* **SQLite** — a poll every ``interval_ms`` (same machine only; a database
  file on a network share is not supported).
"""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from ui.common.ops import Op
from ui.qt import QObject, QTimer, Signal

if TYPE_CHECKING:  # the sign-in window shows before the database layer is imported
    import psycopg

    from hall.services.database import Database

log = logging.getLogger(__name__)

POLL_MS = 300
#: Seconds between attempts to get the listening connection back.
RECONNECT_S = 3.0

#: Values of :attr:`EventFeed.mode_name`.
MODE_POLLING = "polling"          # SQLite, or PostgreSQL without its listening connection
MODE_LISTENING = "listening"      # PostgreSQL, notified by the server


class _Listener:
    """The LISTEN connection of one feed, on its own thread (no Qt here).

    ``on_notify()`` is called for every notification, ``on_state(bool)``
    when the connection is up (True) or lost (False).
    """

    def __init__(self, conninfo: str, channel: str, on_notify, on_state):
        self.conninfo = conninfo
        self.channel = channel
        self.on_notify = on_notify
        self.on_state = on_state
        self._stop = threading.Event()
        self._conn: psycopg.Connection | None = None
        self.thread = threading.Thread(target=self._run, name="hall-listen", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()

    @property
    def backend_pid(self) -> int | None:
        conn = self._conn
        return conn.info.backend_pid if conn is not None and not conn.closed else None

    def _run(self) -> None:
        try:
            self._listen()
        except RuntimeError:    # the feed was deleted without stop(): nobody to tell
            self._stop.set()

    def _listen(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                # TCP keepalives notice a server that vanished without closing
                # the socket; they are not queries.
                with psycopg.connect(self.conninfo, autocommit=True, keepalives=1,
                                     keepalives_idle=10, keepalives_interval=5,
                                     keepalives_count=3, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {self.channel}")
                    self._conn = conn
                    self.on_state(True)
                    while not self._stop.is_set():
                        got = False
                        for _n in conn.notifies(timeout=0.5):
                            got = True
                            break
                        if got:
                            self.on_notify()
                    self._conn = None
                    return
            except Exception as exc:  # noqa: BLE001 (any failure means: poll instead)
                self._conn = None
                if self._stop.is_set():
                    return
                log.warning("event notification connection lost: %s", exc)
                self.on_state(False)
                self._stop.wait(RECONNECT_S)


class EventFeed(QObject):
    """Emits ``events(list[EventView])`` for every batch of new events."""

    events = Signal(list)
    offline = Signal(str)   # the database cannot be reached (message in Chinese)
    online = Signal()
    #: How the feed learns of changes: (MODE_LISTENING | MODE_POLLING, a Chinese sentence).
    mode = Signal(str, str)
    _notified = Signal()          # from the listener thread
    _listening = Signal(bool)     # from the listener thread

    def __init__(self, db: Database, parent: QObject | None = None, *, interval_ms: int = POLL_MS,
                 start_after: int | None = None, listen: bool | None = None):
        super().__init__(parent)
        self.db = db
        if start_after is None:
            # The queue engine (and the notices and status modules under it) is
            # imported when a feed starts, after sign-in, not with the sign-in window.
            from hall.services import queue

            start_after = queue.last_event_id(db)
        from hall.services.eventfeed import EventCursor

        self.cursor = EventCursor(start_after)
        self._busy = False
        self._again = False
        self._was_offline = False
        self.reads = 0                 # reads of the events table (a test hook)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self._listen = db.is_postgres if listen is None else (listen and db.is_postgres)
        self._listener: _Listener | None = None
        self.mode_name = MODE_POLLING
        self._notified.connect(self.poll)
        self._listening.connect(self._set_listening)

    def start(self) -> None:
        if not self._listen:
            self.timer.start()
            return
        if self._listener is not None:      # started already (listening or polling)
            return
        # Poll until the listening connection is up, so nothing waits on it.
        self.timer.start()
        from hall.services.base import EVENT_CHANNEL
        from hall.services.database import listen_address

        self._listener = _Listener(listen_address(self.db.url), EVENT_CHANNEL,
                                   self._notified.emit, self._listening.emit)
        self._listener.start()

    def stop(self) -> None:
        self.timer.stop()
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    @property
    def listener_pid(self) -> int | None:
        """The server process of the listening connection (for tests and support)."""
        return self._listener.backend_pid if self._listener is not None else None

    def _set_listening(self, up: bool) -> None:
        if self._listener is None:      # stopped meanwhile
            return
        if up:
            self.timer.stop()
            self.mode_name = MODE_LISTENING
            self.mode.emit(MODE_LISTENING, "实时通知")
            self.poll()                 # what happened while we were not listening
        else:
            self.timer.start()
            self.mode_name = MODE_POLLING
            self.mode.emit(MODE_POLLING, "实时通知连接中断，已改为定时刷新，正在重新连接…")

    def poll(self) -> None:
        if self._busy:
            self._again = True          # a notification while reading: read once more
            return
        self._busy = True
        self._again = False
        self.reads += 1
        from hall.services.eventfeed import read_events

        # One read at a time (``_busy``): the cursor is only moved by the read
        # in flight, in the worker thread, and handed back with its events.
        Op(self, lambda: read_events(self.db, self.cursor)).success(self._got).failure(
            self._failed).finally_(self._idle).run()

    def _idle(self) -> None:
        self._busy = False
        if self._again:
            self.poll()

    def _got(self, evs: list) -> None:
        if self._was_offline:
            self._was_offline = False
            self.online.emit()
        if evs:
            self.events.emit(evs)
            if len(evs) >= 500:         # a full page: there may be more
                self._again = True

    def _failed(self, exc: BaseException) -> None:
        log.warning("event poll failed: %s", exc)
        if not self._was_offline:
            self._was_offline = True
            self.offline.emit("与数据库的连接中断，正在重试…")
