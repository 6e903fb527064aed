"""The call board on the hall's wall: who is called, to which window, by voice.

It needs no sign-in and only reads: the events table (through an
:class:`~ui.common.live.EventFeed`), the latest calls and the waiting counts. It is
a public surface, so it shows masked names only (张*明), taken from the
events' ``masked_name``, never a full name, an ID number or a phone number
(《个人信息保护法》 Art. 25).

Every ``ticket.called`` and ``ticket.recalled`` event is shown at once and
queued on the :class:`~ui.board.announcer.Announcer`, which speaks them one after
the other without cutting any off.
"""
from __future__ import annotations

import datetime as dt
import logging

from hall.domain.clock import to_local
from hall.domain.speech import announcement_text, display_text
from hall.services import centre, queue, status
from hall.services.database import Database
from ui.board.announcer import Announcer
from ui.common import palette
from ui.common.elided import ElidedLabel
from ui.common.i18n import current_language
from ui.common.live import EventFeed
from ui.common.ops import OneAtATime, Op
from ui.qt import (
    QFont,
    QFontMetrics,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QShortcut,
    QSizePolicy,
    Qt,
    QTextDocument,
    QTimer,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

#: The board polls a little faster than a workstation: a call should be on
#: the wall within a second of the window pressing 叫号.
BOARD_POLL_MS = 250
HISTORY_ROWS = 6
FLASH_TOGGLES = 12          # 12 x 400 ms: about five seconds of flashing
FLASH_MS = 400

CALL_KINDS = ("ticket.called", "ticket.recalled")
_REFRESH_KINDS = ("ticket.", "window.", "queue.", "centre.")

#: Fonts that draw Chinese well on a wall screen, best first (whatever the
#: computer has; Qt falls back through the list).
BOARD_FONTS = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
               "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimHei"]

WEEKDAYS = "一二三四五六日"
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")

BG = palette.BOARD_BG
PANEL = palette.BOARD_PANEL
LINE = palette.BOARD_LINE
TEXT = palette.BOARD_TEXT
DIM = palette.BOARD_DIM
ACCENT = palette.BOARD_ACCENT       # the called number
GOOD = palette.BOARD_GOOD

STYLE = f"""
#callBoard {{ background: {BG}; }}
#callBoard QLabel {{ color: {TEXT}; background: transparent; }}
#boardHeader {{ background: {palette.BOARD_HEADER}; border-bottom: 3px solid {ACCENT}; }}
#boardHeader QLabel#centreName {{ color: {TEXT}; }}
#boardHeader QLabel#clock {{ color: {ACCENT}; }}
QFrame#panel {{ background: {PANEL}; border: 1px solid {LINE}; border-radius: 14px; }}
QLabel#panelTitle {{ color: {DIM}; }}
QLabel#callNumber {{ color: {ACCENT}; }}
QLabel#callEmpty {{ color: {DIM}; }}
QLabel#maskedName {{ color: {palette.BOARD_NAME}; }}
QLabel#histNumber {{ color: {ACCENT}; }}
QLabel#histDim, QLabel#countZero {{ color: {DIM}; }}
QLabel#countBusy {{ color: {GOOD}; }}
QFrame#rowLine {{ background: {LINE}; max-height: 1px; min-height: 1px; border: none; }}
QLabel#notice {{ color: {palette.BOARD_ON_ACCENT}; background: {ACCENT}; border-radius: 8px; padding: 4px 14px; }}
QLabel#offline {{ color: {palette.ON_ACCENT}; background: {palette.OVERDUE}; border-radius: 8px; padding: 4px 14px; }}
QLabel#hint {{ color: {DIM}; }}
"""

CALL_FRAME = f"QFrame#callFrame {{ background: {PANEL}; border: 3px solid {LINE}; border-radius: 18px; }}"
CALL_FRAME_LIT = (f"QFrame#callFrame {{ background: {palette.BOARD_CALL_LIT}; border: 3px solid {ACCENT}; "
                  f"border-radius: 18px; }}")
CALL_FRAME_STEADY = (f"QFrame#callFrame {{ background: {PANEL}; border: 3px solid {ACCENT}; "
                     f"border-radius: 18px; }}")


def _font(px: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(BOARD_FONTS)
    f.setPixelSize(max(9, int(px)))
    f.setBold(bold)
    return f


def _plain(text: str) -> str:
    if "<" not in text:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def _wait_texts(db: Database) -> dict[str, str]:
    """Per service, the wait range of someone joining now (``"约 15–25 分钟"``);
    the board still shows its counts if the forecast fails."""
    try:
        return {w.code: w.text for w in status.service_waits(db) if w.low is not None}
    except Exception:
        log.warning("no wait ranges for the board", exc_info=True)
        return {}


class CallBoard(QWidget):
    """The full-screen wall display. ``Esc`` or ``F11`` toggles full screen."""

    def __init__(self, db: Database, parent: QWidget | None = None, *,
                 announcer: Announcer | None = None, feed: EventFeed | None = None,
                 area: str | None = None):
        super().__init__(parent)
        self.db = db
        #: A board of one floor or area (``hall --board --area 二楼``) shows and says
        #: only the calls of that area's windows and counts only their services.
        self.area = (area or "").strip() or None
        self.area_windows: set[str] | None = None
        self.area_services: set[str] | None = None
        self.setObjectName("callBoard")
        self.setWindowTitle(self.tr("叫号屏"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        # An explicit minimum: the layout must not grow the wall screen past its size
        # (the fonts follow the size, see _apply_scale).
        self.setMinimumSize(640, 360)
        self._own_announcer = announcer is None
        self.announcer = announcer if announcer is not None else Announcer(self)
        self._own_feed = feed is None
        self.feed = feed if feed is not None else EventFeed(db, self, interval_ms=BOARD_POLL_MS)

        self.centre_name = ""
        self.current: dict | None = None        # payload of the call on show, plus "kind", "event_id"
        self.current_display = ""               # e.g. 请 L007 号 到 3号窗口 劳动仲裁
        self.history: list[dict] = []           # earlier calls, newest first (payloads)
        self.counts: list = []                  # ServiceQueue rows
        self.updated_at: dt.datetime | None = None
        self.reads = OneAtATime(self._start_read, lambda: self._shut)
        self._initial = False                   # the next read also reads the centre's profile
        self._flash_left = 0
        self._shut = False
        self._scale = 1.0

        self._build()
        self._update_notice()

        self.announcer.availability_changed.connect(lambda *_: self._update_notice())
        self.feed.events.connect(self._on_events)
        self.feed.offline.connect(self._offline)
        self.feed.online.connect(self._online)

        for key in ("F11", "Esc"):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(self.toggle_full_screen)

        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self._tick)
        self.clock_timer.start()
        self.flash_timer = QTimer(self)
        self.flash_timer.setInterval(FLASH_MS)
        self.flash_timer.timeout.connect(self._flash_step)
        self._tick()

        self.refresh(initial=True)
        if self._own_feed or not self.feed.timer.isActive():
            self.feed.start()

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        header = QFrame()
        header.setObjectName("boardHeader")
        hl = QHBoxLayout(header)
        self.header_layout = hl
        self.centre_label = QLabel(self.tr("社会治理服务中心"))
        self.centre_label.setObjectName("centreName")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clock")
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        hl.addWidget(self.centre_label, 1)
        hl.addWidget(self.clock_label)
        outer.addWidget(header)

        body = QHBoxLayout()
        self.body_layout = body
        outer.addLayout(body, 1)

        left = QVBoxLayout()
        self.left_layout = left
        body.addLayout(left, 64)

        # -- the current call
        self.call_frame = QFrame()
        self.call_frame.setObjectName("callFrame")
        self.call_frame.setStyleSheet(CALL_FRAME)
        cl = QVBoxLayout(self.call_frame)
        self.call_layout = cl
        self.call_title = QLabel(self.tr("正在呼叫"))
        self.call_title.setObjectName("panelTitle")
        self.call_number = QLabel()
        self.call_number.setObjectName("callNumber")
        self.call_number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.call_where = QLabel()
        self.call_where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.call_name = ElidedLabel()   # a long masked name is cut (…), never wider than the panel
        self.call_name.setObjectName("maskedName")
        self.call_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.call_empty = QLabel(self.tr("请留意叫号，耐心等候"))
        self.call_empty.setObjectName("callEmpty")
        self.call_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        cl.addWidget(self.call_title)
        cl.addStretch(1)
        cl.addWidget(self.call_number)
        cl.addWidget(self.call_where)
        cl.addWidget(self.call_name)
        cl.addWidget(self.call_empty)
        cl.addStretch(1)
        left.addWidget(self.call_frame, 56)

        # -- the latest calls
        hist = QFrame()
        hist.setObjectName("panel")
        hv = QVBoxLayout(hist)
        self.hist_layout = hv
        self.hist_title = QLabel(self.tr("最近呼叫"))
        self.hist_title.setObjectName("panelTitle")
        hv.addWidget(self.hist_title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(0)
        self.hist_grid = grid
        self.hist_cells: list[list[QLabel]] = []
        for r in range(HISTORY_ROWS):
            cells = []
            for c, name in enumerate(("histNumber", "", "histDim", "histDim")):
                # the window and the masked name are cut (…) to their columns
                lab = ElidedLabel(mode=Qt.TextElideMode.ElideRight if c == 1 else Qt.TextElideMode.ElideMiddle) \
                    if c in (1, 2) else QLabel()
                if name:
                    lab.setObjectName(name)
                lab.setAlignment((Qt.AlignmentFlag.AlignRight if c == 3 else Qt.AlignmentFlag.AlignLeft)
                                 | Qt.AlignmentFlag.AlignVCenter)
                lab.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                grid.addWidget(lab, r, c)
                cells.append(lab)
            self.hist_cells.append(cells)
        grid.setColumnStretch(0, 18)
        grid.setColumnStretch(1, 50)
        grid.setColumnStretch(2, 16)
        grid.setColumnStretch(3, 14)
        for r in range(HISTORY_ROWS):
            grid.setRowStretch(r, 1)
        hv.addLayout(grid, 1)
        left.addWidget(hist, 44)

        # -- waiting per service
        right = QFrame()
        right.setObjectName("panel")
        rv = QVBoxLayout(right)
        self.count_layout = rv
        self.count_title = QLabel(self.tr("各业务等候人数"))
        self.count_title.setObjectName("panelTitle")
        rv.addWidget(self.count_title)
        self.count_grid = QGridLayout()
        self.count_grid.setVerticalSpacing(0)
        rv.addLayout(self.count_grid, 1)
        self.total_label = QLabel()
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        rv.addWidget(self.total_label)
        self.count_cells: list[tuple[QLabel, QLabel]] = []
        body.addWidget(right, 36)

        # -- the foot: notices and a standing hint
        foot = QHBoxLayout()
        self.foot_layout = foot
        self.notice_label = QLabel()
        self.notice_label.setObjectName("notice")
        self.offline_label = QLabel()
        self.offline_label.setObjectName("offline")
        self.offline_label.hide()
        self.hint_label = QLabel(self.tr("过号的群众请到综合受理窗口咨询 · 请保管好随身物品"))
        self.hint_label.setObjectName("hint")
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        foot.addWidget(self.notice_label)
        foot.addWidget(self.offline_label)
        foot.addWidget(self.hint_label, 1)
        outer.addLayout(foot)

        self._show_current()
        self._show_history()
        self._apply_scale()

    def _apply_scale(self) -> None:
        """Sizes follow the screen: designed at 1920x1080, shrinks to 1366x768."""
        w, h = max(self.width(), 320), max(self.height(), 200)
        s = min(w / 1920, h / 1080)
        self._scale = s
        m = int(28 * s)
        self.header_layout.setContentsMargins(m, int(14 * s), m, int(14 * s))
        self.body_layout.setContentsMargins(m, m, m, int(12 * s))
        self.body_layout.setSpacing(m)
        self.left_layout.setSpacing(m)
        inner = int(24 * s)
        for lay in (self.call_layout, self.hist_layout, self.count_layout):
            lay.setContentsMargins(inner, int(16 * s), inner, int(16 * s))
        self.foot_layout.setContentsMargins(m, 0, m, int(16 * s))
        self.centre_label.setFont(_font(52 * s, bold=True))
        self.clock_label.setFont(_font(40 * s))
        for t in (self.call_title, self.hist_title, self.count_title):
            t.setFont(_font(34 * s))
        self.call_name.setFont(_font(56 * s))
        self.call_empty.setFont(_font(72 * s))
        self.hist_grid.setHorizontalSpacing(int(24 * s))
        for cells in self.hist_cells:
            cells[0].setFont(_font(46 * s, bold=True))
            for c in cells[1:]:
                c.setFont(_font(40 * s))
            for c in cells:
                c.setMinimumHeight(int(46 * s))
        for name, count in self.count_cells:
            name.setFont(_font(40 * s))
            count.setFont(_font(44 * s, bold=True))
            name.setMinimumHeight(int(48 * s))
        self.total_label.setFont(_font(38 * s))
        for lab in (self.notice_label, self.offline_label, self.hint_label):
            lab.setFont(_font(30 * s))
        self._fit_call()

    def _fit_call(self) -> None:
        """The call in the largest type that fits the panel."""
        s = self._scale
        avail = max(100, self.call_frame.width() - int(60 * s)) if self.call_frame.width() > 200 \
            else int(1100 * s)
        for label, px, bold in ((self.call_number, 170 * s, True), (self.call_where, 84 * s, True)):
            text = _plain(label.text())
            f = _font(px, bold)
            while text and px > 12 and QFontMetrics(f).horizontalAdvance(text) > avail:
                px *= 0.92
                f = _font(px, bold)
            label.setFont(f)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._apply_scale()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    # ------------------------------------------------------------ data
    waits: dict[str, str] = {}

    def refresh(self, *, initial: bool = False) -> None:
        """Re-read the latest calls and the waiting counts (off the UI thread)."""
        self._initial = self._initial or initial
        self.reads.request()

    def _start_read(self) -> None:
        db, initial = self.db, self._initial
        self._initial = False

        def load():
            profile = centre.centre_profile(db) if initial else None
            return (profile, queue.recent_calls(db, limit=HISTORY_ROWS * 4), queue.queue_snapshot(db),
                    _wait_texts(db))

        Op(self, load).success(self._loaded).failure(self._load_failed).finally_(self.reads.done).run()

    def _load_failed(self, exc: BaseException) -> None:
        log.warning("call board could not read the queue: %s", exc)

    def _loaded(self, result) -> None:
        if self._shut:
            return
        profile, calls, snap, self.waits = result
        if profile is not None:
            self.centre_name = profile.get("name") or ""
            if self.centre_name or self.area:
                self.centre_label.setText(" · ".join(x for x in (self.centre_name, self.area) if x))
        if self.area:
            mine = [w for w in snap.windows if (w.area or "") == self.area]
            self.area_windows = {w.code for w in mine}
            self.area_services = {code for w in mine for code in w.services}
            calls = [c for c in calls if c.payload.get("window") in self.area_windows]
        # The latest call becomes the current one only if the feed has not
        # already brought a newer one (no flash, no voice: it is not new).
        if calls and (self.current is None or calls[0].id > self.current.get("event_id", 0)):
            self._set_current(calls[0].kind, calls[0].payload, calls[0].id)
            self._show_current()
        cur_ticket = self.current.get("ticket_id") if self.current else None
        seen = {cur_ticket}
        history = []
        for ev in calls:
            tid = ev.payload.get("ticket_id")
            if tid in seen:
                continue
            seen.add(tid)
            history.append(dict(ev.payload, kind=ev.kind, at=ev.at, event_id=ev.id))
            if len(history) == HISTORY_ROWS:
                break
        self.history = history
        self._show_history()
        self.counts = [sq for sq in snap.services
                       if self.area_services is None or sq.code in self.area_services]
        self.updated_at = snap.at
        self._show_counts()

    def _on_events(self, events: list) -> None:
        calls = [e for e in events if e.kind in CALL_KINDS]
        if self.area:  # another floor's calls are neither shown nor said here
            calls = [e for e in calls if self.area_windows and e.payload.get("window") in self.area_windows]
        for ev in calls:
            p = ev.payload
            if not p.get("number") or p.get("window_number") is None:
                continue
            self.announcer.announce(announcement_text(p["number"], p["window_number"],
                                                      p.get("window_name"), p.get("service_name"),
                                                      p.get("was_number")))
        if calls:
            last = calls[-1]
            if self.current and self.current.get("ticket_id") != last.payload.get("ticket_id"):
                # the call on show moves down into the history at once
                prev = dict(self.current)
                self.history = [prev] + [h for h in self.history
                                         if h.get("ticket_id") not in (prev.get("ticket_id"),
                                                                       last.payload.get("ticket_id"))]
                self.history = self.history[:HISTORY_ROWS]
                self._show_history()
            self._set_current(last.kind, last.payload, last.id)
            self._show_current()
            self._start_flash()
        if any(e.kind.startswith(_REFRESH_KINDS) for e in events):
            self.refresh()

    def _set_current(self, kind: str, payload: dict, event_id: int) -> None:
        self.current = dict(payload, kind=kind, event_id=event_id)
        p = self.current
        self.current_display = display_text(p["number"], p.get("window_number") or 0,
                                            p.get("window_name"), p.get("service_name"),
                                            p.get("was_number"))

    # ------------------------------------------------------------ drawing
    def _show_current(self) -> None:
        p = self.current
        has = p is not None
        for lab in (self.call_number, self.call_where, self.call_name):
            lab.setVisible(has)
        self.call_empty.setVisible(not has)
        if p is None:
            self.call_number.setText("")
            self.call_where.setText("")
            self.call_name.setText("")
            return
        self.call_number.setText(self.tr("请 {number} 号").replace("{number}", p["number"]))
        if p.get("was_number"):  # a transferred visitor holds the old number on paper
            self.call_number.setText(self.call_number.text() + self.tr("（原 {was}）").replace(
                "{was}", p["was_number"]))
        where = self.tr("到 {n}号窗口").replace("{n}", str(p.get("window_number") or ""))
        if p.get("window_name"):
            where += " " + p["window_name"]
        if p.get("service_name") and p.get("service_name") != p.get("window_name"):
            where += self.tr("（{service}）").replace("{service}", p["service_name"])
        self.call_where.setText(where)
        # Public surface: only the masked name that the event carries.
        name = p.get("masked_name") or ""
        if p.get("kind") == "ticket.recalled":
            name = (name + "  " if name else "") + self.tr("（再次呼叫）")
        self.call_name.setText(name)
        self._fit_call()

    def _show_history(self) -> None:
        for r, cells in enumerate(self.hist_cells):
            h = self.history[r] if r < len(self.history) else None
            if h is None:
                for c in cells:
                    c.setText("")
                continue
            cells[0].setText(h.get("number", ""))
            where = self.tr("{n}号窗口").replace("{n}", str(h.get("window_number") or ""))
            if h.get("window_name"):
                where += " " + h["window_name"]
            cells[1].setText(where)
            cells[2].setText(h.get("masked_name") or "")
            at = h.get("at")
            cells[3].setText(f"{to_local(at):%H:%M}" if isinstance(at, dt.datetime) else "")

    def _show_counts(self) -> None:
        rows = self.counts
        while len(self.count_cells) < len(rows):
            r = len(self.count_cells)
            name, count = QLabel(), QLabel()
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.count_grid.addWidget(name, r, 0)
            self.count_grid.addWidget(count, r, 1)
            self.count_grid.setRowStretch(r, 1)
            self.count_cells.append((name, count))
            s = self._scale
            name.setFont(_font(40 * s))
            count.setFont(_font(44 * s, bold=True))
            name.setMinimumHeight(int(48 * s))
        for i, (name, count) in enumerate(self.count_cells):
            if i >= len(rows):
                name.hide()
                count.hide()
                continue
            sq = rows[i]
            name.show()
            count.show()
            wait = self.waits.get(sq.code) if sq.waiting else None
            name.setText(sq.name if not wait else
                         f'{sq.name}<span style="font-size:{int(26 * self._scale)}px">&nbsp;&nbsp;{wait}</span>')
            if getattr(sq, "offered", True) or sq.waiting:
                count.setText(self.tr("{n} 人").replace("{n}", str(sq.waiting)))
            else:  # no window serving it is open today: no ticket is issued
                count.setText(self.tr("今日不办理"))
            count.setToolTip(getattr(sq, "closed_reason", ""))
            obj = "countBusy" if sq.waiting else "countZero"
            if count.objectName() != obj:
                count.setObjectName(obj)
                count.style().unpolish(count)
                count.style().polish(count)
        total = sum(sq.waiting for sq in rows)
        self.total_label.setText(self.tr("共 {n} 人等候").replace("{n}", str(total)))

    def _start_flash(self) -> None:
        self._flash_left = FLASH_TOGGLES
        self.call_frame.setStyleSheet(CALL_FRAME_LIT)
        self.flash_timer.start()

    def _flash_step(self) -> None:
        self._flash_left -= 1
        if self._flash_left <= 0:
            self.flash_timer.stop()
            self.call_frame.setStyleSheet(CALL_FRAME_STEADY)
            return
        self.call_frame.setStyleSheet(CALL_FRAME_LIT if self._flash_left % 2 == 0 else CALL_FRAME_STEADY)

    @property
    def flashing(self) -> bool:
        return self.flash_timer.isActive()

    def _tick(self) -> None:
        now = to_local(self.db.clock.now())
        if current_language().startswith("zh"):
            date = f"{now.year}年{now.month}月{now.day}日"
        else:  # the English board: "Monday 23 November 2026"
            date = f"{EN_WEEKDAYS[now.weekday()]} {now.day} {EN_MONTHS[now.month - 1]} {now.year}"
        self.clock_label.setText(self.tr("{date} 星期{wd} {time}")
                                 .replace("{date}", date)
                                 .replace("{wd}", WEEKDAYS[now.weekday()])
                                 .replace("{time}", f"{now:%H:%M:%S}"))

    def _update_notice(self) -> None:
        text = self.announcer.notice
        self.notice_label.setText(text)
        self.notice_label.setVisible(bool(text))

    def _offline(self, message: str = "") -> None:
        self.offline_label.setText(message or self.tr("与数据库的连接中断，正在重试…"))
        self.offline_label.show()

    def _online(self) -> None:
        self.offline_label.hide()
        self.refresh()

    # ------------------------------------------------------------ for tests and the shell
    def visible_text(self) -> str:
        """Everything the board shows, as plain text (what a passer-by can read)."""
        parts = []
        for lab in self.findChildren(QLabel):
            if lab.isVisibleTo(self) and lab.text():
                parts.append(_plain(lab.text()))
        return "\n".join(parts)

    def shutdown(self) -> None:
        """Stop polling and timers (the shell calls this before closing)."""
        if self._shut:
            return
        self._shut = True
        if self._own_feed:
            self.feed.stop()
        else:
            try:
                self.feed.events.disconnect(self._on_events)
            except (RuntimeError, TypeError):
                pass
        if self._own_announcer:
            self.announcer.shutdown()
        self.clock_timer.stop()
        self.flash_timer.stop()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
