"""吹哨报到考核 in the director's dashboard: the month's closure rate, on-time
rate and residents' satisfaction as cards, the two-way assessment per
department and per street as tables. Every card and every cell opens the
whistles behind it (double-click one for the whistle itself); every card,
column and table carries its definition from ``docs/figures.md``.

A widget of its own; ``DirectorWorkspace`` adds it as a tab and tells it the
month of its period (``set_month``). It reads when shown, and again after a
whistle event while shown."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hall.domain import whistle as rules
from hall.domain.clock import to_local
from hall.domain.masking import mask_name
from hall.services import figure_notes, whistle
from ui.common.context import AppContext
from ui.common.errors import report_error
from ui.common.ops import OneAtATime, Op
from ui.common.tablemodel import Column, RowsModel
from ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)

if TYPE_CHECKING:  # the director's workspace imports this module when it shows the section
    from ui.centre.director import RecordDetailDialog, RecordsDialog

#: Quiet time after the last whistle event before reading again.
REFRESH_DEBOUNCE_MS = 1500


def _when(moment: dt.datetime | None) -> str:
    return f"{to_local(moment):%Y-%m-%d %H:%M}" if moment else ""


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "—"


@dataclass(frozen=True)
class WhistleRecord:
    """One row behind a figure: a whistle, and the department when the figure counts summons."""

    whistle: Any                 # whistle.WhistleView
    department: str = ""
    kind: str = "whistle"


def record_columns() -> list[Column]:
    centre = Qt.AlignmentFlag.AlignCenter
    return [
        Column(translate("WhistleAssessmentSection", "编号"), lambda r: r.whistle.number, centre),
        Column(translate("WhistleAssessmentSection", "哨类"), lambda r: translate("WhistleAssessmentSection", r.whistle.kind_label), centre),
        Column(translate("WhistleAssessmentSection", "部门"), lambda r: r.department or r.whistle.departments),
        Column(translate("WhistleAssessmentSection", "街道"), lambda r: r.whistle.street),
        Column(translate("WhistleAssessmentSection", "状态"), lambda r: translate("WhistleAssessmentSection", r.whistle.state_label), centre),
        Column(translate("WhistleAssessmentSection", "发出"), lambda r: _when(r.whistle.issued_at)),
        Column(translate("WhistleAssessmentSection", "办结"), lambda r: _when(r.whistle.closed_at)),
        Column(translate("WhistleAssessmentSection", "满意度"), lambda r: _satisfaction(r.whistle)),
        Column(translate("WhistleAssessmentSection", "事项"), lambda r: r.whistle.matter, tooltip=lambda r: r.whistle.matter),
    ]


def _satisfaction(w) -> str:
    if w.satisfaction is None:
        return ""
    channel = rules.SATISFACTION_CHANNELS.get(w.satisfaction_channel, "")
    label = translate("WhistleAssessmentSection", rules.SATISFACTION_LABELS[w.satisfaction])
    return f"{label}（{translate('WhistleAssessmentSection', channel)}）" if channel else label


class _NotedModel(RowsModel):
    """Rows whose column headers carry a definition as their tooltip."""

    def __init__(self, columns, notes: list[str], parent=None):
        super().__init__(columns, parent)
        self.notes = notes

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.notes):
            return self.notes[section] or None
        return super().headerData(section, orientation, role)


# column of a table -> (records key, the records' title), None for the name column
DEPT_FIGURES = (None, ("summons", "召集"), ("reported_on_time", "按时报到"), ("resolved_on_time", "按时办结"),
                ("satisfied", "满意"), ("escalated", "被督办"), ("returned", "退回"), ("summons", "系统得分所计召集"),
                ("summons", "街道评价所计召集"), ("adjustment", "加减分"), ("summons", "总分所计召集"))
STREET_FIGURES = (None, ("whistles", "吹哨"), ("closed", "办结"), ("well_aimed", "吹哨准确"), ("satisfied", "满意"),
                  ("well_aimed", "吹哨质量所计吹哨"), ("closed", "办结率所计吹哨"), ("satisfied", "满意率所计吹哨"),
                  ("adjustment", "加减分"), ("whistles", "总分所计吹哨"))


class WhistleAssessmentSection(QWidget):
    """The month's 吹哨报到 assessment, figures first, each a click from its whistles."""

    loaded = Signal()
    records_shown = Signal()
    detail_shown = Signal()

    CARD_NOTES = {"whistles": "whistle.closure_rate", "closure": "whistle.closure_rate",
                  "on_time": "whistle.on_time_rate", "satisfied": "whistle.satisfaction"}

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        from ui.centre.director import FigureCard

        self.ctx = ctx
        self.setObjectName("whistleAssessmentSection")
        self.year = self.month = 0
        self.assessment: whistle.Assessment | None = None
        self.records_dialog: RecordsDialog | None = None
        self.detail_dialog: RecordDetailDialog | None = None
        self.last_records: list[WhistleRecord] = []
        self._shut = False
        self.reads = OneAtATime(self._start_read, lambda: self._shut or not self.year)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(REFRESH_DEBOUNCE_MS)
        self.debounce.timeout.connect(self.load)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        lay.setSpacing(8)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        lay.addWidget(self.title)
        cards = QHBoxLayout()
        cards.setSpacing(10)
        self.cards: dict[str, FigureCard] = {}
        for key, title in (("whistles", self.tr("吹哨")), ("closure", self.tr("办结率")),
                           ("on_time", self.tr("按时办结率")), ("satisfied", self.tr("群众满意率"))):
            card = FigureCard(key, title)
            card.setToolTip(figure_notes.note(self.CARD_NOTES[key]))
            card.clicked.connect(lambda k=key: self.open_card(k))
            self.cards[key] = card
            cards.addWidget(card)
        lay.addLayout(cards)

        dept_note, street_note = figure_notes.note("whistle.department_score"), figure_notes.note("whistle.street_score")
        sat_note, rate_note = figure_notes.note("whistle.satisfaction"), figure_notes.note("whistle.on_time_rate")
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        f = lambda key: (lambda d: d.figures[key])  # noqa: E731
        self.dept_model = _NotedModel([
            Column(self.tr("部门"), lambda d: d.name),
            Column(self.tr("召集"), f("summons"), right),
            Column(self.tr("按时报到"), f("reported_on_time"), right),
            Column(self.tr("按时办结"), f("resolved_on_time"), right),
            Column(self.tr("满意/已评"), lambda d: f"{d.figures['satisfied']}/{d.figures['rated']}", right),
            Column(self.tr("督办"), f("escalated"), right),
            Column(self.tr("退回"), f("returned"), right),
            Column(self.tr("系统得分"), lambda d: f"{d.figures['system_score']:.2f}", right),
            Column(self.tr("街道评价"), lambda d: f"{d.figures['street_score']:.2f}", right),
            Column(self.tr("加减分"), lambda d: f"{d.figures['adjustment']:+.2f}", right),
            Column(self.tr("总分"), lambda d: f"{d.figures['total']:.2f}", right),
        ], ["", dept_note, dept_note, rate_note, sat_note, dept_note, dept_note, dept_note, dept_note, dept_note,
            dept_note], self)
        self.dept_view = self._table("whistleDepartmentsTable", self.dept_model, dept_note)
        self.dept_view.clicked.connect(lambda index: self.open_cell("department", index.row(), index.column()))
        self.street_model = _NotedModel([
            Column(self.tr("街道"), lambda x: x.street),
            Column(self.tr("吹哨"), f("whistles"), right),
            Column(self.tr("办结"), f("closed"), right),
            Column(self.tr("吹哨准确"), f("well_aimed"), right),
            Column(self.tr("满意/已评"), lambda x: f"{x.figures['satisfied']}/{x.figures['rated']}", right),
            Column(self.tr("吹哨质量"), lambda x: f"{x.figures['quality_rate']:.2f}", right),
            Column(self.tr("办结率"), lambda x: f"{x.figures['closure_rate']:.2f}", right),
            Column(self.tr("满意率"), lambda x: f"{x.figures['satisfaction_rate']:.2f}", right),
            Column(self.tr("加减分"), lambda x: f"{x.figures['adjustment']:+.2f}", right),
            Column(self.tr("总分"), lambda x: f"{x.figures['total']:.2f}", right),
        ], ["", street_note, figure_notes.note("whistle.closure_rate"), street_note, sat_note, street_note,
            figure_notes.note("whistle.closure_rate"), sat_note, street_note, street_note], self)
        self.street_view = self._table("whistleStreetsTable", self.street_model, street_note)
        self.street_view.clicked.connect(lambda index: self.open_cell("street", index.row(), index.column()))
        for caption, view in ((self.tr("部门考核"), self.dept_view), (self.tr("街道考核"), self.street_view)):
            head = QLabel(caption)
            head.setObjectName("chartTitle")
            lay.addWidget(head)
            lay.addWidget(view, 1)
        self.weights = QLabel()
        self.weights.setObjectName("chartHint")
        self.weights.setWordWrap(True)
        lay.addWidget(self.weights)
        hint = QLabel(self.tr("点击数字卡片或表格中的数字，可查看其对应的吹哨事项；双击事项查看详情。"))
        hint.setObjectName("chartHint")
        lay.addWidget(hint)
        ctx.feed.events.connect(self._on_events)

    def _table(self, name: str, model: RowsModel, note: str) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setToolTip(note)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(26)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        view.setMinimumHeight(120)
        return view

    # ------------------------------------------------------------ loading
    def set_month(self, year: int, month: int) -> None:
        """The month to assess (the dashboard's period); read now if shown."""
        changed = (year, month) != (self.year, self.month)
        self.year, self.month = year, month
        if changed and self.isVisible():
            self.load()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self.year:
            self.load()

    def _on_events(self, events: list) -> None:
        if self.isVisible() and any(e.kind.startswith("whistle.") for e in events):
            self.debounce.start()

    def load(self) -> None:
        self.reads.request()

    @property
    def _loading(self) -> bool:
        return self.reads.busy

    def _start_read(self) -> None:
        db, actor, y, m = self.ctx.db, self.ctx.actor, self.year, self.month
        Op(self, lambda: whistle.monthly_assessment(db, actor, y, m)).success(self._show) \
            .failure(lambda exc: report_error(exc, self)).finally_(self.reads.done).run()

    def _show(self, a) -> None:
        if self._shut:
            return
        self.assessment = a
        self.title.setText(self.tr("{y}年{m}月 吹哨报到双向考核（当月发出的吹哨）")
                           .replace("{y}", a.month[:4]).replace("{m}", str(int(a.month[5:]))))
        rated = sum(x.figures["rated"] for x in a.streets)
        satisfied = sum(x.figures["satisfied"] for x in a.streets)
        self.cards["whistles"].set(str(a.whistles), self.tr("办理中 {n} 件").replace("{n}", str(a.whistles - a.closed)))
        self.cards["closure"].set(_pct(a.closed, a.whistles), f"{a.closed}/{a.whistles}")
        self.cards["on_time"].set(_pct(a.on_time_summons, a.resolved_summons),
                                  f"{a.on_time_summons}/{a.resolved_summons}")
        self.cards["satisfied"].set(_pct(satisfied, rated), f"{satisfied}/{rated}")
        self.dept_model.set_rows(a.departments)
        self.street_model.set_rows(a.streets)
        w = a.weights
        self.weights.setText(self.tr(
            "权重（设置项）：部门 报到 {r}%、办理 {s}%、满意度 {q}%，街道评价占 {share}%；"
            "街道 吹哨质量 {sq}%、办结 {sc}%、满意度 {ss}%。")
            .replace("{r}", str(w["dept_report"])).replace("{s}", str(w["dept_solve"]))
            .replace("{q}", str(w["dept_satisfaction"])).replace("{share}", str(w["street_share"]))
            .replace("{sq}", str(w["street_quality"])).replace("{sc}", str(w["street_closure"]))
            .replace("{ss}", str(w["street_satisfaction"])))
        self.loaded.emit()

    # ---------------------------------------------------------- drill-down
    def open_card(self, key: str) -> None:
        a = self.assessment
        if a is None:
            return
        if key == "whistles":
            self.open_records(self.tr("当月吹哨"), [(n, "") for n in a.records["whistles"]])
        elif key == "closure":
            self.open_records(self.tr("已办结的吹哨（办结率的分子，分母 {n}）").replace("{n}", str(a.whistles)),
                              [(n, "") for n in a.records["closed"]])
        elif key == "on_time":
            rows = [(n, d.name) for d in a.departments for n in d.records["resolved_on_time"]]
            self.open_records(self.tr("按时办结的部门办理（按时办结率的分子，分母 {n}）")
                              .replace("{n}", str(a.resolved_summons)), rows)
        else:
            rows = [(n, "") for x in a.streets for n in x.records["satisfied"]]
            self.open_records(self.tr("群众满意（4星及以上）的吹哨"), rows)

    def open_cell(self, table: str, row: int, column: int) -> None:
        """The records behind one cell of the department or street table."""
        model = self.dept_model if table == "department" else self.street_model
        figures = DEPT_FIGURES if table == "department" else STREET_FIGURES
        target = model.row_at(row)
        figure = figures[column] if 0 <= column < len(figures) else None
        if target is None or figure is None:
            return
        key, title = figure
        name = target.name if table == "department" else target.street
        heading = f"{name}：{self.tr(title)}"
        if key == "adjustment":
            from ui.centre.director import RecordDetailDialog

            lines = [(self.tr("加减分"), x) for x in target.records["adjustment"]] or [(self.tr("加减分"), "")]
            self.detail_dialog = RecordDetailDialog(heading, lines, self)
            self.detail_dialog.show()
            self.detail_shown.emit()
            return
        dept = target.name if table == "department" else ""
        self.open_records(heading, [(n, dept) for n in target.records[key]])

    def open_records(self, title: str, rows: list[tuple[str, str]]) -> None:
        db, actor = self.ctx.db, self.ctx.actor
        numbers = [n for n, _ in rows]

        def done(views) -> None:
            by = {v.number: v for v in views}
            self._show_records(title, [WhistleRecord(by[n], d) for n, d in rows if n in by])
        Op(self, lambda: whistle.whistles_by_number(db, actor, numbers)).success(done) \
            .failure(lambda exc: report_error(exc, self)).run()

    def _show_records(self, title: str, records: list[WhistleRecord]) -> None:
        if self._shut:
            return
        from ui.centre.director import RecordsDialog

        self.last_records = records
        if self.records_dialog is None:
            self.records_dialog = RecordsDialog(self)
            self.records_dialog.setObjectName("whistleRecordsDialog")
            self.records_dialog.hint.setText(self.tr("双击一行，查看该吹哨事项。"))
            self.records_dialog.detail_loader = self.open_detail
        dlg = self.records_dialog
        dlg.title.setText(title)
        dlg.count.setText(self.tr("共 {n} 条").replace("{n}", str(len(records))))
        dlg.model.beginResetModel()
        dlg.model.columns = record_columns()
        dlg.model.rows = list(records)
        dlg.model.endResetModel()
        dlg.view.resizeColumnsToContents()
        dlg.show()
        self.records_shown.emit()

    def open_detail(self, record: WhistleRecord | None) -> None:
        if record is None:
            return
        db, actor, wid = self.ctx.db, self.ctx.actor, record.whistle.id
        Op(self, lambda: whistle.whistle_detail(db, actor, wid)).success(self._show_detail) \
            .failure(lambda exc: report_error(exc, self)).run()

    def _show_detail(self, x) -> None:
        if self._shut:
            return
        from ui.centre.director import RecordDetailDialog

        summons = []
        for s in x.summons:
            late = [t for t, on in ((self.tr("报到逾期"), s.response_late), (self.tr("办结逾期"), s.solution_late),
                                    (self.tr("督办 {n} 次").replace("{n}", str(len(s.escalations))), s.escalations))
                    if on]
            review = self.tr("，一案一评 {n}").replace("{n}", str(s.review_score)) if s.review_score is not None else ""
            summons.append(f"{s.department_name}：{self.tr(s.state_label)}"
                           + (f"（{'、'.join(late)}）" if late else "") + review)
        lines = [(self.tr("哨类"), self.tr(x.kind_label)), (self.tr("状态"), self.tr(x.state_label)),
                 (self.tr("事项"), x.matter), (self.tr("地点"), x.place), (self.tr("街道"), x.street),
                 (self.tr("来源"), x.subject_label), (self.tr("群众"), mask_name(x.resident_name) if x.resident_name else ""),
                 (self.tr("发出"), _when(x.issued_at)), (self.tr("办结"), _when(x.closed_at)),
                 (self.tr("召集部门"), "\n".join(summons)), (self.tr("群众满意度"), _satisfaction(x))]
        self.detail_dialog = RecordDetailDialog(self.tr("吹哨事项 {n}").replace("{n}", x.number), lines, self)
        self.detail_dialog.show()
        self.detail_shown.emit()

    def shutdown(self) -> None:
        if self._shut:
            return
        self._shut = True
        self.debounce.stop()
        try:
            self.ctx.feed.events.disconnect(self._on_events)
        except (RuntimeError, TypeError):
            pass


__all__ = ["WhistleAssessmentSection", "WhistleRecord", "record_columns"]
