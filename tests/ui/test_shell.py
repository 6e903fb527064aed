"""The main window, start-up, settings and the interface language."""
from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import types
from pathlib import Path

import pytest

from hall.domain.roles import Role


@pytest.fixture
def settings():
    from ui.common.settings import Settings

    return Settings()


@pytest.fixture
def language(qapp):
    """``language("en")`` installs that language; afterwards no translation is left behind."""
    from ui.common import i18n
    from ui.qt import QLocale

    before = QLocale()
    yield lambda code: i18n.install_translations(qapp, code)
    i18n.remove_translations(qapp)
    QLocale.setDefault(before)


@pytest.fixture
def make_shell(qtbot, settings):
    from ui.common.ops import wait_all
    from ui.shell import MainWindow

    shells = []

    def make(ctx):
        shell = MainWindow(ctx, settings, centre_name="东湖区社会治理服务中心")
        qtbot.addWidget(shell)
        shells.append(shell)
        return shell

    yield make
    for s in shells:
        s.shutdown()
    wait_all()


def args(**kw) -> argparse.Namespace:
    base = dict(db=None, board=False, window=None, lang=None)
    base.update(kw)
    return argparse.Namespace(**base)


def newer_schema_db(tmp_path) -> str:
    """A database written by a later version of the program (an unknown revision)."""
    from hall.store.db import Database

    path = tmp_path / "newer.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM alembic_version")
        conn.execute("INSERT INTO alembic_version (version_num) VALUES ('9999_from_the_future')")
    return f"sqlite:///{path}"


# ------------------------------------------------------------------ settings
def test_every_option_is_declared_once_with_a_chinese_title():
    from ui.common import settings as s

    assert {s.DATABASE_URL, s.WINDOW_CODE, s.ROOM_CODE, s.PRINTER, s.LANGUAGE, s.BOARD_SCREEN,
            s.LAST_USERNAME, s.POLL_INTERVAL_MS} <= set(s.OPTIONS.values())
    for opt in s.OPTIONS.values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in opt.title), opt.key
        assert opt.convert(opt.default) == opt.default
    with pytest.raises(ValueError):
        s._declare("ui/language", str, "zh_CN", "界面语言")


@pytest.mark.allow_log_warnings('is unusable')
def test_settings_are_typed_and_stored_in_this_tests_folder(settings, settings_folder):
    from ui.common.settings import BOARD_SCREEN, LANGUAGE, POLL_INTERVAL_MS, WINDOW_CODE, Settings

    assert settings.file_name.startswith(str(settings_folder))
    assert settings.get(LANGUAGE) == "zh_CN" and settings.get(POLL_INTERVAL_MS) == 300
    settings.set(WINDOW_CODE, "w03")
    settings.set(BOARD_SCREEN, 1)
    settings.sync()
    again = Settings()
    assert again.get(WINDOW_CODE) == "w03" and again.get(BOARD_SCREEN) == 1
    assert again.workstation().window_code == "w03"
    with pytest.raises(ValueError):
        settings.set(LANGUAGE, "fr")
    with pytest.raises(ValueError):
        settings.set(POLL_INTERVAL_MS, 5)
    settings.store.setValue(POLL_INTERVAL_MS.key, "often")  # a hand-edited file
    assert settings.get(POLL_INTERVAL_MS) == 300


def test_qsettings_follows_xdg_config_home_in_a_fresh_process(tmp_path):
    """Qt reads XDG_CONFIG_HOME when the first QSettings is made (then keeps it for the
    process: hence the ``settings_folder`` fixture)."""
    code = ("from ui.qt import QCoreApplication; app = QCoreApplication([]); "
            "from ui.common.settings import Settings; print(Settings().file_name)")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "QT_QPA_PLATFORM": "offscreen",
           "PATH": "/usr/bin:/bin"}
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=60, check=True, cwd=repo).stdout.strip()
    assert out == str(tmp_path / "xdg" / "hall" / "hall.ini")


# ------------------------------------------------------------------ start-up
@pytest.mark.allow_log_warnings('start-up stopped')
def test_a_database_from_a_newer_version_is_refused_with_a_readable_message(tmp_path, settings, messages, qapp):
    from ui.app import StartupError, show_startup_error, startup

    url = newer_schema_db(tmp_path)
    with pytest.raises(StartupError) as err:
        startup(args(db=url), settings)
    assert "比本程序新" in err.value.text and "9999_from_the_future" in err.value.text
    show_startup_error(err.value)
    assert messages == [("无法使用此数据库", err.value.text)]
    assert "Traceback" not in messages[0][1]


@pytest.mark.allow_log_warnings('start-up stopped')
def test_main_exits_with_1_and_a_message_for_a_newer_database(tmp_path, monkeypatch, messages, language):
    from ui import app

    monkeypatch.setattr(app, "configure_logging", lambda *a, **k: None)  # no log file for the session
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    assert app.main(["--db", newer_schema_db(tmp_path)]) == 1
    assert len(messages) == 1 and "请升级本程序" in messages[0][1]


@pytest.mark.allow_log_warnings('start-up stopped')
def test_bad_command_line_is_a_message_not_a_usage_dump(monkeypatch, messages, language):
    from ui import app

    monkeypatch.setattr(app, "configure_logging", lambda *a, **k: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    assert app.main(["--lang", "fr"]) == 1
    assert messages[0][0] == "命令行参数有误"


@pytest.mark.allow_log_warnings('cannot open the database')
def test_an_unreachable_database_says_so_without_the_password(messages):
    from ui.app import StartupError, open_database

    with pytest.raises(StartupError) as err:
        open_database("postgresql://hall:secret-pw@127.0.0.1:1/hall")
    assert err.value.title == "无法连接数据库"
    assert "127.0.0.1" in err.value.text and "secret-pw" not in err.value.text


def test_an_unsupported_database_address_is_explained():
    from ui.app import StartupError, open_database

    with pytest.raises(StartupError) as err:
        open_database("mysql://someone@somewhere/hall")
    assert "不支持的数据库类型" in err.value.text


def test_the_first_start_installs_the_demo_centre_once(settings, tmp_path, qapp):
    from hall.services.centre import list_services
    from ui.app import startup

    boot = startup(args(), settings)
    try:
        assert boot.source == "default" and boot.demo_installed
        assert os.environ["XDG_DATA_HOME"] in boot.db.url  # the user data folder is the test's
        assert list_services(boot.db)
    finally:
        boot.db.dispose()
    again = startup(args(), settings)
    again.db.dispose()
    assert not again.demo_installed


def test_a_database_given_by_address_is_never_filled_with_the_demo(settings, tmp_path, qapp):
    from hall.services.centre import list_services
    from ui.app import startup

    boot = startup(args(db=str(tmp_path / "empty.db")), settings)
    boot.db.dispose()
    assert boot.source == "argument" and not boot.demo_installed
    assert list_services(boot.db) == []


def test_the_database_setting_comes_before_the_environment(settings, tmp_path, monkeypatch):
    from ui.app import choose_database
    from ui.common.settings import DATABASE_URL

    monkeypatch.setenv("HALL_DATABASE_URL", "sqlite:///from-env.db")
    assert choose_database(args(), settings) == ("sqlite:///from-env.db", "environment")
    settings.set(DATABASE_URL, "sqlite:///from-settings.db")
    assert choose_database(args(), settings) == ("sqlite:///from-settings.db", "settings")
    assert choose_database(args(db="x.db"), settings) == ("x.db", "argument")


def test_window_flag_sets_this_workstations_window(ui_hall, settings, qapp):
    from ui.app import StartupError, startup
    from ui.common.settings import WINDOW_CODE

    url = ui_hall.url
    startup(args(db=url, window="3"), settings).db.dispose()
    assert settings.get(WINDOW_CODE) == "w03"
    with pytest.raises(StartupError) as err:
        startup(args(db=url, window="w99"), settings)
    assert "w99" in err.value.text and "1号窗口" in err.value.text


def test_without_a_chinese_font_the_message_names_the_package(monkeypatch, qapp):
    from ui import app

    app.check_cjk_font()  # this machine has WenQuanYi
    monkeypatch.setattr(app, "cjk_font_families", lambda: [])
    with pytest.raises(app.StartupError) as err:
        app.check_cjk_font()
    assert "fonts-wqy-zenhei" in err.value.text and "中文字体" in err.value.text


def test_parse_args():
    from ui.app import StartupError, parse_args

    a = parse_args(["--db", "postgresql://h/hall", "--window", "w02", "--lang", "en", "--board"])
    assert (a.db, a.window, a.lang, a.board) == ("postgresql://h/hall", "w02", "en", True)
    with pytest.raises(StartupError):
        parse_args(["--lang", "fr"])


# ------------------------------------------------------------------- errors
@pytest.mark.allow_log_warnings('unhandled error')
@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_becomes_a_chinese_message(qtbot, messages, monkeypatch):
    from ui.common.errors import install_excepthook
    from ui.qt import QPushButton, Qt

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook()

    def broken():
        raise RuntimeError("internal detail nobody should read")

    button = QPushButton("试一下")
    qtbot.addWidget(button)
    button.clicked.connect(broken)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(messages) == 1
    title, text = messages[0]
    assert title == "程序内部错误" and "操作未完成" in text
    assert "Traceback" not in text and "internal detail" not in text


# ------------------------------------------------------------- translations
def test_in_chinese_the_standard_buttons_read_queding(language):
    from ui.qt import QDialogButtonBox

    assert language("zh_CN") == "zh_CN"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "确定"
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def test_in_english_the_sign_in_is_english(language, ui_hall, settings, qtbot):
    from ui.login import LoginDialog
    from ui.qt import QDialogButtonBox

    assert language("en") == "en"
    dlg = LoginDialog(ui_hall, settings, centre_name="东湖区社会治理服务中心")
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "Sign in — 东湖区社会治理服务中心"
    assert dlg.subheading.text() == "Staff sign-in"
    assert dlg.username_label.text() == "&User name:" and dlg.password_label.text() == "&Password:"
    assert dlg.login_button.text() == "Sign in"
    assert dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"


def test_in_english_the_main_window_is_english(language, make_ctx, make_shell):
    language("en")
    shell = make_shell(make_ctx("zhuren"))
    assert shell.windowTitle() == "东湖区社会治理服务中心 — Director's workspace — 刘志强"
    assert type(shell.current_page).__name__ == "DirectorWorkspace"
    # the director also opens 吹哨报到考核, so the window has a workspace menu
    assert [a.text() for a in shell.menuBar().actions()] == ["&System", "&Workspace", "&Help"]


@pytest.mark.allow_log_warnings('is not available; using')
def test_an_unknown_language_falls_back_to_chinese(language):
    assert language("fr_FR") == "zh_CN"
    assert language("zh-CN") == "zh_CN"


# -------------------------------------------------------------- main window
def test_the_status_bar_shows_window_connection_and_clock(make_ctx, make_shell, qtbot, language):
    language("zh_CN")  # the weekday is in the interface language
    shell = make_shell(make_ctx("chuangkou1", window_code="w01"))
    qtbot.waitUntil(lambda: "1号窗口 · 综合受理" in shell.workstation_label.text())
    assert shell.workstation_label.text() == "本机：1号窗口 · 综合受理"
    assert shell.connection_label.text() == "● 已连接"
    assert shell.clock_label.text() == "2026-11-23 星期一 09:00:00"  # the frozen hall clock
    shell.ctx.feed.offline.emit("与数据库的连接中断，正在重试…")
    assert "连接中断" in shell.connection_label.text()
    shell.ctx.feed.online.emit()
    assert shell.connection_label.text() == "● 已连接"


def test_a_user_with_two_roles_can_switch_workspace(make_ctx, make_shell, qtbot):
    from ui.qt import QKeySequence

    shell = make_shell(make_ctx("tiaojie", window_code="w04"))  # mediator and window
    assert [s.role for s in shell.specs] == [Role.WINDOW, Role.MEDIATOR]
    assert shell.current_role is Role.WINDOW
    assert [shell.switcher.itemText(i) for i in range(shell.switcher.count())] == ["窗口受理", "调解员工作台"]
    shell.switcher.setCurrentIndex(1)
    shell.switcher.activated.emit(1)
    assert shell.current_role is Role.MEDIATOR
    assert shell.windowTitle() == "东湖区社会治理服务中心 — 调解员工作台 — 周国平"
    assert type(shell.current_page).__name__ == "MediatorWorkspace"
    # Ctrl+PgDown, round the list (the offscreen platform has no active window
    # to deliver key shortcuts to, so the action is triggered directly)
    assert shell.next_action.shortcut() == QKeySequence("Ctrl+PgDown")
    shell.next_action.trigger()
    assert shell.current_role is Role.WINDOW and shell.switcher.currentIndex() == 0
    assert shell.switch_actions[Role.WINDOW].isChecked()


def test_an_administrator_may_open_every_workspace(make_ctx, make_shell):
    shell = make_shell(make_ctx("admin"))
    assert shell.current_role is Role.ADMIN
    assert {s.role for s in shell.specs} == set(Role)


@pytest.mark.allow_log_warnings('is not available', 'unhandled error')
def test_a_missing_or_broken_workspace_shows_a_page_not_a_crash(make_ctx, qtbot, monkeypatch, messages):
    from ui.qt import QWidget
    from ui.shell import PlaceholderPage, WorkspaceSpec, create_workspace

    ctx = make_ctx("qiantai")
    missing = create_workspace(WorkspaceSpec(Role.FRONT_DESK, "导引台", "ui.no_such_workspace", "X"), ctx)
    qtbot.addWidget(missing)
    assert isinstance(missing, PlaceholderPage) and missing.text == "导引台暂不可用"

    class Broken(QWidget):
        def __init__(self, ctx, parent=None):
            raise RuntimeError("broken on purpose")

    monkeypatch.setitem(sys.modules, "ui.broken_desk", types.SimpleNamespace(Desk=Broken))
    broken = create_workspace(WorkspaceSpec(Role.FRONT_DESK, "导引台", "ui.broken_desk", "Desk"), ctx)
    qtbot.addWidget(broken)
    assert broken.text == "导引台无法打开"
    assert messages and messages[0][0] == "程序内部错误"


def test_the_shell_keys_do_not_collide_with_the_workspaces_keys(make_ctx, make_shell):
    from ui.qt import QAction, QShortcut

    shell = make_shell(make_ctx("admin", window_code="w01"))
    for spec in shell.specs:
        shell.switch_to(spec.role)
    own = {a.shortcut().toString() for a in (shell.settings_action, shell.sign_out_action,
                                             shell.quit_action, shell.about_action,
                                             shell.next_action, shell.previous_action)}
    own.discard("")
    used = set()
    for page in shell.pages.values():
        used |= {s.key().toString() for s in page.findChildren(QShortcut)}
        used |= {a.shortcut().toString() for a in page.findChildren(QAction)}
    assert not own & used


def test_choosing_this_computers_window_in_the_settings(make_ctx, make_shell, settings, qtbot, monkeypatch):
    from ui.common.settings import PRINTER, WINDOW_CODE
    from ui.shell import WorkstationDialog

    shell = make_shell(make_ctx("chuangkou1", window_code="w01"))
    dialog = WorkstationDialog(shell.ctx, settings, shell)
    qtbot.waitUntil(lambda: dialog.loaded)
    codes = [dialog.window_box.itemData(i) for i in range(dialog.window_box.count())]
    assert codes[0] == "" and "w01" in codes and "w02" in codes
    dialog.window_box.setCurrentIndex(codes.index("w02"))
    dialog.printer_box.setEditText("前台热敏打印机")
    dialog.accept()
    assert settings.get(WINDOW_CODE) == "w02" and settings.get(PRINTER) == "前台热敏打印机"
    old_page = shell.current_page
    shell.apply_workstation_settings()
    assert shell.ctx.workstation.window_code == "w02"
    assert shell.current_page is not old_page  # rebuilt for the new window
    qtbot.waitUntil(lambda: "2号窗口" in shell.workstation_label.text())


def test_closing_the_window_stops_the_live_feed(make_ctx, make_shell, qtbot):
    shell = make_shell(make_ctx("zhuren"))
    shell.show()
    assert shell.ctx.feed.timer.isActive()
    with qtbot.waitSignal(shell.closed):
        shell.close()
    assert not shell.ctx.feed.timer.isActive() and not shell.clock.isActive()


# --------------------------------------------------------------- call board
def test_board_mode_opens_the_board_full_screen_without_sign_in(ui_hall, settings, qtbot, monkeypatch):
    from ui.app import Boot, Launcher
    from ui.qt import QWidget

    class FakeBoard(QWidget):
        def __init__(self, db, parent=None):
            super().__init__(parent)
            self.db = db

    monkeypatch.setitem(sys.modules, "ui.board.callboard", types.SimpleNamespace(CallBoard=FakeBoard))
    launcher = Launcher(Boot(ui_hall, "argument"), settings)
    launcher.show_board()
    board = launcher.board
    assert isinstance(board, FakeBoard) and board.db is ui_hall and launcher.login is None
    assert board.isFullScreen()
    with qtbot.waitSignal(launcher.finished):
        board.close()
    assert launcher.board is None


@pytest.mark.allow_log_warnings('the call board is not available')
def test_board_mode_without_the_board_module_is_a_message(ui_hall, settings, monkeypatch):
    from ui.app import Boot, Launcher, StartupError

    monkeypatch.setitem(sys.modules, "ui.board.callboard", None)  # import fails
    with pytest.raises(StartupError) as err:
        Launcher(Boot(ui_hall, "argument"), settings).show_board()
    assert err.value.title == "叫号屏不可用"


def test_a_board_per_area_and_an_unknown_area_is_a_message(ui_hall, settings, qtbot, monkeypatch):
    from ui.app import Boot, Launcher, StartupError, parse_args
    from ui.board.announcer import Announcer, NoSpeech

    # no sound here: a text-only announcer (no chime, no engine)
    monkeypatch.setattr("ui.board.callboard.Announcer", lambda parent=None: Announcer(parent, speech=NoSpeech(), chime=False))

    args = parse_args(["--board", "--area", "二楼"])
    assert args.board and args.area == "二楼"
    launcher = Launcher(Boot(ui_hall, "argument"), settings)
    launcher.area = "三楼"
    with pytest.raises(StartupError) as err:
        launcher.show_board()
    assert "没有区域“三楼”的窗口" in err.value.text and "二楼" in err.value.text
    launcher.area = "二楼"
    launcher.show_board()
    board = launcher.board
    qtbot.addWidget(board)
    assert board.area == "二楼" and board.isFullScreen()
    board.shutdown()


def test_window_display_mode_opens_that_windows_screen(ui_hall, settings, qtbot):
    from ui.app import Boot, Launcher, StartupError, parse_args

    assert parse_args(["--window-display", "w03"]).window_display == "w03"
    launcher = Launcher(Boot(ui_hall, "argument"), settings)
    with pytest.raises(StartupError) as err:
        launcher.show_window_display("w99")
    assert "没有代码为“w99”的窗口" in err.value.text
    launcher.show_window_display("w03")
    screen = launcher.board
    qtbot.addWidget(screen)
    assert screen.isFullScreen() and screen.window_code == "w03"
    qtbot.waitUntil(lambda: "3号窗口" in screen.title.text())
    screen.shutdown()
