"""The parts of the front desk's screen.

* :class:`VisitorPanel`: the visitor's card: the lookup box, the form (name,
  ID number, phone, priority toggles, 诉求, SMS consent, the recent tickets)
  and, in its place while searching, the lookup list with the visitor's history;
* :class:`ServicesPanel`: 选择业务取号, the grid the service buttons go in,
  the total waiting and the offline line;
* :class:`ResultPanel`: the number just issued, what it means, how printing
  went, and 重打.

The panels build the widgets; the workspace (``ui.frontdesk.workspace``)
wires them to its actions and draws what ``ui.frontdesk.state`` decides.
Their texts keep the workspace's translation context.
"""
from __future__ import annotations

from typing import Any

from hall.domain.clock import to_local
from hall.domain.queue import PriorityReason
from ui.common.tablemodel import Column, RowsModel
from ui.common.tables import list_table
from ui.common.validation import translated
from ui.frontdesk.state import MANUAL_PRIORITIES
from ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QFont,
    QFontMetrics,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    translate,
)

PRIORITY_KEYS = [f"Ctrl+{i}" for i in range(1, 10)]


def _repolish(widget: QWidget, **props: Any) -> None:
    """Set dynamic properties the style sheet selects on, and re-apply it."""
    for key, value in props.items():
        widget.setProperty(key, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class _Hint(QLabel):
    """The small line under a field: grey note, red problem or green confirmation."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="hint")
        self.setWordWrap(True)
        self.show_note("")

    def _set(self, text: str, state: str) -> None:
        self.setText(translated(text))     # the rules' messages, in the interface's language
        _repolish(self, state=state)

    def show_note(self, text: str) -> None:
        self._set(text, "note")

    def show_error(self, text: str) -> None:
        self._set(text, "error")

    def show_ok(self, text: str) -> None:
        self._set(text, "ok")

    @property
    def state(self) -> str:
        return str(self.property("state"))


def _card(card: QFrame, title: str) -> tuple[QVBoxLayout, QHBoxLayout]:
    """A card's layout: its title on the first row (with room for more)."""
    box = QVBoxLayout(card)
    box.setContentsMargins(16, 12, 16, 12)
    box.setSpacing(8)
    head = QHBoxLayout()
    head.addWidget(QLabel(title, objectName="cardTitle"))
    head.addStretch(1)
    box.addLayout(head)
    return box, head


class VisitorPanel(QFrame):
    """来访人: who the visitor is, or (while searching) the returning visitors found."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="card")
        box, _head = _card(self, translate("FrontDeskWorkspace", "来访人"))
        self.setFixedWidth(500)
        self.lookup_edit = QLineEdit(objectName="lookupEdit")
        self.lookup_edit.setPlaceholderText(translate("FrontDeskWorkspace", "查找老来访人：姓名、证件号、电话、拼音（Ctrl+F）"))
        self.lookup_edit.setClearButtonEnabled(True)
        box.addWidget(self.lookup_edit)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_form())
        self.stack.addWidget(self._build_lookup_page())
        box.addWidget(self.stack, 1)

        self.clear_button = QPushButton(translate("FrontDeskWorkspace", "清空（Esc）"), objectName="plainButton")
        keys = QLabel(translate("FrontDeskWorkspace", "F1–F12 / Alt+数字 取号 · Ctrl+Enter 按首选建议取号 · "
                              "Ctrl+1–5 优先 · Ctrl+R 重打"), objectName="keysHelp")
        keys.setWordWrap(True)
        foot = QHBoxLayout()
        foot.addWidget(keys, 1)
        foot.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignBottom)
        box.addLayout(foot)

    def _build_form(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)

        def label(text: str, row: int) -> None:
            lab = QLabel(text, objectName="fieldLabel")
            grid.addWidget(lab, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.returning = QFrame(objectName="returning")
        ret = QHBoxLayout(self.returning)
        ret.setContentsMargins(10, 6, 6, 6)
        self.returning_text = QLabel(objectName="returningText")
        self.returning_text.setWordWrap(True)
        self.unlink_button = QPushButton(translate("FrontDeskWorkspace", "不是此人"), objectName="linkButton")
        self.unlink_button.setCursor(Qt.CursorShape.PointingHandCursor)
        ret.addWidget(self.returning_text, 1)
        ret.addWidget(self.unlink_button, 0)
        self.returning.hide()
        grid.addWidget(self.returning, 0, 0, 1, 2)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(translate("FrontDeskWorkspace", "可不填；填写后排队票只显示“张*明”"))
        self.name_hint = _Hint()
        label(translate("FrontDeskWorkspace", "姓名"), 1)
        grid.addWidget(self.name_edit, 1, 1)
        grid.addWidget(self.name_hint, 2, 1)
        grid.setRowMinimumHeight(2, 8)

        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText(translate("FrontDeskWorkspace", "18 位居民身份证号（可不填）"))
        self.id_hint = _Hint()
        label(translate("FrontDeskWorkspace", "身份证号"), 3)
        grid.addWidget(self.id_edit, 3, 1)
        grid.addWidget(self.id_hint, 4, 1)

        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText(translate("FrontDeskWorkspace", "手机或固定电话（可不填）"))
        self.phone_hint = _Hint()
        label(translate("FrontDeskWorkspace", "电话"), 5)
        grid.addWidget(self.phone_edit, 5, 1)
        grid.addWidget(self.phone_hint, 6, 1)

        toggles = QGridLayout()
        toggles.setSpacing(6)
        self.priority_buttons: dict[PriorityReason, QPushButton] = {}
        texts = [translate("PriorityReasons", reason.label) for reason in MANUAL_PRIORITIES]
        # Three to a row while the labels are short (Chinese), two when they are
        # not (English), by the font the toggles are drawn with (14 px).
        font = QFont(self.font())
        font.setPixelSize(14)
        widest = max(QFontMetrics(font).horizontalAdvance(t) for t in texts)
        per_row = 3 if widest <= 110 else 2
        for i, reason in enumerate(MANUAL_PRIORITIES):
            button = QPushButton(texts[i], objectName="priorityToggle")
            button.setCheckable(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            if i < len(PRIORITY_KEYS):
                button.setToolTip(translate("FrontDeskWorkspace", "优先原因（{key}）").replace("{key}", PRIORITY_KEYS[i]))
            toggles.addWidget(button, i // per_row, i % per_row)
            self.priority_buttons[reason] = button
        label(translate("FrontDeskWorkspace", "优先"), 7)
        grid.addLayout(toggles, 7, 1)
        grid.setRowMinimumHeight(8, 8)

        self.demand_edit = QLineEdit()
        self.demand_edit.setPlaceholderText(translate("FrontDeskWorkspace", "来访人的诉求，如“拖欠工资”“邻居漏水”“物业”"))
        self.suggest_line = QLabel(objectName="suggestLine")
        self.suggest_line.setWordWrap(True)
        label(translate("FrontDeskWorkspace", "诉求"), 9)
        grid.addWidget(self.demand_edit, 9, 1)
        grid.addWidget(self.suggest_line, 10, 1)
        grid.setRowMinimumHeight(11, 6)
        # The visitor's recorded consent to be told by SMS (near, call, transfer).
        self.notice_check = QCheckBox(translate("FrontDeskWorkspace", "来访人同意短信通知（快到号、叫号、转移时发到上面的手机）"))
        grid.addWidget(self.notice_check, 11, 1)

        self.recent_model = RowsModel([
            Column(translate("FrontDeskWorkspace", "时间"), lambda t: to_local(t.issued_at).strftime("%H:%M")),
            Column(translate("FrontDeskWorkspace", "号码"), lambda t: t.number),
            Column(translate("FrontDeskWorkspace", "业务"), lambda t: t.service_name),
            Column(translate("FrontDeskWorkspace", "姓名"), lambda t: t.masked_name or "—"),
            Column(translate("FrontDeskWorkspace", "前面"), lambda t: translate("FrontDeskWorkspace", "{n} 人").replace("{n}", str(t.ahead or 0)),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        ], self)
        self.recent_view = list_table(self.recent_model, [56, 64, 96, 80])
        self.recent_view.setToolTip(translate("FrontDeskWorkspace", "双击可重打该号的排队票"))
        recent_title = QLabel(translate("FrontDeskWorkspace", "本台最近取号（双击重打）"), objectName="cardNote")
        grid.addWidget(recent_title, 12, 0, 1, 2)
        grid.addWidget(self.recent_view, 13, 0, 1, 2)
        grid.setRowStretch(13, 1)

        self.name_edit.returnPressed.connect(self.id_edit.setFocus)
        self.id_edit.returnPressed.connect(self.phone_edit.setFocus)
        self.phone_edit.returnPressed.connect(self.demand_edit.setFocus)
        return page

    def _build_lookup_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(6)
        self.lookup_status = QLabel(objectName="lookupStatus")
        self.lookup_status.setWordWrap(True)
        box.addWidget(self.lookup_status)
        self.lookup_model = RowsModel([
            Column(translate("FrontDeskWorkspace", "姓名"), lambda h: h.name),
            Column(translate("FrontDeskWorkspace", "身份证号"), lambda h: h.id_number or "—"),
            Column(translate("FrontDeskWorkspace", "电话"), lambda h: h.phone or "—"),
            Column(translate("FrontDeskWorkspace", "来访"), lambda h: translate("FrontDeskWorkspace", "{n} 次").replace("{n}", str(h.visits)),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            Column(translate("FrontDeskWorkspace", "上次"), lambda h: h.last_visit.strftime("%m-%d") if h.last_visit else "—",
                   tooltip=lambda h: h.last_visit.isoformat() if h.last_visit else ""),
        ], self)
        self.lookup_view = list_table(self.lookup_model, [64, 148, 102, 48])
        # Ctrl/Shift+click several rows of one person to merge the duplicates.
        self.lookup_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        box.addWidget(self.lookup_view, 3)
        self.history_title = QLabel(translate("FrontDeskWorkspace", "历次来访"), objectName="cardNote")
        box.addWidget(self.history_title)
        self.history_model = RowsModel([
            Column(translate("FrontDeskWorkspace", "日期"), lambda r: r.day.isoformat()),
            Column(translate("FrontDeskWorkspace", "号码"), lambda r: r.number),
            Column(translate("FrontDeskWorkspace", "业务"), lambda r: r.service_name),
            Column(translate("FrontDeskWorkspace", "状态"), lambda r: r.status_label),
            Column(translate("FrontDeskWorkspace", "结果"), lambda r: r.outcome_label or "—"),
        ], self)
        self.history_view = list_table(self.history_model, [90, 56, 84, 62])
        self.history_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        box.addWidget(self.history_view, 2)
        choose = QHBoxLayout()
        self.choose_help = QLabel(translate("FrontDeskWorkspace", "↑↓ 选择 · Enter 选用 · Esc 返回"), objectName="cardNote")
        choose.addWidget(self.choose_help, 1)
        self.merge_button = QPushButton(translate("FrontDeskWorkspace", "合并重复记录"), objectName="plainButton")
        self.merge_button.setToolTip(translate("FrontDeskWorkspace", "同一人登记了多条记录时：按住 Ctrl 选中这几条，合并为当前选中的一条"))
        self.merge_button.setEnabled(False)
        self._merge_armed = False
        self.choose_button = QPushButton(translate("FrontDeskWorkspace", "选用此人"), objectName="plainButton")
        self.new_visitor_button = QPushButton(translate("FrontDeskWorkspace", "新建来访人并取号"), objectName="plainButton")
        self.new_visitor_button.setToolTip(translate("FrontDeskWorkspace", "列出的都不是这位来访人：为其新建记录后取号"))
        self.new_visitor_button.hide()
        choose.addWidget(self.merge_button)
        choose.addWidget(self.new_visitor_button)
        choose.addWidget(self.choose_button)
        box.addLayout(choose)
        return page


class ServicesPanel(QFrame):
    """选择业务取号: the service buttons' grid, with the counts and 预约 above it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="card")
        box, head = _card(self, translate("FrontDeskWorkspace", "选择业务取号"))
        self.offline_label = QLabel(objectName="offline")
        self.offline_label.hide()
        self.total_label = QLabel(objectName="totalWaiting")
        head.addWidget(self.offline_label)
        head.addSpacing(12)
        head.addWidget(self.total_label)
        head.addSpacing(12)
        self.appointments_button = QPushButton(translate("FrontDeskWorkspace", "预约（Ctrl+Y）"), objectName="plainButton")
        self.appointments_button.setToolTip(translate("FrontDeskWorkspace", "预约登记、预约签到取号、取消预约"))
        head.addWidget(self.appointments_button)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 4, 0, 0)
        self.grid.setSpacing(10)
        self.loading_label = QLabel(translate("FrontDeskWorkspace", "正在读取业务目录…"), objectName="cardNote")
        self.grid.addWidget(self.loading_label, 0, 0)
        box.addWidget(self.grid_host, 1)


class ResultPanel(QFrame):
    """The result: the number issued, how many wait before it, how printing went."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="resultPanel")
        self.setMinimumHeight(132)
        row = QHBoxLayout(self)
        row.setContentsMargins(22, 10, 18, 10)
        row.setSpacing(22)
        number_box = QVBoxLayout()
        number_box.setSpacing(0)
        self.result_caption = QLabel(translate("FrontDeskWorkspace", "当前号码"), objectName="resultCaption")
        self.result_number = QLabel(translate("FrontDeskWorkspace", "暂无"), objectName="resultNumber")
        self.result_number.setProperty("state", "empty")
        self.result_number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_number.setMinimumWidth(190)
        number_box.addWidget(self.result_caption)
        number_box.addWidget(self.result_number)
        row.addLayout(number_box)
        text_box = QVBoxLayout()
        text_box.setSpacing(4)
        self.result_headline = QLabel(translate("FrontDeskWorkspace", "尚未取号"), objectName="resultHeadline")
        self.result_headline.setWordWrap(True)
        self.result_detail = QLabel(translate("FrontDeskWorkspace", "填写来访人信息（均可不填），再点选业务，即取号并打印排队票。"),
                                    objectName="resultDetail")
        self.result_detail.setWordWrap(True)
        self.print_status = QLabel(objectName="printStatus")
        self.print_status.setWordWrap(True)
        self.print_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text_box.addStretch(1)
        text_box.addWidget(self.result_headline)
        text_box.addWidget(self.result_detail)
        text_box.addWidget(self.print_status)
        text_box.addStretch(1)
        row.addLayout(text_box, 1)
        self.reprint_button = QPushButton(translate("FrontDeskWorkspace", "重打（Ctrl+R）"), objectName="reprintButton")
        self.reprint_button.setEnabled(False)
        row.addWidget(self.reprint_button, 0, Qt.AlignmentFlag.AlignVCenter)
