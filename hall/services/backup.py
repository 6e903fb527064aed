"""Backup and restore, verified after writing.

SQLite: the online backup API (safe while workstations are writing), then an
integrity check and a row-count comparison of the copy. PostgreSQL:
``pg_dump --format=custom``, checked by ``pg_restore --list``.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from hall.store.db import Database

from .base import Actor, HallError, unit_of_work
from .views import JsonView

_TABLES = ("tickets", "visitors", "users", "events", "audit_log", "services", "windows")


@dataclass(frozen=True)
class BackupResult(JsonView):
    path: str
    backend: str
    bytes: int
    verified: bool
    rows: dict


def _sqlite_counts(conn: sqlite3.Connection) -> dict:
    names = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in _TABLES if t in names}


def _check_sqlite_copy(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise HallError(f"备份文件校验失败：{status}")
        return _sqlite_counts(conn)
    finally:
        conn.close()


def backup(db: Database, actor: Actor, target: str | os.PathLike) -> BackupResult:
    target = Path(target).expanduser()
    if target.is_dir():
        raise HallError(f"备份目标是一个文件夹：{target}，请给出文件名")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    if db.backend == "sqlite":
        src = sqlite3.connect(db.sqlite_path)
        try:
            expected = _sqlite_counts(src)
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        rows = _check_sqlite_copy(tmp)
        # These rows are never deleted, so the copy holds at least as many as
        # the database had when the backup started.
        if any(rows.get(t, 0) < n for t, n in expected.items()):
            raise HallError("备份文件的数据行数少于数据库，备份未完成")
    else:
        _pg_tool("pg_dump", "--format=custom", "--no-owner", f"--file={tmp}", _pg_dsn(db))
        listing = _pg_tool("pg_restore", "--list", str(tmp))
        rows = {"toc_entries": sum(1 for line in listing.splitlines() if line and not line.startswith(";"))}
        if "TABLE DATA" not in listing:
            raise HallError("备份文件不含数据，备份未完成")
    os.replace(tmp, target)
    result = BackupResult(str(target), db.backend, target.stat().st_size, True, rows)
    with unit_of_work(db, actor, "centre.configure") as uow:
        uow.audit("backup.create", "backup", target.name, bytes=result.bytes)
    return result


def restore(db: Database, actor: Actor, source: str | os.PathLike) -> BackupResult:
    """Replace the database's content with a backup (verified first)."""
    actor.require("centre.configure")
    source = Path(source).expanduser()
    if not source.is_file():
        raise HallError(f"找不到备份文件：{source}")
    if db.backend == "sqlite":
        rows = _check_sqlite_copy(source)
        db.dispose()
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(db.sqlite_path)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    else:
        _pg_tool("pg_restore", "--list", str(source))
        db.dispose()
        _pg_tool("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 f"--dbname={_pg_dsn(db)}", str(source))
        rows = {}
    db.upgrade()
    with unit_of_work(db, actor, "centre.configure") as uow:
        uow.audit("backup.restore", "backup", source.name)
        uow.event("centre.restored")
    return BackupResult(str(source), db.backend, source.stat().st_size, True, rows)


def _pg_dsn(db: Database) -> str:
    url = make_url(db.url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _pg_tool(name: str, *args: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise HallError(f"找不到 {name}，请安装 PostgreSQL 客户端工具（postgresql-client）")
    proc = subprocess.run([exe, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise HallError(f"{name} 失败：{proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
    return proc.stdout
