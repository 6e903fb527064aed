"""Backup and restore of a whole hall: the database and its file store.

A backup is one archive (an uncompressed POSIX tar) holding, in this order:

``manifest.json``
    what the archive is (``"format": "hall-backup"``), the backend, the
    schema revision, the centre's name, when it was made, row counts, and
    the SHA-256 and size of every other file in the archive;
``manifest.sha256``
    the SHA-256 of ``manifest.json``;
``database.sqlite`` or ``database.pgdump``
    an online copy of the SQLite file (checked with ``integrity_check``) or
    ``pg_dump --format=custom`` (checked with ``pg_restore --list``);
``files/<sha[:2]>/<sha>``
    every file of the evidence and document store the database refers to.

Every byte of the archive is checked: tar headers by their checksum, each
member's data by the manifest's SHA-256, the manifest by ``manifest.sha256``,
and the padding and end blocks must be zero. The check runs after writing (a
backup that does not verify is not kept) and again before a restore.

A restore first checks the archive, that it is a hall backup of a schema
this program knows, for the same backend and (unless told otherwise) the same
centre; shows what it will replace (:func:`plan_restore`); needs an explicit
confirmation; writes a safety backup of the current hall; then replaces the
database, puts the store's files back, upgrades the schema and bumps the
restore epoch. Event ids continue above every id handed out before the
restore, so a call board waiting for "the next event after N" sees the
``centre.restored`` event and resyncs.
"""
from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypedDict

from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.engine import make_url

from hall.domain.clock import to_local
from hall.store.db import Database
from hall.store.models import Event

from .base import Actor, HallError, PermissionDenied, get_setting, put_setting, unit_of_work
from .views import JsonView

FORMAT = "hall-backup"
FORMAT_VERSION = 1
SUFFIX = ".hallbak"
EPOCH_SETTING = "restore.epoch"
_TABLES = ("tickets", "visitors", "users", "events", "audit_log", "services", "windows",
           "cases", "documents", "stored_files")
_DB_MEMBER = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
_BLOCK = tarfile.BLOCKSIZE
_CHUNK = 1 << 20


class BackupError(HallError):
    code = "backup"


class ConfirmationNeeded(HallError):
    """The restore would replace a hall: ask first (``details['plan']``)."""

    code = "confirm"


@dataclass(frozen=True)
class BackupResult(JsonView):
    path: str
    backend: str
    bytes: int
    verified: bool
    rows: dict
    files: int = 0
    #: store files the database refers to but that were missing or changed
    #: on disk (not in the backup; ``store verify`` names them).
    store_problems: int = 0
    safety_copy: str = ""
    epoch: int = 0


@dataclass(frozen=True)
class BackupInfo(JsonView):
    """A verified archive's manifest, in plain words."""

    path: str
    backend: str
    schema: str
    centre: str
    created_at: str
    rows: dict
    files: int
    bytes: int


@dataclass(frozen=True)
class RestorePlan(JsonView):
    backup: BackupInfo
    current_centre: str
    current_schema: str
    current_rows: dict
    other_centre: bool
    replaces: list[str] = field(default_factory=list)

    def describe(self) -> str:
        b = self.backup
        lines = [f"备份：{b.centre or '（未设置中心名称）'}，{b.created_at}，结构版本 {b.schema}，"
                 f"含文件库文件 {b.files} 个"]
        if self.current_schema:
            lines.append(f"将被替换的当前数据库：{self.current_centre or '（未设置中心名称）'}，结构版本 {self.current_schema}")
        else:
            lines.append("当前数据库为空")
        lines += self.replaces
        return "\n".join(lines)


# ============================================================ helpers
def _sha_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with open(path, "rb") as f:
        for chunk in iter(functools.partial(f.read, _CHUNK), b""):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _counts(db: Database) -> dict:
    names = set(inspect(db.engine).get_table_names())
    out = {}
    with db.read() as s:
        for t in _TABLES:
            if t in names:
                out[t] = s.execute(text(f"select count(*) from {t}")).scalar_one()
    return out


def _centre_name(db: Database) -> str:
    try:
        with db.read() as s:
            profile = get_setting(s, "centre.profile", {}) or {}
    except Exception:  # no schema yet
        return ""
    return str(profile.get("name") or "") if isinstance(profile, dict) else ""


def known_revisions() -> set[str]:
    import re

    from hall.store.migrate import MIGRATIONS

    rev = re.compile(r'^revision\s*=\s*["\']([^"\']+)["\']', re.M)
    out = set()
    for f in (MIGRATIONS / "versions").glob("*.py"):
        m = rev.search(f.read_text(encoding="utf-8"))
        if m:
            out.add(m.group(1))
    return out


def _check_sqlite_copy(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份中的数据库文件无法读取：{exc}") from None
    finally:
        conn.close()
    if status != "ok":
        raise BackupError(f"备份中的数据库文件校验失败：{status}")


def _sqlite_min_counts(path: Path, expected: dict) -> None:
    conn = sqlite3.connect(path)
    try:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        for t, n in expected.items():
            if t in names and conn.execute(f"select count(*) from {t}").fetchone()[0] < n:
                raise BackupError("备份文件的数据行数少于数据库，备份未完成")
    finally:
        conn.close()


# ============================================================ backup
def backup(db: Database, actor: Actor, target: str | os.PathLike) -> BackupResult:
    """Write a verified archive of the database and its store to ``target``."""
    actor.require("centre.configure")  # before anything is written
    target = Path(target).expanduser()
    if target.is_dir():
        raise BackupError(f"备份目标是一个文件夹：{target}，请给出文件名")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".hallbak-", dir=target.parent))
    except OSError as exc:
        raise BackupError(f"备份目标不可写：{target.parent}（{exc.strerror or exc}）") from None
    tmp = target.with_name(target.name + ".partial")
    try:
        result = _write_archive(db, target, tmp, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        tmp.unlink(missing_ok=True)
    with unit_of_work(db, actor, "centre.configure") as uow:
        uow.audit("backup.create", "backup", target.name, bytes=result.bytes, files=result.files)
    return result


class _Entry(TypedDict):
    """A member of the archive as the manifest lists it."""

    sha256: str
    size: int


def _sqlite_file(db: Database) -> Path:
    path = db.sqlite_path
    if path is None:
        raise BackupError("内存中的 SQLite 数据库没有数据库文件，不能备份或恢复")
    return path


def _write_archive(db: Database, target: Path, tmp: Path, work: Path) -> BackupResult:
    from .documents import blob_path, storage_folder

    expected = _counts(db)
    dbfile = work / _DB_MEMBER[db.backend]
    if db.backend == "sqlite":
        src = sqlite3.connect(_sqlite_file(db))
        try:
            dst = sqlite3.connect(dbfile)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        _check_sqlite_copy(dbfile)
        # These rows are never deleted, so the copy holds at least as many.
        _sqlite_min_counts(dbfile, expected)
        conn = sqlite3.connect(dbfile)
        try:
            try:
                shas = [r[0] for r in conn.execute("select sha256 from stored_files order by id")]
            except sqlite3.OperationalError:
                shas = []
            schema = "+".join(sorted(r[0] for r in conn.execute("select version_num from alembic_version")))
        finally:
            conn.close()
    else:
        _pg_tool("pg_dump", "--format=custom", "--no-owner", f"--file={dbfile}", _pg_dsn(db), db=db)
        listing = _pg_tool("pg_restore", "--list", str(dbfile))
        if "TABLE DATA" not in listing:
            raise BackupError("备份文件不含数据，备份未完成")
        with db.read() as s:
            shas = list(s.execute(text("select sha256 from stored_files order by id")).scalars())
        schema = db.schema_revision() or ""
    folder = storage_folder(db)
    members: list[tuple[str, Path]] = [(dbfile.name, dbfile)]
    problems = 0
    entries: dict[str, _Entry] = {}
    for sha in dict.fromkeys(shas):
        p = blob_path(folder, sha)
        try:
            got, _ = _sha_file(p)
        except OSError:
            problems += 1
            continue
        if got != sha:
            problems += 1
            continue
        members.append((f"files/{sha[:2]}/{sha}", p))
    for name, p in members:
        sha, size = _sha_file(p)
        entries[name] = {"sha256": sha, "size": size}
    manifest = {
        "format": FORMAT, "version": FORMAT_VERSION, "backend": db.backend, "schema": schema,
        "centre": _centre_name(db), "created_at": db.clock.now().isoformat(), "rows": expected,
        "store_problems": problems, "files": entries,
    }
    mbytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    try:
        with tarfile.open(tmp, "w", format=tarfile.USTAR_FORMAT) as tar:
            _add_bytes(tar, "manifest.json", mbytes)
            _add_bytes(tar, "manifest.sha256", hashlib.sha256(mbytes).hexdigest().encode("ascii"))
            for name, p in members:
                info = tarfile.TarInfo(name)
                info.size = entries[name]["size"]
                info.mode = 0o644
                with open(p, "rb") as f:
                    tar.addfile(info, f)
        _fsync(tmp)
        verify_archive(tmp)  # read back: a backup that does not verify is not kept
        os.replace(tmp, target)
        _fsync(target.parent)
    except OSError as exc:
        raise BackupError(f"写入备份失败：{exc.strerror or exc}（{target}）") from None
    return BackupResult(str(target), db.backend, target.stat().st_size, True, expected,
                        files=len(members) - 1, store_problems=problems)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


# ============================================================ verification
def _not_a_backup(path: Path) -> BackupError:
    return BackupError(f"{path.name} 不是完整的服务大厅备份文件（已损坏、不完整或不是本程序生成的备份）")


def _member(tar: tarfile.TarFile, info: tarfile.TarInfo, path: Path) -> IO[bytes]:
    f = tar.extractfile(info)
    if f is None:   # not a regular file
        raise _not_a_backup(path)
    return f


def verify_archive(path: str | os.PathLike, extract_to: Path | None = None) -> dict:
    """Check every byte of an archive; return its manifest. With
    ``extract_to``, also write the members there (database, ``files/...``)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    size = path.stat().st_size
    if size < 3 * _BLOCK or size % _BLOCK:
        raise _not_a_backup(path)
    try:
        tar = tarfile.open(path, "r:")
    except (tarfile.TarError, OSError):
        raise _not_a_backup(path) from None
    with tar, open(path, "rb") as raw:
        try:
            infos = tar.getmembers()
        except (tarfile.TarError, OSError):
            raise _not_a_backup(path) from None
        if len(infos) < 3 or [i.name for i in infos[:2]] != ["manifest.json", "manifest.sha256"]:
            raise _not_a_backup(path)
        # every byte outside headers and data (padding, end blocks) must be zero
        covered_to = 0
        for i in infos:
            if not i.isfile() or i.offset != covered_to:
                raise _not_a_backup(path)
            end = i.offset_data + i.size
            raw.seek(end)
            pad = (-end) % _BLOCK
            if raw.read(pad).strip(b"\0"):
                raise _not_a_backup(path)
            covered_to = end + pad
        raw.seek(covered_to)
        while chunk := raw.read(_CHUNK):
            if chunk.strip(b"\0"):
                raise _not_a_backup(path)
        mbytes = _member(tar, infos[0], path).read()
        msha = _member(tar, infos[1], path).read().decode("ascii", "replace").strip()
        if hashlib.sha256(mbytes).hexdigest() != msha:
            raise BackupError(f"{path.name} 的清单校验值不符，备份已损坏")
        try:
            manifest = json.loads(mbytes.decode("utf-8"))
        except ValueError:
            raise _not_a_backup(path) from None
        if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
            raise _not_a_backup(path)
        if manifest.get("version") != FORMAT_VERSION:
            raise BackupError(f"备份格式版本 {manifest.get('version')} 不受本程序支持，请升级本程序")
        files = manifest["files"]
        rest = infos[2:]
        if sorted(i.name for i in rest) != sorted(files) or len(rest) != len(files):
            raise BackupError(f"{path.name} 的内容与清单不一致，备份已损坏")
        for i in rest:
            name = i.name
            if name.startswith("/") or ".." in Path(name).parts:
                raise _not_a_backup(path)
            h = hashlib.sha256()
            f = _member(tar, i, path)
            out = None
            if extract_to is not None:
                dest = extract_to / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                out = open(dest, "wb")
            try:
                for chunk in iter(functools.partial(f.read, _CHUNK), b""):  # noqa: B023 (read within this iteration)
                    h.update(chunk)
                    if out:
                        out.write(chunk)
            finally:
                if out:
                    out.close()
            if h.hexdigest() != files[name]["sha256"] or i.size != files[name]["size"]:
                raise BackupError(f"备份中的文件 {name} 校验值不符，备份已损坏，未恢复")
    return manifest


def inspect_backup(source: str | os.PathLike) -> BackupInfo:
    """Verify an archive and describe it (no database needed)."""
    source = Path(source).expanduser()
    m = verify_archive(source)
    return _info(source, m)


def _info(source: Path, m: dict) -> BackupInfo:
    created = m.get("created_at", "")
    try:
        import datetime as dt

        created = to_local(dt.datetime.fromisoformat(created)).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        pass
    files = sum(1 for n in m["files"] if n.startswith("files/"))
    return BackupInfo(str(source), m.get("backend", ""), m.get("schema", ""), m.get("centre", ""),
                      created, dict(m.get("rows", {})), files, source.stat().st_size)


# ============================================================ restore
_ROW_LABELS = {"tickets": "排队号", "visitors": "来访人", "users": "用户", "cases": "调解案件",
               "documents": "文书", "audit_log": "操作记录"}


def plan_restore(db: Database, actor: Actor, source: str | os.PathLike, *,
                 other_centre: bool = False) -> RestorePlan:
    """Verify ``source`` and say what restoring it would replace; refuse a file
    that is not a hall backup, of an unknown schema, of the other backend, or
    (unless ``other_centre``) of another centre."""
    actor.require("centre.configure")
    source = Path(source).expanduser()
    m = verify_archive(source)
    return _plan(db, source, m, other_centre)


def _plan(db: Database, source: Path, m: dict, other_centre: bool) -> RestorePlan:
    info = _info(source, m)
    if info.backend != db.backend:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(f"这是 {names.get(info.backend, info.backend)} 数据库的备份，"
                          f"不能恢复到 {names.get(db.backend, db.backend)} 数据库")
    if _DB_MEMBER[db.backend] not in m["files"]:
        raise _not_a_backup(source)
    revs = set(filter(None, info.schema.split("+")))
    unknown = revs - known_revisions()
    if not revs or unknown:
        raise BackupError(f"备份的数据库结构版本 {info.schema or '（无）'} 本程序不认识"
                          "（可能由更新版本的程序生成），未恢复")
    current_schema = db.schema_revision() or ""
    current_rows = _counts(db) if current_schema else {}
    current_centre = _centre_name(db) if current_schema else ""
    differs = bool(current_centre and info.centre and current_centre != info.centre)
    if differs and not other_centre:
        raise BackupError(f"备份属于“{info.centre}”，而当前数据库属于“{current_centre}”；"
                          "确需用另一个中心的备份替换，请明确指定（命令行：--other-centre）")
    replaces = []
    for t, label in _ROW_LABELS.items():
        now, then = current_rows.get(t, 0), info.rows.get(t, 0)
        if now or then:
            replaces.append(f"{label}：当前 {now} → 恢复后 {then}")
    return RestorePlan(info, current_centre, current_schema, current_rows, differs, replaces)


def default_safety_folder(db: Database) -> Path:
    path = db.sqlite_path
    if path is not None:
        return path.with_name(path.stem + "-backups")
    import platformdirs

    return Path(platformdirs.user_data_dir("hall", appauthor=False)) / "backups"


def restore(db: Database, actor: Actor, source: str | os.PathLike, *, confirmed: bool = False,
            other_centre: bool = False, safety_folder: str | os.PathLike | None = None) -> BackupResult:
    """Replace the hall's database and store with a verified backup.

    Without ``confirmed`` nothing is changed: :class:`ConfirmationNeeded`
    carries the plan. A safety backup of the current hall is written first
    (into ``safety_folder``, default :func:`default_safety_folder`)."""
    actor.require("centre.configure")
    source = Path(source).expanduser()
    if not source.is_file():
        raise BackupError(f"找不到备份文件：{source}")
    m = verify_archive(source)
    plan = _plan(db, source, m, other_centre)
    if not confirmed:
        raise ConfirmationNeeded("恢复会替换当前数据库的全部内容，请确认后再执行\n" + plan.describe(),
                                 plan=plan)
    safety = ""
    prev_epoch = prev_event = 0
    if plan.current_schema:
        with db.read() as s:
            prev_epoch = int(get_setting(s, EPOCH_SETTING, 0) or 0)
            prev_event = s.execute(select(func.max(Event.id))).scalar() or 0
        stamp = to_local(db.clock.now()).strftime("%Y%m%d-%H%M%S")
        folder = Path(safety_folder).expanduser() if safety_folder else default_safety_folder(db)
        safety = backup(db, actor, folder / f"before-restore-{stamp}{SUFFIX}").path
    work_parent = db.sqlite_path.parent if db.sqlite_path else None
    work = Path(tempfile.mkdtemp(prefix=".hallrestore-", dir=work_parent))
    try:
        verify_archive(source, extract_to=work)  # the bytes restored are the bytes checked
        dbfile = work / _DB_MEMBER[db.backend]
        if db.backend == "sqlite":
            _check_sqlite_copy(dbfile)
            db.dispose()
            src = sqlite3.connect(dbfile)
            try:
                dst = sqlite3.connect(_sqlite_file(db), timeout=30)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            finally:
                src.close()
        else:
            db.dispose()
            _pg_tool("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                     f"--dbname={_pg_dsn(db)}", str(dbfile), db=db)
        db.upgrade()
        files = _restore_store(db, work / "files")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with db.read() as s:
        epoch = max(prev_epoch, int(get_setting(s, EPOCH_SETTING, 0) or 0)) + 1
        next_event = max(prev_event, s.execute(select(func.max(Event.id))).scalar() or 0) + 1
    with unit_of_work(db, actor, "centre.configure") as uow:
        put_setting(uow.s, EPOCH_SETTING, epoch)
        uow.audit("backup.restore", "backup", source.name, epoch=epoch, safety_copy=Path(safety).name if safety else "",
                  other_centre=plan.other_centre)
        # Event ids continue above every id handed out before the restore, so
        # a board waiting after its last id sees this event and resyncs.
        ws = actor.workstation
        uow.s.execute(insert(Event).values(id=next_event, at=uow.now, kind="centre.restored",
                                           payload={"epoch": epoch}, workstation=ws))
        if db.is_postgres:
            uow.s.execute(text("SELECT setval(pg_get_serial_sequence('events', 'id'), :v)"), {"v": next_event})
    return BackupResult(str(source), db.backend, source.stat().st_size, True, plan.backup.rows,
                        files=files, safety_copy=safety, epoch=epoch)


def _restore_store(db: Database, files: Path) -> int:
    from .documents import _file_chunks, _put, storage_folder

    if not files.is_dir():
        return 0
    folder = storage_folder(db)
    n = 0
    for p in sorted(files.glob("*/*")):
        sha, _ = _put(folder, _file_chunks(p))
        if sha != p.name:  # pragma: no cover - verified twice already
            raise BackupError(f"恢复文件库文件 {p.name[:12]}… 时校验不一致")
        n += 1
    return n


def restore_epoch(db: Database) -> int:
    """How many restores this hall has seen; clients resync when it changes."""
    with db.read() as s:
        return int(get_setting(s, EPOCH_SETTING, 0) or 0)


def _pg_dsn(db: Database) -> str:
    """The URL for the client tools, without the password (passed in the
    environment, so it never shows in the process list)."""
    url = make_url(db.url).set(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False)


def _pg_env(db: Database | None) -> dict | None:
    if db is None or not make_url(db.url).password:
        return None
    return {**os.environ, "PGPASSWORD": str(make_url(db.url).password)}


def _pg_tool(name: str, *args: str, db: Database | None = None) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise BackupError(f"找不到 {name}，请安装 PostgreSQL 客户端工具（postgresql-client）")
    proc = subprocess.run([exe, *args], capture_output=True, text=True, env=_pg_env(db))
    if proc.returncode != 0:
        err = proc.stderr.strip().splitlines()
        raise BackupError(f"{name} 失败：{err[-1] if err else proc.returncode}")
    return proc.stdout


__all__ = ["BackupError", "BackupInfo", "BackupResult", "ConfirmationNeeded", "RestorePlan", "backup",
           "inspect_backup", "plan_restore", "restore", "restore_epoch", "verify_archive", "PermissionDenied"]
