"""The service window's workspace: call, recall, serve, transfer, finish.

The window is this computer's (``ctx.workstation.window_code``); a computer
that has none yet asks which window it is. Every action is one call of
``hall.services.queue`` off the UI thread. When the hall changed under the
user (another window called the visitor first, someone paused the window
from the office), the refusal is shown as a sentence in the message strip
and the panel reloads; no dialog, no traceback.

Keys (shown on the buttons): F2 or Space 叫号, F3 重呼, F4 开始办理,
F5 挂起, F6 转移, F7 过号, F8 办结, F9 暂停/恢复.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

from hall.domain.clock import as_utc
from hall.domain.queue import TicketStatus
from hall.services import HallError, centre, queue
from hall.services.views import TicketView, WindowView
from ui.common import palette, panels
from ui.common.context import AppContext
from ui.common.errors import user_message
from ui.common.keys import shortcuts
from ui.common.ops import OneAtATime, Op
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QDialog,
    QHBoxLayout,
    QStackedWidget,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
    translate,
)
from ui.window.actions import WindowActions
from ui.window.panels import (
    CurrentVisitorPanel,
    DeskHeader,
    MessageStrip,
    QueuePanel,
    RateBar,
    WindowChooser,
)
from ui.window.state import WindowDeskState

if TYPE_CHECKING:
    from ui.common.printing import PrintResult
    from ui.window.rating import CallRatingPanel

log = logging.getLogger(__name__)

S = TicketStatus

#: Events after which the window's panel and queue are read again.
_RELEVANT = ("ticket.", "window.", "queue.", "centre.")

STATE_LABELS = {"open": QT_TRANSLATE_NOOP("WindowStates", "开启"),
                "paused": QT_TRANSLATE_NOOP("WindowStates", "暂停"),
                "closed": QT_TRANSLATE_NOOP("WindowStates", "关闭")}
STATE_COLOURS = {"open": palette.SUCCESS, "paused": palette.WARNING, "closed": palette.SUBTLE}

STYLE = palette.style("""
QFrame#deskHeader { background: {header_bg}; border: 1px solid {border}; border-radius: 8px; }
QLabel#windowTitle { color: {heading}; }
QLabel#services { color: {muted}; }
QLabel#stateBadge { border-radius: 10px; padding: 3px 12px; color: {on_accent}; font-weight: bold; }
QLabel#messageStrip { border-radius: 6px; padding: 8px 12px; }
QLabel#messageStrip[kind="error"] { background: {overdue_tint}; color: {error_text}; border: 1px solid {error_border}; }
QLabel#messageStrip[kind="info"] { background: {success_bg}; color: {success}; border: 1px solid {success_border}; }
QFrame#rateBar { background: {highlight_bg}; border: 1px solid {highlight_border}; border-radius: 6px; }
QPushButton#rateButton { background: {highlight}; color: {on_accent}; font-weight: bold; border-radius: 6px;
                         padding: 6px 16px; }
QPushButton#rateButton:disabled { background: {highlight_disabled}; }
QFrame#ticketCard { background: {surface}; border: 1px solid {border}; border-radius: 8px; }
QLabel#cardTitle, QLabel#queueTitle { color: {muted}; font-weight: bold; }
QLabel#ticketNumber { color: {heading}; }
QLabel#noTicket { color: {faint}; }
QLabel#statusChip { border-radius: 10px; padding: 2px 10px; color: {on_accent}; font-weight: bold; }
QLabel#fieldValue { color: {text}; }
QLabel#priority { color: {danger}; font-weight: bold; }
QLabel#emptyQueue { color: {faint}; }
QPushButton { padding: 6px 10px; }
QPushButton#callButton { background: {accent}; color: {on_accent}; font-weight: bold; border: none;
                         border-radius: 6px; padding: 10px; }
QPushButton#callButton:disabled { background: {accent_disabled}; color: {on_disabled}; }
QPushButton#startButton:enabled { color: {accent}; }
QPushButton#finishButton:enabled { color: {success}; }
""")

STATUS_COLOURS = {S.CALLED.value: palette.ACCENT, S.SERVING.value: palette.SUCCESS}


class _LentPanel(Protocol):
    """What the window uses of the panel another area lends it (``ui.common.panels``)."""

    def refresh(self) -> None: ...

    @property
    def _on_events(self) -> Callable[[list], None]: ...   # its handler of the event feed


def _lent(panel: QWidget) -> _LentPanel:
    """The lent panel as the window uses it (the factory's contract, which its type cannot say)."""
    return cast(_LentPanel, panel)


# ------------------------------------------------------------------ workspace
class WindowWorkspace(QWidget):
    """窗口受理: this window's current visitor and the queue it will call.

    What the desk shows and allows is decided by ``self.state``
    (:class:`ui.window.state.WindowDeskState`); the panels of ``ui.window.panels``
    draw it, this class runs the actions of the card and puts the panels
    together, and ``self.dialog_actions`` (:class:`ui.window.actions.WindowActions`)
    runs those that ask first in a dialog or open a window of their own.
    """

    #: The window chosen on a computer that had none (the shell stores it).
    window_chosen = Signal(str)
    #: After every reload of the window's state and queue.
    refreshed = Signal()

    WAITED_COLUMN = QueuePanel.WAITED_COLUMN

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.setObjectName("windowWorkspace")
        self.setStyleSheet(STYLE)
        # Explicit, so the layout does not keep resetting it as panels show and hide.
        self.setMinimumSize(900, 560)
        self.state = WindowDeskState(window_code=ctx.workstation.window_code,
                                     may_register=ctx.actor.may("case.register"))
        self.services: list = []
        self.message = ""
        self.message_kind = ""
        self.reads = OneAtATime(self._start_load, lambda: self.stopped or not self.window_code)
        self.stopped = False                        # shut down: nothing more is read or run
        self.dialog_actions = WindowActions(self)

        self.pages = QStackedWidget()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.pages)
        self.chooser = self._build_chooser()
        self.desk = self._build_desk()
        self.pages.addWidget(self.chooser)
        self.pages.addWidget(self.desk)
        self._shortcuts()

        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._tick)
        self.tick.start()
        self.message_timer = QTimer(self)
        self.message_timer.setSingleShot(True)
        self.message_timer.setInterval(8000)
        self.message_timer.timeout.connect(self._fade_info)

        ctx.feed.events.connect(self._on_events)
        ctx.feed.online.connect(self.refresh)
        self.load_services()
        if self.window_code:
            self._show_page(self.desk)
            self.refresh()
        else:
            self._show_page(self.chooser)
            self._load_windows()
        self._update_actions()

    @property
    def window_code(self) -> str | None:
        return self.ctx.workstation.window_code

    # The state's parts, under the names the rest of the interface knows them by.
    @property
    def window_view(self) -> WindowView | None:
        return self.state.window_view

    @window_view.setter
    def window_view(self, w: WindowView | None) -> None:
        self.state.window_view = w

    @property
    def current(self) -> TicketView | None:
        return self.state.current

    @current.setter
    def current(self, t: TicketView | None) -> None:
        self.state.current = t

    @property
    def waiting(self) -> list[TicketView]:
        return self.state.waiting

    @property
    def held(self) -> list[TicketView]:
        return self.state.held

    @property
    def _loaded_once(self) -> bool:
        return self.state.loaded_once

    @property
    def _order(self) -> dict[int, int]:
        return self.state.order

    @property
    def _busy(self) -> bool:
        return self.state.busy

    @_busy.setter
    def _busy(self, busy: bool) -> None:
        self.state.busy = busy

    # What the dialogs left, under the names the rest of the interface knows them by.
    @property
    def dialog(self) -> QDialog | None:
        return self.dialog_actions.dialog

    @property
    def last_print(self) -> PrintResult | None:
        return self.dialog_actions.last_print

    @property
    def rating_panel(self) -> CallRatingPanel | None:
        return self.dialog_actions.rating_panel

    @property
    def registered(self) -> dict[int, str]:
        """Ticket id -> the number of the case registered from that visit."""
        return self.state.registered

    # ------------------------------------------------------------ chooser
    def _build_chooser(self) -> WindowChooser:
        page = WindowChooser()
        self.window_box = page.window_box
        self.choose_button = page.choose_button
        self.choose_button.clicked.connect(self._choose_window)
        return page

    def _load_windows(self) -> None:
        db = self.db
        Op(self, lambda: queue.queue_snapshot(db).windows).success(self._got_windows) \
            .failure(self.failed).run()

    def _got_windows(self, windows: list[WindowView]) -> None:
        self.chooser.set_windows(windows)

    def _choose_window(self) -> None:
        code = self.window_box.currentData()
        if not code:
            return
        self.ctx.workstation.window_code = code
        self.state.window_code = code
        self.window_chosen.emit(code)
        self._show_page(self.desk)
        self.refresh()

    def _show_page(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        for sc in self._shortcut_objs:
            sc.setEnabled(page is self.desk)

    # ------------------------------------------------------------ desk
    def _build_desk(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(12, 12, 12, 12)
        outer.setSpacing(10)

        self.header = DeskHeader()
        self.title_label = self.header.title_label
        self.services_label = self.header.services_label
        self.state_badge = self.header.state_badge
        self.pause_button = self.header.pause_button
        self.pause_button.clicked.connect(self.dialog_actions.toggle_pause)
        self.open_button = self.header.open_button
        self.open_button.clicked.connect(self.dialog_actions.toggle_open)
        self.call_rating_button = self.header.call_rating_button
        self.call_rating_button.clicked.connect(self.dialog_actions.open_rating)
        outer.addWidget(self.header)

        self.message_label = MessageStrip()
        outer.addWidget(self.message_label)
        # After 办结: the visitor is told to rate at the kiosk with their own code;
        # the window never rates its own service. Never in the way of the next call.
        self.rate_bar = RateBar(self)
        self.rate_label = self.rate_bar.rate_label
        self.rate_dismiss = self.rate_bar.rate_dismiss
        self.rate_dismiss.clicked.connect(self.dialog_actions.dismiss_rating_hint)
        outer.addWidget(self.rate_bar)
        self._desk_outer = outer
        self.petition_panel: QWidget | None = None     # lent by another area (ui.common.panels)
        self.petition_toggle: QToolButton | None = None

        body = QHBoxLayout()
        body.setSpacing(12)
        outer.addLayout(body, 1)

        # -- the current visitor, and the actions under it
        self.card = CurrentVisitorPanel()
        self.number_label = self.card.number_label
        self.status_chip = self.card.status_chip
        self.no_ticket_label = self.card.no_ticket_label
        self.fields = self.card.fields
        self.action_bar = self.card.action_bar
        acts = self.dialog_actions
        slots = {"call": self.call_next, "recall": self.recall, "start": self.start, "transfer": acts.transfer,
                 "no_show": self.no_show, "finish": acts.finish, "register": acts.register_case}
        for name, button in self.action_bar.buttons.items():
            button.clicked.connect(slots[name])
        self.call_button = self.action_bar.call_button
        self.recall_button = self.action_bar.recall_button
        self.start_button = self.action_bar.start_button
        self.transfer_button = self.action_bar.transfer_button
        self.no_show_button = self.action_bar.no_show_button
        self.finish_button = self.action_bar.finish_button
        self.register_button = self.action_bar.register_button
        self._inbox_read = False
        body.addWidget(self.card, 0)

        # -- who waits, in the order they will be called
        right = QVBoxLayout()
        self.queue_panel = QueuePanel(self.state, self._seconds_since)
        slots = {"chosen": acts.call_chosen, "returned": acts.returned, "hold": acts.hold, "unhold": acts.unhold}
        for name, button in self.queue_panel.buttons.items():
            button.clicked.connect(slots[name])
        self.queue_count = self.queue_panel.queue_count
        self.chosen_button = self.queue_panel.chosen_button
        self.returned_button = self.queue_panel.returned_button
        self.hold_button = self.queue_panel.hold_button
        self.unhold_button = self.queue_panel.unhold_button
        self.model = self.queue_panel.model
        self.table = self.queue_panel.table
        self.empty_label = self.queue_panel.empty_label
        self.queue_stack = self.queue_panel.queue_stack
        #: Every action's button, by the name of :data:`ui.window.state.ACTIONS`.
        self.buttons = {**self.action_bar.buttons, **self.queue_panel.buttons,
                        "pause": self.pause_button, "open": self.open_button}
        right.addWidget(self.queue_panel, 1)
        from ui.common.referrals import ReferralInbox

        # Referrals sent to this window's services (and the rooms of the same kind, e.g. counselling).
        self.referral_inbox = ReferralInbox(self.db, self.ctx.actor, self._referral_targets, self)
        self.referral_inbox.setMaximumHeight(220)
        right.addWidget(self.referral_inbox)
        self._queue_column = right
        body.addLayout(right, 1)
        return page

    def _shortcuts(self) -> None:
        acts = self.dialog_actions
        keys = (("F2", self.call_next), ("Space", self.call_next), ("F3", self.recall),
                ("F4", self.start), ("F6", acts.transfer), ("F7", self.no_show),
                ("F8", acts.finish), ("F9", acts.toggle_pause), ("F10", acts.register_case),
                ("F5", acts.hold))
        # The desk is the only thing on screen at a window: the keys work
        # wherever the focus is (a line edit still takes its Space).
        self._shortcut_objs = shortcuts(self, keys, Qt.ShortcutContext.WindowShortcut)

    # ------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Read this window's state, its current visitor and its queue again."""
        self.reads.request()

    @property
    def _loading(self) -> bool:
        return self.reads.busy

    def _start_load(self) -> None:
        code = self.window_code
        assert code is not None     # OneAtATime checks it first
        db = self.db

        def load():
            snap = queue.queue_snapshot(db)
            win = next((w for w in snap.windows if w.code == code), None)
            return win, queue.waiting_for_window(db, code), queue.held_for_window(db, code)

        Op(self, load).success(self._loaded).failure(self.failed).finally_(self.reads.done).run()

    def _loaded(self, result) -> None:
        if self.stopped:
            return
        win, waiting, held = result
        if win is None:
            self.show_message(self.tr("窗口“{code}”不存在或已停用，请在“设置”中重新选择本机窗口。")
                               .replace("{code}", self.window_code or ""), error=True)
        self.state.window_code = self.window_code     # the settings may have changed it
        self.state.apply_load(win, waiting, held)
        if win is not None and not self._inbox_read:
            self._inbox_read = True
            self.referral_inbox.refresh()
        self.show_window()
        self._show_petition_panel()
        self.show_current()
        self.queue_panel.show_queue()
        self._update_actions()
        self.refreshed.emit()

    def _show_petition_panel(self) -> None:
        """信访期限: a collapsible panel, only at a window that serves petitions."""
        factory = panels.panel_for("petition")
        serves, primary = self.state.petition_panel(factory is not None)
        if serves and self.petition_panel is None and factory is not None:
            self.petition_toggle = QToolButton(self.desk)
            self.petition_toggle.setObjectName("petitionToggle")
            self.petition_toggle.setText(self.tr("信访办理"))
            self.petition_toggle.setCheckable(True)
            # Open at the petition window itself; folded where petitions are one
            # service among others, so the current visitor keeps the room it needs.
            self.petition_toggle.setChecked(primary)
            self.petition_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self.petition_toggle.setArrowType(Qt.ArrowType.DownArrow if primary else Qt.ArrowType.RightArrow)
            self.petition_panel = factory(self.ctx, self.desk)   # clocks, registration, handling
            self.petition_panel.setMinimumHeight(200)
            self.petition_toggle.toggled.connect(self._toggle_petition_panel)
            self._desk_outer.addWidget(self.petition_toggle, 0, Qt.AlignmentFlag.AlignLeft)
            self._desk_outer.addWidget(self.petition_panel)
        if self.petition_panel is not None and self.petition_toggle is not None:
            self.petition_toggle.setVisible(serves)
            self.petition_panel.setVisible(serves and self.petition_toggle.isChecked())

    def _toggle_petition_panel(self, shown: bool) -> None:
        if self.petition_panel is None or self.petition_toggle is None:
            return
        self.petition_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.petition_panel.setVisible(shown)
        if shown:
            _lent(self.petition_panel).refresh()

    def load_services(self) -> None:
        db = self.db
        Op(self, lambda: centre.list_services(db)).success(self._got_services) \
            .failure(lambda exc: log.warning("could not read the services: %s", exc)).run()

    def _got_services(self, services: list) -> None:
        self.services = list(services)

    def _on_events(self, events: list) -> None:
        if any(e.kind.startswith(_RELEVANT) for e in events):
            self.refresh()
        if any(e.kind.startswith("case.referr") or e.kind == "case.room_booked" for e in events):
            self.referral_inbox.refresh()

    def _referral_targets(self) -> list[str]:
        w = self.window_view
        if w is None:
            return []
        rooms = [r.code for r in centre.list_rooms(self.db) if r.kind in w.services]
        return list(w.services) + rooms

    # ------------------------------------------------------------ drawing
    def show_window(self) -> None:
        def badge(state: str) -> tuple[str, str]:
            return ("● " + translate("WindowStates", STATE_LABELS.get(state, state)),
                    f"background: {STATE_COLOURS.get(state, palette.SUBTLE)};")

        self.header.show_window(self.state, {s.code: s.name for s in self.services}, badge)

    def show_current(self) -> None:
        t = self.current
        self.card.show_ticket(t, lambda status: f"background: {STATUS_COLOURS.get(status, palette.SUBTLE)};")
        if t is None:
            return
        self._show_note(t)
        self._tick_current()

    def _show_note(self, t: TicketView) -> None:
        """The front desk's note of the complaint (transfers included), read once per ticket."""
        note = self.fields["note"]
        note.setWordWrap(True)
        if getattr(self, "_note_ticket", None) == t.id or not self.ctx.actor.may("case.register"):
            return
        self._note_ticket = t.id
        note.setText("")
        from hall.services import cases

        db, actor = self.db, self.ctx.actor

        def shown(intake) -> None:
            if self.current is not None and self.current.id == intake.ticket_id:
                note.setText(intake.note or self.tr("无"))
        Op(self, lambda: cases.ticket_intake(db, actor, t.id)).success(shown) \
            .failure(lambda exc: log.info("ticket note of %s not read: %s", t.id, exc)).run()

    def _seconds_since(self, moment: dt.datetime | None) -> float:
        if moment is None:
            return 0
        return (self.db.clock.now() - as_utc(moment)).total_seconds()

    def _tick_current(self) -> None:
        self.card.show_times(self.state.current_times(self.db.clock.now()))

    def _tick(self) -> None:
        self._tick_current()
        self.queue_panel.tick()

    def _update_actions(self) -> None:
        enabled = self.state.actions_enabled()
        self.action_bar.show_actions(self.state, enabled)
        self.queue_panel.show_actions(enabled)
        self.header.show_actions(self.state, enabled)
        self.card.show_idle(self.state)

    # ------------------------------------------------------------ messages
    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message = text
        self.message_kind = "error" if error else "info"
        self.message_label.show_message(text, self.message_kind)
        if error:
            self.message_timer.stop()   # an error stays until the next action
        else:
            self.message_timer.start()

    def _fade_info(self) -> None:
        if self.message_kind == "info":
            self.message = self.message_kind = ""
            self.message_label.hide()

    def failed(self, exc: BaseException) -> None:
        if isinstance(exc, HallError):
            log.info("refused at window %s: %s", self.window_code, exc)
            from ui.common.validation import translated

            text = translated(str(exc))
        else:
            log.error("window %s: %s", self.window_code, exc, exc_info=exc)
            text = user_message(exc)[1]
        self.show_message(text, error=True)

    # ------------------------------------------------------------ actions
    def act(self, fn, done) -> None:
        """Run one service call; the desk is locked until it reports back."""
        if self._busy or self.stopped:
            return
        self._busy = True
        self._update_actions()

        def finished():
            self._busy = False
            self._update_actions()
            self.refresh()

        Op(self, fn).success(done).failure(self.failed).finally_(finished).run()

    def call_next(self) -> None:
        code = self.window_code
        if code is None or not self.call_button.isEnabled():
            return
        db, actor = self.db, self.ctx.actor

        def done(t: TicketView | None):
            if t is None:
                self.show_message(self.tr("当前没有等候的群众"))
            else:
                self.state.take_current(t)
                self.show_current()
                self.show_message(self.tr("已呼叫 {number}（{service}）")
                                   .replace("{number}", t.number).replace("{service}", t.service_name))

        self.act(lambda: queue.call_next(db, actor, code), done)

    def recall(self) -> None:
        t = self.current
        if t is None or not self.recall_button.isEnabled():
            return
        db, actor = self.db, self.ctx.actor
        self.act(lambda: queue.recall(db, actor, t.id), lambda v: self.show_message(
            self.tr("已重呼 {number}（第 {n} 次）").replace("{number}", v.number)
            .replace("{n}", str(v.recall_count))))

    def start(self) -> None:
        t = self.current
        if t is None or not self.start_button.isEnabled():
            return
        db, actor = self.db, self.ctx.actor
        self.act(lambda: queue.start_service(db, actor, t.id), lambda v: self.show_message(
            self.tr("{number} 开始办理").replace("{number}", v.number)))

    def no_show(self) -> None:
        t = self.current
        if t is None or not self.no_show_button.isEnabled():
            return
        db, actor = self.db, self.ctx.actor
        self.act(lambda: queue.mark_no_show(db, actor, t.id), lambda v: self.show_message(
            self.tr("{number} 已标记为过号").replace("{number}", v.number)))

    def selected_waiting(self) -> TicketView | None:
        return self.queue_panel.selected()

    def toggle_open(self) -> None:
        """开启窗口 / 关闭窗口 (the button's action)."""
        self.dialog_actions.toggle_open()

    # ------------------------------------------------------------ shell
    def shutdown(self) -> None:
        """Stop the timers and stop listening (the shell calls this before closing)."""
        if self.stopped:
            return
        self.stopped = True
        self.tick.stop()
        self.message_timer.stop()
        try:
            self.ctx.feed.events.disconnect(self._on_events)
            self.ctx.feed.online.disconnect(self.refresh)
        except (RuntimeError, TypeError):
            pass
        if self.petition_panel is not None:
            try:
                self.ctx.feed.events.disconnect(_lent(self.petition_panel)._on_events)
            except (RuntimeError, TypeError):
                pass
