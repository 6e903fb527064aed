"""Pictures of the program for the documentation.

``python -m ui.screenshots OUTDIR [--lang en]`` builds a demo hall in a
temporary SQLite file (the demo centre with its history, a few visitors
waiting, window 1 open and serving one), then saves PNG grabs of the sign-in
dialog, the 设置 dialog and the main window with each workspace that this
installation has, and the call board. A workspace whose module is missing is
skipped, not an error. Runs without a screen (``QT_QPA_PLATFORM=offscreen``)
and never touches this computer's settings or database.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("hall.ui.screenshots")

SHELL_SIZE = (1366, 768)
BOARD_SIZE = (1920, 1080)

#: (file name, demo user, window code) for each workspace picture.
SHELL_SHOTS = (
    ("frontdesk.png", "qiantai", None, "ui.frontdesk.workspace", "FrontDeskWorkspace"),
    ("window.png", "chuangkou1", "w01", "ui.window.workspace", "WindowWorkspace"),
    ("petition_window.png", "chuangkou2", "w02", "ui.window.workspace", "WindowWorkspace"),
    ("mediator.png", "tiaojie", None, "ui.mediation.workspace", "MediatorWorkspace"),
    ("clerk.png", "shuji", None, "ui.arbitration.workspace", "ClerkWorkspace"),
    ("director.png", "zhuren", None, "ui.centre.director", "DirectorWorkspace"),
    ("admin.png", "admin", None, "ui.centre.admin", "AdminWorkspace"),
)

#: Visitors already waiting when the pictures are taken: (service, name, priority).
WAITING = (
    ("general", "张伟", None), ("labour", "李秀英", None), ("housing", "王建国", "elderly"),
    ("petition", "刘芳", None), ("general", "陈静", None), ("mediation", "杨明", None),
    ("labour", "赵丽", "pregnant"), ("legal_aid", "黄磊", None), ("general", "周杰", None),
)


def _settle(ms: int = 500) -> None:
    """Let timers fire and background calls report back."""
    from ui.common.ops import wait_all
    from ui.qt import QCoreApplication, QEventLoop, QTimer

    for _ in range(3):
        loop = QEventLoop()
        QTimer.singleShot(ms // 3, loop.quit)
        loop.exec()
        wait_all()
        QCoreApplication.processEvents()


def build_demo_hall(folder: Path):
    """A demo hall on a fixed Monday morning, with a queue."""
    from hall.domain.clock import FixedClock
    from hall.services import queue, system_actor, users
    from hall.services.database import Database
    from hall.services.demo import install_demo, load_demo_data

    clock = FixedClock()
    clock.set_local(dt.datetime(2026, 11, 23, 9, 40))
    db = Database(f"sqlite:///{folder / 'hall.db'}", clock=clock)
    db.upgrade()
    install_demo(db, system_actor("screenshots"), history=True)  # with its open cases
    password = load_demo_data()["demo_password"]
    desk = users.authenticate(db, "qiantai", password, "front-desk-1")
    for service, name, priority in WAITING:
        try:
            queue.issue_ticket(db, desk, service, name=name, priority=priority)
        except Exception as exc:  # a demo centre without that service still gets its pictures
            log.warning("could not issue a %s ticket: %s", service, exc)
        clock.advance(minutes=2)
    window = users.authenticate(db, "chuangkou1", password, "window-1")
    queue.open_window(db, window, "w01")
    queue.call_next(db, window, "w01")
    clock.advance(minutes=3)
    return db, password


def _available(module: str, cls: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), cls)
    except ImportError as exc:
        log.info("skipping %s: %s", module, exc)
        return False


def quiet_board(db):
    """The call board without a voice: a speech engine may hang with no sound device,
    and a picture needs none."""
    from ui.board.callboard import CallBoard

    try:
        from ui.board.announcer import Announcer, Speech
        from ui.qt import QTimer
    except ImportError:
        return CallBoard(db)

    class Silent(Speech):
        def __init__(self):
            super().__init__()
            self.available = True
            self.reason = ""

        def say(self, text: str) -> None:
            QTimer.singleShot(0, self.finished.emit)

    try:
        return CallBoard(db, announcer=Announcer(speech=Silent(), chime=False))
    except TypeError:  # a board that takes no announcer
        return CallBoard(db)


def take(name: str, outdir: Path, make: Callable, size: tuple[int, int] | None, saved: list[Path]) -> None:
    widget = make()
    try:
        if size is not None:
            widget.resize(*size)
        widget.show()
        _settle()
        path = outdir / name
        if not widget.grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        saved.append(path)
        log.info("saved %s", path)
    finally:
        widget.close()
        _settle(100)
        widget.deleteLater()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description="界面截图")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--lang", choices=("zh_CN", "en"), default="zh_CN")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("alembic").setLevel(logging.WARNING)

    from hall.services import centre, users
    from ui.app import application
    from ui.common.context import AppContext
    from ui.common.i18n import install_translations
    from ui.common.live import EventFeed
    from ui.common.settings import LAST_USERNAME, WINDOW_CODE, Settings
    from ui.login import LoginDialog
    from ui.qt import QSettings
    from ui.shell import MainWindow, WorkstationDialog

    args.outdir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="hall-shots-") as tmp:
        folder = Path(tmp)
        # This computer's own settings stay untouched.
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "config"))
        app = application([])
        install_translations(app, args.lang)
        db, password = build_demo_hall(folder)
        centre_name = centre.centre_profile(db).get("name", "")
        settings = Settings()
        settings.set(LAST_USERNAME, "qiantai")

        def shot(name: str, make: Callable, size: tuple[int, int] | None = None) -> None:
            try:
                take(name, args.outdir, make, size, saved)
            except Exception:
                log.exception("could not take %s", name)
                failed.append(name)

        shot("login.png", lambda: LoginDialog(db, settings, centre_name=centre_name))

        def shell_for(username: str, window: str | None):
            def make():
                settings.set(WINDOW_CODE, window or "")
                actor = users.authenticate(db, username, password, "screenshots")
                ctx = AppContext(db, actor, EventFeed(db), settings.workstation())
                return MainWindow(ctx, settings, centre_name=centre_name)
            return make

        def mediator_at_work():
            from hall.domain.roles import Role
            from hall.services.cases import search_cases

            shell = shell_for("tiaojie", None)()
            shell.switch_to(Role.MEDIATOR)
            page = shell.current_page
            rows = search_cases(db, page.ctx.actor, "陈晓梅").rows
            if rows:
                page.open_case(rows[0].id)
            return shell

        def clerk_board():
            shell = shell_for("shuji", None)()
            shell.current_page.board.set_filter("open")
            return shell

        special = {"mediator.png": mediator_at_work, "clerk.png": clerk_board}
        for name, username, window, module, cls in SHELL_SHOTS:
            if _available(module, cls):
                shot(name, special.get(name) or shell_for(username, window), SHELL_SIZE)
        # a mediator who also serves at window 4: the workspace switcher
        shot("shell_two_roles.png", shell_for("tiaojie", "w04"), SHELL_SIZE)

        def settings_dialog():
            settings.set(WINDOW_CODE, "w01")
            actor = users.authenticate(db, "chuangkou1", password, "screenshots")
            ctx = AppContext(db, actor, EventFeed(db), settings.workstation())
            return WorkstationDialog(ctx, settings)

        shot("settings.png", settings_dialog)

        if _available("ui.board.callboard", "CallBoard"):
            shot("board.png", lambda: quiet_board(db), BOARD_SIZE)
        if _available("ui.board.window_display", "WindowDisplay"):
            from ui.board.window_display import WindowDisplay

            shot("window_display.png", lambda: WindowDisplay(db, "w01"), (800, 450))
        db.dispose()
    log.info("%d pictures in %s", len(saved), args.outdir)
    if failed:
        log.error("failed: %s", ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
