"""The cycle collector runs on the GUI thread only (ui.common.collector)."""
from __future__ import annotations

import gc
import threading

from ui.common import collector


class _Tracked:
    """Part of a reference cycle; remembers the thread that freed it."""

    freed_in: list[str] = []

    def __init__(self):
        self.me = self

    def __del__(self):
        _Tracked.freed_in.append(threading.current_thread().name)


def test_cycles_are_freed_on_the_gui_thread_not_in_a_worker(qapp):
    assert collector.installed() is not None and not gc.isenabled()
    _Tracked.freed_in.clear()
    _Tracked()  # garbage in a cycle: only the cycle collector frees it

    def allocate():  # a worker allocating far past every threshold
        junk = []
        for _ in range(5 * max(gc.get_threshold()) * 100):
            node: list = []
            node.append(node)
            junk.append(node)
            if len(junk) > 1000:
                junk.clear()

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    assert _Tracked.freed_in == []  # the worker never collected
    gc.collect()
    assert _Tracked.freed_in == [threading.current_thread().name]


def test_collect_due_follows_the_interpreters_thresholds(qapp):
    gc.collect()
    assert collector.collect_due() is None  # nothing due right after a full collection
    for _ in range(gc.get_threshold()[0] + 10):
        node: list = []
        node.append(node)
    assert collector.collect_due() == 0

