"""Pieces shared by the parts of the mediator's workspace: the look, the
message strip that shows refusals inline, tables, and time formatting."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from hall.domain.clock import to_local
from hall.services import HallError
from ui.common import palette
from ui.common.errors import user_message
from ui.common.tablemodel import RowsModel
from ui.common.tables import list_table
from ui.qt import (
    QButtonGroup,
    QFont,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSize,
    QSplitter,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("ui.mediation.workspace")

STYLE = palette.style("""
QWidget#mediatorWorkspace { background: {page}; }
QFrame#card { background: {surface}; border: 1px solid {border}; border-radius: 8px; }
QLabel#cardTitle { color: {heading}; font-weight: bold; }
QLabel#muted { color: {muted}; }
QLabel#caseNumber { color: {heading}; }
QLabel#caseMeta { color: {text_secondary}; }
QLabel#stateChip { border-radius: 10px; padding: 3px 12px; color: {on_accent}; font-weight: bold; }
QLabel#messageStrip { border-radius: 6px; padding: 8px 12px; }
QLabel#messageStrip[kind="error"] { background: {overdue_tint}; color: {error_text}; border: 1px solid {error_border}; }
QLabel#messageStrip[kind="info"] { background: {success_bg}; color: {success}; border: 1px solid {success_border}; }
QLabel[state="ok"] { color: {success}; }
QLabel[state="busy"] { color: {muted}; }
QLabel[state="warn"] { color: {warning_text}; }
QLabel[state="error"] { color: {danger}; font-weight: bold; }
QLabel#fieldLabel { color: {muted}; }
QLabel#minutesHeading { color: {text_secondary}; font-weight: bold; padding-top: 4px; }
QWidget#minutesBody { background: {surface}; }
QLabel#fieldValue { color: {text}; }
QLabel#capitals[state="ok"] { color: {heading}; font-weight: bold; }
QLabel#capitals[state="hint"] { color: {faint}; }
QLabel#capitals[state="error"] { color: {danger}; font-weight: normal; }
QLabel#previewPage { background: {surface}; border: 1px solid {preview_border}; }
QLabel#emptyHint { color: {faint}; }
QTabWidget::pane { border: 1px solid {border}; border-radius: 6px; background: {surface}; top: -1px; }
QTabBar::tab { padding: 7px 16px; }
QTabBar::tab:selected { color: {heading}; font-weight: bold; }
QPushButton { padding: 5px 12px; }
QPushButton#primary { background: {accent}; color: {on_accent}; font-weight: bold; border: none; border-radius: 5px;
                      padding: 6px 14px; }
QPushButton#primary:disabled { background: {accent_disabled}; color: {on_disabled}; }
QPushButton#danger:enabled { color: {danger}; }
QLineEdit, QPlainTextEdit, QComboBox, QDateEdit { padding: 3px 6px; }
QTableView { background: {surface}; gridline-color: {page}; selection-background-color: {selection};
             selection-color: {heading}; }
QHeaderView::section { background: {header_bg}; border: none; border-bottom: 1px solid {border}; padding: 4px 6px;
                       color: {text_secondary}; }
""")

#: Colour of the case's state chip.
STATE_COLOURS = {"registered": palette.SUBTLE, "accepted": palette.INFO, "mediating": palette.ACCENT,
                 "agreement": palette.SUCCESS, "failed": palette.WARNING, "transferred": palette.TRANSFERRED,
                 "closed": palette.CLOSED}
AGREEMENT_COLOURS = {"draft": palette.SUBTLE, "signing": palette.WARNING, "effective": palette.SUCCESS,
                     "superseded": palette.FAINT}


def hm(moment: dt.datetime | None) -> str:
    return "" if moment is None else f"{to_local(moment):%H:%M}"


def hms(moment: dt.datetime | None) -> str:
    return "" if moment is None else f"{to_local(moment):%H:%M:%S}"


def ymd_hm(moment: dt.datetime | None) -> str:
    return "" if moment is None else f"{to_local(moment):%Y-%m-%d %H:%M}"


def bigger(widget: QWidget, factor: float, bold: bool = False) -> None:
    f = QFont(widget.font())
    f.setPointSizeF(max(6.0, f.pointSizeF() * factor))
    f.setBold(bold)
    widget.setFont(f)


def repolish(widget: QWidget, **props) -> None:
    """Set dynamic properties the style sheet keys on, and apply them."""
    for k, v in props.items():
        widget.setProperty(k, v)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def error_text(exc: BaseException) -> str:
    """A refusal as its own sentence; anything else as the general message (and logged)."""
    if isinstance(exc, HallError):
        log.info("refused: %s", exc)
        return str(exc)
    log.error("mediator workspace: %s", exc, exc_info=exc)
    return user_message(exc)[1]


def table(model: RowsModel, widths: list[int] | None = None, stretch: int | None = None) -> QTableView:
    """A read-only, row-selecting table with fixed row height (no ResizeToContents)."""
    return list_table(model, widths or (), stretch=stretch, row_height=28, compact=False)


def card(title: str = "") -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(12, 10, 12, 10)
    lay.setSpacing(8)
    if title:
        label = QLabel(title)
        label.setObjectName("cardTitle")
        lay.addWidget(label)
    return frame, lay


class VScroll(QScrollArea):
    """A page that scrolls up and down only: it asks for its content's whole
    width, so a splitter or layout never cuts the content off at the right;
    on a screen too low for the content it scrolls instead of squeezing it."""

    def __init__(self, content: QWidget, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        content = self.widget()
        inner = content.minimumSizeHint() if content is not None else QSize(0, 0)
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar + 2 * self.frameWidth(), min(inner.height(), 120))

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(max(hint.width(), self.minimumSizeHint().width()), hint.height())


def panes(first: QWidget, second: QWidget, stretch: tuple[int, int], sizes: list[int] | None = None, *,
          vertical: bool = False, name: str = "") -> QSplitter:
    """Two panes side by side (one above the other when ``vertical``), resized by the user
    but never folded away: ``stretch`` shares out extra room, ``sizes`` is where they start."""
    split = QSplitter(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
    if name:
        split.setObjectName(name)
    split.addWidget(first)
    split.addWidget(second)
    split.setStretchFactor(0, stretch[0])
    split.setStretchFactor(1, stretch[1])
    split.setChildrenCollapsible(False)
    if sizes:
        split.setSizes(sizes)
    return split


def choice_buttons(owner: QWidget, layout: QLayout, choices: Iterable[tuple[str, str]], *, name: str,
                   prop: str, chosen: Callable[[str], object]) -> tuple[QButtonGroup, dict[str, QPushButton]]:
    """A checkable button for each ``(code, text)`` of ``choices``, one of them down at a time, each
    added to ``layout`` with its code in the property ``prop``; a click tells ``chosen(code)``."""
    group = QButtonGroup(owner)
    group.setExclusive(True)
    buttons: dict[str, QPushButton] = {}
    for code, text in choices:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setCheckable(True)
        b.setProperty(prop, code)
        b.clicked.connect(lambda _c=False, k=code: chosen(k))
        group.addButton(b)
        buttons[code] = b
        layout.addWidget(b)
    return group, buttons


def empty_layout(layout: QLayout) -> None:
    """Takes every item out of ``layout``; their widgets are deleted later."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


def hrow(*widgets, stretch_at: int | None = None) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    for i, w in enumerate(widgets):
        if stretch_at == i:
            row.addStretch(1)
        if isinstance(w, QWidget):
            row.addWidget(w)
        else:
            row.addLayout(w)
    if stretch_at is not None and stretch_at >= len(widgets):
        row.addStretch(1)
    return row


def status_line(name: str = "statusLine") -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def set_status(label: QLabel, text: str, state: str = "ok") -> None:
    label.setText(text)
    repolish(label, state=state)


class MessageStrip(QLabel):
    """The inline message line: an error stays until the next action, a note fades."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("messageStrip")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(8000)
        self.timer.timeout.connect(self._fade)

    def show_error(self, text: str) -> None:
        self._show(text, "error")
        self.timer.stop()

    def show_info(self, text: str) -> None:
        self._show(text, "info")
        self.timer.start()

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.hide()

    def _show(self, text: str, kind: str) -> None:
        self.kind = kind
        self.setText(text)
        repolish(self, kind=kind)
        self.setVisible(bool(text))

    def _fade(self) -> None:
        if self.kind == "info":
            self.clear_message()
