"""Shared fixtures: a frozen hall clock, a database on SQLite and on PostgreSQL,
actors for each role. Qt runs offscreen; no test touches the real user folders."""
from __future__ import annotations

import datetime as dt
import os
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from hall.domain.clock import FAKE_NOW_ENV, FAKE_TICK_ENV, HALL_TZ, UTC, FixedClock
from hall.services import Actor, system_actor
from hall.store.db import Database

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


@pytest.fixture(autouse=True)
def _private_folders(tmp_path_factory, monkeypatch):
    """User data, config and logs go to a temp folder, never the real ones."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.delenv("HALL_DATABASE_URL", raising=False)


@pytest.fixture
def clock():
    """Monday 2026-11-23 09:00 in the hall, shared with every child process."""
    c = TestClock(TEST_NOW)
    yield c
    os.environ[FAKE_NOW_ENV] = TEST_NOW.isoformat()


# ---------------------------------------------------------------- databases
_pg_template: str | None = None


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


def new_pg_url() -> str:
    """A fresh PostgreSQL database with the current schema (copied from a template)."""
    global _pg_template
    from sqlalchemy.engine import make_url

    base = make_url(pg_base_url())
    if _pg_template is None:
        name = f"hall_tmpl_{uuid.uuid4().hex[:8]}"
        _pg_admin(f"CREATE DATABASE {name}")
        tmpl = Database(base.set(database=name).render_as_string(hide_password=False))
        tmpl.upgrade()
        tmpl.dispose()
        _pg_template = name
    name = f"hall_t_{uuid.uuid4().hex[:10]}"
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE {_pg_template}")
    return base.set(database=name).render_as_string(hide_password=False)


def drop_pg(url: str) -> None:
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    try:
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    except Exception:
        pass


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, upgraded database URL on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'hall.db'}"
        d = Database(url)
        d.upgrade()
        d.dispose()
        yield url
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
    d = Database(f"sqlite:///{tmp_path / 'hall.db'}", clock=clock)
    d.upgrade()
    yield d
    d.dispose()


@pytest.fixture
def admin() -> Actor:
    return system_actor("test-admin")


@pytest.fixture
def hall(db, admin):
    """The demo centre (no history) on a fresh database."""
    from hall.services.demo import install_demo

    install_demo(db, admin, history=False)
    return db


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
