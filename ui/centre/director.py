"""The director's dashboard: how the hall is doing, and what needs attention.

For a period (今天, 本周, 本月 or a custom range of days) it shows the figure
cards (tickets, mean and P90 waiting, no-show rate, transfer rate,
satisfaction), bar charts of waiting time by hour of arrival, tickets by
service and the satisfaction distribution (and the cases' success rate by
category when the statistics have a ``cases`` section with one), the
deadlines at risk (overdue or due within seven days, with their legal basis)
and the low ratings waiting for follow-up.

Every bar and card opens the records behind it (``stats.records_for`` with
the bar's filter) in a table. Figures are read off the UI thread
(``hall.services.monthly.overview``) and read again, debounced, when a
ticket, rating or deadline changes anywhere in the hall.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hall.domain.clock import local_day, to_local
from hall.domain.masking import mask_name
from hall.domain.queue import TicketStatus
from hall.services import cases as case_service
from hall.services import figure_notes, monthly, satisfaction, stats
from hall.services import queue as queue_service
from hall.services.stats import Period
from ui.common import palette
from ui.common.casework import choice_buttons
from ui.common.context import AppContext
from ui.common.deadlines import from_qdate
from ui.common.errors import report_error
from ui.common.ops import OneAtATime, Op
from ui.common.tablemodel import Column, RowsModel
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QCheckBox,
    QColor,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFont,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QHorizontalBarSeries,
    QLabel,
    QMenu,
    QPainter,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    Qt,
    QTableView,
    QTabWidget,
    QTimer,
    QValueAxis,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)

log = logging.getLogger(__name__)

#: Events after which the dashboard is read again.
_RELEVANT = ("ticket.", "satisfaction.", "deadline.", "appointment.")
#: Quiet time after the last relevant event before reading again (a busy hall
#: sends several events a second; the figures need not follow each one).
REFRESH_DEBOUNCE_MS = 1500

PERIODS = {"today": QT_TRANSLATE_NOOP("DirectorWorkspace", "今天"),
           "week": QT_TRANSLATE_NOOP("DirectorWorkspace", "本周"),
           "month": QT_TRANSLATE_NOOP("DirectorWorkspace", "本月"),
           "custom": QT_TRANSLATE_NOOP("DirectorWorkspace", "自定义")}

BAR_COLOUR = palette.ACCENT

#: The kind of record each section's figures list (the columns of an empty table).
SECTION_KINDS = {"queue": "ticket", "appointments": "appointment", "satisfaction": "rating", "cases": "case",
                 "case_outcomes": "case", "arbitration": "arbitration", "petitions": "petition",
                 "deadlines": "deadline"}

STYLE = palette.style("""
QWidget#directorWorkspace { background: {row_alt}; }
QFrame#dashHeader { background: {surface}; border: 1px solid {border}; border-radius: 8px; }
QLabel#dashTitle { color: {heading}; }
QLabel#periodLabel, QLabel#updatedLabel, QLabel#chartHint { color: {muted}; }
QPushButton#periodButton { padding: 5px 14px; border: 1px solid {period_border}; background: {surface}; }
QPushButton#periodButton:checked { background: {accent}; color: {on_accent}; border-color: {accent}; }
QFrame#figureCard { background: {surface}; border: 1px solid {border}; border-radius: 8px; }
QFrame#figureCard:hover { border-color: {accent}; }
QLabel#cardTitle { color: {muted}; font-weight: bold; }
QLabel#cardValue { color: {heading}; }
QLabel#cardDetail { color: {subtle}; }
QFrame#chartBox { background: {surface}; border: 1px solid {border}; border-radius: 8px; }
QLabel#chartTitle, QLabel#sectionTitle { color: {heading}; font-weight: bold; }
QLabel#emptyChart { color: {faint}; }
QLabel#messageStrip { border-radius: 6px; padding: 6px 10px; background: {overdue_tint}; color: {error_text};
                      border: 1px solid {error_border}; }
""")


def _local(moment: dt.datetime | None, fmt: str = "%m-%d %H:%M") -> str:
    return to_local(moment).strftime(fmt) if moment else ""


def _minutes(a: dt.datetime | None, b: dt.datetime | None) -> str:
    if a is None or b is None:
        return ""
    return f"{(b - a).total_seconds() / 60:.1f}"


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _service_start(r) -> dt.datetime | None:
    """When the service began (docs/figures.md, 办理时间): the start pressed, else the call."""
    if r.started_at is not None and (r.finished_at is None or r.started_at < r.finished_at):
        return r.started_at
    return r.called_at


def _change(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}%"


def _ratio(part: int, whole: int) -> str:
    return "—" if not whole else f"{part / whole * 100:.1f}%（{part}/{whole}）"


def _status_label(value: str) -> str:
    try:
        return TicketStatus(value).label
    except ValueError:
        return value


# ------------------------------------------------------------ the records
def record_columns(kind: str) -> list[Column]:
    """The columns of a records table for one kind of record."""
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    centre = Qt.AlignmentFlag.AlignCenter
    if kind == "ticket":
        return [
            Column(translate("DirectorWorkspace", "号码"), lambda r: r.number, centre),
            Column(translate("DirectorWorkspace", "业务"), lambda r: r.service_name),
            Column(translate("DirectorWorkspace", "状态"), lambda r: _status_label(r.status)),
            Column(translate("DirectorWorkspace", "办公日"), lambda r: r.business_day.isoformat()),
            Column(translate("DirectorWorkspace", "取号"), lambda r: _local(r.issued_at, "%H:%M:%S")),
            Column(translate("DirectorWorkspace", "叫号"), lambda r: _local(r.called_at, "%H:%M:%S")),
            Column(translate("DirectorWorkspace", "等候(分)"), lambda r: _minutes(r.issued_at, r.called_at), right),
            Column(translate("DirectorWorkspace", "办理(分)"), lambda r: _minutes(_service_start(r), r.finished_at), right),
            Column(translate("DirectorWorkspace", "窗口"), lambda r: translate("DirectorWorkspace", "{n}号").replace("{n}", str(r.window_number))
                   if r.window_number is not None else "", centre),
            Column(translate("DirectorWorkspace", "来访人"), lambda r: r.masked_name),
        ]
    if kind == "rating":
        return [
            Column(translate("DirectorWorkspace", "评价时间"), lambda r: _local(r.rated_at, "%Y-%m-%d %H:%M")),
            Column(translate("DirectorWorkspace", "星级"), lambda r: "★" * r.rating + "☆" * (5 - r.rating)),
            Column(translate("DirectorWorkspace", "原因"), lambda r: "、".join(satisfaction.REASON_TAGS.get(t, t) for t in r.tags)),
            Column(translate("DirectorWorkspace", "意见"), lambda r: r.comment, tooltip=lambda r: r.comment),
            Column(translate("DirectorWorkspace", "处理"), lambda r: translate("DirectorWorkspace", "已处理") if r.resolved else (translate("DirectorWorkspace", "未处理") if r.rating <= 2 else "")),
            Column(translate("DirectorWorkspace", "来源"), lambda r: r.source_name),
            Column(translate("DirectorWorkspace", "回访人"), lambda r: r.recorded_by),
        ]
    if kind == "appointment":
        return [
            Column(translate("DirectorWorkspace", "日期"), lambda r: r.day.isoformat()),
            Column(translate("DirectorWorkspace", "时段"), lambda r: _local(r.slot_start, "%H:%M")),
            Column(translate("DirectorWorkspace", "业务"), lambda r: r.service_name),
            Column(translate("DirectorWorkspace", "状态"), lambda r: r.status),
            Column(translate("DirectorWorkspace", "姓名"), lambda r: r.masked_name),
            Column(translate("DirectorWorkspace", "电话"), lambda r: r.masked_phone),
        ]
    if kind == "case":
        return [
            Column(translate("DirectorWorkspace", "案号"), lambda r: r.number),
            Column(translate("DirectorWorkspace", "纠纷类别"), lambda r: r.category_name),
            Column(translate("DirectorWorkspace", "来源"), lambda r: r.source_name),
            Column(translate("DirectorWorkspace", "状态"), lambda r: r.state_name),
            Column(translate("DirectorWorkspace", "调解员"), lambda r: r.mediator_name or translate("DirectorWorkspace", "未指派")),
            Column(translate("DirectorWorkspace", "受理时间"), lambda r: _local(r.accepted_at, "%Y-%m-%d %H:%M")),
            Column(translate("DirectorWorkspace", "协议金额(元)"), lambda r: r.amount or "", right),
        ]
    if kind == "arbitration":
        return [
            Column(translate("DirectorWorkspace", "收件号"), lambda r: r.receipt_number),
            Column(translate("DirectorWorkspace", "案号"), lambda r: r.number or ""),
            Column(translate("DirectorWorkspace", "状态"), lambda r: r.state_name),
            Column(translate("DirectorWorkspace", "收件日期"), lambda r: r.received_on.isoformat()),
            Column(translate("DirectorWorkspace", "受理日期"), lambda r: r.accepted_on.isoformat() if r.accepted_on else ""),
            Column(translate("DirectorWorkspace", "结案方式"), lambda r: r.outcome_name),
            Column(translate("DirectorWorkspace", "结案日期"), lambda r: r.outcome_on.isoformat() if r.outcome_on else ""),
        ]
    if kind == "petition":
        return [
            Column(translate("DirectorWorkspace", "编号"), lambda r: r.number),
            Column(translate("DirectorWorkspace", "状态"), lambda r: r.state),
            Column(translate("DirectorWorkspace", "登记日期"), lambda r: r.received_on.isoformat()),
            Column(translate("DirectorWorkspace", "受理日期"), lambda r: r.accepted_on.isoformat() if r.accepted_on else ""),
            Column(translate("DirectorWorkspace", "处理意见日期"), lambda r: r.opinion_on.isoformat() if r.opinion_on else ""),
            Column(translate("DirectorWorkspace", "办结日期"), lambda r: r.closed_on.isoformat() if r.closed_on else ""),
        ]
    if kind == "deadline":
        return [
            Column(translate("DirectorWorkspace", "案号"), lambda r: r.case_number),
            Column(translate("DirectorWorkspace", "事项"), lambda r: r.label),
            Column(translate("DirectorWorkspace", "期限"), lambda r: r.rule_name),
            Column(translate("DirectorWorkspace", "到期日"), lambda r: r.due_date.isoformat()),
            Column(translate("DirectorWorkspace", "完成日"), lambda r: r.met_on.isoformat()),
            Column(translate("DirectorWorkspace", "按期"), lambda r: translate("DirectorWorkspace", "是") if r.on_time else translate("DirectorWorkspace", "逾期"), centre),
        ]
    return [Column(translate("DirectorWorkspace", "记录"), lambda r: getattr(r, "number", "") or getattr(r, "id", ""))]


class RecordDetailDialog(QDialog):
    """One record opened from a records table: the ticket or the case itself."""

    def __init__(self, title: str, lines: list[tuple[str, str]], parent: QWidget):
        super().__init__(parent)
        self.setObjectName("recordDetailDialog")
        self.setWindowTitle(title)
        self.resize(560, 420)
        lay = QVBoxLayout(self)
        head = QLabel(title)
        head.setObjectName("sectionTitle")
        lay.addWidget(head)
        grid = QGridLayout()
        self.values: dict[str, QLabel] = {}
        for row, (label, value) in enumerate(lines):
            name = QLabel(label)
            name.setObjectName("cardTitle")
            text = QLabel(value or "—")
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, row, 1)
            self.values[label] = text
        grid.setColumnStretch(1, 1)
        lay.addLayout(grid)
        lay.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        lay.addWidget(buttons)


class RecordsDialog(QDialog):
    """The records behind a figure or a bar, in a table."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("recordsDialog")
        self.setWindowTitle(self.tr("明细"))
        self.resize(940, 500)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.count = QLabel()
        self.count.setObjectName("periodLabel")
        self.model = RowsModel(record_columns("ticket"), self)
        self.view = QTableView()
        self.view.setObjectName("recordsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setDefaultSectionSize(84)
        self.view.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.hint = QLabel(self.tr("双击一行，查看该排队号或案件本身。"))
        self.hint.setObjectName("chartHint")
        self.detail: RecordDetailDialog | None = None
        self.detail_loader: Callable[[Any], None] | None = None   # set by the workspace
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.count)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.hint)
        lay.addWidget(buttons)

    def open_row(self, row: int) -> None:
        record = self.model.row_at(row)
        if record is not None and self.detail_loader is not None:
            self.detail_loader(record)

    def show_records(self, title: str, records: list, kind: str = "ticket") -> None:
        kind = getattr(records[0], "kind", "") if records else kind
        self.title.setText(title)
        self.count.setText(self.tr("共 {n} 条").replace("{n}", str(len(records))))
        self.model.beginResetModel()
        self.model.columns = record_columns(kind)
        self.model.rows = list(records)
        self.model.endResetModel()
        self.view.horizontalHeader().resizeSections(QHeaderView.ResizeMode.Interactive)


# ---------------------------------------------------------------- widgets
class FigureCard(QFrame):
    """One figure, large, with a line of detail. Clicking it lists its records."""

    clicked = Signal()

    def __init__(self, key: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.setObjectName("figureCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        self.value = QLabel("—")
        self.value.setObjectName("cardValue")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 2.1)
        font.setBold(True)
        self.value.setFont(font)
        self.detail = QLabel("")
        self.detail.setObjectName("cardDetail")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 10, 14, 10)
        lay.setSpacing(2)
        lay.addWidget(self.title)
        lay.addWidget(self.value)
        lay.addWidget(self.detail)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class BarChart(QFrame):
    """A titled bar chart whose bars can be clicked (``bar_clicked(index)``)."""

    bar_clicked = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None, *, horizontal: bool = False):
        super().__init__(parent)
        self.setObjectName("chartBox")
        self.horizontal = horizontal
        self.keys: list[Any] = []
        self.categories: list[str] = []
        self.values: list[float] = []
        self.series = None
        self.bar_set = None
        self.title = QLabel(title)
        self.title.setObjectName("chartTitle")
        self.empty = QLabel(self.tr("本期间暂无数据"))
        self.empty.setObjectName("emptyChart")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 6)
        lay.addWidget(self.title)
        if QChart is None:   # PySide6-Addons not installed: figures stay in the cards and tables
            self.chart = self.view = None
            self.empty.setText(self.tr("未安装图表组件（PySide6-Addons），无法显示图表"))
            lay.addWidget(self.empty, 1)
            return
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setVisible(False)
        self.chart.setBackgroundBrush(QColor(palette.SURFACE))
        self.chart.setBackgroundPen(QColor(palette.SURFACE))
        self.chart.setBackgroundRoundness(0)
        margins = self.chart.margins()
        for side in (margins.setLeft, margins.setTop, margins.setRight, margins.setBottom):
            side(4)
        self.chart.setMargins(margins)
        self.view = QChartView(self.chart, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setBackgroundBrush(QColor(palette.SURFACE))
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setMinimumHeight(220)
        self.view.setCursor(Qt.CursorShape.PointingHandCursor)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.empty, 1)
        self.empty.hide()

    def set_bars(self, categories: list[str], values: list[float], keys: list[Any],
                 label_format: str = "@value") -> None:
        self.categories, self.values, self.keys = list(categories), list(values), list(keys)
        if self.chart is None or self.view is None:   # no chart module: both are None
            return
        self.chart.removeAllSeries()
        for axis in list(self.chart.axes()):
            self.chart.removeAxis(axis)
        self.series = self.bar_set = None
        has_data = any(v for v in values)
        self.view.setVisible(has_data)
        self.empty.setVisible(not has_data)
        if not has_data:
            return
        series = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        bar_set = QBarSet("")
        bar_set.setColor(QColor(BAR_COLOUR))
        bar_set.setBorderColor(QColor(BAR_COLOUR))
        bar_set.setLabelColor(QColor(palette.TEXT_SECONDARY))
        for v in values:
            bar_set.append(float(v))
        series.append(bar_set)
        series.setBarWidth(0.7)
        series.setLabelsVisible(True)
        series.setLabelsFormat(label_format)
        series.setLabelsPosition(type(series).LabelsPosition.LabelsOutsideEnd)
        series.clicked.connect(self._clicked)
        self.chart.addSeries(series)
        cats = QBarCategoryAxis()
        cats.append(categories)
        cats.setGridLineVisible(False)
        cats.setTruncateLabels(False)
        cats.setLabelsColor(QColor(palette.TEXT_SECONDARY))
        vals = QValueAxis()
        top = max(values) if values else 1
        vals.setRange(0, top * 1.15 if top > 0 else 1)
        vals.setTickCount(5)
        vals.applyNiceNumbers()
        vals.setLabelFormat("%.0f")
        vals.setGridLineColor(QColor(palette.CHART_GRID))
        vals.setLabelsColor(QColor(palette.SUBTLE))
        if self.horizontal:
            self.chart.addAxis(cats, Qt.AlignmentFlag.AlignLeft)
            self.chart.addAxis(vals, Qt.AlignmentFlag.AlignBottom)
        else:
            self.chart.addAxis(cats, Qt.AlignmentFlag.AlignBottom)
            self.chart.addAxis(vals, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(cats)
        series.attachAxis(vals)
        self.series, self.bar_set = series, bar_set

    def _clicked(self, index: int, _bar_set=None) -> None:
        if 0 <= index < len(self.keys):
            self.bar_clicked.emit(index)


class FollowUpDialog(QDialog):
    """The director's follow-up of one low rating: a note and whether it is resolved."""

    def __init__(self, rating: satisfaction.RatingView, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("followUpDialog")
        self.setWindowTitle(self.tr("跟进不满意评价"))
        self.resize(520, 360)
        what = QLabel(self.tr("{stars}  {service}  {number}\n{reasons}\n{comment}")
                      .replace("{stars}", "★" * rating.rating + "☆" * (5 - rating.rating))
                      .replace("{service}", rating.service_name or "")
                      .replace("{number}", rating.ticket_number or "")
                      .replace("{reasons}", "、".join(rating.tag_labels))
                      .replace("{comment}", rating.comment))
        what.setWordWrap(True)
        earlier = QLabel(rating.follow_up_note or self.tr("（尚无跟进记录）"))
        earlier.setWordWrap(True)
        earlier.setObjectName("periodLabel")
        self.note = QPlainTextEdit()
        self.note.setObjectName("followUpNote")
        self.note.setPlaceholderText(self.tr("跟进情况：联系了谁、说明了什么、如何处理"))
        self.resolved = QCheckBox(self.tr("问题已处理完毕"))
        self.resolved.setChecked(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(what)
        lay.addWidget(earlier)
        lay.addWidget(self.note, 1)
        lay.addWidget(self.resolved)
        lay.addWidget(self.buttons)


class _DeadlinesModel(RowsModel):
    """Deadlines at risk; overdue rows in red."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            row = self.row_at(index.row())
            if row is not None and row.state == "overdue":
                return QColor(palette.DANGER)
            return None
        return super().data(index, role)


@dataclass(frozen=True)
class BarTarget:
    """What a bar or card lists: a figure and the filter of the bar."""

    figure: str
    title: str
    filters: dict


# -------------------------------------------------------------- workspace
class DirectorWorkspace(QWidget):
    """主任工作台: the hall's figures for a period, and what needs attention."""

    #: After every reload of the figures.
    refreshed = Signal()
    #: After the records behind a bar or card are shown.
    records_shown = Signal()
    #: After a monthly report was written (the path).
    exported = Signal(str)
    #: After the twelve months' trends were read.
    trends_loaded = Signal()
    #: After a ticket or case was opened from a records table.
    detail_shown = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.setObjectName("directorWorkspace")
        self.setStyleSheet(STYLE)
        self.setMinimumSize(900, 560)
        self.period_kind = "today"
        self.period = self._period_for("today")
        self.overview: monthly.Overview | None = None
        self.records_dialog: RecordsDialog | None = None
        self.follow_up_dialog: FollowUpDialog | None = None
        self.detail_dialog: RecordDetailDialog | None = None
        self.last_records: list = []
        self._shut = False
        self.reads = OneAtATime(self._start_read, lambda: self._shut)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(REFRESH_DEBOUNCE_MS)
        self.debounce.timeout.connect(self.refresh)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 10, 10, 10)
        outer.setSpacing(8)
        outer.addWidget(self._build_header())
        self.message = QLabel()
        self.message.setObjectName("messageStrip")
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("directorWorkspace")
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 4, 0)
        lay.setSpacing(10)
        lay.addLayout(self._build_cards())
        lay.addLayout(self._build_charts())
        lay.addWidget(self._build_attention(), 1)
        outer.addWidget(scroll, 1)

        ctx.feed.events.connect(self._on_events)
        ctx.feed.online.connect(self.refresh)
        self.refresh()

    # ------------------------------------------------------------ building
    def _build_header(self) -> QFrame:
        box = QFrame()
        box.setObjectName("dashHeader")
        lay = QHBoxLayout(box)
        lay.setContentsMargins(14, 8, 14, 8)
        title = QLabel(self.tr("主任工作台"))
        title.setObjectName("dashTitle")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        lay.addWidget(title)
        lay.addSpacing(16)
        self.period_buttons, self.period_button = choice_buttons(
            self, lay, ((key, translate("DirectorWorkspace", text)) for key, text in PERIODS.items()),
            name="periodButton", prop="period", chosen=self.set_period_kind)
        self.period_button["today"].setChecked(True)
        today = self._today()
        qtoday = QDate(today.year, today.month, today.day)
        self.from_edit = QDateEdit(qtoday.addDays(-6))
        self.to_edit = QDateEdit(qtoday)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.from_edit.setObjectName("periodFrom")
        self.to_edit.setObjectName("periodTo")
        self.to_label = QLabel(self.tr("至"))
        self.apply_button = QPushButton(self.tr("查询"))
        self.apply_button.setObjectName("applyPeriod")
        self.apply_button.clicked.connect(lambda: self.set_period_kind("custom"))
        for w in (self.from_edit, self.to_label, self.to_edit, self.apply_button):
            lay.addWidget(w)
        self._show_custom(False)
        lay.addSpacing(10)
        self.period_label = QLabel()
        self.period_label.setObjectName("periodLabel")
        lay.addWidget(self.period_label)
        lay.addStretch(1)
        self.updated_label = QLabel()
        self.updated_label.setObjectName("updatedLabel")
        lay.addWidget(self.updated_label)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.clicked.connect(self.refresh)
        lay.addWidget(self.refresh_button)
        self.export_button = QPushButton(self.tr("导出月报"))
        self.export_button.setObjectName("exportButton")
        menu = QMenu(self.export_button)
        menu.addAction(self.tr("PDF（打印、报送）"), lambda: self.export_monthly("pdf"))
        menu.addAction(self.tr("Excel 表格（XLSX）"), lambda: self.export_monthly("xlsx"))
        self.export_button.setMenu(menu)
        lay.addWidget(self.export_button)
        return box

    #: The definition (docs/figures.md) each card shows as its tooltip.
    CARD_NOTES = {"tickets": "queue.tickets", "waiting_mean": "queue.waiting", "waiting_p90": "queue.waiting",
                  "no_show": "queue.no_show_rate", "transfer": "queue.transfer_rate",
                  "satisfaction": "satisfaction.mean", "mediation": "case_outcomes.success_rate",
                  "performance": "case_outcomes.performance_rate", "satisfied": "satisfaction.satisfied_rate",
                  "occupancy": "queue.occupancy", "service_time": "queue.service_time",
                  "high_risk": "high_risk"}

    def _build_cards(self) -> QVBoxLayout:
        rows = QVBoxLayout()
        rows.setSpacing(10)
        specs = ((("tickets", self.tr("排队号")), ("waiting_mean", self.tr("平均等候")),
                  ("waiting_p90", self.tr("等候 P90")), ("no_show", self.tr("过号率")),
                  ("transfer", self.tr("转移率")), ("satisfaction", self.tr("满意度"))),
                 (("service_time", self.tr("平均办理")), ("occupancy", self.tr("窗口占用率")),
                  ("satisfied", self.tr("满意率")), ("mediation", self.tr("调解成功率")),
                  ("performance", self.tr("协议履行率")), ("high_risk", self.tr("高风险案件"))))
        self.cards: dict[str, FigureCard] = {}
        for line in specs:
            lay = QHBoxLayout()
            lay.setSpacing(10)
            for key, title in line:
                card = FigureCard(key, title)
                card.setToolTip(figure_notes.note(self.CARD_NOTES[key]))
                card.clicked.connect(lambda k=key: self.open_card(k))
                self.cards[key] = card
                lay.addWidget(card)
            rows.addLayout(lay)
        return rows

    def _build_charts(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(10)
        self.charts: dict[str, BarChart] = {
            "hours": BarChart(self.tr("各时段平均等候（分钟，按取号时刻）")),
            "services": BarChart(self.tr("各业务排队号"), horizontal=True),
            "ratings": BarChart(self.tr("满意度分布（条）")),
            "cases": BarChart(self.tr("各类纠纷调解成功率（%，按结果发生月）")),
        }
        for key, note in (("hours", "queue.waiting"), ("services", "queue.tickets"),
                          ("ratings", "satisfaction.mean"), ("cases", "case_outcomes.success_rate")):
            self.charts[key].setToolTip(figure_notes.note(note))
        for key, chart in self.charts.items():
            chart.bar_clicked.connect(lambda index, k=key: self.open_bar(k, index))
        grid.addWidget(self.charts["hours"], 0, 0)
        grid.addWidget(self.charts["services"], 0, 1)
        grid.addWidget(self.charts["ratings"], 0, 2)
        grid.addWidget(self.charts["cases"], 1, 0, 1, 3)
        self.charts["cases"].hide()
        for col, stretch in enumerate((4, 4, 3)):
            grid.setColumnStretch(col, stretch)
        hint = QLabel(self.tr("点击柱形或数字卡片，可查看其对应的明细记录。"))
        hint.setObjectName("chartHint")
        grid.addWidget(hint, 2, 0, 1, 3)
        return grid

    def _table(self, name: str, model: RowsModel) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setDefaultSectionSize(26)
        view.verticalHeader().hide()
        view.horizontalHeader().setStretchLastSection(True)
        view.setMinimumHeight(200)
        return view

    def _build_attention(self) -> QTabWidget:
        self.tabs = QTabWidget()
        self.tabs.setObjectName("attentionTabs")
        centre = Qt.AlignmentFlag.AlignCenter
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.deadlines_model = _DeadlinesModel([
            Column(self.tr("状态"), lambda d: d.state_label, centre),
            Column(self.tr("到期日"), lambda d: d.due_date.isoformat(), centre),
            Column(self.tr("剩余"), self._days_left, centre),
            Column(self.tr("案号"), lambda d: d.case_number or ""),
            Column(self.tr("事项"), lambda d: d.label or ""),
            Column(self.tr("期限"), lambda d: d.name),
            Column(self.tr("依据"), lambda d: d.basis, tooltip=lambda d: d.explanation or d.basis),
        ], self)
        self.deadlines_view = self._table("deadlinesTable", self.deadlines_model)
        for col, width in enumerate((70, 96, 90, 220, 230, 150)):
            self.deadlines_view.setColumnWidth(col, width)
        self.tabs.addTab(self.deadlines_view, self.tr("期限风险"))

        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        self.follow_button = QPushButton(self.tr("跟进…"))
        self.follow_button.setObjectName("followUpButton")
        self.follow_button.setEnabled(False)
        self.follow_button.clicked.connect(self.follow_up_selected)
        self.include_resolved = QCheckBox(self.tr("显示已处理"))
        self.include_resolved.setObjectName("includeResolved")
        self.include_resolved.toggled.connect(lambda _=False: self.refresh())
        bar.addWidget(self.follow_button)
        bar.addWidget(self.include_resolved)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.low_model = RowsModel([
            Column(self.tr("评价时间"), lambda r: _local(r.rated_at, "%Y-%m-%d %H:%M")),
            Column(self.tr("星级"), lambda r: "★" * r.rating + "☆" * (5 - r.rating)),
            Column(self.tr("业务"), lambda r: r.service_name or ""),
            Column(self.tr("窗口"), lambda r: self.tr("{n}号").replace("{n}", str(r.window_number))
                   if r.window_number is not None else "", centre),
            Column(self.tr("排队号"), lambda r: r.ticket_number or "", centre),
            Column(self.tr("原因"), lambda r: "、".join(r.tag_labels)),
            Column(self.tr("意见"), lambda r: r.comment, tooltip=lambda r: r.comment),
            Column(self.tr("处理"), lambda r: self.tr("已处理") if r.resolved else self.tr("未处理"), centre),
            Column(self.tr("跟进情况"), lambda r: r.follow_up_note.splitlines()[-1] if r.follow_up_note else "",
                   tooltip=lambda r: r.follow_up_note),
        ], self)
        self.low_view = self._table("lowRatingsTable", self.low_model)
        for col, width in enumerate((130, 80, 90, 50, 70, 160, 220, 60)):
            self.low_view.setColumnWidth(col, width)
        self.low_view.selectionModel().selectionChanged.connect(self._update_actions)
        self.low_view.doubleClicked.connect(lambda _i: self.follow_up_selected())
        lay.addWidget(self.low_view, 1)
        self.tabs.addTab(page, self.tr("不满意评价"))

        self.risk_model = RowsModel([
            Column(self.tr("案号"), lambda c: c.number),
            Column(self.tr("纠纷类别"), lambda c: c.category_name),
            Column(self.tr("风险"), lambda c: c.risk_label, centre),
            Column(self.tr("已报公安"), lambda c: self.tr("是") if c.police_flag else self.tr("否"), centre),
            Column(self.tr("说明"), lambda c: c.police_note, tooltip=lambda c: c.police_note),
            Column(self.tr("状态"), lambda c: c.state_name, centre),
            Column(self.tr("调解员"), lambda c: c.mediator_name),
            Column(self.tr("受理时间"), lambda c: _local(c.accepted_at, "%Y-%m-%d %H:%M")),
        ], self)
        self.risk_view = self._table("highRiskTable", self.risk_model)
        self.risk_view.setToolTip(figure_notes.note("high_risk"))
        for col, width in enumerate((200, 90, 50, 70, 220, 70, 80)):
            self.risk_view.setColumnWidth(col, width)
        self.risk_view.doubleClicked.connect(
            lambda index: self.open_detail(self.risk_model.row_at(index.row()), kind="case"))
        self.tabs.addTab(self.risk_view, self.tr("高风险案件"))

        self.trend_model = RowsModel([
            Column(self.tr("月份"), lambda t: f"{t.year}-{t.month:02d}", centre),
            Column(self.tr("来访人次"), lambda t: f"{t.visits:,}", right),
            Column(self.tr("环比"), lambda t: _change(t.visits_mom), right),
            Column(self.tr("同比"), lambda t: _change(t.visits_yoy), right),
            Column(self.tr("调解受理"), lambda t: str(t.cases_accepted), right),
            Column(self.tr("环比"), lambda t: _change(t.cases_mom), right),
            Column(self.tr("同比"), lambda t: _change(t.cases_yoy), right),
            Column(self.tr("调解成功率"), lambda t: _ratio(t.success, t.concluded), right),
            Column(self.tr("仲裁收件"), lambda t: str(t.arbitration_received), right),
            Column(self.tr("信访登记"), lambda t: str(t.petitions_received), right),
            Column(self.tr("满意率"), lambda t: _ratio(t.satisfied, t.ratings), right),
        ], self)
        self.trend_view = self._table("trendsTable", self.trend_model)
        self.trend_view.setToolTip(figure_notes.note("trends"))
        self.tabs.addTab(self.trend_view, self.tr("近十二个月"))
        self.tabs.currentChanged.connect(self._tab_changed)

        from ui.centre.director_promise import PromiseCoverageWidget

        self.promise_widget = PromiseCoverageWidget(self.ctx, self)
        self.tabs.addTab(self.promise_widget, self.tr("等候承诺"))
        self.tabs.currentChanged.connect(
            lambda i: self.promise_widget.refresh() if self.tabs.widget(i) is self.promise_widget else None)
        self.whistle_section = None
        if self.ctx.actor.may("whistle.read"):
            from ui.centre.director_whistle import WhistleAssessmentSection

            self.whistle_section = WhistleAssessmentSection(self.ctx, self)
            self.whistle_section.set_month(*self.export_month())
            self.tabs.addTab(self.whistle_section, self.tr("吹哨报到考核"))
        return self.tabs

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.trend_view:
            self.load_trends()

    def load_trends(self) -> None:
        """The twelve months up to the period's month (read when the tab is shown)."""
        db, actor = self.db, self.ctx.actor
        end = self.period.end - dt.timedelta(days=1)
        Op(self, lambda: monthly.trends(db, actor, end.year, end.month)) \
            .success(self._show_trends).failure(lambda exc: report_error(exc, self)).run()

    def _show_trends(self, rows: list) -> None:
        if self._shut:
            return
        self.trend_model.set_rows(rows)
        self.trends_loaded.emit()

    def _days_left(self, d) -> str:
        if d.days_left is None:
            return ""
        if d.days_left < 0:
            return self.tr("逾期 {n} 天").replace("{n}", str(-d.days_left))
        if d.days_left == 0:
            return self.tr("今日到期")
        return self.tr("{n} 天").replace("{n}", str(d.days_left))

    # -------------------------------------------------------------- period
    def _today(self) -> dt.date:
        return local_day(self.db.clock.now())

    def _period_for(self, kind: str) -> Period:
        today = self._today()
        if kind == "week":
            return Period.week(today)
        if kind == "month":
            return Period.month(today.year, today.month)
        if kind == "custom":
            a, b = from_qdate(self.from_edit.date()), from_qdate(self.to_edit.date())
            if b < a:
                a, b = b, a
            return Period.between(a, b + dt.timedelta(days=1))
        return Period.day(today)

    def _show_custom(self, on: bool) -> None:
        for w in (self.from_edit, self.to_label, self.to_edit, self.apply_button):
            w.setVisible(on)

    def set_period_kind(self, kind: str) -> None:
        """Show the figures of 今天 / 本周 / 本月 or the custom range in the date fields."""
        self.period_kind = kind
        self.period_button[kind].setChecked(True)
        self._show_custom(kind == "custom")
        self.period = self._period_for(kind)
        self.refresh()

    def set_custom_period(self, start: dt.date, last: dt.date) -> None:
        """The days ``start`` to ``last`` (both included)."""
        self.from_edit.setDate(QDate(start.year, start.month, start.day))
        self.to_edit.setDate(QDate(last.year, last.month, last.day))
        self.set_period_kind("custom")

    # ------------------------------------------------------------- loading
    def _on_events(self, events: list) -> None:
        if any(e.kind.startswith(_RELEVANT) for e in events):
            self.debounce.start()   # restarts: one read after the burst

    def refresh(self) -> None:
        """Read the period's figures again (off the UI thread, one read at a time)."""
        self.reads.request()

    @property
    def _loading(self) -> bool:
        return self.reads.busy

    def _start_read(self) -> None:
        if self.period_kind != "custom":
            self.period = self._period_for(self.period_kind)   # 今天 moves on at midnight
        if self.whistle_section is not None:
            self.whistle_section.set_month(*self.export_month())
        db, actor, period = self.db, self.ctx.actor, self.period
        resolved = self.include_resolved.isChecked()
        Op(self, lambda: monthly.overview(db, actor, period, include_resolved=resolved)) \
            .success(self._show).failure(self._failed).finally_(self.reads.done).run()

    def _failed(self, exc: BaseException) -> None:
        from ui.common.errors import user_message

        log.info("dashboard read failed: %s", exc)
        self.message.setText(user_message(exc)[1])
        self.message.show()

    def _show(self, ov: monthly.Overview) -> None:
        if self._shut:
            return
        self.message.hide()
        self.overview = ov
        r = ov.report
        q, sat = r["queue"], r["satisfaction"]
        self.period_label.setText(self.tr("统计区间：{label}").replace("{label}", r.label))
        self.updated_label.setText(self.tr("更新于 {time}").replace("{time}", _local(r.computed_at, "%H:%M:%S")))
        w = q["waiting"]
        self.cards["tickets"].set(f"{q['tickets']:,}", self.tr("来访 {v} 人次 · 办结 {f}")
                                  .replace("{v}", f"{q['visits']:,}").replace("{f}", f"{q['finished']:,}"))
        self.cards["waiting_mean"].set(self._minutes_text(w["mean"]),
                                       self.tr("中位数 {m} · {n} 人").replace("{m}", self._minutes_text(w["p50"]))
                                       .replace("{n}", f"{w['n']:,}"))
        self.cards["waiting_p90"].set(self._minutes_text(w["p90"]),
                                      self.tr("九成来访者的等候不超过此值"))
        self.cards["no_show"].set(_pct(q["no_show_rate"]), self.tr("过号 {a} / 叫号 {b}")
                                  .replace("{a}", str(q["no_show"])).replace("{b}", str(q["called"])))
        self.cards["transfer"].set(_pct(q["transfer_rate"]), self.tr("转移 {a} / 来访 {b}")
                                   .replace("{a}", str(q["transferred"])).replace("{b}", str(q["visits"])))
        self.cards["satisfaction"].set("—" if sat["mean"] is None
                                       else self.tr("{m} 星").replace("{m}", _num(sat["mean"], 2)),
                                       self.tr("{n} 条评价 · 不满意 {low}").replace("{n}", str(sat["count"]))
                                       .replace("{low}", str(sat["low"])))
        st = q["service_time"]
        self.cards["service_time"].set(self._minutes_text(st["mean"]), self.tr("{n} 人 · 其中未按开始办理 {k}")
                                       .replace("{n}", f"{st['n']:,}")
                                       .replace("{k}", str(q.get("service_no_start", 0))))
        busy = sum(w["busy_minutes"] or 0 for w in q["by_window"])
        staffed = sum(w["open_minutes"] or 0 for w in q["by_window"])
        self.cards["occupancy"].set(_pct(min(busy, staffed) / staffed) if staffed else "—",
                                    self.tr("占用 {b} / 开放 {o} 小时").replace("{b}", _num(busy / 60))
                                    .replace("{o}", _num(staffed / 60)))
        self.cards["satisfied"].set(_pct(sat.get("satisfied_rate")), self.tr("4星及以上 {a} / 评价 {b}")
                                    .replace("{a}", str(sat.get("satisfied", 0))).replace("{b}", str(sat["count"])))
        co = r.sections.get("case_outcomes") or {}
        self.cards["mediation"].set(_pct(co.get("success_rate")), self.tr("达成协议 {a} / 调解终结 {b}")
                                    .replace("{a}", str(co.get("success", 0)))
                                    .replace("{b}", str(co.get("concluded", 0))))
        self.cards["performance"].set(_pct(co.get("performance_rate")), self.tr("已履行 {a} / 达成协议 {b}")
                                      .replace("{a}", str(co.get("performed", 0)))
                                      .replace("{b}", str(co.get("success", 0))))
        police = sum(1 for c in ov.high_risk if c.police_flag)
        self.cards["high_risk"].set(str(len(ov.high_risk)), self.tr("其中已报公安 {n} · 在办").replace("{n}", str(police)))
        self._show_charts(ov)
        self.risk_model.set_rows(ov.high_risk)
        self.tabs.setTabText(2, self.tr("高风险案件（{n}）").replace("{n}", str(len(ov.high_risk))))
        if self.tabs.currentWidget() is self.trend_view:
            self.load_trends()
        self.deadlines_model.set_rows(ov.deadlines)
        overdue = sum(1 for d in ov.deadlines if d.state == "overdue")
        self.tabs.setTabText(0, self.tr("期限风险（逾期 {a} · 七日内 {b}）").replace("{a}", str(overdue))
                             .replace("{b}", str(len(ov.deadlines) - overdue)))
        self.low_model.set_rows(ov.low_ratings)
        open_low = sum(1 for x in ov.low_ratings if not x.resolved)
        self.tabs.setTabText(1, self.tr("不满意评价（待跟进 {n}）").replace("{n}", str(open_low)))
        self._update_actions()
        self.refreshed.emit()

    def _minutes_text(self, value: float | None) -> str:
        return "—" if value is None else self.tr("{m} 分").replace("{m}", _num(value))

    def _show_charts(self, ov: monthly.Overview) -> None:
        r = ov.report
        hours = [h for h in ov.hours if h.waiting.n]
        self.charts["hours"].set_bars([self.tr("{h}时").replace("{h}", str(h.hour)) for h in hours],
                                      [round(h.waiting.mean or 0, 1) for h in hours],
                                      [BarTarget("queue.waiting", self.tr("{h}:00–{h2}:00 取号的等候记录")
                                                 .replace("{h}", f"{h.hour:02d}").replace("{h2}", f"{h.hour + 1:02d}"),
                                                 {"hour": h.hour}) for h in hours])
        services = [s for s in r["queue"]["by_service"] if s["tickets"]]
        services.reverse()   # a horizontal chart draws its first category at the bottom
        self.charts["services"].set_bars([s["name"] for s in services], [s["tickets"] for s in services],
                                         [BarTarget("queue.tickets", self.tr("“{name}”的排队号")
                                                    .replace("{name}", s["name"]), {"service": s["service"]})
                                          for s in services], label_format="@value")
        dist = r["satisfaction"]["distribution"]
        self.charts["ratings"].set_bars([self.tr("{n}星").replace("{n}", str(k)) for k in range(1, 6)],
                                        [dist[str(k)] for k in range(1, 6)],
                                        [BarTarget("satisfaction.ratings", self.tr("{n}星评价").replace("{n}", str(k)),
                                                   {"rating": k}) for k in range(1, 6)])
        cases = self._cases_by_category(r)
        self.charts["cases"].setVisible(bool(cases))
        if cases:
            self.charts["cases"].set_bars(
                [c[1] for c in cases], [round(c[2] * 100, 1) for c in cases],
                [BarTarget("case_outcomes.success", self.tr("“{name}”达成协议的案件").replace("{name}", c[1]),
                           {"category": c[0]}) for c in cases])

    @staticmethod
    def _cases_by_category(report: stats.StatsReport) -> list[tuple[str, str, float]]:
        """``(category, label, success rate)`` when a cases provider gives them."""
        section = report.sections.get("case_outcomes") or {}
        out = []
        for item in section.get("by_category") or ():
            rate = item.get("success_rate")
            if rate is None:
                continue
            code = item.get("category") or item.get("code") or ""
            out.append((code, item.get("name") or item.get("label") or code, float(rate)))
        return out

    # ------------------------------------------------------------- records
    def open_bar(self, chart: str, index: int) -> None:
        """The records behind bar ``index`` of ``chart`` (the bar's click signal ends here)."""
        keys = self.charts[chart].keys
        if 0 <= index < len(keys):
            self.open_records(keys[index])

    def open_card(self, key: str) -> None:
        figure, title = {
            "tickets": ("queue.tickets", self.tr("排队号")),
            "waiting_mean": ("queue.waiting", self.tr("已叫号（计入等候时间）")),
            "waiting_p90": ("queue.waiting", self.tr("已叫号（计入等候时间）")),
            "no_show": ("queue.no_show", self.tr("过号")),
            "transfer": ("queue.transferred", self.tr("转移的来访")),
            "satisfaction": ("satisfaction.ratings", self.tr("满意度评价")),
            "service_time": ("queue.service_time", self.tr("计入办理时间的排队号")),
            "occupancy": ("queue.busy", self.tr("各窗口叫号并结束的排队号")),
            "satisfied": ("satisfaction.satisfied", self.tr("满意评价（4星及以上）")),
            "mediation": ("case_outcomes.concluded", self.tr("调解终结的案件（调解成功率的分母）")),
            "performance": ("case_outcomes.success", self.tr("达成协议的案件（协议履行率的分母）")),
            "high_risk": (None, ""),
        }[key]
        if figure is None:
            self.tabs.setCurrentWidget(self.risk_view)
            return
        self.open_records(BarTarget(figure, title, {}))

    def open_records(self, target: BarTarget) -> None:
        db, actor, period = self.db, self.ctx.actor, self.period
        title = f"{target.title}（{period.label}）"
        kind = SECTION_KINDS.get(target.figure.partition(".")[0], "ticket")
        Op(self, lambda: stats.records_for(db, actor, target.figure, period, **target.filters)) \
            .success(lambda rows: self._show_records(title, rows, kind)).run()

    def _show_records(self, title: str, rows: list, kind: str = "ticket") -> None:
        if self._shut:
            return
        self.last_records = list(rows)
        if self.records_dialog is None:
            self.records_dialog = RecordsDialog(self)
            self.records_dialog.detail_loader = self.open_detail
        self.records_dialog.show_records(title, rows, kind)
        self.records_dialog.show()
        self.records_shown.emit()

    def open_detail(self, record, kind: str | None = None) -> None:
        """Open the ticket or the case a record stands for."""
        if record is None:
            return
        kind = kind or getattr(record, "kind", "")
        db, actor = self.db, self.ctx.actor
        if kind == "ticket":
            Op(self, lambda: queue_service.ticket(db, record.id)).success(self._show_ticket) \
                .failure(lambda exc: report_error(exc, self)).run()
        elif kind == "case":
            Op(self, lambda: case_service.get_case(db, actor, record.id)).success(self._show_case) \
                .failure(lambda exc: report_error(exc, self)).run()

    def _show_detail(self, title: str, lines: list[tuple[str, str]]) -> None:
        if self._shut:
            return
        self.detail_dialog = RecordDetailDialog(title, lines, self)
        self.detail_dialog.show()
        self.detail_shown.emit()

    def _show_ticket(self, t) -> None:
        when = lambda m: _local(m, "%Y-%m-%d %H:%M:%S")  # noqa: E731
        self._show_detail(self.tr("排队号 {n}").replace("{n}", t.number), [
            (self.tr("业务"), t.service_name), (self.tr("状态"), _status_label(t.status)),
            (self.tr("办公日"), t.business_day.isoformat()), (self.tr("来访人"), t.masked_name),
            (self.tr("优先"), t.priority_label or ""), (self.tr("取号"), when(t.issued_at)),
            (self.tr("叫号"), when(t.called_at)), (self.tr("开始办理"), when(t.started_at)),
            (self.tr("办结"), when(t.finished_at)),
            (self.tr("窗口"), f"{t.window_number}号 {t.window_name or ''}" if t.window_number else ""),
            (self.tr("办结结果"), t.outcome or "")])

    def _show_case(self, c) -> None:
        self._show_detail(self.tr("案件 {n}").replace("{n}", c.number), [
            (self.tr("纠纷类别"), c.category_label), (self.tr("来源"), c.source_label),
            (self.tr("状态"), c.state_label), (self.tr("风险"), c.risk_label),
            (self.tr("已报公安"), (self.tr("是：") + c.police_note) if c.police_flag else self.tr("否")),
            (self.tr("调解员"), c.mediator_name or self.tr("未指派")),
            (self.tr("受理时间"), _local(c.accepted_at, "%Y-%m-%d %H:%M")),
            (self.tr("当事人"), "、".join(f"{p.side_label}：{mask_name(p.name)}" for p in c.parties if p.active)),
            (self.tr("纠纷事实"), c.facts), (self.tr("请求"), c.claims)])

    # ----------------------------------------------------------- follow-up
    def _update_actions(self, *_args) -> None:
        self.follow_button.setEnabled(self.selected_rating() is not None)

    def selected_rating(self) -> satisfaction.RatingView | None:
        rows = self.low_view.selectionModel().selectedRows()
        return self.low_model.row_at(rows[0].row()) if rows else None

    def follow_up_selected(self) -> None:
        rating = self.selected_rating()
        if rating is None:
            return
        dlg = FollowUpDialog(rating, self)
        self.follow_up_dialog = dlg
        dlg.accepted.connect(lambda: self.save_follow_up(rating.id, dlg.note.toPlainText(),
                                                         dlg.resolved.isChecked()))
        dlg.open()

    def save_follow_up(self, rating_id: int, note: str, resolved: bool) -> None:
        db, actor = self.db, self.ctx.actor
        Op(self, lambda: satisfaction.follow_up(db, actor, rating_id, note, resolved=resolved)) \
            .success(lambda _v: self.refresh()).run()

    # -------------------------------------------------------------- export
    def export_month(self) -> tuple[int, int]:
        """The month a report is made for: the period's month (本月 and 今天: this month)."""
        d = self.period.start
        return d.year, d.month

    def export_monthly(self, fmt: str, path: str | None = None) -> None:
        year, month = self.export_month()
        if path is None:
            suffix = {"pdf": self.tr("PDF 文件 (*.pdf)"), "xlsx": self.tr("Excel 工作簿 (*.xlsx)")}[fmt]
            suggested = str(Path.home() / self.tr("{y}年{m}月运行月报.{ext}").replace("{y}", str(year))
                            .replace("{m}", str(month)).replace("{ext}", fmt))
            path, _ = QFileDialog.getSaveFileName(self, self.tr("导出月报"), suggested, suffix)
            if not path:
                return
        db, actor, out = self.db, self.ctx.actor, Path(path)

        def work() -> str:
            out.write_bytes(monthly.render_monthly(db, actor, year, month, fmt))
            return str(out)

        Op(self, work).success(self.exported.emit).failure(lambda exc: report_error(exc, self)).run()

    # ------------------------------------------------------------ shutdown
    def shutdown(self) -> None:
        """Stop listening and stop the timer (the shell calls this before closing)."""
        if self._shut:
            return
        self._shut = True
        self.debounce.stop()
        if self.whistle_section is not None:
            self.whistle_section.shutdown()
        for signal, slot in ((self.ctx.feed.events, self._on_events), (self.ctx.feed.online, self.refresh)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass


__all__ = ["BarChart", "BarTarget", "DirectorWorkspace", "FigureCard", "RecordDetailDialog", "RecordsDialog",
           "record_columns"]
