"""Staff accounts: creation, argon2 password hashes, sign-in with lockout."""
from __future__ import annotations

import datetime as dt
import re
import socket
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select

from hall.domain.masking import redact_sensitive
from hall.domain.roles import Role, parse_roles
from hall.store.db import Database
from hall.store.models import User

from .base import Actor, Conflict, HallError, InvalidInput, NotFound, checked_name, unit_of_work
from .views import JsonView

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,32}$")

# Moderate argon2id parameters: well under a second on a front-desk PC.
_hasher = PasswordHasher(time_cost=2, memory_cost=32 * 1024, parallelism=1)
# Verified against when the user does not exist, so timing does not reveal it.
# Precomputed with the parameters above (hashing it at import cost ~80 ms of
# every start); tests/service/test_users.py checks that they still match.
_DUMMY_HASH = "$argon2id$v=19$m=32768,t=2,p=1$uGbUaE4+w31Fx7eUN0s/pQ$q5m8TgB9OarkYCyz8is85IzR3s3mOITRBW9175YuLkI"


class AuthError(HallError):
    code = "auth"


@dataclass(frozen=True)
class UserView(JsonView):
    id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    active: bool
    locked: bool
    must_change_password: bool


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"密码至少需要 {MIN_PASSWORD_LENGTH} 位")
    if password.isdigit() or password.isalpha():
        raise InvalidInput("密码须同时包含字母和数字")


def _view(u: User, now: dt.datetime) -> UserView:
    return UserView(u.id, u.username, u.display_name, tuple(u.roles.split(",")), u.active,
                    bool(u.locked_until and u.locked_until > now), u.must_change_password)


def _verify(password_hash: str, password: str | None) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def create_user(db: Database, actor: Actor, username: str, display_name: str,
                roles: str | set[Role], password: str, *, must_change_password: bool = True) -> UserView:
    """Add a staff account (admin only)."""
    actor.require("user.manage")  # before reading the input
    if not _USERNAME.match(username or ""):
        raise InvalidInput("用户名应为 2-32 位字母、数字、下划线、点或减号")
    display_name = checked_name(display_name, required=True)
    role_set = parse_roles(roles) if isinstance(roles, str) else frozenset(roles)
    if not role_set:
        raise InvalidInput("至少要指定一个角色")
    _check_password(password)
    with unit_of_work(db, actor, "user.manage") as uow:
        if uow.s.execute(select(User.id).where(func.lower(User.username) == username.lower())).first():
            raise Conflict(f"用户名“{username}”已存在")
        u = User(username=username, display_name=display_name,
                 roles=",".join(sorted(r.value for r in role_set)),
                 password_hash=_hasher.hash(password), active=True, failed_attempts=0,
                 must_change_password=must_change_password, created_at=uow.now)
        uow.s.add(u)
        uow.s.flush()
        uow.audit("user.create", "user", u.id, username=username, roles=u.roles)
        return _view(u, uow.now)


SIGN_IN_FAILED = (f"用户名或密码错误（连续输错 {MAX_FAILED_ATTEMPTS} 次，账户将锁定 "
                  f"{int(LOCKOUT.total_seconds() // 60)} 分钟；已锁定的账户请稍后再试或联系管理员）")


def authenticate(db: Database, username: str, password: str, workstation: str = "") -> Actor:
    """Sign in. Five wrong passwords lock the account for 15 minutes.

    Every attempt is audited; the message never says whether the user exists.
    """
    err: AuthError | None = None
    ws = workstation or socket.gethostname()
    with unit_of_work(db, None) as uow:
        u = uow.s.execute(uow.lock_for_update(
            select(User).where(func.lower(User.username) == (username or "").lower()))).scalar_one_or_none()
        if u is None or not u.active:
            try:
                _hasher.verify(_DUMMY_HASH, password or "")
            except VerificationError:
                pass
            # what was typed may be an ID number or a password typed in the wrong field
            uow.audit("user.login_failed", "user", "", username=redact_sensitive(str(username or ""))[:64],
                      reason="unknown_or_disabled", workstation=ws)
            err = AuthError(SIGN_IN_FAILED)
        elif u.locked_until and u.locked_until > uow.now:
            _verify(u.password_hash, password)  # the same work, so the time says nothing either
            uow.audit("user.login_locked", "user", u.id, workstation=ws)
            err = AuthError(SIGN_IN_FAILED)
        elif not _verify(u.password_hash, password):
            u.failed_attempts += 1
            left = MAX_FAILED_ATTEMPTS - u.failed_attempts
            if left <= 0:
                u.locked_until = uow.now + LOCKOUT
                u.failed_attempts = 0
                uow.audit("user.locked", "user", u.id, workstation=ws)
            else:
                uow.audit("user.login_failed", "user", u.id, workstation=ws)
            # the same answer as for an unknown account: sign-in never says whether one exists
            err = AuthError(SIGN_IN_FAILED)
        else:
            if _hasher.check_needs_rehash(u.password_hash):
                u.password_hash = _hasher.hash(password)
            u.failed_attempts = 0
            u.locked_until = None
            u.last_login_at = uow.now
            uow.audit("user.login", "user", u.id, workstation=ws)
            actor = Actor(u.id, u.username, parse_roles(u.roles), ws, u.display_name,
                          u.must_change_password)
    # Failed attempts leave the block normally so that they are committed.
    if err is not None:
        raise err
    return actor


def change_password(db: Database, actor: Actor, old_password: str, new_password: str) -> None:
    _check_password(new_password)
    with unit_of_work(db, actor) as uow:
        u = uow.s.get(User, actor.user_id)
        if u is None:
            raise NotFound("账户不存在")
        if not _verify(u.password_hash, old_password):
            raise AuthError("原密码不正确")
        u.password_hash = _hasher.hash(new_password)
        u.must_change_password = False
        uow.audit("user.change_password", "user", u.id)


def reset_password(db: Database, actor: Actor, username: str, new_password: str) -> UserView:
    """Admin sets a temporary password; the user must change it at next sign-in."""
    actor.require("user.manage")  # before reading the input
    _check_password(new_password)
    with unit_of_work(db, actor, "user.manage") as uow:
        u = uow.s.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if u is None:
            raise NotFound(f"没有用户“{username}”")
        u.password_hash = _hasher.hash(new_password)
        u.must_change_password = True
        u.failed_attempts = 0
        u.locked_until = None
        uow.audit("user.reset_password", "user", u.id)
        return _view(u, uow.now)


def set_active(db: Database, actor: Actor, username: str, active: bool) -> UserView:
    """Disable or re-enable an account (accounts are never deleted)."""
    with unit_of_work(db, actor, "user.manage") as uow:
        u = uow.s.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if u is None:
            raise NotFound(f"没有用户“{username}”")
        u.active = active
        uow.audit("user.enable" if active else "user.disable", "user", u.id)
        return _view(u, uow.now)


def list_users(db: Database) -> list[UserView]:
    now = db.clock.now()
    with db.read() as s:
        return [_view(u, now) for u in s.execute(select(User).order_by(User.username)).scalars()]
