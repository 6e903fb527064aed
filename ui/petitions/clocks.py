"""The petitions window's view of its own clocks (《信访工作条例》).

:class:`PetitionClockPanel` lists the petitions of the register with each
one's periods: 15 days to decide whether to accept and tell the petitioner
(第二十二条、第二十三条), 60 days to handle (+30 with approval, 第三十四条),
30 days to ask for and answer a review (第三十五条), with the article each
rests on. The window workspace can embed it; it refreshes on petition and
deadline events.
"""
from __future__ import annotations

import logging

from hall.services import deadlines as dl
from hall.services import petitions as pet
from ui.common import palette
from ui.common.context import AppContext
from ui.common.deadlines import cn_day, days_left_text, state_colour
from ui.common.errors import user_message
from ui.common.ops import Op
from ui.common.tablemodel import Column, RowsModel
from ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)

log = logging.getLogger(__name__)

SUBJECT = "petition"
_RELEVANT = ("petition.", "deadline.", "calendar.")


def fetch_clocks(db, actor, query: str = "", *, open_only: bool = True, limit: int = 100) -> list[tuple]:
    """(petition row, deadline) pairs, the petitions newest first, each one's periods soonest first."""
    out = []
    for p in pet.petition_register(db, actor, query, limit=limit):
        rows = dl.list_deadlines(db, when="open" if open_only else "all", subject=(SUBJECT, p.id))
        out += [(p, d) for d in rows if d.subject_type == SUBJECT]
    return out


def _met_state(d) -> str:
    return d.state_label if d.met_on is None else f"{d.state_label}（{cn_day(d.met_on)}）"


class PetitionClockModel(RowsModel):
    """Rows are ``(petition, deadline)`` pairs: one line per running clock of a petition."""

    def __init__(self, parent=None):
        ctx = "PetitionClockPanel"
        super().__init__([
            Column(translate(ctx, "信访编号"), lambda r: r[0].number),
            Column(translate(ctx, "信访人"), lambda r: r[0].petitioner),
            Column(translate(ctx, "事项状态"), lambda r: translate("PetitionState", r[0].state_label)),
            Column(translate(ctx, "期限"), lambda r: r[1].name, tooltip=lambda r: r[1].label or r[1].name),
            Column(translate(ctx, "到期日"), lambda r: cn_day(r[1].due_date)),
            Column(translate(ctx, "剩余"), lambda r: days_left_text(r[1]), foreground=lambda r: state_colour(r[1])),
            Column(translate(ctx, "状态"), lambda r: _met_state(r[1]), foreground=lambda r: state_colour(r[1])),
            Column(translate(ctx, "依据"), lambda r: r[1].basis, tooltip=lambda r: r[1].basis),
        ], parent)


class PetitionClockPanel(QWidget):
    """信访期限: the petitions and their statutory clocks."""

    refreshed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.setObjectName("petitionClockPanel")
        self._loading = False
        self._again = False

        title = QLabel(self.tr("信访事项期限"))
        title.setObjectName("caption")
        title.setStyleSheet(palette.style("color: {heading}; font-weight: bold;"))
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("petitionSearch")
        self.search_edit.setPlaceholderText(self.tr("信访编号、事项或信访人"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self.refresh)
        self.all_box = QCheckBox(self.tr("含已完成"))
        self.all_box.setObjectName("includeMet")
        self.all_box.toggled.connect(self.refresh)
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.search_edit, 2)
        top.addWidget(self.all_box)
        top.addWidget(refresh)

        self.model = PetitionClockModel(self)
        self.table = QTableView()
        self.table.setObjectName("petitionClockTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, w in enumerate((150, 80, 90, 190, 96, 80, 110)):
            self.table.horizontalHeader().resizeSection(col, w)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.explanation = QLabel()
        self.explanation.setObjectName("explanation")
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet(palette.style("color: {text}; background: {header_bg}; border-radius: 4px; padding: 6px 8px;"))
        self.explanation.hide()
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setStyleSheet(palette.style("color: {subtle};"))

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.explanation)
        lay.addWidget(self.status)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(150)
        self.debounce.timeout.connect(self.refresh)
        ctx.feed.events.connect(self._on_events)
        self.refresh()

    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        db, actor = self.db, self.ctx.actor
        q, all_ = self.search_edit.text().strip(), self.all_box.isChecked()
        Op(self, lambda: fetch_clocks(db, actor, q, open_only=not all_)).success(self._got) \
            .failure(self._failed).finally_(self._done).run()

    def _done(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()

    def _got(self, rows: list[tuple]) -> None:
        self.model.set_rows(rows)
        petitions = len({p.id for p, _ in rows})
        self.status.setText(self.tr("{p} 件信访事项，{n} 个期限").replace("{p}", str(petitions))
                            .replace("{n}", str(len(rows))))
        self.explanation.hide()
        self.refreshed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(user_message(exc)[1])

    def _selected(self, current, _previous) -> None:
        if not current.isValid():
            self.explanation.hide()
            return
        _p, d = self.model.rows[current.row()]
        text = f"{d.name}（{d.basis}）：{d.explanation}"
        if d.coverage_note:
            text += f"\n{d.coverage_note}"
        self.explanation.setText(text)
        self.explanation.show()

    def _on_events(self, events: list) -> None:
        if any(e.kind.startswith(_RELEVANT) for e in events):
            self.debounce.start()
