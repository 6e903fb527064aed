"""期限看板: every open statutory period of the arbitration office, soonest first.

The table is a :class:`DeadlineBoardModel` that holds only the rows drawn so
far and asks for the next page as the clerk scrolls (``canFetchMore`` /
``fetchMore``), so the board opens at once with tens of thousands of open
periods. Rows come without their explanation (``explain=False``); the
explanation of how the due date was reached is read for the selected row
only.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from hall.domain import deadlines as rules
from hall.domain.clock import local_day
from hall.services import deadlines as dl
from hall.services.deadlines import DeadlineView
from ui.common.casework import choice_buttons, panes
from ui.common.deadlines import ROW_TINTS, cn_day, days_left_text, from_qdate, state_colour, to_qdate
from ui.common.errors import user_message
from ui.common.ops import Op
from ui.common.tablemodel import Column, PagedRowsModel
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)

log = logging.getLogger(__name__)

PAGE = 200

#: (filter, label) in the order of the buttons.
FILTERS = (("today", QT_TRANSLATE_NOOP("DeadlineBoard", "今日到期")),
           ("week", QT_TRANSLATE_NOOP("DeadlineBoard", "本周")),
           ("overdue", QT_TRANSLATE_NOOP("DeadlineBoard", "已逾期")),
           ("open", QT_TRANSLATE_NOOP("DeadlineBoard", "全部未完成")))

class DeadlineBoardModel(PagedRowsModel):
    """Deadlines fetched a page at a time by ``fetch(when, limit) -> list[DeadlineView]``
    (``when``: the board's filter, ``today`` / ``week`` / ``overdue`` / ``open`` …)."""

    def __init__(self, fetch: Callable[[str, int], list], parent=None, *, page: int = PAGE,
                 keep: Callable[[DeadlineView], bool] | None = None):
        centre = Qt.AlignmentFlag.AlignCenter
        tint = lambda r: ROW_TINTS.get(r.state)  # noqa: E731
        super().__init__([
            Column(translate("DeadlineBoard", "到期日"), lambda r: cn_day(r.due_date), centre, background=tint),
            Column(translate("DeadlineBoard", "剩余"), days_left_text, centre, foreground=state_colour,
                   background=tint),
            Column(translate("DeadlineBoard", "状态"), lambda r: r.state_label, centre, foreground=state_colour,
                   background=tint),
            Column(translate("DeadlineBoard", "案号"), lambda r: r.case_number, background=tint),
            Column(translate("DeadlineBoard", "期限"), lambda r: r.name, background=tint),
            Column(translate("DeadlineBoard", "依据"), lambda r: r.basis, tooltip=lambda r: r.basis, background=tint),
            Column(translate("DeadlineBoard", "说明"), lambda r: r.label, tooltip=lambda r: r.label, background=tint),
        ], fetch, parent, page=page, key="today", keep=keep)

    @property
    def when(self) -> str:
        """The filter the rows are for."""
        return str(self.key)

    def row_of(self, deadline_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == deadline_id), -1)


def board_fetch(db) -> Callable[[str, int], list]:
    """What the board reads: the arbitration office's periods, without explanations."""
    def fetch(when: str, limit: int) -> list:
        return dl.list_deadlines(db, when=when, limit=limit, explain=False)
    return fetch


class DeadlineBoard(QWidget):
    """The board with its filter buttons and the selected period's panel."""

    open_case = Signal(str)      # case number: show it in the register
    message = Signal(str, str)   # (kind, text) for the workspace's message strip

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.setObjectName("deadlineBoard")
        self.selected: DeadlineView | None = None
        self.detail: DeadlineView | None = None
        self._pending_select: int | None = None

        # the arbitration office's periods (a mediator's or a petition's are on their own desks)
        self.model = DeadlineBoardModel(board_fetch(self.db), self, keep=lambda d: d.subject_type == "arbitration")
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)

        top = QHBoxLayout()
        top.setSpacing(6)
        self.filter_group, self.filter_buttons = choice_buttons(
            self, top, ((code, translate("DeadlineBoard", label)) for code, label in FILTERS),
            name="filterButton", prop="filter", chosen=self.set_filter)
        self.filter_buttons["today"].setChecked(True)
        top.addSpacing(12)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        top.addWidget(self.count_label)
        top.addStretch(1)
        self.refresh_button = QPushButton(self.tr("刷新 (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)

        self.table = QTableView()
        self.table.setObjectName("deadlineTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for col, width in enumerate((96, 76, 80, 184, 160, 230)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(self._double_clicked)

        self.panel = self._build_panel()
        split = panes(self.table, self.panel, (3, 1), [820, 360])

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        self._show_detail(None)

    # ------------------------------------------------------------ panel
    def _build_panel(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("detailCard")
        panel.setMinimumWidth(320)
        v = QVBoxLayout(panel)
        v.setContentsMargins(16, 14, 16, 14)
        v.setSpacing(8)
        self.d_title = QLabel()
        self.d_title.setObjectName("detailTitle")
        self.d_title.setWordWrap(True)
        self.d_case = QLabel()
        self.d_case.setObjectName("detailCase")
        self.d_case.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.d_state = QLabel()
        self.d_state.setObjectName("stateChip")
        self.d_due = QLabel()
        self.d_due.setObjectName("detailDue")
        self.d_basis = QLabel()
        self.d_basis.setObjectName("detailBasis")
        self.d_basis.setWordWrap(True)
        self.d_explanation = QLabel()
        self.d_explanation.setObjectName("explanation")
        self.d_explanation.setWordWrap(True)
        self.d_explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.d_coverage = QLabel()
        self.d_coverage.setObjectName("coverageNote")
        self.d_coverage.setWordWrap(True)
        self.d_empty = QLabel(self.tr("选择左侧的期限，查看到期日的计算过程和可做的处理。"))
        self.d_empty.setObjectName("emptyHint")
        self.d_empty.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(self.d_title, 1)
        head.addWidget(self.d_state, 0, Qt.AlignmentFlag.AlignTop)
        v.addLayout(head)
        v.addWidget(self.d_case)
        v.addWidget(self.d_due)
        basis_caption = QLabel(self.tr("法律依据"))
        basis_caption.setObjectName("caption")
        v.addWidget(basis_caption)
        v.addWidget(self.d_basis)
        how = QLabel(self.tr("到期日如何得出"))
        how.setObjectName("caption")
        v.addWidget(how)
        v.addWidget(self.d_explanation)
        v.addWidget(self.d_coverage)
        self.detail_parts = [self.d_title, self.d_case, self.d_state, self.d_due, basis_caption, self.d_basis,
                             how, self.d_explanation, self.d_coverage]
        v.addWidget(self.d_empty)

        self.actions_box = QFrame()
        self.actions_box.setObjectName("actionsBox")
        g = QGridLayout(self.actions_box)
        g.setContentsMargins(0, 8, 0, 0)
        g.setHorizontalSpacing(6)
        g.setVerticalSpacing(6)
        today = self._today()
        self.act_date = QDateEdit(to_qdate(today))
        self.act_date.setObjectName("actionDate")
        self.act_date.setCalendarPopup(True)
        self.act_date.setDisplayFormat("yyyy-MM-dd")
        g.addWidget(QLabel(self.tr("日期")), 0, 0)
        g.addWidget(self.act_date, 0, 1, 1, 2)
        self.met_button = QPushButton(self.tr("完成"))
        self.met_button.setObjectName("metButton")
        self.met_button.setToolTip(self.tr("期限要求的事项已在所选日期完成"))
        self.met_button.clicked.connect(self.mark_met)
        self.extend_button = QPushButton(self.tr("延长"))
        self.extend_button.setObjectName("extendButton")
        self.extend_button.clicked.connect(self.extend)
        self.suspend_button = QPushButton(self.tr("中止"))
        self.suspend_button.setObjectName("suspendButton")
        self.suspend_button.clicked.connect(self.suspend_or_resume)
        g.addWidget(self.met_button, 1, 0)
        g.addWidget(self.extend_button, 1, 1)
        g.addWidget(self.suspend_button, 1, 2)
        self.restart_box = QComboBox()
        self.restart_box.setObjectName("restartEvent")
        self.restart_button = QPushButton(self.tr("重新计算"))
        self.restart_button.setObjectName("restartButton")
        self.restart_button.clicked.connect(self.restart)
        g.addWidget(self.restart_box, 2, 0, 1, 2)
        g.addWidget(self.restart_button, 2, 2)
        self.open_button = QPushButton(self.tr("打开案件"))
        self.open_button.setObjectName("openCaseButton")
        self.open_button.clicked.connect(self._open_selected)
        g.addWidget(self.open_button, 3, 0, 1, 3)
        v.addWidget(self.actions_box)
        v.addStretch(1)
        return panel

    def _today(self) -> dt.date:
        return local_day(self.db.clock.now())

    # ------------------------------------------------------------ loading
    def set_filter(self, when: str) -> None:
        self.filter_buttons[when].setChecked(True)
        self.model.reload(when)

    def refresh(self) -> None:
        if self.selected is not None:
            self._pending_select = self.selected.id
        self.model.reload()

    def _loaded(self) -> None:
        n = len(self.model.rows)
        more = self.model.more
        text = self.tr("共 {n} 项").replace("{n}", str(n)) if not more else \
            self.tr("已显示 {n} 项，向下滚动查看更多").replace("{n}", str(n))
        self.count_label.setText(text)
        keep = self._pending_select
        self._pending_select = None
        row = self.model.row_of(keep) if keep is not None else -1
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.selected = None
            self._show_detail(None)

    def _failed(self, exc: BaseException) -> None:
        self.message.emit("error", user_message(exc)[1])

    # ------------------------------------------------------------ selection
    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        self.selected = row
        self._show_detail(row)
        if row is not None:
            self._load_explanation(row)

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None and row.subject_type == "arbitration":
            self.open_case.emit(row.case_number)

    def _load_explanation(self, row: DeadlineView) -> None:
        db, subject, wanted = self.db, (row.subject_type, row.subject_id), row.id

        def fetch():
            # by subject: an indexed lookup (by case number SQLite may scan the open-due index)
            rows = dl.list_deadlines(db, when="all", subject=subject, explain=True)
            return next((r for r in rows if r.id == wanted), None)
        Op(self, fetch).success(lambda d: self._got_explanation(wanted, d)).failure(self._failed).run()

    def _got_explanation(self, wanted: int, d: DeadlineView | None) -> None:
        if self.selected is None or self.selected.id != wanted or d is None:
            return
        self._show_detail(d)

    def _show_detail(self, d: DeadlineView | None) -> None:
        self.detail = d
        for w in self.detail_parts:
            w.setVisible(d is not None)
        self.d_empty.setVisible(d is None)
        self.actions_box.setVisible(d is not None)
        if d is None:
            return
        self.d_title.setText(d.name)
        self.d_case.setText(self.tr("{case}　{label}").replace("{case}", d.case_number).replace("{label}", d.label))
        self.d_state.setText(d.state_label)
        self.d_state.setStyleSheet(f"background: {state_colour(d)};")
        self.d_due.setText(self.tr("起算日 {start}　到期日 <b>{due}</b>　{left}")
                           .replace("{start}", cn_day(d.start_date)).replace("{due}", cn_day(d.due_date))
                           .replace("{left}", days_left_text(d)))
        self.d_basis.setText(d.basis)
        self.d_explanation.setText(d.explanation or self.tr("正在读取计算过程…"))
        self.d_coverage.setText(d.coverage_note or "")
        self.d_coverage.setVisible(bool(d.coverage_note))
        open_ = d.met_on is None
        suspended = d.state == "suspended"
        try:
            rule = rules.rule(d.rule_code)
        except KeyError:  # an agreed performance date has no statutory rule
            rule = None
        self.met_button.setEnabled(open_)
        self.extend_button.setEnabled(open_ and d.can_extend)
        self.extend_button.setToolTip(
            (rule.extension.basis or rule.extension.approval) if rule and rule.extension else self.tr("该期限依法不能延长"))
        self.suspend_button.setText(self.tr("恢复") if suspended else self.tr("中止"))
        # the wait for a 补正 is started and ended by the case's own 补正 steps
        self.suspend_button.setEnabled(open_ and bool(rule and rule.suspendable) and d.rule_code != "labour.acceptance")
        self.restart_box.clear()
        for ev in (rule.restart_events if rule else ()):
            self.restart_box.addItem(ev.name, ev.code)
        restartable = self.restart_box.count() > 0
        self.restart_box.setVisible(restartable)
        self.restart_button.setVisible(restartable)
        self.restart_box.setEnabled(restartable and open_)
        self.restart_button.setEnabled(restartable and open_)
        self.open_button.setEnabled(d.subject_type == "arbitration")

    # ------------------------------------------------------------ actions
    def _act(self, fn, done: str) -> None:
        d = self.selected
        if d is None:
            return
        db, actor, day = self.db, self.ctx.actor, from_qdate(self.act_date.date())
        self._pending_select = d.id
        Op(self, lambda: fn(db, actor, d, day)).success(lambda _v: self._acted(done)) \
            .failure(self._failed).run()

    def _acted(self, done: str) -> None:
        self.message.emit("info", done)
        self.model.reload()

    def mark_met(self) -> None:
        self._act(lambda db, actor, d, day: dl.mark_met(db, actor, d.id, day), self.tr("已记录完成，该期限移出未完成清单。"))

    def extend(self) -> None:
        d = self.selected
        if d is not None and d.rule_code in dl.APPROVED_EXTENSIONS:
            # Art. 43: the chair's approval is recorded on the case, with the written notice
            self.message.emit("error", self.tr("延长审理期限须经仲裁委员会主任批准：已打开案件，请在“延长审理期限”中"
                                               "录入批准人和理由，并生成延长审理期限通知书。"))
            self.open_case.emit(d.case_number)
            return
        self._act(lambda db, actor, d, day: dl.extend(db, actor, d.id), self.tr("已记录延长，到期日已重新计算。"))

    def suspend_or_resume(self) -> None:
        if self.selected is not None and self.selected.state == "suspended":
            self._act(lambda db, actor, d, day: dl.resume(db, actor, d.id, day), self.tr("已恢复计算。"))
        else:
            self._act(lambda db, actor, d, day: dl.suspend(db, actor, d.id, day), self.tr("已中止计算。"))

    def _open_selected(self) -> None:
        if self.selected is not None:
            self.open_case.emit(self.selected.case_number)

    def restart(self) -> None:
        code = self.restart_box.currentData()
        if not code:
            return
        self._act(lambda db, actor, d, day: dl.restart(db, actor, d.id, day, code),
                  self.tr("已按所选事由重新计算到期日。"))
