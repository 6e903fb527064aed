"""The main window: one workspace per role, the menus, the status bar.

Which widget serves which role is the table :data:`WORKSPACES`. A workspace
is imported when first opened; a module that is not there (yet) shows a page
saying so instead of stopping the program. Adding a workspace is one line.

A workspace widget is built as ``cls(ctx)``. If it has a ``shutdown()``
method, the shell calls it before the window closes (stop timers, finish
writing).
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

from hall.domain.clock import set_from_environment, to_local
from hall.domain.roles import Role
from hall.services import centre, queue
from ui.common import palette, panels
from ui.common.context import AppContext
from ui.common.errors import report_error
from ui.common.i18n import LANGUAGES, current_language
from ui.common.ops import Op, wait_all
from ui.common.settings import LANGUAGE, PRINTER, ROOM_CODE, WINDOW_CODE, Settings
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAction,
    QActionGroup,
    QCloseEvent,
    QComboBox,
    QCoreApplication,
    QDate,
    QDialog,
    QDialogButtonBox,
    QFont,
    QFormLayout,
    QKeySequence,
    QLabel,
    QLocale,
    QMainWindow,
    QMessageBox,
    QPrinterInfo,
    QStackedWidget,
    Qt,
    QTimer,
    QToolBar,
    QVBoxLayout,
    QWidget,
    Signal,
)

log = logging.getLogger(__name__)

APP_VERSION = "0.1.0"


# Plain ``translate("Context", ...)`` so that pyside6-lupdate finds the strings.
translate = QCoreApplication.translate


@dataclass(frozen=True)
class WorkspaceSpec:
    """A role's workspace: its name and, once it exists, the widget class."""

    role: Role
    name: str                  # Chinese source text, context "Workspaces"
    module: str | None = None  # e.g. "ui.frontdesk.workspace"; None = not built yet
    cls: str | None = None     # class in that module, built as cls(ctx)

    def title(self) -> str:
        return QCoreApplication.translate("Workspaces", self.name)


#: Role -> workspace, in the order the switcher lists them.
WORKSPACES: tuple[WorkspaceSpec, ...] = (
    WorkspaceSpec(Role.FRONT_DESK, QT_TRANSLATE_NOOP("Workspaces", "导引台"),
                  "ui.frontdesk.workspace", "FrontDeskWorkspace"),
    WorkspaceSpec(Role.WINDOW, QT_TRANSLATE_NOOP("Workspaces", "窗口受理"),
                  "ui.window.workspace", "WindowWorkspace"),
    WorkspaceSpec(Role.MEDIATOR, QT_TRANSLATE_NOOP("Workspaces", "调解员工作台"),
                  "ui.mediation.workspace", "MediatorWorkspace"),
    WorkspaceSpec(Role.ARBITRATION_CLERK, QT_TRANSLATE_NOOP("Workspaces", "仲裁书记员工作台"),
                  "ui.arbitration.workspace", "ClerkWorkspace"),
    WorkspaceSpec(Role.DIRECTOR, QT_TRANSLATE_NOOP("Workspaces", "主任工作台"),
                  "ui.centre.director", "DirectorWorkspace"),
    WorkspaceSpec(Role.ADMIN, QT_TRANSLATE_NOOP("Workspaces", "系统管理工作台"),
                  "ui.centre.admin", "AdminWorkspace"),
    WorkspaceSpec(Role.WHISTLE_DESK, QT_TRANSLATE_NOOP("Workspaces", "吹哨调度台"),
                  "ui.whistle.desk", "WhistleDeskWorkspace"),
    WorkspaceSpec(Role.DEPARTMENT, QT_TRANSLATE_NOOP("Workspaces", "部门报到台"),
                  "ui.whistle.dept", "DepartmentDeskWorkspace"),
    WorkspaceSpec(Role.DIRECTOR, QT_TRANSLATE_NOOP("Workspaces", "吹哨报到考核"),
                  "ui.whistle.assessment", "WhistleAssessmentWidget"),
)


def _petition_desk(ctx: AppContext, parent: QWidget) -> QWidget:
    from ui.petitions.desk import PetitionWorkspace

    return PetitionWorkspace(ctx, parent)


# A window that serves petitions shows the petition desk under its queue.
panels.register("petition", _petition_desk)


def workspaces_for(roles: frozenset[Role] | set[Role]) -> list[WorkspaceSpec]:
    """The workspaces a user may open: their own roles' first, in table order.

    An administrator may do everything (``hall.domain.roles.allowed``), so may
    also open every other workspace, listed after their own.
    """
    own = [s for s in WORKSPACES if s.role in roles]
    if Role.ADMIN in roles:
        own += [s for s in WORKSPACES if s.role not in roles]
    return own


class PlaceholderPage(QWidget):
    """Stands in for a workspace that is not there."""

    def __init__(self, text: str, detail: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("workspacePlaceholder")
        self.text = text
        self.label = QLabel(text)
        font = QFont(self.label.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        self.label.setFont(font)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet(palette.style("color: {subtle};"))
        self.detail = QLabel(detail)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet(palette.style("color: {faint};"))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.detail)
        layout.addStretch(2)


def create_workspace(spec: WorkspaceSpec, ctx: AppContext, parent: QWidget | None = None) -> QWidget:
    """The workspace widget for ``spec``, or a placeholder page saying why not."""
    name = spec.title()
    if spec.module is None or spec.cls is None:
        return PlaceholderPage(translate("Shell", "{name}（建设中）").replace("{name}", name),
                               translate("Shell", "此工作台将在后续版本中提供。"))
    try:
        cls = getattr(importlib.import_module(spec.module), spec.cls)
    except (ImportError, AttributeError) as exc:
        log.warning("workspace %s.%s is not available: %s", spec.module, spec.cls, exc)
        return PlaceholderPage(translate("Shell", "{name}暂不可用").replace("{name}", name),
                               translate("Shell", "本程序未包含此工作台（{module}）。")
                               .replace("{module}", spec.module))
    try:
        return cls(ctx)
    except Exception as exc:  # one broken workspace must not take the others down
        report_error(exc, parent)
        return PlaceholderPage(translate("Shell", "{name}无法打开").replace("{name}", name),
                               translate("Shell", "打开工作台时出错，详情已记录在日志中。"))


def window_label(window) -> str:
    """``1号窗口 · 综合受理`` for a WindowView."""
    return translate("Shell", "{number}号窗口 · {name}").replace("{number}", str(window.number)) \
        .replace("{name}", window.name)


class WorkstationDialog(QDialog):
    """设置: which window / room this computer is, its printer, the language."""

    def __init__(self, ctx: AppContext, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.loaded = False
        self.setWindowTitle(self.tr("本机设置"))
        self.setMinimumWidth(460)

        self.window_box = QComboBox()
        self.window_box.setObjectName("windowChoice")
        self.room_box = QComboBox()
        self.room_box.setObjectName("roomChoice")
        self.printer_box = QComboBox()
        self.printer_box.setObjectName("printerChoice")
        self.printer_box.setEditable(True)
        self.language_box = QComboBox()
        self.language_box.setObjectName("languageChoice")
        for code, name in LANGUAGES.items():
            self.language_box.addItem(name, code)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(settings.get(LANGUAGE))))

        printers = list(QPrinterInfo.availablePrinterNames()) if QPrinterInfo is not None else []
        self.printer_box.addItem(self.tr("（每次打印时选择）"), "")
        for name in printers:
            self.printer_box.addItem(name, name)
        current = settings.get(PRINTER)
        if current and self.printer_box.findData(current) < 0:
            self.printer_box.addItem(current, current)
        self.printer_box.setCurrentIndex(max(0, self.printer_box.findData(current)))

        self.status = QLabel(self.tr("正在读取本中心的窗口和调解室…"))
        self.status.setWordWrap(True)
        self.note = QLabel(self.tr("界面语言在重新启动程序后生效。"))
        self.note.setStyleSheet(palette.style("color: {subtle};"))

        form = QFormLayout()
        form.addRow(self.tr("本机所在窗口(&W)："), self.window_box)
        form.addRow(self.tr("本机所在调解室(&R)："), self.room_box)
        form.addRow(self.tr("打印机(&P)："), self.printer_box)
        form.addRow(self.tr("界面语言(&L)："), self.language_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)

        db = ctx.db
        Op(self, lambda: (queue.queue_snapshot(db).windows, centre.list_rooms(db))) \
            .success(self._loaded).failure(self._failed).run()

    def _loaded(self, data) -> None:
        windows, rooms = data
        self.window_box.addItem(self.tr("（本机不是服务窗口）"), "")
        for w in windows:
            self.window_box.addItem(window_label(w), w.code)
        self.room_box.addItem(self.tr("（本机不在调解室）"), "")
        for r in rooms:
            self.room_box.addItem(r.name, r.code)
        for box, opt in ((self.window_box, WINDOW_CODE), (self.room_box, ROOM_CODE)):
            value = self.settings.get(opt)
            if value and box.findData(value) < 0:  # configured here, since removed from the centre
                box.addItem(self.tr("{code}（本中心已无此项）").replace("{code}", value), value)
            box.setCurrentIndex(max(0, box.findData(value)))
        self.status.hide()
        self.loaded = True
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        report_error(exc, self)
        self.status.setText(self.tr("无法读取窗口列表，请稍后再试。"))

    def accept(self) -> None:
        if not self.loaded:
            return
        self.settings.set(WINDOW_CODE, self.window_box.currentData() or "")
        self.settings.set(ROOM_CODE, self.room_box.currentData() or "")
        printer = self.printer_box.currentText().strip()
        if self.printer_box.currentIndex() == 0 and printer == self.printer_box.itemText(0):
            printer = ""
        self.settings.set(PRINTER, printer)
        self.settings.set(LANGUAGE, self.language_box.currentData())
        self.settings.sync()
        super().accept()


class MainWindow(QMainWindow):
    """The signed-in user's window. Starts the shared event feed."""

    signed_out = Signal()   # 切换用户: the window closed, show the sign-in again
    closed = Signal()       # the window closed for good (退出)

    def __init__(self, ctx: AppContext, settings: Settings, *, centre_name: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.setObjectName("mainWindow")
        if centre_name is None:
            try:
                centre_name = centre.centre_profile(ctx.db).get("name", "")
            except Exception:  # the title is not worth failing the sign-in for
                log.exception("could not read the centre's name")
                centre_name = ""
        self.centre_name = centre_name or self.tr("社会治理服务中心")
        self.specs = workspaces_for(ctx.actor.roles)
        self.pages: dict[Role, QWidget] = {}
        self.current: WorkspaceSpec | None = None
        self._signing_out = False
        self._shut_down = False
        self._window_names: dict[str, str] = {}

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._build_switcher()
        self._build_menus()
        self._build_status_bar()

        ctx.feed.offline.connect(self._offline)
        ctx.feed.online.connect(self._online)
        ctx.feed.mode.connect(self._feed_mode)
        ctx.feed.start()
        self._load_window_names()

        if self.specs:
            self.switch_to(self.specs[0].role)
        else:  # an account without a role cannot do anything here
            self.stack.addWidget(PlaceholderPage(self.tr("此账户没有可用的工作台"),
                                                 self.tr("请联系管理员为账户分配角色。")))
            self._update_title()

    # ------------------------------------------------------------- building
    def _build_switcher(self) -> None:
        # Ctrl+PgDown / Ctrl+PgUp, not Ctrl+digits or F-keys: the workspaces use
        # those for their own work (taking a number, priorities, calling).
        self.switcher: QComboBox | None = None
        self.switch_actions: dict[Role, QAction] = {}
        self.switch_group = QActionGroup(self)
        self.switch_group.setExclusive(True)
        for spec in self.specs:
            act = QAction(spec.title(), self)
            act.setCheckable(True)
            act.triggered.connect(lambda _checked=False, r=spec.role: self.switch_to(r))
            self.switch_group.addAction(act)
            self.switch_actions[spec.role] = act
        self.next_action = QAction(self.tr("下一个工作台(&N)"), self)
        self.next_action.setShortcut(QKeySequence("Ctrl+PgDown"))
        self.next_action.triggered.connect(lambda: self.switch_by(1))
        self.previous_action = QAction(self.tr("上一个工作台(&P)"), self)
        self.previous_action.setShortcut(QKeySequence("Ctrl+PgUp"))
        self.previous_action.triggered.connect(lambda: self.switch_by(-1))
        if len(self.specs) < 2:
            return
        bar = QToolBar(self.tr("工作台"))
        bar.setObjectName("workspaceBar")
        bar.setMovable(False)
        bar.addWidget(QLabel(self.tr("工作台：")))
        self.switcher = QComboBox()
        self.switcher.setObjectName("workspaceSwitcher")
        self.switcher.setToolTip(self.tr("切换工作台（Ctrl+PgDown / Ctrl+PgUp）"))
        for spec in self.specs:
            self.switcher.addItem(spec.title(), spec.role.value)
        self.switcher.activated.connect(
            lambda index: self.switch_to(Role(self.switcher.itemData(index))))
        bar.addWidget(self.switcher)
        self.addToolBar(bar)

    def _build_menus(self) -> None:
        system = self.menuBar().addMenu(self.tr("系统(&S)"))
        self.settings_action = QAction(self.tr("设置(&S)…"), self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        system.addAction(self.settings_action)
        system.addSeparator()
        self.sign_out_action = QAction(self.tr("切换用户(&U)"), self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.sign_out_action.triggered.connect(self.sign_out)
        system.addAction(self.sign_out_action)
        self.quit_action = QAction(self.tr("退出(&X)"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        system.addAction(self.quit_action)
        if len(self.specs) > 1:
            menu = self.menuBar().addMenu(self.tr("工作台(&W)"))
            for spec in self.specs:
                menu.addAction(self.switch_actions[spec.role])
            menu.addSeparator()
            menu.addAction(self.next_action)
            menu.addAction(self.previous_action)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.about_action = QAction(self.tr("关于(&A)"), self)  # no F1: the front desk takes numbers with it
        self.about_action.triggered.connect(self.about)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_label = QLabel(self.tr("{name}（{username}）")
                                 .replace("{name}", self.ctx.actor.display_name or self.ctx.actor.username)
                                 .replace("{username}", self.ctx.actor.username))
        self.workstation_label = QLabel()
        self.workstation_label.setObjectName("workstationLabel")
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connectionLabel")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clockLabel")
        for w in (self.user_label, self.workstation_label, self.connection_label, self.clock_label):
            w.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(w)
        self._online()
        self._update_workstation()
        self.clock = QTimer(self)
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self._tick)
        self.clock.start()
        self._tick()

    # ------------------------------------------------------------ workspaces
    @property
    def current_role(self) -> Role | None:
        return self.current.role if self.current else None

    @property
    def current_page(self) -> QWidget | None:
        return self.pages.get(self.current.role) if self.current else None

    def switch_to(self, role: Role) -> None:
        spec = next((s for s in self.specs if s.role == role), None)
        if spec is None:
            log.warning("%s may not open the %s workspace", self.ctx.actor.username, role.value)
            return
        page = self.pages.get(role)
        if page is None:
            page = create_workspace(spec, self.ctx, self)
            self.pages[role] = page
            self.stack.addWidget(page)
            chosen = getattr(page, "window_chosen", None)
            if chosen is not None:  # a window workspace asked which window this computer is
                chosen.connect(self._remember_window)
        self.current = spec
        self.stack.setCurrentWidget(page)
        self.switch_actions[role].setChecked(True)
        if self.switcher is not None:
            self.switcher.setCurrentIndex(self.switcher.findData(role.value))
        self._update_title()

    def switch_by(self, step: int) -> None:
        """The next (1) or previous (-1) workspace, round the list."""
        if len(self.specs) < 2 or self.current is None:
            return
        i = self.specs.index(self.current)
        self.switch_to(self.specs[(i + step) % len(self.specs)].role)

    def _remember_window(self, code: str) -> None:
        self.settings.set(WINDOW_CODE, code or "")
        self.settings.sync()
        self._update_workstation()

    def _update_title(self) -> None:
        parts = [self.centre_name]
        if self.current is not None:
            parts.append(self.current.title())
        parts.append(self.ctx.actor.display_name or self.ctx.actor.username)
        self.setWindowTitle(" — ".join(parts))

    def _reload_workspaces(self) -> None:
        """Rebuild the workspaces (this computer's window or room changed)."""
        role = self.current_role
        self._shutdown_pages()
        wait_all()  # their background calls report back before the pages go
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        if role is not None:
            self.switch_to(role)

    def _shutdown_pages(self) -> None:
        for page in self.pages.values():
            hook = getattr(page, "shutdown", None)
            if callable(hook):
                try:
                    hook()
                except Exception:
                    log.exception("workspace %s failed to shut down", type(page).__name__)

    # ----------------------------------------------------------- status bar
    def _tick(self) -> None:
        now = to_local(self.ctx.db.clock.now())
        weekday = QLocale().dayName(QDate(now.year, now.month, now.day).dayOfWeek())
        text = f"{now:%Y-%m-%d} {weekday} {now:%H:%M:%S}"
        if set_from_environment(self.ctx.db.clock):
            text += self.tr("（模拟时间，仅供测试演示）")
        self.clock_label.setText(text)

    def _offline(self, message: str = "") -> None:
        self.connection_label.setText(self.tr("● 连接中断，正在重试…"))
        self.connection_label.setStyleSheet(palette.style("color: {overdue}; font-weight: bold;"))
        self.connection_label.setToolTip(message)

    def _online(self) -> None:
        if getattr(self, "_feed_fallback", ""):
            self.connection_label.setText(self.tr("● 已连接（定时刷新）"))
            self.connection_label.setStyleSheet(palette.style("color: {due_today};"))
            self.connection_label.setToolTip(self._feed_fallback)
            return
        self.connection_label.setText(self.tr("● 已连接"))
        self.connection_label.setStyleSheet(palette.style("color: {online};"))
        self.connection_label.setToolTip(self.tr("与数据库的连接正常"))

    def _feed_mode(self, mode: str, message: str) -> None:
        """PostgreSQL: live notifications, or polling while their connection is down."""
        from ui.common.live import MODE_POLLING

        self._feed_fallback = message if mode == MODE_POLLING else ""
        self._online()

    def _load_window_names(self) -> None:
        db = self.ctx.db
        Op(self, lambda: queue.queue_snapshot(db).windows).success(self._got_windows) \
            .failure(lambda exc: log.warning("could not read the windows: %s", exc)).run()

    def _got_windows(self, windows) -> None:
        self._window_names = {w.code: window_label(w) for w in windows}
        self._update_workstation()

    def _update_workstation(self) -> None:
        ws = self.ctx.workstation
        if ws.window_code:
            where = self._window_names.get(ws.window_code) or \
                self.tr("窗口 {code}").replace("{code}", ws.window_code)
        elif ws.room_code:
            where = self.tr("调解室 {code}").replace("{code}", ws.room_code)
        else:
            where = self.tr("未指定窗口")
        self.workstation_label.setText(self.tr("本机：{where}").replace("{where}", where))

    # --------------------------------------------------------------- menus
    def open_settings(self) -> None:
        dialog = WorkstationDialog(self.ctx, self.settings, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.apply_workstation_settings()

    def apply_workstation_settings(self) -> None:
        """Take this computer's settings into use after 设置 was saved."""
        new = self.settings.workstation()
        ws = self.ctx.workstation
        place_changed = (new.window_code, new.room_code) != (ws.window_code, ws.room_code)
        ws.window_code, ws.room_code, ws.printer = new.window_code, new.room_code, new.printer
        self._update_workstation()
        if place_changed:
            self._reload_workspaces()
        if self.settings.get(LANGUAGE) != current_language():
            self.statusBar().showMessage(self.tr("界面语言将在重新启动程序后更改。"), 8000)

    def about(self) -> None:
        QMessageBox.about(self, self.tr("关于"), self.tr(
            "<b>{centre}</b><br>一站式矛盾纠纷调处化解服务大厅管理系统<br>版本 {version}")
            .replace("{centre}", self.centre_name).replace("{version}", APP_VERSION))

    def sign_out(self) -> None:
        self._signing_out = True
        self.close()

    # ------------------------------------------------------------- closing
    def shutdown(self) -> None:
        """Stop the feed and the clock and let background calls report back."""
        if self._shut_down:
            return
        self._shut_down = True
        self.clock.stop()
        self.ctx.feed.stop()
        self._shutdown_pages()
        if not wait_all():
            log.warning("background work still running at close")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
        if self._signing_out:
            self._signing_out = False
            self.signed_out.emit()
        else:
            self.closed.emit()

