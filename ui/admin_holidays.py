"""节假日安排, starting from the built-in calendar: a year the package knows is
shown with its holidays and swapped working days, to be edited day by day;
before saving, the days that change are listed with the bookings and the
open deadlines on days that become closed (for the admin to act on), and
nothing is written until the admin confirms. Each changed day is audited
(``deadlines.set_year_schedule``)."""
from __future__ import annotations

import datetime as dt

from hall.domain.clock import to_local
from hall.services import admin, holidays
from hall.services.holidays import ScheduleChanges

from .admin_accounts import HolidaysPage, SwappedDay, ranges_of
from .admin_common import hint
from .context import AppContext
from .qt import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget, Signal


class ChangesDialog(QDialog):
    """The days a save changes, and what stands on the days that close."""

    def __init__(self, found: ScheduleChanges, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("holidayChanges")
        self.setWindowTitle(self.tr("确认 {year} 年放假安排的变化").replace("{year}", str(found.year)))
        self.resize(620, 460)
        lay = QVBoxLayout(self)
        lines = [self.tr("以下 {n} 天的工作日/休息日将改变：").replace("{n}", str(len(found.days)))]
        lines += [f"  • {c.text}" for c in found.days]
        if found.bookings:
            lines += ["", self.tr("改为休息日的日子里仍有 {n} 个“已预约”，请联系预约人改约或取消：")
                      .replace("{n}", str(len(found.bookings)))]
            lines += [f"  • {b.day:%Y-%m-%d} {to_local(b.slot_start):%H:%M} {b.service_name}（预约号 {b.id}）"
                      for b in found.bookings]
        if found.deadlines:
            lines += ["", self.tr("以下 {n} 个未到期的期限到期日落在改为休息日的日子，保存后将顺延重算：")
                      .replace("{n}", str(len(found.deadlines)))]
            lines += [f"  • {d.case_number} {d.label}（原到期日 {d.due_date:%Y-%m-%d}）" for d in found.deadlines]
        self.text = QPlainTextEdit("\n".join(lines))
        self.text.setObjectName("changesText")
        self.text.setReadOnly(True)
        lay.addWidget(self.text, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确认保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("返回修改"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)


class CalendarHolidaysPage(HolidaysPage):
    """The holiday page, starting from the built-in calendar, with a diff before saving."""

    #: After the changes of a save were listed (the dialog is open).
    changes_shown = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.changes_dialog: ChangesDialog | None = None
        self.last_changes: ScheduleChanges | None = None
        self.affected = QLabel()
        self.affected.setObjectName("affectedNote")
        self.affected.setWordWrap(True)
        self.body.insertWidget(self.body.indexOf(self.message), self.affected)
        self.body.insertWidget(self.body.indexOf(self.message),
                               hint(self.tr("保存前会列出改变的日子；改为休息日的日子里的预约和期限一并列出。")))

    def _got_year(self, year, schedule) -> None:
        super()._got_year(year, schedule)
        if schedule is None:
            builtin = holidays.builtin_schedule(year)
            if builtin is not None:
                self.holiday_model.set_rows(ranges_of(builtin))
                self.swap_model.set_rows([SwappedDay(d) for d in sorted(builtin.swapped_workdays)])
                self.year_state.setText(self.tr("以下为内置日历的 {year} 年安排，可逐日修改后保存；未修改的日子保持不变。")
                                        .replace("{year}", str(year)))

    def save(self) -> None:
        """List what changes first; save only after the admin confirms."""
        year = self.year_box.value()
        days = [(r.start + dt.timedelta(days=i), r.name)
                for r in self.holiday_model.rows for i in range(r.days)]
        swapped = [s.day for s in self.swap_model.rows]
        if not days:
            self.show_error(self.tr("请先添加 {year} 年的放假日期").replace("{year}", str(year)))
            return
        db, actor = self.db, self.actor
        self.run(lambda: holidays.changes(db, actor, year, days, swapped),
                 lambda found: self._confirm(found, days, swapped))

    def _confirm(self, found: ScheduleChanges, days: list, swapped: list) -> None:
        self.last_changes = found
        if not found.days:
            self.show_info(self.tr("与现行日历相比没有变化，无需保存。"))
            return
        dlg = ChangesDialog(found, self)
        self.changes_dialog = dlg
        dlg.accepted.connect(lambda: self._save_confirmed(found.year, days, swapped, found))
        dlg.open()
        self.changes_shown.emit()

    def _save_confirmed(self, year: int, days: list, swapped: list, found: ScheduleChanges) -> None:
        db, actor = self.db, self.actor

        def saved(n: int) -> None:
            self._saved(year, n)
            notes = []
            if found.bookings:
                notes.append(self.tr("改为休息日的日子里有 {n} 个预约仍为“已预约”，请联系预约人：{ids}")
                             .replace("{n}", str(len(found.bookings)))
                             .replace("{ids}", "、".join(f"{b.day:%m-%d} 预约号 {b.id}" for b in found.bookings)))
            if found.deadlines:
                notes.append(self.tr("{n} 个期限的到期日已顺延重算：{items}").replace("{n}", str(len(found.deadlines)))
                             .replace("{items}", "、".join(f"{d.case_number} {d.label}" for d in found.deadlines)))
            self.affected.setText("\n".join(notes))

        self.run(lambda: admin.set_holiday_schedule(db, actor, year, days, swapped), saved)


__all__ = ["CalendarHolidaysPage", "ChangesDialog"]
