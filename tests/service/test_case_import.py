"""Importing cases from another system: all or nothing, every error reported,
idempotent on the case number; through the service and ``hall-admin``."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from hall.cli import main
from hall.cli_cases import load_records
from hall.services import PermissionDenied
from hall.services import cases as cs
from hall.store.case_models import Case, CaseAgent, CaseParty
from tests.conftest import staff_actor

from .case_workers import EMPLOYER_CODE, ZHANG_ID, wage_case

GOOD = [
    {"number": "（2025）东人调字第88号", "category": "劳动争议", "subcategory": "拖欠工资", "source": "当事人申请",
     "state": "closed", "registered_at": "2025-03-01", "facts": "欠薪三个月", "claims": "支付工资",
     "mediator": "tiaojie",
     "parties": [{"side": "applicant", "kind": "person", "name": "张三", "id_number": ZHANG_ID,
                  "phone": "13812345678", "address": "东湖区人民路1号",
                  "agents": [{"name": "李律师", "scope": "special", "relation": "律师", "phone": "13700001111"}]},
                 {"side": "respondent", "kind": "organisation", "name": "东湖科技有限公司",
                  "credit_code": EMPLOYER_CODE, "legal_rep": "王五", "legal_rep_title": "总经理"}]},
    {"number": "（2026）东人调字第5号", "category": "neighbourhood", "registered_at": "2026-02-10T14:30:00",
     "state": "mediating", "risk": "中", "facts": "漏水",
     "parties": [{"name": "赵六", "phone": "13600001111"},
                 {"side": "respondent", "name": "钱七", "birth_date": "1960-05-01", "sex": "男"}]},
    {"number": "XH-2024-0001", "category": "消费", "registered_at": "2024-06-01T10:00:00+08:00",
     "parties": [{"name": "孙八"}]},
]


def _counts(db):
    with db.read() as s:
        return tuple(s.execute(select(func.count()).select_from(t)).scalar_one() for t in (Case, CaseParty, CaseAgent))


def test_a_good_file_imports_everything_once(hall, admin, window_staff):
    report = cs.import_cases(hall, admin, GOOD, origin="旧调解系统")
    assert report.imported == [r["number"] for r in GOOD] and report.skipped == [] and report.total == 3
    assert _counts(hall) == (3, 5, 1)
    med = staff_actor(hall, "tiaojie")
    old = cs.case_by_number(hall, med, "（2025）东人调字第88号")
    assert (old.state, old.mediator_name, old.subcategory_label) == ("closed", "周国平", "拖欠工资")
    assert old.parties[0].sex == "女" and old.parties[0].agents[0].scope_label == "特别授权"
    assert old.created_at.isoformat().startswith("2025-03-01T01:00")   # 09:00 in the hall
    foreign = cs.case_by_number(hall, med, "XH-2024-0001")
    assert foreign.category_label == "消费" and foreign.state == "registered"
    detail = cs.case_detail(hall, med, old.id)
    assert "从旧调解系统导入" in detail.timeline[0].text
    assert cs.search_cases(hall, med, "zs").rows[0].number == "（2025）东人调字第88号"
    # The year's counter moved past the imported number.
    assert wage_case(hall, window_staff).number == "（2026）东人调字第6号"
    # Idempotent: a second run skips them all.
    again = cs.import_cases(hall, admin, GOOD)
    assert again.imported == [] and again.skipped == [r["number"] for r in GOOD]
    assert _counts(hall)[0] == 4


def test_a_bad_file_imports_nothing_and_reports_every_error(hall, admin):
    bad = [
        GOOD[0],
        {"number": "", "category": "邻里", "registered_at": "2026-01-01", "parties": [{"name": "甲"}]},
        {"number": "B-2", "category": "天气", "registered_at": "2026-13-01", "parties": []},
        {"number": "B-3", "category": "邻里", "registered_at": "2026-01-01", "mediator": "nobody",
         "parties": [{"name": "乙", "id_number": "110105194912310021"},
                     {"name": "丙", "kind": "organisation", "credit_code": "91330100MA2AAAAAAB", "legal_rep": "丁"}]},
        {"number": "B-4", "category": "邻里", "registered_at": "2026-01-01", "state": "won",
         "parties": [{"name": "戊", "nickname": "小戊"}], "colour": "red"},
        {"number": "（2025）东人调字第88号", "category": "邻里", "registered_at": "2026-01-01",
         "parties": [{"name": "己"}]},
        "not a case",
    ]
    with pytest.raises(cs.ImportRejected) as err:
        cs.import_cases(hall, admin, bad, lines=[2, 20, 22, 24, 30, 34, 36])
    errors = err.value.errors
    text = "\n".join(errors)
    assert "第2条（第20行）：缺少案号" in text
    assert "第3条（第22行）案号“B-2”：未知的纠纷类别：天气" in text
    assert "第3条（第22行）案号“B-2”：登记时间“2026-13-01”格式不正确" in text
    assert "第3条（第22行）案号“B-2”：至少要有一方当事人" in text
    assert "第4条（第24行）案号“B-3”：没有用户名为“nobody”的调解员" in text
    assert "第4条（第24行）案号“B-3”：第1个当事人：乙：身份证号校验位不正确" in text
    assert "第5条（第30行）案号“B-4”：含有未知字段：colour" in text
    assert "第5条（第30行）案号“B-4”：未知的案件状态：won" in text
    assert "第5条（第30行）案号“B-4”：第1个当事人含有未知字段：nickname" in text
    assert "第6条（第34行）案号“（2025）东人调字第88号”：案号在文件中重复" in text
    assert "第7条（第36行）：记录应为 JSON 对象" in text
    assert not any("91330100MA2AAAAAAB" in e for e in errors)        # a credit code only warns
    assert _counts(hall) == (0, 0, 0)                                  # the good record was not imported either


def test_only_the_admin_imports(hall, window_staff):
    with pytest.raises(PermissionDenied):
        cs.import_cases(hall, window_staff, GOOD)


def test_records_and_their_lines_in_each_file_shape():
    array = '[\n  {"number": "A"},\n\n  {"number": "B"}\n]\n'
    assert load_records(array) == ([{"number": "A"}, {"number": "B"}], [2, 4])
    wrapped = '{"source": "old",\n "cases": [\n {"number": "A"},\n {"number": "B"}]}'
    assert load_records(wrapped) == ([{"number": "A"}, {"number": "B"}], [3, 4])
    lines = '{"number": "A"}\n\n{"number": "B"}\n'
    assert load_records(lines) == ([{"number": "A"}, {"number": "B"}], [1, 3])
    assert load_records('\ufeff{"number": "A"}') == ([{"number": "A"}], [1])


def _run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_import(hall, tmp_path, capsys):
    good = tmp_path / "cases.json"
    good.write_text(json.dumps({"cases": GOOD}, ensure_ascii=False, indent=2), encoding="utf-8")
    code, out, _ = _run(capsys, "--db", hall.url, "--json", "case", "import", str(good))
    assert code == 0 and len(json.loads(out)["imported"]) == 3
    code, out, _ = _run(capsys, "--db", hall.url, "case", "import", str(good))
    assert code == 0 and "跳过已存在 3 件" in out
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"number": "N-1", "category": "邻里", "registered_at": "2026-01-01", "parties": [{"name": "甲"}]}\n'
                   '{"number": "N-2", "category": "邻里", "registered_at": "2026-01-01", "parties": []}\n'
                   '{"number": "N-3", "category": "邻里", "registered_at": "2026-01-01",'
                   ' "parties": [{"name": "乙", "phone": "123"}]}\n', encoding="utf-8")
    code, out, err = _run(capsys, "--db", hall.url, "case", "import", str(bad))
    assert code == 1 and "共2处错误，未导入任何案件" in err and "Traceback" not in err
    assert "第2条（第2行）案号“N-2”：至少要有一方当事人" in out
    assert "第3条（第3行）案号“N-3”：第1个当事人：乙：" in out
    code, out, _ = _run(capsys, "--db", hall.url, "--json", "case", "import", str(bad))
    assert code == 1 and "第2条（第2行）" in json.loads(out)["error"]
    assert _counts(hall)[0] == 3
    broken = tmp_path / "broken.json"
    broken.write_text('[{"number": "A"},\n {"number": }]', encoding="utf-8")
    code, _, err = _run(capsys, "--db", hall.url, "case", "import", str(broken))
    assert code == 1 and "第2行" in err
    code, _, err = _run(capsys, "--db", hall.url, "case", "import", str(tmp_path / "none.json"))
    assert code == 1 and "找不到文件" in err


def test_the_command_line_store_verify(hall, tmp_path, capsys):
    from hall.services import documents as docs
    from hall.services import mediation as md

    med = staff_actor(hall, "tiaojie")
    c = wage_case(hall, med)
    f = tmp_path / "evidence.txt"
    f.write_text("工资条", encoding="utf-8")
    stored = md.import_evidence(hall, med, c.id, f)
    code, out, _ = _run(capsys, "--db", hall.url, "--json", "store", "verify")
    assert code == 0 and json.loads(out)["checked"] == 1
    (docs.storage_folder(hall) / stored.sha256[:2] / stored.sha256).unlink()
    code, out, err = _run(capsys, "--db", hall.url, "store", "verify")
    assert code == 1 and "1 个文件缺失" in err and stored.sha256 in out and c.number in out
