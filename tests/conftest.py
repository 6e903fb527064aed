"""Shared fixtures: a frozen hall clock, a database on SQLite and on PostgreSQL,
actors for each role. Qt runs offscreen; no test touches the real user folders."""
from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import re
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import HealthCheck, settings

from hall.domain.clock import FAKE_NOW_ENV, FAKE_TICK_ENV, HALL_TZ, UTC, FixedClock
from hall.services import Actor, system_actor
from hall.store.db import Database

# Property tests check behaviour, not speed (speed lives in tests/perf): no
# per-example deadline and no "generation is slow" check, which a loaded
# machine would trip at random.
settings.register_profile("hall", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("hall")

# The tests' hall instant. Every process of the test run, the test itself and any
# child it starts (workers, hall-admin, the GUI), lives on the test's clock rather
# than the wall clock: the ``clock`` fixture keeps HALL_FAKE_NOW equal to its own
# time, and outside that fixture it holds this instant.
TEST_NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=HALL_TZ).astimezone(UTC)
os.environ[FAKE_NOW_ENV] = TEST_NOW.isoformat()
os.environ.pop(FAKE_TICK_ENV, None)


class TestClock(FixedClock):
    """The frozen hall clock of a test; child processes started while it reads T
    are on T too (it writes HALL_FAKE_NOW whenever it is set or moved)."""

    __test__ = False  # not a test class

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if name == "at":
            os.environ[FAKE_NOW_ENV] = value.isoformat()


# The backends each database test runs on; HALL_TEST_BACKENDS=sqlite narrows it
# (the shifted-clock runs of .ci/test do, since the product never reads the
# database server's clock).
BACKENDS = [b.strip() for b in os.environ.get("HALL_TEST_BACKENDS", "sqlite,pg").split(",") if b.strip()]


# ------------------------------------------------------- warnings in the log
# A test fails when the product logs a warning or an error while it runs (set-up,
# the test, tear-down), as it fails on a Qt warning (qt_log_level_fail) or a
# Python warning (filterwarnings = error). Only the product's own loggers count:
# third-party libraries' messages are theirs to word. A test that provokes one on
# purpose says so: ``@pytest.mark.allow_log_warnings`` (any) or
# ``@pytest.mark.allow_log_warnings("regex", ...)`` (only messages matching one),
# or by asking for ``caplog``, which it then asserts on.
PRODUCT_LOGGERS = ("hall", "ui", "reports")
#: ``HALL_TEST_LOG_WARNINGS=ignore`` turns the check off: the runs under shifted
#: clocks (.ci/shifted-clocks) check dates; the main run checks the log.
LOG_WARNINGS_FAIL = os.environ.get("HALL_TEST_LOG_WARNINGS", "fail") != "ignore"


def _harness_noise(record: logging.LogRecord) -> bool:
    """The warning the clock gives when HALL_FAKE_NOW is set: this file sets it,
    for every test, so that the test process and its children share one instant."""
    return record.name == "hall.clock" and FAKE_NOW_ENV in record.getMessage()


class _ProductWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".", 1)[0] in PRODUCT_LOGGERS and not _harness_noise(record):
            self.records.append(record)


_LOG_WARNINGS = pytest.StashKey[_ProductWarnings]()


def _unexpected(item: pytest.Item, records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    if "caplog" in getattr(item, "fixturenames", ()):
        return []
    patterns: list[str] = []
    for mark in item.iter_markers("allow_log_warnings"):
        if not mark.args:
            return []
        patterns += mark.args
    return [r for r in records if not any(re.search(p, r.getMessage()) for p in patterns)]


@pytest.hookimpl(wrapper=True)
def _watch_phase(item: pytest.Item):
    handler = item.stash.setdefault(_LOG_WARNINGS, _ProductWarnings())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        return (yield)
    finally:
        root.removeHandler(handler)


pytest_runtest_setup = _watch_phase


class _OpenedInTest:
    """The databases a test body opens itself, closed when the body ends.

    A database handle that a test forgets to dispose keeps its PostgreSQL
    connections until the garbage collector meets them, in whatever test runs
    then, where the driver's "deleted while still open" warning fails an
    innocent test. Fixtures' databases are not touched (they are made before
    the body runs and close themselves)."""

    def __init__(self) -> None:
        self.opened: list[Database] = []
        self._init = Database.__init__

    def __enter__(self) -> _OpenedInTest:
        original, opened = self._init, self.opened

        def recording_init(db: Database, *args, **kwargs) -> None:
            original(db, *args, **kwargs)
            opened.append(db)

        Database.__init__ = recording_init  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc) -> None:
        Database.__init__ = self._init  # type: ignore[method-assign]
        for db in self.opened:
            db.dispose()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    try:
        with _OpenedInTest():
            result = yield from _watch_phase(item)
    except BaseException:  # failed already: its log is in the report
        item.stash[_LOG_WARNINGS].records = []
        raise
    _fail_on_logged_warnings(item)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem):
    result = yield from _watch_phase(item)
    _fail_on_logged_warnings(item)
    return result


def _fail_on_logged_warnings(item: pytest.Item) -> None:
    handler = item.stash.get(_LOG_WARNINGS, None)
    if handler is None:
        return
    bad = _unexpected(item, handler.records)
    handler.records = []
    if bad and LOG_WARNINGS_FAIL:
        lines = "\n".join(f"  {r.levelname} {r.name}: {r.getMessage()[:500]}" for r in bad)
        pytest.fail("the product logged warnings or errors during the test (mark it "
                    f"@pytest.mark.allow_log_warnings if they are expected):\n{lines}", pytrace=False)


@pytest.fixture(autouse=True)
def _private_folders(tmp_path_factory, monkeypatch):
    """User data, config and logs go to a temp folder, never the real ones."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.delenv("HALL_DATABASE_URL", raising=False)


#: How long a UI test waits for a condition or a signal by default. pytest-qt's
#: 5 s is tight on a loaded two-core machine, where a background read and the
#: repaint after it can take longer; a test that passes never waits for it.
UI_WAIT_MS = 20_000


def _patient_qtbot() -> None:
    from pytestqt.qtbot import QtBot

    if getattr(QtBot, "_hall_patient", False):
        return
    wait_until, wait_signal, wait_signals = QtBot.waitUntil, QtBot.waitSignal, QtBot.waitSignals

    def waitUntil(self, callback, *, timeout=UI_WAIT_MS):
        return wait_until(self, callback, timeout=timeout)

    def waitSignal(self, signal, *, timeout=UI_WAIT_MS, **kw):
        return wait_signal(self, signal, timeout=timeout, **kw)

    def waitSignals(self, signals, *, timeout=UI_WAIT_MS, **kw):
        return wait_signals(self, signals, timeout=timeout, **kw)

    QtBot.waitUntil, QtBot.waitSignal, QtBot.waitSignals = waitUntil, waitSignal, waitSignals
    QtBot._hall_patient = True


@pytest.fixture(autouse=True)
def _cycles_collected_on_the_gui_thread(request):
    """As in the application (ui.common.collector): once a test uses Qt, the cycle
    collector runs on the GUI thread only, here after each test, once the
    background reads are done."""
    if "qapp" in request.fixturenames:
        from ui.common import collector

        _patient_qtbot()
        collector.install(request.getfixturevalue("qapp"))
    yield
    if "ui.common.collector" in sys.modules and sys.modules["ui.common.collector"].installed() is not None:
        from ui.common import collector
        from ui.common.ops import wait_all

        wait_all()
        collector.collect_due()


@pytest.fixture
def clock():
    """Monday 2026-11-23 09:00 in the hall, shared with every child process."""
    c = TestClock(TEST_NOW)
    yield c
    os.environ[FAKE_NOW_ENV] = TEST_NOW.isoformat()


# ---------------------------------------------------------------- databases
# A migrated schema, and the demo centre installed at TEST_NOW, are built once per
# test process on each backend and copied for each test (a file copy on SQLite,
# CREATE DATABASE ... TEMPLATE on PostgreSQL): the same bytes a fresh install
# gives, in milliseconds instead of a second or two.
TEMPLATE_ACTOR = "test-admin"
_pg_templates: dict[str, str] = {}
_sqlite_templates: dict[str, Path] = {}


def pg_base_url() -> str:
    url = os.environ.get("HALL_TEST_PG_URL")
    if url:
        return url
    from tests.pgserver import ensure_server

    url = ensure_server()
    os.environ["HALL_TEST_PG_URL"] = url
    return url


def _pg_admin(sql: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(pg_base_url())
    with psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(sql)


def _pg_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(pg_base_url()).set(database=name).render_as_string(hide_password=False)


def _fill(d: Database, kind: str) -> None:
    d.upgrade()
    if kind == "demo":
        from hall.services.demo import install_demo

        install_demo(d, system_actor(TEMPLATE_ACTOR), history=False)


def _pg_template(kind: str) -> str:
    if kind not in _pg_templates:
        name = f"hall_tmpl_{kind}_{uuid.uuid4().hex[:8]}"
        if kind == "schema":
            _pg_admin(f"CREATE DATABASE {name}")
        else:
            _pg_admin(f"CREATE DATABASE {name} TEMPLATE {_pg_template('schema')}")
        tmpl = Database(_pg_url(name), clock=FixedClock(TEST_NOW))
        _fill(tmpl, kind)
        tmpl.dispose()
        _pg_templates[kind] = name
    return _pg_templates[kind]


def _sqlite_template(kind: str) -> Path:
    if kind not in _sqlite_templates:
        folder = Path(tempfile.mkdtemp(prefix=f"hall-test-{kind}-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "hall.db"
        tmpl = Database(f"sqlite:///{path}", clock=FixedClock(TEST_NOW))
        _fill(tmpl, kind)
        tmpl.dispose()  # the last connection checkpoints the WAL into the file
        _sqlite_templates[kind] = path
    return _sqlite_templates[kind]


def _copy_sqlite(kind: str, target: Path) -> None:
    source = _sqlite_template(kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    if Path(f"{source}-wal").exists():
        shutil.copyfile(f"{source}-wal", f"{target}-wal")


def new_pg_url(kind: str = "schema") -> str:
    """A fresh PostgreSQL database with the current schema (or the demo centre)."""
    name = f"hall_t_{uuid.uuid4().hex[:10]}"
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE {_pg_template(kind)}")
    return _pg_url(name)


def drop_pg(url: str) -> None:
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    try:
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    except Exception:
        pass


def _pristine(d: Database) -> bool:
    from sqlalchemy import func, select

    from hall.store.models import AuditEntry

    with d.read() as s:
        return not s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def with_demo(d: Database, admin: Actor) -> Database:
    """``d`` holding the demo centre without history: copied from the template when
    ``d`` is untouched and the clock is at the tests' instant, else installed."""
    from hall.services.demo import install_demo

    if d.clock.now() != TEST_NOW or admin != system_actor(TEMPLATE_ACTOR) or not _pristine(d):
        install_demo(d, admin, history=False)
        return d
    d.dispose()
    if d.is_postgres:
        from sqlalchemy.engine import make_url

        name = make_url(d.url).database
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {name} TEMPLATE {_pg_template('demo')}")
    else:
        _copy_sqlite("demo", d.sqlite_path)
    return d


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, upgraded database URL on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "hall.db"
        _copy_sqlite("schema", path)
        yield f"sqlite:///{path}"
    else:
        url = new_pg_url()
        yield url
        drop_pg(url)


@pytest.fixture
def db(db_url, clock):
    d = Database(db_url, clock=clock)
    yield d
    d.dispose()


@pytest.fixture
def sqlite_db(tmp_path, clock):
    path = tmp_path / "hall.db"
    _copy_sqlite("schema", path)
    d = Database(f"sqlite:///{path}", clock=clock)
    yield d
    d.dispose()


@pytest.fixture
def admin() -> Actor:
    return system_actor(TEMPLATE_ACTOR)


@pytest.fixture
def hall(db, admin):
    """The demo centre (no history) on a fresh database."""
    return with_demo(db, admin)


def staff_actor(db: Database, username: str, workstation: str = "test-ws") -> Actor:
    """The demo staff member ``username`` as an actor (a real row, for foreign keys)."""
    from sqlalchemy import select

    from hall.domain.roles import parse_roles
    from hall.store.models import User

    with db.read() as s:
        u = s.execute(select(User).where(User.username == username)).scalar_one()
        return Actor(u.id, u.username, parse_roles(u.roles), workstation, u.display_name)


@pytest.fixture
def front_desk(hall) -> Actor:
    return staff_actor(hall, "qiantai", "front-desk-1")


@pytest.fixture
def window_staff(hall) -> Actor:
    return staff_actor(hall, "chuangkou1", "window-1")


@pytest.fixture
def director(hall) -> Actor:
    return staff_actor(hall, "zhuren", "office")
