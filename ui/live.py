"""Live updates between workstations.

Every state change in the hall appends a row to the ``events`` table. An
:class:`EventFeed` polls for rows after the last id it saw (off the UI
thread, one poll in flight at a time) and emits them; workspaces refresh
what the events touch. Another workstation's action shows within a second.
"""
from __future__ import annotations

import logging

from hall.services import queue
from hall.store.db import Database

from .ops import Op
from .qt import QObject, QTimer, Signal

log = logging.getLogger(__name__)

POLL_MS = 300


class EventFeed(QObject):
    """Emits ``events(list[EventView])`` for every batch of new events."""

    events = Signal(list)
    offline = Signal(str)   # the database cannot be reached (message in Chinese)
    online = Signal()

    def __init__(self, db: Database, parent: QObject | None = None, *, interval_ms: int = POLL_MS,
                 start_after: int | None = None):
        super().__init__(parent)
        self.db = db
        self.last_id = start_after if start_after is not None else queue.last_event_id(db)
        self._busy = False
        self._was_offline = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        if self._busy:
            return
        self._busy = True
        after = self.last_id
        Op(self, lambda: queue.events_since(self.db, after)).success(self._got).failure(
            self._failed).finally_(self._idle).run()

    def _idle(self) -> None:
        self._busy = False

    def _got(self, evs: list) -> None:
        if self._was_offline:
            self._was_offline = False
            self.online.emit()
        if evs:
            self.last_id = evs[-1].id
            self.events.emit(evs)

    def _failed(self, exc: BaseException) -> None:
        log.warning("event poll failed: %s", exc)
        if not self._was_offline:
            self._was_offline = True
            self.offline.emit("与数据库的连接中断，正在重试…")
