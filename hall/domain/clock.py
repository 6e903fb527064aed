"""The hall's sense of time.

Times are stored in UTC and shown in Asia/Shanghai. Every service takes its
clock from the database handle, so tests can freeze or move time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

HALL_TZ = ZoneInfo("Asia/Shanghai")
UTC = dt.timezone.utc


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
