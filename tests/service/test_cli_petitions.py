"""``hall-admin petition …``: a petition from registration to re-review through the command
line, with ``--json`` output and one-line Chinese errors (non-zero exit, no traceback)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from hall.cli import main
from hall.store.db import Database

D = dt.date


@pytest.fixture(autouse=True)
def _cli_on_the_test_clock(monkeypatch, clock):
    """The command opens its own database handle: on the test's clock, not the wall clock."""
    monkeypatch.setattr("hall.cli.Database", lambda url: Database(url, clock=clock))


def run(hall, capsys, *args: str) -> dict:
    code = main(["--db", hall.url, "--json", "petition", *args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def fail(hall, capsys, *args: str) -> str:
    code = main(["--db", hall.url, "petition", *args])
    out = capsys.readouterr()
    assert code != 0 and "Traceback" not in out.err
    return out.err.strip()


def at(clock, y, m, d):
    clock.set_local(dt.datetime(y, m, d, 9, 0))


def test_a_petition_through_the_command_line(hall, capsys, clock):
    at(clock, 2026, 6, 1)
    p = run(hall, capsys, "register", "--petitioner", "刘芳,东湖区幸福里3号,13812345678", "--via", "letter",
            "--matter", "城建", "--request", "要求停止夜间施工", "--facts", "小区旁工地夜间施工", "--reasons", "影响休息")
    number = p["number"]
    assert p["state"] == "registered" and p["deadlines"][0]["due_date"] == "2026-06-16"   # 第二十二条: 15 days
    at(clock, 2026, 6, 3)
    p = run(hall, capsys, "decide", number, "accept")
    handling = [d for d in p["deadlines"] if d["rule_code"] == "petition.handling"][0]
    assert handling["due_date"] == "2026-08-03"                                          # 第三十四条: 60 days
    p = run(hall, capsys, "handle", number, "--handler", "陈丽")
    err = fail(hall, capsys, "extend", number, "--approved-by", "", "--reason", "情况复杂")
    assert "批准" in err and len(err.splitlines()) == 1
    at(clock, 2026, 7, 20)
    p = run(hall, capsys, "extend", number, "--approved-by", "王局长", "--reason", "需要现场勘验",
            "--notified-on", "2026-07-20")
    handling = [d for d in p["deadlines"] if d["rule_code"] == "petition.handling"][0]
    assert handling["due_date"] == "2026-09-01"             # +30 days from the nominal 08-02
    at(clock, 2026, 8, 10)
    p = run(hall, capsys, "opinion", number, "--outcome", "support", "--text", "责令施工单位调整作业时间",
            "--basis", "《中华人民共和国噪声污染防治法》")
    assert p["opinion_outcome"] == "support"
    at(clock, 2026, 8, 20)
    p = run(hall, capsys, "review", number, "--body", "东湖区人民政府")
    assert any(d["rule_code"] == "petition.review_answer" for d in p["deadlines"])
    shown = run(hall, capsys, "show", number)
    assert shown["number"] == number
    listed = run(hall, capsys, "list")
    assert listed["petitions"][0]["number"] == number


def test_a_group_visit_keeps_five_representatives_and_a_transfer(hall, capsys, clock):
    reps = [f"--representative=代表{i},东湖区,1381234567{i}" for i in range(6)]
    common = ["--channel", "oral", "--via", "visit", "--group-size", "30", "--petitioner", "代表0,东湖区,13812345670",
              "--matter", "征地拆迁", "--request", "要求补偿", "--facts", "拆迁补偿未到位", "--reasons", "补偿标准过低"]
    err = fail(hall, capsys, "register", *common, *reps)
    assert "第二十条" in err and len(err.splitlines()) == 1
    p = run(hall, capsys, "register", *common, *reps[:5])
    assert p["group_size"] == 30 and len(p["representatives"]) == 5
    p = run(hall, capsys, "decide", p["number"], "transfer", "--transfer-to", "东湖区住建局")
    assert p["decision"] == "transfer" and p["transfer_to"] == "东湖区住建局"
    assert "没有" in fail(hall, capsys, "show", "信访〔2026〕第99号")
    assert "格式不正确" in fail(hall, capsys, "close", p["number"], "--on", "2026-13-01")
