"""Shared parts of the 吹哨报到 screens: a table over plain rows, a call off
the UI thread whose refusal is shown next to the form (the form keeps what
was typed), and time formatting."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from hall.domain.clock import to_local
from hall.services import HallError
from ui.common import palette
from ui.common.errors import report_error
from ui.common.ops import Op
from ui.common.tablemodel import Column, RowsModel
from ui.qt import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

STYLE = palette.style("""
QLabel#whistleStatus { color: {success_dark}; }
QLabel#whistleStatus[error="true"] { color: {error_dark}; }
QLabel#whistleTitle { font-size: 12pt; font-weight: bold; }
""")


def when(moment: dt.datetime | None) -> str:
    return "" if moment is None else f"{to_local(moment):%m-%d %H:%M}"


class RowsTable(QTableView):
    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None):
        super().__init__(parent)
        self.model_ = RowsModel(columns, self)
        self.setModel(self.model_)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(True)

    def set_rows(self, rows) -> None:
        self.model_.set_rows(rows)

    def current(self):
        idx = self.currentIndex()
        return self.model_.row_at(idx.row()) if idx.isValid() else None

    def select_first(self) -> None:
        if self.model_.rowCount():
            self.selectRow(0)


class StatusLabel(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("whistleStatus")
        self.setWordWrap(True)

    def show_text(self, text: str, error: bool = False) -> None:
        self.setProperty("error", "true" if error else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)


def call(owner: QWidget, status: StatusLabel, fn: Callable[[], Any], ok: Callable[[Any], None],
         done_text: str = "") -> Op:
    """Run ``fn`` off the UI thread; a refusal goes to ``status`` (and the message sink)."""
    def failed(exc: BaseException) -> None:
        if isinstance(exc, HallError):
            status.show_text(str(exc), error=True)
        report_error(exc, owner)

    def succeeded(result: Any) -> None:
        if done_text:
            status.show_text(done_text)
        ok(result)

    return Op(owner, fn).success(succeeded).failure(failed).run()
