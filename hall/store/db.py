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
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from hall.domain.clock import Clock, default_clock

BUSY_TIMEOUT_MS = 30_000
ENV_URL = "HALL_DATABASE_URL"


class SchemaError(RuntimeError):
    """The database's schema cannot be used by this program."""


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


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Autocommit at the driver level: we issue BEGIN ourselves (see _begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn) -> None:
    if conn.get_execution_options().get("hall_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


class _WriterLock:
    """One writer at a time on a SQLite file, across threads and processes.

    A thread lock inside the process, then an exclusive OS lock on a file next
    to the database (``flock`` / ``msvcrt.locking``), taken blocking: the
    kernel wakes a waiter when the holder commits. Re-entrant per thread.
    SQLite's own locking stays the guarantee; this only orders the waiting.
    """

    def __init__(self, path: Path):
        self.path = Path(f"{path}.writer-lock")
        self._thread_lock = threading.RLock()
        self._depth = threading.local()
        self._fd: int | None = None
        self._pid = 0

    def _os_lock(self, fd: int) -> None:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    return
                except OSError:     # LK_LOCK gives up after 10 s: keep waiting
                    continue
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)

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
        with self._thread_lock:
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
                    self._os_lock(self._fd)
                except OSError:
                    # No lock file (read-only folder...): SQLite's busy timeout
                    # still serialises the writers, only less fairly.
                    yield
                    return
                try:
                    yield
                finally:
                    self._os_unlock(self._fd)
            finally:
                self._depth.n = depth

    def close(self) -> None:
        with self._thread_lock:
            if self._fd is not None and self._pid == os.getpid():
                os.close(self._fd)
                self._fd = None


class Database:
    """One hall database. Cheap to share; a session lives for one user action."""

    def __init__(self, url: str | None = None, *, clock: Clock | None = None, echo: bool = False,
                 fair_writer_lock: bool = True):
        self.url = resolve_url(url)
        self.clock = clock or default_clock()
        parsed = make_url(self.url)
        self.backend = parsed.get_backend_name()
        self._writer_lock: _WriterLock | None = None
        if self.backend == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
                if fair_writer_lock:
                    self._writer_lock = _WriterLock(Path(parsed.database))
            self.engine: Engine = create_engine(
                self.url, echo=echo,
                connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        elif self.backend == "postgresql":
            self.engine = create_engine(self.url, echo=echo, pool_pre_ping=True,
                                        pool_size=5, max_overflow=5)
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
        return Path(make_url(self.url).database)

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
