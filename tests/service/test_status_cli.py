"""hall-admin's status and notice commands: one-line errors, exit codes."""
from __future__ import annotations

import json

import pytest

from hall.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path, capsys):
    u = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "--db", u, "demo", "--no-history")[0] == 0
    return u


def test_issue_with_consent_switch_off_and_list_dead_letters(capsys, url):
    code, out, _ = run(capsys, "--db", url, "--json", "ticket", "issue", "--service", "labour",
                       "--notify", "13812345678")
    t = json.loads(out)
    assert code == 0 and "/s/" in t["status_url"]
    code, out, _ = run(capsys, "--db", url, "--json", "notify", "dead")
    assert code == 0 and json.loads(out) == {"dead": []}
    assert run(capsys, "--db", url, "status", "off")[1].strip() == "进度查询已关闭"
    code, out, _ = run(capsys, "--db", url, "--json", "status", "url", "http://192.168.1.5:8080")
    assert json.loads(out) == {"base_url": "http://192.168.1.5:8080"}
    code, out, _ = run(capsys, "--db", url, "--json", "status", "token", "ticket", str(t["id"]))
    assert json.loads(out)["url"].startswith("http://192.168.1.5:8080/s/")


@pytest.mark.parametrize("args, message", [
    (["ticket", "issue", "--service", "labour", "--notify", "12345"], "通知手机号"),
    (["status", "url", "hall.lan"], "http://"),
    (["status", "token", "case", "42"], "没有编号为 42 的调解案件"),
    (["notify", "retry", "7"], "没有编号为 7 的失败通知"),
    (["notify", "early-close", "--reason", " "], "请填写提前结束办理的原因"),
    (["notify-sender"], "请至少给出一个网关"),
    (["serve", "--port", "99999"], "端口应在 0–65535 之间"),
    (["serve", "--bind", "203.0.113.9", "--port", "0"], "无法在 203.0.113.9:0 上启动查询服务"),
])
def test_bad_input_is_one_line_and_non_zero(capsys, url, args, message):
    code, _out, err = run(capsys, "--db", url, *args)
    assert code != 0 and message in err and len(err.strip().splitlines()) == 1


def test_a_server_that_cannot_start_for_an_overflow_is_one_line_too(capsys, url, monkeypatch):
    """OverflowError (a bind() argument out of range) has no strerror: the sentence uses its message."""
    def refuse(*_args, **_kwargs):
        raise OverflowError("bind(): port must be 0-65535.")

    monkeypatch.setattr("hall.status_server.serve", refuse)
    code, _out, err = run(capsys, "--db", url, "serve", "--bind", "127.0.0.1", "--port", "8080")
    assert code != 0 and len(err.strip().splitlines()) == 1
    assert "无法在 127.0.0.1:8080 上启动查询服务：bind(): port must be 0-65535." in err
