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
    """The schema version this program writes ("a+b" while branches are open)."""
    return "+".join(sorted(ScriptDirectory(str(MIGRATIONS)).get_heads()))


def current_revision(db) -> str | None:
    with db.engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    return "+".join(sorted(heads)) if heads else None


def upgrade(db) -> str:
    """Bring the schema to this program's version; refuse one from a newer program."""
    from .db import SchemaError

    script = ScriptDirectory(str(MIGRATIONS))
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = current - known
    if unknown:
        raise SchemaError(
            f"数据库结构版本 {'、'.join(sorted(unknown))} 比本程序新（本程序最高支持 {head_revision()}），"
            "请升级本程序后再打开此数据库。")
    if current != set(script.get_heads()):
        command.upgrade(alembic_config(db), "heads")
    return head_revision()
