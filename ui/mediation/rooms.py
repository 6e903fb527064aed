"""调解室: the rooms' bookings as a grid, booking the open case, cancelling.

The day view is rooms × hours (every active room); the week view is days ×
hours of the room picked. A free cell of the grid is a slot to book the open
case into (``mediation.book_room``; the service refuses a clash and names the
conflicting booking, and that sentence is shown inline under the grid); a
booked cell can be cancelled (``mediation.cancel_booking``). The grid is read
again after each action and when another workstation books or cancels.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hall.domain.cases import CaseState
from hall.domain.clock import HALL_TZ, local_day, to_local
from hall.services import InvalidInput, centre, mediation
from hall.services.cases import BookingView, CaseDetail
from ui.common import palette
from ui.common.casework import card, error_text, hrow, set_status, status_line
from ui.common.ops import Op
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QAbstractTableModel,
    QBrush,
    QCheckBox,
    QColor,
    QComboBox,
    QDate,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    translate,
)

__all__ = ["RoomCalendar", "SlotGridModel", "FIRST_HOUR", "LAST_HOUR"]

#: The grid's hours: a column per hour from FIRST_HOUR to LAST_HOUR (exclusive).
FIRST_HOUR = 8
LAST_HOUR = 18
WEEKDAYS = (QT_TRANSLATE_NOOP("RoomCalendar", "周一"), QT_TRANSLATE_NOOP("RoomCalendar", "周二"),
            QT_TRANSLATE_NOOP("RoomCalendar", "周三"), QT_TRANSLATE_NOOP("RoomCalendar", "周四"),
            QT_TRANSLATE_NOOP("RoomCalendar", "周五"), QT_TRANSLATE_NOOP("RoomCalendar", "周六"),
            QT_TRANSLATE_NOOP("RoomCalendar", "周日"))
FREE_BG = QColor(palette.SURFACE)
BOOKED_BG = QColor(palette.SELECTION)
OWN_BG = QColor(palette.OWN_BOOKING)


@dataclass(frozen=True)
class GridRow:
    """One row of the grid: a room on a day."""
    label: str
    room_code: str
    day: dt.date


class SlotGridModel(QAbstractTableModel):
    """Rows (a room on a day) × hours; a cell holds the booking covering it, if any."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[GridRow] = []
        self.cells: dict[tuple[int, int], BookingView] = {}
        self.case_id: int | None = None

    def set_grid(self, rows: list[GridRow], bookings: list[BookingView]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.cells = {}
        where = {(r.room_code, r.day): i for i, r in enumerate(rows)}
        for b in bookings:
            start, end = to_local(b.start), to_local(b.end)
            for col in range(LAST_HOUR - FIRST_HOUR):
                row_day = start.date()
                while row_day <= end.date():
                    i = where.get((b.room_code, row_day))
                    if i is not None:
                        lo = dt.datetime.combine(row_day, dt.time(FIRST_HOUR + col), tzinfo=HALL_TZ)
                        if start < lo + dt.timedelta(hours=1) and end > lo:
                            self.cells[(i, col)] = b
                    row_day += dt.timedelta(days=1)
        self.endResetModel()

    def slot(self, row: int, col: int) -> tuple[GridRow, dt.datetime] | None:
        if not (0 <= row < len(self.rows) and 0 <= col < LAST_HOUR - FIRST_HOUR):
            return None
        r = self.rows[row]
        return r, dt.datetime.combine(r.day, dt.time(FIRST_HOUR + col), tzinfo=HALL_TZ)

    def booking_at(self, row: int, col: int) -> BookingView | None:
        return self.cells.get((row, col))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else LAST_HOUR - FIRST_HOUR

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= self.columnCount():
            return None
        b = self.cells.get((index.row(), index.column()))
        if role == Qt.ItemDataRole.DisplayRole:
            return b.case_number if b is not None else ""
        if role == Qt.ItemDataRole.ToolTipRole and b is not None:
            return translate("RoomCalendar", "{number}\n{start}–{end}  调解员：{name}") \
                .replace("{number}", b.case_number).replace("{start}", f"{to_local(b.start):%H:%M}") \
                .replace("{end}", f"{to_local(b.end):%H:%M}").replace("{name}", b.mediator_name or "") \
                + (f"\n{b.note}" if b.note else "")
        if role == Qt.ItemDataRole.BackgroundRole:
            if b is None:
                return QBrush(FREE_BG)
            return QBrush(OWN_BG if b.case_id == self.case_id else BOOKED_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return f"{FIRST_HOUR + section:02d}:00" if 0 <= section < LAST_HOUR - FIRST_HOUR else None
        return self.rows[section].label if 0 <= section < len(self.rows) else None


class RoomCalendar(QWidget):
    """调解室 tab of the open case."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.detail: CaseDetail | None = None
        self.rooms: list = []
        self.bookings: list[BookingView] = []
        self.loading = False
        self._again = False
        self._busy = 0
        self._stale = True

        self.room_box = QComboBox()
        self.room_box.setObjectName("roomPicker")
        self.room_box.currentIndexChanged.connect(lambda _i: self._picked())
        self.span_box = QComboBox()
        self.span_box.setObjectName("calendarSpan")
        self.span_box.addItem(self.tr("日视图（各调解室）"), "day")
        self.span_box.addItem(self.tr("周视图（所选调解室）"), "week")
        self.span_box.currentIndexChanged.connect(lambda _i: self.load())
        self.day_edit = QDateEdit()
        self.day_edit.setObjectName("calendarDay")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.setDate(self._qdate(local_day(host.db.clock.now())))
        self.day_edit.dateChanged.connect(lambda _d: self.load())
        self.prev_button = QPushButton(self.tr("◀ 前一天"))
        self.prev_button.setObjectName("calendarPrev")
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.today_button = QPushButton(self.tr("今天"))
        self.today_button.setObjectName("calendarToday")
        self.today_button.clicked.connect(lambda: self.day_edit.setDate(self._qdate(local_day(host.db.clock.now()))))
        self.next_button = QPushButton(self.tr("后一天 ▶"))
        self.next_button.setObjectName("calendarNext")
        self.next_button.clicked.connect(lambda: self.step(1))

        self.model = SlotGridModel(self)
        self.grid = QTableView()
        self.grid.setObjectName("roomGrid")
        self.grid.setModel(self.model)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setWordWrap(False)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.verticalHeader().setDefaultSectionSize(30)
        self.grid.selectionModel().selectionChanged.connect(lambda *_: self._selected())

        self.hours_box = QComboBox()
        self.hours_box.setObjectName("bookingHours")
        for h in (1, 2, 3, 4):
            self.hours_box.addItem(self.tr("{n}小时").replace("{n}", str(h)), h)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("bookingNote")
        self.note_edit.setMaxLength(200)
        self.note_edit.setPlaceholderText(self.tr("备注（可不填）"))
        self.media_check = QCheckBox(self.tr("同时预约媒体室录像"))
        self.media_check.setObjectName("bookMediaRoom")
        self.book_button = QPushButton(self.tr("预约所选时段"))
        self.book_button.setObjectName("bookSlot")
        self.book_button.clicked.connect(self.book)
        self.cancel_reason = QLineEdit()
        self.cancel_reason.setObjectName("cancelReason")
        self.cancel_reason.setMaxLength(200)
        self.cancel_reason.setPlaceholderText(self.tr("取消原因（可不填）"))
        self.cancel_button = QPushButton(self.tr("取消所选预约"))
        self.cancel_button.setObjectName("cancelBooking")
        self.cancel_button.clicked.connect(self.cancel)
        self.selection_label = QLabel()
        self.selection_label.setObjectName("muted")
        self.selection_label.setWordWrap(True)
        self.status = status_line("calendarStatus")

        box, bl = card(self.tr("调解室预约"))
        bl.addLayout(hrow(QLabel(self.tr("调解室")), self.room_box, self.span_box, self.prev_button, self.day_edit,
                          self.next_button, self.today_button, stretch_at=7))
        bl.addWidget(self.grid, 1)
        bl.addWidget(self.selection_label)
        bl.addLayout(hrow(QLabel(self.tr("时长")), self.hours_box, self.note_edit, self.media_check,
                          self.book_button))
        bl.addLayout(hrow(self.cancel_reason, self.cancel_button))
        bl.addWidget(self.status)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(box)
        self._selected()

    # -- helpers
    @staticmethod
    def _qdate(day: dt.date) -> QDate:
        return QDate(day.year, day.month, day.day)

    @property
    def day(self) -> dt.date:
        d = self.day_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    @property
    def span(self) -> str:
        return self.span_box.currentData() or "day"

    @property
    def busy(self) -> bool:
        return self.loading or self._busy > 0

    def step(self, days: int) -> None:
        self.day_edit.setDate(self._qdate(self.day + dt.timedelta(days=days * (7 if self.span == "week" else 1))))

    def _picked(self) -> None:
        """Week view: show the room picked; day view: go to its row."""
        if self.span == "week":
            self.load()
            return
        row = self.row_of(self.room_box.currentData() or "")
        if row >= 0:
            cur = self.current()
            self.select_cell(row, cur[1] if cur else 0)

    def current(self) -> tuple[int, int] | None:
        rows = self.grid.selectionModel().selectedIndexes()
        return (rows[0].row(), rows[0].column()) if rows else None

    def select_cell(self, row: int, col: int) -> None:
        self.grid.setCurrentIndex(self.model.index(row, col))

    def row_of(self, room_code: str, day: dt.date | None = None) -> int:
        for i, r in enumerate(self.model.rows):
            if r.room_code == room_code and (day is None or r.day == day):
                return i
        return -1

    # -- showing
    def show_detail(self, detail: CaseDetail) -> None:
        self.detail = detail
        self.model.case_id = detail.case.id
        self.refresh()

    def refresh(self) -> None:
        """Read the grid again now if it is on screen, else when it is next shown."""
        if self.isVisible():
            self.load()
        else:
            self._stale = True
            self._selected()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()

    @property
    def closed(self) -> bool:
        """The workspace has shut down: late replies are dropped."""
        return bool(getattr(self.host, "_shut", False))

    def load(self) -> None:
        """Read the rooms and their bookings for the day or week shown."""
        if self.closed:
            return
        self._stale = False
        if self.loading:
            self._again = True
            return
        self.loading = True
        db, actor, day, span = self.host.db, self.host.actor, self.day, self.span
        picked = self.room_box.currentData()

        def read():
            rooms = centre.list_rooms(db)
            if span == "week":
                code = picked if any(r.code == picked for r in rooms) else (rooms[0].code if rooms else None)
                return rooms, ([] if code is None else mediation.room_calendar(db, actor, code, day, "week")), code
            out = []
            for r in rooms:
                out.extend(mediation.room_calendar(db, actor, r.code, day, "day"))
            return rooms, out, picked

        def finished() -> None:
            self.loading = False
            if self._again and not self.closed:
                self._again = False
                self.load()

        def failed(exc: BaseException) -> None:
            if not self.closed:
                set_status(self.status, error_text(exc), "error")

        Op(self, read).success(self._got).failure(failed).finally_(finished).run()

    def _got(self, result) -> None:
        if self.closed:
            return
        rooms, bookings, code = result
        self.rooms, self.bookings = rooms, bookings
        keep = self.room_box.currentData()
        self.room_box.blockSignals(True)
        self.room_box.clear()
        for r in rooms:
            self.room_box.addItem(r.name, r.code)
        self.room_box.setCurrentIndex(max(0, self.room_box.findData(keep or code
                                                                    or self.host.ctx.workstation.room_code)))
        self.room_box.blockSignals(False)
        if self.span == "week":
            first = self.day - dt.timedelta(days=self.day.weekday())
            code = self.room_box.currentData()
            rows = [GridRow(f"{translate('RoomCalendar', WEEKDAYS[i])} {(first + dt.timedelta(days=i)):%m-%d}", code,
                            first + dt.timedelta(days=i)) for i in range(7)] if code else []
        else:
            rows = [GridRow(r.name, r.code, self.day) for r in rooms]
        cur = self.current()
        self.model.set_grid(rows, bookings)
        if cur is not None and cur[0] < self.model.rowCount():
            self.select_cell(*cur)
        self._selected()

    def _selected(self) -> None:
        cur = self.current()
        open_case = self.detail is not None and CaseState(self.detail.case.state).is_open
        if cur is None:
            self.selection_label.setText(self.tr("在表格中选择空闲时段预约本案，或选择已有预约取消。"))
            self.book_button.setEnabled(False)
            self.cancel_button.setEnabled(False)
            return
        b = self.model.booking_at(*cur)
        slot = self.model.slot(*cur)
        if b is not None:
            self.selection_label.setText(
                self.tr("{room} {start}–{end}：{number}（调解员 {name}）").replace("{room}", b.room_name)
                .replace("{start}", f"{to_local(b.start):%m-%d %H:%M}").replace("{end}", f"{to_local(b.end):%H:%M}")
                .replace("{number}", b.case_number).replace("{name}", b.mediator_name or self.tr("未指定")))
        elif slot is not None:
            row, start = slot
            name = next((r.name for r in self.rooms if r.code == row.room_code), row.room_code)
            self.selection_label.setText(self.tr("空闲：{room} {start}").replace("{room}", name)
                                         .replace("{start}", f"{start:%Y-%m-%d %H:%M}"))
        self.book_button.setEnabled(b is None and open_case)
        self.cancel_button.setEnabled(b is not None)

    # -- actions
    def _run(self, fn, ok_text) -> None:
        self._busy += 1
        set_status(self.status, self.tr("正在提交…"), "busy")

        def done(result) -> None:
            if not self.closed:
                set_status(self.status, ok_text(result), "ok")

        def failed(exc: BaseException) -> None:
            if not self.closed:
                set_status(self.status, error_text(exc), "error")

        def finished() -> None:
            self._busy -= 1
            self.load()
            self.host.reload()

        Op(self, fn).success(done).failure(failed).finally_(finished).run()

    def book(self) -> None:
        cur = self.current()
        if cur is None or self.detail is None or self.model.booking_at(*cur) is not None:
            return
        slot = self.model.slot(*cur)
        if slot is None:
            return
        row, start = slot
        end = start + dt.timedelta(hours=int(self.hours_box.currentData() or 1))
        db, actor, cid = self.host.db, self.host.actor, self.detail.case.id
        note = self.note_edit.text().strip()

        def booked(b: BookingView) -> str:
            self.note_edit.clear()
            return self.tr("已预约 {room} {start}–{end}").replace("{room}", b.room_name) \
                .replace("{start}", f"{to_local(b.start):%m-%d %H:%M}").replace("{end}", f"{to_local(b.end):%H:%M}")

        want_media = self.media_check.isChecked()
        no_media = self.tr("中心没有登记媒体室")

        def book_it() -> BookingView:
            media = None
            if want_media:
                media = next((r.code for r in centre.list_rooms(db) if r.kind == "media"), None)
                if media is None:
                    raise InvalidInput(no_media)
            return mediation.book_room(db, actor, cid, row.room_code, start, end, note=note, media_room=media)

        def booked_both(b: BookingView) -> str:
            text = booked(b)
            if want_media:
                self.media_check.setChecked(False)
                text += self.tr("，并同时预约媒体室录像")
            return text

        self._run(book_it, booked_both)

    def cancel(self) -> None:
        cur = self.current()
        b = self.model.booking_at(*cur) if cur is not None else None
        if b is None:
            return
        db, actor, reason = self.host.db, self.host.actor, self.cancel_reason.text().strip()

        def cancelled(_view) -> str:
            self.cancel_reason.clear()
            return self.tr("已取消预约：{number} {start}").replace("{number}", b.case_number) \
                .replace("{start}", f"{to_local(b.start):%m-%d %H:%M}")

        self._run(lambda: mediation.cancel_booking(db, actor, b.id, reason), cancelled)
