"""The parts of the service window's screen, drawn from ``ui.window.state``.

* :class:`WindowChooser`: on a computer with no window yet, which window it is;
* :class:`DeskHeader`: the window's name, services, state and the F9/open buttons;
* :class:`MessageStrip` and :class:`RateBar`: what the last action did, and
  after 办结 the hint to rate at the kiosk;
* :class:`CurrentVisitorPanel`: the current visitor's card, with the
  :class:`ActionsBar` (叫号, 重呼, 开始办理, 过号, 转移, 办结, 登记立案) under it;
* :class:`QueuePanel`: who waits, in call order, with 叫选中的号/过号回来/挂起/取消挂起.

The panels build and draw; the workspace wires their buttons to its actions.
Their texts keep the workspace's translation context.
"""
from __future__ import annotations

from collections.abc import Callable

from hall.domain.clock import to_local
from hall.domain.queue import TicketStatus
from hall.services.views import TicketView
from ui.common import palette
from ui.common.tablemodel import Column, RowsModel
from ui.common.texts import Text
from ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFont,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    translate,
)
from ui.window.state import WindowDeskState, duration_parts

S = TicketStatus


def shown(text: Text) -> str:
    """``text`` in the interface's language, its values put in."""
    return text.shown(translate)


def bigger(widget: QWidget, factor: float, bold: bool = False) -> None:
    f = QFont(widget.font())
    f.setPointSizeF(max(6.0, f.pointSizeF() * factor))
    f.setBold(bold)
    widget.setFont(f)


class WindowChooser(QWidget):
    """请选择本机所在的服务窗口: the windows to choose from, and 使用此窗口."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        box = QFrame()
        box.setObjectName("ticketCard")
        box.setMaximumWidth(560)
        v = QVBoxLayout(box)
        v.setContentsMargins(28, 24, 28, 24)
        title = QLabel(translate("WindowWorkspace", "请选择本机所在的服务窗口"))
        bigger(title, 1.5, bold=True)
        hint = QLabel(translate("WindowWorkspace", "这台电脑还没有指定窗口。选择后，叫号、办结等操作都记在该窗口名下，"
                                "叫号屏会请群众到这个窗口。以后可在“设置”中更改。"))
        hint.setWordWrap(True)
        hint.setStyleSheet(palette.style("color: {muted};"))
        self.window_box = QComboBox()
        self.window_box.setObjectName("chooseWindow")
        self.choose_button = QPushButton(translate("WindowWorkspace", "使用此窗口"))
        self.choose_button.setObjectName("chooseButton")
        self.choose_button.setEnabled(False)
        v.addWidget(title)
        v.addWidget(hint)
        v.addSpacing(8)
        v.addWidget(self.window_box)
        v.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignRight)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def set_windows(self, windows: list) -> None:
        self.window_box.clear()
        for w in windows:
            label = translate("WindowWorkspace", "{n}号窗口 · {name}").replace("{n}", str(w.number)) \
                .replace("{name}", w.name)
            if not w.in_season:
                label += translate("WindowWorkspace", "（不在开放期）")
            self.window_box.addItem(label, w.code)
        self.choose_button.setEnabled(self.window_box.count() > 0)


class DeskHeader(QFrame):
    """The window's title, its services and state badge, 记录回访评价, 暂停 and 开启/关闭."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("deskHeader")
        hl = QHBoxLayout(self)
        hl.setContentsMargins(16, 10, 16, 10)
        titles = QVBoxLayout()
        self.title_label = QLabel(translate("WindowWorkspace", "窗口"))
        self.title_label.setObjectName("windowTitle")
        bigger(self.title_label, 1.6, bold=True)
        self.services_label = QLabel()
        self.services_label.setObjectName("services")
        titles.addWidget(self.title_label)
        titles.addWidget(self.services_label)
        hl.addLayout(titles)
        self.state_badge = QLabel()
        self.state_badge.setObjectName("stateBadge")
        hl.addWidget(self.state_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        hl.addStretch(1)
        self.pause_button = QPushButton()
        self.pause_button.setObjectName("pauseButton")
        self.open_button = QPushButton()
        self.open_button.setObjectName("openButton")
        # 回访评价: a follow-up call's rating of another visit, with the visitor's code
        self.call_rating_button = QPushButton(translate("WindowWorkspace", "记录回访评价"))
        self.call_rating_button.setObjectName("callRatingButton")
        self.call_rating_button.setToolTip(translate("WindowWorkspace",
                                                     "回访群众时，凭其小票上的评价码记录评价（不能记录自己办理的来访）"))
        hl.addWidget(self.call_rating_button)
        hl.addWidget(self.pause_button)
        hl.addWidget(self.open_button)

    def show_window(self, state: WindowDeskState, names: dict[str, str],
                    badge: Callable[[str], tuple[str, str]]) -> None:
        """The title and services; ``badge(state)`` is the badge's text and style."""
        self.title_label.setText(shown(state.title_text()))
        services = state.services_text(names)
        if services is None or state.window_view is None:
            self.services_label.setText("")
            self.state_badge.hide()
            return
        self.services_label.setText(shown(services))
        text, style = badge(state.window_view.state)
        self.state_badge.setText(text)
        self.state_badge.setStyleSheet(style)
        self.state_badge.show()

    def show_actions(self, state: WindowDeskState, enabled: dict[str, bool]) -> None:
        self.pause_button.setText(shown(state.pause_text()))
        self.pause_button.setEnabled(enabled["pause"])
        self.open_button.setText(shown(state.open_text()))
        self.open_button.setEnabled(enabled["open"])


class MessageStrip(QLabel):
    """The line under the header: what the last action did (``info``) or why it was refused (``error``)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("messageStrip")
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str, kind: str) -> None:
        self.setText(text)
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(bool(text))


class RateBar(QFrame):
    """After 办结: the visitor rates at the kiosk with the code on their ticket (知道了 hides it)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rateBar")
        rate_row = QHBoxLayout(self)
        rate_row.setContentsMargins(12, 6, 12, 6)
        self.rate_label = QLabel(self)
        self.rate_label.setWordWrap(True)
        self.rate_dismiss = QPushButton(translate("WindowWorkspace", "知道了"), self)
        rate_row.addWidget(self.rate_label, 1)
        rate_row.addWidget(self.rate_dismiss)
        self.hide()


def _action_button(name: str, text: str, key: str) -> QPushButton:
    b = QPushButton(f"{text}  {key}")
    b.setObjectName(name)
    b.setToolTip(translate("WindowWorkspace", "快捷键：{key}").replace("{key}", key))
    # Keys drive the desk; a focused button would swallow Space.
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return b


class ActionsBar:
    """The card's buttons: 叫号 on its own row, the six others in a grid.

    Laid into the card's own layout (no widget of its own, so the card looks
    as it always has); ``buttons`` maps the names of ``ui.window.state.ACTIONS``
    it holds to their buttons.
    """

    def __init__(self, into: QVBoxLayout):
        self.call_button = _action_button("callButton", translate("WindowWorkspace", "叫号"), "F2 / Space")
        bigger(self.call_button, 1.35, bold=True)
        self.call_button.setMinimumHeight(54)
        self.recall_button = _action_button("recallButton", translate("WindowWorkspace", "重呼"), "F3")
        self.start_button = _action_button("startButton", translate("WindowWorkspace", "开始办理"), "F4")
        self.transfer_button = _action_button("transferButton", translate("WindowWorkspace", "转移"), "F6")
        self.no_show_button = _action_button("noShowButton", translate("WindowWorkspace", "过号"), "F7")
        self.finish_button = _action_button("finishButton", translate("WindowWorkspace", "办结"), "F8")
        self.register_button = _action_button("registerCaseButton", translate("WindowWorkspace", "登记立案"), "F10")
        into.addWidget(self.call_button)
        grid = QGridLayout()
        grid.setSpacing(8)
        for i, b in enumerate((self.recall_button, self.start_button, self.no_show_button,
                               self.transfer_button, self.finish_button, self.register_button)):
            b.setMinimumHeight(40)
            grid.addWidget(b, i // 3, i % 3)
        into.addLayout(grid)
        self.buttons = {"call": self.call_button, "recall": self.recall_button, "start": self.start_button,
                        "no_show": self.no_show_button, "transfer": self.transfer_button,
                        "finish": self.finish_button, "register": self.register_button}

    def show_actions(self, state: WindowDeskState, enabled: dict[str, bool]) -> None:
        for name, button in self.buttons.items():
            button.setEnabled(enabled[name])
        self.register_button.setVisible(state.may_register)


class CurrentVisitorPanel(QFrame):
    """当前号: the number, its status, who it is and how long they waited; the actions under it."""

    FIELDS = ("name", "service", "priority", "issued", "waited", "served", "recalls", "note")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ticketCard")
        self.setMinimumWidth(380)
        self.setMaximumWidth(520)
        cv = QVBoxLayout(self)
        cv.setContentsMargins(18, 14, 18, 14)
        t = QLabel(translate("WindowWorkspace", "当前号"))
        t.setObjectName("cardTitle")
        cv.addWidget(t)
        numrow = QHBoxLayout()
        self.number_label = QLabel()
        self.number_label.setObjectName("ticketNumber")
        bigger(self.number_label, 4.0, bold=True)
        self.status_chip = QLabel()
        self.status_chip.setObjectName("statusChip")
        numrow.addWidget(self.number_label)
        numrow.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        numrow.addStretch(1)
        cv.addLayout(numrow)
        self.no_ticket_label = QLabel(translate("WindowWorkspace", "暂无办理中的群众，按 F2 叫号"))
        self.no_ticket_label.setObjectName("noTicket")
        bigger(self.no_ticket_label, 1.2)
        cv.addWidget(self.no_ticket_label)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setVerticalSpacing(8)
        self.fields: dict[str, QLabel] = {}
        for key, label in (("name", translate("WindowWorkspace", "姓名")),
                           ("service", translate("WindowWorkspace", "业务")),
                           ("priority", translate("WindowWorkspace", "优先原因")),
                           ("issued", translate("WindowWorkspace", "取号时间")),
                           ("waited", translate("WindowWorkspace", "等候时长")),
                           ("served", translate("WindowWorkspace", "办理时长")),
                           ("recalls", translate("WindowWorkspace", "重呼次数")),
                           ("note", translate("WindowWorkspace", "导引台记录"))):
            val = QLabel()
            val.setObjectName("priority" if key == "priority" else "fieldValue")
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            bigger(val, 1.15, bold=key == "name")
            cap = QLabel(label)
            cap.setStyleSheet(palette.style("color: {muted};"))
            # By the font's own metrics: on a 768-pixel screen the rows must not be
            # squeezed below one line (王建国 read as 干建国).
            val.setMinimumHeight(val.fontMetrics().height() + 2)
            cap.setMinimumHeight(cap.fontMetrics().height())
            form.addRow(cap, val)
            self.fields[key] = val
        self.form = form
        cv.addLayout(form)
        cv.addStretch(1)
        self.action_bar = ActionsBar(cv)

    def show_ticket(self, t: TicketView | None, chip_style: Callable[[str], str]) -> None:
        """The visitor's card (``chip_style(status)`` styles the status chip); the
        clocks and the front desk's note are drawn apart (:meth:`show_times`)."""
        has = t is not None
        self.number_label.setVisible(has)
        self.status_chip.setVisible(has)
        self.no_ticket_label.setVisible(not has)
        for i in range(self.form.rowCount()):
            self.form.setRowVisible(i, has)
        if t is None:
            self.number_label.setText("")
            return
        self.number_label.setText(t.number)
        self.status_chip.setText(translate("TicketStatus", S(t.status).label))
        self.status_chip.setStyleSheet(chip_style(t.status))
        self.fields["name"].setText(t.visitor_name or translate("WindowWorkspace", "（未登记）"))
        self.fields["service"].setText(t.service_name)
        prio = self.fields["priority"]
        prio.setText(translate("PriorityReasons", t.priority_label) if t.priority_label
                     else translate("WindowWorkspace", "无"))
        prio.setObjectName("priority" if t.priority_label else "fieldValue")
        prio.style().unpolish(prio)
        prio.style().polish(prio)
        self.fields["issued"].setText(f"{to_local(t.issued_at):%H:%M:%S}")
        self.fields["recalls"].setText(str(t.recall_count))

    def show_times(self, times: tuple[float, float | None] | None) -> None:
        """等候时长 and 办理时长 (``WindowDeskState.current_times``)."""
        if times is None:
            return
        waited, served = times
        if served is not None:
            self.fields["served"].setText(shown(duration_parts(served)))
        else:
            self.fields["served"].setText(translate("WindowWorkspace", "未开始"))
        self.fields["waited"].setText(shown(duration_parts(waited)))

    def show_idle(self, state: WindowDeskState) -> None:
        self.no_ticket_label.setText(shown(state.idle_text()))


class QueuePanel(QWidget):
    """等候队列（按叫号顺序）: the tickets this window will call, and the queue's buttons."""

    WAITED_COLUMN = 6

    def __init__(self, state: WindowDeskState, seconds_since: Callable, parent: QWidget | None = None):
        super().__init__(parent)
        self._state = state
        self._seconds_since = seconds_since
        right = QVBoxLayout(self)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(12)     # as the desk's body, which this column sits in
        top = QHBoxLayout()
        qt_ = QLabel(translate("WindowWorkspace", "等候队列（按叫号顺序）"))
        qt_.setObjectName("queueTitle")
        self.queue_count = QLabel()
        self.queue_count.setObjectName("services")
        top.addWidget(qt_)
        top.addStretch(1)
        self.chosen_button = QPushButton(translate("WindowWorkspace", "叫选中的号…"))
        self.chosen_button.setObjectName("callChosenButton")
        self.chosen_button.setToolTip(translate("WindowWorkspace", "不按顺序叫队列中选中的号（须填原因，记入日志）"))
        self.returned_button = QPushButton(translate("WindowWorkspace", "过号回来…"))
        self.returned_button.setObjectName("returnedButton")
        self.returned_button.setToolTip(translate("WindowWorkspace", "本窗口过号的群众在规定时间内回来：回到原排队位置"))
        self.hold_button = QPushButton(translate("WindowWorkspace", "挂起…"))
        self.hold_button.setObjectName("holdButton")
        self.hold_button.setToolTip(translate("WindowWorkspace", "群众暂时离开（取材料等）：挂起当前号，无当前号时挂起队列中选中的号；"
                                              "挂起期间不叫号（F5）"))
        self.unhold_button = QPushButton(translate("WindowWorkspace", "取消挂起…"))
        self.unhold_button.setObjectName("unholdButton")
        self.unhold_button.setToolTip(translate("WindowWorkspace", "挂起的群众回来了：回到原排队位置和优先顺序"))
        top.addWidget(self.chosen_button)
        top.addWidget(self.returned_button)
        top.addWidget(self.hold_button)
        top.addWidget(self.unhold_button)
        top.addWidget(self.queue_count)
        right.addLayout(top)
        self.model = RowsModel(self._columns(), self)
        self.table = QTableView()
        self.table.setObjectName("waitingTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        hh = self.table.horizontalHeader()
        for col, width in enumerate((52, 90, 120, 140, 110, 90, 110)):
            self.table.setColumnWidth(col, width)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel(translate("WindowWorkspace", "当前没有等候的群众"))
        self.empty_label.setObjectName("emptyQueue")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bigger(self.empty_label, 1.4)
        self.queue_stack = QStackedWidget()
        self.queue_stack.addWidget(self.table)
        self.queue_stack.addWidget(self.empty_label)
        right.addWidget(self.queue_stack, 1)
        self.buttons = {"chosen": self.chosen_button, "returned": self.returned_button,
                        "hold": self.hold_button, "unhold": self.unhold_button}

    def _columns(self) -> list[Column]:
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        centre_ = Qt.AlignmentFlag.AlignCenter
        order = self._state
        return [
            Column(translate("WindowWorkspace", "顺序"), lambda t: order.order.get(t.id, ""), centre_),
            Column(translate("WindowWorkspace", "号码"), lambda t: t.number),
            Column(translate("WindowWorkspace", "业务"), lambda t: t.service_name),
            Column(translate("WindowWorkspace", "优先原因"),
                   lambda t: translate("PriorityReasons", t.priority_label) if t.priority_label else ""),
            Column(translate("WindowWorkspace", "姓名"), lambda t: t.visitor_name or ""),
            Column(translate("WindowWorkspace", "取号时间"), lambda t: f"{to_local(t.issued_at):%H:%M}", centre_),
            Column(translate("WindowWorkspace", "已等候"),
                   lambda t: shown(duration_parts(self._seconds_since(t.issued_at))), right),
        ]

    def show_queue(self) -> None:
        """The rows in call order, or 当前没有等候的群众, and the count."""
        self.model.set_rows(self._state.waiting)
        self.show_count()

    def show_count(self) -> None:
        n = len(self._state.waiting)
        self.queue_stack.setCurrentWidget(self.table if n else self.empty_label)
        self.queue_count.setText(shown(self._state.queue_count_text()))

    def show_actions(self, enabled: dict[str, bool]) -> None:
        for name, button in self.buttons.items():
            button.setEnabled(enabled[name])
        self.unhold_button.setText(shown(self._state.unhold_text()))

    def selected(self) -> TicketView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.model.rows):
            return None
        return self.model.rows[rows[0].row()]

    def tick(self) -> None:
        """The waiting times move on."""
        if self.model.rowCount():
            col = self.WAITED_COLUMN
            self.model.dataChanged.emit(self.model.index(0, col),
                                        self.model.index(self.model.rowCount() - 1, col))

