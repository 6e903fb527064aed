"""The service window's actions that ask first or open a window of their own.

转移 (and printing the new ticket), 叫指定号, 过号回来, 挂起, 取消挂起, 办结,
调解登记, the rating hint after 办结 and the follow-up call's rating panel,
and switching the window open, paused or closed. :class:`WindowActions` runs
them for the workspace that made it: the dialogs come from
``ui.window.dialogs``, what they ask and what is allowed from
``ui.window.state``, and every change is one service call through the
workspace's :meth:`~ui.window.workspace.WindowWorkspace.act`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from hall.domain.queue import OUTCOMES
from hall.services import centre, queue
from hall.services.views import TicketView, WindowView
from ui.common.errors import user_message
from ui.common.ops import Op
from ui.qt import QDialog, Qt, QVBoxLayout, translate
from ui.window.dialogs import (
    CallChosenDialog,
    FinishDialog,
    HoldDialog,
    ReturnedDialog,
    TransferDialog,
    UnholdDialog,
)
from ui.window.panels import shown

if TYPE_CHECKING:
    from ui.common.printing import PrintResult, TicketPrinter
    from ui.window.rating import CallRatingPanel
    from ui.window.workspace import WindowWorkspace

log = logging.getLogger(__name__)


class WindowActions:
    """The dialogs and side windows of one window's desk, and what follows them."""

    def __init__(self, ws: WindowWorkspace):
        self.ws = ws
        self.dialog: QDialog | None = None          # the one dialog open over the desk
        self.printer: TicketPrinter | None = None   # made when first needed
        self.last_print: PrintResult | None = None  # how printing a transferred visitor's new ticket ended
        self.rate_ticket: TicketView | None = None
        self.rating_panel: CallRatingPanel | None = None

    def _may(self, action: str) -> bool:
        """``action``'s button is enabled and no dialog is open."""
        return self.ws.buttons[action].isEnabled() and self.dialog is None

    def open_dialog(self, dlg: QDialog, on_accept: Callable[[], None]) -> None:
        """Window-modal, never blocking the event loop (tests drive it too)."""
        self.dialog = dlg
        dlg.setWindowModality(Qt.WindowModality.WindowModal)

        def closed(result: int) -> None:
            self.dialog = None
            dlg.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                on_accept()

        dlg.finished.connect(closed)
        dlg.open()

    # ------------------------------------------------------------ 办结, 调解登记
    def finish(self) -> None:
        ws, t = self.ws, self.ws.current
        if t is None or not self._may("finish"):
            return
        dlg = FinishDialog(t, ws, preset=ws.state.finish_preset(t))
        self.open_dialog(dlg, lambda: self._finish_with(t, *dlg.choice()))

    def _finish_with(self, t: TicketView, outcome: str, note: str) -> None:
        ws = self.ws
        db, actor = ws.db, ws.ctx.actor
        label = translate("Outcomes", OUTCOMES[outcome].label)

        def done(v: TicketView) -> None:
            ws.show_message(translate("WindowWorkspace", "{number} 已办结：{outcome}").replace("{number}", v.number)
                            .replace("{outcome}", label))
            self.offer_rating(v)

        ws.act(lambda: queue.finish(db, actor, t.id, outcome, note), done)

    def register_case(self) -> None:
        """调解登记 from the visitor being served (``ui.common.case_intake``)."""
        ws, t = self.ws, self.ws.current
        if t is None or not self._may("register"):
            return
        from hall.services import cases
        from ui.common.case_intake import RegisterCaseDialog

        db, actor = ws.db, ws.ctx.actor

        def got(intake) -> None:
            if ws.current is None or ws.current.id != t.id or self.dialog is not None:
                return
            dlg = RegisterCaseDialog(db, actor, intake, ws)

            def registered(case) -> None:
                ws.state.registered[t.id] = case.number
                ws.show_message(translate("WindowWorkspace", "已登记调解案件 {case}（来自 {number}），办结时结果为“登记立案（转调解）”")
                                .replace("{case}", case.number).replace("{number}", t.number))
            dlg.registered.connect(registered)
            self.open_dialog(dlg, lambda: None)

        Op(ws, lambda: cases.ticket_intake(db, actor, t.id)).success(got).failure(ws.failed).run()

    # ------------------------------------------------------------ rating
    def offer_rating(self, t: TicketView) -> None:
        """After 办结: tell the visitor to rate at the kiosk with the code on their ticket."""
        self.rate_ticket = t
        self.ws.rate_label.setText(shown(self.ws.state.rating_hint(t)))
        self.ws.rate_bar.show()

    def dismiss_rating_hint(self) -> None:
        self.rate_ticket = None
        self.ws.rate_bar.hide()

    def open_rating(self) -> None:
        """The follow-up call's rating panel, in a window of its own beside the
        desk (not modal: the next visitor can be called meanwhile)."""
        if self.rating_panel is not None:
            self.rating_panel.window().raise_()
            return
        from ui.window.rating import CallRatingPanel

        ws = self.ws
        dlg = QDialog(ws)
        dlg.setObjectName("callRatingDialog")
        dlg.setWindowTitle(translate("WindowWorkspace", "记录回访评价"))
        dlg.setModal(False)
        lay = QVBoxLayout(dlg)
        lay.setContentsMargins(0, 0, 0, 0)
        panel = CallRatingPanel(ws.ctx, dlg)
        lay.addWidget(panel)
        panel.rated.connect(lambda v: ws.show_message(
            translate("WindowWorkspace", "{number} 已记录回访评价：{label}").replace("{number}", v.ticket_number or "")
            .replace("{label}", v.rating_label)))
        panel.closeRequested.connect(self.close_rating)
        dlg.rejected.connect(self.close_rating)
        dlg.resize(860, 520)
        self.rating_panel = panel
        ws.call_rating_button.setEnabled(False)
        dlg.show()

    def close_rating(self) -> None:
        panel, self.rating_panel = self.rating_panel, None
        if panel is not None:
            dlg = panel.window()
            dlg.hide()
            dlg.deleteLater()
        self.ws.call_rating_button.setEnabled(True)

    # ------------------------------------------------------------ 转移
    def transfer(self) -> None:
        ws, t = self.ws, self.ws.current
        if t is None or not self._may("transfer"):
            return
        if not ws.services:
            ws.show_message(translate("WindowWorkspace", "业务列表尚未读取，请稍后再试"), error=True)
            ws.load_services()
            return
        dlg = TransferDialog(t, ws.services, ws)
        self.open_dialog(dlg, lambda: self._transfer_with(t, *dlg.choice(), print_ticket=dlg.print_new_ticket))

    def _transfer_with(self, t: TicketView, to_service: str, reason: str, *, print_ticket: bool = False) -> None:
        ws = self.ws
        db, actor = ws.db, ws.ctx.actor

        def done(v: TicketView) -> None:
            ws.show_message(
                translate("WindowWorkspace", "{old} 已转往“{service}”，新号 {new}（保留原排队顺序）")
                .replace("{old}", t.number).replace("{service}", v.service_name)
                .replace("{new}", v.number))
            if print_ticket:
                self.print_transferred(v, t.number)

        ws.act(lambda: queue.transfer(db, actor, t.id, to_service, reason), done)

    def print_transferred(self, v: TicketView, old_number: str) -> None:
        """The new ticket of a transferred visitor, printed (or saved) at this window."""
        from ui.common.printing import PrintResult, TicketPrinter

        ws = self.ws
        if self.printer is None:
            self.printer = TicketPrinter(ws, printer_name=ws.ctx.workstation.printer or None)
        printer = self.printer
        db = ws.db
        hint = translate("WindowWorkspace", "原号 {old}，保留原排队顺序；叫号时会同时报出原号").replace("{old}", old_number)

        def render() -> bytes:
            profile = centre.centre_profile(db)
            return printer.render(v, profile.get("name") or profile.get("short_name") or "", hint)

        def rendered(pdf: bytes) -> None:
            stem = f"{v.business_day:%Y%m%d}-{v.number}-{v.id}"
            try:
                result = printer.print_pdf(pdf, ws, preview=not ws.ctx.workstation.printer, stem=stem)
            except Exception as exc:  # paper never undoes a transfer
                log.warning("printing a transferred ticket failed", exc_info=True)
                result = PrintResult("failed", translate("WindowWorkspace", "打印失败：{reason}")
                                     .replace("{reason}", str(exc)))
            self.last_print = result
            ws.show_message(translate("WindowWorkspace", "已转往“{service}”，新号 {new}（原 {old}）：{status}")
                            .replace("{service}", v.service_name).replace("{new}", v.number)
                            .replace("{old}", old_number).replace("{status}", result.message),
                            error=result.outcome == "failed")

        def failed(exc: BaseException) -> None:
            self.last_print = PrintResult("failed", str(exc))
            ws.show_message(translate("WindowWorkspace", "新号 {new} 的号票无法生成：{reason}").replace("{new}", v.number)
                            .replace("{reason}", user_message(exc)[1]), error=True)

        Op(ws, render).success(rendered).failure(failed).run()

    # ------------------------------------------------------------ the queue's dialogs
    def call_chosen(self) -> None:
        """Call the ticket selected in the queue before its turn, with a reason."""
        ws = self.ws
        if not self._may("chosen"):
            return
        t, code = ws.selected_waiting(), ws.window_code
        if code is None:
            return
        if t is None:
            ws.show_message(translate("WindowWorkspace", "请先在等候队列中选中要叫的号"), error=True)
            return
        dlg = CallChosenDialog(t, ws)
        db, actor = ws.db, ws.ctx.actor

        def chosen() -> None:
            reason = dlg.reason

            def done(v: TicketView) -> None:
                ws.state.take_current(v)
                ws.show_current()
                ws.show_message(translate("WindowWorkspace", "已叫指定号 {number}（原因：{reason}）")
                                .replace("{number}", v.number).replace("{reason}", reason))

            ws.act(lambda: queue.call_ticket(db, actor, code, t.id, reason), done)

        self.open_dialog(dlg, chosen)

    def returned(self) -> None:
        """A visitor marked 过号 here came back in time."""
        ws, code = self.ws, self.ws.window_code
        if code is None or not self._may("returned"):
            return
        db = ws.db

        def got(tickets: list) -> None:
            if self.dialog is not None or ws.stopped:
                return
            if not tickets:
                ws.show_message(translate("WindowWorkspace", "本窗口没有在规定时间内的过号，请群众重新取号"), error=True)
                return
            self._back_in_queue(ReturnedDialog(tickets, ws), queue.requeue_no_show,
                                translate("WindowWorkspace", "{number} 已重新排队，前面 {n} 人"))

        Op(ws, lambda: queue.recent_no_shows(db, code)).success(got).failure(ws.failed).run()

    def hold(self) -> None:
        """挂起: the current visitor, or (with nobody at the window) the one selected in the queue."""
        ws = self.ws
        if not self._may("hold"):
            return
        t = ws.state.hold_target(ws.selected_waiting())
        if t is None:
            ws.show_message(translate("WindowWorkspace", "请先在等候队列中选中要挂起的号"), error=True)
            return
        dlg = HoldDialog(t, ws)
        db, actor, seen = ws.db, ws.ctx.actor, t.status

        def chosen() -> None:
            reason = dlg.reason

            def done(v: TicketView) -> None:
                if ws.state.held_away(v):
                    ws.show_current()
                ws.show_message(translate("WindowWorkspace", "{number} 已挂起（{reason}），回来后点“取消挂起…”恢复排队")
                                .replace("{number}", v.number).replace("{reason}", reason))

            ws.act(lambda: queue.hold(db, actor, t.id, reason, expected_status=seen), done)

        self.open_dialog(dlg, chosen)

    def unhold(self) -> None:
        """取消挂起: a held visitor is back and waits again in their place."""
        ws = self.ws
        if not self._may("unhold") or not ws.held:
            return
        self._back_in_queue(UnholdDialog(ws.held, ws), queue.unhold,
                            translate("WindowWorkspace", "{number} 已恢复排队，前面 {n} 人"))

    def _back_in_queue(self, dlg: ReturnedDialog | UnholdDialog, call: Callable[..., TicketView],
                       text: str) -> None:
        """``dlg`` picks a visitor; ``call(db, actor, ticket_id)`` puts them back in the queue and
        ``text`` says where they now wait ({number}, {n} ahead)."""
        ws = self.ws
        db, actor = ws.db, ws.ctx.actor

        def chosen() -> None:
            tid = dlg.ticket_id
            if tid is None:
                return
            ws.act(lambda: call(db, actor, tid), lambda v: ws.show_message(
                text.replace("{number}", v.number).replace("{n}", str(v.ahead or 0))))

        self.open_dialog(dlg, chosen)

    # ------------------------------------------------------------ open, paused, closed
    def toggle_pause(self) -> None:
        state = self.ws.state.pause_target()
        if state is None or not self.ws.pause_button.isEnabled():
            return
        self._set_state(state)

    def toggle_open(self) -> None:
        state = self.ws.state.open_target()
        if state is None or not self.ws.open_button.isEnabled():
            return
        self._set_state(state)

    def _set_state(self, state: str) -> None:
        ws = self.ws
        db, actor, code = ws.db, ws.ctx.actor, ws.window_code
        if code is None:
            return

        def done(w: WindowView) -> None:
            ws.state.apply_window(w)
            ws.show_window()
            ws.show_message(shown(ws.state.state_message(state)))

        ws.act(lambda: queue.set_window_state(db, actor, code, state), done)
