"""``hall``: the desktop program.

Start-up, step by step (each step is a function, so tests run them without
an event loop)::

    parse_args          --db URL, --board, --window CODE, --lang en|zh_CN
    install_translations  Qt's qtbase_zh_CN.qm, or hall_<lang>.qm
    check_cjk_font      a font that draws Chinese, else say which to install
    choose_database     --db > 设置 > HALL_DATABASE_URL > the SQLite file
    open_database       connect, upgrade the schema; refuse a newer schema
    first run           the default SQLite file with no services: the demo centre
    Launcher            the call board (--board), or sign-in -> main window

The sign-in window does not wait for the database: ``main`` shows it first
and opens the database off the UI thread (importing the database layer is
most of a cold start); the name and password can be typed meanwhile, and a
sign-in asked for before the database is open goes ahead when it is.

A failure at any step is a Chinese message box and exit code 1, never a
traceback (the traceback goes to the log).
"""
from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from hall.domain.clock import FakeNowError
from hall.logsetup import configure_logging
from ui.common import collector, errors
from ui.common.i18n import install_translations
from ui.common.ops import Op
from ui.common.settings import (
    BOARD_SCREEN,
    DATABASE_URL,
    LANGUAGE,
    LAST_CENTRE,
    POLL_INTERVAL_MS,
    WINDOW_CODE,
    Settings,
)
from ui.qt import (
    QApplication,
    QCoreApplication,
    QEvent,
    QEventLoop,
    QFontDatabase,
    QGuiApplication,
    QLabel,
    QMessageBox,
    QObject,
    QProgressDialog,
    Qt,
    QWidget,
    Signal,
)

if TYPE_CHECKING:  # imported when the database is opened, off the sign-in window's path
    from hall.services.database import Database
    from ui.login import LoginDialog
    from ui.shell import MainWindow

log = logging.getLogger("hall.ui.app")

EXIT_OK = 0
EXIT_ERROR = 1

FONT_PACKAGE = "fonts-wqy-zenhei"


# Plain ``translate("Context", ...)`` so that pyside6-lupdate finds the strings.
translate = QCoreApplication.translate


class StartupError(Exception):
    """Start-up cannot go on; ``title`` and ``text`` are shown to the user."""

    def __init__(self, title: str, text: str):
        super().__init__(text)
        self.title = title
        self.text = text


@dataclass
class Boot:
    """What start-up produced: an open, current database and where it came from."""

    db: Database
    source: str                 # "argument", "settings", "environment" or "default"
    demo_installed: bool = False


# --------------------------------------------------------------- arguments
class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # a message box, not a usage line on a console nobody sees
        raise StartupError(translate("Startup", "命令行参数有误"), message)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = _Parser(prog="hall", description="社会治理服务中心 一站式服务大厅客户端")
    p.add_argument("--db", metavar="URL",
                   help="数据库地址（SQLite 文件路径或 postgresql://...），只用于本次运行")
    p.add_argument("--board", action="store_true",
                   help="全屏显示叫号屏，无需登录（用于大厅墙上的显示屏）")
    p.add_argument("--area", metavar="区域",
                   help="与 --board 一起用：只显示该楼层/区域窗口的叫号与业务（如 二楼）")
    p.add_argument("--window-display", metavar="CODE", dest="window_display",
                   help="全屏显示某个窗口上方的小屏（窗口代码，如 w03），无需登录")
    p.add_argument("--kiosk", action="store_true",
                   help="全屏显示自助评价机：群众输入小票上的评价码评价，无需登录")
    p.add_argument("--window", metavar="CODE", help="设置本机所在窗口（窗口代码或编号），并保存")
    p.add_argument("--lang", choices=("zh_CN", "en"), help="界面语言，只用于本次运行")
    return p.parse_args(list(argv))


# ------------------------------------------------------------------- steps
def cjk_font_families() -> list[str]:
    if QGuiApplication.instance() is None:  # Qt would abort the process
        raise RuntimeError("the font check needs the QApplication")
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def check_cjk_font() -> None:
    """Refuse to start with no font that can draw Chinese: every label would be boxes."""
    families = cjk_font_families()
    if families:
        log.info("Chinese fonts: %s", ", ".join(families[:5]))
        return
    # Written twice: in Chinese as required, and in ASCII, since without a
    # Chinese font the Chinese line itself cannot be drawn.
    raise StartupError(
        translate("Startup", "缺少中文字体") + " / No Chinese font",
        translate("Startup", "本机没有能显示中文的字体，程序无法正常显示。请安装中文字体后再启动，"
                             "例如在 Debian / Ubuntu 上执行：sudo apt install {package}")
        .replace("{package}", FONT_PACKAGE)
        + f"\n\nNo font for Chinese text is installed. Install one, e.g.: sudo apt install {FONT_PACKAGE}")


def choose_database(args: argparse.Namespace, settings: Settings) -> tuple[str | None, str]:
    """(URL, where it came from). ``None`` means the default SQLite file."""
    if getattr(args, "db", None):
        return args.db, "argument"
    configured = settings.get(DATABASE_URL)
    if configured:
        return configured, "settings"
    from hall.services.database import ENV_URL

    env = os.environ.get(ENV_URL)
    if env:
        return env, "environment"
    return None, "default"


def open_database(url: str | None) -> Database:
    """Connect and bring the schema up to date; any failure is a :class:`StartupError`."""
    from hall.services.database import BadAddress, Database, DatabaseError, SchemaError, Unreachable, shown_url

    where = shown_url(url) if url else translate("Startup", "本机默认数据库")
    db = None
    try:
        db = Database(url)
        db.ping()
        db.upgrade()
        return db
    except SchemaError as exc:
        title, text = translate("Startup", "无法使用此数据库"), str(exc)
        error: Exception = exc
    except FakeNowError as exc:
        title, text = translate("Startup", "模拟时间设置有误"), str(exc)
        error = exc
    except Unreachable as exc:
        log.error("cannot open the database %s: %s", where, exc)
        title = translate("Startup", "无法连接数据库")
        text = translate("Startup", "无法打开数据库 {where}。请检查网络连接和数据库地址"
                                    "（系统 → 设置，或命令行参数 --db），或联系管理员。").replace("{where}", where)
        error = exc
    except (*BadAddress, ValueError) as exc:
        log.error("bad database address %r: %s", where, exc)
        title = translate("Startup", "数据库地址有误")
        text = translate("Startup", "数据库地址“{url}”格式不正确。SQLite 请填写文件路径，PostgreSQL 请填写 "
                                    "postgresql://用户名:密码@主机/数据库名。").replace("{url}", where)
        error = exc
    except (DatabaseError, OSError, ImportError) as exc:
        log.exception("cannot open the database %s", where)
        title = translate("Startup", "无法打开数据库")
        text = translate("Startup", "打开数据库 {where} 时出错（{error}）。详情已记录在日志中。") \
            .replace("{where}", where).replace("{error}", type(exc).__name__)
        error = exc
    if db is not None:
        db.dispose()
    raise StartupError(title, text) from error


def needs_demo(db: Database) -> bool:
    """A hall with no services has never been set up."""
    from hall.services.centre import list_services

    return not list_services(db)


def run_with_wait_message(fn, text: str, parent: QWidget | None = None):
    """Run ``fn`` off the UI thread behind a small "please wait" window; return its result."""
    box = QProgressDialog(parent)
    label = QLabel(text)
    label.setWordWrap(True)
    box.setLabel(label)
    box.setRange(0, 0)
    box.setWindowTitle(translate("Startup", "请稍候"))
    box.setCancelButton(None)
    box.setWindowModality(Qt.WindowModality.ApplicationModal)
    box.setMinimumDuration(0)
    box.setMinimumWidth(420)
    box.show()
    loop = QEventLoop()
    outcome: dict = {}

    def done(result) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    Op(box, fn).success(done).failure(failed).run()
    loop.exec()
    box.close()
    box.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def install_first_run_demo(db: Database, parent: QWidget | None = None) -> dict:
    """The first start on this computer: a demo centre to try the program with."""
    from hall.services import system_actor
    from hall.services.database import shown_url
    from hall.services.demo import install_demo

    log.info("first run: installing the demo centre into %s", shown_url(db.url))
    try:
        return run_with_wait_message(
            lambda: install_demo(db, system_actor(socket.gethostname()), history=True),
            translate("Startup", "首次运行：正在创建示范中心（服务项目、窗口、工作人员和近30天的"
                                 "办理记录），请稍候…"),
            parent)
    except Exception as exc:
        log.exception("demo installation failed")
        raise StartupError(translate("Startup", "无法创建示范中心"),
                           translate("Startup", "首次运行时创建示范中心失败，详情已记录在日志中。"
                                                "可以用 hall-admin demo 命令重试。")) from exc


def resolve_window(db: Database, text: str) -> str:
    """``--window``: a window's code or number -> its code."""
    from hall.services import queue

    windows = queue.queue_snapshot(db).windows
    for w in windows:
        if text in (w.code, str(w.number)):
            return w.code
    available = "、".join(
        translate("Startup", "{number}号窗口 {name}（{code}）").replace("{number}", str(w.number))
        .replace("{name}", w.name).replace("{code}", w.code) for w in windows) or translate("Startup", "无")
    raise StartupError(translate("Startup", "没有这个窗口"),
                       translate("Startup", "本中心没有代码或编号为“{window}”的窗口。可用的窗口：{list}")
                       .replace("{window}", text).replace("{list}", available))


def startup(args: argparse.Namespace, settings: Settings, parent: QWidget | None = None) -> Boot:
    """Every start-up step after the translations; raises :class:`StartupError`."""
    check_cjk_font()
    url, source = choose_database(args, settings)
    return finish_startup(open_database(url), source, args, settings, parent)


def finish_startup(db: Database, source: str, args: argparse.Namespace, settings: Settings,
                   parent: QWidget | None = None) -> Boot:
    """The steps after the database is open: the first run's demo centre, ``--window``."""
    from hall.services.database import DatabaseError, shown_url

    log.info("database %s (from %s)", shown_url(db.url), source)
    boot = Boot(db, source)
    try:
        if source == "default" and needs_demo(db):
            install_first_run_demo(db, parent)
            boot.demo_installed = True
        if getattr(args, "window", None):
            settings.set(WINDOW_CODE, resolve_window(db, args.window))
            settings.sync()
    except StartupError:
        db.dispose()
        raise
    except DatabaseError as exc:
        db.dispose()
        log.exception("start-up failed")
        raise StartupError(translate("Startup", "无法连接数据库"), errors.user_message(exc)[1]) from exc
    return boot


def show_startup_error(exc: StartupError, parent: QWidget | None = None) -> None:
    log.error("start-up stopped: %s: %s", exc.title, exc.text)
    if errors.message_sink is not None:
        errors.message_sink(exc.title, exc.text)
        return
    if QApplication.instance() is None:  # pragma: no cover - main() always has one
        sys.stderr.write(f"{exc.title}: {exc.text}\n")
        return
    box = QMessageBox(QMessageBox.Icon.Critical, exc.title, exc.text, QMessageBox.StandardButton.Ok, parent)
    box.exec()


# ---------------------------------------------------------------- launcher
def workstation_name(settings: Settings) -> str:
    """How this computer appears in the audit trail."""
    host = socket.gethostname()
    window = settings.get(WINDOW_CODE)
    return f"{host}/{window}" if window else host


class Launcher(QObject):
    """Sign-in, main window, 切换用户 back to sign-in; or the call board.

    ``finished(exit_code)`` when the user is done (the sign-in cancelled, the
    main window or the board closed).
    """

    finished = Signal(int)
    #: The database is open behind the sign-in window (:meth:`open_database_behind_login`).
    database_ready = Signal()

    def __init__(self, boot: Boot | None, settings: Settings, parent: QObject | None = None):
        super().__init__(parent)
        self.boot = boot
        self.settings = settings
        self.login: LoginDialog | None = None
        self.shell: MainWindow | None = None
        # the unattended full-screen page: call board, window display or rating kiosk
        self.board: QWidget | None = None
        self.centre_name = ""
        self.area: str | None = None  # hall --board --area 二楼

    @property
    def db(self) -> Database:
        if self.boot is None:
            raise RuntimeError("the database is not open yet")
        return self.boot.db

    def _read_centre_name(self) -> str:
        from hall.services.centre import centre_profile
        from hall.services.database import DatabaseError

        try:
            name = centre_profile(self.db).get("name", "")
        except DatabaseError:
            log.exception("could not read the centre's name")
            return ""
        if name and name != self.settings.get(LAST_CENTRE):
            self.settings.set(LAST_CENTRE, name)   # the sign-in window's heading before the next connection
        return name

    # -- sign-in and the main window
    def show_login(self) -> None:
        """The sign-in window; without a database yet (``boot`` None) it shows
        at once, headed with the centre last connected to, and
        :meth:`database_open` lets it sign in."""
        from ui.login import LoginDialog

        self.centre_name = self._read_centre_name() if self.boot is not None else self.settings.get(LAST_CENTRE)
        self.login = LoginDialog(self.boot.db if self.boot is not None else None, self.settings,
                                 centre_name=self.centre_name, workstation=workstation_name(self.settings))
        self.login.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.login.signed_in.connect(self._signed_in)
        self.login.rejected.connect(self._login_cancelled)
        self.login.show()
        self.login.raise_()
        self.login.activateWindow()

    def open_database_behind_login(self, args: argparse.Namespace) -> None:
        """Open the database off the UI thread while the sign-in window shows.

        Then, on the UI thread, the steps that may ask or tell the user
        something (the first run's demo centre, ``--window``); a failure
        closes the window, shows its message and ends with exit code 1.
        """
        url, source = choose_database(args, self.settings)
        Op(self, lambda: open_database(url)).success(lambda db: self._database_opened(db, source, args)) \
            .failure(self._database_failed).run()

    def _database_opened(self, db: Database, source: str, args: argparse.Namespace) -> None:
        try:
            boot = finish_startup(db, source, args, self.settings, self.login)
        except StartupError as exc:
            self._database_failed(exc)
            return
        self.database_open(boot)

    def database_open(self, boot: Boot) -> None:
        """The database is open: the sign-in window can sign in."""
        self.boot = boot
        self.centre_name = self._read_centre_name() or self.centre_name
        if self.login is not None:
            self.login.set_database(boot.db, self.centre_name)
        self.database_ready.emit()

    def _database_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, StartupError):
            log.error("start-up failed", exc_info=exc)
            exc = StartupError(translate("Startup", "程序无法启动"), errors.user_message(exc)[1])
        if self.login is not None:
            login, self.login = self.login, None
            login.rejected.disconnect(self._login_cancelled)
            login.close()
        show_startup_error(exc)
        self.finished.emit(EXIT_ERROR)

    def _login_cancelled(self) -> None:
        self.login = None
        self.finished.emit(EXIT_OK)

    def _signed_in(self, actor) -> None:
        from ui.common.context import AppContext
        from ui.common.live import EventFeed
        from ui.shell import MainWindow

        self.login = None
        feed = EventFeed(self.db, interval_ms=self.settings.get(POLL_INTERVAL_MS))
        ctx = AppContext(self.db, actor, feed, self.settings.workstation())
        self.shell = MainWindow(ctx, self.settings, centre_name=self.centre_name)
        feed.setParent(self.shell)
        self.shell.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shell.signed_out.connect(self._signed_out)
        self.shell.closed.connect(self._shell_closed)
        self.shell.resize(1366, 768)
        self.shell.showMaximized()

    def _signed_out(self) -> None:
        log.info("signed out")
        self.shell = None
        self.show_login()

    def _shell_closed(self) -> None:
        self.shell = None
        self.finished.emit(EXIT_OK)

    # -- the call board
    def show_kiosk(self) -> None:
        """The self-service rating kiosk: no sign-in, full screen; visitors type
        the code printed on their ticket (same life cycle as the board)."""
        from ui.window.rating import KioskRatingPanel

        self.board = KioskRatingPanel(self.db)
        self.board.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.board.installEventFilter(self)
        self.board.showFullScreen()

    def show_board(self) -> None:
        """The wall screen: no sign-in, full screen on the configured display."""
        try:
            from ui.board.callboard import CallBoard
        except ImportError as exc:
            log.error("the call board is not available: %s", exc)
            raise StartupError(translate("Startup", "叫号屏不可用"),
                               translate("Startup", "本程序未包含叫号屏模块，无法以 --board 方式启动。")) from exc
        area = (self.area or "").strip() or None
        if area is not None:
            from hall.services import queue as queue_service

            areas = sorted({w.area for w in queue_service.queue_snapshot(self.db).windows if w.area})
            if area not in areas:
                raise StartupError(translate("Startup", "叫号屏不可用"),
                                   translate("Startup", "没有区域“{area}”的窗口（已有区域：{areas}）")
                                   .replace("{area}", area).replace("{areas}", "、".join(areas) or "无"))
        self.board = CallBoard(self.db, area=area) if area else CallBoard(self.db)
        self.board.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.board.installEventFilter(self)
        screens = QGuiApplication.screens()
        if screens:
            index = min(self.settings.get(BOARD_SCREEN), len(screens) - 1)
            screen = screens[index]
            self.board.setScreen(screen)
            self.board.setGeometry(screen.geometry())
        self.board.showFullScreen()

    def show_window_display(self, code: str) -> None:
        """The small screen above one window: no sign-in, full screen."""
        from hall.services import queue as queue_service
        from ui.board.window_display import WindowDisplay

        codes = [w.code for w in queue_service.queue_snapshot(self.db).windows]
        if code not in codes:
            raise StartupError(translate("Startup", "窗口显示屏不可用"),
                               translate("Startup", "没有代码为“{code}”的窗口（可用：{codes}）")
                               .replace("{code}", code).replace("{codes}", "、".join(codes)))
        self.board = WindowDisplay(self.db, code)
        self.board.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.board.installEventFilter(self)
        self.board.showFullScreen()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.board and event.type() == QEvent.Type.Close:
            watched.removeEventFilter(self)
            self.board = None  # the unattended full-screen page: call board or rating kiosk
            self.finished.emit(EXIT_OK)
        return False

    def shutdown(self) -> None:
        for w in (self.shell, self.board, self.login):
            if w is not None:
                w.close()


# -------------------------------------------------------------------- main
def application(argv: Sequence[str]) -> QApplication:
    # the hall makes only widget applications (a QCoreApplication would have been
    # made by someone else, and Qt allows one application per process)
    app = cast("QApplication | None", QApplication.instance())
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "hall", *argv])
    app.setOrganizationName("hall")
    app.setApplicationName("hall")
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """The ``hall`` command. Returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    configure_logging("hall")
    created = QApplication.instance() is None
    app = application(argv)
    collector.install(app)
    errors.install_excepthook()
    settings = Settings()
    try:
        try:
            # Qt removes the options it understands (-platform...) from its copy.
            args = parse_args(app.arguments()[1:] if created else argv)
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        install_translations(app, args.lang or settings.get(LANGUAGE))
        unattended = bool(args.window_display or args.board or args.kiosk)
        if unattended:
            boot: Boot | None = startup(args, settings)
        else:  # the sign-in window first, the database behind it
            check_cjk_font()
            boot = None
    except StartupError as exc:
        show_startup_error(exc)
        return EXIT_ERROR
    except Exception as exc:  # never a traceback in the user's face
        log.exception("start-up failed")
        show_startup_error(StartupError(translate("Startup", "程序无法启动"),
                                        errors.user_message(exc)[1]))
        return EXIT_ERROR

    launcher = Launcher(boot, settings)
    app.setQuitOnLastWindowClosed(False)
    launcher.finished.connect(app.exit)
    try:
        launcher.area = args.area
        if args.window_display:
            launcher.show_window_display(args.window_display)
        elif args.board:
            launcher.show_board()
        elif args.kiosk:
            launcher.show_kiosk()
        else:
            launcher.show_login()
            launcher.open_database_behind_login(args)
    except StartupError as exc:
        show_startup_error(exc)
        if launcher.boot is not None:
            launcher.boot.db.dispose()
        return EXIT_ERROR
    code = app.exec()
    launcher.shutdown()
    settings.sync()
    if launcher.boot is not None:
        launcher.boot.db.dispose()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
