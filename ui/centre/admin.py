"""系统管理工作台: the administrator sets up the centre.

A list of pages on the left, the page on the right. Each page reads its data
when first opened and saves one change at a time through
``hall.services.admin`` off the UI thread; a refusal is the service's own
sentence next to the form, and the form keeps what was typed. Nothing that
history refers to can be deleted here: it is retired (停用) and stays in the
lists, greyed.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from ui.centre.admin_accounts import AmountsPage, KeywordsPage, UsersPage
from ui.centre.admin_catalogue import ProfilePage, RoomsPage, ServicesPage, WindowsPage
from ui.centre.admin_common import STYLE, AdminPage, TableEditorPage
from ui.centre.admin_config import ConfigPage
from ui.centre.admin_counting import CountingPage
from ui.centre.admin_holidays import CalendarHolidaysPage
from ui.centre.admin_operations import OperationsPage
from ui.centre.admin_status import StatusNoticesPage
from ui.common.context import AppContext
from ui.qt import QT_TRANSLATE_NOOP, QHBoxLayout, QLabel, QListWidget, QStackedWidget, QVBoxLayout, QWidget, translate

log = logging.getLogger(__name__)

#: key, navigation label, page class — in the order the list shows them.
PAGES: tuple[tuple[str, str, Callable[[AppContext], AdminPage]], ...] = (
    ("profile", QT_TRANSLATE_NOOP("AdminWorkspace", "中心信息"), ProfilePage),
    ("services", QT_TRANSLATE_NOOP("AdminWorkspace", "业务"), ServicesPage),
    ("windows", QT_TRANSLATE_NOOP("AdminWorkspace", "窗口"), WindowsPage),
    ("rooms", QT_TRANSLATE_NOOP("AdminWorkspace", "调解室"), RoomsPage),
    ("users", QT_TRANSLATE_NOOP("AdminWorkspace", "人员与账户"), UsersPage),
    ("keywords", QT_TRANSLATE_NOOP("AdminWorkspace", "取号关键词"), KeywordsPage),
    ("holidays", QT_TRANSLATE_NOOP("AdminWorkspace", "节假日安排"), CalendarHolidaysPage),
    ("amounts", QT_TRANSLATE_NOOP("AdminWorkspace", "金额参数"), AmountsPage),
    ("counting", QT_TRANSLATE_NOOP("AdminWorkspace", "期限计算方式"), CountingPage),
    ("operations", QT_TRANSLATE_NOOP("AdminWorkspace", "排队与预约"), OperationsPage),
    ("config", QT_TRANSLATE_NOOP("AdminWorkspace", "配置导入导出"), ConfigPage),
    ("status", QT_TRANSLATE_NOOP("AdminWorkspace", "进度查询与通知"), StatusNoticesPage),
)


class AdminWorkspace(QWidget):
    """The administrator's pages, one at a time."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("adminWorkspace")
        self.setStyleSheet(STYLE)
        self.setMinimumSize(960, 600)
        self._shut = False

        self.nav = QListWidget()
        self.nav.setObjectName("adminNav")
        self.nav.setFixedWidth(190)
        self.stack = QStackedWidget()
        self.pages: dict[str, AdminPage] = {}
        self.keys: list[str] = []
        for key, label, cls in PAGES:
            page = cls(ctx)
            self.pages[key] = page
            self.keys.append(key)
            self.stack.addWidget(page)
            self.nav.addItem(translate("AdminWorkspace", label))
        self.nav.currentRowChanged.connect(self._row_changed)

        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        head = QLabel(self.tr("系统管理"))
        head.setObjectName("navTitle")
        head.setFixedWidth(190)
        side.addWidget(head)
        side.addWidget(self.nav, 1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(side)
        lay.addWidget(self.stack, 1)
        self.nav.setCurrentRow(0)

    @property
    def current_key(self) -> str:
        return self.keys[self.stack.currentIndex()]

    def page(self, key: str) -> AdminPage:
        return self.pages[key]

    def open_page(self, key: str) -> AdminPage:
        self.nav.setCurrentRow(self.keys.index(key))
        return self.pages[key]

    def _row_changed(self, row: int) -> None:
        if not 0 <= row < len(self.keys):
            return
        page = self.pages[self.keys[row]]
        self.stack.setCurrentWidget(page)
        if page.loaded and isinstance(page, TableEditorPage):
            page.reload()   # lists may have changed on another page or computer; the editor is kept
        page.ensure_loaded()

    def shutdown(self) -> None:
        """Stop taking results (the shell calls this before closing)."""
        if self._shut:
            return
        self._shut = True
        for page in self.pages.values():
            page.shutdown()
