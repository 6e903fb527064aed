"""A screen's reads never overlap, and the last change is always read."""
from __future__ import annotations

import pytest

from ui.common.ops import OneAtATime


def _reads(stopped=lambda: False):
    started: list[int] = []
    reads = OneAtATime(lambda: started.append(len(started)), stopped)
    return reads, started


def test_a_burst_while_a_read_runs_costs_one_more_read():
    reads, started = _reads()
    reads.request()
    assert started == [0] and reads.busy
    for _ in range(5):
        reads.request()           # events arrive while the first read runs
    assert started == [0]
    reads.done()
    assert started == [0, 1] and reads.busy
    reads.done()
    assert started == [0, 1] and not reads.busy
    reads.request()
    assert started == [0, 1, 2]


def test_nothing_is_read_once_the_screen_is_closing():
    shut = [False]
    reads, started = _reads(lambda: shut[0])
    reads.request()
    reads.request()
    shut[0] = True
    reads.done()                  # the pending read is dropped
    reads.request()
    assert started == [0] and not reads.busy


def test_a_read_that_cannot_start_leaves_the_next_one_free():
    def broken():
        raise RuntimeError("no database")

    reads = OneAtATime(broken, lambda: False)
    with pytest.raises(RuntimeError):
        reads.request()
    assert not reads.busy
