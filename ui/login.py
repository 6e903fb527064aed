"""Staff sign-in.

The password check (argon2, tens of milliseconds, plus a write for the audit
row and the failure counter) runs off the UI thread. A refusal is shown in the
dialog itself, in red, not in a pop-up: the user keeps the typed name and
retypes only the password.

The window can show before the database is open (``db=None``): the names
can be typed at once; signing in waits for :meth:`LoginDialog.set_database`,
and a sign-in asked for before then goes ahead as soon as it is called.
"""
from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from ui.common import palette
from ui.common.errors import user_message
from ui.common.ops import Op
from ui.common.settings import LAST_USERNAME, Settings
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFont,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

if TYPE_CHECKING:  # the window shows before the database layer is imported
    from hall.services import Actor
    from hall.services.database import Database

log = logging.getLogger(__name__)

ERROR_COLOUR = palette.OVERDUE


class LoginDialog(QDialog):
    """Username and password; ``signed_in(Actor)`` then ``accepted`` on success."""

    signed_in = Signal(object)

    def __init__(self, db: Database | None, settings: Settings, *, centre_name: str = "",
                 workstation: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.workstation = workstation
        self.actor: Actor | None = None
        self._busy = False
        self._waiting = False      # sign-in asked for before the database was open
        self.centre_name = centre_name or self.tr("社会治理服务中心")

        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("登录 — {centre}").replace("{centre}", self.centre_name))
        self.setMinimumWidth(440)

        self.heading = QLabel(self.centre_name)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setWordWrap(True)
        self.subheading = QLabel(self.tr("工作人员登录"))
        self.subheading.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("工号或用户名"))
        self.username.setMaxLength(32)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        self.username_label = QLabel(self.tr("用户名(&U)："))
        self.username_label.setBuddy(self.username)
        self.password_label = QLabel(self.tr("密码(&P)："))
        self.password_label.setBuddy(self.password)
        # Shown only after signing in with a temporary password.
        self.new_password = QLineEdit()
        self.new_password.setObjectName("newPassword")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_password = QLineEdit()
        self.confirm_password.setObjectName("confirmPassword")
        self.confirm_password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        form.addRow(self.tr("新密码(&N)："), self.new_password)
        form.addRow(self.tr("确认新密码："), self.confirm_password)
        self.form = form
        self._changing = False
        self._old_password = ""
        self._show_change_rows(False)

        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()

        self.buttons = QDialogButtonBox()
        self.login_button = QPushButton(self.tr("登录"))
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        self.buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        if db is None:
            self.subheading.setText(self.tr("正在连接数据库…"))

        last = settings.get(LAST_USERNAME)
        if last:
            self.username.setText(last)
            self.password.setFocus()
        else:
            self.username.setFocus()

    # ------------------------------------------------------------ actions
    def set_database(self, db: Database, centre_name: str = "") -> None:
        """The database is open: sign-in can go ahead (at once, if it was asked for)."""
        self.db = db
        if centre_name:
            self.centre_name = centre_name
            self.heading.setText(centre_name)
            self.setWindowTitle(self.tr("登录 — {centre}").replace("{centre}", centre_name))
        if not self._changing:
            self.subheading.setText(self.tr("工作人员登录"))
        if self._waiting:
            self._waiting = False
            self._set_busy(False)
            self.submit()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _show_change_rows(self, show: bool) -> None:
        for field in (self.new_password, self.confirm_password):
            self.form.setRowVisible(field, show)
        for field in (self.username, self.password):
            self.form.setRowVisible(field, not show)

    def submit(self) -> None:
        """Check the typed name and password (Enter or the 登录 button)."""
        if self._busy:
            return
        if self._changing:
            self._submit_new_password()
            return
        username = self.username.text().strip()
        password = self.password.text()
        if not username:
            self.show_error(self.tr("请输入用户名"))
            self.username.setFocus()
            return
        if not password and self.username.hasFocus():  # Enter after the name: go on to the password
            self.password.setFocus()
            return
        if not password:
            self.show_error(self.tr("请输入密码"))
            self.password.setFocus()
            return
        self._set_busy(True)
        if self.db is None:               # goes ahead when the database is open
            self._waiting = True
            self.login_button.setText(self.tr("正在连接数据库…"))
            return
        from hall.services import users

        db, workstation = self.db, self.workstation
        Op(self, lambda: users.authenticate(db, username, password, workstation)) \
            .success(self._signed_in).failure(self._refused).run()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.login_button.setEnabled(not busy)
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)
        self.login_button.setText(self.tr("正在登录…") if busy else self.tr("登录"))
        if busy:
            self.show_error("")

    def _signed_in(self, actor: Actor) -> None:
        self._set_busy(False)
        self.actor = actor
        if actor.must_change_password:
            # A temporary password set by the administrator: choose a new one first.
            self._old_password = self.password.text()
            self.password.clear()
            self._changing = True
            self._show_change_rows(True)
            self.subheading.setText(self.tr("首次登录或密码已重置，请设置新密码（至少8位，含字母和数字）"))
            self.login_button.setText(self.tr("设置并登录"))
            self.new_password.setFocus()
            return
        self._finish_sign_in(actor)

    def _submit_new_password(self) -> None:
        new, again = self.new_password.text(), self.confirm_password.text()
        if new != again:
            self.show_error(self.tr("两次输入的新密码不一致"))
            self.confirm_password.clear()
            self.confirm_password.setFocus()
            return
        if new == self._old_password:
            self.show_error(self.tr("新密码不能与临时密码相同"))
            return
        from hall.services import HallError, users

        db, actor, old = self.db, self.actor, self._old_password
        if db is None or actor is None:   # the page shows only after a sign-in
            return
        self._busy = True
        self.login_button.setEnabled(False)

        def changed(_):
            self._busy = False
            self.login_button.setEnabled(True)
            self._old_password = ""
            self._finish_sign_in(dataclasses.replace(actor, must_change_password=False))

        def refused(exc: BaseException):
            self._busy = False
            self.login_button.setEnabled(True)
            self.show_error(str(exc) if isinstance(exc, HallError) else user_message(exc)[1])
            self.new_password.setFocus()

        Op(self, lambda: users.change_password(db, actor, old, new)).success(changed).failure(refused).run()

    def _finish_sign_in(self, actor: Actor) -> None:
        self.password.clear()
        self.new_password.clear()
        self.confirm_password.clear()
        try:
            self.settings.set(LAST_USERNAME, actor.username)
        except ValueError:  # pragma: no cover - a username is always a valid string
            pass
        log.info("signed in: %s", actor.username)
        self.signed_in.emit(actor)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        from hall.services import HallError

        self._set_busy(False)
        if isinstance(exc, HallError):
            text = str(exc)
        else:
            log.error("sign-in failed", exc_info=exc)
            text = user_message(exc)[1]
        self.show_error(text)
        self.password.clear()
        self.password.setFocus()

    def reject(self) -> None:
        if self._busy and not self._waiting:  # the check is under way; its answer must find the dialog
            return
        self._waiting = False
        super().reject()
