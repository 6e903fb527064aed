"""The front desk (导引台): who the visitor is, what they came for, their ticket.

One screen, three parts:

* the visitor panel: name, ID number (checked as it is typed), phone,
  priority reasons, the visitor's own words (诉求) that suggest a service,
  and a lookup box that finds a returning visitor and their earlier visits;
* the service buttons, one per service of the catalogue, each with its
  shortcut and the number of visitors waiting, kept live from the event feed;
* the result panel: the number just issued, how many wait before it, and
  whether the ticket printed (with 重打 to print it again).

Every database call runs off the UI thread (``ui.common.ops.Op``). Issuing renders
the ticket's PDF in the same background call, so "button to ticket ready"
is one round trip; printing and saving happen afterwards and can never undo
an issued ticket.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from hall.domain.clock import local_day, to_local
from hall.domain.identity import check_phone, check_resident_id, partial_resident_id_feedback
from hall.domain.names import PERSON_NAME_MAX, clean_pasted_name
from hall.domain.queue import PriorityReason, priority_from_age
from hall.domain.suggest import Suggestion, suggest_services
from hall.services import HallError, InvalidInput, centre, queue, satisfaction, visitors
from hall.services.views import QueueSnapshot, TicketView
from ui.common import palette
from ui.common.context import AppContext
from ui.common.errors import report_error
from ui.common.ops import GuardedOp
from ui.common.printing import PrintResult, TicketPrinter
from ui.common.tablemodel import Column, RowsModel
from ui.common.tables import list_table
from ui.common.validation import translated
from ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QEvent,
    QFont,
    QFontMetrics,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QObject,
    QPushButton,
    QShortcut,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.qt import translate as qt_tr

log = logging.getLogger(__name__)

__all__ = ["FrontDeskWorkspace", "ServiceButton"]

LOOKUP_DEBOUNCE_MS = 250
LOOKUP_LIMIT = 20
RECENT_ROWS = 8
FUNCTION_KEYS = [f"F{i}" for i in range(1, 13)]
ALT_KEYS = [f"Alt+{d}" for d in "1234567890"]
PRIORITY_KEYS = [f"Ctrl+{i}" for i in range(1, 10)]
#: The priorities the clerk may toggle. A booking's priority is never typed:
#: it comes only from checking in an on-time appointment (预约签到), which is
#: called next under BOOKED_CALL_RULE, so a walk-in cannot be given it.
MANUAL_PRIORITIES = [r for r in PriorityReason if r is not PriorityReason.APPOINTMENT]
NAME_MAX = PERSON_NAME_MAX
_EXTENSION_LETTERS = set("EXT转分机")  # 010-12345678 转 123, ext 123, x123

STYLE = palette.style("""
QWidget#FrontDesk { background: {page}; }
QLabel { color: {kiosk_text}; }
QFrame#card { background: {surface}; border: 1px solid {kiosk_border}; border-radius: 10px; }
QLabel#cardTitle { font-size: 18px; font-weight: 700; }
QLabel#cardNote, QLabel#keysHelp, QLabel#lookupStatus { color: {muted}; font-size: 13px; }
QLabel#fieldLabel { color: {kiosk_label}; font-size: 15px; }
QLineEdit { min-height: 36px; padding: 0 10px; border: 1px solid {input_border}; border-radius: 6px;
            background: {surface}; font-size: 17px; selection-background-color: {kiosk_accent}; }
QLineEdit:focus { border: 2px solid {kiosk_accent}; padding: 0 9px; }
QLineEdit[invalid="true"] { border: 2px solid {kiosk_error}; background: {invalid_bg}; padding: 0 9px; }
QLineEdit#lookupEdit { background: {kiosk_lookup_bg}; font-size: 15px; }
QLabel#hint { font-size: 13px; min-height: 18px; color: {muted}; }
QLabel#hint[state="error"] { color: {kiosk_error}; }
QLabel#hint[state="ok"] { color: {kiosk_success}; }
QLabel#suggestLine { font-size: 14px; color: {amber_text}; min-height: 18px; }
QPushButton#priorityToggle { min-height: 34px; padding: 0 10px; border: 1px solid {input_border};
                             border-radius: 17px; background: {surface}; font-size: 14px; }
QPushButton#priorityToggle:hover { border-color: {kiosk_accent}; }
QPushButton#priorityToggle:checked { background: {kiosk_accent}; border-color: {kiosk_accent}; color: {on_accent};
                                     font-weight: 600; }
QPushButton#plainButton { min-height: 34px; padding: 0 16px; border: 1px solid {input_border};
                          border-radius: 6px; background: {surface}; font-size: 15px; }
QPushButton#plainButton:hover { border-color: {kiosk_accent}; background: {hover_bg}; }
QPushButton#plainButton:disabled { color: {disabled_text}; border-color: {disabled_border}; }
QFrame#returning { background: {returning_bg}; border: 1px solid {returning_border}; border-radius: 6px; }
QLabel#returningText { color: {returning_text}; font-size: 14px; }
QPushButton#linkButton { border: none; color: {kiosk_accent}; background: transparent; font-size: 14px;
                         text-decoration: underline; padding: 0 4px; }
QPushButton#serviceButton { background: {surface}; border: 1px solid {kiosk_button_border}; border-radius: 12px; }
QPushButton#serviceButton:hover { border: 2px solid {kiosk_accent}; background: {kiosk_service_hover}; }
QPushButton#serviceButton:pressed { background: {kiosk_pressed}; }
QPushButton#serviceButton:focus { border: 2px solid {kiosk_accent}; }
QPushButton#serviceButton[suggested="true"] { border: 3px solid {highlight}; background: {highlight_bg}; }
QPushButton#serviceButton:disabled { background: {kiosk_disabled_bg}; border: 1px dashed {kiosk_dashed}; }
QLabel#closedReason { font-size: 13px; color: {kiosk_closed_reason}; background: transparent; }
QLabel#serviceName { font-size: 23px; font-weight: 700; background: transparent; }
QLabel#serviceDesc { font-size: 13px; color: {kiosk_desc}; background: transparent; }
QLabel#prefixBadge { background: {kiosk_accent}; color: {on_accent}; border-radius: 6px; font-size: 17px;
                     font-weight: 700; min-width: 30px; max-width: 30px; min-height: 30px;
                     max-height: 30px; }
QLabel#keyChip { color: {kiosk_key}; background: {page}; border: 1px solid {kiosk_button_border};
                 border-radius: 4px; padding: 1px 6px; font-size: 12px; }
QLabel#waitCount { color: {kiosk_label}; font-size: 15px; background: transparent; }
QLabel#waitCount[busy="true"] { color: {kiosk_busy}; font-weight: 600; }
QLabel#suggestBadge { background: {highlight}; color: {on_accent}; border-radius: 4px; padding: 2px 8px;
                      font-size: 13px; font-weight: 700; }
QLabel#totalWaiting { color: {kiosk_label}; font-size: 15px; }
QLabel#offline { color: {kiosk_error}; font-size: 14px; font-weight: 600; }
QFrame#resultPanel { background: {surface}; border: 1px solid {kiosk_border}; border-radius: 10px; }
QFrame#resultPanel[state="error"] { border: 2px solid {kiosk_error}; background: {kiosk_error_bg}; }
QLabel#resultNumber { font-size: 64px; font-weight: 800; color: {kiosk_accent}; }
QLabel#resultNumber[state="empty"] { font-size: 40px; font-weight: 400; color: {kiosk_placeholder}; }
QLabel#resultCaption { color: {muted}; font-size: 13px; }
QLabel#resultHeadline { font-size: 24px; font-weight: 700; }
QLabel#resultHeadline[state="error"] { color: {kiosk_error}; font-size: 19px; }
QLabel#resultDetail { color: {kiosk_detail}; font-size: 15px; }
QLabel#printStatus { font-size: 14px; color: {muted}; }
QLabel#printStatus[state="ok"] { color: {kiosk_success}; }
QLabel#printStatus[state="warn"] { color: {amber_text}; }
QLabel#printStatus[state="error"] { color: {kiosk_error}; font-weight: 600; }
QPushButton#reprintButton { min-height: 44px; min-width: 120px; padding: 0 18px; font-size: 17px;
                            border: 1px solid {kiosk_accent}; border-radius: 8px; color: {kiosk_accent};
                            background: {surface}; font-weight: 600; }
QPushButton#reprintButton:hover { background: {kiosk_reprint_hover}; }
QPushButton#reprintButton:disabled { color: {disabled_text}; border-color: {disabled_border}; }
QTableView { border: 1px solid {kiosk_border}; border-radius: 6px; gridline-color: {page};
             selection-background-color: {kiosk_accent}; selection-color: {on_accent};
             alternate-background-color: {row_alt}; background: {surface}; }
QHeaderView::section { background: {page}; border: none; border-bottom: 1px solid {kiosk_border};
                       padding: 4px 8px; font-size: 13px; color: {kiosk_label}; }
""")


def _repolish(widget: QWidget, **props: Any) -> None:
    """Set dynamic properties the style sheet selects on, and re-apply it."""
    for key, value in props.items():
        widget.setProperty(key, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class _Issued:
    """What the background issuing call hands back."""

    view: TicketView
    pdf: bytes | None
    pdf_error: BaseException | None
    issue_ms: float
    pdf_ms: float


def _issue_and_render(ctx: AppContext, printer: TicketPrinter, service: str, visitor_id: int | None,
                      fields: dict, centre_name: str, window_hint: str | None) -> _Issued:
    """Runs off the UI thread: issue in one transaction, then render the ticket.

    A rendering failure (a missing font) is kept, not raised: the number is
    issued and must be shown whatever happens to the paper.
    """
    start = time.perf_counter()
    if visitor_id is not None:
        view = visitors.issue_ticket_for(ctx.db, ctx.actor, visitor_id, service, **fields)
    else:
        view = queue.issue_ticket(ctx.db, ctx.actor, service, **fields)
    issued = time.perf_counter()
    pdf, error = None, None
    try:
        pdf = printer.render(view, centre_name, window_hint, _rating_code(ctx, view))
    except Exception as exc:  # reported on the result panel
        error = exc
    return _Issued(view, pdf, error, (issued - start) * 1000, (time.perf_counter() - issued) * 1000)


def _rating_code(ctx: AppContext, view: TicketView) -> str | None:
    """The code printed for rating the visit at the kiosk (off the UI thread);
    a ticket still prints without it."""
    try:
        return satisfaction.rating_code(ctx.db, view.id)
    except Exception:
        log.warning("no rating code for ticket %s", view.id, exc_info=True)
        return None


# --------------------------------------------------------------------- widgets
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

        self.prefix = QLabel(info.prefix, self, objectName="prefixBadge")
        self.prefix.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QLabel(info.name, self, objectName="serviceName")
        self.badge = QLabel(self.tr("建议"), self, objectName="suggestBadge")
        self.badge.hide()
        self.desc = QLabel(info.description, self, objectName="serviceDesc")
        self.desc.setWordWrap(True)
        self.desc.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.desc.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        # One line, elided to the button's width (a word-wrapped label here would
        # make the grid's rows height-for-width and upset the whole grid).
        self.reason = QLabel(self, objectName="closedReason")
        self.reason.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.reason.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.reason.setProperty("elides", True)
        self.reason.hide()
        self.key_chip = QLabel(" · ".join(keys[:2]), self, objectName="keyChip")
        self.key_chip.setVisible(bool(keys))
        self.count = QLabel(self, objectName="waitCount")
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


# ------------------------------------------------------------------ workspace
class FrontDeskWorkspace(QWidget):
    """The front desk's workspace (role 导引台)."""

    ticketIssued = Signal(object)   # TicketView, once the number is on screen
    ticketPrinted = Signal(object)  # PrintResult of the last print or reprint
    countsUpdated = Signal(object)  # QueueSnapshot applied to the buttons

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("FrontDesk")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # Laid out for 1366x768; below this the service buttons stop being readable.
        self.setMinimumSize(960, 560)
        self.setStyleSheet(STYLE)
        font = self.font()
        font.setPixelSize(15)
        self.setFont(font)
        self.printer = TicketPrinter(self, printer_name=ctx.workstation.printer,
                                     folder=getattr(ctx.workstation, "ticket_folder", None))
        self.services: list[centre.ServiceInfo] = []
        self.service_buttons: dict[str, ServiceButton] = {}
        self.rules: list[dict] = []
        self.centre_name = ""
        self.snapshot: QueueSnapshot | None = None
        self.suggestions: list[Suggestion] = []
        self.chosen_visitor: visitors.VisitorHit | None = None
        self.last_ticket: TicketView | None = None
        self.last_pdf: bytes | None = None
        self.last_timing: dict[str, float] = {}
        self.last_print: PrintResult | None = None
        self._issuing = False
        self._name_choice: str | None = None  # the clerk's answer to a name mismatch
        #: A service waiting for the clerk to choose an existing record or say "new visitor".
        self._pending_service: str | None = None
        self._new_visitor_confirmed = False
        self._last_service = ""
        self.name_choice_box: QMessageBox | None = None
        self._click_at = 0.0
        self._auto_elderly = False
        self._counts_busy = False
        self._counts_dirty = False
        self._lookup_seq = 0
        self._history_seq = 0
        self._state = state = {"alive": True}
        self._fonts_warming = False
        self.destroyed.connect(lambda *_: state.update(alive=False))

        self._build()
        self._shortcuts()
        self.ctx.feed.events.connect(self._on_events)
        self.ctx.feed.offline.connect(self._on_offline)
        self.ctx.feed.online.connect(self._on_online)
        if not self.ctx.feed.timer.isActive():
            self.ctx.feed.start()
        self.name_edit.setFocus()
        self._load_catalogue()
        # Fonts are parsed on the first render; that is done in the background
        # once the first counts are shown (_apply_counts), not on the first visitor,
        # and not while the desk is still opening.

    # ------------------------------------------------------------- building
    def _build(self) -> None:
        root = QHBoxLayout(self)
        root.setContentsMargins(14, 14, 14, 14)
        root.setSpacing(14)
        root.addWidget(self._build_visitor_card(), 0)
        right_page = QWidget(self)
        right = QVBoxLayout(right_page)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(12)
        right.addWidget(self._build_services_card(), 1)
        right.addWidget(self._build_result_panel(), 0)
        # 预约: the appointments panel takes the service buttons' place, in this workspace.
        self.main_stack = QStackedWidget(self)
        self.main_stack.addWidget(right_page)
        self.appointments_panel = None
        root.addWidget(self.main_stack, 1)
        self.setFocusProxy(self.name_edit)

    def _card(self, title: str) -> tuple[QFrame, QVBoxLayout, QHBoxLayout]:
        card = QFrame(objectName="card")
        box = QVBoxLayout(card)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(8)
        head = QHBoxLayout()
        head.addWidget(QLabel(title, objectName="cardTitle"))
        head.addStretch(1)
        box.addLayout(head)
        return card, box, head

    def _build_visitor_card(self) -> QFrame:
        card, box, _head = self._card(self.tr("来访人"))
        card.setFixedWidth(500)
        self.lookup_edit = QLineEdit(objectName="lookupEdit")
        self.lookup_edit.setPlaceholderText(self.tr("查找老来访人：姓名、证件号、电话、拼音（Ctrl+F）"))
        self.lookup_edit.setClearButtonEnabled(True)
        self.lookup_edit.textEdited.connect(self._lookup_edited)
        self.lookup_edit.installEventFilter(self)
        box.addWidget(self.lookup_edit)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_form())
        self.stack.addWidget(self._build_lookup_page())
        box.addWidget(self.stack, 1)

        self.clear_button = QPushButton(self.tr("清空（Esc）"), objectName="plainButton")
        self.clear_button.clicked.connect(self.clear_panel)
        keys = QLabel(self.tr("F1–F12 / Alt+数字 取号 · Ctrl+Enter 按首选建议取号 · "
                              "Ctrl+1–5 优先 · Ctrl+R 重打"), objectName="keysHelp")
        keys.setWordWrap(True)
        foot = QHBoxLayout()
        foot.addWidget(keys, 1)
        foot.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignBottom)
        box.addLayout(foot)
        return card

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
        unlink = QPushButton(self.tr("不是此人"), objectName="linkButton")
        unlink.setCursor(Qt.CursorShape.PointingHandCursor)
        unlink.clicked.connect(self._forget_visitor)
        ret.addWidget(self.returning_text, 1)
        ret.addWidget(unlink, 0)
        self.returning.hide()
        grid.addWidget(self.returning, 0, 0, 1, 2)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("可不填；填写后排队票只显示“张*明”"))
        self.name_edit.textChanged.connect(self._name_changed)
        self.name_edit.editingFinished.connect(self._name_finished)
        self.name_hint = _Hint()
        label(self.tr("姓名"), 1)
        grid.addWidget(self.name_edit, 1, 1)
        grid.addWidget(self.name_hint, 2, 1)
        grid.setRowMinimumHeight(2, 8)

        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText(self.tr("18 位居民身份证号（可不填）"))
        self.id_edit.textChanged.connect(self._id_changed)
        self.id_hint = _Hint()
        label(self.tr("身份证号"), 3)
        grid.addWidget(self.id_edit, 3, 1)
        grid.addWidget(self.id_hint, 4, 1)

        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText(self.tr("手机或固定电话（可不填）"))
        self.phone_edit.textChanged.connect(self._phone_changed)
        self.phone_edit.editingFinished.connect(self._phone_finished)
        self.phone_hint = _Hint()
        label(self.tr("电话"), 5)
        grid.addWidget(self.phone_edit, 5, 1)
        grid.addWidget(self.phone_hint, 6, 1)

        toggles = QGridLayout()
        toggles.setSpacing(6)
        self.priority_buttons: dict[PriorityReason, QPushButton] = {}
        texts = [qt_tr("PriorityReasons", reason.label) for reason in MANUAL_PRIORITIES]
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
                button.setToolTip(self.tr("优先原因（{key}）").replace("{key}", PRIORITY_KEYS[i]))
            button.toggled.connect(partial(self._priority_toggled, reason))
            toggles.addWidget(button, i // per_row, i % per_row)
            self.priority_buttons[reason] = button
        label(self.tr("优先"), 7)
        grid.addLayout(toggles, 7, 1)
        grid.setRowMinimumHeight(8, 8)

        self.demand_edit = QLineEdit()
        self.demand_edit.setPlaceholderText(self.tr("来访人的诉求，如“拖欠工资”“邻居漏水”“物业”"))
        self.demand_edit.textChanged.connect(self._demand_changed)
        self.demand_edit.returnPressed.connect(self._focus_first_suggestion)
        self.suggest_line = QLabel(objectName="suggestLine")
        self.suggest_line.setWordWrap(True)
        label(self.tr("诉求"), 9)
        grid.addWidget(self.demand_edit, 9, 1)
        grid.addWidget(self.suggest_line, 10, 1)
        grid.setRowMinimumHeight(11, 6)
        # The visitor's recorded consent to be told by SMS (near, call, transfer).
        self.notice_check = QCheckBox(self.tr("来访人同意短信通知（快到号、叫号、转移时发到上面的手机）"))
        grid.addWidget(self.notice_check, 11, 1)

        self.recent_model = RowsModel([
            Column(self.tr("时间"), lambda t: to_local(t.issued_at).strftime("%H:%M")),
            Column(self.tr("号码"), lambda t: t.number),
            Column(self.tr("业务"), lambda t: t.service_name),
            Column(self.tr("姓名"), lambda t: t.masked_name or "—"),
            Column(self.tr("前面"), lambda t: self.tr("{n} 人").replace("{n}", str(t.ahead or 0)),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        ], self)
        self.recent_view = list_table(self.recent_model, [56, 64, 96, 80])
        self.recent_view.setToolTip(self.tr("双击可重打该号的排队票"))
        self.recent_view.doubleClicked.connect(self._recent_double_clicked)
        recent_title = QLabel(self.tr("本台最近取号（双击重打）"), objectName="cardNote")
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
            Column(self.tr("姓名"), lambda h: h.name),
            Column(self.tr("身份证号"), lambda h: h.id_number or "—"),
            Column(self.tr("电话"), lambda h: h.phone or "—"),
            Column(self.tr("来访"), lambda h: self.tr("{n} 次").replace("{n}", str(h.visits)),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            Column(self.tr("上次"), lambda h: h.last_visit.strftime("%m-%d") if h.last_visit else "—",
                   tooltip=lambda h: h.last_visit.isoformat() if h.last_visit else ""),
        ], self)
        self.lookup_view = list_table(self.lookup_model, [64, 148, 102, 48])
        self.lookup_view.doubleClicked.connect(lambda _index: self.choose_current_hit())
        self.lookup_view.selectionModel().currentRowChanged.connect(self._hit_changed)
        # Ctrl/Shift+click several rows of one person to merge the duplicates.
        self.lookup_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.lookup_view.selectionModel().selectionChanged.connect(lambda *_: self._merge_reset())
        box.addWidget(self.lookup_view, 3)
        self.history_title = QLabel(self.tr("历次来访"), objectName="cardNote")
        box.addWidget(self.history_title)
        self.history_model = RowsModel([
            Column(self.tr("日期"), lambda r: r.day.isoformat()),
            Column(self.tr("号码"), lambda r: r.number),
            Column(self.tr("业务"), lambda r: r.service_name),
            Column(self.tr("状态"), lambda r: r.status_label),
            Column(self.tr("结果"), lambda r: r.outcome_label or "—"),
        ], self)
        self.history_view = list_table(self.history_model, [90, 56, 84, 62])
        self.history_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        box.addWidget(self.history_view, 2)
        choose = QHBoxLayout()
        self.choose_help = QLabel(self.tr("↑↓ 选择 · Enter 选用 · Esc 返回"), objectName="cardNote")
        choose.addWidget(self.choose_help, 1)
        self.merge_button = QPushButton(self.tr("合并重复记录"), objectName="plainButton")
        self.merge_button.setToolTip(self.tr("同一人登记了多条记录时：按住 Ctrl 选中这几条，合并为当前选中的一条"))
        self.merge_button.clicked.connect(self.merge_selected)
        self.merge_button.setEnabled(False)
        self._merge_armed = False
        self.choose_button = QPushButton(self.tr("选用此人"), objectName="plainButton")
        self.choose_button.clicked.connect(self.choose_current_hit)
        self.new_visitor_button = QPushButton(self.tr("新建来访人并取号"), objectName="plainButton")
        self.new_visitor_button.setToolTip(self.tr("列出的都不是这位来访人：为其新建记录后取号"))
        self.new_visitor_button.clicked.connect(self.issue_as_new_visitor)
        self.new_visitor_button.hide()
        choose.addWidget(self.merge_button)
        choose.addWidget(self.new_visitor_button)
        choose.addWidget(self.choose_button)
        box.addLayout(choose)
        return page

    def _build_services_card(self) -> QFrame:
        card, box, head = self._card(self.tr("选择业务取号"))
        self.offline_label = QLabel(objectName="offline")
        self.offline_label.hide()
        self.total_label = QLabel(objectName="totalWaiting")
        head.addWidget(self.offline_label)
        head.addSpacing(12)
        head.addWidget(self.total_label)
        head.addSpacing(12)
        self.appointments_button = QPushButton(self.tr("预约（Ctrl+Y）"), objectName="plainButton")
        self.appointments_button.setToolTip(self.tr("预约登记、预约签到取号、取消预约"))
        self.appointments_button.clicked.connect(self.show_appointments)
        head.addWidget(self.appointments_button)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 4, 0, 0)
        self.grid.setSpacing(10)
        self.loading_label = QLabel(self.tr("正在读取业务目录…"), objectName="cardNote")
        self.grid.addWidget(self.loading_label, 0, 0)
        box.addWidget(self.grid_host, 1)
        return card

    def _build_result_panel(self) -> QFrame:
        panel = QFrame(objectName="resultPanel")
        panel.setMinimumHeight(132)
        row = QHBoxLayout(panel)
        row.setContentsMargins(22, 10, 18, 10)
        row.setSpacing(22)
        number_box = QVBoxLayout()
        number_box.setSpacing(0)
        self.result_caption = QLabel(self.tr("当前号码"), objectName="resultCaption")
        self.result_number = QLabel(self.tr("暂无"), objectName="resultNumber")
        self.result_number.setProperty("state", "empty")
        self.result_number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_number.setMinimumWidth(190)
        number_box.addWidget(self.result_caption)
        number_box.addWidget(self.result_number)
        row.addLayout(number_box)
        text_box = QVBoxLayout()
        text_box.setSpacing(4)
        self.result_headline = QLabel(self.tr("尚未取号"), objectName="resultHeadline")
        self.result_headline.setWordWrap(True)
        self.result_detail = QLabel(self.tr("填写来访人信息（均可不填），再点选业务，即取号并打印排队票。"),
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
        self.reprint_button = QPushButton(self.tr("重打（Ctrl+R）"), objectName="reprintButton")
        self.reprint_button.setEnabled(False)
        self.reprint_button.clicked.connect(lambda: self.reprint())
        row.addWidget(self.reprint_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.result_panel = panel
        return panel

    def _shortcuts(self) -> None:
        def bind(keys: str, slot) -> QShortcut:
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
            return sc

        for i, key in enumerate(FUNCTION_KEYS):
            bind(key, partial(self._issue_at, i))
        for i, key in enumerate(ALT_KEYS):
            bind(key, partial(self._issue_at, i))
        for i, reason in enumerate(MANUAL_PRIORITIES[:len(PRIORITY_KEYS)]):
            bind(PRIORITY_KEYS[i], self.priority_buttons[reason].toggle)
        bind("Ctrl+F", self.focus_lookup)
        bind("Ctrl+R", lambda: self.reprint())
        bind("Ctrl+Return", self.issue_first_suggestion)
        bind("Ctrl+Enter", self.issue_first_suggestion)
        bind("Ctrl+D", self.demand_edit.setFocus)
        bind("Esc", self.escape)
        bind("Ctrl+Y", self.show_appointments)

    # ------------------------------------------------------------ catalogue
    def _load_catalogue(self) -> None:
        db = self.ctx.db

        def read():
            return centre.list_services(db), centre.keyword_rules(db), centre.centre_profile(db)

        self._op(read).success(self._catalogue_loaded).failure(self._catalogue_failed).run()

    def _catalogue_failed(self, exc: BaseException) -> None:
        self.loading_label.setText(self.tr("无法读取业务目录，请检查网络后重试。"))
        report_error(exc, self)

    def _catalogue_loaded(self, result) -> None:
        services, rules, profile = result
        self.services, self.rules = list(services), list(rules)
        self.centre_name = profile.get("name") or profile.get("short_name") or self.tr("社会治理服务中心")
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.service_buttons = {}
        columns = 3 if len(self.services) > 4 else 2
        for i, info in enumerate(self.services):
            keys = [k for k in (FUNCTION_KEYS[i] if i < len(FUNCTION_KEYS) else None,
                                ALT_KEYS[i] if i < len(ALT_KEYS) else None) if k]
            button = ServiceButton(info, keys, self.grid_host)
            button.clicked.connect(partial(self.issue, info.code))
            self.grid.addWidget(button, i // columns, i % columns)
            self.service_buttons[info.code] = button
        for c in range(columns):
            self.grid.setColumnStretch(c, 1)
        for r in range((len(self.services) + columns - 1) // columns):
            self.grid.setRowStretch(r, 1)
        if not self.services:
            self.loading_label = QLabel(self.tr("尚未配置任何业务，请联系系统管理员。"), objectName="cardNote")
            self.grid.addWidget(self.loading_label, 0, 0)
        self._demand_changed(self.demand_edit.text())
        if self.snapshot is not None:
            self._apply_counts(self.snapshot)
        self.refresh_counts()

    # --------------------------------------------------------- live counts
    def refresh_counts(self) -> None:
        """Read the waiting counts again (off the UI thread, one read at a time)."""
        if self._counts_busy:
            self._counts_dirty = True
            return
        self._counts_busy = True
        self._counts_dirty = False
        db = self.ctx.db
        self._op(lambda: queue.queue_snapshot(db)).success(self._apply_counts).failure(
            lambda exc: log.warning("waiting counts not refreshed: %s", exc)).finally_(
            self._counts_done).run()

    def _counts_done(self) -> None:
        self._counts_busy = False
        if self._counts_dirty:
            self.refresh_counts()

    def _apply_counts(self, snap: QueueSnapshot) -> None:
        self.snapshot = snap
        offers_changed = False
        for sq in snap.services:
            button = self.service_buttons.get(sq.code)
            if button is not None:
                if (button.offered, button.closed_reason) != (sq.offered, sq.closed_reason):
                    button.set_offered(sq.offered, sq.closed_reason)
                    offers_changed = True
                button.set_waiting(sq.waiting)
        if offers_changed:
            self._demand_changed(self.demand_edit.text())
        self.total_label.setText(self.tr("大厅共 {n} 人等候").replace("{n}", str(snap.waiting_total)))
        self.countsUpdated.emit(snap)
        if not self._fonts_warming:
            self._fonts_warming = True
            self._op(_warm_up_fonts).failure(lambda exc: log.warning("fonts not ready: %s", exc)).run()

    def _on_events(self, events: list) -> None:
        kinds = {e.kind for e in events}
        if "centre.changed" in kinds:
            self._load_catalogue()
        if any(k.startswith(("ticket.", "window.", "queue.")) for k in kinds):
            self.refresh_counts()

    def _on_offline(self, message: str) -> None:
        self.offline_label.setText(message)
        self.offline_label.show()

    def _on_online(self) -> None:
        self.offline_label.hide()
        self.refresh_counts()

    def window_hint(self, service: str) -> str | None:
        """Which windows the visitor goes to: those serving ``service`` first,
        else any that serve it (today's season only)."""
        if self.snapshot is None:
            return None
        windows = [w for w in self.snapshot.windows if not w.closed_reason and service in w.services]
        own = [w for w in windows if w.services and w.services[0] == service]
        chosen = own or windows
        if not chosen:
            return None
        numbers = "、".join(self.tr("{n} 号").replace("{n}", str(w.number)) for w in chosen[:4])
        return self.tr("请到 {windows}窗口办理").replace("{windows}", numbers)

    # --------------------------------------------------------- the visitor
    def _today(self) -> dt.date:
        return local_day(self.ctx.db.clock.now())

    def _name_changed(self, text: str) -> None:
        """The one name rule (hall.domain.names) as the clerk types or pastes:
        invisible/control characters and symbols are taken out, a paste longer
        than the limit is cut, and the hint says what happened."""
        chk = clean_pasted_name(text, max_len=NAME_MAX)
        if chk.removed or chk.cut:
            self.name_edit.blockSignals(True)
            self.name_edit.setText(chk.value)
            self.name_edit.blockSignals(False)
            self.name_hint.show_error(chk.message)
        elif self.name_hint.text():
            self.name_hint.show_note("")

    def _name_finished(self) -> None:
        """A name typed for a visitor not chosen from the lookup: say at once
        when records of that name exist (they are listed when the ticket is issued)."""
        name = " ".join(self.name_edit.text().split())
        if not name or self.chosen_visitor is not None or self.name_hint.state == "error":
            return
        db, actor = self.ctx.db, self.ctx.actor

        def found(hits: list) -> None:
            if hits and self.chosen_visitor is None and " ".join(self.name_edit.text().split()) == name \
                    and self.name_hint.state != "error":
                self.name_hint.show_note(self.tr("已有 {n} 条同名来访人记录，取号时请核对（Ctrl+F 可查找）")
                                         .replace("{n}", str(len(hits))))

        self._op(lambda: visitors.similar_visitors(db, actor, name)).success(found).failure(
            lambda exc: log.info("similar visitors not read: %s", exc)).run()

    def _id_changed(self, text: str) -> None:
        if self.chosen_visitor is not None and text.strip():
            self.id_edit.setPlaceholderText(self.tr("18 位居民身份证号（可不填）"))
        today = self._today()
        problem = partial_resident_id_feedback(text, today=today)
        if problem:
            self.id_hint.show_error(problem)
            _repolish(self.id_edit, invalid=True)
            self._undo_auto_elderly()
            return
        _repolish(self.id_edit, invalid=False)
        check = check_resident_id(text, today=today) if text.strip() else None
        if check is None or not check.ok:
            typed = len("".join(text.split()))
            self.id_hint.show_note(self.tr("已输入 {n}/18 位").replace("{n}", str(typed)) if typed else "")
            self._undo_auto_elderly()
            return
        age = _age(check.birth_date, today)
        note = self.tr("有效：{sex}，{age} 岁（{birth} 出生）").replace("{sex}", check.sex or "") \
            .replace("{age}", str(age)).replace("{birth}", check.birth_date.isoformat())
        if priority_from_age(check.birth_date, today) is PriorityReason.ELDERLY:
            if self.priority() is None:
                self.priority_buttons[PriorityReason.ELDERLY].setChecked(True)
                self._auto_elderly = True
            if self._auto_elderly:
                note += self.tr(" · 已自动选老人优先")
        else:
            self._undo_auto_elderly()
        self.id_hint.show_ok(note)

    def _undo_auto_elderly(self) -> None:
        if self._auto_elderly:
            self._auto_elderly = False
            self.priority_buttons[PriorityReason.ELDERLY].setChecked(False)

    def _phone_changed(self, text: str) -> None:
        if self.chosen_visitor is not None and text.strip():
            self.phone_edit.setPlaceholderText(self.tr("手机或固定电话（可不填）"))
        digits = [c for c in text if c.isdigit()]
        if not text.strip():
            self.phone_hint.show_note("")
            _repolish(self.phone_edit, invalid=False)
            return
        check = check_phone(text)
        if check.ok:
            self.phone_hint.show_ok(self.tr("有效：{kind}").replace(
                "{kind}", self.tr("手机") if check.kind == "mobile" else self.tr("固定电话")))
            _repolish(self.phone_edit, invalid=False)
        elif any(c.isalpha() and c.upper() not in _EXTENSION_LETTERS for c in text) \
                or (digits and digits[0] == "1" and len(digits) > 11 and "+" not in text):
            # Only what can no longer become a number is flagged while typing
            # (a letter that is not part of 转/分机/ext, an over-long mobile).
            self.phone_hint.show_error(check.message)
            _repolish(self.phone_edit, invalid=True)
        else:
            self.phone_hint.show_note("")
            _repolish(self.phone_edit, invalid=False)

    def _phone_finished(self) -> None:
        text = self.phone_edit.text()
        if text.strip():
            check = check_phone(text)
            if not check.ok:
                self.phone_hint.show_error(check.message)
                _repolish(self.phone_edit, invalid=True)

    def _priority_toggled(self, reason: PriorityReason, on: bool) -> None:
        if on:
            for other, button in self.priority_buttons.items():
                if other is not reason and button.isChecked():
                    button.setChecked(False)
        if reason is PriorityReason.ELDERLY and not on:
            self._auto_elderly = False
        elif on and reason is not PriorityReason.ELDERLY:
            self._auto_elderly = False

    def priority(self) -> PriorityReason | None:
        for reason, button in self.priority_buttons.items():
            if button.isChecked():
                return reason
        return None

    def _demand_changed(self, text: str) -> None:
        self.suggestions = suggest_services(text, self.rules)
        known = [s for s in self.suggestions if s.service_code in self.service_buttons]
        present = [s for s in known if self.service_buttons[s.service_code].offered]
        skipped = [self.service_buttons[s.service_code].info.name for s in known
                   if not self.service_buttons[s.service_code].offered]
        wanted = {s.service_code: s for s in present}
        first = present[0].service_code if present else None
        for code, button in self.service_buttons.items():
            button.set_suggested(wanted.get(code), first=code == first)
        if not text.strip():
            self.suggest_line.setText("")
        elif not present:
            self.suggest_line.setText(self.tr("没有匹配的业务，不确定时请选“综合受理”"))
        else:
            parts = [self.tr("{name}（{words}）").replace("{name}", self.service_buttons[s.service_code].info.name)
                     .replace("{words}", "、".join(s.matched_words)) for s in present]
            self.suggest_line.setText(self.tr("建议：{list} · Ctrl+Enter 取首选").replace("{list}", "；".join(parts)))
        if skipped and text.strip():
            self.suggest_line.setText(self.suggest_line.text() + self.tr(" （{names}今日不可取号）").replace(
                "{names}", "、".join(skipped)))

    def _focus_first_suggestion(self) -> None:
        for s in self.suggestions:
            button = self.service_buttons.get(s.service_code)
            if button is not None and button.offered:
                button.setFocus()
                return

    # --------------------------------------------------------------- lookup
    def focus_lookup(self) -> None:
        self.lookup_edit.setFocus()
        self.lookup_edit.selectAll()

    def _lookup_edited(self, text: str) -> None:
        self._lookup_seq += 1
        if self._pending_service is not None:      # a search of their own ends the check
            self._pending_service = None
            self.choose_button.setText(self.tr("选用此人"))
            self._pending_buttons(False)
        if not text.strip():
            self._close_lookup(keep_text=True)
            return
        self.stack.setCurrentIndex(1)
        self.lookup_status.setText(self.tr("正在查找…"))
        QTimer.singleShot(LOOKUP_DEBOUNCE_MS, partial(self._run_lookup, self._lookup_seq))

    def _run_lookup(self, seq: int) -> None:
        if seq != self._lookup_seq:
            return  # typed on since: a later timer will run
        query = self.lookup_edit.text()
        db, actor = self.ctx.db, self.ctx.actor
        self._op(lambda: visitors.lookup(db, actor, query, limit=LOOKUP_LIMIT)).success(
            partial(self._lookup_done, seq)).failure(partial(self._lookup_failed, seq)).run()

    def _lookup_done(self, seq: int, hits: list) -> None:
        if seq != self._lookup_seq:
            return
        self.lookup_model.set_rows(hits)
        self.history_model.set_rows([])
        if not hits:
            self.lookup_status.setText(self.tr("没有找到匹配的来访人。新来访人请按 Esc 返回，直接填写。"))
            return
        if len(hits) >= LOOKUP_LIMIT:
            self.lookup_status.setText(self.tr("结果较多，只列出前 {n} 位，请输入更多信息缩小范围")
                                       .replace("{n}", str(LOOKUP_LIMIT)))
        else:
            self.lookup_status.setText(self.tr("找到 {n} 位来访人").replace("{n}", str(len(hits))))
        self.lookup_view.setCurrentIndex(self.lookup_model.index(0, 0))

    def _lookup_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._lookup_seq:
            return
        if isinstance(exc, HallError):
            self.lookup_status.setText(str(exc))
        else:
            self.lookup_status.setText(self.tr("查找失败，请稍后重试"))
            report_error(exc, self)

    def _hit_changed(self, current, _previous) -> None:
        hit = self.lookup_model.row_at(current.row()) if current.isValid() else None
        self._history_seq += 1
        self.history_model.set_rows([])
        if hit is None:
            return
        self.history_title.setText(self.tr("{name} 的历次来访").replace("{name}", hit.name or self.tr("来访人")))
        seq, db, actor = self._history_seq, self.ctx.db, self.ctx.actor
        self._op(lambda: visitors.history(db, actor, hit.id)).success(
            partial(self._history_done, seq)).failure(lambda exc: log.warning("history: %s", exc)).run()

    def _history_done(self, seq: int, hist: visitors.VisitorHistory) -> None:
        if seq == self._history_seq:
            self.history_model.set_rows(hist.tickets)
            self._show_outlook(seq, hist.visitor)

    def _show_outlook(self, seq: int, hit) -> None:
        """The visitor's open cases and coming sittings, after the name in the history title."""
        from hall.domain.clock import to_local
        from hall.services import cases

        db, actor, base = self.ctx.db, self.ctx.actor, self.history_title.text()

        def shown(o) -> None:
            if seq != self._history_seq or not (o.open_cases or o.bookings):
                return
            bits = []
            if o.open_cases:
                bits.append(self.tr("在办案件：") + "、".join(f"{r.number}（{r.state_label}）"
                                                          for r in o.open_cases))
            if o.bookings:
                bits.append(self.tr("已约调解：") + "、".join(f"{to_local(b.start):%m-%d %H:%M} {b.room_name}"
                                                          for b in o.bookings[:2]))
            self.history_title.setText(base + "\n" + "；".join(bits))
            self.history_title.setWordWrap(True)

        self._op(lambda: cases.visitor_outlook(db, actor, hit.id)).success(shown).failure(
            lambda exc: log.warning("outlook: %s", exc)).run()

    def selected_hits(self) -> list:
        rows = sorted({i.row() for i in self.lookup_view.selectionModel().selectedRows()})
        return [self.lookup_model.rows[r] for r in rows if r < len(self.lookup_model.rows)]

    def _merge_reset(self) -> None:
        self._merge_armed = False
        self.merge_button.setText(self.tr("合并重复记录"))
        self.merge_button.setEnabled(len(self.selected_hits()) >= 2)

    def merge_selected(self) -> None:
        """Two clicks: the first says what will happen, the second merges into the current row."""
        hits = self.selected_hits()
        if len(hits) < 2:
            return
        index = self.lookup_view.currentIndex()
        keep = self.lookup_model.row_at(index.row()) if index.isValid() else None
        if keep is None or keep not in hits:
            keep = hits[0]
        others = [h for h in hits if h.id != keep.id]
        if not self._merge_armed:
            self._merge_armed = True
            self.merge_button.setText(self.tr("确认合并"))
            self.lookup_status.setText(self.tr("将 {n} 条记录合并到 {name}（{visits} 次来访）的记录，再点“确认合并”")
                                       .replace("{n}", str(len(others))).replace("{name}", keep.name or "")
                                       .replace("{visits}", str(keep.visits)))
            return
        db, actor = self.ctx.db, self.ctx.actor
        self.merge_button.setEnabled(False)

        def done(result) -> None:
            self._merge_reset()
            self.lookup_status.setText(self.tr("已合并 {n} 条重复记录（{t} 张排队票归入同一人）")
                                       .replace("{n}", str(len(result.merged))).replace("{t}", str(result.tickets_moved)))
            self._lookup_seq += 1
            self._run_lookup(self._lookup_seq)

        def failed(exc: BaseException) -> None:
            self._merge_reset()
            self.lookup_status.setText(str(exc) if isinstance(exc, HallError) else self.tr("合并失败，请重试"))
            if not isinstance(exc, HallError):
                report_error(exc, self)

        self._op(lambda: visitors.merge(db, actor, keep.id, [h.id for h in others])).success(done).failure(
            failed).run()

    def choose_current_hit(self) -> None:
        index = self.lookup_view.currentIndex()
        hit = self.lookup_model.row_at(index.row()) if index.isValid() else None
        if hit is None and self.lookup_model.rows:
            hit = self.lookup_model.rows[0]
        if hit is None:
            return
        service = self._pending_service
        if service is None:
            self.choose_visitor(hit, list(self.history_model.rows))
            return
        typed = (self.id_edit.text(), self.phone_edit.text())   # what was typed stays (it updates the record)
        self.choose_visitor(hit, list(self.history_model.rows))
        self.id_edit.setText(typed[0])
        self.phone_edit.setText(typed[1])
        self.issue(service)

    def choose_visitor(self, hit: visitors.VisitorHit, earlier: list | None = None) -> None:
        """Fill the panel with a returning visitor (masked numbers stay out of the fields)."""
        self.chosen_visitor = hit
        self.name_edit.setText(hit.name)
        self.id_edit.clear()
        self.phone_edit.clear()
        if hit.id_number and not hit.id_number_masked:
            self.id_edit.setText(hit.id_number)
        elif hit.id_number:
            self.id_edit.setPlaceholderText(self.tr("已登记 {number}，无需重新输入").replace("{number}", hit.id_number))
        if hit.phone:
            self.phone_edit.setPlaceholderText(self.tr("已登记 {number}，有新号码再填").replace("{number}", hit.phone))
        text = self.tr("老来访人 {name}：来访 {n} 次").replace("{name}", hit.name).replace("{n}", str(hit.visits))
        if hit.last_visit:
            text += self.tr("，上次 {date}").replace("{date}", hit.last_visit.isoformat())
        if earlier:
            last = earlier[0]
            text += self.tr("（{service} {number}，{status}{outcome}）").replace("{service}", last.service_name) \
                .replace("{number}", last.number).replace("{status}", last.status_label) \
                .replace("{outcome}", "，" + last.outcome_label if last.outcome_label else "")
        self.returning_text.setText(text)
        self.returning.show()
        self._close_lookup()
        self.demand_edit.setFocus()

    def _forget_visitor(self) -> None:
        self.chosen_visitor = None
        self.returning.hide()
        self.id_edit.setPlaceholderText(self.tr("18 位居民身份证号（可不填）"))
        self.phone_edit.setPlaceholderText(self.tr("手机或固定电话（可不填）"))

    def _close_lookup(self, keep_text: bool = False) -> None:
        self._lookup_seq += 1
        self._pending_service = None
        self.choose_button.setText(self.tr("选用此人"))
        self._pending_buttons(False)
        if not keep_text:
            self.lookup_edit.clear()
        self.lookup_model.set_rows([])
        self.history_model.set_rows([])
        self.lookup_status.setText("")
        self.stack.setCurrentIndex(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.lookup_edit and event.type() == QEvent.Type.KeyPress \
                and self.stack.currentIndex() == 1:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.lookup_model.rows:
                row = self.lookup_view.currentIndex().row()
                row = max(0, min(len(self.lookup_model.rows) - 1, row + (1 if key == Qt.Key.Key_Down else -1)))
                self.lookup_view.setCurrentIndex(self.lookup_model.index(row, 0))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.choose_current_hit()
                return True
        return super().eventFilter(watched, event)

    # ---------------------------------------------------------------- issue
    def _issue_at(self, index: int) -> None:
        if 0 <= index < len(self.services):
            self.issue(self.services[index].code)

    def issue_first_suggestion(self) -> None:
        for s in self.suggestions:
            button = self.service_buttons.get(s.service_code)
            if button is not None and button.offered:
                self.issue(s.service_code)
                return
        self._show_error(self.tr("没有可用的建议业务：请输入诉求，或直接点选业务"))

    def _collect(self) -> dict | None:
        """The panel as issue_ticket arguments, or ``None`` after showing what is wrong."""
        problems: list[tuple[QLineEdit, str]] = []
        name = " ".join(self.name_edit.text().split())
        id_text = self.id_edit.text().strip()
        id_number = None
        if id_text:
            check = check_resident_id(id_text, today=self._today())
            if check.ok:
                id_number = check.normalized
            else:
                self.id_hint.show_error(check.message)
                _repolish(self.id_edit, invalid=True)
                problems.append((self.id_edit, check.message))
        phone_text = self.phone_edit.text().strip()
        phone = None
        if phone_text:
            pc = check_phone(phone_text)
            if pc.ok:
                phone = pc.normalized
            else:
                self.phone_hint.show_error(pc.message)
                _repolish(self.phone_edit, invalid=True)
                problems.append((self.phone_edit, pc.message))
        if problems:
            problems[0][0].setFocus()
            self._show_error(self.tr("未取号：{problems}").replace("{problems}", "；".join(translated(m) for _, m in problems)))
            return None
        reason = self.priority()
        return {"name": name or None, "id_number": id_number, "phone": phone,
                "priority": reason.value if reason else None,
                "note": " ".join(self.demand_edit.text().split()),
                "notice_consent": self.notice_check.isChecked()}

    def issue(self, service: str) -> None:
        """Issue a ticket of ``service`` for the visitor on the panel, then print it."""
        if self._issuing or service not in self.service_buttons:
            return
        button = self.service_buttons[service]
        if not button.offered:
            self._show_error(self.tr("未取号：“{name}”今日不可取号（{reason}）").replace(
                "{name}", button.info.name).replace("{reason}", button.closed_reason))
            return
        fields = self._collect()
        if fields is None:
            return
        if self.chosen_visitor is None and not self._new_visitor_confirmed and (fields["name"] or fields["phone"]):
            self._check_existing(service, fields)
            return
        self._new_visitor_confirmed = False
        self._issue_now(service, fields)

    def _check_existing(self, service: str, fields: dict) -> None:
        """Before a new visitor record is made: the records these details may
        duplicate, shown for the clerk to choose one or say it is someone new."""
        self._issuing = True
        db, actor = self.ctx.db, self.ctx.actor
        name, phone, idn = fields["name"], fields["phone"], fields["id_number"]

        def found(hits: list) -> None:
            self._issuing = False
            if hits:
                self._offer_existing(service, hits)
            else:
                self._issue_now(service, fields)

        def failed(exc: BaseException) -> None:
            self._issuing = False
            self._issue_failed(exc)

        self._op(lambda: visitors.similar_visitors(db, actor, name, phone, idn)).success(found).failure(failed).run()

    def _offer_existing(self, service: str, hits: list) -> None:
        self._lookup_seq += 1
        self.stack.setCurrentIndex(1)
        self.lookup_model.set_rows(hits)
        self.history_model.set_rows([])
        self._pending_service = service
        self.lookup_status.setText(self.tr("已有 {n} 条来访人记录与输入的姓名或电话相同。是同一人请选中后点“选用此人并取号”；"
                                           "都不是请点“新建来访人并取号”").replace("{n}", str(len(hits))))
        self.choose_button.setText(self.tr("选用此人并取号"))
        self._pending_buttons(True)
        self.lookup_view.setCurrentIndex(self.lookup_model.index(0, 0))
        self._hit_changed(self.lookup_model.index(0, 0), None)     # their visits, to tell them apart
        self.lookup_view.setFocus()
        self._show_error(self.tr("未取号：请先核对是否为已登记的来访人"))

    def _pending_buttons(self, pending: bool) -> None:
        """While the clerk checks for an existing record: 新建 and 选用 take the row."""
        self.new_visitor_button.setVisible(pending)
        self.merge_button.setVisible(not pending)
        self.choose_help.setVisible(not pending)

    def issue_as_new_visitor(self) -> None:
        """None of the listed records is this visitor: a new record, then the ticket."""
        service = self._pending_service
        if service is None:
            return
        self._close_lookup()
        self._new_visitor_confirmed = True
        self.issue(service)

    def _issue_now(self, service: str, fields: dict) -> None:
        self._issuing = True
        self._click_at = time.perf_counter()
        self._set_result_state("busy")
        self.result_headline.setText(self.tr("正在取号…"))
        self.result_detail.setText(self.service_buttons[service].info.name)
        self.print_status.setText("")
        visitor_id = self.chosen_visitor.id if self.chosen_visitor is not None else None
        self._last_service = service
        if self._name_choice is not None:
            fields["name_choice"], self._name_choice = self._name_choice, None
        job = partial(_issue_and_render, self.ctx, self.printer, service, visitor_id, fields,
                      self.centre_name, self.window_hint(service))
        self._op(job).success(self._issued).failure(self._issue_failed).finally_(self._issue_done).run()

    def _issue_done(self) -> None:
        self._issuing = False

    def _issue_failed(self, exc: BaseException) -> None:
        if isinstance(exc, queue.NameMismatch):
            self._ask_name_choice(exc)
            return
        if isinstance(exc, HallError):
            message = str(exc)
            if isinstance(exc, InvalidInput) and ("身份证" in message or "出生" in message):
                self.id_hint.show_error(message)
                _repolish(self.id_edit, invalid=True)
            elif isinstance(exc, InvalidInput) and ("电话" in message or "手机" in message):
                self.phone_hint.show_error(message)
                _repolish(self.phone_edit, invalid=True)
            self._show_error(self.tr("未取号：{message}").replace("{message}", translated(message)))
        else:
            self._show_error(self.tr("未取号：无法完成取号，请重试。已输入的内容都保留着。"))
            report_error(exc, self)

    def _ask_name_choice(self, exc: queue.NameMismatch) -> None:
        """The ID number is known under another name: show both, the clerk chooses."""
        recorded, typed = exc.details["recorded_name"], exc.details["typed_name"]
        self._show_error(self.tr("未取号：身份证号已登记在“{recorded}”名下，与输入的姓名“{typed}”不一致")
                         .replace("{recorded}", recorded).replace("{typed}", typed))
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("姓名与身份证号不一致"),
                          self.tr("此身份证号登记的姓名是“{recorded}”，刚才输入的是“{typed}”。\n"
                                  "请核对证件后选择：").replace("{recorded}", recorded).replace("{typed}", typed),
                          QMessageBox.StandardButton.NoButton, self)
        keep = box.addButton(self.tr("按登记姓名“{recorded}”取号").replace("{recorded}", recorded),
                             QMessageBox.ButtonRole.AcceptRole)
        rename = box.addButton(self.tr("更正登记姓名为“{typed}”并取号").replace("{typed}", typed),
                               QMessageBox.ButtonRole.DestructiveRole)
        back = box.addButton(self.tr("返回核对"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        service = self._last_service

        def chosen(button) -> None:
            self.name_choice_box = None
            choice = {keep: "recorded", rename: "typed"}.get(button)
            if choice is None:
                self.id_edit.setFocus()
                return
            self._name_choice = choice
            self.issue(service)

        box.buttonClicked.connect(chosen)
        box.finished.connect(box.deleteLater)
        self.name_choice_box = box
        box.open()

    def _issued(self, outcome: _Issued) -> None:
        view = outcome.view
        ready_ms = (time.perf_counter() - self._click_at) * 1000
        self.last_timing = {"issue_ms": outcome.issue_ms, "pdf_ms": outcome.pdf_ms, "ready_ms": ready_ms}
        log.info("ticket %s issued: database %.0f ms, PDF %.0f ms, button to PDF ready %.0f ms",
                 view.number, outcome.issue_ms, outcome.pdf_ms, ready_ms)
        self.last_ticket, self.last_pdf = view, outcome.pdf
        self.recent_model.set_rows([view, *self.recent_model.rows[:RECENT_ROWS - 1]])
        self._show_ticket(view)
        self.reprint_button.setEnabled(True)
        self.clear_panel()
        self.refresh_counts()
        self.ticketIssued.emit(view)
        if outcome.pdf is None:
            self._show_print(PrintResult("failed", self.tr("排队票未能生成：{reason}。号码已取，请口头告知来访人，"
                                                           "处理后可按 Ctrl+R 重打").replace(
                "{reason}", str(outcome.pdf_error))))
            return
        self.print_status.setText(self.tr("正在打印…"))
        # Let the number paint first: a print dialog is modal.
        QTimer.singleShot(0, partial(self._print, view, outcome.pdf))

    def _show_ticket(self, view: TicketView) -> None:
        self._set_result_state("ok")
        self.result_caption.setText(self.tr("刚取的号码"))
        self.result_number.setText(view.number)
        _repolish(self.result_number, state="ticket")
        ahead = view.ahead or 0
        self.result_headline.setText(self.tr("已取号，前面 {n} 人").replace("{n}", str(ahead)) if ahead
                                     else self.tr("已取号，前面没有人等候"))
        parts = [view.service_name]
        if view.masked_name:
            parts.append(view.masked_name)
        if view.priority_label:
            parts.append(self.tr("优先：{label}").replace("{label}", qt_tr("PriorityReasons", view.priority_label)))
        parts.append(to_local(view.issued_at).strftime("%H:%M"))
        hint = self.window_hint(view.service)
        if hint:
            parts.append(hint)
        self.result_detail.setText(" · ".join(parts))

    def _print(self, view: TicketView, pdf: bytes, reprint: bool = False) -> None:
        stem = f"{view.business_day:%Y%m%d}-{view.number}-{view.id}"
        preview = not self.ctx.workstation.printer
        try:
            result = self.printer.print_pdf(pdf, self, preview=preview, stem=stem)
        except Exception as exc:  # never let paper undo a ticket
            log.warning("printing failed", exc_info=True)
            result = PrintResult("failed", self.tr("打印失败：{reason}").replace("{reason}", str(exc)))
        if reprint:
            result = PrintResult(result.outcome, self.tr("重打 {number}：").replace("{number}", view.number)
                                 + result.message, result.path, result.printer)
        self._show_print(result)

    def _show_print(self, result: PrintResult) -> None:
        self.last_print = result
        state = {"printed": "ok", "saved": "warn", "cancelled": "warn"}.get(result.outcome, "error")
        self.print_status.setText(result.message)
        _repolish(self.print_status, state=state)
        self.ticketPrinted.emit(result)

    def _recent_double_clicked(self, index) -> None:
        view = self.recent_model.row_at(index.row())
        if view is not None:
            self.reprint(view)

    def reprint(self, view: TicketView | None = None) -> None:
        """Print a ticket again (重打): the last one unless told which.

        The last ticket's PDF is kept; another (or one that failed to render)
        is rendered anew, off the UI thread.
        """
        view = view or self.last_ticket
        if view is None or self._issuing:
            return
        if view is self.last_ticket and self.last_pdf is not None:
            self._print(view, self.last_pdf, reprint=True)
            return
        printer, name, hint = self.printer, self.centre_name, self.window_hint(view.service)
        ctx = self.ctx
        self._op(lambda: printer.render(view, name, hint, _rating_code(ctx, view))).success(
            lambda pdf: self._reprint_rendered(view, pdf)).failure(
            lambda exc: self._show_print(PrintResult("failed", self.tr("排队票仍未能生成：{reason}")
                                                     .replace("{reason}", str(exc))))).run()

    def _reprint_rendered(self, view: TicketView, pdf: bytes) -> None:
        if self.last_ticket is view:
            self.last_pdf = pdf
        self._print(view, pdf, reprint=True)

    def _set_result_state(self, state: str) -> None:
        _repolish(self.result_panel, state=state)
        _repolish(self.result_headline, state=state)

    def _show_error(self, message: str) -> None:
        self._set_result_state("error")
        self.result_caption.setText(self.tr("当前号码"))
        self.result_number.setText(self.tr("未取号"))
        _repolish(self.result_number, state="empty")
        self.result_headline.setText(message)
        self.result_detail.setText(self.tr("没有取号。已输入的内容都保留着，改正后再点选业务。"))
        self.print_status.setText("")

    # ------------------------------------------------------------- clearing
    def escape(self) -> None:
        """Esc: leave the appointments or the lookup list if open, else clear the panel."""
        if self.main_stack.currentIndex() == 1:
            self.hide_appointments()
            return
        if self.stack.currentIndex() == 1:
            self._close_lookup()
            self.name_edit.setFocus()
            return
        self.clear_panel()

    # --------------------------------------------------------- appointments
    def show_appointments(self) -> None:
        """Show the appointments panel in place of the service buttons."""
        if self.appointments_panel is None:
            from ui.frontdesk.appointments import AppointmentsPanel

            panel = AppointmentsPanel(self.ctx, self.main_stack, print_ticket=self._checked_in_ticket)
            panel.closeRequested.connect(self.hide_appointments)
            self.main_stack.addWidget(panel)
            self.appointments_panel = panel
        else:
            self.appointments_panel.refresh_slots()
        self.main_stack.setCurrentIndex(1)
        self.appointments_panel.find_edit.setFocus()

    def hide_appointments(self) -> None:
        self.main_stack.setCurrentIndex(0)
        self.refresh_counts()
        self.name_edit.setFocus()

    def _checked_in_ticket(self, view: TicketView) -> None:
        """An appointment checked in: its ticket on the result panel, and printed."""
        self.last_ticket, self.last_pdf = view, None
        self.recent_model.set_rows([view, *self.recent_model.rows[:RECENT_ROWS - 1]])
        self._show_ticket(view)
        self.reprint_button.setEnabled(True)
        self.refresh_counts()
        self.ticketIssued.emit(view)
        self.print_status.setText(self.tr("正在打印…"))
        printer, name, hint = self.printer, self.centre_name, self.window_hint(view.service)
        ctx = self.ctx
        self._op(lambda: printer.render(view, name, hint, _rating_code(ctx, view))).success(
            lambda pdf: self._checked_in_rendered(view, pdf)).failure(
            lambda exc: self._show_print(PrintResult("failed", self.tr("排队票未能生成：{reason}。号码已取，"
                                                                       "请口头告知来访人，处理后可按 Ctrl+R 重打")
                                                     .replace("{reason}", str(exc))))).run()

    def _checked_in_rendered(self, view: TicketView, pdf: bytes) -> None:
        if self.last_ticket is view:
            self.last_pdf = pdf
        self._print(view, pdf)

    def clear_panel(self) -> None:
        """Ready for the next visitor (the last ticket stays on the result panel)."""
        self._forget_visitor()
        self._close_lookup()
        for edit in (self.name_edit, self.id_edit, self.phone_edit, self.demand_edit):
            edit.clear()
            _repolish(edit, invalid=False)
        self._auto_elderly = False
        self._new_visitor_confirmed = False
        self.notice_check.setChecked(False)
        for button in self.priority_buttons.values():
            button.setChecked(False)
        for hint in (self.id_hint, self.phone_hint, self.name_hint):
            hint.show_note("")
        if self.result_panel.property("state") == "error":
            self._set_result_state("idle")
            if self.last_ticket is not None:
                self._show_ticket(self.last_ticket)
            else:
                self.result_headline.setText(self.tr("尚未取号"))
                self.result_detail.setText("")
        self.name_edit.setFocus()


    def _op(self, fn) -> GuardedOp:
        return GuardedOp(self, fn, self._state)

    def shutdown(self) -> None:
        """Stop listening to the feed (the shell calls this before closing)."""
        self._state["alive"] = False
        for signal, slot in ((self.ctx.feed.events, self._on_events),
                             (self.ctx.feed.offline, self._on_offline),
                             (self.ctx.feed.online, self._on_online)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self._lookup_seq += 1


# ---------------------------------------------------------------------- helpers
def _warm_up_fonts() -> None:
    from reports.fonts import cjk_fonts

    cjk_fonts()
