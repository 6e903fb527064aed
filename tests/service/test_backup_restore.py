"""A backup is the database plus the file store in one verified archive; a
restore checks it, shows what it replaces, asks, and keeps a safety copy."""
from __future__ import annotations

import hashlib
import io
import json
import random
import sqlite3
import tarfile

import pytest
from sqlalchemy import func, select

from hall.services import queue
from hall.services.backup import (
    BackupError,
    ConfirmationNeeded,
    backup,
    inspect_backup,
    plan_restore,
    restore,
    restore_epoch,
    verify_archive,
)
from hall.services.base import PermissionDenied, unit_of_work
from hall.services.documents import blob_path, ensure_stored, storage_folder, store_bytes, verify_store
from hall.store.models import AuditEntry, Setting


def _waiting(db, code="labour"):
    return [s.waiting for s in queue.queue_snapshot(db).services if s.code == code][0]


def _store_recording(db, admin, data=b"RIFF....WAVE recording of the session"):
    sha, size = store_bytes(db, data)
    with unit_of_work(db, admin, "centre.configure") as uow:
        ensure_stored(uow, sha, size, "audio/wav", "session.wav")
    return sha


def _audit_count(db):
    with db.read() as s:
        return s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def test_backup_holds_database_and_store_and_restore_puts_both_back(hall, front_desk, admin, tmp_path):
    t = queue.issue_ticket(hall, front_desk, "labour")
    sha = _store_recording(hall, admin)
    target = tmp_path / "b" / "hall.hallbak"
    res = backup(hall, admin, target)
    assert res.verified and res.files == 1 and res.store_problems == 0
    with tarfile.open(target) as tar:
        names = tar.getnames()
    assert names[:2] == ["manifest.json", "manifest.sha256"] and f"files/{sha[:2]}/{sha}" in names
    manifest = verify_archive(target)
    assert manifest["files"][f"files/{sha[:2]}/{sha}"]["sha256"] == sha
    assert manifest["centre"] == "东湖区社会治理服务中心"

    # later: another ticket, and the recording is lost from the store
    queue.issue_ticket(hall, front_desk, "labour")
    p = blob_path(storage_folder(hall), sha)
    p.chmod(0o644)
    p.unlink()
    assert not verify_store(hall).healthy

    r = restore(hall, admin, target, confirmed=True, safety_folder=tmp_path / "safety")
    assert _waiting(hall) == 1 and queue.ticket(hall, t.id).number == "L001"
    assert verify_store(hall).healthy and r.files == 1
    # the safety copy is itself a verified backup of the state before the restore
    assert r.safety_copy and inspect_backup(r.safety_copy).rows["tickets"] == 2


def test_restore_without_confirmation_changes_nothing_and_says_what_it_replaces(hall, front_desk, admin, tmp_path):
    queue.issue_ticket(hall, front_desk, "labour")
    target = tmp_path / "hall.hallbak"
    backup(hall, admin, target)
    queue.issue_ticket(hall, front_desk, "labour")
    before = _audit_count(hall)
    with pytest.raises(ConfirmationNeeded) as exc:
        restore(hall, admin, target)
    assert "排队号：当前 2 → 恢复后 1" in exc.value.details["plan"].describe()
    assert _waiting(hall) == 2 and _audit_count(hall) == before
    assert not (tmp_path / "hall-backups").exists()
    assert "排队号：当前 2 → 恢复后 1" in plan_restore(hall, admin, target).describe()


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100, "sqlite"])
def test_a_file_that_is_not_a_hall_backup_is_refused_and_the_hall_is_untouched(hall, front_desk, admin,
                                                                               tmp_path, content):
    queue.issue_ticket(hall, front_desk, "labour")
    bad = tmp_path / "other.sqlite"
    if content == "sqlite":  # an unrelated, valid SQLite database
        conn = sqlite3.connect(bad)
        conn.execute("create table t (x)")
        conn.commit()
        conn.close()
    else:
        bad.write_bytes(content)
    with pytest.raises(BackupError, match="不是完整的服务大厅备份文件"):
        restore(hall, admin, bad, confirmed=True)
    assert _waiting(hall) == 1
    with pytest.raises(BackupError, match="找不到备份文件"):
        restore(hall, admin, tmp_path / "missing.hallbak", confirmed=True)


def test_every_single_bit_flip_is_detected(hall, front_desk, admin, tmp_path):
    queue.issue_ticket(hall, front_desk, "labour")
    _store_recording(hall, admin)
    target = tmp_path / "hall.hallbak"
    backup(hall, admin, target)
    good = target.read_bytes()
    rng = random.Random(18)
    positions = rng.sample(range(len(good)), 40)
    for pos in positions:
        bad = bytearray(good)
        bad[pos] ^= 1 << rng.randrange(8)
        target.write_bytes(bytes(bad))
        with pytest.raises(BackupError):
            verify_archive(target)
    target.write_bytes(good)
    verify_archive(target)


def test_a_one_byte_flip_of_a_ticket_number_is_refused(sqlite_db, admin, tmp_path):
    from hall.services.demo import install_demo
    from tests.conftest import staff_actor

    install_demo(sqlite_db, admin, history=False)
    fd = staff_actor(sqlite_db, "qiantai")
    queue.issue_ticket(sqlite_db, fd, "labour")
    queue.issue_ticket(sqlite_db, fd, "labour")
    target = tmp_path / "hall.hallbak"
    backup(sqlite_db, admin, target)
    data = target.read_bytes()
    assert data.count(b"L001") >= 1
    target.write_bytes(data.replace(b"L001", b"L002", 1))  # integrity_check alone passes this
    with pytest.raises(BackupError, match="校验值不符"):
        restore(sqlite_db, admin, target, confirmed=True)
    assert _waiting(sqlite_db) == 2


def _repack(src, dst, edit):
    """A backup whose manifest was edited and whose checksums were recomputed."""
    with tarfile.open(src) as tar:
        members = [(i, tar.extractfile(i).read()) for i in tar.getmembers()]
    manifest = json.loads(members[0][1])
    edit(manifest)
    mbytes = json.dumps(manifest).encode()
    with tarfile.open(dst, "w", format=tarfile.USTAR_FORMAT) as out:
        for i, data in [(members[0][0], mbytes), (members[1][0], hashlib.sha256(mbytes).hexdigest().encode()),
                        *members[2:]]:
            i.size = len(data)
            out.addfile(i, io.BytesIO(data))


def test_unknown_schema_other_backend_and_other_centre_are_refused(hall, admin, tmp_path):
    target = tmp_path / "hall.hallbak"
    backup(hall, admin, target)
    future = tmp_path / "future.hallbak"
    _repack(target, future, lambda m: m.update(schema="9999_future"))
    with pytest.raises(BackupError, match="不认识"):
        restore(hall, admin, future, confirmed=True)
    other_backend = tmp_path / "other-backend.hallbak"
    _repack(target, other_backend,
            lambda m: m.update(backend="postgresql" if hall.backend == "sqlite" else "sqlite"))
    with pytest.raises(BackupError, match="不能恢复到"):
        restore(hall, admin, other_backend, confirmed=True)

    with unit_of_work(hall, admin, "centre.configure") as uow:
        row = uow.s.get(Setting, "centre.profile")
        row.value = {**row.value, "name": "西湖区社会治理服务中心"}
    with pytest.raises(BackupError, match="另一个中心"):
        restore(hall, admin, target, confirmed=True)
    r = restore(hall, admin, target, confirmed=True, other_centre=True, safety_folder=tmp_path / "s")
    assert r.verified


def test_backup_as_a_non_admin_writes_nothing(hall, front_desk, tmp_path):
    before = _audit_count(hall)
    folder = tmp_path / "out"
    with pytest.raises(PermissionDenied):
        backup(hall, front_desk, folder / "hall.hallbak")
    assert not folder.exists() and _audit_count(hall) == before
    with pytest.raises(PermissionDenied):
        restore(hall, front_desk, folder / "hall.hallbak", confirmed=True)


def test_a_restore_bumps_the_epoch_and_event_ids_keep_growing(hall, front_desk, admin, tmp_path):
    target = tmp_path / "hall.hallbak"
    backup(hall, admin, target)
    for _ in range(5):
        queue.issue_ticket(hall, front_desk, "labour")
    last_seen = queue.events_since(hall, 0, 10_000)[-1].id  # where a board is waiting
    assert restore_epoch(hall) == 0
    r = restore(hall, admin, target, confirmed=True, safety_folder=tmp_path / "s")
    assert r.epoch == 1 == restore_epoch(hall)
    seen = queue.events_since(hall, last_seen)
    assert [e.kind for e in seen] == ["centre.restored"] and seen[0].payload["epoch"] == 1
    t = queue.issue_ticket(hall, front_desk, "labour")
    assert t.number == "L001"
    assert all(e.id > last_seen for e in queue.events_since(hall, seen[0].id))
    assert queue.events_since(hall, seen[0].id)
