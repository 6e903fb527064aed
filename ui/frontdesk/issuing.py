"""The front desk's tickets: issue one for the visitor on the panel, print it, print it again.

Issuing checks the panel (``ui.frontdesk.state.collect``), has the records a
new visitor may duplicate listed first (``ui.frontdesk.lookup``), asks the
clerk when the ID number is known under another name, and renders the ticket's
PDF in the same background call, so "button to ticket ready" is one round
trip; printing and saving happen afterwards and can never undo an issued
ticket. A ticket checked in from an appointment is shown and printed here too.

What this decides without Qt is in :mod:`ui.frontdesk.issue_state`.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from hall.domain.clock import to_local
from hall.domain.queue import PriorityReason
from hall.services import HallError, InvalidInput, queue, satisfaction, visitors
from hall.services.views import TicketView
from ui.common.context import AppContext
from ui.common.errors import report_error
from ui.common.ops import GuardedOp
from ui.common.printing import PrintResult, TicketPrinter
from ui.common.texts import Text, joined
from ui.common.validation import translated
from ui.frontdesk.issue_state import (
    KEEP_RECORDED,
    USE_TYPED,
    IssueState,
    check_existing_first,
    failed_field,
    name_mismatch,
    not_issued_because,
    not_issued_unexpectedly,
    not_rendered,
    print_failed,
    reprinted,
    still_not_rendered,
    ticket_stem,
)
from ui.frontdesk.lookup import VisitorLookup
from ui.frontdesk.panels import ResultPanel, ServiceButton, VisitorPanel, _repolish
from ui.frontdesk.state import (
    FrontDeskState,
    collect,
    needs_existing_check,
    not_issued,
    print_state,
    ticket_detail,
    ticket_headline,
)
from ui.qt import QMessageBox, QObject, QTimer, QWidget, Signal, translate

log = logging.getLogger(__name__)


def shown(text: Text) -> str:
    return text.shown(translate)


class Desk(Protocol):
    """What issuing reads from the desk and asks of it."""

    service_buttons: dict[str, ServiceButton]
    centre_name: str

    def priority(self) -> PriorityReason | None: ...

    def today(self) -> dt.date: ...

    def clear_panel(self) -> None: ...

    def refresh_counts(self) -> None: ...


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


class TicketIssuing(QObject):
    """Issuing, printing and reprinting the desk's tickets, and the result panel that shows them."""

    ticketIssued = Signal(object)   # TicketView, once the number is on screen
    ticketPrinted = Signal(object)  # PrintResult of the last print or reprint

    def __init__(self, ctx: AppContext, desk: Desk, owner: QWidget, printer: TicketPrinter,
                 desk_state: FrontDeskState, visitor_panel: VisitorPanel, result_panel: ResultPanel,
                 lookup: VisitorLookup, op: Callable[[Callable[[], Any]], GuardedOp]):
        super().__init__(owner)
        self.ctx = ctx
        self.desk = desk
        self.owner = owner           # dialogs open over it; errors are reported over it
        self.printer = printer
        self.desk_state = desk_state
        self.panel = visitor_panel
        self.result_panel = result_panel
        self.lookup = lookup
        self._op = op
        self.state = IssueState()
        self.last_timing: dict[str, float] = {}
        self.last_print: PrintResult | None = None
        self.name_choice_box: QMessageBox | None = None
        self._click_at = 0.0
        visitor_panel.recent_view.doubleClicked.connect(self._recent_double_clicked)
        visitor_panel.new_visitor_button.clicked.connect(self.issue_as_new_visitor)
        result_panel.reprint_button.clicked.connect(lambda: self.reprint())
        lookup.issueRequested.connect(self.issue)

    def window_hint(self, service: str) -> str | None:
        hint = self.desk_state.window_hint(service)
        return shown(hint) if hint is not None else None

    # ---------------------------------------------------------------- issue
    def _collect(self) -> dict | None:
        """The panel as issue_ticket arguments, or ``None`` after showing what is wrong."""
        p = self.panel
        result = collect(name=p.name_edit.text(), id_number=p.id_edit.text(), phone=p.phone_edit.text(),
                         priority=self.desk.priority(), note=p.demand_edit.text(),
                         notice_consent=p.notice_check.isChecked(), today=self.desk.today())
        if result.fields is not None:
            return result.fields
        fields = {"id_number": (p.id_hint, p.id_edit), "phone": (p.phone_hint, p.phone_edit)}
        for key, message in result.problems:
            hint, edit = fields[key]
            hint.show_error(message)
            _repolish(edit, invalid=True)
        fields[result.problems[0][0]][1].setFocus()
        self.show_error(shown(not_issued(result.problems, translated)))
        return None

    def issue(self, service: str) -> None:
        """Issue a ticket of ``service`` for the visitor on the panel, then print it."""
        if self.state.busy or service not in self.desk.service_buttons:
            return
        refusal = self.desk_state.refusal(service)
        if refusal is not None:
            self.show_error(shown(refusal))
            return
        fields = self._collect()
        if fields is None:
            return
        if needs_existing_check(fields, chosen=self.lookup.chosen_visitor is not None,
                                confirmed_new=self.state.confirmed_new):
            self._check_existing(service, fields)
            return
        self.state.confirmed_new = False
        self._issue_now(service, fields)

    def _check_existing(self, service: str, fields: dict) -> None:
        """Before a new visitor record is made: the records these details may
        duplicate, shown for the clerk to choose one or say it is someone new."""
        self.state.busy = True
        db, actor = self.ctx.db, self.ctx.actor
        name, phone, idn = fields["name"], fields["phone"], fields["id_number"]

        def found(hits: list) -> None:
            self.state.busy = False
            if hits:
                self.lookup.offer_existing(service, hits)
                self.show_error(shown(check_existing_first()))
            else:
                self._issue_now(service, fields)

        def failed(exc: BaseException) -> None:
            self.state.busy = False
            self._issue_failed(exc)

        self._op(lambda: visitors.similar_visitors(db, actor, name, phone, idn)).success(found).failure(failed).run()

    def panel_cleared(self) -> None:
        """The panel is for the next visitor: a "new visitor" said for the last one no longer holds."""
        self.state.confirmed_new = False

    def issue_as_new_visitor(self) -> None:
        """None of the listed records is this visitor: a new record, then the ticket."""
        service = self.lookup.pending_service
        if service is None:
            return
        self.lookup.close()
        self.state.confirmed_new = True
        self.issue(service)

    def _issue_now(self, service: str, fields: dict) -> None:
        self.state.busy = True
        self._click_at = time.perf_counter()
        self.result_panel.show_busy(self.desk.service_buttons[service].info.name)
        chosen = self.lookup.chosen_visitor
        visitor_id = chosen.id if chosen is not None else None
        self.state.last_service = service
        fields = self.state.take_name_choice(fields)
        job = partial(_issue_and_render, self.ctx, self.printer, service, visitor_id, fields,
                      self.desk.centre_name, self.window_hint(service))
        self._op(job).success(self._issued).failure(self._issue_failed).finally_(self._issue_done).run()

    def _issue_done(self) -> None:
        self.state.busy = False

    def _issue_failed(self, exc: BaseException) -> None:
        if isinstance(exc, queue.NameMismatch):
            self._ask_name_choice(exc)
            return
        if isinstance(exc, HallError):
            message = str(exc)
            field = failed_field(message) if isinstance(exc, InvalidInput) else None
            if field == "id_number":
                self.panel.id_hint.show_error(message)
                _repolish(self.panel.id_edit, invalid=True)
            elif field == "phone":
                self.panel.phone_hint.show_error(message)
                _repolish(self.panel.phone_edit, invalid=True)
            self.show_error(shown(not_issued_because(translated(message))))
        else:
            self.show_error(shown(not_issued_unexpectedly()))
            report_error(exc, self.owner)

    def _ask_name_choice(self, exc: queue.NameMismatch) -> None:
        """The ID number is known under another name: show both, the clerk chooses."""
        ask = name_mismatch(exc.details["recorded_name"], exc.details["typed_name"])
        self.show_error(shown(ask.line))
        box = QMessageBox(QMessageBox.Icon.Question, shown(ask.title), shown(ask.question),
                          QMessageBox.StandardButton.NoButton, self.owner)
        keep = box.addButton(shown(ask.keep), QMessageBox.ButtonRole.AcceptRole)
        rename = box.addButton(shown(ask.rename), QMessageBox.ButtonRole.DestructiveRole)
        back = box.addButton(shown(ask.back), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        service = self.state.last_service

        def chosen(button) -> None:
            self.name_choice_box = None
            choice = {keep: KEEP_RECORDED, rename: USE_TYPED}.get(button)
            if choice is None:
                self.panel.id_edit.setFocus()
                return
            self.state.name_choice = choice
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
        self.desk_state.issued(view, outcome.pdf)
        self.panel.recent_model.set_rows(self.desk_state.recent)
        self.show_ticket(view)
        self.result_panel.reprint_button.setEnabled(True)
        self.desk.clear_panel()
        self.desk.refresh_counts()
        self.ticketIssued.emit(view)
        if outcome.pdf is None:
            self._show_print(PrintResult("failed", shown(not_rendered(outcome.pdf_error))))
            return
        self.result_panel.show_printing()
        # Let the number paint first: a print dialog is modal.
        QTimer.singleShot(0, partial(self._print, view, outcome.pdf))

    def checked_in(self, view: TicketView) -> None:
        """An appointment checked in: its ticket on the result panel, and printed."""
        self.desk_state.issued(view, None)
        self.panel.recent_model.set_rows(self.desk_state.recent)
        self.show_ticket(view)
        self.result_panel.reprint_button.setEnabled(True)
        self.desk.refresh_counts()
        self.ticketIssued.emit(view)
        self.result_panel.show_printing()
        printer, name, hint = self.printer, self.desk.centre_name, self.window_hint(view.service)
        ctx = self.ctx
        self._op(lambda: printer.render(view, name, hint, _rating_code(ctx, view))).success(
            lambda pdf: self._checked_in_rendered(view, pdf)).failure(
            lambda exc: self._show_print(PrintResult("failed", shown(not_rendered(exc))))).run()

    def _checked_in_rendered(self, view: TicketView, pdf: bytes) -> None:
        self.desk_state.rendered(view, pdf)
        self._print(view, pdf)

    # ---------------------------------------------------------- the result
    def show_ticket(self, view: TicketView) -> None:
        parts = ticket_detail(view, to_local(view.issued_at).strftime("%H:%M"),
                              self.desk_state.window_hint(view.service))
        self.result_panel.show_ticket(view.number, shown(ticket_headline(view)), joined(parts, translate, " · "))

    def show_error(self, message: str) -> None:
        self.result_panel.show_error(message)

    # ------------------------------------------------------------- printing
    def _print(self, view: TicketView, pdf: bytes, reprint: bool = False) -> None:
        preview = not self.ctx.workstation.printer
        try:
            result = self.printer.print_pdf(pdf, self.owner, preview=preview, stem=ticket_stem(view))
        except Exception as exc:  # never let paper undo a ticket
            log.warning("printing failed", exc_info=True)
            result = PrintResult("failed", shown(print_failed(exc)))
        if reprint:
            result = PrintResult(result.outcome, joined(reprinted(view.number, result.message), translate),
                                 result.path, result.printer)
        self._show_print(result)

    def _show_print(self, result: PrintResult) -> None:
        self.last_print = result
        self.result_panel.show_print(result.message, print_state(result.outcome))
        self.ticketPrinted.emit(result)

    def _recent_double_clicked(self, index) -> None:
        view = self.panel.recent_model.row_at(index.row())
        if view is not None:
            self.reprint(view)

    def reprint(self, view: TicketView | None = None) -> None:
        """Print a ticket again (重打): the last one unless told which.

        The last ticket's PDF is kept; another (or one that failed to render)
        is rendered anew, off the UI thread.
        """
        view = view or self.desk_state.last_ticket
        if view is None or self.state.busy:
            return
        kept = self.desk_state.kept_pdf(view)
        if kept is not None:
            self._print(view, kept, reprint=True)
            return
        printer, name, hint = self.printer, self.desk.centre_name, self.window_hint(view.service)
        ctx = self.ctx
        self._op(lambda: printer.render(view, name, hint, _rating_code(ctx, view))).success(
            lambda pdf: self._reprint_rendered(view, pdf)).failure(
            lambda exc: self._show_print(PrintResult("failed", shown(still_not_rendered(exc))))).run()

    def _reprint_rendered(self, view: TicketView, pdf: bytes) -> None:
        self.desk_state.rendered(view, pdf)
        self._print(view, pdf, reprint=True)
