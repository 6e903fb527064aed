"""吹哨调度台: the centre's whistle desk.

事件收件箱 (grid events and 12345 orders taken in; import a file; blow a
whistle from an event or for a matter typed here, with an optional 会商 in a
room), 吹哨事项 (each whistle and its departments; 督办 what is overdue,
confirm closure, record the resident's satisfaction, 一案一评, export the
12345 results), 考核 (the month's assessment) and, for the administrator,
部门与时限 (departments as data and the periods per kind).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hall.domain import whistle as rules
from hall.domain.clock import HALL_TZ, to_local
from hall.services import centre, whistle
from hall.services import whistle_intake as intake
from ui.common.context import AppContext
from ui.common.tablemodel import Column
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDateTime,
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from ui.whistle.assessment import WhistleAssessmentWidget
from ui.whistle.common import STYLE, RowsTable, StatusLabel, call, when

WATCHED_EVENTS = ("whistle.", "deadline.changed")


def _dept_list() -> QListWidget:
    lst = QListWidget()
    lst.setObjectName("departmentChoice")
    lst.setMaximumHeight(120)
    return lst


def checked_codes(lst: QListWidget) -> list[str]:
    return [lst.item(i).data(Qt.ItemDataRole.UserRole) for i in range(lst.count())
            if lst.item(i).checkState() == Qt.CheckState.Checked]


class WhistleDeskWorkspace(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._detail: whistle.WhistleView | None = None
        self.resident_code = ""      # of the closed whistle shown, to be told to the resident
        self.setObjectName("whistleDesk")
        self.setStyleSheet(STYLE)
        self.setMinimumSize(960, 600)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._inbox_tab(), self.tr("事件收件箱"))
        self.tabs.addTab(self._whistles_tab(), self.tr("吹哨事项"))
        self.assessment = WhistleAssessmentWidget(ctx)
        self.tabs.addTab(self.assessment, self.tr("考核"))
        self.settings_tab = None
        if ctx.actor.may("centre.configure"):
            self.settings_tab = _SettingsTab(ctx, self)
            self.tabs.addTab(self.settings_tab, self.tr("部门与时限"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        self.refresh()
        feed = getattr(ctx, "feed", None)
        if feed is not None and hasattr(feed, "events"):
            feed.events.connect(self._on_events)

    # ------------------------------------------------------------ inbox
    def _inbox_tab(self) -> QWidget:
        w = QWidget()
        self.events = RowsTable([
            Column(self.tr("来源"), lambda e: e.source_label),
            Column(self.tr("编号"), lambda e: e.external_id),
            Column(self.tr("类别"), lambda e: e.category),
            Column(self.tr("地点"), lambda e: e.place),
            Column(self.tr("上报/派单"), lambda e: when(e.reported_at)),
            Column(self.tr("答复时限"), lambda e: when(e.reply_due)),
            Column(self.tr("内容"), lambda e: e.description),
        ])
        self.events.setObjectName("eventsTable")
        self.import_grid_btn = QPushButton(self.tr("导入网格事件…"))
        self.import_hotline_btn = QPushButton(self.tr("导入12345工单…"))
        self.inbox_status = StatusLabel()
        self.kind = QComboBox()
        for k in rules.WhistleKind:
            self.kind.addItem(self.tr(k.label), k.value)
        self.departments = _dept_list()
        self.matter = QPlainTextEdit()
        self.matter.setObjectName("whistleMatter")
        self.matter.setMaximumHeight(70)
        self.place = QLineEdit()
        self.place.setObjectName("whistlePlace")
        self.from_event = QCheckBox(self.tr("由选中的事件吹哨"))
        self.from_event.setChecked(True)
        self.subject_kind = QComboBox()
        self.subject_kind.addItem(self.tr("无（直接吹哨）"), "")
        self.subject_kind.addItem(self.tr("排队号（今天）"), "ticket")
        self.subject_kind.addItem(self.tr("调解案件"), "case")
        self.subject_ref = QLineEdit()
        self.subject_ref.setPlaceholderText(self.tr("不由事件吹哨时：排队号或案件编号"))
        self.meeting = QCheckBox(self.tr("预约现场会商"))
        self.room = QComboBox()
        self.meeting_start = QDateTimeEdit()
        self.meeting_start.setDisplayFormat("yyyy-MM-dd HH:mm")
        start = to_local(self.ctx.db.clock.now()).replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        self.meeting_start.setDateTime(QDateTime(start.year, start.month, start.day, start.hour, 0, 0))
        self.meeting_minutes = QSpinBox()
        self.meeting_minutes.setRange(15, 720)
        self.meeting_minutes.setSingleStep(15)
        self.meeting_minutes.setValue(60)
        self.meeting_minutes.setSuffix(self.tr(" 分钟"))
        self.issue_btn = QPushButton(self.tr("吹哨"))
        self.issue_btn.setObjectName("issueWhistle")
        form = QFormLayout()
        form.addRow(self.tr("哨类"), self.kind)
        form.addRow(self.tr("召集部门"), self.departments)
        form.addRow(self.tr("事项"), self.matter)
        form.addRow(self.tr("地点"), self.place)
        form.addRow("", self.from_event)
        srow = QHBoxLayout()
        srow.addWidget(self.subject_kind)
        srow.addWidget(self.subject_ref, 1)
        form.addRow(self.tr("其他来源"), srow)
        mrow = QHBoxLayout()
        for x in (self.meeting, self.room, self.meeting_start, self.meeting_minutes):
            mrow.addWidget(x)
        form.addRow(self.tr("会商"), mrow)
        form.addRow("", self.issue_btn)
        box = QGroupBox(self.tr("吹哨"))
        box.setLayout(form)
        top = QHBoxLayout()
        top.addWidget(self.import_grid_btn)
        top.addWidget(self.import_hotline_btn)
        top.addStretch(1)
        lay = QVBoxLayout(w)
        lay.addLayout(top)
        lay.addWidget(self.events, 1)
        lay.addWidget(box)
        lay.addWidget(self.inbox_status)
        self.import_grid_btn.clicked.connect(lambda: self.import_file("grid"))
        self.import_hotline_btn.clicked.connect(lambda: self.import_file("12345"))
        self.events.clicked.connect(lambda _i: self._fill_from_event())
        self.issue_btn.clicked.connect(self.issue)
        return w

    def ask_open_path(self, title: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self, title, "", "JSON / CSV / Excel (*.json *.csv *.xlsx)")
        return path

    def ask_save_path(self, title: str, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, "Excel (*.xlsx);;CSV (*.csv);;JSON (*.json)")
        return path

    def import_file(self, source: str) -> None:
        path = self.ask_open_path(self.tr("导入网格事件") if source == "grid" else self.tr("导入12345工单"))
        if not path:
            return

        def ok(res):
            self.inbox_status.show_text(self.tr("已导入 {n} 条：新增 {a} 条，已存在 {b} 条")
                                        .replace("{n}", str(res.records)).replace("{a}", str(res.added))
                                        .replace("{b}", str(res.already)))
            self.refresh()
        call(self, self.inbox_status, lambda: intake.import_file(self.ctx.db, self.ctx.actor, source, path), ok)

    def _fill_from_event(self) -> None:
        e = self.events.current()
        if e is None:
            return
        self.matter.setPlainText(e.description)
        self.place.setText(e.place)
        self.from_event.setChecked(True)
        db = self.ctx.db
        call(self, self.inbox_status, lambda: intake.suggested_departments(db, e.category), self._suggest)

    def _suggest(self, codes: list[str]) -> None:
        for i in range(self.departments.count()):
            it = self.departments.item(i)
            if it.data(Qt.ItemDataRole.UserRole) in codes:
                it.setCheckState(Qt.CheckState.Checked)

    def issue(self) -> None:
        ev = self.events.current() if self.from_event.isChecked() else None
        meeting = None
        if self.meeting.isChecked():
            qd = self.meeting_start.dateTime()
            start = dt.datetime(qd.date().year(), qd.date().month(), qd.date().day(), qd.time().hour(),
                                qd.time().minute(), tzinfo=HALL_TZ)
            meeting = {"room": self.room.currentData(), "start": start,
                       "end": start + dt.timedelta(minutes=self.meeting_minutes.value())}
        other = "" if ev else self.subject_kind.currentData()
        ref = self.subject_ref.text()
        args = dict(kind=self.kind.currentData(), departments=checked_codes(self.departments),
                    matter=self.matter.toPlainText(), place=self.place.text(),
                    subject_type="event" if ev else other, subject_id=ev.id if ev else None,
                    street=ev.street if ev else "", meeting=meeting)
        db, actor = self.ctx.db, self.ctx.actor

        def run():
            if other:
                args["subject_id"] = whistle.resolve_subject(db, actor, other, ref)
            return whistle.issue_whistle(db, actor, **args)

        def ok(wv):
            self.inbox_status.show_text(self.tr("已吹哨：{n}（{k}），召集{d}").replace("{n}", wv.number)
                                        .replace("{k}", self.tr(wv.kind_label)).replace("{d}", wv.departments))
            self.matter.clear()
            self.place.clear()
            self.subject_ref.clear()
            for i in range(self.departments.count()):
                self.departments.item(i).setCheckState(Qt.CheckState.Unchecked)
            self.refresh()
        call(self, self.inbox_status, run, ok)

    # ------------------------------------------------------------ whistles
    def _whistles_tab(self) -> QWidget:
        w = QWidget()
        self.whistles = RowsTable([
            Column(self.tr("编号"), lambda x: x.number),
            Column(self.tr("哨类"), lambda x: self.tr(x.kind_label)),
            Column(self.tr("状态"), lambda x: self.tr(x.state_label)),
            Column(self.tr("召集部门"), lambda x: x.departments),
            Column(self.tr("报到时限"), lambda x: when(x.response_due_at)),
            Column(self.tr("办结时限"), lambda x: when(x.solution_due_at)),
            Column(self.tr("满意度"), lambda x: rules.SATISFACTION_LABELS.get(x.satisfaction, "")),
            Column(self.tr("事项"), lambda x: x.matter),
        ])
        self.whistles.setObjectName("whistlesTable")
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("whistleDetail")
        self.detail.setReadOnly(True)
        self.sweep_btn = QPushButton(self.tr("督办检查"))
        self.close_btn = QPushButton(self.tr("确认办结"))
        self.close_note = QLineEdit()
        self.close_note.setPlaceholderText(self.tr("办结意见（可选）"))
        self.export_btn = QPushButton(self.tr("导出12345办理结果…"))
        self.rating = QComboBox()
        for v in (5, 4, 3, 2, 1):
            self.rating.addItem(self.tr(rules.SATISFACTION_LABELS[v]), v)
        self.channel = QComboBox()
        for k, label in rules.SATISFACTION_CHANNELS.items():
            if k != "kiosk":     # the resident's own, with the code at the kiosk
                self.channel.addItem(self.tr(label), k)
        self.rating_note = QLineEdit()
        self.rating_note.setPlaceholderText(self.tr("回访记录（可选）"))
        self.rating_btn = QPushButton(self.tr("记录满意度"))
        self.review_dept = QComboBox()
        self.review_score = QSpinBox()
        self.review_score.setRange(0, 100)
        self.review_score.setValue(90)
        self.review_note = QLineEdit()
        self.review_note.setPlaceholderText(self.tr("评价意见"))
        self.review_btn = QPushButton(self.tr("一案一评"))
        self.escalate_note = QLineEdit()
        self.escalate_note.setPlaceholderText(self.tr("督办意见（督办上一行选定的部门）"))
        self.escalate_btn = QPushButton(self.tr("督办该部门"))
        self.more_dept = QComboBox()
        self.more_btn = QPushButton(self.tr("加派部门"))
        self.w_room = QComboBox()
        self.w_start = QDateTimeEdit()
        self.w_start.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.w_start.setDateTime(self.meeting_start.dateTime())
        self.w_minutes = QSpinBox()
        self.w_minutes.setRange(15, 720)
        self.w_minutes.setSingleStep(15)
        self.w_minutes.setValue(60)
        self.w_minutes.setSuffix(self.tr(" 分钟"))
        self.w_meeting_btn = QPushButton(self.tr("预约会商"))
        self.whistle_status = StatusLabel()
        g = QGridLayout()
        g.addWidget(QLabel(self.tr("督办")), 3, 0)
        g.addWidget(self.escalate_note, 3, 1, 1, 3)
        g.addWidget(self.escalate_btn, 3, 4)
        g.addWidget(QLabel(self.tr("加派")), 4, 0)
        g.addWidget(self.more_dept, 4, 1)
        g.addWidget(self.more_btn, 4, 2)
        g.addWidget(QLabel(self.tr("会商")), 5, 0)
        g.addWidget(self.w_room, 5, 1)
        g.addWidget(self.w_start, 5, 2)
        g.addWidget(self.w_minutes, 5, 3)
        g.addWidget(self.w_meeting_btn, 5, 4)
        g.addWidget(self.sweep_btn, 0, 0)
        g.addWidget(self.close_note, 0, 1, 1, 2)
        g.addWidget(self.close_btn, 0, 3)
        g.addWidget(self.export_btn, 0, 4)
        g.addWidget(QLabel(self.tr("回访满意度")), 1, 0)
        g.addWidget(self.rating, 1, 1)
        g.addWidget(self.channel, 1, 2)
        g.addWidget(self.rating_note, 1, 3)
        g.addWidget(self.rating_btn, 1, 4)
        g.addWidget(QLabel(self.tr("一案一评")), 2, 0)
        g.addWidget(self.review_dept, 2, 1)
        g.addWidget(self.review_score, 2, 2)
        g.addWidget(self.review_note, 2, 3)
        g.addWidget(self.review_btn, 2, 4)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.whistles)
        split.addWidget(self.detail)
        split.setSizes([600, 400])
        lay = QVBoxLayout(w)
        lay.addWidget(split, 1)
        lay.addLayout(g)
        lay.addWidget(self.whistle_status)
        self.whistles.clicked.connect(lambda _i: self._load_detail())
        self.sweep_btn.clicked.connect(self.sweep)
        self.close_btn.clicked.connect(self.close_whistle)
        self.rating_btn.clicked.connect(self.rate)
        self.review_btn.clicked.connect(self.review)
        self.export_btn.clicked.connect(self.export_results)
        self.escalate_btn.clicked.connect(self.escalate)
        self.more_btn.clicked.connect(self.summon_more)
        self.w_meeting_btn.clicked.connect(self.book_meeting)
        return w

    def _summons_of(self, code):
        x = getattr(self, "_detail", None)
        if x is None:
            return None
        return next((s for s in x.summons if s.department_code == code), None)

    def escalate(self) -> None:
        if self._selected() is None:
            return
        sm = self._summons_of(self.review_dept.currentData())
        if sm is None:
            self.whistle_status.show_text(self.tr("请先选择部门"), error=True)
            return
        note, db, actor = self.escalate_note.text(), self.ctx.db, self.ctx.actor

        def ok(e):
            self.escalate_note.clear()
            self.refresh()
            self._load_detail()
        call(self, self.whistle_status, lambda: whistle.escalate(db, actor, sm.id, note), ok, self.tr("已督办"))

    def summon_more(self) -> None:
        code = self.more_dept.currentData()
        self._on_selected(whistle.add_departments, [code] if code else [], done=self.tr("已加派部门"))

    def book_meeting(self) -> None:
        qd = self.w_start.dateTime()
        start = dt.datetime(qd.date().year(), qd.date().month(), qd.date().day(), qd.time().hour(),
                            qd.time().minute(), tzinfo=HALL_TZ)
        end = start + dt.timedelta(minutes=self.w_minutes.value())
        room = self.w_room.currentData()
        self._on_selected(whistle.book_meeting, room, start, end, done=self.tr("已预约会商"))

    def _selected(self):
        x = self.whistles.current()
        if x is None:
            self.whistle_status.show_text(self.tr("请先选择一件吹哨事项"), error=True)
        return x

    def _on_selected(self, work: Callable[..., Any], *args: Any, done: str) -> None:
        """``work(db, actor, whistle_id, *args)`` on the whistle chosen in the list, which is then shown again."""
        x = self._selected()
        if x is None:
            return
        call(self, self.whistle_status, lambda: work(self.ctx.db, self.ctx.actor, x.id, *args),
             self._after, done)

    def _load_detail(self) -> None:
        x = self.whistles.current()
        if x is None:
            return
        call(self, self.whistle_status, lambda: whistle.whistle_detail(self.ctx.db, self.ctx.actor, x.id),
             self._show_detail)

    def _show_detail(self, x) -> None:
        lines = [f"{x.number}  {self.tr(x.kind_label)}  {self.tr(x.state_label)}",
                 self.tr("事项：") + x.matter, self.tr("地点：") + x.place]
        if x.subject_label:
            lines.append(self.tr("来源：") + x.subject_label)
        for m in x.meetings:
            lines.append(self.tr("会商：") + f"{m.room_name} {when(m.start)}—{to_local(m.end):%H:%M}")
        for s in x.summons:
            late = []
            if s.response_late:
                late.append(self.tr("报到逾期"))
            if s.solution_late:
                late.append(self.tr("办结逾期"))
            lines.append(f"— {s.department_name}：{self.tr(s.state_label)}"
                         + (f"（{'、'.join(late)}）" if late else ""))
            if s.reported_at:
                lines.append(f"    {self.tr('报到')} {when(s.reported_at)} {s.reported_by} "
                             f"{self.tr(rules.REPORT_MODES.get(s.report_mode, ''))}")
            for a in s.actions:
                if a.kind in ("action", "result", "return", "escalation"):
                    files = f"（{self.tr('附件')} {len(a.files)}）" if a.files else ""
                    lines.append(f"    {when(a.at)} {a.text}{files}")
            if s.review_score is not None:
                lines.append(f"    {self.tr('一案一评')} {s.review_score}：{s.review_note}")
        if x.satisfaction is not None:
            lines.append(self.tr("群众满意度：") + self.tr(rules.SATISFACTION_LABELS[x.satisfaction])
                         + f"（{self.tr(rules.SATISFACTION_CHANNELS.get(x.satisfaction_channel, ''))}）")
        self.detail.setPlainText("\n".join(lines))
        self._detail = x
        self.resident_code = ""
        if x.state == "closed" and self.ctx.actor.may("whistle.close"):
            db, actor = self.ctx.db, self.ctx.actor
            call(self, self.whistle_status, lambda: whistle.resident_code(db, actor, x.id),
                 lambda code: self._show_code(x.id, code))
        self.review_dept.clear()
        for s in x.summons:
            self.review_dept.addItem(s.department_name, s.department_code)

    def _show_code(self, whistle_id: int, code: str) -> None:
        """The resident's code of a closed whistle, to be told (or given on paper) at closure."""
        if self._detail is None or self._detail.id != whistle_id:
            return
        self.resident_code = code
        self.detail.appendPlainText(self.tr("群众评价码：{code}（请告知群众：办结后 30 天内可在评价机输入此码评价办理情况）")
                                    .replace("{code}", code))

    def sweep(self) -> None:
        def ok(esc):
            self.whistle_status.show_text(
                self.tr("已督办 {n} 项：").replace("{n}", str(len(esc)))
                + "；".join(f"{e.whistle_number} {e.department_name} {self.tr(e.what)}" for e in esc)
                if esc else self.tr("没有逾期事项"))
            self.refresh()
        call(self, self.whistle_status, lambda: whistle.escalate_overdue(self.ctx.db, self.ctx.actor), ok)

    def close_whistle(self) -> None:
        self._on_selected(whistle.confirm_closure, self.close_note.text(), done=self.tr("已确认办结"))

    def rate(self) -> None:
        r, ch, note = self.rating.currentData(), self.channel.currentData(), self.rating_note.text()
        self._on_selected(whistle.record_satisfaction, r, ch, note, done=self.tr("已记录满意度"))

    def review(self) -> None:
        code, score, note = self.review_dept.currentData(), self.review_score.value(), self.review_note.text()
        self._on_selected(whistle.review_case, code or "", score, note, done=self.tr("已记录一案一评"))

    def _after(self, wv) -> None:
        self.refresh()
        self._show_detail(wv)

    def export_results(self) -> None:
        path = self.ask_save_path(self.tr("导出12345办理结果"), "12345办理结果.xlsx")
        if not path:
            return
        fmt = Path(path).suffix.lstrip(".").lower() or "xlsx"
        db, actor = self.ctx.db, self.ctx.actor
        call(self, self.whistle_status,
             lambda: Path(path).write_bytes(intake.export_hotline_results(db, actor, fmt)),
             lambda _r: None, self.tr("已导出：") + path)

    # ------------------------------------------------------------ data
    def refresh(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor

        def load():
            return (intake.list_events(db, actor), whistle.list_whistles(db, actor),
                    whistle.list_departments(db), centre.list_rooms(db))

        def ok(res):
            events, whistles, depts, rooms = res
            self.events.set_rows(events)
            current = self.whistles.current()
            self.whistles.set_rows(whistles)
            if current is not None:
                for i, x in enumerate(whistles):
                    if x.id == current.id:
                        self.whistles.selectRow(i)
            checked = set(checked_codes(self.departments))
            self.departments.clear()
            for d in depts:
                it = QListWidgetItem(f"{d.name}（{self.tr(d.kind_label)}）")
                it.setData(Qt.ItemDataRole.UserRole, d.code)
                it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                it.setCheckState(Qt.CheckState.Checked if d.code in checked else Qt.CheckState.Unchecked)
                self.departments.addItem(it)
            for combo in (self.room, self.w_room):
                room = combo.currentData()
                combo.clear()
                for r in rooms:
                    combo.addItem(r.name, r.code)
                if room:
                    combo.setCurrentIndex(max(combo.findData(room), 0))
            more = self.more_dept.currentData()
            self.more_dept.clear()
            for d in depts:
                self.more_dept.addItem(d.name, d.code)
            if more:
                self.more_dept.setCurrentIndex(max(self.more_dept.findData(more), 0))
        call(self, self.inbox_status, load, ok)

    def _on_events(self, events) -> None:
        if any(getattr(e, "kind", "").startswith(WATCHED_EVENTS) for e in events):
            self.refresh()


class _SettingsTab(QWidget):
    """部门与时限 (administrator): departments as data, members, periods per kind."""

    def __init__(self, ctx: AppContext, desk: WhistleDeskWorkspace):
        super().__init__()
        self.ctx, self.desk = ctx, desk
        self.table = RowsTable([
            Column(self.tr("代码"), lambda d: d.code),
            Column(self.tr("名称"), lambda d: d.name),
            Column(self.tr("入驻方式"), lambda d: self.tr(d.kind_label)),
            Column(self.tr("负责类别"), lambda d: "、".join(d.categories)),
            Column(self.tr("联络员账户"), lambda d: "、".join(d.members)),
            Column(self.tr("状态"), lambda d: self.tr("启用") if d.active else self.tr("停用")),
        ])
        self.table.setObjectName("departmentsTable")
        self.code = QLineEdit()
        self.name = QLineEdit()
        self.kind = QComboBox()
        for dk in rules.DepartmentKind:
            self.kind.addItem(self.tr(dk.label), dk.value)
        self.categories = QLineEdit()
        self.categories.setPlaceholderText(self.tr("用、分隔，如：供水、管网"))
        self.contacts = QLineEdit()
        self.contacts.setPlaceholderText(self.tr("姓名 电话；姓名 电话"))
        self.members = QLineEdit()
        self.members.setPlaceholderText(self.tr("联络员用户名，用、分隔"))
        self.active = QCheckBox(self.tr("启用"))
        self.active.setChecked(True)
        self.save_btn = QPushButton(self.tr("保存部门"))
        form = QFormLayout()
        form.addRow(self.tr("代码"), self.code)
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("入驻方式"), self.kind)
        form.addRow(self.tr("负责类别"), self.categories)
        form.addRow(self.tr("联系人"), self.contacts)
        form.addRow(self.tr("联络员账户"), self.members)
        form.addRow("", self.active)
        form.addRow("", self.save_btn)
        self.periods: dict[tuple[str, str], QSpinBox] = {}
        pg = QGridLayout()
        pg.addWidget(QLabel(self.tr("报到时限（小时）")), 0, 1)
        pg.addWidget(QLabel(self.tr("办结时限（工作日）")), 0, 2)
        for row, k in enumerate(rules.WhistleKind, start=1):
            pg.addWidget(QLabel(self.tr(k.label)), row, 0)
            for col, (key, hi) in enumerate((("response_hours", 720), ("solution_days", 120)), start=1):
                sb = QSpinBox()
                sb.setRange(1, hi)
                self.periods[(k.value, key)] = sb
                pg.addWidget(sb, row, col)
        self.periods_btn = QPushButton(self.tr("保存时限"))
        pg.addWidget(self.periods_btn, 4, 2)
        self.status = StatusLabel()
        left = QGroupBox(self.tr("部门"))
        ll = QVBoxLayout(left)
        ll.addWidget(self.table, 1)
        ll.addLayout(form)
        right = QGroupBox(self.tr("各哨类时限"))
        right.setLayout(pg)
        lay = QHBoxLayout()
        lay.addWidget(left, 2)
        lay.addWidget(right, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(lay, 1)
        outer.addWidget(self.status)
        self.table.clicked.connect(lambda _i: self._fill())
        self.save_btn.clicked.connect(self.save)
        self.periods_btn.clicked.connect(self.save_periods)
        self.load()

    def load(self) -> None:
        db = self.ctx.db

        def ok(res):
            depts, settings = res
            self.table.set_rows(depts)
            for (k, key), sb in self.periods.items():
                sb.setValue(settings["deadlines"][k][key])
        call(self, self.status, lambda: (whistle.list_departments(db, include_inactive=True),
                                         whistle.whistle_settings(db)), ok)

    def _fill(self) -> None:
        d = self.table.current()
        if d is None:
            return
        self.code.setText(d.code)
        self.name.setText(d.name)
        self.kind.setCurrentIndex(max(self.kind.findData(d.kind), 0))
        self.categories.setText("、".join(d.categories))
        self.contacts.setText("；".join(f"{c['name']} {c.get('phone', '')}".strip() for c in d.contacts))
        self.members.setText("、".join(d.members))
        self.active.setChecked(d.active)

    @staticmethod
    def _split(text: str, seps: str = "、,，;；") -> list[str]:
        for s in seps[1:]:
            text = text.replace(s, seps[0])
        return [x.strip() for x in text.split(seps[0]) if x.strip()]

    def save(self) -> None:
        contacts = []
        for c in self._split(self.contacts.text(), ";；"):
            parts = c.split()
            contacts.append({"name": parts[0], "phone": " ".join(parts[1:])})
        data = {"code": self.code.text().strip(), "name": self.name.text().strip(), "kind": self.kind.currentData(),
                "categories": self._split(self.categories.text()), "contacts": contacts,
                "active": self.active.isChecked()}
        members = self._split(self.members.text())
        db, actor = self.ctx.db, self.ctx.actor

        def run():
            whistle.save_department(db, actor, data)
            return whistle.set_department_members(db, actor, data["code"], members)

        def ok(_d):
            self.load()
            self.desk.refresh()
        call(self, self.status, run, ok, self.tr("已保存部门"))

    def save_periods(self) -> None:
        value: dict = {}
        for (k, key), sb in self.periods.items():
            value.setdefault(k, {})[key] = sb.value()
        call(self, self.status, lambda: whistle.set_deadlines(self.ctx.db, self.ctx.actor, value),
             lambda _r: None, self.tr("已保存时限（此后吹哨按新时限计算）"))
