"""The front desk's visitor lookup: find a returning visitor, merge duplicates.

The lookup box on the visitor panel finds returning visitors as the clerk
types (name, ID number, phone, pinyin); the list takes the card's place, with
the current visitor's earlier visits and open cases under it. 选用 fills the
panel with the visitor chosen; 合并 (two clicks) merges duplicate records of
one person. Before a ticket makes a new visitor record, the workspace has the
records it may duplicate listed here (:meth:`VisitorLookup.offer_existing`):
choosing one of them asks for the waiting ticket (``issueRequested``).

What the lookup decides without Qt is in :mod:`ui.frontdesk.lookup_state`;
every database call runs off the UI thread.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from hall.services import HallError, visitors
from ui.common.context import AppContext
from ui.common.errors import report_error
from ui.common.ops import GuardedOp
from ui.common.texts import Text, joined
from ui.frontdesk.lookup_state import (
    LookupState,
    can_merge,
    choose_button_text,
    existing_text,
    fill_for,
    history_title,
    hit_to_choose,
    merge_button_text,
    merge_plan,
    merge_question,
    merged_text,
    outlook_line,
    searching_text,
    selected,
)
from ui.frontdesk.panels import VisitorPanel
from ui.frontdesk.state import LOOKUP_LIMIT, lookup_status, returning_text
from ui.qt import QEvent, QKeyEvent, QObject, Qt, QTimer, QWidget, Signal, translate

log = logging.getLogger(__name__)

LOOKUP_DEBOUNCE_MS = 250


def shown(text: Text) -> str:
    return text.shown(translate)


class VisitorLookup(QObject):
    """The lookup list on the visitor panel, and the returning visitor chosen from it."""

    #: A service that waited on the clerk's choice of an existing record: issue it now.
    issueRequested = Signal(str)

    def __init__(self, ctx: AppContext, panel: VisitorPanel, owner: QWidget,
                 op: Callable[[Callable[[], Any]], GuardedOp]):
        super().__init__(owner)
        self.ctx = ctx
        self.panel = panel
        self.owner = owner       # the workspace: errors are reported over it
        self._op = op
        self.state = LookupState()
        self.chosen_visitor: visitors.VisitorHit | None = None
        p = panel
        p.lookup_edit.textEdited.connect(self._lookup_edited)
        p.lookup_edit.installEventFilter(self)
        p.unlink_button.clicked.connect(self.forget_visitor)
        p.lookup_view.doubleClicked.connect(lambda _index: self.choose_current_hit())
        p.lookup_view.selectionModel().currentRowChanged.connect(self._hit_changed)
        p.lookup_view.selectionModel().selectionChanged.connect(lambda *_: self._merge_reset())
        p.merge_button.clicked.connect(self.merge_selected)
        p.choose_button.clicked.connect(self.choose_current_hit)

    # ------------------------------------------------------------ searching
    def is_open(self) -> bool:
        """The lookup list is in the card's place."""
        return self.panel.stack.currentIndex() == 1

    def focus(self) -> None:
        self.panel.lookup_edit.setFocus()
        self.panel.lookup_edit.selectAll()

    def stop(self) -> None:
        """No answer asked for so far is wanted any more (the desk closes)."""
        self.state.next_lookup()

    def _lookup_edited(self, text: str) -> None:
        p = self.panel
        seq = self.state.next_lookup()
        if self.state.end_offer():      # a search of their own ends the check
            p.choose_button.setText(shown(choose_button_text(False)))
            self._pending_buttons(False)
        if not text.strip():
            self.close(keep_text=True)
            return
        p.stack.setCurrentIndex(1)
        p.lookup_status.setText(shown(searching_text()))
        QTimer.singleShot(LOOKUP_DEBOUNCE_MS, partial(self._run_lookup, seq))

    def _run_lookup(self, seq: int) -> None:
        if not self.state.wanted(seq):
            return  # typed on since: a later timer will run
        query = self.panel.lookup_edit.text()
        db, actor = self.ctx.db, self.ctx.actor
        self._op(lambda: visitors.lookup(db, actor, query, limit=LOOKUP_LIMIT)).success(
            partial(self._lookup_done, seq)).failure(partial(self._lookup_failed, seq)).run()

    def _lookup_done(self, seq: int, hits: list) -> None:
        if not self.state.wanted(seq):
            return
        p = self.panel
        p.lookup_model.set_rows(hits)
        p.history_model.set_rows([])
        p.lookup_status.setText(shown(lookup_status(len(hits), LOOKUP_LIMIT)))
        if not hits:
            return
        p.lookup_view.setCurrentIndex(p.lookup_model.index(0, 0))

    def _lookup_failed(self, seq: int, exc: BaseException) -> None:
        if not self.state.wanted(seq):
            return
        if isinstance(exc, HallError):
            self.panel.lookup_status.setText(str(exc))
        else:
            self.panel.lookup_status.setText(translate("FrontDeskWorkspace", "查找失败，请稍后重试"))
            report_error(exc, self.owner)

    # ------------------------------------------------------- earlier visits
    def _hit_changed(self, current, _previous) -> None:
        p = self.panel
        hit = p.lookup_model.row_at(current.row()) if current.isValid() else None
        seq = self.state.next_history()
        p.history_model.set_rows([])
        if hit is None:
            return
        p.history_title.setText(shown(history_title(hit)))
        db, actor = self.ctx.db, self.ctx.actor
        self._op(lambda: visitors.history(db, actor, hit.id)).success(
            partial(self._history_done, seq)).failure(lambda exc: log.warning("history: %s", exc)).run()

    def _history_done(self, seq: int, hist: visitors.VisitorHistory) -> None:
        if self.state.history_wanted(seq):
            self.panel.history_model.set_rows(hist.tickets)
            self._show_outlook(seq, hist.visitor)

    def _show_outlook(self, seq: int, hit: visitors.VisitorHit) -> None:
        """The visitor's open cases and coming sittings, after the name in the history title."""
        from hall.services import cases

        db, actor, title = self.ctx.db, self.ctx.actor, self.panel.history_title
        base = title.text()

        def show(outlook) -> None:
            line = outlook_line(outlook)
            if not self.state.history_wanted(seq) or line is None:
                return
            title.setText(base + "\n" + joined(line, translate))
            title.setWordWrap(True)

        self._op(lambda: cases.visitor_outlook(db, actor, hit.id)).success(show).failure(
            lambda exc: log.warning("outlook: %s", exc)).run()

    # -------------------------------------------------------------- merging
    def selected_hits(self) -> list:
        p = self.panel
        return selected(p.lookup_model.rows, [i.row() for i in p.lookup_view.selectionModel().selectedRows()])

    def _merge_reset(self) -> None:
        self.state.merge_armed = False
        self.panel.merge_button.setText(shown(merge_button_text(False)))
        self.panel.merge_button.setEnabled(can_merge(self.selected_hits()))

    def merge_selected(self) -> None:
        """Two clicks: the first says what will happen, the second merges into the current row."""
        p = self.panel
        index = p.lookup_view.currentIndex()
        current = p.lookup_model.row_at(index.row()) if index.isValid() else None
        plan = merge_plan(self.selected_hits(), current)
        if plan is None:
            return
        if self.state.arm_merge():
            p.merge_button.setText(shown(merge_button_text(True)))
            p.lookup_status.setText(shown(merge_question(plan)))
            return
        db, actor = self.ctx.db, self.ctx.actor
        p.merge_button.setEnabled(False)

        def done(result) -> None:
            self._merge_reset()
            p.lookup_status.setText(shown(merged_text(result)))
            self._run_lookup(self.state.next_lookup())

        def failed(exc: BaseException) -> None:
            self._merge_reset()
            p.lookup_status.setText(str(exc) if isinstance(exc, HallError)
                                    else translate("FrontDeskWorkspace", "合并失败，请重试"))
            if not isinstance(exc, HallError):
                report_error(exc, self.owner)

        self._op(lambda: visitors.merge(db, actor, plan.keep.id, plan.other_ids)).success(done).failure(
            failed).run()

    # ------------------------------------------------------------- choosing
    def choose_current_hit(self) -> None:
        p = self.panel
        index = p.lookup_view.currentIndex()
        hit = hit_to_choose(p.lookup_model.rows, index.row() if index.isValid() else None)
        if hit is None:
            return
        service = self.state.pending_service
        if service is None:
            self.choose_visitor(hit, list(p.history_model.rows))
            return
        typed = (p.id_edit.text(), p.phone_edit.text())   # what was typed stays (it updates the record)
        self.choose_visitor(hit, list(p.history_model.rows))
        p.id_edit.setText(typed[0])
        p.phone_edit.setText(typed[1])
        self.issueRequested.emit(service)

    def choose_visitor(self, hit: visitors.VisitorHit, earlier: list | None = None) -> None:
        """Fill the panel with a returning visitor (masked numbers stay out of the fields)."""
        p = self.panel
        fill = fill_for(hit)
        self.chosen_visitor = hit
        p.name_edit.setText(fill.name)
        p.id_edit.clear()
        p.phone_edit.clear()
        if fill.id_number:
            p.id_edit.setText(fill.id_number)
        elif fill.id_placeholder is not None:
            p.id_edit.setPlaceholderText(shown(fill.id_placeholder))
        if fill.phone_placeholder is not None:
            p.phone_edit.setPlaceholderText(shown(fill.phone_placeholder))
        p.returning_text.setText(joined(returning_text(hit, earlier), translate))
        p.returning.show()
        self.close()
        p.demand_edit.setFocus()

    def forget_visitor(self) -> None:
        """不是此人: the panel is for a new visitor again."""
        p = self.panel
        self.chosen_visitor = None
        p.returning.hide()
        p.id_edit.setPlaceholderText(translate("FrontDeskWorkspace", "18 位居民身份证号（可不填）"))
        p.phone_edit.setPlaceholderText(translate("FrontDeskWorkspace", "手机或固定电话（可不填）"))

    # ------------------------------------------- before a new visitor record
    def offer_existing(self, service: str, hits: list) -> None:
        """The records a new visitor may duplicate, listed for the clerk to choose
        one (``service`` is then issued for it) or say it is someone new."""
        p = self.panel
        self.state.offer(service)
        p.stack.setCurrentIndex(1)
        p.lookup_model.set_rows(hits)
        p.history_model.set_rows([])
        p.lookup_status.setText(shown(existing_text(len(hits))))
        p.choose_button.setText(shown(choose_button_text(True)))
        self._pending_buttons(True)
        p.lookup_view.setCurrentIndex(p.lookup_model.index(0, 0))
        self._hit_changed(p.lookup_model.index(0, 0), None)     # their visits, to tell them apart
        p.lookup_view.setFocus()

    @property
    def pending_service(self) -> str | None:
        """The service waiting on the clerk's choice of an existing record."""
        return self.state.pending_service

    def _pending_buttons(self, pending: bool) -> None:
        """While the clerk checks for an existing record: 新建 and 选用 take the row."""
        self.panel.new_visitor_button.setVisible(pending)
        self.panel.merge_button.setVisible(not pending)
        self.panel.choose_help.setVisible(not pending)

    def close(self, keep_text: bool = False) -> None:
        """The card again in the list's place."""
        p = self.panel
        self.state.close()
        p.choose_button.setText(shown(choose_button_text(False)))
        self._pending_buttons(False)
        if not keep_text:
            p.lookup_edit.clear()
        p.lookup_model.set_rows([])
        p.history_model.set_rows([])
        p.lookup_status.setText("")
        p.stack.setCurrentIndex(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """↑↓ move in the list and Enter chooses, while the clerk types in the lookup box."""
        p = self.panel
        if watched is p.lookup_edit and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and self.is_open():
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and p.lookup_model.rows:
                row = p.lookup_view.currentIndex().row()
                row = max(0, min(len(p.lookup_model.rows) - 1, row + (1 if key == Qt.Key.Key_Down else -1)))
                p.lookup_view.setCurrentIndex(p.lookup_model.index(row, 0))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.choose_current_hit()
                return True
        return super().eventFilter(watched, event)
