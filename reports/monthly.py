"""The centre's monthly report: plain data in, PDF or XLSX bytes out.

:class:`MonthlyData` is what ``hall.services.monthly.monthly_data`` gathers
(a month's statistics, the deadlines at risk when the report is made, the
month's low ratings with their follow-up). Both formats are built from the
same list of tables (:func:`tables`), so the workbook and the printed report
always say the same thing:

* PDF (A4, ReportLab platypus): the centre's header on the first page, the
  key figures, one section per table with its chart drawn with
  ``reportlab.graphics`` bar charts, a running header and "第 N 页 共 M 页"
  on every page. Fonts only through :mod:`reports.fonts`; every text is
  checked first, so a character no installed font has is an error naming it.
* XLSX (openpyxl): one sheet per table, named in Chinese; row 1 is the
  table's title, row 2 the headers, data from row 3. Counts, minutes, rates
  and dates are stored as numbers and dates with a number format (a rate is
  the fraction, shown as a percentage), never as text.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from hall.domain.numerals import cardinal

from .cjkwrap import CellParagraph
from .fonts import FontSet, check_drawable, cjk_fonts, cjk_style, draw_runs, markup, string_width

__all__ = ["AppointmentTotals", "Cell", "ChangeRow", "Col", "FrozenInfo", "Ratio", "RiskRow", "TrendRow", "DayRow", "DeadlineRow", "Duration", "ExtraTable", "HourRow",
           "LowRatingRow", "MonthlyData", "QueueTotals", "SatisfactionTotals", "ServiceRow", "TableSpec",
           "WindowRow", "render", "render_pdf", "render_xlsx", "tables"]

FORMATS = ("pdf", "xlsx")


# =================================================================== data
@dataclass(frozen=True)
class Duration:
    """Minutes: how many, mean, median and 90th percentile (``None`` when none)."""

    n: int = 0
    mean: float | None = None
    p50: float | None = None
    p90: float | None = None


@dataclass(frozen=True)
class QueueTotals:
    tickets: int
    visits: int
    called: int
    finished: int
    no_show: int
    transferred: int
    cancelled: int
    no_show_rate: float | None
    transfer_rate: float | None
    waiting: Duration
    walking: Duration
    service_time: Duration
    service_no_start: int = 0     # finished without 开始办理: measured from the call


@dataclass(frozen=True)
class ServiceRow:
    code: str
    name: str
    tickets: int
    visits: int
    called: int
    finished: int
    no_show: int
    transferred: int
    transferred_in: int
    cancelled: int
    waiting: Duration
    service_time: Duration


@dataclass(frozen=True)
class WindowRow:
    code: str
    number: int
    name: str
    called: int
    finished: int
    no_show: int
    service_time_mean: float | None
    days: int
    open_minutes: float | None
    busy_minutes: float | None
    idle_minutes: float | None
    rating_count: int = 0
    rating_mean: float | None = None
    days_without_record: int = 0   # days staffed from the tickets (no open/pause/close record)

    @property
    def busy_share(self) -> float | None:
        if not self.open_minutes or self.busy_minutes is None:
            return None
        return round(min(self.busy_minutes, self.open_minutes) / self.open_minutes, 4)


@dataclass(frozen=True)
class HourRow:
    hour: int
    visits: int
    waiting: Duration


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    tickets: int
    visits: int


@dataclass(frozen=True)
class AppointmentTotals:
    all: int = 0
    booked: int = 0
    kept: int = 0
    late: int = 0
    missed: int = 0
    cancelled: int = 0
    missed_rate: float | None = None
    late_rate: float | None = None


@dataclass(frozen=True)
class SatisfactionTotals:
    count: int = 0
    mean: float | None = None
    distribution: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)   # 1 to 5 stars
    low: int = 0
    low_unresolved: int = 0
    satisfied: int = 0            # 4 or 5 stars
    by_source: tuple[tuple[str, int, int, float | None], ...] = ()   # (source, count, satisfied, mean)


@dataclass(frozen=True)
class DeadlineRow:
    case_number: str
    label: str
    name: str
    basis: str
    due_date: dt.date
    state_label: str
    days_left: int | None
    overdue: bool


@dataclass(frozen=True)
class LowRatingRow:
    rated_at: dt.datetime        # hall time
    rating: int
    service_name: str
    window_number: int | None
    ticket_number: str
    reasons: str
    comment: str
    resolved: bool
    follow_up: str


@dataclass(frozen=True)
class ExtraTable:
    """Another area's figures (cases, arbitration...): printed and exported as given."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Ratio:
    """A rate printed with what it is computed from: ``66.7%（4/6）``."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return round(self.part / self.whole, 4) if self.whole else None


@dataclass(frozen=True)
class ChangeRow:
    """A figure of a frozen month that a re-run computes differently."""

    path: str
    frozen: Any
    now: Any


@dataclass(frozen=True)
class FrozenInfo:
    sha256: str
    frozen_at: dt.datetime       # hall time
    frozen_by: str


@dataclass(frozen=True)
class RiskRow:
    number: str
    category: str
    risk: str
    police_flag: bool
    police_note: str
    state: str
    mediator: str
    accepted_at: dt.datetime | None   # hall time


@dataclass(frozen=True)
class TrendRow:
    month: str                   # "2026-11"
    visits: int
    visits_mom: float | None     # 环比
    visits_yoy: float | None     # 同比
    cases_accepted: int
    cases_mom: float | None
    cases_yoy: float | None
    concluded: int
    success: int
    arbitration_received: int
    petitions_received: int
    ratings: int
    satisfied: int


@dataclass(frozen=True)
class MonthlyData:
    centre_name: str
    year: int
    month: int
    period_start: dt.date
    period_end: dt.date          # exclusive
    generated_at: dt.datetime    # hall time
    queue: QueueTotals
    by_service: tuple[ServiceRow, ...]
    by_window: tuple[WindowRow, ...]
    by_hour: tuple[HourRow, ...]
    by_day: tuple[DayRow, ...]
    appointments: AppointmentTotals
    satisfaction: SatisfactionTotals
    deadlines: tuple[DeadlineRow, ...]
    low_ratings: tuple[LowRatingRow, ...]
    extra: tuple[ExtraTable | TableSpec, ...] = ()
    as_of: dt.datetime | None = None          # the month is not over: figures as of this moment
    frozen: FrozenInfo | None = None          # the month's frozen figures
    changes: tuple[ChangeRow, ...] = ()       # what a re-run computes differently
    high_risk: tuple[RiskRow, ...] = ()
    trends: tuple[TrendRow, ...] = ()

    @property
    def month_label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def period_label(self) -> str:
        last = self.period_end - dt.timedelta(days=1)
        return f"{self.period_start:%Y-%m-%d} 至 {last:%Y-%m-%d}"

    @property
    def title(self) -> str:
        return f"{self.month_label}服务大厅运行月报"

    @property
    def as_of_label(self) -> str:
        """``截至 2026-11-23 12:00（本月尚未结束）`` for a month not yet over, else ``""``."""
        return f"截至 {self.as_of:%Y-%m-%d %H:%M}（本月尚未结束）" if self.as_of else ""


# ================================================================= tables
#: Cell kinds: how a value is stored in the workbook and printed.
TEXT, INT, MINUTES, HOURS, RATE, SCORE, DATE, DATETIME, RATIO, MONEY, CHANGE = (
    "text", "int", "minutes", "hours", "rate", "score", "date", "datetime", "ratio", "money", "change")
NUMERIC = (INT, MINUTES, HOURS, RATE, SCORE, RATIO, MONEY, CHANGE)

XLSX_FORMATS = {INT: "#,##0", MINUTES: "0.0", HOURS: "0.0", RATE: "0.0%", SCORE: "0.00", DATE: "yyyy-mm-dd",
                DATETIME: "yyyy-mm-dd hh:mm", RATIO: "0.0%", MONEY: "#,##0.00", CHANGE: "+0.0%;-0.0%;0.0%"}
#: Characters a format needs at least (so a date never shows ``###``).
XLSX_MIN_WIDTH = {DATE: 12, DATETIME: 18, MONEY: 14, RATIO: 9, RATE: 9}


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = TEXT
    width: float = 1.0           # relative width in the PDF


@dataclass(frozen=True)
class Cell:
    """A value whose kind differs from its column's (the summary table's value column)."""

    value: Any
    kind: str


@dataclass(frozen=True)
class TableSpec:
    key: str
    sheet: str                   # the worksheet's name (Chinese, at most 31 characters)
    title: str                   # section heading
    cols: tuple[Col, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""
    empty: str = "本月无数据。"
    chart: str | None = None     # which chart goes with it in the PDF
    chart_cols: tuple[int, ...] = ()   # the columns a native chart of the workbook plots (column 0: categories)
    chart_type: str = "bar"      # "bar" or "line"


def _kind_value(col: Col, value: Any) -> tuple[str, Any]:
    if isinstance(value, Cell):
        return value.kind, value.value
    return col.kind, value


def display(kind: str, value: Any) -> str:
    """A value as printed: ``—`` for none, minutes to one decimal, rates as percentages."""
    if value is None:
        return "—"
    if value == "":
        return "" if kind == TEXT else "—"
    if kind == INT:
        return f"{int(value):,}"
    if kind in (MINUTES, HOURS):
        return f"{float(value):.1f}"
    if kind == RATIO:
        if isinstance(value, Ratio):
            pct = "—" if value.value is None else f"{value.value * 100:.1f}%"
            return f"{pct}（{value.part}/{value.whole}）"
        return f"{float(value) * 100:.1f}%"
    if kind == RATE:
        return f"{float(value) * 100:.1f}%"
    if kind == CHANGE:
        return f"{float(value) * 100:+.1f}%"
    if kind == MONEY:
        return f"{float(value):,.2f}"
    if kind == SCORE:
        return f"{float(value):.2f}"
    if kind == DATETIME:
        return f"{value:%m-%d %H:%M}"
    if kind == DATE:
        return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
    return str(value)


def _hours(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


def _hour_label(hour: int) -> str:
    return f"{hour:02d}:00–{hour + 1:02d}:00"


STARS = ("1星（非常不满意）", "2星（不满意）", "3星（一般）", "4星（满意）", "5星（非常满意）")


def _share(n: int, whole: int) -> Ratio:
    return Ratio(int(n), int(whole))


def tables(data: MonthlyData) -> list[TableSpec]:
    """Every table of the report, in order (the PDF's sections, the workbook's sheets)."""
    q, sat, ap = data.queue, data.satisfaction, data.appointments
    overdue = sum(1 for d in data.deadlines if d.overdue)
    due = ap.kept + ap.late + ap.missed

    def ratio(label: str, part: int, whole: int) -> tuple[str, Cell, str, str]:
        return (label, Cell(_share(part, whole), RATIO), "", f"{part}/{whole}")

    summary = (
        ("排队号（含转移产生的号）", Cell(q.tickets, INT), "个", ""),
        ("来访人次（转移链只计一次）", Cell(q.visits, INT), "人次", ""),
        ("已叫号", Cell(q.called, INT), "个", ""),
        ("已办结", Cell(q.finished, INT), "个", ""),
        ("过号", Cell(q.no_show, INT), "个", ""),
        ratio("过号率（过号 ÷ 已叫号）", q.no_show, q.called),
        ("转移", Cell(q.transferred, INT), "人次", ""),
        ratio("转移率（转移 ÷ 来访人次）", q.transferred, q.visits),
        ("取消", Cell(q.cancelled, INT), "个", ""),
        ("平均等候时间", Cell(q.waiting.mean, MINUTES), "分钟", f"{q.waiting.n} 个已叫号"),
        ("等候时间中位数", Cell(q.waiting.p50, MINUTES), "分钟", ""),
        ("等候时间 P90", Cell(q.waiting.p90, MINUTES), "分钟", ""),
        ("平均办理时间", Cell(q.service_time.mean, MINUTES), "分钟", f"{q.service_time.n} 个办结或转出"),
        ("办理时间 P90", Cell(q.service_time.p90, MINUTES), "分钟", ""),
        ("其中未按“开始办理”（自叫号起算）", Cell(q.service_no_start, INT), "个", ""),
        ("预约总数", Cell(ap.all, INT), "个", ""),
        ratio("预约爽约率（爽约 ÷ 应到）", ap.missed, due),
        ("满意度评价", Cell(sat.count, INT), "条", ""),
        ratio("满意率（4星及以上 ÷ 全部评价）", sat.satisfied, sat.count),
        ("平均满意度", Cell(sat.mean, SCORE), "星（满分 5 星）", ""),
        ("不满意评价（2星及以下）", Cell(sat.low, INT), "条", ""),
        ("其中尚未处理", Cell(sat.low_unresolved, INT), "条", ""),
        ("在办高风险及已报公安的调解案件（截至制表时）", Cell(len(data.high_risk), INT), "件", ""),
        ("期限已逾期（截至制表时）", Cell(overdue, INT), "项", ""),
        ("期限七日内到期（截至制表时）", Cell(len(data.deadlines) - overdue, INT), "项", ""),
    )
    out = [TableSpec("summary", "总体情况", "总体情况",
                     (Col("指标", TEXT, 3.4), Col("数值", TEXT, 1.6), Col("单位", TEXT, 1.3),
                      Col("分子/分母", TEXT, 1.2)), summary,
                     note="服务时间：有“开始办理”时自开始办理起算，未按时自叫号起算，至办结或转出。")]
    if data.trends:
        out.append(TableSpec(
            "trends", "近12个月趋势", "近十二个月趋势",
            (Col("月份", TEXT, 1.3), Col("来访人次", INT, 0.9), Col("环比", CHANGE, 0.8), Col("同比", CHANGE, 0.8),
             Col("调解受理", INT, 0.9), Col("环比", CHANGE, 0.8), Col("同比", CHANGE, 0.8),
             Col("调解终结", INT, 0.9), Col("调解成功率", RATIO, 1.4), Col("仲裁收件", INT, 0.9),
             Col("信访登记", INT, 0.9), Col("满意率", RATIO, 1.4)),
            tuple((t.month, t.visits, t.visits_mom, t.visits_yoy, t.cases_accepted, t.cases_mom, t.cases_yoy,
                   t.concluded, _share(t.success, t.concluded), t.arbitration_received, t.petitions_received,
                   _share(t.satisfied, t.ratings)) for t in data.trends),
            note="环比：与上月相比；同比：与上年同月相比；上月或上年同月为 0 时不计（—）。已冻结月份取冻结数据。",
            chart_cols=(1, 4), chart_type="line"))
    out.append(TableSpec(
        "by_day", "每日来访", "每日来访",
        (Col("日期", DATE, 1.4), Col("星期", TEXT, 0.8), Col("排队号", INT), Col("来访人次", INT)),
        tuple((d.day, "一二三四五六日"[d.day.weekday()], d.tickets, d.visits) for d in data.by_day),
        note="按取号所在的办公日统计。", chart="by_day", chart_cols=(3,)))
    out.append(TableSpec(
        "by_service", "各业务办理", "各业务办理情况",
        (Col("业务", TEXT, 2.0), Col("排队号", INT, 0.9), Col("来访人次", INT, 0.9), Col("已办结", INT, 0.9),
         Col("过号", INT, 0.7), Col("转出", INT, 0.7), Col("转入", INT, 0.7), Col("平均等候(分)", MINUTES, 1.4),
         Col("等候P90(分)", MINUTES, 1.4), Col("平均办理(分)", MINUTES, 1.4)),
        tuple((s.name, s.tickets, s.visits, s.finished, s.no_show, s.transferred, s.transferred_in,
               s.waiting.mean, s.waiting.p90, s.service_time.mean) for s in data.by_service),
        note="转出：本业务的来访被转往其他业务；转入：由其他业务转来的排队号。", chart="by_service",
        chart_cols=(1,)))
    out.append(TableSpec(
        "by_hour", "分时段等候", "分时段来访与等候",
        (Col("时段", TEXT, 1.6), Col("来访人次", INT), Col("已叫号", INT), Col("平均等候(分)", MINUTES),
         Col("等候中位数(分)", MINUTES), Col("等候P90(分)", MINUTES)),
        tuple((_hour_label(h.hour), h.visits, h.waiting.n, h.waiting.mean, h.waiting.p50, h.waiting.p90)
              for h in data.by_hour),
        note="按取号时刻所在的小时统计；等候时间 = 叫号时刻 − 取号时刻。", chart="by_hour", chart_cols=(3, 5)))
    out.append(TableSpec(
        "by_window", "各窗口工作量", "各窗口工作量",
        (Col("窗口", TEXT, 1.9), Col("叫号", INT, 0.8), Col("办结", INT, 0.8), Col("过号", INT, 0.8),
         Col("平均办理(分)", MINUTES), Col("开放天数", INT, 0.8), Col("开放时长(时)", HOURS),
         Col("占用时长(时)", HOURS), Col("空闲时长(时)", HOURS), Col("占用率", RATE, 0.8),
         Col("评价数", INT, 0.8), Col("平均满意度", SCORE, 0.9)),
        tuple((f"{w.number}号 {w.name}", w.called, w.finished, w.no_show, w.service_time_mean, w.days,
               _hours(w.open_minutes), _hours(w.busy_minutes), _hours(w.idle_minutes), w.busy_share,
               w.rating_count, w.rating_mean)
              for w in data.by_window),
        note="开放时长：按窗口的开放、暂停、关闭记录，自开放至暂停或关闭（当日为止）；占用：叫号至该号结束；"
             "空闲 = 开放 − 占用；占用率 = 占用 ÷ 开放。"
             + (f"其中 {sum(w.days_without_record for w in data.by_window)} 个窗口日没有开放记录（如导入的历史数据），"
                "按当日首次叫号至最后结束推算。" if any(w.days_without_record for w in data.by_window) else ""),
        chart_cols=(9,)))
    out.append(TableSpec(
        "appointments", "预约情况", "预约情况",
        (Col("项目", TEXT, 2), Col("数量", INT), Col("占比", RATIO, 1.4)),
        tuple((label, n, _share(n, ap.all)) for label, n in (
            ("按时签到", ap.kept), ("迟到", ap.late), ("爽约", ap.missed), ("已取消", ap.cancelled),
            ("待签到", ap.booked), ("合计", ap.all))),
        note=f"爽约率 = 爽约 ÷（按时签到 + 迟到 + 爽约）= {display(RATIO, _share(ap.missed, due))}。"))
    out.append(TableSpec(
        "satisfaction", "满意度", "满意度评价分布",
        (Col("评价", TEXT, 2), Col("条数", INT), Col("占比", RATIO, 1.4)),
        tuple((STARS[i], n, _share(n, sat.count)) for i, n in enumerate(sat.distribution))
        + (("合计", sat.count, _share(sat.count, sat.count)),),
        note=f"满意率（4星及以上 ÷ 全部评价）= {display(RATIO, _share(sat.satisfied, sat.count))}。",
        chart="satisfaction", chart_cols=(1,)))
    out.append(TableSpec(
        "rating_sources", "评价来源", "满意度评价来源",
        (Col("来源", TEXT, 2.4), Col("条数", INT), Col("满意（4星及以上）", INT, 1.2), Col("满意率", RATIO, 1.4),
         Col("平均满意度", SCORE)),
        tuple((name, n, ok, _share(ok, n), mean) for name, n, ok, mean in sat.by_source),
        note="各来源分别统计：自助评价机凭访客排队号小票上的评价码评价。", empty="本月无满意度评价。"))
    out.append(TableSpec(
        "low_ratings", "不满意评价", "不满意评价及跟进",
        (Col("评价时间", DATETIME, 1.5), Col("星级", INT, 0.6), Col("业务", TEXT, 1.1), Col("窗口", TEXT, 0.6),
         Col("排队号", TEXT, 0.8), Col("原因", TEXT, 1.9), Col("意见", TEXT, 2.0), Col("处理", TEXT, 0.9),
         Col("跟进情况", TEXT, 2.2)),
        tuple((r.rated_at, r.rating, r.service_name or "",
               f"{r.window_number}号" if r.window_number is not None else "", r.ticket_number or "",
               r.reasons, r.comment, "已处理" if r.resolved else "未处理", r.follow_up)
              for r in data.low_ratings),
        empty="本月无不满意评价。"))
    for i, extra in enumerate(data.extra):
        if isinstance(extra, TableSpec):
            out.append(extra)
            continue
        kinds = [INT if all(isinstance(r[c], int) and not isinstance(r[c], bool) for r in extra.rows if
                            r[c] is not None) and extra.rows else TEXT for c in range(len(extra.headers))]
        cols = tuple(Col(h, k if c else TEXT) for c, (h, k) in enumerate(zip(extra.headers, kinds)))
        out.append(TableSpec(f"extra{i}", extra.title[:31], extra.title, cols, extra.rows))
    out.append(TableSpec(
        "high_risk", "高风险案件", "在办高风险案件及已报公安的案件",
        (Col("案号", TEXT, 2.2), Col("类别", TEXT, 1.0), Col("风险", TEXT, 0.6), Col("已报公安", TEXT, 0.8),
         Col("说明", TEXT, 2.0), Col("状态", TEXT, 0.8), Col("调解员", TEXT, 0.9), Col("受理时间", DATETIME, 1.3)),
        tuple((r.number, r.category, r.risk, "是" if r.police_flag else "否", r.police_note, r.state, r.mediator,
               r.accepted_at) for r in data.high_risk),
        note=f"截至 {data.generated_at:%Y-%m-%d %H:%M}，尚在办理、风险等级为高或已按人民调解法第二十五条报告公安的案件。",
        empty="截至制表时，没有在办的高风险案件。"))
    out.append(TableSpec(
        "deadlines", "期限风险", "期限风险（已逾期及七日内到期）",
        (Col("案号", TEXT, 2.6), Col("事项", TEXT, 1.6), Col("期限", TEXT, 1.3), Col("依据", TEXT, 2.0),
         Col("到期日", DATE, 1.4), Col("状态", TEXT, 0.8), Col("剩余天数", INT, 0.9)),
        tuple((d.case_number, d.label, d.name, d.basis, d.due_date, d.state_label, d.days_left)
              for d in data.deadlines),
        note=f"截至 {data.generated_at:%Y-%m-%d %H:%M}，尚未完成的期限中已逾期及七日内到期者。",
        empty="截至制表时，没有逾期或七日内到期的期限。"))
    if data.frozen is not None:
        out.append(TableSpec(
            "changes", "冻结后变化", "冻结以来的数据变化",
            (Col("统计项", TEXT, 3.4), Col("冻结时", TEXT, 1.3), Col("重新计算", TEXT, 1.3)),
            tuple((c.path, _plain(c.frozen), _plain(c.now)) for c in data.changes),
            note=f"本月数据已于 {data.frozen.frozen_at:%Y-%m-%d %H:%M} 由{data.frozen.frozen_by}冻结，"
                 f"SHA-256：{data.frozen.sha256}。本报告各表为冻结数据；上表列出此后重新计算结果不同的统计项。",
            empty=f"本月数据已于 {data.frozen.frozen_at:%Y-%m-%d %H:%M} 冻结（SHA-256：{data.frozen.sha256}），"
                  "重新计算与冻结数据一致。"))
    return out


def _plain(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def texts(data: MonthlyData) -> str:
    """Every character the report prints (checked against the fonts first)."""
    parts = [data.centre_name, data.title, data.period_label, data.as_of_label,
             "第页共制表时间统计区间0123456789—–.%:（）星+-/冻结数据已于SHA-256：abcdef",
             *(cardinal(i + 1) + "、" for i in range(len(tables(data)))),
             "每日来访人次（横轴：日）各业务排队号数量各时段等候时间（分钟）平均P90满意度评价分布（条）时"]
    for t in tables(data):
        parts += [t.title, t.note, t.empty, *(c.header for c in t.cols)]
        for row in t.rows:
            parts += [display(*_kind_value(c, v)) for c, v in zip(t.cols, row)]
    parts += [s.name for s in data.by_service]
    parts += [t for item in _card_items(data) for t in item]
    return "".join(parts)


# ==================================================================== PDF
NAVY = colors.HexColor("#10325a")
BLUE = colors.HexColor("#1f6feb")
GREY = colors.HexColor("#5d6d7e")
RULE = colors.HexColor("#c8d1dc")
HEAD_BG = colors.HexColor("#e8eef6")
ZEBRA = colors.HexColor("#f6f8fb")
CARD_BG = colors.HexColor("#f4f7fb")
STAR_COLOURS = ("#c0392b", "#e67e22", "#f1c40f", "#7dcea0", "#1e8449")

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 22 * mm, 18 * mm
BODY_W = PAGE_W - 2 * MARGIN_X


class _Styles:
    def __init__(self, fonts: FontSet):
        body, head = fonts.body, fonts.heading
        self.fonts = fonts
        self.centre = cjk_style("m-centre", head, 15, 22, TA_CENTER, textColor=NAVY)
        self.title = cjk_style("m-title", head, 22, 32, TA_CENTER, textColor=NAVY)
        self.meta = cjk_style("m-meta", body, 9.5, 14, TA_CENTER, textColor=GREY)
        self.h1 = cjk_style("m-h1", head, 13, 18, TA_LEFT, textColor=NAVY, spaceBefore=10, spaceAfter=4)
        self.note = cjk_style("m-note", body, 8, 11, TA_LEFT, textColor=GREY)
        self.cell = cjk_style("m-cell", body, 8.5, 11.5, TA_LEFT)
        self.cell_num = cjk_style("m-cell-n", body, 8.5, 11.5, TA_RIGHT)
        self.cell_head = cjk_style("m-cell-h", head, 8.5, 11.5, TA_CENTER, textColor=NAVY)
        self.card_value = cjk_style("m-card-v", head, 17, 21, TA_CENTER, textColor=NAVY)
        self.card_label = cjk_style("m-card-l", body, 8.5, 11, TA_CENTER, textColor=GREY)

    def p(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(markup(text, style.fontName, self.fonts), style)

    def boxed(self, text: str, style: ParagraphStyle) -> Paragraph:
        """A table cell's paragraph: no punctuation hangs past the cell's border."""
        return CellParagraph(markup(text, style.fontName, self.fonts), style)


def _table(spec: TableSpec, st: _Styles) -> Table:
    total = sum(c.width for c in spec.cols)
    widths = [BODY_W * c.width / total for c in spec.cols]
    head = [st.boxed(c.header, st.cell_head) for c in spec.cols]
    body = []
    for row in spec.rows:
        cells = []
        for c, v in zip(spec.cols, row):
            kind, value = _kind_value(c, v)
            numeric = kind in NUMERIC
            cells.append(st.boxed(display(kind, value), st.cell_num if numeric else st.cell))
        body.append(cells)
    table = Table([head, *body], colWidths=widths, repeatRows=1, hAlign="CENTER")
    style = [
        ("FONTNAME", (0, 0), (-1, -1), st.fonts.body),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEABOVE", (0, 0), (-1, 0), 0.9, NAVY),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, NAVY),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, NAVY),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    for r in range(2, len(body) + 1, 2):
        style.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
    table.setStyle(TableStyle(style))
    return table


def _card_items(data: MonthlyData) -> list[tuple[str, str]]:
    q, sat = data.queue, data.satisfaction
    return [
        (display(INT, q.visits), "来访人次"),
        (display(INT, q.tickets), "排队号"),
        (display(MINUTES, q.waiting.mean), "平均等候（分钟）"),
        (display(MINUTES, q.waiting.p90), "等候 P90（分钟）"),
        (display(RATE, q.no_show_rate), "过号率"),
        (display(RATE, q.transfer_rate), "转移率"),
        (display(SCORE, sat.mean), f"平均满意度（{sat.count:,} 条评价）"),
        (display(INT, sat.low), f"不满意评价（未处理 {sat.low_unresolved}）"),
    ]


def _cards(data: MonthlyData, st: _Styles) -> Table:
    cards = _card_items(data)
    cells = [[st.p(v, st.card_value), st.p(label, st.card_label)] for v, label in cards]
    rows = [cells[:4], cells[4:]]
    gap = 4
    w = (BODY_W - 3 * gap) / 4
    table = Table(rows, colWidths=[w] * 4, rowHeights=[48] * 2, hAlign="CENTER")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st.fonts.body),
        ("BACKGROUND", (0, 0), (-1, -1), CARD_BG),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("INNERGRID", (0, 0), (-1, -1), 2.5, colors.white),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _axis_fonts(chart: HorizontalBarChart | VerticalBarChart, font: str, size: float = 7.5) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = size
        axis.labels.fillColor = GREY
        axis.strokeColor = RULE
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e5e9ef")
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.forceZero = True
    chart.valueAxis.visibleTicks = False
    chart.categoryAxis.visibleTicks = False


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if value / step <= 6:
            return step * (int(value / step) + 1)
    return value * 1.2


def _axis_range(chart: HorizontalBarChart | VerticalBarChart, top: float) -> None:
    top = _nice_max(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = top / 5 if top >= 5 else 1


def _caption(d: Drawing, text: str, font: str, x: float, y: float) -> None:
    d.add(String(x, y, text, fontName=font, fontSize=8, fillColor=GREY))


def _chart_by_day(data: MonthlyData, fonts: FontSet) -> Drawing:
    h = 150
    d = Drawing(BODY_W, h, initialFontName=fonts.body)
    c = VerticalBarChart()
    c.x, c.y, c.width, c.height = 30, 22, BODY_W - 40, h - 40
    days = list(data.by_day)
    c.data = [[r.visits for r in days] or [0]]
    c.categoryAxis.categoryNames = [f"{r.day.day}" for r in days] or [""]
    c.bars[0].fillColor = BLUE
    c.bars[0].strokeColor = None
    c.barSpacing = 1
    _axis_fonts(c, fonts.body)
    _axis_range(c, max(c.data[0]))
    d.add(c)
    _caption(d, "每日来访人次（横轴：日）", fonts.body, 30, h - 10)
    return d


def _chart_by_service(data: MonthlyData, fonts: FontSet) -> Drawing:
    rows = sorted(data.by_service, key=lambda s: s.tickets)
    bar = 13
    h = max(60, len(rows) * bar + 44)
    d = Drawing(BODY_W, h, initialFontName=fonts.body)
    c = HorizontalBarChart()
    label_w = max([string_width(s.name, fonts.body, 7.5, fonts) for s in rows] or [20]) + 8
    c.x, c.y, c.width, c.height = label_w + 4, 20, BODY_W - label_w - 20, h - 40
    c.data = [[s.tickets for s in rows] or [0]]
    c.categoryAxis.categoryNames = [s.name for s in rows] or [""]
    c.bars[0].fillColor = BLUE
    c.bars[0].strokeColor = None
    c.barLabelFormat = "%d"
    c.barLabels.fontName = fonts.body
    c.barLabels.fontSize = 7
    c.barLabels.fillColor = GREY
    c.barLabels.boxAnchor = "w"
    c.barLabels.dx = 3
    _axis_fonts(c, fonts.body)
    _axis_range(c, max(c.data[0]))
    d.add(c)
    _caption(d, "各业务排队号数量", fonts.body, c.x, h - 10)
    return d


def _chart_by_hour(data: MonthlyData, fonts: FontSet) -> Drawing:
    h = 150
    d = Drawing(BODY_W, h, initialFontName=fonts.body)
    c = VerticalBarChart()
    c.x, c.y, c.width, c.height = 30, 22, BODY_W - 40, h - 40
    rows = list(data.by_hour)
    c.data = [[r.waiting.mean or 0 for r in rows] or [0], [r.waiting.p90 or 0 for r in rows] or [0]]
    c.categoryAxis.categoryNames = [f"{r.hour}时" for r in rows] or [""]
    c.bars[0].fillColor = BLUE
    c.bars[1].fillColor = colors.HexColor("#a9c6f5")
    for i in (0, 1):
        c.bars[i].strokeColor = None
    c.groupSpacing = 8
    _axis_fonts(c, fonts.body)
    _axis_range(c, max(max(c.data[0]), max(c.data[1])))
    d.add(c)
    _caption(d, "各时段等候时间（分钟）", fonts.body, 30, h - 10)
    # legend
    x = BODY_W - 150
    for i, (label, colour) in enumerate((("平均", BLUE), ("P90", colors.HexColor("#a9c6f5")))):
        d.add(Rect(x + i * 60, h - 11, 8, 8, fillColor=colour, strokeColor=None))
        d.add(String(x + i * 60 + 11, h - 10, label, fontName=fonts.body, fontSize=8, fillColor=GREY))
    return d


def _chart_satisfaction(data: MonthlyData, fonts: FontSet) -> Drawing:
    h = 130
    d = Drawing(BODY_W, h, initialFontName=fonts.body)
    c = VerticalBarChart()
    c.x, c.y, c.width, c.height = 30, 22, BODY_W * 0.6, h - 40
    c.data = [list(data.satisfaction.distribution)]
    c.categoryAxis.categoryNames = ["1星", "2星", "3星", "4星", "5星"]
    c.bars[0].strokeColor = None
    for i, colour in enumerate(STAR_COLOURS):
        c.bars[(0, i)].fillColor = colors.HexColor(colour)
    c.barLabelFormat = "%d"
    c.barLabels.fontName = fonts.body
    c.barLabels.fontSize = 7
    c.barLabels.fillColor = GREY
    c.barLabels.nudge = 6
    _axis_fonts(c, fonts.body)
    _axis_range(c, max(c.data[0]))
    d.add(c)
    _caption(d, "满意度评价分布（条）", fonts.body, 30, h - 10)
    return d


CHARTS = {"by_day": _chart_by_day, "by_service": _chart_by_service, "by_hour": _chart_by_hour,
          "satisfaction": _chart_satisfaction}


class _Pages(Canvas):
    """A canvas that knows the page count: the footer says "第 N 页 共 M 页"."""

    def __init__(self, *args: Any, painter: Callable[[Canvas, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []
        self._painter = painter

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self._painter(self, total)
            super().showPage()
        super().save()


def _page_painter(data: MonthlyData, fonts: FontSet) -> Callable[[Canvas, int], None]:
    def paint(canv: Canvas, total: int) -> None:
        n = canv.getPageNumber()
        canv.saveState()
        canv.setFillColor(GREY)
        y = PAGE_H - 13 * mm
        if n > 1:
            draw_runs(canv, MARGIN_X, y, data.centre_name, fonts.body, 8, fonts)
            right = data.title
            draw_runs(canv, PAGE_W - MARGIN_X - string_width(right, fonts.body, 8, fonts), y, right,
                      fonts.body, 8, fonts)
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.5)
            canv.line(MARGIN_X, y - 3, PAGE_W - MARGIN_X, y - 3)
        foot = f"第 {n} 页  共 {total} 页"
        draw_runs(canv, (PAGE_W - string_width(foot, fonts.body, 8, fonts)) / 2, 10 * mm, foot,
                  fonts.body, 8, fonts)
        if data.as_of_label:
            canv.setFillColor(colors.HexColor("#b03a2e"))
            draw_runs(canv, MARGIN_X, 10 * mm, data.as_of_label, fonts.body, 8, fonts)
        canv.restoreState()

    return paint


def _story(data: MonthlyData, st: _Styles) -> list[Flowable]:
    fonts = st.fonts
    story: list[Flowable] = [
        st.p(data.centre_name, st.centre),
        Spacer(0, 2),
        st.p(data.title, st.title),
        Spacer(0, 2),
        st.p(f"统计区间：{data.period_label}　　制表时间：{data.generated_at:%Y-%m-%d %H:%M}", st.meta),
    ]
    if data.as_of_label:
        story.append(st.p(f"本月尚未结束：各项数据截至 {data.as_of:%Y-%m-%d %H:%M}", st.meta))
    if data.frozen is not None:
        story.append(st.p(f"本月数据已于 {data.frozen.frozen_at:%Y-%m-%d %H:%M} 冻结　SHA-256：{data.frozen.sha256[:16]}…",
                          st.meta))
    story += [
        Spacer(0, 6),
    ]
    line = Table([[""]], colWidths=[BODY_W], rowHeights=[2])
    # The empty cell is drawn as a string: in the body face, never an unembedded Helvetica.
    line.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 1.4, NAVY), ("FONTNAME", (0, 0), (-1, -1), fonts.body)]))
    story += [line, Spacer(0, 6), _cards(data, st), Spacer(0, 4)]
    for i, spec in enumerate(tables(data)):
        number = cardinal(i + 1)
        heading = st.p(f"{number}、{spec.title}", st.h1)
        block: list[Flowable] = [heading]
        if spec.chart and spec.rows and not (spec.chart == "satisfaction" and not data.satisfaction.count):
            block += [CHARTS[spec.chart](data, fonts), Spacer(0, 4)]
        story.append(CondPageBreak(120))
        if spec.rows:
            table = _table(spec, st)
            # The heading and chart stay with the table's first rows.
            story += [KeepTogether(block), table]
        else:
            story += [KeepTogether(block + [st.p(spec.empty, st.cell)])]
        if spec.note:
            story += [Spacer(0, 2), st.p(spec.note, st.note)]
    return story


def render_pdf(data: MonthlyData, fonts: FontSet | None = None) -> bytes:
    """The report as an A4 PDF. Raises :class:`reports.fonts.MissingGlyphError`
    naming any character no installed font can draw, before layout."""
    fonts = fonts or cjk_fonts()
    check_drawable(texts(data), fonts)
    st = _Styles(fonts)
    buffer = io.BytesIO()
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                          title=f"{data.centre_name}{data.title}", author=data.centre_name,
                          subject="月报", creator="hall", invariant=1, initialFontName=fonts.body)
    doc.addPageTemplates([PageTemplate(id="report", frames=[frame])])
    painter = _page_painter(data, fonts)
    doc.build(_story(data, st), canvasmaker=lambda *a, **k: _Pages(*a, painter=painter, **k))
    return buffer.getvalue()


# =================================================================== XLSX
def _text_width(text: str) -> float:
    """Display width in Excel's character units: a Chinese character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _xlsx_value(kind: str, value: Any) -> Any:
    if value is None or value == "":
        return None if kind != TEXT else value
    if isinstance(value, Ratio):
        return value.value
    if kind == INT:
        return int(value)
    if kind in NUMERIC:
        return float(value)
    return value


def render_xlsx(data: MonthlyData) -> bytes:
    """The report as a workbook: one sheet per table, numbers stored as numbers,
    a native chart beside each table that has one, A4 landscape fitted to the
    page width with the header rows repeated."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"{data.centre_name}{data.title}"
    wb.properties.creator = data.centre_name
    wb.properties.created = wb.properties.modified = data.generated_at.replace(tzinfo=None)
    title_font = Font(bold=True, size=13, color="10325A")
    head_font = Font(bold=True, color="10325A")
    head_fill = PatternFill("solid", fgColor="E8EEF6")
    thin = Side(style="thin", color="C8D1DC")
    head_border = Border(top=Side(style="medium", color="10325A"), bottom=Side(style="thin", color="10325A"))
    wrap = Alignment(wrap_text=True, vertical="center")
    for spec in tables(data):
        ws = wb.create_sheet(spec.sheet)
        n = len(spec.cols)
        title = f"{data.centre_name} {data.month_label} {spec.title}"
        if data.as_of_label:
            title += f" {data.as_of_label}"
        ws.cell(1, 1, title).font = title_font
        if n > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
        ws.row_dimensions[1].height = 24
        widths = [max(_text_width(c.header) + 2, XLSX_MIN_WIDTH.get(c.kind, 0)) for c in spec.cols]
        for c, col in enumerate(spec.cols, start=1):
            cell = ws.cell(2, c, col.header)
            cell.font, cell.fill, cell.border = head_font, head_fill, head_border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for r, row in enumerate(spec.rows, start=3):
            for c, (col, raw) in enumerate(zip(spec.cols, row), start=1):
                kind, value = _kind_value(col, raw)
                cell = ws.cell(r, c, _xlsx_value(kind, value))
                cell.border = Border(bottom=thin)
                if kind in XLSX_FORMATS:
                    cell.number_format = XLSX_FORMATS[kind]
                elif isinstance(value, str) and len(value) > 30:
                    cell.alignment = wrap
                shown = display(kind, value)
                need = max(_text_width(shown) + 2, XLSX_MIN_WIDTH.get(kind, 0))
                widths[c - 1] = max(widths[c - 1], min(need, 48))
        for c, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = max(8, w)
        ws.freeze_panes = "A3"
        last_row = 2 + len(spec.rows)
        if not spec.rows:
            ws.cell(3, 1, spec.empty).font = Font(italic=True, color="5D6D7E")
            last_row = 3
        elif spec.note:
            ws.cell(len(spec.rows) + 4, 1, spec.note).font = Font(italic=True, color="5D6D7E")
            last_row = len(spec.rows) + 4
        chart_rows = [r for r in spec.rows if not (isinstance(r[0], str) and r[0] == "合计")]
        if spec.chart_cols and chart_rows:
            chart = LineChart() if spec.chart_type == "line" else BarChart()
            if spec.chart_type != "line":
                chart.type = "col"
            chart.title = spec.title
            chart.height, chart.width = 7.5, max(16, min(32, 1.2 * len(chart_rows) + 8))
            end = 2 + len(chart_rows)
            for series in spec.chart_cols:
                chart.add_data(Reference(ws, min_col=series + 1, min_row=2, max_row=end), titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=1, min_row=3, max_row=end))
            chart.y_axis.title = spec.cols[spec.chart_cols[0]].header
            chart.y_axis.numFmt = XLSX_FORMATS.get(spec.cols[spec.chart_cols[0]].kind, "General")
            chart.legend.position = "b"
            anchor_row = last_row + 2
            ws.add_chart(chart, f"A{anchor_row}")
            last_row = anchor_row + 16
        # the print area covers the table, its title and its chart
        need = _text_width(title) * 1.1
        if spec.chart_cols and chart_rows:
            need = max(need, chart.width / 0.19)          # cm -> character units (~0.19 cm each)
        last_col, covered = n, sum(max(8, w) for w in widths)
        while covered < need:
            last_col += 1
            covered += 8.43
        ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
        ws.print_title_rows = "1:2"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.oddHeader.left.text = data.centre_name
        ws.oddHeader.right.text = data.as_of_label or data.title
        ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def render(data: MonthlyData, fmt: str = "pdf") -> bytes:
    if fmt == "pdf":
        return render_pdf(data)
    if fmt == "xlsx":
        return render_xlsx(data)
    raise ValueError(f"未知的月报格式：{fmt}（可用 {'、'.join(FORMATS)}）")
