"""``hall-admin whistle``: import, refuse a bad file with one line, watch, sweep, assess, export."""
from __future__ import annotations

import json

import pytest

from hall.cli import main
from tests.whistle_setup import as_json, grid_records, hotline_records


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'hall.db'}"


def test_whistle_commands(capsys, url, tmp_path):
    assert run(capsys, "--db", url, "demo", "--no-history")[0] == 0
    f = tmp_path / "grid.json"
    f.write_bytes(as_json(grid_records(3)))
    code, out, _ = run(capsys, "--db", url, "whistle", "import", "--source", "grid", str(f))
    assert code == 0 and "新增 3 条" in out
    code, out, _ = run(capsys, "--db", url, "whistle", "import", "--source", "grid", str(f))
    assert code == 0 and "已存在 3 条" in out
    bad = hotline_records(2)
    del bad[1]["诉求人"]
    f2 = tmp_path / "orders.json"
    f2.write_bytes(as_json(bad))
    code, out, err = run(capsys, "--db", url, "whistle", "import", "--source", "12345", str(f2))
    assert code != 0 and "第2条（编号 12345-2026-00002）：缺少诉求人" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    (tmp_path / "inbox" / "12345").mkdir(parents=True)
    (tmp_path / "inbox" / "12345" / "a.json").write_bytes(as_json(hotline_records(1)))
    code, out, _ = run(capsys, "--db", url, "whistle", "watch", str(tmp_path / "inbox"), "--once")
    assert code == 0 and "a.json：新增 1 条" in out
    code, out, _ = run(capsys, "--db", url, "whistle", "sweep")
    assert code == 0 and "没有逾期事项" in out
    code, out, _ = run(capsys, "--db", url, "--json", "whistle", "assess", "2026-11",
                       "--xlsx", str(tmp_path / "a.xlsx"))
    assert code == 0 and json.loads(out)["month"] == "2026-11" and (tmp_path / "a.xlsx").is_file()
    code, out, _ = run(capsys, "--db", url, "whistle", "export-12345", str(tmp_path / "r.csv"))
    assert code == 0 and "已导出 0 件" in out
    code, _, err = run(capsys, "--db", url, "whistle", "assess", "2026-13")
    assert code != 0 and "月份" in err
