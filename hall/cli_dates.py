"""The one reading of a day typed on the ``hall-admin`` command line."""
from __future__ import annotations

import argparse
import datetime as dt


def day_problem(text: str) -> str:
    """The sentence for a day that could not be read."""
    return f"日期“{text}”格式不正确，应为 YYYY-MM-DD"


def parse_day(text: str) -> dt.date:
    """``YYYY-MM-DD`` → the day; a ValueError with :func:`day_problem` if not."""
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(day_problem(text)) from None


def day_arg(text: str) -> dt.date:
    """An argparse ``type=`` reading a day (a usage error if it is not one)."""
    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def day_option(text: str | None) -> dt.date | None:
    """An optional day given to a command; None when not given, :class:`CliError` if unreadable."""
    from hall.cli import CliError

    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def day_required(text: str) -> dt.date:
    """A day a command must be given: :class:`CliError` if it is empty or unreadable
    (an empty one is not "today", as an optional day left out is)."""
    from hall.cli import CliError

    try:
        return parse_day(text)
    except ValueError as exc:
        raise CliError(str(exc)) from None
