"""Schema upgrades on start, refusing a newer schema, and verified backups."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from hall.services import queue
from hall.services.backup import backup, restore
from hall.services.base import HallError
from hall.store.db import Database, SchemaError
from hall.store.migrate import head_revision


def test_upgrade_is_idempotent_and_reports_head(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    assert db.schema_revision() is None
    assert db.upgrade() == head_revision()
    assert db.upgrade() == head_revision()
    assert db.schema_revision() == head_revision()


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    db.upgrade()
    with db.engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num='9999_future'"))
    with pytest.raises(SchemaError, match="比本程序新"):
        Database(db.url).upgrade()


def test_sqlite_is_in_wal_mode_with_durable_commits(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_backup_and_restore_round_trip(hall, front_desk, admin, tmp_path):
    t = queue.issue_ticket(hall, front_desk, "labour")
    target = tmp_path / "backups" / "hall.bak"
    res = backup(hall, admin, target)
    assert res.verified and target.exists() and res.bytes > 0
    queue.issue_ticket(hall, front_desk, "labour")
    restore(hall, admin, target, confirmed=True, safety_folder=tmp_path / "safety")
    assert [s.waiting for s in queue.queue_snapshot(hall).services if s.code == "labour"] == [1]
    assert queue.ticket(hall, t.id).number == "L001"


def test_restore_refuses_a_damaged_file(sqlite_db, admin, tmp_path):
    bad = tmp_path / "bad.bak"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(HallError):
        restore(sqlite_db, admin, bad, confirmed=True)
    with pytest.raises(HallError, match="找不到备份文件"):
        restore(sqlite_db, admin, tmp_path / "missing.bak", confirmed=True)


def test_heads_read_from_the_files_match_alembic():
    from alembic.script import ScriptDirectory

    from hall.store.migrate import MIGRATIONS, script_heads

    assert script_heads() == frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())
