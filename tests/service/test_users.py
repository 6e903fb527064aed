"""Staff accounts: argon2 hashes, sign-in, lockout, roles."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hall.domain.roles import Role
from hall.services import Conflict, InvalidInput, PermissionDenied, users
from hall.services.users import AuthError
from hall.store.models import AuditEntry, User


def test_create_and_sign_in(db, admin):
    users.create_user(db, admin, "wang", "王晓燕", "front_desk,window", "abc12345")
    actor = users.authenticate(db, "WANG", "abc12345", "desk-1")
    assert actor.roles == frozenset({Role.FRONT_DESK, Role.WINDOW})
    assert actor.workstation == "desk-1" and actor.display_name == "王晓燕"
    with db.read() as s:
        h = s.execute(select(User.password_hash)).scalar_one()
    assert h.startswith("$argon2id$") and "abc12345" not in h


def test_five_wrong_passwords_lock_the_account(db, admin, clock):
    users.create_user(db, admin, "li", "李四", "window", "abc12345")
    for _ in range(4):
        with pytest.raises(AuthError, match="用户名或密码错误"):
            users.authenticate(db, "li", "wrong-pass1")
    with pytest.raises(AuthError, match="锁定 15 分钟"):
        users.authenticate(db, "li", "wrong-pass1")
    with pytest.raises(AuthError, match="已锁定的账户请稍后再试"):
        users.authenticate(db, "li", "abc12345")  # even the right password
    clock.advance(minutes=16)
    assert users.authenticate(db, "li", "abc12345").username == "li"
    with db.read() as s:
        actions = [a.action for a in s.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()]
    assert actions.count("user.login_failed") == 4 and "user.locked" in actions and "user.login" in actions


def test_unknown_and_disabled_users_get_the_same_answer(db, admin):
    users.create_user(db, admin, "zhao", "赵敏", "window", "abc12345")
    users.set_active(db, admin, "zhao", False)
    users.create_user(db, admin, "qian", "钱七", "window", "abc12345")
    answers = set()
    for name, password in (("zhao", "abc12345"), ("nobody", "abc12345"), ("qian", "wrong-pass1")):
        with pytest.raises(AuthError) as err:
            users.authenticate(db, name, password)
        answers.add(str(err.value))
    # an unknown, a disabled and an existing account with a wrong password: one answer
    assert len(answers) == 1 and "用户名或密码错误" in answers.pop()


def test_an_id_number_typed_as_the_username_never_reaches_the_audit_log(db, admin):
    with pytest.raises(AuthError):
        users.authenticate(db, "1101 0119 8506 1212 34", "abc12345")
    with pytest.raises(AuthError):
        users.authenticate(db, "110101198506121234", "abc12345")
    with db.read() as s:
        details = [a.details for a in s.execute(select(AuditEntry)).scalars()]
    assert "121234" not in str(details).replace(" ", "") and len(details) == 2


def test_a_disabled_account_stops_working_at_once_and_a_temporary_password_must_be_changed(db, admin):
    from hall.services import PermissionDenied, queue
    from hall.services.demo import install_demo

    install_demo(db, admin, history=False)
    users.create_user(db, admin, "sun", "孙八", "front_desk", "abc12345", must_change_password=False)
    sun = users.authenticate(db, "sun", "abc12345")
    queue.issue_ticket(db, sun, "labour")
    users.set_active(db, admin, "sun", False)
    with pytest.raises(PermissionDenied, match="已停用"):
        queue.issue_ticket(db, sun, "labour")
    users.create_user(db, admin, "zhou", "周九", "front_desk", "abc12345")
    zhou = users.authenticate(db, "zhou", "abc12345")
    assert zhou.must_change_password
    with pytest.raises(PermissionDenied, match="修改临时密码"):
        queue.issue_ticket(db, zhou, "labour")
    users.change_password(db, zhou, "abc12345", "new-pass-123")
    zhou = users.authenticate(db, "zhou", "new-pass-123")
    assert queue.issue_ticket(db, zhou, "labour").number == "L002"


def test_bad_accounts_are_refused(db, admin):
    with pytest.raises(InvalidInput, match="至少需要"):
        users.create_user(db, admin, "a1", "甲", "window", "short1")
    with pytest.raises(InvalidInput, match="字母和数字"):
        users.create_user(db, admin, "a1", "甲", "window", "onlyletters")
    with pytest.raises(ValueError, match="未知角色"):
        users.create_user(db, admin, "a1", "甲", "janitor", "abc12345")
    users.create_user(db, admin, "a1", "甲", "window", "abc12345")
    with pytest.raises(Conflict):
        users.create_user(db, admin, "A1", "乙", "window", "abc12345")


def test_only_admin_manages_users(db, admin):
    users.create_user(db, admin, "dir", "主任", "director", "abc12345")
    director = users.authenticate(db, "dir", "abc12345")
    with pytest.raises(PermissionDenied):
        users.create_user(db, director, "x1", "某", "window", "abc12345")


def test_reset_password_forces_a_change(db, admin):
    users.create_user(db, admin, "sun", "孙婷", "arbitration_clerk", "abc12345", must_change_password=False)
    users.reset_password(db, admin, "sun", "temp12345")
    assert next(u for u in users.list_users(db) if u.username == "sun").must_change_password
    actor = users.authenticate(db, "sun", "temp12345")
    users.change_password(db, actor, "temp12345", "mine12345")
    assert not next(u for u in users.list_users(db) if u.username == "sun").must_change_password
    with pytest.raises(AuthError):
        users.change_password(db, actor, "temp12345", "again12345")


def test_the_unknown_user_hash_has_the_parameters_of_real_hashes():
    """Signing in as nobody costs what a wrong password costs."""
    from argon2 import extract_parameters

    from hall.services import users

    assert extract_parameters(users._DUMMY_HASH) == extract_parameters(users._hasher.hash("x"))
    assert users._hasher.verify(users._DUMMY_HASH, "no such user")
