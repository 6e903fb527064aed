"""仲裁书记员工作台: the deadlines board and the case register.

Two pages: 期限看板 (every open statutory period, soonest first, with the
article it rests on and how its date was reached) and 案件登记簿 (search,
the case with its parties, hearings, 送达回证, periods and documents).
Another workstation's change shows here within a second through the shared
event feed. Refusals are shown as a sentence in the message strip or next
to the form that caused them; no dialog, no traceback.

Keys: Ctrl+F 搜索案件, F5 刷新, Ctrl+P 打印预览中的文书.
"""
from __future__ import annotations

import logging

from ui.arbitration.board import DeadlineBoard
from ui.arbitration.cases import CaseRegister, MessageStrip
from ui.common import palette
from ui.common.context import AppContext
from ui.common.keys import shortcuts
from ui.qt import QFont, QLabel, QTabWidget, QTimer, QVBoxLayout, QWidget, Signal

log = logging.getLogger(__name__)

#: Event kinds after which the board and the open case are read again.
_RELEVANT = ("deadline.", "arbitration.", "calendar.", "petition.")
_DOCUMENTS = ("document.",)

STYLE = palette.style("""
QWidget#clerkWorkspace { background: {clerk_page}; }
QLabel#deskTitle { color: {heading}; }
QLabel#deskSubtitle { color: {muted}; }
QLabel#messageStrip { border-radius: 6px; padding: 8px 12px; }
QLabel#messageStrip[kind="error"] { background: {overdue_tint}; color: {error_text}; border: 1px solid {error_border}; }
QLabel#messageStrip[kind="info"] { background: {success_bg}; color: {success}; border: 1px solid {success_border}; }
QLabel#inlineError { background: {overdue_tint}; color: {error_text}; border: 1px solid {error_border}; border-radius: 6px;
                     padding: 6px 10px; }
QFrame#detailCard, QFrame#formCard, QFrame#caseHeader { background: {surface}; border: 1px solid {border};
                                                          border-radius: 8px; }
QFrame#actionsBox { border-top: 1px solid {divider}; }
QLabel#detailTitle { color: {heading}; font-size: 15px; font-weight: bold; }
QLabel#detailCase, QLabel#caseTitle { color: {text_secondary}; }
QLabel#caseNumber { color: {heading}; font-size: 16px; font-weight: bold; }
QLabel#detailDue { color: {text}; }
QLabel#detailBasis { color: {text}; background: {header_bg}; border-radius: 4px; padding: 6px 8px; }
QLabel#explanation { color: {text}; line-height: 150%; }
QLabel#coverageNote { color: {amber_text}; background: {note_bg}; border: 1px solid {coverage_border}; border-radius: 4px;
                      padding: 6px 8px; }
QLabel#caption { color: {muted}; font-weight: bold; }
QLabel#hint, QLabel#countLabel, QLabel#emptyHint, QLabel#previewEmpty { color: {subtle}; }
QLabel#stateChip { border-radius: 10px; padding: 2px 10px; color: {on_accent}; font-weight: bold; }
QPushButton { padding: 5px 12px; }
QPushButton#filterButton { padding: 6px 16px; border: 1px solid {filter_border}; border-radius: 14px; background: {surface}; }
QPushButton#filterButton:checked { background: {accent}; color: {on_accent}; border-color: {accent}; font-weight: bold; }
QPushButton#metButton:enabled { color: {success}; font-weight: bold; }
QPushButton#generateButton, QPushButton#scheduleButton, QPushButton#serviceButton {
    background: {accent}; color: {on_accent}; border: none; border-radius: 5px; padding: 6px 14px; font-weight: bold; }
QPushButton#generateButton:disabled, QPushButton#scheduleButton:disabled { background: {accent_disabled}; }
QScrollArea#pdfPreview, QWidget#previewBody { background: {pdf_bg}; }
QTableView { gridline-color: {gridline}; selection-background-color: {selection}; selection-color: {heading}; }
QHeaderView::section { background: {header_bg}; color: {text_secondary}; padding: 4px 6px; border: none;
                       border-bottom: 1px solid {border}; font-weight: bold; }
""")


class ClerkWorkspace(QWidget):
    """仲裁书记员工作台."""

    refreshed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.setObjectName("clerkWorkspace")
        self.setStyleSheet(STYLE)
        self.setMinimumSize(1000, 600)
        self._shut = False

        title = QLabel(self.tr("仲裁书记员工作台"))
        title.setObjectName("deskTitle")
        f = QFont(title.font())
        f.setPointSizeF(f.pointSizeF() * 1.4)
        f.setBold(True)
        title.setFont(f)
        subtitle = QLabel(self.tr("{name}　劳动人事争议仲裁案件的期限、送达、开庭与文书")
                          .replace("{name}", ctx.actor.display_name or ctx.actor.username))
        subtitle.setObjectName("deskSubtitle")
        self.strip = MessageStrip()

        self.board = DeadlineBoard(ctx)
        self.register = CaseRegister(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("clerkTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.board, self.tr("期限看板"))
        self.tabs.addTab(self.register, self.tr("案件登记簿"))

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(8)
        lay.addWidget(title)
        lay.addWidget(subtitle)
        lay.addWidget(self.strip)
        lay.addWidget(self.tabs, 1)

        self.board.message.connect(self.show_message)
        self.board.open_case.connect(self.open_case)
        self.register.message.connect(self.show_message)

        self.message_timer = QTimer(self)
        self.message_timer.setSingleShot(True)
        self.message_timer.setInterval(8000)
        self.message_timer.timeout.connect(self._fade_info)
        # Many events arrive together (one action = several rows): refresh once.
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(150)
        self.refresh_timer.timeout.connect(self._refresh_from_events)

        self._shortcuts()
        ctx.feed.events.connect(self._on_events)
        ctx.feed.online.connect(self.refresh)
        self.board.model.reload("today")
        self.register.search()

    @property
    def case_view(self):
        return self.register.case_view

    def _shortcuts(self) -> None:
        self.shortcuts = shortcuts(self, (("Ctrl+F", self.focus_search), ("F5", self.refresh),
                                          ("Ctrl+P", self.print_document)))

    # ------------------------------------------------------------ actions
    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.register)
        self.register.focus_search()

    def refresh(self) -> None:
        if self._shut:
            return
        self.board.refresh()
        self.register.refresh()
        self.refreshed.emit()

    def print_document(self) -> None:
        self.tabs.setCurrentWidget(self.register)
        self.case_view.print_current()

    def open_case(self, number: str) -> None:
        self.tabs.setCurrentWidget(self.register)
        self.register.open_number(number)

    def show_message(self, kind: str, text: str) -> None:
        self.strip.show_message(kind, text)
        if kind == "info":
            self.message_timer.start()
        else:
            self.message_timer.stop()

    def _fade_info(self) -> None:
        if self.strip.property("kind") == "info":
            self.strip.show_message("", "")

    # ------------------------------------------------------------ live
    def _on_events(self, events: list) -> None:
        if self._shut:
            return
        if any(e.kind.startswith(_RELEVANT + _DOCUMENTS) for e in events):
            self.refresh_timer.start()

    def _refresh_from_events(self) -> None:
        if self._shut:
            return
        self.board.refresh()
        self.register.refresh()
        self.refreshed.emit()

    def shutdown(self) -> None:
        self._shut = True
        self.refresh_timer.stop()
        self.message_timer.stop()
        try:
            self.ctx.feed.events.disconnect(self._on_events)
        except (RuntimeError, TypeError):
            pass
