"""How a statutory period reads in a list: its day, the days left, its colour.

Shared by the arbitration clerk's deadline board and the petition clocks.
"""
from __future__ import annotations

import datetime as dt

from hall.services.deadlines import DeadlineView
from ui.common import palette
from ui.qt import QDate, translate

STATE_COLOURS = {"overdue": palette.OVERDUE, "due_today": palette.DUE_TODAY, "open": palette.ACCENT,
                 "suspended": palette.SUBTLE, "met": palette.SUCCESS, "met_late": palette.WARNING}
SOON_COLOUR = palette.WARNING
ROW_TINTS = {"overdue": palette.OVERDUE_TINT, "due_today": palette.DUE_TODAY_TINT}


def cn_day(day: dt.date | None) -> str:
    return "" if day is None else f"{day:%Y-%m-%d}"


def days_left_text(row: DeadlineView) -> str:
    if row.met_on is not None:
        return translate("DeadlineBoard", "已完成")
    if row.days_left is None:
        return ""
    if row.days_left < 0:
        return translate("DeadlineBoard", "逾期{n}天").replace("{n}", str(-row.days_left))
    if row.days_left == 0:
        return translate("DeadlineBoard", "今天")
    return translate("DeadlineBoard", "{n}天").replace("{n}", str(row.days_left))


def state_colour(row: DeadlineView) -> str:
    if row.state == "open" and row.days_left is not None and row.days_left <= 2:
        return SOON_COLOUR
    return STATE_COLOURS.get(row.state, palette.MUTED)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())
