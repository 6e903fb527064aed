"""The hall clock and the environment that sets it for a whole test (or demo):
HALL_FAKE_NOW puts every process that reads it on the same moment."""
from __future__ import annotations

import datetime as dt
import logging

import pytest

from hall.domain.clock import (
    FAKE_NOW_ENV,
    FAKE_TICK_ENV,
    HALL_TZ,
    UTC,
    Clock,
    FakeNowError,
    FixedClock,
    RunningClock,
    default_clock,
    fake_now_env,
    local_day,
    parse_fake_now,
    set_from_environment,
)


def test_without_the_variable_the_clock_is_real():
    c = default_clock({})
    assert type(c) is Clock and not set_from_environment(c)
    before = dt.datetime.now(UTC)
    assert before - dt.timedelta(seconds=5) <= c.now() <= dt.datetime.now(UTC) + dt.timedelta(seconds=5)


def test_the_variable_freezes_the_clock_at_that_moment(caplog):
    with caplog.at_level(logging.WARNING, logger="hall.clock"):
        c = default_clock({FAKE_NOW_ENV: "2026-10-03T10:00:00+08:00"})
    assert isinstance(c, FixedClock) and set_from_environment(c)
    assert c.now() == dt.datetime(2026, 10, 3, 2, 0, tzinfo=UTC)
    assert local_day(c.now()) == dt.date(2026, 10, 3)
    assert c.now() == c.now()
    # said loudly, once per value: never unnoticed in a working hall
    assert any("HALL_FAKE_NOW" in r.getMessage() and "仅供测试" in r.getMessage() for r in caplog.records)


def test_the_clock_can_run_on_from_the_set_moment():
    c = default_clock({FAKE_NOW_ENV: "2026-12-31T23:59:58+08:00", FAKE_TICK_ENV: "1"})
    assert isinstance(c, RunningClock)
    first = c.now()
    assert dt.datetime(2026, 12, 31, 15, 59, 58, tzinfo=UTC) <= first < dt.datetime(2026, 12, 31, 16, 0, 58, tzinfo=UTC)
    assert c.now() >= first


@pytest.mark.parametrize("value", ["2026-11-23T10:00:00", "tomorrow", "2026-13-01T00:00:00+08:00"])
def test_a_malformed_or_naive_moment_is_refused_with_a_message(value):
    with pytest.raises(FakeNowError, match="HALL_FAKE_NOW"):
        default_clock({FAKE_NOW_ENV: value})


def test_utc_suffix_and_round_trip():
    moment = dt.datetime(2026, 9, 27, 6, 30, tzinfo=UTC)
    assert parse_fake_now("2026-09-27T06:30:00Z") == moment
    assert parse_fake_now(fake_now_env(moment)[FAKE_NOW_ENV]) == moment
    assert parse_fake_now(fake_now_env(moment.astimezone(HALL_TZ))[FAKE_NOW_ENV]) == moment


def test_the_test_clock_is_shared_with_child_processes(clock):
    """The ``clock`` fixture keeps HALL_FAKE_NOW equal to its time as it moves."""
    import os

    assert parse_fake_now(os.environ[FAKE_NOW_ENV]) == clock.now()
    clock.advance(days=40)
    assert parse_fake_now(os.environ[FAKE_NOW_ENV]) == clock.now()
    clock.set_local(dt.datetime(2026, 12, 31, 23, 59))
    assert default_clock().now() == clock.now()
