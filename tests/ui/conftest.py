"""UI fixtures: a demo hall on a SQLite file, a signed-in context per role,
and message boxes captured instead of shown."""
from __future__ import annotations

import pytest

from tests.conftest import staff_actor, with_demo


@pytest.fixture(autouse=True)
def settings_folder(tmp_path):
    """QSettings reads XDG_CONFIG_HOME once per process; point it at this test's folder."""
    from ui.qt import QSettings

    folder = tmp_path / "config"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def messages(monkeypatch):
    """Every error/info message the UI would show, as (title, text) pairs."""
    from ui.common import errors

    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(errors, "message_sink", lambda title, text: seen.append((title, text)))
    return seen


@pytest.fixture
def ui_hall(sqlite_db, admin):
    yield with_demo(sqlite_db, admin)
    from ui.common.ops import wait_all

    wait_all()  # no background read may outlive the database


@pytest.fixture
def make_ctx(ui_hall, qtbot):
    """``make_ctx("qiantai", window_code=None)`` -> AppContext for that demo user."""
    from ui.common.context import AppContext, Workstation
    from ui.common.live import EventFeed

    feeds = []

    def make(username: str, **workstation):
        actor = staff_actor(ui_hall, username, f"ws-{username}")
        feed = EventFeed(ui_hall, interval_ms=50)
        feeds.append(feed)
        return AppContext(ui_hall, actor, feed, Workstation(**workstation))

    yield make
    for f in feeds:
        f.stop()
    from ui.common.ops import wait_all

    wait_all()
