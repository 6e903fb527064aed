"""Python's cycle collector, run on the GUI thread only.

CPython's automatic garbage collection runs in whichever thread happens to
allocate when a threshold is crossed. In this application that is often a
worker of the thread pool (``ui.common.ops``) reading the database. If a widget or
another ``QObject`` is part of a reference cycle (an exception's traceback
holding a frame that holds a widget is enough), the collector deletes the C++
object from that worker while the GUI thread may be delivering an event to
it: a crash, not an exception.

:func:`install` therefore turns the automatic collection off and runs the
same generational collection from a timer on the GUI thread: the thresholds
are the interpreter's own, only the thread changes. :func:`collect_due` is the
same check, for callers that run between events (the tests do it after each
test).
"""
from __future__ import annotations

import gc
import logging

from ui.qt import QCoreApplication, QObject, QThread, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 500

_installed: MainThreadCollector | None = None


def collect_due() -> int | None:
    """Collect the oldest generation whose threshold is crossed, as the
    interpreter would. Returns the generation collected, or None."""
    counts = gc.get_count()
    thresholds = gc.get_threshold()
    for generation in (2, 1, 0):
        if thresholds[generation] and counts[generation] > thresholds[generation]:
            gc.collect(generation)
            return generation
    return None


class MainThreadCollector(QObject):
    """Owns the switch: automatic collection off while it lives."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(collect_due)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()


def install(app: QCoreApplication | None = None) -> MainThreadCollector:
    """Run the cycle collector on the GUI thread from now on (idempotent).
    Must be called on the GUI thread."""
    global _installed
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install() needs a Qt application")
    if QThread.currentThread() != app.thread():
        raise RuntimeError("install() must be called on the GUI thread")
    if _installed is None:
        _installed = MainThreadCollector(app)
        log.debug("cycle collection moved to the GUI thread")
    return _installed


def installed() -> MainThreadCollector | None:
    return _installed
