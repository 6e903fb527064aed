"""Database work off the UI thread.

``Op(parent, fn).success(cb).failure(cb).run()`` calls ``fn()`` in the
thread pool and delivers its result (or its exception) back on the UI thread.
A :class:`hall.services.HallError` goes to the failure callback or, by
default, to a message box in Chinese; anything unexpected goes to the
application's error handler. Widgets never hold a database session.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ui.qt import QObject, QRunnable, QThreadPool, QWidget, Signal

log = logging.getLogger(__name__)

_live: set[Op] = set()  # keep running ops alive until they report back


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # delivered to the UI thread, never lost
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class Op:
    """One background call with its success and failure handlers."""

    def __init__(self, parent: QObject | None, fn: Callable[[], Any]):
        self.parent = parent
        self.fn = fn
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_finally: Callable[[], None] | None = None
        self._relay = _Relay()
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)

    def success(self, fn: Callable[[Any], None]) -> Op:
        self._on_success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> Op:
        self._on_failure = fn
        return self

    def finally_(self, fn: Callable[[], None]) -> Op:
        self._on_finally = fn
        return self

    def run(self) -> Op:
        _live.add(self)
        QThreadPool.globalInstance().start(_Job(self.fn, self._relay))
        return self

    def run_now(self) -> Any:
        """Run synchronously on this thread (for start-up and tests)."""
        try:
            result = self.fn()
        except BaseException as exc:
            self._failed(exc)
            return None
        self._done(result)
        return result

    def _done(self, result: Any) -> None:
        _live.discard(self)
        try:
            if self._on_success is not None:
                self._on_success(result)
        finally:
            if self._on_finally is not None:
                self._on_finally()

    def _failed(self, exc: BaseException) -> None:
        _live.discard(self)
        try:
            if self._on_failure is not None:
                self._on_failure(exc)
            else:
                from ui.common.errors import report_error

                # a message box takes a widget as its parent, not any QObject
                report_error(exc, self.parent if isinstance(self.parent, QWidget) else None)
        finally:
            if self._on_finally is not None:
                self._on_finally()


def wait_all(timeout_ms: int = 10_000) -> bool:
    """Wait for every background call (tests and shutdown)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


class GuardedOp(Op):
    """An Op whose callbacks are dropped once its owner is gone.

    ``state`` is the owner's ``{"alive": bool}``; a widget sets it to False
    when it shuts down, so a late answer never touches widgets that are gone.
    """

    def __init__(self, parent: QObject | None, fn: Callable[[], Any], state: dict):
        super().__init__(parent, fn)
        self._state = state

    def _mute(self) -> None:
        self._on_success = None
        self._on_failure = lambda exc: None
        self._on_finally = None

    def _done(self, result: Any) -> None:
        if not self._state["alive"]:
            self._mute()
        super()._done(result)

    def _failed(self, exc: BaseException) -> None:
        if not self._state["alive"]:
            self._mute()
        super()._failed(exc)


class OneAtATime:
    """A read that is never in flight twice: asked for while one runs, it runs
    once more when that one ends (so the last change is always read, and a
    burst of events costs two reads, not one each).

    ``start`` begins the read (an :class:`Op`) and must call :meth:`done`
    when it ends, success or failure (``.finally_(reads.done)``); nothing is
    started once ``stopped()`` is true (the screen is closing).
    """

    def __init__(self, start: Callable[[], None], stopped: Callable[[], bool]):
        self._start = start
        self._stopped = stopped
        self.busy = False
        self.again = False

    def request(self) -> None:
        if self._stopped():
            return
        if self.busy:
            self.again = True
            return
        self.busy, self.again = True, False
        try:
            self._start()
        except BaseException:
            self.busy = False
            raise

    def done(self) -> None:
        self.busy = False
        if self.again and not self._stopped():
            self.request()
