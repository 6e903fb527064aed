"""Staff accounts, the front desk's keyword rules, the holiday calendar and
the amounts the statutory rules depend on."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from hall.domain.clock import local_day
from hall.domain.roles import ROLE_LABELS, Role
from hall.domain.workcalendar import WEEKDAY_NAMES, YearSchedule, package_years
from hall.services import admin, centre, deadlines, users
from ui.centre.admin_catalogue import _date_edit, _form, _line, _pydate, _qdate
from ui.centre.admin_common import (
    AdminPage,
    AdminRowsModel,
    Column,
    TableEditorPage,
    button,
    buttons_row,
    card,
    hint,
    make_table,
    mark_invalid,
    titled_card,
)
from ui.common import palette
from ui.common.context import AppContext
from ui.qt import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    translate,
)

_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,32}$")


class SecretBox(QFrame):
    """A temporary password, shown once: gone when the administrator moves on."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("secretBox")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        self.caption = QLabel()
        self.caption.setObjectName("secretText")
        self.caption.setWordWrap(True)
        self.value = QLabel()
        self.value.setObjectName("secretValue")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.caption)
        lay.addWidget(self.value)
        self.hide()

    @property
    def password(self) -> str:
        parent = self.parentWidget()
        shown = self.isVisibleTo(parent) if parent is not None else self.isVisible()
        return self.value.text() if shown else ""

    def show_password(self, username: str, password: str) -> None:
        self.caption.setText(translate("SecretBox", "“{user}”的临时密码（只显示这一次，请当面告知本人；"
                                             "首次登录时须改为自己的密码）：").replace("{user}", username))
        self.value.setText(password)
        self.show()

    def forget(self) -> None:
        self.value.clear()
        self.hide()


# -------------------------------------------------------------------- users
def _roles_text(roles) -> str:
    out = []
    for r in roles:
        try:
            out.append(translate("Roles", ROLE_LABELS[Role(r)]))
        except ValueError:
            out.append(r)
    return "、".join(out)


def _account_state(u) -> str:
    if not u.active:
        return translate("AdminWorkspace", "停用")
    parts = [translate("AdminWorkspace", "启用")]
    if u.locked:
        parts.append(translate("AdminWorkspace", "已锁定"))
    if u.must_change_password:
        parts.append(translate("AdminWorkspace", "待改密码"))
    return " · ".join(parts)


class UsersPage(TableEditorPage):
    """人员与账户: who may sign in, with which roles."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        self.new_text = translate("UsersPage", "新增账户")
        self.editor_title = translate("UsersPage", "账户设置")
        super().__init__(ctx, translate("UsersPage", "人员与账户"),
                         translate("UsersPage", "账户不删除，离岗人员停用即可。新账户和重置密码都会生成临时密码，"
                                         "只显示一次；本人首次登录时须改为自己的密码。"),
                         [110, 90, 220], parent)

    def key(self, row) -> Any:
        return row.username

    def columns(self) -> list[Column]:
        return [Column(self.tr("用户名"), lambda u: u.username),
                Column(self.tr("姓名"), lambda u: u.display_name),
                Column(self.tr("角色"), lambda u: _roles_text(u.roles)),
                Column(self.tr("状态"), _account_state)]

    def fetch(self) -> list:
        return users.list_users(self.db)

    def build_editor(self, lay: QVBoxLayout) -> None:
        form = _form()
        self.username_edit = _line(32, self.tr("字母、数字、下划线、点或减号"), "username")
        self.name_edit = _line(40, name="displayName")
        form.addRow(self.tr("用户名"), self.username_edit)
        form.addRow(self.tr("姓名"), self.name_edit)
        roles = QGridLayout()
        self.role_boxes: dict[str, QCheckBox] = {}
        for i, role in enumerate(Role):
            box = QCheckBox(translate("Roles", ROLE_LABELS[role]))
            box.setObjectName(f"role_{role.value}")
            self.role_boxes[role.value] = box
            roles.addWidget(box, i // 2, i % 2)
        form.addRow(self.tr("角色"), roles)
        lay.addLayout(form)
        self.state_label = hint("")
        lay.addWidget(self.state_label)
        self.secret = SecretBox()
        lay.addWidget(self.secret)

    def more_buttons(self) -> list[QPushButton]:
        self.reset_button = button(self.tr("重置密码"), self.reset_password, "resetButton")
        self.force_button = button(self.tr("下次登录须改密码"), self.force_change, "forceButton")
        return [self.reset_button, self.force_button]

    def fill(self, row) -> None:
        self.username_edit.setReadOnly(row is not None)
        self.username_edit.setText(row.username if row else "")
        self.name_edit.setText(row.display_name if row else "")
        for code, box in self.role_boxes.items():
            box.setChecked(bool(row and code in row.roles))
        self.state_label.setText(self.tr("账户状态：{state}").replace("{state}", _account_state(row)) if row else
                                 self.tr("保存后生成临时密码。"))
        self.editor_heading.setText(self.tr("新增账户") if row is None else
                                    self.tr("{name}（{user}）").replace("{name}", row.display_name)
                                    .replace("{user}", row.username))

    def edit(self, row) -> None:
        self.secret.forget()
        super().edit(row)

    def start_new(self) -> None:
        if hasattr(self, "secret"):
            self.secret.forget()
        super().start_new()

    def collect(self) -> tuple[list[str], Any]:
        problems = []
        username = self.username_edit.text().strip()
        name = self.name_edit.text().strip()
        roles = {code for code, box in self.role_boxes.items() if box.isChecked()}
        if self.current is None and not _USERNAME.match(username):
            problems.append(self.tr("用户名应为 2-32 位字母、数字、下划线、点或减号"))
        if not name:
            problems.append(self.tr("姓名不能为空"))
        if not roles:
            problems.append(self.tr("至少要勾选一个角色"))
        mark_invalid(self.username_edit, self.current is None and not _USERNAME.match(username))
        mark_invalid(self.name_edit, not name)
        return problems, dict(username=username, display_name=name, roles=",".join(sorted(roles)))

    def save_call(self, p: dict, existing) -> Any:
        if existing is None:
            return admin.add_user(self.db, self.actor, p["username"], p["display_name"], p["roles"])
        return admin.update_user(self.db, self.actor, existing.username, display_name=p["display_name"],
                                 roles=p["roles"])

    def _saved(self, result, new: bool) -> None:
        if isinstance(result, admin.AccountPassword):
            super()._saved(result.user, new)
            if result.password:
                self.secret.show_password(result.user.username, result.password)
        else:
            super()._saved(result, new)

    def toggle_call(self, row) -> Any:
        return admin.set_user_active(self.db, self.actor, row.username, not row.active)

    def saved_text(self, row, new: bool) -> str:
        return (self.tr("已新增账户“{user}”。") if new else self.tr("账户“{user}”已保存。")).replace("{user}", row.username)

    def toggled_text(self, row) -> str:
        return (self.tr("账户“{user}”已启用。") if row.active else
                self.tr("账户“{user}”已停用，不能再登录。")).replace("{user}", row.username)

    def reset_password(self) -> None:
        row = self.current
        if row is None:
            return
        db, actor = self.db, self.actor
        self.secret.forget()
        self.run(lambda: admin.reset_user_password(db, actor, row.username), self._reset_done)

    def _reset_done(self, result) -> None:
        self.show_row(result.user, self.tr("已重置“{user}”的密码。").replace("{user}", result.user.username))
        self.secret.show_password(result.user.username, result.password)

    def force_change(self) -> None:
        row = self.current
        if row is None:
            return
        db, actor = self.db, self.actor
        self.run(lambda: admin.force_password_change(db, actor, row.username), self._forced)

    def _forced(self, row) -> None:
        self.show_row(row, self.tr("“{user}”下次登录时须修改密码。").replace("{user}", row.username))


# ------------------------------------------------------------ keyword rules
class KeywordsPage(AdminPage):
    """取号关键词: the words in a visitor's request that suggest a service."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, translate("KeywordsPage", "取号关键词"),
                         translate("KeywordsPage", "导引台录入群众诉求时，含有这些词就提示对应的业务。每行一个关键词。"),
                         parent)
        self.services: list = []
        self.words: dict[str, list[str]] = {}
        self._shown: str | None = None
        self.service_list = QListWidget()
        self.service_list.setObjectName("serviceNav")
        self.service_list.setFixedWidth(240)
        self.service_list.currentRowChanged.connect(self._service_changed)
        frame, lay, self.words_title = titled_card(self.tr("关键词"))
        self.words_edit = QPlainTextEdit()
        self.words_edit.setObjectName("keywordEdit")
        self.words_edit.setPlaceholderText(self.tr("每行一个关键词，如：\n拖欠工资\n工伤"))
        lay.addWidget(self.words_edit, 1)
        lay.addWidget(hint(self.tr("同一个词可以属于几项业务，导引台会一并提示。没有关键词的业务不会被提示。")))
        lay.addWidget(self.message)
        self.reset_button = button(self.tr("撤销修改"), self.reload)
        self.save_button = button(self.tr("保存全部关键词"), self.save, "saveButton")
        lay.addLayout(buttons_row(self.reset_button, self.save_button))
        self.set_busy_buttons(self.save_button, self.reset_button)
        row = QHBoxLayout()
        row.setSpacing(14)
        row.addWidget(self.service_list)
        row.addWidget(frame, 1)
        self.body.addLayout(row, 1)

    def reload(self) -> None:
        db = self.db
        self.read(lambda: (admin.list_all_services(db), centre.keyword_rules(db)), self._got)

    def _got(self, data) -> None:
        services, rules = data
        self.services = [s for s in services if s.active]
        self.words = {}
        for rule in rules:
            words = self.words.setdefault(rule["service"], [])
            words.extend(w for w in rule["words"] if w not in words)
        self._shown = None
        self.service_list.blockSignals(True)
        self.service_list.clear()
        for s in self.services:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, s.code)
            self.service_list.addItem(item)
            self._label(item)
        self.service_list.blockSignals(False)
        self.message.clear()
        if self.services:
            self.service_list.setCurrentRow(0)
            self._service_changed(0)

    def _label(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        name = next((s.name for s in self.services if s.code == code), code)
        n = len(self.words.get(code, []))
        item.setText(self.tr("{name}（{n} 个）").replace("{name}", name).replace("{n}", str(n)))

    def _keep_shown(self) -> None:
        if self._shown is not None:
            words = [w.strip() for w in re.split(r"[\n,，、;；]+", self.words_edit.toPlainText()) if w.strip()]
            self.words[self._shown] = list(dict.fromkeys(words))
            for i in range(self.service_list.count()):
                item = self.service_list.item(i)
                if item.data(Qt.ItemDataRole.UserRole) == self._shown:
                    self._label(item)

    def _service_changed(self, row: int) -> None:
        self._keep_shown()
        item = self.service_list.item(row) if row >= 0 else None
        self._shown = item.data(Qt.ItemDataRole.UserRole) if item else None
        name = next((s.name for s in self.services if s.code == self._shown), "")
        self.words_title.setText(self.tr("“{name}”的关键词").replace("{name}", name) if name else self.tr("关键词"))
        self.words_edit.setPlainText("\n".join(self.words.get(self._shown, [])) if self._shown else "")

    def show_service(self, code: str) -> None:
        for i in range(self.service_list.count()):
            if self.service_list.item(i).data(Qt.ItemDataRole.UserRole) == code:
                self.service_list.setCurrentRow(i)

    def set_words(self, words: list[str]) -> None:
        """The words of the service shown (as typed into the box)."""
        self.words_edit.setPlainText("\n".join(words))

    def rules(self) -> list[dict]:
        self._keep_shown()
        order = [s.code for s in self.services]
        return [{"service": code, "words": self.words[code]} for code in order if self.words.get(code)]

    def save(self) -> None:
        rules = self.rules()
        db, actor = self.db, self.actor
        self.run(lambda: admin.set_keyword_rules(db, actor, rules), self._saved)

    def _saved(self, rules: list) -> None:
        self.show_info(self.tr("关键词已保存，导引台随即按新的关键词提示。"))


# ----------------------------------------------------------------- holidays
@dataclass(frozen=True)
class HolidayRange:
    start: dt.date
    end: dt.date
    name: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class SwappedDay:
    day: dt.date


def _weekday(day: dt.date) -> str:
    return translate("Weekdays", WEEKDAY_NAMES[day.weekday()])


HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")


def ranges_of(schedule: YearSchedule) -> list[HolidayRange]:
    """Consecutive days with the same name, as the State Council's notice writes them."""
    out: list[HolidayRange] = []
    for day, name in sorted(schedule.holidays):
        last = out[-1] if out else None
        if last and last.name == name and (day - last.end).days == 1:
            out[-1] = HolidayRange(last.start, day, name)
        else:
            out.append(HolidayRange(day, day, name))
    return out


class HolidaysPage(AdminPage):
    """节假日安排: a year's official holidays and swapped working days, copied
    from the State Council's annual notice, for years the packaged calendar
    does not know yet."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, translate("HolidaysPage", "节假日安排"),
                         translate("HolidaysPage", "按国务院办公厅每年发布的放假安排录入。录入的年份以录入为准；"
                                            "保存后，未到期的法定期限会按新的日历重新计算。"), parent)
        self.entered_years: list[int] = []
        self.coverage_label = QLabel()
        self.coverage_label.setObjectName("coverage")
        self.coverage_label.setWordWrap(True)
        self.coverage_label.setStyleSheet(palette.style("color: {note_text}; background: {note_bg}; border: 1px solid {note_border};"
                                                        " border-radius: 6px; padding: 6px 10px;"))
        self.body.addWidget(self.coverage_label)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年份")))
        self.year_box = QSpinBox()
        self.year_box.setObjectName("holidayYear")
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(local_day(self.db.clock.now()).year + 1)
        self.year_box.valueChanged.connect(lambda _v: self.load_year())
        top.addWidget(self.year_box)
        self.year_state = hint("")
        top.addWidget(self.year_state, 1)
        self.body.addLayout(top)

        # holidays: date ranges with names
        hol_frame, hol = card(self.tr("放假日期"))
        self.holiday_model = AdminRowsModel([
            Column(self.tr("名称"), lambda r: r.name),
            Column(self.tr("起"), lambda r: r.start.isoformat()),
            Column(self.tr("止"), lambda r: r.end.isoformat()),
            Column(self.tr("天数"), lambda r: r.days, Qt.AlignmentFlag.AlignCenter)], self)
        self.holiday_table = make_table(self.holiday_model, [90, 100, 100])
        hol.addWidget(self.holiday_table, 1)
        add = QHBoxLayout()
        self.holiday_name = QComboBox()
        self.holiday_name.setEditable(True)
        self.holiday_name.addItems([translate("Holidays", n) for n in HOLIDAY_NAMES])
        typed = self.holiday_name.lineEdit()   # there is one: the box is editable
        if typed is not None:
            typed.setMaxLength(20)
        self.holiday_start = _date_edit()
        self.holiday_end = _date_edit()
        add.addWidget(self.holiday_name)
        add.addWidget(self.holiday_start)
        add.addWidget(QLabel(self.tr("至")))
        add.addWidget(self.holiday_end)
        add.addStretch(1)
        hol.addLayout(add)
        hol.addLayout(buttons_row(button(self.tr("删除所选"), self.remove_holiday),
                                  button(self.tr("添加放假日期"), self.add_holiday_from_form, "addHoliday")))
        hol.addWidget(hint(self.tr("一段假期连同其中的周末和补休日一起录入，如 春节 02-15 至 02-23。")))

        # swapped working days
        swap_frame, swap = card(self.tr("调休上班日"))
        self.swap_model = AdminRowsModel([
            Column(self.tr("日期"), lambda r: r.day.isoformat()),
            Column(self.tr("星期"), lambda r: _weekday(r.day))], self)
        self.swap_table = make_table(self.swap_model, [110])
        swap.addWidget(self.swap_table, 1)
        self.swap_date = _date_edit()
        add2 = QHBoxLayout()
        add2.addWidget(self.swap_date)
        add2.addStretch(1)
        swap.addLayout(add2)
        swap.addLayout(buttons_row(button(self.tr("删除所选"), self.remove_swapped),
                                   button(self.tr("添加调休上班日"), self.add_swapped_from_form, "addSwapped")))
        swap.addWidget(hint(self.tr("因放假调休而上班的星期六、星期日。")))
        row = QHBoxLayout()
        row.setSpacing(14)
        row.addWidget(hol_frame, 3)
        row.addWidget(swap_frame, 2)
        self.body.addLayout(row, 1)
        self.body.addWidget(self.message)
        self.save_button = button(self.tr("保存本年安排"), self.save, "saveButton")
        self.body.addLayout(buttons_row(self.save_button))
        self.set_busy_buttons(self.save_button)
        self._reset_inputs()

    # ----------------------------------------------------------- loading
    def reload(self) -> None:
        db, actor = self.db, self.actor
        self.read(lambda: [h["year"] for h in admin.export_config(db, actor)["holiday_schedules"]], self._got_years)

    def _got_years(self, years: list[int]) -> None:
        self.entered_years = sorted(years)
        self._show_coverage()
        self.load_year()

    def _show_coverage(self) -> None:
        covered = package_years()
        text = (self.tr("内置日历已含 {first}–{last} 年的放假安排。").replace("{first}", str(covered.start))
                .replace("{last}", str(covered.stop - 1)) if len(covered) else self.tr("内置日历不可用。"))
        text += (self.tr("已录入：{years} 年。").replace("{years}", "、".join(map(str, self.entered_years)))
                 if self.entered_years else self.tr("尚未录入任何年份。"))
        text += self.tr("其他年份按周一至周五上班计算，相关期限会标注“日历未覆盖”。")
        self.coverage_label.setText(text)

    def load_year(self) -> None:
        year = self.year_box.value()
        db = self.db
        self._reset_inputs()
        self.read(lambda: deadlines.year_schedule(db, year), lambda s: self._got_year(year, s))

    def _got_year(self, year: int, schedule: YearSchedule | None) -> None:
        if year != self.year_box.value():
            return
        self.holiday_model.set_rows(ranges_of(schedule) if schedule else [])
        self.swap_model.set_rows([SwappedDay(d) for d in sorted(schedule.swapped_workdays)] if schedule else [])
        if schedule is not None:
            state = self.tr("{year} 年的安排已录入，可修改后重新保存。")
        elif year in package_years():
            state = self.tr("内置日历已有 {year} 年的安排；在此录入将以录入为准。")
        else:
            state = self.tr("{year} 年尚未录入，内置日历也没有这一年。")
        self.year_state.setText(state.replace("{year}", str(year)))
        self.message.clear()

    def _reset_inputs(self) -> None:
        year = self.year_box.value()
        for e in (self.holiday_start, self.holiday_end, self.swap_date):
            e.setDate(_qdate(dt.date(year, 1, 1)))

    # ----------------------------------------------------------- editing
    def add_holiday(self, name: str, start: dt.date, end: dt.date) -> bool:
        name = name.strip()
        year = self.year_box.value()
        problem = None
        if not name:
            problem = self.tr("请填写节日名称")
        elif end < start:
            problem = self.tr("放假结束日期早于开始日期")
        elif start.year != year or end.year != year:
            problem = self.tr("放假日期应在 {year} 年内").replace("{year}", str(year))
        elif any(r.start <= end and start <= r.end for r in self.holiday_model.rows):
            problem = self.tr("与已添加的放假日期重叠")
        elif any(start <= s.day <= end for s in self.swap_model.rows):
            problem = self.tr("这段日期中有调休上班日")
        if problem:
            self.show_error(problem)
            return False
        rows = sorted([*self.holiday_model.rows, HolidayRange(start, end, name)], key=lambda r: r.start)
        self.holiday_model.set_rows(rows)
        self.message.clear()
        return True

    def add_holiday_from_form(self) -> None:
        self.add_holiday(self.holiday_name.currentText(), _pydate(self.holiday_start.date()),
                         _pydate(self.holiday_end.date()))

    def remove_holiday(self) -> None:
        i = self.holiday_table.currentIndex().row()
        if 0 <= i < len(self.holiday_model.rows):
            self.holiday_model.set_rows([r for j, r in enumerate(self.holiday_model.rows) if j != i])

    def add_swapped(self, day: dt.date) -> bool:
        year = self.year_box.value()
        problem = None
        if day.year != year:
            problem = self.tr("调休上班日应在 {year} 年内").replace("{year}", str(year))
        elif day.weekday() < 5:
            problem = self.tr("{day} 本来就是工作日，调休上班日应为星期六或星期日").replace("{day}", day.isoformat())
        elif any(s.day == day for s in self.swap_model.rows):
            problem = self.tr("{day} 已添加").replace("{day}", day.isoformat())
        elif any(r.start <= day <= r.end for r in self.holiday_model.rows):
            problem = self.tr("{day} 在放假日期内").replace("{day}", day.isoformat())
        if problem:
            self.show_error(problem)
            return False
        self.swap_model.set_rows(sorted([*self.swap_model.rows, SwappedDay(day)], key=lambda s: s.day))
        self.message.clear()
        return True

    def add_swapped_from_form(self) -> None:
        self.add_swapped(_pydate(self.swap_date.date()))

    def remove_swapped(self) -> None:
        i = self.swap_table.currentIndex().row()
        if 0 <= i < len(self.swap_model.rows):
            self.swap_model.set_rows([r for j, r in enumerate(self.swap_model.rows) if j != i])

    # ------------------------------------------------------------ saving
    def save(self) -> None:
        year = self.year_box.value()
        days = [(r.start + dt.timedelta(days=i), r.name) for r in self.holiday_model.rows for i in range(r.days)]
        swapped = [s.day for s in self.swap_model.rows]
        if not days:
            self.show_error(self.tr("请先添加 {year} 年的放假日期").replace("{year}", str(year)))
            return
        try:
            YearSchedule(year, days, swapped)
        except ValueError as exc:
            self.show_error(str(exc))
            return
        db, actor = self.db, self.actor
        self.run(lambda: admin.set_holiday_schedule(db, actor, year, days, swapped),
                 lambda n: self._saved(year, n))

    def _saved(self, year: int, recomputed: int) -> None:
        if year not in self.entered_years:
            self.entered_years = sorted([*self.entered_years, year])
            self._show_coverage()
        self.year_state.setText(self.tr("{year} 年的安排已录入，可修改后重新保存。").replace("{year}", str(year)))
        self.show_info(self.tr("{year} 年放假安排已保存，{n} 个未到期的期限已重新计算。")
                       .replace("{year}", str(year)).replace("{n}", str(recomputed)))


# ------------------------------------------------------------------ amounts
class AmountsPage(AdminPage):
    """金额参数: the amounts statutory rules depend on, and the queue's rules."""

    AMOUNTS = (("rules.local_monthly_minimum_wage", "local_monthly_minimum_wage",
                "当地月最低工资标准", "元/月", "用于判断小额劳动争议（一裁终局）等金额标准。"),
               ("rules.province_average_annual_wage", "province_average_annual_wage",
                "全省上年度职工年平均工资", "元/年", "用于计算经济补偿的封顶基数等。"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, translate("AmountsPage", "金额参数"),
                         translate("AmountsPage", "按当地人力资源和社会保障部门公布的最新标准填写，调整后立即用于新的计算。"),
                         parent)
        frame, lay = card(self.tr("法定金额标准"))
        form = _form()
        self.edits: dict[str, QLineEdit] = {}
        for key, _arg, label, unit, note in self.AMOUNTS:
            edit = _line(12, name=key)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(180)
            self.edits[key] = edit
            row = QHBoxLayout()
            row.setSpacing(8)
            row.addWidget(edit)
            row.addWidget(QLabel(translate("AmountsPage", unit)))
            row.addWidget(hint(translate("AmountsPage", note)), 1)
            form.addRow(translate("AmountsPage", label), row)
        lay.addLayout(form)
        frame.setMaximumWidth(820)
        self.body.addWidget(frame)
        self.body.addWidget(self.message)
        self.save_button = button(self.tr("保存"), self.save, "saveButton")
        row = buttons_row(self.save_button)
        self.body.addLayout(row)
        self.body.addStretch(1)
        self.set_busy_buttons(self.save_button)

    def reload(self) -> None:
        db = self.db
        keys = list(self.edits)
        self.read(lambda: {k: centre.setting(db, k) for k in keys}, self._got)

    def _got(self, values: dict) -> None:
        for key, edit in self.edits.items():
            v = values.get(key)
            edit.setText("" if v is None else str(v))

    def save(self) -> None:
        problems, args = [], {}
        for key, arg, *_ in self.AMOUNTS:
            text = self.edits[key].text().strip()
            try:
                args[arg] = admin.SETTING_CHECKS[key](text) if text else None
                if args[arg] is None:
                    raise ValueError(translate("AmountsPage", "{label}不能为空").replace(
                        "{label}", translate("AmountsPage", dict((k, l) for k, _a, l, *_r in self.AMOUNTS)[key])))
                mark_invalid(self.edits[key], False)
            except ValueError as exc:
                problems.append(str(exc))
                mark_invalid(self.edits[key], True)
        self.submit(problems, admin.set_amount_rules, args, self._saved)

    def _saved(self, values: dict) -> None:
        self._got(values)
        self.show_info(self.tr("金额参数已保存。"))


__all__ = ["AmountsPage", "HolidaysPage", "KeywordsPage", "SecretBox", "UsersPage"]
