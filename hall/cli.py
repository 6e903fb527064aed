"""``hall-admin``: set up, script and look after a hall database.

Every command takes ``--db URL`` (or ``HALL_DATABASE_URL``; default: the
SQLite file in the user data folder) and ``--json`` (one JSON object per call
on standard output). Errors exit non-zero with one line, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from hall.domain.queue import TicketStatus
from hall.services import HallError, system_actor
from hall.store.db import Database
from hall.store.migrate import SchemaError

if TYPE_CHECKING:
    from hall.services.views import TicketView

log = logging.getLogger("hall.cli")

EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    def __init__(self, message: str, payload: dict | None = None):
        super().__init__(message)
        self.payload = payload or {}  # more fields of the --json error object


def output(args, obj: Any, text: str | None = None) -> None:
    if args.json:
        print(json.dumps(obj, ensure_ascii=False, default=str))
    else:
        print(text if text is not None else json.dumps(obj, ensure_ascii=False, indent=2, default=str))


#: The databases the running command opened; ``main`` disposes of them when
#: the command ends, so that a command run inside a longer-lived process (a
#: script, the tests) leaves no pooled connection behind.
_opened: list[Database] = []


def opened(db: Database) -> Database:
    """``db``, disposed of when the running command ends."""
    _opened.append(db)
    return db


def open_db(args) -> Database:
    db = opened(Database(args.db))
    db.upgrade()
    sign_in(args, db)
    return db


ENV_PASSWORD = "HALL_ADMIN_PASSWORD"


def _owns_database(db: Database) -> bool:
    """SQLite: whoever can write the file. PostgreSQL: the database's owner or a superuser."""
    if not db.is_postgres:
        return True
    from sqlalchemy import text

    with db.engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT r.rolsuper OR d.datdba = r.oid FROM pg_roles r, pg_database d "
            "WHERE r.rolname = current_user AND d.datname = current_database()")).scalar())


def sign_in(args, db: Database) -> None:
    """``--user``: act as that user (password from HALL_ADMIN_PASSWORD or
    standard input). Required on PostgreSQL unless connected as the owner:
    workstation credentials must not give a workstation admin rights."""
    from hall.services.base import act_as

    user = getattr(args, "user", None)
    if not user:
        if not _owns_database(db):
            raise CliError("此数据库连接不是数据库所有者，请用 --user 用户名 登录"
                           f"（密码从环境变量 {ENV_PASSWORD} 或标准输入读取）")
        return
    from hall.services import users

    password = os.environ.get(ENV_PASSWORD) or _read_password()
    act_as(users.authenticate(db, user, password, workstation="hall-admin"))


# ------------------------------------------------------------------ commands
def cmd_init(args) -> None:
    db = open_db(args)
    output(args, {"database": db.url.split("@")[-1], "schema": db.schema_revision()},
         f"数据库已就绪（结构版本 {db.schema_revision()}）：{db.url.split('@')[-1]}")


def cmd_demo(args) -> None:
    from hall.services.demo import install_demo

    db = open_db(args)
    res = install_demo(db, system_actor(), history=not args.no_history)
    output(args, res, f"示范中心已安装：新增员工 {res['staff_added']} 人，历史排队号 {res['history_tickets']} 张")


def _ticket_text(t) -> str:
    if t is None:
        return "没有等候的排队号"
    where = f"，{t.window_number}号窗口" if t.window_number else ""
    ahead = f"，前面还有 {t.ahead} 人" if t.ahead is not None else ""
    return f"{t.number}（{t.service_name}，{TicketStatus(t.status).label}{where}{ahead}，id={t.id}）"


def _ticketoutput(args, t) -> None:
    output(args, None if t is None else t.to_json(), _ticket_text(t))


def cmd_ticket(args) -> None:
    from hall.services import queue

    db = open_db(args)
    actor = system_actor()
    action = args.ticket_cmd
    t: TicketView | None
    if action == "issue":
        t = queue.issue_ticket(db, actor, args.service, priority=args.priority, name=args.name,
                               id_number=args.id_number, phone=args.phone,
                               notice_consent=bool(args.notify), notice_to=args.notify or None)
    elif action == "call":
        t = queue.call_next(db, actor, args.window)
    elif action == "recall":
        t = queue.recall(db, actor, args.ticket)
    elif action == "start":
        t = queue.start_service(db, actor, args.ticket)
    elif action == "finish":
        t = queue.finish(db, actor, args.ticket, args.outcome)
    elif action == "no-show":
        t = queue.mark_no_show(db, actor, args.ticket)
    elif action == "transfer":
        t = queue.transfer(db, actor, args.ticket, args.to, args.reason or "")
    elif action == "cancel":
        t = queue.cancel(db, actor, args.ticket, args.reason or "")
    elif action == "hold":
        t = queue.hold(db, actor, args.ticket, args.reason or "")
    elif action == "unhold":
        t = queue.unhold(db, actor, args.ticket)
    elif action == "show":
        t = queue.ticket(db, args.ticket)
    else:  # pragma: no cover - argparse guards this
        raise CliError(f"未知命令 ticket {action}")
    _ticketoutput(args, t)


def cmd_window(args) -> None:
    from hall.services import queue

    db = open_db(args)
    w = queue.set_window_state(db, system_actor(), args.window, args.state)
    output(args, w.to_json(), f"{w.number}号窗口（{w.name}）：{w.state}")


def cmd_queue(args) -> None:
    from hall.services import queue

    db = open_db(args)
    snap = queue.queue_snapshot(db)
    lines = [f"{s.name}（{s.prefix}）等候 {s.waiting} 人" for s in snap.services]
    lines += [f"{w.number}号窗口 {w.name}：{w.state}" + (f"，当前 {w.current.number}" if w.current else "")
              for w in snap.windows]
    output(args, snap.to_json(), "\n".join(lines))


def cmd_events(args) -> None:
    from hall.services import queue

    db = open_db(args)
    evs = queue.events_since(db, args.after, args.limit)
    output(args, {"events": [e.to_json() for e in evs]},
         "\n".join(f"{e.id} {e.kind} {json.dumps(e.payload, ensure_ascii=False)}" for e in evs) or "没有新事件")


def cmd_user(args) -> None:
    from hall.services import users

    db = open_db(args)
    actor = system_actor()
    if args.user_cmd == "create":
        password = args.password or _read_password()
        u = users.create_user(db, actor, args.username, args.name, args.roles, password)
    elif args.user_cmd == "reset-password":
        u = users.reset_password(db, actor, args.username, args.password or _read_password())
    elif args.user_cmd in ("disable", "enable"):
        u = users.set_active(db, actor, args.username, args.user_cmd == "enable")
    else:
        rows = users.list_users(db)
        output(args, {"users": [r.to_json() for r in rows]},
             "\n".join(f"{r.username}\t{r.display_name}\t{','.join(r.roles)}\t{'启用' if r.active else '停用'}"
                       for r in rows))
        return
    output(args, u.to_json(), f"用户 {u.username}（{u.display_name}）：{','.join(u.roles)}")


def _read_password() -> str:
    import getpass

    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise CliError("请用 --password 给出密码，或从标准输入输入一行密码")
        return line
    return getpass.getpass("密码：")


def cmd_backup(args) -> None:
    from hall.services.backup import backup

    db = open_db(args)
    r = backup(db, system_actor(), args.path)
    warn = f"；另有 {r.store_problems} 个文件库文件缺失或已改动，未能备份（请运行 store verify）" if r.store_problems else ""
    output(args, r.to_json(), f"已备份并校验：{r.path}（{r.bytes} 字节，含文件库文件 {r.files} 个）{warn}")


def cmd_restore(args) -> None:
    from hall.services.backup import ConfirmationNeeded, restore

    db = opened(Database(args.db))
    sign_in(args, db)
    try:
        r = restore(db, system_actor(), args.path, confirmed=args.yes, other_centre=args.other_centre,
                    safety_folder=args.safety_folder)
    except ConfirmationNeeded as exc:
        plan = exc.details["plan"]
        if not args.json:
            print(plan.describe())
        raise CliError("未恢复：确认无误后加 --yes 再运行一次", {"confirm": plan.to_json()}) from None
    safety = f"；恢复前的数据库已另存为 {r.safety_copy}" if r.safety_copy else ""
    output(args, r.to_json(), f"已从 {r.path} 恢复并校验（文件库文件 {r.files} 个）{safety}")


def cmd_backup_check(args) -> None:
    from hall.services.backup import inspect_backup

    info = inspect_backup(args.path)
    output(args, info.to_json(), f"备份完整：{info.centre or '（未设置中心名称）'}，{info.created_at}，"
                                 f"结构版本 {info.schema}，文件库文件 {info.files} 个")


# ------------------------------------------------------------------- parser
class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, like every other error
        self.exit(EXIT_USAGE, f"hall-admin: 参数错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)   # only its arguments are used, by the parsers it is a parent of
    common.add_argument("--db", help="数据库 URL 或 SQLite 文件路径（默认：HALL_DATABASE_URL 或用户数据目录）",
                        default=argparse.SUPPRESS)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="以一个 JSON 对象输出结果")
    common.add_argument("--user", default=argparse.SUPPRESS,
                        help=f"以该用户身份操作（密码从 {ENV_PASSWORD} 或标准输入读取）；"
                             "PostgreSQL 上非数据库所有者必须登录")
    p = _Parser(prog="hall-admin", description="服务大厅数据库管理与脚本工具", parents=[common])
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)

    def add(name: str, func: Callable, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, parents=[common])
        sp.set_defaults(func=func)
        return sp

    add("init", cmd_init, "创建或升级数据库结构")
    d = add("demo", cmd_demo, "安装示范中心（可重复运行）")
    d.add_argument("--no-history", action="store_true", help="不生成历史排队数据")

    t = add("ticket", cmd_ticket, "排队号操作")
    ts = t.add_subparsers(dest="ticket_cmd", required=True, parser_class=_Parser)
    ti = ts.add_parser("issue", help="取号", parents=[common])
    ti.add_argument("--service", required=True)
    ti.add_argument("--priority")
    ti.add_argument("--name")
    ti.add_argument("--id-number")
    ti.add_argument("--phone")
    ti.add_argument("--notify", help="来访人同意接收通知：手机号或邮箱（家属的也可）")
    tc = ts.add_parser("call", help="叫下一位", parents=[common])
    tc.add_argument("--window", required=True)
    for name, help_ in (("recall", "重呼"), ("start", "开始办理"), ("no-show", "过号"),
                        ("show", "查看"), ("cancel", "取消")):
        x = ts.add_parser(name, help=help_, parents=[common])
        x.add_argument("--ticket", type=int, required=True)
        if name == "cancel":
            x.add_argument("--reason")
    tf = ts.add_parser("finish", help="办结", parents=[common])
    tf.add_argument("--ticket", type=int, required=True)
    tf.add_argument("--outcome", default="resolved")
    tt = ts.add_parser("transfer", help="转移到其他业务", parents=[common])
    tt.add_argument("--ticket", type=int, required=True)
    tt.add_argument("--to", required=True)
    tt.add_argument("--reason")
    th = ts.add_parser("hold", help="挂起（来访人暂时离开，不叫号；须填原因）", parents=[common])
    th.add_argument("--ticket", type=int, required=True)
    th.add_argument("--reason", required=True)
    tu = ts.add_parser("unhold", help="取消挂起，回到原排队位置", parents=[common])
    tu.add_argument("--ticket", type=int, required=True)

    w = add("window", cmd_window, "开启/暂停/关闭窗口")
    w.add_argument("state", choices=["open", "paused", "closed"])
    w.add_argument("--window", required=True)
    add("queue", cmd_queue, "当前排队情况")
    e = add("events", cmd_events, "列出事件")
    e.add_argument("--after", type=int, default=0)
    e.add_argument("--limit", type=int, default=100)

    u = add("user", cmd_user, "用户管理")
    us = u.add_subparsers(dest="user_cmd", required=True, parser_class=_Parser)
    uc = us.add_parser("create", parents=[common])
    uc.add_argument("--username", required=True)
    uc.add_argument("--name", required=True)
    uc.add_argument("--roles", required=True, help="front_desk,window,mediator,arbitration_clerk,director,admin")
    uc.add_argument("--password")
    ur = us.add_parser("reset-password", parents=[common])
    ur.add_argument("--username", required=True)
    ur.add_argument("--password")
    for name in ("disable", "enable"):
        us.add_parser(name, parents=[common]).add_argument("--username", required=True)
    us.add_parser("list", parents=[common])

    b = add("backup", cmd_backup, "备份数据库与文件库（一个归档，逐文件校验）")
    b.add_argument("path")
    bc = add("backup-check", cmd_backup_check, "校验备份文件（不恢复）")
    bc.add_argument("path")
    r = add("restore", cmd_restore, "从备份恢复数据库与文件库（先校验，先另存当前数据库）")
    r.add_argument("path")
    r.add_argument("--yes", action="store_true", help="确认替换当前数据库")
    r.add_argument("--other-centre", action="store_true", help="允许用另一个中心的备份替换")
    r.add_argument("--safety-folder", help="恢复前安全备份的存放文件夹")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(add, common)
    return p


#: Modules that add their own commands: each has ``register(add, common)``,
#: where ``add(name, func, help)`` returns an argparse parser and ``common``
#: is the parent parser holding --db/--json (pass it as ``parents=[common]``
#: to nested sub-parsers). Their ``func(args)`` may use ``open_db(args)``
#: and ``output(args, obj, text)`` from this module.
COMMAND_MODULES: list[str] = ["hall.cli_deadlines", "hall.cli_centre", "hall.cli_arbitration", "hall.cli_cases",
                               "hall.cli_docs", "hall.cli_report",
                               "hall.cli_whistle", "hall.cli_petitions", "hall.cli_status"]


def main(argv: list[str] | None = None) -> int:
    from hall.logsetup import configure_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    args.db = getattr(args, "db", None)
    args.json = getattr(args, "json", False)
    args.user = getattr(args, "user", None)
    configure_logging("hall-admin")
    from hall.services.base import act_as

    act_as(None)
    extra: dict = {}
    try:
        try:
            args.func(args)
        finally:
            act_as(None)  # the next call in this process starts signed out
            while _opened:
                _opened.pop().dispose()
        return 0
    except (HallError, CliError, SchemaError) as exc:
        message = str(exc)
        extra = getattr(exc, "payload", None) or {}
    except OperationalError as exc:
        log.warning("database error: %s", exc)
        message = f"数据库操作失败：{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}"
    except SQLAlchemyError as exc:
        log.exception("database error")
        message = f"数据库错误：{type(exc).__name__}"
    except (OSError, ValueError) as exc:
        log.exception("command failed")
        message = str(exc)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback on the terminal
        log.exception("unexpected error")
        message = f"内部错误：{type(exc).__name__}: {exc}（详情见日志）"
    if args.json:
        print(json.dumps({"error": message, **extra}, ensure_ascii=False, default=str))
    print(f"hall-admin: {message}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
