"""Referrals between the hall's places: sending a case to several at once,
and each target's inbox of what was sent to it.

:class:`ReferDialog` (from the mediator's case overview) sends the case to
several places in parallel, e.g. psychological counselling now and the
senior mediation room tomorrow (``cases.refer``: one batch).

:class:`ReferralInbox` is a target's list of incoming referrals — a
counselling room, a mediation room, a window's services — with 接收 and
完成; the referring staff see the state change in the case (its events
reload the case where it is open). Booking the target room for the case
arranges the referral by itself (``mediation.book_room``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from hall.domain.cases import ReferralKind
from hall.services import cases, centre
from hall.services.cases import ReferralRequest, ReferralView
from ui.common import palette
from ui.common.casework import error_text, set_status, status_line, table, ymd_hm
from ui.common.ops import Op
from ui.common.tablemodel import Column, RowsModel
from ui.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)

__all__ = ["ReferDialog", "ReferralInbox"]

#: Room kinds a case is referred to, and the referral kind each one is.
_ROOM_KINDS = {"counselling": ReferralKind.COUNSELLING.value, "mediation": ReferralKind.ROOM.value,
               "media": ReferralKind.ROOM.value}


class ReferDialog(QDialog):
    """转介: tick the places, one reason each (可不填)."""

    referred = Signal(object)       # list[ReferralView]

    def __init__(self, db, actor, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.actor, self.case_id = db, actor, case_id
        self.setObjectName("referDialog")
        self.setWindowTitle(self.tr("转介（可同时转往多处）"))
        self.rows: dict[str, tuple[QCheckBox, QLineEdit, str]] = {}
        self.grid = QGridLayout()
        self.grid.addWidget(QLabel(self.tr("去向")), 0, 0)
        self.grid.addWidget(QLabel(self.tr("原因")), 0, 1)
        self.error = QLabel()
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(palette.style("color: {error_text};"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("转介"))
        self.ok_button.setObjectName("sendReferrals")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.grid)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        Op(self, lambda: (centre.list_rooms(db), centre.list_services(db))).success(self._got) \
            .failure(lambda exc: self.error.setText(error_text(exc))).run()

    def _got(self, result) -> None:
        rooms, services = result
        row = 1
        for r in rooms:
            if r.kind in _ROOM_KINDS:
                row = self._add(row, r.code, r.name, _ROOM_KINDS[r.kind])
        for s in services:
            row = self._add(row, s.code, self.tr("{name}窗口").replace("{name}", s.name), ReferralKind.SERVICE.value)

    def _add(self, row: int, code: str, label: str, kind: str) -> int:
        box = QCheckBox(label)
        box.setObjectName(f"refer_{code}")
        reason = QLineEdit()
        reason.setObjectName(f"referReason_{code}")
        reason.setMaxLength(200)
        self.grid.addWidget(box, row, 0)
        self.grid.addWidget(reason, row, 1)
        self.rows[code] = (box, reason, kind)
        return row + 1

    def choose(self, code: str, reason: str = "") -> None:
        box, edit, _ = self.rows[code]
        box.setChecked(True)
        edit.setText(reason)

    def requests(self) -> list[ReferralRequest]:
        return [ReferralRequest(kind, code, edit.text().strip())
                for code, (box, edit, kind) in self.rows.items() if box.isChecked()]

    def submit(self) -> None:
        items = self.requests()
        if not items:
            self.error.setText(self.tr("请至少选择一个转介去向"))
            return
        db, actor, cid = self.db, self.actor, self.case_id
        self.ok_button.setEnabled(False)

        def done(views) -> None:
            self.referred.emit(views)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.error.setText(error_text(exc))
            self.ok_button.setEnabled(True)

        Op(self, lambda: cases.refer(db, actor, items, case_id=cid)).success(done).failure(failed).run()


class ReferralInbox(QWidget):
    """转入事项: the referrals sent to ``targets()`` (room / service codes; called off the UI thread)."""

    changed = Signal()

    def __init__(self, db, actor, targets: Callable[[], Sequence[str]], parent: QWidget | None = None,
                 clock: Callable[[], dt.datetime] | None = None):
        super().__init__(parent)
        self.db, self.actor, self.targets = db, actor, targets
        self.setObjectName("referralInbox")
        self._loading = False
        self._again = False
        self.model = RowsModel([
            Column(self.tr("案号"), lambda r: r.case_number),
            Column(self.tr("去向"), lambda r: r.target_label),
            Column(self.tr("原因"), lambda r: r.reason, tooltip=lambda r: r.reason),
            Column(self.tr("状态"), lambda r: translate("ReferralState", r.state_label)),
            Column(self.tr("时间"), lambda r: ymd_hm(r.scheduled_for or r.created_at)),
        ], self)
        self.table = table(self.model, [150, 100, 0, 60, 120], stretch=2)
        self.table.setObjectName("incomingReferrals")
        self.table.setMinimumHeight(90)
        self.note = QLineEdit()
        self.note.setObjectName("referralOutcome")
        self.note.setMaxLength(200)
        self.note.setPlaceholderText(self.tr("办理情况（完成时填写）"))
        self.receive_button = QPushButton(self.tr("接收"))
        self.receive_button.setObjectName("receiveReferral")
        self.receive_button.clicked.connect(self.receive)
        self.complete_button = QPushButton(self.tr("完成"))
        self.complete_button.setObjectName("completeReferral")
        self.complete_button.clicked.connect(self.complete)
        self.status = status_line("referralStatus")
        self.title = QLabel(self.tr("转入事项"))
        self.title.setObjectName("cardTitle")
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.receive_button)
        row.addWidget(self.complete_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(self.status)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self._update()

    @property
    def busy(self) -> bool:
        return self._loading

    def _gone(self) -> bool:
        """The workspace closed while a read was running (its widgets are gone)."""
        try:
            self.table.objectName()
        except RuntimeError:
            return True
        return False

    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        db, actor, targets = self.db, self.actor, self.targets

        def finished() -> None:
            self._loading = False
            if self._gone():
                return
            if self._again:
                self._again = False
                self.refresh()

        Op(self, lambda: cases.incoming_referrals(db, actor, targets=list(targets()))).success(self._got) \
            .failure(lambda exc: set_status(self.status, error_text(exc), "error")).finally_(finished).run()

    def _got(self, rows: list[ReferralView]) -> None:
        if self._gone():
            return
        keep = self.selected()
        self.model.set_rows(rows)
        self.title.setText(self.tr("转入事项（{n}）").replace("{n}", str(len(rows))))
        if keep is not None:
            for i, r in enumerate(rows):
                if r.id == keep.id:
                    self.table.selectRow(i)
        self._update()

    def selected(self) -> ReferralView | None:
        idx = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not idx:
            return None
        row = idx[0].row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def _update(self) -> None:
        r = self.selected()
        self.receive_button.setEnabled(r is not None and r.state == "open")
        self.complete_button.setEnabled(r is not None and r.state in ("open", "arranged"))

    def _run(self, fn, ok: str) -> None:
        def done(_v) -> None:
            set_status(self.status, ok, "ok")
            self.changed.emit()

        Op(self, fn).success(done).failure(lambda exc: set_status(self.status, error_text(exc), "error")) \
            .finally_(self.refresh).run()

    def receive(self) -> None:
        r = self.selected()
        if r is None:
            return
        db, actor = self.db, self.actor
        self._run(lambda: cases.receive_referral(db, actor, r.id),
                  self.tr("已接收 {number} 的转介").replace("{number}", r.case_number))

    def complete(self) -> None:
        r = self.selected()
        if r is None:
            return
        db, actor, note = self.db, self.actor, self.note.text().strip()
        self.note.clear()
        self._run(lambda: cases.complete_referral(db, actor, r.id, note),
                  self.tr("已完成 {number} 的转介").replace("{number}", r.case_number))
