"""Engine, sessions and schema upgrades.

SQLite (the default, one file in WAL mode) and PostgreSQL (``HALL_DATABASE_URL``)
behind one handle. Writers on SQLite start with ``BEGIN IMMEDIATE`` so two
workstations never interleave a read-then-write; the busy timeout makes the
second one wait rather than fail. Before ``BEGIN IMMEDIATE`` a writer takes a
blocking lock on ``<file>.writer-lock`` (:class:`_WriterLock`): writers queue
in the kernel and are woken when the lock is free, instead of each retrying
on the busy timeout (which lets a few starve for seconds under contention).
``synchronous=FULL`` makes a committed ticket
survive a power cut: a printed number is never issued again.

PostgreSQL sessions set ``synchronous_commit = on`` whatever the server's
default (an acknowledged ticket survives an immediate stop), a
``lock_timeout`` equal to SQLite's busy timeout and a ``statement_timeout``
per write transaction; :func:`is_busy_error` recognises a timed-out wait on
both backends so every caller can say the same sentence (:data:`BUSY_MESSAGE`).
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from hall.domain.clock import Clock, default_clock

from .migrate import SchemaError

BUSY_TIMEOUT_MS = 30_000
#: A write transaction's statements on PostgreSQL (lock waits end earlier).
WRITE_STATEMENT_TIMEOUT_MS = 60_000
BUSY_MESSAGE = ("数据库正忙：另一个工作站正在处理同一批数据，等待超时，本次操作未完成。"
                "已输入的内容不会丢失，请稍后重试。")
ENV_URL = "HALL_DATABASE_URL"


def default_sqlite_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("hall", appauthor=False)) / "hall.db"


def resolve_url(url: str | None = None) -> str:
    """``--db`` > ``HALL_DATABASE_URL`` > the SQLite file in the user data folder.

    A bare file path is taken as a SQLite file; ``postgresql://`` uses psycopg.
    """
    url = url or os.environ.get(ENV_URL)
    if not url:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Autocommit at the driver level: we issue BEGIN ourselves (see _begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def is_busy_error(exc: BaseException) -> bool:
    """A wait for a lock that timed out (SQLite busy, PostgreSQL lock or statement timeout)."""
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None)
    if state in ("55P03", "57014"):  # lock_not_available, query_canceled (statement_timeout)
        return True
    msg = str(orig).lower()
    return "database is locked" in msg or "database is busy" in msg


def _pg_session(timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        autocommit = dbapi_conn.autocommit
        dbapi_conn.autocommit = True
        with dbapi_conn.cursor() as cur:
            cur.execute("SET synchronous_commit = on")
            cur.execute(f"SET lock_timeout = {int(timeout_ms)}")
        dbapi_conn.autocommit = autocommit
    return on_connect


def _pg_begin(conn: Connection) -> None:
    if conn.get_execution_options().get("hall_write"):
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {WRITE_STATEMENT_TIMEOUT_MS}")


def _sqlite_begin(conn: Connection) -> None:
    if conn.get_execution_options().get("hall_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


class WriterLockTimeout(Exception):
    """Another workstation held the write lock for longer than the lock timeout."""


class _WriterLock:
    """One writer at a time on a SQLite file, across threads and processes.

    A thread lock inside the process, then an exclusive OS lock on a file next
    to the database (``flock`` / ``msvcrt.locking``), polled every 0.2-2 ms.
    Re-entrant per thread. The wait for another process is bounded by the lock
    timeout (then :class:`WriterLockTimeout`, shown as the busy message), so a
    hung holder never freezes the other workstations. SQLite's own locking
    stays the guarantee; this only orders the waiting.
    """

    def __init__(self, path: Path, timeout_s: float = BUSY_TIMEOUT_MS / 1000):
        self.timeout_s = timeout_s
        self.path = Path(f"{path}.writer-lock")
        self._thread_lock = threading.RLock()
        self._depth = threading.local()
        self._fd: int | None = None
        self._pid = 0

    def _os_lock(self, fd: int, deadline: float) -> None:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    return
                except OSError:     # LK_LOCK gives up after 10 s
                    if time.monotonic() >= deadline:
                        raise WriterLockTimeout() from None
        import fcntl

        # Polled in short steps rather than blocking: the wait stays bounded by
        # the lock timeout in every thread (a blocking flock has no timeout), and
        # a step of at most 2 ms keeps the turn-taking close to first come,
        # first served (SQLite's own busy handler backs off to 100 ms).
        pause = 0.0002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WriterLockTimeout() from None
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    def _os_unlock(self, fd: int) -> None:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        # Threads of one process queue on the thread lock without a timeout: the
        # holder is in this process and finishes its transaction; the bound is
        # on waiting for another process (the file lock below).
        self._thread_lock.acquire()
        deadline = time.monotonic() + self.timeout_s
        depth = getattr(self._depth, "n", 0)
        self._depth.n = depth + 1
        try:
            if depth:
                yield
                return
            try:
                if self._fd is None or self._pid != os.getpid():
                    # A forked child must not share the parent's open
                    # file (an flock belongs to it, not to the process).
                    self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
                    self._pid = os.getpid()
            except OSError:
                # No lock file (read-only folder...): SQLite's busy timeout
                # still serialises the writers, only less fairly.
                yield
                return
            self._os_lock(self._fd, deadline)
            try:
                yield
            finally:
                self._os_unlock(self._fd)
        finally:
            self._depth.n = depth
            self._thread_lock.release()

    def close(self) -> None:
        with self._thread_lock:
            if self._fd is not None and self._pid == os.getpid():
                os.close(self._fd)
                self._fd = None


class Database:
    """One hall database. Cheap to share; a session lives for one user action."""

    def __init__(self, url: str | None = None, *, clock: Clock | None = None, echo: bool = False,
                 fair_writer_lock: bool = True, lock_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.url = resolve_url(url)
        self.clock = clock or default_clock()
        parsed = make_url(self.url)
        self.backend = parsed.get_backend_name()
        self._writer_lock: _WriterLock | None = None
        if self.backend == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
                if fair_writer_lock:
                    self._writer_lock = _WriterLock(Path(parsed.database), lock_timeout_ms / 1000)
            self.engine: Engine = create_engine(
                self.url, echo=echo, hide_parameters=True,
                connect_args={"timeout": lock_timeout_ms / 1000, "check_same_thread": False})
            event.listen(self.engine, "connect", _sqlite_pragmas)
            if lock_timeout_ms != BUSY_TIMEOUT_MS:
                event.listen(self.engine, "connect", lambda c, _r: c.execute(f"PRAGMA busy_timeout = {int(lock_timeout_ms)}"))
            event.listen(self.engine, "begin", _sqlite_begin)
        elif self.backend == "postgresql":
            # hide_parameters: a failed statement is logged without its values
            # (names, ID numbers, password hashes)
            self.engine = create_engine(self.url, echo=echo, pool_pre_ping=True, hide_parameters=True,
                                        pool_size=5, max_overflow=5)
            event.listen(self.engine, "connect", _pg_session(lock_timeout_ms))
            event.listen(self.engine, "begin", _pg_begin)
        else:
            raise SchemaError(f"不支持的数据库类型：{self.backend}（支持 SQLite 与 PostgreSQL）")
        self._writer = sessionmaker(self.engine.execution_options(hall_write=True),
                                    expire_on_commit=False)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.backend == "postgresql"

    @property
    def sqlite_path(self) -> Path | None:
        if self.backend != "sqlite":
            return None
        database = make_url(self.url).database
        return Path(database) if database else None

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any error."""
        if self._writer_lock is None:
            with self._writer() as session, session.begin():
                yield session
            return
        with self._writer_lock.held(), self._writer() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self._writer_lock is not None:
            self._writer_lock.close()

    # -- schema -----------------------------------------------------------
    def upgrade(self) -> str:
        from .migrate import upgrade

        return upgrade(self)

    def schema_revision(self) -> str | None:
        from .migrate import current_revision

        return current_revision(self)

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("select 1"))
