"""Alembic, driven from code: the app upgrades the schema on start.

A database whose revision this program does not know was written by a newer
version: refuse it rather than guess.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(db) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    cfg.attributes["engine"] = db.engine
    return cfg


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(db) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db) -> str:
    from .db import SchemaError

    script = ScriptDirectory(str(MIGRATIONS))
    current = current_revision(db)
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise SchemaError(
            f"数据库结构版本 {current} 比本程序新（本程序最高支持 {script.get_current_head()}），"
            "请升级本程序后再打开此数据库。")
    if current != script.get_current_head():
        command.upgrade(alembic_config(db), "head")
    return script.get_current_head()
