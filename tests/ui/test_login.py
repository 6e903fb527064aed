"""Signing in at a workstation: the right workspace, refusals shown in the dialog."""
from __future__ import annotations

import sys
import types

import pytest

from hall.domain.roles import Role
from hall.services.demo import load_demo_data

PASSWORD = load_demo_data()["demo_password"]

@pytest.fixture
def settings():
    from ui.common.settings import Settings

    return Settings()


@pytest.fixture
def launcher(ui_hall, settings, qtbot):
    from ui.app import Boot, Launcher

    lau = Launcher(Boot(ui_hall, "argument"), settings)
    yield lau
    lau.shutdown()
    from ui.common.ops import wait_all

    wait_all()


@pytest.fixture
def dialog(ui_hall, settings, qtbot):
    from ui.login import LoginDialog

    dlg = LoginDialog(ui_hall, settings, centre_name="东湖区社会治理服务中心")
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def sign_in(qtbot, dlg, username: str, password: str) -> None:
    """Type and click, then wait for the answer (the dialog stays open)."""
    dlg.username.setText(username)
    dlg.password.setText(password)
    qtbot.mouseClick(dlg.login_button, qtbot_left())
    qtbot.waitUntil(lambda: dlg.login_button.isEnabled())


def sign_in_at(qtbot, launcher, username: str, password: str = PASSWORD):
    """Sign in through the launcher's dialog; returns the main window."""
    dlg = launcher.login
    dlg.username.setText(username)
    dlg.password.setText(password)
    qtbot.mouseClick(dlg.login_button, qtbot_left())
    qtbot.waitUntil(lambda: launcher.shell is not None)
    return launcher.shell


def qtbot_left():
    from ui.qt import Qt

    return Qt.MouseButton.LeftButton


def test_the_front_desk_signs_in_and_gets_the_front_desk_workspace(launcher, qtbot, monkeypatch, messages):
    from ui.qt import QWidget

    class FakeFrontDesk(QWidget):
        def __init__(self, ctx, parent=None):
            super().__init__(parent)
            self.ctx = ctx

    monkeypatch.setitem(sys.modules, "ui.frontdesk.workspace",
                        types.SimpleNamespace(FrontDeskWorkspace=FakeFrontDesk))
    launcher.show_login()
    dlg = launcher.login
    assert dlg.heading.text() == "东湖区社会治理服务中心"
    dlg.username.setText("qiantai")
    dlg.password.setText(PASSWORD)
    qtbot.mouseClick(dlg.login_button, qtbot_left())
    qtbot.waitUntil(lambda: launcher.shell is not None)
    shell = launcher.shell
    assert shell.current_role is Role.FRONT_DESK
    assert isinstance(shell.current_page, FakeFrontDesk)
    assert shell.current_page.ctx.actor.username == "qiantai"
    assert shell.windowTitle() == "东湖区社会治理服务中心 — 导引台 — 王晓燕"
    assert shell.switcher is None  # one role, nothing to switch
    assert shell.ctx.feed.timer.isActive()
    assert messages == []


def test_the_real_front_desk_module_is_what_qiantai_gets(launcher, qtbot):
    frontdesk = pytest.importorskip("ui.frontdesk.workspace")
    launcher.show_login()
    sign_in_at(qtbot, launcher, "qiantai")
    assert isinstance(launcher.shell.current_page, frontdesk.FrontDeskWorkspace)


def test_the_director_signs_in_to_the_dashboard(launcher, qtbot):
    launcher.show_login()
    sign_in_at(qtbot, launcher, "zhuren")
    page = launcher.shell.current_page
    assert type(page).__name__ == "DirectorWorkspace"
    assert "主任工作台" in launcher.shell.windowTitle() and "刘志强" in launcher.shell.windowTitle()


def test_a_wrong_password_is_explained_in_the_dialog_and_keeps_the_username(dialog, qtbot, messages):
    sign_in(qtbot, dialog, "qiantai", "wrong-password-1")
    assert dialog.error.isVisible()
    assert "用户名或密码错误" in dialog.error.text()
    assert dialog.username.text() == "qiantai"
    assert dialog.password.text() == ""
    assert dialog.isVisible() and dialog.actor is None
    assert messages == []  # in the dialog, not a pop-up


def test_five_wrong_passwords_lock_the_account(dialog, qtbot):
    for _ in range(5):
        sign_in(qtbot, dialog, "qiantai", "wrong-password-1")
        assert "用户名或密码错误" in dialog.error.text() and "锁定 15 分钟" in dialog.error.text()
    sign_in(qtbot, dialog, "qiantai", PASSWORD)  # even the right password is refused now
    assert "已锁定的账户请稍后再试" in dialog.error.text()
    assert dialog.actor is None


def test_the_button_is_disabled_while_the_password_is_checked(dialog, qtbot):
    dialog.username.setText("qiantai")
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=5000) as signal:
        qtbot.mouseClick(dialog.login_button, qtbot_left())
        assert not dialog.login_button.isEnabled()
        assert not dialog.password.isEnabled()
        assert dialog.login_button.text() == "正在登录…"
    assert signal.args[0].username == "qiantai"


def test_enter_in_the_password_field_signs_in(dialog, qtbot):
    from ui.qt import Qt

    dialog.username.setText("qiantai")
    dialog.password.setText(PASSWORD)
    dialog.password.setFocus()
    with qtbot.waitSignal(dialog.signed_in, timeout=5000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.actor.username == "qiantai"


def test_an_empty_password_is_not_an_attempt(dialog, qtbot):
    from ui.qt import Qt

    dialog.username.setText("qiantai")
    dialog.password.clear()
    dialog.username.setFocus()
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)  # Enter after the name: on to the password
    assert dialog.password.hasFocus() and dialog.error.text() == ""
    dialog.submit()
    assert dialog.error.text() == "请输入密码"
    assert dialog.login_button.isEnabled()
    sign_in(qtbot, dialog, "qiantai", "wrong-password-1")
    assert "用户名或密码错误" in dialog.error.text()


def test_the_last_username_is_remembered(dialog, qtbot, ui_hall, settings):
    from ui.common.settings import LAST_USERNAME
    from ui.login import LoginDialog

    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        sign_in(qtbot, dialog, "chuangkou1", PASSWORD)
    assert settings.get(LAST_USERNAME) == "chuangkou1"
    again = LoginDialog(ui_hall, settings)
    qtbot.addWidget(again)
    assert again.username.text() == "chuangkou1"


def test_switching_user_goes_back_to_the_sign_in(launcher, qtbot):
    launcher.show_login()
    sign_in_at(qtbot, launcher, "zhuren")
    shell = launcher.shell
    feed = shell.ctx.feed
    shell.sign_out_action.trigger()
    assert launcher.shell is None
    assert not feed.timer.isActive()
    assert launcher.login is not None and launcher.login.isVisible()
    assert launcher.login.username.text() == "zhuren"


def test_cancelling_the_sign_in_ends_the_program(launcher, qtbot):
    launcher.show_login()
    with qtbot.waitSignal(launcher.finished) as signal:
        launcher.login.reject()
    assert signal.args == [0]


def test_a_temporary_password_must_be_replaced_before_signing_in(dialog, ui_hall, qtbot, admin):
    from hall.services import users

    users.reset_password(ui_hall, admin, "qiantai", "temp12345")
    got = []
    dialog.signed_in.connect(got.append)
    sign_in(qtbot, dialog, "qiantai", "temp12345")
    assert not got and dialog.new_password.isVisible() and not dialog.username.isVisible()
    dialog.new_password.setText("mine12345")
    dialog.confirm_password.setText("mine1234x")
    qtbot.mouseClick(dialog.login_button, qtbot_left())
    assert "不一致" in dialog.error.text() and not got
    dialog.confirm_password.setText("mine12345")
    qtbot.mouseClick(dialog.login_button, qtbot_left())
    qtbot.waitUntil(lambda: bool(got))
    assert got[0].username == "qiantai" and not got[0].must_change_password
    assert users.authenticate(ui_hall, "qiantai", "mine12345").must_change_password is False


# ------------------------------------------------- the window before the database
def test_the_sign_in_window_needs_no_database_layer_to_show():
    """A cold start shows the sign-in window before SQLAlchemy and the store
    are imported: the database opens behind it."""
    import subprocess

    code = ("import sys; import ui.app, ui.login; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy' or m.startswith('hall.store')); "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_sign_in_typed_before_the_database_is_open_goes_ahead_when_it_is(ui_hall, settings, qtbot):
    from ui.login import LoginDialog

    dlg = LoginDialog(None, settings, centre_name="东湖区社会治理服务中心")
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.subheading.text() == "正在连接数据库…"
    dlg.username.setText("qiantai")
    dlg.password.setText(PASSWORD)
    with qtbot.assertNotEmitted(dlg.signed_in, wait=50):
        qtbot.mouseClick(dlg.login_button, qtbot_left())
    assert not dlg.login_button.isEnabled() and dlg.login_button.text() == "正在连接数据库…"
    with qtbot.waitSignal(dlg.signed_in, timeout=10_000) as signal:
        dlg.set_database(ui_hall, "东湖区社会治理服务中心")
    assert signal.args[0].username == "qiantai"


def test_the_sign_in_window_can_be_closed_while_the_database_opens(settings, qtbot):
    from ui.login import LoginDialog

    dlg = LoginDialog(None, settings)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.username.setText("qiantai")
    dlg.password.setText(PASSWORD)
    qtbot.mouseClick(dlg.login_button, qtbot_left())
    with qtbot.waitSignal(dlg.rejected, timeout=2_000):
        dlg.reject()
    assert not dlg.isVisible()


def test_the_launcher_opens_the_database_behind_the_sign_in_window(ui_hall, settings, qtbot):
    import argparse

    from ui.app import Launcher
    from ui.common.ops import wait_all
    from ui.common.settings import LAST_CENTRE

    launcher = Launcher(None, settings)
    try:
        launcher.show_login()
        dlg = launcher.login
        assert dlg.isVisible() and dlg.db is None
        launcher.open_database_behind_login(argparse.Namespace(db=ui_hall.url, window=None))
        qtbot.waitUntil(lambda: launcher.boot is not None and dlg.db is not None, timeout=20_000)
        assert dlg.heading.text() == "东湖区社会治理服务中心"
        assert dlg.subheading.text() == "工作人员登录"
        # the next start heads its window with the centre before the database is open
        assert settings.get(LAST_CENTRE) == "东湖区社会治理服务中心"
        dlg.username.setText("qiantai")
        dlg.password.setText(PASSWORD)
        qtbot.mouseClick(dlg.login_button, qtbot_left())
        qtbot.waitUntil(lambda: launcher.shell is not None, timeout=20_000)
    finally:
        launcher.shutdown()
        wait_all()
        if launcher.boot is not None and launcher.boot.db is not ui_hall:
            launcher.boot.db.dispose()


@pytest.mark.allow_log_warnings("start-up stopped")
def test_a_database_that_cannot_be_used_closes_the_window_and_says_why(tmp_path, settings, qtbot, messages):
    import argparse

    from tests.ui.test_shell import newer_schema_db
    from ui.app import EXIT_ERROR, Launcher
    from ui.common.ops import wait_all

    launcher = Launcher(None, settings)
    launcher.show_login()
    dlg = launcher.login
    with qtbot.waitSignal(launcher.finished, timeout=20_000) as done:
        launcher.open_database_behind_login(argparse.Namespace(db=newer_schema_db(tmp_path), window=None))
    wait_all()
    assert done.args == [EXIT_ERROR]
    assert launcher.login is None and not dlg.isVisible()
    assert len(messages) == 1 and "请升级本程序" in messages[0][1]
