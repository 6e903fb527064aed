"""明日开窗建议: how many windows each service needs at each hour of the next
working day, next to the promised-against-actual figures (the arithmetic is
:func:`hall.services.staffing.next_day_plan`)."""
from __future__ import annotations

from hall.domain.numerals import cardinal
from hall.services import staffing
from ui.common.context import AppContext
from ui.common.ops import Op
from ui.common.tablemodel import Column, RowsModel
from ui.qt import QHBoxLayout, QLabel, QPushButton, Qt, QTableView, QVBoxLayout, QWidget

_WEEKDAYS = "一二三四五六日"


def _wait(r: staffing.PlanRow) -> str:
    if not r.enough:
        return "超过目标"
    return "不用等" if r.wait_minutes < 0.5 else f"{r.wait_minutes:.0f} 分钟内"


class StaffingWidget(QWidget):
    """Per hour and service: expected visitors (booked among them), mean service time, windows to open."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("staffingPlan")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        self.heading = QLabel(self.tr("明日开窗建议"))
        self.heading.setObjectName("staffingHeading")
        self.refresh_button = QPushButton(self.tr("重新计算"))
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.heading)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        lay.addLayout(bar)
        centre = Qt.AlignmentFlag.AlignCenter
        self.model = RowsModel([
            Column(self.tr("时段"), lambda r: r.period, centre),
            Column(self.tr("业务"), lambda r: r.service_name),
            Column(self.tr("预计来访"), lambda r: f"{r.arrivals:.1f}", centre),
            Column(self.tr("其中预约"), lambda r: str(r.booked), centre),
            Column(self.tr("平均办理"), lambda r: f"{r.mean_minutes:.0f} 分钟", centre),
            Column(self.tr("建议开窗"), lambda r: str(r.windows), centre),
            Column(self.tr("八成来访人等候"), _wait, centre),
        ], self)
        self.view = QTableView()
        self.view.setObjectName("staffingTable")
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        for col, width in enumerate((110, 120, 80, 80, 80, 80, 130)):
            self.view.setColumnWidth(col, width)
        lay.addWidget(self.view, 1)
        self.summary = QLabel()
        self.summary.setObjectName("staffingSummary")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.plan: staffing.WindowPlan | None = None

    def refresh(self) -> None:
        ctx = self.ctx
        Op(self, lambda: staffing.next_day_plan(ctx.db, ctx.actor)).success(self._loaded).failure(self._failed).run()

    def _loaded(self, plan: staffing.WindowPlan) -> None:
        self.plan = plan
        d = plan.day
        which = self.tr("明日") if plan.is_tomorrow else self.tr("下一个工作日")
        self.heading.setText(self.tr("{which}开窗建议（{m}月{d}日 星期{w}）").replace("{which}", which)
                             .replace("{m}", str(d.month)).replace("{d}", str(d.day))
                             .replace("{w}", _WEEKDAYS[d.weekday()]))
        self.model.set_rows(list(plan.rows))
        basis = self.tr("依据：近{n}周星期{w}的取号、当日预约和各业务的办理时长；目标：八成来访人 {t} 分钟内叫号。") \
            .replace("{n}", cardinal(staffing.WEEKS)).replace("{w}", _WEEKDAYS[d.weekday()]) \
            .replace("{t}", str(plan.target_minutes))
        peak = plan.peak                # None when there are no rows
        if peak is None:
            self.summary.setText(self.tr("近几周的这一天没有取号记录，当日也没有预约，暂无建议。") + basis)
            return
        hour, windows = peak
        short = [r for r in plan.rows if not r.enough]
        text = self.tr("最忙时段 {h}:00–{h1}:00 共需开 {w} 个窗口。").replace("{h}", f"{hour:02d}") \
            .replace("{h1}", f"{hour + 1:02d}").replace("{w}", str(windows))
        if short:
            text += self.tr("有 {n} 个时段开到上限也达不到目标。").replace("{n}", str(len(short)))
        self.summary.setText(text + basis)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(self.tr("无法计算：{e}").replace("{e}", str(exc)))
