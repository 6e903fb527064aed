"""The service window's dialogs: 转移, 叫指定号, 挂起, 取消挂起, 过号回来, 办结.

What each one asks (its title, its head line, the usual reasons, whether a
reason is required) is decided without Qt in ``ui.window.state`` (:class:`Ask`);
:class:`TicketDialog` lays it out the same way for all of them, and
``ui.window.actions`` opens them and acts on the answer.
"""
from __future__ import annotations

from hall.domain.queue import DEFAULT_OUTCOME, OUTCOMES
from hall.services import queue
from hall.services.views import TicketView
from ui.common import palette
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSize,
    QVBoxLayout,
    QWidget,
    translate,
)
from ui.window.panels import bigger, shown
from ui.window.state import (
    Ask,
    Service,
    chosen_ask,
    finish_ask,
    hold_ask,
    returned_ask,
    transfer_ask,
    transfer_targets,
    unhold_ask,
)


class TicketDialog(QDialog):
    """One dialog of the desk: the head line of its :class:`Ask`, a form, the
    note, and OK (named after the action) with 取消. A subclass makes the fields
    of its form and hands them to :meth:`lay_out`."""

    #: The style of the note under the form, in ``palette.style`` terms (``None``: as the dialog's text).
    NOTE_STYLE: str | None = None
    MIN_WIDTH = 420

    def __init__(self, ask: Ask, parent: QWidget | None = None):
        super().__init__(parent)
        self.ask = ask
        self.setWindowTitle(shown(ask.title))

    def reason_combo(self, object_name: str, max_length: int, placeholder: str) -> QComboBox:
        """An editable list of the usual reasons of the :class:`Ask`, empty at first."""
        box = QComboBox()
        box.setObjectName(object_name)
        box.setEditable(True)
        box.addItem("")
        for r in self.ask.reasons:
            box.addItem(shown(r))
        edit = box.lineEdit()
        assert edit is not None          # an editable combo box has its line edit
        edit.setMaxLength(max_length)
        edit.setPlaceholderText(placeholder)
        return box

    def lay_out(self, rows: list[tuple[str, QWidget]]) -> None:
        """The head line, ``rows`` as a form, the note and the buttons, top to bottom."""
        lay = QVBoxLayout(self)
        if self.ask.head is not None:
            head = QLabel(shown(self.ask.head))
            bigger(head, 1.15, bold=True)
            lay.addWidget(head)
        form = QFormLayout()
        for label, widget in rows:
            form.addRow(label, widget)
        lay.addLayout(form)
        if self.ask.note is not None:
            note = QLabel(shown(self.ask.note))
            note.setWordWrap(True)
            if self.NOTE_STYLE is not None:
                note.setStyleSheet(palette.style(self.NOTE_STYLE))
            lay.addWidget(note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(shown(self.ask.action))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("TicketDialog", "取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def fit(self) -> None:
        """At least :attr:`MIN_WIDTH` wide, as tall as its contents want."""
        self.setMinimumSize(self.sizeHint().expandedTo(QSize(self.MIN_WIDTH, 0)))


class TransferDialog(TicketDialog):
    """转移: to which service, and why (the reason is kept with both tickets)."""

    NOTE_STYLE = "color: {muted};"

    def __init__(self, ticket: TicketView, services: list[Service], parent: QWidget | None = None):
        super().__init__(transfer_ask(ticket), parent)
        self.ticket = ticket
        self.service_box = QComboBox()
        self.service_box.setObjectName("transferService")
        for svc in transfer_targets(ticket, services):
            self.service_box.addItem(f"{svc.name}（{svc.prefix}）", svc.code)
        self.reason_box = self.reason_combo("transferReason", 200, self.tr("选择或填写转移原因"))
        self.print_box = QCheckBox(self.tr("在本窗口打印新号票交给群众"))
        self.print_box.setObjectName("transferPrint")
        self.print_box.setChecked(True)
        self.print_box.setToolTip(self.tr("新号票上注明原号；叫号屏和语音也会同时报出原号"))
        self.lay_out([(self.tr("转往业务"), self.service_box), (self.tr("转移原因"), self.reason_box),
                      ("", self.print_box)])
        self.fit()

    def choice(self) -> tuple[str, str]:
        return self.service_box.currentData(), self.reason_box.currentText().strip()

    @property
    def print_new_ticket(self) -> bool:
        return self.print_box.isChecked()


class _ReasonDialog(TicketDialog):
    """One ticket, one action that needs a reason (it goes into the audit log):
    an editable list of usual reasons, and the action button stays off until a
    reason is given."""

    def __init__(self, ask: Ask, ticket: TicketView, *, object_name: str, max_length: int,
                 parent: QWidget | None = None):
        super().__init__(ask, parent)
        self.ticket = ticket
        self.reason_box = self.reason_combo(object_name, max_length,
                                            translate("TicketDialog", "必须填写原因（记入操作日志）"))
        self.reason_box.currentTextChanged.connect(self._check)
        self.lay_out([(translate("TicketDialog", "原因"), self.reason_box)])
        self._check()
        self.fit()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.ask.accepts(self.reason))

    @property
    def reason(self) -> str:
        return self.reason_box.currentText().strip()


class _PickTicketDialog(TicketDialog):
    """Choose one of the tickets of the :class:`Ask` (the returned 过号, the held
    ones) to put back in the queue."""

    def __init__(self, ask: Ask, *, object_name: str, parent: QWidget | None = None):
        super().__init__(ask, parent)
        self.ticket_box = QComboBox()
        self.ticket_box.setObjectName(object_name)
        for label, ticket_id in ask.items:
            self.ticket_box.addItem(shown(label), ticket_id)
        self.lay_out([(shown(ask.label) if ask.label is not None else "", self.ticket_box)])
        self.fit()

    @property
    def ticket_id(self) -> int | None:
        return self.ticket_box.currentData()


class CallChosenDialog(_ReasonDialog):
    """叫指定号: call the selected ticket before its turn; the reason is audited."""

    def __init__(self, ticket: TicketView, parent: QWidget | None = None):
        super().__init__(chosen_ask(ticket), ticket, object_name="chosenReason", max_length=200, parent=parent)


class HoldDialog(_ReasonDialog):
    """挂起: the visitor steps away; their ticket is not called until taken off hold."""

    def __init__(self, ticket: TicketView, parent: QWidget | None = None):
        super().__init__(hold_ask(ticket), ticket, object_name="holdReason", max_length=queue.HOLD_REASON_MAX,
                         parent=parent)


class ReturnedDialog(_PickTicketDialog):
    """过号回来: a visitor marked 过号 here is back in time; they wait again in their place."""

    MIN_WIDTH = 400

    def __init__(self, tickets: list[TicketView], parent: QWidget | None = None):
        super().__init__(returned_ask(tickets), object_name="returnedTicket", parent=parent)


class UnholdDialog(_PickTicketDialog):
    """取消挂起: a held visitor is back; they wait again in their place."""

    def __init__(self, tickets: list[TicketView], parent: QWidget | None = None):
        super().__init__(unhold_ask(tickets), object_name="heldTicket", parent=parent)


class FinishDialog(TicketDialog):
    """办结: how the visit ended (``OUTCOMES``), 当场办结 preselected unless ``preset`` says otherwise."""

    MIN_WIDTH = 380

    def __init__(self, ticket: TicketView, parent: QWidget | None = None, *,
                 preset: tuple[str, str] | None = None):
        super().__init__(finish_ask(ticket), parent)
        outcome, note = preset or (DEFAULT_OUTCOME, "")
        self.outcome_box = QComboBox()
        self.outcome_box.setObjectName("finishOutcome")
        for code, o in OUTCOMES.items():
            self.outcome_box.addItem(translate("Outcomes", o.label), code)
        self.outcome_box.setCurrentIndex(self.outcome_box.findData(outcome))
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("finishNote")
        self.note_edit.setMaxLength(500)
        self.note_edit.setPlaceholderText(self.tr("可选：办理情况简要说明"))
        self.note_edit.setText(note)
        self.lay_out([(self.tr("办结结果"), self.outcome_box), (self.tr("备注"), self.note_edit)])
        self.fit()

    def choice(self) -> tuple[str, str]:
        return self.outcome_box.currentData(), self.note_edit.text().strip()
