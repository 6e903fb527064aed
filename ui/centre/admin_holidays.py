"""节假日安排, starting from the built-in calendar: a year the package knows is
shown with its holidays and swapped working days, to be edited by ranges or
day by day (逐日修改: one day set closed or working, with a note); before
saving, the days that change are listed with the bookings (whom to call) and
the open deadlines on days that become closed (for the admin to act on), and
nothing is written until the admin confirms. Each changed day is audited with
its before, after and note (``deadlines.set_year_schedule``)."""
from __future__ import annotations

import datetime as dt

from hall.domain.clock import to_local
from hall.domain.workcalendar import YearSchedule
from hall.services import admin, holidays
from hall.services.holidays import ScheduleChanges
from ui.centre.admin_accounts import HolidaysPage, SwappedDay, ranges_of
from ui.centre.admin_catalogue import _date_edit, _pydate, _qdate
from ui.centre.admin_common import button, card, hint
from ui.common.context import AppContext
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)


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
                      + (f" {b.name} {b.phone}" if b.name or b.phone else "")
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
        self.day_marks: dict[dt.date, tuple[bool, str]] = {}     # day → (closed, note), until saved
        frame, lay = card(self.tr("逐日修改"))
        row = QHBoxLayout()
        self.day_edit = _date_edit()
        self.day_edit.setObjectName("editDay")
        self.day_note = QLineEdit()
        self.day_note.setObjectName("dayNote")
        self.day_note.setMaxLength(20)
        self.day_note.setPlaceholderText(self.tr("说明，如 停电检修（改为休息日时作为其名称）"))
        self.close_day_button = button(self.tr("设为休息日"), lambda: self.mark_day(True), "markClosed")
        self.open_day_button = button(self.tr("设为工作日"), lambda: self.mark_day(False), "markWorking")
        row.addWidget(QLabel(self.tr("日期")))
        row.addWidget(self.day_edit)
        row.addWidget(self.day_note, 1)
        row.addWidget(self.close_day_button)
        row.addWidget(self.open_day_button)
        lay.addLayout(row)
        self.day_edits_label = hint(self.tr("把某一天设为休息日（如临时闭馆）或工作日（如调休上班），改动在保存前列出。"))
        self.day_edits_label.setObjectName("dayEdits")
        lay.addWidget(self.day_edits_label)
        self.body.insertWidget(self.body.indexOf(self.affected), frame)

    def _got_year(self, year, schedule) -> None:
        super()._got_year(year, schedule)
        if schedule is None:
            builtin = holidays.builtin_schedule(year)
            if builtin is not None:
                self.holiday_model.set_rows(ranges_of(builtin))
                self.swap_model.set_rows([SwappedDay(d) for d in sorted(builtin.swapped_workdays)])
                self.year_state.setText(self.tr("以下为内置日历的 {year} 年安排，可逐日修改后保存；未修改的日子保持不变。")
                                        .replace("{year}", str(year)))

    def load_year(self) -> None:
        self.day_marks = {}
        self._show_day_edits()
        super().load_year()

    def _reset_inputs(self) -> None:
        super()._reset_inputs()
        if hasattr(self, "day_edit"):
            self.day_edit.setDate(_qdate(dt.date(self.year_box.value(), 1, 1)))

    def _edited(self) -> tuple[list[tuple[dt.date, str]], list[dt.date]]:
        days = [(r.start + dt.timedelta(days=i), r.name)
                for r in self.holiday_model.rows for i in range(r.days)]
        return days, [s.day for s in self.swap_model.rows]

    def mark_day(self, closed: bool, day: dt.date | None = None, note: str | None = None) -> bool:
        """Set one day of the year on the page closed or working, with a note."""
        year = self.year_box.value()
        day = day or _pydate(self.day_edit.date())
        note = (self.day_note.text() if note is None else note).strip()
        if day.year != year:
            self.show_error(self.tr("日期应在 {year} 年内").replace("{year}", str(year)))
            return False
        days, swapped = self._edited()
        try:
            days, swapped = holidays.edit_day(days, swapped, day, closed, note)
            schedule = YearSchedule(year, days, swapped)
        except ValueError as exc:          # the page keeps what it had
            self.show_error(str(exc))
            return False
        self.holiday_model.set_rows(ranges_of(schedule))
        self.swap_model.set_rows([SwappedDay(d) for d in sorted(schedule.swapped_workdays)])
        self.day_marks[day] = (closed, (note or self.tr("临时休息")) if closed else note)
        self._show_day_edits()
        self.day_note.clear()
        self.show_info(self.tr("{day} 已设为{what}，保存后生效。").replace("{day}", day.isoformat())
                       .replace("{what}", self.tr("休息日") if closed else self.tr("工作日")))
        return True

    def day_notes(self) -> dict[dt.date, str]:
        return {d: note for d, (_closed, note) in self.day_marks.items() if note}

    def _show_day_edits(self) -> None:
        if not self.day_marks:
            self.day_edits_label.setText(self.tr("把某一天设为休息日（如临时闭馆）或工作日（如调休上班），改动在保存前列出。"))
            return
        parts = []
        for day in sorted(self.day_marks):
            closed, note = self.day_marks[day]
            what = self.tr("休息日") if closed else self.tr("工作日")
            parts.append(f"{day:%m-%d} {what}" + (f"（{note}）" if note else ""))
        self.day_edits_label.setText(self.tr("本次逐日修改：") + "；".join(parts))

    def save(self) -> None:
        """List what changes first; save only after the admin confirms."""
        year = self.year_box.value()
        days, swapped = self._edited()
        if not days:
            self.show_error(self.tr("请先添加 {year} 年的放假日期").replace("{year}", str(year)))
            return
        db, actor, notes = self.db, self.actor, self.day_notes()
        self.run(lambda: holidays.changes(db, actor, year, days, swapped, notes),
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

        notes = self.day_notes()

        def saved_and_cleared(n: int) -> None:
            saved(n)
            self.day_marks = {}
            self._show_day_edits()

        self.run(lambda: admin.set_holiday_schedule(db, actor, year, days, swapped, notes=notes),
                 saved_and_cleared)


__all__ = ["CalendarHolidaysPage", "ChangesDialog"]
