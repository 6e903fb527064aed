"""吹哨报到考核: the month's two-way assessment per department and per street,
the closure and on-time rates, each figure's records a click away, and the
XLSX export. Its own widget, opened by the director (a workspace of its own)
and inside the centre's whistle desk."""
from __future__ import annotations

from pathlib import Path

from hall.domain.clock import local_day
from hall.services import whistle
from ui.common.context import AppContext
from ui.common.tablemodel import Column
from ui.qt import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.whistle.common import STYLE, RowsTable, StatusLabel, call

_FIGURE_LABELS = {"summons": "召集", "reported_on_time": "按时报到", "resolved_on_time": "按时办结",
                  "satisfied": "满意", "escalated": "被督办", "returned": "退回", "adjustment": "加减分",
                  "whistles": "吹哨", "closed": "办结", "well_aimed": "吹哨准确"}


class WhistleAssessmentWidget(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("whistleAssessment")
        self.setStyleSheet(STYLE)
        self.assessment: whistle.Assessment | None = None
        today = local_day(ctx.db.clock.now())
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(self.tr("{m}月").replace("{m}", str(m)), m)
        self.month.setCurrentIndex(today.month - 1)
        self.show_btn = QPushButton(self.tr("查看"))
        self.export_btn = QPushButton(self.tr("导出XLSX…"))
        self.export_btn.setEnabled(False)
        self.summary = QLabel()
        self.summary.setObjectName("whistleTitle")
        self.summary.setWordWrap(True)
        self.status = StatusLabel()
        self.depts = RowsTable([
            Column(self.tr("部门"), lambda d: d.name),
            Column(self.tr("召集"), lambda d: d.figures["summons"]),
            Column(self.tr("按时报到"), lambda d: d.figures["reported_on_time"]),
            Column(self.tr("按时办结"), lambda d: d.figures["resolved_on_time"]),
            Column(self.tr("满意"), lambda d: f"{d.figures['satisfied']}/{d.figures['rated']}"),
            Column(self.tr("督办"), lambda d: d.figures["escalated"]),
            Column(self.tr("退回"), lambda d: d.figures["returned"]),
            Column(self.tr("系统得分"), lambda d: d.figures["system_score"]),
            Column(self.tr("街道评价"), lambda d: d.figures["street_score"]),
            Column(self.tr("加减分"), lambda d: d.figures["adjustment"]),
            Column(self.tr("总分"), lambda d: d.figures["total"]),
        ])
        self.depts.setObjectName("assessmentDepartments")
        self.streets = RowsTable([
            Column(self.tr("街道"), lambda x: x.street),
            Column(self.tr("吹哨"), lambda x: x.figures["whistles"]),
            Column(self.tr("办结"), lambda x: x.figures["closed"]),
            Column(self.tr("吹哨准确"), lambda x: x.figures["well_aimed"]),
            Column(self.tr("满意率"), lambda x: f"{x.figures['satisfaction_rate']}%"),
            Column(self.tr("加减分"), lambda x: x.figures["adjustment"]),
            Column(self.tr("总分"), lambda x: x.figures["total"]),
        ])
        self.streets.setObjectName("assessmentStreets")
        self.records = QPlainTextEdit()
        self.records.setReadOnly(True)
        self.records.setPlaceholderText(self.tr("选中一行，查看各项指标对应的吹哨编号"))

        self.adj_type = QComboBox()
        self.adj_type.addItem(self.tr("部门"), "department")
        self.adj_type.addItem(self.tr("街道"), "street")
        self.adj_target = QComboBox()
        self.adj_target.setEditable(True)
        self.adj_points = QSpinBox()
        self.adj_points.setRange(-100, 100)
        self.adj_reason = QLineEdit()
        self.adj_reason.setPlaceholderText(self.tr("加减分理由"))
        self.adj_btn = QPushButton(self.tr("加减分"))
        adj = QHBoxLayout()
        for x in (QLabel(self.tr("加减分")), self.adj_type, self.adj_target, self.adj_points, self.adj_reason,
                  self.adj_btn):
            adj.addWidget(x)
        self.adj_row = QWidget()
        self.adj_row.setLayout(adj)
        self.adj_row.setVisible(ctx.actor.may("whistle.assess"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年份")))
        top.addWidget(self.year)
        top.addWidget(self.month)
        top.addWidget(self.show_btn)
        top.addWidget(self.export_btn)
        top.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.depts)
        split.addWidget(self.streets)
        split.addWidget(self.records)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)
        lay.addWidget(self.adj_row)
        self.adj_btn.clicked.connect(self.adjust)
        self.adj_type.currentIndexChanged.connect(lambda _i: self._fill_targets())
        self.show_btn.clicked.connect(self.load)
        self.export_btn.clicked.connect(self.export)
        self.depts.clicked.connect(lambda _i: self._records(self.depts.current(), self.depts.current().name))
        self.streets.clicked.connect(lambda _i: self._records(self.streets.current(), self.streets.current().street))
        self.load()

    def load(self) -> None:
        y, m = self.year.value(), self.month.currentData()
        call(self, self.status, lambda: whistle.monthly_assessment(self.ctx.db, self.ctx.actor, y, m), self._show)

    def _show(self, a) -> None:
        self.assessment = a
        self.summary.setText(self.tr("{month}：吹哨 {n} 件，办结 {closed} 件，办结率 {cr}%；部门办理 {res} 件，"
                                     "按时 {ot} 件，按时办结率 {otr}%")
                             .replace("{month}", a.month).replace("{n}", str(a.whistles))
                             .replace("{closed}", str(a.closed)).replace("{cr}", str(a.closure_rate))
                             .replace("{res}", str(a.resolved_summons)).replace("{ot}", str(a.on_time_summons))
                             .replace("{otr}", str(a.on_time_rate)))
        self.depts.set_rows(a.departments)
        self.streets.set_rows(a.streets)
        self.records.clear()
        self.export_btn.setEnabled(True)
        self._fill_targets()

    def _fill_targets(self) -> None:
        if self.assessment is None:
            return
        text = self.adj_target.currentText()
        self.adj_target.clear()
        if self.adj_type.currentData() == "department":
            for d in self.assessment.departments:
                self.adj_target.addItem(d.name, d.code)
        else:
            for x in self.assessment.streets:
                self.adj_target.addItem(x.street, x.street)
        i = self.adj_target.findText(text)
        if i >= 0:
            self.adj_target.setCurrentIndex(i)

    def adjust(self) -> None:
        if self.assessment is None:
            return
        month, kind = self.assessment.month, self.adj_type.currentData()
        i = self.adj_target.findText(self.adj_target.currentText())
        target = self.adj_target.itemData(i) if i >= 0 else self.adj_target.currentText().strip()
        points, reason = self.adj_points.value(), self.adj_reason.text()

        def ok(_id):
            self.adj_reason.clear()
            self.load()
        call(self, self.status,
             lambda: whistle.adjust(self.ctx.db, self.ctx.actor, month, kind, target, points, reason), ok,
             self.tr("已记录加减分"))

    def _records(self, row, name: str) -> None:
        if row is None:
            return
        lines = [name]
        for k, v in row.records.items():
            lines.append(f"{self.tr(_FIGURE_LABELS.get(k, k))}（{len(v)}）：{'、'.join(v) or '—'}")
        self.records.setPlainText("\n".join(lines))

    def ask_save_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出考核表"), suggested, "Excel (*.xlsx)")
        return path

    def export(self) -> None:
        if self.assessment is None:
            return
        path = self.ask_save_path(f"吹哨报到考核-{self.assessment.month}.xlsx")
        if not path:
            return
        a = self.assessment
        call(self, self.status, lambda: Path(path).write_bytes(whistle.assessment_xlsx(a)),
             lambda _r: None, self.tr("已导出：") + path)
