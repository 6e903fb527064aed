"""The front desk (导引台): who the visitor is, what they came for, their ticket.

One screen, three parts:

* the visitor panel: name, ID number (checked as it is typed), phone,
  priority reasons, the visitor's own words (诉求) that suggest a service,
  and a lookup box that finds a returning visitor and their earlier visits;
* the service buttons, one per service of the catalogue, each with its
  shortcut and the number of visitors waiting, kept live from the event feed;
* the result panel: the number just issued, how many wait before it, and
  whether the ticket printed (with 重打 to print it again).

Every database call runs off the UI thread (``ui.common.ops.Op``). The
workspace puts the parts together: the widgets are in ``ui.frontdesk.panels``,
the lookup of a returning visitor in ``ui.frontdesk.lookup``, issuing and
printing tickets in ``ui.frontdesk.issuing``, the appointments in
``ui.frontdesk.appointments``; what they decide without Qt is in
``ui.frontdesk.state``, ``ui.frontdesk.lookup_state`` and
``ui.frontdesk.issue_state``.
"""
from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import TYPE_CHECKING

from hall.domain.clock import local_day
from hall.domain.names import PERSON_NAME_MAX, clean_pasted_name
from hall.domain.queue import PriorityReason
from hall.domain.suggest import Suggestion
from hall.services import centre, queue, visitors
from hall.services.views import QueueSnapshot, TicketView
from ui.common import palette
from ui.common.context import AppContext
from ui.common.errors import report_error
from ui.common.ops import GuardedOp
from ui.common.printing import PrintResult, TicketPrinter
from ui.common.texts import Text, joined
from ui.frontdesk.issuing import TicketIssuing
from ui.frontdesk.lookup import VisitorLookup
from ui.frontdesk.panels import (
    ALT_KEYS,
    FUNCTION_KEYS,
    PRIORITY_KEYS,
    ResultPanel,
    ServiceButton,
    ServicesPanel,
    VisitorPanel,
    _Hint,
    _repolish,
)
from ui.frontdesk.state import (
    MANUAL_PRIORITIES,
    Feedback,
    FrontDeskState,
    PriorityChoice,
    id_feedback,
    phone_feedback,
    phone_finished,
)
from ui.qt import (
    QHBoxLayout,
    QKeySequence,
    QLineEdit,
    QMessageBox,
    QShortcut,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.qt import translate as qt_tr

if TYPE_CHECKING:
    from ui.frontdesk.appointments import AppointmentsPanel

log = logging.getLogger(__name__)

__all__ = ["FrontDeskWorkspace", "ServiceButton"]

NAME_MAX = PERSON_NAME_MAX

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


def shown(text: Text) -> str:
    """A state's text in the interface's language."""
    return text.shown(qt_tr)


def _feedback(hint: _Hint, edit: QLineEdit, fb: Feedback) -> None:
    """A field's line (``ui.frontdesk.state.Feedback``) under it, and the field marked."""
    message = joined(fb.parts, qt_tr)
    {"note": hint.show_note, "error": hint.show_error, "ok": hint.show_ok}[fb.kind](message)
    _repolish(edit, invalid=fb.invalid)


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
        # The catalogue, the counts and the last ticket, and what follows from them.
        self.state = FrontDeskState()
        # The one priority toggled, and whether the visitor's age chose it.
        self.choice = PriorityChoice()
        self.services: list[centre.ServiceInfo] = []
        self.service_buttons: dict[str, ServiceButton] = {}
        self.centre_name = ""
        self._counts_busy = False
        self._counts_dirty = False
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

    # The state's parts, under the names the rest of the interface knows them by.
    @property
    def snapshot(self) -> QueueSnapshot | None:
        return self.state.snapshot

    @property
    def suggestions(self) -> list[Suggestion]:
        return self.state.suggestions

    @property
    def rules(self) -> list[dict]:
        return self.state.rules

    @property
    def last_ticket(self) -> TicketView | None:
        return self.state.last_ticket

    @property
    def last_pdf(self) -> bytes | None:
        return self.state.last_pdf

    # ------------------------------------------------------------- building
    def _build(self) -> None:
        root = QHBoxLayout(self)
        root.setContentsMargins(14, 14, 14, 14)
        root.setSpacing(14)
        self.visitor_panel = VisitorPanel(self)
        root.addWidget(self.visitor_panel, 0)
        right_page = QWidget(self)
        right = QVBoxLayout(right_page)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(12)
        self.services_panel = ServicesPanel(self)
        right.addWidget(self.services_panel, 1)
        self.result_panel = ResultPanel(self)
        right.addWidget(self.result_panel, 0)
        # 预约: the appointments panel takes the service buttons' place, in this workspace.
        self.main_stack = QStackedWidget(self)
        self.main_stack.addWidget(right_page)
        self.appointments_panel: AppointmentsPanel | None = None
        root.addWidget(self.main_stack, 1)
        self._adopt_panels()
        self._wire()
        self.setFocusProxy(self.name_edit)

    def _adopt_panels(self) -> None:
        """The panels' widgets, under the names the rest of the interface knows them by."""
        v, sv, r = self.visitor_panel, self.services_panel, self.result_panel
        # the visitor's card
        self.lookup_edit = v.lookup_edit
        self.stack = v.stack
        self.clear_button = v.clear_button
        self.returning = v.returning
        self.returning_text = v.returning_text
        self.name_edit = v.name_edit
        self.name_hint = v.name_hint
        self.id_edit = v.id_edit
        self.id_hint = v.id_hint
        self.phone_edit = v.phone_edit
        self.phone_hint = v.phone_hint
        self.priority_buttons = v.priority_buttons
        self.demand_edit = v.demand_edit
        self.suggest_line = v.suggest_line
        self.notice_check = v.notice_check
        self.recent_model = v.recent_model
        self.recent_view = v.recent_view
        # the lookup list, in the card's place while searching
        self.lookup_status = v.lookup_status
        self.lookup_model = v.lookup_model
        self.lookup_view = v.lookup_view
        self.history_title = v.history_title
        self.history_model = v.history_model
        self.history_view = v.history_view
        self.choose_help = v.choose_help
        self.merge_button = v.merge_button
        self.choose_button = v.choose_button
        self.new_visitor_button = v.new_visitor_button
        # the service buttons
        self.offline_label = sv.offline_label
        self.total_label = sv.total_label
        self.appointments_button = sv.appointments_button
        self.grid_host = sv.grid_host
        self.grid = sv.grid
        self.loading_label = sv.loading_label
        # the result
        self.result_caption = r.result_caption
        self.result_number = r.result_number
        self.result_headline = r.result_headline
        self.result_detail = r.result_detail
        self.print_status = r.print_status
        self.reprint_button = r.reprint_button

    def _wire(self) -> None:
        """The panels' widgets to the workspace's actions."""
        self.lookup = VisitorLookup(self.ctx, self.visitor_panel, self, self._op)
        self.issuing = TicketIssuing(self.ctx, self, self, self.printer, self.state, self.visitor_panel,
                                     self.result_panel, self.lookup, self._op)
        self.issuing.ticketIssued.connect(self.ticketIssued)
        self.issuing.ticketPrinted.connect(self.ticketPrinted)
        self.clear_button.clicked.connect(self.clear_panel)
        self.name_edit.textChanged.connect(self._name_changed)
        self.name_edit.editingFinished.connect(self._name_finished)
        self.id_edit.textChanged.connect(self._id_changed)
        self.phone_edit.textChanged.connect(self._phone_changed)
        self.phone_edit.editingFinished.connect(self._phone_finished)
        for reason, button in self.priority_buttons.items():
            button.toggled.connect(partial(self._priority_toggled, reason))
        self.demand_edit.textChanged.connect(self._demand_changed)
        self.demand_edit.returnPressed.connect(self._focus_first_suggestion)
        self.appointments_button.clicked.connect(self.show_appointments)

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
        self.services = list(services)
        self.state.apply_catalogue(self.services, rules)
        self.centre_name = profile.get("name") or profile.get("short_name") or self.tr("社会治理服务中心")
        self.service_buttons = self.services_panel.set_services(self.services, self.issue)
        self.loading_label = self.services_panel.loading_label
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
        changed = self.state.apply_snapshot(snap)
        for sq in snap.services:
            button = self.service_buttons.get(sq.code)
            if button is not None:
                if sq.code in changed:
                    button.set_offered(sq.offered, sq.closed_reason)
                button.set_waiting(sq.waiting)
        if changed:
            self._demand_changed(self.demand_edit.text())
        total = self.state.total_text()
        self.total_label.setText(shown(total) if total is not None else "")
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
        self.services_panel.show_offline(message)

    def _on_online(self) -> None:
        self.services_panel.show_offline(None)
        self.refresh_counts()

    def window_hint(self, service: str) -> str | None:
        """Which windows the visitor goes to: those serving ``service`` first,
        else any that serve it (today's season only)."""
        hint = self.state.window_hint(service)
        return shown(hint) if hint is not None else None

    # --------------------------------------------------------- the visitor
    def today(self) -> dt.date:
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
        result = id_feedback(text, self.today(), priority_chosen=self.priority() is not None,
                             auto_elderly=self.choice.auto_elderly)
        if result.elderly == "set":
            self.priority_buttons[PriorityReason.ELDERLY].setChecked(True)
            self.choice.by_age()
        elif result.elderly == "undo":
            self._undo_auto_elderly()
        _feedback(self.id_hint, self.id_edit, result.feedback)

    def _undo_auto_elderly(self) -> None:
        if self.choice.undo_by_age():
            self.priority_buttons[PriorityReason.ELDERLY].setChecked(False)

    def _phone_changed(self, text: str) -> None:
        if self.chosen_visitor is not None and text.strip():
            self.phone_edit.setPlaceholderText(self.tr("手机或固定电话（可不填）"))
        _feedback(self.phone_hint, self.phone_edit, phone_feedback(text))

    def _phone_finished(self) -> None:
        result = phone_finished(self.phone_edit.text())
        if result is not None:
            _feedback(self.phone_hint, self.phone_edit, result)

    def _priority_toggled(self, reason: PriorityReason, on: bool) -> None:
        for other in self.choice.toggled(reason, on):
            self.priority_buttons[other].setChecked(False)

    def priority(self) -> PriorityReason | None:
        return self.choice.reason

    def _demand_changed(self, text: str) -> None:
        view = self.state.suggest(text)
        for code, button in self.service_buttons.items():
            button.set_suggested(view.wanted.get(code), first=code == view.first)
        self.suggest_line.setText(joined(view.line, qt_tr))

    def _focus_first_suggestion(self) -> None:
        code = self.state.first_suggestion()
        if code is not None:
            self.service_buttons[code].setFocus()

    # --------------------------------------------------------------- lookup
    # The lookup list and the returning visitor chosen from it: ui.frontdesk.lookup.
    @property
    def chosen_visitor(self) -> visitors.VisitorHit | None:
        return self.lookup.chosen_visitor

    def focus_lookup(self) -> None:
        self.lookup.focus()

    def selected_hits(self) -> list:
        return self.lookup.selected_hits()

    def merge_selected(self) -> None:
        self.lookup.merge_selected()

    def choose_current_hit(self) -> None:
        self.lookup.choose_current_hit()

    def choose_visitor(self, hit: visitors.VisitorHit, earlier: list | None = None) -> None:
        """Fill the panel with a returning visitor (masked numbers stay out of the fields)."""
        self.lookup.choose_visitor(hit, earlier)

    # ---------------------------------------------------------------- issue
    def _issue_at(self, index: int) -> None:
        if 0 <= index < len(self.services):
            self.issue(self.services[index].code)

    def issue_first_suggestion(self) -> None:
        code = self.state.first_suggestion()
        if code is not None:
            self.issue(code)
            return
        self._show_error(self.tr("没有可用的建议业务：请输入诉求，或直接点选业务"))

    # Issuing, printing and reprinting: ui.frontdesk.issuing.
    def issue(self, service: str) -> None:
        """Issue a ticket of ``service`` for the visitor on the panel, then print it."""
        self.issuing.issue(service)

    def issue_as_new_visitor(self) -> None:
        """None of the listed records is this visitor: a new record, then the ticket."""
        self.issuing.issue_as_new_visitor()

    def reprint(self, view: TicketView | None = None) -> None:
        """Print a ticket again (重打): the last one unless told which."""
        self.issuing.reprint(view)

    @property
    def last_timing(self) -> dict[str, float]:
        return self.issuing.last_timing

    @property
    def last_print(self) -> PrintResult | None:
        return self.issuing.last_print

    @property
    def name_choice_box(self) -> QMessageBox | None:
        return self.issuing.name_choice_box

    def _show_error(self, message: str) -> None:
        self.issuing.show_error(message)

    # ------------------------------------------------------------- clearing
    def escape(self) -> None:
        """Esc: leave the appointments or the lookup list if open, else clear the panel."""
        if self.main_stack.currentIndex() == 1:
            self.hide_appointments()
            return
        if self.lookup.is_open():
            self.lookup.close()
            self.name_edit.setFocus()
            return
        self.clear_panel()

    # --------------------------------------------------------- appointments
    def show_appointments(self) -> None:
        """Show the appointments panel in place of the service buttons."""
        if self.appointments_panel is None:
            from ui.frontdesk.appointments import AppointmentsPanel

            panel = AppointmentsPanel(self.ctx, self.main_stack, print_ticket=self.issuing.checked_in)
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

    def clear_panel(self) -> None:
        """Ready for the next visitor (the last ticket stays on the result panel)."""
        self.lookup.forget_visitor()
        self.lookup.close()
        for edit in (self.name_edit, self.id_edit, self.phone_edit, self.demand_edit):
            edit.clear()
            _repolish(edit, invalid=False)
        self.choice.clear()
        self.issuing.panel_cleared()
        self.notice_check.setChecked(False)
        for button in self.priority_buttons.values():
            button.setChecked(False)
        for hint in (self.id_hint, self.phone_hint, self.name_hint):
            hint.show_note("")
        if self.result_panel.property("state") == "error":
            if self.last_ticket is not None:
                self.issuing.show_ticket(self.last_ticket)
            else:
                self.result_panel.show_none()
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
        self.lookup.stop()


# ---------------------------------------------------------------------- helpers
def _warm_up_fonts() -> None:
    from reports.fonts import cjk_fonts

    cjk_fonts()
