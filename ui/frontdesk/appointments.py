"""Appointments at the front desk (预约): book a slot, find today's bookings,
check a visitor in (which issues the ticket), cancel.

A panel, not a dialog: the front desk shows it inside its own workspace
(``FrontDeskWorkspace.show_appointments``). Every database call runs off the
UI thread; a refusal from the service (a full slot, with the nearest free
slots in its message) is shown on the panel's status line.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from hall.domain.clock import local_day, to_local
from hall.domain.identity import check_phone
from hall.services import HallError, appointments, centre
from ui.common import palette
from ui.common.casework import repolish as _repolish
from ui.common.context import AppContext
from ui.common.errors import report_error
from ui.common.status_panel import StatusPanel
from ui.common.tablemodel import Column, RowsModel
from ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    named,
)

log = logging.getLogger(__name__)

__all__ = ["AppointmentsPanel"]

STYLE = palette.style("""
QWidget#AppointmentsPanel { background: {page}; }
QFrame#card { background: {surface}; border: 1px solid {kiosk_border}; border-radius: 10px; }
QLabel#cardTitle { font-size: 18px; font-weight: 700; color: {kiosk_text}; }
QLabel#fieldLabel { color: {kiosk_label}; font-size: 15px; }
QLabel#status { font-size: 14px; color: {muted}; min-height: 20px; }
QLabel#status[state="ok"] { color: {kiosk_success}; }
QLabel#status[state="error"] { color: {kiosk_error}; font-weight: 600; }
QLabel#ticketNumber { font-size: 40px; font-weight: 800; color: {kiosk_accent}; }
QPushButton#primaryButton { min-height: 38px; padding: 0 18px; border-radius: 6px; font-size: 16px;
                            background: {kiosk_accent}; color: {on_accent}; font-weight: 600; border: none; }
QPushButton#primaryButton:disabled { background: {kiosk_accent_disabled}; }
QPushButton#plainButton { min-height: 34px; padding: 0 16px; border: 1px solid {input_border};
                          border-radius: 6px; background: {surface}; font-size: 15px; }
QPushButton#plainButton:hover { border-color: {kiosk_accent}; background: {hover_bg}; }
QPushButton#plainButton:disabled { color: {disabled_text}; border-color: {disabled_border}; }
QLineEdit, QComboBox, QDateEdit { min-height: 34px; padding: 0 8px; border: 1px solid {input_border};
                                  border-radius: 6px; background: {surface}; font-size: 16px; }
QLineEdit[invalid="true"] { border: 2px solid {kiosk_error}; background: {invalid_bg}; }
QTableView { border: 1px solid {kiosk_border}; border-radius: 6px; gridline-color: {page};
             selection-background-color: {kiosk_accent}; selection-color: {on_accent};
             alternate-background-color: {row_alt}; background: {surface}; font-size: 15px; }
QHeaderView::section { background: {page}; border: none; border-bottom: 1px solid {kiosk_border};
                       padding: 4px 8px; font-size: 13px; color: {kiosk_label}; }
""")


def _hhmm(moment: dt.datetime) -> str:
    return to_local(moment).strftime("%H:%M")


class AppointmentsPanel(StatusPanel):
    """Booking and check-in, hosted by the front desk."""

    booked = Signal(object)      # AppointmentView
    checkedIn = Signal(object)   # CheckInResult
    cancelled = Signal(object)   # AppointmentView
    closeRequested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 print_ticket: Callable[[Any], None] | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.print_ticket = print_ticket
        self.setObjectName("AppointmentsPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.services: list[centre.ServiceInfo] = []
        self.last_booking: appointments.AppointmentView | None = None
        self.last_check_in: appointments.CheckInResult | None = None
        self._build()
        self.load_services()
        # no-shows are marked on this screen's own timer (and by every booking action)
        self.sweep_timer = QTimer(self)
        self.sweep_timer.setInterval(self.SWEEP_MS)
        self.sweep_timer.timeout.connect(self.sweep)
        if ctx.actor.may("appointment.manage"):
            self.sweep_timer.start()
            QTimer.singleShot(0, self.sweep)

    SWEEP_MS = 60_000
    #: After a sweep marked bookings missed (how many).
    swept = Signal(int)

    def sweep(self) -> None:
        db, actor = self.ctx.db, self.ctx.actor
        self._op(lambda: appointments.sweep_missed(db, actor)).success(self.swept.emit) \
            .failure(lambda exc: log.warning("appointment sweep failed: %s", exc)).run()

    # ------------------------------------------------------------- building
    def _card(self, title: str) -> tuple[QFrame, QVBoxLayout]:
        card = named(QFrame(self), "card")
        box = QVBoxLayout(card)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(8)
        box.addWidget(named(QLabel(title, card), "cardTitle"))
        return card, box

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self._build_booking(), 3)
        top.addWidget(self._build_check_in(), 2)
        root.addLayout(top, 1)
        bar = QHBoxLayout()
        self.status = named(QLabel(self), "status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addWidget(self.status, 1)
        self.back_button = named(QPushButton(self.tr("返回取号（Esc）"), self), "plainButton")
        self.back_button.clicked.connect(self.closeRequested)
        bar.addWidget(self.back_button)
        root.addLayout(bar)

    def _build_booking(self) -> QFrame:
        card, box = self._card(self.tr("预约登记"))
        row = QHBoxLayout()
        self.service_box = QComboBox(card)
        self.service_box.setMinimumWidth(160)
        self.service_box.currentIndexChanged.connect(lambda *_: self.refresh_slots())
        self.day_edit = QDateEdit(card)
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        today = self._today()
        self.day_edit.setDate(QDate(today.year, today.month, today.day))
        self.day_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        self.day_edit.dateChanged.connect(lambda *_: self.refresh_slots())
        row.addWidget(named(QLabel(self.tr("业务"), card), "fieldLabel"))
        row.addWidget(self.service_box, 1)
        row.addSpacing(8)
        row.addWidget(named(QLabel(self.tr("日期"), card), "fieldLabel"))
        row.addWidget(self.day_edit)
        box.addLayout(row)
        self.plan_label = named(QLabel(card), "status")
        self.plan_label.setWordWrap(True)
        box.addWidget(self.plan_label)

        self.slot_model = RowsModel([
            Column(self.tr("时段"), lambda s: f"{_hhmm(s.start)}-{_hhmm(s.end)}"),
            Column(self.tr("已约"), lambda s: f"{s.booked}/{s.capacity}", Qt.AlignmentFlag.AlignCenter),
            Column(self.tr("余位"), lambda s: s.free, Qt.AlignmentFlag.AlignCenter),
            Column(self.tr("状态"), lambda s: self.tr("可约") if s.bookable
                   else (self.tr("已约满") if s.free == 0 else self.tr("不可约"))),
        ], self)
        self.slot_table = self._table(card, self.slot_model)
        box.addWidget(self.slot_table, 1)

        form = QGridLayout()
        form.setHorizontalSpacing(8)
        self.name_edit = QLineEdit(card)
        self.name_edit.setPlaceholderText(self.tr("预约人姓名"))
        self.name_edit.setMaxLength(64)
        self.phone_edit = QLineEdit(card)
        self.phone_edit.setPlaceholderText(self.tr("手机号或固定电话"))
        self.phone_edit.textEdited.connect(lambda *_: _repolish(self.phone_edit, invalid=False))
        self.name_edit.textEdited.connect(lambda *_: _repolish(self.name_edit, invalid=False))
        self.note_edit = QLineEdit(card)
        self.note_edit.setPlaceholderText(self.tr("备注（可不填）"))
        self.phone_channel = QComboBox(card)
        self.phone_channel.addItem(self.tr("现场预约"), "front_desk")
        self.phone_channel.addItem(self.tr("电话预约"), "phone")
        form.addWidget(named(QLabel(self.tr("姓名"), card), "fieldLabel"), 0, 0)
        form.addWidget(self.name_edit, 0, 1)
        form.addWidget(named(QLabel(self.tr("电话"), card), "fieldLabel"), 0, 2)
        form.addWidget(self.phone_edit, 0, 3)
        form.addWidget(named(QLabel(self.tr("方式"), card), "fieldLabel"), 1, 0)
        form.addWidget(self.phone_channel, 1, 1)
        form.addWidget(named(QLabel(self.tr("备注"), card), "fieldLabel"), 1, 2)
        form.addWidget(self.note_edit, 1, 3)
        self.notice_check = QCheckBox(self.tr("同意短信提醒（预约前两小时、签到后叫号临近时发到上面的手机）"), card)
        form.addWidget(self.notice_check, 2, 1, 1, 3)
        box.addLayout(form)
        self.book_button = named(QPushButton(self.tr("预约所选时段"), card), "primaryButton")
        self.book_button.clicked.connect(self.book)
        box.addWidget(self.book_button, 0, Qt.AlignmentFlag.AlignRight)
        return card

    def _build_check_in(self) -> QFrame:
        card, box = self._card(self.tr("预约签到"))
        row = QHBoxLayout()
        self.find_edit = QLineEdit(card)
        self.find_edit.setPlaceholderText(self.tr("按电话查今天的预约"))
        self.find_edit.returnPressed.connect(lambda: self.find_by_phone())
        self.find_button = named(QPushButton(self.tr("查找"), card), "plainButton")
        self.find_button.clicked.connect(lambda: self.find_by_phone())
        self.today_button = named(QPushButton(self.tr("今日全部"), card), "plainButton")
        self.today_button.clicked.connect(lambda: self.list_today())
        row.addWidget(self.find_edit, 1)
        row.addWidget(self.find_button)
        row.addWidget(self.today_button)
        box.addLayout(row)
        self.found_model = RowsModel([
            Column(self.tr("时段"), lambda a: f"{_hhmm(a.slot_start)}-{_hhmm(a.slot_end)}"),
            Column(self.tr("业务"), lambda a: a.service_name),
            Column(self.tr("姓名"), lambda a: a.name),
            Column(self.tr("电话"), lambda a: a.masked_phone),
            Column(self.tr("状态"), lambda a: a.status_label + (f" {a.ticket_number}" if a.ticket_number else "")),
        ], self)
        self.found_table = self._table(card, self.found_model)
        self.found_table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        self.found_table.doubleClicked.connect(lambda *_: self.check_in())
        box.addWidget(self.found_table, 1)
        buttons = QHBoxLayout()
        self.check_in_button = named(QPushButton(self.tr("签到取号"), card), "primaryButton")
        self.check_in_button.clicked.connect(self.check_in)
        self.cancel_button = named(QPushButton(self.tr("取消预约"), card), "plainButton")
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.check_in_button)
        box.addLayout(buttons)
        self.ticket_label = named(QLabel(card), "ticketNumber")
        self.ticket_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ticket_note = named(QLabel(card), "status")
        self.ticket_note.setWordWrap(True)
        box.addWidget(self.ticket_label)
        box.addWidget(self.ticket_note)
        self._update_actions()
        return card

    def _table(self, parent: QWidget, model: RowsModel) -> QTableView:
        table = QTableView(parent)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    # -------------------------------------------------------------- helpers
    def _today(self) -> dt.date:
        return local_day(self.ctx.db.clock.now())

    def _fail(self, exc: BaseException) -> None:
        if isinstance(exc, HallError):
            self.last_error = str(exc)
            self._say(str(exc), "error")
        else:
            self.last_error = self.tr("操作未完成，请重试。")
            self._say(self.last_error, "error")
            report_error(exc, self)

    def service(self) -> str | None:
        return self.service_box.currentData()

    def day(self) -> dt.date:
        d = self.day_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def set_day(self, day: dt.date) -> None:
        self.day_edit.setDate(QDate(day.year, day.month, day.day))

    def select_service(self, code: str) -> None:
        i = self.service_box.findData(code)
        if i >= 0:
            self.service_box.setCurrentIndex(i)

    def current_slot(self) -> appointments.SlotView | None:
        index = self.slot_table.currentIndex()
        return self.slot_model.row_at(index.row()) if index.isValid() else None

    def select_slot(self, label_start: str) -> bool:
        """Select the slot starting at ``HH:MM``."""
        for i, s in enumerate(self.slot_model.rows):
            if _hhmm(s.start) == label_start:
                self.slot_table.selectRow(i)
                return True
        return False

    def current_appointment(self) -> appointments.AppointmentView | None:
        index = self.found_table.currentIndex()
        return self.found_model.row_at(index.row()) if index.isValid() else None

    def _update_actions(self) -> None:
        a = self.current_appointment()
        self.check_in_button.setEnabled(a is not None and a.status in ("booked", "missed"))
        self.cancel_button.setEnabled(a is not None and a.status == "booked")

    # ---------------------------------------------------------------- loads
    def load_services(self) -> None:
        db = self.ctx.db

        def read():
            out = []
            for info in centre.list_services(db):
                if appointments.plan_for(db, info.code):
                    out.append(info)
            return out

        self._op(read).success(self._services_loaded).failure(self._fail).run()

    def _services_loaded(self, services: list) -> None:
        self.services = services
        self.service_box.blockSignals(True)
        self.service_box.clear()
        for info in services:
            self.service_box.addItem(info.name, info.code)
        self.service_box.blockSignals(False)
        if not services:
            self.plan_label.setText(self.tr("还没有开放预约的业务（在管理端设置预约时段）。"))
            self.book_button.setEnabled(False)
            return
        self.refresh_slots()

    def refresh_slots(self) -> None:
        service, day = self.service(), self.day()
        if not service:
            return
        db = self.ctx.db
        self.slot_model.set_rows([])

        def read():
            return appointments.plan_for(db, service), appointments.available_slots(db, service, day)

        self._op(read).success(partial(self._slots_loaded, service, day)).failure(self._fail).run()

    def _slots_loaded(self, service: str, day: dt.date, result) -> None:
        if service != self.service() or day != self.day():
            return
        plan, slots = result
        self.slot_model.set_rows(slots)
        free = sum(s.free for s in slots if s.bookable)
        if not slots:
            self.plan_label.setText(self.tr("这一天不办理预约（休息日或不在开放时间）。"))
        else:
            self.plan_label.setText(
                self.tr("每 {m} 分钟一个时段，每个时段 {c} 人，可预约 {d} 天内；当天尚余 {f} 个位置。")
                .replace("{m}", str(plan["slot_minutes"])).replace("{c}", str(plan["capacity"]))
                .replace("{d}", str(plan["days_ahead"])).replace("{f}", str(free)))
        first = next((i for i, s in enumerate(slots) if s.bookable), None)
        if first is not None:
            self.slot_table.selectRow(first)

    # -------------------------------------------------------------- actions
    def book(self) -> None:
        if self._busy:
            return
        slot, service = self.current_slot(), self.service()
        name = self.name_edit.text().strip()
        phone = self.phone_edit.text().strip()
        if slot is None or service is None:    # the slots are those of a chosen service
            self._say(self.tr("请先选择一个时段"), "error")
            return
        if not name:
            _repolish(self.name_edit, invalid=True)
            self._say(self.tr("请填写预约人姓名"), "error")
            self.name_edit.setFocus()
            return
        checked = check_phone(phone) if phone else None
        if checked is None or not checked.ok:
            _repolish(self.phone_edit, invalid=True)
            self._say(checked.message if checked else self.tr("预约需要联系电话"), "error")
            self.phone_edit.setFocus()
            return
        db, actor = self.ctx.db, self.ctx.actor
        channel, note = self.phone_channel.currentData(), self.note_edit.text()
        self._busy = True
        self.book_button.setEnabled(False)
        job = partial(appointments.book, db, actor, service, slot.start, name, phone,
                      channel=channel, note=note, notice_consent=self.notice_check.isChecked())
        self._op(job).success(self._booked).failure(self._fail).finally_(self._book_done).run()

    def _book_done(self) -> None:
        self._busy = False
        self.book_button.setEnabled(bool(self.services))
        self.refresh_slots()

    def _booked(self, v: appointments.AppointmentView) -> None:
        self.last_booking = v
        self.last_error = ""
        self._say(self.tr("已预约：{name}（{phone}）{service} {slot}。请按时到场，提前 15 分钟内可签到。")
                  .replace("{name}", v.name).replace("{phone}", v.masked_phone)
                  .replace("{service}", v.service_name).replace("{slot}", v.slot_label), "ok")
        self.name_edit.clear()
        self.phone_edit.clear()
        self.note_edit.clear()
        self.notice_check.setChecked(False)
        self.booked.emit(v)

    def find_by_phone(self, quiet: bool = False) -> None:
        phone = self.find_edit.text().strip()
        checked = check_phone(phone) if phone else None
        if checked is None or not checked.ok:
            _repolish(self.find_edit, invalid=True)
            self._say(checked.message if checked else self.tr("请输入预约时留的电话"), "error")
            return
        _repolish(self.find_edit, invalid=False)
        db = self.ctx.db
        self._op(partial(appointments.find_by_phone, db, phone)) \
            .success(partial(self._found, quiet)).failure(self._fail).run()

    def list_today(self, quiet: bool = False) -> None:
        db, day = self.ctx.db, self._today()
        self._op(partial(appointments.list_appointments, db, day)) \
            .success(partial(self._found, quiet)).failure(self._fail).run()

    def _found(self, quiet: bool, rows: list) -> None:
        current = self.current_appointment()
        self.found_model.set_rows(rows)
        keep = next((i for i, a in enumerate(rows) if current is not None and a.id == current.id), 0)
        if rows:
            self.found_table.selectRow(keep)
        if not quiet:
            if rows:
                self._say(self.tr("找到 {n} 条今天的预约").replace("{n}", str(len(rows))))
            else:
                self._say(self.tr("今天没有找到预约"), "error")
        self._update_actions()

    def _reload_found(self) -> None:
        if self.find_edit.text().strip():
            self.find_by_phone(quiet=True)
        else:
            self.list_today(quiet=True)

    def check_in(self) -> None:
        a = self.current_appointment()
        if a is None or self._busy:
            return
        self._busy = True
        db, actor = self.ctx.db, self.ctx.actor
        self._op(partial(appointments.check_in, db, actor, a.id)).success(self._checked_in) \
            .failure(self._fail).finally_(self._action_done).run()

    def _action_done(self) -> None:
        self._busy = False
        self._reload_found()

    def _checked_in(self, result: appointments.CheckInResult) -> None:
        self.last_check_in = result
        self.last_error = ""
        self.ticket_label.setText(result.ticket.number)
        self.ticket_note.setText(result.message)
        self._say(result.message, "ok" if result.on_time else "note")
        self.checkedIn.emit(result)
        if self.print_ticket is not None:
            try:
                self.print_ticket(result.ticket)
            except Exception:  # the ticket is issued whatever happens to the paper
                log.warning("printing the check-in ticket failed", exc_info=True)

    def cancel(self) -> None:
        a = self.current_appointment()
        if a is None or self._busy:
            return
        self._busy = True
        db, actor = self.ctx.db, self.ctx.actor
        self._op(partial(appointments.cancel, db, actor, a.id, self.tr("前台取消"))) \
            .success(self._cancelled).failure(self._fail).finally_(self._action_done).run()

    def _cancelled(self, v: appointments.AppointmentView) -> None:
        self._say(self.tr("已取消 {name} 的预约（{slot}）").replace("{name}", v.name)
                  .replace("{slot}", v.slot_label), "ok")
        self.cancelled.emit(v)
        self.refresh_slots()
