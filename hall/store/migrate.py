"""Alembic, driven from code: the app upgrades the schema on start.

A database whose revision this program does not know was written by a newer
version: refuse it rather than guess.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:  # the database imports this module, never the other way round
    from alembic.config import Config

    from .db import Database

MIGRATIONS = Path(__file__).with_name("migrations")
_REV = re.compile(r'^revision\s*=\s*["\']([^"\']+)["\']', re.M)
_DOWN = re.compile(r'^down_revision\s*=\s*(.+)$', re.M)


@lru_cache(maxsize=1)
def script_heads() -> frozenset[str]:
    """The head revisions, read from the migration files without importing
    Alembic (which costs a tenth of a second at every start of the app)."""
    revs: set[str] = set()
    downs: set[str] = set()
    for f in (MIGRATIONS / "versions").glob("*.py"):
        body = f.read_text(encoding="utf-8")
        m = _REV.search(body)
        if not m:
            continue
        revs.add(m.group(1))
        d = _DOWN.search(body)
        if d:
            downs.update(re.findall(r'["\']([^"\']+)["\']', d.group(1)))
    return frozenset(revs - downs)


def _stamped(db: Database) -> set[str] | None:
    """The revisions the database is stamped with, or None if it has no schema yet."""
    try:
        with db.engine.connect() as conn:
            return {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except SQLAlchemyError:
        return None


def alembic_config(db: Database) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    cfg.attributes["engine"] = db.engine
    return cfg


def head_revision() -> str:
    """The schema version this program writes ("a+b" while branches are open)."""
    return "+".join(sorted(script_heads()))


class SchemaError(RuntimeError):
    """The database's schema cannot be used by this program."""


def current_revision(db: Database) -> str | None:
    heads = _stamped(db)
    return "+".join(sorted(heads)) if heads else None


def upgrade(db: Database) -> str:
    """Bring the schema to this program's version; refuse one from a newer program."""
    if _stamped(db) == set(script_heads()):
        return head_revision()  # the common case: nothing to do, no Alembic import
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    if set(script.get_heads()) != set(script_heads()):  # pragma: no cover - a malformed file
        raise SchemaError("迁移脚本读取不一致，请检查 hall/store/migrations/versions")
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
