"""The hall's sense of time.

Times are stored in UTC and shown in Asia/Shanghai. Every service takes its
clock from the database handle, so tests can freeze or move time.

A process can be put on a set clock from its environment (a test and demo
facility, never for a working hall): ``HALL_FAKE_NOW`` holds an ISO 8601
moment with its offset (``2026-11-23T10:00:00+08:00``); the clock then stands
at that moment, or runs on from it when ``HALL_FAKE_TICK=1``. A test that
starts child processes (workers, ``hall-admin``, the GUI) sets it so that every
process of the test lives on the same day. :func:`default_clock` is the one
place that reads it, and it says so loudly in the log.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass, field
from typing import overload
from zoneinfo import ZoneInfo

HALL_TZ = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC

FAKE_NOW_ENV = "HALL_FAKE_NOW"
FAKE_TICK_ENV = "HALL_FAKE_TICK"

log = logging.getLogger("hall.clock")


class Clock:
    """Real time. Subclass or replace with :class:`FixedClock` in tests."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC)


@dataclass
class FixedClock(Clock):
    """A clock that stands still until told to move."""

    at: dt.datetime = field(default_factory=lambda: dt.datetime(2026, 11, 23, 1, 0, tzinfo=UTC))

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> dt.datetime:
        self.at = self.at + dt.timedelta(**delta)
        return self.at

    def set_local(self, local: dt.datetime) -> None:
        """Set the time from a naive Asia/Shanghai wall-clock time."""
        self.at = local.replace(tzinfo=HALL_TZ).astimezone(UTC)


class RunningClock(Clock):
    """A clock that starts at a set moment and runs on in real time."""

    def __init__(self, start: dt.datetime):
        self.start = start
        self._t0 = time.monotonic()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self._t0)


class FakeNowError(ValueError):
    """HALL_FAKE_NOW holds something that is not a moment with its offset."""


def parse_fake_now(value: str) -> dt.datetime:
    """``2026-11-23T10:00:00+08:00`` (a ``Z`` suffix is UTC) as an aware UTC moment."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise FakeNowError(f"{FAKE_NOW_ENV}={value!r} 不是 ISO 8601 时间（例：2026-11-23T10:00:00+08:00）") from None
    if moment.tzinfo is None:
        raise FakeNowError(f"{FAKE_NOW_ENV}={value!r} 缺少时区偏移（例：2026-11-23T10:00:00+08:00）")
    return moment.astimezone(UTC)


def fake_now_env(moment: dt.datetime) -> dict[str, str]:
    """The environment that puts a child process on ``moment`` (frozen)."""
    return {FAKE_NOW_ENV: as_utc(moment).isoformat()}


_announced: set[str] = set()


def default_clock(environ: os._Environ[str] | dict[str, str] | None = None, *,
                  tick: bool | None = None) -> Clock:
    """The clock of this process: real time, unless ``HALL_FAKE_NOW`` sets it.

    ``tick=True`` makes a set clock run on from its moment whatever
    ``HALL_FAKE_TICK`` says (a long-running process such as the status page or
    the notice sender must see leases and back-offs expire).

    A set clock is logged as a warning once per value, so that a hall never
    runs on one unnoticed; a malformed value is refused (:class:`FakeNowError`)
    rather than silently ignored.
    """
    env = os.environ if environ is None else environ
    value = env.get(FAKE_NOW_ENV, "").strip()
    if not value:
        return Clock()
    moment = parse_fake_now(value)
    ticking = tick if tick is not None else env.get(FAKE_TICK_ENV, "").strip() not in ("", "0")
    if value not in _announced:
        _announced.add(value)
        log.warning("时钟由 %s 设定为 %s（%s）：仅供测试和演示，正式使用请勿设置", FAKE_NOW_ENV,
                    to_local(moment).isoformat(), "从此时起走" if ticking else "静止")
    clock: Clock = RunningClock(moment) if ticking else FixedClock(moment)
    clock.from_environment = True  # type: ignore[attr-defined]
    return clock


def set_from_environment(clock: Clock) -> bool:
    """Whether ``clock`` was set by ``HALL_FAKE_NOW`` (the status bar says so)."""
    return bool(getattr(clock, "from_environment", False))


def to_local(moment: dt.datetime) -> dt.datetime:
    """A stored UTC moment as Asia/Shanghai wall-clock time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(HALL_TZ)


def local_day(moment: dt.datetime) -> dt.date:
    """The hall's calendar day (Asia/Shanghai midnight is the boundary)."""
    return to_local(moment).date()


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Normalise a datetime read back from a database that drops tzinfo (SQLite)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@overload
def as_utc_or_none(moment: dt.datetime) -> dt.datetime: ...
@overload
def as_utc_or_none(moment: None) -> None: ...
@overload
def as_utc_or_none(moment: dt.datetime | None) -> dt.datetime | None: ...
def as_utc_or_none(moment: dt.datetime | None) -> dt.datetime | None:
    """:func:`as_utc` of a moment that may be missing."""
    return as_utc(moment) if moment is not None else None
