"""hall-admin as a script would use it: JSON out, one-line errors, exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from hall.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_init_demo_issue_call_finish(capsys, url):
    assert run(capsys, "--db", url, "init")[0] == 0
    code, out, _ = run(capsys, "--db", url, "--json", "demo", "--no-history")
    assert code == 0 and json.loads(out)["staff_added"] == 8
    code, out, _ = run(capsys, "--db", url, "--json", "demo", "--no-history")
    assert json.loads(out)["staff_added"] == 0  # idempotent
    code, out, _ = run(capsys, "ticket", "issue", "--service", "labour", "--name", "张三明",
                       "--db", url, "--json")
    issued = json.loads(out)
    assert code == 0 and issued["number"] == "L001" and issued["status"] == "waiting" and issued["ahead"] == 0
    assert {"id", "number", "service", "status", "ahead"} <= issued.keys()
    assert run(capsys, "--db", url, "window", "open", "--window", "w03")[0] == 0
    code, out, _ = run(capsys, "--db", url, "--json", "ticket", "call", "--window", "w03")
    called = json.loads(out)
    assert called["id"] == issued["id"] and called["window"] == "w03" and called["status"] == "called"
    code, out, _ = run(capsys, "--db", url, "--json", "ticket", "finish", "--ticket", str(issued["id"]),
                       "--outcome", "consulted")
    assert json.loads(out)["status"] == "finished"
    code, out, _ = run(capsys, "--db", url, "--json", "ticket", "call", "--window", "w03")
    assert code == 0 and json.loads(out) is None


def test_transfer_and_no_show(capsys, url):
    run(capsys, "--db", url, "demo", "--no-history")
    run(capsys, "--db", url, "window", "open", "--window", "w03")
    a = json.loads(run(capsys, "--db", url, "--json", "ticket", "issue", "--service", "labour")[1])
    b = json.loads(run(capsys, "--db", url, "--json", "ticket", "issue", "--service", "labour")[1])
    run(capsys, "--db", url, "ticket", "call", "--window", "w03")
    moved = json.loads(run(capsys, "--db", url, "--json", "ticket", "transfer", "--ticket", str(a["id"]),
                           "--to", "mediation")[1])
    assert moved["number"] == "T001" and moved["transferred_from"] == a["id"]
    run(capsys, "--db", url, "ticket", "call", "--window", "w03")
    gone = json.loads(run(capsys, "--db", url, "--json", "ticket", "no-show", "--ticket", str(b["id"]))[1])
    assert gone["status"] == "no_show"


@pytest.mark.parametrize("args,fragment", [
    (["ticket", "issue", "--service", "nope"], "没有代码为“nope”的业务"),
    (["ticket", "issue", "--service", "labour", "--id-number", "123"], "身份证号"),
    (["ticket", "finish", "--ticket", "999999"], "没有编号为 999999"),
    (["ticket", "call", "--window", "w03"], "未开启"),
])
def test_errors_are_one_line_and_non_zero(capsys, url, args, fragment):
    run(capsys, "--db", url, "demo", "--no-history")
    code, out, err = run(capsys, "--db", url, *args)
    assert code == 1 and fragment in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "--db", url, "--json", *args)
    assert code == 1 and fragment in json.loads(out)["error"]


def test_usage_errors_exit_2_without_traceback(url):
    proc = subprocess.run([sys.executable, "-m", "hall.cli", "--db", url, "ticket", "issue"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "参数错误" in proc.stderr and "Traceback" not in proc.stderr


def test_unreachable_database_is_a_one_line_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "hall.cli", "--db",
                           "postgresql://nobody@127.0.0.1:1/none", "queue"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("hall-admin: 数据库")


def test_backup_and_restore_commands(capsys, url, tmp_path):
    run(capsys, "--db", url, "demo", "--no-history")
    target = tmp_path / "b.sqlite"
    code, out, _ = run(capsys, "--db", url, "--json", "backup", str(target))
    assert code == 0 and json.loads(out)["verified"] is True
    run(capsys, "--db", url, "ticket", "issue", "--service", "labour")
    code, out, err = run(capsys, "--db", url, "restore", str(target))
    assert code == 1 and "--yes" in err and "排队号：当前 1 → 恢复后 0" in out
    code, out, _ = run(capsys, "--db", url, "--json", "queue")
    assert [s["waiting"] for s in json.loads(out)["services"] if s["code"] == "labour"] == [1]
    code, out, _ = run(capsys, "--db", url, "--json", "restore", str(target))
    answer = json.loads(out)  # one JSON object: the refusal and what would be replaced
    assert code == 1 and "--yes" in answer["error"] and answer["confirm"]["current_rows"]["tickets"] == 1
    code, out, _ = run(capsys, "--db", url, "--json", "restore", "--yes", str(target))
    assert code == 0 and json.loads(out)["safety_copy"].endswith(".hallbak")
    code, out, _ = run(capsys, "--db", url, "--json", "queue")
    assert [s["waiting"] for s in json.loads(out)["services"] if s["code"] == "labour"] == [0]
    code, out, _ = run(capsys, "--db", url, "--json", "backup-check", str(target))
    assert code == 0 and json.loads(out)["centre"]


def test_restore_of_an_unrelated_file_exits_non_zero_and_keeps_the_hall(capsys, url, tmp_path):
    import sqlite3

    run(capsys, "--db", url, "demo", "--no-history")
    run(capsys, "--db", url, "ticket", "issue", "--service", "labour")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).close()
    code, _, err = run(capsys, "--db", url, "restore", "--yes", str(other))
    assert code == 1 and "不是完整的服务大厅备份文件" in err and "Traceback" not in err
    code, out, _ = run(capsys, "--db", url, "--json", "queue")
    assert [s["waiting"] for s in json.loads(out)["services"] if s["code"] == "labour"] == [1]


def test_id_numbers_never_reach_the_log(capsys, url, tmp_path):
    from hall.logsetup import log_dir

    run(capsys, "--db", url, "demo", "--no-history")
    run(capsys, "--db", url, "ticket", "issue", "--service", "labour", "--id-number", "110105194912310021")
    logged = "".join(p.read_text(encoding="utf-8") for p in log_dir().glob("*.log")) if log_dir().exists() else ""
    assert "110105194912310021" not in logged


def test_hall_admin_started_by_a_test_runs_on_the_tests_clock(url, clock):
    """A child process lives on the day of the test that starts it, not the wall clock's."""
    import datetime as dt

    subprocess.run([sys.executable, "-m", "hall.cli", "--db", url, "demo", "--no-history"],
                   capture_output=True, text=True, timeout=120, check=True)
    clock.set_local(dt.datetime(2026, 10, 3, 10, 0))  # inside the National Day holiday
    proc = subprocess.run([sys.executable, "-m", "hall.cli", "--db", url, "--json", "ticket", "issue",
                           "--service", "general"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    ticket = json.loads(proc.stdout)
    assert ticket["business_day"] == "2026-10-03" and ticket["issued_at"].startswith("2026-10-03T02:00")


def test_a_malformed_fake_clock_is_a_one_line_error(url):
    env = dict(os.environ, HALL_FAKE_NOW="next tuesday")
    proc = subprocess.run([sys.executable, "-m", "hall.cli", "--db", url, "queue"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "HALL_FAKE_NOW" in proc.stderr and len(proc.stderr.strip().splitlines()) <= 2


def test_ticket_issue_refuses_a_service_nobody_can_call(capsys, url, monkeypatch):
    """In December the education service's only window is out of season."""
    import datetime as dt

    from hall.domain.clock import FAKE_NOW_ENV, HALL_TZ

    monkeypatch.setenv(FAKE_NOW_ENV, dt.datetime(2026, 12, 7, 10, 0, tzinfo=HALL_TZ).isoformat())
    assert run(capsys, "--db", url, "init")[0] == 0
    assert run(capsys, "--db", url, "demo", "--no-history")[0] == 0
    code, out, err = run(capsys, "--db", url, "ticket", "issue", "--service", "education")
    assert code != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "今天不能取号" in lines[0] and "10号窗口" in lines[0], err
    assert "Traceback" not in err
    code, out, _ = run(capsys, "--db", url, "--json", "ticket", "issue", "--service", "labour")
    assert code == 0 and json.loads(out)["number"] == "L001"


def test_config_export_writes_the_centre_as_the_administrator(capsys, url, tmp_path):
    run(capsys, "--db", url, "demo", "--no-history")
    out_file = tmp_path / "centre.json"
    code, out, _ = run(capsys, "--db", url, "--json", "config", "export", str(out_file))
    assert code == 0 and json.loads(out)["users"] == 8
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert {u["username"] for u in data["users"]} >= {"admin", "qiantai"}


def test_ticket_hold_and_unhold(capsys, url):
    assert run(capsys, "--db", url, "init")[0] == 0
    assert run(capsys, "--db", url, "demo", "--no-history")[0] == 0
    a = json.loads(run(capsys, "--db", url, "--json", "ticket", "issue", "--service", "labour")[1])
    b = json.loads(run(capsys, "--db", url, "--json", "ticket", "issue", "--service", "labour")[1])
    with pytest.raises(SystemExit):                              # the reason is required
        run(capsys, "--db", url, "ticket", "hold", "--ticket", str(a["id"]))
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", url, "ticket", "hold", "--ticket", str(a["id"]), "--reason", "回去取材料")
    assert code == 0 and "已挂起" in out
    assert run(capsys, "--db", url, "window", "open", "--window", "w03")[0] == 0
    called = json.loads(run(capsys, "--db", url, "--json", "ticket", "call", "--window", "w03")[1])
    assert called["id"] == b["id"]                               # the held ticket is skipped
    code, out, _ = run(capsys, "--db", url, "--json", "ticket", "unhold", "--ticket", str(a["id"]))
    back = json.loads(out)
    assert code == 0 and back["status"] == "waiting" and back["ahead"] == 0
    code, _, err = run(capsys, "--db", url, "ticket", "unhold", "--ticket", str(a["id"]))
    assert code != 0 and len(err.strip().splitlines()) == 1 and "等候中" in err
