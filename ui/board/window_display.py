"""The small screen above one window (``hall --window-display w03``).

It shows the window's number and name, the ticket being served there (with
the masked name only), the next few numbers in the order the window will
call them, and why the window takes nobody when it is paused, closed or out
of season. No voice: the hall's call board speaks.
"""
from __future__ import annotations

import logging

from hall.services import queue
from hall.services.database import Database
from hall.services.views import QueueSnapshot, TicketView, WindowView
from ui.board.callboard import BOARD_POLL_MS
from ui.common import palette
from ui.common.elided import ElidedLabel
from ui.common.live import EventFeed
from ui.common.ops import OneAtATime, Op
from ui.qt import QFont, QLabel, Qt, QVBoxLayout, QWidget, named

log = logging.getLogger(__name__)

#: How many of the next numbers are shown.
NEXT_SHOWN = 3

STYLE = palette.style("""
#windowDisplay { background: {display_bg}; }
#windowDisplay QLabel { color: {board_text}; background: transparent; }
QLabel#wdTitle { color: {board_accent}; }
QLabel#wdNumber { color: {board_accent}; }
QLabel#wdDim { color: {board_dim}; }
QLabel#wdState { color: {board_alert}; }
""")


def _font(px: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPixelSize(max(10, int(px)))
    f.setBold(bold)
    return f


class WindowDisplay(QWidget):
    """One window's own screen; ``refresh`` re-reads it, the event feed keeps it live."""

    def __init__(self, db: Database, window_code: str, parent: QWidget | None = None, *,
                 feed: EventFeed | None = None):
        super().__init__(parent)
        self.db = db
        self.window_code = window_code
        self.setObjectName("windowDisplay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setWindowTitle(self.tr("窗口显示屏"))
        self.setMinimumSize(480, 270)
        self.window_view: WindowView | None = None
        self.next_numbers: list[str] = []
        self._shut = False
        self.reads = OneAtATime(self._start_read, lambda: self._shut)
        self.title = named(QLabel(), "wdTitle")
        self.state = named(QLabel(), "wdState")
        self.number = named(QLabel(), "wdNumber")
        self.name = ElidedLabel()   # a long masked name is cut (…) to the screen's width
        self.next_label = named(QLabel(), "wdDim")
        for lab in (self.title, self.state, self.number, self.name, self.next_label):
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 16, 24, 16)
        lay.addWidget(self.title)
        lay.addStretch(1)
        lay.addWidget(self.number)
        lay.addWidget(self.name)
        lay.addWidget(self.state)
        lay.addStretch(1)
        lay.addWidget(self.next_label)
        self._own_feed = feed is None
        self.feed = feed if feed is not None else EventFeed(db, self, interval_ms=BOARD_POLL_MS)
        self.feed.events.connect(self._on_events)
        self.feed.online.connect(self.refresh)
        self._scale()
        self.refresh()
        if self._own_feed:
            self.feed.start()

    def _scale(self) -> None:
        h = max(270, self.height())
        self.title.setFont(_font(h * 0.11, True))
        self.number.setFont(_font(h * 0.30, True))
        self.name.setFont(_font(h * 0.08))
        self.state.setFont(_font(h * 0.08, True))
        self.next_label.setFont(_font(h * 0.07))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._scale()

    def refresh(self) -> None:
        self.reads.request()

    def _start_read(self) -> None:
        db, code = self.db, self.window_code

        def load() -> tuple[QueueSnapshot, list[TicketView]]:
            return queue.queue_snapshot(db), queue.waiting_for_window(db, code, limit=NEXT_SHOWN)

        Op(self, load).success(self._loaded).failure(
            lambda exc: log.warning("window display could not read the queue: %s", exc)).finally_(
            self.reads.done).run()

    def _on_events(self, events: list) -> None:
        if any(e.kind.startswith(("ticket.", "window.", "queue.", "centre.")) for e in events):
            self.refresh()

    def _loaded(self, result) -> None:
        if self._shut:
            return
        snap, waiting = result
        w = next((x for x in snap.windows if x.code == self.window_code), None)
        self.window_view = w
        if w is None:
            self.title.setText(self.tr("未知窗口 {code}").replace("{code}", self.window_code))
            self.number.setText("")
            self.name.setText("")
            self.state.setText(self.tr("此窗口已停用或不存在"))
            self.next_label.setText("")
            return
        self.title.setText(self.tr("{n}号窗口 {name}").replace("{n}", str(w.number)).replace("{name}", w.name))
        cur = w.current
        self.number.setText(cur.number if cur else "")
        self.name.setText(cur.masked_name if cur else "")   # a public surface: masked only
        self.number.setVisible(cur is not None)
        self.name.setVisible(bool(cur and cur.masked_name))
        if w.closed_reason and cur is None:
            state = self.tr("今日不受理：{reason}").replace("{reason}", w.closed_reason)
        elif w.state == "paused":
            state = self.tr("暂停服务，请稍候")
        elif w.state == "closed" and cur is None:
            state = self.tr("本窗口未开放")
        elif cur is None:
            state = self.tr("请稍候")
        elif cur.status == "serving":
            state = self.tr("正在办理")
        else:
            state = self.tr("请到本窗口办理")
        self.state.setText(state)
        self.next_numbers = [t.number for t in waiting]
        self.next_label.setText(self.tr("下一位：{numbers}").replace("{numbers}", "  ".join(self.next_numbers))
                                if self.next_numbers and w.state == "open" else "")

    def visible_text(self) -> str:
        return "\n".join(lab.text() for lab in self.findChildren(QLabel) if lab.isVisibleTo(self) and lab.text())

    def shutdown(self) -> None:
        if self._shut:
            return
        self._shut = True
        if self._own_feed:
            self.feed.stop()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.shutdown()
        super().closeEvent(event)
