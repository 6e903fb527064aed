"""排队与预约: the queue's call rule (the booked visitor's rule first) and its
two numbers, the appointment check-in window, each service's appointment plan
with its weekly hours, and the order of the
services. Every save goes through the audited admin services
(``set_queue_policy``, ``set_check_in_window``, ``set_appointment_plan``,
``update_service``)."""
from __future__ import annotations

from hall.domain import appointments as appt_rules
from hall.domain import queue as rules
from hall.domain.workcalendar import WEEKDAY_NAMES
from hall.services import admin, appointments
from ui.centre.admin_catalogue import hours_text, parse_hours_text
from ui.centre.admin_common import AdminPage, button, buttons_row, card, hint
from ui.common.context import AppContext
from ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    translate,
)

#: The call rule in words (what ``hall.domain.queue.pick_next`` does): the
#: booked visitor's rule first, in the words the check-in promise uses.
CALL_RULE = (
    "叫号规则：" + rules.BOOKED_CALL_RULE + "。"
    "其余来访者：窗口按其业务顺序服务，先叫“优先分值 + 已等候分钟 − 业务顺位扣分”最高者，同分按取号先后。"
    "优先分值（分钟）：孕妇 {pregnant}、残疾人 {disabled}、情绪激动需安抚 {distressed}、70岁以上老人 {elderly}、"
    "退役军人 {veteran}（各业务可另行设定）。窗口连续叫了“连续优先上限”个优先号后，"
    "若有普通号等候，先叫一个普通号。窗口对其第二、第三……项业务，每低一个顺位扣“顺位扣分”分钟。")


def _spin(lo: int, hi: int, name: str, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setObjectName(name)
    if suffix:
        box.setSuffix(suffix)
    box.setMaximumWidth(140)
    return box


def call_rule_text() -> str:
    w = {r.value: v for r, v in rules.DEFAULT_PRIORITY_WEIGHTS.items()}
    return translate("OperationsPage", CALL_RULE).format(**w)


class OperationsPage(AdminPage):
    """排队与预约."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, translate("OperationsPage", "排队与预约"),
                         translate("OperationsPage", "叫号规则的参数、预约签到时段、各业务的预约设置和业务顺序；每次保存都记入审计日志。"),
                         parent)
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        self.body.addWidget(scroll, 1)
        # ---- queue policy
        frame, lay = card(self.tr("排队规则"))
        self.rule_label = hint(call_rule_text())
        self.rule_label.setObjectName("callRule")
        lay.addWidget(self.rule_label)
        form = QFormLayout()
        self.cap = _spin(0, 20, "priorityCap", self.tr(" 个"))
        self.penalty = _spin(0, 240, "rankPenalty", self.tr(" 分钟"))
        form.addRow(self.tr("连续优先上限（0 = 不限）"), self.cap)
        form.addRow(self.tr("业务顺位扣分"), self.penalty)
        lay.addLayout(form)
        self.policy_button = button(self.tr("保存排队规则"), self.save_policy, "savePolicy")
        lay.addLayout(buttons_row(self.policy_button))
        grid.addWidget(frame, 0, 0)
        # ---- check-in window
        frame, lay = card(self.tr("预约签到时段"))
        form = QFormLayout()
        self.early = _spin(0, 240, "earlyMinutes", self.tr(" 分钟"))
        self.late = _spin(0, 240, "lateMinutes", self.tr(" 分钟"))
        form.addRow(self.tr("最早可提前签到"), self.early)
        form.addRow(self.tr("迟到不超过（仍按时优先）"), self.late)
        lay.addLayout(form)
        lay.addWidget(hint(self.tr("超过迟到时限仍未签到的预约记为爽约；迟到者按普通号排队。")))
        self.window_button = button(self.tr("保存签到时段"), self.save_window, "saveCheckIn")
        lay.addLayout(buttons_row(self.window_button))
        grid.addWidget(frame, 1, 0)
        # ---- appointment plan of one service
        frame, lay = card(self.tr("业务预约设置"))
        form = QFormLayout()
        self.plan_service = QComboBox()
        self.plan_service.setObjectName("planService")
        self.plan_service.currentIndexChanged.connect(lambda _i: self.load_plan())
        self.slot_minutes = _spin(5, 240, "slotMinutes", self.tr(" 分钟"))
        self.capacity = _spin(1, 50, "capacity", self.tr(" 人"))
        self.days_ahead = _spin(1, 60, "daysAhead", self.tr(" 天"))
        self.plan_active = QCheckBox(self.tr("开放预约"))
        self.plan_active.setObjectName("planActive")
        form.addRow(self.tr("业务"), self.plan_service)
        form.addRow(self.tr("每个时段"), self.slot_minutes)
        form.addRow(self.tr("每时段名额"), self.capacity)
        form.addRow(self.tr("可提前预约"), self.days_ahead)
        form.addRow("", self.plan_active)
        lay.addLayout(form)
        lay.addWidget(hint(self.tr("每周预约时间：每天填一个或几个时段，如 08:30-12:00, 13:30-17:30；"
                                   "留空表示当天不接受预约。节假日按办公日历自动不开放。")))
        hours = QGridLayout()
        hours.setHorizontalSpacing(8)
        hours.setVerticalSpacing(4)
        self.plan_hours_edits: dict[int, QLineEdit] = {}
        for day in range(7):
            edit = QLineEdit()
            edit.setObjectName(f"planHours{day}")
            edit.setPlaceholderText(self.tr("不接受预约"))
            edit.setMinimumWidth(220)
            self.plan_hours_edits[day] = edit
            hours.addWidget(QLabel(translate("Weekdays", WEEKDAY_NAMES[day])), day, 0)
            hours.addWidget(edit, day, 1)
        hours.setColumnStretch(1, 1)
        lay.addLayout(hours)
        self.plan_button = button(self.tr("保存预约设置"), self.save_plan, "savePlan")
        lay.addLayout(buttons_row(self.plan_button))
        grid.addWidget(frame, 0, 1)
        # ---- order of the services
        frame, lay = card(self.tr("业务顺序（取号屏与统计表的顺序）"))
        row = QHBoxLayout()
        self.order_list = QListWidget()
        self.order_list.setObjectName("serviceOrder")
        self.order_list.setMinimumHeight(160)
        row.addWidget(self.order_list, 1)
        side = QVBoxLayout()
        self.up_button = button(self.tr("上移"), lambda: self.move_service(-1), "moveUp")
        self.down_button = button(self.tr("下移"), lambda: self.move_service(1), "moveDown")
        side.addWidget(self.up_button)
        side.addWidget(self.down_button)
        side.addStretch(1)
        row.addLayout(side)
        lay.addLayout(row)
        grid.addWidget(frame, 1, 1)
        grid.setRowStretch(2, 1)
        self.body.addWidget(self.message)
        self.services: list = []
        self.plan_loaded = False        # the plan's fields hold what is stored
        self.set_busy_buttons(self.policy_button, self.window_button, self.plan_button, self.up_button,
                              self.down_button)

    # ------------------------------------------------------------ loading
    def reload(self) -> None:
        db = self.db
        self.read(lambda: (admin.settings(db), admin.list_all_services(db)), self._got)

    def _got(self, result) -> None:
        values, services = result
        self.cap.setValue(int(values.get("queue.priority_cap", rules.DEFAULT_PRIORITY_CAP)))
        self.penalty.setValue(int(values.get("queue.rank_penalty_minutes", rules.DEFAULT_RANK_PENALTY_MINUTES)))
        self.early.setValue(int(values.get("appointments.early_minutes", appt_rules.DEFAULT_EARLY_MINUTES)))
        self.late.setValue(int(values.get("appointments.late_minutes", appt_rules.DEFAULT_LATE_MINUTES)))
        self.services = sorted([s for s in services if s.active], key=lambda s: (s.sort_order, s.code))
        current = self.plan_service.currentData()
        self.plan_service.blockSignals(True)
        self.plan_service.clear()
        for s in self.services:
            self.plan_service.addItem(s.name, s.code)
        if current:
            i = self.plan_service.findData(current)
            self.plan_service.setCurrentIndex(max(i, 0))
        self.plan_service.blockSignals(False)
        row = self.order_list.currentRow()
        self.order_list.clear()
        for s in self.services:
            self.order_list.addItem(f"{s.name}（{s.code}）")
        if 0 <= row < self.order_list.count():
            self.order_list.setCurrentRow(row)
        self.load_plan()

    def load_plan(self) -> None:
        code = self.plan_service.currentData()
        if not code:
            return
        self.plan_loaded = False
        db = self.db
        self.read(lambda: appointments.plan_for(db, code), lambda plan: self._got_plan(code, plan))

    def _got_plan(self, code: str, plan: dict | None) -> None:
        if code != self.plan_service.currentData():
            return
        plan = plan or {}
        self.slot_minutes.setValue(int(plan.get("slot_minutes", appt_rules.DEFAULT_SLOT_MINUTES)))
        self.capacity.setValue(int(plan.get("capacity", appt_rules.DEFAULT_CAPACITY)))
        self.days_ahead.setValue(int(plan.get("days_ahead", appt_rules.DEFAULT_DAYS_AHEAD)))
        self.plan_active.setChecked(bool(plan.get("active", False)))
        hours = plan.get("hours") or appt_rules.DEFAULT_HOURS
        for day, edit in self.plan_hours_edits.items():
            edit.setText(hours_text(hours.get(str(day), [])))
        self.plan_loaded = True

    def plan_hours(self) -> dict:
        """The weekly hours typed in the plan card; ``ValueError`` in Chinese."""
        return parse_hours_text({d: e.text() for d, e in self.plan_hours_edits.items()})

    # ------------------------------------------------------------- saving
    def save_policy(self) -> None:
        db, actor, cap, penalty = self.db, self.actor, self.cap.value(), self.penalty.value()
        self.run(lambda: admin.set_queue_policy(db, actor, priority_cap=cap, rank_penalty_minutes=penalty),
                 lambda _r: self.show_info(self.tr("排队规则已保存，新叫号即按此执行。")))

    def save_window(self) -> None:
        db, actor, early, late = self.db, self.actor, self.early.value(), self.late.value()
        self.run(lambda: admin.set_check_in_window(db, actor, early, late),
                 lambda _r: self.show_info(self.tr("签到时段已保存。")))

    def save_plan(self) -> None:
        code = self.plan_service.currentData()
        if not code:
            self.show_error(self.tr("请先选择业务"))
            return
        if not self.plan_loaded:
            self.show_error(self.tr("预约设置尚在读取，请稍候再保存"))
            return
        try:
            hours = self.plan_hours()
        except ValueError as exc:   # what was typed stays in the fields
            self.show_error(str(exc))
            return
        if not hours:
            self.show_error(self.tr("请至少填写一天的预约时间"))
            return
        db, actor = self.db, self.actor
        slot, capacity = self.slot_minutes.value(), self.capacity.value()
        days_ahead, active = self.days_ahead.value(), self.plan_active.isChecked()
        self.run(lambda: admin.set_appointment_plan(db, actor, code, slot_minutes=slot, capacity=capacity,
                                                    days_ahead=days_ahead, active=active, hours=hours),
                 lambda _r: self.show_info(self.tr("“{name}”的预约设置已保存。")
                                           .replace("{name}", self.plan_service.currentText())))

    def move_service(self, step: int) -> None:
        """Swap the selected service with its neighbour (two audited edits of their order)."""
        row = self.order_list.currentRow()
        other = row + step
        if row < 0 or not 0 <= other < len(self.services):
            self.show_error(self.tr("请先选择要移动的业务"))
            return
        order = [s.code for s in self.services]
        order[row], order[other] = order[other], order[row]
        db, actor = self.db, self.actor

        def work():
            for position, code in enumerate(order):
                admin.update_service(db, actor, code, sort_order=position)
            return order

        def done(_order):
            self.show_info(self.tr("业务顺序已保存。"))
            self.order_list.setCurrentRow(other)
            self.reload()

        self.run(work, done)


__all__ = ["CALL_RULE", "OperationsPage", "call_rule_text"]
