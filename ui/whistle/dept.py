"""部门报到台: a department liaison's desk.

Only the summons of the liaison's own department: 报到 (who, on site or
remote), 处置情况 with attachments (kept in the evidence store), the result,
or a return to the centre with its reason. Of the resident it shows the name
and phone the summons needs, nothing else.
"""
from __future__ import annotations

from hall.domain import whistle as rules
from hall.services import whistle
from ui.common.context import AppContext
from ui.common.tablemodel import Column
from ui.qt import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.whistle.common import STYLE, RowsTable, StatusLabel, call, when


class DepartmentDeskWorkspace(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("departmentDesk")
        self.setStyleSheet(STYLE)
        self.setMinimumSize(900, 560)
        self.title = QLabel()
        self.title.setObjectName("whistleTitle")
        self.table = RowsTable([
            Column(self.tr("吹哨编号"), lambda s: s.whistle_number),
            Column(self.tr("哨类"), lambda s: self.tr(s.kind_label)),
            Column(self.tr("状态"), lambda s: self.tr(s.state_label)),
            Column(self.tr("报到时限"), lambda s: when(s.response_due_at)
                   + (self.tr("（逾期）") if s.response_late and s.state == "summoned" else "")),
            Column(self.tr("办结时限"), lambda s: when(s.solution_due_at)
                   + (self.tr("（逾期）") if s.solution_late and s.state in ("summoned", "reported") else "")),
            Column(self.tr("督办"), lambda s: len(s.escalations) or ""),
            Column(self.tr("事项"), lambda s: s.matter),
        ])
        self.table.setObjectName("summonsTable")
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("summonsDetail")
        self.detail.setReadOnly(True)
        self.who = QLineEdit()
        self.who.setPlaceholderText(self.tr("报到人员"))
        self.mode = QComboBox()
        for k, label in rules.REPORT_MODES.items():
            self.mode.addItem(self.tr(label), k)
        self.report_btn = QPushButton(self.tr("报到"))
        self.action_text = QLineEdit()
        self.action_text.setPlaceholderText(self.tr("处置情况"))
        self.files = QListWidget()
        self.files.setMaximumHeight(60)
        self.add_file_btn = QPushButton(self.tr("添加附件…"))
        self.action_btn = QPushButton(self.tr("记录处置"))
        self.result_text = QLineEdit()
        self.result_text.setPlaceholderText(self.tr("办理结果"))
        self.result_btn = QPushButton(self.tr("提交办理结果"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("退回理由（必填）"))
        self.return_btn = QPushButton(self.tr("退回中心"))
        self.status = StatusLabel()
        g = QGridLayout()
        g.addWidget(QLabel(self.tr("报到")), 0, 0)
        g.addWidget(self.who, 0, 1)
        g.addWidget(self.mode, 0, 2)
        g.addWidget(self.report_btn, 0, 3)
        g.addWidget(QLabel(self.tr("处置")), 1, 0)
        g.addWidget(self.action_text, 1, 1)
        g.addWidget(self.add_file_btn, 1, 2)
        g.addWidget(self.action_btn, 1, 3)
        g.addWidget(self.files, 2, 1, 1, 2)
        g.addWidget(QLabel(self.tr("结果")), 3, 0)
        g.addWidget(self.result_text, 3, 1, 1, 2)
        g.addWidget(self.result_btn, 3, 3)
        g.addWidget(QLabel(self.tr("退回")), 4, 0)
        g.addWidget(self.reason, 4, 1, 1, 2)
        g.addWidget(self.return_btn, 4, 3)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([560, 380])
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(split, 1)
        lay.addLayout(g)
        lay.addWidget(self.status)
        self.table.clicked.connect(lambda _i: self._load_detail())
        self.report_btn.clicked.connect(self.report)
        self.add_file_btn.clicked.connect(self.add_files)
        self.action_btn.clicked.connect(self.record_action)
        self.result_btn.clicked.connect(self.submit_result)
        self.return_btn.clicked.connect(self.return_summons)
        feed = getattr(ctx, "feed", None)
        if feed is not None and hasattr(feed, "events"):
            feed.events.connect(self._on_events)
        self.refresh()

    def refresh(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor

        def ok(res):
            depts, rows = res
            names = "、".join(d.name for d in depts)
            self.title.setText(names or self.tr("本账户尚未关联部门，请联系系统管理员"))
            current = self.table.current()
            self.table.set_rows(rows)
            if current is not None:
                for i, r in enumerate(rows):
                    if r.id == current.id:
                        self.table.selectRow(i)
        call(self, self.status, lambda: (whistle.my_departments(db, actor), whistle.my_summons(db, actor)), ok)

    def _on_events(self, events) -> None:
        if any(getattr(e, "kind", "").startswith("whistle.") for e in events):
            self.refresh()

    def _selected(self):
        s = self.table.current()
        if s is None:
            self.status.show_text(self.tr("请先选择一项召集"), error=True)
        return s

    def _load_detail(self) -> None:
        s = self.table.current()
        if s is None:
            return
        call(self, self.status, lambda: whistle.summons_detail(self.ctx.db, self.ctx.actor, s.id), self._show)

    def _show(self, s) -> None:
        lines = [f"{s.whistle_number}  {self.tr(s.kind_label)}  {self.tr(s.state_label)}",
                 self.tr("事项：") + s.matter, self.tr("地点：") + s.place,
                 self.tr("报到时限：") + when(s.response_due_at) + "    " + self.tr("办结时限：") + when(s.solution_due_at)]
        if s.resident_name or s.resident_phone:
            lines.append(self.tr("联系群众：") + f"{s.resident_name} {s.resident_phone}".strip())
        for a in s.actions:
            files = "、".join(f["name"] for f in a.files)
            lines.append(f"{when(a.at)} {a.author}：{a.text}" + (f"［{self.tr('附件')}：{files}］" if files else ""))
        self.detail.setPlainText("\n".join(lines))

    def ask_files(self) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("添加附件"))
        return paths

    def add_files(self) -> None:
        for p in self.ask_files():
            self.files.addItem(p)

    def _done(self, s) -> None:
        self.refresh()
        self._show(s)

    def report(self) -> None:
        s = self._selected()
        if s is None:
            return
        who, mode = self.who.text(), self.mode.currentData()
        call(self, self.status, lambda: whistle.report(self.ctx.db, self.ctx.actor, s.id, who, mode),
             self._done, self.tr("已报到"))

    def record_action(self) -> None:
        s = self._selected()
        if s is None:
            return
        text = self.action_text.text()
        files = [self.files.item(i).text() for i in range(self.files.count())]

        def ok(v):
            self.action_text.clear()
            self.files.clear()
            self._done(v)
        call(self, self.status, lambda: whistle.record_action(self.ctx.db, self.ctx.actor, s.id, text, files),
             ok, self.tr("已记录处置情况"))

    def submit_result(self) -> None:
        s = self._selected()
        if s is None:
            return
        text = self.result_text.text()
        files = [self.files.item(i).text() for i in range(self.files.count())]

        def ok(v):
            self.result_text.clear()
            self.files.clear()
            self._done(v)
        call(self, self.status, lambda: whistle.submit_result(self.ctx.db, self.ctx.actor, s.id, text, files),
             ok, self.tr("已提交办理结果"))

    def return_summons(self) -> None:
        s = self._selected()
        if s is None:
            return
        reason = self.reason.text()
        call(self, self.status, lambda: whistle.return_summons(self.ctx.db, self.ctx.actor, s.id, reason),
             self._done, self.tr("已退回中心"))
