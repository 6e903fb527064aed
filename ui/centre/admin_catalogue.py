"""The centre as the public meets it: its profile, services, windows and rooms."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hall.domain import appointments as appt_rules
from hall.domain.clock import local_day
from hall.domain.queue import DEFAULT_PRIORITY_WEIGHTS, PriorityReason
from hall.domain.workcalendar import WEEKDAY_NAMES
from hall.services import admin
from ui.centre.admin_common import (
    AdminPage,
    Column,
    TableEditorPage,
    active_label,
    button,
    buttons_row,
    card,
    field_label,
    hint,
    mark_invalid,
)
from ui.common import palette
from ui.common.context import AppContext
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    translate,
)

_CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
_PREFIX = re.compile(r"^[A-Z]{1,2}$")


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(8)
    return form


def _line(max_length: int = 200, placeholder: str = "", name: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_length)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    if name:
        edit.setObjectName(name)
    return edit


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _date_edit() -> QDateEdit:
    e = QDateEdit()
    e.setCalendarPopup(True)
    e.setDisplayFormat("yyyy-MM-dd")
    return e


# ------------------------------------------------------------------ profile
class ProfilePage(AdminPage):
    """中心信息: the names, addresses, case-number patterns, document headers
    and seal texts the hall's documents and screens print."""

    GROUPS = (
        (QT_TRANSLATE_NOOP("ProfilePage", "服务中心"), ("name", "short_name", "address", "phone")),
        (QT_TRANSLATE_NOOP("ProfilePage", "人民调解委员会"),
         ("mediation_committee", "mediation_committee_address", "mediation_case_pattern",
          "mediation_document_header", "mediation_seal_text")),
        (QT_TRANSLATE_NOOP("ProfilePage", "劳动人事争议仲裁委员会"),
         ("arbitration_commission", "arbitration_commission_address", "arbitration_case_pattern",
          "arbitration_receipt_pattern", "arbitration_document_header", "arbitration_seal_text")),
        (QT_TRANSLATE_NOOP("ProfilePage", "信访"), ("petition_case_pattern",)),
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, translate("ProfilePage", "中心信息"),
                         translate("ProfilePage", "名称、地址、案号格式、文书抬头和印章文字，打印文书和叫号屏都用这里的内容。"
                                 "案号格式用 {year} 表示年份、{seq} 表示序号（{seq:03d} 补足三位）。"), parent)
        self.edits: dict[str, QLineEdit] = {}
        self.previews: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        cards = []
        for title, keys in self.GROUPS:
            frame, lay = card(self.tr(title))
            form = _form()
            for key in keys:
                edit = _line(200, name=f"profile_{key}")
                self.edits[key] = edit
                if key in admin.CASE_PATTERN_FIELDS:
                    edit.setPlaceholderText(self.tr("如：（{year}）东人调字第{seq}号"))
                    preview = hint("")
                    preview.hide()
                    self.previews[key] = preview
                    edit.textChanged.connect(lambda _text, k=key: self._preview(k))
                    box = QVBoxLayout()
                    box.setSpacing(2)
                    box.addWidget(edit)
                    box.addWidget(preview)
                    form.addRow(field_label(admin.PROFILE_FIELDS[key]), box)
                else:
                    form.addRow(field_label(admin.PROFILE_FIELDS[key]), edit)
            lay.addLayout(form)
            cards.append(frame)
        for column, indexes in enumerate(((0, 1), (2, 3))):
            stack = QVBoxLayout()
            stack.setSpacing(12)
            for i in indexes:
                stack.addWidget(cards[i])
            stack.addStretch(1)
            grid.addLayout(stack, 0, column)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        inner = QWidget()
        inner.setObjectName("scrollBody")
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        scroll.setStyleSheet("QScrollArea, QWidget#scrollBody { background: transparent; }")
        self.body.addWidget(scroll, 1)
        self.body.addWidget(self.message)
        self.reset_button = button(self.tr("撤销修改"), self.reload)
        self.save_button = button(self.tr("保存"), self.save, "saveButton")
        self.body.addLayout(buttons_row(self.reset_button, self.save_button))
        self.set_busy_buttons(self.save_button, self.reset_button)

    def reload(self) -> None:
        db = self.db
        self.read(lambda: admin.centre_profile(db), self._got)

    def _got(self, profile: dict) -> None:
        for key, edit in self.edits.items():
            edit.setText(str(profile.get(key, "")))
            mark_invalid(edit, False)
        self.message.clear()

    def values(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.edits.items()}

    def _preview(self, key: str) -> None:
        text = self.edits[key].text().strip()
        label = self.previews[key]
        label.setVisible(bool(text))
        if not text:
            label.setText("")
            return
        problem = admin.case_pattern_problem(field_label(admin.PROFILE_FIELDS[key]), text)
        label.setText(problem or self.tr("示例：{example}").replace("{example}", text.format(year=2026, seq=1)))
        label.setStyleSheet(palette.style("color: {overdue};") if problem else "")

    def save(self) -> None:
        values = self.values()
        problems = admin.profile_problems({k: v for k, v in values.items() if v})
        for key, edit in self.edits.items():
            bad = (key == "name" and not values[key]) or (
                key in admin.CASE_PATTERN_FIELDS and values[key]
                and admin.case_pattern_problem("", values[key]) is not None)
            mark_invalid(edit, bool(bad))
        self.submit(problems, admin.update_profile, values, self._saved)

    def _saved(self, profile: dict) -> None:
        self.show_info(self.tr("中心信息已保存。"))


# ----------------------------------------------------------------- services
def _weights_text(weights: dict) -> str:
    return "、".join(f"{translate('PriorityReasons', PriorityReason(k).label)} {v}"
                     for k, v in weights.items() if k in PriorityReason._value2member_map_)


class ServicesPage(TableEditorPage):
    """业务: what the front desk offers, each with its ticket prefix."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        self.new_text = translate("ServicesPage", "新增业务")
        self.editor_title = translate("ServicesPage", "业务设置")
        super().__init__(ctx, translate("ServicesPage", "业务"),
                         translate("ServicesPage", "导引台按这里的顺序显示业务。已有排队记录的业务不能删除，停用后导引台不再提供，"
                                 "历史记录仍保留业务名称。"), [90, 130, 50, 80, 180], parent)

    def columns(self) -> list[Column]:
        return [Column(self.tr("代码"), lambda s: s.code),
                Column(self.tr("名称"), lambda s: s.name),
                Column(self.tr("前缀"), lambda s: s.prefix, Qt.AlignmentFlag.AlignCenter),
                Column(self.tr("隔夜保留"), lambda s: self.tr("是") if s.carry_over else "",
                       Qt.AlignmentFlag.AlignCenter),
                Column(self.tr("优先权重（分钟）"), lambda s: _weights_text(s.priority_weights) or self.tr("默认")),
                Column(self.tr("状态"), lambda s: active_label(s.active))]

    def fetch(self) -> list:
        return admin.list_all_services(self.db)

    def build_editor(self, lay: QVBoxLayout) -> None:
        form = _form()
        self.code_edit = _line(32, self.tr("小写字母、数字、下划线，如 notary"), "serviceCode")
        self.name_edit = _line(40, name="serviceName")
        self.prefix_edit = _line(2, self.tr("一到两个大写字母"), "servicePrefix")
        self.prefix_edit.textEdited.connect(lambda text: self.prefix_edit.setText(text.upper()))
        self.description_edit = _line(200, self.tr("导引台按钮上的说明"))
        self.carry_over_box = QCheckBox(self.tr("当天未叫到的号次日继续有效（隔夜保留）"))
        form.addRow(self.tr("业务代码"), self.code_edit)
        form.addRow(self.tr("业务名称"), self.name_edit)
        form.addRow(self.tr("票号前缀"), self.prefix_edit)
        form.addRow(self.tr("说明"), self.description_edit)
        form.addRow("", self.carry_over_box)
        lay.addLayout(form)
        sub = QLabel(self.tr("优先权重：优先群众相当于多等候的分钟数，选“默认”则用全中心的默认值。"))
        sub.setObjectName("fieldHint")
        sub.setWordWrap(True)
        lay.addWidget(sub)
        weights = QGridLayout()
        weights.setHorizontalSpacing(10)
        self.weight_boxes: dict[str, QSpinBox] = {}
        for i, reason in enumerate(PriorityReason):
            box = QSpinBox()
            box.setRange(-1, 480)
            box.setSuffix(self.tr(" 分钟"))
            box.setSpecialValueText(self.tr("默认（{n}）").replace("{n}", str(DEFAULT_PRIORITY_WEIGHTS[reason])))
            box.setObjectName(f"weight_{reason.value}")
            self.weight_boxes[reason.value] = box
            weights.addWidget(QLabel(translate("PriorityReasons", reason.label)), i // 2, (i % 2) * 2)
            weights.addWidget(box, i // 2, (i % 2) * 2 + 1)
        lay.addLayout(weights)

    def fill(self, row) -> None:
        self.code_edit.setReadOnly(row is not None)
        self.code_edit.setText(row.code if row else "")
        self.name_edit.setText(row.name if row else "")
        self.prefix_edit.setText(row.prefix if row else "")
        self.description_edit.setText(row.description if row else "")
        self.carry_over_box.setChecked(bool(row and row.carry_over))
        weights = row.priority_weights if row else {}
        for code, box in self.weight_boxes.items():
            box.setValue(int(weights.get(code, -1)))
        self.editor_heading.setText(self.tr("新增业务") if row is None else
                                    self.tr("业务：{name}").replace("{name}", row.name))

    def collect(self) -> tuple[list[str], Any]:
        problems = []
        code = self.code_edit.text().strip()
        name = self.name_edit.text().strip()
        prefix = self.prefix_edit.text().strip().upper()
        if self.current is None and not _CODE.match(code):
            problems.append(self.tr("业务代码应为 2-32 位小写字母、数字或下划线，以字母开头"))
        if not name:
            problems.append(self.tr("业务名称不能为空"))
        if not _PREFIX.match(prefix):
            problems.append(self.tr("票号前缀应为一到两个大写字母"))
        mark_invalid(self.code_edit, self.current is None and not _CODE.match(code))
        mark_invalid(self.name_edit, not name)
        mark_invalid(self.prefix_edit, not _PREFIX.match(prefix))
        weights = {code_: box.value() for code_, box in self.weight_boxes.items() if box.value() >= 0}
        return problems, dict(code=code, name=name, prefix=prefix,
                              description=self.description_edit.text().strip(),
                              carry_over=self.carry_over_box.isChecked(), priority_weights=weights)

    def save_call(self, p: dict, existing) -> Any:
        if existing is None:
            return admin.add_service(self.db, self.actor, p["code"], p["name"], p["prefix"],
                                     description=p["description"], carry_over=p["carry_over"],
                                     priority_weights=p["priority_weights"])
        return admin.update_service(self.db, self.actor, existing.code, name=p["name"], prefix=p["prefix"],
                                    description=p["description"], carry_over=p["carry_over"],
                                    priority_weights=p["priority_weights"])

    def toggle_call(self, row) -> Any:
        return admin.set_service_active(self.db, self.actor, row.code, not row.active)

    def saved_text(self, row, new: bool) -> str:
        return (self.tr("已新增业务“{name}”，票号前缀 {prefix}。") if new else
                self.tr("业务“{name}”已保存。")).replace("{name}", row.name).replace("{prefix}", row.prefix)

    def toggled_text(self, row) -> str:
        return (self.tr("业务“{name}”已启用，导引台重新提供。") if row.active else
                self.tr("业务“{name}”已停用：导引台不再提供，历史记录保留。")).replace("{name}", row.name)


# ------------------------------------------------------------------ windows
def parse_hours_text(texts: dict[int, str]) -> dict[str, list[list[str]]]:
    """``{0: "08:30-12:00, 13:30-17:30"}`` -> hours data; ``ValueError`` in Chinese."""
    data: dict[str, list[list[str]]] = {}
    for day, text in texts.items():
        spans = [s for s in re.split(r"[,，;；、\s]+", text.strip()) if s]
        out = []
        for span in spans:
            parts = re.split(r"\s*[-–—~～至]\s*", span)
            if len(parts) != 2:
                raise ValueError(translate("AdminWorkspace", "{day}的时段“{span}”应写成 开始-结束，如 08:30-12:00")
                                 .replace("{day}", WEEKDAY_NAMES[day]).replace("{span}", span))
            out.append(parts)
        if out:
            data[str(day)] = out
    return appt_rules.normalise_hours(data)


def hours_text(spans: list) -> str:
    return ", ".join(f"{a}-{b}" for a, b in spans)


def _season_text(w) -> str:
    if w.season_start and w.season_end:
        if getattr(w, "season_yearly", True):
            return translate("AdminWorkspace", "每年 {start} 至 {end}").replace("{start}", f"{w.season_start:%m-%d}").replace(
                "{end}", f"{w.season_end:%m-%d}")
        return f"{w.season_start.isoformat()} 至 {w.season_end.isoformat()}"
    return translate("AdminWorkspace", "全年")


def _this_year(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 02-29 in a common year
        return day.replace(year=year, day=28)


class WindowsPage(TableEditorPage):
    """窗口: number, name, the services it calls in order, season and hours."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        self.new_text = translate("WindowsPage", "新增窗口")
        self.editor_title = translate("WindowsPage", "窗口设置")
        self.services: list = []
        super().__init__(ctx, translate("WindowsPage", "窗口"),
                         translate("WindowsPage", "每个窗口按列表顺序优先叫本窗口的业务。季节性窗口只在开放期内出现在叫号屏上。"),
                         [60, 120, 220, 120, 70], parent)

    def columns(self) -> list[Column]:
        names = lambda codes: "、".join(self._service_name(c) for c in codes)  # noqa: E731
        return [Column(self.tr("窗口号"), lambda w: w.number, Qt.AlignmentFlag.AlignCenter),
                Column(self.tr("名称"), lambda w: w.name),
                Column(self.tr("办理业务（按顺序）"), lambda w: names(w.services)),
                Column(self.tr("开放期"), _season_text),
                Column(self.tr("区域"), lambda w: w.area or "—"),
                Column(self.tr("状态"), lambda w: active_label(w.active))]

    def _service_name(self, code: str) -> str:
        return next((s.name for s in self.services if s.code == code), code)

    def fetch(self) -> tuple[list, list]:
        return admin.list_all_services(self.db), admin.list_windows(self.db)

    def _got_rows(self, data) -> None:
        self.services, windows = data
        super()._got_rows(windows)
        if self.current is None:
            self._fill_services(())

    def build_editor(self, lay: QVBoxLayout) -> None:
        form = _form()
        self.code_edit = _line(32, self.tr("如 w11"))
        self.number_box = QSpinBox()
        self.number_box.setRange(1, 999)
        self.name_edit = _line(40)
        form.addRow(self.tr("窗口代码"), self.code_edit)
        form.addRow(self.tr("窗口号"), self.number_box)
        form.addRow(self.tr("窗口名称"), self.name_edit)
        # 区域: the floor or part of the hall; ``hall --board --area 二楼`` shows only its windows.
        self.area_box = QComboBox()
        self.area_box.setObjectName("windowArea")
        self.area_box.setEditable(True)
        self.area_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        typed = self.area_box.lineEdit()   # there is one: the box is editable
        if typed is not None:
            typed.setMaxLength(admin.AREA_MAX)
            typed.setPlaceholderText(self.tr("如 一楼、二楼（可不填）"))
        form.addRow(self.tr("区域"), self.area_box)
        form.addRow("", hint(self.tr("叫号屏可只显示一个区域的窗口：hall --board --area 二楼")))
        self.service_list = QListWidget()
        self.service_list.setObjectName("plainList")
        self.service_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.service_list.setMinimumHeight(130)
        self.up_button = button(self.tr("上移"), lambda: self.move_service(-1))
        self.down_button = button(self.tr("下移"), lambda: self.move_service(1))
        moves = QVBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        moves.addStretch(1)
        services = QHBoxLayout()
        services.addWidget(self.service_list, 1)
        services.addLayout(moves)
        form.addRow(self.tr("办理业务"), services)
        form.addRow("", hint(self.tr("勾选本窗口办理的业务；排在前面的先叫（可拖动或用上移、下移调整）。")))
        self.season_box = QCheckBox(self.tr("只在季节性开放期内开放"))
        self.season_start = _date_edit()
        self.season_end = _date_edit()
        self.season_yearly = QCheckBox(self.tr("每年重复（只看月、日）"))
        self.season_yearly.setChecked(True)
        self.season_yearly.setToolTip(self.tr("不勾选时，开放期只在所填的那一年有效"))
        self.season_yearly.toggled.connect(self._season_format)
        self.season_box.toggled.connect(self._season_toggled)
        season = QHBoxLayout()
        season.addWidget(self.season_start)
        season.addWidget(QLabel(self.tr("至")))
        season.addWidget(self.season_end)
        season.addWidget(self.season_yearly)
        season.addStretch(1)
        form.addRow("", self.season_box)
        form.addRow(self.tr("开放期"), season)
        lay.addLayout(form)
        hours_title = QLabel(self.tr("每周开放时间"))
        hours_title.setObjectName("cardTitle")
        lay.addWidget(hours_title)
        lay.addWidget(hint(self.tr("每天填一个或几个时段，如 08:30-12:00, 13:30-17:30；留空表示当天不开放。"
                                   "七天都留空则不单独设定开放时间。")))
        hours = QGridLayout()
        hours.setHorizontalSpacing(8)
        hours.setVerticalSpacing(4)
        self.hours_edits: dict[int, QLineEdit] = {}
        for day in range(7):
            edit = _line(80, self.tr("不开放"))
            self.hours_edits[day] = edit
            hours.addWidget(QLabel(translate("Weekdays", WEEKDAY_NAMES[day])), day % 4, (day // 4) * 2)
            hours.addWidget(edit, day % 4, (day // 4) * 2 + 1)
        hours.setColumnStretch(1, 1)
        hours.setColumnStretch(3, 1)
        lay.addLayout(hours)

    def _season_format(self, yearly: bool) -> None:
        for e in (self.season_start, self.season_end):
            e.setDisplayFormat("MM-dd" if yearly else "yyyy-MM-dd")

    def _season_toggled(self, on: bool) -> None:
        self.season_yearly.setEnabled(on)
        self.season_start.setEnabled(on)
        self.season_end.setEnabled(on)

    def _fill_services(self, chosen) -> None:
        self.service_list.clear()
        by_code = {s.code: s for s in self.services}
        order = list(chosen) + [s.code for s in self.services if s.code not in chosen and s.active]
        for code in order:
            svc = by_code.get(code)
            label = f"{svc.name}（{svc.prefix}）" if svc else code
            if svc is not None and not svc.active:
                label += self.tr(" — 已停用")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked if code in chosen else Qt.CheckState.Unchecked)
            self.service_list.addItem(item)

    def chosen_services(self) -> list[str]:
        return [self.service_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.service_list.count())
                if self.service_list.item(i).checkState() == Qt.CheckState.Checked]

    def set_chosen_services(self, codes: list[str]) -> None:
        self._fill_services(tuple(codes))

    def move_service(self, step: int) -> None:
        row = self.service_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.service_list.count():
            return
        item = self.service_list.takeItem(row)
        self.service_list.insertItem(target, item)
        self.service_list.setCurrentRow(target)

    def fill(self, row) -> None:
        self.code_edit.setReadOnly(row is not None)
        self.code_edit.setText(row.code if row else "")
        self.number_box.setValue(row.number if row else
                                 max([w.number for w in self.model.rows] + [0]) + 1)
        self.name_edit.setText(row.name if row else "")
        areas = sorted({w.area for w in self.model.rows if w.area})
        self.area_box.clear()
        self.area_box.addItems([""] + areas)
        self.area_box.setCurrentText(row.area if row else "")
        self._fill_services(row.services if row else ())
        seasonal = bool(row and row.season_start and row.season_end)
        self.season_box.setChecked(seasonal)
        self._season_toggled(seasonal)
        today = local_day(self.db.clock.now())
        yearly = not seasonal or bool(getattr(row, "season_yearly", True))
        self.season_yearly.setChecked(yearly)
        self._season_format(yearly)
        start, end = (row.season_start, row.season_end) if seasonal else (today, today)
        if seasonal and yearly:  # stored under a base year: show this year's dates
            start, end = _this_year(start, today.year), _this_year(end, today.year)
        self.season_start.setDate(_qdate(start))
        self.season_end.setDate(_qdate(end))
        hours = row.hours if row else {}
        for day, edit in self.hours_edits.items():
            edit.setText(hours_text(hours.get(str(day), [])))
        self.editor_heading.setText(self.tr("新增窗口") if row is None else
                                    self.tr("{n}号窗口").replace("{n}", str(row.number)))

    def collect(self) -> tuple[list[str], Any]:
        problems = []
        code = self.code_edit.text().strip()
        name = self.name_edit.text().strip()
        services = self.chosen_services()
        if self.current is None and not _CODE.match(code):
            problems.append(self.tr("窗口代码应为 2-32 位小写字母、数字或下划线，以字母开头"))
        if not name:
            problems.append(self.tr("窗口名称不能为空"))
        if not services:
            problems.append(self.tr("至少要勾选一项办理的业务"))
        mark_invalid(self.code_edit, self.current is None and not _CODE.match(code))
        mark_invalid(self.name_edit, not name)
        season = None
        if self.season_box.isChecked():
            start, end = _pydate(self.season_start.date()), _pydate(self.season_end.date())
            if self.season_yearly.isChecked():  # e.g. 11-15 至 02-15 runs over the new year
                season = {"start": f"{start:%m-%d}", "end": f"{end:%m-%d}"}
            else:
                season = {"start": start.isoformat(), "end": end.isoformat()}
                if end < start:
                    problems.append(self.tr("季节性开放期的结束日期早于开始日期"))
        hours: dict = {}
        try:
            hours = parse_hours_text({d: e.text() for d, e in self.hours_edits.items()})
        except ValueError as exc:
            problems.append(str(exc))
        area = " ".join(self.area_box.currentText().split())
        return problems, dict(code=code, number=self.number_box.value(), name=name, services=services,
                              season=season, hours=hours, area=area)

    def save_call(self, p: dict, existing) -> Any:
        if existing is None:
            return admin.add_window(self.db, self.actor, p["code"], p["number"], p["name"], p["services"],
                                    season=p["season"], hours=p["hours"], area=p["area"])
        return admin.update_window(self.db, self.actor, existing.code, number=p["number"], name=p["name"],
                                   services=p["services"], season=p["season"], hours=p["hours"],
                                   area=p["area"])

    def toggle_call(self, row) -> Any:
        return admin.set_window_active(self.db, self.actor, row.code, not row.active)

    def saved_text(self, row, new: bool) -> str:
        return (self.tr("已新增 {n}号窗口。") if new else self.tr("{n}号窗口已保存。")).replace("{n}", str(row.number))

    def toggled_text(self, row) -> str:
        return (self.tr("{n}号窗口已启用。") if row.active else
                self.tr("{n}号窗口已停用，历史记录保留。")).replace("{n}", str(row.number))


# -------------------------------------------------------------------- rooms
class RoomsPage(TableEditorPage):
    """调解室: the rooms mediators book, with their kind, size and video."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        self.new_text = translate("RoomsPage", "新增房间")
        self.editor_title = translate("RoomsPage", "房间设置")
        super().__init__(ctx, translate("RoomsPage", "调解室"),
                         translate("RoomsPage", "调解室、心理咨询室、仲裁庭等房间。停用的房间不能再预约，已有记录保留。"),
                         [100, 150, 90, 70, 60], parent)

    def columns(self) -> list[Column]:
        return [Column(self.tr("代码"), lambda r: r.code),
                Column(self.tr("名称"), lambda r: r.name),
                Column(self.tr("类型"), lambda r: field_label(admin.ROOM_KINDS.get(r.kind, r.kind))),
                Column(self.tr("容纳人数"), lambda r: r.capacity, Qt.AlignmentFlag.AlignCenter),
                Column(self.tr("视频"), lambda r: self.tr("有") if r.video else "", Qt.AlignmentFlag.AlignCenter),
                Column(self.tr("状态"), lambda r: active_label(r.active))]

    def fetch(self) -> list:
        return admin.list_all_rooms(self.db)

    def build_editor(self, lay: QVBoxLayout) -> None:
        form = _form()
        self.code_edit = _line(32, self.tr("如 r_family"))
        self.name_edit = _line(40)
        self.kind_box = QComboBox()
        for key, label in admin.ROOM_KINDS.items():
            self.kind_box.addItem(field_label(label), key)
        self.capacity_box = QSpinBox()
        self.capacity_box.setRange(1, 500)
        self.capacity_box.setSuffix(self.tr(" 人"))
        self.video_box = QCheckBox(self.tr("配备视频调解设备"))
        form.addRow(self.tr("房间代码"), self.code_edit)
        form.addRow(self.tr("房间名称"), self.name_edit)
        form.addRow(self.tr("类型"), self.kind_box)
        form.addRow(self.tr("容纳人数"), self.capacity_box)
        form.addRow("", self.video_box)
        lay.addLayout(form)

    def fill(self, row) -> None:
        self.code_edit.setReadOnly(row is not None)
        self.code_edit.setText(row.code if row else "")
        self.name_edit.setText(row.name if row else "")
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(row.kind if row else "mediation")))
        self.capacity_box.setValue(row.capacity if row else 6)
        self.video_box.setChecked(bool(row and row.video))
        self.editor_heading.setText(self.tr("新增房间") if row is None else row.name)

    def collect(self) -> tuple[list[str], Any]:
        problems = []
        code = self.code_edit.text().strip()
        name = self.name_edit.text().strip()
        if self.current is None and not _CODE.match(code):
            problems.append(self.tr("房间代码应为 2-32 位小写字母、数字或下划线，以字母开头"))
        if not name:
            problems.append(self.tr("房间名称不能为空"))
        mark_invalid(self.code_edit, self.current is None and not _CODE.match(code))
        mark_invalid(self.name_edit, not name)
        return problems, dict(code=code, name=name, kind=self.kind_box.currentData(),
                              capacity=self.capacity_box.value(), video=self.video_box.isChecked())

    def save_call(self, p: dict, existing) -> Any:
        if existing is None:
            return admin.add_room(self.db, self.actor, p["code"], p["name"], p["kind"], p["capacity"], p["video"])
        return admin.update_room(self.db, self.actor, existing.code, name=p["name"], kind=p["kind"],
                                 capacity=p["capacity"], video=p["video"])

    def toggle_call(self, row) -> Any:
        return admin.set_room_active(self.db, self.actor, row.code, not row.active)

    def saved_text(self, row, new: bool) -> str:
        return (self.tr("已新增“{name}”。") if new else self.tr("“{name}”已保存。")).replace("{name}", row.name)

    def toggled_text(self, row) -> str:
        return (self.tr("“{name}”已启用。") if row.active else
                self.tr("“{name}”已停用，不能再预约。")).replace("{name}", row.name)
