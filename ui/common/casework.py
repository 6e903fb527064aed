"""Pieces shared by the parts of the mediator's workspace: the look, the
message strip that shows refusals inline, tables, and time formatting."""
from __future__ import annotations

import datetime as dt
import logging

from hall.domain.clock import to_local
from hall.services import HallError
from ui.common.errors import user_message
from ui.common.tablemodel import RowsModel
from ui.common.tables import list_table
from ui.qt import (
    QFont,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSize,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("ui.mediation.workspace")

STYLE = """
QWidget#mediatorWorkspace { background: #eef2f7; }
QFrame#card { background: #ffffff; border: 1px solid #d5dde8; border-radius: 8px; }
QLabel#cardTitle { color: #10325a; font-weight: bold; }
QLabel#muted { color: #5d6d7e; }
QLabel#caseNumber { color: #10325a; }
QLabel#caseMeta { color: #34495e; }
QLabel#stateChip { border-radius: 10px; padding: 3px 12px; color: white; font-weight: bold; }
QLabel#messageStrip { border-radius: 6px; padding: 8px 12px; }
QLabel#messageStrip[kind="error"] { background: #fdecea; color: #922b21; border: 1px solid #f5b7b1; }
QLabel#messageStrip[kind="info"] { background: #eafaf1; color: #1e8449; border: 1px solid #a9dfbf; }
QLabel[state="ok"] { color: #1e8449; }
QLabel[state="busy"] { color: #5d6d7e; }
QLabel[state="warn"] { color: #9a6700; }
QLabel[state="error"] { color: #b03a2e; font-weight: bold; }
QLabel#fieldLabel { color: #5d6d7e; }
QLabel#minutesHeading { color: #34495e; font-weight: bold; padding-top: 4px; }
QWidget#minutesBody { background: #ffffff; }
QLabel#fieldValue { color: #1b2631; }
QLabel#capitals[state="ok"] { color: #10325a; font-weight: bold; }
QLabel#capitals[state="hint"] { color: #95a5a6; }
QLabel#capitals[state="error"] { color: #b03a2e; font-weight: normal; }
QLabel#previewPage { background: white; border: 1px solid #c9d3df; }
QLabel#emptyHint { color: #95a5a6; }
QTabWidget::pane { border: 1px solid #d5dde8; border-radius: 6px; background: #ffffff; top: -1px; }
QTabBar::tab { padding: 7px 16px; }
QTabBar::tab:selected { color: #10325a; font-weight: bold; }
QPushButton { padding: 5px 12px; }
QPushButton#primary { background: #1f6feb; color: white; font-weight: bold; border: none; border-radius: 5px;
                      padding: 6px 14px; }
QPushButton#primary:disabled { background: #aebfd6; color: #eef2f7; }
QPushButton#danger:enabled { color: #b03a2e; }
QLineEdit, QPlainTextEdit, QComboBox, QDateEdit { padding: 3px 6px; }
QTableView { background: white; gridline-color: #eef2f7; selection-background-color: #d6e6fb;
             selection-color: #10325a; }
QHeaderView::section { background: #f4f7fb; border: none; border-bottom: 1px solid #d5dde8; padding: 4px 6px;
                       color: #34495e; }
"""

#: Colour of the case's state chip.
STATE_COLOURS = {"registered": "#7f8c8d", "accepted": "#2e86c1", "mediating": "#1f6feb",
                 "agreement": "#1e8449", "failed": "#b9770e", "transferred": "#8e44ad", "closed": "#566573"}
AGREEMENT_COLOURS = {"draft": "#7f8c8d", "signing": "#b9770e", "effective": "#1e8449", "superseded": "#95a5a6"}


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
        inner = self.widget().minimumSizeHint() if self.widget() is not None else QSize(0, 0)
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar + 2 * self.frameWidth(), min(inner.height(), 120))

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(max(hint.width(), self.minimumSizeHint().width()), hint.height())


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
