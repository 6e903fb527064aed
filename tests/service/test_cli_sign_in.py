"""hall-admin on PostgreSQL with a workstation's credentials acts as a signed-in
user with that user's permissions; only the database owner acts as admin."""
from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy.engine import make_url

from hall.cli import main
from hall.services.base import system_actor
from hall.services.demo import install_demo


@pytest.fixture
def workstation_url(db_url, clock):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL: SQLite has no database roles")
    from hall.store.db import Database

    d = Database(db_url, clock=clock)
    install_demo(d, system_actor(), history=False)
    role = f"desk_{uuid.uuid4().hex[:8]}"
    with d.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD 'ws-secret'")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {role}")
        conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {role}")
        conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    d.dispose()
    yield make_url(db_url).set(username=role, password="ws-secret").render_as_string(hide_password=False)
    with d.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP OWNED BY {role}")
        conn.exec_driver_sql(f"DROP ROLE {role}")
    d.dispose()


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_workstation_credentials_do_not_make_an_admin(workstation_url, capsys, monkeypatch, tmp_path):
    code, _, err = run(capsys, "--db", workstation_url, "ticket", "issue", "--service", "labour")
    assert code == 1 and "--user" in err and "Traceback" not in err
    monkeypatch.setenv("HALL_ADMIN_PASSWORD", "hall2026")
    code, out, _ = run(capsys, "--db", workstation_url, "--json", "--user", "qiantai",
                       "ticket", "issue", "--service", "labour")
    assert code == 0 and json.loads(out)["number"] == "L001"
    # the front desk's permissions, not the admin's
    code, _, err = run(capsys, "--db", workstation_url, "--user", "qiantai", "backup", str(tmp_path / "b.hallbak"))
    assert code == 1 and "无权" in err and not (tmp_path / "b.hallbak").exists()
    # nor the centre's setup with every account: refused before the file is written
    code, _, err = run(capsys, "--db", workstation_url, "--user", "qiantai", "config", "export",
                       str(tmp_path / "centre.json"))
    assert code == 1 and "无权" in err and not (tmp_path / "centre.json").exists()
    monkeypatch.setenv("HALL_ADMIN_PASSWORD", "wrong-password")
    code, _, err = run(capsys, "--db", workstation_url, "--user", "qiantai", "queue")
    assert code == 1 and "用户名或密码错误" in err
    assert system_actor().username == "hall-admin"  # nothing left signed in
