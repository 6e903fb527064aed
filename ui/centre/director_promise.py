"""等候承诺: how often the wait range printed on the ticket held, per service
(promised against actual), with the windows suggested for tomorrow below it
(:mod:`ui.centre.director_staffing`). A separate widget of the director's workspace."""
from __future__ import annotations

import datetime as dt

from hall.domain.clock import local_day
from hall.services import status
from ui.common.context import AppContext
from ui.common.ops import Op
from ui.common.tablemodel import Column, RowsModel
from ui.qt import QComboBox, QHBoxLayout, QLabel, QPushButton, Qt, QTableView, QVBoxLayout, QWidget

PERIODS = ((0, "今天"), (6, "近 7 天"), (29, "近 30 天"))


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} 分钟"


class PromiseCoverageWidget(QWidget):
    """Per service: tickets with a promise, share called inside it, earlier, later."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("promiseCoverage")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        self.period = QComboBox()
        self.period.setObjectName("promisePeriod")
        for days, label in PERIODS:
            self.period.addItem(self.tr(label), days)
        self.period.setCurrentIndex(1)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setObjectName("promiseSummary")
        bar.addWidget(QLabel(self.tr("叫号时间落在取号时预计范围内的比例")))
        bar.addStretch(1)
        bar.addWidget(self.period)
        bar.addWidget(self.refresh_button)
        lay.addLayout(bar)
        centre = Qt.AlignmentFlag.AlignCenter
        self.model = RowsModel([
            Column(self.tr("业务"), lambda r: r.service_name),
            Column(self.tr("有预计的号"), lambda r: str(r.estimated), centre),
            Column(self.tr("在范围内"), lambda r: "—" if r.rate is None else f"{r.rate:.0%}", centre),
            Column(self.tr("早于预计"), lambda r: str(r.earlier), centre),
            Column(self.tr("晚于预计"), lambda r: str(r.later), centre),
            Column(self.tr("预计（中位）平均"), lambda r: _minutes(r.mean_promised), centre),
            Column(self.tr("实际等候平均"), lambda r: _minutes(r.mean_actual), centre),
        ], self)
        self.view = QTableView()
        self.view.setObjectName("promiseTable")
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        for col, width in enumerate((120, 90, 80, 80, 80, 120, 110)):
            self.view.setColumnWidth(col, width)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.summary)
        from ui.centre.director_staffing import StaffingWidget

        self.staffing = StaffingWidget(ctx, self)   # next to the promise: windows for tomorrow
        lay.addWidget(self.staffing, 1)
        self.rows: list[status.PromiseCoverage] = []

    def refresh(self) -> None:
        ctx = self.ctx
        days = int(self.period.currentData() or 0)
        last = local_day(ctx.db.clock.now())
        first = last - dt.timedelta(days=days)
        Op(self, lambda: status.promise_coverage(ctx.db, ctx.actor, first, last)) \
            .success(self._loaded).failure(self._failed).run()
        self.staffing.refresh()

    def _loaded(self, rows) -> None:
        self.rows = [r for r in rows if r.estimated]
        self.model.set_rows(self.rows)
        n = sum(r.estimated for r in self.rows)
        within = sum(r.within for r in self.rows)
        self.summary.setText(self.tr("共 {n} 个号，{p} 在预计范围内").replace("{n}", str(n)).replace(
            "{p}", f"{within / n:.0%}" if n else "—") if n else self.tr("所选期间还没有带预计的已叫号"))

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(self.tr("无法读取：{e}").replace("{e}", str(exc)))
