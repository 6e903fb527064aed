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

from collections.abc import Callable
from functools import partial
from typing import Any

from hall.domain.clock import to_local
from hall.domain.queue import PriorityReason
from hall.domain.suggest import Suggestion
from hall.services import centre
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
    QSizePolicy,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    named,
    translate,
)

FUNCTION_KEYS = [f"F{i}" for i in range(1, 13)]
ALT_KEYS = [f"Alt+{d}" for d in "1234567890"]
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
        super().__init__(parent)
        self.setObjectName("hint")
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
    head.addWidget(named(QLabel(title), "cardTitle"))
    head.addStretch(1)
    box.addLayout(head)
    return box, head


class ServiceButton(QPushButton):
    """A big button for one service: name, ticket prefix, shortcut, waiting count."""

    def __init__(self, info: centre.ServiceInfo, keys: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.info = info
        self.keys = keys
        self.waiting = 0
        self.suggested = False
        self.offered = True
        self.closed_reason = ""
        self.setObjectName("serviceButton")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(180, 84)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(info.name)
        tip = info.description or info.name
        if keys:
            tip += "\n" + self.tr("快捷键：{keys}").replace("{keys}", " / ".join(keys))
        self.setToolTip(tip)

        self.prefix = named(QLabel(info.prefix, self), "prefixBadge")
        self.prefix.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = named(QLabel(info.name, self), "serviceName")
        self.badge = named(QLabel(self.tr("建议"), self), "suggestBadge")
        self.badge.hide()
        self.desc = named(QLabel(info.description, self), "serviceDesc")
        self.desc.setWordWrap(True)
        self.desc.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.desc.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        # One line, elided to the button's width (a word-wrapped label here would
        # make the grid's rows height-for-width and upset the whole grid).
        self.reason = named(QLabel(self), "closedReason")
        self.reason.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.reason.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.reason.setProperty("elides", True)
        self.reason.hide()
        self.key_chip = named(QLabel(" · ".join(keys[:2]), self), "keyChip")
        self.key_chip.setVisible(bool(keys))
        self.count = named(QLabel(self), "waitCount")
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.prefix)
        top.addWidget(self.name, 1)
        top.addWidget(self.badge)
        bottom = QHBoxLayout()
        bottom.addWidget(self.key_chip)
        bottom.addStretch(1)
        bottom.addWidget(self.count)
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 10)
        box.setSpacing(4)
        box.addLayout(top)
        box.addWidget(self.desc, 1)
        box.addWidget(self.reason, 1)
        box.addLayout(bottom)
        for label in (self.badge, self.key_chip, self.count):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        for label in (self.prefix, self.name, self.badge, self.desc, self.reason, self.key_chip, self.count):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.set_waiting(0)

    def set_waiting(self, n: int) -> None:
        self.waiting = n
        if not self.offered:
            self.count.setText(self.tr("今日不可取号"))
        else:
            self.count.setText(self.tr("等候 {n} 人").replace("{n}", str(n)) if n else self.tr("无人等候"))
        _repolish(self.count, busy=n >= 10)

    def set_offered(self, offered: bool, reason: str = "") -> None:
        """A service nobody can call today is shown disabled with the reason."""
        self.offered, self.closed_reason = offered, ("" if offered else reason)
        self.setEnabled(offered)
        self._elide_reason()
        self.reason.setVisible(not offered)
        self.desc.setVisible(offered and bool(self.info.description) and self.height() >= 108)
        tip = self.info.description or self.info.name
        if not offered:
            tip = self.tr("今日不可取号：{reason}").replace("{reason}", reason)
        elif self.keys:
            tip += "\n" + self.tr("快捷键：{keys}").replace("{keys}", " / ".join(self.keys))
        self.setToolTip(tip)
        self.setAccessibleDescription(tip)
        self.set_waiting(self.waiting)

    def set_suggested(self, suggestion: Suggestion | None, first: bool = False) -> None:
        self.suggested = suggestion is not None
        if suggestion is not None:
            self.badge.setText(self.tr("首选建议") if first else self.tr("建议"))
            self.badge.setToolTip(self.tr("命中：{words}").replace("{words}", "、".join(suggestion.matched_words)))
        self.badge.setVisible(self.suggested)
        _repolish(self, suggested=self.suggested)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        # On a short screen the description gives way to the name and the count.
        self.desc.setVisible(self.offered and bool(self.info.description) and event.size().height() >= 108)
        super().resizeEvent(event)
        self._elide_reason()

    def _elide_reason(self) -> None:
        # The button says why (the part after "10号窗口今天不受理："); the tooltip says all.
        short = self.closed_reason.split("：", 1)[-1]
        width = max(40, self.width() - 28)
        self.reason.setText(self.reason.fontMetrics().elidedText(short, Qt.TextElideMode.ElideRight, width))

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        # Outside a dialog a push button ignores Enter; at the desk Enter issues.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.animateClick()
            return
        super().keyPressEvent(event)


class VisitorPanel(QFrame):
    """来访人: who the visitor is, or (while searching) the returning visitors found."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        box, _head = _card(self, translate("FrontDeskWorkspace", "来访人"))
        self.setFixedWidth(500)
        self.lookup_edit = named(QLineEdit(), "lookupEdit")
        self.lookup_edit.setPlaceholderText(translate("FrontDeskWorkspace", "查找老来访人：姓名、证件号、电话、拼音（Ctrl+F）"))
        self.lookup_edit.setClearButtonEnabled(True)
        box.addWidget(self.lookup_edit)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_form())
        self.stack.addWidget(self._build_lookup_page())
        box.addWidget(self.stack, 1)

        self.clear_button = named(QPushButton(translate("FrontDeskWorkspace", "清空（Esc）")), "plainButton")
        keys = named(QLabel(translate("FrontDeskWorkspace", "F1–F12 / Alt+数字 取号 · Ctrl+Enter 按首选建议取号 · "
                                    "Ctrl+1–5 优先 · Ctrl+R 重打")), "keysHelp")
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
            lab = named(QLabel(text), "fieldLabel")
            grid.addWidget(lab, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.returning = named(QFrame(), "returning")
        ret = QHBoxLayout(self.returning)
        ret.setContentsMargins(10, 6, 6, 6)
        self.returning_text = named(QLabel(), "returningText")
        self.returning_text.setWordWrap(True)
        self.unlink_button = named(QPushButton(translate("FrontDeskWorkspace", "不是此人")), "linkButton")
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
            button = named(QPushButton(texts[i]), "priorityToggle")
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
        self.suggest_line = named(QLabel(), "suggestLine")
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
        recent_title = named(QLabel(translate("FrontDeskWorkspace", "本台最近取号（双击重打）")), "cardNote")
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
        self.lookup_status = named(QLabel(), "lookupStatus")
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
        self.history_title = named(QLabel(translate("FrontDeskWorkspace", "历次来访")), "cardNote")
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
        self.choose_help = named(QLabel(translate("FrontDeskWorkspace", "↑↓ 选择 · Enter 选用 · Esc 返回")), "cardNote")
        choose.addWidget(self.choose_help, 1)
        self.merge_button = named(QPushButton(translate("FrontDeskWorkspace", "合并重复记录")), "plainButton")
        self.merge_button.setToolTip(translate("FrontDeskWorkspace", "同一人登记了多条记录时：按住 Ctrl 选中这几条，合并为当前选中的一条"))
        self.merge_button.setEnabled(False)
        self.choose_button = named(QPushButton(translate("FrontDeskWorkspace", "选用此人")), "plainButton")
        self.new_visitor_button = named(QPushButton(translate("FrontDeskWorkspace", "新建来访人并取号")), "plainButton")
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
        super().__init__(parent)
        self.setObjectName("card")
        box, head = _card(self, translate("FrontDeskWorkspace", "选择业务取号"))
        self.offline_label = named(QLabel(), "offline")
        self.offline_label.hide()
        self.total_label = named(QLabel(), "totalWaiting")
        head.addWidget(self.offline_label)
        head.addSpacing(12)
        head.addWidget(self.total_label)
        head.addSpacing(12)
        self.appointments_button = named(QPushButton(translate("FrontDeskWorkspace", "预约（Ctrl+Y）")), "plainButton")
        self.appointments_button.setToolTip(translate("FrontDeskWorkspace", "预约登记、预约签到取号、取消预约"))
        head.addWidget(self.appointments_button)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 4, 0, 0)
        self.grid.setSpacing(10)
        self.loading_label = named(QLabel(translate("FrontDeskWorkspace", "正在读取业务目录…")), "cardNote")
        self.grid.addWidget(self.loading_label, 0, 0)
        box.addWidget(self.grid_host, 1)

    def set_services(self, services: list, issue: Callable[[str], None]) -> dict[str, ServiceButton]:
        """A button per service (F1–F12, Alt+1–0 in catalogue order), three to a
        row beyond four services; ``issue(code)`` when one is clicked."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        buttons: dict[str, ServiceButton] = {}
        columns = 3 if len(services) > 4 else 2
        for i, info in enumerate(services):
            keys = [k for k in (FUNCTION_KEYS[i] if i < len(FUNCTION_KEYS) else None,
                                ALT_KEYS[i] if i < len(ALT_KEYS) else None) if k]
            button = ServiceButton(info, keys, self.grid_host)
            button.clicked.connect(partial(issue, info.code))
            self.grid.addWidget(button, i // columns, i % columns)
            buttons[info.code] = button
        for c in range(columns):
            self.grid.setColumnStretch(c, 1)
        for r in range((len(services) + columns - 1) // columns):
            self.grid.setRowStretch(r, 1)
        if not services:
            self.loading_label = named(QLabel(translate("FrontDeskWorkspace", "尚未配置任何业务，请联系系统管理员。")),
                                       "cardNote")
            self.grid.addWidget(self.loading_label, 0, 0)
        return buttons

    def show_offline(self, message: str | None) -> None:
        """The feed's line when the server cannot be reached (``None``: back online)."""
        if message is None:
            self.offline_label.hide()
            return
        self.offline_label.setText(message)
        self.offline_label.show()


class ResultPanel(QFrame):
    """The result: the number issued, how many wait before it, how printing went."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("resultPanel")
        self.setMinimumHeight(132)
        row = QHBoxLayout(self)
        row.setContentsMargins(22, 10, 18, 10)
        row.setSpacing(22)
        number_box = QVBoxLayout()
        number_box.setSpacing(0)
        self.result_caption = named(QLabel(translate("FrontDeskWorkspace", "当前号码")), "resultCaption")
        self.result_number = named(QLabel(translate("FrontDeskWorkspace", "暂无")), "resultNumber")
        self.result_number.setProperty("state", "empty")
        self.result_number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_number.setMinimumWidth(190)
        number_box.addWidget(self.result_caption)
        number_box.addWidget(self.result_number)
        row.addLayout(number_box)
        text_box = QVBoxLayout()
        text_box.setSpacing(4)
        self.result_headline = named(QLabel(translate("FrontDeskWorkspace", "尚未取号")), "resultHeadline")
        self.result_headline.setWordWrap(True)
        self.result_detail = named(QLabel(translate("FrontDeskWorkspace", "填写来访人信息（均可不填），再点选业务，即取号并打印排队票。")),
                                   "resultDetail")
        self.result_detail.setWordWrap(True)
        self.print_status = named(QLabel(), "printStatus")
        self.print_status.setWordWrap(True)
        self.print_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text_box.addStretch(1)
        text_box.addWidget(self.result_headline)
        text_box.addWidget(self.result_detail)
        text_box.addWidget(self.print_status)
        text_box.addStretch(1)
        row.addLayout(text_box, 1)
        self.reprint_button = named(QPushButton(translate("FrontDeskWorkspace", "重打（Ctrl+R）")), "reprintButton")
        self.reprint_button.setEnabled(False)
        row.addWidget(self.reprint_button, 0, Qt.AlignmentFlag.AlignVCenter)

    def set_state(self, state: str) -> None:
        """``idle``, ``busy``, ``ok`` or ``error``: the style sheet draws the panel by it."""
        _repolish(self, state=state)
        _repolish(self.result_headline, state=state)

    def show_busy(self, service_name: str) -> None:
        self.set_state("busy")
        self.result_headline.setText(translate("FrontDeskWorkspace", "正在取号…"))
        self.result_detail.setText(service_name)
        self.print_status.setText("")

    def show_ticket(self, number: str, headline: str, detail: str) -> None:
        self.set_state("ok")
        self.result_caption.setText(translate("FrontDeskWorkspace", "刚取的号码"))
        self.result_number.setText(number)
        _repolish(self.result_number, state="ticket")
        self.result_headline.setText(headline)
        self.result_detail.setText(detail)

    def show_error(self, message: str) -> None:
        self.set_state("error")
        self.result_caption.setText(translate("FrontDeskWorkspace", "当前号码"))
        self.result_number.setText(translate("FrontDeskWorkspace", "未取号"))
        _repolish(self.result_number, state="empty")
        self.result_headline.setText(message)
        self.result_detail.setText(translate("FrontDeskWorkspace", "没有取号。已输入的内容都保留着，改正后再点选业务。"))
        self.print_status.setText("")

    def show_none(self) -> None:
        """Back from an error with no ticket issued yet."""
        self.set_state("idle")
        self.result_headline.setText(translate("FrontDeskWorkspace", "尚未取号"))
        self.result_detail.setText("")

    def show_printing(self) -> None:
        self.print_status.setText(translate("FrontDeskWorkspace", "正在打印…"))

    def show_print(self, message: str, state: str) -> None:
        """How printing ended, drawn in ``state`` (``ui.frontdesk.state.print_state``)."""
        self.print_status.setText(message)
        _repolish(self.print_status, state=state)
